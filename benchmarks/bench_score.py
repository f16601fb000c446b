"""Benchmark: relimpact score against the pandas + pingouin way, end to end.

For each size (default 1,000, 100,000 and 1,000,000 respondents) this writes a
survey of 20 agree5 items in 5 dimensions (one reversed item in each) and a
CSV export with the answer labels in the cells, then runs, each in a fresh
process:

- ``relimpact score survey.yaml responses.csv --format json -o out.json``
- ``benchmarks/pandas_way.py``: pandas.read_csv, labels mapped to numbers,
  reversal, dimension scores with the half rule, means, pingouin's
  cronbach_alpha per dimension, and (up to 100,000 rows, where it is still
  feasible) scipy.stats.bootstrap percentile intervals of the means

and prints wall time and peak memory (the child's ru_maxrss) for both, and
the ratios. Run it from the repository root:

    pip install '.[bench]'
    python benchmarks/bench_score.py            # all three sizes
    python benchmarks/bench_score.py 1000 100000  # chosen sizes

The data files are written once to a cache folder (``--data DIR``, default
``/tmp/relimpact-bench``) and reused.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
DIMENSIONS = ["leadership", "training", "peer_support", "co_production", "the_net"]
ITEMS_PER_DIMENSION = 4
ROLES = ["Member organisation", "Individual member", "Convenor or staff"]


def survey_yaml() -> str:
    lines = [
        "relimpact: 1",
        "id: bench",
        "title: Benchmark survey",
        "scales:",
        "  agree5:",
        "    points:",
        *[f"      {i}: {label}" for i, label in enumerate(LABELS, start=1)],
        "    not_applicable: [Don't know]",
        "    favourable_from: 4",
        "    bands: {strength: 4.0, borderline: 3.0}",
        "dimensions:",
        *[f"  {d}: {{label: {d.replace('_', ' ').title()}}}" for d in DIMENSIONS],
        "questions:",
    ]
    for d in DIMENSIONS:
        for j in range(ITEMS_PER_DIMENSION):
            lines += [
                f"  - id: {d}_{j + 1}",
                f"    text: Statement {j + 1} about {d.replace('_', ' ')}.",
                "    scale: agree5",
                f"    dimension: {d}",
            ]
            if j == ITEMS_PER_DIMENSION - 1:
                lines.append("    reverse: true")
    lines += [
        "  - id: role",
        "    type: choice",
        "    text: Which best describes you?",
        f"    options: [{', '.join(ROLES)}]",
        "    segment: true",
    ]
    return "\n".join(lines) + "\n"


def write_responses(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    headers = ["Timestamp"]
    for d in DIMENSIONS:
        headers += [f"Statement {j + 1} about {d.replace('_', ' ')}." for j in range(4)]
    headers.append("Which best describes you?")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(f'"{h}"' for h in headers) + "\n")
        choices = LABELS + ["Don't know", ""]
        weights = [5, 10, 20, 40, 20, 3, 2]
        for i in range(n):
            cells = rng.choices(choices, weights, k=len(DIMENSIONS) * ITEMS_PER_DIMENSION)
            role = rng.choice(ROLES)
            fh.write(f"2026-10-05 09:{i % 60:02d}:00," + ",".join(cells) + f",{role}\n")


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024


def best_of(cmd: list[str], repeat: int) -> tuple[float, float]:
    runs = [run(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=Path("/tmp/relimpact-bench"))
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (best time)")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    survey = args.data / "survey.yaml"
    survey.write_text(survey_yaml(), encoding="utf-8")
    relimpact = [sys.executable, "-m", "relimpact"]
    print(
        f"{'respondents':>12} {'relimpact s':>12} {'pandas s':>10} {'time ratio':>10} "
        f"{'relimpact MiB':>14} {'pandas MiB':>11} {'memory ratio':>12}"
    )
    for n in args.sizes:
        data = args.data / f"responses-{n}.csv"
        if not data.exists():
            write_responses(data, n)
        repeat = args.repeat if n <= 100_000 else 1
        out = args.data / f"out-{n}.json"
        ours = best_of(
            [*relimpact, "score", str(survey), str(data), "--format", "json", "-o", str(out)],
            repeat,
        )
        theirs = best_of(
            [
                sys.executable,
                str(HERE / "pandas_way.py"),
                str(data),
                "--bootstrap" if n <= 1_000 else "--no-bootstrap",
            ],
            repeat,
        )
        print(
            f"{n:>12,} {ours[0]:>12.2f} {theirs[0]:>10.2f} {ours[0] / theirs[0]:>10.2f} "
            f"{ours[1]:>14.0f} {theirs[1]:>11.0f} {ours[1] / theirs[1]:>12.2f}"
        )


if __name__ == "__main__":
    main()
