"""Raw tables from response files: bytes in, header cells and records out.

This module knows files, not surveys. ``open_table`` checks a CSV or XLSX
export as it was downloaded and works out:

- the container: XLSX (a ZIP workbook, read with openpyxl in streaming
  ``read_only`` mode) or delimited text; an old ``.xls`` workbook, a binary
  file, an empty file are clear errors;
- the text encoding: UTF-8 with or without a byte-order mark, UTF-16 with a
  byte-order mark (Excel's "Unicode text"), else Windows-1252 (Excel's
  "CSV" in Western European locales); a file that is none of these is an
  error naming the line of the first bad byte;
- the delimiter, by parsing a sample with each of ``,``, ``;`` and tab and
  keeping the one that gives the widest consistent rows;
- the exporter (``Layout.format``), from the signature of its metadata
  columns, and so how many header rows there are and which one carries the
  question text (SurveyMonkey: two, the question text filled forward over
  its block with sub-headers below; Qualtrics: three with ImportId JSON, or
  two in the legacy layout).

``RawTable.records()`` then streams every record of the file from the first
header row on, as lists of strings (XLSX cells converted to text, padded to
the header's width); nothing here keeps rows in memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from relimpact.errors import ResponseError

FORMATS = (
    "google-forms",
    "microsoft-forms",
    "surveymonkey",
    "qualtrics",
    "kobo",
    "odk-central",
    "limesurvey",
    "typeform",
    "jotform",
    "csv",
)

# Free-text cells of many megabytes are real (pasted documents); the csv
# module's default limit is 128 KiB. 256 MiB bounds a corrupt file's damage.
FIELD_SIZE_LIMIT = 256 * 1024 * 1024
SAMPLE_CHARS = 256 * 1024
HEAD_RECORDS = 4
_SCAN_BYTES = 1024 * 1024
_READ_HINT = 64 * 1024
_DELIMITERS = (",", ";", "\t")

_SAVE_AS_UTF8 = (
    'Save the file again as "CSV UTF-8" (in Excel: File > Save As > CSV UTF-8), '
    "or export it again from the survey tool."
)


@dataclass(frozen=True)
class Layout:
    """What kind of export a table is and where its question text is."""

    format: str  # one of FORMATS
    header_rows: int
    text_row: int  # 0-based header row that carries the question text


@dataclass(frozen=True)
class Header:
    """One column's header cells."""

    index: int  # 0-based column index
    label: str  # as shown to people: the text, or "text / sub-header" (SurveyMonkey)
    text: str  # the question-text row's cell (filled forward over a SurveyMonkey block)
    sub: str = ""  # SurveyMonkey's second-row sub-header, when it names a row or choice
    others: tuple[str, ...] = ()  # the other header rows' cells (Qualtrics export tags)


@dataclass(frozen=True)
class RawTable:
    """An export file, checked and sniffed, ready to stream."""

    path: Path
    name: str  # the path as the user gave it, for messages
    kind: str  # "csv" or "xlsx"
    encoding: str  # utf-8, utf-8-sig, utf-16, cp1252 or xlsx
    delimiter: str | None  # None for xlsx
    layout: Layout
    headers: tuple[Header, ...]
    width: int  # cells per record (the widest header row)
    content_width: int  # header width without trailing blank header cells

    @property
    def format(self) -> str:
        return self.layout.format

    def records(self) -> Iterator[list[str]]:
        """Every record from the first header row on; row 1 is the first record."""
        if self.kind == "xlsx":
            return _xlsx_records(self.path, self.name, self.width)
        return _csv_records(self.path, self.name, self.encoding, self.delimiter or ",")


# --------------------------------------------------------------------------- opening


