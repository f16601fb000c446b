"""The network map as a file to explore further: Gephi's GEXF, GraphML, or Kumu's JSON.

``build_export`` turns the roster and each wave's who-named-whom answers into one
``MapExport`` (nodes, ties, attributes); ``to_gexf``, ``to_graphml`` and ``to_kumu``
write it. Compute once, write many: the three files hold the same members, ties and
values. ``export_from_responses`` is the glue from read responses.

Privacy, by default:

- Members are pseudonymised: ``Member 1`` to ``Member n`` (ids ``m1`` to ``mn``). The
  numbers are not the roster's order (the roster is in survey.yaml, which others may
  hold): they follow a keyed shuffle, the members sorted by HMAC-SHA256 of their name
  under a key made from the responses themselves (``pseudonym_key``: member codes,
  answers, written text, which no export carries). The same files give the same numbers
  (the output is byte-identical on a rerun); the numbers cannot be worked out from the
  roster and the exported file. Across waves a member keeps one number (stable within a
  run), so their ties can be followed over time.
- A name appears only for a member listed in ``names`` (the CLI's ``--show-names``: the
  members who said yes to being named, in the latest wave); the ids stay pseudonyms.
- Segment attributes (a member's answer to a ``segment: true`` or ``--by`` question, in
  the latest wave) are suppressed where small: a group with fewer than
  ``min_group_size`` members on the roster is written "Other", with complementary
  suppression (``suppress``), so that "Other" never holds one small group whose size
  could be counted off; groups hidden in the segment table (``hidden``) are "Other"
  too. A member who did not answer is "Not known". Every value written therefore names a
  group of at least ``min_group_size`` members.

The ties are the map's (see ``network.py``): a distinct directed nomination between two
roster members; in GEXF and GraphML one directed edge per nomination, with ``mutual``
when it was named back; in Kumu one connection per pair, ``"direction": "mutual"`` when
both named the other, else ``"directed"`` from the member who named.

Waves (oldest first; the last is the current one): the GEXF file is dynamic, each wave a
point of integer time (the labels when every label is a whole number in increasing
order, such as years; otherwise the waves' numbers 1, 2, 3) and each tie has ``spells``,
one closed span ``[start, end]`` per run of consecutive waves in which it was named;
``answered`` and ``mutual`` are dynamic attribute values per wave. GraphML and Kumu have
no time: an edge carries one boolean per wave (GraphML keys ``wave_1``...; Kumu
``"tags"``: the labels of the waves it was named in, which Kumu's tagged timeline reads),
and a member ``answered`` per wave likewise.

Formats: GEXF 1.3 (https://gexf.net/1.3, read by Gephi 0.9 and later, and by networkx's
``read_gexf``); GraphML 1.0 (http://graphml.graphdrawing.org/xmlns, read by yEd,
Cytoscape, Gephi, networkx's ``read_graphml``, igraph's ``read_graph(format =
"graphml")``); Kumu's JSON import ("blueprint", https://docs.kumu.io/guides/import/
blueprints): ``{"elements": [{"id", "label", "type", ...}], "connections": [{"id", "from",
"to", "direction", ...}]}``, ids unique across elements and connections, custom fields as
extra keys.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from relimpact.common.errors import UsageError

if TYPE_CHECKING:
    from relimpact.read.responses import ResponseSet
    from relimpact.survey.model import Survey

FORMATS = ("gexf", "graphml", "kumu")
SUFFIXES = {"gexf": ".gexf", "graphml": ".graphml", "kumu": ".json"}
OTHER = "Other"
NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class Segment:
    """A member attribute to export: a choice question's answers, by roster member."""

    id: str  # the question id
    title: str  # the question text
    answers: Mapping[str, str]  # roster member -> their answer ("" or missing: not known)
    hidden: frozenset[str] = frozenset()  # groups hidden in the segment table


@dataclass(frozen=True)
class Node:
    id: str  # "m1"
    label: str  # "Member 1", or a name the member agreed to show
    convenor: bool
    answered: tuple[bool, ...]  # per wave
    attributes: tuple[str, ...]  # per segment: the value written


@dataclass(frozen=True)
class Edge:
    id: str  # "e1"
    source: str  # node id of the member who named
    target: str  # node id of the member named
    waves: tuple[bool, ...]  # named in each wave
    mutual: tuple[bool, ...]  # named back in each wave


