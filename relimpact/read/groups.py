"""The groups of a choice question in the responses (its options, then "(no answer)"),
each respondent's group, and the one suppression decision shared by every view of them."""

from __future__ import annotations

import numpy as np

from relimpact.common.privacy import suppress
from relimpact.read.responses import Categorical, ResponseSet

NO_ANSWER = "(no answer)"


def group_decision(
    responses: ResponseSet, qid: str
) -> tuple[list[str], np.ndarray, list[int], set[int]]:
    """The one suppression decision for the groups of choice question ``qid``, shared by
    every view of them (segment table, counts, shares, response rates, representation
    flags, weights, charts, the network map's colours): the groups' names (the options,
    then ``NO_ANSWER`` when someone left it blank), each respondent's group, the groups'
    sizes and the indices hidden by ``suppress(sizes, min_group_size)``."""
    names, codes = groups_of(responses, qid)
    sizes = np.bincount(codes, minlength=len(names)).tolist()
    return names, codes, sizes, suppress(sizes, responses.survey.min_group_size)


def groups_of(responses: ResponseSet, qid: str) -> tuple[list[str], np.ndarray]:
    cat: Categorical = responses.choice[qid]
    names = list(cat.categories)
    codes = np.asarray(cat.codes)
    if np.any(codes < 0):
        names.append(NO_ANSWER)
        codes = np.where(codes < 0, len(names) - 1, codes)
    return names, codes
