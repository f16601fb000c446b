"""Quotes for reports: only where the respondent said yes, with personal details removed.

Which answers may be quoted (``select_quotes``):

- the question is a ``text`` question marked ``quotable: true``;
- the respondent answered the survey's ``consent`` question with yes (a blank, a no, or a
  survey with no consent question means no quotes at all);
- the respondent is in no group too small to be shown (fewer than ``min_group_size``
  people, the blank group included) in any segment of the score result, so no quote can
  come from a suppressed group. Quotes are never attributed to a group: they carry no
  role, area or other segment answer. (A larger group that is hidden only so that a small
  one cannot be worked out by subtraction still gives quotes: an unattributed quote
  reveals no figure.);
- at least ``min_group_size`` respondents consented and wrote a quotable answer. With fewer,
  a reader who knows who said yes could tell who wrote what, so no quote is shown;
- after scrubbing, the answer still says something (a few words).

Scrubbing (``scrub``) replaces, in this order: email addresses with ``[email]``, web
addresses with ``[link]``, phone numbers with ``[phone]``, UK postcodes with ``[postcode]``,
social media handles with ``[name]``, and people's names with ``[name]``. Names are found
from the roster of the survey's network map (when it has one), after a title (Mr, Mrs, Ms,
Dr, ...), in "my name is ...", "I'm ..." or "call me ...", and from a bundled list of common
UK given names matched as capitalised whole words (or upper case, four letters or more),
together with a capitalised word that follows as a surname. Given names that are also
ordinary words or places (Will, May, Grace, Hope, Jordan, ...) are left out of the list so
that ordinary sentences are not redacted; such a name is still removed after a title or in
"my name is". Lower-case names ("ask sarah") are not caught by the list; roster names are
matched in any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relimpact.responses import ResponseSet
    from relimpact.scoring import ScoreResult

NAME = "[name]"
MIN_WORDS = 4  # a scrubbed answer shorter than this says too little to quote
MAX_CHARS = 600  # longer answers are not quoted whole; they are left out

# A few hundred given names common in the UK across generations and communities. Names
# that are also ordinary English words, months or places are deliberately absent.
_GIVEN_NAMES = """
Aaliyah Aaron Abdul Abdullah Abigail Adam Adebayo Adele Adrian Ahmed Aidan Aisha Alan Albert
Alex Alexander Alexandra Alfie Ali Alice Alicia Alison Amanda Amara Amelia Amir Amy Andrea
Andrew Andy Aneesa Angela Anita Ann Anna Anne Annie Anthony Anton Anwar Archie Arjun Arthur
Asha Ashley Ayesha Barbara Barry Beatrice Becky Ben Benjamin Bernard Beth Bethany Beverley
Bilal Brenda Brian Bridget Caitlin Callum Cameron Carl Carla Carlos Caroline Catherine
Charlie Charlotte Chidi Chloe Chris Christine Christopher Claire Clare Colin Connor Craig
Damian Daniel Danielle Darren David Deborah Debbie Declan Deepak Denise Derek Diana Diane
Dominic Donna Dylan Edward Eilidh Eleanor Elizabeth Ella Ellie Emily Emma Eric Erin Esther
Ethan Evelyn Fatima Fiona Finlay Finn Fraser Freddie Freya Gareth Gary Gemma Geoffrey
George Georgina Gillian Glenn Gordon Graham Gurpreet Hamza Hannah Harriet Harry Hassan
Helen Henry Hollie Howard Hugh Hussein Ian Imran Isaac Isabel Isabella Isla Ibrahim Jacob
Jacqueline Jake James Jamie Jane Janet Jasmin Jason Jayden Jeff Jennifer Jenny Jeremy
Jessica Joan Joanne Joe Joel John Jonathan Joseph Josh Joshua Josie Joyce Judith Judy Julia
Julian Julie Justin Kai Karen Kate Katherine Kathleen Katie Kavita Keith Kelly Kemi Kerry
Kevin Khadija Kieran Kim Kirsty Kwame Laura Lauren Layla Leah Leon Lewis Liam Linda
Lindsay Lisa Logan Lois Lorna Louise Lucy Luke Lydia Lynn Lynne Maddie Madeleine Malcolm
Manjit Margaret Maria Marie Marion Martin Martyn Mary Matthew Maureen Megan Melanie Michael
Michelle Mohammed Mohammad Muhammad Naomi Nasreen Natalie Nathan Neil Niamh Nicholas Nicola
Nigel Nikhil Nina Noah Norma Nuala Oliver Olivia Omar Owen Pamela Patricia Paul
Pauline Peter Philip Phoebe Priya Rachel Rahul Rajesh Rebecca Rhys Richard Rita Robert
Roberta Rosie Rory Ruth Ryan Sadia Sally Samantha Samir Samuel Sandra Sanjay Sarah Saskia
Scott Sean Shabana Shannon Sharon Sheila Shirley Simon Sinead Siobhan Sonia Sophie Stacey
Stephanie Stephen Steve Steven Stuart Susan Suzanne Tanya Tariq Teresa Thomas Tim Timothy
Tina Toby Tom Tomasz Tony Tracey Tracy Trevor Usman Valerie Vanessa Vicky Vincent Wendy
William Yasmin Yusuf Zainab Zara Zoe Bronwen Cerys Dafydd Gethin Rhian Seren Siân
Aoife Ciara Eoin Oisín Padraig Morag Hamish Alastair Ewan Kirstie Agnieszka Magdalena Piotr
Krzysztof Olena Oksana Dmitri Ngozi Oluwaseun Tunde Folake Abimbola Chiamaka Ama Kofi Yaw
Mei Wei Hui Minh Thanh Sunita Anjali Meera Harpreet Jaspreet Balvinder Parveen Shazia
Rukhsana Nadia Samira Leila Yusra Abdi Hodan Farah Mustafa Khalid Rashid Kamal
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GIVEN_NAMES: frozenset[str] = _words(_GIVEN_NAMES)

