"""The net: the network's shape from members' who-works-with-whom answers.

Pure functions over roster names. The reader matches answers to the roster
(``network_map.members``) and hands over, for each roster member who answered,
the roster members they named; nothing here reads files, prints or exits.

How answers become a graph:

- A *tie* is a distinct directed nomination between two roster members.
  Naming yourself is ignored; naming someone twice counts once; a name that is
  not on the roster is never a tie (``NetworkStats.unknown_names`` counts
  them, so the caller can warn).
- Shape measures (components, isolates, centralisation, articulation points,
  the convenor-exit check) use the *undirected* graph of **all** roster
  members: two members are linked when either named the other, and a member
  who did not answer and whom nobody named is an isolate.

The figures match R igraph (checked by ``tests/r/reference_network.R``):
``reciprocity`` is ``reciprocity(g)`` with its defaults (``ignore.loops =
TRUE``, ``mode = "default"``): reciprocated ties / all ties.
``centralization`` is ``centr_degree(g, normalized = TRUE)$centralization``
on the undirected simple graph, whose default ``loops = TRUE`` makes the
theoretical maximum ``n * (n - 1)``, not ``(n - 1) * (n - 2)``:
``sum(max(degree) - degree) / (n * (n - 1))``. So a star of n members scores
``(n - 2) / n`` (0.6 for five), not 1.

networkx is imported inside the functions so that the CLI starts instantly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from relimpact.common.errors import SurveyError
from relimpact.common.text import count_of

if TYPE_CHECKING:
    import networkx as nx

    from relimpact.net.brokers import Brokers
    from relimpact.net.mixing import Mixing
    from relimpact.net.strength import TieStrength

PARTIAL_BELOW = 0.8  # under this share of members answering, the map is called partial


@dataclass(frozen=True)
class WithoutConvenors:
    """The undirected graph once the convenors are removed."""

    removed: int  # convenors taken out (not in the JSON contract)
    remaining: int  # members left (not in the JSON contract)
    components: int
    isolates: int  # remaining members with no tie left
    largest_component_share: float | None  # None when no member remains

    def to_dict(self) -> dict[str, Any]:
        return {
            "components": self.components,
            "isolates": self.isolates,
            "largest_component_share": self.largest_component_share,
        }


@dataclass(frozen=True)
class NetworkStats:
    """The shape of the net; ``to_dict()`` is ``score --format json``'s ``network``.

    ``unknown_names`` is an extra field, left out of ``to_dict()``: how many
    distinct names in the answers (named members, or an answering member) are
    not on the roster. ``None`` marks a figure that is undefined (a density
    with fewer than two members, a reciprocity with no ties).
    """

    members: int
    responded: int
    ties: int
    density: float | None
    reciprocity: float | None
    components: int
    isolates: int
    centralization: float | None
    articulation_points: int
    without_convenors: WithoutConvenors | None
    unknown_names: int = 0
    # the roster members who answered (not in the JSON): how many answered two waves
    answered: frozenset[str] = frozenset()
    # Added by ``net.figures.network_figures``: tie strength (a connections question with
    # levels), mixing across each segment question's groups, and brokers.
    strength: TieStrength | None = None
    mixing: tuple[Mixing, ...] = ()
    brokers: Brokers | None = None

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.members if self.members else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "members": self.members,
            "responded": self.responded,
            "ties": self.ties,
            "density": self.density,
            "reciprocity": self.reciprocity,
            "components": self.components,
            "isolates": self.isolates,
            "centralization": self.centralization,
            "articulation_points": self.articulation_points,
            "without_convenors": (
                None if self.without_convenors is None else self.without_convenors.to_dict()
            ),
            **self._more(),
        }

    def _more(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.strength is not None:
            out.update(self.strength.to_dict())
        if self.mixing:
            out["mixing"] = {m.question: m.to_dict() for m in self.mixing}
        if self.brokers is not None:
            out["brokers"] = self.brokers.to_dict()
        return out


@dataclass(frozen=True)
class _Net:
    roster: tuple[str, ...]
    ties: frozenset[tuple[str, str]]  # (from, to), both on the roster, from != to
    responded: int
    unknown: int
    answered: frozenset[str] = frozenset()  # the roster members who answered


def _check_roster(members: Sequence[str], convenors: Sequence[str]) -> tuple[str, ...]:
    roster = tuple(members)
    seen: set[str] = set()
    twice: set[str] = set()
    for m in roster:
        (twice if m in seen else seen).add(m)
    if twice:
        raise SurveyError(
            f"the roster lists {', '.join(repr(m) for m in sorted(twice))} more than once",
            where="network_map.members",
            hint="List each member once.",
        )
    missing = [c for c in convenors if c not in seen]
    if missing:
        raise SurveyError(
            f"convenor {', '.join(repr(c) for c in missing)} is not on the roster",
            where="network_map.convenors",
            hint="Convenors must be written exactly as in network_map.members.",
        )
    return roster


def _named(value: Iterable[str] | str) -> Iterable[str]:
    return (value,) if isinstance(value, str) else value


def _collect(
    members: Sequence[str], nominations: Mapping[str, Iterable[str]], convenors: Sequence[str]
) -> _Net:
    roster = _check_roster(members, convenors)
    on_roster = set(roster)
    ties: set[tuple[str, str]] = set()
    unknown: set[str] = set()
    responded = 0
    answered: set[str] = set()
    for who, named in nominations.items():
        if who not in on_roster:
            unknown.add(who)
            continue
        responded += 1
        answered.add(who)
        for other in _named(named):
            if other not in on_roster:
                unknown.add(other)
            elif other != who:
                ties.add((who, other))
    return _Net(roster, frozenset(ties), responded, len(unknown), frozenset(answered))


def _undirected(net: _Net) -> nx.Graph:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(net.roster)
    order = {m: i for i, m in enumerate(net.roster)}
    graph.add_edges_from(sorted(net.ties, key=lambda t: (order[t[0]], order[t[1]])))
    return graph


def network_stats(
    members: Sequence[str],
    nominations: Mapping[str, Iterable[str]],
    convenors: Sequence[str] = (),
) -> NetworkStats:
    """The network's shape from who-works-with-whom answers.

    ``members`` is the roster; ``nominations`` maps each roster member who
    answered to the members they named (an empty answer still counts as
    answered); ``convenors`` are the members whose exit is simulated (none:
    ``without_convenors`` is None). Raises ``SurveyError`` when the roster
    repeats a name or a convenor is not on it.
    """
    import networkx as nx

    net = _collect(members, nominations, convenors)
    n = len(net.roster)
    n_ties = len(net.ties)
    mutual = sum(1 for a, b in net.ties if (b, a) in net.ties)
    graph = _undirected(net)
    degrees = [d for _, d in graph.degree()]
    centralization = None
    if n >= 2:
        top = max(degrees)
        centralization = sum(top - d for d in degrees) / (n * (n - 1))
    without = None
    if convenors:
        rest = graph.subgraph([m for m in net.roster if m not in set(convenors)])
        sizes = [len(c) for c in nx.connected_components(rest)]
        left = rest.number_of_nodes()
        without = WithoutConvenors(
            removed=len(set(convenors)),
            remaining=left,
            components=len(sizes),
            isolates=sum(1 for _, d in rest.degree() if d == 0),
            largest_component_share=max(sizes) / left if left else None,
        )
    return NetworkStats(
        members=n,
        responded=net.responded,
        ties=n_ties,
        density=n_ties / (n * (n - 1)) if n >= 2 else None,
        reciprocity=mutual / n_ties if n_ties else None,
        components=nx.number_connected_components(graph),
        isolates=sum(1 for d in degrees if d == 0),
        centralization=centralization,
        articulation_points=sum(1 for _ in nx.articulation_points(graph)),
        without_convenors=without,
        unknown_names=net.unknown,
        answered=net.answered,
    )


def network_change(before: NetworkStats, after: NetworkStats) -> dict[str, dict[str, Any]]:
    """Density, isolates and components between two waves: before, after, difference.

    The difference is ``after - before``; None where either figure is undefined.
    """
    change: dict[str, dict[str, Any]] = {}
    for key in ("density", "isolates", "components"):
        b, a = getattr(before, key), getattr(after, key)
        change[key] = {
            "before": b,
            "after": a,
            "difference": None if a is None or b is None else a - b,
        }
    return change


def _parts(n: int, alone: int | None) -> str:
    if n == 1:
        return "one piece"
    if not alone:
        return f"{n} separate groups"
    if alone == n:
        return f"{n} separate groups, each a single member"
    singles = "one of them a single member" if alone == 1 else f"{alone} of them single members"
    return f"{n} separate groups ({singles})"


def network_change_words(change: Mapping[str, Mapping[str, Any]]) -> str:
    """The change between waves in plain words, for reports.

    ``change`` is ``network_change(before, after)``, optionally with a ``responded`` entry
    (members who answered, before and after, and ``both``: how many answered both times):
    when the counts differ, or fewer answered both times than now, the words say that part
    of the change may only be who answered; when no one answered both times, that the
    figures compare two different sets of members. Figures missing from either wave are
    left out.
    """

    def both(key: str) -> tuple[Any, Any] | None:
        entry = change.get(key) or {}
        b, a = entry.get("before"), entry.get("after")
        return None if b is None or a is None else (b, a)

    clauses: list[str] = []
    density = both("density")
    if density is not None:
        b, a = (f"{x:.2f}" for x in density)
        if b == a:
            clauses.append(f"the network is as dense as it was ({a})")
        else:
            way = "denser" if density[1] > density[0] else "less dense"
            clauses.append(f"the network has become {way} ({b} to {a})")
    isolates = both("isolates")
    if isolates is not None:
        b, a = isolates
        if b == a == 0:
            clauses.append("no member is on their own, as before")
        elif b == a:
            clauses.append(
                f"{count_of(a, 'member')} {'is' if a == 1 else 'are'} on their own, as before"
            )
        else:
            clauses.append(
                f"{count_of(b, 'member')} {'was' if b == 1 else 'were'} on their own, "
                f"now {a if a else 'none'}"
            )
    components = both("components")
    if components is not None:
        b, a = components
        alone_b, alone_a = isolates if isolates is not None else (None, None)
        if b == a:
            clauses.append(f"it is still in {_parts(a, alone_a)}")
        else:
            clauses.append(f"it was in {_parts(b, alone_b)} and is now in {_parts(a, alone_a)}")
    if not clauses:
        return "The network cannot be compared with the last survey."
    text = "Since the last survey " + "; ".join(clauses) + "."
    responded = both("responded")
    again = (change.get("responded") or {}).get("both")
    if responded is not None and again == 0 and min(responded) > 0:
        return text + (
            " No member answered both times, so this compares two different sets of members, "
            "not a change in the same members' links."
        )
    if responded is not None and responded[0] != responded[1]:
        b, a = responded
        fewer = "Fewer" if b < a else "More"
        who = "more" if b < a else "fewer"
        text += (
            f" {fewer} members answered last time ({b}, now {a}), so part of this change may "
            f"only be that {who} members named who they work with."
        )
    elif responded is not None and again is not None and again < responded[1]:
        text += (
            f" Only {again} of the {responded[1]} members who answered this time also answered "
            "last time, so part of this change may be who answered."
        )
    return text


def _pct(share: float) -> str:
    return f"{math.floor(share * 100 + 0.5)}%"


def exit_check_words(stats: NetworkStats) -> str:
    """The convenor-exit check in plain words, for reports."""
    w = stats.without_convenors
    if w is None:
        return "No convenors are named in the survey, so the exit check was not run."
    who = "the convenor" if w.removed == 1 else "the convenors"
    if w.remaining == 0 or w.largest_component_share is None:
        return (
            f"Every member on the roster is a convenor, so there is no network left without {who}."
        )
    if w.remaining == 1:
        return f"Without {who}, one member would be left on their own."
    if w.components == 1:
        others = "both other members" if w.remaining == 2 else f"all {w.remaining} other members"
        return f"Without {who}, the network would hold together: {others} stay connected."
    if w.isolates == w.remaining:
        return (
            f"Without {who}, the network would fall apart: "
            f"none of the {w.remaining} other members would have a tie left."
        )
    share = _pct(w.largest_component_share)
    if w.components > stats.components:
        text = (
            f"Without {who}, the network would split into {w.components} groups; "
            f"the largest holds {share} of the other members."
        )
    elif w.components == stats.components:
        text = (
            f"Without {who}, the network would still be in {w.components} separate groups, "
            f"as it is now; the largest holds {share} of the other members."
        )
    elif w.removed == 1:  # fewer groups without them: the convenor is on their own
        text = (
            f"The convenor has no link to any member, so the exit check changes nothing: "
            f"the other members are in {w.components} separate groups with or without them; "
            f"the largest holds {share} of the other members."
        )
    else:
        text = (
            f"Without {who}, the network would be in {w.components} separate groups (at least "
            f"one convenor has no link to any member); the largest holds {share} of the other "
            "members."
        )
    if w.isolates == 1:
        text += " One of those groups is a single member with no tie left."
    elif w.isolates:
        text += f" {w.isolates} of those groups are single members with no tie left."
    return text


def coverage_words(stats: NetworkStats) -> str:
    """How much of the network answered; says the map is partial under 80%."""
    if stats.members == 0:
        return "The roster is empty, so there is no network map."
    rate = stats.responded / stats.members
    answered = f"{stats.responded} of {stats.members} members ({_pct(rate)}) answered"
    if rate < PARTIAL_BELOW:
        return (
            f"The map is partial: only {answered}. Ties between members who did not answer "
            "are missing, so the network is likely more connected than it looks."
        )
    return f"{answered}, so the map is close to complete."


# --- the map -----------------------------------------------------------------------------------

# Okabe-Ito, without black (kept for lines and rings); colour-blind safe.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOUR = "#999999"
UNKNOWN_COLOUR = "#FFFFFF"
PLAIN_COLOUR = "#0072B2"
_R = 6.0  # dot radius
_GAP = 56.0  # roughly the distance between neighbouring dots
_PAD = 20.0
_MIN_WIDTH = 640.0
_GROW = 1.6  # a network in one connected group is drawn this much larger


def _num(x: float) -> str:
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def _layout(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1] for one connected group: Kamada-Kawai, which starts from a
    circle (no randomness) and spaces members evenly by path distance."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-1.0, 0.0), nodes[1]: (1.0, 0.0)}
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    pos = nx.kamada_kawai_layout(graph)
    return {m: (float(pos[m][0]), float(pos[m][1])) for m in nodes}


def _segments(
    roster: tuple[str, ...],
    colour_by: Mapping[str, str] | None,
    min_group_size: int,
    hidden: Iterable[str] = (),
) -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    """Colour of each member, and the legend: (label, colour, members).

    The groups of the dots follow the segment table's decision: a group hidden there
    (``hidden``) has no colour here; among the dots, a group of fewer than
    ``min_group_size`` has none either, and suppression is complementary
    (``common.privacy.suppress``), so "Other" never holds a single small group whose size could
    be read off the legend. Every colour therefore has at least ``min_group_size`` dots,
    and a member named with ``--show-names`` is never the only dot of a colour. Members
    with no entry in ``colour_by`` (they did not answer) are "Not known"."""
    if colour_by is None:
        return {m: PLAIN_COLOUR for m in roster}, []
    from relimpact.common.privacy import suppress

    forced = set(hidden)
    counts: dict[str, int] = {}
    unknown = 0
    for m in roster:
        value = colour_by.get(m)
        if value is None or value == "":
            unknown += 1
        else:
            counts[value] = counts.get(value, 0) + 1
    named = sorted(counts, key=lambda v: (-counts[v], v))
    hide = suppress(
        [counts[v] for v in named],
        min_group_size,
        forced=[i for i, v in enumerate(named) if v in forced],
    )
    shown = [v for i, v in enumerate(named) if i not in hide][: len(PALETTE)]
    colour = {v: PALETTE[i] for i, v in enumerate(shown)}
    legend = [(v, colour[v], counts[v]) for v in shown]
    others = sum(counts[v] for v in named if v not in colour)
    if others:
        legend.append(("Other", OTHER_COLOUR, others))
    if unknown:
        legend.append(("Not known", UNKNOWN_COLOUR, unknown))
    fills = {}
    for m in roster:
        value = colour_by.get(m) or ""
        fills[m] = colour.get(value, OTHER_COLOUR if value else UNKNOWN_COLOUR)
    return fills, legend


def network_map_svg(
    members: Sequence[str],
    nominations: Mapping[str, Iterable[str]],
    colour_by: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "Network map",
    *,
    convenors: Sequence[str] = (),
    segment_name: str = "",
    min_group_size: int = 1,
    hidden: Iterable[str] = (),
) -> str:
    """A deterministic SVG map of the network: dots for members, lines for ties.

    Anonymous by default: dots carry no names, only a colour from
    ``colour_by`` (member -> segment answer; a legend explains the colours,
    named after ``segment_name``). Segments hidden in the segment table
    (``hidden``), segments with fewer than ``min_group_size`` members (with
    complementary suppression, see ``_segments``), and any beyond the
    palette's seven colours, are drawn as "Other" so that small groups are
    not singled out. ``labels``
    (member -> text) names only the members it lists: pass names only for
    members who agreed. Convenors get a ring. Connected groups are laid out
    one by one (networkx Kamada-Kawai layout), largest first;
    members with no ties sit in a row at the bottom. Two calls with the same
    input return the same bytes.
    """
    net = _collect(members, nominations, convenors)
    roster = net.roster
    order = {m: i for i, m in enumerate(roster)}
    graph = _undirected(net)
    import networkx as nx

    groups = [sorted(c, key=order.__getitem__) for c in nx.connected_components(graph)]
    alone = sorted((g[0] for g in groups if len(g) == 1), key=order.__getitem__)
    groups = sorted((g for g in groups if len(g) > 1), key=lambda g: (-len(g), order[g[0]]))
    fills, legend = _segments(roster, colour_by, min_group_size, hidden)
    ring = set(convenors)
    names = {m: t for m, t in (labels or {}).items() if m in order and t}

    # Pack the groups into rows ("shelves"), each in a square cell sized to its members.
    cells = [_GAP * (1.0 + math.sqrt(len(g))) for g in groups]
    width = max([_MIN_WIDTH] + [c + 2 * _PAD for c in cells])
    if len(groups) == 1:  # one connected group: give it room, in the middle
        cells[0] = min(width - 2 * _PAD, _GROW * cells[0])
    top = 56.0
    pos: dict[str, tuple[float, float]] = {}
    x = (width - cells[0]) / 2 if len(groups) == 1 else _PAD
    y, row_h = top, 0.0
    for group, cell in zip(groups, cells, strict=True):
        if x + cell > width - _PAD and x > _PAD:
            x, y, row_h = _PAD, y + row_h + _PAD, 0.0
        edges = [(a, b) for a, b in graph.edges(group)]
        half = cell / 2 - _R - 4
        for m, (px, py) in _layout(group, edges).items():
            pos[m] = (x + cell / 2 + px * half, y + cell / 2 - py * half)
        x, row_h = x + cell + _PAD, max(row_h, cell)
    y += row_h + (_PAD if groups else 0)

    caption = ""
    if alone:
        caption = (
            f'<text x="{_num(_PAD)}" y="{_num(y + 12)}" class="note">'
            f"{escape(count_of(len(alone), 'member'))} with no ties</text>"
        )
        y += 28
        step, x = 2 * _R + 16, _PAD + _R
        for m in alone:
            if x > width - _PAD - _R:
                x, y = _PAD + _R, y + step
            pos[m] = (x, y)
            x += step
        y += _R + _PAD

    lines = []
    for a, b in sorted(graph.edges(), key=lambda e: (order[e[0]], order[e[1]])):
        both = (a, b) in net.ties and (b, a) in net.ties
        (x1, y1), (x2, y2) = pos[a], pos[b]
        lines.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}"'
            f' class="{"both" if both else "one"}"/>'
        )
    dots, rings = [], []
    texts = _place_names(roster, names, pos, width)
    for m in roster:
        px, py = pos[m]
        dots.append(f'<circle cx="{_num(px)}" cy="{_num(py)}" r="{_num(_R)}" fill="{fills[m]}"/>')
        if m in ring:
            rings.append(
                f'<circle cx="{_num(px)}" cy="{_num(py)}" r="{_num(_R + 4)}" class="ring"/>'
            )

    # Legend.
    keys: list[str] = []
    lx, ly = _PAD, y + 6
    if legend:
        heading = segment_name or "Colour"
        if not heading.rstrip().endswith(("?", ":", ".")):
            heading += ":"
        keys.append(f'<text x="{_num(lx)}" y="{_num(ly)}" class="note">{escape(heading)}</text>')
        ly += 18
        for label, colour, count in legend:
            keys.append(
                f'<circle cx="{_num(lx + _R)}" cy="{_num(ly - 4)}" r="{_num(_R)}" fill="{colour}"/>'
                f'<text x="{_num(lx + 2 * _R + 6)}" y="{_num(ly)}" class="key">'
                f"{escape(label)} ({count})</text>"
            )
            ly += 18
    keys.append(
        f'<line x1="{_num(lx)}" y1="{_num(ly - 4)}" x2="{_num(lx + 24)}" y2="{_num(ly - 4)}"'
        f' class="both"/><text x="{_num(lx + 32)}" y="{_num(ly)}" class="key">'
        "named each other</text>"
    )
    ly += 18
    keys.append(
        f'<line x1="{_num(lx)}" y1="{_num(ly - 4)}" x2="{_num(lx + 24)}" y2="{_num(ly - 4)}"'
        f' class="one"/><text x="{_num(lx + 32)}" y="{_num(ly)}" class="key">'
        "one named the other</text>"
    )
    ly += 18
    if ring & set(roster):
        keys.append(
            f'<circle cx="{_num(lx + 12)}" cy="{_num(ly - 4)}" r="{_num(_R + 4)}" class="ring"/>'
            f'<text x="{_num(lx + 32)}" y="{_num(ly)}" class="key">convenor</text>'
        )
        ly += 18
    height = ly + _PAD

    mutual = sum(1 for a, b in graph.edges() if (a, b) in net.ties and (b, a) in net.ties)
    desc = _describe(len(roster), len(groups), len(alone), graph.number_of_edges(), mutual)
    if legend:
        parts = ", ".join(f"{label} {count}" for label, _, count in legend)
        desc += f" Colours show {segment_name or 'a segment'}: {parts}."
    if ring & set(roster):
        desc += f" {count_of(len(ring), 'convenor')} ringed."
    if not names:
        desc += " Members are not named."
    # Every rule is scoped to the map: inline in a report, an SVG's <style> applies to the
    # whole page, and an unscoped "text{fill:#222}" would darken the charts' white labels.
    style = (
        ".netmap text{font-family:sans-serif;fill:#222}"
        ".netmap .title{font-size:16px;font-weight:bold}.netmap .note{font-size:12px}"
        ".netmap .key,.netmap .name{font-size:11px}"
        ".netmap .name{paint-order:stroke;stroke:#FFFFFF;stroke-width:3px}"
        ".netmap line{stroke:#555}.netmap line.both{stroke-width:2.2}"
        ".netmap line.one{stroke-width:1;stroke-opacity:.6}"
        ".netmap circle{stroke:#222;stroke-width:.8}"
        ".netmap circle.ring{fill:none;stroke:#000;stroke-width:1.5}"
    )
    w, h = _num(width), _num(height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="netmap" width="{w}" height="{h}"'
        f' viewBox="0 0 {w} {h}" role="img" aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(desc)}</desc>',
        f"<style>{style}</style>",
        f'<rect width="{w}" height="{h}" fill="#FFFFFF"/>',
        f'<text x="{_num(_PAD)}" y="30" class="title">{escape(title)}</text>',
        f'<g class="ties">{"".join(lines)}</g>',
        f'<g class="members">{"".join(dots)}{"".join(rings)}</g>',
    ]
    if caption:
        out.append(caption)
    if texts:
        out.append(f'<g class="names">{"".join(texts)}</g>')
    out.append(f'<g class="legend">{"".join(keys)}</g>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


_CHAR_W = 6.2  # about how wide one character of an 11px name is


def _place_names(
    roster: tuple[str, ...],
    names: Mapping[str, str],
    pos: Mapping[str, tuple[float, float]],
    width: float,
) -> list[str]:
    """Each name beside its dot, on the side (right, left, above, below) where it covers the
    fewest other dots and names and stays inside the map; ties go to the first side."""
    boxes: list[tuple[float, float, float, float]] = []
    texts = []
    for m in roster:
        if m not in names:
            continue
        px, py = pos[m]
        w = _CHAR_W * len(names[m])
        sides = (  # (x, y, text-anchor, box left, box top)
            (px + _R + 3, py + 4, "start", px + _R + 3, py - 7),
            (px - _R - 3, py + 4, "end", px - _R - 3 - w, py - 7),
            (px, py - _R - 5, "middle", px - w / 2, py - _R - 16),
            (px, py + _R + 13, "middle", px - w / 2, py + _R + 2),
        )

        def cost(side: tuple[float, float, str, float, float], who: str = m, w: float = w) -> float:
            _, _, _, left, top = side
            right, bottom = left + w, top + 14
            clash = 0.0
            if left < 2 or right > width - 2:
                clash += 100
            for other, (ox, oy) in pos.items():
                if other != who and left - _R < ox < right + _R and top - _R < oy < bottom + _R:
                    clash += 1
            for bl, bt, br, bb in boxes:
                if left < br and bl < right and top < bb and bt < bottom:
                    clash += 10
            return clash

        best = min(sides, key=cost)
        x, y, anchor, left, top = best
        boxes.append((left, top, left + w, top + 14))
        texts.append(
            f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" class="name">'
            f"{escape(names[m])}</text>"
        )
    return texts


def _describe(members: int, groups: int, alone: int, links: int, mutual: int) -> str:
    parts = [count_of(groups, "connected group")]
    if alone:
        parts.append(f"{count_of(alone, 'member')} with no ties")
    text = f"Network map of {count_of(members, 'member')}: {' and '.join(parts)}"
    text += f"; {count_of(links, 'link')} between members"
    if links:
        text += f", {mutual} of them both ways"
    return text + "."


__all__ = [
    "NetworkStats",
    "WithoutConvenors",
    "coverage_words",
    "exit_check_words",
    "network_change",
    "network_change_words",
    "network_map_svg",
    "network_stats",
]


def nominations_from(
    member: Sequence[str], connections: Sequence[Sequence[str]]
) -> dict[str, list[str]]:
    """Who named whom, from the answers to the ``member`` and ``connections`` questions.

    ``member[i]`` is the roster name respondent ``i`` gave for themselves ("" when
    blank) and ``connections[i]`` the names they chose. A member who answered more
    than once (kept rows only) has their nominations merged; a respondent who did not
    say who they are cannot be placed on the map and is skipped.
    """
    out: dict[str, list[str]] = {}
    for who, named in zip(member, connections, strict=True):
        if not who:
            continue
        out.setdefault(who, []).extend(named)
    return out
