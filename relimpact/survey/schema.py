"""Validation of survey.yaml at the edge: pydantic models plus cross-checks.

Every problem is reported with ``file:line`` and the path inside the file
(``questions[3].scale``), with a "did you mean" suggestion for near-miss keys
and names. A valid file becomes the frozen dataclasses of ``relimpact.survey.model``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from relimpact.common.errors import Problem, SurveyError
from relimpact.common.text import code_key, did_you_mean, label_key, normalize
from relimpact.common.yamlsource import Path_, YamlDocument, format_path, load_yaml
from relimpact.survey.branding import Branding
from relimpact.survey.model import (
    DEFAULT_MIN_GROUP_SIZE,
    QUESTION_TYPES,
    Dimension,
    NetworkMap,
    Question,
    Scale,
    Survey,
)

FORMAT_VERSION = 1
MIN_GROUP_SIZE_FLOOR = 3  # below this, min_group_size is refused
MAX_POINT_VALUE = 10_000  # scale point values lie within -10,000 to 10,000
ID_PATTERN = r"^[A-Za-z0-9_-]+$"
Ident = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=64)]
Text = Annotated[str, Field(min_length=1)]
CHOICE_TYPES = ("choice", "multi")
_NUMBER_CODE = re.compile(r"^[+-]?\d+(\.0*)?$")
_ALIKE = "once case, spacing and surrounding punctuation are ignored"


def _point_number(key: object) -> int | None:
    """A ``points`` key as the whole number it names (``1``, ``"1"``, ``" +1 "``), or None."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    text = str(key).strip()
    return int(float(text)) if _NUMBER_CODE.match(text) else None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class BandsModel(_Model):
    strength: float
    borderline: float


class ScaleModel(_Model):
    points: dict[int, str | None]
    not_applicable: list[str] = []
    codes: dict[str, int] = {}
    favourable_from: int | None = None
    bands: BandsModel | None = None


class DimensionModel(_Model):
    label: Text
    description: str = ""
    enabler: StrictBool = False
    focus: Literal["net", "work"] | None = None
    members_label: str = ""  # the label in plain words, for the members report
    members_about: str = ""  # one plain line: what this is about, for the members report


class OptionModel(_Model):
    label: Text
    codes: list[Text] = []


class QuestionModel(_Model):
    id: Ident
    text: Text
    type: str = "scale"
    scale: str | None = None
    dimension: str | None = None
    reverse: StrictBool = False
    options: list[Text | OptionModel] = []
    segment: StrictBool = False
    quotable: StrictBool = False
    aliases: list[Text] = []
    required: StrictBool = False
    hint: str = ""
    group: Ident | None = None
    missing: list[str] = []
    other: StrictBool = False
    consent: Literal["quote", "name"] | None = None
    levels: str | None = None  # connections: the scale of tie levels

    @property
    def labels(self) -> list[str]:
        """The options' labels (an option may be a mapping with its export codes)."""
        return [o if isinstance(o, str) else o.label for o in self.options]

    @property
    def option_codes(self) -> list[list[str]]:
        return [[] if isinstance(o, str) else list(o.codes) for o in self.options]


class NetworkMapModel(_Model):
    members: list[Text] = Field(min_length=2)
    convenors: list[Text] = []


class BrandingModel(_Model):
    organisation: str = ""
    logo: str = ""  # a local PNG or SVG, relative to survey.yaml
    accent: str = ""  # "#rrggbb", readable on white
    contact: str = ""


class SurveyModel(_Model):
    relimpact: int
    id: Ident
    title: Text
    network: str = ""
    description: str = ""
    language: str = ""
    version: str = ""
    min_group_size: int = Field(DEFAULT_MIN_GROUP_SIZE, ge=1, le=1000)
    privacy_notice: str = ""
    next_steps: str = ""
    scales: dict[Ident, ScaleModel] = {}
    dimensions: dict[Ident, DimensionModel] = {}
    questions: list[QuestionModel] = Field(min_length=1)
    population: dict[str, dict[str, Annotated[int, Field(ge=0)]]] = {}
    network_map: NetworkMapModel | None = None
    missing: list[str] = []
    report: BrandingModel | None = None

    @field_validator("min_group_size", mode="before")
    @classmethod
    def _not_a_bool(cls, value: Any) -> Any:
        """``min_group_size: true`` is no number (YAML's true would pass as 1)."""
        if isinstance(value, bool):
            raise PydanticCustomError("int_type", "Input should be a valid integer")
        return value


