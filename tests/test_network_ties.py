"""Tie strength end to end: the levels in survey.yaml, the member x level grid in an export,
the built forms, and the bundled network-ties example scored and reported.

The figures on the example are checked against an independent reading of the CSV with the
csv module (not relimpact's reader) and plain Python: the levels named, the weighted
density, and the E-I index of the groups. The formulas themselves are checked against R
igraph in tests/test_network_mixing.py.
"""

from __future__ import annotations

import csv
import html
import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest

from relimpact import load_survey, read_responses
from relimpact.common.errors import ResponseError, SurveyError
from relimpact.forms.build import build_csv, build_html, build_markdown, build_xlsform
from relimpact.report.render import render_report
from relimpact.scoring.engine import score

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "surveys" / "network-ties.yaml"
RESPONSES = ROOT / "surveys" / "examples" / "network-ties-responses.csv"
LEVELS = (
    "Aware of each other",
    "Share information",
    "Work together on something",
    "Plan and decide together",
)
QUESTION = "How closely do you work with each member?"


@pytest.fixture(scope="module")
def example():
    survey = load_survey(SURVEY)
    responses = read_responses(survey, [RESPONSES])
    return survey, responses, score(responses)


def _raw() -> tuple[list[str], dict[str, dict[str, int]], dict[str, str]]:
    """The roster, who named whom at which rank, and each respondent's part, from the CSV."""
    rows = list(csv.DictReader(io.StringIO(RESPONSES.read_text(encoding="utf-8"))))
    roster = [h[len(QUESTION) + 2 : -1] for h in rows[0] if h.startswith(QUESTION)]
    named = {
        r["Which member are you?"]: {
            m: LEVELS.index(r[f"{QUESTION} [{m}]"]) + 1
            for m in roster
            if r[f"{QUESTION} [{m}]"] and m != r["Which member are you?"]
        }
        for r in rows
    }
    part = {
        r["Which member are you?"]: r["Which best describes your part in the network?"]
        for r in rows
    }
    return roster, named, part


def test_the_example_export_is_what_the_script_makes(monkeypatch) -> None:
    path = ROOT / "scripts" / "make_ties_example.py"
    spec = importlib.util.spec_from_file_location("mte", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "mte", mod)
    spec.loader.exec_module(mod)
    assert RESPONSES.read_bytes() == mod.make(mod.load_survey(mod.TEMPLATE)).encode()


def test_the_grid_is_read_member_by_member(example) -> None:
    _, responses, _ = example
    _, named, _ = _raw()
    who = responses.member["which_member"]
    names = responses.connections["ties"]
    ranks = responses.connection_levels["ties"]
    assert len(who) == 21 and responses.format == "google-forms"
    for w, n, r in zip(who, names, ranks, strict=True):
        assert dict(zip(n, r, strict=True)) == named[w], w


def test_strength_and_weighted_density_match_the_raw_answers(example) -> None:
    _, _, result = example
    roster, named, _ = _raw()
    network = json.loads(json.dumps(result.to_dict()))["network"]
    counts = [0, 0, 0, 0]
    for levels in named.values():
        for rank in levels.values():
            counts[rank - 1] += 1
    assert network["levels"] == list(LEVELS)
    assert network["strength"] == dict(zip(LEVELS, counts, strict=True))
    n = len(roster)
    weight = sum(r for levels in named.values() for r in levels.values())
    assert network["weighted_density"] == pytest.approx(weight / (4 * n * (n - 1)), abs=1e-15)
    assert network["ties"] == sum(counts)
    for k, label in enumerate(LEVELS, start=1):
        at = network["at_least"][label]
        ties = sum(1 for levels in named.values() for r in levels.values() if r >= k)
        assert at["ties"] == ties and at["density"] == pytest.approx(ties / (n * (n - 1)))
        assert at["members"] == n and at["responded"] == 21
    assert network["at_least"][LEVELS[0]]["components"] == network["components"]


def test_mixing_on_the_example_matches_a_hand_count(example) -> None:
    _, _, result = example
    _, named, part = _raw()
    links = {frozenset((a, b)) for a, levels in named.items() for b in levels}
    known = [tuple(link) for link in links if all(m in part for m in link)]
    internal = sum(1 for a, b in known if part[a] == part[b])
    external = len(known) - internal
    mixing = result.to_dict()["network"]["mixing"]["part"]
    assert (mixing["ties"], mixing["internal"], mixing["external"]) == (
        len(known),
        internal,
        external,
    )
    assert mixing["ei_index"] == pytest.approx((external - internal) / (external + internal))
    # the made-up network grew within its groups: fewer links across than chance would give
    assert mixing["verdict"] == "fewer" and mixing["groups_pooled"] == 0
    lived = next(g for g in mixing["groups"] if g["group"] == "Lived experience leader")
    assert lived["verdict"] == "fewer"


@pytest.mark.parametrize("audience", ["funder", "members"])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_both_reports_say_it_in_words(example, audience, fmt) -> None:
    _, responses, result = example
    text = html.unescape(render_report(result, responses, audience, fmt))
    assert "Links across difference" in text
    assert (
        'Links between members in "Lived experience leader" and others are fewer than '
        "chance would give" in text
    )
    assert "of the links named" not in text and "Of the 96 links named, 21 at" in text
    assert "lie on 69% of the shortest routes between the other members" in text
    assert ("E-I index" in text) == (audience == "funder")
    for name in ("Amara Okoye", "Meadowgate", "Okoye"):  # no name without --show-names
        assert name not in text