def open_table(path: str | Path, name: str | None = None) -> RawTable:
    """Check, sniff and describe one export file; raises ``ResponseError`` if unreadable.
    ``name``: what messages call the file (default: the path as given)."""
    name = str(path) if name is None else name
    p = Path(path)
    if not p.exists():
        raise ResponseError("file not found.", where=name, hint="Check the path and file name.")
    if p.is_dir():
        raise ResponseError(
            "this is a folder, not a file.", where=name, hint="Give the CSV or XLSX file itself."
        )
    try:
        with p.open("rb") as f:
            start = f.read(_SCAN_BYTES)
    except OSError as e:
        raise ResponseError(
            f"cannot be read: {e.strerror or e}.", where=name, hint="Check the file's permissions."
        ) from None
    if not start.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ResponseError(
            "the file is empty.",
            where=name,
            hint="Download the responses again from the survey tool.",
        )
    if start.startswith(b"PK\x03\x04"):
        head, width = _xlsx_head(p, name)
        kind, encoding, delimiter = "xlsx", "xlsx", None
    elif start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ResponseError(
            "this is an old Excel .xls workbook, which relimpact cannot read.",
            where=name,
            hint="Open it in Excel or LibreOffice and save it as .xlsx or as CSV UTF-8.",
        )
    else:
        encoding = _sniff_encoding(p, name, start)
        sample = _text_sample(p, encoding)
        delimiter = _sniff_delimiter(sample)
        head = _sample_records(sample, delimiter, HEAD_RECORDS)
        kind = "csv"
        width = 0
    if not head or not any(c.strip() for c in head[0]):
        raise ResponseError(
            "the first row is blank; it should hold the column headers.",
            where=f"{name}, row 1",
            hint="Download the responses again from the survey tool, unedited.",
        )
    layout = detect_layout(head)
    header_rows = head[: layout.header_rows]
    width = max(width, *(len(r) for r in header_rows))
    content_width = max(
        (i + 1 for r in header_rows for i, c in enumerate(r) if c.strip()), default=0
    )
    return RawTable(
        path=p,
        name=name,
        kind=kind,
        encoding=encoding,
        delimiter=delimiter,
        layout=layout,
        headers=build_headers(head, layout, width),
        width=width,
        content_width=content_width,
    )


