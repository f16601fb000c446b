"""Privacy that holds in every output (issue 12): each test builds its hostile input."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from relimpact import quotes as Q
from relimpact.quotes import KnownNames, scrub, select_quotes
from relimpact.scoring import score
from relimpact.survey import NetworkMap, Question
from tests.helpers import response_set, small_survey

# --------------------------------------------------------------------------- 1. scrubbing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two phone numbers in a row are one run, and the whole run goes
        ("Ring 07700 900123 07700 900456 any time", "Ring [phone] any time"),
        ("Ring 07700900123, 07700900456 any time", "Ring [phone], [phone] any time"),
        # a phone number glued to a word
        ("call07700900123 today", "call[phone] today"),
        ("ring me on 07700900123now", "ring me on [phone]now"),
        ("tel:+44(0)2079460958.", "[link]."),
        ("Tel+442079460958 ok", "Tel[phone] ok"),
        # IP addresses
        ("my laptop was 192.168.1.20 then", "my laptop was [ip] then"),
        ("it logged 2001:db8:85a3::8a2e:370:7334 and fe80::1%eth0", "it logged [ip] and [ip]"),
        ("::ffff:192.0.2.1 was the address", "[ip] was the address"),
        # obfuscated emails, replaced whole
        ("write to jane at example dot org please", "write to [email] please"),
        ("write to jane AT example DOT org please", "write to [email] please"),
        ("write to jane at example.org please", "write to [email] please"),
        ("write to jane&#64;example.org please", "write to [email] please"),
        ("write to jane [at] example [dot] org", "write to [email]"),
        ("write to jane @ example . org", "write to [email]"),
        ("mail john.o'brien@example.org soon", "mail [email] soon"),
        ("mail jane\uff20example.org soon", "mail [email] soon"),  # a full-width @
        # UK postcodes
        ("I live at SW1A 1AA now", "I live at [postcode] now"),
        ("in m1 1ae, near the park", "in [postcode], near the park"),
        ("post to EC1A1BB.", "post to [postcode]."),
        ("post to GIR 0AA.", "post to [postcode]."),
        # names
        ("Hi, I'm Clive and I run the choir", "Hi, I'm [name] and I run the choir"),
        ("Sarah-Jane Smith helped us", "[name] helped us"),
        ("Dr. Sarah-Jane Smith helped us", "[name] helped us"),
        # Markdown and any scheme: nothing to fetch
        ("look ![x](//host/p.png) here", "look ![x]([link]) here"),
        ("see [me](javascript:alert(1)) here", "see [me]([link])) here"),
        ("a data:image/png;base64,AAAA image", "a [link] image"),
        ("ftp://files.example.net/x and //cdn.host/a.js", "[link] and [link]"),
    ],
)
def test_scrub_catches_what_was_missed(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We met at 12:30:45 and talked until 14:00.",
        "I work at Oxfam. It is good to be here.",
        "Between 2019-2023 about 120 members came to 14 gatherings.",
        "The score went from 3.5 to 4.25 in a year.",
        "I'm Excited and I'm Hoping for more.",
    ],
)
def test_scrub_still_leaves_ordinary_sentences(text: str) -> None:
    assert scrub(text) == text


def test_known_names_and_codes_are_matched_whole() -> None:
    known = KnownNames(
        ["Clive Barker", "smith, jones & co", "Sarah-Jane Smith"], ["RC-0042", "rc-0099", "7"]
    )
    assert scrub("clive barker and Barker and Clive agreed", known=known) == (
        "[name] and [name] and [name] agreed"
    )
    assert scrub("we work with Smith, Jones & Co weekly", known=known) == (
        "we work with [name] weekly"
    )
    assert scrub("Jane said so, and so did Sarah-Jane", known=known) == (
        "[name] said so, and so did [name]"
    )
    # codes: anyone's from three characters, in any case; the writer's own at any length
    assert scrub("my code is rc-0042 and RC-0099 is hers", known=known) == (
        "my code is [code] and [code] is hers"
    )
    assert scrub("7 of us came", known=known) == "7 of us came"
    assert scrub("7 of us came", known=known, own=["7"]) == "[code] of us came"
    # a capitalised word from a known name is a name; the same word in lower case is not
    assert scrub("the barker dog", known=known) == "the barker dog"


def test_a_quote_that_says_little_once_redacted_is_not_chosen() -> None:
    assert not Q.says_enough("Ring [name] on [phone] or [email] please")
    assert not Q.says_enough("[name] [phone] thanks")
    assert Q.says_enough("The network found us a hall for the winter.")
    assert Q.says_enough("Thanks to [name] for finding us a hall for the winter.")


def _survey(k: int = 3):
    s = small_survey(min_group_size=k)
    qs = s.questions + (
        Question("code", "Member code", type="respondent"),
        Question("story", "Tell us a story", type="text", quotable=True),
        Question("ok", "May we quote you?", type="consent"),
    )
    return replace(s, questions=qs)


def _quote_responses(survey, stories, keys=None, names=frozenset()):
    n = len(stories)
    rs = response_set(
        survey,
        {"a1": [4.0] * n, "a2": [4.0] * n, "a3": [2.0] * n, "n1": [5.0] * n, "n2": [4.0] * n},
        choice={"role": ["Member"] * n},
        keys=keys,
    )
    return replace(
        rs,
        text={"story": tuple(stories)},
        consent={"ok": np.ones(n, dtype=bool)},
        known_names=frozenset(names),
    )


def test_quotes_lose_the_writers_own_code_other_codes_and_names_from_the_file() -> None:
    stories = [
        "My code is rc-0007 and the network found us a hall.",
        "I go to meetings with RC-0001 every month and love it.",
        "Clive and I started the garden group together last spring.",
        "Our food bank shares a van with another member now.",
        "Ask barnaby quayle, he knows the history of the place.",
    ]
    keys = ["rc-0001", "rc-0002", "rc-0003", "rc-0004", "rc-0007"]
    names = {"Clive Ormerod", "Barnaby Quayle", "barnaby.quayle@example.org"}
    rs = _quote_responses(_survey(), stories, keys, names)
    texts = [q.text for q in select_quotes(score(rs), rs).quotes]
    assert texts == [
        "My code is [code] and the network found us a hall.",
        "I go to meetings with [code] every month and love it.",
        "[name] and I started the garden group together last spring.",
        "Our food bank shares a van with another member now.",
        "Ask [name], he knows the history of the place.",
    ]


def test_quotes_lose_the_roster_names_in_any_case_and_word_by_word() -> None:
    s = replace(_survey(), network_map=NetworkMap(members=("Copperleaf Arts", "Tanner's Yard")))
    stories = [
        "We made a mural with copperleaf arts last summer holidays.",
        "Tanner's people lent us chairs for the whole festival.",
        "Our food bank shares a van with another member now.",
    ]
    rs = _quote_responses(s, stories)
    texts = [q.text for q in select_quotes(score(rs), rs).quotes]
    assert texts == [
        "We made a mural with [name] last summer holidays.",
        "[name]'s people lent us chairs for the whole festival.",
        "Our food bank shares a van with another member now.",
    ]


def test_only_the_candidates_are_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = Q.scrub

    def counting(text: str, **kw):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text, **kw)

    monkeypatch.setattr(Q, "scrub", counting)
    stories = [f"Answer number {i} says the network helped us a lot." for i in range(2000)]
    rs = _quote_responses(_survey(), stories)
    pool = select_quotes(score(rs), rs, per_question=6)
    assert len(pool.quotes) == 6
    assert len(calls) == 6  # not 2,000


def test_a_run_with_no_usable_answer_gives_no_quote_rather_than_a_thin_one() -> None:
    stories = ["Ring [name] on 07700 900123"] * 3 + ["The network found us a hall for winter."] * 3
    rs = _quote_responses(_survey(), stories)
    texts = [q.text for q in select_quotes(score(rs), rs, per_question=2).quotes]
    assert texts == ["The network found us a hall for winter."]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


QUOTE_SURVEY = """\
relimpact: 1
id: q
title: Quotes
min_group_size: 3
scales:
  agree5:
    points: {1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}
