"""The exchange commands: releases ingested from web pages and documents, XLIFF to and from
agencies, TBX and CSV glossaries to and from terminologists."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from i18n_pipeline.config import Settings
from i18n_pipeline.errors import DocumentError, ReleaseExistsError
from i18n_pipeline.glossary_merge import MergeReport
from i18n_pipeline.ingest import IngestResult, ingest
from i18n_pipeline.locking import locked as _locked
from i18n_pipeline.locking import project_lock
from i18n_pipeline.model import State
from i18n_pipeline.parsed import load_document
from i18n_pipeline.pipeline.project import chosen_languages, po_path, release_paths, write_text
from i18n_pipeline.termbase import Imported, export_termbase, import_termbase
from i18n_pipeline.xliff import DEFAULT_STATES, ImportReport, export_release, import_files


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
        write_text(target, result.markdown)
        yield source, target, result


# --- exchange with agencies: XLIFF ----------------------------------------------------------


def xliff_export(
    settings: Settings, languages: Sequence[str] | None, out_dir: Path, *,
    version: str = "2.1", states: Sequence[State] = DEFAULT_STATES, tool_version: str = "",
) -> list[tuple[Path, int]]:
    """'xliff export': ``OUT_DIR/<lang>/<release>.xlf`` with the entries in ``states``, for each
    release that has any; returns (file, units) of each file written or already up to date."""
    releases = [(path, load_document(settings, path)) for path in release_paths(settings)]
    out = []
    for lang in chosen_languages(settings, languages):
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
