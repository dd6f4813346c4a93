"""extract and update: a template per release, and its PO file per language merged from it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from i18n_pipeline.catalog import new_template, template_entries, update_catalog
from i18n_pipeline.config import Settings
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.formats import prepare_formats
from i18n_pipeline.glossary import Glossary, load_glossary, term_notes
from i18n_pipeline.incremental import WorkLog
from i18n_pipeline.locking import locked as _locked
from i18n_pipeline.parallel import in_order
from i18n_pipeline.parsed import keep_document, kept_form, read_release
from i18n_pipeline.pipeline.project import (
    StageResult,
    chosen_languages,
    po_path,
    release_paths,
    template_path,
    update_inputs,
    work_log,
)
from i18n_pipeline.pofile import RenderedPO, commit_po, read_po, render_po


@_locked("extract")
def extract(settings: Settings) -> StageResult:
    """Write one template per release: ``locales/templates/<release>.pot``. Releases are parsed
    and their templates written on the machine's cores (parallel.py), reported here in order."""
    result = StageResult()
    with work_log(settings) as done:
        todo: list[Path] = []
        for path in release_paths(settings):
            target = template_path(settings, path.stem)
            if target.exists() and done.done(f"extract:{path.stem}", [path, target]):
                result.record(target, False)
            else:
                todo.append(path)
        prepare_formats(todo)  # once here, not once in each worker
        for path, (written, digest) in zip(todo, in_order(_new_template, (settings, done), todo), strict=True):
            result.record(template_path(settings, path.stem), written)
            done.remember(f"extract:{path.stem}", digest)
    return result


def _new_template(shared: tuple[Settings, WorkLog], path: Path) -> tuple[bool, str]:
    """A release parsed, its template written (True: its bytes changed), its parse kept for
    build, and the work log's digest of both files (what extract's workers do). A bad release
    stops the stage at its place; a worker may have written the next releases' templates
    already, each complete (the work log, kept here, does not vouch for them)."""
    settings, log = shared
    doc, parsed, raw = read_release(settings, path)
    target = template_path(settings, path.stem)
    existing = read_po(target) if target.exists() else None
    template = new_template(template_entries(doc), project=settings.project, previous=existing)
    rendered = render_po(template, target, wrap=settings.po_wrap)
    written = commit_po(rendered, durable=False)
    if parsed is not None:  # the parsed release, for build, which then need not parse it again
        keep_document(settings.cache_dir, path.stem, kept_form(parsed, doc))
    # The files as this work read and wrote them, not read again: a template left as it was
    # holds what render_po read.
    held = rendered.current if rendered.data is None else rendered.data
    return written, log.digest_of([(path, raw), (target, held or b"")])


@_locked("update")
def update(settings: Settings, languages: Sequence[str] | None = None) -> StageResult:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<release>.po`` from the templates. Merges are
    computed on the machine's cores (parallel.py); the PO files are written here, in order."""
    result = StageResult()
    releases = [p.stem for p in release_paths(settings)]
    glossary = load_glossary(settings.locales_dir / "glossary.yaml")
    targets = chosen_languages(settings, languages)
    with work_log(settings) as done:
        todo: list[tuple[str, list[str]]] = []  # release, the languages whose PO file is out of date
        for release in releases:
            tpath = template_path(settings, release)
            if not tpath.exists():
                raise PipelineError(str(tpath), "no template for this release", "run 'i18n-pipeline extract' first")
            stale: list[str] = []
            for lang in targets:
                path = po_path(settings, lang, release)
                if path.exists() and done.done(f"update:{lang}:{release}", update_inputs(settings, release, path)):
                    result.record(path, False)
                else:
                    stale.append(lang)
            if stale:
                todo.append((release, stale))
        # Release by release, every language, then the template is dropped: the working set
        # stays one release (a worker's) whatever the size of the archive.
        merging = in_order(_merged_catalogs, (settings, glossary), todo)
        for (release, stale), merged in zip(todo, merging, strict=True):
            for lang, rendered in zip(stale, merged, strict=True):
                path = po_path(settings, lang, release)
                # A new PO file holds no one's work yet: atomic, but not fsynced (a crash costs
                # the next run a merge). One that replaces a file is fsynced, as every save of
                # a translator's file is. A cold run on 200 releases: 0.3 s less.
                result.record(path, commit_po(rendered, durable=rendered.current is not None))
                done.record(f"update:{lang}:{release}", update_inputs(settings, release, path))
    return result


def _merged_catalogs(shared: tuple[Settings, Glossary], item: tuple[str, list[str]]) -> list[RenderedPO]:
    """One release's template merged into its PO file of each language, rendered (what update's
    workers compute). The write refuses to replace a file a translator saved after this read."""
    (settings, glossary), (release, languages) = shared, item
    template = read_po(template_path(settings, release))
    merged: list[RenderedPO] = []
    for lang in languages:
        path = po_path(settings, lang, release)
        old = read_po(path) if path.exists() else None
        # The glossary's approved translations for this language, as #. notes.
        notes = {key: term_notes(glossary, key[1], lang) for key in template.entry_keys()}
        catalog = update_catalog(
            old, template, language=lang, project=settings.project, fuzzy_matching=settings.fuzzy_matching, notes=notes,
        )
        merged.append(render_po(catalog, path, wrap=settings.po_wrap))
    return merged
