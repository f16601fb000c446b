"""Generate the bundled example responses for `relimpact demo`, deterministically.

    python scripts/make_demo_data.py            # writes surveys/examples/*.csv

Everything is made up: the network ("Riverside Connectors"), the people, their member
codes, their emails (all at example.org, a domain reserved for examples), the phone
numbers (UK drama numbers, 07700 900xxx, reserved for fiction) and their stories. The
files are laid out exactly as a Google Forms "Responses" CSV download: every field
quoted, a ``Timestamp`` like ``2026/10/05 9:12:05 AM GMT+1``, an ``Email address``
column, one column per question headed with its text, checkboxes joined with ", ".

Two waves: ``network-health-responses.csv`` (October 2026, 121 rows: 119 people, one of
whom sent the form twice, plus one empty submission) and ``network-health-baseline.csv``
(October 2025), with matching member codes for most people who answered both.

The stories show what the reports must handle: some contain emails, phone numbers,
names and links (scrubbed before quoting), some writers did not agree to be quoted, and
two groups (convenors and staff; funders and partners) are too small to be shown.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from relimpact.survey.load import load_survey  # noqa: E402
from relimpact.survey.model import Question, Survey  # noqa: E402

OUT = ROOT / "surveys" / "examples"
TEMPLATE = ROOT / "surveys" / "network-health.yaml"

# Dimension means in each wave: the net grew, leadership improved a little, holding the
# end in mind stayed low (the network still leans on its convenor), co-production is mixed.
MEANS = {
    "baseline": {
        "leadership": 3.65,
        "training": 3.30,
        "peer_support": 4.05,
        "co_production": 3.05,
        "the_net": 3.70,
        "the_work": 3.35,
        "shared_purpose": 4.10,
        "ceding_control": 2.85,
        "end_in_mind": 2.65,
        "openness": 3.15,
        "relational": 3.95,
    },
    "current": {
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
    },
}

ROLES = [  # this year's respondents: two groups too small to show
    ("Member organisation", 55),
    ("Individual member", 57),
    ("Convenor or staff", 4),
    ("Funder or partner", 3),
]
TIMES = [("Less than a year", 28), ("1 to 3 years", 50), ("More than 3 years", 38)]
AREAS = [  # this year's respondents: one group too small, so a second is hidden with it
    ("In one neighbourhood or town", 42),
    ("Across a city or county", 40),
    ("Across a region", 22),
    ("Across the whole country", 12),
    ("Online or not tied to one place", 3),
]
TAKE_PART = [
    "Gatherings in person",
    "Online calls",
    "Working groups",
    "Peer-support sessions",
    "Training",
    "Newsletters or group chats",
]

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
    "priya",
    "quinn",
    "rosa",
    "sami",
    "tariq",
    "una",
    "vik",
    "wren",
    "yusuf",
    "zoe",
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

STORIES = [
    "Through the network I met a food bank in the next town and we now share a van on "
    "Thursdays. Neither of us could have afforded one alone.",
    "When our funding was cut, three members sat with us for an evening and helped us "
    "rewrite the bid. We got it.",
    "The peer-support circle was the first place I could say out loud that I was burnt "
    "out, and nobody tried to fix me. I came back the next month.",
    "I was new and knew nobody. Sarah Jones introduced me to four people at my first "
    "gathering and two of them are now close colleagues.",
    "We ran a joint consultation with the council instead of five separate ones. People "
    "told us it was the first time they felt listened to.",
    "Honestly I mostly read the newsletter. It is useful for funding news, but I have not "
    "got to know anyone yet.",
    "The training on co-production changed how we run our steering group. Two residents "
    "now chair it.",
    "I rang Dr Okafor from the health trust after meeting her at a gathering, and it "
    "opened a door we had been knocking on for years.",
    "A member lent us their hall for free for six months while we found our feet.",
    "My name is Grace Adeyemi and I run a youth project. The network gave me people to "
    "think with when I felt very alone in the job.",
    "We learned more from another member's failed project than from any training course. "
    "They were generous enough to tell us everything.",
    "If you want to see what we did, the write-up is at www.example.org/riverside-story "
    "and I am happy to talk: ring me on 07700 900123.",
    "The gathering in the spring brought together people who would never usually be in "
    "one room. Something shifted that day.",
    "It helped us stop competing with the other advice services in the area and start "
    "referring people to each other.",
    "Being part of the network gave our small group credibility with the council. They "
    "return our calls now.",
    "I found a mentor through the network. We meet every couple of months and it has "
    "kept me going.",
    "The online calls mean I can take part from home as a carer. I would not be able to "
    "get to the gatherings.",
    "We co-wrote a letter to the MP with nine other members and got a meeting within a fortnight.",
    "Tom at the allotment project showed us how to set up a community fridge. We now "
    "feed about forty families a week.",
    "Please contact me at jonah.brook@example.org if you want to hear more about the "
    "reading group we started after the last gathering.",
    "People here admit what is not working. That honesty is rare and it makes me braver "
    "in my own organisation.",
    "When the convenor was off sick the whole thing went quiet for two months, which worried me.",
    "I am Kasia, a volunteer, and the network is the reason I stayed in the area after my "
    "job ended.",
    "We shared our safeguarding policy with three new groups. Small thing, saved them weeks.",
]

CHANGES = [
    "More chances to meet members outside the usual gatherings, especially in the evenings.",
    "Decisions about the network's priorities are still made by a small group. Ask us earlier.",
    "Find ways to reach groups led by young people and by people of colour. The room "
    "looks the same every year.",
    "Share the leadership so that the network does not depend so much on one or two people.",
    "Training at times that work for volunteers with day jobs.",
    "Less information, more connection. The newsletter is long; the conversations are what matter.",
    "A clear plan for what happens if the funding ends. We should be ready to carry on "
    "without the core team.",
    "Pay people with lived experience for their time when they help design things.",
    "Hold some gatherings outside the city centre; buses from the estates are hard.",
    "Be honest about what the network is for. Some of us want action, some want support.",
    "Introduce new members properly. I sat on my own at my first two meetings.",
    "Put minutes and decisions somewhere everyone can see them.",
    "Nothing major. Keep doing what you are doing.",
    "Ask Mrs Patel at the mosque how to reach more families; she knows everyone.",
    "Fewer online calls at lunchtime; more in the evening.",
    "Let working groups spend a small budget without waiting for approval.",
]


@dataclass
class Person:
    code: str
    email: str
    role: str
    time: str
    area: str
    warmth: float  # how positive this person is in general
    engage: float  # how involved they are
    views: dict[str, float]  # how they see each dimension, beyond their general warmth
    consent: str
    parts: list[str] = field(default_factory=list)
    story: str = ""
    change: str = ""


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    names = [n for n, _ in weighted]
    return rng.choices(names, weights=[w for _, w in weighted])[0]


def _people(rng: random.Random, n: int, current: int) -> list[Person]:
    """``n`` people; the first ``current`` answer this year, with the ROLES counts exactly."""
    roles = [r for r, c in ROLES for _ in range(c)]
    assert len(roles) == current
    rng.shuffle(roles)
    roles += [rng.choice([ROLES[0][0], ROLES[1][0]]) for _ in range(n - current)]
    areas = [a for a, c in AREAS for _ in range(c)]
    assert len(areas) == current
    rng.shuffle(areas)
    areas += [rng.choice([AREAS[0][0], AREAS[1][0]]) for _ in range(n - current)]
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        role = roles[i]
        consent = rng.choices(["Yes", "No", ""], weights=[68, 22, 10])[0]
        out.append(
            Person(
                code=f"RC-{1000 + 7 * i + rng.randrange(7):04d}",
                email=f"{first}.{last}{rng.randrange(10, 99)}@example.org",
                role=role,
                time=_pick(rng, TIMES),
                area=areas[i],
                warmth=rng.gauss(0.0, 0.45),
                engage=rng.gauss(0.0, 0.5),
                views={d: rng.gauss(0.0, 0.5) for d in MEANS["current"]},
                consent=consent,
            )
        )
    return out


def _answer(rng: random.Random, survey: Survey, q: Question, mean: float, person: Person) -> str:
    scale = survey.scale_of(q)
    if rng.random() < 0.025:
        return ""
    na_rate = 0.12 if q.id in ("work_change", "end_without", "cop_lived", "train_useful") else 0.02
    if scale.not_applicable and rng.random() < na_rate:
        return scale.not_applicable[0] if rng.random() < 0.7 else scale.not_applicable[-1]
    assert q.dimension is not None
    shift = person.warmth + person.views[q.dimension]
    if q.dimension in ("the_net", "relational", "peer_support"):
        shift += 0.35 * person.engage
        if person.time == "Less than a year":
            shift -= 0.35
    if q.dimension in ("co_production", "ceding_control") and person.role == "Individual member":
        shift -= 0.2
    value = mean + shift + rng.gauss(0.0, 0.5)
    point = min(scale.max_value, max(scale.min_value, round(value)))
    if q.reverse:
        point = int(scale.reverse(point))
    return scale.label(point)


def _timestamp(rng: random.Random, year: int, i: int) -> str:
    day = 5 + i * 14 // 120
    hour = rng.randrange(7, 22)
    minute, second = rng.randrange(60), rng.randrange(60)
    h12 = hour % 12 or 12
    ampm = "AM" if hour < 12 else "PM"
    return f"{year}/10/{day:02d} {h12}:{minute:02d}:{second:02d} {ampm} GMT+1"


def _row(
    rng: random.Random, survey: Survey, person: Person, wave: str, year: int, i: int
) -> list[str]:
    cells = [_timestamp(rng, year, i), person.email]
    for q in survey.questions:
        if q.type == "choice":
            cells.append(
                {"role": person.role, "time_in_network": person.time}.get(q.id, person.area)
            )
        elif q.type == "respondent":
            cells.append(person.code)
        elif q.type == "multi":
            cells.append(", ".join(p for p in q.options if p in person.parts))
        elif q.type == "scale":
            assert q.dimension is not None
            cells.append(_answer(rng, survey, q, MEANS[wave][q.dimension], person))
        elif q.type == "number":
            contacts = max(0, round(6 + 5 * person.engage + rng.gauss(0, 3)))
            cells.append(str(contacts) if rng.random() > 0.1 else "")
        elif q.type == "text":
            cells.append(person.story if q.id == "story" else person.change)
        elif q.type == "consent":
            cells.append(person.consent)
        else:
            cells.append("")
    return cells


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def make(survey: Survey, seed: int = 2026) -> tuple[str, str]:
    """The current wave's and the baseline's CSV text."""
    rng = random.Random(seed)
    people = _people(rng, 125, 119)
    for p in people:
        k = max(1, min(len(TAKE_PART), round(2 + p.engage * 2 + rng.gauss(0, 1))))
        p.parts = rng.sample(TAKE_PART, k)
    stories = STORIES[:]
    changes = CHANGES[:]
    rng.shuffle(stories)
    rng.shuffle(changes)
    for i, p in enumerate(people):
        if rng.random() < 0.7:
            p.story = stories[i % len(stories)]
        if rng.random() < 0.55:
            p.change = changes[i % len(changes)]
    header = ["Timestamp", "Email address"] + [q.text for q in survey.questions]

    current = people[:119]
    rows = [_row(rng, survey, p, "current", 2026, i) for i, p in enumerate(current)]
    # someone sent the form twice: the earlier copy, a few days before, is a duplicate
    again = _row(rng, survey, current[17], "current", 2026, 2)
    rows.insert(3, again)
    # an empty submission (the form was opened and sent without answers)
    empty = [_timestamp(rng, 2026, 60), "blank.sender@example.org"] + [""] * len(survey.questions)
    rows.insert(61, empty)

    # the baseline: most current members (with the same codes), a few who left, and some
    # who joined since are absent from it
    base_people = [p for p in people[:119] if p.time != "Less than a year" and rng.random() < 0.85]
    base_people += people[119:]
    base_rows = [_row(rng, survey, p, "baseline", 2025, i) for i, p in enumerate(base_people)]
    return _csv(header, rows), _csv(header, base_rows)


def main() -> None:
    survey = load_survey(TEMPLATE)
    current, baseline = make(survey)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "network-health-responses.csv").write_bytes(current.encode("utf-8"))
    (OUT / "network-health-baseline.csv").write_bytes(baseline.encode("utf-8"))
    print(f"wrote {OUT / 'network-health-responses.csv'}", file=sys.stderr)
    print(f"wrote {OUT / 'network-health-baseline.csv'}", file=sys.stderr)


if __name__ == "__main__":
    main()
