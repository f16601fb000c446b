"""Answers as scored: an item's values reversed on its scale, a dimension's matrix, and
each respondent's dimension score by the half rule. Shared by scoring and change."""

from __future__ import annotations

import math

import numpy as np

from relimpact.read.responses import ResponseSet
from relimpact.survey.model import Question, Survey


def scored_item(survey: Survey, responses: ResponseSet, q: Question) -> np.ndarray:
    """An item's values as scored: float64, reversed on the declared scale, NaN = none."""
    values = np.asarray(responses.scale[q.id], dtype=np.float64)
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
