"""Text normalisation shared by column matching and answer matching.

``normalize`` implements the rule of the survey template contract: case
folded, white space collapsed, HTML entities decoded, curly quotes
straightened, surrounding punctuation and a trailing ``*`` dropped.
"""

from __future__ import annotations

import html
import re
import string

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_STRIP = string.punctuation + " "


def normalize(text: object) -> str:
    """Normalise a header or an answer label for comparison.

    >>> normalize("  Strongly&nbsp;AGREE* ")
    'strongly agree'
    >>> normalize("“Don’t know”")
    "don't know"
    """
    if text is None:
        return ""
    s = html.unescape(str(text)).translate(_QUOTES)
    s = _WS.sub(" ", s).strip()
    if s.endswith("*"):
        s = s[:-1]
    return s.strip(_STRIP).casefold()


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def choice_name(label: str) -> str:
    """The XLSForm choice name for an option or point label: lower case ASCII letters,
    digits and ``_``, as KoboToolbox's "XML values" export writes it.

    The form builder names choices with this and the readers accept it back, so a
    Kobo or ODK export with XML values scores the same as one with labels.

    >>> choice_name("Don't know")
    'don_t_know'
    >>> choice_name("Café, Jones & Co")
    'cafe_jones_co'
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", ascii_text.casefold()).strip("_")
    if not name or name[0].isdigit():
        name = f"c_{name}" if name else "c"
    return name


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def code_key(text: object) -> str:
    """An export code or missing value for comparison: normalised like a label, except
    that a number keeps its sign (``-99`` is not ``99``).

    >>> code_key(" -99 "), code_key("N/A"), code_key("A1")
    ('-99', 'n/a', 'a1')
    """
    s = "" if text is None else str(text).strip()
    return s if _NUMBER.match(s) else normalize(s)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_CONTACT = re.compile(r"\S+@\S+|\+?\d[\d\s().-]{5,}\d|https?://\S+|www\.\S+", re.I)
SHOWN_CHARS = 20


def shown_value(raw: str) -> str:
    """A cell's value as messages may echo it: an answer label as it stands (short, no
    contact details), but respondent text (a write-in, anything longer) never, only its
    length; control characters never.

    >>> shown_value("Agre")
    'Agre'
    >>> shown_value("I run the café on Mill Street, call 07700 900123")
    'a written answer of 48 characters'
    """
    s = " ".join(_CONTROL.sub(" ", raw).split())
    if len(s) <= SHOWN_CHARS and not _CONTACT.search(s):
        return s
    return f"a written answer of {len(s)} characters"


def quoted_value(raw: str) -> str:
    """``shown_value`` for a sentence: ``'Agre'`` in quotes, respondent text described."""
    s = " ".join(_CONTROL.sub(" ", raw).split())
    shown = shown_value(raw)
    return f"'{shown}'" if shown == s else shown
