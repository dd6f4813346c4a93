"""Work that was already done is not redone (i18n_pipeline.incremental): the WorkLog on its own,
and the bundled project run again with nothing, one file or one setting changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from i18n_pipeline.cli import main
from i18n_pipeline.incremental import WorkLog, code_digest
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
    assert out.count("1 by apertium (1 engine requests)") == 2
    # Another setting redoes the work it affects (segmentation by paragraph: new msgids).
    settings = project / "pipeline.yaml"
    settings.write_text(settings.read_text("utf-8").replace("segmentation: sentence", "segmentation: paragraph"), "utf-8")
    assert main(["extract", "--project", str(project)]) == 0
    assert "templates: 1 written" in capsys.readouterr().out
