"""A large CSV file is parsed by Arrow in pieces, on several threads: the records must be
exactly those of one Arrow reader over the whole file, on every file.

The pieces are cut at record starts found by quote parity, which is Arrow's quote state
only in well-formed quoting; each piece's end is proved before its records are given, and
a piece in doubt sends the rest of the file to one reader (readers._parallel_batches).
Here pieces of a few dozen bytes force a boundary at every kind of place.
"""

from __future__ import annotations

import csv
import random
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pytest

from relimpact.common.errors import ResponseError
from relimpact.read import readers
from relimpact.read.readers import ArrowDoubt, ArrowUnsupported, arrow_records, open_table

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real-exports"


DOUBTS: list[int] = []  # piece sizes whose pieces were in doubt (the file read again)


def _rows(path: Path, coded: frozenset[int] | None, **how: object) -> list[tuple[str, ...]] | str:
    """Every record as a tuple of cells; or the error. Pieces in doubt are read again by
    one reader, as reading.read_responses does (and the doubt is noted in DOUBTS)."""
    table = open_table(path, trust_utf8=True)
    out: list[tuple[str, ...]] = []
    try:
        for columns, n in arrow_records(table, coded, **how):  # type: ignore[arg-type]
            cells = [list(c) for c in columns]
            assert all(len(c) == n for c in cells)
            out.extend(zip(*cells, strict=True))
    except ArrowDoubt:
        assert not how.get("serial")
        DOUBTS.append(int(how.get("piece_bytes") or 0))  # type: ignore[call-overload]
        return _rows(path, coded, serial=True)
    except ArrowUnsupported:
        return "ArrowUnsupported"
    return out


def _same(path: Path, pieces: list[int], coded: frozenset[int] | None = None) -> object:
    """The records with every piece size, against one reader's; returns those."""
    serial = _rows(path, coded, serial=True)
    for size in pieces:
        got = _rows(path, coded, piece_bytes=size)
        assert got == serial, f"piece size {size}"
    return serial


def _no_worker_threads() -> bool:
    return not [t for t in threading.enumerate() if t.name.startswith("relimpact-csv")]


AWKWARD = [
    "plain",
    "",
    "with, a comma",
    'with "quotes" inside',
    '"',
    '""',
    "two\nlines",
    "crlf\r\ninside",
    "ends with a newline\n",
    "ends with a return\r",
    "\n",
    "ünïcødé ✓ 你好",
    "\ufeffstarts with a byte-order mark",
    "a;semi;colon",
    "a\ttab",
    " spaced ",
]

PLAIN = [c for c in AWKWARD if not c.endswith(("\n", "\r"))]


def _awkward_file(
    path: Path,
    rows: int,
    *,
    delimiter: str = ",",
    newline: str = "\n",
    seed: int = 1,
    last: list[str] = AWKWARD,
) -> Path:
    """A well-formed CSV of awkward cells (the last column's from ``last``; a last cell
    that ends in a line end makes its piece doubtful, if it is a piece's last): quoted when it
    holds the delimiter, a quote or a line end of either kind (as Excel and survey tools
    write; csv.writer leaves a lone CR unquoted when lines end in LF)."""
    rng = random.Random(seed)

    def cell(c: str) -> str:
        if any(x in c for x in (delimiter, '"', "\r", "\n")):
            return '"' + c.replace('"', '""') + '"'
        return c

    lines = [delimiter.join(["id", "first", "second", "last"])]
    for i in range(rows):
        cells = [str(i), rng.choice(AWKWARD), rng.choice(AWKWARD), rng.choice(last)]
        lines.append(delimiter.join(map(cell, cells)))
    path.write_bytes((newline.join(lines) + newline).encode("utf-8"))
    return path


@pytest.fixture(autouse=True)
def _pieces_may_grow(monkeypatch: pytest.MonkeyPatch) -> None:
    # a piece of a few dozen bytes may grow to hold the header row and the longest record
    monkeypatch.setattr(readers, "_PIECE_GROWTH", 1024)
    DOUBTS.clear()


# ------------------------------------------------------------- what Arrow does at the end


def _arrow(data: bytes, width: int) -> list[dict[str, str]]:
    names = [f"c{i}" for i in range(width)]
    table = pcsv.read_csv(
        pa.BufferReader(data),
        read_options=pcsv.ReadOptions(column_names=names),
        parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
    )
    return table.to_pylist()


