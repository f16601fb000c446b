"""The pandas + pingouin way of computing what relimpact score computes.

Used by bench_score.py as the comparison: read the export with pandas, map
labels to numbers, reverse the reversed items, score dimensions with the half
rule, and compute each dimension's mean and pingouin's Cronbach's alpha (and,
with --bootstrap, scipy.stats.bootstrap percentile intervals of the means).
"""

from __future__ import annotations

import json
import math
import sys

import numpy as np
import pandas as pd
import pingouin as pg
from bench_score import DIMENSIONS, ITEMS_PER_DIMENSION, LABELS
from scipy import stats

POINTS = {label: i for i, label in enumerate(LABELS, start=1)}


def main() -> None:
    path = sys.argv[1]
    bootstrap = "--bootstrap" in sys.argv
    df = pd.read_csv(path)
    out = {}
    for d in DIMENSIONS:
        cols = [f"Statement {j + 1} about {d.replace('_', ' ')}." for j in range(4)]
        items = pd.DataFrame({c: df[c].map(POINTS) for c in cols})
        items[cols[-1]] = 6 - items[cols[-1]]
        answered = items.notna().sum(axis=1)
        scores = items.mean(axis=1).where(answered >= math.ceil(ITEMS_PER_DIMENSION / 2))
        alpha, ci = pg.cronbach_alpha(data=items)
        entry = {"n": int(scores.notna().sum()), "mean": float(scores.mean()), "alpha": alpha}
        if bootstrap:
            values = scores.dropna().to_numpy()
            res = stats.bootstrap((values,), np.mean, method="percentile", random_state=1)
            entry["ci95"] = [res.confidence_interval.low, res.confidence_interval.high]
        out[d] = entry
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
