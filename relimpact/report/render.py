"""The report model laid out: HTML and Markdown from the Jinja2 templates in
``templates/``, Word and PDF made from the HTML (``relimpact.report.documents``).

``render_report(result, responses, audience, fmt)`` builds the model once
(``relimpact.report.model.build_report``) and renders it; ``render_model`` lays out a
model already built. HTML is autoescaped; Markdown shows every value as written.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from relimpact.common.errors import UsageError
from relimpact.report.model import Report, build_report

if TYPE_CHECKING:
    from relimpact.read.responses import ResponseSet
    from relimpact.report.quotes import QuotePool
    from relimpact.scoring.engine import ScoreResult

FORMATS = ("html", "md", "docx", "pdf")
SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".pdf": "pdf",
}
TEMPLATES = Path(__file__).resolve().parent / "templates"


class _MarkdownText(str):
    """Text already made literal Markdown (by a filter), which ``_md`` leaves as it is."""


def _md(value: object) -> str:
    """Every value in Markdown is shown as written: no raw HTML, emphasis, image or link
    can come out of a label, a statement or an answer (``text.md_literal``)."""
    from relimpact.common.text import md_literal

    if isinstance(value, _MarkdownText):
        return str(value)
    return md_literal(value)


def _md_quote(value: object) -> str:
    """A respondent's words in Markdown: every character Markdown acts on is escaped,
    parentheses and ``!`` too, so a quote can never become an image, a link or a heading
    (``![x](//host/p.png)`` stays text, and fetches nothing)."""
    from relimpact.common.text import md_literal

    return _MarkdownText(md_literal(value, also="()!"))


def _cell(value: object) -> str:
    """A Markdown table cell: no line breaks (``_md`` escapes its pipes)."""
    return " ".join(str(value).split())


def _environment(fmt: str) -> Any:
    import jinja2

    if fmt == "html":
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
    else:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_md,
            undefined=jinja2.StrictUndefined,
        )
        env.filters["cell"] = _cell
        env.filters["quote"] = _md_quote
        env.filters["verbatim"] = _MarkdownText  # a macro's output, its values already literal
    return env


def render_report(
    result: ScoreResult,
    responses: ResponseSet,
    audience: str,
    fmt: str,
    *,
    show_names: bool = False,
    quotes: QuotePool | None = None,
) -> str | bytes:
    """The report for ``audience`` (``funder`` or ``members``): ``html`` or ``md`` text, or
    the bytes of a ``docx`` (Word) or ``pdf`` file made from the HTML.

    Deterministic: the same result and responses give the same output, byte for byte.
    ``quotes``: see ``model.build_report``.
    """
    if fmt not in FORMATS:
        raise UsageError(
            f"--format {fmt}: must be one of {', '.join(FORMATS)}.",
            hint="Use html for a page to print or send, md for Markdown, docx for an "
            "editable Word file, pdf for a PDF.",
        )
    report = build_report(result, responses, audience, show_names=show_names, quotes=quotes)
    if fmt in ("docx", "pdf"):
        from relimpact.report import documents

        html = render_model(report, "html")
        if fmt == "pdf":
            return documents.html_to_pdf(html)
        return documents.html_to_docx(html, title=_document_title(report), language=report.language)
    return render_model(report, fmt)


def _document_title(report: Report) -> str:
    network = f" ({report.network})" if report.network else ""
    return f"{report.title}{network}: {report.heading}"


def render_model(report: Report, fmt: str) -> str:
    """Lay out a built report model with its template."""
    import markupsafe

    env = _environment(fmt)
    template = env.get_template(f"{report.audience}.{fmt}.j2")
    text = template.render(r=report, safe_svg=markupsafe.Markup if fmt == "html" else str)
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:  # at most one blank line in a row
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"
