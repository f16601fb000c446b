"""LimeSurvey: a parser of the TSV survey structure (the grammar LimeSurvey's
``TSVImportSurvey`` reads), and the response export LimeSurvey writes for it.

Grammar: a header row naming the columns (``class``, ``type/scale``, ``name``,
``text``... any order); rows read by PHP ``fgetcsv`` with tab and ``"``; ``class`` one of
S (setting), SL (language setting), G (group), Q (question), SQ (subquestion), A
(answer); a question code and a subquestion code letters and digits, starting with a
letter, at most 20 characters, question codes unique; an answer code letters and digits,
at most 5 characters, unique within its question; every Q inside a G, every SQ and A
after a Q; list and array questions (L ! F) have answers, array and multiple-choice
questions (F M) subquestions.

The export (Responses > Export, CSV): ``id``, ``submitdate``, ``lastpage``,
``startlanguage``, ``seed``, ``startdate``, ``datestamp``, then a column per question
(``CODE``), per subquestion (``CODE[SQ]``) and per "Other" text (``CODE[other]``);
headings as "question code" (those codes), "full question text" (``Text``,
``Text [Subquestion]``, ``Text [Other]``, HTML removed) or "code. text"; answers as
answer codes (``A1``, ``Y``; multiple choice ``Y`` or blank) or full answers (the
answer's text; ``Yes``/``No``).
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

from .common import Respondent, by_text, text_key

CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,19}$")
ANSWER_CODE = re.compile(r"^[A-Za-z0-9]{1,5}$")
TYPES = set("LFM!TSNYX")  # X: a text display (boilerplate), no answer
CLASSES = {"S", "SL", "G", "Q", "SQ", "A"}


@dataclass
class LQuestion:
    kind: str
    code: str
    text: str
    other: bool
    mandatory: bool
    subquestions: list[tuple[str, str]] = field(default_factory=list)
    answers: list[tuple[str, str]] = field(default_factory=list)


def parse(tsv: str) -> tuple[dict[str, str], list[LQuestion]]:
    """(survey settings, questions); AssertionError on anything off-grammar."""
    assert not tsv.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(tsv), delimiter="\t", quotechar='"'))
    header = rows[0]
    for col in ("class", "type/scale", "name", "text", "language", "mandatory", "other"):
        assert col in header, col
    settings: dict[str, str] = {}
    questions: list[LQuestion] = []
    in_group = False
    codes: set[str] = set()
    for n, raw in enumerate(rows[1:], start=2):
        assert len(raw) == len(header), f"row {n}: {len(raw)} cells"
        row = dict(zip(header, raw, strict=True))
        cls = row["class"]
        assert cls in CLASSES, f"row {n}: class {cls!r}"
        if cls in ("S", "SL"):
            settings[row["name"]] = row["text"]
        elif cls == "G":
            assert row["name"], f"row {n}: a group with no name"
            in_group = True
        elif cls == "Q":
            assert in_group, f"row {n}: a question outside a group"
            assert row["type/scale"] in TYPES, f"row {n}: type {row['type/scale']!r}"
            assert CODE.match(row["name"]), f"row {n}: code {row['name']!r}"
            assert row["name"].casefold() not in codes, f"row {n}: code twice"
            codes.add(row["name"].casefold())
            assert row["mandatory"] in ("Y", "N") and row["other"] in ("Y", "N"), f"row {n}"
            questions.append(
                LQuestion(
                    row["type/scale"],
                    row["name"],
                    row["text"],
                    row["other"] == "Y",
                    row["mandatory"] == "Y",
                )
            )
        elif cls == "SQ":
            q = questions[-1]
            assert q.kind in ("F", "M"), f"row {n}: subquestion of a {q.kind} question"
            assert CODE.match(row["name"]), f"row {n}: subquestion code {row['name']!r}"
            assert row["name"] not in {c for c, _ in q.subquestions}, f"row {n}"
            q.subquestions.append((row["name"], row["text"]))
        else:
            q = questions[-1]
            assert q.kind in ("F", "L", "!"), f"row {n}: answer of a {q.kind} question"
            assert ANSWER_CODE.match(row["name"]), f"row {n}: answer code {row['name']!r}"
            assert row["name"] not in {c for c, _ in q.answers}, f"row {n}"
            q.answers.append((row["name"], row["text"]))
    for q in questions:
        if q.kind in ("F", "L", "!"):
            assert q.answers, q.code
        if q.kind in ("F", "M"):
            assert q.subquestions, q.code
    assert settings.get("language") and settings.get("surveyls_title")
    return settings, questions


def plain(text: str) -> str:
    """LimeSurvey's export text: HTML removed (``<br>`` a space), entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def export_csv(
    parsed: list[LQuestion], survey, respondents: list[Respondent], headings: str, codes: bool
) -> str:
    """headings: "code", "text" or "code. text"; codes: answer codes or full answers."""
    questions = by_text(survey)

    def heading(code: str, text: str) -> str:
        return {"code": code, "text": text, "code. text": f"{code}. {text}"}[headings]

    header = [
        heading(c, t)
        for c, t in [
            ("id", "Response ID"),
            ("submitdate", "Date submitted"),
            ("lastpage", "Last page"),
            ("startlanguage", "Start language"),
            ("seed", "Seed"),
            ("startdate", "Date started"),
            ("datestamp", "Date last action"),
        ]
    ]
    cols = []  # (question id, kind, question, subquestion label or None)
    for q in parsed:
        text = plain(q.text)
        if q.kind == "X":
            continue  # a text display has no column
        if q.kind == "F":
            asked = questions.get(text_key(text))  # a member x level grid: its question
            for sq, sq_text in q.subquestions:
                header.append(heading(f"{q.code}[{sq}]", f"{text} [{plain(sq_text)}]"))
                if asked is not None:
                    cols.append((asked.id, "F", q, plain(sq_text)))
                else:
                    cols.append((questions[text_key(plain(sq_text))].id, "F", q, None))
        elif q.kind == "M":
            for sq, sq_text in q.subquestions:
                header.append(heading(f"{q.code}[{sq}]", f"{text} [{plain(sq_text)}]"))
                cols.append((questions[text_key(text)].id, "M", q, plain(sq_text)))
            if q.other:
                header.append(heading(f"{q.code}[other]", f"{text} [Other]"))
                cols.append((questions[text_key(text)].id, "Mother", q, None))
        else:
            header.append(heading(q.code, text))
            cols.append((questions[text_key(text)].id, q.kind, q, None))
            if q.other:
                header.append(heading(f"{q.code}[other]", f"{text} [Other]"))
                cols.append((questions[text_key(text)].id, "Lother", q, None))
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    w.writerow(header)
    for i, r in enumerate(respondents):
        row = [str(i + 1), r.when, "3", "en", str(1000 + i), r.when, r.when]
        for qid, kind, q, sub in cols:
            v = r.answers[qid]
            if isinstance(v, dict):
                v = v.get(sub, "")
            by_label = {plain(label): code for code, label in q.answers}
            if kind in ("F", "L", "!"):
                if not v:
                    row.append("")
                elif v in by_label:
                    row.append(by_label[v] if codes else str(v))
                else:
                    assert q.other, (qid, v)
                    row.append("-oth-" if codes else "Other")
            elif kind == "Lother":
                row.append(str(v) if v and v not in by_label else "")
            elif kind == "M":
                row.append(("Y" if codes else "Yes") if sub in v else "")
            elif kind == "Mother":
                labels = {plain(t) for _, t in q.subquestions}
                row.append(", ".join(x for x in v if x not in labels))
            elif kind == "Y":
                row.append({"Yes": "Y", "No": "N", "": ""}[v] if codes else str(v))
            else:  # T S N
                row.append(str(v))
        w.writerow(row)
    return buf.getvalue()
