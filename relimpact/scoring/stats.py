"""Pure statistical functions for scoring and for change between waves.

Every function takes numpy arrays (or array-likes) and returns plain floats,
tuples or small frozen dataclasses. ``NaN`` means "no answer" wherever a
docstring says so. Each docstring gives the formula and the R function whose
numbers it reproduces; ``tests/r/reference_stats.R`` computes those numbers
with R and ``tests/test_stats.py`` checks them.

SciPy is imported inside the functions that need it, so that scoring a small survey
does not pay for scipy.stats. Nothing here prints, exits or reads files; results depend
only on the inputs (and the seed, for the bootstrap).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

DEFAULT_SEED = 20231107
"""Seed of the bootstrap when the user gives none: the same input gives the same interval."""

DEFAULT_RESAMPLES = 10_000
"""Bootstrap resamples when the user gives no number."""

MC_REPLICATES = 10_000
"""Monte Carlo draws for a chi-square p when an expected count is below 5 (R's default B)."""

RANK_DECIMALS = 10
"""Differences (paired) and values (unpaired) are rounded to this many decimals before ranking."""

EXACT_BELOW = 50
"""Rank tests use the exact null distribution when n is below this, as R's ``wilcox.test``."""

_CHUNK_ROWS = 65_536


def nanmean_columns(matrix: ArrayLike) -> np.ndarray:
    """Each column's mean over its non-NaN cells, NaN for a column with none: exactly
    ``np.nanmean(matrix, axis=0, dtype=np.float64)`` (the same sums in the same order),
    without its "Mean of empty slice" warning, so that no warning filter has to be
    changed (``warnings.catch_warnings`` is not safe in threads, and scoring runs its
    dimensions and segments in threads). R: ``colMeans(m, na.rm = TRUE)`` (NaN for an
    empty column)."""
    x = np.asarray(matrix)
    present = ~np.isnan(x)
    totals = np.where(present, x, 0).sum(axis=0, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return totals / present.sum(axis=0, dtype=np.intp)


def _vector(values: ArrayLike) -> np.ndarray:
    """A 1-D float64 copy of ``values`` with the NaNs (no answer) removed."""
    v = np.asarray(values, dtype=np.float64).ravel()
    return v[~np.isnan(v)]


# --------------------------------------------------------------------------- description


def mean_sd_median(values: ArrayLike) -> tuple[float | None, float | None, float | None]:
    """Mean, standard deviation and median of the answered values (NaN = no answer).

    ``mean = sum(x) / n``; ``sd = sqrt(sum((x - mean)^2) / (n - 1))``; the median is the
    middle value (the mean of the two middle values for even n).

    R: ``mean(x, na.rm = TRUE)``, ``sd(x, na.rm = TRUE)``, ``median(x, na.rm = TRUE)``.
    The mean and median are ``None`` when no value is present; the sd is ``None`` for
    fewer than two values (R gives ``NA``).
    """
    v = _vector(values)
    if v.size == 0:
        return None, None, None
    mean = float(np.mean(v))
    sd = float(np.std(v, ddof=1)) if v.size >= 2 else None
    return mean, sd, float(np.median(v))


def percent_favourable(values: ArrayLike, favourable_from: float) -> float | None:
    """Share of the answered values at or above ``favourable_from``, in percent (0 to 100).

    ``100 * #{x >= favourable_from} / n`` over the non-NaN values; ``None`` when there are none.
    The values must already be reversed where the item is reverse-keyed.

    R: ``100 * mean(x[!is.na(x)] >= favourable_from)``.
    """
    v = _vector(values)
    if v.size == 0:
        return None
    return 100.0 * float(np.count_nonzero(v >= favourable_from)) / v.size


# --------------------------------------------------------------------------- covariance


@dataclass(frozen=True, eq=False)
class PairwiseMoments:
    """Sufficient statistics of a pairwise-complete covariance matrix.

    For items ``j`` and ``l`` and the rows where both are present (``d = x - shift``):
    ``n[j, l]`` counts those rows, ``sums[j, l]`` is the sum of ``d_j`` over them and
    ``products[j, l]`` the sum of ``d_j * d_l``. Moments of row blocks that share the same
    ``shift`` add up (``a + b``), so a million rows can be streamed in chunks. The shift
    (any value near each item's centre, such as the scale midpoint or the item mean)
    only guards against rounding error; the covariance does not depend on it.
    """

    shift: np.ndarray  # (k,)
    n: np.ndarray  # (k, k)
    sums: np.ndarray  # (k, k)
    products: np.ndarray  # (k, k)

    def __add__(self, other: PairwiseMoments) -> PairwiseMoments:
        if not np.array_equal(self.shift, other.shift):
            raise ValueError("pairwise moments with different shifts cannot be added")
        return PairwiseMoments(
            self.shift, self.n + other.n, self.sums + other.sums, self.products + other.products
        )

    def cov(self) -> np.ndarray:
        """The covariance matrix: ``(products - sums * sums.T / n) / (n - 1)``.

        Each entry uses the rows where both items are present, for both means and the
        cross-products, with the ``n - 1`` denominator: R's ``cov(x, use = "pairwise")``.
        Entries with fewer than two such rows are NaN (R gives ``NA``).
        """
        n = self.n
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (self.products - self.sums * self.sums.T / n) / (n - 1.0)
        c[n < 2] = np.nan
        return c


def pairwise_moments(
    matrix: ArrayLike, shift: ArrayLike | None = None, *, chunk_rows: int = _CHUNK_ROWS
) -> PairwiseMoments:
    """Accumulate :class:`PairwiseMoments` of a respondents x items matrix (NaN = missing).

    With ``M`` the 0/1 matrix of present answers and ``D`` the shifted answers with
    missing cells set to 0: ``n = M'M``, ``sums = D'M``, ``products = D'D``. Rows are
    processed in chunks with matrix products (no loop over rows), so memory stays small
    and 1,000,000 x 8 takes well under a second. ``shift`` defaults to each item's mean.
    """
    x = np.asarray(matrix)
    if x.ndim != 2:
        raise ValueError("expected a respondents x items matrix")
    k = x.shape[1]
    if shift is None:
        s = nanmean_columns(x)
        s = np.where(np.isnan(s), 0.0, s)
    else:
        s = np.asarray(shift, dtype=np.float64).reshape(k)
    n = np.zeros((k, k))
    sums = np.zeros((k, k))
    products = np.zeros((k, k))
    for start in range(0, x.shape[0], chunk_rows):
        d = np.asarray(x[start : start + chunk_rows], dtype=np.float64) - s
        present = ~np.isnan(d)
        m = present.astype(np.float64)
        d[~present] = 0.0
        n += m.T @ m
        sums += d.T @ m
        products += d.T @ d
    return PairwiseMoments(s, n, sums, products)


def pairwise_cov(matrix: ArrayLike) -> np.ndarray:
    """Pairwise-complete covariance matrix of a respondents x items matrix (NaN = missing).

    Entry ``[j, l]`` is the sample covariance (``n - 1`` denominator) of items ``j`` and
    ``l`` over the rows where both are present. R: ``cov(x, use = "pairwise")``.
    """
    return pairwise_moments(matrix).cov()


# --------------------------------------------------------------------------- reliability


def alpha_from_cov(cov: ArrayLike) -> float | None:
    """Cronbach's alpha from a covariance matrix ``C`` of ``k`` items.

    ``alpha = k / (k - 1) * (1 - trace(C) / sum(C))``. ``None`` for ``k < 2``, for a
    matrix with a missing entry or when ``sum(C)`` is 0 (alpha is undefined).
    R: ``psych::alpha(C)$total$raw_alpha``.
    """
    c = np.asarray(cov, dtype=np.float64)
    k = c.shape[0] if c.ndim == 2 else 0
    if k < 2 or np.isnan(c).any():
        return None
    total = float(c.sum())
    if total == 0.0 or not math.isfinite(total):
        return None
    return k / (k - 1) * (1.0 - float(np.trace(c)) / total)


def cronbach_alpha(matrix: ArrayLike) -> float | None:
    """Cronbach's alpha of a respondents x items matrix (NaN = missing), pairwise.

    ``C = cov(x, use = "pairwise")`` and ``alpha = k / (k - 1) * (1 - trace(C) / sum(C))``:
    R ``psych::alpha(x, use = "pairwise", check.keys = FALSE)$total$raw_alpha`` (psych's
    default) and ``pingouin.cronbach_alpha(data)[0]``. Reverse-keyed items must already be
    reversed. ``None`` for fewer than two items or when alpha is undefined.
    """
    return alpha_from_cov(pairwise_cov(matrix))


def feldt_ci(
    alpha: float | None, n: float, k: int, level: float = 0.95
) -> tuple[float, float] | None:
    """Feldt's confidence interval of Cronbach's alpha.

    With ``F_q`` the ``q`` quantile of the F distribution with ``df1 = n - 1`` and
    ``df2 = (n - 1)(k - 1)`` and ``a = 1 - level``:
    ``lo = 1 - (1 - alpha) * F_(1 - a/2)``, ``hi = 1 - (1 - alpha) * F_(a/2)``.
    R: ``psych::alpha.ci(alpha, n.obs = n, n.var = k, p.val = 1 - level)``; pingouin's
    ``cronbach_alpha`` gives the same interval.

    ``n`` may be fractional. Scoring passes the mean pairwise-complete n
    (:func:`mean_pairwise_n`), not the number of rows: ``psych::alpha`` itself passes every
    row (``nsub <- dim(x)[1]``), rows with missing answers included, which makes the
    interval too narrow when answers are missing (it covered 83-92% instead of 95% in
    simulation). ``None`` when alpha is ``None``, ``n < 2`` or ``k < 2``.
    """
    if alpha is None or n < 2 or k < 2 or not 0.0 < level < 1.0:
        return None
    df1 = n - 1.0
    df2 = (n - 1.0) * (k - 1.0)
    a = 1.0 - level
    lo = 1.0 - (1.0 - alpha) * f_quantile(1.0 - a / 2.0, df1, df2)
    hi = 1.0 - (1.0 - alpha) * f_quantile(a / 2.0, df1, df2)
    return lo, hi


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz's method,
    as in Numerical Recipes' ``betacf``)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2.0 * m
        for aa in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return h


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function ``I_x(a, b)``: R ``pbeta(x, a, b)``,
    scipy ``special.betainc(a, b, x)``."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(a * math.log(x) + b * math.log1p(-x) - _log_beta(a, b))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def f_quantile(p: float, df1: float, df2: float) -> float:
    """The ``p`` quantile of the F distribution: R ``qf(p, df1, df2)``, scipy
    ``special.fdtri(df1, df2, p)``.

    ``F = (df2 * x) / (df1 * (1 - x))`` where ``x`` solves ``I_x(df1/2, df2/2) = p``,
    found by Newton's method kept inside a shrinking bracket (bisection when a step
    leaves it). Written here rather than imported so that scoring a small survey does
    not pay SciPy's start-up time; ``tests/test_stats.py`` checks it against
    ``scipy.special.fdtri`` to 1e-10 across the range of degrees of freedom used.
    """
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    a, b = df1 / 2.0, df2 / 2.0
    log_norm = _log_beta(a, b)
    lo, hi = 0.0, 1.0
    x = a / (a + b)
    for _ in range(500):
        f = beta_cdf(x, a, b) - p
        if f > 0.0:
            hi = x
        else:
            lo = x
        density = math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - log_norm)
        step = f / density if density > 0.0 else math.inf
        nxt = x - step
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2.0
        if abs(nxt - x) <= 1e-15 * max(x, 1e-300) or hi - lo <= 1e-300:
            x = nxt
            break
        x = nxt
    return df2 * x / (df1 * (1.0 - x))


@dataclass(frozen=True)
class ItemRest:
    """One item's place in its scale: psych's ``r.drop`` and ``alpha.drop$raw_alpha``."""

    r_drop: float | None  # correlation of the item with the sum of the other items
    alpha_drop: float | None  # alpha of the other items


def item_rest_from_cov(cov: ArrayLike) -> tuple[ItemRest, ...]:
    """Item-rest correlation and alpha-if-dropped for each item of a covariance matrix ``C``.

    ``r_drop[i] = (sum(C[, i]) - C[i, i]) / sqrt(C[i, i] * sum(C[-i, -i]))`` and
    ``alpha_drop[i] = alpha(C[-i, -i])``, as ``psych::alpha`` computes ``r.drop`` and
    ``alpha.drop$raw_alpha``. ``alpha_drop`` is ``None`` with two items (one item has no
    alpha; psych prints a covariance ratio there instead) and ``r_drop`` is ``None`` with
    one item, a missing covariance or an item without variance.
    """
    c = np.asarray(cov, dtype=np.float64)
    k = c.shape[0] if c.ndim == 2 else 0
    out: list[ItemRest] = []
    for i in range(k):
        keep = [j for j in range(k) if j != i]
        rest = c[np.ix_(keep, keep)]
        r_drop: float | None = None
        if k >= 2 and not np.isnan(c[:, i]).any() and not np.isnan(rest).any():
            denominator = float(c[i, i]) * float(rest.sum())
            if denominator > 0.0:
                r_drop = (float(c[:, i].sum()) - float(c[i, i])) / math.sqrt(denominator)
        alpha_drop = alpha_from_cov(rest) if k >= 3 else None
        out.append(ItemRest(r_drop, alpha_drop))
    return tuple(out)


def item_rest(matrix: ArrayLike) -> tuple[ItemRest, ...]:
    """Item-rest correlation and alpha-if-dropped per item of a respondents x items matrix.

    Computed from the pairwise-complete covariance matrix (NaN = missing), as
    ``psych::alpha(x, use = "pairwise", check.keys = FALSE)`` reports ``item.stats$r.drop``
    and ``alpha.drop$raw_alpha``. See :func:`item_rest_from_cov` for the formulas.
    """
    return item_rest_from_cov(pairwise_cov(matrix))


def describe_alpha(alpha: float | None, k: int) -> str:
    """Alpha in plain words for members and funders.

    0.80 or more "good", 0.70 to 0.79 "acceptable", 0.60 to 0.69 "questionable", below
    0.60 "low"; fewer than three items is said, as alpha is then a weak guide.
    """
    if alpha is None:
        return "not available (fewer than two items)" if k < 2 else "not available"
    if alpha >= 0.8:
        words = "good (0.80 or more)"
    elif alpha >= 0.7:
        words = "acceptable (0.70 to 0.79)"
    elif alpha >= 0.6:
        words = "questionable (0.60 to 0.69)"
    else:
        words = "low (below 0.60)"
    return f"{words}; only {k} items" if k < 3 else words


# --------------------------------------------------------------------------- omega


def pairwise_cor(
    matrix: ArrayLike, shift: ArrayLike | None = None, *, overwrite: bool = False
) -> np.ndarray:
    """Pairwise-complete correlation matrix (NaN = missing), as R's ``cor(x, use =
    "pairwise")``: entry ``[j, l]`` is Pearson's r over the rows where both are present,
    with both means and both standard deviations taken over those rows. NaN where fewer
    than two such rows or an item has no variance there. ``shift`` (each item's mean, 0
    for an item nobody answered; computed when not given) only guards against rounding.
    ``overwrite``: ``matrix`` (float64) may be changed, which saves a copy of it."""
    x = np.asarray(matrix, dtype=np.float64)
    present = ~np.isnan(x)
    if shift is None:
        shift = np.nanmean(np.where(present.any(axis=0), x, 0.0), axis=0) if x.size else 0.0
    if overwrite and x is matrix:
        d = np.subtract(x, np.asarray(shift, dtype=np.float64), out=x)
    else:
        d = x - np.asarray(shift, dtype=np.float64)
    del x
    d[~present] = 0.0
    m = present.astype(np.float64)
    del present
    n = m.T @ m
    sums = d.T @ m  # [j, l]: sum of d_j over rows with both j and l
    products = d.T @ d
    squares = np.multiply(d, d, out=d).T @ m  # d is not needed any more: squared in place
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = products - sums * sums.T / n
        var = squares - sums * sums / n
        r = cross / np.sqrt(var * var.T)
    r[n < 2] = np.nan
    np.fill_diagonal(r, 1.0)
    return r


@dataclass(frozen=True)
class OmegaFit:
    """McDonald's omega total from a one-factor minres fit (see :func:`omega_total`)."""

    omega_total: float
    loadings: tuple[float, ...]  # as fitted, before psych's flip: negative = keyed against


def _minres_one_factor(r: np.ndarray) -> np.ndarray | None:
    """Loadings of the one-factor minres (unweighted least squares) fit of a correlation
    matrix: iterated principal axes to convergence, whose fixed point minimises the sum
    of squared off-diagonal residuals, as ``psych::fa(r, 1, fm = "minres")`` does (psych
    bounds the uniquenesses to [0.005, 1]; so are the communalities here to [0, 0.995])."""
    k = r.shape[0]
    try:
        # squared multiple correlations; a singular r (items that move together exactly)
        # may give a zero diagonal, so an infinity, clipped below: no warning to print
        with np.errstate(divide="ignore", invalid="ignore"):
            h = 1.0 - 1.0 / np.diag(np.linalg.inv(r))
    except np.linalg.LinAlgError:
        h = np.max(np.abs(r - np.eye(k)), axis=1)
    h = np.clip(np.nan_to_num(h, nan=0.5), 0.0, 0.995)
    loadings = None
    for _ in range(20_000):
        s = r.copy()
        np.fill_diagonal(s, h)
        values, vectors = np.linalg.eigh(s)
        loadings = vectors[:, -1] * math.sqrt(max(float(values[-1]), 0.0))
        if loadings.sum() < 0:
            loadings = -loadings
        new = np.clip(loadings**2, 0.0, 0.995)
        if float(np.max(np.abs(new - h))) < 1e-14:
            break
        h = new
    return loadings


def omega_total(
    matrix: ArrayLike, shift: ArrayLike | None = None, *, overwrite: bool = False
) -> OmegaFit | None:
    """McDonald's omega total of a respondents x items matrix (NaN = missing), one factor.

    The closed form from a one-factor minres fit of ``R = cor(x, use = "pairwise")``:
    with loadings ``l`` (items whose loading is negative flipped, as psych does),
    ``omega_t = 1 - sum(1 - l^2) / sum(R)`` (``R`` with the flipped items' signs changed).
    R: ``psych::omega(x, nfactors = 1)$omega.tot``, matched to 1e-6 in the tests (psych
    stops its optimiser a little short of the exact minimum; this iterates to it).
    ``None`` for fewer than three items (one factor of two items is not identified) or a
    correlation that cannot be computed. ``shift`` and ``overwrite``: as
    :func:`pairwise_cor`'s.
    """
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 3:
        return None
    r = pairwise_cor(x, shift, overwrite=overwrite and x is matrix)
    if np.isnan(r).any():
        return None
    loadings = _minres_one_factor(r)
    if loadings is None or not np.all(np.isfinite(loadings)):
        return None
    sign = np.where(loadings < 0, -1.0, 1.0)
    total = float((r * np.outer(sign, sign)).sum())
    if total <= 0:
        return None
    flipped = loadings * sign
    value = 1.0 - float(np.sum(1.0 - flipped**2)) / total
    return OmegaFit(value, tuple(float(v) for v in loadings))


def mean_pairwise_n(n: np.ndarray) -> float:
    """The mean of the pairwise-complete counts ``n[j, l]`` over the pairs ``j < l``:
    R ``mean(psych::pairwiseCount(x)[lower.tri(diag(k))])``."""
    k = n.shape[0]
    i, j = np.triu_indices(k, 1)
    return float(np.mean(n[i, j])) if i.size else float(n[0, 0]) if k else 0.0


# --------------------------------------------------------------------------- bootstrap


def bootstrap_means(
    values: ArrayLike, *, seed: int = DEFAULT_SEED, resamples: int = DEFAULT_RESAMPLES
) -> np.ndarray:
    """The bootstrap distribution of the mean (NaN = no answer), as ``resamples`` means.

    A row bootstrap draws n rows with replacement; how many times each distinct value
    is drawn then follows a multinomial(n, counts / n) distribution. So this draws those
    counts directly over the sorted distinct values ``u`` (seeded
    ``Generator(PCG64(seed))``), and each resample's mean is ``counts @ u / n``. The
    multinomial is drawn as a chain of binomials, vectorised over the resamples: the
    count of ``u[j]`` is binomial(n left, p_j / p left), the standard factorisation of
    the multinomial. The result has exactly the distribution of the row bootstrap, and
    its cost grows with the number of distinct values (few: means of a few items on a
    1-5 scale), not with n. Empty input gives an empty array.
    """
    v = _vector(values)
    if v.size == 0:
        return np.empty(0)
    distinct, counts = np.unique(v, return_counts=True)
    return bootstrap_tally_means(distinct, counts, seed=seed, resamples=resamples)


def bootstrap_tally_means(
    distinct: ArrayLike,
    counts: ArrayLike,
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
) -> np.ndarray:
    """:func:`bootstrap_means` of the values given as a tally: the sorted distinct values
    ``distinct`` and how many times each occurs (``counts``, all above zero). The same
    seed gives the same means as ``bootstrap_means`` of the values themselves."""
    u = np.asarray(distinct, dtype=np.float64).ravel()
    c = [int(x) for x in np.asarray(counts).ravel().tolist()]
    n = sum(c)
    if n == 0 or resamples < 1:
        return np.empty(0)
    rng = np.random.Generator(np.random.PCG64(seed))
    left = np.full(resamples, n, dtype=np.int64)
    totals = np.zeros(resamples)
    counts_left = n
    for value, count in zip(u[:-1].tolist(), c[:-1], strict=True):
        drawn = rng.binomial(left, count / counts_left)
        totals += drawn * value
        left -= drawn
        counts_left -= count
    totals += left * float(u[-1])
    return totals / n


def bootstrap_mean_ci(
    values: ArrayLike,
    *,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of the mean (NaN = no answer), seeded and deterministic.

    The ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles (linear interpolation, R's
    ``quantile(type = 7)``) of :func:`bootstrap_means`. Equivalent in distribution to R
    ``boot::boot.ci(boot(x, function(d, i) mean(d[i]), R), type = "perc")`` and to
    ``scipy.stats.bootstrap(..., method="percentile")``. ``None`` when there are no values.
    """
    return _percentile_ci(bootstrap_means(values, seed=seed, resamples=resamples), level)


def _percentile_ci(means: np.ndarray, level: float) -> tuple[float, float] | None:
    if means.size == 0:
        return None
    a = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [a, 1.0 - a])
    return float(lo), float(hi)


# --------------------------------------------------------------------------- intervals by n

NO_INTERVAL_BELOW = 10
"""No interval of any kind is printed for fewer respondents than this."""

WARN_INTERVAL_BELOW = 20
"""Fewer respondents than this get a warning that the intervals are rough."""

T_BELOW = 30
"""Means of fewer respondents than this get the t interval; from here on, the bootstrap."""


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom, ``p >= 0.5``: R
    ``qt(p, df)``. Through the F distribution: ``t_p^2 = F_(2p - 1)(1, df)``."""
    if not 0.5 <= p < 1.0:
        raise ValueError("p must lie in [0.5, 1)")
    if p == 0.5:
        return 0.0
    return math.sqrt(f_quantile(2.0 * p - 1.0, 1.0, df))


def fpc(n: float, population: int | None) -> float:
    """Finite-population correction of a standard error, ``sqrt(1 - n / N)``, for ``n``
    respondents of a membership of ``N`` (sampling without replacement; with the sample
    variance, ``Var(mean) = (1 - n/N) s^2 / n``). R: the SE of ``survey::svymean(~x,
    svydesign(ids = ~1, fpc = ~N, data = d))`` is ``sd(x) / sqrt(n) * fpc(n, N)``. 1 without
    ``N``, or when ``n > N`` (then the membership count is wrong, and nothing is corrected)."""
    if population is None or population <= 0 or n > population:
        return 1.0
    return math.sqrt(max(1.0 - n / population, 0.0))


def t_mean_ci(
    values: ArrayLike, level: float = 0.95, correction: float = 1.0
) -> tuple[float, float] | None:
    """Student's t interval of the mean (NaN = no answer):
    ``mean -/+ qt((1 + level) / 2, n - 1) * sd / sqrt(n) * correction``. R:
    ``t.test(x, conf.level = level)$conf.int`` (with ``correction`` 1). ``None`` for fewer
    than two values."""
    v = _vector(values)
    n = v.size
    if n < 2:
        return None
    mean = float(np.mean(v))
    half = t_quantile((1.0 + level) / 2.0, n - 1) * float(np.std(v, ddof=1)) / math.sqrt(n)
    half *= correction
    return mean - half, mean + half


def mean_ci(
    values: ArrayLike,
    *,
    seed: int = DEFAULT_SEED,
    population: int | None = None,
    level: float = 0.95,
) -> tuple[tuple[float, float] | None, str | None]:
    """The mean's 95% interval chosen by n, and which method gave it (``ci_method``).

    - n < 10: no interval (``None, None``): too few for any interval to keep its promise;
    - 10 <= n < 30: ``"t"``, :func:`t_mean_ci` (the percentile bootstrap covers only
      81-87% of the time at such n; the t interval keeps 95%: benchmarks/coverage.py);
    - n >= 30: ``"bootstrap-percentile"``, :func:`bootstrap_mean_ci` (seeded).

    With ``population`` (the membership size N) the half-widths are multiplied by the
    finite-population correction :func:`fpc` around the mean (the method gets ``+fpc``).
    """
    v = _vector(values)
    n = int(v.size)
    if n < NO_INTERVAL_BELOW:
        return None, None
    correction = fpc(n, population)
    suffix = "+fpc" if correction != 1.0 else ""
    if n < T_BELOW:
        return t_mean_ci(v, level, correction), "t" + suffix
    ci = bootstrap_mean_ci(v, seed=seed, level=level)
    if ci is None:
        return None, None
    if correction != 1.0:
        mean = float(np.mean(v))
        ci = (mean - (mean - ci[0]) * correction, mean + (ci[1] - mean) * correction)
    return ci, "bootstrap-percentile" + suffix


def tally_mean_ci(
    distinct: ArrayLike,
    counts: ArrayLike,
    values: Callable[[], np.ndarray],
    *,
    seed: int = DEFAULT_SEED,
    population: int | None = None,
    level: float = 0.95,
    mean: float | None = None,
) -> tuple[tuple[float, float] | None, str | None]:
    """:func:`mean_ci` of values given as a tally (sorted ``distinct`` values and their
    ``counts``), with the same result: the bootstrap needs only the tally
    (:func:`bootstrap_tally_means`); ``values()`` gives the values themselves, in their
    order, only where the t interval (or the finite-population correction, without the
    ``mean``) needs them."""
    c = np.asarray(counts)
    n = int(c.sum())
    if n < NO_INTERVAL_BELOW or n < T_BELOW:
        return mean_ci(values(), seed=seed, population=population, level=level)
    correction = fpc(n, population)
    suffix = "+fpc" if correction != 1.0 else ""
    ci = _percentile_ci(bootstrap_tally_means(distinct, c, seed=seed), level)
    if ci is None:
        return None, None
    if correction != 1.0:
        m = float(np.mean(values())) if mean is None else mean
        ci = (m - (m - ci[0]) * correction, m + (ci[1] - m) * correction)
    return ci, "bootstrap-percentile" + suffix


def tally_median(distinct: ArrayLike, counts: ArrayLike) -> float | None:
    """The median of values given as a tally (sorted ``distinct`` values, their
    ``counts``): the middle value, or the mean of the two middle values for even n, as
    ``np.median`` of the values (R ``median``). ``None`` without values."""
    u = np.asarray(distinct, dtype=np.float64).ravel()
    ends = np.cumsum(np.asarray(counts, dtype=np.int64).ravel())
    n = int(ends[-1]) if ends.size else 0
    if n == 0:
        return None
    middle = [(n - 1) // 2, n // 2]  # 0-based positions of the middle value(s)
    pair = u[np.searchsorted(ends, middle, side="right")]
    return float(np.mean(pair[:1] if n % 2 else pair))


def wilson_ci(
    proportion: float | None, n: float, level: float = 0.95, correction: float = 1.0
) -> tuple[float, float] | None:
    """Wilson's score interval of a proportion ``p`` from ``n`` answers, on the 0-1 scale:
    ``(p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``, ``z = qnorm((1 + level)
    / 2)``. R: ``prop.test(x, n, correct = FALSE)$conf.int`` (and ``binom::binom.wilson``).
    With a finite-population ``correction`` c the effective n is ``n / c^2``. ``None``
    without a proportion or with ``n < 1``."""
    if proportion is None or n < 1:
        return None
    p = float(proportion)
    if correction != 1.0:
        if correction <= 0.0:
            return (p, p)
        n = n / correction**2
    z = _qnorm((1.0 + level) / 2.0)
    centre = p + z * z / (2.0 * n)
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))
    denominator = 1.0 + z * z / n
    return max(0.0, (centre - half) / denominator), min(1.0, (centre + half) / denominator)


# --------------------------------------------------------------------------- rank tests


@dataclass(frozen=True)
class TestResult:
    """A two-sided rank test comparing ``after`` with ``before``.

    ``statistic`` is R's V (signed-rank) or W (rank-sum); ``effect_size`` is the
    rank-biserial correlation, positive when ``after`` tends to be larger; ``z`` is the
    corrected normal deviate when the normal approximation was used. ``n`` counts the
    complete pairs (paired) or both waves' values (unpaired); ``n_ranked`` the non-zero
    differences that were ranked (paired) or ``n`` (unpaired). ``improved``, ``same`` and
    ``declined`` count pairs (paired only).
    """

    __test__: ClassVar[bool] = False  # not a pytest test class

    method: str  # "wilcoxon-signed-rank" or "mann-whitney"
    statistic: float | None
    p: float | None
    exact: bool
    effect_size: float | None
    n: int
    n_ranked: int
    z: float | None = None
    improved: int | None = None
    same: int | None = None
    declined: int | None = None


def rank_average(values: ArrayLike) -> np.ndarray:
    """Ranks 1..n with ties given the average of the ranks they span.

    R: ``rank(x)`` (``ties.method = "average"``); scipy ``stats.rankdata(x)``. Values are
    compared exactly, as R does. Written with numpy (a stable sort and the run lengths of
    equal values) so that a small survey does not pay scipy.stats' import time.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    n = x.size
    if n == 0:
        return np.empty(0)
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    new = np.empty(n, dtype=bool)
    new[0] = True
    new[1:] = xs[1:] != xs[:-1]
    group = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, n))
    average = starts + (sizes + 1) / 2.0
    ranks = np.empty(n)
    ranks[order] = average[group]
    return ranks


def signed_rank_tally(distinct: ArrayLike, counts: ArrayLike) -> tuple[float, np.ndarray]:
    """Signed ranks from a tally: for non-zero values given as their ``distinct`` values
    (increasing) and how many times each occurs (``counts``), the sum of the average
    ranks of ``|x|`` over the positive values (the signed-rank V) and the sizes of the
    groups of tied ``|x|``, smallest ``|x|`` first.

    The same numbers as ranking the values themselves (``rank_average(abs(x))``, R
    ``rank(abs(x))``) and counting the tied ranks, found from the few distinct values:
    with ``T_k`` values at the ``k``-th smallest ``|x|``, their average rank is
    ``T_1 + ... + T_(k-1) + (T_k + 1) / 2``. Ranks are halves, so the sum is exact (up to
    about 10^8 values) and equal to the sum of the sorted ranks to the last bit.
    """
    u = np.asarray(distinct, dtype=np.float64).ravel()
    c = np.asarray(counts, dtype=np.int64).ravel()
    if u.size == 0:
        return 0.0, np.empty(0, dtype=np.int64)
    size = np.abs(u)
    order = np.argsort(size, kind="stable")
    size = size[order]
    new = np.empty(size.size, dtype=bool)
    new[0] = True
    new[1:] = size[1:] != size[:-1]
    group = np.cumsum(new) - 1
    ties = np.bincount(group, weights=c[order]).astype(np.int64)
    positive = np.bincount(group, weights=np.where(u > 0, c, 0)[order]).astype(np.int64)
    average = (np.cumsum(ties) - ties) + (ties + 1) / 2.0
    return float((positive * average).sum()), ties


def rank_sum_tally(
    first: ArrayLike, first_counts: ArrayLike, second: ArrayLike, second_counts: ArrayLike
) -> tuple[float, np.ndarray]:
    """Rank sums from tallies: two samples given as values and how many times each occurs
    (``first``, ``first_counts``; ``second``, ``second_counts``; a value may repeat),
    ranked together with average ranks for ties. Gives the first sample's rank sum and the
    sizes of the groups of tied values, smallest value first: the same numbers as
    ``rank_average(concatenate([x, y]))`` (R ``rank(c(x, y))``) summed over ``x`` and its
    tied ranks counted, to the last bit (ranks are halves, so the sums are exact).
    """
    v = np.concatenate([np.asarray(first, dtype=np.float64).ravel(),
                        np.asarray(second, dtype=np.float64).ravel()])  # fmt: skip
    a = np.asarray(first_counts, dtype=np.int64).ravel()
    c = np.concatenate([a, np.asarray(second_counts, dtype=np.int64).ravel()])
    if v.size == 0:
        return 0.0, np.empty(0, dtype=np.int64)
    mine = np.concatenate([a, np.zeros(c.size - a.size, dtype=np.int64)])
    order = np.argsort(v, kind="stable")
    v = v[order]
    new = np.empty(v.size, dtype=bool)
    new[0] = True
    new[1:] = v[1:] != v[:-1]
    group = np.cumsum(new) - 1
    ties = np.bincount(group, weights=c[order]).astype(np.int64)
    ours = np.bincount(group, weights=mine[order]).astype(np.int64)
    average = (np.cumsum(ties) - ties) + (ties + 1) / 2.0
    return float((ours * average).sum()), ties


def _signrank_counts(n: int) -> np.ndarray:
    """Number of subsets of {1..n} with each rank sum 0..n(n+1)/2 (exact for n < 62)."""
    counts = np.zeros(n * (n + 1) // 2 + 1, dtype=np.int64)
    counts[0] = 1
    top = 0
    for i in range(1, n + 1):
        counts[i : top + i + 1] += counts[: top + 1].copy()
        top += i
    return counts


def _ranksum_counts(m: int, n: int) -> list[int]:
    """Number of ways each Mann-Whitney U = 0..m*n arises, as exact integers.

    The coefficients of the Gaussian binomial ``prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i)``.
    """
    m, n = min(m, n), max(m, n)
    c = [1] + [0] * (m * n + m)  # room for the intermediate degree i*n + i
    top = 0
    for i in range(1, m + 1):
        shift = n + i
        for s in range(top + shift, shift - 1, -1):
            c[s] -= c[s - shift]
        top += shift
        for s in range(i, top + 1):
            c[s] += c[s - i]
        top -= i
    return c[: m * n + 1]


def _two_sided_exact(counts: Sequence[int], statistic: float, centre: float) -> float:
    """R's exact two-sided p: ``min(2 * P(S >= s), 1)`` above the centre, else ``P(S <= s)``."""
    total = sum(int(c) for c in counts)
    s = int(round(statistic))
    if statistic > centre:
        tail = sum(int(c) for c in counts[s:])
    else:
        tail = sum(int(c) for c in counts[: s + 1])
    return min(2.0 * (tail / total), 1.0)


