"""What the format tests share: parsing by format name, the identity and upper-casing lookups,
the round-trip assertion of the contract, and what a browser would see in rendered HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from i18n_pipeline.formats import ParseOptions, parse_document, render_document
from i18n_pipeline.model import Document, Segment
from i18n_pipeline.segment import map_text

EXTENSIONS = {"markdown": ".md", "html": ".html", "text": ".txt"}


def parse(text: str, fmt: str, options: ParseOptions | None = None) -> Document:
    return parse_document(text, f"release{EXTENSIONS[fmt]}", options or ParseOptions())


def identity(segment: Segment) -> str:
    return segment.text


def upper(segment: Segment) -> str:
    """Upper-case the text outside placeholders."""
    return map_text(segment.text, str.upper)


def assert_round_trips(text: str, fmt: str) -> None:
    doc = parse(text, fmt)
    assert render_document(doc, identity) == text
    assert render_document(doc, lambda s: None) == text
    # Markup intact: the upper-cased release re-parses into as many blocks and placeholders.
    para = ParseOptions(sentences=False)
    before = parse(text, fmt, para)
    after = parse(render_document(before, upper), fmt, para)
    assert len(after.segments) == len(before.segments)
    assert [len(s.placeholders) for s in after.segments] == [len(s.placeholders) for s in before.segments]


def kinds(text: str, fmt: str, options: ParseOptions | None = None) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in parse(text, fmt, options).segments]


class _Elements(HTMLParser):
    """Start tags and their attributes, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_no_injected_markup(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag != "script"
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not str(attrs.get("href", "")).startswith("javascript")
        assert attrs.get("src") != "x"


# Text an attacker might get into a translation: it must come out as text, never as markup.
ATTACKS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '" onmouseover="alert(1)', "[x](javascript:alert(1))"]
