"""The small text helpers the ingest modules share (i18n_pipeline.ingest.shared)."""

from __future__ import annotations

import pytest

from i18n_pipeline.ingest.shared import plain_text, split_words, squeeze


def test_words_keep_inner_apostrophes_and_hyphens() -> None:
    assert split_words("IOM's counter-trafficking work – 185 victims, l’Office") == [
        "IOM's", "counter-trafficking", "work", "185", "victims", "l’Office"
    ]
    assert split_words("_ -- ... ¿?") == []


def test_squeeze() -> None:
    assert squeeze("  one\t two\n\nthree  ") == "one two three"
    assert squeeze("\n \t") == ""


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("Read [the report](https://example.org/r) now.", "Read the report now."),
        ("![A logo](logo.png) and <https://example.org/x>", "A logo and https://example.org/x"),
        ("# Title\n- item one\n1. item two\n> quoted", "Title\nitem one\nitem two\nquoted"),
        ("**Bold**, *em*, `code` and __strong__", "Bold, em, code and strong"),
        ("1\\. Not a list, and 5 \\# signs", "1. Not a list, and 5 # signs"),
        # Escaped stars and underscores are literal: they stay.
        ("a \\*star\\* and an \\_underscore\\_", "a *star* and an _underscore_"),
    ],
)
def test_plain_text_of_markdown(markdown: str, text: str) -> None:
    assert plain_text(markdown) == text