def test_arrow_keeps_an_open_quoted_cell_at_the_end_with_its_line_end() -> None:
    # The proof that a piece ended a record rests on this: a piece cut inside a quoted cell
    # ends with that cell holding the piece's last byte, or raises. If a pyarrow release
    # changes it (drops the open record), readers._parse_piece must be rethought.
    assert _arrow(b'1,2\n3,"x\n', 2)[-1] == {"c0": "3", "c1": "x\n"}
    assert _arrow(b'1,"x\r', 2)[-1] == {"c0": "1", "c1": "x\r"}
    assert _arrow(b'1,"x\n\n', 2)[-1] == {"c0": "1", "c1": "x\n\n"}
    with pytest.raises(pa.ArrowInvalid, match="Expected 3 columns"):
        _arrow(b'1,"x\n', 3)


# ---------------------------------------------------------------- the same records


@pytest.mark.parametrize("coded", [None, frozenset()], ids=["dictionary", "strings"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_awkward_cells_at_every_boundary(tmp_path: Path, newline: str, coded) -> None:  # noqa: ANN001
    sizes = [16, 37, 64, 101, 200, 333, 1000]
    path = _awkward_file(tmp_path / "a.csv", 120, newline=newline)
    serial = _same(path, sizes, coded)
    assert isinstance(serial, list) and len(serial) == 120
    DOUBTS.clear()
    path = _awkward_file(tmp_path / "b.csv", 120, newline=newline, last=PLAIN)
    assert isinstance(_same(path, sizes, coded), list)
    assert len(DOUBTS) <= 2  # the pieces' own records were compared


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_other_delimiters(tmp_path: Path, delimiter: str) -> None:
    path = _awkward_file(tmp_path / "a.csv", 80, delimiter=delimiter, newline="\r\n", seed=2)
    assert open_table(path).delimiter == delimiter
    _same(path, [23, 64, 150])


def test_every_cut_position_of_a_small_file(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    # Every piece size from 8 to 300 bytes: a record ends exactly at a piece's read limit,
    # a cell ends with a line end at a boundary, a cut falls beside a CR LF, and so on.
    path = _awkward_file(tmp_path / "a.csv", 30, newline="\r\n", seed=3, last=PLAIN)
    sizes = list(range(24, 300))  # (a first piece of the header alone is in doubt)
    _same(path, sizes)
    assert len(DOUBTS) < len(sizes) // 4  # the pieces' own records were compared


def test_a_cell_ending_in_a_line_end_at_a_boundary_is_doubted(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    # Such a piece ended a record, but its last cell looks like an open one: the rest is
    # read serially (right, if slower); the records are the same.
    path = tmp_path / "nl.csv"
    path.write_bytes(b"a,b\n" + b"0,plain\n" * 20 + b'1,"ends\n"\n' * 50)
    serial = _same(path, [40])
    assert isinstance(serial, list) and serial[20] == ("1", "ends\n")
    assert DOUBTS == [40]


def _csv_rows(path: Path) -> list[tuple[str, ...]]:
    """The data records as the csv path reads them (header row left out)."""
    return [tuple(r) for r in open_table(path).records()][1:]


def test_a_literal_quote_that_breaks_parity_goes_to_the_csv_path(tmp_path: Path) -> None:
    # '5" tall' is a literal quote to Arrow and csv alike (it is not at a cell's start); quote
    # parity after it is not their quote state, so the cuts after it would fall inside
    # quoted cells. Both kinds of wrong cut: the open cell is the last one (it holds the
    # line end), or not (too few cells). The quote check sends the file to the csv path
    # (which reads it) before any piece is trusted, and so does one reader's.
    for name, row in (("last", b'2,"x\ny"\n'), ("first", b'"x\ny",2\n')):
        path = tmp_path / f"{name}.csv"
        path.write_bytes(b"a,b\n" + b"0,ok\n" * 20 + b'1,5" tall\n' + row * 200)
        DOUBTS.clear()
        assert _same(path, [50, 64, 97]) == "ArrowUnsupported"
        assert DOUBTS == [], name  # refused outright, not read again by one reader
        rows = _csv_rows(path)
        assert len(rows) == 221 and rows[20] == ("1", '5" tall'), name


def test_a_literal_quote_without_quoted_newlines_after_it(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    # after the literal quote no line end has even parity: no cut is found, pieces grow
    # to their limit, and the rest is left to one reader, whose quote check refuses it
    monkeypatch.setattr(readers, "_PIECE_GROWTH", 4)
    path = tmp_path / "q.csv"
    path.write_bytes(b"a,b\n" + b"0,ok\n" * 20 + b'1,ab"c\n' + b"2,fine\n" * 300)
    assert _same(path, [64]) == "ArrowUnsupported"
    assert DOUBTS == [64]
    assert _csv_rows(path)[20] == ("1", 'ab"c')


def test_a_quoted_cell_left_open_at_the_end(tmp_path: Path) -> None:
    # Arrow would take the open cell to the end of the file; csv.reader(strict=True)
    # refuses it ("unexpected end of data"): one reader and the pieces send it to the
    # csv path, which does
    path = tmp_path / "open.csv"
    path.write_bytes(b"a,b\n" + b"1,x\n" * 100 + b'2,"never closed\n3,y\n4,z\n')
    assert _arrow(path.read_bytes()[4:], 2)[-1] == {"c0": "2", "c1": "never closed\n3,y\n4,z\n"}
    assert _same(path, [20, 64, 128]) == "ArrowUnsupported"
    with pytest.raises(readers.ResponseError, match="unexpected end of data"):
        _csv_rows(path)


def test_a_byte_order_mark_at_a_record_start_is_never_cut_before(tmp_path: Path) -> None:
    # Arrow drops a BOM at the start of its input: a piece must not begin with one
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa,b\n" + "\ufeffx,1\n".encode() * 200)
    serial = _same(path, [16, 33, 64])
    assert isinstance(serial, list) and serial[0] == ("\ufeffx", "1") and len(serial) == 200


def test_several_header_rows_and_a_header_longer_than_a_piece(tmp_path: Path) -> None:
    text = "Respondent ID,Question " + "long " * 100 + "\n,Response\n" + "1,Agree\n" * 300
    path = tmp_path / "sm.csv"
    path.write_text(text, encoding="utf-8-sig")
    table = open_table(path)
    assert table.layout.header_rows == 2
    serial = _same(path, [16, 64, 700])
    assert isinstance(serial, list) and len(serial) == 300


def test_blank_lines_and_an_empty_last_line(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n\n\n3,4\n" * 60 + b"\n")
    serial = _same(path, [8, 16, 31])
    assert isinstance(serial, list) and ("", "") in serial


@pytest.mark.parametrize(
    "tail",
    [b"1,2,3\n", b"\xff\xfebad,utf8\n", b'1,"open and ragged\n'],
    ids=["ragged", "bad-utf8", "open"],
)
def test_bad_records_give_the_same_fallback(tmp_path: Path, tail: bytes) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n" + b'1,"two\nlines"\n' * 200 + tail + b"4,5\n" * 200)
    serial = _rows(path, None, serial=True)
    for size in (16, 64, 500, 10_000):
        assert _rows(path, None, piece_bytes=size) == serial
    # (an open quoted cell is refused by the quote check, which Arrow itself is not)
    assert serial == "ArrowUnsupported"
    assert _no_worker_threads()


def test_nul_bytes(tmp_path: Path) -> None:
    """A NUL is no cell's text: one in the first megabyte (what ``open_table`` checks of a
    file Arrow is to read) is refused there, with its line; one past it is found by every
    piece size and by one reader alike, for the csv path to name its line."""
    path = tmp_path / "nul.csv"
    head = b"a,b\n" + b"1,plain text here\n" * 4000
    nuls = b'2,nul\x00byte\n3,"quoted\x00\n nul"\n\x00,"\x00"\n' * 50
    path.write_bytes(head + nuls)
    with pytest.raises(ResponseError, match="line 4002: this line holds a NUL byte"):
        open_table(path, trust_utf8=True)
    body = b"a,b\n" + b"1,plain text here\n" * 70_000
    path.write_bytes(body + nuls)
    assert len(body) > readers._SCAN_BYTES
    assert _same(path, [64 * 1024, 256 * 1024, 1024 * 1024]) == "ArrowUnsupported"
    assert _rows(path, None) == "ArrowUnsupported"
    # in a header cell past the first megabyte: data_start finds it
    path.write_bytes(b'a,"' + b"x" * readers._SCAN_BYTES + b'\x00"\n' + b"1,2\n" * 10)
    assert _rows(path, None, serial=True) == _rows(path, None) == "ArrowUnsupported"


def test_bad_utf8_past_the_first_megabyte(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    body = b"a,b\n" + b"1,plain text here\n" * 70_000
    path.write_bytes(body + b"2,caf\xe9\n" + b"3,x\n" * 10)
    assert len(body) > readers._SCAN_BYTES
    assert _rows(path, None, serial=True) == "ArrowUnsupported"
    assert _rows(path, None, piece_bytes=64 * 1024) == "ArrowUnsupported"
    assert _rows(path, None) == "ArrowUnsupported"


def _big_cell_file(path: Path, big: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["id", "text"])
        for i in range(3000):
            w.writerow([i, big if i == 1500 else f"short {i}"])
    return path


def test_a_record_longer_than_arrows_block_is_read_by_one_reader(tmp_path: Path) -> None:
    # Whether Arrow takes a record longer than its block depends on where its blocks fall,
    # and they fall elsewhere in a piece: such a file is read again by one reader
    big = "line of a pasted document\n" * 60_000  # 1.6 MB: one reader over the file takes it
    path = _big_cell_file(tmp_path / "big.csv", big)
    serial = _rows(path, frozenset(), serial=True)
    assert isinstance(serial, list) and serial[1500][1] == big
    for size in (256 * 1024, 2 * 1024 * 1024):
        assert _rows(path, frozenset(), piece_bytes=size) == serial
    assert DOUBTS == [256 * 1024, 2 * 1024 * 1024]


def test_arrow_takes_a_long_record_or_not_by_where_its_blocks_fall() -> None:
    # why the pieces may not parse a record longer than Arrow's block (readers._longest_record)
    block = 1024 * 1024
    taken = set()
    for before in range(0, block, block // 8):
        data = b"1,x\n" * (before // 4) + b'2,"' + b"y" * int(1.5 * block) + b'"\n3,z\n'
        try:
            pcsv.read_csv(
                pa.BufferReader(data),
                read_options=pcsv.ReadOptions(block_size=block, column_names=["a", "b"]),
                parse_options=pcsv.ParseOptions(newlines_in_values=True),
            )
            taken.add(True)
        except pa.ArrowInvalid as e:
            assert "straddl" in str(e)
            taken.add(False)
    assert taken == {True, False}


def test_a_cell_too_big_for_arrow_falls_back_alike(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    # 5 MB in one cell: Arrow's reader refuses it (a record straddling blocks), in pieces too
    monkeypatch.setattr(readers, "_PIECE_GROWTH", 4)
    path = _big_cell_file(tmp_path / "huge.csv", "line of a pasted document\n" * 200_000)
    assert _rows(path, frozenset(), serial=True) == "ArrowUnsupported"
    for size in (1024 * 1024, 2 * 1024 * 1024):
        assert _rows(path, frozenset(), piece_bytes=size) == "ArrowUnsupported"
    assert _no_worker_threads()


def test_a_file_just_above_the_threshold_is_cut_in_pieces(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    path = tmp_path / "nine.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "answer", "comment"])
        i = 0
        while f.tell() < readers.FAST_PATH_BYTES + 1000:
            w.writerow([i, "Agree" if i % 3 else "Disagree", f'said "hi"\nthen {i}'])
            i += 1
    parsed: list[int] = []
    real = readers._parse_piece

    def counting(opts, data, start, end):  # noqa: ANN001, ANN202
        parsed.append(start)
        return real(opts, data, start, end)

    monkeypatch.setattr(readers, "_parse_piece", counting)
    serial = _rows(path, None, serial=True)
    assert _rows(path, None) == serial
    assert len(parsed) >= 4 and DOUBTS == []


# ------------------------------------------------------------------ threads


def test_a_reader_closed_part_way_leaves_no_thread_parsing(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 1000)
    records = arrow_records(open_table(path), None, piece_bytes=64)
    next(records)
    next(records)
    assert not _no_worker_threads()  # pieces are being parsed ahead
    records.close()
    assert _no_worker_threads()


def test_an_error_part_way_leaves_no_thread_parsing(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 300 + b"1,2,3\n" + b"4,5\n" * 300)
    with pytest.raises(ArrowUnsupported):
        for _ in arrow_records(open_table(path), None, piece_bytes=64):
            pass
    assert _no_worker_threads()


def test_one_worker_gives_the_same(tmp_path: Path) -> None:
    path = _awkward_file(tmp_path / "a.csv", 100, seed=5)
    serial = _rows(path, None, serial=True)
    assert _rows(path, None, piece_bytes=64, workers=1) == serial
    assert _rows(path, None, piece_bytes=64, workers=3) == serial


# ---------------------------------------------------------------- real exports


def test_the_real_exports_read_the_same_in_pieces() -> None:
    assert REAL.is_dir(), f"the real exports are missing: {REAL}"
    compared = 0
    for path in sorted(REAL.rglob("*.csv")):
        table = open_table(path)
        if not (table.quoting and table.encoding in ("utf-8", "utf-8-sig")):
            continue  # the csv path reads these whatever their size
        serial = _same(path, [16, 50, 128, 1000, 4096])
        compared += serial != "ArrowUnsupported"  # (kobo's has a ragged row: the csv path)
    assert compared >= 8


def test_long_records_at_the_end_of_the_file(tmp_path: Path) -> None:
    # Records longer than Arrow's block, the last in the file: whether one reader takes
    # them depends on where its blocks fall; an error in the last piece is no proof that
    # one reader would refuse them too, so any error sends the file to one reader.
    block = 1024 * 1024
    for before in range(0, 2 * block, block // 8):
        path = tmp_path / f"long{before}.csv"
        path.write_bytes(
            b"a,b\n" + b"1,x\n" * (before // 4) + (b'2,"' + b"y" * int(1.3 * block) + b'"\n') * 2
        )
        serial = _rows(path, None, serial=True)
        for size in (200_000, 300_000, 700_000, 4 * block):
            assert _rows(path, None, piece_bytes=size) == serial, (before, size)
