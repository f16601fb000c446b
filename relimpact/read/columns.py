"""Which column of a response file answers which question of the survey.

A column belongs to a question when its header, normalised
(``relimpact.common.text.normalize``), equals the question's id, one of its aliases
or its text; or when it has the form ``PREFIX [TEXT]`` or ``PREFIX - TEXT``
(grids: Google Forms, LimeSurvey, Qualtrics matrices) and TEXT matches. In
the same two forms, PREFIX may name a ``multi`` question and TEXT one of its
options: that column holds one option's tick (LimeSurvey ``Yes``/``No``,
SurveyMonkey's choice columns, Kobo's ``question/choice`` 1/0 columns, where
``/`` is the separator). Exporter specifics:

- SurveyMonkey: the question text over its block plus the sub-header below;
  ``Response`` and ``Open-Ended Response`` mean the whole question.
- Qualtrics: ``Question - Selected Choice`` is the question itself; when the
  text row matches nothing, the export tag (``Q1``) or ImportId (``QID1``) is
  tried, so either can be given as an alias.
- Kobo and ODK Central: group paths (``group/q``, ``grp-q``) are stripped.
- Microsoft Forms: a repeated title is suffixed ``2``, ``3``: the n-th such
  column belongs to the n-th question with that text, in survey order.
- Typeform: a multi question's columns are headed by the bare option label.

Personal data (email, names, IP address, location, recipient fields, phone,
device and network ids) is dropped at the door, before any value is read,
with the reason "personal data". The one exception is a column that matches
the survey's ``respondent`` question exactly: its values become the
respondent key, which links waves and removes duplicates and is never shown.

A question matched by two whole-answer columns is a problem; a ``multi``
question matched by both a joined column and one-column-per-option columns
(Kobo) is read from the joined column, and the option columns are listed as
ignored.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass

from relimpact.common.errors import Problem
from relimpact.common.text import (
    choice_names,
    code_key,
    normalize,
    positional_names,
    slug,
    xml_names,
)
from relimpact.read.readers import (
    MICROSOFT_FORMS,
    MS_FORMS_VARIANTS,
    SURVEYMONKEY_METADATA,
    Header,
    RawTable,
    header_key,
)
from relimpact.read.responses import IgnoredColumn
from relimpact.read.toolnames import TOOLS, tool_names
from relimpact.survey.model import Question, Survey

PERSONAL_DATA = "personal data"
METADATA = "export metadata"
UNMATCHED = "no matching question"

_PERSONAL = {
    "email",
    "emailaddress",
    "youremail",
    "youremailaddress",
    "name",
    "fullname",
    "yourname",
    "firstname",
    "lastname",
    "surname",
    "givenname",
    "familyname",
    "respondentname",
    "ip",
    "ipaddress",
    "networkid",
    "location",
    "latitude",
    "longitude",
    "geolocation",
    "gps",
    "phone",
    "phonenumber",
    "telephone",
    "mobile",
    "mobilenumber",
    "submittedby",
    "submittername",
    "deviceid",
    "username",
    "ipaddr",  # LimeSurvey's code for the IP address
    "submissionip",  # Jotform
    # The same in the exporters' other languages (de, fr, es, nl, it, pt, cy).
    "emailadresse",
    "adressedemessagerie",
    "adresseemail",
    "courriel",
    "correoelectrónico",
    "correoelectronico",
    "postaelettronica",
    "ebost",
    "correioeletrónico",
    "correioeletrônico",
    "nom",
    "nombre",
    "naam",
    "nome",
    "enw",
    "vorname",
    "nachname",
    "prénom",
    "apellido",
    "apellidos",
    "cognome",
    "voornaam",
    "achternaam",
    "sobrenome",
    "cyfenw",
    "telefon",
    "telefonnummer",
    "téléphone",
    "teléfono",
    "telefono",
    "telefoon",
    "telefone",
    "ffôn",
    "ipadresse",
    "adresseip",
    "direcciónip",
    "ipadres",
    "indirizzoip",
    "endereçoip",
}
_COMPACT = re.compile(r"[^0-9a-z\u00c0-\u024f]+")


def is_personal_name(header: str) -> bool:
    """A metadata header that names personal data (before the sets below are built)."""
    compact = _COMPACT.sub("", header.casefold())
    return compact in _PERSONAL or compact.startswith(_PERSONAL_PREFIXES)


_PERSONAL_PREFIXES = ("recipient", "location", "email", "phone", "ipaddress", "ebost")

_METADATA = {
    # Google Forms, Microsoft Forms (in each language it exports)
    *(
        name
        for lang in (*MICROSOFT_FORMS.values(), *MS_FORMS_VARIANTS.values())
        for name in lang
        if not is_personal_name(name)
    ),
    "timestamp",
    "id.",
    "score",
    "total score",
    "id",
    "start time",
    "completion time",
    "last modified time",
    # SurveyMonkey, current and older layouts
    *(k for k in SURVEYMONKEY_METADATA if k not in ("ip address", "email address")),
    # Qualtrics (tags and labels, current and legacy)
    "startdate",
    "enddate",
    "status",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "recorded date",
    "responseid",
    "response id",
    "response type",
    "externalreference",
    "external data reference",
    "externaldatareference",
    "distributionchannel",
    "distribution channel",
    "userlanguage",
    "user language",
    "responseset",
    "response set",
    *(f"v{i}" for i in range(1, 11)),
    # KoboToolbox
    "start",
    "end",
    "today",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_tags",
    "_index",
    "__version__",
    "meta/instanceid",
    "meta/rootuuid",
    "_parent_index",
    "_parent_table_name",
    # ODK Central
    "submissiondate",
    "meta-instanceid",
    "meta-instancename",
    "key",
    "submitterid",
    "attachmentspresent",
    "attachmentsexpected",
    "reviewstate",
    "edits",
    "formversion",
    # LimeSurvey
    "date submitted",
    "last page",
    "start language",
    "seed",
    "date started",
    "date last action",
    "referrer url",
    "refurl",
    "datestamp",
    "token",
    "submitdate",
    "lastpage",
    "startlanguage",
    # Typeform, Jotform
    "#",
    "start date (utc)",
    "submit date (utc)",
    "stage date (utc)",
    "tags",
    "ending",
    "submission date",
    "submission id",
    "last update date",
    # REDCap (raw and labels; the instrument's FORM_timestamp and FORM_complete by suffix)
    "record_id",
    "record id",
    "redcap_survey_identifier",
    "survey identifier",
    "survey timestamp",
    "complete?",
}

# The column holding each export's submission time, in order of preference.
TIME_COLUMNS = {
    "google-forms": ("timestamp",),
    "microsoft-forms": tuple(names[k] for k in (5, 2) for names in MICROSOFT_FORMS.values()),
    "surveymonkey": ("end date",),
    "qualtrics": ("recorded date", "recordeddate", "end date", "enddate"),
    "kobo": ("_submission_time", "end"),
    "odk-central": ("submissiondate",),
    "limesurvey": ("date submitted", "submitdate"),
    "typeform": ("submit date (utc)",),
    "jotform": ("submission date",),
    "redcap": ("survey timestamp",),  # and FORM_timestamp in a raw export
    "csv": (
        "timestamp",
        "submitted",
        "submitted at",
        "submission time",
        "submission date",
        "date submitted",
        "completion time",
        "end date",
        "recorded date",
        "_submission_time",
    ),
}

_SELECTED_CHOICE = re.compile(r"^(.*?)\s+-\s+selected choice$", re.S | re.I)
_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$", re.S)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def is_personal(header: str) -> bool:
    return is_personal_name(header_key(header))


_NAME_WORDS = ("name", "email", "submittedby")


def holds_names(header: str) -> bool:
    """A personal-data column whose values are names or email addresses (first name,
    RecipientLastName, Email Address, Submitted by...): read only to scrub quotes."""
    compact = _NON_ALNUM.sub("", header_key(header))
    return is_personal(header) and any(w in compact for w in _NAME_WORDS)


@dataclass(frozen=True)
class ColumnPlan:
    """A column to read: whole answers of ``question``, or the tick of one of its options."""

    index: int
    label: str
    question: Question
    option: int | None = None  # index into question.options for one-column-per-option
    # The header is the name relimpact's builder gave the question in this tool (a
    # Qualtrics tag, a LimeSurvey code, a REDCap field name): only then are the answer
    # codes that builder wrote (positions, -1 for "Don't know") read as answers.
    tool: bool = False


@dataclass(frozen=True)
class FilePlan:
    columns: tuple[ColumnPlan, ...]
    ignored: tuple[IgnoredColumn, ...]
    problems: tuple[Problem, ...]
    time_column: int | None  # the submission time column, for keeping the latest
    # Columns that say whether a row is a finished, real response: (index, rule), rule one
    # of "submitted" (LimeSurvey's submission date), "finished" and "status" (Qualtrics).
    completion: tuple[tuple[int, str], ...] = ()
    # Dropped columns of names and email addresses: their values are read only to scrub
    # quotes of them (relimpact.report.quotes), never kept as answers or shown.
    name_columns: tuple[int, ...] = ()
    # Questions whose columns were found but refused (in ``problems``): not "missing".
    refused: tuple[str, ...] = ()


# Headers of write-in columns ("Other", "Other (please specify)") in the exporters'
# languages: they belong to the choice or multi question whose columns they follow.
_WRITE_IN = {
    "other",
    "other (please specify)",
    "other - please specify",
    "other, please specify",
    "autre",
    "autre (veuillez préciser)",
    "sonstiges",
    "andere",
    "otro",
    "otra",
    "outro",
    "anders",
    "altro",
    "arall",
}
_WRITE_IN_KEYS = {normalize(x) for x in _WRITE_IN}
_COMPLETION = {
    "limesurvey": {"submitdate": "submitted", "date submitted": "submitted"},
    "qualtrics": {"finished": "finished", "status": "status"},
    "redcap": {"complete?": "redcap-complete"},  # and FORM_complete in a raw export
}
_REDCAP_CHOICE = re.compile(r"^(.*?)\s*\(choice=(.*)\)$", re.S)


def _redcap_key(key: str, suffix: str) -> bool:
    """A raw REDCap export's instrument column: ``FORM_timestamp``, ``FORM_complete``."""
    return key.endswith(suffix) and len(key) > len(suffix) and " " not in key


