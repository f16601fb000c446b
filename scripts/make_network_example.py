"""Generate the example export for the network-map template, deterministically.

    python scripts/make_network_example.py     # writes surveys/examples/network-map-*.csv

Everything is made up: the twelve members are the roster in surveys/network-map.yaml and
who works with whom is written out below (``CURRENT`` and ``BASELINE``), so the figures in
tests/test_network_end_to_end.py can be worked out by hand. The other answers come from a
seeded random generator.

The files are laid out exactly as a Google Forms "Responses" CSV download: every field
quoted, a ``Timestamp`` like ``2026/05/12 9:12:05 AM GMT+1``, one column per question
headed with its text, the agree/disagree statements as one grid ("TITLE [statement]"),
and the checkboxes of "Which members have you worked with" joined with ", " in the form's
order - so "Smith, Jones & Co" and "Bramble Hill Allotment, Kitchen and Café" arrive with
their commas mixed into the separators. One member ticked "Other" and typed a name that is
not on the roster (Google Forms puts it last); relimpact leaves it out with a warning.

Three waves: ``network-map-responses.csv`` (May 2026: 10 of the 12 members answered),
``network-map-baseline.csv`` (May 2025: 8 of 12, and a sparser network, with five members
on their own) and ``network-map-2024.csv`` (May 2024, the first survey: 7 of 12, nearly
every link through the convenor), for the trend: ``--wave 2024=network-map-2024.csv
--wave 2025=network-map-baseline.csv``.
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
from relimpact.survey.model import Question, Survey  # noqa: E402

OUT = ROOT / "surveys" / "examples"
TEMPLATE = ROOT / "surveys" / "network-map.yaml"
GRID = "How much do you agree with each statement?"

LOOMWORKS = "Loomworks Network Team"  # the convenor
HOLLOWBROOK = "Hollowbrook Neighbours Together"
SMITH_JONES = "Smith, Jones & Co"
ASHGROVE = "Ashgrove Food Share"
LANTERN = "Lantern Street Youth Project"
TANNERS = "Tanner's Yard Shed Collective"
HARBOURSIDE = "Harbourside Carers' Circle"
OKAFOR_REID = "Okafor, Reid and Partners"
WEAVERS = "The Weavers' Table"
NORTHFOLD = "Northfold Lived Experience Panel"
BRAMBLE = "Bramble Hill Allotment, Kitchen and Café"
COPPERLEAF = "Copperleaf Arts"
OFF_ROSTER = "Riverside Library"  # typed into "Other": not a member

KIND = {
    LOOMWORKS: "Charity or social enterprise",
    HOLLOWBROOK: "Community group",
    SMITH_JONES: "Business",
    ASHGROVE: "Community group",
    LANTERN: "Charity or social enterprise",
    TANNERS: "Community group",
    HARBOURSIDE: "Community group",
    OKAFOR_REID: "Business",
    WEAVERS: "Community group",
    NORTHFOLD: "Community group",
    BRAMBLE: "Charity or social enterprise",
    COPPERLEAF: "Charity or social enterprise",
}

# May we show your name on the map? Only these say yes this year; a blank is not a yes.
NAME_OK = {
    LOOMWORKS: "Yes",
    HOLLOWBROOK: "Yes",
    ASHGROVE: "Yes",
    LANTERN: "No",
    HARBOURSIDE: "No",
    OKAFOR_REID: "",
    WEAVERS: "Yes",
    NORTHFOLD: "No",
    BRAMBLE: "Yes",
    COPPERLEAF: "",
}

# May we quote what you wrote? A separate question from being named: some say yes to one
# and no to the other.
QUOTE_OK = {
    LOOMWORKS: "Yes",
    HOLLOWBROOK: "Yes",
    ASHGROVE: "No",
    LANTERN: "Yes",
    HARBOURSIDE: "Yes",
    OKAFOR_REID: "Yes",
    WEAVERS: "",
    NORTHFOLD: "Yes",
    BRAMBLE: "Yes",
    COPPERLEAF: "No",
}

# What they wrote (this wave only). Some mention other members by name: the reports
# scrub them, because the roster is known.
STORY = {
    HOLLOWBROOK: "We ran a summer holiday club with Lantern Street Youth Project and fed "
    "forty children every day.",
    LANTERN: "Copperleaf Arts helped our young people paint the mural on the railway bridge.",
    HARBOURSIDE: "The carers' circle and the lived experience panel wrote a joint response "
    "to the council's consultation.",
    OKAFOR_REID: "We gave free advice sessions on leases to three community groups in the network.",
    NORTHFOLD: "Being in the network meant the council listened to our panel for the first time.",
    BRAMBLE: "Our kitchen now cooks with surplus food from Ashgrove Food Share twice a week.",
    LOOMWORKS: "Members started meeting without us, which is exactly what we hoped for.",
    ASHGROVE: "Private: we nearly closed this year and only the network knows.",
}

# Who named whom, in the order the members sent the form. Smith, Jones & Co and Tanner's
# Yard did not answer this year, but others named them. Without the convenor the network
# splits three ways: the community groups with Bramble Hill and Copperleaf; Harbourside
# with Northfold; Okafor, Reid with Smith, Jones.
CURRENT: list[tuple[str, list[str]]] = [
    (HOLLOWBROOK, [LOOMWORKS, ASHGROVE, LANTERN, WEAVERS, OFF_ROSTER]),
    (LOOMWORKS, [HOLLOWBROOK, SMITH_JONES, ASHGROVE, HARBOURSIDE, NORTHFOLD, BRAMBLE, COPPERLEAF]),
    (ASHGROVE, [LOOMWORKS, HOLLOWBROOK, TANNERS, BRAMBLE]),
    (LANTERN, [LOOMWORKS, HOLLOWBROOK, COPPERLEAF]),
    (HARBOURSIDE, [LOOMWORKS, NORTHFOLD]),
    (OKAFOR_REID, [SMITH_JONES]),
    (WEAVERS, [HOLLOWBROOK, TANNERS]),
    (NORTHFOLD, [LOOMWORKS, HARBOURSIDE]),
    (BRAMBLE, [LOOMWORKS, ASHGROVE]),
    (COPPERLEAF, [LOOMWORKS, LANTERN]),
]

# A year earlier: 8 answered; most links ran through the convenor; Copperleaf named nobody.
BASELINE: list[tuple[str, list[str]]] = [
    (LOOMWORKS, [HOLLOWBROOK, ASHGROVE, HARBOURSIDE, NORTHFOLD, BRAMBLE]),
    (ASHGROVE, [LOOMWORKS, HOLLOWBROOK]),
    (HOLLOWBROOK, [LOOMWORKS, ASHGROVE]),
    (LANTERN, [LOOMWORKS]),
    (NORTHFOLD, [HARBOURSIDE]),
    (HARBOURSIDE, [LOOMWORKS]),
    (BRAMBLE, [LOOMWORKS]),
    (COPPERLEAF, []),
]

# Two years earlier (the first survey): 7 answered, nearly every link ran through the
# convenor, and Lantern Street and Northfold named nobody.
EARLIEST: list[tuple[str, list[str]]] = [
    (LOOMWORKS, [HOLLOWBROOK, ASHGROVE, HARBOURSIDE, BRAMBLE]),
    (ASHGROVE, [LOOMWORKS]),
    (HOLLOWBROOK, [LOOMWORKS]),
    (LANTERN, []),
    (HARBOURSIDE, [LOOMWORKS]),
    (BRAMBLE, [LOOMWORKS]),
    (NORTHFOLD, []),
]

# Mean answer on each dimension, per wave: the net grew; members still lean on the convenor.
MEANS = {
    "current": {"the_net": 4.0, "end_in_mind": 2.9},
    "baseline": {"the_net": 3.4, "end_in_mind": 2.6},
    "earliest": {"the_net": 2.9, "end_in_mind": 2.3},
}


def _answer(rng: random.Random, survey: Survey, q: Question, mean: float, warmth: float) -> str:
    scale = survey.scale_of(q)
    if rng.random() < 0.04:
        return ""
    if scale.not_applicable and rng.random() < 0.05:
        return scale.not_applicable[0]
    value = mean + warmth + rng.gauss(0.0, 0.6)
    point = min(scale.max_value, max(scale.min_value, round(value)))
    if q.reverse:
        point = int(scale.reverse(point))
    return scale.label(point)


def _timestamp(rng: random.Random, year: int, i: int) -> str:
    day = 11 + i
    hour = rng.randrange(8, 21)
    minute, second = rng.randrange(60), rng.randrange(60)
    h12 = hour % 12 or 12
    ampm = "AM" if hour < 12 else "PM"
    return f"{year}/05/{day:02d} {h12}:{minute:02d}:{second:02d} {ampm} GMT+1"


def _header(survey: Survey) -> list[str]:
    cells = ["Timestamp"]
    for q in survey.questions:
        cells.append(f"{GRID} [{q.text}]" if q.group == "map_grid" else q.text)
    return cells


def _rows(
    rng: random.Random,
    survey: Survey,
    answers: list[tuple[str, list[str]]],
    wave: str,
    year: int,
) -> list[list[str]]:
    roster = survey.network_map.members if survey.network_map else ()
    rows = []
    for i, (who, named) in enumerate(answers):
        warmth = rng.gauss(0.0, 0.4)
        cells = [_timestamp(rng, year, i)]
        for q in survey.questions:
            if q.type == "member":
                cells.append(who)
            elif q.type == "choice":
                cells.append(KIND[who])
            elif q.type == "connections":
                ticked = [m for m in roster if m in named]  # the form's order
                ticked += [m for m in named if m not in roster]  # "Other" comes last
                cells.append(", ".join(ticked))
            elif q.type == "scale":
                assert q.dimension is not None
                cells.append(_answer(rng, survey, q, MEANS[wave][q.dimension], warmth))
            elif q.type == "consent":
                cells.append((NAME_OK if q.consent == "name" else QUOTE_OK).get(who, ""))
            elif q.type == "text" and wave == "current":
                cells.append(STORY.get(who, ""))
            else:
                cells.append("")
        rows.append(cells)
    return rows


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def make(survey: Survey, seed: int = 2026) -> tuple[str, str]:
    """The current wave's and the baseline's CSV text."""
    rng = random.Random(seed)
    header = _header(survey)
    current = _rows(rng, survey, CURRENT, "current", 2026)
    baseline = _rows(rng, survey, BASELINE, "baseline", 2025)
    return _csv(header, current), _csv(header, baseline)


def make_earliest(survey: Survey, seed: int = 2024) -> str:
    """The first wave's CSV text (May 2024), for the three-wave trend example; its own
    generator, so that the two later waves' files stay as they were."""
    rng = random.Random(seed)
    return _csv(_header(survey), _rows(rng, survey, EARLIEST, "earliest", 2024))


def main() -> None:
    survey = load_survey(TEMPLATE)
    current, baseline = make(survey)
    OUT.mkdir(parents=True, exist_ok=True)
    files = {
        "network-map-responses.csv": current,
        "network-map-baseline.csv": baseline,
        "network-map-2024.csv": make_earliest(survey),
    }
    for name, text in files.items():
        (OUT / name).write_bytes(text.encode("utf-8"))
        print(f"wrote {OUT / name}", file=sys.stderr)


if __name__ == "__main__":
    main()
