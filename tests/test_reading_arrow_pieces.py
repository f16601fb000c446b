"""Every reading test again, every CSV file parsed by Arrow in pieces of 64 bytes.

Pieces that small put a boundary between most records of the hand-written fixtures (in a
header row, beside a CR LF, inside quoted cells when parity is fooled), so the cells, row
numbers and messages must come out as from one reader (see tests/test_arrow_pieces.py).
"""

from __future__ import annotations

import pytest

from relimpact.read import readers
from tests.test_reading import *  # noqa: F403 - the same tests, collected again here


@pytest.fixture(autouse=True)
def _arrow_in_small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "FAST_PATH_BYTES", 0)
    monkeypatch.setattr(readers, "ARROW_PIECE_BYTES", 64)
    monkeypatch.setattr(readers, "_MIN_PIECE_BYTES", 64)
    monkeypatch.setattr(readers, "_PIECE_GROWTH", 256)


def _serial_reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each time the file is read by one Arrow reader (its options), from now on."""
    reads: list[object] = []
    real = readers._serial_batches

    def serially(opts):  # noqa: ANN001, ANN202
        reads.append(opts)
        yield from real(opts)

    monkeypatch.setattr(readers, "_serial_batches", serially)
    return reads


def test_the_pieces_are_really_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from relimpact.read import reading
    from tests.test_reading import EXPORTS, SURVEY

    pieces = []
    real = readers._parse_piece

    def counting(opts, data, start, end):  # noqa: ANN001, ANN202
        pieces.append(start)
        return real(opts, data, start, end)

    monkeypatch.setattr(readers, "_parse_piece", counting)
    fell_back = _serial_reads(monkeypatch)
    # (a first piece of the header row alone is in doubt: it has no record to check)
    monkeypatch.setattr(readers, "_MIN_PIECE_BYTES", 256)
    rs = reading.read_responses(SURVEY, [EXPORTS / "plain.csv"])
    assert rs.respondents == 6 and len(pieces) >= 3 and fell_back == []


def test_progress_is_reported_every_50000_rows(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    # progress comes per block, as on the Arrow path (in pieces of 64 KB: 4 MB of 64 bytes
    # would be 70,000 pieces)
    from tests import test_reading_arrow

    monkeypatch.setattr(readers, "ARROW_PIECE_BYTES", 64 * 1024)
    monkeypatch.setattr(readers, "_MIN_PIECE_BYTES", 64 * 1024)
    test_reading_arrow.test_progress_is_reported_every_50000_rows(tmp_path)


def test_pieces_in_doubt_are_read_again_by_one_reader(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from relimpact.read import reading
    from tests.test_reading import answering

    serially = _serial_reads(monkeypatch)
    path = tmp_path / "q.csv"
    # a piece whose last cell ends in a line end may have been cut inside that cell
    rows = ["Agree,plain"] * 5 + ['Agree,"two\nlines\n"'] * 40
    path.write_text("lead_voice,story\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rs = reading.read_responses(answering("lead_voice", "story"), [path])
    assert len(serially) == 1 and rs.respondents == 45


def test_a_literal_quote_goes_to_the_csv_path(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from relimpact.read import reading
    from tests.test_reading import answering

    serially = _serial_reads(monkeypatch)
    csv_path = []
    real = readers.RawTable.records

    def records(table):  # noqa: ANN001, ANN202
        csv_path.append(table.name)
        return real(table)

    monkeypatch.setattr(readers.RawTable, "records", records)
    path = tmp_path / "q.csv"
    # a literal quote turns parity over: the cuts after it would fall in quoted line ends
    rows = ["Agree,plain"] * 5 + ['Disagree,5" tall'] + ['Agree,"two\nlines"'] * 40
    path.write_text("lead_voice,story\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rs = reading.read_responses(answering("lead_voice", "story"), [path])
    assert serially == [] and csv_path == [str(path)] and rs.respondents == 46


def test_a_sep_line_file_is_read_by_arrow_in_pieces(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """Excel's ``sep=;`` line: Arrow starts after it and the header, in pieces, without
    falling back, and a bad answer is named by its row (row 1 the header row)."""
    from relimpact.read import reading
    from tests.test_reading import answering

    serially = _serial_reads(monkeypatch)
    csv_path = []
    real = readers.RawTable.records

    def records(table):  # noqa: ANN001, ANN202
        csv_path.append(table.name)
        return real(table)

    monkeypatch.setattr(readers.RawTable, "records", records)
    monkeypatch.setattr(readers, "_MIN_PIECE_BYTES", 256)
    rows = [f"K{i};{'Agre' if i == 30 else 'Agree'}" for i in range(60)]
    path = tmp_path / "r.csv"
    path.write_bytes(("\ufeffsep=;\r\nmember_code;lead_voice\r\n" + "\r\n".join(rows)).encode())
    with pytest.raises(reading.ResponseError) as e:
        reading.read_responses(answering("member_code", "lead_voice"), [path])
    assert "1 row holds it (row 32)." in str(e.value)
    assert serially == [] and csv_path == []


@pytest.mark.parametrize("serial", [False, True])
def test_a_nul_byte_past_the_first_megabyte_goes_to_the_csv_path(
    tmp_path, monkeypatch, serial: bool
) -> None:  # noqa: ANN001
    """Only the start of a large file is checked when it is opened for Arrow: the pieces
    (or one reader's quote watch) find a NUL past it, and the csv path names its line."""
    from relimpact.read import reading
    from tests.test_reading import answering

    monkeypatch.setattr(readers, "_SCAN_BYTES", 64 * 1024)
    if serial:
        monkeypatch.setattr(readers, "_parse_piece", _in_doubt)
    serially = _serial_reads(monkeypatch)
    rows = [f"K{i},Agree" for i in range(10_000)]
    rows[9_000] = "K9000,Ag\x00ree"
    path = tmp_path / "r.csv"
    path.write_text("member_code,lead_voice\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(reading.ResponseError) as e:
        reading.read_responses(answering("member_code", "lead_voice"), [path])
    assert str(e.value).startswith(f"{path}, line 9002: this line holds a NUL byte (0x00)")
    assert len(serially) == int(serial)


def _in_doubt(opts, data, start, end):  # noqa: ANN001, ANN202
    """Every piece in doubt: the file is read again by one reader."""
    return readers._Parsed(None, False)
