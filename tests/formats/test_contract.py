"""The format contract: parse(text, path, options) -> Document, render(document, lookup) -> str.

Every format passes the same properties: identity round trip (byte for byte, on generated
documents and on real pages), markup intact under an upper-casing translation, broken
placeholders never break a release, stable msgids and block ids under edits. What one format
does with its own markup is tested in test_<format>.py; the golden files in test_golden.py.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_pipeline.errors import DocumentError
from i18n_pipeline.formats import ParseOptions, format_of, parse_document, render_document
from i18n_pipeline.model import PLACEHOLDER_RE
from tests.formats.common import EXTENSIONS, assert_round_trips, parse
from tests.paths import EVAL

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


HYPOTHESIS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


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
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [("It hired people.", "It hired many people.")]


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


# --- which format a file is -----------------------------------------------------------------------


def test_the_format_follows_the_extension_and_an_unknown_one_names_the_fix() -> None:
    assert [format_of(p) for p in ("a.md", "b.MARKDOWN", "c.htm", "d.xhtml", "e.text", "f.txt")] == [
        "markdown", "markdown", "html", "html", "text", "text"
    ]
    with pytest.raises(DocumentError) as caught:
        format_of(Path("content/release.docx"))
    assert caught.value.where == "content/release.docx"
    assert caught.value.what == "unknown release format '.docx'" and "ingest" in caught.value.fix


# --- linear time ---------------------------------------------------------------------------------

_LONG_SENTENCES = {  # each with a URL and an address: pieces of their own, many per paragraph
    ".md": "The office *assisted* [victims](https://x.org/{i}) of trafficking, see www.x.org/{i} or a{i}@x.org.",
    ".html": "The office <em>assisted</em> <a href='https://x.org/{i}'>victims</a>, see www.x.org/{i} or a{i}@x.org.",
    ".txt": "The office assisted victims of trafficking, see https://x.org/{i} or write to a{i}@x.org.",
}
_SIZES = {".md": 500, ".html": 1000, ".txt": 2000}  # sentences: ~0.1 s of CPU each; Markdown costs most


def _one_paragraph(suffix: str, sentences: int) -> str:
    body = " ".join(_LONG_SENTENCES[suffix].format(i=i) for i in range(sentences))
    return f"<html><body><p>{body}</p></body></html>\n" if suffix == ".html" else body + "\n"


@pytest.mark.parametrize("suffix", sorted(_LONG_SENTENCES))
def test_one_long_paragraph_takes_linear_time(suffix: str) -> None:
    """Four times the paragraph, about four times the time (a quadratic step gives sixteen): a
    5 MB paragraph once took 217 s, a scan over every piece for every sentence."""
    def once(text: str, sentences: int) -> float:
        started = time.process_time()  # CPU: what other processes do is not counted
        document = parse_document(text, f"long{suffix}", ParseOptions())
        render_document(document, lambda s: s.text.replace("office", "oficina"))
        elapsed = time.process_time() - started
        assert len(document.segments) >= sentences
        return elapsed

    n = _SIZES[suffix]
    short, long = _one_paragraph(suffix, n), _one_paragraph(suffix, 4 * n)
    small = large = float("inf")
    for _ in range(3):  # interleaved, the best of three each: other load only ever adds time, to both
        small = min(small, once(short, n))
        large = min(large, once(long, 4 * n))
    assert large < 8 * max(small, 0.02), f"{suffix}: {n} sentences {small:.2f} s, {4 * n} sentences {large:.2f} s"


# --- fuzzing: only DocumentError ----------------------------------------------------------------

_MARKUP_BITS = st.sampled_from([
    "<p>", "</p>", "<a href='x'>", "</a>", "<script>", "</script>", "<!--", "-->", "<br>", "&amp;", "&#0;", "&#x110000;",
    "*", "**", "_", "`", "[", "](", ")", "![", "\n", "\n\n", "---\n", "# ", "> ", "- ", "1. ", "    ", "|", "<1>", "</1>",
    ":::", "% ", "<!-- i18n: off -->", "\\", "\r\n", "\x00", "é", "Sentence. Another one! ", "https://x.org ",
])  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_MARKUP_BITS, st.text(max_size=5)), max_size=30).map("".join), st.sampled_from(sorted(EXTENSIONS)))
def test_no_text_breaks_a_format_parser(text: str, fmt: str) -> None:
    try:
        document = parse(text, fmt)
    except DocumentError:
        return
    assert render_document(document, lambda s: None) == text
