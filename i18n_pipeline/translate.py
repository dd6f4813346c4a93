"""Fill catalogs: translation memory first, then the MT cache, then one engine batch.

Only empty entries are filled (and stale machine output whose source changed); a reviewed
translation is never touched. Every distinct source sentence is sent to the engine at most once
per run and, thanks to the cache, at most once ever per engine and language pair. What is done to
a sentence before the engine sees it, and to the engine's output, is ``postedit.py``'s.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from i18n_pipeline.catalog import MACHINE_PREFIX, Catalog, Entry
from i18n_pipeline.checks import check_translation, has_critical
from i18n_pipeline.engines import Engine, translate_detailed
from i18n_pipeline.glossary import check_terms, forbidden_terms
from i18n_pipeline.model import State
from i18n_pipeline.postedit import proper_nouns, protect_for_engine, sentence_case, tidy_machine_output

if TYPE_CHECKING:
    from i18n_pipeline.glossary import Glossary
    from i18n_pipeline.memory import Memory

log = logging.getLogger(__name__)

ENGINE_BATCH = 2000  # segments per engine request
REVIEWED_ORIGIN = "reviewed in "  # origin of memory entries learnt from reviewed PO entries
SOURCES = ("tm_exact", "tm_fuzzy", "cache", "engine", "failed")


@dataclass
class TranslateReport:
    """Where the translations of one language came from."""

    language: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))
    requests: int = 0  # engine batch calls
    sent: int = 0  # distinct segments sent to the engine
    engine: str = ""

    def as_dict(self) -> dict[str, object]:
        return {**self.counts, "engine_requests": self.requests, "segments_sent": self.sent}


@dataclass
class _Job:
    """One distinct source sentence and the catalog entries waiting for it."""

    source: str
    targets: list[tuple[Catalog, str, str | None]] = field(default_factory=list)  # catalog, source, context


def fill_catalogs(
    catalogs: Mapping[str, Catalog],
    *,
    source_language: str,
    target_language: str,
    engine_name: str,
    open_engine: Callable[[], Engine],
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    approve_exact: bool = True,
    fuzzy_threshold: float = 0.75,
    today: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> TranslateReport:
    """Fill the untranslated entries of ``catalogs`` (release name → catalog).

    ``open_engine`` is called only when something must go to the engine; the caller owns (and
    closes) what it returns, so one engine process serves every release and language of a run.
    """
    report = TranslateReport(target_language, engine=engine_name)
    jobs: dict[str, _Job] = {}
    uncached: set[str] = set()  # machine output made before the glossary had its terms: not from the cache
    for cat in catalogs.values():
        for entry in cat.entries():
            if entry.state is State.UNTRANSLATED or _replaceable(
                entry, memory, engine_name, source_language, target_language
            ):
                jobs.setdefault(entry.source, _Job(entry.source)).targets.append((cat, entry.source, entry.context))
            elif _off_glossary(entry, memory, glossary, engine_name, source_language, target_language):
                jobs.setdefault(entry.source, _Job(entry.source)).targets.append((cat, entry.source, entry.context))
                uncached.add(entry.source)
    if not jobs:
        return report
    pending = list(jobs)

    # 1. Translation memory: exact matches of reviewed translations.
    if memory is not None:
        exact = memory.exact_many(source_language, target_language, pending)
        for source, match in exact.items():
            # Only what a reviewer approved in a release is approved again; an imported
            # TMX carries no review state we can trust, so its matches are offered fuzzy.
            approved = approve_exact and match.origin.startswith(REVIEWED_ORIGIN)
            for cat, src, ctx in jobs[source].targets:
                cat.set_suggestion(src, ctx, match.target, f"translation memory: {match.origin}", approved=approved)
            report.counts["tm_exact"] += 1
        pending = [s for s in pending if s not in exact]
        # 2. Fuzzy matches: offered for review with their score and the sentence they translate.
        still: list[str] = []
        for source in pending:
            matches = memory.fuzzy(source_language, target_language, source, threshold=fuzzy_threshold)
            if matches and check_placeholders_ok(source, matches[0].target):
                m = matches[0]
                for cat, src, ctx in jobs[source].targets:
                    cat.set_suggestion(
                        src,
                        ctx,
                        m.target,
                        f"translation memory: {round(m.score * 100)}% match, {m.origin}",
                        approved=False,
                        previous_source=m.source,
                    )
                report.counts["tm_fuzzy"] += 1
            else:
                still.append(source)
        pending = still

    provenance = ""
    # 3. The MT cache: the same sentence, pair and engine is never sent twice.
    engine: Engine | None = None
    date = (today or dt.date.today()).isoformat()
    if memory is not None and pending:
        cached = memory.cached(engine_name, source_language, target_language, [s for s in pending if s not in uncached])
        if cached:
            engine = open_engine()
            provenance = f"machine translation: {engine.describe(source_language, target_language)}, {date}"
        for source, target in cached.items():
            if _apply_machine(jobs[source], target, provenance):
                report.counts["cache"] += 1
            else:
                report.counts["failed"] += 1
        pending = [s for s in pending if s not in cached]

    # 4. The engine: one batch for everything left, entities and terms protected.
    if pending:
        if engine is None:
            engine = open_engine()
        names = proper_nouns(entry.source for cat in catalogs.values() for entry in cat.entries())
        protected = [
            sentence_case(protect_for_engine(s, source_language, target_language, glossary), names)
            for s in pending
        ]
        done = len(jobs) - len(pending)
        # Requests of ENGINE_BATCH segments: each is streamed whole, and what it returns is
        # stored at once, so an interrupted run keeps every translation already paid for.
        for start in range(0, len(pending), ENGINE_BATCH):
            chunk = pending[start : start + ENGINE_BATCH]
            sent = protected[start : start + ENGINE_BATCH]
            outputs = translate_detailed(engine, [p.text for p in sent], source_language, target_language)
            report.requests += 1
            report.sent += len(chunk)
            fresh: dict[str, list[tuple[str, str]]] = {}  # engine name -> (source, target) for the cache
            for source, prot, out in zip(chunk, sent, outputs, strict=True):
                try:
                    target = tidy_machine_output(prot, out.text, target_language)
                except KeyError:
                    log.warning("engine lost a protected entity in %r", source)
                    report.counts["failed"] += 1
                    continue
                if _apply_machine(jobs[source], target, f"{MACHINE_PREFIX} {out.provenance}, {date}"):
                    fresh.setdefault(out.engine, []).append((source, target))
                    report.counts["engine"] += 1
                else:
                    report.counts["failed"] += 1
            if memory is not None:
                for name, pairs in fresh.items():
                    memory.store(name, source_language, target_language, pairs)
            done += len(chunk)
            if progress:
                progress(target_language, done, len(jobs))
    return report


def check_placeholders_ok(source: str, target: str) -> bool:
    return not has_critical(check_translation(source, target, ""))


def _apply_machine(job: _Job, target: str, provenance: str) -> bool:
    """Write machine output unless a critical check fails (then the entry stays empty)."""
    if not check_placeholders_ok(job.source, target):
        log.warning("machine output rejected for %r (placeholders lost): %r", job.source, target)
        return False
    for cat, src, ctx in job.targets:
        cat.set_machine_translation(src, ctx, target, provenance)
    return True


def _replaceable(entry: Entry, memory: Memory | None, engine: str, src: str, tgt: str) -> bool:
    """Machine output nobody touched that is out of date: translate the sentence again.

    Two cases: the English changed (needs_update with the previous sentence), or another engine
    wrote it (e.g. a trial run with ``--engine pseudo``). Only when the msgstr is still exactly
    what that engine produced (the cache says so), so a translator's unapproved edit stays.
    """
    if memory is None or not entry.target:
        return False
    used = _engine_of(entry)
    if used is None:
        return False
    if entry.state is State.NEEDS_UPDATE and entry.previous_source:
        sentence = entry.previous_source
    elif entry.state is State.MACHINE and used != engine:
        sentence = entry.source
    else:
        return False
    return memory.cached(used, src, tgt, [sentence]).get(sentence) == entry.target


def _off_glossary(
    entry: Entry, memory: Memory | None, glossary: Glossary | None, engine: str, src: str, tgt: str
) -> bool:
    """Machine output nobody touched that lacks an approved term or uses a forbidden one (the
    glossary changed since): the engine translates it again, with the terms protected."""
    if memory is None or glossary is None or entry.state is not State.MACHINE or _engine_of(entry) != engine:
        return False
    if not (check_terms(glossary, entry.source, entry.target, tgt) or forbidden_terms(glossary, entry.source, entry.target, tgt)):
        return False
    return memory.cached(engine, src, tgt, [entry.source]).get(entry.source) == entry.target


def _engine_of(entry: Entry) -> str | None:
    """The engine named by the entry's provenance comment ("machine translation: apertium …")."""
    for comment in entry.translator_comments:
        if comment.startswith(MACHINE_PREFIX):
            words = comment[len(MACHINE_PREFIX) :].replace(",", " ").split()
            return words[0] if words else None
    return None
