"""The survey model used everywhere inside relimpact: plain frozen dataclasses.

survey.yaml is validated at the edge (``relimpact.survey.schema``) and turned into
these objects; nothing past that point needs to re-check the template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relimpact.survey.branding import Branding

QUESTION_TYPES = (
    "scale",
    "choice",
    "multi",
    "text",
    "number",
    "consent",
    "respondent",
    "member",
    "connections",
)
DEFAULT_MIN_GROUP_SIZE = 5
OTHER = "Other"  # the category of write-in answers (``other: true``)

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
        + ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen")
        + ("seventeen", "eighteen", "nineteen", "twenty")
    )
}
_NUMBER = r"(\d{1,4}|" + "|".join(_NUMBER_WORDS) + r")"
_WHO = r"(?:people|persons|members|respondents|answers|responses|replies)"
# The smallest group shown is N: "fewer than 5", "less than five", "smaller than 5",
# "under 5", "below 5" (then "people" may follow), "5 or more", "5 people or more",
# "at least five", "a minimum of 5".
_SIZE = (
    r"(?:(?:fewer|less|smaller)\s+than|under|below)\s+" + _NUMBER + r"(?:\s+" + _WHO + r")?"
    r"|" + _NUMBER + r"(?:\s+" + _WHO + r")?\s+or\s+more(?:\s+" + _WHO + r")?"
    r"|(?:at\s+least|a\s+minimum\s+of)\s+" + _NUMBER + r"(?:\s+" + _WHO + r")?"
)
# Said of groups ("a group with fewer than 5 people in it", "groups of at least five"),
# or of people ("fewer than 5 people", "5 or more respondents", not "shown to 3 members").
_OF_GROUPS = re.compile(r"\bgroups?\b(?:\W+\w+){0,3}?\W+(?P<size>" + _SIZE + r")\b", re.I)
_OF_PEOPLE = re.compile(r"(?<!\bto )\b(?P<size>" + _SIZE + r")\b", re.I)
# A number of times, minutes, questions...: not a group's size.
_NOT_PEOPLE = re.compile(
    r"\s+(?:times?|minutes?|mins?|hours?|days?|weeks?|months?|years?|questions?|pages?|"
    r"percent|per\s+cent|%)\b",
    re.I,
)
_SHOWN = re.compile(
    r"\b(?:show|shows|shown|showing|hide|hides|hidden|report|reports|reported|publish|"
    r"published|display|displayed|visible|appear|appears)\b",
    re.I,
)


def promised_group_sizes(notice: str) -> list[tuple[str, int]]:
    """What a privacy notice promises about the smallest group shown, as (the words,
    that size), from each sentence that speaks of showing or reporting results: a size
    ("fewer than 5", "less than five", "smaller than 5", "under 5", "5 or more", "at
    least five", "a minimum of 5") said of groups ("a group with fewer than 5 people in
    it is never shown") or of people ("results are shown for 5 or more respondents").
    "It takes less than 10 minutes", "we sent it to 300 or more members" and "the group
    meets at least 4 times a year" promise nothing. Numbers are figures or words up to
    twenty."""
    text = " ".join(notice.split())
    found = []
    for sentence in re.split(r"(?<=[.!?;])\s+", text):
        if not _SHOWN.search(sentence):
            continue
        spans: dict[tuple[int, int], str] = {}
        for m in _OF_GROUPS.finditer(sentence):
            if not _NOT_PEOPLE.match(sentence, m.end("size")):
                spans[m.span("size")] = m.group("size")
        for m in _OF_PEOPLE.finditer(sentence):
            if m.span("size") not in spans and re.search(_WHO + r"\b", m.group("size"), re.I):
                spans[m.span("size")] = m.group("size")
        for _, words in sorted(spans.items()):
            number = re.findall(_NUMBER, words, re.I)[0]
            size = int(number) if number.isdigit() else _NUMBER_WORDS[number.lower()]
            found.append((words, size))
    return found


@dataclass(frozen=True)
class Scale:
    id: str
    points: tuple[tuple[int, str], ...]  # (value, label), lowest value first
    not_applicable: tuple[str, ...] = ()
    favourable_from: int | None = None
    # Other values an export writes for a point ("A1" -> 1), matched like labels.
    codes: tuple[tuple[str, int], ...] = ()
    strength: float | None = None  # band threshold: mean >= strength -> "strength"
    borderline: float | None = None  # mean >= borderline -> "borderline", else "concern"

    @property
    def min_value(self) -> int:
        return self.points[0][0]

    @property
    def max_value(self) -> int:
        return self.points[-1][0]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(v for v, _ in self.points)

    def label(self, value: int) -> str:
        """The label of a point, or its number where the label is empty."""
        for v, lab in self.points:
            if v == value:
                return lab or str(v)
        raise KeyError(value)

    def reverse(self, value: float) -> float:
        """Reverse-keyed scoring: ``min + max - value`` on the declared points."""
        return self.min_value + self.max_value - value

    def thresholds(self) -> tuple[float, float] | None:
        """``(strength, borderline)``: the template's ``bands``, or else the defaults by
        position for scales of 4 to 11 points: the 5-point defaults (4.0 and 3.0 on 1-5)
        sit 75% and 50% of the way from the lowest point to the highest, so
        ``strength = min + 0.75 (max - min)`` and ``borderline = min + 0.5 (max - min)``:
        1-4: 3.25 / 2.5; 1-6: 4.75 / 3.5; 1-7: 5.5 / 4.0; 1-10: 7.75 / 5.5; 0-10: 7.5 / 5.0.
        None for other scales without bands (two or three points are not a score scale)."""
        if self.strength is not None and self.borderline is not None:
            return self.strength, self.borderline
        if not 4 <= len(self.points) <= 11:
            return None
        lo, hi = self.min_value, self.max_value
        return lo + 0.75 * (hi - lo), lo + 0.5 * (hi - lo)

    @property
    def default_bands(self) -> bool:
        """Whether the bands are the defaults by position (the template sets none)."""
        return (self.strength is None or self.borderline is None) and self.thresholds() is not None

    def band(self, mean: float | None) -> str | None:
        """``strength``, ``borderline`` or ``concern`` for a mean; None without bands."""
        t = self.thresholds()
        if mean is None or t is None:
            return None
        if mean >= t[0]:
            return "strength"
        if mean >= t[1]:
            return "borderline"
        return "concern"

    def band_certain(self, mean: float | None, ci: tuple[float, float] | None) -> bool | None:
        """Whether the whole interval ``ci`` lies in the mean's band (it crosses no band
        threshold); None without a band or an interval."""
        band = self.band(mean)
        if band is None or ci is None:
            return None
        return self.band(ci[0]) == band and self.band(ci[1]) == band

    def band_range(self, mean: float | None, ci: tuple[float, float] | None) -> str | None:
        """The bands the interval spans, lowest first: "borderline or strength" where the
        interval crosses the strength threshold; the band alone where it crosses none."""
        band = self.band(mean)
        if band is None:
            return None
        if ci is None:
            return band
        order = ["concern", "borderline", "strength"]
        lo, hi = self.band(ci[0]) or band, self.band(ci[1]) or band
        spanned = order[order.index(lo) : order.index(hi) + 1]
        return " or ".join(spanned) if len(spanned) > 1 else band


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    description: str = ""
    enabler: bool = False
    focus: str | None = None  # "net" or "work": shown side by side, never summed
    members_label: str = ""  # plain words for members (the members report), or ""
    members_about: str = ""  # one plain line for members: what this is about, or ""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str = "scale"
    scale: str | None = None
    dimension: str | None = None
    reverse: bool = False
    options: tuple[str, ...] = ()
    segment: bool = False
    quotable: bool = False
    aliases: tuple[str, ...] = ()
    required: bool = False
    hint: str = ""
    group: str | None = None  # consecutive questions shown together on forms (grids)
    line: int | None = None  # line in survey.yaml, for messages
    # Per option (aligned with ``options``): other values an export writes for it.
    option_codes: tuple[tuple[str, ...], ...] = ()
    missing: tuple[str, ...] = ()  # values read as a blank cell in this question's columns
    other: bool = False  # choice/multi: an answer that is no option counts as "Other"
    # consent questions: what is asked, "quote" (quote what they wrote, without their name)
    # or "name" (name them on the network map). One never stands in for the other.
    consent: str = ""
    # connections questions: the scale whose points are the tie levels (lowest first, for
    # example aware of / share information / work together / plan together), or None.
    levels: str | None = None

    def codes_of(self, k: int) -> tuple[str, ...]:
        """The export codes of option ``k`` (none when the option is a plain label)."""
        return self.option_codes[k] if k < len(self.option_codes) else ()

    @property
    def other_index(self) -> int | None:
        """The category write-ins count as: an option labelled "Other", else one added
        after the options; None without ``other: true``."""
        if not self.other:
            return None
        for k, opt in enumerate(self.options):
            if opt.strip().strip(":").casefold() == "other":
                return k
        return len(self.options)

    @property
    def categories(self) -> tuple[str, ...]:
        """The options, plus "Other" when write-ins are allowed and no option is "Other"."""
        if self.other_index == len(self.options):
            return (*self.options, OTHER)
        return self.options


@dataclass(frozen=True)
class NetworkMap:
    members: tuple[str, ...]
    convenors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Survey:
    id: str
    title: str
    questions: tuple[Question, ...]
    scales: Mapping[str, Scale] = field(default_factory=dict)
    dimensions: Mapping[str, Dimension] = field(default_factory=dict)
    network: str = ""
    description: str = ""
    language: str = ""
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    population: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    privacy_notice: str = ""
    next_steps: str = ""
    version: str = ""
    network_map: NetworkMap | None = None
    source: Path | None = None
    missing: tuple[str, ...] = ()  # values read as a blank cell in any column
    branding: Branding | None = None  # the report: block (organisation, logo, colour, contact)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def questions_of(self, dimension: str) -> tuple[Question, ...]:
        """The scale items of a dimension, in template order."""
        return tuple(q for q in self.questions if q.type == "scale" and q.dimension == dimension)

    @property
    def scale_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.type == "scale")

    @property
    def segment_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.segment)

    @property
    def respondent_question(self) -> Question | None:
        return next((q for q in self.questions if q.type == "respondent"), None)

    @property
    def consent_question(self) -> Question | None:
        """The consent to be quoted (``consent: quote``, the default purpose)."""
        return next(
            (q for q in self.questions if q.type == "consent" and q.consent in ("quote", "")),
            None,
        )

    @property
    def name_consent_question(self) -> Question | None:
        """The consent to be named on the network map (``consent: name``); never the
        consent to be quoted."""
        return next(
            (q for q in self.questions if q.type == "consent" and q.consent == "name"), None
        )

    @property
    def privacy_warnings(self) -> tuple[str, ...]:
        """Warnings about the template's privacy settings (``check`` and the reports)."""
        k = self.min_group_size
        if k < DEFAULT_MIN_GROUP_SIZE:
            return (
                f"min_group_size is {k}, below the usual {DEFAULT_MIN_GROUP_SIZE}: groups of "
                f"{k} are shown, and in a group that small people can often tell who "
                "answered what.",
            )
        return ()

    @property
    def notice_warnings(self) -> tuple[str, ...]:
        """Warnings for the convenor (``check`` and ``build``; not the reports): a
        ``privacy_notice``, printed on the form people answer, whose promise about the
        smallest group shown says another number than ``min_group_size``."""
        k = self.min_group_size
        out = []
        for promise, smallest in promised_group_sizes(self.privacy_notice or ""):
            if smallest == k:
                continue
            if k < smallest:
                shown = f"groups of {k} are shown"
            elif k - 1 > smallest:
                shown = f"groups of {smallest} to {k - 1} are hidden"
            else:
                shown = f"groups of {smallest} are hidden"
            out.append(
                f'privacy_notice promises "{promise}", but min_group_size is {k}, so '
                f"{shown}: make the two say the same (the notice is printed on the form "
                "people answer)."
            )
        return tuple(out)

    @property
    def xlsform_warnings(self) -> tuple[str, ...]:
        """Warnings for ``check``: question ids the template allows but an XLSForm cannot
        take (one that starts with a digit or '-'), so that the convenor hears of them
        before ``build --to xlsform`` refuses them; every other format takes them."""
        from relimpact.common.text import is_xml_name

        bad = [q for q in self.questions if not is_xml_name(q.id)]
        if not bad:
            return ()
        source = str(self.source) if self.source else f"survey '{self.id}'"
        where = ", ".join(
            f"'{q.id}' ({source}:{q.line})" if q.line is not None else f"'{q.id}' ({source})"
            for q in bad
        )
        one = len(bad) == 1
        return (
            f"question id{'' if one else 's'} {where} cannot name a question in KoboToolbox "
            f"or ODK: an XLSForm name must start with a letter or '_', so 'build --to "
            f"xlsform' refuses {'it' if one else 'them'} (the other formats work). Rename "
            f"{'it' if one else 'each'}, e.g. '{bad[0].id}' to 'q{bad[0].id}' (and keep the "
            "new id from then on).",
        )

    def scale_of(self, q: Question) -> Scale:
        assert q.scale is not None
        return self.scales[q.scale]

    def levels_of(self, q: Question) -> Scale | None:
        """The tie levels of a ``connections`` question (its ``levels`` scale), or None."""
        return self.scales[q.levels] if q.levels is not None else None

    def dimension_order(self) -> tuple[str, ...]:
        """Dimensions for display: the enablers first, then the net, the work, the rest."""

        def key(item: tuple[int, str]) -> tuple[int, int]:
            i, d = item
            dim = self.dimensions[d]
            rank = (
                0 if dim.enabler else 1 if dim.focus == "net" else 2 if dim.focus == "work" else 3
            )
            return rank, i

        return tuple(d for _, d in sorted(enumerate(self.dimensions), key=key))
