"""The HTML reports in a real browser (headless Chromium): the page is not blank, and it
prints to PDF. Skipped, saying why, when Chromium is not installed (CI installs it)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from relimpact.report.render import render_report
from relimpact.scoring.engine import score
from tests.test_report import _wave

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)


def _chromium(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            timeout=120,
        )


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("browser")
    current, before = _wave(), _wave(shift=-1.0)
    result = score(current, baseline=before)
    out = {}
    for audience in ("funder", "members"):
        path = folder / f"{audience}.html"
        path.write_text(render_report(result, current, audience, "html"), encoding="utf-8")
        out[audience] = path
    return out


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_the_page_is_not_blank(pages, audience: str, tmp_path: Path) -> None:
    from matplotlib.image import imread

    png = tmp_path / "shot.png"
    r = _chromium(f"--screenshot={png}", "--window-size=1100,1600", pages[audience].as_uri())
    assert png.exists(), r.stderr.decode(errors="replace")
    image = imread(png)  # floats in 0..1, height x width x channels
    inked = (image[:, :, :3].min(axis=2) < 0.6).mean()
    assert inked > 0.02, f"only {inked:.1%} of the {audience} page is drawn"


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_the_browser_sees_the_headings_and_charts(pages, audience: str) -> None:
    r = _chromium("--dump-dom", pages[audience].as_uri())
    dom = r.stdout.decode("utf-8", errors="replace")
    assert "How is our network doing?" not in dom  # the fixture's own title, not the demo's
    assert "<h1>Small</h1>" in dom
    if audience == "funder":
        for heading in ("Who responded", "Methods", "What these figures cannot tell you"):
            assert heading in dom
        assert dom.count("<svg") >= 3
    else:
        assert "What you told us" in dom and "What happens next" in dom
    assert "<script>alert" not in dom


def test_the_funder_report_prints_to_several_a4_pages(pages, tmp_path: Path) -> None:
    pdf = tmp_path / "funder.pdf"
    r = _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", pages["funder"].as_uri())
    assert pdf.exists(), r.stderr.decode(errors="replace")
    data = pdf.read_bytes()
    pages_in_pdf = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages_in_pdf >= 3  # major sections start on new pages
    import re

    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes and all(  # A4 is 595 x 842 points
        abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes
    )


# --------------------------------------------------------------------------- layout


@pytest.fixture(scope="module")
def demo_pages(tmp_path_factory) -> dict[str, Path]:
    """The demo's reports (a baseline, segments, many columns), as the CLI writes them."""
    import sys

    folder = tmp_path_factory.mktemp("layout")
    r = subprocess.run(
        [sys.executable, "-m", "relimpact", "demo", "--out", "demo"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    return {a: folder / "demo" / f"report-{a}.html" for a in ("funder", "members")}


@pytest.fixture(scope="module")
def browser():
    from tests.cdp import Browser

    with Browser() as b:
        yield b


WIDEST = """(() => {
  const over = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                 && !e.closest('.table-wrap'))
    .map(e => e.tagName + '.' + e.className);
  return {width: document.documentElement.scrollWidth, over: over.slice(0, 8)};
})()"""


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_no_horizontal_scrolling_at_360_px(demo_pages, browser, audience: str) -> None:
    browser.media("screen")
    browser.resize(360, 800)
    browser.open(demo_pages[audience])
    got = browser.evaluate(WIDEST)
    assert got["width"] <= 360, got
    # a wide table scrolls inside its own box, which the keyboard can reach and names
    boxes = browser.evaluate(
        """[...document.querySelectorAll('.table-wrap')].map(w => ({
             scrolls: w.scrollWidth > w.clientWidth, tab: w.tabIndex,
             name: w.getAttribute('aria-label'), role: w.getAttribute('role')}))"""
    )
    for box in boxes:
        assert box["tab"] == 0 and box["role"] == "region" and box["name"], box


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_every_table_fits_a4_portrait_in_chromiums_print_layout(
    demo_pages, browser, audience: str
) -> None:
    # A4 less the print stylesheet's 14 mm side margins: 182 mm at 96 px per inch
    width = round(182 / 25.4 * 96)
    browser.media("print")
    browser.resize(width, 1100)
    browser.open(demo_pages[audience])
    tables = browser.evaluate(
        """[...document.querySelectorAll('table')].map(t => ({
             caption: t.caption ? t.caption.textContent : '',
             width: t.getBoundingClientRect().width}))"""
    )
    assert tables or audience == "members"  # the members' report has no table
    for t in tables:
        assert t["width"] <= width + 1, t
    assert browser.evaluate("document.documentElement.scrollWidth") <= width
    browser.media("screen")


def test_chromium_prints_the_summary_on_two_pages_then_the_appendix(demo_pages, browser) -> None:
    import base64
    import io

    import pypdf

    browser.call("Emulation.clearDeviceMetricsOverride", session=True)
    browser.media("")
    browser.open(demo_pages["funder"])
    pdf = base64.b64decode(
        browser.call("Page.printToPDF", {"preferCSSPageSize": True}, session=True)["data"]
    )
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert "Key findings" in pages[0] and "5 to 18 October 2026" in pages[0]
    assert "Every dimension at a glance" in pages[1]
    assert "Appendix" not in " ".join(pages[:2]).replace("The appendix", "")
    assert pages[2].upper().startswith("APPENDIX")
