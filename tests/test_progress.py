"""The progress bar on a terminal (i18n_pipeline.progress)."""

from __future__ import annotations

import io
import sys
import threading

import pytest

from i18n_pipeline.progress import progress_bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_on_a_terminal_runs_no_thread_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # parallel.py forks its workers only when no other thread runs: a bar drawing itself from a
    # thread would make every stage of an interactive run use one core.
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    before = threading.active_count()  # other tests may have left idle threads (a Dask client's)
    with progress_bar() as update:
        assert update is not None
        update("es", 3, 10)
        assert threading.active_count() == before
    assert "translating es" in terminal.getvalue() and "3/10" in terminal.getvalue()
