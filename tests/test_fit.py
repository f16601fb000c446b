"""Refuse to guess: files that do not fit the survey, missing questions, arguments in the
wrong order, baselines that are not an earlier wave. Library tests and, for the exact
messages, exit 1 and no output written, the real command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from relimpact.common.errors import ResponseError
from relimpact.read import fit
from relimpact.read.reading import inspect_responses, read_responses
from relimpact.survey.load import load_survey

ROOT = Path(__file__).resolve().parent.parent
HEALTH = ROOT / "surveys" / "network-health.yaml"
MAP_EXPORT = ROOT / "surveys" / "examples" / "network-map-responses.csv"

SURVEY_YAML = """\
relimpact: 1
id: small
title: Small
scales:
  agree5:
    points: {1: Strongly disagree, 2: Disagree, 3: Neither agree nor disagree, 4: Agree,
             5: Strongly agree}
dimensions:
  lead: {label: Leadership, enabler: true}
questions:
  - id: lead_voice
    text: The people who convene the network make room for every member's voice.
    scale: agree5
    dimension: lead
  - id: lead_explain
    text: Decisions are explained to members.
    scale: agree5
    dimension: lead
  - id: role
    type: choice
    text: Which best describes you?
    options: [Member, Staff]
  - id: member_code
    type: respondent
    text: Your member code
"""
VOICE = "The people who convene the network make room for every member's voice."
EXPLAIN = "Decisions are explained to members."
ROLE = "Which best describes you?"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def rows(*lines: str) -> str:
    return "\n".join(lines) + "\n"


@pytest.fixture
def survey_path(tmp_path: Path) -> Path:
    return write(tmp_path, "our-survey.yaml", SURVEY_YAML)


def csv_line(*cells: str) -> str:
    return ",".join(f'"{c}"' if ("," in c or "'" in c) else c for c in cells)


# --------------------------------------------------------------------------- missing questions


def partial_file(tmp_path: Path) -> Path:
    """Answers with lead_explain's column renamed by the survey tool."""
    return write(
        tmp_path,
        "responses.csv",
        rows(
            csv_line(ROLE, VOICE, "Decisions are explained to all members", "Your member code"),
            "Member,Agree,Agree,A1",
            "Staff,Disagree,Strongly agree,B2",
        ),
    )


def test_a_scored_question_with_no_column_is_an_error_with_the_closest_headers(
    tmp_path: Path, survey_path: Path
) -> None:
    survey = load_survey(survey_path)
    path = partial_file(tmp_path)
    with pytest.raises(ResponseError) as e:
        read_responses(survey, [path])
    assert str(e.value) == (
        f"{survey_path}:15: scored question 'lead_explain' (\"{EXPLAIN}\") has no column in "
        f'{path}; did you mean "Decisions are explained to all members"? If that column is '
        'this question, add  aliases: ["Decisions are explained to all members"]  to it in '
        f"{survey_path}; otherwise give --allow-missing to score without it."
    )


def test_the_aliases_line_it_suggests_makes_the_file_read(tmp_path: Path) -> None:
    text = SURVEY_YAML.replace(
        "    text: Decisions are explained to members.\n",
        "    text: Decisions are explained to members.\n"
        '    aliases: ["Decisions are explained to all members"]\n',
    )
    survey = load_survey(write(tmp_path, "s.yaml", text))
    rs = read_responses(survey, [partial_file(tmp_path)])
    assert rs.scale["lead_explain"].tolist() == [4.0, 5.0]
    assert rs.not_asked == ()


def test_allow_missing_reads_it_as_not_asked_with_a_warning(
    tmp_path: Path, survey_path: Path
) -> None:
    survey = load_survey(survey_path)
    path = partial_file(tmp_path)
    rs = read_responses(survey, [path], allow_missing=True)
    assert rs.not_asked == ("lead_explain",)
    assert rs.scale["lead_voice"].tolist() == [4.0, 2.0]
    assert rs.scale["lead_explain"].tolist() == [pytest.approx(float("nan"), nan_ok=True)] * 2
    assert rs.warnings == (
        f"Scored question 'lead_explain' (\"{EXPLAIN}\") has no column in {path}: it was not "
        "asked, and is left out of its dimension's scores (--allow-missing).",
    )


