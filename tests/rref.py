"""Read the committed output of an R reference script in tests/r/ (``name = c(...)`` lines)."""

from __future__ import annotations

import re
from pathlib import Path

R_DIR = Path(__file__).parent / "r"
_LINE = re.compile(r"^(\S+) = c\((.*)\)$")


def r_reference(name: str) -> dict[str, list[float | None]]:
    """Every ``name = c(...)`` line of ``tests/r/<name>.out`` as a list of floats (NA = None)."""
    out: dict[str, list[float | None]] = {}
    for line in (R_DIR / f"{name}.out").read_text(encoding="utf-8").splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        values = [v.strip() for v in m.group(2).split(",")] if m.group(2).strip() else []
        parsed: list[float | None] = []
        for v in values:
            if v in {"NA", "NaN"}:
                parsed.append(None)
            elif v in {"TRUE", "FALSE"}:
                parsed.append(1.0 if v == "TRUE" else 0.0)
            else:
                parsed.append(float(v))
        out[m.group(1)] = parsed
    return out


def r_matrix(ref: dict[str, list[float | None]], name: str) -> list[list[float | None]]:
    """Columns ``name.1``, ``name.2``... as a list of columns."""
    cols = []
    j = 1
    while f"{name}.{j}" in ref:
        cols.append(ref[f"{name}.{j}"])
        j += 1
    return cols
