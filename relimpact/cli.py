"""The ``relimpact`` command line: a thin typer layer over the library.

Each command resolves its options, calls the library and picks a renderer.
Library errors (``RelimpactError``) become ``Error: ...`` on standard error
and exit status 1; ``--debug`` shows the traceback instead. Heavy modules are
imported inside the commands so that ``relimpact --help`` starts instantly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from relimpact import __version__
from relimpact.common.errors import RelimpactError

if TYPE_CHECKING:
    import click  # typer's click: typer.core.click or typer._click


def _quick_help(option: click.Parameter | None) -> click.Parameter | None:
    """The help option with a default of False. Typer validates an option's value with a
    pydantic validator unless it is already a bool; the help option's default is None, so
    every command line (``relimpact score --help`` too) built one and imported pydantic
    (0.3 s) before anything was printed."""
    if option is not None and option.default is None:
        option.default = False
    return option


class _Group(TyperGroup):
    def get_help_option(self, ctx: click.Context) -> click.Parameter | None:
        return _quick_help(super().get_help_option(ctx))


app = typer.Typer(
    cls=_Group,
    name="relimpact",
    help=(
        "Relationship-centred impact surveys for networks and coalitions: build the "
        "questionnaire, read the exports, score them honestly and report to members and "
        "funders.\n\nStart with: relimpact demo"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _Command(TyperCommand):
    """A command whose help shows argument names without Python type names.

    Typer writes ``RESPONSES... <list[Path]>`` and ``{SURVEY}``; people read
    ``RESPONSES...`` and ``SURVEY``, with what each is in the text beside it.
    """

    def get_help_option(self, ctx: click.Context) -> click.Parameter | None:
        return _quick_help(super().get_help_option(ctx))

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = ["[OPTIONS]"] if any(p.param_type_name == "option" for p in self.params) else []
        return pieces + [_argument_name(p) for p in self.params if p.param_type_name == "argument"]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _argument_name(param: click.Parameter) -> str:
    name = param.metavar or (param.name or "").upper()
    return name if name.endswith("...") or param.nargs == 1 else f"{name}..."


SurveyArg = Annotated[
    Path, typer.Argument(metavar="SURVEY", help="The survey template (survey.yaml).")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"relimpact {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    # A plain bool (not Optional[bool]): typer then needs no pydantic validator for it,
    # and pydantic (0.3 s) is not imported by ``relimpact score --help``.
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback on errors (for bug reports).")
    ] = False,
) -> None:
    """Relationship-centred impact surveys for networks and coalitions."""


def _console(stderr: bool = False):  # -> rich.console.Console
    """A console that prints user text as plain text (no markup, no control characters)."""
    from relimpact.console.terminal import PlainConsole

    return PlainConsole(stderr=stderr, soft_wrap=False)


@app.command(
    cls=_Command,
    short_help="Scaffold a survey folder (survey.yaml and a README) from a bundled template.",
)
def init(
    folder: Annotated[Path, typer.Argument(help="The folder to create.")],
    template: Annotated[
        str,
        typer.Option(
            "--template",
            "-t",
            metavar="NAME",
            help="A bundled template (see 'relimpact templates').",
        ),
    ] = "network-health",
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing folder's files.")
    ] = (False),
) -> None:
    """Scaffold a survey folder (survey.yaml and a README) from a bundled template.

    Example: relimpact init our-survey --template member-connection
    """
    from relimpact.survey.templates import init_folder

    written = init_folder(folder, template, force)
    err = _console(stderr=True)
    for path in written:
        err.print(f"wrote {path}")
    err.print(f"Next: edit {written[0]}, then run: relimpact check {written[0]}")


@app.command(cls=_Command, short_help="List the bundled survey templates.")
def templates(
    fmt: Annotated[
        str, typer.Option("--format", metavar="table|json", help="Output format.")
    ] = "table",
) -> None:
    """List the bundled survey templates.

    Example: relimpact templates
    """
    from relimpact.survey.templates import list_templates

    items = list_templates()
    if fmt == "json":
        import json

        rows = [
            {
                "name": t.name,
                "title": t.title,
                "questions": t.questions,
                "scale_items": t.scale_items,
                "description": t.description,
            }
            for t in items
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    _require_format(fmt, ("table", "json"))
    from rich.table import Table

    table = Table(title="Bundled survey templates", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("title")
    table.add_column("questions", justify="right")
    table.add_column("description")
    for t in items:
        table.add_row(t.name, t.title, f"{t.questions} ({t.scale_items} scored)", t.description)
    _console().print(table)


@app.command(
    cls=_Command,
    short_help=(
        "Validate a survey.yaml: a summary when valid, every problem with file:line when not."
    ),
)
def check(
    survey: SurveyArg,
    fmt: Annotated[
        str, typer.Option("--format", metavar="table|json", help="Output format.")
    ] = "table",
) -> None:
    """Validate a survey.yaml; exit 0 when it is valid, 1 with every problem when not.

    Example: relimpact check our-survey/survey.yaml
    """
    _require_format(fmt, ("table", "json"))
    from relimpact.console.check import check_error_json, check_json, check_table
    from relimpact.survey.load import load_survey

    try:
        s = load_survey(survey)
    except RelimpactError as exc:
        if fmt == "json":  # the answer on standard output too; the error as always
            typer.echo(check_error_json(exc))
        raise
    for warning in (*s.privacy_warnings, *s.notice_warnings, *s.xlsform_warnings):
        sys.stderr.write(f"Warning: {warning}\n")
    if fmt == "json":
        typer.echo(check_json(s))
    else:
        _console().print(check_table(s))


ResponsesArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="RESPONSES...",
        help="Response files (CSV or XLSX) exactly as the survey tool exported them.",
    ),
]
BaselineOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer reads the annotation at run time
    typer.Option(
        "--baseline", metavar="FILE", help="An earlier wave of the same survey (repeatable)."
    ),
]
WaveOpt = Annotated[
    Optional[list[str]],  # noqa: UP045 - typer reads the annotation at run time
    typer.Option(
        "--wave",
        metavar="LABEL=FILE",
        help="An earlier wave of the same survey, oldest first (repeatable; the same label "
        "twice in a row: one wave in several files). --baseline, if given too, is the wave "
        "just before this one.",
    ),
]
LabelOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--label",
        metavar="LABEL",
        help="This wave's label, with --wave (default: the year it was answered).",
    ),
]
ByOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--by",
        metavar="QUESTION",
        help="Also break scores down by this choice question (repeatable).",
    ),
]
WeightByOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--weight-by",
        metavar="QUESTION",
        help="Also re-weight dimension means to the membership's make-up on this question "
        "(repeatable: raked to every one given; needs population counts in survey.yaml); "
        "shown beside the unweighted means, with standard errors and intervals.",
    ),
]
GroupByFileOpt = Annotated[
    bool,
    typer.Option(
        "--group-by-file",
        help="One response file per network: each file's figures side by side, and combined.",
    ),
]
SeedOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--seed", metavar="N", help="Seed of the bootstrap intervals (default: fixed)."),
]
AllowMissingOpt = Annotated[
    bool,
    typer.Option(
        "--allow-missing",
        help="Score even when a scored question has no column in the files: it is read as "
        "not asked, with a warning, and the reports' Methods name it.",
    ),
]
IncludeIncompleteOpt = Annotated[
    bool,
    typer.Option(
        "--include-incomplete",
        help="Keep responses the export marks as not finished (LimeSurvey: no submission "
        "date; Qualtrics: Finished 0). Left out, with a warning, by default.",
    ),
]
OutputOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the result to this file (whole or not at all).",
    ),
]


def _read(
    survey,
    paths: list[Path],
    what: str = "responses",
    allow_missing: bool = False,
    include_incomplete: bool = False,
    keep_text: str = "all",
):
    """Read response files (or, with what="baseline", an earlier wave), with progress on
    standard error. ``keep_text``: see ``read_responses``."""
    from relimpact.read.reading import read_responses

    return _with_progress(
        lambda progress: read_responses(
            survey,
            paths,
            progress=progress,
            allow_missing=allow_missing,
            baseline=what != "responses",
            include_incomplete=include_incomplete,
            keep_text=keep_text,
        ),
        what,
    )


def _score_files(
    survey: Path,
    responses: list[Path],
    baseline: list[Path] | None,
    by: list[str] | None,
    seed: int | None,
    weight_by: list[str] | None,
    group_by_file: bool,
    allow_missing: bool = False,
    include_incomplete: bool = False,
    waves: list[str] | None = None,
    label: str | None = None,
    keep_text: str = "none",
):  # -> tuple[ScoreResult, ResponseSet, QuotePool | None]
    """Read the responses (and baseline, and earlier waves) and score them, as score and
    report both do. Scores use no free text: only a report keeps the answers it may quote
    (``keep_text="quotable"``), and only for this wave; it also gets the quotes, chosen
    on another core while the responses are scored (they need no score)."""
    from relimpact.common import parallel
    from relimpact.common.errors import RelimpactError
    from relimpact.scoring import stats
    from relimpact.scoring.engine import score, segment_ids

    current, before, earlier, label, before_label = _read_waves(
        survey, responses, baseline, waves, label, allow_missing, include_incomplete, keep_text
    )
    segments = None
    if keep_text == "quotable":
        try:
            segments = segment_ids(current, by or (), group_by_file)
        except RelimpactError:
            segments = None  # score gives the error
    with parallel.pool() as tasks:  # shared: at most one task per core at a time
        quotes = None
        if segments is not None:
            from relimpact.report.quotes import quotes_for

            quotes = tasks.submit(quotes_for, segments, current)
        result = score(
            current,
            by=by or (),
            seed=stats.DEFAULT_SEED if seed is None else seed,
            baseline=before,
            weight_by=weight_by,
            group_by_file=group_by_file,
            waves=[w for w in earlier if w[1] is not before],
            label=label,
            baseline_label=before_label,
            tasks=tasks,
        )
        pool = quotes.result() if quotes is not None else None
    from relimpact.common import memory

    memory.release()  # what scoring freed, before a report is built (common/memory.py)
    return result, current, pool


def _read_waves(
    survey: Path,
    responses: list[Path],
    baseline: list[Path] | None,
    waves: list[str] | None,
    label: str | None,
    allow_missing: bool = False,
    include_incomplete: bool = False,
    keep_text: str = "none",
):  # -> (current, baseline, earlier waves [(label, ResponseSet)], this label, baseline's)
    """Read this wave, the baseline and the --wave waves (see relimpact.read.waves)."""
    from relimpact.common.paths import response_path_problem
    from relimpact.common.sources import local_files
    from relimpact.read.fit import check_waves
    from relimpact.read.waves import (
        CURRENT,
        PREVIOUS,
        check_baseline,
        check_distinct,
        check_label,
        check_labels,
        check_order,
        choose_label,
        parse_waves,
    )
    from relimpact.survey.load import load_survey

    specs = parse_waves(waves or ())
    if label is not None:
        label = " ".join(label.split())
        check_label(label, "--label")
    s = load_survey(survey)
    for path in [*(baseline or ()), *(p for w in specs for p in w.paths)]:
        wrong = response_path_problem(path, "baseline file")
        if wrong is not None:
            raise RelimpactError(problems=[wrong])
    groups = [list(responses), list(baseline or ()), *(list(w.paths) for w in specs)]
    with local_files([p for g in groups for p in g]) as sources:
        split, at = [], 0
        for g in groups:
            split.append(sources[at : at + len(g)])
            at += len(g)
        cur, base, wave_sources = split[0], split[1], split[2:]
        check_waves(cur, base)
        check_distinct(
            [
                ("the response files", cur),
                ("--baseline", base),
                *((f"--wave {w.label}", src) for w, src in zip(specs, wave_sources, strict=True)),
            ]
        )
        current = _read(
            s,
            cur,
            allow_missing=allow_missing,
            include_incomplete=include_incomplete,
            keep_text=keep_text,
        )
        # Earlier waves give scores and figures, never quotes.
        earlier_text = "all" if keep_text == "all" else "none"
        before = (
            _read(
                s, base, "baseline", include_incomplete=include_incomplete, keep_text=earlier_text
            )
            if base
            else None
        )
        read_waves = [
            (
                w.label,
                _read(
                    s,
                    src,
                    f"wave {w.label}",
                    include_incomplete=include_incomplete,
                    keep_text=earlier_text,
                ),
            )
            for w, src in zip(specs, wave_sources, strict=True)
        ]
    if not specs:
        before_label = choose_label(None, before.fieldwork, [], PREVIOUS) if before else ""
        label = choose_label(label, current.fieldwork, [before_label], CURRENT)
        if label == before_label:
            check_labels([before_label, label])
        if before is not None:
            check_baseline(before.fieldwork, current.fieldwork)
        return current, before, [], label, before_label
    taken = [w.label for w in specs]
    if before is not None:
        taken.append(choose_label(None, before.fieldwork, taken, PREVIOUS))
        read_waves.append((taken[-1], before))
    label = choose_label(label, current.fieldwork, taken, CURRENT)
    check_labels([*taken, label])
    check_order([*((lab, r.fieldwork) for lab, r in read_waves), (label, current.fieldwork)])
    return current, before, read_waves, label, taken[-1] if before is not None else ""


def _with_progress(job, what: str):  # noqa: ANN001, ANN202 - a callable taking a progress callback
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    console = _console(stderr=True)
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as bar:
        task = bar.add_task(f"Reading {what}", total=None)

        def progress(rows: int) -> None:
            bar.update(task, description=f"Reading {what}: {rows:,} rows")

        return job(progress)


def _emit(text: str, output: Path | None, inputs: tuple[Path, ...]) -> None:
    """Results go to standard output, or whole to ``-o FILE``."""
    if output is None:
        sys.stdout.write(text)
        return
    from relimpact.common.output import write_atomic

    write_atomic(output, text, inputs)
    _console(stderr=True).print(f"wrote {output}")


@app.command(
    cls=_Command,
    short_help=(
        "Dry run: how the export is read, which column each question comes "
        "from, problems by row and column."
    ),
)
def inspect(
    survey: SurveyArg,
    responses: ResponsesArg,
    fmt: Annotated[
        str, typer.Option("--format", metavar="table|json", help="Output format.")
    ] = "table",
    allow_missing: AllowMissingOpt = False,
    include_incomplete: IncludeIncompleteOpt = False,
) -> None:
    """Dry run: the detected export format, which column each question is read from,
    columns ignored and why, and answer problems with file, row and column.
    Exit 1 when the files cannot be scored.

    Example: relimpact inspect survey.yaml responses.csv
    """
    _require_format(fmt, ("table", "json"))
    from relimpact.console.inspect import inspect_json, inspect_table
    from relimpact.read.reading import inspect_responses
    from relimpact.survey.load import load_survey

    s = load_survey(survey)
    result = inspect_responses(
        s, responses, allow_missing=allow_missing, include_incomplete=include_incomplete
    )
    if fmt == "json":
        sys.stdout.write(inspect_json(result))
    else:
        _console().print(inspect_table(result))
    if not result.ok:
        sys.stderr.write(
            "Error: these files cannot be scored as they are; see the problems above.\n"
        )
        raise typer.Exit(1)


@app.command(
    cls=_Command,
    short_help=(
        "Score the responses: each dimension's n, mean, interval, % "
        "favourable, reliability and band; items and segments."
    ),
)
def score(
    survey: SurveyArg,
    responses: ResponsesArg,
    by: ByOpt = None,
    baseline: BaselineOpt = None,
    wave: WaveOpt = None,
    label: LabelOpt = None,
    weight_by: WeightByOpt = None,
    group_by_file: GroupByFileOpt = False,
    fmt: Annotated[
        str, typer.Option("--format", metavar="table|json|csv", help="Output format.")
    ] = "table",
    output: OutputOpt = None,
    seed: SeedOpt = None,
    allow_missing: AllowMissingOpt = False,
    include_incomplete: IncludeIncompleteOpt = False,
) -> None:
    """Score the responses: every dimension with n, mean, interval, % favourable,
    reliability and band; items; segments with small groups suppressed.

    Several waves: relimpact score survey.yaml 2026.csv --wave 2024=2024.csv --wave
    2025=2025.csv --format json (the JSON's trend: each wave's scores and network).

    Example: relimpact score survey.yaml responses.csv --by role --format json -o scores.json
    """
    _require_format(fmt, ("table", "json", "csv"))
    from relimpact.console import score as render

    inputs = (survey, *responses, *(baseline or ()), *_wave_paths(wave))
    if output is not None:
        from relimpact.common.output import check_output_path

        check_output_path(output, inputs)
    result, _, _ = _score_files(
        survey,
        responses,
        baseline,
        by,
        seed,
        weight_by,
        group_by_file,
        allow_missing,
        include_incomplete,
        wave,
        label,
    )
    if fmt == "json":
        _emit(render.to_json(result), output, inputs)
    elif fmt == "csv":
        _emit(render.to_csv(result), output, inputs)
    elif output is None:
        _console().print(render.to_table(result))
    else:
        from relimpact.console.terminal import PlainConsole

        with open(os.devnull, "w") as sink:
            console = PlainConsole(record=True, width=120, file=sink)
            console.print(render.to_table(result))
        _emit(console.export_text(), output, inputs)


BUILD_FORMATS = (
    "xlsform|html|md|csv|google-forms|qualtrics|limesurvey|redcap|msforms"  # forms.formats
)


@app.command(
    cls=_Command,
    short_help=(
        "Build the questionnaire people answer: paper, Markdown, a response sheet, or a form "
        "for KoboToolbox/ODK, Google Forms, Qualtrics, LimeSurvey, REDCap or Microsoft Forms."
    ),
)
def build(
    survey: SurveyArg,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar=BUILD_FORMATS,
            help="xlsform (KoboToolbox/ODK .xlsx), html (paper form), md, csv (response "
            "sheet), google-forms (Apps Script .gs), qualtrics (Advanced Format .txt), "
            "limesurvey (TSV .txt), redcap (data dictionary .csv) or msforms (Word .docx "
            "for Quick Import).",
        ),
    ],
    output: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write (standard output if left out, except for .xlsx and .docx).",
        ),
    ] = None,
) -> None:
    """Build the questionnaire people answer, from the survey template.

    xlsform: an XLSForm to upload to KoboToolbox or ODK; html: a paper form to
    print; md: Markdown to paste into a document or form builder; csv: an empty
    response sheet for typing in paper answers; google-forms: a Google Apps Script
    that creates the form; qualtrics, limesurvey, redcap: the file each tool imports;
    msforms: a Word file for Microsoft Forms' Quick Import. The tool's export of the
    form reads back with no aliases. What a tool cannot take from the template is
    listed on standard error and in the file's header comment.

    Example: relimpact build our-survey/survey.yaml --to google-forms -o form.gs
    """
    from relimpact.common.text import did_you_mean
    from relimpact.forms.formats import FORMAT_NAMES, FORMS, build

    if to not in FORMS:
        raise typer.BadParameter(
            f"'{to}' is not one of: {', '.join(FORMAT_NAMES)}{did_you_mean(to, FORMAT_NAMES)}.",
            param_hint="'--to'",
        )
    fmt = FORMS[to]
    if output is not None and str(output) == "-":
        output = None  # "-o -": standard output, as with no -o
    if output is None and fmt.binary:
        raise typer.BadParameter(
            f"a {fmt.suffix} file cannot go to the terminal; give a file name, e.g. "
            f"-o form{fmt.suffix}.",
            param_hint="'--output'",
        )
    from relimpact.common.output import check_output_path, is_special, write_atomic
    from relimpact.survey.load import load_survey

    if output is not None:
        # Refused before anything is built or noted: an input, a folder, a wrong suffix.
        check_output_path(output, (survey,), example=f"form{fmt.suffix}")
        if not is_special(output) and output.suffix.lower() not in fmt.suffixes:
            what = f"'{output.suffix}' is not" if output.suffix else "no suffix is not"
            raise typer.BadParameter(
                f"{output.name}: {what} the suffix of a {fmt.what} (--to {to}); name the file "
                f"{output.stem}{fmt.suffix}"
                + (f" (or {', '.join(fmt.also)})" if fmt.also else "")
                + ".",
                param_hint="'--output'",
            )
    s = load_survey(survey)
    for warning in s.notice_warnings:  # the form prints the privacy notice
        sys.stderr.write(f"Warning: {warning}\n")
    built = build(s, to)
    for note in built.dropped:
        typer.echo(f"Note: {note}", err=True)
    if output is None:
        assert isinstance(built.content, str)
        sys.stdout.write(built.content)
        return
    write_atomic(output, built.content, inputs=(survey,), example=f"form{fmt.suffix}")
    nxt = (
        fmt.next_step or f"type one paper form per row, then run: relimpact score {survey} {output}"
    )
    typer.echo(f"wrote {output}\nNext: {nxt}", err=True)


@app.command(
    cls=_Command,
    short_help="Write the report for funders or for members: HTML, Markdown, Word or PDF.",
)
def report(
    survey: SurveyArg,
    responses: ResponsesArg,
    audience: Annotated[
        str,
        typer.Option(
            "--audience",
            metavar="funder|members",
            help="funder (the full report) or members (plain words for members).",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The report file to write: .html, .md, .docx (Word) or .pdf.",
        ),
    ],
    baseline: BaselineOpt = None,
    wave: WaveOpt = None,
    label: LabelOpt = None,
    fmt: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option(
            "--format",
            metavar="html|md|docx|pdf",
            help="html, md, docx or pdf (default: from the -o file's suffix, which must match).",
        ),
    ] = None,
    by: ByOpt = None,
    weight_by: WeightByOpt = None,
    group_by_file: GroupByFileOpt = False,
    seed: SeedOpt = None,
    show_names: Annotated[
        bool,
        typer.Option(
            "--show-names",
            help="Name members on the network map, only those who agreed to it.",
        ),
    ] = False,
    allow_missing: AllowMissingOpt = False,
    include_incomplete: IncludeIncompleteOpt = False,
) -> None:
    """Write the report for funders or for members: one HTML file, Markdown, an editable
    Word file (.docx) or a PDF. The format follows the -o file's suffix.

    With --wave (earlier waves, oldest first) both reports show each score and the network
    wave by wave, as charts and a table.

    Example: relimpact report survey.yaml responses.csv --audience funder -o report.html
    """
    from relimpact.common.text import did_you_mean

    if audience not in ("funder", "members"):
        raise typer.BadParameter(
            f"'{audience}' is not one of: funder, members"
            f"{did_you_mean(audience.lower(), ('funder', 'members'))}.",
            param_hint="'--audience'",
        )
    formats = ("html", "md", "docx", "pdf")
    if fmt is not None:
        _require_format(fmt, formats)
    fmt = _report_format(output, fmt)
    from relimpact.common.output import check_output_path, write_atomic
    from relimpact.report.render import render_report

    inputs = (survey, *responses, *(baseline or ()), *_wave_paths(wave))
    check_output_path(output, inputs)
    result, current, quotes = _score_files(
        survey,
        responses,
        baseline,
        by,
        seed,
        weight_by,
        group_by_file,
        allow_missing,
        include_incomplete,
        wave,
        label,
        keep_text="quotable",
    )
    err = _console(stderr=True)
    with err.status("Writing the report"):
        content = render_report(
            result, current, audience, fmt, show_names=show_names, quotes=quotes
        )
    write_atomic(output, content, inputs)
    err.print(f"wrote {output} (the {audience} report, {fmt})")


def _report_format(output: Path, fmt: str | None) -> str:
    """The report's format from ``--format`` and the ``-o`` file's suffix, which must agree:
    never an HTML file under a .pdf or .docx name."""
    from relimpact.report.render import SUFFIXES

    suffix = output.suffix.lower()
    known = ", ".join(SUFFIXES)
    if suffix not in SUFFIXES:
        if fmt is not None and suffix == "":
            return fmt
        what = f"'{output.suffix}' is not" if suffix else "has no suffix, so it is not"
        raise typer.BadParameter(
            f"{output.name} {what} a report format; name the file .html, .md, .docx or "
            f".pdf (suffixes {known}).",
            param_hint="'--output'",
        )
    by_suffix = SUFFIXES[suffix]
    if fmt is not None and fmt != by_suffix:
        raise typer.BadParameter(
            f"--format {fmt} does not match {output.name} (a {by_suffix} file name); "
            f"name the file for the format, or leave --format out.",
            param_hint="'--output'",
        )
    return by_suffix


@app.command(
    cls=_Command,
    short_help="Export the network map for Gephi (GEXF), GraphML tools or Kumu, pseudonymised.",
)
def network(
    survey: SurveyArg,
    responses: ResponsesArg,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="gexf|graphml|kumu",
            help="gexf (Gephi; waves as time spans), graphml (yEd, Cytoscape, igraph) or "
            "kumu (Kumu's JSON import).",
        ),
    ],
    output: OutputOpt = None,
    baseline: BaselineOpt = None,
    wave: WaveOpt = None,
    label: LabelOpt = None,
    by: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--by",
            metavar="QUESTION",
            help="Also give each member their answer to this choice question (repeatable; "
            "segment questions are always given); groups too small to show are 'Other'.",
        ),
    ] = None,
    show_names: Annotated[
        bool,
        typer.Option(
            "--show-names",
            help="Name the members who agreed to be named (in the latest wave); the others "
            "stay 'Member 1' to 'Member n'.",
        ),
    ] = False,
    include_incomplete: IncludeIncompleteOpt = False,
) -> None:
    """Export the network map to explore it further: Gephi's GEXF (several waves as time
    spans), GraphML or Kumu's JSON import. Members are 'Member 1' to 'Member n' (not in the
    roster's order); names only with --show-names, and only for members who agreed.

    Example: relimpact network survey.yaml responses.csv --to gexf -o map.gexf
    """
    from relimpact.common.text import did_you_mean
    from relimpact.net.export import FORMATS, export_from_responses

    if to not in FORMATS:
        raise typer.BadParameter(
            f"'{to}' is not one of: {', '.join(FORMATS)}{did_you_mean(to.lower(), FORMATS)}.",
            param_hint="'--to'",
        )
    inputs = (survey, *responses, *(baseline or ()), *_wave_paths(wave))
    if output is not None:
        from relimpact.common.output import check_output_path

        check_output_path(output, inputs)
    current, before, earlier, label, before_label = _read_waves(
        survey,
        responses,
        baseline,
        wave,
        label,
        include_incomplete=include_incomplete,
        keep_text="all",  # the pseudonyms' key is made from all of it (net/export.py)
    )
    waves = list(earlier) if earlier else ([(before_label, before)] if before else [])
    text, export = export_from_responses(
        current.survey, [*waves, (label, current)], to, show_names=show_names, by=by or ()
    )
    if show_names and not export.named:
        why = (
            "no member who answered said yes to being named"
            if current.survey.name_consent_question is not None
            else "the survey asks no consent to be named (a consent question with 'consent: name')"
        )
        sys.stderr.write(f"Warning: --show-names: {why}, so every member is a pseudonym.\n")
    _emit(text, output, inputs)
    if output is not None:
        who = f"{export.named} named, the others pseudonyms" if export.named else "pseudonyms"
        _console(stderr=True).print(
            f"{len(export.nodes)} members ({who}), {len(export.edges)} ties named, "
            f"{len(export.waves)} wave(s)"
        )


def _wave_paths(specs: list[str] | None) -> tuple[Path, ...]:
    """The files of --wave LABEL=FILE options (unchecked: parse_waves refuses bad ones)."""
    return tuple(Path(s.partition("=")[2]) for s in specs or () if "=" in s)


@app.command(
    cls=_Command,
    short_help="For the convenor: introductions between members who share a connection.",
)
def weave(
    survey: SurveyArg,
    responses: ResponsesArg,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The list to write: .csv, .md or .json (the format follows the suffix).",
        ),
    ],
    limit: Annotated[
        int,
        typer.Option(
            "--limit", metavar="N", min=1, max=1000, help="At most this many introductions."
        ),
    ] = 20,
    allow_missing: AllowMissingOpt = False,
    include_incomplete: IncludeIncompleteOpt = False,
) -> None:
    """For the convenor only: pairs of members who share a connection but are not linked
    (an introduction would close a triangle), pairs across groups and members on the edge
    first, each with its reason in one line. Only members who said yes to being named
    appear; the list names them, so keep it to yourself.

    Example: relimpact weave survey.yaml responses.csv -o introductions.csv
    """
    from relimpact.net.weave import FORMATS

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        what = f"'{output.suffix}' is not" if output.suffix else "has no suffix, so it is not"
        raise typer.BadParameter(
            f"{output.name} {what} a format for introductions; name the file .csv, .md or .json.",
            param_hint="'--output'",
        )
    from relimpact.common.output import check_output_path, write_atomic
    from relimpact.common.sources import local_files
    from relimpact.net.weave import render, weave_responses
    from relimpact.survey.load import load_survey

    inputs = (survey, *responses)
    check_output_path(output, inputs)
    s = load_survey(survey)
    with local_files(list(responses)) as sources:
        current = _read(
            s, sources, allow_missing=allow_missing, include_incomplete=include_incomplete
        )
    result = weave_responses(current, limit=limit)
    write_atomic(output, render(result, fmt, s.title), inputs)
    err = _console(stderr=True)
    count = len(result.introductions)
    err.print(
        f"wrote {output} ({count} introduction{'' if count == 1 else 's'}, for the convenor "
        "only: it names members who agreed to be named)"
    )
    if result.message:
        err.print(result.message)


@app.command(
    cls=_Command,
    short_help=(
        "The whole journey on a bundled, made-up example: inspect, score and both reports."
    ),
)
def demo(
    out: Annotated[
        Path, typer.Option("--out", metavar="DIR", help="The folder to write the example into.")
    ] = Path("relimpact-demo"),
) -> None:
    """The whole journey on a bundled, made-up example: template, responses, inspect,
    scores and both reports. Prints the score table; says on standard error where each
    file is.

    Example: relimpact demo --out my-demo
    """
    from relimpact.console.score import to_table
    from relimpact.demo import run_demo

    err = _console(stderr=True)
    with err.status("Running the demo") as status:
        done = run_demo(out, step=lambda what: status.update(what))
    _console().print(to_table(done.result))
    err.print(f"\nThe demo is in {out}/:")
    width = max(len(what) for what, _ in done.files)
    for what, path in done.files:
        err.print(f"  {what:<{width}}  {path}")
    funder = next(p for w, p in done.files if p.name == "report-funder.html")
    err.print(f"\nOpen {funder} in a browser.")
    err.print("Then try your own survey: relimpact init our-survey")


def _require_format(fmt: str, allowed: tuple[str, ...]) -> None:
    from relimpact.common.text import did_you_mean

    if fmt not in allowed:
        raise typer.BadParameter(
            f"'{fmt}' is not one of: {', '.join(allowed)}{did_you_mean(fmt.lower(), allowed)}.",
            param_hint="'--format'",
        )


class Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C, so a half-written temporary file is removed."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


class Interrupted(BaseException):
    """Ctrl-C (SIGINT), raised instead of KeyboardInterrupt, which typer would turn into
    a silent exit: the user is told that nothing was written."""


def _on_sigint(signum: int, frame: object) -> None:
    raise Interrupted


def main() -> None:
    """Console-script entry point."""
    import signal

    debug = "--debug" in sys.argv[1:]
    signal.signal(signal.SIGTERM, _on_sigterm)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not if ignored
        signal.signal(signal.SIGINT, _on_sigint)
    try:
        app()
    except RelimpactError as exc:
        if debug:
            raise
        from relimpact.common.text import printable

        sys.stderr.write(f"Error: {printable(exc, lines=True)}\n")
        sys.exit(1)
    except (KeyboardInterrupt, Interrupted):
        sys.stderr.write("Interrupted; no output was written.\n")
        sys.exit(130)
    except Terminated:
        sys.stderr.write("Terminated; no output was written.\n")
        sys.exit(143)
