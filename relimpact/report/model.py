"""Reports for funders and members: the one report model (``relimpact.report.render``
lays it out as HTML, Markdown, Word or PDF).

``build_report(result, responses, audience)`` turns a ``ScoreResult`` (and the
``ResponseSet`` it came from, for quotes and the network map) into a ``Report``: plain
dataclasses of words and already formatted figures, with the charts as inline SVG. The
Jinja2 templates in ``templates/`` only lay the model out, so the HTML and the
Markdown say the same things with the same numbers. Nothing here computes a statistic:
every figure comes from the score result.

Privacy: the model never holds a name, an email, a member code or an IP address; segment
groups hidden by the score result are said to be hidden, never shown; quotes follow
``relimpact.report.quotes`` (consent, scrubbing, no quote from a hidden group). HTML is
autoescaped; Markdown shows every value as written (``text.md_literal``): its own
characters escaped, no HTML, and no link or image can come out of a value.

The HTML is one self-contained file: inline CSS and SVG, no script, font, image or link
fetched from anywhere, and a print stylesheet (A4, each major section on a new page, no
chart or table broken across pages).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from relimpact.common import memory
from relimpact.common.errors import UsageError
from relimpact.common.text import count_of, signed, unsigned

if TYPE_CHECKING:
    from relimpact.read.responses import ResponseSet
    from relimpact.report.charts import Chart
    from relimpact.report.quotes import QuotePool
    from relimpact.report.summary import TableView
    from relimpact.report.trend import TrendView
    from relimpact.scoring.engine import DimensionResult, ItemResult, ScoreResult, SegmentResult
    from relimpact.survey.branding import Branding
    from relimpact.survey.model import Scale, Survey

AUDIENCES = ("funder", "members")
BAND_WORDS = {"strength": "strength", "borderline": "borderline", "concern": "concern"}
MEMBER_BAND_WORDS = {
    "strength": "going well",
    "borderline": "mixed",
    "concern": "needs attention",
}


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class ItemView:
    id: str
    text: str
    reverse: bool
    n: int
    mean: str
    agree: str  # % agreeing as answered ("71%"), "-" when none
    agree_value: float | None
    favourable: str  # % favourable after reversal
    not_applicable: str  # how many said don't know or not applicable; "-" where hidden
    counts: tuple[tuple[str, int], ...]
    r_drop: str
    # For members, a statement said the other way round read the right way:
    # "Here, disagreeing is good: 80% disagreed." ("" for other statements).
    reads: str = ""
    favourable_value: float | None = None
    # The favourable answers as worded, for a scale that is not one of agreement
    # ("hardly ever or never"): the statement's share is said with them, never "agreed".
    # "" on an agree scale, whose words stay "agreed" and "disagreed".
    said: str = ""
    said_other: str = ""  # the answers favourable after reversal ("often/always or ...")


@dataclass(frozen=True)
class ChangeView:
    before: str
    after: str
    difference: str
    n_before: int
    n_after: int
    n_matched: int
    test: str
    p: str
    p_adjusted: str
    effect_size: str
    improved: str
    same: str
    declined: str
    words: str  # plain words, never a claim about causes
    has_figure: bool
    matched_difference: str = "-"  # mean change of the matched members
    hodges_lehmann: str = "-"  # Hodges-Lehmann estimate with its 95% interval
    member_words: str = ""  # the same change in plain words for members, no statistics


@dataclass(frozen=True)
class DimensionView:
    id: str
    label: str
    description: str
    kind: str  # "enabler", "net", "work" or "other"
    n: int
    mean: str
    mean_value: float | None
    interval: str  # "3.71 to 3.93"
    band: str  # "strength", "borderline", "concern" or ""
    band_words: str  # for members: "going well", "mixed", "needs attention"
    favourable: str
    alpha: str
    alpha_interval: str
    reliability: str  # a sentence about alpha for funders
    shown: bool  # False when the result hides this dimension (too few respondents)
    items: tuple[ItemView, ...]
    chart: Chart | None
    change: ChangeView | None
    summary: str  # one plain sentence for members
    band_text: str = ""  # the band, or "borderline or strength" where ci95 crosses a line
    about: str = ""  # for members: one plain line on what this is about (members_about)
    items_table: TableView | None = None  # for funders: n, mean and item-rest r per statement
    chart_table: TableView | None = None  # the items chart's figures (answer counts)
    agree_label: str = "agree"  # what the "agree" column counts: "hardly ever or never"


@dataclass(frozen=True)
class SegmentView:
    question: str
    text: str
    groups: tuple[tuple[str, str], ...]  # (group, n or "not shown"), one column each
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (dimension label, one cell per group)
    hidden: int  # groups not shown
    note: str
    differences: str = ""  # which group differences are unlikely to be chance, and only those
    table: TableView | None = None  # the same cells as a table for the templates


@dataclass(frozen=True)
class GoingWellStatement:
    statement: str
    figure: str  # "84% of us agreed with this." or, said the other way round, with the
    # share who disagreed: "Only 5% of us agreed with this, and 73% disagreed."
    note: str = ""  # for a statement said the other way round: why low agreement is good


@dataclass(frozen=True)
class GoingWell:
    label: str  # the dimension, in plain words
    statements: tuple[GoingWellStatement, ...]


@dataclass(frozen=True)
class TalkPoint:
    label: str
    band_words: str
    statement: str
    agree: str
    question: str  # the open question for the next gathering


@dataclass(frozen=True)
class RepresentationView:
    table: TableView  # each group's respondents beside its members
    words: str  # dissimilarity, the goodness-of-fit test, what is hidden


@dataclass(frozen=True)
class QuoteView:
    question: str
    text: str


@dataclass(frozen=True)
class NetworkView:
    svg: str
    coverage: str
    exit_check: str
    figures: tuple[tuple[str, str, str], ...]  # name, now, at the baseline ("" without one)
    change: str  # the change since the baseline in words ("" without one)
    named: int = 0  # members named on the map (only with --show-names, only who agreed)
    strength: str = ""  # how close the links are, in words (a connections question with levels)
    mixing: tuple[str, ...] = ()  # links across each segment question's groups, in words
    brokers: str = ""  # the members who link the others, in words
    brokers_named: int = 0  # of them, named (only with --show-names, only who agreed)


@dataclass(frozen=True)
class Report:
    audience: str
    language: str
    title: str
    heading: str  # "Report for funders" / "What you told us"
    network: str
    description: str
    lede: str
    respondents: int
    who: tuple[str, ...]  # sentences about who responded
    response_rate: str  # "52%" or ""
    representation: tuple[str, ...]
    enablers: tuple[DimensionView, ...]
    net: tuple[DimensionView, ...]
    work: tuple[DimensionView, ...]
    others: tuple[DimensionView, ...]
    dimensions: tuple[DimensionView, ...]  # all, in display order
    scores_chart: Chart | None
    overview_chart: Chart | None
    has_change: bool
    headline_change: tuple[str, ...]
    change_chart: Chart | None
    change_notes: tuple[str, ...]
    segments: tuple[SegmentView, ...]
    weighted: tuple[tuple[str, str, str, str], ...]  # label, unweighted, weighted, n_effective
    weighted_by: str
    network_view: NetworkView | None
    quotes: tuple[QuoteView, ...]
    quotes_note: str
    # the consented answers not shown, and why (``quotes.held_back_words``); "" if none
    quotes_held: str
    strengths: tuple[DimensionView, ...]
    talk_about: tuple[TalkPoint, ...]
    next_steps: str
    privacy: tuple[str, ...]
    methods: tuple[tuple[str, str], ...]  # (heading, paragraph)
    exclusions: tuple[str, ...]
    cannot_tell: tuple[tuple[str, str], ...]
    min_group_size: int
    scale_words: str  # "1 (Strongly disagree) to 5 (Strongly agree)", and other scales'
    na_words: str
    warnings_note: str = ""
    extras: Mapping[str, Any] = field(default_factory=dict)
    names_on_map: bool = False  # --show-names, and at least one member agreed
    not_asked: str = ""  # statements with no column in the files (--allow-missing), in words
    # "When the survey was done": the first to the last submission, in words ("" unknown).
    fieldwork: str = ""
    baseline_fieldwork: str = ""
    branding: Branding | None = None  # the survey's report: block (logo embedded)
    trend: TrendView | None = None  # several waves (--wave): see report.trend
    # The funder report's summary (its first two pages) and appendix tables.
    who_sentence: str = ""  # who responded, in one sentence
    key_findings: tuple[str, ...] = ()  # three to five plain sentences
    summary_note: str = ""  # what the appendix holds, and the caveat to read
    who_detail: tuple[str, ...] = ()
    representation_tables: tuple[RepresentationView, ...] = ()
    change_lead: str = ""
    change_table: TableView | None = None
    weighted_table: TableView | None = None
    # members: the statements that are going well, each read the right way round
    going_well: tuple[GoingWell, ...] = ()
    # members: what each statement's share counts, where a scale is not of agreement
    # ('said "hardly ever" or "never"'); "" when every scale is, and the usual words hold
    share_words: str = ""
    going_well_note: str = ""  # members: a dimension also among the things to talk about
    agree_note: str = ""  # funder: what the "% agree" column counts on other scales


# --------------------------------------------------------------------------- formatting


def _f(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return unsigned(x, digits)


def _pct(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:.0f}%"


def _p(x: float | None) -> str:
    """A p-value for a table cell: "0.012", or "below 0.001", which reads the same in
    plain text as in Markdown (a "<" is written "&lt;" in Markdown source, and so read in
    an email or a text view)."""
    if x is None:
        return "-"
    return "below 0.001" if x < 0.001 else f"{x:.3f}"


def _p_is(x: float | None, name: str = "p") -> str:
    """A p-value in a sentence: "p = 0.012", or "p below 0.001"."""
    said = _p(x)
    return f"{name} {said}" if said.startswith("below") else f"{name} = {said}"


def _partial_words(result: ScoreResult) -> str:
    """Which scores rest on partial answers, and for what share of people."""
    parts = [
        f"{d.label} {d.partial_pct:.0f}%"
        for d in result.dimensions.values()
        if d.partial_pct and not d.suppressed
    ]
    if not parts:
        return " Everyone with a score answered every statement of that dimension."
    return (
        " Some people skipped statements, so their score rests on the ones they answered; "
        "the share of people with a score for whom that is so: " + "; ".join(parts) + "."
    )


def _members(result: ScoreResult) -> int | None:
    from relimpact.scoring.engine import membership_size

    return membership_size(result.survey)


def _interval(ci: tuple[float, float] | None) -> str:
    return f"{unsigned(ci[0])} to {unsigned(ci[1])}" if ci else "-"


def _kind(d: DimensionResult) -> str:
    if d.enabler:
        return "enabler"
    return d.focus if d.focus in ("net", "work") else "other"


def _first_scale(survey: Survey) -> Scale | None:
    qs = survey.scale_questions
    return survey.scale_of(qs[0]) if qs else None


def _dimension_scale(survey: Survey, dim: str) -> Scale | None:
    qs = survey.questions_of(dim)
    return survey.scale_of(qs[0]) if qs else None


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


# --------------------------------------------------------------------------- pieces


def favourable_labels(scale: Scale, *, reverse: bool = False) -> tuple[str, ...]:
    """The labels of a scale's favourable answers as worded: the points at or above its
    ``favourable_from``; for a statement said the other way round (``reverse``), the points
    that are favourable after reversal (``min + max - v`` at or above it). Empty when the
    scale has no ``favourable_from``."""
    if scale.favourable_from is None:
        return ()
    if reverse:
        top = scale.min_value + scale.max_value - scale.favourable_from
        return tuple(scale.label(v) for v in scale.values if v <= top)
    return tuple(scale.label(v) for v in scale.values if v >= scale.favourable_from)


def is_agree_scale(scale: Scale | None) -> bool:
    """Whether a scale's favourable answers are agreement ("Agree", "Strongly agree"), so
    that its share is rightly said as "agreed". A scale without ``favourable_from`` has no
    share to say, and keeps the usual words."""
    if scale is None:
        return True
    labels = [lab.casefold() for lab in favourable_labels(scale)]
    return all("agree" in lab and "disagree" not in lab for lab in labels)


def said_words(labels: Sequence[str]) -> str:
    """Answer labels as members read them in a sentence: "hardly ever or never"."""
    words = [_lower_first(lab) for lab in labels]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _item_view(it: ItemResult, scale: Scale | None = None) -> ItemView:
    """One statement's figures, with the words its scale calls for: "agreed" on an agree
    scale, else the scale's own favourable labels ("said hardly ever or never")."""
    said = said_other = ""
    if scale is not None and not is_agree_scale(scale):
        said = "said " + said_words(favourable_labels(scale))
        said_other = "said " + said_words(favourable_labels(scale, reverse=True))
    reads = ""
    if it.reverse and it.favourable_pct is not None:
        reads = (
            f"Here, the other answers are good: {_pct(it.favourable_pct)} {said_other}."
            if said
            else f"Here, disagreeing is good: {_pct(it.favourable_pct)} disagreed."
        )
    return ItemView(
        id=it.id,
        text=it.text,
        reverse=it.reverse,
        n=it.n,
        mean=_f(it.mean),
        agree=_pct(it.agree_pct),
        agree_value=it.agree_pct,
        favourable=_pct(it.favourable_pct),
        not_applicable="-" if it.not_applicable is None else str(it.not_applicable),
        counts=tuple(it.counts.items()),
        r_drop=_f(it.r_drop),
        reads=reads,
        favourable_value=None if it.suppressed else it.favourable_pct,
        said=said,
        said_other=said_other,
    )


