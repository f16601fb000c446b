"""Scoring by counting: the tallied paths (items.tally_dimension, engine.group_tally,
stats.kruskal_wallis_tally, stats.bootstrap_tally_means, stats.tally_median,
stats.tally_mean_ci) give exactly the figures of the direct computations on the values
(bit for bit), and those agree with scipy on random data with ties, blanks and subsets.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from relimpact.scoring import stats
from relimpact.scoring.engine import _rank_columns, group_tally
from relimpact.scoring.items import dimension_scores, tally_dimension


def _answers(rng: np.random.Generator, n: int, k: int, blank: float = 0.25) -> np.ndarray:
    x = rng.integers(1, 6, size=(n, k)).astype(np.float64)
    x[rng.random((n, k)) < blank] = np.nan
    return x


def _same(a: object, b: object) -> bool:
    """Equal to the last bit (NaN equal to NaN), for floats, arrays and tuples."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def group_moments(
    values: np.ndarray, codes: np.ndarray, groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: n, mean and sd (n - 1 denominator) of the non-NaN values, from the
    values themselves (the computation group_tally replaced)."""
    ok = ~np.isnan(values)
    g, x = codes[ok], values[ok]
    n = np.bincount(g, minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=x, minlength=groups) / n
        dev = np.bincount(g, weights=(x - mean[g]) ** 2, minlength=groups)
        sd = np.where(n >= 2, np.sqrt(dev / (n - 1)), np.nan)
    return n, mean, sd


def _favourable_directly(
    items: list[np.ndarray], codes: np.ndarray, groups: int, threshold: int
) -> np.ndarray:
    """Each group's mean over items of the item's % favourable, item by item on the values
    (the computation group_tally replaced)."""
    pcts = []
    for values in items:
        ok = ~np.isnan(values)
        n = np.bincount(codes[ok], minlength=groups)
        fav = np.bincount(codes[ok], weights=values[ok] >= threshold, minlength=groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            pcts.append(100.0 * fav / n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.vstack(pcts), axis=0)


# --------------------------------------------------------------------------- the tally


@pytest.mark.parametrize("seed", range(40))
def test_tally_gives_the_scores_and_their_counts(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(0, 400)), int(rng.integers(1, 7))
    x = _answers(rng, n, k, blank=float(rng.choice([0.0, 0.2, 0.6])))
    if seed % 4 == 1:
        x = x + rng.choice([0.0, 0.5, 1 / 3], size=x.shape)  # not whole numbers: sorted
    if seed % 4 == 2 and k > 1:
        x[:, 0] = np.nan  # an item nobody answered
    if seed % 4 == 3:
        x = 6.0 - x - 3.0  # points below zero
    t = tally_dimension(x)
    scores = dimension_scores(x) if n else np.empty(0)
    assert _same(t.scores(), scores)
    assert _same(t.values[t.pattern], x)
    assert _same(tally_dimension([x[:, j] for j in range(k)]).scores(), scores)
    valid = scores[~np.isnan(scores)]
    distinct, counts = np.unique(valid, return_counts=True)
    assert _same(t.distinct, distinct)
    assert _same(t.counts(t.frequencies), counts)
    assert stats.tally_median(distinct, counts) == (float(np.median(valid)) if valid.size else None)


def test_tally_of_many_items_sorts_the_keys() -> None:
    # 14 items on 0-10: more possible combinations than a counting table holds
    rng = np.random.default_rng(3)
    x = rng.integers(0, 11, size=(500, 14)).astype(np.float64)
    x[rng.random(x.shape) < 0.1] = np.nan
    t = tally_dimension(x)
    assert _same(t.scores(), dimension_scores(x)) and _same(t.values[t.pattern], x)


# --------------------------------------------------------------------------- Kruskal-Wallis


def _kw_table(values: np.ndarray, codes: np.ndarray, groups: list[int]) -> np.ndarray:
    t = tally_dimension(values[:, None])
    table = np.vstack([t.counts(np.bincount(t.pattern[codes == g], minlength=len(t.score)))
                       for g in groups])  # fmt: skip
    return _rank_columns(table, t.distinct)


@pytest.mark.parametrize("seed", range(30))
def test_kruskal_from_counts_is_the_kruskal_of_the_values(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(8, 3000))
    scores = dimension_scores(_answers(rng, n, int(rng.integers(1, 5))))
    groups = int(rng.integers(2, 7))
    codes = rng.integers(0, groups, size=n)
    # a subset of the groups, as a segment shows only some of them
    shown = sorted(rng.choice(groups, size=int(rng.integers(2, groups + 1)), replace=False))
    values = [scores[codes == g] for g in shown]
    direct = stats.kruskal_wallis(values)
    tallied = stats.kruskal_wallis_tally(_kw_table(scores, codes, shown))
    assert direct is not None and tallied is not None
    assert _same(tallied.statistic, direct.statistic) and _same(tallied.p, direct.p)
    assert (tallied.df, tallied.n) == (direct.df, direct.n)
    ref = sps.kruskal(*[v[~np.isnan(v)] for v in values])
    assert tallied.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert tallied.p == pytest.approx(ref.pvalue, rel=1e-8, abs=1e-300)


def test_kruskal_from_counts_edge_cases() -> None:
    assert stats.kruskal_wallis_tally([[2, 1]]) is None  # one group
    assert stats.kruskal_wallis_tally([[2, 1], [0, 0]]) is None  # the other is empty
    same = stats.kruskal_wallis_tally([[2], [1]])  # every value the same: R gives NaN
    assert same is not None and same.p is None and math.isnan(same.statistic)
    # an empty group in between is left out, as kruskal_wallis leaves it out
    direct = stats.kruskal_wallis([[1.0, 2.0, 2.0], [], [3.0, 1.0]])
    tallied = stats.kruskal_wallis_tally([[1, 2, 0], [0, 0, 0], [1, 0, 1]])
    assert direct is not None and tallied is not None
    assert _same((tallied.statistic, tallied.p, tallied.df), (direct.statistic, direct.p, 1))


def test_scores_equal_once_rounded_are_tied() -> None:
    # 0.1 + 0.2 and 0.3 differ in the last bit: the rank tests round to 10 decimals
    values = np.array([0.1 + 0.2, 0.3, 0.3, 0.5, 0.1 + 0.2, 0.5, 0.7])
    codes = np.array([0, 0, 1, 1, 1, 0, 1])
    table = _kw_table(values, codes, [0, 1])
    assert table.shape[1] == 3
    direct = stats.kruskal_wallis([values[codes == 0], values[codes == 1]])
    tallied = stats.kruskal_wallis_tally(table)
    assert direct is not None and tallied is not None
    assert _same((tallied.statistic, tallied.p), (direct.statistic, direct.p))


# --------------------------------------------------------------------------- intervals


@pytest.mark.parametrize("n", [1, 9, 10, 29, 30, 31, 200, 5000])
def test_tallied_intervals_are_the_intervals_of_the_values(n: int) -> None:
    rng = np.random.default_rng(n)
    v = dimension_scores(_answers(rng, n, 3, blank=0.1))
    v = v[~np.isnan(v)]
    distinct, counts = np.unique(v, return_counts=True)
    for seed in (stats.DEFAULT_SEED, 7):
        assert _same(
            stats.bootstrap_tally_means(distinct, counts, seed=seed),
            stats.bootstrap_means(v, seed=seed),
        )
        for population in (None, 2 * n + 3, n + 1):
            want = stats.mean_ci(v, seed=seed, population=population)
            got = stats.tally_mean_ci(distinct, counts, lambda: v, seed=seed, population=population)
            assert got == want
            mean = float(np.mean(v)) if v.size else None
            got = stats.tally_mean_ci(
                distinct, counts, lambda: v, seed=seed, population=population, mean=mean
            )
            assert got == want
    assert stats.bootstrap_tally_means([], []).size == 0
    assert stats.tally_median([], []) is None


# --------------------------------------------------------------------------- breakdowns


@pytest.mark.parametrize("seed", range(25))
def test_group_tally_is_the_direct_breakdown(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    n, k = int(rng.integers(0, 2000)), int(rng.integers(1, 6))
    x = _answers(rng, n, k, blank=float(rng.choice([0.05, 0.3, 0.7])))
    groups = int(rng.integers(1, 8))
    codes = rng.integers(0, groups, size=n)
    t = tally_dimension(x)
    scores = t.scores()
    for threshold in (4, None):
        gt = group_tally(t, codes, groups, threshold)
        want_n, want_mean, want_sd = group_moments(scores, codes, groups)
        assert _same(gt.n, want_n) and _same(gt.mean, want_mean) and _same(gt.sd, want_sd)
        if threshold is None:
            assert np.isnan(gt.favourable).all()
        else:
            want = _favourable_directly([x[:, j] for j in range(k)], codes, groups, threshold)
            assert _same(gt.favourable, want)
        for g in range(groups):
            v = scores[codes == g]
            distinct, counts = np.unique(v[~np.isnan(v)], return_counts=True)
            here = gt.counts[g] > 0
            assert _same(t.distinct[here], distinct) and _same(gt.counts[g][here], counts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 3),
            st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3),
        ),
        max_size=60,
    )
)
def test_breakdown_and_test_by_counting_on_any_answers(
    rows: list[tuple[int, list[int | None]]],
) -> None:
    codes = np.array([g for g, _ in rows], dtype=np.intp)
    x = np.array([[np.nan if a is None else a for a in r] for _, r in rows], dtype=np.float64)
    x = x.reshape(len(rows), 3)
    t = tally_dimension(x)
    scores = dimension_scores(x) if len(rows) else np.empty(0)
    assert _same(t.scores(), scores)
    gt = group_tally(t, codes, 4, 4)
    want = group_moments(scores, codes, 4)
    assert _same((gt.n, gt.mean, gt.sd), want)
    assert _same(gt.favourable, _favourable_directly([x[:, j] for j in range(3)], codes, 4, 4))
    direct = stats.kruskal_wallis([scores[codes == g] for g in range(4)])
    tallied = stats.kruskal_wallis_tally(_rank_columns(gt.counts, t.distinct))
    if direct is None:
        assert tallied is None
    else:
        assert tallied is not None
        assert _same((tallied.statistic, tallied.p, tallied.df), (direct.statistic, direct.p,
                                                                 direct.df))  # fmt: skip


@pytest.mark.parametrize("seed", range(20))
def test_counted_item_means_are_nanmean(seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    n, k = int(rng.integers(1, 3000)), int(rng.integers(1, 6))
    x = _answers(rng, n, k, blank=float(rng.choice([0.0, 0.3, 0.8])))
    if seed % 3 == 0:
        x[:, -1] = np.nan  # nobody answered the last item: its shift is 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = np.nanmean(x, axis=0, dtype=np.float64)
    want = np.where(np.isnan(want), 0.0, want)
    t = tally_dimension(x)
    assert _same(t.item_means(), want)
    assert t.scored == int(np.count_nonzero(~np.isnan(dimension_scores(x))))
    # the moments and the correlations are the same with the counted shift
    assert _same(stats.pairwise_moments(x, t.item_means()).cov(), stats.pairwise_moments(x).cov())
    if k >= 3 and seed % 3:
        assert _same(stats.pairwise_cor(x, t.item_means()), stats.pairwise_cor(x))
        a, b = stats.omega_total(x, t.item_means()), stats.omega_total(x)
        assert (a is None and b is None) or (a is not None and b is not None and a == b)
    if not np.isnan(x).all():  # not whole numbers: not counted
        assert tally_dimension(x + 0.5).item_means() is None


@pytest.mark.parametrize("seed", range(10))
def test_item_figures_from_the_tally_are_the_counted_ones(seed: int) -> None:
    from helpers import response_set, small_survey

    from relimpact.scoring.engine import _answer_counts, _item_result
    from relimpact.scoring.items import scored_item

    s = small_survey()
    rng = np.random.default_rng(400 + seed)
    n = int(rng.integers(1, 300))
    data = {q: _answers(rng, n, 1, blank=0.3)[:, 0].tolist() for q in ("a1", "a2", "a3")}
    rs = response_set(s, {**data, "n1": [1.0] * n, "n2": [None] * n})
    qs = s.questions_of("lead")  # a3 is reverse-keyed
    t = tally_dimension([scored_item(s, rs, q) for q in qs])
    for j, q in enumerate(qs):
        counts = _answer_counts(s, q, t, j)
        assert counts is not None
        assert _item_result(s, rs, q, None, counts) == _item_result(s, rs, q, None)


def test_tally_of_unusual_values() -> None:
    # infinities and huge values are not whole-number points: the rows are sorted instead
    for x in (
        np.array([[1.0, np.inf], [2.0, 3.0], [1.0, np.inf], [np.nan, np.nan]]),
        np.array([[1.0, 1e300], [2.0, 3.0], [np.nan, -1e300]]),
        np.array([[1.0, 2.0**62], [2.0, 3.0]]),
    ):
        t = tally_dimension(x)
        assert _same(t.scores(), dimension_scores(x)) and _same(t.values[t.pattern], x)
    empty = tally_dimension(np.empty((0, 3)))
    assert empty.respondents == 0 and empty.scored == 0 and empty.distinct.size == 0


# --------------------------------------------------------------------------- change


def _tied(rng: np.random.Generator, n: int) -> np.ndarray:
    """Differences of dimension-like scores: many ties, both signs, some zeros."""
    a = rng.integers(1, 6, size=(n, 3)).mean(axis=1)
    b = rng.integers(1, 6, size=(n, 2)).mean(axis=1)
    return np.round(a - b, stats.RANK_DECIMALS)


@pytest.mark.parametrize("seed", range(25))
def test_rank_tallies_are_the_ranks_of_the_values(seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    d = _tied(rng, int(rng.integers(1, 3000)))
    d = d[d != 0]
    ranks = stats.rank_average(np.abs(d))
    v, ties = stats.signed_rank_tally(*np.unique(d, return_counts=True))
    assert _same(v, float(ranks[d > 0].sum()))
    assert _same(ties, np.unique(ranks, return_counts=True)[1])
    x, y = _tied(rng, int(rng.integers(1, 2000))), _tied(rng, int(rng.integers(1, 2000)))
    m = float(rng.choice([0.0, 0.25, 1 / 3, -0.5]))
    pooled = stats.rank_average(np.concatenate([x - m, y]))
    ux, cx = np.unique(x, return_counts=True)
    ranked, ties = stats.rank_sum_tally(ux - m, cx, *np.unique(y, return_counts=True))
    assert _same(ranked, float(pooled[: x.size].sum()))
    assert _same(ties, np.unique(pooled, return_counts=True)[1])
    assert stats.signed_rank_tally([], []) == (0.0, pytest.approx(np.empty(0)))


@pytest.mark.parametrize("seed", range(6))
def test_change_tests_on_many_tied_scores_agree_with_scipy(seed: int) -> None:
    rng = np.random.default_rng(600 + seed)
    n = 20_000
    after = rng.integers(1, 6, size=(n, 3)).mean(axis=1)
    before = np.clip(after + rng.choice([-1, -1 / 3, 0, 0, 1 / 3, 2 / 3], size=n), 1, 5)
    t = stats.wilcoxon_signed_rank(after, before)
    d = np.round(after - before, stats.RANK_DECIMALS)
    ref = sps.wilcoxon(d, zero_method="wilcox", correction=True, method="approx")
    assert t.p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
    u = stats.mann_whitney(after[: n // 2], before[n // 2 :])
    # R (and this) rank the values rounded to 10 decimals: 1/3 + 1 and 4/3 are one value
    rounded = np.round(after, stats.RANK_DECIMALS), np.round(before, stats.RANK_DECIMALS)
    ref = sps.mannwhitneyu(rounded[0][: n // 2], rounded[1][n // 2 :], method="asymptotic")
    assert u.p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
    # The Hodges-Lehmann shifts (R's wilcox.test conf.int: uniroot, tol 1e-4, over the
    # tallied W(m)) are the ones the sort-based code gave, recorded here for seed 600.
    # With a true shift of 0 on such tied data W(m) is a step function: the estimate is
    # within R's tolerance of 0 and the interval's ends sit at or next to 0, in either
    # order, as R's do.
    paired = stats.hodges_lehmann_paired(after, before)
    groups = stats.hodges_lehmann_shift(after[: n // 2], before[n // 2 :])
    for shift in (paired, groups):
        assert shift.estimate is not None and shift.ci is not None
        assert abs(shift.estimate) < 1e-4 and max(map(abs, shift.ci)) < 0.34  # steps of 1/6
    if seed == 0:
        assert (paired.estimate, paired.ci, paired.n) == (
            1.1818319048661596e-05,
            (4.904190600792886e-05, 1.1463124621642753e-06),
            13241,
        )
        assert (groups.estimate, groups.ci, groups.n) == (
            6.187375729558659e-05,
            (-1.9716321483875232e-05, 8.847746371685207e-05),
            20000,
        )


@pytest.mark.parametrize("seed", range(8))
def test_group_tally_of_many_combinations_sorts_them(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import relimpact.scoring.engine as engine

    monkeypatch.setattr(engine, "_DENSE_CELLS", 0)  # as if the table were too large
    rng = np.random.default_rng(700 + seed)
    n = int(rng.integers(50, 400))
    x = rng.integers(0, 11, size=(n, 6)).astype(np.float64)  # nearly every row its own
    x[rng.random(x.shape) < 0.2] = np.nan
    groups = 9
    codes = rng.integers(0, groups, size=n)
    t = tally_dimension(x)
    assert groups * len(t.score) > 2 * n  # the sorted path
    gt = group_tally(t, codes, groups, 7)
    assert _same((gt.n, gt.mean, gt.sd), group_moments(t.scores(), codes, groups))
    want = _favourable_directly([x[:, j] for j in range(6)], codes, groups, 7)
    assert _same(gt.favourable, want)
    for g in range(groups):
        v = t.scores()[codes == g]
        distinct, counts = np.unique(v[~np.isnan(v)], return_counts=True)
        here = gt.counts[g] > 0
        assert _same(t.distinct[here], distinct) and _same(gt.counts[g][here], counts)
