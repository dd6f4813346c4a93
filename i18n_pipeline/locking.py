"""One writing command at a time on a project: the lock of ``files.project_lock`` taken with a
project's settings, and the decorator every writing stage of ``pipeline/`` wears.

The outermost holder in a process first removes the temporary files a killed run left behind
(``files.remove_stale_temp_files``): holding the lock, no run of ours is writing one.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from i18n_pipeline.config import Settings
from i18n_pipeline.files import LockHolder, remove_stale_temp_files
from i18n_pipeline.files import project_lock as _hold_lock

__all__ = ["locked", "project_lock"]

log = logging.getLogger(__name__)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _log_wait(holder: LockHolder | None) -> None:
    log.warning("waiting for %s, which is working on this project", holder.describe() if holder else "another process")


@contextmanager
def project_lock(
    settings: Settings,
    command: str = "i18n-pipeline",
    *,
    wait: bool = True,
    on_wait: Callable[[LockHolder | None], None] | None = None,
) -> Iterator[None]:
    """One writing command at a time on a project (``files.project_lock``); the outermost
    holder first removes the temporary files a killed run left behind."""
    with _hold_lock(settings.cache_dir, command, wait=wait, on_wait=on_wait or _log_wait) as outermost:
        if outermost:
            remove_stale_temp_files([settings.content_dir, settings.locales_dir, settings.build_dir, settings.cache_dir])
        yield


def locked(command: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """A stage that writes holds the project lock (re-entrant: ``run`` holds it for its stages)."""

    def decorate(stage: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(stage)
        def locked_stage(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            settings = args[0]
            assert isinstance(settings, Settings)
            with project_lock(settings, f"i18n-pipeline {command}"):
                return stage(*args, **kwargs)

        return locked_stage

    return decorate
