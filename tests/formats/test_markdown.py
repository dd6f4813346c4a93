"""The Markdown format (i18n_pipeline.formats.markdown): what a segment is, front matter values,
i18n on/off comments, Pandoc title blocks, and translations inserted as text only."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from i18n_pipeline.formats import ParseOptions, render_document
from i18n_pipeline.formats.markdown import _PARSED_RE, _reads_as_plain_text
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


# Text with none of the characters escape_text refuses outright (* ` [ ] <) and none that needs a
# parse (& \ NUL CR): what markdown-it reads in it must be that text and nothing else, as the
# shortcut in _reads_as_plain_text assumes. Any other character of any script, "_" and "!" too.
_PLAIN = st.text(st.characters(blacklist_characters="*`[]<&\\\x00\r", blacklist_categories=["Cs"]), max_size=60)
_COMMONMARK = MarkdownIt("commonmark")
_COMMONMARK.disable("text_join")


@given(_PLAIN | st.lists(st.sampled_from(["_", "!", "#", "~", ">", "-", " ", "  ", "a", "1.", "é", "\t", "\n", "|", "{"]))
       .map("".join))
def test_text_without_markup_characters_reads_as_itself(text: str) -> None:
    assume(not _PARSED_RE.search(text) and "\n" not in text)
    assume(not (text.endswith("!") or re.search(r"(?<!\w)_|_(?!\w)", text)))  # refused before the shortcut
    children = _COMMONMARK.parseInline(text)[0].children or []
    assert all(t.type == "text" for t in children) and "".join(t.content for t in children) == text
    assert _reads_as_plain_text(text)
