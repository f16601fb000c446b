"""relimpact: relationship-centred impact surveys for networks and coalitions.

The Python API, for notebooks and scripts::

    from relimpact import load_survey, read_responses, score, tidy

    survey = load_survey("survey.yaml")
    responses = read_responses(survey, ["responses.csv"])
    result = score(responses, by=["role"])      # the object every renderer uses
    result.to_dict()                            # the JSON contract
    tidy(responses)                             # a DataFrame (or records) of the answers

Keep this module light: ``relimpact --help`` imports it, so the names above are
loaded only when first used (PEP 562).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "load_survey": ("relimpact.survey.load", "load_survey"),
    "read_responses": ("relimpact.read.reading", "read_responses"),
    "inspect_responses": ("relimpact.read.reading", "inspect_responses"),
    "score": ("relimpact.scoring.engine", "score"),
    "tidy": ("relimpact.read.tables", "tidy"),
    "tidy_records": ("relimpact.read.tables", "tidy_records"),
    "RelimpactError": ("relimpact.common.errors", "RelimpactError"),
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'relimpact' has no attribute {name!r}")