class _Index:
    def __init__(self, survey: Survey, fmt: str = "") -> None:
        # The names relimpact's builders gave the questions in this tool (toolnames).
        self.tool: dict[str, tuple[Question, int | None]] = {}
        if fmt in TOOLS:
            for name, found in tool_names(fmt, survey).columns.items():
                self.tool.setdefault(normalize(name), found)
        self.roster = survey.network_map.members if survey.network_map is not None else ()
        self.by_key: dict[str, list[Question]] = defaultdict(list)
        for q in survey.questions:
            for key in {normalize(q.id), normalize(q.text), *map(normalize, q.aliases)} - {""}:
                self.by_key[key].append(q)
        self.by_text: dict[str, list[Question]] = defaultdict(list)
        for q in survey.questions:
            self.by_text[normalize(q.text)].append(q)
        self.options: dict[str, list[tuple[Question, int]]] = defaultdict(list)
        for q in survey.questions:
            if q.type == "multi":
                for k, opt in enumerate(q.options):
                    self.options[normalize(opt)].append((q, k))
        # A connections question with tie levels is a grid: one column per roster member,
        # the level as the answer ("Question [Member]", or the XLSForm name "q_member").
        self.level_cells: dict[str, list[tuple[Question, int]]] = defaultdict(list)
        self.levels_questions = [q for q in survey.questions if _levelled(q)]
        for q in survey.questions:
            if q.type == "connections" and q.levels is not None:
                for k, name in enumerate(choice_names(self.roster)):
                    self.level_cells[normalize(f"{q.id}_{name}")].append((q, k))

    def questions(self, text: str) -> list[Question]:
        return self.by_key.get(normalize(text), [])


