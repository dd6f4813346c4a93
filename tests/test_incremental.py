"""Work that was already done is not redone (i18n_pipeline.incremental): the WorkLog on its own,
and the bundled project run again with nothing, one file or one setting changed."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from i18n_pipeline import pipeline, pofile
from i18n_pipeline.catalog import Catalog
from i18n_pipeline.cli import main
from i18n_pipeline.config import Settings
from i18n_pipeline.incremental import MANIFEST_NAME, WorkLog, code_digest, command_key, nothing_to_do
from i18n_pipeline.model import Document
from i18n_pipeline.pipeline import catalogs, publishing, translating
from tests.project import release_name, run_json, snapshot

# --- WorkLog ------------------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "news.md", tmp_path / "news.pot"]
    paths[0].write_text("# News\n", "utf-8")
    paths[1].write_text('msgid "News"\n', "utf-8")
    return paths


def test_work_is_done_once_recorded_and_until_a_file_changes(tmp_path: Path, files: list[Path]) -> None:
    log = WorkLog(tmp_path / "work.json", "salt")
    assert not log.done("extract:news", files)
    log.record("extract:news", files)
    assert log.done("extract:news", files)
    assert not log.done("extract:other", files)  # each unit of work has its own entry
    files[1].write_text('msgid "News!"\n', "utf-8")  # an output edited by hand counts too
    assert not log.done("extract:news", files)


def test_extra_inputs_and_the_list_of_files_are_part_of_the_work(tmp_path: Path, files: list[Path]) -> None:
    log = WorkLog(tmp_path / "work.json", "salt")
    log.record("translate:es", files, "apertium")
    assert log.done("translate:es", files, "apertium")
    assert not log.done("translate:es", files, "deepl")  # another engine: the work is redone
    assert not log.done("translate:es", files[:1], "apertium")
    assert not log.done("translate:es", files[::-1], "apertium")


def test_a_missing_file_is_not_an_empty_one(tmp_path: Path) -> None:
    log = WorkLog(tmp_path / "work.json", "salt")
    out = tmp_path / "build" / "news.html"
    log.record("build:es:news", [out])  # recorded while the output did not exist
    out.parent.mkdir()
    out.write_bytes(b"")
    assert not log.done("build:es:news", [out])
    out.unlink()
    assert log.done("build:es:news", [out])


def test_the_same_bytes_under_another_name_are_other_work(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("Same.\n", "utf-8")
    b.write_text("Same.\n", "utf-8")
    log = WorkLog(tmp_path / "work.json", "salt")
    assert log.digest([a]) != log.digest([b])


def test_a_digest_of_bytes_in_hand_is_the_digest_of_the_files_that_hold_them(tmp_path: Path) -> None:
    # extract's workers digest the release they read and the template they wrote without
    # reading either again: the next run's check reads the files, and must agree.
    a, b = tmp_path / "a.md", tmp_path / "sub" / "b.pot"
    b.parent.mkdir()
    a.write_bytes(b"Release.\n")
    b.write_bytes(b"msgid \"\"\n")
    log = WorkLog(tmp_path / "cache" / "work.json", "salt")
    assert log.digest_of([(a, b"Release.\n"), (b, b"msgid \"\"\n")], "x") == log.digest([a, b], "x")
    assert log.digest_of([(a, b"Release!\n"), (b, b"msgid \"\"\n")], "x") != log.digest([a, b], "x")


def test_the_log_is_saved_and_read_back_under_the_same_salt_only(tmp_path: Path, files: list[Path]) -> None:
    path = tmp_path / "cache" / "work.json"
    log = WorkLog(path, "salt")
    log.record("extract:news", files)
    log.save()
    assert json.loads(path.read_text("utf-8"))["salt"] == "salt"
    assert WorkLog(path, "salt").done("extract:news", files)
    # Another version of the code or other settings (another salt) trusts nothing.
    assert not WorkLog(path, "other salt").done("extract:news", files)
    # Saving what did not change does not touch the file (its mtime stays).
    stamp = path.stat().st_mtime_ns - 10_000_000_000
    os.utime(path, ns=(stamp, stamp))
    WorkLog(path, "salt").save()
    assert path.stat().st_mtime_ns == stamp


# A damaged log of any shape (a list, "done" not a mapping) only costs time, never a traceback.
@pytest.mark.parametrize(
    "content",
    [
        "",
        "{",
        "\x00\xff",
        '{"salt": "salt"}',
        "[]",
        '{"salt": "salt", "done": 3}',
    ],
)
def test_a_damaged_log_costs_time_not_a_failure(tmp_path: Path, files: list[Path], content: str) -> None:
    path = tmp_path / "work.json"
    path.write_text(content, "utf-8", errors="surrogateescape")
    log = WorkLog(path, "salt")
    assert not log.done("extract:news", files)
    log.record("extract:news", files)
    log.save()
    assert WorkLog(path, "salt").done("extract:news", files)


def test_the_code_digest_covers_the_package_source() -> None:
    digest = code_digest()
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert code_digest() == digest  # stable between calls: a run trusts its own work


# --- the bundled project, run again -----------------------------------------------------------


def test_second_run_sends_nothing_and_changes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project / "locales")
    assert main(["run", "--project", str(project)]) == 0
    assert snapshot(project / "locales") == before
    report = run_json(capsys, "translate", "--json", "--project", str(project))
    assert isinstance(report, dict)
    for lang in ("es", "fr"):
        assert report[lang]["engine_requests"] == 0
        assert report[lang]["engine"] == 0
        assert report[lang]["segments_sent"] == 0
    assert snapshot(project / "locales") == before


def test_work_is_redone_only_where_its_inputs_changed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = release_name(project)
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    assert "templates: 0 written" in capsys.readouterr().out
    # A removed output is rebuilt; the rest is left alone.
    (project / "build" / "fr" / f"{name}.html").unlink()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "build: 1 file written" in out and (project / "build" / "fr" / f"{name}.html").exists()
    # A changed sentence reaches the template, both PO files and the engine (once per language).
    source = project / "content" / f"{name}.md"
    source.write_text(source.read_text("utf-8").replace("among others.", "among other places."), "utf-8")
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "templates: 1 written" in out and "PO files: 2 written" in out
    assert out.count("1 by apertium (1 engine request)") == 2
    # Another setting redoes the work it affects (segmentation by paragraph: new msgids).
    settings = project / "pipeline.yaml"
    settings.write_text(settings.read_text("utf-8").replace("segmentation: sentence", "segmentation: paragraph"), "utf-8")
    assert main(["extract", "--project", str(project)]) == 0
    assert "templates: 1 written" in capsys.readouterr().out


# --- the manifest of the last complete run (nothing to do) -----------------------------------

RUN = command_key("run", None, None, [])


def test_a_complete_run_leaves_a_manifest_and_nothing_to_do(project: Path) -> None:
    assert main(["run", "--project", str(project)]) == 0
    assert (project / ".i18n-cache" / MANIFEST_NAME).is_file()
    assert nothing_to_do(project, RUN)
    # Another command line is another run: -l, --engine, --engine-option each count.
    assert not nothing_to_do(project, command_key("run", ["es"], None, []))
    assert not nothing_to_do(project, command_key("run", None, "pseudo", []))
    assert not nothing_to_do(project, command_key("run", None, None, ["apertium.x=1"]))


def _edit(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n")


# Every kind of file a run depends on: changed, added or removed, it means work.
@pytest.mark.parametrize(
    "change",
    [
        lambda p: _edit(p / "pipeline.yaml"),
        lambda p: _edit(next((p / "content").glob("*.md"))),
        lambda p: (p / "content" / "new.md").write_text("# New\n", "utf-8"),
        lambda p: _edit(p / "locales" / "glossary.yaml"),
        lambda p: _edit(next((p / "locales" / "es" / "LC_MESSAGES").glob("*.po"))),
        lambda p: next((p / "locales" / "templates").glob("*.pot")).unlink(),
        lambda p: next((p / "build" / "fr").glob("*.html")).unlink(),
        lambda p: (p / "locales" / "memory").mkdir() or (p / "locales" / "memory" / "x.tmx").write_text("<tmx/>", "utf-8"),
    ],
    ids=["settings", "release", "new release", "glossary", "PO file", "template", "build output", "memory"],
)
def test_any_changed_added_or_removed_file_is_something_to_do(project: Path, change: Callable[[Path], object]) -> None:
    assert main(["run", "--project", str(project)]) == 0
    change(project)
    assert not nothing_to_do(project, RUN)


def test_a_moved_mtime_with_the_same_bytes_is_nothing_to_do_and_is_not_hashed_again(project: Path) -> None:
    assert main(["run", "--project", str(project)]) == 0
    manifest = project / ".i18n-cache" / MANIFEST_NAME
    release = next((project / "content").glob("*.md"))
    name = str(release.relative_to(project))
    old = time.time_ns() - 3_600_000_000_000
    os.utime(release, ns=(old, old))  # as a git checkout or a copy leaves it
    assert nothing_to_do(project, RUN)
    assert json.loads(manifest.read_bytes())["files"][name][1] == old  # brought up to date
    stamp = manifest.stat().st_mtime_ns
    assert nothing_to_do(project, RUN)
    assert manifest.stat().st_mtime_ns == stamp  # nothing hashed, nothing written


def test_a_change_within_the_same_mtime_tick_is_seen(project: Path) -> None:
    """Same size, same mtime, other bytes, right after the manifest was taken (git's "racy"
    case): the mtime cannot vouch for the content, so the file is hashed."""
    po = next((project / "locales" / "es" / "LC_MESSAGES").glob("*.po"))
    os.utime(po)  # saved just before the run: within the manifest's "racy" window
    assert main(["run", "--project", str(project)]) == 0
    st = po.stat()
    data = po.read_bytes()
    po.write_bytes(data.replace(b"msgstr", b"msgSTR", 1))
    os.utime(po, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not nothing_to_do(project, RUN)


def test_a_run_that_fails_leaves_nothing_to_trust(project: Path) -> None:
    assert main(["run", "--project", str(project)]) == 0
    (project / "content" / "broken.md").write_bytes(b"# \xff\n")
    assert main(["run", "--project", str(project)]) == 1
    assert not nothing_to_do(project, RUN)
    (project / "content" / "broken.md").unlink()
    assert nothing_to_do(project, RUN)  # as the last complete run left it: nothing was written


def test_a_run_that_withholds_a_release_forgets_the_manifest(project: Path) -> None:
    assert main(["run", "--project", str(project)]) == 0
    settings = project / "pipeline.yaml"
    text = settings.read_text("utf-8").replace("run_includes_machine: true", "run_includes_machine: false")
    settings.write_text(text.replace("# min_reviewed: 0.9", "min_reviewed: 0.9"), "utf-8")
    assert main(["run", "--project", str(project)]) == 1  # withheld: too little reviewed
    assert not (project / ".i18n-cache" / MANIFEST_NAME).exists()


@pytest.mark.parametrize("content", ["", "{", "[]", '{"version": 1, "command": "x"}', '{"version": 1, "files": 3}'])
def test_a_damaged_manifest_means_a_full_run(project: Path, content: str) -> None:
    assert main(["run", "--project", str(project)]) == 0
    (project / ".i18n-cache" / MANIFEST_NAME).write_text(content, "utf-8")
    assert not nothing_to_do(project, RUN)


def test_an_engine_setting_redoes_translate_only(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[Path] = []
    read: list[Path] = []
    load_document, read_po = pipeline.load_document, pofile.read_po

    def counted_load(settings: Settings, path: Path) -> Document:
        parsed.append(path)
        return load_document(settings, path)

    def counted_read(path: Path) -> Catalog:
        read.append(path)
        return read_po(path)

    monkeypatch.setattr(publishing, "load_document", counted_load)
    for stage in (catalogs, translating):
        monkeypatch.setattr(stage, "read_po", counted_read)
    settings = project / "pipeline.yaml"
    settings.write_text(settings.read_text("utf-8").replace("fuzzy_threshold: 0.75", "fuzzy_threshold: 0.8"), "utf-8")
    assert main(["run", "--project", str(project)]) == 0
    assert parsed == []  # neither extract nor build parsed a release
    assert read and all(p.suffix == ".po" for p in read)  # translate read the PO files; update read no template
