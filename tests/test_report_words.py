"""The words of the reports: each figure said the way its scale and its size call for.

Small inline surveys: an agree scale (tests.helpers.AGREE5) beside a how-often scale like
the bundled member-connection template's loneliness questions, whose favourable answers
are "Hardly ever" and "Never", not agreement.
"""

from __future__ import annotations

from dataclasses import replace

from relimpact.report.model import build_report
from relimpact.report.render import render_model
from relimpact.scoring.engine import score
from relimpact.survey.model import Dimension, Question, Scale
from tests.helpers import response_set, small_survey

HOW_OFTEN = Scale(
    "how_often",
    (
        (1, "Often/always"),
        (2, "Some of the time"),
        (3, "Occasionally"),
        (4, "Hardly ever"),
        (5, "Never"),
    ),
    favourable_from=4,
    strength=4.0,
    borderline=3.0,
)


def _lonely_survey():
    """small_survey with a loneliness dimension on the how-often scale."""
    s = small_survey(min_group_size=3)
    qs = s.questions + (
        Question("l1", "How often do you feel lonely?", scale="how_often", dimension="lonely"),
        Question(
            "l2",
            "How often is there no one nearby to ask for help?",
            scale="how_often",
            dimension="lonely",
        ),
    )
    return replace(
        s,
        questions=qs,
        scales={**s.scales, "how_often": HOW_OFTEN},
        dimensions={**s.dimensions, "lonely": Dimension("lonely", "Not feeling lonely")},
    )


def _lonely_responses():
    n = 10
    scale = {
        "a1": [5.0] * 8 + [2.0] * 2,  # 80% agree
        "a2": [4.0] * 8 + [2.0] * 2,
        "a3": [1.0] * 8 + [4.0] * 2,  # reversed
        "n1": [4.0, 5.0, 3.0, 4.0, 5.0, 4.0, 2.0, 4.0, 5.0, 4.0],
        "n2": [4.0, 5.0, 4.0, 3.0, 5.0, 4.0, 3.0, 4.0, 4.0, 5.0],
        "l1": [5.0] * 4 + [4.0] * 2 + [1.0] * 4,  # 60% hardly ever or never: borderline
        "l2": [5.0] * 8 + [2.0] * 2,  # 80% hardly ever or never: going well
    }
    return response_set(_lonely_survey(), scale, choice={"role": ["Member"] * n})


def test_a_how_often_share_is_said_with_its_own_answers_not_agreed() -> None:
    rs = _lonely_responses()
    result = score(rs)
    members = build_report(result, rs, "members")
    well = {st.statement: st.figure for g in members.going_well for st in g.statements}
    assert well["How often is there no one nearby to ask for help?"] == (
        "80% of us said hardly ever or never."
    )
    assert well["A one"] == "80% of us agreed with this."  # the agree scale keeps its words
    talk = {t.statement: t.question for t in members.talk_about}
    lonely = talk["How often do you feel lonely?"]
    assert lonely.startswith("60% of us said hardly ever or never.") or lonely.startswith(
        "Only 60% of us said hardly ever or never."
    )
    assert "agree" not in lonely
    md = render_model(members, "md")
    assert "| Statement | Hardly ever or never |" in md
    assert "| Statement | Agree |" in md
    assert (
        'how many people out of every 100 agreed with it (they chose "agree" or "strongly '
        'agree"), or, for Not feeling lonely, said "hardly ever" or "never".'
    ) in md
    html = render_model(members, "html")
    assert "80% hardly ever or never</span>" in html


def test_the_funder_report_names_each_scales_range_and_column() -> None:
    rs = _lonely_responses()
    funder = build_report(score(rs), rs, "funder")
    assert funder.scale_words == (
        "1 (Strongly disagree) to 5 (Strongly agree); for Not feeling lonely, "
        "1 (Often/always) to 5 (Never)"
    )
    md = render_model(funder, "md")
    assert "| Statement | Answers | Mean | % hardly ever or never | % favourable |" in md
    assert "| Statement | Answers | Mean | % agree | % favourable |" in md
    assert '"% hardly ever or never" for Not feeling lonely.' in md
    assert "% hardly ever or never (for members) is the same share as answered" in md
    html = render_model(funder, "html")
    assert "often/always, some of the time  \u2190  \u2192  hardly ever, never" in html


