"""The paper form printed to PDF (issue 15, point 6): the default survey fits on four A4
pages, shows no question ids to respondents, and prints statements sharing a scale as
one grid. Printed by WeasyPrint (a test dependency) and, where it is installed, by
headless Chromium, the browser most people print from; pages counted with pypdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from relimpact.forms.build import _blocks, build_html
from relimpact.survey.load import load_survey

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MAX_PAGES = 4


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def a4(pdf: bytes) -> bool:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2


def test_network_health_prints_on_four_a4_pages_with_weasyprint() -> None:
    import weasyprint

    html = build_html(load_survey(ROOT / "surveys" / "network-health.yaml"))
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert a4(pdf)
    assert pages(pdf) <= MAX_PAGES


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_network_health_prints_on_four_a4_pages_with_chromium(tmp_path: Path) -> None:
    page = tmp_path / "paper.html"
    page.write_text(build_html(load_survey(ROOT / "surveys" / "network-health.yaml")), "utf-8")
    pdf = tmp_path / "paper.pdf"
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-500:]
    data = pdf.read_bytes()
    assert a4(data)
    assert pages(data) <= MAX_PAGES


@pytest.mark.parametrize(
    "template", sorted((ROOT / "surveys").glob("*.yaml")), ids=lambda p: p.stem
)
def test_no_question_id_is_shown_and_grids_are_tables(template: Path) -> None:
    survey = load_survey(template)
    html = build_html(survey)
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    visible = re.sub(r"<[^>]+>", " ", body)
    for q in survey.questions:
        if "_" in q.id or "-" in q.id:  # ids like net_know: never words of the text
            assert q.id not in visible, q.id
    assert 'class="q-id"' not in html
    grids = [b for b in _blocks(survey) if b.is_grid]
    tables = re.findall(r'<table class="grid">(.*?)</table>', html, flags=re.S)
    assert len(tables) == len(grids)
    for block, table in zip(grids, tables, strict=True):
        assert table.count("<tr>") == 1 + len(block.questions)
