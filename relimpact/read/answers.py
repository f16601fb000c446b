"""Answers to values: one converter per column, caching raw cell text -> value.

Every converter is a ``dict`` whose ``__missing__`` works the value out, so a
column is mapped with ``map(converter.__getitem__, cells)`` at dict-lookup
speed and a label is normalised once per distinct spelling, not per cell.
A value that cannot be read becomes the type's *problem* sentinel; the reader
finds those cells afterwards and ``describe`` says what is wrong.

Rules (the survey template contract, "How answers become numbers"):

- blank (empty or white space) is no answer, for every type;
- labels and answers are compared by ``label_key``: normalised, but a sign or decimal
  point before digits is kept (a not-applicable ``-1`` is not the answer ``1``) and a
  label made only of punctuation (``--``, ``+``) is compared as written;
- ``scale``: a point label or a ``not_applicable`` label, normalised; or the
  point's number (``4``, ``4.0``); a number that is not a point is out of
  range; anything else is unknown;
- ``choice``: an option, normalised; ``multi``: the option labels found in
  the joined string by greedy longest match, so an option that itself holds
  the separator (``Gatherings, meetings and calls``) is not split; the
  export's separator is tried first (``, `` Google Forms, ``;`` Microsoft
  Forms with its trailing ``;``, ``,`` Qualtrics, space Kobo/ODK), then the
  others; one-column-per-option cells are ticks: the option's label, ``1``,
  ``Yes``, ``True``, ``X``, ``Selected`` or ``Checked`` tick it; ``0``,
  ``No``, ``False`` or blank do not;
- Kobo/ODK "XML values": a scale, choice or multi value may also be the
  label as an XML name: ``relimpact.common.text.choice_name`` (what our XLSForm
  builder names choices: ASCII lower case, each run of other characters
  replaced by ``_``, ``c_`` before a leading digit and ``c_m`` before a negative
  number: ``Don't know`` -> ``don_t_know``, ``65 or over`` -> ``c_65_or_over``,
  ``-1`` -> ``c_m1``), or the same slug
  without the ASCII folding or with apostrophes dropped (``dont_know``),
  compared after ``slug`` of the cell; for a scale, the point's number is
  accepted as well (``4``);
- ``number``: integers and decimals; a decimal comma (``3,5``) in files whose
  delimiter is ``;`` or tab, and thousands commas (``1,250``) otherwise;
- ``consent``: ``Yes``, ``Y``, ``I agree``, ``Agree``, ``True``, ``1``,
  ``OK``, ``I consent`` and answers starting ``Yes,`` or ``I agree`` are
  True, anything else False (blank is no answer);
- ``respondent``: the key, stripped and case folded;
- ``member``: one roster name; ``connections``: roster names joined by any
  separator, split by greedy longest match (roster names may hold commas);
  names not on the roster are counted for a warning, never kept. A cell that reads
  as two different sets of members (``X, Y, Z`` when ``X, Y`` and ``Y, Z`` are
  members as well as ``X`` and ``Z``) is refused: ``AMBIGUOUS``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence

from relimpact.common.names import JOINERS, find_member
from relimpact.common.names import MAX_TOKENS as _MAX_TOKENS
from relimpact.common.names import label_map as _label_map
from relimpact.common.names import lookup as _lookup
from relimpact.common.names import readings as _readings
from relimpact.common.text import (
    code_key,
    did_you_mean,
    label_key,
    positional_names,
    quoted_value,
    slug,
    xml_names,
)
from relimpact.read.toolnames import TOOLS, option_codes, position_codes, scale_answer_codes
from relimpact.survey.model import Question, Scale

NAN = math.nan
SCALE_NA = -math.inf  # a not_applicable label
FLOAT_PROBLEM = math.inf  # a value that cannot be read (scale, number)
CODE_BLANK = -1
CODE_PROBLEM = -2
MULTI_PROBLEM = 1 << 63
MAX_BITMASK_OPTIONS = 63


def multi_problem_bit(options: int) -> int:
    """The bit that flags an unknown answer in a multi question's mask: bit 63 (a uint64
    mask) up to 63 options, else the bit just above the last option's, so it never
    collides with an option's own bit."""
    return MULTI_PROBLEM if options <= MAX_BITMASK_OPTIONS else 1 << options


