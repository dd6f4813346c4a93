"""The bundled project, copied for tests that run the pipeline on it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.paths import ROOT


def copy_project(dst: Path) -> Path:
    """The bundled project's inputs (settings, releases, glossary, shipped memory); no
    generated files, so a run starts from scratch."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "pipeline.yaml", dst / "pipeline.yaml")
    shutil.copytree(ROOT / "content", dst / "content")
    (dst / "locales").mkdir()
    for name in ("glossary.yaml", "memory.tmx"):
        if (ROOT / "locales" / name).exists():
            shutil.copy2(ROOT / "locales" / name, dst / "locales" / name)
    return dst
