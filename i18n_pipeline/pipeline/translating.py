"""translate, and the translation memory: engines per language (chains), the memory taught
the reviewed translations of every PO file, TMX in and out."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.config import Settings
from i18n_pipeline.engines import Engine, available_engines, get_engine
from i18n_pipeline.engines.dask import DaskCluster
from i18n_pipeline.engines.settings import engine_arguments, price_per_million_chars, takes_glossary
from i18n_pipeline.errors import ConfigError, PipelineError, UsageError
from i18n_pipeline.files import make_folder, write_if_changed
from i18n_pipeline.glossary import Glossary, load_glossary
from i18n_pipeline.incremental import WorkLog
from i18n_pipeline.locking import locked as _locked
from i18n_pipeline.memory import Memory
from i18n_pipeline.pipeline.project import (
    chosen_languages,
    engine_settings,
    memory_files,
    po_path,
    release_paths,
    update_inputs,
    work_log,
)
from i18n_pipeline.pofile import read_po, write_po
from i18n_pipeline.tmx import check_languages, read_tmx
from i18n_pipeline.translate import REVIEWED_ORIGIN, TRANSLATE_CHUNK, NameCollector, TranslateReport, fill_in_chunks

log = logging.getLogger(__name__)


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
    chains = {lang: engine_chain(settings, lang, engine_name) for lang in chosen_languages(settings, languages)}
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
    early: Collection[str] = (),
) -> list[TranslateReport]:
    """Fill untranslated entries: memory, cache, then engine batches per language, releases
    TRANSLATE_CHUNK at a time. A language whose PO files, glossary and memories are as the last
    translate left them is skipped without reading anything. ``dry_run``: nothing is sent and
    nothing is written; each report's ``planned`` says what each engine would get and cost.
    ``early``: languages whose first engine starts at once, while the memory is read (``run``
    names those whose PO files its update just wrote: the engine will almost surely be asked).
    """
    check_engines(settings, languages, engine_name, build=not dry_run, dask=dask)
    reports: list[TranslateReport] = []
    glossary = load_glossary(settings.locales_dir / "glossary.yaml")
    releases = [p.stem for p in release_paths(settings)]
    inputs = [settings.locales_dir / "glossary.yaml", *memory_files(settings)]
    with work_log(settings, save=not dry_run) as log:
        names = NameCollector(releases, keep=len(releases) <= TRANSLATE_CHUNK or dry_run)  # as open_memory reads
        for lang in chosen_languages(settings, languages):
            chain = engine_chain(settings, lang, engine_name)
            paths = [po_path(settings, lang, release) for release in releases]
            for path in paths:
                if not path.exists():
                    raise PipelineError(str(path), "no PO file for this release", "run 'i18n-pipeline update' first")
            if log.done(f"translate:{lang}", [*paths, *inputs], ",".join(chain), engine_settings(settings)):
                reports.append(TranslateReport(lang, engine=chain[0], fallbacks=chain[1:]))  # nothing changed since
                continue
            names.by_language[lang] = set()
        if not names.by_language:
            return reports
        with ExitStack() as engines:
            opened: dict[str, Engine] = {}

            def open_engine(name: str) -> Engine:
                if name not in opened:
                    opened[name] = engines.enter_context(_get_engine(settings, name, glossary, dask))
                return opened[name]

            for lang in names.by_language if not dry_run and dask is None else ():
                if lang in early:
                    engines.callback(_start_early(open_engine(engine_chain(settings, lang, engine_name)[0]),
                                                  settings.source_language, lang).join)
            memory = engines.enter_context(open_memory(settings, scratch=dry_run, seen=names))
            for lang in names.by_language:
                chain = engine_chain(settings, lang, engine_name)
                blank: set[str] = set()  # releases whose PO file held nobody's work when read
                report = fill_in_chunks(
                    releases, partial(_read_filled, settings, lang, names.kept.pop(lang, {}), blank),
                    None if dry_run else partial(_write_filled, settings, log, lang, blank),
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
                               engine_settings(settings))
    reports.sort(key=lambda r: list(chosen_languages(settings, languages)).index(r.language))
    return reports


def _start_early(engine: Engine, source: str, target: str) -> threading.Thread:
    """An engine that can start its processes ahead (Apertium: its pipelines load their
    dictionaries and settle, ≈ 0.15 s) starts them on a thread while the memory and the catalogs
    are read; its first request waits for them. The thread is joined before the engine closes."""
    warm_up = getattr(engine, "warm_up", None)

    def start() -> None:
        try:
            if warm_up is not None:
                warm_up(source, target)
        except Exception as exc:  # noqa: BLE001 -- the first request starts it again and reports what is wrong
            log.debug("the early start of the engine failed: %s", exc)

    thread = threading.Thread(target=start, name=f"engine-start-{target}", daemon=True)
    thread.start()
    return thread


def _read_filled(settings: Settings, lang: str, known: dict[str, Catalog], blank: set[str], release: str) -> Catalog:
    cat = known.pop(release) if release in known else read_po(po_path(settings, lang, release))
    if _holds_no_work(cat):
        blank.add(release)
    return cat


def _holds_no_work(cat: Catalog) -> bool:
    """No translation, no obsolete entry and no translator's comment: what a first ``update``
    writes. Losing such a file costs the next run a merge (an empty or missing PO file is made
    again), so replacing it needs no fsync; one that holds anything is replaced durably."""
    return not any(cat.targets()) and not cat.obsolete() and not cat.commented()


def _write_filled(settings: Settings, log: WorkLog, lang: str, blank: set[str], release: str, cat: Catalog) -> None:
    # Filling msgstrs does not undo update's merge: what update merged stays merged (no re-merge).
    path = po_path(settings, lang, release)
    merged = update_inputs(settings, release, path)
    was_merged = log.done(f"update:{lang}:{release}", merged)
    write_po(cat, path, wrap=settings.po_wrap, durable=release not in blank)
    if was_merged:
        log.record(f"update:{lang}:{release}", merged)


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


@_locked("tm export")
def export_memory(settings: Settings, target: Path, *, tool_version: str) -> int:
    """'tm export': the memory (reviewed translations, imported TMX files) as TMX 1.4."""
    if target.is_dir():
        raise PipelineError(str(target), "is a folder", f"give a file name, e.g. {target / 'memory.tmx'}")
    with open_memory(settings) as memory:
        return memory.export_tmx(target, settings.source_language, tool_version=tool_version)