@dataclass(frozen=True)
class MapExport:
    """Everything an exported map holds, already pseudonymised and suppressed."""

    title: str
    waves: tuple[str, ...]  # labels, oldest first
    times: tuple[int, ...]  # each wave's point in GEXF time
    segments: tuple[tuple[str, str], ...]  # (id, title)
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    named: int  # members shown by name

    @property
    def dynamic(self) -> bool:
        return len(self.waves) > 1


# --------------------------------------------------------------------------- building


def pseudonym_key(parts: Iterable[str]) -> bytes:
    """A key for the pseudonyms' shuffle, from text only the responses hold (SHA-256)."""
    digest = hashlib.sha256(b"relimpact map export\0")
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.digest()


def pseudonym_order(members: Sequence[str], key: bytes) -> list[str]:
    """The roster in the order of its pseudonyms: by HMAC-SHA256 of each name under ``key``."""
    return sorted(
        members,
        key=lambda m: (hmac.new(key, m.encode("utf-8", "surrogatepass"), "sha256").digest(), m),
    )


def _suppress(sizes: Sequence[int], threshold: int, forced: Iterable[int]) -> set[int]:
    from relimpact.common.privacy import suppress

    return suppress(sizes, threshold, forced)


def shown_values(members: Sequence[str], segment: Segment, min_group_size: int) -> dict[str, str]:
    """Each roster member's value for ``segment`` as written: their group, ``Other`` for a
    group too small to show (complementary suppression), ``Not known`` when unanswered."""
    counts: dict[str, int] = {}
    for m in members:
        value = segment.answers.get(m) or ""
        if value:
            counts[value] = counts.get(value, 0) + 1
    groups = sorted(counts, key=lambda v: (-counts[v], v))
    hide = _suppress(
        [counts[v] for v in groups],
        min_group_size,
        [i for i, v in enumerate(groups) if v in segment.hidden],
    )
    shown = {v for i, v in enumerate(groups) if i not in hide}
    out = {}
    for m in members:
        value = segment.answers.get(m) or ""
        out[m] = value if value in shown else (OTHER if value else NOT_KNOWN)
    return out


def _times(labels: Sequence[str]) -> tuple[int, ...]:
    """Whole-number labels in increasing order are their own times (years); else 1, 2, 3."""
    if all(re.fullmatch(r"-?\d{1,9}", label.strip()) for label in labels):
        numbers = [int(label) for label in labels]
        if all(a < b for a, b in zip(numbers, numbers[1:], strict=False)):
            return tuple(numbers)
    return tuple(range(1, len(labels) + 1))


def build_export(
    members: Sequence[str],
    waves: Sequence[tuple[str, Mapping[str, Iterable[str]]]],
    *,
    key: bytes,
    convenors: Sequence[str] = (),
    segments: Sequence[Segment] = (),
    min_group_size: int = 5,
    names: Mapping[str, str] | None = None,
    title: str = "Network map",
) -> MapExport:
    """The map to export, from the roster and each wave's nominations (oldest first).

    ``waves`` pairs each wave's label with its nominations (roster member who answered ->
    the members they named, as ``network.network_stats`` takes them). ``names`` maps the
    members who may be shown by name to their name; every other member is a pseudonym.
    Names not on the roster are left out (``network_stats`` counts them).
    """
    from relimpact.net.network import _check_roster

    if not waves:
        raise UsageError("there is no wave to export.", hint="Give the response files.")
    roster = _check_roster(members, convenors)
    on_roster = set(roster)
    order = pseudonym_order(roster, key)
    ids = {m: f"m{i + 1}" for i, m in enumerate(order)}
    shown = {m: t for m, t in (names or {}).items() if m in on_roster and t}
    ring = set(convenors)
    ties: list[set[tuple[str, str]]] = []
    answered: list[set[str]] = []
    for _, nominations in waves:
        wave_ties: set[tuple[str, str]] = set()
        who_answered: set[str] = set()
        for who, named in nominations.items():
            if who not in on_roster:
                continue
            who_answered.add(who)
            for other in (named,) if isinstance(named, str) else named:
                if other in on_roster and other != who:
                    wave_ties.add((who, other))
        ties.append(wave_ties)
        answered.append(who_answered)
    values = [shown_values(roster, s, min_group_size) for s in segments]
    nodes = tuple(
        Node(
            id=ids[m],
            label=shown.get(m, f"Member {i + 1}"),
            convenor=m in ring,
            answered=tuple(m in a for a in answered),
            attributes=tuple(v[m] for v in values),
        )
        for i, m in enumerate(order)
    )
    rank = {m: i for i, m in enumerate(order)}
    every = sorted(set().union(*ties), key=lambda t: (rank[t[0]], rank[t[1]]))
    edges = tuple(
        Edge(
            id=f"e{i + 1}",
            source=ids[a],
            target=ids[b],
            waves=tuple((a, b) in t for t in ties),
            mutual=tuple((a, b) in t and (b, a) in t for t in ties),
        )
        for i, (a, b) in enumerate(every)
    )
    labels = tuple(label for label, _ in waves)
    return MapExport(
        title=title,
        waves=labels,
        times=_times(labels),
        segments=tuple((s.id, s.title) for s in segments),
        nodes=nodes,
        edges=edges,
        named=len(shown),
    )


