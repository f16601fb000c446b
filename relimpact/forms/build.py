"""Build the questionnaire people answer from a survey template (``relimpact build``).

Four forms of the same questionnaire, all from one survey.yaml:

- ``xlsform``: an .xlsx XLSForm for KoboToolbox and ODK; question names are the
  question ids and choice names are what the readers accept back (point numbers
  for scales, ``choice_name`` of every other label), so a Kobo or ODK export with
  "XML values and headers" scores exactly like one with labels;
- ``html``: a printable paper questionnaire, one self-contained page;
- ``md``: the questionnaire as Markdown, to paste into a document or a form builder;
- ``csv``: an empty response sheet headed by the question ids, for typing in
  paper answers.

Every form opens with the template's privacy notice, or one generated from
``min_group_size``. The same survey always gives byte-identical output.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from relimpact.common.errors import SurveyError, UsageError
from relimpact.common.text import (
    choice_name,
    choice_names,
    did_you_mean,
    is_xml_name,
    normalize,
)
from relimpact.survey.model import Question, Survey

FORMATS = ("xlsform", "html", "md", "csv")
# Every date written into an .xlsx: the same survey must give the same bytes.
FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
DEFAULT_FORM_VERSION = "1"
GRID_BOX = "\u2610"  # a ballot box, one per point in a Markdown grid
GRID_INSTRUCTION = "For each statement, tick the one box closest to what you think."

YES_NO = (("yes", "Yes"), ("no", "No"))
ROSTER_TYPES = ("member", "connections")
MULTIPLE_TYPES = ("multi", "connections")
# Long rosters become a searchable drop-down on phones.
ROSTER_DROPDOWN_FROM = 21

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bn": "Bengali",
    "cy": "Welsh",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "ga": "Irish",
    "gd": "Scottish Gaelic",
    "gu": "Gujarati",
    "hi": "Hindi",
    "it": "Italian",
    "lt": "Lithuanian",
    "nl": "Dutch",
    "pa": "Punjabi",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "so": "Somali",
    "sw": "Swahili",
    "ta": "Tamil",
    "ti": "Tigrinya",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "zh": "Chinese",
}
_LANGUAGE_WITH_CODE = re.compile(r"^.+\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)$")
_LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*$")
# pyxform reads "${name}" in any label, hint or title as a reference to the answer to
# question "name" (and refuses a name the form does not have); XLSForm has no escape for
# it, so a word joiner (U+2060: no width, no break) goes between "$" and "{".
WORD_JOINER = "\u2060"


def build_form(survey: Survey, to: str) -> bytes | str:
    """The questionnaire in one format: ``xlsform`` (bytes), ``html``, ``md`` or ``csv`` (str)."""
    builders = {
        "xlsform": build_xlsform,
        "html": build_html,
        "md": build_markdown,
        "csv": build_csv,
    }
    if to not in builders:
        raise UsageError(
            f"'{to}' is not a form relimpact can build{did_you_mean(to, FORMATS)}.",
            where="--to",
            hint=f"Use one of: {', '.join(FORMATS)}.",
        )
    return builders[to](survey)


# --- What every form shares ----------------------------------------------------


def privacy_notice(survey: Survey) -> str:
    """The template's privacy notice, or a plain default built from ``min_group_size``."""
    if survey.privacy_notice:
        return survey.privacy_notice
    n = survey.min_group_size
    return (
        "Your answers are combined with others'. No group smaller than "
        f"{n} {'person' if n == 1 else 'people'} is ever shown, so no one can be picked out "
        "from the results, and we never show anyone's name."
    )


def language_label(language: str) -> str:
    """The XLSForm language name for a template's ``language``: ``en`` -> ``English (en)``.

    A value already written as ``Name (code)`` is kept; an unknown code is used as it is.
    """
    lang = language.strip()
    if not lang or _LANGUAGE_WITH_CODE.match(lang):
        return lang
    base = re.split(r"[-_]", lang)[0].lower()
    if _LANGUAGE_CODE.match(lang) and base in LANGUAGE_NAMES:
        return f"{LANGUAGE_NAMES[base]} ({lang})"
    return lang