def member_index(roster: tuple[str, ...], text: str) -> int | None:
    """The roster member named by ``text``: their name (normalised) or its XML name."""
    n = normalize(text)
    for k, m in enumerate(roster):
        if normalize(m) == n:
            return k
    s = slug(text)
    for k, m in enumerate(roster):
        if s and s in xml_names(m):
            return k
    return positional_names(roster).get(s) if s else None


def _levelled(q: Question) -> bool:
    return q.type == "connections" and q.levels is not None


def option_index(q: Question, text: str) -> int | None:
    """The option of ``q`` named by ``text``: its label (normalised) or its XML name."""
    n = normalize(text)
    for k, opt in enumerate(q.options):
        if normalize(opt) == n:
            return k
    s = slug(text)
    for k, opt in enumerate(q.options):
        if s and s in xml_names(opt):
            return k
    if s and (k := positional_names(q.options).get(s)) is not None:
        return k
    key = code_key(text)
    for k in range(len(q.options)):  # the option's export codes name its column too
        if any(code_key(c) == key for c in q.codes_of(k)):
            return k
    return None


_Found = tuple[Question, "int | None"]


def _pair(index: _Index, prefix: str, text: str, prefix_parts: tuple[str, ...] = ()) -> list:
    """Grid form: PREFIX a multi question and TEXT its option (the column is in that
    question's block), or else TEXT names a question."""
    block = [
        (q, option_index(q, text))
        for q in index.questions(prefix)
        if q.type == "multi" and option_index(q, text) is not None
    ]
    block += [
        (q, member_index(index.roster, text))
        for q in index.questions(prefix)
        if _levelled(q) and member_index(index.roster, text) is not None
    ]
    if block:
        return block
    block = [  # one member's column of a connections question (LimeSurvey "Text [Member]")
        (q, _roster_index(index, text))
        for q in index.questions(prefix)
        if q.type == "connections" and _roster_index(index, text) is not None
    ]
    if block:
        return block
    found = [(q, None) for q in index.questions(text)]
    if found:
        return found
    for p in (prefix, *prefix_parts):
        for q in index.questions(p):
            if q.type == "multi":
                k = option_index(q, text)
                if k is not None:
                    found.append((q, k))
            elif normalize(text) == "selected choice":
                found.append((q, None))
        if found:
            return found
    return found


