"""The leak test (issue 12): personal data planted in every field an export can carry
never reaches any output of any command, in any format.

Planted: emails (plain and obfuscated), phone numbers (two in a row, glued to a word),
UK postcodes, IPv4 and IPv6 addresses, member codes and people's names, in the personal
columns an export carries (name, email, IP, phone, location, recipient fields), the
respondent key, a column no question matches, an "Other" write-in, a free-text answer that
is not for quoting, the answers of people who did not consent, and a consented quote.
Every command is run as a user would run it (a fresh process), and its standard output,
standard error and every file it writes are searched, as written, with HTML entities
decoded and with Markdown's escapes removed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

SURVEY = """\
relimpact: 1
id: leak
title: Leak test
min_group_size: 5
scales:
  agree5:
    points: {1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}
dimensions:
  lead: {label: Leadership, enabler: true}
questions:
  - {id: a1, text: The convenors listen, scale: agree5, dimension: lead}
  - {id: a2, text: Decisions are shared, scale: agree5, dimension: lead}
  - id: role
    type: choice
    text: Your role
    options: [Member, Staff]
    other: true
    segment: true
  - {id: code, type: respondent, text: Member code}
  - {id: story, type: text, text: Tell us a story, quotable: true}
  - {id: private, type: text, text: Anything for the convenors only}
  - {id: ok, type: consent, text: May we quote you}