def language_code(language: str) -> str:
    """The BCP 47 code inside a template's ``language`` (for HTML ``lang``), or ``""``."""
    lang = language.strip()
    m = _LANGUAGE_WITH_CODE.match(lang)
    if m:
        return m.group(1)
    return lang if _LANGUAGE_CODE.match(lang) else ""


def _where(survey: Survey, q: Question | None = None) -> str:
    source = str(survey.source) if survey.source else f"survey '{survey.id}'"
    if q is not None and q.line is not None and survey.source:
        return f"{source}:{q.line}"
    return f"{source}, question '{q.id}'" if q is not None else source


def answers_of(survey: Survey, q: Question) -> tuple[tuple[str, str], ...]:
    """``(choice name, label)`` for every answer a question offers, in form order.

    Scale points are named by their number and followed by the not-applicable
    labels; choice, multi and roster answers are named with ``choice_names`` (a label
    with no Latin letter or digit by its position: ``c1``, ``c2``...); consent is yes/no.
    Only the XLSForm uses the names: the other forms take the labels (``choices_of``
    checks the names too).
    """
    if q.type == "scale":
        scale = survey.scale_of(q)
        na = scale.not_applicable
        pairs = [(str(v), scale.label(v)) for v in scale.values]
        pairs += list(zip(choice_names(na, first=len(pairs) + 1), na, strict=True))
    elif q.type in ("choice", "multi"):
        pairs = list(zip(choice_names(q.options), q.options, strict=True))
    elif q.type == "consent":
        pairs = list(YES_NO)
    elif q.type in ROSTER_TYPES:
        if survey.network_map is None:
            raise SurveyError(
                f"question '{q.id}' is a {q.type} question but the template has no network_map.",
                where=_where(survey, q),
                hint="Add a network_map with the list of members (see the network-map template).",
            )
        members = survey.network_map.members
        pairs = list(zip(choice_names(members), members, strict=True))
    else:
        return ()
    return tuple(pairs)


def choices_of(survey: Survey, q: Question) -> tuple[tuple[str, str], ...]:
    """``answers_of``, for the XLSForm: names that would clash are an error, since an
    export with XML values could not tell those answers apart."""
    pairs = answers_of(survey, q)
    seen: dict[str, str] = {}
    for name, label in pairs:
        if name in seen:
            raise SurveyError(
                f"the answers '{seen[name]}' and '{label}' of question '{q.id}' would both "
                f"be named '{name}' in KoboToolbox and ODK, so their exports could not tell "
                "them apart.",
                where=_where(survey, q),
                hint="Reword one of them so they differ in letters or digits.",
            )
        seen[name] = label
    return pairs


@dataclass(frozen=True)
class _Block:
    """Questions shown together: one question, or a run sharing a ``group``."""

    group: str | None
    questions: tuple[Question, ...]

    @property
    def is_grid(self) -> bool:
        """A group of scale questions on one scale: a table with a row per statement."""
        qs = self.questions
        return (
            self.group is not None
            and all(q.type == "scale" for q in qs)
            and len({q.scale for q in qs}) == 1
        )


def _blocks(survey: Survey) -> list[_Block]:
    blocks: list[_Block] = []
    run: list[Question] = []
    for q in survey.questions:
        if run and (q.group is None or q.group != run[-1].group):
            blocks.append(_Block(run[0].group, tuple(run)))
            run = []
        if q.group is None:
            blocks.append(_Block(None, (q,)))
        else:
            run.append(q)
    if run:
        blocks.append(_Block(run[0].group, tuple(run)))
    return blocks


def _says_tick_all(hint: str) -> bool:
    return "tick all" in normalize(hint) or "select all" in normalize(hint)


def _instruction(q: Question) -> str:
    if q.type == "connections" and q.levels is not None:
        return ""  # a grid: its own instruction (LEVEL_INSTRUCTION) says what to tick
    if q.type in MULTIPLE_TYPES:
        return "" if _says_tick_all(q.hint) else "Tick all that apply."
    if q.type in ("scale", "choice", "consent", "member"):
        return "Tick one box."
    return ""


