"""Does a file fit the survey? The checks that refuse to guess.

Reading (``relimpact.read.reading``) matches columns to questions; this module decides
what to do when the match is poor, and says so in words a convenor can act on:

- a file whose columns match fewer than half of the survey's questions is not a
  response file of this survey (``misfit_problem``), and a first row that holds
  answers rather than headers is a file without its header row
  (``looks_like_answers``); neither message prints the file's cells;
- a scored question with no column is an error naming up to three unmatched
  headers that look closest and the ``aliases:`` line that would match one
  (``missing_problem``), or, when the user allows it, a warning
  (``missing_warning``);
- arguments in the wrong order (``relimpact.common.paths``);
- a baseline that is one of the response files, or that shares no scored question
  with the survey, and a baseline given as a response file
  (``earlier_wave_warning``).

The library never prints: each check returns a ``Problem`` or a warning, or raises
``ResponseError``.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from relimpact.common.errors import Problem, ResponseError
from relimpact.common.sources import Source, same_contents
from relimpact.common.text import normalize
from relimpact.survey.model import Question, Survey

CLOSEST = 3  # unmatched headers suggested for a question with no column
_CUTOFF = 0.5  # similarity below this is not worth suggesting
_MAX_SHOWN = 80


def survey_name(survey: Survey) -> str:
    """The survey file as the user named it (``our-survey.yml``), for messages."""
    return str(survey.source) if survey.source is not None else "survey.yaml"


def survey_where(survey: Survey, q: Question) -> str:
    name = survey_name(survey)
    return f"{name}:{q.line}" if q.line else name


_MAX_ALIAS = 300  # a longer header is not printed whole as an aliases line


def _plain(text: str) -> str:
    """Without control characters (terminal escapes), white space collapsed."""
    return " ".join(
        "".join(c for c in text if unicodedata.category(c) != "Cc" or c.isspace()).split()
    )


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text)


def _short(text: str) -> str:
    text = _plain(text)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _quoted_list(items: Sequence[str], last: str = "or") -> str:
    shown = [f'"{_short(s)}"' for s in items]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + f" {last} " + shown[-1]


def files_text(files: Sequence[str]) -> str:
    names = list(dict.fromkeys(files))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


# --------------------------------------------------------------------------- closest headers

_BRACKET = re.compile(r"\[([^\[\]]*)\]\s*$")
_COMPARED = 200  # characters of a header and of a question compared at most


def _header_parts(header: str) -> list[str]:
    """The parts of a header that may carry a question's text: the whole header, a grid
    row in brackets, and what follows `` - `` (Qualtrics matrices, LimeSurvey)."""
    parts = [header]
    m = _BRACKET.search(header)
    if m:
        parts.append(m.group(1))
    if " - " in header:
        parts.append(header.rsplit(" - ", 1)[1])
    if " / " in header:  # SurveyMonkey "question / sub-header"
        parts.append(header.rsplit(" / ", 1)[1])
    return [p for p in (normalize(x) for x in parts) if p]


def similarity(q: Question, header: str) -> float:
    """How alike a question (its text, id or aliases) and a header look, 0 to 1."""
    keys = [
        k[:_COMPARED] for k in {normalize(q.text), normalize(q.id), *map(normalize, q.aliases)} if k
    ]
    best = 0.0
    # difflib takes time in the product of the two lengths: a header of many kilobytes
    # (a damaged file's merged lines) is compared by its start only.
    for part in (p[:_COMPARED] for p in _header_parts(header)):
        for key in keys:
            m = difflib.SequenceMatcher(None, key, part, autojunk=False)
            if m.real_quick_ratio() <= best or m.quick_ratio() <= best:
                continue
            best = max(best, m.ratio())
    return best


def closest_headers(q: Question, headers: Sequence[str], n: int = CLOSEST) -> list[str]:
    """Up to ``n`` headers that look most like ``q``, best first (ties in file order)."""
    scored = []
    for i, h in enumerate(dict.fromkeys(headers)):
        s = similarity(q, h)
        if s >= _CUTOFF:
            scored.append((-s, i, h))
    return [h for _, _, h in sorted(scored)[:n]]


# --------------------------------------------------------------------------- missing questions


def mojibake_repair(text: str) -> str | None:
    """``text`` as it was written when it is UTF-8 misread as Windows-1252 ("rÃ©seau" for
    "réseau"), else None. Text written in Windows-1252 is almost never valid UTF-8 once
    encoded back ("é" alone is not), so a real accent is not taken for mojibake."""
    if text.isascii():
        return None
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return repaired if repaired != text else None


def missing_problem(
    survey: Survey, q: Question, files: Sequence[str], close: Sequence[str]
) -> Problem:
    """A scored question with no column: where it is in the survey, and how to get past."""
    name = survey_name(survey)
    what = f"scored question '{q.id}' (\"{_short(q.text)}\") has no column in {files_text(files)}"
    if close and (repaired := mojibake_repair(close[0])) is not None:
        return Problem(  # an alias of mojibake would only move the failure on to the labels
            survey_where(survey, q),
            f"{what}; did you mean {_quoted_list(close)}? That header is UTF-8 text read as "
            f'Windows-1252 ("{_short(repaired)}"): the file mixes the two encodings.',
            f"Re-save {files_text(files)} as CSV UTF-8, or export it again from the survey tool.",
        )
    if close and not _has_controls(close[0]) and len(close[0]) <= _MAX_ALIAS:
        alias = json.dumps(_plain(close[0]), ensure_ascii=False)
        return Problem(
            survey_where(survey, q),
            f"{what}; did you mean {_quoted_list(close)}?",
            f"If that column is this question, add  aliases: [{alias}]  to it in {name}; "
            "otherwise give --allow-missing to score without it.",
        )
    if close:  # a header too long, or too odd, to print whole as an aliases line
        return Problem(
            survey_where(survey, q),
            f"{what}; did you mean {_quoted_list(close)}?",
            f"If that column is this question, add its header to the question's aliases in "
            f"{name}; otherwise give --allow-missing to score without it.",
        )
    return Problem(
        survey_where(survey, q),
        f"{what}, and no unmatched column looks like it.",
        f"Add the column's header to the question's aliases in {name}, or give "
        "--allow-missing to score without it.",
    )


def missing_warning(q: Question, files: Sequence[str]) -> str:
    return (
        f"Scored question '{q.id}' (\"{_short(q.text)}\") has no column in "
        f"{files_text(files)}: it was not asked, and is left out of its dimension's scores "
        "(--allow-missing)."
    )


# --------------------------------------------------------------------------- wrong file


def misfit_problem(survey: Survey, file: str, found: int) -> Problem:
    """A file whose columns match fewer than half of the survey's questions."""
    total = len(survey.questions)
    name = survey_name(survey)
    return Problem(
        "",
        f"{file} does not look like answers to {name} ({found} of {total} questions found).",
        f"Check that this is the export of this survey and that the survey comes first; if "
        f"the survey tool renamed the questions, give each question its column header as an "
        f"alias in {name} ('relimpact inspect {name} {file}' lists the columns).",
    )


