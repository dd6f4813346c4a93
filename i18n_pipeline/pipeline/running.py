"""run: extract, update, translate and build, one after the other."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from i18n_pipeline.config import Settings
from i18n_pipeline.engines.dask import DaskCluster
from i18n_pipeline.locking import locked as _locked
from i18n_pipeline.pipeline.catalogs import extract, update
from i18n_pipeline.pipeline.project import StageResult
from i18n_pipeline.pipeline.publishing import build
from i18n_pipeline.pipeline.translating import check_engines, translate
from i18n_pipeline.site import BuildResult
from i18n_pipeline.translate import TranslateReport


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
    # Languages whose PO files update wrote (new or changed sentences): their engine is started
    # at once, while translate reads the memory and the catalogs.
    early = {path.parent.parent.name for path in updated.written if path.suffix == ".po"}
    translated = translate(settings, languages, engine_name, progress, dask=dask, early=early)
    built = build(settings, languages, run=True)
    return RunResult(extracted, updated, translated, built)
