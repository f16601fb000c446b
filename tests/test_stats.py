"""Tests of relimpact.scoring.stats against independent references.

Numbers marked "R" come from tests/r/reference_stats.R (R 4.2.2, psych 2.2.9); its
printed output is tests/r/reference_stats.out, and the data below are copied from it.
Run ``Rscript tests/r/reference_stats.R`` to see them again.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from relimpact.scoring import stats

nan = math.nan
REL = 1e-9  # same algorithm as R: agreement to R's 15 printed digits, with room to spare


def close(actual: float | None, expected: float, rel: float = REL) -> bool:
    return actual is not None and math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-14)


# --------------------------------------------------------------------------- data from R

# R "alpha5": 30 x 5 items on 1..5 from set.seed(20231107), NA = missing, row 7 all missing.
ALPHA5 = np.array(
    [
        [2, 4, 2, 2, 2], [2, 2, 2, 4, 3], [4, 4, nan, 3, 3], [4, 3, 4, 4, 3],
        [1, nan, 2, 2, 1], [3, 3, nan, 3, 4], [nan, nan, nan, nan, nan], [5, 5, 4, 3, 5],
        [nan, 3, 1, 2, 2], [1, 1, 1, 1, 1], [3, 4, 4, nan, 4], [1, 2, 3, 3, 1],
        [4, 2, 3, 2, 3], [4, 2, nan, 4, 3], [2, 2, 4, 5, 3], [2, 4, 3, 4, 3],
        [2, 3, 2, 1, 3], [5, 3, 4, 4, nan], [nan, 2, 4, nan, 4], [3, 3, 2, 2, 1],
        [5, 5, 5, 5, nan], [3, 3, 2, 3, 4], [5, 4, 4, 5, 5], [3, 2, 3, 2, 3],
        [2, 2, 3, 3, 4], [3, 3, 3, 3, 5], [2, 2, 2, 4, 4], [nan, nan, 5, 3, 5],
        [3, 4, 5, nan, 4], [1, 2, nan, 1, 1],
    ]
)  # fmt: skip
# R: cov(alpha5, use = "pairwise")
ALPHA5_COV = [
    [1.706153846153846, 0.790000000000000, 0.958874458874459, 0.831521739130435, 1.012681159420290],
    [0.790000000000000, 1.071225071225071, 0.592885375494071, 0.396739130434783, 0.520000000000000],
    [0.958874458874459, 0.592885375494071, 1.410000000000000, 0.909090909090909, 0.962450592885375],
    [0.831521739130435, 0.396739130434783, 0.909090909090909, 1.440000000000000, 0.826086956521739],
    [1.012681159420290, 0.520000000000000, 0.962450592885375, 0.826086956521739, 1.717948717948718],
]  # fmt: skip
# R: psych::alpha(alpha5, use = "pairwise", check.keys = FALSE)
ALPHA5_RAW = 0.849857742778077
ALPHA5_FELDT = (0.744134135639399, 0.920505190608805)  # $feldt, n = nrow = 30
ALPHA5_R_DROP = [0.733774215604229, 0.534565679441606, 0.752200742089703, 0.625667179758194,
                 0.663483605999898]  # fmt: skip
ALPHA5_ALPHA_DROP = [0.798320544055086, 0.849094775187739, 0.794592613161886, 0.827927711848702,
                     0.818910149699518]  # fmt: skip

# R "alpha3": 12 x 3, the third item keyed the wrong way (negative covariances).
ALPHA3 = np.array(
    [
        [5, 2, 2], [nan, 4, 2], [3, 3, 5], [4, 3, 2], [1, nan, 2], [4, 5, nan],
        [2, 2, 4], [4, 4, 5], [nan, 3, 3], [3, 3, 4], [3, 4, 3], [3, 1, 4],
    ]
)  # fmt: skip
ALPHA3_RAW = 0.0901211113749704
ALPHA3_FELDT = (-1.408314886270813, 0.715400164387437)
ALPHA3_R_DROP = [0.106717417355391, 0.100148544246389, -0.058482119549538]
ALPHA3_ALPHA_DROP = [-0.1035294117647059, -0.0856031128404671, 0.3246966218432272]


# --------------------------------------------------------------------------- descriptives


def test_mean_sd_median_matches_r() -> None:
    x = [3.0, 4.5, nan, 2.0, 5.0, 4.0, 3.5, nan, 1.0, 4.0]
    mean, sd, median = stats.mean_sd_median(np.array(x, dtype=np.float32))
    # R: mean(x, na.rm = TRUE), sd(x, na.rm = TRUE), median(x, na.rm = TRUE)
    assert close(mean, 3.375) and close(sd, 1.32960789064188) and close(median, 3.75)


def test_mean_sd_median_undefined_parts_are_none() -> None:
    assert stats.mean_sd_median([]) == (None, None, None)
    assert stats.mean_sd_median([nan, nan]) == (None, None, None)
    assert stats.mean_sd_median([4.0, nan]) == (4.0, None, 4.0)
    assert stats.mean_sd_median([1, 2, 3, 10]) == (4.0, pytest.approx(math.sqrt(50 / 3)), 2.5)


def test_percent_favourable_hand_worked() -> None:
    # 3 of the 5 answered values are at or above 4; the n/a (NaN) is not counted.
    assert stats.percent_favourable([5, 4, 3, nan, 4, 1], 4) == 60.0
    assert stats.percent_favourable([2, 3], 4) == 0.0
    assert stats.percent_favourable([nan], 4) is None


# --------------------------------------------------------------------------- reliability


def test_pairwise_cov_matches_r_cov_pairwise() -> None:
    np.testing.assert_allclose(stats.pairwise_cov(ALPHA5), ALPHA5_COV, rtol=REL)


def test_pairwise_moments_stream_in_chunks_with_a_common_shift() -> None:
    shift = np.full(5, 3.0)  # the scale midpoint, known before any row is read
    parts = [stats.pairwise_moments(ALPHA5[i : i + 7], shift) for i in range(0, 30, 7)]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    np.testing.assert_allclose(total.cov(), ALPHA5_COV, rtol=REL)
    assert total.n[0, 0] == 26 and total.n[0, 2] == 22  # pairwise counts
    chunked = stats.pairwise_moments(ALPHA5, chunk_rows=4).cov()
    np.testing.assert_allclose(chunked, ALPHA5_COV, rtol=REL)
    with pytest.raises(ValueError):
        total + stats.pairwise_moments(ALPHA5)  # different shift


def test_pairwise_cov_marks_pairs_with_fewer_than_two_rows_missing() -> None:
    x = np.array([[1, nan], [2, nan], [3, 5.0]])
    c = stats.pairwise_cov(x)
    assert c[0, 0] == 1.0 and np.isnan(c[1, 1]) and np.isnan(c[0, 1])
    assert stats.cronbach_alpha(x) is None


def test_cronbach_alpha_matches_r_psych_pairwise() -> None:
    assert close(stats.cronbach_alpha(ALPHA5), ALPHA5_RAW)
    assert close(stats.cronbach_alpha(ALPHA3), ALPHA3_RAW)


def test_cronbach_alpha_hand_worked_and_undefined() -> None:
    # Two items, C = [[1, 0.5], [0.5, 1]]: alpha = 2 * (1 - 2/3) = 2/3.
    x = np.array([[1, 1], [2, 3], [3, 2.0]])
    np.testing.assert_allclose(stats.pairwise_cov(x), [[1, 0.5], [0.5, 1]])
    assert close(stats.cronbach_alpha(x), 2 / 3)
    assert stats.cronbach_alpha(np.array([[1.0], [2.0], [4.0]])) is None  # one item
    assert stats.cronbach_alpha(np.full((4, 3), 2.0)) is None  # no variance: sum(C) = 0
    assert stats.alpha_from_cov(np.array([[1.0, 0.2], [0.2, 1.0]])) == pytest.approx(1 / 3)


def test_feldt_matches_r_psych_and_uses_the_number_of_rows() -> None:
    # psych::alpha calls alpha.ci(alpha, nsub, nvar) with nsub <- dim(x)[1]: all 30 rows,
    # including row 7 with no answers, not the 29 respondents who answered.
    lo, hi = stats.feldt_ci(ALPHA5_RAW, 30, 5)
    assert close(lo, ALPHA5_FELDT[0]) and close(hi, ALPHA5_FELDT[1])
    lo29, _ = stats.feldt_ci(ALPHA5_RAW, 29, 5)
    assert not close(lo29, ALPHA5_FELDT[0], rel=1e-4)
    lo, hi = stats.feldt_ci(ALPHA3_RAW, 12, 3)
    assert close(lo, ALPHA3_FELDT[0]) and close(hi, ALPHA3_FELDT[1])


def test_feldt_bfi_agreeableness_reference() -> None:
    # Issue 4: psychTools bfi A1..A5 (A1 reversed as 7 - x), pairwise: raw alpha 0.7030184,
    # Feldt [0.685264, 0.720063], n = 2800 rows, k = 5. From (alpha, n, k) alone.
    lo, hi = stats.feldt_ci(0.7030184, 2800, 5)
    assert round(lo, 6) == 0.685264 and round(hi, 6) == 0.720063
    # R: psych::alpha.ci(0.7030184, n.obs = 2800, n.var = 5), full precision.
    assert close(lo, 0.685264277075701) and close(hi, 0.720063346485538)


def test_feldt_undefined_and_level() -> None:
    assert stats.feldt_ci(None, 30, 5) is None
    assert stats.feldt_ci(0.8, 1, 5) is None
    assert stats.feldt_ci(0.8, 30, 1) is None
    lo90, hi90 = stats.feldt_ci(0.8, 30, 5, level=0.90)
    lo95, hi95 = stats.feldt_ci(0.8, 30, 5)
    assert lo95 < lo90 < 0.8 < hi90 < hi95


def test_item_rest_matches_r_psych() -> None:
    for data, r_drop, alpha_drop in (
        (ALPHA5, ALPHA5_R_DROP, ALPHA5_ALPHA_DROP),
        (ALPHA3, ALPHA3_R_DROP, ALPHA3_ALPHA_DROP),
    ):
        got = stats.item_rest(data)
        assert len(got) == len(r_drop)
        for item, r, a in zip(got, r_drop, alpha_drop, strict=True):
            assert close(item.r_drop, r) and close(item.alpha_drop, a)


def test_item_rest_with_two_items_and_one_item() -> None:
    x = np.array([[1, 1], [2, 3], [3, 2.0]])
    two = stats.item_rest(x)
    # With two items the rest is the other item: r_drop is their correlation, 0.5.
    assert [i.r_drop for i in two] == [pytest.approx(0.5), pytest.approx(0.5)]
    assert [i.alpha_drop for i in two] == [None, None]
    assert stats.item_rest(np.array([[1.0], [2.0]])) == (stats.ItemRest(None, None),)


def test_cronbach_alpha_large_matrix() -> None:
    # Speed is measured in benchmarks/, not asserted here; this checks the chunked sums.
    rng = np.random.default_rng(7)
    x = rng.integers(1, 6, size=(1_000_000, 8)).astype(np.float32)
    x[rng.random(x.shape) < 0.05] = np.nan
    alpha = stats.cronbach_alpha(x)
    assert alpha is not None and abs(alpha) < 0.05  # independent items: alpha near 0


def test_cronbach_alpha_agrees_with_pingouin() -> None:
    pg = pytest.importorskip("pingouin")
    pd = pytest.importorskip("pandas")
    # pingouin's documented examples (docstring of pingouin.cronbach_alpha).
    wide = pg.read_dataset("cronbach_wide_missing")
    alpha = stats.cronbach_alpha(wide.to_numpy(dtype=float))
    assert close(alpha, 0.732660835214447)
    lo, hi = stats.feldt_ci(alpha, len(wide), wide.shape[1])
    assert (round(lo, 3), round(hi, 3)) == (0.435, 0.909)
    long = pg.read_dataset("cronbach_alpha")
    table = long.pivot_table(index="Subj", columns="Items", values="Scores", dropna=False)
    alpha = stats.cronbach_alpha(table.to_numpy(dtype=float))
    assert close(alpha, 0.5917188485995826)
    lo, hi = stats.feldt_ci(alpha, table.shape[0], table.shape[1])
    assert (round(lo, 3), round(hi, 3)) == (0.195, 0.84)
    # And pingouin computed live on the R data and on random data with gaps.
    rng = np.random.default_rng(3)
    noisy = rng.integers(1, 6, size=(200, 6)).astype(float) + rng.normal(size=(200, 1))
    noisy[rng.random(noisy.shape) < 0.1] = np.nan
    for data in (ALPHA5, noisy):
        expected, ci = pg.cronbach_alpha(pd.DataFrame(data))
        assert close(stats.cronbach_alpha(data), float(expected))
        lo, hi = stats.feldt_ci(float(expected), data.shape[0], data.shape[1])
        assert (round(lo, 3), round(hi, 3)) == tuple(ci)


def test_describe_alpha_words() -> None:
    assert stats.describe_alpha(0.85, 5) == "good (0.80 or more)"
    assert stats.describe_alpha(0.8, 4) == "good (0.80 or more)"
    assert stats.describe_alpha(0.75, 4).startswith("acceptable")
    assert stats.describe_alpha(0.65, 4).startswith("questionable")
    assert stats.describe_alpha(0.3, 4).startswith("low")
    assert stats.describe_alpha(-0.2, 3).startswith("low")
    assert stats.describe_alpha(0.9, 2) == "good (0.80 or more); only 2 items"
    assert stats.describe_alpha(None, 1) == "not available (fewer than two items)"


# --------------------------------------------------------------------------- bootstrap


def _scores(n: int, seed: int) -> np.ndarray:
    """Dimension scores: means of three 1-5 items, a few blanks."""
    rng = np.random.default_rng(seed)
    v = rng.integers(1, 6, size=(n, 3)).mean(axis=1)
    v[rng.random(n) < 0.02] = np.nan
    return v


def test_bootstrap_is_deterministic_and_seeded() -> None:
    v = _scores(300, 1)
    a = stats.bootstrap_mean_ci(v)
    assert a == stats.bootstrap_mean_ci(v.copy())
    assert a == stats.bootstrap_mean_ci(v, seed=stats.DEFAULT_SEED)
    assert a != stats.bootstrap_mean_ci(v, seed=stats.DEFAULT_SEED + 1)
    assert stats.bootstrap_mean_ci(v[::-1]) == a  # row order does not matter
    lo, hi = a
    assert lo < float(np.nanmean(v)) < hi


def test_bootstrap_agrees_with_row_resampling() -> None:
    v = _scores(400, 2)
    present = v[~np.isnan(v)]
    rng = np.random.default_rng(99)
    rows = rng.integers(0, present.size, size=(20_000, present.size))
    row_means = present[rows].mean(axis=1)
    lo_rows, hi_rows = np.quantile(row_means, [0.025, 0.975])
    means = stats.bootstrap_means(v, resamples=20_000)
    lo, hi = stats.bootstrap_mean_ci(v, resamples=20_000)
    assert abs(lo - lo_rows) < 0.01 and abs(hi - hi_rows) < 0.01
    # The bootstrap distribution of the mean: centred on the mean, sd = s * sqrt((n-1)/n) / sqrt(n).
    n = present.size
    assert abs(means.mean() - present.mean()) < 0.002
    expected_sd = present.std(ddof=0) / math.sqrt(n)
    assert abs(means.std() - expected_sd) / expected_sd < 0.03


def test_bootstrap_agrees_with_scipy_percentile() -> None:
    v = _scores(250, 3)
    present = v[~np.isnan(v)]
    res = sps.bootstrap(
        (present,), np.mean, n_resamples=20_000, method="percentile",
        random_state=np.random.default_rng(5), vectorized=True,
    )  # fmt: skip
    lo, hi = stats.bootstrap_mean_ci(v, resamples=20_000)
    assert abs(lo - res.confidence_interval.low) < 0.01
    assert abs(hi - res.confidence_interval.high) < 0.01


def test_bootstrap_edge_cases_and_large_n() -> None:
    assert stats.bootstrap_mean_ci([]) is None
    assert stats.bootstrap_mean_ci([nan]) is None
    assert stats.bootstrap_mean_ci([3.5]) == (3.5, 3.5)
    assert stats.bootstrap_mean_ci([2.0, 2.0, 2.0]) == (2.0, 2.0)
    big = _scores(1_000_000, 4)
    lo, hi = stats.bootstrap_mean_ci(big)
    assert lo < float(np.nanmean(big)) < hi and hi - lo < 0.01
    # Many distinct values still work (memory is bounded by drawing in blocks).
    spread = np.random.default_rng(6).normal(size=5000)
    lo, hi = stats.bootstrap_mean_ci(spread, resamples=2000)
    assert lo < spread.mean() < hi


# --------------------------------------------------------------------------- signed rank


def rank_biserial_paired(v: float, n: int) -> float:
    """(R+ - R-) / (R+ + R-) from R's V (= R+) and n ranked differences."""
    total = n * (n + 1) / 2
    return (2 * v - total) / total


