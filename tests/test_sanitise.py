"""Nothing planted in a release, a PO file or an engine's output runs in a built page.

Hypothesis writes random HTML made of the pieces attacks are made of (script and style
elements, event handlers, ``javascript:`` and ``data:`` URLs in many spellings, comments, broken
tags, raw-text elements, SVG and MathML) and plants it in four places: the body of a Markdown
release (inline and as an HTML block), a reviewed msgstr, the output of an engine (a fake
engine in ``fill_catalogs``) and the body and head of an HTML release. Each built page is parsed
by two parsers (the standard library's and lxml's HTML parser, which differ in how they recover
from broken markup), and neither may find a script element, an event-handler attribute, a
script URL, an embedded document or a meta refresh.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser

import lxml.html  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_pipeline import sanitise
from i18n_pipeline.build import build_release
from i18n_pipeline.catalog import Catalog, new_template, template_entries, update_catalog
from i18n_pipeline.formats import ParseOptions, parse_document
from i18n_pipeline.formats.front_matter import split_front_matter
from i18n_pipeline.formats.markdown import to_html
from i18n_pipeline.model import PLACEHOLDER_RE, Document
from i18n_pipeline.sanitise import clean_fragment, clean_page, unsafe_markup
from i18n_pipeline.translate import fill_catalogs

OPTIONS = ParseOptions(language="en", sentences=True, front_matter_keys=("title",))
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- what an attacker writes ---------------------------------------------------------------------

_SCHEMES = ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)", "java\tscript:alert(1)",
            "&#106;avascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
            "https://example.org/", "/relative", "#top", "mailto:a@b.org"]  # fmt: skip
_ATTRIBUTES = ["onerror", "onclick", "onload", "onmouseover", "ONFOCUS", "href", "src", "action", "formaction",
               "srcdoc", "xlink:href", "style", "class", "title", "data", "http-equiv", "content", "autofocus"]  # fmt: skip
_TAGS = ["script", "img", "a", "svg", "iframe", "div", "span", "b", "style", "body", "input", "form", "meta", "base",
         "object", "embed", "textarea", "title", "noscript", "template", "math", "p", "button", "link", "video",
         "html", "head", "SCRIPT", "details", "select", "option", "xmp", "plaintext", "frameset"]  # fmt: skip
_TEXT = ["alert(1)", "Hello world.", "<", ">", '"', "'", "&", "&lt;script&gt;", "<!--", "-->", "]]>", "`", "\n",
         "</script>", "</style>", "<1>", "</1>", "<2/>", " ", "refresh", "0;url=javascript:alert(1)"]  # fmt: skip


@st.composite
def _attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(_ATTRIBUTES))
    value = draw(st.sampled_from(_SCHEMES + _TEXT))
    quote = draw(st.sampled_from(['"', "'", ""]))
    if not quote:
        value = re.sub(r"[\s>]", "", value) or "x"
    return f" {name}={quote}{value}{quote}"


@st.composite
def _tag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(_TAGS))
    if draw(st.booleans()):
        return f"</{name}>"
    attributes = "".join(draw(st.lists(_attribute(), max_size=3)))
    return f"<{name}{attributes}{draw(st.sampled_from(['>', '/>', ' >', '']))}"


fragments = st.lists(st.one_of(_tag(), st.sampled_from(_TEXT), st.text(max_size=8)), min_size=1, max_size=12).map("".join)

# --- what must not be in a page ------------------------------------------------------------------

DANGEROUS_ELEMENTS = {"script", "iframe", "object", "embed", "base", "frame", "frameset", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}
_SCRIPT_URL_RE = re.compile(r"(?:javascript|vbscript|data):", re.I)


def _live(tag: str, attributes: Sequence[tuple[str, str | None]]) -> list[str]:
    found = []
    tag = tag.lower().rsplit("}", 1)[-1]
    if tag in DANGEROUS_ELEMENTS:
        found.append(f"<{tag}>")
    for name, value in attributes:
        name = name.lower()
        if name.startswith("on"):
            found.append(f"<{tag} {name}=>")
        if name == "srcdoc":
            found.append(f"<{tag} srcdoc=>")
        # What a browser does with a URL: entities decoded, tabs, newlines and controls ignored.
        url = re.sub(r"[\x00-\x20]", "", html.unescape(value or ""))
        if name in URL_ATTRIBUTES and _SCRIPT_URL_RE.match(url):
            found.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and name == "http-equiv" and (value or "").strip().lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
    return found


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.live += _live(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.live += _live(tag, attrs)


def live_code(page: str) -> list[str]:
    """Scripts, handlers and script URLs in ``page``, as html.parser and lxml see them."""
    collect = _Collect()
    collect.feed(page)
    collect.close()
    found = list(collect.live)
    if page.strip():
        root = lxml.html.document_fromstring(page)
        for element in root.iter():
            if isinstance(element.tag, str):
                found += _live(element.tag, list(element.attrib.items()))
    return found


# --- the four ways in ----------------------------------------------------------------------------

RELEASE = """---
title: Shelters open in the north
date: 2011-08-03
---

