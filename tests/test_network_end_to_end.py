"""The network map end to end: the example export through the reader, scoring and both reports.

The expected figures are worked out by hand from the nominations written out in
scripts/make_network_example.py (``CURRENT`` and ``BASELINE``), and checked with R igraph by
tests/r/reference_network_example.R, whose output is tests/r/reference_network_example.out.
"""

from __future__ import annotations

import html
import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest

from relimpact.console.score import to_json, to_table
from relimpact.net.network import network_change_words
from relimpact.read.reading import read_responses
from relimpact.report.render import render_report
from relimpact.scoring.engine import score
from relimpact.survey.load import load_survey

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "surveys" / "network-map.yaml"
EXAMPLES = ROOT / "surveys" / "examples"
RESPONSES = EXAMPLES / "network-map-responses.csv"
BASELINE = EXAMPLES / "network-map-baseline.csv"

ROSTER = (
    "Loomworks Network Team",
    "Hollowbrook Neighbours Together",
    "Smith, Jones & Co",
    "Ashgrove Food Share",
    "Lantern Street Youth Project",
    "Tanner's Yard Shed Collective",
    "Harbourside Carers' Circle",
    "Okafor, Reid and Partners",
    "The Weavers' Table",
    "Northfold Lived Experience Panel",
    "Bramble Hill Allotment, Kitchen and Café",
    "Copperleaf Arts",
)
# One word of each name that appears nowhere else in a report: a name cut short or split
# across markup must not get out either.
TOKENS = (
    "Loomworks", "Hollowbrook", "Smith", "Ashgrove", "Lantern", "Tanner", "Harbourside",
    "Okafor", "Weavers", "Northfold", "Bramble", "Copperleaf",
)  # fmt: skip
# Said yes to "May we show your organisation's name on the network map?"
AGREED = (
    "Loomworks Network Team",
    "Hollowbrook Neighbours Together",
    "Ashgrove Food Share",
    "The Weavers' Table",
    "Bramble Hill Allotment, Kitchen and Café",
)

# Hand working, this year (12 members; Smith, Jones & Co and Tanner's Yard did not answer):
#   ties named: Loomworks 7, Hollowbrook 4 (Riverside Library is not a member), Ashgrove 4,
#   Lantern 3, Harbourside 2, Okafor 1, Weavers 2, Northfold 2, Bramble 2, Copperleaf 2 = 29;
#   density 29 / (12 * 11) = 29/132
#   named both ways: Loomworks with Hollowbrook, Ashgrove, Harbourside, Northfold, Bramble,
#   Copperleaf; Hollowbrook with Ashgrove, Lantern, Weavers; Ashgrove-Bramble,
#   Lantern-Copperleaf, Harbourside-Northfold = 12 pairs = 24 of 29 ties
#   one way only: Loomworks->Smith, Ashgrove->Tanner's, Lantern->Loomworks, Okafor->Smith,
#   Weavers->Tanner's
#   undirected degrees: Loomworks 8, Hollowbrook 4, Ashgrove 4, Lantern 3, Okafor 1, the
#   other seven 2 -> sum(8 - d) = 0 + 4 + 4 + 5 + 7 + 7 * 6 = 62; 62/132
#   one component, no isolates; articulation points: Loomworks, and Smith, Jones (the only
#   link to Okafor, Reid)
#   without Loomworks: {Hollowbrook, Ashgrove, Lantern, Tanner's, Weavers, Bramble,
#   Copperleaf}, {Harbourside, Northfold}, {Smith, Okafor} = 3 groups; largest 7 of 11
EXPECTED = {
    "members": 12,  # R: 12
    "responded": 10,  # R: 10
    "ties": 29,  # R: 29
    "density": 29 / 132,  # R edge_density: 0.21969696969697
    "reciprocity": 24 / 29,  # R reciprocity: 0.827586206896552
    "components": 1,  # R: 1
    "isolates": 0,  # R: 0
    "centralization": 62 / 132,  # R centr_degree(normalized = TRUE): 0.46969696969697
    "articulation_points": 2,  # R: 2
    "without_convenors": {
        "components": 3,  # R: 3
        "isolates": 0,  # R: 0
        "largest_component_share": 7 / 11,  # R: 0.636363636363636
    },
}

# A year earlier (8 answered): Loomworks named 5, Ashgrove 2, Hollowbrook 2, Lantern 1,
# Northfold 1, Harbourside 1, Bramble 1, Copperleaf none = 13 ties; density 13/132.
# Linked: Loomworks with Hollowbrook, Ashgrove, Lantern, Harbourside, Northfold, Bramble;
# Hollowbrook-Ashgrove; Harbourside-Northfold. On their own: Smith, Tanner's, Okafor,
# Weavers, Copperleaf = 5 isolates, so 1 + 5 = 6 components.
EXPECTED_CHANGE = {
    "density": {"before": 13 / 132, "after": 29 / 132, "difference": 16 / 132},
    "isolates": {"before": 5, "after": 0, "difference": -5},
    "components": {"before": 6, "after": 1, "difference": -5},
    # the 8 who answered the baseline answered again (the example files' member columns)
    "responded": {"before": 8, "after": 10, "difference": 2, "both": 8},
}

