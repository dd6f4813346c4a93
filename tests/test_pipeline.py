"""The stages over a project tree (i18n_pipeline.pipeline): what ``run`` leaves on disk, status,
the translation memory files, a translator's edits and saves, and the errors of a project that
is not as it should be.

End-to-end tests go through ``main([...])`` on a copy of the bundled project after one real run
(the ``project`` fixture), with real Apertium and GNU gettext.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from i18n_pipeline import pipeline
from i18n_pipeline.catalog import template_entries, update_catalog
from i18n_pipeline.cli import main
from i18n_pipeline.config import Settings, load_settings
from i18n_pipeline.engines.apertium_pipeline import StagePipeline
from i18n_pipeline.errors import DocumentError, PipelineError
from i18n_pipeline.formats import ParseOptions, parse_document
from i18n_pipeline.pipeline import translating
from i18n_pipeline.pofile import read_po
from i18n_pipeline.translate import fill_catalogs
from tests.big_project import Reference, compare_results, results
from tests.project import (
    MARKER,
    SEED,
    approve_first_entry,
    copy_project,
    es_po,
    msgfmt_check,
    release_name,
    run_json,
    snapshot,
    translator_saves,
)

# --- run ------------------------------------------------------------------------------------


def test_releases_filled_a_few_at_a_time_give_the_same_files(
    reference: Reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """translate reads, fills and writes TRANSLATE_CHUNK releases at a time (a bounded working
    set): every file is as a run that filled them all at once left it (real Apertium)."""
    project = tmp_path / "p"
    shutil.copytree(reference.inputs, project)
    sizes: list[int] = []
    translate_module = importlib.import_module("i18n_pipeline.translate")  # the package's name is the stage
    fill = translate_module.fill_catalogs

    def counted(catalogs: Any, **options: Any) -> Any:
        sizes.append(len(catalogs))
        return fill(catalogs, **options)

    monkeypatch.setattr(translate_module, "fill_catalogs", counted)
    monkeypatch.setattr(translating, "TRANSLATE_CHUNK", 4)
    assert main(["run", "--project", str(project)]) == 0
    assert sizes == [4, 4, 4, 4, 4, 1] * 2  # 21 releases, Spanish then French
    assert compare_results(results(project), results(reference.full)) == []


def test_run_writes_templates_po_and_builds(project: Path) -> None:
    name = release_name(project)
    assert (project / "locales" / "templates" / f"{name}.pot").is_file()
    for lang in ("es", "fr"):
        assert (project / "locales" / lang / "LC_MESSAGES" / f"{name}.po").is_file()
        assert (project / "build" / lang / f"{name}.md").is_file()
        assert (project / "build" / lang / f"{name}.html").is_file()


def test_every_po_passes_msgfmt_and_msgcat(project: Path) -> None:
    files = sorted((project / "locales").rglob("*.po")) + sorted((project / "locales").rglob("*.pot"))
    assert len(files) >= 3
    for path in files:
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
        catted = subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout
        assert catted == path.read_bytes(), f"{path} is not formatted as GNU gettext formats it"


def test_status_reports_every_segment_as_machine(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "status", "--json", "--project", str(project))
    assert isinstance(data, dict)
    name = release_name(project)
    for lang in ("es", "fr"):
        counts = data[lang]["releases"][name]["segments"]
        assert set(counts) == {"reviewed", "machine", "needs_update", "untranslated"}
        assert counts["machine"] > 10
        assert counts["reviewed"] == counts["needs_update"] == counts["untranslated"] == 0


# --- a translator's work -------------------------------------------------------------------


def test_translator_edit_survives_and_is_used(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = release_name(project)
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{name}.po"
    # Normalise to gettext formatting after the hand edit, as Poedit would.
    msgid = approve_first_entry(po, "Traducción revisada por una persona.")
    subprocess.run(["msgcat", "-o", str(po), str(po)], check=True)
    edited = po.read_bytes()
    assert main(["run", "--project", str(project)]) == 0
    assert b'msgstr "Traducci\xc3\xb3n revisada por una persona."' in po.read_bytes()
    data = run_json(capsys, "status", "--json", "--project", str(project), "-l", "es")
    assert isinstance(data, dict)
    assert data["es"]["releases"][name]["segments"]["reviewed"] == 1
    assert main(["build", "--project", str(project), "-l", "es"]) == 0
    md = (project / "build" / "es" / f"{name}.md").read_text("utf-8")
    assert "Traducción revisada por una persona." in md
    assert "traducción automática" not in md.lower()  # reviewed-only build has no machine text
    assert msgid
    assert po.read_bytes() == edited or b"Traducci\xc3\xb3n revisada" in po.read_bytes()


@pytest.fixture
def small(project: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The run project with one new sentence in the seed release."""
    dst = project
    # A new sentence, so update and translate both have real work in the next run.
    source = dst / "content" / f"{SEED}.md"
    source.write_text(source.read_text("utf-8") + "\nIOM thanks its partners in Mexico for their support.\n", "utf-8")
    capsys.readouterr()
    return dst


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
    real = fill_catalogs  # what pipeline.translate calls (through translate.fill_in_chunks)
    saved: list[bytes] = []

    def fill_then_translator_saves(catalogs: Any, **kwargs: Any) -> Any:
        # The translator saves the file after it was read, right before translate writes it
        # (a release is written as soon as its last sentence comes back from the engine).
        write = kwargs["settled"]

        def save_then_write(release: str) -> None:
            if kwargs["target_language"] == "es" and not saved:
                saved.append(translator_saves(es_po(small)))
            write(release)

        return real(catalogs, **{**kwargs, "settled": save_then_write})

    monkeypatch.setattr(importlib.import_module("i18n_pipeline.translate"), "fill_catalogs", fill_then_translator_saves)
    code = main(["run", "--project", str(small)])
    monkeypatch.undo()
    assert saved
    assert_refused_then_merged(small, saved[0], code, capsys)