# --- XLSForm --------------------------------------------------------------------


def _unique(name: str, taken: set[str]) -> str:
    candidate, i = name, 2
    while candidate in taken:
        candidate, i = f"{name}_{i}", i + 1
    taken.add(candidate)
    return candidate


def xlsform_text(text: str) -> str:
    """Template text for an XLSForm label, hint or title: shown as written, never a
    ``${...}`` reference to another answer."""
    return text.replace("${", f"${WORD_JOINER}{{")


def _literal_texts(rows: list[dict[str, str]], keys: tuple[str, ...]) -> list[dict[str, str]]:
    return [{k: xlsform_text(v) if k in keys else v for k, v in row.items()} for row in rows]


def _xlsform_rows(survey: Survey) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The survey and choices sheets as rows of column -> value."""
    for q in survey.questions:
        if not is_xml_name(q.id):
            raise SurveyError(
                f"question id '{q.id}' cannot name a question in KoboToolbox or ODK: it must "
                "start with a letter or '_'.",
                where=_where(survey, q),
                hint=f"Rename it, e.g. 'q{q.id}' (and keep the new id from then on).",
            )
    names: set[str] = {q.id for q in survey.questions}
    list_names: set[str] = set()
    rows: list[dict[str, str]] = []
    choices: list[dict[str, str]] = []
    lists_by_key: dict[tuple[str, ...], str] = {}

    def choice_list(key: tuple[str, ...], wanted: str, q: Question) -> str:
        if key not in lists_by_key:
            list_name = _unique(wanted, list_names)
            lists_by_key[key] = list_name
            for name, label in choices_of(survey, q):
                choices.append({"list_name": list_name, "name": name, "label": label})
        return lists_by_key[key]

    rows.append(
        {
            "type": "note",
            "name": _unique("intro", names),
            "label": f"**{survey.title}**\n\n{survey.description}".strip(),
        }
    )
    rows.append(
        {
            "type": "note",
            "name": _unique("privacy", names),
            "label": f"**Your privacy.** {privacy_notice(survey)}",
        }
    )
    member_question = next((q for q in survey.questions if q.type == "member"), None)
    for block in _blocks(survey):
        if block.group is not None:
            rows.append(
                {
                    "type": "begin_group",
                    "name": _unique(block.group, names),
                    "label": GRID_INSTRUCTION if block.is_grid else "",
                    "appearance": "field-list",
                }
            )
        for q in block.questions:
            row = {"name": q.id, "label": q.text, "hint": q.hint}
            if q.required:
                row["required"] = "yes"
            if q.type == "scale":
                assert q.scale is not None
                row["type"] = f"select_one {choice_list(('scale', q.scale), q.scale, q)}"
                row["appearance"] = "likert"
            elif q.type in ("choice", "multi"):
                kind = "select_one" if q.type == "choice" else "select_multiple"
                row["type"] = f"{kind} {choice_list(('options', q.id), q.id, q)}"
            elif q.type == "consent":
                row["type"] = f"select_one {choice_list(('yes_no',), 'yes_no', q)}"
            elif q.type == "connections" and q.levels is not None:
                rows.extend(_level_grid_rows(survey, q, member_question, names, choice_list))
                continue
            elif q.type in ROSTER_TYPES:
                kind = "select_one" if q.type == "member" else "select_multiple"
                row["type"] = f"{kind} {choice_list(('roster',), 'members', q)}"
                assert survey.network_map is not None
                if len(survey.network_map.members) >= ROSTER_DROPDOWN_FROM:
                    row["appearance"] = "minimal autocomplete"
                if q.type == "connections" and member_question is not None:
                    # Nobody can tick their own organisation as a connection.
                    row["choice_filter"] = f"name != ${{{member_question.id}}}"
            elif q.type == "number":
                row["type"] = "decimal"
            else:  # text, respondent and any free-text type
                row["type"] = "text"
            rows.append(row)
        if block.group is not None:
            rows.append({"type": "end_group"})
    closing = "Thank you for taking part."
    if survey.next_steps:
        closing += f"\n\n**What happens next.** {survey.next_steps}"
    rows.append({"type": "note", "name": _unique("thanks", names), "label": closing})
    return _literal_texts(rows, ("label", "hint")), _literal_texts(choices, ("label",))


LEVEL_INSTRUCTION = (
    "For each member, choose the closest way you work together; leave it blank if you have no link."
)


def level_column(q: Question, member: str, roster: Sequence[str] = ()) -> str:
    """The XLSForm name (and response sheet header) of a member's cell in a levelled
    connections grid: ``worked_with_ashgrove_food_share``; with the ``roster``, a name
    with no Latin letter is named by its position (``worked_with_c3``), as its choice is."""
    if member in roster:
        return f"{q.id}_{choice_names(roster)[list(roster).index(member)]}"
    return f"{q.id}_{choice_name(member)}"


def levels_question(q: Question) -> Question:
    """A levelled connections question seen as a question on its levels scale, so that the
    levels are offered (and named in XLSForm) like any scale's points."""
    from dataclasses import replace

    return replace(q, type="scale", scale=q.levels, levels=None)


