"""Generate the example export for the network-ties template, deterministically.

    python scripts/make_ties_example.py     # writes surveys/examples/network-ties-responses.csv

Everything is made up: the 24 members are the roster in surveys/network-ties.yaml, in four
groups (six lived experience leaders, six community groups, seven charities with the
convenor, five public bodies). 21 answered. Who works with whom comes from a seeded random
generator that makes links within a group likelier than links across groups, and links
between lived experience leaders and the other groups rarer still (except with the convenor):
the kind of network that grows "to mirror the people and perspectives involved from the
beginning", which the mixing figures should catch.

The file is laid out as a Google Forms "Responses" CSV download: every field quoted, a
``Timestamp`` like ``2026/10/12 9:12:05 AM GMT+1``, and the levelled connections question
as one multiple-choice grid, a column per member headed "QUESTION [member]" with the chosen
level as the answer (blank for no link; each member's own row left blank).
"""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from relimpact.survey.load import load_survey  # noqa: E402
from relimpact.survey.model import Survey  # noqa: E402

OUT = ROOT / "surveys" / "examples"
TEMPLATE = ROOT / "surveys" / "network-ties.yaml"
GRID = "How much do you agree with each statement?"
HUB = "Meadowgate Network Hub"

LIVED = [
    "Amara Okoye",
    "Dev Sharma",
    "Rosa Delgado",
    "Tom Whitfield",
    "Kemi Adebayo",
    "Jonah Price",
]
COMMUNITY = [
    "Eastfield Residents' Forum",
    "Canal Side Gardeners",
    "Millbrook Mums and Tots",
    "St Anne's Lunch Club",
    "Fernhill Men's Shed",
    "Riverbank Tenants' Association",
]
CHARITY = [
    HUB,
    "Hilltop Food Pantry",
    "Brightways Advice Centre",
    "Second Chances Trust",
    "Open Door Housing Charity",
    "Harbour Lights Recovery",
    "Northgate Carers Trust",
]
PUBLIC = [
    "City Council Communities Team",
    "Eastfield Health Centre",
    "Central Library",
    "County Probation Service",
    "Fire and Rescue Community Safety",
]
PART = {
    **dict.fromkeys(LIVED, "Lived experience leader"),
    **dict.fromkeys(COMMUNITY, "Community group"),
    **dict.fromkeys(CHARITY, "Charity"),
    **dict.fromkeys(PUBLIC, "Public body"),
}
NOT_ANSWERED = {"Tom Whitfield", "Fernhill Men's Shed", "Northgate Carers Trust"}
# May we name you (and suggest you for introductions)? A blank is not a yes.
NAME_YES = {HUB, "Amara Okoye", "Dev Sharma", "Kemi Adebayo", "Eastfield Residents' Forum",
            "Canal Side Gardeners", "St Anne's Lunch Club", "Hilltop Food Pantry",
            "Brightways Advice Centre", "Open Door Housing Charity",
            "City Council Communities Team", "Eastfield Health Centre",
            "County Probation Service"}  # fmt: skip
NAME_NO = {"Rosa Delgado", "Jonah Price", "Second Chances Trust", "Central Library"}


def _p_tie(a: str, b: str) -> float:
    if HUB in (a, b):
        return 0.85
    if PART[a] == PART[b]:
        return 0.55
    if "Lived experience leader" in (PART[a], PART[b]):
        return 0.03
    return 0.14


def _level(rng: random.Random, a: str, b: str) -> int:
    close = PART[a] == PART[b] or HUB in (a, b)
    weights = (2, 3, 3, 2) if close else (4, 3, 2, 1)
    return rng.choices((1, 2, 3, 4), weights)[0]


def _timestamp(rng: random.Random, i: int) -> str:
    day = 5 + i // 3
    hour = rng.randrange(8, 21)
    minute, second = rng.randrange(60), rng.randrange(60)
    h12 = hour % 12 or 12
    return f"2026/10/{day:02d} {h12}:{minute:02d}:{second:02d} {'AM' if hour < 12 else 'PM'} GMT+1"


def make(survey: Survey, seed: int = 2026) -> str:
    """The example export's CSV text."""
    rng = random.Random(seed)
    assert survey.network_map is not None
    roster = survey.network_map.members
    scale = survey.scales["integration4"]
    # An undirected "real" link with a level, then each member reports it (most do).
    real: dict[frozenset[str], int] = {}
    for i, a in enumerate(roster):
        for b in roster[i + 1 :]:
            if rng.random() < _p_tie(a, b):
                real[frozenset((a, b))] = _level(rng, a, b)
    header = ["Timestamp"]
    for q in survey.questions:
        if q.type == "connections":
            header += [f"{q.text} [{m}]" for m in roster]
        elif q.group == "ties_grid":
            header.append(f"{GRID} [{q.text}]")
        else:
            header.append(q.text)
    rows = []
    answering = [m for m in roster if m not in NOT_ANSWERED]
    for i, who in enumerate(answering):
        cells = [_timestamp(rng, i)]
        warmth = rng.gauss(0.0, 0.5) + (-0.4 if PART[who] == "Lived experience leader" else 0.2)
        for q in survey.questions:
            if q.type == "member":
                cells.append(who)
            elif q.type == "choice":
                cells.append(PART[who])
            elif q.type == "connections":
                for m in roster:
                    level = real.get(frozenset((who, m))) if m != who else None
                    if level is not None and rng.random() < 0.85:  # some links go unreported
                        shift = rng.choice((-1, 0, 0, 0, 1))  # the two ends may disagree
                        cells.append(scale.label(min(4, max(1, level + shift))))
                    else:
                        cells.append("")
            elif q.type == "scale":
                s = survey.scale_of(q)
                point = min(s.max_value, max(s.min_value, round(3.6 + warmth + rng.gauss(0, 0.6))))
                cells.append(s.label(point))
            elif q.type == "consent" and q.consent == "name":
                cells.append("Yes" if who in NAME_YES else ("No" if who in NAME_NO else ""))
            elif q.type == "consent":
                cells.append("No")
            else:
                cells.append("")
        rows.append(cells)
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def main() -> None:
    text = make(load_survey(TEMPLATE))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "network-ties-responses.csv"
    path.write_bytes(text.encode("utf-8"))
    print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
