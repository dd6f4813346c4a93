"""Fill catalogs: translation memory first, then the MT cache, then engine batches, with fallback chains.

Only empty entries are filled (and stale machine output whose source changed); a reviewed
translation is never touched. Every distinct source sentence is sent to the engine at most once
per run and, thanks to the cache, at most once ever per engine and language pair. What is done to
a sentence before the engine sees it, and to the engine's output, is ``postedit.py``'s. A language
may have a chain of engines (``engines: {es: [llm, apertium]}``): what the first cannot translate
goes to the next, and each entry's comment names the engine that translated it.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from i18n_pipeline.catalog import MACHINE_PREFIX, Catalog, Entry, machine_comment
from i18n_pipeline.checks import CheckContext, check_placeholders
from i18n_pipeline.engines import Engine, MachineTranslation, translate_detailed
from i18n_pipeline.engines.settings import takes_glossary
from i18n_pipeline.errors import EngineError
from i18n_pipeline.glossary import check_terms, forbidden_terms
from i18n_pipeline.model import State
from i18n_pipeline.postedit import proper_nouns, protect_for_engine, sentence_case, tidy_machine_output
from i18n_pipeline.segment import Protected

if TYPE_CHECKING:
    from i18n_pipeline.glossary import Glossary
    from i18n_pipeline.memory import Memory

log = logging.getLogger(__name__)

TRANSLATE_CHUNK = 200  # releases filled (read, filled, written) at a time: bounds a run's memory
ENGINE_BATCH = 2000  # segments per engine request, at most
FIRST_REQUEST = 100  # segments in the first request of a run, before the engine's speed is known
# Engine work a request carries. The cache is committed as each request's outputs are stored,
# while the engine works on the next: a kill -9 costs at most two requests, about 2 s.
COMMIT_SECONDS = 1.0
REVIEWED_ORIGIN = "reviewed in "  # origin of memory entries learnt from reviewed PO entries
SOURCES = ("tm_exact", "tm_fuzzy", "cache", "engine", "failed")


@dataclass
class Planned:
    """What ``translate --dry-run`` would send to one engine."""

    segments: int = 0
    characters: int = 0  # as the engine would get them (placeholders included)
    cost: float = 0.0  # from the engine's price_per_million_chars


@dataclass
class TranslateReport:
    """Where the translations of one language came from."""

    language: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SOURCES, 0))
    requests: int = 0  # engine batch calls
    sent: int = 0  # segments sent to engines (a segment a fallback engine got again counts twice)
    engine: str = ""  # the first engine of the language's chain
    fallbacks: tuple[str, ...] = ()  # the rest of the chain, in order
    by_engine: dict[str, int] = field(default_factory=dict)  # segments each engine translated
    repaired: int = 0  # of those, outputs whose placeholders the engine moved or lost, put back
    planned: dict[str, Planned] = field(default_factory=dict)  # dry run: engine -> what it would get

    def as_dict(self) -> dict[str, object]:
        return {**self.counts, "engine_requests": self.requests, "segments_sent": self.sent,
                "by_engine": dict(self.by_engine), "placeholders_repaired": self.repaired}


@dataclass
class _Job:
    """One distinct source sentence and the catalog entries waiting for it."""

    source: str
    targets: list[tuple[Catalog, str, str | None]] = field(default_factory=list)  # catalog, source, context
    release: str = ""  # where it first occurs: the segments of one release travel together


def fill_catalogs(
    catalogs: Mapping[str, Catalog],
    *,
    source_language: str,
    target_language: str,
    engines: Sequence[str],
    open_engine: Callable[[str], Engine],
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    approve_exact: bool = True,
    fuzzy_threshold: float = 0.75,
    today: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    dry_run: bool = False,
    names: frozenset[str] | None = None,
    settled: Callable[[str], None] | None = None,
) -> TranslateReport:
    """Fill the untranslated entries of ``catalogs`` (release name → catalog).

    ``engines`` is the language's chain: what the first cannot translate (it fails, or rejects
    a segment) goes to the next. ``open_engine(name)`` is called only when something must go to
    that engine (or its cached output is used); the caller owns (and closes) what it returns, so
    one engine serves every release and language of a run. ``dry_run``: memory and cache are
    consulted, nothing is sent; ``planned`` says what the first engine would get. ``names``:
    the proper nouns of every release of the language (default: those of ``catalogs``), so a
    sentence is protected the same whichever releases are filled with it. ``settled(release)``:
    called once no entry of the release waits for an engine any more (its catalog may be written
    while the engine works on later requests); a release without such entries is not named.
    """
    chain = tuple(engines)
    if not chain:
        raise ValueError("no engine to translate with")
    report = TranslateReport(target_language, engine=chain[0], fallbacks=chain[1:])
    jobs: dict[str, _Job] = {}
    uncached: set[str] = set()  # machine output made before the glossary had its terms: not from the cache
    for release, cat in catalogs.items():
        for entry in cat.entries():
            off_glossary = _off_glossary(entry, memory, glossary, chain, source_language, target_language)
            if entry.state is State.UNTRANSLATED or off_glossary or _replaceable(
                entry, memory, chain, source_language, target_language
            ):
                jobs.setdefault(entry.source, _Job(entry.source, release=release)).targets.append(
                    (cat, entry.source, entry.context))
            if off_glossary:
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

    # 3. The MT cache: the same sentence, pair and engine is never sent twice. Each engine of
    #    the chain is asked in order, so what a fallback engine did last time is kept.
    date = (today or dt.date.today()).isoformat()
    if memory is not None and pending:
        for name in chain:
            cached = memory.cached_detailed(name, source_language, target_language,
                                            [s for s in pending if s not in uncached])
            if not cached:
                continue
            if dry_run:
                report.counts["cache"] += len(cached)
            else:
                provenance = f"{MACHINE_PREFIX} {open_engine(name).describe(source_language, target_language)}, {date}"
                # The words the engine did not know were cached with its output: the comment keeps them.
                for source, (target, unknown) in cached.items():
                    if _apply_machine(jobs[source], target, machine_comment(provenance, unknown)):
                        report.counts["cache"] += 1
                    else:
                        report.counts["failed"] += 1
            pending = [s for s in pending if s not in cached]

    # 4. The engines: batches of what is left, entities (and, for engines that are not given the
    #    glossary, its terms) protected.
    if not pending:
        return report
    release_of = {id(cat): release for release, cat in catalogs.items()}
    releases_of = {source: {release_of[id(cat)] for cat, _, _ in jobs[source].targets} for source in pending}
    waiting = Counter(release for releases in releases_of.values() for release in releases)  # sentences still to come

    def answered(sources: list[str]) -> None:
        for source in sources:
            for release in releases_of[source]:
                waiting[release] -= 1
                if not waiting[release] and settled is not None:
                    settled(release)

    if names is None:
        names = proper_nouns(source for cat in catalogs.values() for _, source in cat.entry_keys())
    protected: dict[tuple[str, bool], Protected] = {}

    def prepare(source: str, engine: str) -> Protected:
        terms = not takes_glossary(engine)
        if (source, terms) not in protected:
            protected[source, terms] = sentence_case(
                protect_for_engine(source, source_language, target_language, glossary if terms else None), names
            )
        return protected[source, terms]

    if dry_run:
        report.planned[chain[0]] = Planned(len(pending), sum(len(prepare(s, chain[0]).text) for s in pending))
        return report
    head = open_engine(chain[0])
    down: dict[str, str] = {}  # engine -> why it failed: not asked again in this call
    done = len(jobs) - len(pending)
    sizer = _RequestSizer()

    def through_chain(todo: list[str], first: _Request | None) -> list[str]:
        """The chain on one request's sources; ``first``: the head engine's answer to it, already
        asked for in the background. Returns what no engine could translate."""
        for position, name in enumerate(chain):
            if not todo:
                break
            if name in down:
                continue
            engine = open_engine(name)
            sent = first.sent if position == 0 and first is not None else [prepare(source, name) for source in todo]
            try:
                if position == 0 and first is not None:
                    outputs, seconds = first.outcome()
                else:
                    # What the engine receives, request by request (-v): a killed run's log says it too.
                    log.info("engine request: %d segments to %s, %s→%s", len(todo), name, source_language, target_language)
                    began = time.monotonic()
                    outputs = translate_detailed(engine, [p.text for p in sent], source_language, target_language)
                    seconds = time.monotonic() - began
            except EngineError as exc:
                if position == len(chain) - 1 or all(n in down for n in chain[position + 1 :]):
                    raise
                down[name] = str(exc)
                log.warning("%s; the rest goes to %s", exc, ", then ".join(n for n in chain[position + 1 :] if n not in down))
                continue
            if position == 0:
                sizer.observe(len(todo), seconds)
            report.requests += 1
            report.sent += len(todo)
            todo = _apply_outputs(todo, sent, outputs, jobs, report, memory, source_language, target_language, date)
        return todo

    # The head engine works one request ahead of Python: while it translates request k, the
    # sources of k+1 are protected; k+1 is sent the moment k returns (only then: an engine that
    # failed gets nothing more), and k's outputs are post-edited and stored while it works on k+1.
    with _EngineThread() as worker:
        requests = _chunks(pending, jobs, by_release=bool(getattr(head, "batch_by_release", False)), sizer=sizer)
        ready = next(requests, None)
        flying = None
        if ready is not None:
            flying = worker.send(head, chain[0], ready, [prepare(s, chain[0]) for s in ready], source_language, target_language)
        while ready is not None:
            chunk, current = ready, flying
            ready = next(requests, None)
            sent_next = [prepare(s, chain[0]) for s in ready] if ready is not None and chain[0] not in down else []
            if current is not None:
                current.wait()
            if ready is not None and chain[0] not in down and (current is None or current.succeeded()):
                flying = worker.send(head, chain[0], ready, sent_next, source_language, target_language)
            else:
                flying = None
            report.counts["failed"] += len(through_chain(chunk, current))
            answered(chunk)
            done += len(chunk)
            if progress:
                progress(target_language, done, len(jobs))
    return report


@dataclass
class _Request:
    """One request to the head engine, running on the engine thread."""

    sources: list[str]
    sent: list[Protected]
    finished: threading.Event = field(default_factory=threading.Event)
    outputs: list[MachineTranslation] = field(default_factory=list)
    seconds: float = 0.0
    error: BaseException | None = None

    def wait(self) -> None:
        self.finished.wait()

    def succeeded(self) -> bool:
        return self.finished.is_set() and self.error is None

    def outcome(self) -> tuple[list[MachineTranslation], float]:
        self.finished.wait()
        if self.error is not None:
            raise self.error
        return self.outputs, self.seconds


class _EngineThread:
    """A thread that runs head-engine requests one at a time, so Python's work on the requests
    before and after overlaps the engine's. A daemon: a run interrupted while the engine works
    does not wait for it (the engines are closed by their owner, which ends the request)."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Engine, _Request, str, str] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name="engine", daemon=True)
        self._started = False

    def send(self, engine: Engine, name: str, sources: list[str], sent: list[Protected], source: str, target: str) -> _Request:
        # What the engine receives, request by request (-v): a killed run's log says it too.
        log.info("engine request: %d segments to %s, %s→%s", len(sources), name, source, target)
        request = _Request(sources, sent)
        if not self._started:
            self._thread.start()
            self._started = True
        self._queue.put((engine, request, source, target))
        return request

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            engine, request, source, target = item
            began = time.monotonic()
            try:
                request.outputs = translate_detailed(engine, [p.text for p in request.sent], source, target)
            except Exception as exc:  # noqa: BLE001 - raised again in the caller's thread (fallback, or raise)
                request.error = exc
            request.seconds = time.monotonic() - began
            request.finished.set()

    def __enter__(self) -> _EngineThread:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        self._queue.put(None)  # the thread ends after the request it is on, if any
        if exc_type is None and self._started:
            self._thread.join()  # nothing in flight: at once (the next stage may fork workers)