CACHE_LIMIT = 200_000

_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DEC_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SEPARATORS = {
    "google-forms": ",",
    "microsoft-forms": ";",
    "qualtrics": ",",
    "kobo": " ",
    "odk-central": " ",
}
_ALL_SEPARATORS = (";", ",", "\n", "|", " ")
_YES = {"yes", "y", "i agree", "agree", "true", "1", "ok", "i consent", "consent", "agreed"}
_TICK_YES = {"1", "yes", "y", "true", "x", "selected", "checked", "ticked"}
_TICK_NO = {"0", "no", "n", "false", "not selected", "unchecked"}


class Converter(dict):
    """raw cell text -> value, computed once per distinct raw text.

    ``kinds`` notes the raw texts read through the template's export ``codes``
    ("code") or counted as a write-in ("other"), for ``relimpact inspect``.
    """

    def __init__(
        self, convert: Callable[[str], object], kinds: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.convert = convert
        self.kinds: dict[str, str] = {} if kinds is None else kinds

    def __missing__(self, raw: str) -> object:
        if len(self) >= CACHE_LIMIT:
            self.clear()
        value = self.convert(raw)
        self[raw] = value
        return value


def parse_number(text: str, decimal_comma: bool = False) -> float | None:
    """A finite number written as ``4``, ``-2.5``, ``1e3``, ``3,5`` (decimal comma) or
    ``1,250``; a minus sign may be U+2212 (``−2``), which labels match as ``-`` too."""
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace("\u2212", "-")
    if _INT.match(s) or _DEC.match(s):
        x = float(s)
    elif decimal_comma and _DEC_COMMA.match(s):
        x = float(s.replace(",", "."))
    elif not decimal_comma and _THOUSANDS.match(s):
        x = float(s.replace(",", ""))
    else:
        return None
    return x if math.isfinite(x) else None


# --------------------------------------------------------------------------- scale


def missing_keys(*lists: Sequence[str]) -> frozenset[str]:
    """The template's ``missing`` values (top level and the question's), as compared."""
    return frozenset(code_key(v) for values in lists for v in values) - {""}


def _is_missing(raw: str, missing: frozenset[str]) -> bool:
    return bool(missing) and code_key(raw) in missing


def _tool_scale_codes(scale: Scale, fmt: str) -> dict[str, float]:
    """The answer codes relimpact's builder gave the scale in this tool (toolnames)."""
    if fmt not in TOOLS:
        return {}
    return {
        code_key(c): SCALE_NA if v is None else v for c, v in scale_answer_codes(fmt, scale).items()
    }


def scale_converter(
    scale: Scale, missing: frozenset[str] = frozenset(), fmt: str = ""
) -> Converter:
    """raw -> point value, SCALE_NA, NAN (blank) or FLOAT_PROBLEM; ``fmt`` adds the codes
    ``relimpact build`` gave the scale in that tool (a not-applicable label's negative
    recode in Qualtrics and REDCap, ``N1`` in LimeSurvey)."""
    exact, slugs = _label_map(
        [(label, float(v)) for v, label in scale.points if label]
        + [(label, SCALE_NA) for label in scale.not_applicable],
        first=None,  # points are named by their number
    )
    na = positional_names(scale.not_applicable, first=len(scale.points) + 1)
    for name in na:
        slugs.setdefault(name, SCALE_NA)
    codes = {code_key(c): float(v) for c, v in scale.codes}
    tool = {} if codes else _tool_scale_codes(scale, fmt)
    values = set(scale.values)
    kinds: dict[str, str] = {}

    def convert(raw: str) -> float:
        if not raw or raw.isspace() or _is_missing(raw, missing):
            return NAN
        if codes:
            code = codes.get(code_key(raw))
            if code is not None:
                kinds[raw] = "code"
                return code
        found = _lookup(raw, exact, slugs)
        if found is not None:
            return found  # type: ignore[return-value]
        if tool:
            hit = tool.get(code_key(raw))
            if hit is not None:
                kinds[raw] = "code"
                return hit
        x = parse_number(raw, decimal_comma=True)
        if x is None:
            x = parse_number(raw)
        if x is not None and x.is_integer() and int(x) in values:
            return x
        return FLOAT_PROBLEM

    return Converter(convert, kinds)


def _quote_list(items: Sequence[str], limit: int = 8) -> str:
    shown = [f"'{s}'" for s in items[:limit]]
    more = len(items) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _off_scale_fix(value: str, number: float, scale: Scale) -> str:
    """How to fix a number that is no point of the scale. A whole number such as ``6``,
    ``99`` or ``-1`` is usually an export's code for "Don't know": adding it as a point
    would score it, so the not-applicable route comes first, as a line that reads it
    (``label_key`` keeps the sign, so ``"-1"`` never takes the answers ``1``)."""
    if not number.is_integer() or len(value) > 12:
        return "Correct the file, or add the point to the scale in survey.yaml."
    labels = ", ".join(json.dumps(x, ensure_ascii=False) for x in (*scale.not_applicable, value))
    return (
        f"If '{value}' means an answer such as \"Don't know\", list it in the scale's "
        f"not_applicable in survey.yaml (not_applicable: [{labels}]): it is then counted, "
        "never scored. Otherwise correct the file, or add the point to the scale."
    )


def describe_scale(raw: str, q: Question, scale: Scale) -> tuple[str, str]:
    """(what is wrong, how to fix it) for a scale cell that could not be read."""
    value = raw.strip()
    lo, hi = scale.min_value, scale.max_value
    number = parse_number(value, decimal_comma=True)
    if number is None:
        number = parse_number(value)
    if number is not None:
        return (
            f"{quoted_value(raw)} is not a point of scale '{scale.id}' (its points are {lo} "
            f"to {hi})",
            _off_scale_fix(value, number, scale),
        )
    labels = [label for _, label in scale.points if label]
    hint = did_you_mean(value, labels + list(scale.not_applicable))
    na = f"; not applicable: {_quote_list(scale.not_applicable)}" if scale.not_applicable else ""
    return (
        f"{quoted_value(raw)} is not a label of scale '{scale.id}'{hint} (its labels are "
        f"{_quote_list(labels)}{na}; or the point numbers {lo} to {hi})",
        "Add it to the scale's points or not_applicable in survey.yaml, or correct the file.",
    )


# --------------------------------------------------------------------------- choice


_YES_WORDS = {"yes", "oui", "ja", "si", "sí", "sim", "ie", "da", "tak", "evet", "kyllä"}
_NO_WORDS = {"no", "non", "nein", "não", "nao", "nee", "na", "nie", "hayır", "ei", "nej"}


def yes_no_options(q: Question) -> tuple[int, int] | None:
    """(yes, no) option indexes of a two-option yes/no question, in any supported language."""
    if len(q.options) != 2:
        return None
    words = [label_key(o) for o in q.options]
    yes = [k for k, w in enumerate(words) if w in _YES_WORDS]
    no = [k for k, w in enumerate(words) if w in _NO_WORDS]
    if len(yes) == 1 and len(no) == 1 and yes != no:
        return yes[0], no[0]
    return None


def _option_codes(q: Question, fmt: str = "") -> dict[str, int]:
    """export code -> category: the template's ``codes``, or else (``fmt`` one of the
    tools relimpact builds for) the codes its builder gave the options there: Qualtrics'
    and REDCap's positions 1, 2, 3..., LimeSurvey's ``A1``, ``A2``... A question with
    codes of its own in the template keeps only those."""
    own = {code_key(c): k for k in range(len(q.options)) for c in q.codes_of(k)}
    if own or fmt not in TOOLS:
        return own
    return {code_key(c): k for k, c in enumerate(option_codes(fmt, q))}


def choice_converter(
    q: Question, missing: frozenset[str] = frozenset(), yes_no_digits: bool = False, fmt: str = ""
) -> Converter:
    """raw -> option index; with ``yes_no_digits`` (Typeform), 1/0 answer a yes/no question;
    ``fmt`` adds the codes relimpact's builder gave the options in that tool."""
    exact, slugs = _label_map([(opt, k) for k, opt in enumerate(q.options)])
    codes = _option_codes(q, fmt)
    digits: dict[str, int] = {}
    if yes_no_digits and (pair := yes_no_options(q)) is not None:
        digits = {d: k for d, k in zip(("1", "0"), pair, strict=True) if d not in codes}
    other = q.other_index
    kinds: dict[str, str] = {}

    def convert(raw: str) -> int:
        if not raw or raw.isspace() or _is_missing(raw, missing):
            return CODE_BLANK
        if codes:
            code = codes.get(code_key(raw))
            if code is not None:
                kinds[raw] = "code"
                return code
        if digits and (digit := digits.get(raw.strip())) is not None:
            return digit
        found = _lookup(raw, exact, slugs)
        if found is None and other is not None:
            # counted as "Other" (other: true never errs), but an answer code is flagged
            kinds[raw] = "other-code" if looks_like_code(raw, q) else "other"
            return other
        return CODE_PROBLEM if found is None else found  # type: ignore[return-value]

    return Converter(convert, kinds)


_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_CODE = re.compile(r"[A-Za-z]{1,3}\d+")


def looks_like_code(raw: str, q: Question) -> bool:
    """Whether an answer that is no option looks like an answer code rather than a
    write-in: a bare number (when no option is a number), or a code shaped like the
    question's own (``A7`` beside ``A1``, ``A2``). With ``other: true`` it is counted as
    "Other" all the same (``other: true`` never errs), and ``read_responses`` warns: it
    could be an option's code the file does not explain."""
    value = raw.strip()
    if _NUMBER.fullmatch(value):
        return not any(_NUMBER.fullmatch(o.strip()) for o in q.options)
    codes = [c for k in range(len(q.options)) for c in q.codes_of(k)]
    return (
        bool(codes)
        and _CODE.fullmatch(value) is not None
        and all(_CODE.fullmatch(c) or _NUMBER.fullmatch(c) for c in codes)
    )


def describe_choice(raw: str, q: Question) -> tuple[str, str]:
    value = raw.strip()
    return (
        f"{quoted_value(raw)} is not an option of question '{q.id}'"
        f"{did_you_mean(raw.strip(), list(q.options))} "
        f"(its options are {_quote_list(q.options)})",
        "Add it to the question's options in survey.yaml, or correct the file"
        + (
            "; if the question offered \"Other\" with a text box, add 'other: true' to it."
            if len(value) > 20
            else "."
        ),
    )


# --------------------------------------------------------------------------- multi


def split_known(
    raw: str, find: Callable[[str], object | None], separators: Sequence[str]
) -> tuple[list[object], list[str]]:
    """Split a joined answer into known items by greedy longest match.

    Each separator is tried in turn (the export's own first); the first that
    leaves no unknown piece wins, else the first separator's reading is
    returned with its unknown pieces.
    """
    whole = find(raw)
    if whole is not None:
        return [whole], []
    first: tuple[list[object], list[str]] | None = None
    for sep in separators:
        if sep not in raw:
            continue
        tokens = raw.split(sep)
        if len(tokens) > _MAX_TOKENS:
            continue
        items: list[object] = []
        unknown: list[str] = []
        i, n = 0, len(tokens)
        while i < n:
            if not tokens[i].strip():
                i += 1
                continue
            for j in range(n, i, -1):
                hit = find(sep.join(tokens[i:j]))
                if hit is not None:
                    items.append(hit)
                    i = j
                    break
            else:
                unknown.append(tokens[i].strip())
                i += 1
        if not unknown:
            return items, []
        if first is None:
            first = (items, unknown)
    return first if first is not None else ([], [raw.strip()])


def multi_separators(fmt: str) -> tuple[str, ...]:
    own = _SEPARATORS.get(fmt)
    return ((own,) if own else ()) + tuple(s for s in _ALL_SEPARATORS if s != own)


def _multi_finder(q: Question, fmt: str = "") -> Callable[[str], object | None]:
    exact, slugs = _label_map([(opt, k) for k, opt in enumerate(q.options)])
    codes = _option_codes(q, fmt)

    def find(text: str) -> object | None:
        if codes:
            code = codes.get(code_key(text))
            if code is not None:
                return code
        return _lookup(text, exact, slugs)

    return find


def multi_converter(
    q: Question, fmt: str, missing: frozenset[str] = frozenset(), codes_fmt: str = ""
) -> Converter:
    """raw -> bitmask of the options ticked (bit k = option k); MULTI_PROBLEM flags unknowns.

    With ``other: true``, the pieces that are no option are one write-in: the "Other" bit.
    """
    find = _multi_finder(q, codes_fmt)
    seps = multi_separators(fmt)
    other = q.other_index
    codes = _option_codes(q, codes_fmt)
    kinds: dict[str, str] = {}
    problem = multi_problem_bit(len(q.options))

    def convert(raw: str) -> int:
        if not raw or raw.isspace() or _is_missing(raw, missing):
            return 0
        items, unknown = split_known(raw, find, seps)
        mask = 0
        for k in items:
            mask |= 1 << int(k)  # type: ignore[call-overload]
        if unknown and other is not None:
            coded = any(looks_like_code(u, q) for u in unknown)
            kinds[raw] = "other-code" if coded else "other"
            return mask | (1 << other)
        if codes and not unknown and any(code_key(t) in codes for t in _pieces(raw, seps)):
            kinds[raw] = "code"
        return mask | problem if unknown else mask

    return Converter(convert, kinds)


def _pieces(raw: str, seps: Sequence[str]) -> list[str]:
    for sep in seps:
        if sep in raw:
            return [t.strip() for t in raw.split(sep) if t.strip()]
    return [raw.strip()]


def describe_multi(raw: str, q: Question, fmt: str, codes_fmt: str = "") -> tuple[str, str]:
    _, unknown = split_known(raw, _multi_finder(q, codes_fmt), multi_separators(fmt))
    parts = ", ".join(quoted_value(u) for u in unknown[:8])
    one = len(unknown) == 1
    return (
        f"{quoted_value(raw)} holds {parts}, which "
        f"{'is not an option' if one else 'are not options'}"
        f" of question '{q.id}' (its options are {_quote_list(q.options)})",
        "Add it to the question's options in survey.yaml, or correct the file.",
    )


def writein_converter(missing: frozenset[str] = frozenset()) -> Converter:
    """A write-in column ("Other"): any text ticks the question's "Other" category."""
    kinds: dict[str, str] = {}

    def convert(raw: str) -> int:
        if not raw or raw.isspace() or _is_missing(raw, missing):
            return CODE_BLANK
        kinds[raw] = "other"
        return 1

    return Converter(convert, kinds)


def tick_converter(
    q: Question, option: int, header_text: str, missing: frozenset[str] = frozenset()
) -> Converter:
    """One option's own column: 1 ticked, 0 not, CODE_BLANK blank, CODE_PROBLEM unreadable."""
    if option >= len(q.options):  # the "Other" category added by ``other: true``
        return writein_converter(missing)
    label = q.options[option]
    names = {label_key(label), label_key(header_text), *xml_names(label)}
    names |= {n for n, k in positional_names(q.options).items() if k == option}
    names |= {code_key(c) for c in q.codes_of(option)}

    def convert(raw: str) -> int:
        if not raw or raw.isspace() or _is_missing(raw, missing):
            return CODE_BLANK
        n = label_key(raw)
        if n in _TICK_YES or n in names or slug(raw) in names:
            return 1
        if n in _TICK_NO:
            return 0
        x = parse_number(raw)
        if x is not None and x in (0.0, 1.0):
            return int(x)
        return CODE_PROBLEM

    return Converter(convert)


def describe_tick(raw: str, q: Question, option: int) -> tuple[str, str]:
    return (
        f"{quoted_value(raw)} is not a tick for option '{q.categories[option]}' of question "
        f"'{q.id}' (expected the option's label, Yes/No, 1/0 or a blank cell)",
        "Correct the file, or check that this column belongs to that option.",
    )


# --------------------------------------------------------------------------- number, consent


def number_converter(decimal_comma: bool, missing: frozenset[str] = frozenset()) -> Converter:
    def convert(raw: str) -> float:
        if not raw or raw.isspace() or _is_missing(raw, missing):
            return NAN
        x = parse_number(raw, decimal_comma)
        return FLOAT_PROBLEM if x is None else x

    return Converter(convert)


def describe_number(raw: str, q: Question) -> tuple[str, str]:
    return (
        f"{quoted_value(raw)} is not a number (question '{q.id}' takes numbers)",
        "Correct the file: write numbers as digits, such as 12 or 3.5.",
    )


def consent_converter(missing: frozenset[str] = frozenset()) -> Converter:
    def convert(raw: str) -> int:
        if not raw or raw.isspace() or _is_missing(raw, missing):
            return CODE_BLANK
        n = label_key(raw)
        yes = (
            n in _YES
            or slug(raw) == "yes"
            or n.startswith(("yes,", "yes ", "i agree", "i consent"))
            or parse_number(raw) == 1.0
        )
        return 1 if yes else 0

    return Converter(convert)


# --------------------------------------------------------------------------- roster


# What survey tools join several ticked names with (Google Forms ", ", Microsoft Forms ";",
# Qualtrics ","). The space, which the reader also tries last, is left out: Kobo and ODK join
# XML names, which hold no space, and "North East" beside "North" and "East" is no join.
AMBIGUOUS = ("\x00ambiguous",)  # connections_converter's names for a cell read two ways


class Roster:
    """Roster names (network_map.members) found in answers; unknown names are counted."""

    def __init__(self, members: Sequence[str], fmt: str = "") -> None:
        self.members = tuple(members)
        exact, slugs = _label_map([(m, m) for m in members])
        self._exact, self._slugs = exact, slugs
        # The codes relimpact's builder gave the members in this tool (toolnames).
        self._codes: dict[str, str] = {}
        if fmt in TOOLS:
            positions = position_codes(fmt, self.members)
            self._codes = {code_key(c): m for c, m in zip(positions, self.members, strict=True)}

    def find(self, text: str) -> str | None:
        """The member ``text`` names: as compared (``label_key``), as an XML name, or as
        the builder's code. A text that holds a separator (``JOINERS``) is never taken,
        through its XML name, for a member whose name holds none: ``North, East`` is two
        members, not ``North East``."""
        found = find_member(text, self._exact, self._slugs)
        if found is None and self._codes:
            return self._codes.get(code_key(text))
        return found  # type: ignore[return-value]

    def tick_converter(self, member: int, missing: frozenset[str] = frozenset()) -> Converter:
        """One member's own column (LimeSurvey's and REDCap's checkboxes): 1 ticked, 0 not,
        CODE_BLANK blank, CODE_PROBLEM unreadable."""
        label = self.members[member]
        names = {label_key(label), *xml_names(label)}
        names |= {n for n, k in positional_names(self.members).items() if k == member}

        def convert(raw: str) -> int:
            if not raw or raw.isspace() or _is_missing(raw, missing):
                return CODE_BLANK
            n = label_key(raw)
            if n in _TICK_YES or n in names or slug(raw) in names:
                return 1
            if n in _TICK_NO:
                return 0
            x = parse_number(raw)
            if x is not None and x in (0.0, 1.0):
                return int(x)
            return CODE_PROBLEM

        return Converter(convert)

    def member_converter(self) -> Converter:
        """raw -> (roster name or "", unknown: bool)."""

        def convert(raw: str) -> tuple[str, bool]:
            if not raw or raw.isspace():
                return "", False
            name = self.find(raw)
            return (name, False) if name is not None else ("", True)

        return Converter(convert)

    def connections_converter(self) -> Converter:
        """raw -> (roster names, number of unknown names); (``AMBIGUOUS``, 0) for a cell
        that reads as two different sets of members (``ambiguous``)."""
        seps = (";", "\n", ",", "|", " ")

        def convert(raw: str) -> tuple[tuple[str, ...], int]:
            if not raw or raw.isspace():
                return (), 0
            if self.ambiguous(raw):
                return AMBIGUOUS, 0
            items, unknown = split_known(raw, self.find, seps)
            seen = tuple(dict.fromkeys(str(i) for i in items))
            return seen, len(unknown)

        return Converter(convert)

    def ambiguous(self, raw: str) -> list[frozenset[str]]:
        """Two different sets of members ``raw`` can be read as, whole or split at any one
        separator a tool joins names with (``JOINERS``); [] when there is one reading."""
        seps = [sep for sep in JOINERS if sep in raw]
        if not seps:
            return []
        whole = self.find(raw)
        readings: list[frozenset[str]] = [frozenset({whole})] if whole is not None else []
        for sep in seps:
            for way in _readings(raw, self.find, sep):
                names = frozenset(str(m) for m in way)
                if names not in readings:
                    readings.append(names)
                if len(readings) > 1:
                    return readings[:2]
        return []
