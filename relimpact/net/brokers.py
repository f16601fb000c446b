"""Brokers and reach: who lies between the other members, and how much hangs on them.

On the *undirected* tie graph of all roster members (``relimpact.net.network``):

- **Betweenness** of member v is ``sum over pairs {s, t} (v not in them) of
  sigma_st(v) / sigma_st``, where ``sigma_st`` counts the shortest paths between s and
  t and ``sigma_st(v)`` those passing through v; normalised by the number of pairs of
  the other members, ``(n - 1)(n - 2) / 2``. This is R igraph's
  ``betweenness(g, directed = FALSE, normalized = TRUE)`` and networkx's
  ``betweenness_centrality(g, normalized = True)``.
- **The top 10%**: the ``ceil(n / 10)`` members with the highest betweenness, plus
  any member tied with the last of them (so the set may be a little larger, and is
  said to be); a member with betweenness 0 is never a broker, so the set may also be
  smaller, or empty.
- **Routes through the top 10%** (``paths_through_top``): over every pair {s, t} of
  members outside the top set who are connected at all, the share of their shortest
  paths that pass through at least one member of the set, averaged over the pairs:
  ``mean over pairs of sigma_st(T) / sigma_st`` (Everett and Borgatti's group
  betweenness, divided by the number of connected pairs). It reads "of the quickest
  routes between the other members, this share goes through the top 10%". R:
  ``all_shortest_paths()`` for each pair, counting the paths with an inner vertex in
  the set (``tests/r/reference_network2.R``). ``ties_touching_top`` is simpler: the
  share of ties with a top member at one end.

Pure functions; names are kept here but are shown only for members who agreed to be
named, by the caller (``Brokers.named``).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from relimpact.common.text import count_of

TOP_SHARE = 0.10


@dataclass(frozen=True)
class Brokers:
    members: int
    betweenness: Mapping[str, float]  # every roster member's normalised betweenness
    top: tuple[str, ...]  # the top 10% (see the module), highest first
    paths_through_top: float | None  # None when no pair of other members is connected
    connected_pairs: int  # pairs of members outside the top set that are connected
    ties: int
    ties_touching_top: float | None

    @property
    def target(self) -> int:
        """How many members the top 10% would hold without ties at the cut."""
        return math.ceil(self.members * TOP_SHARE)

    def named(self, agreed: Iterable[str]) -> tuple[str | None, ...]:
        """The top members' names, None for each who did not agree to be named."""
        ok = set(agreed)
        return tuple(m if m in ok else None for m in self.top)

    def to_dict(self) -> dict[str, Any]:
        values = sorted(self.betweenness.values(), reverse=True)
        return {
            "top_members": len(self.top),
            "top_betweenness": [self.betweenness[m] for m in self.top],
            "betweenness_max": values[0] if values else None,
            "betweenness_mean": sum(values) / len(values) if values else None,
            "paths_through_top": self.paths_through_top,
            "connected_pairs": self.connected_pairs,
            "ties_touching_top": self.ties_touching_top,
        }


def _paths(adj: Mapping[str, Sequence[str]], s: str, skip: frozenset[str]) -> dict[str, tuple]:
    """Breadth-first from s, never entering ``skip``: member -> (distance, shortest paths)."""
    out = {s: (0, 1)}
    queue = deque([s])
    while queue:
        x = queue.popleft()
        d, c = out[x]
        for y in adj[x]:
            if y in skip:
                continue
            if y not in out:
                out[y] = (d + 1, c)
                queue.append(y)
            elif out[y][0] == d + 1:
                out[y] = (d + 1, out[y][1] + c)
    return out


def brokers(members: Sequence[str], ties: Iterable[tuple[str, str]]) -> Brokers:
    """Betweenness and the routes through the top 10% (see the module for definitions).

    ``ties`` are undirected (each pair once, either order) between roster members.
    """
    import networkx as nx

    roster = list(members)
    graph = nx.Graph()
    graph.add_nodes_from(roster)
    graph.add_edges_from((a, b) for a, b in ties if a != b)
    n = len(roster)
    between = nx.betweenness_centrality(graph, normalized=True) if n else {}
    order = {m: i for i, m in enumerate(roster)}
    ranked = sorted(roster, key=lambda m: (-between[m], order[m]))
    k = math.ceil(n * TOP_SHARE)
    top: list[str] = []
    if k:
        cut = between[ranked[k - 1]]
        top = [m for m in ranked if between[m] > 0 and between[m] >= cut - 1e-12]
    in_top = frozenset(top)
    adj = {m: sorted(graph.neighbors(m), key=order.__getitem__) for m in roster}
    rest = [m for m in roster if m not in in_top]
    pairs = 0
    share_sum = 0.0
    for i, s in enumerate(rest):
        full = _paths(adj, s, frozenset())
        avoid = _paths(adj, s, in_top) if in_top else full
        for t in rest[i + 1 :]:
            if t not in full:
                continue
            pairs += 1
            d, c = full[t]
            kept = avoid.get(t)
            c_avoid = kept[1] if kept is not None and kept[0] == d else 0
            share_sum += (c - c_avoid) / c
    edges = graph.number_of_edges()
    touching = sum(1 for a, b in graph.edges() if a in in_top or b in in_top)
    return Brokers(
        members=n,
        betweenness={m: float(between[m]) for m in roster},
        top=tuple(top),
        paths_through_top=share_sum / pairs if pairs and top else None,
        connected_pairs=pairs,
        ties=edges,
        ties_touching_top=touching / edges if edges and top else None,
    )


def _pct(share: float) -> str:
    return f"{math.floor(share * 100 + 0.5)}%"


def brokers_words(b: Brokers, names: Sequence[str | None] = (), audience: str = "funder") -> str:
    """The brokers in plain words. ``names`` (from ``Brokers.named``) names the top
    members who agreed; pass nothing to name nobody."""
    if not b.top:
        return (
            "No member lies on the routes between other members: every member who is "
            "linked at all is linked directly to the others in their group."
        )
    many = len(b.top)
    one = many == 1
    tied = many > b.target
    # one broker is "the member", not "the 1 member", and takes singular verbs
    head = (
        "The member who most often links others"
        if one
        else f"The {many} members who most often link others"
    )
    head += " (the top 10%, with ties at the cut)" if tied else " (the top 10%)"
    shown = [x for x in names if x]
    if shown:
        unnamed = many - len(shown)
        listed = ", ".join(shown)
        if unnamed:
            listed += f" and {count_of(unnamed, 'member')} not named"
        head += f", {listed},"
    if b.paths_through_top is None:
        return head + (" links" if one else " link") + " no pair of other members."
    share = _pct(b.paths_through_top)
    lie = "lies" if one else "lie"
    text = f"{head} {lie} on {share} of the shortest routes between the other members."
    if audience == "funder" and b.ties_touching_top is not None:
        end = "this member" if one else "one of them"
        text += f" {_pct(b.ties_touching_top)} of all links have {end} at one end."
    if b.paths_through_top >= 0.5:
        who = "this member" if one else "they"
        text += f" If {who} stepped back, many members would lose their quickest way to each other."
    return text


__all__ = ["TOP_SHARE", "Brokers", "brokers", "brokers_words"]