class NameCollector:
    """The proper nouns of each language's releases (``fill_catalogs``' ``names``), gathered as
    the catalogs are read for the memory: every chunk then protects a sentence alike. ``keep``:
    keep the catalogs too (few releases: read once, filled at once)."""

    def __init__(self, releases: Iterable[str], *, keep: bool = False) -> None:
        self.releases = set(releases)
        self.keep = keep
        self.by_language: dict[str, set[str]] = {}  # the languages to collect for
        self.kept: dict[str, dict[str, Catalog]] = {}  # language → release → catalog

    def __call__(self, language: str, release: str, cat: Catalog) -> None:
        names = self.by_language.get(language)
        if names is not None and release in self.releases:
            names.update(proper_nouns(source for _, source in cat.entry_keys()))
            if self.keep:
                self.kept.setdefault(language, {})[release] = cat


def fill_in_chunks(
    releases: Sequence[str],
    read: Callable[[str], Catalog],
    write: Callable[[str, Catalog], None] | None,
    *,
    chunk: int,
    target_language: str,
    progress: Callable[[str, int, int], None] | None = None,
    **fill: Any,
) -> TranslateReport:
    """``fill_catalogs`` over ``releases`` ``chunk`` at a time: each chunk's catalogs are read,
    filled, written (unless ``write`` is None: a dry run; a release as soon as it is settled) and let go, so a run holds a bounded
    number of catalogs, jobs and engine outputs whatever the number of releases. A sentence of a
    later chunk that an earlier one sent to the engine comes from the MT cache: still sent once
    per run. Pass ``names`` (see ``fill_catalogs``) so that chunking changes no translation."""
    report: TranslateReport | None = None
    offset = 0  # jobs of the chunks done: progress counts on across chunks

    def step(lang: str, done: int, total: int) -> None:
        if progress is not None:
            progress(lang, offset + done, offset + total)

    for start in range(0, len(releases), max(1, chunk)):
        catalogs = {release: read(release) for release in releases[start : start + chunk]}
        written: set[str] = set()

        def settled(release: str, catalogs: dict[str, Catalog] = catalogs, written: set[str] = written) -> None:
            if write is not None:  # written while the engine works on the next request
                write(release, catalogs[release])
                written.add(release)

        part = fill_catalogs(catalogs, target_language=target_language, progress=step, settled=settled, **fill)
        for release, cat in catalogs.items():
            if write is not None and release not in written:
                write(release, cat)
        offset += sum(part.counts.values())
        report = part if report is None else _merged(report, part)
    if report is None:
        chain = tuple(fill["engines"])
        report = TranslateReport(target_language, engine=chain[0], fallbacks=chain[1:])
    return report


