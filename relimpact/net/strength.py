"""Tie strength: how closely members work together, from a ``connections`` question with
``levels`` (a scale, lowest first: for example aware of each other / share information /
work together / plan together).

Each named member carries the level its namer chose. A tie's *weight* is its level's
rank among the scale's points, ``1`` for the lowest to ``K`` for the highest, whatever
numbers the scale gives its points; an answer in the scale's ``not_applicable`` labels,
or a blank, is no tie.

- ``strength``: how many ties (directed, as ``ties`` in ``relimpact.net.network``) are at
  each level.
- ``weighted_density``: ``sum(weight) / (K * n * (n - 1))``, the density with each tie
  counted as its share of the strongest level; equal to ``density`` when every tie is
  at the top level. R igraph: ``sum(strength(g, mode = "out")) / (K * vcount(g) *
  (vcount(g) - 1))`` with the ranks as ``E(g)$weight``
  (``tests/r/reference_network2.R``).
- ``at_least``: the usual network figures (``network_stats``) on the ties at or above
  each level: at the lowest level they are the figures of every tie.

Pure functions over roster names; nothing here reads files, prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class Shape(Protocol):
    """The figures of a tie graph (``network.NetworkStats``), as far as tie strength needs
    them; ``network`` imports this module, so this one names no type of it."""

    ties: int
    components: int
    isolates: int

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class TieStrength:
    levels: tuple[str, ...]  # the levels' labels, lowest first
    counts: tuple[int, ...]  # ties at each level
    weighted_density: float | None  # None with fewer than two members
    at_least: tuple[Shape, ...]  # the figures of the ties at or above each level

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": list(self.levels),
            "strength": dict(zip(self.levels, self.counts, strict=True)),
            "weighted_density": self.weighted_density,
            "at_least": {
                label: stats.to_dict()
                for label, stats in zip(self.levels, self.at_least, strict=True)
            },
        }


def tie_strength(
    members: Sequence[str],
    levels: Sequence[str],
    nominations: Mapping[str, Mapping[str, int]],
    shape: Callable[[Mapping[str, list[str]]], Shape],
) -> TieStrength:
    """Tie strength from levelled answers.

    ``levels`` are the labels, lowest first; ``nominations`` maps each roster member
    who answered to ``{named member: rank}``, the rank being 1 (lowest level) to
    ``len(levels)``. Names off the roster and self-nominations are no tie, as in
    ``network_stats``. ``shape`` gives the figures of plain nominations: ``lambda
    nominations: network_stats(members, nominations, convenors)``.
    """
    roster = set(members)
    k = len(levels)
    counts = [0] * k
    weight = 0
    for who, named in nominations.items():
        if who not in roster:
            continue
        for other, rank in named.items():
            if other in roster and other != who and 1 <= rank <= k:
                counts[rank - 1] += 1
                weight += rank
    n = len(members)
    at_least = tuple(
        shape(
            {who: [o for o, r in named.items() if r >= level] for who, named in nominations.items()}
        )
        for level in range(1, k + 1)
    )
    return TieStrength(
        levels=tuple(levels),
        counts=tuple(counts),
        weighted_density=weight / (k * n * (n - 1)) if n >= 2 and k else None,
        at_least=at_least,
    )


def strength_words(ts: TieStrength) -> str:
    """How strong the ties are, in plain words, for reports."""
    total = sum(ts.counts)
    if not total:
        return "No member named another, so there is nothing to say about how close links are."
    parts = [f"{c} at \u201c{label}\u201d" for label, c in zip(ts.levels, ts.counts, strict=True)]
    top = ts.at_least[-1]
    named = "Of the one link named, " if total == 1 else f"Of the {total} links named, "
    text = named + ", ".join(parts) + "."
    if len(ts.levels) > 1:
        # "one piece", as the network change says it (network._parts), not "1 separate group"
        pieces = "one piece" if top.components == 1 else f"{top.components} separate groups"
        text += (
            f" Counting only links at \u201c{ts.levels[-1]}\u201d, the network is in "
            f"{pieces}, and "
            f"{top.isolates} member{' has' if top.isolates == 1 else 's have'} no link that "
            "close."
        )
    return text


__all__ = ["TieStrength", "strength_words", "tie_strength"]
