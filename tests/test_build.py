"""relimpact build: the XLSForm, the paper form, Markdown and the response sheet."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from relimpact.common.errors import SurveyError, UsageError
from relimpact.common.text import choice_names
from relimpact.forms.build import (
    FORMATS,
    build_csv,
    build_form,
    build_html,
    build_markdown,
    build_xlsform,
    choices_of,
    language_label,
    level_column,
    privacy_notice,
)
from relimpact.forms.formats import FORMAT_NAMES
from relimpact.survey.load import load_survey
from relimpact.survey.model import Survey

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "surveys").glob("*.yaml"))
TEMPLATE_IDS = [p.stem for p in TEMPLATES]
# Answers, scale labels and members with no Latin letter (the XLSForm names them by position).
NON_LATIN = ROOT / "tests" / "fixtures" / "non-latin.yaml"

SMALL = """\
relimpact: 1
id: small-form
title: A <script>alert('title')</script> survey
description: Tell us <b>honestly</b> & plainly.
min_group_size: 7
scales:
  agree3:
    points: {1: Disagree, 2: Neither, 3: Agree}
    not_applicable: [Don't know]
dimensions:
  d: {label: D}
network_map:
  members: ["Smith, Jones & Co", "Ash Food Share", "Café Lantern"]
questions:
  - id: who
    type: member
    text: Which member are you?
    required: true
  - id: links
    type: connections
    text: Who have you worked with?
  - id: a1
    text: "<script>alert('x')</script> the first statement"
    scale: agree3
    dimension: d
    group: g
  - id: a2
    text: The second statement
    scale: agree3
    dimension: d
    group: g
  - id: a3
    text: A statement on its own
    scale: agree3
    dimension: d
    hint: Think of the last year.
  - id: role
    type: choice
    text: Which best describes you?
    options: [Member, "Staff, paid", Funder]
  - id: ways
    type: multi
    text: How do you take part?
    options: [Gatherings, Online calls, Training]
  - id: code
    type: respondent
    text: Your member code
  - id: count
    type: number
    text: How many members have you met?
  - id: story
    type: text
    text: Tell us a story.
    quotable: true
  - id: quote_ok
    type: consent
    consent: quote
    text: May we quote you?
"""


def survey_from(tmp_path: Path, text: str, name: str = "survey.yaml") -> Survey:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_survey(path)


def sheet_rows(xlsx: bytes, sheet: str) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx), read_only=True)[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = [str(c) for c in rows[0]]
    return [
        {h: ("" if v is None else str(v)) for h, v in zip(header, r, strict=False)}
        for r in rows[1:]
    ]


def convert_xlsform(tmp_path: Path, xlsx: bytes) -> str:
    from pyxform.xls2xform import convert

    path = tmp_path / "form.xlsx"
    path.write_bytes(xlsx)
    warnings: list[str] = []
    result = convert(xlsform=str(path), warnings=warnings)
    assert warnings == []
    return result.xform


# --- XLSForm --------------------------------------------------------------------


@pytest.mark.parametrize("template", [*TEMPLATES, NON_LATIN], ids=[*TEMPLATE_IDS, "non-latin"])
def test_every_bundled_template_converts_with_pyxform(template: Path, tmp_path: Path) -> None:
    survey = load_survey(template)
    xlsx = build_xlsform(survey)
    xform = convert_xlsform(tmp_path, xlsx)
    root = ET.fromstring(xform)

    # Every question is a field of the form, named by its id, in template order.
    rows = sheet_rows(xlsx, "survey")
    lang = language_label(survey.language)
    label = f"label::{lang}" if lang else "label"
    asked = [r for r in rows if r["type"].split(" ")[0] not in ("note", "begin_group", "end_group")]
    assert [r["name"] for r in asked] == _field_names(survey)
    binds = {b.get("nodeset", "").rsplit("/", 1)[-1] for b in root.iter() if b.tag.endswith("bind")}
    assert set(_field_names(survey)) <= binds
    # A connections question with tie levels is a grid: a select_one of the levels per
    # member, the member's own row hidden; checked in tests/test_network_ties.py.
    roster = _roster(survey)
    levelled = {level_column(q, m, roster) for q in _levelled(survey) for m in roster}
    asked = [r for r in asked if r["name"] not in levelled]
    for q, row in zip(_plain(survey), asked, strict=True):
        assert row[label] == q.text
        assert row["required"] == ("yes" if q.required else "")

    # Scales are likert selects whose choices are the point numbers, then not-applicable.
    choices = sheet_rows(xlsx, "choices")
    for q, row in zip(_plain(survey), asked, strict=True):
        kind, _, list_name = row["type"].partition(" ")
        if q.type == "scale":
            assert kind == "select_one" and row["appearance"] == "likert"
            scale = survey.scale_of(q)
            names = [c["name"] for c in choices if c["list_name"] == list_name]
            expected = [str(v) for v in scale.values]
            na = scale.not_applicable
            assert names == expected + choice_names(na, first=len(expected) + 1)
    assert 'appearance="likert"' in xform

    # Grids are field-list groups; settings carry title, id, version and language.
    if any(q.group for q in survey.questions):
        assert 'appearance="field-list"' in xform
    (settings,) = sheet_rows(xlsx, "settings")
    assert settings["form_title"] == survey.title
    assert settings["form_id"] == survey.id
    assert settings["version"] == survey.version
    if survey.language:
        assert settings["default_language"] == lang == "English (en)"

    # The privacy notice opens the form.
    assert rows[1]["type"] == "note" and privacy_notice(survey) in rows[1][label]


def _levelled(survey: Survey) -> list:
    return [q for q in survey.questions if q.type == "connections" and q.levels]


def _plain(survey: Survey) -> list:
    return [q for q in survey.questions if not (q.type == "connections" and q.levels)]


def _roster(survey: Survey) -> tuple[str, ...]:
    return survey.network_map.members if survey.network_map else ()


def _field_names(survey: Survey) -> list[str]:
    """The form's field names: a question's id, or a levelled grid's one per member."""
    out: list[str] = []
    for q in survey.questions:
        if q.type == "connections" and q.levels:
            out += [level_column(q, m, _roster(survey)) for m in _roster(survey)]
        else:
            out.append(q.id)
    return out


def test_xlsform_types_names_and_roster(tmp_path: Path) -> None:
    survey = survey_from(tmp_path, SMALL)
    xlsx = build_xlsform(survey)
    xform = convert_xlsform(tmp_path, xlsx)
    rows = sheet_rows(xlsx, "survey")
    by_name = {r["name"]: r for r in rows if r["name"]}
    assert by_name["who"]["type"] == "select_one members"
    assert by_name["who"]["required"] == "yes"
    assert by_name["links"]["type"] == "select_multiple members"
    assert by_name["links"]["choice_filter"] == "name != ${who}"
    assert by_name["role"]["type"] == "select_one role"
    assert by_name["ways"]["type"] == "select_multiple ways"
    assert by_name["code"]["type"] == "text"
    assert by_name["count"]["type"] == "decimal"
    assert by_name["story"]["type"] == "text"
    assert by_name["quote_ok"]["type"] == "select_one yes_no"
    assert by_name["a3"]["hint"] == "Think of the last year."
    # The grid: a field-list group around exactly a1 and a2.
    types = [r["type"] for r in rows]
    begin = types.index("begin_group")
    assert rows[begin]["name"] == "g" and rows[begin]["appearance"] == "field-list"
    assert [r["name"] for r in rows[begin + 1 : begin + 3]] == ["a1", "a2"]
    assert types[begin + 3] == "end_group"
    # No language in the template: plain label column, no default_language.
    assert "label" in rows[0] and not any(k.startswith("label::") for k in rows[0])
    (settings,) = sheet_rows(xlsx, "settings")
    assert settings == {"form_title": survey.title, "form_id": "small-form", "version": "1"}

    choices = sheet_rows(xlsx, "choices")
    members = [(c["name"], c["label"]) for c in choices if c["list_name"] == "members"]
    assert members == [
        ("smith_jones_co", "Smith, Jones & Co"),
        ("ash_food_share", "Ash Food Share"),
        ("cafe_lantern", "Café Lantern"),
    ]
    assert [(c["name"], c["label"]) for c in choices if c["list_name"] == "yes_no"] == [
        ("yes", "Yes"),
        ("no", "No"),
    ]
    assert [c["name"] for c in choices if c["list_name"] == "role"] == [
        "member",
        "staff_paid",
        "funder",
    ]
    # Labels reach the XForm as text, escaped by XML, never as markup.
    assert "Smith, Jones &amp; Co" in xform
    assert "<script>" not in xform


def test_language_names() -> None:
    assert language_label("en") == "English (en)"
    assert language_label("cy") == "Welsh (cy)"
    assert language_label("en-GB") == "English (en-GB)"
    assert language_label("Français (fr)") == "Français (fr)"
    assert language_label("") == ""


def test_default_privacy_notice_uses_min_group_size(tmp_path: Path) -> None:
    survey = survey_from(tmp_path, SMALL)
    notice = privacy_notice(survey)
    assert "No group smaller than 7 people is ever shown" in notice
    for fmt in ("html", "md"):
        out = build_form(survey, fmt)
        assert isinstance(out, str) and "No group smaller than 7 people" in out


def test_clashing_choice_names_are_a_survey_error(tmp_path: Path) -> None:
    text = SMALL.replace('[Member, "Staff, paid", Funder]', '[Staff paid, "Staff, paid"]')
    survey = survey_from(tmp_path, text)
    with pytest.raises(SurveyError) as err:
        build_xlsform(survey)
    message = str(err.value)
    assert "'Staff paid' and 'Staff, paid'" in message and "survey.yaml:" in message


def test_negative_codes_get_their_own_choice_names(tmp_path: Path) -> None:
    # choice_name("-1") was c_1, the name of "1": the XLSForm refused the question as two
    # answers with one name. A negative code is c_m1; the others keep their names.
    text = SMALL.replace('[Member, "Staff, paid", Funder]', '["-1", "0", "1", "-2.5", "10"]')
    survey = survey_from(tmp_path, text)
    xlsx = build_xlsform(survey)
    names = [r["name"] for r in sheet_rows(xlsx, "choices") if r["label"] in ("-1", "0", "1")]
    assert names == ["c_m1", "c_0", "c_1"]
    assert [choice_names(["-2.5", "10", "65 or over"])] == [["c_m2_5", "c_10", "c_65_or_over"]]
    assert "c_m1" in convert_xlsform(tmp_path, xlsx)


def test_question_id_must_be_an_xml_name(tmp_path: Path) -> None:
    survey = survey_from(tmp_path, SMALL.replace("id: count", "id: 2count"))
    with pytest.raises(SurveyError, match="'2count' cannot name a question"):
        build_xlsform(survey)


def test_ids_an_xlsform_refuses_are_a_warning_at_check(tmp_path: Path) -> None:
    # The template allows an id that starts with a digit or '-'; only the XLSForm refuses
    # it, so check warns (naming every such id with its line) and the survey stays valid.
    survey = survey_from(tmp_path, SMALL.replace("id: count", "id: 2count"))
    (warning,) = survey.xlsform_warnings
    assert "question id '2count' (" in warning and "survey.yaml:" in warning
    assert "'build --to xlsform' refuses it (the other formats work)" in warning
    assert "Rename it, e.g. '2count' to 'q2count'" in warning
    assert isinstance(build_form(survey, "md"), str)
    assert survey_from(tmp_path, SMALL).xlsform_warnings == ()


def test_check_warns_of_ids_an_xlsform_refuses(cli, tmp_path: Path) -> None:
    path = tmp_path / "survey.yaml"
    path.write_text(
        "relimpact: 1\nid: x\ntitle: T\nscales:\n  s: {points: {1: a, 2: b}}\n"
        "dimensions:\n  d: {label: D}\nquestions:\n"
        "  - {id: q1, text: Q1, scale: s, dimension: d}\n"
        "  - {id: 2nd, text: Q2, scale: s, dimension: d}\n"
        "  - {id: -third, text: Q3, scale: s, dimension: d}\n"
    )
    r = cli("check", path)
    assert r.returncode == 0
    assert r.stderr.splitlines() == [
        f"Warning: question ids '2nd' ({path}:10), '-third' ({path}:11) cannot name a "
        "question in KoboToolbox or ODK: an XLSForm name must start with a letter or '_', "
        "so 'build --to xlsform' refuses them (the other formats work). Rename each, e.g. "
        "'2nd' to 'q2nd' (and keep the new id from then on)."
    ]
    data = json.loads(cli("check", path, "--format", "json").stdout)
    assert data["valid"] is True and data["warnings"] == [r.stderr[len("Warning: ") :].strip()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_survey_gives_the_same_bytes(fmt: str) -> None:
    survey = load_survey(ROOT / "surveys" / "network-health.yaml")
    first, second = build_form(survey, fmt), build_form(survey, fmt)
    assert first == second
    if fmt == "xlsform":
        assert isinstance(first, bytes)
        with zipfile.ZipFile(io.BytesIO(first)) as z:
            assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
            core = z.read("docProps/core.xml").decode()
        assert core.count("2000-01-01T00:00:00Z") == 2


def test_unknown_format_suggests_the_right_one(tmp_path: Path) -> None:
    survey = survey_from(tmp_path, SMALL)
    with pytest.raises(UsageError, match=r"did you mean 'xlsform'"):
        build_form(survey, "xlsfrom")


# --- Paper form (HTML) ------------------------------------------------------------


def test_html_escapes_template_text_and_fetches_nothing(tmp_path: Path) -> None:
    survey = survey_from(tmp_path, SMALL)
    html = build_html(survey)
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; the first statement" in html
    assert "&lt;b&gt;honestly&lt;/b&gt; &amp; plainly" in html
    assert "Smith, Jones &amp; Co" in html
    # One self-contained page: no links, scripts, images or fonts fetched.
    assert not re.search(r"https?://|<link|<img|src=|@import|url\(", html)
    assert "@page" in html and "size: A4" in html


def test_html_paper_form_layout(tmp_path: Path) -> None:
    survey = survey_from(tmp_path, SMALL)
    html = build_html(survey)
    assert html.index("Your privacy") < html.index("Which member are you?")
    # One grid table for the grouped statements: 3 points + 1 not-applicable column.
    assert html.count('<table class="grid">') == 1
    grid = html[html.index('<table class="grid">') : html.index("</table>")]
    assert grid.count("<tr>") == 3  # header row and two statements
    assert grid.count('class="box"') == 2 * 4
    assert "Don&#39;t know" in grid and "The second statement" in grid
    # The roster as tick boxes (twice: who I am, who I work with), the free text as lines.
    assert html.count("<span>Café Lantern</span>") == 2
    assert "Tick all that apply." in html
    assert "(please answer)" in html
    # Numbered 1..11 in template order.
    numbers = [int(n) for n in re.findall(r'class="q-num">(\d+)\.<', html)]
    assert numbers == list(range(1, 12))


# --- Markdown and the response sheet ---------------------------------------------


def test_markdown_questionnaire(tmp_path: Path) -> None:
    survey = survey_from(tmp_path, SMALL)
    md = build_markdown(survey)
    lines = md.splitlines()
    assert lines[0].startswith("# A \\<script\\>")
    assert "> **Your privacy.** " in md
    assert "**1. Which member are you?** (please answer)" in md
    # The two grouped statements share a scale: one grid table, a row and a box per point.
    grid = [ln for ln in md.splitlines() if ln.startswith("| ")]
    assert grid[0] == "| Statement | Disagree | Neither | Agree | Don't know |"
    assert grid[1] == "| --- | :-: | :-: | :-: | :-: |"
    assert grid[2].startswith("| **3.** \\<script\\>alert('x')\\</script\\> the first statement")
    assert grid[2].endswith(" | ☐ | ☐ | ☐ | ☐ |") and grid[3].startswith("| **4.** ")
    assert len(grid) == 4
    assert "- [ ] Smith, Jones & Co" in md
    block = md[md.index("**5. A statement on its own**") :].split("**6.")[0]
    assert [ln for ln in block.splitlines() if ln.startswith("- [ ]")] == [
        "- [ ] Disagree",
        "- [ ] Neither",
        "- [ ] Agree",
        "- [ ] Don't know",
    ]
    assert "*Think of the last year. Tick one box.*" in block
    assert "- [ ] Yes\n- [ ] No" in md
    numbered = re.findall(r"^(?:\*\*|\| \*\*)(\d+)\.", md, flags=re.MULTILINE)
    assert [int(n) for n in numbered] == list(range(1, len(survey.questions) + 1))


@pytest.mark.parametrize("template", TEMPLATES, ids=TEMPLATE_IDS)
def test_csv_sheet_is_one_header_row_of_ids(template: Path) -> None:
    survey = load_survey(template)
    sheet = build_csv(survey)
    assert sheet.endswith("\r\n") and sheet.count("\n") == 1
    assert next(csv.reader(io.StringIO(sheet))) == _field_names(survey)


# --- Reading answers back -------------------------------------------------------


@pytest.fixture
def reading():
    from relimpact.read import reading as module

    return module


def _answers(survey: Survey, rng: random.Random) -> dict[str, object]:
    """One made-up respondent: question id -> a choice index, indexes, number or text."""
    out: dict[str, object] = {}
    for q in survey.questions:
        if rng.random() < 0.08 and not q.required:
            continue  # left blank
        if q.type == "connections" and q.levels:
            levels = len(survey.scales[q.levels].points)
            named = rng.sample(range(len(_roster(survey))), rng.randint(1, 4))
            out[q.id] = {k: rng.randrange(levels) for k in sorted(named)}
        elif q.type in ("scale", "choice", "consent", "member"):
            out[q.id] = rng.randrange(len(choices_of(survey, q)))
        elif q.type in ("multi", "connections"):
            n = len(choices_of(survey, q))
            out[q.id] = sorted(rng.sample(range(n), rng.randint(1, min(3, n))))
        elif q.type == "number":
            out[q.id] = str(rng.randint(0, 30))
        elif q.type == "respondent":
            out[q.id] = f"M{rng.randrange(10**6):06d}"
        else:
            out[q.id] = rng.choice(["It helped.", "More gatherings, please", ""])
    return out


def _value(survey: Survey, qid: str, answer: object, by_name: bool) -> str:
    if isinstance(answer, str):
        return answer
    pairs = choices_of(survey, survey.question(qid))
    pick = 0 if by_name else 1
    if isinstance(answer, list):
        return (" " if by_name else "; ").join(pairs[i][pick] for i in answer)
    return pairs[answer][pick]  # type: ignore[index]


def _comparable(result) -> dict:
    data = result.to_dict()
    data.pop("source", None)
    # The labelled export has no submission times: a member drawn twice keeps its later
    # row there by position (said in a warning), as the Kobo export's times do.
    data["warnings"] = [w for w in data["warnings"] if not w.startswith("The submission time")]
    return data


@pytest.mark.parametrize("group_headers", [False, True], ids=["names", "group-paths"])
@pytest.mark.parametrize("template", [*TEMPLATES, NON_LATIN], ids=[*TEMPLATE_IDS, "non-latin"])
def test_kobo_export_with_xml_values_scores_like_labels(
    template: Path, group_headers: bool, tmp_path: Path, reading
) -> None:
    """A Kobo "XML values and headers" export of the built form (question names as
    headers, point numbers and choice names as values, ``;`` delimiter) scores to the
    same figures as the same answers exported with labels."""
    from relimpact.scoring.engine import score

    survey = load_survey(template)
    rng = random.Random(7)
    people = [_answers(survey, rng) for _ in range(40)]

    def header(qid: str) -> str:
        group = survey.question(qid).group
        return f"{group}/{qid}" if group_headers and group else qid

    def columns(by_name: bool) -> list[tuple[str, str, int | None]]:
        """(header, question id, roster member or None) for every column of the export."""
        out: list[tuple[str, str, int | None]] = []
        for q in survey.questions:
            if q.type == "connections" and q.levels:
                for k, m in enumerate(_roster(survey)):
                    name = level_column(q, m, _roster(survey))
                    head = (
                        (f"{q.id}_grid/{name}" if group_headers else name)
                        if by_name
                        else (f"{q.text} [{m}]")
                    )
                    out.append((head, q.id, k))
            else:
                out.append((header(q.id) if by_name else q.text, q.id, None))
        return out

    def cell(person: dict, qid: str, k: int | None, by_name: bool) -> str:
        if qid not in person:
            return ""
        if k is None:
            return _value(survey, qid, person[qid], by_name)
        level = person[qid].get(k)
        if level is None:
            return ""
        scale = survey.scales[survey.question(qid).levels]
        value, label = scale.points[level]
        return str(value) if by_name else label

    kobo = tmp_path / "kobo.csv"
    with kobo.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        meta = ["start", "end", "_id", "_uuid", "_submission_time", "_index"]
        w.writerow(["start", "end"] + [h for h, _, _ in columns(True)] + meta[2:])
        for i, person in enumerate(people):
            # in row order (a member drawn twice keeps the same, later, row either way)
            stamp = f"2026-03-01T10:{i % 60:02d}:00"
            values = [cell(person, qid, k, True) for _, qid, k in columns(True)]
            w.writerow([stamp, stamp, *values, 1000 + i, f"uuid-{i}", stamp, i + 1])

    labelled = tmp_path / "labelled.csv"
    with labelled.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([h for h, _, _ in columns(False)])
        for person in people:
            w.writerow([cell(person, qid, k, False) for _, qid, k in columns(False)])

    from_kobo = reading.read_responses(survey, [kobo])
    from_labels = reading.read_responses(survey, [labelled])
    assert from_kobo.files[0].format == "kobo"
    assert _comparable(score(from_kobo)) == _comparable(score(from_labels))


def test_typed_paper_answers_read_back_through_score(tmp_path: Path, reading) -> None:
    """The response sheet, filled in the way its help says, reads and scores."""
    from relimpact.scoring.engine import score

    survey = load_survey(ROOT / "surveys" / "event-pulse.yaml")
    sheet = build_csv(survey)
    ids = next(csv.reader(io.StringIO(sheet)))
    rows = []
    for i in range(12):
        row = {
            "format": ["In person", "Online"][i % 2],
            "first_time": "First time" if i % 3 else "Been before",
            "remember": "Meeting new people",
            "quote_ok": "Yes" if i % 2 else "No",
        }
        for j, q in enumerate(survey.scale_questions):
            value = 1 + (i + j) % 5
            # Half typed as point numbers, half as labels, some not applicable.
            row[q.id] = (
                str(value)
                if (i + j) % 2
                else survey.scale_of(q).label(value)
                if (i + j) % 7
                else "Don't know"
            )
        rows.append([row.get(k, "") for k in ids])
    path = tmp_path / "typed.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(sheet + buf.getvalue(), encoding="utf-8")

    result = score(reading.read_responses(survey, [path])).to_dict()
    assert result["respondents"] == 12
    assert set(result["dimensions"]) == set(survey.dimensions)
    assert all(d["n"] > 0 for d in result["dimensions"].values())


# --- Command line -------------------------------------------------------------------


def test_cli_builds_each_format(cli, tmp_path: Path) -> None:
    survey = ROOT / "surveys" / "network-map.yaml"
    for fmt, name in (("xlsform", "form.xlsx"), ("html", "form.html"), ("md", "form.md")):
        out = tmp_path / name
        result = cli("build", survey, "--to", fmt, "-o", out)
        assert result.returncode == 0, result.stderr
        assert out.exists() and f"wrote {out}" in result.stderr
        expected = build_form(load_survey(survey), fmt)
        assert out.read_bytes() == (expected if isinstance(expected, bytes) else expected.encode())
    result = cli("build", survey, "--to", "csv")
    assert result.returncode == 0
    assert result.stdout.startswith("which_member,kind,worked_with,")


def test_cli_unknown_format_is_a_usage_error_and_writes_nothing(cli, tmp_path: Path) -> None:
    out = tmp_path / "form.html"
    result = cli("build", ROOT / "surveys" / "event-pulse.yaml", "--to", "htm", "-o", out)
    assert result.returncode == 2
    assert (
        "'htm' is not one of: xlsform, html, md, csv, google-forms, qualtrics, limesurvey, "
        "redcap, msforms (did you mean 'html'?)"
    ) in result.stderr
    assert not out.exists()


def test_cli_bad_survey_and_output_path(cli, tmp_path: Path) -> None:
    bad = tmp_path / "survey.yaml"
    bad.write_text("relimpact: 1\nid: x\ntitle: T\nquestions: []\n", encoding="utf-8")
    out = tmp_path / "form.md"
    result = cli("build", bad, "--to", "md", "-o", out)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert not out.exists()

    # The survey file is never written over.
    survey = tmp_path / "kept.yaml"
    survey.write_text(SMALL, encoding="utf-8")
    result = cli("build", survey, "--to", "csv", "-o", survey)
    assert result.returncode == 1 and "never overwritten" in result.stderr
    assert survey.read_text(encoding="utf-8") == SMALL

    result = cli("build", survey, "--to", "xlsform")
    assert result.returncode == 2 and "-o form.xlsx" in result.stderr


# --- Surrogate-pair escapes ("\ud83d\ude00", as json.dumps writes an emoji) --------------

EMOJI_ESCAPED = "smile \\ud83d\\ude00"


def _with_escapes(text: str) -> str:
    """SMALL with the escaped pair in a hint, a point label, a not-applicable label and the
    texts at the top of the form (the fields no model check used to read)."""
    return (
        text.replace("hint: Think of the last year.", f'hint: "{EMOJI_ESCAPED} hint"')
        .replace("3: Agree}", f'3: "{EMOJI_ESCAPED} agree"}}')
        .replace("[Don't know]", f'["{EMOJI_ESCAPED} na"]')
        .replace(
            "min_group_size: 7\n",
            "min_group_size: 7\n"
            + "".join(
                f'{key}: "{EMOJI_ESCAPED} {key}"\n'
                for key in ("network", "privacy_notice", "next_steps", "version")
            ),
        )
    )


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_surrogate_pairs_build_into_every_format(tmp_path: Path, fmt: str) -> None:
    from relimpact.forms.formats import build

    survey = survey_from(tmp_path, _with_escapes(SMALL))
    assert survey.questions[4].hint == "smile \U0001f600 hint"
    content = build(survey, fmt).content
    if isinstance(content, bytes):
        content.decode("latin-1")  # built, not crashed
    else:
        content.encode("utf-8")  # every character can be written
        if fmt not in ("csv", "google-forms"):
            assert "smile \U0001f600" in content


def test_cli_a_lone_surrogate_is_an_error_at_check_and_build(cli, tmp_path: Path) -> None:
    path = tmp_path / "survey.yaml"
    path.write_text(
        SMALL.replace("hint: Think of the last year.", 'hint: "\\ud83d Think of the last year."'),
        encoding="utf-8",
    )
    line = SMALL.splitlines().index("    hint: Think of the last year.") + 1
    expected = (
        f"Error: {path}:{line}: questions[4].hint: '\\ud83d' is half of a character (a lone "
        "UTF-16 surrogate escape); no file or survey tool can hold it. Write the character "
        'itself (😀), or as one escape "\\U0001F600", or as both halves of its pair '
        '"\\ud83d\\ude00", in double quotes.\n'
    )
    out = tmp_path / "form.csv"
    for args in (("check", path), ("build", path, "--to", "redcap", "-o", out)):
        result = cli(*args)
        assert (result.returncode, result.stderr) == (1, expected)
    assert not out.exists()


# --- Answers with no Latin letter -----------------------------------------------------


def test_answers_with_no_latin_letter_are_named_by_position() -> None:
    assert choice_names(["نعم", "لا", "Да", "Нет", "Maybe"]) == ["c1", "c2", "c3", "c4", "maybe"]
    assert choice_names(["😀", "C", "Ναι"]) == ["c1", "c", "c3"]
    assert choice_names(["لا أعرف", "Don't know"], first=6) == ["c6", "don_t_know"]


def test_xlsform_names_non_latin_answers_by_position() -> None:
    survey = load_survey(NON_LATIN)
    choices = sheet_rows(build_xlsform(survey), "choices")
    names = {c["list_name"]: [] for c in choices}
    for c in choices:
        names[c["list_name"]].append(c["name"])
    assert names["yes_no"] == ["c1", "c2", "c3", "c4", "maybe"]
    assert names["feel"] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert names["agree3"] == ["1", "2", "3", "c4", "c5"]
    assert names["members"] == ["c1", "c2", "ash_food_share", "c4", "c5"]
    rows = sheet_rows(build_xlsform(survey), "survey")
    assert [r["relevant"] for r in rows if r["relevant"]] == [
        f"${{who}} != '{n}'" for n in ("c1", "c2", "ash_food_share", "c4", "c5")
    ]


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_non_latin_answers_build_into_every_format(fmt: str) -> None:
    from relimpact.forms.formats import build

    content = build(load_survey(NON_LATIN), fmt).content
    if fmt in ("html", "md", "qualtrics", "limesurvey", "redcap"):
        assert isinstance(content, str) and "نعم" in content and "😀" in content


def test_names_that_clash_block_only_the_xlsform(tmp_path: Path) -> None:
    survey = survey_from(tmp_path, SMALL.replace('[Member, "Staff, paid", Funder]', "[Über, Uber]"))
    with pytest.raises(SurveyError, match="'Über' and 'Uber' of question 'role' would both"):
        build_xlsform(survey)
    assert "Über" in build_html(survey) and "Uber" in build_markdown(survey)


def test_dollar_braces_in_texts_stay_text_in_the_xlsform(tmp_path: Path) -> None:
    """pyxform reads ``${name}`` in a label, hint, choice label or title as the answer to
    question ``name`` (and refuses an unknown name): the texts are written with a word
    joiner after the ``$``, so the form shows them as written."""
    text = (
        SMALL.replace("title: A <script>", "title: Costs in ${currency}, A <script>")
        .replace("A statement on its own", "Since you chose ${role}, and ${amount}")
        .replace("Think of the last year.", "Think of ${role}.")
        .replace('"Staff, paid"', '"Staff ${role}"')
    )
    xlsx = build_xlsform(survey_from(tmp_path, text))
    xform = convert_xlsform(tmp_path, xlsx)
    assert "<output" not in xform and "${" not in xform
    joined = "$\u2060{"
    assert f"Since you chose {joined}role}}, and {joined}amount}}" in xform
    assert f"Think of {joined}role}}." in xform and f"Staff {joined}role}}" in xform
    assert f"Costs in {joined}currency}}" in xform
    # The form's own references (a connection cannot be oneself) are left alone.
    assert any(r["choice_filter"] == "name != ${who}" for r in sheet_rows(xlsx, "survey"))
