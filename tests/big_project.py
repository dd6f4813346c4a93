"""A project of ~20 generated releases (a run takes a few seconds), for the tests that interrupt
a run: ``SIGKILL`` at random moments (test_files.py) and Ctrl-C (test_cli.py).

``reference`` (a session fixture in conftest.py) is its inputs and one full, timed run of it,
which scales the moments at which the tests interrupt a run and says what a complete run
leaves on disk.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from i18n_pipeline import pipeline
from i18n_pipeline.config import load_settings
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.pofile import read_po
from tests.paths import EVAL, ROOT
from tests.project import SEED, TIMEOUT, copy_project, msgfmt_check

NEWSTEST = EVAL / "parallel" / "wmt-en-es" / "newstest2012.en"
LANGS = ("es", "fr")
RELEASES = 20
RANDOM_SEED = 20120806


_PLAIN = re.compile(r"^[A-Z][^*_`#<>\[\]|\\{}~=^]{38,200}[.!?]$")


_PLAIN_LONG = re.compile(r"^[A-Z][^*_`#<>\[\]|\\{}~=^]{20,450}[.!?]$")


def _source_sentences(rng: random.Random) -> list[str]:
    """Plain English sentences: WMT newstest2012 if the eval folder is there, else the seed's."""
    if NEWSTEST.is_file():
        lines = [line.strip() for line in NEWSTEST.read_text("utf-8").splitlines()]
        sentences = [line for line in lines if _PLAIN.match(line)]
        if len(sentences) >= 200:
            return sentences
    # Fallback: the seed release's sentences, made distinct (so the engine has real work) by a
    # place prefix, shuffled deterministically.
    text = (ROOT / "content" / f"{SEED}.md").read_text("utf-8").split("\n---\n", 1)[1]
    base = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if _PLAIN_LONG.match(s.strip())]
    assert base, "the seed release has plain sentences"
    places = ["Lima", "Quito", "Nairobi", "Dhaka", "Geneva", "Manila", "Dakar", "Amman", "Kabul", "Bogota",
              "Cairo", "Tunis", "Hanoi", "Accra", "Beirut", "Sanaa", "Harare", "Caracas", "Managua", "Tbilisi"]
    sentences = [f"In {place}, {s[0].lower()}{s[1:]}" for place in places for s in base]
    rng.shuffle(sentences)
    return sentences


def add_releases(project: Path, count: int, rng: random.Random) -> None:
    sentences = _source_sentences(rng)
    for i in range(count):
        paragraphs = [" ".join(rng.sample(sentences, rng.randint(2, 4))) for _ in range(rng.randint(3, 5))]
        title = rng.choice(sentences)[:-1]
        front = f"---\ntitle: {json.dumps(title)}\ndate: 2012-08-{i % 28 + 1:02d}\n---\n\n"
        (project / "content" / f"generated-{i:02d}.md").write_text(front + "\n\n".join(paragraphs) + "\n", "utf-8")


def catalog_files(project: Path) -> list[Path]:
    locales = project / "locales"
    return sorted(p for p in locales.rglob("*") if p.is_file() and p.suffix in (".po", ".pot"))


def temp_leftovers(project: Path) -> list[Path]:
    """Files under locales/ that are neither catalogs nor the shipped inputs."""
    shipped = {project / "locales" / "glossary.yaml", project / "locales" / "memory.tmx"}
    return sorted(
        p for p in (project / "locales").rglob("*")
        if p.is_file() and p.suffix not in (".po", ".pot") and p not in shipped
    )


def entry_keys(path: Path) -> set[tuple[str | None, str]]:
    return {(e.context, e.source) for e in read_po(path).entries()}


def cli(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "i18n_pipeline", *args, "--project", str(project)]


def cli_verbose(project: Path, *args: str) -> list[str]:
    """``cli`` with -v: the log names every engine request (segments_sent)."""
    return [sys.executable, "-m", "i18n_pipeline", "-v", *args, "--project", str(project)]


# --- counting what the engine receives ----------------------------------------------------------

_REQUEST_RE = re.compile(r"engine request: (\d+) segments to ")


