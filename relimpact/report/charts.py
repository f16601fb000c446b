"""Charts for reports: small, accessible, deterministic SVG, written directly.

Three charts, each taking plain figures (the report model computes nothing here):

- ``items_chart``: diverging stacked bars, one per statement, answers as given
  (disagree to the left, agree to the right, the middle point centred); "don't know" and
  "not applicable" are a separate count beside the bars, never part of them;
- ``scores_chart``: each dimension's score with its 95% interval over the band thresholds;
- ``change_chart``: each dimension's score before and after, between two waves.

Every chart is an inline ``<svg role="img">`` with a ``<title>`` and ``<desc>`` (its text
alternative), text kept as text, numbers printed beside or on the bars, and the
colour-blind-safe Okabe-Ito blue and vermilion for agreement and disagreement. The same
input gives the same bytes: no date, ids prefixed per chart so that several charts can
live in one page, and nothing that links outside the file (no ``xmlns`` URLs, no
metadata). The SVG is written by a small canvas (``_Canvas``: rectangles, lines, dots and
text) rather than a plotting library, which made a report's charts most of its time; a
chart is drawn only when its SVG is first read (``Chart.svg``).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from relimpact.common.text import signed, unsigned

# Okabe-Ito based diverging palette: vermilion (disagree) to blue (agree), grey middle.
DISAGREE_STRONG = "#B84A00"
DISAGREE = "#E69F62"
NEUTRAL = "#CFCFCF"
AGREE = "#7FB8DE"
AGREE_STRONG = "#005A8F"
INK = "#1A1A1A"
MUTED = "#5C5C5C"
BAND_FILL = {"concern": "#FBE6D6", "borderline": "#F1F1EC", "strength": "#DDEBF6"}
BAND_INK = {"concern": "#A14000", "borderline": "#4D4D4D", "strength": "#00527F"}
FONT_STACK = "'Source Sans 3','Segoe UI',Helvetica,Arial,'DejaVu Sans',sans-serif"

WIDTH = 7.4  # inches; the charts scale to the page width


class Chart:
    """A chart's title, its text alternative, and its inline ``<svg>`` element.

    The SVG is drawn the first time ``svg`` is read, and only then: a report model holds
    every chart it could show, and each output draws only the ones its template uses (the
    Markdown and the members report use few or none; drawing is most of a report's time).
    """

    __slots__ = ("_draw", "_svg", "description", "title")

    def __init__(self, title: str, description: str, draw: Callable[[], str]) -> None:
        self.title = title
        self.description = description  # the text alternative, also the SVG's <desc>
        self._draw: Callable[[], str] | None = draw
        self._svg: str | None = None

    @property
    def svg(self) -> str:
        if self._svg is None:
            assert self._draw is not None
            self._svg, self._draw = self._draw(), None
        return self._svg

    @property
    def drawn(self) -> bool:
        return self._svg is not None

    def __repr__(self) -> str:
        return f"Chart({self.title!r})"


@dataclass(frozen=True)
class ItemBar:
    label: str  # the statement
    counts: Sequence[int]  # answers per scale point, lowest first, as answered
    not_applicable: int
    note: str = ""  # e.g. "agreeing is unfavourable", printed under the statement


@dataclass(frozen=True)
class ScoreRow:
    label: str
    mean: float | None  # None: not shown (too few answers)
    low: float | None
    high: float | None
    band: str | None


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: float
    after: float


def _pct(x: float) -> str:
    return f"{x:.0f}%"


def _num(x: float) -> str:
    return unsigned(x)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


class _Canvas:
    """The few drawing calls the charts make, written straight to SVG.

    Coordinates are in inches from the top left (y grows downwards), as the charts lay
    themselves out; the SVG's user unit is the point (1/72 inch), so font sizes are in
    points as in print. Shapes are drawn under lines and lines under text (matplotlib's
    default stacking), in the order they were added within each layer. Writing the SVG
    directly is deterministic and far faster than a plotting library's renderer.
    """

    def __init__(self) -> None:
        self.parts: list[tuple[float, int, str]] = []

    def _add(self, z: float, element: str) -> None:
        self.parts.append((z, len(self.parts), element))

    def rect(self, x: float, y: float, w: float, h: float, colour: str) -> None:
        self._add(
            1.0,
            f'<rect x="{_u(x)}" y="{_u(y)}" width="{_u(w)}" height="{_u(h)}" fill="{colour}" '
            'stroke="#ffffff" stroke-width="0.6"/>',
        )

    def text(self, x: float, y: float, s: str, **kw: Any) -> None:
        anchor = {"left": "start", "center": "middle", "right": "end"}[kw.get("ha", "left")]
        baseline = {"center": "central", "top": "hanging", "bottom": "text-after-edge"}.get(
            kw.get("va", "baseline"), "auto"
        )
        weight = ' font-weight="bold"' if kw.get("fontweight") == "bold" else ""
        self._add(
            3.0,
            f'<text x="{_u(x)}" y="{_u(y)}" font-size="{kw.get("fontsize", 8.5):g}" '
            f'fill="{kw.get("color", INK)}" text-anchor="{anchor}" '
            f'dominant-baseline="{baseline}"{weight}>{escape(s)}</text>',
        )

    def plot(self, xs: Sequence[float], ys: Sequence[float], **kw: Any) -> None:
        z = float(kw.get("zorder", 2.0))
        colour = kw.get("color", INK)
        if kw.get("marker") == "o":
            r = float(kw.get("markersize", 6)) / 2
            edge = kw.get("markeredgecolor", colour)
            width = kw.get("markeredgewidth", 1.0)
            for x, y in zip(xs, ys, strict=True):
                self._add(
                    z,
                    f'<circle cx="{_u(x)}" cy="{_u(y)}" r="{r:g}" fill="{colour}" '
                    f'stroke="{edge}" stroke-width="{width:g}"/>',
                )
            return
        lw = float(kw.get("linewidth", 1.0))
        d = " ".join(
            f"{'M' if i == 0 else 'L'}{_u(x)} {_u(y)}"
            for i, (x, y) in enumerate(zip(xs, ys, strict=True))
        )
        dash = ""
        style = kw.get("linestyle")
        if isinstance(style, tuple):  # (offset, (on, off)) in multiples of the line width
            on, off = style[1]
            dash = f' stroke-dasharray="{on * lw:g} {off * lw:g}"'
        cap = {"butt": "butt", "round": "round"}.get(kw.get("solid_capstyle", ""), "square")
        self._add(
            z,
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{lw:g}" '
            f'stroke-linecap="{cap}"{dash}/>',
        )

    def svg(self, height: float) -> str:
        w, h = _u(WIDTH), _u(height)
        body = "\n".join(e for _, _, e in sorted(self.parts))
        return (
            f'<svg viewBox="0 0 {w} {h}" font-family="{FONT_STACK}">\n'
            f'<rect width="{w}" height="{h}" fill="#ffffff"/>\n{body}\n</svg>\n'
        )


def _u(inches: float) -> str:
    """Inches as SVG user units (points), short and exact enough."""
    text = f"{inches * 72:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _render(draw: Any, height: float, title: str, description: str, uid: str) -> Chart:
    def svg() -> str:
        canvas = _Canvas()
        draw(canvas)
        return _tidy(canvas.svg(height), title, description, uid)

    return Chart(title, description, svg)


_ID = re.compile(r'\bid="([^"]+)"')


def _tidy(svg: str, title: str, description: str, uid: str) -> str:
    """The SVG made fit to inline in HTML: no prolog, metadata or namespace URLs;
    ids prefixed by ``uid``; a font stack; an accessible name and description."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", svg)
    svg = svg.replace("xlink:href=", "href=")
    svg = re.sub(r'\s+version="1\.1"', "", svg)
    ids = _ID.findall(svg)
    for old in sorted(set(ids), key=len, reverse=True):
        new = f"{uid}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"#{old})", f"#{new})").replace(f'"#{old}"', f'"#{new}"')
    svg = svg.replace("'DejaVu Sans'", FONT_STACK)
    svg = re.sub(r'<svg\s+width="[^"]*"\s+height="[^"]*"', "<svg", svg, count=1)
    head = (
        f'<svg class="chart" role="img" aria-labelledby="{uid}-title {uid}-desc" focusable="false"'
    )
    svg = svg.replace("<svg", head, 1)
    close = svg.index(">", svg.index("<svg")) + 1
    svg = (
        svg[:close]
        + f'\n<title id="{uid}-title">{escape(title)}</title>'
        + f'\n<desc id="{uid}-desc">{escape(description)}</desc>'
        + svg[close:]
    )
    return svg.strip() + "\n"


