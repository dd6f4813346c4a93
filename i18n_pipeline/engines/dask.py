"""Engine batches on a Dask cluster: ``run --dask tcp://HOST:PORT`` or ``--dask local:N``.

The client (the machine that runs the pipeline) keeps everything that reads or writes the
project: memory lookups, the MT cache, PO files, builds. Only engine batches travel: the source
sentences with their placeholders, the language pair, the engine's name and its options from
pipeline.yaml (which never hold a key: an engine reads its key from the environment of the
process it runs in, so on a cluster from each worker's own environment).

:class:`DaskCluster` is the connection, made on first use (a dry run, or a run with nothing to
translate, never starts a cluster). :class:`DaskEngine` is an :class:`~i18n_pipeline.engines.Engine`
wrapper that ``pipeline/translating.py`` opens instead of the engine itself: it cuts each batch into tasks of
at most :data:`TASK_SEGMENTS` segments, submits them all, gathers them as they complete and
returns them in order, so fallback chains, the MT cache and the report work as with a local
engine. Each worker builds the engine once per process and thread and keeps it (Apertium's
pipelines stay alive between tasks; their taggers are settled when they start, so a sentence is
translated the same on any worker, in any order: ``apertium_pipeline.SETTLING_WORDS``).

A worker that dies takes its tasks with it; the scheduler runs them again on another worker
(results already gathered are on the client, never recomputed). A batch that kills
``distributed.scheduler.allowed-failures`` workers in turn is an :class:`EngineError` naming it.

``distributed`` is an optional dependency (``pip install '.[dask]'``), imported only when a
cluster is used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import math
import os
import pickle
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from i18n_pipeline.engines import Engine, MachineTranslation, get_engine, translate_detailed
from i18n_pipeline.errors import EngineError, PipelineError, UsageError
from i18n_pipeline.incremental import code_digest

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

__all__ = ["TASK_SEGMENTS", "DaskCluster", "DaskEngine", "open_cluster", "parse_address"]

log = logging.getLogger(__name__)

TASK_SEGMENTS = 250  # at most, per task: ≈ 0.75 s of Apertium, so a task's ≈ 20 ms round trip costs < 5 %
MIN_TASK_SEGMENTS = 25  # a small batch is still cut for every worker, but not into slivers
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler, and for a scheduler to have a worker
MAX_LOCAL_WORKERS = 64
INSTALL = "install it with: pip install 'i18n-pipeline[dask]' (in a checkout: pip install -e '.[dask]')"
_TCP = re.compile(r"tcp://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>\d{1,5})")
_LOCAL = re.compile(r"local:(?P<workers>\d{1,3})")


def parse_address(text: str) -> str | int:
    """``tcp://HOST:PORT`` (returned as it is) or ``local:N`` (returned as N workers)."""
    where = f"--dask {text!r}"
    fix = "give tcp://HOST:PORT (a running 'dask scheduler') or local:N (N worker processes on this machine)"
    local = _LOCAL.fullmatch(text.strip())
    if local:
        workers = int(local["workers"])
        if not 1 <= workers <= MAX_LOCAL_WORKERS:
            raise UsageError(where, f"local clusters have 1 to {MAX_LOCAL_WORKERS} workers", fix)
        return workers
    tcp = _TCP.fullmatch(text.strip())
    if tcp is None:
        raise UsageError(where, "not a Dask scheduler address", fix)
    if not 1 <= int(tcp["port"]) <= 65535:
        raise UsageError(where, f"port {tcp['port']} is out of range", fix)
    return text.strip()


@contextmanager
def open_cluster(address: str | None) -> Iterator[DaskCluster | None]:
    """The cluster of ``--dask ADDRESS`` (None without it), closed when the command ends. A bad
    address or a missing Dask is an error at once; the connection waits for the first batch."""
    if not address:
        yield None
        return
    with DaskCluster(address) as cluster:
        yield cluster


