"""Per-release work on several cores (parallel.py): same results, same order, same errors as
the one-by-one loop, and extract's templates byte-identical either way."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from i18n_pipeline import files, parallel, site
from i18n_pipeline.cli import main
from i18n_pipeline.errors import DocumentError, PipelineError
from i18n_pipeline.files import atomic_stream, write_atomic
from i18n_pipeline.formats import markdown
from i18n_pipeline.pipeline import catalogs
from i18n_pipeline.pofile import read_po
from tests.project import SEED, break_placeholder, copy_project, snapshot


@pytest.fixture(autouse=True)
def _two_cores_and_no_threads_left_by_other_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two workers whatever the machine (on one core they take turns: the same results). A Dask
    # client of an earlier test leaves its (idle) event-loop threads in this process for good,
    # which makes every stage here run on one core; a command line starts without them.
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    if "guard" not in request.node.name:
        monkeypatch.setattr(parallel, "forking_is_safe", lambda: multiprocessing.parent_process() is None)


def _square_where(fail_at: int | None, item: int) -> tuple[int, int]:
    if item == fail_at:
        raise DocumentError(f"release-{item}.md:3", "broken front matter", "close the '---' block")
    return item * item, os.getpid()


def test_results_come_in_order_from_worker_processes() -> None:
    out = list(parallel.in_order(_square_where, None, range(100), min_items=4))
    assert [square for square, _ in out] == [i * i for i in range(100)]
    assert os.getpid() not in {pid for _, pid in out}  # computed by the workers


def _square_slow_to_exit(_: None, item: int) -> int:
    # Run at the worker's exit, after its last result is sent (multiprocessing's finalizers).
    multiprocessing.util.Finalize(None, time.sleep, args=(0.3,), exitpriority=0)
    return item * item


def test_a_worker_on_its_way_out_after_its_last_result_is_waited_for_not_stopped(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # Stopping it there raised the stop request in multiprocessing's exit path: a traceback on
    # the user's terminal after a build that went well.
    assert list(parallel.in_order(_square_slow_to_exit, None, range(8), min_items=4)) == [i * i for i in range(8)]
    assert "Traceback" not in capfd.readouterr().err


def _square_logged(log: Path, item: int) -> tuple[int, int]:
    with log.open("a") as started:  # one short append per item: whole lines, whatever the worker
        started.write(f"{item}\n")
    return item * item, os.getpid()


def test_only_a_few_items_per_worker_are_started_ahead_of_the_caller(tmp_path: Path) -> None:
    # The results of 2,000 releases must not pile up in memory while the caller writes.
    log = tmp_path / "started"
    results = parallel.in_order(_square_logged, log, range(400), min_items=4)
    assert next(results)[0] == 0
    time.sleep(0.5)  # time enough for the workers to run ahead, were they allowed to
    assert len(log.read_text().split()) <= 1 + parallel.cores() * parallel.AHEAD
    assert [square for square, _ in results] == [i * i for i in range(1, 400)]
    assert sorted(map(int, log.read_text().split())) == list(range(400))


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(PipelineError, match="ended without an answer"):
        list(parallel.in_order(_die_at, 30, range(100), min_items=4))


def _die_at(at: int, item: int) -> int:
    if item == at:
        os._exit(3)  # as the kernel's OOM killer would end it: no exception, no answer
    return item


def test_a_workers_error_is_raised_at_its_item_as_it_was_raised() -> None:
    seen: list[int] = []

    def consume() -> None:
        for square, _ in parallel.in_order(_square_where, 37, range(100), min_items=4):
            seen.append(square)

    with pytest.raises(DocumentError) as caught:
        consume()
    assert seen == [i * i for i in range(37)]
    error = caught.value
    assert (error.where, error.what, error.fix) == ("release-37.md:3", "broken front matter", "close the '---' block")


def test_guard_with_another_thread_alive_or_few_items_the_work_stays_here() -> None:
    assert {pid for _, pid in parallel.in_order(_square_where, None, range(5))} == {os.getpid()}
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:  # forking now could copy a lock the other thread holds
        assert {pid for _, pid in parallel.in_order(_square_where, None, range(100), min_items=4)} == {os.getpid()}
    finally:
        stop.set()
        other.join()


def _many_releases(root: Path, count: int) -> Path:
    project = copy_project(root)
    text = (project / "content" / f"{SEED}.md").read_text("utf-8")
    for i in range(count):  # distinct releases: one word of each paragraph numbered
        (project / "content" / f"release-{i:02}.md").write_text(text.replace("victims", f"victims ({i})"), "utf-8")
    return project


def test_extract_on_several_cores_writes_what_one_core_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pooled, alone = _many_releases(tmp_path / "pooled", 30), _many_releases(tmp_path / "alone", 30)
    assert main(["extract", "--project", str(pooled)]) == 0
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert main(["extract", "--project", str(alone)]) == 0
    templates = _dated(snapshot(pooled / "locales" / "templates"))
    assert len(templates) == 31 and templates == _dated(snapshot(alone / "locales" / "templates"))


def test_a_bad_release_among_many_stops_extract_with_the_error_one_core_gives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    written: list[set[str]] = []
    vouched: list[set[str]] = []
    for cores in (2, 1):
        monkeypatch.setattr(parallel, "cores", lambda cores=cores: cores)
        project = _many_releases(tmp_path / str(cores), 30)
        (project / "content" / "release-12.md").write_bytes(b"---\ntitle: [unclosed\n---\nText.\n")
        capsys.readouterr()
        assert main(["extract", "--project", str(project)]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        errors.append(err.replace(str(project), "PROJECT"))
        templates = project / "locales" / "templates"
        written.append({p.name for p in templates.glob("*.pot")})
        for template in templates.glob("*.pot"):  # each complete, whoever wrote it
            assert read_po(template).entries()
        done = json.loads((project / ".i18n-cache" / "work.json").read_text("utf-8"))["done"]
        vouched.append({key for key in done if key.startswith("extract:")})
    assert errors[0] == errors[1] and "release-12.md" in errors[0]
    before = {f"{SEED}.pot", *(f"release-{i:02}.pot" for i in range(12))}
    assert written[1] == before  # one core: exactly the releases before the bad one
    # Several: those, and perhaps a few after it that a worker had done already. The work log
    # vouches only for the releases before the bad one, as on one core.
    assert before <= written[0] and all(int(name[8:10]) > 12 for name in written[0] - before)
    assert vouched[0] == vouched[1] == {f"extract:{name[:-4]}" for name in before}


def test_update_on_several_cores_writes_what_one_core_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    projects = {cores: _many_releases(tmp_path / str(cores), 30) for cores in (2, 1)}
    for cores, project in projects.items():
        monkeypatch.setattr(parallel, "cores", lambda cores=cores: cores)
        for argv in (["extract"], ["update"], ["translate", "-l", "es", "--engine", "pseudo"]):
            assert main([*argv, "--project", str(project)]) == 0
        # A changed sentence in every release: the merge keeps each old translation as fuzzy.
        for release in (project / "content").glob("release-*.md"):
            release.write_text(release.read_text("utf-8").replace("victims (", "survivors ("), "utf-8")
        for argv in (["extract"], ["update"]):
            assert main([*argv, "--project", str(project)]) == 0
    pooled, alone = (_dated(snapshot(projects[cores] / "locales")) for cores in (2, 1))
    assert len([name for name in pooled if name.endswith(".po")]) == 62 and pooled == alone
    assert b"#| msgid" in pooled["es/LC_MESSAGES/release-07.po"]  # old translations kept as fuzzy


def _dated(files: dict[str, bytes]) -> dict[str, bytes]:
    """Header dates (to the minute) may differ between two runs a minute apart."""
    return {name: re.sub(rb"(Creation|Revision)-Date: [^\\]*", rb"\1-Date: X", data) for name, data in files.items()}


def test_build_on_several_cores_writes_what_one_core_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    said: dict[int, list[str]] = {}
    built: dict[int, dict[str, bytes]] = {}
    for cores in (2, 1):
        monkeypatch.setattr(parallel, "cores", lambda cores=cores: cores)
        project = _many_releases(tmp_path / str(cores), 30)
        for argv in (["extract"], ["update"], ["translate", "--engine", "pseudo"]):
            assert main([*argv, "--project", str(project)]) == 0
        break_placeholder(project)  # one translation a critical check keeps from the page
        capsys.readouterr()
        assert main(["build", "--include-machine", "--project", str(project)]) == 0
        assert main(["build", "--include-machine", "--project", str(project)]) == 0  # nothing to redo
        said[cores] = capsys.readouterr().out.replace(str(project), "PROJECT").splitlines()
        built[cores] = snapshot(project / "build") | {
            name: data for name, data in snapshot(project / ".i18n-cache").items() if name.startswith("checks-")}
    assert said[2] == said[1] and "1 translation not published" in " ".join(said[2])
    assert len(built[2]) > 90 and built[2] == built[1]


def test_markdown_it_is_built_before_the_workers_fork_not_in_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Importing and setting up markdown-it takes ~25 ms: built in a worker, every worker of every
    # stage pays it again; built before the fork, the workers inherit it.
    built_at_fork: dict[str, int] = {}
    for stage in (catalogs, site):
        def spy(work: Any, shared: Any, items: Any, real: Any = stage.in_order) -> Any:
            built_at_fork[work.__name__] = markdown._parser.cache_info().currsize
            return real(work, shared, items)
        monkeypatch.setattr(stage, "in_order", spy)
    project = _many_releases(tmp_path, 30)
    for argv in (["extract"], ["update"], ["translate", "--engine", "pseudo"], ["build", "--include-machine"]):
        markdown._parser.cache_clear()
        assert main([*argv, "--project", str(project)]) == 0
    assert built_at_fork == {"_new_template": 2, "_merged_catalogs": 0, "_make_release": 2}


def _write_slowly(folder: Path, item: int) -> int:
    with atomic_stream(folder / f"{item}.txt", durable=False) as out:
        out.write(b"x")
        time.sleep(0 if item == 0 else 0.3)
    return item


def test_workers_stopped_early_leave_no_temporary_file(tmp_path: Path) -> None:
    # The caller stops (an error in it, Ctrl-C) while workers are inside their writes.
    before = set(multiprocessing.active_children())  # an earlier test's (Dask's) may live on
    results = parallel.in_order(_write_slowly, tmp_path, range(40), min_items=4)
    assert next(results) == 0
    time.sleep(0.15)
    results.close()
    assert not list(tmp_path.glob(".*.tmp"))
    assert set(multiprocessing.active_children()) <= before  # the workers are gone


_CALLER = """
import os, sys, time
from i18n_pipeline import parallel
parallel.cores = lambda: 2
def pid(_, item):
    return os.getpid()
