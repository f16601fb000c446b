"""Renderers for ``relimpact score``: a rich table for people, JSON and CSV for machines.

All three read the same ``ScoreResult``; none computes a figure of its own.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from relimpact.common.output import csv_safe
from relimpact.common.text import unsigned

if TYPE_CHECKING:
    from rich.console import RenderableType

    from relimpact.scoring.engine import DimensionResult, ScoreResult, SegmentResult

BAND_STYLE = {"strength": "bold green", "borderline": "yellow", "concern": "bold red"}
BAND_WORD = {"strength": "strength", "borderline": "borderline", "concern": "concern"}


def to_json(result: ScoreResult) -> str:
    from relimpact.common.text import json_terminal_safe

    text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    return json_terminal_safe(text) + "\n"


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


CHANGE_COLUMNS = (
    "before",
    "after",
    "difference",
    "n_before",
    "n_matched",
    "test",
    "p",
    "p_adjusted",
    "effect_size",
    "improved",
    "same",
    "declined",
)
"""Added after CSV_COLUMNS, on the "(all)" rows, when a baseline was given."""

REPRESENTATION_COLUMNS = (
    "members",
    "member_share",
    "respondent_share",
    "response_rate",
    "under_represented",
)
"""Added when the survey gives population counts, on the "who we heard from" rows."""


def to_csv(result: ScoreResult) -> str:
    """One row per dimension overall, then per dimension and group of every segment; then
    weighted means and who we heard from, when present. With a baseline the change figures
    are extra columns on the overall rows."""
    buf = io.StringIO()
    columns = CSV_COLUMNS
    if result.change is not None:
        columns += CHANGE_COLUMNS
    if result.representation:
        columns += REPRESENTATION_COLUMNS
    # CRLF, as RFC 4180 has it: the writer then also quotes a cell holding a bare CR
    # (with "\n" it would not, and a spreadsheet would start a new row there, perhaps
    # with a formula the guard never saw at a cell's start).
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n", restval="")

    def row(**cells: object) -> None:
        w.writerow({k: csv_safe("" if v is None else v) for k, v in cells.items()})

    def dimension(d: DimensionResult) -> dict[str, object]:
        return {"dimension": d.id, "label": d.label, "kind": _kind(d)}

    w.writeheader()
    for d in result.dimensions.values():
        lo, hi = d.ci95 if d.ci95 else (None, None)
        change = (result.change or {}).get(d.id, {})
        row(
            segment="(all)",
            group="(all)",
            **dimension(d),
            n=d.n,
            mean=d.mean,
            sd=d.sd,
            ci95_low=lo,
            ci95_high=hi,
            favourable_pct=d.favourable_pct,
            alpha=d.alpha,
            band=d.band,
            suppressed="yes" if d.suppressed else "no",
            **({k: change.get(k) for k in CHANGE_COLUMNS} if result.change is not None else {}),
        )
    for seg in result.segments.values():
        for g in seg.groups:
            for did, d in result.dimensions.items():
                gd = g.dimensions.get(did)
                if g.suppressed or gd is None or gd.suppressed:
                    row(segment=seg.question, group=g.name, **dimension(d), suppressed="yes")
                else:
                    row(
                        segment=seg.question,
                        group=g.name,
                        **dimension(d),
                        n=gd.n,
                        mean=gd.mean,
                        sd=gd.sd,
                        favourable_pct=gd.favourable_pct,
                        band=gd.band,
                        suppressed="no",
                    )
    if result.weighted is not None:
        for did, wd in result.weighted.dimensions.items():
            row(
                segment=f"(weighted by {result.weighted.by})",
                group="(all)",
                **dimension(result.dimensions[did]),
                n=wd.n,
                mean=wd.mean,
                suppressed="yes" if wd.mean is None else "no",
            )
    for qid, rep in result.representation.items():
        for g in rep.groups:
            row(
                segment=f"(who we heard from) {qid}",
                group=g.name,
                n=g.respondents,
                suppressed="yes" if g.suppressed else "no",
                members=g.members,
                member_share=g.member_share,
                respondent_share=g.respondent_share,
                response_rate=g.response_rate,
                under_represented=""
                if g.under_represented is None
                else "yes"
                if g.under_represented
                else "no",
            )
    return buf.getvalue()


def _fmt(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else unsigned(x, digits)


def _band(d: DimensionResult) -> RenderableType:
    """The band as the reports give it: both bands ("borderline or strength") where the 95%
    interval crosses a band line, so that the table never sounds surer than the report."""
    from rich.text import Text

    if d.band is None:
        return "-"
    word = BAND_WORD[d.band]
    if d.band_certain is False and d.band_range:
        # "borderline or" above "strength": an 80-column terminal keeps every figure whole.
        word = d.band_range.replace(" or ", " or\n")
    return Text(word, style=BAND_STYLE[d.band])


def _band_note(dims: list[DimensionResult]) -> str | None:
    """The legend of the hedged bands the tables show, as the reports' Methods word it;
    None when every band is certain."""
    hedged = list(dict.fromkeys(d.band_range for d in dims if d.band_certain is False))
    if not hedged or None in hedged:
        return None
    named = " and ".join(f'"{h}"' for h in hedged)
    return (
        f"{named}: the score's 95% interval crosses a band line, so the score could lie on "
        "either side (the reports say the same)."
    )


def _dimension_table(title: str, dims: list[DimensionResult]) -> RenderableType:
    from rich.table import Table

    t = Table(title=title, title_justify="left", expand=False)
    t.add_column("dimension", style="bold", overflow="fold", min_width=14)
    t.add_column("n", justify="right")
    t.add_column("mean", justify="right")
    t.add_column("95% CI", justify="right", no_wrap=True)
    t.add_column("% fav.", justify="right")
    t.add_column("alpha", justify="right")
    t.add_column("band", no_wrap=True)
    for d in dims:
        ci = f"{unsigned(d.ci95[0])} to {unsigned(d.ci95[1])}" if d.ci95 else "-"
        t.add_row(
            d.label,
            str(d.n),
            _fmt(d.mean),
            ci,
            _fmt(d.favourable_pct, 0),
            _fmt(d.alpha),
            _band(d),
        )
    return Fitted(t)


def to_table(result: ScoreResult) -> RenderableType:
    """The four enablers first, the net and the work side by side, then the rest."""
    from rich.columns import Columns
    from rich.console import Group
    from rich.text import Text

    from relimpact.console.terminal import plain

    s = result.survey
    dims = list(result.dimensions.values())
    from relimpact.common.dates import period_words

    parts: list[RenderableType] = [
        Text.assemble(
            plain(s.title, "bold"),
            f"  {result.respondents} respondents "
            f"({result.rows} rows read; format {' and '.join(result.formats or [result.format])}"
            f"; min_group_size {s.min_group_size})",
        )
    ]
    when = period_words(result.fieldwork)
    then = period_words(result.baseline_fieldwork)
    if result.fieldwork_note:
        parts.append(plain(result.fieldwork_note))
    if when or then:
        parts.append(
            plain(
                "Fieldwork (first to last submission): "
                + (when or "dates not in the export")
                + (f"; baseline {then}" if then else "")
            )
        )
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
    note = _band_note(dims)
    if note is not None:
        parts.append(_note(note, style="dim"))
    for seg in result.segments.values():
        parts.append(SegmentTables(seg, dims))
    parts.extend(_change_tables(result, dims))
    parts.extend(_network_table(result))
    parts.extend(_trend_tables(result))
    if result.warnings:
        parts.append(Text("Warnings:", style="bold"))
        parts.extend(_note(f"- {w}", indent=4) for w in result.warnings)
    return Group(*parts)


def _note(text: str, style: str = "", indent: int = 2) -> RenderableType:
    """A line of words under a table, indented, its wrapped lines indented too."""
    from rich.padding import Padding

    from relimpact.console.terminal import plain

    return Padding(plain(text, style=style), (0, 0, 0, indent), expand=False)


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=1)


def _fit(least: list[int], most: list[int], room: int) -> list[int]:
    """Column widths within ``room``: each as wide as it needs (``most``), narrowing the
    widest first but never below its longest word (``least``)."""
    widths = list(most)
    while sum(widths) > room:
        slack = [i for i, w in enumerate(widths) if w > least[i]]
        if not slack:
            break
        widest = max(slack, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
    return widths


class Fitted:
    """A rich table laid out for the console's width without cutting a word.

    Rich narrows columns past their longest word and writes "…"; this gives every column
    an explicit width instead: as wide as it needs, narrowing the widest first, never below
    its longest word (a column that cannot wrap keeps its whole width).
    """

    def __init__(self, table) -> None:  # noqa: ANN001 - a rich Table
        self.table = table

    def _bounds(self) -> tuple[list[int], list[int]]:
        from rich.text import Text

        from relimpact.common.text import printable

        least: list[int] = []
        most: list[int] = []
        for column in self.table.columns:
            texts = [printable(column.header, lines=True)]
            for cell in column._cells:
                texts.append(cell.plain if isinstance(cell, Text) else printable(cell, lines=True))
            lines = [line for text in texts for line in text.splitlines() or [""]]
            widest = max(len(line) for line in lines)
            most.append(widest)
            least.append(widest if column.no_wrap else max(_longest_word(x) for x in lines))
        return least, most

    def __rich_measure__(self, console, options):  # noqa: ANN001, ANN204 - rich protocol
        from rich.measure import Measurement

        least, most = self._bounds()
        frame = 1 + 3 * len(self.table.columns)
        return Measurement(sum(least) + frame, sum(most) + frame).clamp(max_width=options.max_width)

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204 - rich protocol
        t = self.table
        least, most = self._bounds()
        room = options.max_width - 1 - 3 * len(t.columns)
        for column, width in zip(t.columns, _fit(least, most, room), strict=True):
            column.width = width
            column.overflow = "fold"
        yield t


class SegmentTables:
    """One segment's scores with the dimensions as rows and the groups as columns.

    Laid out for the console's width when printed: each column is at least as wide as the
    longest word in it, and the groups are split over as many tables as it takes, so that
    no figure and no group name is ever cut (an 80-column terminal is the usual case).
    """

    def __init__(self, seg: SegmentResult, dims: list[DimensionResult]) -> None:
        self.seg = seg
        self.dims = dims

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204 - rich protocol
        from rich.table import Table
        from rich.text import Text

        seg, dims = self.seg, self.dims
        label_min = max(max((_longest_word(d.label) for d in dims), default=9), 11)
        label_max = max(max((len(d.label) for d in dims), default=9), 11)
        group_min = [max(_longest_word(g.name), len("hidden")) for g in seg.groups]
        group_max = [max(len(g.name), len("hidden")) for g in seg.groups]
        # Each column costs its width plus two of padding and one of border.
        room = options.max_width - 1
        chunks: list[list[int]] = [[]]
        used = label_min + 3
        for i, w in enumerate(group_min):
            if chunks[-1] and used + w + 3 > room:
                chunks.append([])
                used = label_min + 3
            chunks[-1].append(i)
            used += w + 3
        for part, members in enumerate(chunks):
            title = f"By {seg.question}: {seg.text}"
            if len(chunks) > 1:
                title += f" ({part + 1} of {len(chunks)})"
            widths = _fit(
                [label_min, *(group_min[i] for i in members)],
                [label_max, *(group_max[i] for i in members)],
                room - 3 * (len(members) + 1),
            )
            t = Table(title=title, title_justify="left")
            t.add_column("dimension", style="bold", width=widths[0], overflow="fold")
            for i, width in zip(members, widths[1:], strict=True):
                t.add_column(seg.groups[i].name, justify="right", width=width, overflow="fold")
            groups = [seg.groups[i] for i in members]
            t.add_row(
                "respondents",
                *[Text("hidden", style="dim") if g.suppressed else str(g.n) for g in groups],
                end_section=True,
            )
            for d in dims:
                cells: list[RenderableType] = []
                for g in groups:
                    gd = None if g.suppressed else g.dimensions.get(d.id)
                    if gd is None or gd.suppressed or gd.mean is None:
                        cells.append(Text("-", style="dim"))
                    else:
                        style = BAND_STYLE.get(gd.band or "", "")
                        cells.append(Text(unsigned(gd.mean), style=style))
                t.add_row(d.label, *cells)
            yield t


def _p(p: float | None) -> str:
    if p is None:
        return "-"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _change_tables(result: ScoreResult, dims: list[DimensionResult]) -> list[RenderableType]:
    """Change since the baseline, the weighted means and who we heard from, when present."""
    from rich.table import Table
    from rich.text import Text

    from relimpact.common.text import signed
    from relimpact.scoring.change import change_words

    parts: list[RenderableType] = []
    if result.change is not None:
        # Two tables, so that each fits an 80-column terminal: the matched members first
        # (the change estimate), then everyone who answered each wave. A dimension compared
        # as two groups (Mann-Whitney: too few members matched, or no respondent question)
        # has its estimate and p-value in the second table, which they are about: under
        # "members in both waves" they claimed matched members there are not.
        rows = [(d, c) for d in dims if (c := result.change.get(d.id)) is not None]
        unpaired = [c.get("test") == "mann-whitney" for _, c in rows]
        t = Table(title="Change since the baseline: members in both waves", title_justify="left")
        t.add_column("dimension", style="bold")
        for name in ("matched change", "HL [95% CI]", "matched", "p (BH)"):
            t.add_column(name, justify="right")
        every = Table(title="Change since the baseline: all who answered", title_justify="left")
        every.add_column("dimension", style="bold")
        for name in ("before", "after", "change", "n before/after"):
            every.add_column(name, justify="right")
        if any(unpaired):
            for name in ("HL [95% CI]", "p (BH)"):
                every.add_column(name, justify="right")
        words = []
        for (d, c), groups in zip(rows, unpaired, strict=True):
            diff, matched = c.get("difference"), c.get("matched_difference")
            hl, ci = c.get("hodges_lehmann"), c.get("hl_ci95")
            shift = "-" if hl is None else signed(hl)
            if hl is not None and ci is not None:
                shift += f" [{signed(ci[0])}, {signed(ci[1])}]"
            test = {"wilcoxon-signed-rank": " (paired)", "mann-whitney": ""}
            p = _p(c.get("p_adjusted")) + test.get(c.get("test") or "", "")
            t.add_row(
                d.label,
                "-" if matched is None else signed(matched),
                "-" if groups else shift,
                str(c.get("n_matched")),
                "-" if groups else p,
            )
            every.add_row(
                d.label,
                _fmt(c.get("before")),
                _fmt(c.get("after")),
                "-" if diff is None else signed(diff),
                f"{c.get('n_before')}/{c.get('n_after')}",
                *((shift, p) if groups else ("-", "-") if any(unpaired) else ()),
            )
            words.append(_note(change_words(c, d.label)))
        if not all(unpaired) or any(c.get("n_matched") for _, c in rows):
            parts.append(Fitted(t))  # no one in both waves: no table of them
        parts.append(Fitted(every))
        parts.extend(words)
        parts.extend(_note(n, style="dim") for n in result.change_notes)
    if result.weighted is not None:
        wt = result.weighted
        t = Table(
            title=f"Weighted to the membership by {wt.by} (beside the unweighted means)",
            title_justify="left",
        )
        for name in ("dimension", "mean", "weighted mean", "95% CI", "n", "effective n"):
            t.add_column(name, justify="left" if name == "dimension" else "right")
        for d in dims:
            wd = wt.dimensions.get(d.id)
            if wd is None:
                continue
            t.add_row(
                d.label,
                _fmt(d.mean),
                _fmt(wd.mean),
                f"{unsigned(wd.ci95[0])} to {unsigned(wd.ci95[1])}" if wd.ci95 else "-",
                str(wd.n),
                _fmt(wd.n_effective, 1),
            )
        parts.append(Fitted(t))
    for rep in result.representation.values():
        t = Table(title=f"Who we heard from, by {rep.question}", title_justify="left")
        header = ("group", "members", "% of members", "answered", "% of those who answered")
        for name in header:
            t.add_column(name, justify="left" if name == "group" else "right")
        t.add_column("response rate", justify="right")
        for g in rep.groups:
            pct = None if g.respondent_share is None else 100 * g.respondent_share
            rate = None if g.response_rate is None else 100 * g.response_rate
            t.add_row(
                g.name + (": under-represented" if g.under_represented else ""),
                str(g.members),
                _fmt(None if g.member_share is None else 100 * g.member_share, 0),
                Text("hidden", style="dim") if g.suppressed else str(g.respondents),
                _fmt(pct, 0),
                _fmt(rate, 0),
            )
        parts.append(Fitted(t))
        from relimpact.scoring.representation import representation_words

        parts.append(_note(representation_words(rep)))
    return parts


def _network_table(result: ScoreResult) -> list[RenderableType]:
    """The network map's figures, the exit check and the change since the baseline in words."""
    from rich.table import Table

    from relimpact.net.network import coverage_words, exit_check_words, network_change_words

    net = result.network
    if net is None:
        return []
    change = result.network_change or {}
    t = Table(title="The net: who works with whom", title_justify="left")
    t.add_column("figure", style="bold")
    t.add_column("now", justify="right")
    if change:
        t.add_column("baseline", justify="right")
    w = net.without_convenors
    rows: list[tuple[str, str, str]] = [
        ("members on the list", str(net.members), ""),
        ("members who answered", str(net.responded), "responded"),
        ("ties (named one way)", str(net.ties), ""),
        ("density", _fmt(net.density), "density"),
        ("reciprocity", _fmt(net.reciprocity), ""),
        ("separate groups", str(net.components), "components"),
        ("members with no tie", str(net.isolates), "isolates"),
        ("centralisation", _fmt(net.centralization), ""),
        ("articulation points", str(net.articulation_points), ""),
    ]
    if w is not None:
        share = w.largest_component_share
        rows.append(("groups without the convenors", str(w.components), ""))
        rows.append(
            ("largest group's share, without them", "-" if share is None else f"{share:.0%}", "")
        )
    if net.strength is not None:
        rows.append(
            ("weighted density (each tie by its level)", _fmt(net.strength.weighted_density), "")
        )
    if net.brokers is not None and net.brokers.paths_through_top is not None:
        share = net.brokers.paths_through_top
        rows.append(("shortest routes through the top 10%", f"{share:.0%}", ""))
    for mx in net.mixing:
        if mx.ei is not None:
            rows.append((f"E-I index by {mx.question}", _fmt(mx.ei), ""))
    for name, now, key in rows:
        if not change:
            t.add_row(name, now)
            continue
        before = (change.get(key) or {}).get("before") if key else None
        then = "" if not key else _fmt(before) if key == "density" else str(before)
        t.add_row(name, now, "-" if key and before is None else then)
    from relimpact.net.brokers import brokers_words
    from relimpact.net.mixing import mixing_words
    from relimpact.net.strength import strength_words

    lines = [coverage_words(net), exit_check_words(net)]
    if net.strength is not None:
        lines.append(strength_words(net.strength))
    lines += [line for mx in net.mixing for line in mixing_words(mx, "funder")]
    if net.brokers is not None:
        lines.append(brokers_words(net.brokers))  # never a name in the terminal table
    if change:
        lines.append(network_change_words(change))
    return [Fitted(t), *(_note(line) for line in lines)]


