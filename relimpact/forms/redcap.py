"""``relimpact build --to redcap``: the REDCap data dictionary (CSV, 18 columns).

In REDCap: Project Setup > Data Dictionary > Upload (or Designer > Upload a data
dictionary), choose the ``.csv`` file; then enable the instrument as a survey. The
columns, in REDCap's order: Variable / Field Name, Form Name, Section Header, Field
Type, Field Label, "Choices, Calculations, OR Slider Labels", Field Note, Text
Validation Type OR Show Slider Number, Text Validation Min, Text Validation Max,
Identifier?, Branching Logic (Show field only if...), Required Field?, Custom
Alignment, Question Number (surveys only), Matrix Group Name, Matrix Ranking?, Field
Annotation.

The first field is ``record_id``, the record's id. Statements sharing a scale are
``radio`` fields in one matrix group (REDCap shows them as one grid); choices are
``radio`` (``dropdown`` for a long roster) with ``code, label | code, label``; several
answers ``checkbox``; free text ``notes``; the member code ``text`` marked as an
identifier (a de-identified export leaves it out); numbers ``text`` with ``number``
validation; consent ``yesno``. Field names are the question ids in REDCap's spelling
and codes are a point's number, negative numbers for not-applicable labels and an
option's position (``relimpact.read.toolnames``), so an export of raw data or of labels
reads back by field name with no aliases or codes.

Labels are HTML in REDCap: each template text is HTML-escaped. Every cell is quoted
CSV; a cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is
kept as text by REDCap, which reads the file itself, but the file is opened in Excel
too: such a text gets a leading space, which REDCap trims. A ``|`` inside a choice label
would split the choice list, so such a template is refused (and so is a question named
like a column REDCap adds to its exports: ``record_id``, ``<form>_complete``,
``<form>_timestamp``, ``redcap_...``); a field name longer than 26 characters, which
REDCap warns about, is noted.
"""

from __future__ import annotations

import csv
import html
import io

from relimpact.common.errors import SurveyError
from relimpact.forms.build import LEVEL_INSTRUCTION, ROSTER_DROPDOWN_FROM, _says_tick_all, _where
from relimpact.forms.common import (
    BuiltForm,
    answers_of,
    closing_text,
    grid_notes,
    grid_parts,
    levels_notes,
    one_line,
    privacy_notice,
    roster_notes,
)
from relimpact.read.toolnames import (
    REDCAP_RECORD_ID,
    levelled,
    na_codes,
    option_codes,
    point_codes,
    redcap_export_columns,
    redcap_form_name,
    redcap_name,
    roster_codes,
    tool_names,
)
from relimpact.survey.model import Question, Survey

TOOL = "REDCap"
# REDCap warns about longer field names (its Online Designer and dictionary check).
REDCAP_NAME_WARN = 26
COLUMNS = (
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
)
_FORMULA = ("=", "+", "-", "@")


def esc(text: str) -> str:
    """Template text as a REDCap label: HTML-escaped, one line, and ``[`` as ``&#91;``, so
    that no text pipes a field or a smart variable into the label (``[role]``,
    ``[survey-link]``)."""
    return html.escape(one_line(text), quote=False).replace("[", "&#91;")


def cell(text: str) -> str:
    """A cell Excel will not run as a formula (REDCap trims the leading space)."""
    return " " + text if text.startswith(_FORMULA) else text


def _pairs(survey: Survey, q: Question) -> list[tuple[str, str]]:
    """(code, label) for each answer of a choice, scale, levels or roster question."""
    if q.type == "scale" or levelled(q):
        scale = survey.scale_of(q) if q.type == "scale" else survey.levels_of(q)
        assert scale is not None
        pairs = list(
            zip(point_codes("redcap", scale), (scale.label(v) for v in scale.values), strict=True)
        )
        pairs += list(zip(na_codes("redcap", scale), scale.not_applicable, strict=True))
    elif q.type in ("choice", "multi"):
        pairs = list(zip(option_codes("redcap", q), q.categories, strict=True))
    else:
        labels = [label for _, label in answers_of(survey, q)]  # the roster
        pairs = list(zip(roster_codes("redcap", survey), labels, strict=True))
    return pairs


def _choices(survey: Survey, q: Question) -> str:
    """REDCap's ``code, label | code, label`` (no label holds ``|``: ``_refuse``)."""
    return " | ".join(f"{code}, {esc(label)}" for code, label in _pairs(survey, q))


def form_name(survey: Survey) -> str:
    """The instrument's name: the survey id in REDCap's spelling."""
    return redcap_form_name(survey)


def _refuse(survey: Survey) -> None:
    """Refuse what REDCap would import wrongly: a question named like a column REDCap adds
    to every export, and a choice label holding ``|`` (REDCap's choice separator)."""
    own = redcap_export_columns(survey)
    for q in survey.questions:
        name = redcap_name(q.id)
        if name in own or name.startswith("redcap_"):
            raise SurveyError(
                f"question '{q.id}' would be REDCap field '{name}', the name of a column "
                "REDCap adds to every export of this instrument (record_id, "
                f"{form_name(survey)}_complete, {form_name(survey)}_timestamp, redcap_...), "
                "so its answers could not be told from REDCap's own column.",
                where=_where(survey, q),
                hint="Give the question another id (and raise version if waves are compared).",
            )
        if q.type not in ("scale", "choice", "multi", "member", "connections"):
            continue
        labels = [label for _, label in _pairs(survey, q)]
        piped = next((label for label in labels if "|" in label), None)
        if piped is not None:
            what = "scale" if q.type == "scale" else "question"
            raise SurveyError(
                f"the answer '{one_line(piped)}' of question '{q.id}' holds '|', which "
                "REDCap reads as the end of a choice, so the dictionary cannot hold it.",
                where=_where(survey, q),
                hint=f"Reword the answer in the {what} without '|' (say '/' or 'or').",
            )


