"""Word and PDF reports: opened with python-docx and pypdf, numbers checked against JSON."""

from __future__ import annotations

import io
import re
import sys

import pytest

from relimpact.scoring.engine import score

docx = pytest.importorskip("docx", reason="pip install '.[test]' brings python-docx")
pypdf = pytest.importorskip("pypdf", reason="pip install '.[test]' brings pypdf")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from relimpact.demo import BASELINE, RESPONSES, demo_survey_text, examples_dir
    from relimpact.read.reading import read_responses
    from relimpact.survey.load import load_survey

    path = tmp_path_factory.mktemp("demo") / "survey.yaml"
    path.write_text(demo_survey_text(), encoding="utf-8")
    survey = load_survey(path)
    current = read_responses(survey, [examples_dir() / RESPONSES])
    before = read_responses(survey, [examples_dir() / BASELINE])
    return score(current, baseline=before), current


@pytest.fixture(scope="module")
def documents(demo) -> dict[tuple[str, str], bytes]:
    from relimpact.report.render import render_report

    result, current = demo
    out = {}
    for audience in ("funder", "members"):
        for fmt in ("docx", "pdf", "html"):
            content = render_report(result, current, audience, fmt)
            out[(audience, fmt)] = content if isinstance(content, bytes) else content.encode()
    return out


def _table_after(document, caption: str):
    """The table whose caption paragraph is ``caption``."""
    body = document.element.body
    previous = None
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl" and previous == caption:
            return next(t for t in document.tables if t._tbl is child)
        if tag == "p":
            previous = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
    raise AssertionError(f"no table captioned {caption!r}")