def test_signed_rank_exact_branch_matches_r() -> None:
    after = [3.55, 4.91, 2.34, 4.28, 4.09, 4.57, 3.45, 1.72, 4.15, 0.96, 3.61, 2.00, 1.88, 4.91]
    before = [3.63, 3.25, 2.07, 4.21, 2.13, 4.91, 4.45, 2.42, 3.41, 1.41, 2.84, 1.65, 2.76, 2.35]
    r = stats.wilcoxon_signed_rank(after, before)
    # R "paired 7": wilcox.test(after, before, paired = TRUE): exact, V = 65, p = 0.463134765625
    assert r.exact and r.statistic == 65 and close(r.p, 0.463134765625)
    assert r.n == r.n_ranked == 14 and r.z is None
    assert close(r.effect_size, rank_biserial_paired(65, 14))
    assert (r.improved, r.same, r.declined) == (8, 0, 6)
    # scipy's exact signed-rank test agrees.
    d = np.round(np.subtract(after, before), 10)
    assert close(r.p, float(sps.wilcoxon(d, method="exact").pvalue))


def test_signed_rank_sees_the_tie_that_float_noise_hides_from_r() -> None:
    after = [4.218, 5.070, 3.122, 0.947, 3.912, 2.197, 2.413, 1.699, 4.386, 4.101, 4.144, 3.595]
    before = [4.871, 4.923, 1.589, 1.078, 4.504, 1.599, 1.836, 2.078, 3.901, 2.906, 4.797, 2.848]
    r = stats.wilcoxon_signed_rank(after, before)
    # |d| = 0.653 twice. R "paired 1": wilcox.test(round(after - before, 10)): V = 51,
    # p = 0.366801199395017 (normal approximation, as there is a tie). R's default
    # (digits.rank = Inf) sees -0.65300000000000047 and -0.65299999999999958, no tie, and
    # reports the exact p = 0.38037109375.
    assert not r.exact and r.statistic == 51 and close(r.p, 0.366801199395017)
    assert close(r.effect_size, rank_biserial_paired(51, 12))
    assert (r.improved, r.same, r.declined) == (7, 0, 5)


