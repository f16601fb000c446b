"""Benchmark: relimpact against pandas + pingouin, polars and DuckDB, at 1,000 to 1,000,000 rows.

For each size this writes (once, into ``--data``) a Google-Forms-style export of the bundled
network-health template (``make_exports.py``), byte-compiles relimpact as ``pip install``
does, and runs, each in a fresh process:

- ``relimpact score network-health.yaml responses.csv --format json -o out.json``
- ``relimpact report network-health.yaml responses.csv --audience funder -o out.html``
- ``pandas_way.py``: pandas + pingouin (per dimension n, mean, sd and Cronbach's alpha)
- ``polars_way.py``: polars, lazily (per dimension n, mean, sd)
- ``duckdb_way.py``: one DuckDB SQL query (per dimension n, mean, sd)

It checks that all four give the same n, mean and sd for every dimension (to 1e-9), then
prints a Markdown table: the median wall time of ``--repeat`` runs, the median CPU time
(user + system: steadier than wall time on a busy machine, but DuckDB and polars use several
threads) and the largest peak memory (the child's ``ru_maxrss``) of each, and the ratios the
targets are about (report / score, score / DuckDB, score / pandas), of wall time and, in
brackets, of CPU time. Run it from the repository root:

    pip install -e '.[bench]'
    python benchmarks/bench.py                    # 1,000, 100,000 and 1,000,000 rows
    python benchmarks/bench.py 1000 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from make_exports import DATA, ROOT, TEMPLATE, export_path

HERE = Path(__file__).resolve().parent


def run(cmd: list[str], stdout: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of a child process."""
    start = time.perf_counter()
    with open(stdout or os.devnull, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure(cmd: list[str], repeat: int, stdout: Path | None = None) -> tuple[float, float, float]:
    """The median wall time, the largest peak memory and the median CPU time of runs."""
    runs = [run(cmd, stdout) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def figures(path: Path, relimpact: bool = False) -> dict[str, tuple[int, float, float]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    dims = doc["dimensions"] if relimpact else doc
    return {d: (v["n"], v["mean"], v["sd"]) for d, v in dims.items()}


def check(ours: dict, theirs: dict, who: str) -> None:
    for d, (n, mean, sd) in ours.items():
        tn, tmean, tsd = theirs[d]
        same = n == tn and math.isclose(mean, tmean, abs_tol=1e-9)
        if not (same and math.isclose(sd, tsd, abs_tol=1e-9)):
            raise SystemExit(f"{who} differs on {d}: {(tn, tmean, tsd)} against {(n, mean, sd)}")


def cell(t: tuple[float, float, float]) -> str:
    return f"{t[0]:.2f} s ({t[2]:.2f} s CPU), {t[1]:.0f} MB"


def ratio(a: tuple[float, float, float], b: tuple[float, float, float]) -> str:
    return f"{a[0] / b[0]:.2f} ({a[2] / b[2]:.2f})"


def byte_compile() -> None:
    """Byte-compile the package first, as ``pip install`` does when it installs it: with an
    editable install and ``PYTHONDONTWRITEBYTECODE`` set (as on the development machine)
    every run would compile the sources again, some 0.2 s that no installed copy spends."""
    import compileall

    compileall.compile_dir(str(ROOT / "relimpact"), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median time)")
    args = parser.parse_args()
    py = sys.executable
    byte_compile()
    out = args.data / "out"
    survey = str(TEMPLATE)
    rows = []
    for n in args.sizes:
        data = str(export_path(args.data, n))
        score = measure(
            [py, "-m", "relimpact", "score", survey, data, "--format", "json", "-o", f"{out}.json"],
            args.repeat,
        )
        ours = figures(Path(f"{out}.json"), relimpact=True)
        report = measure(
            [py, "-m", "relimpact", "report", survey, data, "--audience", "funder"]
            + ["-o", f"{out}.html"],
            args.repeat,
        )
        others = {}
        for way in ("pandas", "polars", "duckdb"):
            result = Path(f"{out}-{way}.json")
            way_cmd = [py, str(HERE / f"{way}_way.py"), survey, data]
            others[way] = measure(way_cmd, args.repeat, result)
            check(ours, figures(result), way)
        rows.append(
            f"| {n:,} | {cell(score)} | {cell(report)} | {cell(others['pandas'])} "
            f"| {cell(others['polars'])} | {cell(others['duckdb'])} "
            f"| {ratio(report, score)} | {ratio(score, others['duckdb'])} "
            f"| {ratio(score, others['pandas'])} |"
        )
        print(f"{n:,} rows done: the four agree on n, mean and sd", file=sys.stderr)
    print(
        "| respondents | score json | report funder html | pandas + pingouin | polars | DuckDB "
        "| report / score | score / DuckDB | score / pandas |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
