"""``relimpact demo``: the whole journey on a bundled, made-up example.

The example is the default template (network-health) for a made-up network,
"Riverside Connectors", with its membership counts filled in, and two waves of
responses laid out as Google Forms downloads them (``surveys/examples/``, made by
``scripts/make_demo_data.py``). ``run_demo`` copies them into a folder, reads them as
``inspect`` does, scores them against the baseline and writes both reports in both
formats. It returns what it wrote; the CLI says where (on standard error) and prints the
score table (on standard output).

A second example follows: the network-map template over three yearly waves, its two
reports with the trend and its map for Gephi (``map-*`` files).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from relimpact.common.errors import OutputError

if TYPE_CHECKING:
    from relimpact.read.reading import Inspection
    from relimpact.read.responses import ResponseSet
    from relimpact.scoring.engine import ScoreResult

DEFAULT_OUT = Path("relimpact-demo")
# The demo marks the folder it made, so that running it again replaces its own files and
# never a folder of the user's (a survey.yaml of their own, their responses.csv).
MARKER = ".relimpact-demo"
MARKER_TEXT = "This folder was made by 'relimpact demo'; running it again replaces its files.\n"
NETWORK = "Riverside Connectors (a made-up example)"
RESPONSES = "network-health-responses.csv"
BASELINE = "network-health-baseline.csv"
# The membership of the made-up network, for "who we heard from" and response rates.
POPULATION = """
population:
  role:
    Member organisation: 72
    Individual member: 88
    Convenor or staff: 6
    Funder or partner: 4
  time_in_network:
    Less than a year: 38
    1 to 3 years: 80
    More than 3 years: 52
"""


@dataclass(frozen=True)
class DemoOutput:
    files: tuple[tuple[str, Path], ...]  # (what it is, where it is), in the order written
    result: ScoreResult
    responses: ResponseSet
    inspection: Inspection


def examples_dir() -> Path:
    from relimpact.survey.templates import templates_dir

    return templates_dir() / "examples"


def demo_survey_text() -> str:
    """The default template with the example network's name and membership filled in."""
    from relimpact.survey.templates import DEFAULT_TEMPLATE, template_path

    text = template_path(DEFAULT_TEMPLATE).read_text(encoding="utf-8")
    # The template's commented "# network: ..." line (right under the title) becomes the
    # example's name, where the demo has always written it.
    text = re.sub(r"^# network: .*\n", "", text, count=1, flags=re.M)
    if not re.search(r"^network:", text, flags=re.M):
        text = re.sub(
            r"^(title:.*\n)",
            lambda m: m.group(1) + f"network: {NETWORK}\n",
            text,
            count=1,
            flags=re.M,
        )
    if not re.search(r"^population:", text, flags=re.M):
        text = text.rstrip("\n") + "\n" + POPULATION
    return text


def _text(renderable: object, width: int = 120) -> str:
    """A rich renderable (the inspect or score table) as plain text for a file."""
    import io

    from relimpact.console.terminal import PlainConsole

    buf = io.StringIO()
    PlainConsole(file=buf, width=width, soft_wrap=False, color_system=None).print(renderable)
    return buf.getvalue()


