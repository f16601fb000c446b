"""Change between waves, end to end, against R.

The numbers marked "R" come from tests/r/reference_change.R (R 4.2.2, base R's
wilcox.test and p.adjust), whose printed output is tests/r/reference_change.out: R
scores the same made-up answers itself (reversal, half rule) and tests the scores.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest

from relimpact.common.errors import UsageError
from relimpact.scoring.change import change_words, compare_waves
from relimpact.scoring.engine import score
from relimpact.survey.model import Dimension, Question, Survey
from tests.helpers import response_set, small_survey

CONTRACT_KEYS = {
    "before",
    "after",
    "difference",
    "n_before",
    "n_after",
    "n_matched",
    "test",
    "p",
    "p_adjusted",
    "effect_size",
    "improved",
    "same",
    "declined",
}
CAUSAL = re.compile(r"caus|because|thanks to|due to|led to|result of", re.IGNORECASE)


def wave_survey(min_group_size: int = 5) -> Survey:
    """small_survey plus a 'work' and a 'voice' dimension: four dimensions for BH."""
    base = small_survey(min_group_size)
    extra = (
        Question("w1", "Work one", scale="agree5", dimension="work"),
        Question("w2", "Work two", scale="agree5", dimension="work"),
        Question("v1", "Voice one", scale="agree5", dimension="voice"),
        Question("v2", "Voice two", scale="agree5", dimension="voice"),
    )
    dims = {
        **base.dimensions,
        "work": Dimension("work", "The work", focus="work"),
        "voice": Dimension("voice", "Voice"),
    }
    return replace(base, questions=base.questions + extra, dimensions=dims)


# Paired waves: the same answers as tests/r/reference_change.R. The baseline's template
# had no a2, so its ResponseSet has no a2 at all.
PAIRED_AFTER = {
    "a1": [4, 3, 4, 3, 3, 4, 4, 5, 3, 3, 5, 2],
    "a2": [4, 3, 4, 3, 3, 4, 4, 5, 3, 3, 5, 2],
    "a3": [2, 3, 2, 3, 3, 3, 3, 2, 3, 2, 1, 3],
    "n1": [4, 4, 5, 5, 5, 2, 3, 4, 2, 3, 4, 3],
    "n2": [3, 4, 5, 5, 5, 2, 4, 4, 3, 3, 5, 3],
    "w1": [4, 3, 4, 3, 4, 3, 5, 4, 2, 4, 5, 3],
    "w2": [4, 4, 4, 3, 5, 4, 5, 3, 3, 4, 4, 3],
    "v1": [4, 4, 3, 3, 2, 5, 4, 3, 4, 5, 3, 4],
    "v2": [4, 5, 3, 4, 2, 5, 4, 3, 3, 4, 3, 4],
}
PAIRED_AFTER_KEYS = [f"m{i:02d}" for i in range(1, 13)]
_ = None
PAIRED_BEFORE = {
    "a1": [3, 2, 4, 3, 3, 4, 2, 3, 1, 4, 2],
    "a3": [3, 4, 2, 3, 4, 2, 4, 2, 5, 1, 3],
    "n1": [3, 2, 4, 3, 4, 5, _, _, _, _, 4],
    "n2": [3, 2, 4, 2, 3, 5, _, _, _, _, 4],
    "w1": [3, 2, 3, 2, _, _, _, _, _, _, 3],
    "w2": [3, 3, 4, 2, _, _, _, _, _, _, 3],
    "v1": [3, 4, _, _, _, _, _, _, _, _, 2],
    "v2": [3, 4, _, _, _, _, _, _, _, _, 3],
}
# The baseline lists its rows in another order than this wave: matching is by key.
PAIRED_BEFORE_KEYS = [f"m{i:02d}" for i in range(1, 11)] + ["b13"]


def _reorder(data: dict, keys: list[str], order: list[int]) -> tuple[dict, list[str]]:
    return {q: [v[i] for i in order] for q, v in data.items()}, [keys[i] for i in order]


def paired_waves():
    s = wave_survey()
    before, before_keys = _reorder(PAIRED_BEFORE, PAIRED_BEFORE_KEYS, [10, *range(9, -1, -1)])
    return (
        response_set(s, PAIRED_AFTER, keys=PAIRED_AFTER_KEYS),
        response_set(s, before, keys=before_keys),
    )


def test_paired_waves_against_r():
    after, before = paired_waves()
    r = compare_waves(after, before)
    assert list(r.dimensions) == ["lead", "the_net", "work", "voice"]
    assert r.left_out == ("a2",) and r.matched
    assert "a2 (lead): no answers in the baseline" in r.notes[0]

    lead = r.dimensions["lead"]  # R: ties and zeros, normal approximation
    assert lead.items == ("a1", "a3")
    assert (lead.n_before, lead.n_after, lead.n_matched) == (11, 12, 10)
    assert lead.before == pytest.approx(2.909090909090909, abs=1e-12)
    assert lead.after == pytest.approx(3.541666666666667, abs=1e-12)
    assert lead.difference == pytest.approx(0.632575757575757, abs=1e-12)
    assert lead.test == "wilcoxon-signed-rank" and lead.exact is False
    assert lead.statistic == 30
    assert lead.p == pytest.approx(0.102578636877084, abs=1e-12)
    assert lead.effect_size == pytest.approx(0.666666666666667, abs=1e-12)
    assert (lead.improved, lead.same, lead.declined) == (6, 2, 2)

    net = r.dimensions["the_net"]  # R: no ties, no zeros, n = 6: exact
    assert (net.n_before, net.n_after, net.n_matched) == (7, 12, 6)
    assert net.before == pytest.approx(3.428571428571428, abs=1e-12)
    assert net.after == pytest.approx(3.75, abs=1e-12)
    assert net.exact is True and net.statistic == 15
    assert net.p == pytest.approx(0.4375, abs=1e-12)
    assert net.effect_size == pytest.approx(0.428571428571429, abs=1e-12)
    assert (net.improved, net.same, net.declined) == (5, 0, 1)

    work = r.dimensions["work"]  # R: 4 matched < 5, so two groups (rank sum), ties
    assert (work.n_before, work.n_after, work.n_matched) == (5, 12, 4)
    assert work.test == "mann-whitney" and work.exact is False
    assert work.statistic == 51
    assert work.p == pytest.approx(0.0280804343559233, abs=1e-12)
    assert work.effect_size == pytest.approx(0.7, abs=1e-12)
    assert work.difference == pytest.approx(0.95, abs=1e-12)
    assert work.improved is None and work.same is None and work.declined is None
    assert "only 4 members answered both waves" in (work.note or "")

    voice = r.dimensions["voice"]  # 3 in the baseline: no figure, n's kept
    assert (voice.n_before, voice.n_after) == (3, 12)
    assert voice.before is None and voice.after is None and voice.difference is None
    assert voice.p is None and voice.p_adjusted is None and voice.test is None
    assert "fewer than min_group_size (5) scored respondents in the baseline" in (voice.note or "")

    # R: p.adjust(c(0.1026, 0.4375, 0.0281, NA), "BH")
    adjusted = [c.p_adjusted for c in r.dimensions.values()]
    assert adjusted[:3] == pytest.approx(
        [0.1538679553156265, 0.4375000000000002, 0.0842413030677699], abs=1e-12
    )
    assert adjusted[3] is None


UNPAIRED_AFTER = {
    "a1": [5, 4, 4, 5, 3],
    "a2": [5, 5, 4, 5, 4],
    "a3": [1, 2, 3, 2, 3],
    "n1": [4, 3, 4, 3, 5],
    "n2": [4, 4, 5, 3, 5],
    "w1": [4, 3, 4, 5, 3],
    "w2": [4, 3, 5, 5, 4],
    "v1": [3, 3, 3, 3, 3],
    "v2": [3, 3, 3, 3, 3],
}
UNPAIRED_BEFORE = {
    "a1": [4, 3, 3, 2, 2],
    "a2": [4, 3, 2, 2, 2],
    "a3": [2, 3, 3, 3, 4],
    "n1": [3, 2, 4, 3, 2],
    "n2": [3, 3, 4, 3, 2],
    "w1": [3, 4, 2, 3, _],
    "w2": [3, 4, 3, 4, _],
    "v1": [3, 3, 3, 3, 3],
    "v2": [3, 3, 3, 3, 3],
}


def test_unpaired_waves_against_r():
    s = wave_survey()
    r = compare_waves(response_set(s, UNPAIRED_AFTER), response_set(s, UNPAIRED_BEFORE))
    assert not r.matched and r.left_out == ()
    assert any("could not be matched" in n for n in r.notes)

    lead = r.dimensions["lead"]  # R: no ties, exact rank-sum
    assert lead.test == "mann-whitney" and lead.exact is True
    assert (lead.n_before, lead.n_after, lead.n_matched) == (5, 5, 0)
    assert lead.statistic == 23
    assert lead.p == pytest.approx(0.0317460317460317, abs=1e-12)
    assert lead.effect_size == pytest.approx(0.84, abs=1e-12)
    assert (lead.before, lead.after) == (pytest.approx(2.8), pytest.approx(4.2))
    assert lead.improved is None

    net = r.dimensions["the_net"]  # R: ties, normal approximation
    assert net.exact is False and net.statistic == 21.5
    assert net.p == pytest.approx(0.0713690109240214, abs=1e-12)
    assert net.effect_size == pytest.approx(0.72, abs=1e-12)

    work = r.dimensions["work"]  # 4 scored in the baseline < 5
    assert work.n_before == 4 and work.difference is None and work.p is None

    voice = r.dimensions["voice"]  # every score 3: R's p is NaN, the figures stand
    assert voice.difference == 0.0 and voice.p is None and voice.test == "mann-whitney"
    assert voice.effect_size == 0.0
    assert "every score was the same" in (voice.note or "")

    # R: p.adjust(c(0.0317, 0.0714, NA, NA), "BH")
    adjusted = [c.p_adjusted for c in r.dimensions.values()]
    assert adjusted[0] == pytest.approx(0.0634920634920635, abs=1e-12)
    assert adjusted[1] == pytest.approx(0.0713690109240214, abs=1e-12)
    assert adjusted[2:] == [None, None]


def test_score_fills_the_change_contract():
    after, before = paired_waves()
    plain = score(after).to_dict()
    assert "change" not in plain and "change_notes" not in plain
    result = score(after, baseline=before)
    d = result.to_dict()
    assert set(d["change"]) == {"lead", "the_net", "work", "voice"}
    for entry in d["change"].values():
        assert set(entry) >= CONTRACT_KEYS
    assert d["change"]["the_net"]["p"] == pytest.approx(0.4375)
    assert d["change_notes"] and "a2" in d["change_notes"][0]
    assert any("a2 (lead)" in w for w in d["warnings"])
    json.dumps(d, allow_nan=False)
    # Without a baseline every other figure is unchanged.
    d.pop("change"), d.pop("change_notes"), d["source"].pop("baseline_fieldwork")
    assert {k: v for k, v in d.items() if k != "warnings"} == {
        k: v for k, v in plain.items() if k != "warnings"
    }


def test_matching_skips_blank_keys_and_keeps_a_repeated_keys_later_row():
    s = wave_survey(min_group_size=2)
    one = {q: [3, 3, 3] for q in PAIRED_AFTER}
    after = response_set(s, {**one, "a1": [5, 5, 5]}, keys=["x", "", "y"])
    before = response_set(s, {**one, "a1": [1, 2, 1]}, keys=["x", "", "x"])
    lead = compare_waves(after, before).dimensions["lead"]
    assert lead.n_matched == 1  # only "x"; blank keys never match
    after2 = response_set(s, {**one, "a1": [5, 5, 5]}, keys=["x", "y", "z"])
    before2 = response_set(s, {**one, "a1": [1, 3, 1]}, keys=["y", "x", "z"])
    c = compare_waves(after2, before2).dimensions["lead"]
    # x: (5+3+3)/3 - (3+3+3)/3 > 0; y: 11/3 - 7/3; z: 11/3 - 7/3 -> all improved
    assert (c.n_matched, c.test, c.improved, c.same) == (3, "wilcoxon-signed-rank", 3, 0)


def test_too_few_in_this_wave_gives_no_figure():
    s = wave_survey()
    after = response_set(s, {q: v[:4] for q, v in UNPAIRED_AFTER.items()})
    r = compare_waves(after, response_set(s, UNPAIRED_BEFORE))
    for c in r.dimensions.values():
        assert c.difference is None and c.p is None and c.n_after == 4
        assert (c.note or "").endswith("this wave, so no change figure is shown")


def test_a_baseline_of_another_survey_is_refused():
    s = wave_survey()
    other = replace(s, id="other")
    with pytest.raises(UsageError, match="baseline is of survey 'other'"):
        compare_waves(response_set(s, UNPAIRED_AFTER), response_set(other, UNPAIRED_BEFORE))


def test_no_shared_items_says_so():
    s = wave_survey()
    before = {q: v for q, v in UNPAIRED_BEFORE.items() if q not in ("v1", "v2")}
    r = compare_waves(response_set(s, UNPAIRED_AFTER), response_set(s, before))
    assert r.dimensions["voice"].difference is None
    assert "no items were answered in both waves" in (r.dimensions["voice"].note or "")
    assert r.left_out == ("v1", "v2")


def test_change_words():
    after, before = paired_waves()
    r = compare_waves(after, before)
    # lead: matched members +0.55 on average (all respondents +0.63), 6 improved against 2
    # declined, BH p 0.15; the words lead with the matched estimate, the means are context.
    assert change_words(r.dimensions["lead"], "Leadership") == (
        "Leadership: the 10 members who answered both waves rose by 0.55 points on average "
        "(Hodges-Lehmann estimate +0.75, 95% interval -0.25 to +1.50); more members improved "
        "than declined; could be chance. Everyone who answered, as context: 2.91 then 3.54 "
        "(+0.63)."
    )
    # the contract dict reads the same
    assert change_words(r.to_dict()["lead"], "Leadership").startswith("Leadership: the 10")
    assert change_words(r.dimensions["voice"], "Voice").startswith("Voice: no change figure (")
    entry = {"difference": -0.24, "p_adjusted": 0.01, "improved": None, "declined": None}
    assert change_words(entry, "Trust") == (
        "Trust fell by 0.2 points between the two waves' respondents (not matched); "
        "unlikely to be chance."
    )
    entry = {"difference": 0.04, "p": 0.9, "p_adjusted": 0.9, "improved": 3, "declined": 3}
    assert change_words(entry, "Trust") == (
        "Trust stayed about the same between the two waves' respondents; as many members "
        "improved as declined."
    )
    # all respondents rose, the matched members fell: the words follow the matched members
    entry = {
        "difference": 0.1, "matched_difference": -0.56, "n_matched": 9, "before": 3.2,
        "after": 3.3, "hodges_lehmann": -0.5, "hl_ci95": None, "p": None, "p_adjusted": None,
        "improved": 1, "declined": 6,
    }  # fmt: skip
    assert change_words(entry, "Trust") == (
        "Trust: the 9 members who answered both waves fell by 0.56 points on average "
        "(Hodges-Lehmann estimate -0.50, too few distinct changes for a 95% interval); more "
        "members declined than improved; no test was possible. Everyone who answered, as "
        "context: 3.20 then 3.30 (+0.10)."
    )
    unpaired = compare_waves(
        *(response_set(wave_survey(), d) for d in (UNPAIRED_AFTER, UNPAIRED_BEFORE))
    )
    texts = [
        change_words(c, c.label) for c in (*r.dimensions.values(), *unpaired.dimensions.values())
    ]
    assert texts[4].startswith(
        "Leadership rose by 1.4 points between the two waves' respondents (not matched) "
        "(Hodges-Lehmann estimate"
    )
    assert texts[4].endswith("could be chance.")  # BH p 0.063
    for text in texts:
        assert not CAUSAL.search(text), text


def test_table_and_csv_show_change_beside_the_scores():
    import csv
    import io

    from rich.console import Console

    from relimpact.console.score import CHANGE_COLUMNS, CSV_COLUMNS, to_csv, to_table

    after, before = paired_waves()
    result = score(after, baseline=before)
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    assert list(rows[0]) == list(CSV_COLUMNS + CHANGE_COLUMNS)
    lead = next(r for r in rows if r["dimension"] == "lead" and r["segment"] == "(all)")
    assert float(lead["p"]) == pytest.approx(0.102578636877084, abs=1e-12)
    assert (lead["test"], lead["improved"], lead["n_matched"]) == (
        "wilcoxon-signed-rank",
        "6",
        "10",
    )
    voice = next(r for r in rows if r["dimension"] == "voice" and r["segment"] == "(all)")
    assert voice["difference"] == "" and voice["n_before"] == "3"
    assert list(csv.reader(io.StringIO(to_csv(score(after)))))[0] == list(CSV_COLUMNS)
    console = Console(record=True, width=200)
    console.print(to_table(result))
    text = console.export_text()
    assert "Change since the baseline" in text
    assert "Leadership: the 10 members who answered both waves rose by 0.55 points" in text
    assert "+0.75 [-0.25, +1.50]" in text
    assert "Left out: a2 (lead)" in text


def test_change_leads_with_the_matched_estimate() -> None:
    from relimpact.scoring import stats as st
    from relimpact.scoring.change import _matched_rows, _scores

    after, before = paired_waves()
    r = compare_waves(after, before)
    lead = r.dimensions["lead"]
    items = tuple(after.survey.question(q) for q in lead.items)
    a, b = _scores(after.survey, after, items), _scores(after.survey, before, items)
    rows = _matched_rows(after, before)
    assert rows is not None
    pa, pb = a[rows[0]], b[rows[1]]
    ok = ~(np.isnan(pa) | np.isnan(pb))
    shift = st.hodges_lehmann_paired(pa[ok], pb[ok])
    assert lead.matched_difference == pytest.approx(float(np.mean(pa[ok] - pb[ok])))
    assert (lead.hodges_lehmann, lead.hl_ci95) == (shift.estimate, shift.ci)
    d = r.to_dict()["lead"]
    assert d["matched_difference"] == lead.matched_difference
    assert d["hl_ci95"] == pytest.approx([-0.25, 1.5], abs=1e-3)  # R's uniroot, tol 1e-4
    assert d["hodges_lehmann"] == pytest.approx(0.75, abs=1e-3)
    # the all-respondent figures keep their names and meanings
    assert d["difference"] == pytest.approx(d["after"] - d["before"])
