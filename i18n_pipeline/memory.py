"""Translation memory and machine-translation cache in one SQLite file; TMX 1.4 import and export.

The database is a cache, never the truth, so it can be deleted at any time and is rebuilt on the
next run:

* reviewed translations are re-learnt from the PO files on every run (``learn`` is idempotent and
  cheap: unchanged pairs cost one skipped upsert each);
* the project's shipped memory, ``locales/memory.tmx``, is re-imported (``import_tmx``);
* the MT cache only saves engine time; losing it costs one more pass through the engine.

It therefore lives in a git-ignored folder (``.i18n-cache/memory.sqlite``) rather than in
``locales/``: a binary file in git churns on every run and merges badly.

Storage: WAL journal (a killed process loses at most its open transaction, never the file), one
connection, one transaction per call. A ``schema_version`` table guards the layout; an older
layout is dropped and rebuilt, a newer one is refused.

Identity of a memory entry: (source language, target language, source text, origin). Each origin
(a release, a TMX file) holds one translation of a sentence, which a later run updates in place
when the translator changes it; when several origins translate the same sentence, the most
recently *changed* one wins. Language codes are stored twice: normalised to the ISO 639 base
("es-ES", "es_ES" -> "es") for matching, and as given for TMX export.

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
from contextlib import contextmanager
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]  # no lxml-stubs in the venv
from rapidfuzz import fuzz, process

from .errors import PipelineError
from .files import atomic_stream
from .model import PLACEHOLDER_RE

__all__ = ["Match", "Memory", "normalise_language", "normalise_whitespace"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
TOOL_NAME = "i18n-pipeline"
ORIGIN_PROP = "x-origin"  # TMX <prop type> that carries our origin through export/import
EXACT_SCORE = 1.0
WHITESPACE_SCORE = 0.99  # same text once whitespace is normalised

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG_RE = re.compile(r"[a-z]{2,3}")
_WORD_RE = re.compile(r"\w+")
_INLINE_TAGS = frozenset({"bpt", "ept", "it", "ph", "hi", "ut"})

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
    PRIMARY KEY (engine, source_lang, target_lang, source)
) WITHOUT ROWID;
"""
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


