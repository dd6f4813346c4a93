"""Tests for i18n_pipeline.catalog: gettext-exact output, msgmerge semantics, safe writes."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from i18n_pipeline import catalog as catalog_module
from i18n_pipeline.catalog import (
    Catalog,
    TemplateEntry,
    catalog_bytes,
    compile_mo,
    new_template,
    read_catalog,
    read_catalog_text,
    update_catalog,
    write_catalog,
)
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.model import State

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
PO4A_T = EVAL / "peer-suites" / "po4a" / "t"

LONG = (
    "The regional government announced on Monday that it will invest 45 million euros in "
    "the modernisation of the public transport network over the next three years, "
    "according to a statement published this morning."
)
LONG_EDITED = LONG.replace("Monday", "Tuesday")
PROVENANCE = "machine translation: apertium eng-spa, 2026-11-29"


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, input=data, capture_output=True, check=False)


def assert_gettext_clean(data: bytes, tmp_path: Path, name: str = "check.po", *, msgfmt: bool = True) -> None:
    """msgfmt -c accepts the bytes and msgcat leaves them unchanged."""
    path = tmp_path / name
    path.write_bytes(data)
    if msgfmt:
        checked = _run(["msgfmt", "-c", "-o", os.devnull, str(path)])
        assert checked.returncode == 0, checked.stderr.decode()
    catted = _run(["msgcat", str(path)])
    assert catted.returncode == 0, catted.stderr.decode()
    if catted.stdout != data:
        diff = _run(["diff", "-u", str(path), "-"], catted.stdout).stdout.decode()
        pytest.fail(f"msgcat changes our output:\n{diff}")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module, "_now", lambda: "2026-11-29 12:00+0000")


def tricky_entries() -> list[TemplateEntry]:
    refs = tuple(f"seed-release-with-a-long-name:p{i}" for i in range(1, 9))
    return [
        TemplateEntry("Press release", None, ("seed-release:h1",), ("heading",)),
        TemplateEntry(LONG, None, ("seed-release:p1",), ("paragraph",)),
        TemplateEntry("Contact", "menu", ("seed-release:meta:contact",), ()),
        TemplateEntry("Contact", "footer", refs, ("footer", "shown at the bottom of every page")),
        TemplateEntry(
            "Read <1>the full report</1> on <2/> or write to <3/>.",
            None,
            ("seed-release:p2",),
            ("<1> = link to https://example.org/report?id=42&lang=en", "<2/> = URL", "<3/> = e-mail"),
        ),
        TemplateEntry(
            'He said: "We\\are \'ready\'"\tand left.\nNew line here, then a very long tail of words '
            "that needs wrapping beyond the seventy-nine column limit of gettext.",
            None,
            ("seed-release:p3",),
            (),
        ),
        TemplateEntry("Ünïcödé — «citation» and “quotes”, 100 % sûr, 東京で記者会見を開きました。" * 2, None, ("seed-release:p4",), ()),
        TemplateEntry("A" * 120, None, ("seed-release:p5",), ()),
        TemplateEntry("no wrap " * 15, None, ("seed-release:p6",), (), ("no-wrap",)),
        TemplateEntry("Line one\nLine two\n", None, ("seed-release:p7",), ("multi\nline note",)),
        TemplateEntry("http://example.org/a/very/long/path/that/keeps/going/and/going/index.html?x=1&y=2", None, ("seed-release:p8",), ()),
        TemplateEntry("Ends with a tab\t", "ctx with \"quotes\"", ("seed-release:p9",), ()),
    ]


def spanish_catalog() -> Catalog:
    template = new_template(tricky_entries(), project="seed", creation_date="2026-11-29 10:00+0000")
    return update_catalog(None, template, language="es", project="seed")


# --------------------------------------------------------------------------------------------
# Formatting


def test_template_is_gettext_exact(tmp_path: Path) -> None:
    template = new_template(tricky_entries(), project="seed", creation_date="2026-11-29 10:00+0000")
    assert_gettext_clean(catalog_bytes(template), tmp_path, "seed.pot")


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
    data = catalog_bytes(new)
    assert b'#| msgid ""' in data and b"#~ msgid" in data
    assert_gettext_clean(data, tmp_path, "es.po")


def test_machine_translation_catalog_is_gettext_exact(tmp_path: Path) -> None:
    po = spanish_catalog()
    for entry in po.entries():
        po.set_machine_translation(entry.source, entry.context, entry.source + " [es]", PROVENANCE)
    assert_gettext_clean(catalog_bytes(po), tmp_path)


def test_header_fields() -> None:
    po = spanish_catalog()
    assert po.language == "es"
    assert po.header_field("Project-Id-Version") == "seed"
    assert po.header_field("POT-Creation-Date") == "2026-11-29 10:00+0000"
    assert po.header_field("PO-Revision-Date") == "2026-11-29 12:00+0000"
    assert po.header_field("Content-Type") == "text/plain; charset=UTF-8"
    assert (po.header_field("Plural-Forms") or "").startswith("nplurals=3;")  # CLDR 4x for es
    assert b"#, fuzzy" not in catalog_bytes(po).split(b"\n\n")[0]
    fr = update_catalog(None, new_template([], project="p"), language="pt-BR", project="p", plural_forms="nplurals=2; plural=(n > 1);")
    assert fr.header_field("Plural-Forms") == "nplurals=2; plural=(n > 1);"
    with pytest.raises(CatalogError, match="language code"):
        update_catalog(None, new_template([], project="p"), language="xx-nonsense", project="p")


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


@pytest.mark.skipif(not EVAL_FILES, reason=f"evaluation files not found under {EVAL} (../shared/eval is absent outside CI)")
@pytest.mark.parametrize("path", EVAL_FILES, ids=lambda p: str(p.relative_to(EVAL)))
def test_real_file_round_trip_equals_msgcat(path: Path, tmp_path: Path) -> None:
    original = path.read_bytes()
    cat = read_catalog(path)
    ours = catalog_bytes(cat)
    # msgcat keeps a CR inside comment lines of CRLF files (it reads comments byte for byte);
    # compare against the file with LF endings. Files with charset=CHARSET (po4a templates)
    # are declared UTF-8 first, as we do.
    source = original.replace(b"\r\n", b"\n").replace(b"charset=CHARSET", b"charset=UTF-8")
    (tmp_path / "original.po").write_bytes(source)
    expected = _run(["msgcat", str(tmp_path / "original.po")])
    assert expected.returncode == 0, expected.stderr.decode()
    assert ours == expected.stdout
    (tmp_path / "ours.po").write_bytes(ours)
    assert _run(["msgcat", str(tmp_path / "ours.po")]).stdout == ours
    # and a second round trip through our reader is stable
    assert catalog_bytes(read_catalog_text(ours, "ours.po")) == ours


@pytest.mark.skipif(not EVAL.is_dir(), reason=f"evaluation files not found under {EVAL} (../shared/eval is absent outside CI)")
def test_real_file_entries_and_plurals() -> None:
    meld = read_catalog(EVAL / "po" / "meld" / "es.po")
    plural = [e for e in meld.entries() if e.source_plural is not None]
    assert plural and all(len(e.targets) == 2 for e in plural)
    assert any(e.context is not None for e in meld.entries())
    assert meld.obsolete()
    stats = meld.stats()
    assert stats.total_segments == len(meld.entries())
    pod = read_catalog(EVAL / "po" / "po4a" / "pod-es.po")
    assert sum(1 for e in pod.entries() if e.previous_source is not None) > 100
    assert all(e.state is State.NEEDS_UPDATE for e in pod.entries() if e.previous_source is not None and e.target)


@pytest.mark.skipif(not EVAL.is_dir(), reason=f"evaluation files not found under {EVAL} (../shared/eval is absent outside CI)")
def test_real_file_update_stays_gettext_exact(tmp_path: Path) -> None:
    pod = read_catalog(EVAL / "po" / "po4a" / "pod-es.po")
    entries = [TemplateEntry(e.source, e.context, e.references, e.notes) for e in pod.entries() if e.source_plural is None]
    translated = next(e for e in pod.entries() if e.state is State.REVIEWED and len(e.source) > 80)
    edited_source = translated.source + " Edited."
    entries = [e for e in entries[::2] if e.source != translated.source]
    entries.append(TemplateEntry(edited_source, None, ("x:p1",), ()))
    merged = update_catalog(pod, new_template(entries, project="po4a"), language="es", project="po4a")
    assert_gettext_clean(catalog_bytes(merged), tmp_path)
    edited = merged.get(edited_source)
    assert edited is not None and edited.previous_source is not None


@pytest.mark.skipif(not EVAL.is_dir(), reason=f"evaluation files not found under {EVAL} (../shared/eval is absent outside CI)")
def test_po4a_msguntypot_templates_merge_like_msgmerge(tmp_path: Path) -> None:
    """Our merge of po4a's test PO with its new POT keeps every exact translation msgmerge keeps."""
    for number in range(1, 9):
        po_path = PO4A_T / "t-12-msguntypot" / f"test{number}.po"
        pot_path = PO4A_T / "t-12-msguntypot" / f"test{number}.old.pot"
        if not po_path.exists():
            continue
        po = read_catalog(po_path)
        template = read_catalog(pot_path)
        ours = update_catalog(po, template, language="fr", project="po4a", fuzzy_matching=False)
        # some of po4a's files lack Plural-Forms (msgfmt -c rejects the originals too)
        original_ok = _run(["msgfmt", "-c", "-o", os.devnull, str(po_path)]).returncode == 0
        assert_gettext_clean(catalog_bytes(ours), tmp_path, msgfmt=original_ok)
        ref = _run(["msgmerge", "--no-fuzzy-matching", "-q", "-o", "-", str(po_path), str(pot_path)])
        theirs = read_catalog_text(ref.stdout, "msgmerge")
        for entry in theirs.entries():
            mine = ours.get(entry.source, entry.context)
            assert mine is not None and mine.target == entry.target and mine.state == entry.state


