"""``run --dask``: engine batches on a real Dask cluster (2 worker processes on 127.0.0.1), real
Apertium on the workers, compared byte for byte with a local run of the same project."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest
from distributed import Client, LocalCluster

from i18n_pipeline.cli import main
from i18n_pipeline.engines import dask as dask_engine
from i18n_pipeline.engines.apertium import ApertiumEngine
from i18n_pipeline.engines.dask import DaskCluster, _task_size, parse_address
from i18n_pipeline.errors import EngineError, UsageError
from tests.big_project import Reference, assert_catalogs_whole, cli_verbose, compare_results, results
from tests.project import TIMEOUT, snapshot

_BATCH = re.compile(r"dask batch .*: done on worker pid (\d+)")


@pytest.fixture(scope="session")
def cluster() -> Iterator[tuple[str, Client]]:
    """Two worker processes of one thread each, as ``--dask local:2`` starts them (4-5 s)."""
    local = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )
    with local, Client(local) as client:  # type: ignore[no-untyped-call]
        yield local.scheduler_address, client


def _run(project: Path, address: str) -> list[int]:
    """``i18n-pipeline -v run --dask ADDRESS`` as a process, as a build job runs it; returns the
    worker pid of each batch it gathered (its -v log names them)."""
    done = subprocess.run(cli_verbose(project, "run", "--dask", address), capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=project)
    assert done.returncode == 0, f"run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return [int(pid) for pid in _BATCH.findall(done.stderr)]


def _kill_a_busy_worker(client: Client, stop: threading.Event, killed: list[tuple[int, int]]) -> None:
    """SIGKILL the first worker seen running or holding a batch of the run: (pid, its batches)."""
    while not stop.is_set():
        busy = {worker: [k for k in keys if str(k).startswith("_translate_task")]
                for worker, keys in client.processing().items()}  # type: ignore[no-untyped-call]
        worker, keys = max(busy.items(), key=lambda item: len(item[1]), default=("", []))
        if keys:
            pid = client.run(os.getpid, workers=[worker])[worker]
            os.kill(pid, signal.SIGKILL)
            killed.append((pid, len(keys)))
            return
        time.sleep(0.005)


def _pipelines_started() -> list[tuple[int, int]]:
    """On a worker: (pipelines started, pipelines it has) of each Apertium engine it keeps."""
    return [(e.pipelines_started, len(e._pipelines)) for e in dask_engine._ENGINES.values()
            if isinstance(e, ApertiumEngine) and e._pipelines]


def _worker_pids(client: Client) -> set[int]:
    return set(client.run(os.getpid).values())


def test_a_dask_run_gives_the_same_files_as_a_local_run(
    reference: Reference, cluster: tuple[str, Client], tmp_path: Path
) -> None:
    address, client = cluster
    project = tmp_path / "p"
    shutil.copytree(reference.inputs, project)
    pids = _run(project, address)
    assert compare_results(results(project), results(reference.full)) == []
    assert_catalogs_whole(project, reference)  # msgfmt -c too
    # The engine work went to both workers, and each kept its Apertium pipelines between tasks:
    # every pipeline (a mode, or its analyser) started once per worker, however many tasks it ran.
    assert set(pids) == _worker_pids(client), pids
    assert len(pids) >= 6
    started = client.run(_pipelines_started)
    assert all(pairs and all(n == kept for n, kept in pairs) for pairs in started.values()), started


def test_a_worker_killed_mid_run_loses_nothing(reference: Reference, cluster: tuple[str, Client], tmp_path: Path) -> None:
    address, client = cluster
    project = tmp_path / "p"
    shutil.copytree(reference.inputs, project)
    stop = threading.Event()
    killed: list[tuple[int, int]] = []
    killer = threading.Thread(target=_kill_a_busy_worker, args=(client, stop, killed))
    killer.start()
    try:
        pids = _run(project, address)
    finally:
        stop.set()
        killer.join()
    assert killed, "a worker was killed while it held batches of the run"
    victim, held = killed[0]
    assert held >= 1 and victim not in _worker_pids(client), "its nanny started another"
    assert pids and victim not in pids[-1:], pids  # its batches were done again by another worker
    assert compare_results(results(project), results(reference.full)) == []
    assert_catalogs_whole(project, reference)


def test_local_2_with_a_worker_killed_gives_the_same_files(reference: Reference, tmp_path: Path) -> None:
    """The issue's own words: ``run --dask local:2`` (the run starts its own 2 workers), one worker
    SIGKILLed as soon as it has answered a batch, and the files equal a local run's."""
    project = tmp_path / "p"
    shutil.copytree(reference.inputs, project)
    with subprocess.Popen(cli_verbose(project, "run", "--dask", "local:2"), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, cwd=project) as proc:
        assert proc.stderr is not None and proc.stdout is not None
        log: list[str] = []
        victim = None
        for line in proc.stderr:
            log.append(line)
            done = _BATCH.search(line)
            if done and victim is None:
                victim = int(done.group(1))
                os.kill(victim, signal.SIGKILL)
        proc.stdout.read()
        assert proc.wait(timeout=TIMEOUT) == 0, "".join(log)
    assert victim is not None, "".join(log)
    assert "Traceback" not in "".join(log)
    later = [int(m.group(1)) for m in map(_BATCH.search, log) if m][1:]
    assert later and victim not in later[-1:], later  # the rest was done by the others
    assert compare_results(results(project), results(reference.full)) == []
    assert_catalogs_whole(project, reference)