def _text(ax: Any, x: float, y: float, s: str, **kw: Any) -> None:
    kw.setdefault("color", INK)
    kw.setdefault("va", "center")
    ax.text(x, y, s, **kw)


def _rect(ax: Any, x: float, y: float, w: float, h: float, colour: str) -> None:
    ax.rect(x, y, w, h, colour)


# --------------------------------------------------------------------------- items


def _split(counts: Sequence[int]) -> tuple[list[int], int | None, list[int]]:
    """Disagree points (lowest first), the middle point's count (odd scales) and agree."""
    k = len(counts)
    half = k // 2
    middle = counts[half] if k % 2 else None
    return list(counts[:half]), middle, list(counts[k - half :])


def _item_colours(k: int) -> tuple[list[str], list[str]]:
    half = k // 2
    low = [DISAGREE_STRONG, DISAGREE] if half >= 2 else [DISAGREE]
    high = [AGREE, AGREE_STRONG] if half >= 2 else [AGREE]
    while len(low) < half:  # longer scales: repeat the lighter shade inwards
        low.append(DISAGREE)
        high.insert(0, AGREE)
    return low, high


def items_chart(
    bars: Sequence[ItemBar],
    labels: Sequence[str],
    title: str,
    uid: str,
    *,
    na_label: str,
    ends: tuple[str, str] = ("disagree", "agree"),
    high: str = "agree",
) -> Chart:
    """Diverging stacked bars of answers as given; percentages of those who answered on
    the scale, with the "don't know" / "not applicable" count printed apart. ``ends``
    names the two sides (a how-often scale is not "disagree" and "agree"), ``high`` the
    column that gives the share of the upper side."""
    k = len(labels)
    low_c, high_c = _item_colours(k)
    shares = []
    for b in bars:
        total = sum(b.counts)
        pct = [100.0 * c / total if total else 0.0 for c in b.counts]
        dis, mid, agr = _split(pct)
        shares.append((dis, mid or 0.0, agr, total))
    left = max([sum(d) + m / 2 for d, m, _, _ in shares] + [50.0])
    right = max([sum(a) + m / 2 for _, m, a, _ in shares] + [50.0])
    text_w = 2.75
    x0, x1 = text_w + 0.15, WIDTH - 1.3
    scale = (x1 - x0) / (left + right)
    centre = x0 + left * scale
    lines = [_wrap(b.label, 46) + ([f"({b.note})"] if b.note else []) for b in bars]
    row_h = [max(0.42, 0.14 * len(ls) + 0.14) for ls in lines]
    top = 0.62
    height = top + sum(row_h) + 0.12

    def draw(ax: Any) -> None:
        # legend
        x = 0.0
        for i, lab in enumerate(labels):
            colour = (low_c + ([NEUTRAL] if k % 2 else []) + high_c)[i]
            _rect(ax, x, 0.08, 0.14, 0.14, colour)
            _text(ax, x + 0.19, 0.15, lab, fontsize=7.5)
            x += 0.19 + 0.052 * len(lab) + 0.2
        _text(ax, x1 + 0.08, 0.46, high, fontsize=7.5, color=MUTED, ha="left")
        _text(ax, x1 + 0.62, 0.46, na_label, fontsize=7.5, color=MUTED, ha="left")
        _text(
            ax,
            centre,
            0.46,
            f"{ends[0]}  \u2190  \u2192  {ends[1]}",
            fontsize=7.5,
            color=MUTED,
            ha="center",
        )
        y = top
        for b, ls, h, (dis, mid, agr, total) in zip(bars, lines, row_h, shares, strict=True):
            mid_y = y + h / 2
            for j, line in enumerate(ls):
                off = (j - (len(ls) - 1) / 2) * 0.14
                colour = MUTED if b.note and j == len(ls) - 1 else INK
                _text(ax, 0.0, mid_y + off, line, fontsize=8, color=colour)
            bar_h = 0.26
            by = mid_y - bar_h / 2
            segs: list[tuple[float, float, str, float]] = []
            pos = centre - mid / 2 * scale
            for share, colour in zip(reversed(dis), reversed(low_c), strict=True):
                w = share * scale
                segs.append((pos - w, w, colour, share))
                pos -= w
            if k % 2:
                segs.append((centre - mid / 2 * scale, mid * scale, NEUTRAL, mid))
            pos = centre + mid / 2 * scale
            for share, colour in zip(agr, high_c, strict=True):
                w = share * scale
                segs.append((pos, w, colour, share))
                pos += w
            for sx, sw, colour, share in segs:
                if sw <= 0:
                    continue
                _rect(ax, sx, by, sw, bar_h, colour)
                if sw >= 0.3:
                    dark = colour in (DISAGREE_STRONG, AGREE_STRONG)
                    _text(
                        ax,
                        sx + sw / 2,
                        mid_y,
                        _pct(share),
                        fontsize=7.5,
                        ha="center",
                        color="white" if dark else INK,
                    )
            if total == 0:
                _text(ax, centre, mid_y, "no answers", fontsize=7.5, color=MUTED, ha="center")
            agree = sum(agr)
            _text(
                ax,
                x1 + 0.08,
                mid_y,
                _pct(agree) if total else "-",
                fontsize=8.5,
                fontweight="bold",
                ha="left",
            )
            _text(ax, x1 + 0.62, mid_y, str(b.not_applicable), fontsize=8.5, ha="left", color=MUTED)
            y += h
        ax.plot([centre, centre], [top - 0.02, y], color=MUTED, linewidth=0.7, zorder=0.5)

    parts = []
    for b, (dis, mid, agr, total) in zip(bars, shares, strict=True):
        if total:
            parts.append(
                f"{b.label}: {_pct(sum(agr))} {ends[1]}, {_pct(mid)} in the middle, "
                f"{_pct(sum(dis))} {ends[0]}, of {total} who answered; "
                f"{b.not_applicable} said {na_label.lower()}."
            )
        else:
            parts.append(f"{b.label}: no answers.")
    return _render(draw, height, title, " ".join(parts), uid)