def test_agree_scales_keep_todays_words() -> None:
    """Only agree scales: no sentence or column changes (the demo's golden files hold the
    whole report)."""
    s = small_survey(min_group_size=3)
    n = 10
    rs = response_set(
        s,
        {q: [4.0] * 8 + [2.0] * 2 for q in ("a1", "a2", "a3", "n1", "n2")},
        choice={"role": ["Member"] * n},
    )
    members = build_report(score(rs), rs, "members")
    assert members.share_words == ""
    assert all(d.agree_label == "agree" for d in members.dimensions)
    funder = build_report(score(rs), rs, "funder")
    assert funder.scale_words == "1 (Strongly disagree) to 5 (Strongly agree)"
    assert funder.agree_note == ""


def test_a_group_too_small_for_an_interval_gets_no_firm_band() -> None:
    """A group with no 95% interval (n under 10) was given a firm band ("4.17
    (strength)") beside a whole network that is only "borderline or strength"."""
    s = small_survey(min_group_size=3)
    n = 24
    roles = ["Member"] * 14 + ["Staff"] * 6 + ["Funder"] * 4
    values = [5.0, 4.0, 4.0, 5.0, 3.0, 4.0, 5.0, 4.0] * 3
    rs = response_set(
        s, {q: values for q in ("a1", "a2", "a3", "n1", "n2")}, choice={"role": roles[:n]}
    )
    result = score(rs)
    funder = build_report(result, rs, "funder")
    (seg,) = funder.segments
    columns = zip(*(c for _, c in seg.rows), strict=True)
    cells = dict(zip((g for g, _ in seg.groups), columns, strict=True))
    assert all(c.endswith("(few answers: no interval)") for c in cells["Staff"])
    assert all(c.endswith("(few answers: no interval)") for c in cells["Funder"])
    assert not any("few answers" in c for c in cells["Member"])  # n = 14: an interval
    assert "\u201cFew answers: no interval\u201d: too few people" in seg.note
    for fmt in ("md", "html"):
        assert "(few answers: no interval)" in render_model(funder, fmt)


def test_change_words_follow_the_printed_difference() -> None:
    """0.27 and 0.32 both print 0.3 and were "a little" and "quite a bit"; 0.58 and 0.62
    both print 0.6 and were "quite a bit" and "a lot"."""
    from relimpact.report.model import _member_change_words

    def said(x: float) -> str:
        entry = {"difference": x, "matched_difference": x, "n_matched": 20, "p": 0.01}
        return _member_change_words(entry, "The net")

    assert "up quite a bit since last time (0.3 on a 1 to 5 scale)" in said(0.27)
    assert "up quite a bit since last time (0.3 on a 1 to 5 scale)" in said(0.32)
    assert "down a lot since last time (0.6 on a 1 to 5 scale)" in said(-0.58)
    assert "up a lot since last time (0.6 on a 1 to 5 scale)" in said(0.62)
    assert "up a little since last time (0.2 on a 1 to 5 scale)" in said(0.24)


def _low_result():
    s = small_survey(min_group_size=3)
    low = [2.0, 1.0, 2.0, 3.0, 2.0, 2.0, 1.0, 2.0, 3.0, 2.0]
    return score(response_set(s, {q: low for q in ("a1", "a2", "n1", "n2")} | {"a3": low}))