def _roster_index(index: _Index, text: str) -> int | None:
    n = normalize(text)
    for k, member in enumerate(index.roster):
        if normalize(member) == n:
            return k
    return None


def _candidates(index: _Index, h: Header, fmt: str) -> list:
    """Every (question, option) the header can mean, by the first rule that finds any."""
    if index.tool and not h.sub:  # the name relimpact's builder gave it in this tool
        for cell in (h.text, *h.others):
            found = index.tool.get(normalize(cell))
            if found is not None:
                return [found]
    if fmt == "redcap" and (m := _REDCAP_CHOICE.match(h.text)):
        # a labels export's checkbox column: "Field label (choice=Choice label)"
        for q in index.questions(m.group(1)):
            if q.type == "multi" and (k := option_index(q, m.group(2))) is not None:
                return [(q, k)]
            if q.type == "connections" and (k := _roster_index(index, m.group(2))) is not None:
                return [(q, k)]
    if h.sub:
        found = [(q, None) for q in index.questions(h.label)]
        return found or _pair(index, h.text, h.sub)
    if fmt == "limesurvey":  # "code. text" headings: the question code decides
        for code in h.others:
            found = [(q, None) for q in index.questions(code)]
            if found:
                return found
    text = h.text
    found = [(q, None) for q in index.questions(text)]
    if found:
        return found
    found = list(index.level_cells.get(normalize(text), ()))
    if not found and fmt in ("kobo", "odk-central", "csv"):  # a group path before the name
        found = list(index.level_cells.get(normalize(text.split("/")[-1]), ()))
    if not found and fmt in ("kobo", "redcap", "microsoft-forms"):
        # a member x level grid headed by the member alone: Kobo's labels export without
        # group names, REDCap's labels export of a matrix, a Microsoft Forms Likert question
        levelled = index.levels_questions
        k = member_index(index.roster, text) if len(levelled) == 1 else None
        found = [(levelled[0], k)] if k is not None else []
    if found:
        return found
    m = _SELECTED_CHOICE.match(text)
    if m:
        found = [(q, None) for q in index.questions(m.group(1))]
        if found:
            return found
    if text.endswith("]"):
        # "Title [statement]" (Google Forms grids, LimeSurvey full-text headings): either
        # text may hold brackets of its own ("The network [or coalition] helps me."), so
        # each "[" is tried as the start of the statement, and the survey's own texts
        # say which one it is.
        for m in re.finditer(r"\[", text):
            found = _pair(index, text[: m.start()].rstrip(), text[m.end() : -1])
            if found:
                return found
    for m in re.finditer(r"\s+-\s+", text):
        found = _pair(index, text[: m.start()], text[m.end() :])
        if found:
            return found
    if fmt == "qualtrics":  # the legacy layout joins block and row without spaces
        for m in re.finditer("-", text):
            found = _pair(index, text[: m.start()], text[m.end() :])
            if found:
                return found
    if fmt in ("kobo", "odk-central", "csv"):
        seps = "/-" if fmt == "odk-central" else "/"
        for k, ch in enumerate(text):
            if ch in seps:
                prefix = text[:k]
                parts = tuple(re.split(r"[/-]", prefix)[-1:]) if fmt == "odk-central" else ()
                found = _pair(index, prefix, text[k + 1 :], parts + (prefix.split("/")[-1],))
                if found:
                    return found
    for other in h.others:
        if other.startswith("{"):
            try:
                other = str(json.loads(other).get("ImportId", ""))
            except (ValueError, AttributeError):
                continue
        found = [(q, None) for q in index.questions(other)]
        if found:
            return found
    if fmt == "typeform":
        found = index.options.get(normalize(text), [])
        if found:
            return list(found)
    return []


