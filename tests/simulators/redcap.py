"""REDCap: a checker of the data dictionary's documented rules, and the record export
(CSV, raw data or labels) REDCap writes for the instrument.

Dictionary rules (REDCap's Data Dictionary guide): the 18 columns in their order; the
first field the record id; field names lower case letters, digits and ``_``, starting
with a letter, at most 100 characters, unique; field types text, notes, radio,
dropdown, checkbox, yesno, truefalse, descriptive, calc, file, slider, sql; choices
``code, label | code, label`` for radio, dropdown and checkbox (codes unique; checkbox
codes letters, digits and ``_``); the fields of a matrix group consecutive, radio or
checkbox, with the same choices; "y" or blank for Identifier? and Required Field?.

The export: raw data headed by field names (``field___code`` per checkbox choice, 1/0;
radio the code; yesno 1/0), or labels headed by field labels (``Label
(choice=Choice)`` per checkbox choice, Checked/Unchecked; radio the choice label;
yesno Yes/No); ``record_id`` ("Record ID"), ``redcap_survey_identifier`` ("Survey
Identifier"), ``FORM_timestamp`` ("Survey Timestamp") first and ``FORM_complete``
("Complete?", 2/Complete) last; labels with HTML removed.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass

from .common import Respondent, by_text, text_key

COLUMNS = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]
FIELD = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
TYPES = {
    "text",
    "notes",
    "radio",
    "dropdown",
    "checkbox",
    "yesno",
    "truefalse",
    "descriptive",
    "calc",
    "file",
    "slider",
    "sql",
}


@dataclass
class Field:
    name: str
    form: str
    kind: str
    label: str
    choices: list[tuple[str, str]]
    matrix: str
    validation: str
    identifier: bool
    section: str = ""


def parse(text: str) -> list[Field]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS, rows[0]
    fields: list[Field] = []
    names: set[str] = set()
    for n, raw in enumerate(rows[1:], start=2):
        assert len(raw) == 18, f"row {n}"
        r = dict(zip(COLUMNS, (c.strip() for c in raw), strict=True))
        name = r["Variable / Field Name"]
        assert FIELD.match(name) and "__" not in name and not name.endswith("_"), name
        assert name not in names, f"{name} twice"
        names.add(name)
        assert FIELD.match(r["Form Name"]), r["Form Name"]
        kind = r["Field Type"]
        assert kind in TYPES, kind
        assert r["Identifier?"] in ("", "y") and r["Required Field?"] in ("", "y")
        choices: list[tuple[str, str]] = []
        if kind in ("radio", "dropdown", "checkbox"):
            for part in r["Choices, Calculations, OR Slider Labels"].split("|"):
                code, _, label = part.strip().partition(",")
                code, label = code.strip(), label.strip()
                assert code and label, f"{name}: choice {part!r}"
                pattern = r"^[A-Za-z0-9_]+$" if kind == "checkbox" else r"^-?[A-Za-z0-9_.]+$"
                assert re.match(pattern, code), f"{name}: code {code!r}"
                choices.append((code, label))
            assert len({c for c, _ in choices}) == len(choices), name
        else:
            assert not r["Choices, Calculations, OR Slider Labels"], name
        fields.append(
            Field(
                name,
                r["Form Name"],
                kind,
                r["Field Label"],
                choices,
                r["Matrix Group Name"],
                r["Text Validation Type OR Show Slider Number"],
                r["Identifier?"] == "y",
                r["Section Header"],
            )
        )
    assert fields[0].name == "record_id" and fields[0].kind == "text"
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(fields):
        if f.matrix:
            groups.setdefault(f.matrix, []).append(i)
    for g, idx in groups.items():
        assert idx == list(range(idx[0], idx[-1] + 1)), f"matrix {g} not consecutive"
        assert len({tuple(fields[i].choices) for i in idx}) == 1, f"matrix {g} choices"
        assert {fields[i].kind for i in idx} <= {"radio", "checkbox"}, g
    return fields


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def export_csv(fields: list[Field], survey, respondents: list[Respondent], raw: bool) -> str:
    questions = by_text(survey)
    form = fields[0].form
    header = (
        ["record_id", "redcap_survey_identifier", f"{form}_timestamp"]
        if raw
        else ["Record ID", "Survey Identifier", "Survey Timestamp"]
    )
    cols = []
    heads: dict[str, str] = {}  # matrix group -> its first field's section header
    for f in fields[1:]:
        if f.kind == "descriptive":
            continue
        heads.setdefault(f.matrix, f.section)
        asked = [
            q for q in survey.questions if f.matrix and text_key(q.text) in plain(heads[f.matrix])
        ]
        if text_key(plain(f.label)) not in questions and asked:
            # a member x level grid: a radio field per member, labelled by the member
            assert len(asked) == 1, asked
            header.append(f.name if raw else plain(f.label))
            cols.append((asked[0].id, f, plain(f.label)))
            continue
        qid = questions[text_key(plain(f.label))].id
        if f.kind == "checkbox":
            for code, label in f.choices:
                header.append(
                    f"{f.name}___{code.lower()}"
                    if raw
                    else f"{plain(f.label)} (choice={plain(label)})"
                )
                cols.append((qid, f, plain(label)))
        else:
            header.append(f.name if raw else plain(f.label))
            cols.append((qid, f, None))
    header.append(f"{form}_complete" if raw else "Complete?")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for i, r in enumerate(respondents):
        row = [str(i + 1), "", r.when]
        for qid, f, choice in cols:
            v = r.answers[qid]
            if isinstance(v, dict):
                v = v.get(choice, "")
            codes = {plain(label): code for code, label in f.choices}
            if f.kind == "checkbox":
                known = {plain(label) for _, label in f.choices}
                ticked = choice in v or (choice == "Other" and any(x not in known for x in v))
                row.append(
                    ("1" if ticked else "0") if raw else ("Checked" if ticked else "Unchecked")
                )
            elif f.kind in ("radio", "dropdown"):
                if v and v not in codes and "Other" in codes:
                    v = "Other"  # a write-in: REDCap has no text box, the choice is ticked
                assert not v or v in codes, (qid, v)
                row.append((codes[v] if raw else v) if v else "")
            elif f.kind == "yesno":
                row.append({"Yes": "1", "No": "0", "": ""}[v] if raw else str(v))
            else:
                row.append(str(v))
        row.append("2" if raw else "Complete")
        w.writerow(row)
    return buf.getvalue()
