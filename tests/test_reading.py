"""Reading export files into a ResponseSet: every format to the same values, and bad files."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from relimpact.common.errors import ResponseError
from relimpact.read.reading import inspect_responses, parse_time, read_responses
from relimpact.survey.model import NetworkMap, Question, Scale, Survey

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"

AGREE5 = Scale(
    id="agree5",
    points=(
        (1, "Strongly disagree"),
        (2, "Disagree"),
        (3, "Neither agree nor disagree"),
        (4, "Agree"),
        (5, "Strongly agree"),
    ),
    not_applicable=("Don't know",),
    favourable_from=4,
)
TOOK_PART = ("Gatherings, meetings and calls", "Working groups", "Training")


def make_survey(*extra: Question, network_map: NetworkMap | None = None) -> Survey:
    """The small survey every fixture in tests/fixtures/exports answers."""
    return Survey(
        id="fixture",
        title="Fixture survey",
        scales={"agree5": AGREE5},
        questions=(
            Question("member_code", "Your member code", type="respondent"),
            Question(
                "lead_voice",
                "The people who convene the network make room for every member's voice.",
                scale="agree5",
                dimension="leadership",
            ),
            Question(
                "lead_few",
                "A small group makes most decisions without asking members.",
                scale="agree5",
                dimension="leadership",
                reverse=True,
            ),
            Question(
                "peer_help",
                "I can ask other members for help when I need it.",
                scale="agree5",
                dimension="peer_support",
            ),
            Question(
                "role",
                "Which best describes you?",
                type="choice",
                options=("Member organisation", "Individual member", "Convenor or staff"),
                segment=True,
            ),
            Question(
                "took_part",
                "Which of these have you taken part in?",
                type="multi",
                options=TOOK_PART,
            ),
            Question(
                "story",
                "Tell us about a time the network made a difference to you.",
                type="text",
                quotable=True,
            ),
            Question("quote_ok", "May we quote what you wrote, without your name?", type="consent"),
            *extra,
        ),
        network_map=network_map,
    )


SURVEY = make_survey()


def answering(*ids: str, survey: Survey = SURVEY) -> Survey:
    """The survey a small inline file answers: only the questions it has columns for.
    (A file that holds fewer than half of a survey's questions is refused as not being
    its answers, and a scored question with no column is an error: see test_fit.py.)"""
    from dataclasses import replace

    return replace(survey, questions=tuple(q for q in survey.questions if q.id in ids))


NAN = math.nan
EXPECTED = {
    "lead_voice": [4, 5, NAN, 3, 2, 4],
    "lead_few": [2, 3, 4, NAN, 1, 4],
    "peer_help": [5, 4, 2, 4, 3, 4],
    "lead_voice_na": [False, False, True, False, False, False],
    "role": [0, 1, 2, 0, 1, -1],
    "took_part": [[1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 0, 0], [1, 1, 1], [0, 0, 1]],
    "story": [
        "They introduced us to the food bank.\nNow we share a van, and a café.",
        "",
        "It’s the people – “always”.",
        "",
        'Peer support helped; we said "thank you".',
        "",
    ],
    "quote_ok": [True, False, True, False, True, False],
    "keys": ("a1", "b2", "c3", "d4", "e5", "f6"),
}

FORMATS = [
    ("plain.csv", "csv"),
    ("plain.xlsx", "csv"),
    ("google-forms.csv", "google-forms"),
    ("google-sheet.csv", "google-forms"),
    ("microsoft-forms.xlsx", "microsoft-forms"),
    ("microsoft-forms-eu.csv", "microsoft-forms"),
    ("surveymonkey.csv", "surveymonkey"),
    ("qualtrics.csv", "qualtrics"),
    ("qualtrics-legacy.csv", "qualtrics"),
    ("kobo-labels.csv", "kobo"),
    ("kobo-xml.csv", "kobo"),
    ("odk-central.csv", "odk-central"),
    ("limesurvey.csv", "limesurvey"),
    ("typeform.csv", "typeform"),
    ("jotform.csv", "jotform"),
    ("redcap.csv", "redcap"),  # raw data: codes as relimpact build --to redcap writes them
]


def values(rs) -> dict:
    return {
        "lead_voice": rs.scale["lead_voice"].tolist(),
        "lead_few": rs.scale["lead_few"].tolist(),
        "peer_help": rs.scale["peer_help"].tolist(),
        "lead_voice_na": rs.not_applicable["lead_voice"].tolist(),
        "role": rs.choice["role"].codes.tolist(),
        "took_part": rs.multi["took_part"][1].astype(int).tolist(),
        "story": list(rs.text["story"]),
        "quote_ok": rs.consent["quote_ok"].tolist(),
        "keys": rs.respondent_keys,
    }


def warnings(rs) -> tuple[str, ...]:
    """The warnings, without the one listing questions that have no column in a small file."""
    return tuple(w for w in rs.warnings if not w.startswith("No column was found"))


def same(a: dict, b: dict) -> None:
    for key in a:
        if key in ("lead_voice", "lead_few", "peer_help"):
            np.testing.assert_array_equal(np.array(a[key]), np.array(b[key]), err_msg=key)
        else:
            assert a[key] == b[key], key


@pytest.mark.parametrize("name,fmt", FORMATS)
def test_every_format_reads_to_the_same_values(name: str, fmt: str) -> None:
    rs = read_responses(SURVEY, [EXPORTS / name])
    assert rs.format == fmt
    assert rs.respondents == 6
    assert rs.rows == 6
    assert rs.problems == ()
    assert rs.warnings == ()
    same(values(rs), EXPECTED)
    matched = {m.question for m in rs.matches}
    assert matched == {q.id for q in SURVEY.questions}
    # Personal data never reaches the ResponseSet, whatever the format.
    text = repr(rs) + repr(rs.files) + repr(rs.ignored) + repr(list(rs.source_rows))
    for secret in ("example.org", "192.0.2", "Ada", "One, Ada", "51.5072", "Field team"):
        assert secret not in text


def test_the_same_values_as_the_plain_csv_in_every_format() -> None:
    plain = values(read_responses(SURVEY, [EXPORTS / "plain.csv"]))
    for name, _ in FORMATS:
        same(values(read_responses(SURVEY, [EXPORTS / name])), plain)


CONTRACT_FORMATS = {
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
}


def test_the_json_format_is_one_of_the_contract_names_with_two_exporters() -> None:
    """commands.md lists the names ``source.format`` takes; files from two tools give the
    first file's, and ``source.formats`` both (docs/spec-additions.md)."""
    from dataclasses import replace

    from relimpact.read.responses import FileInfo
    from relimpact.scoring.engine import score
    from tests.helpers import response_set, small_survey

    survey = small_survey()
    rs = response_set(survey, {q: [1, 2, 3, 4] for q in ("a1", "a2", "a3", "n1", "n2")})
    files = (
        FileInfo("a.csv", "google-forms", "utf-8", ",", 1, 2),
        FileInfo("b.csv", "csv", "utf-8", ",", 1, 2),
        FileInfo("c.csv", "google-forms", "utf-8", ",", 1, 0),
    )
    source = score(replace(rs, files=files)).to_dict()["source"]
    assert source["format"] == "google-forms" and source["format"] in CONTRACT_FORMATS
    assert source["formats"] == ["google-forms", "csv"]
    one = score(rs).to_dict()["source"]
    assert one["format"] == "csv" and "formats" not in one


