"""``relimpact build --to qualtrics``: the Advanced Format TXT that Qualtrics imports.

In Qualtrics: Survey > Tools > Import/Export > Import Survey, choose the ``.txt``
file. The file starts ``[[AdvancedFormat]]``; each part of the questionnaire is a
``[[Block:...]]`` separated by ``[[PageBreak]]``; statements sharing a scale are one
``[[Question:Matrix]]`` (statements as ``[[AdvancedChoices]]``, scale points as
``[[AdvancedAnswers]]``); choices are ``[[Question:MC:...]]``; free text is
``[[Question:TE:...]]``; the introduction and privacy notice are a
``[[Question:DB]]`` (descriptive text).

Every question carries ``[[ID:...]]``, so its export tag is its id (a matrix is tagged
with its group's name and its statements ``GROUP_1``, ``GROUP_2``...:
``relimpact.read.toolnames``), and every choice and answer has its recode value in
``[[Choice:N]]`` / ``[[Answer:N]]``: a scale point's own number, a negative number for
a not-applicable label, an option's position. An export with "choice text" or with
"numeric values" therefore reads back by tag, with no aliases or codes.

Texts are HTML in Qualtrics: every template text is HTML-escaped, so ``<script>`` is
shown as written. A line that would start with ``[[`` cannot begin a tag: the escape
turns nothing into a tag, and line breaks inside a text are joined.
"""

from __future__ import annotations

import html

from relimpact.forms.build import LEVEL_INSTRUCTION, ROSTER_DROPDOWN_FROM, _says_tick_all
from relimpact.forms.common import (
    GRID_INSTRUCTION,
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
    na_codes,
    option_codes,
    point_codes,
    roster_codes,
    tool_names,
)
from relimpact.survey.model import Question, Survey

TOOL = "Qualtrics"


def esc(text: str) -> str:
    """Template text as Qualtrics question HTML on one line; ``[`` escaped so that no
    text can read as a ``[[tag]]``, and the ``$`` of ``${`` so that none is piped text
    (``${q://QID1/ChoiceGroup/SelectedChoices}`` would show another answer)."""
    escaped = html.escape(one_line(text), quote=False).replace("[", "&#91;").replace("]", "&#93;")
    return escaped.replace("${", "&#36;{")


def _codes(survey: Survey, q: Question) -> list[tuple[str, str]]:
    """(recode value, label) for each answer of a question, in form order (a connections
    question with tie levels: its levels)."""
    if q.type == "scale" or (q.type == "connections" and q.levels is not None):
        scale = survey.scale_of(q) if q.type == "scale" else survey.levels_of(q)
        assert scale is not None
        pairs = list(
            zip(
                point_codes("qualtrics", scale), (scale.label(v) for v in scale.values), strict=True
            )
        )
        pairs += list(zip(na_codes("qualtrics", scale), scale.not_applicable, strict=True))
        return pairs
    if q.type in ("choice", "multi"):
        return list(zip(option_codes("qualtrics", q), q.categories, strict=True))
    if q.type == "consent":
        return [("1", "Yes"), ("2", "No")]
    labels = [label for _, label in answers_of(survey, q)]  # the roster
    return list(zip(roster_codes("qualtrics", survey), labels, strict=True))


def _text(q: Question) -> str:
    text = esc(q.text)
    hint = one_line(q.hint)
    if q.type in ("multi", "connections") and not _says_tick_all(hint):
        hint = (hint + " Tick all that apply.").strip()
    if hint:
        text += f"<br><small>{esc(hint)}</small>"
    return text


