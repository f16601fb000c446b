"""Reports for funders and members: what must be in them and what must never be.

Golden files: tests/golden/demo-funder.md and demo-members.md are the Markdown reports of
the bundled demo data. After an intended change to the reports, regenerate them with

    RELIMPACT_UPDATE_GOLDEN=1 pytest tests/test_report.py

and read the diff before committing it.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from relimpact.report.charts import (
    ChangeRow,
    ItemBar,
    ScoreRow,
    change_chart,
    items_chart,
    scores_chart,
)
from relimpact.report.model import build_report
from relimpact.report.render import render_model, render_report
from relimpact.scoring.engine import score
from relimpact.survey.model import Question
from tests.helpers import response_set, small_survey

GOLDEN = Path(__file__).resolve().parent / "golden"
ROOT = Path(__file__).resolve().parent.parent

SCRIPT = "<script>alert('x')</script> The network got us talking again across the city."
SECRET_STORY = "Private: my landlord is evicting us and nobody else knows this yet."
EMAIL_STORY = "Write to me at kim.brook@example.org and I will send the photos from the fair."


def _survey():
    s = small_survey(min_group_size=3)
    qs = s.questions + (
        Question("code", "Your member code", type="respondent"),
        Question("story", "Tell us a story", type="text", quotable=True),
        Question("ok", "May we quote you?", type="consent"),
    )
    return replace(s, questions=qs, network="Testbridge Network", next_steps="We meet in June.")


def _wave(shift: float = 0.0, n: int = 12):
    survey = _survey()
    rng = np.random.default_rng(7)
    base = {
        "a1": 4,
        "a2": 4,
        "a3": 2,  # reversed: 2 as answered scores 4
        "n1": 3,
        "n2": 3,
    }
    scale = {
        q: [float(min(5, max(1, v + round(shift) + int(rng.integers(-1, 2))))) for _ in range(n)]
        for q, v in base.items()
    }
    scale["a1"][0] = None  # a blank
    roles = ["Member"] * 7 + ["Staff"] * 4 + ["Funder"]  # Funder: 1 person, suppressed
    stories = [SCRIPT, SECRET_STORY, EMAIL_STORY] + [
        f"Story number {i} about meeting new people at the gathering." for i in range(3, n)
    ]
    consent = [True, False, True] + [True] * (n - 4) + [True]
    keys = [f"SECRET-KEY-{i:02d}" for i in range(n)]
    rs = response_set(survey, scale, choice={"role": roles[:n]}, keys=keys)
    return replace(
        rs,
        text={"story": tuple(stories), "code": tuple(keys)},
        consent={"ok": np.array(consent, dtype=bool)},
    )


@pytest.fixture(scope="module")
def fixture_reports() -> dict[tuple[str, str], str]:
    current, before = _wave(), _wave(shift=-1.0)
    result = score(current, baseline=before)
    return {
        (aud, fmt): render_report(result, current, aud, fmt)
        for aud in ("funder", "members")
        for fmt in ("html", "md")
    }


ALL = [(a, f) for a in ("funder", "members") for f in ("html", "md")]


@pytest.mark.parametrize(("audience", "fmt"), ALL)
def test_every_dimension_and_its_figure_is_there(fixture_reports, audience, fmt) -> None:
    current = _wave()
    result = score(current, baseline=_wave(shift=-1.0))
    text = fixture_reports[(audience, fmt)]
    for d in result.dimensions.values():
        assert d.label in text
        if audience == "funder":
            assert f"{d.mean:.2f}" in text
            assert f"{d.ci95[0]:.2f} to {d.ci95[1]:.2f}" in text
    for it in result.items.values():
        assert f"{it.agree_pct:.0f}%" in text


@pytest.mark.parametrize(("audience", "fmt"), ALL)
def test_nothing_private_gets_out(fixture_reports, audience, fmt) -> None:
    text = fixture_reports[(audience, fmt)]
    assert "SECRET-KEY" not in text  # member codes
    assert "kim.brook" not in text and "@example.org" not in text  # emails
    assert "evicting" not in text  # the answer of someone who did not agree to be quoted
    # the consented answer that gave an email address is a message, not a story: not quoted
    assert "photos from the fair" not in text
    assert "<script" not in text  # a respondent's script is escaped, never live
    assert "Funder" not in text or "not shown" in text


@pytest.mark.parametrize(("audience", "fmt"), ALL)
def test_nothing_is_loaded_from_the_network(fixture_reports, audience, fmt) -> None:
    text = fixture_reports[(audience, fmt)]
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", text, flags=re.I)
    assert not re.search(r"\bsrc\s*=", text, flags=re.I)
    assert "@import" not in text and "@font-face" not in text
    assert all(u.startswith("#") for u in re.findall(r"url\(\s*['\"]?([^)'\"]*)", text))
    assert all(h.startswith("#") for h in re.findall(r"\bhref=\"([^\"]*)\"", text))


def test_html_escapes_a_respondents_markup(fixture_reports) -> None:
    for audience in ("funder", "members"):
        html = fixture_reports[(audience, "html")]
        assert "&lt;script&gt;alert(" in html
        md = fixture_reports[(audience, "md")]
        assert "&lt;script&gt;alert\\(" in md  # and Markdown's ( escaped in a quote


def test_funder_report_has_its_sections(fixture_reports) -> None:
    text = fixture_reports[("funder", "md")]
    headings = [line for line in text.splitlines() if line.startswith("#")]
    summary = headings[: headings.index("# Appendix: the detail behind the summary")]
    assert summary == [
        "# Small",
        "## Who responded",
        "## Key findings",
        "## Every dimension at a glance",
    ]
    for heading in (
        "## Who responded, in detail",
        "## Statement by statement",
        "## Change since the last survey",
        "## By group",
        "## Methods",
        "### Exclusions and warnings",
        "## What these figures cannot tell you",
    ):
        assert heading in headings
    assert "Contribution, not attribution" in text
    assert "seed 20231107" in text
    assert "Cronbach's alpha" in text
    assert "not shown" in text  # the Funder group of one
    # the 1 blank answer's warning and every other warning are listed
    assert "both dimensions rose (The net and Leadership) by more than chance" in text


def test_members_report_is_in_plain_words(fixture_reports) -> None:
    for fmt in ("html", "md"):
        text = fixture_reports[("members", fmt)].lower()
        for jargon in ("alpha", "p-value", "p =", "confidence interval", "cronbach", "bootstrap"):
            assert jargon not in text
        assert "what happens next" in text and "we meet in june." in text
        assert "things to talk about" in text or "what is going well" in text


def test_html_is_one_page_with_a_print_stylesheet(fixture_reports) -> None:
    html = fixture_reports[("funder", "html")]
    assert html.startswith("<!DOCTYPE html>")
    assert "@page" in html and "size: A4" in html and "break-before: page" in html
    assert html.count("<svg") >= 3 and 'role="img"' in html and "<desc" in html


def test_reports_are_deterministic() -> None:
    a = render_report(score(_wave()), _wave(), "funder", "html")
    b = render_report(score(_wave()), _wave(), "funder", "html")
    assert a == b


def test_no_quotes_when_too_few_agreed() -> None:
    rs = _wave()
    rs = replace(rs, consent={"ok": np.array([True, True] + [False] * 10, dtype=bool)})
    report = build_report(score(rs), rs, "members")
    assert report.quotes == ()
    assert "fewer than 3 people" in report.quotes_note


def test_unknown_audience_and_format_are_errors() -> None:
    from relimpact.common.errors import UsageError

    rs = _wave()
    with pytest.raises(UsageError, match="audience"):
        render_report(score(rs), rs, "board", "html")
    with pytest.raises(UsageError, match="format"):
        render_report(score(rs), rs, "funder", "odt")


# --------------------------------------------------------------------------- charts


def test_charts_are_accessible_deterministic_svg() -> None:
    labels = ["SD", "D", "N", "A", "SA"]
    bars = [ItemBar("First <b>statement</b>", [1, 2, 3, 4, 5], 2), ItemBar("Second", [0] * 5, 0)]
    a = items_chart(bars, labels, "Items & answers", "t1", na_label="n/a")
    b = items_chart(bars, labels, "Items & answers", "t1", na_label="n/a")
    assert a.svg == b.svg
    assert a.svg.startswith('<svg class="chart" role="img" aria-labelledby="t1-title t1-desc"')
    assert '<title id="t1-title">Items &amp; answers</title>' in a.svg
    assert "First &lt;b&gt;statement&lt;/b&gt;: 60% agree" in a.svg  # the text alternative
    assert "<b>" not in a.svg
    assert "http" not in a.svg and "<?xml" not in a.svg
    ids = re.findall(r'\bid="([^"]+)"', a.svg)
    assert ids and all(i.startswith("t1-") for i in ids)
    s = scores_chart([ScoreRow("Lead", 3.5, 3.2, 3.8, "borderline")], 1, 5, (3, 4), "S", "t2")
    assert "3.50" in s.svg and "3.20\u20133.80" in s.svg and "borderline" in s.description
    c = change_chart([ChangeRow("Lead", 3.0, 3.5)], 1, 5, (3, 4), "C", "t3")
    assert "(+0.50)" in c.svg and "3.00 before, 3.50 now" in c.description


# --------------------------------------------------------------------------- demo data


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's survey, responses and baseline, scored as `relimpact demo` scores them."""
    from relimpact.demo import BASELINE, RESPONSES, demo_survey_text, examples_dir
    from relimpact.read.reading import read_responses
    from relimpact.survey.load import load_survey

    path = tmp_path_factory.mktemp("demo") / "survey.yaml"
    path.write_text(demo_survey_text(), encoding="utf-8")
    survey = load_survey(path)
    current = read_responses(survey, [examples_dir() / RESPONSES])
    before = read_responses(survey, [examples_dir() / BASELINE])
    return score(current, baseline=before), current