def normalise_language(tag: str) -> str:
    """The ISO 639 base of a language tag, for matching: "es-ES", "es_ES", "ES" -> "es"."""
    base = re.split(r"[-_.@]", tag.strip(), maxsplit=1)[0].lower()
    if not _LANG_RE.fullmatch(base):
        raise PipelineError(
            "language code",
            f"{tag!r} is not a language code",
            "use an ISO 639-1 code such as 'es', optionally with a region ('es-ES')",
        )
    return base


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
        with self._transaction():
            if tables:
                # The database is a rebuildable cache: an old layout is dropped, not migrated.
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
                    languages[tag] = normalise_language(tag)
            pair = (languages[source_tag], languages[target_tag])
            pairs_seen.add(pair)
            sequence += 1
            params.append((*pair, source_tag, target_tag, source,
                           normalise_whitespace(source), target, origin, sequence))
        if not params:
            return 0
        cursor = self._conn.executemany(_UPSERT, params)
        self._conn.execute("UPDATE counter SET value = ? WHERE name = 'changed'", (sequence,))
        changed = max(cursor.rowcount, 0)
        if changed:
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
        pair = (normalise_language(source_lang), normalise_language(target_lang))
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
        pair = (normalise_language(source_lang), normalise_language(target_lang))
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
        if not sources:
            return {}
        pair = (normalise_language(source_lang), normalise_language(target_lang))
        with self._lock:
            rows = self._conn.execute(
                "SELECT source, target FROM mt_cache "
                "WHERE engine = ? AND source_lang = ? AND target_lang = ? "
                "AND source IN (SELECT value FROM json_each(?))",
                (engine, *pair, json.dumps(sorted(set(sources)))),
            ).fetchall()
        return {source: target for source, target in rows}

    def store(
        self, engine: str, source_lang: str, target_lang: str, pairs: Iterable[tuple[str, str]]
    ) -> None:
        """Remember machine translations ``(source, target)``; empty targets are not cached
        (an engine that answered nothing should be asked again)."""
        pair = (normalise_language(source_lang), normalise_language(target_lang))
        params = [(engine, *pair, source, target) for source, target in pairs if target]
        if not params:
            return
        with self._lock, self._transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO mt_cache (engine, source_lang, target_lang, source, "
                "target) VALUES (?, ?, ?, ?, ?)",
                params,
            )

    # -- TMX -------------------------------------------------------------------------------

    def import_tmx(self, path: Path) -> int:
        """Import a TMX 1.4 file (1.1–1.3 are read too); returns the translation units that
        gave at least one pair.

        Every target ``<tuv>`` of a ``<tu>`` is paired with the source-language one (``srclang``
        of the unit or the header; with ``*all*``, the first ``<tuv>``). Inline elements become
        placeholders: ``<bpt>/<ept>`` and ``<hi>`` -> ``<n>…</n>``, ``<ph>``, ``<it>``, ``<ut>``
        -> ``<n/>``, numbered by their ``x`` attribute where present. The origin is the unit's
        ``x-origin`` property (our own exports) or the file name followed by the target
        ``<tuv>``'s notes, e.g. "memory.tmx (working title of the organisation, not official)".
        """
        path = Path(path)
        rows: list[tuple[str, str, str, str, str]] = []
        units = 0
        for source_tag, source, targets in _read_tmx(path):
            for target_tag, target, origin in targets:
                rows.append((source_tag, target_tag, source, target, origin))
            units += 1 if targets and source.strip() else 0
        with self._lock, self._transaction():
            self._learn_rows(rows)
        log.info("%s: imported %d translation units", path, units)
        return units

    def export_tmx(self, path: Path, source_lang: str | None = None) -> int:
        """Write the memory (or the part whose source language is ``source_lang``) as TMX 1.4;
        returns the number of translation units. The file is replaced atomically.

        One ``<tu>`` per source text and origin, with a ``<tuv>`` per target language; language
        codes are written as they were learnt; the origin travels as ``<prop type="x-origin">``.
        The output is deterministic (sorted, no dates), so it diffs well in git.
        """
        path = Path(path)
        query = ("SELECT source_lang, source_tag, source, origin, target_tag, target FROM tm "
                 "{where} ORDER BY source_lang, source, origin, target_lang, target_tag")
        params: tuple[str, ...] = ()
        where = ""
        if source_lang is not None:
            where, params = "WHERE source_lang = ?", (normalise_language(source_lang),)
        with self._lock:
            rows = self._conn.execute(query.format(where=where), params).fetchall()
            tags = {row[1] for row in rows}
        if source_lang is not None:
            srclang = source_lang
        elif len(tags) == 1:
            srclang = next(iter(tags))
        else:
            srclang = "*all*"
        groups: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        for _lang, source_tag, source, origin, target_tag, target in rows:
            groups.setdefault((source_tag, source, origin), []).append((target_tag, target))
        return _write_tmx(path, srclang, groups)


# -- TMX reading ------------------------------------------------------------------------------


def _tmx_error(path: Path, line: int | None, what: str, fix: str) -> PipelineError:
    where = f"{path}:{line}" if line else str(path)
    return PipelineError(where, what, fix)


def _read_tmx(path: Path) -> Iterator[tuple[str, str, list[tuple[str, str, str]]]]:
    """Yield (source tag, source text, [(target tag, target text, origin)]) per <tu>."""
    parser = etree.XMLParser(
        resolve_entities=False,  # no XXE, no entity expansion bombs
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.parse(str(path), parser)
    except OSError as error:
        raise _tmx_error(path, None, f"cannot read the file ({error})",
                         "check the path and permissions") from error
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else None)
        raise _tmx_error(
            path, line, f"not well-formed XML ({error.msg})",
            "fix the XML at that line (in text, write & as &amp; and < as &lt;)",
        ) from error
    root = tree.getroot()
    if root.tag != "tmx":
        raise _tmx_error(path, root.sourceline, f"root element is <{root.tag}>, not <tmx>",
                         "give a TMX file (root element <tmx version=\"1.4\">)")
    version = root.get("version", "1.4")
    if not version.startswith("1."):
        raise _tmx_error(path, root.sourceline, f"TMX version {version!r} is not supported",
                         "export the memory as TMX 1.4")
    header = root.find("header")
    body = root.find("body")
    if header is None or body is None:
        raise _tmx_error(path, root.sourceline, "<tmx> needs a <header> and a <body>",
                         "add the missing element (see the TMX 1.4 specification)")
    header_srclang = header.get("srclang")
    if not header_srclang:
        raise _tmx_error(path, header.sourceline, "<header> has no srclang attribute",
                         "add srclang=\"en\" (the source language) to <header>")
    for tu in body.iterfind("tu"):
        yield _read_tu(path, tu, tu.get("srclang", header_srclang))


