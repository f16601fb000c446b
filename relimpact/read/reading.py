"""Export files -> one ``ResponseSet``: streaming, duplicates and empty submissions.

``read_responses`` reads one or more export files (several collectors of one
survey) into the column-wise ``ResponseSet`` that scoring uses, and raises
``ResponseError`` listing every problem when the files cannot be scored.
``inspect_responses`` does the same reading but reports answer problems
instead of raising (``relimpact inspect``).

Reading streams. Records come from ``RawTable.records()`` in blocks of
``CHUNK_ROWS``; each block is transposed (``zip``) and each matched column is
mapped through its converter's cache into a small numpy array at C speed
(``relimpact.read.answers``). Only these typed arrays, the non-blank strings of
text questions and, when the survey has a respondent question, the keys and
submission times outlive a block. Memory is bounded by one block plus the
typed columns, whatever the file's length.

After reading, in this order:

1. Empty submissions are removed: rows that answer no question (the
   respondent key alone is not an answer; a not-applicable answer is).
2. With a ``respondent`` question, only the latest submission of each
   respondent key is kept: by the export's submission time when every one of
   the key's rows has a readable time, else the later row (later file, later
   row). Rows with a blank key are all kept.
3. With a ``member`` question, likewise only the latest submission of each member
   (``_one_submission_per_member``); rows that name links but no member are warned of.

Each removal is explained in ``warnings``; keys are never printed.
"""

from __future__ import annotations

import abc
import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, overload

import numpy as np

from relimpact.common import memory
from relimpact.common.errors import Problem, ResponseError
from relimpact.common.paths import response_path_problem
from relimpact.common.sources import Source, local_files, source_name
from relimpact.common.text import count_of, normalize, shown_value
from relimpact.read import answers as A
from relimpact.read import fit
from relimpact.read.columns import UNMATCHED, ColumnPlan, FilePlan, plan_columns
from relimpact.read.packed import PackedBuilder, PackedText
from relimpact.read.readers import (
    ArrowDoubt,
    ArrowText,
    ArrowUnsupported,
    Encoded,
    RawTable,
    arrow_available,
    arrow_records,
    int32_values,
    is_large,
    open_table,
    sep_line_doubt,
    use_arrow,
)
from relimpact.read.responses import (
    SCALE_BLANK,
    SCALE_CODES,
    SCALE_NA,
    AnswerProblem,
    Categorical,
    ColumnMatch,
    FileInfo,
    IgnoredColumn,
    ResponseSet,
    ScaleAnswers,
)
from relimpact.survey.model import Question, Survey

KEEP_TEXT = ("all", "quotable", "none")
CHUNK_ROWS = 500  # small blocks stay in the CPU cache while they are transposed
PROGRESS_EVERY = 50_000
FIRST_ROWS = 5
_MAX_LABEL = 80


@dataclass(frozen=True)
class Inspection:
    """What ``relimpact inspect`` shows: how the files were read, and what is wrong."""

    survey: Survey
    files: tuple[FileInfo, ...]
    matches: tuple[ColumnMatch, ...]
    unmatched_questions: tuple[str, ...]  # question ids with no column in any file
    # For each question with no column: up to three unmatched headers that look closest.
    nearest: Mapping[str, tuple[str, ...]]
    ignored: tuple[IgnoredColumn, ...]
    problems: tuple[AnswerProblem, ...]  # answers that cannot be read
    column_problems: tuple[Problem, ...]  # ambiguous or missing columns
    warnings: tuple[str, ...]
    rows: int  # data rows read from all files
    respondents: int  # rows kept after removing duplicates and empty submissions
    ok: bool  # True when the files can be scored as they stand
    # question id -> {"code": cells read through the template's codes, "other": write-ins}
    answer_use: dict[str, dict[str, int]] = field(default_factory=dict)
    # file -> why rows were left out -> how many ("incomplete response", "survey preview"...)
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)


class SourceRows(Sequence[str]):
    """``"file.csv row 7"`` for each respondent, made on demand (a million strings are not)."""

    __slots__ = ("_names", "_files", "_rows")

    def __init__(self, names: Sequence[str], files: np.ndarray, rows: np.ndarray) -> None:
        self._names = tuple(names)
        self._files = files
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> SourceRows: ...
    def __getitem__(self, i: int | slice) -> str | SourceRows:
        if isinstance(i, slice):
            return SourceRows(self._names, self._files[i], self._rows[i])
        return f"{self._names[int(self._files[i])]} row {int(self._rows[i])}"

    def __iter__(self) -> Iterator[str]:
        for f, r in zip(self._files.tolist(), self._rows.tolist(), strict=True):
            yield f"{self._names[f]} row {r}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SourceRows({len(self)} rows)"


# --------------------------------------------------------------------------- public API


def read_responses(
    survey: Survey,
    paths: Sequence[str | Path | Source],
    *,
    progress: Callable[[int], None] | None = None,
    allow_missing: bool = False,
    baseline: bool = False,
    include_incomplete: bool = False,
    keep_text: str = "all",
) -> ResponseSet:
    """Read export files into one ``ResponseSet``; ``ResponseError`` if they cannot be scored.

    A file whose columns match fewer than half of the survey's questions is refused,
    and so is a scored question with no column unless ``allow_missing`` (then it is a
    warning and ``ResponseSet.not_asked`` names it). ``baseline``: the files are an
    earlier wave, which may lack questions but must share at least one scored question.

    Responses the export marks as incomplete (LimeSurvey: no submission date; Qualtrics:
    ``Finished`` 0) are left out unless ``include_incomplete``; Qualtrics survey previews,
    tests and spam are always left out. Each removal is counted in ``warnings``.

    ``keep_text`` says which free-text answers ``ResponseSet.text`` keeps (scores use
    none; a report quotes only the answers of those who agreed): "all" (the default),
    "quotable" (quotable questions only, and only the answers of respondents who agreed
    to be quoted: the others read as blank) or "none" (no text question at all, and no
    names kept to scrub quotes with). Whether a row answered a text question counts the
    same either way (an answer to a text question alone is not an empty submission).
    """
    reading = _read(
        survey,
        paths,
        progress,
        allow_missing=allow_missing,
        baseline=baseline,
        include_incomplete=include_incomplete,
        keep_text=keep_text,
    )
    problems = list(reading.column_problems) + [as_problem(p) for p in reading.problems]
    if problems:
        raise ResponseError(problems=problems)
    if reading.responses.rows == 0:
        names = ", ".join(map(source_name, paths))
        raise ResponseError(
            "there are no responses: the files hold headers but no answers.",
            where=names,
            hint="Download the responses again once people have answered.",
        )
    return reading.responses


def inspect_responses(
    survey: Survey,
    paths: Sequence[str | Path | Source],
    *,
    allow_missing: bool = False,
    include_incomplete: bool = False,
) -> Inspection:
    """Read the files as ``read_responses`` does, reporting answer problems instead of raising.

    Files that cannot be opened or decoded at all, and files that do not fit the survey
    (fewer than half of its questions found, no header row), still raise ``ResponseError``.
    """
    reading = _read(
        survey, paths, None, allow_missing=allow_missing, include_incomplete=include_incomplete
    )
    rs = reading.responses
    warnings = list(rs.warnings)
    if rs.rows == 0:
        warnings.append("The files hold headers but no responses.")
    return Inspection(
        survey=survey,
        files=rs.files,
        matches=rs.matches,
        unmatched_questions=reading.unmatched,
        nearest=reading.nearest,
        ignored=rs.ignored,
        problems=reading.problems,
        column_problems=reading.column_problems,
        warnings=tuple(warnings),
        rows=rs.rows,
        respondents=rs.respondents,
        ok=not reading.problems and not reading.column_problems and rs.rows > 0,
        answer_use=reading.answer_use,
        left_out=reading.left_out,
    )


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Reading:
    responses: ResponseSet
    problems: tuple[AnswerProblem, ...]
    column_problems: tuple[Problem, ...]
    unmatched: tuple[str, ...]
    nearest: Mapping[str, tuple[str, ...]]
    answer_use: dict[str, dict[str, int]] = field(default_factory=dict)
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)


def _short(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 3] + "..."


SEE_IGNORED = "(see the ignored columns in 'relimpact inspect')"
"""Where a warning sends the reader for the ignored columns; inspect, which shows them,
says ``SEE_IGNORED_ABOVE`` instead."""
SEE_IGNORED_ABOVE = "(see the ignored columns above)"


def _rows_text(count: int, rows: Sequence[int]) -> str:
    listed = ", ".join(map(str, rows))
    if count == 1:
        return f"1 row holds it (row {listed})"
    if count <= len(rows):
        return f"{count} rows hold it (rows {listed})"
    return f"{count} rows hold it (first rows {listed})"


def as_problem(p: AnswerProblem) -> Problem:
    """The problem as score's error and inspect's table name it: file, column, message
    (two problems in different columns must not read the same)."""
    return Problem(f'{p.place}, column "{_short(p.column)}"', p.message)


