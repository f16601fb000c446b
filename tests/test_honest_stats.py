"""Issue 13's statistics against R: the expected figures AND the data are read from the
committed output of tests/r/reference_honest.R (tests/r/reference_honest.out)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rref import r_matrix, r_reference

from relimpact import stats

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

    from relimpact.scoring import score

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
        "reliability (alpha, omega) not computed: only 2 respondent(s) answered both a1 and a2" in w
        for w in r.warnings
    )
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
    assert lead.alpha_ci95 == pytest.approx(stats.feldt_ci(lead.alpha, 28 / 3, 3))
    fit = stats.omega_total(x)
    assert fit is not None and lead.omega_total == pytest.approx(fit.omega_total)
    assert r.to_dict()["dimensions"]["lead"]["omega_total"] == lead.omega_total
    assert r.dimensions["the_net"].omega_total is None  # two items: not identified
