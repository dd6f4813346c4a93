"""Apertium throughput: our persistent streamed pipeline against the engine's ceiling.

Baseline, measured in the same run: the whole text as one ``apertium -u eng-spa`` stream (one
process, no segment boundaries). Prints segments/s and the ratio of baseline time to ours.

    .venv/bin/python bench/apertium_throughput.py [--lines 1000] [--repeat 3] [--file PATH]
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from i18n_pipeline.engines.apertium import ApertiumEngine
from i18n_pipeline.model import count_words

DEFAULT_FILE = Path("/work/shared/eval/parallel/wmt-en-es/newstest2012.en")


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lockstep", type=int, default=200,
                        help="segments for the one-at-a-time comparison (0 to skip)")
    args = parser.parse_args(argv)

    if not args.file.is_file():
        print(f"skipped: {args.file} is absent")
        return 0
    if shutil.which("apertium") is None:
        print("skipped: apertium is not installed (sudo apt-get install apertium apertium-eng-spa)")
        return 0
    with args.file.open(encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in itertools.islice(handle, args.lines)]
    segments = len(lines)
    words = sum(count_words(line) for line in lines)
    print(f"{segments} segments, {words} words from {args.file.name}; median of {args.repeat}")

    whole = "\n".join(lines).encode("utf-8")
    baseline = median_seconds(
        lambda: subprocess.run(["apertium", "-u", "eng-spa"], input=whole,
                               capture_output=True, check=True),
        args.repeat,
    )
    print(f"baseline  apertium -u eng-spa, whole text: {baseline:6.2f} s  "
          f"{segments / baseline:7.0f} seg/s  {words / baseline:7.0f} words/s")

    starts: list[float] = []
    for _ in range(args.repeat):
        with ApertiumEngine() as engine:
            started = time.perf_counter()
            engine.translate_batch(["Hello."], "en", "es")
            starts.append(time.perf_counter() - started)
    print(f"start     pipeline start + first segment:     {statistics.median(starts):6.3f} s")

    with ApertiumEngine() as engine:
        engine.warm_up("en", "es")

        def fresh_batch(target: str) -> Callable[[], None]:
            """One repetition: forget() first, so it sends every sentence (nothing remembered
            from the last repetition)."""

            def run() -> None:
                engine.forget()
                engine.translate_batch(lines, "en", target)

            return run

        streamed = median_seconds(fresh_batch("es"), args.repeat)
        print(f"streamed  translate_batch en→es:             {streamed:6.2f} s  "
              f"{segments / streamed:7.0f} seg/s  {words / streamed:7.0f} words/s  "
              f"ratio {baseline / streamed:.2f}× baseline")
        if args.lockstep:
            some = lines[: args.lockstep]

            def one_at_a_time() -> None:
                engine.forget()
                for line in some:
                    engine.translate_batch([line], "en", "es")

            lockstep = median_seconds(one_at_a_time, 1)
            per_segment = lockstep / len(some)
            print(f"lockstep  one segment per call ({len(some)}):      {lockstep:6.2f} s  "
                  f"{1 / per_segment:7.0f} seg/s  ratio {baseline / (per_segment * segments):.2f}×"
                  " baseline")
        engine.warm_up("en", "fr")
        pivot = median_seconds(fresh_batch("fr"), args.repeat)
        print(f"pivot     translate_batch en→es→fr:          {pivot:6.2f} s  "
              f"{segments / pivot:7.0f} seg/s  {words / pivot:7.0f} words/s")
        print(f"pipelines started: {engine.pipelines_started} (eng-spa, es-fr)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
