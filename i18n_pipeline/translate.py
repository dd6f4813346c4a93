"""Fill catalogs: translation memory first, then the MT cache, then one engine batch.

Only empty entries are filled (and stale machine output whose source changed); a reviewed
translation is never touched. Every distinct source sentence is sent to the engine at most once
per run and, thanks to the cache, at most once ever per engine and language pair.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.checks import check_translation
from i18n_pipeline.errors import EngineError
from i18n_pipeline.model import Severity, State
from i18n_pipeline.segment import Protected, protect, unprotect

if TYPE_CHECKING:
    from i18n_pipeline.engines import Engine
    from i18n_pipeline.glossary import Glossary
    from i18n_pipeline.memory import Memory

log = logging.getLogger(__name__)

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
    progress: Callable[[int, int], None] | None = None,
) -> tuple[TranslateReport, Engine | None]:
    """Fill the untranslated entries of ``catalogs`` (release name → catalog).

    Returns the report and the engine if one was opened (the caller closes it, so one engine
    process serves every release of the run).
    """
    report = TranslateReport(target_language, engine=engine_name)
    jobs: dict[str, _Job] = {}
    for cat in catalogs.values():
        for entry in cat.entries():
            if entry.state is State.UNTRANSLATED or _stale_machine(entry, memory, engine_name, source_language, target_language):
                jobs.setdefault(entry.source, _Job(entry.source)).targets.append((cat, entry.source, entry.context))
    if not jobs:
        return report, None
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
        cached = memory.cached(engine_name, source_language, target_language, pending)
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
            provenance = f"machine translation: {engine.describe(source_language, target_language)}, {date}"
        names = _proper_nouns(catalogs)
        protected = [
            _sentence_case(_protect(s, source_language, target_language, glossary), names) for s in pending
        ]
        try:
            raw = engine.translate_batch([p.text for p in protected], source_language, target_language)
        except EngineError:
            raise
        report.requests += 1
        report.sent += len(pending)
        fresh: list[tuple[str, str]] = []
        for source, prot, out in zip(pending, protected, raw, strict=True):
            try:
                target = tidy_machine_output(prot, out)
            except KeyError:
                log.warning("engine lost a protected entity in %r", source)
                report.counts["failed"] += 1
                continue
            if _apply_machine(jobs[source], target, provenance):
                fresh.append((source, target))
                report.counts["engine"] += 1
            else:
                report.counts["failed"] += 1
        if memory is not None and fresh:
            memory.store(engine_name, source_language, target_language, fresh)
    if progress:
        progress(len(jobs), len(jobs))
    return report, engine


def tidy_machine_output(protected: Protected, output: str) -> str:
    """Put protected values back, with the small repairs a translator would otherwise redo.

    Raises KeyError when the engine lost a protected value.
    """
    sent = protected.text
    if "  " not in sent:
        output = re.sub(r"(?<=\S) {2,}(?=\S)", " ", output)
    # An engine capitalises the first word it sees; after a leading placeholder, keep the
    # source's case ("<1/> has worked" must not become "<1/> Ha trabajado").
    lead = re.match(r"((?:<\d+/>\s*)+)(\w)", sent)
    out = re.match(r"((?:<\d+/>\s*)+)(\w)", output) if lead else None
    if lead and out and lead.group(2).islower() and out.group(2).isupper():
        output = output[: out.start(2)] + out.group(2).lower() + output[out.end(2) :]
    target = unprotect(output, protected)
    # A protected value ending in a full stop ("EE. UU.") before the sentence's own full stop.
    for value in protected.values.values():
        if value.endswith(".") and value + "." in target and value + ".." not in target:
            target = target.replace(value + ".", value)
    return target


_TITLE_WORD_RE = re.compile(r"(?<![\w<>/-])([A-Z])([a-z]+)\b")


def _proper_nouns(catalogs: Mapping[str, Catalog]) -> frozenset[str]:
    """Capitalised words seen inside running sentences (not at their start): names."""
    names: set[str] = set()
    for cat in catalogs.values():
        for entry in cat.entries():
            if _is_title_case(entry.source):
                continue
            for m in re.finditer(r"(?<=[\w,;:)] )([A-Z][a-z]+)\b", entry.source):
                names.add(m.group(1))
    return frozenset(names)


def _is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]{4,}", re.sub(r"<[^>]*>", " ", text))]
    capitalised = [w for w in words if w[0].isupper()]
    return len(capitalised) >= 3 and len(capitalised) >= 0.7 * len(words)


def _sentence_case(protected: Protected, names: frozenset[str]) -> Protected:
    """Headlines In Title Case confuse engines ("Compila Casos"): send them in sentence case.

    The first word, acronyms, protected terms and words the release uses as names elsewhere
    keep their capital; the engine's output then reads as a target-language headline should.
    """
    text = protected.text
    if not _is_title_case(text):
        return protected
    first = re.search(r"[^\W\d_]", text)
    start = first.end() if first else 0

    def lower(m: re.Match[str]) -> str:
        word = m.group(0)
        return word if m.start() < start or word in names else word.lower()

    return Protected(_TITLE_WORD_RE.sub(lower, text), protected.values)


def check_placeholders_ok(source: str, target: str) -> bool:
    return not any(p.severity is Severity.CRITICAL for p in check_translation(source, target, ""))


def _apply_machine(job: _Job, target: str, provenance: str) -> bool:
    """Write machine output unless a critical check fails (then the entry stays empty)."""
    problems = check_translation(job.source, target, "")
    if any(p.severity is Severity.CRITICAL for p in problems):
        log.warning("machine output rejected for %r: %s", job.source, problems[0].message)
        return False
    for cat, src, ctx in job.targets:
        cat.set_machine_translation(src, ctx, target, provenance)
    return True


def _stale_machine(entry: object, memory: Memory | None, engine: str, src: str, tgt: str) -> bool:
    """A source change left untouched machine output: translate the new sentence instead.

    Only when the msgstr is exactly what the engine produced for the previous sentence (the
    cache says so), so a translator's unapproved edit is never replaced.
    """
    state = getattr(entry, "state", None)
    previous = getattr(entry, "previous_source", None)
    if state is not State.NEEDS_UPDATE or not getattr(entry, "machine", False) or not previous or memory is None:
        return False
    cached = memory.cached(engine, src, tgt, [previous])
    return cached.get(previous) == getattr(entry, "target", None)


def _protect(text: str, source_language: str, target_language: str, glossary: Glossary | None) -> Protected:
    """Replace entities (numbers, dates) and glossary terms by placeholders the engine keeps."""
    spans: list[tuple[int, int, str]] = []
    try:
        from i18n_pipeline.localise import find_entities, render_entity
    except ImportError:  # pragma: no cover - the module is part of the package
        find_entities = None  # type: ignore[assignment]
    if find_entities is not None:
        for entity in find_entities(text, source_language):
            initial = not text[: entity.start].strip()  # opens the sentence: capitalise
            spans.append((entity.start, entity.end, render_entity(entity, target_language, initial=initial)))
    if glossary is not None:
        from i18n_pipeline.glossary import find_terms

        taken = [(s, e) for s, e, _ in spans]
        for term in find_terms(glossary, text, target_language):
            if all(term.end <= s or term.start >= e for s, e in taken):
                spans.append((term.start, term.end, term.target))
    return protect(text, spans)


def unique_sources(sources: Sequence[str]) -> list[str]:
    """Sources in first-seen order without repeats."""
    return list(dict.fromkeys(sources))
