"""How to learn which words Apertium did not know, without making the translation worse.

Two ways were possible:

* **marks**: run every stage with unknown-word marks (``-g``, as ``apertium eng-spa`` does),
  read the marked words (``*trafficked``), then strip the marks from the text;
* **analyser** (what ``ApertiumEngine.translate_detailed`` does): translate without marks
  (``-n``, as ``apertium -u``), and run each leg's morphological analyser alone on that leg's
  input; the words it cannot analyse are the ones the leg passes through.

This script measures what the marks cost in quality (chrF and BLEU of ``apertium -u`` against
marks-then-stripped, on the same sentences, against human references), how many lines they
change, what the analyser way costs in time, and whether both ways find the same words.
Corpora: WMT newstest2012 en→es and FLORES-200 devtest en→es and en→fr (through Spanish, as the
pipeline does), the first ``--lines`` sentences of each.

    .venv/bin/python bench/unknown_words.py [--lines 500]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from i18n_pipeline.engines.apertium import ApertiumEngine  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "parallel"
CORPORA = {
    "wmt en→es": (EVAL / "wmt-en-es" / "newstest2012.en", EVAL / "wmt-en-es" / "newstest2012.es", "es"),
    "flores en→es": (EVAL / "flores200-devtest" / "eng_Latn.devtest", EVAL / "flores200-devtest" / "spa_Latn.devtest", "es"),
    "flores en→fr": (EVAL / "flores200-devtest" / "eng_Latn.devtest", EVAL / "flores200-devtest" / "fra_Latn.devtest", "fr"),
}
_MARK_RE = re.compile(r"[*#@]+(?=[^\W_])")
_MARKED_WORD_RE = re.compile(r"\*+([^\W\d_][\w'-]*)")


def apertium(mode: str, lines: list[str], *, marks: bool) -> list[str]:
    args = ["apertium", mode] if marks else ["apertium", "-u", mode]
    out = subprocess.run(args, input="\n".join(lines) + "\n", capture_output=True, text=True, check=True).stdout
    return out.rstrip("\n").split("\n")


def raw(lines: list[str], target: str, *, marks: bool) -> tuple[list[str], list[set[str]]]:
    """The raw engine with or without marks; with marks, the text with marks stripped and the
    lower-case words marked unknown (``*``) on each line, over both legs of a pivot."""
    legs = ["eng-spa"] if target == "es" else ["eng-spa", "es-fr"]
    texts = lines
    marked: list[set[str]] = [set() for _ in lines]
    for mode in legs:
        out = apertium(mode, texts, marks=marks)
        for found, line in zip(marked, out, strict=True):
            found.update(w for w in _MARKED_WORD_RE.findall(line) if w[:1].islower())
        texts = [_MARK_RE.sub("", line) for line in out]
    return [" ".join(t.split()) for t in texts], marked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args(argv)
    if shutil.which("apertium") is None:
        print("skipped: apertium is not installed")
        return 0
    try:
        from sacrebleu.metrics.bleu import BLEU
        from sacrebleu.metrics.chrf import CHRF
    except ImportError:
        print("skipped: sacrebleu is not installed (.venv/bin/pip install sacrebleu)")
        return 0
    for name, (src_path, ref_path, target) in CORPORA.items():
        if not src_path.is_file() or not ref_path.is_file():
            print(f"skipped {name}: {src_path} is absent")
            continue
        lines = [" ".join(x.split()) for x in src_path.read_text("utf-8").splitlines()[: args.lines]]
        refs = [" ".join(x.split()) for x in ref_path.read_text("utf-8").splitlines()[: args.lines]]
        plain, _ = raw(lines, target, marks=False)
        stripped, marked = raw(lines, target, marks=True)
        differ = sum(a != b for a, b in zip(plain, stripped, strict=True))
        chrf, bleu = CHRF(), BLEU()
        print(f"{name}: {len(lines)} sentences; marks change {differ} lines")
        for metric, scorer in (("chrF", chrf), ("BLEU", bleu)):
            unmarked = scorer.corpus_score(plain, [refs]).score
            marked_score = scorer.corpus_score(stripped, [refs]).score
            print(f"  {metric}  unmarked {unmarked:.2f}  marks stripped {marked_score:.2f}")
        for a, b in [(a, b) for a, b in zip(plain, stripped, strict=True) if a != b][:3]:
            print(f"    unmarked: {a[:110]}\n    stripped: {b[:110]}")

        with ApertiumEngine() as engine:
            engine.translate_batch(lines[:5], "en", target)  # start the processes
            engine.forget()
            started = time.perf_counter()
            engine.translate_batch(lines, "en", target)
            batch = time.perf_counter() - started
            engine.forget()
            started = time.perf_counter()
            detailed = engine.translate_detailed(lines, "en", target)
            with_words = time.perf_counter() - started
        found = [set(d.unknown_words) for d in detailed]
        both = sum(len(f & m) for f, m in zip(found, marked, strict=True))
        only_marks = sum(len(m - f) for f, m in zip(found, marked, strict=True))
        only_analyser = sum(len(f - m) for f, m in zip(found, marked, strict=True))
        print(f"  analyser way: {with_words:.2f} s against {batch:.2f} s for the translation alone "
              f"({100 * (with_words / batch - 1):+.0f} %)")
        print(f"  unknown words (lower case, per line): both ways {both}, only marked {only_marks}, "
              f"only the analyser {only_analyser}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
