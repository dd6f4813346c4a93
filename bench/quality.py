"""Translation quality: the whole pipeline against the raw Apertium engine, chrF and BLEU.

The first 500 sentences of WMT newstest2012 (en→es) go (a) through ``i18n-pipeline run`` as 10
releases of 50 one-sentence paragraphs, read back from ``build/es/<release>.md``, and (b) through
one ``apertium -u eng-spa`` process as a single stream. Both are scored with sacrebleu against the
reference. Whatever the pipeline adds (entity and glossary protection, segmentation, placeholders,
Markdown escaping, tidying) shows up as the difference; the sentences that lose most are printed
to stderr with both outputs.

    .venv/bin/python bench/quality.py [--lines 500] [--per-release 50] [--worst 10]

The last two lines of stdout are ``chrf_pipeline <x>`` and ``chrf_raw <y>``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runnable from a checkout without installing the package.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
CORPUS = EVAL / "parallel" / "wmt-en-es" / "newstest2012"

_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation


def escape_source(line: str) -> str:
    """A plain sentence as a Markdown paragraph that parses back to the same text."""
    line = re.sub(r"([\\`*_\[\]<>&])", r"\\\1", line.strip())
    line = re.sub(r"^([#+=>-])", r"\\\1", line)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", line)


def unescape_markdown(text: str) -> str:
    text = _MD_ESCAPE_RE.sub(r"\1", text)
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def write_project(project: Path, lines: list[str], per_release: int) -> list[str]:
    """A temporary copy of the bundled project with the sentences as releases; returns the
    release names in order."""
    settings = (ROOT / "pipeline.yaml").read_text("utf-8")
    settings, n = re.subn(r"(?m)^target_languages:.*$", "target_languages: [es]", settings)
    if not n:
        settings += "\ntarget_languages: [es]\n"
    (project / "pipeline.yaml").write_text(settings, "utf-8")
    (project / "locales").mkdir(parents=True)
    for name in ("glossary.yaml", "memory.tmx"):
        if (ROOT / "locales" / name).exists():
            shutil.copy2(ROOT / "locales" / name, project / "locales" / name)
    content = project / "content"
    content.mkdir()
    names: list[str] = []
    for i in range(0, len(lines), per_release):
        name = f"wmt-{i // per_release + 1:03d}"
        body = "\n\n".join(escape_source(line) for line in lines[i : i + per_release])
        text = f"---\ntitle: Newstest release {i // per_release + 1}\ndate: 2012-01-01\n---\n\n{body}\n"
        (content / f"{name}.md").write_text(text, "utf-8")
        names.append(name)
    return names


def read_paragraphs(path: Path) -> list[str]:
    """The translated paragraphs of a built release: no front matter, no machine notice."""
    text = path.read_text("utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        text = text[end + 5 :] if end >= 0 else text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    paragraphs = [p for p in paragraphs if not p.startswith(">")]  # the machine-translation notice
    return [unescape_markdown(" ".join(p.split())) for p in paragraphs]


def run_pipeline(lines: list[str], per_release: int) -> tuple[list[str], float, str]:
    from i18n_pipeline.cli import main

    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        project = Path(tmp)
        names = write_project(project, lines, per_release)
        out = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out):
            code = main(["run", "--project", str(project)])
        seconds = time.perf_counter() - started
        if code != 0:
            raise SystemExit(f"i18n-pipeline run failed with exit code {code}:\n{out.getvalue()}")
        translated: list[str] = []
        for k, name in enumerate(names):
            got = read_paragraphs(project / "build" / "es" / f"{name}.md")
            want = len(lines[k * per_release : (k + 1) * per_release])
            if len(got) != want:
                raise SystemExit(f"{name}: {len(got)} paragraphs in the build, {want} in the source")
            translated.extend(got)
        report = out.getvalue().strip()
    return translated, seconds, report


def run_raw(lines: list[str]) -> tuple[list[str], float]:
    started = time.perf_counter()
    proc = subprocess.run(
        ["apertium", "-u", "eng-spa"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    out = proc.stdout.rstrip("\n").split("\n")
    if len(out) != len(lines):
        raise SystemExit(f"apertium returned {len(out)} lines for {len(lines)}")
    return [" ".join(o.split()) for o in out], seconds


def run_isolated(lines: list[str]) -> list[str]:
    """The pipeline's own engine on the bare sentences, one segment each, nothing protected: what
    the raw engine says without the neighbouring lines of a stream."""
    from i18n_pipeline.engines import get_engine

    with get_engine("apertium") as engine:
        return [" ".join(o.split()) for o in engine.translate_batch(lines, "en", "es")]


def classify(lines: list[str]) -> list[str]:
    """Per line, what the pipeline does to it beyond the bare engine: "protected" (entities or
    glossary terms become placeholders), "split" (several segments), or "" (sent as it is)."""
    from i18n_pipeline.glossary import load_glossary
    from i18n_pipeline.postedit import protect_for_engine
    from i18n_pipeline.segment import split_sentences

    glossary = load_glossary(ROOT / "locales" / "glossary.yaml")
    kinds: list[str] = []
    for line in lines:
        spans = split_sentences(line, "en")
        protected = [protect_for_engine(line[s:e], "en", "es", glossary) for s, e in spans]
        if any(p.values for p in protected):
            kinds.append("protected " + ", ".join(sorted({v for p in protected for v in p.values.values()})))
        elif len(spans) > 1:
            kinds.append("split")
        else:
            kinds.append("")
    return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--per-release", type=int, default=50)
    parser.add_argument("--worst", type=int, default=10)
    args = parser.parse_args(argv)

    src_path, ref_path = CORPUS.with_suffix(".en"), CORPUS.with_suffix(".es")
    if not src_path.is_file() or not ref_path.is_file():
        print(f"skipped: {src_path} (or its .es reference) is absent")
        return 0
    if shutil.which("apertium") is None:
        print("skipped: apertium is not installed (sudo apt-get install apertium apertium-eng-spa)")
        return 0
    try:
        from sacrebleu.metrics.bleu import BLEU
        from sacrebleu.metrics.chrf import CHRF
    except ImportError:
        print("skipped: sacrebleu is not installed (.venv/bin/pip install sacrebleu)")
        return 0

    with src_path.open(encoding="utf-8") as fh:
        lines = [" ".join(line.split()) for line in itertools.islice(fh, args.lines)]
    with ref_path.open(encoding="utf-8") as fh:
        refs = [" ".join(line.split()) for line in itertools.islice(fh, args.lines)]
    print(f"{len(lines)} sentences of {src_path.name}, {args.per_release} per release")

    pipeline, t_pipe, report = run_pipeline(lines, args.per_release)
    raw, t_raw = run_raw(lines)
    print(f"time_pipeline {t_pipe:.2f} s (extract+update+translate+build, fresh project, {report!r})")
    print(f"time_raw {t_raw:.2f} s (one apertium -u eng-spa process)")

    chrf = CHRF()
    bleu = BLEU()
    differs = sum(p != r for p, r in zip(pipeline, raw, strict=True))
    print(f"differ {differs} of {len(lines)} sentences (pipeline output != raw engine output)")
    print(f"bleu_pipeline {bleu.corpus_score(pipeline, [refs]).score:.1f}")
    print(f"bleu_raw {bleu.corpus_score(raw, [refs]).score:.1f}")

    isolated = run_isolated(lines)
    print(f"chrf_engine_isolated {chrf.corpus_score(isolated, [refs]).score:.1f} "
          "(same engine, one bare sentence per segment: no stream context, no protection)")
    kinds = classify(lines)

    chrf_pipe = chrf.corpus_score(pipeline, [refs]).score
    chrf_raw = chrf.corpus_score(raw, [refs]).score
    deltas = []
    for i, (p, r, ref) in enumerate(zip(pipeline, raw, refs, strict=True)):
        if p != r:
            d = chrf.sentence_score(p, [ref]).score - chrf.sentence_score(r, [ref]).score
            deltas.append((d, i))
    deltas.sort()
    losses = [x for x in deltas if x[0] < 0]
    gains = [x for x in deltas if x[0] > 0]
    print(
        f"per-sentence chrF: {len(losses)} lose (sum {sum(d for d, _ in losses):.1f}), "
        f"{len(gains)} gain (sum {sum(d for d, _ in gains):.1f})",
        file=sys.stderr,
    )
    # Why they differ: what the pipeline did to the sentence, or only the raw stream's context
    # (a line of a stream is translated with its neighbours: chunks and capitals leak across).
    causes: dict[str, list[float]] = {}
    cause_of: dict[int, str] = {}
    for d, i in deltas:
        if kinds[i].startswith("protected"):
            cause = "protected entity/term"
        elif kinds[i] == "split":
            cause = "split into segments"
        elif pipeline[i] == isolated[i]:
            cause = "raw stream context only"
        else:
            cause = "other (escaping, tidying)"
        cause_of[i] = kinds[i] or cause
        causes.setdefault(cause, []).append(d)
    for cause, ds in sorted(causes.items()):
        print(f"  {cause}: {len(ds)} sentences, chrF delta sum {sum(ds):+.1f}, "
              f"{sum(x < 0 for x in ds)} lose", file=sys.stderr)
    for d, i in deltas[: args.worst]:
        print(
            f"\n#{i + 1} chrF delta {d:+.1f} [{cause_of[i]}]\n  src: {lines[i]}\n  ref: {refs[i]}\n"
            f"  raw: {raw[i]}\n  iso: {isolated[i]}\n  pip: {pipeline[i]}",
            file=sys.stderr,
        )
    print(f"chrf_pipeline {chrf_pipe:.1f}")
    print(f"chrf_raw {chrf_raw:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