def test_funder_docx_has_headings_tables_charts_and_the_jsons_numbers(demo, documents) -> None:
    result, _ = demo
    data = result.to_dict()
    document = docx.Document(io.BytesIO(documents[("funder", "docx")]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == ["How is our network doing?"]
    for expected in ("Who responded", "Methods", "What these figures cannot tell you"):
        assert expected in headings
    for d in data["dimensions"].values():
        assert d["label"] in headings  # a section per dimension
    assert len(document.tables) >= 10
    html = documents[("funder", "html")].decode()
    assert len(document.inline_shapes) == html.count("<svg")  # every chart, as a picture
    for shape in document.inline_shapes:
        alt = shape._inline.docPr.get("descr")
        assert alt and len(alt) > 20  # the chart's text alternative
    table = _table_after(document, "Scores for every dimension")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert [c.text for c in table.rows[0].cells][:3] == ["Dimension", "n", "Score"]
    for d in data["dimensions"].values():
        label, n, mean, interval, fav, band = rows[d["label"]]
        assert int(n) == d["n"]
        assert mean == f"{d['mean']:.2f}"
        assert interval == f"{d['ci95'][0]:.2f} to {d['ci95'][1]:.2f}"
        assert fav == f"{d['favourable_pct']:.0f}%"
        if d["band_certain"] is False:  # the interval crosses a line: both bands are named
            assert d["band"] in band.split(" or ") and " or " in band
        else:
            assert band == d["band"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "5 to 18 October 2026" in text
    assert f"{data['respondents']} people responded" in text


def test_members_docx_opens_with_its_sections(documents) -> None:
    document = docx.Document(io.BytesIO(documents[("members", "docx")]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Who answered" in headings and "How we kept your answers private" in headings
    assert document.core_properties.title.endswith("What you told us")
    assert document.core_properties.language == "en"


def test_pdf_pages_and_text(demo, documents) -> None:
    result, _ = demo
    data = result.to_dict()
    for audience in ("funder", "members"):
        reader = pypdf.PdfReader(io.BytesIO(documents[(audience, "pdf")]))
        assert len(reader.pages) >= 2
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        assert "How is our network doing?" in text
        assert "5 to 18 October 2026" in text
        if audience == "funder":  # the members report uses plain labels
            for d in data["dimensions"].values():
                assert d["label"].split(":")[0] in text
        meta = reader.metadata or {}
        assert "/CreationDate" not in meta and "/ModDate" not in meta
        if audience == "funder":
            for d in data["dimensions"].values():
                assert f"{d['mean']:.2f}" in text
            box = reader.pages[0].mediabox
            assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4


def test_word_and_pdf_are_byte_identical_on_rerun(demo, documents) -> None:
    from relimpact.report.render import render_report

    result, current = demo
    for fmt in ("docx", "pdf"):
        assert render_report(result, current, "members", fmt) == documents[("members", fmt)]


def test_missing_weasyprint_names_the_install_command(demo, monkeypatch) -> None:
    from relimpact.common.errors import UsageError
    from relimpact.report.render import render_report

    result, current = demo
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(UsageError) as err:
        render_report(result, current, "members", "pdf")
    assert "pip install 'relimpact[pdf]'" in str(err.value)
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(UsageError) as err:
        render_report(result, current, "members", "docx")
    assert "pip install 'relimpact[docx]'" in str(err.value)


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("report.txt", (), "'.txt' is not a report format"),
        ("report", (), "has no suffix"),
        ("report.pdf", ("--format", "html"), "--format html does not match report.pdf"),
        ("report.docx", ("--format", "md"), "--format md does not match report.docx"),
    ],
)
def test_an_output_name_that_is_not_its_format_is_an_error(cli, tmp_path, name, extra, message):
    from relimpact.demo import demo_survey_text, examples_dir

    survey = tmp_path / "survey.yaml"
    survey.write_text(demo_survey_text(), encoding="utf-8")
    out = tmp_path / name
    r = cli(
        "report",
        survey,
        examples_dir() / "network-health-responses.csv",
        "--audience",
        "funder",
        "-o",
        out,
        *extra,
    )
    assert r.returncode == 2
    assert message in " ".join(r.stderr.split())
    assert not out.exists()


def test_report_command_writes_word_and_pdf(cli, tmp_path) -> None:
    from relimpact.demo import demo_survey_text, examples_dir

    survey = tmp_path / "survey.yaml"
    survey.write_text(demo_survey_text(), encoding="utf-8")
    for name, magic in (("r.docx", b"PK\x03\x04"), ("r.pdf", b"%PDF-")):
        out = tmp_path / name
        r = cli(
            "report",
            survey,
            examples_dir() / "network-health-responses.csv",
            "--audience",
            "members",
            "-o",
            out,
        )
        assert r.returncode == 0, r.stderr
        assert out.read_bytes().startswith(magic)
        assert r.stdout == ""


def test_help_loads_no_document_library() -> None:
    import subprocess

    code = (
        "import sys\nsys.argv = ['relimpact', 'report', '--help']\nfrom relimpact import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('docx', 'weasyprint', 'cairosvg', 'relimpact.report.documents')"
        " if m in sys.modules])\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_docx_text_has_no_markup_or_clock_time(documents) -> None:
    for audience in ("funder", "members"):
        document = docx.Document(io.BytesIO(documents[(audience, "docx")]))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "<" not in text and "&lt;" not in text and "&amp;" not in text
        assert not re.search(r"\b\d{1,2}:\d{2}\b", text)


# --------------------------------------------------------------------------- the summary

APPENDIX_HEADINGS = (
    "Appendix: the detail behind the summary",
    "Who responded, in detail",
    "Statement by statement",
    "Change since the last survey",
    "By group",
    "In members\u2019 own words",
    "Methods",
    "What these figures cannot tell you",
)


def _page_texts(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def test_the_funder_pdfs_first_two_pages_are_the_summary(demo, documents, tmp_path) -> None:
    """Pages 1-2 hold the whole summary (dates, who responded, the key findings, the chart
    and its table) and nothing of the appendix, which starts on page 3; the two pages are
    drawn as images and are not blank."""
    import pypdfium2 as pdfium

    from relimpact.report.model import build_report

    result, current = demo
    model = build_report(result, current, "funder")
    data = documents[("funder", "pdf")]
    pages = _page_texts(data)
    summary, appendix = " ".join(pages[:2]), " ".join(pages[2:])
    assert "5 to 18 October 2026" in pages[0]  # the fieldwork dates, on the cover
    assert "5 to 14 October 2025" in pages[0]  # and the baseline's
    assert 3 <= len(model.key_findings) <= 5
    for finding in model.key_findings:
        assert " ".join(finding.split()) in pages[0], finding
    assert " ".join(model.who_sentence.split()) in pages[0]
    assert "Every dimension at a glance" in pages[1]
    for d in result.dimensions.values():  # the chart's table: every score, once on page 2
        assert f"{d.mean:.2f} {d.ci95[0]:.2f} to {d.ci95[1]:.2f}" in pages[1]
    for heading in APPENDIX_HEADINGS[1:]:  # as written: the summary's note names them in lower case
        assert heading not in summary, heading
        assert heading in appendix, heading
    for detail in ("Cronbach", "Respondents and members by", "Change by dimension", "Answer to"):
        assert detail not in summary and detail in appendix, detail
    assert "Appendix" not in summary and "APPENDIX" not in summary  # only "the appendix"
    assert pages[2].upper().startswith("APPENDIX: THE DETAIL BEHIND THE SUMMARY")
    # No figure of the summary is given again in the appendix: a dimension's score and
    # interval appear nowhere after page 2.
    for d in result.dimensions.values():
        assert f"{d.ci95[0]:.2f} to {d.ci95[1]:.2f}" not in appendix
    document = pdfium.PdfDocument(data)
    try:
        for i in (0, 1):
            image = document[i].render(scale=100 / 72).to_pil().convert("L")
            image.save(tmp_path / f"funder-page-{i + 1}.png")
            inked = sum(1 for v in image.tobytes() if v < 160) / (image.width * image.height)
            assert inked > 0.02, f"page {i + 1} is nearly blank ({inked:.1%} drawn)"
        # page 2 holds the chart: its band zones are drawn in colour
        colour = document[1].render(scale=50 / 72).to_pil().convert("RGB")
        tints = {colour.getpixel((x, y)) for x in range(0, colour.width, 4)
                 for y in range(0, colour.height, 4)}  # fmt: skip
        assert (0xFB, 0xE6, 0xD6) in tints or any(abs(r - 0xFB) + abs(g - 0xE6) + abs(b - 0xD6)
                                                   < 12 for r, g, b in tints)  # fmt: skip
    finally:
        document.close()


def test_the_funder_pdf_has_no_clipped_table_and_no_half_blank_page(documents) -> None:
    """Every character lies inside its A4 page's margins (nothing clipped at the right
    edge), and a page is at most half blank only where a section ends (the next page
    starts with a section's heading) or at the very end."""
    import pypdfium2 as pdfium

    data = documents[("funder", "pdf")]
    pages = _page_texts(data)
    starts = [h.upper() for h in APPENDIX_HEADINGS] + ["EVERY DIMENSION AT A GLANCE"]
    document = pdfium.PdfDocument(data)
    try:
        for i in range(len(document)):
            page = document[i]
            width, height = page.get_size()
            text = page.get_textpage()
            for c in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(c)
                if right - left <= 0:
                    continue
                assert left >= 14 * 72 / 25.4 - 1 and right <= width - 14 * 72 / 25.4 + 1, (
                    f"page {i + 1}: {text.get_text_range(c, 1)!r} at x = {left:.0f}..{right:.0f}"
                )
            image = page.render(scale=30 / 72).to_pil().convert("L")
            rows = [
                y
                for y in range(image.height)
                if any(image.getpixel((x, y)) < 200 for x in range(0, image.width, 2))
            ]
            filled = (rows[-1] + 1) / image.height if rows else 0.0
            if i + 1 < len(document) and filled < 0.5:
                following = pages[i + 1].upper()
                assert any(following.startswith(s) for s in starts), (
                    f"page {i + 1} is {1 - filled:.0%} blank and page {i + 2} does not start a "
                    f"section: {pages[i + 1][:60]!r}"
                )
    finally:
        document.close()
