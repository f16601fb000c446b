"""Exporting the network map: GEXF, GraphML and Kumu JSON, pseudonymised by default.

The files are read back with networkx (GEXF 1.3 and GraphML) and the Kumu file is checked
against the shape Kumu documents for its JSON import (docs.kumu.io, "JSON / Blueprints":
``{"elements": [{"label", ...}], "connections": [{"from", "to", "direction", ...}]}``,
ids unique across elements and connections, connections naming elements by id).
"""

from __future__ import annotations

import html
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from relimpact.net.export import (
    NOT_KNOWN,
    OTHER,
    Segment,
    build_export,
    export_from_responses,
    pseudonym_order,
    shown_values,
    to_gexf,
    to_graphml,
    to_kumu,
)
from relimpact.read.reading import read_responses
from relimpact.survey.load import load_survey

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "surveys" / "network-map.yaml"
EXAMPLES = ROOT / "surveys" / "examples"
W2024 = EXAMPLES / "network-map-2024.csv"
W2025 = EXAMPLES / "network-map-baseline.csv"
W2026 = EXAMPLES / "network-map-responses.csv"

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
TOKENS = (
    "Loomworks", "Hollowbrook", "Smith", "Ashgrove", "Lantern", "Tanner", "Harbourside",
    "Okafor", "Weavers", "Northfold", "Bramble", "Copperleaf", "Riverside Library",
)  # fmt: skip
# Said yes to being named on the map in 2026 (scripts/make_network_example.py NAME_OK).
AGREED = {
    "Loomworks Network Team",
    "Hollowbrook Neighbours Together",
    "Ashgrove Food Share",
    "The Weavers' Table",
    "Bramble Hill Allotment, Kitchen and Café",
}
# The 2026 nominations, as in scripts/make_network_example.py (CURRENT), on the roster.
CURRENT = {
    "Hollowbrook Neighbours Together": {
        "Loomworks Network Team", "Ashgrove Food Share", "Lantern Street Youth Project",
        "The Weavers' Table",
    },
    "Loomworks Network Team": {
        "Hollowbrook Neighbours Together", "Smith, Jones & Co", "Ashgrove Food Share",
        "Harbourside Carers' Circle", "Northfold Lived Experience Panel",
        "Bramble Hill Allotment, Kitchen and Café", "Copperleaf Arts",
    },
    "Ashgrove Food Share": {
        "Loomworks Network Team", "Hollowbrook Neighbours Together",
        "Tanner's Yard Shed Collective", "Bramble Hill Allotment, Kitchen and Café",
    },
    "Lantern Street Youth Project": {
        "Loomworks Network Team", "Hollowbrook Neighbours Together", "Copperleaf Arts",
    },
    "Harbourside Carers' Circle": {"Loomworks Network Team", "Northfold Lived Experience Panel"},
    "Okafor, Reid and Partners": {"Smith, Jones & Co"},
    "The Weavers' Table": {"Hollowbrook Neighbours Together", "Tanner's Yard Shed Collective"},
    "Northfold Lived Experience Panel": {"Loomworks Network Team", "Harbourside Carers' Circle"},
    "Bramble Hill Allotment, Kitchen and Café": {"Loomworks Network Team", "Ashgrove Food Share"},
    "Copperleaf Arts": {"Loomworks Network Team", "Lantern Street Youth Project"},
}  # fmt: skip
CURRENT_TIES = {(a, b) for a, named in CURRENT.items() for b in named}


@pytest.fixture(scope="module")
def waves():
    survey = load_survey(SURVEY)
    return survey, [
        ("2024", read_responses(survey, [W2024], baseline=True)),
        ("2025", read_responses(survey, [W2025], baseline=True)),
        ("2026", read_responses(survey, [W2026])),
    ]


def _by_label(export):
    """Roster name -> node id, through the shown names (only for a --show-names export)."""
    return {n.label: n.id for n in export.nodes}


# --------------------------------------------------------------------------- pseudonyms


def test_pseudonyms_are_not_the_roster_order_and_are_stable():
    key_a, key_b = b"a" * 32, b"b" * 32
    order = pseudonym_order(ROSTER, key_a)
    assert sorted(order) == sorted(ROSTER)
    assert order == pseudonym_order(list(reversed(ROSTER)), key_a)  # not the input's order
    assert order != list(ROSTER)
    assert order != pseudonym_order(ROSTER, key_b)


