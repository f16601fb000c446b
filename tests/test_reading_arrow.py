"""Every reading test again, with every CSV file parsed by the Arrow path.

Large UTF-8 CSV files (``readers.FAST_PATH_BYTES`` and up) are parsed by Apache
Arrow for speed; here the threshold is 0, so the hand-written fixtures prove the
two paths give the same values, row numbers and messages (files Arrow cannot
read exactly alike fall back to the csv path).
"""

from __future__ import annotations

import pytest

from relimpact.read import readers, reading
from tests.test_reading import *  # noqa: F403 - the same tests, collected again here
from tests.test_reading import EXPORTS, SURVEY, answering


@pytest.fixture(autouse=True)
def _arrow_for_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "FAST_PATH_BYTES", 0)


def test_the_arrow_path_is_really_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = reading.arrow_records

    def counting(table, *args):  # noqa: ANN001, ANN002, ANN202
        calls.append(table.name)
        yield from real(table, *args)

    monkeypatch.setattr(reading, "arrow_records", counting)
    rs = reading.read_responses(SURVEY, [EXPORTS / "plain.csv", EXPORTS / "google-forms.csv"])
    assert len(calls) == 2
    assert rs.respondents == 6


def test_a_ragged_row_falls_back_to_the_csv_path_and_its_message(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "r.csv"
    path.write_text("lead_voice,role\nAgree,Staff\nAgree,Staff,extra,cells\n", encoding="utf-8")
    with pytest.raises(reading.ResponseError, match="row 3"):
        reading.read_responses(answering("lead_voice", "role"), [path])


def test_progress_is_reported_every_50000_rows(tmp_path) -> None:  # noqa: ANN001
    # Arrow reads in blocks of megabytes, so progress comes per block; the last is the total.
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("lead_voice,lead_few\n")
        for i in range(300_001):
            f.write("Agree,Disagree\n" if i % 2 else "Strongly agree,\n")
    seen: list[int] = []
    rs = reading.read_responses(answering("lead_voice", "lead_few"), [path], progress=seen.append)
    assert rs.rows == 300_001
    assert seen == sorted(set(seen)) and seen[-1] == 300_001


def test_pyarrow_is_installed_for_these_tests() -> None:
    # the test extra installs it; without it these tests would only repeat the csv path
    assert readers.arrow_available()


def test_one_arrow_reader_starts_after_a_sep_line(tmp_path) -> None:  # noqa: ANN001
    """``data_start`` counts Excel's ``sep=`` line before the header: one Arrow reader gives
    the records the csv path gives (with or without a byte-order mark before it)."""
    for bom in (b"", b"\xef\xbb\xbf"):
        path = tmp_path / "r.csv"
        path.write_bytes(bom + b'sep=;\nlead_voice;"role\nteam"\nAgree;Staff\nDisagree;"a;b"\n')
        table = readers.open_table(path)
        batches = readers.arrow_records(table, serial=True)
        cells = [[list(col) for col in columns] for columns, _ in batches]
        assert cells == [[["Agree", "Disagree"], ["Staff", "a;b"]]]
        assert list(table.records())[1:] == [["Agree", "Staff"], ["Disagree", "a;b"]]