def _normal_two_sided(z: float) -> float:
    """``2 * min(pnorm(z), pnorm(z, lower.tail = FALSE))``."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def wilcoxon_signed_rank(after: ArrayLike, before: ArrayLike) -> TestResult:
    """Wilcoxon signed-rank test of matched pairs, two-sided, as R's
    ``wilcox.test(after, before, paired = TRUE)`` with its defaults.

    Pairs with a missing value (NaN) are dropped (R's ``complete.cases``). The
    differences ``d = after - before`` are rounded to 10 decimals; zero differences
    are dropped; the others are ranked by ``|d|`` (average ranks for ties) and
    ``V = sum of the ranks of the positive d``. With ``n`` ranked differences:

    - exact (n < 50, no tied ``|d|``, no zero differences): the exact null distribution
      of V; ``p = min(2 P(V >= v), 1)`` if ``v > n(n+1)/4`` else ``min(2 P(V <= v), 1)``
      (R's ``psignrank``);
    - otherwise the normal approximation with continuity and tie correction:
      ``z = (V - n(n+1)/4 - 0.5 sign(V - n(n+1)/4)) / sigma``,
      ``sigma^2 = n(n+1)(2n+1)/24 - sum(t^3 - t)/48`` over groups of ``t`` tied ``|d|``,
      ``p = 2 P(Z > |z|)``.

    On rounding: R 4.x has ``digits.rank = Inf`` by default, so R ranks the raw
    differences and compares them with 0 unrounded; then float noise (``0.1 + 0.2 - 0.3``
    is not 0) splits ties and hides zeros. Rounding to 10 decimals first gives R's
    numbers whenever the differences are clean, and otherwise the numbers of
    ``wilcox.test(round(after - before, 10))``, which is the exact R equivalent.

    ``effect_size`` is the matched-pairs rank-biserial correlation
    ``(R+ - R-) / (R+ + R-)`` over the ranked differences (``R+ + R- = n(n+1)/2``),
    positive when ``after > before``. With no ranked difference, ``p`` and
    ``effect_size`` are ``None``.
    """
    a = np.asarray(after, dtype=np.float64).ravel()
    b = np.asarray(before, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError("after and before must have the same length")
    ok = ~(np.isnan(a) | np.isnan(b))
    d = np.round(a[ok] - b[ok], RANK_DECIMALS)
    pairs = int(d.size)
    improved = int(np.count_nonzero(d > 0))
    declined = int(np.count_nonzero(d < 0))
    same = pairs - improved - declined
    zeros = same > 0
    d = d[d != 0]
    n = int(d.size)
    common = {"improved": improved, "same": same, "declined": declined}
    if n == 0:
        return TestResult("wilcoxon-signed-rank", 0.0, None, False, None, pairs, 0, **common)
    v, tie_sizes = signed_rank_tally(*np.unique(d, return_counts=True))
    total = n * (n + 1) / 2.0
    effect = (v - (total - v)) / total
    ties = bool((tie_sizes > 1).any())
    centre = n * (n + 1) / 4.0
    if n < EXACT_BELOW and not ties and not zeros:
        p = _two_sided_exact(_signrank_counts(n), v, centre)
        return TestResult("wilcoxon-signed-rank", v, p, True, effect, pairs, n, **common)
    t = tie_sizes.astype(np.float64)
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0 - float(np.sum(t**3 - t)) / 48.0)
    diff = v - centre
    z = (diff - 0.5 * float(np.sign(diff))) / sigma
    p = _normal_two_sided(z)
    return TestResult("wilcoxon-signed-rank", v, p, False, effect, pairs, n, z, **common)


def mann_whitney(after: ArrayLike, before: ArrayLike) -> TestResult:
    """Wilcoxon rank-sum (Mann-Whitney) test, two-sided, as R's ``wilcox.test(after, before)``.

    NaNs are dropped and the values rounded to 10 decimals (as for the signed-rank test;
    R's exact equivalent is ``wilcox.test(round(after, 10), round(before, 10))``). All
    values are ranked together (average ranks) and
    ``W = sum of the ranks of after - n1(n1+1)/2`` (n1 = number of ``after`` values).

    - exact (n1 < 50 and n2 < 50, no ties): R's ``pwilcox`` null distribution;
      ``p = min(2 P(W >= w), 1)`` if ``w > n1 n2 / 2`` else ``min(2 P(W <= w), 1)``;
    - otherwise ``z = (W - n1 n2/2 - 0.5 sign(W - n1 n2/2)) / sigma`` with
      ``sigma^2 = n1 n2/12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))``, ``N = n1 + n2``,
      and ``p = 2 P(Z > |z|)``.

    ``effect_size`` is the rank-biserial correlation ``2W / (n1 n2) - 1``, positive when
    ``after`` tends to be larger. ``p`` and ``effect_size`` are ``None`` when either
    wave has no values (R stops with an error), and ``p`` is ``None`` when every value
    is the same (R gives ``NaN``).
    """
    x = np.round(_vector(after), RANK_DECIMALS)
    y = np.round(_vector(before), RANK_DECIMALS)
    n1, n2 = int(x.size), int(y.size)
    total_n = n1 + n2
    if n1 == 0 or n2 == 0:
        return TestResult("mann-whitney", None, None, False, None, total_n, total_n)
    ranked, tie_sizes = rank_sum_tally(
        *np.unique(x, return_counts=True), *np.unique(y, return_counts=True)
    )
    w = ranked - n1 * (n1 + 1) / 2.0
    effect = 2.0 * w / (n1 * n2) - 1.0
    ties = bool((tie_sizes > 1).any())
    centre = n1 * n2 / 2.0
    if n1 < EXACT_BELOW and n2 < EXACT_BELOW and not ties:
        p = _two_sided_exact(_ranksum_counts(n1, n2), w, centre)
        return TestResult("mann-whitney", w, p, True, effect, total_n, total_n)
    t = tie_sizes.astype(np.float64)
    var = n1 * n2 / 12.0 * ((total_n + 1) - float(np.sum(t**3 - t)) / (total_n * (total_n - 1)))
    if var <= 0.0:
        return TestResult("mann-whitney", w, None, False, effect, total_n, total_n)
    diff = w - centre
    z = (diff - 0.5 * float(np.sign(diff))) / math.sqrt(var)
    return TestResult("mann-whitney", w, _normal_two_sided(z), False, effect, total_n, total_n, z)


# --------------------------------------------------------------------------- location shift


@dataclass(frozen=True)
class LocationShift:
    """A Hodges-Lehmann estimate of how far ``after`` lies above ``before``, with its
    interval, as R's ``wilcox.test(..., conf.int = TRUE)`` gives them.

    ``ci`` is ``None`` when R gives ``NaN`` or when R lowers the confidence level because
    95% cannot be reached (too few values); ``level`` is then R's lowered level (or 0).
    """

    method: str  # "wilcoxon-signed-rank" (paired) or "mann-whitney" (two groups)
    estimate: float | None
    ci: tuple[float, float] | None
    level: float
    exact: bool
    n: int  # non-zero differences (paired) or both groups' values (two groups)


def _zeroin(
    f: Callable[[float], float], ax: float, bx: float, fa: float, fb: float, tol: float
) -> float:
    """Brent's root finder exactly as R's ``uniroot`` runs it (``R_zeroin2`` in
    ``src/library/stats/src/zeroin.c``, maxiter 1000), so that the roots R finds on
    step functions, within ``tol``, are found here to the last bit."""
    eps = 2.220446049250313e-16
    a, b = ax, bx
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(1001):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * eps * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:
                q, t1, t2 = fa / fc, fb / fc, fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0.0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2.0) and p < abs(prev_step * q / 2.0):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0.0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0.0 and fc > 0.0) or (fb < 0.0 and fc < 0.0):
            c, fc = a, fa
    return b


def _uniroot(
    f: Callable[[float], float], lower: float, upper: float, fl: float, fu: float
) -> float:
    """R's ``uniroot(f, lower, upper, f.lower, f.upper, tol = 1e-4)$root``; ``nan`` where
    R stops with an error (no sign change, or ``lower >= upper``)."""
    if not lower < upper or math.isnan(fl) or math.isnan(fu):
        return math.nan
    big = 1.7976931348623157e308
    fl, fu = max(min(fl, big), -big), max(min(fu, big), -big)
    if not (math.copysign(1.0, fl) if fl else 0.0) * (math.copysign(1.0, fu) if fu else 0.0) <= 0:
        return math.nan
    return _zeroin(f, lower, upper, fl, fu, 1e-4)


def _qnorm(p: float) -> float:
    """R's ``qnorm(p)`` (both use Wichura's AS 241)."""
    from statistics import NormalDist

    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    return NormalDist().inv_cdf(p)


def _exact_quantile(counts: Sequence[int], p: float) -> int:
    """R's ``qsignrank(p, n)`` / ``qwilcox(p, m, n)`` for ``p <= 0.5``: the smallest ``q``
    with ``P(S <= q) >= p - 10 * DBL_EPSILON``."""
    total = float(sum(int(c) for c in counts))
    target = p - 10 * 2.220446049250313e-16
    cumulative = 0.0
    for q, c in enumerate(counts):
        cumulative += int(c) / total
        if cumulative >= target:
            return q
    return len(counts) - 1


def _median_sorted(v: np.ndarray) -> float:
    return float(np.median(v))


def hodges_lehmann_paired(
    after: ArrayLike, before: ArrayLike, level: float = 0.95
) -> LocationShift:
    """Hodges-Lehmann estimate of the matched change and its interval, as R's
    ``wilcox.test(round(after - before, 10), conf.int = TRUE)``, which is
    ``wilcox.test(after, before, paired = TRUE, conf.int = TRUE)`` on differences rounded
    to 10 decimals (see :func:`wilcoxon_signed_rank` on the rounding).

    Pairs with a missing value are dropped; zero differences are dropped (as R does before
    the interval); ``n`` non-zero differences ``d`` remain.

    - exact (n < 50, no tied ``|d|``, no zero): the estimate is the median of the Walsh
      averages ``(d_i + d_j) / 2, i <= j``; with ``q = qsignrank(0.025, n)`` (1 if 0) the
      interval is the ``q``-th and ``(n(n+1)/2 - q + 1)``-th smallest Walsh averages;
    - otherwise R's asymptotic form: with ``W(m)`` the continuity-corrected signed-rank z
      of ``d - m`` (zeros dropped, tie-corrected sigma), the limits solve
      ``W(m) = qnorm(0.975)`` and ``W(m) = qnorm(0.025)`` over ``[min d, max d]``, and the
      estimate solves the uncorrected ``W(m) = 0``, each by R's ``uniroot`` (tol 1e-4,
      ported here bit for bit). When 95% cannot be reached R doubles alpha and lowers the
      level; then ``ci`` is ``None`` and ``level`` says what R would print.
    """
    a = np.asarray(after, dtype=np.float64).ravel()
    b = np.asarray(before, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError("after and before must have the same length")
    ok = ~(np.isnan(a) | np.isnan(b))
    x = np.round(a[ok] - b[ok], RANK_DECIMALS)
    zeros = bool(np.any(x == 0))
    x = x[x != 0]
    n = int(x.size)
    method = "wilcoxon-signed-rank"
    if n == 0:
        return LocationShift(method, None, None, 0.0, False, 0)
    # The differences take few distinct values: every W(m) below ranks those, not all n.
    distinct, counts = np.unique(x, return_counts=True)
    ties = signed_rank_tally(distinct, counts)[1].size != n
    alpha = 1.0 - level
    if n < EXACT_BELOW and not ties and not zeros:
        i, j = np.triu_indices(n)
        walsh = np.sort(x[i] + x[j]) / 2.0
        qu = _exact_quantile(_signrank_counts(n), alpha / 2.0)
        if qu == 0:
            qu = 1
        ql = n * (n + 1) // 2 - qu
        counts = _signrank_counts(n)
        achieved = 2.0 * float(sum(int(c) for c in counts[:qu])) / float(counts.sum())
        ci: tuple[float, float] | None = (float(walsh[qu - 1]), float(walsh[ql]))
        got = level
        if achieved - alpha > alpha / 2.0:
            got = 1.0 - float(f"{achieved:.2g}")
            ci = None
        return LocationShift(method, _median_sorted(walsh), ci, got, True, n)

    def w(m: float, correct: bool = True) -> float:
        ud = distinct - m
        keep = ud != 0
        ranked, t = signed_rank_tally(ud[keep], counts[keep])
        nx = int(t.sum())
        zd = ranked - nx * (nx + 1) / 4.0
        t = t.astype(np.float64)
        var = nx * (nx + 1) * (2 * nx + 1) / 24.0 - float(np.sum(t**3 - t)) / 48.0
        sigma = math.sqrt(var) if var > 0 else 0.0
        corr = float(np.sign(zd)) * 0.5 if correct else 0.0
        if sigma == 0.0:
            return math.nan if zd - corr == 0 else math.copysign(math.inf, zd - corr)
        return (zd - corr) / sigma

    lo_m, hi_m = float(x.min()), float(x.max())
    w_lo = w(lo_m)
    w_hi = w(hi_m) if math.isfinite(w_lo) else math.nan
    if not math.isfinite(w_hi):
        return LocationShift(method, (lo_m + hi_m) / 2.0, None, 0.0, False, n)
    got = level
    while w_lo - _qnorm(1.0 - alpha / 2.0) < 0 or w_hi - _qnorm(alpha / 2.0) > 0:
        alpha *= 2.0
    if alpha >= 1.0 or 1.0 - level < alpha * 0.75:
        got = 1.0 - min(1.0, alpha)
    estimate = _uniroot(lambda m: w(m, False), lo_m, hi_m, w(lo_m, False), w(hi_m, False))
    if got != level:
        ci = None
    else:
        z_hi, z_lo = _qnorm(1.0 - alpha / 2.0), _qnorm(alpha / 2.0)
        lo = _uniroot(lambda m: w(m) - z_hi, lo_m, hi_m, w_lo - z_hi, w_hi - z_hi)
        hi = _uniroot(lambda m: w(m) - z_lo, lo_m, hi_m, w_lo - z_lo, w_hi - z_lo)
        ci = None if math.isnan(lo) or math.isnan(hi) else (lo, hi)
    return LocationShift(method, None if math.isnan(estimate) else estimate, ci, got, False, n)


def hodges_lehmann_shift(after: ArrayLike, before: ArrayLike, level: float = 0.95) -> LocationShift:
    """Hodges-Lehmann shift between two groups and its interval, as R's
    ``wilcox.test(round(after, 10), round(before, 10), conf.int = TRUE)``.

    NaNs are dropped and the values rounded to 10 decimals (as :func:`mann_whitney`).

    - exact (both groups under 50, no ties in the pooled values): the estimate is the
      median of all ``after_i - before_j``; with ``q = qwilcox(0.025, n1, n2)`` (1 if 0)
      the interval is the ``q``-th and ``(n1 n2 - q + 1)``-th smallest differences;
    - otherwise: with ``W(m)`` the continuity-corrected, tie-corrected rank-sum z of
      ``after - m`` against ``before``, the limits solve ``W(m) = qnorm(0.975)`` and
      ``qnorm(0.025)`` over ``[min after - max before, max after - min before]`` (the
      end itself when it is already past), the estimate the uncorrected ``W(m) = 0``,
      each by R's ``uniroot`` (tol 1e-4).
    """
    x = np.round(_vector(after), RANK_DECIMALS)
    y = np.round(_vector(before), RANK_DECIMALS)
    n1, n2 = int(x.size), int(y.size)
    method = "mann-whitney"
    if n1 == 0 or n2 == 0:
        return LocationShift(method, None, None, 0.0, False, n1 + n2)
    # Few distinct values: every W(m) below ranks those, not all n1 + n2 values.
    ux, cx = np.unique(x, return_counts=True)
    uy, cy = np.unique(y, return_counts=True)
    ties = rank_sum_tally(ux, cx, uy, cy)[1].size != n1 + n2
    alpha = 1.0 - level
    if n1 < EXACT_BELOW and n2 < EXACT_BELOW and not ties:
        diffs = np.sort(np.subtract.outer(x, y).ravel())
        counts = _ranksum_counts(n1, n2)
        qu = _exact_quantile(counts, alpha / 2.0)
        if qu == 0:
            qu = 1
        ql = n1 * n2 - qu
        achieved = 2.0 * sum(counts[:qu]) / sum(counts)
        ci: tuple[float, float] | None = (float(diffs[qu - 1]), float(diffs[ql]))
        got = level
        if achieved - alpha > alpha / 2.0:
            got = 1.0 - achieved
            ci = None
        return LocationShift(method, _median_sorted(diffs), ci, got, True, n1 + n2)
    total = n1 + n2

    def w(m: float, correct: bool = True) -> float:
        ranked, t = rank_sum_tally(ux - m, cx, uy, cy)
        t = t.astype(np.float64)
        dz = ranked - n1 * (n1 + 1) / 2.0 - n1 * n2 / 2.0
        corr = float(np.sign(dz)) * 0.5 if correct else 0.0
        var = (n1 * n2 / 12.0) * ((total + 1) - float(np.sum(t**3 - t)) / (total * (total - 1)))
        if var <= 0.0:
            return math.nan if dz - corr == 0 else math.copysign(math.inf, dz - corr)
        return (dz - corr) / math.sqrt(var)

    lo_m, hi_m = float(x.min() - y.max()), float(x.max() - y.min())
    w_lo, w_hi = w(lo_m), w(hi_m)

    def root(zq: float) -> float:
        fl = w_lo - zq
        if fl <= 0:
            return lo_m
        fu = w_hi - zq
        if fu >= 0:
            return hi_m
        return _uniroot(lambda m: w(m) - zq, lo_m, hi_m, fl, fu)

    lo, hi = root(_qnorm(1.0 - alpha / 2.0)), root(_qnorm(alpha / 2.0))
    ci = None if math.isnan(lo) or math.isnan(hi) else (lo, hi)
    estimate = _uniroot(lambda m: w(m, False), lo_m, hi_m, w(lo_m, False), w(hi_m, False))
    return LocationShift(
        method, None if math.isnan(estimate) else estimate, ci, level, False, total
    )


# --------------------------------------------------------------------------- other tests


def p_adjust_bh(ps: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values, as R's ``p.adjust(p, method = "BH")``.

    Missing p-values (``None`` or NaN) stay missing and are not counted: with ``m``
    present p-values sorted in decreasing order, ``p_adj(i) = min(1, min_{j >= i}
    m / j * p_(j))`` where ``j`` is the rank from the smallest. Order is kept.
    """
    present = [(i, float(p)) for i, p in enumerate(ps) if p is not None and not math.isnan(p)]
    out: list[float | None] = [None] * len(ps)
    m = len(present)
    # Decreasing p; ties keep input order as R's order(); equal p get equal results anyway.
    ordered = sorted(present, key=lambda ip: -ip[1])
    running = math.inf
    for position, (index, p) in enumerate(ordered):
        rank = m - position
        running = min(running, m / rank * p)
        out[index] = min(1.0, running)
    return out


