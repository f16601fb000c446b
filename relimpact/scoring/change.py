"""Change between two waves of the same survey, in figures and in plain, honest words.

``compare_waves(after, before)`` gives, per dimension, the ``change`` object of the
JSON contract (shared/spec/commands.md). How:

- Items. Both waves are scored on the items they share: a scale item counts when both
  ResponseSets hold answers to it (a newer template may add items; an older file may
  lack them). Each respondent's dimension score is then recomputed on those shared
  items only, with the usual half rule, for BOTH waves, so that like is compared with
  like; the items left out are named in a note.
- Matching. Respondents are matched through their respondent keys (the survey's
  ``respondent`` question) when both waves have keys. Where at least ``min_group_size``
  members have a score in both waves, the paired Wilcoxon signed-rank test is used on
  their scores (``stats.wilcoxon_signed_rank(after, before)``, R's
  ``wilcox.test(after, before, paired = TRUE)``) and ``improved``/``same``/``declined``
  count those members. Otherwise the waves are compared as two groups with the
  Mann-Whitney test on every scored respondent (``stats.mann_whitney``, R's
  ``wilcox.test(after, before)``); the three counts are then null.
- The matched estimate leads: ``matched_difference`` is the mean of the matched
  members' differences (paired test only; null otherwise), ``hodges_lehmann`` and
  ``hl_ci95`` the Hodges-Lehmann shift and its 95% interval from the test used
  (``stats.hodges_lehmann_paired``: R's ``wilcox.test(after, before, paired = TRUE,
  conf.int = TRUE)`` on differences rounded to 10 decimals; or, compared as two groups,
  ``stats.hodges_lehmann_shift``: ``wilcox.test(after, before, conf.int = TRUE)``).
  ``hl_ci95`` is null where R cannot reach 95% (it would print a lower level).
- ``before``, ``after``, ``n_before``, ``n_after`` are over each wave's scored
  respondents, as context; ``difference = after - before`` compares everyone who
  answered each wave, matched or not. ``p_adjusted`` is Benjamini-Hochberg
  across the dimensions, missing p-values skipped (R's ``p.adjust(p, "BH")``).
- Honest figures. With fewer than ``min_group_size`` respondents in either wave (and
  too few matched members for the paired test), there is no change figure for the
  dimension: the n's stay, the figures are null and ``note`` says why.

Nothing here says that the network caused a change: the words describe what moved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

from relimpact.common.errors import UsageError
from relimpact.common.text import count_of, unsigned
from relimpact.read.responses import ResponseSet
from relimpact.scoring import stats
from relimpact.scoring.items import scored_item, tally_dimension
from relimpact.survey.model import Question, Survey

CHANCE_BELOW = 0.05
"""An (adjusted) p-value below this is described as "unlikely to be chance"."""


@dataclass(frozen=True)
class DimensionChange:
    """One dimension's change between waves; ``to_dict`` is the contract's object."""

    dimension: str
    label: str
    items: tuple[str, ...]  # the shared items the scores were computed on
    before: float | None
    after: float | None
    difference: float | None
    n_before: int
    n_after: int
    n_matched: int
    test: str | None  # "wilcoxon-signed-rank" or "mann-whitney"; None without a figure
    statistic: float | None  # R's V (signed-rank) or W (rank-sum)
    exact: bool | None  # exact null distribution (True) or normal approximation (False)
    p: float | None
    p_adjusted: float | None
    effect_size: float | None  # rank-biserial correlation, positive when scores rose
    improved: int | None
    same: int | None
    declined: int | None
    note: str | None = None
    # The matched estimate: the mean of matched members' differences (paired test only),
    # and the Hodges-Lehmann shift with its 95% interval from the test used (paired:
    # median of Walsh averages of the differences; two groups: of all differences).
    matched_difference: float | None = None
    hodges_lehmann: float | None = None
    hl_ci95: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "difference": self.difference,
            "n_before": self.n_before,
            "n_after": self.n_after,
            "n_matched": self.n_matched,
            "test": self.test,
            "p": self.p,
            "p_adjusted": self.p_adjusted,
            "effect_size": self.effect_size,
            "improved": self.improved,
            "same": self.same,
            "declined": self.declined,
            "statistic": self.statistic,
            "exact": self.exact,
            "items": list(self.items),
            "note": self.note,
            "matched_difference": self.matched_difference,
            "hodges_lehmann": self.hodges_lehmann,
            "hl_ci95": list(self.hl_ci95) if self.hl_ci95 is not None else None,
        }


@dataclass(frozen=True)
class ChangeResult:
    """Change for every dimension, in display order, and notes on how waves were compared."""

    dimensions: Mapping[str, DimensionChange]
    left_out: tuple[str, ...]  # item ids not compared (not answered in both waves)
    matched: bool  # respondent keys present in both waves
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The contract's ``change`` object: dimension id -> figures."""
        return {d: c.to_dict() for d, c in self.dimensions.items()}