def favourable_answering(scale: Scale | None) -> str:
    """What giving a scale's favourable answers is called, for a statement said the other
    way round, where they are not favourable: "agreeing" on an agree scale, else the
    scale's own words ("answering always"), so that a how-often statement is not said to
    be agreed with."""
    if is_agree_scale(scale) or scale is None:
        return "agreeing"
    return "answering " + said_words(favourable_labels(scale))


def _chart_words(scale: Scale, labels: Sequence[str]) -> dict[str, Any]:
    """The items chart's words for the two sides of a scale that is not one of agreement:
    its lower and upper halves' labels ("often/always, some of the time" and "hardly ever,
    never"), and "upper" over the column of the upper half's share. {} on an agree scale
    (the chart says "disagree" and "agree")."""
    if is_agree_scale(scale):
        return {}
    half = len(labels) // 2
    low = ", ".join(_lower_first(x) for x in labels[:half])
    up = ", ".join(_lower_first(x) for x in labels[len(labels) - half :])
    return {"ends": (low, up), "high": "upper"}


def _said(it: ItemView) -> str:
    """What the statement's "agree" share counts, as a verb phrase: "agreed with this" or,
    on another scale, "said hardly ever or never"."""
    return it.said or "agreed with this"


def _change_view(entry: Mapping[str, Any] | None, label: str) -> ChangeView | None:
    if entry is None:
        return None
    from relimpact.scoring.change import change_words

    e = dict(entry)
    has = e.get("difference") is not None
    improved, same, declined = e.get("improved"), e.get("same"), e.get("declined")
    test = {
        "wilcoxon-signed-rank": "Wilcoxon signed-rank (matched)",
        "mann-whitney": ("Mann-Whitney (unmatched)"),
    }.get(e.get("test") or "", "-")
    return ChangeView(
        before=_f(e.get("before")),
        after=_f(e.get("after")),
        difference="-" if not has else signed(e["difference"]),
        n_before=int(e.get("n_before") or 0),
        n_after=int(e.get("n_after") or 0),
        n_matched=int(e.get("n_matched") or 0),
        test=test,
        p=_p(e.get("p")),
        p_adjusted=_p(e.get("p_adjusted")),
        effect_size=_f(e.get("effect_size")),
        improved="-" if improved is None else str(improved),
        same="-" if same is None else str(same),
        declined="-" if declined is None else str(declined),
        words=change_words(e, label),
        has_figure=has,
        member_words=_member_change_words(e, label),
        matched_difference=_signed_or_dash(e.get("matched_difference")),
        hodges_lehmann=_shift_text(e.get("hodges_lehmann"), e.get("hl_ci95")),
    )


