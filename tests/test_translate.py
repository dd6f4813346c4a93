"""Translation memory, MT cache and the ``translate --json`` report, end to end through
``main([...])`` on copies of the bundled project, with real Apertium.

The bundled project is run once per test session (the slow part); each test works on its own copy.
A translator's approval is simulated as Poedit does it: "fuzzy" cleared, the msgstr possibly
rewritten, the file then normalised by GNU gettext (``msgcat -o f f``).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from i18n_pipeline.catalog import Catalog, TemplateEntry, new_template, update_catalog
from i18n_pipeline.cli import main
from i18n_pipeline.engines import _REGISTRY as engines_registry
from i18n_pipeline.engines import MachineTranslation
from i18n_pipeline.engines.pseudo import PseudoEngine, pseudo_localise
from i18n_pipeline.errors import EngineError
from i18n_pipeline.memory import Memory
from i18n_pipeline.translate import fill_catalogs
from tests.project import copy_project, msgfmt_check, release_name

SEED = "new-iom-publication-compiles-cases-of-human-trafficking-assisted"
LANGS = ("es", "fr")

# Two sentences of the seed release, and what a Spanish translator made of them.
SEED_A = "The majority of these cases have been assisted along the southern border."
SEED_B = "To date, IOM Mexico has assisted 185 victims of trafficking from Central America, mostly from Guatemala."
REVIEWED = {
    SEED_A: "La mayoría de estos casos se atendieron en la frontera sur.",
    SEED_B: "Hasta la fecha, la OIM México ha asistido a 185 víctimas de trata de Centroamérica, "
    "sobre todo de Guatemala.",
}

SECOND_TITLE = "Migrant Workers Receive Training in Guatemala City"
SECOND_NEW = (
    "A new shelter opened its doors in Tecun Uman last month.",
    "Local authorities welcomed the initiative and offered further support.",
)
SECOND = f"""---
title: {SECOND_TITLE}
date: 2011-09-01
place: Guatemala
---

{SEED_A} {SECOND_NEW[0]}

{SECOND_NEW[1]}

{SEED_B}
"""

REPORT_KEYS = {
    "tm_exact", "tm_fuzzy", "cache", "engine", "failed", "engine_requests", "segments_sent", "by_engine",
    "placeholders_repaired",
}


# --- helpers ---------------------------------------------------------------------------------


def po_file(project: Path, lang: str, release: str) -> Path:
    return project / "locales" / lang / "LC_MESSAGES" / f"{release}.po"


def _unquote(line: str) -> str:
    return str(json.loads(line.strip()))  # PO strings use C escapes: \" \\ \n \t


@dataclass
class Entry:
    msgid: str = ""
    msgstr: str = ""
    msgctxt: str | None = None
    previous: str = ""  # "#| msgid"
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)  # translator comments ("# ...")
    obsolete: bool = False


def read_po(path: Path) -> list[Entry]:
    """The entries of a PO file (header excluded), read without the package's own PO code."""
    entries: list[Entry] = []
    for block in path.read_text("utf-8").split("\n\n"):
        entry = Entry()
        key = ""
        seen_msgid = False
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#, "):
                entry.flags |= {f.strip() for f in line[3:].split(",")}
            elif line.startswith("#| "):
                rest = line[3:]
                if rest.startswith("msgid "):
                    key, entry.previous = "previous", _unquote(rest[6:])
                elif rest.startswith('"') and key == "previous":
                    entry.previous += _unquote(rest)
            elif line.startswith("# ") or line == "#":
                entry.comments.append(line[2:])
            elif line.startswith("#"):
                continue  # "#." extracted comments, "#:" references
            elif line.startswith("msgctxt "):
                key, entry.msgctxt = "msgctxt", _unquote(line[8:])
            elif line.startswith("msgid "):
                key, entry.msgid, seen_msgid = "msgid", _unquote(line[6:]), True
            elif line.startswith("msgstr "):
                key, entry.msgstr = "msgstr", _unquote(line[7:])
            elif line.startswith('"') and key in ("msgid", "msgstr", "msgctxt"):
                setattr(entry, key, (getattr(entry, key) or "") + _unquote(line))
        if seen_msgid and entry.msgid and not entry.obsolete:
            entries.append(entry)
    return entries


def by_source(path: Path) -> dict[str, Entry]:
    return {e.msgid: e for e in read_po(path)}


def _po_string(keyword: str, text: str) -> str:
    return f"{keyword} {json.dumps(text, ensure_ascii=False)}"