def test_signed_rank_ties_and_zeros_matches_r() -> None:
    after = [2.5, 3.0, 3.0, nan, 2.5, 2.5, 2.5, 5.0, 4.0, 4.0, 5.0, 2.0, 3.0, 3.0, 4.0, 4.0, 2.0,
             nan, 5.0, 3.5, 4.5, 3.0, 0.5, 4.5, 4.0]  # fmt: skip
    before = [2.0, 1.5, 2.5, 3.5, 2.0, 3.5, 3.0, 4.5, 3.0, 2.5, 5.0, 2.5, 2.0, 2.5, 3.5, 4.5, 2.5,
              3.5, 5.0, 4.5, 3.0, 2.5, 1.5, 3.5, 3.5]  # fmt: skip
    r = stats.wilcoxon_signed_rank(after, before)
    # R: V = 158.5, p = 0.129812651823822 (continuity correction; ties and zeros)
    assert not r.exact and r.statistic == 158.5 and close(r.p, 0.129812651823822)
    assert r.n == 23 and (r.improved, r.same, r.declined) == (14, 2, 7)
    assert r.n_ranked == 21
    assert close(r.effect_size, rank_biserial_paired(158.5, 21))


def test_signed_rank_large_n_normal_branch_matches_r() -> None:
    # fmt: off
    after = [3.9513, 4.7086, 3.2478, 5.4278, 3.7594, 3.7110, 2.9783, 3.4972, 3.3629, 2.6428,
             4.5638, 3.5008, 4.2246, 1.4807, 4.6104, 2.7881, 4.5367, 4.3577, 2.3121, 3.2023,
             0.3214, 2.2332, 4.1575, 2.2402, 1.9351, 1.7387, 4.4637, 4.0315, 1.8375, 1.3405,
             3.3254, 4.6020, 5.7956, 2.6400, 0.1166, 1.8487, 4.4277, 2.6671, 1.9675, 4.0923,
             3.0142, 4.6966, 4.1916, 2.2226, 2.5769, 2.7259, 5.4194, 1.6121, 4.0036, 7.2577,
             2.7420, 3.7359, 2.8453, 6.2113, 3.1172, 2.2994, 5.1616, 3.4125, 2.8923, 4.3460]
    before = [2.5575, 4.5897, 2.6808, 4.4423, 3.4784, 3.0873, 2.0561, 2.3310, 2.4292, 3.1742,
              4.3088, 3.1430, 3.6188, 1.8665, 4.2811, 2.7696, 3.4727, 3.7739, 1.7640, 1.6754,
              1.2471, 1.8218, 4.6959, 2.5656, 1.2443, 2.0076, 3.8508, 3.6954, 1.7592, 1.4074,
              3.0891, 3.6030, 4.7876, 2.2067, 1.2473, 2.0760, 4.1847, 1.2237, 1.5770, 4.6654,
              1.9451, 4.4970, 3.1173, 2.5225, 1.8597, 2.1280, 4.1065, 1.3157, 3.6960, 4.9917,
              2.1903, 3.2446, 2.7268, 4.6352, 3.5264, 2.8620, 4.9345, 2.1768, 1.6025, 3.2368]
    # fmt: on
    r = stats.wilcoxon_signed_rank(after, before)
    # R: V = 1520, p = 8.58347052585939e-06 (n = 60 >= 50, no ties)
    assert not r.exact and r.statistic == 1520 and close(r.p, 8.58347052585939e-06)
    assert r.effect_size is not None and r.effect_size > 0