def _member_change_words(e: Mapping[str, Any], label: str) -> str:
    """A change in plain words for members: which way, for whom, and whether it could be
    chance; no test names and no intervals (the funder report has those)."""
    from relimpact.scoring.change import CHANCE_BELOW

    if e.get("difference") is None:
        return f"{label}: we cannot say, as too few people answered both times."
    matched = e.get("matched_difference")
    lead = matched if matched is not None else e["difference"]
    who = (
        f"for the {e.get('n_matched')} of us who answered both times"
        if matched is not None
        # not the same people: the two surveys' answers compared, whoever gave them
        else "comparing those who answered last time with those who answered this time"
    )
    if f"{abs(lead):.1f}" == "0.0":
        return f"{label}: about the same as last time, {who}."
    way = "up" if lead > 0 else "down"
    printed = f"{abs(lead):.1f}"
    words = (
        f"{label}: {way} {_change_size(float(printed))} since last time ({printed} on a 1 to 5 "
        f"scale), {who}."
    )
    improved, declined = e.get("improved"), e.get("declined")
    if improved is not None and declined is not None and improved != declined:
        words += (
            " More of us said it got better than worse."
            if improved > declined
            else " More of us said it got worse than better."
        )
    p = e.get("p_adjusted") if e.get("p_adjusted") is not None else e.get("p")
    if p is not None:
        words += (
            " This is not likely to be chance." if p < CHANCE_BELOW else " This could be chance."
        )
    return words


def _change_size(printed: float) -> str:
    """How big a change is in words, decided by the figure printed beside them (rounded to
    one decimal), so that the same printed 0.3 is never "a little" in one line and "quite
    a bit" in the next: under 0.3 "a little", under 0.6 "quite a bit", else "a lot"."""
    return "a little" if printed < 0.3 else "quite a bit" if printed < 0.6 else "a lot"


def _signed_or_dash(x: float | None) -> str:
    return "-" if x is None else signed(x)


def _shift_text(hl: float | None, ci: Sequence[float] | None) -> str:
    """The Hodges-Lehmann estimate and its 95% interval, "+0.50 (+0.25 to +0.75)"."""
    if hl is None:
        return "-"
    if ci is None:
        return f"{signed(hl)} (no 95% interval: too few)"
    return f"{signed(hl)} ({signed(ci[0])} to {signed(ci[1])})"


def _reliability(d: DimensionResult) -> str:
    from relimpact.scoring.engine import hangs_together

    k = len(d.items)
    if d.alpha is None:
        if k < 2:
            return "Reliability cannot be measured for a single statement."
        return (
            "Reliability could not be measured (too few people answered the statements together)."
        )
    ci = ""
    if d.alpha_ci95:
        ci = f" (95% interval {unsigned(d.alpha_ci95[0])} to {unsigned(d.alpha_ci95[1])})"
    omega = ""
    if d.omega_total is not None:
        omega = f"; McDonald's omega {unsigned(d.omega_total)}"
        if d.omega_reversed:
            omega += " (counting " + ", ".join(d.omega_reversed) + " reversed)"
    return f"Reliability: Cronbach's alpha {unsigned(d.alpha)}{ci}, {d.alpha_words}{omega}. " + (
        "The statements hang together well enough to be read as one score."
        if hangs_together(d)
        else "The statements do not hang together strongly; read the statements one by "
        "one rather than relying on the single score."
    )


def _member_summary(d: DimensionResult) -> str:
    if d.mean is None or d.favourable_pct is None:
        return "Not enough people answered these questions for us to show the results."
    share = d.favourable_pct
    if share >= 75:
        lead = "Most of us"
    elif share >= 55:
        lead = "More than half of us"
    elif share >= 45:
        lead = "About half of us"
    elif share >= 25:
        lead = "Fewer than half of us"
    else:
        lead = "Only a few of us"
    return f"{lead} gave a positive answer on this ({share:.0f} in every 100 answers)."


def _dimension_view(
    result: ScoreResult, d: DimensionResult, audience: str, uid: str
) -> DimensionView:
    from relimpact.report.charts import ItemBar, items_chart
    from relimpact.report.summary import chart_table, items_table

    survey = result.survey
    scale = _dimension_scale(survey, d.id)
    items = tuple(_item_view(result.items[i], scale) for i in d.items if i in result.items)
    chart = None
    chart_figures = None
    shown = d.mean is not None and not d.suppressed
    if shown and scale is not None and items:
        labels = [scale.label(v) for v, _ in scale.points]
        chart_figures = chart_table(
            d.label,
            labels,
            [it for it in items if not result.items[it.id].suppressed],
        )
        bars = [
            ItemBar(
                label=result.items[i].text,
                counts=[result.items[i].counts.get(lab, 0) for lab in labels],
                not_applicable=result.items[i].not_applicable or 0,
                note=(
                    f"said the other way round: {favourable_answering(scale)} is not favourable"
                    if result.items[i].reverse and audience == "funder"
                    else ""
                ),
            )
            for i in d.items
            if i in result.items and not result.items[i].suppressed
        ]
        chart = items_chart(
            bars,
            labels,
            f"{d.label}: how people answered each statement",
            uid,
            na_label="n/a",
            **_chart_words(scale, labels),
        )
    dimension = survey.dimensions.get(d.id)
    plain = audience == "members" and dimension is not None and dimension.members_label
    label = dimension.members_label if plain and dimension is not None else d.label
    change = None
    if result.change is not None and d.id in result.change:
        change = _change_view(result.change[d.id], label)
    return DimensionView(
        id=d.id,
        label=label,
        description=d.description,
        kind=_kind(d),
        n=d.n,
        mean=_f(d.mean),
        mean_value=d.mean,
        interval=_interval(d.ci95) if d.ci95 or d.suppressed else "none (too few people)",
        band=d.band or "",
        band_words=" or ".join(
            MEMBER_BAND_WORDS.get(b, "") for b in (d.band_range or d.band or "").split(" or ")
        )
        if d.band
        else "",
        band_text=d.band_range or d.band or "",
        favourable=_pct(d.favourable_pct),
        alpha=_f(d.alpha),
        alpha_interval=_interval(d.alpha_ci95),
        reliability=_reliability(d),
        shown=shown,
        items=items,
        chart=chart,
        change=change,
        summary=_member_summary(d),
        about=dimension.members_about if dimension is not None else "",
        items_table=items_table(label, items) if audience == "funder" else None,
        chart_table=chart_figures,
        agree_label=(
            "agree"
            if scale is None or is_agree_scale(scale)
            else said_words(favourable_labels(scale))
        ),
    )


def _segment_views(result: ScoreResult) -> tuple[SegmentView, ...]:
    """One table per segment question: a column per group, a row per dimension."""
    from relimpact.report.summary import segment_table

    k = result.survey.min_group_size
    dims = list(result.dimensions.values())
    out = []
    for seg in result.segments.values():
        groups = tuple((g.name, "not shown" if g.suppressed else str(g.n)) for g in seg.groups)
        hidden = sum(1 for g in seg.groups if g.suppressed)
        rows = []
        any_hidden_cell = False
        any_bare = False
        for d in dims:
            cells = []
            for g in seg.groups:
                gd = None if g.suppressed else g.dimensions.get(d.id)
                if gd is None or gd.suppressed or gd.mean is None:
                    cells.append("not shown")
                    any_hidden_cell = any_hidden_cell or not g.suppressed
                else:
                    scale = result.survey.scale_of(result.survey.questions_of(d.id)[0])
                    cell = _group_cell(scale, gd.mean, gd.ci95)
                    any_bare = any_bare or cell.endswith(f"({FEW_ANSWERS})")
                    cells.append(cell)
            rows.append((d.label, tuple(cells)))
        notes = []
        if hidden or any_hidden_cell:
            notes.append(
                f"\u201cNot shown\u201d: the group has fewer than {k} people (or fewer than {k} "
                "answered that dimension), or its figure could be worked out from the groups "
                "that are shown and the overall figure, so it is hidden too."
            )
        if any_bare:
            notes.append(FEW_ANSWERS_NOTE)
        note = " ".join(notes)
        view = SegmentView(
            seg.question, seg.text, groups, tuple(rows), hidden, note, _differences(result, seg)
        )
        out.append(replace(view, table=segment_table(view)))
    return tuple(out)


