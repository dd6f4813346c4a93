"""Work that was already done: never redo a stage whose inputs did not change.

Two levels. The **manifest** (``.i18n-cache/manifest.json``) lists every file of the project a
``run`` reads or writes (``pipeline.yaml``, ``content/``, ``locales/``, ``build/``) and the
package's own sources, each as (size, mtime_ns, sha256), as they were when the last complete
``run`` ended, with the command line it ran with. A new ``run`` with the same command line whose
files all still match does nothing at all (:func:`nothing_to_do`, called by ``launch.py`` before
anything heavy is imported): a file whose mtime moved is hashed, and only another hash counts as
a change. This module walks those folders only to stat them; what a stage reads is
``pipeline/``'s business.

Each unit of work (extract one release, update one PO file, translate one language, build one
release) is recorded with a digest of everything it read and wrote. The next run skips it when
the digest of the same files is unchanged. The digest is salted with the settings and the
package's own code, so a new version or another setting redoes everything. The log lives in the
git-ignored cache folder; deleting it only costs time.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.files import relative_name, write_if_changed

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_digest() -> str:
    """The package's source: a changed pipeline must not trust work an older one did. Once per
    process (every stage salts its work log with it)."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class WorkLog:
    """Digests of the files each unit of work last read and wrote."""

    def __init__(self, path: Path, salt: str) -> None:
        self.path = path
        self.salt = salt
        self._root = path.parent.parent
        self._done: dict[str, str] = {}
        self._info: dict[str, dict[str, int]] = {}  # what a unit of work found, for summaries of skipped work
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return  # no log, or a damaged one: it only costs time
        done = data.get("done") if isinstance(data, dict) and data.get("salt") == salt else None
        if isinstance(done, dict):
            self._done = {str(k): str(v) for k, v in done.items()}
            info = data.get("info")
            if isinstance(info, dict):
                self._info = {
                    str(k): {str(n): c for n, c in v.items() if isinstance(c, int)}
                    for k, v in info.items()
                    if isinstance(v, dict)
                }

    def digest(self, files: Iterable[Path], *extra: str) -> str:
        return self.digest_of(((path, file_content(path)) for path in files), *extra)

    def digest_of(self, contents: Iterable[tuple[Path, bytes]], *extra: str) -> str:
        """``digest`` of files whose bytes the caller has (it just read or wrote them): each is
        not read again, and the digest is of what the work saw."""
        h = hashlib.sha256(self.salt.encode())
        for part in extra:
            h.update(b"\0" + part.encode())
        for path, content in contents:
            # Named relative to the project (the log's folder's parent): a project that was
            # copied or moved, as CI clones it, does not redo everything.
            h.update(b"\0" + relative_name(path, self._root).encode() + b"\0")
            h.update(content)
        return h.hexdigest()

    def done(self, key: str, files: Iterable[Path], *extra: str) -> bool:
        """The work ``key`` ran last time on exactly these files (and left them so)."""
        return self._done.get(key) == self.digest(files, *extra)

    def record(self, key: str, files: Iterable[Path], *extra: str, info: Mapping[str, int] | None = None) -> None:
        """Call after the work's outputs are written: remembers the files as they are now, and
        ``info`` (counts a summary reports even when the work is skipped next time)."""
        self.remember(key, self.digest(files, *extra), info=info)

    def remember(self, key: str, digest: str, *, info: Mapping[str, int] | None = None) -> None:
        """``record`` with the digest already taken (by a worker process, see parallel.py)."""
        self._done[key] = digest
        if info is not None:
            self._info[key] = dict(info)

    def info(self, key: str) -> dict[str, int]:
        """The counts recorded with ``key`` (empty when none were)."""
        return dict(self._info.get(key, {}))

    def save(self) -> None:
        document: dict[str, object] = {"salt": self.salt, "done": dict(sorted(self._done.items()))}
        if self._info:
            document["info"] = dict(sorted(self._info.items()))
        data = json.dumps(document, indent=0)
        write_if_changed(self.path, data.encode("utf-8"), durable=False)  # a lost log costs time only


