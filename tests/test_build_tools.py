"""Forms for other survey tools (issue 15): build, field (a simulator of each tool's
export, in tests/simulators/), read back and score with no extra configuration.

For every bundled template and a hostile one, each built file is checked against the
tool's documented grammar (a small parser per tool), then the export the tool writes
for it, from the same made-up answers as a plain CSV, must score to the same figures.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from simulators import google_forms, limesurvey, msforms, qualtrics, redcap
from simulators.common import make_respondents, plain_csv

from relimpact import load_survey, read_responses, score
from relimpact.common.errors import ResponseError, SurveyError
from relimpact.forms.formats import build
from relimpact.read.toolnames import tool_names

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "surveys").glob("*.yaml"))
NODE = shutil.which("node") or shutil.which("nodejs")

HOSTILE = """\
relimpact: 1
id: hostile-1
title: 'Our <script>alert(1)</script> "network" \\ survey'
description: '=cmd|'' /C calc''!A0 and a back\\slash, a "quote" and </script>'
scales:
  agree:
    points: {1: 'No <b>way</b>', 2: '=HYPERLINK("x")', 3: 'Yes, "really"'}
    not_applicable: ['Don''t know \\ n/a']
dimensions:
  d: {label: D}
questions:
  - id: Q1-first
    text: 'The <i>first</i> statement, with "quotes" and a \\ backslash.'
    scale: agree
    dimension: d
    group: g-1
    required: true
  - id: q2
    text: '=SUM(A1:A9) starts like a formula'
    scale: agree
    dimension: d
    group: g-1
    required: true
  - id: q3
    text: "A line\\nbreak and a\\ttab [[PageBreak]] inside"
    scale: agree
    dimension: d
  - id: role
    type: choice
    text: 'Your role, in <u>one</u> word'
    options: ['@admin', '-minus', 'Plain "quoted"']
    segment: true
    other: true
  - id: took
    type: multi
    text: Which did you take part in?
    options: ['Calls, meetings; and chats', '+plus', 'Other']
    other: true
  - id: story
    type: text
    text: 'Tell us </script> more'
    quotable: true
  - id: ok
    type: consent
    text: May we quote you?