FEW_ANSWERS = "few answers: no interval"
FEW_ANSWERS_NOTE = (
    "\u201cFew answers: no interval\u201d: too few people in the group answered for a 95% "
    "interval, so no band is given; the score is a rough guide."
)


def _group_cell(scale: Scale, mean: float, ci: tuple[float, float] | None) -> str:
    """A group's score with its band: "4.17 (strength)", "3.98 (borderline or strength)"
    where its 95% interval crosses a line, and "4.17 (few answers: no interval)" without
    an interval. A group too small for an interval is never given a firm band: its band
    is not known with any certainty (``band_certain`` is None), while the whole network's,
    with an interval, may be only "borderline or strength"."""
    if ci is None and scale.band(mean) is not None:
        return f"{unsigned(mean)} ({FEW_ANSWERS})"
    spans = scale.band_range(mean, ci)
    return f"{unsigned(mean)} ({spans})" if spans else unsigned(mean)


def _differences(result: ScoreResult, seg: SegmentResult) -> str:
    """The dimensions on which a segment's shown groups differ beyond chance (Kruskal-Wallis,
    BH-adjusted across every segment x dimension test), and only those."""
    from relimpact.scoring.change import CHANCE_BELOW

    if not seg.tests:
        return ""
    tested = sum(len(s.tests) for s in result.segments.values())
    found = [
        (result.dimensions[d].label, t)
        for d, t in seg.tests.items()
        if t.p_adjusted is not None and t.p_adjusted < CHANCE_BELOW and d in result.dimensions
    ]
    if not found:
        return (
            "None of the differences between these groups is clearly beyond chance "
            f"(Kruskal-Wallis tests, adjusted for the {tested} group comparisons made)."
        )
    listed = "; ".join(f"{label} ({_p_is(t.p_adjusted, 'adjusted p')})" for label, t in found)
    return (
        "The groups differ by more than chance would easily give on: "
        f"{listed} (Kruskal-Wallis tests, adjusted for the {tested} group comparisons made). "
        "The other differences could be chance."
    )


def _population_total(survey: Survey) -> int | None:
    for counts in survey.population.values():
        total = sum(counts.values())
        if total:
            return total
    return None


def _roster_answered(result: ScoreResult) -> tuple[int, int] | None:
    """(members who answered, members on the list) from the network map's roster, which is
    the whole membership, when the survey has one and gives no population counts."""
    if _population_total(result.survey) or result.network is None or not result.network.members:
        return None
    return result.network.responded, result.network.members


def _who(result: ScoreResult, audience: str) -> tuple[tuple[str, ...], str]:
    survey = result.survey
    n = result.respondents
    total = _population_total(survey)
    rate = ""
    sentences = []
    if audience == "members":
        sentences.append(
            f"{count_of(n, 'person', 'people')} answered the survey. Thank you to everyone "
            "who took part."
        )
        roster = _roster_answered(result)
        if roster is not None:
            rate = _pct(100.0 * roster[0] / roster[1])
            sentences.append(f"{roster[0]} of the {roster[1]} members on the network map answered.")
        elif total:
            rate = _pct(100.0 * n / total)
            sentences.append(
                f"There are about {total} members, so about {round(10 * n / total)} in every "
                "10 of us answered."
            )
        return tuple(sentences), rate
    removed = result.rows - n
    sentences.append(
        count_of(n, "respondent")
        + (
            f" ({result.rows} rows read; {removed} removed as duplicates or empty, see Methods)"
            if removed
            else ""
        )
        + "."
    )
    roster = _roster_answered(result)
    if roster is not None:
        rate = _pct(100.0 * roster[0] / roster[1])
        sentences.append(
            f"{roster[0]} of the {roster[1]} members on the network map's member list answered, "
            f"a response rate of {rate}."
        )
    elif total:
        rate = _pct(100.0 * n / total)
        if not getattr(result, "representation", None):
            sentences.append(f"The membership is {total}, so the response rate is {rate}.")
    else:
        sentences.append(
            "The survey does not give the size of the membership, so the response rate is "
            "not known."
        )
    return tuple(sentences), rate


def _representation(result: ScoreResult) -> tuple[str, ...]:
    reps = getattr(result, "representation", None) or {}
    if not reps:
        return ()
    from relimpact.scoring.representation import representation_words

    return tuple(representation_words(r) for r in reps.values())


def _weighted(result: ScoreResult) -> tuple[tuple[tuple[str, str, str, str], ...], str]:
    w = getattr(result, "weighted", None)
    if w is None:
        return (), ""
    rows = []
    for dim, wd in w.dimensions.items():
        label = result.dimensions[dim].label if dim in result.dimensions else dim
        weighted = _f(wd.mean)
        ci = getattr(wd, "ci95", None)
        if wd.mean is not None and ci is not None:
            weighted += f" ({unsigned(ci[0])} to {unsigned(ci[1])})"
        rows.append((label, _f(wd.unweighted_mean), weighted, _f(wd.n_effective, 0)))
    return tuple(rows), w.by


ASKS = (
    "What would help more of us to agree next time?",
    "What could we try together to change this?",
    "What would it take for this to be true for you?",
    "Who else should we ask about this, and how?",
)
ASKS_REVERSED = (
    "What could we do differently, so that fewer of us feel this way?",
    "What would have to change for this to be less true?",
)


GOING_WELL_FROM = 70.0  # % favourable from which a statement is going well: most of us


def _going_well(dims: Sequence[DimensionView], talk: Sequence[TalkPoint]) -> tuple[GoingWell, ...]:
    """The statements that are going well, judged statement by statement after reversal:
    at least 70% of those who answered gave the favourable answer. A statement said the
    other way round ("A small group makes most decisions") is going well when few agree
    with it, and is shown with the share who disagreed, the figure that reads the right
    way. In the order of the report; none that is also a thing to talk about."""
    asked = {t.statement for t in talk}
    found: list[GoingWell] = []
    for d in dims:
        if not d.shown:
            continue
        statements = []
        for it in d.items:
            fav = it.favourable_value
            if fav is None or fav < GOING_WELL_FROM or it.text in asked:
                continue
            if it.reverse and it.said:
                statements.append(
                    GoingWellStatement(
                        it.text,
                        f"Only {it.agree} of us {it.said}, and {_pct(fav)} {it.said_other}.",
                        "It is said the other way round, so those other answers are good here.",
                    )
                )
            elif it.reverse:
                statements.append(
                    GoingWellStatement(
                        it.text,
                        f"Only {it.agree} of us agreed with this, and {_pct(fav)} disagreed.",
                        "It is said the other way round, so disagreeing is good here.",
                    )
                )
            else:
                statements.append(GoingWellStatement(it.text, f"{it.agree} of us {_said(it)}."))
        if statements:
            found.append(GoingWell(d.label, tuple(statements)))
    return tuple(found)


def _under_half(printed: str) -> bool:
    """Whether a printed share ("37%") is under half: only then is it "Only 37%"."""
    return printed.endswith("%") and float(printed[:-1]) < 50


def _both_lists(going_well: Sequence[GoingWell], talk: Sequence[TalkPoint]) -> str:
    """The rule for a dimension in both members' lists, said where it happens: a
    dimension can be going well in some statements and a thing to talk about in another
    (a statement is never in both lists), so it may be under both headings."""
    asked = {t.label for t in talk}
    both = [g.label for g in going_well if g.label in asked]
    if not both:
        return ""
    one = len(both) == 1
    return (
        f"{_join_and(both)} {'is' if one else 'are'} also in the things to talk about below: "
        f"some of {'its' if one else 'their'} statements went well, and one did not."
    )


