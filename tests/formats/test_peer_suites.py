"""po4a's format test cases as tests: see bench/peer_suites.py for the comparison rules."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.paths import BENCH, EVAL, ROOT

PEER = EVAL / "peer-suites"
pytestmark = pytest.mark.skipif(
    not PEER.is_dir(), reason=f"peer suites not found at {PEER} (../shared/eval is absent outside CI)"
)


def _harness() -> ModuleType:
    path = BENCH / "peer_suites.py"
    spec = importlib.util.spec_from_file_location("peer_suites", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["peer_suites"] = module
    spec.loader.exec_module(module)
    return module


HARNESS = _harness()
CASES = list(HARNESS.cases()) if PEER.is_dir() else []


@pytest.mark.parametrize(("suite", "path"), CASES, ids=[f"{s}/{p.stem}" for s, p in CASES])
def test_po4a_case(suite: str, path: Path) -> None:
    result = HARNESS.run_case(suite, path)
    assert result.passed, result.reason


def test_at_least_95_percent_pass() -> None:
    results = HARNESS.run_all()
    assert len(results) == 31
    assert sum(r.passed for r in results) / len(results) >= 0.95


def test_failures_are_documented() -> None:
    doc = ROOT / "docs" / "peer-suite-failures.md"
    text = doc.read_text(encoding="utf-8")
    for r in HARNESS.run_all():
        if not r.passed:
            assert f"{r.suite}/{r.name}:" in text
