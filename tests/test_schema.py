"""Every validation rule of survey.yaml, with its exact message and location."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from relimpact.common.errors import SurveyError
from relimpact.survey.load import load_survey

BASE = """\
relimpact: 1
id: net-health
title: How is our network doing?
min_group_size: 5
scales:
  agree5:
    points:
      1: Strongly disagree
      2: Disagree
      3: Neither agree nor disagree
      4: Agree
      5: Strongly agree
    not_applicable: [Don't know]
    favourable_from: 4
    bands: {strength: 4.0, borderline: 3.0}
dimensions:
  leadership: {label: Quality of leadership, enabler: true}
  the_net: {label: The net}
questions:
  - id: lead_voice
    text: The convenors make room for every voice.
    scale: agree5
    dimension: leadership
  - id: lead_few
    text: A small group makes most decisions.
    scale: agree5
    dimension: leadership
    reverse: true
  - id: net_know
    text: I know who to ask in the network.
    scale: agree5
    dimension: the_net
  - id: role
    type: choice
    text: Which best describes you?
    options: [Member organisation, Individual member]
    segment: true
population:
  role: {Member organisation: 10, Individual member: 30}
"""


def load_text(tmp_path: Path, text: str):
    path = tmp_path / "survey.yaml"
    path.write_text(text, encoding="utf-8")
    return load_survey(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SurveyError) as info:
        load_text(tmp_path, text)
    where = str(tmp_path / "survey.yaml")
    return [str(p).replace(where, "survey.yaml") for p in info.value.problems]


def test_base_is_valid(tmp_path):
    s = load_text(tmp_path, BASE)
    assert s.id == "net-health"
    assert [q.id for q in s.questions_of("leadership")] == ["lead_voice", "lead_few"]
    assert s.scales["agree5"].reverse(2) == 4
    assert s.dimensions["the_net"].focus == "net"
    assert s.dimension_order() == ("leadership", "the_net")
    assert s.population == {"role": {"Member organisation": 10, "Individual member": 30}}
    assert s.questions[2].line == 29


def test_spec_example_parses_apart_from_empty_dimensions(tmp_path):
    # The spec's own example declares dimensions it gives no questions; the spec's rule
    # ("a dimension with no questions is an error") wins, and nothing else is wrong with it.
    spec = Path(__file__).resolve().parents[2] / "shared" / "spec" / "survey-template.md"
    if not spec.exists():
        pytest.skip("shared spec not beside this checkout")
    text = spec.read_text().split("```yaml\n")[1].split("```")[0]
    found = problems(tmp_path, text)
    assert all("no scale question belongs to this dimension" in p for p in found)
    assert len(found) == 3


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    scale: agree5\n    dimension: the_net",
            "    scale: agree4\n    dimension: the_net",
            "survey.yaml:31: questions[2].scale: unknown scale 'agree4' (did you mean "
            "'agree5'?). Declare it under 'scales:' or use one that is.",
        ),
        (
            "    scale: agree5\n    dimension: the_net",
            "    scale: agree5\n    dimension: then_net",
            "survey.yaml:18: dimensions.the_net: no scale question belongs to this dimension. "
            "Add questions with 'dimension: the_net', or remove the dimension.\n"
            "survey.yaml:32: questions[2].dimension: unknown dimension 'then_net' (did you mean "
            "'the_net'?). Declare it under 'dimensions:' or use one that is.",
        ),
        (
            "  - id: net_know",
            "  - id: lead_voice",
            "survey.yaml:29: questions[2].id: 'lead_voice' is already the id of questions[0].",
        ),
        (
            "    favourable_from: 4",
            "    favourable_from: 6",
            "survey.yaml:14: scales.agree5.favourable_from: 6 is not one of the scale's points "
            "(1, 2, 3, 4, 5).",
        ),
        (
            "{strength: 4.0, borderline: 3.0}",
            "{strength: 5.5, borderline: 3.0}",
            "survey.yaml:15: scales.agree5.bands.strength: 5.5 is outside the scale's range "
            "1 to 5.",
        ),
        (
            "{strength: 4.0, borderline: 3.0}",
            "{strength: 3.0, borderline: 4.0}",
            "survey.yaml:15: scales.agree5.bands: borderline must not be higher than strength. "
            "Scores at or above 'strength' are strengths, at or above 'borderline' borderline, "
            "the rest concerns.",
        ),
        (
            "  role: {Member organisation: 10, Individual member: 30}",
            "  role: {Member organisations: 10, Individual member: 30}",
            "survey.yaml:39: population.role.Member organisations: 'Member organisations' is not "
            "an option of 'role' (did you mean 'Member organisation'?). Options: Member "
            "organisation, Individual member.",
        ),
        (
            "  role: {Member organisation: 10, Individual member: 30}",
            "  net_know: {Agree: 10}",
            "survey.yaml:39: population.net_know: population is given for choice questions; "
            "'net_know' is 'scale'.",
        ),
        (
            "  role: {Member organisation: 10, Individual member: 30}",
            "  rol: {Agree: 10}",
            "survey.yaml:39: population.rol: no question has the id 'rol' (did you mean 'role'?).",
        ),
        (
            "    dimension: the_net\n",
            "    dimension: the_net\n    options: [a, b]\n",
            "survey.yaml:33: questions[2].options: a 'scale' question has no options. Options "
            "belong to 'choice' and 'multi' questions.",
        ),
        (
            "    scale: agree5\n    dimension: the_net",
            "    scale: agree5\n    dimension: leadership",
            "survey.yaml:18: dimensions.the_net: no scale question belongs to this dimension. "
            "Add questions with 'dimension: the_net', or remove the dimension.",
        ),
        (
            "questions:\n",
            "question:\n",
            "survey.yaml:1: the top level: missing required key 'questions'.\n"
            "survey.yaml:19: question: unknown key 'question' (did you mean 'questions'?). "
            "Allowed here: relimpact, id, title, network, description, language, version, "
            "min_group_size, privacy_notice, next_steps, scales, dimensions, questions, "
            "population, network_map, missing, report.",
        ),
        (
            "    scale: agree5\n    dimension: the_net",
            "    scal: agree5\n    dimension: the_net",
            "survey.yaml:31: questions[2].scal: unknown key 'scal' (did you mean 'scale'?). "
            "Allowed here: id, text, type, scale, dimension, reverse, options, segment, "
            "quotable, aliases, required, hint, group, missing, other, consent, levels.",
        ),
        (
            "    type: choice",
            "    type: chioce",
            "survey.yaml:34: questions[3].type: unknown question type 'chioce' (did you mean "
            "'choice'?). Types: scale, choice, multi, text, number, consent, respondent, "
            "member, connections.",
        ),
        (
            "relimpact: 1",
            "relimpact: 2",
            "survey.yaml:1: relimpact: template format version 2 is not supported. This "
            "relimpact reads format 1; write 'relimpact: 1'.",
        ),
        (
            "id: net-health",
            "id: net health",
            "survey.yaml:2: id: 'net health' is not a valid id. Use only letters, digits, '-' "
            "and '_' (no spaces).",
        ),
        (
            "title: How is our network doing?\n",
            "",
            "survey.yaml:1: the top level: missing required key 'title'.",
        ),
        (
            "    not_applicable: [Don't know]",
            "    not_applicable: [Agree]",
            "survey.yaml:13: scales.agree5.not_applicable: 'Agree' is both a point label and a "
            "not-applicable label. A label is either scored or not; remove it from one of the "
            "two.",
        ),
        (
            "      2: Disagree",
            "      2: Strongly disagree",
            "survey.yaml:9: scales.agree5.points[2]: the label 'Strongly disagree' is used for "
            "more than one point (points 1, line 8, and 2).",
        ),
        (
            "min_group_size: 5",
            "min_group_size: 0",
            "survey.yaml:4: min_group_size: input should be greater than or equal to 1.",
        ),
        (
            "min_group_size: 5",
            "min_group_size: five",
            "survey.yaml:4: min_group_size: must be a whole number (got 'five').",
        ),
        (
            "min_group_size: 5",
            "min_group_size: true",
            "survey.yaml:4: min_group_size: must be a whole number (got true).",
        ),
        (
            "min_group_size: 5",
            "min_group_size: false",
            "survey.yaml:4: min_group_size: must be a whole number (got false).",
        ),
        (
            "    reverse: true",
            "    reverse: perhaps",
            "survey.yaml:28: questions[1].reverse: must be true or false (got 'perhaps').",
        ),
        (
            "    options: [Member organisation, Individual member]",
            "    options: [Member organisation]",
            "survey.yaml:36: questions[3].options: a 'choice' question needs at least two "
            "options.\nsurvey.yaml:39: population.role.Individual member: 'Individual member' is "
            "not an option of 'role'. Options: Member organisation.",
        ),
        (
            "    segment: true",
            "    segment: true\n  - id: story\n    type: text\n    text: Tell us.\n"
            "    segment: true",
            "survey.yaml:41: questions[4].segment: only 'choice' questions can be segments; "
            "this is 'text'.",
        ),
        (
            "    reverse: true",
            "    reverse: true\n    quotable: true",
            "survey.yaml:29: questions[1].quotable: only 'text' answers can be quoted; this is "
            "'scale'.",
        ),
        (
            "  - id: net_know\n    text: I know who to ask in the network.",
            "  - id: net_know\n    text: The convenors make room for every voice.",
            "survey.yaml:29: questions[2]: 'the convenors make room for every voice' also names "
            "questions[0]; a response column could not tell the two apart. Give one of them a "
            "different text, id or alias.",
        ),
    ],
)
def test_rule(tmp_path, old, new, expected):
    assert old in BASE
    assert problems(tmp_path, BASE.replace(old, new, 1)) == expected.split("\n")


def test_missing_scale_on_scale_question(tmp_path):
    text = BASE.replace("    scale: agree5\n    dimension: the_net", "    dimension: the_net")
    assert problems(tmp_path, text) == [
        "survey.yaml:29: questions[2]: missing required key 'scale' (a scale question needs "
        "a scale)."
    ]


def test_every_problem_is_listed(tmp_path):
    text = BASE.replace("scale: agree5\n    dimension: the_net", "scale: x\n    dimension: y")
    found = problems(tmp_path, text)
    assert len(found) == 3  # unknown scale, unknown dimension, the_net left without questions


def test_network_map_rules(tmp_path):
    text = BASE + textwrap.dedent(
        """\
        network_map:
          members: [Alpha, "Smith, Jones & Co", Alpha]
          convenors: [Gamma]
        """
    )
    assert problems(tmp_path, text) == [
        "survey.yaml:41: network_map.members[2]: 'Alpha' is listed twice.",
        "survey.yaml:42: network_map.convenors[0]: 'Gamma' is not in the members list.",
    ]


def test_member_question_needs_network_map(tmp_path):
    text = BASE.replace(
        "population:", "  - id: who\n    type: member\n    text: Who are you?\npopulation:"
    )
    assert problems(tmp_path, text) == [
        "survey.yaml:39: questions[4].type: a 'member' question needs a 'network_map' section "
        "with the members."
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "relimpact: 1\nid: x\ntitle: !!python/object/apply:os.system ['echo hacked']\n",
            "survey.yaml:3: YAML tag not allowed: could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'. survey.yaml takes plain values "
            "only; remove the '!' tag.",
        ),
        (
            "",
            "survey.yaml: is empty. Start from a bundled template: relimpact init DIR "
            "--template network-health",
        ),
        (
            "# only a comment\n",
            "survey.yaml: is empty. Start from a bundled template: relimpact init DIR "
            "--template network-health",
        ),
        (
            "- relimpact: 1\n- id: x\n",
            "survey.yaml:1: the top level is a list; a survey template is a mapping of keys "
            "(relimpact, id, title, questions, ...). Start from a bundled template: relimpact "
            "init DIR --template network-health",
        ),
        (
            "relimpact: 1\ntitle: [unclosed\n",
            "survey.yaml:3: YAML syntax error: expected ',' or ']', but got '<stream end>'. "
            "Check the indentation and that text containing ': ' or '#' is quoted.",
        ),
    ],
)
def test_hostile_yaml(tmp_path, content, expected):
    assert problems(tmp_path, content) == [expected]


def test_alias_bomb_is_refused_fast(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    found = problems(tmp_path, "\n".join(lines) + "\n")
    assert found == [
        "survey.yaml:1: YAML aliases expand to more than 100,000 values (an alias bomb?). "
        "Write the survey out without '*' aliases."
    ]


def test_a_huge_survey_without_aliases_is_not_called_an_alias_bomb(tmp_path):
    options = ", ".join(f"o{i}" for i in range(100_001))
    many = f"  - id: many\n    type: multi\n    text: Many\n    options: [{options}]\n"
    text = BASE.replace("population:", many + "population:")
    assert problems(tmp_path, text) == [
        "survey.yaml:1: the survey holds more than 100,000 values (questions, options, labels "
        "and keys together); a survey template has a few thousand. Split it into smaller "
        "surveys, or give a long list (a roster, the options of a multi question) fewer "
        "entries."
    ]


def test_binary_file(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SurveyError) as info:
        load_survey(path)
    assert str(info.value) == (
        f"{path}: is a binary file, not YAML text. Give the survey.yaml written by hand or by "
        "'relimpact init'."
    )


def test_not_utf8(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_bytes(BASE.replace("How is", "Caf\xe9 how is").encode("latin-1"))
    with pytest.raises(SurveyError) as info:
        load_survey(path)
    assert str(info.value) == f"{path}:3: is not UTF-8 text. Save the file as UTF-8 in your editor."


def test_bom_and_crlf_are_fine(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode())
    assert load_survey(path).title == "How is our network doing?"


def test_missing_file(tmp_path):
    with pytest.raises(SurveyError, match="file not found"):
        load_survey(tmp_path / "nope.yaml")


# --- Surrogate escapes: "\ud83d\ude00" (as json.dumps writes an emoji) -------------------

PAIR = "smile \\ud83d\\ude00"  # as written in survey.yaml: two escapes, one character
LONE = "smile \\ud83d"  # half of a character
TOP = "min_group_size: 5\n"
Q0 = "    dimension: leadership\n"  # the first question's last line


def _top(key: str, value: str) -> str:
    return BASE.replace(TOP, f'{TOP}{key}: "{value}"\n', 1)


# (name, template with the escapes, where they are, the field as loaded)
SURROGATE_FIELDS = [
    (
        "title",
        lambda x: BASE.replace("title: How is our network doing?", f'title: "{x}"'),
        "title",
        lambda s: s.title,
    ),
    *[
        (key, lambda x, key=key: _top(key, x), key, lambda s, key=key: getattr(s, key))
        for key in ("description", "privacy_notice", "next_steps", "network", "version", "language")
    ],
    (
        "point label",
        lambda x: BASE.replace("5: Strongly agree", f'5: "{x}"'),
        "scales.agree5.points[5]",
        lambda s: s.scales["agree5"].label(5),
    ),
    (
        "not_applicable",
        lambda x: BASE.replace("[Don't know]", f'["{x}"]'),
        "scales.agree5.not_applicable[0]",
        lambda s: s.scales["agree5"].not_applicable[0],
    ),
    (
        "dimension label",
        lambda x: BASE.replace("{label: The net}", f'{{label: "{x}"}}'),
        "dimensions.the_net.label",
        lambda s: s.dimensions["the_net"].label,
    ),
    (
        "text",
        lambda x: BASE.replace("text: The convenors make room for every voice.", f'text: "{x}"'),
        "questions[0].text",
        lambda s: s.questions[0].text,
    ),
    (
        "hint",
        lambda x: BASE.replace(Q0, f'{Q0}    hint: "{x}"\n', 1),
        "questions[0].hint",
        lambda s: s.questions[0].hint,
    ),
    (
        "aliases",
        lambda x: BASE.replace(Q0, f'{Q0}    aliases: ["{x}"]\n', 1),
        "questions[0].aliases[0]",
        lambda s: s.questions[0].aliases[0],
    ),
    (
        "option",
        lambda x: BASE.replace("Individual member]", f'Individual member, "{x}"]'),
        "questions[3].options[2]",
        lambda s: s.questions[3].options[2],
    ),
]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


@pytest.mark.parametrize(
    ("name", "make", "at", "get"), SURROGATE_FIELDS, ids=[f[0] for f in SURROGATE_FIELDS]
)
def test_a_surrogate_pair_is_the_character_it_stands_for(tmp_path, name, make, at, get):
    survey = load_text(tmp_path, make(PAIR))
    assert get(survey) == "smile \U0001f600"


@pytest.mark.parametrize(
    ("name", "make", "at", "get"), SURROGATE_FIELDS, ids=[f[0] for f in SURROGATE_FIELDS]
)
def test_a_lone_surrogate_is_refused_with_its_line_and_field(tmp_path, name, make, at, get):
    text = make(LONE)
    assert problems(tmp_path, text) == [
        f"survey.yaml:{_line_of(text, LONE)}: {at}: '\\ud83d' is half of a character (a lone "
        "UTF-16 surrogate escape); no file or survey tool can hold it. Write the character "
        'itself (😀), or as one escape "\\U0001F600", or as both halves of its pair '
        '"\\ud83d\\ude00", in double quotes.'
    ]


def test_a_group_with_a_lone_surrogate_names_the_group(tmp_path):
    text = BASE.replace(Q0, f'{Q0}    group: "g\\udc00"\n', 1)
    assert problems(tmp_path, text)[0].startswith(
        "survey.yaml:24: questions[0].group: '\\udc00' is half of a character"
    )


def test_a_key_with_a_lone_surrogate_names_its_line_and_mapping(tmp_path):
    text = BASE.replace("  the_net: {label: The net}", '  "net \\ud83d": {label: The net}')
    assert problems(tmp_path, text) == [
        "survey.yaml:18: dimensions: the key 'net \\ud83d' holds '\\ud83d', which is half of a "
        "character (a lone UTF-16 surrogate escape); no file or survey tool can hold it. Write "
        'the character itself (😀), or as one escape "\\U0001F600", or as both halves of its '
        'pair "\\ud83d\\ude00", in double quotes.'
    ]


def test_a_key_with_a_surrogate_pair_is_decoded_and_found(tmp_path):
    text = BASE.replace("Individual member]", 'Individual member, "smile \\ud83d\\ude00"]')
    text = text.replace("member: 30}", 'member: 30, "smile \\ud83d\\ude00": 2}')
    survey = load_text(tmp_path, text)
    assert survey.population["role"]["smile \U0001f600"] == 2


def test_a_pair_and_the_character_written_out_are_the_same_key(tmp_path):
    text = BASE.replace(
        "  the_net: {label: The net}",
        '  the_net: {label: The net}\n  "\\ud83d\\ude00": {label: A}\n  "\U0001f600": {label: B}',
    )
    assert problems(tmp_path, text)[0] == (
        "survey.yaml:20: the key '\U0001f600' is given twice in one mapping (lines 19 and 20); "
        "only one of them could count. Keep one of the two lines (or merge them)."
    )
