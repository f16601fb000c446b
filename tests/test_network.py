"""The network's shape, checked against figures worked out by hand and with R igraph.

The expected numbers come from tests/r/reference_network.R (R 4.2.2, igraph 1.3.5),
whose printed output is tests/r/reference_network.out; the comments give the hand
working.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from relimpact.common.errors import SurveyError
from relimpact.net.network import (
    coverage_words,
    exit_check_words,
    network_change,
    network_map_svg,
    network_stats,
)

CONVENOR = "Smith, Jones & Co"
ADA, FOOD, PATEL = "Ada Lovelace", "Riverside Food Bank", "Patel, R."
GREEN, YOUTH, OBRIEN = "Green Streets", "Youth Forum <North>", "O'Brien Trust"
HARBOUR, DEE, LONE = "Harbour Arts", "Dee Lane", "Lone Wolf Ltd"
ROSTER = (CONVENOR, ADA, FOOD, PATEL, GREEN, YOUTH, OBRIEN, HARBOUR, DEE, LONE)

# Two clusters joined only through the convenor; Harbour Arts hangs off Green Streets;
# Patel and Harbour did not answer but were named; Dee Lane answered naming nobody;
# Lone Wolf neither answered nor was named. Noise: a self-nomination, a duplicate,
# a name off the roster, and an answer from someone off the roster.
ANSWERS = {
    CONVENOR: [ADA, GREEN],
    ADA: [CONVENOR, FOOD, PATEL],
    FOOD: [ADA, PATEL, FOOD, ADA],
    GREEN: [CONVENOR, YOUTH, HARBOUR],
    YOUTH: [OBRIEN, "Unknown Org"],
    OBRIEN: [YOUTH, GREEN],
    DEE: [],
    "Visitor": [ADA],
}

# Hand working for ROSTER/ANSWERS (n = 10):
#   ties: 2 + 3 + 2 + 3 + 1 + 2 = 13 (self and duplicate dropped); density 13 / 90
#   reciprocated: convenor<->Ada, convenor<->Green, Ada<->Food, Youth<->O'Brien = 8 of 13
#   undirected degrees: convenor 2, Ada 3, Food 2, Patel 2, Green 4, Youth 2, O'Brien 2,
#   Harbour 1, Dee 0, Lone 0 -> sum(4 - d) = 22; igraph divides by n(n-1) = 90
#   components: the 8 connected members, Dee, Lone = 3; isolates 2
#   articulation points: convenor, Ada (holds Food+Patel), Green (holds Harbour, Youth+O'Brien)
#   without the convenor: {Ada, Food, Patel}, {Green, Youth, O'Brien, Harbour}, Dee, Lone
#   = 4 components, 2 isolates, largest 4 of 9 remaining
#   unknown names: "Unknown Org", "Visitor" = 2
EXPECTED = {
    "members": 10,  # R: 10
    "responded": 7,  # R: 7
    "ties": 13,  # R: 13
    "density": 0.144444444444444,  # R edge_density: 0.144444444444444 = 13/90
    "reciprocity": 0.615384615384615,  # R reciprocity: 0.615384615384615 = 8/13
    "components": 3,  # R components()$no: 3
    "isolates": 2,  # R sum(degree == 0): 2
    "centralization": 0.244444444444444,  # R centr_degree(normalized=TRUE): 22/90
    "articulation_points": 3,  # R length(articulation_points): 3
    "without_convenors": {
        "components": 4,  # R: 4
        "isolates": 2,  # R: 2
        "largest_component_share": 0.444444444444444,  # R: 0.444444444444444 = 4/9
    },
}


def approx_dict(d: dict) -> dict:
    return {
        k: approx_dict(v)
        if isinstance(v, dict)
        else (pytest.approx(v, abs=1e-12) if isinstance(v, float) else v)
        for k, v in d.items()
    }


def test_figures_match_r_igraph_and_hand_working() -> None:
    stats = network_stats(ROSTER, ANSWERS, [CONVENOR])
    assert stats.to_dict() == approx_dict(EXPECTED)
    assert stats.density == pytest.approx(13 / 90)
    assert stats.reciprocity == pytest.approx(8 / 13)
    assert stats.centralization == pytest.approx(22 / 90)
    assert stats.without_convenors is not None
    assert stats.without_convenors.largest_component_share == pytest.approx(4 / 9)
    assert stats.unknown_names == 2  # R: 2


def test_to_dict_is_the_contract_shape_and_json_ready() -> None:
    d = network_stats(ROSTER, ANSWERS, [CONVENOR]).to_dict()
    assert list(d) == [
        "members", "responded", "ties", "density", "reciprocity", "components", "isolates",
        "centralization", "articulation_points", "without_convenors",
    ]  # fmt: skip
    assert list(d["without_convenors"]) == ["components", "isolates", "largest_component_share"]
    assert "unknown_names" not in d
    assert json.loads(json.dumps(d)) == d


def test_two_convenors() -> None:
    # Without the convenor and Green: {Ada, Food, Patel}, {Youth, O'Brien}, Harbour, Dee, Lone.
    w = network_stats(ROSTER, ANSWERS, [CONVENOR, GREEN]).without_convenors
    assert w is not None
    assert w.to_dict() == {
        "components": 5,  # R: 5
        "isolates": 3,  # R: 3
        "largest_component_share": pytest.approx(0.375),  # R: 0.375 = 3/8
    }
    assert (w.removed, w.remaining) == (2, 8)


def test_convenor_whose_exit_changes_nothing() -> None:
    # O'Brien sits in the Youth-Green triangle: removing it keeps the 7 others together.
    w = network_stats(ROSTER, ANSWERS, [OBRIEN]).without_convenors
    assert w is not None
    assert w.to_dict() == {
        "components": 3,  # R: 3
        "isolates": 2,  # R: 2
        "largest_component_share": pytest.approx(7 / 9),  # R: 0.777777777777778
    }


def test_no_convenors_declared_gives_null() -> None:
    stats = network_stats(ROSTER, ANSWERS)
    assert stats.without_convenors is None
    assert stats.to_dict()["without_convenors"] is None


def test_nobody_responded() -> None:
    # R: density 0, reciprocity NaN, 4 components, 4 isolates, centralization 0 (0/12).
    stats = network_stats(["A", "B", "C", "D"], {})
    assert stats.to_dict() == {
        "members": 4, "responded": 0, "ties": 0, "density": 0.0, "reciprocity": None,
        "components": 4, "isolates": 4, "centralization": 0.0, "articulation_points": 0,
        "without_convenors": None,
    }  # fmt: skip


def test_roster_of_one() -> None:
    # R: density NaN, reciprocity NaN, centralization NaN (igraph's maximum 1 * 0 = 0).
    stats = network_stats(["A"], {"A": []})
    assert stats.to_dict() == {
        "members": 1, "responded": 1, "ties": 0, "density": None, "reciprocity": None,
        "components": 1, "isolates": 1, "centralization": None, "articulation_points": 0,
        "without_convenors": None,
    }  # fmt: skip


def test_roster_of_two_one_tie_and_convenor_exit() -> None:
    # R: density 0.5, reciprocity 0, centralization 0 (degrees 1, 1; maximum 2 * 1);
    # without A: 1 component, 1 isolate, share 1.
    stats = network_stats(["A", "B"], {"A": ["B"]}, ["A"])
    assert stats.to_dict() == {
        "members": 2, "responded": 1, "ties": 1, "density": 0.5, "reciprocity": 0.0,
        "components": 1, "isolates": 0, "centralization": 0.0, "articulation_points": 0,
        "without_convenors": {"components": 1, "isolates": 1, "largest_component_share": 1.0},
    }  # fmt: skip


def test_roster_of_two_both_ways() -> None:
    stats = network_stats(["A", "B"], {"A": ["B"], "B": ["A"]})
    assert (stats.ties, stats.density, stats.reciprocity) == (2, 1.0, 1.0)  # R: 2, 1, 1


def test_star_uses_igraphs_normalisation() -> None:
    # igraph's centr_degree(normalized = TRUE) defaults to loops = TRUE, so its maximum for
    # undirected graphs is n(n - 1) = 20, not (n - 1)(n - 2) = 12: the star scores
    # 4 * 3 / 20 = 0.6 (R: 0.6), not 1.
    roster = ["Hub", "P", "Q", "R", "S"]
    stats = network_stats(roster, {m: ["Hub"] for m in roster[1:]}, ["Hub"])
    assert stats.centralization == pytest.approx(0.6)
    assert stats.density == pytest.approx(0.2)  # R: 0.2
    assert stats.reciprocity == 0.0  # R: 0
    assert stats.articulation_points == 1  # R: 1
    assert stats.without_convenors is not None
    assert stats.without_convenors.to_dict() == {
        "components": 4, "isolates": 4, "largest_component_share": 0.25,  # R: 4, 4, 0.25
    }  # fmt: skip


def test_empty_roster() -> None:
    stats = network_stats([], {})
    assert stats.to_dict() == {
        "members": 0, "responded": 0, "ties": 0, "density": None, "reciprocity": None,
        "components": 0, "isolates": 0, "centralization": None, "articulation_points": 0,
        "without_convenors": None,
    }  # fmt: skip
    assert coverage_words(stats) == "The roster is empty, so there is no network map."


def test_answers_with_nobody_named_still_count_as_responded() -> None:
    stats = network_stats(["A", "B", "C"], {"A": [], "B": ()})
    assert (stats.responded, stats.ties, stats.isolates) == (2, 0, 3)


def test_a_single_string_is_one_name_not_letters() -> None:
    stats = network_stats(["A", "Bo"], {"A": "Bo"})
    assert (stats.ties, stats.unknown_names) == (1, 0)


def test_roster_errors_say_where_and_how() -> None:
    with pytest.raises(SurveyError) as err:
        network_stats(["A", "B", "A"], {})
    assert err.value.problems[0].where == "network_map.members"
    assert "'A'" in str(err.value) and "once" in str(err.value)
    with pytest.raises(SurveyError) as err:
        network_stats(["A", "B"], {}, ["Z"])
    assert err.value.problems[0].where == "network_map.convenors"
    assert "exactly as in network_map.members" in str(err.value)


def test_network_change() -> None:
    before = network_stats(["A", "B", "C"], {"A": ["B"]})  # density 1/6, 1 isolate, 2 parts
    after = network_stats(["A", "B", "C"], {"A": ["B"], "C": ["A"]})  # 2/6, 0, 1
    change = network_change(before, after)
    assert list(change) == ["density", "isolates", "components"]
    assert change["density"] == {
        "before": pytest.approx(1 / 6),
        "after": pytest.approx(2 / 6),
        "difference": pytest.approx(1 / 6),
    }
    assert change["isolates"] == {"before": 1, "after": 0, "difference": -1}
    assert change["components"] == {"before": 2, "after": 1, "difference": -1}
    tiny = network_change(network_stats(["A"], {}), after)
    assert tiny["density"]["difference"] is None


def test_exit_check_words() -> None:
    words = exit_check_words(network_stats(ROSTER, ANSWERS, [CONVENOR]))
    assert words == (
        "Without the convenor, the network would split into 4 groups; the largest holds 44% "
        "of the other members. 2 of those groups are single members with no tie left."
    )
    words = exit_check_words(network_stats(ROSTER, ANSWERS, [CONVENOR, GREEN]))
    assert words.startswith("Without the convenors, the network would split into 5 groups;")
    assert "38%" in words
    words = exit_check_words(network_stats(ROSTER, ANSWERS, [OBRIEN]))
    assert words.startswith("Without the convenor, the network would still be in 3 separate")
    assert "78%" in words
    triangle = network_stats(["A", "B", "C"], {"A": ["B", "C"], "B": ["C"]}, ["A"])
    assert exit_check_words(triangle) == (
        "Without the convenor, the network would hold together: both other members stay connected."
    )
    star = network_stats(["Hub", "P", "Q"], {"P": ["Hub"], "Q": ["Hub"]}, ["Hub"])
    assert "fall apart" in exit_check_words(star)
    square = network_stats(list("ABCD"), {"A": ["B", "C", "D"], "B": ["C"], "C": ["D"]}, ["A"])
    assert "hold together: all 3 other members stay connected." in exit_check_words(square)
    pair = network_stats(["A", "B"], {"A": ["B"]}, ["A"])
    assert exit_check_words(pair) == "Without the convenor, one member would be left on their own."
    assert "not run" in exit_check_words(network_stats(ROSTER, ANSWERS))
    everyone = network_stats(["A"], {}, ["A"])
    assert "Every member on the roster is a convenor" in exit_check_words(everyone)


def test_coverage_words() -> None:
    partial = coverage_words(network_stats(ROSTER, ANSWERS))
    assert partial.startswith("The map is partial: only 7 of 10 members (70%) answered.")
    eight = network_stats(ROSTER, {m: [] for m in ROSTER[:8]})
    assert (
        coverage_words(eight) == "8 of 10 members (80%) answered, so the map is close to complete."
    )


# --- the SVG map ------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
ROLES = {
    CONVENOR: "Staff", ADA: "Individual", FOOD: "Organisation", PATEL: "Individual",
    GREEN: "Organisation", YOUTH: "Organisation", OBRIEN: "Organisation",
}  # fmt: skip


def test_svg_is_well_formed_and_described() -> None:
    svg = network_map_svg(ROSTER, ANSWERS, ROLES, None, "Riverside & friends", convenors=[CONVENOR])
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Riverside & friends"
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith(
        "Network map of 10 members: 1 connected group and 2 members with no ties; "
        "9 links between members, 4 of them both ways."
    )
    assert "Members are not named." in desc
    circles = list(root.iter(f"{SVG}circle"))
    assert len([c for c in circles if c.get("class") == "ring"]) == 2  # the convenor + legend
    assert len(list(root.find(f"{SVG}g[@class='ties']"))) == 9
    assert len(list(root.find(f"{SVG}g[@class='members']"))) == 10 + 1  # dots + ring
    assert "href" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_svg_is_byte_identical_across_runs_and_processes() -> None:
    first = network_map_svg(ROSTER, ANSWERS, ROLES, None, "Map", convenors=[CONVENOR])
    assert network_map_svg(ROSTER, ANSWERS, ROLES, None, "Map", convenors=[CONVENOR]) == first
    code = (
        "import sys, json; from relimpact.net.network import network_map_svg as f; "
        "a = json.loads(sys.argv[1]); "
        "sys.stdout.write(f(a['r'], a['n'], a['c'], None, 'Map', convenors=[a['r'][0]]))"
    )
    arg = json.dumps({"r": ROSTER, "n": ANSWERS, "c": ROLES})
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code, arg],
            capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout  # fmt: skip
        assert out == first


def test_svg_is_anonymous_without_labels() -> None:
    svg = network_map_svg(ROSTER, ANSWERS, ROLES, None, "Map")
    text = " ".join(ET.fromstring(svg).itertext())
    for name in ROSTER:
        for form in (name, name.replace("&", "&amp;").replace("<", "&lt;"), name.split(",")[0]):
            assert form not in svg
            assert form not in text


def test_svg_labels_only_the_given_members_escaped() -> None:
    svg = network_map_svg(
        ROSTER, ANSWERS, None, {YOUTH: YOUTH, CONVENOR: CONVENOR, "Stranger": "Stranger"}, "Map"
    )
    names = ET.fromstring(svg).find(f"{SVG}g[@class='names']")
    assert sorted(t.text for t in names) == sorted([YOUTH, CONVENOR])
    assert "Youth Forum &lt;North&gt;" in svg and "Smith, Jones &amp; Co" in svg
    assert ADA not in svg and "Stranger" not in svg


def test_svg_legend_merges_small_segments_and_plain_without_colours() -> None:
    svg = network_map_svg(ROSTER, ANSWERS, ROLES, None, "Map", segment_name="Role",
                          min_group_size=2)  # fmt: skip
    legend = " ".join(ET.fromstring(svg).find(f"{SVG}g[@class='legend']").itertext())
    # Staff (1) is too small; alone in "Other" its count would show, so the next smallest,
    # Individual (2), joins it: "Other (3)", and neither name is on the map.
    assert "Organisation (4)" in legend and "Other (3)" in legend
    assert "Staff" not in svg and "Individual" not in svg
    assert "Not known (3)" in legend
    plain = network_map_svg(ROSTER, ANSWERS, None, None, "Map")
    fills = {c.get("fill") for c in ET.fromstring(plain).find(f"{SVG}g[@class='members']")}
    assert fills == {"#0072B2"}


def test_svg_edge_cases_parse() -> None:
    for roster, answers in (([], {}), (["A"], {}), (["A", "B"], {"A": ["B"]})):
        svg = network_map_svg(roster, answers, None, None, "Map")
        ET.fromstring(svg)
    assert "Network map of 0 members" in network_map_svg([], {}, None, None, "Map")


def test_exit_check_words_for_a_convenor_with_no_link() -> None:
    # The convenor J never answered and nobody named them: 4 groups now, 3 without J. The
    # words must not say "as it is now" beside a table giving 4.
    roster = [f"Org {c}" for c in "ABCDEFGHIJ"]
    answers = {
        "Org A": ["Org B", "Org C"],
        "Org D": ["Org E", "Org F"],
        "Org G": ["Org H", "Org I"],
    }
    stats = network_stats(roster, answers, ["Org J"])
    assert (stats.components, stats.without_convenors.components) == (4, 3)
    assert exit_check_words(stats) == (
        "The convenor has no link to any member, so the exit check changes nothing: the other "
        "members are in 3 separate groups with or without them; the largest holds 33% of the "
        "other members."
    )
    two = network_stats([*roster, "Org K"], answers, ["Org J", "Org K"])
    assert exit_check_words(two) == (
        "Without the convenors, the network would be in 3 separate groups (at least one "
        "convenor has no link to any member); the largest holds 33% of the other members."
    )


def test_change_words_say_when_the_waves_heard_from_other_members() -> None:
    """A network compared across two waves answered by different members is no change in
    the same members' links: the words say so rather than only that it became denser."""
    from relimpact.net.network import network_change_words

    base = {
        "density": {"before": 0.22, "after": 0.28},
        "isolates": {"before": 5, "after": 4},
        "components": {"before": 6, "after": 5},
    }
    none = network_change_words({**base, "responded": {"before": 5, "after": 5, "both": 0}})
    assert none.startswith("Since the last survey the network has become denser (0.22 to 0.28)")
    assert none.endswith(
        "No member answered both times, so this compares two different sets of members, not "
        "a change in the same members' links."
    )
    some = network_change_words({**base, "responded": {"before": 5, "after": 5, "both": 2}})
    assert some.endswith(
        "Only 2 of the 5 members who answered this time also answered last time, so part of "
        "this change may be who answered."
    )
    same = network_change_words({**base, "responded": {"before": 5, "after": 5, "both": 5}})
    # everyone who answers now answered before: no caveat
    assert "answered" not in same
