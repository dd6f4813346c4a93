"""What the critical checks said about a translation in earlier builds, so a build does not run
them again on the same text.

A verdict is a function of the source, the translation, the target language, the entry's
translator comments and ``ignore-<check>`` flags, the glossary and our code; a hash of all of them
is its key (``.i18n-cache/checks-<language>.json``). Losing the file costs time only; a damaged
one is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from i18n_pipeline.files import write_if_changed
from i18n_pipeline.incremental import code_digest

__all__ = ["Verdicts"]


@functools.lru_cache(maxsize=64)
def _ignored_tail(ignored: tuple[str, ...]) -> str:
    """The end of a key's text: a NUL, the ignored checks sorted, each followed by a NUL (once
    per set of names: every key of a build ignores the same checks, the non-critical ones)."""
    return "\0".join(("\0", *sorted(ignored))) + "\0"


class Verdicts:
    """The critical checks' verdicts for one language (True: the translation may be published)."""

    def __init__(self, path: Path | None, language: str, glossary: bytes = b"") -> None:
        self.path = path
        salt = hashlib.sha256(b"\0".join([code_digest().encode(), language.encode(), glossary])).digest()
        self._salted = hashlib.sha256(salt)  # copied for every key: the salt is hashed once
        self._old: dict[str, bool] = {}
        self._used: dict[str, bool] = {}
        self._new: dict[str, bool] = {}  # used or found since the last take_new
        self._new_runs = 0  # of those, found by running the checks
        self.runs = 0  # verdicts that had to be found (the checks ran), as adopted
        if path is None:
            return
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(data, dict):
            self._old = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, bool)}

    def key(self, source: str, target: str, comments: Sequence[str], ignored: Sequence[str]) -> str:
        # Every part followed by a NUL (the keys of earlier builds hash the same bytes).
        data = "\0".join((source, target, *comments, _ignored_tail(tuple(ignored))))
        hasher = self._salted.copy()
        hasher.update(data.encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()[:32]

    def get(self, key: str) -> bool | None:
        verdict = self._used.get(key)
        if verdict is None:
            verdict = self._old.get(key)
            if verdict is not None:
                self._used[key] = self._new[key] = verdict
        return verdict

    def put(self, key: str, verdict: bool) -> None:
        self._new_runs += 1
        self._used[key] = self._new[key] = verdict

    def take_new(self) -> tuple[dict[str, bool], int]:
        """The verdicts used or found since the last call, and the checks run for them (what a
        build's worker process hands back to ``adopt`` in the build's own process).

        Only what is new: a build that makes its releases here, one after the other (one core, a
        Dask client's threads), adopts each release's verdicts into this same object, and handing
        back everything used so far would make the build's time grow with the square of its
        releases."""
        new, runs = self._new, self._new_runs
        self._new, self._new_runs = {}, 0
        return new, runs

    def adopt(self, used: dict[str, bool], runs: int) -> None:
        """Take over what ``take_new`` handed over (in this process or another)."""
        self._used.update(used)
        self.runs += runs

    def save(self, *, complete: bool) -> None:
        """``complete``: every release of the language was built, so verdicts nobody used any
        more are dropped; else the old ones are kept for the releases this build skipped."""
        if self.path is None:
            return
        kept = self._used if complete else {**self._old, **self._used}
        # Regenerable: atomic, not fsynced.
        write_if_changed(self.path, json.dumps(kept, sort_keys=True, separators=(",", ":")).encode(), durable=False)