# --------------------------------------------------------------------------- writing

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udfff]")


def _x(text: str) -> str:
    """Text for an XML element, characters XML 1.0 cannot hold dropped."""
    return escape(_NOT_XML.sub("", text))


def _a(text: str) -> str:
    """A quoted XML attribute value."""
    return quoteattr(_NOT_XML.sub("", text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, last) indices of each run of consecutive True values."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def _description(export: MapExport) -> str:
    if export.named == 1:
        names = "1 member who agreed to be named is named; the others are pseudonyms"
    elif export.named:
        names = (
            f"{export.named} members who agreed to be named are named; the others are pseudonyms"
        )
    else:
        names = "members are pseudonyms (Member 1 to Member n, not in the roster's order)"
    waves = ", ".join(export.waves)
    return (
        f"{export.title}: who named whom as someone they work with; {names}. "
        f"Waves: {waves}. Made by relimpact."
    )


def to_gexf(export: MapExport) -> str:
    """GEXF 1.3 (Gephi): a static graph for one wave, a dynamic one for several."""
    dynamic = export.dynamic
    t = export.times
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">',
        "  <meta>",
        "    <creator>relimpact</creator>",
        f"    <description>{_x(_description(export))}</description>",
        "  </meta>",
    ]
    if dynamic:
        out.append(
            '  <graph defaultedgetype="directed" mode="dynamic" timeformat="integer" '
            f'timerepresentation="interval" start="{t[0]}" end="{t[-1]}">'
        )
    else:
        out.append('  <graph defaultedgetype="directed" mode="static">')
    mode = ' mode="dynamic"' if dynamic else ' mode="static"'
    out.append(f'    <attributes class="node"{mode}>')
    out.append('      <attribute id="convenor" title="Convenor" type="boolean"/>')
    out.append('      <attribute id="answered" title="Answered the survey" type="boolean"/>')
    for sid, title in export.segments:
        out.append(f'      <attribute id={_a("seg_" + sid)} title={_a(title)} type="string"/>')
    out.append("    </attributes>")
    out.append(f'    <attributes class="edge"{mode}>')
    out.append('      <attribute id="mutual" title="Named each other" type="boolean"/>')
    out.append("    </attributes>")

    def timed(key: str, flags: Sequence[bool], indent: str) -> list[str]:
        if not dynamic:
            return [f'{indent}<attvalue for="{key}" value="{_bool(flags[0])}"/>']
        return [
            f'{indent}<attvalue for="{key}" value="{_bool(f)}" start="{t[i]}" end="{t[i]}"/>'
            for i, f in enumerate(flags)
        ]

    # In a dynamic graph every value is timed: the member's own values span every wave.
    always = f' start="{t[0]}" end="{t[-1]}"' if dynamic else ""
    out.append("    <nodes>")
    for n in export.nodes:
        out.append(f"      <node id={_a(n.id)} label={_a(n.label)}>")
        out.append("        <attvalues>")
        out.append(f'          <attvalue for="convenor" value="{_bool(n.convenor)}"{always}/>')
        out.extend(timed("answered", n.answered, "          "))
        for (sid, _), value in zip(export.segments, n.attributes, strict=True):
            out.append(f"          <attvalue for={_a('seg_' + sid)} value={_a(value)}{always}/>")
        out.append("        </attvalues>")
        out.append("      </node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for e in export.edges:
        out.append(f"      <edge id={_a(e.id)} source={_a(e.source)} target={_a(e.target)}>")
        out.append("        <attvalues>")
        if dynamic:
            present = [i for i, w in enumerate(e.waves) if w]
            out.extend(
                f'          <attvalue for="mutual" value="{_bool(e.mutual[i])}" '
                f'start="{t[i]}" end="{t[i]}"/>'
                for i in present
            )
        else:
            out.append(f'          <attvalue for="mutual" value="{_bool(e.mutual[0])}"/>')
        out.append("        </attvalues>")
        if dynamic:
            out.append("        <spells>")
            out.extend(f'          <spell start="{t[a]}" end="{t[b]}"/>' for a, b in _runs(e.waves))
            out.append("        </spells>")
        out.append("      </edge>")
    out.append("    </edges>")
    out.append("  </graph>")
    out.append("</gexf>")
    return "\n".join(out) + "\n"


def to_graphml(export: MapExport) -> str:
    """GraphML 1.0: directed edges; one boolean per wave where there are several."""
    several = export.dynamic
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        f"  <desc>{_x(_description(export))}</desc>",
        '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
        '  <key id="convenor" for="node" attr.name="convenor" attr.type="boolean"/>',
    ]
    wave_keys: list[tuple[str, str]] = []  # (node key, edge key) per wave
    if several:
        for i, label in enumerate(export.waves):
            node_key, edge_key = f"answered_{i + 1}", f"wave_{i + 1}"
            wave_keys.append((node_key, edge_key))
            out.append(
                f'  <key id="{node_key}" for="node" attr.name={_a(f"answered {label}")} '
                'attr.type="boolean"/>'
            )
    else:
        out.append('  <key id="answered" for="node" attr.name="answered" attr.type="boolean"/>')
    for sid, title in export.segments:
        out.append(
            f'  <key id={_a("seg_" + sid)} for="node" attr.name={_a(sid)} '
            f'attr.type="string"><desc>{_x(title)}</desc></key>'
        )
    out.append('  <key id="mutual" for="edge" attr.name="mutual" attr.type="boolean"/>')
    for (_, edge_key), label in zip(wave_keys, export.waves, strict=False):
        out.append(
            f'  <key id="{edge_key}" for="edge" attr.name={_a(f"in {label}")} attr.type="boolean"/>'
        )
    out.append('  <graph id="G" edgedefault="directed">')
    for n in export.nodes:
        out.append(f"    <node id={_a(n.id)}>")
        out.append(f'      <data key="label">{_x(n.label)}</data>')
        out.append(f'      <data key="convenor">{_bool(n.convenor)}</data>')
        if several:
            for (node_key, _), flag in zip(wave_keys, n.answered, strict=True):
                out.append(f'      <data key="{node_key}">{_bool(flag)}</data>')
        else:
            out.append(f'      <data key="answered">{_bool(n.answered[0])}</data>')
        for (sid, _), value in zip(export.segments, n.attributes, strict=True):
            out.append(f"      <data key={_a('seg_' + sid)}>{_x(value)}</data>")
        out.append("    </node>")
    for e in export.edges:
        out.append(f"    <edge id={_a(e.id)} source={_a(e.source)} target={_a(e.target)}>")
        # mutual: named back in the latest wave the tie was named in
        last = max(i for i, w in enumerate(e.waves) if w)
        out.append(f'      <data key="mutual">{_bool(e.mutual[last])}</data>')
        for (_, edge_key), flag in zip(wave_keys, e.waves, strict=False):
            out.append(f'      <data key="{edge_key}">{_bool(flag)}</data>')
        out.append("    </edge>")
    out.append("  </graph>")
    out.append("</graphml>")
    return "\n".join(out) + "\n"


