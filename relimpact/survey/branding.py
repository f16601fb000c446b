"""The ``report:`` block of survey.yaml: the organisation's name, logo, colour and contact.

``check_branding`` validates the block against the file system (the logo is a local PNG or
SVG beside the survey, read once and embedded; nothing is fetched) and the accent colour
against the white page (WCAG 2.1 contrast of at least 4.5:1, as text in that colour needs);
``load_branding`` gives the ``Branding`` the reports show.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

MAX_LOGO_BYTES = 1_000_000
MIN_CONTRAST = 4.5
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Branding:
    organisation: str = ""
    logo: str = ""  # a data: URI (image/png or image/svg+xml), or ""
    accent: str = ""  # "#rrggbb", or "" for the default
    contact: str = ""


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rgb`` or ``#rrggbb``."""
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter.

    >>> round(contrast("#000000"), 1)
    21.0
    >>> round(contrast("#767676"), 2)
    4.54
    """
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def normal_colour(colour: str) -> str:
    h = colour.lstrip("#").lower()
    return "#" + ("".join(c * 2 for c in h) if len(h) == 3 else h)


def check_branding(
    organisation: str, logo: str, accent: str, contact: str, survey_path: Path | None
) -> list[tuple[str, str, str]]:
    """Problems as (field, message, hint)."""
    problems: list[tuple[str, str, str]] = []
    if accent:
        if not _HEX.match(accent):
            problems.append(
                ("accent", f"'{accent}' is not a colour.", "Write it as #rrggbb, e.g. #00527f.")
            )
        else:
            ratio = contrast(accent)
            if ratio < MIN_CONTRAST:
                problems.append(
                    (
                        "accent",
                        f"{accent} on the white page has a contrast of {ratio:.1f}:1, below "
                        f"the {MIN_CONTRAST}:1 that text needs to be readable (WCAG 2.1 AA).",
                        "Choose a darker shade of the colour; check it with any WCAG contrast "
                        "checker.",
                    )
                )
    if logo:
        path = _logo_path(logo, survey_path)
        if path.suffix.lower() not in (".png", ".svg"):
            problems.append(
                ("logo", f"'{logo}' is not a PNG or SVG file.", "Save the logo as .png or .svg.")
            )
        elif not path.is_file():
            problems.append(
                (
                    "logo",
                    f"'{logo}' does not exist (looked for {path}).",
                    "Give the logo's path relative to survey.yaml; a web address is not fetched.",
                )
            )
        else:
            data = path.read_bytes()
            if len(data) > MAX_LOGO_BYTES:
                problems.append(
                    (
                        "logo",
                        f"'{logo}' is {len(data):,} bytes; a logo is embedded in every report, "
                        f"so it may be at most {MAX_LOGO_BYTES:,}.",
                        "Save a smaller version of the logo.",
                    )
                )
            elif path.suffix.lower() == ".png" and not data.startswith(PNG_MAGIC):
                problems.append(("logo", f"'{logo}' is not a PNG image.", "Save the logo as PNG."))
            elif path.suffix.lower() == ".svg" and b"<svg" not in data[:4096]:
                problems.append(("logo", f"'{logo}' is not an SVG image.", "Save the logo as SVG."))
    return problems


def _logo_path(logo: str, survey_path: Path | None) -> Path:
    path = Path(logo).expanduser()
    if not path.is_absolute() and survey_path is not None:
        path = survey_path.resolve().parent / path
    return path


def load_branding(
    organisation: str, logo: str, accent: str, contact: str, survey_path: Path | None
) -> Branding:
    """The checked block as the reports use it (``check_branding`` must have passed)."""
    uri = ""
    if logo:
        path = _logo_path(logo, survey_path)
        kind = "image/png" if path.suffix.lower() == ".png" else "image/svg+xml"
        uri = f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    return Branding(
        organisation=" ".join(organisation.split()),
        logo=uri,
        accent=normal_colour(accent) if accent else "",
        contact=" ".join(contact.split()),
    )
