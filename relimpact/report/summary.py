"""The funder report's summary and the tables of its appendix, as words and cells.

The summary stands alone on the report's first two A4 pages: who responded in one
sentence, three to five key findings in plain sentences (the strongest and weakest
enabler, the net against the work, the change that is unlikely to be chance, what is a
concern, where groups differ, what the network map shows), and one chart with its
figures. The appendix tables give what the summary does not, each figure once: the
make-up of respondents group by group, each statement, the change tests, groups, weights.

Nothing here computes a statistic: every figure comes from the score result, and every
judgement ("unlikely to be chance", "the intervals do not overlap") reads a figure the
result already holds (an adjusted p-value against ``change.CHANCE_BELOW``, two 95%
intervals).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relimpact.common.text import unsigned

if TYPE_CHECKING:
    from relimpact.scoring.engine import DimensionResult, ScoreResult
    from relimpact.scoring.representation import Representation

MAX_FINDINGS = 5


@dataclass(frozen=True)
class TableView:
    """A table laid out by the templates: a caption, column headings (with an optional
    second line under each, such as a group's n), rows whose first cell heads the row."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()  # per column: figures, right-aligned
    notes: tuple[str, ...] = ()  # per column: a second line under its heading ("" none)

    def is_numeric(self, i: int) -> bool:
        return i < len(self.numeric) and self.numeric[i]

    def note(self, i: int) -> str:
        return self.notes[i] if i < len(self.notes) else ""

    @property
    def wide(self) -> bool:
        """Wider than a phone's 360 px can show, judged by each column's longest word (a
        cell wraps between words, never inside one): the table then scrolls in its own
        box, which the keyboard can reach, and the page itself never scrolls sideways."""
        columns = len(self.columns)
        longest = [0] * columns
        for row in (self.columns, self.notes, *self.rows):
            for i, cell in enumerate(row[:columns]):
                words = str(cell).split() or [""]
                longest[i] = max(longest[i], *(len(w) for w in words))
        return sum(8 * n + 16 for n in longest) > 320


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _score(d: DimensionResult) -> str:
    return unsigned(d.mean) if d.mean is not None else "-"


def _band(d: DimensionResult) -> str:
    band = d.band_range or d.band or ""
    return {"strength": "a strength", "concern": "a concern"}.get(band, band)


def _apart(a: DimensionResult, b: DimensionResult) -> bool | None:
    """True when the two 95% intervals do not overlap, None without both intervals."""
    if a.ci95 is None or b.ci95 is None:
        return None
    return a.ci95[1] < b.ci95[0] or b.ci95[1] < a.ci95[0]


def _shown(result: ScoreResult, kind: str) -> list[DimensionResult]:
    out = []
    for d in result.dimensions.values():
        if d.mean is None or d.suppressed:
            continue
        is_kind = d.enabler if kind == "enabler" else (not d.enabler and d.focus == kind)
        if kind == "any" or is_kind:
            out.append(d)
    return out


def _high_low(dims: Sequence[DimensionResult], what: str, top: int) -> str:
    high = max(dims, key=lambda d: d.mean or 0.0)
    low = min(dims, key=lambda d: d.mean or 0.0)
    apart = _apart(high, low)
    chance = (
        "; the gap between them could be chance, as their 95% intervals overlap"
        if apart is False
        else "; with too few people for a 95% interval, the gap may be chance"
        if apart is None
        else ""
    )
    return (
        f"Of {what}, {high.label} scores highest ({_score(high)} out of {top}, "
        f"{_band(high)}) and {low.label} lowest ({_score(low)}, {_band(low)}){chance}."
    )


def _net_and_work(result: ScoreResult) -> str:
    net, work = _shown(result, "net"), _shown(result, "work")
    if not net or not work:
        return ""
    a, b = net[0], work[0]
    net_name = a.label if a.label.lower().startswith("the net") else f"the net ({a.label})"
    work_name = b.label if b.label.lower().startswith("the work") else f"the work ({b.label})"
    apart = _apart(a, b)
    if apart:
        way = "stronger than" if (a.mean or 0) > (b.mean or 0) else "weaker than"
        tail = "; their 95% intervals do not overlap"
    else:
        way = "about level with"
        tail = (
            "; the difference could be chance, as their 95% intervals overlap"
            if apart is False
            else ""
        )
    return (
        f"{_upper_first(net_name)}, at {_score(a)}, is {way} {_lower_first(work_name)}, at "
        f"{_score(b)}{tail}. The two are shown side by side and never added together."
    )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _change(result: ScoreResult) -> str:
    from relimpact.scoring.change import CHANCE_BELOW

    if result.change is None:
        return ""
    rose: list[tuple[float, str]] = []
    fell: list[tuple[float, str]] = []
    measured = 0
    matched = False
    for dim, e in result.change.items():
        if e.get("difference") is None or dim not in result.dimensions:
            continue
        measured += 1
        lead = e.get("matched_difference")
        matched = matched or lead is not None
        lead = lead if lead is not None else e["difference"]
        p = e.get("p_adjusted") if e.get("p_adjusted") is not None else e.get("p")
        if p is None or p >= CHANCE_BELOW:
            continue
        label = result.dimensions[dim].label
        (rose if lead > 0 else fell).append((abs(lead), label))
    if not measured:
        return (
            "Change since the last survey cannot be measured: too few people answered both surveys."
        )
    who = (
        "for the members who answered both surveys"
        if matched
        else "between the two surveys' respondents"
    )
    if not rose and not fell:
        return (
            f"Since the last survey, no dimension has changed by more than chance would "
            f"easily give ({who})."
        )
    parts = []
    for moved, way in ((rose, "rose"), (fell, "fell")):
        if not moved:
            continue
        moved.sort(key=lambda x: -x[0])
        names = [label for _, label in moved]
        count = (
            f"the one dimension measured {way}"
            if len(moved) == measured == 1
            else f"both dimensions {way}"
            if len(moved) == measured == 2
            else f"all {measured} dimensions {way}"
            if len(moved) == measured
            else f"{len(moved)} of the {measured} dimensions {way}"
        )
        parts.append(
            f"{count} ({_join(names)})" if len(names) <= 2 else f"{count} (most: {names[0]})"
        )
    others = "" if len(rose) + len(fell) == measured else "; the other changes could be chance"
    return (
        f"Since the last survey, {' and '.join(parts)} by more than chance would easily give, "
        f"{who}{others}. The figures show what moved, not what caused it."
    )


def _concerns(result: ScoreResult) -> str:
    shown = _shown(result, "any")
    low = [d for d in shown if (d.band_range or d.band) == "concern"]
    maybe = [d for d in shown if (d.band_range or "").startswith("concern or")]
    parts = []
    if low:
        said = _join([f"{d.label} ({_score(d)})" for d in low])
        one = len(low) == 1
        parts.append(
            f"{said} {'is' if one else 'are'} in the concern band, the lowest of the three bands."
        )
    if maybe:
        said = _join([f"{d.label} ({_score(d)})" for d in maybe])
        one = len(maybe) == 1
        reach = "its 95% interval reaches" if one else "their 95% intervals reach"
        parts.append(f"{said} may be a concern: {reach} into the concern band.")
    return " ".join(parts)


def _loose(result: ScoreResult) -> str:
    """Scores whose statements do not hang together enough to be read as one."""
    from relimpact.scoring.engine import hangs_together

    loose = [
        d.label for d in _shown(result, "any") if d.alpha is not None and not hangs_together(d)
    ]
    if not loose:
        return ""
    one = len(loose) == 1
    return (
        f"The statements of {_join(loose)} do not hang together well enough to be read as "
        f"one score: read {'its' if one else 'their'} statements one by one (in the appendix)."
    )


def _few(result: ScoreResult) -> str:
    """When some shown score has no 95% interval (too few people), say so plainly."""
    bare = [d for d in _shown(result, "any") if d.ci95 is None]
    if not bare:
        return ""
    n = result.respondents
    which = "no score has" if len(bare) == len(_shown(result, "any")) else "some scores have"
    return (
        f"With {n} respondents, {which} a 95% interval: read these figures as a rough "
        "guide, not a measurement."
    )


def _groups(result: ScoreResult) -> str:
    from relimpact.scoring.change import CHANCE_BELOW

    parts = []
    for seg in result.segments.values():
        found = [
            result.dimensions[d].label
            for d, t in seg.tests.items()
            if t.p_adjusted is not None and t.p_adjusted < CHANCE_BELOW and d in result.dimensions
        ]
        if found:
            parts.append(f"by {seg.question.replace('_', ' ')} on {_join(found)}")
    if not parts:
        return ""
    return (
        "Groups differ by more than chance would easily give "
        + "; ".join(parts)
        + " (the appendix gives each group's scores)."
    )


def key_findings(result: ScoreResult, network_words: str = "") -> tuple[str, ...]:
    """Three to five plain sentences: the so-what of the report."""
    top = _top(result)
    enablers = _shown(result, "enabler")
    found = []
    if len(enablers) >= 2:
        found.append(_high_low(enablers, "the four strategic enablers", top))
    found += [_net_and_work(result), _change(result), _concerns(result), _groups(result)]
    found.append(network_words)
    found.append(_few(result))
    found.append(_loose(result))
    found = [s for s in found if s]
    every = _shown(result, "any")
    if len(found) < 3 and len(every) >= 2 and len(enablers) < 2:
        found.insert(0, _high_low(every, "all the dimensions", top))
    if not found:
        found.append("Too few people answered for any score to be shown.")
    return tuple(found[:MAX_FINDINGS])


def _top(result: ScoreResult) -> str:
    qs = result.survey.scale_questions
    if not qs:
        return "5"
    return f"{result.survey.scale_of(qs[0]).max_value:g}"


# --------------------------------------------------------------------------- who


def _topic(rep: Representation) -> str:
    return rep.question.replace("_", " ")


def who_sentence(result: ScoreResult, roster: tuple[int, int] | None, total: int | None) -> str:
    """Who responded in one sentence: n, the response rate, and how the respondents'
    make-up compares with the membership's. ``roster`` is (answered, on the list) from the
    network map's member list, ``total`` the membership from ``population``."""
    n = result.respondents
    if roster is not None:
        head = (
            f"{roster[0]} of the {roster[1]} members on the network map's list responded "
            f"({100.0 * roster[0] / roster[1]:.0f}%)"
        )
    elif total:
        head = f"{n} people responded, {100.0 * n / total:.0f}% of the {total} members"
    else:
        head = (
            f"{n} people responded; the survey does not give the size of the membership, "
            "so the response rate is not known"
        )
    from relimpact.scoring.representation import POOLED

    reps = list((getattr(result, "representation", None) or {}).values())
    if not reps:
        return head + "."
    close = [_topic(r) for r in reps if r.test is None or r.test.p >= 0.05]
    differ = [_topic(r) for r in reps if r.test is not None and r.test.p < 0.05]
    parts = []
    if close:
        parts.append(
            f"by {_join(close)} their make-up is close to the membership's "
            "(any difference could be chance)"
        )
    if differ:
        parts.append(
            f"by {_join(differ)} it differs from the membership's by more than chance "
            "would easily give"
        )
    under = [
        ("the groups not shown, together" if g == POOLED else g) + f" ({_topic(r)})"
        for r in reps
        for g in r.under_represented
    ]
    tail = f"; under-represented: {_join(under)}" if under else ""
    return head + "; " + "; ".join(parts) + tail + "."


def who_detail(result: ScoreResult) -> tuple[str, ...]:
    """What the summary's sentence leaves out: rows read and removed."""
    removed = result.rows - result.respondents
    if not removed:
        return (f"Every one of the {result.rows} rows read is a respondent.",)
    return (
        f"{result.rows} rows were read; {removed} {'was' if removed == 1 else 'were'} removed "
        "as duplicates or empty (see Methods).",
    )


def representation_table(rep: Representation) -> tuple[TableView, str]:
    """One population question: each group's respondents beside its members."""
    from relimpact.scoring.representation import POOLED

    def pct(x: float | None) -> str:
        return "not shown" if x is None else f"{100 * x:.0f}%"

    rows = []
    for g in rep.groups:
        if g.suppressed or g.respondents is None:
            rows.append((g.name, "not shown", "not shown", str(g.members), pct(g.member_share),
                         "not shown", "not shown"))  # fmt: skip
            continue
        flag = "yes" if g.under_represented else "no"
        rows.append(
            (
                g.name,
                str(g.respondents),
                pct(g.respondent_share),
                str(g.members),
                pct(g.member_share),
                pct(g.response_rate),
                flag,
            )
        )
    table = TableView(
        caption=f"Respondents and members by {_topic(rep)}",
        columns=(
            "Group",
            "Respondents",
            "Share of respondents",
            "Members",
            "Share of members",
            "Response rate",
            "Under-represented",
        ),
        rows=tuple(rows),
        numeric=(False, True, True, True, True, True, False),
    )
    words = []
    if rep.dissimilarity is not None:
        words.append(
            f"Index of dissimilarity {100 * rep.dissimilarity:.0f}%: the share of respondents "
            "who would have to be in another group for their make-up to match the "
            "membership's."
        )
    if rep.test is not None:
        name = "chi-square test, simulated p" if rep.test.simulated else "chi-square test"
        words.append(f"Goodness of fit: {name}, p = {rep.test.p:.3f}.")
    words.append(
        f"A group is under-represented when its share of respondents is below {rep.threshold:g} "
        "times its share of members."
    )
    if POOLED in rep.under_represented:
        words.append("The groups not shown are, together, under-represented.")
    if any(g.suppressed for g in rep.groups):
        words.append("Groups with too few respondents to show safely are not given in numbers.")
    if rep.blank:
        words.append(f"{rep.blank} left the question blank.")
    return table, " ".join(words)


# --------------------------------------------------------------------------- tables


def items_table(label: str, items: Sequence[Any]) -> TableView:
    """A dimension's statements: answers, mean after reversal, item-rest correlation."""
    return TableView(
        caption=f"{label}: statements",
        columns=("Statement", "Answers", "Mean", "Item-rest r"),
        rows=tuple(
            (
                it.text + (" (said the other way round)" if it.reverse else ""),
                str(it.n),
                it.mean,
                it.r_drop,
            )
            for it in items
        ),  # fmt: skip
        numeric=(False, True, True, True),
    )


def chart_table(label: str, labels: Sequence[str], items: Sequence[Any]) -> TableView:
    """An items chart's figures: how many gave each answer to each statement."""
    rows = []
    for it in items:
        counts = dict(it.counts)
        if it.n == 0 and not counts:
            continue
        rows.append((it.text, *(str(counts.get(lab, 0)) for lab in labels), str(it.not_applicable)))
    return TableView(
        caption=f"{label}: how many gave each answer",
        columns=("Statement", *labels, "n/a"),
        rows=tuple(rows),
        numeric=(False, *(True for _ in labels), True),
    )


def change_table(dims: Sequence[Any]) -> tuple[TableView | None, str]:
    """The change tests, one row per dimension, and the sentence that leads them (which
    test was used, and what the columns mean)."""
    changed = [d for d in dims if d.change is not None]
    if not changed:
        return None, ""
    tests = sorted({d.change.test for d in changed if d.change.test != "-"})
    rows = tuple(
        (
            d.label,
            str(d.change.n_matched),
            d.change.matched_difference,
            d.change.hodges_lehmann,
            f"{d.change.improved} / {d.change.same} / {d.change.declined}",
            d.change.p_adjusted,
            d.change.effect_size,
            f"{d.change.before} \u2192 {d.change.after}",
        )
        for d in changed
    )
    table = TableView(
        caption="Change by dimension",
        columns=(
            "Dimension",
            "Matched members",
            "Mean change (matched)",
            "Typical change, Hodges-Lehmann (95% interval)",
            "Better / same / worse",
            "p (adjusted)",
            "Effect size",
            "Everyone: then \u2192 now",
        ),
        rows=rows,
        numeric=(False, True, True, True, True, True, True, True),
    )
    test = (
        f"The test is the {tests[0]} for every dimension."
        if len(tests) == 1
        else "The tests are the " + _join(tests) + ", as each dimension allowed."
        if tests
        else ""
    )
    if tests == ["Mann-Whitney (unmatched)"] and not any(d.change.n_matched for d in changed):
        # no one matched: the lead must not speak of matched members (low report L6)
        lead = (
            "No members could be matched between the two surveys, so the change compares "
            "everyone who answered each survey as two groups: the Hodges-Lehmann estimate "
            "(the typical change) with its 95% interval; the p-value adjusted for the number "
            "of dimensions tested; and the rank-biserial effect size. Such a change mixes a "
            "change in people's views with a change in who answered. " + test
        )
        return table, lead.strip()
    lead = (
        "The change leads with the members who answered both surveys (matched through their "
        "member code): their mean change, and the Hodges-Lehmann estimate (the typical "
        "change) with its 95% interval; how many of them rated the dimension better, the "
        "same or worse; the p-value adjusted for the number of dimensions tested; and the "
        "rank-biserial effect size. The means of everyone who answered each survey are "
        "context only: they mix a change in people's views with a change in who answered. " + test
    )
    return table, lead.strip()


def weighted_table(rows: Sequence[tuple[str, str, str, str]], by: str) -> TableView | None:
    """The re-weighted scores, beside (never instead of) the summary's unweighted ones."""
    if not rows:
        return None
    return TableView(
        caption=f"Scores re-weighted to the membership by {by} (the unweighted scores are "
        "in the summary)",
        columns=("Dimension", "Weighted score (95% interval)", "Effective n"),
        rows=tuple((label, w, ne) for label, _u, w, ne in rows),
        numeric=(False, True, True),
    )


def segment_table(seg: Any) -> TableView:
    """A segment question's groups as columns (n under each), dimensions as rows."""
    return TableView(
        caption=seg.text,
        columns=("Dimension", *(name for name, _ in seg.groups)),
        rows=tuple((label, *cells) for label, cells in seg.rows),
        numeric=(False, *(True for _ in seg.groups)),
        notes=("", *(f"n = {n}" for _, n in seg.groups)),
    )