def _answered(responses: ResponseSet, qid: str) -> bool:
    values = responses.scale.get(qid)
    if values is None:
        return False
    return bool(np.any(~np.isnan(np.asarray(values, dtype=np.float64))))


def shared_items(
    survey: Survey, after: ResponseSet, before: ResponseSet
) -> tuple[dict[str, tuple[Question, ...]], dict[str, str]]:
    """Per dimension, the items answered in both waves; and why each other item is left out."""
    shared: dict[str, tuple[Question, ...]] = {}
    left_out: dict[str, str] = {}
    for dim in survey.dimension_order():
        kept = []
        for q in survey.questions_of(dim):
            in_after, in_before = _answered(after, q.id), _answered(before, q.id)
            if in_after and in_before:
                kept.append(q)
            elif in_after:
                left_out[q.id] = f"{q.id} ({dim}): no answers in the baseline"
            elif in_before:
                left_out[q.id] = f"{q.id} ({dim}): no answers in this wave"
            else:
                left_out[q.id] = f"{q.id} ({dim}): no answers in either wave"
        shared[dim] = tuple(kept)
    known = {q.id for q in survey.scale_questions}
    for qid in before.scale:
        if qid not in known and _answered(before, qid):
            left_out[qid] = f"{qid}: only in the baseline's template"
    return shared, left_out


def _scores(survey: Survey, responses: ResponseSet, items: Sequence[Question]) -> np.ndarray:
    """Dimension scores on the given items only (half rule on those items): the
    ``dimension_scores`` of their matrix, counted per answer combination."""
    if not items:
        return np.full(responses.respondents, np.nan)
    return tally_dimension([scored_item(survey, responses, q) for q in items]).scores()


def _key_rows(keys: Sequence[str]) -> dict[str, int]:
    """Key -> row; blank keys are not matched; a repeated key keeps its later row."""
    return {k: i for i, k in enumerate(keys) if k}


def _matched_rows(after: ResponseSet, before: ResponseSet) -> tuple[np.ndarray, np.ndarray] | None:
    if after.respondent_keys is None or before.respondent_keys is None:
        return None
    a, b = _key_rows(after.respondent_keys), _key_rows(before.respondent_keys)
    # Each key's rows in both waves (-1: not in the baseline), in this wave's row order.
    rows_a = np.fromiter(a.values(), dtype=np.int64, count=len(a))
    rows_b = np.fromiter(map(b.get, a, repeat(-1)), dtype=np.int64, count=len(a))
    both = rows_b >= 0
    rows_a, rows_b = rows_a[both], rows_b[both]
    order = np.argsort(rows_a, kind="stable")
    return rows_a[order], rows_b[order]


def _mean(values: np.ndarray) -> float | None:
    return float(np.mean(values)) if values.size else None