def build_qualtrics(survey: Survey) -> BuiltForm:
    """The Advanced Format TXT for Qualtrics' Import Survey."""
    names = tool_names("qualtrics", survey)
    parts = grid_parts(survey)
    dropped = [
        *grid_notes(survey, TOOL, parts),
        *roster_notes(survey, TOOL),
        *levels_notes(survey, TOOL),
    ]
    in_grid = {q.id for p in parts if p.grid is not None for q in p.questions}
    for part in parts:
        if part.grid is not None and all(q.required for q in part.questions):
            dropped.append(
                f"grid '{part.grid}' ({', '.join(q.id for q in part.questions)}) is "
                "required: the import cannot set it; turn on Force Response for the matrix "
                "in Qualtrics."
            )
    for q in survey.questions:
        if q.required and not levelled(q) and q.id not in in_grid:  # partly: grid_notes
            dropped.append(
                f"question '{q.id}' is required: the import cannot set it; turn on "
                "Force Response for it in Qualtrics."
            )
        if q.type == "number":
            dropped.append(
                f"question '{q.id}' takes a number: the import cannot check it; set its "
                "Validation to Content Type > Number in Qualtrics."
            )
        if q.other and q.type in ("choice", "multi"):
            dropped.append(
                f"question '{q.id}' takes write-ins: the import cannot add a text box; tick "
                "Allow text entry on its 'Other' choice in Qualtrics."
            )
    out = ["[[AdvancedFormat]]", ""]
    if dropped:
        out += ["[[Block:Notes from relimpact: delete this block before you publish]]", ""]
        out += ["[[Question:DB]]", f"[[ID:{names.reserved['relimpact_notes']}]]"]
        out.append(
            "What Qualtrics could not take from the template: "
            + " ".join(f"({i + 1}) {esc(d)}" for i, d in enumerate(dropped))
        )
        out += ["", "[[PageBreak]]", ""]
    intro = [f"<b>{esc(survey.title)}</b>"]
    if survey.network:
        intro.append(esc(survey.network))
    if survey.description:
        intro.append(esc(survey.description))
    intro.append(f"<b>Your privacy.</b> {esc(privacy_notice(survey))}")
    for n, part in enumerate(parts):
        if n:
            out += ["[[PageBreak]]", ""]
        out += [f"[[Block:Part {n + 1}]]", ""]
        if n == 0:
            out += [
                "[[Question:DB]]",
                f"[[ID:{names.reserved['intro']}]]",
                "<br><br>".join(intro),
                "",
            ]
        if part.grid is not None:
            first = part.questions[0]
            out += ["[[Question:Matrix]]", f"[[ID:{names.grid_of(first)}]]"]
            out += [esc(GRID_INSTRUCTION), "", "[[AdvancedChoices]]"]
            for k, q in enumerate(part.questions):
                out += [f"[[Choice:{k + 1}]]", esc(q.text)]
            out += ["", "[[AdvancedAnswers]]"]
            for code, label in _codes(survey, first):
                out += [f"[[Answer:{code}]]", esc(label)]
            out.append("")
            continue
        for q in part.questions:
            out += _question(survey, q, names.questions[q.id])
    out += ["[[PageBreak]]", "", "[[Block:End]]", ""]
    out += ["[[Question:DB]]", f"[[ID:{names.reserved['thanks']}]]", esc(closing_text(survey)), ""]
    return BuiltForm("\n".join(out), tuple(dropped))


def _levels_matrix(survey: Survey, q: Question, tag: str) -> list[str]:
    """A connections question with tie levels: a matrix, a statement per member (recode
    values 1, 2, 3..., export columns TAG_1, TAG_2...), an answer per level."""
    text = esc(q.text) + f"<br><small>{esc(q.hint or LEVEL_INSTRUCTION)}</small>"
    lines = ["[[Question:Matrix]]", f"[[ID:{tag}]]", text, "", "[[AdvancedChoices]]"]
    for k, label in enumerate(label for _, label in answers_of(survey, q)):
        lines += [f"[[Choice:{k + 1}]]", esc(label)]
    lines += ["", "[[AdvancedAnswers]]"]
    for code, label in _codes(survey, q):
        lines += [f"[[Answer:{code}]]", esc(label)]
    return [*lines, ""]


def _question(survey: Survey, q: Question, tag: str) -> list[str]:
    if levelled(q):
        return _levels_matrix(survey, q, tag)
    if q.type in ("scale", "choice", "consent", "member", "multi", "connections"):
        codes = _codes(survey, q)
        if q.type in ("multi", "connections"):
            kind = "MC:MultipleAnswer:Vertical"
        elif q.type == "member" and len(codes) >= ROSTER_DROPDOWN_FROM:
            kind = "MC:Dropdown"
        elif q.type in ("scale", "consent"):
            kind = "MC:SingleAnswer:Horizontal"
        else:
            kind = "MC:SingleAnswer:Vertical"
        lines = [f"[[Question:{kind}]]", f"[[ID:{tag}]]", _text(q), "", "[[AdvancedChoices]]"]
        for code, label in codes:
            lines += [f"[[Choice:{code}]]", esc(label)]
        return [*lines, ""]
    kind = "TE:Essay" if q.type == "text" else "TE:SingleLine"
    return [f"[[Question:{kind}]]", f"[[ID:{tag}]]", _text(q), ""]