# --------------------------------------------------------------------------- scores


def _axis(
    ax: Any,
    x0: float,
    x1: float,
    lo: float,
    hi: float,
    top: float,
    bottom: float,
    bands: tuple[float, float] | None,
) -> Any:
    def at(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    if bands:
        borderline, strength = bands
        zones = [
            ("concern", lo, borderline),
            ("borderline", borderline, strength),
            ("strength", strength, hi),
        ]
        for name, a, b in zones:
            if b <= a:
                continue
            _rect(ax, at(a), top, at(b) - at(a), bottom - top, BAND_FILL[name])
            _text(
                ax,
                (at(a) + at(b)) / 2,
                top - 0.12,
                name,
                fontsize=7.5,
                ha="center",
                color=BAND_INK[name],
                fontweight="bold",
            )
        for t in (borderline, strength):
            ax.plot(
                [at(t), at(t)], [top, bottom], color=MUTED, linewidth=0.6, linestyle=(0, (3, 2))
            )
    v = int(lo)
    while v <= hi:
        ax.plot([at(v), at(v)], [bottom, bottom + 0.05], color=MUTED, linewidth=0.6)
        _text(ax, at(v), bottom + 0.14, str(v), fontsize=7.5, ha="center", color=MUTED)
        v += 1
    return at


def scores_chart(
    rows: Sequence[ScoreRow],
    lo: float,
    hi: float,
    bands: tuple[float, float] | None,
    title: str,
    uid: str,
) -> Chart:
    """Each dimension's mean (dot) with its 95% interval (line), over the bands."""
    text_w = 2.75
    x0, x1 = text_w + 0.2, WIDTH - 1.55
    lines = [_wrap(r.label, 44) for r in rows]
    row_h = [max(0.34, 0.14 * len(ls) + 0.12) for ls in lines]
    top = 0.3
    bottom = top + sum(row_h)
    height = bottom + 0.3

    def draw(ax: Any) -> None:
        at = _axis(ax, x0, x1, lo, hi, top, bottom, bands)
        _text(
            ax, x1 + 0.12, top - 0.12, "score (95% interval)", fontsize=7.5, color=MUTED, ha="left"
        )
        y = top
        for r, ls, h in zip(rows, lines, row_h, strict=True):
            mid = y + h / 2
            for j, line in enumerate(ls):
                _text(ax, 0.0, mid + (j - (len(ls) - 1) / 2) * 0.14, line, fontsize=8)
            if r.mean is None:
                _text(
                    ax,
                    (x0 + x1) / 2,
                    mid,
                    "not shown: too few answers",
                    fontsize=7.5,
                    color=MUTED,
                    ha="center",
                )
            else:
                colour = BAND_INK.get(r.band or "", INK)
                if r.low is not None and r.high is not None:
                    ax.plot(
                        [at(r.low), at(r.high)],
                        [mid, mid],
                        color=colour,
                        linewidth=2.2,
                        solid_capstyle="butt",
                    )
                ax.plot(
                    [at(r.mean)],
                    [mid],
                    marker="o",
                    markersize=7,
                    color=colour,
                    markeredgecolor="white",
                    markeredgewidth=1.0,
                )
                interval = (
                    f" ({_num(r.low)}\u2013{_num(r.high)})"
                    if r.low is not None and r.high is not None
                    else ""
                )
                _text(ax, x1 + 0.12, mid, _num(r.mean), fontsize=8.5, fontweight="bold", ha="left")
                _text(ax, x1 + 0.46, mid, interval, fontsize=7.5, ha="left", color=MUTED)
            y += h

    parts = []
    for r in rows:
        if r.mean is None:
            parts.append(f"{r.label}: not shown, too few answers.")
            continue
        ci = (
            f", 95% interval {_num(r.low)} to {_num(r.high)}"
            if r.low is not None and r.high is not None
            else ""
        )
        band = f", {r.band}" if r.band else ""
        parts.append(f"{r.label}: {_num(r.mean)}{ci}{band}.")
    desc = f"Scores on a scale from {lo:g} to {hi:g}. " + " ".join(parts)
    return _render(draw, height, title, desc, uid)


# --------------------------------------------------------------------------- change


def change_chart(
    rows: Sequence[ChangeRow],
    lo: float,
    hi: float,
    bands: tuple[float, float] | None,
    title: str,
    uid: str,
    *,
    before_label: str = "before",
    after_label: str = "now",
) -> Chart:
    """Each dimension's score in the earlier wave (open dot) and now (filled), joined."""
    text_w = 2.75
    x0, x1 = text_w + 0.2, WIDTH - 1.55
    lines = [_wrap(r.label, 44) for r in rows]
    row_h = [max(0.34, 0.14 * len(ls) + 0.12) for ls in lines]
    top = 0.3
    bottom = top + sum(row_h)
    height = bottom + 0.3

    def draw(ax: Any) -> None:
        at = _axis(ax, x0, x1, lo, hi, top, bottom, bands)
        _text(
            ax,
            x1 + 0.12,
            top - 0.12,
            f"{before_label} \u2192 {after_label}",
            fontsize=7.5,
            color=MUTED,
            ha="left",
        )
        y = top
        for r, ls, h in zip(rows, lines, row_h, strict=True):
            mid = y + h / 2
            for j, line in enumerate(ls):
                _text(ax, 0.0, mid + (j - (len(ls) - 1) / 2) * 0.14, line, fontsize=8)
            ax.plot([at(r.before), at(r.after)], [mid, mid], color=MUTED, linewidth=1.4)
            ax.plot(
                [at(r.before)],
                [mid],
                marker="o",
                markersize=7,
                color="white",
                markeredgecolor=MUTED,
                markeredgewidth=1.4,
            )
            ax.plot(
                [at(r.after)],
                [mid],
                marker="o",
                markersize=7,
                color=AGREE_STRONG,
                markeredgecolor="white",
                markeredgewidth=1.0,
            )
            diff = r.after - r.before
            _text(
                ax,
                x1 + 0.12,
                mid,
                f"{_num(r.before)} \u2192 {_num(r.after)}",
                fontsize=8,
                ha="left",
            )
            _text(ax, x1 + 0.98, mid, f"({signed(diff)})", fontsize=7.5, ha="left", color=MUTED)
            y += h

    parts = [
        f"{r.label}: {_num(r.before)} {before_label}, {_num(r.after)} {after_label} "
        f"({signed(r.after - r.before)})."
        for r in rows
    ]
    desc = f"Scores on a scale from {lo:g} to {hi:g}, {before_label} and {after_label}. "
    return _render(draw, height, title, desc + " ".join(parts), uid)