def test_one_member_keeps_one_pseudonym_across_waves():
    roster = ("A", "B", "C")
    export = build_export(
        roster,
        [("1", {"A": ["B"]}), ("2", {"A": ["B"], "C": ["A"]})],
        key=b"k",
    )
    assert [n.label for n in export.nodes] == ["Member 1", "Member 2", "Member 3"]
    assert [n.id for n in export.nodes] == ["m1", "m2", "m3"]
    ids = {e.source + ">" + e.target: e.waves for e in export.edges}
    assert sorted(ids.values()) == [(False, True), (True, True)]


def test_description_agrees_with_how_many_are_named():
    # "1 member(s) who agreed to be named are named" had the verb in the plural
    waves = [("2026", {"A": ["B"], "B": ["C"]})]
    one = build_export(("A", "B", "C"), waves, key=b"k", names={"A": "A"})
    assert "1 member who agreed to be named is named; the others are pseudonyms" in to_gexf(one)
    two = build_export(("A", "B", "C"), waves, key=b"k", names={"A": "A", "B": "B"})
    assert "2 members who agreed to be named are named; the others" in to_graphml(two)


def test_bundled_example_pseudonymised_everywhere(waves):
    survey, ws = waves
    for fmt in ("gexf", "graphml", "kumu"):
        text, export = export_from_responses(survey, ws, fmt)
        assert export.named == 0
        plain = html.unescape(text)
        for token in TOKENS:
            assert token not in plain, (fmt, token)
        order = [n.label for n in export.nodes]
        assert order == [f"Member {i}" for i in range(1, 13)]


def test_names_only_with_show_names_and_consent(waves):
    survey, ws = waves
    text, export = export_from_responses(survey, ws, "kumu", show_names=True)
    labels = {e["label"] for e in json.loads(text)["elements"]}
    assert labels >= AGREED
    assert not (set(ROSTER) - AGREED) & labels
    assert export.named == len(AGREED)
    plain = html.unescape(text)
    for name in set(ROSTER) - AGREED:
        assert name not in plain


def test_same_files_same_bytes(waves):
    survey, ws = waves
    for fmt in ("gexf", "graphml", "kumu"):
        assert (
            export_from_responses(survey, ws, fmt)[0] == export_from_responses(survey, ws, fmt)[0]
        )


# --------------------------------------------------------------------------- suppression


def test_small_groups_are_other_with_complementary_suppression():
    members = [f"p{i}" for i in range(14)]
    answers = {m: "Big" for m in members[:8]}
    answers.update({m: "Mid" for m in members[8:13]})  # 5: shown alone, but ...
    answers[members[13]] = "Tiny"  # 1: hidden, so the next smallest (Mid) is hidden too
    values = shown_values(members, Segment("kind", "Kind", answers), 5)
    assert {values[m] for m in members[:8]} == {"Big"}
    assert {values[m] for m in members[8:]} == {OTHER}
    answers.pop(members[0])
    values = shown_values(members, Segment("kind", "Kind", answers), 5)
    assert values[members[0]] == NOT_KNOWN


def test_groups_hidden_in_the_segment_table_are_other():
    members = [f"p{i}" for i in range(20)]
    answers = {m: ("A" if i < 10 else "B" if i < 15 else "C") for i, m in enumerate(members)}
    values = shown_values(members, Segment("k", "K", answers, frozenset({"C"})), 5)
    assert values[members[0]] == "A"
    assert {values[m] for m in members[10:]} == {OTHER}  # C forced; B the complement


def test_every_written_group_has_min_group_size_members(waves):
    survey, ws = waves
    _, export = export_from_responses(survey, ws, "gexf")
    counts: dict[str, int] = {}
    for n in export.nodes:
        counts[n.attributes[0]] = counts.get(n.attributes[0], 0) + 1
    for value, count in counts.items():
        if value not in (OTHER, NOT_KNOWN):
            assert count >= survey.min_group_size, (value, count)
    assert counts.get("Business", 0) == 0  # 2 members: never written


# --------------------------------------------------------------------------- GEXF


