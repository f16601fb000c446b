"""Text normalisation shared by column matching and answer matching.

``normalize`` implements the rule of the survey template contract: case
folded, white space collapsed, HTML entities decoded, curly quotes
straightened, surrounding punctuation and a trailing ``*`` dropped. Unicode
dashes and the minus sign (U+2013, U+2014, U+2212) are compared as ``-``.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Sequence

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
        # U+2212 MINUS SIGN (a word processor's or a locale's "−1"; HTML's &minus;) is the
        # sign '-' to every comparison: "−1" is the label -1, never a text of its own
        "\u2212": "-",
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


_NUMBER_START = re.compile(r"[+-]?\.?$")  # what a number starts with before its digits


def label_key(text: object) -> str:
    """An answer, label or option for comparison: ``normalize``, except that a sign or
    decimal point before digits is part of the value and a text made only of punctuation
    is kept as written.

    ``normalize`` drops surrounding punctuation, which would make a not-applicable label
    ``-1`` the answer ``1``, and every label of a ``--``, ``-``, ``0``, ``+``, ``++`` scale
    but ``0`` the empty text. Answers and labels are compared with this instead, so that
    neither is read as the other.

    >>> label_key(" -1 "), label_key("(+2)"), label_key(".5"), label_key("1."), label_key(" ++ ")
    ('-1', '+2', '.5', '1', '++')
    >>> label_key("Agree*"), label_key("- Agree"), label_key("\u22121"), label_key("&minus;2")
    ('agree', 'agree', '-1', '-2')
    """
    if text is None:
        return ""
    s = _WS.sub(" ", html.unescape(str(text)).translate(_QUOTES)).strip()
    kept = s[:-1] if s.endswith("*") else s
    core = kept.strip(_STRIP)
    if not core:
        return s.casefold()
    if core[0].isdigit():
        start = len(kept) - len(kept.lstrip(_STRIP))
        sign = _NUMBER_START.search(kept, 0, start)  # always matches, perhaps nothing
        core = (sign.group() if sign else "") + core
    return core.casefold()


def count_of(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the word for that many: ``count_of(1, "group")`` is ``1 group``,
    ``count_of(3, "group")`` is ``3 groups`` (``many`` when the plural is not ``one + "s"``)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _ascii_name(label: str) -> str:
    """A label's ASCII letters and digits, lower case, each run of anything else ``_``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.casefold()).strip("_")


# A label that starts as a negative number: "-1", "-0.5", or with U+2212 (the minus sign)
_NEGATIVE = re.compile(r"^\s*[-\u2212]\.?\d")


def choice_name(label: str) -> str:
    """The XLSForm choice name for an option or point label: lower case ASCII letters,
    digits and ``_``, as KoboToolbox's "XML values" export writes it.

    The form builder names choices with this and the readers accept it back, so a
    Kobo or ODK export with XML values scores the same as one with labels. A label with
    no Latin letter or digit gives ``c``; ``choice_names`` names those by position.
    A label that starts with a digit gets ``c_`` before it, and a negative number gets
    ``c_m``: ``-1`` would otherwise be ``c_1``, the name of ``1``, and the XLSForm would
    refuse the question (or its export could not tell the two apart).

    >>> choice_name("Don't know")
    'don_t_know'
    >>> choice_name("Café, Jones & Co")
    'cafe_jones_co'
    >>> choice_name("1"), choice_name("-1"), choice_name("-0.5")
    ('c_1', 'c_m1', 'c_m0_5')
    """
    name = _ascii_name(label)
    if not name or name[0].isdigit():
        minus = "m" if _NEGATIVE.match(label) else ""
        name = f"c_{minus}{name}" if name else "c"
    return name


_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def is_xml_name(name: str) -> bool:
    """Whether ``name`` can name a question in an XLSForm (KoboToolbox, ODK): an XML
    name, which starts with a letter or ``_``. A survey id may start with a digit or
    ``-`` (the template allows it), so ``check`` warns and the XLSForm builder refuses.

    >>> is_xml_name("q1"), is_xml_name("_x"), is_xml_name("1st"), is_xml_name("-a")
    (True, True, False, False)
    """
    return bool(_XML_NAME.match(name))


