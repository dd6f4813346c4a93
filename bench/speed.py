"""Speed at any size (issue 12): five ratios, each against a baseline measured in the same run.

    make bench                          # or: .venv/bin/python bench/speed.py
    .venv/bin/python bench/speed.py --quick                   # small sizes, to try it out
    .venv/bin/python bench/speed.py --json results.json       # also keep every raw figure

The corpus (``speed_corpus.py``) is made of real news sentences (WMT newstest2012, English) with
links, emphasis, numbers and dates planted, as Markdown and as HTML releases. Everything is timed
as a process, the way a build job runs it (the ``i18n-pipeline`` console script next to this
Python), and each figure is a ratio of medians over interleaved repeats, so that a busy machine
slows both sides alike. Printed, one a line (``name value``, then what it means):

- ``cold_ratio``: cold ``run -l es`` (no templates, PO files or cache) over ``apertium -u
  eng-spa`` on the same text (titles and bodies) as one stream, 200 releases;
- ``warm_speedup``: that cold run over a second run with nothing changed; ``warm_engine_calls``:
  segments that reached Apertium in that second run (to be translated, or analysed for unknown
  words), counted by stages spliced into Apertium's own pipeline (``$APERTIUM_MODES`` points at a
  copy of the mode whose first two stages tee their input to logs), so the count does not rely on
  what the pipeline says about itself;
- ``changed_paragraph_sentences S/P``: segments Apertium translated after one paragraph had a
  word changed in each of its P sentences;
- ``tt_speedup``: Translate Toolkit's ``html2po`` + ``po2html`` over our ``extract`` + ``build``
  on the same HTML releases, both translating into Spanish from PO files filled beforehand;
- ``memory_ratio``: peak RSS of a cold ``run -l es --engine pseudo`` on 2,000 releases over one on
  200 (``ru_maxrss`` of each process from ``os.wait4``).

It exits 1 when a run fails, when the second run reaches the engine or changes a file, or when
the instrument itself looks broken; it never asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

import speed_corpus as corpus

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "parallel" / "wmt-en-es" / "newstest2012.en"
TARGETS = {"cold_ratio": "<= 1.15", "warm_speedup": ">= 50", "tt_speedup": "> 1", "memory_ratio": "<= 1.5"}


class BenchError(Exception):
    """Something is wrong with a run or with the instrument: exit 1."""


@dataclass
class Proc:
    wall: float
    cpu: float  # user + system seconds, children included (Apertium's stages)
    maxrss_kib: int
    stdout: str

    def __add__(self, other: Proc) -> Proc:
        """Two processes run one after the other (peak RSS: the larger)."""
        return Proc(self.wall + other.wall, self.cpu + other.cpu, max(self.maxrss_kib, other.maxrss_kib), "")


@dataclass
class Series:
    """Repeated measurements of one thing."""

    label: str
    runs: list[Proc] = field(default_factory=list)

    def median(self, attribute: str = "wall") -> float:
        return statistics.median(float(getattr(r, attribute)) for r in self.runs)

    def describe(self) -> str:
        walls = " ".join(f"{r.wall:.2f}" for r in self.runs)
        rss = max(r.maxrss_kib for r in self.runs) / 1024
        return (f"{self.median():7.2f} s wall, {self.median('cpu'):6.2f} s CPU "
                f"({self.median('cpu') / self.median():.2f} cores), peak RSS {rss:6.1f} MiB  [{walls}]")


# --- processes -------------------------------------------------------------------------------


def run(argv: Sequence[str], what: str, *, cwd: Path | None = None, env: dict[str, str] | None = None,
        stdin: Path | None = None) -> Proc:
    """Run ``argv`` as a process; its own rusage (CPU, peak RSS) comes from ``os.wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, ExitStack() as stack:
        source = stack.enter_context(stdin.open("rb")) if stdin else subprocess.DEVNULL
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdin=source, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code != 0:
            said = err.read().decode("utf-8", "replace").strip()[-1500:]
            raise BenchError(f"{what}: '{' '.join(argv)}' exited {code}: {said}")
        return Proc(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out.read().decode("utf-8", "replace"))