def gamma_q(a: float, x: float) -> float:
    """The regularized upper incomplete gamma function ``Q(a, x)``: R ``pgamma(x, a,
    lower.tail = FALSE)``, scipy ``special.gammaincc(a, x)``. A series below ``x < a + 1``,
    else a continued fraction (modified Lentz), as Numerical Recipes' ``gammq``."""
    if x <= 0.0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        ap = a
        for _ in range(100_000):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-16:
            break
    return math.exp(log_front) * h


def chisq_upper(statistic: float, df: float) -> float:
    """``P(chi^2_df > statistic)``: R ``pchisq(x, df, lower.tail = FALSE)``."""
    return gamma_q(df / 2.0, statistic / 2.0)


@dataclass(frozen=True)
class KruskalWallis:
    """Kruskal-Wallis rank-sum test across groups."""

    statistic: float  # H, tie-corrected
    df: int
    p: float | None  # None when every value is the same (R gives NaN)
    n: int


def kruskal_wallis(groups: Sequence[ArrayLike]) -> KruskalWallis | None:
    """Kruskal-Wallis test that the groups come from one distribution, as R's
    ``kruskal.test(list(g1, g2, ...))``.

    NaNs are dropped; values are rounded to 10 decimals (as the other rank tests). With
    all ``N`` values ranked together (average ranks), ``R_i`` the rank sum and ``n_i`` the
    size of group ``i``: ``H = (12 / (N (N + 1)) sum(R_i^2 / n_i) - 3 (N + 1)) /
    (1 - sum(t^3 - t) / (N^3 - N))`` over groups of ``t`` tied values; ``df = g - 1``;
    ``p = P(chi^2_df > H)``. ``None`` with fewer than two non-empty groups.
    """
    vs = [np.round(_vector(g), RANK_DECIMALS) for g in groups]
    vs = [v for v in vs if v.size]
    if len(vs) < 2:
        return None
    values = np.concatenate(vs)
    n = int(values.size)
    ranks = rank_average(values)
    sizes = np.array([v.size for v in vs], dtype=np.float64)
    bounds = np.cumsum(np.concatenate([[0], sizes])).astype(int)
    sums = np.array([ranks[bounds[i] : bounds[i + 1]].sum() for i in range(len(vs))])
    h = 12.0 / (n * (n + 1.0)) * float(np.sum(sums**2 / sizes)) - 3.0 * (n + 1.0)
    _, t = np.unique(values, return_counts=True)
    t = t.astype(np.float64)
    correction = 1.0 - float(np.sum(t**3 - t)) / (n**3 - n) if n > 1 else 0.0
    df = len(vs) - 1
    if correction <= 0.0:
        return KruskalWallis(math.nan, df, None, n)
    h /= correction
    return KruskalWallis(h, df, chisq_upper(h, df), n)


