"""Tie strength, mixing across groups and brokers, checked against R igraph.

The expected numbers come from tests/r/reference_network2.R (R 4.2.2, igraph 1.3.5),
whose printed output is tests/r/reference_network2.out: the same made-up roster of 18
with segments, two isolates, a convenor, members whose group is not known, and noise
(a self-nomination, a name off the roster).
"""

from __future__ import annotations

import math

import pytest

from relimpact.net.brokers import brokers, brokers_words
from relimpact.net.mixing import (
    POOLED,
    assortativity_nominal,
    ei_index,
    mixing,
    mixing_words,
    pooled_groups,
)
from relimpact.net.network import network_stats
from relimpact.net.strength import strength_words, tie_strength
from tests.rref import r_reference

R = r_reference("reference_network2")
LEVELS = ("Aware of each other", "Share information", "Work together", "Plan together")
ROSTER = (
    "Lena", "Omar", "Priya", "Tomas", "Grace", "Yusuf",
    "Hub Trust", "Food Bank", "Carers Circle", "Arts Hall", "Youth Club",
    "Council", "Library", "Clinic", "Bakery", "Printer", "Quiet Org", "Lone Org",
)  # fmt: skip
LEVELLED = {
    "Lena": {"Omar": 4, "Priya": 3, "Hub Trust": 2},
    "Omar": {"Lena": 4, "Tomas": 3, "Hub Trust": 3},
    "Priya": {"Lena": 2, "Grace": 1},
    "Tomas": {"Omar": 2, "Grace": 3},
    "Grace": {"Tomas": 3, "Priya": 1, "Food Bank": 1},
    "Yusuf": {},
    "Hub Trust": {
        "Lena": 2,
        "Omar": 2,
        "Food Bank": 4,
        "Carers Circle": 4,
        "Council": 3,
        "Bakery": 2,
    },  # fmt: skip
    "Food Bank": {"Hub Trust": 4, "Carers Circle": 3, "Arts Hall": 2, "Grace": 2},
    "Carers Circle": {"Hub Trust": 3, "Food Bank": 3, "Clinic": 2},
    "Arts Hall": {"Youth Club": 4, "Library": 1},
    "Youth Club": {"Arts Hall": 3, "Quiet Org": 1},
    "Council": {"Hub Trust": 3, "Library": 4, "Clinic": 2},
    "Library": {"Council": 4, "Arts Hall": 1},
    "Clinic": {"Council": 2, "Clinic": 3},
    "Bakery": {"Printer": 4, "Hub Trust": 1},
    "Printer": {"Bakery": 3, "Quiet Org": 2, "Visitor Ltd": 2},
}
ANSWERED_GROUP = {
    **dict.fromkeys(("Lena", "Omar", "Priya", "Tomas", "Grace", "Yusuf"), "Lived experience"),
    **dict.fromkeys(("Hub Trust", "Food Bank", "Carers Circle", "Arts Hall"), "Charity"),
    **dict.fromkeys(("Council", "Library", "Clinic"), "Public body"),
    **dict.fromkeys(("Bakery", "Printer"), "Business"),
}  # Youth Club left it blank; Quiet Org and Lone Org did not answer
# R is given the pooled groups (reference_network2.R): relimpact's formulas are checked
# against it with those labels, and the true groups are checked against networkx.
R_GROUP = {
    m: "Pooled" if g in ("Public body", "Business") else g for m, g in ANSWERED_GROUP.items()
}
CONVENORS = ("Hub Trust",)
MIN_GROUP = 4


def undirected_ties() -> list[tuple[str, str]]:
    on = set(ROSTER)
    pairs = {
        tuple(sorted((a, b)))
        for a, named in LEVELLED.items()
        for b in named
        if a in on and b in on and a != b
    }
    return sorted(pairs)  # type: ignore[arg-type]