def plan_columns(survey: Survey, table: RawTable) -> FilePlan:
    """Match a table's columns to the survey's questions."""
    fmt = table.format
    index = _Index(survey, fmt)
    ignored: list[IgnoredColumn] = []
    problems: list[Problem] = []
    refused: list[str] = []  # ids of questions whose columns are refused in problems
    found_by_col: dict[int, tuple[Header, Question, int | None]] = {}
    ms_suffixed: dict[int, tuple[Header, str, int]] = {}
    last_multi: Question | None = None
    previous: Question | None = None  # the question of the column before, for write-ins
    completion: list[tuple[int, str]] = []
    writeins: set[int] = set()  # write-in columns ("Other") kept beside an answer column
    rules = _COMPLETION.get(fmt, {})
    time_keys = TIME_COLUMNS.get(fmt, ())
    time_column: int | None = None
    time_rank = len(time_keys)
    name_columns: list[int] = []
    tool_cols: set[int] = set()  # headers that are the names relimpact's builder gave
    name = table.name

    for h in table.headers[: max(table.content_width, 1)]:
        key = header_key(h.text)
        if not h.sub and key in time_keys and time_keys.index(key) < time_rank:
            time_column, time_rank = h.index, time_keys.index(key)
        if fmt == "redcap" and _redcap_key(key, "_timestamp") and time_column is None:
            time_column = h.index
        for cell in (h.text, *h.others):
            rule = rules.get(header_key(cell))
            if fmt == "redcap" and _redcap_key(header_key(cell), "_complete"):
                rule = "redcap-complete"
            if rule and not h.sub:
                completion.append((h.index, rule))
                break
        if not h.label and not h.others:
            ignored.append(IgnoredColumn(f"column {h.index + 1} (no header)", name, UNMATCHED))
            previous = None
            continue
        found = _candidates(index, h, fmt)
        if index.tool and any(normalize(c) in index.tool for c in (h.text, *h.others)):
            tool_cols.add(h.index)
        writein = normalize(h.sub or h.text) in _WRITE_IN_KEYS and previous is not None
        if writein and (not found or found == [(previous, previous.other_index)]):
            assert previous is not None
            if previous.type in ("choice", "multi") and previous.other:
                found_by_col[h.index] = (h, previous, previous.other_index)
                writeins.add(h.index)
            else:
                ignored.append(
                    IgnoredColumn(
                        h.label,
                        name,
                        f"write-in answers of question '{previous.id}' (add 'other: true' to "
                        "it in survey.yaml to count them as Other)",
                    )
                )
            continue
        if fmt == "microsoft-forms" and len(found) > 1:
            same = index.by_text.get(normalize(h.text), [])
            found = [(same[0], None)] if same and all(q in same for q, _ in found) else found
        # A column that matches a question is that question, whatever its header's first
        # word ("Email updates are useful", "Location (Census Region)"); any other column
        # that looks like personal data is dropped here and never read.
        personal = not h.sub and (is_personal(h.text) or any(map(is_personal, h.others)))
        if personal and not found:
            ignored.append(IgnoredColumn(h.label, name, PERSONAL_DATA))
            previous = None
            if holds_names(h.text) or any(map(holds_names, h.others)):
                name_columns.append(h.index)
            continue
        if not found and fmt == "microsoft-forms":
            m = _TRAILING_NUMBER.match(h.text)
            if m and int(m.group(2)) >= 2 and index.by_text.get(normalize(m.group(1))):
                ms_suffixed[h.index] = (h, normalize(m.group(1)), int(m.group(2)))
                continue
        if len(found) > 1 and fmt == "typeform":
            found = _within_block(found, last_multi, previous, found_by_col)
        if len({id(q) for q, _ in found}) > 1 or len(found) > 1:
            names = ", ".join(sorted({q.id for q, _ in found}))
            refused.extend(q.id for q, _ in found)
            problems.append(
                Problem(
                    f'{name}, column "{h.label}"',
                    f"this header matches several questions: {names}.",
                    "Give the questions different texts or aliases in survey.yaml, or use the "
                    "question ids as headers.",
                )
            )
            continue
        if not found:
            meta = key in _METADATA or any(header_key(o) in _METADATA for o in h.others)
            meta = meta or (
                fmt == "redcap"
                and (_redcap_key(key, "_timestamp") or _redcap_key(key, "_complete"))
            )
            ignored.append(IgnoredColumn(h.label, name, METADATA if meta else UNMATCHED))
            previous = None
            continue
        q, opt = found[0]
        if q.type == "multi":
            last_multi = q
        previous = q
        found_by_col[h.index] = (h, q, opt)

    # Microsoft Forms: "Title", "Title2", "Title3" -> the 1st, 2nd, 3rd question with that title.
    for col, (h, text_key, n) in ms_suffixed.items():
        same = index.by_text[text_key]
        if n <= len(same):
            found_by_col[col] = (h, same[n - 1], None)
        else:
            problems.append(
                Problem(
                    f'{name}, column "{h.label}"',
                    f"this looks like a repeated question title, but the survey has "
                    f"{len(same)} question{'s' if len(same) != 1 else ''} with that text.",
                    "Give the question an alias in survey.yaml equal to this header, or remove "
                    "the column.",
                )
            )
    # Unsuffixed repeated titles go to the first question with that text.
    by_question: dict[str, list[tuple[Header, Question, int | None]]] = defaultdict(list)
    for col in sorted(found_by_col):
        h, q, opt = found_by_col[col]
        by_question[q.id].append((h, q, opt))

    columns: list[ColumnPlan] = []
    for entries in by_question.values():
        whole = [e for e in entries if e[2] is None]
        per_option = [e for e in entries if e[2] is not None]
        if len(whole) > 1:
            problems.append(_same_question_problem(name, [h for h, _, _ in whole], whole[0][1]))
            refused.append(whole[0][1].id)
            continue
        if whole and _levelled(whole[0][1]):
            h, q, _ = whole[0]
            refused.append(q.id)
            problems.append(
                Problem(
                    f'{name}, column "{h.label}"',
                    f"question '{q.id}' has tie levels (levels: {q.levels}), so its answers "
                    "need one column per member, with the level as the answer "
                    f'("{q.text} [member]"); this column holds the whole answer.',
                    "Export the grid question as it was asked (one column per member), or "
                    f"remove 'levels' from question '{q.id}' in survey.yaml if it was asked "
                    "as a plain list of members.",
                )
            )
            continue
        if whole:
            h, q, _ = whole[0]
            columns.append(ColumnPlan(h.index, h.label, q, tool=h.index in tool_cols))
            for ho, _, opt in per_option:
                if ho.index in writeins:
                    columns.append(
                        ColumnPlan(ho.index, ho.label, q, opt, tool=ho.index in tool_cols)
                    )
                    continue
                ignored.append(
                    IgnoredColumn(
                        ho.label,
                        name,
                        f'same answers as column "{h.label}" (one column per option)',
                    )
                )
            continue
        if per_option and per_option[0][1].type == "choice":  # a write-in column alone
            for h, q, opt in per_option:
                columns.append(ColumnPlan(h.index, h.label, q, opt, tool=h.index in tool_cols))
            continue
        seen: dict[int, Header] = {}
        for h, q, opt in per_option:
            assert opt is not None
            if opt in seen:
                what = (
                    f"member '{index.roster[opt]}'"
                    if _levelled(q)
                    else f"option '{q.options[opt]}'"
                )
                problems.append(
                    Problem(
                        f'{name}, columns "{seen[opt].label}" and "{h.label}"',
                        f"both hold {what} of question '{q.id}'.",
                        "Remove or rename one of them.",
                    )
                )
                continue
            seen[opt] = h
            columns.append(ColumnPlan(h.index, h.label, q, opt, tool=h.index in tool_cols))

    if not columns and not problems:
        problems.append(
            Problem(
                name,
                f"none of the {len(table.headers)} columns matches a question of survey "
                f"'{survey.id}'.",
                "Column headers must equal a question's id, text or one of its aliases; check "
                "that this file holds responses to this survey ('relimpact inspect' lists the "
                "columns).",
            )
        )
    columns.sort(key=lambda c: c.index)
    return FilePlan(
        tuple(columns),
        tuple(ignored),
        tuple(problems),
        time_column,
        tuple(completion),
        name_columns=tuple(name_columns),
        refused=tuple(dict.fromkeys(refused)),
    )


