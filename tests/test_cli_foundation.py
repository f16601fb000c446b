"""The foundation commands as a user runs them: init, templates, check, --help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from relimpact.survey.templates import template_names

ROOT = Path(__file__).resolve().parent.parent

TEMPLATES = template_names()


def test_at_least_three_bundled_templates():
    assert {"network-health", "member-connection", "event-pulse"} <= set(TEMPLATES)


@pytest.mark.parametrize("name", TEMPLATES)
def test_init_then_check_every_template(cli, tmp_path, name):
    folder = tmp_path / "x"
    r = cli("init", folder, "--template", name)
    assert r.returncode == 0, r.stderr
    assert (folder / "survey.yaml").is_file()
    assert "relimpact check" in (folder / "README.md").read_text()
    r = cli("check", folder / "survey.yaml")
    assert r.returncode == 0, r.stderr
    assert "valid" in r.stdout


def test_init_refuses_existing_folder_and_leaves_it_untouched(cli, tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "survey.yaml").write_text("mine\n")
    r = cli("init", folder)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: ")
    assert "already exists" in r.stderr and "--force" in r.stderr
    assert "Traceback" not in r.stderr
    assert (folder / "survey.yaml").read_text() == "mine\n"
    assert sorted(p.name for p in folder.iterdir()) == ["survey.yaml"]
    r = cli("init", folder, "--force")
    assert r.returncode == 0
    assert (folder / "survey.yaml").read_text().startswith("relimpact: 1") or "relimpact: 1" in (
        folder / "survey.yaml"
    ).read_text()


def test_init_unknown_template(cli, tmp_path):
    r = cli("init", tmp_path / "x", "--template", "network-helth")
    assert r.returncode == 1
    assert "there is no bundled template 'network-helth' (did you mean 'network-health'?)" in (
        r.stderr
    )
    assert not (tmp_path / "x").exists()


def test_templates_lists_name_title_questions_description(cli):
    r = cli("templates", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    by_name = {t["name"]: t for t in rows}
    assert set(by_name) == set(TEMPLATES)
    nh = by_name["network-health"]
    assert nh["title"] and nh["description"] and nh["questions"] > 15
    assert 15 <= nh["scale_items"] <= 30
    r = cli("templates")
    assert r.returncode == 0 and "network-health" in r.stdout


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("!!python/object/apply:os.system ['echo hacked']\n", "YAML tag not allowed"),
        ("", "is empty"),
        ("- a\n- b\n", "the top level is a list"),
        (
            "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
                for i in range(8)
            ),
            "alias bomb",
        ),
    ],
)
def test_check_hostile_yaml_exits_1_without_traceback(cli, tmp_path, content, needle):
    path = tmp_path / "survey.yaml"
    path.write_text(content)
    r = cli("check", path)
    assert r.returncode == 1
    assert r.stderr.startswith(f"Error: {path}")
    assert needle in r.stderr
    assert "Traceback" not in r.stderr
    assert r.stdout == ""


def test_check_binary_file(cli, tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    r = cli("check", path)
    assert r.returncode == 1
    assert "is a binary file" in r.stderr and "Traceback" not in r.stderr


def test_check_reports_every_problem_with_location(cli, tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text(
        "relimpact: 1\nid: x\ntitle: T\nscales:\n  s: {points: {1: a, 2: b}}\n"
        "dimensions:\n  d: {label: D}\nquestions:\n"
        "  - {id: q1, text: Q1, scale: s, dimension: d}\n"
        "  - {id: q2, text: Q2, scale: t, dimension: d}\n"
        "  - {id: q3, text: Q3, scal: s, dimension: d}\n"
    )
    r = cli("check", path)
    assert r.returncode == 1
    # Schema problems come first (the cross-checks need a well-formed file) ...
    assert r.stderr.startswith(f"Error: {path}:11: questions[2].scal: unknown key 'scal' (did ")
    path.write_text(path.read_text().replace("scal: s", "scale: s").replace("scale: t", "scale: u"))
    path.write_text(path.read_text().replace("dimension: d}\n", "dimension: e}\n", 1))
    r = cli("check", path)
    # ... then every cross-check problem at once, each with its line.
    assert r.stderr.splitlines() == [
        "Error: 2 problems:",
        f"  - {path}:9: questions[0].dimension: unknown dimension 'e'. Declare it under "
        "'dimensions:' or use one that is.",
        f"  - {path}:10: questions[1].scale: unknown scale 'u'. Declare it "
        "under 'scales:' or use one that is.",
    ]


def test_debug_shows_traceback(cli, tmp_path):
    r = cli("--debug", "check", tmp_path / "missing.yaml")
    assert r.returncode == 1
    assert "Traceback" in r.stderr


def test_usage_error_is_exit_2(cli):
    r = cli("check")
    assert r.returncode == 2


@pytest.mark.parametrize(
    "argv", [["--help"], ["score", "--help"], ["report", "--help"], ["build", "--help"]]
)
def test_help_does_not_import_heavy_modules(argv):
    # typer builds a pydantic validator for an option whose value is not already a bool:
    # the help option's default is None unless cli.py makes it False (cli._quick_help).
    code = (
        "import sys\n"
        f"sys.argv = ['relimpact', *{argv!r}]\n"
        "from relimpact import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('numpy', 'scipy', 'pandas', 'matplotlib', 'networkx', 'openpyxl',"
        " 'pydantic', 'yaml', 'jinja2', 'faker') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_every_command_help_has_an_example(cli):
    r = cli("--help")
    commands = [
        line.split()[0]
        for line in r.stdout.split("Commands:")[1].splitlines()
        if line.startswith("  ") and not line.startswith("   ")
    ]
    assert "check" in commands
    for command in commands:
        h = cli(command, "--help")
        assert h.returncode == 0
        assert "Example" in h.stdout, command


def test_help_gives_whole_summaries_and_no_python_type_names(cli):
    import os
    import re
    import subprocess
    import sys

    def help_of(*args: str) -> str:
        env = {**os.environ, "COLUMNS": "80"}
        r = subprocess.run(
            [sys.executable, "-m", "relimpact", *args, "--help"],
            capture_output=True,
            text=True,
            env=env,
        )
        assert r.returncode == 0, r.stderr
        return r.stdout

    top = help_of()
    listing = top.split("Commands:")[1]
    assert "..." not in listing
    assert "inspect    Dry run: how the export is read, which column each question comes" in top
    commands = [
        line.split()[0]
        for line in listing.splitlines()
        if line.startswith("  ") and not line.startswith("   ")
    ]
    core = {"init", "templates", "check", "inspect", "score", "build", "report", "demo"}
    assert core | {"network", "weave"} <= set(commands)
    for command in commands:
        text = help_of(command)
        assert not re.search(r"<(list|path|str|int|Path)", text), (command, text)
        assert "{" not in text.splitlines()[0], text.splitlines()[0]
    score = help_of("score")
    assert "score [OPTIONS] SURVEY RESPONSES...\n" in score
    assert "--by QUESTION" in score and "--format table|json|csv" in score


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--audience", "member"),
            "'member' is not one of: funder, members (did you mean 'members'?)",
        ),
        (("--audience", "Funders"), "(did you mean 'funder'?)"),
        (("--audience", "funder", "--format", "mdd"), "(did you mean 'md'?)"),
    ],
)
def test_audience_and_format_suggest_the_value_meant(cli, tmp_path, args, message):
    r = cli(
        "report",
        ROOT / "surveys" / "network-health.yaml",
        ROOT / "surveys" / "examples" / "network-health-responses.csv",
        *args,
        "-o",
        tmp_path / "r.html",
    )
    assert r.returncode == 2
    assert message in " ".join(r.stderr.split())
    assert not (tmp_path / "r.html").exists()


SYNTAX_HINT = "Check the indentation and that text containing ': ' or '#' is quoted."


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            'a: 1\nb: "open\nc: 2\n',
            ':2: a double quote (") opens a text on this line and is not closed on it, so '
            'everything after it was read to the end of the file. Add the closing " at the '
            "end of the text on line 2.",
        ),
        (
            'q:\n  - text: "abc\n    id: x\n  - text: "def"\n    id: y\n',
            ':2: a double quote (") opens a text on this line and is not closed on it, so '
            'everything after it was read to the next " on line 4, as one text. Add the '
            'closing " at the end of the text on line 2.',
        ),
        (
            "a:\n  b: 1\n\tc: 2\n",
            ":3: a Tab character (column 1); YAML indents with spaces only. Replace the Tab "
            "with spaces (set your editor to insert spaces for Tab).",
        ),
        (
            "a: 1\ntitle: Us: the network\n",
            ":2: a ': ' (column 10) inside a value that is not quoted. Put the whole value in "
            'double quotes ("..."), or if this line starts a key, indent it as the keys above '
            "it.",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            ":3: this line is not indented in step with the lines above it (the block that "
            "starts on line 1). Indent keys of the same block by the same number of spaces, "
            "and quote text containing ': ' or '#'.",
        ),
        # A key one space out of step in a list of questions: dedented, PyYAML said
        # "expected <block end>, but found '<block mapping start>'"; over-indented, it was
        # told to quote a value that holds no stray ': '.
        (
            "q:\n  - id: a\n    text: hi\n   scale: s\n",
            ":4: this key starts after 3 spaces, and the keys above it after 4 spaces (line "
            "3): it is out of step with its block. Start the key after 4 spaces, as on line "
            "3: keys of one block line up.",
        ),
        (
            "q:\n  - id: a\n    labels:\n      x: 1\n   scale: s\n",
            ":5: this key starts after 3 spaces, and the keys above it after 4 spaces (line "
            "3): it is out of step with its block. Start the key after 4 spaces, as on line "
            "3: keys of one block line up.",
        ),
        (
            "q:\n  - id: a\n     text: hi\n    scale: s\n",
            ":3: this key starts after 5 spaces, and the keys above it after 4 spaces (line "
            "2): it is out of step with its block. Start the key after 4 spaces, as on line "
            "2: keys of one block line up.",
        ),
        (
            "a: 1\n  b: 2\n",
            ":2: this key starts after 2 spaces, and the keys above it at the start of the "
            "line (line 1): it is out of step with its block. Start the key at the start of "
            "the line, as on line 1: keys of one block line up.",
        ),
        (
            "q:\n  - id: a\n    text: Us: the network\n",
            ":3: a ': ' (column 13) inside a value that is not quoted. Put the whole value in "
            'double quotes ("..."), or if this line starts a key, indent it as the keys above '
            "it.",
        ),
        # Not one of the common mistakes: PyYAML's words, at its line, as before.
        (
            "relimpact: 1\ntitle: [unclosed\n",
            f":3: YAML syntax error: expected ',' or ']', but got '<stream end>'. {SYNTAX_HINT}",
        ),
    ],
)
def test_yaml_syntax_errors_in_plain_words_at_the_line_of_the_mistake(tmp_path, content, expected):
    from relimpact.common.errors import SurveyError
    from relimpact.common.yamlsource import load_yaml

    path = tmp_path / "survey.yaml"
    path.write_text(content)
    with pytest.raises(SurveyError) as info:
        load_yaml(path)
    assert str(info.value) == f"{path}{expected}"


def test_check_an_unclosed_quote_is_told_at_its_line_not_where_yaml_gave_up(cli, tmp_path):
    """A closing quote left out in the bundled member-connection template was reported at
    the end of the file ("expected <block end>, but found '<scalar>'"), 86 lines away."""
    r = cli("init", tmp_path / "s", "--template", "member-connection")
    assert r.returncode == 0, r.stderr
    path = tmp_path / "s" / "survey.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "text: I can be myself here.")
    lines[at] = lines[at].replace("text: I can", 'text: "I can')
    path.write_text("".join(lines), encoding="utf-8")
    r = cli("check", path)
    assert r.returncode == 1
    assert r.stderr.startswith(
        f'Error: {path}:{at + 1}: a double quote (") opens a text on this line and is not '
        'closed on it, so everything after it was read to the next " on line '
    )
    assert r.stderr.endswith(f'Add the closing " at the end of the text on line {at + 1}.\n')
    assert "<block end>" not in r.stderr and "Traceback" not in r.stderr


def test_check_json_on_an_invalid_survey_says_valid_false_with_every_problem(cli, tmp_path):
    """check --format json wrote nothing on stdout for an invalid survey (only the error on
    stderr); like inspect's "ok": false, it now writes "valid": false and the problems,
    and still exits 1 with the error on stderr."""
    r = cli("init", tmp_path / "s")
    assert r.returncode == 0, r.stderr
    path = tmp_path / "s" / "survey.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "type: choice")
    lines[at] = lines[at].replace("choice", "choise")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = cli("check", path, "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["valid"] is False
    assert len(data["problems"]) == 1
    problem = data["problems"][0]
    assert (problem["file"], problem["line"]) == (str(path), at + 1)
    assert "unknown question type 'choise' (did you mean 'choice'?)" in problem["message"]
    assert r.stderr == f"Error: {path}:{at + 1}: {problem['message']}\n"
    missing = tmp_path / "nope.yaml"
    r = cli("check", missing, "--format", "json")
    assert r.returncode == 1
    assert json.loads(r.stdout)["problems"] == [
        {
            "file": str(missing),
            "line": None,
            "message": "file not found. Check the path, or create one with 'relimpact init'.",
        }
    ]
    r = cli("check", path)  # the table: nothing on stdout, as before
    assert r.returncode == 1 and r.stdout == ""


@pytest.mark.parametrize("name", TEMPLATES)
def test_init_readme_and_template_agree_on_the_network_name_and_population(cli, tmp_path, name):
    """The folder's README says to edit the network's name and `population`; no template
    had a `network:` key, and member-connection had no population example. Each template
    now has a commented `# network:` line under its title that works once uncommented,
    and a commented population example where it has segment questions."""
    import re

    from relimpact.survey.load import load_survey

    folder = tmp_path / "x"
    assert cli("init", folder, "--template", name).returncode == 0
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "your network's name (the `# network:` line under the title" in readme
    text = (folder / "survey.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    assert lines[at + 1].startswith("# network: Our network")
    assert load_survey(folder / "survey.yaml").network in (None, "")
    named = folder / "named.yaml"
    named.write_text(re.sub(r"^# network: ", "network: ", text, flags=re.M), encoding="utf-8")
    assert load_survey(named).network == "Our network"
    if load_survey(folder / "survey.yaml").segment_questions and "connections" not in text:
        assert "\n# population:\n" in text


def test_readme_counts_the_demo_export_as_the_demo_reports_it():
    """The quick start said "an export of 120 members"; the demo reports 119 respondents
    (121 rows read). The README's figures are the demo's own."""
    from relimpact.demo import RESPONSES, demo_survey_text, examples_dir
    from relimpact.read.reading import read_responses
    from relimpact.survey.load import load_survey

    words = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert (
        "made-up Google Forms export of 121 rows, 119 respondents once an empty submission "
        "and a member's earlier answer are left out" in words
    )
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        survey = Path(folder) / "survey.yaml"
        survey.write_text(demo_survey_text(), encoding="utf-8")
        rs = read_responses(load_survey(survey), [examples_dir() / RESPONSES])
    assert (rs.rows, rs.respondents) == (121, 119)
    assert "Removed 1 empty submission (rows that answer no question)." in rs.warnings
    assert any(w.startswith("Removed 1 earlier submission") for w in rs.warnings)
