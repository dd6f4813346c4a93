"""Runs the stages over a project tree; the only module that walks paths.

extract → update → translate → build, each usable alone. Files are written only when their bytes
change, so re-running with nothing changed leaves every file as it was.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from i18n_pipeline.catalog import Catalog, new_template, template_entries, update_catalog
from i18n_pipeline.checks import CheckContext, check_catalog
from i18n_pipeline.config import Settings
from i18n_pipeline.engines import Engine, available_engines, get_engine
from i18n_pipeline.engines.dask import DaskCluster
from i18n_pipeline.engines.settings import engine_arguments, price_per_million_chars, takes_glossary
from i18n_pipeline.errors import ConfigError, DocumentError, PipelineError, ReleaseExistsError, UsageError
from i18n_pipeline.files import batched_fsync, make_folder, write_if_changed
from i18n_pipeline.formats import FORMATS
from i18n_pipeline.glossary import Glossary, load_glossary, term_notes
from i18n_pipeline.glossary_merge import MergeReport
from i18n_pipeline.incremental import WorkLog, code_digest
from i18n_pipeline.ingest import IngestResult, ingest
from i18n_pipeline.locking import locked as _locked
from i18n_pipeline.locking import project_lock
from i18n_pipeline.memory import Memory
from i18n_pipeline.model import Document, Problem, State, Stats
from i18n_pipeline.parallel import in_order
from i18n_pipeline.parsed import keep_document, read_release
from i18n_pipeline.parsed import load_document as load_document  # re-exported: the stages' one way to read a release
from i18n_pipeline.pofile import read_po, write_po
from i18n_pipeline.release_files import is_release_file
from i18n_pipeline.report import ReportRow, render_report
from i18n_pipeline.site import BuildResult, build_site
from i18n_pipeline.termbase import Imported, export_termbase, import_termbase
from i18n_pipeline.tmx import check_languages, read_tmx
from i18n_pipeline.translate import REVIEWED_ORIGIN, TRANSLATE_CHUNK, NameCollector, TranslateReport, fill_in_chunks
from i18n_pipeline.xliff import DEFAULT_STATES, ImportReport, export_release, import_files

log = logging.getLogger(__name__)


# --- paths -----------------------------------------------------------------------------------


def release_paths(settings: Settings) -> list[Path]:
    """Source releases in ``content/``, sorted by name."""
    if not settings.content_dir.is_dir():
        what = "not a folder" if settings.content_dir.exists() else "no content folder"
        raise PipelineError(str(settings.content_dir), what, "put releases in content/<name>.md")
    paths = sorted(p for p in settings.content_dir.iterdir() if p.suffix.lower() in FORMATS and is_release_file(p, settings.root))
    if not paths:
        raise PipelineError(
            str(settings.content_dir), "no releases here", "put releases in content/<name>.md, or run 'i18n-pipeline ingest'"
        )
    names: dict[str, Path] = {}
    for p in paths:
        if p.stem in names:
            raise PipelineError(str(p), f"two releases named '{p.stem}' ({names[p.stem].name})", "rename one")
        names[p.stem] = p
    return paths


def template_path(settings: Settings, release: str) -> Path:
    return settings.locales_dir / "templates" / f"{release}.pot"


def po_path(settings: Settings, language: str, release: str) -> Path:
    return settings.locales_dir / language / "LC_MESSAGES" / f"{release}.po"


def _languages(settings: Settings, languages: Sequence[str] | None) -> list[str]:
    if not languages:
        return list(settings.target_languages)
    for lang in languages:
        if lang not in settings.target_languages:
            raise UsageError(
                f"language '{lang}'",
                "not a target language of this project",
                f"choose one of {', '.join(settings.target_languages)} or add it to pipeline.yaml",
            )
    return list(languages)


# --- stages ----------------------------------------------------------------------------------


def ingest_sources(
    settings: Settings, sources: Sequence[Path], *, slug: str | None = None, fmt: str = "auto", force: bool = False
) -> Iterator[tuple[Path, Path, IngestResult]]:
    """Turn each source into ``content/<slug>.md``; yields (source, written file, result).

    An existing release with other content is not replaced unless ``force``.
    """
    with project_lock(settings, "i18n-pipeline ingest"):
        yield from _ingest_sources(settings, sources, slug=slug, fmt=fmt, force=force)


def _ingest_sources(
    settings: Settings, sources: Sequence[Path], *, slug: str | None, fmt: str, force: bool
) -> Iterator[tuple[Path, Path, IngestResult]]:
    for source in sources:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise DocumentError(str(source), f"cannot read ({exc.strerror})", "check the path") from None
        result = ingest(data, str(source), fmt=fmt, slug=slug, source_language=settings.source_language)
        target = settings.content_dir / f"{result.slug}.md"
        if target.exists() and target.read_text(encoding="utf-8") != result.markdown and not force:
            raise ReleaseExistsError(str(target), "already exists with other content", "replace it, or choose another name")
        _write_text(target, result.markdown)
        yield source, target, result



@dataclass
class StageResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    def record(self, path: Path, changed: bool) -> None:
        (self.written if changed else self.unchanged).append(path)


# Settings only translate reads: they salt its key, so a change redoes translate and no other stage.
_ENGINE_SETTINGS = ("engines", "engine_options", "tm_approve_exact", "tm_fuzzy_threshold")
def _engine_settings(settings: Settings) -> str:
    return repr([vars(settings)[name] for name in _ENGINE_SETTINGS])


@contextmanager
def work_log(settings: Settings, *, save: bool = True) -> Iterator[WorkLog]:
    """What earlier runs did with which inputs (see incremental.py); saved even when a stage
    fails, as each entry is recorded only after its outputs were written. ``save=False``: read
    only (a dry run writes nothing)."""
    fingerprint = {k: v for k, v in vars(settings).items() if k != "root" and k not in _ENGINE_SETTINGS}
    log = WorkLog(settings.cache_dir / "work.json", code_digest() + repr(sorted(fingerprint.items())))
    try:
        with batched_fsync():  # the stage's PO files: each fsynced, their folder once at the end
            yield log
    except BaseException:
        if save:
            try:
                log.save()
            except PipelineError:
                pass  # a full disk: the stage's own error is the one to report
        raise
    if save:
        log.save()


@_locked("extract")
def extract(settings: Settings) -> StageResult:
    """Write one template per release: ``locales/templates/<release>.pot``. Releases are parsed
    on the machine's cores (parallel.py); templates are written here, in order."""
    result = StageResult()
    with work_log(settings) as done:
        todo: list[Path] = []
        for path in release_paths(settings):
            target = template_path(settings, path.stem)
            if target.exists() and done.done(f"extract:{path.stem}", [path, target]):
                result.record(target, False)
            else:
                todo.append(path)
        for path, (doc, parsed, template) in zip(todo, in_order(partial(_new_template, settings), todo), strict=True):
            target = template_path(settings, path.stem)
            result.record(target, write_po(template, target, wrap=settings.po_wrap, durable=False))
            if parsed is not None:  # for build, which then need not parse it again
                keep_document(settings.cache_dir, path.stem, parsed, doc)
            done.record(f"extract:{path.stem}", [path, target])
    return result


