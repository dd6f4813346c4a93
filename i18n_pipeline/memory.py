"""Translation memory and machine-translation cache in one SQLite file.

The database is a cache, never the truth, so it can be deleted at any time and is rebuilt on the
next run:

* reviewed translations are re-learnt from the PO files on every run (``learn`` is idempotent and
  cheap: unchanged pairs cost one skipped upsert each);
* the project's shipped memory, ``locales/memory.tmx``, is re-imported (``import_tmx``; the
  TMX format itself is ``tmx.py``'s);
* the MT cache only saves engine time; losing it costs one more pass through the engine.

It therefore lives in a git-ignored folder (``.i18n-cache/memory.sqlite``) rather than in
``locales/``: a binary file in git churns on every run and merges badly.

Storage: WAL journal (a killed process loses at most its open transaction, never the file), one
connection, one transaction per call. A ``schema_version`` table guards the layout; an older
layout is migrated in place (``_MIGRATIONS``: version 2 added the unknown words of the MT cache),
one without a migration is dropped and rebuilt, a newer one is refused.

Identity of a memory entry: (source language, target language, source text, origin). Each origin
(a release, a TMX file) holds one translation of a sentence, which a later run updates in place
when the translator changes it; when several origins translate the same sentence, the most
recently *changed* one wins. Language codes are stored twice: normalised to the ISO 639 base
("es-ES", "es_ES" -> "es", ``languages.base_language``) for matching, and as given for TMX
export.

Fuzzy matching scores with rapidfuzz ``fuzz.ratio`` (character-level Indel similarity) on
whitespace-normalised text. Measured on WMT newstest2012 (English, sentences of 12+ words):
one-word edits (substitution, deletion, insertion) score 0.90 at worst, 0.975 median; the best
match of an unrelated sentence scores 0.64 at the 95th percentile, and the few above 0.75 are real
near-duplicates. ``token_set_ratio`` was rejected: a short sentence contained in a long one
scores 0.84. Word-level Levenshtein separates slightly more but misses in-word edits (numbers,
inflections) that translators need to see.
"""

from __future__ import annotations

import json
import logging
import math
import re
import sqlite3
import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.languages import base_language
from i18n_pipeline.tmx import Translation, TranslationUnit, read_tmx, write_tmx