def test_file_info_per_format() -> None:
    rs = read_responses(SURVEY, [EXPORTS / "microsoft-forms-eu.csv", EXPORTS / "limesurvey.csv"])
    eu, lime = rs.files
    assert (eu.format, eu.encoding, eu.delimiter, eu.header_rows, eu.rows) == (
        "microsoft-forms",
        "cp1252",
        ";",
        1,
        6,
    )
    assert (lime.format, lime.encoding, lime.delimiter) == ("limesurvey", "utf-8-sig", ",")
    # the contract's format is one exporter's name: the first file's; formats has both
    assert (rs.format, rs.formats) == ("microsoft-forms", ("microsoft-forms", "limesurvey"))
    assert rs.respondents == 6  # the same six respondents twice: the later file's rows kept
    assert rs.file_index is not None and rs.file_index.tolist() == [1] * 6
    assert rs.warnings == (
        "Removed 6 earlier submissions from respondents who answered more than once "
        "(kept the latest).",
    )
    sm = read_responses(SURVEY, [EXPORTS / "surveymonkey.csv"]).files[0]
    assert (sm.header_rows, sm.encoding) == (2, "utf-8")
    q = read_responses(SURVEY, [EXPORTS / "qualtrics.csv"]).files[0]
    assert q.header_rows == 3
    legacy = read_responses(SURVEY, [EXPORTS / "qualtrics-legacy.csv"]).files[0]
    assert legacy.header_rows == 2


