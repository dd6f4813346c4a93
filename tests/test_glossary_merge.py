"""Merging terms into locales/glossary.yaml (i18n_pipeline.glossary_merge): every line and
comment of the file kept, changes in place and reported, values YAML reads back as written."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from i18n_pipeline.glossary import Glossary, Term, parse_glossary
from i18n_pipeline.glossary_merge import merge_glossary, yaml_scalar
from i18n_pipeline.termbase import glossary_terms, read_csv, read_tbx
from tests.paths import ROOT, SAMPLES

BUNDLED = ROOT / "locales" / "glossary.yaml"


def terms_of(name: str) -> list[Term]:
    path = SAMPLES / name
    read = read_csv if name.endswith(".csv") else read_tbx
    return glossary_terms(read(path.read_bytes(), str(path)), str(path), "en", ("es", "fr")).terms


def merged_with(names: list[str]) -> tuple[str, str]:
    text = BUNDLED.read_text("utf-8")
    new = text
    for name in names:
        glossary = parse_glossary(new, BUNDLED)
        new, _ = merge_glossary(new, glossary, terms_of(name), ["es", "fr"], label=name)
    return text, new


def test_a_merge_keeps_every_line_and_comment_of_the_file() -> None:
    text, new = merged_with(["multiterm.tbx", "memoq.tbx", "basic-v3.tbx", "dct-v3.tbx", "terms.csv"])
    old_lines, new_lines = text.splitlines(), new.splitlines()
    position = 0
    for line in old_lines:  # the old lines appear in the same order, none missing
        position = new_lines.index(line, position) + 1
    assert sum(line.lstrip().startswith("#") for line in old_lines) == 12
    before, after = parse_glossary(text, BUNDLED), parse_glossary(new, BUNDLED)
    assert {t.source for t in before.terms} < {t.source for t in after.terms}
    assert "Ciudad Hidalgo" in after.do_not_translate
    trafficking = next(t for t in after.terms if t.source == "human trafficking")
    assert trafficking.targets == (("es", "trata de personas"), ("fr", "traite des êtres humains"))
    assert trafficking.forbidden == (("es", "tráfico de personas"),)
    assert "  # --- imported from multiterm.tbx" in new


def test_a_new_translation_replaces_the_old_one_and_says_so() -> None:
    text = BUNDLED.read_text("utf-8")
    glossary = parse_glossary(text, BUNDLED)
    incoming = [Term("human trafficking", targets=(("es", "trata de seres humanos"),)),
                Term("Chief of Mission", targets=(("fr", "Cheffe de mission"),), plurals=(("fr", "Cheffes de mission"),))]
    new, report = merge_glossary(text, glossary, incoming, ["es", "fr"], label="x")
    assert report.updated == [
        "human trafficking: es 'trata de personas' -> 'trata de seres humanos'",
        "Chief of Mission: fr 'Chef de mission' -> 'Cheffe de mission'",
        "Chief of Mission: fr_plural 'Chefs de mission' -> 'Cheffes de mission'",
    ]
    changed = [line for line in new.splitlines() if line not in text.splitlines()]
    assert changed == ["    fr: Cheffe de mission", "    fr_plural: Cheffes de mission", "    es: trata de seres humanos"]
    assert len(new.splitlines()) == len(text.splitlines())


def test_a_term_in_flow_style_is_rewritten_in_block_style(tmp_path: Path) -> None:
    text = "# mine\nterms:\n  - {source: IOM, es: OIM}  # short\n  - source: WHO\n    es: OMS\ndo_not_translate: []\n"
    path = tmp_path / "glossary.yaml"
    glossary = parse_glossary(text, path)
    incoming = [Term("IOM", targets=(("fr", "OIM"),)), Term("Geneva", keep=True)]
    new, _ = merge_glossary(text, glossary, incoming, ["es", "fr"], label="x")
    assert new == (
        "# mine\nterms:\n  - source: IOM\n    es: OIM\n    fr: OIM\n  - source: WHO\n    es: OMS\n"
        "do_not_translate:\n  # --- imported from x\n  - Geneva\n"
    )
    assert parse_glossary(new, path).do_not_translate == ("Geneva",)


def test_an_empty_file_gets_both_lists(tmp_path: Path) -> None:
    new, report = merge_glossary("", Glossary(), [Term("IOM", targets=(("es", "OIM"),), match_case=True),
                                                   Term("Geneva", keep=True)], ["es"], label="x")
    assert new == ("terms:\n  # --- imported from x\n  - source: IOM\n    es: OIM\n\n"
                   "do_not_translate:\n  # --- imported from x\n  - Geneva\n")
    assert (report.added, report.names) == (["IOM"], ["Geneva"])


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cc"]), min_size=1).filter(lambda s: s.strip() == s))
def test_any_value_is_written_so_yaml_reads_it_back(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(value)}\n") == {"key": value}
    assert yaml.safe_load(f"key: [{yaml_scalar(value, flow=True)}, x]\n") == {"key": [value, "x"]}