def to_kumu(export: MapExport) -> str:
    """Kumu's JSON import (a blueprint): elements and connections, one per pair of members."""
    several = export.dynamic
    elements = []
    for n in export.nodes:
        element: dict[str, object] = {
            "id": n.id,
            "label": n.label,
            "type": "Convenor" if n.convenor else "Member",
        }
        if several:
            element["Answered"] = [w for w, a in zip(export.waves, n.answered, strict=True) if a]
        else:
            element["Answered"] = "yes" if n.answered[0] else "no"
        for (_, title), value in zip(export.segments, n.attributes, strict=True):
            element[title] = value
        elements.append(element)
    by_pair: dict[tuple[str, str], list[Edge]] = {}
    for e in export.edges:
        pair = tuple(sorted((e.source, e.target), key=lambda i: int(i[1:])))
        by_pair.setdefault((pair[0], pair[1]), []).append(e)
    connections = []
    for i, ((a, b), pair_edges) in enumerate(by_pair.items()):
        waves = [any(e.waves[w] for e in pair_edges) for w in range(len(export.waves))]
        last = max(w for w, present in enumerate(waves) if present)
        named_last = [e for e in pair_edges if e.waves[last]]
        if len(named_last) == 2:
            source, target, direction = a, b, "mutual"
        else:
            source, target, direction = named_last[0].source, named_last[0].target, "directed"
        connection: dict[str, object] = {
            "id": f"c{i + 1}",
            "from": source,
            "to": target,
            "direction": direction,
        }
        if several:
            connection["tags"] = [w for w, p in zip(export.waves, waves, strict=True) if p]
        connections.append(connection)
    return json.dumps({"elements": elements, "connections": connections}, indent=2,
                      ensure_ascii=False) + "\n"  # fmt: skip


