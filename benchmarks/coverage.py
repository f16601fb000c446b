"""Coverage of every interval relimpact prints, on known populations with missing answers.

For each population (four items on a 1-5 scale driven by one latent trait, so that the
items correlate as real survey items do; 15% of answers missing at random; a respondent
has a dimension score when they answered at least half the items) the true values are
computed on the whole population: the mean of the dimension scores, the dimension's %
favourable (mean of the items' shares at 4 or 5), and alpha (pairwise). Then samples of
n = 6, 20 and 200 respondents are drawn, the intervals are computed exactly as
``relimpact score`` computes them (``stats.mean_ci``, ``scoring.favourable_interval``,
``stats.feldt_ci`` with the mean pairwise n), and the share of samples whose interval
holds the true value is counted. "not printed" means relimpact prints no interval there
(fewer than 10 respondents). The last rows sample 200 of a membership of 300 without
replacement, with the finite-population correction, against that membership's values;
and, for comparison, the methods relimpact used before (percentile bootstrap at every
n, Feldt's n = every row) are measured at n = 20.

Run from the repository root (about a minute; fixed seed, so the table is the same
every time):

    python benchmarks/coverage.py            # 1,000 samples per cell
    python benchmarks/coverage.py --reps 4000

and paste the table into README.md ("How the figures are made").
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from relimpact import stats  # noqa: E402
from relimpact.scoring.engine import dimension_scores, favourable_interval  # noqa: E402

POPULATIONS = {
    # name: (latent centre, item loadings)
    "agreeable": (0.8, (0.9, 0.8, 0.7, 0.6)),
    "mixed": (0.0, (0.7, 0.7, 0.5, 0.4)),
    "skewed low": (-0.9, (1.0, 0.6, 0.6, 0.3)),
}
MISSING = 0.15
FAVOURABLE_FROM = 4


def population(centre: float, loadings: tuple[float, ...], size: int, rng: np.random.Generator):
    trait = rng.normal(size=size)
    cols = []
    for w in loadings:
        latent = 3.0 + centre + w * trait + rng.normal(scale=0.8, size=size)
        cols.append(np.clip(np.round(latent), 1, 5))
    x = np.column_stack(cols).astype(np.float64)
    x[rng.random(x.shape) < MISSING] = np.nan
    return x


def truths(x: np.ndarray) -> tuple[float, float, float]:
    scores = dimension_scores(x)
    mean = float(np.nanmean(scores))
    fav = float(np.mean([np.mean(c[~np.isnan(c)] >= FAVOURABLE_FROM) for c in x.T])) * 100
    alpha = stats.alpha_from_cov(stats.pairwise_cov(x))
    assert alpha is not None
    return mean, fav, alpha


def intervals(sample: np.ndarray, seed: int, members: int | None, old: bool = False):
    """(mean ci, favourable ci, alpha ci) as relimpact prints them (None: not printed)."""
    scores = dimension_scores(sample)
    valid = scores[~np.isnan(scores)]
    if old:
        mean_ci = stats.bootstrap_mean_ci(valid, seed=seed) if valid.size else None
    else:
        mean_ci, _ = stats.mean_ci(valid, seed=seed, population=members)
    favs, ns = [], []
    for c in sample.T:
        v = c[~np.isnan(c)]
        if v.size:
            favs.append(100.0 * float(np.mean(v >= FAVOURABLE_FROM)))
            ns.append(v.size)
    fav_ci = None  # relimpact printed no interval for % favourable before
    if not old:
        fav_ci = favourable_interval(float(np.mean(favs)), float(np.mean(ns)), members)
    moments = stats.pairwise_moments(sample)
    alpha = stats.alpha_from_cov(moments.cov())
    n_pair = stats.mean_pairwise_n(moments.n)
    i, j = np.triu_indices(sample.shape[1], 1)
    alpha_ci = None
    if alpha is not None and float(moments.n[i, j].min()) >= 5:
        if old:
            alpha_ci = stats.feldt_ci(alpha, sample.shape[0], sample.shape[1])
        elif n_pair >= stats.NO_INTERVAL_BELOW:
            alpha_ci = stats.feldt_ci(alpha, n_pair, sample.shape[1])
    return mean_ci, fav_ci, alpha_ci


def coverage(cells: list[tuple[float, float] | None], truth: float) -> str:
    printed = [c for c in cells if c is not None]
    if not printed:
        return "not printed"
    hit = sum(1 for lo, hi in printed if lo <= truth <= hi)
    share = 100.0 * hit / len(printed)
    note = "" if len(printed) == len(cells) else f" ({len(printed)} printed)"
    return f"{share:.1f}%{note}"


def run(reps: int, seed: int) -> list[tuple[str, str, str, str, str]]:
    rng = np.random.default_rng(seed)
    rows = []
    for name, (centre, loadings) in POPULATIONS.items():
        pop = population(centre, loadings, 200_000, rng)
        truth = truths(pop)
        for n in (6, 20, 200):
            got: list[list] = [[], [], []]
            for r in range(reps):
                sample = pop[rng.integers(0, pop.shape[0], size=n)]
                for k, ci in enumerate(intervals(sample, seed + r, None)):
                    got[k].append(ci)
            rows.append((name, str(n), *(coverage(g, t) for g, t in zip(got, truth, strict=True))))
        old: list[list] = [[], [], []]
        for r in range(reps):
            sample = pop[rng.integers(0, pop.shape[0], size=20)]
            for k, ci in enumerate(intervals(sample, seed + r, None, old=True)):
                old[k].append(ci)
        rows.append(
            (name, "20, methods before", *(coverage(g, t) for g, t in zip(old, truth, strict=True)))
        )
        members = pop[rng.choice(pop.shape[0], size=300, replace=False)]
        truth_m = truths(members)
        fin: list[list] = [[], [], []]
        for r in range(reps):
            sample = members[rng.choice(300, size=200, replace=False)]
            for k, ci in enumerate(intervals(sample, seed + r, 300)):
                fin[k].append(ci)
        # alpha is not corrected (its interval is about the instrument, not the membership)
        rows.append(
            (
                name,
                "200 of 300 members",
                *(coverage(g, t) for g, t in zip(fin, truth_m, strict=True)),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    rows = run(args.reps, args.seed)
    print(f"Coverage of 95% intervals, {args.reps} samples per row (seed {args.seed}):\n")
    print(
        "| population | n | mean (`ci95`) | % favourable (`favourable_ci95`) "
        "| alpha (`alpha_ci95`) |"
    )
    print("|---|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    worst = [
        float(cell.split("%")[0])
        for row in rows
        if "before" not in row[1]
        for cell in row[2:]
        if cell != "not printed"
    ]
    print(f"\nLowest coverage of a printed interval: {min(worst):.1f}%")
    if min(worst) < 93.0 or math.isnan(min(worst)):
        sys.exit("an interval relimpact prints covers less than 93%")


if __name__ == "__main__":
    main()
