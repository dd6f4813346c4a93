"""The ``build/`` folder as a site: every language's releases as its publish policy says, the
original's pages, an index page per language and the stylesheet.

``pipeline.build`` hands this module the releases, the languages and how to find a release's
catalog; this module walks only ``build/``. What one release becomes is build.py's decision,
how a page looks is pages.py's.

A page links to every other published language of its release (hreflang). Which languages are
published is known only when every language of the build is decided, and a build of some
languages (``-l fr``) can change the set for pages it does not rebuild (French withheld: the
Spanish page must stop linking to it), so the links are set last, in every page of the release.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from i18n_pipeline.build import Withheld, publish_release
from i18n_pipeline.catalog import Catalog
from i18n_pipeline.checks import CheckContext, load_language_data
from i18n_pipeline.checks.verdicts import Verdicts
from i18n_pipeline.config import PublishPolicy, Settings
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.files import relative_name, remove_file, write_if_changed
from i18n_pipeline.formats import FORMATS, format_of, prepare_formats
from i18n_pipeline.glossary import Glossary, load_glossary
from i18n_pipeline.incremental import WorkLog, file_content
from i18n_pipeline.model import Document
from i18n_pipeline.mofile import compile_mo
from i18n_pipeline.pages import (
    STYLESHEET,
    STYLESHEET_NAME,
    IndexEntry,
    alternates_for,
    describe_page,
    describe_text,
    render_index,
    set_alternates,
    text_direction,
)
from i18n_pipeline.parallel import in_order
from i18n_pipeline.pofile import catalog_bytes, read_po, read_po_bytes


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)  # written or already up to date
    written: int = 0
    mo_written: int = 0  # MO files compiled anew (--mo)
    mo_unchanged: int = 0
    # Over every release published in the build's languages, those skipped as unchanged included:
    machine_segments: int = 0  # shown from unreviewed machine output, marked as such
    fallback_segments: int = 0  # left in the source language (rejected ones included)
    rejected_segments: int = 0  # translations not published: they fail a critical check
    # Per target language, over its releases: segments and words a reviewer has not approved yet
    unreviewed: dict[str, dict[str, int]] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)  # "<output>: withheld: why; how to fix"
    removed: list[Path] = field(default_factory=list)  # what an earlier build wrote for a now withheld release
    _listed: set[Path] = field(default_factory=set, repr=False)  # outputs, as a set: a list search per emit is quadratic

    def emit(self, path: Path, text: str) -> bool:
        """Write an output atomically (only when its bytes change); True when written."""
        changed = write_if_changed(path, text.encode("utf-8"), durable=False)  # regenerable
        self.written += changed
        self.note(path)
        return changed

    def note(self, *paths: Path) -> None:
        """Outputs written or already up to date (each listed once)."""
        for path in paths:
            if path not in self._listed:
                self._listed.add(path)
                self.outputs.append(path)


def release_outputs(settings: Settings, language: str, source: Path) -> list[Path]:
    """What a build writes for release ``source`` in ``language``: the release in its own
    format, and for Markdown its HTML page."""
    return list(_outputs(settings.build_dir, language, source))


@functools.lru_cache(maxsize=4096)
def _outputs(build_dir: Path, language: str, source: Path) -> tuple[Path, ...]:
    """Asked five times per release and language in a build: once made, the paths are kept."""
    folder, stem = _folder(build_dir, language), source.stem
    if format_of(source) == "markdown":
        return (folder / f"{stem}.md", folder / f"{stem}.html")
    return (folder / (stem + source.suffix.lower()),)


@functools.lru_cache(maxsize=64)
def _folder(build_dir: Path, language: str) -> Path:
    return build_dir / language


def _page_of(outputs: Sequence[Path]) -> Path | None:
    return next((p for p in outputs if p.suffix in (".html", ".htm", ".xhtml")), None)


@dataclass
class _Work:
    """One release in one language: its work-log key and files, and what it found or made."""

    key: str
    files: list[Path]  # inputs, then outputs: what the work log digests
    outputs: list[Path]
    texts: list[str]  # empty when skipped (the outputs on disk are up to date)
    info: dict[str, int]
    seen: list[bytes] = field(default_factory=list)  # the inputs' bytes as the work read them (when made)


def build_site(
    settings: Settings,
    releases: Sequence[Path],
    languages: Sequence[str],
    *,
    log: WorkLog,
    load_document: Callable[[Path], Document],
    catalog_path: Callable[[str, str], Path],
    include_machine: bool | None = None,
    mo: bool = False,
    run: bool = False,
) -> BuildResult:
    """Build ``releases`` in the source language and in ``languages`` (see pipeline.build)."""
    clash = next((path for path in releases if path.stem == "index"), None)
    if clash is not None:
        raise PipelineError(
            str(clash), "a release named 'index' would replace the index page build/<lang>/index.html", "rename it"
        )
    result = BuildResult()
    source_language = settings.source_language
    build_dir = settings.build_dir  # a property: a new Path (and its hash) on every call
    glossary_path = settings.locales_dir / "glossary.yaml"
    glossary = load_glossary(glossary_path)
    plans: list[tuple[str, PublishPolicy, bool, str]] = []
    for lang in [source_language, *languages]:
        policy = settings.publish_policy(lang)
        machine = policy.includes_machine(run=run) if include_machine is None else include_machine
        plans.append((lang, policy, machine, "original" if lang == source_language else "machine" if machine else "reviewed"))
    everyone = [source_language, *settings.target_languages]
    glossary_bytes = glossary_path.read_bytes() if glossary_path.is_file() else b""
    verdicts = {
        lang: Verdicts(settings.cache_dir / f"checks-{lang}.json", lang, glossary_bytes) for lang in languages
    }
    complete = dict.fromkeys(languages, True)  # every release of the language built: stale verdicts can go
    withheld: list[tuple[int, str]] = []  # (language's place, message): reported language by language
    # What is up to date is found here; the rest is made release by release on the machine's
    # cores (parallel.py: a release's Document is loaded once for every language, and what is
    # made of it is written here, in order, and dropped: memory does not grow with the releases).
    order: list[tuple[Path, dict[str, _Work], bool]] = []  # release, its languages skipped, anything to make
    tasks: list[_Task] = []
    for source in releases:
        skipped: dict[str, _Work] = {}
        todo: list[_Plan] = []
        for place, (lang, policy, machine, mode) in enumerate(plans):
            path = catalog_path(lang, source.stem)
            if mo and lang != source_language and path.exists():
                _compile_mo(result, log, f"mo:{lang}:{source.stem}", path)
            outputs = list(_outputs(build_dir, lang, source))
            inputs = [source] if lang == source_language else [source, path, glossary_path]
            key = f"build:{lang}:{source.stem}:{mode}"
            if all(p.exists() for p in outputs) and log.done(key, [*inputs, *outputs]):
                skipped[lang] = _Work(key, [*inputs, *outputs], outputs, [], log.info(key))
                result.note(*outputs)
                complete[lang] = False
                continue
            todo.append(_Plan(place, lang, policy, machine, path, _shown(settings, path), key, [*inputs, *outputs], outputs))
        order.append((source, skipped, bool(todo)))
        if todo:
            tasks.append(_Task(source, todo, skipped))
    for lang in [source_language, *languages]:  # CLDR data loaded once, before the workers fork
        if lang != source_language:  # the original is not checked
            load_language_data(lang)
        text_direction(lang)
    prepare_formats(task.source for task in tasks)  # markdown-it: here once, not in each worker
    shared = _Shared(settings, source_language, everyone, glossary, file_content(glossary_path), verdicts, load_document, log)
    made_in_order = in_order(_make_release, shared, tasks)
    described: dict[Path, IndexEntry] = {}
    for source, skipped, to_make in order:
        if to_make:
            made_here, found, emitted = next(made_in_order)
        else:
            made_here, found, emitted = [], {}, _emit_release(shared, source, {}, skipped, set())
        for lang, (used, runs) in found.items():
            verdicts[lang].adopt(used, runs)
        infos = {lang: work.info for lang, work in skipped.items()}
        for made in made_here:
            if made.withheld is not None:
                before = len(result.withheld)
                _withhold(settings, result, made.lang, source, made.withheld)
                withheld += [(made.place, line) for line in result.withheld[before:]]
                _add_unreviewed(result, made.lang, made.info)
                continue
            infos[made.lang] = made.info
        for lang, info in infos.items():
            result.machine_segments += info.get("machine", 0)
            result.fallback_segments += info.get("fallback", 0)
            result.rejected_segments += info.get("rejected", 0)
            if lang != source_language:
                _add_unreviewed(result, lang, info)
        result.written += emitted.written
        for lang, place, entry in emitted.outputs:
            path = _outputs(build_dir, lang, source)[place]
            result.note(path)
            if entry is not None:
                described[path] = IndexEntry(*entry)
        for key, digest, info in emitted.records:
            log.remember(key, digest, info=info)
    # Sorted by language (stable: by release within one), as a build reported them language by language.
    result.withheld = [line for _, line in sorted(withheld, key=lambda item: item[0])]
    for lang, known in verdicts.items():
        known.save(complete=complete[lang])
    _write_indexes(settings, releases, result, described)
    return result


@dataclass
class _Plan:
    """One release to make in one language: what build_site decided before making it."""

    place: int  # the language's place in the build (messages are reported language by language)
    lang: str
    policy: PublishPolicy
    machine: bool
    catalog: Path
    catalog_name: str  # as the user reads it
    key: str
    files: list[Path]  # inputs, then outputs: what the work log digests
    outputs: list[Path]


@dataclass
class _Task:
    source: Path
    plans: list[_Plan]
    skipped: dict[str, _Work]  # the release's languages up to date: their pages may need new links


# What a worker hands back holds no Path and no plan, only names, numbers and text: the build's
# process has made those already, and unpickling them cost it ~60 µs a release (a Path is parsed
# again) while it shares the cores with the workers.
@dataclass
class _Made:
    """What a worker made of one release in one language (its pages are written), or why it is
    withheld."""

    lang: str
    place: int  # the language's place in the build (_Plan.place)
    info: dict[str, int]
    withheld: str | None = None


@dataclass
class _Emitted:
    """What writing one release's pages did, for the build's process to count and remember."""

    written: int = 0
    # Written or already up to date: (language, place in release_outputs), and for a page the
    # fields of its IndexEntry (as the index lists it).
    outputs: list[tuple[str, int, tuple[str, str, str | None, str | None] | None]] = field(default_factory=list)
    records: list[tuple[str, str, dict[str, int]]] = field(default_factory=list)  # work log: key, digest, info


@dataclass
class _Shared:
    """What every worker of a build shares (through the fork: never pickled)."""

    settings: Settings
    source_language: str
    everyone: list[str]  # the source language and every target language of the project
    glossary: Glossary
    glossary_bytes: bytes  # as the work log digests it (file_content): read once, as the glossary was
    verdicts: dict[str, Verdicts]
    load_document: Callable[[Path], Document]
    log: WorkLog  # its digests only: what is remembered is the build's process's business


def _make_release(
    shared: _Shared, task: _Task
) -> tuple[list[_Made], dict[str, tuple[dict[str, bool], int]], _Emitted]:
    """A release in each language of ``task`` (in a worker, or here), its pages written, and the
    check verdicts used or found meanwhile, for the build's process to keep."""
    document: Document | None = None
    made: list[_Made] = []
    built: dict[str, _Work] = {}
    # The work log digests what the work read (inputs, as _Plan.files lists them) and wrote, from
    # the bytes in hand: only the release is read again (the Document came from the cache).
    source_bytes = file_content(task.source)
    for plan in task.plans:
        foreign = plan.lang != shared.source_language
        seen = [source_bytes]
        catalog = None
        if foreign:
            po_bytes = catalog_bytes(plan.catalog) if plan.catalog.exists() else None
            catalog = read_po_bytes(po_bytes, str(plan.catalog)) if po_bytes is not None else None
            seen += [file_content(plan.catalog) if po_bytes is None else po_bytes, shared.glossary_bytes]
        left = _unreviewed(catalog)
        if document is None:
            document = shared.load_document(task.source)
        out = publish_release(
            document, catalog, plan.lang, plan.policy, machine=plan.machine, source_language=shared.source_language,
            context=CheckContext(plan.lang, shared.glossary), catalog_name=plan.catalog_name,
            verdicts=shared.verdicts.get(plan.lang),
        )
        if isinstance(out, Withheld):
            made.append(_Made(plan.lang, plan.place, left, out.why))
            continue
        info = {"machine": out.machine_segments, "fallback": out.fallback_segments, "rejected": out.rejected_segments}
        made.append(_Made(plan.lang, plan.place, info | left))
        built[plan.lang] = _Work(plan.key, plan.files, plan.outputs, [out.markdown, out.html], info | left, seen)
    withheld = {m.lang for m in made if m.withheld is not None}
    emitted = _emit_release(shared, task.source, built, task.skipped, withheld)
    return made, {lang: known.take_new() for lang, known in shared.verdicts.items()}, emitted


