"""Work done per release, spread over the machine's cores: a pool of forked worker processes.

``in_order(work, items)`` yields ``work(item)`` for each item, in the items' order. With enough
items and more than one core, forked workers compute them, when forking is safe: no other
thread runs in this process (a fork copies only the calling thread, and a lock another thread
held would stay held in the child: a progress bar's or a Dask client's thread makes the stage
run here, one item after the other, as it always could). Workers compute and return; they
write nothing. The caller writes each result in order, so a stage that fails stops exactly
where the one-by-one loop would: a worker's exception is raised at its item, and what workers
computed for later items is dropped.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

__all__ = ["MIN_ITEMS", "cores", "forking_is_safe", "in_order"]

_T = TypeVar("_T")
_R = TypeVar("_R")

# Fewer items than this are done here: starting workers (a fork each) and passing results back
# cost more than they save on a few releases (measured: ~30 ms a pool).
MIN_ITEMS = 24


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def in_order(work: Callable[[_T], _R], items: Sequence[_T], *, min_items: int = MIN_ITEMS) -> Iterator[_R]:
    """``work(item)`` for each item, in order; ``work`` must be picklable (a module-level function
    or a ``functools.partial`` of one) and so must its results."""
    workers = min(cores(), len(items) // max(1, min_items // 2))
    if workers < 2 or len(items) < min_items or not forking_is_safe():
        yield from map(work, items)
        return
    # The pool ends with the generator: completed, or closed early by a failure in the caller
    # (its workers are then terminated; they hold nothing the caller needs).
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
        # One item a task: a task's error replaces all its results, and the items before the
        # failing one must still come back (releases are heavy enough to pay a message each).
        yield from pool.imap(work, items)


def forking_is_safe() -> bool:
    """No other thread runs here (see the module's docstring), and this is not a worker itself."""
    return threading.active_count() == 1 and multiprocessing.parent_process() is None


def _worker_start() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the stage, and says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