"""


def figures(result) -> dict:
    """The score JSON without what says where the answers came from (the plain CSV has
    no submission times: a member who answers twice keeps its later row by position, as
    the tools' times, in row order, keep it; a warning says so)."""
    out = result.to_dict()
    out.pop("source", None)
    out["warnings"] = [w for w in out["warnings"] if not w.startswith("The submission time")]
    return out


def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def surveys(tmp_path: Path) -> list:
    return [load_survey(p) for p in TEMPLATES] + [load_survey(hostile(tmp_path))]


def plain_figures(survey, respondents, tmp_path: Path) -> dict:
    path = tmp_path / f"{survey.id}-plain.csv"
    path.write_text(plain_csv(survey, respondents), encoding="utf-8")
    return figures(score(read_responses(survey, [path])))


def export_figures(survey, path: Path, fmt: str) -> dict:
    rs = read_responses(survey, [path])
    assert rs.format == fmt, rs.format
    assert rs.problems == ()
    assert {m.question for m in rs.matches} == {q.id for q in survey.questions}
    return figures(score(rs))


def test_the_bundled_templates_are_all_here() -> None:
    assert {p.stem for p in TEMPLATES} == {
        "event-pulse",
        "member-connection",
        "network-health",
        "network-map",
        "network-ties",
    }


# --- Google Forms -------------------------------------------------------------------


@pytest.mark.skipif(NODE is None, reason="node is not installed: cannot check the .gs file")
@pytest.mark.parametrize("which", [p.stem for p in TEMPLATES] + ["hostile"])
def test_google_forms_round_trip(which: str, tmp_path: Path) -> None:
    path = hostile(tmp_path) if which == "hostile" else ROOT / "surveys" / f"{which}.yaml"
    survey = load_survey(path)
    built = build(survey, "google-forms")
    gs = tmp_path / "form.gs"
    gs.write_text(built.content, encoding="utf-8")
    # node --check: the file is valid JavaScript (node wants a .js name or stdin).
    check = subprocess.run(
        [NODE, "--check"], input=built.content, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    form = google_forms.run_script(built.content, tmp_path)
    # FormApp is called for every question: a grid item holds each statement of a grid.
    texts = {" ".join(q.text.split()) for q in survey.questions}
    grids = [i for i in form["items"] if i["type"] == "grid"]
    shown = [i["title"] for i in form["items"] if i["type"] not in ("grid", "page_break")]
    shown += [row for i in grids if i["title"] not in texts for row in i["rows"]]
    # a connections question with levels: a grid titled by the question, a row per member
    shown += [i["title"] for i in grids if i["title"] in texts]
    assert sorted(shown) == sorted(" ".join(q.text.split()) for q in survey.questions)
    assert form["form"]["title"] == " ".join(survey.title.split())
    assert form["form"]["settings"]["collectEmail"] is False
    assert any("edit" in line for line in form["logs"])
    assert any("viewform" in line for line in form["logs"])
    required = {i["title"] for i in form["items"] if i["required"]}
    for q in survey.questions:
        if q.required and q.type != "scale":
            assert " ".join(q.text.split()) in required
    respondents = make_respondents(survey)
    export = tmp_path / "responses.csv"
    export.write_text(google_forms.export_csv(form, survey, respondents), encoding="utf-8")
    assert export_figures(survey, export, "google-forms") == plain_figures(
        survey, respondents, tmp_path
    )


def test_google_forms_strings_are_escaped(tmp_path: Path) -> None:
    built = build(load_survey(hostile(tmp_path)), "google-forms").content
    head, body = built.split("*/", 1)  # the header comment cannot be closed early
    assert head.count("*/") == 0
    assert "</script>" not in body  # written <\/script>, so a pasted page cannot end
    for line in body.splitlines():
        # every text sits in a JSON string literal: no raw quote, backslash or line break
        for literal in re.findall(r'"(?:[^"\\]|\\.)*"', line):
            assert json.loads(literal.replace("<\\/", "</")) is not None
    assert "=SUM(A1:A9)" in built and '\\"quotes\\"' in built


# --- Qualtrics -------------------------------------------------------------------------


@pytest.mark.parametrize("which", [p.stem for p in TEMPLATES] + ["hostile"])
@pytest.mark.parametrize("numeric", [False, True], ids=["labels", "numeric"])
def test_qualtrics_round_trip(which: str, numeric: bool, tmp_path: Path) -> None:
    path = hostile(tmp_path) if which == "hostile" else ROOT / "surveys" / f"{which}.yaml"
    survey = load_survey(path)
    built = build(survey, "qualtrics")
    parsed = qualtrics.parse(built.content)
    tags = tool_names("qualtrics", survey)
    for q in survey.questions:  # the export tag of every question, or of its grid
        grid = tags.grid_of(q)
        assert (grid or tags.questions[q.id]) in {p.tag for p in parsed}
    if which == "hostile":
        # the write-in question cannot go into a choice, so it is named as dropped
        parsed = [p for p in parsed if p.tag != "relimpact_notes"]
    respondents = make_respondents(survey)
    if which == "hostile":  # Qualtrics imports no text box for "Other": no write-ins
        for r in respondents:
            r.answers["role"] = (
                r.answers["role"] if r.answers["role"] != "We run a lunch club, and more" else ""
            )
            r.answers["took"] = [x for x in r.answers["took"] if x != "Street parties"]
    export = tmp_path / "responses.csv"
    export.write_text(qualtrics.export_csv(parsed, survey, respondents, numeric), encoding="utf-8")
    assert export_figures(survey, export, "qualtrics") == plain_figures(
        survey, respondents, tmp_path
    )


# --- LimeSurvey -----------------------------------------------------------------------


@pytest.mark.parametrize("which", [p.stem for p in TEMPLATES] + ["hostile"])
@pytest.mark.parametrize("headings", ["code", "text", "code. text"])
@pytest.mark.parametrize("codes", [False, True], ids=["full", "codes"])
def test_limesurvey_round_trip(which: str, headings: str, codes: bool, tmp_path: Path) -> None:
    path = hostile(tmp_path) if which == "hostile" else ROOT / "surveys" / f"{which}.yaml"
    survey = load_survey(path)
    built = build(survey, "limesurvey")
    settings, parsed = limesurvey.parse(built.content)
    assert settings["language"] == (survey.language or "en")
    assert settings["anonymized"] == "Y" and settings["ipaddr"] == "N"
    respondents = make_respondents(survey)
    export = tmp_path / "responses.csv"
    export.write_text(
        limesurvey.export_csv(parsed, survey, respondents, headings, codes), encoding="utf-8"
    )
    if headings == "text" and codes:
        # Full-text headings carry no question code, so nothing says the answer codes are
        # the ones relimpact wrote: they are refused, not guessed (A1 is the first option
        # only in relimpact's form). Export with "question code" headings instead.
        with pytest.raises(ResponseError, match=r"'[AN]\d' is not (an option|a label)"):
            read_responses(survey, [export])
        return
    assert export_figures(survey, export, "limesurvey") == plain_figures(
        survey, respondents, tmp_path
    )


# --- REDCap ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", [p.stem for p in TEMPLATES] + ["hostile"])
@pytest.mark.parametrize("raw", [True, False], ids=["raw", "labels"])
def test_redcap_round_trip(which: str, raw: bool, tmp_path: Path) -> None:
    path = hostile(tmp_path) if which == "hostile" else ROOT / "surveys" / f"{which}.yaml"
    survey = load_survey(path)
    built = build(survey, "redcap")
    fields = redcap.parse(built.content)
    respondent = survey.respondent_question
    if respondent is not None:
        key = tool_names("redcap", survey).questions[respondent.id]
        assert next(f for f in fields if f.name == key).identifier
    respondents = make_respondents(survey)
    if which == "hostile":  # REDCap has no text box in a choice list: Other is ticked
        for r in respondents:
            if r.answers["role"] == "We run a lunch club, and more":
                r.answers["role"] = "Other"
    export = tmp_path / "responses.csv"
    export.write_text(redcap.export_csv(fields, survey, respondents, raw), encoding="utf-8")
    assert export_figures(survey, export, "redcap") == plain_figures(survey, respondents, tmp_path)


# --- Microsoft Forms ------------------------------------------------------------------


@pytest.mark.parametrize("which", [p.stem for p in TEMPLATES] + ["hostile"])
def test_msforms_round_trip(which: str, tmp_path: Path) -> None:
    path = hostile(tmp_path) if which == "hostile" else ROOT / "surveys" / f"{which}.yaml"
    survey = load_survey(path)
    built = build(survey, "msforms")
    title, parsed = msforms.parse(built.content)
    assert title == " ".join(survey.title.split())
    respondents = make_respondents(survey)
    if which == "hostile":  # the "Other" option is added by hand in Forms: no write-ins
        for r in respondents:
            if r.answers["role"] == "We run a lunch club, and more":
                r.answers["role"] = ""
            r.answers["took"] = [x for x in r.answers["took"] if x != "Street parties"]
    export = tmp_path / "responses.xlsx"
    export.write_bytes(msforms.export_xlsx(parsed, survey, respondents))
    assert export_figures(survey, export, "microsoft-forms") == plain_figures(
        survey, respondents, tmp_path
    )


# --- Every format ------------------------------------------------------------------------


@pytest.mark.parametrize("to", ["google-forms", "qualtrics", "limesurvey", "redcap", "msforms"])
def test_the_same_survey_gives_the_same_bytes(to: str, tmp_path: Path) -> None:
    for survey in surveys(tmp_path):
        assert build(survey, to).content == build(survey, to).content


def test_cli_lists_what_was_dropped_on_standard_error(tmp_path: Path) -> None:
    out = tmp_path / "form.txt"
    result = run_cli("build", ROOT / "surveys" / "network-map.yaml", "--to", "qualtrics", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Note: question 'worked_with': Qualtrics cannot hide" in result.stderr
    assert "Note: question 'which_member' is required" in result.stderr
    assert "Force Response" in out.read_text(encoding="utf-8")  # and in the file itself


def test_hostile_text_is_escaped_for_each_tool(tmp_path: Path) -> None:
    """A template text with <script>, formula-like starts, quotes, backslashes, a tab, a
    line break and a "[[tag]]" stays text in every file (the round trips above also read
    each one back to the same text)."""
    survey = load_survey(hostile(tmp_path))
    lime = build(survey, "limesurvey").content
    assert "<script>" not in lime and "&lt;script&gt;" in lime  # LimeSurvey texts are HTML
    _, parsed = limesurvey.parse(lime)  # every cell read back whole: tabs and quotes
    statements = [text for q in parsed for _, text in q.subquestions]
    assert any('"quotes" and a \\ backslash' in t for t in statements)
    qual = build(survey, "qualtrics").content
    assert "<script>" not in qual and "&lt;script&gt;" in qual
    assert "[[PageBreak]] inside" not in qual  # a text cannot start a tag
    dictionary = build(survey, "redcap").content
    assert "<script>" not in dictionary
    cells = [c for row in csv.reader(io.StringIO(dictionary)) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)  # Excel runs none
    assert " =SUM(A1:A9) starts like a formula" in cells


def test_positions_are_read_only_under_the_names_relimpact_gave(tmp_path: Path) -> None:
    """Qualtrics' numeric export of a form relimpact did not build (tags Q1, Q2): a "2" in
    a choice question is refused, not taken as the second option; under the tag the
    builder gave the question, the same "2" is the second option."""
    survey_yaml = tmp_path / "s.yaml"
    survey_yaml.write_text(
        "relimpact: 1\nid: s\ntitle: S\nscales:\n  a: {points: {1: Disagree, 2: Agree}}\n"
        "dimensions:\n  d: {label: D}\nquestions:\n"
        "  - {id: useful, text: It is useful, scale: a, dimension: d}\n"
        "  - {id: role, type: choice, text: Your role, options: [Member, Staff]}\n",
        encoding="utf-8",
    )
    survey = load_survey(survey_yaml)

    def export(tags: tuple[str, str]) -> Path:
        path = tmp_path / f"{tags[1]}.csv"
        path.write_text(
            f"StartDate,EndDate,Status,Progress,Finished,ResponseId,{tags[0]},{tags[1]}\n"
            "Start Date,End Date,Response Type,Progress,Finished,Response ID,It is useful,"
            "Your role\n"
            + ",".join(f'"{{""ImportId"":""{k}""}}"' for k in "abcdef")
            + ',"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}"\n'
            + "\n".join(f"2026-10-05,2026-10-05,0,100,1,R_{i},2,2" for i in range(6))
            + "\n",
            encoding="utf-8",
        )
        return path

    with pytest.raises(ResponseError, match=r"'2' is not an option of question 'role'"):
        read_responses(survey, [export(("Q1", "Q2"))])
    rs = read_responses(survey, [export(("useful", "role"))])
    assert rs.choice["role"].codes.tolist() == [1] * 6


@pytest.mark.parametrize("to", ["google-forms", "qualtrics", "limesurvey", "redcap", "msforms"])
def test_control_characters_in_template_text_are_left_out(to: str, tmp_path: Path) -> None:
    path = tmp_path / "ctrl.yaml"
    path.write_text(
        'relimpact: 1\nid: ctrl\ntitle: "Bell \\a title"\nscales:\n'
        "  a: {points: {1: Disagree, 2: Agree}}\ndimensions:\n  d: {label: D}\nquestions:\n"
        '  - {id: q1, text: "It is \\x01 useful", scale: a, dimension: d}\n',
        encoding="utf-8",
    )
    survey = load_survey(path)
    assert "\x01" in survey.questions[0].text
    content = build(survey, to).content
    if isinstance(content, bytes):  # the Word file: the XML inside the zip
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as z:
            content = "".join(z.read(n).decode("utf-8") for n in z.namelist() if ".xml" in n)
    text = content
    assert "\x01" not in text and "\x07" not in text


@pytest.mark.parametrize("to", ["google-forms", "qualtrics", "limesurvey", "redcap", "msforms"])
def test_what_was_dropped_is_in_the_file_itself(to: str) -> None:
    import html as html_module
    import zipfile

    built = build(load_survey(ROOT / "surveys" / "network-map.yaml"), to)
    assert built.dropped  # the roster's "not your own organisation" filter, at least
    content = built.content
    if isinstance(content, bytes):  # the Word file: its comments part
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            content = re.sub(r"<[^>]+>", "", z.read("word/comments.xml").decode("utf-8"))
    text = " ".join(html_module.unescape(content).split())
    for note in built.dropped:
        assert " ".join(note.split()) in text, note


# --- Tie levels: a connections question fielded as a member x level grid ----------------

HOSTILE_TIES = """\
relimpact: 1
id: hostile-ties
title: Ties
min_group_size: 3
network_map:
  members: ['<b>Bold</b> & Co', '=SUM(A1) Trust', 'The "Quoted" Forum', 'Back\\slash Club',
            '[[PageBreak]] Hub', 'Plain Org']
scales:
  close:
    points: {1: 'Aware <i>of</i> us', 2: '=HYPERLINK("x")', 3: 'Plan "together"'}
    not_applicable: [Not sure]
  agree:
    points: {1: Disagree, 2: Agree}
dimensions:
  d: {label: D, focus: net}
questions:
  - {id: who, type: member, text: "Which member are you?", required: true}
  - id: ties
    type: connections
    levels: close
    required: true
    text: 'How <u>closely</u> do you work with each member?'
  - {id: know, text: I know who to ask., scale: agree, dimension: d}
"""

VARIANTS = [
    ("google-forms", ""),
    ("qualtrics", "labels"),
    ("qualtrics", "numeric"),
    ("limesurvey", "code/full"),
    ("limesurvey", "code/codes"),
    ("limesurvey", "text/full"),
    ("limesurvey", "code. text/codes"),
    ("redcap", "raw"),
    ("redcap", "labels"),
    ("msforms", ""),
]


def tool_export(to: str, variant: str, survey, respondents, tmp_path: Path) -> tuple[Path, str]:
    """The export each tool's simulator writes for the built form: (file, format)."""
    built = build(survey, to)
    path = tmp_path / "responses.csv"
    if to == "google-forms":
        form = google_forms.run_script(built.content, tmp_path)
        path.write_text(google_forms.export_csv(form, survey, respondents), encoding="utf-8")
    elif to == "qualtrics":
        parsed = [p for p in qualtrics.parse(built.content) if p.tag != "relimpact_notes"]
        text = qualtrics.export_csv(parsed, survey, respondents, variant == "numeric")
        path.write_text(text, encoding="utf-8")
    elif to == "limesurvey":
        headings, codes = variant.split("/")
        _, parsed = limesurvey.parse(built.content)
        text = limesurvey.export_csv(parsed, survey, respondents, headings, codes == "codes")
        path.write_text(text, encoding="utf-8")
    elif to == "redcap":
        fields = redcap.parse(built.content)
        text = redcap.export_csv(fields, survey, respondents, variant == "raw")
        path.write_text(text, encoding="utf-8")
    else:
        path = tmp_path / "responses.xlsx"
        _, parsed = msforms.parse(built.content)
        path.write_bytes(msforms.export_xlsx(parsed, survey, respondents))
        return path, "microsoft-forms"
    return path, to


@pytest.mark.skipif(NODE is None, reason="node is not installed: cannot run the .gs file")
@pytest.mark.parametrize(("to", "variant"), VARIANTS, ids=[f"{t}-{v}" for t, v in VARIANTS])
def test_tie_levels_are_a_member_by_level_grid_in_every_tool(
    to: str, variant: str, tmp_path: Path
) -> None:
    """Hostile member names and level labels (HTML, formula starts, quotes, a backslash, a
    "[[tag]]"), a required levelled question and a not-applicable level: every tool's
    export of the grid reads back with no aliases, to the same tie strength, weighted
    density and figures at or above each level as the plain CSV."""
    path = tmp_path / "ties.yaml"
    path.write_text(HOSTILE_TIES, encoding="utf-8")
    survey = load_survey(path)
    respondents = make_respondents(survey, n=30)
    assert any(len(r.answers["ties"]) > 1 for r in respondents)
    export, fmt = tool_export(to, variant, survey, respondents, tmp_path)
    got = export_figures(survey, export, fmt)
    assert got == plain_figures(survey, respondents, tmp_path)
    net = got["network"]
    assert sum(net["strength"].values()) > 0 and net["weighted_density"] > 0
    assert list(net["at_least"]) == ["Aware <i>of</i> us", '=HYPERLINK("x")', 'Plan "together"']
    built = build(survey, to)
    # required would ask a level of every member: the form leaves it optional, and says so
    assert any("'ties' is required" in d and "every member" in d for d in built.dropped)


def test_tie_levels_grid_shapes(tmp_path: Path) -> None:
    """The grid is the tool's own grid: a Google Forms grid item, a Qualtrics Matrix, a
    LimeSurvey array (F), a REDCap matrix of radio fields, a Microsoft Forms Likert table;
    rows the members, columns the levels, never required."""
    path = tmp_path / "ties.yaml"
    path.write_text(HOSTILE_TIES, encoding="utf-8")
    survey = load_survey(path)
    members = [" ".join(m.split()) for m in survey.network_map.members]
    levels = ["Aware <i>of</i> us", '=HYPERLINK("x")', 'Plan "together"', "Not sure"]
    text = "How <u>closely</u> do you work with each member?"
    if NODE is not None:
        form = google_forms.run_script(build(survey, "google-forms").content, tmp_path)
        grid = next(i for i in form["items"] if i["title"] == text)
        assert grid["type"] == "grid" and grid["rows"] == members
        assert grid["columns"] == levels and not grid["required"]
    matrix = next(p for p in qualtrics.parse(build(survey, "qualtrics").content) if p.tag == "ties")
    assert matrix.kind == "Matrix"
    assert [qualtrics.plain(c) for _, c in matrix.choices] == members
    assert [qualtrics.plain(a) for _, a in matrix.answers] == levels
    assert [c for c, _ in matrix.answers] == [1, 2, 3, -1]
    _, parsed = limesurvey.parse(build(survey, "limesurvey").content)
    array = next(q for q in parsed if q.code == "ties")
    assert array.kind == "F" and not array.mandatory
    assert [limesurvey.plain(t) for _, t in array.subquestions] == members
    assert [limesurvey.plain(t) for _, t in array.answers] == levels
    fields = [f for f in redcap.parse(build(survey, "redcap").content) if f.matrix == "ties"]
    assert [f.name for f in fields] == [f"ties_{k + 1}" for k in range(len(members))]
    assert {f.kind for f in fields} == {"radio"}
    assert [redcap.plain(f.label) for f in fields] == members
    assert [redcap.plain(lab) for _, lab in fields[0].choices] == levels
    assert text in redcap.plain(fields[0].section)
    _, parsed_ms = msforms.parse(build(survey, "msforms").content)
    likert = next(q for q in parsed_ms if q.title == text)
    assert likert.statements == members and likert.columns == levels


# --- Names that clash once spelled as each tool wants -----------------------------------

CLASHES = """\
relimpact: 1
id: clash
title: Clash
scales:
  a: {points: {1: Disagree, 2: Neutral, 3: Agree}}
  b: {points: {1: Never, 2: Sometimes, 3: Often}}
dimensions:
  d: {label: D}
  e: {label: E}
questions:
  - {id: s1, text: Statement one, scale: a, dimension: d, group: g}
  - {id: s2, text: Statement two, scale: a, dimension: d, group: g}
  - {id: role, type: choice, text: Your role, options: [Member, Staff], segment: true}
  - {id: s3, text: Statement three, scale: a, dimension: d, group: g}
  - {id: s4, text: Statement four, scale: a, dimension: d, group: g}
  - {id: t1, text: Freq one, scale: b, dimension: e, group: g-h}
  - {id: t2, text: Freq two, scale: b, dimension: e, group: g-h}
  - {id: u1, text: Freq three, scale: b, dimension: e, group: g_h}
  - {id: u2, text: Freq four, scale: b, dimension: e, group: g_h}
  - {id: g_1, text: A question named like grid g's first statement, scale: a, dimension: d}
  - {id: intro, text: Intro statement, scale: a, dimension: d}
  - {id: thanks, text: Thanks statement, scale: a, dimension: d}
  - {id: x-1, text: Dash one, scale: a, dimension: d}
  - {id: x_1, text: Underscore one, scale: a, dimension: d}
  - {id: relimpact_notes, type: text, text: Notes, required: true}
  - {id: relimpactnotes, type: multi, text: Which, options: [Calls, Meetings]}
  - {id: event, text: Event statement, scale: a, dimension: d}
"""


def clashes(tmp_path: Path):
    path = tmp_path / "clash.yaml"
    path.write_text(CLASHES, encoding="utf-8")
    return load_survey(path)


def test_a_group_used_twice_and_names_that_clash_get_distinct_names(tmp_path: Path) -> None:
    """A group used for two separate runs is two grids; ``g-h`` and ``g_h``, a question
    ``g_1`` beside grid ``g``, and ids equal to the builder's own items all get distinct
    names, the same ones the readers use."""
    survey = clashes(tmp_path)
    qual = build(survey, "qualtrics").content
    ids = re.findall(r"^\[\[ID:([^\]]+)\]\]$", qual, flags=re.M)
    assert len(ids) == len({i.casefold() for i in ids}), ids
    tags = tool_names("qualtrics", survey)
    every = [*tags.columns, *tags.grids.values(), *tags.reserved.values()]
    assert len(every) == len({n.casefold() for n in every}), every
    assert tags.questions["s1"] == "g_1" and tags.questions["g_1"] == "g_1_2"
    lime = limesurvey.parse(build(survey, "limesurvey").content)[1]
    codes = [q.code.casefold() for q in lime]
    assert len(codes) == len(set(codes)), codes
    fields = redcap.parse(build(survey, "redcap").content)
    names = [f.name for f in fields]
    assert len(names) == len(set(names)), names
    assert "event" not in names and "event_2" in names  # a name REDCap keeps
    matrix: dict[str, list[str]] = {}
    for f in fields:
        if f.matrix:
            matrix.setdefault(f.matrix, []).append(f.name)
    runs = [["s1", "s2"], ["s3", "s4"], ["t1", "t2"], ["u1", "u2"]]
    assert sorted(matrix.values()) == runs  # one matrix group per run, never split


@pytest.mark.parametrize("to", ["qualtrics-labels", "qualtrics-numeric", "limesurvey", "redcap"])
def test_names_that_clash_read_back_to_the_same_figures(to: str, tmp_path: Path) -> None:
    survey = clashes(tmp_path)
    respondents = make_respondents(survey)
    export = tmp_path / "responses.csv"
    if to.startswith("qualtrics"):
        parsed = qualtrics.parse(build(survey, "qualtrics").content)
        content = qualtrics.export_csv(parsed, survey, respondents, to.endswith("numeric"))
        fmt = "qualtrics"
    elif to == "limesurvey":
        _, parsed = limesurvey.parse(build(survey, "limesurvey").content)
        content = limesurvey.export_csv(parsed, survey, respondents, "code", True)
        fmt = "limesurvey"
    else:
        fields = redcap.parse(build(survey, "redcap").content)
        content = redcap.export_csv(fields, survey, respondents, True)
        fmt = "redcap"
    export.write_text(content, encoding="utf-8")
    assert export_figures(survey, export, fmt) == plain_figures(survey, respondents, tmp_path)


@pytest.mark.parametrize("qid", ["record_id", "clash_complete", "clash_timestamp", "redcap_x"])
def test_redcap_refuses_a_question_named_like_its_own_export_columns(
    qid: str, tmp_path: Path
) -> None:
    path = tmp_path / "clash.yaml"
    path.write_text(
        "relimpact: 1\nid: clash\ntitle: C\nscales:\n  a: {points: {1: Disagree, 2: Agree}}\n"
        f"dimensions:\n  d: {{label: D}}\nquestions:\n"
        f"  - {{id: {qid}, text: It is, scale: a, dimension: d}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SurveyError, match=f"question '{qid}' would be REDCap field") as e:
        build(load_survey(path), "redcap")
    assert f"{path}:9: " in str(e.value)


@pytest.mark.parametrize(
    "scale, options",
    [
        ("{1: 'No | never', 2: Agree}", "[Staff, Member]"),
        ("{1: Disagree, 2: Agree}", "['Staff | paid', 'Staff / paid']"),
    ],
)
def test_redcap_refuses_a_label_holding_a_pipe(scale: str, options: str, tmp_path: Path) -> None:
    path = tmp_path / "pipe.yaml"
    path.write_text(
        f"relimpact: 1\nid: pipe\ntitle: P\nscales:\n  a: {{points: {scale}}}\n"
        "dimensions:\n  d: {label: D}\nquestions:\n"
        "  - {id: x1, text: It is, scale: a, dimension: d}\n"
        f"  - {{id: role, type: choice, text: Role, options: {options}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SurveyError, match=r"holds '\|', which REDCap reads as the end"):
        build(load_survey(path), "redcap")
    out = tmp_path / "form.csv"
    result = run_cli("build", path, "--to", "redcap", "-o", out)
    assert result.returncode == 1 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr and not out.exists()


def test_redcap_notes_a_field_name_longer_than_26_characters(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    long_id = "statement_about_long_variable_names"
    path.write_text(
        "relimpact: 1\nid: long\ntitle: L\nscales:\n  a: {points: {1: Disagree, 2: Agree}}\n"
        "dimensions:\n  d: {label: D}\nquestions:\n"
        f"  - {{id: {long_id}, text: It is, scale: a, dimension: d}}\n",
        encoding="utf-8",
    )
    built = build(load_survey(path), "redcap")
    assert any(f"field '{long_id}', longer than 26" in d for d in built.dropped)
    assert "longer than 26" in built.content


@pytest.mark.parametrize(
    "language, code, note",
    [
        ("French", "fr", ""),
        ("fr", "fr", ""),
        ("Deutsch (de-informal)", "de-informal", ""),
        ("en_GB", "en", "LimeSurvey has no 'en-GB'; the survey is set to 'en'"),
        ("pt_BR", "pt-BR", ""),
        ("Irish", "ie", ""),
        ("sw", "swh", ""),
    ],
)
def test_limesurvey_gets_the_templates_language(
    language: str, code: str, note: str, tmp_path: Path
) -> None:
    path = tmp_path / "lang.yaml"
    path.write_text(
        f"relimpact: 1\nid: lang\ntitle: L\nlanguage: {language}\n"
        "scales:\n  a: {points: {1: Disagree, 2: Agree}}\n"
        "dimensions:\n  d: {label: D}\nquestions:\n"
        "  - {id: x1, text: It is, scale: a, dimension: d}\n",
        encoding="utf-8",
    )
    built = build(load_survey(path), "limesurvey")
    settings, _ = limesurvey.parse(built.content)
    assert settings["language"] == code
    rows = [line.split("\t") for line in built.content.splitlines()[1:]]
    assert {r[6] for r in rows if r[0] in ("SL", "G", "Q", "SQ", "A")} == {code}
    if note:
        assert any(note in d for d in built.dropped) and note in built.content
    else:
        assert not built.dropped


@pytest.mark.parametrize("language", ["Klingon", "zh", "Chinese"])
def test_limesurvey_refuses_a_language_it_does_not_know(language: str, tmp_path: Path) -> None:
    path = tmp_path / "lang.yaml"
    path.write_text(
        f"relimpact: 1\nid: lang\ntitle: L\nlanguage: {language}\n"
        "scales:\n  a: {points: {1: Disagree, 2: Agree}}\n"
        "dimensions:\n  d: {label: D}\nquestions:\n"
        "  - {id: x1, text: It is, scale: a, dimension: d}\n",
        encoding="utf-8",
    )
    with pytest.raises(SurveyError, match=f"language '{language}' is not one LimeSurvey knows"):
        build(load_survey(path), "limesurvey")
    out = tmp_path / "form.txt"
    result = run_cli("build", path, "--to", "limesurvey", "-o", out)
    assert result.returncode == 1 and "fr (French)" in " ".join(result.stderr.split())
    assert not out.exists()


def test_cli_refuses_an_output_name_that_does_not_fit_the_format(tmp_path: Path) -> None:
    survey = ROOT / "surveys" / "event-pulse.yaml"
    out = tmp_path / "form.gs"
    result = run_cli("build", survey, "--to", "redcap", "-o", out)
    assert result.returncode == 2 and not out.exists()
    said = " ".join(result.stderr.split())
    assert "form.gs: '.gs' is not the suffix of a REDCap data dictionary" in said
    assert "name the file form.csv" in said
    result = run_cli("build", survey, "--to", "google-forms", "-o", tmp_path)
    assert result.returncode == 1 and "Give a file name, e.g. form.gs." in result.stderr


def test_cli_dash_is_standard_output_for_text_and_refused_for_binary(tmp_path: Path) -> None:
    survey = ROOT / "surveys" / "event-pulse.yaml"
    result = run_cli("build", survey, "--to", "qualtrics", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("[[AdvancedFormat]]")
    result = run_cli("build", survey, "--to", "msforms", "-o", "-", cwd=tmp_path)
    assert result.returncode == 2 and "cannot go to the terminal" in result.stderr
    assert not (tmp_path / "-").exists()


def test_cli_refuses_the_input_as_output_before_any_note(tmp_path: Path) -> None:
    survey = tmp_path / "survey.txt"
    survey.write_bytes((ROOT / "surveys" / "network-map.yaml").read_bytes())
    before = survey.read_bytes()
    result = run_cli("build", survey, "--to", "qualtrics", "-o", survey)
    assert result.returncode == 1 and "never overwritten" in result.stderr
    assert "Note:" not in result.stderr and survey.read_bytes() == before


@pytest.mark.parametrize("to", ["google-forms", "qualtrics", "limesurvey", "redcap", "msforms"])
def test_the_notes_say_only_what_is_true(to: str, tmp_path: Path) -> None:
    """The connections note claims the hint asks members not to tick their own only
    when it does; a partly required grid is "none is required", never also "question X
    is required"; a wholly required grid is noted once, as a grid."""
    path = tmp_path / "notes.yaml"
    path.write_text(
        "relimpact: 1\nid: notes\ntitle: N\nscales:\n  a: {points: {1: Disagree, 2: Agree}}\n"
        "dimensions:\n  d: {label: D}\nnetwork_map:\n  members: [Alpha, Beta, Gamma]\n"
        "questions:\n"
        "  - {id: me, type: member, text: Which member are you}\n"
        "  - {id: ties, type: connections, text: Who have you worked with, hint: Tick all.}\n"
        "  - {id: s1, text: One, scale: a, dimension: d, group: g, required: true}\n"
        "  - {id: s2, text: Two, scale: a, dimension: d, group: g}\n"
        "  - {id: s3, text: Three, scale: a, dimension: d, group: h, required: true}\n"
        "  - {id: s4, text: Four, scale: a, dimension: d, group: h, required: true}\n",
        encoding="utf-8",
    )
    notes = build(load_survey(path), to).dropped
    said = " ".join(notes)
    assert "its hint asks members not to tick their own" not in said
    assert "add to its hint that members should not tick their own" in said
    assert "grid 'g': only some of its statements are required" in said
    assert not any(n.startswith(("question 's1' is required", "question 's2'")) for n in notes)
    assert not any(n.startswith(("question 's3' is required", "question 's4'")) for n in notes)
    if to in ("qualtrics", "msforms"):  # no import sets a required flag
        assert any(n.startswith("grid 'h' (s3, s4) is required") for n in notes)
    nm = build(load_survey(ROOT / "surveys" / "network-map.yaml"), to).dropped
    assert any("its hint asks members not to tick their own" in n for n in nm)


OTHERS = """\
relimpact: 1
id: others
title: O
scales:
  a: {points: {1: Disagree, 2: Agree}}
dimensions:
  d: {label: D}
questions:
  - {id: x1, text: It is, scale: a, dimension: d}
  - {id: role, type: choice, text: Your role, options: [Member, Staff, Other], other: true}
  - {id: took, type: multi, text: What did you join, options: [Calls, Other], other: true}
  - {id: how, type: choice, text: How, options: [Other, Email, Post], other: true}
"""


def test_limesurvey_says_an_explicit_other_has_no_text_box(tmp_path: Path) -> None:
    """An "Other" the template lists stays an ordinary option (its column a tick, as the
    template says), and the build says that write-ins are not collected."""
    path = tmp_path / "others.yaml"
    path.write_text(OTHERS, encoding="utf-8")
    built = build(load_survey(path), "limesurvey")
    _, parsed = limesurvey.parse(built.content)
    by_code = {q.code: q for q in parsed}
    for code in ("role", "took", "how"):
        assert not by_code[code].other
        note = f"question '{code}' takes write-ins, but its options already hold 'Other'"
        assert any(n.startswith(note) for n in built.dropped) and note in built.content


@pytest.mark.parametrize("headings", ["code", "text"])
def test_an_explicit_other_reads_back_from_limesurvey(headings: str, tmp_path: Path) -> None:
    path = tmp_path / "others.yaml"
    path.write_text(OTHERS, encoding="utf-8")
    survey = load_survey(path)
    _, parsed = limesurvey.parse(build(survey, "limesurvey").content)
    respondents = make_respondents(survey)
    for r in respondents:  # no text box in LimeSurvey: a write-in is just "Other"
        for q in survey.questions:
            if q.type == "choice" and r.answers[q.id] not in ("", *q.options):
                r.answers[q.id] = "Other"
            if q.type == "multi":
                ticks = [x for x in r.answers[q.id] if x in q.options]
                if len(ticks) < len(r.answers[q.id]) and "Other" not in ticks:
                    ticks.append("Other")
                r.answers[q.id] = ticks
    export = tmp_path / "responses.csv"
    export.write_text(
        limesurvey.export_csv(parsed, survey, respondents, headings, False), encoding="utf-8"
    )
    assert export_figures(survey, export, "limesurvey") == plain_figures(
        survey, respondents, tmp_path
    )


BRACKETS = """\
relimpact: 1
id: brackets
title: B
scales:
  a: {points: {1: Disagree, 2: Neutral, 3: Agree}}
dimensions:
  d: {label: D}
questions:
  - {id: aa, text: "The network [or coalition] helps me.", scale: a, dimension: d, group: g}
  - {id: bb, text: "I know people in it [most of them].", scale: a, dimension: d, group: g}
  - {id: cc, text: "[Really] I trust them", scale: a, dimension: d, group: g}
  - {id: role, type: choice, text: "Your role [pick one]", options: [Member, Staff]}
  - id: took
    type: multi
    text: "What did you join [tick all]"
    options: [Calls, "[Big] meetings"]
"""


@pytest.mark.parametrize("tool", ["google-forms", "limesurvey"])
def test_statements_with_brackets_read_back_from_title_bracket_headings(
    tool: str, tmp_path: Path
) -> None:
    """ "Title [The network [or coalition] helps me.]": the survey's own texts say where
    the statement starts, not a guess at the brackets."""
    path = tmp_path / "brackets.yaml"
    path.write_text(BRACKETS, encoding="utf-8")
    survey = load_survey(path)
    respondents = make_respondents(survey)
    export = tmp_path / "responses.csv"
    if tool == "google-forms":
        if NODE is None:
            pytest.skip("node is not installed: cannot run the .gs file")
        form = google_forms.run_script(build(survey, tool).content, tmp_path)
        export.write_text(google_forms.export_csv(form, survey, respondents), encoding="utf-8")
    else:
        _, parsed = limesurvey.parse(build(survey, tool).content)
        export.write_text(
            limesurvey.export_csv(parsed, survey, respondents, "text", False), encoding="utf-8"
        )
    assert export_figures(survey, export, tool) == plain_figures(survey, respondents, tmp_path)


def test_a_bare_answer_code_counted_as_other_is_warned_about(tmp_path: Path) -> None:
    """With other: true, a cell that is no option counts as "Other", never an error (the
    template contract); a cell that looks like an answer code (a bare "2" when no option
    is a number) is counted too, but the reading warns, naming the question."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "relimpact: 1\nid: s\ntitle: S\nscales:\n  a: {points: {1: Disagree, 2: Agree}}\n"
        "dimensions:\n  d: {label: D}\nquestions:\n"
        "  - {id: useful, text: It is useful, scale: a, dimension: d}\n"
        "  - {id: role, type: choice, text: Your role, options: [Member, Staff], other: true}\n"
        "  - {id: took, type: multi, text: Which, options: [Calls, Meetings], other: true}\n",
        encoding="utf-8",
    )
    survey = load_survey(path)
    good = tmp_path / "good.csv"
    good.write_text(
        "useful,role,took\n" + "Agree,We run a lunch club,Calls;A picnic\n" * 6, encoding="utf-8"
    )
    rs = read_responses(survey, [good])
    assert rs.choice["role"].codes.tolist() == [survey.questions[1].other_index] * 6
    assert not [w for w in rs.warnings if "answer code" in w]
    for bad_role, bad_took, what in (("2", "Calls", "role"), ("Member", "Calls;3", "took")):
        bad = tmp_path / f"bad-{what}.csv"
        bad.write_text(
            "useful,role,took\n" + f"Agree,{bad_role},{bad_took}\n" * 6, encoding="utf-8"
        )
        rs = read_responses(survey, [bad])
        said = [w for w in rs.warnings if "like an answer code" in w]
        assert said and said[0].startswith(f"Question '{what}': counted 6 answers"), rs.warnings


def test_a_wrong_tie_level_in_a_tool_export_names_the_member(tmp_path: Path) -> None:
    """A REDCap raw export whose member x level grid holds a code that is no level (7):
    refused, naming the file, the field and the member, not read as a guess."""
    path = tmp_path / "ties.yaml"
    path.write_text(HOSTILE_TIES, encoding="utf-8")
    survey = load_survey(path)
    respondents = make_respondents(survey, n=12)
    export, _ = tool_export("redcap", "raw", survey, respondents, tmp_path)
    rows = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8"))))
    col = rows[0].index("ties_6")
    rows[3][col] = "7"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    export.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(ResponseError) as err:
        read_responses(survey, [export])
    message = str(err.value)
    assert 'column "ties_6"' in message and "'Plain Org'" in message and "row 4" in message


PIPING = """\
relimpact: 1
id: piping
title: "Costs in ${currency} and {TOKEN:EMAIL} and [survey-link]"
scales:
  agree:
    points: {1: "No ${role}", 2: "Maybe {role.shown}", 3: "Yes [role]"}
dimensions:
  d: {label: D}
questions:
  - id: role
    type: choice
    text: "Since you chose ${role}, {role.shown} or [role], are you staff?"
    hint: "Think of ${role} and {if(1, 'a', 'b')} and [record-name]"
    options: ["Paid ${role}", "Unpaid {role}", "Other [role]"]
  - id: q1
    text: A statement
    scale: agree
    dimension: d
"""


def test_piping_syntax_in_template_text_stays_text_in_every_tool(tmp_path: Path) -> None:
    """Each tool has text that shows another answer or data in a question: ``${...}`` in
    XLSForm (pyxform) and Qualtrics, ``{...}`` in LimeSurvey, ``[...]`` in REDCap. None
    of the template's texts becomes one."""
    path = tmp_path / "survey.yaml"
    path.write_text(PIPING, encoding="utf-8")
    survey = load_survey(path)
    qual = build(survey, "qualtrics").content
    assert "${" not in qual and qual.count("&#36;{") == 5  # title, point, text, hint, option
    lime = build(survey, "limesurvey").content
    assert "{" not in lime and "Unpaid &#123;role}" in lime and "&#123;TOKEN:EMAIL}" in lime
    dictionary = build(survey, "redcap").content
    cells = [c for row in csv.reader(io.StringIO(dictionary)) for c in row]
    assert not any("[role]" in c or "[record-name]" in c or "[survey-link]" in c for c in cells)
    assert any("Other &#91;role]" in c for c in cells)


@pytest.mark.skipif(NODE is None, reason="node is not installed: cannot run the .gs file")
def test_google_forms_shows_a_grid_statements_hint_in_the_grids_help_text(
    tmp_path: Path,
) -> None:
    """member-connection's lonely_ons sits in a grid and its hint is the Samaritans support
    line; Google Forms has no hint for one grid row, and the build dropped it. It is now
    the grid's help text, naming its statement; the note says where it went. Other tools,
    which have no such place, still say that it is left out."""
    survey = load_survey(ROOT / "surveys" / "member-connection.yaml")
    built = build(survey, "google-forms")
    form = google_forms.run_script(built.content, tmp_path)
    grid = next(i for i in form["items"] if "How often do you feel lonely?" in i.get("rows", ()))
    assert grid["help"] == (
        "About \u201cHow often do you feel lonely?\u201d: If you often feel lonely, you are not "
        "the only one. You can talk to one of the organisers, or call Samaritans free on "
        "116 123, any time."
    )
    assert (
        "grid 'loneliness_grid': Google Forms has no hint for one statement of a grid; the "
        "hints of lonely_ons are shown in the grid's help text, under its title, each naming "
        "its statement." in built.dropped
    )
    assert not any("left out" in note for note in built.dropped)
    # a grid without hints keeps no help text
    others = [i for i in form["items"] if i["type"] == "grid" and i is not grid]
    assert others and all(i["help"] == "" for i in others)
    assert any(
        "the hints of lonely_ons are left out" in n for n in build(survey, "qualtrics").dropped
    )