def _emit_release(
    shared: _Shared, source: Path, built: dict[str, _Work], skipped: dict[str, _Work], withheld: set[str]
) -> _Emitted:
    """Write one release's pages, each linking to the release's other published languages (in a
    worker, or here); ``withheld``: languages of the release that are not published any more."""
    settings, release = shared.settings, source.stem
    emitted = _Emitted()

    def emit(lang: str, outputs: Sequence[Path], place: int, text: str) -> tuple[bool, bytes]:
        path = outputs[place]
        data = text.encode("utf-8")
        changed = write_if_changed(path, data, durable=False)  # regenerable
        emitted.written += changed
        entry = None
        if path.suffix in (".html", ".htm", ".xhtml"):
            described = describe_page(text, release)
            entry = (described.href, described.title, described.date, described.lang)
        emitted.outputs.append((lang, place, entry))
        return changed, data

    published = [
        lang for lang in shared.everyone
        if lang not in withheld and (lang in built or _published(settings, lang, source))
    ]
    for lang in published:
        alternates = alternates_for(release, lang, published, settings.source_language)
        fresh = built.get(lang)
        if fresh is not None:
            page = _page_of(fresh.outputs)
            written = [
                emit(lang, fresh.outputs, place, set_alternates(text, alternates) if out_path == page else text)[1]
                for place, (out_path, text) in enumerate(zip(fresh.outputs, fresh.texts, strict=False))
            ]
            # What the work read, then what it wrote: the files' bytes, as digest would read them.
            digest = shared.log.digest_of(zip(fresh.files, [*fresh.seen, *written], strict=True))
            emitted.records.append((fresh.key, digest, fresh.info))
            continue
        outputs = _outputs(settings.build_dir, lang, source)
        page = _page_of(outputs)
        if page is not None and page.exists():  # skipped, or of a language this build left alone
            changed, _ = emit(lang, outputs, outputs.index(page), set_alternates(page.read_text("utf-8"), alternates))
            unchanged_work = skipped.get(lang)
            if changed and unchanged_work is not None:
                emitted.records.append((unchanged_work.key, shared.log.digest(unchanged_work.files), unchanged_work.info))
    return emitted


