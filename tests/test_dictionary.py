"""Words of a language (i18n_pipeline.dictionary): Debian's Hunspell dictionaries through
pyenchant, and what counts as a word beyond the dictionary's own answer."""

from __future__ import annotations

import logging

import pytest

from i18n_pipeline.dictionary import dictionary_for


def test_spanish_and_french_dictionaries_are_there() -> None:
    es, fr = dictionary_for("es"), dictionary_for("fr")
    assert es is not None and es.tag.startswith("es_")  # make test installs hunspell-es
    assert fr is not None and fr.tag.startswith("fr")
    assert dictionary_for("es_MX") is not None and dictionary_for("es-ES") is not None


@pytest.mark.parametrize(
    ("language", "word", "known"),
    [
        ("es", "personas", True), ("es", "trafficked", False), ("es", "acrónimo", True), ("es", "Las", True),
        ("fr", "acrónimo", False), ("fr", "acronyme", True), ("fr", "trafficked", False),
        ("fr", "l'assistance", True), ("fr", "l’assistance", True), ("fr", "qu'elle", True),  # elided article
        ("fr", "oeuvre", True), ("fr", "coeur", True),  # the ligature Apertium does not write
        ("fr", "c'est-à-dire", True), ("es", "franco-mexicano", True),  # every part a word
        ("fr", "quelqu'uns", False), ("es", "inter-coordinación", False),  # engine errors
    ],
)
def test_what_counts_as_a_word(language: str, word: str, known: bool) -> None:
    dictionary = dictionary_for(language)
    assert dictionary is not None
    assert dictionary.known(word) is known


def test_a_language_without_a_dictionary_is_skipped_with_the_package_to_install(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert dictionary_for("tlh") is None
    assert "hunspell-tlh" in caplog.text and "skipped" in caplog.text