def test_signed_rank_ties_without_zeros_small_n_matches_r() -> None:
    after = [4.0, 3.5, 5.0, 2.0, 4.5, 3.0, 4.0, 5.0, 2.5]
    before = [3.0, 3.0, 4.0, 3.0, 3.5, 2.0, 3.5, 4.5, 2.0]
    r = stats.wilcoxon_signed_rank(after, before)
    # R: V = 38, p = 0.067889154861829 (ties, so the normal approximation though n = 9)
    assert not r.exact and r.statistic == 38 and close(r.p, 0.067889154861829)


def test_signed_rank_means_of_three_items_matches_r() -> None:
    after_items = [5, 3, 1, 4, 4, 1, 1, 5, 3, 2, 1, 3, 4, 5, 1, 3, 4, 4, 5, 2, 5, 4, 1, 1]
    before_items = [2, 3, 1, 5, 3, 4, 1, 2, 1, 2, 4, 3, 3, 1, 4, 1, 3, 1, 3, 5, 1, 2, 3, 4]
    after = np.reshape(after_items, (8, 3)).mean(axis=1)  # R: rowMeans, thirds
    before = np.reshape(before_items, (8, 3)).mean(axis=1)
    r = stats.wilcoxon_signed_rank(after, before)
    # R, with and without rounding the differences: V = 24, p = 0.429671463053324
    assert r.statistic == 24 and close(r.p, 0.429671463053324)