def _new_template(settings: Settings, path: Path) -> tuple[Document, str | None, Catalog]:
    """A release parsed, and its template (what extract's workers compute)."""
    doc, parsed = read_release(settings, path)
    target = template_path(settings, path.stem)
    existing = read_po(target) if target.exists() else None
    return doc, parsed, new_template(template_entries(doc), project=settings.project, previous=existing)


@_locked("update")
def update(settings: Settings, languages: Sequence[str] | None = None) -> StageResult:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<release>.po`` from the templates. Merges are
    computed on the machine's cores (parallel.py); the PO files are written here, in order."""
    result = StageResult()
    releases = [p.stem for p in release_paths(settings)]
    glossary = load_glossary(settings.locales_dir / "glossary.yaml")
    targets = _languages(settings, languages)
    with work_log(settings) as done:
        todo: list[tuple[str, list[str]]] = []  # release, the languages whose PO file is out of date
        for release in releases:
            tpath = template_path(settings, release)
            if not tpath.exists():
                raise PipelineError(str(tpath), "no template for this release", "run 'i18n-pipeline extract' first")
            stale: list[str] = []
            for lang in targets:
                path = po_path(settings, lang, release)
                if path.exists() and done.done(f"update:{lang}:{release}", _update_inputs(settings, release, path)):
                    result.record(path, False)
                else:
                    stale.append(lang)
            if stale:
                todo.append((release, stale))
        # Release by release, every language, then the template is dropped: the working set
        # stays one release (a worker's) whatever the size of the archive.
        merging = in_order(partial(_merged_catalogs, settings, glossary), todo)
        for (release, stale), merged in zip(todo, merging, strict=True):
            for lang, catalog in zip(stale, merged, strict=True):
                path = po_path(settings, lang, release)
                result.record(path, write_po(catalog, path, wrap=settings.po_wrap))
                done.record(f"update:{lang}:{release}", _update_inputs(settings, release, path))
    return result