# --------------------------------------------------------------------------------------------
# msgmerge semantics


def _template(*sources: str) -> Catalog:
    return new_template(
        [TemplateEntry(s, None, (f"rel:p{i}",), (f"note {i}",)) for i, s in enumerate(sources, 1)],
        project="seed",
        creation_date="2026-11-29 10:00+0000",
    )


def _translated(*sources: str) -> Catalog:
    po = update_catalog(None, _template(*sources), language="es", project="seed")
    for s in sources:
        po.set_suggestion(s, None, f"ES {s}", "", approved=True)
    return po


def test_exact_match_keeps_translation_comments_flags() -> None:
    po = _translated("One.")
    po = update_catalog(po, _template("One.", "Two."), language="es", project="seed")
    po.set_suggestion("Two.", None, "ES Two.", "translation memory: 80%", approved=False)
    new = update_catalog(po, _template("Two.", "One."), language="es", project="seed")
    one, two = new.get("One."), new.get("Two.")
    assert one is not None and one.state is State.REVIEWED and one.target == "ES One."
    assert two is not None and two.state is State.MACHINE and "fuzzy" in two.flags
    assert two.translator_comments == ("translation memory: 80%",)
    assert [e.source for e in new.entries()] == ["Two.", "One."]  # template order
    assert one.notes == ("note 2",) and one.references == ("rel:p2",)  # from the template