def test_signed_rank_rounds_float_noise_like_r_round_10() -> None:
    after = [0.1 + 0.2, 1.5, 2.25, 3.0, 0.75, 4.0]  # 0.1 + 0.2 - 0.3 is 5.6e-17, not 0
    before = [0.3, 1.0, 3.0, 2.0, 0.5, 2.5]
    r = stats.wilcoxon_signed_rank(after, before)
    # R: wilcox.test(round(after - before, 10)): V = 12, p = 0.280712665268496.
    # (R's default digits.rank = Inf keeps the noise: exact test, V = 17, p = 0.21875.)
    assert not r.exact and r.statistic == 12 and close(r.p, 0.280712665268496)
    assert (r.improved, r.same, r.declined) == (4, 1, 1)


def test_signed_rank_hand_worked_and_degenerate() -> None:
    # d = 1, -2, 3: ranks 1, 2, 3; V = 4; exact two-sided p = 2 * P(V >= 4) = 2 * 3/8.
    r = stats.wilcoxon_signed_rank([2, 1, 6], [1, 3, 3])
    assert r.statistic == 4 and r.exact and close(r.p, 0.75)
    assert close(r.effect_size, (4 - 2) / 6)
    all_same = stats.wilcoxon_signed_rank([3, 4, nan], [3, 4, 5])
    assert all_same.p is None and all_same.effect_size is None
    assert (all_same.n, all_same.n_ranked, all_same.same) == (2, 0, 2)
    empty = stats.wilcoxon_signed_rank([], [])
    assert empty.p is None and empty.n == 0
    with pytest.raises(ValueError):
        stats.wilcoxon_signed_rank([1, 2], [1])
    declined = stats.wilcoxon_signed_rank([1, 2, 3, 4], [2, 4, 6, 8])
    assert declined.effect_size == -1.0 and declined.statistic == 0


