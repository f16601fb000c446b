"""The survey model used everywhere inside relimpact: plain frozen dataclasses.

survey.yaml is validated at the edge (``relimpact.schema``) and turned into
these objects; nothing past that point needs to re-check the template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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

    def band(self, mean: float | None) -> str | None:
        """``strength``, ``borderline`` or ``concern`` for a mean; None without bands."""
        if mean is None or self.strength is None or self.borderline is None:
            return None
        if mean >= self.strength:
            return "strength"
        if mean >= self.borderline:
            return "borderline"
        return "concern"


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str
    description: str = ""
    enabler: bool = False
    focus: str | None = None  # "net" or "work": shown side by side, never summed


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
        return next((q for q in self.questions if q.type == "consent"), None)

    def scale_of(self, q: Question) -> Scale:
        assert q.scale is not None
        return self.scales[q.scale]

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


def load_survey(path: str | Path) -> Survey:
    """Read and validate a survey.yaml; raises ``SurveyError`` with file:line locations."""
    from relimpact.errors import SurveyError
    from relimpact.fit import survey_path_problem
    from relimpact.schema import load_survey_file

    wrong = survey_path_problem(Path(path))
    if wrong is not None:
        raise SurveyError(problems=[wrong])
    return load_survey_file(Path(path))
