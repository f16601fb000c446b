"""Network weaving: introductions the convenor could make.

A suggestion is a pair of members who are not tied (neither named the other, at any
level) but share at least one connection (a member tied to both, in the undirected
graph of ``relimpact.net.network``): an introduction would close a triangle. Only
members who said yes to being named (the ``consent: name`` question) are ever
suggested or named; convenors are the ones who make the introductions and are not
suggested, though they count as a shared connection. Both members of a pair answered
the survey (consent is one of its questions), so "not tied" is known, not a gap in the
data.

Order, most useful first:

1. pairs across groups: the number of segment questions on which the two members'
   groups (pooled as in ``relimpact.net.mixing``: a small group is never named) differ;
2. pairs with a member on the edge: the lower of the two members' number of ties;
3. more shared connections;
4. roster order.

Each member appears in at most ``per_member`` suggestions (3), so that the list is not
one member's; at most ``limit`` (20) are kept. Each has its reason in one line, which
names shared connections only when they agreed to be named ("2 other members"
otherwise).

The list is for the convenor only: it names members. Nothing here reads files, prints
or exits; ``to_csv``, ``to_markdown`` and ``to_json`` render it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relimpact.common.text import count_of

if TYPE_CHECKING:
    from relimpact.read.responses import ResponseSet

LIMIT = 20
PER_MEMBER = 3
FORMATS = ("csv", "md", "json")


@dataclass(frozen=True)
class Introduction:
    first: str
    second: str
    shared: int  # connections the two share
    shared_named: tuple[str, ...]  # those of them who agreed to be named
    across: tuple[tuple[str, str, str], ...]  # (question text, first's group, second's)
    ties: tuple[int, int]  # each member's number of ties
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "member_1": self.first,
            "member_2": self.second,
            "shared_connections": self.shared,
            "across_groups": len(self.across) > 0,
            "ties": list(self.ties),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Weave:
    introductions: tuple[Introduction, ...]
    message: str  # why the list is short or empty; "" when there is nothing to say
    consented: int  # members who agreed to be named (convenors left out)
    candidates: int  # pairs that qualified, before the limits

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "relimpact.weave/1",
            "consented": self.consented,
            "candidates": self.candidates,
            "message": self.message,
            "introductions": [i.to_dict() for i in self.introductions],
        }


def _reason(
    first: str,
    second: str,
    shared: int,
    named: Sequence[str],
    across: Sequence[tuple[str, str, str]],
    ties: tuple[int, int],
) -> str:
    if named:
        others = shared - len(named)
        who = " and ".join(named) if len(named) <= 2 and not others else ", ".join(named)
        if others:
            who += f" and {count_of(others, 'other member')}"
        text = f"Both work with {who}, but not with each other"
    else:
        text = f"They share {count_of(shared, 'connection')}, but are not linked to each other"
    if across:
        q, a, b = across[0]
        text += f"; different groups by \u201c{q}\u201d ({a}; {b})"
        if len(across) > 1:
            text += f" and {len(across) - 1} more question{'s' if len(across) > 2 else ''}"
    edge = [(m, t) for m, t in ((first, ties[0]), (second, ties[1])) if t <= 2]
    if edge:
        m, t = min(edge, key=lambda x: x[1])
        text += f"; {m} has only {count_of(t, 'link')}"
    return text + "."


def weave(
    members: Sequence[str],
    ties: Iterable[tuple[str, str]],
    consented: Iterable[str],
    *,
    convenors: Sequence[str] = (),
    groups: Sequence[tuple[str, Mapping[str, str]]] = (),
    limit: int = LIMIT,
    per_member: int = PER_MEMBER,
) -> Weave:
    """Suggested introductions (see the module).

    ``ties`` are undirected (either order) between roster members; ``consented`` the
    members who agreed to be named; ``groups`` one (question text, member -> group) per
    segment question, its groups already pooled (``mixing.pooled_groups``).
    """
    roster = list(members)
    order = {m: i for i, m in enumerate(roster)}
    adj: dict[str, set[str]] = {m: set() for m in roster}
    for a, b in ties:
        if a in adj and b in adj and a != b:
            adj[a].add(b)
            adj[b].add(a)
    ok = set(consented) & set(roster)
    chair = set(convenors)
    named_ok = sorted(ok - chair, key=order.__getitem__)
    if len(named_ok) < 2:
        said = "no member" if not named_ok else "only one member"
        return Weave(
            (),
            f"No introductions can be suggested: {said} (not counting convenors) said yes to "
            "being named, and each suggestion names two members who agreed.",
            len(named_ok),
            0,
        )
    from relimpact.net.mixing import POOLED

    found = []
    for i, a in enumerate(named_ok):
        for b in named_ok[i + 1 :]:
            if b in adj[a]:
                continue
            shared = adj[a] & adj[b]
            if not shared:
                continue
            across = []
            for text, of in groups:
                ga, gb = of.get(a), of.get(b)
                if ga and gb and ga != gb:
                    show = [g if g != POOLED else "a smaller group" for g in (ga, gb)]
                    across.append((text.rstrip("?:. "), show[0], show[1]))
            ties_ab = (len(adj[a]), len(adj[b]))
            key = (-len(across), min(ties_ab), -len(shared), order[a], order[b])
            found.append((key, a, b, shared, tuple(across), ties_ab))
    found.sort(key=lambda x: x[0])
    used: dict[str, int] = {}
    out: list[Introduction] = []
    for _, a, b, shared, across, ties_ab in found:
        if len(out) >= limit:
            break
        if used.get(a, 0) >= per_member or used.get(b, 0) >= per_member:
            continue
        used[a] = used.get(a, 0) + 1
        used[b] = used.get(b, 0) + 1
        named = tuple(sorted((m for m in shared if m in ok), key=order.__getitem__))
        out.append(
            Introduction(
                a,
                b,
                len(shared),
                named,
                across,
                ties_ab,
                _reason(a, b, len(shared), named, across, ties_ab),
            )
        )
    message = ""
    if not found:
        message = (
            f"No introductions to suggest: among the {len(named_ok)} members who said yes to "
            "being named, every two who share a connection are already linked."
        )
    elif len(out) < len(found):
        listed = "the most useful is" if len(out) == 1 else f"the {len(out)} most useful are"
        message = (
            f"{count_of(len(found), 'pair')} could be introduced; {listed} listed "
            f"(at most {per_member} for each member)."
        )
    return Weave(tuple(out), message, len(named_ok), len(found))


def weave_responses(responses: ResponseSet, **options: Any) -> Weave:
    """``weave`` on a survey's answers: its roster, its ties, its consent to be named and
    its segment questions (groups pooled as the segment table and the map pool them)."""
    from relimpact.common.errors import SurveyError
    from relimpact.net.mixing import pooled_groups
    from relimpact.net.network import _collect, nominations_from
    from relimpact.read.groups import NO_ANSWER, group_decision

    survey = responses.survey
    nm = survey.network_map
    member_q = next((q for q in survey.questions if q.type == "member"), None)
    links_q = next((q for q in survey.questions if q.type == "connections"), None)
    consent_q = survey.name_consent_question
    if nm is None or member_q is None or links_q is None:
        raise SurveyError(
            "this survey has no network map (a network_map section, a 'member' question "
            "and a 'connections' question), so there are no ties to weave.",
            hint="Use a template with a network map, such as the bundled network-map.",
        )
    if consent_q is None:
        raise SurveyError(
            "this survey does not ask members whether they may be named ('consent: name'), "
            "so no member can be suggested by name.",
            hint="Add a consent question with 'consent: name' (see the network-map template).",
        )
    who = responses.member.get(member_q.id, ())
    links = responses.connections.get(links_q.id, ())
    net = _collect(nm.members, nominations_from(who, links) if who else {}, nm.convenors)
    agreed = responses.consent.get(consent_q.id)
    consented = (
        [m for m, yes in zip(who, agreed.tolist(), strict=True) if m and yes]
        if agreed is not None
        else []
    )
    groups = []
    for q in survey.segment_questions:
        if q.id not in responses.choice:
            continue
        names, codes, _, hidden = group_decision(responses, q.id)
        answer = {
            m: names[c]
            for m, c in zip(who, codes.tolist(), strict=True)
            if m and names[c] != NO_ANSWER
        }
        pooled = pooled_groups(
            answer, nm.members, survey.min_group_size, hidden={names[i] for i in hidden}
        )
        groups.append((q.text, pooled))
    return weave(nm.members, net.ties, consented, convenors=nm.convenors, groups=groups, **options)


# --- renderers ---------------------------------------------------------------------------------

_HEADER = ("member_1", "member_2", "shared_connections", "across_groups", "reason")


def to_csv(w: Weave) -> str:
    """One row per suggestion; every cell neutralised against spreadsheet formulas. With
    no suggestion, the message is the one row under the header."""
    from relimpact.common.output import csv_safe

    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(_HEADER)
    for i in w.introductions:
        out.writerow(
            csv_safe(x)
            for x in (i.first, i.second, i.shared, "yes" if i.across else "no", i.reason)
        )
    if not w.introductions:
        out.writerow(("", "", "", "", csv_safe(w.message)))
    return buf.getvalue()


def to_markdown(w: Weave, title: str = "") -> str:
    from relimpact.common.text import md_literal

    lines = [f"# Introductions to make{': ' + md_literal(title) if title else ''}", ""]
    lines.append(
        "For the convenor only: this list names members (only those who said yes to being "
        "named). Each pair shares a connection but is not linked."
    )
    lines.append("")
    if w.introductions:
        for k, i in enumerate(w.introductions, start=1):
            lines.append(
                f"{k}. **{md_literal(i.first)}** and **{md_literal(i.second)}**: "
                f"{md_literal(i.reason)}"
            )
        lines.append("")
    if w.message:
        lines.append(md_literal(w.message))
        lines.append("")
    return "\n".join(lines)


def to_json(w: Weave) -> str:
    return json.dumps(w.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render(w: Weave, fmt: str, title: str = "") -> str:
    if fmt == "csv":
        return to_csv(w)
    if fmt == "md":
        return to_markdown(w, title)
    return to_json(w)


__all__ = [
    "FORMATS",
    "Introduction",
    "Weave",
    "render",
    "to_csv",
    "to_json",
    "to_markdown",
    "weave",
    "weave_responses",
]
