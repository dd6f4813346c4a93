"""Runs the stages over a project tree; the only package that walks paths.

extract → update → translate → build, each usable alone, and ``run`` for all four. Files are
written only when their bytes change, so re-running with nothing changed leaves every file as it
was. One module per command family: ``catalogs`` (extract, update), ``translating`` (translate,
the memory), ``publishing`` (build, status, report), ``running`` (run), ``exchange`` (ingest,
XLIFF, TBX); ``project`` holds what they share (paths, languages, the work log).

A name is imported with its module when first used (PEP 562), so a command imports the rooms it
needs only: ``extract`` does not load the engines, the memory, the checks or the XLIFF code
(a process start is part of every command a build job runs). The imports below say what each
name is; the architecture test reads them as this package's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from i18n_pipeline.lazy import attribute_loader

if TYPE_CHECKING:
    from i18n_pipeline.checks import CHECKS
    from i18n_pipeline.engines.dask import open_cluster
    from i18n_pipeline.parsed import load_document
    from i18n_pipeline.pipeline.catalogs import extract, update
    from i18n_pipeline.pipeline.exchange import glossary_export, glossary_import, ingest_sources, xliff_export, xliff_import
    from i18n_pipeline.pipeline.project import StageResult, po_path, release_paths, template_path
    from i18n_pipeline.pipeline.publishing import ReleaseStatus, build, report, status
    from i18n_pipeline.pipeline.running import RunResult, run
    from i18n_pipeline.pipeline.translating import add_memory_file, export_memory, translate

_MODULE = {
    "CHECKS": "i18n_pipeline.checks",
    "open_cluster": "i18n_pipeline.engines.dask",
    "load_document": "i18n_pipeline.parsed",
    **dict.fromkeys(("extract", "update"), "i18n_pipeline.pipeline.catalogs"),
    **dict.fromkeys(("glossary_export", "glossary_import", "ingest_sources", "xliff_export", "xliff_import"),
                    "i18n_pipeline.pipeline.exchange"),
    **dict.fromkeys(("StageResult", "po_path", "release_paths", "template_path"), "i18n_pipeline.pipeline.project"),
    **dict.fromkeys(("ReleaseStatus", "build", "report", "status"), "i18n_pipeline.pipeline.publishing"),
    **dict.fromkeys(("RunResult", "run"), "i18n_pipeline.pipeline.running"),
    **dict.fromkeys(("add_memory_file", "export_memory", "translate"), "i18n_pipeline.pipeline.translating"),
}

__all__ = [
    "CHECKS",
    "ReleaseStatus",
    "RunResult",
    "StageResult",
    "add_memory_file",
    "build",
    "export_memory",
    "extract",
    "glossary_export",
    "glossary_import",
    "ingest_sources",
    "load_document",
    "open_cluster",
    "po_path",
    "release_paths",
    "report",
    "run",
    "status",
    "template_path",
    "translate",
    "update",
    "xliff_export",
    "xliff_import",
]

__getattr__ = attribute_loader(__name__, _MODULE)
