"""Writing results: whole files or nothing, and spreadsheet-safe CSV cells."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from relimpact.common.errors import OutputError

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


def _special(path: Path) -> str | None:
    """What kind of node an existing, non-regular output path is (symlinks followed)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return None


def is_special(path: Path) -> bool:
    """Whether an output path is a character device or FIFO (``/dev/stdout``, a named
    pipe): written through, whatever its name."""
    return _special(path) in ("character device", "fifo")


def check_output_path(
    path: Path, inputs: tuple[Path, ...] = (), example: str = "report.html"
) -> None:
    """Refuse an output path that is a folder, has no parent folder, is an input, or is a
    block device or socket. A character device or FIFO (``/dev/stdout``, a named pipe)
    is written through; a symbolic link is followed (its target is written, the link
    is left as it is). ``example``: the file name a refusal suggests."""
    kind = _special(path)
    if kind in ("block device", "socket"):
        raise OutputError(
            f"is a {kind}, not a file; nothing was written.",
            where=str(path),
            hint=f"Give a file name, e.g. {example}.",
        )
    if path.is_dir():
        raise OutputError(
            "is a folder.", where=str(path), hint=f"Give a file name, e.g. {example}."
        )
    parent = Path(os.path.realpath(path)).parent
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


def write_atomic(
    path: Path, content: str | bytes, inputs: tuple[Path, ...] = (), example: str = "report.html"
) -> None:
    """Write ``content`` to ``path`` whole or not at all.

    A regular file is written to a temporary file beside it, created exclusively
    (``O_EXCL``) under a random name, then renamed over it; the temporary file is removed
    if anything fails or the process is interrupted (Ctrl-C or SIGTERM). A symbolic link
    is followed: its target is replaced and the link itself is kept. A character device
    or FIFO is written through (there is nothing to replace).
    """
    check_output_path(path, inputs, example)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if _special(path) in ("character device", "fifo"):
            with open(path, "wb") as fh:
                fh.write(data)
            return
        target = Path(os.path.realpath(path))
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror}).", where=str(path)) from None


def dated_zip(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The same ZIP (a .docx or .xlsx) with every entry given one fixed date and ordinary
    permissions, so that the same input gives byte-identical files on every run."""
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