class _Problems:
    """Unreadable cells, by file, column and raw value: count and first rows."""

    def __init__(self) -> None:
        self.cells: dict[tuple[str, int], dict[str, list[Any]]] = {}
        self.columns: dict[tuple[str, int], _Bound] = {}

    def add(self, b: _Bound, cells: Sequence[str], rows: np.ndarray, bad: np.ndarray) -> None:
        self.columns.setdefault(b.key, b)
        values = self.cells.setdefault(b.key, {})
        for i in bad.tolist():
            entry = values.setdefault(cells[i], [0, []])
            entry[0] += 1
            if len(entry[1]) < FIRST_ROWS:
                entry[1].append(int(rows[i]))

    def _is_header(self, key: tuple[str, int], raw: str) -> bool:
        return normalize(raw) == normalize(self.columns[key].col.label) != ""

    def repeated_headers(self) -> dict[str, list[int]]:
        """Per file, the rows that repeat the header (two exports pasted into one file):
        rows where two or more columns hold their own column's header. (One such cell
        alone stays an answer problem: a row is not told apart by one cell.)"""
        hits: dict[tuple[str, int], int] = defaultdict(int)
        for key, values in self.cells.items():
            for raw, (_, rows) in values.items():
                if self._is_header(key, raw):
                    for r in rows:
                        hits[(key[0], r)] += 1
        found: dict[str, list[int]] = defaultdict(list)
        for (file, row), n in sorted(hits.items()):
            if n >= 2:
                found[file].append(row)
        return dict(found)

    def result(self) -> tuple[AnswerProblem, ...]:
        """The unreadable answers, less a repeated header's cells (``repeated_headers``
        names those rows as one problem instead)."""
        repeated = self.repeated_headers()
        out = []
        for key, values in self.cells.items():
            b = self.columns[key]
            for raw, (count, rows) in values.items():
                pasted = set(repeated.get(key[0], ()))
                if count == len(rows) and pasted.issuperset(rows) and self._is_header(key, raw):
                    continue
                what, hint = b.describe(raw)
                out.append(
                    AnswerProblem(
                        file=key[0],
                        column=b.col.label,
                        value=shown_value(raw),
                        count=count,
                        rows=tuple(rows),
                        message=f"{what}; {_rows_text(count, rows)}. {hint}",
                        sheet=b.sheet,
                    )
                )
        out.sort(key=lambda p: (p.file, p.rows[0] if p.rows else 0, p.column))
        return tuple(out)


def _codes_of(col: ColumnPlan, table: RawTable) -> str:
    """The tool whose builder's answer codes this column may hold (``relimpact.read.
    toolnames``): the export's format when the column's header is the name relimpact
    gave the question there, else none (a hand-made form's codes need ``codes``)."""
    return table.format if col.tool else ""


class _Sink(abc.ABC):
    """One question's answers across all files, one typed array part per block."""

    def __init__(self, q: Question, missing: frozenset[str] = frozenset()) -> None:
        self.q = q
        self.parts: list[Any] = []
        self.answered: list[np.ndarray] = []
        self.missing = missing  # the template's "missing" values for this question
        self.use = {"code": 0, "other": 0}  # cells read through codes, write-ins
        self.code_like = 0  # write-ins that look like answer codes (a bare "2")

    def note(self, conv: Any, cells: Sequence[str]) -> None:
        """Count the cells read through export codes or as write-ins (for inspect)."""
        kinds = getattr(conv, "kinds", None)
        if not kinds:
            return
        if isinstance(cells, Encoded):
            counts = np.bincount(cells.indices, minlength=len(cells.dictionary)).tolist()
            pairs: Any = zip(cells.dictionary, counts, strict=True)
        else:
            pairs = ((c, 1) for c in cells)
        for c, k in pairs:
            kind = kinds.get(c)
            if kind == "other-code":
                self.code_like += k
                kind = "other"
            if kind is not None:
                self.use[kind] += k

    def converter(self, col: ColumnPlan, table: RawTable) -> A.Converter | None:
        return None

    def describe(self, col: ColumnPlan, table: RawTable) -> Callable[[str], tuple[str, str]]:
        return lambda raw: ("", "")

    @abc.abstractmethod
    def add(self, b: _Bound, cells: Sequence[str], problems: _Problems, rows: np.ndarray) -> None:
        """Take one block of a matched column's cells."""

    @abc.abstractmethod
    def blank(self, n: int) -> None:
        """Take n unanswered rows (a file without this question's column)."""

    @abc.abstractmethod
    def finish(self, n: int) -> tuple[Any, ...]:
        """The values for all rows, then the bool mask of rows that answered."""

    def answered_mask(self, n: int) -> np.ndarray:
        return np.concatenate(self.answered) if self.answered else np.zeros(n, bool)

    arrays = True  # ``parts`` holds one array per block (else one value per row)

    def compact(self) -> None:
        """Join the blocks read so far into larger arrays (see ``_compact``)."""
        if self.arrays:
            _compact(self.parts)
        _compact(self.answered)


MERGE_ROWS = 65_536


def _compact(parts: list[Any]) -> None:
    """Join the small arrays at the end of ``parts`` (all but the last, which a sink may
    still change) once they hold ``MERGE_ROWS`` rows: a million rows read in blocks of a
    thousand would otherwise be thousands of small arrays per question, and the memory
    they leave behind when they are finally joined stays with the process."""
    if len(parts) < 3:
        return
    start = len(parts) - 1
    rows = 0
    while start > 0 and len(parts[start - 1]) < MERGE_ROWS:
        start -= 1
        rows += len(parts[start])
    if rows >= MERGE_ROWS and len(parts) - 1 - start > 1:
        parts[start:-1] = [np.concatenate(parts[start:-1])]


@dataclass
class _Bound:
    """A matched column bound to its sink for one file."""

    col: ColumnPlan
    sink: _Sink
    conv: Any
    key: tuple[str, int]
    describe: Callable[[str], tuple[str, str]]
    luts: dict[Any, np.ndarray] = field(default_factory=dict)  # see _fromiter
    sheet: str = ""  # the sheet its problems name (xlsx with other sheets; see RawTable.place)


def _fromiter(b: _Bound, cells: Sequence[str], dtype: Any) -> np.ndarray:
    conv = b.conv
    if isinstance(cells, Encoded):  # convert each distinct answer once, then pick per row
        # Arrow gives each block its own dictionary, mostly the same answers in the same
        # order: the table of converted values is kept for the last few dictionaries.
        key = (tuple(cells.dictionary), np.dtype(dtype).char)
        lut = b.luts.get(key)
        if lut is None:
            d = cells.dictionary
            lut = np.fromiter(map(conv.__getitem__, d), dtype, len(d))
            if len(b.luts) >= _LUTS_KEPT:
                b.luts.clear()
            b.luts[key] = lut
        return lut[cells.indices]
    return np.fromiter(map(conv.__getitem__, cells), dtype=dtype, count=len(cells))


_LUTS_KEPT = 8


class _ScaleSink(_Sink):
    """scale: one byte per answer (``ScaleAnswers``' codes) when the scale spans at most
    ``SCALE_CODES`` points, else float32 values (-inf for not applicable)."""

    def __init__(self, q: Question, survey: Survey, missing: frozenset[str]) -> None:
        super().__init__(q, missing)
        self.scale = survey.scale_of(q)
        self.low = self.scale.min_value
        self.coded = self.scale.max_value - self.low < SCALE_CODES

    def converter(self, col, table):
        return A.scale_converter(self.scale, self.missing, _codes_of(col, table))

    def describe(self, col, table):
        return lambda raw: A.describe_scale(raw, self.q, self.scale)

    def add(self, b, cells, problems, rows) -> None:
        if self.coded and isinstance(cells, Encoded):  # codes per distinct answer
            d = cells.dictionary
            key = (tuple(d), "code")
            cached = b.luts.get(key)
            if cached is None:
                lut = np.fromiter(map(b.conv.__getitem__, d), np.float32, len(d))
                cached = np.stack([lut == np.inf, self._coded(lut)])  # (bad, code) rows
                if len(b.luts) >= _LUTS_KEPT:
                    b.luts.clear()
                b.luts[key] = cached
            bad, codes = cached[0].astype(bool), cached[1]
            if bad.any():
                problems.add(b, cells, rows, np.flatnonzero(bad[cells.indices]))
            self.parts.append(codes[cells.indices])
            self.note(b.conv, cells)
            return
        v = _fromiter(b, cells, np.float32)
        bad = np.flatnonzero(v == np.inf)
        if bad.size:
            problems.add(b, cells, rows, bad)
            v[bad] = np.nan
        self.parts.append(self._coded(v) if self.coded else v)
        self.note(b.conv, cells)

    def _coded(self, v: np.ndarray) -> np.ndarray:
        codes = np.full(len(v), SCALE_BLANK, np.uint8)
        point = np.isfinite(v)
        codes[point] = (v[point] - self.low).astype(np.uint8)
        codes[v == -np.inf] = SCALE_NA
        return codes

    def blank(self, n: int) -> None:
        if self.coded:
            self.parts.append(np.full(n, SCALE_BLANK, np.uint8))
        else:
            self.parts.append(np.full(n, np.nan, np.float32))

    def values(self) -> np.ndarray:
        """All the answers so far as float32 (-inf for not applicable)."""
        v = np.concatenate(self.parts)
        if not self.coded:
            return v
        lut = np.full(256, np.nan, np.float32)
        lut[:SCALE_CODES] = np.arange(self.low, self.low + SCALE_CODES, dtype=np.float32)
        lut[SCALE_NA] = -np.inf
        return lut[v]

    def finish(self, n: int) -> tuple[Any, np.ndarray | None, np.ndarray]:
        if self.coded:
            codes = np.concatenate(self.parts) if self.parts else np.full(n, SCALE_BLANK, np.uint8)
            return codes, None, codes != SCALE_BLANK
        v = np.concatenate(self.parts) if self.parts else np.full(n, np.nan, np.float32)
        na = v == -np.inf
        v[na] = np.nan
        return v, na, ~np.isnan(v) | na