def _unreviewed(catalog: Catalog | None) -> dict[str, int]:
    if catalog is None:
        return {}
    stats = catalog.stats()
    return {
        "unreviewed_segments": stats.total_segments - stats.segments["reviewed"],
        "unreviewed_words": sum(stats.words.values()) - stats.words["reviewed"],
    }


def _add_unreviewed(result: BuildResult, language: str, counts: dict[str, int]) -> None:
    total = result.unreviewed.setdefault(language, {"segments": 0, "words": 0})
    total["segments"] += counts.get("unreviewed_segments", 0)
    total["words"] += counts.get("unreviewed_words", 0)


def _shown(settings: Settings, path: Path) -> str:
    """``path`` as a user reads it: relative to the project folder."""
    return relative_name(path, settings.root)


def _published(settings: Settings, language: str, source: Path) -> bool:
    return all(p.exists() for p in release_outputs(settings, language, source))


def _compile_mo(result: BuildResult, log: WorkLog, key: str, path: Path) -> None:
    mo_path = path.with_suffix(".mo")
    written = False
    if not mo_path.exists() or not log.done(key, [path, mo_path]):
        written = compile_mo(read_po(path), mo_path)
        log.record(key, [path, mo_path])
    result.mo_written += written
    result.mo_unchanged += not written
    result.note(mo_path)


