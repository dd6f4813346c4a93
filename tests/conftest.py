"""Shared test set-up.

Tests that read third-party evaluation data from ``../shared/`` skip with a message where that
folder is absent (a developer's machine outside the workplace). In CI it must be there: a
missing folder fails the run instead of silently skipping checks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("CI") and not (SHARED / "eval").is_dir():
        raise pytest.UsageError(f"CI run without the evaluation data at {SHARED / 'eval'}")
