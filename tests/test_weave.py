"""relimpact weave: introductions between members who share a connection but are not linked.

On the bundled example, every suggested pair is checked against the raw answers: untied
(neither named the other), sharing a connection, and both having said yes to being named.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from relimpact import load_survey, read_responses
from relimpact.net.weave import render, weave, weave_responses

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "surveys" / "network-map.yaml"
RESPONSES = ROOT / "surveys" / "examples" / "network-map-responses.csv"


@pytest.fixture(scope="module")
def example():
    responses = read_responses(load_survey(SURVEY), [RESPONSES])
    return responses, weave_responses(responses)


def _raw(responses):
    """Who named whom and who agreed to be named, straight from the answers."""
    who = responses.member["which_member"]
    named = dict(zip(who, responses.connections["worked_with"], strict=True))
    agreed = {m for m, ok in zip(who, responses.consent["name_ok"].tolist(), strict=True) if ok}
    roster = set(responses.survey.network_map.members)
    neighbours = {m: set() for m in roster}
    for a, others in named.items():
        for b in others:
            if a != b:
                neighbours[a].add(b)
                neighbours[b].add(a)
    return named, agreed, neighbours


def test_every_pair_on_the_bundled_example_is_untied_shares_a_link_and_agreed(example) -> None:
    responses, result = example
    named, agreed, neighbours = _raw(responses)
    convenors = set(responses.survey.network_map.convenors)
    assert result.introductions, "the example should give some introductions"
    for i in result.introductions:
        a, b = i.first, i.second
        assert a in agreed and b in agreed, (a, b)
        assert a not in convenors and b not in convenors
        assert b not in named.get(a, ()) and a not in named.get(b, ()), (a, b)
        shared = neighbours[a] & neighbours[b]
        assert shared and i.shared == len(shared), (a, b)
        for m in i.shared_named:  # names in the reason only for members who agreed
            assert m in agreed
        for m in shared - agreed:
            assert m not in i.reason
    # every qualifying pair is counted, and nobody who did not agree appears anywhere
    text = render(result, "md") + render(result, "csv") + render(result, "json")
    for m in set(responses.survey.network_map.members) - agreed:
        assert m not in text, m


def test_the_pairs_are_all_the_closing_triangles_among_those_who_agreed(example) -> None:
    responses, result = example
    _, agreed, neighbours = _raw(responses)
    convenors = set(responses.survey.network_map.convenors)
    ok = sorted(agreed - convenors)
    expected = {
        frozenset((a, b))
        for i, a in enumerate(ok)
        for b in ok[i + 1 :]
        if b not in neighbours[a] and neighbours[a] & neighbours[b]
    }
    assert result.candidates == len(expected)
    assert {frozenset((i.first, i.second)) for i in result.introductions} == expected


def _line_ties(*pairs: str) -> list[tuple[str, str]]:
    return [(p[0], p[1]) for p in pairs]


def test_order_across_groups_then_the_edge_then_shared() -> None:
    # A and B share C; A and D share C; E (one tie) and F share G
    ties = _line_ties("AC", "BC", "DC", "EG", "FG", "FH", "FI", "AH", "BH")
    groups = [("Kind?", {"A": "x", "B": "x", "D": "y"})]
    w = weave("ABCDEFGHI", ties, "ABDEF", groups=groups)
    pairs = [(i.first, i.second) for i in w.introductions]
    assert pairs[0] == ("A", "D")  # across groups first
    assert pairs[1] == ("B", "D")
    assert pairs[2] == ("E", "F")  # E has one link: on the edge
    assert pairs[3] == ("A", "B")
    assert "different groups by \u201cKind\u201d (x; y)" in w.introductions[0].reason
    assert "E has only 1 link" in w.introductions[2].reason
    # reasons name shared connections only when they agreed: C, G, H did not
    assert all("C" not in i.reason.split(";")[0].replace("connection", "") for i in w.introductions)


def test_each_member_at_most_three_times_and_the_limit() -> None:
    hub_ties = [("H", m) for m in "ABCDEFG"]
    w = weave("HABCDEFG", hub_ties, "ABCDEFG", limit=5)
    assert len(w.introductions) == 5 and w.candidates == 21
    counts: dict[str, int] = {}
    for i in w.introductions:
        for m in (i.first, i.second):
            counts[m] = counts.get(m, 0) + 1
    assert max(counts.values()) <= 3
    assert "21 pairs could be introduced; the 5 most useful are listed" in w.message


def test_a_limit_of_one_says_the_most_useful_is_listed() -> None:
    # "the 1 most useful are listed" had the verb in the plural
    w = weave("HABCDEFG", [("H", m) for m in "ABCDEFG"], "ABCDEFG", limit=1)
    assert len(w.introductions) == 1
    assert w.message == (
        "21 pairs could be introduced; the most useful is listed (at most 3 for each member)."
    )


def test_too_few_agreed_gives_an_empty_list_with_a_message() -> None:
    w = weave("ABC", _line_ties("AB", "BC"), ["A"])
    assert w.introductions == () and "only one member" in w.message
    w = weave("ABC", _line_ties("AB", "BC"), ["A", "B"], convenors=["B"])
    assert w.introductions == () and "not counting convenors" in w.message
    w = weave("ABC", _line_ties("AB", "BC", "AC"), ["A", "C"])
    assert w.introductions == () and "already linked" in w.message
    rows = list(csv.reader(io.StringIO(render(w, "csv"))))
    assert rows[0][0] == "member_1" and "already linked" in rows[1][4]
    assert json.loads(render(w, "json"))["introductions"] == []


def test_hostile_names_are_neutralised_in_csv_and_escaped_in_markdown() -> None:
    evil = '=HYPERLINK("http://evil.test")'
    star = "*Bold* [x](http://evil.test)"
    w = weave([evil, star, "Hub"], [(evil, "Hub"), (star, "Hub")], [evil, star])
    rows = list(csv.reader(io.StringIO(render(w, "csv"))))
    assert rows[1][0] == "'" + evil
    md = render(w, "md")
    assert "](http" not in md and "\\*Bold\\*" in md


@pytest.mark.parametrize("suffix", ["csv", "md", "json"])
def test_the_command_writes_each_format(cli, tmp_path, suffix) -> None:
    out = tmp_path / f"intro.{suffix}"
    r = cli("weave", SURVEY, RESPONSES, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "for the convenor only" in r.stderr
    text = out.read_text(encoding="utf-8")
    assert "Hollowbrook Neighbours Together" in text
    again = tmp_path / f"again.{suffix}"
    cli("weave", SURVEY, RESPONSES, "-o", again)
    assert again.read_bytes() == out.read_bytes()


def test_the_command_refuses_a_wrong_suffix_and_a_survey_without_consent(cli, tmp_path) -> None:
    r = cli("weave", SURVEY, RESPONSES, "-o", tmp_path / "intro.txt")
    assert r.returncode == 2 and "name the file .csv, .md or .json" in r.stderr
    assert not (tmp_path / "intro.txt").exists()
    survey = tmp_path / "s.yaml"
    text = SURVEY.read_text(encoding="utf-8")
    assert "    type: consent\n    consent: name\n" in text
    survey.write_text(text.replace("    type: consent\n    consent: name\n", "    type: text\n"))
    r = cli("weave", survey, RESPONSES, "-o", tmp_path / "i.csv")
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("Error:") and "consent: name" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "i.csv").exists()
