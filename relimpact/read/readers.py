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
import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from relimpact.common.errors import ResponseError

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
    "redcap",
    "csv",
)

# Free-text cells of many megabytes are real (pasted documents); the csv
# module's default limit is 128 KiB. 256 MiB bounds a corrupt file's damage.
FIELD_SIZE_LIMIT = 256 * 1024 * 1024
SAMPLE_CHARS = 256 * 1024
MAX_HEAD_CHARS = 64 * 1024 * 1024  # the first records of a file, at most
HEAD_RECORDS = 4
_SCAN_BYTES = 1024 * 1024
_READ_HINT = 64 * 1024
_DELIMITERS = (",", ";", "\t")

# An .xlsx is a ZIP of XML parts. Before anything is unpacked, its directory is checked:
# a real export (100,000 responses is some 200 MB of sheet XML) packs 5 to 30 times; a zip
# bomb packs thousands of times. Parts are read no further than their declared size.
XLSX_MAX_UNPACKED = 1024**3  # bytes, all parts together
XLSX_MAX_RATIO = 100  # unpacked / packed, for a part of more than XLSX_RATIO_FROM bytes
XLSX_RATIO_FROM = 1024 * 1024
XLSX_MAX_PARTS = 10_000
_XML_PROLOG_BYTES = 64 * 1024

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
    language: str = ""  # the language of the export's metadata headers (en, de, fr...)
    headings: str = ""  # LimeSurvey: "code. text" when each heading is "CODE. TEXT"


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
    quoting: bool = True  # False: no cell is quoted (Google Sheets' TSV); '"' is just text
    source: str = ""  # what the file came in: "zip" for a .csv.zip download
    encoding_checked: bool = True  # False: only the start was checked (open_table)
    sheet: str = ""  # xlsx: the title of the worksheet read (see ``sheets.choose_sheet``)
    other_sheets: bool = False  # xlsx: the workbook holds other sheets besides that one
    # csv: records before the header (1: Excel's ``sep=;`` line), never read as data and
    # no row: row 1 is the first header row (as the commands spec has it, and as Excel
    # shows such a file, hiding that line); line numbers count it, being the file's lines
    preamble: int = 0

    @property
    def place(self) -> str:
        """The file as row-level messages name it: with the sheet read when the workbook
        holds other sheets (``a.xlsx, sheet "Responses"``), else the file's name alone."""
        return f'{self.name}, sheet "{self.sheet}"' if self.other_sheets else self.name

    @property
    def format(self) -> str:
        return self.layout.format

    @property
    def read_width(self) -> int:
        """The cells of a record that can be read: up to the last column with a header
        (a SurveyMonkey label is filled forward over its block). Cells under a run of
        blank trailing header cells are never read."""
        last = max((h.index + 1 for h in self.headers if h.label or h.text), default=0)
        return max(self.content_width, last, 1)

    def records(self) -> Iterator[list[str]]:
        """Every record from the first header row on, which is row 1 (the ``preamble``
        before it is skipped)."""
        if self.kind == "xlsx":
            return _xlsx_records(self.path, self.name, self.width, self.sheet)
        records = _csv_records(
            self.path, self.name, self.encoding, self.delimiter or ",", self.quoting
        )
        return islice(records, self.preamble, None) if self.preamble else records


# --------------------------------------------------------------------------- opening


def open_table(path: str | Path, name: str | None = None, *, trust_utf8: bool = False) -> RawTable:
    """Check, sniff and describe one export file; raises ``ResponseError`` if unreadable.
    ``name``: what messages call the file (default: the path as given).

    ``trust_utf8``: a file whose first megabyte is UTF-8 is taken as UTF-8 without reading
    the rest (``RawTable.encoding_checked`` is then False). Only for a file Arrow is to
    parse: Arrow checks every cell's UTF-8 itself, and a file that fails goes back to the
    csv path, which opens it again with the whole-file check."""
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
    source = ""
    if start.startswith(b"PK\x03\x04") and not _is_workbook(p):
        p = _unzip_csv(p, name)  # ODK Central's "All data and media" / .csv.zip download
        source = "zip"
        with p.open("rb") as f:
            start = f.read(_SCAN_BYTES)
    quoting = True
    checked = True
    sheet, several = "", False
    preamble = 0  # records before the header: 1 after Excel's sep= line
    if start.startswith(b"PK\x03\x04"):
        head, sheet, several = _xlsx_head(p, name)
        kind, encoding, delimiter = "xlsx", "xlsx", None
        width = 0
    elif start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ResponseError(
            "this is an old Excel .xls workbook, which relimpact cannot read.",
            where=name,
            hint="Open it in Excel or LibreOffice and save it as .xlsx or as CSV UTF-8.",
        )
    else:
        encoding = _sniff_encoding(p, name, start, trust_utf8)
        checked = not (trust_utf8 and encoding in ("utf-8", "utf-8-sig"))
        try:
            sample = _text_sample(p, encoding)
            named = _sep_line(name, sample)
            if named is not None:
                preamble = 1
                if len(sample) >= SAMPLE_CHARS:  # a long header: as many records after it
                    sample = _text_sample(p, encoding, HEAD_RECORDS + preamble)
                sample = sample[named[1] :]
                delimiter = named[0]
                _check_named_delimiter(name, sample, delimiter)
            else:
                delimiter = _sniff_delimiter(sample)
            quoting = not (
                delimiter == "\t" and '"' in sample and _unquoted_tsv(p, encoding, preamble)
            )
        except UnicodeDecodeError:
            if checked:
                raise
            return open_table(path, name)  # past the start it is not UTF-8: check it all
        head = (
            _sample_records(sample, delimiter, HEAD_RECORDS)
            if quoting
            else [line.split("\t") for line in sample.splitlines()[:HEAD_RECORDS]]
        )
        kind = "csv"
        width = 0
    if not head or not any(c.strip() for c in head[0]):
        raise ResponseError(
            "the first row is blank; it should hold the column headers.",
            where=f"{name}, row 1",
            hint="Download the responses again from the survey tool, unedited.",
        )
    layout = detect_layout(head)
    _refuse_stray_import_ids(name, head, layout)
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
        quoting=quoting,
        source=source,
        encoding_checked=checked,
        sheet=sheet,
        other_sheets=several,
        preamble=preamble,
    )