def _read_tu(
    path: Path, tu: Any, srclang: str
) -> tuple[str, str, list[tuple[str, str, str]]]:
    variants: list[tuple[str, str, list[str]]] = []  # tag, text, notes
    for tuv in tu.iterfind("tuv"):
        tag = tuv.get(_XML_LANG) or tuv.get("lang")
        if not tag:
            raise _tmx_error(path, tuv.sourceline, "<tuv> has no xml:lang attribute",
                             "add xml:lang=\"es\" (its language) to the <tuv>")
        _check_language(path, tuv.sourceline, tag)
        seg = tuv.find("seg")
        if seg is None:
            raise _tmx_error(path, tuv.sourceline, "<tuv> has no <seg>",
                             "put the text of this variant in a <seg> element")
        variants.append((tag, _seg_text(path, seg), _notes(tuv)))
    if not variants:
        return "", "", []
    if srclang == "*all*":
        source_index = 0
    else:
        base = _check_language(path, tu.sourceline, srclang)
        source_index = next((i for i, (tag, _t, _n) in enumerate(variants)
                             if normalise_language(tag) == base), -1)
        if source_index < 0:
            log.warning("%s:%s: <tu> has no <tuv> in its source language %s; skipped",
                        path, tu.sourceline, srclang)
            return "", "", []
    source_tag, source, _source_notes = variants[source_index]
    props = {prop.get("type"): (prop.text or "") for prop in tu.iterfind("prop")}
    targets = []
    for i, (tag, text, notes) in enumerate(variants):
        if i == source_index or not text:
            continue
        origin = props.get(ORIGIN_PROP)
        if not origin:  # a target's notes qualify its origin; the unit's notes describe it
            origin = path.name + (f" ({'; '.join(notes)})" if notes else "")
        targets.append((tag, text, origin))
    return source_tag, source, targets


def _check_language(path: Path, line: int | None, tag: str) -> str:
    try:
        return normalise_language(tag)
    except PipelineError as error:
        raise _tmx_error(path, line, error.what, error.fix) from error


def _notes(element: Any) -> list[str]:
    return [normalise_whitespace(note.text or "") for note in element.iterfind("note")
            if (note.text or "").strip()]


def _seg_text(path: Path, seg: Any) -> str:
    """The text of a <seg>, its inline elements turned into our placeholders."""
    used: set[int] = set()
    for element in seg.iter():
        if element is seg or not isinstance(element.tag, str):
            continue
        content = "".join(element.itertext())
        token = PLACEHOLDER_RE.fullmatch(content)
        if token:
            used.add(int(token.group(2)))
        elif element.get("x", "").isdigit():
            used.add(int(element.get("x")))
    numbering = _Numbering(used)
    return (seg.text or "") + "".join(_inline(path, child, numbering) for child in seg)


@dataclass
class _Numbering:
    used: set[int]
    next: int = 1
    pairs: dict[str, int] = field(default_factory=dict)  # bpt/ept "i" -> our number

    def fresh(self) -> int:
        while self.next in self.used:
            self.next += 1
        self.used.add(self.next)
        return self.next

    def number(self, element: Any) -> int:
        x = element.get("x", "")
        return int(x) if x.isdigit() else self.fresh()


def _inline(path: Path, element: Any, numbering: _Numbering) -> str:
    tail = element.tail or ""
    if element.tag is etree.Entity:
        raise _tmx_error(
            path, element.sourceline, f"entity reference {element.text} is not expanded",
            "TMX needs no DTD entities: replace the reference with its text",
        )
    if not isinstance(element.tag, str):  # comments, processing instructions
        return tail
    tag = element.tag
    if tag not in _INLINE_TAGS:
        raise _tmx_error(
            path, element.sourceline, f"<{tag}> is not allowed inside <seg>",
            "TMX 1.4 allows only <bpt>, <ept>, <it>, <ph>, <hi> and <ut> in a segment",
        )
    content = "".join(element.itertext())
    if tag != "hi" and PLACEHOLDER_RE.fullmatch(content):
        return content + tail  # our own export: the placeholder travels as native code
    if tag == "hi":
        n = numbering.number(element)
        inner = (element.text or "") + "".join(_inline(path, c, numbering) for c in element)
        return f"<{n}>{inner}</{n}>" + tail
    if tag == "bpt":
        n = numbering.number(element)
        numbering.pairs[element.get("i", "")] = n
        return f"<{n}>" + tail
    if tag == "ept":
        n = numbering.pairs.pop(element.get("i", ""), 0) or numbering.number(element)
        return f"</{n}>" + tail
    return f"<{numbering.number(element)}/>" + tail  # ph, it, ut: a standalone placeholder