def positional_names(labels: Sequence[str], first: int = 1) -> dict[str, int]:
    """``c1``, ``c2``...: the XLSForm names of the labels with no Latin letter or digit
    (نعم, Да, 日本, 😀), by their position in the question's answers (``first`` is the
    position of ``labels[0]``), mapped to their index in ``labels``. Names made from the
    letters would all be ``c``; a position is stable while the answers keep their order.

    >>> positional_names(["Yes", "نعم", "لا"])
    {'c2': 1, 'c3': 2}
    """
    return {f"c{first + k}": k for k, label in enumerate(labels) if not _ascii_name(label)}


def choice_names(labels: Sequence[str], first: int = 1) -> list[str]:
    """The XLSForm choice names of a question's answers, in order: ``choice_name`` of
    each label, or its position for a label with no Latin letter or digit.

    >>> choice_names(["Yes", "نعم", "C"])
    ['yes', 'c2', 'c']
    """
    by_position = {k: name for name, k in positional_names(labels, first).items()}
    return [by_position.get(k) or choice_name(label) for k, label in enumerate(labels)]


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def code_key(text: object) -> str:
    """An export code or missing value for comparison: compared like a label
    (``label_key``), except that a number is kept exactly as written (``-99`` is not
    ``99``).

    >>> code_key(" -99 "), code_key("N/A"), code_key("A1"), code_key(" . ")
    ('-99', 'n/a', 'a1', '.')
    """
    s = "" if text is None else str(text).strip()
    return s if _NUMBER.match(s) else label_key(s)


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


# Characters that a terminal acts on rather than shows: C0 and C1 control characters
# (ESC starts colour, cursor, title and hyperlink sequences; 0x9B is a one-byte CSI),
# DEL, and the Unicode bidirectional overrides that reorder what is shown.
_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
ECHO_LIMIT = 600  # characters of one message echoed at most


def _escaped(match: re.Match[str]) -> str:
    c = match.group()
    if c in _NAMED_CONTROLS:
        return _NAMED_CONTROLS[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def printable(text: object, *, lines: bool = False) -> str:
    """Text safe to print on a terminal: control characters shown as escapes.

    With ``lines``, line breaks and tabs are kept (a table cell of several lines);
    without, they are escaped too, so one message stays one line.

    >>> printable("ok\\x1b[2J\\nnext")
    'ok\\\\x1b[2J\\\\nnext'
    """
    s = "" if text is None else str(text)
    return (_CONTROL_KEEP_LINES if lines else _CONTROL_ALL).sub(_escaped, s)


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to about ``limit`` characters: its start and end, and how much is cut.

    >>> clip("a" * 50 + "b" * 50, 40)
    'aaaaaaaaaaaaaaaaaaaaaaaa … (68 characters cut) … bbbbbbbb'
    """
    if len(text) <= limit:
        return text
    head, tail = (limit * 3) // 5, limit // 5
    return f"{text[:head]} … ({len(text) - head - tail:,} characters cut) … {text[-tail:]}"


def excerpt(text: object, limit: int = 80) -> str:
    """A value echoed back to the user: printable and at most about ``limit`` characters."""
    s = printable(text)
    if len(s) <= limit:
        return s
    return f"{s[:limit]}… ({len(s):,} characters)"


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_terminal_safe(text: str) -> str:
    """JSON text (from ``json.dumps``) with the characters a terminal acts on that JSON
    leaves raw (C1 controls, DEL, bidirectional overrides) written as ``\\uXXXX`` escapes:
    the same JSON values, safe to print."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# "_" inside a word (an id such as the_net) is never emphasis, so it is left alone.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|#~]|(?<![^\W_])_|_(?![^\W_]))")
_MD_BULLET = re.compile(r"^(\s*)([-+=])(\s|$)")
_MD_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(\s|$)")
# What GitHub-flavoured Markdown (and linkify in other renderers) would turn into a link
# by itself: a URL, a scheme-relative //host address, a bare www. address, an email.
_MD_LINKISH = re.compile(
    r"(?i)(?:\b(?:https?|s?ftps?|file|mailto|xmpp|tel|data|javascript|vbscript):"
    r"|(?<![\w/:])//(?=\w))[^\s`<>\"']+"
    r"|\bwww\.[^\s`<>\"']+"
    r"|[^\s`<>\"'@()\[\]]+@[^\s`<>\"'@()\[\]]+\.[a-z]{2,}"
)


