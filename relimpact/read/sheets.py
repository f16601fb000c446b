"""Which worksheet of an .xlsx holds the responses, and its rows as saved.

A workbook may hold more than the responses: a hidden lookup sheet, a summary, a second
collector, or (KoboToolbox) one sheet per repeat group after the form's own sheet. Only
one sheet is read, so it is chosen here, never guessed:

- the sheets that could hold responses are the non-empty ones that are not a known
  tool's extra sheet (a KoboToolbox repeat group's sheet, headed by ``_parent_table_name``
  and ``_parent_index``);
- the visible ones of those come first: a hidden sheet is read only when no visible sheet
  could hold responses;
- exactly one such sheet is read; two or more are refused, naming them, for the person to
  save the right one as a file of its own.

Cells are read as the workbook saved them (openpyxl's ``data_only``). A formula cell with
no saved value (a workbook written by a script and never opened in Excel) would read as
blank, and its answer would silently go missing: it is refused, naming its cell. That is
checked as the sheet streams, in the same pass that reads it.

This module imports openpyxl; it is imported only when a workbook is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from relimpact.common.errors import ResponseError

# The header cells of a KoboToolbox repeat group's sheet (formpack and kobocat name the
# link to the parent sheet so), which holds no responses of its own.
KOBO_REPEAT_COLUMNS = frozenset({"_parent_table_name", "_parent_index"})

_SAVE_ONE = (
    "Save the sheet with the responses as a file of its own (in Excel: open that sheet and "
    "File > Save As > CSV UTF-8), or export the responses again from the survey tool; "
    "responses on several sheets go in several files, given together."
)


class NoSavedValue(Exception):
    """A formula cell with no saved value, at ``coordinate`` (``A2``)."""

    def __init__(self, coordinate: str) -> None:
        super().__init__(coordinate)
        self.coordinate = coordinate


class _SavedValues(WorkSheetParser):
    """openpyxl's sheet parser, refusing a formula cell that has no saved value.

    Excel and LibreOffice save a formula whose result is the empty string as a text
    result (``t="str"``) with an empty ``<v>``. A formula cell with no ``<v>``, or with an
    empty one as any other type (openpyxl writes ``<v></v>`` for every formula it saves),
    was never calculated."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            saved = element.find(VALUE_TAG)
            if saved is None or element.get("t") != "str":
                where = element.get("r") or _coordinate(cell["row"], cell["column"])
                raise NoSavedValue(where)
        return cell


def _coordinate(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def sheet_values(wb: Any, sheet: Any) -> Iterator[tuple[object, ...]]:
    """The rows of a read-only worksheet as tuples of values, exactly as
    ``sheet.iter_rows(values_only=True)`` gives them (missing rows filled, each row as wide
    as the sheet's dimension says), but parsed with ``_SavedValues``: ``NoSavedValue`` is
    raised at the first formula cell with no saved value."""
    max_col = sheet.max_column
    max_row = sheet.max_row
    empty_row: tuple[object, ...] = (None,) * max_col if max_col is not None else ()
    counter = 1
    idx = 1
    with wb._archive.open(sheet._worksheet_path) as src:
        parser = _SavedValues(
            src,
            sheet._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for idx, row in parser.parse():
            if max_row is not None and idx > max_row:
                break
            for _ in range(counter, idx):  # rows missing from the XML are blank
                counter += 1
                yield empty_row
            if counter <= idx:
                counter += 1
                yield _row_values(row, max_col)
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            yield empty_row


def _row_values(cells: list[dict[str, Any]], max_col: int | None) -> tuple[object, ...]:
    """One row's values by column, as wide as ``max_col`` (or its last cell)."""
    if not cells and not max_col:
        return ()
    width = max_col or cells[-1]["column"]
    values: list[object] = [None] * width
    for cell in cells:
        column = cell["column"]
        if 1 <= column <= width:
            values[column - 1] = cell["value"]
    return tuple(values)


def _first_filled_row(wb: Any, sheet: Any, name: str) -> tuple[object, ...] | None:
    """The sheet's first row with a non-blank cell, or None for an empty sheet. A formula
    with no saved value counts as content (the sheet holds something)."""
    try:
        for row in sheet_values(wb, sheet):
            if any(_filled(v) for v in row):
                return row
    except NoSavedValue:
        return ("=",)
    except Exception as e:  # the sheet's XML is parsed as it streams
        raise ResponseError(
            f"the worksheet '{sheet.title}' is damaged and cannot be read ({type(e).__name__}).",
            where=name,
            hint="Open it in Excel or LibreOffice and save it again, or export the "
            "responses again as .xlsx or CSV UTF-8.",
        ) from None
    return None


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def is_extra_sheet(header: tuple[object, ...]) -> bool:
    """A known tool's sheet that is not the responses: a KoboToolbox repeat group's."""
    cells = {str(v).strip() for v in header if isinstance(v, str)}
    return cells >= KOBO_REPEAT_COLUMNS


def choose_sheet(wb: Any, name: str) -> Any:
    """The one worksheet that holds the responses (see the module's docstring); a workbook
    with no sheet that could hold them gives its first sheet (whose blank first row is then
    the error). ``ResponseError`` when two or more sheets could hold them."""
    sheets = list(wb.worksheets)
    if len(sheets) == 1:
        return sheets[0]
    candidates = []
    for sheet in sheets:
        first = _first_filled_row(wb, sheet, name)
        if first is not None and not is_extra_sheet(first):
            candidates.append(sheet)
    visible = [s for s in candidates if s.sheet_state == "visible"]
    chosen = visible or candidates
    if len(chosen) == 1:
        return chosen[0]
    if not chosen:
        return sheets[0]
    listed = ", ".join(f'"{s.title}"' for s in chosen)
    hidden = "" if visible else "hidden "
    raise ResponseError(
        f"this workbook holds {len(chosen)} {hidden}sheets with content ({listed}), and "
        "relimpact reads one sheet only: it will not guess which holds the responses.",
        where=name,
        hint=_SAVE_ONE,
    )