def _dimension_change(
    dim: str,
    label: str,
    items: tuple[Question, ...],
    after: np.ndarray,
    before: np.ndarray,
    rows: tuple[np.ndarray, np.ndarray] | None,
    k: int,
) -> DimensionChange:
    va, vb = after[~np.isnan(after)], before[~np.isnan(before)]
    n_after, n_before = int(va.size), int(vb.size)
    ids = tuple(q.id for q in items)
    n_matched = 0
    pa = pb = np.empty(0)
    if rows is not None:
        pa, pb = after[rows[0]], before[rows[1]]
        both = ~(np.isnan(pa) | np.isnan(pb))
        pa, pb = pa[both], pb[both]
        n_matched = int(pa.size)

    def empty(note: str) -> DimensionChange:
        return DimensionChange(
            dim, label, ids, None, None, None, n_before, n_after, n_matched,
            None, None, None, None, None, None, None, None, None, note,
        )  # fmt: skip

    if not items:
        return empty("no items were answered in both waves, so there is nothing to compare")
    note = None
    matched_difference = None
    if rows is not None and n_matched >= k:
        t = stats.wilcoxon_signed_rank(pa, pb)
        shift = stats.hodges_lehmann_paired(pa, pb)
        matched_difference = float(np.mean(pa - pb))
        if t.p is None:
            note = "every matched member gave the same score in both waves: nothing to test"
    elif n_after >= k and n_before >= k:
        t = stats.mann_whitney(va, vb)
        shift = stats.hodges_lehmann_shift(va, vb)
        if rows is not None:
            note = (
                f"only {count_of(n_matched, 'member')} answered both waves, fewer than "
                f"min_group_size ({k}), so the waves are compared as two separate groups"
            )
        if t.p is None:
            note = (note + "; " if note else "") + "every score was the same: nothing to test"
    else:
        small = [w for w, n in (("the baseline", n_before), ("this wave", n_after)) if n < k]
        return empty(
            f"fewer than min_group_size ({k}) scored respondents in {' and '.join(small)}, "
            "so no change figure is shown"
        )
    before_mean, after_mean = _mean(vb), _mean(va)
    assert before_mean is not None and after_mean is not None
    return DimensionChange(
        dimension=dim,
        label=label,
        items=ids,
        before=before_mean,
        after=after_mean,
        difference=after_mean - before_mean,
        n_before=n_before,
        n_after=n_after,
        n_matched=n_matched,
        test=t.method,
        statistic=t.statistic,
        exact=t.exact if t.p is not None else None,
        p=t.p,
        p_adjusted=None,
        effect_size=t.effect_size,
        improved=t.improved,
        same=t.same,
        declined=t.declined,
        note=note,
        matched_difference=matched_difference,
        hodges_lehmann=shift.estimate,
        hl_ci95=shift.ci,
    )


def compare_waves(after: ResponseSet, before: ResponseSet) -> ChangeResult:
    """Per-dimension change from the baseline ``before`` to this wave ``after``.

    Both ResponseSets must be of the same survey (same ``id``); the dimensions and
    items are those of ``after.survey``. See the module docstring for the rules.
    """
    survey = after.survey
    if before.survey.id != survey.id:
        raise UsageError(
            f"--baseline: the baseline is of survey '{before.survey.id}', not '{survey.id}'.",
            hint="Give an earlier wave of the same survey, read with the same survey.yaml.",
        )
    k = survey.min_group_size
    shared, left_out = shared_items(survey, after, before)
    rows = _matched_rows(after, before)
    changes: dict[str, DimensionChange] = {}
    for dim, items in shared.items():
        changes[dim] = _dimension_change(
            dim,
            survey.dimensions[dim].label,
            items,
            _scores(survey, after, items),
            _scores(survey, before, items),
            rows,
            k,
        )
    adjusted = stats.p_adjust_bh([c.p for c in changes.values()])
    changes = {d: _with_adjusted(c, p) for (d, c), p in zip(changes.items(), adjusted, strict=True)}
    notes: list[str] = []
    if left_out:
        notes.append(
            "Change compares only the items both waves share; both waves' scores were "
            "recomputed on those items. Left out: " + "; ".join(left_out.values()) + "."
        )
    if rows is None:
        notes.append(
            "Respondents could not be matched between waves (no respondent question in both), "
            "so each dimension compares the two waves as separate groups (Mann-Whitney)."
        )
    else:
        key = survey.respondent_question
        through = f"their answers to '{key.text}'" if key is not None else "their answers"
        notes.append(
            f"{count_of(int(rows[0].size), 'member')} answered both waves and "
            f"{'was' if rows[0].size == 1 else 'were'} matched through {through}."
        )
    return ChangeResult(changes, tuple(left_out), rows is not None, tuple(notes))


