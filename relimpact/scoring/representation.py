"""Who we heard from: respondents' make-up beside the membership's, and optional weights.

A network's members multiply to mirror the people involved from the beginning; the
survey can do the same. Where survey.yaml gives ``population`` (question id -> option ->
number of members), :func:`representation` sets respondents beside members for each
such question, and :func:`weighted_means` re-weights dimension means to the membership's
make-up, to be shown beside the unweighted figures, never instead of them.

Privacy follows scoring: respondent counts per group are suppressed with
``common.privacy.suppress`` (under ``min_group_size``, and complementary). Figures computed from
hidden counts treat the hidden groups as one pooled group, whose size can already be
worked out as "answered minus the shown groups", so nothing hidden can be recovered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from relimpact.common.text import count_of
from relimpact.read.responses import ResponseSet
from relimpact.scoring import stats
from relimpact.survey.model import Survey

UNDER_REPRESENTED_RATIO = 0.8
"""A group is under-represented when its share of respondents is below this fraction of
its share of members (respondents' share < 0.8 x members' share), the four-fifths rule."""

POOLED = "(groups not shown, together)"
"""The test's name for the suppressed groups taken together."""


@dataclass(frozen=True)
class GroupShare:
    """One group of a population question; respondent figures are None when hidden."""

    name: str
    members: int
    member_share: float | None  # members / all members of the question
    respondents: int | None
    respondent_share: float | None  # respondents / respondents who answered with a group
    response_rate: float | None  # respondents / members
    # respondents' share < UNDER_REPRESENTED_RATIO x members' share; None when hidden
    under_represented: bool | None
    suppressed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "members": self.members,
            "member_share": self.member_share,
            "respondents": self.respondents,
            "respondent_share": self.respondent_share,
            "response_rate": self.response_rate,
            "under_represented": self.under_represented,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class Representation:
    """Respondents' make-up beside the membership's for one population question.

    ``respondents`` is everyone in the response set; ``answered`` those who chose one of
    the population's groups; ``blank`` those who left the question blank and ``other``
    those who chose an option with no membership count: both are outside the test.
    ``response_rate`` is ``respondents / members``. The chi-square goodness-of-fit test
    compares the answered counts with the members' shares, with hidden groups pooled
    (``test_groups`` names its categories).
    """

    question: str
    text: str
    members: int
    respondents: int
    answered: int
    blank: int | None  # None when the blank group is hidden
    other: int | None  # None when such a group is hidden
    response_rate: float | None
    groups: tuple[GroupShare, ...]
    test: stats.GoodnessOfFit | None
    test_groups: tuple[str, ...]
    under_represented: tuple[str, ...]
    threshold: float = UNDER_REPRESENTED_RATIO
    notes: tuple[str, ...] = ()
    # Index of dissimilarity over the test's categories (hidden groups pooled), 0 to 1.
    dissimilarity: float | None = None

    def to_dict(self) -> dict[str, Any]:
        t = self.test
        return {
            "text": self.text,
            "members": self.members,
            "respondents": self.respondents,
            "answered": self.answered,
            "blank": self.blank,
            "other": self.other,
            "response_rate": self.response_rate,
            "groups": {g.name: g.to_dict() for g in self.groups},
            "dissimilarity": self.dissimilarity,
            "test": None
            if t is None
            else {
                "method": "chi-square-goodness-of-fit",
                "statistic": t.statistic,
                "df": t.df,
                "p": t.p,
                "groups": list(self.test_groups),
                "simulated": t.simulated,
                "replicates": t.replicates if t.simulated else None,
                "p_asymptotic": t.p_asymptotic,
                "min_expected": min(t.expected),
            },
            "under_represented": list(self.under_represented),
            "under_represented_below": self.threshold,
            "notes": list(self.notes),
        }