def test_signrank_exact_distribution_against_brute_force() -> None:
    counts = stats._signrank_counts(8)
    brute = np.zeros_like(counts)
    for mask in range(1 << 8):
        brute[sum(i + 1 for i in range(8) if mask >> i & 1)] += 1
    np.testing.assert_array_equal(counts, brute)
    assert int(stats._signrank_counts(49).sum()) == 2**49


# --------------------------------------------------------------------------- rank sum


def test_mann_whitney_exact_branch_matches_r() -> None:
    after = [4.121, 3.107, 3.499, 4.024, 2.227, 3.071, 2.654, 3.438, 4.689]
    before = [4.746, 3.197, 3.052, 2.653, 3.285, 3.363, 3.933, 2.848, 3.368, 3.557, 3.521]
    r = stats.mann_whitney(after, before)
    # R: wilcox.test(after, before): exact, W = 51, p = 0.940843057870922
    assert r.exact and r.statistic == 51 and close(r.p, 0.940843057870922)
    assert close(r.effect_size, 2 * 51 / (9 * 11) - 1) and r.n == 20
    scipy_p = sps.mannwhitneyu(after, before, method="exact").pvalue
    assert close(r.p, float(scipy_p))


def test_mann_whitney_ties_matches_r() -> None:
    after = [5.0, 2.5, nan, 4.0, 4.5, 4.0, 3.0, 5.0, 2.5, 4.5, nan, 3.5, 2.5, 3.5, 3.0, 4.0, 1.5,
             1.5, 4.0, 3.5, 2.0, 2.5, 4.0, 4.0, 1.5, 3.5, 3.5, 4.5, 4.5, 5.0]  # fmt: skip
    before = [1.0, 3.0, 3.5, 1.5, 4.5, 2.0, 3.5, 3.5, 2.5, 1.5, 3.0, 3.5, 3.0, 4.0, 4.0, 2.0, 2.0,
              4.5, 3.0, 2.5, 2.5, 3.0, 2.5, 3.5, 2.5, 3.0]  # fmt: skip
    r = stats.mann_whitney(after, before)
    # R: W = 486, p = 0.0336172058778694 (ties: normal approximation, continuity correction)
    assert not r.exact and r.statistic == 486 and close(r.p, 0.0336172058778694)
    assert close(r.effect_size, 2 * 486 / (28 * 26) - 1) and r.n == 54


