"""Markdown releases: CommonMark (markdown-it-py) with YAML front matter.

Blocks come from markdown-it's token stream; inline markup is aligned back onto the source so
that each emphasis, link, code span, inline HTML tag and line break becomes a placeholder whose
markup is the exact source text. Only the configured front matter keys are translated.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from i18n_pipeline.errors import DocumentError
from i18n_pipeline.formats.contract import Lookup, ParseOptions, splice
from i18n_pipeline.formats.front_matter import (
    NOT_A_MAPPING,
    ScalarSpan,
    find_front_matter,
    inert_markup,
    parse_front_matter,
    quote_scalar,
)
from i18n_pipeline.formats.markdown_scan import AlignError, find_run, link_tail, match_text, matching_bracket, raw_text_end
from i18n_pipeline.model import Document, Segment
from i18n_pipeline.sanitise import unsafe_markup
from i18n_pipeline.segment import Piece, block_id, restore, segment_pieces, text_pieces

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

log = logging.getLogger(__name__)

_I18N_MARKER_RE = re.compile(r"<!--\s*i18n:\s*(off|on)\s*-->", re.I)
_VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "wbr", "area", "base", "col", "source"}
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*?(/?)>\Z", re.S)


@functools.cache
def _parser(html: bool = False) -> MarkdownIt:
    """markdown-it, imported and built when first used (≈ 60 ms a process that needs none)."""
    from markdown_it import MarkdownIt

    if html:
        return MarkdownIt("commonmark", {"html": True})
    md = MarkdownIt("commonmark")
    md.disable("text_join")  # keep escapes and entities as their own tokens to align them
    return md


def prepare() -> None:
    """Both parsers built now (``formats.prepare_formats``)."""
    _parser()
    _parser(html=True)


def parse(text: str, path: str, options: ParseOptions | None = None) -> Document:
    """Parse a Markdown release into a Document."""
    options = options or ParseOptions()
    segments: list[Segment] = []
    metadata: dict[str, object] = {}
    body_start = 0
    fm = find_front_matter(text)
    spans: list[ScalarSpan] = []
    if fm is not None:
        try:
            metadata, spans = parse_front_matter(fm.yaml, path)
        except DocumentError as exc:
            if exc.what != NOT_A_MAPPING:
                raise
            # Valid YAML but not a mapping: the "---" is a thematic break, not front matter.
            log.warning("%s: no front matter (the text between '---' lines is not a mapping)", path)
            fm = None
    if fm is not None:
        inner = fm.yaml
        offset = fm.yaml_start
        for span in spans:
            if span.key not in options.front_matter_keys or not span.value.strip():
                continue
            if _item_language(metadata, span.path) not in (None, options.language):
                continue  # e.g. a link whose title is already in another language
            pieces = text_pieces(span.value, 0)
            if len(pieces) == 1 and pieces[0].role == "text":
                # The value as the translator sees it; its span is the whole YAML scalar.
                end = span.end
                while end > span.start and inner[end - 1] in " \t\r\n":
                    end -= 1  # a block scalar's span runs up to the next key
                seg = Segment(
                    text=re.sub(r"\s+", " ", span.value).strip(),
                    start=offset + span.start,
                    end=offset + end,
                    block=f"meta-{span.path or span.key}",
                    kind=f"front matter: {span.key}",
                )
                if re.search(r"[^\W\d_]", seg.text):
                    segments.append(seg)
            else:
                log.warning("%s: front matter key '%s' holds a URL or e-mail; not translated", path, span.key)
        body_start = fm.end
    title_segments, body_start = _parse_title_block(text, body_start, options)
    segments.extend(title_segments)
    segments.extend(_parse_body(text, body_start, path, options))
    return Document(path=path, format="markdown", source=text, segments=tuple(segments), metadata=metadata)


def _item_language(metadata: dict[str, object], path: str) -> str | None:
    """The ``lang`` key of the mapping holding the value at ``path`` ("links.1.title")."""
    node: object = metadata
    for part in path.split(".")[:-1]:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and 0 < int(part) <= len(node):
            node = node[int(part) - 1]
        else:
            return None
    if isinstance(node, dict) and isinstance(node.get("lang"), str):
        return str(node["lang"])
    return None


_TITLE_BLOCK_RE = re.compile(r"%[^\n]*\n?(?:[ \t]+\S[^\n]*\n?)*")
_TITLE_FIELDS = ("title", "author", "date")


def _parse_title_block(text: str, start: int, options: ParseOptions) -> tuple[list[Segment], int]:
    """A Pandoc title block ("% title", "% authors", "% date" at the very start), if any."""
    segments: list[Segment] = []
    pos = start
    n = 0
    while n < len(_TITLE_FIELDS) and text.startswith("%", pos):
        m = _TITLE_BLOCK_RE.match(text, pos)
        if m is None:
            break
        field_start = pos + 1
        field_end = m.end()
        content = text[field_start:field_end]
        kind = f"title block: {_TITLE_FIELDS[n]}"
        # Authors are separated by ";" or by lines: one segment each, separators kept.
        items = [(field_start, field_end)]
        if _TITLE_FIELDS[n] == "author":
            items = [(field_start + a.start(), field_start + a.end()) for a in re.finditer(r"[^;\n]+", content)]
        for a, b in items:
            segments.extend(
                segment_pieces(
                    text_pieces(text[a:b], a),
                    text,
                    block=f"title-{_TITLE_FIELDS[n]}",
                    kind=kind,
                    lang=options.language,
                    sentences=False,
                )
            )
        pos = field_end
        n += 1
    if n and pos < len(text) and text[pos] not in "\r\n":
        return [], start  # not followed by a blank line: an ordinary paragraph
    return segments, pos


_FENCED_DIV_RE = re.compile(r"[ \t]*:{3,}(?:[ \t].*)?")


def _mark_fenced_divs(text: str, pieces: list[Piece]) -> list[Piece]:
    """Pandoc fenced-div fences (":::: {#id .class}") are markup, never text to translate."""
    out: list[Piece] = []
    for p in pieces:
        if p.role != "text" or ":::" not in p.text:  # before looking for the line: once per piece is quadratic
            out.append(p)
            continue
        line_start = text.rfind("\n", 0, p.start) + 1
        line_end = text.find("\n", p.start)
        line_end = len(text) if line_end < 0 else line_end
        if (
            not text[line_start : p.start].strip(" \t>")
            and p.end >= len(text[:line_end].rstrip("\r"))
            and _FENCED_DIV_RE.fullmatch(text[p.start : line_end].rstrip("\r"))
        ):
            out.append(Piece("standalone", p.start, p.end, note="fenced div", breaks=True))
        else:
            out.append(p)
    # A fence keeps its own line: absorb the line breaks around it into its markup.
    merged: list[Piece] = []
    for p in out:
        prev = merged[-1] if merged else None
        if prev is not None and _is_line_break(text, prev) and p.note == "fenced div" and prev.end == p.start:
            merged[-1] = Piece("standalone", prev.start, p.end, note=p.note, breaks=True)
        elif prev is not None and prev.note == "fenced div" and _is_line_break(text, p) and prev.end == p.start:
            merged[-1] = Piece("standalone", prev.start, p.end, note=prev.note, breaks=True)
        else:
            merged.append(p)
    return merged


def _is_line_break(text: str, piece: Piece) -> bool:
    return piece.role == "text" and "\n" in text[piece.start : piece.end] and not text[piece.start : piece.end].strip()


def _parse_body(text: str, body_start: int, path: str, options: ParseOptions) -> list[Segment]:
    body = text[body_start:]
    line_starts = list(itertools.accumulate((len(line) + 1 for line in body.split("\n")[:-1]), initial=body_start))
    tokens = _parser().parse(body)
    segments: list[Segment] = []
    kinds: list[str] = []
    translating = True
    for i, tok in enumerate(tokens):
        if tok.type == "html_block":
            for marker in _I18N_MARKER_RE.findall(tok.content):
                translating = marker.lower() == "on"
            continue
        if tok.type.endswith("_open") and tok.type != "paragraph_open":
            kinds.append(tok.type[: -len("_open")])
        elif tok.type.endswith("_close") and tok.type != "paragraph_close" and kinds:
            kinds.pop()
        if tok.type != "inline" or not translating or tok.map is None:
            continue
        kind = _block_kind(tokens[i - 1], kinds)
        try:
            pieces = _align_inline(text, tok, line_starts)
        except AlignError as exc:
            log.warning("%s:%d: inline markup not understood (%s); block kept whole", path, tok.map[0] + 1, exc)
            pieces = _whole_block(text, tok, line_starts)
        if not pieces:
            continue
        _warn_raw_html(text, pieces, path)
        pieces = _mark_fenced_divs(text, pieces)
        if _only_image(pieces):
            kind = "image alt text"
        block = block_id(kind, " ".join(text[p.start : p.end] for p in pieces if p.role == "text"))
        segments.extend(
            segment_pieces(
                pieces,
                text,
                block=block,
                kind=kind,
                lang=options.language,
                sentences=options.sentences,
            )
        )
    return segments


def _closes(token: Token, opening: str, end: int, content: str) -> bool:
    """The raw-text element opened by ``opening`` ends at ``token`` (its closing tag), or runs to
    the end of the block (``end``): every token up to there is its content."""
    name = opening[1:].split(">")[0].split()[0].lower()
    if end >= len(content):
        return False
    return token.type == "html_inline" and token.content.lower().replace(" ", "").startswith(f"</{name}")


def _warn_raw_html(text: str, pieces: Sequence[Piece], path: str) -> None:
    """The author learns at extraction which raw HTML the built page leaves out."""
    for p in pieces:
        if p.note.startswith("HTML") and (why := unsafe_markup(text[p.start : p.end])):
            log.warning("%s:%d: raw HTML: %s", path, text.count("\n", 0, p.start) + 1, why)


def _block_kind(opening: Token, kinds: Sequence[str]) -> str:
    if opening.type == "heading_open":
        return "heading"
    if "list_item" in kinds:
        return "list item"
    if "blockquote" in kinds:
        return "quotation"
    return "paragraph"


def _only_image(pieces: Sequence[Piece]) -> bool:
    """The block is one image: its alt text is the only text."""
    marks = [p for p in pieces if p.role != "text" or p.text.strip()]
    return (
        len(marks) >= 2
        and marks[0].role == "open"
        and marks[0].note.startswith("image")
        and marks[-1].role == "close"
        and marks[-1].key == marks[0].key
    )


def _content_offsets(text: str, tok: Token, line_starts: list[int]) -> list[int]:
    """Absolute source offset of every character of ``tok.content`` (plus one past the end)."""
    assert tok.map is not None
    content = tok.content
    offsets: list[int] = []
    first_line = tok.map[0]
    lines = content.split("\n")
    for n, line in enumerate(lines):
        idx = first_line + n
        if idx >= len(line_starts):
            raise AlignError("content beyond the block")
        ls = line_starts[idx]
        le = line_starts[idx + 1] - 1 if idx + 1 < len(line_starts) else len(text)
        src_line = text[ls:le]
        col = src_line.find(line) if line else len(src_line.rstrip("\r"))
        if col < 0:
            raise AlignError(f"line {idx + 1} not found")
        offsets.extend(range(ls + col, ls + col + len(line)))
        if n < len(lines) - 1:
            offsets.append(ls + col + len(line))  # the newline (or what precedes it)
    end = offsets[-1] + 1 if offsets else line_starts[first_line]
    offsets.append(end)
    return offsets


def _align_inline(text: str, tok: Token, line_starts: list[int]) -> list[Piece]:
    content = tok.content
    off = _content_offsets(text, tok, line_starts)
    pieces: list[Piece] = []
    c = 0
    key = 0
    stack: list[tuple[str, int]] = []  # open markup kind → key
    children = tok.children or []

    def absolute(start: int, end: int) -> tuple[int, int]:
        return off[start], off[end - 1] + 1 if end > start else off[start]

    def add(role: str, start: int, end: int, txt: str = "", k: int = 0, note: str = "", breaks: bool = False) -> None:
        a, b = absolute(start, end)
        pieces.append(Piece(role, a, b, txt, k, note, breaks))

    def add_text(start: int, end: int) -> None:
        """Text runs that map one-to-one to the source; URLs become standalone."""
        seg = content[start:end]
        for p in text_pieces(seg, 0):
            a, b = absolute(start + p.start, start + p.end)
            if p.role == "text" and "\n" in seg[p.start : p.end]:
                # Split at newlines: the source may hold block markers between the lines.
                part = seg[p.start : p.end]
                pos = 0
                for line_part in re.split(r"(\n)", part):
                    if not line_part:
                        continue
                    s = start + p.start + pos
                    a2, b2 = absolute(s, s + len(line_part))
                    newline = line_part == "\n"
                    pieces.append(Piece("text", a2, _next_start(s + 1) if newline else b2, " " if newline else line_part))
                    pos += len(line_part)
            else:
                pieces.append(Piece(p.role, a, b, p.text, 0, p.note))

    def _next_start(i: int) -> int:
        return off[i] if i < len(off) else off[-1]

    def new_key() -> int:
        nonlocal key
        key += 1
        return key

    def walk(children: Sequence[Token]) -> None:
        nonlocal c
        i = 0
        while i < len(children):
            i = step(children, i) + 1

    def step(children: Sequence[Token], i: int) -> int:
        nonlocal c
        ch = children[i]
        t = ch.type
        if t == "text":
            n = match_text(content, c, ch.content)
            add_text(c, n)
            c = n
        elif t == "text_special":
            if not content.startswith(ch.markup, c):
                raise AlignError(f"escape {ch.markup!r}")
            a, b = absolute(c, c + len(ch.markup))
            pieces.append(Piece("text", a, b, ch.content))
            c += len(ch.markup)
        elif t == "softbreak":
            n = c
            while n < len(content) and content[n] in " \t\n":
                n += 1
            if n < len(content) or n > c:
                pieces.append(Piece("text", off[c], _next_start(n), " "))
            c = n
        elif t == "hardbreak":
            n = c
            while n < len(content) and content[n] in " \t\\\n":
                n += 1
            pieces.append(Piece("standalone", off[c], _next_start(n), note="line break", breaks=True))
            c = n
        elif t in ("em_open", "strong_open", "s_open"):
            if not content.startswith(ch.markup, c):
                raise AlignError(f"{t} {ch.markup!r}")
            k = new_key()
            stack.append((t[: -len("_open")], k))
            add("open", c, c + len(ch.markup), k=k, note={"em": "emphasis", "strong": "bold", "s": "strikethrough"}[t[:-5]])
            c += len(ch.markup)
        elif t in ("em_close", "strong_close", "s_close"):
            if not content.startswith(ch.markup, c) or not stack:
                raise AlignError(f"{t} {ch.markup!r}")
            _, k = stack.pop()
            add("close", c, c + len(ch.markup), k=k)
            c += len(ch.markup)
        elif t == "code_inline":
            run = ch.markup
            end = find_run(content, run, c + len(run))
            if not content.startswith(run, c) or end < 0:
                raise AlignError("code span")
            add("standalone", c, end + len(run), note=f"code {content[c:end + len(run)]}")
            c = end + len(run)
        elif t == "html_inline":
            if not content.startswith(ch.content, c):
                raise AlignError("inline HTML")
            end = c + len(ch.content)
            m = _TAG_RE.match(ch.content)
            raw_end = raw_text_end(content, c, ch.content)
            if raw_end is not None:
                # <script>, <style> ...: code, not text; never sent to an engine or a translator.
                add("standalone", c, raw_end, note=f"HTML {ch.content} (code, not translated)")
                c = raw_end
                while i + 1 < len(children) and not _closes(children[i], ch.content, c, content):
                    i += 1
                return i
            if m and not m.group(3) and m.group(2).lower() not in _VOID_TAGS:
                name = m.group(2).lower()
                if not m.group(1):
                    k = new_key()
                    stack.append((f"html:{name}", k))
                    add("open", c, end, k=k, note=f"HTML <{name}>")
                elif stack and stack[-1][0] == f"html:{name}":
                    _, k = stack.pop()
                    add("close", c, end, k=k)
                else:
                    add("standalone", c, end, note=f"HTML {ch.content}")
            else:
                add("standalone", c, end, note=f"HTML {ch.content}", breaks=bool(m and m.group(2).lower() == "br"))
            c = end
        elif t == "link_open":
            href = str(ch.attrs.get("href", ""))
            if ch.markup == "autolink":
                if content[c : c + 1] != "<":
                    raise AlignError("autolink")
                end = content.find(">", c)
                if end < 0:
                    raise AlignError("autolink end")
                kind = "e-mail address" if href.startswith("mailto:") else "URL"
                add("standalone", c, end + 1, note=f"{kind} {content[c + 1:end]}")
                c = end + 1
                while i < len(children) and children[i].type != "link_close":
                    i += 1
            else:
                if content[c : c + 1] != "[":
                    raise AlignError("link")
                k = new_key()
                stack.append(("link", k))
                add("open", c, c + 1, k=k, note=f"link to {href}")
                c += 1
        elif t == "link_close":
            if not stack or stack[-1][0] != "link" or content[c : c + 1] != "]":
                raise AlignError("link end")
            _, k = stack.pop()
            end = link_tail(content, c + 1)
            add("close", c, end, k=k)
            c = end
        elif t == "image":
            # The alt text is translatable: "![" and "](src)" are a pair around it.
            if not content.startswith("![", c):
                raise AlignError("image")
            close = matching_bracket(content, c + 1)
            k = new_key()
            add("open", c, c + 2, k=k, note=f"image {ch.attrs.get('src', '')}")
            c += 2
            walk(ch.children or [])
            while c < close and content[c] in " \t\n":
                c += 1
            if c != close:
                raise AlignError("image alt text")
            end = link_tail(content, close + 1)
            add("close", c, end, k=k)
            c = end
        else:
            raise AlignError(f"token {t}")
        return i

    walk(children)
    if c < len(content) and content[c:].strip():
        raise AlignError("text left over")
    if stack:
        raise AlignError("unclosed markup")
    return pieces


def _whole_block(text: str, tok: Token, line_starts: list[int]) -> list[Piece]:
    """Fallback: the block's source as plain text (markup visible to the translator)."""
    try:
        off = _content_offsets(text, tok, line_starts)
    except AlignError:
        return []
    if len(off) < 2:
        return []
    start, end = off[0], off[-1]
    return text_pieces(text[start:end], start)


