"""Tests for i18n_pipeline.catalog: the model, review states, named queries, msgmerge semantics."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_pipeline import catalog as catalog_module
from i18n_pipeline.catalog import Catalog, TemplateEntry, new_template, update_catalog
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.model import State
from i18n_pipeline.pofile import po_bytes, read_po, read_po_bytes
from i18n_pipeline.pounit import with_header_field
from tests.catalog_cases import (
    CLOCK,
    LONG,
    LONG_EDITED,
    NO_EVAL,
    PO4A_T,
    PROPERTY_WORDS,
    PROVENANCE,
    assert_gettext_clean,
    bare_template,
    run,
    sentence,
    spanish_catalog,
    template,
    translated,
)
from tests.paths import EVAL


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module, "_now", lambda: CLOCK)


# --------------------------------------------------------------------------------------------
# Header


def test_header_fields() -> None:
    po = spanish_catalog()
    assert po.language == "es"
    assert po.header_field("Project-Id-Version") == "seed"
    assert po.header_field("POT-Creation-Date") == "2026-11-29 10:00+0000"
    assert po.header_field("PO-Revision-Date") == "2026-11-29 12:00+0000"
    assert po.header_field("Content-Type") == "text/plain; charset=UTF-8"
    assert (po.header_field("Plural-Forms") or "").startswith("nplurals=3;")  # CLDR 4x for es
    assert b"#, fuzzy" not in po_bytes(po).split(b"\n\n")[0]
    fr = update_catalog(
        None, new_template([], project="p"), language="pt-BR", project="p", plural_forms="nplurals=2; plural=(n > 1);"
    )
    assert fr.header_field("Plural-Forms") == "nplurals=2; plural=(n > 1);"
    with pytest.raises(CatalogError, match="language code"):
        update_catalog(None, new_template([], project="p"), language="xx-nonsense", project="p")


def test_an_unknown_language_is_reported_with_the_fix() -> None:
    with pytest.raises(CatalogError) as info:
        update_catalog(None, new_template([], project="p"), language="xx", project="p")
    assert info.value.where == "language"
    assert info.value.what.startswith("CLDR does not know the language code 'xx'")
    assert "plural forms explicitly" in info.value.fix


# --------------------------------------------------------------------------------------------
# Merging real files


@pytest.mark.skipif(not EVAL.is_dir(), reason=NO_EVAL)
def test_real_file_update_stays_gettext_exact(tmp_path: Path) -> None:
    pod = read_po(EVAL / "po" / "po4a" / "pod-es.po")
    entries = [TemplateEntry(e.source, e.context, e.references, e.notes) for e in pod.entries() if e.source_plural is None]
    reviewed = next(e for e in pod.reviewed() if len(e.source) > 80)
    edited_source = reviewed.source + " Edited."
    entries = [e for e in entries[::2] if e.source != reviewed.source]
    entries.append(TemplateEntry(edited_source, None, ("x:p1",), ()))
    merged = update_catalog(pod, new_template(entries, project="po4a"), language="es", project="po4a")
    assert_gettext_clean(po_bytes(merged), tmp_path)
    edited = merged.get(edited_source)
    assert edited is not None and edited.previous_source is not None


@pytest.mark.skipif(not EVAL.is_dir(), reason=NO_EVAL)
def test_po4a_msguntypot_templates_merge_like_msgmerge(tmp_path: Path) -> None:
    """Our merge of po4a's test PO with its new POT keeps every exact translation msgmerge keeps."""
    for number in range(1, 9):
        po_path = PO4A_T / "t-12-msguntypot" / f"test{number}.po"
        pot_path = PO4A_T / "t-12-msguntypot" / f"test{number}.old.pot"
        if not po_path.exists():
            continue
        po = read_po(po_path)
        pot = read_po(pot_path)
        ours = update_catalog(po, pot, language="fr", project="po4a", fuzzy_matching=False)
        # some of po4a's files lack Plural-Forms (msgfmt -c rejects the originals too)
        original_ok = run(["msgfmt", "-c", "-o", os.devnull, str(po_path)]).returncode == 0
        assert_gettext_clean(po_bytes(ours), tmp_path, msgfmt=original_ok)
        ref = run(["msgmerge", "--no-fuzzy-matching", "-q", "-o", "-", str(po_path), str(pot_path)])
        theirs = read_po_bytes(ref.stdout, "msgmerge")
        for entry in theirs.entries():
            mine = ours.get(entry.source, entry.context)
            assert mine is not None and mine.target == entry.target and mine.state == entry.state