# Shelters open

Three shelters opened this week. They have 300 beds in total.
"""


def _catalog(document: Document) -> Catalog:
    template = new_template(template_entries(document), project="test", creation_date="2026-11-29 10:00+0000")
    return update_catalog(None, template, language="es", project="test")


def _with_placeholders(source: str, text: str) -> str:
    """``text`` carrying exactly the placeholders of ``source`` (else the build would not use it)."""
    text = PLACEHOLDER_RE.sub("", text)
    return text + " " + " ".join(m.group(0) for m in PLACEHOLDER_RE.finditer(source)) if "<" in source else text


@EXAMPLES
@given(fragments)
def test_html_in_a_markdown_release_never_runs(fragment: str) -> None:
    for release in (
        RELEASE.replace("They have", f"They {fragment} have"),  # inline HTML
        RELEASE + "\n" + fragment + "\n",  # an HTML block
        RELEASE.replace("title: Shelters", f"title: {fragment!r} Shelters") if "\\" not in fragment else RELEASE,
    ):
        try:
            document = parse_document(release, "news.md", OPTIONS)
        except Exception:  # noqa: BLE001 - a front matter Hypothesis broke is another test's subject
            continue
        built = build_release(document, _catalog(document), "es", include_machine=True)
        assert live_code(built.html) == [], (release, built.html)


@EXAMPLES
@given(fragments)
def test_html_in_a_reviewed_translation_never_runs(fragment: str) -> None:
    document = parse_document(RELEASE.replace("They have", "They <b>really</b> have"), "news.md", OPTIONS)
    catalog = _catalog(document)
    for entry in catalog.entries():
        catalog.set_suggestion(entry.source, entry.context, _with_placeholders(entry.source, fragment), "", approved=True)
    built = build_release(document, catalog, "es", include_machine=False)
    assert live_code(built.html) == [], built.html
    assert live_code(_rendered_elsewhere(built.markdown)) == [], built.markdown


def _rendered_elsewhere(markdown: str) -> str:
    """The built Markdown as another site generator would render it (raw HTML on, no sanitiser):
    translations are escaped for Markdown, so they stay text there too."""
    return to_html(split_front_matter(markdown, "news.md")[1])


class _PlantingEngine:
    """An engine whose every answer is the planted fragment (placeholders kept, so it is used)."""

    name = "planted"

    def __init__(self, fragment: str) -> None:
        self.fragment = fragment

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [_with_placeholders(text, self.fragment) for text in texts]

    def describe(self, source: str, target: str) -> str:
        return "planted"

    def supports(self, source: str, target: str) -> bool:
        return True

    def close(self) -> None:
        pass

    def __enter__(self) -> _PlantingEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


@EXAMPLES
@given(fragments)
def test_html_from_an_engine_never_runs(fragment: str) -> None:
    document = parse_document(RELEASE.replace("They have", "They <b>really</b> have"), "news.md", OPTIONS)
    catalog = _catalog(document)
    fill_catalogs(
        {"news": catalog}, source_language="en", target_language="es", engines=("planted",),
        open_engine=lambda name: _PlantingEngine(fragment),
    )
    built = build_release(document, catalog, "es", include_machine=True)
    assert live_code(built.html) == [], built.html
    assert live_code(_rendered_elsewhere(built.markdown)) == [], built.markdown


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>Shelters open</title>
  HEAD
</head>
<body>
  <h1>Shelters open</h1>
  <p>Three shelters opened this week. BODY They have 300 beds.</p>
</body>
</html>
"""


@EXAMPLES
@given(fragments, fragments)
def test_html_in_an_html_release_never_runs(head: str, body: str) -> None:
    page = PAGE.replace("HEAD", head).replace("BODY", body)
    document = parse_document(page, "news.html", OPTIONS)
    catalog = _catalog(document)
    for entry in catalog.entries():
        catalog.set_suggestion(entry.source, entry.context, _with_placeholders(entry.source, body), "", approved=True)
    for cat in (catalog, None):
        built = build_release(document, cat, "es", include_machine=False)
        assert live_code(built.markdown) == [], built.markdown  # an HTML release's page is its one output


# --- examples a reader can check by eye ------------------------------------------------------------


def test_the_reported_attacks_are_gone_and_ordinary_markup_stays() -> None:
    release = RELEASE.replace(
        "They have 300 beds in total.",
        'They have <b>300</b> beds. <script>alert(1)</script> <div onmouseover="steal()">Hover</div> '
        '<a href="javascript:alert(1)">here</a>.',
    )
    page = build_release(parse_document(release, "news.md", OPTIONS), None, "es", include_machine=False).html
    assert live_code(page) == []
    assert "alert(1)" not in page and "steal()" not in page
    assert "<b>300</b>" in page and "Hover" in page and "<a>here</a>" in page


