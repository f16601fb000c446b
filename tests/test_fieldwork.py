"""Fieldwork dates: the first and last submission of each wave, in JSON, tables and reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relimpact.common.dates import period_words
from relimpact.read.reading import read_responses
from relimpact.scoring.engine import score
from tests.test_reading import EXPORTS, answering, make_survey, write

FULL = make_survey()
SURVEY = answering("member_code", "lead_voice")
REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-exports"


def fieldwork(tmp_path: Path, header: str, *times: str) -> tuple[tuple[str, str] | None, str]:
    rows = "".join(f'"{t}",Agree\n' for t in times)
    rs = read_responses(SURVEY, [write(tmp_path, "r.csv", f"{header},lead_voice\n{rows}")])
    return rs.fieldwork, rs.fieldwork_note


@pytest.mark.parametrize(
    ("header", "times", "expected"),
    [
        # Google Forms download: y/m/d with a clock and a zone; the zone never moves the day
        (
            "Timestamp",
            ("2026/10/05 9:12:05 PM GMT+1", "2026/10/18 11:59:00 PM GMT-5", "2026/10/07 1:00 AM"),
            ("2026-10-05", "2026-10-18"),
        ),
        # ISO (Kobo, ODK, Typeform, Qualtrics), out of order
        ("_submission_time", ("2013-02-14T15:37:21", "2013-02-01T08:00:00Z"), None),
        # the linked Sheet, month first: 12/13 decides it
        ("Timestamp", ("12/13/2019 9:50:30", "1/9/2020 18:58:43"), ("2019-12-13", "2020-01-09")),
        # day first: 25/03 decides it
        ("Timestamp", ("03/04/2026 10:00", "25/03/2026 10:00"), ("2026-03-25", "2026-04-03")),
        # Jotform's month names
        ("Submission Date", ("Oct 5, 2026", "Oct 19, 2026"), ("2026-10-05", "2026-10-19")),
    ],
)
def test_first_and_last_submission_date(tmp_path, header, times, expected) -> None:
    got, _ = fieldwork(tmp_path, header, *times)
    if header == "_submission_time":
        expected = ("2013-02-01", "2013-02-14")
    assert got == expected


@pytest.mark.parametrize("spaces", [0, 1, 2, 3, 5])
def test_times_after_leading_spaces_keep_their_own_day(tmp_path, spaces: int) -> None:
    """Times are grouped by their first 12 characters; with leading spaces the date may
    not end inside them ("   2026-03-1"), and each day must still count."""
    pad = " " * spaces
    got, _ = fieldwork(
        tmp_path, "Timestamp", f"{pad}2026-03-14 10:00", f"{pad}2026-03-19 10:00", f"{pad}2026-03-1"
    )
    assert got == ("2026-03-01", "2026-03-19")


def test_day_and_month_that_could_be_either_way_are_not_guessed(tmp_path) -> None:
    got, note = fieldwork(tmp_path, "Timestamp", "03/04/2026 10:00", "05/04/2026 11:00")
    assert got is None
    assert note == (
        "The submission dates in r.csv could be day/month or month/day (no day is over 12), "
        "so the survey's dates are not shown."
    )


def test_no_time_column_no_fieldwork(tmp_path) -> None:
    rs = read_responses(SURVEY, [write(tmp_path, "r.csv", "lead_voice\nAgree\nDisagree\n")])
    assert rs.fieldwork is None


def test_removed_rows_do_not_count(tmp_path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "Timestamp,member_code,lead_voice\n"
        '"2026/10/01 9:00:00 AM GMT+1",,\n'  # empty: removed
        '"2026/10/03 9:00:00 AM GMT+1",A1,Agree\n'  # earlier submission of A1: removed
        '"2026/10/04 9:00:00 AM GMT+1",B2,Agree\n'
        '"2026/10/09 9:00:00 AM GMT+1",A1,Disagree\n',
    )
    assert read_responses(SURVEY, [path]).fieldwork == ("2026-10-04", "2026-10-09")


def test_every_fixture_export_with_a_time_column_gives_dates() -> None:
    for name in ("google-forms.csv", "kobo-xml.csv", "typeform.csv", "qualtrics.csv"):
        rs = read_responses(FULL, [EXPORTS / name])
        assert rs.fieldwork is not None, name
        first, last = rs.fieldwork
        assert first <= last


def test_real_google_sheet_export_dates() -> None:
    """The R community survey 2019 (Sheet CSV, month first): 12/13/2019 to 1/9/2020."""
    from relimpact.survey.model import Question, Survey

    path = REAL / "google-forms" / "rcs2019-english.csv"
    assert path.exists(), f"{path} is missing: CI puts shared/ beside the checkout"
    survey = Survey(
        id="rcs",
        title="R community survey",
        questions=(
            Question("level", "How would you rate your level of experience using R?", type="text"),
        ),
    )
    rs = read_responses(survey, [path])
    assert rs.fieldwork == ("2019-12-13", "2020-01-09")


def test_period_words() -> None:
    assert period_words(("2026-10-05", "2026-10-18")) == "5 to 18 October 2026"
    assert period_words(None) == ""


def test_json_table_and_reports_give_the_fieldwork_of_each_wave() -> None:
    from rich.console import Console

    from relimpact.console.score import to_json, to_table
    from relimpact.demo import examples_dir
    from relimpact.report.render import render_report
    from relimpact.survey.load import load_survey

    survey = load_survey(Path(examples_dir()).parent / "network-health.yaml")
    now = read_responses(survey, [examples_dir() / "network-health-responses.csv"])
    then = read_responses(survey, [examples_dir() / "network-health-baseline.csv"])
    result = score(now, baseline=then)
    source = json.loads(to_json(result))["source"]
    assert source["fieldwork"] == {"from": "2026-10-05", "to": "2026-10-18"}
    assert source["baseline_fieldwork"] == {"from": "2025-10-05", "to": "2025-10-14"}
    console = Console(record=True, width=100)
    console.print(to_table(result))
    table = " ".join(console.export_text().split())
    assert "Fieldwork (first to last submission): 5 to 18 October 2026" in table
    assert "baseline 5 to 14 October 2025" in table
    for audience in ("funder", "members"):
        for fmt in ("html", "md"):
            text = " ".join(render_report(result, now, audience, fmt).split())
            assert "5 to 18 October 2026" in text, (audience, fmt)
            assert "5 to 14 October 2025" in text, (audience, fmt)
    # Dates that could be read either way: the note says why there are none.
    from dataclasses import replace

    unclear = replace(now, fieldwork=None, fieldwork_note="The submission dates in r.csv could")
    result2 = score(unclear)
    assert result2.to_dict()["source"]["fieldwork"] is None
    assert "The submission dates in r.csv could" in render_report(result2, unclear, "funder", "md")
    # No clock time anywhere: the answers' times are in the file, never in an output.
    import re

    for text in (to_json(result), render_report(result, now, "funder", "md")):
        assert not re.search(r"\b\d{1,2}:\d{2}(:\d{2})?\b", text)
