"""Mixing across difference: do members connect across the network's groups?

The self-perpetuating bias check. For a segment question (``segment: true``), each
member's group is their own answer to it; members who did not answer it (or did not
answer at all) have no known group and are left out of every figure here, with their
ties. Ties are the *undirected* tie graph of ``relimpact.net.network``: two members are
tied when either named the other, counted once.

The per-group figures are shown only for groups of at least ``min_group_size`` members
(counted over the roster members with a known group); the others are pooled into one
group, ``POOLED``, with the same complementary rule as the segment table and the map
(``suppress``): a pooled group is never a single small group, so no small group is ever
shown alone. A group hidden in the segment table (``hidden``) is pooled too.

With groups pooled, the network-wide figures (E-I index, chance interval, ``p``) leave out
the links between two members of the pooled groups: whether such a link is within a group
or across two small ones is what pooling hides (counted as within, it could make the index
say the opposite of the truth; judged on the true groups, the figures would tell how
linked a small group is inside). Every other link is judged on the shown groups, which is
the truth for it: a link from a shown group to a pooled member, or between two shown
groups, is across; within one shown group, within. ``left_out`` counts the links left
out; ``expected`` (a closed form for unpooled groups) and the assortativity are then not
given. Without pooling nothing is left out.

Figures:

- **E-I index** (Krackhardt and Stern 1988): ``(E - I) / (E + I)`` where ``E`` counts
  the ties between members of different groups and ``I`` the ties within a group,
  over the ties whose two members both have a known group. It runs from -1 (every
  tie within a group) to +1 (every tie across groups). R: ``(E - I) / (E + I)`` with
  ``E <- sum(types[ends[, 1]] != types[ends[, 2]])`` over ``ends(g, E(g))`` of the
  undirected graph (``tests/r/reference_network2.R``). A group's own index uses the
  ties with at least one member in it: ``E_g`` those leaving it, ``I_g`` those within.
  The pooled group's own index treats it as one group (its links among themselves are
  ``I_g``): it is the figure of the smaller groups together.
- **Chance interval**: the group labels are shuffled among the members with a known
  group (``permutations`` times, ``numpy.random.default_rng(seed)``), keeping the
  ties and the group sizes, and the index recomputed each time; the interval is the
  2.5th and 97.5th percentiles (``numpy.percentile``, linear) of the shuffled indexes.
  Its expected value has a closed form, ``1 - 2 * sum(n_g (n_g - 1)) / (m (m - 1))``
  for ``m`` members in groups of ``n_g`` (each tie is within a group with that
  probability), which the tests check the shuffles against. ``p`` is two-sided:
  ``(1 + #{|EI* - mean| >= |EI - mean|}) / (1 + permutations)``.
- **Nominal assortativity** (Newman 2003), as R igraph's
  ``assortativity_nominal(g, types, directed = FALSE)`` on the subgraph of members
  with a known group: ``r = (sum_i e_ii - sum_i a_i^2) / (1 - sum_i a_i^2)`` where
  ``e_ij`` is the share of tie ends joining group i to group j (each tie counted both
  ways) and ``a_i = sum_j e_ij``. ``None`` when it is undefined (one group only, or
  no ties).

Pure functions over roster names; nothing here reads files, prints or exits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PERMUTATIONS = 2000
POOLED = "Smaller groups, pooled"
_CHUNK = 250


@dataclass(frozen=True)
class GroupMixing:
    """One shown group's ties: within it, and out of it to other known groups."""

    group: str
    members: int
    internal: int
    external: int
    ei: float | None
    chance: tuple[float, float] | None

    @property
    def verdict(self) -> str:
        """ "fewer", "more" or "chance": ties out of the group against chance."""
        return _verdict(self.ei, self.chance)

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "members": self.members,
            "internal": self.internal,
            "external": self.external,
            "ei_index": self.ei,
            "chance95": None if self.chance is None else list(self.chance),
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class Mixing:
    """Mixing across one segment question's groups; ``to_dict()`` is its JSON."""

    question: str  # the segment question's id
    text: str  # its text, for reports
    members: int  # roster members with a known group
    groups: tuple[GroupMixing, ...]  # every group, the pooled one (if any) last
    ties: int  # ties between two members with a known group
    internal: int
    external: int
    ei: float | None
    chance: tuple[float, float] | None
    expected: float | None  # the closed-form expected E-I under shuffled labels
    shuffled_mean: float | None  # the mean E-I of the shuffles (close to ``expected``)
    p: float | None
    assortativity: float | None
    pooled: int  # groups pooled into POOLED
    permutations: int
    seed: int
    known_groups: int = 0  # distinct true groups (not in the JSON: it could tell a small one)
    left_out: int = 0  # links between two pooled members, left out of the network-wide figures

    @property
    def verdict(self) -> str:
        return _verdict(self.ei, self.chance)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "members": self.members,
            "ties": self.ties,
            "internal": self.internal,
            "external": self.external,
            "ei_index": self.ei,
            "chance95": None if self.chance is None else list(self.chance),
            "expected": self.expected,
            "shuffled_mean": self.shuffled_mean,
            "p": self.p,
            "verdict": self.verdict,
            "assortativity": self.assortativity,
            "groups_pooled": self.pooled,
            **({"ties_left_out": self.left_out} if self.pooled else {}),
            "permutations": self.permutations,
            "seed": self.seed,
            "groups": [g.to_dict() for g in self.groups],
        }


