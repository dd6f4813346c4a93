"""Tests for i18n_pipeline.pofile: reading, gettext-exact writing, the stale-write guard, MO files."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_pipeline import catalog as catalog_module
from i18n_pipeline.catalog import TemplateEntry, new_template, update_catalog
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.model import LineWrap, State
from i18n_pipeline.pofile import (
    _flag_line,
    _reference_lines,
    _wrapped_references,
    catalog_bytes,
    detect_wrap,
    po_bytes,
    read_po,
    read_po_bytes,
    write_po,
)
from i18n_pipeline.pounit import canonical_flags, normalise_references
from i18n_pipeline.powrap import (
    _ESCAPE_RE,
    _ESCAPES,
    _escape,
    _escaped_portion,
    _format_general,
    _string_groups,
    _string_groups_by_line,
    format_string,
)
from tests.catalog_cases import (
    CLOCK,
    LONG,
    LONG_EDITED,
    NO_EVAL,
    PO4A_T,
    PROVENANCE,
    assert_gettext_clean,
    bare_template,
    run,
    sentence,
    spanish_catalog,
    template,
    tricky_entries,
)
from tests.paths import EVAL
from tests.project import es_po, translator_saves


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module, "_now", lambda: CLOCK)


# --------------------------------------------------------------------------------------------
# Formatting


def test_template_is_gettext_exact(tmp_path: Path) -> None:
    pot = new_template(tricky_entries(), project="seed", creation_date="2026-11-29 10:00+0000")
    assert_gettext_clean(po_bytes(pot), tmp_path, "seed.pot")


def test_po_with_every_kind_of_line_is_gettext_exact(tmp_path: Path) -> None:
    old_template = new_template(tricky_entries(), project="seed", creation_date="2026-11-29 10:00+0000")
    po = update_catalog(None, old_template, language="es", project="seed")
    for entry in po.entries():
        target = entry.source.upper() + " (es)"
        if entry.source.endswith("\n"):
            target += "\n"
        po.set_suggestion(entry.source, entry.context, target, "translation memory: approved", approved=True)
    # Edit two sentences and drop one: #| previous msgids (long ones), and #~ obsolete entries.
    edited = [
        TemplateEntry(LONG_EDITED, e.context, e.references, e.notes, e.flags) if e.source == LONG else e
        for e in tricky_entries()
        if not e.source.startswith("Read <1>")
    ]
    edited.append(TemplateEntry("A brand new sentence.", None, ("seed-release:p10",), ()))
    new = update_catalog(po, new_template(edited, project="seed"), language="es", project="seed")
    data = po_bytes(new)
    assert b'#| msgid ""' in data and b"#~ msgid" in data
    assert_gettext_clean(data, tmp_path, "es.po")


def test_machine_translation_catalog_is_gettext_exact(tmp_path: Path) -> None:
    po = spanish_catalog()
    for entry in po.entries():
        po.set_machine_translation(entry.source, entry.context, entry.source + " [es]", PROVENANCE)
    assert_gettext_clean(po_bytes(po), tmp_path)


def test_header_is_written_first_and_never_fuzzy() -> None:
    data = po_bytes(spanish_catalog())
    header = data.split(b"\n\n")[0]
    assert header.startswith(b'msgid ""\nmsgstr ""\n"Project-Id-Version: seed\\n"')
    assert b"#, fuzzy" not in header


def test_obsolete_entries_are_written_after_current_ones() -> None:
    text = (
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'msgid "One."\nmsgstr "Uno."\n\n#~ msgid "Old."\n#~ msgstr "Viejo."\n\n'
        b'msgid "Two."\nmsgstr "Dos."\n'
    )
    data = po_bytes(read_po_bytes(text, "x.po"))
    assert data.index(b'msgid "Two."') < data.index(b'#~ msgid "Old."')


# --------------------------------------------------------------------------------------------
# Real files


def _eval_files() -> list[Path]:
    if not EVAL.is_dir():
        return []
    files = sorted((EVAL / "po").glob("*/*.po"))
    files += sorted((PO4A_T / "t-po").glob("*.po"))
    files += sorted((PO4A_T / "t-12-msguntypot").glob("*.po*"))
    files += sorted((PO4A_T / "t-13-plural").glob("*.po"))
    return files


EVAL_FILES = _eval_files()


@pytest.mark.skipif(not EVAL_FILES, reason=NO_EVAL)
@pytest.mark.parametrize("path", EVAL_FILES, ids=lambda p: str(p.relative_to(EVAL)))
def test_real_file_round_trip_equals_msgcat(path: Path, tmp_path: Path) -> None:
    original = path.read_bytes()
    cat = read_po(path)
    ours = po_bytes(cat)
    # msgcat keeps a CR inside comment lines of CRLF files (it reads comments byte for byte);
    # compare against the file with LF endings. Files with charset=CHARSET (po4a templates)
    # are declared UTF-8 first, as we do.
    source = original.replace(b"\r\n", b"\n").replace(b"charset=CHARSET", b"charset=UTF-8")
    (tmp_path / "original.po").write_bytes(source)
    expected = run(["msgcat", str(tmp_path / "original.po")])
    assert expected.returncode == 0, expected.stderr.decode()
    assert ours == expected.stdout
    (tmp_path / "ours.po").write_bytes(ours)
    assert run(["msgcat", str(tmp_path / "ours.po")]).stdout == ours
    # and a second round trip through our reader is stable
    assert po_bytes(read_po_bytes(ours, "ours.po")) == ours


@pytest.mark.skipif(not EVAL.is_dir(), reason=NO_EVAL)
def test_real_file_entries_and_plurals() -> None:
    meld = read_po(EVAL / "po" / "meld" / "es.po")
    plural = [e for e in meld.entries() if e.source_plural is not None]
    assert plural and all(len(e.targets) == 2 for e in plural)
    assert any(e.context is not None for e in meld.entries())
    assert meld.obsolete()
    stats = meld.stats()
    assert stats.total_segments == len(meld.entries())
    pod = read_po(EVAL / "po" / "po4a" / "pod-es.po")
    assert sum(1 for e in pod.entries() if e.previous_source is not None) > 100
    assert all(e.state is State.NEEDS_UPDATE for e in pod.entries() if e.previous_source is not None and e.target)


# --------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (b'msgid "a"\nmsgstr "b\n', 2),
        (b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstrx "b"\n', 5),
        (b'msgid ""\nmsgstr ""\n\nmsgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 6),
    ],
)
def test_syntax_errors_name_the_line(text: bytes, line: int) -> None:
    with pytest.raises(CatalogError) as info:
        read_po_bytes(text, "locales/es/x.po")
    assert str(info.value).startswith(f"locales/es/x.po:{line}: ")


def test_duplicate_entries_are_refused() -> None:
    with pytest.raises(CatalogError, match="duplicate"):
        read_po_bytes(b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "x.po")


def test_entries_know_their_line_and_escapes_are_decoded() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. a note\n#: rel:p1\nmsgid "Tab\\there, \\"quoted\\"\\n"\nmsgstr "Tabulación\\taquí\\n"\n'
    )
    (entry,) = read_po_bytes(text.encode(), "x.po").entries()
    assert entry.source == 'Tab\there, "quoted"\n' and entry.line == 7
    assert entry.target == "Tabulación\taquí\n"
    assert entry.notes == ("a note",) and entry.references == ("rel:p1",)


def test_a_declared_legacy_charset_is_rewritten_as_utf8() -> None:
    text = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\nmsgid "Año"\nmsgstr "Year"\n'
    cat = read_po_bytes(text.encode("latin-1"), "x.po")
    assert cat.get("Año") is not None
    assert cat.header_field("Content-Type") == "text/plain; charset=UTF-8"
    assert "Año".encode() in po_bytes(cat)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read the catalog"):
        read_po(tmp_path / "absent.po")


# --------------------------------------------------------------------------------------------
# Writing and the stale-write guard


def test_write_is_atomic_and_skips_identical_bytes(tmp_path: Path) -> None:
    path = tmp_path / "locales" / "es" / "seed.po"
    po = spanish_catalog()
    assert write_po(po, path) is True
    assert path.read_bytes() == po_bytes(po)
    assert [p.name for p in path.parent.iterdir()] == ["seed.po"]  # no temp file left
    past = time.time_ns() - 10_000_000_000
    os.utime(path, ns=(past, past))
    reread = read_po(path)
    assert write_po(reread, path) is False
    assert path.stat().st_mtime_ns == past
    assert write_po(po, path) is False


def test_write_refuses_when_file_changed_since_read(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    write_po(spanish_catalog(), path)
    po = read_po(path)
    po.set_machine_translation("Press release", None, "Nota de prensa", PROVENANCE)
    translator_version = path.read_bytes().replace(b'msgstr ""\n\n#. paragraph', b'msgstr "x"\n\n#. paragraph', 1)
    path.write_bytes(translator_version)
    with pytest.raises(CatalogError, match=r"re-reads|again"):
        write_po(po, path)
    assert path.read_bytes() == translator_version
    assert write_po(po, tmp_path / "elsewhere.po") is True  # another path is fine


def test_write_after_write_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    write_po(spanish_catalog(), path)
    po = read_po(path)
    po.set_machine_translation("Press release", None, "Nota de prensa", PROVENANCE)
    assert write_po(po, path) is True
    po.set_machine_translation("Contact", "menu", "Contacto", PROVENANCE)
    assert write_po(po, path) is True


def test_a_merge_keeps_the_guard_of_the_file_it_came_from(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    write_po(update_catalog(None, template("One."), language="es", project="seed"), path)
    merged = update_catalog(read_po(path), template("One.", "Two."), language="es", project="seed")
    path.write_bytes(path.read_bytes().replace(b'msgid "One."\nmsgstr ""', b'msgid "One."\nmsgstr "Uno."'))  # a translator saves
    with pytest.raises(CatalogError, match="changed on disk"):
        write_po(merged, path)


# --------------------------------------------------------------------------------------------
# Property: random merged catalogs are formatted as GNU gettext formats them.

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(sentence, min_size=1, max_size=10, unique=True), st.lists(sentence, min_size=0, max_size=10, unique=True))
def test_random_catalogs_are_msgcat_stable(old: list[str], new: list[str]) -> None:
    po = update_catalog(None, bare_template(old), language="es", project="prop")
    for i, entry in enumerate(po.entries()):
        po.set_suggestion(entry.source, None, entry.source.upper() * (1 + i % 3), "", approved=i % 2 == 0)
    merged = update_catalog(po, bare_template(new), language="es", project="prop")
    data = po_bytes(merged)
    result = subprocess.run(["msgcat", "-"], input=data, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == data


# --------------------------------------------------------------------------------------------
# A translator saves a real PO file (the bundled project's, after a run) while we hold it


def test_write_po_refuses_a_file_changed_since_read(ran: Path, tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    shutil.copy2(es_po(ran), po)
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


def test_a_touch_without_change_is_not_a_conflict(ran: Path, tmp_path: Path) -> None:
    """Only the bytes count: a save that changes nothing (or a checkout) is not a translator's edit."""
    po = tmp_path / "x.po"
    shutil.copy2(es_po(ran), po)
    cat = read_po(po)
    st = po.stat()
    os.utime(po, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    write_po(cat, po)  # does not raise


@pytest.fixture
def translator_saves_during_the_write(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Inject a translator's save after write_po's stale check, while the temp file is
    written (between its fsync and the rename)."""
    real_chmod = os.chmod
    saved: list[bytes] = []

    def chmod(path: Any, mode: int, *args: Any, **kwargs: Any) -> None:
        name = os.path.basename(os.fspath(path))
        if not saved and name.startswith(".x.po.") and name.endswith(".tmp"):
            saved.append(translator_saves(Path(os.path.dirname(os.fspath(path))) / "x.po"))
        return real_chmod(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "chmod", chmod)  # what the atomic writer (i18n_pipeline.files) calls
    return saved  # monkeypatch undoes the patch after the test


def test_a_save_during_the_write_itself_is_not_overwritten(
    ran: Path, tmp_path: Path, translator_saves_during_the_write: list[bytes]
) -> None:
    po = tmp_path / "x.po"
    shutil.copy2(es_po(ran), po)
    cat = read_po(po)
    cat.set_machine_translation(cat.entries()[0].source, cat.entries()[0].context, "Otra.", "test engine")
    try:
        write_po(cat, po)
    except CatalogError:
        pass
    assert translator_saves_during_the_write, "the injection point was not reached"
    assert po.read_bytes() == translator_saves_during_the_write[0]


def test_a_translators_flag_is_written_after_gettexts_and_msgfmt_accepts_it(tmp_path: Path) -> None:
    """msgfmt -c accepts flags it does not know; msgcat (and msgmerge) would drop them, which is
    why we keep them ourselves (README: a translator's ignore-<check> flag)."""
    po = update_catalog(None, template("One."), language="es", project="seed")
    po.set_suggestion("One.", None, "Uno.", "", approved=False)
    text = po_bytes(po).decode().replace("#, fuzzy\n", "#, ignore-words, fuzzy, ignore-words\n")
    data = po_bytes(read_po_bytes(text.encode(), "es.po"))
    assert "#, fuzzy, ignore-words\nmsgid \"One.\"" in data.decode()
    path = tmp_path / "es.po"
    path.write_bytes(data)
    assert run(["msgfmt", "-c", "-o", os.devnull, str(path)]).returncode == 0
    catted = run(["msgcat", str(path)]).stdout.decode()
    assert "#, fuzzy\nmsgid \"One.\"" in catted  # what msgcat makes of it: the flag is gone


# --------------------------------------------------------------------------------------------
# The file's own wrapping: 79 columns (gettext), 77 (Weblate, msgcat -w 77), none (--no-wrap)

MSGCAT_OPTIONS = {"79": [], "77": ["-w", "77"], "none": ["--no-wrap"], "unlimited": ["-w", "0"]}


def msgcat(path: Path, *options: str) -> bytes:
    out = run(["msgcat", *options, str(path)])
    assert out.returncode == 0, out.stderr.decode()
    return out.stdout


def rewrapped(tmp_path: Path, name: str) -> Path:
    """Our gettext-exact catalog of every kind of line, as ``msgcat`` rewrites it for ``name``."""
    old_template = new_template(tricky_entries(), project="seed", creation_date="2026-11-29 10:00+0000")
    po = update_catalog(None, old_template, language="es", project="seed")
    for entry in po.entries():
        if entry.source_plural is None:
            po.set_machine_translation(entry.source, entry.context, entry.source.upper() + " (es)", PROVENANCE)
    edited = [dataclasses.replace(e, source=LONG_EDITED) if e.source == LONG else e for e in tricky_entries()]
    new = new_template(edited, project="seed", creation_date="2026-11-29 10:00+0000")
    updated = update_catalog(po, new, language="es", project="seed")  # "#|" lines too
    ours = tmp_path / "ours.po"
    ours.write_bytes(po_bytes(updated))
    path = tmp_path / f"{name}.po"
    path.write_bytes(msgcat(ours, *MSGCAT_OPTIONS[name]))
    return path


@pytest.mark.parametrize("name", sorted(MSGCAT_OPTIONS))
def test_the_wrapping_msgcat_wrote_is_detected_and_written_again(tmp_path: Path, name: str) -> None:
    path = rewrapped(tmp_path, name)
    cat = read_po(path)
    assert cat.origin is not None and cat.origin.wrap.name == name
    assert po_bytes(cat, cat.origin.wrap) == path.read_bytes()
    assert write_po(cat, path) is False  # nothing changed: the file is not rewritten


@pytest.mark.parametrize("name", ["77", "none"])
def test_a_catalog_read_to_publish_is_the_same_and_still_written_in_its_files_wrapping(tmp_path: Path, name: str) -> None:
    """A build reads without detecting the wrapping; the entries are the same, and a write
    (which a build never does) still keeps the file's own wrapping."""
    path = rewrapped(tmp_path, name)
    full, published = read_po(path), read_po_bytes(catalog_bytes(path), str(path))
    assert published.origin is None and published.path == full.path == str(path)
    assert [dataclasses.astuple(u) for u in published.file_units()] == [dataclasses.astuple(u) for u in full.file_units()]
    assert write_po(published, path) is False


@pytest.mark.parametrize("name", ["77", "none"])
def test_a_new_entry_is_wrapped_as_the_rest_of_the_file(tmp_path: Path, name: str) -> None:
    path = rewrapped(tmp_path, name)
    cat = update_catalog(read_po(path), template(LONG, LONG_EDITED + " Again.", "Contact"), language="es", project="seed")
    cat.set_machine_translation(LONG_EDITED + " Again.", None, LONG_EDITED.upper() + " OTRA VEZ.", PROVENANCE)
    assert write_po(cat, path) is True
    assert LONG_EDITED.upper().split()[-1].encode() in path.read_bytes()
    assert msgcat(path, *MSGCAT_OPTIONS[name]) == path.read_bytes(), f"msgcat {MSGCAT_OPTIONS[name]} would rewrap it"
    if name == "77":
        assert msgcat(path) != path.read_bytes(), "the file is really wrapped at 77, not 79"


def test_a_wrapping_asked_for_reformats_the_file(tmp_path: Path) -> None:
    path = rewrapped(tmp_path, "77")
    cat = read_po(path)
    assert write_po(cat, path, wrap=LineWrap(79)) is True
    assert msgcat(path) == path.read_bytes()
    assert read_po(path).origin.wrap == LineWrap(79)  # type: ignore[union-attr]


def test_a_file_with_only_short_lines_says_nothing_and_gets_gettexts_wrapping() -> None:
    assert detect_wrap('msgid ""\nmsgstr "Language: es\\n"\n\nmsgid "a"\nmsgstr "b"\n') is None
    cat = read_po_bytes(b'msgid "a"\nmsgstr "b"\n', "x.po")
    assert cat.origin is None  # read from bytes: no file, nothing remembered


def test_detection_reads_the_eval_po_files_as_gettext_wrote_them() -> None:
    if not (EVAL / "po").is_dir():
        pytest.skip(NO_EVAL)
    for path in sorted((EVAL / "po").rglob("*.po")):
        assert detect_wrap(path.read_text("utf-8", errors="replace")) == LineWrap(79), path


# --- fuzzing: no input makes the reader raise anything but CatalogError --------------------------

_PO_LINES = st.sampled_from([
    'msgid ""', 'msgstr ""', 'msgid "Hello"', 'msgstr "Hola"', 'msgctxt "menu"', 'msgid_plural "Hellos"',
    'msgstr[0] "Hola"', 'msgstr[1] "Holas"', 'msgstr[7] "x"', '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Type: text/plain; charset=latin-9\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
    '"Plural-Forms: nplurals=x; plural=n ? ;\\n"', '"continued"', '#, fuzzy', '#| msgid "Old"', '#~ msgid "Gone"',
    '#~ msgstr "Ido"', "#: news:p-1", "#. note", "# comment", "", '"unterminated', 'msgid "\\x41\\777"', "\ufeff",
    'msgid "a\\', "msgstr", "\x00", "\r",
])  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=300),
    st.lists(st.one_of(_PO_LINES, st.text(max_size=12)), max_size=25).map(lambda lines: "\n".join(lines).encode("utf-8")),
))
def test_no_input_breaks_the_po_reader(data: bytes) -> None:
    try:
        catalog = read_po_bytes(data, "fuzz.po")
    except CatalogError:
        return
    po_bytes(catalog)  # what was read can be written


