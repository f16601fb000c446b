"""The network's further figures from a survey's answers: tie strength (a ``connections``
question with ``levels``), mixing across each segment question's groups, and brokers.

``network_figures`` adds them to the ``NetworkStats`` that ``network_stats`` gives, so that
one object carries every figure of the net to the JSON, the terminal and both reports.
Groups are each member's own answer to the segment question, pooled by the segment
table's decision (``read.groups.group_decision``) and ``mixing.pooled_groups``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relimpact.net.network import NetworkStats
    from relimpact.read.responses import ResponseSet


def levelled_nominations(
    member: Sequence[str], names: Sequence[Sequence[str]], ranks: Sequence[Sequence[int]]
) -> dict[str, dict[str, int]]:
    """Who named whom at which level (rank 1 = lowest), per respondent who said who they
    are; a member who answered twice (kept rows only) keeps the higher level of each tie."""
    out: dict[str, dict[str, int]] = {}
    for who, named, levels in zip(member, names, ranks, strict=True):
        if not who:
            continue
        mine = out.setdefault(who, {})
        for other, rank in zip(named, levels, strict=True):
            mine[other] = max(rank, mine.get(other, 0))
    return out


def member_groups(responses: ResponseSet, qid: str, member: Sequence[str]) -> tuple[dict, set]:
    """Each answering member's group on choice question ``qid`` (blank answers left out),
    and the groups the segment table hides."""
    from relimpact.read.groups import NO_ANSWER, group_decision

    names, codes, _, hidden = group_decision(responses, qid)
    groups = {
        m: names[c]
        for m, c in zip(member, codes.tolist(), strict=True)
        if m and names[c] != NO_ANSWER
    }
    return groups, {names[i] for i in hidden}


def network_figures(stats: NetworkStats, responses: ResponseSet, seed: int) -> NetworkStats:
    """``stats`` with its tie strength, mixing and brokers (see the module)."""
    from relimpact.net.brokers import brokers
    from relimpact.net.mixing import mixing
    from relimpact.net.network import _collect, network_stats, nominations_from
    from relimpact.net.strength import tie_strength

    survey = responses.survey
    nm = survey.network_map
    member_q = next((q for q in survey.questions if q.type == "member"), None)
    links_q = next((q for q in survey.questions if q.type == "connections"), None)
    if nm is None or member_q is None or links_q is None:
        return stats
    who = responses.member.get(member_q.id, ())
    links = responses.connections.get(links_q.id, ())
    net = _collect(nm.members, nominations_from(who, links) if who else {}, nm.convenors)
    undirected = sorted({tuple(sorted(t)) for t in net.ties})
    strength = None
    scale = survey.levels_of(links_q)
    if scale is not None and links_q.id in responses.connection_levels:
        ranks = responses.connection_levels[links_q.id]
        strength = tie_strength(
            nm.members,
            [scale.label(v) for v in scale.values],
            levelled_nominations(who, links, ranks),
            lambda plain: network_stats(nm.members, plain, nm.convenors),
        )
    mixes = []
    for q in survey.segment_questions:
        if q.id not in responses.choice:
            continue
        groups, hidden = member_groups(responses, q.id, who)
        mixes.append(
            mixing(
                q.id,
                q.text,
                nm.members,
                undirected,
                groups,
                min_group_size=survey.min_group_size,
                hidden=hidden,
                seed=seed,
            )
        )
    return replace(
        stats, strength=strength, mixing=tuple(mixes), brokers=brokers(nm.members, undirected)
    )


__all__ = ["levelled_nominations", "member_groups", "network_figures"]
