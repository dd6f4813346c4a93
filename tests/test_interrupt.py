"""Interrupting a run never damages a PO file, and a translator's save is never overwritten.

Two promises of the issue, tested on the real CLI with real Apertium and GNU gettext:

* "Killing the pipeline at any moment never leaves a truncated or half-written PO file": a
  project of ~20 generated releases (a run takes a few seconds) is run in a subprocess and
  killed with SIGKILL at seeded random moments spread over one measured run; after each kill
  every ``.po``/``.pot`` parses, passes ``msgfmt -c`` and holds *all* the entries it should (a
  file cut at an entry boundary would still parse, so parsing alone proves little); then a
  second ``run`` completes. Ctrl-C (SIGINT) exits non-zero with a message and no traceback.
* "If a PO file changed on disk after the pipeline read it, the pipeline does not overwrite
  it": a translator's save is injected between the pipeline's read and its write, inside a
  ``main([...])`` call; the CLI stops with exit 1 and a clear message, the translator's file is
  untouched, and running again merges from the translator's file.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from i18n_pipeline import pipeline
from i18n_pipeline.cli import main
from i18n_pipeline.config import load_settings
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.pofile import read_po, write_po
from tests.paths import EVAL, ROOT
from tests.project import copy_project

SEED = "new-iom-publication-compiles-cases-of-human-trafficking-assisted"
NEWSTEST = EVAL / "parallel" / "wmt-en-es" / "newstest2012.en"
LANGS = ("es", "fr")
RELEASES = 20
KILLS = 8
RANDOM_SEED = 20120806
TIMEOUT = 120  # seconds for any one subprocess run; a hang is a failure, not a wait


# --------------------------------------------------------------------------------------------
# Project helpers


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


def msgfmt_check(paths: list[Path]) -> None:
    """``msgfmt -c`` on every file (concurrently: one process per file, files checked alone)."""
    procs = [
        (p, subprocess.Popen(["msgfmt", "-c", "-o", "/dev/null", str(p)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        for p in paths
    ]
    failures = []
    for path, proc in procs:
        _, err = proc.communicate(timeout=TIMEOUT)
        if proc.returncode != 0:
            failures.append(f"{path}: {err.decode('utf-8', 'replace')}")
    assert not failures, "msgfmt -c rejects:\n" + "\n".join(failures)


def cli(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "i18n_pipeline", *args, "--project", str(project)]


def start_run(project: Path) -> subprocess.Popen[bytes]:
    # Own session: a signal to its process group reaches the pipeline (as Ctrl-C in a terminal
    # does) and never pytest. Apertium's stages run in sessions of their own.
    return subprocess.Popen(
        cli(project, "run"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=project
    )


def run_to_completion(project: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cli(project, "run"), capture_output=True, text=True, timeout=TIMEOUT, cwd=project)
    assert done.returncode == 0, f"run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done


@dataclass(frozen=True)
class Reference:
    inputs: Path  # the generated project, never run
    seconds: float  # one full run from scratch
    keys: dict[str, set[tuple[str | None, str]]]  # relative catalog path -> entry keys
    segments: dict[tuple[str, str], dict[str, int]]  # (language, release) -> segments per state


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The big project, and one full run of it timed (to scale the kill delays)."""
    base = tmp_path_factory.mktemp("interrupt")
    inputs = copy_project(base / "inputs")
    add_releases(inputs, RELEASES, random.Random(RANDOM_SEED))
    full = base / "full"
    shutil.copytree(inputs, full)
    started = time.monotonic()
    run_to_completion(full)
    seconds = time.monotonic() - started
    files = catalog_files(full)
    assert len(files) == (RELEASES + 1) * (1 + len(LANGS))
    keys = {str(p.relative_to(full)): entry_keys(p) for p in files}
    segments = {(r.language, r.release): dict(r.stats.segments) for r in pipeline.status(load_settings(full))}
    for where, seg in segments.items():
        assert seg["untranslated"] == 0 and seg["machine"] + seg["reviewed"] > 0, (where, seg)
    print(f"\nreference run: {seconds:.2f} s for {RELEASES + 1} releases, {len(files)} catalogs")
    return Reference(inputs, seconds, keys, segments)


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
    assert_catalogs_whole(project, ref, msgfmt=False)  # written by a normal run: test_cli checks those


# --------------------------------------------------------------------------------------------
# SIGKILL at random moments