# --- the structure check ---------------------------------------------------------------------


def test_a_msgid_without_msgstr_is_reported_at_its_line() -> None:
    data = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "One."\nmsgstr "Uno."\n\nmsgid "Two."\n'
    with pytest.raises(CatalogError, match=r"^x\.po:8: msgid without msgstr"):
        read_po_bytes(data, "x.po")


def test_a_printable_text_without_quote_or_backslash_has_nothing_to_escape() -> None:
    # _escape returns such a text as it is: right only if every other character it escapes is
    # one str.isprintable() refuses.
    assert all(not c.isprintable() or c in '"\\' for c in _ESCAPES)
    every = "".join(map(chr, range(0x110000)))
    assert {m.group(0) for m in _ESCAPE_RE.finditer(every)} == set(_ESCAPES)
    for text in ("plain text", "a\tb", 'say "no"', "back\\slash", "é – ü", "line\n", ""):
        assert _escape(text) == _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


@given(st.text(st.characters(codec="utf-8") | st.sampled_from('\\"\n\t')))
def test_the_break_overrides_forbid_breaks_inside_escapes_and_before_a_final_newline(portion: str) -> None:
    # _escaped_portion skips the scan when the bytes hold no backslash: the rule, in full.
    data, overrides = _escaped_portion(portion)
    expected = bytearray(len(data))
    for m in re.finditer(rb"\\.", data):
        expected[m.start() + 1] = 1  # _LineBreaker.PROHIBITED
    if portion.endswith("\n"):
        expected[-2] = 1
    assert overrides == bytes(expected)