def run_demo(
    out: Path = DEFAULT_OUT,
    *,
    step: Callable[[str], None] | None = None,
) -> DemoOutput:
    """Copy the example into ``out`` and run inspect, score and both reports on it.

    ``step`` is told what is being done (for progress). ``out`` must be new, empty, or a
    folder an earlier demo made (it holds ``.relimpact-demo``): then its demo files are
    replaced and other files there are left alone. Any other folder is refused.
    """
    from relimpact.common.output import write_atomic
    from relimpact.console.inspect import inspect_table
    from relimpact.console.score import to_json, to_table
    from relimpact.read.reading import inspect_responses, read_responses
    from relimpact.report.render import render_report
    from relimpact.scoring.engine import score
    from relimpact.survey.load import load_survey

    def tell(what: str) -> None:
        if step is not None:
            step(what)

    if out.exists() and not out.is_dir():
        raise OutputError("is a file, not a folder.", where=str(out), hint="Give a folder name.")
    marker = out / MARKER
    if out.is_dir() and not marker.is_file() and any(out.iterdir()):
        raise OutputError(
            "already exists, is not empty and is not a folder the demo made; nothing was written.",
            where=str(out),
            hint="Give a new folder, e.g. relimpact demo --out relimpact-demo-2.",
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot be created ({exc.strerror}).", where=str(out)) from None
    written: list[tuple[str, Path]] = []
    write_atomic(marker, MARKER_TEXT)

    def write(what: str, name: str, content: str | bytes) -> Path:
        path = out / name
        write_atomic(path, content)
        written.append((what, path))
        return path

    tell("Copying the example survey and responses")
    survey_path = write("survey template", "survey.yaml", demo_survey_text())
    examples = examples_dir()
    responses_path = write(
        "responses (Google Forms download)",
        "responses.csv",
        (examples / RESPONSES).read_bytes(),
    )
    baseline_path = write(
        "last year's responses (the baseline)", "baseline.csv", (examples / BASELINE).read_bytes()
    )
    survey = load_survey(survey_path)

    tell("Inspecting the responses")
    inspection = inspect_responses(survey, [responses_path])
    write("inspect: how the file was read", "inspect.txt", _text(inspect_table(inspection)))

    tell("Reading the responses")
    responses = read_responses(survey, [responses_path])
    baseline = read_responses(survey, [baseline_path], baseline=True)
    tell("Scoring (bootstrap intervals, change since the baseline)")
    result = score(responses, baseline=baseline)
    write("scores (JSON)", "scores.json", to_json(result))
    write("scores (table)", "scores.txt", _text(to_table(result)))

    for audience, what in (("funder", "report for funders"), ("members", "report for members")):
        for fmt in ("html", "md"):
            tell(f"Writing the {what} ({fmt})")
            text = render_report(result, responses, audience, fmt)
            write(
                f"{what} ({'HTML' if fmt == 'html' else 'Markdown'})",
                f"report-{audience}.{fmt}",
                text,
            )
    _network_trend(write, tell)
    return DemoOutput(tuple(written), result, responses, inspection)


# The second example: the network-map template over three yearly waves (made up, by
# scripts/make_network_example.py), for the trend and the map export.
MAP_WAVES = (
    ("2024", "network-map-2024.csv"),
    ("2025", "network-map-baseline.csv"),
    ("2026", "network-map-responses.csv"),
)


def _network_trend(
    write: Callable[[str, str, str | bytes], Path], tell: Callable[[str], None]
) -> None:
    """Three waves of the network-map example: both reports with their trend, and the map
    for Gephi (GEXF, pseudonymised, the waves as time spans)."""
    from relimpact.net.export import export_from_responses
    from relimpact.read.reading import read_responses
    from relimpact.report.render import render_report
    from relimpact.scoring.engine import score
    from relimpact.survey.load import load_survey
    from relimpact.survey.templates import template_path

    tell("The network over three surveys")
    survey_path = write(
        "map example: survey template",
        "map-survey.yaml",
        template_path("network-map").read_bytes(),
    )
    survey = load_survey(survey_path)
    waves = []
    for label, name in MAP_WAVES:
        path = write(f"map example: {label} responses", f"map-{label}.csv",
                     (examples_dir() / name).read_bytes())  # fmt: skip
        waves.append((label, read_responses(survey, [path], baseline=label != "2026")))
    now = waves[-1][1]
    result = score(now, waves=waves[:-1], label="2026")
    for audience in ("funder", "members"):
        write(
            f"map example: {audience} report, trend",
            f"map-report-{audience}.html",
            render_report(result, now, audience, "html"),
        )
    text, _ = export_from_responses(survey, waves, "gexf")
    write("map example: for Gephi (GEXF)", "map.gexf", text)
