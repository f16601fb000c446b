"""The responses as scoring sees them: one compact, column-wise data set.

``relimpact.read.readers`` builds a ``ResponseSet`` from export files; scoring,
reports and the network map only ever read it. Arrays are numpy, one per
question, aligned by respondent (row i of every array is the same person).
Personal data never enters this object except the respondent key, which is
used only to link waves and remove duplicates and is never rendered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported only where responses are read
    import numpy as np

    from relimpact.survey.model import Survey


SCALE_BLANK = 255  # ScaleAnswers' code for no answer
SCALE_NA = 254  # and for a not-applicable answer
SCALE_CODES = 254  # points a scale may span to be kept as codes (0..253)


class ScaleAnswers(Mapping[str, "np.ndarray"]):
    """Scale answers kept as one byte per respondent (the point minus the scale's lowest,
    ``SCALE_NA`` for not applicable, ``SCALE_BLANK`` for none) instead of four for a
    float32; ``answers[qid]`` gives the float32 values, NaN for blank or not applicable,
    as ``ResponseSet.scale`` is documented to hold (made on each access: keep the result
    rather than asking again in a loop). ``not_applicable`` is the matching bool view."""

    __slots__ = ("_codes", "_floats")

    def __init__(self, codes: Mapping[str, tuple[np.ndarray, int]]) -> None:
        self._codes = dict(codes)  # qid -> (uint8 codes, the scale's lowest point)

    def __getitem__(self, qid: str) -> np.ndarray:
        import numpy as np

        codes, low = self._codes[qid]
        lut = np.full(256, np.nan, np.float32)
        lut[:SCALE_CODES] = np.arange(low, low + SCALE_CODES, dtype=np.float32)
        return lut[codes]

    def __iter__(self):  # noqa: ANN204
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def codes(self, qid: str) -> tuple[np.ndarray, int]:
        """The uint8 codes of a question and the point code 0 stands for."""
        return self._codes[qid]

    def not_applicable(self) -> Mapping[str, np.ndarray]:
        return _NotApplicable(self._codes)


class _NotApplicable(Mapping[str, "np.ndarray"]):
    __slots__ = ("_codes",)

    def __init__(self, codes: Mapping[str, tuple[np.ndarray, int]]) -> None:
        self._codes = codes

    def __getitem__(self, qid: str) -> np.ndarray:
        return self._codes[qid][0] == SCALE_NA

    def __iter__(self):  # noqa: ANN204
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


@dataclass(frozen=True)
class Categorical:
    """A single-choice answer per respondent: ``codes[i]`` indexes ``categories``; -1 is blank."""

    categories: tuple[str, ...]
    codes: np.ndarray  # int32


@dataclass(frozen=True)
class ColumnMatch:
    question: str  # question id
    column: str  # the header as found in the file (or "header / sub-header")
    file: str
    index: int  # 0-based column index in the file


@dataclass(frozen=True)
class IgnoredColumn:
    column: str
    file: str
    reason: str  # "personal data", "no matching question", "export metadata", ...


@dataclass(frozen=True)
class AnswerProblem:
    """Answers that could not be read: file, column, the value, how many rows, first rows."""

    file: str
    column: str
    value: str
    count: int
    rows: tuple[int, ...]  # first few row numbers; row 1 is the first header row
    message: str
    sheet: str = ""  # xlsx: the sheet read, when the workbook holds other sheets too

    @property
    def place(self) -> str:
        """The file as messages name it: with the sheet when there is one to name."""
        return f'{self.file}, sheet "{self.sheet}"' if self.sheet else self.file


@dataclass(frozen=True)
class FileInfo:
    path: str
    format: str  # google-forms, microsoft-forms, surveymonkey, qualtrics, kobo, ...
    encoding: str  # utf-8, utf-8-sig, cp1252, xlsx
    delimiter: str | None  # None for xlsx
    header_rows: int
    rows: int  # data rows read, blank trailing rows excluded
    language: str = ""  # the language of the export's metadata headers ("" not known)
    quoting: bool = True  # False: a text file with no quoting at all (Google Sheets' TSV)
    source: str = ""  # "zip": read from the CSV inside a .csv.zip download
    sheet: str = ""  # xlsx: the title of the worksheet read


@dataclass(frozen=True)
class ResponseSet:
    survey: Survey
    files: tuple[FileInfo, ...]
    rows: int  # data rows read from all files, before removals
    # Scale items: float32 values on the scale's points (NOT reversed); NaN = blank or n/a.
    # Read from files as ``ScaleAnswers`` (one byte per answer, float32 on access).
    scale: Mapping[str, np.ndarray]
    # Scale items: bool, True where the answer was a not_applicable label.
    not_applicable: Mapping[str, np.ndarray]
    choice: Mapping[str, Categorical] = field(default_factory=dict)
    # multi: option labels and a bool matrix (respondents x options).
    multi: Mapping[str, tuple[tuple[str, ...], np.ndarray]] = field(default_factory=dict)
    number: Mapping[str, np.ndarray] = field(default_factory=dict)  # float64, NaN = blank
    # "" = blank; read from files as a ``PackedText`` (relimpact.read.packed)
    text: Mapping[str, Sequence[str]] = field(default_factory=dict)
    consent: Mapping[str, np.ndarray] = field(default_factory=dict)  # bool: True = agreed
    member: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # roster name or ""
    connections: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # connections questions with tie levels: per respondent, the rank (1 = lowest level)
    # of each member in ``connections``, in the same order.
    connection_levels: Mapping[str, tuple[tuple[int, ...], ...]] = field(default_factory=dict)
    respondent_keys: Sequence[str] | None = None  # normalised keys; never output
    # The distinct values of the name and email columns dropped at the door, kept only
    # when the survey has a quotable question, and only so that quotes can be scrubbed of
    # them (relimpact.report.quotes); never output.
    # Read from files as a ``PackedText`` of every non-blank value (repeats included), an
    # email address only up to and with its "@" (its local part is what quotes could hold).
    known_names: Sequence[str] = field(default=(), repr=False)
    source_rows: tuple[str, ...] = ()  # "file.csv row 7" per respondent, for messages
    # int32 per respondent: index into ``files`` of the file the row came from (several
    # files, one per network: scoring's group_by_file). None when the reader did not say.
    file_index: np.ndarray | None = None
    matches: tuple[ColumnMatch, ...] = ()
    ignored: tuple[IgnoredColumn, ...] = ()
    problems: tuple[AnswerProblem, ...] = ()
    warnings: tuple[str, ...] = ()
    # Scored questions with no column, read as not asked (``allow_missing``).
    not_asked: tuple[str, ...] = ()
    # The first and last submission date (ISO YYYY-MM-DD) of the kept rows, from the
    # export's submission time column; None when no file has one that can be read.
    fieldwork: tuple[str, str] | None = None
    fieldwork_note: str = ""  # why there are no dates, when the file has times but unclear

    @property
    def respondents(self) -> int:
        return len(self.source_rows)

    @property
    def format(self) -> str:
        """The exporter of the files, one of the contract's names: the first file's when
        the files come from different tools (``formats`` names them all)."""
        return self.formats[0] if self.formats else "csv"

    @property
    def formats(self) -> tuple[str, ...]:
        """The files' exporters, each once, in the order of the files."""
        return tuple(dict.fromkeys(f.format for f in self.files))