def test_source_rows_count_header_rows_and_embedded_newlines() -> None:
    rs = read_responses(SURVEY, [EXPORTS / "qualtrics.csv"])
    assert list(rs.source_rows) == [f"{EXPORTS / 'qualtrics.csv'} row {r}" for r in range(4, 10)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("fixture", ["qualtrics.csv", "surveymonkey.csv", "google-forms.csv"])
def test_a_line_break_in_a_quoted_header_cell(tmp_path: Path, fixture: str, newline: str) -> None:
    """Excel and some exports write a header cell over two lines ("Start Date" and
    "(local time)" in one quoted cell): the header still has as many records, and the data
    is read alike (Arrow's own skip_rows would count the lines)."""
    raw = (EXPORTS / fixture).read_bytes()
    first, rest = raw.split(b"\n", 1)
    cells = first.decode("utf-8-sig").rstrip("\r").split(",")
    at = next(
        i for i, c in enumerate(cells) if c.strip('"') in ("StartDate", "Start Date", "Timestamp")
    )
    cells[at] = '"' + cells[at].strip('"') + newline + '(as exported)"'
    path = tmp_path / fixture
    path.write_bytes((",".join(cells) + "\n").encode() + rest)
    before = read_responses(SURVEY, [EXPORTS / fixture])
    after = read_responses(SURVEY, [path])
    assert after.respondents == before.respondents > 0
    assert after.files[0].header_rows == before.files[0].header_rows
    assert [r.split(" row ")[1] for r in after.source_rows] == [
        r.split(" row ")[1] for r in before.source_rows
    ]
    for q in before.scale:
        assert np.array_equal(
            np.asarray(after.scale[q], dtype=float),
            np.asarray(before.scale[q], dtype=float),
            equal_nan=True,
        )


def test_ignored_columns_say_why() -> None:
    rs = read_responses(SURVEY, [EXPORTS / "surveymonkey.csv"])
    reasons = {c.column: c.reason for c in rs.ignored}
    assert reasons["Email Address"] == "personal data"
    assert reasons["IP Address"] == "personal data"
    assert reasons["First Name"] == "personal data"
    assert reasons["Respondent ID"] == "export metadata"
    kobo = read_responses(SURVEY, [EXPORTS / "kobo-xml.csv"])
    reasons = {c.column: c.reason for c in kobo.ignored}
    assert reasons["_submitted_by"] == "personal data"
    assert (
        reasons["took_part/training"]
        == 'same answers as column "took_part" (one column per option)'
    )
    match = {m.question: m.column for m in kobo.matches}
    assert match["lead_voice"] == "statements/lead_voice"
    sm = {m.question: m.column for m in rs.matches}
    assert sm["lead_voice"] == (
        "How much do you agree with each statement? / The people who convene the network "
        "make room for every member&apos;s voice."
    )


# --------------------------------------------------------------------------- bad files


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def error_text(survey: Survey, *paths: Path) -> str:
    with pytest.raises(ResponseError) as e:
        read_responses(survey, list(paths))
    return str(e.value)


def test_unknown_label_names_file_column_value_count_and_rows(tmp_path: Path) -> None:
    rows = ["member_code,lead_voice"] + [
        f"K{i},{'Agre' if i % 3 == 0 else 'Agree'}" for i in range(12)
    ]
    path = write(tmp_path, "r.csv", "\n".join(rows) + "\n")
    assert error_text(answering("member_code", "lead_voice"), path) == (
        f"{path}, column \"lead_voice\": 'Agre' is not a label of scale 'agree5' (did you mean "
        "'Agree'?) (its labels are 'Strongly disagree', 'Disagree', 'Neither agree nor disagree', "
        "'Agree', 'Strongly agree'; not applicable: 'Don't know'; or the point numbers 1 to 5); "
        "4 rows hold it (rows 2, 5, 8, 11). Add it to the scale's points or not_applicable in "
        "survey.yaml, or correct the file."
    )


def test_many_rows_list_the_first_five(tmp_path: Path) -> None:
    rows = ["lead_voice"] + ["Agree", "Sort of"] * 10
    path = write(tmp_path, "r.csv", "\n".join(rows))
    (problem,) = inspect_responses(answering("lead_voice"), [path]).problems
    assert (problem.value, problem.count, problem.rows) == ("Sort of", 10, (3, 5, 7, 9, 11))
    assert "10 rows hold it (first rows 3, 5, 7, 9, 11)" in problem.message


def test_out_of_range_number(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "lead_voice,peer_help\n4,5\n6,4.0\n")
    assert error_text(answering("lead_voice", "peer_help"), path) == (
        f"{path}, column \"lead_voice\": '6' is not a point of scale 'agree5' (its points are 1 "
        "to 5); 1 row holds it (row 3). If '6' means an answer such as \"Don't know\", list it "
        'in the scale\'s not_applicable in survey.yaml (not_applicable: ["Don\'t know", "6"]): '
        "it is then counted, never scored. Otherwise correct the file, or add the point to the "
        "scale."
    )


def test_several_problems_are_listed_together(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "lead_voice,role,took_part\n9,Staff,Training;Lunch\n")
    text = error_text(answering("lead_voice", "role", "took_part"), path)
    assert text.startswith("3 problems:\n  - ")
    assert "'Staff' is not an option of question 'role'" in text
    assert "'Training;Lunch' holds 'Lunch', which is not an option of question 'took_part'" in text


def test_ragged_row(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "member_code,lead_voice\nA1,Agree\nB2,Agree,Agree\nC3,Agree\n")
    assert error_text(answering("member_code", "lead_voice"), path) == (
        f"{path}, row 3: this row has 3 cells but the header has 2 columns. A cell may hold an "
        "unquoted delimiter or line break; export the file again from the survey tool, or fix "
        "that row in a text editor."
    )


def test_short_row_is_ragged_too(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "member_code,lead_voice,peer_help\nA1,Agree,Agree\nB2\n")
    survey = answering("member_code", "lead_voice", "peer_help")
    assert "row 3: this row has 1 cells but the header has 3 columns." in error_text(survey, path)


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_excels_sep_line_is_honoured_and_is_no_row(tmp_path: Path, bom: str) -> None:
    """Excel's ``sep=;`` line names the delimiter; it is no row (row 1 is the first header
    row, as Excel shows the file), so a bad answer on line 5 is named at row 4."""
    rows = [f"K{i};{'Agre' if i == 2 else 'Agree'}" for i in range(40)]
    text = bom + "sep=;\r\nmember_code;lead_voice\r\n" + "\r\n".join(rows) + "\r\n"
    path = write(tmp_path, "r.csv", text)
    message = error_text(answering("member_code", "lead_voice"), path)
    assert message.startswith(f"{path}, column \"lead_voice\": 'Agre' is not a label")
    assert "1 row holds it (row 4)." in message
    good = write(tmp_path, "good.csv", text.replace(";Agre\r", ";Agree\r"))
    rs = read_responses(answering("member_code", "lead_voice"), [good])
    assert (rs.rows, rs.respondents, rs.files[0].delimiter) == (40, 40, ";")
    assert rs.files[0].header_rows == 1


def test_after_a_sep_line_rows_count_from_the_header_and_lines_from_the_file(
    tmp_path: Path,
) -> None:
    text = "sep=,\nmember_code,lead_voice\nA1,Agree\nB2,Agree,Agree\n" + "C3,Agree\n" * 40
    path = write(tmp_path, "r.csv", text)
    assert error_text(answering("member_code", "lead_voice"), path).startswith(
        f"{path}, row 3: this row has 3 cells but the header has 2 columns."
    )
    text = 'sep=,\nmember_code,lead_voice\nA1,Agree\nB2,"Agree\n' + "C3,Agree\n" * 40
    path = write(tmp_path, "open.csv", text)
    assert error_text(answering("member_code", "lead_voice"), path).startswith(
        f"{path}, line 4: the record starting on this line cannot be read as CSV"
    )


def test_a_sep_line_before_answers_names_the_first_row_as_row_1(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "sep=,\nA1,Agree,Disagree\nB2,Agree,Agree\n")
    assert error_text(SURVEY, path).startswith(f"{path}, row 1: the first row holds answers")


def test_a_stray_nul_byte_in_a_text_file_is_named_by_its_line(tmp_path: Path) -> None:
    """One NUL pasted into a cell: the file is text, so the line to fix is named (and no
    advice about UTF-16, which does not apply)."""
    text = b"member_code,lead_voice\r\nA1,Agree\r\nB2,Ag\x00ree\r\n" + b"C3,Agree\r\n" * 40
    path = write(tmp_path, "r.csv", text)
    assert error_text(SURVEY, path) == (
        f"{path}, line 3: this line holds a NUL byte (0x00), which is not text and cannot be "
        "in a CSV file. Delete it in a text editor, or export the file again from the survey "
        "tool."
    )


def test_a_nul_byte_past_the_first_64_kb_is_named_by_its_line(tmp_path: Path) -> None:
    """The first 64 KB are searched for a NUL when the file is opened; one further on is
    found by the pass that checks the encoding, not read into a cell."""
    rows = [f"K{i},Agree" for i in range(10_000)]  # some 100 KB
    rows[9_000] = "K9000,Ag\x00ree"
    path = write(tmp_path, "r.csv", "member_code,lead_voice\n" + "\n".join(rows) + "\n")
    assert error_text(answering("member_code", "lead_voice"), path) == (
        f"{path}, line 9002: this line holds a NUL byte (0x00), which is not text and cannot "
        "be in a CSV file. Delete it in a text editor, or export the file again from the "
        "survey tool."
    )


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_a_nul_past_the_first_64_kb_is_refused_in_utf16_and_windows_1252(
    tmp_path: Path, encoding: str
) -> None:
    rows = [f"K{i},Agree" for i in range(10_000)]
    rows[5] = "K5,Agree \u2019"  # a curly quote: Windows-1252's byte 0x92 is not UTF-8
    rows[9_000] = "K9000,Ag\x00ree"
    text = "member_code,lead_voice\r\n" + "\r\n".join(rows) + "\r\n"
    path = write(tmp_path, "r.csv", text.encode(encoding))
    assert error_text(answering("member_code", "lead_voice"), path).startswith(
        f"{path}, line 9002: this line holds a NUL byte (0x00)"
    )


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert error_text(SURVEY, path) == (
        f"{path}: this is not a CSV or XLSX file (it contains binary data). Export the responses "
        "from the survey tool as CSV or Excel (.xlsx). A text file saved as UTF-16 without a "
        'byte-order mark must be saved as "CSV UTF-8".'
    )


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "")
    assert error_text(SURVEY, path) == (
        f"{path}: the file is empty. Download the responses again from the survey tool."
    )


