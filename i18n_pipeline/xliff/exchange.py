"""XLIFF files in and out of a project: one release exported, files imported into PO files.

The pipeline says where the project's files are (``po_path``); this module reads and writes
them: XLIFF through ``write.py`` / ``read.py`` and the import rules, PO files through
``pofile`` (atomic, guarded against a translator's save).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.files import write_if_changed
from i18n_pipeline.languages import base_language, matching_language
from i18n_pipeline.model import Document, LineWrap, Placeholder, State
from i18n_pipeline.pofile import read_po, write_po
from i18n_pipeline.xliff.read import XliffRelease, read_xliff
from i18n_pipeline.xliff.rules import ImportReport, import_release
from i18n_pipeline.xliff.write import export_units, xliff_bytes

__all__ = ["export_release", "import_files"]


def _po(path: Path) -> Path:
    if not path.exists():
        raise PipelineError(str(path), "no PO file for this release", "run 'i18n-pipeline update' first")
    return path


def export_release(
    po: Path, document: Document, out: Path, *, version: str, original: str, source_language: str,
    target_language: str, states: Collection[State], tool_version: str,
) -> int:
    """Write ``out`` with the entries of ``po`` in ``states`` (the document gives the markup of
    their placeholders); returns the units, 0 (and nothing written) when there are none."""
    markup: dict[tuple[str | None, str], tuple[Placeholder, ...]] = {}
    for seg in document.segments:
        markup.setdefault((seg.context, seg.text), seg.placeholders)
    units = export_units(read_po(_po(po)), states, markup)
    if units:
        write_if_changed(out, xliff_bytes(
            units, version=version, release=document.name, original=original, document_format=document.format,
            source_language=source_language.replace("_", "-"), target_language=target_language.replace("_", "-"),
            tool_version=tool_version, where=str(po),
        ))
    return len(units)


def import_files(
    files: Sequence[Path], *, source_language: str, targets: Sequence[str], releases: Collection[str],
    po_path: Callable[[str, str], Path], wrap: LineWrap | None, today: str,
) -> list[ImportReport]:
    """Every file is read and checked first (nothing is written if one is broken: not XLIFF,
    another project's languages or releases), then each release's translations go into its PO
    file, written once."""
    jobs: list[tuple[Path, XliffRelease]] = []
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise PipelineError(str(file), f"cannot read ({exc.strerror})", "check the path") from None
        for found in read_xliff(data, str(file)):
            where = f"{file}:{found.line}"
            if base_language(found.source_language) != base_language(source_language):
                raise PipelineError(where, f"the source language is {found.source_language!r}, the project's is "
                                    f"{source_language!r}", "import files exported from this project")
            lang = matching_language(found.target_language, targets)
            if lang is None:
                raise PipelineError(where, f"the target language {found.target_language or '(none)'!r} is not one of "
                                    f"this project's ({', '.join(targets)})",
                                    "set the file's target language in the CAT tool, or add it to pipeline.yaml")
            if found.release not in releases:
                raise PipelineError(where, f"no release {found.release!r} in this project",
                                    "import files exported from this project")
            jobs.append((_po(po_path(lang, found.release)), found))
    catalogs: dict[Path, Catalog] = {}
    reports = []
    for po, found in jobs:
        report = import_release(catalogs.setdefault(po, read_po(po)), found, label=f"{Path(found.path).name}, {today}")
        report.po = str(po)
        reports.append(report)
    for po, cat in catalogs.items():
        write_po(cat, po, wrap=wrap)
    return reports