def representation(
    survey: Survey, responses: ResponseSet, qid: str, threshold: float = UNDER_REPRESENTED_RATIO
) -> Representation | None:
    """Respondents beside members for population question ``qid``; None without its answers.

    Which groups are hidden is decided once, by ``read.groups.group_decision`` (the segment
    table's decision over every group, the blank one and options without a membership
    count included), and every figure here follows it.

    Per population group g: ``member_share = M_g / M``, ``respondent_share = R_g / R``,
    ``response_rate = R_g / M_g``; under-represented when ``R_g / R < threshold * M_g / M``.
    R (``answered``) is everyone minus the shown groups outside the population (the blank
    group, options without a count): when all of those are shown it is exactly the
    respondents who chose a population group; when one is hidden, it counts them too, so
    that no share gives a hidden group away. A hidden group has no count, share, rate or
    flag (a flag would narrow what its count can be); the hidden groups together, whose
    size is "everyone minus the shown groups" anyway, are flagged as one (``POOLED``).
    ``blank`` and ``other`` are None when that group is hidden. Chi-square goodness of fit:
    ``stats.chisq_gof`` of the counts against the members' shares (R: ``chisq.test(x, p =
    M / sum(M))``), over groups with members, the hidden groups pooled into one category.
    """
    from relimpact.common.text import label_key
    from relimpact.read.groups import NO_ANSWER, group_decision

    population = survey.population[qid]
    q = survey.question(qid)
    if qid not in responses.choice:
        return None
    all_names, _codes, sizes, hidden_all = group_decision(responses, qid)
    index = {label_key(n): i for i, n in enumerate(all_names) if n != NO_ANSWER}
    names = list(population)
    where = [index.get(label_key(n)) for n in names]
    counts = [sizes[i] if i is not None else 0 for i in where]
    members = [int(population[n]) for n in names]
    total_members = sum(members)
    in_pop = {i for i in where if i is not None}
    outside = [i for i in range(len(all_names)) if i not in in_pop]
    hidden_outside = [i for i in outside if i in hidden_all]
    blank_i = all_names.index(NO_ANSWER) if NO_ANSWER in all_names else None
    blank_n = sizes[blank_i] if blank_i is not None else 0
    blank = None if blank_i in hidden_all else blank_n
    others = [i for i in outside if i != blank_i]
    other = None if any(i in hidden_all for i in others) else sum(sizes[i] for i in others)
    answered = responses.respondents - sum(sizes[i] for i in outside if i not in hidden_all)
    hidden = {j for j, i in enumerate(where) if i is not None and i in hidden_all}
    extra = sum(sizes[i] for i in hidden_outside)  # hidden, outside the population
    notes: list[str] = []
    groups = []
    flagged = []
    for i, name in enumerate(names):
        m_share = members[i] / total_members if total_members else None
        shown = i not in hidden
        r_share = counts[i] / answered if answered and shown else None
        under = m_share is not None and r_share is not None and r_share < threshold * m_share
        if under:
            flagged.append(name)
        groups.append(
            GroupShare(
                name=name,
                members=members[i],
                member_share=m_share,
                respondents=counts[i] if shown else None,
                respondent_share=r_share,
                response_rate=counts[i] / members[i] if shown and members[i] else None,
                under_represented=under if shown else None,
                suppressed=not shown,
            )
        )
        if shown and members[i] and counts[i] > members[i]:
            notes.append(
                f"'{name}': more respondents ({counts[i]}) than members ({members[i]}); "
                f"check population.{qid} in survey.yaml."
            )
    pooled_m = sum(members[i] for i in hidden)
    if hidden and answered and total_members and pooled_m:
        pooled_r = sum(counts[i] for i in hidden) + extra
        if pooled_r / answered < threshold * pooled_m / total_members:
            flagged.append(POOLED)
    if other:
        notes.append(
            f"{count_of(other, 'respondent')} chose an option with no membership count in "
            f"population.{qid}, so they are outside the comparison."
        )
    if hidden_outside:
        notes.append(
            "The shares are over everyone except the groups shown outside the membership "
            "counts, so that no group too small to show can be worked out from them."
        )
    test, test_groups, index = _test(names, counts, members, hidden, notes, extra)
    return Representation(
        question=qid,
        text=q.text,
        members=total_members,
        respondents=responses.respondents,
        answered=answered,
        blank=blank,
        other=other,
        response_rate=responses.respondents / total_members if total_members else None,
        groups=tuple(groups),
        test=test,
        test_groups=test_groups,
        under_represented=tuple(flagged),
        threshold=threshold,
        notes=tuple(notes),
        dissimilarity=index,
    )