def test_one_word_edit_in_long_sentence_is_fuzzy_with_previous() -> None:
    po = _translated(LONG, "Short.")
    new = update_catalog(po, _template(LONG_EDITED, "Short."), language="es", project="seed")
    entry = new.get(LONG_EDITED)
    assert entry is not None
    assert entry.target == f"ES {LONG}"
    assert entry.state is State.NEEDS_UPDATE and entry.previous_source == LONG and "fuzzy" in entry.flags
    assert new.lookup(LONG_EDITED, include_machine=False) is None  # never in a reviewed build
    assert new.lookup(LONG_EDITED, include_machine=True)  # an unreviewed build may use it
    assert [e.source for e in new.obsolete()] == [LONG]  # the old one is kept as obsolete
    off = update_catalog(po, _template(LONG_EDITED, "Short."), language="es", project="seed", fuzzy_matching=False)
    plain = off.get(LONG_EDITED)
    assert plain is not None and plain.state is State.UNTRANSLATED and plain.previous_source is None


def test_unrelated_sentence_is_not_fuzzy_matched() -> None:
    po = _translated("The minister visited the new hospital in Valencia.")
    new = update_catalog(po, _template("Sales rose by 12 percent in the third quarter."), language="es", project="seed")
    entry = new.entries()[0]
    assert entry.state is State.UNTRANSLATED and entry.target == ""