def test_the_concern_band_is_named_as_a_band_and_counts_agree() -> None:
    """ "... in the concern band, the lowest of the three." did not say three what; "their
    95% interval reach" did not agree."""
    from relimpact.report.summary import _concerns, who_detail

    result = _low_result()
    assert {d.band for d in result.dimensions.values()} == {"concern"}
    assert _concerns(result).endswith("are in the concern band, the lowest of the three bands.")
    maybe = {
        k: replace(d, band="borderline", band_range="concern or borderline")
        for k, d in result.dimensions.items()
    }
    two = _concerns(replace(result, dimensions=maybe))
    assert "may be a concern: their 95% intervals reach into the concern band." in two
    one = dict(maybe, lead=result.dimensions["lead"])
    assert "may be a concern: its 95% interval reaches into the concern band." in _concerns(
        replace(result, dimensions=one)
    )
    n = result.respondents
    assert who_detail(replace(result, rows=n + 1)) == (
        f"{n + 1} rows were read; 1 was removed as duplicates or empty (see Methods).",
    )
    assert who_detail(replace(result, rows=n + 2))[0].startswith(f"{n + 2} rows were read; 2 were")


def test_a_tiny_p_value_reads_right_in_plain_text_markdown() -> None:
    """The change table printed "&lt; 0.001" in the Markdown source, read as such in an
    email or a plain-text view."""
    from relimpact.report.model import _p, _p_is

    assert _p(0.0004) == "below 0.001" and _p(0.0123) == "0.012" and _p(None) == "-"
    assert _p_is(0.0004, "adjusted p") == "adjusted p below 0.001"
    assert _p_is(0.0123) == "p = 0.012"
    s = small_survey(min_group_size=3)
    n = 40
    now = [4.0, 5.0, 4.0, 5.0, 3.0] * 8
    then = [2.0, 3.0, 2.0, 1.0, 3.0] * 8
    ids = ("a1", "a2", "a3", "n1", "n2")
    current = response_set(s, {q: now for q in ids}, choice={"role": ["Member"] * n})
    before = response_set(s, {q: then for q in ids}, choice={"role": ["Member"] * n})
    md = render_model(build_report(score(current, baseline=before), current, "funder"), "md")
    assert "&lt;" not in md and "| below 0.001 |" in md


def test_methods_name_the_reversed_statements_by_their_words() -> None:
    """Methods listed internal ids ("a3") for the statements said the other way round."""
    rs = _lonely_responses()
    methods = dict(build_report(score(rs), rs, "funder").methods)
    said = methods["Statements said the other way round"]
    assert said.startswith(
        "1 statement is worded so that agreeing is unfavourable (\u201cA three (reversed)\u201d)."
    )
    two = replace(
        rs.survey,
        questions=tuple(
            replace(q, reverse=True) if q.id == "a2" else q for q in rs.survey.questions
        ),
    )
    rs2 = replace(rs, survey=two)
    said = dict(build_report(score(rs2), rs2, "funder").methods)[
        "Statements said the other way round"
    ]
    assert "(\u201cA two\u201d; \u201cA three (reversed)\u201d)" in said


def test_only_is_for_under_half_and_a_dimension_in_both_lists_is_said() -> None:
    """Members read "Only 65% of us agreed" for a majority; a dimension listed under both
    "What is going well" and "Things to talk about" was not explained."""
    s = small_survey(min_group_size=3)
    n = 10
    rs = response_set(
        s,
        {
            "a1": [5.0] * 9 + [2.0],  # 90% agree: going well
            "a2": [4.0] * 6 + [2.0] * 4,  # 60%: the leadership's thing to talk about
            "a3": [4.0] * 4 + [2.0] * 6,  # reversed: 40% agree, 60% disagree
            "n1": [2.0] * 6 + [4.0] * 4,  # 40%: "Only"
            "n2": [3.0] * 4 + [4.0] * 6,
        },
        choice={"role": ["Member"] * n},
    )
    report = build_report(score(rs), rs, "members")
    talk = {t.label: t for t in report.talk_about}
    assert talk["Leadership"].statement == "A two"
    assert talk["Leadership"].question.startswith("60% of us agreed with this. ")
    assert talk["The net"].question.startswith("Only 40% of us agreed with this. ")
    assert [g.label for g in report.going_well] == ["Leadership"]
    assert report.going_well_note == (
        "Leadership is also in the things to talk about below: some of its statements went "
        "well, and one did not."
    )
    md = render_model(report, "md")
    assert "answered well. Leadership is also in the things to talk about below" in md