def _sniff_encoding(path: Path, name: str, start: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252; anything else is an error."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        if b"\x00" in start[:65536]:
            raise ResponseError(
                "this is not a CSV or XLSX file (it contains binary data).",
                where=name,
                hint=(
                    "Export the responses from the survey tool as CSV or Excel (.xlsx). "
                    'A text file saved as UTF-16 without a byte-order mark must be saved as "CSV '
                    'UTF-8".'
                ),
            )
        encoding = "utf-8-sig" if start.startswith(codecs.BOM_UTF8) else "utf-8"
    bad = _first_undecodable(path, encoding)
    if bad is None:
        return encoding
    if encoding == "utf-16":
        raise ResponseError(
            "the file starts like UTF-16 text but cannot be read as such.",
            where=name,
            hint=_SAVE_AS_UTF8,
        )
    if _first_undecodable(path, "cp1252") is None:
        return "cp1252"
    offset, byte = _first_undecodable(path, "cp1252") or bad
    raise ResponseError(
        f"byte 0x{byte:02X} cannot be read as UTF-8 or as Windows-1252 text.",
        where=f"{name}, line {_line_of(path, offset)}",
        hint=_SAVE_AS_UTF8,
    )


def _first_undecodable(path: Path, encoding: str) -> tuple[int, int] | None:
    """(offset, byte) of the first byte the encoding cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as f:
        while True:
            block = f.read(_SCAN_BYTES)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as e:
                return offset + e.start, block[e.start] if e.start < len(block) else 0
            if not block:
                return None
            offset += len(block)


def _line_of(path: Path, offset: int) -> int:
    with path.open("rb") as f:
        return f.read(offset).count(b"\n") + 1


def _text_sample(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as f:
        return f.read(SAMPLE_CHARS)


def _sample_records(sample: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    """Parse the sample; the last record is dropped when the sample is cut short."""
    _raise_field_limit()
    truncated = len(sample) >= SAMPLE_CHARS
    try:
        rows = list(islice(csv.reader(io.StringIO(sample), delimiter=delimiter), limit))
    except csv.Error:
        rows = []
    if truncated and limit is None and rows:
        rows.pop()
    return rows


def _sniff_delimiter(sample: str) -> str:
    """The delimiter giving the widest header whose next rows are as wide (or none are)."""
    best, best_score = ",", (-1, -1)
    for d in _DELIMITERS:
        rows = [r for r in _sample_records(sample, d, 40) if any(c.strip() for c in r)]
        if not rows:
            continue
        width = len(rows[0])
        body = rows[1:-1] if len(rows) > 2 else rows[1:]
        consistent = sum(len(r) == width for r in body)
        score = (int(width > 1) + int(width > 1 and consistent == len(body)), width)
        if score > best_score:
            best, best_score = d, score
    return best


def _raise_field_limit() -> None:
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)


# --------------------------------------------------------------------------- streaming


def _csv_records(path: Path, name: str, encoding: str, delimiter: str) -> Iterator[list[str]]:
    """Records, parsed exactly as ``csv.reader`` does, but faster on unquoted lines.

    A physical line holding no quote character is one record whose fields are
    the line split at the delimiter (what the csv module would return, at
    ``str.split`` speed); every other line is handed to a ``csv.reader`` that
    draws from the same queue of lines, so quoted cells with delimiters or
    line breaks are read by the csv module itself.
    """
    _raise_field_limit()
    pending: deque[str] = deque()
    with path.open(encoding=encoding, newline="") as f:

        def refill() -> bool:
            pending.extend(f.readlines(_READ_HINT))
            return bool(pending)

        def lines() -> Iterator[str]:
            while pending or refill():
                yield pending.popleft()

        reader = csv.reader(lines(), delimiter=delimiter, strict=True)
        consumed = 0  # physical lines taken by the split path
        start = 1  # the physical line the current record starts on
        try:
            while pending or refill():
                line = pending[0]
                start = consumed + reader.line_num + 1
                if '"' in line:
                    yield next(reader)
                else:
                    pending.popleft()
                    consumed += 1
                    yield line.rstrip("\r\n").split(delimiter)
        except csv.Error as e:
            raise ResponseError(
                f"the record starting on this line cannot be read as CSV ({e}).",
                where=f"{name}, line {start}",
                hint=(
                    "A quoted cell may not be closed; export the file again from the survey "
                    "tool, or fix that line in a text editor."
                ),
            ) from None


def _open_workbook(path: Path, name: str):  # -> openpyxl Workbook
    import zipfile

    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise ResponseError(
            f"this file cannot be opened as an Excel workbook ({type(e).__name__}: {e}).",
            where=name,
            hint="Export the responses again as .xlsx or as CSV UTF-8.",
        ) from None
    except Exception as e:  # openpyxl raises its own exception types for foreign ZIPs
        raise ResponseError(
            f"this file cannot be opened as an Excel workbook ({type(e).__name__}).",
            where=name,
            hint="Export the responses again as .xlsx or as CSV UTF-8.",
        ) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _xlsx_rows(path: Path, name: str) -> Iterator[tuple[object, ...]]:
    wb = _open_workbook(path, name)
    try:
        sheet = wb.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        wb.close()


def _xlsx_head(path: Path, name: str) -> tuple[list[list[str]], int]:
    head = [[_cell_text(v) for v in row] for row in islice(_xlsx_rows(path, name), HEAD_RECORDS)]
    for row in head:  # read_only sheets may report padded dimensions
        while row and row[-1] == "":
            row.pop()
    return head, 0


def _xlsx_records(path: Path, name: str, width: int) -> Iterator[list[str]]:
    cell = _cell_text
    for values in _xlsx_rows(path, name):
        row = [v if v.__class__ is str else cell(v) for v in values[:width]]
        if len(row) < width:
            row.extend([""] * (width - len(row)))
        yield row


# --------------------------------------------------------------------------- layouts


def header_key(cell: str) -> str:
    """A header cell for signature checks: BOM dropped, white space collapsed, case folded."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


_QUALTRICS_TAGS = {
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "distributionchannel",
    "userlanguage",
    "externalreference",
}
_QUALTRICS_LEGACY = {"responseid", "responseset", "externaldatareference", "emailaddress"}
_QUALTRICS_TEXT = {"start date", "end date", "response id", "recorded date", "responseid"}
_SURVEYMONKEY = ["respondent id", "collector id", "start date", "end date"]
_LIMESURVEY = [
    {"response id", "date submitted", "last page", "start language"},
    {"id", "submitdate", "lastpage", "startlanguage"},
]


def detect_layout(head: list[list[str]]) -> Layout:
    """The exporter and header layout, from the first few records' metadata columns."""
    rows = [[header_key(c) for c in r] for r in head]
    r0 = rows[0]
    keys = set(r0)
    r1 = set(rows[1]) if len(rows) > 1 else set()
    first = r0[0] if r0 else ""
    if r0[:4] == _SURVEYMONKEY:
        return Layout("surveymonkey", 2 if len(rows) > 1 else 1, 0)
    if len(keys & _QUALTRICS_TAGS) >= 3 or (first == "v1" and "v2" in keys):
        if len(rows) > 2 and any(c.startswith('{"importid"') for c in rows[2]):
            return Layout("qualtrics", 3, 1)
        if len(rows) > 1 and (r1 & _QUALTRICS_TEXT or keys & _QUALTRICS_LEGACY or first == "v1"):
            return Layout("qualtrics", 2, 1)
        return Layout("qualtrics", 1, 0)
    if first == "timestamp":
        return Layout("google-forms", 1, 0)
    if r0[:3] == ["id", "start time", "completion time"]:
        return Layout("microsoft-forms", 1, 0)
    if "_uuid" in keys or "_submission_time" in keys:
        return Layout("kobo", 1, 0)
    if "submissiondate" in keys and ("meta-instanceid" in keys or "key" in keys):
        return Layout("odk-central", 1, 0)
    if any(sig <= keys for sig in _LIMESURVEY):
        return Layout("limesurvey", 1, 0)
    if first == "#" and ("submit date (utc)" in keys or "network id" in keys):
        return Layout("typeform", 1, 0)
    if "submission date" in keys and "submission id" in keys:
        return Layout("jotform", 1, 0)
    return Layout("csv", 1, 0)


_SURVEYMONKEY_FIXED = 9
_SURVEYMONKEY_WHOLE = {"", "response", "open-ended response"}


def build_headers(head: list[list[str]], layout: Layout, width: int) -> tuple[Header, ...]:
    """Each column's header cells, with the question-text row chosen by the layout."""
    rows = [list(r) + [""] * (width - len(r)) for r in head[: layout.header_rows]]
    while len(rows) < layout.header_rows:
        rows.append([""] * width)
    text_row = rows[layout.text_row]
    if layout.format == "surveymonkey" and len(rows) > 1:
        headers = []
        current = ""
        for i in range(width):
            cell = text_row[i].replace("\ufeff", "").strip()
            if cell or i < _SURVEYMONKEY_FIXED:
                current = cell
            sub = rows[1][i].strip()
            if header_key(sub) in _SURVEYMONKEY_WHOLE:
                headers.append(Header(i, current, current))
            else:
                headers.append(Header(i, f"{current} / {sub}", current, sub))
        return tuple(headers)
    return tuple(
        Header(
            i,
            text_row[i].replace("\ufeff", "").strip(),
            text_row[i].replace("\ufeff", "").strip(),
            others=tuple(
                r[i].replace("\ufeff", "").strip()
                for k, r in enumerate(rows)
                if k != layout.text_row and r[i].strip()
            ),
        )
        for i in range(width)
    )


# --------------------------------------------------------------------------- large files


FAST_PATH_BYTES = 8 * 1024 * 1024  # CSV files at least this large are parsed by Arrow
_ARROW_BLOCK_BYTES = 4 * 1024 * 1024


class Encoded(Sequence[str]):
    """One block of a column as Arrow dictionary-encodes it: the distinct strings and,
    per row, an index into them. A survey column holds few distinct answers, so a
    converter maps ``dictionary`` once and ``indices`` picks the results per row."""

    __slots__ = ("dictionary", "indices")

    def __init__(self, dictionary: list[str], indices: Any) -> None:
        self.dictionary = dictionary
        self.indices = indices  # numpy int32

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self.dictionary[j] for j in self.indices[i].tolist()]
        return self.dictionary[int(self.indices[i])]

    def __iter__(self) -> Iterator[str]:
        d = self.dictionary
        return (d[j] for j in self.indices.tolist())

    def take(self, rows: Any) -> Encoded:
        return Encoded(self.dictionary, self.indices[rows])


