"""The format contract: parse(text, path, options) -> Document, render(document, lookup) -> str.

Every format passes the same properties: identity round trip (byte for byte), markup intact
under an upper-casing translation, broken placeholders never break a release, translations are
inserted as text only, stable msgids and block ids under edits. Golden files in tests/data/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from i18n_pipeline.formats import ParseOptions, parse_document, render_document
from i18n_pipeline.model import PLACEHOLDER_RE, Document, Segment
from i18n_pipeline.segment import map_text
from tests.paths import DATA, EVAL

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


# --- Hypothesis documents --------------------------------------------------------------------

WORDS = st.sampled_from(
    "the press release Acme U.S. Dr. No. 5 3.5 million café naïve 東京 ünïcödé e.g. etc. "
    "announced today growth & partners <tag> 1. # * _ [x] \\ — “quoted” (see above.)".split()
)
URLS = st.sampled_from(["https://example.com/a?b=1&c=2", "www.example.org", "press@example.com"])


@st.composite
def sentence(draw: st.DrawFn, inline: Callable[[str], st.SearchStrategy[str]]) -> str:
    words = draw(st.lists(st.one_of(WORDS, WORDS, WORDS, URLS, inline("x")), min_size=1, max_size=8))
    end = draw(st.sampled_from([".", "!", "?", "…", '."', "", "..."]))
    return " ".join(words) + end


def md_inline(_: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            "*em*", "**strong**", "`code`", "[link](https://example.com/x)", "[ref][r]",
            "<b>bold</b>", "<br>", "![alt text](img.png)", "\\*", "&amp;", "&copy;", "<https://a.b/c>",
            "_under_", "a  \nb",
        ]
    )


def html_inline(_: str) -> st.SearchStrategy[str]:
    return st.sampled_from(
        [
            "<em>em</em>", "<strong>strong</strong>", "<code>x &lt; y</code>", '<a href="https://e.com/?a=1&amp;b=2">link</a>',
            "<br>", "<br/>", '<img src="a.png" alt="An image">', "&amp;", "&nbsp;", "&#8212;",
            '<span title="A title">span</span>', "<b>unclosed", "</i>", "<!-- note -->",
        ]
    )


def text_inline(_: str) -> st.SearchStrategy[str]:
    return st.sampled_from(["(x)", "--", "'s", "#1"])


def paragraph(inline: Callable[[str], st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    return st.lists(sentence(inline), min_size=1, max_size=4).map(" ".join)


NEWLINE = st.sampled_from(["\n", "\r\n"])


@st.composite
def markdown_docs(draw: st.DrawFn) -> str:
    blocks: list[str] = []
    if draw(st.booleans()):
        title = draw(paragraph(text_inline)).replace('"', "'").replace("\\", "/")
        blocks.append(f'---\ntitle: "{title}"\nsummary: \'{draw(WORDS)} words\'\ntags: [a, b]\n---')
    for _ in range(draw(st.integers(1, 6))):
        p = draw(paragraph(md_inline))
        blocks.append(
            draw(
                st.sampled_from(
                    [p, f"# {p}", f"## {p} ##", f"- {p}\n- {p}", f"1. {p}", f"> {p}", f"{p}\n{p}",
                     f"    code {p}", f"```\n{p}\n```", f"<div>{p}</div>", f"{p}\n===", "<!-- i18n: off -->",
                     "<!-- i18n: on -->", "***", "[r]: https://example.com/ref"]
                )
            )
        )
    nl = draw(NEWLINE)
    return ("\n\n".join(blocks) + draw(st.sampled_from(["", "\n"]))).replace("\n", nl)


@st.composite
def html_docs(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        p = draw(paragraph(html_inline))
        tag = draw(st.sampled_from(["p", "h1", "li", "div", "td", "blockquote", "title"]))
        parts.append(
            draw(
                st.sampled_from(
                    [f"<{tag}>{p}</{tag}>", p, f"<{tag} class='x'>{p}", f'<p translate="no">{p}</p>',
                     f"<script>var s = '{p}';</script>", f"<pre>{p}</pre>", "<!-- i18n: off -->", "<!-- i18n: on -->",
                     f'<meta name="description" content="{p.replace(chr(34), "")}">', f"<img alt={draw(WORDS)}>"]
                )
            )
        )
    nl = draw(NEWLINE)
    body = nl.join(parts)
    if draw(st.booleans()):
        return f"<!DOCTYPE html>{nl}<html lang=en><head><title>T</title></head><body>{nl}{body}{nl}</body></html>"
    return body


@st.composite
def text_docs(draw: st.DrawFn) -> str:
    nl = draw(NEWLINE)
    paras = draw(st.lists(paragraph(text_inline), min_size=1, max_size=5))
    wrapped = [p.replace(" ", nl, 1) if draw(st.booleans()) else p for p in paras]
    return (nl + draw(st.sampled_from(["", "  "])) + nl).join(wrapped) + nl


HYPOTHESIS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(markdown_docs())
def test_markdown_identity_property(text: str) -> None:
    assert_round_trips(text, "markdown")


@HYPOTHESIS
@given(html_docs())
def test_html_identity_property(text: str) -> None:
    assert_round_trips(text, "html")


@HYPOTHESIS
@given(text_docs())
def test_text_identity_property(text: str) -> None:
    assert_round_trips(text, "text")


# --- real pages and peer-suite inputs ----------------------------------------------------------


def eval_inputs() -> list[Path]:
    if not EVAL.is_dir():
        return []
    found = sorted((EVAL / "html-pages").rglob("*.html"))
    peer = EVAL / "peer-suites"
    found += sorted(p for p in (peer / "po4a" / "t" / "fmt").rglob("*") if p.suffix in (".md", ".html", ".text"))
    found += sorted(p for p in (peer / "mdpo").rglob("*") if p.suffix in (".md", ".html"))
    return found


@pytest.mark.skipif(not EVAL.is_dir(), reason=f"evaluation data not found at {EVAL} (../shared/eval is absent outside CI)")
@pytest.mark.parametrize("path", eval_inputs(), ids=lambda p: str(p.relative_to(EVAL)))
def test_eval_inputs_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fmt = {".md": "markdown", ".html": "html", ".text": "text"}[path.suffix]
    assert_round_trips(text, fmt)


# --- golden files --------------------------------------------------------------------------------


def golden_cases() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file() and ".expect." not in p.name and not p.name.endswith(".po"))


@pytest.mark.parametrize("path", golden_cases(), ids=lambda p: str(p.relative_to(DATA)))
def test_golden_upper(path: Path) -> None:
    """``<case>.<ext>`` upper-cased gives ``<case>.expect.upper.<ext>``; ``.segments`` lists msgids."""
    fmt = {".md": "markdown", ".html": "html", ".txt": "text"}[path.suffix]
    text = path.read_text(encoding="utf-8")
    doc = parse(text, fmt)
    assert render_document(doc, identity) == text
    expect = path.with_name(f"{path.stem}.expect.upper{path.suffix}")
    assert render_document(doc, upper) == expect.read_text(encoding="utf-8")
    listing = path.with_name(f"{path.stem}.expect.segments")
    got = "".join(f"{s.kind} | {s.block} | {s.text}\n" for s in doc.segments)
    assert got == listing.read_text(encoding="utf-8")


# --- placeholders an engine broke ----------------------------------------------------------------

SAMPLES = {
    "markdown": "Read *this* [guide](https://example.com/g) now.\n",
    "html": '<p>Read <em>this</em> <a href="https://example.com/g">guide</a> now.</p>\n',
    "text": "Read this guide at https://example.com/g now.\n",
}


MUTATIONS: dict[str, Callable[[str], str]] = {
    "dropped": lambda t: PLACEHOLDER_RE.sub("", t),
    "duplicated": lambda t: t + " " + next(PLACEHOLDER_RE.finditer(t)).group(0),
    "pair reversed": lambda t: re.sub(r"<(\d+)>(.*?)</\1>", r"</\1>\2<\1>", t),
    "renumbered": lambda t: t.replace("<1", "<9").replace("</1", "</9"),
}


@pytest.mark.parametrize(
    ("fmt", "mutation"),
    # Plain text has no paired markup, so a pair cannot be reversed there.
    [(f, m) for f in sorted(SAMPLES) for m in MUTATIONS if not (f == "text" and m == "pair reversed")],
)
def test_broken_placeholders_keep_the_source(fmt: str, mutation: str) -> None:
    broken = MUTATIONS[mutation]
    doc = parse(SAMPLES[fmt], fmt)
    # Every segment the mutation changes gets the broken translation; the rest stay as they are.
    mutated = {seg.start: broken(seg.text.upper()) for seg in doc.segments if "<" in seg.text}
    mutated = {k: v for k, v in mutated.items() if v != next(s.text.upper() for s in doc.segments if s.start == k)}
    assert mutated, "the sample has a segment this mutation breaks"
    assert render_document(doc, lambda s: mutated.get(s.start)) == SAMPLES[fmt]


# --- stable msgids ------------------------------------------------------------------------------

RELEASES = {
    "markdown": "# Acme grows\n\nAcme grew. It hired people. Sales rose.\n\n- One item.\n",
    "html": "<h1>Acme grows</h1>\n<p>Acme grew. It hired people. Sales rose.</p>\n<ul><li>One item.</li></ul>\n",
    "text": "Acme grows\n\nAcme grew. It hired people. Sales rose.\n\nOne item.\n",
}
INSERTED = {
    "markdown": "A new first paragraph.\n\n",
    "html": "<p>A new first paragraph.</p>\n",
    "text": "A new first paragraph.\n\n",
}


@pytest.mark.parametrize("fmt", sorted(RELEASES))
def test_changing_one_sentence_changes_one_msgid(fmt: str) -> None:
    before = parse(RELEASES[fmt], fmt)
    after = parse(RELEASES[fmt].replace("It hired people.", "It hired many people."), fmt)
    old = [s.text for s in before.segments]
    new = [s.text for s in after.segments]
    assert len(old) == len(new)
    assert [(a, b) for a, b in zip(old, new) if a != b] == [("It hired people.", "It hired many people.")]


@pytest.mark.parametrize("fmt", sorted(RELEASES))
def test_inserting_a_paragraph_changes_no_existing_segment(fmt: str) -> None:
    before = parse(RELEASES[fmt], fmt)
    text = RELEASES[fmt]
    at = text.index("Acme grew")
    if fmt == "html":
        at = text.index("<p>")
    after = parse(text[:at] + INSERTED[fmt] + text[at:], fmt)
    key = [(s.text, s.block, s.kind) for s in before.segments]
    new = [(s.text, s.block, s.kind) for s in after.segments]
    assert [k for k in new if k not in key] == [("A new first paragraph.", "p-a-new-first-paragraph", "paragraph")]
    assert [k for k in new if k in key] == key


# --- rendering is safe --------------------------------------------------------------------------

ATTACKS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '" onmouseover="alert(1)', "[x](javascript:alert(1))"]


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


@pytest.mark.parametrize("attack", ATTACKS)
def test_markdown_translations_are_text(attack: str) -> None:
    source = "---\ntitle: A title\n---\n\n# Heading\n\nSome *text* here.\n\n![Alt text](a.png)\n"
    doc = parse(source, "markdown")
    out = render_document(doc, lambda s: s.text + " " + attack)
    assert_no_injected_markup(MarkdownIt("commonmark", {"html": True}).render(out.split("---\n", 2)[2]))


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


# --- what a segment is -----------------------------------------------------------------------


def kinds(text: str, fmt: str, options: ParseOptions | None = None) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in parse(text, fmt, options).segments]


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


def test_text_paragraphs() -> None:
    text = "Title\n=====\n\nOne. Two\nlines.\n\nThree.\n"
    assert kinds(text, "text") == [("heading", "Title"), ("paragraph", "One."), ("paragraph", "Two lines."), ("paragraph", "Three.")]
    assert render_document(parse(text, "text"), upper) == "TITLE\n=====\n\nONE. TWO LINES.\n\nTHREE.\n"


def test_pandoc_title_block() -> None:
    text = "% The title\n  goes on\n% Author 1; Author 2\n% 2024\n\nBody.\n"
    doc = parse(text, "markdown")
    assert [s.text for s in doc.segments] == ["The title goes on", "Author 1", "Author 2", "Body."]
    assert render_document(doc, upper) == "% THE TITLE GOES ON\n% AUTHOR 1; AUTHOR 2\n% 2024\n\nBODY.\n"