def _merged_catalogs(settings: Settings, glossary: Glossary, item: tuple[str, list[str]]) -> list[Catalog]:
    """One release's template merged into its PO file of each language (what update's workers
    compute). A catalog remembers the file it was read from: write_po refuses to replace a file
    a translator saved after this read."""
    release, languages = item
    template = read_po(template_path(settings, release))
    merged: list[Catalog] = []
    for lang in languages:
        path = po_path(settings, lang, release)
        old = read_po(path) if path.exists() else None
        # The glossary's approved translations for this language, as #. notes.
        notes = {(e.context, e.source): term_notes(glossary, e.source, lang) for e in template.entries()}
        merged.append(update_catalog(
            old, template, language=lang, project=settings.project, fuzzy_matching=settings.fuzzy_matching, notes=notes,
        ))
    return merged


def _update_inputs(settings: Settings, release: str, path: Path) -> list[Path]:
    """What an update of one PO file reads (and writes): its work-log record covers these."""
    return [template_path(settings, release), path, settings.locales_dir / "glossary.yaml"]


def memory_files(settings: Settings) -> list[Path]:
    """The project's own memories: locales/memory.tmx and what 'tm import' kept in locales/memory/."""
    shipped = settings.locales_dir / "memory.tmx"
    return ([shipped] if shipped.exists() else []) + sorted((settings.locales_dir / "memory").glob("*.tmx"))


@_locked("tm import")
def add_memory_file(settings: Settings, source: Path) -> tuple[Path, int]:
    """'tm import': check the TMX, keep a copy in locales/memory/ (committed with the project, so
    the cache can always be rebuilt), and load it. Returns the copy and the units loaded."""

    try:
        data = source.read_bytes()
    except OSError as exc:
        raise PipelineError(str(source), f"cannot read ({exc.strerror})", "check the path") from None
    # A broken TMX, or one in other languages, is refused before anything is kept.
    check_languages(read_tmx(source), settings.source_language, settings.target_languages, str(source))
    kept = settings.locales_dir / "memory" / (source.stem + ".tmx")
    write_if_changed(kept, data)
    with open_memory(settings) as memory:
        units = memory.import_tmx(kept)
    return kept, units


def engine_chain(settings: Settings, language: str, engine_name: str | None) -> tuple[str, ...]:
    """The engines for ``language``: ``--engine`` (a name, or names joined by commas: a chain),
    else pipeline.yaml's."""
    if engine_name:
        return tuple(n.strip() for n in engine_name.split(",") if n.strip())
    return settings.engine_chain(language)


def check_engines(
    settings: Settings, languages: Sequence[str] | None, engine_name: str | None, *, build: bool = True,
    dask: DaskCluster | None = None,
) -> None:
    """Before any file is written: every target language has engines that can translate it.

    Building an engine object starts no process and sends nothing; a missing Apertium pair, an
    LLM without a model or a missing neural model is reported here with its fix, not after half
    the languages were processed. ``build=False`` (a dry run) checks the names only.
    """
    chains = {lang: engine_chain(settings, lang, engine_name) for lang in _languages(settings, languages)}
    for name in [n for chain in chains.values() for n in chain or ("",)]:
        if name not in available_engines():
            # A misspelt --engine is a usage error (exit 2); a misspelt pipeline.yaml is not.
            error = UsageError if engine_name else ConfigError
            raise error(
                f"engine '{name}'" if engine_name else f"{settings.root / 'pipeline.yaml'}: engines",
                f"no engine called '{name}'",
                f"choose one of {', '.join(available_engines())}",
            )
    for lang, chain in chains.items():
        for name in chain if build else ():
            with _get_engine(settings, name, None, dask) as engine:
                engine.describe(settings.source_language, lang)  # raises EngineError naming the fix


