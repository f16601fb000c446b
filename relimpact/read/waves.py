"""Several waves of one survey on the command line: ``--wave LABEL=FILE`` and ``--baseline``.

How they combine (the same for ``score``, ``report`` and ``network``):

- The response files (RESPONSES) are the current wave, the latest.
- ``--wave LABEL=FILE`` (repeatable) names an earlier wave, **oldest first**. The same
  label on consecutive ``--wave`` options gives one wave several files (collectors);
  a label given again after another wave is refused (the order would be ambiguous).
- ``--baseline FILE`` (repeatable: one wave's files) is the wave just before the current
  one: with ``--wave`` it comes after every ``--wave``. ``change`` always compares the
  current wave with the one just before it (the baseline, or else the last ``--wave``).
- ``--label LABEL`` names the current wave. Without it, the current wave (and a
  ``--baseline`` given with ``--wave``) is named by the year its answers were given in,
  when the export dates them all in one year that no other wave's label uses; otherwise
  "this survey" (and "last survey" for the baseline).

Refused, with a message and exit status 1: a ``--wave`` without ``LABEL=``; an empty or
over-long label; a label used by two waves; a file given twice in one wave (its answers
would count twice) or for two waves (the same file or the same bytes: there would be no
change to measure); and waves out of time order, when the exports date them (a wave,
``--baseline`` alone included, whose answers all came before those of a wave listed
earlier, or that were given over exactly the same days, two or more).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from relimpact.common.errors import ResponseError, UsageError

if TYPE_CHECKING:
    from relimpact.common.sources import Source

MAX_LABEL = 24
CURRENT = "this survey"
PREVIOUS = "last survey"


@dataclass(frozen=True)
class WaveSpec:
    label: str
    paths: tuple[Path, ...]


def parse_waves(specs: Sequence[str]) -> list[WaveSpec]:
    """``LABEL=FILE`` values, oldest first, grouped into waves (consecutive equal labels)."""
    waves: list[WaveSpec] = []
    for spec in specs:
        label, sep, file = spec.partition("=")
        label = " ".join(label.split())
        if not sep or not file:
            raise UsageError(
                f"--wave {spec}: give the wave as LABEL=FILE.",
                hint="For example: --wave 2024=responses-2024.csv (oldest wave first).",
            )
        check_label(label, f"--wave {spec}")
        if waves and waves[-1].label == label:
            waves[-1] = WaveSpec(label, (*waves[-1].paths, Path(file)))
            continue
        if any(w.label == label for w in waves):
            raise UsageError(
                f"--wave {spec}: the label '{label}' is given to two waves, with another wave "
                "between them.",
                hint="Give each wave its own label, oldest first; the files of one wave go "
                "together (--wave 2024=a.csv --wave 2024=b.csv).",
            )
        waves.append(WaveSpec(label, (Path(file),)))
    return waves


def check_label(label: str, where: str) -> None:
    if not label:
        raise UsageError(
            f"{where}: the wave's label is empty.",
            hint="Name each wave, e.g. its year: --wave 2024=responses-2024.csv.",
        )
    if len(label) > MAX_LABEL or re.search(r"[\x00-\x1f\x7f]", label):
        raise UsageError(
            f"{where}: a wave's label is at most {MAX_LABEL} printable characters (it is "
            "shown on charts).",
            hint="Use a short label such as 2024 or 'Spring 2025'.",
        )


def year_label(fieldwork: tuple[str, str] | None) -> str | None:
    """The year of a wave's answers, when all of them were given in one year."""
    if fieldwork is None or fieldwork[0][:4] != fieldwork[1][:4]:
        return None
    return fieldwork[0][:4]


def choose_label(
    given: str | None, fieldwork: tuple[str, str] | None, taken: Sequence[str], fallback: str
) -> str:
    """A wave's label: the one given, else its year (when free), else ``fallback``."""
    if given is not None:
        return given
    year = year_label(fieldwork)
    if year is not None and year not in taken:
        return year
    return fallback


