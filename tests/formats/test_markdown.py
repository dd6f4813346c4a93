"""The Markdown format (i18n_pipeline.formats.markdown): what a segment is, front matter values,
i18n on/off comments, Pandoc title blocks, and translations inserted as text only."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from i18n_pipeline.formats import ParseOptions, render_document
from tests.formats.common import ATTACKS, assert_no_injected_markup, kinds, parse, upper


def test_markdown_kinds_and_placeholders() -> None:
    text = (
        '---\ntitle: "A: title"\nauthor: Jane\ndescription: Short one\n---\n\n# Heading *here*\n\n'
        "- Item one\n\n> Quoted text\n\n![Alt text](a.png)\n\n"
        "Go [there](https://example.com/x) or mail press@example.com.\n"
    )
    doc = parse(text, "markdown")
    assert [(s.kind, s.text) for s in doc.segments] == [
        ("front matter: title", "A: title"),
        ("front matter: description", "Short one"),
        ("heading", "Heading <1>here</1>"),
        ("list item", "Item one"),
        ("quotation", "Quoted text"),
        ("image alt text", "Alt text"),
        ("paragraph", "Go <1>there</1> or mail <2/>."),
    ]
    last = doc.segments[-1]
    assert last.placeholders[0].note == "link to https://example.com/x"
    assert "https://" not in last.text and "@" not in last.text
    out = render_document(doc, upper)
    assert 'title: "A: TITLE"' in out and "author: Jane" in out and 'description: "SHORT ONE"' in out


def test_front_matter_keys_are_configurable() -> None:
    text = "---\ntitle: A title\nsubtitle: A subtitle\n---\n\nBody.\n"
    got = kinds(text, "markdown", ParseOptions(front_matter_keys=("subtitle",)))
    assert got == [("front matter: subtitle", "A subtitle"), ("paragraph", "Body.")]


def test_front_matter_quoting() -> None:
    text = "---\ntitle: 'It''s: \"here\"'\n---\n"
    doc = parse(text, "markdown")
    out = render_document(doc, lambda s: 'Aquí: "eso" # no comment')
    assert out == '---\ntitle: "Aquí: \\"eso\\" # no comment"\n---\n'


def test_markdown_i18n_off() -> None:
    text = "Before.\n\n<!-- i18n: off -->\n\nHidden.\n\n<!-- i18n: on -->\n\nAfter.\n"
    assert [t for _, t in kinds(text, "markdown")] == ["Before.", "After."]


def test_pandoc_title_block() -> None:
    text = "% The title\n  goes on\n% Author 1; Author 2\n% 2024\n\nBody.\n"
    doc = parse(text, "markdown")
    assert [s.text for s in doc.segments] == ["The title goes on", "Author 1", "Author 2", "Body."]
    assert render_document(doc, upper) == "% THE TITLE GOES ON\n% AUTHOR 1; AUTHOR 2\n% 2024\n\nBODY.\n"


@pytest.mark.parametrize("attack", ATTACKS)
def test_markdown_translations_are_text(attack: str) -> None:
    source = "---\ntitle: A title\n---\n\n# Heading\n\nSome *text* here.\n\n![Alt text](a.png)\n"
    doc = parse(source, "markdown")
    out = render_document(doc, lambda s: s.text + " " + attack)
    assert_no_injected_markup(MarkdownIt("commonmark", {"html": True}).render(out.split("---\n", 2)[2]))