def _get_engine(settings: Settings, name: str, glossary: Glossary | None, dask: DaskCluster | None = None) -> Engine:
    """The engine ``name`` with its options from pipeline.yaml (and the command line); with
    ``dask``, a wrapper that runs its batches on the cluster's workers (engines/dask.py)."""
    options = engine_arguments(name, settings.options_for(name))
    if takes_glossary(name):
        options["glossary"] = glossary
    return dask.engine(name, options) if dask is not None else get_engine(name, **options)


@_locked("tm export")
def export_memory(settings: Settings, target: Path, *, tool_version: str) -> int:
    """'tm export': the memory (reviewed translations, imported TMX files) as TMX 1.4."""
    if target.is_dir():
        raise PipelineError(str(target), "is a folder", f"give a file name, e.g. {target / 'memory.tmx'}")
    with open_memory(settings) as memory:
        return memory.export_tmx(target, settings.source_language, tool_version=tool_version)


@contextmanager
def open_memory(
    settings: Settings, *, scratch: bool = False,
    seen: Callable[[str, str, Catalog], None] | None = None,  # called with each catalog read
) -> Iterator[Memory]:
    """The project's translation memory, taught the reviewed translations of every PO file.

    ``scratch``: a copy of it in a temporary folder, so that nothing under
    the project changes (a dry run).
    """

    with ExitStack() as stack:
        path = settings.cache_dir / "memory.sqlite"
        if scratch:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="i18n-dry-run-")))
            for suffix in ("", "-wal"):
                if path.with_name(path.name + suffix).exists():
                    shutil.copy2(path.with_name(path.name + suffix), folder / (path.name + suffix))
            path = folder / path.name
        else:
            make_folder(settings.cache_dir)
        memory = stack.enter_context(Memory(path))
        for tmx in memory_files(settings):
            memory.import_tmx(tmx)
        for lang in settings.target_languages:
            folder = settings.locales_dir / lang / "LC_MESSAGES"
            if not folder.is_dir():
                continue
            for po in sorted(folder.glob("*.po")):
                cat = read_po(po)
                if seen is not None:
                    seen(lang, po.stem, cat)
                pairs = [(e.source, e.target, f"{REVIEWED_ORIGIN}{po.stem}") for e in cat.reviewed()]
                if pairs:
                    memory.learn(settings.source_language, lang, pairs)
        yield memory