def check_order(waves: Sequence[tuple[str, tuple[str, str] | None]]) -> None:
    """Refuse waves out of time order: a wave whose answers all came before the answers of
    a wave listed before it, or over exactly the same days as one, two days or more (the
    same answers saved again, as .xlsx say, or another tool's export of them; two waves on
    one day, the morning and the afternoon of an event, are fine). ``waves``: (label,
    fieldwork) oldest first; unknown dates pass."""
    for i, (label, period) in enumerate(waves):
        if period is None:
            continue
        for earlier, before in waves[:i]:
            if before == period and period[0] != period[1]:
                raise UsageError(
                    f"'{label}' and '{earlier}' were answered over exactly the same days "
                    f"({period[0]} to {period[1]}): are they the same answers saved twice?",
                    hint="Give each wave's own export: the earlier wave with --baseline "
                    "(or --wave, oldest first), this wave as the response files.",
                )
            if before is not None and period[1] < before[0]:
                raise UsageError(
                    f"the waves are not in time order: '{label}' was answered "
                    f"{period[0]} to {period[1]}, before '{earlier}' ({before[0]} to "
                    f"{before[1]}), which is given as earlier.",
                    hint="Give the --wave options oldest first, then --baseline (the wave "
                    "just before this one); the response files are the latest wave.",
                )


def check_baseline(baseline: tuple[str, str] | None, current: tuple[str, str] | None) -> None:
    """With ``--baseline`` alone: refuse a baseline whose answers all came after the
    current wave's (the files swapped), or over exactly the same days, two or more (the
    same answers saved twice; one day may hold two waves, before and after an event);
    unknown dates pass. (With ``--wave``, ``check_order`` decides.)"""
    if baseline is None or current is None:
        return
    if baseline == current and current[0] != current[1]:
        raise UsageError(
            f"the baseline and the response files were answered over exactly the same days "
            f"({current[0]} to {current[1]}): are they the same answers saved twice?",
            hint="Give the earlier wave's own export with --baseline.",
        )
    if baseline[0] > current[1]:
        raise UsageError(
            f"the baseline was answered {baseline[0]} to {baseline[1]}, after the response "
            f"files ({current[0]} to {current[1]}): the baseline is the earlier wave.",
            hint="Swap them: the response files are this (the latest) wave, --baseline the "
            "one before it.",
        )


def check_labels(labels: Sequence[str]) -> None:
    """Refuse two waves with one label (the current wave's included)."""
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise UsageError(
                f"two waves are labelled '{label}'.",
                hint="Give each wave its own label: --label names the current wave, "
                "--wave LABEL=FILE an earlier one.",
            )
        seen.add(label)


def check_distinct(groups: Sequence[tuple[str, Sequence[Source]]]) -> None:
    """Refuse a file given twice in one wave, or for two waves (the same file, or the same
    bytes): in one wave its answers would count twice; in two there would be no change."""
    from relimpact.common.sources import same_contents

    for name, sources in groups:
        for j, a in enumerate(sources):
            for b in sources[j + 1 :]:
                if same_contents(a.path, b.path):
                    same = (
                        "is given twice" if a.name == b.name else f"has the same bytes as {a.name}"
                    )
                    raise ResponseError(
                        f"this file {same} in {name}, so its answers would be counted twice.",
                        where=b.name,
                        hint="Give each export once (two collectors' exports are two files "
                        "with different answers).",
                    )
    for i, (name, sources) in enumerate(groups):
        for other_name, others in groups[i + 1 :]:
            for a in sources:
                for b in others:
                    if same_contents(a.path, b.path):
                        raise ResponseError(
                            f"this file is given for two waves ({name} and {other_name}), so "
                            "there is no change to measure between them.",
                            where=b.name,
                            hint="Give each wave its own export, oldest first.",
                        )
