"""Raw tables: container, encoding, delimiter, exporter and header rows of export files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from relimpact.common.errors import ResponseError
from relimpact.read.readers import FORMATS, detect_layout, open_table

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"

DETECTED = {
    "plain.csv": ("csv", "utf-8", ",", 1),
    "plain.xlsx": ("csv", "xlsx", None, 1),
    "google-forms.csv": ("google-forms", "utf-8", ",", 1),
    "google-sheet.csv": ("google-forms", "utf-8", ",", 1),
    "microsoft-forms.xlsx": ("microsoft-forms", "xlsx", None, 1),
    "microsoft-forms-eu.csv": ("microsoft-forms", "cp1252", ";", 1),
    "surveymonkey.csv": ("surveymonkey", "utf-8", ",", 2),
    "qualtrics.csv": ("qualtrics", "utf-8", ",", 3),
    "qualtrics-legacy.csv": ("qualtrics", "utf-8", ",", 2),
    "kobo-labels.csv": ("kobo", "utf-8", ";", 1),
    "kobo-xml.csv": ("kobo", "utf-8", ";", 1),
    "odk-central.csv": ("odk-central", "utf-8", ",", 1),
    "limesurvey.csv": ("limesurvey", "utf-8-sig", ",", 1),
    "typeform.csv": ("typeform", "utf-8", ",", 1),
    "jotform.csv": ("jotform", "utf-8", ",", 1),
    "redcap.csv": ("redcap", "utf-8", ",", 1),
}


@pytest.mark.parametrize("name", sorted(DETECTED))
def test_detection(name: str) -> None:
    table = open_table(EXPORTS / name)
    assert (table.format, table.encoding, table.delimiter, table.layout.header_rows) == (
        DETECTED[name]
    )
    assert table.format in FORMATS


def test_every_format_has_a_fixture() -> None:
    assert {v[0] for v in DETECTED.values()} == set(FORMATS)


def test_records_stream_from_the_first_header_row() -> None:
    table = open_table(EXPORTS / "surveymonkey.csv")
    records = list(table.records())
    assert len(records) == 8  # two header rows, six respondents
    assert all(len(r) == table.width for r in records)
    assert records[2][18] == "Yes"
    assert records[2][17].endswith("share a van, and a café.")


def test_surveymonkey_question_text_is_filled_over_its_block() -> None:
    table = open_table(EXPORTS / "surveymonkey.csv")
    h = table.headers
    assert (h[9].text, h[9].sub) == ("Your member code", "")
    assert (h[11].text, h[11].sub) == (
        "How much do you agree with each statement?",
        "A small group makes most decisions without asking members.",
    )
    assert (h[16].text, h[16].sub) == ("Which of these have you taken part in?", "Training")
    assert h[13].label == "Which best describes you?"


def test_qualtrics_uses_the_question_text_row_and_keeps_tags() -> None:
    table = open_table(EXPORTS / "qualtrics.csv")
    h = table.headers[17]
    assert h.text == "Your member code"
    assert h.others == ("Q1", '{"ImportId":"QID1_TEXT"}')
    legacy = open_table(EXPORTS / "qualtrics-legacy.csv")
    assert legacy.width == 22 and legacy.content_width == 21  # the trailing comma
    assert legacy.headers[10].text == "Your member code"


def test_xlsx_cells_become_text_and_blank_rows_are_padded() -> None:
    table = open_table(EXPORTS / "plain.xlsx")
    records = list(table.records())
    assert records[4][3] == "4"  # a number typed into the workbook
    assert records[-1] == [""] * table.width  # formatted blank rows at the end
    ms = list(open_table(EXPORTS / "microsoft-forms.xlsx").records())
    assert ms[1][2] == "2026-10-05T09:12:05"


@pytest.mark.parametrize(
    "header,fmt,rows",
    [
        (["Timestamp", "Q"], "google-forms", 1),
        (["ID", "Start time", "Completion time", "Email", "Name", "Q"], "microsoft-forms", 1),
        (["Respondent ID", "Collector ID", "Start Date", "End Date", "Q"], "surveymonkey", 2),
        (["start", "end", "q", "_id", "_uuid", "_submission_time"], "kobo", 1),
        (["SubmissionDate", "q", "meta-instanceID", "KEY"], "odk-central", 1),
        (["Response ID", "Date submitted", "Last page", "Start language", "Q"], "limesurvey", 1),
        (["id", "submitdate", "lastpage", "startlanguage", "Q"], "limesurvey", 1),
        (["#", "Q", "Start Date (UTC)", "Submit Date (UTC)", "Network ID"], "typeform", 1),
        (["Submission Date", "Q", "Submission ID", "IP"], "jotform", 1),
        (["StartDate", "EndDate", "Status", "Progress", "Q1"], "qualtrics", 1),
        (["member_code", "lead_voice"], "csv", 1),
        (["Date", "Timestamp"], "csv", 1),
    ],
)
def test_signatures(header: list[str], fmt: str, rows: int) -> None:
    layout = detect_layout([header, [""] * len(header)])
    assert (layout.format, layout.header_rows) == (fmt, rows)


def test_delimiters(tmp_path: Path) -> None:
    for delimiter in (",", ";", "\t"):
        text = io.StringIO()
        csv.writer(text, delimiter=delimiter).writerows(
            [["a", "b; c", "d, e"], ["1", "2", "3"], ["4", "5;6", "7,8"]]
        )
        path = tmp_path / "d.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
        table = open_table(path)
        assert table.delimiter == delimiter
        assert list(table.records())[2] == ["4", "5;6", "7,8"]


def test_single_column_file(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("lead_voice\nAgree\n", encoding="utf-8")
    assert open_table(path).delimiter == ","


def test_quoted_and_unquoted_lines_mix(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(
        b'a,b,c\r\n1,2,3\r\n"x, y","two\r\nlines",z\r\n4,"5 ""quoted""",6\r\nq"r,s,t\r\n'
    )
    assert list(open_table(path).records()) == [
        ["a", "b", "c"],
        ["1", "2", "3"],
        ["x, y", "two\r\nlines", "z"],
        ["4", '5 "quoted"', "6"],
        ['q"r', "s", "t"],
    ]


