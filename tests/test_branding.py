"""The report: block: organisation, an embedded logo, a readable accent colour, contact."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from relimpact.common.errors import SurveyError
from relimpact.report.render import render_report
from relimpact.scoring.engine import score
from relimpact.survey.branding import contrast
from relimpact.survey.load import load_survey


def tiny_png() -> bytes:
    """A 2x2 dark blue PNG, written by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x00\x52\x7f" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def branded(tmp_path: Path, block: str) -> Path:
    from relimpact.demo import demo_survey_text

    path = tmp_path / "survey.yaml"
    path.write_text(demo_survey_text() + "\n" + block, encoding="utf-8")
    return path


BLOCK = """report:
  organisation: Riverside Community Trust
  logo: logo.png
  accent: "#6a1b9a"
  contact: "Questions? Write to hello@riverside.example or call 01234 567890."
"""


def test_contrast_matches_wcag() -> None:
    assert round(contrast("#000000"), 1) == 21.0
    assert round(contrast("#ffffff"), 1) == 1.0
    assert round(contrast("#777777"), 2) == 4.48  # the classic just-too-light grey


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            BLOCK.replace("#6a1b9a", "#ffcc00"),
            "report.accent: #ffcc00 on the white page has a contrast of 1.5:1, below the 4.5:1",
        ),
        (BLOCK.replace("#6a1b9a", "purple"), "report.accent: 'purple' is not a colour."),
        (BLOCK.replace("logo.png", "missing.png"), "report.logo: 'missing.png' does not exist"),
        (BLOCK.replace("logo.png", "logo.jpg"), "report.logo: 'logo.jpg' is not a PNG or SVG"),
        (BLOCK.replace("organisation", "organization"), "organization"),
    ],
)
def test_a_wrong_block_is_an_error_with_its_line(tmp_path, block, message) -> None:
    (tmp_path / "logo.png").write_bytes(tiny_png())
    (tmp_path / "logo.jpg").write_bytes(b"\xff\xd8\xff")
    path = branded(tmp_path, block)
    with pytest.raises(SurveyError) as err:
        load_survey(path)
    text = str(err.value)
    assert message in text
    assert "survey.yaml:" in text  # where: file and line


def test_not_a_png_under_a_png_name(tmp_path) -> None:
    (tmp_path / "logo.png").write_text("<html>not an image</html>", encoding="utf-8")
    with pytest.raises(SurveyError, match="is not a PNG image"):
        load_survey(branded(tmp_path, BLOCK))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from relimpact.demo import RESPONSES, examples_dir
    from relimpact.read.reading import read_responses

    tmp = tmp_path_factory.mktemp("brand")
    (tmp / "logo.png").write_bytes(tiny_png())
    survey = load_survey(branded(tmp, BLOCK))
    now = read_responses(survey, [examples_dir() / RESPONSES])
    result = score(now)
    return {
        (a, f): render_report(result, now, a, f)
        for a in ("funder", "members")
        for f in ("html", "md", "docx")
    }


@pytest.mark.parametrize("audience", ["funder", "members"])
def test_both_reports_show_the_brand(reports, audience) -> None:
    import base64
    import io

    import docx

    html = reports[(audience, "html")]
    logo = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    assert f'<img class="logo" src="{logo}" alt="Riverside Community Trust logo">' in html
    assert '<span class="org">Riverside Community Trust</span>' in html
    assert ":root { --accent: #6a1b9a; }" in html
    assert "hello@riverside.example or call 01234 567890" in html  # the convenor's own line
    md = reports[(audience, "md")]
    assert "Riverside Community Trust" in md.splitlines()[2]
    # Markdown links nothing by itself: the address is shown as written, in a code span
    assert md.rstrip().endswith(
        "Questions? Write to `hello@riverside.example` or call 01234 567890."
    )
    document = docx.Document(io.BytesIO(reports[(audience, "docx")]))
    alts = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert "Riverside Community Trust logo" in alts
    assert any("01234 567890" in p.text for p in document.paragraphs)


def test_without_a_block_nothing_changes(tmp_path) -> None:
    from relimpact.demo import demo_survey_text

    path = tmp_path / "survey.yaml"
    path.write_text(demo_survey_text(), encoding="utf-8")
    assert load_survey(path).branding is None
