"""Several waves of the same survey: each dimension and the network, wave by wave.

``build_trend(survey, waves, seed)`` takes the waves oldest first, each a label and its
``ResponseSet`` (the last is the current wave), and gives the ``trend`` object of
``score --format json``:

- ``waves``: each wave's label, respondents and fieldwork dates;
- ``dimensions.<id>``: per wave ``n``, ``mean`` and ``ci95`` (with ``ci_method``). Like
  with like: every wave is scored on the items answered in **every** wave
  (``items``; the others are named in ``left_out``), each respondent's dimension score
  the mean of the items they answered if they answered at least half of them, as
  everywhere. The mean is the plain mean of those scores (R ``mean(x)``) and ``ci95``
  the interval chosen by n as for a dimension (``stats.mean_ci``: none below 10
  respondents; Student's t, R ``t.test(x)$conf.int``, from 10 to 29; the seeded
  percentile bootstrap from 30; narrowed by the finite-population correction when the
  survey gives the membership). Below ``min_group_size`` scored respondents the wave's
  figure is not shown (``suppressed``). When every item is shared, the current wave's
  figures are the dimension's own (the same n, mean and interval).
- ``network``: per wave the network map's figures (``network.network_stats`` on the
  survey's one roster), and ``tie_churn`` between consecutive waves (``net.churn``:
  ties kept, new and ended among the members who answered both).
- ``last_two``: the change from the wave before the current one to the current one, as
  ``change`` gives it with ``--baseline`` (``change.compare_waves``: matched members
  first, Wilcoxon signed-rank or Mann-Whitney, BH-adjusted; the same figures as
  ``change`` when that wave is the baseline); ``first_to_last``, with three waves or
  more, the same from the first wave; ``network_last_two`` and ``network_first_to_last``
  the network's (``network.network_change``, with members who answered in each).

Nothing here says why a figure moved: a trend describes, it does not explain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from relimpact.net.churn import TieChurn
    from relimpact.net.network import NetworkStats
    from relimpact.read.responses import ResponseSet
    from relimpact.scoring.change import ChangeResult
    from relimpact.survey.model import Survey


@dataclass(frozen=True)
class WaveInfo:
    label: str
    respondents: int
    fieldwork: tuple[str, str] | None

    def to_dict(self) -> dict[str, Any]:
        period = (
            None if self.fieldwork is None else {"from": self.fieldwork[0], "to": self.fieldwork[1]}
        )
        return {"label": self.label, "respondents": self.respondents, "fieldwork": period}


@dataclass(frozen=True)
class WavePoint:
    """One dimension in one wave."""

    wave: str
    n: int
    mean: float | None  # None: not shown (fewer than min_group_size, or no answers)
    ci95: tuple[float, float] | None
    ci_method: str | None
    suppressed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "wave": self.wave,
            "n": self.n,
            "mean": self.mean,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
            "ci_method": self.ci_method,
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class Trend:
    waves: tuple[WaveInfo, ...]
    items: tuple[str, ...]  # the scale items every wave answered
    left_out: tuple[str, ...]  # the other scale items, with why
    dimensions: Mapping[str, tuple[WavePoint, ...]]
    labels: Mapping[str, str]  # dimension id -> label
    network: tuple[NetworkStats, ...] | None
    churn: tuple[TieChurn, ...]
    first_to_last: ChangeResult | None
    network_first_to_last: Mapping[str, Any] | None
    last_two: ChangeResult | None = None
    network_last_two: Mapping[str, Any] | None = None
    notes: tuple[str, ...] = ()

    @property
    def wave_labels(self) -> tuple[str, ...]:
        return tuple(w.label for w in self.waves)

    def to_dict(self) -> dict[str, Any]:
        labels = self.wave_labels
        return {
            "waves": [w.to_dict() for w in self.waves],
            "items": list(self.items),
            "left_out": list(self.left_out),
            "dimensions": {d: [p.to_dict() for p in ps] for d, ps in self.dimensions.items()},
            "network": (
                None
                if self.network is None
                else [
                    {"wave": label, **s.to_dict()}
                    for label, s in zip(labels, self.network, strict=True)
                ]
            ),
            "tie_churn": [c.to_dict() for c in self.churn],
            "first_to_last": (None if self.first_to_last is None else self.first_to_last.to_dict()),
            "network_first_to_last": (
                None if self.network_first_to_last is None else dict(self.network_first_to_last)
            ),
            "last_two": None if self.last_two is None else self.last_two.to_dict(),
            "network_last_two": (
                None if self.network_last_two is None else dict(self.network_last_two)
            ),
            "notes": list(self.notes),
        }


def _answered(responses: ResponseSet, qid: str) -> bool:
    values = responses.scale.get(qid)
    return values is not None and bool(np.any(~np.isnan(np.asarray(values, dtype=np.float64))))


def _shared(survey: Survey, waves: Sequence[tuple[str, ResponseSet]]):  # noqa: ANN202
    shared: dict[str, list] = {}
    left_out: list[str] = []
    for dim in survey.dimension_order():
        shared[dim] = []
        for q in survey.questions_of(dim):
            missing = [label for label, r in waves if not _answered(r, q.id)]
            if missing:
                left_out.append(f"{q.id} ({dim}): no answers in {', '.join(missing)}")
            else:
                shared[dim].append(q)
    return shared, left_out


def build_trend(
    survey: Survey,
    waves: Sequence[tuple[str, ResponseSet]],
    *,
    seed: int,
    population: int | None = None,
) -> Trend:
    """The trend over ``waves`` (oldest first; the last is the current wave);
    ``population``: the membership size, for the finite-population correction."""
    from relimpact.net.churn import tie_churn
    from relimpact.net.network import network_stats, nominations_from
    from relimpact.scoring import stats
    from relimpact.scoring.change import compare_waves
    from relimpact.scoring.items import scored_item, tally_dimension

    k = survey.min_group_size
    shared, left_out = _shared(survey, waves)
    labels = tuple(label for label, _ in waves)
    dimensions: dict[str, tuple[WavePoint, ...]] = {}
    for dim, items in shared.items():
        points = []
        for label, r in waves:
            if not items:
                points.append(WavePoint(label, 0, None, None, None, suppressed=False))
                continue
            tally = tally_dimension([scored_item(survey, r, q) for q in items])
            scores = tally.scores()
            valid = scores[~np.isnan(scores)]
            n = int(valid.size)
            if n < k or r.respondents < k:
                points.append(WavePoint(label, n, None, None, None, suppressed=n > 0))
                continue
            # The interval from the tally of scores (the same as stats.mean_ci's).
            counts = tally.counts(tally.frequencies)
            here = counts > 0
            mean = float(np.mean(valid))
            ci, method = stats.tally_mean_ci(
                tally.distinct[here],
                counts[here],
                lambda valid=valid: valid,
                seed=seed,
                population=population,
                mean=mean,
            )
            points.append(WavePoint(label, n, mean, ci, method))
        dimensions[dim] = tuple(points)
    notes: list[str] = []
    if left_out:
        notes.append(
            "The trend compares only the statements every survey asked; each survey's scores "
            "were worked out on those. Left out: " + "; ".join(left_out) + "."
        )
    networks: list[NetworkStats] = []
    nominations: list[dict[str, list[str]]] = []
    network: tuple[NetworkStats, ...] | None = None
    member_q = next((q for q in survey.questions if q.type == "member"), None)
    links_q = next((q for q in survey.questions if q.type == "connections"), None)
    if survey.network_map is not None and member_q is not None and links_q is not None:
        nm = survey.network_map
        for label, r in waves:
            if member_q.id not in r.member or links_q.id not in r.connections:
                notes.append(
                    f"The survey of {label} has no member or connections answers, so the "
                    "network is not followed over time."
                )
                networks = []
                break
            nominations.append(nominations_from(r.member[member_q.id], r.connections[links_q.id]))
            networks.append(network_stats(nm.members, nominations[-1], nm.convenors))
        network = tuple(networks) if networks else None
    churn: tuple[TieChurn, ...] = ()
    network_first_last = network_last_two = None
    if network is not None:
        roster = survey.network_map.members if survey.network_map else ()
        churn = tuple(
            tie_churn(roster, nominations[i], nominations[i + 1], (labels[i], labels[i + 1]))
            for i in range(len(waves) - 1)
        )
        if len(waves) >= 3:
            network_first_last = _network_change(network[0], network[-1])
        network_last_two = _network_change(network[-2], network[-1])
    first_last = compare_waves(waves[-1][1], waves[0][1]) if len(waves) >= 3 else None
    return Trend(
        waves=tuple(
            WaveInfo(label, r.respondents, None if r.respondents < k else r.fieldwork)
            for label, r in waves
        ),
        items=tuple(q.id for items in shared.values() for q in items),
        left_out=tuple(left_out),
        dimensions=dimensions,
        labels={d: survey.dimensions[d].label for d in dimensions},
        network=network,
        churn=churn,
        first_to_last=first_last,
        network_first_to_last=network_first_last,
        last_two=compare_waves(waves[-1][1], waves[-2][1]),
        network_last_two=network_last_two,
        notes=tuple(notes),
    )


def _network_change(before: NetworkStats, after: NetworkStats) -> dict[str, Any]:
    """``network.network_change`` and how many members answered in each wave."""
    from relimpact.net.network import network_change

    responded = {
        "before": before.responded,
        "after": after.responded,
        "difference": after.responded - before.responded,
        "both": len(before.answered & after.answered),  # members who answered both times
    }
    return {**network_change(before, after), "responded": responded}