def _with_adjusted(c: DimensionChange, p: float | None) -> DimensionChange:
    from dataclasses import replace

    return replace(c, p_adjusted=p)


def _signed(x: float) -> str:
    from relimpact.common.text import signed

    return signed(x)


def change_words(entry: DimensionChange | Mapping[str, Any], label: str) -> str:
    """A dimension's change in plain words, for reports; never a claim about causes.

    ``entry`` is a :class:`DimensionChange` or its contract dict. With matched members the
    words lead with them: their mean change to two decimals ("the 12 members who answered
    both waves rose by 0.42 points on average"; "stayed about the same" when it rounds to
    0.0 at one decimal), the Hodges-Lehmann estimate and its 95% interval, whether more
    improved or declined, and only then the all-respondent means, labelled as context.
    Without matching, the two waves' means are compared as groups and said to be so. Then
    whether the change could be chance: the BH-adjusted p-value (or p, without one) below
    0.05 is "unlikely to be chance", otherwise "could be chance".
    """
    e = entry.to_dict() if isinstance(entry, DimensionChange) else entry
    difference = e.get("difference")
    if difference is None or (isinstance(difference, float) and math.isnan(difference)):
        why = e.get("note") or "too few answers to compare"
        return f"{label}: no change figure ({why})."
    matched = e.get("matched_difference")
    lead = matched if matched is not None else difference
    steady = f"{abs(lead):.1f}" == "0.0"
    if matched is not None:
        who = f"the {e.get('n_matched')} members who answered both waves"
        if steady:
            parts = [f"{label}: {who} stayed about the same on average ({_signed(matched)})"]
        else:
            way = "rose" if matched > 0 else "fell"
            parts = [f"{label}: {who} {way} by {abs(matched):.2f} points on average"]
    elif steady:
        parts = [f"{label} stayed about the same between the two waves' respondents"]
    else:
        way = "rose" if difference > 0 else "fell"
        parts = [
            f"{label} {way} by {abs(difference):.1f} points between the two waves' "
            "respondents (not matched)"
        ]
    hl, ci = e.get("hodges_lehmann"), e.get("hl_ci95")
    if hl is not None:
        shift = f"Hodges-Lehmann estimate {_signed(hl)}"
        if ci is not None:
            shift += f", 95% interval {_signed(ci[0])} to {_signed(ci[1])}"
        else:
            shift += ", too few distinct changes for a 95% interval"
        parts[0] += f" ({shift})"
    improved, declined = e.get("improved"), e.get("declined")
    if improved is not None and declined is not None:
        if improved > declined:
            parts.append("more members improved than declined")
        elif declined > improved:
            parts.append("more members declined than improved")
        else:
            parts.append("as many members improved as declined")
    if not steady:
        p = e.get("p_adjusted")
        if p is None:
            p = e.get("p")
        if p is None:
            parts.append("no test was possible")
        elif p < CHANCE_BELOW:
            parts.append("unlikely to be chance")
        else:
            parts.append("could be chance")
    words = "; ".join(parts) + "."
    before, after = e.get("before"), e.get("after")
    if matched is not None and before is not None and after is not None:
        words += (
            f" Everyone who answered, as context: {unsigned(before)} then {unsigned(after)} "
            f"({_signed(difference)})."
        )
    return words