WRITERS = {"gexf": to_gexf, "graphml": to_graphml, "kumu": to_kumu}


def write_export(export: MapExport, fmt: str) -> str:
    """The export as text in ``fmt`` (gexf, graphml or kumu)."""
    if fmt not in WRITERS:
        from relimpact.common.text import did_you_mean

        raise UsageError(
            f"--to {fmt}: must be one of {', '.join(FORMATS)}{did_you_mean(fmt, FORMATS)}.",
            hint="gexf for Gephi, graphml for yEd, Cytoscape or igraph, kumu for Kumu.",
        )
    return WRITERS[fmt](export)


# --------------------------------------------------------------------------- from responses


def _responses_key(survey: Survey, waves: Sequence[ResponseSet]) -> bytes:
    """The pseudonyms' key from what only the response files hold."""

    def parts() -> Iterable[str]:
        yield survey.id
        for r in waves:
            yield from r.respondent_keys or ()
            for qid in sorted(r.text):
                yield from r.text[qid]
            for qid in sorted(r.member):
                yield from r.member[qid]
            for qid in sorted(r.connections):
                for named in r.connections[qid]:
                    yield "\x1f".join(named)

    return pseudonym_key(parts())


def export_from_responses(
    survey: Survey,
    waves: Sequence[tuple[str, ResponseSet]],
    fmt: str,
    *,
    show_names: bool = False,
    by: Sequence[str] = (),
) -> tuple[str, MapExport]:
    """The network map of ``waves`` (oldest first, the last the current one) as ``fmt``.

    Segment attributes are the survey's segment questions and ``by`` (choice questions),
    from the latest wave's answers; names (``show_names``) only for members who said yes
    to being named in the latest wave. Raises ``UsageError`` when the survey has no map.
    """
    from relimpact.net.network import nominations_from

    nm = survey.network_map
    member_q = next((q for q in survey.questions if q.type == "member"), None)
    links_q = next((q for q in survey.questions if q.type == "connections"), None)
    if nm is None or member_q is None or links_q is None:
        raise UsageError(
            f"survey '{survey.id}' has no network map, so there is nothing to export.",
            hint="A network map needs a network_map section (the roster) and two questions, "
            "type: member and type: connections (see the bundled network-map template).",
        )
    wave_noms = []
    for label, r in waves:
        if member_q.id not in r.member or links_q.id not in r.connections:
            raise UsageError(
                f"wave '{label}': no column holds the answers to '{member_q.id}' and "
                f"'{links_q.id}', so its network cannot be drawn.",
                hint="Give that wave's export of the same survey, with the member and "
                "connections questions.",
            )
        wave_noms.append(
            (label, nominations_from(r.member[member_q.id], r.connections[links_q.id]))
        )
    current = waves[-1][1]
    members = current.member[member_q.id]
    from relimpact.read.groups import group_decision

    segments = []
    from relimpact.read.groups import segment_questions

    for q in segment_questions(survey, by):
        if q.id not in current.choice:
            continue
        names_, _, _, hidden = group_decision(current, q.id)
        cat = current.choice[q.id]
        answers = {
            who: cat.categories[code]
            for who, code in zip(members, cat.codes.tolist(), strict=False)
            if who and code >= 0
        }
        segments.append(Segment(q.id, q.text, answers, frozenset(names_[i] for i in hidden)))
    names: dict[str, str] = {}
    if show_names:
        consent = survey.name_consent_question  # never the consent to be quoted
        if consent is not None and consent.id in current.consent:
            agreed = current.consent[consent.id].tolist()
            names = {who: who for who, ok in zip(members, agreed, strict=False) if who and ok}
    export = build_export(
        nm.members,
        wave_noms,
        key=_responses_key(survey, [r for _, r in waves]),
        convenors=nm.convenors,
        segments=segments,
        min_group_size=survey.min_group_size,
        names=names,
        title=survey.title,
    )
    return write_export(export, fmt), export
