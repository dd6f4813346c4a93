"""XLIFF export (i18n_pipeline.xliff.write): what the specifications require, inline codes with
their original markup, review states, notes, and Translate Toolkit reading the 1.2 files."""

from __future__ import annotations

from typing import Any

import pytest
from translate.storage import xliff as tt_xliff
from translate.storage import xliff2 as tt_xliff2

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.model import State
from i18n_pipeline.xliff import export_units, xliff_bytes
from i18n_pipeline.xliff.common import XML_CHAR_RE
from tests.xliff.cases import CHANGED, LINKED, MARKUP, MENU, PLAIN, TARGETS, catalog, exported, units
from tests.xliff.spec import NS_12, NS_20, NS_MDA, check_xliff_12, check_xliff_21


def text_of(element: Any) -> str:
    """Source or target as markup-free XML text with the inline elements shown by name."""
    out = [element.text or ""]
    for child in element:
        name = child.tag.split("}")[1]
        out.append(f"[{name} {' '.join(f'{k}={v}' for k, v in sorted(child.attrib.items()))}]")
        out.append(text_of(child) if len(child) or child.text else "")
        out.append(f"[/{name}]" if name in ("pc", "g") else "")
        out.append(child.tail or "")
    return "".join(out)


def units_by_source(root: Any, ns: str, unit_tag: str) -> dict[str, Any]:
    return {"".join(u.find(f".//{{{ns}}}source").itertext()): u for u in root.iter(f"{{{ns}}}{unit_tag}")}


def test_21_is_what_the_specification_requires() -> None:
    root = check_xliff_21(exported("2.1"))
    assert (root.get("srcLang"), root.get("trgLang")) == ("en", "es")
    assert [f.get("id") for f in root] == ["rel"] and root[0].get("original") == "content/rel.md"
    found = units_by_source(root, NS_20, "unit")
    assert sorted(found) == sorted(["Read the report at .", "Say bold both italic now.", MENU, PLAIN, CHANGED])


def test_12_is_what_the_specification_requires() -> None:
    root = check_xliff_12(exported("1.2"))
    file = root[0]
    assert (file.get("source-language"), file.get("target-language"), file.get("datatype")) == ("en", "es", "x-markdown")
    assert len(list(root.iter(f"{{{NS_12}}}trans-unit"))) == 5


def test_21_codes_carry_the_original_markup() -> None:
    unit = units_by_source(check_xliff_21(exported("2.1")), NS_20, "unit")["Read the report at ."]
    data = {d.get("id"): d.text for d in unit.iter(f"{{{NS_20}}}data")}
    assert data == {"d1s": "[", "d1e": "](https://example.org/r?a=1&b=2)", "d2": "<https://example.org>"}
    source = unit.find(f".//{{{NS_20}}}source")
    assert text_of(source) == (
        "Read [pc dataRefEnd=d1e dataRefStart=d1s id=1 type=link]the report[/pc] at "
        "[ph dataRef=d2 disp=URL https://example.org id=2]."
    )
    target = unit.find(f".//{{{NS_20}}}target")
    assert "[pc dataRefEnd=d1e dataRefStart=d1s id=1 type=link]el informe[/pc]" in text_of(target)


def test_codes_that_cross_become_start_and_end_codes() -> None:
    unit = units_by_source(check_xliff_21(exported("2.1")), NS_20, "unit")["Say bold both italic now."]
    assert text_of(unit.find(f".//{{{NS_20}}}source")) == (
        "Say [sc dataRef=d1s id=1 type=fmt]bold [sc dataRef=d2s id=2 type=fmt]both[ec dataRef=d1e startRef=1] "
        "italic[ec dataRef=d2e startRef=2] now."
    )
    unit12 = units_by_source(check_xliff_12(exported("1.2")), NS_12, "trans-unit")["Say bold both italic now."]
    assert text_of(unit12.find(f"{{{NS_12}}}source")) == (
        "Say [bx ctype=bold id=1s rid=1]bold [bx ctype=italic id=2s rid=2]both[ex id=1e rid=1] italic[ex id=2e rid=2] now."
    )