def test_an_engine_error_on_a_worker_is_one_line(
    project: Path, cluster: tuple[str, Client], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address, _ = cluster
    (tmp_path / "modes").mkdir()  # no Apertium pair here: the workers say so, before anything is written
    for folder in ("build", "locales/es", "locales/fr"):
        shutil.rmtree(project / folder)
    before = snapshot(project)
    capsys.readouterr()
    code = main(["run", "--dask", address, "--engine-option", f"apertium.modes_dir={tmp_path / 'modes'}",
                 "--project", str(project)])
    err = capsys.readouterr().err
    assert code == 1
    assert "apertium en→es: no Apertium pair for en→es" in err and "sudo apt-get install apertium-eng-spa" in err
    assert "Traceback" not in err
    assert snapshot(project) == before


def test_an_unreachable_scheduler_is_an_error_before_any_work(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1.0)
    shutil.rmtree(project / "build")
    before = snapshot(project)
    capsys.readouterr()
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    assert main(["run", "--dask", address, "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: --dask {address}: cannot reach the Dask scheduler")
    assert "start one there with 'dask scheduler'" in err and "Traceback" not in err
    assert snapshot(project) == before


def test_a_scheduler_without_workers_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1.0)
    empty = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )
    with empty, DaskCluster(empty.scheduler_address) as cluster, \
            pytest.raises(EngineError, match=r"the scheduler has no worker after 1 s; start workers with 'dask worker"):
        cluster.engine("apertium", {}).describe("en", "es")


def _die(*args: object) -> None:
    os._exit(1)  # what a worker killed by the kernel (out of memory) looks like to the scheduler


def _make_batches_kill_their_worker() -> None:
    dask_engine._translate_task = _die  # type: ignore[assignment]


def test_a_batch_that_kills_its_workers_is_an_error_naming_it() -> None:
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        local = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        )
    with local, Client(local) as client, DaskCluster(local.scheduler_address) as cluster:  # type: ignore[no-untyped-call]
        client.run(_make_batches_kill_their_worker)
        with pytest.raises(EngineError) as raised:
            cluster.engine("apertium", {}).translate_detailed(["Hello."], "en", "es")
    assert str(raised.value).startswith("dask batch 1 of 1 (1 segment, apertium en→es): its workers died while running it")
    assert "translate without --dask to find the sentence" in str(raised.value)


def test_a_worker_with_other_code_refuses_batches() -> None:
    spec = dask_engine._Spec("pseudo", {}, "pseudo:test", code="another version")
    answer = dask_engine._translate_task(spec, ["Hello."], "en", "es")
    assert answer.value is None and answer.error is not None
    assert answer.error[1:] == (
        "runs another version of i18n-pipeline than the client",
        "install the same version of the code on every worker (and restart them) as on the machine that runs it",
    )


@pytest.mark.parametrize("address", ["localhost:8786", "tcp://host", "tcp://:8786", "local:0", "local:x", "udp://h:1",
                                     "tcp://h:99999"])
def test_a_bad_address_is_a_usage_error(project: Path, address: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["translate", "--dask", address, "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --dask {address!r}: ") and "tcp://HOST:PORT" in err and "local:N" in err


def test_without_dask_installed_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # what find_spec reports when it is not installed
    with pytest.raises(EngineError, match=r"Dask is not installed.*pip install 'i18n-pipeline\[dask\]'"):
        DaskCluster("local:2")


def test_addresses() -> None:
    assert parse_address("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert parse_address(" tcp://scheduler.example.org:8786 ") == "tcp://scheduler.example.org:8786"
    assert parse_address("tcp://[::1]:8786") == "tcp://[::1]:8786"
    assert parse_address("local:4") == 4
    with pytest.raises(UsageError, match="1 to 64 workers"):
        parse_address("local:65")


def test_tasks_keep_every_worker_busy_without_slivers() -> None:
    assert _task_size(100, 2) == 25  # the first request of a run: two tasks per worker
    assert _task_size(2000, 2) == 250  # a big request: tasks of at most 250
    assert _task_size(10, 8) == 25  # a small one is not cut into slivers of one or two segments
    assert _task_size(1, 1) == 25
