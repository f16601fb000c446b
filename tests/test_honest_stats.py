"""Issue 13's statistics against R: the expected figures AND the data are read from the
committed output of tests/r/reference_honest.R (tests/r/reference_honest.out)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rref import r_matrix, r_reference

from relimpact.scoring import stats

R = r_reference("reference_honest")


def arr(values: list[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def close(got: float | None, want: float | None, tol: float = 1e-12) -> bool:
    if want is None:
        return got is None
    return got is not None and math.isclose(got, want, rel_tol=tol, abs_tol=tol)


# --------------------------------------------------------------------------- 1. matched change

PAIRED = ["ties", "fall", "exact", "few", "allsame", "large"]
TWO = ["two_ties", "two_exact", "two_large"]


@pytest.mark.parametrize("name", PAIRED)
def test_hodges_lehmann_paired_matches_r_wilcox_test_conf_int(name: str) -> None:
    after, before = arr(R[f"{name}.after"]), arr(R[f"{name}.before"])
    h = stats.hodges_lehmann_paired(after, before)
    assert close(h.estimate, R[f"{name}.estimate"][0], 1e-12), (h.estimate, name)
    level = R[f"{name}.level"][0]
    assert h.level == pytest.approx(level, abs=1e-12)
    if level == pytest.approx(0.95):
        lo, hi = R[f"{name}.ci"]
        assert h.ci is not None
        assert close(h.ci[0], lo) and close(h.ci[1], hi), (h.ci, lo, hi)
    else:  # R lowers the level: relimpact prints no "95%" interval
        assert h.ci is None
    ok = ~(np.isnan(after) | np.isnan(before))
    assert float(np.mean(after[ok] - before[ok])) == pytest.approx(
        R[f"{name}.matched_difference"][0], abs=1e-12
    )
    t = stats.wilcoxon_signed_rank(after, before)
    assert t.p == pytest.approx(R[f"{name}.p"][0], abs=1e-12)


@pytest.mark.parametrize("name", TWO)
def test_hodges_lehmann_two_groups_matches_r(name: str) -> None:
    after, before = arr(R[f"{name}.after"]), arr(R[f"{name}.before"])
    h = stats.hodges_lehmann_shift(after, before)
    assert close(h.estimate, R[f"{name}.estimate"][0]), (h.estimate, name)
    lo, hi = R[f"{name}.ci"]
    assert h.ci is not None and close(h.ci[0], lo) and close(h.ci[1], hi), h.ci
    assert stats.mann_whitney(after, before).p == pytest.approx(R[f"{name}.p"][0], abs=1e-12)


def test_hodges_lehmann_hand_worked() -> None:
    # differences 1, 2, 4: Walsh averages 1, 1.5, 2, 2.5, 3, 4 -> median 2.25; n = 3 is too
    # few for 95% (R: conf.level 0.75), so no interval.
    h = stats.hodges_lehmann_paired([2, 3, 5], [1, 1, 1])
    assert (h.estimate, h.ci, h.exact) == (2.25, None, True)
    assert h.level == pytest.approx(0.75)
    # nothing to estimate
    assert stats.hodges_lehmann_paired([1, 2], [1, 2]).estimate is None
    assert stats.hodges_lehmann_shift([], [1.0]).estimate is None


def test_rank_average_matches_scipy() -> None:
    from scipy.stats import rankdata

    rng = np.random.default_rng(5)
    for _ in range(20):
        x = rng.integers(0, 6, size=int(rng.integers(1, 40))) / 2.0
        assert np.array_equal(stats.rank_average(x), rankdata(x))
    assert stats.rank_average([]).size == 0


# --------------------------------------------------------------------------- 2. alpha and omega


def r_data(name: str) -> np.ndarray:
    return np.column_stack([arr(c) for c in r_matrix(R, f"{name}.data")])


@pytest.mark.parametrize("name", ["a4", "a3"])
def test_alpha_feldt_with_pairwise_n_and_omega_match_r(name: str) -> None:
    x = r_data(name)
    moments = stats.pairwise_moments(x)
    alpha = stats.alpha_from_cov(moments.cov())
    assert alpha == pytest.approx(R[f"{name}.alpha"][0], abs=1e-12)
    n = stats.mean_pairwise_n(moments.n)
    assert n == pytest.approx(R[f"{name}.mean_pairwise_n"][0], abs=1e-12)
    ci = stats.feldt_ci(alpha, n, x.shape[1])
    assert ci == pytest.approx(R[f"{name}.feldt"], abs=1e-10)
    fit = stats.omega_total(x)
    assert fit is not None
    assert fit.omega_total == pytest.approx(R[f"{name}.omega_total"][0], abs=1e-6)


def test_pairwise_cor_matches_numpy_on_complete_pairs() -> None:
    x = r_data("a4")
    r = stats.pairwise_cor(x)
    for j in range(x.shape[1]):
        for k in range(x.shape[1]):
            ok = ~(np.isnan(x[:, j]) | np.isnan(x[:, k]))
            assert r[j, k] == pytest.approx(np.corrcoef(x[ok, j], x[ok, k])[0, 1], abs=1e-12)


def test_omega_needs_three_items_and_equals_alpha_for_parallel_items() -> None:
    assert stats.omega_total(np.ones((5, 2))) is None
    # equal correlations rho: one-factor loadings sqrt(rho), omega = k rho / (1 + (k-1) rho)
    # which is standardised alpha; hand-built from a compound-symmetric covariance.
    rng = np.random.default_rng(1)
    f = rng.normal(size=4000)
    x = np.column_stack([f + rng.normal(size=4000) for _ in range(4)])
    r = stats.pairwise_cor(x)
    rho = (r.sum() - 4) / 12
    fit = stats.omega_total(x)
    assert fit is not None
    assert fit.omega_total == pytest.approx(4 * rho / (1 + 3 * rho), abs=2e-3)


def test_scoring_gives_no_alpha_below_five_joint_answers_and_pairwise_n_otherwise() -> None:
    from helpers import response_set, small_survey

    from relimpact.scoring.engine import score

    s = small_survey(min_group_size=2)
    N = None
    few = {
        "a1": [4, 5, 3, 4, N, N, N, N, 2, 4],
        "a2": [N, N, N, N, 4, 5, 3, 4, 2, 4],
        "a3": [2, 1, 3, 2, 2, 1, 3, 2, 4, 2],
        "n1": [4, 4, 3, 5, 4, 2, 3, 4, 4, 5],
        "n2": [5, 4, 3, 4, 4, 2, 3, 5, 4, 4],
    }
    r = score(response_set(s, few))
    lead = r.dimensions["lead"]
    assert (lead.alpha, lead.alpha_ci95, lead.omega_total, lead.alpha_n) == (None,) * 4
    assert any(
        "reliability (alpha, omega) not computed: only 2 respondents answered both a1 and a2" in w
        for w in r.warnings
    )
    # under min_group_size the count itself is not given (one respondent: whether they
    # answered both items)
    r = score(response_set(small_survey(min_group_size=3), few))
    assert any(
        "reliability (alpha, omega) not computed: fewer than 5 respondents answered both a1 "
        "and a2." in w
        for w in r.warnings
    ), r.warnings
    assert not any("only 2 respondents" in w for w in r.warnings)
    d = r.to_dict()["dimensions"]["lead"]
    assert d["alpha"] is None and d["omega_total"] is None
    # with enough joint answers: Feldt's n is the mean pairwise n (9 + 10 + 9) / 3
    enough = dict(few, a1=[4, 5, 3, 4, 3, 4, 5, 3, 2, N], a2=[5, 4, 3, 5, 4, 5, 3, 4, 2, 4])
    r = score(response_set(s, enough))
    lead = r.dimensions["lead"]
    x = np.column_stack(
        [arr(enough["a1"]), arr(enough["a2"]), 6 - arr(enough["a3"])]  # a3 reversed
    )
    assert lead.alpha_n == pytest.approx(28 / 3)
    assert lead.alpha == pytest.approx(stats.cronbach_alpha(x))
    assert lead.alpha_ci95 is None  # 9.3 people on average: no interval below 10
    big = {q: v * 2 for q, v in enough.items()}
    lead2 = score(response_set(s, big)).dimensions["lead"]
    assert lead2.alpha_n == pytest.approx(56 / 3)
    assert lead2.alpha_ci95 == pytest.approx(stats.feldt_ci(lead2.alpha, 56 / 3, 3))
    fit = stats.omega_total(x)
    assert fit is not None and lead.omega_total == pytest.approx(fit.omega_total)
    assert r.to_dict()["dimensions"]["lead"]["omega_total"] == lead.omega_total
    assert r.dimensions["the_net"].omega_total is None  # two items: not identified


# --------------------------------------------------------------------------- 3. intervals


def test_t_interval_wilson_and_fpc_match_r() -> None:
    x = arr(R["t12.data"])
    assert stats.t_mean_ci(x) == pytest.approx(R["t12.ci"], abs=1e-10)
    for key, (k, n) in {"7_19": (7, 19), "0_12": (0, 12), "12_12": (12, 12)}.items():
        assert stats.wilson_ci(k / n, n) == pytest.approx(R[f"wilson.{key}"], abs=1e-12)
    v = x[~np.isnan(x)]
    se = float(np.std(v, ddof=1)) / math.sqrt(v.size) * stats.fpc(v.size, 40)
    assert se == pytest.approx(R["fpc40.se"][0], abs=1e-12)


def test_t_quantile_matches_scipy() -> None:
    from scipy.stats import t

    for df in (1, 2, 5, 9.5, 29, 200):
        for p in (0.6, 0.975, 0.995):
            assert stats.t_quantile(p, df) == pytest.approx(t.ppf(p, df), rel=1e-10)


def test_mean_interval_is_chosen_by_n() -> None:
    rng = np.random.default_rng(3)
    v = rng.integers(1, 6, size=200).astype(float)
    assert stats.mean_ci(v[:9]) == (None, None)  # no interval below 10
    ci, method = stats.mean_ci(v[:12])
    assert method == "t" and ci == stats.t_mean_ci(v[:12])
    ci, method = stats.mean_ci(v[:30])
    assert method == "bootstrap-percentile" and ci == stats.bootstrap_mean_ci(v[:30])
    # the finite-population correction narrows the interval around the mean
    ci, method = stats.mean_ci(v[:12], population=20)
    assert method == "t+fpc"
    plain = stats.t_mean_ci(v[:12])
    assert plain is not None and ci is not None
    assert ci[1] - ci[0] == pytest.approx((plain[1] - plain[0]) * math.sqrt(1 - 12 / 20))
    ci, method = stats.mean_ci(v, population=250)
    assert method == "bootstrap-percentile+fpc"
    assert stats.fpc(30, 20) == 1.0  # more respondents than members: nothing corrected


def test_scoring_intervals_by_n_with_warnings_and_membership() -> None:
    from dataclasses import replace

    from helpers import response_set, small_survey

    from relimpact.scoring.engine import score

    s = small_survey(min_group_size=2)
    rows = 12
    rng = np.random.default_rng(8)
    data = {q: rng.integers(1, 6, size=rows).astype(float).tolist() for q in
            ("a1", "a2", "a3", "n1", "n2")}  # fmt: skip
    r = score(response_set(s, data))
    lead = r.dimensions["lead"]
    assert lead.ci_method == "t" and lead.ci95 is not None
    assert any("Leadership: only 12 respondents have a score; its intervals are wide" in w
               for w in r.warnings)  # fmt: skip
    item = r.items["a1"]
    k = round(item.favourable_pct * item.n / 100)
    want = stats.wilson_ci(k / item.n, item.n)
    assert want is not None
    assert item.favourable_ci95 == pytest.approx((100 * want[0], 100 * want[1]))
    d = r.to_dict()
    assert d["dimensions"]["lead"]["ci_method"] == "t"
    assert len(d["dimensions"]["lead"]["favourable_ci95"]) == 2
    # fewer than 10: no interval of any kind, and a warning
    r = score(response_set(s, {q: v[:8] for q, v in data.items()}))
    lead = r.dimensions["lead"]
    assert (lead.ci95, lead.ci_method, lead.favourable_ci95, lead.alpha_ci95) == (None,) * 4
    assert any("only 8 respondents have a score, so no interval is shown" in w for w in r.warnings)
    # a membership size from population: the finite-population correction
    s2 = replace(s, population={"role": {"Member": 10, "Staff": 4, "Funder": 1}})
    r = score(response_set(s2, data))
    assert r.dimensions["lead"].ci_method == "t+fpc"


# --------------------------------------------------------------------------- 5. bands


def _scale(points: range, bands: tuple[float, float] | None = None):  # type: ignore[no-untyped-def]
    from relimpact.survey.model import Scale

    strength, borderline = bands if bands else (None, None)
    return Scale("s", tuple((v, str(v)) for v in points), strength=strength, borderline=borderline)


def test_default_bands_by_position_for_4_6_7_and_10_point_scales() -> None:
    assert _scale(range(1, 6)).thresholds() == (4.0, 3.0)  # the 5-point defaults
    assert _scale(range(1, 5)).thresholds() == (3.25, 2.5)
    assert _scale(range(1, 7)).thresholds() == (4.75, 3.5)
    assert _scale(range(1, 8)).thresholds() == (5.5, 4.0)
    assert _scale(range(1, 11)).thresholds() == (7.75, 5.5)
    assert _scale(range(0, 11)).thresholds() == (7.5, 5.0)
    assert _scale(range(1, 4)).thresholds() is None  # three points: no default
    s = _scale(range(1, 8), (6.0, 4.5))  # the template's own bands win
    assert s.thresholds() == (6.0, 4.5) and not s.default_bands
    assert _scale(range(1, 8)).default_bands
    assert _scale(range(1, 8)).band(5.5) == "strength"


def test_band_certain_and_range() -> None:
    s = _scale(range(1, 6), (4.0, 3.0))
    assert s.band_certain(4.2, (4.05, 4.35)) is True
    assert s.band_certain(4.06, (3.98, 4.13)) is False
    assert s.band_range(4.06, (3.98, 4.13)) == "borderline or strength"
    assert s.band_range(3.5, (2.5, 4.5)) == "concern or borderline or strength"
    assert s.band_range(3.5, (3.1, 3.9)) == "borderline"
    assert s.band_certain(3.5, None) is None and s.band_range(3.5, None) == "borderline"


# --------------------------------------------------------------------------- 4. segments


def test_kruskal_wallis_and_bh_match_r() -> None:
    groups = [arr(R["kw.g1"]), arr(R["kw.g2"]), arr(R["kw.g3"])]
    kw = stats.kruskal_wallis(groups)
    assert kw is not None and kw.df == R["kw.df"][0]
    assert kw.statistic == pytest.approx(R["kw.statistic"][0], abs=1e-12)
    assert kw.p == pytest.approx(R["kw.p"][0], abs=1e-12)
    kw2 = stats.kruskal_wallis(groups[:2])
    assert kw2 is not None and kw2.p == pytest.approx(R["kw2.p"][0], abs=1e-12)
    got = stats.p_adjust_bh(R["bh.p"])
    for g, want in zip(got, R["bh.adjusted"], strict=True):
        assert close(g, want)
    assert stats.kruskal_wallis([[1.0, 2.0]]) is None
    same = stats.kruskal_wallis([[3.0, 3.0], [3.0]])
    assert same is not None and same.p is None


def test_gamma_q_matches_scipy() -> None:
    from scipy.special import gammaincc

    for a in (0.5, 1, 1.5, 3, 10, 50):
        for x in (0.01, 0.5, 1, 3, 10, 60, 200):
            assert stats.gamma_q(a, x) == pytest.approx(gammaincc(a, x), rel=1e-10, abs=1e-15)


def test_segments_get_intervals_and_bh_adjusted_tests() -> None:
    from helpers import response_set, small_survey

    from relimpact.scoring.engine import NO_ANSWER, score

    s = small_survey(min_group_size=3)
    rng = np.random.default_rng(11)
    n = 40
    roles = ["Member"] * 18 + ["Staff"] * 12 + ["Funder"] * 8 + [None] * 2
    lift = np.array([{"Member": 0.0, "Staff": 1.2, "Funder": 0.3}.get(r or "", 0) for r in roles])
    data = {
        q: np.clip(np.round(3 + lift * (q.startswith("a")) + rng.normal(0, 0.8, n)), 1, 5).tolist()
        for q in ("a1", "a2", "a3", "n1", "n2")
    }  # fmt: skip
    data["a3"] = (6 - np.array(data["a3"])).tolist()  # reverse-keyed: scored back the same way
    r = score(response_set(s, data, choice={"role": roles}))
    seg = r.segments["role"]
    staff = next(g for g in seg.groups if g.name == "Staff")
    cell = staff.dimensions["lead"]
    assert cell.ci_method == "t" and cell.ci95 is not None and cell.band_certain is not None
    from relimpact.scoring.engine import dimension_matrix, dimension_scores

    rs = response_set(s, data, choice={"role": roles})
    raw = []
    for dim in ("lead", "the_net"):
        sc = dimension_scores(dimension_matrix(s, rs, dim))
        # the 2 who left role blank are hidden, so Funder (8) is hidden too (complementary);
        # the test is over the shown groups only and never the blank group
        groups = [sc[[x == g for x in roles]] for g in ("Member", "Staff")]
        kw = stats.kruskal_wallis(groups)
        assert kw is not None
        t = seg.tests[dim]
        assert t.groups == ("Member", "Staff") and NO_ANSWER not in t.groups
        assert t.p == pytest.approx(kw.p) and t.statistic == pytest.approx(kw.statistic)
        raw.append(kw.p)
    adjusted = stats.p_adjust_bh(raw)
    assert [seg.tests[d].p_adjusted for d in ("lead", "the_net")] == pytest.approx(adjusted)
    d = r.to_dict()
    assert d["segment_tests"]["role"]["lead"]["method"] == "kruskal-wallis"
    assert d["segments"]["role"]["Staff"]["dimensions"]["lead"]["ci_method"] == "t"
    assert "segment_tests" not in d["segments"]["role"]  # group names stay the only keys


# --------------------------------------------------------------------------- 7. who we heard from


@pytest.mark.parametrize("name", ["mc", "mc2"])
def test_monte_carlo_chi_square_and_dissimilarity_match_r(name: str) -> None:
    obs, mem = R[f"{name}.observed"], R[f"{name}.members"]
    p = stats.chisq_gof_monte_carlo(obs, mem)
    want = R[f"{name}.p"][0]
    assert want is not None
    # different generators: agree within 4 Monte Carlo standard errors of B = 10,000
    assert abs(p - want) < 4 * math.sqrt(want * (1 - want) / 10_000) + 1e-4
    assert stats.chisq_gof_monte_carlo(obs, mem) == p  # same seed, same p
    assert stats.chisq_gof_monte_carlo(obs, mem, seed=7) != p or p == 1.0
    assert stats.dissimilarity(obs, mem) == pytest.approx(R[f"{name}.dissimilarity"][0])
    fit = stats.chisq_gof(obs, mem)
    assert fit is not None and fit.simulated and fit.p == p


def test_chi_square_statistic_and_asymptotic_p_match_r() -> None:
    fit = stats.chisq_gof(R["mc.observed"], R["mc.members"])
    assert fit is not None
    assert fit.statistic == pytest.approx(R["mc.statistic"][0], abs=1e-12)
    assert fit.p_asymptotic == pytest.approx(R["mc.asymptotic_p"][0], abs=1e-12)


def test_partial_answers_share() -> None:
    from helpers import response_set, small_survey

    from relimpact.scoring.engine import score

    cols = r_matrix(R, "partial.data")
    s = small_survey(min_group_size=2)
    data = {"a1": cols[0], "a2": cols[1], "a3": cols[2], "n1": [3] * 6, "n2": [3] * 6}
    r = score(response_set(s, data))
    assert r.dimensions["lead"].partial_pct == pytest.approx(R["partial.pct"][0])
    assert r.dimensions["the_net"].partial_pct == 0.0
    assert r.to_dict()["dimensions"]["lead"]["partial_pct"] == pytest.approx(R["partial.pct"][0])


def test_representation_shows_dissimilarity_first() -> None:
    from helpers import response_set, small_survey

    from relimpact.scoring.representation import representation, representation_words

    s = small_survey(min_group_size=2)
    from dataclasses import replace

    s = replace(s, population={"role": {"Member": 40, "Staff": 6, "Funder": 10}})
    roles = ["Member"] * 24 + ["Staff"] * 6 + ["Funder"] * 2
    rs = response_set(s, {q: [3] * 32 for q in ("a1", "a2", "a3", "n1", "n2")}, {"role": roles})
    rep = representation(s, rs, "role")
    assert rep is not None
    assert rep.dissimilarity == pytest.approx(R["mc.dissimilarity"][0])
    words = representation_words(rep)
    assert words.startswith("By role, the respondents' make-up differs from the membership's by")
    assert "chi-square test, simulated p" in words
    d = rep.to_dict()
    assert list(d).index("dissimilarity") < list(d).index("test")
    assert d["test"]["simulated"] and d["test"]["min_expected"] < 5
    assert any("simulated (10,000 Monte Carlo draws" in n for n in rep.notes)


def test_monte_carlo_p_agrees_with_the_exact_multinomial_p() -> None:
    # every table of 32 respondents in 3 groups, weighted by its multinomial probability
    obs, mem = np.array(R["mc.observed"]), np.array(R["mc.members"])
    p = mem / mem.sum()
    e = 32 * p
    stat = float(((obs - e) ** 2 / e).sum())
    exact = 0.0
    for a in range(33):
        for b in range(33 - a):
            x = np.array([a, b, 32 - a - b], dtype=float)
            if float(((x - e) ** 2 / e).sum()) >= stat * (1 - 64 * 2.220446049250313e-16):
                log_p = math.lgamma(33) - sum(math.lgamma(v + 1) for v in x)
                exact += math.exp(log_p + float(np.sum(x * np.log(p))))
    got = stats.chisq_gof_monte_carlo(obs, mem)
    assert abs(got - exact) < 4 * math.sqrt(exact * (1 - exact) / 10_000)


# --------------------------------------------------------------------------- 6. raking


def _rake_case(name: str):  # type: ignore[no-untyped-def]
    role = np.array(R[f"{name}.role"], dtype=np.int64) - 1
    time = np.array(R[f"{name}.time"], dtype=np.int64) - 1
    return role, time, arr(R[f"{name}.score"])


@pytest.mark.parametrize("name", ["rk", "trim"])
def test_rake_and_svymean_match_r_survey(name: str) -> None:
    role, time, y = _rake_case(name)
    raking = stats.rake([role, time], [R[f"{name}.pop_role"], R[f"{name}.pop_time"]])
    assert raking.converged
    assert raking.weights == pytest.approx(arr(R[f"{name}.weights"]), abs=1e-12)
    assert (raking.trimmed > 0) == (name == "trim")
    m = stats.raked_mean(y, raking)
    assert m.mean == pytest.approx(R[f"{name}.mean"][0], abs=1e-12)
    assert m.se == pytest.approx(R[f"{name}.se"][0], abs=1e-12)
    assert m.ci95 == pytest.approx(R[f"{name}.ci"], abs=1e-12)
    assert m.deff == pytest.approx(R[f"{name}.deff_kish"][0], abs=1e-12)
    assert m.n_effective == pytest.approx(R[f"{name}.n_effective"][0], abs=1e-10)


def test_score_rakes_to_every_weight_by_margin() -> None:
    from dataclasses import replace

    from helpers import response_set, small_survey

    from relimpact.scoring.engine import score
    from relimpact.survey.model import Question

    role, time, y = _rake_case("rk")
    s = small_survey(min_group_size=2)
    roles = ("Member", "Staff", "Funder")
    times = ("New", "Some", "Long")
    s = replace(
        s,
        questions=(*s.questions, Question("time", "How long", type="choice", options=times)),
        population={
            "role": dict(zip(roles, map(int, R["rk.pop_role"]), strict=True)),
            "time": dict(zip(times, map(int, R["rk.pop_time"]), strict=True)),
        },
    )
    scale = {"a1": y.tolist(), "a2": y.tolist(), "a3": (6 - y).tolist(),
             "n1": [3.0] * y.size, "n2": [3.0] * y.size}  # fmt: skip
    choice = {"role": [roles[i] for i in role], "time": [times[i] for i in time]}
    r = score(response_set(s, scale, choice), weight_by=["role", "time"])
    assert r.weighted is not None
    lead = r.weighted.dimensions["lead"]
    assert lead.mean == pytest.approx(R["rk.mean"][0], abs=1e-12)
    assert lead.se == pytest.approx(R["rk.se"][0], abs=1e-12)
    assert lead.ci95 == pytest.approx(R["rk.ci"], abs=1e-12)
    assert lead.deff == pytest.approx(R["rk.deff_kish"][0], abs=1e-12)
    d = r.to_dict()["weighted"]
    assert d["margins"] == ["role", "time"] and d["by"] == "role, time"
    assert d["method"] == "raking" and d["trim_cap"] == 5.0
    assert set(d["dimensions"]["lead"]) >= {"mean", "se", "ci95", "deff", "n_effective"}
    # one margin is post-stratification: each weight (M_g / M) / (n_g / n)
    one = score(response_set(s, scale, choice), weight_by="role").weighted
    assert one is not None
    counts = np.bincount(role, minlength=3)
    pop = np.array(R["rk.pop_role"])
    w = (pop / pop.sum()) / (counts / role.size)
    ok = ~np.isnan(y)
    want = float(np.sum(w[role][ok] * y[ok]) / np.sum(w[role][ok]))
    assert one.dimensions["lead"].mean == pytest.approx(want, abs=1e-12)
