"""inspect and score through the real command line: wiring, outputs and exact errors."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from relimpact.read.columns import column_letter

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "surveys" / "network-health.yaml"
EXAMPLES = ROOT / "surveys" / "examples"
CURRENT = EXAMPLES / "network-health-responses.csv"
BASELINE = EXAMPLES / "network-health-baseline.csv"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_inspect_shows_format_and_columns(cli):
    r = cli("inspect", SURVEY, CURRENT)
    assert r.returncode == 0, r.stderr
    assert "google-forms" in r.stdout
    assert "lead_voice" in r.stdout
    assert "personal data" in r.stdout  # the email column is named as dropped
    assert "@example.org" not in r.stdout  # ... and its values never shown


def test_inspect_json(cli):
    r = cli("inspect", SURVEY, CURRENT, "--format", "json")
    d = json.loads(r.stdout)
    assert d["ok"] is True
    assert d["files"][0]["format"] == "google-forms"
    assert d["questions"]["lead_voice"]["columns"]


def _bad_copy(tmp_path: Path) -> Path:
    rows = list(csv.reader(io.StringIO(CURRENT.read_text(encoding="utf-8"))))
    col = next(i for i, h in enumerate(rows[0]) if h.startswith("The people who convene"))
    for r in (1, 4):
        rows[r][col] = "Agre"
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    return bad


def test_inspect_exits_1_when_the_files_cannot_be_scored(cli, tmp_path):
    bad = _bad_copy(tmp_path)
    r = cli("inspect", SURVEY, bad)
    assert r.returncode == 1
    assert "'Agre' is not a label of scale 'agree5' (did you mean 'Agree'?)" in r.stdout
    assert "2 rows hold it (rows 2, 5)" in r.stdout
    assert r.stderr.startswith("Error: ")
    assert "Traceback" not in r.stderr


def test_inspect_names_the_column_of_each_answer_problem(cli, tmp_path):
    """The same bad value in two columns gives two lines, each naming its file and column
    as score's error does (the JSON has "column"; the table said neither)."""
    rows = list(csv.reader(io.StringIO(CURRENT.read_text(encoding="utf-8"))))
    voice = next(i for i, h in enumerate(rows[0]) if h.startswith("The people who convene"))
    other = next(i for i, h in enumerate(rows[0]) if h.startswith("I know how to get in touch"))
    rows[1][voice] = rows[1][other] = "n/a"
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    r = cli("inspect", SURVEY, bad)
    assert r.returncode == 1
    lines = [line for line in " ".join(r.stdout.split()).split(" - ") if "'n/a'" in line]
    assert len(lines) == 2
    for col in (voice, other):
        assert sum(line.startswith(f'{bad}, column "{rows[0][col][:30]}') for line in lines) == 1
    assert all("'n/a' is not a label of scale 'agree5'" in line for line in lines)


def test_score_bad_answer_exit_1_no_output_input_untouched(cli, tmp_path):
    bad = _bad_copy(tmp_path)
    before = digest(bad)
    out = tmp_path / "scores.json"
    r = cli("score", SURVEY, bad, "--format", "json", "-o", out)
    assert r.returncode == 1
    assert r.stderr.startswith(f'Error: {bad}, column "The people who convene the network')
    assert "'Agre' is not a label of scale 'agree5'" in r.stderr
    assert "Traceback" not in r.stderr
    assert not out.exists()
    assert digest(bad) == before


def test_score_missing_file_and_bad_output_folder(cli, tmp_path):
    r = cli("score", SURVEY, tmp_path / "nope.csv")
    assert r.returncode == 1
    missing = tmp_path / "nope.csv"
    assert r.stderr == f"Error: {missing}: file not found. Check the path and file name.\n"
    r = cli("score", SURVEY, CURRENT, "-o", tmp_path / "no" / "such" / "out.json")
    assert r.returncode == 1
    assert "does not exist" in r.stderr


