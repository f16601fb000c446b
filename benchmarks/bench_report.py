"""Benchmark: ``relimpact report`` against ``relimpact score`` on the same files.

A report reads and scores exactly as ``score`` does, then writes the report; the target
is a report in at most 1.3 times the time of ``score``. Each run is a fresh process:

- the demo (the bundled 120-row Google Forms export and its baseline, with the demo's
  membership counts): ``score --format json`` against the funder and members reports in
  HTML and Markdown;
- the Google-Forms-style export of the network-health template written by
  ``make_exports.py`` at the sizes given (default 1,000, 100,000 and 1,000,000
  respondents): ``score --format json`` against the funder report in HTML.

Prints the best wall time and the best CPU time (user + system, which a busy machine
disturbs less) of ``--repeat`` runs (one for a million), and the ratios. Run it
from the repository root:

    python benchmarks/bench_report.py              # the demo and all three sizes
    python benchmarks/bench_report.py 1000 100000  # the demo and chosen sizes
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from make_exports import TEMPLATE, export_path


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime


def best_of(cmd: list[str], repeat: int) -> tuple[float, float]:
    runs = [run(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def line(case: str, scored: tuple[float, float], report: tuple[float, float]) -> str:
    return (
        f"{case:<34} {scored[0]:>8.2f} {report[0]:>9.2f} {report[0] / scored[0]:>6.2f}"
        f" {scored[1]:>10.2f} {report[1]:>11.2f} {report[1] / scored[1]:>6.2f}"
    )


def demo_files(folder: Path) -> tuple[Path, Path, Path]:
    from relimpact.demo import BASELINE, RESPONSES, demo_survey_text, examples_dir

    survey = folder / "demo-survey.yaml"
    survey.write_text(demo_survey_text(), encoding="utf-8")
    return survey, examples_dir() / RESPONSES, examples_dir() / BASELINE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=Path("/tmp/relimpact-bench"))
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best time)")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    relimpact = [sys.executable, "-m", "relimpact"]
    out = args.data / "out"
    print(
        f"{'case':<34} {'score s':>8} {'report s':>9} {'ratio':>6}"
        f" {'score cpu':>10} {'report cpu':>11} {'ratio':>6}"
    )

    survey, current, baseline = demo_files(args.data)
    files = [str(survey), str(current), "--baseline", str(baseline)]
    scored = best_of([*relimpact, "score", *files, "--format", "json", "-o", f"{out}.json"], 3)
    for audience in ("funder", "members"):
        for suffix in ("html", "md"):
            report = best_of(
                [*relimpact, "report", *files, "--audience", audience, "-o", f"{out}.{suffix}"],
                args.repeat,
            )
            case = f"demo, {audience} {suffix}"
            print(line(case, scored, report))

    bench_survey = TEMPLATE
    for n in args.sizes:
        data = export_path(args.data, n)
        repeat = args.repeat if n <= 100_000 else 1
        files = [str(bench_survey), str(data)]
        scored = best_of(
            [*relimpact, "score", *files, "--format", "json", "-o", f"{out}.json"], repeat
        )
        report = best_of(
            [*relimpact, "report", *files, "--audience", "funder", "-o", f"{out}.html"], repeat
        )
        case = f"{n:,} respondents, funder html"
        print(line(case, scored, report))


if __name__ == "__main__":
    main()
