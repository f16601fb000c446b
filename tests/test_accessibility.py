"""Accessibility of every HTML page relimpact writes, checked in a real browser.

Both reports (funder and members) and the paper form are opened in headless Chromium,
driven through the DevTools protocol (``tests/cdp.py``), and axe-core (the engine behind
most accessibility checkers; its ``axe.min.js`` comes from PyPI with the ``[test]``
extra, inside ``axe-playwright-python``) is run inside the page with all its rules,
best practices included: no violation is allowed. axe cannot tell the colour behind text
drawn in an SVG chart, so the charts' text contrast is measured here too, with the
colour drawn under each text. And the pages keep the promises axe cannot check: every
chart has its figures as a table, a band says its word, ``lang`` is the survey's
language.

Skipped, with the reason, only when Chromium is not installed (CI installs it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cdp import CHROMIUM, SKIP_REASON, Browser

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "surveys" / "examples"


def _axe_source() -> str:
    from importlib.resources import files

    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def _relimpact(*args: str, cwd: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "relimpact", *args], cwd=cwd, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The demo's reports and paper form, and the network-map example's reports (a map)."""
    folder = tmp_path_factory.mktemp("a11y")
    _relimpact("demo", "--out", "demo", cwd=folder)
    demo = folder / "demo"
    out = {
        "funder": demo / "report-funder.html",
        "members": demo / "report-members.html",
        # the demo's three waves of the network-map example: the trend over surveys
        "trend-funder": demo / "map-report-funder.html",
        "trend-members": demo / "map-report-members.html",
    }
    _relimpact("build", "demo/survey.yaml", "--to", "html", "-o", "form.html", cwd=folder)
    out["form"] = folder / "form.html"
    survey = ROOT / "surveys" / "network-map.yaml"
    for audience in ("funder", "members"):
        name = f"map-{audience}.html"
        _relimpact(
            "report",
            str(survey),
            str(EXAMPLES / "network-map-responses.csv"),
            "--baseline",
            str(EXAMPLES / "network-map-baseline.csv"),
            "--audience",
            audience,
            "-o",
            name,
            cwd=folder,
        )
        out[f"map-{audience}"] = folder / name
    return out


@pytest.fixture(scope="module")
def browser():
    with Browser(width=1100, height=1400) as b:
        yield b


PAGES = ["funder", "members", "form", "map-funder", "map-members", "trend-funder", "trend-members"]
REPORTS = [p for p in PAGES if p != "form"]


def _axe(browser: Browser, page: Path) -> dict:
    browser.resize(1100, 1400)
    browser.open(page)
    browser.evaluate(_axe_source() + "\n;0")
    return browser.evaluate(
        """axe.run(document, {resultTypes: ['violations', 'incomplete']}).then(r => ({
            version: axe.version,
            rules: r.passes.length + r.violations.length + r.incomplete.length
                   + r.inapplicable.length,
            violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': '
                                              + n.failureSummary)})),
            incomplete: r.incomplete.map(v => ({
                id: v.id,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          svg: !!document.querySelector(n.target.join(' '))
                                               ?.closest('svg'),
                                          why: n.failureSummary}))}))
        }))"""
    )


@pytest.mark.parametrize("page", PAGES)
def test_axe_core_finds_no_violation(pages, browser, page: str) -> None:
    result = _axe(browser, pages[page])
    assert result["version"].startswith("4.")
    assert result["rules"] > 50  # the whole rule set ran, best practices included
    assert result["violations"] == [], json.dumps(result["violations"], indent=1)
    # What axe could not decide is only ever the colour behind a chart's text, which
    # test_chart_text_has_enough_contrast measures; nothing else is left unchecked.
    for rule in result["incomplete"]:
        if rule["id"] == "color-contrast":
            undecided = [n for n in rule["nodes"] if not n["svg"] and "too short" not in n["why"]]
            assert undecided == [], json.dumps(undecided[:5], indent=1)
        else:
            raise AssertionError(f"axe could not decide {rule['id']}: {rule['nodes'][:3]}")


