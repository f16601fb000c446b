"""The groups of a choice question in the responses (its options, then "(no answer)"),
each respondent's group, and the one suppression decision shared by every view of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from relimpact.common.errors import UsageError
from relimpact.common.privacy import suppress
from relimpact.read.responses import Categorical, ResponseSet

if TYPE_CHECKING:
    from relimpact.survey.model import Question, Survey

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


def segment_questions(survey: Survey, by: Sequence[str]) -> list[Question]:
    """The questions to group by: the template's segment questions, then each ``--by``
    question (a choice question), once each; an unknown ``--by`` is a ``UsageError``."""
    from relimpact.common.text import did_you_mean

    out = list(survey.segment_questions)
    choice_ids = [q.id for q in survey.questions if q.type == "choice"]
    for qid in by:
        if qid not in choice_ids:
            raise UsageError(
                f"--by {qid}: there is no choice question with that id"
                f"{did_you_mean(qid, choice_ids)}.",
                hint="Choice questions: " + (", ".join(choice_ids) or "none") + ".",
            )
        q = survey.question(qid)
        if q not in out:
            out.append(q)
    return out
