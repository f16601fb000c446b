"""The terminal: every text relimpact prints is shown as plain text.

Labels, titles, column headers, file names and cells come from people's files. Rich
would read ``[/x]`` in them as markup (and crash) and ``:smile:`` as an emoji code, and
a terminal acts on the escape sequences a cell can carry. ``PlainConsole`` never parses
markup or emoji codes and shows control characters as escapes (``\\x1b``); styles are
given as ``Text`` styles, never as markup in a string.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from relimpact.common.text import printable


class PlainConsole(Console):
    """A rich Console for user text: no markup, no emoji codes, no control characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("highlight", False)
        kwargs["markup"] = False
        kwargs["emoji"] = False
        super().__init__(**kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:  # type: ignore[override]
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(printable(text, lines=True), **kwargs)


def plain(text: object, style: str = "") -> Text:
    """A ``Text`` of user text (control characters escaped), optionally styled."""
    return Text(printable(text, lines=True), style=style)