# The contrast of each text drawn in an SVG against what is drawn under it: the topmost
# filled shape under the text's middle (and its ends), else the page behind the chart.
CHART_CONTRAST = r"""
(() => {
  const parse = s => {
    const m = /rgba?\(([^)]+)\)/.exec(s || '');
    if (!m) return null;
    const p = m[1].split(',').map(x => parseFloat(x));
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = c => {
    const f = v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const shapes = new Set(['rect', 'circle', 'ellipse', 'path', 'polygon']);
  const pageColour = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) return over(c, {r: 255, g: 255, b: 255, a: 1});
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const behind = (text, x, y) => {
    for (const el of document.elementsFromPoint(x, y)) {
      if (el === text || !el.closest('svg')) continue;
      if (el.tagName === 'svg') break;
      if (!shapes.has(el.tagName)) continue;
      const st = getComputedStyle(el);
      const c = parse(st.fill);
      if (!c || st.fill === 'none') continue;
      const a = c.a * parseFloat(st.fillOpacity || '1') * parseFloat(st.opacity || '1');
      if (a === 0) continue;
      return over({...c, a}, pageColour(el.closest('svg')));
    }
    return pageColour(text.closest('svg'));
  };
  const out = [];
  for (const t of document.querySelectorAll('svg text')) {
    t.scrollIntoView({block: 'center'});
    const box = t.getBoundingClientRect();
    if (!box.width || !box.height || !t.textContent.trim()) continue;
    const st = getComputedStyle(t);
    const fg = parse(st.fill);
    const size = parseFloat(st.fontSize);
    const bold = parseInt(st.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const need = large ? 3 : 4.5;
    let worst = 99;
    const y = box.top + box.height / 2;
    for (const x of [box.left + 1, box.left + box.width / 2, box.right - 1]) {
      const bg = behind(t, x, y);
      const a = lum(fg), b = lum(bg);
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      worst = Math.min(worst, ratio);
    }
    out.push({text: t.textContent.slice(0, 40), ratio: Math.round(worst * 100) / 100, need});
  }
  return out;
})()
"""


@pytest.mark.parametrize("page", REPORTS)
def test_chart_text_has_enough_contrast(pages, browser, page: str) -> None:
    browser.resize(1100, 1400)
    browser.open(pages[page])
    texts = browser.evaluate(CHART_CONTRAST)
    if page.endswith("funder"):
        assert len(texts) > 20  # the charts' labels were measured
    low = [t for t in texts if t["ratio"] < t["need"]]
    assert low == [], low[:10]


@pytest.mark.parametrize("page", REPORTS)
def test_every_chart_has_its_figures_as_a_table(pages, browser, page: str) -> None:
    browser.open(pages[page])
    charts = browser.evaluate(
        """[...document.querySelectorAll('svg[role=img]')].map(svg => {
            // the table is in the chart's figure, or is what follows the figure
            const holder = svg.closest('figure, .map');
            const next = holder && holder.nextElementSibling;
            const table = holder && (holder.querySelector('table')
                || (next && (next.matches('table') ? next : next.querySelector('table'))));
            return {name: svg.querySelector('title')?.textContent,
                    rows: table ? table.querySelectorAll('tbody tr').length : 0};
        })"""
    )
    if page.endswith("funder"):
        assert charts
    missing = [c["name"] for c in charts if not c["rows"]]
    assert missing == [], f"charts without their figures as a table: {missing}"


@pytest.mark.parametrize("page", ["funder", "members"])
def test_a_band_says_its_word(pages, browser, page: str) -> None:
    browser.open(pages[page])
    bands = browser.evaluate(
        "[...document.querySelectorAll('.band')].map(b => b.textContent.trim())"
    )
    assert bands
    words = {"strength", "borderline", "concern", "going well", "mixed", "needs attention"}
    for text in bands:
        assert set(text.split(" or ")) <= words, text


def test_lang_is_the_surveys_language(tmp_path: Path) -> None:
    from relimpact.demo import demo_survey_text

    text = demo_survey_text()
    assert "\nlanguage: en\n" in text
    survey = tmp_path / "survey.yaml"
    survey.write_text(text.replace("\nlanguage: en\n", "\nlanguage: cy\n", 1), encoding="utf-8")
    responses = EXAMPLES / "network-health-responses.csv"
    assert responses.exists()
    for audience in ("funder", "members"):
        _relimpact(
            "report", "survey.yaml", str(responses), "--audience", audience, "-o", "r.html",
            cwd=tmp_path,
        )  # fmt: skip
        assert '<html lang="cy">' in (tmp_path / "r.html").read_text(encoding="utf-8")
    _relimpact("build", "survey.yaml", "--to", "html", "-o", "f.html", cwd=tmp_path)
    assert '<html lang="cy">' in (tmp_path / "f.html").read_text(encoding="utf-8")
