"""Responses as a tidy table, for analysts who take relimpact's reading into a notebook.

One row per respondent kept for scoring, one column per question (ids as column
names), answers as values: scale items as the point's number as answered (not
reversed; blank and not-applicable are None, with a ``<id>_na`` column that is
True where the answer was a not-applicable label), choices as their option label,
multi-select answers as a list of labels, numbers as floats, consent as
True/False, free text as written, network roster answers as names. Two extra
columns say where each row came from: ``_file`` and ``_row``. The respondent key
(member code) is never included, nor any column of personal data.

    >>> from relimpact import load_survey, read_responses, tidy   # doctest: +SKIP
    >>> df = tidy(read_responses(load_survey("survey.yaml"), ["responses.csv"]))
"""

from __future__ import annotations

import math
from typing import Any

from relimpact.read.responses import ResponseSet


def tidy_records(responses: ResponseSet) -> list[dict[str, Any]]:
    """The responses as a list of plain dicts, one per respondent."""
    survey = responses.survey
    n = responses.respondents
    names = [f.path for f in responses.files]
    index = responses.file_index
    rows: list[dict[str, Any]] = []
    for i in range(n):
        row: dict[str, Any] = {
            "_file": names[int(index[i])] if index is not None else names[0],
            "_row": responses.source_rows[i],
        }
        for q in survey.questions:
            row.update(_answer(responses, q.id, q.type, i))
        rows.append(row)
    return rows


def _answer(responses: ResponseSet, qid: str, qtype: str, i: int) -> dict[str, Any]:
    if qtype == "scale" and qid in responses.scale:
        v = float(responses.scale[qid][i])
        na = responses.not_applicable.get(qid)
        return {
            qid: None if math.isnan(v) else int(v) if v.is_integer() else v,
            f"{qid}_na": bool(na[i]) if na is not None else False,
        }
    if qtype == "choice" and qid in responses.choice:
        cat = responses.choice[qid]
        code = int(cat.codes[i])
        return {qid: cat.categories[code] if code >= 0 else None}
    if qtype == "multi" and qid in responses.multi:
        options, ticks = responses.multi[qid]
        return {qid: [o for o, t in zip(options, ticks[i], strict=True) if t]}
    if qtype == "number" and qid in responses.number:
        v = float(responses.number[qid][i])
        return {qid: None if math.isnan(v) else v}
    if qtype == "consent" and qid in responses.consent:
        return {qid: bool(responses.consent[qid][i])}
    if qtype == "text" and qid in responses.text:
        return {qid: responses.text[qid][i] or None}
    if qtype == "member" and qid in responses.member:
        return {qid: responses.member[qid][i] or None}
    if qtype == "connections" and qid in responses.connections:
        return {qid: list(responses.connections[qid][i])}
    return {}  # the respondent key, and questions no column answered


def tidy(responses: ResponseSet) -> Any:
    """A pandas DataFrame of :func:`tidy_records` when pandas is installed, else the records."""
    records = tidy_records(responses)
    try:
        import pandas as pd
    except ImportError:
        return records
    return pd.DataFrame.from_records(records)
