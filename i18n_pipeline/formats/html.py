"""HTML releases: full pages and fragments, parsed with the standard library's tokenizer.

``html.parser.HTMLParser`` (with ``convert_charrefs=False``) reports every tag, text run,
character reference and comment; the positions it moves through (``updatepos``) give the exact
source offset of each, so segments splice back into the untouched source (identity is byte for byte).

Block elements delimit paragraphs; inline elements become placeholders (``<a>``, ``<em>`` paired,
``<br>``, ``<img>`` standalone). Text in ``alt`` and ``title`` attributes and in
``<meta name="description">`` (and its Open Graph / Twitter variants) is translatable. Content of
``<script>``, ``<style>``, ``<pre>``, ``<code>`` (and ``kbd``, ``samp``, ``var``, ``tt``), of
elements with ``translate="no"`` and between ``<!-- i18n: off -->`` and ``<!-- i18n: on -->``
is not.
"""

from __future__ import annotations

import html as html_lib
import operator
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from i18n_pipeline.formats.contract import Lookup, ParseOptions, splice
from i18n_pipeline.model import Document, Segment
from i18n_pipeline.segment import Piece, block_id, restore, segment_pieces, text_pieces

# Elements that stay inside a paragraph; every other element starts and ends a block.
INLINE_TAGS = frozenset(
    """a abbr acronym b bdi bdo big button cite data del dfn em font i ins label mark q rp rt
    ruby s small span strike strong sub sup time u""".split()
)
# Inline elements whose content is never translated: one standalone placeholder each.
CODE_TAGS = frozenset("code kbd samp var tt".split())
# Inline void elements: standalone placeholders.
INLINE_VOID_TAGS = frozenset("br wbr img input".split())
# Elements whose content is never translated and which end a paragraph.
SKIPPED_BLOCK_TAGS = frozenset("script style pre textarea svg math template object select".split())
VOID_TAGS = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
TRANSLATABLE_ATTRIBUTES = {"alt": "image alt text", "title": "title attribute"}
META_NAMES = {
    "description": "meta description",
    "og:description": "meta description",
    "twitter:description": "meta description",
    "og:title": "meta title",
    "twitter:title": "meta title",
}
ATTRIBUTE_KINDS = frozenset([*TRANSLATABLE_ATTRIBUTES.values(), *META_NAMES.values()])
_BLOCK_KINDS = {
    "title": "page title",
    "h1": "heading",
    "h2": "heading",
    "h3": "heading",
    "h4": "heading",
    "h5": "heading",
    "h6": "heading",
    "li": "list item",
    "dt": "list item",
    "dd": "list item",
    "td": "table cell",
    "th": "table cell",
    "caption": "caption",
    "figcaption": "caption",
    "blockquote": "quotation",
    "option": "option",
}
_I18N_MARKER_RE = re.compile(r"^\s*i18n:\s*(off|on)\s*$", re.I)
_ATTR_RE = re.compile(r"""((?<=['"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""")
_TAG_NAME_RE = re.compile(r"</?[a-zA-Z][^\t\n\r\f />\x00]*")
_START = operator.attrgetter("start")  # a sort key called in C, not a lambda per event
_CHARREF_RE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


@dataclass(slots=True)
class _Event:
    kind: str  # start, startend, end, text, comment, other
    start: int
    tag: str = ""
    data: str = ""
    end: int = 0