"""

HEADER = (
    "Timestamp,Name,First name,Email Address,IP Address,Phone,Location,RecipientLastName,"
    "Member code,The convenors listen,Decisions are shared,Your role,Tell us a story,"
    "Anything for the convenors only,May we quote you,Notes from staff"
)

# Each respondent's personal columns: name, first name, email, IP, phone, location, last name
PEOPLE = [
    ("Zelda Quince", "Zelda", "zelda.quince@example.org", "203.0.113.77", "07700 900461",
     "51.5072,-0.1276", "Quince"),
    ("Barnaby Thistlewood", "Barnaby", "b.thistlewood@example.net", "2001:db8::77",
     "+44 20 7946 0321", "SW1A 2AA", "Thistlewood"),
    ("Ottoline Marchbank", "Ottoline", "otto@example.co.uk", "198.51.100.23", "07700900462",
     "M60 1QD", "Marchbank"),
    ("Peregrine Fawcett", "Peregrine", "pf@example.org", "192.0.2.99", "07700 900463",
     "EC1A 1BB", "Fawcett"),
    ("Clementine Ashdown", "Clementine", "c.ashdown@example.org", "2001:db8:85a3::8a2e:370:7334",
     "07700 900464", "B33 8TH", "Ashdown"),
    ("Ignatius Pembury", "Ignatius", "ig@example.org", "203.0.113.5", "07700 900465",
     "CR2 6XH", "Pembury"),
    ("Wilhelmina Crabtree", "Wilhelmina", "wc@example.org", "198.51.100.7", "07700 900466",
     "DN55 1PT", "Crabtree"),
    ("Leopold Huxtable", "Leopold", "lh@example.org", "192.0.2.14", "07700 900467",
     "W1A 0AX", "Huxtable"),
]  # fmt: skip

STORIES = [  # consented: quoted only once scrubbed
    "Zelda Quince (zelda.quince@example.org, 07700 900461 07700 900999) lives near SW1A 2AA "
    "and the network found her group a hall for the winter.",
    "I'm Clive and my code is MC-90002; ring me on call07700900468 about the garden project "
    "we started together last spring.",
    "Write to barnaby at thistlewood dot net or b&#64;thistlewood.net; the network helped "
    "us share a van with another member this year.",
    "My laptop was 203.0.113.77 and then 2001:db8::77 but the network meetings in M60 1QD "
    "are where I met my mentor.",
    "Sarah-Jane Smith and Ottoline Marchbank introduced me to four people at my first "
    "gathering; ask ignatius pembury too, he knows the history of the place.",
    "Peregrine helped us, see ![x](//tracker.example.com/p.png) and [site](https://evil.test) "
    "for the photos of the fair we ran.",
    "Ask the convenors, they know the history of the place and the people who built it.",
    "Our food bank shares a van with another member now, which saves us a lot of money.",
]
CODES = [f"MC-9000{i}" for i in range(1, 9)]
SECRET_PRIVATE = "Private note from Leopold Huxtable 07700 900467 at W1A 0AX about MC-90008."
WRITE_IN = "Freelance, ask Zelda Quince on 07700 900461"  # an "Other" write-in

# Tokens that must appear nowhere (case-insensitive).
SECRETS = (
    "zelda", "quince", "barnaby", "thistlewood", "ottoline", "marchbank", "peregrine",
    "fawcett", "clementine", "ashdown", "ignatius", "pembury", "wilhelmina", "crabtree",
    "leopold", "huxtable", "clive", "sarah-jane",
    "example.org", "example.net", "example.co.uk", "thistlewood.net",
    "07700", "900461", "7946", "0321",
    "sw1a", "m60 1qd", "ec1a", "b33 8th", "cr2 6xh", "dn55", "w1a 0ax",
    "203.0.113", "198.51.100", "192.0.2", "2001:db8", "8a2e",
    "mc-9000", "90002", "51.5072",
    "tracker.example.com", "evil.test", "freelance",
)  # fmt: skip


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _export(before: bool = False) -> str:
    lines = [HEADER]
    for i, person in enumerate(PEOPLE):
        role = WRITE_IN if i == 7 else ("Member" if i < 6 else "Staff")
        consent = "Yes" if i != 6 else "No"
        story = STORIES[i] if i != 6 else "Not for quoting: Wilhelmina Crabtree, MC-90007."
        cells = [
            f"{2025 if before else 2026}/05/{11 + i:02d} 10:00:00 AM GMT+1",
            *person[:6],
            person[6],
            CODES[i],
            "Disagree" if before else "Agree",
            "Strongly agree" if i % 2 else "Agree",
            role,
            story,
            SECRET_PRIVATE,
            consent,
            f"staff: {person[0]} {person[2]} {person[4]}",
        ]
        lines.append(",".join(_csv_cell(c) for c in cells))
    return "\n".join(lines) + "\n"


def _views(text: str) -> list[str]:
    """The text as written, with entities decoded, and with Markdown escapes removed."""
    decoded = html.unescape(text)
    return [text.casefold(), decoded.casefold(), decoded.replace("\\", "").casefold()]


def _assert_clean(what: str, text: str) -> None:
    for view in _views(text):
        for secret in SECRETS:
            assert secret not in view, f"{what}: {secret!r} leaked"
    if what.endswith(".md"):  # HTML shows Markdown as text; Markdown must not act on it
        assert not re.search(r"!\[[^\]]*\]\(", text), f"{what}: a Markdown image"
        assert not re.search(r"\]\((?!#)", text), f"{what}: a Markdown link"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("leak")
    survey = folder / "survey.yaml"
    survey.write_text(SURVEY, encoding="utf-8")
    responses = folder / "responses.csv"
    responses.write_text(_export(), encoding="utf-8")
    baseline = folder / "baseline.csv"
    baseline.write_text(_export(before=True), encoding="utf-8")
    return survey, responses, baseline


RUNS = [
    ("score-table", ["score", "{s}", "{r}", "--by", "role"], None),
    ("score-json", ["score", "{s}", "{r}", "--format", "json", "-o", "{o}"], "scores.json"),
    ("score-csv", ["score", "{s}", "{r}", "--format", "csv", "-o", "{o}"], "scores.csv"),
    ("score-baseline", ["score", "{s}", "{r}", "--baseline", "{b}", "--format", "json"], None),
    ("score-by-file", ["score", "{s}", "{r}", "{b}", "--group-by-file", "--format", "json"], None),
    ("funder-html", ["report", "{s}", "{r}", "--audience", "funder", "-o", "{o}"], "f.html"),
    ("funder-md", ["report", "{s}", "{r}", "--audience", "funder", "-o", "{o}"], "f.md"),
    ("members-html", ["report", "{s}", "{r}", "--audience", "members", "-o", "{o}"], "m.html"),
    ("members-md", ["report", "{s}", "{r}", "--audience", "members", "-o", "{o}"], "m.md"),
    (
        "funder-baseline-md",
        ["report", "{s}", "{r}", "--baseline", "{b}", "--audience", "funder", "-o", "{o}"],
        "fb.md",
    ),
    ("inspect-table", ["inspect", "{s}", "{r}"], None),
    ("inspect-json", ["inspect", "{s}", "{r}", "--format", "json"], None),
    ("build-xlsform", ["build", "{s}", "--to", "xlsform", "-o", "{o}"], "form.xlsx"),
    ("build-html", ["build", "{s}", "--to", "html"], None),
    ("build-md", ["build", "{s}", "--to", "md"], None),
    ("build-csv", ["build", "{s}", "--to", "csv"], None),
    ("build-google-forms", ["build", "{s}", "--to", "google-forms", "-o", "{o}"], "form.gs"),
    ("build-qualtrics", ["build", "{s}", "--to", "qualtrics", "-o", "{o}"], "q.txt"),
    ("build-limesurvey", ["build", "{s}", "--to", "limesurvey"], None),
    ("build-redcap", ["build", "{s}", "--to", "redcap", "-o", "{o}"], "dictionary.csv"),
    ("build-msforms", ["build", "{s}", "--to", "msforms", "-o", "{o}"], "form.docx"),
]


@pytest.mark.parametrize(("name", "args", "out"), RUNS, ids=[r[0] for r in RUNS])
def test_nothing_planted_reaches_any_output(cli, planted, tmp_path, name, args, out) -> None:
    survey, responses, baseline = planted
    target = tmp_path / out if out else None
    real = [a.format(s=survey, r=responses, b=baseline, o=target) if "{" in a else a for a in args]
    r = cli(*real)
    assert r.returncode == 0, r.stderr
    _assert_clean(f"{name} stdout", r.stdout)
    _assert_clean(f"{name} stderr", r.stderr)
    if target is not None:
        if target.suffix in (".xlsx", ".docx"):
            import zipfile

            with zipfile.ZipFile(target) as z:
                text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            text = target.read_text(encoding="utf-8")
        _assert_clean(f"{name} {target.name}", text)
    assert responses.read_text(encoding="utf-8") == _export()  # the input is never modified


def test_the_consented_quotes_are_there_scrubbed(cli, planted, tmp_path) -> None:
    """The leak test would pass on a report that quotes nobody; this one checks that the
    quotes are chosen, with their placeholders, and that the report shows some."""
    from relimpact import load_survey, read_responses
    from relimpact.report.quotes import select_quotes
    from relimpact.scoring.engine import score

    survey, responses, _ = planted
    rs = read_responses(load_survey(survey), [responses])
    texts = " ".join(q.text for q in select_quotes(score(rs), rs).quotes)
    for placeholder in ("[name]", "[email]", "[phone]", "[postcode]", "[ip]", "[code]", "[link]"):
        assert placeholder in texts, placeholder
    out = tmp_path / "m.md"
    r = cli("report", survey, responses, "--audience", "members", "-o", out)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8").replace("\\", "")
    assert "In your own words" in text and "[name]" in text


# --------------------------------------------------------------------------- the map export

# The same people as members of a network: their names are the roster, so a pseudonymised
# export must hold none of them (and none of the planted personal data either).
ROSTER = [p[0] for p in PEOPLE]
NETWORK_SURVEY = (
    SURVEY.replace("{id: ok, type: consent,", "{id: ok, type: consent, consent: quote,")
    + """\
  - {id: who, type: member, text: Which member are you}
  - {id: links, type: connections, text: Who have you worked with}
  - {id: named, type: consent, consent: name, text: May we name you on the map}