def sep_line_problem(survey: Survey, file: str, named: str, seen: str) -> Problem:
    """A file whose sep= line names one delimiter while its rows use another: its
    columns fit the survey poorly because line 1 split them at the wrong mark."""
    total = len(survey.questions)

    def shown(d: str) -> str:
        return "<tab>" if d == "\t" else d

    return Problem(
        f"{file}, line 1",
        f"Excel's delimiter line ('sep={shown(named)}') names {shown(named)!r} as the "
        f"delimiter, but split at {shown(named)!r} the columns match too few of the "
        f"{total} questions of {survey_name(survey)}, and the rows after it seem to use "
        f"{shown(seen)!r}: that line may be wrong.",
        f"Correct that line to sep={shown(seen)} (the delimiter the file uses), or delete "
        "it, or export the file again from the survey tool.",
    )


def no_shared_question_problem(survey: Survey, file: str) -> Problem:
    scored = len(survey.scale_questions)
    return Problem(
        file,
        f"this --baseline file shares no question with {survey_name(survey)} (0 of "
        f"{scored} scored questions found).",
        "Give an earlier wave's export of the same survey as --baseline.",
    )


_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)%?$")
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T,]+\d{1,2}:\d{2}.*)?$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_WORDS = {"yes", "no", "true", "false", "y", "n", "oui", "non", "ja", "nein", "si", "sí"}


def _answer_labels(survey: Survey) -> set[str]:
    labels = set(_WORDS)
    for sc in survey.scales.values():
        labels |= {normalize(lab) for _, lab in sc.points if lab}
        labels |= {normalize(x) for x in sc.not_applicable}
    for q in survey.questions:
        labels |= {normalize(o) for o in q.options}
    if survey.network_map is not None:
        labels |= {normalize(m) for m in survey.network_map.members}
    return labels - {""}


def looks_like_answers(survey: Survey, cells: Sequence[str]) -> bool:
    """True when a header row holds answers: numbers, dates, e-mail or IP addresses, or
    the survey's answer labels, in at least half of its non-blank cells (and two or more)."""
    labels = _answer_labels(survey)
    filled = [c.strip() for c in cells if c.strip()]
    values = 0
    for c in filled:
        if (
            _NUMBER.match(c)
            or _DATE.match(c)
            or _TIME.match(c)
            or _EMAIL.match(c)
            or _IPV4.match(c)
            or normalize(c) in labels
        ):
            values += 1
    return values >= 2 and 2 * values >= len(filled)