def tool(name: str, hint: str) -> str:
    """A console script of this Python's environment, else one on PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise BenchError(f"{name}: not found next to {sys.executable} nor on PATH; {hint}")
    return found


# --- the machine -----------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    versions = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "apertium", "apertium-eng-spa", "lttoolbox"],
        capture_output=True, text=True, check=False,
    ).stdout.split("\n")
    apertium = ", ".join(v for v in versions if v) or "version unknown (not a Debian package)"
    # Set in some CI sandboxes: every process then compiles our modules again at start.
    bytecode = "; PYTHONDONTWRITEBYTECODE set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    return (f"{model}, {os.cpu_count()} cores, load average {load} at start; Python {platform.python_version()}{bytecode}; "
            f"{apertium}")


# --- projects --------------------------------------------------------------------------------


def write_project(folder: Path, releases: list[corpus.Release], suffix: str) -> Path:
    """A project as a user has it before the first run: settings, glossary, memory, releases."""
    (folder / "content").mkdir(parents=True)
    (folder / "locales").mkdir()
    shutil.copy2(ROOT / "pipeline.yaml", folder / "pipeline.yaml")
    for name in ("glossary.yaml", "memory.tmx"):
        shutil.copy2(ROOT / "locales" / name, folder / "locales" / name)
    render = corpus.to_markdown if suffix == ".md" else corpus.to_html
    for release in releases:
        (folder / "content" / f"{release.name}{suffix}").write_text(render(release), "utf-8")
    return folder


def fresh_copy(template: Path, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(template, folder)
    return folder


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- counting what reaches Apertium ----------------------------------------------------------

_COUNTER = """#!/bin/sh
# bench/speed.py: copies what reaches one Apertium stage to a log, then runs that stage.
# argv: -z LOG PROGRAM ARGS... (the pipeline adds -z after the first word of every stage)
shift
log=$1; shift
program=$1; shift
echo started >> "$log.starts"
tee -a "$log" | "$program" -z "$@"
"""


@dataclass(frozen=True)
class EngineCounts:
    reached: int  # segment passes into any Apertium process (analysis and translation)
    translated: int  # segments that went through the whole translation pipeline
    started: int  # Apertium processes started (first stages)


@dataclass
class EngineCounter:
    """A copy of the eng-spa mode whose first two stages tee their input to logs.

    Segments are NUL-ended. The first stage (the analyser) sees every segment the engine gets,
    also those it only analyses to find unknown words; the second (the tagger) sees only
    the segments being translated.
    """

    modes: Path

    @classmethod
    def install(cls, folder: Path) -> EngineCounter:
        apertium = shutil.which("apertium")
        candidates = [Path(apertium).resolve().parent.parent / "share/apertium/modes"] if apertium else []
        candidates.append(Path("/usr/share/apertium/modes"))
        original = next((d / "eng-spa.mode" for d in candidates if (d / "eng-spa.mode").exists()), None)
        if original is None:
            raise BenchError("apertium eng-spa: mode file not found; sudo apt-get install apertium-eng-spa")
        folder.mkdir(parents=True)
        script = folder / "count-stage"
        script.write_text(_COUNTER)
        script.chmod(0o755)
        first, second, *rest = original.read_text().strip().split("|")
        wrapped = [f"{script} {folder / 'reached.log'} {first.strip()}", f"{script} {folder / 'translated.log'} {second.strip()}"]
        (folder / "eng-spa.mode").write_text(" | ".join(wrapped + [r.strip() for r in rest]) + "\n")
        return cls(folder)

    def env(self) -> dict[str, str]:
        return {**os.environ, "APERTIUM_MODES": str(self.modes)}

    def reset(self) -> None:
        for log in ("reached.log", "translated.log"):
            for path in (self.modes / log, self.modes / f"{log}.starts"):
                path.unlink(missing_ok=True)

    def counts(self) -> EngineCounts:
        def nuls(name: str) -> int:
            # NUL-ended segments with something in them: lt-proc -z adds an empty one at its EOF.
            path = self.modes / name
            return sum(1 for chunk in path.read_bytes().split(b"\0")[:-1] if chunk.strip()) if path.exists() else 0

        starts = self.modes / "reached.log.starts"
        return EngineCounts(nuls("reached.log"), nuls("translated.log"),
                            len(starts.read_text().splitlines()) if starts.exists() else 0)


_REPORT_RE = re.compile(r"^es: .*\(\d+ engine requests?[;)]", re.M)  # "; 3 outputs with tags put back)"
_BY_ENGINE_RE = re.compile(r"(\d+) by [^,(]+")


def reported_engine_segments(stdout: str) -> int:
    """What the run says it had translated by engines ("es: … 12 by apertium, 3 by pseudo (2 engine requests)")."""
    match = _REPORT_RE.search(stdout)
    if match is None:
        raise BenchError(f"run: no 'es: … by ENGINE (N engine requests)' line in its output:\n{stdout}")
    return sum(int(n) for n in _BY_ENGINE_RE.findall(match.group(0)))


# --- the changed paragraph -------------------------------------------------------------------

_INNER_END = re.compile(r"[.!?;:]\s")
_TYPO = re.compile(r"\b[a-z]{4,}\b")


def edit_paragraph(releases: list[corpus.Release], start: int) -> tuple[corpus.Release, int]:
    """The first release from ``start`` on with a paragraph to edit, with a word changed in every
    sentence of that paragraph, and how many sentences that is. A paragraph qualifies when it has
    two or more sentences, none with a stop inside it (so that our segmenter sees exactly these
    sentences), and is not the dateline's."""
    for k in range(len(releases)):
        release = releases[(start + k) % len(releases)]
        candidates = [
            p for i, p in enumerate(release.paragraphs)
            if i and not p.heading and len(p.sentences) >= 2
            and all(not _INNER_END.search(corpus.plain(s)) and _TYPO.search(s[0].text) for s in p.sentences)
        ]
        if candidates:
            break
    else:
        raise BenchError("corpus: no paragraph of two or more plain sentences in any release; cannot edit one")
    paragraph = max(candidates, key=lambda p: len(p.sentences))  # the first of the longest

    def typo(match: re.Match[str]) -> str:  # a translator's kind of edit: number agreement
        word = match.group(0)
        return word[:-1] if word.endswith("s") else word + "s"

    edited = tuple((replace(s[0], text=_TYPO.sub(typo, s[0].text, count=1)), *s[1:]) for s in paragraph.sentences)
    paragraphs = [replace(p, sentences=edited) if p is paragraph else p for p in release.paragraphs]
    return replace(release, paragraphs=tuple(paragraphs)), len(edited)


