"""Fill catalogs: translation memory first, then the MT cache, then one engine batch.

Only empty entries are filled (and stale machine output whose source changed); a reviewed
translation is never touched. Every distinct source sentence is sent to the engine at most once
per run and, thanks to the cache, at most once ever per engine and language pair.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from i18n_pipeline.catalog import MACHINE_PREFIX, Catalog, Entry
from i18n_pipeline.checks import check_translation
from i18n_pipeline.localise import find_entities, render_entity
from i18n_pipeline.model import Severity, State
from i18n_pipeline.segment import Protected, protect, unprotect

if TYPE_CHECKING:
    from i18n_pipeline.engines import Engine
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
    for cat in catalogs.values():
        for entry in cat.entries():
            if entry.state is State.UNTRANSLATED or _replaceable(entry, memory, engine_name, source_language, target_language):
                jobs.setdefault(entry.source, _Job(entry.source)).targets.append((cat, entry.source, entry.context))
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
        fresh: list[tuple[str, str]] = []
        done = len(jobs) - len(pending)
        # Requests of ENGINE_BATCH segments: each is streamed whole, and what it returns is
        # stored at once, so an interrupted run keeps every translation already paid for.
        for start in range(0, len(pending), ENGINE_BATCH):
            chunk = pending[start : start + ENGINE_BATCH]
            sent = protected[start : start + ENGINE_BATCH]
            raw = engine.translate_batch([p.text for p in sent], source_language, target_language)
            report.requests += 1
            report.sent += len(chunk)
            fresh = []
            for source, prot, out in zip(chunk, sent, raw, strict=True):
                try:
                    target = tidy_machine_output(prot, out, target_language)
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
            done += len(chunk)
            if progress:
                progress(target_language, done, len(jobs))
    return report


_LEADING_PLACEHOLDERS_RE = re.compile(r"((?:</?\d+/?>\s*)+)(\w)")


def tidy_machine_output(protected: Protected, output: str, target_language: str = "") -> str:
    """Put protected values back, with the small repairs a translator would otherwise redo.

    Raises KeyError when the engine lost a protected value.
    """
    sent = protected.text
    if "  " not in sent:
        output = re.sub(r"(?<=\S) {2,}(?=\S)", " ", output)
    # An engine capitalises the first word it sees; after a leading placeholder, keep the
    # source's case ("<1/> has worked" must not become "<1/> Ha trabajado").
    lead = _LEADING_PLACEHOLDERS_RE.match(sent)
    out = _LEADING_PLACEHOLDERS_RE.match(output) if lead else None
    if lead and out and lead.group(2).islower() and out.group(2).isupper():
        output = output[: out.start(2)] + out.group(2).lower() + output[out.end(2) :]
    # Apertium leaves a blank before punctuation it moved ("negociable ,").
    output = re.sub(r"(?<=\w) +([,.;:!?])(?=\s|$)", lambda m: m.group(0) if f" {m.group(1)}" in sent else m.group(1), output)
    output = _agree_articles(output, protected, target_language)
    target = unprotect(output, protected)
    # A name alone ("Mexico" as a place) gets no article the source did not have ("le Mexique").
    if len(sent.split()) <= 3 and not re.match(r"(?i)(?:the|an?)\s", sent):
        bare = re.sub(r"^(?:(?:[Ll]e|[Ll]a|[Ll]es|[Ee]l|[Ll]os|[Ll]as) |[Ll]['’])(?=\w)", "", target)
        if bare != target:
            target = bare[:1].upper() + bare[1:] if sent[:1].isupper() else bare
    if target_language == "es":
        # Contractions the engine cannot make across a protected term: "de el" → "del".
        target = re.sub(r"\b([Dd]e|[Aa]) el\b", lambda m: ("del" if m.group(1).lower() == "de" else "al") if m.group(1).islower() else ("Del" if m.group(1) == "De" else "Al"), target)
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


def _engine_of(entry: Entry) -> str | None:
    """The engine named by the entry's provenance comment ("machine translation: apertium …")."""
    for comment in entry.translator_comments:
        if comment.startswith(MACHINE_PREFIX):
            words = comment[len(MACHINE_PREFIX) :].replace(",", " ").split()
            return words[0] if words else None
    return None


