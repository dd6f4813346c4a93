"""The HTML format (i18n_pipeline.formats.html): what a segment is (text, attributes, meta
description), what is skipped, attributes inside placeholders, and translations inserted as
text only."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.formats import render_document
from i18n_pipeline.formats.html import _Tokenizer, html_text_pieces, tokenize
from i18n_pipeline.segment import Piece
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


@pytest.mark.parametrize(
    "source",
    ["x<1>&#<em>a</em> b", "<script>x</script> &#<b>c</b>", "one &b two", "text <a", "a &#x 1 &#<i>b</i>; <p>c"],
)
def test_html_event_spans_survive_what_the_parser_holds_back(source: str) -> None:
    """html.parser stops at an unfinished '&#', entity or tag and handles the rest in close(),
    from position 0 of what it kept: every event's span must still be the right one."""
    events = tokenize(source)
    assert events[0].start == 0 and events[-1].end == len(source)
    assert all(event.start <= event.end for event in events)
    for event, following in itertools.pairwise(events):
        assert event.end == following.start
    for event in events:
        raw = source[event.start : event.end].lower()
        if event.kind in ("start", "startend"):
            assert raw.startswith(f"<{event.tag}")
        elif event.kind == "end":
            assert raw.startswith(f"</{event.tag}")
    assert [(e.kind, e.start, e.tag) for e in tokenize("a&#b; <em>c</em>")] == [
        ("text", 0, ""), ("text", 1, ""), ("text", 3, ""), ("start", 6, "em"), ("text", 10, ""), ("end", 11, "em"),
    ]


class _LineTokenizer(_Tokenizer):
    """The oracle: offsets from getpos() (line and column) mapped back through line starts."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def updatepos(self, i: int, j: int) -> int:
        return HTMLParser.updatepos(self, i, j)  # the standard library's: lines and columns

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col


_BITS = st.sampled_from([
    "<p>", "</p>", "<a href='x'>", "</a>", "<script>", "</script>", "<!--", "-->", "&amp;", "&#", "&#x", "&#12", "&b", ";",
    "<", "<a", "</", "<!", "<?x?>", "<!DOCTYPE html>", "\n", "\r\n", "text ", "é", "<em>", "</em>", "<br/>", "<1>",
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_BITS, st.text(max_size=3)), max_size=25).map("".join))
def test_html_event_offsets_are_the_ones_getpos_gives(source: str) -> None:
    oracle = _LineTokenizer(source)
    try:
        oracle.feed(source)
        oracle.close()
    except AssertionError:  # _markupbase gives up on some declarations: so does tokenize
        with pytest.raises(AssertionError):
            tokenize(source)
        return
    assert [e.start for e in tokenize(source)] == sorted(e.start for e in oracle.events)


_WHITE_SPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())


@given(st.text(st.sampled_from(_WHITE_SPACE), min_size=1), st.text(max_size=3), st.text(max_size=3))
def test_a_white_space_run_is_one_text_piece(run: str, before: str, after: str) -> None:
    # _Walker.walk takes a run of white space as one text piece without html_text_pieces (no
    # reference and no URL fits in white space): the same pieces it would have made.
    source = before + run + after
    start, end = len(before), len(before) + len(run)
    assert html_text_pieces(source, start, end) == [Piece("text", start, end, run)]