# --------------------------------------------------------------------------------------------
# msgmerge semantics


def test_exact_match_keeps_translation_comments_flags() -> None:
    po = translated("One.")
    po = update_catalog(po, template("One.", "Two."), language="es", project="seed")
    po.set_suggestion("Two.", None, "ES Two.", "translation memory: 80%", approved=False)
    new = update_catalog(po, template("Two.", "One."), language="es", project="seed")
    one, two = new.get("One."), new.get("Two.")
    assert one is not None and one.state is State.REVIEWED and one.target == "ES One."
    assert two is not None and two.state is State.MACHINE and "fuzzy" in two.flags
    assert two.translator_comments == ("translation memory: 80%",)
    assert [e.source for e in new.entries()] == ["Two.", "One."]  # template order
    assert one.notes == ("note 2",) and one.references == ("rel:p2",)  # from the template


def test_one_word_edit_in_long_sentence_is_fuzzy_with_previous() -> None:
    po = translated(LONG, "Short.")
    new = update_catalog(po, template(LONG_EDITED, "Short."), language="es", project="seed")
    entry = new.get(LONG_EDITED)
    assert entry is not None
    assert entry.target == f"ES {LONG}"
    assert entry.state is State.NEEDS_UPDATE and entry.previous_source == LONG and "fuzzy" in entry.flags
    assert new.lookup(LONG_EDITED, include_machine=False) is None  # never in a reviewed build
    assert new.lookup(LONG_EDITED, include_machine=True)  # an unreviewed build may use it
    assert [e.source for e in new.obsolete()] == [LONG]  # the old one is kept as obsolete
    off = update_catalog(po, template(LONG_EDITED, "Short."), language="es", project="seed", fuzzy_matching=False)
    plain = off.get(LONG_EDITED)
    assert plain is not None and plain.state is State.UNTRANSLATED and plain.previous_source is None


def test_unrelated_sentence_is_not_fuzzy_matched() -> None:
    po = translated("The minister visited the new hospital in Valencia.")
    new = update_catalog(po, template("Sales rose by 12 percent in the third quarter."), language="es", project="seed")
    entry = new.entries()[0]
    assert entry.state is State.UNTRANSLATED and entry.target == ""


def test_removed_entries_become_obsolete_and_return() -> None:
    po = translated("Keep.", "Gone for a while.")
    po2 = update_catalog(po, template("Keep.", "Never translated."), language="es", project="seed", fuzzy_matching=False)
    assert [e.source for e in po2.obsolete()] == ["Gone for a while."]
    assert po2.obsolete()[0].target == "ES Gone for a while."
    po3 = update_catalog(po2, template("Keep.", "Gone for a while."), language="es", project="seed")
    back = po3.get("Gone for a while.")
    assert back is not None and back.state is State.REVIEWED and back.target == "ES Gone for a while."
    assert po3.obsolete() == []  # untranslated "Never translated." is dropped, as msgmerge does


def test_obsolete_entry_feeds_fuzzy_matching() -> None:
    po = translated(LONG)
    gone = update_catalog(po, template("Other."), language="es", project="seed")
    assert [e.source for e in gone.obsolete()] == [LONG]
    back = update_catalog(gone, template("Other.", LONG_EDITED), language="es", project="seed")
    entry = back.get(LONG_EDITED)
    assert entry is not None and entry.previous_source == LONG and entry.target == f"ES {LONG}"


def test_rerun_is_byte_identical_and_revision_date_moves_only_on_change(monkeypatch: pytest.MonkeyPatch) -> None:
    po = translated("One.", "Two.")
    first = po_bytes(po)
    monkeypatch.setattr(catalog_module, "_now", lambda: "2027-01-01 00:00+0000")
    again = update_catalog(read_po_bytes(first, "es.po"), template("One.", "Two."), language="es", project="seed")
    assert po_bytes(again) == first
    changed = update_catalog(again, template("One.", "Three."), language="es", project="seed")
    assert changed.header_field("PO-Revision-Date") == "2027-01-01 00:00+0000"