network_map:
  members:
"""
    + "".join(f"    - {name}\n" for name in ROSTER)
    + f"  convenors: [{ROSTER[0]}]\n"
)
NAMED = {ROSTER[1], ROSTER[4]}  # said yes to being named


def _network_export(year: int) -> str:
    lines = [HEADER + ",Which member are you,Who have you worked with,May we name you on the map"]
    rows = _export(before=year == 2025).splitlines()[1:]
    for i, row in enumerate(rows):
        named = ", ".join(ROSTER[j] for j in range(len(ROSTER)) if j != i and (i + j + year) % 3)
        ok = "Yes" if ROSTER[i] in NAMED else "No"
        lines.append(row + "," + ",".join(_csv_cell(c) for c in (ROSTER[i], named, ok)))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def planted_network(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("leak-network")
    survey = folder / "survey.yaml"
    survey.write_text(NETWORK_SURVEY, encoding="utf-8")
    now, then = folder / "2026.csv", folder / "2025.csv"
    now.write_text(_network_export(2026), encoding="utf-8")
    then.write_text(_network_export(2025), encoding="utf-8")
    return survey, now, then


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "kumu"])
@pytest.mark.parametrize("show_names", [False, True], ids=["pseudonyms", "show-names"])
def test_the_map_export_leaks_nothing(cli, planted_network, tmp_path, fmt, show_names) -> None:
    survey, now, then = planted_network
    out = tmp_path / f"map.{fmt}"
    extra = ["--show-names"] if show_names else []
    r = cli("network", survey, now, "--wave", f"2025={then}", "--to", fmt, "-o", out, *extra)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    hidden = set(ROSTER) - (NAMED if show_names else set())
    shown = {part for name in set(ROSTER) - hidden for part in name.casefold().split()}
    secrets = [x for x in SECRETS if not any(x in part or part in x for part in shown)]
    for what, content in (("stdout", r.stdout), ("stderr", r.stderr), (out.name, text)):
        for view in _views(content):
            for secret in secrets:
                assert secret not in view, f"network {fmt} {what}: {secret!r} leaked"
            for name in hidden:
                for part in name.casefold().split():
                    assert part not in view, f"network {fmt} {what}: {name!r} leaked"
    if show_names:
        assert all(name in html.unescape(text) for name in NAMED)
    assert now.read_text(encoding="utf-8") == _network_export(2026)


WEAVE_SURVEY = """\
relimpact: 1
id: leak-net
title: Leak test, network
min_group_size: 3
network_map:
  members: [Hub Office, Alder Group, Birch Group, Cedar Group, Zelda Quince, Barnaby Thistlewood,
            Ottoline Marchbank]
  convenors: [Hub Office]