def test_weighted_density_and_strength_match_r() -> None:
    ts = tie_strength(ROSTER, LEVELS, LEVELLED, lambda n: network_stats(ROSTER, n, CONVENORS))
    assert list(ts.counts) == R["strength"]  # R: 7, 12, 12, 9
    assert ts.weighted_density == pytest.approx(R["weighted_density"][0], abs=1e-12)
    # by hand: ranks sum 7*1 + 12*2 + 12*3 + 9*4 = 103; 103 / (4 * 18 * 17)
    assert ts.weighted_density == pytest.approx(103 / (4 * 18 * 17), abs=1e-15)
    for level, stats in enumerate(ts.at_least, start=1):
        ties, density, reciprocity, components, isolates = R[f"at_least_{level}"]
        assert (stats.ties, stats.components, stats.isolates) == (ties, components, isolates)
        assert stats.density == pytest.approx(density, abs=1e-12)
        assert stats.reciprocity == pytest.approx(reciprocity, abs=1e-12)
    # at the lowest level the figures are every tie's
    everyone = network_stats(ROSTER, {w: list(n) for w, n in LEVELLED.items()}, CONVENORS)
    assert ts.at_least[0] == everyone
    data = ts.to_dict()
    assert data["strength"] == dict(zip(LEVELS, (7, 12, 12, 9), strict=True))
    assert set(data["at_least"]) == set(LEVELS)
    assert "Of the 40 links named, 7 at" in strength_words(ts)


def test_every_tie_at_the_top_level_makes_weighted_density_the_density() -> None:
    abc = ("A", "B", "C")
    answers = {"A": {"B": 4}, "B": {"A": 4, "C": 4}}
    ts = tie_strength(abc, LEVELS, answers, lambda n: network_stats(abc, n))
    assert ts.weighted_density == ts.at_least[0].density == 3 / 6


def test_strength_words_for_one_link_and_one_piece() -> None:
    # "Of the 1 links named" and "the network is in 1 separate group" read badly
    ab = ("A", "B")
    ts = tie_strength(ab, LEVELS, {"A": {"B": 4}}, lambda n: network_stats(ab, n))
    assert strength_words(ts) == (
        "Of the one link named, 0 at \u201cAware of each other\u201d, 0 at \u201cShare "
        "information\u201d, 0 at \u201cWork together\u201d, 1 at \u201cPlan together\u201d. "
        "Counting only links at \u201cPlan together\u201d, the network is in one piece, and "
        "0 members have no link that close."
    )


def test_pooling_follows_the_segment_rule() -> None:
    pooled = pooled_groups(ANSWERED_GROUP, ROSTER, MIN_GROUP)
    # Public body (3) and Business (2) are under 4: pooled together (5), never alone
    assert {m for m, g in pooled.items() if g == POOLED} == {
        "Council", "Library", "Clinic", "Bakery", "Printer",
    }  # fmt: skip
    assert "Youth Club" not in pooled and "Quiet Org" not in pooled
    # one small group alone would be recoverable: the smallest shown group joins it
    alone = pooled_groups({**ANSWERED_GROUP, "Bakery": "Charity", "Printer": "Charity"},
                          ROSTER, MIN_GROUP)  # fmt: skip
    assert {g for g in alone.values()} == {"Lived experience", POOLED}


def test_ei_index_and_assortativity_match_r() -> None:
    mx = mixing("kind", "What kind of member are you?", ROSTER, undirected_ties(),
                R_GROUP, min_group_size=MIN_GROUP, seed=7)  # fmt: skip
    ties, external, internal = R["mixing_ties"]
    assert (mx.ties, mx.external, mx.internal) == (ties, external, internal)
    assert mx.ei == pytest.approx(R["ei_index"][0], abs=1e-12)  # (7 - 12) / 19
    assert mx.assortativity == pytest.approx(R["assortativity_nominal"][0], abs=1e-12)
    assert mx.members == 15 and mx.pooled == 0
    by = {g.group: g for g in mx.groups}
    for name in ("Lived experience", "Charity", "Pooled"):
        e_g, i_g, ei = R[f"group_{name.replace(' ', '_')}"]
        assert (by[name].external, by[name].internal) == (e_g, i_g)
        assert by[name].ei == pytest.approx(ei, abs=1e-12)
    assert [g.group for g in mx.groups] == ["Lived experience", "Pooled", "Charity"]