TITLES = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Prof",
    "Professor",
    "Rev",
    "Revd",
    "Reverend",
    "Sir",
    "Dame",
    "Lady",
    "Lord",
    "Cllr",
    "Councillor",
    "Father",
    "Sister",
    "Auntie",
    "Aunty",
    "Uncle",
)

# Capitalised words that may follow a given name without being a surname.
_NOT_SURNAMES = _words(
    """
    I I'm I've I'd I'll The A An And But Or So Then This That These Those We You He She They It
    Our Your His Her Their My Me Us In On At To For From With Without By Of Off Up Down Over
    When Where Who Why How What Which While Because If As Also Just Only Even Still Yes No
    Not All Some Many Most Every Each Both Network Team Group Forum Trust Council Centre Center
    Project Hub Foundation Charity Community Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April June July August September October November December
    NHS UK CIC
    """
)

# Capitalised words that follow "I'm" / "I am" without being names.
_NOT_NAMES_AFTER_IM = _words(
    """
    I A An The Not So Very Really Just Still Also Always Never Now Here There Sure Glad Happy
    Proud Grateful Thankful Sorry Afraid British English Scottish Welsh Irish Black White Asian
    Muslim Christian Jewish Sikh Hindu Deaf Disabled Autistic Retired New Part Back One Chair
    Treasurer Secretary Trustee Director Manager Head Lead Co Vice On In At From With Of For
    """
)