class DaskCluster:
    """A Dask client: to the scheduler at ``tcp://HOST:PORT``, or to a cluster of N worker
    processes started on 127.0.0.1 (``local:N``; no dashboard), connected on first use and
    closed with :meth:`close` (a local cluster stops with it)."""

    def __init__(self, address: str) -> None:
        self.address = address.strip()
        self._target = parse_address(address)  # a bad address is a usage error before any work
        if importlib.util.find_spec("distributed") is None:
            raise EngineError(f"--dask {self.address}", "Dask is not installed (no module 'distributed')", INSTALL)
        self._client: Client | None = None
        self._local: LocalCluster | None = None
        self._lock = threading.Lock()

    def engine(self, name: str, options: Mapping[str, Any]) -> DaskEngine:
        """The engine ``name`` (built with ``options`` on each worker that gets a task of it)."""
        return DaskEngine(self, name, options)

    def client(self) -> Client:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def workers(self) -> int:
        return max(1, len(self.client().scheduler_info(n_workers=-1).get("workers", {})))

    def _connect(self) -> Client:
        try:
            from distributed import Client, LocalCluster  # optional: only when a cluster is asked for
        except ImportError as exc:
            raise EngineError(f"--dask {self.address}", f"Dask cannot be imported ({exc})", INSTALL) from None
        where = f"--dask {self.address}"
        # Dask's own INFO lines (every connection and worker) would drown what -v says of the run.
        logging.getLogger("distributed").setLevel(max(logging.WARNING, logging.getLogger("distributed").level))
        if isinstance(self._target, int):
            # One thread per worker process: each worker owns one engine (one Apertium pipeline per
            # mode), and more parallelism is more processes. No dashboard; the scheduler's HTTP
            # routes (health, metrics) always start: on a free port, never 8787 (two runs at once).
            self._local = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=self._target, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
            client = Client(self._local)  # type: ignore[no-untyped-call]
        else:
            try:
                client = Client(self._target, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError) as exc:
                raise EngineError(
                    where, f"cannot reach the Dask scheduler ({exc})",
                    "start one there with 'dask scheduler' and workers with 'dask worker tcp://HOST:PORT', "
                    "or check the address",
                ) from None
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError):
                client.close()  # type: ignore[no-untyped-call]
                raise EngineError(
                    where, f"the scheduler has no worker after {CONNECT_TIMEOUT:g} s",
                    "start workers with 'dask worker tcp://HOST:PORT' (each with i18n-pipeline and the engine installed)",
                ) from None
        log.info("Dask: %s, %d workers", self.address, len(client.scheduler_info(n_workers=-1).get("workers", {})))
        return client

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
            local, self._local = self._local, None
        if client is not None:
            client.close()  # type: ignore[no-untyped-call]
        if local is not None:
            local.close()

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


@dataclass(frozen=True)
class _Spec:
    """What a worker needs to build the engine: sent with every task (small; never a key)."""

    name: str
    options: Mapping[str, Any]
    key: str  # name + digest of the options: one engine per distinct configuration on a worker
    code: str  # the client's code digest: a worker with other code must not answer


@dataclass(frozen=True)
class _Answer:
    value: Any = None
    error: tuple[str, str, str] | None = None  # (where, what, fix) of an EngineError on the worker
    worker: int = 0  # its pid, for the log