def test_header_only_file(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "member_code,lead_voice\n\n\n")
    survey = answering("member_code", "lead_voice")
    assert error_text(survey, path) == (
        f"{path}: there are no responses: the files hold headers but no answers. Download the "
        "responses again once people have answered."
    )
    assert inspect_responses(survey, [path]).warnings == (
        "The files hold headers but no responses.",
    )


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    assert error_text(SURVEY, path) == f"{path}: file not found. Check the path and file name."


def test_no_matching_column(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "a,b,c\n1,2,3\n")
    assert error_text(SURVEY, path) == (
        f"{path} does not look like answers to survey.yaml (0 of 8 questions found). Check "
        "that this is the export of this survey and that the survey comes first; if the survey "
        "tool renamed the questions, give each question its column header as an alias in "
        f"survey.yaml ('relimpact inspect survey.yaml {path}' lists the columns)."
    )


def test_undecodable_encoding(tmp_path: Path) -> None:
    # 0x81 is neither UTF-8 (a lone continuation byte) nor defined in Windows-1252.
    path = write(tmp_path, "r.csv", b"member_code,story\nA1,fine\nB2,caf\x81\n")
    assert error_text(SURVEY, path) == (
        f"{path}, line 3: byte 0x81 cannot be read as UTF-8 or as Windows-1252 text. Save the "
        'file again as "CSV UTF-8" (in Excel: File > Save As > CSV UTF-8), or export it again '
        "from the survey tool."
    )


def test_a_stray_windows_1252_byte_in_a_utf8_file_is_named_not_decoded_as_cp1252(
    tmp_path: Path,
) -> None:
    """Read as Windows-1252, every accent of this UTF-8 file would be mojibake: refused at
    the one byte that is not UTF-8."""
    text = "member_code,story\nA1,Très utile\nB2,Le réseau m'aide\nC3,C\x92est super\n"
    path = write(tmp_path, "r.csv", text.encode("utf-8").replace(b"\xc2\x92", b"\x92"))
    assert error_text(answering("member_code", "story"), path) == (
        f"{path}, line 4: byte 0x92 ('\u2019' in Windows-1252) is not UTF-8, although the rest "
        "of the file is UTF-8 (2 characters beyond ASCII): part of it was pasted in from "
        "another encoding. Correct that character in a text editor that reads the file as "
        "UTF-8 and re-save it as CSV UTF-8, or export the file again from the survey tool."
    )


