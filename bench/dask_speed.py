"""``run --dask`` on this machine: what Dask costs, and whether a run on it equals a local run.

    make bench                          # or: .venv/bin/python bench/dask_speed.py  (needs the 'dask' extra)

Printed, one a line:

- ``local_cluster_start``: seconds to start ``--dask local:2`` (2 worker processes on 127.0.0.1);
- ``task_round_trip``: median and p90 of a one-segment batch the worker already knows (so the
  engine does nothing): Dask's cost per task, against ≈ 0.75 s of Apertium work in a full task of
  250 sentences;
- ``dask_over_local``: 1,000 news sentences on the 2 workers / on one local Apertium pipeline
  (the same texts, checked identical);
- ``run_dask_over_local``: ``i18n-pipeline run --dask local:2`` / ``i18n-pipeline run`` on the
  200-release corpus of ``speed.py`` (cold, as processes), and ``files_differing``: files under
  ``locales/`` and ``build/`` that differ between the two runs (dates aside), which must be 0.

On a 2-core machine one Apertium pipeline already keeps both cores busy, so Dask cannot win
here; the figures say what it costs. It exits 1 if a run fails or a file differs.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import speed
import speed_corpus as corpus

from i18n_pipeline.engines.apertium import ApertiumEngine
from i18n_pipeline.engines.dask import DaskCluster

RELEASES = 200
SENTENCES = 1000
_DATES = re.compile(
    rb'^("(?:POT-Creation-Date|PO-Revision-Date): )[^\\]*|^(#~? (?:machine translation|translation memory): .*)\d{4}-\d{2}-\d{2}',
    re.M,
)


def results(project: Path) -> dict[str, bytes]:
    """Every file a run leaves under locales/ and build/, dates masked (they differ across midnight)."""
    return {
        str(path.relative_to(project)): _DATES.sub(lambda m: (m.group(1) or m.group(2)) + b"<date>", path.read_bytes())
        for folder in ("locales", "build") for path in sorted((project / folder).rglob("*")) if path.is_file()
    }


def timed_run(project: Path, *extra: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([speed.tool("i18n-pipeline", "make setup"), "run", *extra, "--project", str(project)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise speed.BenchError(f"run {' '.join(extra)}: exited {done.returncode}: {done.stderr[-1500:]}")
    return time.perf_counter() - started


def main() -> int:
    if not speed.EVAL.exists():
        print(f"error: {speed.EVAL}: not found; the bench needs WMT newstest2012 from ../shared/eval", file=sys.stderr)
        return 1
    print(f"bench/dask_speed.py; machine: {speed.machine()}", file=sys.stderr)
    releases = corpus.make_releases(corpus.load_sentences(speed.EVAL), RELEASES)
    texts = [corpus.plain(s) for r in releases for p in r.paragraphs for s in p.sentences]
    with DaskCluster("local:2") as cluster:
        started = time.perf_counter()
        cluster.client()
        print(f"local_cluster_start {time.perf_counter() - started:.2f} s")
        engine = cluster.engine("apertium", {})
        engine.translate_batch(["Hello."], "en", "es")
        trips = []
        for _ in range(30):
            started = time.perf_counter()
            engine.translate_batch(["Hello."], "en", "es")
            trips.append(time.perf_counter() - started)
        trips.sort()
        print(f"task_round_trip {statistics.median(trips) * 1000:.1f} ms median, {trips[26] * 1000:.1f} ms p90")
        ratios = []
        for half in (0, 1):  # other sentences each time: nothing is answered from a worker's memo
            batch = texts[half::2][:SENTENCES]
            with ApertiumEngine() as local:
                local.warm_up("en", "es")
                started = time.perf_counter()
                expected = local.translate_batch(batch, "en", "es")
                local_seconds = time.perf_counter() - started
            started = time.perf_counter()
            got = engine.translate_batch(batch, "en", "es")
            ratios.append((time.perf_counter() - started) / local_seconds)
            if got != expected:
                raise speed.BenchError(f"{sum(a != b for a, b in zip(got, expected, strict=True))} sentences differ")
        print(f"dask_over_local {statistics.median(ratios):.2f} ({SENTENCES} sentences, 2 workers / one pipeline)")
    with tempfile.TemporaryDirectory(prefix="dask-") as tmp:
        template = speed.write_project(Path(tmp) / "template", releases, ".md")
        local_project = speed.fresh_copy(template, Path(tmp) / "local")
        dask_project = speed.fresh_copy(template, Path(tmp) / "dask")
        local_seconds = timed_run(local_project)
        dask_seconds = timed_run(dask_project, "--dask", "local:2")
        print(f"run_dask_over_local {dask_seconds / local_seconds:.2f} ({dask_seconds:.1f} s / {local_seconds:.1f} s, "
              f"{RELEASES} releases, es and fr)")
        expected_files, got_files = results(local_project), results(dask_project)
        differing = [name for name in sorted(set(got_files) | set(expected_files))
                     if got_files.get(name) != expected_files.get(name)]
        print(f"files_differing {len(differing)} of {len(expected_files)}")
        if differing:
            print("differ: " + ", ".join(differing[:20]), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except speed.BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
