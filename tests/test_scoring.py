"""Scoring rules, worked by hand on small inline inputs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from relimpact.common.errors import UsageError
from relimpact.scoring.engine import dimension_scores, score, suppress
from tests.helpers import response_set, small_survey


def test_half_rule():
    # k = 3 items: a score needs ceil(3/2) = 2 answers.
    m = np.array([[5, 4, np.nan], [5, np.nan, np.nan], [1, 2, 3], [np.nan] * 3])
    s = dimension_scores(m)
    assert s[0] == 4.5
    assert np.isnan(s[1])
    assert s[2] == 2.0
    assert np.isnan(s[3])
    # k = 2: one answer of two is enough (ceil(2/2) = 1)
    assert dimension_scores(np.array([[3, np.nan]]))[0] == 3.0


def test_reversal_uses_declared_scale_not_data():
    s = small_survey()
    # a3 is reversed on the 1..5 scale: 2 -> 4, even though nobody answered 1 or 5.
    rs = response_set(
        s,
        {"a1": [4, 4, 3], "a2": [4, 2, 3], "a3": [2, 2, 4], "n1": [4, 5, 3], "n2": [3, 3, 3]},
    )
    r = score(rs)
    assert r.items["a3"].mean == pytest.approx((4 + 4 + 2) / 3)
    # lead scores: (4+4+4)/3=4, (4+2+4)/3=10/3, (3+3+2)/3=8/3 -> mean 10/3
    assert r.dimensions["lead"].mean == pytest.approx(10 / 3)
    assert r.dimensions["lead"].n == 3
    assert r.dimensions["lead"].band == "borderline"
    # % favourable: a1 2/3, a2 1/3, a3 (reversed 4,4,2) 2/3 -> mean 55.55..
    assert r.items["a3"].favourable_pct == pytest.approx(200 / 3)
    assert r.items["a3"].agree_pct == pytest.approx(100 / 3)  # as answered: one "4"
    assert r.dimensions["lead"].favourable_pct == pytest.approx((200 / 3 + 100 / 3 + 200 / 3) / 3)
    assert r.items["a3"].counts == {
        "Strongly disagree": 0,
        "Disagree": 2,
        "Neither": 0,
        "Agree": 1,
        "Strongly agree": 0,
    }


def test_not_applicable_counted_never_scored():
    s = small_survey()
    rs = response_set(
        s,
        {"a1": [None, 4, 3], "a2": [4, 2, 3], "a3": [2, 2, 4], "n1": [4, 5, 3], "n2": [3, 3, 3]},
        na={"a1": [True, False, False]},
    )
    r = score(rs)
    assert r.items["a1"].n == 2
    assert r.items["a1"].not_applicable == 1
    assert r.items["a1"].mean == 3.5


def test_alpha_matches_pairwise_formula():
    s = small_survey()
    a1 = [4, 5, 3, 2, 4, 5, 1]
    a2 = [4, 4, 3, 2, 5, 5, 2]
    a3 = [2, 1, 3, 4, 2, 1, 5]  # reversed: 4 5 3 2 4 5 1
    rs = response_set(s, {"a1": a1, "a2": a2, "a3": a3, "n1": a1, "n2": a2})
    r = score(rs)
    x = np.column_stack([a1, a2, [6 - v for v in a3]]).astype(float)
    c = np.cov(x, rowvar=False)
    expected = 3 / 2 * (1 - np.trace(c) / c.sum())
    assert r.dimensions["lead"].alpha == pytest.approx(expected, rel=1e-12)
    assert r.dimensions["lead"].alpha_ci95 is None  # 7 people: no interval below 10


def test_suppress_rule():
    assert suppress([10, 10, 10], 5) == set()
    assert suppress([10, 3, 12], 5) == {1, 0}  # one hidden -> the smallest other joins it
    assert suppress([10, 3, 4, 12], 5) == {1, 2}  # 3 + 4 = 7 >= 5: safe together
    assert suppress([10, 1, 2, 12], 5) == {0, 1, 2}  # 1 + 2 < 5: add the smallest shown
    assert suppress([3, 2], 5) == {0, 1}


def test_segments_suppressed_and_not_recoverable():
    s = small_survey(min_group_size=3)
    n = 10
    roles = ["Member"] * 6 + ["Staff"] * 2 + ["Funder"] * 2
    vals = {q: [4, 5, 3, 4, 4, 2, 5, 5, 1, 1] for q in ("a1", "a2", "a3", "n1", "n2")}
    r = score(response_set(s, vals, {"role": roles}))
    groups = {g.name: g for g in r.segments["role"].groups}
    assert groups["Staff"].suppressed and groups["Funder"].suppressed
    assert not groups["Member"].suppressed and groups["Member"].n == 6
    # Staff + Funder together = 4 >= 3, so neither can be worked out from overall - Member.
    assert r.respondents == n
    d = r.to_dict()
    assert d["segments"]["role"]["Staff"] == {"n": None, "suppressed": True}


def test_blank_segment_answers_are_a_group():
    s = small_survey(min_group_size=2)
    roles = ["Member", "Member", None, None, "Staff", "Staff"]
    vals = {q: [4, 5, 3, 4, 4, 2] for q in ("a1", "a2", "a3", "n1", "n2")}
    r = score(response_set(s, vals, {"role": roles}))
    names = [g.name for g in r.segments["role"].groups]
    assert names == ["Member", "Staff", "Funder", "(no answer)"]
    groups = {g.name: g for g in r.segments["role"].groups}
    assert groups["(no answer)"].n == 2
    # Funder has 0 respondents: hidden, and so is the next smallest group
    assert groups["Funder"].suppressed
    assert sum(g.suppressed for g in groups.values()) == 2


def test_too_few_respondents_hides_everything():
    s = small_survey(min_group_size=5)
    vals = {q: [4, 5, 3] for q in ("a1", "a2", "a3", "n1", "n2")}
    r = score(response_set(s, vals, {"role": ["Member"] * 3}))
    assert r.dimensions["lead"].mean is None
    assert r.dimensions["lead"].suppressed
    assert r.items["a1"].mean is None
    assert r.segments == {}
    assert any("fewer than min_group_size" in w for w in r.warnings)


def test_unknown_by_question():
    s = small_survey()
    vals = {q: [4, 5, 3] for q in ("a1", "a2", "a3", "n1", "n2")}
    with pytest.raises(UsageError, match="did you mean 'role'"):
        score(response_set(s, vals, {"role": ["Member"] * 3}), by=["rol"])


def test_json_contract_and_determinism():
    s = small_survey()
    rng = np.random.default_rng(1)
    vals = {q: list(rng.integers(1, 6, 40).astype(float)) for q in ("a1", "a2", "a3", "n1", "n2")}
    roles = list(rng.choice(["Member", "Staff", "Funder"], 40))
    a = json.dumps(score(response_set(s, vals, {"role": roles}), seed=7).to_dict())
    b = json.dumps(score(response_set(s, vals, {"role": roles}), seed=7).to_dict())
    assert a == b
    d = json.loads(a)
    assert d["schema"] == "relimpact.score/1"
    assert set(d) >= {
        "survey",
        "source",
        "respondents",
        "dimensions",
        "items",
        "segments",
        "warnings",
    }
    assert "change" not in d
    lead = d["dimensions"]["lead"]
    for key in (
        "label",
        "enabler",
        "n",
        "mean",
        "sd",
        "ci95",
        "favourable_pct",
        "alpha",
        "alpha_ci95",
        "band",
    ):
        assert key in lead
    assert lead["ci95"][0] < lead["mean"] < lead["ci95"][1]
    item = d["items"]["a1"]
    for key in ("dimension", "n", "mean", "favourable_pct", "not_applicable", "counts"):
        assert key in item
    c = json.dumps(score(response_set(s, vals, {"role": roles}), seed=8).to_dict())
    assert c != a  # the seed does reach the bootstrap


def test_network_object_in_json():
    from dataclasses import replace

    from relimpact.survey.model import NetworkMap, Question

    base = small_survey()
    roster = ("Alpha", "Smith, Jones & Co", "Gamma", "Delta")
    s = replace(
        base,
        questions=(
            *base.questions,
            Question("who", "Which member are you?", type="member"),
            Question("links", "Who do you work with?", type="connections"),
        ),
        network_map=NetworkMap(roster, ("Alpha",)),
    )
    vals = {q: [4, 5, 3, 4] for q in ("a1", "a2", "a3", "n1", "n2")}
    rs = replace(
        response_set(s, vals, {"role": ["Member"] * 4}),
        member={"who": ("Alpha", "Smith, Jones & Co", "Gamma", "")},
        connections={
            "links": (
                ("Smith, Jones & Co", "Gamma"),
                ("Alpha", "Nobody Known"),
                ("Alpha",),
                ("Delta",),
            )
        },
    )
    d = score(rs).to_dict()
    # Ties: A->S, A->G, S->A, G->A (the blank member row cannot be placed): 4 of 4*3.
    assert d["network"]["members"] == 4
    assert d["network"]["responded"] == 3
    assert d["network"]["ties"] == 4
    assert d["network"]["density"] == pytest.approx(4 / 12)
    assert d["network"]["reciprocity"] == 1.0
    assert d["network"]["components"] == 2  # {A, S, G} and Delta alone
    assert d["network"]["isolates"] == 1
    # Without Alpha: S, G and D are all alone.
    assert d["network"]["without_convenors"] == {
        "components": 3,
        "isolates": 3,
        "largest_component_share": pytest.approx(1 / 3),
    }
    assert any("not on the roster" in w for w in d["warnings"])


@pytest.mark.parametrize("group_by_file", [False, True])
def test_segment_ids_name_the_segments_score_gives(group_by_file: bool) -> None:
    """A report chooses its quotes while scoring, for the segments segment_ids names;
    they must be the result's (else the quotes are chosen again)."""
    from relimpact.scoring.engine import segment_ids

    s = small_survey(min_group_size=2)
    rng = np.random.default_rng(3)
    vals = {q: list(rng.integers(1, 6, 30).astype(float)) for q in ("a1", "a2", "a3", "n1", "n2")}
    rs = response_set(s, vals, {"role": list(rng.choice(["Member", "Staff"], 30))})
    for by in ((), ("role",)):
        result = score(rs, by=by, group_by_file=group_by_file)
        assert segment_ids(rs, by, group_by_file) == tuple(result.segments)
    no_column = response_set(s, vals)  # no column holds the segment's answers
    assert segment_ids(no_column, (), group_by_file) == tuple(
        score(no_column, group_by_file=group_by_file).segments
    )