_CAP = r"[A-Z][a-zA-Z'\u00C0-\u017F-]+"
_EMAIL = re.compile(
    r"[\w.+-]+(?:@|\s?[(\[]at[)\]]\s?)[\w-]+(?:(?:\.|\s?[(\[]dot[)\]]\s?)[\w-]+)+", re.I
)
_TRAILING = ".,;:!?"
_URL = re.compile(
    r"(?:\bhttps?://|\bwww\.)[^\s<>\"')\]]+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co\.uk|org\.uk|ac\.uk|gov\.uk|uk|io|info)"
    r"(?:/[^\s<>\"')\]]*)?(?![\w.])",
    re.I,
)
_PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().-]{7,}\d(?![\w/])")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z_][\w.]{1,30}\b")
_TITLE = re.compile(r"\b(?:" + "|".join(TITLES) + r")\.?\s+(" + _CAP + r")(\s+" + _CAP + r")?")
_INTRO = re.compile(
    r"\b((?i:my name is|my name's|i'm called|i am called|call me|signed|regards|thanks|cheers))"
    r"(,?\s+)(" + _CAP + r")(\s+" + _CAP + r")?"
)
_IM = re.compile(r"\b(I'm|I\u2019m|I am)(\s+)(" + _CAP + r")")
_WORD = re.compile(r"[A-Za-z\u00C0-\u017F][A-Za-z'\u00C0-\u017F-]*")
_SQUASH = re.compile(r"\[name\](?:\s+\[name\])+")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _link(match: re.Match[str]) -> str:
    text = match.group(0)
    kept = text.rstrip(_TRAILING)
    return "[link]" + text[len(kept) :]


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    # 9 to 15 digits: UK numbers (10-11), with +44; years ("2019-2023") and counts stay.
    return "[phone]" if 9 <= _digits(text) <= 15 else text


def _surname_tail(match: re.Match[str], group: int) -> str:
    """The optional second capitalised word, kept when it is not a surname ("And", "Network")."""
    tail = match.group(group) or ""
    return tail if tail.strip() in _NOT_SURNAMES else ""


def _title(match: re.Match[str]) -> str:
    return NAME + _surname_tail(match, 2)


def _intro(match: re.Match[str]) -> str:
    lead = match.group(1).lower()
    if lead in ("thanks", "cheers", "regards", "signed") and match.group(3) not in GIVEN_NAMES:
        return match.group(0)
    if match.group(3) in _NOT_SURNAMES:
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{NAME}{_surname_tail(match, 4)}"


def _im(match: re.Match[str]) -> str:
    word = match.group(3)
    if word in _NOT_NAMES_AFTER_IM or word.isupper() and len(word) > 1:
        return match.group(0)
    if word.endswith(("ed", "ing", "ful", "ish", "ive", "ous", "able", "ible")):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{NAME}"


def _roster_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not parts:
        return None
    alternatives = "|".join(re.escape(p) for p in parts)
    return re.compile(r"(?<![\w])(?:" + alternatives + r")(?![\w])", re.I)


def _given_names(text: str) -> str:
    """Replace list names (capitalised or upper case) and a capitalised surname after them."""
    out: list[str] = []
    pos = 0
    matches = list(_WORD.finditer(text))
    i = 0
    while i < len(matches):
        m = matches[i]
        word = m.group(0)
        base = word[:-2] if word.endswith(("'s", "\u2019s")) else word
        candidate = base.capitalize() if base.isupper() and len(base) >= 4 else base
        is_name = candidate in GIVEN_NAMES
        if not is_name:
            i += 1
            continue
        end = m.end() - (len(word) - len(base))
        j = i + 1
        if j < len(matches) and base == word:
            nxt = matches[j]
            between = text[m.end() : nxt.start()]
            surname = nxt.group(0)
            sbase = surname[:-2] if surname.endswith(("'s", "\u2019s")) else surname
            if between in (" ", "-") and sbase[0].isupper() and sbase not in _NOT_SURNAMES:
                end = nxt.start() + len(sbase)
                j += 1
        out.append(text[pos : m.start()])
        out.append(NAME)
        pos = end
        i = j
    out.append(text[pos:])
    return "".join(out)