def _merged(report: TranslateReport, part: TranslateReport) -> TranslateReport:
    for key, count in part.counts.items():
        report.counts[key] += count
    report.requests += part.requests
    report.sent += part.sent
    report.repaired += part.repaired
    for name, count in part.by_engine.items():
        report.by_engine[name] = report.by_engine.get(name, 0) + count
    for name, planned in part.planned.items():
        mine = report.planned.setdefault(name, Planned())
        mine.segments += planned.segments
        mine.characters += planned.characters
    return report


class _RequestSizer:
    """Requests of about COMMIT_SECONDS of engine work: FIRST_REQUEST segments, then as many as
    the engine did in that time (at most ENGINE_BATCH). Each request is committed to the cache as
    it returns, so a killed run loses at most a few seconds of engine work and the next run pays
    the engine only for the rest."""

    def __init__(self) -> None:
        self.size = FIRST_REQUEST

    def observe(self, segments: int, seconds: float) -> None:
        self.size = _next_request_size(segments, seconds)


def _next_request_size(segments: int, seconds: float) -> int:
    """Segments the engine translates in about COMMIT_SECONDS, judged by the last request."""
    if seconds <= 0:
        return ENGINE_BATCH
    return max(1, min(ENGINE_BATCH, int(segments * COMMIT_SECONDS / seconds)))


