"""The polars way: what ``relimpact score`` computes for each dimension, as a lazy query.

    python benchmarks/polars_way.py surveys/network-health.yaml responses.csv

Scans the export with polars (every column as text, only the scored columns read), maps
the agree5 labels to 1-5 (the not-applicable labels and blanks to null), reverses the
reversed items, scores each dimension as the mean of its answered items when at least
half of them are answered (the half rule), and prints each dimension's n, mean and sample
sd as JSON on standard output. Nothing else (no intervals, reliability, segments,
duplicates or privacy).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import polars as pl
from make_exports import spec


def main() -> None:
    template, path = Path(sys.argv[1]), sys.argv[2]
    s = spec(template)
    frame = pl.scan_csv(path, infer_schema=False)
    scores = []
    for d in s.dimensions:
        values = []
        for item in s.items_of(d):
            mapping = {k: (6 - v if item.reverse else v) for k, v in s.points.items()}
            values.append(
                pl.col(item.text).replace_strict(mapping, default=None, return_dtype=pl.Float64)
            )
        answered = pl.sum_horizontal([v.is_not_null() for v in values])
        total = pl.sum_horizontal(values)
        half = math.ceil(len(values) / 2)
        scores.append(pl.when(answered >= half).then(total / answered).alias(d))
    result = frame.select(scores).select(
        [pl.col(d).count().alias(f"{d}.n") for d in s.dimensions]
        + [pl.col(d).mean().alias(f"{d}.mean") for d in s.dimensions]
        + [pl.col(d).std().alias(f"{d}.sd") for d in s.dimensions]
    )
    row = result.collect().row(0, named=True)
    out = {d: {k: row[f"{d}.{k}"] for k in ("n", "mean", "sd")} for d in s.dimensions}
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