def test_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text('a,b\n1,2\n3,"never closed\n', encoding="utf-8")
    table = open_table(path)
    with pytest.raises(ResponseError) as e:
        list(table.records())
    assert str(e.value) == (
        f"{path}, line 3: the record starting on this line cannot be read as CSV (unexpected "
        "end of data). A quoted cell may not be closed; export the file again from the survey "
        "tool, or fix that line in a text editor."
    )


def test_utf16_without_bom_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes("a,b\n1,2\n".encode("utf-16-le"))
    with pytest.raises(ResponseError, match="contains binary data"):
        open_table(path)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hello")
    with pytest.raises(ResponseError, match="cannot be opened as an Excel workbook"):
        open_table(path)


def test_folder_and_blank_first_row(tmp_path: Path) -> None:
    with pytest.raises(ResponseError, match="this is a folder, not a file"):
        open_table(tmp_path)
    path = tmp_path / "b.csv"
    path.write_text(",,\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ResponseError, match=r"b\.csv, row 1: the first row is blank"):
        open_table(path)


def test_cp1252_curly_apostrophe(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes(b"story\r\nWe\x92re here\r\n")
    table = open_table(path)
    assert table.encoding == "cp1252"
    assert list(table.records())[1] == ["We\u2019re here"]


QUALTRICS_TAGS = "StartDate,EndDate,Status,Progress,Finished,ResponseId,Q1"
QUALTRICS_TEXT = "Start Date,End Date,Response Type,Progress,Finished,Response ID,Statement A"
QUALTRICS_IDS = ",".join(
    f'"{{""ImportId"":""{c}""}}"'
    for c in ("startDate", "endDate", "status", "progress", "finished", "_recordId", "QID1")
)
QUALTRICS_ROW = "2026-05-01 10:00,2026-05-01 10:05,IP Address,100,True,R_1,Agree"


def test_a_qualtrics_export_without_its_question_text_row_is_refused_at_the_importid_row(
    tmp_path: Path,
) -> None:
    """Row 2 would otherwise be read as a response whose answers are JSON."""
    path = tmp_path / "q.csv"
    path.write_text("\n".join((QUALTRICS_TAGS, QUALTRICS_IDS, QUALTRICS_ROW)) + "\n")
    with pytest.raises(ResponseError) as e:
        open_table(path)
    assert str(e.value) == (
        f"{path}, row 2: this is Qualtrics' ImportId row (cells such as "
        '\'{"ImportId":"QID1"}\'), not a response; the question-text row that comes before '
        "it in a Qualtrics export is missing, so the questions cannot be matched. Export the "
        "responses again from Qualtrics, unedited (all three header rows)."
    )


def test_an_importid_row_under_a_header_that_is_not_qualtrics_whole_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "q.csv"
    path.write_text("\n".join((QUALTRICS_TEXT, QUALTRICS_IDS, QUALTRICS_ROW)) + "\n")
    with pytest.raises(
        ResponseError,
        match="row 2: this is Qualtrics' ImportId row .* the "
        "header rows above it are not the whole header of a Qualtrics export",
    ):
        open_table(path)


def test_a_whole_qualtrics_header_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    rows = (QUALTRICS_TAGS, QUALTRICS_TEXT, QUALTRICS_IDS, QUALTRICS_ROW)
    path.write_text("\n".join(rows) + "\n")
    table = open_table(path)
    assert (table.format, table.layout.header_rows) == ("qualtrics", 3)
    assert table.headers[6].text == "Statement A"


@pytest.mark.parametrize("line", ["sep=,", "sep=;", "SEP=\t", "\ufeffsep=|"])
@pytest.mark.parametrize("end", ["\r\n", "\n", "\r"])
def test_excels_sep_line_names_the_delimiter_and_the_header_follows(
    tmp_path: Path, line: str, end: str
) -> None:
    path = tmp_path / "r.csv"
    d = line[-1]
    # the named delimiter wins: its header cells hold the other delimiters as text
    other = ";" if d == "," else ","
    path.write_text(
        f"{line}{end}lead_voice{d}role{other}team{end}Agree{d}Staff{end}", encoding="utf-8"
    )
    table = open_table(path)
    assert (table.delimiter, table.preamble) == (d, 1)
    assert [h.text for h in table.headers] == ["lead_voice", f"role{other}team"]
    assert list(table.records()) == [["lead_voice", f"role{other}team"], ["Agree", "Staff"]]


def test_rows_after_a_sep_line_count_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    rows = ("sep=,", QUALTRICS_TAGS, QUALTRICS_IDS, QUALTRICS_ROW)
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(ResponseError, match=r"q\.csv, row 2: this is Qualtrics' ImportId row"):
        open_table(path)


@pytest.mark.parametrize("line", ['"sep=;"', '\ufeff"SEP=;"'])
def test_a_quoted_sep_line_names_the_delimiter(tmp_path: Path, line: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{line}\r\nlead_voice;role,team\r\nAgree;Staff\r\n", encoding="utf-8")
    table = open_table(path)
    assert (table.delimiter, table.preamble) == (";", 1)
    assert list(table.records()) == [["lead_voice", "role,team"], ["Agree", "Staff"]]


@pytest.mark.parametrize("line", ["sep= ;", "sep = ;", "sep=;;", '"sep=;";;', '"sep= ;"'])
def test_a_sep_line_not_written_as_excel_writes_it_is_refused(tmp_path: Path, line: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{line}\r\nlead_voice;role\r\nAgree;Staff\r\n", encoding="utf-8")
    with pytest.raises(ResponseError) as e:
        open_table(path)
    assert str(e.value) == (
        f"{path}, line 1: this looks like Excel's delimiter line, but {line!r} is not written "
        "as one: Excel reads only 'sep=' followed at once by the delimiter and the line end. "
        "Write that line as sep=; or sep=, (the file's delimiter, no spaces or other marks) "
        "in a text editor, or delete it (the header row follows it), or export the file again."
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("sep=", "this is Excel's delimiter line ('sep='), but it names no delimiter."),
        (
            "sep=a",
            "this is Excel's delimiter line ('sep=a'), but it names 'a', which is no delimiter.",
        ),
        (
            'sep="',
            "this is Excel's delimiter line ('sep=\"'), but it names '\"', which is no delimiter.",
        ),
    ],
)
def test_a_sep_line_naming_no_delimiter_is_refused(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{line}\r\nlead_voice,role\r\nAgree,Staff\r\n", encoding="utf-8")
    with pytest.raises(ResponseError) as e:
        open_table(path)
    assert str(e.value) == (
        f"{path}, line 1: {message} Write the file's delimiter after 'sep=' (sep=, or sep=; in "
        "a text editor), or delete that line (the header row follows it), or export the file "
        "again."
    )


@pytest.mark.parametrize(("line", "shown"), [("sep=;", ";"), ("sep=\t", "<tab>")])
def test_a_sep_line_naming_a_delimiter_the_header_lacks_is_refused(
    tmp_path: Path, line: str, shown: str
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"{line}\r\nlead_voice,role\r\nAgree,Staff\r\n", encoding="utf-8")
    with pytest.raises(ResponseError) as e:
        open_table(path)
    assert str(e.value) == (
        f"{path}, line 1: Excel's delimiter line ('sep={shown}') names '{shown}' as the "
        "delimiter, but the header row after it (line 2) holds no such delimiter between its "
        "cells. Correct that line to the delimiter the file uses (sep=, or sep=; or sep= and a "
        "tab), or delete it, or export the file again from the survey tool."
    )