results = parallel.in_order(pid, None, range(100), min_items=4)
print(next(results), next(results), flush=True)
time.sleep(60)  # killed here, with its workers waiting for credits
"""


def test_the_workers_of_a_killed_caller_end(tmp_path: Path) -> None:
    caller = subprocess.Popen([sys.executable, "-c", _CALLER], stdout=subprocess.PIPE, text=True)
    assert caller.stdout is not None
    workers = [int(pid) for pid in caller.stdout.readline().split()]
    caller.kill()  # as kill -9 does: no clean-up of any kind
    caller.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its killed caller"
        time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def _durable_write(folder: Path, item: int) -> int:
    write_atomic(folder / f"{item}.txt", b"x")  # durable: the file, then its folder, fsynced
    return os.getpid()


def test_a_workers_durable_write_fsyncs_its_folder_inside_a_batched_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stage's block defers folder fsyncs to its end, which a forked worker never reaches.
    log = tmp_path / "synced"

    def record(directory: Path) -> None:
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")

    monkeypatch.setattr(files, "_fsync_dir_now", record)
    folder = tmp_path / "out"
    folder.mkdir()
    with files.batched_fsync():
        pids = set(parallel.in_order(_durable_write, folder, range(8), min_items=4))
        synced = set(log.read_text().split()) if log.exists() else set()
    assert os.getpid() not in pids and synced == {str(pid) for pid in pids}


def _unpicklable(_: None, item: int) -> object:
    return (lambda: item) if item == 5 else item  # a lambda cannot go down the pipe


def test_a_result_that_cannot_be_passed_back_is_an_error_at_its_item() -> None:
    results = parallel.in_order(_unpicklable, None, range(10), min_items=4)
    assert [next(results) for _ in range(5)] == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError, match="item 5: cannot pass its result back"):
        next(results)
