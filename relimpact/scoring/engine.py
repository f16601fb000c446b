"""Scoring: from a ResponseSet to the one result object every renderer uses.

Every figure follows "How answers become numbers" in the survey template
contract: reversal on the declared scale, the half rule for dimension scores,
pairwise alpha with Feldt's interval, % favourable after reversal, seeded
bootstrap intervals, and min_group_size with complementary suppression.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from relimpact.common import memory, parallel
from relimpact.common.errors import UsageError
from relimpact.common.privacy import suppress
from relimpact.common.text import count_of, did_you_mean, unsigned
from relimpact.read.groups import NO_ANSWER, group_decision, groups_of, segment_questions
from relimpact.read.responses import Categorical, ResponseSet
from relimpact.scoring import stats
from relimpact.scoring.items import (  # the last two re-exported
    DimensionTally,
    dimension_matrix,  # noqa: F401
    dimension_scores,  # noqa: F401
    scored_item,
    tally_dimension,
)
from relimpact.survey.model import Question, Survey

if TYPE_CHECKING:
    from relimpact.net.network import NetworkStats
    from relimpact.scoring.change import ChangeResult
    from relimpact.scoring.representation import Representation, Weighted
    from relimpact.scoring.trend import Trend

SCHEMA = "relimpact.score/1"


@dataclass(frozen=True)
class ItemResult:
    id: str
    text: str
    dimension: str
    reverse: bool
    n: int
    mean: float | None  # after reversal, as scored
    sd: float | None
    favourable_pct: float | None  # share at or above favourable_from, after reversal
    agree_pct: float | None  # share at or above favourable_from as answered (not reversed)
    not_applicable: int | None  # None where the item is hidden (too few answered)
    counts: Mapping[str, int]  # answers per point label, as answered, lowest point first
    r_drop: float | None
    alpha_drop: float | None
    favourable_ci95: tuple[float, float] | None = None  # Wilson, in percent
    # fewer than min_group_size answered it: no mean, interval or answer counts shown
    suppressed: bool = False


@dataclass(frozen=True)
class DimensionResult:
    id: str
    label: str
    description: str
    enabler: bool
    focus: str | None
    items: tuple[str, ...]
    n: int
    alpha_words: str
    mean: float | None = None
    sd: float | None = None
    median: float | None = None
    ci95: tuple[float, float] | None = None
    favourable_pct: float | None = None
    alpha: float | None = None
    alpha_ci95: tuple[float, float] | None = None
    band: str | None = None
    suppressed: bool = False  # fewer respondents than min_group_size: no figure shown
    alpha_n: float | None = None  # mean pairwise-complete n behind alpha and its interval
    omega_total: float | None = None  # one factor, minres (stats.omega_total)
    omega_reversed: tuple[str, ...] = ()  # items omega counted reversed (negative loading)
    ci_method: str | None = None  # how ci95 was made (stats.mean_ci); None: no interval
    band_certain: bool | None = None  # False: ci95 crosses a band threshold
    band_range: str | None = None  # "borderline or strength" where it does
    favourable_ci95: tuple[float, float] | None = None  # Wilson, in percent
    # Share (percent) of the scored respondents who skipped some of the items: their score
    # rests on the items they answered (the half rule).
    partial_pct: float | None = None


@dataclass(frozen=True)
class GroupDimension:
    n: int | None
    mean: float | None = None
    sd: float | None = None
    favourable_pct: float | None = None
    band: str | None = None
    suppressed: bool = False
    ci95: tuple[float, float] | None = None  # stats.mean_ci, as the overall figure's
    ci_method: str | None = None
    band_certain: bool | None = None


@dataclass(frozen=True)
class SegmentTest:
    """Kruskal-Wallis test of one dimension across a segment question's shown groups
    (``stats.kruskal_wallis``; R ``kruskal.test``), BH-adjusted across every segment x
    dimension test of the run (R ``p.adjust(p, "BH")``)."""

    groups: tuple[str, ...]
    n: int
    statistic: float | None
    df: int
    p: float | None
    p_adjusted: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "kruskal-wallis",
            "groups": list(self.groups),
            "n": self.n,
            "statistic": _clean(self.statistic),
            "df": self.df,
            "p": _clean(self.p),
            "p_adjusted": _clean(self.p_adjusted),
        }


@dataclass(frozen=True)
class GroupResult:
    name: str
    n: int | None  # None when suppressed
    suppressed: bool
    dimensions: Mapping[str, GroupDimension] = field(default_factory=dict)


@dataclass(frozen=True)
class SegmentResult:
    question: str
    text: str
    groups: tuple[GroupResult, ...]
    tests: Mapping[str, SegmentTest] = field(default_factory=dict)  # dimension -> test


@dataclass(frozen=True)
class ScoreResult:
    """Everything the renderers need; ``to_dict`` gives the JSON contract."""

    survey: Survey
    files: tuple[str, ...]
    format: str
    rows: int
    respondents: int
    dimensions: Mapping[str, DimensionResult]
    items: Mapping[str, ItemResult]
    segments: Mapping[str, SegmentResult]
    warnings: tuple[str, ...]
    seed: int
    change: Mapping[str, Any] | None = None
    network: NetworkStats | None = None  # from member/connections answers, see network.py
    network_change: Mapping[str, Any] | None = None
    extras: Mapping[str, Any] = field(default_factory=dict)
    # With a baseline (see change.py): the typed figures behind ``change`` and how the
    # waves were compared (items left out, matching).
    change_result: ChangeResult | None = None
    change_notes: tuple[str, ...] = ()
    # Who we heard from, per population question (see representation.py).
    representation: Mapping[str, Representation] = field(default_factory=dict)
    # Dimension means re-weighted to the membership, beside (never instead of) the others.
    weighted: Weighted | None = None
    # Scored questions with no column in the files, read as not asked (--allow-missing).
    not_asked: tuple[str, ...] = ()
    # The first and last submission date (ISO) of this wave and of the baseline, when the
    # exports have a submission time column (``ResponseSet.fieldwork``).
    fieldwork: tuple[str, str] | None = None
    baseline_fieldwork: tuple[str, str] | None = None
    fieldwork_note: str = ""  # why the dates are not shown, when the exports' are unclear
    # Several waves (``waves=`` of ``score``): each dimension and the network, wave by wave.
    trend: Trend | None = None
    # every exporter of the files, each once, in their order (JSON: when more than one)
    formats: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "survey": {
                "id": self.survey.id,
                "title": self.survey.title,
                "version": self.survey.version or None,
                "network": self.survey.network or None,
            },
            "source": {
                "files": list(self.files),
                "format": self.format,
                **({"formats": list(self.formats)} if len(self.formats) > 1 else {}),
                "rows": self.rows,
                "fieldwork": _period(self.fieldwork),
            },
            "respondents": self.respondents,
            "min_group_size": self.survey.min_group_size,
            "seed": self.seed,
            "dimensions": {d: _dimension_dict(r) for d, r in self.dimensions.items()},
            "items": {q: _item_dict(r) for q, r in self.items.items()},
            "segments": {s: _segment_dict(r) for s, r in self.segments.items()},
        }
        tests = {
            s: {d: t.to_dict() for d, t in r.tests.items()}
            for s, r in self.segments.items()
            if r.tests
        }
        if tests:
            out["segment_tests"] = tests
        if self.change is not None:
            out["source"]["baseline_fieldwork"] = _period(self.baseline_fieldwork)
            out["change"] = dict(self.change)
            out["change_notes"] = list(self.change_notes)
        if self.representation:
            out["representation"] = {q: r.to_dict() for q, r in self.representation.items()}
        if self.weighted is not None:
            out["weighted"] = self.weighted.to_dict()
        if self.network is not None:
            out["network"] = self.network.to_dict()
            if self.network_change is not None:
                out["network"]["change"] = dict(self.network_change)
        for key, value in self.extras.items():
            out[key] = value
        if self.not_asked:
            out["not_asked"] = list(self.not_asked)
        if self.trend is not None:
            out["trend"] = self.trend.to_dict()
        out["warnings"] = list(self.warnings)
        return out


def _period(days: tuple[str, str] | None) -> dict[str, str] | None:
    return None if days is None else {"from": days[0], "to": days[1]}


def _clean(x: Any) -> Any:
    """NaN and numpy scalars to JSON-friendly values."""
    if isinstance(x, (float, np.floating)):
        x = float(x)
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, tuple):
        return [_clean(v) for v in x]
    return x


def _dimension_dict(r: DimensionResult) -> dict[str, Any]:
    return {
        "label": r.label,
        "enabler": r.enabler,
        "focus": r.focus,
        "items": list(r.items),
        "n": r.n,
        "mean": _clean(r.mean),
        "sd": _clean(r.sd),
        "median": _clean(r.median),
        "ci95": _clean(r.ci95),
        "favourable_pct": _clean(r.favourable_pct),
        "alpha": _clean(r.alpha),
        "alpha_ci95": _clean(r.alpha_ci95),
        "alpha_words": r.alpha_words,
        "alpha_n": _clean(r.alpha_n),
        "omega_total": _clean(r.omega_total),
        "omega_reversed": list(r.omega_reversed),
        "ci_method": r.ci_method,
        "favourable_ci95": _clean(r.favourable_ci95),
        "partial_pct": _clean(r.partial_pct),
        "band": r.band,
        "band_certain": r.band_certain,
        "suppressed": r.suppressed,
    }


def _item_dict(r: ItemResult) -> dict[str, Any]:
    return {
        "dimension": r.dimension,
        "text": r.text,
        "reverse": r.reverse,
        "n": r.n,
        "mean": _clean(r.mean),
        "sd": _clean(r.sd),
        "favourable_pct": _clean(r.favourable_pct),
        "agree_pct": _clean(r.agree_pct),
        "not_applicable": r.not_applicable,
        "counts": dict(r.counts),
        "r_drop": _clean(r.r_drop),
        "alpha_drop": _clean(r.alpha_drop),
        "favourable_ci95": _clean(r.favourable_ci95),
        "suppressed": r.suppressed,
    }


def _segment_dict(r: SegmentResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for g in r.groups:
        if g.suppressed:
            out[g.name] = {"n": None, "suppressed": True}
            continue
        dims = {}
        for d, gd in g.dimensions.items():
            if gd.suppressed:
                dims[d] = {"n": None, "suppressed": True}
            else:
                dims[d] = {
                    "n": gd.n,
                    "mean": _clean(gd.mean),
                    "sd": _clean(gd.sd),
                    "favourable_pct": _clean(gd.favourable_pct),
                    "band": gd.band,
                    "ci95": _clean(gd.ci95),
                    "ci_method": gd.ci_method,
                    "band_certain": gd.band_certain,
                }
        out[g.name] = {"n": g.n, "suppressed": False, "dimensions": dims}
    return out


# --------------------------------------------------------------------------- computation


def membership_size(survey: Survey) -> int | None:
    """The membership's size N from the template's ``population`` counts (the largest
    total over its questions, as a question may leave some members out), or None."""
    totals = [sum(int(v) for v in counts.values()) for counts in survey.population.values()]
    return max(totals) if totals and max(totals) > 0 else None


def favourable_interval(
    pct: float | None, n: float, population: int | None
) -> tuple[float, float] | None:
    """Wilson's 95% interval of a % favourable from ``n`` answers, in percent, with the
    finite-population correction; none below ``stats.NO_INTERVAL_BELOW`` answers."""
    if pct is None or n < stats.NO_INTERVAL_BELOW:
        return None
    ci = stats.wilson_ci(pct / 100.0, n, correction=stats.fpc(n, population))
    return None if ci is None else (100.0 * ci[0], 100.0 * ci[1])


def _answer_counts(
    survey: Survey, q: Question, dim_tally: DimensionTally, j: int
) -> np.ndarray | None:
    """How many answered item ``q`` (column ``j`` of its dimension's tally) with each value
    from the scale's lowest point up, as answered (not reversed), counted from the
    dimension's answer combinations; None where the answers are not all whole numbers
    from the lowest point up (then ``_item_result`` counts them itself)."""
    scale = survey.scale_of(q)
    v = dim_tally.values[:, j]
    ok = ~np.isnan(v)
    raw = scale.reverse(v[ok]) if q.reverse else v[ok]
    if not np.all(raw == np.floor(raw)) or (raw.size and float(raw.min()) < scale.min_value):
        return None
    offset = raw.astype(np.int64) - scale.min_value
    size = scale.max_value - scale.min_value + 1
    counted = np.bincount(offset, weights=dim_tally.frequencies[ok], minlength=size)
    return counted.astype(np.int64)


def _item_result(
    survey: Survey,
    responses: ResponseSet,
    q: Question,
    rest: stats.ItemRest | None,
    counts: np.ndarray | None = None,
) -> ItemResult:
    """An item's figures from its answer counts per point (``counts``, from the lowest
    point up, as answered; counted here in one pass over the data when not given):
    ``n = sum(c)``, ``mean = sum(c * v) / n``, ``sd = sqrt(sum(c * (v - mean)^2) / (n - 1))``
    with ``v`` the scored (reversed where keyed so) value of each point."""
    scale = survey.scale_of(q)
    if counts is None:
        raw = np.asarray(responses.scale[q.id])
        present = raw[~np.isnan(raw)].astype(np.int64) - scale.min_value
        tally = np.bincount(present, minlength=scale.max_value - scale.min_value + 1)
    else:
        tally = counts
    points = np.array(scale.values, dtype=np.float64)
    c = tally[(points - scale.min_value).astype(np.int64)].astype(np.float64)
    scored = scale.reverse(points) if q.reverse else points
    n = int(c.sum())
    mean = sd = fav = agree = None
    if n:
        mean = float(c @ scored / n)
        sd = float(np.sqrt(c @ (scored - mean) ** 2 / (n - 1))) if n >= 2 else None
        if scale.favourable_from is not None:
            fav = float(100.0 * c[scored >= scale.favourable_from].sum() / n)
            agree = float(100.0 * c[points >= scale.favourable_from].sum() / n)
    na = responses.not_applicable.get(q.id)
    return ItemResult(
        id=q.id,
        text=q.text,
        dimension=q.dimension or "",
        reverse=q.reverse,
        n=n,
        mean=mean,
        sd=sd,
        favourable_pct=fav,
        agree_pct=agree,
        not_applicable=int(np.count_nonzero(na)) if na is not None else 0,
        counts={scale.label(v): int(x) for v, x in zip(scale.values, c, strict=True)},
        r_drop=rest.r_drop if rest else None,
        alpha_drop=rest.alpha_drop if rest else None,
        favourable_ci95=favourable_interval(fav, n, membership_size(survey)),
    )


def _dimension_result(
    survey: Survey,
    dim: str,
    tally: DimensionTally,
    items: Sequence[ItemResult],
    reliability: Reliability,
    seed: int,
    suppressed: bool,
) -> DimensionResult:
    d = survey.dimensions[dim]
    qs = survey.questions_of(dim)
    scale = survey.scale_of(qs[0])
    k = len(qs)
    frequencies = tally.frequencies
    counts = tally.counts(frequencies)
    n = int(counts.sum())
    alpha = reliability.alpha
    alpha_ci = None
    n_pair = reliability.n
    if alpha is not None and n_pair is not None and n_pair >= stats.NO_INTERVAL_BELOW:
        alpha_ci = stats.feldt_ci(alpha, n_pair, k)
    fav = [i.favourable_pct for i in items if i.favourable_pct is not None]
    fav_n = [i.n for i in items if i.favourable_pct is not None]
    if suppressed or n == 0:
        return DimensionResult(
            dim,
            d.label,
            d.description,
            d.enabler,
            d.focus,
            tuple(q.id for q in qs),
            n,
            stats.describe_alpha(None, k),
            suppressed=suppressed,
        )
    # The mean and sd from the scores in their order (as R's mean and sd add them up);
    # the median, interval and partial share from the tally.
    all_scores = tally.scores()
    valid = all_scores[~np.isnan(all_scores)]
    del all_scores
    mean = float(np.mean(valid))
    sd = float(np.std(valid, ddof=1)) if n >= 2 else None
    shown = counts > 0
    distinct, counts = tally.distinct[shown], counts[shown]
    median = stats.tally_median(distinct, counts)
    answered = (~np.isnan(tally.values)).sum(axis=1)
    scored = tally.code < len(tally.distinct)
    partial = int(frequencies[scored & (answered < k)].sum())
    population = membership_size(survey)
    ci, ci_method = stats.tally_mean_ci(
        distinct, counts, lambda: valid, seed=seed, population=population, mean=mean
    )
    fav_pct = float(np.mean(fav)) if fav else None
    return DimensionResult(
        id=dim,
        label=d.label,
        description=d.description,
        enabler=d.enabler,
        focus=d.focus,
        items=tuple(q.id for q in qs),
        n=n,
        mean=mean,
        sd=sd,
        median=median,
        ci95=ci,
        favourable_pct=fav_pct,
        alpha=alpha,
        alpha_ci95=alpha_ci,
        alpha_words=stats.describe_alpha(alpha, k),
        band=scale.band(mean),
        alpha_n=reliability.n if alpha is not None else None,
        omega_total=reliability.omega,
        omega_reversed=reliability.reversed,
        ci_method=ci_method,
        band_certain=scale.band_certain(mean, ci),
        partial_pct=100.0 * partial / n,
        band_range=scale.band_range(mean, ci),
        # The mean of the items' shares, as if the items were one: conservative, as the
        # mean of k correlated proportions varies no more than one of them.
        favourable_ci95=favourable_interval(
            fav_pct, float(np.mean(fav_n)) if fav_n else 0.0, population
        ),
    )


@dataclass(frozen=True)
class Reliability:
    alpha: float | None
    n: float | None  # mean pairwise-complete n (Feldt's n)
    omega: float | None
    reversed: tuple[str, ...] = ()


def _reliability(
    survey: Survey,
    dim: str,
    matrix: np.ndarray,
    moments: stats.PairwiseMoments,
    cov: np.ndarray,
    warnings: list[str],
    shift: np.ndarray | None = None,
) -> Reliability:
    """Alpha, Feldt's n and omega of a dimension, or None where too few answered together.

    Alpha rests on every pair of items; when any pair has fewer than
    ``max(5, min_group_size)`` respondents who answered both, alpha (and omega, from the
    same pairwise correlations) is not given, with a warning: psych refuses such data, and
    an alpha from two people (interval -6 to 0.9) helps nobody. Feldt's n is the mean
    pairwise-complete n (``stats.mean_pairwise_n``).
    """
    label = survey.dimensions[dim].label
    qs = survey.questions_of(dim)
    k = len(qs)
    i, j = np.triu_indices(k, 1)
    joint = moments.n[i, j]
    need = max(5, survey.min_group_size)
    if joint.size and float(joint.min()) < need:
        worst = int(np.argmin(joint))
        a, b = qs[int(i[worst])].id, qs[int(j[worst])].id
        fewest = int(joint.min())
        # a count under min_group_size is not given: it would tell about so few people
        # (one respondent: whether they answered both)
        who = (
            f"only {count_of(fewest, 'respondent')} answered both {a} and {b}, fewer than {need}"
            if fewest >= survey.min_group_size
            else f"fewer than {need} respondents answered both {a} and {b}"
        )
        warnings.append(f"{label}: reliability (alpha, omega) not computed: {who}.")
        return Reliability(None, None, None)
    alpha = stats.alpha_from_cov(cov)
    # the matrix is not used after this: omega may work in it (24 MB less at 1M x 3)
    fit = stats.omega_total(matrix, shift, overwrite=True) if k >= 3 else None
    omega = fit.omega_total if fit is not None else None
    against: list[str] = []
    if fit is not None:
        against = [q.id for q, v in zip(qs, fit.loadings, strict=True) if v < 0]
        if against:
            warnings.append(
                f"{label}: {', '.join(against)} run(s) against the other statements (a "
                "negative loading); omega counts them reversed, as psych does: check "
                "whether they should be reverse-keyed."
            )
    return Reliability(alpha, stats.mean_pairwise_n(moments.n), omega, tuple(against))


_DENSE_CELLS = 1 << 22
"""group_tally counts groups x answer combinations in a table up to this many cells (or
two per respondent), else sorts the respondents' cells."""


