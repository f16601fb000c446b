"""Google-Forms-style exports of the network-health template, at any size, deterministically.

    python benchmarks/make_exports.py 1000 100000 1000000          # into /tmp/relimpact-bench
    python benchmarks/make_exports.py 100000 --baseline --data DIR

Each file is laid out as a Google Forms "Responses" CSV download of the bundled
``surveys/network-health.yaml``: every field quoted, CRLF line ends, a ``Timestamp`` like
``2026/10/05 9:12:05 AM GMT+1``, an ``Email address`` column, one column per question headed
with its text, checkboxes joined with ", ". Every respondent has a unique email and member
code (``NH-0000001``...), so no row is a duplicate and none is empty: every tool compared
scores the same rows. About half write a story and a third a change (0.84 free-text answers
a respondent, as in the issue's measurements), one in eight of them with an email, a phone
number or a name in it; the texts differ from one another (sentences drawn from pools, with
numbers), so nothing can be cached by text. 68% agree to be quoted.

Answers: each respondent has a general warmth and a view of each dimension; each item is the
dimension's mean plus both plus noise, rounded to the 1-5 scale (reversed for reversed
items); 2.5% of answers are blank and 3% "Don't know" or "Not applicable".

With ``--baseline`` a second file, ``baseline-N.csv``, is an earlier wave: 80% of the same
member codes (the others new), means a little lower.

The template is read with PyYAML alone (not relimpact), so the comparison scripts can use
``spec()`` without importing relimpact.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "surveys" / "network-health.yaml"
DATA = Path("/tmp/relimpact-bench")

MEANS = {
    "leadership": 3.90,
    "training": 3.45,
    "peer_support": 4.20,
    "co_production": 3.20,
    "the_net": 4.30,
    "the_work": 3.55,
    "shared_purpose": 4.20,
    "ceding_control": 2.90,
    "end_in_mind": 2.60,
    "openness": 3.20,
    "relational": 4.20,
}
FIRST = [
    "amara",
    "ben",
    "carys",
    "dev",
    "elena",
    "femi",
    "grace",
    "hamid",
    "isla",
    "jonah",
    "kasia",
    "leon",
    "maya",
    "nadia",
    "owen",
]
LAST = [
    "adeyemi",
    "brook",
    "carter",
    "dunne",
    "evans",
    "farah",
    "green",
    "hughes",
    "iqbal",
    "jones",
    "khan",
    "lewis",
]
OPENINGS = [
    "Through the network I met a food bank in the next town and we now share a van.",
    "When our funding was cut, three members helped us rewrite the bid.",
    "The peer-support circle was the first place I could say I was burnt out.",
    "We ran a joint consultation with the council instead of five separate ones.",
    "Honestly I mostly read the newsletter; it is useful for funding news.",
    "The training on co-production changed how we run our steering group.",
    "A member lent us their hall for free while we found our feet.",
    "We learned more from another member's failed project than from any course.",
    "The gathering in the spring brought together people who never meet.",
    "It helped us stop competing with the other advice services in the area.",
    "I found a mentor through the network and it has kept me going.",
    "The online calls mean I can take part from home as a carer.",
]
MIDDLES = [
    "We now feed about {n} families a week.",
    "It took {n} weeks but it was worth it.",
    "{n} of us still meet every month.",
    "It saved us about {n} hours of work.",
    "I have told {n} people about it since.",
    "We were {n} groups in one room for the first time.",
]
CHANGES = [
    "More chances to meet members outside the usual gatherings.",
    "Decisions are still made by a small group. Ask us earlier.",
    "Find ways to reach groups led by young people.",
    "Share the leadership so that the network does not depend on one or two people.",
    "Training at times that work for volunteers with day jobs.",
    "Less information, more connection.",
    "Pay people with lived experience for their time.",
    "Hold some gatherings outside the city centre.",
    "Introduce new members properly.",
    "Let working groups spend a small budget without waiting.",
]


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    dimension: str
    reverse: bool


@dataclass(frozen=True)
class Spec:
    """What the comparison scripts need: the scored items, their labels and dimensions."""

    header: list[str]  # the export's header row
    items: list[Item]  # scored questions, in template order
    points: dict[str, int]  # answer label -> value (agree5)
    not_applicable: list[str]
    dimensions: list[str]  # in template order
    questions: list[dict]

    def items_of(self, dimension: str) -> list[Item]:
        return [i for i in self.items if i.dimension == dimension]


def spec(template: Path = TEMPLATE) -> Spec:
    doc = yaml.safe_load(template.read_text(encoding="utf-8"))
    scale = doc["scales"]["agree5"]
    items = [
        Item(q["id"], q["text"], q["dimension"], bool(q.get("reverse", False)))
        for q in doc["questions"]
        if q.get("type", "scale") == "scale"
    ]
    return Spec(
        header=["Timestamp", "Email address"] + [q["text"] for q in doc["questions"]],
        items=items,
        points={str(label): int(v) for v, label in scale["points"].items()},
        not_applicable=list(scale["not_applicable"]),
        dimensions=list(doc["dimensions"]),
        questions=doc["questions"],
    )


def _q(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def write_export(path: Path, n: int, *, seed: int = 17, wave: str = "current") -> None:
    """Write ``n`` respondents to ``path`` (atomically: a partial file is never left)."""
    s = spec()
    rng = np.random.default_rng(seed if wave == "current" else seed + 1)
    labels = {v: k for k, v in s.points.items()}
    shift = -0.25 if wave == "baseline" else 0.0
    year = 2026 if wave == "current" else 2025
    warmth = rng.normal(0.0, 0.45, n)
    dims = s.dimensions
    views = rng.normal(0.0, 0.5, (n, len(dims)))
    k = len(s.items)
    noise = rng.normal(0.0, 0.5, (n, k))
    dim_index = np.array([dims.index(i.dimension) for i in s.items])
    means = np.array([MEANS[i.dimension] for i in s.items]) + shift
    values = np.clip(np.rint(means + warmth[:, None] + views[:, dim_index] + noise), 1, 5)
    reverse = np.array([i.reverse for i in s.items])
    values = np.where(reverse, 6 - values, values).astype(np.int8)
    kind = rng.random((n, k))  # < 0.025 blank, < 0.04 Don't know, < 0.055 Not applicable
    item_labels = np.array(["", *[labels[v] for v in range(1, 6)]], dtype=object)
    cells = item_labels[values]
    cells[kind < 0.055] = "Not applicable"
    cells[kind < 0.04] = "Don't know"
    cells[kind < 0.025] = ""
    choice_q = {q["id"]: q for q in s.questions if q.get("type") in ("choice", "multi")}
    picks = {
        qid: rng.integers(0, len(q["options"]), n)
        for qid, q in choice_q.items()
        if q["type"] == "choice"
    }
    multi = choice_q["take_part"]["options"]
    multi_mask = rng.random((n, len(multi))) < 0.35
    contacts = np.maximum(0, np.rint(rng.normal(6, 4, n))).astype(int)
    contacts_blank = rng.random(n) < 0.1
    has_story = rng.random(n) < 0.50
    has_change = rng.random(n) < 0.342
    story_parts = rng.integers(0, 1 << 30, (n, 3))
    consent = rng.choice(np.array(["Yes", "No", ""], dtype=object), n, p=[0.68, 0.22, 0.10])
    offset = 0 if wave == "current" else 200_000_000
    member = np.arange(n) + 1
    if wave == "baseline":  # 80% the same people, the rest with codes the current wave lacks
        member = np.where(rng.random(n) < 0.8, member, member + offset)
    minutes = rng.integers(0, 60, (n, 2))
    hours = rng.integers(7, 22, n)

    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(_q(h) for h in s.header) + "\r\n")
        for r in range(n):
            code = int(member[r])
            first, last = FIRST[code % len(FIRST)], LAST[(code // 15) % len(LAST)]
            h = int(hours[r])
            day = 5 + r * 14 // max(n, 1)
            ts = (
                f"{year}/10/{day:02d} {h % 12 or 12}:{minutes[r, 0]:02d}:{minutes[r, 1]:02d} "
                f"{'AM' if h < 12 else 'PM'} GMT+1"
            )
            row = [ts, f"{first}.{last}{code}@example.org"]
            item_cells = cells[r]
            col = 0
            p0, p1, p2 = (int(x) for x in story_parts[r])
            for q in s.questions:
                t = q.get("type", "scale")
                if t == "scale":
                    row.append(item_cells[col])
                    col += 1
                elif t == "choice":
                    row.append(q["options"][picks[q["id"]][r]])
                elif t == "multi":
                    row.append(", ".join(o for o, m in zip(multi, multi_mask[r], strict=True) if m))
                elif t == "respondent":
                    row.append(f"NH-{code:07d}")
                elif t == "number":
                    row.append("" if contacts_blank[r] else str(contacts[r]))
                elif t == "text" and q["id"] == "story":
                    text = ""
                    if has_story[r]:
                        text = (
                            OPENINGS[p0 % len(OPENINGS)]
                            + " "
                            + MIDDLES[p1 % len(MIDDLES)].format(n=2 + p2 % 97)
                        )
                        if p2 % 8 == 0:
                            text += f" Ring me on 07700 900{p1 % 1000:03d}."
                        elif p2 % 8 == 1:
                            text += f" Email me at {first}.{last}{code}@example.org."
                        elif p2 % 8 == 2:
                            text += f" {first.title()} {last.title()} made it happen."
                    row.append(text)
                elif t == "text":
                    row.append(
                        f"{CHANGES[p1 % len(CHANGES)]} (I have said so {1 + p0 % 9} times.)"
                        if has_change[r]
                        else ""
                    )
                elif t == "consent":
                    row.append(consent[r])
                else:
                    row.append("")
            fh.write('"' + '","'.join(row) + '"\r\n')
    tmp.replace(path)


def export_path(data: Path, n: int, wave: str = "current") -> Path:
    """The cached export of ``n`` respondents (written on first use)."""
    name = f"{'responses' if wave == 'current' else 'baseline'}-nh-{n}.csv"
    path = data / name
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        print(f"writing {path}", file=sys.stderr)
        write_export(path, n, wave=wave)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--baseline", action="store_true", help="also write an earlier wave")
    args = parser.parse_args()
    for n in args.sizes:
        print(export_path(args.data, n))
        if args.baseline:
            print(export_path(args.data, n, "baseline"))


if __name__ == "__main__":
    main()
