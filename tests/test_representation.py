"""Who we heard from, weights and networks of networks.

Numbers marked "R" come from tests/r/reference_change.R (chisq.test, weighted.mean);
the chi-square is also checked against scipy. The pooling of hidden groups is worked by
hand below.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from scipy import stats as sps

from relimpact.common.errors import UsageError
from relimpact.read.responses import FileInfo
from relimpact.scoring.engine import score
from relimpact.scoring.representation import POOLED, representation, representation_words
from relimpact.survey.model import Survey
from tests.helpers import response_set, small_survey

POPULATION = {"role": {"Member": 40, "Staff": 6, "Funder": 10}}


def survey(min_group_size: int) -> Survey:
    return replace(small_survey(min_group_size), population=POPULATION)


def role_responses(s: Survey, roles: list[str | None], lead: list[float] | None = None):
    """One row per role; lead scores as given (a1, a2, a3 chosen to give them)."""
    lead = lead or [3.0] * len(roles)
    items: dict[str, list[float | None]] = {"a1": [], "a2": [], "a3": []}
    for x in lead:
        lo, hi = int(np.floor(x)), int(np.ceil(x))
        items["a1"].append(lo)
        items["a2"].append(hi)
        items["a3"].append(6 - x if lo == hi else None)  # reversed: scored as x
    scale = {**items, "n1": [3] * len(roles), "n2": [3] * len(roles)}
    return response_set(s, scale, choice={"role": roles})


ROLES = ["Member"] * 24 + ["Staff"] * 6 + ["Funder"] * 2 + [None] * 3


def test_chi_square_against_r_and_scipy():
    s = survey(min_group_size=2)
    rep = representation(s, role_responses(s, ROLES), "role")
    assert rep is not None
    assert (rep.members, rep.respondents, rep.answered, rep.blank, rep.other) == (56, 35, 32, 3, 0)
    assert rep.response_rate == pytest.approx(35 / 56)
    # R: chisq.test(c(24, 6, 2), p = c(40, 6, 10) / 56)
    assert rep.test is not None and rep.test_groups == ("Member", "Staff", "Funder")
    assert rep.test.statistic == pytest.approx(4.4, abs=1e-12)
    assert rep.test.df == 2
    # Staff's expected count is 3.4 < 5: the p reported is the Monte Carlo one (checked
    # against R in tests/test_honest_stats.py); the asymptotic p is kept beside it.
    assert rep.test.simulated and rep.test.replicates == 10_000
    assert rep.test.p_asymptotic == pytest.approx(0.110803158362334, abs=1e-12)
    assert rep.test.expected == pytest.approx(
        (22.85714285714286, 3.42857142857143, 5.71428571428571), abs=1e-12
    )
    scipy = sps.chisquare([24, 6, 2], np.array([40, 6, 10]) / 56 * 32)
    assert rep.test.statistic == pytest.approx(scipy.statistic)
    assert rep.test.p_asymptotic == pytest.approx(scipy.pvalue)
    g = {x.name: x for x in rep.groups}
    assert g["Funder"].respondent_share == pytest.approx(2 / 32)
    assert g["Funder"].member_share == pytest.approx(10 / 56)
    assert g["Funder"].response_rate == pytest.approx(0.2)
    assert g["Staff"].response_rate == pytest.approx(1.0)
    # Funder: 2/32 = 0.0625 < 0.8 x 10/56 = 0.143; Member 0.75 vs 0.57; Staff 0.19 vs 0.09
    assert rep.under_represented == ("Funder",)
    assert [x.under_represented for x in rep.groups] == [False, False, True]


def test_small_groups_are_hidden_and_pooled_in_the_test():
    s = survey(min_group_size=5)
    rs = role_responses(s, ROLES)
    rep = representation(s, rs, "role")
    assert rep is not None
    g = {x.name: x for x in rep.groups}
    # One decision for the segment table and for who we heard from: Funder (2) and the
    # blank group (3) are under 5 and together 5, so they hide each other; Staff is shown.
    table = {x.name: x.suppressed for x in score(rs).segments["role"].groups}
    assert table == {"Member": False, "Staff": False, "Funder": True, "(no answer)": True}
    assert g["Funder"].suppressed and not g["Staff"].suppressed and not g["Member"].suppressed
    assert g["Funder"].respondents is None and g["Funder"].respondent_share is None
    assert g["Funder"].response_rate is None
    assert g["Funder"].under_represented is None  # a flag would narrow its count
    assert (rep.answered, rep.blank, rep.other) == (35, None, 0)  # the blank count is hidden
    assert g["Member"].respondent_share == pytest.approx(24 / 35)  # over 35: hides nothing
    # Funder and the blank answers pooled: 5 of 35 is not below 0.8 x 10/56, so no flag.
    assert rep.under_represented == ()
    # R: chisq.test(c(24, 6, 5), p = c(40, 6, 10) / 56): X-squared = 1.64, df = 2, p = 0.4404;
    # by hand, expected 25, 3.75, 6.25: 1/25 + 2.25^2/3.75 + 1.25^2/6.25 = 1.64
    assert rep.test_groups == ("Member", "Staff", POOLED)
    assert rep.test is not None and rep.test.df == 2
    assert rep.test.statistic == pytest.approx(1.64, abs=1e-12)
    # an expected count (3.75) is below 5, so p is simulated (as simulate.p.value = TRUE),
    # close to the asymptotic 0.4404
    assert rep.test.simulated and rep.test.p == pytest.approx(0.4404, abs=0.02)
    d = rep.to_dict()
    assert d["groups"]["Funder"]["respondents"] is None and d["blank"] is None
    assert d["test"]["groups"] == ["Member", "Staff", POOLED]
    words = representation_words(rep)
    assert "left the role question blank" not in words
    assert "Funder" not in words
    assert "not given in numbers" in words
    assert words.count("By role: Member 69% of respondents and 71% of members, Staff 17%") == 1


def test_a_hidden_group_is_never_flagged_alone_only_the_pool():
    s = survey(min_group_size=5)
    roles = ["Member"] * 30 + ["Staff"] * 6 + ["Funder"] * 1 + [None] * 4
    rep = representation(s, role_responses(s, roles), "role")
    assert rep is not None
    g = {x.name: x for x in rep.groups}
    assert g["Funder"].suppressed and g["Funder"].under_represented is None
    # the pool (Funder 1 + blank 4 = 5 of 41) against Funder's members 10/56: 0.12 < 0.14
    assert rep.under_represented == (POOLED,)
    assert "the groups not shown, together" in representation_words(rep)


def test_everyone_too_few_gives_no_test_and_no_counts():
    s = survey(min_group_size=5)
    rep = representation(s, role_responses(s, ["Member", "Member", "Staff"]), "role")
    assert rep is not None and rep.test is None
    assert all(x.respondents is None for x in rep.groups)
    assert any("No chi-square test" in n for n in rep.notes)


def test_score_reports_who_we_heard_from():
    s = survey(min_group_size=2)
    d = score(role_responses(s, ROLES)).to_dict()
    rep = d["representation"]["role"]
    assert rep["test"]["p_asymptotic"] == pytest.approx(0.110803158362334, abs=1e-12)
    assert rep["test"]["simulated"] is True and rep["test"]["replicates"] == 10_000
    assert rep["under_represented"] == ["Funder"]
    assert rep["under_represented_below"] == 0.8
    json.dumps(d, allow_nan=False)
    assert "representation" not in score(role_responses(small_survey(2), ROLES)).to_dict()


WEIGHT_ROLES = ["Member"] * 4 + ["Staff"] * 3 + ["Funder"] * 2
WEIGHT_LEAD = [4, 3.5, 3, 4.5, 2, 2.5, 3, 5, 4]


def test_weights_against_r():
    s = survey(min_group_size=2)
    result = score(role_responses(s, WEIGHT_ROLES, WEIGHT_LEAD), weight_by="role")
    assert result.weighted is not None
    lead = result.weighted.dimensions["lead"]
    # R: weighted.mean(x, w) with w = (M_g / M) / (n_g / n) = 1.607, 0.321, 0.804
    assert lead.mean == pytest.approx(3.75, abs=1e-12)
    assert lead.unweighted_mean == pytest.approx(3.5, abs=1e-12)
    assert lead.n == 9
    assert lead.n_effective == pytest.approx(6.78787878787879, abs=1e-12)
    # beside, never instead of: the unweighted figure is untouched
    assert result.dimensions["lead"].mean == pytest.approx(3.5)
    d = result.to_dict()
    assert d["weighted"]["by"] == "role"
    assert d["weighted"]["dimensions"]["lead"]["mean"] == pytest.approx(3.75)
    assert d["dimensions"]["lead"]["mean"] == pytest.approx(3.5)
    assert "weighted" not in score(role_responses(s, WEIGHT_ROLES, WEIGHT_LEAD)).to_dict()


def test_weights_pool_hidden_groups_and_keep_blanks_as_they_are():
    s = survey(min_group_size=3)
    roles = ["Member"] * 4 + ["Staff"] * 2 + ["Funder"] + [None] * 3
    lead = [4, 4, 4, 4, 2, 2, 5, 3, 3, 3]
    result = score(role_responses(s, roles, lead), weight_by="role")
    assert result.weighted is not None
    # n = 10; population groups hold n_P = 7. Targets: Member 0.7 x 40/56 = 0.5,
    # Staff 0.7 x 6/56 = 0.075, Funder 0.7 x 10/56 = 0.125; blanks keep 3/10 = 0.3.
    # Staff and Funder are hidden in the breakdown, so one cell: share 0.2, mean 9/3 = 3.
    # 0.5 x 4 + 0.2 x 3 + 0.3 x 3 = 3.5 (separately it would be 3.675).
    assert result.weighted.dimensions["lead"].mean == pytest.approx(3.5, abs=1e-12)
    assert result.weighted.dimensions["lead"].unweighted_mean == pytest.approx(3.4)
    seg = {g.name: g for g in result.segments["role"].groups}
    assert seg["Staff"].suppressed and seg["Funder"].suppressed


def test_a_group_without_respondents_cannot_be_weighted_up():
    s = survey(min_group_size=2)
    roles = ["Member"] * 4 + ["Staff"] * 2
    result = score(role_responses(s, roles, [4, 4, 4, 4, 2, 2]), weight_by="role")
    assert result.weighted is not None
    assert any("'Funder' has members but no respondents" in w for w in result.warnings)
    # Funder's share is left out: Member 40/46, Staff 6/46
    expected = (40 * 4 + 6 * 2) / 46
    assert result.weighted.dimensions["lead"].mean == pytest.approx(expected, abs=1e-12)


def test_weight_by_needs_membership_counts():
    s = survey(min_group_size=2)
    with pytest.raises(UsageError, match="--weight-by rol: .*did you mean"):
        score(role_responses(s, WEIGHT_ROLES), weight_by="rol")


def _two_networks(sizes: tuple[int, int, int], min_group_size: int):
    s = small_survey(min_group_size)
    n = sum(sizes)
    rs = role_responses(s, ["Member"] * n, [4.0] * sizes[0] + [2.0] * sizes[1] + [3.0] * sizes[2])
    files = tuple(
        FileInfo(f"exports/{name}.csv", "csv", "utf-8", ",", 1, k)
        for name, k in zip(("north", "south", "east"), sizes, strict=True)
    )
    index = np.repeat(np.arange(3, dtype=np.int32), sizes)
    return replace(rs, files=files, file_index=index)


def test_group_by_file_gives_each_network_beside_the_combined_figures():
    result = score(_two_networks((3, 2, 4), 2), group_by_file=True)
    seg = result.segments["file"]
    assert [g.name for g in seg.groups] == ["north.csv", "south.csv", "east.csv"]
    means = [g.dimensions["lead"].mean for g in seg.groups]
    assert means == pytest.approx([4.0, 2.0, 3.0])
    assert result.dimensions["lead"].mean == pytest.approx((12 + 4 + 12) / 9)
    assert "file" in result.to_dict()["segments"]
    assert "file" not in score(_two_networks((3, 2, 4), 2)).segments


def test_group_by_file_suppresses_small_networks():
    result = score(_two_networks((6, 2, 5), 5), group_by_file=True)
    seg = {g.name: g for g in result.segments["file"].groups}
    # south (2) is hidden; east (5) with it, or south = 13 - 6 - 5
    assert seg["south.csv"].suppressed and seg["east.csv"].suppressed
    assert not seg["north.csv"].suppressed
    assert any("By file: 2 file(s) not shown" in w for w in result.warnings)


def test_group_by_file_needs_the_file_index():
    rs = replace(_two_networks((3, 2, 4), 2), file_index=None)
    with pytest.raises(UsageError, match="which file each row came from"):
        score(rs, group_by_file=True)


def test_csv_and_table_show_who_we_heard_from_and_weights():
    import csv
    import io

    from rich.console import Console

    from relimpact.console.score import REPRESENTATION_COLUMNS, to_csv, to_table

    result = score(role_responses(survey(5), ROLES), weight_by="role")
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    assert list(rows[0])[-len(REPRESENTATION_COLUMNS) :] == list(REPRESENTATION_COLUMNS)
    heard = {r["group"]: r for r in rows if r["segment"] == "(who we heard from) role"}
    assert heard["Member"]["n"] == "24" and heard["Member"]["members"] == "40"
    assert heard["Funder"]["n"] == "" and heard["Funder"]["suppressed"] == "yes"
    assert heard["Funder"]["under_represented"] == ""  # hidden: no flag either
    weighted = [r for r in rows if r["segment"] == "(weighted by role)"]
    assert [r["dimension"] for r in weighted] == ["lead", "the_net"]
    console = Console(record=True, width=200)
    console.print(to_table(result))
    text = console.export_text()
    assert "Who we heard from, by role" in text and "Weighted to the membership by role" in text
