"""build, status and report: the localised releases, and where their review stands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from i18n_pipeline.checks import CheckContext, check_catalog
from i18n_pipeline.config import Settings
from i18n_pipeline.glossary import load_glossary
from i18n_pipeline.locking import locked as _locked
from i18n_pipeline.model import Problem, Stats
from i18n_pipeline.parsed import load_document
from i18n_pipeline.pipeline.project import chosen_languages, po_path, release_paths, template_path, work_log, write_text
from i18n_pipeline.pofile import read_po
from i18n_pipeline.report import ReportRow, render_report
from i18n_pipeline.site import BuildResult, build_site


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
    for lang in chosen_languages(settings, languages):
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
    targets = chosen_languages(settings, languages)
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
    write_text(target, render_report(settings.project, rows))
    return target