def test_up_to_three_closest_headers_best_first(tmp_path: Path, survey_path: Path) -> None:
    survey = load_survey(survey_path)
    headers = [
        "Decisions are explained to all members",
        "Decisions explained",
        "Are decisions explained to members?",
        "Decisions are explained to the members",
        "Favourite colour",
    ]
    close = fit.closest_headers(survey.question("lead_explain"), headers)
    assert close == [  # "all" and "the" are as close: the first in the file comes first
        "Decisions are explained to all members",
        "Decisions are explained to the members",
        "Are decisions explained to members?",
    ]
    assert fit.closest_headers(survey.question("lead_explain"), ["Favourite colour"]) == []


def test_no_close_header_says_so(tmp_path: Path, survey_path: Path) -> None:
    survey = load_survey(survey_path)
    path = write(
        tmp_path,
        "responses.csv",
        rows(csv_line(ROLE, VOICE, "Favourite colour"), "Member,Agree,Blue"),
    )
    with pytest.raises(ResponseError) as e:
        read_responses(survey, [path])
    assert str(e.value) == (
        f"{survey_path}:15: scored question 'lead_explain' (\"{EXPLAIN}\") has no column in "
        f"{path}, and no unmatched column looks like it. Add the column's header to the "
        f"question's aliases in {survey_path}, or give --allow-missing to score without it."
    )


def test_inspect_lists_missing_questions_with_their_nearest_headers(
    tmp_path: Path, survey_path: Path
) -> None:
    survey = load_survey(survey_path)
    ins = inspect_responses(survey, [partial_file(tmp_path)])
    assert not ins.ok
    assert ins.unmatched_questions == ("lead_explain",)
    assert ins.nearest["lead_explain"] == ("Decisions are explained to all members",)
    assert [str(p).split(":")[1] for p in ins.column_problems] == ["15"]
    assert ins.warnings == ()
    allowed = inspect_responses(survey, [partial_file(tmp_path)], allow_missing=True)
    assert allowed.ok and allowed.column_problems == ()


# --------------------------------------------------------------------------- not this survey


def test_a_file_matching_fewer_than_half_of_the_questions_is_refused() -> None:
    survey = load_survey(HEALTH)
    with pytest.raises(ResponseError) as e:
        read_responses(survey, [MAP_EXPORT])
    assert str(e.value) == (
        f"{MAP_EXPORT} does not look like answers to {HEALTH} (3 of 37 questions found). Check "
        "that this is the export of this survey and that the survey comes first; if the survey "
        "tool renamed the questions, give each question its column header as an alias in "
        f"{HEALTH} ('relimpact inspect {HEALTH} {MAP_EXPORT}' lists the columns)."
    )
    with pytest.raises(ResponseError, match=r"\(3 of 37 questions found\)"):
        inspect_responses(survey, [MAP_EXPORT])
    with pytest.raises(ResponseError, match=r"\(3 of 37 questions found\)"):
        read_responses(survey, [MAP_EXPORT], allow_missing=True)


def test_exactly_half_is_read(tmp_path: Path, survey_path: Path) -> None:
    survey = load_survey(survey_path)  # 4 questions; 2 found is half
    path = write(tmp_path, "r.csv", rows(csv_line(VOICE, EXPLAIN), "Agree,Agree"))
    assert read_responses(survey, [path]).respondents == 1
    one = write(tmp_path, "one.csv", rows(csv_line(VOICE, "Other"), "Agree,x"))
    with pytest.raises(ResponseError, match=r"one.csv does not look like answers to .*\(1 of 4"):
        read_responses(survey, [one], allow_missing=True)


