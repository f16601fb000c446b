"""Independent pieces of work spread over the machine's cores, their results in order.

Scoring runs each dimension, and each group's figures, as a task in a small thread pool:
the work is NumPy over whole columns and the seeded bootstrap's binomial draws, which
release the GIL, so two cores do it in little more than half the time. Every task is a
pure function of its inputs (each bootstrap has its own seeded generator), and results
come back in the order the tasks were given, so the output is the same byte for byte
with one thread or many.

``RELIMPACT_THREADS`` (a whole number, 1 for none) sets the number of threads, which is
otherwise the number of cores this process may use; either way at most ``MAX_THREADS``.
Reading a large CSV file (``read.readers``) honours it too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Generic, Protocol, TypeVar

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

MAX_THREADS = 2
"""At most this many threads, whatever the cores: more gain little on this work (the
main thread's share is the longest), and each holds its own working memory (a
million-row report must stay under 500 MB)."""


class Result(Protocol[R_co]):
    def result(self) -> R_co: ...


class Pool(Protocol):
    def map(self, fn: Callable[..., R], *iterables: Iterable[object]) -> Iterator[R]: ...

    def submit(self, fn: Callable[..., R], /, *args: object) -> Result[R]: ...


class _Later(Generic[R]):
    """A task of the one-thread pool, run when its result is first asked for."""

    def __init__(self, fn: Callable[..., R], args: tuple[object, ...]) -> None:
        self._fn, self._args = fn, args
        self._done = False
        self._value: R | None = None

    def result(self) -> R:
        if not self._done:
            self._value = self._fn(*self._args)
            self._done = True
        return self._value  # type: ignore[return-value]


class _InOrder:
    """The pool of one thread: each task run when its result is asked for."""

    def map(self, fn: Callable[..., R], *iterables: Iterable[object]) -> Iterator[R]:
        return map(fn, *iterables)

    def submit(self, fn: Callable[..., R], /, *args: object) -> Result[R]:
        return _Later(fn, args)


def thread_count(environ: dict[str, str] | os._Environ[str] | None = None) -> int:
    """How many threads to use: ``RELIMPACT_THREADS`` when it is a whole number of at
    least 1, else the cores this process may run on (``os.sched_getaffinity``, which
    honours a container's or ``taskset``'s limit); at most ``MAX_THREADS``."""
    env = os.environ if environ is None else environ
    given = env.get("RELIMPACT_THREADS", "").strip()
    if given.isascii() and given.isdigit() and int(given) >= 1:  # not "²", which isdigit
        return min(int(given), MAX_THREADS)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


def in_order() -> Pool:
    """A pool that runs each task in turn, in this thread."""
    return _InOrder()


@contextmanager
def pool(threads: int | None = None, *, busy: int = 0) -> Iterator[Pool]:
    """A pool whose ``map`` and ``submit`` run tasks on threads of their own and give
    their results in order, re-raising a task's exception when its result is reached.

    ``threads``: how many the work may use in all (``thread_count()`` when None), of which
    ``busy`` stay with the caller, who works meanwhile (scoring scores its dimensions while
    the pool computes their segments), so the pool has ``threads - busy`` of them. With
    none (or one and nothing busy) the tasks run in turn, in the caller's thread."""
    n = (thread_count() if threads is None else threads) - busy
    if n < 1 or (n == 1 and busy == 0):
        yield _InOrder()
        return
    executor = ThreadPoolExecutor(max_workers=n, thread_name_prefix="relimpact")
    try:
        yield executor
    except BaseException:
        # An error or Ctrl-C: the tasks not yet started are dropped, not run to the end.
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