def _talk_points(dims: Sequence[DimensionView]) -> tuple[TalkPoint, ...]:
    """Borderline and concern dimensions as open questions, concerns first."""
    out = []
    ordered = [d for d in dims if d.band == "concern"] + [d for d in dims if d.band == "borderline"]
    for d in ordered:
        if not d.shown:
            continue
        scored = [i for i in d.items if i.agree_value is not None]
        if not scored:
            continue

        def favour(i: ItemView) -> float:
            a = i.agree_value or 0.0
            return 100.0 - a if i.reverse else a

        worst = min(scored, key=favour)
        if worst.reverse:
            ask = ASKS_REVERSED[len(out) % len(ASKS_REVERSED)]
            question = f"{worst.agree} of us {_said(worst)}. {ask}"
        else:
            ask = ASKS[len(out) % len(ASKS)]
            if worst.said and ask == ASKS[0]:  # "to agree" is not the answer here
                ask = ASKS[1]
            # "Only" for under half: 65% is most of us, and "Only 65%" read as a few
            only = "Only " if _under_half(worst.agree) else ""
            question = f"{only}{worst.agree} of us {_said(worst)}. {ask}"
        out.append(TalkPoint(d.label, d.band_words, worst.text, worst.agree, question))
    return tuple(out)


def _network_view(
    result: ScoreResult, responses: ResponseSet, show_names: bool, audience: str = "funder"
) -> NetworkView:
    from relimpact.net.brokers import brokers_words
    from relimpact.net.mixing import mixing_words
    from relimpact.net.network import (
        coverage_words,
        exit_check_words,
        network_change_words,
        network_map_svg,
        nominations_from,
    )

    survey = result.survey
    stats_ = result.network
    assert stats_ is not None
    nm = survey.network_map
    member_q = next((q for q in survey.questions if q.type == "member"), None)
    links_q = next((q for q in survey.questions if q.type == "connections"), None)
    svg = ""
    labels: dict[str, str] = {}
    if nm is not None and member_q is not None and links_q is not None:
        members = responses.member.get(member_q.id, ())
        links = responses.connections.get(links_q.id, ())
        nominations = nominations_from(members, links) if members else {}
        colour_by: dict[str, str] = {}
        segment_name = ""
        seg_q = next((q for q in survey.segment_questions if q.id in responses.choice), None)
        hidden: set[str] = set()
        if seg_q is not None and seg_q.id in result.segments:
            from relimpact.read.groups import NO_ANSWER

            cat = responses.choice[seg_q.id]
            segment_name = seg_q.text
            # the segment table's decision: a group hidden there has no colour on the map
            hidden = {g.name for g in result.segments[seg_q.id].groups if g.suppressed}
            for who, code in zip(members, cat.codes.tolist(), strict=False):
                if who:
                    colour_by[who] = cat.categories[code] if code >= 0 else NO_ANSWER
        if show_names:
            consent = survey.name_consent_question  # never the consent to be quoted
            if consent is not None and consent.id in responses.consent:
                agreed = responses.consent[consent.id].tolist()
                labels = {who: who for who, ok in zip(members, agreed, strict=False) if who and ok}
        svg = network_map_svg(
            nm.members,
            nominations,
            colour_by,
            labels,
            title="Who works with whom",
            convenors=nm.convenors,
            segment_name=segment_name,
            min_group_size=survey.min_group_size,
            hidden=hidden,
        )
    nc = result.network_change or {}

    def then(key: str, digits: int) -> str:
        """The figure at the baseline: "" without a baseline or for a figure not compared."""
        if not nc or not key:
            return ""
        before = (nc.get(key) or {}).get("before")
        return "-" if before is None else _f(before, digits)

    rows: tuple[tuple[str, str, str, int], ...] = (
        ("Members on the list", str(stats_.members), "", 0),
        ("Members who answered", str(stats_.responded), "responded", 0),
        ("Links named", str(stats_.ties), "", 0),
        ("Separate groups (a member on their own counts as one)", str(stats_.components),
         "components", 0),
        ("Members with no link", str(stats_.isolates), "isolates", 0),
        ("Density (share of possible links)", _f(stats_.density), "density", 2),
        ("Reciprocity (links named both ways)", _f(stats_.reciprocity), "", 0),
    )  # fmt: skip
    if stats_.strength is not None:
        rows += (("Weighted density (each link by its level)", _f(stats_.strength.weighted_density),
                  "", 0),)  # fmt: skip
    if stats_.brokers is not None and stats_.brokers.paths_through_top is not None:
        rows += (("Shortest routes through the top 10% of members",
                  f"{stats_.brokers.paths_through_top * 100:.0f}%", "", 0),)  # fmt: skip
    for mx in stats_.mixing:
        # the E-I index is for funders; members see the map's plain figures
        if mx.ei is not None and audience == "funder":
            rows += ((f"E-I index by \u201c{mx.text}\u201d (-1 all within, +1 all across)",
                      _f(mx.ei), "", 0),)  # fmt: skip
    figures = tuple((name, now, then(key, digits)) for name, now, key, digits in rows)
    from relimpact.net.strength import strength_words

    broker_names: tuple[str | None, ...] = ()
    if stats_.brokers is not None and labels:  # --show-names: only the members who agreed
        broker_names = stats_.brokers.named(labels)
    return NetworkView(
        strength=strength_words(stats_.strength) if stats_.strength is not None else "",
        mixing=tuple(line for mx in stats_.mixing for line in mixing_words(mx, audience)),
        brokers=(
            brokers_words(stats_.brokers, broker_names, audience)
            if stats_.brokers is not None
            else ""
        ),
        brokers_named=sum(1 for x in broker_names if x),
        svg=svg,
        coverage=coverage_words(stats_),
        exit_check=exit_check_words(stats_),
        figures=figures,
        change=network_change_words(nc) if nc else "",
        named=len(labels),
    )


