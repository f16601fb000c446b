"""Answers and labels are never read as one another: a sign before digits is part of the
value, labels made only of punctuation are kept, and a template whose labels, points,
options or missing values could be read two ways is refused where it says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relimpact.common.errors import ResponseError, SurveyError
from relimpact.common.text import code_key, count_of, label_key
from relimpact.read.reading import read_responses
from relimpact.survey.load import load_survey

TWO = """\
relimpact: 1
id: two
title: Two statements
min_group_size: 5
scales:
  agree5:
    points: {1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}
    not_applicable: [Don't know, "-1"]
dimensions:
  d: {label: D}
questions:
  - {id: a, text: Statement A, scale: agree5, dimension: d}
  - {id: b, text: Statement B, scale: agree5, dimension: d}
"""

PLUS_MINUS = """\
relimpact: 1
id: pm
title: Plus minus
scales:
  pm5:
    points: {1: "--", 2: "-", 3: "0", 4: "+", 5: "++"}
dimensions:
  d: {label: D}
questions:
  - {id: a, text: Statement A, scale: pm5, dimension: d}
  - {id: b, text: Statement B, scale: pm5, dimension: d}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SurveyError) as info:
        load_survey(write(tmp_path, "survey.yaml", text))
    where = str(tmp_path / "survey.yaml")
    return [str(p).replace(where, "survey.yaml") for p in info.value.problems]


# --------------------------------------------------------------------------- label_key


