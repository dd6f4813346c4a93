"""QA checks on human translations: how often each check fires on correct text (false
positives), and how often the dictionary check finds a planted foreign word (recall).

Human references of ``../shared/eval/parallel``: FLORES-200 devtest (1,012 English sentences
with their Spanish and French translations) and WMT newstest2012 (3,003 English–Spanish).
Every check runs on every (English, reference) pair, as ``i18n-pipeline check`` would on a
reviewed PO entry, with the project's glossary. A good check is quiet on these.

Recall: in ``--plants`` random references, one lower-case word of four letters or more (not
opening the sentence) is replaced by a lower-case word of the aligned English sentence (for
Spanish and French: what an engine leaves) or, for French, of the aligned Spanish reference
(what the Spanish pivot leaves); a donor that is itself a word of the target reference corpus
("final", "no") is refused. The share the ``words`` check reports is its recall.

    .venv/bin/python bench/checks_on_references.py [--plants 500] [--seed 1]

Prints one line per corpus and check: ``fp <corpus> <check> <share %> <sentences>``, then
``recall <corpus> <donor> <share %>``, and examples of flagged words.
"""

from __future__ import annotations

import argparse
import collections
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from i18n_pipeline.checks import CHECKS, CheckContext, check_translation, check_words  # noqa: E402
from i18n_pipeline.glossary import load_glossary  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "parallel"
FLORES = EVAL / "flores200-devtest"
WMT = EVAL / "wmt-en-es"

_WORD_RE = re.compile(r"[^\W\d_]+")


def read(path: Path) -> list[str]:
    return [" ".join(line.split()) for line in path.read_text("utf-8").splitlines()]


def corpora() -> dict[str, tuple[str, list[str], list[str]]]:
    """name -> (language, English sentences, references)."""
    found: dict[str, tuple[str, list[str], list[str]]] = {}
    if (FLORES / "eng_Latn.devtest").is_file():
        english = read(FLORES / "eng_Latn.devtest")
        found["flores-es"] = ("es", english, read(FLORES / "spa_Latn.devtest"))
        found["flores-fr"] = ("fr", english, read(FLORES / "fra_Latn.devtest"))
    if (WMT / "newstest2012.en").is_file():
        found["wmt-es"] = ("es", read(WMT / "newstest2012.en"), read(WMT / "newstest2012.es"))
    return found


def false_positives(language: str, sources: list[str], targets: list[str]) -> tuple[dict[str, int], collections.Counter[str]]:
    context = CheckContext(language, load_glossary(ROOT / "locales" / "glossary.yaml"))
    flagged: dict[str, int] = dict.fromkeys(CHECKS, 0)
    words: collections.Counter[str] = collections.Counter()
    for source, target in zip(sources, targets, strict=True):
        for name in {p.check for p in check_translation(source, target, "", context)}:
            flagged[name] += 1
        for message in check_words(source, target, context):
            words.update(re.findall(r'"([^"]+)"', message.split(";")[0]))
    return flagged, words


def plant(
    language: str, sources: list[str], targets: list[str], donors: list[str], n: int, rng: random.Random
) -> tuple[float, list[str]]:
    """Recall of the words check on ``n`` planted donor words; and some words it missed."""
    vocabulary = {w.lower() for t in targets for w in _WORD_RE.findall(t)}
    context = CheckContext(language)
    order = list(range(len(targets)))
    rng.shuffle(order)
    hits = total = 0
    missed: list[str] = []
    for i in order:
        if total >= n:
            break
        slots = [m for m in re.finditer(r"(?<=\s)[^\W\d_]{4,}(?=[\s,.;:])", targets[i]) if m.group().islower()]
        candidates = [w for w in _WORD_RE.findall(donors[i]) if w.islower() and len(w) >= 4 and w not in vocabulary]
        if not slots or not candidates:
            continue
        slot, word = rng.choice(slots), rng.choice(candidates)
        planted = targets[i][: slot.start()] + word + targets[i][slot.end() :]
        total += 1
        if any(f'"{word}"' in message for message in check_words(sources[i], planted, context)):
            hits += 1
        else:
            missed.append(word)
    return (hits / total if total else 0.0), missed[:15]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--plants", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    found = corpora()
    if not found:
        print(f"skipped: no references under {EVAL}")
        return 0
    for name, (language, sources, targets) in found.items():
        started = time.perf_counter()
        flagged, words = false_positives(language, sources, targets)
        seconds = time.perf_counter() - started
        for check, count in flagged.items():
            print(f"fp {name} {check} {100 * count / len(targets):.1f} % {count}/{len(targets)}")
        print(f"  {name}: {len(targets)} sentences checked in {seconds:.1f} s; most flagged words: "
              + ", ".join(f"{w} {c}" for w, c in words.most_common(15)))
    rng = random.Random(args.seed)
    for name, (language, sources, targets) in found.items():
        donors = [("English", sources)]
        if name == "flores-fr":
            donors.append(("Spanish", found["flores-es"][2]))
        for donor, texts in donors:
            recall, missed = plant(language, sources, targets, texts, args.plants, rng)
            print(f"recall {name} {donor} {100 * recall:.1f} %  (missed e.g. {', '.join(missed)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