def test_each_file_must_fit_not_only_the_set(tmp_path: Path, survey_path: Path) -> None:
    survey = load_survey(survey_path)
    good = write(tmp_path, "good.csv", rows(csv_line(VOICE, EXPLAIN, ROLE), "Agree,Agree,Staff"))
    other = write(tmp_path, "other.csv", rows("Colour,Size", "Blue,3"))
    with pytest.raises(ResponseError) as e:
        read_responses(survey, [good, other])
    assert str(e.value).startswith(
        f"{other} does not look like answers to {survey_path} (0 of 4 questions found)."
    )


# --------------------------------------------------------------------------- CLI


def test_cli_missing_question_exit_1_and_no_output(cli, tmp_path: Path, survey_path: Path) -> None:
    path = partial_file(tmp_path)
    out = tmp_path / "scores.json"
    r = cli("score", survey_path, path, "--format", "json", "-o", out)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {survey_path}:15: scored question 'lead_explain' (\"{EXPLAIN}\") has no column "
        f'in {path}; did you mean "Decisions are explained to all members"? If that column is '
        'this question, add  aliases: ["Decisions are explained to all members"]  to it in '
        f"{survey_path}; otherwise give --allow-missing to score without it.\n"
    )
    assert not out.exists()
    report = tmp_path / "funder.html"
    r = cli("report", survey_path, path, "--audience", "funder", "-o", report)
    assert r.returncode == 1 and "scored question 'lead_explain'" in r.stderr
    assert not report.exists()


def test_cli_inspect_shows_the_nearest_headers(cli, tmp_path: Path, survey_path: Path) -> None:
    path = partial_file(tmp_path)
    r = cli("inspect", survey_path, path, "--format", "json")
    assert r.returncode == 1
    d = json.loads(r.stdout)
    assert d["questions"]["lead_explain"] == {
        "type": "scale",
        "columns": [],
        "nearest_headers": ["Decisions are explained to all members"],
    }
    assert "nearest_headers" not in d["questions"]["lead_voice"]
    table = cli("inspect", survey_path, path)
    assert table.returncode == 1
    shown = " ".join(table.stdout.replace("│", " ").split())  # the table wraps long cells
    assert 'no column found nearest: "Decisions are explained to' in shown
    assert cli("inspect", survey_path, path, "--allow-missing").returncode == 0


def test_cli_allow_missing_scores_and_the_reports_say_what_was_not_asked(
    cli, tmp_path: Path, survey_path: Path
) -> None:
    path = partial_file(tmp_path)
    r = cli("score", survey_path, path, "--format", "json", "--allow-missing")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["not_asked"] == ["lead_explain"]
    assert d["items"]["lead_explain"]["n"] == 0
    words = (
        "This statement of the survey was not in the response files, so nobody's answer to it "
        f"is counted: \u201c{EXPLAIN}\u201d (Leadership). The score of Leadership rests on its "
        "other statements."
    )
    for audience in ("funder", "members"):
        out = tmp_path / f"{audience}.md"
        r = cli("report", survey_path, path, "--audience", audience, "--allow-missing", "-o", out)
        assert r.returncode == 0, r.stderr
        text = " ".join(out.read_text(encoding="utf-8").split())
        assert words in text, audience
        if audience == "funder":
            assert "Statements not asked" in text