def test_sigkill_at_random_moments_never_leaves_a_broken_catalog(reference: Reference, tmp_path: Path) -> None:
    rng = random.Random(RANDOM_SEED + 1)
    # Stratified over the measured run: each kill falls in its own slice of [3 %, 93 %] of it
    # (runs vary by ±15 %; past 93 % a kill often finds the run over).
    delays = [reference.seconds * (0.03 + 0.9 * (i + rng.random()) / KILLS) for i in range(KILLS)]
    summary: list[str] = []
    leftovers_seen: list[str] = []
    for i, delay in enumerate(delays):
        project = tmp_path / f"kill-{i}"
        shutil.copytree(reference.inputs, project)
        proc = start_run(project)
        try:
            proc.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=TIMEOUT)
        proc.communicate(timeout=TIMEOUT)
        n_files = len(catalog_files(project))
        leftovers = temp_leftovers(project)
        leftovers_seen += [p.name for p in leftovers]
        assert_catalogs_whole(project, reference)
        # Any leftover must not pass for a catalog: no .po/.pot suffix (checked by
        # catalog_files/assert_catalogs_whole above) and a hidden name.
        assert all(p.name.startswith(".") for p in leftovers), leftovers
        run_to_completion(project)
        assert_complete(project, reference)
        summary.append(
            f"kill {i}: at {delay:.2f} s{' (run had finished)' if finished else ''}, "
            f"{n_files} catalogs on disk, {len(leftovers)} temporary leftovers"
        )
    print("\n" + "\n".join(summary))
    if leftovers_seen:
        print("temporary files left by SIGKILL (harmless, not named *.po):", ", ".join(leftovers_seen))
    # Most kills must have hit a running pipeline, or the test proves nothing.
    assert sum("finished" not in line for line in summary) >= KILLS // 2


# --------------------------------------------------------------------------------------------
# Ctrl-C


def test_ctrl_c_exits_non_zero_without_traceback(reference: Reference, tmp_path: Path) -> None:
    rng = random.Random(RANDOM_SEED + 2)
    # Once early (templates being written), once in machine translation.
    for i, fraction in enumerate((0.0, 0.3 + 0.1 * rng.random())):
        project = tmp_path / f"int-{i}"
        shutil.copytree(reference.inputs, project)
        proc = start_run(project)
        deadline = time.monotonic() + TIMEOUT
        templates = project / "locales" / "templates"
        # Wait until main() is surely running (its first template is on disk): a Ctrl-C during
        # interpreter start-up is Python's, not the pipeline's.
        while not (templates.is_dir() and any(templates.glob("*.pot"))):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(reference.seconds * fraction)
        assert proc.poll() is None, "the run finished before Ctrl-C; the project is too small"
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=TIMEOUT)
        stderr = err.decode("utf-8", "replace")
        assert proc.returncode not in (0, None), stderr
        assert proc.returncode == 130, (proc.returncode, stderr)
        assert "Traceback" not in stderr, stderr
        assert "interrupted" in stderr, stderr
        print(f"\nCtrl-C {i}: exit {proc.returncode}, stderr: {stderr.strip()!r}")
        assert_catalogs_whole(project, reference)
        # A clean interrupt cleans up after itself.
        assert temp_leftovers(project) == [], temp_leftovers(project)
        run_to_completion(project)
        assert_complete(project, reference)


# --------------------------------------------------------------------------------------------
# A translator saves while the pipeline holds the file


@pytest.fixture(scope="module")
def small_ran(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("stale") / "ran")
    assert main(["run", "--project", str(project)]) == 0
    return project


