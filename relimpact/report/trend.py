"""Several waves in the reports: the trend's charts, its table and its words.

``trend_view(result, audience)`` turns ``ScoreResult.trend`` (``score.trend``) into a
``TrendView`` that the report templates lay out in one partial (``_trend.html.j2``,
``_trend.md.j2``): a chart per dimension and one for the network's density and members
with no link (small multiples, one panel each, written as SVG directly like every chart,
each with its text alternative), the same figures as a table, and in words the change
between the first and the last wave and between the last two. Nothing is computed here
that the score result does not hold; the words never claim a cause.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relimpact.common.text import unsigned
from relimpact.report.charts import (
    AGREE_STRONG,
    BAND_FILL,
    BAND_INK,
    INK,
    MUTED,
    WIDTH,
    Chart,
    _render,
    _text,
    _wrap,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from relimpact.scoring.engine import ScoreResult


@dataclass(frozen=True)
class Panel:
    """One small chart: a figure over the waves."""

    label: str
    values: Sequence[float | None]  # None: not shown in that wave
    lows: Sequence[float | None]
    highs: Sequence[float | None]
    lo: float
    hi: float
    digits: int = 2
    bands: tuple[float, float] | None = None  # (borderline, strength) on a score scale
    whole: bool = False  # a count: ticks and values as whole numbers


def _fmt(x: float, p: Panel) -> str:
    return unsigned(x, 0) if p.whole else unsigned(x, p.digits)


def _ticks(p: Panel) -> list[float]:
    if p.whole:
        step = max(1, math.ceil((p.hi - p.lo) / 4))
        return [float(v) for v in range(int(p.lo), int(p.hi) + 1, step)]
    if p.hi - p.lo >= 2:
        return [float(v) for v in range(math.ceil(p.lo), math.floor(p.hi) + 1)]
    return [p.lo, (p.lo + p.hi) / 2, p.hi]


def trend_chart(panels: Sequence[Panel], waves: Sequence[str], title: str, uid: str) -> Chart:
    """Small multiples, two to a row: each panel one figure over the waves (dot and line;
    the 95% interval as a vertical bar where there is one; "not shown" where hidden)."""
    cols = 1 if len(panels) == 1 else 2
    gap = 0.35
    pw = (WIDTH - gap * (cols - 1)) / cols
    head = [_wrap(p.label, 48 if cols == 2 else 96)[:2] for p in panels]
    ph = 1.85
    rows = math.ceil(len(panels) / cols)
    height = rows * (ph + 0.25) + 0.05

    def draw(ax: Any) -> None:
        for i, p in enumerate(panels):
            col, row = i % cols, i // cols
            x0 = col * (pw + gap)
            y0 = row * (ph + 0.25)
            for j, line in enumerate(head[i]):
                _text(ax, x0, y0 + 0.12 + 0.15 * j, line, fontsize=8.5, fontweight="bold")
            top = y0 + 0.52
            bottom = y0 + ph - 0.3
            # bands are named in the margin right of the plot, clear of the values
            left, right = x0 + 0.45, x0 + pw - (0.7 if p.bands else 0.25)

            def at_y(v: float, top: float = top, bottom: float = bottom, p: Panel = p) -> float:
                return bottom - (v - p.lo) / ((p.hi - p.lo) or 1.0) * (bottom - top)

            if p.bands:
                borderline, strength = p.bands
                for name, a, b in (
                    ("concern", p.lo, borderline),
                    ("borderline", borderline, strength),
                    ("strength", strength, p.hi),
                ):
                    if b > a:
                        ax.rect(left, at_y(b), right - left, at_y(a) - at_y(b), BAND_FILL[name])
                        _text(ax, right + 0.05, (at_y(a) + at_y(b)) / 2, name, fontsize=6.5,
                              color=BAND_INK[name])  # fmt: skip
            for t in _ticks(p):
                y = at_y(t)
                ax.plot([left - 0.04, left], [y, y], color=MUTED, linewidth=0.6)
                tick = f"{t:g}" if p.bands or p.whole else _fmt(t, p)
                _text(ax, left - 0.07, y, tick, fontsize=7, color=MUTED, ha="right")
            ax.plot([left, left], [top, bottom], color=MUTED, linewidth=0.6)
            ax.plot([left, right], [bottom, bottom], color=MUTED, linewidth=0.6)
            n = len(waves)
            xs = [
                left + (right - left) * ((k + 0.5) / n) for k in range(n)
            ]  # each wave in the middle of its slot
            fit = max(4, int((right - left) / n / 0.06))  # characters a wave's slot holds
            for x, wave in zip(xs, waves, strict=True):
                # at most two lines; a label longer than that ends in an ellipsis (it is
                # whole in the table and in the chart's text alternative)
                for j, line in enumerate(
                    textwrap.wrap(wave, fit, max_lines=2, placeholder="\u2026") or [""]
                ):
                    _text(ax, x, bottom + 0.14 + 0.12 * j, line, fontsize=7.5, color=MUTED,
                          ha="center")  # fmt: skip
            # a line joins neighbouring waves only: it never runs across a hidden wave
            for k in range(n - 1):
                va, vb = p.values[k], p.values[k + 1]
                if va is not None and vb is not None:
                    ax.plot([xs[k], xs[k + 1]], [at_y(va), at_y(vb)], color=AGREE_STRONG,
                            linewidth=1.4)  # fmt: skip
            for x, v, low, high in zip(xs, p.values, p.lows, p.highs, strict=True):
                if v is None:
                    _text(ax, x, bottom - 0.12, "not shown", fontsize=7, color=MUTED,
                          ha="center")  # fmt: skip
                    continue
                if low is not None and high is not None:
                    ax.plot([x, x], [at_y(low), at_y(high)], color=MUTED, linewidth=1.2)
                    for end in (low, high):
                        ax.plot([x - 0.04, x + 0.04], [at_y(end), at_y(end)], color=MUTED,
                                linewidth=1.0)  # fmt: skip
                ax.plot([x], [at_y(v)], marker="o", markersize=6, color=AGREE_STRONG,
                        markeredgecolor="white", markeredgewidth=1.0)  # fmt: skip
                above = at_y(high) if high is not None else at_y(v)
                _text(ax, x + 0.07, above - 0.09, _fmt(v, p), fontsize=7.5, color=INK,
                      fontweight="bold")  # fmt: skip

    parts = []
    for p in panels:
        items = []
        for wave, v, low, high in zip(waves, p.values, p.lows, p.highs, strict=True):
            if v is None:
                items.append(f"{wave} not shown")
            elif low is not None and high is not None:
                items.append(
                    f"{wave} {_fmt(v, p)} (95% interval {_fmt(low, p)} to {_fmt(high, p)})"
                )
            else:
                items.append(f"{wave} {_fmt(v, p)}")
        parts.append(f"{p.label}: " + ", ".join(items) + ".")
    return _render(draw, height, title, " ".join(parts), uid)


# --------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class TrendView:
    waves: tuple[str, ...]
    chart: Chart | None  # a panel per dimension
    header: tuple[str, ...]  # the table's wave columns
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # dimension label, one cell per wave
    words: tuple[str, ...]  # change between the first and the last wave, and the last two
    network_chart: Chart | None
    network_rows: tuple[tuple[str, tuple[str, ...]], ...]
    network_words: tuple[str, ...]
    notes: tuple[str, ...]
    summary: str  # one sentence, for a summary page
    intro: str


def _f(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else unsigned(x, digits)


def _since(words: str, first: str) -> str:
    """``network_change_words`` compares with "the last survey"; here, with the first."""
    return words.replace("Since the last survey", f"Since {first}").replace(
        "answered last time", f"answered in {first}"
    )


def trend_view(
    result: ScoreResult,
    audience: str,
    member_words: Callable[[Any, str], str],
) -> TrendView | None:
    """The trend for ``audience`` (funder or members), or None without several waves.
    ``member_words`` says a change in plain words for members (the report model's)."""
    trend = result.trend
    if trend is None:
        return None
    from relimpact.net.churn import churn_words
    from relimpact.net.network import network_change_words
    from relimpact.scoring.change import change_words

    survey = result.survey
    waves = trend.wave_labels
    first, last = waves[0], waves[-1]
    before = waves[-2]
    members = audience == "members"
    panels = []
    rows = []
    for dim, points in trend.dimensions.items():
        d = survey.dimensions[dim]
        label = (d.members_label or d.label) if members else d.label
        qs = [q for q in survey.questions_of(dim) if q.id in trend.items]
        scale = survey.scale_of(qs[0]) if qs else None
        lo, hi = (scale.min_value, scale.max_value) if scale else (1, 5)
        at = scale.thresholds() if scale else None
        panels.append(
            Panel(
                label,
                [p.mean for p in points],
                [p.ci95[0] if p.ci95 else None for p in points],
                [p.ci95[1] if p.ci95 else None for p in points],
                lo,
                hi,
                bands=(at[1], at[0]) if at else None,
            )
        )
        cells = []
        for p in points:
            if p.mean is None:
                cells.append("not shown" if p.suppressed or p.n else "not asked")
            elif p.ci95 is not None and not members:
                low, high = (unsigned(b) for b in p.ci95)
                cells.append(f"{unsigned(p.mean)} ({low} to {high}), n = {p.n}")
            else:
                cells.append(f"{unsigned(p.mean)} (n = {p.n})")
        rows.append((label, tuple(cells)))
    dims_chart = trend_chart(panels, waves, "Scores survey by survey", "trend") if panels else None
    words: list[str] = []
    change = trend.last_two.to_dict() if trend.last_two is not None else {}
    ftl = trend.first_to_last.to_dict() if trend.first_to_last is not None else {}

    def say(entry: Any, label: str, since: str) -> str:
        if members:
            return (
                member_words(entry, label)
                .replace("since last time", f"since {since}")
                .replace("as last time", f"as in {since}")
            )
        return f"From {since} to {last}: " + change_words(entry, label)

    for dim in trend.dimensions:
        d = survey.dimensions[dim]
        label = (d.members_label or d.label) if members else d.label
        if dim in ftl:
            words.append(say(ftl[dim], label, first))
        if dim in change:
            words.append(say(change[dim], label, before))
    network_chart = None
    network_rows: list[tuple[str, tuple[str, ...]]] = []
    network_words: list[str] = []
    if trend.network is not None:
        nets = trend.network
        dens = [s.density for s in nets]
        iso = [float(s.isolates) for s in nets]
        network_chart = trend_chart(
            [
                Panel(
                    "Density (share of possible links)" if not members else "How many links",
                    dens,
                    [None] * len(nets),
                    [None] * len(nets),
                    0.0,
                    max(
                        0.5, math.ceil(max((x for x in dens if x is not None), default=0) * 4) / 4
                    ),  # fmt: skip
                ),
                Panel(
                    "Members with no link",
                    iso,
                    [None] * len(nets),
                    [None] * len(nets),
                    0.0,
                    float(max(4, max(s.members for s in nets))),
                    whole=True,
                ),
            ],
            waves,
            "The network survey by survey",
            "trend-net",
        )
        network_rows = [
            ("Members who answered", tuple(f"{s.responded} of {s.members}" for s in nets)),
            ("Links named", tuple(str(s.ties) for s in nets)),
            ("Density (share of possible links)", tuple(_f(s.density) for s in nets)),
            ("Members with no link", tuple(str(s.isolates) for s in nets)),
            ("Separate groups", tuple(str(s.components) for s in nets)),
        ]
        if trend.network_first_to_last is not None:
            network_words.append(_since(network_change_words(trend.network_first_to_last), first))
        if trend.network_last_two is not None:
            network_words.append(_since(network_change_words(trend.network_last_two), before))
        network_words.extend(churn_words(c) for c in trend.churn)
    summary_parts = []
    for dim, points in trend.dimensions.items():
        a, b = points[0].mean, points[-1].mean
        if a is not None and b is not None and survey.dimensions[dim].focus in ("net", "work"):
            summary_parts.append(f"{survey.dimensions[dim].label} {unsigned(a)} to {unsigned(b)}")
    if trend.network is not None and trend.network[0].density is not None:
        d0, d1 = trend.network[0].density, trend.network[-1].density
        if d1 is not None:
            summary_parts.append(f"network density {d0:.2f} to {d1:.2f}")
    summary = (
        f"Over {len(waves)} surveys from {first} to {last}: " + "; ".join(summary_parts) + "."
        if summary_parts
        else ""
    )
    if members:
        intro = (
            f"We have asked you {len(waves)} times now: in {', '.join(waves[:-1])} and "
            f"{last}. Here is how things have moved."
        )
    else:
        intro = (
            f"{len(waves)} surveys of the same network, from {first} to {last}. Each survey "
            "is scored on the statements every survey asked. The bars are 95% intervals; "
            "a survey with fewer than 10 people with a score has none."
        )
    return TrendView(
        waves=waves,
        chart=dims_chart,
        header=waves,
        rows=tuple(rows),
        words=tuple(words),
        network_chart=network_chart,
        network_rows=tuple(network_rows),
        network_words=tuple(network_words),
        notes=trend.notes,
        summary=summary,
        intro=intro,
    )
