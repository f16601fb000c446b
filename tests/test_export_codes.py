"""Export codes, missing values and write-ins (survey-template.md, "Export codes, missing
values and write-ins"): the template fields, their checks, and how answers are read."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from relimpact.common.errors import ResponseError, SurveyError
from relimpact.read.reading import inspect_responses, read_responses
from relimpact.survey.load import load_survey

BASE = """\
relimpact: 1
id: codes
title: Codes
missing: ["n/a", "-99"]
scales:
  agree5:
    points: {1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}
    codes: {A1: 1, A2: 2, A3: 3, A4: 4, A5: 5}
dimensions:
  d: {label: D}
questions:
  - {id: q1, text: Q one, scale: agree5, dimension: d}
  - id: transport
    type: multi
    text: Which transport?
    options:
      - Bus
      - {label: Keke napep, codes: [keke_pepe]}
      - Taxi
    other: true
    missing: [none]
  - id: role
    type: choice
    text: Your role
    options: [{label: Member, codes: ["1"]}, {label: Staff, codes: ["2"]}]
    other: true
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def survey(tmp_path: Path, text: str = BASE):
    return load_survey(write(tmp_path, "survey.yaml", text))


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SurveyError) as e:
        survey(tmp_path, text)
    return [str(p).replace(f"{tmp_path}/", "") for p in e.value.problems]


def test_fields_reach_the_survey(tmp_path):
    s = survey(tmp_path)
    assert s.missing == ("n/a", "-99")
    assert s.scales["agree5"].codes == (("A1", 1), ("A2", 2), ("A3", 3), ("A4", 4), ("A5", 5))
    t = s.question("transport")
    assert t.options == ("Bus", "Keke napep", "Taxi")
    assert t.option_codes == ((), ("keke_pepe",), ())
    assert t.missing == ("none",) and t.other
    assert t.categories == ("Bus", "Keke napep", "Taxi", "Other")


def test_answers_through_codes_missing_and_write_ins(tmp_path):
    s = survey(tmp_path)
    csv = write(
        tmp_path,
        "r.csv",
        """\
        Q one,Which transport?,Your role
        A4,"Bus, keke_pepe",1
        n/a,none,2
        -99,"Taxi, my own camel",I run the café
        Strongly agree,,Member
        """,
    )
    rs = read_responses(s, [csv])
    assert rs.scale["q1"].tolist()[:1] == [4.0]
    assert np.isnan(rs.scale["q1"][1]) and np.isnan(rs.scale["q1"][2])
    assert rs.scale["q1"][3] == 5.0
    labels, matrix = rs.multi["transport"]
    assert labels == ("Bus", "Keke napep", "Taxi", "Other")
    assert matrix.tolist() == [
        [True, True, False, False],
        [False, False, False, False],
        [False, False, True, True],
        [False, False, False, False],
    ]
    role = rs.choice["role"]
    assert role.categories == ("Member", "Staff", "Other")
    assert role.codes.tolist() == [0, 1, 2, 0]
    ins = inspect_responses(s, [csv])
    assert ins.answer_use == {
        "q1": {"code": 1, "other": 0},
        "transport": {"code": 1, "other": 1},
        "role": {"code": 2, "other": 1},
    }
    # write-in text is never shown
    assert "camel" not in repr(ins) and "café" not in repr(ins)


def test_a_write_in_without_other_is_an_error_that_does_not_echo_long_text(tmp_path):
    s = survey(tmp_path, BASE.replace("    other: true\n", ""))
    csv = write(tmp_path, "r.csv", "Your role\nMember\nI run the café on Mill Street\n")
    with pytest.raises(ResponseError) as e:
        read_responses(s, [csv])
    assert "Mill Street" not in str(e.value)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "A2: 2,",
            "A2: 2, Agree: 5,",
            "survey.yaml:8: scales.agree5.codes.Agree: the code 'Agree' is also the label of "
            "point 4; an answer 'Agree' could mean either. Give every point its own codes, "
            "different from every label.",
        ),
        (
            "A2: 2,",
            "A2: 2, a1: 3,",
            "survey.yaml:8: scales.agree5.codes.a1: the code 'a1' is also the code of point 1; "
            "an answer 'a1' could mean either. Give every point its own codes, different from "
            "every label.",
        ),
        (
            "A5: 5}",
            "A5: 5, A6: 6}",
            "survey.yaml:8: scales.agree5.codes.A6: 6 is not one of the scale's points "
            "(1, 2, 3, 4, 5).",
        ),
        (
            "A5: 5}",
            "A5: 5, '2': 3}",
            "survey.yaml:8: scales.agree5.codes.2: the code '2' is also the number of point 2; "
            "an answer could mean either. Remove the code, or check that the export really "
            "writes it for this point.",
        ),
        (
            "codes: [keke_pepe]",
            "codes: [keke_pepe, taxi]",
            "survey.yaml:18: questions[1].options[1].codes[1]: the code 'taxi' also means the "
            "option 'Taxi'; an answer could mean either. Give every option its own codes, "
            "different from every label.",
        ),
        (
            'missing: ["n/a", "-99"]',
            'missing: ["n/a", "A3"]',
            "survey.yaml:4: missing[1]: 'A3' is an answer of questions[0] ('q1'), so it cannot "
            "also mean no answer. Remove it from 'missing', or give the question its own "
            "'missing' list.",
        ),
        (
            "dimension: d}",
            "dimension: d, other: true}",
            "survey.yaml:12: questions[0].other: only 'choice' and 'multi' questions take "
            "write-in answers; this is 'scale'.",
        ),
        (
            "{label: Keke napep, codes: [keke_pepe]}",
            "{label: Keke napep, code: [keke_pepe]}",
            "survey.yaml:18: questions[1].options[1].code: unknown key 'code' (did you mean "
            "'codes'?). Allowed here: label, codes.",
        ),
    ],
)
def test_template_errors(tmp_path, old, new, expected):
    assert old in BASE
    assert problems(tmp_path, BASE.replace(old, new, 1)) == [expected]
