"""Every reading test again, as a plain install reads a large file: pyarrow (the optional
``[fast]`` extra) is not installed, and every CSV file counts as large.

Then the csv path reads every file, whatever its size, in bounded memory; these are the
same tests as ``tests/test_reading.py`` and ``tests/test_reading_arrow.py``, so the three
ways give the same values, row numbers and messages.
"""

from __future__ import annotations

import sys

import pytest

from relimpact.read import readers, reading
from tests.test_reading import *  # noqa: F403 - the same tests, collected again here
from tests.test_reading import EXPORTS, SURVEY, answering


@pytest.fixture(autouse=True)
def _no_arrow_and_every_file_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "FAST_PATH_BYTES", 0)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.csv", None)


def test_without_pyarrow_no_file_goes_to_the_arrow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not readers.arrow_available()
    calls = []
    real = reading.arrow_records

    def counting(table, *args):  # noqa: ANN001, ANN002, ANN202
        calls.append(table.name)
        yield from real(table, *args)

    monkeypatch.setattr(reading, "arrow_records", counting)
    rs = reading.read_responses(SURVEY, [EXPORTS / "plain.csv", EXPORTS / "google-forms.csv"])
    assert calls == []
    assert rs.respondents == 6


def test_a_large_file_without_pyarrow_streams_in_blocks(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("lead_voice,lead_few\n")
        for i in range(120_001):
            f.write("Agree,Disagree\n" if i % 2 else "Strongly agree,\n")
    seen: list[int] = []
    rs = reading.read_responses(answering("lead_voice", "lead_few"), [path], progress=seen.append)
    assert rs.rows == 120_001
    assert seen == [50_000, 100_000, 120_001]
