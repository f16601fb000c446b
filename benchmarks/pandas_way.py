"""The pandas + pingouin way: what ``relimpact score`` computes for each dimension.

    python benchmarks/pandas_way.py surveys/network-health.yaml responses.csv

Reads the export with ``pandas.read_csv`` (every column as text), maps the agree5 labels to
1-5 (the not-applicable labels and blanks to missing), reverses the reversed items, scores
each dimension as the mean of its answered items when at least half are answered (the half
rule), and prints each dimension's n, mean, sample sd and pingouin's Cronbach's alpha
(``pingouin.cronbach_alpha``, listwise over the dimension's items) as JSON. With
``--bootstrap``, also scipy.stats.bootstrap percentile intervals of the means.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
from make_exports import spec
from scipy import stats


def main() -> None:
    template, path = Path(sys.argv[1]), sys.argv[2]
    bootstrap = "--bootstrap" in sys.argv
    s = spec(template)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = {}
    for d in s.dimensions:
        items = s.items_of(d)
        frame = pd.DataFrame(
            {
                i.id: df[i.text].map({k: (6 - v if i.reverse else v) for k, v in s.points.items()})
                for i in items
            }
        )
        answered = frame.notna().sum(axis=1)
        scores = frame.mean(axis=1).where(answered >= math.ceil(len(items) / 2))
        alpha, _ = pg.cronbach_alpha(data=frame)
        entry = {
            "n": int(scores.notna().sum()),
            "mean": float(scores.mean()),
            "sd": float(scores.std()),
            "alpha": float(alpha),
        }
        if bootstrap:
            values = scores.dropna().to_numpy()
            res = stats.bootstrap((values,), np.mean, method="percentile", random_state=1)
            entry["ci95"] = [res.confidence_interval.low, res.confidence_interval.high]
        out[d] = entry
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