def _test(
    names: Sequence[str],
    counts: Sequence[int],
    members: Sequence[int],
    hidden: set[int],
    notes: list[str],
    extra: int = 0,
) -> tuple[stats.GoodnessOfFit | None, tuple[str, ...], float | None]:
    """Chi-square of the shown groups and the hidden groups pooled, over groups with members,
    and the dissimilarity index over the same categories (so it gives nothing hidden away);
    ``extra`` respondents of hidden groups outside the population join the pool."""
    labels: list[str] = []
    observed: list[int] = []
    expected: list[int] = []
    pooled_o = pooled_e = 0
    for i, name in enumerate(names):
        if members[i] == 0:
            continue
        if i in hidden:
            pooled_o += counts[i]
            pooled_e += members[i]
        else:
            labels.append(name)
            observed.append(counts[i])
            expected.append(members[i])
    if pooled_e:
        labels.append(POOLED)
        observed.append(pooled_o + extra)
        expected.append(pooled_e)
    if len(labels) < 2 or sum(observed) == 0:
        notes.append(
            "No chi-square test: it needs at least two groups that can be shown "
            "(or shown and pooled) and someone who answered."
        )
        return None, (), None
    if pooled_e and len(hidden) > 0:
        notes.append(
            "In the chi-square test, the groups too small to show are pooled into one, so "
            "the test cannot give their numbers away."
        )
    test = stats.chisq_gof(observed, expected)
    if test is not None and test.simulated:
        notes.append(
            f"An expected count is below 5 ({min(test.expected):.1f}), so the chi-square "
            f"p-value is simulated ({test.replicates:,} Monte Carlo draws, fixed seed) rather "
            "than read from the chi-square distribution."
        )
    return test, tuple(labels), stats.dissimilarity(observed, expected)


def representation_words(rep: Representation) -> str:
    """Who we heard from, in plain words, for reports."""
    topic = rep.question.replace("_", " ")
    parts = []
    if rep.dissimilarity is not None:
        parts.append(
            f"By {topic}, the respondents' make-up differs from the membership's by "
            f"{100 * rep.dissimilarity:.0f}% (the dissimilarity index: the share of "
            "respondents who would have to be in another group for the two to match)."
        )
    if rep.response_rate is not None:
        parts.append(
            f"We heard from {rep.respondents} respondents; the membership counted by "
            f"{topic} is {rep.members} (a response rate of {100 * rep.response_rate:.0f}%)."
        )
    shown = [g for g in rep.groups if not g.suppressed and g.respondent_share is not None]
    if shown:
        sides = ", ".join(
            f"{g.name} {100 * g.respondent_share:.0f}% of respondents and "
            f"{100 * (g.member_share or 0.0):.0f}% of members"
            for g in shown
            if g.respondent_share is not None
        )
        parts.append(f"By {topic}: {sides}.")
    if any(g.suppressed for g in rep.groups):
        parts.append("Groups with too few respondents to show safely are not given in numbers.")
    if rep.under_represented:
        parts.append(
            "Under-represented among respondents (their share of respondents is below "
            f"{rep.threshold:g} times their share of members): "
            + ", ".join(
                "the groups not shown, together" if g == POOLED else g
                for g in rep.under_represented
            )
            + "."
        )
    else:
        parts.append("No group is clearly under-represented.")
    if rep.test is not None:
        test_name = "chi-square test, simulated p" if rep.test.simulated else "chi-square test"
        if rep.test.p < 0.05:
            parts.append(
                "The respondents' make-up differs from the membership's by more than chance "
                f"would easily give ({test_name}, p = {rep.test.p:.3f})."
            )
        else:
            parts.append(
                "The respondents' make-up is close enough to the membership's that the "
                f"difference could be chance ({test_name}, p = {rep.test.p:.2f})."
            )
    if rep.blank:
        parts.append(f"{rep.blank} left the {topic} question blank.")
    return " ".join(parts)


# --------------------------------------------------------------------------- weights


@dataclass(frozen=True)
class WeightedDimension:
    mean: float | None  # raked mean; None when too few or nothing to weight
    n: int  # respondents with a score and a weight above zero
    n_effective: float | None  # Kish: (sum w)^2 / sum w^2
    unweighted_mean: float | None
    se: float | None = None  # linearisation SE on the raked design (svymean)
    ci95: tuple[float, float] | None = None  # mean -/+ 1.96 SE; none below 10 respondents
    deff: float | None = None  # Kish's design effect from weighting: n / n_effective

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "n": self.n,
            "n_effective": self.n_effective,
            "unweighted_mean": self.unweighted_mean,
            "se": self.se,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
            "deff": self.deff,
        }


@dataclass(frozen=True)
class Weighted:
    by: str  # the margins' question ids, joined with ", "
    dimensions: Mapping[str, WeightedDimension]
    notes: tuple[str, ...] = field(default_factory=tuple)
    margins: tuple[str, ...] = ()
    trim_cap: float = stats.TRIM_CAP
    trimmed: int = 0  # most weights trimmed in one dimension's raking
    converged: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "margins": list(self.margins or (self.by,)),
            "method": "raking",
            "trim_cap": self.trim_cap,
            "trimmed": self.trimmed,
            "converged": self.converged,
            "dimensions": {d: w.to_dict() for d, w in self.dimensions.items()},
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Margin:
    """One question to rake to: its groups per respondent, as in the segment breakdown
    (the blank group included), and per dimension the groups that breakdown hides."""

    question: str
    names: Sequence[str]
    codes: np.ndarray
    hidden: Mapping[str, set[int]]


