"""Several waves: ``--wave LABEL=FILE``, the JSON ``trend`` and the trend in both reports.

The bundled three-wave example is surveys/examples/network-map-{2024,baseline,responses}.csv
(May 2024, 2025, 2026; scripts/make_network_example.py writes the nominations out, so the
network figures and the tie churn below are counted by hand). Each wave's score is checked
against scoring that wave on its own, an independent path through the engine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from relimpact.common.errors import UsageError
from relimpact.net.churn import churn_words, tie_churn
from relimpact.read.reading import read_responses
from relimpact.read.waves import check_baseline, check_order, parse_waves
from relimpact.report.render import render_report
from relimpact.scoring.engine import score
from relimpact.survey.load import load_survey

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "surveys" / "network-map.yaml"
EXAMPLES = ROOT / "surveys" / "examples"
W2024 = EXAMPLES / "network-map-2024.csv"
W2025 = EXAMPLES / "network-map-baseline.csv"
W2026 = EXAMPLES / "network-map-responses.csv"


@pytest.fixture(scope="module")
def example():
    survey = load_survey(SURVEY)
    w24 = read_responses(survey, [W2024], baseline=True)
    w25 = read_responses(survey, [W2025], baseline=True)
    now = read_responses(survey, [W2026])
    result = score(now, waves=[("2024", w24), ("2025", w25)], label="2026")
    return survey, (w24, w25, now), result


def test_each_wave_is_scored_as_it_would_be_on_its_own(example):
    survey, waves, result = example
    trend = result.to_dict()["trend"]
    assert [w["label"] for w in trend["waves"]] == ["2024", "2025", "2026"]
    assert [w["respondents"] for w in trend["waves"]] == [7, 8, 10]
    assert trend["waves"][0]["fieldwork"] == {"from": "2024-05-11", "to": "2024-05-17"}
    assert trend["left_out"] == []
    for dim, points in trend["dimensions"].items():
        for point, wave in zip(points, waves, strict=True):
            alone = score(wave).dimensions[dim]
            assert point["n"] == alone.n
            assert point["mean"] == pytest.approx(alone.mean, abs=1e-12)
            assert point["ci95"] == (list(alone.ci95) if alone.ci95 else None)
    # The current wave's trend point is the dimension's own figure.
    now = result.dimensions["the_net"]
    assert trend["dimensions"]["the_net"][-1]["ci95"] == list(now.ci95)
    assert trend["dimensions"]["the_net"][-1]["ci_method"] == "t"
    assert trend["dimensions"]["the_net"][0]["ci95"] is None  # 7 scored: no interval below 10


def test_the_mean_and_interval_by_hand(example):
    """The 2026 net score: the mean of each respondent's item mean, and Student's t interval
    (R: t.test(x)$conf.int), worked here with numpy and the t quantile 2.262157 (df 9)."""
    survey, (_, _, now), result = example
    from relimpact.scoring.items import dimension_matrix, dimension_scores

    x = dimension_scores(dimension_matrix(survey, now, "the_net"))
    x = x[~np.isnan(x)]
    half = 2.2621571627409915 * np.std(x, ddof=1) / np.sqrt(x.size)
    point = result.trend.dimensions["the_net"][-1]
    assert point.mean == pytest.approx(float(np.mean(x)), abs=1e-12)
    assert point.ci95 == pytest.approx((np.mean(x) - half, np.mean(x) + half), abs=1e-9)


def test_network_figures_and_tie_churn_counted_by_hand(example):
    _, _, result = example
    trend = result.to_dict()["trend"]
    net = trend["network"]
    assert [n["wave"] for n in net] == ["2024", "2025", "2026"]
    assert [n["responded"] for n in net] == [7, 8, 10]
    assert [n["ties"] for n in net] == [8, 13, 29]
    assert [n["density"] for n in net] == pytest.approx([8 / 132, 13 / 132, 29 / 132])
    assert [n["isolates"] for n in net] == [7, 5, 0]
    assert [n["components"] for n in net] == [8, 6, 1]
    # 2024 -> 2025: 7 members answered both; the 4 ties to the convenor stayed, and
    # Ashgrove-Hollowbrook, Lantern-Loomworks, Loomworks-Northfold, Northfold-Harbourside
    # are new. 2025 -> 2026: 8 answered both (Copperleaf joins them); nothing ended.
    assert trend["tie_churn"] == [
        {"from": "2024", "to": "2025", "members": 7, "kept": 4, "new": 4, "ended": 0},
        {"from": "2025", "to": "2026", "members": 8, "kept": 8, "new": 4, "ended": 0},
    ]
    ftl = trend["network_first_to_last"]
    assert ftl["density"]["before"] == pytest.approx(8 / 132)
    assert ftl["isolates"] == {"before": 7, "after": 0, "difference": -7}


def test_first_to_last_and_last_two(example):
    survey, (w24, w25, now), result = example
    from relimpact.scoring.change import compare_waves

    trend = result.to_dict()["trend"]
    assert trend["first_to_last"] == compare_waves(now, w24).to_dict()
    # the last two waves compared as --baseline compares them; change only with a baseline
    assert trend["last_two"] == score(now, baseline=w25).to_dict()["change"]
    assert "change" not in result.to_dict()
    both = score(now, waves=[("2024", w24)], baseline=w25, baseline_label="2025", label="2026")
    assert both.to_dict()["change"] == trend["last_two"]
    assert both.to_dict()["trend"]["dimensions"] == trend["dimensions"]


def test_tie_churn_counts_only_members_who_answered_both_times():
    roster = ["A", "B", "C", "D"]
    before = {"A": ["B", "D"], "B": [], "C": ["A"]}
    after = {"A": ["C"], "B": ["A"], "D": ["A"]}  # C did not answer; D did not before
    churn = tie_churn(roster, before, after, ("1", "2"))
    # Both times: A and B. A-B was named before (A) and after (B): kept. A-C, A-D ignored.
    assert (churn.members, churn.kept, churn.new, churn.ended) == (2, 1, 0, 0)
    assert churn.pairs == 1
    assert "1 link kept, 0 links new and 0 links ended" in churn_words(churn)
    assert "too few members" in churn_words(tie_churn(roster, {"A": []}, {"A": []}))


def test_a_small_wave_is_not_shown(example):
    survey, (w24, w25, now), _ = example
    from relimpact.read.responses import ResponseSet

    keep = 3
    rows = slice(0, keep)
    small = ResponseSet(
        survey=w24.survey,
        files=w24.files,
        rows=keep,
        scale={k: v[rows] for k, v in w24.scale.items()},
        not_applicable={k: v[rows] for k, v in w24.not_applicable.items()},
        member={k: v[rows] for k, v in w24.member.items()},
        connections={k: v[rows] for k, v in w24.connections.items()},
        source_rows=w24.source_rows[rows],
    )
    result = score(now, waves=[("2024", small), ("2025", w25)], label="2026")
    first = result.trend.dimensions["the_net"][0]
    assert first.mean is None and first.ci95 is None and first.suppressed
    assert result.trend.waves[0].fieldwork is None


# --------------------------------------------------------------------------- the option


def test_parse_waves():
    waves = parse_waves(["2024=a.csv", "2024=b.csv", " Spring  2025 =c.csv"])
    assert [(w.label, [p.name for p in w.paths]) for w in waves] == [
        ("2024", ["a.csv", "b.csv"]),
        ("Spring 2025", ["c.csv"]),
    ]
    for bad, message in (
        ("2024", "give the wave as LABEL=FILE"),
        ("=a.csv", "the wave's label is empty"),
        ("2024=", "give the wave as LABEL=FILE"),
        ("x" * 30 + "=a.csv", "at most 24 printable characters"),
    ):
        with pytest.raises(UsageError, match=message):
            parse_waves([bad])
    with pytest.raises(UsageError, match="given to two waves, with another wave between"):
        parse_waves(["2024=a.csv", "2025=b.csv", "2024=c.csv"])


def test_waves_out_of_time_order_are_refused():
    check_order(
        [("a", ("2024-05-01", "2024-05-09")), ("b", None), ("c", ("2024-05-09", "2025-01-01"))]
    )
    with pytest.raises(UsageError, match="'b' was answered 2023-01-01 to 2023-02-01, before 'a'"):
        check_order([("a", ("2024-05-01", "2024-05-09")), ("b", ("2023-01-01", "2023-02-01"))])


def test_waves_answered_over_the_same_days_are_refused():
    with pytest.raises(UsageError, match="'b' and 'a' were answered over exactly the same days"):
        check_order([("a", ("2024-05-01", "2024-05-09")), ("b", ("2024-05-01", "2024-05-09"))])
    # one day may hold two waves: the morning and the afternoon of an event
    day = ("2026-10-05", "2026-10-05")
    check_order([("morning", day), ("afternoon", day)])
    check_baseline(day, day)


def test_a_baseline_answered_after_this_wave_is_refused(cli, tmp_path):
    """Without --wave the baseline's dates were not checked: the files swapped gave a
    change measured backwards ("down quite a bit ... not likely to be chance")."""
    r = cli("score", SURVEY, W2025, "--baseline", W2026, "--format", "json")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert (
        "Error: the baseline was answered 2026-05-11 to 2026-05-20, after the response files "
        "(2025-05-11 to 2025-05-18): the baseline is the earlier wave." in r.stderr
    ), r.stderr
    # the same answers saved again (here with one byte changed): the same days
    copy = tmp_path / "copy.csv"
    copy.write_bytes(W2026.read_bytes().replace(b"\n", b"\r\n", 1))
    r = cli("score", SURVEY, W2026, "--baseline", copy, "--format", "json")
    assert r.returncode == 1
    assert "answered over exactly the same days" in r.stderr, r.stderr
    # the right order is still read
    assert cli("score", SURVEY, W2026, "--baseline", W2025, "--format", "json").returncode == 0


def test_a_file_given_twice_in_one_wave_is_refused(cli, tmp_path):
    """Its answers would count twice (without a respondent question nothing removes them)."""
    copy = tmp_path / "copy.csv"
    copy.write_bytes(W2026.read_bytes())
    for files, message in (
        ([W2026, W2026], "this file is given twice in the response files"),
        ([W2026, copy], f"this file has the same bytes as {W2026} in the response files"),
    ):
        r = cli("score", SURVEY, *files, "--format", "json")
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert message in r.stderr, r.stderr
    r = cli("score", SURVEY, W2026, "--baseline", W2025, "--baseline", W2025)
    assert r.returncode == 1 and "is given twice in --baseline" in r.stderr, r.stderr


def test_cli_three_waves_with_baseline(cli):
    r = cli(
        "score", SURVEY, W2026, "--wave", f"2024={W2024}", "--baseline", W2025,
        "--format", "json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    # the baseline is the wave just before this one, labelled by the year it was answered
    assert [w["label"] for w in data["trend"]["waves"]] == ["2024", "2025", "2026"]
    assert data["change"]["the_net"]["n_before"] == 8
    assert data["change"] == data["trend"]["last_two"]
    r = cli("score", SURVEY, W2026, "--wave", f"2024={W2024}", "--format", "json")
    data = json.loads(r.stdout)
    assert "change" not in data and data["trend"]["last_two"]["the_net"]["n_before"] == 7


def test_cli_refusals(cli, tmp_path):
    out = tmp_path / "r.html"
    cases = [
        (["--wave", "2024"], "Error: --wave 2024: give the wave as LABEL=FILE."),
        (["--wave", f"2025={W2026}"], "this file is given for two waves"),
        (["--wave", f"2025={W2025}", "--wave", f"2024={W2024}"], "not in time order"),
        (["--wave", f"a={W2024}", "--wave", f"b={W2025}", "--label", "a"], "two waves are"),
        (["--wave", f"2024={W2024}", "--wave", f"2025={W2024}"], "given for two waves"),
        (["--wave", f"2024={SURVEY}"], "this is a survey template (YAML)"),
        # --baseline alone: the response file itself
        (["--baseline", W2026], "this --baseline file is the same as the response file"),
    ]
    for extra, message in cases:
        r = cli("report", SURVEY, W2026, *extra, "--audience", "funder", "-o", out)
        assert r.returncode == 1, (extra, r.stderr)
        assert message in r.stderr, (extra, r.stderr)
        assert "Traceback" not in r.stderr
        assert not out.exists()


# --------------------------------------------------------------------------- the reports


@pytest.fixture(scope="module")
def reports(example):
    _, (_, _, now), result = example
    return {
        (a, f): render_report(result, now, a, f)
        for a in ("funder", "members")
        for f in ("html", "md")
    }


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_the_trend_chart_is_in_both_reports(reports, audience):
    page = reports[audience, "html"]
    section = page[page.index('id="trend"') : page.index("</section>", page.index('id="trend"'))]
    charts = re.findall(r'<svg class="chart" role="img" aria-labelledby="([^"]+)"', section)
    assert charts == ["trend-title trend-desc", "trend-net-title trend-net-desc"]
    assert section.count("<table>") == 2  # the charts' figures as tables too
    for wave in ("2024", "2025", "2026"):
        assert f'<th scope="col" class="num">{wave}</th>' in section
    assert "3.90" in section and "0.22" in section
    md = reports[audience, "md"]
    assert "| 2024 | 2025 | 2026 |" in md
    assert "Between 2025 and 2026, among the 8 members who answered both times" in md
    assert ("since 2024" if audience == "members" else "From 2024 to 2026:") in md


def test_the_members_trend_reads_easily(reports):
    from test_readability import flesch, sections

    parts = sections(reports["members", "md"])
    text = parts["How things have moved over the surveys"]
    assert flesch(text) >= 70, flesch(text)


def test_reports_without_waves_have_no_trend(example):
    _, (_, w25, now), _ = example
    result = score(now, baseline=w25)
    assert result.trend is None and "trend" not in result.to_dict()
    assert 'id="trend"' not in render_report(result, now, "funder", "html")


def test_hostile_wave_labels_are_shown_as_text(cli, tmp_path):
    label = '<b>"&x</b>'
    out = tmp_path / "r.html"
    r = cli(
        "report", SURVEY, W2026, "--wave", f"{label}={W2024}", "--audience", "funder",
        "-o", out,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert "<b>" not in page and "&lt;b&gt;&#34;&amp;x&lt;/b&gt;" in page.replace("&quot;", "&#34;")
    md = tmp_path / "r.md"
    r = cli("report", SURVEY, W2026, "--wave", f"{label}={W2024}", "--audience", "funder", "-o", md)
    assert r.returncode == 0 and "<b>" not in md.read_text(encoding="utf-8")
    gexf = tmp_path / "m.gexf"
    r = cli("network", SURVEY, W2026, "--wave", f"{label}={W2024}", "--to", "gexf", "-o", gexf)
    assert r.returncode == 0, r.stderr
    import networkx as nx

    assert nx.read_gexf(gexf).number_of_nodes() == 12


def test_show_names_without_a_consent_question_says_so(cli, tmp_path):
    text = SURVEY.read_text(encoding="utf-8")
    start = text.index("  - id: name_ok")
    survey = tmp_path / "survey.yaml"
    survey.write_text(text[:start], encoding="utf-8")
    r = cli("network", survey, W2026, "--to", "kumu", "--show-names", "-o", tmp_path / "m.json")
    assert r.returncode == 0, r.stderr
    assert "Warning: --show-names: the survey asks no consent to be named" in r.stderr
    assert "Hollowbrook" not in (tmp_path / "m.json").read_text(encoding="utf-8")


def test_the_demo_writes_the_three_wave_example(tmp_path):
    from relimpact.demo import run_demo

    done = run_demo(tmp_path / "demo")
    names = {p.name for _, p in done.files}
    assert {
        "map-2024.csv",
        "map-report-funder.html",
        "map-report-members.html",
        "map.gexf",
    } <= names
    for audience in ("funder", "members"):
        page = (tmp_path / "demo" / f"map-report-{audience}.html").read_text(encoding="utf-8")
        assert 'aria-labelledby="trend-title trend-desc"' in page
    import networkx as nx

    g = nx.read_gexf(tmp_path / "demo" / "map.gexf")
    assert (g.graph["start"], g.graph["end"]) == ("2024", "2026")


def test_the_score_table_shows_the_trend(cli):
    r = cli("score", SURVEY, W2026, "--wave", f"2024={W2024}", "--wave", f"2025={W2025}")
    assert r.returncode == 0, r.stderr
    assert "Trend over the surveys: score (n)" in r.stdout
    assert "2.95 (7)" in r.stdout and "3.90 (10)" in r.stdout
    assert "The network over the surveys" in r.stdout
    assert "8 links kept, 4 links new and 0 links ended" in " ".join(r.stdout.split())


def _r_reference() -> dict[str, dict[str, float]]:
    """tests/r/reference_trend.out (R igraph), by section."""
    out: dict[str, dict[str, float]] = {}
    section = ""
    for line in (ROOT / "tests" / "r" / "reference_trend.out").read_text().splitlines():
        if line.startswith("== "):
            section = line[3:]
            out[section] = {}
        elif section:
            key, value = line.split()
            out[section][key] = float(value)
    return out


def test_network_trend_and_churn_match_r_igraph(example):
    _, _, result = example
    trend = result.to_dict()["trend"]
    ref = _r_reference()
    for wave in trend["network"]:
        r = ref[wave["wave"]]
        assert wave["ties"] == r["ties"] and wave["isolates"] == r["isolates"]
        assert wave["components"] == r["components"]
        assert wave["density"] == pytest.approx(r["density"], abs=1e-12)
    for churn in trend["tie_churn"]:
        r = ref[f"churn {churn['from']}-{churn['to']}"]
        assert [churn[k] for k in ("members", "kept", "new", "ended")] == [
            r["members"], r["kept"], r["new"], r["ended"],
        ]  # fmt: skip


def test_the_trend_in_word_and_pdf(example, tmp_path):
    import docx
    from pypdf import PdfReader

    _, (_, _, now), result = example
    path = tmp_path / "f.docx"
    path.write_bytes(render_report(result, now, "funder", "docx"))
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Trend over the surveys" in headings and "The network over the surveys" in headings
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "3.90 (3.53 to 4.27), n = 10" in cells
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(render_report(result, now, "members", "pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "How things have moved over the surveys" in text


def test_the_trend_chart_never_draws_a_line_across_a_hidden_wave():
    from relimpact.report.trend import Panel, trend_chart

    waves = ["Spring 2024 survey", "2025", "2026", "2027"]
    panel = Panel("The net", [3.0, None, 3.5, 3.6], [None, None, 3.2, None],
                  [None, None, 3.8, None], 1, 5, bands=(3.0, 4.0))  # fmt: skip
    chart = trend_chart([panel, panel], waves, "Scores", "t")  # two to a row: narrow slots
    svg = chart.svg
    assert svg == trend_chart([panel, panel], waves, "Scores", "t").svg  # deterministic
    lines = re.findall(r'<path d="M[\d.]+ [\d.]+ L[\d.]+ [\d.]+" fill="none" stroke="#005A8F"', svg)
    assert len(lines) == 2  # per panel 2026 to 2027 only: 2024 and 2026 not joined over 2025
    assert "not shown" in svg and ">Spring</text>" in svg and ">2024\u2026</text>" in svg
    one = (
        "The net: Spring 2024 survey 3.00, 2025 not shown, 2026 3.50 (95% interval 3.20 to "
        "3.80), 2027 3.60."
    )
    assert chart.description == f"{one} {one}"
