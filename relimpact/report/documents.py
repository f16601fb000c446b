"""Word and PDF reports, made from the same HTML the browser gets.

The report model is rendered once as HTML (``render.render_model``); this module turns
that HTML into an editable Word file (python-docx) or a PDF (WeasyPrint), so that the
three say the same things with the same numbers.

- Word: the HTML's headings become Word headings (Heading 1-3), its tables Word tables
  with a header row, its paragraphs and lists Word paragraphs and lists, and each chart
  (an inline SVG) a PNG picture, drawn by CairoSVG, with the chart's text alternative as
  the picture's description. The file is byte-identical for the same input: the zip
  entries carry a fixed date and the document properties no clock time.
- PDF: WeasyPrint lays the HTML out with its print stylesheet (A4).

python-docx, CairoSVG and WeasyPrint are imported only here, inside the functions, and
only when a Word or PDF report is asked for. When one is missing, the error names the
command that installs it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from relimpact.common.errors import UsageError

DOCX_INSTALL = "pip install 'relimpact[docx]'"
PDF_INSTALL = "pip install 'relimpact[pdf]'"
SYSTEM_LIBRARIES = (
    "WeasyPrint and CairoSVG also need the Pango and Cairo libraries of the system: on "
    "Debian or Ubuntu, apt-get install libpango-1.0-0 libpangoft2-1.0-0 libcairo2; on "
    "macOS, brew install pango cairo."
)
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "html",
    "li", "main", "nav", "ol", "p", "section", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}  # fmt: skip
VOID = {"br", "hr", "img", "meta", "link", "input", "col", "wbr"}
# a <details> holds a chart's figures, which the picture's description gives in Word
SKIP = {"head", "style", "script", "template", "title", "details"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts: list[str] = []
        for c in self.children:
            parts.append(c if isinstance(c, str) else ("\n" if c.tag == "br" else c.text()))
        return "".join(parts)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Tree(HTMLParser):
    """The HTML as a small tree (the reports' HTML is well formed: it is our own)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def _charts_out(html: str) -> tuple[str, list[str]]:
    """Each inline SVG replaced by ``<img data-chart="i">``; the SVGs, in order."""
    svgs: list[str] = []

    def keep(m: re.Match[str]) -> str:
        svgs.append(m.group(0))
        return f'<img data-chart="{len(svgs) - 1}">'

    return _SVG.sub(keep, html), svgs


def _svg_description(svg: str) -> str:
    import html as html_lib

    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    parts = [html_lib.unescape(m.group(1)).strip() for m in (title, desc) if m]
    return " ".join(p for p in parts if p)


def svg_to_png(svg: str, width_px: int = 1400) -> bytes:
    """An inline report SVG as a PNG (CairoSVG), the same bytes for the same SVG."""
    try:
        import cairosvg
    except (ImportError, OSError) as exc:
        raise UsageError(
            f"a Word report needs CairoSVG to draw its charts ({_why(exc)}).",
            hint=f"Install it with: {DOCX_INSTALL}. {SYSTEM_LIBRARIES}",
        ) from None
    head = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    source = svg.replace("<svg", head, 1) if "xmlns=" not in svg[:400] else svg
    return cairosvg.svg2png(bytestring=source.encode("utf-8"), output_width=width_px)


def _why(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --------------------------------------------------------------------------- Word


def html_to_docx(html: str, *, title: str, language: str = "en") -> bytes:
    """The report's HTML as an editable Word document (.docx bytes)."""
    try:
        import docx
        from docx.shared import Cm, Pt
    except ImportError as exc:
        raise UsageError(
            f"a Word report needs python-docx ({_why(exc)}).",
            hint=f"Install it with: {DOCX_INSTALL}",
        ) from None
    body_html, svgs = _charts_out(html)
    tree = _Tree()
    tree.feed(body_html)
    tree.close()
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    props = document.core_properties
    props.title = title
    props.language = language
    props.author = "relimpact"
    props.last_modified_by = "relimpact"
    props.comments = ""
    props.revision = 1
    writer = _DocxWriter(document, svgs, Cm(16))
    body = _find(tree.root, "body") or tree.root
    writer.block(body)
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip(buf.getvalue())


def _find(node: Node, tag: str) -> Node | None:
    for c in node.children:
        if isinstance(c, Node):
            if c.tag == tag:
                return c
            found = _find(c, tag)
            if found is not None:
                return found
    return None


def _fixed_zip(data: bytes) -> bytes:
    """The same .docx with every zip entry dated 1980-01-01, so reruns are byte-identical."""
    from relimpact.common.output import dated_zip

    return dated_zip(data, FIXED_ZIP_DATE)


class _DocxWriter:
    """Walks the HTML tree and writes Word paragraphs, headings, lists, tables, pictures."""

    def __init__(self, document: Any, svgs: list[str], width: Any) -> None:
        self.doc = document
        self.svgs = svgs
        self.width = width
        self.pictures = 0

    # A run of inline content (text, <strong>, <span>...) becomes one paragraph.
    def block(self, node: Node, list_style: str | None = None) -> None:
        inline: list[Node | str] = []

        def flush() -> None:
            if inline:
                self.paragraph(inline, list_style if node.tag == "li" else None)
                inline.clear()

        for c in node.children:
            if isinstance(c, str) or (c.tag not in BLOCKS and c.tag != "img"):
                if isinstance(c, Node) and c.tag in SKIP:
                    continue
                inline.append(c)
                continue
            flush()
            self.element(c, list_style)
        flush()

    def element(self, node: Node, list_style: str | None) -> None:
        tag = node.tag
        if tag in SKIP:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            level = min(int(tag[1]) - 1, 3) if tag != "h1" else 0
            text = _squash(node.text())
            if text:
                self.doc.add_heading(text, level=level)
            return
        if tag == "img" and "data-chart" in node.attrs:
            self.picture(int(node.attrs["data-chart"]))
            return
        if tag == "img" and node.attrs.get("src", "").startswith("data:image/"):
            self.logo(node.attrs["src"], node.attrs.get("alt", ""))
            return
        if tag == "table":
            self.table(node)
            return
        if tag in ("ul", "ol"):
            style = "List Number" if tag == "ol" else "List Bullet"
            for li in node.children:
                if isinstance(li, Node):
                    self.block(li, style)
            return
        if tag == "li":
            self.block(node, list_style or "List Bullet")
            return
        if tag in ("figcaption", "caption"):
            self.paragraph(node.children, "Caption")
            return
        if tag == "blockquote":
            self.paragraph(node.children, "Quote")
            return
        self.block(node, list_style)

    def paragraph(self, parts: list[Node | str], style: str | None) -> None:
        runs: list[tuple[str, bool]] = []
        _runs(parts, False, runs)
        text = "".join(t for t, _ in runs)
        if not _squash(text):
            return
        p = self.doc.add_paragraph(style=style) if style else self.doc.add_paragraph()
        first = True
        for piece, bold in _tidy_runs(runs):
            if first:
                piece = piece.lstrip()
                first = False
            if piece:
                p.add_run(piece).bold = bold or None
        if p.runs:
            p.runs[-1].text = p.runs[-1].text.rstrip()

    def picture(self, index: int) -> None:
        svg = self.svgs[index]
        png = svg_to_png(svg)
        self.doc.add_picture(io.BytesIO(png), width=self.width)
        self.pictures += 1
        # The chart's text alternative, for screen readers (Word's "alt text").
        inline = self.doc.paragraphs[-1].runs[-1]._r.xpath(".//wp:docPr")
        if inline:
            inline[0].set("descr", _svg_description(svg))
            inline[0].set("name", f"Chart {self.pictures}")

    def logo(self, uri: str, alt: str) -> None:
        """An embedded image (the organisation's logo), 4 cm wide."""
        import base64

        from docx.shared import Cm

        head, _, data = uri.partition(",")
        raw = base64.b64decode(data)
        png = svg_to_png(raw.decode("utf-8"), 600) if "svg" in head else raw
        self.doc.add_picture(io.BytesIO(png), width=Cm(4))
        found = self.doc.paragraphs[-1].runs[-1]._r.xpath(".//wp:docPr")
        if found:
            found[0].set("descr", alt)

    def table(self, node: Node) -> None:
        caption = next(
            (c for c in node.children if isinstance(c, Node) and c.tag == "caption"), None
        )
        if caption is not None:
            self.paragraph(caption.children, "Caption")
        rows: list[tuple[list[tuple[Node, int]], bool]] = []
        for tr in _all(node, "tr"):
            cells = [
                (c, int(c.attrs.get("colspan", "1") or 1))
                for c in tr.children
                if isinstance(c, Node) and c.tag in ("th", "td")
            ]
            header = all(c.tag == "th" for c, _ in cells) and _inside(node, tr, "thead")
            rows.append((cells, header))
        if not rows:
            return
        width = max(sum(span for _, span in cells) for cells, _ in rows)
        table = self.doc.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for cells, header in rows:
            row = table.add_row()
            col = 0
            for cell, span in cells:
                target = row.cells[col]
                if span > 1:
                    target = target.merge(row.cells[col + span - 1])
                target.text = _squash(cell.text())
                if header or cell.tag == "th":
                    for run in target.paragraphs[0].runs:
                        run.bold = True
                col += span
        self.doc.add_paragraph()


def _all(node: Node, tag: str) -> list[Node]:
    out: list[Node] = []
    for c in node.children:
        if isinstance(c, Node):
            if c.tag == tag:
                out.append(c)
            else:
                out.extend(_all(c, tag))
    return out


def _inside(table: Node, tr: Node, tag: str) -> bool:
    return any(tr in _all(section, "tr") for section in _all(table, tag))


def _runs(parts: list[Node | str], bold: bool, out: list[tuple[str, bool]]) -> None:
    for c in parts:
        if isinstance(c, str):
            out.append((c, bold))
        elif c.tag == "br":
            out.append(("\n", bold))
        elif c.tag in SKIP:
            continue
        else:
            _runs(c.children, bold or c.tag in ("strong", "b", "th"), out)


def _tidy_runs(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """White space collapsed as a browser would, adjacent runs of one weight joined."""
    out: list[tuple[str, bool]] = []
    for text, bold in runs:
        text = re.sub(r"[ \t\r\n]+", " ", text)
        if out and out[-1][1] == bold:
            out[-1] = (out[-1][0] + text, bold)
        else:
            out.append((text, bold))
    merged: list[tuple[str, bool]] = []
    for text, bold in out:
        if merged and merged[-1][0].endswith(" ") and text.startswith(" "):
            text = text[1:]
        merged.append((text, bold))
    return merged


def _squash(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- PDF


def html_to_pdf(html: str) -> bytes:
    """The report's HTML laid out for A4 by WeasyPrint (its print stylesheet applies)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise UsageError(
            f"a PDF report needs WeasyPrint ({_why(exc)}).",
            hint=f"Install it with: {PDF_INSTALL}. {SYSTEM_LIBRARIES}",
        ) from None
    import logging

    # WeasyPrint logs CSS it ignores (screen-only properties) as warnings; they are not
    # the user's business.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=None)
    return document.write_pdf(uncompressed_pdf=False)
