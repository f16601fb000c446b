"""The Arrow path reads a file's quotes exactly as the csv path does, or hands it over.

Arrow is lenient where ``csv.reader(strict=True)`` is not: after a closing quote followed
by something other than a delimiter or a line end it just goes on with the cell, and it
keeps a cell left open at the end of the file. A quote left open early can so merge many
records into one respondent without a word. The Arrow path checks that every quote is
structural (``readers._Quotes``), in each piece and on one reader's re-read; a file that
fails goes to the csv path, which refuses it with its file and line, or reads it (a
literal quote in an unquoted cell is text to both parsers, but turns quote parity over).
Here Arrow is forced onto small files, in pieces of a few dozen bytes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relimpact.common.errors import ResponseError
from relimpact.read import readers, reading
from relimpact.read.readers import _Quotes, open_table
from tests.test_arrow_pieces import DOUBTS, _rows
from tests.test_reading import answering

SURVEY = answering("story", "lead_voice")
SIZES = [16, 23, 40, 64, 97, 256, 100_000]


@pytest.fixture(autouse=True)
def _pieces_may_grow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "_PIECE_GROWTH", 1024)
    DOUBTS.clear()


def _csv(path: Path) -> list[tuple[str, ...]] | str:
    """The data records as the csv path reads them, or its error."""
    try:
        return [tuple(r) for r in open_table(path).records()][1:]
    except ResponseError as e:
        return str(e)


def _reference(text: str, delimiter: str = ",") -> list[tuple[str, ...]]:
    """csv.reader(strict=True) over the text itself, header left out."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    return [tuple(r) for r in rows][1:]


def _read(path: Path, monkeypatch: pytest.MonkeyPatch, piece: int | None) -> object:
    """read_responses through the Arrow path in pieces of ``piece`` bytes (None: the csv
    path): what it read, or the error's problems (message, file and line)."""
    with monkeypatch.context() as m:
        if piece is None:
            m.setattr(readers, "FAST_PATH_BYTES", 1 << 62)
        else:
            m.setattr(readers, "FAST_PATH_BYTES", 0)
            m.setattr(readers, "ARROW_PIECE_BYTES", piece)
            m.setattr(readers, "_MIN_PIECE_BYTES", piece)
        try:
            rs = reading.read_responses(SURVEY, [path])
        except ResponseError as e:
            return e.problems
        return (
            rs.source_rows,
            rs.scale["lead_voice"].tolist(),
            list(rs.text["story"]),
        )


def _bodies(bad: str) -> dict[str, str]:
    """A file with the bad record ``bad`` first, in the middle and last."""
    ok = ['"said ""hi""",Agree', "plain,Disagree", '"two\nlines",Agree', '"a, b",Agree']
    rows = (ok * 8)[:30]
    head = "story,lead_voice\n"
    return {
        "first": head + bad + "\n" + "\n".join(rows) + "\n",
        "middle": head + "\n".join(rows[:15]) + "\n" + bad + "\n" + "\n".join(rows[15:]) + "\n",
        "last": head + "\n".join(rows) + "\n" + bad + "\n",
    }


MALFORMED = {
    # the brief's example: an unclosed quote merges the next rows, closed by a later one
    "unclosed-merges": '"never closed,Agree\nok,Agree\n"she said ""hi""",Agree',
    "junk-after-closing": '"a"b,Agree',
    "space-after-closing": '"a" ,Agree',
    "quote-then-text-at-line-end": 'x,"Agree"x',
}


