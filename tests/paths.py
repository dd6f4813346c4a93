"""Where the tests find their material, in one place (test modules live at different depths)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository: pipeline.yaml, content/, locales/, bench/
SHARED = ROOT.parent / "shared"  # third-party material beside the checkout; absent outside CI
EVAL = SHARED / "eval"
SEED_TEXT = SHARED / "seed" / "000_adedd758250034a0.txt"  # the scraped page the bundled release came from
DATA = Path(__file__).resolve().parent / "data"  # golden files: data/<format>/<case>.*
SAMPLES = Path(__file__).resolve().parent / "samples"  # exchange files (TBX, CSV) written for the tests
BENCH = ROOT / "bench"