@_locked("translate")
def translate(
    settings: Settings,
    languages: Sequence[str] | None = None,
    engine_name: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    dry_run: bool = False,
    dask: DaskCluster | None = None,
) -> list[TranslateReport]:
    """Fill untranslated entries: memory, cache, then engine batches per language, releases
    TRANSLATE_CHUNK at a time. A language whose PO files, glossary and memories are as the last
    translate left them is skipped without reading anything. ``dry_run``: nothing is sent and
    nothing is written; each report's ``planned`` says what each engine would get and cost.
    """
    check_engines(settings, languages, engine_name, build=not dry_run, dask=dask)
    reports: list[TranslateReport] = []
    glossary = load_glossary(settings.locales_dir / "glossary.yaml")
    releases = [p.stem for p in release_paths(settings)]
    inputs = [settings.locales_dir / "glossary.yaml", *memory_files(settings)]
    with work_log(settings, save=not dry_run) as log:
        names = NameCollector(releases, keep=len(releases) <= TRANSLATE_CHUNK or dry_run)  # as open_memory reads
        for lang in _languages(settings, languages):
            chain = engine_chain(settings, lang, engine_name)
            paths = [po_path(settings, lang, release) for release in releases]
            for path in paths:
                if not path.exists():
                    raise PipelineError(str(path), "no PO file for this release", "run 'i18n-pipeline update' first")
            if log.done(f"translate:{lang}", [*paths, *inputs], ",".join(chain), _engine_settings(settings)):
                reports.append(TranslateReport(lang, engine=chain[0], fallbacks=chain[1:]))  # nothing changed since
                continue
            names.by_language[lang] = set()
        if not names.by_language:
            return reports
        with open_memory(settings, scratch=dry_run, seen=names) as memory, ExitStack() as engines:
            opened: dict[str, Engine] = {}

            def open_engine(name: str) -> Engine:
                if name not in opened:
                    opened[name] = engines.enter_context(_get_engine(settings, name, glossary, dask))
                return opened[name]

            for lang in names.by_language:
                chain = engine_chain(settings, lang, engine_name)
                report = fill_in_chunks(
                    releases, partial(_read_filled, settings, lang, names.kept.pop(lang, {})),
                    None if dry_run else partial(_write_filled, settings, log, lang),
                    chunk=len(releases) if dry_run else TRANSLATE_CHUNK,
                    names=frozenset(names.by_language[lang]), source_language=settings.source_language, target_language=lang,
                    engines=chain, open_engine=open_engine, memory=memory, glossary=glossary,
                    approve_exact=settings.tm_approve_exact, fuzzy_threshold=settings.tm_fuzzy_threshold,
                    progress=progress, dry_run=dry_run,
                )
                reports.append(report)
                for name, planned in report.planned.items():  # a dry run's: what it would cost
                    planned.cost = planned.characters * price_per_million_chars(settings.options_for(name)) / 1e6
                if not dry_run and not report.counts["failed"]:  # else the next run tries the failed segments again
                    log.record(f"translate:{lang}", [*(po_path(settings, lang, r) for r in releases), *inputs], ",".join(chain),
                               _engine_settings(settings))
    reports.sort(key=lambda r: list(_languages(settings, languages)).index(r.language))
    return reports


def _read_filled(settings: Settings, lang: str, known: dict[str, Catalog], release: str) -> Catalog:
    return known.pop(release) if release in known else read_po(po_path(settings, lang, release))


def _write_filled(settings: Settings, log: WorkLog, lang: str, release: str, cat: Catalog) -> None:
    # Filling msgstrs does not undo update's merge: what update merged stays merged (no re-merge).
    path = po_path(settings, lang, release)
    merged = _update_inputs(settings, release, path)
    was_merged = log.done(f"update:{lang}:{release}", merged)
    write_po(cat, path, wrap=settings.po_wrap)
    if was_merged:
        log.record(f"update:{lang}:{release}", merged)


@dataclass
class ReleaseStatus:
    language: str
    release: str
    stats: Stats
    problems: list[Problem]


def status(settings: Settings, languages: Sequence[str] | None = None) -> list[ReleaseStatus]:
    """Segments and words per review state, per language and release, with QA problems."""
    glossary = load_glossary(settings.locales_dir / "glossary.yaml")
    out: list[ReleaseStatus] = []
    releases = [p.stem for p in release_paths(settings)]
    for lang in _languages(settings, languages):
        for release in releases:
            path = po_path(settings, lang, release)
            if path.exists():
                cat = read_po(path)
                problems = check_catalog(cat, str(path), CheckContext(lang, glossary))
                out.append(ReleaseStatus(lang, release, cat.stats(), problems))
            else:
                tpath = template_path(settings, release)
                stats = Stats()
                if tpath.exists():
                    stats = read_po(tpath).stats()
                out.append(ReleaseStatus(lang, release, stats, []))
    return out


@_locked("build")
def build(
    settings: Settings,
    languages: Sequence[str] | None = None,
    *,
    include_machine: bool | None = None,
    mo: bool = False,
    run: bool = False,
) -> BuildResult:
    """Write ``build/<lang>/<release>.{md,html}``, the original's pages in ``build/<source>/``,
    an index page per language and ``build/style.css`` (and MO files next to the PO files).

    Each language publishes what its ``publish`` policy says (config.py); ``include_machine``
    overrides it for this build, ``run`` applies ``run_includes_machine``. A release the policy
    withholds has nothing left in build/ and is reported (site.py).
    """
    paths = release_paths(settings)
    targets = _languages(settings, languages)
    with work_log(settings) as log:
        return build_site(
            settings, paths, targets, log=log, load_document=lambda path: load_document(settings, path),
            catalog_path=lambda lang, release: po_path(settings, lang, release),
            include_machine=include_machine, mo=mo, run=run,
        )


