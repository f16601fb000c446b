"""Tie churn between two waves of the network map: ties kept, new and ended.

A fair count compares like with like. A tie between two members is seen in a wave when
either of them named the other, so a tie to a member who did not answer one of the two
waves could seem to start or end only because that member answered once. Churn is
therefore counted among the members who answered in **both** waves: the undirected ties
between two such members (either named the other) in the earlier wave and in the later
one, and

- ``kept``: ties in both waves; ``new``: only in the later; ``ended``: only in the earlier;
- ``members``: how many members answered both waves (``pairs`` = members * (members - 1) / 2
  possible ties among them).

In R igraph terms, with ``g1`` and ``g2`` the two waves' undirected simple graphs induced on
the members who answered both (``induced_subgraph(as.undirected(g, "collapse"), both)``):
``kept = ecount(intersection(g1, g2))``, ``new = ecount(difference(g2, g1))``, ``ended =
ecount(difference(g1, g2))``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TieChurn:
    before: str  # the earlier wave's label
    after: str  # the later wave's label
    members: int  # members who answered both waves
    kept: int
    new: int
    ended: int

    @property
    def pairs(self) -> int:
        return self.members * (self.members - 1) // 2

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.before,
            "to": self.after,
            "members": self.members,
            "kept": self.kept,
            "new": self.new,
            "ended": self.ended,
        }


def _ties(nominations: Mapping[str, Iterable[str]], among: set[str]) -> set[frozenset[str]]:
    ties: set[frozenset[str]] = set()
    for who, named in nominations.items():
        if who not in among:
            continue
        for other in (named,) if isinstance(named, str) else named:
            if other in among and other != who:
                ties.add(frozenset((who, other)))
    return ties


def tie_churn(
    members: Iterable[str],
    before: Mapping[str, Iterable[str]],
    after: Mapping[str, Iterable[str]],
    labels: tuple[str, str] = ("before", "after"),
) -> TieChurn:
    """Ties kept, new and ended from ``before`` to ``after`` (each: roster member who
    answered -> the members they named), among roster members who answered both waves."""
    roster = set(members)
    both = {m for m in before if m in roster} & {m for m in after if m in roster}
    t0, t1 = _ties(before, both), _ties(after, both)
    return TieChurn(labels[0], labels[1], len(both), len(t0 & t1), len(t1 - t0), len(t0 - t1))


def churn_words(churn: TieChurn) -> str:
    """The churn in plain words, for reports."""
    if churn.members < 2:
        return (
            f"Between {churn.before} and {churn.after}, too few members answered both times "
            "to compare their links."
        )

    def links(n: int) -> str:
        return "1 link" if n == 1 else f"{n} links"

    return (
        f"Between {churn.before} and {churn.after}, among the {churn.members} members who "
        f"answered both times: {links(churn.kept)} kept, {links(churn.new)} new and "
        f"{links(churn.ended)} ended."
    )
