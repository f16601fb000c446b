"""Many strings kept compactly: one UTF-8 buffer and the offsets into it.

A million free-text answers, submission times, member codes or email addresses kept as
Python strings cost some 50 bytes each on top of their text; ``PackedText`` keeps the
text's bytes once and 8 bytes of offset per string, and makes a ``str`` only when one is
asked for. It is a read-only ``Sequence[str]``: reports, the network map and the tests
read it as they would a tuple (``len``, indexing, iteration, ``==`` with a tuple).

``PackedBuilder`` collects the strings block by block as a file is read: from Python
strings (the csv path) or straight from the buffers of an Arrow string array (the Arrow
path, no Python string made at all).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np

# Lone surrogates (which a str may hold) survive the round trip through bytes.
_ERRORS = "surrogatepass"


class PackedText(Sequence[str]):
    """Strings as one UTF-8 buffer and ``len + 1`` int64 offsets, optionally seen through
    ``index`` (the rows kept, in order; taking rows copies no text)."""

    __slots__ = ("_data", "_offsets", "_index")

    def __init__(self, data: bytes | bytearray, offsets: np.ndarray, index: Any = None) -> None:
        self._data = data
        self._offsets = offsets
        self._index = index

    @classmethod
    def from_strings(cls, values: Iterable[str]) -> PackedText:
        b = PackedBuilder()
        b.add_strings(list(values))
        return b.build()

    def __len__(self) -> int:
        return len(self._offsets) - 1 if self._index is None else len(self._index)

    def _bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end byte of each string, in order."""
        o = self._offsets
        if self._index is None:
            return o[:-1], o[1:]
        return o[self._index], o[self._index + 1]

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> PackedText: ...
    def __getitem__(self, i: int | slice) -> str | PackedText:
        if isinstance(i, slice):
            return self.take(np.arange(len(self))[i])
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("PackedText index out of range")
        j = i if self._index is None else int(self._index[i])
        a, b = int(self._offsets[j]), int(self._offsets[j + 1])
        return self._data[a:b].decode("utf-8", _ERRORS)

    def __iter__(self) -> Iterator[str]:
        data = self._data
        starts, ends = self._bounds()
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            yield data[a:b].decode("utf-8", _ERRORS) if b > a else ""

    def take(self, rows: Any) -> PackedText:
        """The strings at ``rows`` (an int array), in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        index = rows if self._index is None else self._index[rows]
        return PackedText(self._data, self._offsets, index)

    def lengths(self) -> np.ndarray:
        """Each string's length in bytes (0 for an empty string)."""
        starts, ends = self._bounds()
        return ends - starts

    def nonempty(self) -> np.ndarray:
        return self.lengths() > 0

    def joined(self) -> bytes:
        """All the strings' UTF-8 bytes, each followed by a NUL but the last: what
        ``"\\x00".join(self).encode()`` gives, made with numpy a few thousand strings at a
        time instead of a Python string for each."""
        starts, ends = self._bounds()
        n = len(starts)
        if n == 0:
            return b""
        if not (starts[1:] == ends[:-1]).all():  # not one run of the buffer: one by one
            return "\x00".join(self).encode("utf-8", _ERRORS)
        first = int(starts[0])
        raw = np.frombuffer(memoryview(self._data), np.uint8)[first : int(ends[-1])]
        out = np.zeros(len(raw) + n - 1, np.uint8)  # the NULs are already there
        lengths = ends - starts
        step = 1 << 15
        for a in range(0, n, step):
            b = min(a + step, n)
            lo, hi = int(starts[a]) - first, int(ends[b - 1]) - first
            if hi == lo:
                continue
            src = np.arange(lo, hi)
            out[src + np.repeat(np.arange(a, b), lengths[a:b])] = raw[lo:hi]
        return out.tobytes()

    def heads(self, k: int) -> tuple[np.ndarray, list[str], np.ndarray]:
        """The first ``k`` characters of each string, as codes into a list of the distinct
        ones: ``(codes, distinct, odd)``. A string whose first ``k`` bytes are not all
        ASCII (or hold a NUL) is ``odd``: its code means nothing; take it on its own."""
        starts, ends = self._bounds()
        n = len(starts)
        if n == 0:
            return np.zeros(0, np.int64), [], np.zeros(0, bool)
        raw = np.frombuffer(memoryview(self._data), np.uint8) if len(self._data) else None
        head = np.minimum(ends - starts, k)
        grid = np.zeros((n, k), np.uint8)
        if raw is not None:
            last = len(raw) - 1
            for j in range(k):
                column = raw[np.minimum(starts + j, last)]
                column[head <= j] = 0
                grid[:, j] = column
        odd = (grid >= 128).any(axis=1) | ((grid == 0) & (np.arange(k) < head[:, None])).any(axis=1)
        distinct, codes = np.unique(grid.view(f"S{k}").ravel(), return_inverse=True)
        return codes.reshape(-1), [d.decode("ascii", "replace") for d in distinct], odd

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PackedText({len(self)} strings, {len(self._data)} bytes)"

    @property
    def nbytes(self) -> int:
        index = 0 if self._index is None else self._index.nbytes
        return len(self._data) + self._offsets.nbytes + index

    def hashes(self) -> np.ndarray:
        """A 64-bit hash of each string's bytes (equal strings, equal hashes), computed a
        byte position at a time over all strings at once; strings of more than
        ``_HASHED_IN_NUMPY`` bytes are hashed one by one. For grouping only: two strings
        with the same hash must still be compared."""
        starts, ends = self._bounds()
        n = len(starts)
        lengths = ends - starts
        h = np.full(n, 1469598103934665603, np.uint64)
        if n == 0:
            return h
        raw = np.frombuffer(memoryview(self._data), np.uint8) if len(self._data) else None
        short = lengths <= _HASHED_IN_NUMPY
        longest = int(lengths[short].max()) if short.any() else 0
        prime = np.uint64(1099511628211)
        with np.errstate(over="ignore"):
            for j in range(longest):
                at = short & (lengths > j)
                if raw is None or not at.any():
                    break
                h[at] = (h[at] ^ raw[starts[at] + j].astype(np.uint64)) * prime
            h ^= lengths.astype(np.uint64)  # "a" and "a\0" differ
        if not short.all():
            import hashlib

            data = self._data
            for i in np.flatnonzero(~short).tolist():
                digest = hashlib.blake2b(data[int(starts[i]) : int(ends[i])], digest_size=8)
                h[i] = np.uint64(int.from_bytes(digest.digest(), "little"))
        return h