def test_gexf_one_wave_reads_back_with_networkx(waves):
    survey, ws = waves
    text, export = export_from_responses(survey, ws[-1:], "gexf", show_names=True)
    root = ET.fromstring(text.encode())
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    g = nx.read_gexf(_tmp(text, "gexf"))
    assert g.is_directed() and g.number_of_nodes() == 12
    name = {n: d["label"] for n, d in g.nodes(data=True)}
    assert g.number_of_edges() == len(CURRENT_TIES)
    # The named members' ties are exactly theirs.
    named_edges = {
        (name[a], name[b]) for a, b in g.edges() if name[a] in AGREED and name[b] in AGREED
    }
    assert named_edges == {(a, b) for a, b in CURRENT_TIES if a in AGREED and b in AGREED}
    convenor = [name[n] for n, d in g.nodes(data=True) if d["Convenor"]]
    assert convenor == ["Loomworks Network Team"]
    for a, b, d in g.edges(data=True):
        assert d["Named each other"] == g.has_edge(b, a)


def test_gexf_waves_are_time_spans(waves):
    survey, ws = waves
    text, export = export_from_responses(survey, ws, "gexf", show_names=True)
    g = nx.read_gexf(_tmp(text, "gexf"))
    assert g.graph["mode"] == "dynamic"
    assert (g.graph["start"], g.graph["end"]) == ("2024", "2026")
    name = {n: d["label"] for n, d in g.nodes(data=True)}
    loom, hollow = "Loomworks Network Team", "Hollowbrook Neighbours Together"
    ids = {v: k for k, v in name.items()}
    # Loomworks named Hollowbrook in every wave: one span over all three.
    assert g.edges[ids[loom], ids[hollow]]["spells"] == [(2024, 2026)]
    # Hollowbrook named Ashgrove only in 2025 and 2026; The Weavers' Table only in 2026.
    assert g.edges[ids[hollow], ids["Ashgrove Food Share"]]["spells"] == [(2025, 2026)]
    assert g.edges[ids[hollow], ids["The Weavers' Table"]]["spells"] == [(2026, 2026)]
    flags = g.nodes[ids["The Weavers' Table"]]["Answered the survey"]
    assert {start: value for value, start, _ in flags} == {2024: False, 2025: False, 2026: True}
    # Each directed tie of the latest wave has a spell ending in 2026.
    latest = {(name[a], name[b]) for a, b, d in g.edges(data=True) if d["spells"][-1][1] == 2026}
    assert {(a, b) for a, b in latest if a in AGREED and b in AGREED} == {
        (a, b) for a, b in CURRENT_TIES if a in AGREED and b in AGREED
    }


def test_gexf_labels_that_are_not_years_are_wave_numbers():
    export = build_export(
        ("A", "B"), [("spring", {"A": ["B"]}), ("autumn", {"A": ["B"]})], key=b"k"
    )
    assert export.times == (1, 2)
    g = nx.read_gexf(_tmp(to_gexf(export), "gexf"))
    assert [d["spells"] for _, _, d in g.edges(data=True)] == [[(1, 2)]]
    assert "spring, autumn" in to_gexf(export)


def test_hostile_names_and_values_stay_well_formed_xml():
    roster = ('<b>&"Quote\'s"</b>', "Tab\tand\x07bell", "]]> end")
    seg = Segment("k<ind", 'Kind "of" <member>', {m: "A&B <x>" for m in roster})
    export = build_export(
        roster,
        [("2024", {roster[0]: [roster[1]]}), ("2025", {roster[1]: [roster[2]]})],
        key=b"k",
        segments=[seg],
        min_group_size=3,
        names={m: m for m in roster},
    )
    for text in (to_gexf(export), to_graphml(export)):
        ET.fromstring(text.encode())
    g = nx.read_gexf(_tmp(to_gexf(export), "gexf"))
    assert {d["label"] for _, d in g.nodes(data=True)} == {roster[0], "Tab\tandbell", roster[2]}
    g2 = nx.read_graphml(_tmp(to_graphml(export), "graphml"))
    assert {d["k<ind"] for _, d in g2.nodes(data=True)} == {"A&B <x>"}
    json.loads(to_kumu(export))


# --------------------------------------------------------------------------- GraphML


def test_graphml_reads_back_with_networkx(waves):
    survey, ws = waves
    text, export = export_from_responses(survey, ws, "graphml", show_names=True)
    g = nx.read_graphml(_tmp(text, "graphml"))
    assert g.is_directed() and g.number_of_nodes() == 12
    name = {n: d["label"] for n, d in g.nodes(data=True)}
    now = {(name[a], name[b]) for a, b, d in g.edges(data=True) if d["in 2026"]}
    named = {(a, b) for a, b in now if a in AGREED and b in AGREED}
    assert named == {(a, b) for a, b in CURRENT_TIES if a in AGREED and b in AGREED}
    assert len(now) == len(CURRENT_TIES)
    weavers = next(d for _, d in g.nodes(data=True) if d["label"] == "The Weavers' Table")
    assert (weavers["answered 2024"], weavers["answered 2025"], weavers["answered 2026"]) == (
        False, False, True,
    )  # fmt: skip
    assert weavers["kind"] == "Community group"
    assert all(d["kind"] in ("Community group", OTHER, NOT_KNOWN) for _, d in g.nodes(data=True))