def weighted_means(
    survey: Survey, margins: Sequence[Margin], scores: Mapping[str, np.ndarray]
) -> Weighted:
    """Dimension means raked to the membership's make-up on every margin question.

    Per dimension, the respondents are raked (``stats.rake``: iterative proportional
    fitting, as R ``survey::rake``, then trimming at ``stats.TRIM_CAP`` x the mean weight)
    so that, on each margin, the weighted shares of the population groups match the
    members' shares ``M_g / M``:

    - respondents who left a margin blank (or chose an option without a membership
      count) keep their own weighted share on that margin: their group is unknown;
    - groups hidden in that margin's breakdown for the dimension are one cell (target
      share the sum of theirs), so the weighted figures reveal nothing the breakdown
      hides (and tiny cells get no extreme weights);
    - a population group with no respondents cannot be weighted up: the others share its
      part (a note says so).

    With one margin this is post-stratification, ``w_g = (M_g / M) / (n_g / n_P)``. The
    mean, its linearisation SE and 95% interval, Kish's design effect and effective n are
    ``stats.raked_mean`` (R ``svymean(~score, design, na.rm = TRUE)``, ``confint``). None
    when fewer than ``min_group_size`` respondents have a score; no interval below
    ``stats.NO_INTERVAL_BELOW``.
    """
    k = survey.min_group_size
    notes: list[str] = []
    empty_groups: set[tuple[str, str]] = set()
    out: dict[str, WeightedDimension] = {}
    trimmed = 0
    converged = True
    for dim, sc in scores.items():
        scored = ~np.isnan(sc)
        n = int(np.count_nonzero(scored))
        unweighted = float(np.mean(sc[scored])) if n else None
        if n < k:
            out[dim] = WeightedDimension(None, n, None, None)
            continue
        cells: list[np.ndarray] = []
        shares: list[list[float | None]] = []
        for m in margins:
            population = survey.population[m.question]
            codes = np.asarray(m.codes)
            hidden = sorted(m.hidden.get(dim, set()))
            cell_of = {}
            cell_share: list[float | None] = []
            pooled_share = 0.0
            pooled_known = False
            sizes = np.bincount(codes[scored], minlength=len(m.names))
            for i, name in enumerate(m.names):
                if name in population and sizes[i] == 0 and population[name] > 0:
                    empty_groups.add((m.question, name))
                if i in hidden:
                    continue
                cell_of[i] = len(cell_share)
                cell_share.append(float(population[name]) if name in population else None)
            if hidden:
                pooled = len(cell_share)
                unknown = False
                for i in hidden:
                    cell_of[i] = pooled
                    if m.names[i] in population and sizes[i] > 0:
                        pooled_share += float(population[m.names[i]])
                        pooled_known = True
                    elif sizes[i] > 0:
                        unknown = True  # the blank group hidden with others: unknown share
                cell_share.append(pooled_share if pooled_known and not unknown else None)
            lookup = np.array([cell_of[i] for i in range(len(m.names))], dtype=np.int64)
            cells.append(lookup[codes])
            shares.append(cell_share)
        raking = stats.rake(cells, shares)
        trimmed = max(trimmed, raking.trimmed)
        converged = converged and raking.converged
        wm = stats.raked_mean(sc, raking)
        ci = wm.ci95 if wm.n >= stats.NO_INTERVAL_BELOW else None
        out[dim] = WeightedDimension(wm.mean, wm.n, wm.n_effective, unweighted, wm.se, ci, wm.deff)
    for q, name in sorted(empty_groups):
        notes.append(
            f"'{name}' has members but no respondents ({q}), so it cannot be weighted up: the "
            "weighted figures stand for the other groups only."
        )
    by = ", ".join(m.question for m in margins)
    notes.append(
        f"Weighted to the membership's make-up by {by} (raking); respondents who left a "
        "question blank keep their own weight on it, groups too small to show are weighted "
        f"together, and no weight is above {stats.TRIM_CAP:g} times the mean (trimmed)."
    )
    if trimmed:
        notes.append(
            f"{trimmed} weight(s) were above {stats.TRIM_CAP:g} times the mean and were "
            "trimmed; the excess is spread over the others."
        )
    if not converged:
        notes.append("Raking did not settle within 100 passes: the margins fit only roughly.")
    return Weighted(
        by,
        out,
        tuple(notes),
        tuple(m.question for m in margins),
        stats.TRIM_CAP,
        trimmed,
        converged,
    )