def column_letter(index: int) -> str:
    """A spreadsheet's name for the 0-based column ``index``: A ... Z, AA, AB ..."""
    out = ""
    k = index + 1
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _same_question_problem(name: str, headers: list[Header], q: Question) -> Problem:
    """Several whole-answer columns for one question: which holds its answers is a guess.
    The columns are named by position (their headers are often the very same text)."""
    numbers = " and ".join(str(h.index + 1) for h in headers)
    letters = " and ".join(column_letter(h.index) for h in headers)
    every = "both" if len(headers) == 2 else "all"
    if len({h.label for h in headers}) == 1:
        headed = f'are {every} headed "{headers[0].label}"'
    else:
        headed = "are headed " + " and ".join(f'"{h.label}"' for h in headers)
    return Problem(
        f"{name}, columns {numbers} ({letters} in a spreadsheet)",
        f"these columns {headed}, and {every} match question '{q.id}': which one holds its "
        "answers cannot be told.",
        "Delete the columns that do not belong to it (a column copied twice), or, if each is "
        "a different question, rename its header and give it as that question's alias in "
        "survey.yaml.",
    )


def _within_block(
    found: list,
    last_multi: Question | None,
    previous: Question | None,
    taken: dict[int, tuple[Header, Question, int | None]],
) -> list:
    """Typeform gives each option of a multi question its own column, headed by the option
    alone: a column belongs to the question whose block it continues, or else to the one
    question among the candidates whose option it names has no column yet."""
    for q in (previous, last_multi):
        if q is not None:
            mine = [f for f in found if f[0] is q]
            if mine:
                return mine
    claimed = {(q.id, opt) for _, q, opt in taken.values()}
    free = [f for f in found if (f[0].id, f[1]) not in claimed]
    return free if len({f[0].id for f in free}) == 1 else found
