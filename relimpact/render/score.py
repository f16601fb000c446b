"""Renderers for ``relimpact score``: a rich table for people, JSON and CSV for machines.

All three read the same ``ScoreResult``; none computes a figure of its own.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from relimpact.output import csv_safe

if TYPE_CHECKING:
    from rich.console import RenderableType

    from relimpact.scoring import DimensionResult, ScoreResult

BAND_STYLE = {"strength": "bold green", "borderline": "yellow", "concern": "bold red"}
BAND_WORD = {"strength": "strength", "borderline": "borderline", "concern": "concern"}


def to_json(result: ScoreResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


CSV_COLUMNS = (
    "segment",
    "group",
    "dimension",
    "label",
    "kind",
    "n",
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "favourable_pct",
    "alpha",
    "band",
    "suppressed",
)


def _kind(d: DimensionResult) -> str:
    if d.enabler:
        return "enabler"
    return {"net": "the net", "work": "the work"}.get(d.focus or "", "")


def to_csv(result: ScoreResult) -> str:
    """One row per dimension overall, then per dimension and group of every segment."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def row(*cells: object) -> None:
        w.writerow([csv_safe("" if c is None else c) for c in cells])

    for d in result.dimensions.values():
        lo, hi = d.ci95 if d.ci95 else (None, None)
        row(
            "(all)",
            "(all)",
            d.id,
            d.label,
            _kind(d),
            d.n,
            d.mean,
            d.sd,
            lo,
            hi,
            d.favourable_pct,
            d.alpha,
            d.band,
            "yes" if d.suppressed else "no",
        )
    for seg in result.segments.values():
        for g in seg.groups:
            for did, d in result.dimensions.items():
                gd = g.dimensions.get(did)
                if g.suppressed or gd is None or gd.suppressed:
                    row(
                        seg.question,
                        g.name,
                        did,
                        d.label,
                        _kind(d),
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        "yes",
                    )
                else:
                    row(
                        seg.question,
                        g.name,
                        did,
                        d.label,
                        _kind(d),
                        gd.n,
                        gd.mean,
                        gd.sd,
                        None,
                        None,
                        gd.favourable_pct,
                        None,
                        gd.band,
                        "no",
                    )
    return buf.getvalue()


def _fmt(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _band(band: str | None) -> str:
    if band is None:
        return "-"
    return f"[{BAND_STYLE[band]}]{BAND_WORD[band]}[/]"


def _dimension_table(title: str, dims: list[DimensionResult]) -> RenderableType:
    from rich.table import Table

    t = Table(title=title, title_justify="left", expand=False)
    t.add_column("dimension", style="bold")
    t.add_column("n", justify="right")
    t.add_column("mean", justify="right")
    t.add_column("95% interval", justify="right")
    t.add_column("% favourable", justify="right")
    t.add_column("alpha", justify="right")
    t.add_column("band")
    for d in dims:
        ci = f"{d.ci95[0]:.2f} to {d.ci95[1]:.2f}" if d.ci95 else "-"
        t.add_row(
            d.label,
            str(d.n),
            _fmt(d.mean),
            ci,
            _fmt(d.favourable_pct, 0),
            _fmt(d.alpha),
            _band(d.band),
        )
    return t


def to_table(result: ScoreResult) -> RenderableType:
    """The four enablers first, the net and the work side by side, then the rest."""
    from rich.columns import Columns
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    s = result.survey
    dims = list(result.dimensions.values())
    parts: list[RenderableType] = [
        Text.from_markup(
            f"[bold]{s.title}[/]  {result.respondents} respondents "
            f"({result.rows} rows read; format {result.format}; min_group_size "
            f"{s.min_group_size})"
        )
    ]
    enablers = [d for d in dims if d.enabler]
    net = [d for d in dims if not d.enabler and d.focus == "net"]
    work = [d for d in dims if not d.enabler and d.focus == "work"]
    rest = [d for d in dims if d not in enablers and d not in net and d not in work]
    if enablers:
        parts.append(_dimension_table("The four strategic enablers", enablers))
    if net or work:
        side = [_dimension_table("The net (relationships)", net)] if net else []
        side += [_dimension_table("The work (shared aims)", work)] if work else []
        parts.append(Columns(side, padding=(0, 4)))
    if rest:
        parts.append(_dimension_table("Other dimensions", rest))
    for seg in result.segments.values():
        t = Table(title=f"By {seg.question}: {seg.text}", title_justify="left")
        t.add_column("group", style="bold")
        t.add_column("n", justify="right")
        for d in dims:
            t.add_column(d.label, justify="right")
        for g in seg.groups:
            if g.suppressed:
                t.add_row(g.name, "[dim]hidden[/]", *["[dim]-[/]"] * len(dims))
                continue
            cells = []
            for d in dims:
                gd = g.dimensions.get(d.id)
                if gd is None or gd.suppressed or gd.mean is None:
                    cells.append("[dim]-[/]")
                else:
                    style = BAND_STYLE.get(gd.band or "", "")
                    cells.append(f"[{style}]{gd.mean:.2f}[/]" if style else f"{gd.mean:.2f}")
            t.add_row(g.name, str(g.n), *cells)
        parts.append(t)
    if result.warnings:
        parts.append(Text("Warnings:", style="bold"))
        parts.extend(Text(f"  - {w}") for w in result.warnings)
    return Group(*parts)