def _trend_tables(result: ScoreResult) -> list[RenderableType]:
    """With several waves: each dimension's score and the network's figures, wave by wave,
    and the tie churn in words."""
    from rich.table import Table

    from relimpact.net.churn import churn_words

    trend = result.trend
    if trend is None:
        return []
    waves = trend.wave_labels
    t = Table(title="Trend over the surveys: score (n)", title_justify="left")
    t.add_column("dimension", style="bold")
    for w in waves:
        t.add_column(w, justify="right")
    for dim, points in trend.dimensions.items():
        cells = ["not shown" if p.mean is None else f"{unsigned(p.mean)} ({p.n})" for p in points]
        t.add_row(result.survey.dimensions[dim].label, *cells)
    parts: list[RenderableType] = [Fitted(t)]
    if trend.network is not None:
        n = Table(title="The network over the surveys", title_justify="left")
        n.add_column("figure", style="bold")
        for w in waves:
            n.add_column(w, justify="right")
        nets = trend.network
        n.add_row("members who answered", *(str(s.responded) for s in nets))
        n.add_row("ties (named one way)", *(str(s.ties) for s in nets))
        n.add_row("density", *(_fmt(s.density) for s in nets))
        n.add_row("members with no tie", *(str(s.isolates) for s in nets))
        n.add_row("separate groups", *(str(s.components) for s in nets))
        parts.append(Fitted(n))
        parts.extend(_note(churn_words(c)) for c in trend.churn)
    return parts