def kruskal_wallis_tally(table: ArrayLike) -> KruskalWallis | None:
    """:func:`kruskal_wallis` from counts: ``table[i, j]`` is how many values of group
    ``i`` equal the ``j``-th smallest distinct value (columns in increasing order of
    value; a column per distinct value after rounding to 10 decimals, as the values
    themselves would be ranked). The same statistic and p, found without sorting:

    with ``c_j`` the column totals, the ``c_j`` values tied at the ``j``-th value share
    the average rank ``r_j = c_1 + ... + c_(j-1) + (c_j + 1) / 2``, so the rank sums are
    ``R_i = sum_j table[i, j] r_j`` and the ties ``t`` are the non-zero ``c_j``. Rank sums
    are sums of halves, exact in floating point (up to about 10^8 values), so they equal
    the sorted ranks' sums bit for bit. R: ``kruskal.test(list(g1, g2, ...))``.
    Groups with no value are left out; ``None`` with fewer than two left.
    """
    t = np.asarray(table, dtype=np.int64)
    t = t[t.sum(axis=1) > 0]
    if t.shape[0] < 2:
        return None
    column = t.sum(axis=0)
    n = int(column.sum())
    starts = np.cumsum(column) - column
    average = starts + (column + 1) / 2.0
    sizes = t.sum(axis=1).astype(np.float64)
    sums = (t * average).sum(axis=1)
    h = 12.0 / (n * (n + 1.0)) * float(np.sum(sums**2 / sizes)) - 3.0 * (n + 1.0)
    ties = column[column > 0].astype(np.float64)
    correction = 1.0 - float(np.sum(ties**3 - ties)) / (n**3 - n) if n > 1 else 0.0
    df = t.shape[0] - 1
    if correction <= 0.0:
        return KruskalWallis(math.nan, df, None, n)
    h /= correction
    return KruskalWallis(h, df, chisq_upper(h, df), n)