def _networkx_mixing(ties: list[tuple[str, str]]) -> tuple[int, int, float]:
    """External and internal ties and the assortativity, by networkx on the true groups."""
    import networkx as nx

    groups = ANSWERED_GROUP
    graph = nx.Graph()
    graph.add_nodes_from((m, {"group": groups[m]}) for m in ROSTER if m in groups)
    graph.add_edges_from((a, b) for a, b in ties if a in groups and b in groups)
    internal = sum(groups[a] == groups[b] for a, b in graph.edges)
    external = graph.number_of_edges() - internal
    return external, internal, nx.attribute_assortativity_coefficient(graph, "group")


def test_links_among_pooled_members_are_left_out_of_the_network_wide_figures() -> None:
    # Council, Library, Clinic (Public body) and Bakery, Printer (Business) are pooled.
    # Whether a link among them is within a group or across two small ones is what the
    # pooling hides: counted as within (as before), a Council-Bakery link made the index
    # say less mixing than there is; judged on the true groups, the figures would tell how
    # linked a small group is inside. So such links are left out, and every other link
    # is judged on the shown groups, which is the truth for it.
    ties = [*undirected_ties(), ("Bakery", "Council"), ("Clinic", "Printer")]
    mx = mixing("kind", "Kind?", ROSTER, ties, ANSWERED_GROUP, min_group_size=MIN_GROUP, seed=7)
    pooled = {"Council", "Library", "Clinic", "Bakery", "Printer"}
    known = [
        (a, b)
        for a, b in {tuple(sorted(t)) for t in ties}
        if a in ANSWERED_GROUP and b in ANSWERED_GROUP and a != b
    ]
    kept = [(a, b) for a, b in known if not (a in pooled and b in pooled)]
    within = sum(a not in pooled and ANSWERED_GROUP[a] == ANSWERED_GROUP[b] for a, b in kept)
    assert (mx.ties, mx.left_out) == (len(known), len(known) - len(kept)) == (21, 5)
    assert (mx.internal, mx.external) == (within, len(kept) - within) == (9, 7)
    assert mx.ei == pytest.approx((7 - 9) / 16, abs=1e-12)
    # the figures that would tell the small groups' sizes or inner links are not given
    assert mx.expected is None and mx.assortativity is None
    assert mx.chance is not None and mx.to_dict()["ties_left_out"] == 5
    # the pooled group's own figure is the smaller groups' as one, as before
    group = mx.groups[-1]
    assert (group.group, group.internal, group.external, group.members) == (POOLED, 5, 4, 5)
    assert "Public body" not in " ".join(mixing_words(mx))
    # without pooling nothing is left out, and the JSON has no ties_left_out
    plain = mixing("kind", "Kind?", ROSTER, ties, R_GROUP, min_group_size=MIN_GROUP, seed=7)
    assert plain.left_out == 0 and "ties_left_out" not in plain.to_dict()


def test_a_link_between_two_small_groups_is_not_taken_for_one_within_a_group() -> None:
    # The adversary's case: groups of 5, 2 and 3 with min_group_size 5; every link is
    # between two different groups, yet pooling the 2 and the 3 made six of the eight
    # look internal (E-I -0.5, "fewer than chance"). The six are left out now.
    roster = [f"Org {c}" for c in "ABCDEFGHIJ"]
    kind = dict(zip(roster, "AAAAABBCCC", strict=True))
    ties = [(b, c) for b in ("Org F", "Org G") for c in ("Org H", "Org I", "Org J")]
    ties += [("Org A", "Org F"), ("Org B", "Org H")]
    mx = mixing("kind", "Kind", roster, ties, kind, min_group_size=5, seed=3)
    assert (mx.ties, mx.left_out, mx.external, mx.internal, mx.ei) == (8, 6, 2, 0, 1.0)
    assert mx.verdict != "fewer"
    assert mixing_words(mx)[0].startswith(
        'By "Kind": 100% of links (leaving out the 6 between members of the smaller groups, '
        "which are pooled) join members of different groups"
    )
    by = {g.group: g for g in mx.groups}
    assert set(by) == {"A", POOLED}
    assert (by[POOLED].internal, by[POOLED].external) == (6, 2)