def test_the_bundled_demo_data_is_what_the_script_makes(monkeypatch) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("mdd", ROOT / "scripts" / "make_demo_data.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "mdd", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    current, baseline = mod.make(mod.load_survey(mod.TEMPLATE))
    examples = ROOT / "surveys" / "examples"
    assert (examples / "network-health-responses.csv").read_bytes() == current.encode()
    assert (examples / "network-health-baseline.csv").read_bytes() == baseline.encode()
    header = current.splitlines()[0]
    assert header.startswith('"Timestamp","Email address","Which best describes you?"')


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_demo_markdown_matches_the_golden_file(demo, audience: str) -> None:
    result, current = demo
    text = render_report(result, current, audience, "md")
    golden = GOLDEN / f"demo-{audience}.md"
    if os.environ.get("RELIMPACT_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), "run RELIMPACT_UPDATE_GOLDEN=1 pytest tests/test_report.py"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended, regenerate with "
        "RELIMPACT_UPDATE_GOLDEN=1 pytest tests/test_report.py and review the diff"
    )


def test_demo_reports_show_suppression_scrubbing_and_change(demo) -> None:
    result, current = demo
    funder = render_report(result, current, "funder", "md")
    members = render_report(result, current, "members", "md")
    assert "Convenor or staff (n = not shown)" in funder
    assert "Funder or partner (n = not shown)" in funder
    assert "RC-" not in funder + members  # member codes
    assert "example.org" not in funder + members
    assert "07700" not in funder + members
    assert "Sarah Jones" not in funder + members and "[name]" in members.replace("\\", "")
    assert "119 people responded, 70% of the 170 members" in funder
    assert "| The net: relationships between members | 79 | +0.56 |" in funder
    # 0.56 prints 0.6: "a lot", as every printed 0.6 is (M3)
    assert "How well we know each other: up a lot since last time (0.6 on a 1 to 5" in members


# --------------------------------------------------------------------------- command line


def test_report_command_writes_the_file_and_nothing_to_stdout(cli, tmp_path: Path) -> None:
    from relimpact.demo import demo_survey_text, examples_dir

    survey = tmp_path / "survey.yaml"
    survey.write_text(demo_survey_text(), encoding="utf-8")
    out = tmp_path / "members.md"
    r = cli(
        "report",
        survey,
        examples_dir() / "network-health-responses.csv",
        "--audience",
        "members",
        "--baseline",
        examples_dir() / "network-health-baseline.csv",
        "-o",
        out,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# How is our network doing?")
    bad = cli(
        "report",
        survey,
        examples_dir() / "network-health-responses.csv",
        "--audience",
        "board",
        "-o",
        tmp_path / "x.html",
    )
    assert bad.returncode == 2 and "funder, members" in bad.stderr


def test_demo_command(cli, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    r = cli("demo", "--out", out)
    assert r.returncode == 0, r.stderr
    names = {p.name for p in out.iterdir()}
    assert {
        "survey.yaml",
        "responses.csv",
        "baseline.csv",
        "inspect.txt",
        "scores.json",
        "scores.txt",
        "report-funder.html",
        "report-funder.md",
        "report-members.html",
        "report-members.md",
    } <= names
    assert "The four strategic enablers" in r.stdout  # the score table is the result
    assert "report-funder.html" in r.stderr and "report-funder.html" not in r.stdout


def test_report_passes_weight_by_through_to_scoring(cli, tmp_path: Path) -> None:
    from relimpact.demo import demo_survey_text, examples_dir

    survey = tmp_path / "survey.yaml"
    survey.write_text(demo_survey_text(), encoding="utf-8")
    responses = examples_dir() / "network-health-responses.csv"
    out = tmp_path / "funder.md"
    r = cli("report", survey, responses, "--audience", "funder", "--weight-by", "role", "-o", out)
    assert r.returncode == 0, r.stderr
    assert "Scores re-weighted to the membership by role" in out.read_text(encoding="utf-8")
    plain = tmp_path / "plain.md"
    assert cli("report", survey, responses, "--audience", "funder", "-o", plain).returncode == 0
    assert "re-weighted" not in plain.read_text(encoding="utf-8")
    bad = cli("report", survey, responses, "--audience", "funder", "--weight-by", "rol", "-o", out)
    assert bad.returncode == 1 and bad.stderr.startswith("Error:") and "did you mean" in bad.stderr


def test_report_passes_group_by_file_through_to_scoring(cli, tmp_path: Path) -> None:
    examples = ROOT / "surveys" / "examples"
    # two collectors of one network, each with its own members (a member who answered in
    # both would keep only the later answer)
    east, west = tmp_path / "east.csv", tmp_path / "west.csv"
    lines = (examples / "network-map-responses.csv").read_text(encoding="utf-8").splitlines(True)
    east.write_text("".join(lines[:6]), encoding="utf-8")
    west.write_text("".join(lines[:1] + lines[6:]), encoding="utf-8")
    out = tmp_path / "funder.md"
    survey = ROOT / "surveys" / "network-map.yaml"
    r = cli("report", survey, east, west, "--audience", "funder", "--group-by-file", "-o", out)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "east.csv (n = 5)" in text and "west.csv (n = 5)" in text
    plain = tmp_path / "plain.md"
    assert cli("report", survey, east, west, "--audience", "funder", "-o", plain).returncode == 0
    assert "east.csv" not in plain.read_text(encoding="utf-8")


def test_going_well_is_judged_statement_by_statement_after_reversal() -> None:
    """A statement said the other way round that few agree with is going well, and shows
    the share who disagreed; a statement most agree with is going well; one few agree
    with, or a reversed one many agree with, is not."""
    survey = _survey()
    n = 12
    scale = {
        "a1": [5.0] * 10 + [2.0] * 2,  # 83% agree: going well
        "a2": [2.0] * 8 + [4.0] * 4,  # 33% agree: not going well
        "a3": [1.0] * 6 + [2.0] * 4 + [3.0] * 2,  # reversed, 0% agree, 83% disagree: going well
        "n1": [3.0] * n,
        "n2": [4.0] * 9 + [1.0] * 3,  # 75% agree
    }
    rs = response_set(survey, scale, choice={"role": ["Member"] * n})
    report = build_report(score(rs), rs, "members")
    well = {st.statement: st for g in report.going_well for st in g.statements}
    texts = {q.id: q.text for q in survey.questions}
    assert set(well) == {texts["a1"], texts["a3"], texts["n2"]}
    assert well[texts["a1"]].figure == "83% of us agreed with this."
    reversed_ = well[texts["a3"]]
    assert reversed_.figure == "Only 0% of us agreed with this, and 83% disagreed."
    assert "disagreeing is good here" in reversed_.note
    md = render_model(report, "md")
    section = md.split("## What is going well", 1)[1].split("\n## ", 1)[0]
    assert "83% disagreed" in section and texts["a2"] not in section
    # the funder report has no such list: it is the members' own
    assert build_report(score(rs), rs, "funder").going_well == ()


def test_a_text_written_twice_is_quoted_once() -> None:
    survey = _survey()
    story2 = Question("story2", "Tell us another", type="text", quotable=True)
    survey = replace(survey, questions=survey.questions + (story2,))
    rs = _wave()
    same = "The gatherings helped me find three people to start a food bank with."
    rs = replace(
        rs,
        text={**rs.text, "story": (same,) * 12, "story2": (same,) * 12},
    )
    rs = replace(rs, survey=survey)
    report = build_report(score(rs), rs, "members")
    assert [q.text for q in report.quotes].count(same) == 1


def test_change_words_do_not_claim_the_same_people_or_miscount() -> None:
    """Two waves compared without matched members (a member question can show that none
    answered both) are not described as "for those who answered each time"; one
    dimension that moved is "the one dimension measured", not "all 1 dimensions"."""
    from dataclasses import replace

    from relimpact.report.model import _member_change_words
    from relimpact.report.summary import _change
    from relimpact.scoring.engine import score
    from tests.helpers import response_set, small_survey

    unmatched = {"difference": 0.9, "matched_difference": None, "p": 0.001, "n_matched": 0}
    words = _member_change_words(unmatched, "The net")
    assert "for those who answered each time" not in words
    assert "comparing those who answered last time with those who answered this time" in words
    matched = {**unmatched, "matched_difference": 0.9, "n_matched": 12}
    assert "for the 12 of us who answered both times" in _member_change_words(matched, "The net")

    survey = small_survey()
    result = score(
        response_set(survey, {q: [4, 5, 4, 5, 4] for q in ("a1", "a2", "a3", "n1", "n2")})
    )
    one = replace(result, change={"the_net": unmatched})
    text = _change(one)
    assert "the one dimension measured rose (The net)" in text and "all 1" not in text
    assert "between the two surveys' respondents" in text


@pytest.mark.parametrize("audience", ["funder", "members"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_privacy_words_promise_only_what_scrubbing_does(audience: str, fmt: str) -> None:
    """Quotes are scrubbed by rules: the report says which names go, not that none is left."""
    rs = _wave()
    text = html.unescape(render_report(score(rs), rs, audience, fmt))
    for promise in (
        "personal details removed",
        "No names, email addresses or member codes appear in this summary.",
        "No names, email addresses or member codes are in this report.",
        "never appear in this report.",
        "and anything else that could show who wrote it",
    ):
        assert promise not in text
    assert "common first names" in text
    if audience == "members":
        assert "A rare name or a nickname can still be missed." in text
    else:
        assert "a rare name or a nickname on its own can be missed" in text


HELD_BACK = (
    "5 other stories people let us quote are not shown. 4 are left out because we show "
    "at most 6 for each question. A few give contact details: a message to us, not a story."
)
SMALL_RULE = "We never quote anyone from a group too small to show."


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_reports_say_how_many_consented_stories_are_not_shown_and_why(fmt: str) -> None:
    """11 said yes and wrote: 5 are shown, 4 are past the room for 6, the email story
    gave contact details, and the Funder (one person) is in a group too small to show:
    the Funder's story is counted nowhere, and the members' line ends with the rule."""
    rs = _wave()
    result = score(rs)
    members = html.unescape(render_report(result, rs, "members", fmt))
    funder = html.unescape(render_report(result, rs, "funder", fmt))
    assert members.count(HELD_BACK + " " + SMALL_RULE) == 1
    # the funder report says it once, in Methods, after the rule for quotes (which says
    # that none comes from a group too small to show)
    assert funder.count(HELD_BACK) == 1 and SMALL_RULE not in funder
    assert funder.index("none is shown at all when fewer than 3") < funder.index(HELD_BACK)


@pytest.mark.parametrize("n", [8, 12])
def test_a_hidden_members_consent_changes_no_byte_of_any_report(n: int) -> None:
    """The last respondent is alone in their role (Staff of 8, Funder of 12), a group too
    small to show: the reports (both audiences, Markdown and HTML) are the same whether
    or not they agreed to be quoted (M1)."""
    reports = []
    for funder_agrees in (True, False):
        rs = _wave(n=n)
        consent = rs.consent["ok"].copy()
        consent[-1] = funder_agrees
        rs = replace(rs, consent={"ok": consent})
        result = score(rs)
        reports.append([render_report(result, rs, a, f) for a, f in ALL])
    assert reports[0] == reports[1]


def test_no_held_back_line_when_every_consented_story_is_shown() -> None:
    rs = _wave(n=6)
    rs = replace(rs, consent={"ok": np.array([True, False, False, True, True, True])})
    text = render_report(score(rs), rs, "members", "md")
    assert "other stories people let us quote" not in text
