"""Scoring in threads (common/parallel.py): the same result as in one thread, to the
byte, whatever the number of threads; results in order; errors reach the caller."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from relimpact.common import parallel
from relimpact.scoring import stats
from relimpact.scoring.engine import score
from tests.helpers import response_set, small_survey


def test_thread_count_from_environment() -> None:
    assert parallel.thread_count({"RELIMPACT_THREADS": "1"}) == 1
    assert parallel.thread_count({"RELIMPACT_THREADS": " 2 "}) == 2
    assert parallel.thread_count({"RELIMPACT_THREADS": "16"}) == parallel.MAX_THREADS
    cores = parallel.thread_count({})
    assert 1 <= cores <= parallel.MAX_THREADS
    for junk in ("0", "-2", "two", "", "1.5", "\u00b2", "\u0663"):  # superscript 2, Arabic 3
        assert parallel.thread_count({"RELIMPACT_THREADS": junk}) == cores


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_pool_keeps_order_and_raises(threads: int) -> None:
    def slow_first(i: int) -> tuple[int, str]:
        if i == 0:
            threading.Event().wait(0.05)  # the first task ends last
        return i, threading.current_thread().name

    with parallel.pool(threads) as tasks:
        done = list(tasks.map(slow_first, range(8)))
    assert [i for i, _ in done] == list(range(8))
    if threads == 1:  # no thread of its own
        assert {name for _, name in done} == {threading.current_thread().name}

    def fails(i: int) -> int:
        if i == 5:
            raise ValueError("task 5")
        return i

    with pytest.raises(ValueError, match="task 5"), parallel.pool(threads) as tasks:
        list(tasks.map(fails, range(8)))
    with parallel.pool(threads) as tasks:
        later = [tasks.submit(slow_first, i) for i in range(4)]
        failing = tasks.submit(fails, 5)
        assert [t.result()[0] for t in later] == [0, 1, 2, 3]
        with pytest.raises(ValueError, match="task 5"):
            failing.result()


def test_score_same_in_any_number_of_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments with many groups (their bootstraps run in threads) and every figure."""
    s = small_survey(min_group_size=3)
    rng = np.random.default_rng(4)
    n = 400
    vals = {}
    for q in ("a1", "a2", "a3", "n1", "n2"):
        v = rng.integers(1, 6, n).astype(float)
        v[rng.random(n) < 0.1] = np.nan
        vals[q] = list(v)
    roles = list(rng.choice(["Member", "Staff", "Funder", None], n))
    outputs = []
    for threads in ("1", "2", "4"):
        monkeypatch.setenv("RELIMPACT_THREADS", threads)
        result = score(response_set(s, vals, {"role": roles}), seed=11)
        outputs.append(json.dumps(result.to_dict(), sort_keys=True))
    assert outputs[0] == outputs[1] == outputs[2]
    groups = json.loads(outputs[0])["segments"]["role"]
    assert sum(1 for g in groups.values() if g.get("suppressed") is False) >= 3


def test_nanmean_columns_is_numpy_nanmean() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(1000, 6)) * 1e3
    x[rng.random(x.shape) < 0.3] = np.nan
    x[:, 4] = np.nan  # a column nobody answered: NaN, and no warning
    with np.errstate(all="raise"):
        got = stats.nanmean_columns(x)
    with pytest.warns(RuntimeWarning):
        want = np.nanmean(x, axis=0, dtype=np.float64)
    assert np.array_equal(got, want, equal_nan=True)
    assert np.isnan(got[4])
    f32 = x.astype(np.float32)  # float32 input: summed in float64, as nanmean's dtype asks
    with pytest.warns(RuntimeWarning):
        want32 = np.nanmean(f32, axis=0, dtype=np.float64)
    assert np.array_equal(stats.nanmean_columns(f32), want32, equal_nan=True)


def test_an_error_drops_the_tasks_not_yet_started() -> None:
    started: list[int] = []
    gate = threading.Event()

    def task(i: int) -> int:
        started.append(i)
        gate.wait(0.2)
        return i

    with pytest.raises(KeyboardInterrupt), parallel.pool(2) as tasks:
        for i in range(50):
            tasks.submit(task, i)
        raise KeyboardInterrupt
    assert len(started) < 50


def test_the_caller_runs_a_task_no_worker_has_started() -> None:
    gate = threading.Event()
    with parallel.pool(2) as tasks:  # one worker, and the caller
        blocked = tasks.submit(gate.wait, 10)  # the worker is kept busy
        mine = tasks.submit(lambda: threading.current_thread().name)
        assert mine.result() == threading.current_thread().name  # run here, not waited for
        gate.set()
        assert blocked.result() is True