# --- rendering -------------------------------------------------------------------------------

_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>&])")
# What, besides the characters _reads_as_plain_text refuses outright, CommonMark may read as
# markup (an entity, a backslash escape) or change (NUL, a lone CR): only then is a parse needed.
_PARSED_RE = re.compile(r"[&\\\x00\r]")


def escape_text(text: str) -> str:
    """Escape a translation so Markdown shows it as text, never as markup.

    Newlines become spaces (a translation never starts a block), inline markup characters are
    backslash-escaped, and so is anything at the start that could open a block (a heading, list
    item, quotation or rule) or a trailing "#" run that would close an ATX heading.
    """
    text = re.sub(r"[ \t]*\r?\n[ \t]*", " ", text)
    if not _reads_as_plain_text(text):
        text = _ESCAPE_RE.sub(r"\\\1", text)
    text = re.sub(r"^([#+=-])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"(\s)(#+)(\s*)$", r"\1\\\2\3", text)


def _reads_as_plain_text(text: str) -> bool:
    """CommonMark reads ``text`` as exactly these characters, so it needs no backslashes.

    Editors read the Markdown too: "dólares & costes" should not become "dólares \\& costes".
    A trailing "\\" or "!" could join the markup that follows (an escape, an image), so such
    text is always escaped.
    """
    if text.endswith(("\\", "!")) or re.search(r"[*`\[\]<]|(?<!\w)_|_(?!\w)", text):
        # Delimiter runs pair with markup around the fragment, brackets with link definitions
        # elsewhere in the document, and "<" starts raw HTML (a whole HTML block when it opens
        # a line, which parsing the fragment alone does not show): always escape them.
        return False
    if not _PARSED_RE.search(text):
        return True  # no markup character is left (a property test compares with markdown-it)
    children = _parser().parseInline(text)[0].children or []
    return all(t.type == "text" for t in children) and "".join(t.content for t in children) == text


def render_segment(segment: Segment, target: str) -> str:
    if segment.kind.startswith("front matter"):
        return quote_scalar(restore(target.strip(), segment.placeholders, inert_markup))
    return restore(target.strip(), segment.placeholders, escape_text)


def render(document: Document, lookup: Lookup) -> str:
    """Re-walk the source, replacing each translated segment."""
    return splice(document, lookup, render_segment)


def to_html(text: str) -> str:
    """HTML for a Markdown body (the source's own inline HTML is kept; translations were
    escaped when they were spliced in)."""
    return str(_parser(html=True).render(text))

