"""Issue 13's statistics against R: the expected figures AND the data are read from the
committed output of tests/r/reference_honest.R (tests/r/reference_honest.out)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rref import r_reference

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