class DaskEngine:
    """An engine whose batches run on the workers of a :class:`DaskCluster`."""

    def __init__(self, cluster: DaskCluster, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self._cluster = cluster
        digest = hashlib.sha256(pickle.dumps(sorted(options.items(), key=lambda kv: kv[0]))).hexdigest()[:16]
        self._spec = _Spec(name, dict(options), f"{name}:{digest}", code_digest())
        self._described: dict[tuple[str, str], tuple[str, bool]] = {}
        self._batch_by_release: bool | None = None

    # -- Engine protocol ----------------------------------------------------------------------
    def describe(self, source: str, target: str) -> str:
        return self._facts(source, target)[0]

    def supports(self, source: str, target: str) -> bool:
        try:
            return self._facts(source, target)[1]
        except EngineError:
            return False

    @property
    def batch_by_release(self) -> bool:
        """Whether the engine reads a release as a whole (an LLM): asked of a worker once."""
        if self._batch_by_release is None:
            self._batch_by_release = bool(self._call(_engine_attribute, "batch_by_release"))
        return self._batch_by_release

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [m.text for m in self.translate_detailed(texts, source, target)]

    def translate_detailed(self, texts: Sequence[str], source: str, target: str) -> list[MachineTranslation]:
        """``texts`` in tasks over the workers, gathered as they complete, returned in order."""
        if not texts:
            return []
        from distributed import as_completed  # optional dependency (DaskCluster checked it)
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        client = self._cluster.client()
        size = _task_size(len(texts), self._cluster.workers())
        parts = [list(texts[i : i + size]) for i in range(0, len(texts), size)]
        futures = [client.submit(_translate_task, self._spec, part, source, target, pure=False) for part in parts]
        index = {future.key: i for i, future in enumerate(futures)}
        done: list[list[MachineTranslation] | None] = [None] * len(parts)
        try:
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                i = index[future.key]
                count = f"{len(parts[i])} segment" + ("s" if len(parts[i]) != 1 else "")
                what = f"dask batch {i + 1} of {len(parts)} ({count}, {self.name} {source}→{target})"
                try:
                    answer: _Answer = future.result()
                except KilledWorker as exc:
                    raise EngineError(
                        what, f"its workers died while running it, too often to try again ({exc})",
                        "look at the workers' logs (out of memory? an engine that crashes on these sentences?); "
                        "translate without --dask to find the sentence",
                    ) from None
                except (FutureCancelledError, OSError, TimeoutError) as exc:
                    raise EngineError(what, f"lost the Dask cluster ({exc})", "check the scheduler and run again") from None
                if answer.error is not None:
                    raise EngineError(*answer.error)
                done[i] = answer.value
                log.info("%s: done on worker pid %d", what, answer.worker)
        finally:
            client.cancel([f for f in futures if not f.done()])  # type: ignore[no-untyped-call]
        return [translation for part in done for translation in part or ()]

    def close(self) -> None:
        """Nothing to close here: the workers keep their engines for the next batches and runs;
        the cluster is its owner's to close."""

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------
    def _facts(self, source: str, target: str) -> tuple[str, bool]:
        if (source, target) not in self._described:
            self._described[source, target] = self._call(_describe_task, source, target)
        return self._described[source, target]

    def _call(self, function: Any, *args: Any) -> Any:
        answer: _Answer = self._cluster.client().submit(function, self._spec, *args, pure=False).result()
        if answer.error is not None:
            raise EngineError(*answer.error)
        return answer.value


def _task_size(segments: int, workers: int) -> int:
    """At most TASK_SEGMENTS a task, and at least two tasks per worker when there is enough work,
    so that no worker waits while another has a queue."""
    return max(1, min(TASK_SEGMENTS, max(MIN_TASK_SEGMENTS, math.ceil(segments / (2 * workers)))))


# --------------------------------------------------------------------------------------------
# The worker side: these functions run in the worker processes (importable, so Dask pickles them
# by reference and the cache below lives as long as the worker).

_ENGINES: dict[tuple[str, int], Engine] = {}  # (spec key, thread) -> engine
_ENGINES_LOCK = threading.Lock()
_WORKER_CODE: list[str] = []  # this process's code digest, computed once


def _engine(spec: _Spec) -> Engine:
    if not _WORKER_CODE:
        _WORKER_CODE.append(code_digest())
    if _WORKER_CODE[0] != spec.code:
        raise EngineError(
            f"dask worker pid {os.getpid()}", "runs another version of i18n-pipeline than the client",
            "install the same version of the code on every worker (and restart them) as on the machine that runs it",
        )
    key = (spec.key, threading.get_ident())  # one engine per worker thread: no two tasks share a pipeline
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = get_engine(spec.name, **spec.options)
        return engine


def _guarded(spec: _Spec, work: Any, *args: Any) -> _Answer:
    try:
        return _Answer(work(_engine(spec), *args), worker=os.getpid())
    except PipelineError as exc:  # sent back as its parts: every error the user can fix stays one line
        return _Answer(error=(exc.where, exc.what, exc.fix), worker=os.getpid())


def _translate_task(spec: _Spec, texts: list[str], source: str, target: str) -> _Answer:
    return _guarded(spec, lambda engine: translate_detailed(engine, texts, source, target))


def _describe_task(spec: _Spec, source: str, target: str) -> _Answer:
    return _guarded(spec, lambda engine: (engine.describe(source, target), engine.supports(source, target)))


def _engine_attribute(spec: _Spec, attribute: str) -> _Answer:
    return _guarded(spec, lambda engine: getattr(engine, attribute, None))