class _ChoiceSink(_Sink):
    """choice: one column of answers, and maybe a write-in column ("Other") beside it."""

    def converter(self, col, table):
        if col.option is not None:
            return A.writein_converter(self.missing)
        return A.choice_converter(
            self.q,
            self.missing,
            yes_no_digits=table.format == "typeform",
            fmt=_codes_of(col, table),
        )

    def describe(self, col, table):
        return lambda raw: A.describe_choice(raw, self.q)

    def add(self, b, cells, problems, rows) -> None:
        v = _fromiter(b, cells, np.int32)
        bad = np.flatnonzero(v == A.CODE_PROBLEM)
        if bad.size:
            problems.add(b, cells, rows, bad)
            v[bad] = A.CODE_BLANK
        self.parts.append(v)
        self.note(b.conv, cells)

    def add_ticks(self, blocks, problems, rows, n, main: bool) -> None:
        """The write-in column: any text where the answer column is blank is "Other"."""
        if not main:
            self.parts.append(np.full(n, A.CODE_BLANK, np.int32))
        v = self.parts[-1]
        other = self.q.other_index
        for b, cells in blocks:
            written = _fromiter(b, cells, np.int8) == 1
            self.note(b.conv, cells)
            if other is not None:
                v[written & (v == A.CODE_BLANK)] = other

    def blank(self, n: int) -> None:
        self.parts.append(np.full(n, A.CODE_BLANK, np.int32))

    def finish(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        v = np.concatenate(self.parts) if self.parts else np.full(n, -1, np.int32)
        return v, v >= 0


class _NumberSink(_Sink):
    def converter(self, col, table):
        return A.number_converter(table.delimiter in (";", "\t"), self.missing)

    def describe(self, col, table):
        return lambda raw: A.describe_number(raw, self.q)

    def add(self, b, cells, problems, rows) -> None:
        v = _fromiter(b, cells, np.float64)
        bad = np.flatnonzero(v == np.inf)
        if bad.size:
            problems.add(b, cells, rows, bad)
            v[bad] = np.nan
        self.parts.append(v)

    def blank(self, n: int) -> None:
        self.parts.append(np.full(n, np.nan))

    def finish(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        v = np.concatenate(self.parts) if self.parts else np.full(n, np.nan)
        return v, ~np.isnan(v)


class _ConsentSink(_Sink):
    def converter(self, col, table):
        return A.consent_converter(self.missing)

    def add(self, b, cells, problems, rows) -> None:
        self.parts.append(_fromiter(b, cells, np.int8))

    def blank(self, n: int) -> None:
        self.parts.append(np.full(n, A.CODE_BLANK, np.int8))

    def finish(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        v = np.concatenate(self.parts) if self.parts else np.full(n, -1, np.int8)
        return v == 1, v >= 0


# Arrow values made from their buffers: ``pa.array`` and ``pa.scalar`` (which Arrow's
# compute functions call on a Python value such as "" or 0) import pandas, wherever it is
# installed, to ask whether they were given a pandas object: 0.3 s of a report.


def _arrow_bools(pa: Any, values: np.ndarray) -> Any:
    """A numpy bool array as an Arrow BooleanArray, from its packed bits."""
    bits = np.packbits(values, bitorder="little")
    return pa.BooleanArray.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])


def _arrow_text(pa: Any, text: str) -> Any:
    """A string as an Arrow scalar."""
    data = text.encode("utf-8")
    offsets = pa.py_buffer(np.array([0, len(data)], np.int32))
    return pa.StringArray.from_buffers(1, offsets, pa.py_buffer(data))[0]


def _arrow_int(pa: Any, value: int) -> Any:
    """A whole number as an Arrow int64 scalar."""
    buffer = pa.py_buffer(np.array([value], np.int64))
    return pa.Int64Array.from_buffers(pa.int64(), 1, [None, buffer])[0]


class _TextSink(_Sink):
    """text (and unknown types): the strings as written, packed (``PackedText``); white
    space only, or one of the template's missing values, is blank.

    ``store``: "all" keeps every answer; "consented" only those of respondents who agreed
    to be quoted (``consent``, the consent question's sink: its part for the block is read
    first); "none" keeps none. Whether a row answered is always kept."""

    def __init__(
        self,
        q: Question,
        missing: frozenset[str] = frozenset(),
        store: str = "all",
        consent: _Sink | None = None,
    ) -> None:
        super().__init__(q, missing)
        self.packed = PackedBuilder()
        self.store = store
        self.consent = consent
        self.consent_fed = False  # set per file: the consent question has a column

    def _agreed(self, n: int) -> np.ndarray:
        if self.consent is None or not self.consent_fed:
            return np.zeros(n, bool)
        return self.consent.parts[-1] == 1

    def add(self, b, cells, problems, rows) -> None:
        miss = self.missing
        n = len(cells)
        if isinstance(cells, ArrowText):
            import pyarrow as pa
            import pyarrow.compute as pc

            blank = ~cells.filled()
            if miss:  # a missing value is judged in Python, as the csv path does
                for i in np.flatnonzero(~blank).tolist():
                    blank[i] = A.code_key(cells[i]) in miss
            self.answered.append(~blank)
            if self.store == "none":
                self.packed.add_blank(n)
                return
            drop = blank if self.store == "all" else blank | ~self._agreed(n)
            array = cells.array
            if drop.any():
                array = pc.if_else(_arrow_bools(pa, drop), _arrow_text(pa, ""), array)
            self.packed.add_arrow(array)
            return
        if miss:
            values = [
                c if c and not c.isspace() and A.code_key(c) not in miss else "" for c in cells
            ]
        else:
            values = [c if c and not c.isspace() else "" for c in cells]
        self.answered.append(np.fromiter(map(bool, values), bool, n))
        if self.store == "none":
            self.packed.add_blank(n)
            return
        if self.store == "consented":
            agreed = self._agreed(n).tolist()
            values = [v if ok else "" for v, ok in zip(values, agreed, strict=True)]
        self.packed.add_strings(values)

    def blank(self, n: int) -> None:
        self.packed.add_blank(n)
        self.answered.append(np.zeros(n, bool))

    def finish(self, n: int) -> tuple[PackedText, np.ndarray]:
        return self.packed.build(), self.answered_mask(n)


class _RespondentSink(_TextSink):
    """The respondent key, normalised: stripped and casefolded."""

    def add(self, b, cells, problems, rows) -> None:
        miss = self.missing
        if isinstance(cells, ArrowText) and not miss and cells.is_ascii():
            # For ASCII text, casefold is lower-casing; strip is the same trim.
            import pyarrow.compute as pc

            self.packed.add_arrow(pc.ascii_lower(cells.trimmed()))
            return
        self.packed.add_strings(
            ["" if miss and A.code_key(c) in miss else c.strip().casefold() for c in cells]
        )

    def blank(self, n: int) -> None:
        self.packed.add_blank(n)

    def finish(self, n: int) -> tuple[PackedText, np.ndarray]:
        packed = self.packed.build()
        return packed, packed.nonempty()


class _RosterSink(_Sink):
    """member and connections questions: roster names; unknown names counted."""

    arrays = False

    def __init__(self, q: Question, survey: Survey, missing: frozenset[str]) -> None:
        super().__init__(q, missing)
        self.members = survey.network_map.members if survey.network_map else ()
        self.rosters: dict[str, A.Roster] = {}
        self.unknown_rows: list[int] = []
        self.unknown = 0

    def roster(self, fmt: str) -> A.Roster:
        if fmt not in self.rosters:
            self.rosters[fmt] = A.Roster(self.members, fmt)
        return self.rosters[fmt]

    def converter(self, col, table):
        roster = self.roster(_codes_of(col, table))
        if col.option is not None:  # one member's own column (a checkbox)
            return roster.tick_converter(col.option, self.missing)
        if self.q.type == "member":
            return roster.member_converter()
        return roster.connections_converter()

    def describe(self, col, table):
        if col.option is None:
            if self.q.type == "connections":
                return self._describe_ambiguous(self.roster(_codes_of(col, table)))
            return super().describe(col, table)
        member = self.members[col.option]
        return lambda raw: (
            f"{A.quoted_value(raw)} is not a tick for member '{member}' of question "
            f"'{self.q.id}' (expected Yes/No, 1/0, Checked/Unchecked or a blank cell)",
            "Correct the file, or check that this column belongs to that member.",
        )

    def add_ticks(self, blocks, problems, rows, n, main: bool = False) -> None:
        """One column per member (LimeSurvey, REDCap): the ticked members, roster order."""
        ticked = [[] for _ in range(n)]
        answered = np.zeros(n, bool)
        for b, cells in sorted(blocks, key=lambda bc: bc[0].col.option):
            codes = _fromiter(b, cells, np.int8)
            bad = np.flatnonzero(codes == A.CODE_PROBLEM)
            if bad.size:
                problems.add(b, cells, rows, bad)
            member = self.members[b.col.option]
            for i in np.flatnonzero(codes == 1).tolist():
                ticked[i].append(member)
            answered |= codes != A.CODE_BLANK
        if main:  # a joined column too: add the ticks to its names
            start = len(self.parts) - n
            for i in range(n):
                if ticked[i]:
                    self.parts[start + i] = tuple(
                        dict.fromkeys((*self.parts[start + i], *ticked[i]))
                    )
            self.answered[-1] |= answered
            return
        self.parts.extend(tuple(t) for t in ticked)
        self.answered.append(answered)

    def _describe_ambiguous(self, roster: A.Roster) -> Callable[[str], tuple[str, str]]:
        """What is wrong with a connections cell read two ways (``Roster.ambiguous``)."""
        qid = self.q.id

        def describe(raw: str) -> tuple[str, str]:
            ways = [
                " and ".join(repr(m) for m in sorted(w, key=self.members.index))
                for w in roster.ambiguous(raw)
            ]
            return (
                f"{A.quoted_value(raw)} in question '{qid}' can be read as {' or as '.join(ways)}",
                "The tool joins the names ticked with a separator that is also inside a "
                "member's name: rename those members in network_map.members so that no "
                "joined answer can be read two ways, then collect the answers again.",
            )

        return describe

    def add(self, b, cells, problems, rows) -> None:
        values = list(map(b.conv.__getitem__, cells))
        bad = [i for i, (v, _) in enumerate(values) if v is A.AMBIGUOUS]
        if bad:
            problems.add(b, cells, rows, np.array(bad))
            values = [((), 0) if v is A.AMBIGUOUS else (v, u) for v, u in values]
        for i, (_, unknown) in enumerate(values):
            if unknown:
                self.unknown += int(unknown)
                if len(self.unknown_rows) < FIRST_ROWS:
                    self.unknown_rows.append(int(rows[i]))
        self.parts.extend(v for v, _ in values)
        self.answered.append(np.fromiter((bool(c.strip()) for c in cells), bool, len(cells)))

    def blank(self, n: int) -> None:
        empty: Any = "" if self.q.type == "member" else ()
        self.parts.extend([empty] * n)
        self.answered.append(np.zeros(n, bool))

    def finish(self, n: int) -> tuple[list[Any], np.ndarray]:
        return self.parts, self.answered_mask(n)


class _LevelSink(_Sink):
    """connections with tie levels: one column per roster member, the level as the answer
    (a label, code or point number of the levels scale). Blank, a not-applicable label or
    a missing value: no tie. Per respondent: the members named, and each one's rank (1 for
    the lowest level)."""

    arrays = False

    def __init__(self, q: Question, survey: Survey, missing: frozenset[str]) -> None:
        super().__init__(q, missing)
        scale = survey.levels_of(q)
        assert scale is not None and survey.network_map is not None
        self.scale = scale
        self.roster = survey.network_map.members
        self.rank = {float(v): i + 1 for i, v in enumerate(scale.values)}
        self.ranks: list[Any] = []

    def converter(self, col, table):
        return A.scale_converter(self.scale, self.missing, _codes_of(col, table))

    def describe(self, col, table):
        member = self.roster[col.option] if col.option is not None else ""
        q = self.q

        def describe(raw: str) -> tuple[str, str]:
            what, how = A.describe_scale(raw, q, self.scale)
            return f"{what} (the tie level for {member!r})", how

        return describe

    def add(self, b, cells, problems, rows) -> None:  # pragma: no cover - refused by columns
        raise AssertionError("a levelled connections question has no whole-answer column")

    def add_ticks(self, blocks, problems, rows, n, main: bool = False) -> None:
        levels = np.zeros((n, len(self.roster)), np.int8)
        answered = np.zeros(n, bool)
        for b, cells in blocks:
            v = _fromiter(b, cells, np.float32)
            self.note(b.conv, cells)
            bad = np.flatnonzero(v == np.inf)
            if bad.size:
                problems.add(b, cells, rows, bad)
                v[bad] = np.nan
            answered |= ~np.isnan(v)  # a not-applicable answer (-inf) is an answer
            ok = np.isfinite(v)
            levels[ok, b.col.option] = [self.rank[float(x)] for x in v[ok].tolist()]
        for row in levels.tolist():
            named = [(self.roster[k], r) for k, r in enumerate(row) if r]
            self.parts.append(tuple(m for m, _ in named))
            self.ranks.append(tuple(r for _, r in named))
        self.answered.append(answered)

    def blank(self, n: int) -> None:
        self.parts.extend([()] * n)
        self.ranks.extend([()] * n)
        self.answered.append(np.zeros(n, bool))

    def finish(self, n: int) -> tuple[list[Any], list[Any], np.ndarray]:
        return self.parts, self.ranks, self.answered_mask(n)


class _MultiSink(_Sink):
    """multi: a joined column (bitmask per answer) or one tick column per option."""

    def __init__(self, q: Question, missing: frozenset[str]) -> None:
        super().__init__(q, missing)
        self.k = len(q.categories)

    def converter(self, col, table):
        if col.option is None:
            return A.multi_converter(self.q, table.format, self.missing, _codes_of(col, table))
        header = table.headers[col.index]
        return A.tick_converter(self.q, col.option, header.sub or header.text, self.missing)

    def describe(self, col, table):
        if col.option is None:
            return lambda raw: A.describe_multi(raw, self.q, table.format, _codes_of(col, table))
        option = col.option
        return lambda raw: A.describe_tick(raw, self.q, option)

    def add(self, b, cells, problems, rows) -> None:
        """A joined column: every ticked option in one cell."""
        n = len(cells)
        if self.k <= A.MAX_BITMASK_OPTIONS:
            codes = _fromiter(b, cells, np.uint64)
            bad = np.flatnonzero(codes & np.uint64(A.MULTI_PROBLEM))
            shifts = np.arange(self.k, dtype=np.uint64)
            matrix = ((codes[:, None] >> shifts) & np.uint64(1)).astype(bool)
        else:
            ints = list(map(b.conv.__getitem__, cells))
            flag = A.multi_problem_bit(self.k)
            bad = np.array([i for i, c in enumerate(ints) if c & flag], np.intp)
            matrix = np.array([[(c >> j) & 1 for j in range(self.k)] for c in ints], bool).reshape(
                n, self.k
            )
        if bad.size:
            problems.add(b, cells, rows, bad)
        self.parts.append(matrix)
        self.note(b.conv, cells)
        miss = self.missing

        def answered(c: str) -> bool:
            return bool(c.strip()) and not (miss and A.code_key(c) in miss)

        if isinstance(cells, Encoded):
            d = cells.dictionary
            self.answered.append(np.fromiter(map(answered, d), bool, len(d))[cells.indices])
        else:
            self.answered.append(np.fromiter(map(answered, cells), bool, n))

    def add_ticks(self, blocks, problems, rows, n, main: bool = False) -> None:
        """One column per option: (bound column, its cells) for each option column."""
        if main:  # a joined column and a write-in column: add the write-in to the joined
            matrix = self.parts[-1]
            answered = self.answered[-1]
            for b, cells in blocks:
                codes = _fromiter(b, cells, np.int8)
                self.note(b.conv, cells)
                matrix[:, b.col.option] |= codes == 1
                answered |= codes == 1
            return
        matrix = np.zeros((n, self.k), bool)
        answered = np.zeros(n, bool)
        for b, cells in blocks:
            self.note(b.conv, cells)
            codes = _fromiter(b, cells, np.int8)
            bad = np.flatnonzero(codes == A.CODE_PROBLEM)
            if bad.size:
                problems.add(b, cells, rows, bad)
            matrix[:, b.col.option] = codes == 1
            answered |= codes != A.CODE_BLANK
        self.parts.append(matrix)
        self.answered.append(answered)

    def blank(self, n: int) -> None:
        self.parts.append(np.zeros((n, self.k), bool))
        self.answered.append(np.zeros(n, bool))

    def finish(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        m = np.concatenate(self.parts) if self.parts else np.zeros((n, self.k), bool)
        return m, self.answered_mask(n)


def _make_sink(
    q: Question, survey: Survey, text: str = "all", consent: _Sink | None = None
) -> _Sink:
    t = q.type
    missing = A.missing_keys(survey.missing, q.missing)
    if t == "scale":
        return _ScaleSink(q, survey, missing)
    if t == "choice":
        return _ChoiceSink(q, missing)
    if t == "multi":
        return _MultiSink(q, missing)
    if t == "number":
        return _NumberSink(q, missing)
    if t == "consent":
        return _ConsentSink(q, missing)
    if t == "respondent":
        return _RespondentSink(q, missing)
    if t == "connections" and q.levels is not None:
        return _LevelSink(q, survey, missing)
    if t in ("member", "connections"):
        return _RosterSink(q, survey, missing)
    # text, and any other type: kept as written (``keep_text``: see read_responses)
    if text == "quotable":
        store = "consented" if t == "text" and q.quotable else "none"
        return _TextSink(q, missing, store, consent)
    return _TextSink(q, missing, "none" if text == "none" else "all")


def _read(
    survey: Survey,
    paths: Sequence[str | Path | Source],
    progress: Callable[[int], None] | None,
    *,
    allow_missing: bool = False,
    baseline: bool = False,
    include_incomplete: bool = False,
    keep_text: str = "all",
) -> _Reading:
    """Large UTF-8 CSV files are parsed by Arrow, in pieces on several threads; files
    whose pieces cannot be proved to read as one Arrow reader reads them are read again
    by one reader (``ArrowDoubt``); a file Arrow cannot read exactly as the csv module
    does is read again, all of it, by the csv path."""
    if keep_text not in KEEP_TEXT:
        raise ValueError(f"keep_text must be one of {', '.join(KEEP_TEXT)}")
    rules = _Rules(allow_missing, baseline, include_incomplete, keep_text)
    for p in paths:
        wrong = response_path_problem(Path(str(p) if not isinstance(p, Source) else p.path))
        if wrong is not None:
            raise ResponseError(problems=[wrong])
    with local_files(paths) as sources:
        if _any_large(sources) and arrow_available():
            try:
                try:
                    return _read_files(survey, sources, progress, True, rules)
                except ArrowDoubt:
                    return _read_files(survey, sources, progress, True, rules, pieces=False)
            except ArrowUnsupported:
                pass
        return _read_files(survey, sources, progress, False, rules)


@dataclass(frozen=True)
class _Rules:
    allow_missing: bool = False  # a scored question with no column is a warning, not an error
    baseline: bool = False  # an earlier wave: questions may be missing, one must be shared
    include_incomplete: bool = False  # keep responses the export marks as not finished
    text: str = "all"  # which free-text answers to keep (read_responses' keep_text)


def _check_fit(survey: Survey, table: RawTable, plan: FilePlan, rules: _Rules) -> None:
    """Refuse a file that is not answers to this survey (see ``relimpact.read.fit``)."""
    found = {c.question.id for c in plan.columns}
    scored = {q.id for q in survey.scale_questions}
    # A baseline may lack the questions a newer template added, but it is refused like any
    # response file when it answers fewer than half of them: another survey's export.
    no_shared = rules.baseline and bool(scored) and not found & scored
    misfit = no_shared or 2 * len(found) < len(survey.questions)
    # Columns that match a question twice over are reported as such (columns.py), not as a
    # file that does not fit.
    conflicts = any(p.where != table.name for p in plan.problems)
    if not misfit or conflicts:
        return
    if (seen := sep_line_doubt(table)) is not None:
        named = table.delimiter or ","
        raise ResponseError(problems=[fit.sep_line_problem(survey, table.name, named, seen)])
    if fit.looks_like_answers(survey, [h.text for h in table.headers]):
        raise ResponseError(problems=[fit.no_header_problem(survey, table.name)])
    if no_shared:
        raise ResponseError(problems=[fit.no_shared_question_problem(survey, table.name)])
    raise ResponseError(problems=[fit.misfit_problem(survey, table.name, len(found))])


def _read_files(
    survey: Survey,
    paths: Sequence[Source],
    progress: Callable[[int], None] | None,
    arrow: bool,
    rules: _Rules,
    pieces: bool = True,
) -> _Reading:
    if not paths:
        raise ResponseError("no response files were given.", hint="Name one or more CSV or XLSX.")
    consent_q = survey.consent_question
    sinks: dict[str, _Sink] = {}
    if consent_q is not None:
        sinks[consent_q.id] = _make_sink(consent_q, survey)
    for q in survey.questions:
        if q.id not in sinks:
            consent = sinks[consent_q.id] if consent_q is not None else None
            sinks[q.id] = _make_sink(q, survey, rules.text, consent)
    sinks = {q.id: sinks[q.id] for q in survey.questions}  # in the survey's order
    problems = _Problems()
    column_problems: list[Problem] = []
    infos: list[FileInfo] = []
    matches: list[ColumnMatch] = []
    ignored: list[IgnoredColumn] = []
    names: list[str] = []
    file_parts: list[np.ndarray] = []
    other_parts: list[np.ndarray] = []  # rows with an answer in a column matching no question
    row_parts: list[np.ndarray] = []
    times = PackedBuilder()  # submission times, as written
    time_files: list[tuple[str, str, bool]] = []  # (format, delimiter, per file) for times
    matched_ids: set[str] = set()
    status_parts: list[np.ndarray] = []  # per row: a STATUS_* code from the export's metadata
    keep_times = True  # for the latest submission of a respondent, and the fieldwork dates
    # Names and emails in dropped columns are read only to scrub them out of quotes.
    keep_names = any(q.quotable for q in survey.questions) and rules.text != "none"
    known_names = PackedBuilder()  # stripped; blank ones are left out at the end
    total = 0
    reported = 0

    survey_file = fit.survey_name(survey)
    for file_no, path in enumerate(paths):
        table = open_table(path.path, name=path.name, trust_utf8=arrow)
        if not table.encoding_checked and not use_arrow(table):  # the csv path reads it
            table = open_table(path.path, name=path.name)
        plan: FilePlan = plan_columns(survey, table)
        _check_fit(survey, table, plan, rules)
        names.append(table.name)
        column_problems.extend(
            Problem(p.where, p.message, p.hint.replace("survey.yaml", survey_file))
            for p in plan.problems
        )
        ignored.extend(plan.ignored)
        for c in plan.columns:
            matches.append(ColumnMatch(c.question.id, c.label, table.name, c.index))
            matched_ids.add(c.question.id)
        matched_ids.update(plan.refused)  # its columns are named in column_problems
        bound = []
        for c in plan.columns:
            sink = sinks[c.question.id]
            conv = sink.converter(c, table)
            describe = _naming_survey(sink.describe(c, table), survey_file)
            sheet = table.sheet if table.other_sheets else ""
            bound.append(_Bound(c, sink, conv, (table.name, c.index), describe, sheet=sheet))
        # The consent column first: a text sink keeping consented answers reads its block.
        joined = sorted(
            (b for b in bound if b.col.option is None),
            key=lambda b: not isinstance(b.sink, _ConsentSink),
        )
        ticks: dict[str, list[_Bound]] = defaultdict(list)
        for b in bound:
            if b.col.option is not None:
                ticks[b.col.question.id].append(b)
        fed = {b.col.question.id for b in bound}
        for sink in sinks.values():
            if isinstance(sink, _TextSink):
                sink.consent_fed = consent_q is not None and consent_q.id in fed
        main_ids = {b.col.question.id for b in joined}
        time_col = plan.time_column if keep_times else None
        name_cols = plan.name_columns if keep_names else ()
        time_files.append((table.format, table.delimiter or "", time_col is not None))

        file_rows = 0
        unmerged = 0  # rows read since the blocks were last joined (_compact)
        header_rows = table.layout.header_rows
        matched_cols = {c.index for c in plan.columns}
        unmatched_labels = {i.column for i in plan.ignored if i.reason == UNMATCHED}
        other_cols = [
            h.index
            for h in table.headers
            if h.label in unmatched_labels and h.index not in matched_cols
        ]
        coded = _coded_columns(plan, bound)
        for columns, rows in _blocks(table, arrow, coded, pieces):
            n = len(rows)
            for b in joined:
                b.sink.add(b, columns[b.col.index], problems, rows)
            for qid, bs in ticks.items():
                sink = sinks[qid]
                assert isinstance(sink, (_MultiSink, _ChoiceSink, _RosterSink, _LevelSink))
                cells = [(b, columns[b.col.index]) for b in bs]
                sink.add_ticks(cells, problems, rows, n, qid in main_ids)
            for qid, sink in sinks.items():
                if qid not in fed:
                    sink.blank(n)
            status_parts.append(_row_status(plan.completion, columns, n))
            for c in name_cols:
                _add_names(known_names, columns[c])
            if time_col is not None:
                col = columns[time_col]
                if isinstance(col, ArrowText):
                    times.add_arrow(col.array)
                else:
                    times.add_strings(list(col))
            elif keep_times:
                times.add_blank(n)
            other_parts.append(_filled(columns, other_cols, n))
            del columns
            file_parts.append(np.full(n, file_no, np.int16))
            row_parts.append(rows)
            unmerged += n
            if unmerged >= MERGE_ROWS:
                unmerged = 0
                for sink in sinks.values():
                    sink.compact()
                for parts in (file_parts, row_parts, status_parts, other_parts):
                    _compact(parts)
                memory.release()
            file_rows += n
            total += n
            if progress is not None and total - reported >= PROGRESS_EVERY:
                reported = total
                progress(total)
        infos.append(
            FileInfo(
                path=table.name,
                format=table.format,
                encoding=table.encoding,
                delimiter=table.delimiter,
                header_rows=header_rows,
                rows=file_rows,
                language=table.layout.language,
                quoting=table.quoting,
                source=table.source,
                sheet=table.sheet,
            )
        )
    if progress is not None and total != reported:
        progress(total)

    unmatched = tuple(q.id for q in survey.questions if q.id not in matched_ids)
    headers = [i.column for i in ignored if i.reason == UNMATCHED]
    nearest = {qid: tuple(fit.closest_headers(survey.question(qid), headers)) for qid in unmatched}
    missing = [q for q in survey.scale_questions if q.id not in matched_ids]
    not_asked: tuple[str, ...] = ()
    told = {q.id for q in missing} if not rules.baseline else set()  # warned or refused
    if missing and not rules.baseline:
        if rules.allow_missing:
            not_asked = tuple(q.id for q in missing)
        else:
            column_problems.extend(
                fit.missing_problem(survey, q, names, nearest[q.id]) for q in missing
            )

    answer_problems, typos = _template_typos(survey, sinks, problems)
    column_problems.extend(typos)
    status = np.concatenate(status_parts) if status_parts else np.zeros(0, np.int8)
    return _assemble(
        survey,
        sinks,
        total,
        infos,
        names,
        file_parts,
        row_parts,
        other_parts,
        times.build(),
        time_files,
        answer_problems,
        tuple(column_problems),
        tuple(matches),
        tuple(ignored),
        unmatched,
        nearest,
        not_asked,
        told,
        status,
        rules.include_incomplete,
        known_names=known_names.build(),
    )


# Row status from an export's own metadata (``FilePlan.completion``).
STATUS_OK, STATUS_INCOMPLETE, STATUS_PREVIEW, STATUS_TEST, STATUS_SPAM = 0, 1, 2, 3, 4
_STATUS_WHY = {
    STATUS_INCOMPLETE: "incomplete response",
    STATUS_PREVIEW: "survey preview",
    STATUS_TEST: "survey test response",
    STATUS_SPAM: "response flagged as spam",
}
_STATUS_PLURAL = {
    STATUS_PREVIEW: "survey previews",
    STATUS_TEST: "survey test responses",
    STATUS_SPAM: "responses flagged as spam",
}
# Qualtrics "Status" (Response Type): numeric codes and labels.
_QUALTRICS_STATUS = {
    "1": STATUS_PREVIEW,
    "17": STATUS_PREVIEW,
    "survey preview": STATUS_PREVIEW,
    "offline survey preview": STATUS_PREVIEW,
    "2": STATUS_TEST,
    "survey test": STATUS_TEST,
    "8": STATUS_SPAM,
    "9": STATUS_SPAM,
    "12": STATUS_SPAM,
    "spam": STATUS_SPAM,
    "survey preview spam": STATUS_SPAM,
    "imported spam": STATUS_SPAM,
}
_NOT_FINISHED = {"0", "false", "falsch", "faux", "falso", "onwaar", "no", "nein", "non"}


def _status_of(rule: str, cell: str) -> int:
    value = " ".join(cell.split()).casefold()
    if rule == "submitted":  # LimeSurvey: no submission date = not submitted
        return STATUS_INCOMPLETE if not value else STATUS_OK
    if rule == "finished":
        return STATUS_INCOMPLETE if value in _NOT_FINISHED else STATUS_OK
    if rule == "redcap-complete":  # REDCap: 0 Incomplete (a survey left part way)
        return STATUS_INCOMPLETE if value in ("0", "incomplete") else STATUS_OK
    if rule == "status":
        return _QUALTRICS_STATUS.get(value, STATUS_OK)
    return STATUS_OK


def _row_status(
    completion: Sequence[tuple[int, str]], columns: Sequence[Sequence[str]], n: int
) -> np.ndarray:
    """Per row of a block: the worst STATUS_* its completion columns give."""
    out = np.zeros(n, np.int8)
    for index, rule in completion:
        cache: dict[str, int] = {}
        codes = np.fromiter(
            (
                cache[c] if c in cache else cache.setdefault(c, _status_of(rule, c))
                for c in columns[index]
            ),
            np.int8,
            n,
        )
        out = np.maximum(out, codes)
    return out


def _any_large(paths: Sequence[Source]) -> bool:
    try:
        return any(is_large(p.path) for p in paths)
    except OSError:
        return False  # the csv path gives the message


def _coded_columns(plan: FilePlan, bound: Sequence[_Bound]) -> frozenset[int]:
    """The columns Arrow dictionary-encodes: those read through a converter (closed
    questions, ticks, levels) and the completion columns; free text, keys, times,
    names and unread columns stay Arrow strings."""
    coded = {b.col.index for b in bound if not isinstance(b.sink, _TextSink)}
    coded.update(index for index, _ in plan.completion)
    return frozenset(coded)


def _blocks(
    table: RawTable, arrow: bool, coded: frozenset[int] | None = None, pieces: bool = True
) -> Iterator[tuple[list[Sequence[str]], np.ndarray]]:
    """Blocks of a file's data records: the columns (cells per matched column) and the
    records' row numbers (row 1 is the first header row), blank records left out.

    With ``arrow``, large UTF-8 CSV files are parsed by Arrow (``coded``: the columns it
    dictionary-encodes); the csv path and the Arrow path give the same cells and row
    numbers, and Arrow hands any file it cannot read exactly alike back to the csv path
    (``ArrowUnsupported``). Without ``pieces``, one Arrow reader reads the whole file.
    """
    header_rows = table.layout.header_rows
    next_row = header_rows + 1
    if arrow and use_arrow(table):
        records = (
            arrow_records(table, coded) if pieces else arrow_records(table, coded, serial=True)
        )
        for columns, n in records:
            if len(columns) != table.width:
                raise ArrowUnsupported("width differs from the header")
            filled = _any_filled(columns, n)
            rows = np.arange(next_row, next_row + n, dtype=np.int32)
            next_row += n
            if not filled.all():
                keep = np.flatnonzero(filled)
                columns = [col.take(keep) for col in columns]
                rows = rows[keep]
            if len(rows):
                yield list(columns), rows
        return
    records = table.records()
    for _ in islice(records, header_rows):
        pass
    while True:
        chunk = list(islice(records, CHUNK_ROWS))
        if not chunk:
            break
        first_row = next_row
        next_row += len(chunk)
        chunk, rows = _clean_chunk(chunk, first_row, table)
        if len(chunk):
            yield list(zip(*chunk, strict=True)), rows


def _clean_chunk(
    chunk: list[list[str]], first_row: int, table: RawTable
) -> tuple[list[list[str]], np.ndarray]:
    """Drop blank records, check widths; returns the records and their row numbers.

    Records are cut to the header's width (``keep``, ``RawTable.read_width``): the cells
    under trailing blank header cells are never read, so a header row ending in 100,000
    empty columns costs nothing per record."""
    width = table.width
    keep = table.read_width
    lengths = set(map(len, chunk))
    # a record of blank or white-space cells is no record, as the Arrow path has it (it
    # strips every cell): one string per record, checked once
    filled = [not joined.isspace() and joined != "" for joined in map("".join, chunk)]
    if lengths == {width} and all(filled):
        if keep < width:
            chunk = [row[:keep] for row in chunk]
        return chunk, np.arange(first_row, first_row + len(chunk), dtype=np.int32)
    kept: list[list[str]] = []
    rows: list[int] = []
    for k, row in enumerate(chunk):
        if not filled[k]:
            continue
        size = len(row)
        if size != width and (
            size < max(table.content_width, 1) or any(c.strip() for c in row[width:])
        ):
            raise ResponseError(
                f"this row has {size} cells but the header has "
                f"{max(table.content_width, 1)} columns.",
                where=f"{table.place}, row {first_row + k}",
                hint=(
                    "A cell may hold an unquoted delimiter or line break; export the file "
                    "again from the survey tool, or fix that row in a text editor."
                ),
            )
        if len(row) > keep:
            row = row[:keep]
        elif len(row) < keep:
            row = row + [""] * (keep - len(row))
        kept.append(row)
        rows.append(first_row + k)
    return kept, np.array(rows, dtype=np.int32)


def _assemble(
    survey: Survey,
    sinks: dict[str, _Sink],
    total: int,
    infos: list[FileInfo],
    names: list[str],
    file_parts: list[np.ndarray],
    row_parts: list[np.ndarray],
    other_parts: list[np.ndarray],
    times: PackedText,
    time_files: list[tuple[str, str, bool]],
    problems: tuple[AnswerProblem, ...],
    column_problems: tuple[Problem, ...],
    matches: tuple[ColumnMatch, ...],
    ignored: tuple[IgnoredColumn, ...],
    unmatched: tuple[str, ...],
    nearest: Mapping[str, tuple[str, ...]],
    not_asked: tuple[str, ...],
    told: set[str],
    status: np.ndarray | None = None,
    include_incomplete: bool = False,
    known_names: Sequence[str] = (),
) -> _Reading:
    n = total
    files = np.concatenate(file_parts) if file_parts else np.zeros(0, np.int16)
    rows = np.concatenate(row_parts) if row_parts else np.zeros(0, np.int32)
    warnings: list[str] = []
    answered = np.zeros(n, bool)
    finished: dict[str, Any] = {}
    for qid, sink in sinks.items():
        out = sink.finish(n)
        sink.parts, sink.answered = [], []  # the blocks are no longer needed
        finished[qid] = out[:-1]
        if sink.q.type != "respondent":
            answered |= out[-1]
        del out
        memory.release()  # the blocks just joined, freed (see relimpact.common.memory)

    keep = answered.copy()
    left_out: dict[str, dict[str, int]] = {}
    if status is not None and len(status) == n and status.any():
        for code, why in _STATUS_WHY.items():
            rows_of = status == code
            if code == STATUS_INCOMPLETE and include_incomplete:
                continue
            out = rows_of & keep
            count = int(out.sum())
            if count:
                per_file = np.bincount(files[out], minlength=len(names)).tolist()
                for f, k in enumerate(per_file):
                    if k:
                        left_out.setdefault(names[f], {})[why] = int(k)
                keep &= ~rows_of
                warnings.append(_left_out_warning(code, count))
        if include_incomplete and (status == STATUS_INCOMPLETE).any():
            kept = int(((status == STATUS_INCOMPLETE) & keep).sum())
            warnings.append(
                f"Kept {count_of(kept, 'incomplete response')} (--include-incomplete): the "
                "export marks them as not finished."
            )
    other = np.concatenate(other_parts) if other_parts else np.zeros(n, bool)
    elsewhere = int((~answered & other).sum())
    empty = int((~answered).sum()) - elsewhere
    if empty:
        warnings.append(
            f"Removed {count_of(empty, 'empty submission')} (rows that answer no question)."
        )
    if elsewhere:
        warnings.append(
            f"Left out {count_of(elsewhere, 'row')} that "
            f"{'answers' if elsewhere == 1 else 'answer'} only columns matching no "
            f"question of {fit.survey_name(survey)} {SEE_IGNORED}."
        )
    respondent = survey.respondent_question
    keys: PackedText | None = None
    if respondent is not None and respondent.id in {m.question for m in matches}:
        keys = finished[respondent.id][0]
        groups = _repeated_keys(keys, keep)
        removed, unreadable, spans = _keep_latest(groups, keep, times, files, time_files)
        if removed:
            warnings.append(
                f"Removed {count_of(removed, 'earlier submission')} from respondents who "
                "answered more than once (kept the latest)."
            )
        warnings.extend(_earlier_wave_warnings(spans, names))
        if unreadable:
            warnings.append(
                f"The submission time of {count_of(unreadable, 'repeated submission')} could "
                "not be read, so the later row was kept for those respondents."
            )

    warnings.extend(_one_submission_per_member(survey, finished, keep, times, files, time_files))

    idx = np.flatnonzero(keep)
    everyone = len(idx) == n
    notes: list[str] = []
    fieldwork = _fieldwork(times, files, time_files, idx, names, notes) if times else None

    def take(a: np.ndarray) -> np.ndarray:
        return a if everyone else a[idx]

    def take_list(values: list[Any]) -> tuple[Any, ...]:
        return tuple(values) if everyone else tuple(values[i] for i in idx.tolist())

    def take_packed(values: PackedText) -> PackedText:
        return values if everyone else values.take(idx)

    scale, not_applicable, choice, multi, number = {}, {}, {}, {}, {}
    coded: dict[str, tuple[np.ndarray, int]] = {}
    text, consent, member, connections, levels = {}, {}, {}, {}, {}
    for q in survey.questions:
        out = finished[q.id]
        if q.type == "scale":
            if out[1] is None:  # one byte per answer
                coded[q.id] = (take(out[0]), sinks[q.id].low)  # type: ignore[attr-defined]
            else:
                scale[q.id] = take(out[0])
                not_applicable[q.id] = take(out[1])
        elif q.type == "choice":
            choice[q.id] = Categorical(q.categories, take(out[0]))
        elif q.type == "multi":
            multi[q.id] = (q.categories, take(out[0]))
        elif q.type == "number":
            number[q.id] = take(out[0])
        elif q.type == "consent":
            consent[q.id] = take(out[0])
        elif q.type == "respondent":
            continue
        elif q.type == "connections" and q.levels is not None:
            connections[q.id] = take_list(out[0])
            levels[q.id] = take_list(out[1])
        elif q.type in ("member", "connections"):
            (member if q.type == "member" else connections)[q.id] = take_list(out[0])
            sink = sinks[q.id]
            assert isinstance(sink, _RosterSink)
            if sink.unknown:
                listed = ", ".join(map(str, sink.unknown_rows))
                one = sink.unknown == 1
                warnings.append(
                    f"Question '{q.id}': left out {count_of(sink.unknown, 'name')} that "
                    f"{'is' if one else 'are'} not on the network map's member list (first rows "
                    f"{listed}); add {'it' if one else 'them'} to network_map.members or correct "
                    "the file."
                )
        else:
            sink = sinks[q.id]
            if not isinstance(sink, _TextSink) or sink.store != "none":
                text[q.id] = take_packed(out[0])
    for qid in not_asked:
        warnings.append(fit.missing_warning(survey.question(qid), names))
    others = [qid for qid in unmatched if qid not in told]
    if others and total:
        warnings.append(
            f"No column was found for {count_of(len(others), 'question')}: "
            f"{', '.join(others)}; they are read as unanswered."
        )

    for qid, sink in sinks.items():
        if sink.code_like:
            warnings.append(
                f"Question '{qid}': counted {count_of(sink.code_like, 'answer')} that "
                f"{'looks' if sink.code_like == 1 else 'look'} like an answer code (a bare "
                'number, say) as "Other" (other: true); if the export holds answer codes, '
                "give the question's codes in survey.yaml, or export the answers as labels."
            )
    responses = ResponseSet(
        survey=survey,
        files=tuple(infos),
        rows=n,
        scale=ScaleAnswers(coded) if coded and not scale else {**scale, **_floats(coded)},
        not_applicable=(
            ScaleAnswers(coded).not_applicable()
            if coded and not scale
            else {**not_applicable, **ScaleAnswers(coded).not_applicable()}
        ),
        choice=choice,
        multi=multi,
        number=number,
        text=text,
        consent=consent,
        member=member,
        connections=connections,
        connection_levels=levels,
        respondent_keys=take_packed(keys) if keys is not None else None,
        known_names=known_names,
        source_rows=SourceRows(names, take(files), take(rows)),  # type: ignore[arg-type]
        file_index=take(files).astype(np.int32),
        matches=matches,
        ignored=ignored,
        problems=problems,
        warnings=tuple(warnings),
        not_asked=not_asked,
        fieldwork=fieldwork,
        fieldwork_note=" ".join(notes),
    )
    memory.release()
    answer_use = {qid: dict(sink.use) for qid, sink in sinks.items() if any(sink.use.values())}
    return _Reading(responses, problems, column_problems, unmatched, nearest, answer_use, left_out)


def _left_out_warning(code: int, count: int) -> str:
    if code == STATUS_INCOMPLETE:
        return (
            f"Left out {count_of(count, 'incomplete response')}: the export marks "
            f"{'it' if count == 1 else 'them'} as not finished or not submitted "
            "(--include-incomplete keeps them)."
        )
    what = _STATUS_WHY[code] if count == 1 else _STATUS_PLURAL[code]
    return (
        f"Left out {count} {what}: the export's Status column marks "
        f"{'it' if count == 1 else 'them'} as not a real response."
    )


def _naming_survey(
    describe: Callable[[str], tuple[str, str]], name: str
) -> Callable[[str], tuple[str, str]]:
    """Messages name the survey file by its real name, not "survey.yaml"."""
    if name == "survey.yaml":
        return describe

    def named(raw: str) -> tuple[str, str]:
        what, hint = describe(raw)
        return what, hint.replace("survey.yaml", name)

    return named


def _template_typos(
    survey: Survey, sinks: dict[str, _Sink], problems: _Problems
) -> tuple[tuple[AnswerProblem, ...], list[Problem]]:
    """Answers one edit away from a label no answer uses blame survey.yaml (fit.py)."""
    result = problems.result()
    pasted = [
        _repeated_header_problem(file, rows) for file, rows in problems.repeated_headers().items()
    ]
    if not result:
        return result, pasted
    question_of = {(k[0], b.col.label): b.col.question for k, b in problems.columns.items()}
    used: dict[str, set] = {}
    for q in survey.questions:
        sink = sinks[q.id]
        if q.type == "scale" and sink.parts:
            assert isinstance(sink, _ScaleSink)
            v = sink.values()
            used[q.id] = {int(x) for x in np.unique(v[np.isfinite(v)]).tolist()}
            if bool((v == -np.inf).any()):
                used[q.id].add("na")
        elif q.type == "choice" and sink.parts:
            c = np.concatenate(sink.parts)
            used[q.id] = set(np.unique(c[c >= 0]).tolist())
    remaining, typos = fit.template_typos(survey, result, question_of, used)
    return remaining, pasted + typos


def _repeated_header_problem(file: str, rows: Sequence[int]) -> Problem:
    """Header rows in the middle of a file: its cells are not answers to blame."""
    listed = ", ".join(map(str, rows))
    which = f"row {listed} repeats" if len(rows) == 1 else f"rows {listed} repeat"
    return Problem(
        file,
        f"{which} the header row: two exports pasted together?",
        "Give each export as its own file (several response files are read as one set of "
        "responses), or delete the repeated header rows.",
    )


def _filled(columns: Sequence[Sequence[str]], indexes: Sequence[int], n: int) -> np.ndarray:
    """Rows of a block with a non-blank cell in any of the given columns."""
    # under a blank trailing header: records are cut before it
    return _any_filled([columns[i] for i in indexes if i < len(columns)], n)


def _any_filled(columns: Sequence[Sequence[str]], n: int) -> np.ndarray:
    """Rows of a block with a non-blank cell in any of ``columns``. The dictionary-encoded
    columns go first (a lookup per row), the rest only while some row is still blank: in
    a survey nearly every record answers a closed question, so free text is rarely
    trimmed just to learn that a row is not blank."""
    out = np.zeros(n, bool)
    ordered = sorted(columns, key=lambda col: not isinstance(col, Encoded))
    for col in ordered:
        if isinstance(col, (Encoded, ArrowText)):
            out |= col.filled()
        else:
            out |= np.fromiter((bool(c.strip()) for c in col), bool, n)
        if out.all():
            break
    return out


def _floats(coded: Mapping[str, tuple[np.ndarray, int]]) -> dict[str, np.ndarray]:
    """Coded scale answers as float32 (for a survey with a scale too wide for codes)."""
    answers = ScaleAnswers(coded)
    return {qid: answers[qid] for qid in coded}


def _add_names(known: PackedBuilder, col: Sequence[str]) -> None:
    """A block of a name or email column, as quotes are scrubbed with it: stripped, blank
    ones left out, and an email address only up to its "@" (quotes are scrubbed of its
    local part, "c.ormerod" of c.ormerod@example.org; the "@" says it was an email)."""
    if isinstance(col, ArrowText):
        import pyarrow as pa
        import pyarrow.compute as pc

        names = col.trimmed()
        names = names.filter(_arrow_bools(pa, int32_values(pc.binary_length(names)) > 0))
        # what comes before the first "@", and the "@" where there was one (as the regex
        # "(?s)@.*" replaced by "@" would give, in less than half its time)
        local = pc.list_element(pc.split_pattern(names, "@", max_splits=1), _arrow_int(pa, 0))
        empty = _arrow_text(pa, "")
        at = pc.if_else(pc.match_substring(names, "@"), _arrow_text(pa, "@"), empty)
        known.add_arrow(pc.binary_join_element_wise(local, at, empty))
        return
    kept = (v.strip() for v in col)
    known.add_strings([v.split("@", 1)[0] + "@" if "@" in v else v for v in kept if v])


def _repeated_keys(keys: PackedText, keep: np.ndarray) -> list[list[int]]:
    """The kept rows of each non-blank key that more than one kept row holds, in row order.

    Found without a dictionary of every key: the keys' 64-bit hashes are sorted, and only
    the rows whose hash is repeated are compared as strings (so a collision of hashes
    never joins two different keys)."""
    rows = np.flatnonzero(keep & keys.nonempty())
    if len(rows) < 2:
        return []
    h = keys.hashes()[rows]
    order = np.argsort(h, kind="stable")
    ordered = h[order]
    same = ordered[1:] == ordered[:-1]
    repeated = np.zeros(len(rows), bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    by_key: dict[str, list[int]] = {}
    for i in np.sort(rows[order[repeated]]).tolist():
        by_key.setdefault(keys[i], []).append(i)
    return [members for members in by_key.values() if len(members) > 1]


def _one_submission_per_member(
    survey: Survey,
    finished: Mapping[str, tuple[Any, ...]],
    keep: np.ndarray,
    times: Sequence[str],
    files: np.ndarray,
    time_files: list[tuple[str, str, bool]],
) -> list[str]:
    """With a ``member`` question, only the latest kept submission of each member is kept,
    as for a respondent key: two rows saying "I am Org B" (a form sent again, or two people
    of one organisation) would score Org B twice and merge its links, so a link withdrawn
    in the later answer would still count. Also warns of kept rows that name no member
    but name links: those links cannot be placed on the map. Returns the warnings."""
    member_q = next((q for q in survey.questions if q.type == "member"), None)
    if member_q is None or member_q.id not in finished:
        return []
    who = finished[member_q.id][0]
    out = []
    by_member: dict[str, list[int]] = {}
    for i in np.flatnonzero(keep).tolist():
        if who[i]:
            by_member.setdefault(who[i], []).append(i)
    groups = [rows for rows in by_member.values() if len(rows) > 1]
    if groups:
        removed, unreadable, _ = _keep_latest(groups, keep, times, files, time_files)
        out.append(
            f"Question '{member_q.id}': removed {count_of(removed, 'earlier submission')} of "
            f"{count_of(len(groups), 'member')} who answered more than once (kept the latest "
            "of each, so a link taken back in a later answer no longer counts)."
        )
        if unreadable:
            out.append(
                f"The submission time of {count_of(unreadable, 'repeated submission')} could "
                "not be read, so the later row was kept for those members."
            )
    links = [
        finished[q.id][0] for q in survey.questions if q.type == "connections" and q.id in finished
    ]
    lost = sum(
        1
        for i in np.flatnonzero(keep).tolist()
        if not who[i] and any(len(named[i]) for named in links)
    )
    if lost:
        out.append(
            f"Question '{member_q.id}': {count_of(lost, 'row')} "
            f"{'names' if lost == 1 else 'name'} links but no member of the roster as "
            f"{'its' if lost == 1 else 'their'} own (left blank, or a name not on the list), "
            "so those links are left out of the network map."
        )
    return out


def _keep_latest(
    groups: list[list[int]],
    keep: np.ndarray,
    times: Sequence[str],
    files: np.ndarray,
    time_files: list[tuple[str, str, bool]],
) -> tuple[int, int, list[tuple[int, int, float, float]]]:
    """Unmark all but the latest kept row of each group of rows (one key's, in row order);
    returns (removed, unreadable times, and for each key answered in two files, with
    readable times: (file of the earliest answer, file of the latest, the earliest time,
    the latest))."""
    spans: list[tuple[int, int, float, float]] = []
    if not groups:
        return 0, 0, spans
    dayfirst = _dayfirst_by_file(times, files, time_files)
    removed = unreadable = 0
    for members in groups:
        stamps = [parse_time(times[i], dayfirst[int(files[i])]) if times else None for i in members]
        if all(s is not None for s in stamps):
            latest = max(range(len(members)), key=lambda j: (stamps[j], members[j]))
            first = min(range(len(members)), key=lambda j: (stamps[j], members[j]))
            fa, fb = int(files[members[first]]), int(files[members[latest]])
            if fa != fb:
                spans.append((fa, fb, stamps[first], stamps[latest]))  # type: ignore[arg-type]
        else:
            latest = len(members) - 1
            unreadable += len(members)
        for j, i in enumerate(members):
            if j != latest:
                keep[i] = False
                removed += 1
    return removed, unreadable, spans


EARLIER_WAVE_MIN = 2  # respondents answering in two files before a pair looks like two waves


def _earlier_wave_warnings(
    spans: list[tuple[int, int, float, float]], names: Sequence[str]
) -> list[str]:
    """A file whose respondents all answered again, later, in another file looks like last
    wave's export given as a response file: say so, naming --baseline.

    For a pair of files (a, b): at least ``EARLIER_WAVE_MIN`` respondent keys answered in
    both, every one of them earlier in a than in b, and a's answers all before b's."""
    by_pair: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for fa, fb, t0, t1 in spans:
        by_pair[(fa, fb)].append((t0, t1))
    out = []
    for (fa, fb), times in sorted(by_pair.items()):
        if (fb, fa) in by_pair or len(times) < EARLIER_WAVE_MIN:
            continue
        if max(t0 for t0, _ in times) >= min(t1 for _, t1 in times):
            continue
        a, b = names[fa], names[fb]
        out.append(
            f"{len(times)} respondents answered in both {a} and {b}, each time earlier in "
            f"{a}; only their later answers were kept. If {a} is an earlier wave of the "
            f"survey, give it with --baseline {a} instead of as a response file."
        )
    return out


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_YMD = re.compile(
    r"^(\d{4})/(\d{1,2})/(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?"
    r"\s*(?:(?:GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?)?\s*$"
)
_DMY = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*([AaPp][Mm])?)?\s*$"
)


def _dayfirst_by_file(
    times: Sequence[str], files: np.ndarray, time_files: list[tuple[str, str, bool]]
) -> list[bool]:
    """Per file: are d/m/y dates day first? From the data when a part is over 12."""
    return [
        (delimiter == ";" or fmt not in ("microsoft-forms", "surveymonkey", "jotform"))
        if decided is None
        else decided
        for decided, (fmt, delimiter, _) in zip(
            _dayfirst_decided(times, files, time_files), time_files, strict=True
        )
    ]


def _rows_of(files: np.ndarray, f: int, step: int = 4096) -> Iterator[int]:
    """The rows of file ``f``, in order, made into Python ints a few at a time (the
    caller mostly stops at the first rows)."""
    rows = np.flatnonzero(files == f)
    for at in range(0, len(rows), step):
        yield from rows[at : at + step].tolist()


def _dayfirst_decided(
    times: Sequence[str], files: np.ndarray, time_files: list[tuple[str, str, bool]]
) -> list[bool | None]:
    """Per file: True (day first) or False (month first) when a date's part over 12 says
    so, else None."""
    result: list[bool | None] = []
    for f, (_fmt, _delimiter, has_times) in enumerate(time_files):
        decided: bool | None = None
        if has_times:
            for i in _rows_of(files, f):
                m = _DMY.match(times[i].strip())
                if m:
                    a, b = int(m.group(1)), int(m.group(2))
                    if a > 12 >= b:
                        decided = True
                        break
                    if b > 12 >= a:
                        decided = False
                        break
                elif times[i].strip():
                    break  # not a d/m/y column
        result.append(decided)
    return result


_DATE_PART = re.compile(
    r"^\s*(?:(\d{4})[-/](\d{1,2})[-/](\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4}))(?!\d)"
)


def _fieldwork(
    times: PackedText,
    files: np.ndarray,
    time_files: list[tuple[str, str, bool]],
    kept: np.ndarray,
    names: list[str],
    notes: list[str],
) -> tuple[str, str] | None:
    """The first and last submission date (ISO ``YYYY-MM-DD``) of the kept rows.

    The date is the one the export wrote (the survey tool's own day), never a clock time.
    A d/m/y date whose day and month could be either way round is not guessed: when no
    date of the file has a part over 12, its fieldwork is left out, and ``notes`` says why.

    Rows are taken by the first 12 characters of their time and their file: where those
    hold a whole date (followed by a character that is not a digit, or the time's end),
    the first such row's date stands for all of them (a million rows hold a few hundred
    such starts); any other time is read on its own (a date cut off at the twelfth
    character, as after leading spaces, could go on with another digit of its day).
    """
    if not any(has for _, _, has in time_files):
        return None
    decided = _dayfirst_decided(times, files, time_files)
    ambiguous: set[int] = set()
    days: list[dt.date] = []
    first: dict[tuple[str, int], int] = {}  # (start, file) -> the first kept row with it
    alone: list[np.ndarray] = []  # kept rows whose time is read on its own
    nfiles = len(time_files)
    for at in range(0, len(kept), _FIELDWORK_ROWS):  # in parts: bounded memory
        part = kept[at : at + _FIELDWORK_ROWS]
        sub = times.take(part)
        codes, heads, odd = sub.heads(_FIELDWORK_HEAD)
        written = sub.nonempty()
        alone.append(part[odd & written])
        by_head = np.flatnonzero(~odd & written)
        pair = codes[by_head] * nfiles + files[part[by_head]].astype(np.int64)
        groups, first_at, inverse = np.unique(pair, return_index=True, return_inverse=True)
        undated: list[int] = []  # groups whose start is not a date
        for g, (value, i) in enumerate(zip(groups.tolist(), first_at.tolist(), strict=True)):
            head, f = heads[value // nfiles], value % nfiles
            if not _whole_date(head, _FIELDWORK_HEAD):
                undated.append(g)
            elif (head, f) not in first:
                first[head, f] = int(part[by_head[i]])
        if undated:
            alone.append(part[by_head[np.isin(inverse.reshape(-1), undated)]])
    for (_, f), i in first.items():
        day = _submission_date(times[i], decided[f], f, ambiguous)
        if day is not None:
            days.append(day)
    cache: dict[tuple[str, int], dt.date | None] = {}
    for i in np.concatenate(alone).tolist() if alone else []:
        text, f = times[i], int(files[i])
        if (text, f) not in cache:
            cache[text, f] = _submission_date(text, decided[f], f, ambiguous)
        day = cache[text, f]
        if day is not None:
            days.append(day)
    if ambiguous:
        which = ", ".join(Path(names[f]).name for f in sorted(ambiguous))
        notes.append(
            f"The submission dates in {which} could be day/month or month/day (no day is "
            "over 12), so the survey's dates are not shown."
        )
        return None
    if not days:
        return None
    return min(days).isoformat(), max(days).isoformat()


_FIELDWORK_ROWS = 1 << 17
_FIELDWORK_HEAD = 12


def _whole_date(head: str, k: int) -> bool:
    """Whether ``head``, the first ``k`` characters of a time (all of it when shorter),
    begins with a date that ends inside it: then every time with this head has its date."""
    m = _DATE_PART.match(head)
    return m is not None and (m.end() < len(head) or len(head) < k)


def _submission_date(
    text: str, dayfirst: bool | None, f: int, ambiguous: set[int]
) -> dt.date | None:
    m = _DATE_PART.match(text)
    try:
        if m and m.group(1):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m:
            a, b, y = int(m.group(4)), int(m.group(5)), m.group(6)
            if dayfirst is None and a != b:
                ambiguous.add(f)
                return None
            day, month = (a, b) if dayfirst or dayfirst is None else (b, a)
            return dt.date(int(y) + (2000 if len(y) == 2 else 0), month, day)
    except ValueError:
        return None
    named = _named_month(text.strip())
    return None if named is None else named.date()


def _clock(h: str | None, mi: str | None, s: str | None, ampm: str | None) -> tuple[int, ...]:
    hour = int(h or 0)
    if ampm:
        hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
    return hour, int(mi or 0), int(s or 0)


def parse_time(text: str, dayfirst: bool = True) -> float | None:
    """Seconds since 1970 (UTC when the time says its zone) for the exports' time formats."""
    s = text.strip()
    if not s:
        return None
    try:
        if _ISO.match(s):
            iso = s.replace("Z", "+00:00").replace(" ", "T", 1)
            iso = re.sub(r"(\.\d{1,6})\d*", lambda m: m.group(1).ljust(7, "0"), iso)
            d = dt.datetime.fromisoformat(iso)
        elif m := _YMD.match(s):
            y, mo, da, h, mi, se, ampm, tzh, tzm = m.groups()
            d = dt.datetime(int(y), int(mo), int(da), *_clock(h, mi, se, ampm))
            if tzh:
                sign = -1 if tzh.startswith("-") else 1
                offset = dt.timedelta(hours=abs(int(tzh)), minutes=int(tzm or 0)) * sign
                d = d.replace(tzinfo=dt.timezone(offset))
        elif m := _DMY.match(s):
            a, b, y, h, mi, se, ampm = m.groups()
            day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
            year = int(y) + (2000 if len(y) == 2 else 0)
            d = dt.datetime(year, month, day, *_clock(h, mi, se, ampm))
        else:
            d = _named_month(s)
            if d is None:
                return None
    except ValueError:
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    stamp = d.timestamp()
    return stamp if math.isfinite(stamp) else None


_NAMED_MONTH_FORMATS = (
    "%b %d, %Y",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %b %Y %H:%M",
    "%d %B %Y",
)


def _named_month(s: str) -> dt.datetime | None:
    """Jotform's ``Oct 5, 2026`` and similar dates with the month's name (English)."""
    for fmt in _NAMED_MONTH_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
    return None
