"""The names and answer codes relimpact's form builders give a survey in each tool.

``relimpact build --to qualtrics|limesurvey|redcap`` writes these names into the file the
tool imports, and the readers accept the same names back from that tool's export, so an
export of a built form reads and scores with no ``aliases`` or ``codes`` in survey.yaml.
Both sides call the functions here: the names cannot drift apart.

- Qualtrics: each question's export tag is its id (``[[ID:...]]``); a grid (matrix) is
  tagged with its group's name, and its statement columns are ``GROUP_1``, ``GROUP_2``...
  in template order. Recode values: a scale point is its own number, a not-applicable
  label a negative number (-1, -2... below the scale's lowest point when that is
  negative), an option its position (1, 2, 3...).
- LimeSurvey: question codes may hold only letters and digits, start with a letter and
  have at most 20 characters: ``net_know`` is ``netknow`` (made unique with a number
  when two ids would clash); a grid (array) is coded by its group's name and its
  statements by their questions' codes; a multi question's options are subquestions
  ``SQ001``, ``SQ002``...; answer codes are a point's number (``m2`` for -2), ``N1``,
  ``N2``... for not-applicable labels and ``A1``, ``A2``... for options.
- REDCap: field names are lower case letters, digits and single ``_``, start with a
  letter, at most 100 characters (``record_id`` and REDCap's reserved names avoided);
  choice codes are a point's number, negative numbers for not-applicable labels and an
  option's position (checkbox columns ``field___1``).
- A ``connections`` question with tie ``levels`` is a member x level grid: in Qualtrics
  a matrix tagged with its id, statements ``TAG_1``, ``TAG_2``... (roster order); in
  LimeSurvey an array, subquestions ``SQ001``...; in REDCap a matrix of radio fields
  ``NAME_1``, ``NAME_2``...; its answer codes are those of a scale (``member_rows``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from relimpact.survey.model import Question, Scale, Survey

TOOLS = ("qualtrics", "limesurvey", "redcap")
LIMESURVEY_CODE_MAX = 20
REDCAP_NAME_MAX = 100
REDCAP_RECORD_ID = "record_id"
# Names REDCap keeps for itself (its data dictionary upload refuses them as field names).
REDCAP_RESERVED = frozenset(
    {
        "record_id",
        "record",
        "event",
        "event_id",
        "arm",
        "instance",
        "instrument",
        "project_id",
        "action",
        "submit",
        "hidden_edit_flag",
        "new_form",
        "page",
        "id",
        "field_name",
        "field_label",
    }
)
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]+")
_NOT_REDCAP = re.compile(r"[^a-z0-9]+")


def _unique(name: str, taken: set[str], limit: int, sep: str = "") -> str:
    candidate, i = name[:limit], 2
    while candidate.casefold() in taken:
        suffix = f"{sep}{i}"
        candidate, i = name[: limit - len(suffix)] + suffix, i + 1
    taken.add(candidate.casefold())
    return candidate


def _grids(survey: Survey) -> list[tuple[str, tuple[Question, ...]]]:
    """Runs of consecutive scale questions sharing a ``group`` and one scale: the blocks
    every builder shows as one grid (the same rule as the paper form's)."""
    out: list[tuple[str, tuple[Question, ...]]] = []
    run: list[Question] = []

    def close() -> None:
        same_scale = all(q.type == "scale" for q in run) and len({q.scale for q in run}) == 1
        if run and run[0].group is not None and same_scale:
            out.append((run[0].group, tuple(run)))

    for q in survey.questions:
        if run and (q.group is None or q.group != run[-1].group):
            close()
            run = []
        if q.group is not None:
            run.append(q)
    close()
    return out


@dataclass(frozen=True)
class ToolNames:
    """One tool's names for a survey: each question's name, each grid's name, and every
    column name its export may use for a question (or one option of a multi question).

    A grid is one run of statements, keyed by its first statement's id: a ``group``
    used for two separate runs is two grids, each with its own name. ``reserved`` holds
    the names of the builder's own items (introduction, notes, end), chosen so that no
    question or grid has them."""

    tool: str
    questions: dict[str, str]  # question id -> its name in the tool
    grids: dict[str, str]  # a grid's first statement's id -> the grid question's name
    columns: dict[str, tuple[Question, int | None]]  # export column name -> (question, option)
    in_grid: dict[str, str]  # question id -> the name of the grid it is shown in
    reserved: dict[str, str]  # the builder's own item (intro, notes, thanks) -> its name
    # a connections question with tie levels (a member x level grid): its rows' names,
    # one per roster member (Qualtrics TAG_1..., LimeSurvey SQ001..., REDCap fields)
    member_rows: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def grid_of(self, q: Question) -> str | None:
        return self.in_grid.get(q.id)


def grid_groups(survey: Survey) -> dict[str, tuple[Question, ...]]:
    """A grid's first statement's id -> its statements, for the runs shown as one grid."""
    return {qs[0].id: qs for _, qs in _grids(survey)}


def limesurvey_code(text: str) -> str:
    """``text`` as a LimeSurvey code: letters and digits only, starting with a letter."""
    code = _NOT_ALNUM.sub("", text)
    if not code or not code[0].isalpha():
        code = "q" + code
    return code


def redcap_name(text: str) -> str:
    """``text`` as a REDCap field name: lower case letters, digits and single ``_``,
    starting with a letter, not ending with ``_``."""
    name = _NOT_REDCAP.sub("_", text.casefold()).strip("_")
    if not name or not name[0].isalpha():
        name = "v_" + name if name else "v"
    return name


def redcap_form_name(survey: Survey) -> str:
    """The REDCap instrument's name: the survey id in REDCap's spelling."""
    return redcap_name(survey.id)


def redcap_reserved(survey: Survey) -> frozenset[str]:
    """Field names REDCap keeps for itself in this survey's project: its fixed names and
    the instrument's own ``<form>_complete`` and ``<form>_timestamp`` columns."""
    form = redcap_form_name(survey)
    return REDCAP_RESERVED | {f"{form}_complete", f"{form}_timestamp"}


def redcap_export_columns(survey: Survey) -> frozenset[str]:
    """The columns REDCap adds to every export of the instrument: a question named like
    one of them could not be told from it (``redcap_*`` names are REDCap's too)."""
    form = redcap_form_name(survey)
    return frozenset({REDCAP_RECORD_ID, f"{form}_complete", f"{form}_timestamp"})


# The builders' own items in Qualtrics (descriptive-text questions with an [[ID:...]]):
# no question or grid may take their tags.
QUALTRICS_OWN = ("intro", "thanks", "relimpact_notes")
LIMESURVEY_OWN = ("relimpactnotes",)
REDCAP_OWN = ("intro", "thanks")


def _own(wanted: tuple[str, ...], taken: set[str], limit: int, sep: str) -> dict[str, str]:
    """The builder's own items' names, after every question's: free of them all."""
    return {w: _unique(w, taken, limit, sep) for w in wanted}


def tool_names(tool: str, survey: Survey) -> ToolNames:
    """The names ``relimpact build --to TOOL`` gives the survey's questions and grids.

    Names that clash once spelled as the tool wants (``g-h`` and ``g_h``, a question
    ``g_1`` and grid ``g``'s first statement) are made unique the same way on every run,
    in template order, by a number; the readers use these same names."""
    grids = [qs for _, qs in _grids(survey)]
    questions: dict[str, str] = {}
    grid_names: dict[str, str] = {}
    columns: dict[str, tuple[Question, int | None]] = {}
    member_rows: dict[str, tuple[str, ...]] = {}
    in_grid: dict[str, str] = {}
    in_a_grid = {q.id for qs in grids for q in qs}
    own: dict[str, str]
    if tool == "limesurvey":
        taken: set[str] = set()
        for qs in grids:
            grid_names[qs[0].id] = _unique(
                limesurvey_code(qs[0].group or ""), taken, LIMESURVEY_CODE_MAX
            )
        for q in survey.questions:
            if q.id not in in_a_grid:
                questions[q.id] = _unique(limesurvey_code(q.id), taken, LIMESURVEY_CODE_MAX)
        own = _own(LIMESURVEY_OWN, taken, LIMESURVEY_CODE_MAX, "")
        for qs in grids:
            grid = grid_names[qs[0].id]
            sub_taken: set[str] = set()  # subquestion codes are unique within their question
            for q in qs:
                questions[q.id] = _unique(limesurvey_code(q.id), sub_taken, LIMESURVEY_CODE_MAX)
                columns[f"{grid}[{questions[q.id]}]"] = (q, None)
                in_grid[q.id] = grid
        for q in survey.questions:
            if q.id in in_a_grid:
                continue
            if not levelled(q):
                columns[questions[q.id]] = (q, None)
            if q.type in ("multi", "connections"):
                n = len(q.options) if q.type == "multi" else len(survey_roster(survey))
                for k in range(n):
                    columns[f"{questions[q.id]}[{limesurvey_subquestion(k)}]"] = (q, k)
                if levelled(q):
                    member_rows[q.id] = tuple(limesurvey_subquestion(k) for k in range(n))
            if q.other and q.type in ("choice", "multi") and q.other_index is not None:
                # LimeSurvey's own "Other:" option: its write-in column
                columns[f"{questions[q.id]}[other]"] = (q, q.other_index)
    elif tool == "redcap":
        taken = set(redcap_reserved(survey))
        for q in survey.questions:
            questions[q.id] = _unique(redcap_name(q.id), taken, REDCAP_NAME_MAX, "_")
        for q in survey.questions:
            if levelled(q):  # a matrix of radio fields, one per member: NAME_1, NAME_2...
                rows = tuple(
                    _unique(f"{questions[q.id]}_{k + 1}", taken, REDCAP_NAME_MAX, "_")
                    for k in range(len(survey_roster(survey)))
                )
                member_rows[q.id] = rows
                columns.update({row: (q, k) for k, row in enumerate(rows)})
                continue
            columns[questions[q.id]] = (q, None)
            if q.type == "multi":
                for k, code in enumerate(option_codes(tool, q)):
                    columns[f"{questions[q.id]}___{code}"] = (q, k)
            elif q.type == "connections":
                for k, code in enumerate(roster_codes(tool, survey)):
                    columns[f"{questions[q.id]}___{code}"] = (q, k)
        own = _own(REDCAP_OWN, taken, REDCAP_NAME_MAX, "_")
        matrix_taken: set[str] = set()  # matrix group names: unique in the project
        for qs in grids:
            grid = _unique(redcap_name(qs[0].group or ""), matrix_taken, REDCAP_NAME_MAX, "_")
            grid_names[qs[0].id] = grid
            in_grid.update(dict.fromkeys((q.id for q in qs), grid))
    elif tool == "qualtrics":
        taken = set()
        for qs in grids:
            # the grid's tag and its statements' columns GRID_1, GRID_2...: all free
            base, i = qualtrics_tag(qs[0].group or ""), 2
            grid = base
            while {n.casefold() for n in (grid, *_matrix_columns(grid, qs))} & taken:
                grid, i = f"{base}{i}", i + 1
            grid_names[qs[0].id] = grid
            taken.add(grid.casefold())
            for q, column in zip(qs, _matrix_columns(grid, qs), strict=True):
                questions[q.id] = column
                columns[column] = (q, None)
                in_grid[q.id] = grid
                taken.add(column.casefold())
        for q in survey.questions:
            if q.id in in_a_grid:
                continue
            questions[q.id] = _unique(qualtrics_tag(q.id), taken, 200, "_")
            if levelled(q):  # a matrix: one statement per member, TAG_1, TAG_2...
                rows = tuple(
                    f"{questions[q.id]}_{k + 1}" for k in range(len(survey_roster(survey)))
                )
                member_rows[q.id] = rows
                taken.update(r.casefold() for r in rows)
                columns.update({row: (q, k) for k, row in enumerate(rows)})
                continue
            columns[questions[q.id]] = (q, None)
        own = _own(QUALTRICS_OWN, taken, 200, "_")
    else:
        raise ValueError(tool)
    return ToolNames(tool, questions, grid_names, columns, in_grid, own, member_rows)


def levelled(q: Question) -> bool:
    """A ``connections`` question with tie levels: fielded as a member x level grid."""
    return q.type == "connections" and q.levels is not None


def _matrix_columns(grid: str, qs: tuple[Question, ...]) -> list[str]:
    return [f"{grid}_{k + 1}" for k in range(len(qs))]


def survey_roster(survey: Survey) -> tuple[str, ...]:
    """The network map's members (the options of member and connections questions)."""
    return survey.network_map.members if survey.network_map is not None else ()


def qualtrics_tag(text: str) -> str:
    """An id as a Qualtrics export tag: letters, digits and ``_`` (others become ``_``)."""
    tag = _NOT_ALNUM.sub("_", text).strip("_") or "Q"
    return tag if tag[0].isalpha() else "Q" + tag


def limesurvey_subquestion(k: int) -> str:
    """The code of option ``k`` of a multi question as a LimeSurvey subquestion."""
    return f"SQ{k + 1:03d}"


def point_codes(tool: str, scale: Scale) -> tuple[str, ...]:
    """Each point's answer code, lowest first: its number (LimeSurvey: ``m2`` for -2)."""
    if tool == "limesurvey":
        return tuple(str(v) if v >= 0 else f"m{-v}" for v in scale.values)
    return tuple(str(v) for v in scale.values)


def na_codes(tool: str, scale: Scale) -> tuple[str, ...]:
    """Each not-applicable label's answer code: LimeSurvey ``N1``, ``N2``...; Qualtrics
    and REDCap negative numbers below both 0 and the scale's lowest point."""
    if tool == "limesurvey":
        return tuple(f"N{k + 1}" for k in range(len(scale.not_applicable)))
    base = min(0, scale.min_value)
    return tuple(str(base - k - 1) for k in range(len(scale.not_applicable)))


def position_codes(tool: str, labels: tuple[str, ...]) -> tuple[str, ...]:
    """Codes by position: LimeSurvey ``A1``, ``A2``...; Qualtrics and REDCap 1, 2, 3...
    When a label is another answer's code (options ``0``, ``1``, ``2``), an export could
    not tell a code from a label, so the codes start from 101 (LimeSurvey ``X1``)."""
    from relimpact.common.text import code_key

    def codes(prefix: str, start: int) -> tuple[str, ...]:
        return tuple(f"{prefix}{start + k}" for k in range(len(labels)))

    plain = codes("A", 1) if tool == "limesurvey" else codes("", 1)
    keys = {code_key(c): k for k, c in enumerate(plain)}
    if any(keys.get(code_key(label), k) != k for k, label in enumerate(labels)):
        return codes("X", 1) if tool == "limesurvey" else codes("", 101)
    return plain


def option_codes(tool: str, q: Question) -> tuple[str, ...]:
    """Each category's answer code (its options, then "Other" where write-ins are
    allowed): LimeSurvey ``A1``, ``A2``...; Qualtrics and REDCap 1, 2, 3..."""
    return position_codes(tool, q.categories)


def roster_codes(tool: str, survey: Survey) -> tuple[str, ...]:
    """Each member's answer code in a member or connections question, roster order."""
    return position_codes(tool, survey_roster(survey))


def scale_answer_codes(tool: str, scale: Scale) -> dict[str, float | None]:
    """code -> point value (``None`` for a not-applicable label), as the reader takes them."""
    out: dict[str, float | None] = {
        c: float(v) for c, v in zip(point_codes(tool, scale), scale.values, strict=True)
    }
    out.update(dict.fromkeys(na_codes(tool, scale)))
    return out
