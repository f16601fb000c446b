"""The DuckDB way: what ``relimpact score`` computes for each dimension, in one SQL query.

    python benchmarks/duckdb_way.py surveys/network-health.yaml responses.csv

Reads the export with DuckDB's CSV reader (every column as text), maps the agree5 labels
to 1-5 (the not-applicable labels and blanks to NULL), reverses the reversed items,
scores each dimension as the mean of its answered items when at least half of them are
answered (the half rule), and prints each dimension's n, mean and sample sd as JSON on
standard output. It does nothing else (no intervals, reliability, segments, duplicates or
privacy): the floor for reading and aggregating the same file.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import duckdb
from make_exports import spec


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def query(path: str, template: Path) -> str:
    s = spec(template)
    parts = []
    for d in s.dimensions:
        items = s.items_of(d)
        values = []
        for item in items:
            whens = " ".join(
                f"WHEN {literal(label)} THEN {6 - v if item.reverse else v}"
                for label, v in s.points.items()
            )
            values.append(f"(CASE {ident(item.text)} {whens} END)")
        answered = " + ".join(f"({v} IS NOT NULL)::INT" for v in values)
        total = " + ".join(f"coalesce({v}, 0)" for v in values)
        half = math.ceil(len(items) / 2)
        parts.append(
            f"CASE WHEN {answered} >= {half} THEN ({total}) / ({answered}) END AS {ident(d)}"
        )
    aggregates = ", ".join(
        f"count({ident(d)}), avg({ident(d)}), stddev_samp({ident(d)})" for d in s.dimensions
    )
    source = f"read_csv({literal(path)}, header = true, all_varchar = true)"
    return f"SELECT {aggregates} FROM (SELECT {', '.join(parts)} FROM {source})"


def main() -> None:
    template, path = Path(sys.argv[1]), sys.argv[2]
    (row,) = duckdb.sql(query(path, template)).fetchall()
    dims = spec(template).dimensions
    out = {
        d: {"n": row[3 * i], "mean": row[3 * i + 1], "sd": row[3 * i + 2]}
        for i, d in enumerate(dims)
    }
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
