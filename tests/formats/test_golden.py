"""Golden files: every case under ``tests/data/<format>/`` is extracted and built and compared with
the files beside it, so a new regression case is a new set of files, not new code.

A case ``<case>.<ext>`` (``.md``, ``.html``, ``.txt``) comes with

* ``<case>.expect.segments``: what extraction finds, one segment a line (``kind | block | text``,
  then `` | context`` when the segment has a msgctxt);
* ``<case>.es.po``: a Spanish translator's catalog, every segment translated and reviewed;
* ``<case>.es.expect.<ext>``: the Spanish release the build writes from it, and for a Markdown
  case also ``<case>.es.expect.html``, the HTML page;
* optionally ``<case>.expect.upper.<ext>``: the release with every segment upper-cased (a lookup
  that needs no catalog and keeps every placeholder in place).

``UPDATE_GOLDEN=1`` rewrites the expected files from what the code does now (and writes a
``<case>.es.po`` skeleton to translate where there is none); review the diff before committing.
The committed files are the reference: see tests/data/README.md.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from i18n_pipeline.build import build_release
from i18n_pipeline.catalog import Catalog, new_template, template_entries, update_catalog
from i18n_pipeline.formats import FORMATS, ParseOptions, parse_document, render_document, usable_translation
from i18n_pipeline.model import Document, Segment
from i18n_pipeline.pofile import po_bytes, read_po
from tests.formats.common import identity, upper
from tests.paths import DATA

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
if UPDATE and os.environ.get("CI"):  # a CI run that rewrites its references would check nothing
    raise pytest.UsageError("UPDATE_GOLDEN=1 is for a developer's machine, not for CI")

# The bundled project's translated front matter keys (pipeline.yaml), so front matter cases read
# as a real release does; fixed here, so a change to the project's settings changes no case.
OPTIONS = ParseOptions(
    language="en",
    sentences=True,
    front_matter_keys=("title", "summary", "description", "place", "links.title", "contacts.office"),
)
LANGUAGE = "es"


@dataclass(frozen=True)
class Case:
    source: Path  # tests/data/<format>/<case>.<ext>

    @property
    def name(self) -> str:
        return self.source.stem

    @property
    def format(self) -> str:
        return self.source.parent.name

    def file(self, suffix: str) -> Path:
        """A file of this case: ``<case><suffix>``."""
        return self.source.with_name(self.name + suffix)

    def expected_builds(self) -> list[Path]:
        """The files a build writes for this release: the release itself, and the HTML page of a
        Markdown release."""
        paths = [self.file(f".{LANGUAGE}.expect{self.source.suffix}")]
        if self.format == "markdown":
            paths.append(self.file(f".{LANGUAGE}.expect.html"))
        return paths

    def __str__(self) -> str:
        return f"{self.format}/{self.name}"


def discover() -> list[Case]:
    """Every ``<case>.<ext>`` in a format folder (one dot: the other files of a case have more)."""
    return [
        Case(path)
        for folder in sorted(p for p in DATA.iterdir() if p.is_dir())
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name.count(".") == 1 and FORMATS.get(path.suffix) == folder.name
    ]


CASES = discover()
UPPER_CASES = [c for c in CASES if c.file(f".expect.upper{c.source.suffix}").exists()]


def read(path: Path) -> str:
    """Bytes decoded as they are: no newline translation, so a CRLF case stays a CRLF case."""
    return path.read_bytes().decode("utf-8")


def document(case: Case) -> Document:
    return parse_document(read(case.source), case.source.name, OPTIONS)


def listing(segments: tuple[Segment, ...]) -> str:
    return "".join(
        f"{s.kind} | {s.block} | {s.text}" + (f" | {s.context}" if s.context is not None else "") + "\n"
        for s in segments
    )


def assert_golden(path: Path, got: str) -> None:
    """``got`` equals the committed file (which UPDATE_GOLDEN=1 rewrites first)."""
    if UPDATE and (not path.exists() or read(path) != got):
        path.write_bytes(got.encode("utf-8"))
    if not path.exists():
        pytest.fail(f"{path.relative_to(DATA)} is missing; write it, or run with UPDATE_GOLDEN=1 and review it")
    assert got == read(path), f"differs from {path.relative_to(DATA)}"


def spanish(case: Case) -> Catalog:
    po = case.file(f".{LANGUAGE}.po")
    if UPDATE and not po.exists():
        # A skeleton for the translator: every segment, nothing translated (the tests below fail
        # until each entry is translated and reviewed).
        doc = document(case)
        template = new_template(template_entries(doc), project=f"golden {case}")
        po.write_bytes(po_bytes(update_catalog(None, template, language=LANGUAGE, project=f"golden {case}")))
    if not po.exists():
        pytest.fail(f"{po.relative_to(DATA)} is missing: every case has a Spanish catalog (UPDATE_GOLDEN=1 writes a skeleton)")
    return read_po(po)


def test_there_are_cases_of_every_format() -> None:
    assert {c.format for c in CASES} == set(FORMATS.values())


def test_every_file_belongs_to_a_case() -> None:
    """A misspelt expectation (``page.es.expected.html``) would otherwise never be compared."""
    known = {DATA / "README.md", DATA / ".gitattributes"}
    for case in CASES:
        known |= {case.source, case.file(".expect.segments"), case.file(f".{LANGUAGE}.po"), *case.expected_builds()}
    known |= {c.file(f".expect.upper{c.source.suffix}") for c in UPPER_CASES}
    others = DATA / "bad"  # the bad-input corpus: tests/test_bad_input.py checks its files
    strays = sorted(
        str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file() and p not in known and others not in p.parents
    )
    assert not strays, f"files that belong to no case: {strays}"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_identity_build_is_the_source(case: Case) -> None:
    doc = document(case)
    assert render_document(doc, identity) == doc.source
    assert render_document(doc, lambda s: None) == doc.source


@pytest.mark.parametrize("case", CASES, ids=str)
def test_extraction(case: Case) -> None:
    """``<case>.expect.segments``: every segment extraction finds, in order."""
    assert_golden(case.file(".expect.segments"), listing(document(case).segments))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_spanish_catalog_translates_every_segment(case: Case) -> None:
    """The catalog is the one a translator finished: no segment missing or left over, every
    entry reviewed, every placeholder kept; GNU gettext accepts it."""
    doc = document(case)
    catalog = spanish(case)
    wanted = {(s.context, s.text) for s in doc.segments}
    have = {(e.context, e.source) for e in catalog.entries()}
    assert sorted(wanted - have, key=str) == [], "segments without an entry"
    assert sorted(have - wanted, key=str) == [], "entries that are no segment of the case"
    for segment in doc.segments:
        target = catalog.lookup(segment.text, segment.context, include_machine=False)
        assert target, f"not translated and reviewed: {segment.text!r}"
        # A translation identical to the source is allowed (a name); any other must be usable,
        # or the build would quietly fall back to English and the expectation would hold English.
        assert target == segment.text or usable_translation(segment, target), (segment.text, target)
    po = case.file(f".{LANGUAGE}.po")
    checked = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("case", CASES, ids=str)
def test_spanish_build(case: Case) -> None:
    """``<case>.es.expect.<ext>`` (and ``.es.expect.html`` for Markdown): the reviewed build."""
    built = build_release(document(case), spanish(case), LANGUAGE, include_machine=False)
    assert (built.machine_segments, built.fallback_segments) == (0, 0)
    outputs = [built.markdown, built.html] if case.format == "markdown" else [built.markdown]
    assert built.html == built.markdown or case.format == "markdown"
    for path, text in zip(case.expected_builds(), outputs, strict=True):
        assert_golden(path, text)


@pytest.mark.parametrize("case", UPPER_CASES, ids=str)
def test_upper_cased_build(case: Case) -> None:
    """``<case>.expect.upper.<ext>``: every segment upper-cased outside its placeholders."""
    assert_golden(case.file(f".expect.upper{case.source.suffix}"), render_document(document(case), upper))
