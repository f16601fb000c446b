"""Giving freed memory back to the operating system.

Reading a million rows makes and frees many small objects (a block's cells, its
dictionaries, the arrays joined into larger ones). The C allocator keeps the freed
memory for reuse, so the process's resident size stays near its high-water mark long
after the memory is free: some 180 MB of 400 after a million-row read. ``release``
returns it: Arrow's memory pool (when pyarrow is loaded) and, on Linux with glibc,
``malloc_trim``. It changes no value, only how much memory the process holds.
"""

from __future__ import annotations

import sys


def release() -> None:
    """Return the memory the allocators hold free to the operating system (cheap: a
    walk of the free lists, a few milliseconds)."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            return
        trim(0)
