"""What the builders for other survey tools share: the built file with its "dropped"
notes, the layout of the questionnaire in parts and grids, and the notes every tool
needs about the template's features it cannot take."""

from __future__ import annotations

import re
from dataclasses import dataclass

from relimpact.forms.build import GRID_INSTRUCTION, _blocks, answers_of, privacy_notice
from relimpact.survey.model import Question, Survey

__all__ = [
    "GRID_INSTRUCTION",
    "BuiltForm",
    "Part",
    "answers_of",
    "grid_parts",
    "level_choices",
    "levels_notes",
    "one_line",
    "privacy_notice",
    "closing_text",
]

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class BuiltForm:
    """A built form: the file's content and what the tool could not take from the
    template (printed on standard error by ``relimpact build`` and written in the file's
    header comment), never silently left out."""

    content: str | bytes
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """A part of the questionnaire: one grid (scale statements sharing a group and a
    scale), or a run of other questions between grids."""

    grid: str | None  # the group's name for a grid, else None
    questions: tuple[Question, ...]


def grid_parts(survey: Survey) -> list[Part]:
    """The questionnaire as parts: each grid its own part, the questions between grids
    together. A future grid kind (a ``connections`` question fielded as member × level)
    becomes one more kind of grid part here."""
    parts: list[Part] = []
    run: list[Question] = []
    for block in _blocks(survey):
        if block.is_grid:
            if run:
                parts.append(Part(None, tuple(run)))
                run = []
            parts.append(Part(block.group, block.questions))
        else:
            run.extend(block.questions)
    if run:
        parts.append(Part(None, tuple(run)))
    return parts


def level_choices(survey: Survey, q: Question) -> list[str]:
    """The columns of a ``connections`` question with tie levels (a member x level grid):
    the levels, lowest first, then any not-applicable labels (read back as no tie)."""
    scale = survey.levels_of(q)
    assert scale is not None
    return [scale.label(v) for v in scale.values] + list(scale.not_applicable)


def levels_notes(survey: Survey, tool: str) -> list[str]:
    """A required ``connections`` question with tie levels: a tool that requires a grid
    requires every row, but no member works with every other member."""
    return [
        f"question '{q.id}' is required, but {tool} would then require a level for every "
        "member; it is not required in the form (relimpact counts a blank row as no link)."
        for q in survey.questions
        if q.type == "connections" and q.levels is not None and q.required
    ]


def one_line(text: str) -> str:
    """Template text on one line (titles in most tools cannot hold line breaks), without
    control characters (no tool shows them, and a Word file cannot hold them)."""
    return _WS.sub(" ", _CONTROL.sub("", text)).strip()


def closing_text(survey: Survey) -> str:
    closing = "Thank you for taking part."
    if survey.next_steps:
        closing += f" What happens next: {one_line(survey.next_steps)}"
    return closing


def grid_help(part: Part) -> str:
    """The help text of a grid that shows its statements' hints (a support line such as
    "call Samaritans free on 116 123" must not be lost): each as "About "statement": hint",
    one per line; "" when no statement has a hint."""
    return "\n".join(
        f"About \u201c{one_line(q.text)}\u201d: {one_line(q.hint)}"
        for q in part.questions
        if q.hint
    )


def roster_notes(survey: Survey, tool: str) -> list[str]:
    """The notes every tool needs about the network map's questions."""
    notes = []
    member = next((q for q in survey.questions if q.type == "member"), None)
    for q in survey.questions:
        if q.type == "connections" and member is not None:
            if q.levels is not None:
                asks = "a member's level for their own row is ignored"
            elif _says_not_own(q.hint):
                asks = "its hint asks members not to tick their own"
            else:
                asks = "add to its hint that members should not tick their own"
            notes.append(
                f"question '{q.id}': {tool} cannot hide the member's own organisation from "
                f"the list (the XLSForm does, from question '{member.id}'); {asks}, and "
                "relimpact never counts a tie to oneself."
            )
    return notes


def _says_not_own(hint: str) -> bool:
    """Whether a hint asks members not to tick their own organisation."""
    from relimpact.common.text import normalize

    words = normalize(hint)
    return any(w in words for w in ("not tick your own", "not your own", "not select your own"))


def grid_notes(
    survey: Survey, tool: str, parts: list[Part], hints_in_help: bool = False
) -> list[str]:
    """Hints of statements inside a grid, and partly required grids: most tools have no
    place for them. ``hints_in_help``: the tool shows them in the grid's own help text
    instead (``grid_help``), and the note says so rather than that they are left out."""
    notes = []
    for part in parts:
        if part.grid is None:
            continue
        hinted = [q.id for q in part.questions if q.hint]
        if hinted and hints_in_help:
            notes.append(
                f"grid '{part.grid}': {tool} has no hint for one statement of a grid; the "
                f"hints of {', '.join(hinted)} are shown in the grid's help text, under its "
                "title, each naming its statement."
            )
        elif hinted:
            notes.append(
                f"grid '{part.grid}': {tool} has no hint for one statement of a grid; the "
                f"hints of {', '.join(hinted)} are left out."
            )
        required = {q.required for q in part.questions}
        if len(required) > 1:
            notes.append(
                f"grid '{part.grid}': only some of its statements are required; {tool} "
                "requires all of a grid's statements or none, so none is required."
            )
    return notes