@_locked("report")
def report(settings: Settings, languages: Sequence[str] | None = None) -> Path:
    """Write ``build/report.html``: review progress and QA problems (report.py)."""
    root = str(settings.root).rstrip("/") + "/"
    rows = [
        ReportRow(
            row.language, row.release, row.stats,
            [replace(p, where=p.where.removeprefix(root)) for p in row.problems],  # paths as the project names them
        )
        for row in status(settings, languages)
    ]
    target = settings.build_dir / "report.html"
    _write_text(target, render_report(settings.project, rows))
    return target


def _write_text(path: Path, text: str) -> bool:
    """Atomic write of an output, skipped (False) when nothing changed."""
    return write_if_changed(path, text.encode("utf-8"))


@dataclass
class RunResult:
    extracted: StageResult
    updated: StageResult
    translated: list[TranslateReport]
    built: BuildResult


@_locked("run")
def run(
    settings: Settings,
    languages: Sequence[str] | None = None,
    engine_name: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    dask: DaskCluster | None = None,
) -> RunResult:
    """extract, update, translate, build (machine output marked); ``dask``: engine batches on its workers."""
    check_engines(settings, languages, engine_name, dask=dask)
    extracted = extract(settings)
    updated = update(settings, languages)
    translated = translate(settings, languages, engine_name, progress, dask=dask)
    built = build(settings, languages, run=True)
    return RunResult(extracted, updated, translated, built)


# --- exchange with agencies: XLIFF ----------------------------------------------------------


def xliff_export(
    settings: Settings, languages: Sequence[str] | None, out_dir: Path, *,
    version: str = "2.1", states: Sequence[State] = DEFAULT_STATES, tool_version: str = "",
) -> list[tuple[Path, int]]:
    """'xliff export': ``OUT_DIR/<lang>/<release>.xlf`` with the entries in ``states``, for each
    release that has any; returns (file, units) of each file written or already up to date."""
    releases = [(path, load_document(settings, path)) for path in release_paths(settings)]
    out = []
    for lang in _languages(settings, languages):
        for source, doc in releases:
            path = out_dir / lang / f"{source.stem}.xlf"
            units = export_release(
                po_path(settings, lang, source.stem), doc, path, version=version, states=states,
                original=source.relative_to(settings.root).as_posix(), source_language=settings.source_language,
                target_language=lang, tool_version=tool_version,
            )
            out += [(path, units)] if units else []
    return out


@_locked("xliff import")
def xliff_import(settings: Settings, files: Sequence[Path], *, today: str) -> list[ImportReport]:
    """'xliff import': translations back into the PO files (see xliff.import_files)."""
    return import_files(
        files, source_language=settings.source_language, targets=settings.target_languages,
        releases={p.stem for p in release_paths(settings)}, po_path=lambda lang, release: po_path(settings, lang, release),
        wrap=settings.po_wrap, today=today,
    )


# --- exchange with terminologists: TBX and CSV glossaries -----------------------------------


def glossary_file(settings: Settings) -> Path:
    return settings.locales_dir / "glossary.yaml"


@_locked("glossary import")
def glossary_import(settings: Settings, file: Path, *, today: str) -> tuple[Imported, MergeReport]:
    """'glossary import': a TBX or CSV file merged into locales/glossary.yaml."""
    return import_termbase(file, glossary_file(settings), settings.source_language, settings.target_languages,
                           today=today)


def glossary_export(settings: Settings, file: Path, fmt: str) -> int:
    """'glossary export': locales/glossary.yaml as TBX v3 (TBX-Basic) or CSV; returns the terms."""
    title = f"{settings.project}: {glossary_file(settings).relative_to(settings.root)}"
    return export_termbase(glossary_file(settings), file, fmt, settings.source_language, settings.target_languages,
                           title=title)
