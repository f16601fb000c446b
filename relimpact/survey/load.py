"""``load_survey``: a survey.yaml path in, a validated ``Survey`` out."""

from __future__ import annotations

from pathlib import Path

from relimpact.survey.model import Survey


def load_survey(path: str | Path) -> Survey:
    """Read and validate a survey.yaml; raises ``SurveyError`` with file:line locations."""
    from relimpact.common.errors import SurveyError
    from relimpact.common.paths import survey_path_problem
    from relimpact.survey.schema import load_survey_file

    wrong = survey_path_problem(Path(path))
    if wrong is not None:
        raise SurveyError(problems=[wrong])
    return load_survey_file(Path(path))
