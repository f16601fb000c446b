"""``relimpact build --to limesurvey``: the tab-separated survey structure LimeSurvey imports.

In LimeSurvey: Create survey > Import, choose the ``.txt`` file (LimeSurvey's "TSV
survey structure", read by ``TSVImportSurvey`` in its ``import_helper.php``). The first
row names the columns (``class``, ``type/scale``, ``name``, ``relevance``, ``text``,
``help``, ``language``, ``validation``, ``mandatory``, ``other``...); then rows of class
``S`` (survey settings), ``SL`` (title, description, welcome and end texts in the
template's language), ``G`` (a question group: one per part), ``Q`` (a question),
``SQ`` (its subquestions: a grid's statements, a multi question's options) and ``A``
(its answers).

Statements sharing a scale are one array question (type ``F``) coded by the group's
name, its statements coded by their questions' ids; a single scale or choice question
is a list (``L``, or a drop-down ``!`` for a long roster); several answers ``M``; free
text ``T``; the member code ``S``; numbers ``N``; consent yes/no ``Y``. Codes hold only
letters and digits (``net_know`` is ``netknow``) and answer codes are a point's number,
``N1``, ``N2`` for not-applicable labels and ``A1``, ``A2`` for options
(``relimpact.read.toolnames``), so an export with "question code" or "full question text"
headings, and with answer codes or full answers, reads back with no aliases or codes.

Texts are HTML in LimeSurvey: each is HTML-escaped (``<script>`` is shown as written).
A cell holding a tab, a quote or a line break is quoted, with quotes doubled, as
LimeSurvey's reader (PHP ``fgetcsv`` with tab and ``"``) expects; line breaks become
``<br>``. The file is UTF-8 with no BOM, lines ending in ``\\n``.
"""

from __future__ import annotations

import html

from relimpact.common.errors import SurveyError
from relimpact.forms.build import LEVEL_INSTRUCTION, ROSTER_DROPDOWN_FROM, _where, language_code
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
    levelled,
    limesurvey_subquestion,
    na_codes,
    option_codes,
    point_codes,
    roster_codes,
    tool_names,
)
from relimpact.survey.model import Question, Survey

TOOL = "LimeSurvey"
# The languages named in a refusal (LimeSurvey knows about 120).
_COMMON = ("en", "fr", "de", "de-informal", "es", "it", "nl", "pt", "pt-BR", "pl", "cy", "ar")
_COMMON += ("zh-Hans", "zh-Hant-TW")
COLUMNS = (
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "other",
    "default",
    "same_default",
)


def esc(text: str) -> str:
    """Template text as LimeSurvey HTML: escaped, line breaks as ``<br>``, and ``{`` as
    ``&#123;``, so that no text is an Expression Manager expression (``{TOKEN:EMAIL}``,
    ``{role.shown}`` would show data in the question)."""
    lines = [one_line(line) for line in text.strip().splitlines()]
    return "<br>".join(
        html.escape(line, quote=False).replace("{", "&#123;") for line in lines if line
    )


def tsv_cell(value: str) -> str:
    """One cell as LimeSurvey's ``fgetcsv($f, 0, "\\t", '"')`` reads it back exactly."""
    if any(c in value for c in '\t\n\r"') or value.startswith(" ") or value.endswith(" "):
        return '"' + value.replace('"', '""') + '"'
    return value


def _answers(survey: Survey, q: Question) -> list[tuple[str, str]]:
    """(answer code, label) for each answer of a list or array question (a connections
    question with tie levels: its levels)."""
    if q.type == "scale" or levelled(q):
        scale = survey.scale_of(q) if q.type == "scale" else survey.levels_of(q)
        assert scale is not None
        pairs = list(
            zip(
                point_codes("limesurvey", scale),
                (scale.label(v) for v in scale.values),
                strict=True,
            )
        )
        return pairs + list(zip(na_codes("limesurvey", scale), scale.not_applicable, strict=True))
    if q.type == "choice":
        return list(zip(option_codes("limesurvey", q), q.categories, strict=True))
    labels = [label for _, label in answers_of(survey, q)]  # the roster
    return list(zip(roster_codes("limesurvey", survey), labels, strict=True))