def test_stray_bytes_past_the_first_megabyte_are_found_and_counted(tmp_path: Path) -> None:
    """Past the part of a large file that is checked first (and, on the Arrow path, taken
    as UTF-8 on trust), the stray bytes are still found: the first one is named."""
    body = "".join(f"K{i},Très utile\n" for i in range(90_000)).encode("utf-8")
    path = write(tmp_path, "r.csv", b"member_code,story\n" + body + b"Z1,caf\xe9\nZ2,\x93Oui\x94\n")
    text = error_text(answering("member_code", "story"), path)
    assert text.startswith(
        f"{path}, line 90002: byte 0xE9 ('\u00e9' in Windows-1252) is not UTF-8 (the first of 3 "
        "such bytes), although the rest of the file is UTF-8 (90,000 characters beyond ASCII)"
    )


def test_a_windows_1252_file_holding_a_valid_utf8_sequence_by_chance_is_still_cp1252(
    tmp_path: Path,
) -> None:
    """ "été\u00a0»" in Windows-1252 ends in the bytes E9 A0 BB, a valid UTF-8 character:
    one such accident among the file's accents is no reason to refuse it."""
    text = "member_code,story\r\nA1,«\u00a0Très été\u00a0»\r\nB2,Déjà\r\n"
    path = write(tmp_path, "r.csv", text.encode("cp1252"))
    rs = read_responses(answering("member_code", "story"), [path])
    assert rs.files[0].encoding == "cp1252"
    assert list(rs.text["story"]) == ["«\u00a0Très été\u00a0»", "Déjà"]


def test_a_header_that_is_mojibake_is_never_offered_as_an_alias(tmp_path: Path) -> None:
    """A UTF-8 header in a file read as Windows-1252 (most of its accents are Windows-1252):
    the advice is to re-save the file, not an aliases line of mojibake."""
    fr = Question("fr", "Le réseau m'aide.", scale="agree5", dimension="leadership")
    survey = answering("member_code", "fr", survey=make_survey(fr))
    text = "member_code,Le réseau m'aide.,notes\nA1,Agree,\nB2,Agree,".encode() + b"d\xe9j\xe0\n"
    path = write(tmp_path, "r.csv", text)
    assert error_text(survey, path) == (
        "survey.yaml: scored question 'fr' (\"Le réseau m'aide.\") has no column in "
        f'{path}; did you mean "Le rÃ©seau m\'aide."? That header is UTF-8 text read as '
        'Windows-1252 ("Le réseau m\'aide."): the file mixes the two encodings. Re-save '
        f"{path} as CSV UTF-8, or export it again from the survey tool."
    )


def test_a_header_repeated_mid_file_is_named_as_such_not_blamed_as_answers(
    tmp_path: Path,
) -> None:
    """Two exports pasted into one file: the second header row is one problem at its row,
    not an unknown answer in every column."""
    part = "member_code,lead_voice,peer_help\nA1,Agree,Agree\nB2,Disagree,Agree\n"
    path = write(tmp_path, "r.csv", part + part.replace("A1", "C3").replace("B2", "D4"))
    assert error_text(answering("member_code", "lead_voice", "peer_help"), path) == (
        f"{path}: row 4 repeats the header row: two exports pasted together? Give each export "
        "as its own file (several response files are read as one set of responses), or delete "
        "the repeated header rows."
    )


def test_a_label_equal_to_a_header_in_one_cell_is_still_an_answer_problem(
    tmp_path: Path,
) -> None:
    """One cell holding its column's header is not a repeated header row."""
    text = "member_code,lead_voice,peer_help\nA1,Agree,Agree\nB2,lead_voice,Agree\n"
    path = write(tmp_path, "r.csv", text)
    message = error_text(answering("member_code", "lead_voice", "peer_help"), path)
    assert "'lead_voice' is not a label of scale 'agree5'" in message
    assert "repeats the header" not in message


def test_old_xls_workbook(tmp_path: Path) -> None:
    path = write(tmp_path, "r.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "this is an old Excel .xls workbook" in error_text(SURVEY, path)


def test_two_columns_for_one_question(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "lead_voice,The people who convene the network make room "
        "for every member's voice.\nAgree,Agree\n",
    )
    assert error_text(answering("lead_voice"), path) == (
        f'{path}, columns 1 and 2 (A and B in a spreadsheet): these columns are headed "lead_voice"'
        ' and "The people who convene the network make room for every member\'s voice.", and '
        "both match question 'lead_voice': which one holds its answers cannot be told. Delete "
        "the columns that do not belong to it (a column copied twice), or, if each is a "
        "different question, rename its header and give it as that question's alias in "
        "survey.yaml."
    )


def test_a_column_copied_twice_is_one_problem_naming_both_positions(tmp_path: Path) -> None:
    """The same header twice: one message, by column number and letter (the headers are
    the same text), and the question is not also called missing."""
    cells = ["member_code", "lead_voice", "peer_help"] + [f"x{i}" for i in range(24)]
    header = ",".join([*cells, "lead_voice"])
    path = write(tmp_path, "r.csv", header + "\n" + ",".join(["A1", "Agree", "Agree"] + [""] * 25))
    assert error_text(answering("member_code", "lead_voice", "peer_help"), path) == (
        f"{path}, columns 2 and 28 (B and AB in a spreadsheet): these columns are both headed "
        "\"lead_voice\", and both match question 'lead_voice': which one holds its answers "
        "cannot be told. Delete the columns that do not belong to it (a column copied twice), "
        "or, if each is a different question, rename its header and give it as that question's "
        "alias in survey.yaml."
    )


def test_inspect_reports_instead_of_raising(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "member_code,lead_voice,lead_few,peer_help,Email,Other column\n"
        "A1,Agre,Agree,Agree,a@x.org,1\n",
    )
    ins = inspect_responses(SURVEY, [path])
    assert not ins.ok
    assert [(p.column, p.value, p.count, p.rows) for p in ins.problems] == [
        ("lead_voice", "Agre", 1, (2,))
    ]
    assert {(c.column, c.reason) for c in ins.ignored} == {
        ("Email", "personal data"),
        ("Other column", "no matching question"),
    }
    assert ins.unmatched_questions == (
        "role",
        "took_part",
        "story",
        "quote_ok",
    )
    assert [m.question for m in ins.matches] == [
        "member_code",
        "lead_voice",
        "lead_few",
        "peer_help",
    ]
    assert "a@x.org" not in repr(ins)
    good = inspect_responses(SURVEY, [EXPORTS / "plain.csv"])
    assert good.ok and good.respondents == 6 and good.problems == ()


def test_inspect_still_raises_for_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ResponseError, match="binary data"):
        inspect_responses(SURVEY, [write(tmp_path, "r.csv", b"\x00\x01\x02")])