def test_translator_save_during_update_is_not_overwritten(
    small: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = update_catalog  # what i18n_pipeline.pipeline.catalogs calls
    saved: list[bytes] = []

    def merge_then_translator_saves(old: Any, template: Any, **kwargs: Any) -> Any:
        result = real(old, template, **kwargs)
        if old is not None and Path(old.path).resolve() == es_po(small).resolve():
            saved.append(translator_saves(es_po(small)))
        return result

    monkeypatch.setattr("i18n_pipeline.pipeline.catalogs.update_catalog", merge_then_translator_saves)
    code = main(["run", "--project", str(small)])
    monkeypatch.undo()
    assert saved
    assert_refused_then_merged(small, saved[0], code, capsys)


# --- translation memory files --------------------------------------------------------------


def test_tm_import_keeps_the_file_and_export_writes_tmx(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "out.tmx"
    assert main(["tm", "export", str(exported), "--project", str(project)]) == 0
    assert b"<tmx" in exported.read_bytes() and b'version="1.4"' in exported.read_bytes()
    assert main(["tm", "import", str(exported), "--project", str(project)]) == 0
    assert (project / "locales" / "memory" / "out.tmx").read_bytes() == exported.read_bytes()
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx version='1.4'><body><tu>", "utf-8")
    capsys.readouterr()
    assert main(["tm", "import", str(broken), "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "broken.tmx" in err and "Traceback" not in err
    assert not (project / "locales" / "memory" / "broken.tmx").exists()


# --- extraction -------------------------------------------------------------------------------


def test_template_entries_merge_repeated_sentences_and_name_every_place(tmp_path: Path) -> None:
    doc = parse_document(
        "# Same sentence.\n\nSame sentence. Read [the report](https://example.org/r).\n", "news.md", ParseOptions()
    )
    blocks = [s.block for s in doc.segments if s.text == "Same sentence."]
    assert len(blocks) == 2 and blocks[0] != blocks[1]
    entries = template_entries(doc)
    assert [e.source for e in entries] == ["Same sentence.", "Read <1>the report</1>."]
    same, link = entries
    assert same.references == tuple(f"news:{b}" for b in blocks)  # the release and the block, no line
    assert same.notes == ("heading", "paragraph")
    assert link.notes == ("paragraph", "<1> </1> = link to https://example.org/r")


def test_extract_writes_one_template_per_release_and_status_counts_it(tmp_path: Path) -> None:
    settings = load_settings(copy_project(tmp_path))
    result = pipeline.extract(settings)
    releases = pipeline.release_paths(settings)
    assert result.written == [pipeline.template_path(settings, p.stem) for p in releases]
    assert pipeline.extract(settings).unchanged == result.written  # nothing changed: nothing written
    # Before 'update', status counts the template: every segment untranslated, no problem.
    rows = pipeline.status(settings)
    assert [(r.language, r.release) for r in rows] == [(lang, p.stem) for lang in ("es", "fr") for p in releases]
    for row in rows:
        assert row.stats.segments["untranslated"] == row.stats.total_segments > 10
        assert row.problems == []


# --- a project that is not as it should be -----------------------------------------------------


def bare_settings(root: Path) -> Settings:
    return Settings(root=root, target_languages=("es",))


def test_releases_are_the_content_files_of_known_formats_by_name(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for name in ("b.md", "a.html", "c.txt", "notes.docx", "README"):
        (content / name).write_text("Text.\n", "utf-8")
    (content / "folder.md").mkdir()  # a folder named like a release is not one
    assert [p.name for p in pipeline.release_paths(bare_settings(tmp_path))] == ["a.html", "b.md", "c.txt"]


def test_a_project_without_releases_says_where_to_put_them(tmp_path: Path) -> None:
    settings = bare_settings(tmp_path)
    with pytest.raises(PipelineError, match="no content folder") as caught:
        pipeline.release_paths(settings)
    assert "content/<name>.md" in caught.value.fix
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "notes.docx").write_bytes(b"PK")
    with pytest.raises(PipelineError, match="no releases here") as caught:
        pipeline.release_paths(settings)
    assert caught.value.where == str(tmp_path / "content")


def test_two_releases_with_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    for name in ("news.md", "news.html"):
        (tmp_path / "content" / name).write_text("Text.\n", "utf-8")
    with pytest.raises(PipelineError, match="two releases named 'news'"):
        pipeline.release_paths(bare_settings(tmp_path))


def test_a_release_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "content" / "news.md"
    path.parent.mkdir()
    path.write_bytes(b"# News\n\nCaf\xe9 opens.\n")
    with pytest.raises(DocumentError, match="not UTF-8") as caught:
        pipeline.load_document(bare_settings(tmp_path), path)
    assert caught.value.where == f"{path}:3"
    assert "ingest" in caught.value.fix


def test_a_language_that_is_not_a_target_is_refused_before_any_work(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    settings = load_settings(project)
    with pytest.raises(PipelineError) as caught:
        pipeline.update(settings, ["de"])
    assert "'de'" in str(caught.value) and "es, fr" in caught.value.fix
    assert "--" not in str(caught.value)  # the library names no command-line flag
    assert not (project / "locales" / "de").exists()


def test_each_stage_says_which_one_to_run_first(tmp_path: Path) -> None:
    settings = load_settings(copy_project(tmp_path))
    with pytest.raises(PipelineError, match="no template") as caught:
        pipeline.update(settings)
    assert "extract" in caught.value.fix
    pipeline.extract(settings)
    with pytest.raises(PipelineError, match="no PO file") as caught:
        pipeline.translate(settings, engine_name="pseudo")
    assert "update" in caught.value.fix


def test_ingest_does_not_replace_a_release_edited_by_hand(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    source = tmp_path / "inbox.txt"
    source.write_text(
        "A Headline That Is Clearly A Title Here\nThe office opened a shelter in the north of the country this week.\n",
        "utf-8",
    )
    [(_, target, result)] = pipeline.ingest_sources(settings, [source])
    assert target == tmp_path / "content" / f"{result.slug}.md"
    assert target.read_text("utf-8") == result.markdown
    assert [t for _, t, _ in pipeline.ingest_sources(settings, [source])] == [target]  # same content: fine
    edited = result.markdown + "\nEdited by hand.\n"
    target.write_text(edited, "utf-8")
    with pytest.raises(DocumentError, match="already exists with other content"):
        list(pipeline.ingest_sources(settings, [source]))
    assert target.read_text("utf-8") == edited
    list(pipeline.ingest_sources(settings, [source], force=True))
    assert target.read_text("utf-8") == result.markdown


# --- translator context: the glossary in the #. notes --------------------------------------------


def test_update_names_the_glossary_terms_of_each_sentence_for_its_language(project: Path) -> None:
    """``#.`` notes come from the template (language-neutral) plus, per language, each glossary
    term of the sentence with its approved translation and each name kept as it is; a second
    update changes nothing; a glossary change reaches the notes on the next update."""
    entries = {e.source: e for e in read_po(es_po(project)).entries()}
    [entry] = [e for s, e in entries.items() if s.startswith("IOM has worked in Mexico")]
    assert entry.notes == (
        "paragraph",
        "glossary: IOM = OIM",
        "glossary: human trafficking = trata de personas",
        "glossary: victims of human trafficking = víctimas de trata de personas",
    )
    [place] = [e for s, e in entries.items() if s.startswith("The locations of highest incidence")]
    names = "do not translate: Chiapas, Tabasco, Chihuahua, Baja California, Acapulco"
    assert place.notes[1:] == ("glossary: Cancun = Cancún", names)
    [url] = [e for s, e in entries.items() if s.startswith("The publication will be available")]
    assert url.notes[1].startswith("<1/> = ") and "http" in url.notes[1]  # what the placeholder stands for
    french = {e.source: e for e in read_po(project / "locales" / "fr" / "LC_MESSAGES" / f"{SEED}.po").entries()}
    assert "glossary: human trafficking = traite des êtres humains" in french[entry.source].notes
    assert "#. glossary:" not in (project / "locales" / "templates" / f"{SEED}.pot").read_text("utf-8")

    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    assert main(["update", "--project", str(project)]) == 0
    assert {p: p.read_bytes() for p in before} == before  # idempotent

    glossary = project / "locales" / "glossary.yaml"
    changed = glossary.read_text("utf-8").replace("es: trata de personas\n", "es: trata de seres humanos\n", 1)
    glossary.write_text(changed, "utf-8")
    assert main(["update", "--project", str(project), "-l", "es"]) == 0
    again = {e.source: e for e in read_po(es_po(project)).entries()}
    assert "glossary: human trafficking = trata de seres humanos" in again[entry.source].notes


# --- the file's own wrapping ------------------------------------------------------------------


@pytest.mark.parametrize("option", [["-w", "77"], ["--no-wrap"]], ids=["weblate-77", "no-wrap"])
def test_a_file_rewrapped_by_msgcat_keeps_its_wrapping(project: Path, option: list[str]) -> None:
    po = es_po(project)
    subprocess.run(["msgcat", *option, str(po), "-o", str(po)], check=True)
    before = snapshot(project / "locales")
    assert main(["run", "--project", str(project)]) == 0
    assert snapshot(project / "locales") == before, "a run that changes no entry rewrote a file"

    release = project / "content" / f"{SEED}.md"
    added = "A new sentence about the journeys of migrants across the whole continent was added to the release today."
    text = release.read_text("utf-8")
    release.write_text(text.replace("\nThe publication will be", f"\n{added} The publication will be"), "utf-8")
    assert main(["run", "--project", str(project)]) == 0
    entry = read_po(po).get(added)
    assert entry is not None and entry.machine and entry.target, "the new sentence was machine-translated"
    rewrapped = subprocess.run(["msgcat", *option, str(po)], check=True, capture_output=True).stdout
    assert rewrapped == po.read_bytes(), f"msgcat {' '.join(option)} would change the file: the new entry is wrapped otherwise"


def test_po_wrap_in_pipeline_yaml_reformats_every_file(project: Path) -> None:
    po = es_po(project)
    subprocess.run(["msgcat", "-w", "77", str(po), "-o", str(po)], check=True)
    with (project / "pipeline.yaml").open("a", encoding="utf-8") as settings:
        settings.write("po:\n  wrap: none\n")
    assert main(["run", "--project", str(project)]) == 0
    for path in (project / "locales").rglob("*.po*"):
        assert subprocess.run(["msgcat", "--no-wrap", str(path)], check=True, capture_output=True).stdout == path.read_bytes()
    assert max(len(line) for line in po.read_text("utf-8").splitlines()) > 79


def _engine_starts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(thread, what) as Apertium pipelines start and the memory is read, in order."""
    events: list[tuple[str, str]] = []
    real_start, real_open_memory = StagePipeline.start, translating.open_memory

    def start(self: StagePipeline) -> None:
        events.append((threading.current_thread().name, f"start {self.mode.name}"))
        real_start(self)

    @contextmanager
    def open_memory(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real_open_memory(*args, **kwargs) as memory:
            events.append((threading.current_thread().name, "memory read"))
            yield memory

    monkeypatch.setattr(StagePipeline, "start", start)
    monkeypatch.setattr(translating, "open_memory", open_memory)
    return events


def test_run_starts_the_engine_while_the_memory_is_read_when_update_wrote_po_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path / "p")
    for po in (project / "locales").rglob("*.po"):
        po.unlink()  # a new release: update writes its PO files, the engine will be needed
    events = _engine_starts(monkeypatch)
    assert main(["run", "-l", "es", "--project", str(project)]) == 0
    starts = [thread for thread, what in events if what.startswith("start")]
    assert starts == ["engine-start-es"], "one pipeline, started by the early thread, not by the first request"
    assert events.index(("engine-start-es", "start eng-spa")) < events.index(("MainThread", "memory read"))
    assert read_po(es_po(project)).machine(), "and it translated"


def test_run_starts_no_engine_early_when_update_wrote_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A translator's save: translate reads the catalogs, but update wrote nothing and the engine
    # has nothing to do: no Apertium process is started.
    project = copy_project(tmp_path / "p")
    assert main(["run", "-l", "es", "--project", str(project)]) == 0
    po = es_po(project)
    po.write_text(po.read_text("utf-8").replace("#, fuzzy\n", "", 1), "utf-8")
    events = _engine_starts(monkeypatch)
    assert main(["run", "-l", "es", "--project", str(project)]) == 0
    assert ("MainThread", "memory read") in events
    assert not [what for _, what in events if what.startswith("start")]


def _fsynced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the files fsynced from now on, in order."""
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return synced


def test_translate_fsyncs_a_po_file_only_when_it_held_someones_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PO file as a first update wrote it (no translation, no obsolete entry, no translator's
    comment) is replaced without fsync: a crash costs a merge. One a translator commented on, or
    one holding translations, is replaced durably."""
    project = copy_project(tmp_path / "p")
    synced = _fsynced(monkeypatch)
    assert main(["extract", "--project", str(project)]) == 0
    assert main(["update", "--project", str(project)]) == 0
    es = es_po(project)

    def synced_in(lang: str) -> list[str]:  # the temporary files of PO files fsynced before their rename
        return [name for name in synced if Path(name).parent.parent.name == lang and Path(name).name.startswith(f".{es.name}.")]

    text = es.read_text("utf-8")
    first = text.index("\n#: ", text.index("msgid"))  # the first entry after the header
    es.write_text(text[: first + 1] + "# the press office spells it this way\n" + text[first + 1 :], "utf-8")
    synced.clear()
    assert main(["translate", "--engine", "pseudo", "--project", str(project)]) == 0
    assert synced_in("es"), "the commented file is replaced durably"
    assert not synced_in("fr"), "the untouched new file is not fsynced"
    release = project / "content" / f"{SEED}.md"
    release.write_text(release.read_text("utf-8").replace("victims", "survivors", 1), "utf-8")
    assert main(["extract", "--project", str(project)]) == 0
    assert main(["update", "--project", str(project)]) == 0
    synced.clear()
    assert main(["translate", "--engine", "pseudo", "--project", str(project)]) == 0
    assert synced_in("fr"), "a file holding translations is replaced durably"


def test_update_fsyncs_the_po_files_it_replaces_not_the_ones_it_creates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new PO file holds no one's work: atomic, not fsynced. A file that replaces one (a
    translator's, perhaps) is fsynced before its rename, as every such save is."""
    project = copy_project(tmp_path / "p")
    synced = _fsynced(monkeypatch)
    assert main(["extract", "--project", str(project)]) == 0
    assert main(["update", "--project", str(project)]) == 0
    assert not [name for name in synced if ".po." in name]  # the temporary files of new PO files
    po = es_po(project)
    release = project / "content" / f"{SEED}.md"
    release.write_text(release.read_text("utf-8").replace("victims", "survivors", 1), "utf-8")
    synced.clear()
    assert main(["extract", "--project", str(project)]) == 0
    assert main(["update", "--project", str(project)]) == 0
    assert any(Path(name).name.startswith(f".{po.name}.") for name in synced)