@pytest.mark.parametrize(
    "text,key",
    [
        ("-1", "-1"),
        (" (-1) ", "-1"),
        ("+2", "+2"),
        ("\u20131", "-1"),  # an en dash is a hyphen, as everywhere
        ("\u22121", "-1"),  # U+2212 MINUS SIGN is the sign
        ("&minus;1", "-1"),
        ("\u2212 Agree", "agree"),
        (".5", ".5"),
        ("1.", "1"),
        ("1", "1"),
        ("--", "--"),
        (" + + ", "+ +"),
        ("**", "**"),
        ("Agree*", "agree"),
        ("- Agree", "agree"),
        ("\u201cDon\u2019t know\u201d", "don't know"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_label_key_keeps_signs_and_punctuation_only_labels(text: str, key: str) -> None:
    assert label_key(text) == key


def test_code_key_keeps_punctuation_only_codes() -> None:
    assert (code_key("."), code_key(" -- "), code_key("-99"), code_key("N/A")) == (
        ".",
        "--",
        "-99",
        "n/a",
    )


def test_code_key_takes_the_minus_sign_for_the_sign() -> None:
    assert code_key("\u221299") == code_key("-99") == "-99"


# --------------------------------------------------------------------------- reading


def test_a_negative_not_applicable_code_is_not_the_answer_one(tmp_path: Path) -> None:
    survey = load_survey(write(tmp_path, "two.yaml", TWO))
    rows = ["1,1", "1,2", "1,1", "2,2", "3,3", "4,4", "5,5", "-1,4", "5,5", "4,4"]
    path = write(tmp_path, "na.csv", "Statement A,Statement B\n" + "\n".join(rows) + "\n")
    rs = read_responses(survey, [path])
    na = rs.not_applicable["a"].tolist()
    assert na == [False] * 7 + [True, False, False]
    scored = [v for v, x in zip(rs.scale["a"].tolist(), na, strict=True) if not x]
    assert scored == [1, 1, 1, 2, 3, 4, 5, 5, 4]
    assert int(rs.not_applicable["b"].sum()) == 0


def test_a_minus_sign_answer_is_the_not_applicable_code(tmp_path: Path) -> None:
    """``−1`` written with U+2212 MINUS SIGN (a word processor's, or &minus;) is the
    not-applicable ``-1``, and a number answered so is negative; ``1`` is still a point."""
    survey = load_survey(
        write(tmp_path, "two.yaml", TWO + "  - {id: n, type: number, text: How many}\n")
    )
    rows = ["\u22121,1,\u22123", "&minus;1,\u22121,2", "1,5,\u22122.5"]
    path = write(tmp_path, "na.csv", "Statement A,Statement B,How many\n" + "\n".join(rows) + "\n")
    rs = read_responses(survey, [path])
    assert rs.not_applicable["a"].tolist() == [True, True, False]
    assert rs.not_applicable["b"].tolist() == [False, True, False]
    assert rs.scale["a"].tolist()[2] == 1 and rs.number["n"].tolist() == [-3, 2, -2.5]


def test_labels_alike_but_for_the_minus_sign_are_refused(tmp_path: Path) -> None:
    text = TWO.replace("4: Agree, 5: Strongly agree", '4: "-1", 5: "\u22121"')
    text = text.replace('[Don\'t know, "-1"]', "[Don't know]")
    assert problems(tmp_path, text) == [
        "survey.yaml:7: scales.agree5.points[5]: the labels '-1' (point 4, line 7) and "
        "'\u22121' (point 5) are one answer, once case, spacing and surrounding punctuation "
        "are ignored; an answer '\u22121' could mean either point. Give every point a label "
        "of its own."
    ]


def test_a_negative_answer_is_not_a_numeric_label(tmp_path: Path) -> None:
    text = TWO.replace(
        "{1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}",
        '{1: "1", 2: "2", 3: "3", 4: "4", 5: "5"}',
    ).replace('[Don\'t know, "-1"]', "[Don't know]")
    survey = load_survey(write(tmp_path, "s.yaml", text))
    path = write(tmp_path, "r.csv", "Statement A,Statement B\n4,4\n-4,4\n")
    with pytest.raises(ResponseError) as e:
        read_responses(survey, [path])
    assert "'-4' is not a point of scale 'agree5'" in str(e.value)


def test_a_negative_code_never_gives_consent(tmp_path: Path) -> None:
    text = TWO + (
        "  - {id: story, type: text, text: Your story, quotable: true}\n"
        "  - {id: ok, type: consent, text: May we quote you}\n"
    )
    survey = load_survey(write(tmp_path, "s.yaml", text))
    path = write(
        tmp_path,
        "r.csv",
        "Statement A,Statement B,Your story,May we quote you\n4,4,x,1\n4,4,y,-1\n4,4,z,Yes\n",
    )
    assert read_responses(survey, [path]).consent["ok"].tolist() == [1, 0, 1]


def test_punctuation_labels_are_read_as_written(tmp_path: Path) -> None:
    survey = load_survey(write(tmp_path, "pm.yaml", PLUS_MINUS))
    path = write(tmp_path, "pm.csv", "Statement A,Statement B\n--,++\n-,+\n0,0\n+, - \n++,--\n")
    rs = read_responses(survey, [path])
    assert rs.scale["a"].tolist() == [1, 2, 3, 4, 5]
    assert rs.scale["b"].tolist() == [5, 4, 3, 2, 1]


def test_a_punctuation_missing_value_is_a_blank(tmp_path: Path) -> None:
    survey = load_survey(write(tmp_path, "s.yaml", 'missing: ["."]\n' + TWO))
    path = write(tmp_path, "r.csv", "Statement A,Statement B\nAgree,.\n.,Agree\n")
    rs = read_responses(survey, [path])
    assert [x == x for x in rs.scale["a"].tolist()] == [True, False]


def test_the_off_scale_fix_names_not_applicable_in_a_form_that_reads(tmp_path: Path) -> None:
    plain = TWO.replace('[Don\'t know, "-1"]', "[Don't know]")
    survey_path = write(tmp_path, "s.yaml", plain)
    path = write(tmp_path, "r.csv", "Statement A,Statement B\n1,1\n-1,2\n1,-1\n")
    with pytest.raises(ResponseError) as e:
        read_responses(load_survey(survey_path), [path])
    message = str(e.value)
    form = 'not_applicable: ["Don\'t know", "-1"]'
    assert form in message
    assert "it is then counted, never scored" in message
    fixed = write(tmp_path, "s.yaml", plain.replace("not_applicable: [Don't know]", form))
    rs = read_responses(load_survey(fixed), [path])
    assert rs.scale["a"].tolist()[0] == 1 and rs.scale["b"].tolist()[0] == 1
    assert rs.not_applicable["a"].tolist() == [False, True, False]
    assert rs.not_applicable["b"].tolist() == [False, False, True]


def test_a_fraction_off_the_scale_is_not_offered_as_not_applicable(tmp_path: Path) -> None:
    survey_path = write(tmp_path, "s.yaml", TWO)
    path = write(tmp_path, "r.csv", "Statement A,Statement B\n4.5,1\n")
    with pytest.raises(ResponseError) as e:
        read_responses(load_survey(survey_path), [path])
    assert str(e.value).endswith(
        f"Correct the file, or add the point to the scale in {survey_path}."
    )


# --------------------------------------------------------------------------- the template


def test_the_plus_minus_scale_is_valid(tmp_path: Path) -> None:
    survey = load_survey(write(tmp_path, "pm.yaml", PLUS_MINUS))
    assert [lab for _, lab in survey.scales["pm5"].points] == ["--", "-", "0", "+", "++"]


def test_labels_alike_are_refused_naming_both(tmp_path: Path) -> None:
    text = PLUS_MINUS.replace('4: "+", 5: "++"', '4: "Agree", 5: "agree."')
    assert problems(tmp_path, text) == [
        "survey.yaml:6: scales.pm5.points[5]: the labels 'Agree' (point 4, line 6) and 'agree.' "
        "(point 5) are one answer, once case, spacing and surrounding punctuation are "
        "ignored; an answer 'agree.' could mean either point. Give every point a label of "
        "its own."
    ]


def test_a_not_applicable_label_that_is_a_point_number_is_refused(tmp_path: Path) -> None:
    text = TWO.replace('"-1"]', '"1"]')
    assert problems(tmp_path, text) == [
        "survey.yaml:8: scales.agree5.not_applicable: '1' is a not-applicable label and also "
        "the number of point 1; an answer '1' could mean either. The number of a point is "
        "always read as that point: give the not-applicable code exactly as the export "
        "writes it, with its sign ('-1' is not '1'), or remove it."
    ]


def test_a_not_applicable_label_alike_a_point_label_names_both(tmp_path: Path) -> None:
    text = TWO.replace('"-1"]', '"AGREE!"]')
    assert problems(tmp_path, text) == [
        "survey.yaml:8: scales.agree5.not_applicable: 'AGREE!' is both a point label and a "
        "not-applicable label (the label 'Agree' of point 4, once case, spacing and "
        "surrounding punctuation are ignored). A label is either scored or not; remove it "
        "from one of the two."
    ]


def test_a_label_that_is_another_points_number_is_refused(tmp_path: Path) -> None:
    text = PLUS_MINUS.replace('1: "--"', '1: "3"').replace('3: "0"', '3: "zero"')
    assert problems(tmp_path, text) == [
        "survey.yaml:6: scales.pm5.points[1]: '3' is the label of point 1 and also the number "
        "of point 3; an answer '3' could mean either. Label each point with its own number, "
        "or with words."
    ]


def test_numbers_as_their_own_labels_are_fine(tmp_path: Path) -> None:
    text = PLUS_MINUS.replace(
        '{1: "--", 2: "-", 3: "0", 4: "+", 5: "++"}',
        '{-2: "-2", -1: "-1", 0: "0", 1: "+1", 2: "+2"}',
    )
    survey = load_survey(write(tmp_path, "pm.yaml", text))
    path = write(tmp_path, "r.csv", "Statement A,Statement B\n-2,+2\n-1,1\n0,0\n+1,-1\n2,-2\n")
    rs = read_responses(survey, [path])
    assert rs.scale["a"].tolist() == [-2, -1, 0, 1, 2]
    assert rs.scale["b"].tolist() == [2, 1, 0, -1, -2]


def test_two_keys_for_one_point_are_refused(tmp_path: Path) -> None:
    text = PLUS_MINUS.replace('{1: "--", 2: "-",', '{1: "--", "1": "x", 2: "-",')
    assert problems(tmp_path, text) == [
        "survey.yaml:6: scales.pm5.points.1: the points 1 (line 6) and '1' are the same "
        "number, 1; only one of them could count. Keep one of the two lines, with the label "
        "the export writes."
    ]


def test_options_alike_are_refused_naming_both(tmp_path: Path) -> None:
    text = TWO + '  - {id: c, type: choice, text: Pick, options: [Bus, Car, "bus!"]}\n'
    assert problems(tmp_path, text) == [
        "survey.yaml:14: questions[2].options[2]: the options 'Bus' (options[0]) and 'bus!' are "
        "one answer, once case, spacing and surrounding punctuation are ignored; an answer "
        "'bus!' could mean either. Keep one of the two, or make them different in words."
    ]


def test_signed_options_are_two_options(tmp_path: Path) -> None:
    text = TWO + '  - {id: c, type: choice, text: Pick, options: ["-1", "1"]}\n'
    text += 'population:\n  c: {"1": 5, "-1": 3}\n'
    survey = load_survey(write(tmp_path, "s.yaml", text))
    assert survey.population["c"] == {"1": 5, "-1": 3}
    path = write(tmp_path, "r.csv", "Statement A,Statement B,Pick\n1,1,1\n1,1,-1\n")
    assert read_responses(survey, [path]).choice["c"].codes.tolist() == [1, 0]


def test_a_missing_value_that_is_a_point_number_is_refused(tmp_path: Path) -> None:
    text = 'missing: ["5"]\n' + TWO
    assert problems(tmp_path, text) == [
        f"survey.yaml:1: missing[0]: '5' is the number of point 5 of scale 'agree5', an "
        f"answer of questions[{i}] ('{q}'), so it cannot also mean no answer. Remove it from "
        "'missing', or give the question its own 'missing' list."
        for i, q in enumerate("ab")
    ]


# --------------------------------------------------------------------------- the command line


def test_cli_scores_the_not_applicable_code_apart(cli, tmp_path: Path) -> None:
    survey = write(tmp_path, "na.yaml", TWO)
    rows = ["1,1", "1,2", "1,1", "2,2", "3,3", "4,4", "5,5", "-1,4", "5,5", "4,4"]
    data = write(tmp_path, "na.csv", "Statement A,Statement B\n" + "\n".join(rows) + "\n")
    assert cli("check", survey).returncode == 0
    r = cli("score", survey, data, "--format", "json")
    assert r.returncode == 0, r.stderr
    item = json.loads(r.stdout)["items"]["a"]
    assert (item["n"], item["not_applicable"], item["counts"]["Strongly disagree"]) == (9, 1, 3)
    assert round(item["mean"], 3) == 2.889


def test_cli_check_refuses_a_point_number_as_not_applicable(cli, tmp_path: Path) -> None:
    survey = write(tmp_path, "na.yaml", TWO.replace('"-1"]', '"1"]'))
    r = cli("check", survey)
    assert r.returncode == 1
    assert r.stderr.startswith(
        f"Error: {survey}:8: scales.agree5.not_applicable: '1' is a not-applicable label and "
        "also the number of point 1; an answer '1' could mean either."
    )


def test_count_of_agrees_with_its_number():
    # warnings say "1 group", "2 groups", never "group(s)"
    assert count_of(1, "group") == "1 group"
    assert count_of(0, "group") == "0 groups"
    assert count_of(2, "respondent") == "2 respondents"
    assert count_of(3, "person", "people") == "3 people"
