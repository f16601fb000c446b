"""The members report reads easily: Flesch reading ease of 70 or more in every section.

Flesch reading ease = 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)
(Flesch 1948; 60-70 is plain English, 70-80 fairly easy). Syllables are counted with the
usual vowel-group rule (a silent final "e", "es" or "ed" dropped, at least one per word),
the rule most readability tools use. Respondents' own words (the quotes) are left out:
they are theirs, not the report's.
"""

from __future__ import annotations

import re

import pytest

from relimpact.report.render import render_report
from relimpact.scoring.engine import score


def syllables(word: str) -> int:
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def flesch(text: str) -> float:
    sentences = [s for s in re.split(r"[.!?:;]+(?:\s|$)|\n", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", text)
    syllable_count = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / len(sentences) - 84.6 * syllable_count / len(words)


def test_the_formula_on_known_sentences() -> None:
    assert syllables("the") == 1 and syllables("network") == 2 and syllables("people") == 2
    assert flesch("The cat sat on the mat.") > 100  # one-syllable words, a short sentence
    hard = (
        "Organisational accountability necessitates comprehensive institutional "
        "evaluation of interdependent stakeholder relationships."
    )
    assert flesch(hard) < 0


def sections(markdown: str) -> dict[str, str]:
    out = {}
    for part in markdown.split("\n## ")[1:]:
        title, _, body = part.partition("\n")
        body = "\n".join(line for line in body.splitlines() if not line.startswith("> "))
        out[title] = body.replace("|", " ").replace("*", "")
    return out


@pytest.fixture(scope="module")
def members_reports(tmp_path_factory):
    from relimpact.demo import BASELINE, RESPONSES, demo_survey_text, examples_dir
    from relimpact.read.reading import read_responses
    from relimpact.survey.load import load_survey

    path = tmp_path_factory.mktemp("demo") / "survey.yaml"
    path.write_text(demo_survey_text(), encoding="utf-8")
    out = {}
    survey = load_survey(path)
    now = read_responses(survey, [examples_dir() / RESPONSES])
    then = read_responses(survey, [examples_dir() / BASELINE])
    out["demo"] = render_report(score(now, baseline=then), now, "members", "md")
    survey = load_survey(examples_dir().parent / "network-map.yaml")
    now = read_responses(survey, [examples_dir() / "network-map-responses.csv"])
    then = read_responses(survey, [examples_dir() / "network-map-baseline.csv"])
    out["network-map"] = render_report(score(now, baseline=then), now, "members", "md")
    return out


@pytest.mark.parametrize("example", ["demo", "network-map"])
def test_every_section_of_the_members_report_reads_easily(members_reports, example) -> None:
    parts = sections(members_reports[example])
    assert len(parts) >= 4
    scores = {
        title: round(flesch(body)) for title, body in parts.items() if re.search("[A-Za-z]", body)
    }
    assert all(s >= 70 for s in scores.values()), scores


def test_members_report_uses_plain_labels_and_reads_reversed_statements(members_reports):
    text = members_reports["demo"]
    assert "Ceding control" not in text and "Holding the end in mind" not in text
    assert "borderline" not in text and "Hodges-Lehmann" not in text
    assert "### Sharing power" in text
    assert "Do many of us get a say, or do a few people decide?" in text
    # a statement said the other way round says which way is good
    assert re.search(
        r"A small group makes most decisions without asking members\. "
        r"\*\*Here, disagreeing is good: \d+% disagreed\.\*\*",
        text,
    )


def test_every_bundled_template_has_plain_words_for_members() -> None:
    from relimpact.survey.load import load_survey
    from relimpact.survey.templates import template_names, templates_dir

    for name in template_names():
        survey = load_survey(templates_dir() / f"{name}.yaml")
        for dim in survey.dimensions.values():
            assert dim.members_label, (name, dim.id)
            assert dim.members_about and len(dim.members_about.split()) <= 16, (name, dim.id)
            assert flesch(dim.members_about) >= 70, (name, dim.id, dim.members_about)