# --- the bench -------------------------------------------------------------------------------


@dataclass
class Sizes:
    releases: int
    memory_small: int
    memory_large: int
    repeats: int


@dataclass
class Changed:
    release: str
    sent: int  # S: segments Apertium translated
    sentences: int  # P: sentences of the edited paragraph
    reported: int  # what the run itself says it sent
    reached: int  # segment passes into any Apertium process (unknown-word analysis included)


class SpeedBench:
    """The projects, the runs and their results; ``repeat(i)`` runs one interleaved round."""

    def __init__(self, sizes: Sizes, work: Path) -> None:
        self.sizes = sizes
        self.work = work
        self.pipeline = tool("i18n-pipeline", "run this script with the project's .venv python (make bench)")
        self.html2po = tool("html2po", "pip install translate-toolkit (a dependency of the project)")
        self.po2html = tool("po2html", "pip install translate-toolkit")
        if shutil.which("apertium") is None:
            raise BenchError("apertium: not on PATH; sudo apt-get install apertium apertium-eng-spa")
        self.releases = corpus.make_releases(corpus.load_sentences(EVAL), max(sizes.releases, sizes.memory_large))
        self.series = {name: Series(name) for name in (
            "apertium_stream", "cold_run", "warm_run", "changed_run", "tt_html2po_po2html", "our_extract_build",
            "pseudo_run_small", "pseudo_run_large")}
        self.warm_calls: list[int] = []
        self.warm_starts: list[int] = []
        self.changed: list[Changed] = []
        self.made = 0  # run projects made so far
        self._prepare()

    def _prepare(self) -> None:
        work, n = self.work, self.sizes.releases
        self.body = work / "body.txt"
        self.body.write_text("\n".join(corpus.to_plain(r) for r in self.releases[:n]), "utf-8")
        templates = work / "templates"
        self.md = write_project(templates / "md", self.releases[:n], ".md")
        self.pseudo_projects = {
            "pseudo_run_small": write_project(templates / "pseudo-small", self.releases[: self.sizes.memory_small], ".md"),
            "pseudo_run_large": write_project(templates / "pseudo-large", self.releases[: self.sizes.memory_large], ".md"),
        }
        self.counter = EngineCounter.install(work / "counter")
        # HTML: both tools translate from PO files filled beforehand (pseudo-translations), so each
        # build substitutes every sentence. Translate Toolkit runs from the project folder with
        # relative paths, its usual way (html2po writes the path it was given into its locations).
        html = write_project(templates / "html", self.releases[:n], ".html")
        for argv in (["extract"], ["update", "-l", "es"], ["translate", "-l", "es", "--engine", "pseudo"]):
            run([self.pipeline, *argv, "--project", str(html)], f"preparing the HTML project ({argv[0]})")
        self.html_ours = fresh_copy(html, templates / "html-ours")
        for leftover in ("locales/templates", ".i18n-cache"):
            shutil.rmtree(self.html_ours / leftover)
        self.html_tt = theirs = fresh_copy(html, templates / "html-tt")
        shutil.rmtree(theirs / "locales")
        shutil.rmtree(theirs / ".i18n-cache")
        run([self.html2po, "-i", "content", "-o", "po"], "preparing html2po's PO files", cwd=theirs)
        podebug = tool("podebug", "pip install translate-toolkit")
        run([podebug, "--rewrite=unicode", "-i", "po", "-o", "po-es"], "pseudo-translating with podebug", cwd=theirs)
        shutil.rmtree(theirs / "po")

    # -- one round ----------------------------------------------------------------------------
    def _folder(self, label: str) -> Path:
        """A new folder for one run's project; all of them go with the bench's work folder when
        it ends (``--keep`` keeps them), not after each run.

        On ext4 without a journal (this VM's disk), an inode freed in the last 60 s (360 s while
        its table block is dirty) is skipped when a file is created (fs/ext4/ialloc.c,
        ``recently_deleted``). Measured with perf: a file took ~20 us to create on a quiet disk and
        250-500 us right after the previous run's project (thousands of files) had been removed,
        12 % of a build's CPU in ``find_inode_bit``. That is the bench's own clean-up, not the
        pipeline's work (a build job's cold run does not follow such a deletion), and it fell on
        whichever side makes more files.
        """
        self.made += 1
        return self.work / "runs" / f"{label}-{self.made}"

    def repeat(self, i: int) -> None:
        project = self._folder("md")
        interleaved(i, self._baseline, lambda: self._cold(project))
        self._warm(project)
        self._changed(project, i)
        interleaved(i, self._tt, self._ours)
        interleaved(i, lambda: self._pseudo("pseudo_run_small"), lambda: self._pseudo("pseudo_run_large"))

    def _run(self, project: Path, what: str, *extra: str, counted: bool = False) -> Proc:
        argv = [self.pipeline, "run", "-l", "es", *extra, "--project", str(project)]
        return run(argv, what, env=self.counter.env() if counted else None)

    def _baseline(self) -> None:
        proc = run(["apertium", "-u", "eng-spa"], "apertium baseline", stdin=self.body)
        self.series["apertium_stream"].runs.append(proc)

    def _cold(self, project: Path) -> None:
        fresh_copy(self.md, project)
        self.series["cold_run"].runs.append(self._run(project, "cold run"))

    def _warm(self, project: Path) -> None:
        before = tree_digest(project / "locales")
        self.counter.reset()
        self.series["warm_run"].runs.append(self._run(project, "warm run", counted=True))
        counts = self.counter.counts()
        self.warm_calls.append(counts.reached)
        self.warm_starts.append(counts.started)
        changed = sorted(k for k, v in tree_digest(project / "locales").items() if before.get(k) != v)
        if changed:
            raise BenchError(f"warm run: it changed {len(changed)} files under locales/, e.g. {changed[:3]}")

    def _changed(self, project: Path, i: int) -> None:
        n = self.sizes.releases
        edited, sentences = edit_paragraph(self.releases[:n], n // 2 + i * 7)
        (project / "content" / f"{edited.name}.md").write_text(corpus.to_markdown(edited), "utf-8")
        self.counter.reset()
        proc = self._run(project, "changed-paragraph run", counted=True)
        self.series["changed_run"].runs.append(proc)
        counts = self.counter.counts()
        reported = reported_engine_segments(proc.stdout)
        if reported and not counts.translated:
            raise BenchError("engine counter: the run says it translated segments but none reached the counting stage")
        self.changed.append(Changed(edited.name, counts.translated, sentences, reported, counts.reached))

    def _tt(self) -> None:
        project = fresh_copy(self.html_tt, self._folder("html-tt"))
        # No progress bar: our CLI shows none off a terminal either.
        a = run([self.html2po, "--progress=none", "-i", "content", "-o", "po-new"], "html2po", cwd=project)
        b = run([self.po2html, "--progress=none", "-i", "po-es", "-t", "content", "-o", "out-es"], "po2html", cwd=project)
        self.series["tt_html2po_po2html"].runs.append(a + b)
        check_translated(project / "content", project / "out-es", "po2html")

    def _ours(self) -> None:
        project = fresh_copy(self.html_ours, self._folder("html-ours"))
        a = run([self.pipeline, "extract", "--project", str(project)], "extract")
        b = run([self.pipeline, "build", "-l", "es", "--include-machine", "--project", str(project)], "build")
        self.series["our_extract_build"].runs.append(a + b)
        check_translated(project / "content", project / "build" / "es", "build")

    def _pseudo(self, label: str) -> None:
        project = fresh_copy(self.pseudo_projects[label], self._folder(label))
        self.series[label].runs.append(self._run(project, f"pseudo run ({label})", "--engine", "pseudo"))

    # -- results ------------------------------------------------------------------------------
    def figures(self) -> dict[str, float | str]:
        s = self.series
        return {
            "cold_ratio": s["cold_run"].median() / s["apertium_stream"].median(),
            "warm_speedup": s["cold_run"].median() / s["warm_run"].median(),
            "warm_engine_calls": str(max(self.warm_calls)),
            "changed_paragraph_sentences": " ".join(f"{c.sent}/{c.sentences}" for c in self.changed),
            "tt_speedup": s["tt_html2po_po2html"].median() / s["our_extract_build"].median(),
            "memory_ratio": s["pseudo_run_large"].median("maxrss_kib") / s["pseudo_run_small"].median("maxrss_kib"),
        }

    def report(self, header: str) -> str:
        n, big, small = self.sizes.releases, self.sizes.memory_large, self.sizes.memory_small
        explain = {
            "cold_ratio": f"cold 'run -l es' (no templates, PO files or cache) / 'apertium -u eng-spa' on the same "
                          f"text as one stream, {n} releases",
            "warm_speedup": "cold run / a second run with nothing changed, both as processes",
            "warm_engine_calls": "segments that reached Apertium in the second run, for translation or analysis "
                                 "(largest of the repeats; must be 0)",
            "changed_paragraph_sentences": "S/P per repeat: segments Apertium translated / sentences of the one "
                                           "paragraph changed (a word in each; target S = P)",
            "tt_speedup": f"Translate Toolkit html2po + po2html / our extract + build, {n} HTML releases into Spanish",
            "memory_ratio": f"peak RSS of a cold 'run -l es --engine pseudo' on {big} releases / on {small}",
        }
        lines = [header, ""]
        for name, value in self.figures().items():
            shown = f"{value:.2f}" if isinstance(value, float) else value
            target = f" (target {TARGETS[name]})" if name in TARGETS else ""
            lines.append(f"{name} {shown}    {explain[name]}{target}")
        lines += ["", "raw medians (wall, CPU of the process and its children, largest peak RSS; runs in brackets):"]
        lines += [f"  {item.label:<20} {item.describe()}" for item in self.series.values()]
        s = self.series
        lines.append(
            "  the same ratios in CPU seconds (less sensitive to other load; on a machine whose cores are all busy, "
            "the best the wall-clock ratios can reach): "
            f"cold_ratio {s['cold_run'].median('cpu') / s['apertium_stream'].median('cpu'):.2f}, "
            f"warm_speedup {s['cold_run'].median('cpu') / s['warm_run'].median('cpu'):.1f}, "
            f"tt_speedup {s['tt_html2po_po2html'].median('cpu') / s['our_extract_build'].median('cpu'):.2f}"
        )
        lines.append(f"  warm runs: segment passes into Apertium {self.warm_calls}, "
                     f"Apertium processes started {self.warm_starts}")
        lines += [f"  changed paragraph in {c.release}: S={c.sent} translated (the run itself reported {c.reported}; "
                  f"{c.reached} passes into Apertium, unknown-word analysis included), P={c.sentences}" for c in self.changed]
        return "\n".join(lines)

    def as_json(self, header: str) -> str:
        data = {
            "header": header,
            "figures": self.figures(),
            "warm_engine_calls": self.warm_calls,
            "warm_pipelines_started": self.warm_starts,
            "changed": [vars(c) for c in self.changed],
            "series": {k: [vars(r) | {"stdout": r.stdout[-2000:]} for r in v.runs] for k, v in self.series.items()},
        }
        return json.dumps(data, indent=1) + "\n"


def interleaved(order: int, *steps: Callable[[], None]) -> None:
    """Run the steps, reversed on every other repeat, so drift in the machine's load hits both."""
    for step in steps if order % 2 == 0 else reversed(steps):
        step()


def check_translated(sources: Path, outputs: Path, what: str) -> None:
    """The comparison is fair only if both sides really substituted translations."""
    same = [p.name for p in sorted(sources.iterdir()) if (outputs / p.name).read_bytes() == p.read_bytes()]
    if same:
        raise BenchError(f"{what}: {len(same)} outputs equal their source (e.g. {same[0]}): nothing was translated")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 releases (300 for memory), 2 repeats: to try it out")
    parser.add_argument("--repeats", type=int, help="interleaved repeats (default 3; 2 with --quick)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure and raw run to FILE")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the projects in DIR (new or empty) and keep them")
    args = parser.parse_args(argv)
    sizes = Sizes(30, 30, 300, 2) if args.quick else Sizes(200, 200, 2000, 3)
    if args.repeats:
        sizes.repeats = args.repeats
    if not EVAL.exists():
        print(f"error: {EVAL}: not found; the bench needs WMT newstest2012 from ../shared/eval", file=sys.stderr)
        return 1
    started = dt.datetime.now().astimezone()
    header = (f"bench/speed.py, {started:%Y-%m-%d %H:%M %Z}{' (--quick: not the issue sizes)' if args.quick else ''}\n"
              f"machine: {machine()}")
    print(header, file=sys.stderr, flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="speed-") as tmp:
            work = Path(tmp)
            if args.keep:
                if args.keep.exists() and any(args.keep.iterdir()):
                    raise BenchError(f"{args.keep}: not empty; give --keep an empty or new folder")
                args.keep.mkdir(parents=True, exist_ok=True)
                work = args.keep
            bench = SpeedBench(sizes, work)
            for i in range(sizes.repeats):
                bench.repeat(i)
                print(f"  repeat {i + 1}/{sizes.repeats} done (load average {os.getloadavg()[0]:.2f})", file=sys.stderr)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    first = bench.releases[: sizes.releases]
    header += (f"\ncorpus: {sizes.releases} releases, {corpus.sentence_count(first):,} sentences, "
               f"{corpus.word_count(first):,} words (newstest2012.en; links, emphasis, numbers, dates planted); "
               f"{sizes.repeats} interleaved repeats; load average at the end "
               + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(bench.report(header), flush=True)
    if args.json:
        args.json.write_text(bench.as_json(header), "utf-8")
    if max(bench.warm_calls) != 0:
        print(f"error: a second run with nothing changed sent {max(bench.warm_calls)} segments to the engine", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