def _level_grid_rows(survey, q, member_question, names, choice_list) -> list[dict[str, str]]:  # noqa: ANN001
    """A connections question with tie levels, as a grid: a field-list group holding one
    select_one of the levels per member (the member's own row hidden)."""
    assert survey.network_map is not None and q.levels is not None
    levels = choice_list(("scale", q.levels), q.levels, levels_question(q))
    hint = q.hint or LEVEL_INSTRUCTION
    out = [
        {
            "type": "begin_group",
            "name": _unique(f"{q.id}_grid", names),
            "label": q.text,
            "hint": hint,
            "appearance": "field-list",
        }
    ]
    roster = survey.network_map.members
    for member, name in zip(roster, choice_names(roster), strict=True):
        row = {
            "type": f"select_one {levels}",
            "name": _unique(level_column(q, member, roster), names),
            "label": member,
            "appearance": "minimal",
        }
        if member_question is not None:
            row["relevant"] = f"${{{member_question.id}}} != '{name}'"
        out.append(row)
    out.append({"type": "end_group"})
    return out


def build_xlsform(survey: Survey) -> bytes:
    """An .xlsx XLSForm (survey, choices and settings sheets) for KoboToolbox and ODK."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows, choices = _xlsform_rows(survey)
    lang = language_label(survey.language)
    label_col = f"label::{lang}" if lang else "label"
    hint_col = f"hint::{lang}" if lang else "hint"
    survey_cols = ["type", "name", label_col, hint_col, "required", "appearance"]
    if any("choice_filter" in r for r in rows):
        survey_cols.append("choice_filter")
    if any("relevant" in r for r in rows):
        survey_cols.append("relevant")
    keys = {label_col: "label", hint_col: "hint"}

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    cs = wb.create_sheet("choices")
    st = wb.create_sheet("settings")

    def fill(sheet, columns: list[str], data: list[dict[str, str]], widths: dict[str, int]):
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in data:
            sheet.append([row.get(keys.get(c, c), "") or None for c in columns])
        for row_cells in sheet.iter_rows():
            for cell in row_cells:
                # openpyxl stores a text starting with "=" as a live formula
                # (=HYPERLINK, =WEBSERVICE); every cell of the form is text.
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for i, col in enumerate(columns):
            letter = sheet.cell(row=1, column=i + 1).column_letter
            sheet.column_dimensions[letter].width = widths.get(keys.get(col, col), 14)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"

    fill(
        ws,
        survey_cols,
        rows,
        {"type": 26, "name": 18, "label": 60, "hint": 40, "appearance": 16, "choice_filter": 24},
    )
    fill(cs, ["list_name", "name", label_col], choices, {"list_name": 16, "name": 28, "label": 40})
    settings = {
        "form_title": xlsform_text(survey.title),
        "form_id": survey.id,
        "version": survey.version or DEFAULT_FORM_VERSION,
    }
    if lang:
        settings["default_language"] = lang
    fill(st, list(settings), [settings], {"form_title": 40, "form_id": 20, "default_language": 18})

    wb.properties.creator = "relimpact"
    wb.properties.lastModifiedBy = "relimpact"
    wb.properties.title = survey.title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return _save_workbook(wb)


def _save_workbook(wb) -> bytes:  # wb: openpyxl.Workbook
    """Serialise without the current time: fixed document dates and zip entry times."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # unlike save_workbook, keeps properties.modified
    from relimpact.common.output import dated_zip

    return dated_zip(raw.getvalue(), FIXED_TIME.timetuple()[:6])