_HASHED_IN_NUMPY = 64  # bytes: longer strings are hashed one by one


class PackedBuilder:
    """Collects strings block by block into one ``PackedText``."""

    __slots__ = ("_data", "_lengths")

    def __init__(self) -> None:
        self._data = bytearray()
        self._lengths: list[np.ndarray] = []

    def add_strings(self, values: Sequence[str]) -> None:
        encoded = [v.encode("utf-8", _ERRORS) for v in values]
        self._lengths.append(np.fromiter(map(len, encoded), np.int64, len(encoded)))
        self._data += b"".join(encoded)

    def add_blank(self, n: int) -> None:
        self._lengths.append(np.zeros(n, np.int64))

    def add_arrow(self, array: Any) -> None:
        """A pyarrow ``StringArray`` with no nulls, taken from its buffers."""
        n = len(array)
        if n == 0:
            return
        _, offsets_buf, data_buf = array.buffers()[:3]
        offsets = np.frombuffer(offsets_buf, np.int32, count=n + 1, offset=array.offset * 4)
        start, end = int(offsets[0]), int(offsets[-1])
        self._lengths.append(np.diff(offsets).astype(np.int64))
        if end > start:
            self._data += memoryview(data_buf)[start:end]

    def build(self) -> PackedText:
        lengths = np.concatenate(self._lengths) if self._lengths else np.zeros(0, np.int64)
        offsets = np.zeros(len(lengths) + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        data = self._data  # kept as it is: copying it to bytes would double it for a moment
        self._data = bytearray()
        self._lengths = []
        return PackedText(data, offsets)