def test_the_chance_interval_is_centred_on_the_closed_form_and_seeded() -> None:
    args = ("kind", "Kind?", ROSTER, undirected_ties(), R_GROUP)
    mx = mixing(*args, min_group_size=MIN_GROUP, seed=7, permutations=4000)
    assert mx.expected == pytest.approx(R["ei_expected"][0], abs=1e-12)
    assert mx.chance is not None and mx.chance[0] < mx.expected < mx.chance[1]
    # The observed -0.26 is far below chance (0.41): fewer links across groups
    assert mx.ei < mx.chance[0] and mx.verdict == "fewer" and mx.p < 0.01
    again = mixing(*args, min_group_size=MIN_GROUP, seed=7, permutations=4000)
    assert again == mx
    other = mixing(*args, min_group_size=MIN_GROUP, seed=8, permutations=4000)
    assert other.shuffled_mean != mx.shuffled_mean and other.ei == mx.ei
    # the shuffles' mean is the closed form, within sampling error (sd about 0.2 here, so
    # 20,000 shuffles give a standard error near 0.0015)
    many = mixing(*args, min_group_size=MIN_GROUP, seed=1, permutations=20000)
    assert many.shuffled_mean is not None and many.expected is not None
    assert abs(many.shuffled_mean - many.expected) < 0.01


def test_mixing_in_words() -> None:
    mx = mixing("kind", "What kind of member are you?", ROSTER, undirected_ties(),
                ANSWERED_GROUP, min_group_size=MIN_GROUP, seed=7)  # fmt: skip
    funder = mixing_words(mx, "funder")
    assert funder[0].startswith(
        'By "What kind of member are you": 44% of links (leaving out the 3 between members '
        "of the smaller groups, which are pooled) join members of different groups, and "
        "links across groups are fewer than chance would give (E-I index -0.12; by chance "
        "between"
    )
    assert any(
        line.startswith(
            'Links between members in "Lived experience" and others are fewer '
            "than chance would give (E-I -0.25"
        )  # fmt: skip
        for line in funder
    )
    members = mixing_words(mx, "members")
    assert "E-I" not in " ".join(members) and "fewer than chance" in members[0]
    # Public body and Business are never named: they are pooled
    assert "Public body" not in " ".join(funder + members)


def test_mixing_cannot_be_measured_with_one_group() -> None:
    one = dict.fromkeys(ROSTER[:6], "Charity")
    mx = mixing("kind", "Kind?", ROSTER, undirected_ties(), one, min_group_size=MIN_GROUP)
    assert mx.ei is None and mx.assortativity is None and mx.chance is None
    assert mixing_words(mx) == (
        'By "Kind": mixing across groups cannot be measured, because all the members who '
        "answered are in one group.",
    )
    # one small group: saying that everyone is in it would tell what the table hides
    small = dict.fromkeys(ROSTER[:3], "Charity")
    mx = mixing("kind", "Kind?", ROSTER, undirected_ties(), small, min_group_size=MIN_GROUP)
    assert mx.ei is None and mixing_words(mx) == (
        'By "Kind": mixing across groups cannot be measured, because too few members '
        "answered it to compare groups.",
    )


def test_every_group_pooled_leaves_every_link_out_and_names_none() -> None:
    few = {m: "Charity" for m in ROSTER[:3]} | {m: "Business" for m in ROSTER[3:5]}
    mx = mixing("kind", "Kind?", ROSTER, undirected_ties(), few, min_group_size=MIN_GROUP)
    links = [(a, b) for a, b in undirected_ties() if a in few and b in few and a != b]
    assert links and mx.left_out == len(links) and mx.ei is None and mx.chance is None
    assert [g.group for g in mx.groups] == [POOLED] and mx.groups[0].ei is None
    assert mixing_words(mx) == (
        'By "Kind": mixing across groups cannot be measured, because every link is between '
        "members of the smaller groups, which are pooled.",
    )


