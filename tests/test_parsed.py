"""Releases read into Documents, and kept between processes (i18n_pipeline.parsed)."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from i18n_pipeline.cli import main
from i18n_pipeline.config import load_settings
from i18n_pipeline.errors import DocumentError
from i18n_pipeline.model import Document
from i18n_pipeline.parsed import document_key, keep_document, kept_document, kept_form, load_document, read_release


def _same(a: Document, b: Document) -> bool:
    return a == b and a.metadata == b.metadata  # metadata is not part of ==


@pytest.fixture
def release(project: Path) -> Path:
    shutil.rmtree(project / ".i18n-cache" / "documents", ignore_errors=True)
    return next((project / "content").glob("*.md"))


def _keep(project: Path, release: Path) -> Document:
    document, key, _ = read_release(load_settings(project), release)
    assert key is not None
    keep_document(project / ".i18n-cache", release.stem, kept_form(key, document))
    return document


def test_a_kept_document_is_the_parsed_one(project: Path, release: Path) -> None:
    settings = load_settings(project)
    parsed = _keep(project, release)
    kept = project / ".i18n-cache" / "documents" / f"{release.stem}.pickle"
    assert kept.is_file()
    again, key, _ = read_release(settings, release)
    assert _same(again, parsed) and again is not parsed and key is None
    assert parsed.metadata  # front matter (dates included) survives the round trip


def test_other_bytes_or_other_options_are_parsed_again(project: Path, release: Path) -> None:
    settings = load_settings(project)
    first = _keep(project, release)
    release.write_text(release.read_text("utf-8").replace("among others.", "among other places."), "utf-8")
    changed = load_document(settings, release)
    assert not _same(changed, first) and any("among other places" in s.text for s in changed.segments)
    by_paragraph = load_document(replace(settings, segmentation="paragraph"), release)
    assert len(by_paragraph.segments) < len(changed.segments)


def test_bad_bytes_are_refused_though_a_document_was_kept_for_a_name(project: Path, release: Path) -> None:
    settings = load_settings(project)
    _keep(project, release)
    release.write_bytes(release.read_bytes() + b"\xff")
    with pytest.raises(DocumentError, match="not UTF-8"):
        load_document(settings, release)


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


def test_a_planted_file_runs_no_code_and_is_a_miss(project: Path, release: Path, tmp_path: Path) -> None:
    settings = load_settings(project)
    parsed = _keep(project, release)
    kept = project / ".i18n-cache" / "documents" / f"{release.stem}.pickle"
    key = kept.read_bytes()[:64]
    marker = tmp_path / "ran"
    kept.write_bytes(key + pickle.dumps(_Planted(marker)))
    assert kept_document(project / ".i18n-cache", release.stem, key.decode()) is None
    assert not marker.exists()
    assert _same(load_document(settings, release), parsed)  # parsed again
    for damaged in (b"", key, key + b"\x80\x05junk", b"x" * 64 + kept.read_bytes()[64:]):
        kept.write_bytes(damaged)
        assert kept_document(project / ".i18n-cache", release.stem, key.decode()) is None


def test_the_key_covers_bytes_name_and_options() -> None:
    key = document_key(b"# A\n", "content/a.md", "markdown x")
    assert len({key, document_key(b"# B\n", "content/a.md", "markdown x"), document_key(b"# A\n", "content/b.md", "markdown x"),
                document_key(b"# A\n", "content/a.md", "markdown y")}) == 4
    # Lengths are part of the key: moving a byte from one part to the next is another key.
    assert document_key(b"x", "a", "b") != document_key(b"", "a", "bx")


def test_extract_keeps_what_it_parsed_for_build(project: Path) -> None:
    shutil.rmtree(project / ".i18n-cache")
    for template in (project / "locales" / "templates").glob("*.pot"):
        template.unlink()
    assert main(["extract", "--project", str(project)]) == 0
    for release in (project / "content").glob("*.md"):
        assert read_release(load_settings(project), release)[1] is None  # build finds it kept