def no_header_problem(survey: Survey, file: str) -> Problem:
    return Problem(
        f"{file}, row 1",
        "the first row holds answers (numbers, dates, addresses or answer labels), not "
        f"column headers, so its columns cannot be matched to the questions of "
        f"{survey_name(survey)}.",
        "Export the file again with its header row (the question texts), or add the header "
        "row as the file's first line.",
    )


# --------------------------------------------------------------------------- waves


def check_waves(responses: Sequence[Source], baseline: Sequence[Source]) -> None:
    """Refuse a --baseline file that is one of the response files (same file or bytes)."""
    for b in baseline:
        for r in responses:
            if same_contents(b.path, r.path):
                raise ResponseError(
                    f"this --baseline file is the same as the response file {r.name}, so "
                    "there is no change to measure.",
                    where=b.name,
                    hint="Give the earlier wave's export as --baseline, and this wave's export "
                    "as the responses.",
                )


# --------------------------------------------------------------------------- template typos


def one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one inserted, deleted or changed letter
    (or two neighbours swapped): "Agre" and "Agree"."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def _labels_of(survey: Survey, q: Question) -> list[tuple[str, tuple, object]]:
    """(label, its path in survey.yaml, its key in ``used``) for a scale or choice question."""
    if q.type == "scale" and q.scale is not None:
        sc = survey.scales[q.scale]
        out: list[tuple[str, tuple, object]] = [
            (lab, ("scales", sc.id, "points", v), v) for v, lab in sc.points if lab
        ]
        out += [
            (lab, ("scales", sc.id, "not_applicable", i), "na")
            for i, lab in enumerate(sc.not_applicable)
        ]
        return out
    if q.type == "choice":
        k = survey.questions.index(q)
        return [(opt, ("questions", k, "options", i), i) for i, opt in enumerate(q.options)]
    return []


def template_typos(
    survey: Survey,
    problems: Sequence,  # AnswerProblem
    question_of: dict[tuple[str, str], Question],
    used: dict[str, set],
) -> tuple[tuple, list[Problem]]:
    """Unreadable answers that are one edit away from a label of the template that no
    answer uses: the data is consistent and the template looks mistyped ("Agree" in
    every row, "Agre" in survey.yaml). Returns the answer problems that remain, and one
    problem per mistyped label, at its ``file:line`` in survey.yaml."""
    from collections import defaultdict

    groups: dict[tuple, list] = defaultdict(list)
    remaining = []
    for p in problems:
        q = question_of.get((p.file, p.column))
        blamed = None
        if q is not None:
            owner = ("scale", q.scale) if q.type == "scale" else ("question", q.id)
            value = normalize(p.value)
            close = [
                (lab, path, key)
                for lab, path, key in _labels_of(survey, q)
                if one_edit(value, normalize(lab))
            ]
            questions = [
                x
                for x in survey.questions
                if (x.type == "scale" and owner == ("scale", x.scale)) or x is q
            ]
            if len(close) == 1 and not any(close[0][2] in used.get(x.id, set()) for x in questions):
                blamed = (owner, close[0][0], close[0][1])
        if blamed is None:
            remaining.append(p)
        else:
            groups[blamed].append(p)
    if not groups:
        return tuple(problems), []
    name = survey_name(survey)
    lines = _yaml_lines(survey)
    out = []
    for (owner, label, path), found in groups.items():
        counts: dict[str, int] = defaultdict(int)
        for p in found:
            counts[p.value.strip()] += p.count
        said = max(counts, key=lambda v: (counts[v], v))
        total = sum(counts.values())
        columns = list(dict.fromkeys(f'{p.place}, column "{_short(p.column)}"' for p in found))
        first = min(found, key=lambda p: (p.file, p.rows[0] if p.rows else 0))
        whose = f"scale '{owner[1]}'" if owner[0] == "scale" else f"question '{owner[1]}'"
        where_said = (
            columns[0] if len(columns) == 1 else f"{len(columns)} columns, first {columns[0]}"
        )
        line = lines(path)
        out.append(
            Problem(
                f"{name}:{line}" if line else name,
                f"{whose} has the label '{label}', but the responses hold '{said}' "
                f"({total} row{'s' if total != 1 else ''} in {where_said}"
                + (f", row {first.rows[0]}" if first.rows and len(columns) == 1 else "")
                + f") and never '{label}': the label in {name} looks mistyped.",
                f"Correct it to '{said}' in {name}; if '{label}' is right, correct the files.",
            )
        )
    return tuple(remaining), out


def _yaml_lines(survey: Survey):  # -> Callable[[tuple], int | None]
    if survey.source is None:
        return lambda path: None
    try:
        from relimpact.common.yamlsource import load_yaml

        doc = load_yaml(Path(survey.source))
    except Exception:  # noqa: BLE001 - the survey was read once already; lines are a courtesy
        return lambda path: None
    return doc.line