# Excel's first line naming the delimiter ("sep=;"), read from the decoded sample (a
# byte-order mark may come before it; any line end after it). Some writers put the line
# in double quotes ('"sep=;"', one quoted cell): that names the delimiter just as well.
_SEP_LINE = re.compile(r'\A\ufeff?(?:sep=([^\r\n]?)|"sep=([^\r\n"])")(\r\n|\r|\n|\Z)', re.I)
# A first line that is meant as one but is not exactly 'sep=' and one character
# ('sep= ;', 'sep = ;', '"sep=;";;'): which delimiter it names would be a guess.
_LOOSE_SEP_LINE = re.compile(r'\A\ufeff?"?[ \t]*sep[ \t]*=[^\r\n]{0,8}(\r\n|\r|\n|\Z)', re.I)
# What a sep= line may name: a tab, or an ASCII mark that is no quote, letter or digit.
_NAMEABLE = frozenset("\t !#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _sep_line(name: str, sample: str) -> tuple[str, int] | None:
    """Excel's ``sep=,`` first line names the delimiter; the header row follows it.
    Returns (the delimiter it names, the characters of the line with its line end), or
    None when the file has no such line. A line that names no delimiter, or something
    that cannot be one, or that is not written as Excel writes it, is refused: the
    delimiter is not guessed past it."""
    m = _SEP_LINE.match(sample)
    if m is None:
        _refuse_loose_sep_line(name, sample)
        return None
    delimiter = m.group(1) if m.group(2) is None else m.group(2)
    if delimiter and delimiter in _NAMEABLE:
        return delimiter, m.end()
    what = "names no delimiter" if not delimiter else f"names {delimiter!r}, which is no delimiter"
    raise ResponseError(
        f"this is Excel's delimiter line ('sep={delimiter}'), but it {what}.",
        where=f"{name}, line 1",
        hint="Write the file's delimiter after 'sep=' (sep=, or sep=; in a text editor), or "
        "delete that line (the header row follows it), or export the file again.",
    )


def _refuse_loose_sep_line(name: str, sample: str) -> None:
    """A first line like 'sep= ;' is meant as Excel's delimiter line, but Excel reads only
    'sep=' followed at once by the delimiter: read as a header it would match no question,
    and taking ';' (or the space) as the delimiter would be a guess."""
    m = _LOOSE_SEP_LINE.match(sample)
    if m is None:
        return
    line = sample[: m.start(1)].lstrip("\ufeff")
    raise ResponseError(
        f"this looks like Excel's delimiter line, but {line!r} is not written as one: Excel "
        "reads only 'sep=' followed at once by the delimiter and the line end.",
        where=f"{name}, line 1",
        hint="Write that line as sep=; or sep=, (the file's delimiter, no spaces or other "
        "marks) in a text editor, or delete it (the header row follows it), or export the "
        "file again.",
    )


def _check_named_delimiter(name: str, body: str, delimiter: str) -> None:
    """The delimiter a sep= line names must split the header row after it: a header of
    one cell would make every question look missing, for want of the true delimiter."""
    head = _sample_records(body, delimiter, 1)
    if head and len(head[0]) > 1:
        return
    shown = "<tab>" if delimiter == "\t" else delimiter
    raise ResponseError(
        f"Excel's delimiter line ('sep={shown}') names {shown!r} as the delimiter, but the "
        "header row after it (line 2) holds no such delimiter between its cells.",
        where=f"{name}, line 1",
        hint="Correct that line to the delimiter the file uses (sep=, or sep=; or sep= and a "
        "tab), or delete it, or export the file again from the survey tool.",
    )


def sep_line_doubt(table: RawTable) -> str | None:
    """For a CSV file with Excel's sep= line: the delimiter its rows seem to use (sniffed
    as for a file without that line), when that is not the one the line names; else None.
    A sep= line that names the wrong mark can still split a header holding that mark as
    text ('voices, not just'), so only a poor fit to the survey shows it; this says why."""
    if table.kind != "csv" or not table.preamble or table.delimiter is None:
        return None
    sample = _text_sample(table.path, table.encoding, HEAD_RECORDS + table.preamble)
    m = _SEP_LINE.match(sample)
    if m is None:
        return None
    sniffed = _sniff_delimiter(sample[m.end() :])
    body = _sample_records(sample[m.end() :], sniffed, 1)
    if sniffed == table.delimiter or not body or len(body[0]) <= len(table.headers):
        return None
    return sniffed


def _is_workbook(path: Path) -> bool:
    """A ZIP file is read as a workbook unless it holds CSV files and no workbook parts."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # let the workbook reader give its message
    if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
        return True
    return not any(n.lower().endswith((".csv", *_WORKBOOK_SUFFIXES)) for n in names)


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


ZIP_MEMBER_LIMIT = 1024**3  # a .csv.zip's responses file, uncompressed
ZIP_RATIO_LIMIT = 1000  # a wide CSV of mostly empty cells compresses a few hundredfold
_unzipped: list[Path] = []


def _unzip_csv(path: Path, name: str) -> Path:
    """The responses CSV of a ZIP download (ODK Central's .csv.zip holds the form's CSV,
    one CSV per repeat group, and media): the CSV named after the archive, or the only
    one at its top level. Unpacked, with size limits checked before and while unpacking,
    to a private temporary file removed when relimpact exits."""
    import atexit
    import shutil
    import tempfile
    import zipfile

    with zipfile.ZipFile(path) as z:
        infos = [i for i in z.infolist() if i.filename.lower().endswith(".csv")]
        books = [
            i.filename for i in z.infolist() if i.filename.lower().endswith(_WORKBOOK_SUFFIXES)
        ]
        if not infos and books:
            raise ResponseError(
                f"this ZIP file holds an Excel workbook ({', '.join(books[:3])}) rather than "
                "being one, and no CSV file.",
                where=name,
                hint="Unzip it and give the workbook itself.",
            )
        if not infos:
            raise ResponseError(
                "this ZIP file holds no CSV file and is not an Excel workbook.",
                where=name,
                hint="Give the CSV or XLSX file itself, or the survey tool's .csv.zip download.",
            )
        stem = Path(name).name.lower().removesuffix(".zip").removesuffix(".csv")
        top = [i for i in infos if "/" not in i.filename.strip("/")]
        named = [i for i in infos if Path(i.filename).stem.lower() == stem]
        chosen = named or (top if len(top) == 1 else [])
        if len(chosen) != 1:
            listed = ", ".join(i.filename for i in infos[:6])
            raise ResponseError(
                f"this ZIP file holds several CSV files ({listed}) and none is named after it.",
                where=name,
                hint="Unzip it and give the form's main CSV file.",
            )
        info = chosen[0]
        if info.file_size > ZIP_MEMBER_LIMIT or info.file_size > ZIP_RATIO_LIMIT * max(
            info.compress_size, 1024
        ):
            raise ResponseError(
                f"{info.filename} inside this ZIP file would unpack to {info.file_size:,} "
                "bytes, more than relimpact reads from an archive.",
                where=name,
                hint="Unzip it yourself and give the CSV file.",
            )
        folder = Path(tempfile.mkdtemp(prefix="relimpact-"))
        atexit.register(shutil.rmtree, folder, True)
        out = folder / Path(info.filename).name
        with z.open(info) as src, out.open("wb") as dst:
            copied = 0
            while block := src.read(1024 * 1024):
                copied += len(block)
                if copied > info.file_size:
                    raise ResponseError(
                        f"{info.filename} inside this ZIP file is larger than it says.",
                        where=name,
                        hint="Download the file again from the survey tool.",
                    )
                dst.write(block)
    _unzipped.append(out)
    return out


_QUOTED_CELL = re.compile(r'^"(?:[^"]|"")*"$', re.S)


def _unquoted_tsv(path: Path, encoding: str, skip: int = 0) -> bool:
    """Google Sheets' TSV quotes nothing: every line has the header's number of tabs, and
    a cell may begin with '"' without being a quoted cell ('"Eight".'). Such a file is read
    as plain tab-separated lines. A TSV whose cells that begin with '"' are all properly
    quoted (Excel's "Unicode text") is read with quoting, as before."""
    with path.open(encoding=encoding, newline="") as f:
        lines = (line.rstrip("\r\n") for line in islice(f, skip, None))
        first = next(lines, None)
        if first is None:
            return False
        tabs = first.count("\t")
        unquoted = False
        for line in (first, *lines):
            if not line:
                continue
            if line.count("\t") != tabs:
                return False
            if not unquoted and '"' in line:
                unquoted = any(
                    c.startswith('"') and not _QUOTED_CELL.match(c) for c in line.split("\t")
                )
        return unquoted


def _sniff_encoding(path: Path, name: str, start: bytes, trust_utf8: bool = False) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252; anything else is an error."""
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        if b"\x00" in start[:_BINARY_SCAN]:
            _refuse_nul(name, start[:_BINARY_SCAN])
        encoding = "utf-8-sig" if start.startswith(codecs.BOM_UTF8) else "utf-8"
        if trust_utf8 and _decodes(start, encoding):
            if b"\x00" in start:  # past the first 64 KB: Arrow's pieces check the rest
                raise _nul_error(name, start[: start.index(0)].count(b"\n") + 1)
            return encoding
    bad = _first_undecodable(path, encoding, name)
    if bad is None:
        return encoding
    if encoding == "utf-16":
        raise ResponseError(
            "the file starts like UTF-16 text but cannot be read as such.",
            where=name,
            hint=_SAVE_AS_UTF8,
        )
    cp1252_bad, utf8_chars, non_utf8 = _scan_mixed(path, name)
    if utf8_chars >= non_utf8:
        raise _stray_bytes(path, name, bad, utf8_chars, non_utf8)
    if cp1252_bad is None:
        return "cp1252"
    offset, byte = cp1252_bad
    raise ResponseError(
        f"byte 0x{byte:02X} cannot be read as UTF-8 or as Windows-1252 text.",
        where=f"{name}, line {_line_of(path, offset)}",
        hint=_SAVE_AS_UTF8,
    )


_BINARY_SCAN = 64 * 1024  # the start of a file, searched for NUL bytes
_TEXT_CONTROLS = frozenset(b"\t\r\n")


def _refuse_nul(name: str, sample: bytes) -> None:
    """Refuse a file holding NUL bytes. A text file with a stray NUL or two (a cell pasted
    from another program) is named by the line of its first NUL, since that line is what
    to fix; anything else (a PNG, UTF-16 without a byte-order mark) is binary data."""
    nuls = sample.count(0)
    controls = {b for b in sample if b < 0x20} - _TEXT_CONTROLS - {0}
    if nuls * 20 < len(sample) and not controls:
        raise _nul_error(name, sample[: sample.index(0)].count(b"\n") + 1)
    raise ResponseError(
        "this is not a CSV or XLSX file (it contains binary data).",
        where=name,
        hint=(
            "Export the responses from the survey tool as CSV or Excel (.xlsx). "
            'A text file saved as UTF-16 without a byte-order mark must be saved as "CSV '
            'UTF-8".'
        ),
    )


def _nul_error(name: str, line: int) -> ResponseError:
    """A NUL byte (or, in UTF-16, a NUL character) on ``line`` of a text file: it would be
    read into a cell, where no export puts one."""
    return ResponseError(
        "this line holds a NUL byte (0x00), which is not text and cannot be in a CSV file.",
        where=f"{name}, line {line}",
        hint="Delete it in a text editor, or export the file again from the survey tool.",
    )


def _decodes(start: bytes, encoding: str) -> bool:
    """The start of a file decodes (a character cut at its end is no error)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(start, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _first_undecodable(path: Path, encoding: str, name: str = "") -> tuple[int, int] | None:
    """(offset, byte) of the first byte the encoding cannot decode, or None. The same
    pass refuses a NUL (``_nul_error``, named ``name``) before that byte, anywhere in the
    file: the first 64 KB were searched for one at the start, and a NUL past them would
    be read into a cell."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    lines = 1  # UTF-16: the lines decoded so far (its bytes do not count them)
    ascii_safe = encoding in ("utf-8", "cp1252")  # ASCII bytes are themselves in these
    wide = encoding == "utf-16"
    with path.open("rb") as f:
        while True:
            block = f.read(_SCAN_BYTES)
            nul = -1 if wide else block.find(b"\x00")  # at C speed, as isascii below
            if nul >= 0:
                try:  # a byte before the NUL that does not decode comes first
                    decoder.decode(block[:nul])
                except UnicodeDecodeError as e:
                    return offset + e.start, block[e.start]
                raise _nul_error(name, _line_of(path, offset + nul))
            # An ASCII block, with nothing left over from the one before, decodes: skip it
            # (most of an export is ASCII; isascii is many times faster than decoding).
            if ascii_safe and block and block.isascii() and not decoder.getstate()[0]:
                offset += len(block)
                continue
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as e:
                return offset + e.start, block[e.start] if e.start < len(block) else 0
            if wide:
                if "\x00" in text:
                    raise _nul_error(name, lines + text[: text.index("\x00")].count("\n"))
                lines += text.count("\n")
            if not block:
                return None
            offset += len(block)


def _scan_mixed(path: Path, name: str = "") -> tuple[tuple[int, int] | None, int, int]:
    """One pass over a file that is not all UTF-8: the first byte Windows-1252 cannot
    decode (or None), how many characters beyond ASCII do decode as UTF-8, and how many
    bytes do not.

    A Windows-1252 file rarely holds a valid UTF-8 sequence (an accented capital followed
    by a curly quote, say), so its bytes that are not UTF-8 far outnumber those that are.
    A UTF-8 file with a stray Windows-1252 byte pasted in is the other way round: reading
    it as Windows-1252 would turn every accent into mojibake ("rÃ©seau"). A NUL byte
    anywhere is refused (``_nul_error``), as ``_first_undecodable`` did not see past the
    first byte that is not UTF-8."""
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    utf8 = codecs.getincrementaldecoder("utf-8")("ignore")
    first: tuple[int, int] | None = None
    utf8_chars = non_utf8 = offset = 0
    with path.open("rb") as f:
        while True:
            block = f.read(_SCAN_BYTES)
            if b"\x00" in block:
                raise _nul_error(name, _line_of(path, offset + block.index(0)))
            pending = len(utf8.getstate()[0])
            if block and block.isascii() and not pending:
                offset += len(block)  # nothing to count, nothing cp1252 cannot decode
                continue
            if first is None:
                try:
                    cp1252.decode(block, final=not block)
                except UnicodeDecodeError as e:
                    first = offset + e.start, block[e.start] if e.start < len(block) else 0
            # The decoder drops what is not UTF-8 ("ignore", C speed): what it consumed
            # less what it kept is the count of those bytes.
            text = utf8.decode(block, final=not block)
            consumed = pending + len(block) - len(utf8.getstate()[0])
            non_utf8 += consumed - len(text.encode("utf-8"))
            utf8_chars += len(text) - len(text.encode("ascii", "ignore"))
            if not block:
                return first, utf8_chars, non_utf8
            offset += len(block)


def _stray_bytes(
    path: Path, name: str, bad: tuple[int, int], utf8_chars: int, non_utf8: int
) -> ResponseError:
    """A UTF-8 file with bytes of another encoding in it: named at the first such byte
    (with the character it is in Windows-1252, which it usually is: a curly quote)."""
    offset, byte = bad
    char = bytes([byte]).decode("cp1252", errors="ignore")
    shown = f" ({char!r} in Windows-1252)" if char.isprintable() and char.strip() else ""
    which = "" if non_utf8 == 1 else f" (the first of {non_utf8:,} such bytes)"
    return ResponseError(
        f"byte 0x{byte:02X}{shown} is not UTF-8{which}, although the rest of the file is "
        f"UTF-8 ({_plural(utf8_chars, 'character')} beyond ASCII): part of it was pasted in "
        "from another encoding.",
        where=f"{name}, line {_line_of(path, offset)}",
        hint=(
            "Correct that character in a text editor that reads the file as UTF-8 and re-save "
            "it as CSV UTF-8, or export the file again from the survey tool."
        ),
    )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _line_of(path: Path, offset: int) -> int:
    with path.open("rb") as f:
        return f.read(offset).count(b"\n") + 1


def _text_sample(path: Path, encoding: str, records: int = HEAD_RECORDS) -> str:
    """The start of the file, long enough to hold its first ``records`` records whole.

    256 KiB usually; a longer header (hundreds of columns of long question text) makes
    the sample grow, up to ``MAX_HEAD_CHARS``, so that no header row is ever cut short.
    """
    size = SAMPLE_CHARS
    with path.open(encoding=encoding, newline="") as f:
        sample = f.read(size)
        while len(sample) == size and _whole_records(sample, records) <= records:
            if size >= MAX_HEAD_CHARS:
                if _whole_records(sample, records) < 2 + records - HEAD_RECORDS:
                    raise ResponseError(
                        f"the first row (the column headers) is longer than "
                        f"{MAX_HEAD_CHARS:,} characters, far more than an export's headers.",
                        where=f"{path}, row 1",
                        hint="Check that this is the responses file as the survey tool "
                        "exported it.",
                    )
                break
            more = f.read(size * 3)
            sample += more
            size *= 4
            if not more:
                break
    return sample


def _whole_records(sample: str, most: int = HEAD_RECORDS) -> int:
    """How many records the sample starts (up to ``most + 1``), with quoted line breaks
    inside cells."""
    try:
        return sum(1 for _ in islice(csv.reader(io.StringIO(sample, newline="")), most + 1))
    except csv.Error:
        return 0


def _sample_records(sample: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    """Parse the sample; the last record is dropped when the sample is cut short."""
    _raise_field_limit()
    truncated = len(sample) >= SAMPLE_CHARS
    try:
        rows = list(islice(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), limit))
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


def _csv_records(
    path: Path, name: str, encoding: str, delimiter: str, quoting: bool = True
) -> Iterator[list[str]]:
    """Records, parsed exactly as ``csv.reader`` does, but faster on unquoted lines.

    A physical line holding no quote character is one record whose fields are
    the line split at the delimiter (what the csv module would return, at
    ``str.split`` speed); every other line is handed to a ``csv.reader`` that
    draws from the same queue of lines, so quoted cells with delimiters or
    line breaks are read by the csv module itself.
    """
    _raise_field_limit()
    if not quoting:
        with path.open(encoding=encoding, newline="") as f:
            for line in f:
                yield line.rstrip("\r\n").split(delimiter)
        return
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


def _as_xlsx_name(path: Path) -> Path:
    """openpyxl refuses a file by its suffix; a workbook under another name is reached
    through a private link named .xlsx (removed when relimpact exits)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return path
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="relimpact-"))
    atexit.register(shutil.rmtree, folder, True)
    link = folder / "workbook.xlsx"
    try:
        link.symlink_to(path.resolve())
    except OSError:
        shutil.copyfile(path, link)
    return link


def check_xlsx(path: Path, name: str) -> None:
    """Refuse a zip bomb and XML entity tricks before openpyxl unpacks anything.

    From the zip directory alone: too many parts, too many bytes unpacked in all, or a
    large part that unpacks to more than ``XLSX_MAX_RATIO`` times its packed size. Then
    the start of every XML part: no workbook has a document type declaration, so a
    ``<!DOCTYPE`` or ``<!ENTITY`` (billion laughs, external entities) is refused.
    """
    import zipfile

    again = "Export the responses again from the survey tool as .xlsx or as CSV UTF-8."
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > XLSX_MAX_PARTS:
                raise ResponseError(
                    f"this workbook holds {len(parts):,} parts; an Excel export holds a few "
                    "dozen, so it is refused unread.",
                    where=name,
                    hint=again,
                )
            total = sum(p.file_size for p in parts)
            if total > XLSX_MAX_UNPACKED:
                raise ResponseError(
                    f"this workbook would unpack to {total:,} bytes (more than "
                    f"{XLSX_MAX_UNPACKED:,}), so it is refused unread.",
                    where=name,
                    hint="Export it as CSV UTF-8 instead; relimpact reads CSV of any size.",
                )
            for p in parts:
                ratio = p.file_size / max(p.compress_size, 1)
                if p.file_size > XLSX_RATIO_FROM and ratio > XLSX_MAX_RATIO:
                    raise ResponseError(
                        f"the part {p.filename!r} would unpack {ratio:,.0f} times larger "
                        f"than it is packed ({p.file_size:,} bytes); a real export packs "
                        "less than 30 times, so this is refused unread as a zip bomb.",
                        where=name,
                        hint=again,
                    )
            for p in parts:
                if not p.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(p) as part:
                    start = part.read(_XML_PROLOG_BYTES)
                if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                    raise ResponseError(
                        f"the part {p.filename!r} declares a document type or XML entities, "
                        "which no Excel workbook does; refused unread (it could be an XML "
                        "entity attack).",
                        where=name,
                        hint=again,
                    )
    except ResponseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as e:
        raise ResponseError(
            f"this file starts like an .xlsx workbook but is not a readable ZIP ({e}).",
            where=name,
            hint=again,
        ) from None
    except (OSError, EOFError, ValueError, RuntimeError) as e:
        raise ResponseError(
            f"this .xlsx workbook is damaged and cannot be unpacked ({type(e).__name__}).",
            where=name,
            hint=again,
        ) from None
    except Exception as e:  # zlib.error and other damage found while unpacking
        raise ResponseError(
            f"this .xlsx workbook is damaged and cannot be unpacked ({type(e).__name__}).",
            where=name,
            hint=again,
        ) from None


def _open_workbook(path: Path, name: str):  # -> openpyxl Workbook
    import zipfile

    import openpyxl

    check_xlsx(path, name)
    try:  # by content, not name: a workbook saved under a .csv name is still a workbook
        return openpyxl.load_workbook(_as_xlsx_name(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        detail = (str(e).splitlines() or [""])[0][:200]
        raise ResponseError(
            f"this file cannot be opened as an Excel workbook ({type(e).__name__}: {detail}).",
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


def _xlsx_rows(
    path: Path, name: str, title: str | None = None
) -> Iterator[tuple[str, bool, tuple[object, ...]]]:
    """The rows of the workbook's responses sheet: the one named ``title``, or the one
    ``sheets.choose_sheet`` finds. Each item is ``(sheet title, whether the workbook holds
    other sheets, row values)``. A formula cell with no saved value is an error naming
    the file, sheet and cell."""
    from relimpact.read.sheets import NoSavedValue, choose_sheet, sheet_values

    wb = _open_workbook(path, name)
    try:
        if not wb.worksheets:
            raise ResponseError(
                "this workbook has no worksheet, so there are no responses to read.",
                where=name,
                hint="Export the responses again from the survey tool as .xlsx or CSV UTF-8.",
            )
        sheet = wb[title] if title else choose_sheet(wb, name)
        several = len(wb.worksheets) > 1
        rows = sheet_values(wb, sheet)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except ResponseError:
                raise
            except NoSavedValue as e:
                raise ResponseError(
                    "this cell holds a formula with no saved value, so its answer would be "
                    "read as blank.",
                    where=f'{name}, sheet "{sheet.title}", cell {e.coordinate}',
                    hint="Open the workbook in Excel or LibreOffice and save it (the "
                    "formulas are then calculated and their values saved), or export the "
                    "responses again from the survey tool.",
                ) from None
            except Exception as e:  # the sheet's XML is parsed as it streams
                raise ResponseError(
                    f"the worksheet '{sheet.title}' is damaged and cannot be read "
                    f"({type(e).__name__}).",
                    where=name,
                    hint="Open it in Excel or LibreOffice and save it again, or export the "
                    "responses again as .xlsx or CSV UTF-8.",
                ) from None
            yield sheet.title, several, row
    finally:
        wb.close()


def _xlsx_head(path: Path, name: str) -> tuple[list[list[str]], str, bool]:
    """The first records of the responses sheet as text, the sheet's title, and whether
    the workbook holds other sheets."""
    read = list(islice(_xlsx_rows(path, name), HEAD_RECORDS))
    title, several = (read[0][0], read[0][1]) if read else ("", False)
    head = [[_cell_text(v) for v in row] for _, _, row in read]
    for cells in head:  # read_only sheets may report padded dimensions
        while cells and cells[-1] == "":
            cells.pop()
    return head, title, several


def _xlsx_records(path: Path, name: str, width: int, title: str) -> Iterator[list[str]]:
    cell = _cell_text
    for _, _, values in _xlsx_rows(path, name, title):
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
_QUALTRICS_ROW2 = _QUALTRICS_TEXT | (_QUALTRICS_LEGACY - {"emailaddress"}) | {"ipaddress"}
_SURVEYMONKEY = ["respondent id", "collector id", "start date", "end date"]
# SurveyMonkey's metadata columns, current and older ("RespondentID, CollectorID, StartDate,
# EndDate, IP Address, Email Address, First Name, LastName, Custom Data").
SURVEYMONKEY_METADATA = {
    "respondent id",
    "respondentid",
    "collector id",
    "collectorid",
    "start date",
    "startdate",
    "end date",
    "enddate",
    "ip address",
    "email address",
    "first name",
    "firstname",
    "last name",
    "lastname",
    "custom data",
    "custom data 1",
    "custom data 2",
}
_SURVEYMONKEY_SUB = {"response", "open-ended response"}
# Microsoft Forms' first metadata columns in each language it exports: "ID", "Start time",
# "Completion time", "Email", "Name", "Last modified time".
MICROSOFT_FORMS = {
    "en": ("id", "start time", "completion time", "email", "name", "last modified time"),
    "de": ("id", "startzeit", "fertigstellungszeit", "e-mail", "name", "letzte änderungszeit"),
    "fr": (
        "id",
        "heure de début",
        "heure de fin",
        "adresse de messagerie",
        "nom",
        "heure de la dernière modification",
    ),
    "es": (
        "id",
        "hora de inicio",
        "hora de finalización",
        "correo electrónico",
        "nombre",
        "hora de la última modificación",
    ),
    "nl": (
        "id",
        "begintijd",
        "tijd van voltooien",
        "e-mail",
        "naam",
        "tijdstip van laatste wijziging",
    ),
    "it": (
        "id",
        "ora di inizio",
        "ora di completamento",
        "posta elettronica",
        "nome",
        "ora dell'ultima modifica",
    ),
    "pt": (
        "id",
        "hora de início",
        "hora de conclusão",
        "email",
        "nome",
        "hora da última modificação",
    ),
    "cy": ("id", "amser dechrau", "amser cwblhau", "e-bost", "enw", "amser addasu diwethaf"),
}
# Other spellings seen in exports of the same columns.
MS_FORMS_VARIANTS = {
    "de": ("beginnzeit", "abschlusszeit", "zeitpunkt der letzten änderung", "startzeitpunkt"),
    "fr": ("heure d'achèvement", "heure de la fin", "courrier", "e-mail"),
    "es": ("hora de finalizacion", "hora de la finalización", "correo"),
    "nl": ("starttijd", "voltooiingstijd", "tijd van voltooiing", "laatst gewijzigd"),
    "it": ("ora ultima modifica", "ora di fine", "e-mail"),
    "pt": ("hora de conclusao", "hora de inicio", "e-mail", "correio eletrónico"),
    "cy": ("amser gorffen", "ebost"),
}
# Qualtrics' metadata labels (the question-text row) in languages other than English.
_QUALTRICS_LABELS = {
    "de": {"anfangsdatum", "enddatum", "antworttyp", "ip-adresse", "beendet", "antwort-id"},
    "fr": {"date de début", "date de fin", "type de réponse", "adresse ip", "terminé"},
    "es": {"fecha de inicio", "fecha de finalización", "tipo de respuesta", "finalizado"},
    "nl": {"begindatum", "einddatum", "type antwoord", "ip-adres", "voltooid"},
    "it": {"data di inizio", "data di fine", "tipo di risposta", "indirizzo ip", "completato"},
    "pt": {"data de início", "data de término", "tipo de resposta", "endereço ip", "concluído"},
}
_LIMESURVEY_HEADING = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[^\[\]]*\])?)\. (.*)$", re.S)
_LIMESURVEY = [
    {"response id", "date submitted", "last page", "start language"},
    {"id", "submitdate", "lastpage", "startlanguage"},
]


def microsoft_forms_language(r0: list[str]) -> str:
    """The language of Microsoft Forms' metadata headers, or "" when these are not they."""
    if len(r0) < 3 or r0[0].rstrip(".") not in ("id", "identificador", "nº", "no"):
        return ""
    for lang, names in MICROSOFT_FORMS.items():
        known = set(names) | set(MS_FORMS_VARIANTS.get(lang, ()))
        if r0[1] in known and r0[2] in known:
            return lang
    return ""


def _qualtrics_language(labels: list[str]) -> str:
    keys = set(labels)
    if keys & _QUALTRICS_TEXT or {"finished", "progress", "status"} & keys:
        return "en"
    best = max(_QUALTRICS_LABELS, key=lambda lang: len(keys & _QUALTRICS_LABELS[lang]))
    return best if len(keys & _QUALTRICS_LABELS[best]) >= 2 else ""


def _surveymonkey(rows: list[list[str]]) -> bool:
    """SurveyMonkey: its metadata columns lead, or only "RespondentID" of them was kept and the
    second header row names the block's parts ("Response", "Open-Ended Response", choices)."""
    r0 = rows[0]
    if r0[:4] == _SURVEYMONKEY or r0[:4] == ["respondentid", "collectorid", "startdate", "enddate"]:
        return True
    if not r0 or r0[0] not in ("respondent id", "respondentid") or len(rows) < 2:
        return False
    r1 = rows[1]
    return bool(r1) and not r1[0] and any(c in _SURVEYMONKEY_SUB for c in r1)


def _redcap(r0: list[str]) -> bool:
    """REDCap's export: the record id first ("record_id", or "Record ID" in a labels
    export), and the instrument's completion status column ("FORM_complete", "Complete?")."""
    if not r0 or r0[0] not in ("record_id", "record id"):
        return False
    return any(c.endswith("_complete") or c == "complete?" for c in r0[1:])


def detect_layout(head: list[list[str]]) -> Layout:
    """The exporter and header layout, from the first few records' metadata columns."""
    rows = [[header_key(c) for c in r] for r in head]
    r0 = rows[0]
    keys = set(r0)
    r1 = set(rows[1]) if len(rows) > 1 else set()
    first = r0[0] if r0 else ""
    if _surveymonkey(rows):
        return Layout("surveymonkey", 2 if len(rows) > 1 else 1, 0, "en")
    if len(keys & _QUALTRICS_TAGS) >= 3 or (first == "v1" and "v2" in keys):
        if len(rows) > 2 and any(c.startswith('{"importid"') for c in rows[2]):
            return Layout("qualtrics", 3, 1, _qualtrics_language(rows[1]))
        # A second header row names the metadata columns again (legacy: "ResponseID", ...,
        # under V1..V10), in some language; a first respondent's row never does, so a
        # one-header file keeps its first respondent, whose IP address and name are then
        # never read as labels.
        if len(rows) > 1 and (r1 & _QUALTRICS_ROW2 or _qualtrics_language(rows[1])):
            return Layout("qualtrics", 2, 1, _qualtrics_language(rows[1]) or "en")
        return Layout("qualtrics", 1, 0, "en")
    if first == "timestamp":
        return Layout("google-forms", 1, 0, "en")
    if lang := microsoft_forms_language(r0):
        return Layout("microsoft-forms", 1, 0, lang)
    codes = {m.group(1).casefold() for c in head[0] if (m := _LIMESURVEY_HEADING.match(c.strip()))}
    if any(sig <= codes for sig in _LIMESURVEY[1:]):
        return Layout("limesurvey", 1, 0, "en", "code. text")
    if "_uuid" in keys or "_submission_time" in keys:
        return Layout("kobo", 1, 0)
    if "submissiondate" in keys and ("meta-instanceid" in keys or "key" in keys):
        return Layout("odk-central", 1, 0)
    if any(sig <= keys for sig in _LIMESURVEY):
        return Layout("limesurvey", 1, 0, "en")
    if first == "#" and ("submit date (utc)" in keys or "network id" in keys):
        return Layout("typeform", 1, 0)
    if "submission date" in keys and "submission id" in keys:
        return Layout("jotform", 1, 0)
    if _redcap(r0):
        return Layout("redcap", 1, 0)
    return Layout("csv", 1, 0)


def _import_id_row(row: list[str]) -> bool:
    """Qualtrics' third header row: cells such as ``{"ImportId":"QID1"}``."""
    return any(header_key(c).startswith('{"importid"') for c in row)


def _refuse_stray_import_ids(name: str, head: list[list[str]], layout: Layout) -> None:
    """A Qualtrics ImportId row below the header rows is what is left of a header whose
    other row was deleted: read as a response, its JSON cells would be blamed as answers."""
    for k, row in enumerate(head[layout.header_rows :], layout.header_rows + 1):
        if not _import_id_row(row):
            continue
        missing = (
            "the question-text row that comes before it in a Qualtrics export is missing"
            if layout.format == "qualtrics"
            else "the header rows above it are not the whole header of a Qualtrics export"
        )
        raise ResponseError(
            f'this is Qualtrics\' ImportId row (cells such as \'{{"ImportId":"QID1"}}\'), not '
            f"a response; {missing}, so the questions cannot be matched.",
            where=f"{name}, row {k}",
            hint="Export the responses again from Qualtrics, unedited (all three header rows).",
        )


_SURVEYMONKEY_FIXED = 9
_SURVEYMONKEY_WHOLE = {"", "response", "open-ended response"}


def _limesurvey_header(i: int, cell: str) -> Header:
    """LimeSurvey's "code. text" heading: the question text, and its code beside it."""
    cell = cell.replace("\ufeff", "").strip()
    m = _LIMESURVEY_HEADING.match(cell)
    if not m:
        return Header(i, cell, cell)
    return Header(i, cell, m.group(2).strip(), others=(m.group(1),))


def build_headers(head: list[list[str]], layout: Layout, width: int) -> tuple[Header, ...]:
    """Each column's header cells, with the question-text row chosen by the layout."""
    rows = [list(r) + [""] * (width - len(r)) for r in head[: layout.header_rows]]
    while len(rows) < layout.header_rows:
        rows.append([""] * width)
    text_row = rows[layout.text_row]
    if layout.headings == "code. text":
        return tuple(_limesurvey_header(i, text_row[i]) for i in range(width))
    if layout.format == "surveymonkey" and len(rows) > 1:
        headers = []
        current = ""
        fixed = 0  # the leading metadata columns, never part of a question's block
        while fixed < width and header_key(text_row[fixed]) in SURVEYMONKEY_METADATA:
            fixed += 1
        fixed = min(fixed, _SURVEYMONKEY_FIXED)
        for i in range(width):
            cell = text_row[i].replace("\ufeff", "").strip()
            if cell or i < fixed:
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


FAST_PATH_BYTES = 8 * 1024 * 1024  # CSV files this large are parsed by Arrow, if installed
# Arrow parses blocks of this size (on two cores, 1 MiB parses as fast as 4 MiB and keeps
# Arrow's own memory near 40 MB instead of 150 MB: it parses several blocks ahead).
_ARROW_BLOCK_BYTES = 1024 * 1024
# The characters Python's str.strip() removes, for Arrow's utf8_trim to remove the same.
# (tests/test_packed.py checks it against every code point).
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class Encoded(Sequence[str]):
    """One block of a column as Arrow dictionary-encodes it: the distinct strings and,
    per row, an index into them. A survey column holds few distinct answers, so a
    converter maps ``dictionary`` once and ``indices`` picks the results per row."""

    __slots__ = ("dictionary", "indices", "_filled")

    def __init__(self, dictionary: list[str], indices: Any, filled: Any = None) -> None:
        self.dictionary = dictionary
        self.indices = indices  # numpy int32
        self._filled = filled  # per dictionary entry: not blank (when already known)

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
        return Encoded(self.dictionary, self.indices[rows], self._filled)

    def filled_lut(self) -> Any:
        """Per dictionary entry: it is not blank (white space only is blank)."""
        if self._filled is None:
            import numpy as np

            d = self.dictionary
            self._filled = np.fromiter((bool(c.strip()) for c in d), bool, len(d))
        return self._filled

    def filled(self) -> Any:
        """Per row: the cell is not blank."""
        return self.filled_lut()[self.indices]


class ArrowText(Sequence[str]):
    """One block of a column whose cells are mostly all different (free text, times,
    member codes, emails, columns no question reads), as Arrow's string array: no
    Python string is made unless a cell is asked for."""

    __slots__ = ("array",)

    def __init__(self, array: Any) -> None:
        self.array = array  # pyarrow StringArray, no nulls

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self.array[i].to_pylist()
        return self.array[int(i)].as_py()

    def __iter__(self) -> Iterator[str]:
        return iter(self.array.to_pylist())

    def take(self, rows: Any) -> ArrowText:
        return ArrowText(self.array.take(rows))

    def trimmed(self) -> Any:
        """The cells with white space stripped as ``str.strip()`` strips it."""
        import pyarrow.compute as pc

        return pc.utf8_trim(self.array, PY_WHITESPACE)

    def filled(self) -> Any:
        """Per row: the cell is not blank (white space only is blank), as numpy bools."""
        import pyarrow.compute as pc

        return int32_values(pc.binary_length(self.trimmed())) > 0

    def is_ascii(self) -> bool:
        import pyarrow.compute as pc

        return bool(pc.all(pc.string_is_ascii(self.array)).as_py() is not False)


def int32_values(array: Any) -> Any:
    """An Arrow int32 array without nulls as a numpy view of its buffer. (``to_numpy``
    would do, but it imports pandas when pandas is installed: 0.3 s and 40 MB.)"""
    import numpy as np

    if str(array.type) != "int32" or array.null_count:  # never from our reader
        return np.array(array.to_pylist(), np.int32)
    return np.frombuffer(array.buffers()[1], np.int32, count=len(array), offset=array.offset * 4)


class ArrowUnsupported(Exception):
    """The file is not one Arrow reads exactly as the csv module does; use the csv path."""


class ArrowDoubt(ArrowUnsupported):
    """The file's pieces could not be proved to give what one Arrow reader over the whole
    file gives (see ``_parallel_batches``): read it again with ``serial=True``."""


def arrow_records(
    table: RawTable,
    coded: frozenset[int] | None = None,
    *,
    piece_bytes: int | None = None,
    workers: int | None = None,
    serial: bool = False,
) -> Iterator[tuple[list[Encoded | ArrowText], int]]:
    """Data records of a large UTF-8 CSV, parsed by Apache Arrow: blocks of columns and
    the number of records in each, in file order. The ``coded`` columns (all when None:
    the answers to closed questions, which take few distinct values) come
    dictionary-encoded (``Encoded``), the others as Arrow strings (``ArrowText``).

    The file is cut into pieces of about ``piece_bytes`` at record starts and the pieces
    are parsed on ``workers`` threads (see ``_parallel_batches``); the records, their
    order and every cell are exactly those of one Arrow reader over the whole file
    (``_serial_batches``; ``serial``: that reader alone). When that cannot be proved,
    ``ArrowDoubt`` is raised, perhaps after some blocks were given, and the caller reads
    the file again with ``serial``.

    Memory is bounded by the pieces in flight. Any record Arrow cannot read exactly as
    ``csv.reader`` would (a ragged line, a decoding problem) raises ``ArrowUnsupported``
    and the caller reads the file with the csv path instead, which gives the precise
    error or handles the quirk.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError:  # the [fast] extra is not installed: the csv path reads the file
        raise ArrowUnsupported("pyarrow is not installed") from None
    names = [f"c{i}" for i in range(table.width)]
    text = pa.dictionary(pa.int32(), pa.string())
    plain = pa.string()
    types = {n: text if coded is None or i in coded else plain for i, n in enumerate(names)}
    csv_options = _CsvOptions(pa, pcsv, table, names, types)
    try:
        # Per column, the last dictionary and its blank cells: blocks mostly repeat them.
        last: list[Encoded | None] = [None] * table.width
        batches = (
            _serial_batches(csv_options)
            if serial
            else _parallel_batches(csv_options, piece_bytes, workers)
        )
        for batch in batches:
            columns: list[Encoded | ArrowText] = []
            for i, col in enumerate(batch.columns):
                if not isinstance(col, pa.DictionaryArray):
                    columns.append(ArrowText(col))
                    continue
                d = col.dictionary.to_pylist()
                before = last[i]
                if before is not None and before.dictionary == d:
                    d = before.dictionary
                    filled = before.filled_lut()
                else:
                    filled = None
                enc = Encoded(d, int32_values(col.indices), filled)
                last[i] = enc
                columns.append(enc)
            yield columns, batch.num_rows
    except (pa.ArrowException, UnicodeDecodeError) as e:
        raise ArrowUnsupported(str(e)) from None


class _CsvOptions:
    """How Arrow reads one table: the same options for the whole file and for a piece,
    but for the header rows skipped at byte 0 and the threads of one reader."""

    def __init__(self, pa: Any, pcsv: Any, table: RawTable, names: list[str], types: Any):
        self.pa = pa
        self.pcsv = pcsv
        self.path = table.path
        self.header_rows = table.layout.header_rows
        # Arrow's skip_rows counts lines, not records: a line break in a quoted header
        # cell ("Start Date\n(local time)") would make it read the header's rest as data.
        # So Arrow starts at the first data record, found here.
        self.data_start, self.skip_rows = data_start(table)
        self.names = names
        self.delimiter = table.delimiter or ","
        self.parse = pcsv.ParseOptions(
            delimiter=self.delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
        )
        self.convert = pcsv.ConvertOptions(
            column_types=types,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )

    def read_options(self, start: int, *, use_threads: bool = True) -> Any:
        """For input that begins at byte ``start`` of the file, a record start (the
        first data record's, ``data_start``, or a later one; at 0, the header's lines
        are skipped when ``data_start`` says so)."""
        return self.pcsv.ReadOptions(
            skip_rows=self.skip_rows if start == 0 else 0,
            column_names=self.names,
            block_size=_ARROW_BLOCK_BYTES,
            encoding="utf8",
            use_threads=use_threads,
        )

    def reader(self, source: Any, start: int) -> Any:
        """A streaming reader of ``source``, which begins at byte ``start``."""
        return self.pcsv.open_csv(
            source,
            read_options=self.read_options(start),
            parse_options=self.parse,
            convert_options=self.convert,
        )

    def table(self, source: Any, start: int) -> Any:
        """All of ``source``, which begins at byte ``start``, read on this thread in one
        call (a streaming reader would take the GIL for every block, and wait for it)."""
        return self.pcsv.read_csv(
            source,
            read_options=self.read_options(start, use_threads=False),
            parse_options=self.parse,
            convert_options=self.convert,
        )


# A large file is parsed in pieces of this many bytes or so, cut at record starts, on
# this many threads at once (Arrow parses without the GIL; the main thread meanwhile turns
# the parsed pieces into columns). At a million rows 8 MiB pieces parsed as fast as 16 or
# 32 (4 MiB: a little slower), and with ARROW_WORKERS + 1 pieces in flight they hold some
# 30 MB less at the peak than 16 MiB pieces.
ARROW_PIECE_BYTES = 8 * 1024 * 1024
ARROW_WORKERS = 2
_MIN_PIECE_BYTES = 1024 * 1024
# A piece with no record start in it grows, by doubling, to this many times the piece
# size (a cell of many megabytes); past that the file is read again by one reader.
_PIECE_GROWTH = 4
_BOM = b"\xef\xbb\xbf"


def _serial_batches(opts: _CsvOptions) -> Iterator[Any]:
    """The file's records read by one streaming Arrow reader (as before pieces), from
    the first data record (``opts.data_start``), in batches of ``ARROW_GROUP_ROWS`` or
    more. Meanwhile a thread checks that every quote from there on is structural
    (``_Quotes``); if one is not, ``ArrowUnsupported`` is raised, perhaps after some
    batches were given, and at the latest before the reader's end is."""
    watch = _QuoteWatch(opts.path, opts.data_start, opts.delimiter)
    stream = None
    try:
        if opts.data_start == 0:
            batches = _grouped(opts.reader(opts.path, 0), opts.pa)
        else:
            stream = opts.pa.OSFile(str(opts.path))
            stream.seek(opts.data_start)
            batches = _grouped(opts.reader(stream, opts.data_start), opts.pa)
        for batch in batches:
            if watch.failed():
                break
            yield batch
            del batch
        if not watch.result():
            raise ArrowUnsupported("a quote in the file is not structural")
    finally:
        watch.close()
        if stream is not None:
            stream.close()


@dataclass
class _Piece:
    start: int  # the byte where it begins: 0, or a record start
    data: bytes | None  # the bytes read from ``start`` on (None: no record start found)
    end: int  # how many of ``data`` are the piece's
    last: bool  # it ends at the end of the file


@dataclass
class _Parsed:
    batch: Any  # one record batch of the piece's records (None: no records)
    clean: bool  # the piece's last byte provably ended a record (see _parse_piece)
    longest: int = 0  # at least the bytes of its longest record (``_longest_record``)


def _parallel_batches(
    opts: _CsvOptions, piece_bytes: int | None = None, workers: int | None = None
) -> Iterator[Any]:
    """The records of the file in order, its pieces parsed on ``workers`` threads.

    A piece is cut after a line end that is outside quotes by quote parity (an even
    number of '"' bytes before it: ``_last_record_start``). Parity is Arrow's quote state
    in well-formed CSV only: a '"' inside an unquoted cell (``5" tall``) is a literal to
    Arrow and turns parity over. So no piece's records are given before its end is proved
    to be a record end: Arrow reads a piece as it would read those bytes of the file, from
    the piece's start, which is a record start, being the proved end of the piece before
    it (or byte 0). Had the piece ended inside a quoted cell, Arrow would end the piece's
    last record with that open cell, holding the piece's last byte (a line end), or raise
    if the record then lacked cells (Arrow keeps an unterminated quoted cell at the end of
    its input; tests/test_arrow_pieces.py holds it to that). A piece whose last cell does
    not end in a line end therefore ended a record. One whose last cell does (or that
    raised, or that has no record, or that found no record start within its size times
    ``_PIECE_GROWTH``) is in doubt, and so is a piece with a record that may be longer
    than Arrow's block: whether Arrow takes such a record or refuses it ("straddles two
    block boundaries") depends on where the blocks fall, and they fall elsewhere in a
    piece. On a doubt the pieces in flight are dropped and ``ArrowDoubt`` is raised, for
    the file to be read again by one reader: never a guess. A cut is never made before a
    byte-order mark, which Arrow drops at the start of its input.

    Arrow is lenient where ``csv.reader(strict=True)`` is not (a closing quote followed
    by other text continues the cell; a cell open at the end of the file is kept), so
    each worker first checks that every quote of its piece is structural (``_Quotes``),
    from the piece's start on: a record start, as every piece before it passed the same
    check, which makes parity the parsers' quote state (and so the cuts true record
    starts). A piece that fails raises ``ArrowUnsupported``, in the pieces' order: the
    csv path reads the file.
    """
    import queue
    import threading
    from concurrent.futures import Future, ThreadPoolExecutor

    size = opts.path.stat().st_size
    if workers is None:
        from relimpact.common.parallel import thread_count

        workers = min(ARROW_WORKERS, thread_count())  # RELIMPACT_THREADS counts here too
    if piece_bytes is None:
        piece_bytes = max(_MIN_PIECE_BYTES, min(ARROW_PIECE_BYTES, size // (2 * workers) + 1))
    # The pieces are read and cut on a thread of their own (file reads and numpy's counts
    # run without the GIL), at most ``workers + 1`` ahead of the records given.
    room = threading.Semaphore(workers + 1)
    planned: queue.SimpleQueue[tuple[_Piece, Future[_Parsed] | None] | BaseException | None]
    planned = queue.SimpleQueue()
    stop = threading.Event()
    pool = ThreadPoolExecutor(workers, thread_name_prefix="relimpact-csv")

    def plan() -> None:
        try:
            with opts.path.open("rb") as f:
                pieces = _pieces(f, piece_bytes, piece_bytes * _PIECE_GROWTH, opts.data_start)
                while True:
                    room.acquire()
                    if stop.is_set():
                        return
                    piece = next(pieces, None)
                    if piece is None:
                        break
                    if piece.data is None:  # no record start found: a doubt
                        planned.put((piece, None))
                        break
                    future = pool.submit(_parse_piece, opts, piece.data, piece.start, piece.end)
                    piece.data = None  # the worker holds the bytes until they are parsed
                    planned.put((piece, future))
            planned.put(None)
        except BaseException as e:  # given to the reading thread, which raises it
            planned.put(e)

    planner = threading.Thread(target=plan, name="relimpact-csv-plan", daemon=True)

    def halt() -> None:
        """Stop reading ahead; drop the pieces in flight; join every thread."""
        stop.set()
        room.release()
        if planner.ident is not None:
            planner.join()
        while True:
            try:
                item = planned.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, tuple) and item[1] is not None:
                item[1].cancel()
        pool.shutdown(wait=True, cancel_futures=True)

    try:
        planner.start()
        while True:
            item = planned.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            piece, future = item
            parsed = None
            if future is not None:
                try:
                    parsed = future.result()
                except (opts.pa.ArrowException, UnicodeDecodeError):
                    # even in the last piece: an error may be the file's own (one reader
                    # then raises it too) or a long record's, which depends on the blocks
                    parsed = None
                future = None
            if parsed is not None and (parsed.clean or piece.last):
                if parsed.batch is not None:
                    batch, parsed.batch = parsed.batch, None
                    if parsed.longest > _ARROW_BLOCK_BYTES:
                        raise ArrowDoubt("a record may be longer than Arrow's block")
                    yield batch
                    del batch
                room.release()
                continue
            raise ArrowDoubt(f"the piece from byte {piece.start} did not provably end a record")
    finally:
        halt()


def _longest_record(pa: Any, batch: Any) -> int:
    """At least the bytes of the batch's longest record: per column, its longest cell
    (a dictionary of a few kilobytes counts whole), each counted as if every character
    were a doubled quote, with its quotes and delimiter, and the line end."""
    import pyarrow.compute as pc

    total = 2
    for col in batch.columns:
        values = col.dictionary if isinstance(col, pa.DictionaryArray) else col
        size = values.nbytes
        if size > 4096 and len(values):
            size = pc.max(pc.binary_length(values)).as_py() or 0
        total += 2 * size + 3
    return total


def _pieces(f: Any, piece_bytes: int, most: int, start: int = 0) -> Iterator[_Piece]:
    """The file's pieces in order from byte ``start`` (the first data record's): about
    ``piece_bytes`` each, each but the last ending at the last candidate record start of
    the bytes read (``_last_record_start``); a piece with none grows up to ``most`` bytes,
    then the rest is one piece without data (a doubt: the file is read again by one
    reader)."""
    want = piece_bytes
    while True:
        f.seek(start)
        data = f.read(want)
        if len(data) < want:  # the end of the file
            if data:
                yield _Piece(start, data, len(data), True)
            return
        cut = _last_record_start(data)
        if cut is None:
            if want >= most:
                yield _Piece(start, None, 0, True)
                return
            want *= 2
            continue
        yield _Piece(start, data, cut, False)
        del data
        start += cut
        want = piece_bytes


def data_start(table: RawTable) -> tuple[int, int]:
    """Where Arrow starts reading a CSV file's data: ``(byte, lines to skip there)``.

    The byte is where the first data record begins, after the ``preamble`` (Excel's
    ``sep=`` line) and the ``layout.header_rows`` header records as ``csv.reader`` reads
    them (a line end in a quoted cell is part of the cell; CRLF, LF and a lone CR end
    records), checked by reading those bytes with ``csv.reader(strict=True)`` (the
    data's quotes are checked as Arrow reads them, the
    header's only here). Arrow's own ``skip_rows`` counts lines, not records, so it serves
    only at byte 0 of a header without line breaks in its cells: there when the first
    data record begins with a byte-order mark, which Arrow would drop at the start of its
    input (as part of the record's first cell it is kept); ``(0, 0)`` without header
    rows. ``ArrowUnsupported`` (for the csv path) when the header's records cannot be
    found exactly or are not well-formed CSV, or a header with line breaks in its cells
    is followed by such a mark.
    """
    rows = table.preamble + table.layout.header_rows  # Excel's sep= line, then the header
    if rows == 0:
        return 0, 0
    data = b""
    with table.path.open("rb") as f:
        while True:
            more = f.read(max(1 << 16, len(data)))
            data += more
            end = _after_records(data, rows, final=not more)
            if end is not None and (len(data) >= end + 3 or not more):
                break
    if data.find(b"\x00", 0, end) >= 0:
        raise ArrowUnsupported("a NUL byte in the header")
    head = data[:end].decode("utf-8-sig", "replace")
    try:  # strict, as the csv path reads them: it refuses a header with a bad quote
        read = list(
            csv.reader(io.StringIO(head, newline=""), delimiter=table.delimiter or ",", strict=True)
        )
    except csv.Error:
        raise ArrowUnsupported("the header records are not well-formed CSV") from None
    if len(read) != rows:
        raise ArrowUnsupported("the header records could not be found exactly")
    if not data.startswith(_BOM, end):
        return end, 0
    lines = len(re.findall(rb"\r\n|\r|\n", data[:end]))
    if lines != rows:
        raise ArrowUnsupported("line breaks in the header and a byte-order mark after it")
    return 0, rows


def _after_records(data: bytes, rows: int, final: bool) -> int | None:
    """The offset just after the ``rows``-th record of ``data`` (quotes toggle being
    inside a cell; LF, CRLF or a lone CR end a record outside one); with ``final`` (no
    more bytes follow), the end of ``data`` when it holds fewer. None: read more."""
    inside = False
    found = 0
    for m in re.finditer(rb'["\r\n]', data):
        at = m.start()
        c = data[at]
        if c == 34:
            inside = not inside
            continue
        if inside:
            continue
        if c == 13:
            if at + 1 >= len(data) and not final:
                return None  # a CR at the end of what was read: is an LF next?
            if data[at + 1 : at + 2] == b"\n":
                continue  # CRLF: the record ends at the LF
        found += 1
        if found == rows:
            return at + 1
    return len(data) if final else None


def _last_record_start(data: bytes) -> int | None:
    """The last offset in ``data`` (which begins at a record start) just after a line end
    (LF; CR not followed by LF) with an even number of '"' before it and no byte-order
    mark at it; None if there is none. (A candidate only: see ``_parallel_batches``.)
    Offsets in the last 3 bytes are not taken (the mark could not be seen whole)."""
    import numpy as np

    a = np.frombuffer(data, np.uint8)
    top = len(a) - 3
    window = 64 * 1024
    while True:
        lo = max(0, top - window)
        tail = a[lo : top + 3]
        ends = np.flatnonzero(tail[:-3] == 10) + 1
        cr = np.flatnonzero(tail[:-3] == 13)
        if len(cr):
            lone = cr[tail[cr + 1] != 10] + 1
            if len(lone):
                ends = np.union1d(ends, lone)
        if len(ends):
            quotes = int(np.count_nonzero(a[:lo] == 34)) if lo else 0
            inside = np.flatnonzero(tail == 34)
            even = (quotes + np.searchsorted(inside, ends)) % 2 == 0
            ends = ends[even]
            bom = (tail[ends] == 0xEF) & (tail[ends + 1] == 0xBB) & (tail[ends + 2] == 0xBF)
            ends = ends[~bom]
            if len(ends):
                return lo + int(ends[-1])
        if lo == 0:
            return None
        window *= 8


# ------------------------------------------------------------------ quoting Arrow reads alike

# The quotes of this many bytes at a time (numpy's temporaries stay in the cache).
_QUOTE_CHUNK = 1024 * 1024


class _Quotes:
    """Whether every '"' of a run of bytes is *structural*: where ``csv.reader(strict=True)``
    and Arrow treat it alike, so that both read the same records or both read none.

    Fed in order, from a record start outside quotes (byte 0 of a piece; at byte 0 of the
    file, after a byte-order mark) in chunks cut anywhere, it numbers the quotes: even
    ones open a cell by parity, odd ones close it (or begin a doubled ``""``). With S the
    delimiter, CR and LF, and T = S and '"', it holds when

    - each even quote follows a byte in T, or is the first byte: it follows a
      delimiter or a line end outside quotes (a cell's start, where both parsers open a
      quoted cell), or directly the odd quote before it (the second of a ``""``, which
      both read as one '"');
    - each odd quote is followed by a byte in T, or is the file's last byte: it closes
      the cell before a delimiter or a line end, or is the first of a ``""``;
    - the file holds an even number of quotes (``done``: no quoted cell left open).

    By induction over the quotes, parity is then both parsers' quote state, every line
    end and delimiter outside quotes by parity is one to both, and the records are the
    same. Each rule refused is one ``csv.reader(strict=True)`` refuses (a closing quote
    followed by other text, Arrow's lenient continuation of the cell; a cell open at the
    end of the file), or a '"' that is not at a cell's start and so is text to both
    parsers (``5" tall``, ``x "y"``, a quote after a byte-order mark within the file):
    the parity of the quotes after it is not the parsers' state, and the csv path, slower
    but exact, reads such a file. Per byte it costs a compare; per quote, the gather of
    one neighbouring byte (numpy, without the GIL).
    """

    def __init__(self, delimiter: str) -> None:
        self.delimiter = ord(delimiter)
        self.odd = False  # an odd number of quotes so far: inside a quoted cell by parity
        self.before = True  # the byte before the next is in T, or there is none
        self.pending = False  # the last byte was an odd quote: the next must be in T
        self.ok = True

    def _in_t(self, byte: int) -> bool:
        return byte in (34, self.delimiter, 10, 13)

    def feed(self, a: Any) -> bool:
        """Check the next bytes (a numpy uint8 array); False once a quote is not structural."""
        import numpy as np

        n = len(a)
        if not n or not self.ok:
            return self.ok
        if self.pending and not self._in_t(int(a[0])):
            self.ok = False
            return False
        d = self.delimiter
        pending = False
        mask = np.empty(min(n, _QUOTE_CHUNK), bool)
        for lo in range(0, n, _QUOTE_CHUNK):
            hi = min(n, lo + _QUOTE_CHUNK)
            at = np.flatnonzero(np.equal(a[lo:hi], 34, out=mask[: hi - lo]))
            k = len(at)
            if not k:
                continue
            # each quote's neighbour to check (offsets in ``a``): the byte before an even
            # quote, the byte after an odd one
            even = 1 if self.odd else 0
            at[even::2] += lo - 1
            at[1 - even :: 2] += lo + 1
            first, last = 0, k
            if at[0] < 0:  # an even quote at the first byte: what came before
                if not self.before:
                    self.ok = False
                    return False
                first = 1
            if at[-1] >= n:  # an odd quote at the last byte: the next byte decides
                pending = True
                last = k - 1
            near = np.take(a, at[first:last])
            if not ((near == 34) | (near == d) | (near == 10) | (near == 13)).all():
                self.ok = False
                return False
            self.odd ^= bool(k & 1)
        self.before = self._in_t(int(a[-1]))
        self.pending = pending
        return True

    def done(self, end_of_file: bool) -> bool:
        """At the end of what was fed, which is the end of the file or a record's end: no
        quoted cell is open, and an odd quote at the last byte ends the file."""
        return self.ok and not self.odd and (end_of_file or not self.pending)


def _start_of_data(data: Any, start: int) -> Any:
    """The bytes from a record start: at byte 0 of the file, after its byte-order mark
    (which the csv path's utf-8-sig and Arrow both drop)."""
    if start == 0 and bytes(data[:3]) == _BOM:
        return data[3:]
    return data


def _quotes_hold(delimiter: str, data: bytes, start: int, end: int) -> bool:
    """Every quote of a piece (``data[:end]``, from byte ``start`` of the file, a record
    start) is structural (``_Quotes``). A piece that holds the rest of the file (``end
    == len(data)``; every other piece's last byte is a line end) may end in a closing
    quote."""
    import numpy as np

    check = _Quotes(delimiter)
    check.feed(_start_of_data(np.frombuffer(data, np.uint8, count=end), start))
    return check.done(end_of_file=end == len(data))


class _QuoteWatch:
    """``_Quotes`` over a whole file from byte ``start`` (a record start), read in
    chunks on a thread of its own while one Arrow reader parses the file."""

    def __init__(self, path: Path, start: int, delimiter: str) -> None:
        import threading

        self.path, self.start, self.delimiter = path, start, delimiter
        self.verdict: bool | None = None  # None while checking
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="relimpact-csv-quotes", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import numpy as np

        try:
            check = _Quotes(self.delimiter)
            buffer = bytearray(4 * _QUOTE_CHUNK)
            at = self.start
            with self.path.open("rb") as f:
                f.seek(at)
                while not self.stop.is_set():
                    got = f.readinto(buffer)
                    if not got:
                        self.verdict = check.done(end_of_file=True)
                        return
                    a = np.frombuffer(buffer, np.uint8, count=got)
                    # a NUL, like a quote that is not structural, is for the csv path,
                    # whose whole-file check names its line
                    if buffer.find(b"\x00", 0, got) >= 0 or not check.feed(_start_of_data(a, at)):
                        self.verdict = False
                        return
                    at += got
        except BaseException as e:  # raised by ``result`` on the reading thread
            self.error = e

    def failed(self) -> bool:
        """A quote was found not structural (so far)."""
        return self.verdict is False

    def result(self) -> bool:
        """Wait for the end of the file: every quote structural, none left open."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return bool(self.verdict)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def _parse_piece(opts: _CsvOptions, data: bytes, start: int, end: int) -> _Parsed:
    """One piece's records as one batch (on a worker thread; Arrow parses without the
    GIL), and whether its last byte provably ended a record: its last record's last cell
    does not end in a line end (see ``_parallel_batches``). First its quotes are checked
    (``_quotes_hold``): a piece with a quote that is not structural raises
    ``ArrowUnsupported``, for the csv path to read the file (which refuses it with the
    record's line, or reads the literal quote)."""
    if not _quotes_hold(opts.delimiter, data, start, end):
        raise ArrowUnsupported(f"a quote in the piece from byte {start} is not structural")
    if data.find(b"\x00", 0, end) >= 0:  # the csv path's whole-file check names its line
        raise ArrowUnsupported(f"a NUL byte in the piece from byte {start}")
    pa = opts.pa
    table = opts.table(pa.BufferReader(pa.py_buffer(data).slice(0, end)), start)
    del data
    if not table.num_rows:
        return _Parsed(None, False)
    batch = table.combine_chunks().to_batches()[0]
    del table
    cell = batch.column(batch.num_columns - 1)[batch.num_rows - 1].as_py()
    clean = not (isinstance(cell, str) and cell.endswith(("\n", "\r")))
    return _Parsed(batch, clean, _longest_record(pa, batch))


# Arrow's small blocks are joined into blocks of at least this many records before they are
# read: what costs per block (a few numpy calls per column) is then paid a few dozen times
# for a million rows, not a thousand times.
ARROW_GROUP_ROWS = 16_384


def _grouped(reader: Any, pa: Any) -> Iterator[Any]:
    """Arrow's record batches joined into batches of ``ARROW_GROUP_ROWS`` or more rows
    (dictionaries unified), the last one whatever is left."""
    group: list[Any] = []
    rows = 0
    for batch in reader:
        group.append(batch)
        rows += batch.num_rows
        if rows >= ARROW_GROUP_ROWS:
            yield _joined(group, pa)
            group, rows = [], 0
    if group:
        yield _joined(group, pa)


def _joined(batches: list[Any], pa: Any) -> Any:
    if len(batches) == 1:
        return batches[0]
    table = pa.Table.from_batches(batches).combine_chunks()
    return table.to_batches()[0]


def is_large(path: Path) -> bool:
    return path.stat().st_size >= FAST_PATH_BYTES


def arrow_available() -> bool:
    """Whether pyarrow is installed (the optional ``[fast]`` extra: ``pip install
    'relimpact[fast]'``). Without it every file is read by the csv path, which streams
    in bounded memory too, at about half the speed on large files."""
    import importlib.util

    try:
        return importlib.util.find_spec("pyarrow") is not None
    except (ImportError, ValueError):
        return False


def use_arrow(table: RawTable) -> bool:
    """Large UTF-8 CSV files go through Arrow when it is installed; everything else
    through the csv module."""
    return (
        table.kind == "csv"
        and table.quoting
        and table.encoding in ("utf-8", "utf-8-sig")
        and is_large(table.path)
        and arrow_available()
    )
