"""Which argument is which: a survey template given where a response file goes, or
the other way round. Both checks look only at a file's name and first bytes, so they
can run before anything is parsed (``load_survey``, ``read_responses``, the CLI)."""

from __future__ import annotations

import re
from pathlib import Path

from relimpact.common.errors import Problem

RESPONSE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".zip")
SURVEY_SUFFIXES = (".yaml", ".yml")


def survey_path_problem(path: Path) -> Problem | None:
    """A response file (CSV, XLSX...) given where the survey template goes."""
    suffix = path.suffix.lower()
    kind = None
    if path.is_dir():
        kind = "a folder"
    elif suffix in RESPONSE_SUFFIXES:
        kind = f"a response file ({suffix[1:].upper()})"
    else:
        if not path.is_file():  # a pipe is read once, by the YAML loader
            return None
        try:
            with path.open("rb") as f:
                start = f.read(4)
        except OSError:
            return None
        if start.startswith(b"PK\x03\x04"):
            kind = "a workbook or ZIP file"
    if kind is None:
        return None
    return Problem(
        str(path),
        f"this is {kind}, not a survey template; the survey template (a .yaml file) comes "
        "first, then the response files.",
        "For example: relimpact score survey.yaml responses.csv",
    )


def is_survey_template(path: Path) -> bool:
    """A YAML file, by its name or by a first line ``relimpact: 1``."""
    if path.suffix.lower() in SURVEY_SUFFIXES:
        return True
    if not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    for line in head.decode("utf-8", "replace").lstrip("\ufeff").splitlines():
        s = line.strip()
        if not s or s.startswith("#") or s == "---":
            continue
        return bool(re.match(r"^relimpact\s*:\s*\d+\s*(#.*)?$", s))
    return False


def response_path_problem(path: Path, what: str = "response file") -> Problem | None:
    """A survey template (YAML) given among the response files."""
    if not is_survey_template(path):
        return None
    example = (
        "relimpact score survey.yaml responses.csv --baseline last-year.csv"
        if what == "baseline file"
        else "relimpact score survey.yaml responses.csv"
    )
    return Problem(
        str(path),
        f"this is a survey template (YAML), not a {what}; the survey template comes first, "
        "then the response files.",
        f"For example: {example}",
    )
