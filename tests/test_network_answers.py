"""Network answers that could be read two ways, and members who answered more than once.

A checkbox answer is the ticked names joined by the tool's separator (Google Forms ", "),
so a roster where one name is other names joined by it, or two names that are one once
punctuation is ignored, would let an answer mean two things: ``check`` refuses them, and
a cell that still reads two ways is an error naming file, row and column.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relimpact.common.names import alike_members, joined_from_others
from relimpact.read.answers import AMBIGUOUS, Roster

HEADER = '"Timestamp","Which member are you?","Who have you worked with?","I know people."\n'


def survey_text(members: list[str], convenors: tuple[str, ...] = ()) -> str:
    roster = "".join(f"    - {json.dumps(m)}\n" for m in members)
    conv = "".join(f"    - {json.dumps(m)}\n" for m in convenors)
    return (
        "relimpact: 1\nid: t\ntitle: T\nmin_group_size: 5\nnetwork_map:\n  members:\n"
        f"{roster}  convenors:{' []' if not convenors else ''}\n{conv}"
        "scales:\n  a5:\n    points: {1: Strongly disagree, 2: Disagree, 3: Neutral, "
        "4: Agree, 5: Strongly agree}\n    favourable_from: 4\n"
        "dimensions:\n  the_net: {label: The net}\n"
        "questions:\n"
        "  - id: me\n    type: member\n    text: Which member are you?\n"
        "  - id: ties\n    type: connections\n    text: Who have you worked with?\n"
        "  - id: q1\n    type: scale\n    scale: a5\n    dimension: the_net\n"
        "    text: I know people.\n"
    )


def write(tmp_path: Path, members: list[str], rows: list[tuple[str, ...]], **kw) -> tuple:
    survey = tmp_path / "s.yaml"
    survey.write_text(survey_text(members, **kw), encoding="utf-8")
    csv = tmp_path / "r.csv"
    body = "".join(",".join(f'"{c}"' for c in row) + "\n" for row in rows)
    csv.write_text(HEADER + body, encoding="utf-8")
    return survey, csv


# --- the roster ---------------------------------------------------------------------------


def test_a_name_that_is_other_names_joined_is_found() -> None:
    roster = ["Smith", "Jones & Co", "Smith, Jones & Co", "Org D"]
    assert joined_from_others(roster) == [(2, ",", (0, 1))]
    assert joined_from_others(["A; B", "A", "B"]) == [(0, ";", (1, 2))]
    # a comma inside a name is fine when its parts are not members
    assert joined_from_others(["Gatherings, meetings and calls", "Gatherings"]) == []
    # the space is no tool's separator for names: "North East" beside North and East is fine
    assert joined_from_others(["North", "East", "North East"]) == []


def test_names_that_are_one_once_punctuation_is_ignored_are_found() -> None:
    assert alike_members(["St. Mary's", "St Mary's", "Org C"]) == [(0, 1)]
    assert alike_members(["Café", "Cafe"]) == [(0, 1)]
    assert alike_members(["Org A", "Org B", "St Mary's"]) == []


def test_check_refuses_a_joined_name_naming_every_line(cli, tmp_path: Path) -> None:
    survey, _ = write(tmp_path, ["Smith", "Jones & Co", "Smith, Jones & Co", "Org D"], [])
    r = cli("check", survey)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {survey}:9: network_map.members[2]: 'Smith, Jones & Co' is also the members "
        f"'Smith' (members[0], {survey}:7) and 'Jones & Co' (members[1], {survey}:8) joined "
        "by ',', as a survey tool joins the names ticked: an answer 'Smith, Jones & Co' "
        "could mean one member or 2 members. Rename one of them, for example without the "
        "',' in 'Smith, Jones & Co'.\n"
    )


def test_check_refuses_names_that_differ_only_in_punctuation(cli, tmp_path: Path) -> None:
    survey, _ = write(tmp_path, ["St. Mary's", "St Mary's", "Org C"], [])
    r = cli("check", survey)
    assert r.returncode == 1
    assert r.stderr == (
        f"Error: {survey}:8: network_map.members[1]: 'St Mary's' and 'St. Mary's' "
        f"(members[0], {survey}:7) are one name once case, spacing and punctuation are "
        "ignored; an answer could mean either member. Make the two names different in "
        "words, or list the member once.\n"
    )


# --- the cells ----------------------------------------------------------------------------


def test_a_cell_read_two_ways_is_flagged_and_plain_cells_are_not() -> None:
    roster = Roster(["X, Y", "Z", "X", "Y, Z", "Org E"])
    convert = roster.connections_converter()
    assert convert["X, Y, Z"] == (AMBIGUOUS, 0)
    assert roster.ambiguous("X, Y, Z") == [frozenset({"X", "Y, Z"}), frozenset({"X, Y", "Z"})]
    assert convert["X, Y"] == (("X, Y",), 0) and convert["Z, Org E"] == (("Z", "Org E"), 0)
    assert convert["X; Z"] == (("X", "Z"), 0)


def test_two_names_joined_are_never_taken_for_one_through_its_xml_name() -> None:
    roster = Roster(["North", "East", "North East"])
    convert = roster.connections_converter()
    assert convert["North, East"] == (("North", "East"), 0)
    assert convert["North East"] == (("North East",), 0)
    assert convert["north_east"] == (("North East",), 0)  # a Kobo XML value
    # a name that holds a comma is still found with other spacing
    assert Roster(["Smith, Jones & Co", "Org B"]).find("Smith,Jones & Co") == "Smith, Jones & Co"


def test_score_refuses_a_cell_read_two_ways_naming_file_row_column(cli, tmp_path) -> None:
    members = ["X, Y", "Z", "X", "Y, Z", "Org E", "Org F"]
    rows = [
        ("2026/05/10 1:00:00 PM GMT+1", "Org E", "X, Y, Z", "Agree"),
        ("2026/05/10 2:00:00 PM GMT+1", "Org F", "X, Y", "Agree"),
    ]
    survey, csv = write(tmp_path, members, rows)
    assert cli("check", survey).returncode == 0
    r = cli("score", survey, csv, "--format", "json")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr == (
        f"Error: {csv}, column \"Who have you worked with?\": 'X, Y, Z' in question 'ties' "
        "can be read as 'X' and 'Y, Z' or as 'X, Y' and 'Z'; 1 row holds it (row 2). The "
        "tool joins the names ticked with a separator that is also inside a member's name: "
        "rename those members in network_map.members so that no joined answer can be read "
        "two ways, then collect the answers again.\n"
    )


@pytest.fixture
def cli():
    from tests.conftest import run_cli

    return run_cli


# --- one submission per member ----------------------------------------------------------

ROSTER_AJ = [f"Org {c}" for c in "ABCDEFGHIJ"]


def test_only_the_latest_submission_of_each_member_is_kept(tmp_path: Path) -> None:
    from relimpact.read.reading import read_responses
    from relimpact.survey.load import load_survey

    rows = [
        ("2026/05/10 1:00:00 PM GMT+1", "Org A", "Org B", "Agree"),
        # Org B's second answer (5 PM) takes back Org A and names Org G; the file is not
        # in time order, so the latest is found by time, not by row
        ("2026/05/10 5:00:00 PM GMT+1", "Org B", "Org G", "Disagree"),
        ("2026/05/10 4:00:00 PM GMT+1", "Org B", "Org A", "Agree"),
        ("2026/05/10 6:00:00 PM GMT+1", "Org C", "", "Agree"),
    ]
    survey, csv = write(tmp_path, ROSTER_AJ, rows)
    rs = read_responses(load_survey(survey), [csv])
    assert rs.member["me"] == ("Org A", "Org B", "Org C")
    assert rs.connections["ties"] == (("Org B",), ("Org G",), ())
    assert (
        "Question 'me': removed 1 earlier submission of 1 member who answered more than once "
        "(kept the latest of each, so a link taken back in a later answer no longer counts)."
    ) in rs.warnings


def test_without_readable_times_the_later_row_is_kept(tmp_path: Path) -> None:
    from relimpact.read.reading import read_responses
    from relimpact.survey.load import load_survey

    rows = [("", "Org B", "Org A", "Agree"), ("", "Org B", "Org G", "Agree")]
    survey, csv = write(tmp_path, ROSTER_AJ, rows)
    rs = read_responses(load_survey(survey), [csv])
    assert rs.connections["ties"] == (("Org G",),)


def test_rows_naming_links_but_no_member_are_warned_of(cli, tmp_path: Path) -> None:
    rows = [
        ("2026/05/10 1:00:00 PM GMT+1", "Org A", "Org B", "Agree"),
        ("2026/05/10 2:00:00 PM GMT+1", "", "Org E, Org F", "Agree"),
        ("2026/05/10 3:00:00 PM GMT+1", "", "", "Agree"),  # names nobody: loses nothing
        ("2026/05/10 4:00:00 PM GMT+1", "Org B", "Org A", "Agree"),
    ]
    survey, csv = write(tmp_path, ROSTER_AJ, rows)
    r = cli("score", survey, csv, "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["network"]["ties"] == 2
    assert (
        "Question 'me': 1 row names links but no member of the roster as its own (left "
        "blank, or a name not on the list), so those links are left out of the network map."
    ) in data["warnings"]
    assert not any("earlier submission" in w for w in data["warnings"])


def test_a_convenor_check_accepts_in_another_case_is_found_by_score(tmp_path: Path) -> None:
    from relimpact.survey.load import load_survey

    lower = tmp_path / "lower"
    exact = tmp_path / "exact"
    lower.mkdir()
    exact.mkdir()
    a, _ = write(lower, ROSTER_AJ, [], convenors=("org  a",))
    b, _ = write(exact, ROSTER_AJ, [], convenors=("Org A",))
    assert load_survey(a).network_map == load_survey(b).network_map
    assert load_survey(a).network_map.convenors == ("Org A",)
