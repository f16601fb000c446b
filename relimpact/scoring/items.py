"""Answers as scored: an item's values reversed on its scale, a dimension's matrix, and
each respondent's dimension score by the half rule. Shared by scoring and change."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from relimpact.read.responses import SCALE_CODES, ResponseSet, ScaleAnswers
from relimpact.survey.model import Question, Survey


def scored_item(survey: Survey, responses: ResponseSet, q: Question) -> np.ndarray:
    """An item's values as scored: float64, reversed on the declared scale, NaN = none.

    Answers read from files are kept as one byte each (``ScaleAnswers``): their values
    as scored are then looked up from those codes in one pass, the same numbers as
    converting the float32 values and reversing them."""
    scale = responses.scale
    if isinstance(scale, ScaleAnswers):
        codes, low = scale.codes(q.id)
        lut = np.full(256, np.nan, dtype=np.float64)
        lut[:SCALE_CODES] = np.arange(low, low + SCALE_CODES, dtype=np.float32)
        if q.reverse:
            lut = survey.scale_of(q).reverse(lut)
        return lut[codes]
    values = np.asarray(scale[q.id], dtype=np.float64)
    if q.reverse:
        values = survey.scale_of(q).reverse(values)
    return values


def dimension_matrix(survey: Survey, responses: ResponseSet, dim: str) -> np.ndarray:
    """Respondents x items of a dimension, as scored (NaN = no answer)."""
    items = survey.questions_of(dim)
    return np.column_stack([scored_item(survey, responses, q) for q in items])


def dimension_scores(matrix: np.ndarray) -> np.ndarray:
    """Each respondent's score: the mean of the items they answered, when they answered at
    least ``ceil(k/2)`` of the ``k`` items; otherwise NaN (no score)."""
    k = matrix.shape[1]
    present = ~np.isnan(matrix)
    answered = present.sum(axis=1)
    total = np.where(present, matrix, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = total / answered
    scores[answered < math.ceil(k / 2)] = np.nan
    return scores


@dataclass(frozen=True, eq=False)
class DimensionTally:
    """A dimension's answers as patterns: each respondent's answers to its ``k`` items (as
    scored) are one of a few combinations, so the figures of a dimension and of any
    breakdown of it come from counts of those combinations (``np.bincount``), in one pass
    over the respondents and without sorting them.

    ``pattern[r]`` is respondent ``r``'s combination, a row of ``values`` (NaN = no answer).
    Each combination's score (``score``, by the half rule, exactly as
    :func:`dimension_scores` computes it) is ``distinct[code[p]]``, with ``code[p] =
    len(distinct)`` for a combination without a score. ``distinct`` holds the different
    scores in increasing order: few, as a score is a mean of a few whole-number answers.
    """

    pattern: np.ndarray  # (n,) int32 (or intp): each respondent's combination
    values: np.ndarray  # (P, k) float64: each combination's scored answers, NaN = none
    score: np.ndarray  # (P,) float64: each combination's score, NaN = none
    code: np.ndarray  # (P,) intp: index of score in distinct; len(distinct) = no score
    distinct: np.ndarray  # (m,) float64: the different scores, increasing

    @property
    def respondents(self) -> int:
        return int(self.pattern.size)

    def scores(self) -> np.ndarray:
        """Each respondent's score (NaN = none): ``dimension_scores`` of the matrix."""
        return self.score[self.pattern]

    @cached_property
    def frequencies(self) -> np.ndarray:
        """How many respondents gave each combination."""
        return np.bincount(self.pattern, minlength=len(self.score))

    @property
    def scored(self) -> int:
        """How many respondents have a score."""
        return int(self.frequencies[self.code < len(self.distinct)].sum())

    def item_means(self) -> np.ndarray | None:
        """Each item's mean over the respondents who answered it (0 where none did), the
        same number, to the last bit, as ``np.nanmean(matrix, axis=0)`` gives: whole-number
        answers add up exactly in any order, so the sum is counted per combination. None
        for answers that are not whole numbers (or sums too large to be exact)."""
        v = self.values
        present = ~np.isnan(v)
        answers = np.where(present, v, 0.0)
        if not np.all(answers == np.floor(answers)):
            return None
        if float(np.abs(answers).max(initial=0.0)) * self.respondents >= 2.0**53:
            return None
        f = self.frequencies
        totals = f @ answers.astype(np.int64)
        answered = f @ present.astype(np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = totals.astype(np.float64) / answered
        return np.where(answered > 0, means, 0.0)

    def counts(self, frequencies: np.ndarray) -> np.ndarray:
        """How many of the respondents counted in ``frequencies`` (per combination) have
        each distinct score: ``(m,)`` int64."""
        m = len(self.distinct)
        return np.bincount(self.code, weights=frequencies, minlength=m + 1)[:m].astype(np.int64)


# Combination keys are counted with a table up to this many possible keys, else sorted.
_TABLE_KEYS = 1 << 22


def tally_dimension(columns: Sequence[np.ndarray] | np.ndarray) -> DimensionTally:
    """The :class:`DimensionTally` of a dimension's items as scored (NaN = no answer): a
    respondents x items matrix, or its columns.

    Whole-number answers (every scale's points) are coded in one pass: each item's answer
    minus its lowest, with one more code for no answer, are the digits of a mixed-radix
    key, and the keys that occur are numbered by counting. Other values (never from a
    survey, but allowed) are grouped by sorting the rows.
    """
    if isinstance(columns, np.ndarray):
        cols = [np.asarray(columns[:, j], dtype=np.float64) for j in range(columns.shape[1])]
        n = columns.shape[0]
    else:
        cols = [np.asarray(c, dtype=np.float64).ravel() for c in columns]
        n = cols[0].size if cols else 0
    k = len(cols)
    # fmin/fmax skip NaN without a warning (an item nobody answered gives NaN).
    lo = np.array([np.fmin.reduce(c) if c.size else np.nan for c in cols])
    hi = np.array([np.fmax.reduce(c) if c.size else np.nan for c in cols])
    lo = np.where(np.isnan(lo), 0.0, lo)
    hi = np.where(np.isnan(hi), 0.0, hi)
    finite = bool(np.isfinite(hi - lo).all())
    radix = [
        int(h - low) + 2 if finite else 2 for low, h in zip(lo.tolist(), hi.tolist(), strict=True)
    ]
    space = math.prod(radix)
    whole = finite and k > 0 and space < 2**62
    key = np.zeros(n if whole else 0, dtype=np.int64)
    place = 1
    for c, low, r in zip(cols, lo.tolist(), radix, strict=True):
        if not whole:
            break
        digit = c - low
        digit[np.isnan(digit)] = r - 1
        code = digit.astype(np.int64)
        whole = bool(np.array_equal(code, digit))  # whole numbers only
        np.multiply(code, place, out=code)
        key += code
        place *= r
    if whole:
        if space <= _TABLE_KEYS:
            seen = np.bincount(key, minlength=space) > 0
            keys = np.flatnonzero(seen)
            pattern = (np.cumsum(seen) - 1)[key]
        else:
            keys, pattern = np.unique(key, return_inverse=True)
        places = np.cumprod([1, *radix[:-1]]).astype(np.int64)
        digits = (keys[:, None] // places) % np.array(radix, dtype=np.int64)
        values = np.where(digits == np.array(radix) - 1, np.nan, digits + lo)
    else:
        x = np.column_stack(cols) if k else np.empty((n, 0))
        bits = np.where(np.isnan(x), np.nan, x).view(np.int64)
        rows, pattern = np.unique(bits, axis=0, return_inverse=True)
        values = rows.view(np.float64)
    values = np.ascontiguousarray(values, dtype=np.float64).reshape(-1, k)
    score = dimension_scores(values) if len(values) else np.empty(0)
    distinct = np.unique(score[~np.isnan(score)])
    code = np.where(np.isnan(score), len(distinct), np.searchsorted(distinct, score))
    small = np.int32 if len(values) < 2**31 else np.intp  # half the memory, as fast
    return DimensionTally(
        np.asarray(pattern, dtype=small).ravel(),
        values,
        score,
        np.asarray(code, dtype=np.intp),
        distinct,
    )