# --------------------------------------------------------------------------- text details


def test_bom_cp1252_semicolon_and_crlf(tmp_path: Path) -> None:
    text = "member_code;story;lead_voice\r\nA1;Don\x92t stop \x96 caf\xe9;Agree\r\n"
    path = write(tmp_path, "r.csv", text.encode("latin-1"))
    rs = read_responses(answering("member_code", "story", "lead_voice"), [path])
    assert rs.files[0].encoding == "cp1252" and rs.files[0].delimiter == ";"
    assert rs.text["story"] == ("Don’t stop – café",)
    bom = write(tmp_path, "b.csv", "\ufeffmember_code\tlead_voice\nA1\tAgree\n".encode())
    rs = read_responses(answering("member_code", "lead_voice"), [bom])
    assert (rs.files[0].encoding, rs.files[0].delimiter) == ("utf-8-sig", "\t")
    assert rs.scale["lead_voice"].tolist() == [4.0]
    utf16 = write(tmp_path, "u.csv", "member_code\tlead_voice\r\nA1\tAgree\r\n".encode("utf-16"))
    utf16_survey = answering("member_code", "lead_voice")
    assert read_responses(utf16_survey, [utf16]).files[0].encoding == "utf-16"


def test_a_five_megabyte_cell_and_blank_trailing_rows(tmp_path: Path) -> None:
    big = "word, " * 900_000
    path = write(tmp_path, "r.csv", f'member_code,story\nA1,"{big}"\nB2,short\n,\n\n\n')
    rs = read_responses(answering("member_code", "story"), [path])
    assert rs.text["story"] == (big, "short")
    assert rs.rows == 2 and rs.files[0].rows == 2


def test_a_record_of_white_space_cells_is_no_record(tmp_path: Path) -> None:
    """Whether or not the other records of its block are all full width (the csv path's
    quick case), and through the Arrow path, which strips every cell: a record of blank
    or white-space cells is skipped like a blank line, never counted as read."""
    full = write(tmp_path, "a.csv", 'member_code,lead_voice\nA1,Agree\n" ","\t"\nB2,Agree\n')
    short = write(tmp_path, "b.csv", 'member_code,lead_voice\nA1,Agree\n" ","\t"\nB2,Agree,\n')
    for path in (full, short):
        rs = read_responses(answering("member_code", "lead_voice"), [path])
        assert rs.rows == 2 and rs.files[0].rows == 2, path.name
        assert warnings(rs) == (), path.name


def test_text_is_kept_as_written_and_white_space_is_blank(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", 'member_code,story,role\nA1,"  Two  spaces ",\nB2,"   ",\n')
    rs = read_responses(answering("member_code", "story", "role"), [path])
    assert rs.text["story"] == ("  Two  spaces ",)
    assert warnings(rs) == ("Removed 1 empty submission (rows that answer no question).",)


def test_numbers_and_point_numbers(tmp_path: Path) -> None:
    survey = answering(
        "lead_voice", "size", survey=make_survey(Question("size", "How many staff?", type="number"))
    )
    path = write(tmp_path, "r.csv", "lead_voice;size\n4;3,5\n4.0;12\n ;\n5;-2\n")
    rs = read_responses(survey, [path])
    assert rs.scale["lead_voice"].tolist()[:2] == [4.0, 4.0]
    assert rs.number["size"].tolist() == [3.5, 12.0, -2.0]
    comma = write(tmp_path, "c.csv", 'lead_voice,size\n4,"1,250"\n4,x\n')
    text = error_text(survey, comma)
    assert "'x' is not a number (question 'size' takes numbers)" in text


def test_consent_yes_like_answers(tmp_path: Path) -> None:
    answers = [
        "Yes",
        "Y",
        "I agree",
        "Agree",
        "True",
        "1",
        "yes",
        "Yes, you may quote me",
        "No",
        "Maybe",
        "",
    ]
    path = write(
        tmp_path, "r.csv", "lead_voice,quote_ok\n" + "".join(f'Agree,"{a}"\n' for a in answers)
    )
    rs = read_responses(answering("lead_voice", "quote_ok"), [path])
    assert rs.consent["quote_ok"].tolist() == [True] * 8 + [False] * 3


def test_curly_quotes_html_entities_and_trailing_star_in_headers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        '"THE PEOPLE WHO CONVENE THE NETWORK MAKE ROOM FOR EVERY MEMBER’S VOICE. *",'
        "A small group makes most decisions without asking members&period;\n"
        "strongly agree,\u201cAgree\u201d\n",
    )
    rs = read_responses(answering("lead_voice", "lead_few"), [path])
    assert rs.scale["lead_voice"].tolist() == [5.0]
    assert rs.scale["lead_few"].tolist() == [4.0]