def limesurvey_language(survey: Survey) -> tuple[str, str]:
    """The template's ``language`` as LimeSurvey's code, and a note when it is not the
    language exactly as written (``en_GB``: LimeSurvey has only ``en``). A name
    (``French``) or a code (``fr``, ``fr_FR``, ``Français (fr)``) is taken; a language
    LimeSurvey does not know, or one that could be two of its languages (``zh``), is
    refused, never set to English."""
    from relimpact.forms.limesurvey_languages import LIMESURVEY_LANGUAGES, STANDARD_TO_LIMESURVEY

    raw = survey.language.strip()
    if not raw:
        return "en", (
            "the template names no language: the LimeSurvey survey is set to English "
            "('en'); add language to survey.yaml if it is not."
        )
    codes = {c.casefold(): c for c in LIMESURVEY_LANGUAGES}
    names = {n.casefold(): c for c, n in LIMESURVEY_LANGUAGES.items()}
    wanted = language_code(raw).replace("_", "-")
    found = ""
    if wanted:
        key = wanted.casefold()
        found = codes.get(key) or STANDARD_TO_LIMESURVEY.get(key, "")
        base = key.split("-")[0]
        if not found and base != "zh":
            found = codes.get(base) or STANDARD_TO_LIMESURVEY.get(base, "")
    else:
        found = names.get(raw.casefold(), "")
    if not found:
        raise SurveyError(
            f"language '{raw}' is not one LimeSurvey knows"
            + (" (Chinese: simplified or traditional?)" if wanted[:2].casefold() == "zh" else "")
            + ", so the survey's language cannot be set.",
            where=_where(survey),
            hint="Set language in survey.yaml to a language LimeSurvey knows, by its code "
            "or English name: "
            + ", ".join(f"{c} ({LIMESURVEY_LANGUAGES[c]})" for c in _COMMON)
            + "... (all of them: LimeSurvey's Global settings > Languages).",
        )
    note = ""
    if wanted and len(found) < len(wanted) and wanted.casefold().startswith(found.casefold()):
        note = (
            f"language '{raw}': LimeSurvey has no '{wanted}'; the survey is set to "
            f"'{found}' ({LIMESURVEY_LANGUAGES[found]})."
        )
    return found, note


def build_limesurvey(survey: Survey) -> BuiltForm:
    """The TSV survey structure (``.txt``) for LimeSurvey's Import survey."""
    lang, language_note = limesurvey_language(survey)
    names = tool_names("limesurvey", survey)
    parts = grid_parts(survey)
    dropped = [
        *grid_notes(survey, TOOL, parts),
        *roster_notes(survey, TOOL),
        *levels_notes(survey, TOOL),
    ]
    if language_note:
        dropped.insert(0, language_note)
    for q in survey.questions:
        if q.other and q.type in ("choice", "multi") and not _own_other(q):
            dropped.append(
                f"question '{q.id}' takes write-ins, but its options already hold "
                f"'{q.options[q.other_index or 0]}': it is kept as an ordinary option, "
                "without LimeSurvey's text box, so write-ins are not collected. To collect "
                "them, take 'Other' out of the options (relimpact adds LimeSurvey's own)."
            )
    rows: list[dict[str, str]] = []

    def add(cls: str, name: str, text: str = "", **more: str) -> None:
        rows.append({"class": cls, "name": name, "text": text, **more})

    add("S", "language", lang)
    add("S", "format", "G")  # group by group: one page per part
    add("S", "anonymized", "Y")  # responses are not linked to participant tokens
    add("S", "datestamp", "Y")  # real submission dates (fieldwork period, latest answer)
    add("S", "ipaddr", "N")  # no IP addresses kept
    add("S", "showprogress", "Y")
    add("SL", "surveyls_title", esc(survey.title), language=lang)
    description = "<br>".join(t for t in (esc(survey.network), esc(survey.description)) if t)
    add("SL", "surveyls_description", description, language=lang)
    add(
        "SL",
        "surveyls_welcometext",
        f"<b>Your privacy.</b> {esc(privacy_notice(survey))}",
        language=lang,
    )
    add("SL", "surveyls_endtext", esc(closing_text(survey)), language=lang)
    if dropped:
        # The file's header comment: a first group to delete before the survey is
        # activated (a TSV structure has no comments).
        add("G", "Notes from relimpact: delete this group before you activate", language=lang)
        code = names.reserved["relimpactnotes"]
        notes = "What LimeSurvey could not take from the template: " + " ".join(
            f"({i + 1}) {esc(d)}" for i, d in enumerate(dropped)
        )
        add(
            "Q",
            code,
            notes,
            **{"type/scale": "X", "language": lang, "mandatory": "N", "other": "N"},
        )
    for n, part in enumerate(parts):
        add("G", f"Part {n + 1}", "", language=lang)
        if part.grid is not None:
            first = part.questions[0]
            mandatory = "Y" if all(q.required for q in part.questions) else "N"
            add(
                "Q",
                names.grid_of(first),
                esc("For each statement, tick the one box closest to what you think."),
                **{"type/scale": "F", "language": lang, "mandatory": mandatory, "other": "N"},
            )
            for q in part.questions:
                add("SQ", names.questions[q.id], esc(q.text), language=lang)
            for code, label in _answers(survey, first):
                add("A", code, esc(label), **{"type/scale": "0", "language": lang})
            continue
        for q in part.questions:
            _question(survey, q, names.questions[q.id], lang, add)
    lines = ["\t".join(COLUMNS)]
    for row in rows:
        lines.append("\t".join(tsv_cell(row.get(c, "")) for c in COLUMNS))
    return BuiltForm("\n".join(lines) + "\n", tuple(dropped))


