"""Shared test set-up.

Tests that read third-party evaluation data from ``../shared/`` skip with a message where that
folder is absent (a developer's machine outside the workplace). In CI it must be there: a
missing folder fails the run instead of silently skipping checks.
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from i18n_pipeline.cli import main
from tests.big_project import Reference, make_reference
from tests.paths import SHARED
from tests.project import copy_project


def pytest_sessionstart(session: pytest.Session) -> None:
    # A suite started in the background by a non-interactive shell ("make test &") inherits
    # SIGINT ignored, and Python then installs no KeyboardInterrupt handler, here or in the
    # commands the tests start: the Ctrl-C tests would test nothing. Ctrl-C as a terminal has it.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if os.environ.get("CI") and not (SHARED / "eval").is_dir():
        raise pytest.UsageError(f"CI run without the evaluation data at {SHARED / 'eval'}")


@pytest.fixture(scope="session")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled project after one real ``run`` (Apertium): done once, never modified."""
    project = copy_project(tmp_path_factory.mktemp("ran"))
    assert main(["run", "--project", str(project)]) == 0
    assert list((project / "locales" / "es" / "LC_MESSAGES").glob("*.po")), "the run wrote Spanish PO files"
    return project


@pytest.fixture
def project(ran: Path, tmp_path: Path) -> Path:
    """A copy of the run project that a test may change."""
    dst = tmp_path / "p"
    shutil.copytree(ran, dst)
    return dst


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """A project of ~20 generated releases and one full timed run of it (see big_project.py),
    shared by the tests that interrupt runs; never modified."""
    return make_reference(tmp_path_factory.mktemp("interrupt"))