def _methods(
    result: ScoreResult, quotes_rule: str, names_on_map: bool = False
) -> tuple[tuple[str, str], ...]:
    from relimpact.scoring import stats

    survey = result.survey
    k = survey.min_group_size
    parts: list[tuple[str, str]] = []
    if survey.description.strip():
        about = " ".join(survey.description.split())
        version = f" (version {survey.version})" if survey.version else ""
        parts.append(("The survey", f"{survey.title}{version}: {about}"))
    seen_scales = []
    for q in survey.scale_questions:
        if q.scale not in seen_scales:
            seen_scales.append(q.scale)
    for sid in seen_scales:
        sc = survey.scales[sid]
        points = ", ".join(f"{v} = {sc.label(v)}" for v, _ in sc.points)
        na = ""
        if sc.not_applicable:
            na = (
                " Answers of "
                + " or ".join(f"\u201c{x}\u201d" for x in sc.not_applicable)
                + " are counted and shown beside each statement, and never scored."
            )
        parts.append(("Answers become numbers", f"Each answer is given its point: {points}.{na}"))
        if sc.favourable_from is not None:
            parts.append(
                (
                    "% favourable",
                    f"An answer is favourable when it is {sc.favourable_from} "
                    f"({sc.label(sc.favourable_from)}) or higher after reversal. A statement's % "
                    "favourable is its share of favourable answers among those who answered on "
                    "the scale; a dimension's is the average of its statements' percentages. "
                    + (
                        "% agree (for members) is the same share as answered, before reversal."
                        if is_agree_scale(sc)
                        else f"% {said_words(favourable_labels(sc))} (for members) is the same "
                        "share as answered, before reversal."
                    ),
                )
            )
        bands_at = sc.thresholds()
        if bands_at is not None:
            strength, borderline = bands_at
            how = (
                " These are the defaults for a scale of this length: 75% and 50% of the way "
                "from its lowest point to its highest, where 4 and 3 sit on a 1-5 scale."
                if sc.default_bands
                else ""
            )
            parts.append(
                (
                    "Bands",
                    f"A score of {strength:g} or more is a strength; from {borderline:g} "
                    f"up to {strength:g} it is borderline; below {borderline:g} it is a "
                    "concern. Where a score's 95% interval crosses one of these lines, the "
                    'band is given as both ("borderline or strength"): the score could '
                    "lie on either side." + how,
                )
            )
    # the statements as worded, not their ids: a funder reads the report, not the YAML
    reversed_questions = [q for q in survey.scale_questions if q.reverse]
    reversed_items = [f"\u201c{' '.join(q.text.split())}\u201d" for q in reversed_questions]
    if reversed_items:
        # "agreeing" on agree scales; a how-often scale's own words ("answering always")
        doing = {favourable_answering(survey.scales.get(q.scale or "")) for q in reversed_questions}
        unfavourable = (
            f"{doing.pop()} is unfavourable"
            if len(doing) == 1
            else "the answers favourable on other statements are unfavourable"
        )
        sc = _first_scale(survey)
        lohi = f"{sc.min_value} + {sc.max_value}" if sc else "min + max"
        parts.append(
            (
                "Statements said the other way round",
                (
                    f"1 statement is worded so that {unfavourable} "
                    f"({reversed_items[0]}). It is reversed before scoring: a value v "
                    if len(reversed_items) == 1
                    else f"{len(reversed_items)} statements are worded so that {unfavourable} "
                    f"({'; '.join(reversed_items)}). They are reversed before "
                    "scoring: a value v "
                )
                + f"counts as ({lohi}) \u2212 v, on the scale's declared points.",
            )
        )
    parts.append(
        (
            "Scores",
            "A person's score on a dimension is the average of the statements they answered, "
            "counted only if they answered at least half of them (rounded up). A dimension's "
            "score is the average of those scores, and n is how many people had one. The net "
            "and the work are scored and shown separately and never added together."
            + _partial_words(result),
        )
    )
    if result.not_asked:
        parts.append(("Statements not asked", not_asked_words(result)))
    parts.append(
        (
            "95% intervals",
            "Each score's 95% interval is chosen by how many people it rests on, so that "
            "it keeps its promise (checked by simulation with missing answers): below "
            f"{stats.NO_INTERVAL_BELOW} people no interval is shown; from "
            f"{stats.NO_INTERVAL_BELOW} to {stats.T_BELOW - 1}, Student's t interval; from "
            f"{stats.T_BELOW}, a percentile bootstrap of the mean ({stats.DEFAULT_RESAMPLES:,} "
            f"resamples drawn with the fixed seed {result.seed}, so the same answers always "
            "give the same report). Below "
            f"{stats.WARN_INTERVAL_BELOW} people a warning says the interval is rough. "
            "% favourable has Wilson's interval. "
            + (
                f"The survey gives the membership as {_members(result)} people, so intervals "
                "are narrowed by the finite-population correction (hearing from most members "
                "leaves less to chance). "
                if _members(result)
                else ""
            )
            + "The interval shows how far the score could plausibly move with a different "
            "set of respondents from the same network.",
        )
    )
    parts.append(
        (
            "Reliability",
            "Cronbach's alpha is computed from the pairwise-complete covariances of each "
            "dimension's statements (as R's psych::alpha does by default), with Feldt's 95% "
            "interval taking as its number of people the mean number who answered each pair "
            "of statements. Where any pair was answered together by fewer than "
            f"{max(5, k)} people, alpha is not given. McDonald's omega (total, one factor, "
            "as R's psych::omega) is given beside it from three statements: it does not "
            "assume every statement reflects the dimension equally. In words: 0.80 or more "
            "good, 0.70 to 0.79 acceptable, 0.60 to 0.69 questionable, below 0.60 low. A "
            "score is read as one when alpha or omega reaches 0.70. With fewer than three "
            "statements alpha is a weak guide; with one it is not computed.",
        )
    )
    parts.append(
        (
            "Privacy and small groups",
            f"No figure is shown for a group of fewer than {k} people. Suppression is "
            "complementary: where hiding one group would let its figure be worked out from "
            "the overall figure and the other groups, the next smallest group is hidden too. "
            "People who left a group question blank are a group of their own. "
            + (
                "The network map names only the members who said yes to being named on it; "
                "no other names, and no email addresses, member codes or other personal "
                "details, appear in this report's figures."
                if names_on_map
                else "Names, email addresses, member codes and other personal details never "
                "appear in this report's figures."
            )
            + " Quotes have those that can be found taken out (see Quotes)."
            + "".join(f" Warning: {w}" for w in survey.privacy_warnings),
        )
    )
    if result.network is not None:
        parts.append(("The network map", _network_method(result, names_on_map)))
    if result.change is not None:
        parts.append(
            (
                "Change between waves",
                "Where members could be matched between the two surveys through their member "
                "code, the change reported is theirs: the mean of each matched member's "
                "change, and the Hodges-Lehmann estimate with its 95% interval and the "
                "Wilcoxon signed-rank test, as R's wilcox.test(after, before, paired = TRUE, "
                "conf.int = TRUE) on the differences rounded to 10 decimals. Otherwise the "
                "two waves are compared as separate groups (the Mann-Whitney test and its "
                "Hodges-Lehmann shift). The means of everyone who answered each survey are "
                "given as context only. The effect size is the rank-biserial correlation. "
                "p-values are adjusted across dimensions (Benjamini-Hochberg). With too few "
                "people, no change figure is given.",
            )
        )
    parts.append(("Quotes", quotes_rule))
    return tuple(parts)


CONTACT_MARKS = ("[email]", "[phone]", "[link]")

QUOTES_RULE = (
    "Written answers are quoted only where the person said yes to being quoted, and only "
    "from questions meant for quoting. Email addresses, phone numbers, web links, IP "
    "addresses, postcodes, member codes and people's names are removed and replaced with "
    "[email], [phone], [link], [ip], [postcode], [code] or [name]. The names removed are "
    "those the response files hold (name and email columns, the network map's roster), "
    "names after a title or 'my name is', and common first names of many countries with "
    "the capitalised surname after them (a first name that is also an English word or a "
    "country, such as Will, May or Jordan, only before a surname or after 'called', "
    "'named', 'friend', 'thanks to', 'met' or 'with'); a rare name or a nickname on its "
    "own can be missed. An answer that says little once they are removed is not "
    "quoted, and neither is one that gave contact details (a message to the organisers, "
    "not a story). Quotes are not linked to any group, none comes from a group too small to "
    "show, and none is shown at all when fewer than {k} people agreed to be quoted."
)


def not_asked_words(result: ScoreResult) -> str:
    """Which scored statements had no column in the files (read with --allow-missing), and
    what that does to their dimensions' scores."""
    survey = result.survey
    said = []
    for qid in result.not_asked:
        q = survey.question(qid)
        dim = survey.dimensions.get(q.dimension or "")
        label = f" ({dim.label})" if dim is not None else ""
        said.append(f"\u201c{' '.join(q.text.split())}\u201d{label}")
    one = len(said) == 1
    text = (
        f"{'This statement' if one else f'These {len(said)} statements'} of the survey "
        f"{'was' if one else 'were'} not in the response files, so nobody's answer to "
        f"{'it' if one else 'them'} is counted: {'; '.join(said)}."
    )
    missing = set(result.not_asked)
    dims = list(dict.fromkeys(survey.question(q).dimension or "" for q in result.not_asked))
    unscored = [d for d in dims if all(q.id in missing for q in survey.questions_of(d))]
    partial = [d for d in dims if d not in unscored]
    if partial:
        labels = " and ".join(survey.dimensions[d].label for d in partial if d in survey.dimensions)
        text += (
            f" The score of {labels} rests on its other statements."
            if len(partial) == 1
            else f" The scores of {labels} rest on their other statements."
        )
    if unscored:
        labels = " and ".join(
            survey.dimensions[d].label for d in unscored if d in survey.dimensions
        )
        one_dim = len(unscored) == 1
        text += (
            f" {labels} {'has' if one_dim else 'have'} no score: none of "
            f"{'its' if one_dim else 'their'} statements was asked."
        )
    return text


def _network_method(result: ScoreResult, names_on_map: bool) -> str:
    survey = result.survey
    k = survey.min_group_size
    seg = next((q for q in survey.segment_questions), None)
    colours = (
        f" Dots are coloured by the answer to \u201c{seg.text}\u201d; an answer hidden in "
        f"the tables, or given by fewer than {k} members on the map, is drawn as "
        "\u201cOther\u201d together with at least one more, so no small group stands out "
        "and no named member is the only dot of a colour."
        if seg is not None
        else ""
    )
    names = (
        " Members who said yes to being named are named; the others are unnamed dots."
        if names_on_map
        else " The dots are not named."
    )
    return (
        "Each member who answered named the members they had worked with. A link joins two "
        "members when either named the other; a line is thicker when both named each other. "
        "Members who did not answer appear when others named them, but links between two "
        "members who both did not answer cannot be seen. Density is the share of all "
        "possible links, counted one way, that were named: links / (members \u00d7 (members "
        "\u2212 1)). Reciprocity is the share of links that were named both ways. The exit "
        "check takes the convenors named in the survey out of the map and counts the separate "
        "groups that are left (a member on their own counts as one)." + colours + names
    )