def test_revision_date_ignores_what_a_file_does_not_show(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose obsolete entry sits between current ones, with duplicated references and a
    flag gettext drops, is written in gettext's order and form; that alone is no change."""
    text = (
        'msgid ""\nmsgstr ""\n"PO-Revision-Date: 2026-01-01 00:00+0000\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. note 1\n#: rel:p1 rel:p1\n#, fuzzy, my-own-flag\nmsgid "One."\nmsgstr "Uno."\n\n'
        '#~ msgid "Old."\n#~ msgstr "Viejo."\n\n'
        '#. note 2\n#: rel:p2\nmsgid "Two."\nmsgstr "Dos."\n'
    )
    monkeypatch.setattr(catalog_module, "_now", lambda: "2027-01-01 00:00+0000")
    po = update_catalog(read_po_bytes(text.encode(), "es.po"), template("One.", "Two."), language="es", project="seed")
    assert po.header_field("PO-Revision-Date") == "2026-01-01 00:00+0000"
    changed = update_catalog(po, template("One.", "Two!"), language="es", project="seed", fuzzy_matching=False)
    assert changed.header_field("PO-Revision-Date") == "2027-01-01 00:00+0000"


def test_each_change_leaves_its_minute_as_the_revision_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """_suggest writes the date once a minute, not at each entry: the header after each change
    is the one a rewrite at every change gives, whatever else changed the header in between."""
    po = update_catalog(None, template("One.", "Two.", "Three.", "Four."), language="es", project="seed")
    rewritten = po.header_unit.msgstr[0]
    steps = [("One.", "2027-01-01 00:00+0000"), ("Two.", "2027-01-01 00:00+0000"), ("Three.", "2027-01-01 00:01+0000"),
             ("Four.", "2027-01-01 00:01+0000"), ("One.", "2027-01-01 00:01+0000")]
    for i, (source, minute) in enumerate(steps):
        monkeypatch.setattr(catalog_module, "_now", lambda minute=minute: minute)
        if i == 3:  # someone else sets the date between two changes of one minute
            po._set_header_field("PO-Revision-Date", "2020-01-01 00:00+0000")
            rewritten = po.header_unit.msgstr[0]
        po.set_machine_translation(source, None, f"ES {source} {i}", "machine translation: pseudo")
        rewritten = with_header_field(rewritten, "PO-Revision-Date", minute)
        assert po.header_unit.msgstr[0] == rewritten
        assert po.header_field("PO-Revision-Date") == minute


def test_entry_keys_and_comments_are_the_entries() -> None:
    po = update_catalog(translated("One.", "Two."), template("Two.", "Three."), language="es", project="seed")
    assert po.entry_keys() == [(e.context, e.source) for e in po.entries()] == [(None, "Two."), (None, "Three.")]
    assert not po.commented() and not any(e.translator_comments for e in po.entries())
    po.set_machine_translation("Three.", None, "Tres.", "machine translation: pseudo")
    assert po.commented() and any(e.translator_comments for e in po.entries())


def test_template_creation_date_is_kept_when_entries_unchanged() -> None:
    old = new_template([TemplateEntry("A.", None, ("r:p1",), ())], project="p", creation_date="2026-01-01 00:00+0000")
    same = new_template([TemplateEntry("A.", None, ("r:p1",), ())], project="p", previous=old)
    assert po_bytes(same) == po_bytes(old)
    other = new_template([TemplateEntry("B.", None, ("r:p1",), ())], project="p", previous=old)
    assert other.header_field("POT-Creation-Date") == "2026-11-29 12:00+0000"


def test_duplicate_template_entries_are_merged() -> None:
    pot = new_template(
        [TemplateEntry("Yes.", None, ("a:p1",), ("n",)), TemplateEntry("Yes.", None, ("./b:p2", "a:p1"), ("n", "m"))],
        project="p",
    )
    (entry,) = pot.entries()
    assert entry.references == ("a:p1", "b:p2") and entry.notes == ("n", "m")


# --------------------------------------------------------------------------------------------
# States, named queries, lookup, machine translation


def test_states_lookup_and_stats() -> None:
    po = update_catalog(None, template("Reviewed one.", "Machine two.", "Empty three."), language="es", project="seed")
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
    for source in ("Reviewed one.", "Machine two.", "Empty three.", "Unknown."):  # a build asks both at once
        found = po.target_and_state(source)
        reviewed = found[0] if found is not None and found[1] is State.REVIEWED else None
        anything = found[0] if found is not None and found[1] is not State.UNTRANSLATED else None
        assert reviewed == po.lookup(source, include_machine=False)
        assert anything == po.lookup(source, include_machine=True)
        entry = po.get(source)
        assert po.check_facts(source) == (None if entry is None else (entry.flags, entry.translator_comments))
    stats = po.stats()
    assert stats.segments == {"reviewed": 1, "machine": 1, "needs_update": 0, "untranslated": 1}
    assert stats.words == {"reviewed": 2, "machine": 2, "needs_update": 0, "untranslated": 2}


def test_named_queries_split_current_entries_by_state() -> None:
    po = translated("Gone.", "Edited one.")
    po = update_catalog(po, template("Reviewed.", "Edited one!", "Machine.", "Empty."), language="es", project="seed")
    po.set_suggestion("Reviewed.", None, "Revisado.", "", approved=True)
    po.set_machine_translation("Machine.", None, "Máquina.", PROVENANCE)
    assert [e.source for e in po.reviewed()] == ["Reviewed."]
    assert [e.source for e in po.needs_update()] == ["Edited one!"]
    assert [e.source for e in po.machine()] == ["Machine."]
    assert [e.source for e in po.untranslated()] == ["Empty."]
    assert [e.source for e in po.obsolete()] == ["Gone.", "Edited one."]  # never in a state query
    queried = po.reviewed() + po.machine() + po.needs_update() + po.untranslated()
    assert sorted(e.source for e in queried) == sorted(e.source for e in po.entries())
    assert all(e.state is State.REVIEWED for e in po.reviewed())


def test_machine_translation_replaces_provenance_and_refuses_reviewed() -> None:
    po = update_catalog(None, template("Text."), language="es", project="seed")
    po.set_machine_translation("Text.", None, "Texto uno.", PROVENANCE)
    po.set_machine_translation("Text.", None, "Texto dos.", "machine translation: other engine, 2026-11-30")
    entry = po.get("Text.")
    assert entry is not None and entry.translator_comments == ("machine translation: other engine, 2026-11-30",)
    # a reviewer approves by clearing fuzzy in Poedit: simulate by editing the bytes
    approved = read_po_bytes(po_bytes(po).replace(b"#, fuzzy\n", b""), "es.po")
    entry = approved.get("Text.")
    assert entry is not None and entry.state is State.REVIEWED and entry.machine
    with pytest.raises(CatalogError, match="reviewed"):
        approved.set_machine_translation("Text.", None, "Nope.", PROVENANCE)
    with pytest.raises(CatalogError, match="no entry"):
        approved.set_machine_translation("Missing.", None, "Nope.", PROVENANCE)


def test_memory_suggestion_is_machine_until_it_translates_another_sentence() -> None:
    po = update_catalog(None, template("Text."), language="es", project="seed")
    po.set_suggestion("Text.", None, "Texto.", "translation memory: 85% match", approved=False)
    entry = po.get("Text.")
    # An unapproved pre-translation of this very sentence: unreviewed, like engine output.
    assert entry is not None and entry.state is State.MACHINE and entry.previous_source is None
    po.set_suggestion("Text.", None, "Texto.", "translation memory: 85% match", approved=False, previous_source="Text!")
    entry = po.get("Text.")
    assert entry is not None and entry.previous_source == "Text!" and entry.state is State.NEEDS_UPDATE
    assert entry.translator_comments == ("translation memory: 85% match",)


def test_fuzzy_without_our_comment_needs_update() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# checked by Ana\n#, fuzzy\nmsgid "Text."\nmsgstr "Texto."\n'
    )
    entry = read_po_bytes(text.encode(), "x.po").get("Text.")
    assert entry is not None and entry.state is State.NEEDS_UPDATE