# The baseline on its own: 10 of the 13 ties named both ways (all but Loomworks->Northfold,
# Lantern->Loomworks and Northfold->Harbourside); undirected degrees Loomworks 6,
# Hollowbrook 2, Ashgrove 2, Harbourside 2, Northfold 2, Lantern 1, Bramble 1, five 0 ->
# sum(6 - d) = 0 + 4 * 4 + 2 * 5 + 5 * 6 = 56; only Loomworks holds others together; without
# it: {Hollowbrook, Ashgrove}, {Harbourside, Northfold} and 7 members alone = 9 groups.
EXPECTED_BASELINE = {
    "members": 12,  # R: 12
    "responded": 8,  # R: 8
    "ties": 13,  # R: 13
    "density": 13 / 132,  # R: 0.0984848484848485
    "reciprocity": 10 / 13,  # R: 0.769230769230769
    "components": 6,  # R: 6
    "isolates": 5,  # R: 5
    "centralization": 56 / 132,  # R: 0.424242424242424
    "articulation_points": 1,  # R: 1
    "without_convenors": {
        "components": 9,  # R: 9
        "isolates": 7,  # R: 7
        "largest_component_share": 2 / 11,  # R: 0.181818181818182
    },
}

EXIT_CHECK = (
    "Without the convenor, the network would split into 3 groups; the largest holds 64% of "
    "the other members."
)
CHANGE_WORDS = (
    "Since the last survey the network has become denser (0.10 to 0.22); 5 members were on "
    "their own, now none; it was in 6 separate groups (5 of them single members) and is now "
    "in one piece. Fewer members answered last time (8, now 10), so part of this change may "
    "only be that more members named who they work with."
)


def approx(d: dict) -> dict:
    return {
        k: approx(v) if isinstance(v, dict) else pytest.approx(v, abs=1e-12) for k, v in d.items()
    }


@pytest.fixture(scope="module")
def example():
    survey = load_survey(SURVEY)
    current = read_responses(survey, [RESPONSES])
    before = read_responses(survey, [BASELINE])
    return score(current, baseline=before), current


@pytest.fixture(scope="module")
def reports(example):
    result, current = example
    return {
        (audience, fmt, names): render_report(result, current, audience, fmt, show_names=names)
        for audience in ("funder", "members")
        for fmt in ("html", "md")
        for names in (False, True)
    }


def test_the_example_export_is_what_the_script_makes(monkeypatch) -> None:
    path = ROOT / "scripts" / "make_network_example.py"
    spec = importlib.util.spec_from_file_location("mne", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "mne", mod)
    spec.loader.exec_module(mod)
    current, baseline = mod.make(mod.load_survey(mod.TEMPLATE))
    assert RESPONSES.read_bytes() == current.encode()
    assert BASELINE.read_bytes() == baseline.encode()
    # Google Forms: checkboxes joined with ", ", so commas inside names meet the separators
    assert '"Hollowbrook Neighbours Together, Smith, Jones & Co, Ashgrove' in current
    assert current.startswith('"Timestamp","Which member are you?"')


def test_the_reader_splits_names_with_commas(example) -> None:
    _, current = example
    assert current.format == "google-forms"
    members = current.member["which_member"]
    links = dict(zip(members, current.connections["worked_with"], strict=True))
    assert links["Loomworks Network Team"] == (
        "Hollowbrook Neighbours Together",
        "Smith, Jones & Co",
        "Ashgrove Food Share",
        "Harbourside Carers' Circle",
        "Northfold Lived Experience Panel",
        "Bramble Hill Allotment, Kitchen and Café",
        "Copperleaf Arts",
    )
    assert links["Okafor, Reid and Partners"] == ("Smith, Jones & Co",)
    assert any("not on the network map's member list" in w for w in current.warnings)


def test_the_example_gives_the_hand_worked_figures(example) -> None:
    result, _ = example
    data = json.loads(to_json(result))
    network = data["network"]
    more = ("change", "mixing", "brokers")  # mixing and brokers: tests/test_network_ties.py
    assert {k: v for k, v in network.items() if k not in more} == approx(EXPECTED)
    assert network["change"] == approx(EXPECTED_CHANGE)
    # Ten members with a known kind, min_group_size 5: the five community groups are shown;
    # the charities (4) and the business (1) are pooled (5), never shown alone. Of the 13
    # links between them, 7 are within a group: E-I = (6 - 7) / 13, about what chance gives.
    mixing = network["mixing"]["kind"]
    # 13 links: 3 within the Community group, 6 across groups, and 4 between two members of
    # the pooled smaller groups, left out (within or across is what pooling hides)
    assert (mixing["members"], mixing["ties"], mixing["internal"]) == (10, 13, 3)
    assert (mixing["external"], mixing["ties_left_out"]) == (6, 4)
    assert mixing["ei_index"] == pytest.approx(1 / 3) and mixing["verdict"] == "chance"
    assert mixing["expected"] is None and mixing["assortativity"] is None
    assert [g["group"] for g in mixing["groups"]] == ["Community group", "Smaller groups, pooled"]
    assert mixing["groups_pooled"] == 2
    assert network["brokers"]["top_members"] == 2  # ceil(12 / 10)