_MODELS: dict[str, type[BaseModel]] = {
    "": SurveyModel,
    "scales": ScaleModel,
    "bands": BandsModel,
    "dimensions": DimensionModel,
    "questions": QuestionModel,
    "network_map": NetworkMapModel,
    "report": BrandingModel,
    "options": OptionModel,
}


def _model_for(path: Path_) -> type[BaseModel]:
    """The pydantic model whose fields a key at ``path`` belongs to (for suggestions)."""
    parent = path[:-1]
    if not parent:
        return SurveyModel
    if parent[0] == "questions" and len(parent) == 2:
        return QuestionModel
    if parent[0] == "questions" and len(parent) == 4 and parent[2] == "options":
        return OptionModel
    if parent[0] in ("scales", "dimensions") and len(parent) == 2:
        return ScaleModel if parent[0] == "scales" else DimensionModel
    if parent[0] == "scales" and len(parent) == 3 and parent[2] == "bands":
        return BandsModel
    if parent == ("network_map",):
        return NetworkMapModel
    return SurveyModel


_FRIENDLY_TYPES = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list (lines starting with '- ', or [a, b])",
    "dict_type": "must be a mapping of keys",
    "model_type": "must be a mapping of keys",
    "string_too_short": "must not be empty",
}


def _pydantic_problem(doc: YamlDocument, err: dict[str, Any]) -> Problem:
    loc: Path_ = tuple(err["loc"])
    kind = err["type"]
    where = doc.where(loc)
    at = format_path(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        fields = list(_model_for(loc).model_fields)
        return Problem(
            where,
            f"{at}: unknown key '{key}'{did_you_mean(key, fields)}.",
            "Allowed here: " + ", ".join(fields) + ".",
        )
    if kind == "missing":
        parent = format_path(loc[:-1]) or "the top level"
        return Problem(where, f"{parent}: missing required key '{loc[-1]}'.")
    if kind == "string_pattern_mismatch":
        return Problem(
            where,
            f"{at}: '{err.get('input')}' is not a valid id.",
            "Use only letters, digits, '-' and '_' (no spaces).",
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return Problem(where, f"{at}: '{err.get('input')}' is not allowed; expected {expected}.")
    if kind in ("greater_than_equal", "less_than_equal"):
        return Problem(where, f"{at}: {err['msg'].lower()}.")
    if kind == "too_short":
        return Problem(where, f"{at}: {err['msg'].lower()}.")
    message = _FRIENDLY_TYPES.get(kind, err["msg"].lower())
    shown = err.get("input")
    if isinstance(shown, bool):
        got = f" (got {str(shown).lower()})"  # as YAML writes it
    else:
        got = f" (got {shown!r})" if isinstance(shown, (str, int, float)) else ""
    return Problem(where, f"{at}: {message}{got}.")


class _Checker:
    """Cross-checks on a schema-valid survey; collects problems with locations."""

    def __init__(self, doc: YamlDocument, model: SurveyModel) -> None:
        self.doc = doc
        self.m = model
        self.problems: list[Problem] = []

    def add(self, path: Path_, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.doc.where(path), f"{format_path(path)}: {message}", hint))

    def run(self) -> list[Problem]:
        if self.m.relimpact != FORMAT_VERSION:
            self.add(
                ("relimpact",),
                f"template format version {self.m.relimpact} is not supported.",
                f"This relimpact reads format {FORMAT_VERSION}; write 'relimpact: 1'.",
            )
        if self.m.min_group_size < MIN_GROUP_SIZE_FLOOR:
            self.add(
                ("min_group_size",),
                f"{self.m.min_group_size} is too small to protect anyone: a figure for a group "
                f"of {self.m.min_group_size} tells each of them what the others answered.",
                f"Use {MIN_GROUP_SIZE_FLOOR} at the very least; {DEFAULT_MIN_GROUP_SIZE} (the "
                "default) is the usual threshold.",
            )
        for sid, scale in self.m.scales.items():
            self.check_scale(sid, scale)
        self.check_questions()
        self.check_dimensions()
        self.check_population()
        self.check_network_map()
        return self.problems

    def check_scale(self, sid: str, scale: ScaleModel) -> None:
        base = ("scales", sid)
        if len(scale.points) < 2:
            self.add((*base, "points"), "a scale needs at least two points.")
            return
        # Answers are held as 32-bit floats and summed in 64-bit: whole numbers of this
        # size stay exact in every mean, variance and reversal.
        far = [v for v in scale.points if not -MAX_POINT_VALUE <= v <= MAX_POINT_VALUE]
        if far:
            self.add(
                (*base, "points"),
                f"the point value {far[0]} is outside {-MAX_POINT_VALUE:,} to "
                f"{MAX_POINT_VALUE:,}; scale points are small whole numbers.",
                "Number the points as people answer them: 1 to 5, 0 to 10, or 0 to 100.",
            )
            return
        self.check_point_values(base)
        labels = self.check_point_labels(base, scale)
        for lab in scale.not_applicable:
            point = labels.get(label_key(lab))
            if point is not None:
                v, written = point
                same = written.strip() == lab.strip()
                self.add(
                    (*base, "not_applicable"),
                    f"'{lab}' is both a point label and a not-applicable label"
                    + ("." if same else f" (the label '{written}' of point {v}, {_ALIKE})."),
                    "A label is either scored or not; remove it from one of the two.",
                )
            else:
                self.check_label_number(base, scale, lab, None)
        values = sorted(scale.points)
        self.check_scale_codes(base, scale, values)
        if scale.favourable_from is not None and scale.favourable_from not in values:
            self.add(
                (*base, "favourable_from"),
                f"{scale.favourable_from} is not one of the scale's points "
                f"({', '.join(map(str, values))}).",
            )
        if scale.bands is not None:
            lo, hi = values[0], values[-1]
            for key in ("strength", "borderline"):
                v = getattr(scale.bands, key)
                if not lo <= v <= hi:
                    self.add(
                        (*base, "bands", key),
                        f"{v} is outside the scale's range {lo} to {hi}.",
                    )
            if scale.bands.borderline > scale.bands.strength:
                self.add(
                    (*base, "bands"),
                    "borderline must not be higher than strength.",
                    "Scores at or above 'strength' are strengths, at or above 'borderline' "
                    "borderline, the rest concerns.",
                )

    def check_point_values(self, base: Path_) -> None:
        """Two keys of ``points`` that are the same number (``1`` and ``"1"``): the YAML
        file holds both, but only one could count, so the other point's label would be
        dropped without a word."""
        raw = self.doc.data.get("scales", {}).get(base[1], {}).get("points")
        if not isinstance(raw, dict):
            return
        first: dict[int, Any] = {}
        for key in raw:
            value = _point_number(key)
            if value is None:
                continue
            if value in first:
                other = first[value]
                self.add(
                    (*base, "points", key),
                    f"the points {other!r} (line {self.doc.line((*base, 'points', other))}) "
                    f"and {key!r} are the same number, {value}; only one of them could count.",
                    "Keep one of the two lines, with the label the export writes.",
                )
                continue
            first[value] = key

    def check_point_labels(self, base: Path_, scale: ScaleModel) -> dict[str, tuple[int, str]]:
        """Point labels that are one answer once compared (``label_key``), or a label that
        is the number of another point: an answer could mean either point. Returns each
        label's key -> (point, label as written)."""
        seen: dict[str, tuple[int, str]] = {}
        for v, lab in scale.points.items():
            if not lab:
                continue
            key = label_key(lab)
            if key in seen:
                fv, first = seen[key]
                line = self.doc.line((*base, "points", fv))
                if first.strip() == lab.strip():
                    self.add(
                        (*base, "points", v),
                        f"the label '{lab}' is used for more than one point (points {fv}, "
                        f"line {line}, and {v}).",
                    )
                else:
                    self.add(
                        (*base, "points", v),
                        f"the labels '{first}' (point {fv}, line {line}) and '{lab}' (point "
                        f"{v}) are one answer, {_ALIKE}; an answer '{lab}' could mean either "
                        "point.",
                        "Give every point a label of its own.",
                    )
                continue
            seen[key] = (v, lab)
            self.check_label_number(base, scale, lab, v)
        return seen

    def check_label_number(self, base: Path_, scale: ScaleModel, lab: str, own: int | None) -> None:
        """A label written as a number is also read as that point's number: a label ``3``
        on point 1, or a not-applicable ``1`` (``own`` None), could mean either."""
        key = label_key(lab)
        if not _NUMBER_CODE.match(key):
            return
        number = int(float(key))
        if number not in scale.points or number == own:
            return
        what = "a not-applicable label" if own is None else f"the label of point {own}"
        path = (*base, "not_applicable") if own is None else (*base, "points", own)
        fix = (
            "The number of a point is always read as that point: give the not-applicable "
            "code exactly as the export writes it, with its sign ('-1' is not '1'), or "
            "remove it."
            if own is None
            else "Label each point with its own number, or with words."
        )
        self.add(
            path,
            f"'{lab}' is {what} and also the number of point {number}; an answer '{lab}' "
            "could mean either.",
            fix,
        )

    def check_scale_codes(self, base: Path_, scale: ScaleModel, values: list[int]) -> None:
        """A scale's export codes: each names a point, and none can mean two things."""
        meaning: dict[str, str] = {}
        for v, lab in scale.points.items():
            if lab:
                meaning.setdefault(code_key(lab), f"the label of point {v}")
        for lab in scale.not_applicable:
            meaning.setdefault(code_key(lab), "a not-applicable label")
        for code, v in scale.codes.items():
            at = (*base, "codes", code)
            if v not in scale.points:
                self.add(
                    at,
                    f"{v} is not one of the scale's points ({', '.join(map(str, values))}).",
                )
                continue
            key = code_key(code)
            if not key:
                self.add(at, "an export code must not be empty.")
                continue
            known = meaning.get(key)
            own = scale.points.get(v)
            if known is not None and not (own and code_key(own) == key):
                self.add(
                    at,
                    f"the code '{code}' is also {known}; an answer '{code}' could mean either.",
                    "Give every point its own codes, different from every label.",
                )
                continue
            if _NUMBER_CODE.match(key) and int(float(key)) in scale.points and (float(key) != v):
                self.add(
                    at,
                    f"the code '{code}' is also the number of point {int(float(key))}; an "
                    "answer could mean either.",
                    "Remove the code, or check that the export really writes it for this point.",
                )
                continue
            meaning[key] = f"the code of point {v}"

    def check_questions(self) -> None:
        seen_ids: dict[str, int] = {}
        seen_keys: dict[str, int] = {}
        singletons: dict[str, int] = {}
        for i, q in enumerate(self.m.questions):
            p: Path_ = ("questions", i)
            if q.id in seen_ids:
                self.add((*p, "id"), f"'{q.id}' is already the id of questions[{seen_ids[q.id]}].")
                continue
            seen_ids[q.id] = i
            self.check_question(p, q)
            if q.type in ("respondent", "member"):
                if q.type in singletons:
                    self.add(
                        (*p, "type"),
                        f"only one '{q.type}' question is allowed "
                        f"(questions[{singletons[q.type]}] is one already).",
                    )
                singletons.setdefault(q.type, i)
            if q.type == "consent":
                purpose = f"consent: {q.consent or 'quote'}"
                if purpose in singletons:
                    self.add(
                        (*p, "consent"),
                        f"only one consent question may ask for '{purpose}' "
                        f"(questions[{singletons[purpose]}] does already).",
                        "Ask each consent once: 'consent: quote' (may we quote what you "
                        "wrote?) and 'consent: name' (may we name you on the network map?).",
                    )
                singletons.setdefault(purpose, i)
            for key in {normalize(x) for x in (q.id, q.text, *q.aliases)}:
                other = seen_keys.get(key)
                if other is not None and other != i:
                    self.add(
                        (*p,),
                        f"'{key}' also names questions[{other}]; a response column could not "
                        "tell the two apart.",
                        "Give one of them a different text, id or alias.",
                    )
                seen_keys.setdefault(key, i)

    def check_question(self, p: Path_, q: QuestionModel) -> None:
        if q.type not in QUESTION_TYPES:
            self.add(
                (*p, "type"),
                f"unknown question type '{q.type}'{did_you_mean(q.type, QUESTION_TYPES)}.",
                "Types: " + ", ".join(QUESTION_TYPES) + ".",
            )
            return
        if q.type == "scale":
            if q.scale is None:
                self.add(p, "missing required key 'scale' (a scale question needs a scale).")
            elif q.scale not in self.m.scales:
                self.add(
                    (*p, "scale"),
                    f"unknown scale '{q.scale}'{did_you_mean(q.scale, list(self.m.scales))}.",
                    "Declare it under 'scales:' or use one that is.",
                )
            if q.dimension is None:
                self.add(p, "missing required key 'dimension' (a scale question needs one).")
            elif q.dimension not in self.m.dimensions:
                known = list(self.m.dimensions)
                self.add(
                    (*p, "dimension"),
                    f"unknown dimension '{q.dimension}'{did_you_mean(q.dimension, known)}.",
                    "Declare it under 'dimensions:' or use one that is.",
                )
        else:
            for key in ("scale", "dimension"):
                if getattr(q, key) is not None:
                    self.add((*p, key), f"only scale questions have a {key}; this is '{q.type}'.")
            if q.reverse:
                self.add(
                    (*p, "reverse"), f"only scale questions can be reversed; this is '{q.type}'."
                )
        if q.type in CHOICE_TYPES:
            if len(q.options) < 2:
                self.add((*p, "options"), f"a '{q.type}' question needs at least two options.")
            self.check_option_labels(p, q)
            self.check_option_codes(p, q)
        elif q.options:
            self.add(
                (*p, "options"),
                f"a '{q.type}' question has no options.",
                "Options belong to 'choice' and 'multi' questions.",
            )
        if q.other and q.type not in CHOICE_TYPES:
            self.add(
                (*p, "other"),
                f"only 'choice' and 'multi' questions take write-in answers; this is '{q.type}'.",
            )
        self.check_missing(p, q)
        if q.segment and q.type != "choice":
            self.add(
                (*p, "segment"),
                f"only 'choice' questions can be segments; this is '{q.type}'.",
            )
        if q.consent is not None and q.type != "consent":
            self.add(
                (*p, "consent"),
                f"only 'consent' questions say what they ask consent for; this is '{q.type}'.",
            )
        if q.type == "consent" and q.consent is None and self.m.network_map is not None:
            self.add(
                (*p, "consent"),
                "say what this consent is for: 'consent: quote' (we may quote what they "
                "wrote, without their name) or 'consent: name' (we may name them on the "
                "network map). A survey with a network map asks for both, separately.",
                "Add 'consent: quote' or 'consent: name' to the question; one never stands "
                "in for the other.",
            )
        if q.quotable and q.type != "text":
            self.add((*p, "quotable"), f"only 'text' answers can be quoted; this is '{q.type}'.")
        if q.levels is not None:
            self.check_levels(p, q)
        if q.type in ("member", "connections") and self.m.network_map is None:
            self.add(
                (*p, "type"),
                f"a '{q.type}' question needs a 'network_map' section with the members.",
            )

    def check_levels(self, p: Path_, q: QuestionModel) -> None:
        """``levels`` names a scale of tie levels, on a connections question only."""
        if q.type != "connections":
            self.add(
                (*p, "levels"),
                f"only 'connections' questions have tie levels; this is '{q.type}'.",
            )
            return
        scales = list(self.m.scales)
        if q.levels not in self.m.scales:
            self.add(
                (*p, "levels"),
                f"unknown scale '{q.levels}'{did_you_mean(q.levels or '', scales)}.",
                "Declare the levels under 'scales:' (lowest first, for example 1: Aware of "
                "each other, 2: Share information, 3: Work together, 4: Plan together) or "
                "use one that is.",
            )
            return
        used = [x.id for x in self.m.questions if x.type == "scale" and x.scale == q.levels]
        if used:
            self.add(
                (*p, "levels"),
                f"the scale '{q.levels}' is also the scale of scored questions "
                f"({', '.join(used)}); tie levels are not agreement.",
                "Give the tie levels a scale of their own.",
            )
        empty = [v for v, lab in self.m.scales[q.levels].points.items() if not lab]
        if empty:
            self.add(
                ("scales", q.levels, "points", empty[0]),
                "every tie level needs a label: members choose the label, and reports name it.",
            )

    def check_option_labels(self, p: Path_, q: QuestionModel) -> None:
        """Two options that are one answer once compared (``label_key``): an answer could
        mean either, so the second is refused, naming both as written."""
        seen: dict[str, int] = {}
        for k, lab in enumerate(q.labels):
            key = label_key(lab)
            first = seen.get(key)
            if first is None:
                seen[key] = k
                continue
            written = q.labels[first]
            if written.strip() == lab.strip():
                self.add((*p, "options", k), f"the option '{lab}' is listed twice.")
            else:
                self.add(
                    (*p, "options", k),
                    f"the options '{written}' (options[{first}]) and '{lab}' are one answer, "
                    f"{_ALIKE}; an answer '{lab}' could mean either.",
                    "Keep one of the two, or make them different in words.",
                )

    def check_option_codes(self, p: Path_, q: QuestionModel) -> None:
        """Option codes: none may equal another option's label or code."""
        meaning: dict[str, int] = {}
        for k, lab in enumerate(q.labels):
            meaning.setdefault(code_key(lab), k)
        for k, codes in enumerate(q.option_codes):
            for j, code in enumerate(codes):
                key = code_key(code)
                other = meaning.get(key)
                if other is not None and other != k:
                    self.add(
                        (*p, "options", k, "codes", j),
                        f"the code '{code}' also means the option '{q.labels[other]}'; an "
                        "answer could mean either.",
                        "Give every option its own codes, different from every label.",
                    )
                    continue
                meaning[key] = k

    def check_missing(self, p: Path_, q: QuestionModel) -> None:
        """A missing value may not also be an answer of the question: a label, a code or,
        for a scale, the number of a point (``missing: ["0"]`` beside a 0 to 10 scale would
        read every 0 as no answer)."""
        answers: set[str] = set()
        points: set[int] = set()
        if q.type in CHOICE_TYPES:
            answers = {code_key(x) for x in q.labels} | {
                code_key(c) for codes in q.option_codes for c in codes
            }
        elif q.type == "scale" and q.scale in self.m.scales:
            sc = self.m.scales[q.scale]
            answers = {code_key(x) for x in sc.points.values() if x} | {
                code_key(c) for c in sc.codes
            }
            answers |= {code_key(x) for x in sc.not_applicable}
            points = set(sc.points)
        for where, values in (((*p, "missing"), q.missing), (("missing",), self.m.missing)):
            for j, value in enumerate(values):
                key = code_key(value)
                if _NUMBER_CODE.match(key) and int(float(key)) in points:
                    self.add(
                        (*where, j),
                        f"'{value}' is the number of point {int(float(key))} of scale "
                        f"'{q.scale}', an answer of questions[{p[1]}] ('{q.id}'), so it "
                        "cannot also mean no answer.",
                        "Remove it from 'missing', or give the question its own 'missing' list.",
                    )
                elif key in answers:
                    self.add(
                        (*where, j),
                        f"'{value}' is an answer of questions[{p[1]}] ('{q.id}'), so it cannot "
                        "also mean no answer.",
                        "Remove it from 'missing', or give the question its own 'missing' list.",
                    )

    def check_dimensions(self) -> None:
        used = {q.dimension for q in self.m.questions if q.type == "scale"}
        for did in self.m.dimensions:
            if did not in used:
                self.add(
                    ("dimensions", did),
                    "no scale question belongs to this dimension.",
                    "Add questions with 'dimension: " + did + "', or remove the dimension.",
                )
        by_dim: dict[str, set[str]] = {}
        for q in self.m.questions:
            if q.type == "scale" and q.dimension and q.scale in self.m.scales:
                by_dim.setdefault(q.dimension, set()).add(q.scale)
        for did, scales in by_dim.items():
            if len(scales) > 1 and did in self.m.dimensions:
                self.add(
                    ("dimensions", did),
                    f"its questions use different scales ({', '.join(sorted(scales))}); "
                    "their answers cannot be averaged.",
                    "Use one scale for all questions of a dimension.",
                )

    def check_population(self) -> None:
        questions = {q.id: q for q in self.m.questions}
        for qid, counts in self.m.population.items():
            p: Path_ = ("population", qid)
            q = questions.get(qid)
            if q is None:
                self.add(p, f"no question has the id '{qid}'{did_you_mean(qid, list(questions))}.")
                continue
            if q.type not in QUESTION_TYPES:
                continue  # the unknown type is reported already
            if q.type != "choice":
                self.add(p, f"population is given for choice questions; '{qid}' is '{q.type}'.")
                continue
            seen: dict[str, str] = {}
            for option in counts:
                key = label_key(option)
                if key not in {label_key(o) for o in q.labels}:
                    self.add(
                        (*p, option),
                        f"'{option}' is not an option of '{qid}'{did_you_mean(option, q.labels)}.",
                        "Options: " + ", ".join(q.labels) + ".",
                    )
                elif key in seen:
                    self.add(
                        (*p, option),
                        f"'{option}' and '{seen[key]}' are the same option of '{qid}'; its "
                        "members are counted once.",
                        "Keep one of the two lines.",
                    )
                seen.setdefault(key, option)

    def check_network_map(self) -> None:
        nm = self.m.network_map
        if nm is None:
            return
        seen: set[str] = set()
        twice: set[int] = set()
        for i, name in enumerate(nm.members):
            if normalize(name) in seen:
                self.add(("network_map", "members", i), f"'{name}' is listed twice.")
                twice.add(i)
            seen.add(normalize(name))
        self.check_member_names(nm.members, twice)
        for i, name in enumerate(nm.convenors):
            if normalize(name) not in seen:
                self.add(
                    ("network_map", "convenors", i),
                    f"'{name}' is not in the members list{did_you_mean(name, nm.members)}.",
                )

    def check_member_names(self, members: list[str], twice: set[int]) -> None:
        """Names an answer cannot tell apart: two that are one name once case, spacing and
        punctuation are ignored (``St. Mary's``, ``St Mary's``), and a name that is other
        members' names joined by a separator a survey tool joins ticked names with
        (``Smith, Jones & Co`` beside ``Smith`` and ``Jones & Co``). Both name the lines."""
        from relimpact.common.names import alike_members, joined_from_others

        def at(i: int) -> str:
            return f"'{members[i]}' (members[{i}], {self.doc.where(('network_map', 'members', i))})"

        for first, i in alike_members(members):
            if i in twice:
                continue
            self.add(
                ("network_map", "members", i),
                f"'{members[i]}' and {at(first)} are one name once case, spacing and "
                "punctuation are ignored; an answer could mean either member.",
                "Make the two names different in words, or list the member once.",
            )
        for i, sep, parts in joined_from_others(members):
            shown = "newline" if sep == "\n" else f"'{sep}'"
            self.add(
                ("network_map", "members", i),
                f"'{members[i]}' is also the members {' and '.join(at(j) for j in parts)} "
                f"joined by {shown}, as a survey tool joins the names ticked: an answer "
                f"'{members[i]}' could mean one member or {len(parts)} members.",
                f"Rename one of them, for example without the {shown} in '{members[i]}'.",
            )


def _as_on_roster(convenors: list[str], members: list[str]) -> tuple[str, ...]:
    """Each convenor as the roster writes them: ``check`` accepts a convenor in another case
    or spacing (``org a`` for ``Org A``, compared as answers are), so the figures must find
    them on the roster too."""
    spelled = {}
    for name in members:
        spelled.setdefault(normalize(name), name)
    return tuple(spelled.get(normalize(c), c) for c in convenors)


def _to_survey(m: SurveyModel, path: Path) -> Survey:
    scales = {
        sid: Scale(
            id=sid,
            points=tuple((v, (lab or "").strip()) for v, lab in sorted(s.points.items())),
            not_applicable=tuple(s.not_applicable),
            favourable_from=s.favourable_from,
            codes=tuple((str(c), v) for c, v in s.codes.items()),
            strength=s.bands.strength if s.bands else None,
            borderline=s.bands.borderline if s.bands else None,
        )
        for sid, s in m.scales.items()
    }
    dims = {}
    for did, d in m.dimensions.items():
        focus = d.focus
        if focus is None and did in ("the_net", "net"):
            focus = "net"
        if focus is None and did in ("the_work", "work"):
            focus = "work"
        dims[did] = Dimension(
            did,
            d.label,
            d.description.strip(),
            d.enabler,
            focus,
            members_label=" ".join(d.members_label.split()),
            members_about=" ".join(d.members_about.split()),
        )
    questions = tuple(
        Question(
            id=q.id,
            text=q.text.strip(),
            type=q.type,
            scale=q.scale,
            dimension=q.dimension,
            reverse=q.reverse,
            options=tuple(q.labels),
            option_codes=tuple(tuple(c) for c in q.option_codes) if any(q.option_codes) else (),
            missing=tuple(q.missing),
            other=q.other,
            segment=q.segment,
            quotable=q.quotable,
            aliases=tuple(q.aliases),
            required=q.required,
            hint=q.hint.strip(),
            group=q.group,
            consent=(q.consent or "quote") if q.type == "consent" else "",
            levels=q.levels,
        )
        for q in m.questions
    )
    nm = None
    if m.network_map is not None:
        nm = NetworkMap(
            tuple(m.network_map.members),
            _as_on_roster(m.network_map.convenors, m.network_map.members),
        )
    return Survey(
        id=m.id,
        title=m.title.strip(),
        questions=questions,
        scales=scales,
        dimensions=dims,
        network=m.network.strip(),
        description=m.description.strip(),
        language=m.language,
        min_group_size=m.min_group_size,
        population={k: _population(m, k, v) for k, v in m.population.items()},
        privacy_notice=m.privacy_notice.strip(),
        next_steps=m.next_steps.strip(),
        version=m.version,
        network_map=nm,
        source=path,
        missing=tuple(m.missing),
        branding=_branding(m, path),
    )


def _branding(m: SurveyModel, path: Path) -> Branding | None:
    if m.report is None:
        return None
    from relimpact.survey.branding import load_branding

    b = m.report
    return load_branding(b.organisation, b.logo, b.accent, b.contact, path)


def _population(m: SurveyModel, qid: str, counts: dict[str, int]) -> dict[str, int]:
    """Membership counts keyed by the option's own label: a key written in another case or
    spacing ("member organisation ") is matched the way answers are (``label_key``), once,
    here, so that every count and weight downstream finds its option."""
    q = next(q for q in m.questions if q.id == qid)
    label = {label_key(o): o for o in q.labels}
    return {label[label_key(k)]: v for k, v in counts.items()}


def _with_lines(survey: Survey, doc: YamlDocument) -> Survey:
    from dataclasses import replace

    qs = tuple(replace(q, line=doc.line(("questions", i))) for i, q in enumerate(survey.questions))
    return replace(survey, questions=qs)


_UNION_TAGS = ("OptionModel", "constrained-str", "str")


def _union_errors(doc: YamlDocument, errors: list[Any]) -> list[Any]:
    """An option is text or a mapping: report only the errors of the form it was written in."""
    out = []
    for e in errors:
        loc = tuple(e["loc"])
        tags = [i for i, part in enumerate(loc) if part in _UNION_TAGS]
        if not tags:
            out.append(e)
            continue
        i = tags[0]
        value: Any = doc.data
        try:
            for part in loc[:i]:
                value = value[part]
        except (KeyError, IndexError, TypeError):
            value = None
        mapping_branch = loc[i] == "OptionModel"
        if mapping_branch != isinstance(value, dict):
            continue
        out.append({**e, "loc": loc[:i] + loc[i + 1 :]})
    return out


def validate_document(doc: YamlDocument, path: Path) -> Survey:
    """Validate loaded YAML; raise ``SurveyError`` listing every problem found."""
    try:
        model = SurveyModel.model_validate(doc.data)
    except ValidationError as exc:
        problems = [_pydantic_problem(doc, e) for e in _union_errors(doc, exc.errors())]
        raise SurveyError(problems=_sorted(problems)) from None
    problems = _Checker(doc, model).run()
    if model.report is not None:
        from relimpact.survey.branding import check_branding

        b = model.report
        for key, message, hint in check_branding(b.organisation, b.logo, b.accent, b.contact, path):
            at = ("report", key)
            problems.append(Problem(doc.where(at), f"{format_path(at)}: {message}", hint))
    if problems:
        raise SurveyError(problems=_sorted(problems))
    return _with_lines(_to_survey(model, path), doc)


def _sorted(problems: list[Problem]) -> list[Problem]:
    def key(p: Problem) -> tuple[int, str]:
        m = re.search(r":(\d+)$", p.where)
        return (int(m.group(1)) if m else 0, p.message)

    return sorted(problems, key=key)


def load_survey_file(path: Path) -> Survey:
    """Read, parse and validate ``path``. Raises ``SurveyError``."""
    return validate_document(load_yaml(path), path)