def _chunks(pending: list[str], jobs: Mapping[str, _Job], *, by_release: bool, sizer: _RequestSizer) -> Iterator[list[str]]:
    """Requests of ``sizer.size`` segments (read as each request is cut, so it follows the
    engine's speed): each is streamed whole, and what it returns is stored at once, so an
    interrupted run keeps every translation already paid for. An engine that reads context (an
    LLM) gets one release per request, so it sees a release together."""
    chunk: list[str] = []
    for source in pending:
        if chunk and (len(chunk) >= sizer.size or (by_release and jobs[source].release != jobs[chunk[0]].release)):
            yield chunk
            chunk = []
        chunk.append(source)
    if chunk:
        yield chunk


def _apply_outputs(
    todo: list[str],
    sent: list[Protected],
    outputs: Sequence[MachineTranslation],
    jobs: Mapping[str, _Job],
    report: TranslateReport,
    memory: Memory | None,
    source_language: str,
    target_language: str,
    date: str,
) -> list[str]:
    """Write one engine's outputs into the catalogs and the cache; returns the sources it could
    not translate (the next engine of the chain gets them)."""
    left: list[str] = []
    fresh: dict[str, list[tuple[str, str]]] = {}  # engine name -> (source, target) for the cache
    unknown_words: dict[str, tuple[str, ...]] = {}  # source -> words the engine did not know
    for source, prot, out in zip(todo, sent, outputs, strict=True):
        if out.error:
            log.warning("%s could not translate %r: %s", out.engine, source, out.error)
            left.append(source)
            continue
        try:
            target = tidy_machine_output(prot, out.text, target_language)
        except KeyError:
            log.warning("%s lost a protected entity in %r", out.engine, source)
            left.append(source)
            continue
        if _apply_machine(jobs[source], target, machine_comment(f"{MACHINE_PREFIX} {out.provenance}, {date}", out.unknown_words)):
            fresh.setdefault(out.engine, []).append((source, target))
            unknown_words[source] = out.unknown_words
            report.counts["engine"] += 1
            report.by_engine[out.engine] = report.by_engine.get(out.engine, 0) + 1
            report.repaired += out.repaired
        else:
            left.append(source)
    if memory is not None:
        for name, pairs in fresh.items():
            memory.store(name, source_language, target_language, pairs, unknown_words)
    return left