@pytest.mark.parametrize("command", ["inspect", "score", "report"])
def test_cli_the_network_map_export_is_not_network_health(cli, tmp_path: Path, command) -> None:
    out = tmp_path / "report.html"
    extra = ["--audience", "funder", "-o", str(out)] if command == "report" else []
    r = cli(command, HEALTH, MAP_EXPORT, *extra)
    assert r.returncode == 1
    assert r.stderr.startswith(
        f"Error: {MAP_EXPORT} does not look like answers to {HEALTH} (3 of 37 questions found)."
    )
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["score", "report"])
def test_cli_the_network_map_export_is_no_baseline_for_network_health(
    cli, tmp_path: Path, command
) -> None:
    """Another survey's export given as --baseline is refused like a response file, although
    it shares a few questions: otherwise its 10 people would be 'change' in a funder report."""
    out = tmp_path / "report.md"
    extra = ["--audience", "funder", "-o", str(out)] if command == "report" else []
    demo = ROOT / "surveys" / "examples" / "network-health-responses.csv"
    r = cli(command, HEALTH, demo, "--baseline", MAP_EXPORT, *extra)
    assert r.returncode == 1
    assert r.stderr.startswith(
        f"Error: {MAP_EXPORT} does not look like answers to {HEALTH} (3 of 37 questions found)."
    )
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- argument order


def test_cli_a_response_file_where_the_survey_goes(cli, tmp_path: Path, survey_path: Path) -> None:
    path = partial_file(tmp_path)
    for command in ("inspect", "score"):
        r = cli(command, path, survey_path)
        assert r.returncode == 1
        assert r.stderr == (
            f"Error: {path}: this is a response file (CSV), not a survey template; the survey "
            "template (a .yaml file) comes first, then the response files. For example: "
            "relimpact score survey.yaml responses.csv\n"
        )
    out = tmp_path / "r.html"
    r = cli("report", path, survey_path, "--audience", "funder", "-o", out)
    assert r.returncode == 1 and "not a survey template" in r.stderr and not out.exists()
    xlsx = tmp_path / "answers.dat"
    xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    r = cli("check", xlsx)
    assert r.returncode == 1
    assert "this is a workbook or ZIP file, not a survey template" in r.stderr
    folder = tmp_path / "answers.csv"
    folder.mkdir()
    r = cli("check", folder)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"Error: {folder}: this is a folder, not a survey template" in r.stderr, r.stderr


def test_cli_a_survey_among_the_responses(cli, tmp_path: Path, survey_path: Path) -> None:
    path = partial_file(tmp_path)
    r = cli("score", survey_path, path, survey_path)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {survey_path}: this is a survey template (YAML), not a response file; the "
        "survey template comes first, then the response files. For example: relimpact score "
        "survey.yaml responses.csv\n"
    )
    renamed = write(tmp_path, "template.txt", SURVEY_YAML)  # found by its first line
    r = cli("inspect", survey_path, renamed)
    assert r.returncode == 1 and "this is a survey template (YAML)" in r.stderr
    r = cli("score", survey_path, path, "--baseline", survey_path, "--allow-missing")
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {survey_path}: this is a survey template (YAML), not a baseline file; the "
        "survey template comes first, then the response files. For example: relimpact score "
        "survey.yaml responses.csv --baseline last-year.csv\n"
    )


# --------------------------------------------------------------------------- baselines


def two_waves(tmp_path: Path) -> tuple[Path, Path]:
    head = csv_line("Timestamp", ROLE, VOICE, EXPLAIN, "Your member code")
    before = write(
        tmp_path,
        "last-year.csv",
        rows(
            head,
            "2025/05/01 10:00:00 AM GMT+1,Member,Disagree,Disagree,A1",
            "2025/05/02 10:00:00 AM GMT+1,Staff,Agree,Disagree,B2",
            "2025/05/03 10:00:00 AM GMT+1,Member,Agree,Agree,C3",
        ),
    )
    after = write(
        tmp_path,
        "this-year.csv",
        rows(
            head,
            "2026/05/01 10:00:00 AM GMT+1,Member,Agree,Agree,A1",
            "2026/05/02 10:00:00 AM GMT+1,Staff,Strongly agree,Agree,B2",
            "2026/05/04 10:00:00 AM GMT+1,Member,Agree,Agree,D4",
        ),
    )
    return before, after