def test_removed_entries_become_obsolete_and_return() -> None:
    po = _translated("Keep.", "Gone for a while.")
    po2 = update_catalog(po, _template("Keep.", "Never translated."), language="es", project="seed", fuzzy_matching=False)
    assert [e.source for e in po2.obsolete()] == ["Gone for a while."]
    assert po2.obsolete()[0].target == "ES Gone for a while."
    po3 = update_catalog(po2, _template("Keep.", "Gone for a while."), language="es", project="seed")
    back = po3.get("Gone for a while.")
    assert back is not None and back.state is State.REVIEWED and back.target == "ES Gone for a while."
    assert po3.obsolete() == []  # untranslated "Never translated." is dropped, as msgmerge does


def test_obsolete_entry_feeds_fuzzy_matching() -> None:
    po = _translated(LONG)
    gone = update_catalog(po, _template("Other."), language="es", project="seed")
    assert [e.source for e in gone.obsolete()] == [LONG]
    back = update_catalog(gone, _template("Other.", LONG_EDITED), language="es", project="seed")
    entry = back.get(LONG_EDITED)
    assert entry is not None and entry.previous_source == LONG and entry.target == f"ES {LONG}"


def test_rerun_is_byte_identical_and_revision_date_moves_only_on_change(monkeypatch: pytest.MonkeyPatch) -> None:
    po = _translated("One.", "Two.")
    first = catalog_bytes(po)
    monkeypatch.setattr(catalog_module, "_now", lambda: "2027-01-01 00:00+0000")
    again = update_catalog(read_catalog_text(first, "es.po"), _template("One.", "Two."), language="es", project="seed")
    assert catalog_bytes(again) == first
    changed = update_catalog(again, _template("One.", "Three."), language="es", project="seed")
    assert changed.header_field("PO-Revision-Date") == "2027-01-01 00:00+0000"


def test_template_creation_date_is_kept_when_entries_unchanged() -> None:
    old = new_template([TemplateEntry("A.", None, ("r:p1",), ())], project="p", creation_date="2026-01-01 00:00+0000")
    same = new_template([TemplateEntry("A.", None, ("r:p1",), ())], project="p", previous=old)
    assert catalog_bytes(same) == catalog_bytes(old)
    other = new_template([TemplateEntry("B.", None, ("r:p1",), ())], project="p", previous=old)
    assert other.header_field("POT-Creation-Date") == "2026-11-29 12:00+0000"


def test_duplicate_template_entries_are_merged() -> None:
    template = new_template(
        [TemplateEntry("Yes.", None, ("a:p1",), ("n",)), TemplateEntry("Yes.", None, ("./b:p2", "a:p1"), ("n", "m"))],
        project="p",
    )
    (entry,) = template.entries()
    assert entry.references == ("a:p1", "b:p2") and entry.notes == ("n", "m")


# --------------------------------------------------------------------------------------------
# States, lookup, machine translation


def test_states_lookup_and_stats() -> None:
    po = update_catalog(None, _template("Reviewed one.", "Machine two.", "Empty three."), language="es", project="seed")
    po.set_suggestion("Reviewed one.", None, "Revisado uno.", "", approved=True)
    po.set_machine_translation("Machine two.", None, "Máquina dos.", PROVENANCE)
    assert po.lookup("Reviewed one.", include_machine=False) == "Revisado uno."
    assert po.lookup("Machine two.", include_machine=False) is None
    assert po.lookup("Machine two.", include_machine=True) == "Máquina dos."
    assert po.lookup("Empty three.", include_machine=True) is None
    assert po.lookup("Unknown.", include_machine=True) is None
    machine = po.get("Machine two.")
    assert machine is not None and machine.machine and machine.state is State.MACHINE
    assert machine.translator_comments == (PROVENANCE,)
    stats = po.stats()
    assert stats.segments == {"reviewed": 1, "machine": 1, "needs_update": 0, "untranslated": 1}
    assert stats.words == {"reviewed": 2, "machine": 2, "needs_update": 0, "untranslated": 2}


