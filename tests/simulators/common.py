"""Made-up respondents and the plain CSV of their answers (question ids as headers)."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

from relimpact.survey.model import Question, Survey

# Answers with commas, quotes, a line break, a formula-like start and HTML.
STORIES = (
    "They introduced us to the food bank.\nNow we share a van, and a café.",
    'We said "thank you", twice.',
    "=1+1 is not a formula here",
    "<b>bold</b> & done; really",
    "A back\\slash and a tab\there",
    "",
)


@dataclass(frozen=True)
class Respondent:
    """What one respondent ticked or wrote: question id -> a label, labels, or text."""

    answers: dict[str, object]  # a connections question with levels: member -> level
    when: str  # submission time, ISO


def text_key(text: str) -> str:
    """Text as a respondent sees it in a form: one line."""
    return " ".join(text.split())


def by_text(survey: Survey) -> dict[str, Question]:
    return {text_key(q.text): q for q in survey.questions}


def make_respondents(survey: Survey, n: int = 40, seed: int = 7) -> list[Respondent]:
    """``n`` respondents answering every question type, with blanks and not-applicable."""
    rng = random.Random(seed)
    roster = survey.network_map.members if survey.network_map else ()
    out = []
    for i in range(n):
        me = roster[i % len(roster)] if roster else ""
        answers: dict[str, object] = {}
        for q in survey.questions:
            blank = rng.random() < 0.08 and not q.required
            if q.type == "scale":
                scale = survey.scale_of(q)
                labels = [scale.label(v) for v in scale.values]
                pool = labels * 4 + list(scale.not_applicable)
                answers[q.id] = "" if blank else rng.choice(pool)
            elif q.type == "choice":
                pool = list(q.options) + (["We run a lunch club, and more"] if q.other else [])
                answers[q.id] = "" if blank else rng.choice(pool)
            elif q.type == "multi":
                ticked = [o for o in q.options if rng.random() < 0.4]
                if q.other and rng.random() < 0.3:
                    ticked.append("Street parties")
                answers[q.id] = [] if blank else ticked
            elif q.type == "consent":
                answers[q.id] = "" if blank else rng.choice(["Yes", "No"])
            elif q.type == "number":
                answers[q.id] = "" if blank else str(rng.randint(0, 40))
            elif q.type == "respondent":
                answers[q.id] = "" if blank else f"M{i:03d}"
            elif q.type == "member":
                answers[q.id] = me
            elif q.type == "connections" and q.levels is not None:
                scale = survey.levels_of(q)
                assert scale is not None
                levels = [scale.label(v) for v in scale.values] + list(scale.not_applicable)
                answers[q.id] = {
                    m: rng.choice(levels) for m in roster if m != me and rng.random() < 0.4
                }
            elif q.type == "connections":
                answers[q.id] = [m for m in roster if m != me and rng.random() < 0.3]
            else:
                answers[q.id] = "" if blank else rng.choice(STORIES)
        # in row order: a member who answers twice (more respondents than the roster) keeps
        # the same, later, row whether a tool's times or the rows' order decide
        day = 5 + i // 10
        out.append(
            Respondent(answers, f"2026-10-{day:02d} {9 + (i % 10) // 4:02d}:{i % 60:02d}:05")
        )
    return out


def plain_csv(survey: Survey, respondents: list[Respondent]) -> str:
    """The same answers as a plain CSV: question ids, labels, several joined with "; "; a
    connections question with levels one column per member (``id [Member]``)."""
    roster = survey.network_map.members if survey.network_map else ()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    header = []
    for q in survey.questions:
        if q.type == "connections" and q.levels is not None:
            header += [f"{q.id} [{m}]" for m in roster]
        else:
            header.append(q.id)
    w.writerow(header)
    for r in respondents:
        row = []
        for q in survey.questions:
            v = r.answers[q.id]
            if isinstance(v, dict):
                row += [v.get(m, "") for m in roster]
            else:
                row.append("; ".join(v) if isinstance(v, list) else str(v))
        w.writerow(row)
    return buf.getvalue()