def test_a_baseline_given_as_a_response_file_gets_a_warning(
    tmp_path: Path, survey_path: Path
) -> None:
    survey = load_survey(survey_path)
    before, after = two_waves(tmp_path)
    rs = read_responses(survey, [before, after])
    assert rs.respondents == 4  # A1 and B2 once each (the later), C3, D4
    assert rs.warnings == (
        "Removed 2 earlier submissions from respondents who answered more than once (kept the "
        "latest).",
        f"2 respondents answered in both {before} and {after}, each time earlier in {before}; "
        f"only their later answers were kept. If {before} is an earlier wave of the survey, "
        f"give it with --baseline {before} instead of as a response file.",
    )
    # One respondent who answered in two collectors is a duplicate, not a wave.
    one = write(tmp_path, "one.csv", before.read_text().splitlines()[0] + "\n")
    with one.open("a") as f:
        f.write("2026/05/09 10:00:00 AM GMT+1,Member,Agree,Agree,A1\n")
        f.write("2026/05/09 11:00:00 AM GMT+1,Member,Agree,Agree,Z9\n")
    assert not any("--baseline" in w for w in read_responses(survey, [after, one]).warnings)


def test_cli_a_baseline_identical_to_a_response_file(cli, tmp_path: Path, survey_path) -> None:
    before, after = two_waves(tmp_path)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(after.read_bytes())
    out = tmp_path / "scores.json"
    for baseline in (after, copy):
        r = cli("score", survey_path, after, "--baseline", baseline, "-o", out, "--format", "json")
        assert r.returncode == 1
        assert r.stderr == (
            f"Error: {baseline}: this --baseline file is the same as the response file {after}, "
            "so there is no change to measure. Give the earlier wave's export as --baseline, "
            "and this wave's export as the responses.\n"
        )
        assert not out.exists()
    r = cli("score", survey_path, after, "--baseline", before, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert "change" in json.loads(r.stdout)


def test_cli_a_baseline_sharing_no_question(cli, tmp_path: Path, survey_path: Path) -> None:
    _, after = two_waves(tmp_path)
    other = write(tmp_path, "other.csv", rows(csv_line(ROLE, "Favourite colour"), "Staff,Blue"))
    out = tmp_path / "report.html"
    r = cli("report", survey_path, after, "--baseline", other, "--audience", "funder", "-o", out)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {other}: this --baseline file shares no question with {survey_path} (0 of 2 "
        "scored questions found). Give an earlier wave's export of the same survey as "
        "--baseline.\n"
    )
    assert not out.exists()


def test_a_baseline_may_lack_questions_of_a_newer_template(
    tmp_path: Path, survey_path: Path
) -> None:
    survey = load_survey(survey_path)
    old = write(tmp_path, "old.csv", rows(csv_line(VOICE, "Your member code"), "Agree,A1"))
    rs = read_responses(survey, [old], baseline=True)
    assert rs.scale["lead_voice"].tolist() == [4.0] and rs.not_asked == ()
    with pytest.raises(ResponseError, match="scored question 'lead_explain' .* has no column"):
        read_responses(survey, [old])


# --------------------------------------------------------------------------- empty submissions


def test_removed_empty_submissions_count_only_rows_that_answer_nothing(
    tmp_path: Path, survey_path: Path
) -> None:
    survey = load_survey(survey_path)
    path = write(
        tmp_path,
        "r.csv",
        rows(
            csv_line("Timestamp", ROLE, VOICE, EXPLAIN, "Your member code", "Favourite colour"),
            "2026/05/01 10:00:00,Member,Agree,Agree,A1,Blue",
            "2026/05/01 11:00:00,,,,B2,",  # nothing but the time and a member code
            "2026/05/01 12:00:00,,,,,Green",  # answers a question the survey does not have
            "2026/05/01 13:00:00,,,,,",
        ),
    )
    rs = read_responses(survey, [path])
    assert rs.respondents == 1
    assert rs.warnings == (
        "Removed 2 empty submissions (rows that answer no question).",
        f"Left out 1 row that answers only columns matching no question of {survey_path} (see "
        "the ignored columns in 'relimpact inspect').",
    )


def test_rows_left_out_are_counted_in_grammatical_english(
    tmp_path: Path, survey_path: Path
) -> None:
    """One row "answers", two rows "answer"."""
    survey = load_survey(survey_path)
    path = write(
        tmp_path,
        "r.csv",
        rows(
            csv_line("Timestamp", ROLE, VOICE, EXPLAIN, "Your member code", "Favourite colour"),
            "2026/05/01 10:00:00,Member,Agree,Agree,A1,Blue",
            "2026/05/01 12:00:00,,,,,Green",
            "2026/05/01 13:00:00,,,,,Red",
        ),
    )
    assert read_responses(survey, [path]).warnings == (
        f"Left out 2 rows that answer only columns matching no question of {survey_path} (see "
        "the ignored columns in 'relimpact inspect').",
    )


def test_inspect_points_to_the_ignored_columns_it_shows_itself(
    cli, tmp_path: Path, survey_path: Path
) -> None:
    """score and report send the reader to 'relimpact inspect'; inspect shows the ignored
    columns above the warning, so it says so (its JSON keeps the library's words)."""
    path = write(
        tmp_path,
        "r.csv",
        rows(
            csv_line("Timestamp", ROLE, VOICE, EXPLAIN, "Your member code", "Favourite colour"),
            "2026/05/01 10:00:00,Member,Agree,Agree,A1,Blue",
            "2026/05/01 12:00:00,,,,,Green",
        ),
    )
    r = cli("inspect", survey_path, path)
    assert r.returncode == 0, r.stderr
    text = " ".join(r.stdout.split())
    assert (
        f"Left out 1 row that answers only columns matching no question of {survey_path} (see "
        "the ignored columns above)." in text
    )
    assert "in 'relimpact inspect'" not in text
    r = cli("inspect", survey_path, path, "--format", "json")
    assert json.loads(r.stdout)["warnings"] == [
        f"Left out 1 row that answers only columns matching no question of {survey_path} (see "
        "the ignored columns in 'relimpact inspect')."
    ]


# --------------------------------------------------------------------------- pipes


def test_cli_responses_from_standard_input_a_pipe_and_a_fifo(
    cli, tmp_path: Path, survey_path: Path
) -> None:
    import os
    import subprocess
    import sys
    import threading

    path = partial_file(tmp_path)
    expected = cli("score", survey_path, path, "--format", "json", "--allow-missing")
    assert expected.returncode == 0, expected.stderr
    want = json.loads(expected.stdout)

    r = cli(
        "score", survey_path, "-", "--format", "json", "--allow-missing", stdin=path.read_text()
    )
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["source"]["files"] == ["standard input"]
    assert got["dimensions"] == want["dimensions"]

    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as f:  # opened once: a second open would block forever
            f.write(path.read_bytes())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    r = cli("score", survey_path, fifo, "--format", "json", "--allow-missing")
    writer.join(timeout=30)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["dimensions"] == want["dimensions"]
    assert not writer.is_alive()

    bash = subprocess.run(
        [
            "bash",
            "-c",
            f'"{sys.executable}" -m relimpact inspect "{survey_path}" <(cat "{path}") '
            "--allow-missing --format json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bash.returncode == 0, bash.stderr
    assert json.loads(bash.stdout)["respondents"] == 2
    both = subprocess.run(  # the survey from a pipe too: it is read once, not sniffed first
        [
            "bash",
            "-c",
            f'"{sys.executable}" -m relimpact score <(cat "{survey_path}") <(cat "{path}") '
            "--allow-missing --format json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert both.returncode == 0, both.stderr
    assert json.loads(both.stdout)["dimensions"] == want["dimensions"]

    twice = cli("score", survey_path, "-", "-", stdin=path.read_text())
    assert twice.returncode == 1
    assert twice.stderr == (
        "Error: standard input: standard input (-) is given twice; it can be read only once. "
        "Give '-' once, and the other files by name.\n"
    )


# --------------------------------------------------------------------------- header rows


QUALTRICS_ONE_HEADER = rows(
    "ResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,"
    + csv_line("StartDate", "EndDate", "Finished", VOICE, EXPLAIN, ROLE, "Your member code"),
    "R_1a2B3c4D5e6F7g8,Default Response Set,Ada Lovelace,,ada@example.org,192.0.2.11,0,"
    "2026-10-05 09:10:02,2026-10-05 09:12:05,1,Agree,Disagree,Member,A1",
    "R_9z8Y7x6W5v4U3t2,Default Response Set,Alan Turing,,alan@example.org,192.0.2.12,0,"
    "2026-10-06 09:10:02,2026-10-06 09:12:05,1,Strongly agree,Agree,Staff,B2",
)


def test_a_one_header_qualtrics_style_file_keeps_its_first_respondent(
    tmp_path: Path, survey_path: Path
) -> None:
    survey = load_survey(survey_path)
    path = write(tmp_path, "qualtrics.csv", QUALTRICS_ONE_HEADER)
    rs = read_responses(survey, [path])
    assert rs.files[0].format == "qualtrics" and rs.files[0].header_rows == 1
    assert rs.respondents == 2
    assert rs.scale["lead_voice"].tolist() == [4.0, 5.0]
    ins = inspect_responses(survey, [path])
    shown = repr(ins)
    for secret in ("Ada", "ada@example.org", "192.0.2.11", "R_1a2B3c4D5e6F7g8"):
        assert secret not in shown
    assert {c.column for c in ins.ignored if c.reason == "personal data"} >= {
        "Name",
        "EmailAddress",
        "IPAddress",
    }


def test_cli_a_file_without_its_header_row_is_refused_without_printing_it(
    cli, tmp_path: Path, survey_path: Path
) -> None:
    path = write(
        tmp_path,
        "responses.csv",
        rows(
            "2026-10-05 09:10:02,ada@example.org,Agree,Disagree,Member,A1",
            "2026-10-06 09:10:02,alan@example.org,Strongly agree,Agree,Staff,B2",
        ),
    )
    for command in ("inspect", "score"):
        r = cli(command, survey_path, path, "--format", "json")
        assert r.returncode == 1
        assert r.stderr == (
            f"Error: {path}, row 1: the first row holds answers (numbers, dates, addresses or "
            "answer labels), not column headers, so its columns cannot be matched to the "
            f"questions of {survey_path}. Export the file again with its header row (the "
            "question texts), or add the header row as the file's first line.\n"
        )
        assert r.stdout == ""
        assert "ada@example.org" not in r.stderr


# --------------------------------------------------------------------------- template typos


def test_fit_one_edit() -> None:
    assert fit.one_edit("agre", "agree") and fit.one_edit("agree", "agre")
    assert fit.one_edit("agree", "agrea") and fit.one_edit("agree", "garee")
    assert not fit.one_edit("agree", "agree") and not fit.one_edit("agree", "disagree")
    assert not fit.one_edit("agree", "ageer")


def test_cli_a_label_mistyped_in_the_template_blames_the_template(cli, tmp_path: Path) -> None:
    survey_path = write(tmp_path, "our-survey.yaml", SURVEY_YAML.replace("4: Agree,", "4: Agre,"))
    path = write(
        tmp_path,
        "responses.csv",
        rows(
            csv_line(VOICE, EXPLAIN, ROLE),
            "Agree,Disagree,Member",
            "Strongly agree,Agree,Staff",
            "Agree,Agree,Staff",
        ),
    )
    out = tmp_path / "scores.json"
    r = cli("score", survey_path, path, "--format", "json", "-o", out)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {survey_path}:6: scale 'agree5' has the label 'Agre', but the responses hold "
        f"'Agree' (4 rows in 2 columns, first {path}, column \"{VOICE}\") and never 'Agre': "
        f"the label in {survey_path} looks mistyped. Correct it to 'Agree' in {survey_path}; "
        "if 'Agre' is right, correct the files.\n"
    )
    assert not out.exists()


def test_a_mistyped_answer_still_blames_the_data(tmp_path: Path, survey_path: Path) -> None:
    survey = load_survey(survey_path)
    path = write(
        tmp_path,
        "responses.csv",
        rows(csv_line(VOICE, EXPLAIN, ROLE), "Agre,Agree,Member", "Agree,Agree,Staff"),
    )
    with pytest.raises(ResponseError) as e:
        read_responses(survey, [path])
    assert str(e.value).startswith(
        f"{path}, column \"{VOICE}\": 'Agre' is not a label of scale 'agree5' (did you mean "
        "'Agree'?)"
    )
    # The survey file is named by its real name.
    assert str(e.value).endswith(
        f"Add it to the scale's points or not_applicable in {survey_path}, or correct the file."
    )


def test_a_mistyped_option_in_the_template_blames_the_template(tmp_path: Path) -> None:
    survey = load_survey(
        write(tmp_path, "s.yaml", SURVEY_YAML.replace("[Member, Staff]", "[Membr, Staff]"))
    )
    path = write(tmp_path, "r.csv", rows(csv_line(VOICE, EXPLAIN, ROLE), "Agree,Agree,Member"))
    with pytest.raises(ResponseError) as e:
        read_responses(survey, [path])
    assert str(e.value) == (
        f"{tmp_path / 's.yaml'}:22: question 'role' has the label 'Membr', but the responses "
        f"hold 'Member' (1 row in {path}, column \"{ROLE}\", row 2) and never 'Membr': the "
        f"label in {tmp_path / 's.yaml'} looks mistyped. Correct it to 'Member' in "
        f"{tmp_path / 's.yaml'}; if 'Membr' is right, correct the files."
    )


def test_a_dimension_with_no_statement_asked_is_said_to_have_no_score(tmp_path: Path) -> None:
    from relimpact.report.model import not_asked_words
    from relimpact.scoring.engine import score

    text = SURVEY_YAML.replace(
        "  lead: {label: Leadership, enabler: true}\n",
        "  lead: {label: Leadership, enabler: true}\n  the_net: {label: The net}\n",
    ) + (
        "  - id: net_know\n    text: I know who to ask.\n    scale: agree5\n"
        "    dimension: the_net\n"
    )
    survey = load_survey(write(tmp_path, "s.yaml", text))
    rs = read_responses(survey, [partial_file(tmp_path)], allow_missing=True)
    assert rs.not_asked == ("lead_explain", "net_know")
    result = score(rs)
    assert result.dimensions["the_net"].n == 0
    assert not_asked_words(result) == (
        "These 2 statements of the survey were not in the response files, so nobody's answer "
        f"to them is counted: \u201c{EXPLAIN}\u201d (Leadership); \u201cI know who to ask."
        "\u201d (The net). The score of Leadership rests on its other statements. The net has "
        "no score: none of its statements was asked."
    )


def test_a_hostile_header_is_never_echoed_raw(tmp_path: Path, survey_path: Path) -> None:
    survey = load_survey(survey_path)
    odd = "Decisions are explained \x1b[31mto all members"
    long_ = "Please read this carefully. " * 20 + "[Decisions are explained to all members]"
    for header, alias in ((odd, False), (long_, False), ("Decisions  are\nexplained", True)):
        path = tmp_path / "r.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(
                [[ROLE, VOICE, header, "Your member code"], ["Member", "Agree", "Agree", "A1"]]
            )
        with pytest.raises(ResponseError) as e:
            read_responses(survey, [path])
        text = str(e.value)
        assert text.startswith(f"{survey_path}:15: scored question 'lead_explain'")
        assert "did you mean" in text
        assert "\x1b" not in text and len(text) < 900
        assert ("aliases: [" in text) is alias
    assert 'aliases: ["Decisions are explained"]' in text  # white space as normalised