def test_the_small_formulas() -> None:
    assert ei_index(3, 1) == 0.5 and ei_index(0, 0) is None
    # two groups, every tie within: perfectly assortative; every tie across: -1
    assert assortativity_nominal([(0, 1), (2, 3)], [0, 0, 1, 1], 2) == pytest.approx(1.0)
    assert assortativity_nominal([(0, 2), (1, 3)], [0, 0, 1, 1], 2) == pytest.approx(-1.0)
    assert assortativity_nominal([(0, 1)], [0, 0], 1) is None


def test_betweenness_and_routes_through_the_top_match_r() -> None:
    b = brokers(ROSTER, undirected_ties())
    for m, expected in zip(ROSTER, R["betweenness"], strict=True):
        assert b.betweenness[m] == pytest.approx(expected, abs=1e-12), m
    assert b.top == ("Hub Trust", "Food Bank")  # ceil(18 / 10) = 2, no tie at the cut
    assert b.target == 2
    assert b.paths_through_top == pytest.approx(R["paths_through_top"][0], abs=1e-12)
    assert b.connected_pairs == R["connected_pairs"][0]
    assert b.ties_touching_top == pytest.approx(R["ties_touching_top"][0], abs=1e-12)
    assert b.named(["Food Bank"]) == (None, "Food Bank")
    words = brokers_words(b, b.named(["Food Bank"]))
    assert words.startswith(
        "The 2 members who most often link others (the top 10%), Food Bank and 1 member "
        "not named, lie on 66% of the shortest routes"
    )
    assert "Hub Trust" not in words
    assert "Hub Trust" not in brokers_words(b) and "Food Bank" not in brokers_words(b)


def test_one_broker_is_the_member_who_links_others_in_the_singular() -> None:
    # a path A-B-C-D-E: one broker, C; "The 1 member who most often link others" read badly
    path = brokers("ABCDE", [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")])
    assert brokers_words(path) == (
        "The member who most often links others (the top 10%) lies on 67% of the shortest "
        "routes between the other members. 50% of all links have this member at one end. "
        "If this member stepped back, many members would lose their quickest way to each other."
    )
    assert brokers_words(path, path.named(["C"]), "members").startswith(
        "The member who most often links others (the top 10%), C, lies on 67% of"
    )


def test_ties_at_the_cut_join_the_top_and_nobody_brokers_a_clique() -> None:
    # a path A-B-C-D-E: B, C, D lie between others; n = 5 -> 1 broker, C (the middle)
    path = brokers("ABCDE", [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")])
    assert path.top == ("C",)
    # by hand: other pairs {A,B,D,E}: connected 6 pairs; through C: A-D, A-E, B-D, B-E
    assert path.paths_through_top == pytest.approx(4 / 6)
    # a 4-cycle: every member tied at the top, so the set is everyone
    square = brokers("ABCD", [("A", "B"), ("B", "C"), ("C", "D"), ("D", "A")])
    assert len(square.top) == 4 and square.target == 1  # all tied at 1/6
    assert square.paths_through_top is None  # nobody is left outside the top
    assert "with ties at the cut" in brokers_words(square)
    clique = brokers("ABC", [("A", "B"), ("B", "C"), ("A", "C")])
    assert clique.top == () and clique.paths_through_top is None
    assert brokers_words(clique).startswith("No member lies on the routes")
    # betweenness by hand on the path: B lies on 3 of the 6 pairs of the others, C on 4
    assert path.betweenness["B"] == pytest.approx(3 / 6) and path.betweenness["C"] == 4 / 6
    assert math.isclose(path.betweenness["A"], 0.0)