def approve_all(path: Path, rewrite: dict[str, str]) -> None:
    """Approve every entry like a translator: clear "fuzzy" (and the previous source Poedit
    drops with it), rewrite the msgstr of the sources in ``rewrite``; then let GNU gettext
    format the file, as Poedit would."""
    blocks = path.read_text("utf-8").split("\n\n")
    out_blocks: list[str] = []
    for block in blocks:
        source = ""
        in_msgid = False
        for line in block.splitlines():
            if line.startswith("msgid "):
                source, in_msgid = _unquote(line[6:]), True
            elif line.startswith('"') and in_msgid:
                source += _unquote(line)
            else:
                in_msgid = False
        lines: list[str] = []
        skipping_msgstr = False
        for line in block.splitlines():
            if line.startswith("#, "):
                flags = [f.strip() for f in line[3:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    lines.append("#, " + ", ".join(flags))
                continue
            if line.startswith("#| "):
                continue
            if source in rewrite and line.startswith("msgstr "):
                lines.append(_po_string("msgstr", rewrite[source]))
                skipping_msgstr = True
                continue
            if skipping_msgstr and line.startswith('"'):
                continue
            skipping_msgstr = False
            lines.append(line)
        out_blocks.append("\n".join(lines))
    path.write_text("\n\n".join(out_blocks), "utf-8")
    subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, dict[str, Any]]:
    capsys.readouterr()
    assert main(list(argv)) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def translate_report(capsys: pytest.CaptureFixture[str], project: Path, *extra: str) -> dict[str, dict[str, Any]]:
    """``extract``, ``update``, then ``translate --json``: the report per language."""
    assert main(["extract", "--project", str(project)]) == 0
    assert main(["update", "--project", str(project), *extra]) == 0
    return run_json(capsys, "translate", "--json", "--project", str(project), *extra)


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def approved(project: Path) -> Path:
    """The run project after a Spanish translator approved every entry of the seed release."""
    po = po_file(project, "es", SEED)
    assert po.is_file(), "the bundled project has the seed release"
    entries = by_source(po)
    assert SEED_A in entries and SEED_B in entries, "the repeated sentences are seed segments"
    assert all("fuzzy" in e.flags for e in entries.values()), "machine output starts fuzzy"
    approve_all(po, REVIEWED)
    entries = by_source(po)
    assert entries and not any("fuzzy" in e.flags for e in entries.values())
    assert entries[SEED_A].msgstr == REVIEWED[SEED_A]
    return project


# --- tests -----------------------------------------------------------------------------------


def test_reviewed_sentences_are_reused_and_only_new_ones_reach_the_engine(
    approved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (approved / "content" / "second.md").write_text(SECOND, "utf-8")
    report = translate_report(capsys, approved)
    new_sentences = {SECOND_TITLE, "Guatemala", *SECOND_NEW}  # "place" is translated too

    es = report["es"]
    assert es["tm_exact"] >= 2, es
    assert es["tm_fuzzy"] == 0 and es["failed"] == 0, es
    assert es["engine_requests"] == 1, es
    assert es["segments_sent"] == len(new_sentences), es
    # French: nothing reviewed, but the repeated sentences were machine-translated before.
    fr = report["fr"]
    assert fr["tm_exact"] == 0 and fr["cache"] == 2, fr
    assert fr["segments_sent"] == len(new_sentences) and fr["engine_requests"] == 1, fr

    second = by_source(po_file(approved, "es", "second"))
    assert set(second) == {SEED_A, SEED_B, *new_sentences}
    for source in (SEED_A, SEED_B):
        entry = second[source]
        assert entry.msgstr == REVIEWED[source]
        assert "fuzzy" not in entry.flags, "an exact match of a reviewed sentence is approved"
        assert any(SEED in c for c in entry.comments), f"no comment names the release: {entry.comments}"
        assert not any(c.startswith("machine translation") for c in entry.comments)
    for source in new_sentences:
        entry = second[source]
        assert entry.msgstr and "fuzzy" in entry.flags
        assert any(c.startswith("machine translation: apertium") for c in entry.comments), entry.comments
    # The approved seed file is left as the translator saved it.
    seed = by_source(po_file(approved, "es", SEED))
    assert not any("fuzzy" in e.flags for e in seed.values())
    assert seed[SEED_B].msgstr == REVIEWED[SEED_B]

    # A second pass has nothing left to do.
    again = run_json(capsys, "translate", "--json", "--project", str(approved))
    for lang in LANGS:
        assert again[lang]["engine_requests"] == again[lang]["segments_sent"] == 0, again[lang]


def test_mt_cache_answers_when_the_po_files_are_gone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {lang: by_source(po_file(project, lang, SEED)) for lang in LANGS}
    for path in (project / "locales").glob("*/LC_MESSAGES/*.po"):
        path.unlink()
    report = translate_report(capsys, project)
    for lang in LANGS:
        r = report[lang]
        total = len(before[lang])
        assert total > 10
        assert r["engine_requests"] == 0 and r["segments_sent"] == 0, r
        # The bundled memory.tmx answers the publication's title; the cache everything else.
        assert r["cache"] + r["tm_exact"] == total and r["tm_exact"] <= 1, r
        assert r["tm_fuzzy"] == r["failed"] == 0, r
        after = by_source(po_file(project, lang, SEED))
        assert {s: e.msgstr for s, e in after.items()} == {s: e.msgstr for s, e in before[lang].items()}
        # The cache kept what the engine said it did not know: the comments are the engine's own.
        assert {s: e.comments for s, e in after.items()} == {s: e.comments for s, e in before[lang].items()}
        assert any("; unknown words: " in c for e in after.values() for c in e.comments)
        for entry in after.values():
            assert "fuzzy" in entry.flags
            assert any(c.startswith(("machine translation: apertium", "translation memory: memory.tmx")) for c in entry.comments)


def test_translate_json_has_exactly_the_documented_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    report = translate_report(capsys, project, "-l", "es")
    assert set(report) == {"es"}
    es = report["es"]
    assert set(es) == REPORT_KEYS, sorted(es)
    assert all(type(v) is int for k, v in es.items() if k != "by_engine"), es
    assert es["by_engine"] == {"apertium": es["engine"]}, es
    segments = len(read_po(po_file(project, "es", SEED)))
    assert es["engine"] == es["segments_sent"] == segments - es["tm_exact"], es
    assert es["engine_requests"] == 1
    assert es["tm_exact"] <= 1  # the publication's title, from the bundled memory.tmx
    assert es["tm_fuzzy"] == es["cache"] == es["failed"] == 0, es


def test_a_changed_word_gets_a_fuzzy_memory_match(approved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = SEED_A.replace("southern", "northern")
    assert changed != SEED_A
    (approved / "content" / "third.md").write_text(
        f"---\ntitle: Shelters in the North\ndate: 2011-10-01\n---\n\n{changed}\n", "utf-8"
    )
    report = translate_report(capsys, approved, "-l", "es")
    es = report["es"]
    assert es["tm_fuzzy"] == 1, es
    assert es["tm_exact"] == 0, es
    assert es["segments_sent"] == 1, es  # only the title

    entry = by_source(po_file(approved, "es", "third"))[changed]
    assert "fuzzy" in entry.flags, "a fuzzy match is offered for review, never approved"
    assert entry.msgstr == REVIEWED[SEED_A]
    assert entry.previous == SEED_A, "the '#|' previous msgid shows what the memory translated"
    note = " ".join(entry.comments)
    score = re.search(r"(\d+)% match", note)
    assert score, f"no score in the comment: {entry.comments}"
    assert 75 <= int(score.group(1)) < 100
    assert SEED in note
    # gettext accepts the file as written.
    path = po_file(approved, "es", "third")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
    assert subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout == path.read_bytes()


def test_machine_output_is_marked_in_the_po(project: Path) -> None:
    po = (project / "locales" / "fr" / "LC_MESSAGES" / f"{release_name(project)}.po").read_text("utf-8")
    entries = [e for e in po.split("\n\n")[1:] if "msgid" in e and not e.startswith("#~")]
    assert entries
    for entry in entries:
        assert "#, fuzzy" in entry
        assert "# machine translation: apertium" in entry or "# translation memory: " in entry
    machine = [e for e in entries if "# machine translation: apertium" in e]
    assert len(machine) >= len(entries) - 2
    for entry in machine:
        assert "pivot" in entry  # en→es→fr through Spanish, said in the provenance


def test_words_the_engine_did_not_know_are_named_in_the_machine_comment(ran: Path) -> None:
    """Apertium leaves "trafficked" in English (and the pivot leaves Spanish "acrónimo" in
    French): the entry's comment says so, for the translator and for 'check'."""
    for lang, words in (("es", "trafficked"), ("fr", "trafficked, acrónimo")):
        entries = by_source(po_file(ran, lang, SEED))
        [entry] = [e for s, e in entries.items() if "persons are trafficked annually" in s]
        [comment] = [c for c in entry.comments if c.startswith("machine translation: apertium")]
        assert re.fullmatch(r"machine translation: apertium .*, \d{4}-\d\d-\d\d; unknown words: [^;]*", comment), comment
        assert all(w in comment for w in words.split(", "))
        clean = [e for s, e in entries.items() if s.startswith("The majority of these cases")]
        assert clean and not any("unknown words" in c for c in clean[0].comments)


# --- fallback chains -------------------------------------------------------------------------


class FlakyEngine(PseudoEngine):
    """A stand-in for an engine that fails: ``down`` raises on every batch (a server that is
    down); else each sentence holding ``refuse`` comes back with an error (a bad reply)."""

    name = "flaky"
    batch_by_release = True  # as the llm engine: one batch per release

    def __init__(self, refuse: str = "", down: bool = False) -> None:
        super().__init__()
        self.refuse, self.down, self.batches = refuse, down, 0

    def translate_detailed(self, texts: Sequence[str], source: str, target: str) -> list[MachineTranslation]:
        self.batches += 1
        if self.down:
            raise EngineError("flaky", "the server is down", "try again later")
        return [MachineTranslation("", "flaky", "flaky 1.0", error="refused") if self.refuse and self.refuse in t
                else MachineTranslation(pseudo_localise(t), "flaky", "flaky 1.0") for t in texts]


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> list[FlakyEngine]:
    """Registers the engine 'flaky'; ``flaky[0]`` is what the next get_engine("flaky") returns."""
    made = [FlakyEngine()]
    monkeypatch.setitem(engines_registry, "flaky", lambda: made[0])
    return made


def comments_by_source(project: Path) -> dict[str, str]:
    return {s: " ".join(c for c in e.comments if c.startswith("machine translation: "))
            for s, e in by_source(po_file(project, "es", SEED)).items()}


def test_what_the_first_engine_refuses_goes_to_the_next(
    flaky: list[FlakyEngine], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flaky[0] = FlakyEngine(refuse="assisted along the southern")
    project = copy_project(tmp_path)
    assert main(["extract", "--project", str(project)]) == main(["update", "-l", "es", "--project", str(project)]) == 0
    report = run_json(capsys, "translate", "--json", "-l", "es", "--engine", "flaky,pseudo", "--project", str(project))["es"]
    comments = comments_by_source(project)
    assert report["failed"] == 0 and report["by_engine"] == {"flaky": report["engine"] - 1, "pseudo": 1}, report
    assert comments[SEED_A].startswith("machine translation: pseudo, ")
    assert all(c.startswith("machine translation: flaky 1.0, ") for s, c in comments.items() if c and s != SEED_A)
    assert report["engine_requests"] == 2 and report["segments_sent"] == report["engine"] + 1
    # Nothing left to do: what the fallback engine wrote is kept, not sent to the first again.
    again = run_json(capsys, "translate", "--json", "-l", "es", "--engine", "flaky,pseudo", "--project", str(project))
    assert again["es"]["engine_requests"] == 0 and comments_by_source(project) == comments
    assert main(["translate", "-l", "es", "--engine", "flaky,pseudo", "--project", str(project)]) == 0


def test_an_engine_that_is_down_is_not_asked_again_in_the_run(
    flaky: list[FlakyEngine], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flaky[0] = FlakyEngine(down=True)
    project = copy_project(tmp_path)
    (project / "content" / "second.md").write_text(SECOND, "utf-8")
    (project / "pipeline.yaml").write_text(
        (project / "pipeline.yaml").read_text("utf-8").replace("  default: apertium\n",
                                                               "  default: apertium\n  es: [flaky, pseudo]\n"), "utf-8")
    assert main(["extract", "--project", str(project)]) == main(["update", "-l", "es", "--project", str(project)]) == 0
    capsys.readouterr()
    assert main(["translate", "-l", "es", "--project", str(project)]) == 0
    summary = capsys.readouterr().out
    assert re.fullmatch(r"es: 1 from memory, 0 fuzzy from memory, 0 from cache, \d+ by pseudo \(2 engine requests\), "
                        r"0 failed\n", summary), summary
    assert flaky[0].batches == 1, "one release per batch; down on the first, not asked for the second"
    for release in (SEED, "second"):
        entries = by_source(po_file(project, "es", release))
        assert all(e.msgstr and any(c.startswith("machine translation: pseudo, ") for c in e.comments)
                   for e in entries.values() if not any(c.startswith("translation memory") for c in e.comments))
    # Without a fallback, the failure is the run's error.
    fresh = copy_project(tmp_path / "fresh")
    assert main(["extract", "--project", str(fresh)]) == main(["update", "-l", "es", "--project", str(fresh)]) == 0
    capsys.readouterr()
    assert main(["translate", "-l", "es", "--engine", "flaky", "--project", str(fresh)]) == 1
    assert "error: flaky: the server is down; try again later" in capsys.readouterr().err


def test_a_segment_no_engine_translates_fails_and_is_tried_again_next_run(
    flaky: list[FlakyEngine], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flaky[0] = FlakyEngine(refuse="assisted along the southern")
    project = copy_project(tmp_path)
    assert main(["extract", "--project", str(project)]) == main(["update", "-l", "es", "--project", str(project)]) == 0
    capsys.readouterr()
    assert main(["translate", "--json", "-l", "es", "--engine", "flaky", "--project", str(project)]) == 1
    assert json.loads(capsys.readouterr().out)["es"]["failed"] == 1
    entry = by_source(po_file(project, "es", SEED))[SEED_A]
    assert entry.msgstr == "" and "fuzzy" not in entry.flags
    flaky[0] = FlakyEngine()
    again = run_json(capsys, "translate", "--json", "-l", "es", "--engine", "flaky", "--project", str(project))
    assert again["es"]["segments_sent"] == 1 and again["es"]["failed"] == 0, again
    assert by_source(po_file(project, "es", SEED))[SEED_A].msgstr


# --- faults: what the engine finished is kept ------------------------------------------------------


class _FailingEngine:
    """Translates (upper-cases) until its ``fail_at``-th request, which crashes as a dying engine
    process does; counts what it received."""

    name = "flaky"

    def __init__(self, fail_at: int | None) -> None:
        self.fail_at = fail_at
        self.requests = 0
        self.received: list[str] = []

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        self.requests += 1
        if self.requests == self.fail_at:
            raise EngineError("flaky", "the engine process died mid-batch", "run again")
        self.received += texts
        return [text.upper() for text in texts]

    def describe(self, source: str, target: str) -> str:
        return "flaky"

    def supports(self, source: str, target: str) -> bool:
        return True

    def close(self) -> None:
        pass

    def __enter__(self) -> _FailingEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def test_an_engine_that_dies_mid_run_keeps_every_finished_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    translate_module = importlib.import_module("i18n_pipeline.translate")  # the package exports a function of that name
    monkeypatch.setattr(translate_module, "FIRST_REQUEST", 3)  # requests of three: several per run
    monkeypatch.setattr(translate_module, "_next_request_size", lambda segments, seconds: 3)
    sentences = [f"Shelter number {i} opened in the north." for i in range(10)]

    def catalogs() -> dict[str, Catalog]:
        entries = [TemplateEntry(source=s, context=None, references=(f"news:p-{i}",), notes=()) for i, s in enumerate(sentences)]
        return {"news": update_catalog(None, new_template(entries, project="t"), language="es", project="t")}

    with Memory(tmp_path / "memory.sqlite") as memory:
        first = _FailingEngine(fail_at=3)
        with pytest.raises(EngineError, match="died mid-batch"):
            fill_catalogs(catalogs(), source_language="en", target_language="es", engines=("flaky",),
                          open_engine=lambda name: first, memory=memory)
        kept = memory.cached("flaky", "en", "es", sentences)
        assert len(first.received) == 6 and set(kept) == set(first.received)  # two requests done, both kept
        second = _FailingEngine(fail_at=None)
        filled = catalogs()
        report = fill_catalogs(filled, source_language="en", target_language="es", engines=("flaky",),
                               open_engine=lambda name: second, memory=memory)
    # The rerun pays the engine only for what the dead run had not finished, and ends complete.
    assert sorted(second.received) == sorted(set(sentences) - set(kept))
    assert report.counts["cache"] == 6 and report.counts["engine"] == 4
    assert [e.target for e in filled["news"].entries()] == [s.upper() for s in sentences]


# --- overlap: the engine works on the next request while Python finishes the last -----------------


class _CountingEngine(_FailingEngine):
    """Upper-cases; sets ``second_started`` when its second request begins."""

    def __init__(self) -> None:
        super().__init__(fail_at=None)
        self.second_started = threading.Event()

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        if self.requests == 1:
            self.second_started.set()
        return super().translate_batch(texts, source, target)


def test_the_engine_translates_the_next_request_while_the_last_one_is_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    translate_module = importlib.import_module("i18n_pipeline.translate")
    monkeypatch.setattr(translate_module, "FIRST_REQUEST", 3)
    monkeypatch.setattr(translate_module, "_next_request_size", lambda segments, seconds: 3)
    sentences = [f"Shelter number {i} opened in the north." for i in range(10)]
    entries = [TemplateEntry(source=s, context=None, references=(f"news:p-{i}",), notes=()) for i, s in enumerate(sentences)]
    filled = {"news": update_catalog(None, new_template(entries, project="t"), language="es", project="t")}
    engine = _CountingEngine()
    overlapped: list[bool] = []

    def progress(language: str, done: int, total: int) -> None:
        # Called once request 1's outputs are stored: request 2 must already be in the engine.
        # (Done one after the other, request 2 would start only after this returns: a timeout.)
        if not overlapped:
            overlapped.append(engine.second_started.wait(timeout=60))

    report = fill_catalogs(filled, source_language="en", target_language="es", engines=("flaky",),
                           open_engine=lambda name: engine, progress=progress)
    assert overlapped == [True]
    assert engine.requests == report.requests == 4 and sorted(engine.received) == sorted(sentences)
    assert [e.target for e in filled["news"].entries()] == [s.upper() for s in sentences]


class _WaitingEngine(_FailingEngine):
    """Upper-cases; its second request waits (up to a minute) for ``release_written``."""

    def __init__(self) -> None:
        super().__init__(fail_at=None)
        self.release_written = threading.Event()
        self.waited: list[bool] = []

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        if self.requests == 1:
            self.waited.append(self.release_written.wait(timeout=60))
        return super().translate_batch(texts, source, target)


def test_a_release_is_written_as_soon_as_its_last_sentence_comes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    translate_module = importlib.import_module("i18n_pipeline.translate")
    monkeypatch.setattr(translate_module, "FIRST_REQUEST", 3)
    monkeypatch.setattr(translate_module, "_next_request_size", lambda segments, seconds: 3)
    texts = {name: [f"Shelter {i} of {name} opened in the north." for i in range(3)] for name in ("east", "west")}

    def read(release: str) -> Catalog:
        entries = [TemplateEntry(source=s, context=None, references=(f"{release}:p-{i}",), notes=())
                   for i, s in enumerate(texts[release])]
        return update_catalog(None, new_template(entries, project="t"), language="es", project="t")

    engine = _WaitingEngine()
    written: dict[str, list[str]] = {}

    def write(release: str, cat: Catalog) -> None:
        written[release] = [e.target for e in cat.entries()]
        engine.release_written.set()

    translate_module.fill_in_chunks(["east", "west"], read, write, chunk=200, target_language="es",
                                    source_language="en", engines=("flaky",), open_engine=lambda name: engine)
    # 'east' (request 1) was written while the engine worked on 'west' (request 2).
    assert engine.waited == [True]
    assert written == {name: [s.upper() for s in sentences] for name, sentences in texts.items()}


def test_tags_apertium_moved_are_put_back_and_counted_on_the_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # Apertium makes "There is" one word ("Hay"), and the link around "is" comes back empty,
    # before the sentence: the link is put back around a word. For the people who run the
    # pipeline that is a count on the summary line, not a warning per sentence; -v shows them.
    project = copy_project(tmp_path)
    (project / "content" / "tags.md").write_text("# Shortage\n\nThere [is](https://example.org/a) a shortage.\n", "utf-8")
    caplog.set_level("INFO", logger="i18n_pipeline.engines")
    assert main(["run", "-l", "es", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("es: "))
    assert "(1 engine request; 1 output with tags put back)" in line, line
    assert not [r for r in caplog.records if r.levelname == "WARNING"], caplog.text
    assert [r.getMessage() for r in caplog.records if "moved placeholders" in r.getMessage()], caplog.text
    po = project / "locales" / "es" / "LC_MESSAGES" / "tags.po"
    msgfmt_check([po])
    text = po.read_text("utf-8")
    msgstr = re.search(r'msgid "There <1>is</1> a shortage."\nmsgstr "(.*)"', text)
    assert msgstr is not None, text
    assert msgstr.group(1) == msgstr.group(1).strip() and "<1>" in msgstr.group(1), msgstr.group(1)