# --------------------------------------------------------------------------------------------
# Property: merging never loses or changes a reviewed translation.
#
# Random histories: the template's sentences are edited, inserted and deleted; translators approve
# or edit entries; the pipeline re-runs update_catalog and machine-translates what is empty. After
# every step, a reviewed translation whose source is still in the template is unchanged, and one
# whose source left is kept as obsolete with its translation. Every catalog also survives a
# serialise/parse round trip unchanged. (The fixed clock above is the same for every example, so
# Hypothesis may share it between them.)

edit = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 50), sentence),
    st.tuples(st.just("delete"), st.integers(0, 50), st.none()),
    st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from(PROPERTY_WORDS)),
    st.tuples(st.just("approve"), st.integers(0, 50), st.none()),
    st.tuples(st.just("translate"), st.integers(0, 50), sentence),
    st.tuples(st.just("rerun"), st.integers(0, 1), st.none()),
)


def _translator_saves(po: Catalog) -> Catalog:
    """What a translator's tool gives back: the file re-read from our bytes."""
    data = po_bytes(po)
    again = read_po_bytes(data, "es.po")
    assert po_bytes(again) == data
    return again


def _check(po: Catalog, sources: list[str], reviewed: dict[str, str]) -> None:
    current = set(sources)
    obsolete = {e.source: e.target for e in po.obsolete()}
    for source, target in reviewed.items():
        if source in current:
            entry = po.get(source)
            assert entry is not None and entry.state is State.REVIEWED and entry.target == target
        else:
            assert obsolete.get(source) == target


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    initial=st.lists(sentence, min_size=1, max_size=8, unique=True),
    steps=st.lists(edit, max_size=15),
    fuzzy=st.booleans(),
)
def test_reviewed_translations_are_never_lost(initial: list[str], steps: list[tuple[str, int, str | None]], fuzzy: bool) -> None:
    sources = list(initial)
    po = update_catalog(None, bare_template(sources), language="es", project="prop")
    reviewed: dict[str, str] = {}
    for action, index, payload in steps:
        if action == "insert" and payload is not None and payload not in sources:
            sources.insert(index % (len(sources) + 1), payload)
        elif action == "delete" and sources:
            sources.pop(index % len(sources))
        elif action == "edit" and sources and payload is not None:
            i = index % len(sources)
            changed = sources[i].replace(".", f" {payload}.", 1)
            if changed not in sources:
                sources[i] = changed
        elif action in {"approve", "translate"}:
            entries = [e for e in po.entries() if e.state is not State.REVIEWED]
            if entries:
                entry = entries[index % len(entries)]
                target = payload if action == "translate" and payload else (entry.target or "aprobado")
                po.set_suggestion(entry.source, entry.context, target, "", approved=True)
                reviewed[entry.source] = target
        # the pipeline run after every step: merge, then machine-translate what is empty
        po = update_catalog(_translator_saves(po), bare_template(sources), language="es", project="prop", fuzzy_matching=fuzzy)
        for entry in po.entries():
            if entry.state is State.UNTRANSLATED:
                po.set_machine_translation(entry.source, entry.context, f"MT {entry.source}", "machine translation: pseudo")
        _check(po, sources, reviewed)
        # a reviewed source that left and came back is resurrected with its translation
        reviewed = {s: t for s, t in reviewed.items() if s in sources or any(o.source == s for o in po.obsolete())}