@pytest.fixture
def small(small_ran: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    dst = tmp_path / "p"
    shutil.copytree(small_ran, dst)
    # A new sentence, so update and translate both have real work in the next run.
    source = dst / "content" / f"{SEED}.md"
    source.write_text(source.read_text("utf-8") + "\nIOM thanks its partners in Mexico for their support.\n", "utf-8")
    capsys.readouterr()
    return dst


MARKER = "Traducción guardada por la traductora."


def translator_saves(path: Path) -> bytes:
    """What Poedit does: the first machine entry gets a new translation, "fuzzy" cleared."""
    blocks = path.read_text("utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        if "#, fuzzy" not in lines or not any(line.startswith("msgid ") for line in lines):
            continue
        start = next(j for j, line in enumerate(lines) if line.startswith("msgstr "))
        end = start + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        lines[start:end] = [f'msgstr "{MARKER}"']
        blocks[i] = "\n".join(line for line in lines if line != "#, fuzzy")
        break
    else:
        raise AssertionError(f"no fuzzy entry in {path}")
    data = "\n\n".join(blocks).encode("utf-8")
    path.write_bytes(data)  # an editor's plain save, not an atomic one
    return data


def es_po(project: Path) -> Path:
    return project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po"


def assert_refused_then_merged(
    project: Path, saved: bytes, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    po = es_po(project)
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    assert str(po) in err and "changed on disk" in err, err
    assert po.read_bytes() == saved, "the translator's save was overwritten"
    # Running again reads the translator's file and merges from it.
    assert main(["run", "--project", str(project)]) == 0, capsys.readouterr().err
    cat = read_po(po)
    kept = [e for e in cat.entries() if e.target == MARKER]
    assert len(kept) == 1 and kept[0].state.value == "reviewed"
    new = cat.get("IOM thanks its partners in Mexico for their support.")
    assert new is not None and new.target and new.state.value in ("machine", "reviewed")
    rows = pipeline.status(load_settings(project), ["es"])
    assert sum(r.stats.segments["untranslated"] for r in rows) == 0
    msgfmt_check([po])


def test_translator_save_during_translate_is_not_overwritten(
    small: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = getattr(pipeline, "fill_catalogs")
    saved: list[bytes] = []

    def fill_then_translator_saves(catalogs: Any, **kwargs: Any) -> Any:
        result = real(catalogs, **kwargs)
        if kwargs["target_language"] == "es":
            saved.append(translator_saves(es_po(small)))
        return result

    monkeypatch.setattr("i18n_pipeline.pipeline.fill_catalogs", fill_then_translator_saves)
    code = main(["run", "--project", str(small)])
    monkeypatch.undo()
    assert saved
    assert_refused_then_merged(small, saved[0], code, capsys)


def test_translator_save_during_update_is_not_overwritten(
    small: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = getattr(pipeline, "update_catalog")
    saved: list[bytes] = []

    def merge_then_translator_saves(old: Any, template: Any, **kwargs: Any) -> Any:
        result = real(old, template, **kwargs)
        if old is not None and Path(old.path).resolve() == es_po(small).resolve():
            saved.append(translator_saves(es_po(small)))
        return result

    monkeypatch.setattr("i18n_pipeline.pipeline.update_catalog", merge_then_translator_saves)
    code = main(["run", "--project", str(small)])
    monkeypatch.undo()
    assert saved
    assert_refused_then_merged(small, saved[0], code, capsys)


def test_write_po_refuses_a_file_changed_since_read(small_ran: Path, tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    shutil.copy2(es_po(small_ran), po)
    cat = read_po(po)
    saved = translator_saves(po)
    with pytest.raises(CatalogError) as info:
        write_po(cat, po)
    assert "changed on disk" in str(info.value) and str(po) in str(info.value)
    assert po.read_bytes() == saved
    assert not [p for p in tmp_path.iterdir() if p.name != "x.po"], "no temporary file left behind"
    # Merging again from the new file is allowed, and keeps the translator's work.
    again = read_po(po)
    assert write_po(again, po) is False  # same bytes: nothing written
    assert po.read_bytes() == saved


def test_a_touch_without_change_is_not_a_conflict(small_ran: Path, tmp_path: Path) -> None:
    """Only the bytes count: a save that changes nothing (or a checkout) is not a translator's edit."""
    po = tmp_path / "x.po"
    shutil.copy2(es_po(small_ran), po)
    cat = read_po(po)
    st = po.stat()
    os.utime(po, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    write_po(cat, po)  # does not raise


@pytest.fixture
def translator_saves_during_the_write(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Inject a translator's save after write_po's stale check, while the temp file is
    written (between its fsync and the rename)."""
    real_chmod = os.chmod
    saved: list[bytes] = []

    def chmod(path: Any, mode: int, *args: Any, **kwargs: Any) -> None:
        name = os.path.basename(os.fspath(path))
        if not saved and name.startswith(".x.po.") and name.endswith(".tmp"):
            saved.append(translator_saves(Path(os.path.dirname(os.fspath(path))) / "x.po"))
        return real_chmod(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "chmod", chmod)  # the os module i18n_pipeline.pofile calls
    yield saved


def test_a_save_during_the_write_itself_is_not_overwritten(
    small_ran: Path, tmp_path: Path, translator_saves_during_the_write: list[bytes]
) -> None:
    po = tmp_path / "x.po"
    shutil.copy2(es_po(small_ran), po)
    cat = read_po(po)
    cat.set_machine_translation(cat.entries()[0].source, cat.entries()[0].context, "Otra.", "test engine")
    try:
        write_po(cat, po)
    except CatalogError:
        pass
    assert translator_saves_during_the_write, "the injection point was not reached"
    assert po.read_bytes() == translator_saves_during_the_write[0]