# Words of every width and break class gettext meets: wide (CJK, emoji), combining, escapes,
# hyphens, slashes, non-breaking spaces, long words that cannot be broken.
_WORDS = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["word", "a", "Supercalifragilisticexpialidocious" * 2, "日本語の文", "😀😀", "e\u0301",
                     "well-known", "and/or", "\u00a0", "\t", '"q"', "\\", "–", "http://example.org/a/b?c=d", "x\n"]),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_WORDS, max_size=30).map(" ".join) | st.lists(_WORDS, max_size=30).map("".join),
    st.sampled_from(["", "#| ", "#~ ", "#~| "]),
    st.sampled_from(["msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr[1]"]),
    st.booleans(),
    st.sampled_from([79, 77, 1 << 30, 30, 12]),
)
def test_the_quick_formatting_is_the_general_one(value: str, prefix: str, name: str, wrap: bool, width: int) -> None:
    # format_string goes straight for one portion (fits, one break call, ASCII slices): the general
    # path, portion by portion, must agree on every string.
    format_string.cache_clear()  # computed, not remembered from an earlier example
    general = _format_general(prefix, name, value, wrap=wrap, page_width=width)
    assert format_string(prefix, name, value, wrap, width) == tuple(general)


_LONG = "Some words that run past the seventy-seven columns of the narrowest wrapping, and on"
_GROUP_LINES = st.lists(
    st.sampled_from([
        'msgid ""', 'msgstr ""', f'msgid "{_LONG}"', 'msgstr "b"', 'msgstr[0] "c"', 'msgstr[1] ""', 'msgid_plural "p"',
        'msgctxt "k"', '"more "', '"line\\n"', f'"{_LONG}"', '""', '"', '"x', '#~ msgid ""', '#~ "gone "', f'#~ "{_LONG}"',
        '#| msgid ""', '#| "was "', f'#| "{_LONG}"', '#~| msgid "o"', '#~| "o "', "#, fuzzy", "# msgid", "", "msgid",
        'msgid "a" "b"', '"é\\"日本"', "\r", 'msgid "x"\r', f'msgid "{_LONG}"x', 'msgstr[x] "y"',
    ]),
    max_size=14,
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_GROUP_LINES)
def test_the_string_groups_of_one_search_are_those_of_reading_every_line(lines: list[str]) -> None:
    # Without "no-wrap" in the file, one regular expression finds the strings: as line by line.
    text = "\n".join(lines)
    assert list(_string_groups(text)) == list(_string_groups_by_line(text.split("\n")))