# --------------------------------------------------------------------------------------------
# A translator's own flags and the language's notes


def test_a_translators_ignore_flag_survives_merges() -> None:
    """``#, ignore-numbers`` silences a check on one entry (Weblate's convention): a merge keeps
    it with the translation, as msgmerge keeps translator comments (msgmerge itself would drop
    the flag, as it drops every flag gettext does not know)."""
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. note 1\n#: rel:p1\n#, fuzzy, ignore-numbers, ignore-words\nmsgid "One."\nmsgstr "Uno."\n'
    )
    po = read_po_bytes(text.encode(), "es.po")
    assert po.entries()[0].flags == ("fuzzy", "ignore-numbers", "ignore-words")
    merged = update_catalog(po, template("One.", "Two."), language="es", project="seed")
    one = merged.get("One.")
    assert one is not None and one.flags == ("fuzzy", "ignore-numbers", "ignore-words")
    assert b"#, fuzzy, ignore-numbers, ignore-words\n" in po_bytes(merged)
    po.set_suggestion("One.", None, "Uno.", "", approved=True)  # the translator approves it
    approved = update_catalog(po, template("One."), language="es", project="seed").get("One.")
    assert approved is not None and approved.flags == ("ignore-numbers", "ignore-words")


def test_language_notes_follow_the_templates_and_a_second_merge_changes_nothing() -> None:
    notes: dict[tuple[str | None, str], list[str]] = {
        (None, "One."): ["glossary: one = uno"],
        (None, "Two."): ["note 2", "glossary: two = dos"],
    }
    first = update_catalog(translated("One."), template("One.", "Two."), language="es", project="seed", notes=notes)
    one, two = first.get("One."), first.get("Two.")
    assert one is not None and one.notes == ("note 1", "glossary: one = uno")
    assert two is not None and two.notes == ("note 2", "glossary: two = dos")  # no note twice
    again = update_catalog(first, template("One.", "Two."), language="es", project="seed", notes=notes)
    assert po_bytes(again) == po_bytes(first)
    # Notes are regenerated like the template's own: a term that left the glossary leaves the file.
    fewer = update_catalog(first, template("One.", "Two."), language="es", project="seed")
    assert [e.notes for e in fewer.entries()] == [("note 1",), ("note 2",)]
