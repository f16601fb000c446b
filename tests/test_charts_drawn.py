"""Charts are drawn only for the output being written (no timed assertion: what is drawn)."""

from __future__ import annotations

import pytest

from relimpact.report.model import build_report
from relimpact.report.render import render_model
from relimpact.scoring.engine import score


@pytest.fixture(scope="module")
def demo():
    import tempfile
    from pathlib import Path

    from relimpact.demo import BASELINE, RESPONSES, demo_survey_text, examples_dir
    from relimpact.read.reading import read_responses
    from relimpact.survey.load import load_survey
    from relimpact.survey.model import Survey

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.yaml"
        path.write_text(demo_survey_text(), encoding="utf-8")
        survey: Survey = load_survey(path)
    current = read_responses(survey, [examples_dir() / RESPONSES])
    before = read_responses(survey, [examples_dir() / BASELINE])
    return score(current, baseline=before), current


def charts(model):
    found = [model.scores_chart, model.overview_chart, model.change_chart]
    found += [d.chart for d in model.dimensions]
    return [c for c in found if c is not None]


@pytest.mark.parametrize(
    ("audience", "fmt"), [("funder", "md"), ("members", "md"), ("members", "html")]
)
def test_outputs_that_show_no_chart_draw_none(demo, audience, fmt) -> None:
    result, current = demo
    model = build_report(result, current, audience)
    assert charts(model)  # the model holds them ...
    render_model(model, fmt)
    assert not any(c.drawn for c in charts(model))  # ... and none was drawn


def test_the_funder_page_draws_exactly_the_charts_it_shows(demo) -> None:
    result, current = demo
    model = build_report(result, current, "funder")
    html = render_model(model, "html")
    drawn = [c for c in charts(model) if c.drawn]
    assert drawn and all(c.svg in html for c in drawn)
    assert html.count('<svg class="chart"') == len(drawn)