@dataclass(frozen=True)
class GoodnessOfFit:
    """Pearson's chi-square goodness-of-fit test."""

    statistic: float
    df: int
    p: float  # the p to report: Monte Carlo when ``simulated``, else asymptotic
    expected: tuple[float, ...]  # expected counts, summing to the observed total
    simulated: bool = False  # an expected count below 5: p from MC_REPLICATES draws
    p_asymptotic: float | None = None  # the chi-square distribution's p, kept for reference
    replicates: int = 0


def chisq_gof(
    observed: ArrayLike,
    expected: ArrayLike,
    *,
    seed: int = DEFAULT_SEED,
    replicates: int = MC_REPLICATES,
) -> GoodnessOfFit | None:
    """Chi-square goodness of fit of observed counts to expected proportions or counts.

    ``E = sum(x) * p / sum(p)``; ``X^2 = sum((x - E)^2 / E)``; ``df = k - 1``;
    ``p = P(chi^2_df > X^2)``. R: ``chisq.test(x, p = p / sum(p))`` (and
    ``scipy.stats.chisquare(x, E)``). When an expected count is below 5 the chi-square
    distribution is a poor guide (R warns "Chi-squared approximation may be incorrect"),
    so ``p`` is the Monte Carlo p of :func:`chisq_gof_monte_carlo` (``simulated``), with
    the asymptotic one kept in ``p_asymptotic``. ``None`` with fewer than two categories
    or no observations; a category with no expected share raises ``ValueError``.
    """
    x = np.asarray(observed, dtype=np.float64).ravel()
    p = np.asarray(expected, dtype=np.float64).ravel()
    if x.shape != p.shape:
        raise ValueError("observed and expected must have the same number of categories")
    if (x < 0).any() or (p < 0).any() or np.isnan(x).any() or np.isnan(p).any():
        raise ValueError("counts and proportions must be non-negative numbers")
    if x.size < 2 or x.sum() == 0:
        return None
    if (p == 0).any():
        raise ValueError("every category needs an expected share above zero")
    e = x.sum() * p / p.sum()
    statistic = float(np.sum((x - e) ** 2 / e))
    df = int(x.size - 1)
    asymptotic = chisq_upper(statistic, df)
    expected_counts = tuple(map(float, e))
    if float(e.min()) < 5.0:
        mc = chisq_gof_monte_carlo(x, p, seed=seed, replicates=replicates)
        return GoodnessOfFit(statistic, df, mc, expected_counts, True, asymptotic, replicates)
    return GoodnessOfFit(statistic, df, asymptotic, expected_counts, False, asymptotic)


