"""Microsoft Forms: what Quick Import reads from the built Word file, and the response
workbook Forms writes for the form.

What Quick Import reads (Microsoft's guidance for Quick Import): the title, then
numbered questions (``3. Text``), the lettered lines below a question are its choices
(``A. Choice``), a table under a question is a Likert question (the header row its
options, the first column its statements), and a question with neither takes text.

The export (Responses > Open in Excel): ``ID``, ``Start time``, ``Completion time``,
``Email``, ``Name``, ``Last modified time``, then one column per question headed by its
title, and one per statement of a Likert question headed by the statement; several
choices joined with ``;`` and a trailing ``;``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .common import Respondent, by_text, text_key

NUMBERED = re.compile(r"^(\d+)\. (.+)$", re.S)
LETTERED = re.compile(r"^([A-Z]+)\. (.+)$", re.S)


@dataclass
class MQuestion:
    number: int
    title: str
    choices: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)


def parse(data: bytes) -> tuple[str, list[MQuestion]]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    questions: list[MQuestion] = []
    title = ""
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, document)
            text = p.text
            if p.style.name == "Title":
                title = text
            elif m := NUMBERED.match(text):
                assert int(m.group(1)) == len(questions) + 1, text
                questions.append(MQuestion(int(m.group(1)), m.group(2)))
            elif (m := LETTERED.match(text)) and questions:
                questions[-1].choices.append(m.group(2))
        elif tag == "tbl":
            t = Table(child, document)
            q = questions[-1]
            q.columns = [c.text for c in t.rows[0].cells[1:]]
            q.statements = [r.cells[0].text for r in t.rows[1:]]
    assert title
    return title, questions


def export_xlsx(parsed: list[MQuestion], survey, respondents: list[Respondent]) -> bytes:
    from openpyxl import Workbook

    questions = by_text(survey)
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    cols = []
    for q in parsed:
        if q.statements and text_key(q.title) in questions:
            # a member x level grid (Likert): a column per member, headed by the member
            for s in q.statements:
                header.append(s)
                cols.append((questions[text_key(q.title)].id, q, s))
        elif q.statements:
            for s in q.statements:
                header.append(s)
                cols.append((questions[text_key(s)].id, q, None))
        else:
            header.append(q.title)
            cols.append((questions[text_key(q.title)].id, q, None))
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(header)
    for i, r in enumerate(respondents):
        row = [i + 1, r.when, r.when, "anonymous", "", ""]
        for qid, q, member in cols:
            v = r.answers[qid]
            if isinstance(v, dict):
                v = v.get(member, "")
            if isinstance(v, list):
                row.append("".join(f"{x};" for x in v))
            else:
                if v and q.statements:
                    assert v in q.columns, (qid, v)
                elif v and q.choices:
                    assert v in q.choices, (qid, v)
                row.append(v)
        ws.append(row)
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # Forms writes text, never a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