def check_placeholders_ok(source: str, target: str) -> bool:
    """Whether a candidate keeps the source's placeholders (what an engine or a fuzzy match may
    lose); the other checks are ``check``'s, on the written catalogs."""
    return not any(check_placeholders(source, target, CheckContext()))


def _apply_machine(job: _Job, target: str, provenance: str) -> bool:
    """Write machine output unless a critical check fails (then the entry stays empty)."""
    if not check_placeholders_ok(job.source, target):
        log.warning("machine output rejected for %r (placeholders lost): %r", job.source, target)
        return False
    for cat, src, ctx in job.targets:
        cat.set_machine_translation(src, ctx, target, provenance)
    return True


def _replaceable(entry: Entry, memory: Memory | None, chain: Sequence[str], src: str, tgt: str) -> bool:
    """Machine output nobody touched that is out of date: translate the sentence again.

    Two cases: the English changed (needs_update with the previous sentence), or an engine that is
    not in the language's chain wrote it (e.g. a trial run with ``--engine pseudo``; what a
    fallback engine of the chain wrote stays). Only when the msgstr is still exactly
    what that engine produced (the cache says so), so a translator's unapproved edit stays.
    """
    if memory is None or not entry.target:
        return False
    used = _engine_of(entry)
    if used is None:
        return False
    if entry.state is State.NEEDS_UPDATE and entry.previous_source:
        sentence = entry.previous_source
    elif entry.state is State.MACHINE and used not in chain:
        sentence = entry.source
    else:
        return False
    return memory.cached(used, src, tgt, [sentence]).get(sentence) == entry.target


def _off_glossary(
    entry: Entry, memory: Memory | None, glossary: Glossary | None, chain: Sequence[str], src: str, tgt: str
) -> bool:
    """Machine output nobody touched that lacks an approved term or uses a forbidden one (the
    glossary changed since): the engine translates it again, with the terms protected."""
    if memory is None or glossary is None or entry.state is not State.MACHINE:
        return False
    used = _engine_of(entry)
    if used is None or used not in chain or not (
        check_terms(glossary, entry.source, entry.target, tgt) or forbidden_terms(glossary, entry.source, entry.target, tgt)
    ):
        return False
    return memory.cached(used, src, tgt, [entry.source]).get(entry.source) == entry.target


def _engine_of(entry: Entry) -> str | None:
    """The engine named by the entry's provenance comment ("machine translation: apertium …")."""
    for comment in entry.translator_comments:
        if comment.startswith(MACHINE_PREFIX):
            words = comment[len(MACHINE_PREFIX) :].replace(",", " ").split()
            return words[0] if words else None
    return None