_ALMOST_ONE = 1.0 - 64.0 * 2.220446049250313e-16


def chisq_gof_monte_carlo(
    observed: ArrayLike,
    expected: ArrayLike,
    *,
    seed: int = DEFAULT_SEED,
    replicates: int = MC_REPLICATES,
) -> float:
    """Monte Carlo p of the chi-square goodness-of-fit test, as R's ``chisq.test(x, p = p,
    simulate.p.value = TRUE, B = replicates)``: ``replicates`` tables of ``n = sum(x)``
    drawn from the multinomial(n, p) (seeded ``Generator(PCG64(seed))``), each one's
    ``X^2`` against the same expected counts, and ``p = (1 + #{X^2_sim >= (1 - 64 eps)
    X^2}) / (B + 1)``. R draws with its own generator, so the p-values agree within Monte
    Carlo error (and the same seed gives the same p here, always)."""
    x = np.asarray(observed, dtype=np.float64).ravel()
    p = np.asarray(expected, dtype=np.float64).ravel()
    p = p / p.sum()
    n = int(round(float(x.sum())))
    e = n * p
    statistic = float(np.sum((x - e) ** 2 / e))
    rng = np.random.Generator(np.random.PCG64(seed))
    tables = rng.multinomial(n, p, size=replicates).astype(np.float64)
    simulated = np.sum((tables - e) ** 2 / e, axis=1)
    return (1.0 + float(np.count_nonzero(simulated >= _ALMOST_ONE * statistic))) / (
        replicates + 1.0
    )


