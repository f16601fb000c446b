"""Common first names, from the person providers of the ``faker`` package, as a lexicon
for scrubbing quotes (``quotes._given_names``).

A hand-typed paper round gives no name column and no roster, so the names the files give
away (``quotes.KnownNames``) find nothing in "Sue Patel got me onto the food rota". The
bundled list in ``quotes`` holds a few hundred UK names; this lexicon adds the
``first_names`` of the Latin-script locales in ``LOCALES`` (about 8,900 names of three
letters or more). It is loaded only when a quote is scrubbed (``faker`` takes a quarter of
a second to import, and neither ``relimpact --help`` nor ``score`` needs it), once per
``FirstNames`` object: a report makes one for all its quotes.

A name that is also a common English word (``AMBIGUOUS``: Will, May, Grace, Bill, Frank,
...) is taken for a name only where it clearly is one (``quotes._given_names``).
"""

from __future__ import annotations

import re

# faker's person providers written in Latin script that have a list of first names;
# en_AU, en_CA and en_PH have none in faker, so they are not here.
_LOCALES = (
    "en_GB en_US en_IE en_IN en_NZ en_PK en_KE en_NG ga_IE fr_FR fr_CA de_DE nl_NL es_ES "
    "es_MX it_IT pt_PT pt_BR pl_PL ro_RO tr_TR yo_NG ha_NG ig_NG zu_ZA sw tw_GH"
)
LOCALES = tuple(_LOCALES.split())

# A name of the lexicon: letters only, capitalised, perhaps with inner hyphens or
# apostrophes; three letters or more (two-letter names such as "Al" or "Jo" are left out).
_NAME = re.compile(r"[^\W\d_]{3,}(?:[-'][^\W\d_]+)*|[^\W\d_]+(?:[-'][^\W\d_]+)+")

# First names that are also common English words: the lexicon's names that an English
# word list gives in lower case, and names such as Will, May or Sky that faker does not
# list. Each is a name only before a capitalised surname or after a cue ("called",
# "named", "my friend", ...): "I will come back in May", "Grace and hope kept us going"
# stay as written. (The days of the week and the other months are never names: they are
# ordinary words to ``quotes._NOT_SURNAMES``.)
_AMBIGUOUS = """
    Will May Mark Bill Billy Grace Hope Joy Faith Rose Frank Sunny Summer June April Dawn
    Holly Ivy Lily Daisy Ruby Amber Pearl Iris Sky Chance Precious Blessing Art Bob Bobby
    Jack Abbey Angel Archer Aria August Aura Autumn Baptist Basil Beau Beryl Bonnie Brad
    Brandy Cal Canal Chad Charity Chase Clement Comfort Cooper Coral Cord Corona
    Crystal Curt Dale Dean Destiny Diamond Don Drew Duke Earl Ebony Edit Else Eve Fancy
    Fanny Feline Felicity Floor Flora Forum Gene Glen Grant Grit Guy Hardy Harm Harmony Harsh
    Hazel Heather Hunter Immaculate Innocent Jade Jasmine Jay Jet Job Kick Lance
    Lavender Lee Loot Lore Lot Lucky Mad Man Marina Marine Mason Max Melody Mercy
    Misty Nail Noel Nova Olive Pastor Patience Peace Penny Pierce Piper Poppy Prudence
    Purity Raid Randy Raven Ray Rick Robin Roger Roman Rosemary Sad Safari Said Sandy
    Savannah Server Sherry Sierra Sole Tan Tanner Till Toy Trinity Urban
    Valentine Victor Viola Violet Warren Willow Wolf
"""
AMBIGUOUS = frozenset(_AMBIGUOUS.split())

# Names of the lexicon that, without their accents, are common English words ("Över",
# "Şide", "Tomé"): only the names as written count for them, so that "Over the summer"
# or "Side by side" stays as written.
FOLDS_THAT_ARE_WORDS = frozenset(("Ascension", "Maxima", "Rares", "Tome", "Over", "Imam", "Side"))

# Letters that NFKD does not take apart but that keyboards without them type plainly:
# "Łukasz" as "Lukasz", "Đorđe" as "Dorde", "Søren" as "Soren", "Işık" as "Isik".
_PLAIN = str.maketrans("łŁđĐøØħĦıŀĿ", "lLdDoOhHilL")


def fold(word: str) -> str:
    """A word as names are compared without accents: its NFKD form with the combining marks
    removed, so "Seán" is "Sean", and "Ştefan" (s with a cedilla, as most keyboards type it)
    and "Ștefan" (with a comma below, the Romanian spelling) are both "Stefan"; "Łukasz" is
    "Lukasz" (``_PLAIN``: letters NFKD keeps whole)."""
    if word.isascii():
        return word
    import unicodedata

    plain = unicodedata.normalize("NFKD", word.translate(_PLAIN))
    return "".join(c for c in plain if not unicodedata.combining(c))


class FirstNames:
    """The lexicon, loaded from ``faker`` on first use and kept by this object only."""

    def __init__(self) -> None:
        self._names: frozenset[str] | None = None
        self._places: frozenset[str] = frozenset()
        self._folded: frozenset[str] = frozenset()  # the names without accents (``fold``)
        self._folded_ambiguous: frozenset[str] = frozenset()

    @property
    def names(self) -> frozenset[str]:
        """Every first name of ``LOCALES`` (capitalised, as faker writes them)."""
        if self._names is None:
            self._names = _load()
            self._places = _places(self._names)
            self._folded = frozenset(map(fold, self._names | AMBIGUOUS)) - FOLDS_THAT_ARE_WORDS
            self._folded_ambiguous = frozenset(map(fold, AMBIGUOUS | self._places))
        return self._names

    def __contains__(self, word: str) -> bool:
        """A first name of the lexicon, or one that is also an English word; with or
        without its accents ("Seán" for "Sean", "Zoe" for "Zoë")."""
        return word in AMBIGUOUS or word in self.names or fold(word) in self._folded

    def ambiguous(self, word: str) -> bool:
        """A first name that is also a common English word (``AMBIGUOUS``) or the name of
        a country, a US state or a UK county ("Jordan", "India", "Georgia", "Kent"), so
        is not taken for a name on its own; with or without its accents ("Rosé"). Towns
        are not in it: "Chelsea" or "Florence" is taken for a name, on the safe side."""
        if word in AMBIGUOUS or word in self.names and word in self._places:
            return True
        return fold(word) in self._folded_ambiguous


def _load() -> frozenset[str]:
    """The ``first_names`` of each of ``LOCALES`` (or its male and female names where it
    gives no list of both), single words that fit ``_NAME``."""
    import importlib

    found: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names = provider.__dict__.get("first_names") or ()
        if len(names) < 10:  # a placeholder list ("John", "Jane") in a few locales
            names = (
                *provider.__dict__.get("first_names_male", ()),
                *provider.__dict__.get("first_names_female", ()),
            )
        found.update(n for n in names if n[:1].isupper() and _NAME.fullmatch(n))
    return frozenset(found)


def _places(names: frozenset[str]) -> frozenset[str]:
    """The ``names`` that are countries (faker's English list), US states or UK counties."""
    import importlib

    found: set[str] = set()
    for module, attribute in (("en", "countries"), ("en_US", "states"), ("en_GB", "counties")):
        provider = importlib.import_module(f"faker.providers.address.{module}").Provider
        found.update(provider.__dict__.get(attribute, ()))
    return frozenset(found & names)
