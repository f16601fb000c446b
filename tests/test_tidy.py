"""The tidy-table API: what analysts get, and what they never get."""

from __future__ import annotations

import pytest

import relimpact
from tests.test_reading import EXPORTS, SURVEY


def test_records_one_row_per_respondent_without_personal_data():
    rs = relimpact.read_responses(SURVEY, [EXPORTS / "google-forms.csv"])
    records = relimpact.tidy_records(rs)
    assert len(records) == rs.respondents
    first = records[0]
    assert first["_file"].endswith("google-forms.csv")
    assert first["_row"].endswith("row 2")
    assert "member_code" not in first  # the respondent key never leaves the reader
    assert {"lead_voice", "lead_voice_na", "role", "story", "quote_ok"} <= set(first)
    assert isinstance(first["quote_ok"], bool)
    text = repr(records)
    assert "@" not in text  # no email address from the export


def test_scale_values_are_as_answered_not_reversed():
    rs = relimpact.read_responses(SURVEY, [EXPORTS / "plain.csv"])
    records = relimpact.tidy_records(rs)
    values = [r["lead_few"] for r in records]
    assert values == [None if v != v else int(v) for v in rs.scale["lead_few"].tolist()]


def test_dataframe_when_pandas_is_installed():
    pd = pytest.importorskip("pandas")
    rs = relimpact.read_responses(SURVEY, [EXPORTS / "plain.csv"])
    df = relimpact.tidy(rs)
    assert isinstance(df, pd.DataFrame)
    assert len(df) == rs.respondents
    assert "lead_voice" in df.columns
