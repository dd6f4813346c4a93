"""Work done per release, spread over the machine's cores: a pool of forked worker processes.

``in_order(work, shared, items)`` yields ``work(shared, item)`` for each item, in the items'
order. With enough items and more than one core, forked workers compute them, when forking is
safe: no other thread runs in this process (a fork copies only the calling thread, and a lock
another thread held would stay held in the child: a Dask client's threads make the stage run
here, one item after the other, as it always could). ``shared`` reaches the workers through the
fork itself, never pickled (it may hold functions and large caches); items and results are.

Workers compute and return; they write nothing. The caller writes each result in order, so a
stage that fails stops exactly where the one-by-one loop would: a worker's exception is raised
at its item, and what workers computed for later items is dropped. At most a few items per
worker are in flight or waiting to be taken, so memory does not grow with the number of releases.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

__all__ = ["MIN_ITEMS", "cores", "forking_is_safe", "in_order"]

_S = TypeVar("_S")
_T = TypeVar("_T")
_R = TypeVar("_R")

# Fewer items than this are done here: starting workers (a fork each) and passing results back
# cost more than they save on a few releases (measured: ~30 ms a pool).
MIN_ITEMS = 24
AHEAD = 4  # items a worker may have been given beyond the one the caller waits for

_shared: Any = None  # in a worker: what in_order's caller shares with every item


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def forking_is_safe() -> bool:
    """No other thread runs here (see the module's docstring), and this is not a worker itself."""
    return threading.active_count() == 1 and multiprocessing.parent_process() is None


def in_order(
    work: Callable[[_S, _T], _R], shared: _S, items: Sequence[_T], *, min_items: int = MIN_ITEMS
) -> Iterator[_R]:
    """``work(shared, item)`` for each item, in order; ``work`` must be a module-level function,
    and items and results picklable."""
    workers = min(cores(), len(items) // max(1, min_items // 2))
    if workers < 2 or len(items) < min_items or not forking_is_safe():
        for item in items:
            yield work(shared, item)
        return
    # The pool ends with the generator: completed, or closed early by a failure in the caller
    # (its workers are then terminated; they hold nothing the caller needs). One item a task: a
    # task's error replaces all its results, and the items before the failing one must come back.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_start, initargs=(shared,)) as pool:
        queue = iter(items)
        waiting: deque[AsyncResult[_R]] = deque(pool.apply_async(_run, (work, item)) for item in islice(queue, workers * AHEAD))
        while waiting:
            done = waiting.popleft().get()
            waiting.extend(pool.apply_async(_run, (work, item)) for item in islice(queue, 1))
            yield done


def _worker_start(shared: object) -> None:
    global _shared
    _shared = shared
    # Ctrl-C reaches the whole process group: the parent stops the stage, and says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(work: Callable[[Any, Any], Any], item: object) -> Any:
    return work(_shared, item)