def _cannot_tell(result: ScoreResult, dims: Sequence[DimensionView]) -> tuple[tuple[str, str], ...]:
    survey = result.survey
    n = result.respondents
    total = _population_total(survey)
    widths = [
        d.ci95[1] - d.ci95[0]
        for d in result.dimensions.values()
        if d.ci95 is not None and d.mean is not None
    ]
    widest = max(widths) if widths else None
    small = (
        f"{count_of(n, 'person', 'people')} answered. Each score's 95% interval shows how "
        "much it could move with a different set of respondents"
        + (f"; the widest here spans {widest:.2f} points" if widest is not None else "")
        + ". Differences smaller than the intervals, between dimensions or between groups, "
        "may be chance."
    )
    roster = _roster_answered(result)
    if roster is not None:
        who = (
            f"{roster[1] - roster[0]} of the {roster[1]} members on the network map's list did "
            "not answer. People who answer surveys are often the most involved; the views of "
            "those who did not may differ."
        )
    elif total:
        missing = max(total - n, 0)
        who = (
            f"{missing} of the {total} members did not answer. People who answer surveys "
            "are often the most involved; the views of those who did not may differ."
        )
    else:
        who = (
            "We do not know how many members were asked, so we cannot say how many did not "
            "answer. People who answer surveys are often the most involved; the views of "
            "those who did not may differ."
        )
    return (
        (
            "Contribution, not attribution",
            "These figures describe how members see the network. The network works "
            "alongside many other people, organisations and events, so the figures can show "
            "what it contributes to, not prove what it caused"
            + (
                "; a change between surveys may have other causes"
                if result.change is not None
                else ""
            )
            + ".",
        ),
        ("Small numbers", small),
        ("Who did not answer", who),
        (
            "What people tell us",
            "Answers are what people chose to tell us at one moment. They can be shaped by "
            "mood, by recent events, by who is asking, and by wanting to be kind to the "
            "people who run the network.",
        ),
        (
            "Groups we cannot show",
            f"Groups of fewer than {survey.min_group_size} people are hidden to protect "
            "privacy, so the views of the smallest groups cannot be seen on their own here.",
        ),
    )


def _lede(result: ScoreResult, audience: str) -> str:
    who = result.survey.network or "the network"
    n = result.respondents
    if audience == "members":
        return (
            "This is a short summary of what members told us in the survey, in plain words. "
            "It shows what is going well, and some things we would like to talk about together."
        )
    aspects = "the net and the work of " + who
    if any(d.enabler for d in result.dimensions.values()):
        aspects += ", and the four strategic enablers that help a network thrive"
    then = " It also shows what has changed since the last survey." if result.change else ""
    return (
        f"What {n} people told us about {aspects}: each figure with how sure we can be of it, "
        f"and what it cannot tell you.{then}"
    )


def _privacy(result: ScoreResult, names_on_map: bool = False) -> tuple[str, ...]:
    k = result.survey.min_group_size
    out = [
        (
            "The network map names only the members who said yes to being named. No other "
            "names, and no email addresses or member codes, appear in the figures of this "
            "summary."
            if names_on_map
            else "No names, email addresses or member codes appear in the figures of this summary."
        ),
        f"Results are only shown for groups of {k} or more people, so no one can be picked out."
        + (
            f" {k} is fewer than the usual 5: in a group that small, people can sometimes "
            "tell who answered what."
            if result.survey.privacy_warnings
            else ""
        ),
        "We only quote people who said yes. We take out the names the survey files hold, "
        "common first names, phone numbers, email addresses, links, postcodes and member "
        "codes. A rare name or a nickname can still be missed.",
    ]
    # The survey's privacy_notice is not repeated here: it was printed on the form, and
    # it promises what these lines report (names, small groups, quotes), so the report
    # would say the same thing twice.
    return tuple(out)


# --------------------------------------------------------------------------- build

QUOTES_PER_QUESTION = 6
"""At most this many quotes are chosen per quotable question."""


def build_report(
    result: ScoreResult,
    responses: ResponseSet,
    audience: str,
    *,
    show_names: bool = False,
    quotes: QuotePool | None = None,
) -> Report:
    """The report model for ``audience`` (``funder`` or ``members``). ``quotes``: the
    quotes chosen beforehand (``quotes.quotes_for``, while the responses were scored);
    used only if chosen for the result's segments, else chosen here."""
    from relimpact.common.dates import period_words
    from relimpact.report.charts import ChangeRow, ScoreRow, change_chart, scores_chart
    from relimpact.report.quotes import SMALL_GROUPS_RULE, held_back_words, select_quotes
    from relimpact.report.trend import trend_view

    if audience not in AUDIENCES:
        raise UsageError(
            f"--audience {audience}: must be one of {', '.join(AUDIENCES)}.",
            hint="Use 'funder' for the full report or 'members' for the plain-words summary.",
        )
    survey = result.survey
    k = survey.min_group_size
    dims = tuple(
        _dimension_view(result, d, audience, f"items-{i + 1}")
        for i, d in enumerate(result.dimensions.values())
    )
    scale = _first_scale(survey)
    lo, hi = (scale.min_value, scale.max_value) if scale else (1, 5)
    at = scale.thresholds() if scale else None
    bands = (at[1], at[0]) if at is not None else None

    def rows(selected: Sequence[DimensionView]) -> list[ScoreRow]:
        return [
            ScoreRow(
                d.label,
                d.mean_value if d.shown else None,
                *(result.dimensions[d.id].ci95 or (None, None)),
                d.band or None,
            )
            for d in selected
        ]

    enablers = tuple(d for d in dims if d.kind == "enabler")
    net = tuple(d for d in dims if d.kind == "net")
    work = tuple(d for d in dims if d.kind == "work")
    others = tuple(d for d in dims if d.kind == "other")
    first = enablers + net + work
    scores = (
        scores_chart(rows(first), lo, hi, bands, "Headline scores with 95% intervals", "scores")
        if first
        else None
    )
    overview = (
        scores_chart(
            rows(dims), lo, hi, bands, "Every dimension's score with its 95% interval", "overview"
        )
        if dims
        else None
    )
    has_change = result.change is not None
    change_rows = [
        ChangeRow(
            d.label, float(result.change[d.id]["before"]), float(result.change[d.id]["after"])
        )
        for d in dims
        if has_change
        and d.id in result.change
        and result.change[d.id].get("before") is not None
        and result.change[d.id].get("after") is not None
        and result.change[d.id].get("difference") is not None
    ]
    change_ch = (
        change_chart(
            change_rows,
            lo,
            hi,
            bands,
            "Scores then and now",
            "change",
            before_label="last time",
            after_label="now",
        )
        if change_rows
        else None
    )
    headline = tuple(d.change.words for d in first if d.change is not None)
    pool = quotes
    if pool is None or pool.segments != tuple(result.segments):
        pool = select_quotes(result, responses, per_question=QUOTES_PER_QUESTION)
    memory.release()  # what scrubbing the quotes freed (common/memory.py)
    # A written answer that gave contact details was a message to the organisers, not a
    # story for the report: quotes are chosen for what they say.
    # Each text once: the same words written to two questions are quoted once.
    said: set[str] = set()
    chosen = []
    dropped = {"contact": 0, "little": 0}  # a repeat counts with those that say little
    for q in pool.quotes:
        key = " ".join(q.text.casefold().split())
        if any(mark in q.text for mark in CONTACT_MARKS) or key in said:
            dropped["contact" if key not in said else "little"] += 1
            continue
        said.add(key)
        chosen.append(QuoteView(q.question_text, q.text))
    quotes = tuple(chosen)
    quotes_note = pool.note
    quotes_held = held_back_words((*pool.held, *dropped.items()), k, pool.per_question)
    # the funder's Methods give the rule for quotes (QUOTES_RULE), small groups included
    if quotes_held and audience == "members":
        quotes_held += " " + SMALL_GROUPS_RULE
    who, rate = _who(result, audience)
    weighted_rows, weighted_by = _weighted(result)
    network_view = (
        _network_view(result, responses, show_names, audience)
        if result.network is not None
        else None
    )
    names_on_map = network_view is not None and (
        network_view.named > 0 or network_view.brokers_named > 0
    )
    title_heading = "What you told us" if audience == "members" else "Report for funders"
    exclusions = tuple(result.warnings)
    talk = _talk_points(dims)
    going_well = _going_well(dims, talk) if audience == "members" else ()
    summary = _funder_summary(result, dims, network_view, weighted_rows, weighted_by)
    return Report(
        audience=audience,
        language=survey.language or "en",
        title=survey.title,
        heading=title_heading,
        network=survey.network,
        description=" ".join(survey.description.split()),
        lede=_lede(result, audience),
        respondents=result.respondents,
        who=who,
        response_rate=rate,
        representation=_representation(result),
        enablers=enablers,
        net=net,
        work=work,
        others=others,
        dimensions=dims,
        scores_chart=scores,
        overview_chart=overview,
        has_change=has_change,
        headline_change=headline,
        change_chart=change_ch,
        change_notes=tuple(getattr(result, "change_notes", ()) or ()),
        segments=_segment_views(result) if audience == "funder" else (),
        weighted=weighted_rows,
        weighted_by=weighted_by,
        network_view=network_view,
        quotes=quotes,
        quotes_note=quotes_note,
        quotes_held=quotes_held,
        strengths=tuple(d for d in dims if d.band_text == "strength" and d.shown),
        talk_about=talk,
        going_well=going_well,
        going_well_note=_both_lists(going_well, talk),
        next_steps=" ".join(survey.next_steps.split()),
        privacy=_privacy(result, names_on_map),
        methods=_methods(
            result, " ".join(filter(None, (QUOTES_RULE.format(k=k), quotes_held))), names_on_map
        ),
        not_asked=not_asked_words(result) if result.not_asked else "",
        exclusions=exclusions,
        cannot_tell=_cannot_tell(result, dims),
        min_group_size=k,
        scale_words=_scale_words(result),
        share_words=_share_words(result),
        agree_note=_agree_note(result, dims),
        na_words=" / ".join(scale.not_applicable) if scale and scale.not_applicable else "",
        names_on_map=names_on_map,
        fieldwork=_fieldwork_words(result, audience),
        baseline_fieldwork=period_words(result.baseline_fieldwork),
        branding=survey.branding,
        trend=trend_view(result, audience, _member_change_words),
        **(summary if audience == "funder" else {}),
    )