# -- TMX writing ------------------------------------------------------------------------------


def _segment_element(tag: str, text: str) -> Any:
    """A <seg> whose placeholders are TMX inline elements carrying the token as native code:
    paired <n>…</n> -> <bpt>/<ept>, <n/> -> <ph>, an unpaired <n> or </n> -> <it>."""
    seg = etree.Element(tag)
    pieces: list[tuple[str, str]] = []  # (text before, token)
    kinds: list[tuple[str, dict[str, str]]] = []
    open_tokens: dict[str, list[int]] = defaultdict(list)
    position = 0
    pair_id = 0
    for token in PLACEHOLDER_RE.finditer(text):
        closing, number, empty = token.group(1), token.group(2), token.group(3)
        if closing and empty:
            continue  # "</3/>" is not a placeholder: it stays text
        pieces.append((text[position:token.start()], token.group(0)))
        position = token.end()
        x = str(int(number))
        if empty:
            kinds.append(("ph", {"x": x}))
        elif not closing:
            open_tokens[number].append(len(kinds))
            kinds.append(("it", {"pos": "begin", "x": x}))
        elif open_tokens[number]:
            start = open_tokens[number].pop()
            pair_id += 1
            kinds[start] = ("bpt", {"i": str(pair_id), "x": x})
            kinds.append(("ept", {"i": str(pair_id)}))
        else:
            kinds.append(("it", {"pos": "end", "x": x}))
    seg.text = pieces[0][0] if pieces else text
    for (_before, marker), (kind, attributes), following in zip(
        pieces, kinds, [p[0] for p in pieces[1:]] + [text[position:]]
    ):
        child = etree.SubElement(seg, kind, attributes)
        child.text = marker
        child.tail = following
    return seg


def _unit_element(
    source_tag: str, source: str, origin: str, targets: list[tuple[str, str]], srclang: str
) -> Any:
    indent = "\n      "
    tu = etree.Element("tu")
    if srclang == "*all*":
        tu.set("srclang", source_tag)
    tu.text = indent
    prop = etree.SubElement(tu, "prop", type=ORIGIN_PROP)
    prop.text = origin
    prop.tail = indent
    variants = [(source_tag, source)] + targets
    for number, (tag, text) in enumerate(variants):
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: tag})
        tuv.text = indent + "  "
        seg = _segment_element("seg", text)
        tuv.append(seg)
        seg.tail = indent
        tuv.tail = indent if number < len(variants) - 1 else "\n    "
    return tu


def _write_tmx(
    path: Path, srclang: str, groups: dict[tuple[str, str, str], list[tuple[str, str]]]
) -> int:
    from . import __version__

    with atomic_stream(path) as stream:
        units = _write_tmx_stream(stream, srclang, groups, __version__)
    return units


def _write_tmx_stream(
    stream: IO[bytes],
    srclang: str,
    groups: dict[tuple[str, str, str], list[tuple[str, str]]],
    version: str,
) -> int:
    units = 0
    with etree.xmlfile(stream, encoding="UTF-8") as xf:
        xf.write_declaration()
        xf.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
        with xf.element("tmx", version="1.4"):
            header = etree.Element("header", {
                "creationtool": TOOL_NAME,
                "creationtoolversion": version,
                "segtype": "sentence",
                "o-tmf": TOOL_NAME,
                "adminlang": "en",
                "srclang": srclang,
                "datatype": "plaintext",
            })
            xf.write("\n  ", header, "\n  ")
            with xf.element("body"):
                for (source_tag, source, origin), targets in groups.items():
                    try:
                        unit = _unit_element(source_tag, source, origin, targets, srclang)
                    except ValueError as error:  # control characters cannot be written in XML
                        log.warning("TMX export: skipped %r (%s)", source[:60], error)
                        continue
                    xf.write("\n    ", unit)
                    units += 1
                xf.write("\n  ")
            xf.write("\n")
    stream.write(b"\n")
    return units