@pytest.mark.parametrize("where", ["first", "middle", "last"])
@pytest.mark.parametrize("bad", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_quoting_gives_the_csv_paths_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: str, where: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(_bodies(bad)[where], encoding="utf-8")
    expected = _read(path, monkeypatch, None)
    assert isinstance(expected, tuple) and len(expected) == 1  # one problem
    assert "cannot be read as CSV" in expected[0].message and ", line " in expected[0].where
    for size in (64, 97, 1 << 20):
        assert _read(path, monkeypatch, size) == expected, size
    for size in SIZES:
        assert _rows(path, None, piece_bytes=size) == "ArrowUnsupported", size
    assert _rows(path, None, serial=True) == "ArrowUnsupported"


def test_a_quote_left_open_at_the_end_of_the_file(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    for tail in ('"open to the end,Agree\n', 'x,"Agree', 'x,"Agree""', '"a""b""\n'):
        path = tmp_path / "open.csv"
        path.write_text(_bodies("plain,Agree")["last"] + tail, encoding="utf-8")
        expected = _read(path, monkeypatch, None)
        assert isinstance(expected, tuple) and "unexpected end of data" in expected[0].message
        for size in (16, 64, 1 << 20):
            assert _read(path, monkeypatch, size) == expected, (tail, size)
        assert _rows(path, None, serial=True) == "ArrowUnsupported", tail


def test_malformed_quoting_at_every_cut(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    # Every piece size from 16 to 220 bytes: a cut falls just before the bad record, just
    # after its bad quote, in it, beside it; each time the file goes to the csv path.
    bad = '"a"b,Agree'
    path = tmp_path / "cut.csv"
    text = _bodies(bad)["middle"]
    path.write_text(text, encoding="utf-8")
    at = text.index(bad)
    starts: set[int] = set()
    real = readers._parse_piece

    def parse(opts, data, start, end):  # noqa: ANN001, ANN202
        starts.add(start)
        return real(opts, data, start, end)

    monkeypatch.setattr(readers, "_parse_piece", parse)
    for size in range(16, 220):
        assert _rows(path, None, piece_bytes=size) == "ArrowUnsupported", size
    assert at in starts  # a piece began with the bad record
    assert DOUBTS == []  # refused outright: the bad piece is never read again as a doubt


def test_a_bad_quote_in_the_header_rows(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    # The pieces start after the header rows; the csv path reads those strictly too.
    path = tmp_path / "head.csv"
    path.write_text('"story"x,lead_voice\n' + "plain,Agree\n" * 30, encoding="utf-8")
    assert "cannot be read as CSV" in str(_csv(path))
    assert _rows(path, None, piece_bytes=32) == "ArrowUnsupported"
    assert _rows(path, None, serial=True) == "ArrowUnsupported"


# ------------------------------------------------------------- valid but awkward


def _same_as_csv(path: Path, text: str, delimiter: str = ",", sizes: list[int] = SIZES) -> None:
    """Arrow reads the file (it is not handed over), in pieces and by one reader, with
    exactly csv.reader's records."""
    want = _reference(text, delimiter)
    assert _csv(path) == want
    assert _rows(path, None, serial=True) == want
    for size in sizes:
        assert _rows(path, None, piece_bytes=size) == want, size
        assert _rows(path, frozenset(), piece_bytes=size) == want, size


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_awkward_valid_quoting_is_read_by_arrow_as_csv_reads_it(
    tmp_path: Path, newline: str, delimiter: str
) -> None:
    cells = [
        '""',  # an empty quoted cell
        '""""',  # a cell that is one quote
        '""""""',  # two quotes
        '"say ""hi"""',  # ends with an escaped quote
        '"""hi"" said"',  # starts with one
        '"crlf\r\ninside"',
        '"cr\rinside"',
        '"lf\ninside"',
        f'"a{delimiter}b"',
        f'"{delimiter}"',
        "plain",
        "",
    ]
    for last in ("", '"\n"'):  # a last cell that ends in a line end makes its piece doubtful
        rows = []
        for i in range(60):
            a, b = cells[i % len(cells)], (cells + [last])[(i * 5 + 3) % (len(cells) + 1)]
            rows.append(delimiter.join([str(i), a, b]))
        text = delimiter.join(["id", "x", "y"]) + newline + newline.join(rows) + newline
        path = tmp_path / "ok.csv"
        path.write_bytes(text.encode("utf-8"))
        assert open_table(path).delimiter == delimiter
        DOUBTS.clear()
        _same_as_csv(path, text, delimiter)
        if not last:
            assert DOUBTS == []  # every piece's own records were compared


def test_escaped_quotes_at_every_cut(tmp_path: Path) -> None:
    # '""' and '""""' fall across every cut; a quote is never the last byte of a piece
    text = "a,b\n" + '"x""",""""\n"""y",""\n' * 12 + 'last,"no line end"""'
    path = tmp_path / "esc.csv"
    path.write_bytes(text.encode())
    _same_as_csv(path, text, sizes=list(range(8, 120)))


def test_the_last_piece_without_a_final_line_end(tmp_path: Path) -> None:
    for last in ('"closed at the end of the file"', '""', "x", '"a",""'):
        text = "a,b\n" + '1,"q"\n' * 40 + "2," + last
        if last == '"a",""':
            text = "a,b\n" + '1,"q"\n' * 40 + last
        path = tmp_path / "end.csv"
        path.write_bytes(text.encode())
        _same_as_csv(path, text, sizes=[16, 50, 64, 1000])


def test_a_quoted_cell_with_line_ends_across_cuts(tmp_path: Path) -> None:
    big = '"' + "word, and more\r\nwords\n" * 8 + '"'
    text = "a,b\n" + f"1,{big}\n" * 20
    path = tmp_path / "long.csv"
    path.write_bytes(text.encode())
    _same_as_csv(path, text, sizes=[16, 37, 64, 150, 400])


def test_byte_order_mark_and_a_quoted_first_header_cell(tmp_path: Path) -> None:
    # Excel's "CSV UTF-8": a byte-order mark, then a quoted cell; the check starts after
    # the mark at byte 0, as both parsers do
    text = '"a","b"\n' + '"1","x"\n' * 50
    path = tmp_path / "bom.csv"
    path.write_bytes(readers._BOM + text.encode())
    _same_as_csv(path, text)
    # a mark at the start of a data record and a quote after it: text to both, handed over
    path.write_bytes(readers._BOM + text.encode() + '\ufeff"1","x"\n'.encode())
    assert _rows(path, None, piece_bytes=64) == "ArrowUnsupported"
    assert _csv(path)[-1] == ('\ufeff"1"', "x")


def test_header_rows_with_a_quoted_line_break(tmp_path: Path) -> None:
    # several header rows, one with a quoted line break; the data starts at data_start
    text = 'Respondent ID,"Question\none"\n,Response\n' + '1,"Agree"\n' * 40
    path = tmp_path / "sm.csv"
    path.write_bytes(text.encode())
    table = open_table(path)
    assert table.layout.header_rows == 2
    want = _reference(text)[1:]
    assert _rows(path, None, serial=True) == want
    for size in (16, 64, 1000):
        assert _rows(path, None, piece_bytes=size) == want


def test_literal_quotes_in_unquoted_cells_go_to_the_csv_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both parsers read '5" tall' as text; the check cannot tell it from a bad quote, so
    # the csv path reads the file: slower, and the same as reading it with csv.reader
    rows = ['5" tall,Agree', 'he said "hi",Agree', '"fine",Disagree', 'x "y",Agree']
    text = "story,lead_voice\n" + "\n".join(rows * 10) + "\n"
    path = tmp_path / "lit.csv"
    path.write_text(text, encoding="utf-8")
    assert _csv(path) == _reference(text)
    assert _rows(path, None, piece_bytes=64) == "ArrowUnsupported"
    assert _rows(path, None, serial=True) == "ArrowUnsupported"
    got = _read(path, monkeypatch, None)
    assert isinstance(got, tuple) and got[2][:2] == ['5" tall', 'he said "hi"']
    assert _read(path, monkeypatch, 64) == got


# ------------------------------------------------------------------ the check itself


def _check(text: bytes, delimiter: str = ",", chunks: int = 1) -> bool:
    q = _Quotes(delimiter)
    a = np.frombuffer(text, np.uint8)
    cuts = np.linspace(0, len(a), chunks + 1).astype(int)
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        q.feed(a[lo:hi])
    return q.done(end_of_file=True)


def test_the_check_rule_by_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    good = [b"", b'""', b'"",""\n', b'"a""b",c\r\n"d"', b'a,"b"\r"c"', b'""""', b'"\n",x']
    good += [b'"a"""', b'"a""",""""""\r\n']  # a cell ending in an escaped quote
    bad = [b'"', b'a"', b'"a"b', b'x"', b' "a"', b'"a" ', b'"a"\xef', b'"a"""x', b'"a",b"']
    for chunks in (1, 2, 3, 7):
        for text in good:
            assert _check(text, chunks=chunks), (text, chunks)
        for text in bad:
            assert not _check(text, chunks=chunks), (text, chunks)
    assert _check(b'"a"\t"b"', "\t") and not _check(b'"a"\t"b"', ",")
    # sub-chunks of a few bytes: the rules hold across their edges too
    monkeypatch.setattr(readers, "_QUOTE_CHUNK", 3)
    for text in good:
        assert _check(text), text
    for text in bad:
        assert not _check(text), text


# ------------------------------------------------------------------ random files

ALPHABET = '",\n\ra'
# runs of the same alphabet that make well-formed records more often than single bytes do
TOKENS = ['"', ",", "\n", "\r", "a", '","', '"\n', ',"', '""', '"\r\n']
BODIES = st.one_of(
    st.text(alphabet=ALPHABET, max_size=80),
    st.lists(st.sampled_from(TOKENS), max_size=30).map("".join),
)


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(header=st.sampled_from(["h0,h1\n", "h\n"]), body=BODIES, size=st.integers(8, 64))
def test_random_files_arrow_reads_as_csv_or_hands_over(
    tmp_path: Path, header: str, body: str, size: int
) -> None:
    # any text of quotes, commas, line ends and one letter: whatever Arrow gives is what
    # the csv path gives (a blank line counts as one blank record in both); else Arrow
    # hands the file over (the csv path then refuses it, or reads it)
    path = tmp_path / "r.csv"
    path.write_bytes((header + body).encode())

    def blanks(rows: object) -> object:
        if isinstance(rows, str):
            return rows
        return [r if any(r) else () for r in rows]  # type: ignore[union-attr]

    want = blanks(_csv(path))
    for how in ({"serial": True}, {"piece_bytes": size}):
        got = _rows(path, None, **how)  # type: ignore[arg-type]
        if got != "ArrowUnsupported":
            assert blanks(got) == want, how


def _cell(draw: st.DrawFn) -> str:
    content = draw(st.text(alphabet=ALPHABET, max_size=6))
    if draw(st.booleans()) or any(c in content for c in '",\r\n'):
        return '"' + content.replace('"', '""') + '"'
    return content


@st.composite
def _well_formed(draw: st.DrawFn) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [",".join([_cell(draw), _cell(draw)]) for _ in range(draw(st.integers(1, 12)))]
    return newline.join(["h0,h1", *lines]) + draw(st.sampled_from(["", newline]))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=_well_formed(), size=st.integers(8, 64))
def test_random_well_formed_files_are_read_by_arrow(tmp_path: Path, text: str, size: int) -> None:
    # well-formed quoting (quoted cells open at a cell's start, quotes doubled) is never
    # handed over: the check is not conservative there
    path = tmp_path / "w.csv"
    path.write_bytes(text.encode())
    want = _reference(text)
    assert _rows(path, None, serial=True) == want
    assert _rows(path, None, piece_bytes=size) == want