def _scales_used(result: ScoreResult) -> list[tuple[Scale, list[str]]]:
    """Each scale the scored dimensions use, in survey order, with those dimensions'
    labels."""
    survey = result.survey
    used: dict[str, tuple[Scale, list[str]]] = {}
    for d in result.dimensions.values():
        qs = survey.questions_of(d.id)
        if not qs or qs[0].scale is None:
            continue
        entry = used.setdefault(qs[0].scale, (survey.scale_of(qs[0]), []))
        entry[1].append(d.label)
    return list(used.values())


def _range_words(scale: Scale) -> str:
    """ "1 (Strongly disagree) to 5 (Strongly agree)"."""
    return (
        f"{scale.min_value} ({scale.label(scale.min_value)}) to {scale.max_value} "
        f"({scale.label(scale.max_value)})"
    )


def _scale_words(result: ScoreResult) -> str:
    """What the scores run from and to, per scale: the first scale's range, then each other
    range with the dimensions it is for ("; for Loneliness, 1 (Often/always) to 5
    (Never)"), so that a how-often score is not read on an agree scale."""
    scale = _first_scale(result.survey)
    if scale is None:
        return ""
    first = _range_words(scale)
    others: dict[str, list[str]] = {}
    for sc, labels in _scales_used(result):
        words = _range_words(sc)
        if words != first:
            others.setdefault(words, []).extend(labels)
    return first + "".join(
        f"; for {_join_and(labels)}, {words}" for words, labels in others.items()
    )


def _join_and(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _quoted_or(labels: Sequence[str]) -> str:
    """'"hardly ever" or "never"'."""
    words = [f'"{_lower_first(lab)}"' for lab in labels]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _share_words(result: ScoreResult) -> str:
    """For members, what a statement's share counts, when some scale is not one of
    agreement: 'agreed with it (they chose "agree" or "strongly agree"), or, for
    Loneliness, said "hardly ever" or "never"'. "" when every scale is of agreement (the
    report's usual sentence then holds)."""
    used = [(sc, labels) for sc, labels in _scales_used(result) if sc.favourable_from is not None]
    if all(is_agree_scale(sc) for sc, _ in used):
        return ""
    parts = []
    for sc, labels in used:
        chosen = _quoted_or(favourable_labels(sc))
        if is_agree_scale(sc):
            parts.append(f"agreed with it (they chose {chosen})")
        elif len(used) == 1:
            parts.append(f"said {chosen}")
        else:
            parts.append(f"for {_join_and(labels)}, said {chosen}")
    return ", or, ".join(parts)


def _agree_note(result: ScoreResult, dims: Sequence[DimensionView]) -> str:
    """For funders: on a scale that is not of agreement, what its "% agree" column counts
    instead (the column is named after those answers)."""
    other = [d for d in dims if d.agree_label != "agree"]
    if not other:
        return ""
    said = "; ".join(f'"% {d.agree_label}" for {d.label}' for d in other)
    return (
        "On a scale that is not one of agreement, that column counts its favourable answers "
        f"as worded and is named after them: {said}."
    )


def _funder_summary(
    result: ScoreResult,
    dims: Sequence[DimensionView],
    network_view: NetworkView | None,
    weighted_rows: Sequence[tuple[str, str, str, str]],
    weighted_by: str,
) -> dict[str, Any]:
    """The funder report's summary and appendix tables (``report.summary``)."""
    from relimpact.report import summary

    reps = tuple(
        RepresentationView(*summary.representation_table(rep))
        for rep in (getattr(result, "representation", None) or {}).values()
    )
    change_table, change_lead = summary.change_table(dims)
    parts = ["who responded in each group"] if reps else []
    parts.append("every statement")
    if result.change is not None:
        parts.append("the change tests")
    if result.segments or weighted_rows:
        parts.append("the scores of each group")
    if network_view is not None:
        parts.append("the network map")
    parts += ["the methods", "what these figures cannot tell you"]
    note = (
        f"The appendix after this summary gives the detail: {summary._join(parts)}. "
        "Please read the figures with its last section."
    )
    return {
        "who_sentence": summary.who_sentence(
            result, _roster_answered(result), _population_total(result.survey)
        ),
        "key_findings": summary.key_findings(
            result, network_view.exit_check if network_view is not None else ""
        ),
        "summary_note": note,
        "who_detail": summary.who_detail(result),
        "representation_tables": reps,
        "change_lead": change_lead,
        "change_table": change_table,
        "weighted_table": summary.weighted_table(weighted_rows, weighted_by),
    }


def _fieldwork_words(result: ScoreResult, audience: str) -> str:
    """The sentence that dates the survey, from its first and last submission."""
    from relimpact.common.dates import period_words

    when = period_words(result.fieldwork)
    then = period_words(result.baseline_fieldwork)
    if not when:
        if audience != "funder":
            return ""
        return result.fieldwork_note or (
            "The response files do not say when people answered, so the survey's dates "
            "are not shown."
        )
    lead = (
        f"Survey answered {when} (first to last response)."
        if audience == "funder"
        else f"You answered the survey {when}."
    )
    if then:
        lead += (
            f" The last survey, used for comparison, was answered {then}."
            if audience == "funder"
            else f" The last survey was {then}."
        )
    return lead


# --------------------------------------------------------------------------- render