dimensions:
  lead: {label: Leadership, enabler: true}
questions:
  - {id: a1, text: A one, scale: agree5, dimension: lead}
  - {id: story, type: text, text: Tell us a story, quotable: true}
  - {id: ok, type: consent, text: "May we quote you?"}
  - {id: code, type: respondent, text: Member code}
"""


def test_names_in_dropped_columns_are_scrubbed_from_quotes(tmp_path: Path) -> None:
    from relimpact import load_survey, read_responses

    survey = load_survey(_write(tmp_path / "survey.yaml", QUOTE_SURVEY))
    csv = _write(
        tmp_path / "r.csv",
        "First name,Last name,Email Address,Member code,A one,Tell us a story,May we quote you?\n"
        "Clive,Ormerod,c.ormerod@example.org,RC-1,Agree,Ormerod and I met at a gathering,Yes\n"
        "Wilhelmina,Sparrow,w@example.org,RC-2,Agree,Wilhelmina runs the best sessions here,Yes\n"
        "Tobias,Quill,tq@example.org,RC-3,Agree,I asked ormerod for help and got it,Yes\n"
        "Ada,Lovell,ada@example.org,RC-4,Agree,My code RC-4 is on my badge at events,Yes\n",
    )
    rs = read_responses(survey, [csv])
    assert rs.known_names >= {"Clive", "Ormerod", "Wilhelmina", "c.ormerod@example.org"}
    texts = [q.text for q in select_quotes(score(rs), rs).quotes]
    assert texts == [
        "[name] and I met at a gathering",
        "[name] runs the best sessions here",
        "I asked [name] for help and got it",  # a whole name from the file, in any case
        "My code [code] is on my badge at events",
    ]


def test_survey_without_quotable_questions_keeps_no_names(tmp_path: Path) -> None:
    from relimpact import load_survey, read_responses

    text = QUOTE_SURVEY.replace("quotable: true", "quotable: false")
    survey = load_survey(_write(tmp_path / "survey.yaml", text))
    csv = _write(
        tmp_path / "r.csv",
        "Name,Member code,A one,Tell us a story,May we quote you?\n"
        "Clive Ormerod,RC-1,Agree,We met,Yes\nAda Lovell,RC-2,Agree,We met,Yes\n",
    )
    assert read_responses(survey, [csv]).known_names == frozenset()