__all__ = ["Match", "Memory", "normalise_whitespace"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
EXACT_SCORE = 1.0
WHITESPACE_SCORE = 0.99  # same text once whitespace is normalised

_WORD_RE = re.compile(r"\w+")

_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE tm (
    id INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL,   -- normalised ("es"), for matching
    target_lang TEXT NOT NULL,
    source_tag TEXT NOT NULL,    -- as given ("es-ES"), for TMX export
    target_tag TEXT NOT NULL,
    source TEXT NOT NULL,        -- as given, placeholders included
    source_key TEXT NOT NULL,    -- whitespace-normalised source
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    changed INTEGER NOT NULL,    -- learning order: the latest change wins
    UNIQUE (source_lang, target_lang, source, origin)
);
CREATE INDEX tm_key ON tm (source_lang, target_lang, source_key);
CREATE TABLE mt_cache (
    engine TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    unknown_words TEXT NOT NULL DEFAULT '[]',  -- JSON list: words the engine did not know
    PRIMARY KEY (engine, source_lang, target_lang, source)
) WITHOUT ROWID;
"""
# Migrations from an older layout, by the version they start from: the MT cache holds what the
# engine was paid (in time or money) for, so a new column never costs it.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE mt_cache ADD COLUMN unknown_words TEXT NOT NULL DEFAULT '[]'",),
}
_TABLES = ("schema_version", "counter", "tm", "mt_cache")

_UPSERT = """
INSERT INTO tm (source_lang, target_lang, source_tag, target_tag, source, source_key, target,
                origin, changed)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (source_lang, target_lang, source, origin) DO UPDATE SET
    target = excluded.target, target_tag = excluded.target_tag,
    source_tag = excluded.source_tag, changed = excluded.changed
WHERE tm.target != excluded.target
"""


@dataclass(frozen=True)
class Match:
    """A translation found in the memory.

    ``score`` is 1.0 for an exact match, 0.99 when only whitespace differs, and the fuzzy
    similarity (0..1) otherwise. ``origin`` says where the translation came from, e.g.
    "release seed-2011 (reviewed)" or "memory.tmx".
    """

    source: str
    target: str
    score: float
    origin: str


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends: the exact-match key."""
    return " ".join(text.split())


def _words(key: str) -> set[str]:
    return set(_WORD_RE.findall(key.lower()))


@dataclass
class _FuzzyIndex:
    """One language pair's sources in memory, sorted by length, with word postings.

    Candidates for a query are the entries whose length can reach the threshold (exact bound
    for fuzz.ratio: 2*min/(a+b) >= t) that share at least one of the query's rarest words.
    """

    keys: list[str] = field(default_factory=list)  # whitespace-normalised, sorted by length
    lengths: list[int] = field(default_factory=list)
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # source, target, origin
    postings: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str, str, str]]) -> _FuzzyIndex:
        latest: dict[str, tuple[str, str, str]] = {}
        for source, key, target, origin in rows:  # ordered by "changed": later rows win
            latest[key] = (source, target, origin)
        index = cls()
        postings: defaultdict[str, list[int]] = defaultdict(list)
        for position, key in enumerate(sorted(latest, key=len)):
            index.keys.append(key)
            index.lengths.append(len(key))
            index.entries.append(latest[key])
            for word in _words(key):
                postings[word].append(position)
        index.postings = dict(postings)
        return index

    def search(self, key: str, threshold: float, limit: int) -> list[Match]:
        from rapidfuzz import fuzz, process  # ≈ 20 ms: only a fuzzy lookup pays

        size = len(key)
        # Small slack so that float rounding never drops a candidate at the boundary.
        low = bisect_left(self.lengths, math.floor(size * threshold / (2 - threshold) - 1e-9))
        high = bisect_right(self.lengths, math.ceil(size * (2 - threshold) / threshold + 1e-9))
        if low >= high:
            return []
        words = _words(key)
        known = sorted((w for w in words if w in self.postings),
                       key=lambda w: len(self.postings[w]))
        # A sentence that reaches the threshold keeps most of its words; requiring one of the
        # k rarest known words to be shared, with k above the number of words an edit may
        # change, keeps recall while cutting candidates to a handful.
        wanted = max(3, math.ceil(len(words) * (1 - threshold)) + 2)
        candidates: list[int] | range
        if len(known) > wanted:
            found: set[int] = set()
            for word in known[:wanted]:
                for position in self.postings[word]:
                    if low <= position < high:
                        found.add(position)
            candidates = sorted(found)
        else:
            candidates = range(low, high)
        if not candidates:
            return []
        results = process.extract(
            key,
            [self.keys[i] for i in candidates],
            scorer=fuzz.ratio,
            score_cutoff=threshold * 100,
            limit=limit,
        )
        matches = []
        for _choice, score, offset in results:
            source, target, origin = self.entries[candidates[offset]]
            matches.append(Match(source, target, round(score / 100, 4), origin))
        return matches