def dissimilarity(observed: ArrayLike, expected: ArrayLike) -> float | None:
    """The index of dissimilarity between two make-ups: half the sum of the absolute
    differences of the shares, ``D = 0.5 * sum(|x_g / sum(x) - p_g / sum(p)|)``, from 0
    (the same make-up) to 1; the share of respondents who would have to be in another
    group for the respondents to mirror the members. R: ``0.5 * sum(abs(x / sum(x) - p /
    sum(p)))``. ``None`` without observations or expected shares."""
    x = np.asarray(observed, dtype=np.float64).ravel()
    p = np.asarray(expected, dtype=np.float64).ravel()
    if x.sum() <= 0 or p.sum() <= 0:
        return None
    return 0.5 * float(np.sum(np.abs(x / x.sum() - p / p.sum())))


# --------------------------------------------------------------------------- raking

TRIM_CAP = 5.0
"""Raked weights above this many times the mean weight are trimmed to it (the excess is
spread over the others, repeatedly, as ``survey::trimWeights(..., strict = TRUE)``)."""


@dataclass(frozen=True)
class Raking:
    """Weights raked to several margins (see :func:`rake`)."""

    weights: np.ndarray  # final (trimmed) weights, one per row
    stage_weights: tuple[np.ndarray, ...]  # weights after each margin in the last pass
    cells: tuple[np.ndarray, ...]  # per margin, each row's cell (0..)
    iterations: int
    converged: bool
    trimmed: int  # weights capped at TRIM_CAP x the mean


