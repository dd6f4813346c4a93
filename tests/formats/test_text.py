"""The plain-text format (i18n_pipeline.formats.text): paragraphs, wrapped lines and headings."""

from __future__ import annotations

from i18n_pipeline.formats import render_document
from tests.formats.common import kinds, parse, upper


def test_text_paragraphs() -> None:
    text = "Title\n=====\n\nOne. Two\nlines.\n\nThree.\n"
    assert kinds(text, "text") == [
        ("heading", "Title"), ("paragraph", "One."), ("paragraph", "Two lines."), ("paragraph", "Three.")
    ]
    assert render_document(parse(text, "text"), upper) == "TITLE\n=====\n\nONE. TWO LINES.\n\nTHREE.\n"