def _verdict(ei: float | None, chance: tuple[float, float] | None) -> str:
    if ei is None or chance is None:
        return "unknown"
    if ei < chance[0]:
        return "fewer"
    if ei > chance[1]:
        return "more"
    return "chance"


def ei_index(external: int, internal: int) -> float | None:
    """Krackhardt and Stern's E-I index, ``(E - I) / (E + I)``; None without ties."""
    total = external + internal
    return (external - internal) / total if total else None


def assortativity_nominal(
    ends: Sequence[tuple[int, int]], types: Sequence[int], k: int
) -> float | None:
    """Newman's nominal assortativity of an undirected graph, as R igraph's
    ``assortativity_nominal(g, types, directed = FALSE)``.

    ``ends`` are the ties as pairs of member indexes, ``types[i]`` member i's group
    (0 to ``k - 1``). ``r = (sum_i e_ii - sum_i a_i^2) / (1 - sum_i a_i^2)``, with
    ``e`` the k x k shares of tie ends (each tie counted both ways) and ``a`` its row
    sums. None when undefined (no ties, or every tie end in one group).
    """
    if not ends:
        return None
    e = [[0.0] * k for _ in range(k)]
    for u, v in ends:
        e[types[u]][types[v]] += 1
        e[types[v]][types[u]] += 1
    total = 2 * len(ends)
    trace = sum(e[i][i] for i in range(k)) / total
    sq = sum((sum(row) / total) ** 2 for row in e)
    if math.isclose(sq, 1.0):
        return None
    return (trace - sq) / (1 - sq)


def pooled_groups(
    groups: Mapping[str, str],
    members: Sequence[str],
    min_group_size: int,
    hidden: Iterable[str] = (),
) -> dict[str, str]:
    """Each roster member's group, with small groups pooled into ``POOLED``.

    ``groups`` maps a member to their answer; members without one are left out. A
    group of fewer than ``min_group_size`` members, or one in ``hidden``, is pooled,
    with complementary suppression (``suppress``): the pooled group never holds a
    single small group alone.
    """
    from relimpact.common.privacy import suppress

    known = [m for m in members if groups.get(m)]
    counts: dict[str, int] = {}
    for m in known:
        counts[groups[m]] = counts.get(groups[m], 0) + 1
    names = sorted(counts, key=lambda g: (-counts[g], g))
    forced = set(hidden)
    hide = suppress(
        [counts[g] for g in names],
        min_group_size,
        forced=[i for i, g in enumerate(names) if g in forced],
    )
    pooled = {names[i] for i in hide}
    return {m: (POOLED if groups[m] in pooled else groups[m]) for m in known}


