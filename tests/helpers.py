"""Small inline inputs for library tests: a survey and ResponseSets built from lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from relimpact.read.responses import Categorical, FileInfo, ResponseSet
from relimpact.survey.model import Dimension, Question, Scale, Survey

AGREE5 = Scale(
    "agree5",
    (
        (1, "Strongly disagree"),
        (2, "Disagree"),
        (3, "Neither"),
        (4, "Agree"),
        (5, "Strongly agree"),
    ),
    not_applicable=("Don't know",),
    favourable_from=4,
    strength=4.0,
    borderline=3.0,
)


def small_survey(min_group_size: int = 2) -> Survey:
    qs = (
        Question("a1", "A one", scale="agree5", dimension="lead"),
        Question("a2", "A two", scale="agree5", dimension="lead"),
        Question("a3", "A three (reversed)", scale="agree5", dimension="lead", reverse=True),
        Question("n1", "Net one", scale="agree5", dimension="the_net"),
        Question("n2", "Net two", scale="agree5", dimension="the_net"),
        Question(
            "role", "Role", type="choice", options=("Member", "Staff", "Funder"), segment=True
        ),
    )
    return Survey(
        id="small",
        title="Small",
        questions=qs,
        scales={"agree5": AGREE5},
        dimensions={
            "lead": Dimension("lead", "Leadership", enabler=True),
            "the_net": Dimension("the_net", "The net", focus="net"),
        },
        min_group_size=min_group_size,
    )


def response_set(
    survey: Survey,
    scale: Mapping[str, Sequence[float | None]],
    choice: Mapping[str, Sequence[str | None]] | None = None,
    na: Mapping[str, Sequence[bool]] | None = None,
    keys: Sequence[str] | None = None,
) -> ResponseSet:
    n = len(next(iter(scale.values())))
    arrays = {
        q: np.array([np.nan if v is None else v for v in vals], dtype=np.float32)
        for q, vals in scale.items()
    }
    nas = {q: np.zeros(n, dtype=bool) for q in scale}
    for q, vals in (na or {}).items():
        nas[q] = np.array(vals, dtype=bool)
    cats = {}
    for q, vals in (choice or {}).items():
        options = survey.question(q).options
        codes = np.array([-1 if v is None else options.index(v) for v in vals], dtype=np.int32)
        cats[q] = Categorical(options, codes)
    return ResponseSet(
        survey=survey,
        files=(FileInfo("inline.csv", "csv", "utf-8", ",", 1, n),),
        rows=n,
        scale=arrays,
        not_applicable=nas,
        choice=cats,
        respondent_keys=tuple(keys) if keys is not None else None,
        source_rows=tuple(f"inline.csv row {i + 2}" for i in range(n)),
    )