# --- The paper questionnaire (HTML) ----------------------------------------------


def _paper_context(survey: Survey) -> dict[str, object]:
    number = 0
    blocks: list[dict[str, object]] = []
    for block in _blocks(survey):
        if block.is_grid:
            first = block.questions[0]
            scale = survey.scale_of(first)
            columns = [
                {"label": scale.label(v), "number": str(v), "na": False, "first_na": False}
                for v in scale.values
            ]
            columns += [
                {"label": lab, "number": "", "na": True, "first_na": i == 0}
                for i, lab in enumerate(scale.not_applicable)
            ]
            rows = []
            for q in block.questions:
                number += 1
                rows.append({"number": number, "id": q.id, "text": q.text, "hint": q.hint})
            blocks.append(
                {
                    "kind": "grid",
                    "columns": columns,
                    "rows": rows,
                    "caption": GRID_INSTRUCTION,
                    "caption_hint": "",
                    "row_head": "Statement",
                    "levels": False,
                }
            )
            continue
        for q in block.questions:
            number += 1
            if q.type == "connections" and q.levels is not None:
                blocks.append(_paper_level_grid(survey, q, number))
                continue
            options = [label for _, label in answers_of(survey, q)]
            if q.type in ("scale", "consent"):
                layout = "row"
            elif q.type in ROSTER_TYPES or len(options) > 6:
                layout = "columns"
            else:
                layout = "list"
            if options:
                answer = "options"
            elif q.type in ("number", "respondent"):
                answer = q.type
            else:
                answer = "lines"
            blocks.append(
                {
                    "kind": "question",
                    "number": number,
                    "id": q.id,
                    "text": q.text,
                    "hint": q.hint,
                    "instruction": _instruction(q),
                    "required": q.required,
                    "options": options,
                    "layout": layout,
                    "answer": answer,
                    "lines": 5 if q.quotable else 4,
                }
            )
    return {
        "title": survey.title,
        "network": survey.network,
        "description": survey.description,
        "privacy": privacy_notice(survey),
        "next_steps": survey.next_steps,
        "lang": language_code(survey.language) or "en",
        "blocks": blocks,
        "any_required": any(q.required for q in survey.questions),
        "version": survey.version,
        "survey_id": survey.id,
        "grid_instruction": GRID_INSTRUCTION,
    }


def _grid_columns(survey: Survey, q: Question) -> list[dict[str, object]]:
    scale = survey.scale_of(q)
    columns: list[dict[str, object]] = [
        {"label": scale.label(v), "number": str(v), "na": False, "first_na": False}
        for v in scale.values
    ]
    columns += [
        {"label": lab, "number": "", "na": True, "first_na": i == 0}
        for i, lab in enumerate(scale.not_applicable)
    ]
    return columns


def _paper_level_grid(survey: Survey, q: Question, number: int) -> dict[str, object]:
    """A levelled connections question on paper: a grid with a row per member and a
    column per level (no point numbers: the levels are named, not scored)."""
    assert survey.network_map is not None
    columns = _grid_columns(survey, levels_question(q))
    for c in columns:
        c["number"] = ""
    hint = q.hint or LEVEL_INSTRUCTION
    rows = [{"number": "", "id": "", "text": m, "hint": ""} for m in survey.network_map.members]
    return {
        "kind": "grid",
        "columns": columns,
        "rows": rows,
        "caption": f"{number}. {q.text}",
        "caption_hint": hint,
        "row_head": "Member",
        "levels": True,
    }