class Memory:
    """Translation memory and MT cache in one SQLite file.

    Use as a context manager, or call :meth:`close`. ``Path(":memory:")`` gives a private
    in-memory database (tests). Calls are serialised by a lock; one process at a time.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._fuzzy: dict[tuple[str, str], _FuzzyIndex] = {}
        in_memory = str(path) == ":memory:"
        where = str(self.path)
        try:
            if not in_memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                ":memory:" if in_memory else self.path,
                timeout=10,
                isolation_level=None,  # explicit BEGIN/COMMIT, one transaction per call
                check_same_thread=False,  # calls are serialised by self._lock
            )
        except (OSError, sqlite3.Error) as error:
            raise PipelineError(where, f"cannot open the memory database ({error})",
                                "check that the folder is writable") from error
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._ensure_schema()
        except sqlite3.DatabaseError as error:
            self._conn.close()
            raise PipelineError(
                where,
                f"not a usable memory database ({error})",
                "delete the file: it is a cache, rebuilt from the PO files and "
                "locales/memory.tmx on the next run",
            ) from error

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            try:
                self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:  # closing must not fail because of housekeeping
                pass
            self._conn.close()
            self._fuzzy.clear()

    def __enter__(self) -> Memory:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _ensure_schema(self) -> None:
        tables = {row[0] for row in self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = 0
        if "schema_version" in tables:
            row = self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
            version = int(row[0]) if row and row[0] is not None else 0
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise PipelineError(
                str(self.path),
                f"memory database has schema version {version}, newer than this program's "
                f"{SCHEMA_VERSION}",
                "upgrade i18n-pipeline, or delete the file (it is rebuilt on the next run)",
            )
        if all(v in _MIGRATIONS for v in range(version, SCHEMA_VERSION)) and version >= 1:
            with self._transaction():
                # Read again under the write lock: another process may have migrated meanwhile.
                row = self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
                for step in range(int(row[0]), SCHEMA_VERSION):
                    for statement in _MIGRATIONS[step]:
                        self._conn.execute(statement)
                self._conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
            log.info("%s: memory database migrated (schema %d -> %d)", self.path, version, SCHEMA_VERSION)
            return
        with self._transaction():
            if tables:
                # No migration from this layout: the database is a rebuildable cache, rebuilt.
                log.warning("%s: rebuilding memory database (schema %d -> %d)",
                            self.path, version, SCHEMA_VERSION)
                for table in _TABLES:
                    self._conn.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._conn.execute(statement)
            self._conn.execute("INSERT INTO schema_version (version) VALUES (?)",
                               (SCHEMA_VERSION,))
            self._conn.execute("INSERT INTO counter (name, value) VALUES ('changed', 0)")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- translation memory ------------------------------------------------------------------

    def learn(
        self, source_lang: str, target_lang: str, pairs: Iterable[tuple[str, str, str]]
    ) -> int:
        """Remember reviewed translations ``(source, target, origin)``.

        Idempotent: a pair already known for that origin is skipped. Returns how many entries
        were new or changed. Pairs with an empty source or target are ignored.
        """
        rows = [(source_lang, target_lang, source, target, origin)
                for source, target, origin in pairs]
        with self._lock, self._transaction():
            return self._learn_rows(rows)

    def _learn_rows(self, rows: Sequence[tuple[str, str, str, str, str]]) -> int:
        """Upsert (source_tag, target_tag, source, target, origin) rows; caller holds the
        transaction."""
        counter = self._conn.execute("SELECT value FROM counter WHERE name = 'changed'")
        sequence = int(counter.fetchone()[0])
        params = []
        pairs_seen: set[tuple[str, str]] = set()
        languages: dict[str, str] = {}
        for source_tag, target_tag, source, target, origin in rows:
            if not source.strip() or not target:
                continue
            for tag in (source_tag, target_tag):
                if tag not in languages:
                    languages[tag] = base_language(tag)
            pair = (languages[source_tag], languages[target_tag])
            pairs_seen.add(pair)
            sequence += 1
            params.append((*pair, source_tag, target_tag, source,
                           normalise_whitespace(source), target, origin, sequence))
        if not params:
            return 0
        cursor = self._conn.executemany(_UPSERT, params)
        changed = max(cursor.rowcount, 0)
        if changed:  # nothing new learnt: the file stays as it was (a failed run changes nothing)
            self._conn.execute("UPDATE counter SET value = ? WHERE name = 'changed'", (sequence,))
            for pair in pairs_seen:
                self._fuzzy.pop(pair, None)
        return changed

    def exact(self, source_lang: str, target_lang: str, source: str) -> Match | None:
        """The translation of exactly this source (score 1.0), or of the same text with other
        whitespace (score 0.99)."""
        return self.exact_many(source_lang, target_lang, [source]).get(source)

    def exact_many(
        self, source_lang: str, target_lang: str, sources: Sequence[str]
    ) -> dict[str, Match]:
        """Exact matches for a batch of sources in one query; sources without one are absent."""
        if not sources:
            return {}
        pair = (base_language(source_lang), base_language(target_lang))
        keys = {source: normalise_whitespace(source) for source in sources}
        found: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        with self._lock:
            rows = self._conn.execute(
                "SELECT source, source_key, target, origin FROM tm "
                "WHERE source_lang = ? AND target_lang = ? "
                "AND source_key IN (SELECT value FROM json_each(?)) ORDER BY changed",
                (*pair, json.dumps(sorted(set(keys.values())))),
            ).fetchall()
        for stored, key, target, origin in rows:
            found[key].append((stored, target, origin))  # ascending "changed": last wins
        result: dict[str, Match] = {}
        for source, key in keys.items():
            candidates = found.get(key)
            if not candidates:
                continue
            same = [c for c in candidates if c[0] == source]
            stored, target, origin = (same or candidates)[-1]
            score = EXACT_SCORE if same else WHITESPACE_SCORE
            result[source] = Match(stored, target, score, origin)
        return result

    def fuzzy(
        self,
        source_lang: str,
        target_lang: str,
        source: str,
        *,
        threshold: float = 0.75,
        limit: int = 1,
    ) -> list[Match]:
        """The ``limit`` most similar remembered sources scoring at least ``threshold``
        (0..1, fuzz.ratio on whitespace-normalised text), best first.

        The first call per language pair loads that pair into an in-memory index (about a
        second per 100k entries); ``learn`` invalidates it.
        """
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        if limit < 1:
            return []
        pair = (base_language(source_lang), base_language(target_lang))
        key = normalise_whitespace(source)
        if not key:
            return []
        with self._lock:
            index = self._fuzzy.get(pair)
            if index is None:
                rows = self._conn.execute(
                    "SELECT source, source_key, target, origin FROM tm "
                    "WHERE source_lang = ? AND target_lang = ? ORDER BY changed",
                    pair,
                )
                index = self._fuzzy[pair] = _FuzzyIndex.build(rows)
        return index.search(key, threshold, limit)

    # -- MT cache --------------------------------------------------------------------------

    def cached(
        self, engine: str, source_lang: str, target_lang: str, sources: Sequence[str]
    ) -> dict[str, str]:
        """Machine translations already made by ``engine`` for this pair, in one query."""
        return {source: target for source, (target, _) in self.cached_detailed(engine, source_lang, target_lang, sources).items()}

    def unknown_words(
        self, engine: str, source_lang: str, target_lang: str, sources: Sequence[str]
    ) -> dict[str, tuple[str, ...]]:
        """The words ``engine`` did not know in its cached translations of ``sources`` (sources
        whose translation it knew every word of, or that are not cached, are absent)."""
        found = self.cached_detailed(engine, source_lang, target_lang, sources)
        return {source: words for source, (_, words) in found.items() if words}

    def cached_detailed(
        self, engine: str, source_lang: str, target_lang: str, sources: Sequence[str]
    ) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Source -> (translation, words the engine did not know) for what ``engine`` already
        translated of ``sources`` for this pair, in one query."""
        if not sources:
            return {}
        pair = (base_language(source_lang), base_language(target_lang))
        with self._lock:
            rows = self._conn.execute(
                "SELECT source, target, unknown_words FROM mt_cache "
                "WHERE engine = ? AND source_lang = ? AND target_lang = ? "
                "AND source IN (SELECT value FROM json_each(?))",
                (engine, *pair, json.dumps(sorted(set(sources)))),
            ).fetchall()
        return {source: (target, tuple(json.loads(words))) for source, target, words in rows}

    def store(
        self,
        engine: str,
        source_lang: str,
        target_lang: str,
        pairs: Iterable[tuple[str, str]],
        unknown_words: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """Remember machine translations ``(source, target)`` and the words the engine did not
        know in each (``unknown_words``: source -> words); empty targets are not cached (an
        engine that answered nothing should be asked again)."""
        pair = (base_language(source_lang), base_language(target_lang))
        unknown = unknown_words or {}
        params = [(engine, *pair, source, target, json.dumps(list(unknown.get(source, ())), ensure_ascii=False))
                  for source, target in pairs if target]
        if not params:
            return
        with self._lock, self._transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO mt_cache (engine, source_lang, target_lang, source, "
                "target, unknown_words) VALUES (?, ?, ?, ?, ?, ?)",
                params,
            )

    # -- TMX -------------------------------------------------------------------------------

    def import_tmx(self, path: Path) -> int:
        """Import a TMX file (see ``tmx.read_tmx``: how units pair up, placeholders, origins);
        returns the translation units that gave at least one pair."""
        path = Path(path)
        rows: list[tuple[str, str, str, str, str]] = []
        units = 0
        for unit in read_tmx(path):
            for translation in unit.translations:
                rows.append((unit.language, translation.language, unit.source, translation.text, translation.origin))
            units += 1 if unit.source.strip() else 0
        with self._lock, self._transaction():
            self._learn_rows(rows)
        log.info("%s: imported %d translation units", path, units)
        return units

    def export_tmx(self, path: Path, source_lang: str | None = None, *, tool_version: str) -> int:
        """Write the memory (or the part whose source language is ``source_lang``) as TMX 1.4;
        returns the number of translation units. The file is replaced atomically.

        One ``<tu>`` per source text and origin, with a ``<tuv>`` per target language; language
        codes are written as they were learnt; the origin travels as ``<prop type="x-origin">``.
        The output is deterministic (sorted, no dates), so it diffs well in git.
        ``tool_version`` is the program's version, for the TMX header.
        """
        path = Path(path)
        query = ("SELECT source_lang, source_tag, source, origin, target_tag, target FROM tm "
                 "{where} ORDER BY source_lang, source, origin, target_lang, target_tag")
        params: tuple[str, ...] = ()
        where = ""
        if source_lang is not None:
            where, params = "WHERE source_lang = ?", (base_language(source_lang),)
        with self._lock:
            rows = self._conn.execute(query.format(where=where), params).fetchall()
        groups: dict[tuple[str, str, str], list[Translation]] = {}
        for _lang, source_tag, source, origin, target_tag, target in rows:
            groups.setdefault((source_tag, source, origin), []).append(Translation(target_tag, target, origin))
        units = [TranslationUnit(tag, source, tuple(group)) for (tag, source, _origin), group in groups.items()]
        return write_tmx(path, units, srclang=source_lang, tool_version=tool_version)