_HONORIFIC_NAME_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Dame)\.?\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")


def _protect(text: str, source_language: str, target_language: str, glossary: Glossary | None) -> Protected:
    """Replace entities (numbers, dates) and glossary terms by placeholders the engine keeps."""
    spans: list[tuple[int, int, str]] = []
    for entity in find_entities(text, source_language):
        initial = not text[: entity.start].strip()  # opens the sentence: capitalise
        spans.append((entity.start, entity.end, render_entity(entity, target_language, initial=initial)))
    # A name after an honorific is a name ("Mr. Smith" is not "Sr. Herrero").
    for m in _HONORIFIC_NAME_RE.finditer(text):
        spans.append((m.start(1), m.end(1), m.group(1)))
    if glossary is not None:
        from i18n_pipeline.glossary import find_terms

        taken = [(s, e) for s, e, _ in spans]
        for term in find_terms(glossary, text, target_language):
            if all(term.end <= s or term.start >= e for s, e in taken):
                spans.append((term.start, term.end, term.target))
    protected = protect(text, spans)
    # "Mexico's <term>": a possessive before an opaque term reads "México es <term>"; "the <term>
    # of Mexico" is what the engine translates well ("la <term> de México").
    rewritten = _POSSESSIVE_RE.sub(lambda m: f"the {m.group(2)} of {m.group(1)}", protected.text)
    return Protected(rewritten, protected.values)


_POSSESSIVE_RE = re.compile(r"\b([A-Z][\w-]*(?: [A-Z][\w-]*)*)['’]s (<\d+/>)")

# The article an engine puts before a protected term follows the English, not the term:
# "el <Oficina …>". The gender of the term's first word decides it (a heuristic that holds for
# institution names: -a, -ión, -dad, -tud, -ción are feminine in Spanish; -tion, -ssion, -té,
# -ie, -ure, -ence, -ance in French).
_FEMININE = {
    "es": re.compile(r"^\w*(?:a|ión|dad|tud|umbre)$", re.I),
    "fr": re.compile(r"^\w*(?:tion|sion|ssion|té|ie|ure|ence|ance|ité|ine|elle)$", re.I),
}
_ARTICLES = {
    "es": {("el", True): "la", ("del", True): "de la", ("al", True): "a la"},
    "fr": {("le", True): "la", ("du", True): "de la", ("au", True): "à la"},
}


def _agree_articles(output: str, protected: Protected, language: str) -> str:
    rule = _FEMININE.get(language)
    if rule is None:
        return output

    def fix(m: re.Match[str]) -> str:
        value = protected.values.get(m.group(2), "")
        first = re.match(r"\w+", value)
        if not first or not first.group(0)[:1].isupper():
            return m.group(0)  # only names of institutions, which start with a capital
        article = m.group(1)
        better = _ARTICLES[language].get((article.lower(), bool(rule.match(first.group(0)))), article.lower())
        if language == "fr" and first.group(0)[:1].lower() in "aeiouéèêh":
            # Elision before a vowel: "du Institut" → "de l'Institut".
            better = {"le": "l'", "la": "l'", "du": "de l'", "de la": "de l'", "au": "à l'", "à la": "à l'"}.get(better, better)
        if better == article.lower():
            return m.group(0)
        if article[:1].isupper():
            better = better[:1].upper() + better[1:]
        return f"{better}{'' if better.endswith(chr(39)) else ' '}{m.group(2)}"

    return re.sub(r"\b(el|del|al|El|Del|Al|le|du|au|Le|Du|Au) (<\d+/>)", fix, output)