@settings(max_examples=400, deadline=None)
@given(
    st.text(st.sampled_from("aé ñ\u00a0-"), min_size=60, max_size=76)  # narrow, two bytes: columns from characters
    | st.text(st.sampled_from("aé –日😀\u0301"), min_size=55, max_size=80),  # wide, combining: from bytes
    st.sampled_from(["", "#| ", "#~| "]),
    st.sampled_from(["msgid", "msgstr"]),
    st.sampled_from([79, 77]),
)
def test_the_quick_formatting_counts_columns_as_libunistring(value: str, prefix: str, name: str, width: int) -> None:
    # Lengths around the room on a line, of narrow two- and three-byte characters, wide ones and
    # combining ones: format_string tells "it fits" from its characters where none is wide.
    format_string.cache_clear()
    general = _format_general(prefix, name, value, wrap=True, page_width=width)
    assert format_string(prefix, name, value, True, width) == tuple(general)


@given(
    st.lists(st.sampled_from(["r0001:p-a", "./r:p", "././x:1", "", "a" * 90, "r0001:p-a", "b:2"]), max_size=4),
    st.sampled_from([79, 77, 20, 1 << 30]),
)
def test_one_reference_is_written_as_any_number_of_them(references: list[str], width: int) -> None:
    # _reference_lines writes a lone reference straight: as the general path, "./" and "" included.
    assert _reference_lines(references, width) == _wrapped_references(normalise_references(references), width)


_FLAGS = ["fuzzy", " fuzzy", "no-wrap", "wrap", "c-format", "ignore-words", "range: 1..5", ""]


@given(st.lists(st.sampled_from(_FLAGS), max_size=4))
def test_the_flag_line_remembered_is_the_canonical_one(flags: list[str]) -> None:
    canonical = canonical_flags(flags)
    assert _flag_line(tuple(flags)) == (("#, " + ", ".join(canonical)) if canonical else "", "no-wrap" in canonical)