def test_machine_translation_replaces_provenance_and_refuses_reviewed() -> None:
    po = update_catalog(None, _template("Text."), language="es", project="seed")
    po.set_machine_translation("Text.", None, "Texto uno.", PROVENANCE)
    po.set_machine_translation("Text.", None, "Texto dos.", "machine translation: other engine, 2026-11-30")
    entry = po.get("Text.")
    assert entry is not None and entry.translator_comments == ("machine translation: other engine, 2026-11-30",)
    # a reviewer approves by clearing fuzzy in Poedit: simulate by editing the bytes
    approved = read_catalog_text(catalog_bytes(po).replace(b"#, fuzzy\n", b""), "es.po")
    entry = approved.get("Text.")
    assert entry is not None and entry.state is State.REVIEWED and entry.machine
    with pytest.raises(CatalogError, match="reviewed"):
        approved.set_machine_translation("Text.", None, "Nope.", PROVENANCE)
    with pytest.raises(CatalogError, match="no entry"):
        approved.set_machine_translation("Missing.", None, "Nope.", PROVENANCE)


def test_memory_suggestion_is_machine_until_it_translates_another_sentence() -> None:
    po = update_catalog(None, _template("Text."), language="es", project="seed")
    po.set_suggestion("Text.", None, "Texto.", "translation memory: 85% match", approved=False)
    entry = po.get("Text.")
    # An unapproved pre-translation of this very sentence: unreviewed, like engine output.
    assert entry is not None and entry.state is State.MACHINE and entry.previous_source is None
    po.set_suggestion("Text.", None, "Texto.", "translation memory: 85% match", approved=False, previous_source="Text!")
    entry = po.get("Text.")
    assert entry is not None and entry.previous_source == "Text!" and entry.state is State.NEEDS_UPDATE
    assert entry.translator_comments == ("translation memory: 85% match",)


# --------------------------------------------------------------------------------------------
# Reading errors


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
        read_catalog_text(text, "locales/es/x.po")
    assert str(info.value).startswith(f"locales/es/x.po:{line}: ")


def test_duplicate_entries_are_refused() -> None:
    with pytest.raises(CatalogError, match="duplicate"):
        read_catalog_text(b'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "x.po")


# --------------------------------------------------------------------------------------------
# Writing


def test_write_is_atomic_and_skips_identical_bytes(tmp_path: Path) -> None:
    path = tmp_path / "locales" / "es" / "seed.po"
    po = spanish_catalog()
    assert write_catalog(po, path) is True
    assert path.read_bytes() == catalog_bytes(po)
    assert [p.name for p in path.parent.iterdir()] == ["seed.po"]  # no temp file left
    past = time.time_ns() - 10_000_000_000
    os.utime(path, ns=(past, past))
    reread = read_catalog(path)
    assert write_catalog(reread, path) is False
    assert path.stat().st_mtime_ns == past
    assert write_catalog(po, path) is False


def test_write_refuses_when_file_changed_since_read(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    write_catalog(spanish_catalog(), path)
    po = read_catalog(path)
    po.set_machine_translation("Press release", None, "Nota de prensa", PROVENANCE)
    translator_version = path.read_bytes().replace(b'msgstr ""\n\n#. paragraph', b'msgstr "x"\n\n#. paragraph', 1)
    path.write_bytes(translator_version)
    with pytest.raises(CatalogError, match="re-reads|again"):
        write_catalog(po, path)
    assert path.read_bytes() == translator_version
    assert write_catalog(po, tmp_path / "elsewhere.po") is True  # another path is fine


def test_write_after_write_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "es.po"
    write_catalog(spanish_catalog(), path)
    po = read_catalog(path)
    po.set_machine_translation("Press release", None, "Nota de prensa", PROVENANCE)
    assert write_catalog(po, path) is True
    po.set_machine_translation("Contact", "menu", "Contacto", PROVENANCE)
    assert write_catalog(po, path) is True


def test_compile_mo_skips_fuzzy(tmp_path: Path) -> None:
    po = update_catalog(None, _template("Approved.", "Machine."), language="es", project="seed")
    po.set_suggestion("Approved.", None, "Aprobado.", "", approved=True)
    po.set_machine_translation("Machine.", None, "Máquina.", PROVENANCE)
    mo = tmp_path / "es.mo"
    compile_mo(po, mo)
    text = _run(["msgunfmt", str(mo)]).stdout.decode()
    assert "Aprobado." in text and "Máquina." not in text


def test_fuzzy_without_our_comment_needs_update() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# checked by Ana\n#, fuzzy\nmsgid "Text."\nmsgstr "Texto."\n'
    )
    entry = read_catalog_text(text.encode(), "x.po").get("Text.")
    assert entry is not None and entry.state is State.NEEDS_UPDATE