def test_no_change_without_a_baseline_and_the_baselines_own_figures() -> None:
    survey = load_survey(SURVEY)
    result = score(read_responses(survey, [RESPONSES]))
    assert "change" not in json.loads(to_json(result))["network"]
    earlier = json.loads(to_json(score(read_responses(survey, [BASELINE]))))["network"]
    more = ("mixing", "brokers")
    assert {k: v for k, v in earlier.items() if k not in more} == approx(EXPECTED_BASELINE)


def test_change_words() -> None:
    assert network_change_words(EXPECTED_CHANGE) == CHANGE_WORDS
    same = {
        "density": {"before": 0.201, "after": 0.199},
        "isolates": {"before": 1, "after": 1},
        "components": {"before": 2, "after": 2},
        "responded": {"before": 9, "after": 9},
    }
    assert network_change_words(same) == (
        "Since the last survey the network is as dense as it was (0.20); 1 member is on their "
        "own, as before; it is still in 2 separate groups (one of them a single member)."
    )
    split = {
        "density": {"before": 0.3, "after": 0.2},
        "isolates": {"before": 0, "after": 2},
        "components": {"before": 1, "after": 3},
        "responded": {"before": 10, "after": 7},
    }
    words = network_change_words(split)
    assert words.startswith(
        "Since the last survey the network has become less dense (0.30 to 0.20); 0 members "
        "were on their own, now 2; it was in one piece and is now in 3 separate groups (2 of "
        "them single members). More members answered last time (10, now 7)"
    )
    assert network_change_words({"density": {"before": None, "after": 0.2}}) == (
        "The network cannot be compared with the last survey."
    )


def test_the_score_table_shows_the_net_and_its_change(example) -> None:
    from rich.console import Console

    result, _ = example
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(to_table(result))
    text = " ".join(console.export_text().split())
    assert "The net: who works with whom" in text
    assert EXIT_CHECK in text
    assert CHANGE_WORDS in text


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_both_reports_show_the_map_the_exit_check_and_the_change(reports, audience) -> None:
    page = reports[(audience, "html", False)]
    assert page.count("<svg") >= 1 and 'id="map-title"' in page
    assert "Members are not named." in page  # the map's description
    assert EXIT_CHECK in page
    assert html.escape(CHANGE_WORDS, quote=False) in page
    assert "10 of 12 members (83%) answered, so the map is close to complete." in page
    md = reports[(audience, "md", False)]
    assert EXIT_CHECK in md and CHANGE_WORDS in md


def test_map_colours_merge_groups_under_min_group_size(reports) -> None:
    page = reports[("funder", "html", False)]
    start = page.rindex("<svg", 0, page.index('id="map-title"'))
    svg = page[start : page.index("</svg>", start)]
    # 5 community groups answered: their own colour; charities (4) and the one business
    # are drawn together as "Other"; the two who did not answer are "Not known"
    assert "Community group (5)" in svg and "Other (5)" in svg and "Not known (2)" in svg
    assert "Business" not in svg and "Charity" not in svg


def test_a_map_from_under_80_percent_says_it_is_partial() -> None:
    survey = load_survey(SURVEY)
    wave = read_responses(survey, [BASELINE])  # 8 of 12 answered
    result = score(wave)
    for audience in ("funder", "members"):
        for fmt in ("html", "md"):
            text = render_report(result, wave, audience, fmt)
            assert "The map is partial: only 8 of 12 members (67%) answered." in text


@pytest.mark.parametrize("audience", ["funder", "members"])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_no_member_is_named_without_show_names(reports, audience, fmt) -> None:
    text = html.unescape(reports[(audience, fmt, False)])
    for token in TOKENS:
        assert token not in text
    assert "No names, email addresses or member codes" in text


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_show_names_names_only_the_members_who_agreed(reports, audience) -> None:
    text = html.unescape(reports[(audience, "html", True)])
    for name in ROSTER:
        if name in AGREED:
            assert f">{name}</text>" in text, name
        else:
            assert TOKENS[ROSTER.index(name)] not in text, name
    assert "Only members who said yes to being named on the map are named (5)" in text
    # the report no longer claims that no name is in it
    assert "No names, email addresses or member codes" not in text
    # Markdown has no map: the only names are the brokers', and only those who agreed
    md = reports[(audience, "md", True)]
    for name in ROSTER:
        if name not in AGREED:
            assert TOKENS[ROSTER.index(name)] not in md, name
    assert "link others (the top 10%), Loomworks Network Team and 1 member not named," in md


def test_reports_are_the_same_every_time(example, reports) -> None:
    result, current = example
    again = render_report(result, current, "members", "html", show_names=True)
    assert again == reports[("members", "html", True)]


def test_the_json_never_holds_a_member_name(example) -> None:
    result, _ = example
    text = to_json(result)
    for token in TOKENS:
        assert token not in text