def file_content(path: Path) -> bytes:
    """What a digest takes of a file: its bytes, or a word no file's bytes are confused with."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b"<missing>"
    except OSError:
        return b"<unreadable>"  # a folder where a file should be: the stage reports it


# --- the manifest of the last complete run ---------------------------------------------------

MANIFEST_NAME = "manifest.json"
_MANIFEST_VERSION = 1
# What a run reads or writes, relative to the project (config.Settings names the same folders).
_WATCHED = ("pipeline.yaml", "content", "locales", "build")
_CACHE = ".i18n-cache"
_CODE = "<package>/"  # the package's own sources, named apart from the project's files
# A file changed this shortly before its hash was taken may change again within the same mtime
# tick, so its (size, mtime_ns) cannot vouch for its content: it is hashed at each check until a
# check finds it old enough (git's "racy" rule; 2 s covers the coarsest clocks, FAT's).
_RACY_NS = 2_000_000_000


def command_key(command: str, languages: Sequence[str] | None, engine: str | None, engine_options: Sequence[str]) -> str:
    """What of a command line decides what a run does (not -v, --project or --no-wait)."""
    return json.dumps([command, list(languages or []), engine or "", list(engine_options)])


def _scan_folder(folder: str, name: str, into: dict[str, tuple[int, int]]) -> None:
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        path = f"{name}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _scan_folder(entry.path, path, into)
            continue
        try:
            st = entry.stat()
        except OSError:
            into[path] = (-1, -1)  # a dangling link: only equal to itself, and never trusted
            continue
        into[path] = (st.st_size, st.st_mtime_ns)


def _scan(root: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file a run depends on: the project's and the package's."""
    found: dict[str, tuple[int, int]] = {}
    for name in _WATCHED:
        try:
            st = os.stat(root / name)
        except OSError:
            continue
        if name == "pipeline.yaml" or not os.path.isdir(root / name):
            found[name] = (st.st_size, st.st_mtime_ns)
        else:
            _scan_folder(str(root / name), name, found)
    code: dict[str, tuple[int, int]] = {}
    _scan_folder(str(_PACKAGE), _CODE.rstrip("/"), code)
    found.update((k, v) for k, v in code.items() if k.endswith(".py"))
    return found


def _path_of(root: Path, name: str) -> Path:
    return _PACKAGE / name[len(_CODE):] if name.startswith(_CODE) else root / name


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _save_manifest(root: Path, key: str, taken_ns: int, files: Mapping[str, list[object]]) -> None:
    document = {"version": _MANIFEST_VERSION, "command": key, "taken_ns": taken_ns, "files": dict(sorted(files.items()))}
    # Regenerable (a lost manifest costs one full run): no fsync.
    write_if_changed(root / _CACHE / MANIFEST_NAME, json.dumps(document, separators=(",", ":")).encode("utf-8"), durable=False)


def write_manifest(root: Path, key: str) -> None:
    """After a complete run of ``key`` (holding the project lock): every file as it is now."""
    taken = time.time_ns()
    files: dict[str, list[object]] = {}
    for name, (size, mtime) in _scan(root).items():
        files[name] = [size, mtime, _sha256(_path_of(root, name))]
    _save_manifest(root, key, taken, files)


def forget_manifest(root: Path) -> None:
    """A run that did not complete: the next one must not take the last complete run's word."""
    try:
        (root / _CACHE / MANIFEST_NAME).unlink()
    except OSError:
        pass  # none there


def nothing_to_do(root: Path, key: str) -> bool:
    """True when the last complete run had command line ``key`` and no file changed since: the
    same files, each of the same size and either the same mtime or the same content. Reads no
    release or PO file unless its mtime moved; takes no lock. When a file had to be hashed and
    proved unchanged, the manifest is brought up to date (atomically) so it is not hashed again."""
    try:
        document = json.loads((root / _CACHE / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return False
    if not isinstance(document, dict) or document.get("version") != _MANIFEST_VERSION or document.get("command") != key:
        return False
    recorded, taken = document.get("files"), document.get("taken_ns")
    if not isinstance(recorded, dict) or not isinstance(taken, int):
        return False
    now = time.time_ns()
    current = _scan(root)
    if current.keys() != recorded.keys():
        return False  # a file added or removed
    refreshed: dict[str, list[object]] = {}
    for name, (size, mtime) in current.items():
        entry = recorded[name]
        if not (isinstance(entry, list) and len(entry) == 3 and entry[0] == size and size >= 0):
            return False
        if entry[1] == mtime and mtime < taken - _RACY_NS:
            refreshed[name] = entry
            continue
        digest = _sha256(_path_of(root, name))
        if digest is None or digest != entry[2]:
            return False
        refreshed[name] = [size, mtime, digest]
    if refreshed != recorded:
        try:
            _save_manifest(root, key, now, refreshed)
        except PipelineError:
            pass  # a read-only cache: the answer stands, the next check hashes again
    return True