def test_show_names_names_only_brokers_who_agreed(example) -> None:
    _, responses, result = example
    text = render_report(result, responses, "funder", "md", show_names=True)
    line = next(x for x in text.splitlines() if "most often link others" in x)
    b = result.network.brokers
    agreed = {"Meadowgate Network Hub", "Hilltop Food Pantry", "Brightways Advice Centre",
              "Open Door Housing Charity", "City Council Communities Team",
              "Eastfield Health Centre", "County Probation Service", "Amara Okoye",
              "Dev Sharma", "Kemi Adebayo", "Eastfield Residents' Forum",
              "Canal Side Gardeners", "St Anne's Lunch Club"}  # fmt: skip
    for m in b.top:
        assert (m in line) == (m in agreed), m
    assert "no email addresses or member codes" in text


# --- the template: levels in survey.yaml --------------------------------------------------

BASE = SURVEY.read_text(encoding="utf-8")


def _problems(tmp_path: Path, text: str) -> str:
    path = tmp_path / "survey.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SurveyError) as err:
        load_survey(path)
    return str(err.value)


def test_levels_must_name_a_scale_with_a_line(tmp_path) -> None:
    message = _problems(tmp_path, BASE.replace("levels: integration4", "levels: integraton4"))
    line = BASE.splitlines().index("    levels: integration4") + 1
    assert f"survey.yaml:{line}: questions[2].levels: unknown scale 'integraton4' (did you " in (
        message
    )
    assert "mean 'integration4'?)" in message


def test_levels_only_on_connections_and_not_a_scored_scale(tmp_path) -> None:
    grid = "    scale: agree5\n    dimension: the_net\n    group: ties_grid\n"
    text = BASE.replace(grid + "  - id: net_ask", grid + "    levels: agree5\n  - id: net_ask", 1)
    message = _problems(tmp_path, text)
    assert "questions[3].levels: only 'connections' questions have tie levels" in message
    message = _problems(tmp_path, BASE.replace("levels: integration4", "levels: agree5"))
    assert "questions[2].levels: the scale 'agree5' is also the scale of scored questions" in (
        message
    )


# --- reading: wrong and awkward grids ------------------------------------------------------


def _grid_file(tmp_path: Path, cell: str) -> Path:
    text = RESPONSES.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    col = rows[0].index(f"{QUESTION} [Dev Sharma]")
    rows[3][col] = cell
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "responses.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_a_level_that_is_not_on_the_scale_is_an_error_with_row_and_column(tmp_path) -> None:
    path = _grid_file(tmp_path, "Work togther on something")
    with pytest.raises(ResponseError) as err:
        read_responses(load_survey(SURVEY), [path])
    message = str(err.value)
    assert f'responses.csv, column "{QUESTION} [Dev Sharma]"' in message
    # the cell is not echoed (it could be anything a respondent typed), only described
    assert "is not a label of scale 'integration4' (did you mean 'Work together on " in message
    assert "(the tie level for 'Dev Sharma'); 1 row holds it (row 4)" in message


def test_a_point_number_reads_as_its_level(tmp_path) -> None:
    path = _grid_file(tmp_path, "3")
    responses = read_responses(load_survey(SURVEY), [path])
    k = responses.connections["ties"][2].index("Dev Sharma")
    assert responses.connection_levels["ties"][2][k] == 3


def test_a_whole_answer_column_for_a_levelled_question_is_refused(tmp_path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        "which_member,part,ties,net_know,net_ask,net_voice,name_ok,quote_ok,story\n"
        "Dev Sharma,Charity,Amara Okoye;Rosa Delgado,Agree,Agree,Agree,Yes,No,\n",
        encoding="utf-8",
    )
    with pytest.raises(ResponseError) as err:
        read_responses(load_survey(SURVEY), [path])
    assert "question 'ties' has tie levels (levels: integration4), so its answers need one " in (
        str(err.value)
    )


# --- the built forms ------------------------------------------------------------------


def test_the_forms_field_the_levels_as_a_grid() -> None:
    survey = load_survey(SURVEY)
    md = build_markdown(survey)
    assert (
        "- Amara Okoye: [ ] Aware of each other [ ] Share information [ ] Work together on "
        "something [ ] Plan and decide together" in md
    )
    html = build_html(survey)
    assert '<th class="statement-col" scope="col">Member</th>' in html
    assert html.count('<span class="box"></span>') >= 24 * 4
    header = next(csv.reader(io.StringIO(build_csv(survey))))
    assert "ties_amara_okoye" in header and "ties" not in header
    from tests.test_build import sheet_rows

    rows = sheet_rows(build_xlsform(survey), "survey")
    grid = [r for r in rows if r["name"].startswith("ties_") and r["type"].startswith("select_one")]
    assert len(grid) == 24
    amara = next(r for r in grid if r["name"] == "ties_amara_okoye")
    assert amara["relevant"] == "${which_member} != 'amara_okoye'"
    assert amara["appearance"] == "minimal"


def test_the_score_table_says_it_too(cli) -> None:
    r = cli("score", SURVEY, RESPONSES)
    assert r.returncode == 0, r.stderr
    out = " ".join(r.stdout.split())
    assert "weighted density (each tie by its level) │ 0.11" in out
    assert "E-I index by part │ 0.15" in out
    assert 'Links between members in "Lived experience leader" and others are fewer' in out
    for name in ("Meadowgate", "Amara", "Okoye"):  # the terminal table never names anyone
        assert name not in r.stdout
