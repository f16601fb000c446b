"""How an answer is matched to a label or a roster name, shared by reading the answers
(``read.answers``) and checking a survey's roster when it is loaded (``survey.schema``):
labels as compared (``label_key``) and as XML names (``xml_names``), and a cell of
several names joined by a separator a survey tool uses (``JOINERS``) read every way it
can be (``readings``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from relimpact.common.text import label_key, positional_names, slug, xml_names

MAX_TOKENS = 200  # a cell of more separated pieces than this is not read every way


def label_map(labels: Sequence[tuple[str, object]], first: int | None = 1) -> tuple[dict, dict]:
    """Labels (normalised) and their XML names -> value. ``first``: the position of the
    first label among the question's answers, for the XLSForm's positional names of labels
    with no Latin letter (``c1``, ``c2``: ``positional_names``); None when the labels are
    not the answers in form order."""
    exact = {label_key(label): v for label, v in labels if label_key(label)}
    slugs: dict[str, object] = {}
    for label, v in labels:
        for s in sorted(xml_names(label)):
            slugs.setdefault(s, v)
    if first is not None:
        for name, k in positional_names([label for label, _ in labels], first).items():
            slugs.setdefault(name, labels[k][1])
    return exact, slugs


def lookup(text: str, exact: dict, slugs: dict) -> object | None:
    n = label_key(text)
    if n in exact:
        return exact[n]
    s = slug(text)
    return slugs.get(s) if s else None


JOINERS = (";", "\n", ",", "|")


def joined(text: str) -> bool:
    return any(sep in text for sep in JOINERS)


def find_member(text: str, exact: dict, slugs: dict) -> object | None:
    """The roster name ``text`` names (``label_map`` of the roster): as compared, or as an
    XML name. A text that holds a separator (``JOINERS``) is never taken, through its XML
    name, for a member whose name holds none: ``North, East`` is two members, not
    ``North East``."""
    found = lookup(text, exact, slugs)
    if found is not None and label_key(text) not in exact and joined(text):
        found = found if joined(str(found)) else None
    return found


def readings(
    raw: str, find: Callable[[str], object | None], sep: str, limit: int = 2
) -> list[tuple[object, ...]]:
    """Up to ``limit`` ways to read ``raw``, split at ``sep``, as known names: each a
    tuple of what ``find`` gave for consecutive runs of pieces (blank pieces skipped)."""
    tokens = raw.split(sep)
    if len(tokens) > MAX_TOKENS:
        return []
    n = len(tokens)
    ways: list[list[tuple[object, ...]]] = [[] for _ in range(n + 1)]
    ways[n] = [()]
    for i in range(n - 1, -1, -1):
        if not tokens[i].strip():
            ways[i] = ways[i + 1]
            continue
        for j in range(i + 1, n + 1):
            if not ways[j]:
                continue
            hit = find(sep.join(tokens[i:j]))
            if hit is None:
                continue
            for rest in ways[j]:
                ways[i].append((hit, *rest))
                if len(ways[i]) >= limit:
                    break
            if len(ways[i]) >= limit:
                break
    return ways[0]


def joined_from_others(members: Sequence[str]) -> list[tuple[int, str, tuple[int, ...]]]:
    """Members whose name is other members' names joined by a separator a tool uses
    (``JOINERS``): (the member's index, the separator, the others' indexes). A ticked
    answer ``Smith, Jones & Co`` could then mean the one member or the two."""
    index = {m: i for i, m in enumerate(members)}
    exact, slugs = label_map([(m, m) for m in members])

    def find(text: str) -> object | None:
        return find_member(text, exact, slugs)

    found = []
    for i, name in enumerate(members):
        for sep in JOINERS:
            if sep not in name:
                continue
            split = [w for w in readings(name, find, sep, 3) if len(w) > 1]
            if split:
                found.append((i, sep, tuple(index[str(m)] for m in split[0])))
                break
    return found


def alike_members(members: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs of members (earlier, later index) that an answer cannot tell apart: the same
    name once compared (``label_key``), or the same as an XML name (``St. Mary's`` and
    ``St Mary's`` are both ``st_mary_s``; ``St Marys`` is either)."""
    seen: dict[str, int] = {}
    pairs = []
    for i, name in enumerate(members):
        keys = {"=" + label_key(name)} | {"_" + s for s in xml_names(name)}
        keys.discard("=")
        first = min((seen[k] for k in keys if k in seen), default=None)
        if first is not None:
            pairs.append((first, i))
        for k in keys:
            seen.setdefault(k, i)
    return pairs