def test_aliases_and_qualtrics_import_ids(tmp_path: Path) -> None:
    survey = make_survey(Question("extra", "Anything else?", type="text", aliases=("QID9",)))
    path = write(tmp_path, "r.csv", "Consent to quote,QID9\nYes,Hello\n")
    survey = make_survey(
        Question("extra", "Anything else?", type="text", aliases=("Consent to quote",))
    )
    assert read_responses(answering("extra", survey=survey), [path]).text["extra"] == ("Yes",)


def test_multi_option_containing_the_separator_is_not_split(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        'took_part\n"Gatherings, meetings and calls"\n"Training, Gatherings, meetings and calls"\n',
    )
    rs = read_responses(answering("took_part"), [path])
    assert rs.multi["took_part"][1].astype(int).tolist() == [[1, 0, 0], [1, 0, 1]]


def test_microsoft_forms_repeated_titles(tmp_path: Path) -> None:
    survey = Survey(
        id="rep",
        title="Repeated",
        scales={"agree5": AGREE5},
        questions=(
            Question("before", "How connected do you feel?", scale="agree5", dimension="d"),
            Question("after", "How connected do you feel?", scale="agree5", dimension="d"),
        ),
    )
    header = "ID,Start time,Completion time,Email,Name"
    path = write(
        tmp_path,
        "r.csv",
        f"{header},How connected do you feel?,How connected do you feel?2\n"
        "1,10/5/26 9:10:02,10/5/26 9:12:05,,,Disagree,Agree\n",
    )
    rs = read_responses(survey, [path])
    assert (rs.scale["before"].tolist(), rs.scale["after"].tolist()) == ([2.0], [4.0])
    three = write(
        tmp_path,
        "t.csv",
        f"{header},How connected do you feel?,How connected do you feel?2,"
        "How connected do you feel?3\n1,10/5/26 9:10:02,10/5/26 9:12:05,,,Disagree,Agree,Agree\n",
    )
    assert "this looks like a repeated question title, but the survey has 2 questions" in (
        error_text(survey, three)
    )


# --------------------------------------------------------------------------- duplicates


def test_duplicates_keep_the_latest_submission_by_time(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "Timestamp,Your member code,lead_voice\n"
        '"2026/10/05 9:12:05 PM GMT+1",A1,Disagree\n'
        '"2026/10/05 10:12:05 AM GMT+1", a1 ,Agree\n'
        '"2026/10/06 9:00:00 AM GMT+1",B2,Agree\n'
        '"2026/10/07 9:00:00 AM GMT+1",,Agree\n'
        '"2026/10/07 9:00:00 AM GMT+1",,Agree\n'
        '"2026/10/07 9:30:00 AM GMT+1",C3,\n',
    )
    rs = read_responses(answering("member_code", "lead_voice"), [path])
    assert rs.respondent_keys == ("a1", "b2", "", "")
    assert rs.scale["lead_voice"].tolist() == [2.0, 4.0, 4.0, 4.0]  # row 2 is later than row 3
    assert rs.rows == 6 and rs.respondents == 4
    assert warnings(rs) == (
        "Removed 1 empty submission (rows that answer no question).",
        "Removed 1 earlier submission from respondents who answered more than once "
        "(kept the latest).",
    )
    assert [s.split()[-1] for s in rs.source_rows] == ["2", "4", "5", "6"]
    assert "c3" not in repr(rs.warnings)


def test_duplicates_without_times_keep_the_later_row(tmp_path: Path) -> None:
    a = write(tmp_path, "a.csv", "member_code,lead_voice\nA1,Disagree\nB2,Agree\n")
    b = write(tmp_path, "b.csv", "member_code,lead_voice\nA1,Strongly agree\n")
    rs = read_responses(answering("member_code", "lead_voice"), [a, b])
    assert rs.respondent_keys == ("b2", "a1")
    assert rs.scale["lead_voice"].tolist() == [4.0, 5.0]
    assert list(rs.source_rows) == [f"{a} row 3", f"{b} row 2"]


def test_day_month_order_is_read_from_the_data(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "Timestamp,member_code,lead_voice\n"
        "03/10/2026 09:00:00,A1,Agree\n"  # 3 October
        "10/03/2026 09:00:00,A1,Disagree\n"  # 10 March: earlier, so dropped
        "25/10/2026 09:00:00,B2,Agree\n",
    )
    rs = read_responses(answering("member_code", "lead_voice"), [path])
    assert rs.scale["lead_voice"].tolist() == [4.0, 4.0]


@pytest.mark.parametrize(
    "text,dayfirst,expected",
    [
        ("2026/10/05 9:12:05 AM GMT+1", True, "2026-10-05T08:12:05+00:00"),
        ("2026/10/05 9:12:05 PM GMT-2", True, "2026-10-05T23:12:05+00:00"),
        ("05/10/2026 09:12:05", True, "2026-10-05T09:12:05+00:00"),
        ("10/5/26 9:12:05", False, "2026-10-05T09:12:05+00:00"),
        ("10/05/2026 09:12:05 AM", False, "2026-10-05T09:12:05+00:00"),
        ("2026-10-05T08:12:07.512Z", True, "2026-10-05T08:12:07.512000+00:00"),
        ("2026-10-05 09:12:05", True, "2026-10-05T09:12:05+00:00"),
        ("2026-10-05T09:12:05.000+01:00", True, "2026-10-05T08:12:05+00:00"),
        ("Oct 5, 2026", True, "2026-10-05T00:00:00+00:00"),
    ],
)
def test_parse_time(text: str, dayfirst: bool, expected: str) -> None:
    import datetime as dt

    stamp = parse_time(text, dayfirst)
    assert stamp is not None
    assert dt.datetime.fromtimestamp(stamp, dt.timezone.utc).isoformat() == expected