class _Tokenizer(HTMLParser):
    """Collects events with their source offsets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[_Event] = []
        self._base = 0  # offset of the parser's buffer in the text: it drops what it handled
        self._pos = 0  # where the parser is in its buffer: what getpos() counts lines and columns of

    def updatepos(self, i: int, j: int) -> int:
        # The parser reports each position it moves to here; keeping it as an offset saves the
        # line counting getpos() needs (and our mapping of lines back to offsets).
        if i < j:
            self._pos = j
        return j

    def _offset(self) -> int:
        return self._base + self._pos

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(_Event("start", self._offset(), tag))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(_Event("startend", self._offset(), tag))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(_Event("end", self._offset(), tag))

    def handle_data(self, data: str) -> None:
        self.events.append(_Event("text", self._offset()))

    def handle_entityref(self, name: str) -> None:
        self.events.append(_Event("text", self._offset()))

    def handle_charref(self, name: str) -> None:
        self.events.append(_Event("text", self._offset()))

    def handle_comment(self, data: str) -> None:
        self.events.append(_Event("comment", self._offset(), data=data))

    def handle_decl(self, decl: str) -> None:
        self.events.append(_Event("other", self._offset()))

    def handle_pi(self, data: str) -> None:
        self.events.append(_Event("other", self._offset()))

    def unknown_decl(self, data: str) -> None:
        self.events.append(_Event("other", self._offset()))


def tokenize(text: str) -> list[_Event]:
    """Events of ``text`` with exact spans; together the spans cover the whole text."""
    tokenizer = _Tokenizer()
    tokenizer.feed(text)
    # The parser keeps what it could not handle yet, and close() handles it from position 0.
    tokenizer._base, tokenizer._pos = len(text) - len(tokenizer.rawdata), 0
    tokenizer.close()
    events = sorted(tokenizer.events, key=_START)
    for i, ev in enumerate(events):
        ev.end = events[i + 1].start if i + 1 < len(events) else len(text)
    return events


@dataclass
class _Attribute:
    name: str
    value: str  # raw, still escaped
    start: int  # span of the value (inside its quotes)
    end: int


def tag_attributes(source: str, start: int, end: int) -> list[_Attribute]:
    """Attributes of the start tag at ``source[start:end]`` with the spans of their values."""
    raw = source[start:end]
    m = _TAG_NAME_RE.match(raw)
    if not m:
        return []
    out: list[_Attribute] = []
    pos = m.end()
    while pos < len(raw):
        am = _ATTR_RE.match(raw, pos)
        if not am or am.end() == pos:
            pos += 1
            continue
        pos = am.end()
        name = am.group(1).lower()
        if am.group(3) is None:
            out.append(_Attribute(name, "", start + am.end(1), start + am.end(1)))
            continue
        vs, ve = am.span(3)
        if raw[vs : vs + 1] in ("'", '"') and ve - vs >= 2 and raw[ve - 1] == raw[vs]:
            vs, ve = vs + 1, ve - 1
        out.append(_Attribute(name, raw[vs:ve], start + vs, start + ve))
    return out


def html_text_pieces(source: str, start: int, end: int) -> list[Piece]:
    """Text pieces of ``source[start:end]``: literal runs (URLs standalone) and decoded references."""
    if source.find("&", start, end) < 0:  # no reference (most runs): no scan for one
        return text_pieces(source[start:end], start) if end > start else []
    pieces: list[Piece] = []
    pos = start
    for m in _CHARREF_RE.finditer(source, start, end):
        decoded = html_lib.unescape(m.group(0))
        if decoded == m.group(0):
            continue
        if m.start() > pos:
            pieces.extend(text_pieces(source[pos : m.start()], pos))
        pieces.append(Piece("text", m.start(), m.end(), decoded))
        pos = m.end()
    if end > pos:
        pieces.extend(text_pieces(source[pos:end], pos))
    return pieces


@dataclass
class _Walker:
    source: str
    options: ParseOptions
    segments: list[Segment] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # open block elements
    inline: list[tuple[str, int]] = field(default_factory=list)  # open inline elements, keys
    key: int = 0
    translating: bool = True
    skip_tag: str = ""  # inside an element whose content is not translated
    skip_depth: int = 0
    skip_start: int = -1  # >= 0: the skipped element is inline; its span becomes a placeholder
    skip_note: str = ""
    unquoted: list[tuple[int, int]] = field(default_factory=list)  # spans of unquoted attribute values

    def new_key(self) -> int:
        self.key += 1
        return self.key

    def flush(self) -> None:
        pieces, self.pieces, self.inline = self.pieces, [], []
        if not any(p.role == "text" and p.text and not p.text.isspace() for p in pieces):  # strip() without a copy
            return
        kind = next((_BLOCK_KINDS[b] for b in reversed(self.blocks) if b in _BLOCK_KINDS), "paragraph")
        words = " ".join(p.text for p in pieces if p.role == "text")
        self.segments.extend(
            segment_pieces(
                pieces,
                self.source,
                block=block_id(kind, words),
                kind=kind,
                lang=self.options.language,
                sentences=self.options.sentences,
            )
        )

    def attributes(self, ev: _Event) -> list[_Attribute]:
        if self.source.find("=", ev.start, ev.end) < 0:
            return []  # only empty values, which every use below reads as no attribute at all
        return tag_attributes(self.source, ev.start, ev.end)

    def attribute_segments(self, ev: _Event, attrs: list[_Attribute]) -> None:
        if not attrs:
            return  # most tags
        by_name = {a.name: a for a in attrs}
        wanted: list[tuple[_Attribute, str]] = []
        for a in attrs:
            if a.name in TRANSLATABLE_ATTRIBUTES:
                wanted.append((a, TRANSLATABLE_ATTRIBUTES[a.name]))
        if ev.tag == "meta" and "content" in by_name:
            name = (by_name.get("name") or by_name.get("property") or _Attribute("", "", 0, 0)).value.lower()
            if name in META_NAMES:
                wanted.append((by_name["content"], META_NAMES[name]))
        for a, kind in wanted:
            if not re.search(r"[^\W\d_]", a.value):
                continue
            pieces = html_text_pieces(self.source, a.start, a.end)
            label = "meta" if a.name == "content" else a.name
            if self.source[a.start - 1 : a.start] not in ("'", '"'):
                self.unquoted.append((a.start, a.end))
            self.segments.extend(
                segment_pieces(
                    pieces,
                    self.source,
                    block=f"{label}-{block_id(kind, html_lib.unescape(a.value)).split('-', 1)[1]}",
                    kind=kind,
                    lang=self.options.language,
                    sentences=False,
                )
            )

    def walk(self, events: list[_Event]) -> None:
        i = 0
        while i < len(events):
            ev = events[i]
            i += 1
            if ev.kind == "comment":
                marker = _I18N_MARKER_RE.match(ev.data)
                if marker:
                    self.flush()
                    self.translating = marker.group(1).lower() == "on"
                    continue
            if not self.translating:
                continue
            if self.skip_tag:
                self.skipping(ev)
                continue
            if ev.kind == "text":
                j = i
                while j < len(events) and events[j].kind == "text":
                    j += 1
                end = events[j - 1].end
                run = self.source[ev.start : end]
                if run.isspace():  # white space between tags (most runs): no reference, no URL in it
                    self.pieces.append(Piece("text", ev.start, end, run))
                else:
                    self.pieces.extend(html_text_pieces(self.source, ev.start, end))
                i = j
            elif ev.kind == "comment":
                self.pieces.append(Piece("standalone", ev.start, ev.end, note="HTML comment", breaks=True))
            elif ev.kind == "other":
                self.flush()
            elif ev.kind in ("start", "startend"):
                self.start_tag(ev)
            elif ev.kind == "end":
                self.end_tag(ev)
        self.flush()

    def skipping(self, ev: _Event) -> None:
        if ev.tag != self.skip_tag:
            return
        if ev.kind == "start":
            self.skip_depth += 1
        elif ev.kind == "end":
            self.skip_depth -= 1
            if self.skip_depth == 0:
                if self.skip_start >= 0:
                    self.pieces.append(Piece("standalone", self.skip_start, ev.end, note=self.skip_note))
                self.skip_tag = ""
                self.skip_start = -1

    def start_tag(self, ev: _Event) -> None:
        tag = ev.tag
        attrs = self.attributes(ev)
        no_translate = any(a.name == "translate" and a.value.strip().lower() == "no" for a in attrs)
        void = tag in VOID_TAGS or ev.kind == "startend"
        inline = tag in INLINE_TAGS or tag in CODE_TAGS or tag in INLINE_VOID_TAGS
        if not no_translate:
            self.attribute_segments(ev, attrs)
        if (no_translate or tag in CODE_TAGS or tag in SKIPPED_BLOCK_TAGS) and not void:
            if inline:
                raw = html_lib.unescape(re.sub(r"<[^>]*>", "", self.source[ev.end : ev.end + 200]))
                self.skip_note = f"{'code' if tag in CODE_TAGS else 'not translated'} <{tag}>"
                self.skip_note += f" {raw.split('<')[0].strip()[:40]}" if raw.strip() else ""
                self.skip_start = ev.start
            else:
                self.flush()
                self.skip_start = -1
            self.skip_tag = tag
            self.skip_depth = 1
            return
        if inline:
            if void:
                note = _void_note(tag, attrs, self.source[ev.start : ev.end])
                self.pieces.append(Piece("standalone", ev.start, ev.end, note=note, breaks=tag in ("br", "wbr")))
            else:
                k = self.new_key()
                self.inline.append((tag, k))
                self.pieces.append(Piece("open", ev.start, ev.end, key=k, note=_open_note(tag, attrs)))
            return
        self.flush()
        if not void:
            self.blocks.append(tag)

    def end_tag(self, ev: _Event) -> None:
        tag = ev.tag
        if tag in INLINE_TAGS:
            for n in range(len(self.inline) - 1, -1, -1):
                if self.inline[n][0] == tag:
                    k = self.inline[n][1]
                    del self.inline[n:]
                    self.pieces.append(Piece("close", ev.start, ev.end, key=k))
                    return
            self.pieces.append(Piece("standalone", ev.start, ev.end, note=f"HTML </{tag}>"))
            return
        if tag in INLINE_VOID_TAGS or tag in CODE_TAGS:
            self.pieces.append(Piece("standalone", ev.start, ev.end, note=f"HTML </{tag}>"))
            return
        self.flush()
        if tag in self.blocks:
            del self.blocks[len(self.blocks) - 1 - self.blocks[::-1].index(tag) :]


def _open_note(tag: str, attrs: list[_Attribute]) -> str:
    if tag == "a":
        href = next((a.value for a in attrs if a.name == "href"), "")
        return f"link to {html_lib.unescape(href)}" if href else "HTML <a>"
    return f"HTML <{tag}>"


def _void_note(tag: str, attrs: list[_Attribute], raw: str) -> str:
    if tag in ("br", "wbr"):
        return "line break"
    if tag == "img":
        src = next((a.value for a in attrs if a.name == "src"), "")
        return f"image {html_lib.unescape(src)}"
    return f"HTML {raw[:60]}"


def parse(text: str, path: str, options: ParseOptions | None = None) -> Document:
    """Parse an HTML page or fragment into a Document."""
    options = options or ParseOptions()
    walker = _Walker(text, options)
    walker.walk(tokenize(text))
    segments = sorted(walker.segments, key=lambda s: (s.start, -s.end))
    lang = re.search(r"<html\b[^>]*\blang\s*=\s*[\"']?([\w-]+)", text[:5000], re.I)
    metadata: dict[str, object] = {"lang": lang.group(1)} if lang else {}
    metadata["unquoted_attributes"] = tuple(walker.unquoted)
    return Document(path=path, format="html", source=text, segments=tuple(segments), metadata=metadata)


def _escape_text(text: str) -> str:
    return html_lib.escape(text, quote=False)


def _escape_attribute(text: str) -> str:
    return html_lib.escape(text, quote=True)


def render(document: Document, lookup: Lookup) -> str:
    """Re-walk the source, replacing each translated segment; translations are inserted as text."""
    unquoted = document.metadata.get("unquoted_attributes")
    if unquoted is None:  # a Document built elsewhere: find the unquoted values again
        unquoted = parse(document.source, document.path).metadata["unquoted_attributes"]

    def render_segment(segment: Segment, target: str) -> str:
        if segment.kind not in ATTRIBUTE_KINDS:
            return restore(target, segment.placeholders, _escape_text)
        value = restore(target, segment.placeholders, _escape_attribute)
        if any(a <= segment.start and segment.end <= b for a, b in unquoted):
            return f'"{value}"'  # the source value was unquoted: a translation may hold spaces
        return value

    return splice(document, lookup, render_segment)
