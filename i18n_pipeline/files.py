"""Atomic file writes: a temporary file in the same folder, fsync, then rename.

Every file the pipeline writes goes through :func:`write_atomic`, so a killed run leaves either
the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_stream(path: Path, *, before_replace: Callable[[], None] | None = None) -> Iterator[IO[bytes]]:
    """A binary stream whose content replaces ``path`` when the block ends without error.

    ``before_replace`` runs right before the rename; raising there keeps the old file. The
    temporary file is hidden (``.<name>.<random>.tmp``) and removed on any failure. An existing
    file keeps its permissions; a new one gets the umask's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    # The name is chosen before the file exists, so whatever interrupts us (Ctrl-C included, even
    # while the file is being created) finds a name to remove.
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def write_atomic(path: Path, data: bytes, *, before_replace: Callable[[], None] | None = None) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with atomic_stream(path, before_replace=before_replace) as handle:
        handle.write(data)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomic write, skipped (False) when the file already holds ``data``: mtimes stay."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


def remove_file(path: Path) -> bool:
    """Remove ``path`` (one atomic unlink, made durable); False when it did not exist."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    _fsync_dir(path.parent)
    return True


def _fsync_dir(directory: Path) -> None:
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