def test_a_whole_page_keeps_its_structure_and_harmless_attributes() -> None:
    page = clean_page(
        '<!DOCTYPE html>\n<html lang="es" onload="x()">\n<head><meta charset="utf-8"><title>T</title>'
        '<script>alert(1)</script><meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
        '<link rel="stylesheet" href="site.css"><link rel="import" href="x.html"></head>\n'
        '<body class="news" onload="y()"><p>60\u00a0% <img src="a.png" onerror="z()"></p></body>\n</html>\n'
    )
    assert page == (
        '<!DOCTYPE html>\n<html lang="es">\n<head><meta charset="utf-8"><title>T</title>'
        '<meta content="0;url=javascript:alert(1)"><link rel="stylesheet" href="site.css"><link href="x.html"></head>\n'
        '<body class="news"><p>60\u00a0% <img src="a.png"></p></body>\n</html>\n'
    )
    assert clean_fragment("<p>Fine <em>text</em>.</p>") == "<p>Fine <em>text</em>.</p>"


def test_authors_are_told_which_raw_html_is_left_out() -> None:
    assert unsafe_markup("<b>") is None and unsafe_markup('<a href="https://x.org">') is None
    assert unsafe_markup("<script>") == "<script> and its content are left out of the built page"
    assert unsafe_markup('<img src="x" onerror="y()">') == "the attribute onerror= of <img> is left out of the built page"
    assert unsafe_markup('<a href=" javascript:y()">') == "the javascript: link of <a> is left out of the built page"


def test_a_scripts_body_is_never_text_to_translate() -> None:
    document = parse_document("Call <script>steal(document.cookie)</script> us now.\n", "news.md", OPTIONS)
    assert [s.text for s in document.segments] == ["Call <1/> us now."]
    assert document.segments[0].placeholders[0].opening == "<script>steal(document.cookie)</script>"


# Pieces of pages: the structure tags in many spellings, other tags, attribute values holding
# markup, text with "<" and entities, and what plain tag syntax excludes (comments, scripts,
# stray "</", unquoted oddities, non-ASCII white space inside a tag).
_PIECES = st.sampled_from([
    "<html>", '<html lang="es" dir=ltr>', "<HTML LANG='fr'>", "<html\nlang=\"de\"\n>", "</html>", "</HTML >",
    "<head>", "<head/>", "</head>", "<body>", '<body class="a b" onload="x()">', "<body id=x/>", "</body>", "</body\n>",
    "<p>", "</p>", '<a href="x?a=1&amp;b=2" title=\'<body>\'>', '<img src=a.png alt="x > y">', "<br/>", "<my-el x>",
    "<a title=\"</html>\">", "text", " & ", "a < b", "5 <3", "&lt;body&gt;", "\n", "<!-- <body> -->", "<script><body></script>",
    "<STYLE>p{}</style>", "</ body>", "</>", "<!x>", "<?pi?>", '<a x="1"y="2">', "<b\u00a0x>", "<a href='x\u00a0y'>", "<",
    "<a\tb=c\fd>", '<a b = "c" >', "<textarea><body></textarea>", "<title>T</title>", "</3>",
    "<bodyx>", "<body-x>", "<\u017fcript>", "<\u0130tml>", "<BoDy\tx='<html>'>", "<head", "<html x='>",
    "<p title='</body>'>", "</head x=\"<body>\">", "<sCrIpT>",
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["", "<!DOCTYPE html>\n", " <!doctype html>", "<!DOCTYPE>"]), st.lists(_PIECES, max_size=14))
def test_pages_in_plain_tag_syntax_are_read_as_html_parser_reads_them(doctype: str, pieces: list[str]) -> None:
    page = doctype + "".join(pieces)
    found = sanitise._plain_structure(page)
    assert found is None or found == sanitise._parsed_structure(page)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14))
def test_the_structure_and_raw_text_tags_are_those_every_tag_gives(pieces: list[str]) -> None:
    """_plain_structure reads only the tags it needs: the same spans as reading every tag."""
    page = "".join(pieces)
    every = [
        (m.start(), m.end(), m.group(1), m.group(2))
        for m in sanitise._PLAIN_TAG_RE.finditer(page)
        if m.group(2).lower() in {"html", "head", "body"} | sanitise._RAW_TEXT
    ]
    assert list(sanitise._noted_tags(page)) == every


def test_our_pages_are_in_plain_tag_syntax() -> None:
    page = '<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n</head>\n<body>\n<p>1 < 2</p>\n</body>\n</html>\n'
    assert sanitise._plain_structure(page) == sanitise._parsed_structure(page)
    assert sanitise._plain_structure(page) is not None
    assert sanitise._plain_structure(page.replace("<p>", "<!-- x --><p>")) is None
