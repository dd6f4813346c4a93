"""Atomic writes (i18n_pipeline.files): a file is replaced whole or not at all, and a killed run
never leaves a truncated or half-written PO file.

The unit tests fail the writer at each step. The end-to-end test runs the real CLI on a project
of ~20 generated releases (``reference``, see big_project.py) in a subprocess and kills it with
SIGKILL at seeded random moments spread over one measured run; after each kill every
``.po``/``.pot`` parses, passes ``msgfmt -c`` and holds *all* the entries it should (a file cut
at an entry boundary would still parse, so parsing alone proves little); then a second ``run``
completes: every catalog passes ``msgfmt -c``, no temporary file is left anywhere, every file
under ``locales/`` and ``build/`` equals the uninterrupted run's byte for byte (dates aside), and the
engine (Apertium) received no more than one full run plus the one request the kill cut short
(counted from the runs' -v logs, which name every request as it is sent).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.files import (
    LOCK_NAME,
    LockHolder,
    atomic_stream,
    project_lock,
    relative_name,
    remove_stale_temp_files,
    write_atomic,
    write_if_changed,
)
from tests.big_project import (
    RANDOM_SEED,
    Reference,
    assert_catalogs_whole,
    assert_complete,
    catalog_files,
    cli,
    compare_results,
    results,
    run_to_completion,
    segments_sent,
    start_run,
    temp_files,
    temp_leftovers,
)
from tests.project import TIMEOUT

KILLS = 10

# --- the writer -------------------------------------------------------------------------------


def test_a_new_file_is_written_with_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "locales" / "es" / "LC_MESSAGES" / "news.po"
    write_atomic(path, b"msgid \"\"\n")
    assert path.read_bytes() == b"msgid \"\"\n"
    assert os.listdir(path.parent) == ["news.po"]  # no temporary file left


def test_a_failure_while_writing_keeps_the_old_file_and_removes_the_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "news.po"
    path.write_bytes(b"old")
    temporary: list[str] = []

    def write_half() -> None:
        with atomic_stream(path) as handle:
            handle.write(b"new, half writ")
            temporary.extend(p.name for p in tmp_path.iterdir() if p != path)
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_half()
    assert len(temporary) == 1 and temporary[0].startswith(".news.po.")  # hidden, beside the file
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["news.po"]


def test_before_replace_runs_last_and_can_keep_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "news.po"
    path.write_bytes(b"old")
    seen: list[bytes] = []

    def guard() -> None:
        seen.append(path.read_bytes())  # the old file is still in place
        temporary = [p for p in tmp_path.iterdir() if p != path]
        assert len(temporary) == 1 and temporary[0].read_bytes() == b"new"  # the new one is whole
        raise PermissionError("a translator saved meanwhile")

    with pytest.raises(PermissionError, match="translator"):
        write_atomic(path, b"new", before_replace=guard)
    assert seen == [b"old"]
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["news.po"]
    write_atomic(path, b"new", before_replace=lambda: None)
    assert path.read_bytes() == b"new"


def test_an_existing_file_keeps_its_permissions_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "news.po"
    path.write_bytes(b"old")
    path.chmod(0o640)
    write_atomic(path, b"new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.po"
    old_umask = os.umask(0o027)
    try:
        write_atomic(fresh, b"new")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640  # 0o666 & ~0o027, not mkstemp's 0o600


def test_write_if_changed_leaves_identical_bytes_alone(tmp_path: Path) -> None:
    path = tmp_path / "build" / "news.md"
    assert write_if_changed(path, b"# News\n") is True  # new file
    stamp = path.stat().st_mtime_ns - 10_000_000_000
    os.utime(path, ns=(stamp, stamp))
    inode = path.stat().st_ino
    assert write_if_changed(path, b"# News\n") is False
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == (stamp, inode)  # not even rewritten
    assert write_if_changed(path, b"# Noticias\n") is True
    assert path.read_bytes() == b"# Noticias\n" and path.stat().st_ino != inode  # replaced by rename



# A Ctrl-C that lands while the temporary file is being created (or just after) must not leave it
# behind: atomic_stream picks the name before it creates the file, inside its try block.
def test_a_ctrl_c_as_the_temporary_file_is_made_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def open_then_ctrl_c(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        if flags & os.O_CREAT:
            os.close(fd)
            os.kill(os.getpid(), signal.SIGINT)  # delivered before kill() returns: Python raises here
        return fd  # pragma: no cover - never reached for the temporary file

    monkeypatch.setattr(os, "open", open_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "news.po", b"new")
    assert os.listdir(tmp_path) == []

# --- SIGKILL at random moments ------------------------------------------------------------------


def test_sigkill_at_random_moments_never_leaves_a_broken_catalog(reference: Reference, tmp_path: Path) -> None:
    rng = random.Random(RANDOM_SEED + 1)
    # Stratified over the measured run: each kill falls in its own slice of [3 %, 93 %] of it
    # (runs vary by ±15 %; past 93 % a kill often finds the run over).
    delays = [reference.seconds * (0.03 + 0.9 * (i + rng.random()) / KILLS) for i in range(KILLS)]
    summary: list[str] = []
    leftovers_seen: list[str] = []
    expected = results(reference.full)
    for i, delay in enumerate(delays):
        project = tmp_path / f"kill-{i}"
        shutil.copytree(reference.inputs, project)
        proc = start_run(project)
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=TIMEOUT)
        _, killed_err = proc.communicate(timeout=TIMEOUT)
        killed_sent = segments_sent(killed_err)
        n_files = len(catalog_files(project))
        leftovers = temp_leftovers(project)
        leftovers_seen += [p.name for p in leftovers]
        assert_catalogs_whole(project, reference)
        # Any leftover must not pass for a catalog: no .po/.pot suffix (checked by
        # catalog_files/assert_catalogs_whole above) and a hidden name.
        assert all(p.name.startswith(".") for p in leftovers), leftovers
        rerun_sent = segments_sent(run_to_completion(project).stderr)
        assert_complete(project, reference)
        assert_catalogs_whole(project, reference)  # msgfmt -c on every catalog after the rerun
        assert temp_files(project) == [], "the rerun removes what the killed run left"
        got = results(project)
        assert sorted(got) == sorted(expected)
        wrong = compare_results(got, expected)
        assert not wrong, f"kill {i}: differs from an uninterrupted run: {wrong[:5]}"
        # What the killed run had translated was kept (the MT cache commits every request): the
        # two runs together cost the engine one full run plus, at most, what was in flight: the
        # request the engine worked on and the one whose outputs were being stored meanwhile.
        requests = sorted(map(int, re.findall(r"engine request: (\d+) segments", killed_err.decode())))
        in_flight = sum(requests[-2:])
        assert killed_sent + rerun_sent <= reference.engine_segments + in_flight, (i, killed_sent, rerun_sent)
        assert killed_sent + rerun_sent < 2 * reference.engine_segments
        summary.append(
            f"kill {i}: at {delay:.2f} s{' (run had finished)' if finished else ''}, "
            f"{n_files} catalogs on disk, {len(leftovers)} temporary leftovers; engine received "
            f"{killed_sent} + {rerun_sent} segments (a full run: {reference.engine_segments})"
        )
    print("\n" + "\n".join(summary))
    if leftovers_seen:
        print("temporary files left by SIGKILL, removed by the rerun:", ", ".join(leftovers_seen))
    # Most kills must have hit a running pipeline, or the test proves nothing.
    assert sum("finished" not in line for line in summary) >= KILLS // 2


# --- the project lock ---------------------------------------------------------------------------

_HOLD = """
import sys, time
from pathlib import Path
from i18n_pipeline.files import project_lock
with project_lock(Path(sys.argv[1]), "i18n-pipeline run"):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_lock(cache: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(cache), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def test_the_lock_names_its_holder_and_no_wait_refuses(tmp_path: Path) -> None:
    cache = tmp_path / ".i18n-cache"
    holder = _hold_lock(cache, 30)
    try:
        with pytest.raises(PipelineError) as refused, project_lock(cache, "i18n-pipeline build", wait=False):
            pass
        message = str(refused.value)
        assert f"process {holder.pid} (i18n-pipeline run, since " in message
        assert "is working on this project" in message and "--no-wait" in message
    finally:
        holder.kill()
        holder.wait()
    # The holder was killed: the kernel released its lock; its note is taken over.
    with project_lock(cache, "i18n-pipeline build", wait=False) as outermost:
        assert outermost
        assert '"command": "i18n-pipeline build"' in (cache / LOCK_NAME).read_text("utf-8")
        with project_lock(cache, "nested", wait=False) as inner:  # re-entrant in one process
            assert not inner
    assert (cache / LOCK_NAME).read_text("utf-8") == ""  # released: nobody named


def test_a_waiting_run_is_told_who_it_waits_for(tmp_path: Path) -> None:
    cache = tmp_path / ".i18n-cache"
    holder = _hold_lock(cache, 1.0)
    seen: list[LockHolder | None] = []
    started = time.monotonic()
    with project_lock(cache, "i18n-pipeline update", on_wait=seen.append):
        waited = time.monotonic() - started
    holder.wait()
    assert len(seen) == 1 and seen[0] is not None and seen[0].pid == holder.pid
    assert waited > 0.5


def test_a_cache_folder_that_is_a_file_is_reported(tmp_path: Path) -> None:
    cache = tmp_path / ".i18n-cache"
    cache.write_text("x")
    with pytest.raises(PipelineError, match=r"\.i18n-cache: is a file, where the pipeline keeps its cache folder"), \
            project_lock(cache, "run"):
        pass


def test_temp_files_a_killed_run_left_are_removed(tmp_path: Path) -> None:
    left = tmp_path / "locales" / "es" / ".news.po.0123456789ab.tmp"
    left.parent.mkdir(parents=True)
    left.write_bytes(b"half")
    mine = tmp_path / "locales" / "es" / ".notes.tmp"  # not the writer's name: not ours to remove
    mine.write_bytes(b"keep")
    assert remove_stale_temp_files([tmp_path / "locales", tmp_path / "missing"]) == [left]
    assert not left.exists() and mine.exists()


def test_two_concurrent_runs_both_end_well(reference: Reference, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(reference.inputs, project)
    first = start_run(project)
    # The second starts once the first holds the lock (its note is in the lock file).
    lock = project / ".i18n-cache" / LOCK_NAME
    deadline = time.monotonic() + TIMEOUT
    while not (lock.exists() and lock.read_text("utf-8")):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    refused = subprocess.run([*cli(project, "run"), "--no-wait"], capture_output=True, text=True, timeout=TIMEOUT)
    second = start_run(project)
    outs = [proc.communicate(timeout=TIMEOUT) for proc in (first, second)]
    for proc, (_, err) in zip((first, second), outs, strict=True):
        assert proc.returncode == 0, err.decode()
        assert b"Traceback" not in err
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"error: {project}: process {first.pid} (i18n-pipeline run, since " in refused.stderr, refused.stderr
    assert f"waiting: process {first.pid} (i18n-pipeline run" in outs[1][1].decode()
    # The first run was uninterrupted, the second found nothing left to do: the files of a single run.
    got, expected = results(project), results(reference.full)
    assert sorted(got) == sorted(expected)
    assert [name for name in expected if got[name] != expected[name]] == []


_PARTS = st.lists(st.sampled_from(["a", "ab", "b", ".", "..", "", "c", "x.po", "a b", "/", "//"]), max_size=4)


@settings(max_examples=300, deadline=None)
@given(root=_PARTS, rest=_PARTS, absolute=st.booleans())
def test_a_path_is_named_relative_to_a_root_as_relative_to_names_it(root: list[str], rest: list[str], absolute: bool) -> None:
    """relative_name's prefix test of the paths' texts (the work log's names, the paths a build
    shows) gives what relative_to gives."""
    project = Path("/" if absolute else ".", *root)
    path = Path(project, *rest) if rest else Path("/", *root[:1])
    expected = str(path.relative_to(project)) if path.is_relative_to(project) else str(path)
    assert relative_name(path, project) == expected