scales:
  agree5:
    points: {1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}
dimensions:
  the_net: {label: The net}
questions:
  - {id: who, type: member, text: Which member are you}
  - {id: with, type: connections, text: Who have you worked with}
  - {id: n1, text: I know other members, scale: agree5, dimension: the_net}
  - {id: kind, type: choice, text: Kind, options: [Group, Person], segment: true}
  - {id: name_ok, type: consent, consent: name, text: May we name you}
"""
WEAVE_ROWS = [  # (member, named, consent): the three people never agree to be named
    ("Hub Office", "Alder Group; Birch Group; Cedar Group; Zelda Quince", "Yes"),
    ("Alder Group", "Hub Office; Zelda Quince", "Yes"),
    ("Birch Group", "Hub Office; Barnaby Thistlewood", "Yes"),
    ("Cedar Group", "Zelda Quince; Ottoline Marchbank", "Yes"),
    ("Zelda Quince", "Alder Group; Cedar Group; Barnaby Thistlewood", "No"),
    ("Barnaby Thistlewood", "Birch Group; Ottoline Marchbank", ""),
    ("Ottoline Marchbank", "Cedar Group", "No"),
]


@pytest.mark.parametrize("suffix", ["csv", "md", "json"])
def test_weave_names_only_members_who_agreed(cli, tmp_path, suffix) -> None:
    survey = tmp_path / "survey.yaml"
    survey.write_text(WEAVE_SURVEY, encoding="utf-8")
    lines = ["Email Address,Name,IP Address,Which member are you,Who have you worked with,"
             "I know other members,Kind,May we name you"]  # fmt: skip
    for i, (who, named, ok) in enumerate(WEAVE_ROWS):
        person = PEOPLE[i]
        kind = (
            "Person"
            if who in ("Zelda Quince", "Barnaby Thistlewood", "Ottoline Marchbank")
            else "Group"
        )
        cells = [person[2], person[0], person[3], who, named, "Agree", kind, ok]
        lines.append(",".join(_csv_cell(c) for c in cells))
    responses = tmp_path / "responses.csv"
    responses.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / f"introductions.{suffix}"
    r = cli("weave", survey, responses, "-o", out)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    for what, written in (("stdout", r.stdout), ("stderr", r.stderr), (out.name, text)):
        _assert_clean(f"weave {what}", written)  # no planted name, email or address
    # the list is not empty: Birch and Cedar share no one; Alder and Birch share the hub,
    # Alder and Cedar share Zelda Quince (not named in the reason)
    assert "Alder Group" in text and "Cedar Group" in text