def test_mann_whitney_large_samples_match_r() -> None:
    # fmt: off
    after = [2.48872, 2.37408, 3.12678, 3.17187, 3.08284, 1.78510, 4.01033, 4.18540, 2.52242,
             3.27927, 2.79779, 4.27425, 4.91223, 3.72552, 3.51463, 3.14336, 3.91475, 3.06427,
             3.42405, 5.18492, 2.55372, 4.63729, 4.11172, 2.64155, 3.34848, 3.82431, 3.48151,
             2.27099, 5.01827, 1.65883, 3.91178, 3.72682, 4.19639, 3.34405, 2.98514, 3.17745,
             4.79468, 3.58706, 1.82110, 3.34600, 3.77729, 2.88959, 3.17661, 2.42603, 3.67733,
             4.40420, 2.38341, 3.53555, 2.85616, 2.54998, 3.62869, 2.12746, 4.60737, 3.67081,
             4.70446]
    before = [3.05947, 2.68117, 3.06264, 3.45178, 2.37747, 3.02388, 3.68566, 3.19482, 4.38872,
              2.90723, 2.47196, 3.46364, 4.71215, 2.60887, 3.22514, 4.59297, 4.02389, 3.14810,
              2.22955, 4.70317, 4.72672, 2.10290, 2.46912, 4.74163, 3.26372, 4.84721, 3.38608,
              3.68799, 2.87175, 2.67241, 1.54745, 4.29962, 3.25706, 1.69431, 3.91055, 4.65894,
              4.13229, 3.57942, 2.98633, 3.17611, 3.48192, 3.91970, 2.25441, 3.06395, 3.60438,
              4.84817, 4.43213, 3.25575, 2.07586, 3.60026, 4.47596, 4.22471, 3.92681, 3.56399,
              3.73286, 4.74321, 2.69382, 3.87822, 3.75315, 2.80596]
    # fmt: on
    r = stats.mann_whitney(after, before)
    # R: W = 1582, p = 0.705484493771952 (55 and 60 values, no ties)
    assert not r.exact and r.statistic == 1582 and close(r.p, 0.705484493771952)


def test_mann_whitney_one_large_sample_uses_normal_branch_like_r() -> None:
    # fmt: off
    after = [3.19595, 3.49205, 4.11243, 4.49669, 3.77850, 3.80811, 3.45178, 3.82273, 3.55584,
             3.69862]
    before = [3.21012, 3.75652, 3.16756, 4.15963, 2.91229, 3.18817, 3.38259, 3.76298, 2.82985,
              4.21360, 2.39793, 3.05821, 3.32047, 3.37742, 3.34758, 3.97793, 3.88204, 3.17328,
              2.85332, 3.90284, 2.14882, 3.96889, 4.03596, 3.86961, 4.92995, 3.33519, 2.96113,
              3.94401, 2.98114, 3.17247, 3.35060, 4.19340, 3.11556, 4.16855, 3.38864, 3.59329,
              3.04429, 3.46049, 2.93246, 3.43646, 3.36572, 3.40663, 2.58507, 3.04743, 2.45327,
              4.23247, 3.00748, 3.34837, 3.08382, 3.81648]
    # fmt: on
    r = stats.mann_whitney(after, before)
    # R: W = 354, p = 0.0400761977932095 (10 and 50 values: not exact as 50 is not < 50)
    assert not r.exact and r.statistic == 354 and close(r.p, 0.0400761977932095)
    assert r.effect_size is not None and r.effect_size > 0


