"""Safe HTML: no page the build writes can run a script.

A release is text copied from the web, a PO file is edited by people we do not control and an
engine answers whatever it likes, so every built HTML page goes through an allowlist sanitiser,
ammonia (through ``nh3``, the one room that imports it): what is not on the list is dropped
(elements whose content is code, such as ``<script>``, with their content), every attribute not
on the list goes (``onclick`` and every other event handler), and URLs keep only the schemes
below (no ``javascript:``). :func:`clean_page` keeps a whole document's ``<html>``, ``<head>``
and ``<body>`` (ammonia cleans fragments), with their harmless attributes only.

:func:`unsafe_markup` tells the Markdown format which raw HTML of a release will not survive,
so that the author is warned at extraction rather than surprised by the page.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import nh3

__all__ = ["clean_fragment", "clean_page", "unsafe_markup"]

# ammonia's defaults plus the structure and head elements a press release page uses.
TAGS = frozenset(nh3.ALLOWED_TAGS) | {
    "address", "main", "section", "picture", "source", "span", "div", "time", "figure", "figcaption",
    "title", "meta", "link", "style",
    "form", "input", "button", "label", "select", "option", "textarea",  # a subscription box
}  # fmt: skip
# Elements dropped with everything inside them: code, embedded documents, foreign content.
DROPPED_WITH_CONTENT = frozenset(
    "script iframe object embed applet noscript noembed noframes template svg math xmp frameset frame".split()
)
GENERIC_ATTRIBUTES = frozenset({"class", "id", "lang", "dir", "title", "translate", "role"})
ATTRIBUTES: dict[str, set[str]] = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag, _names in {
    "a": {"href", "hreflang", "rel", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "source": {"srcset", "type", "media"},
    "time": {"datetime"},
    "meta": {"charset", "name", "content", "property"},
    "link": {"href", "hreflang", "type", "media", "sizes"},
    "ol": {"start", "reversed", "type"},
    "form": {"method", "name"},  # no action: a form posts to the page itself, never to a script URL
    "input": {"type", "name", "value", "placeholder", "size", "maxlength", "disabled", "required", "checked"},
    "button": {"type", "name", "value", "disabled"},
    "label": {"for"},
    "select": {"name", "multiple", "disabled"},
    "option": {"value", "selected", "disabled"},
    "textarea": {"name", "rows", "cols", "placeholder", "disabled"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope"},
}.items():
    ATTRIBUTES.setdefault(_tag, set()).update(_names)
ATTRIBUTES["*"] = set(GENERIC_ATTRIBUTES)
# Attribute values restricted to a few: a <link> may load a style sheet, never a script module;
# a <meta http-equiv> may give the content type, never a refresh to another URL.
ATTRIBUTE_VALUES = {
    "link": {"rel": {"stylesheet", "canonical", "alternate", "icon", "license", "author"}},
    "meta": {"http-equiv": {"content-type", "content-language", "x-ua-compatible"}},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_ARIA = frozenset({"aria-"})

# The elements of a document's structure, rebuilt by clean_page with these attributes only.
_STRUCTURE = {"html": {"lang", "dir", "xml:lang", "xmlns"}, "head": set(), "body": {"lang", "dir", "class", "id"}}
_DOCTYPE_RE = re.compile(r"\A\s*<!DOCTYPE[^>]*>", re.I)


# Built once: nh3.clean builds its sanitiser on every call, ten times the cost of cleaning a
# paragraph (a page is cleaned in several fragments, every page of every build).
_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    tag_attribute_values={tag: {a: set(v) for a, v in values.items()} for tag, values in ATTRIBUTE_VALUES.items()},
    url_schemes=set(URL_SCHEMES),
    generic_attribute_prefixes=set(_ARIA),
    link_rel=None,
    strip_comments=False,
)


def clean_fragment(fragment: str) -> str:
    """``fragment`` with everything that could run a script removed.

    ammonia writes U+00A0 as ``&nbsp;``; it is put back as the character (CLDR numbers and French
    punctuation are full of them, and an entity means the same to a browser)."""
    cleaned: str = _CLEANER.clean(fragment)
    return cleaned.replace("&nbsp;", "\u00a0")


class _Structure(HTMLParser):
    """Where the document's own html/head/body tags are (the first of each, in source order)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []  # start, end, rebuilt tag
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._seen: set[str] = set()
        self._text = text

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._structure(tag, attrs, closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._structure(tag, attrs, closing=False)

    def handle_endtag(self, tag: str) -> None:
        self._structure(tag, [], closing=True)

    def _structure(self, tag: str, attrs: list[tuple[str, str | None]], *, closing: bool) -> None:
        key = ("/" if closing else "") + tag
        if tag not in _STRUCTURE or key in self._seen:
            return
        self._seen.add(key)
        start = self._offset()
        raw = self.get_starttag_text() if not closing else None
        closing_bracket = self._text.find(">", start)
        end = start + len(raw) if raw is not None else len(self._text) if closing_bracket < 0 else closing_bracket + 1
        self.found.append((start, end, _rebuilt(tag, attrs, closing=closing)))


def _rebuilt(tag: str, attrs: list[tuple[str, str | None]], *, closing: bool) -> str:
    """A structure tag with its harmless attributes only."""
    if closing:
        return f"</{tag}>"
    kept = "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs if name in _STRUCTURE[tag])
    return f"<{tag}{kept}>"


# Pages in plain tag syntax, as our pages and most releases are: a doctype, text, and tags whose
# attributes are separated by ASCII white space and quoted or plainly unquoted; no comment, no
# other "<!" or "<?", no "</" that is not an end tag. In such a page every tag ends at its first
# ">" outside quotes for html.parser too, so a regular expression finds the tags html.parser finds
# (a Hypothesis property holds it to that, tests/test_sanitise.py) at a tenth of its cost; any
# other page (or one with <script> or <style>, whose content is not markup) goes to html.parser.
_WS = "[ \t\n\r\f]"
_PLAIN_PAGE_RE = re.compile(  # possessive and atomic throughout: linear time, whatever the page
    rf"""(?:{_WS}*+<!(?i:doctype)[^>]*+>)?+
    (?>[^<]++
      |<[a-zA-Z][a-zA-Z0-9-]*+
        (?>{_WS}++[a-zA-Z_:][-a-zA-Z0-9_:.]*+(?>{_WS}*+={_WS}*+(?>"[^"]*+"|'[^']*+'|[^ \t\n\r\f"'=<>`]++))?+)*+
        {_WS}*+/?>
      |</[a-zA-Z][a-zA-Z0-9-]*+{_WS}*+>
      |<(?=[^a-zA-Z/!?])
    )*+""",
    re.X,
)
_PLAIN_TAG_RE = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*+)(?>[^>"']++|"[^"]*+"|'[^']*+')*+>""")
_RAW_TEXT = frozenset(HTMLParser.CDATA_CONTENT_ELEMENTS) | frozenset(getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))
# The tags _plain_structure looks at (structure, raw text) among what _PLAIN_TAG_RE.finditer
# would find: the other tags and the text are passed over inside re, as finditer passes them (a
# tag whole, else one character at a time), instead of one Python step per tag of the page.
_TAG_BODY = r"""(?>[^>"']++|"[^"]*+"|'[^']*+')*+>"""
_NOTED = "(?ai:" + "|".join(sorted(set(_STRUCTURE) | _RAW_TEXT)) + ")(?![a-zA-Z0-9-])"  # ASCII letters, any case
_NEXT_NOTED_TAG_RE = re.compile(
    rf"(?:[^<]++|<(?!/?{_NOTED})/?[a-zA-Z][a-zA-Z0-9-]*+{_TAG_BODY}|(?!</?{_NOTED}{_TAG_BODY})<)*+"
    rf"(<(/?)({_NOTED}){_TAG_BODY})?+"
)


class _Attributes(HTMLParser):
    """The attributes of one start tag, as html.parser reads them."""

    def __init__(self) -> None:
        self.attrs: list[tuple[str, str | None]] = []
        super().__init__(convert_charrefs=True)

    def reset(self) -> None:
        super().reset()
        self.attrs = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = attrs

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = attrs


def _plain_structure(page: str) -> list[tuple[int, int, str]] | None:
    """What :class:`_Structure` finds, for a page in plain tag syntax; None for any other page."""
    if _PLAIN_PAGE_RE.fullmatch(page) is None:
        return None
    found: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for start, end, closing, name in _noted_tags(page):
        tag = name.lower()
        if tag in _RAW_TEXT:
            return None
        key = closing + tag
        if tag not in _STRUCTURE or key in seen:
            continue
        seen.add(key)
        attrs: list[tuple[str, str | None]] = []
        if not closing and end - start > len(tag) + 2:  # more than "<tag>"
            attrs = list(_tag_attributes(page[start:end]))
        found.append((start, end, _rebuilt(tag, attrs, closing=bool(closing))))
    return found


@functools.lru_cache(maxsize=64)
def _tag_attributes(tag: str) -> tuple[tuple[str, str | None], ...]:
    """The attributes html.parser reads in one start tag, once per spelling (the pages of a
    build mostly share their <html> and <body> tags)."""
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return tuple(parser.attrs)


def _noted_tags(page: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, "/" or "", name) of each match of _PLAIN_TAG_RE.finditer(page) whose tag is a
    structure or raw text one."""
    pos = 0
    while (m := _NEXT_NOTED_TAG_RE.match(page, pos)) is not None and m.group(1) is not None:
        yield m.start(1), m.end(1), m.group(2), m.group(3)
        pos = m.end()


def _parsed_structure(page: str) -> list[tuple[int, int, str]]:
    parser = _Structure(page)
    parser.feed(page)
    parser.close()
    return parser.found


def clean_page(page: str) -> str:
    """A whole document (or a fragment) with everything that could run a script removed; the
    document's doctype, ``<html>``, ``<head>`` and ``<body>`` are kept with harmless attributes."""
    doctype = _DOCTYPE_RE.match(page)
    start = doctype.end() if doctype else 0
    found = _plain_structure(page)
    out = [page[:start]]
    pos = start
    for tag_start, tag_end, rebuilt in sorted(_parsed_structure(page) if found is None else found):
        if tag_start < pos:
            continue
        out.append(_clean_between(page[pos:tag_start]))
        out.append(rebuilt)
        pos = tag_end
    out.append(_clean_between(page[pos:]))
    return "".join(out)


def _clean_between(text: str) -> str:
    return text if not text.strip() else clean_fragment(text)


def unsafe_markup(markup: str) -> str | None:
    """Why raw HTML markup of a release (one tag) will not be published as it is, or None."""
    parsed = _Tag()
    parsed.feed(markup)
    parsed.close()
    if parsed.name is None:
        return None
    if parsed.name in DROPPED_WITH_CONTENT:
        return f"<{parsed.name}> and its content are left out of the built page"
    if parsed.name not in TAGS:
        return f"<{parsed.name}> is left out of the built page (its text stays)"
    allowed = ATTRIBUTES.get(parsed.name, set()) | GENERIC_ATTRIBUTES | set(ATTRIBUTE_VALUES.get(parsed.name, {}))
    for name, value in parsed.attrs:
        if name not in allowed and not name.startswith("aria-"):
            return f"the attribute {name}= of <{parsed.name}> is left out of the built page"
        scheme = re.match(r"\s*([a-zA-Z][\w+.-]*):", html.unescape(value or ""))
        if name in ("href", "src", "cite") and scheme and scheme.group(1).lower() not in URL_SCHEMES:
            return f"the {scheme.group(1)}: link of <{parsed.name}> is left out of the built page"
    return None


class _Tag(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.name: str | None = None
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.name is None:
            self.name, self.attrs = tag, attrs

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
