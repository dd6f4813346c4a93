"""Atomic writes (i18n_pipeline.files): a file is replaced whole or not at all, and a killed run
never leaves a truncated or half-written PO file.

The unit tests fail the writer at each step. The end-to-end test runs the real CLI on a project
of ~20 generated releases (``reference``, see big_project.py) in a subprocess and kills it with
SIGKILL at seeded random moments spread over one measured run; after each kill every
``.po``/``.pot`` parses, passes ``msgfmt -c`` and holds *all* the entries it should (a file cut
at an entry boundary would still parse, so parsing alone proves little); then a second ``run``
completes: every catalog passes ``msgfmt -c``, no temporary file is left anywhere, every file
under ``locales/`` and ``build/`` equals the uninterrupted run's (dates aside), and the engine
(Apertium, its input counted by a wrapper stage) received less than two full runs' worth.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from i18n_pipeline.files import atomic_stream, write_atomic, write_if_changed
from tests.big_project import (
    RANDOM_SEED,
    Reference,
    assert_catalogs_whole,
    assert_complete,
    catalog_files,
    compare_results,
    results,
    run_to_completion,
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
    env = reference.env()
    reworded = pages = 0
    for i, delay in enumerate(delays):
        project = tmp_path / f"kill-{i}"
        shutil.copytree(reference.inputs, project)
        before = reference.received()
        proc = start_run(project, env)
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=TIMEOUT)
        proc.communicate(timeout=TIMEOUT)
        killed_sent = reference.received() - before
        n_files = len(catalog_files(project))
        leftovers = temp_leftovers(project)
        leftovers_seen += [p.name for p in leftovers]
        assert_catalogs_whole(project, reference)
        # Any leftover must not pass for a catalog: no .po/.pot suffix (checked by
        # catalog_files/assert_catalogs_whole above) and a hidden name.
        assert all(p.name.startswith(".") for p in leftovers), leftovers
        run_to_completion(project, env)
        rerun_sent = reference.received() - before - killed_sent
        assert_complete(project, reference)
        assert_catalogs_whole(project, reference)  # msgfmt -c on every catalog after the rerun
        assert temp_files(project) == [], "the rerun removes what the killed run left"
        got = results(project)
        assert sorted(got) == sorted(expected)
        wrong, worded, compared = compare_results(got, expected)
        assert not wrong, f"kill {i}: differs from an uninterrupted run: {wrong[:5]}"
        reworded += worded
        pages += compared
        # What the killed run had translated was kept (the MT cache commits every request): the
        # two runs together cost the engine less than two full runs.
        assert killed_sent + rerun_sent < 2 * reference.engine_segments, (i, killed_sent, rerun_sent)
        summary.append(
            f"kill {i}: at {delay:.2f} s{' (run had finished)' if finished else ''}, "
            f"{n_files} catalogs on disk, {len(leftovers)} temporary leftovers; engine received "
            f"{killed_sent} + {rerun_sent} segments (a full run: {reference.engine_segments}); "
            f"{worded} machine translations worded differently"
        )
    print("\n" + "\n".join(summary))
    machine = sum(seg["machine"] for seg in reference.segments.values())
    # Apertium's carried-over tagger state rewords a few sentences of a resumed run, no more.
    assert reworded <= KILLS * machine // 20, f"{reworded} of {KILLS} x {machine} machine translations worded differently"
    # Most built pages had identical catalogs behind them, so the comparison of pages proves something.
    built = sum(1 for name in expected if not name.endswith((".po", ".pot")))
    assert pages >= KILLS * built // 2, (pages, built)
    if leftovers_seen:
        print("temporary files left by SIGKILL, removed by the rerun:", ", ".join(leftovers_seen))
    # Most kills must have hit a running pipeline, or the test proves nothing.
    assert sum("finished" not in line for line in summary) >= KILLS // 2