# --------------------------------------------------------------------------- Kumu


def test_kumu_matches_its_documented_json_shape(waves):
    survey, ws = waves
    text, export = export_from_responses(survey, ws, "kumu", show_names=True)
    data = json.loads(text)
    assert set(data) == {"elements", "connections"}
    ids = [e["id"] for e in data["elements"]] + [c["id"] for c in data["connections"]]
    assert len(ids) == len(set(ids))  # "ids must be unique across elements and connections"
    elements = {e["id"]: e for e in data["elements"]}
    for e in data["elements"]:
        assert isinstance(e["label"], str) and e["label"]
        assert e["type"] in ("Member", "Convenor")
    label = {i: e["label"] for i, e in elements.items()}
    pairs = set()
    for c in data["connections"]:
        assert c["from"] in elements and c["to"] in elements and c["from"] != c["to"]
        assert c["direction"] in ("directed", "mutual")  # Kumu: undirected, directed, mutual
        assert set(c["tags"]) <= {"2024", "2025", "2026"}
        pair = frozenset((c["from"], c["to"]))
        assert pair not in pairs  # one connection per pair of members
        pairs.add(pair)
    latest = [c for c in data["connections"] if "2026" in c["tags"]]
    assert len(latest) == len({frozenset(t) for t in CURRENT_TIES})
    loom = next(c for c in latest if {label[c["from"]], label[c["to"]]} == {
        "Loomworks Network Team", "Hollowbrook Neighbours Together"})  # fmt: skip
    assert loom["direction"] == "mutual" and loom["tags"] == ["2024", "2025", "2026"]
    okafor = [c for c in latest if c["direction"] == "directed"]
    assert all(
        (label[c["from"]], label[c["to"]]) in CURRENT_TIES
        for c in okafor
        if label[c["from"]] in AGREED and label[c["to"]] in AGREED
    )


def test_kumu_one_wave_has_no_tags(waves):
    survey, ws = waves
    data = json.loads(export_from_responses(survey, ws[-1:], "kumu")[0])
    assert all("tags" not in c for c in data["connections"])
    assert {e["Answered"] for e in data["elements"]} == {"yes", "no"}


# --------------------------------------------------------------------------- the command


def test_cli_writes_each_format(tmp_path, cli):
    for fmt, suffix in (("gexf", "gexf"), ("graphml", "graphml"), ("kumu", "json")):
        out = tmp_path / f"map.{suffix}"
        r = cli(
            "network", SURVEY, W2026, "--wave", f"2024={W2024}", "--baseline", W2025,
            "--to", fmt, "-o", out,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        assert "12 members (pseudonyms)" in r.stderr and "3 wave(s)" in r.stderr
        text = out.read_text(encoding="utf-8")
        for token in TOKENS:
            assert token not in html.unescape(text), (fmt, token)
        assert "2024" in text and "2025" in text and "2026" in text


def test_cli_refusals(tmp_path, cli):
    r = cli("network", SURVEY, W2026, "--to", "pajek")
    assert r.returncode == 2 and "'pajek' is not one of: gexf, graphml, kumu" in r.stderr
    health = ROOT / "surveys" / "network-health.yaml"
    r = cli("network", health, EXAMPLES / "network-health-responses.csv", "--to", "gexf")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Error: survey 'network-health' has no network map" in r.stderr
    out = tmp_path / "x.gexf"
    r = cli(
        "network", SURVEY, W2026, "--wave", f"2026={W2025}", "--label", "2026", "--to", "gexf",
        "-o", out,
    )  # fmt: skip
    assert r.returncode == 1 and "two waves are labelled '2026'" in r.stderr
    assert not out.exists()
    r = cli("network", SURVEY, W2024, "--wave", f"2025={W2025}", "--to", "gexf", "-o", out)
    assert r.returncode == 1 and "the waves are not in time order" in r.stderr
    assert not out.exists()


def _tmp(text: str, suffix: str) -> io.BytesIO:
    """The file's bytes, as networkx's readers take an open file."""
    return io.BytesIO(text.encode("utf-8"))