def rake(
    cells: Sequence[np.ndarray],
    shares: Sequence[Sequence[float | None]],
    *,
    maxit: int = 100,
    epsilon: float = 1e-9,
    cap: float | None = TRIM_CAP,
) -> Raking:
    """Iterative proportional fitting of unit starting weights to several margins, as R's
    ``survey::rake(design, list(~m1, ~m2, ...), list(pop1, pop2, ...), control =
    list(maxit = maxit, epsilon = epsilon))`` on ``svydesign(ids = ~1, weights = ~1)``.

    ``cells[m][i]`` is row ``i``'s cell on margin ``m``; ``shares[m][c]`` the cell's share
    of the membership, or ``None`` for a cell whose membership is unknown (respondents who
    left the question blank): such a cell keeps its current weighted total, and the known
    cells share the rest as their membership does. Each pass post-stratifies on every
    margin in turn (``w_i *= T_c / sum_{j in c} w_j``); passes stop when no cell of the
    joint table of all margins moved by ``epsilon * sum(w)`` or more (R's rule for
    ``epsilon < 1``), or after ``maxit`` passes. Then weights above ``cap`` times the mean
    are trimmed as ``survey::trimWeights(design, upper = cap * mean(w), strict = TRUE)``:
    capped, the excess spread evenly over the others, again until none is above.
    """
    n = int(cells[0].size) if cells else 0
    w = np.ones(n)
    tol = epsilon * n if epsilon < 1 else epsilon
    joint = np.zeros(n, dtype=np.int64)
    for c in cells:
        joint = joint * (int(c.max()) + 1 if c.size else 1) + c
    _, joint = np.unique(joint, return_inverse=True)

    def table(weights: np.ndarray) -> np.ndarray:
        return np.bincount(joint, weights=weights)

    old = table(w)
    stages: list[np.ndarray] = []
    converged = False
    iterations = 0
    while iterations < maxit:
        stages = []
        for c, share in zip(cells, shares, strict=True):
            k = len(share)
            totals = np.bincount(c, weights=w, minlength=k)
            known = [j for j in range(k) if share[j] is not None and totals[j] > 0]
            free_total = float(totals[[j for j in range(k) if share[j] is None]].sum())
            live = sum(float(share[j]) for j in known)  # type: ignore[arg-type]
            target = totals.copy()
            for j in known:
                target[j] = (float(w.sum()) - free_total) * float(share[j]) / live  # type: ignore[arg-type]
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(totals > 0, target / totals, 1.0)
            w = w * factor[c]
            stages.append(w.copy())
        new = table(w)
        delta = float(np.max(np.abs(old - new))) if new.size else 0.0
        if delta < tol:
            converged = True
            break
        old = new
        iterations += 1
    trimmed = 0
    if cap is not None and n:
        upper = cap * float(np.mean(w))
        while True:
            outside = w > upper
            if not outside.any() or outside.all():
                break
            trimmed = max(trimmed, int(np.count_nonzero(outside)))
            excess = float(np.sum(w[outside] - upper))
            w = np.where(outside, upper, w)
            w[~outside] += excess / int(np.count_nonzero(~outside))
    return Raking(w, tuple(stages), tuple(cells), iterations, converged, trimmed)


@dataclass(frozen=True)
class WeightedMean:
    mean: float | None
    se: float | None
    ci95: tuple[float, float] | None
    n: int  # rows with a value and a weight above zero
    n_effective: float | None  # Kish: (sum w)^2 / sum w^2
    deff: float | None  # Kish's design effect from weighting: n / n_effective


def raked_mean(values: ArrayLike, raking: Raking) -> WeightedMean:
    """The weighted mean of ``values`` (NaN = no value: a domain, as ``na.rm = TRUE``) on
    a raked design, with its linearisation standard error, as R's
    ``svymean(~y, rake(...), na.rm = TRUE)`` (and ``trimWeights``):

    ``mean = sum(w y) / sum(w)`` over the rows with a value; the influence values
    ``z_i = w_i (y_i - mean) / sum(w)`` (0 for rows without a value) are replaced, ten times
    over the margins in turn, by their residuals from each margin's cell means,
    ``z <- z - g * ave(z / g, cell)`` with ``g`` the weights after that margin's
    post-stratification (survey's ``svyrecvar`` for a raking); then
    ``Var = n / (n - 1) * sum((z - mean(z))^2)`` over all ``n`` rows (with replacement,
    one stage). The 95% interval is ``mean -/+ qnorm(0.975) SE``, as
    ``confint(svymean(...))``. Kish's ``deff = n sum(w^2) / sum(w)^2`` and effective n
    ``(sum w)^2 / sum(w^2)`` over the rows with a value.
    """
    y = np.asarray(values, dtype=np.float64).ravel()
    present = ~np.isnan(y)
    w = np.where(present, raking.weights, 0.0)
    n_rows = int(y.size)
    used = int(np.count_nonzero(w > 0))
    if used == 0 or n_rows < 2:
        return WeightedMean(None, None, None, used, None, None)
    total = float(w.sum())
    yy = np.where(present, y, 0.0)
    mean = float(np.sum(w * yy) / total)
    z = np.where(present, (yy - mean) * w / total, 0.0)
    for _ in range(10):
        for g, c in zip(raking.stage_weights, raking.cells, strict=True):
            ratio = z / g
            sums = np.bincount(c, weights=ratio)
            counts = np.bincount(c)
            with np.errstate(invalid="ignore", divide="ignore"):
                ave = np.where(counts > 0, sums / counts, 0.0)
            z = z - g * ave[c]
    var = n_rows / (n_rows - 1.0) * float(np.sum((z - z.mean()) ** 2))
    se = math.sqrt(var)
    half = _qnorm(0.975) * se
    wu = w[w > 0]
    n_eff = float(wu.sum() ** 2 / np.sum(wu**2))
    return WeightedMean(mean, se, (mean - half, mean + half), used, n_eff, used / n_eff)
