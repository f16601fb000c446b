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
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

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


class _InOrder:
    """The pool of one thread: each task run when its result is asked for."""

    def map(self, fn: Callable[..., R], *iterables: Iterable[object]) -> Iterator[R]:
        return map(fn, *iterables)

    def submit(self, fn: Callable[..., R], /, *args: object) -> Result[R]:
        return _Task(fn, args)  # no worker takes it: run when its result is asked for


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


class _Task(Generic[R]):
    """A task of a ``_Helpers`` pool: run by a worker, or by whoever asks for its result
    first if no worker has taken it up yet (so the caller helps instead of waiting)."""

    def __init__(self, fn: Callable[..., R], args: tuple[object, ...]) -> None:
        self._fn, self._args = fn, args
        self._lock = threading.Lock()
        self._state = "waiting"  # then "taken" (run by someone), or "dropped"
        self._done = threading.Event()
        self._value: R | None = None
        self._error: BaseException | None = None

    def take(self) -> bool:
        with self._lock:
            if self._state != "waiting":
                return False
            self._state = "taken"
            return True

    def drop(self) -> None:
        with self._lock:
            if self._state == "waiting":
                self._state = "dropped"
                self._done.set()

    def run(self) -> None:
        try:
            self._value = self._fn(*self._args)
        except BaseException as e:  # given to whoever asks for the result
            self._error = e
        finally:
            self._fn = self._args = None  # type: ignore[assignment]
            self._done.set()

    def result(self) -> R:
        if self.take():
            self.run()
        self._done.wait()
        if self._error is not None:
            raise self._error
        if self._state == "dropped":
            raise RuntimeError("the task was dropped when its pool stopped")
        return self._value  # type: ignore[return-value]


class _Helpers:
    """``workers`` threads that run submitted tasks in the order given; the caller, when
    it asks for a result no worker has started, runs that task itself."""

    def __init__(self, workers: int) -> None:
        self._queue: queue.SimpleQueue[_Task[Any] | None] = queue.SimpleQueue()
        self._tasks: list[_Task[Any]] = []
        self._threads = [
            threading.Thread(target=self._work, name=f"relimpact-{i}", daemon=True)
            for i in range(workers)
        ]
        for t in self._threads:
            t.start()

    def _work(self) -> None:
        while True:
            task = self._queue.get()
            if task is None:
                return
            if task.take():
                task.run()

    def submit(self, fn: Callable[..., R], /, *args: object) -> Result[R]:
        task: _Task[R] = _Task(fn, args)
        self._tasks.append(task)
        self._queue.put(task)
        return task

    def map(self, fn: Callable[..., R], *iterables: Iterable[object]) -> Iterator[R]:
        tasks = [self.submit(fn, *args) for args in zip(*iterables, strict=True)]
        return (t.result() for t in tasks)

    def close(self, drop: bool) -> None:
        """Wait for the workers to finish; with ``drop``, the tasks not started are not
        run (an error or Ctrl-C)."""
        if drop:
            for task in self._tasks:
                task.drop()
        for _ in self._threads:
            self._queue.put(None)
        for t in self._threads:
            t.join()


@contextmanager
def pool(threads: int | None = None) -> Iterator[Pool]:
    """A pool whose ``map`` and ``submit`` run tasks on other threads and give their
    results in order, re-raising a task's exception when its result is reached.

    ``threads``: how many the work may use in all, the caller's included
    (``thread_count()`` when None): the pool starts ``threads - 1`` workers, and the
    caller, when it asks for a result no worker has started, runs that task itself. So
    the caller can work meanwhile (scoring scores its dimensions while a worker computes
    their segments) and then help, and no more than ``threads`` tasks run at once. One
    thread: no worker at all, each task run when its result is asked for."""
    n = thread_count() if threads is None else threads
    if n <= 1:
        yield _InOrder()
        return
    helpers = _Helpers(n - 1)
    try:
        yield helpers
    except BaseException:
        # An error or Ctrl-C: the tasks not yet started are dropped, not run to the end.
        helpers.close(drop=True)
        raise
    helpers.close(drop=False)