class ArrowUnsupported(Exception):
    """The file is not one Arrow reads exactly as the csv module does; use the csv path."""


def arrow_records(table: RawTable) -> Iterator[tuple[list[Encoded], int]]:
    """Data records of a large UTF-8 CSV, parsed by Apache Arrow's multithreaded reader:
    blocks of dictionary-encoded columns and the number of records in each.

    Memory is bounded by Arrow's block size. Any record Arrow cannot read exactly as
    ``csv.reader`` would (a ragged or empty line, a decoding problem) raises
    ``ArrowUnsupported`` and the caller reads the file with the csv path instead, which
    gives the precise error or handles the quirk.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise ArrowUnsupported("pyarrow is not installed") from None
    names = [f"c{i}" for i in range(table.width)]
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        reader = pcsv.open_csv(
            table.path,
            read_options=pcsv.ReadOptions(
                skip_rows=table.layout.header_rows,
                column_names=names,
                block_size=_ARROW_BLOCK_BYTES,
                encoding="utf8",
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=table.delimiter or ",",
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={n: text for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            columns = [
                Encoded(col.dictionary.to_pylist(), col.indices.to_numpy(zero_copy_only=False))
                for col in batch.columns
            ]
            yield columns, batch.num_rows
    except (pa.ArrowException, UnicodeDecodeError) as e:
        raise ArrowUnsupported(str(e)) from None


def is_large(path: Path) -> bool:
    return path.stat().st_size >= FAST_PATH_BYTES


def use_arrow(table: RawTable) -> bool:
    """Large UTF-8 CSV files go through Arrow; everything else through the csv module."""
    return table.kind == "csv" and table.encoding in ("utf-8", "utf-8-sig") and is_large(table.path)