def test_unreadable_time_is_not_a_guess() -> None:
    assert parse_time("sometime on Tuesday") is None
    assert parse_time("") is None


# --------------------------------------------------------------------------- network map


def test_member_and_connections_split_by_roster(tmp_path: Path) -> None:
    roster = ("Smith, Jones & Co", "Copperleaf Arts", "Okafor, Reid and Partners")
    survey = make_survey(
        Question("me", "Which member are you?", type="member"),
        Question("with", "Who have you worked with?", type="connections"),
        network_map=NetworkMap(members=roster),
    )
    path = write(
        tmp_path,
        "r.csv",
        "me,with\n"
        'Copperleaf Arts,"Smith, Jones & Co, Okafor, Reid and Partners"\n'
        '"Smith, Jones & Co","Copperleaf Arts, Someone Else"\n'
        "Nobody Known,\n",
    )
    rs = read_responses(answering("me", "with", survey=survey), [path])
    assert rs.member["me"] == ("Copperleaf Arts", "Smith, Jones & Co", "")
    assert rs.connections["with"] == (
        ("Smith, Jones & Co", "Okafor, Reid and Partners"),
        ("Copperleaf Arts",),
        (),
    )
    assert warnings(rs) == (
        "Question 'me': left out 1 name that is not on the network map's member list (first "
        "rows 4); add it to network_map.members or correct the file.",
        "Question 'with': left out 1 name that is not on the network map's member list (first "
        "rows 3); add it to network_map.members or correct the file.",
    )
    assert "Someone Else" not in repr(rs)


# --------------------------------------------------------------------------- streaming


def test_progress_is_reported_every_50000_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("lead_voice,peer_help\n")
        for i in range(120_001):
            f.write("Agree,Disagree\n" if i % 2 else "Strongly agree,\n")
    seen: list[int] = []
    rs = read_responses(answering("lead_voice", "peer_help"), [path], progress=seen.append)
    assert seen == [50_000, 100_000, 120_001]
    assert rs.respondents == 120_001
    assert float(np.nansum(rs.scale["lead_voice"])) == 60_000 * 4 + 60_001 * 5
    assert int(np.isnan(rs.scale["peer_help"]).sum()) == 60_001


def test_input_files_are_not_modified(tmp_path: Path) -> None:
    copy = tmp_path / "k.csv"
    shutil.copy(EXPORTS / "kobo-labels.csv", copy)
    before = copy.read_bytes()
    read_responses(SURVEY, [copy])
    assert copy.read_bytes() == before


def test_kobo_xml_values_use_the_form_builders_choice_names(tmp_path: Path) -> None:
    survey = make_survey(
        Question("age", "Age band", type="choice", options=("Under 25", "65 or over", "Café")),
    )
    path = write(tmp_path, "r.csv", "age;lead_voice\nc_65_or_over;don_t_know\ncafe;dont_know\n")
    rs = read_responses(answering("age", "lead_voice", survey=survey), [path])
    assert rs.choice["age"].codes.tolist() == [1, 2]
    assert rs.not_applicable["lead_voice"].tolist() == [True, True]


def test_kobo_xml_values_tell_negative_codes_from_positive_ones(tmp_path: Path) -> None:
    # The form builder names "-1" c_m1 and "1" c_1 (both were c_1, which the XLSForm
    # refused); an export with XML values reads each back to its own option.
    survey = make_survey(
        Question("mood", "Mood", type="choice", options=("-1", "0", "1")),
        Question("moods", "Moods", type="multi", options=("-1", "0", "1")),
    )
    path = write(
        tmp_path,
        "r.csv",
        "mood;moods;lead_voice\nc_m1;c_m1 c_1;4\nc_1;c_0;5\nc_0;c_1;3\n",
    )
    rs = read_responses(answering("mood", "moods", "lead_voice", survey=survey), [path])
    assert rs.choice["mood"].codes.tolist() == [0, 2, 1]
    assert rs.multi["moods"][1].astype(int).tolist() == [[1, 0, 1], [0, 1, 0], [0, 0, 1]]


def test_a_file_with_carriage_returns_alone_for_line_ends_reads_as_with_crlf(tmp_path) -> None:  # noqa: ANN001
    # Excel for Mac's "CSV (Macintosh)" ends lines with CR only.
    rows = ["lead_voice,lead_few", "Agree,Disagree", '"Strongly agree",', ",Strongly disagree"]
    cr, crlf = tmp_path / "cr.csv", tmp_path / "crlf.csv"
    cr.write_bytes(("\r".join(rows) + "\r").encode())
    crlf.write_bytes(("\r\n".join(rows) + "\r\n").encode())
    survey = answering("lead_voice", "lead_few")
    a, b = read_responses(survey, [cr]), read_responses(survey, [crlf])
    assert a.respondents == b.respondents == 3
    for q in ("lead_voice", "lead_few"):
        assert np.array_equal(a.scale[q], b.scale[q], equal_nan=True)
