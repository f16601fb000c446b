"""Dates in words: the fieldwork period of a wave, as reports and tables give it.

Only dates (ISO ``YYYY-MM-DD`` from ``ResponseSet.fieldwork``), never a clock time, so
that the same files always give the same output.
"""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _day(d: dt.date, month: bool = True, year: bool = True) -> str:
    text = str(d.day)
    if month:
        text += f" {MONTHS[d.month - 1]}"
    if year:
        text += f" {d.year}"
    return text


def period_words(period: tuple[str, str] | None) -> str:
    """``("2026-10-05", "2026-10-18")`` -> ``"5 to 18 October 2026"``; "" when unknown.

    >>> period_words(("2026-09-28", "2026-10-04"))
    '28 September to 4 October 2026'
    >>> period_words(("2025-12-20", "2026-01-09"))
    '20 December 2025 to 9 January 2026'
    >>> period_words(("2026-10-05", "2026-10-05"))
    '5 October 2026'
    """
    if period is None:
        return ""
    first, last = (dt.date.fromisoformat(x) for x in period)
    if first == last:
        return _day(first)
    if first.year != last.year:
        return f"{_day(first)} to {_day(last)}"
    if first.month != last.month:
        return f"{_day(first, year=False)} to {_day(last)}"
    return f"{_day(first, month=False, year=False)} to {_day(last)}"