def mixing(
    question: str,
    text: str,
    members: Sequence[str],
    ties: Iterable[tuple[str, str]],
    groups: Mapping[str, str],
    *,
    min_group_size: int,
    hidden: Iterable[str] = (),
    seed: int = 20260,
    permutations: int = PERMUTATIONS,
) -> Mixing:
    """Mixing across the groups of one segment question.

    ``members`` is the roster, ``ties`` the undirected ties (each pair once, either
    order), ``groups`` each member's answer to the question (no entry: not known).
    """
    import numpy as np

    pooled_of = pooled_groups(groups, members, min_group_size, hidden)
    known = [m for m in members if m in pooled_of]
    index = {m: i for i, m in enumerate(known)}
    labels, k = _codes([groups[m] for m in known])
    shown, k_shown = _codes([pooled_of[m] for m in known])
    # The pooled code of each true code: a shuffle of the true labels, read through this,
    # is a shuffle of the pooled labels, so one set of shuffles serves both.
    to_shown = np.zeros(k, dtype=np.int64)
    to_shown[labels] = shown
    seen: set[tuple[int, int]] = set()
    for a, b in ties:
        if a in index and b in index and a != b:
            x, y = index[a], index[b]
            seen.add((min(x, y), max(x, y)))
    ends = sorted(seen)
    m = len(known)
    u = np.array([e[0] for e in ends], dtype=np.int64)
    v = np.array([e[1] for e in ends], dtype=np.int64)
    names = _names([pooled_of[x] for x in known])
    pooled_count = k - len([g for g in names if g != POOLED])
    pooled_code = names.index(POOLED) if POOLED in names else -1
    # links between two pooled members are left out of the network-wide figures
    counted = ~((shown[u] == pooled_code) & (shown[v] == pooled_code))
    same = (shown[u] == shown[v]) & counted if ends else np.zeros(0, bool)
    internal = int(same.sum())
    external = int(counted.sum()) - internal
    ei = ei_index(external, internal) if k >= 2 else None

    chance = expected = p = centre = None
    group_chance: list[tuple[float, float] | None] = [None] * k_shown
    if ei is not None and permutations > 0:
        rng = np.random.default_rng(seed)
        overall = np.empty(permutations)
        per_group = np.full((permutations, k_shown), np.nan)
        done = 0
        while done < permutations:
            step = min(_CHUNK, permutations - done)
            perm = np.array([rng.permutation(labels) for _ in range(step)])
            if pooled_code < 0:
                n_all = np.full(step, len(ends))
                n_in = (perm[:, u] == perm[:, v]).sum(axis=1)
            else:
                sp = to_shown[perm]
                kept = ~((sp[:, u] == pooled_code) & (sp[:, v] == pooled_code))
                n_all = kept.sum(axis=1)
                n_in = ((sp[:, u] == sp[:, v]) & kept).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                overall[done : done + step] = (n_all - 2 * n_in) / n_all
            if k_shown >= 2:
                _group_shuffles(perm, to_shown, u, v, per_group[done : done + step])
            done += step
        overall = overall[~np.isnan(overall)]  # a shuffle with every link left out
        lo, hi = np.percentile(overall, [2.5, 97.5])
        chance = (float(lo), float(hi))
        if pooled_code < 0:
            counts = np.bincount(labels, minlength=k)
            expected = 1 - 2 * float((counts * (counts - 1)).sum()) / (m * (m - 1))
        centre = float(overall.mean())
        extreme = np.abs(overall - centre) >= abs(ei - centre) - 1e-12
        p = (1 + int(extreme.sum())) / (1 + overall.size)
        for g in range(k_shown):
            col = per_group[:, g]
            col = col[~np.isnan(col)]
            if col.size:
                glo, ghi = np.percentile(col, [2.5, 97.5])
                group_chance[g] = (float(glo), float(ghi))

    out_groups = []
    for g, name in enumerate(names):
        i_g, e_g = _group_counts(shown, u, v, g)
        out_groups.append(
            GroupMixing(
                group=name,
                members=int((shown == g).sum()),
                internal=int(i_g),
                external=int(e_g),
                ei=ei_index(e_g, i_g) if k_shown >= 2 else None,
                chance=group_chance[g],
            )
        )
    return Mixing(
        question=question,
        text=text,
        members=m,
        groups=tuple(out_groups),
        ties=len(ends),
        internal=internal,
        external=external,
        ei=ei,
        chance=chance,
        expected=expected,
        shuffled_mean=centre,
        p=p,
        assortativity=(
            assortativity_nominal(ends, labels.tolist(), k) if k >= 2 and pooled_code < 0 else None
        ),
        pooled=pooled_count,
        permutations=permutations if chance is not None else 0,
        seed=seed,
        known_groups=k,
        left_out=len(ends) - int(counted.sum()),
    )


def _names(values: Sequence[str]) -> list[str]:
    """The distinct groups in the segment table's order: largest first, ties by name, the
    pooled group last."""
    sizes: dict[str, int] = {}
    for g in values:
        sizes[g] = sizes.get(g, 0) + 1
    return sorted(sizes, key=lambda g: (g == POOLED, -sizes[g], g))