def segments_sent(stderr: str | bytes) -> int:
    """Segments a run (killed or not) handed to the engine: its -v log names every request as it
    is sent (translate.py), so a request in flight when the run died counts too."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    return sum(int(n) for n in _REQUEST_RE.findall(text))


def start_run(project: Path) -> subprocess.Popen[bytes]:
    # Own session: a signal to its process group reaches the pipeline (as Ctrl-C in a terminal
    # does) and never pytest. Apertium's stages run in sessions of their own.
    return subprocess.Popen(
        cli_verbose(project, "run"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=project
    )


def run_to_completion(project: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cli_verbose(project, "run"), capture_output=True, text=True, timeout=TIMEOUT, cwd=project)
    assert done.returncode == 0, f"run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done


@dataclass(frozen=True)
class Reference:
    inputs: Path  # the generated project, never run
    seconds: float  # one full run from scratch
    keys: dict[str, set[tuple[str | None, str]]]  # relative catalog path -> entry keys
    segments: dict[tuple[str, str], dict[str, int]]  # (language, release) -> segments per state
    full: Path  # the project after that run (never modified)
    engine_segments: int  # what the engine received in that one full run


def make_reference(base: Path) -> Reference:
    """The big project, and one full run of it timed (to scale the kill delays), its engine
    input counted."""
    inputs = copy_project(base / "inputs")
    add_releases(inputs, RELEASES, random.Random(RANDOM_SEED))
    full = base / "full"
    shutil.copytree(inputs, full)
    started = time.monotonic()
    done = run_to_completion(full)
    seconds = time.monotonic() - started
    engine_segments = segments_sent(done.stderr)
    assert engine_segments > 0, "the -v log names the engine requests"
    files = catalog_files(full)
    assert len(files) == (RELEASES + 1) * (1 + len(LANGS))
    keys = {str(p.relative_to(full)): entry_keys(p) for p in files}
    segments = {(r.language, r.release): dict(r.stats.segments) for r in pipeline.status(load_settings(full))}
    for where, seg in segments.items():
        assert seg["untranslated"] == 0 and seg["machine"] + seg["reviewed"] > 0, (where, seg)
    print(
        f"\nreference run: {seconds:.2f} s for {RELEASES + 1} releases, {len(files)} catalogs, "
        f"{engine_segments} segments sent to the engine"
    )
    return Reference(inputs, seconds, keys, segments, full, engine_segments)


def assert_catalogs_whole(project: Path, ref: Reference, *, msgfmt: bool = True) -> None:
    """Every catalog on disk parses, passes msgfmt -c and holds every entry it should."""
    files = catalog_files(project)
    for path in files:
        rel = str(path.relative_to(project))
        assert rel in ref.keys, f"unexpected catalog {rel} (a temporary file named like a PO file?)"
        try:
            keys = entry_keys(path)
        except CatalogError as exc:  # pragma: no cover - the failure this test exists for
            pytest.fail(f"{rel} does not parse after the kill: {exc}")
        assert keys == ref.keys[rel], f"{rel} is incomplete: {len(keys)} of {len(ref.keys[rel])} entries"
    if files and msgfmt:
        msgfmt_check(files)


def assert_complete(project: Path, ref: Reference) -> None:
    files = catalog_files(project)
    assert {str(p.relative_to(project)) for p in files} == set(ref.keys)
    rows = pipeline.status(load_settings(project))
    assert len(rows) == (RELEASES + 1) * len(LANGS)
    for row in rows:
        seg = dict(row.stats.segments)
        assert seg["untranslated"] == 0, (row.language, row.release, seg)
        # The same result as a run that was never interrupted (every segment machine or
        # reviewed, unless the uninterrupted run itself leaves some needing an update).
        assert seg == ref.segments[(row.language, row.release)], (row.language, row.release, seg)
    assert_catalogs_whole(project, ref, msgfmt=False)  # written by a normal run: test_pipeline checks those


# --- comparing whole projects -------------------------------------------------------------------

_DATES = re.compile(
    rb'^("(?:POT-Creation-Date|PO-Revision-Date): )[^\\]*'  # header dates
    rb"|^(#~? (?:machine translation|translation memory): .*)\d{4}-\d{2}-\d{2}",  # provenance day
    re.M,
)


def _without_dates(data: bytes) -> bytes:
    return _DATES.sub(lambda m: (m.group(1) or m.group(2)) + b"<date>", data)


def results(project: Path) -> dict[str, bytes]:
    """What a run leaves for people: every file under locales/ and build/, dates masked (header
    dates, and the day in provenance comments, which differs only across midnight)."""
    out: dict[str, bytes] = {}
    for folder in ("locales", "build"):
        for path in sorted((project / folder).rglob("*")):
            if path.is_file():
                out[str(path.relative_to(project))] = _without_dates(path.read_bytes())
    return out


def compare_results(got: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """The files of a resumed run that differ from an uninterrupted run's (dates masked).

    Apertium's tagger used to carry state from one segment to the next (FACTS.md), so a rerun
    that sends only what a killed run had not finished worded a few sentences differently; the
    engine now settles each tagger when it starts (engines/apertium_pipeline.py), and nothing
    may differ.
    """
    return [name for name in sorted(set(got) | set(expected)) if got.get(name) != expected.get(name)]


def temp_files(project: Path) -> list[Path]:
    """Temporary files of the atomic writer anywhere in the project."""
    return sorted(p for p in project.rglob("*") if re.fullmatch(r"\..+\.[0-9a-f]{12}\.tmp", p.name))
