"""A catalog with an entry in every review state and every kind of inline code, and the markup
its placeholders stand for in the release, shared by the XLIFF tests."""

from __future__ import annotations

from i18n_pipeline.catalog import Catalog, TemplateEntry, new_template, update_catalog
from i18n_pipeline.model import Placeholder, State
from i18n_pipeline.xliff import ExportUnit, export_units, xliff_bytes

LINKED = "Read <1>the report</1> at <2/>."
CROSSING = "Say <1>bold <2>both</1> italic</2> now."
MENU = "Contact"
PLAIN = "A sentence nobody translated yet."
CHANGED = "The office opened in 2011."
MARKUP: dict[tuple[str | None, str], tuple[Placeholder, ...]] = {
    (None, LINKED): (Placeholder(1, "[", "](https://example.org/r?a=1&b=2)", "link to https://example.org/r?a=1&b=2"),
                     Placeholder(2, "<https://example.org>", "", "URL https://example.org")),
    (None, CROSSING): (Placeholder(1, "**", "**", "bold"), Placeholder(2, "*", "*", "emphasis")),
}
TARGETS = {
    LINKED: "Lea <1>el informe</1> en <2/>.",
    CROSSING: "Diga <1>negrita <2>ambas</1> cursiva</2> ya.",
    MENU: "Contacto",
    CHANGED: "La oficina abrió en 2010.",
}
PROVENANCE = "machine translation: apertium eng-spa, 2026-12-01"


def catalog() -> Catalog:
    """LINKED machine, CROSSING machine, MENU (context "menu") reviewed, PLAIN untranslated,
    CHANGED needs an update (its old translation is of an older sentence)."""
    entries = [TemplateEntry(s, "menu" if s == MENU else None, (f"rel:p{i}",), ("paragraph",))
               for i, s in enumerate([LINKED, CROSSING, MENU, PLAIN, CHANGED.replace("2011", "2010")], 1)]
    cat = update_catalog(None, new_template(entries, project="t", creation_date="2026-12-01 10:00+0000"),
                         language="es", project="t")
    cat.set_machine_translation(LINKED, None, TARGETS[LINKED], PROVENANCE)
    cat.set_machine_translation(CROSSING, None, TARGETS[CROSSING], PROVENANCE)
    cat.set_suggestion(MENU, "menu", TARGETS[MENU], "", approved=True)
    cat.set_suggestion(CHANGED.replace("2011", "2010"), None, TARGETS[CHANGED], "", approved=True)
    changed = [TemplateEntry(e.source.replace("2010", "2011"), e.context, e.references, e.notes) for e in entries]
    cat = update_catalog(cat, new_template(changed, project="t", creation_date="2026-12-01 10:00+0000"),
                         language="es", project="t")
    assert {e.source: e.state for e in cat.entries()} == {
        LINKED: State.MACHINE, CROSSING: State.MACHINE, MENU: State.REVIEWED, PLAIN: State.UNTRANSLATED,
        CHANGED: State.NEEDS_UPDATE,
    }
    return cat


def units(states: tuple[State, ...] = tuple(State)) -> list[ExportUnit]:
    return export_units(catalog(), states, MARKUP)


def exported(version: str, states: tuple[State, ...] = tuple(State)) -> bytes:
    return xliff_bytes(units(states), version=version, release="rel", original="content/rel.md",
                       document_format="markdown", source_language="en", target_language="es",
                       tool_version="test", where="rel.po")
