"""Exact and fuzzy translation-memory lookups per second, against a naive full scan.

Memory: 20,000 English->Spanish entries built from the first 3,000 lines of WMT newstest2012,
repeated with one-word edits. Queries: fresh one-word edits of stored sentences (they should
match) and shuffled-word sentences (they should not). The baseline scans every entry with
rapidfuzz ``process.extractOne(scorer=fuzz.ratio)``, measured in the same run.

    .venv/bin/python bench/memory_lookup.py [--entries 20000] [--queries 1000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from i18n_pipeline.memory import Memory, normalise_whitespace

DATA = Path("/work/shared/eval/parallel/wmt-en-es")
THRESHOLD = 0.75


def edit(sentence: str, vocabulary: list[str], rng: random.Random) -> str:
    """One word replaced, deleted or inserted."""
    words = sentence.split()
    position = rng.randrange(len(words))
    operation = rng.choice("rdi")
    if operation == "r":
        words[position] = rng.choice(vocabulary)
    elif operation == "d" and len(words) > 1:
        del words[position]
    else:
        words.insert(position, rng.choice(vocabulary))
    return " ".join(words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=1_000)
    args = parser.parse_args(argv)
    if not (DATA / "newstest2012.en").exists():
        print(f"skipped: {DATA} is absent (WMT newstest2012 en-es needed)")
        return 0
    english = DATA.joinpath("newstest2012.en").read_text(encoding="utf-8").splitlines()[:3000]
    spanish = DATA.joinpath("newstest2012.es").read_text(encoding="utf-8").splitlines()[:3000]
    rng = random.Random(2012)
    vocabulary = [w for line in english for w in line.split()]
    # The two sides of a parallel corpus line up one to one: strict, so a short file is an error.
    pairs = {en: es for en, es in zip(english, spanish, strict=True) if en.strip()}
    while len(pairs) < args.entries:
        index = rng.randrange(len(english))
        if len(english[index].split()) >= 4:
            pairs[edit(english[index], vocabulary, rng)] = spanish[index]
    sources = list(pairs)

    with tempfile.TemporaryDirectory() as folder, Memory(Path(folder) / "memory.sqlite") as mem:
        start = time.perf_counter()
        mem.learn("en", "es", [(s, t, "bench") for s, t in pairs.items()])
        learn_time = time.perf_counter() - start
        start = time.perf_counter()
        relearnt = mem.learn("en", "es", [(s, t, "bench") for s, t in pairs.items()])
        relearn_time = time.perf_counter() - start
        assert relearnt == 0

        start = time.perf_counter()
        found = mem.exact_many("en", "es", sources)
        batch_time = time.perf_counter() - start
        assert len(found) == len(sources)
        singles = rng.sample(sources, 2000)
        start = time.perf_counter()
        for source in singles:
            assert mem.exact("en", "es", source) is not None
        single_time = time.perf_counter() - start

        start = time.perf_counter()
        mem.fuzzy("en", "es", "warm-up builds the index")
        index_time = time.perf_counter() - start

        near = [edit(rng.choice(sources), vocabulary, rng) for _ in range(args.queries // 2)]
        unrelated = []
        for _ in range(args.queries - len(near)):
            words = rng.choice(sources).split()
            rng.shuffle(words)
            unrelated.append(" ".join(words[: max(4, len(words) // 2)]) + " " + " ".join(
                rng.choice(vocabulary) for _ in range(len(words) // 2)))
        queries = near + unrelated

        start = time.perf_counter()
        ours = [mem.fuzzy("en", "es", q, threshold=THRESHOLD) for q in queries]
        fuzzy_time = time.perf_counter() - start

        keys = [normalise_whitespace(s) for s in sources]
        start = time.perf_counter()
        naive = [process.extractOne(normalise_whitespace(q), keys, scorer=fuzz.ratio,
                                    score_cutoff=THRESHOLD * 100) for q in queries]
        naive_time = time.perf_counter() - start

    agree = sum(
        (not o and n is None) or (bool(o) and n is not None and abs(o[0].score - n[1] / 100) < 1e-3)
        for o, n in zip(ours, naive, strict=True)
    )
    found_near = sum(bool(o) for o in ours[: len(near)])
    found_unrelated = sum(bool(o) for o in ours[len(near):])
    naive_hits = sum(n is not None for n in naive)
    ours_hits = sum(bool(o) for o in ours)
    print(f"memory: {len(sources):,} en->es entries (newstest2012 first 3,000 lines + one-word "
          f"edits), SQLite WAL on disk")
    print(f"learn:  {len(sources) / learn_time:,.0f} pairs/s new; re-learn unchanged "
          f"{len(sources) / relearn_time:,.0f} pairs/s ({relearn_time:.2f} s)")
    print(f"exact:  exact_many {len(sources) / batch_time:,.0f} lookups/s (one batch of "
          f"{len(sources):,}); exact() {len(singles) / single_time:,.0f} lookups/s one by one")
    print(f"fuzzy:  index build {index_time:.2f} s; {len(queries) / fuzzy_time:,.0f} lookups/s "
          f"(threshold {THRESHOLD}); matched {found_near}/{len(near)} one-word edits, "
          f"{found_unrelated}/{len(unrelated)} shuffled sentences")
    print(f"naive:  process.extractOne over all entries {len(queries) / naive_time:,.0f} lookups/s")
    print(f"ratio:  fuzzy vs naive {naive_time / fuzzy_time:.1f}x faster; same best score on "
          f"{agree}/{len(queries)} queries (matches: ours {ours_hits}, naive {naive_hits})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