def _codes(values: Sequence[str]) -> tuple[Any, int]:
    """Each value's index in ``_names(values)`` (a numpy array) and how many there are."""
    import numpy as np

    names = _names(values)
    code = {g: i for i, g in enumerate(names)}
    return np.array([code[g] for g in values], dtype=np.int64), len(names)


def _group_counts(shown: Any, u: Any, v: Any, g: int) -> tuple[Any, Any]:
    """Ties within their members' own group and ties across groups, over the ties with a
    member in shown group ``g``: ``I_g`` and ``E_g``. ``shown`` are the shown (pooled)
    group codes, of one labelling (1-d) or of many (2-d, one row each): the pooled group's
    figure is the smaller groups' as one (a link among them is within it)."""
    touch = (shown[..., u] == g) | (shown[..., v] == g)
    same = shown[..., u] == shown[..., v]
    return (touch & same).sum(axis=-1), (touch & ~same).sum(axis=-1)


def _group_shuffles(perm: Any, to_shown: Any, u: Any, v: Any, out: Any) -> None:
    """Each shown group's E-I index under each row of shuffled true labels ``perm``
    (shuffles x members), written into ``out`` (shuffles x groups); NaN for a group with
    no tie."""
    import numpy as np

    shown = to_shown[perm]
    for g in range(out.shape[1]):
        i_g, e_g = _group_counts(shown, u, v, g)
        tot = i_g + e_g
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, g] = np.where(tot > 0, (e_g - i_g) / tot, np.nan)


def _f(x: float) -> str:
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def mixing_words(mx: Mixing, audience: str = "funder") -> tuple[str, ...]:
    """The mixing figures in plain words: one line for the question, one per group whose
    ties leave it fewer or more often than chance would give. ``audience`` "members"
    leaves out the indexes and intervals."""
    about = f'By "{mx.text.rstrip("?:. ")}"'
    if mx.ei is None:
        if mx.known_groups < 2:
            # When the one group is small or hidden, saying that everyone who answered is
            # in it would tell what the segment table hides.
            why = (
                "too few members answered it to compare groups"
                if mx.pooled
                else "all the members who answered are in one group"
            )
            return (f"{about}: mixing across groups cannot be measured, because {why}.",)
        if mx.left_out:
            return (
                f"{about}: mixing across groups cannot be measured, because every link is "
                "between members of the smaller groups, which are pooled.",
            )
        return (f"{about}: there are no links between members whose group is known.",)
    funder = audience == "funder"
    detail = ""
    if funder and mx.chance is not None:
        detail = (
            f" (E-I index {_f(mx.ei)}; by chance between {_f(mx.chance[0])} and "
            f"{_f(mx.chance[1])}; assortativity "
            f"{'not defined' if mx.assortativity is None else _f(mx.assortativity)})"
        )
    overall = {
        "fewer": "links across groups are fewer than chance would give",
        "more": "links across groups are more than chance would give",
        "chance": "links across groups are about as many as chance would give",
        "unknown": "links across groups could not be compared with chance",
    }[mx.verdict]
    judged = mx.internal + mx.external
    share = _pct(mx.external / judged) if judged else "0%"
    links = "links"
    if mx.left_out:
        links = (
            f"links (leaving out the {mx.left_out} between members of the smaller groups, "
            "which are pooled)"
        )
    lines = [
        f"{about}: {share} of {links} join members of different groups, and {overall}{detail}."
    ]
    for g in mx.groups:
        if g.verdict not in ("fewer", "more") or g.ei is None:
            continue
        who = "the smaller groups (pooled)" if g.group == POOLED else f'"{g.group}"'
        extra = ""
        if funder and g.chance is not None:
            extra = f" (E-I {_f(g.ei)}; by chance between {_f(g.chance[0])} and {_f(g.chance[1])})"
        lines.append(
            f"Links between members in {who} and others are {g.verdict} than chance would "
            f"give{extra}."
        )
    return tuple(lines)


def _pct(share: float) -> str:
    return f"{math.floor(share * 100 + 0.5)}%"


__all__ = [
    "POOLED",
    "GroupMixing",
    "Mixing",
    "assortativity_nominal",
    "ei_index",
    "mixing",
    "mixing_words",
    "pooled_groups",
]