def test_12_codes_are_g_and_x() -> None:
    unit = units_by_source(check_xliff_12(exported("1.2")), NS_12, "trans-unit")["Read the report at ."]
    assert text_of(unit.find(f"{{{NS_12}}}source")) == (
        "Read [g ctype=link id=1]the report[/g] at [x ctype=x-url equiv-text=URL https://example.org id=2]."
    )


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_review_states_map_to_the_xliff_states(version: str) -> None:
    if version == "2.1":
        found = units_by_source(check_xliff_21(exported(version)), NS_20, "unit")
        segments = {s: (u.find(f"{{{NS_20}}}segment").get("state"), u.find(f".//{{{NS_20}}}target") is not None)
                    for s, u in found.items()}
        assert segments == {
            "Read the report at .": ("initial", True), "Say bold both italic now.": ("initial", True),
            MENU: ("final", True), PLAIN: ("initial", False), CHANGED: ("initial", True),
        }
        meta = {s: {m.get("type"): m.text for m in u.iter(f"{{{NS_MDA}}}meta")}["po-state"] for s, u in found.items()}
        assert meta[CHANGED] == "needs_update" and meta[MENU] == "reviewed"
    else:
        found = units_by_source(check_xliff_12(exported(version)), NS_12, "trans-unit")
        targets = {s: u.find(f"{{{NS_12}}}target") for s, u in found.items()}
        states = {s: None if t is None else (t.get("state"), t.get("state-qualifier"), found[s].get("approved"))
                  for s, t in targets.items()}
        assert states == {
            "Read the report at .": ("needs-review-translation", "leveraged-mt", None),
            "Say bold both italic now.": ("needs-review-translation", "leveraged-mt", None),
            MENU: ("final", None, "yes"), PLAIN: None, CHANGED: ("needs-review-translation", "fuzzy-match", None),
        }


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_notes_carry_the_translator_context(version: str) -> None:
    data = exported(version)
    if version == "2.1":
        unit = units_by_source(check_xliff_21(data), NS_20, "unit")["Read the report at ."]
        notes = [(n.get("category"), n.text) for n in unit.iter(f"{{{NS_20}}}note")]
    else:
        unit = units_by_source(check_xliff_12(data), NS_12, "trans-unit")["Read the report at ."]
        notes = [(n.get("from"), n.text) for n in unit.iter(f"{{{NS_12}}}note")]
    assert notes == [("developer", "paragraph"), ("location", "rel:p1"),
                     ("translator", "machine translation: apertium eng-spa, 2026-12-01")]


def test_only_the_states_asked_for_go_out() -> None:
    assert [u.source for u in units((State.UNTRANSLATED, State.NEEDS_UPDATE))] == [PLAIN, CHANGED]
    assert [u.state for u in units((State.REVIEWED,))] == [State.REVIEWED]


def test_a_target_whose_placeholders_differ_goes_out_as_a_note() -> None:
    cat = catalog()
    cat.set_machine_translation(LINKED, None, "Lea el informe.", "machine translation: test")
    (unit,) = [u for u in export_units(cat, (State.MACHINE,), MARKUP) if u.source == LINKED]
    assert unit.target == ""
    assert unit.comments[-1] == "earlier translation, its placeholders differ from the source's: Lea el informe."


def test_a_control_character_is_a_cp_in_21_and_an_error_in_12() -> None:
    (unit,) = [u for u in units((State.MACHINE,)) if u.source == LINKED]
    odd = unit.__class__(**{**unit.__dict__, "source": "Bell\x07 here.", "target": "Campana\x07 aquí."})
    args: dict[str, Any] = {"release": "rel", "original": "content/rel.md", "document_format": "markdown",
                            "source_language": "en", "target_language": "es", "tool_version": "t", "where": "rel.po"}
    root = check_xliff_21(xliff_bytes([odd], version="2.1", **args))
    assert [cp.get("hex") for cp in root.iter(f"{{{NS_20}}}cp")] == ["0007", "0007"]
    with pytest.raises(PipelineError) as caught:
        xliff_bytes([odd], version="1.2", **args)
    assert caught.value.where == "rel.po" and "U+0007" in caught.value.what and "--version 2.1" in caught.value.fix


def test_the_characters_xml_cannot_hold_are_the_complement_of_its_char_production() -> None:
    def xml_char(c: int) -> bool:  # XML 1.0, production [2] Char
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or 0x10000 <= c <= 0x10FFFF

    every = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in XML_CHAR_RE.finditer(every)] == [c for c in range(0x110000) if not xml_char(c)]


def test_translate_toolkit_reads_the_12_file(tmp_path: Any) -> None:
    path = tmp_path / "rel.xlf"
    path.write_bytes(exported("1.2"))
    store = tt_xliff.xlifffile.parsefile(str(path))  # type: ignore[no-untyped-call]
    found = {u.source: u for u in store.units}
    assert sorted(found) == sorted(["Read the report at .", "Say bold both italic now.", MENU, PLAIN, CHANGED])
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "es")
    assert found[MENU].target == TARGETS[MENU] and found[MENU].isapproved() and not found[MENU].isfuzzy()
    assert found[CHANGED].target == TARGETS[CHANGED] and found[CHANGED].isfuzzy()
    assert found["Read the report at ."].target == "Lea el informe en ." and found["Read the report at ."].isfuzzy()
    assert not found[PLAIN].target and not found[PLAIN].istranslated()
    assert found[MENU].get_state_n() > found[CHANGED].get_state_n() > found[PLAIN].get_state_n()
    assert "paragraph" in found[PLAIN].getnotes()



def test_translate_toolkit_reads_the_21_file(tmp_path: Any) -> None:
    path = tmp_path / "rel.xlf"
    path.write_bytes(exported("2.1"))
    store = tt_xliff2.Xliff2File.parsefile(str(path))  # type: ignore[no-untyped-call]
    found = {u.source: u.target for u in store.units}
    assert sorted(found) == sorted(["Read the report at .", "Say bold both italic now.", MENU, PLAIN, CHANGED])
    assert found[MENU] == TARGETS[MENU] and found[CHANGED] == TARGETS[CHANGED] and not found[PLAIN]
