"""Work that was already done: never redo a stage whose inputs did not change.

Each unit of work (extract one release, update one PO file, translate one language, build one
release) is recorded with a digest of everything it read and wrote. The next run skips it when
the digest of the same files is unchanged. The digest is salted with the settings and the
package's own code, so a new version or another setting redoes everything. The log lives in the
git-ignored cache folder; deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from i18n_pipeline.files import write_if_changed

_PACKAGE = Path(__file__).resolve().parent


def code_digest() -> str:
    """The package's source: a changed pipeline must not trust work an older one did."""
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
        h = hashlib.sha256(self.salt.encode())
        for part in extra:
            h.update(b"\0" + part.encode())
        for path in files:
            h.update(b"\0" + str(path).encode() + b"\0")
            try:
                h.update(path.read_bytes())
            except FileNotFoundError:
                h.update(b"<missing>")
        return h.hexdigest()

    def done(self, key: str, files: Iterable[Path], *extra: str) -> bool:
        """The work ``key`` ran last time on exactly these files (and left them so)."""
        return self._done.get(key) == self.digest(files, *extra)

    def record(self, key: str, files: Iterable[Path], *extra: str, info: Mapping[str, int] | None = None) -> None:
        """Call after the work's outputs are written: remembers the files as they are now, and
        ``info`` (counts a summary reports even when the work is skipped next time)."""
        self._done[key] = self.digest(files, *extra)
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
        write_if_changed(self.path, data.encode("utf-8"))
