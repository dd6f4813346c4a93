"""The progress bar a command shows on a terminal while it translates (rich); nothing in CI
logs, pipes or files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["progress_bar"]


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar per language on a terminal's stderr (rich); nothing in CI logs."""
    if not sys.stderr.isatty():
        yield None
        return
    # Imported here: rich costs ≈ 80 ms of a start that shows no bar (CI, pipes, the no-op run).
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    # Redrawn at each update, by this thread: with no refresh thread of its own, the stages may
    # still fork their workers (parallel.py forks only when no other thread runs).
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        transient=True, redirect_stdout=False, auto_refresh=False,
        console=Console(stderr=True),  # where the terminal was found (stdout may be a file)
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def update(language: str, done: int, total: int) -> None:
            if language not in tasks:
                tasks[language] = bar.add_task(f"translating {language}", total=total)
            bar.update(tasks[language], completed=done, total=total, refresh=True)

        yield update
