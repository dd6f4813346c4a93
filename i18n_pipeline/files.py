"""Atomic file writes (a temporary file in the same folder, fsync, then rename) and the project
lock.

Every file the pipeline writes goes through :func:`write_atomic`, so a killed run leaves either
the old file or the new one, never half of one. What only the pipeline can lose (PO files, the
memory's TMX, imported glossaries) is durable: the file is fsynced before its rename, and the
rename by an fsync of its folder, once per folder for a stage's writes (:func:`batched_fsync`).
Regenerable outputs (build/, templates, caches) are written with ``durable=False``: atomic, not
fsynced, as a crash loses at most a file the next run writes again (the work log and the manifest
compare contents, so a lost write is redone, never trusted). On a busy disk an fsync costs
6–10 ms; a cold run writes about 1,000 files. A run killed between creating its temporary file
and renaming it leaves that file behind (hidden, ``.<name>.<random>.tmp``, never named like a
catalog); the next run that takes the project lock removes it (:func:`remove_stale_temp_files`).
A file system error while writing (disk full, read-only folder, a file where a folder should be)
is a :class:`PipelineError` naming the file, never a traceback.

:func:`project_lock` lets one writing command at a time work on a project: an exclusive
``fcntl.flock`` on ``.i18n-cache/lock``. The kernel releases it when the holder exits, however it
exits (``kill -9`` included), so a lock is never stale; the holder's pid, command and start time
written into the file are information for whoever waits.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import logging
import os
import re
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from i18n_pipeline.errors import PipelineError

log = logging.getLogger(__name__)

LOCK_NAME = "lock"
# What atomic_stream names its temporary files: ".<name>.<12 hex digits>.tmp".
TEMP_NAME_RE = re.compile(r"\A\..+\.[0-9a-f]{12}\.tmp\Z", re.S)


@contextmanager
def atomic_stream(
    path: Path, *, before_replace: Callable[[], None] | None = None, durable: bool = True
) -> Iterator[IO[bytes]]:
    """A binary stream whose content replaces ``path`` when the block ends without error;
    ``durable``: fsynced (see the module's docstring).

    ``before_replace`` runs right before the rename; raising there keeps the old file. The
    temporary file is hidden (``.<name>.<random>.tmp``) and removed on any failure. An existing
    file keeps its permissions; a new one gets the umask's.
    """
    created = make_folder(path.parent)
    try:
        status: os.stat_result | None = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        status = None
    except OSError as exc:
        raise write_error(path, exc) from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise PipelineError(str(path), "is a folder, where the pipeline writes a file", "move the folder away")
    mode = None if status is None else status.st_mode & 0o777
    # The name is chosen before the file exists, so whatever interrupts us (Ctrl-C included, even
    # while the file is being created) finds a name to remove. os.urandom(6).hex() is what
    # secrets.token_hex(6) returns, without importing secrets (random, base64, hmac: ~3 ms a process).
    tmp = path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp"
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            handle = os.fdopen(fd, "wb")
        except OSError as exc:
            raise write_error(path, exc) from None
        try:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        except OSError as exc:
            if exc.errno is None:
                raise  # the caller's own exception, not the disk's
            raise write_error(path, exc) from None
        finally:
            try:
                handle.close()
            except OSError:
                pass  # a full disk again, flushing what failed: the file is removed below
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            os.chmod(tmp, mode)
        except OSError as exc:
            raise write_error(path, exc) from None
        if before_replace is not None:
            before_replace()  # its exceptions are the caller's: passed on as they are
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise write_error(path, exc) from None
    except BaseException:
        _unlink_quietly(tmp)
        for folder in reversed(created):  # a failed write leaves no trace, empty folders included
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    if durable:
        _fsync_dir(path.parent)


def relative_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it is inside it, else as it is: what ``relative_to``
    says, by a prefix test of the texts when it can (a tenth of its cost; str() of a Path has no
    "//" but a leading one, no "." and no trailing "/")."""
    text, prefix = str(path), str(root)
    if prefix != "/" and text.startswith(prefix) and text[len(prefix) : len(prefix) + 1] == "/":
        return text[len(prefix) + 1 :]
    return str(path.relative_to(root)) if path.is_relative_to(root) else text


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # the next run's clean-up removes it


def write_error(path: Path, exc: OSError) -> PipelineError:
    """A file system error while writing ``path``, as the user should read it."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return PipelineError(str(path), f"cannot write: the disk is full ({reason})", "free some space and run again")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PipelineError(str(path), f"cannot write ({reason})", "make the folder writable, or run as its owner")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = _file_in_the_way(path.parent)
        if blocker is not None:
            return PipelineError(str(blocker), "is a file where the pipeline needs a folder", "move the file away")
    return PipelineError(str(path), f"cannot write ({reason})", "check the folder and the disk")


def _file_in_the_way(folder: Path) -> Path | None:
    """The first ancestor of ``folder`` (itself included) that exists and is not a folder."""
    for candidate in reversed([folder, *folder.parents]):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None


def make_folder(folder: Path) -> list[Path]:
    """``mkdir -p``, with a file in the way or a read-only parent reported as a PipelineError;
    returns the folders it created, outermost first."""
    if folder.is_dir():
        return []  # most writes go to a folder that is there: one stat, not one per ancestor
    missing = [f for f in reversed([folder, *folder.parents]) if not f.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return missing
    except OSError as exc:
        blocker = _file_in_the_way(folder)
        if blocker is not None:
            raise PipelineError(str(blocker), "is a file where the pipeline needs a folder", "move the file away") from None
        raise write_error(folder, exc) from None


def write_atomic(
    path: Path, data: bytes, *, before_replace: Callable[[], None] | None = None, durable: bool = True
) -> None:
    """Replace ``path`` with ``data`` atomically (``durable``: fsynced)."""
    with atomic_stream(path, before_replace=before_replace, durable=durable) as handle:
        handle.write(data)


def write_if_changed(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Atomic write, skipped (False) when the file already holds ``data``: mtimes stay."""
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass  # not there (or a file in the way of its folder, which write_atomic reports)
    except OSError as exc:
        raise PipelineError(str(path), f"cannot read ({exc.strerror})", "check the path") from None
    write_atomic(path, data, durable=durable)
    return True


def remove_file(path: Path) -> bool:
    """Remove ``path`` (one atomic unlink, made durable); False when it did not exist."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    _fsync_dir(path.parent)
    return True


_deferred = threading.local()  # the folders whose fsync waits for the end of batched_fsync


@contextmanager
def batched_fsync() -> Iterator[None]:
    """Within the block, the folder fsyncs of durable writes wait for its end, and each folder is
    fsynced once (every file itself is fsynced before its rename, as always): 200 PO files in one
    folder cost one folder fsync, not 200. Re-entrant; per thread."""
    outer = getattr(_deferred, "folders", None)
    if outer is not None:
        yield
        return
    folders: dict[Path, None] = {}
    _deferred.folders = folders
    _deferred.pid = os.getpid()
    try:
        yield
    finally:
        _deferred.folders = None
        for folder in folders:
            _fsync_dir_now(folder)


def _fsync_dir(directory: Path) -> None:
    folders = getattr(_deferred, "folders", None)
    # A process forked inside the block (a stage's worker, parallel.py) never reaches its end:
    # its durable writes fsync their folder at once.
    if folders is not None and _deferred.pid == os.getpid():
        folders[directory] = None
        return
    _fsync_dir_now(directory)


def _fsync_dir_now(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


# --- stale temporary files --------------------------------------------------------------------


def remove_stale_temp_files(folders: Iterable[Path]) -> list[Path]:
    """Remove the temporary files a killed run left in ``folders`` (recursively); returns them.

    Call it only while holding the project lock: then no run of ours is writing one.
    """
    removed: list[Path] = []
    for folder in folders:
        if not folder.is_dir() or folder.is_symlink():
            continue
        for dirpath, _dirnames, filenames in os.walk(folder):
            for name in filenames:
                if TEMP_NAME_RE.match(name):
                    path = Path(dirpath) / name
                    try:
                        path.unlink()
                    except OSError as exc:
                        log.warning("%s: cannot remove a temporary file a killed run left (%s)", path, exc.strerror)
                        continue
                    removed.append(path)
    if removed:
        log.info("removed %d temporary files left by an interrupted run", len(removed))
    return removed


# --- the project lock -------------------------------------------------------------------------


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) a project lock, as written in the lock file."""

    pid: int
    command: str
    since: str  # ISO 8601, local time

    def describe(self) -> str:
        return f"process {self.pid} ({self.command}, since {self.since})"

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # exists, owned by someone else
        return True


def _read_holder(fd: int) -> LockHolder | None:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return LockHolder(int(data["pid"]), str(data["command"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # empty (released) or damaged: it is only information


_held: dict[str, int] = {}  # lock file -> depth: the lock is re-entrant within one process
_held_guard = threading.Lock()


@contextmanager
def project_lock(
    cache_dir: Path,
    command: str,
    *,
    wait: bool = True,
    on_wait: Callable[[LockHolder | None], None] | None = None,
) -> Iterator[bool]:
    """Hold the project's lock (``cache_dir/lock``) for the block; yields True for the outermost
    holder in this process (the one that should clean up after killed runs).

    Another process holding it: with ``wait``, ``on_wait`` is told who, then we wait; without,
    a PipelineError says who holds it. A lock file left by a killed run is taken over: the
    kernel released its lock when the process died.
    """
    path = cache_dir / LOCK_NAME
    key = os.path.abspath(path)
    with _held_guard:
        depth = _held.get(key, 0)
        if depth:
            _held[key] = depth + 1
    if depth:
        try:
            yield False
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    if cache_dir.exists() and not cache_dir.is_dir():
        raise PipelineError(
            str(cache_dir), "is a file, where the pipeline keeps its cache folder",
            "remove or rename the file (the cache is rebuilt on the next run)",
        )
    make_folder(cache_dir)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise PipelineError(
            str(path), f"cannot open the project lock ({exc.strerror})", "make the project folder writable"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            if not wait:
                who = holder.describe() if holder else "another process"
                raise PipelineError(
                    str(cache_dir.parent), f"{who} is working on this project",
                    "wait until it ends, or run again without --no-wait to wait for it",
                ) from None
            if on_wait is not None:
                on_wait(holder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        previous = _read_holder(fd)
        if previous is not None and previous.pid != os.getpid():
            # A released lock file is empty: this one's holder ended without releasing it.
            log.warning("taking over the project lock of %s, which ended without releasing it", previous.describe())
        me = LockHolder(os.getpid(), command, dt.datetime.now().isoformat(timespec="seconds"))
        data = json.dumps({"pid": me.pid, "command": me.command, "since": me.since}).encode("utf-8")
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
        except OSError as exc:
            raise write_error(path, exc) from None
        with _held_guard:
            _held[key] = 1
        try:
            yield True
        finally:
            with _held_guard:
                del _held[key]
            try:
                os.ftruncate(fd, 0)  # released: nobody to name
            except OSError:
                pass
    finally:
        os.close(fd)  # closing releases the flock