def build_redcap(survey: Survey) -> BuiltForm:
    """The data dictionary CSV for REDCap's Data Dictionary upload."""
    _refuse(survey)
    names = tool_names("redcap", survey)
    parts = grid_parts(survey)
    form = form_name(survey)
    dropped = [
        *grid_notes(survey, TOOL, parts),
        *roster_notes(survey, TOOL),
        *levels_notes(survey, TOOL),
    ]
    for q in survey.questions:
        name = names.questions[q.id]
        if len(name) > REDCAP_NAME_WARN:
            dropped.append(
                f"question '{q.id}' is field '{name}', longer than {REDCAP_NAME_WARN} "
                "characters: REDCap warns about such names (some statistics packages cut "
                "them short); give the question a shorter id if you export to one."
            )
    for q in survey.questions:
        if q.other and q.type in ("choice", "multi"):
            dropped.append(
                f"question '{q.id}' takes write-ins: REDCap has no text box inside a choice "
                "list; its 'Other' choice is kept, without the text box."
            )
    rows: list[dict[str, str]] = []
    intro = [f"<b>{esc(survey.title)}</b>"]
    if survey.network:
        intro.append(esc(survey.network))
    if survey.description:
        intro.append(esc(survey.description))
    intro.append(f"<b>Your privacy.</b> {esc(privacy_notice(survey))}")
    rows.append(
        {
            "Variable / Field Name": REDCAP_RECORD_ID,
            "Field Type": "text",
            "Field Label": "Record ID",
            # The file's header comment: a field annotation is shown to the project's
            # designers (Online Designer, Codebook), never to respondents.
            "Field Annotation": (
                "Notes from relimpact build --to redcap: what REDCap cannot take from the "
                "template: " + " ".join(f"({i + 1}) {d}" for i, d in enumerate(dropped))
            )
            if dropped
            else "",
        }
    )
    intro_name = names.reserved["intro"]
    thanks_name = names.reserved["thanks"]
    rows.append(
        {
            "Variable / Field Name": intro_name,
            "Field Type": "descriptive",
            "Field Label": "<br><br>".join(intro),
        }
    )
    for n, part in enumerate(parts):
        section = f"Part {n + 1} of {len(parts)}"
        for i, q in enumerate(part.questions):
            if levelled(q):
                # a member x level grid: a matrix of radio fields, one per member, headed
                # by the question (REDCap shows a matrix's section header above it)
                head = f"<b>{esc(q.text)}</b><br>{esc(q.hint or LEVEL_INSTRUCTION)}"
                members = [label for _, label in answers_of(survey, q)]
                for k, (field_name, member) in enumerate(
                    zip(names.member_rows[q.id], members, strict=True)
                ):
                    row = {
                        "Variable / Field Name": field_name,
                        "Field Label": esc(member),
                        "Field Type": "radio",
                        "Choices, Calculations, OR Slider Labels": _choices(survey, q),
                        "Matrix Group Name": names.questions[q.id],
                    }
                    if k == 0:
                        row["Section Header"] = f"{section}<br>{head}" if i == 0 else head
                    rows.append(row)
                continue
            row = {
                "Variable / Field Name": names.questions[q.id],
                "Field Label": esc(q.text),
                "Required Field?": "y" if q.required else "",
            }
            if i == 0:
                row["Section Header"] = section
            note = one_line(q.hint)
            if part.grid is not None:
                row["Field Type"] = "radio"
                row["Choices, Calculations, OR Slider Labels"] = _choices(survey, q)
                row["Matrix Group Name"] = names.grid_of(q) or ""
                row["Required Field?"] = "y" if all(x.required for x in part.questions) else ""
                note = ""
            elif q.type in ("scale", "choice", "member"):
                long = q.type == "member" and len(answers_of(survey, q)) >= ROSTER_DROPDOWN_FROM
                row["Field Type"] = "dropdown" if long else "radio"
                row["Choices, Calculations, OR Slider Labels"] = _choices(survey, q)
                if q.type == "scale":
                    row["Custom Alignment"] = "RH"  # the points side by side
            elif q.type in ("multi", "connections"):
                row["Field Type"] = "checkbox"
                row["Choices, Calculations, OR Slider Labels"] = _choices(survey, q)
                if not _says_tick_all(note):
                    note = (note + " Tick all that apply.").strip()
            elif q.type == "consent":
                row["Field Type"] = "yesno"
            elif q.type == "number":
                row["Field Type"] = "text"
                row["Text Validation Type OR Show Slider Number"] = "number"
            elif q.type == "respondent":
                row["Field Type"] = "text"
                row["Identifier?"] = "y"
            else:
                row["Field Type"] = "notes"
            if note:
                row["Field Note"] = esc(note)
            rows.append(row)
    rows.append(
        {
            "Variable / Field Name": thanks_name,
            "Field Type": "descriptive",
            "Field Label": esc(closing_text(survey)),
        }
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for row in rows:
        row["Form Name"] = form
        writer.writerow([cell(row.get(c, "")) for c in COLUMNS])
    return BuiltForm(buf.getvalue(), tuple(dropped))
