"""The HTML format (i18n_pipeline.formats.html): what a segment is (text, attributes, meta
description), what is skipped, attributes inside placeholders, and translations inserted as
text only."""

from __future__ import annotations

import pytest

from i18n_pipeline.formats import render_document
from tests.formats.common import ATTACKS, assert_no_injected_markup, elements, kinds, parse, upper


def test_html_kinds_and_skips() -> None:
    text = (
        '<html><head><title>Page title</title><meta name="description" content="A &amp; B">'
        "<style>p {}</style></head><body><h1>Head</h1><p>Run <code>make it</code> now.</p>"
        '<p translate="no">Acme GmbH</p><pre>raw text</pre><script>var a = "b";</script>'
        '<img src="a.png" alt="Alt here"><p><span title="Tip">Tipped</span> text</p>'
        "<!-- i18n: off --><p>Hidden</p><!-- i18n: on --><ul><li>Item</li></ul></body></html>"
    )
    assert kinds(text, "html") == [
        ("page title", "Page title"),
        ("meta description", "A & B"),
        ("heading", "Head"),
        ("paragraph", "Run <1/> now."),
        ("image alt text", "Alt here"),
        ("paragraph", "<1>Tipped</1> text"),
        ("title attribute", "Tip"),
        ("list item", "Item"),
    ]


def test_html_nested_attribute_is_translated_inside_placeholder() -> None:
    text = '<p>See <a href="x" title="Tip">the link</a> now.</p>'
    doc = parse(text, "html")
    assert render_document(doc, upper) == '<p>SEE <a href="x" title="TIP">THE LINK</a> NOW.</p>'
    assert render_document(doc, lambda s: upper(s) if s.kind == "title attribute" else None) == (
        '<p>See <a href="x" title="TIP">the link</a> now.</p>'
    )


def test_html_unquoted_attribute_gets_quotes() -> None:
    doc = parse("<img alt=Plant src=a.png>", "html")
    assert render_document(doc, lambda s: "Una planta") == '<img alt="Una planta" src=a.png>'


@pytest.mark.parametrize("attack", ATTACKS)
def test_html_translations_are_text(attack: str) -> None:
    source = (
        '<html><head><meta name="description" content="About it"><title>T</title></head>'
        '<body><p>Some <b>text</b>.</p><img alt=unquoted src=a.png><a title="Tip" href="x">Link</a></body></html>'
    )
    doc = parse(source, "html")
    out = render_document(doc, lambda s: s.text + " " + attack)
    assert_no_injected_markup(out)
    # Every translation stayed inside its element or attribute: the same elements, in order.
    assert [t for t, _ in elements(out)] == [t for t, _ in elements(source)]
