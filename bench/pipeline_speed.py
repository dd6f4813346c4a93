"""Whole-pipeline speed against the engine's ceiling, measured in the same run.

100 releases of 30 WMT news sentences each (3,000 sentences) go through
``i18n-pipeline run -l es`` in a fresh project; the baseline is the same text as one
``apertium -u eng-spa`` stream (the engine's ceiling, FACTS.md). Then the same run again with
nothing changed (it must not call the engine) and once more after one sentence changed.

    python bench/pipeline_speed.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "parallel" / "wmt-en-es" / "newstest2012.en"
sys.path.insert(0, str(ROOT))

from i18n_pipeline.cli import main as cli  # noqa: E402


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    code = cli(argv)
    if code != 0:
        raise SystemExit(f"{argv} exited {code}")
    return time.perf_counter() - start


def main() -> int:
    if not EVAL.exists():
        print(f"evaluation data not found at {EVAL}; nothing to measure")
        return 0
    lines = [line.strip() for line in EVAL.read_text("utf-8").splitlines() if line.strip()][:3000]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copy2(ROOT / "pipeline.yaml", project / "pipeline.yaml")
        (project / "locales").mkdir()
        shutil.copy2(ROOT / "locales" / "glossary.yaml", project / "locales" / "glossary.yaml")
        content = project / "content"
        content.mkdir()
        for n in range(100):
            body = "\n\n".join(lines[n * 30 : (n + 1) * 30])
            (content / f"r{n:03d}.md").write_text(f"---\ntitle: Release {n}\n---\n\n{body}\n", "utf-8")

        start = time.perf_counter()
        subprocess.run(["apertium", "-u", "eng-spa"], input="\n\n".join(lines).encode(), capture_output=True, check=True)
        baseline = time.perf_counter() - start

        argv = ["run", "-l", "es", "--project", str(project)]
        first = timed(argv)
        again = timed(argv)
        release = content / "r000.md"
        release.write_text(release.read_text("utf-8").replace(lines[0], lines[0] + " Again."), "utf-8")
        one = timed(argv)
    print(f"baseline   apertium -u eng-spa, whole text          {baseline:6.2f} s")
    print(f"pipeline   extract+update+translate+build, 100 rel.  {first:6.2f} s  ratio {baseline / first:.2f}x ceiling")
    print(f"unchanged  second run (no engine call)               {again:6.2f} s  {first / again:.1f}x faster than the first")
    print(f"one edit   one sentence changed                      {one:6.2f} s  {first / one:.1f}x faster than the first")
    return 0


if __name__ == "__main__":
    sys.exit(main())
