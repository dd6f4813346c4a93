"""What every stage runner shares: where a project's files are, which languages a command is
for, the work log (what earlier runs did with which inputs) and a stage's written/unchanged files."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from i18n_pipeline.config import Settings
from i18n_pipeline.errors import PipelineError, UsageError
from i18n_pipeline.files import batched_fsync, write_if_changed
from i18n_pipeline.formats import FORMATS
from i18n_pipeline.incremental import WorkLog, code_digest
from i18n_pipeline.release_files import is_release_file

log = logging.getLogger(__name__)


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


def chosen_languages(settings: Settings, languages: Sequence[str] | None) -> list[str]:
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


def update_inputs(settings: Settings, release: str, path: Path) -> list[Path]:
    """What an update of one PO file reads (and writes): its work-log record covers these."""
    return [template_path(settings, release), path, settings.locales_dir / "glossary.yaml"]


def memory_files(settings: Settings) -> list[Path]:
    """The project's own memories: locales/memory.tmx and what 'tm import' kept in locales/memory/."""
    shipped = settings.locales_dir / "memory.tmx"
    return ([shipped] if shipped.exists() else []) + sorted((settings.locales_dir / "memory").glob("*.tmx"))


@dataclass
class StageResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    def record(self, path: Path, changed: bool) -> None:
        (self.written if changed else self.unchanged).append(path)


# Settings only translate reads: they salt its key, so a change redoes translate and no other stage.
_ENGINE_SETTINGS = ("engines", "engine_options", "tm_approve_exact", "tm_fuzzy_threshold")
def engine_settings(settings: Settings) -> str:
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


def write_text(path: Path, text: str) -> bool:
    """Atomic write of an output, skipped (False) when nothing changed."""
    return write_if_changed(path, text.encode("utf-8"))