@dataclass(frozen=True, eq=False)
class GroupTally:
    """A dimension broken down by one question's groups, from one count of the
    respondents per group and answer combination (``items.DimensionTally``)."""

    n: np.ndarray  # (groups,) int64: respondents with a score
    mean: np.ndarray  # (groups,) NaN where none
    sd: np.ndarray  # (groups,) n - 1 denominator; NaN below two
    favourable: np.ndarray  # (groups,) mean over items of each item's % favourable
    counts: np.ndarray  # (groups, len(distinct)) int64: respondents per distinct score


def group_tally(
    tally: DimensionTally, codes: np.ndarray, groups: int, threshold: int | None
) -> GroupTally:
    """Per group (``codes``: each respondent's group, ``0..groups - 1``): n, mean and sd of
    the scores, and the mean over the items of each item's % favourable (answers at or
    above ``threshold``, as scored; NaN where no item has answers, or without a
    threshold).

    ``mean = sum(x) / n`` and ``sd = sqrt(sum((x - mean)^2) / (n - 1))``, the sums added
    in the respondents' order (``np.bincount`` with weights; respondents without a score
    add 0), so they are the sums of the scores themselves, to the last bit. Everything
    else is counted: one ``np.bincount`` of group x combination gives each group's
    combinations, hence its items' answers and its tally of scores. R: ``tapply(x, g,
    mean)``, ``tapply(x, g, sd)``, ``100 * tapply(item >= threshold, g, mean, na.rm =
    TRUE)`` averaged over items.
    """
    combos = len(tally.score)
    m = len(tally.distinct)
    g = np.asarray(codes, dtype=np.intp)
    key = g * combos
    key += tally.pattern
    # The (group, combination) cells that occur and their counts: from a table when the
    # groups x combinations fit in one (few items), else sorted (many items of many points,
    # where nearly every respondent's combination is their own).
    dense = groups * combos <= max(_DENSE_CELLS, 2 * g.size)
    if dense:
        table = np.bincount(key, minlength=groups * combos)
        cells = np.flatnonzero(table)
        many = table[cells]
    else:
        cells, many = np.unique(key, return_counts=True)
    in_group, combo = np.divmod(cells, combos)

    def per_group(weights: np.ndarray) -> np.ndarray:
        return np.bincount(in_group, weights=many * weights, minlength=groups).astype(np.int64)

    counts = np.bincount(
        in_group * (m + 1) + tally.code[combo], weights=many, minlength=groups * (m + 1)
    )
    counts = counts.reshape(groups, m + 1).astype(np.int64)
    n = counts[:, :m].sum(axis=1)
    score0 = np.where(np.isnan(tally.score), 0.0, tally.score)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=score0[tally.pattern], minlength=groups) / n
        if dense:  # each cell's squared deviation, looked up per respondent
            squares = (tally.score[None, :] - mean[:, None]) ** 2
            squares[:, np.isnan(tally.score)] = 0.0
            weights = squares.ravel()[key]
        else:
            weights = (tally.score[tally.pattern] - mean[g]) ** 2
            weights[np.isnan(weights)] = 0.0
        dev = np.bincount(g, weights=weights, minlength=groups)
        sd = np.where(n >= 2, np.sqrt(dev / (n - 1)), np.nan)
    if threshold is None:
        favourable = np.full(groups, np.nan)
    else:
        present = ~np.isnan(tally.values)
        with np.errstate(invalid="ignore"):
            fav = tally.values >= threshold
        with np.errstate(invalid="ignore", divide="ignore"):
            pcts = [
                100.0 * per_group(fav[combo, j]).astype(np.float64) / per_group(present[combo, j])
                for j in range(present.shape[1])
            ]
        # NaN for a group no item has answers from
        favourable = stats.nanmean_columns(np.vstack(pcts))
    return GroupTally(n, mean, sd, favourable, counts[:, :m])