def _how_often_reversed(also_agree: bool):
    """The lonely survey with 'l2' said the other way round (and, unless ``also_agree``,
    the agree scale's reversed 'a3' made plain)."""
    rs = _lonely_responses()
    qs = tuple(
        replace(q, reverse=True)
        if q.id == "l2"
        else replace(q, reverse=False)
        if q.id == "a3" and not also_agree
        else q
        for q in rs.survey.questions
    )
    return replace(rs, survey=replace(rs.survey, questions=qs))


def test_a_reversed_how_often_statement_is_not_said_to_be_agreed_with() -> None:
    """On a how-often scale a reversed statement was "said the other way round: agreeing
    is not favourable" in the items chart and "worded so that agreeing is unfavourable"
    in Methods (low report L2): agreeing is no answer on that scale. Both now use the
    scale's own favourable answers; an agree scale keeps "agreeing"."""
    rs = _how_often_reversed(also_agree=False)
    funder = build_report(score(rs), rs, "funder")
    said = dict(funder.methods)["Statements said the other way round"]
    assert said.startswith(
        "1 statement is worded so that answering hardly ever or never is unfavourable "
        "(\u201cHow often is there no one nearby to ask for help?\u201d)."
    )
    html = render_model(funder, "html")
    assert "said the other way round: answering hardly ever or never is not favourable" in html
    assert "agreeing" not in html
    both = _how_often_reversed(also_agree=True)
    said = dict(build_report(score(both), both, "funder").methods)[
        "Statements said the other way round"
    ]
    assert said.startswith(
        "2 statements are worded so that the answers favourable on other statements are "
        "unfavourable (\u201cA three (reversed)\u201d; \u201cHow often is there no one nearby"
    )
    html = render_model(build_report(score(both), both, "funder"), "html")
    assert "said the other way round: agreeing is not favourable" in html


def test_the_score_tables_claim_no_matched_members_they_do_not_have() -> None:
    """With no respondent question the waves are compared as two groups (Mann-Whitney),
    yet "Change since the baseline: members in both waves" listed each dimension with 0
    matched and that comparison's interval and p-value (low report L6). The table of
    matched members is left out when there are none, and the estimate and p-value are in
    the table of all who answered, which they are about."""
    from rich.console import Console

    from relimpact.console.score import to_table

    s = small_survey(min_group_size=3)
    n = 40
    ids = ("a1", "a2", "a3", "n1", "n2")
    now = response_set(
        s, {q: [4.0, 5.0, 4.0, 5.0, 3.0] * 8 for q in ids}, choice={"role": ["Member"] * n}
    )
    then = response_set(
        s, {q: [2.0, 3.0, 2.0, 1.0, 3.0] * 8 for q in ids}, choice={"role": ["Member"] * n}
    )
    result = score(now, baseline=then)
    assert {c["test"] for c in result.change.values()} == {"mann-whitney"}
    console = Console(record=True, width=200)
    console.print(to_table(result))
    text = console.export_text()
    assert "members in both waves" not in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    head = next(i for i, line in enumerate(lines) if "all who answered" in line)
    assert "before ┃ after ┃ change ┃ n before/after ┃ HL [95% CI] ┃ p (BH)" in lines[head + 2]
    assert "│ The net │ 2.20 │ 4.20 │ +2.00 │ 40/40 │ +2.00 [+2.00, +2.00] │ <0.001 │" in lines
    lead = build_report(result, now, "funder").change_lead
    assert lead.startswith(
        "No members could be matched between the two surveys, so the change compares "
        "everyone who answered each survey as two groups:"
    )
    assert "both surveys (matched" not in lead