def _withhold(settings: Settings, result: BuildResult, language: str, source: Path, why: str) -> None:
    """Nothing of release ``source`` stays in build/<language>/: whatever an earlier build wrote
    there, in any format, is removed (one atomic unlink each)."""
    folder = settings.build_dir / language
    for suffix in sorted({*FORMATS, ".md", ".html"}):
        candidate = folder / f"{source.stem}{suffix}"
        if remove_file(candidate):
            result.removed.append(candidate)
    outputs = release_outputs(settings, language, source)
    result.withheld.append(f"{_shown(settings, _page_of(outputs) or outputs[0])}: withheld: {why}")


def _write_indexes(
    settings: Settings, releases: Sequence[Path], result: BuildResult, described: dict[Path, IndexEntry]
) -> None:
    """``build/<lang>/index.html`` for every language with a folder in build/, and the stylesheet;
    ``described``: the pages this build wrote or checked, as the index lists them (the others
    are read)."""
    everyone = [settings.source_language, *settings.target_languages]
    with_folder = [lang for lang in everyone if (settings.build_dir / lang).is_dir()]
    if not with_folder:
        return
    build_dir = settings.build_dir  # a property: a new Path on every call
    result.emit(build_dir / STYLESHEET_NAME, STYLESHEET)
    for lang in with_folder:
        entries = []
        for source in releases:
            outputs = _outputs(build_dir, lang, source)
            if not all(p.exists() for p in outputs):
                continue
            page = _page_of(outputs)
            shown = page or outputs[0]
            entry = described.get(shown)
            if entry is None:
                text = shown.read_text("utf-8")
                entry = describe_page(text, source.stem) if page else describe_text(text, source.stem)
            entries.append(replace(entry, href=shown.name))
        index = render_index(lang, entries, with_folder, settings.source_language)
        result.emit(settings.build_dir / lang / "index.html", index)
