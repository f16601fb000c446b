"""``relimpact build --to msforms``: a Word document laid out for Microsoft Forms' Quick Import.

In Microsoft Forms: New Form > Quick import (or "Import" on forms.office.com), choose the
``.docx``; Forms reads the document and proposes a form to review. The layout is the
one Quick Import recognises: the form's title first, then its description; each part
under its own heading (a section); each question a paragraph starting with its number
(``3. Which best describes you?``), its options below it as a lettered list
(``A. Member organisation``); statements sharing a scale as a table whose header row is
the scale's points and whose first column is the statements, which Quick Import turns
into a Likert question; a question with no options is a text question.

Quick Import is a suggestion, not a contract: README "Microsoft Forms, step by step"
says what it keeps and what to check by hand (required questions, "multiple answers",
hints as subtitles, the number restriction). The export of the form (Responses > Open
in Excel) is headed by each question's title and, for a Likert question, by each
statement: relimpact matches those by the question's text, with no aliases.
"""

from __future__ import annotations

import datetime as dt
import io

from relimpact.common.errors import UsageError
from relimpact.forms.common import (
    GRID_INSTRUCTION,
    BuiltForm,
    answers_of,
    closing_text,
    grid_notes,
    grid_parts,
    level_choices,
    levels_notes,
    one_line,
    privacy_notice,
    roster_notes,
)
from relimpact.read.toolnames import levelled
from relimpact.survey.model import Survey

TOOL = "Microsoft Forms"
DOCX_INSTALL = "pip install 'relimpact[docx]'"
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FIXED_COMMENT_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letter(k: int) -> str:
    """A, B, ... Z, AA, AB, ...: the option's letter."""
    out = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        out = LETTERS[r] + out
    return out


def build_msforms(survey: Survey) -> BuiltForm:
    """The Word document (.docx bytes) for Microsoft Forms' Quick Import."""
    try:
        import docx
        from docx.shared import Pt
    except ImportError as exc:
        raise UsageError(
            f"a Word document needs python-docx ({exc}).",
            hint=f"Install it with: {DOCX_INSTALL}",
        ) from None
    parts = grid_parts(survey)
    dropped = [
        *grid_notes(survey, TOOL, parts),
        *roster_notes(survey, TOOL),
        *levels_notes(survey, TOOL),
    ]
    in_grid = {q.id for p in parts if p.grid is not None for q in p.questions}
    for q in survey.questions:
        if q.hint and q.id not in in_grid:
            dropped.append(
                f"question '{q.id}' has a hint: Quick Import does not read hints; add it "
                f'as the question\'s subtitle by hand: "{one_line(q.hint)}"'
            )
        if q.required and not levelled(q) and q.id not in in_grid:  # grids: below
            dropped.append(
                f"question '{q.id}' is required: Quick Import does not read this; switch "
                "Required on for it by hand."
            )
        if q.type == "multi" or (q.type == "connections" and not levelled(q)):
            dropped.append(
                f"question '{q.id}' takes several answers: check that Multiple answers is "
                "switched on for it."
            )
        if q.type == "number":
            dropped.append(
                f"question '{q.id}' takes a number: choose Restrictions > Number for it by hand."
            )
        if q.other and q.type in ("choice", "multi"):
            dropped.append(
                f"question '{q.id}' takes write-ins: choose Add \"Other\" option for it by hand."
            )

    for part in parts:
        if part.grid is not None and all(q.required for q in part.questions):
            dropped.append(
                f"grid '{part.grid}' ({', '.join(q.id for q in part.questions)}) is "
                "required: Quick Import does not read this; switch Required on for its "
                "Likert question by hand."
            )

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    props = document.core_properties
    props.title = one_line(survey.title)
    props.author = "relimpact"
    props.last_modified_by = "relimpact"
    props.comments = f"Made by relimpact build --to msforms from survey '{survey.id}'."
    if survey.language:
        props.language = survey.language

    title = document.add_heading(one_line(survey.title), level=0)
    if dropped:
        # The file's header comment: a Word comment on the title (Review > Comments), so
        # the body holds only what Quick Import should read.
        comment = document.add_comment(
            title.runs,
            text="What Microsoft Forms cannot take from the template (made by relimpact "
            "build --to msforms):",
            author="relimpact",
            initials="ri",
        )
        comment._comment_elm.date = FIXED_COMMENT_DATE  # the same bytes on every run
        for i, d in enumerate(dropped):
            comment.add_paragraph(f"{i + 1}. {d}")
    description = " ".join(t for t in (one_line(survey.network), one_line(survey.description)) if t)
    if description:
        document.add_paragraph(description)
    document.add_paragraph(f"Your privacy: {one_line(privacy_notice(survey))}")
    number = 0

    def likert(title: str, columns: list[str], rows: list[str]) -> None:
        """A table under a numbered question: Quick Import's Likert question."""
        document.add_paragraph(f"{number}. {title}")
        table = document.add_table(rows=1 + len(rows), cols=1 + len(columns))
        table.style = "Table Grid"
        header = table.rows[0].cells
        for k, label in enumerate(columns):
            header[k + 1].text = one_line(label)
        for r, text in enumerate(rows):
            table.rows[r + 1].cells[0].text = one_line(text)

    for n, part in enumerate(parts):
        document.add_heading(f"Part {n + 1} of {len(parts)}", level=1)
        if part.grid is not None:
            number += 1
            columns = [label for _, label in answers_of(survey, part.questions[0])]
            likert(GRID_INSTRUCTION, columns, [q.text for q in part.questions])
            continue
        for q in part.questions:
            number += 1
            if levelled(q):  # a member x level grid: a Likert question, a row per member
                members = [label for _, label in answers_of(survey, q)]
                likert(one_line(q.text), level_choices(survey, q), members)
                continue
            document.add_paragraph(f"{number}. {one_line(q.text)}")
            labels = [label for _, label in answers_of(survey, q)]
            if q.type == "consent":
                labels = ["Yes", "No"]
            if q.other and q.type in ("choice", "multi") and q.other_index is not None:
                labels = [lab for k, lab in enumerate(labels) if k != q.other_index]
            for k, label in enumerate(labels):
                document.add_paragraph(f"{_letter(k)}. {one_line(label)}")
    document.add_paragraph(closing_text(survey))
    buf = io.BytesIO()
    document.save(buf)
    from relimpact.common.output import dated_zip

    return BuiltForm(dated_zip(buf.getvalue(), FIXED_ZIP_DATE), tuple(dropped))
