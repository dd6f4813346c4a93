"""gettext's normal forms that the catalog model and the PO files share (i18n_pipeline.pounit):
flags, references and header fields as GNU gettext writes them, so ``msgcat`` changes nothing."""

from __future__ import annotations

import pytest

from i18n_pipeline.pounit import (
    canonical_flags,
    describe_entry,
    header_fields,
    is_gettext_flag,
    normalise_references,
    with_header_field,
)


@pytest.mark.parametrize(
    ("flags", "canonical"),
    [
        (["no-wrap", "python-format", "fuzzy"], ["fuzzy", "python-format", "no-wrap"]),
        (["python-format", "c-format"], ["c-format", "python-format"]),  # gettext's order of languages
        (["no-c-format", " fuzzy "], ["fuzzy", "no-c-format"]),
        (["range: 1..5", "fuzzy"], ["fuzzy", "range: 1..5"]),
        (["range:  01 .. 5"], ["range: 1..5"]),
        (["wrap"], []),  # the default: never written
        (["no-wrap", "wrap"], []),  # the last word counts
        # Unknown to gettext (msgcat would drop them): kept after gettext's, each once, in order,
        # since a translator's "ignore-<check>" silences a QA check.
        (["my-flag", "klingon-format", "machine"], ["my-flag", "klingon-format", "machine"]),
        (
            ["ignore-words", "no-wrap", "fuzzy", "ignore-numbers", "ignore-words"],
            ["fuzzy", "no-wrap", "ignore-words", "ignore-numbers"],
        ),
    ],
)
def test_flags_as_gettext_writes_them(flags: list[str], canonical: list[str]) -> None:
    assert canonical_flags(flags) == canonical


@pytest.mark.parametrize(
    ("flag", "known"),
    [("fuzzy", True), ("no-wrap", True), ("wrap", True), ("c-format", True), ("no-python-format", True),
     ("range: 1..5", True), ("klingon-format", False), ("ignore-words", False), ("", False)],
)
def test_gettext_flags_are_told_from_a_translators_own(flag: str, known: bool) -> None:
    assert is_gettext_flag(flag) is known


def test_references_without_dot_slash_and_each_once() -> None:
    assert normalise_references(["./news:p1", "news:p1", "././news:h1", "", "news:p2"]) == ["news:p1", "news:h1", "news:p2"]


def test_header_fields() -> None:
    text = "Project-Id-Version: seed\nLanguage: es\nno colon here\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    assert header_fields(text) == [
        ("Project-Id-Version", "seed"),
        ("Language", "es"),
        ("Plural-Forms", "nplurals=2; plural=(n != 1);"),
    ]


def test_setting_a_header_field_keeps_every_other_line() -> None:
    text = "Project-Id-Version: seed\nlanguage: fr\nX-Note: a: b\n"
    assert with_header_field(text, "Language", "es") == "Project-Id-Version: seed\nLanguage: es\nX-Note: a: b\n"
    assert with_header_field(text, "Last-Translator", "Ana") == text + "Last-Translator: Ana\n"
    assert with_header_field("", "Language", "es") == "Language: es\n"
    assert with_header_field("Language: fr", "Language", "es") == "Language: es"  # no newline added


def test_an_entry_is_described_by_its_source_and_context() -> None:
    assert describe_entry("Contact", None) == "'Contact'"
    assert describe_entry("Contact", "menu") == "'Contact' (context 'menu')"
    long = "word " * 20
    assert describe_entry(long, None) == repr(long[:57] + "...")
