"""Work done per release, spread over the machine's cores: a pool of forked worker processes.

``in_order(work, shared, items)`` yields ``work(shared, item)`` for each item, in the items'
order. With enough items and more than one core, forked workers compute them, when forking is
safe: no other thread runs in this process (a fork copies only the calling thread, and a lock
another thread held would stay held in the child: a Dask client's threads make the stage run
here, one item after the other, as it always could). ``shared`` reaches the workers through the
fork itself, never pickled (it may hold functions and large caches); items and results are.

Results are taken in order, so a stage that fails reports exactly the error the one-by-one loop
would: a worker's exception is raised at its item, and what workers computed for later items is
dropped. A worker may write files that are its item's alone and regenerable (extract's template
of a release, build's pages), each atomically: such a file of a later item may then exist
already, complete, and the stage's work log (kept by the caller) does not vouch for it. Files a
person edits (PO files) are written by the caller, in order. At most a few items per worker are
computed ahead of the caller, so memory does not grow with the number of releases.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Generator, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Semaphore
from typing import Any, TypeVar

from i18n_pipeline.errors import PipelineError

__all__ = ["MIN_ITEMS", "cores", "forking_is_safe", "in_order"]

_S = TypeVar("_S")
_T = TypeVar("_T")
_R = TypeVar("_R")

# Fewer items than this are done here: starting workers (a fork each) and passing results back
# cost more than they save on a few releases (measured: ~30 ms a pool).
MIN_ITEMS = 24
AHEAD = 4  # items a worker may have been given beyond the one the caller waits for


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0))


def forking_is_safe() -> bool:
    """No other thread runs here (see the module's docstring), and this is not a worker itself."""
    return threading.active_count() == 1 and multiprocessing.parent_process() is None


def in_order(
    work: Callable[[_S, _T], _R], shared: _S, items: Sequence[_T], *, min_items: int = MIN_ITEMS
) -> Generator[_R, None, None]:
    """``work(shared, item)`` for each item, in order; ``work`` must be a module-level function,
    and results picklable."""
    workers = min(cores(), len(items) // max(1, min_items // 2))
    if workers < 2 or len(items) < min_items or not forking_is_safe():
        for item in items:
            yield work(shared, item)
        return
    # Worker w computes items w, w + workers, w + 2 * workers, ... and sends each result down its
    # own pipe; the results are read here in the items' order, so from worker 0, 1, ..., 0, 1...
    # No thread here hands out tasks or collects results (multiprocessing.Pool's three threads
    # cost this process a fifth of its CPU), and the items reach the workers through the fork, as
    # ``shared`` does. A worker starts an item only with a credit, and this process returns one
    # for each result it takes: at most AHEAD results of a worker wait to be taken.
    context = multiprocessing.get_context("fork")
    pool: list[tuple[BaseProcess, Connection, Semaphore]] = []
    process: BaseProcess
    finished = False
    try:
        for w in range(workers):
            reader, writer = context.Pipe(duplex=False)
            credits = context.Semaphore(AHEAD)
            process = context.Process(
                target=_serve, args=(work, shared, items, w, workers, writer, credits, os.getpid()), daemon=True
            )
            process.start()
            writer.close()
            pool.append((process, reader, credits))
        for i in range(len(items)):
            process, reader, credits = pool[i % workers]
            try:
                failed, result = reader.recv()
            except EOFError:
                process.join(1)  # its exit code, when the kernel has it
                raise PipelineError(
                    "a worker process", f"ended without an answer (exit code {process.exitcode})",
                    "run the command again; if it recurs, report it",
                ) from None
            credits.release()
            if failed:
                raise result
            yield result
        finished = True
    finally:
        # Workers still at work (the caller stopped early: an error, Ctrl-C) are asked to stop:
        # a worker writing a file removes its temporary file first (files.atomic_stream). After
        # the last result, a worker may still be on its way out: it is waited for, not stopped.
        for process, reader, _ in pool:
            reader.close()
            if not finished and process.is_alive():
                process.terminate()
        for process, _, _ in pool:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()


class _Stopped(BaseException):
    """SIGTERM in a worker: its caller stopped early. A BaseException, so that no ``except
    Exception`` of the work takes it for the work's own error."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped


def _serve(
    work: Callable[[Any, Any], Any], shared: object, items: Sequence[Any], first: int, step: int,
    results: Connection, credits: Semaphore, caller: int,
) -> None:
    """A worker: the items from ``first``, every ``step``, each result sent as (failed, value)."""
    # Ctrl-C reaches the whole process group: the parent stops the stage, and says so.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    try:
        for i in range(first, len(items), step):
            while not credits.acquire(timeout=1.0):
                if os.getppid() != caller:
                    return  # the caller was killed (kill -9): no one will take the results
            try:
                answer: tuple[bool, Any] = (False, work(shared, items[i]))
            except _Stopped:
                raise
            except BaseException as exc:  # noqa: BLE001 -- raised at its item by the caller, as it was raised here
                answer = (True, exc)
            try:
                results.send(answer)
            except (BrokenPipeError, OSError):
                return  # the caller stopped early
            except Exception as exc:  # noqa: BLE001 -- a result or exception pickle cannot carry
                results.send((True, RuntimeError(f"item {i}: cannot pass its result back ({exc})")))
                return
            if answer[0]:
                return
    except _Stopped:
        return  # what the work was writing is removed on the way out
    finally:
        # Past its items, a stop request ends the worker at once and quietly: _Stopped raised in
        # multiprocessing's exit path would print a traceback.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