def test_mann_whitney_hand_worked_and_degenerate() -> None:
    # after all above before: W = n1 n2 = 6; exact p = 2 * 1 / C(5, 2) = 0.2.
    r = stats.mann_whitney([4, 5], [1, 2, 3])
    assert r.statistic == 6 and r.exact and close(r.p, 0.2) and r.effect_size == 1.0
    assert stats.mann_whitney([], [1, 2]).p is None
    flat = stats.mann_whitney([3, 3], [3, 3, 3])
    assert flat.p is None and flat.effect_size == 0.0


def test_ranksum_exact_distribution_against_binomial_counts() -> None:
    counts = stats._ranksum_counts(6, 4)
    assert sum(counts) == math.comb(10, 4) and counts == counts[::-1]
    brute = [0] * 25
    from itertools import combinations

    for chosen in combinations(range(1, 11), 4):
        brute[sum(chosen) - 10] += 1
    assert counts == brute
    assert sum(stats._ranksum_counts(49, 49)) == math.comb(98, 49)


# --------------------------------------------------------------------------- BH, chi-square


def test_p_adjust_bh_matches_r_with_missing() -> None:
    ps = [0.01, None, 0.04, 0.03, 0.2, 0.04, 0.005]
    # R: p.adjust(c(0.01, NA, 0.04, 0.03, 0.2, 0.04, 0.005), method = "BH")
    expected = [0.030, None, 0.048, 0.048, 0.200, 0.048, 0.030]
    got = stats.p_adjust_bh(ps)
    assert [g is None for g in got] == [e is None for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert e is None or close(g, e)
    assert stats.p_adjust_bh([nan, 0.5]) == [None, 0.5]
    assert stats.p_adjust_bh([]) == []
    assert stats.p_adjust_bh([0.9, 0.8]) == [0.9, 0.9]
    assert stats.p_adjust_bh([0.6, 0.6, 0.9]) == [pytest.approx(0.9)] * 3


def test_chisq_gof_matches_r_and_scipy() -> None:
    r = stats.chisq_gof([30, 12, 8], [50, 30, 20])
    # R: chisq.test(c(30, 12, 8), p = c(50, 30, 20) / 100): X-squared = 2, df = 2
    assert r is not None and r.df == 2 and close(r.statistic, 2.0)
    assert close(r.p, 0.367879441171442) and r.expected == (25.0, 15.0, 10.0)
    r = stats.chisq_gof([41, 7, 19, 3], [0.6, 0.2, 0.15, 0.05])
    # R: chisq.test(c(41, 7, 19, 3), p = c(120, 40, 30, 10) / 200)
    assert r is not None and r.df == 3
    # an expected count of 3.5: the p reported is simulated, the asymptotic one kept
    assert close(r.statistic, 10.4761904761904763) and close(r.p_asymptotic, 0.0149232837463214)
    assert r.simulated and not stats.chisq_gof([30, 12, 8], [50, 30, 20]).simulated
    scipy_result = sps.chisquare([41, 7, 19, 3], [42, 14, 10.5, 3.5])
    assert close(r.statistic, float(scipy_result.statistic))
    assert close(r.p_asymptotic, float(scipy_result.pvalue))


def test_chisq_gof_edge_cases() -> None:
    assert stats.chisq_gof([5], [1]) is None
    assert stats.chisq_gof([0, 0], [1, 1]) is None
    with pytest.raises(ValueError):
        stats.chisq_gof([3, 4], [1, 0])
    with pytest.raises(ValueError):
        stats.chisq_gof([3, 4], [1, 1, 1])


@pytest.mark.parametrize("df1", [1, 2, 4, 10, 29, 119, 2799, 99_999, 999_999])
@pytest.mark.parametrize("k", [2, 3, 5, 8])
def test_f_quantile_matches_scipy(df1: int, k: int) -> None:
    from scipy.special import fdtri

    df2 = df1 * (k - 1)
    for p in (0.001, 0.025, 0.5, 0.975, 0.999):
        assert stats.f_quantile(p, df1, df2) == pytest.approx(float(fdtri(df1, df2, p)), rel=1e-9)


def test_beta_cdf_matches_scipy() -> None:
    from scipy.special import betainc

    for a, b, x in [(0.5, 0.5, 0.3), (2, 3, 0.4), (50, 200, 0.2), (1e4, 4e4, 0.2001), (3, 1, 0.99)]:
        assert stats.beta_cdf(x, a, b) == pytest.approx(float(betainc(a, b, x)), rel=1e-10)
    assert stats.beta_cdf(0.0, 2, 3) == 0.0 and stats.beta_cdf(1.0, 2, 3) == 1.0