def _rank_columns(counts: np.ndarray, distinct: np.ndarray) -> np.ndarray:
    """``counts`` (groups x distinct scores) with the columns of scores that are equal
    once rounded to ``stats.RANK_DECIMALS`` added together, as the rank tests tie them."""
    rounded = np.round(distinct, stats.RANK_DECIMALS)
    if rounded.size < 2 or bool(np.all(rounded[1:] > rounded[:-1])):
        return counts
    _, column = np.unique(rounded, return_inverse=True)
    out = np.zeros((counts.shape[0], int(column.max()) + 1), dtype=np.int64)
    np.add.at(out.T, column, counts.T)
    return out


def _number(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


@dataclass(frozen=True, eq=False)
class _Groups:
    """A segment question's groups (``group_decision``): names, each respondent's group,
    sizes, and the groups hidden by the one suppression decision."""

    names: Sequence[str]
    codes: np.ndarray  # (respondents,) intp
    sizes: Sequence[int]
    hidden: set[int]


def _groups(responses: ResponseSet, qid: str) -> _Groups:
    names, codes, sizes, hidden = group_decision(responses, qid)
    return _Groups(names, np.asarray(codes, dtype=np.intp), sizes, set(hidden))


def _segment_dimension(
    survey: Survey, groups: _Groups, dim: str, tally: DimensionTally, seed: int
) -> tuple[dict[int, GroupDimension], SegmentTest | None]:
    """One dimension across a segment's groups: each shown group's figures (by group
    index) and the test between the groups. A task of its own: ``score`` runs these in
    threads while it scores the next dimension."""
    k = survey.min_group_size
    names, codes, hidden = groups.names, groups.codes, groups.hidden
    count = len(names)
    scale = survey.scale_of(survey.questions_of(dim)[0])
    gt = group_tally(tally, codes, count, scale.favourable_from)
    # A shown group's cell is hidden too when few of its members have a score here.
    dim_hidden = suppress(gt.n.tolist(), k, forced=hidden)
    figures: dict[int, GroupDimension] = {}
    for i in range(count):
        if i in hidden:
            continue
        if i in dim_hidden:
            figures[i] = GroupDimension(None, suppressed=True)
            continue
        m = _number(gt.mean[i])
        here = gt.counts[i] > 0

        def values(i: int = i) -> np.ndarray:
            scores = tally.score[tally.pattern[codes == i]]
            return scores[~np.isnan(scores)]

        ci, method = stats.tally_mean_ci(
            tally.distinct[here], gt.counts[i][here], values, seed=seed
        )
        figures[i] = GroupDimension(
            n=int(gt.n[i]),
            mean=m,
            sd=_number(gt.sd[i]),
            favourable_pct=_number(gt.favourable[i]),
            band=scale.band(m),
            ci95=ci,
            ci_method=method,
            band_certain=scale.band_certain(m, ci),
        )
    shown = [
        i for i in range(count) if i not in hidden and i not in dim_hidden and names[i] != NO_ANSWER
    ]
    test = None
    if len(shown) >= 2:
        kw = stats.kruskal_wallis_tally(_rank_columns(gt.counts[shown], tally.distinct))
        if kw is not None:
            test = SegmentTest(tuple(names[i] for i in shown), kw.n, kw.statistic, kw.df, kw.p)
    return figures, test


def _segment_result(
    q: Question,
    groups: _Groups,
    per_dimension: Mapping[str, tuple[dict[int, GroupDimension], SegmentTest | None]],
) -> SegmentResult:
    """A segment's result from its dimensions' figures (``_segment_dimension``)."""
    out = []
    for i, name in enumerate(groups.names):
        if i in groups.hidden:
            out.append(GroupResult(name, None, True))
            continue
        dims = {dim: figures[i] for dim, (figures, _) in per_dimension.items()}
        out.append(GroupResult(name, groups.sizes[i], False, dims))
    tests = {dim: test for dim, (_, test) in per_dimension.items() if test is not None}
    return SegmentResult(q.id, q.text, tuple(out), tests)


def _segment(
    survey: Survey,
    responses: ResponseSet,
    q: Question,
    tallies: Mapping[str, DimensionTally],
    seed: int = stats.DEFAULT_SEED,
    tasks: parallel.Pool | None = None,
) -> SegmentResult:
    """One segment question's groups, each dimension's figures per group and the tests
    between them. ``tasks``: the pool that computes the dimensions (``parallel.pool``;
    in turn when None)."""
    run = tasks if tasks is not None else parallel.in_order()
    groups = _groups(responses, q.id)
    done = run.map(lambda dim: _segment_dimension(survey, groups, dim, tallies[dim], seed), tallies)
    return _segment_result(q, groups, dict(zip(tallies, done, strict=True)))


def adjust_segment_tests(segments: Mapping[str, SegmentResult]) -> dict[str, SegmentResult]:
    """BH-adjust every segment x dimension test of the run together (R ``p.adjust(p, "BH")``
    over all of them), so that many comparisons do not make chance look like a finding."""
    from dataclasses import replace

    keys = [(s, d) for s, r in segments.items() for d in r.tests]
    adjusted = stats.p_adjust_bh([segments[s].tests[d].p for s, d in keys])
    out = dict(segments)
    for (s, d), p in zip(keys, adjusted, strict=True):
        tests = dict(out[s].tests)
        tests[d] = replace(tests[d], p_adjusted=p)
        out[s] = replace(out[s], tests=tests)
    return out


@dataclass(frozen=True, eq=False)
class _ScoredDimension:
    """One dimension's share of the result: its tally (for the segments), its items (as
    shown: hidden where too few answered), its figures and its warnings, in order."""

    tally: DimensionTally
    items: tuple[ItemResult, ...]
    result: DimensionResult
    warnings: tuple[str, ...]


def _score_dimension(
    survey: Survey, responses: ResponseSet, dim: str, seed: int, too_few: bool
) -> _ScoredDimension:
    """Score one dimension: its tally, items, figures and warnings (given back, not added
    to a list, so that the function reads only its inputs)."""
    warnings: list[str] = []
    qs = survey.questions_of(dim)
    # The items' columns side by side, filled one at a time (never all twice).
    matrix = np.empty((responses.respondents, len(qs)))
    for j, q in enumerate(qs):
        matrix[:, j] = scored_item(survey, responses, q)
    tally = tally_dimension(matrix)
    rests: Sequence[stats.ItemRest | None] = [None]
    reliability = Reliability(None, None, None)
    if len(qs) >= 2:
        # The items' means, counted (the moments' and the correlations' shift).
        shift = tally.item_means()
        moments = stats.pairwise_moments(matrix, shift)
        cov = moments.cov()
        rests = stats.item_rest_from_cov(cov)
        reliability = _reliability(survey, dim, matrix, moments, cov, warnings, shift)
    del matrix
    dim_items = [
        _item_result(survey, responses, q, r, _answer_counts(survey, q, tally, j))
        for j, (q, r) in enumerate(zip(qs, rests, strict=True))
    ]
    k = survey.min_group_size
    hidden_items = False
    shown: list[ItemResult] = []
    for it in dim_items:
        small = too_few or it.n < k  # fewer than min_group_size answered this item
        hidden_items |= small
        shown.append(_hidden_item(it) if small else it)
    few = tally.scored < k
    result = _dimension_result(survey, dim, tally, dim_items, reliability, seed, too_few or few)
    if few and not too_few and result.n:
        warnings.append(
            f"{result.label}: only {count_of(result.n, 'respondent')} "
            f"{'has' if result.n == 1 else 'have'} a score, fewer than min_group_size ({k}), "
            "so none of its figures is shown."
        )
    if hidden_items and not result.suppressed:
        # The dimension's % favourable is the mean of its items': with one item hidden,
        # it and the items shown would give the hidden item's share away.
        result = replace(result, favourable_pct=None, favourable_ci95=None)
    warnings.extend(_dimension_warnings(result, len(qs)))
    return _ScoredDimension(tally, tuple(shown), result, tuple(warnings))


def score(
    responses: ResponseSet,
    *,
    by: Sequence[str] = (),
    seed: int = stats.DEFAULT_SEED,
    baseline: ResponseSet | None = None,
    weight_by: str | Sequence[str] | None = None,
    group_by_file: bool = False,
    waves: Sequence[tuple[str, ResponseSet]] = (),
    label: str = "this survey",
    baseline_label: str = "last survey",
    tasks: parallel.Pool | None = None,
) -> ScoreResult:
    """Score a set of responses against its survey. The one entry point for Python users:

    >>> from relimpact import load_survey, read_responses, score   # doctest: +SKIP
    >>> result = score(read_responses(load_survey("survey.yaml"), ["responses.csv"]))

    ``baseline``: an earlier wave (``change.compare_waves``) fills ``change``.
    ``weight_by``: one or more ``population`` questions; dimension means raked to the
    membership on all of them fill ``weighted`` (``representation.weighted_means``).
    ``group_by_file``: each response file's figures side by side, as the segment ``file``.
    ``waves``: earlier waves, oldest first, each ``(label, ResponseSet)``, then the
    ``baseline`` (``baseline_label``) if given, then this wave (``label``): they fill
    ``trend`` (``scoring.trend.build_trend``). ``change`` stays the baseline's alone.
    ``tasks``: a ``common.parallel.pool()`` to share (a report chooses its quotes on it
    meanwhile); one of its own when None.
    """
    survey = responses.survey
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**128:
        raise UsageError(
            f"--seed {seed}: the seed of the bootstrap intervals is a whole number from 0 "
            "to 2**128 - 1.",
            hint="Leave --seed out for the fixed default, or give e.g. --seed 2026.",
        )
    segment_qs = segment_questions(survey, by)
    weights_by = [weight_by] if isinstance(weight_by, str) else list(weight_by or ())
    for qid in weights_by:
        if qid in survey.population:
            continue
        from relimpact.read.fit import survey_name

        known = list(survey.population)
        raise UsageError(
            f"--weight-by {qid}: the survey gives no membership counts for that "
            f"question{did_you_mean(qid, known)}.",
            hint=f"Weights need population.<question> in {survey_name(survey)}; questions "
            "with counts: " + (", ".join(known) or "none") + ".",
        )
    warnings = list(responses.warnings)
    too_few = responses.respondents < survey.min_group_size
    if too_few:
        warnings.append(
            f"Only {responses.respondents} respondents: fewer than min_group_size "
            f"({survey.min_group_size}), so no scores are shown."
        )
    dimensions: dict[str, DimensionResult] = {}
    items: dict[str, ItemResult] = {}
    tallies: dict[str, DimensionTally] = {}
    # Each segment's groups, decided once (min_group_size with complementary suppression).
    by_segment = {
        q.id: _groups(responses, q.id)
        for q in segment_qs
        if not too_few and q.id in responses.choice
    }
    with nullcontext(tasks) if tasks is not None else parallel.pool() as tasks:
        # One dimension at a time here (in threads they gain little: much of their work
        # holds the GIL, and each holds its items' columns); each dimension's segment
        # figures (group tallies and bootstraps, which release it) are computed meanwhile
        # by the pool's worker, and by this thread too once the dimensions are done
        # (parallel.py): on two cores, at most two tasks at once.
        pending: dict[str, dict[str, parallel.Result[Any]]] = {qid: {} for qid in by_segment}
        for dim in survey.dimension_order():
            scored = _score_dimension(survey, responses, dim, seed, too_few)
            # What the dimension freed (its items' columns) goes back before the next;
            # the threads' allocators keep freed memory otherwise (common/memory.py).
            memory.release()
            tallies[dim] = scored.tally
            items.update((it.id, it) for it in scored.items)
            dimensions[dim] = scored.result
            warnings.extend(scored.warnings)
            for qid, groups in by_segment.items():
                pending[qid][dim] = tasks.submit(
                    _segment_dimension, survey, groups, dim, scored.tally, seed
                )
        segments = {}
        for q in segment_qs if not too_few else ():
            if q.id not in by_segment:
                warnings.append(f"Segment '{q.id}': no column holds its answers, so no breakdown.")
                continue
            per_dimension = {dim: task.result() for dim, task in pending[q.id].items()}
            segments[q.id] = _segment_result(q, by_segment[q.id], per_dimension)
            hidden = [g.name for g in segments[q.id].groups if g.suppressed]
            if hidden:
                warnings.append(
                    f"Segment '{q.id}': {count_of(len(hidden), 'group')} not shown to protect "
                    f"privacy (fewer than {survey.min_group_size} respondents, or could be "
                    "worked out from the others)."
                )
    if group_by_file and not too_few:
        _file_segment(survey, responses, tallies, segments, warnings, seed)
    segments = adjust_segment_tests(segments)
    extra = _waves_and_weights(
        survey, responses, baseline, weights_by, too_few, tallies, segments, warnings
    )
    network = _network(survey, responses, warnings, seed)
    if network is not None and baseline is not None:
        extra["network_change"] = _network_change(survey, network, baseline, warnings)
    if waves:
        from relimpact.scoring.trend import build_trend

        before = [(baseline_label, baseline)] if baseline is not None else []
        extra["trend"] = build_trend(
            survey,
            [*waves, *before, (label, responses)],
            seed=seed,
            population=membership_size(survey),
        )
        warnings.extend(extra["trend"].notes)
    # Items order follows the template, not the dimension display order.
    order = [q.id for q in survey.scale_questions]
    return ScoreResult(
        survey=survey,
        files=tuple(f.path for f in responses.files),
        format=responses.format,
        formats=responses.formats,
        rows=responses.rows,
        respondents=responses.respondents,
        dimensions=dimensions,
        items={q: items[q] for q in order},
        segments=segments,
        warnings=tuple(warnings),
        seed=seed,
        network=network,
        not_asked=tuple(responses.not_asked),
        # A first or last submission date could point at one person in a tiny group.
        fieldwork=None if too_few else responses.fieldwork,
        baseline_fieldwork=None if baseline is None or too_few else baseline.fieldwork,
        fieldwork_note=" ".join(
            x.fieldwork_note for x in (responses, baseline) if x is not None and x.fieldwork_note
        ),
        **extra,
    )


FILE_SEGMENT = "file"


def file_segment_key(survey: Survey) -> str:
    """The segment key of ``--group-by-file``: "file", or "_file" ... when the survey has
    a question of that id."""
    key = FILE_SEGMENT
    while any(q.id == key for q in survey.questions):
        key = "_" + key
    return key


def segment_ids(
    responses: ResponseSet, by: Sequence[str] = (), group_by_file: bool = False
) -> tuple[str, ...]:
    """The segments ``score(responses, by=by, group_by_file=...)`` breaks the responses
    down by, in order, when there are enough respondents to show any (else none): the
    segment questions with a column, then the file."""
    ids = [q.id for q in segment_questions(responses.survey, by) if q.id in responses.choice]
    if group_by_file:
        ids.append(file_segment_key(responses.survey))
    return tuple(ids)


def _file_segment(
    survey: Survey,
    responses: ResponseSet,
    tallies: Mapping[str, DimensionTally],
    segments: dict[str, SegmentResult],
    warnings: list[str],
    seed: int = stats.DEFAULT_SEED,
) -> None:
    """Networks of networks: each response file's figures side by side, as segment "file"."""
    from dataclasses import replace
    from pathlib import PurePath

    index = responses.file_index
    if index is None:
        if len(responses.files) != 1:
            raise UsageError(
                "--group-by-file: these responses do not say which file each row came from.",
                hint="Read the files with relimpact.read.reading.read_responses, which records it.",
            )
        index = np.zeros(responses.respondents, dtype=np.int32)
    names = [PurePath(f.path).name for f in responses.files]
    if len(set(names)) < len(names):
        names = [f.path for f in responses.files]
    key = file_segment_key(survey)
    q = Question(key, "Response file (one per network)", type="choice", options=tuple(names))
    by_file = replace(
        responses,
        choice={**responses.choice, key: Categorical(tuple(names), np.asarray(index))},
    )
    segments[key] = _segment(survey, by_file, q, tallies, seed)
    hidden = [g.name for g in segments[key].groups if g.suppressed]
    if hidden:
        warnings.append(
            f"By file: {len(hidden)} file(s) not shown to protect privacy (fewer than "
            f"{survey.min_group_size} respondents, or could be worked out from the others)."
        )


def _waves_and_weights(
    survey: Survey,
    responses: ResponseSet,
    baseline: ResponseSet | None,
    weight_by: Sequence[str],
    too_few: bool,
    tallies: Mapping[str, DimensionTally],
    segments: Mapping[str, SegmentResult],
    warnings: list[str],
) -> dict[str, Any]:
    """ScoreResult fields for change between waves, who we heard from and weights."""
    from relimpact.scoring.change import compare_waves
    from relimpact.scoring.representation import representation, weighted_means

    out: dict[str, Any] = {}
    if baseline is not None:
        result = compare_waves(responses, baseline)
        out["change"] = result.to_dict()
        out["change_result"] = result
        out["change_notes"] = result.notes
        warnings.extend(n for n in result.notes if n.startswith("Change compares only"))
    reps = {}
    for qid in survey.population:
        rep = representation(survey, responses, qid)
        if rep is None:
            warnings.append(f"Who we heard from: no column holds the answers to '{qid}'.")
        else:
            reps[qid] = rep
    out["representation"] = reps
    margins_by = list(dict.fromkeys(weight_by))
    if margins_by and not too_few:
        from relimpact.scoring.representation import Margin

        missing = [qid for qid in margins_by if qid not in responses.choice]
        for qid in missing:
            warnings.append(f"--weight-by {qid}: no column holds its answers, so no weights.")
        if missing:
            return out
        margins = []
        for qid in margins_by:
            q = survey.question(qid)
            seg = segments.get(qid) or _segment(survey, responses, q, tallies)
            names, codes = groups_of(responses, qid)
            hidden = {
                dim: {
                    i
                    for i, g in enumerate(seg.groups)
                    if g.suppressed or g.dimensions[dim].suppressed
                }
                for dim in tallies
            }
            margins.append(Margin(qid, names, codes, hidden))
        scores = {dim: tally.scores() for dim, tally in tallies.items()}
        weighted = weighted_means(survey, margins, scores)
        out["weighted"] = weighted
        warnings.extend(
            n for n in weighted.notes if "cannot be weighted up" in n or "trimmed;" in n
        )
    return out


def _network(
    survey: Survey, responses: ResponseSet, warnings: list[str], seed: int | None = None
) -> NetworkStats | None:
    """The network map's figures, when the survey has a roster and its questions; with a
    ``seed`` (this wave, not a baseline), also tie strength, mixing and brokers."""
    nm = survey.network_map
    member_q = next((q for q in survey.questions if q.type == "member"), None)
    links_q = next((q for q in survey.questions if q.type == "connections"), None)
    if nm is None or member_q is None or links_q is None:
        return None
    if member_q.id not in responses.member or links_q.id not in responses.connections:
        warnings.append("Network map: no column holds the member or connections answers.")
        return None
    from relimpact.net.network import network_stats, nominations_from

    nominations = nominations_from(responses.member[member_q.id], responses.connections[links_q.id])
    stats_ = network_stats(nm.members, nominations, nm.convenors)
    if seed is not None:
        from relimpact.net.figures import network_figures

        stats_ = network_figures(stats_, responses, seed)
    if stats_.unknown_names:
        warnings.append(
            f"Network map: {stats_.unknown_names} name(s) given are not on the roster and were "
            "left out; add them to network_map.members if they are members."
        )
    return stats_


def _network_change(
    survey: Survey, after: NetworkStats, baseline: ResponseSet, warnings: list[str]
) -> Mapping[str, Any] | None:
    """Density, isolates and components then and now (``network.network_change``), and
    how many members answered in each wave (change may partly be who answered).

    Both waves are drawn on the survey's one roster, so the figures compare like with like.
    """
    from relimpact.net.network import network_change

    notes: list[str] = []
    before = _network(survey, baseline, notes)
    if before is None:
        warnings.append(
            "Network map: no column of the baseline holds the member or connections answers, "
            "so the change in the network is not shown."
        )
        return None
    warnings.extend(f"Baseline: {note}" for note in notes)
    responded = {
        "before": before.responded,
        "after": after.responded,
        "difference": after.responded - before.responded,
        "both": len(before.answered & after.answered),  # members who answered both times
    }
    return {**network_change(before, after), "responded": responded}


def _hidden_item(it: ItemResult) -> ItemResult:
    from dataclasses import replace

    return replace(
        it,
        mean=None,
        sd=None,
        favourable_pct=None,
        agree_pct=None,
        not_applicable=None,
        counts={},
        r_drop=None,
        alpha_drop=None,
        favourable_ci95=None,
        suppressed=True,
    )


def _omega_holds(r: DimensionResult, level: float) -> bool:
    """Omega reaches ``level`` with every item as keyed (none counted reversed)."""
    return r.omega_total is not None and not r.omega_reversed and r.omega_total >= level


def hangs_together(r: DimensionResult) -> bool:
    """Whether a dimension's statements can be read as one score: alpha, or omega with
    no statement counted reversed, at 0.70 or more. Omega is the better guide when the
    statements differ in how strongly they reflect the dimension (alpha then
    understates reliability)."""
    return (r.alpha is not None and r.alpha >= 0.7) or _omega_holds(r, 0.7)


def _dimension_warnings(r: DimensionResult, k: int) -> list[str]:
    out = []
    if not r.suppressed and r.mean is not None:
        if r.n < stats.NO_INTERVAL_BELOW:
            out.append(
                f"{r.label}: only {r.n} respondents have a score, so no interval is shown "
                f"(intervals need {stats.NO_INTERVAL_BELOW} or more to keep their promise)."
            )
        elif r.n < stats.WARN_INTERVAL_BELOW:
            out.append(
                f"{r.label}: only {r.n} respondents have a score; its intervals are wide and "
                "the score could easily differ with other respondents."
            )
    if r.alpha is not None and r.alpha < 0.6 and not _omega_holds(r, 0.6):
        omega = "" if r.omega_total is None else f", omega {unsigned(r.omega_total)}"
        out.append(
            f"{r.label}: reliability is low (alpha {unsigned(r.alpha)}{omega}); its items may not "
            "measure one thing, so read its score with care."
        )
    if 2 <= k < 3:
        out.append(f"{r.label}: only {k} items, so its reliability (alpha) is a weak guide.")
    return out
