"""Qualtrics: a parser of the Advanced Format TXT grammar, and the export (CSV, three
header rows) Qualtrics writes for the imported survey.

Grammar (Qualtrics' "Preparing an Advanced Format TXT file"): the first line is
``[[AdvancedFormat]]``; ``[[Block:NAME]]`` starts a block and ``[[PageBreak]]`` breaks a
page; ``[[Question:TYPE]]`` starts a question (MC:SingleAnswer|MultipleAnswer|Dropdown
with an optional :Vertical|:Horizontal, Matrix, TE:SingleLine|Essay, DB), followed by an
optional ``[[ID:TAG]]``, its text (lines up to a blank line or a tag), then for MC
``[[AdvancedChoices]]`` with ``[[Choice:N]]`` + text pairs, and for Matrix also
``[[AdvancedAnswers]]`` with ``[[Answer:N]]`` + text pairs (N, the recode value, an
integer).

The export: row 1 the export tags (metadata names, then ``TAG`` for a question,
``TAG_N`` for statement N of a matrix, ``TAG_TEXT`` for text entry), row 2 the question
text with HTML removed (``TEXT - Statement`` for a matrix, ``TEXT - Selected Choice``
for a multiple-answer question), row 3 ``{"ImportId":"QID..."}``; answers as choice text
(labels) or recode values (numeric), several choices joined with ``,``.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

from .common import Respondent, by_text, text_key

TAG = re.compile(r"^\[\[([A-Za-z]+)(?::([^\]]*))?\]\]$")
QUESTION_TYPES = re.compile(
    r"^(MC:(SingleAnswer|MultipleAnswer|Dropdown)(:(Vertical|Horizontal))?|Matrix|"
    r"TE:(SingleLine|Essay)|DB)$"
)
EXPORT_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass
class QQuestion:
    kind: str
    tag: str = ""
    text: list[str] = field(default_factory=list)
    choices: list[tuple[int, str]] = field(default_factory=list)
    answers: list[tuple[int, str]] = field(default_factory=list)
    block: str = ""


def parse(txt: str) -> list[QQuestion]:
    """The questions of an Advanced Format file; AssertionError on anything off-grammar."""
    lines = txt.split("\n")
    assert lines[0] == "[[AdvancedFormat]]", lines[0]
    questions: list[QQuestion] = []
    block = ""
    mode = ""  # "text", "choices", "answers"
    pending: int | None = None
    tags: set[str] = set()
    for n, line in enumerate(lines[1:], start=2):
        m = TAG.match(line.strip())
        if m:
            name, arg = m.group(1), m.group(2)
            assert pending is None, f"line {n}: a Choice/Answer tag without text"
            if name == "Block":
                block, mode = arg or "", ""
            elif name == "PageBreak":
                mode = ""
            elif name == "Question":
                assert arg and QUESTION_TYPES.match(arg), f"line {n}: question type {arg!r}"
                questions.append(QQuestion(arg, block=block))
                mode = "text"
            elif name == "ID":
                q = questions[-1]
                assert not q.tag and not q.text, f"line {n}: ID after the text"
                assert arg and EXPORT_TAG.match(arg), f"line {n}: tag {arg!r}"
                assert arg not in tags, f"line {n}: tag {arg} twice"
                tags.add(arg)
                q.tag = arg
            elif name in ("AdvancedChoices", "AdvancedAnswers"):
                q = questions[-1]
                assert q.kind.startswith(("MC", "Matrix")), f"line {n}: {name} in {q.kind}"
                assert name == "AdvancedChoices" or q.kind == "Matrix", f"line {n}"
                mode = "choices" if name == "AdvancedChoices" else "answers"
            elif name in ("Choice", "Answer"):
                assert mode == ("choices" if name == "Choice" else "answers"), f"line {n}"
                assert arg is not None and re.fullmatch(r"-?\d+", arg), f"line {n}: {arg!r}"
                pending = int(arg)
            else:
                raise AssertionError(f"line {n}: unknown tag {line!r}")
            continue
        assert "[[" not in line, f"line {n}: a tag inside text: {line!r}"
        if not line.strip():
            if mode == "text":
                mode = "after-text"
            continue
        if pending is not None:
            q = questions[-1]
            (q.choices if mode == "choices" else q.answers).append((pending, line))
            pending = None
            continue
        assert mode == "text" and questions, f"line {n}: text outside a question: {line!r}"
        questions[-1].text.append(line)
    for q in questions:
        assert q.text, f"question {q.tag}: no text"
        if q.kind.startswith("MC") or q.kind == "Matrix":
            assert q.choices, f"question {q.tag}: no choices"
            ids = [c for c, _ in q.choices]
            assert len(set(ids)) == len(ids), f"question {q.tag}: a recode value twice"
        if q.kind == "Matrix":
            assert q.answers, f"question {q.tag}: no answers"
    return questions


def plain(text: str) -> str:
    """Question text as the export's second row shows it: HTML removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


METADATA = [
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
]


def export_csv(
    parsed: list[QQuestion], survey, respondents: list[Respondent], numeric: bool
) -> str:
    questions = by_text(survey)
    tags, texts, imports = [m[0] for m in METADATA], [m[1] for m in METADATA], []
    imports = [f'{{"ImportId":"{m[2]}"}}' for m in METADATA]
    cols = []  # (question id, how, QQuestion)
    for n, q in enumerate(parsed, start=1):
        text = plain(" ".join(q.text))
        if q.kind == "DB":
            continue
        if q.kind == "Matrix":
            asked = questions.get(text_key(plain(q.text[0].split("<br>")[0])))
            for code, statement in q.choices:
                tags.append(f"{q.tag}_{code}")
                texts.append(f"{text} - {plain(statement)}")
                imports.append(f'{{"ImportId":"QID{n}_{code}"}}')
                if asked is not None:  # a member x level grid: a statement per member
                    cols.append((asked.id, "matrix", q, plain(statement)))
                else:
                    cols.append((questions[text_key(plain(statement))].id, "matrix", q, None))
            continue
        shown = plain(q.text[0].split("<br>")[0])  # the question, without its hint
        tags.append(q.tag)
        multi = q.kind.startswith("MC:MultipleAnswer")
        texts.append(f"{text} - Selected Choice" if multi else text)
        suffix = "_TEXT" if q.kind.startswith("TE") else ""
        imports.append(f'{{"ImportId":"QID{n}{suffix}"}}')
        kind = "mc" if q.kind.startswith("MC") else "te"
        cols.append((questions[text_key(shown)].id, kind, q, None))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows([tags, texts, imports])
    for i, r in enumerate(respondents):
        meta = [
            r.when,
            r.when,
            "0",
            "192.0.2.7",
            "100",
            "300",
            "1",
            r.when,
            f"R_{i:05d}",
            "One",
            "Ada",
            "ada@example.org",
            "",
            "51.5072",
            "-0.1276",
            "anonymous",
            "EN",
        ]
        row = list(meta)
        for qid, how, q, member in cols:
            v = r.answers[qid]
            if isinstance(v, dict):
                v = v.get(member, "")
            options = q.answers if how == "matrix" else q.choices
            by_label = {plain(label): code for code, label in options}
            if how == "te":
                row.append(str(v))
            elif isinstance(v, list):
                picked = [x for x in v if x in by_label]
                assert len(picked) == len(v), (qid, v)  # write-ins: no text box imported
                row.append(",".join(str(by_label[x]) if numeric else x for x in picked))
            elif not v:
                row.append("")
            else:
                assert v in by_label, (qid, v)
                row.append(str(by_label[v]) if numeric else str(v))
        w.writerow(row)
    return buf.getvalue()
