"""Response files from anywhere a shell can give them: a path, a pipe, a FIFO, ``-``.

Reading a file takes several passes (sniffing the encoding, the delimiter and the
header rows, then streaming the records), and a pipe can be read only once. So
``local_files`` copies each input that is not a regular file (``-`` for standard
input, a FIFO such as bash's ``<(...)``, a character device) once, whole, into a
private temporary file (mode 0600, in the system's temporary folder, deleted when
reading ends, also on an error), and hands every reader a ``Source``: the path to
open and the name to use in messages.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from relimpact.common.errors import ResponseError

STDIN = "-"
STDIN_NAME = "standard input"


@dataclass(frozen=True)
class Source:
    """An input to read: ``path`` is a regular file; ``name`` is what messages call it."""

    path: Path
    name: str

    def __str__(self) -> str:
        return self.name


def source_name(item: str | Path | Source) -> str:
    if isinstance(item, Source):
        return item.name
    return STDIN_NAME if str(item) == STDIN else str(item)


def is_stream(path: Path) -> bool:
    """A FIFO, socket or device: something that cannot be read twice."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _spool(stream: BinaryIO, stack: ExitStack, name: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix="relimpact-", suffix=".input")
    stack.callback(lambda: os.path.exists(tmp) and os.unlink(tmp))
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(stream, out, 1024 * 1024)
    except OSError as e:
        raise ResponseError(
            f"cannot be read: {e.strerror or e}.", where=name, hint="Check the pipe or device."
        ) from None
    return Path(tmp)


@contextmanager
def local_files(items: Sequence[str | Path | Source]) -> Iterator[list[Source]]:
    """Each input as a ``Source`` whose path is a regular file that can be opened many
    times; pipes, FIFOs and ``-`` are read once into temporary files, removed on exit."""
    with ExitStack() as stack:
        out: list[Source] = []
        stdin_used = False
        for item in items:
            if isinstance(item, Source):
                out.append(item)
                continue
            name = source_name(item)
            if str(item) == STDIN:
                if stdin_used:
                    raise ResponseError(
                        "standard input (-) is given twice; it can be read only once.",
                        where=STDIN_NAME,
                        hint="Give '-' once, and the other files by name.",
                    )
                stdin_used = True
                out.append(Source(_spool(sys.stdin.buffer, stack, name), name))
                continue
            path = Path(item)
            if is_stream(path):
                try:
                    with path.open("rb") as stream:
                        out.append(Source(_spool(stream, stack, name), name))
                except OSError as e:
                    raise ResponseError(
                        f"cannot be read: {e.strerror or e}.",
                        where=name,
                        hint="Check the pipe or device.",
                    ) from None
                continue
            out.append(Source(path, name))
        yield out


def same_contents(a: Path, b: Path) -> bool:
    """The same file, or two files with the same bytes (sizes first, then in blocks)."""
    try:
        if os.path.samefile(a, b):
            return True
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as fa, b.open("rb") as fb:
            while True:
                x, y = fa.read(1024 * 1024), fb.read(1024 * 1024)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False
