"""One exception family for everything that is the user's input's fault.

The library raises these and never prints or exits; the CLI turns them into
``Error: ...`` on standard error and exit status 1.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where: ``where`` is ``file:line``,
    ``file, row 5, column "Q3"`` or similar; ``hint`` says how to fix it."""

    where: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        # Everything here may carry text from the user's files: shown as one line with
        # control characters escaped (no terminal escape can act), and a huge cell cut.
        from relimpact.common.text import clip, printable

        where, message = clip(printable(self.where)), clip(printable(self.message))
        text = f"{where}: {message}" if where else message
        return f"{text} {clip(printable(self.hint))}".rstrip() if self.hint else text


class RelimpactError(Exception):
    """Base of every error caused by input: survey, responses, options, output path."""

    def __init__(
        self,
        message: str = "",
        *,
        where: str = "",
        hint: str = "",
        problems: list[Problem] | tuple[Problem, ...] = (),
    ) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems) or (Problem(where, message, hint),)
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class SurveyError(RelimpactError):
    """The survey template (survey.yaml) is not valid."""


class ResponseError(RelimpactError):
    """A response file cannot be read or scored as it stands."""


class OutputError(RelimpactError):
    """An output path cannot be written."""


class UsageError(RelimpactError):
    """An option names something that does not exist (an unknown --by question, say)."""