def build_html(survey: Survey) -> str:
    """A printable paper questionnaire: one self-contained HTML page with a print stylesheet."""
    from importlib.resources import files

    import jinja2

    source = files("relimpact").joinpath("forms", "paper.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.from_string(source).render(**_paper_context(survey))


# --- Markdown ---------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_MD_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])(\s)", re.MULTILINE)


def md_escape(text: str) -> str:
    """Template text as literal Markdown: no emphasis, links, HTML or list markers."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    escaped = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) + m.group(3), escaped)
    return escaped.replace("\n", " ")


def build_markdown(survey: Survey) -> str:
    """The questionnaire as Markdown: intro, privacy notice, numbered questions, ``- [ ]`` boxes."""
    out: list[str] = [f"# {md_escape(survey.title)}", ""]
    if survey.network:
        out += [f"*{md_escape(survey.network)}*", ""]
    if survey.description:
        out += [md_escape(survey.description), ""]
    out += [f"> **Your privacy.** {md_escape(privacy_notice(survey))}", ""]
    out += ["Tick one box for each question, unless it says otherwise.", ""]
    number = 0
    for block in _blocks(survey):
        if block.is_grid:
            # Statements sharing a scale: one table, a row per statement, a box per point.
            labels = [label for _, label in answers_of(survey, block.questions[0])]
            out += [f"*{GRID_INSTRUCTION}*", ""]
            out.append("| Statement | " + " | ".join(md_escape(lab) for lab in labels) + " |")
            out.append("| --- | " + " | ".join(":-:" for _ in labels) + " |")
            for q in block.questions:
                number += 1
                text = f"**{number}.** {md_escape(q.text)}"
                if q.hint:
                    text += f" *{md_escape(q.hint)}*"
                if q.required:
                    text += " (please answer)"
                out.append(f"| {text} | " + " | ".join(GRID_BOX for _ in labels) + " |")
            out.append("")
            continue
        for q in block.questions:
            number += 1
            heading = f"**{number}. {md_escape(q.text)}**"
            if q.required:
                heading += " (please answer)"
            instruction = _instruction(q)
            notes = [md_escape(t) for t in (q.hint, instruction) if t]
            out.append(heading + ("  " if notes else ""))
            if notes:
                out.append(f"*{' '.join(notes)}*")
            out.append("")
            options = answers_of(survey, q)
            if q.type == "connections" and q.levels is not None:
                assert survey.network_map is not None
                levels = [label for _, label in answers_of(survey, levels_question(q))]
                if not q.hint:
                    out += [f"*{md_escape(LEVEL_INSTRUCTION)}*", ""]
                out += [
                    f"- {md_escape(m)}: " + " ".join(f"[ ] {md_escape(x)}" for x in levels)
                    for m in survey.network_map.members
                ]
            elif options:
                out += [f"- [ ] {md_escape(label)}" for _, label in options]
            elif q.type == "number":
                out.append("Number: ________")
            elif q.type == "respondent":
                out.append("Code: ________________")
            else:
                out += ["________________________________________________________________"] * 3
            out.append("")
    if survey.next_steps:
        out += ["## What happens next", "", md_escape(survey.next_steps), ""]
    out += ["Thank you for taking part.", ""]
    return "\n".join(out)


# --- The response sheet (CSV) ------------------------------------------------------


def build_csv(survey: Survey) -> str:
    """An empty response sheet: one header row of question ids, one row per paper form.

    Type scale answers as the label or the point number, choices as the label,
    and several ticked options in one cell joined by ``; ``.
    """
    header: list[str] = []
    for q in survey.questions:
        if q.type == "connections" and q.levels is not None and survey.network_map is not None:
            roster = survey.network_map.members
            header += [level_column(q, m, roster) for m in roster]
        else:
            header.append(q.id)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(header)
    return buf.getvalue()