def _own_other(q: Question) -> bool:
    """Whether the question's "Other" is fielded as LimeSurvey's own "Other:" option,
    with its text box: write-ins allowed and no option of the template's is "Other"
    (an "Other" the template lists stays an ordinary option, so that its export column
    is a tick, as the template says; the build notes the missing text box)."""
    return (
        q.other
        and q.type in ("choice", "multi")
        and q.other_index is not None
        and q.other_index == len(q.options)
    )


def _question(survey: Survey, q: Question, code: str, lang: str, add) -> None:
    common = {
        "language": lang,
        "help": esc(q.hint),
        "mandatory": "Y" if q.required else "N",
        "other": "N",
    }
    if levelled(q):
        # a member x level grid: an array (F), a subquestion per member, an answer per
        # level; not mandatory, which would ask a level for every member
        common["help"] = esc(q.hint or LEVEL_INSTRUCTION)
        common["mandatory"] = "N"
        add("Q", code, esc(q.text), **{"type/scale": "F", **common})
        for k, (_, label) in enumerate(answers_of(survey, q)):
            add("SQ", limesurvey_subquestion(k), esc(label), language=lang)
        for a_code, label in _answers(survey, q):
            add("A", a_code, esc(label), **{"type/scale": "0", "language": lang})
    elif q.type in ("scale", "choice", "member"):
        answers = _answers(survey, q)
        kind = "!" if q.type == "member" and len(answers) >= ROSTER_DROPDOWN_FROM else "L"
        if q.type == "choice" and _own_other(q):
            # LimeSurvey's own "Other:" option (always the last) takes the write-in.
            answers = [a for k, a in enumerate(answers) if k != q.other_index]
            common["other"] = "Y"
        add("Q", code, esc(q.text), **{"type/scale": kind, **common})
        for a_code, label in answers:
            add("A", a_code, esc(label), **{"type/scale": "0", "language": lang})
    elif q.type in ("multi", "connections"):
        if q.type == "multi":
            labels = list(q.categories)
        else:
            labels = [lab for _, lab in answers_of(survey, q)]
        if q.type == "multi" and _own_other(q):
            labels = [lab for k, lab in enumerate(labels) if k != q.other_index]
            common["other"] = "Y"
        add("Q", code, esc(q.text), **{"type/scale": "M", **common})
        for k, label in enumerate(labels):
            add("SQ", limesurvey_subquestion(k), esc(label), language=lang)
    elif q.type == "consent":
        add("Q", code, esc(q.text), **{"type/scale": "Y", **common})
    elif q.type == "number":
        add("Q", code, esc(q.text), **{"type/scale": "N", **common})
    elif q.type == "respondent":
        add("Q", code, esc(q.text), **{"type/scale": "S", **common})
    else:
        add("Q", code, esc(q.text), **{"type/scale": "T", **common})