def test_score_json_is_the_contract_and_deterministic(cli, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("score", SURVEY, CURRENT, "--format", "json", "-o", a).returncode == 0
    assert cli("score", SURVEY, CURRENT, "--format", "json", "-o", b).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    d = json.loads(a.read_text())
    assert d["schema"] == "relimpact.score/1"
    assert d["source"]["format"] == "google-forms"
    assert d["source"]["files"] == [str(CURRENT)]
    assert d["respondents"] <= d["source"]["rows"]
    assert list(d["dimensions"])[:4] == ["leadership", "training", "peer_support", "co_production"]
    assert "change" not in d
    text = a.read_text()
    assert "@example.org" not in text
    c = tmp_path / "c.json"
    assert cli("score", SURVEY, CURRENT, "--format", "json", "--seed", "1", "-o", c).returncode == 0
    assert c.read_bytes() != a.read_bytes()


def test_score_stdout_carries_only_the_result(cli):
    r = cli("score", SURVEY, CURRENT, "--format", "json")
    assert r.returncode == 0
    json.loads(r.stdout)  # nothing else mixed in


def test_score_with_baseline_has_change(cli):
    r = cli("score", SURVEY, CURRENT, "--baseline", BASELINE, "--format", "json")
    assert r.returncode == 0, r.stderr
    change = json.loads(r.stdout)["change"]
    lead = change["leadership"]
    for key in (
        "before",
        "after",
        "difference",
        "n_before",
        "n_after",
        "n_matched",
        "test",
        "p",
        "p_adjusted",
        "effect_size",
        "improved",
        "same",
        "declined",
    ):
        assert key in lead
    assert lead["test"] == "wilcoxon-signed-rank"
    assert lead["n_matched"] > 0


def test_score_csv_neutralises_formulas(cli, tmp_path):
    survey = tmp_path / "survey.yaml"
    text = SURVEY.read_text(encoding="utf-8").replace("Quality of leadership", "=1+2")
    survey.write_text(text, encoding="utf-8")
    r = cli("score", survey, CURRENT, "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    labels = [row[3] for row in rows[1:] if row[2] == "leadership"]
    assert labels and all(label == "'=1+2" for label in labels)


@pytest.mark.parametrize("label", ["\\r=1+2", "x\\r=1+2", "x\\n=1+2", "x\\r\\n=1+2"])
def test_score_csv_keeps_a_line_break_inside_its_cell(cli, tmp_path, label):
    """A label holding a bare CR (or any line break) is one quoted cell: a spreadsheet
    reading the file would otherwise start a new row there, with a formula at its start
    that the guard never saw. The file is read as bytes (the runner's text mode would
    turn a bare CR into a line end) and parsed as a spreadsheet would, CRLF records."""
    survey = tmp_path / "survey.yaml"
    text = SURVEY.read_text(encoding="utf-8")
    survey.write_text(
        text.replace("label: Quality of leadership", f'label: "{label}"'), encoding="utf-8"
    )
    assert label in survey.read_text(encoding="utf-8")
    out = tmp_path / "scores.csv"
    r = cli("score", survey, CURRENT, "--format", "csv", "-o", out)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes().decode("utf-8")
    assert data.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    width = len(rows[0])
    assert all(len(row) == width for row in rows)
    assert not any(cell.startswith("=") for row in rows for cell in row)
    leadership = [row[3] for row in rows[1:] if row[2] == "leadership"]
    expected = label.replace("\\r", "\r").replace("\\n", "\n")
    assert leadership and all(cell.lstrip("'") == expected for cell in leadership)


def test_score_unknown_by(cli):
    r = cli("score", SURVEY, CURRENT, "--by", "rol")
    assert r.returncode == 1
    assert "--by rol: there is no choice question with that id (did you mean 'role'?)" in r.stderr


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_score_other_formats(cli, fmt):
    r = cli("score", SURVEY, CURRENT, "--format", fmt)
    assert r.returncode == 0, r.stderr
    assert "Quality of" in r.stdout and "Co-production" in r.stdout


def _score_at(width: int, *args: object) -> str:
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": str(width)}
    r = subprocess.run(
        [sys.executable, "-m", "relimpact", "score", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def demo_survey(tmp_path_factory) -> Path:
    """The demo's survey.yaml: the default template with membership counts."""
    from relimpact.demo import demo_survey_text

    path = tmp_path_factory.mktemp("demo") / "survey.yaml"
    path.write_text(demo_survey_text(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("DEMO", CURRENT, "--baseline", BASELINE, "--weight-by", "role"),
        (
            ROOT / "surveys" / "network-map.yaml",
            EXAMPLES / "network-map-responses.csv",
            "--baseline",
            EXAMPLES / "network-map-baseline.csv",
        ),
    ],
)
def test_the_score_table_at_80_columns_cuts_no_number_or_name(cli, args, demo_survey):
    args = tuple(demo_survey if a == "DEMO" else a for a in args)
    text = _score_at(80, *args)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    data = json.loads(cli("score", *args, "--format", "json").stdout)
    words = set(text.split())
    for seg in data["segments"].values():
        for name, group in seg.items():
            # every word of every group name is whole somewhere in the table
            assert set(name.split()) <= words, name
            for d in (group.get("dimensions") or {}).values():
                if d.get("mean") is not None and not d.get("suppressed"):
                    assert f"{d['mean']:.2f}" in words
    for d in data["dimensions"].values():
        assert f"{d['mean']:.2f}" in words and str(d["n"]) in words
        assert set(d["label"].split()) <= words


def test_weight_by_is_repeatable_and_rakes_to_every_margin(cli, demo_survey):
    r = cli(
        "score", demo_survey, CURRENT, "--weight-by", "role", "--weight-by", "time_in_network",
        "--format", "json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    w = json.loads(r.stdout)["weighted"]
    assert w["margins"] == ["role", "time_in_network"] and w["method"] == "raking"
    lead = w["dimensions"]["leadership"]
    assert lead["se"] > 0 and lead["ci95"][0] < lead["mean"] < lead["ci95"][1]
    assert lead["deff"] >= 1.0 and lead["n_effective"] <= lead["n"]
    bad = cli("score", demo_survey, CURRENT, "--weight-by", "role", "--weight-by", "rol")
    assert bad.returncode == 1 and "--weight-by rol:" in bad.stderr


def test_two_exports_pasted_together_are_refused_at_the_repeated_header(cli, tmp_path):
    text = CURRENT.read_text(encoding="utf-8")
    records = len(list(csv.reader(io.StringIO(text, newline=""))))
    pasted = tmp_path / "pasted.csv"
    pasted.write_text(text + text, encoding="utf-8", newline="")
    r = cli("score", SURVEY, pasted)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {pasted}: row {records + 1} repeats the header row: two exports pasted "
        "together? Give each export as its own file (several response files are read as one "
        "set of responses), or delete the repeated header rows.\n"
    )


def test_a_column_copied_twice_is_one_error_naming_both_positions(cli, tmp_path):
    rows = list(csv.reader(io.StringIO(CURRENT.read_text(encoding="utf-8"), newline="")))
    voice = rows[0].index("The people who convene the network make room for every member's voice.")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(r + [r[voice]] for r in rows)
    copied = tmp_path / "copied.csv"
    copied.write_text(out.getvalue(), encoding="utf-8", newline="")
    r = cli("score", SURVEY, copied)
    assert r.returncode == 1
    n = len(rows[0]) + 1
    letters = f"{column_letter(voice)} and {column_letter(n - 1)}"
    assert r.stderr.startswith(
        f"Error: {copied}, columns {voice + 1} and {n} ({letters} in a "
        'spreadsheet): these columns are both headed "The people who convene the network '
        "make room for every member's voice.\", and both match question 'lead_voice'"
    )
    assert r.stderr.count("\n") == 1 and "--allow-missing" not in r.stderr


def test_excels_sep_line_is_honoured_and_is_no_row(cli, tmp_path):
    """A file Excel saved with its ``sep=,`` line scores as the file without it, and
    inspect names a bad answer by the same rows (row 1 is the header row, as Excel shows)."""
    plain = tmp_path / "plain.csv"
    plain.write_bytes(CURRENT.read_bytes())
    with_sep = tmp_path / "sep.csv"
    with_sep.write_bytes(b"sep=,\r\n" + CURRENT.read_bytes())
    a = cli("score", SURVEY, plain, "--format", "json")
    b = cli("score", SURVEY, with_sep, "--format", "json")
    assert a.returncode == b.returncode == 0, b.stderr
    assert a.stdout == b.stdout.replace("sep.csv", "plain.csv")
    bad = _bad_copy(tmp_path)
    bad.write_bytes(b"sep=,\n" + bad.read_bytes())
    r = cli("inspect", SURVEY, bad)
    assert r.returncode == 1
    assert "2 rows hold it (rows 2, 5)" in r.stdout


def test_a_sep_line_that_does_not_split_the_header_is_refused(cli, tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(b"sep=;\r\n" + CURRENT.read_bytes())
    r = cli("score", SURVEY, wrong)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {wrong}, line 1: Excel's delimiter line ('sep=;') names ';' as the delimiter, "
        "but the header row after it (line 2) holds no such delimiter between its cells. "
        "Correct that line to the delimiter the file uses (sep=, or sep=; or sep= and a tab), "
        "or delete it, or export the file again from the survey tool.\n"
    )


def _semicolon_copy(path: Path, first_line: str) -> bytes:
    """CURRENT written with ';' between its cells, after ``first_line``."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(
        csv.reader(io.StringIO(CURRENT.read_text(encoding="utf-8")))
    )
    path.write_bytes((first_line + "\r\n" + buf.getvalue()).encode())
    return path.read_bytes()


def test_a_sep_line_naming_the_wrong_delimiter_is_named_when_the_columns_do_not_fit(cli, tmp_path):
    """'sep=,' on a ';' file whose header holds commas as text ("Members, not only
    staff") splits the header, so the misfit was blamed on the survey ("0 of N questions
    found") and line 1 went unnamed: the message now names it and the delimiter seen."""
    wrong = tmp_path / "wrong.csv"
    _semicolon_copy(wrong, "sep=,")
    r = cli("score", SURVEY, wrong)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {wrong}, line 1: Excel's delimiter line ('sep=,') names ',' as the "
        "delimiter, but split at ',' the columns match too few of the 37 questions of "
        f"{SURVEY}, and the rows after it seem to use ';': that line may be wrong. Correct "
        "that line to sep=; (the delimiter the file uses), or delete it, or export the file "
        "again from the survey tool.\n"
    )


def test_a_quoted_sep_line_is_honoured_and_a_loose_one_refused_at_line_1(cli, tmp_path):
    """'"sep=;"' (the line as one quoted cell) names ';' as plainly as Excel's 'sep=;' and
    scores the same; 'sep= ;' names no one delimiter, so it is refused at line 1 rather
    than read as a header matching no question."""
    exact, quoted, loose = (tmp_path / f"{n}.csv" for n in ("exact", "quoted", "loose"))
    _semicolon_copy(exact, "sep=;")
    _semicolon_copy(quoted, '"sep=;"')
    a = cli("score", SURVEY, exact, "--format", "json")
    b = cli("score", SURVEY, quoted, "--format", "json")
    assert a.returncode == b.returncode == 0, b.stderr
    assert a.stdout == b.stdout.replace("quoted.csv", "exact.csv")
    _semicolon_copy(loose, "sep= ;")
    r = cli("score", SURVEY, loose)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {loose}, line 1: this looks like Excel's delimiter line, but 'sep= ;' is "
        "not written as one: Excel reads only 'sep=' followed at once by the delimiter and "
        "the line end. Write that line as sep=; or sep=, (the file's delimiter, no spaces or "
        "other marks) in a text editor, or delete it (the header row follows it), or export "
        "the file again.\n"
    )


def test_the_score_table_hedges_a_band_as_the_report_does(demo_survey):
    """A mean whose 95% interval crosses a band line is "borderline or strength" in the
    report; the table said "strength" (JSON: band_certain false). It now says both, on two
    lines so that 80 columns still hold every figure, with a legend under the tables."""
    from relimpact.read.reading import read_responses
    from relimpact.scoring.engine import score
    from relimpact.survey.load import load_survey

    result = score(read_responses(load_survey(demo_survey), [CURRENT]))
    hedged = [d for d in result.dimensions.values() if d.band_certain is False]
    assert [d.band_range for d in hedged] == ["borderline or strength"]
    text = _score_at(80, demo_survey, CURRENT)
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("│ Relational"))
    assert lines[at].rstrip().endswith("│ borderline or │")
    assert lines[at + 1].rstrip().endswith("│ strength      │")
    assert (
        '"borderline or strength": the score\'s 95% interval crosses a band line, so the score '
        "could lie on either side (the reports say the same)." in " ".join(text.split())
    )
    certain = [d for d in result.dimensions.values() if d.band_certain]
    assert certain and all(d.band in {"strength", "borderline", "concern"} for d in certain)
    assert "or concern" not in text and "concern or" not in text


def test_signed_figures_never_print_a_negative_zero():
    """A figure that rounds to zero is "0.00" whatever side of zero it lies (a sign within
    0.005 of zero is root-finding noise); every other figure keeps its sign."""
    from relimpact.common.text import signed

    assert [signed(x) for x in (-0.0, 0.0, -1.8e-06, 1.6e-05, -0.004999)] == ["0.00"] * 5
    assert [signed(x) for x in (0.005001, -0.005001, 0.25, -0.25)] == [
        "+0.01",
        "-0.01",
        "+0.25",
        "-0.25",
    ]


def test_unsigned_figures_never_print_a_negative_zero():
    """A score, an alpha or a bound that rounds to zero is "0.00" (an alpha of -0.003
    printed "-0.00"); every other figure is printed as ``f"{x:.2f}"`` prints it."""
    from relimpact.common.text import unsigned

    assert [unsigned(x) for x in (-0.0, 0.0, -0.003, -0.004999, 0.004)] == ["0.00"] * 5
    assert [unsigned(x) for x in (-0.005001, -0.25, 0.25, 3.14159)] == [
        "-0.01",
        "-0.25",
        "0.25",
        "3.14",
    ]
    assert (unsigned(-0.3, 0), unsigned(-0.04, 1), unsigned(2.0, 0)) == ("0", "0.0", "2")
    # the reports' own helper (item means, item-rest r, effect sizes) follows it
    from relimpact.report.model import _f

    assert (_f(-0.001), _f(-0.12), _f(None)) == ("0.00", "-0.12", "-")


def test_an_alpha_that_rounds_to_zero_prints_no_negative_zero(demo_survey):
    """An alpha of -0.003 printed "-0.00" in the score table, the low-reliability warning
    and the funder's reliability line (low report L1); each now says 0.00."""
    import dataclasses

    from rich.console import Console

    from relimpact.console.score import to_table
    from relimpact.read.reading import read_responses
    from relimpact.report.model import _reliability
    from relimpact.scoring.engine import _dimension_warnings, score
    from relimpact.survey.load import load_survey

    result = score(read_responses(load_survey(demo_survey), [CURRENT]))
    key, d = next(iter(result.dimensions.items()))
    d = dataclasses.replace(d, alpha=-0.003, alpha_ci95=(-0.004, 0.31), omega_total=-0.001)
    result = dataclasses.replace(result, dimensions={**result.dimensions, key: d})
    console = Console(record=True, width=200)
    console.print(to_table(result))
    row = next(line for line in console.export_text().splitlines() if d.label in line)
    assert " 0.00 " in row and "-0.00" not in row
    warning = " ".join(_dimension_warnings(d, len(d.items)))
    assert f"{d.label}: reliability is low (alpha 0.00, omega 0.00)" in warning
    assert _reliability(d).startswith("Reliability: Cronbach's alpha 0.00 (95% interval 0.00 to ")


def test_the_change_table_prints_no_negative_zero(demo_survey):
    """The demo's change: the HL estimate of 'Holding the end in mind' is -1.8e-06 and its
    interval's upper end +3.1e-05; the table printed "-0.00 [-0.25, +0.00]", as if it fell
    and its interval stayed above zero. It now reads as the change's words do."""
    from rich.console import Console

    from relimpact.console.score import to_table
    from relimpact.read.reading import read_responses
    from relimpact.scoring.engine import score
    from relimpact.survey.load import load_survey

    s = load_survey(demo_survey)
    result = score(
        read_responses(s, [CURRENT]), baseline=read_responses(s, [BASELINE], baseline=True)
    )
    console = Console(record=True, width=200)
    console.print(to_table(result))
    text = console.export_text()
    assert "-0.00" not in text and "+0.00" not in text
    rows = [" ".join(line.split()) for line in text.splitlines()]
    row = "│ Holding the end in mind │ -0.02 │ 0.00 [-0.25, 0.00] │"
    assert any(r.startswith(row) for r in rows)
    assert "(Hodges-Lehmann estimate 0.00, 95% interval -0.25 to 0.00)" in " ".join(text.split())