def md_literal(value: object, *, also: str = "") -> str:
    """Text shown as written in Markdown: no emphasis, heading, list, table cell break,
    HTML, image or link can come out of it.

    Markdown's own characters are backslash-escaped, ``<`` ``>`` ``&`` become entities,
    line breaks become spaces (a value never starts a new block), and anything Markdown
    would link by itself (a URL, ``www.`` address or email address) is put in a code span,
    which is never a link. ``also``: more characters to backslash-escape (outside code
    spans), such as ``()!`` for a respondent's words.

    >>> md_literal("![x](//host/p.png) *hi* <b>")
    '!\\\\[x\\\\](`//host/p.png)` \\\\*hi\\\\* &lt;b&gt;'
    >>> md_literal("see https://evil.example/a_b")
    'see `https://evil.example/a_b`'
    """
    if value is None:
        return ""
    text = " ".join(str(value).splitlines())
    out: list[str] = []
    at = 0
    extra = re.compile(f"([{re.escape(also)}])") if also else None

    def plain(part: str) -> str:
        escaped = _md_plain(part)
        return extra.sub(r"\\\1", escaped) if extra else escaped

    for m in _MD_LINKISH.finditer(text):
        out.append(plain(text[at : m.start()]))
        out.append(f"`{m.group()}`")
        at = m.end()
    out.append(plain(text[at:]))
    s = "".join(out)
    # a value that starts a line never starts a list or a heading underline
    s = _MD_BULLET.sub(r"\1\\\2\3", s, count=1)
    return _MD_ORDERED.sub(r"\1\\\2\3", s, count=1)


# "[name]", "[email]": a bracketed word or two is kept as written. Not followed by "(",
# "[" or ":", it can only be a link if the document defined "[name]: url", and no value
# can define one (that "[" is escaped).
_MD_BRACKETED = re.compile(r"\[([^\[\]()<>:`\\]{1,40})\](?![(\[:])")


def _md_plain(text: str) -> str:
    out: list[str] = []
    at = 0
    for m in _MD_BRACKETED.finditer(text):
        out.append(_md_chars(text[at : m.start()]))
        out.append(f"[{_md_chars(m.group(1))}]")
        at = m.end()
    out.append(_md_chars(text[at:]))
    return "".join(out)


def _md_chars(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def slug(text: str) -> str:
    """A label as an XML name: ``Don't know`` -> ``don_t_know``."""
    return _NON_ALNUM.sub("_", normalize(text)).strip("_")


def slug_tight(text: str) -> str:
    """A label as an XML name with apostrophes dropped: ``Don't know`` -> ``dont_know``."""
    return _NON_ALNUM.sub("_", normalize(text).replace("'", "")).strip("_")


def xml_names(label: str) -> set[str]:
    """The names a label may take as an XLSForm choice in a Kobo/ODK "XML values" export:
    relimpact's own ``choice_name`` (what the form builder writes), and the plain
    slugs with and without apostrophes.

    A slug of digits alone is left out: it is the number of a point or a code, never a
    name, and the slug of ``-1`` (``1``) would otherwise read the answer ``1`` as ``-1``."""
    names = {choice_name(label), slug(label), slug_tight(label)} - {"", "c"}
    return {n for n in names if not n.replace("_", "").isdigit()}


def unsigned(x: float, digits: int = 2) -> str:
    """A figure (a score, an alpha, a bound) rounded to ``digits`` decimals as ``f"{x:.2f}"``
    prints it, except that a value that rounds to zero is "0.00", never "-0.00": an alpha
    of -0.003 is no negative reliability, and the sign of a zero reads as a finding."""
    text = f"{x:.{digits}f}"
    return f"{0:.{digits}f}" if float(text) == 0 else text


def signed(x: float, digits: int = 2) -> str:
    """A change or a bound with its sign, rounded to ``digits`` decimals; a value that rounds
    to zero is "0.00", with no sign. Never "-0.00" (it read as a fall), and not "+0.00"
    either: a Hodges-Lehmann bound is found by root-finding (R's ``uniroot``), exact to about
    1e-4, so the sign of a bound within 0.005 of zero is not a finding (the demo's "1.6e-05"
    is such a zero); whether a change is beyond chance is the p-value's to say. The words of
    ``change_words`` follow the same rule."""
    text = f"{x:+.{digits}f}"
    return f"{0:.{digits}f}" if float(text) == 0 else text