def scrub(text: str, *, names: Sequence[str] = ()) -> str:
    """``text`` with emails, links, phone numbers, postcodes, handles and names replaced.

    ``names`` are extra names to remove wherever they appear, in any case (the roster of
    the survey's network map, say).

    >>> scrub("Ring Sarah Jones on 07700 900123 or sarah@example.org")
    'Ring [name] on [phone] or [email]'
    """
    s = _EMAIL.sub("[email]", text)
    s = _URL.sub(_link, s)
    s = _PHONE.sub(_phone, s)
    s = _POSTCODE.sub("[postcode]", s)
    s = _HANDLE.sub(NAME, s)
    roster = _roster_pattern(names)
    if roster is not None:
        s = roster.sub(NAME, s)
    s = _TITLE.sub(_title, s)
    s = _INTRO.sub(_intro, s)
    s = _IM.sub(_im, s)
    s = _given_names(s)
    return _SQUASH.sub(NAME, s)


@dataclass(frozen=True)
class Quote:
    question: str  # question id
    question_text: str
    text: str  # scrubbed


@dataclass(frozen=True)
class QuotePool:
    """The quotes that may be used, and why there are none when there are none."""

    quotes: tuple[Quote, ...]
    consented: int  # respondents who said yes and wrote a quotable answer
    note: str  # plain words for the report when no quote can be shown; "" otherwise


def _hidden_respondents(result: ScoreResult, responses: ResponseSet) -> set[int]:
    """Respondents in a group too small to show: fewer than ``min_group_size`` people in a
    group of any segment of the result (the blank group included)."""
    k = responses.survey.min_group_size
    hidden: set[int] = set()
    for qid in result.segments:
        cat = responses.choice.get(qid)
        if cat is None:
            continue
        codes = cat.codes.tolist()
        sizes: dict[int, int] = {}
        for code in codes:
            sizes[code] = sizes.get(code, 0) + 1
        hidden.update(i for i, code in enumerate(codes) if sizes[code] < k)
    return hidden


def _roster(responses: ResponseSet) -> tuple[str, ...]:
    nm = responses.survey.network_map
    if nm is None:
        return ()
    return tuple(nm.members) + tuple(nm.convenors)


def select_quotes(
    result: ScoreResult, responses: ResponseSet, *, per_question: int = 6
) -> QuotePool:
    """The quotes a report may show, chosen deterministically, following the module rules.

    Up to ``per_question`` per quotable question, spread evenly across the answers in
    file order so that the choice does not favour the first rows.
    """
    survey = responses.survey
    k = survey.min_group_size
    consent_q = survey.consent_question
    quotable = [q for q in survey.questions if q.type == "text" and q.quotable]
    if not quotable:
        return QuotePool((), 0, "")
    if consent_q is None or consent_q.id not in responses.consent:
        return QuotePool(
            (), 0, "No one's words are quoted: the survey does not ask permission to quote."
        )
    agreed = [bool(v) for v in responses.consent[consent_q.id].tolist()]
    hidden = _hidden_respondents(result, responses)
    roster = _roster(responses)
    writers = set()
    candidates: dict[str, list[str]] = {q.id: [] for q in quotable}
    for q in quotable:
        answers = responses.text.get(q.id, ())
        seen: set[str] = set()
        for i, raw in enumerate(answers):
            if not agreed[i] or not raw.strip():
                continue
            writers.add(i)
            if i in hidden or len(raw) > MAX_CHARS:
                continue
            clean = " ".join(scrub(raw, names=roster).split())
            words = [w for w in clean.split() if w != NAME]
            if len(words) < MIN_WORDS or clean.casefold() in seen:
                continue
            seen.add(clean.casefold())
            candidates[q.id].append(clean)
    if len(writers) < k:
        return QuotePool(
            (),
            len(writers),
            f"No one's words are quoted: fewer than {k} people said we could quote them, "
            "and with so few, a quote could show who wrote it.",
        )
    quotes: list[Quote] = []
    for q in quotable:
        pool = candidates[q.id]
        if not pool:
            continue
        take = min(per_question, len(pool))
        step = len(pool) / take
        picked = [pool[int(j * step)] for j in range(take)]
        quotes.extend(Quote(q.id, q.text, t) for t in picked)
    return QuotePool(tuple(quotes), len(writers), "")
