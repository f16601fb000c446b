"""Writing results: whole files or nothing, and spreadsheet-safe CSV cells."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from relimpact.errors import OutputError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP CSV injection).

    A text starting with ``= + - @`` (or a tab or carriage return) gets a
    leading apostrophe; plain numbers such as ``-0.25`` are left as numbers.
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def check_output_path(path: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse an output path that is a folder, has no parent folder, or is an input."""
    if path.is_dir():
        raise OutputError(
            "is a folder.", where=str(path), hint="Give a file name, e.g. report.html."
        )
    parent = path.resolve().parent
    if not parent.is_dir():
        raise OutputError(
            f"the folder {parent} does not exist.",
            where=str(path),
            hint="Create it first, or write somewhere else.",
        )
    for item in inputs:
        if item.exists() and path.exists() and os.path.samefile(item, path):
            raise OutputError(
                "is one of the input files; inputs are never overwritten.",
                where=str(path),
                hint="Choose another output name.",
            )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str | bytes, inputs: tuple[Path, ...] = ()) -> None:
    """Write ``content`` to ``path`` whole or not at all (temporary file, then rename)."""
    check_output_path(path, inputs)
    data = content.encode("utf-8") if isinstance(content, str) else content
    parent = path.resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror}).", where=str(path)) from None
