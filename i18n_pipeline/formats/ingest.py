"""Ingest: turn releases as they really arrive into clean releases (``content/<slug>.md``).

Three kinds of input arrive:

* **Scraped text** (what a copy from a browser or an old scraper leaves): site navigation,
  debris of HTML attributes, hard-wrapped lines and no blank lines between paragraphs. Named,
  general rules drop the debris (every dropped line is reported with its rule, for
  ``--explain``), paragraphs are rebuilt from the wrapped lines, and the structured parts of a
  press release (headline, links box, place tag, contact block, announced date) move into the
  front matter so that names and telephone numbers never reach a translation engine.
* **Full HTML pages**: main-content extraction with trafilatura (chosen by measurement, see
  ``bench/ingest_eval.py``), after removing call-to-action boxes, and followed by a few block
  rules (copyright notices, homoglyph spam).
* **Markdown** releases pass through; the front matter is validated and a title added from the
  first heading when it is missing.

The body language is detected with lingua (a handful of languages loaded: fast to start).

yaml is imported here as well as in ``config.py``: the front matter we write must be what
``yaml.safe_load`` reads back, so it is written with pyyaml.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from ..errors import DocumentError

__all__ = ["DroppedLine", "IngestResult", "ingest", "FORMATS"]

log = logging.getLogger(__name__)

FORMATS = ("auto", "html", "text", "markdown")


@dataclass(frozen=True)
class DroppedLine:
    """An input line (or the part of it named by ``text``) that ingest dropped, and why."""

    line: int  # 1-based line number of the input; 0 when it cannot be located
    text: str
    rule: str


@dataclass(frozen=True)
class IngestResult:
    """A clean release, ready to be written as ``content/<slug>.md``."""

    slug: str
    markdown: str
    metadata: dict[str, Any]
    dropped: tuple[DroppedLine, ...]
    language: str | None
    warnings: tuple[str, ...]


def ingest(
    data: bytes,
    path: str,
    *,
    fmt: str = "auto",
    slug: str | None = None,
    source_language: str = "en",
) -> IngestResult:
    """Turn one release as it arrived (bytes of scraped text, HTML or Markdown) into a clean one.

    Raises :class:`DocumentError` for binary input, undecodable text, a bad ``fmt`` or broken
    front matter.
    """
    if fmt not in FORMATS:
        raise DocumentError(path, f"unknown format {fmt!r}", f"use one of {', '.join(FORMATS)}")
    text = decode_bytes(data, path)
    kind = detect_format(text, path) if fmt == "auto" else fmt
    log.debug("%s: ingesting as %s", path, kind)

    dropped: list[DroppedLine] = []
    if kind == "markdown":
        metadata, markdown, body = _ingest_markdown(text, path)
    else:
        if kind == "html":
            metadata, body = _ingest_html(text, path, dropped)
        else:
            metadata, body = _ingest_text(text, dropped)
        _mark_link_languages(metadata, source_language)
        markdown = render_release(metadata, body)

    warnings: list[str] = []
    language = detect_language(plain_text(body), source_language)
    if language is not None and language != source_language:
        warnings.append(
            f"{path}: the body reads as {language!r}, not the source language "
            f"{source_language!r}; check the file or pass the right source language"
        )
    if not body.strip():
        warnings.append(f"{path}: no body text was found")
    if "title" not in metadata:
        warnings.append(f"{path}: no title was found; add one to the front matter")

    chosen = _check_slug(slug, path) if slug is not None else _slug_for(metadata, path)
    for warning in warnings:
        log.warning("%s", warning)
    log.info("%s: ingested as %s (%d lines dropped)", path, chosen, len(dropped))
    return IngestResult(
        slug=chosen,
        markdown=markdown,
        metadata=metadata,
        dropped=tuple(sorted(dropped, key=lambda d: d.line)),
        language=language,
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- bytes to text

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# When several single-byte encodings decode a page equally well (they usually do: the bytes
# of é, à, ñ are the same in cp1250 and cp1252), prefer the one Western press releases use.
_PREFERRED_ENCODINGS = ("utf_8", "cp1252", "latin_1", "iso8859_15")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_bytes(data: bytes, path: str) -> str:
    """Decode the input, refusing binary files; newlines are normalised to ``\\n``."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise DocumentError(
                path, f"this is {name}, not text", "convert it to HTML, Markdown or plain text first"
            )
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(path, f"broken {encoding} text ({exc.reason})", "re-save it as UTF-8") from exc
            break
    if text is None:
        if b"\x00" in data[:8192]:
            raise DocumentError(
                path, "binary data (NUL bytes), not text", "give a text, HTML or Markdown file"
            )
        text = _decode_unmarked(data, path)
    controls = sum(1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise DocumentError(path, "binary data (control characters), not text", "give a text, HTML or Markdown file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_unmarked(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET_RE.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        # WHATWG: pages labelled Latin-1 are decoded as windows-1252.
        if name in {"iso-8859-1", "latin1", "latin-1", "iso8859-1", "us-ascii", "ascii"}:
            name = "cp1252"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared charset %s does not decode the page", path, name)
    import charset_normalizer  # imported late: only non-UTF-8 input needs it

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise DocumentError(
            path, "cannot tell the text encoding (it is not UTF-8)", "re-save the file as UTF-8"
        )
    best_chaos = min(m.chaos for m in matches)
    best_coherence = max(m.coherence for m in matches if m.chaos <= best_chaos + 0.01)

    def rank(match: Any) -> tuple[int, float]:
        names = [match.encoding, *match.could_be_from_charset]
        preferred = min((_PREFERRED_ENCODINGS.index(n) for n in names if n in _PREFERRED_ENCODINGS), default=99)
        return preferred, match.chaos

    tied = [m for m in matches if m.chaos <= best_chaos + 0.01 and m.coherence >= best_coherence - 0.05]
    chosen = min(tied, key=rank)
    log.info("%s: not UTF-8; decoded as %s", path, chosen.encoding)
    return str(chosen)


def detect_format(text: str, path: str) -> str:
    """``html``, ``markdown`` or ``text``, from the file name first, then the content."""
    lower = path.lower()
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith((".md", ".markdown")):
        return "markdown"
    head = text[:4096].lstrip("\ufeff \n\t").lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or len(
        re.findall(r"<(?:p|div|body|head|h[1-6]|article|section)\b[^>]*>", head)
    ) >= 3:
        return "html"
    if head.startswith("---\n") and re.search(r"^(?:---|\.\.\.)\s*$", text[4:], re.M):
        return "markdown"
    return "text"


# --------------------------------------------------------------------------- Markdown


def _ingest_markdown(text: str, path: str) -> tuple[dict[str, Any], str, str]:
    metadata, body, has_front = split_front_matter(text, path)
    if "title" in metadata:
        return metadata, text if text.endswith("\n") else text + "\n", body
    heading = re.search(r"^#{1,6}[ \t]+(.+?)[ \t#]*$|^(\S.*)\n(?:=+|-+)[ \t]*$", body, re.M)
    if heading is None:
        return metadata, text if text.endswith("\n") else text + "\n", body
    metadata = {"title": (heading.group(1) or heading.group(2)).strip(), **metadata}
    return metadata, render_release(metadata, body), body


def split_front_matter(text: str, path: str) -> tuple[dict[str, Any], str, bool]:
    """The front matter as a dict, the body, and whether there was front matter."""
    if not text.startswith("---\n"):
        return {}, text, False
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$\n?", text[4:], re.M)
    if end is None:
        raise DocumentError(path, "the front matter (after the first ---) is never closed", "end it with a line ---")
    raw = text[4 : 4 + end.start()]
    try:
        loaded = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 2}" if mark is not None else path
        raise DocumentError(where, f"the front matter is not valid YAML ({getattr(exc, 'problem', exc)})", "fix the YAML between the --- lines") from exc
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise DocumentError(path, "the front matter is not a mapping of keys to values", "write it as key: value lines")
    return dict(loaded), text[4 + end.end() :], True


def render_release(metadata: dict[str, Any], body: str) -> str:
    """Front matter and body as the text of ``content/<slug>.md``."""
    front = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, width=1_000_000) if metadata else ""
    body = body.strip("\n")
    return f"---\n{front}---\n\n{body}\n" if body else f"---\n{front}---\n"


# --------------------------------------------------------------------------- HTML

_BUTTON_CLASS_RE = re.compile(r"(?:^|[-_\s])(?:button|btn|cta)(?:$|[-_\s])", re.I)
_BLOCK_TAGS = {"div", "section", "aside", "form", "p", "figure", "li", "ul", "table"}
_CYRILLIC_GREEK_RE = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
_COPYRIGHT_RE = re.compile(
    r"^\W*(?:©|\(c\)\s*\d{4}|copyright\b)|\ball rights reserved\b|\bcopyrighted property\b|"
    r"\btodos los derechos reservados\b|\btous droits réservés\b",
    re.I,
)


def _ingest_html(text: str, path: str, dropped: list[DroppedLine]) -> tuple[dict[str, Any], str]:
    import lxml.html  # type: ignore[import-untyped]
    import trafilatura
    from trafilatura.metadata import extract_metadata

    try:
        tree = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises several unrelated types for hopeless input
        raise DocumentError(path, f"cannot parse the HTML ({exc})", "check that the file is an HTML page") from exc
    _remove_call_to_action_boxes(tree, dropped)

    markdown = trafilatura.extract(
        tree,
        output_format="markdown",
        include_links=True,
        include_formatting=True,
        include_comments=False,
        favor_precision=True,
        include_tables=True,
        include_images=False,
    ) or ""
    page = extract_metadata(tree)

    metadata: dict[str, Any] = {}
    title = _clean_inline(page.title or "") if page is not None else ""
    if title:
        metadata["title"] = title
    if page is not None and page.date:
        try:
            metadata["date"] = dt.date.fromisoformat(page.date[:10])
        except ValueError:
            pass
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    if re.fullmatch(r"[a-z]{2,3}(?:[-_][a-z0-9]+)*", lang):
        metadata["language"] = re.split(r"[-_]", lang)[0]
    canonical = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath('//meta[@property="og:url"]/@content')
    url = str(canonical[0]).strip() if canonical else (page.url if page is not None and page.url else "")
    if url.startswith(("http://", "https://")):
        metadata["canonical_url"] = url

    body = _clean_extracted_markdown(markdown, title, text, dropped)
    return metadata, body


def _remove_call_to_action_boxes(tree: Any, dropped: list[DroppedLine]) -> None:
    """Drop small boxes built around a button ("become a member", "subscribe", ...)."""
    for anchor in tree.xpath("//a[@class] | //button"):
        if anchor.tag == "a" and not _BUTTON_CLASS_RE.search(anchor.get("class", "")):
            continue
        box = anchor.getparent()
        while box is not None and box.tag not in _BLOCK_TAGS:
            box = box.getparent()
        if box is None or box.tag in {"body", "html"} or box.getparent() is None:
            continue
        words = len(box.text_content().split())
        if not 0 < words <= 80 or box.xpath(".//article"):
            continue
        dropped.append(DroppedLine(box.sourceline or 0, _squeeze(box.text_content())[:200], "call-to-action-box"))
        box.drop_tree()


def _clean_extracted_markdown(markdown: str, title: str, source: str, dropped: list[DroppedLine]) -> str:
    blocks = [b for b in re.split(r"\n[ \t]*\n", markdown.replace("\r", "")) if b.strip()]
    kept: list[str] = []
    for raw in blocks:
        lines = [line.rstrip() for line in raw.split("\n")]
        block = "\n".join(lines).strip("\n")
        if not re.match(r"\s*(?:[-*+]\s|\d+[.)]\s|\||```|>)", block):
            block = " ".join(line.strip() for line in lines if line.strip())  # unwrap a paragraph
        plain = plain_text(block)
        rule = None
        if _is_homoglyph_text(plain):
            rule = "homoglyph-text"
        elif _COPYRIGHT_RE.search(plain) and len(plain.split()) <= 80:
            rule = "copyright-notice"
        elif _is_link_teaser(block, plain):
            rule = "link-teaser"
        elif not kept and title and re.match(r"#{1,6}\s", block) and _squeeze(plain).lower() == title.lower():
            continue  # the headline, already the title in the front matter
        if rule is not None:
            dropped.append(DroppedLine(_find_line(source, plain), plain[:200], rule))
            continue
        kept.append(block)
    return "\n\n".join(kept)


def _is_homoglyph_text(text: str) -> bool:
    """Words mixing Latin with Cyrillic or Greek letters: spam written to dodge filters."""
    mixed = sum(1 for w in text.split() if _LATIN_RE.search(w) and _CYRILLIC_GREEK_RE.search(w))
    return mixed >= 3


def _is_link_teaser(block: str, plain: str) -> bool:
    """A "Read also: <link>" line: a short label and one link that carries most of the text."""
    links = re.findall(r"(?<!!)\[([^\]]+)\]\([^)]*\)", block)
    if len(links) != 1 or re.match(r"\s*(?:[-*+]\s|\d+[.)]\s|#)", block):
        return False
    label = plain.replace(plain_text(links[0]), "", 1).strip()
    return len(_words(label)) <= 3 and label.endswith(":") and len(_words(plain)) <= 40


def _find_line(source: str, text: str) -> int:
    words = text.split()
    for size in (6, 3, 1):
        if len(words) >= size:
            probe = " ".join(words[:size])
            pos = _squeeze_index(source, probe)
            if pos >= 0:
                return source.count("\n", 0, pos) + 1
    return 0


def _squeeze_index(source: str, probe: str) -> int:
    pattern = r"\s+".join(re.escape(w) for w in probe.split())
    found = re.search(pattern, source)
    return found.start() if found else -1


# --------------------------------------------------------------------------- scraped text

_ATTR = r"""[A-Za-z_:][-\w:.]*=(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)?"""
_QUOTED_TAIL = r'"[^"]*"\s*/?>|\'[^\']*\'\s*/?>'
_ATTRIBUTES_ONLY_RE = re.compile(rf"^\s*(?:(?:{_ATTR}|{_QUOTED_TAIL})\s*)+/?>?\s*$")
_ATTRIBUTE_PREFIX_RE = re.compile(rf"^\s*(?:(?:{_ATTR})\s+)*(?:{_ATTR}|\"[^\"]*\"|'[^']*')\s*>(?=\S)")
_HREF_DEBRIS_RE = re.compile(r"""["'](?:https?://|mailto:|ftp://|/|#)[^"'\s<>]*["']\s*>""")
_PUNCTUATION_ONLY_RE = re.compile(r"^[\W_]+$")
_BULLET_RE = re.compile(r"^\s*(?:[-*+•·–—]|\d+[.)])\s+")
_TERMINAL_RE = re.compile(r"[.!?…]['\"”’)\]]*$")
_SENTENCE_START_RE = re.compile(r"^['\"“‘(¿¡\[]*[A-ZÀ-ÖØ-Þ0-9]")
_LINKS_LABEL_RE = re.compile(r"^(?:related\s+)?(?:links|resources|publications|enlaces|liens)\s*:?$", re.I)
_CONTACT_LABEL_RE = re.compile(
    r"^(?:for\s+(?:further|more)\s+information,?\s*(?:please\s+)?contact|"
    r"(?:media|press)\s+contacts?|contacts?|para\s+m[áa]s\s+informaci[óo]n,?.*|"
    r"pour\s+plus\s+d'informations?,?.*)\s*:?$",
    re.I,
)
_URL_RE = re.compile(r"""(?:https?|ftp)://[^\s<>"']+[^\s<>"'.,;:!?)\]]""")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_CONTACT_FIELD_RE = re.compile(
    r"^(?P<label>tel(?:ephone|éfono|éphone)?|phone|ph|mob(?:ile)?|cell|m[óo]vil|portable|fax|e-?mail|courriel|correo(?:\s+electr[óo]nico)?)"
    r"\s*\.?\s*[:.]?\s*(?P<value>.*)$",
    re.I,
)
_PHONE_RE = re.compile(r"^\+?[\d\s().\-/+]{7,}$")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "de", "del", "des", "du", "en", "et", "for", "from",
                "in", "la", "las", "le", "les", "los", "of", "on", "or", "the", "to", "vs", "with", "y"}


@dataclass
class _Line:
    number: int
    text: str
    anchor: bool = False  # the text followed an attribute prefix (it was a link's text)
    kept: bool = True
    role: str = "body"  # body, title, links, place, contact


def _ingest_text(text: str, dropped: list[DroppedLine]) -> tuple[dict[str, Any], str]:
    lines = _clean_debris(text, dropped)
    _drop_menus(lines, dropped)
    title_index = _find_headline(lines)
    if title_index is not None:
        for line in lines[:title_index]:
            if line.kept:
                rule = "menu-item" if _BULLET_RE.match(line.text) else "navigation"
                _drop(line, rule, dropped)
        lines[title_index].role = "title"

    start = (title_index + 1) if title_index is not None else 0
    links, place = _mark_links_block(lines, start, dropped)
    contacts = _parse_contacts(lines, start, dropped)
    if place is None:
        place = _dateline_place(lines, start)

    paragraphs = _rebuild_paragraphs([ln for ln in lines[start:]] if title_index is not None else lines)
    body_text = "\n".join(paragraphs)

    metadata: dict[str, Any] = {}
    if title_index is not None:
        metadata["title"] = _squeeze(lines[title_index].text)
    announced = infer_date(body_text + "\n" + metadata.get("title", ""))
    if announced is not None:
        metadata["date"] = announced
    if place:
        metadata["place"] = place
    links = _add_named_publications(links, body_text)
    if links:
        metadata["links"] = links
    if contacts:
        metadata["contacts"] = contacts
    body = "\n\n".join(_paragraph_markdown(p) for p in paragraphs)
    return metadata, body


def _drop(line: _Line, rule: str, dropped: list[DroppedLine]) -> None:
    line.kept = False
    dropped.append(DroppedLine(line.number, line.text, rule))
    log.debug("line %d dropped by %s: %s", line.number, rule, line.text[:60])


def _clean_debris(text: str, dropped: list[DroppedLine]) -> list[_Line]:
    """Rules on single lines: punctuation-only, attributes-only, attribute prefixes, href debris."""
    out: list[_Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _Line(number, raw.strip())
        if not line.text:
            line.kept = False
            line.role = "blank"
        elif _PUNCTUATION_ONLY_RE.match(line.text):
            _drop(line, "punctuation-only", dropped)
        elif _ATTRIBUTES_ONLY_RE.match(line.text) and ("=" in line.text or '">' in line.text):
            _drop(line, "html-attributes", dropped)
        else:
            prefix = _ATTRIBUTE_PREFIX_RE.match(line.text)
            if prefix:
                dropped.append(DroppedLine(number, prefix.group(0), "attribute-prefix"))
                line.text = line.text[prefix.end() :].strip()
                line.anchor = True
            for debris in list(_HREF_DEBRIS_RE.finditer(line.text)):
                dropped.append(DroppedLine(number, debris.group(0), "href-debris"))
            line.text = _HREF_DEBRIS_RE.sub("", line.text).strip()
            if not line.text:
                line.kept = False
        out.append(line)
    return out


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_][\w'’-]*", text)


def _drop_menus(lines: list[_Line], dropped: list[DroppedLine]) -> None:
    """Menu echoes (a label, then a teaser that starts with it) and repeated short lines."""
    kept = [ln for ln in lines if ln.kept]
    for this, nxt in zip(kept, kept[1:]):
        if not this.kept:
            continue
        label, following = this.text.lower(), nxt.text.lower()
        if len(following) > len(label) and following.startswith(label) and len(_words(this.text)) <= 8:
            glued = nxt.text[len(this.text)]
            _drop(this, "menu-echo", dropped)
            if glued.isalnum():  # "WHO WE AREThe International ...": label glued to its teaser
                _drop(nxt, "menu-teaser", dropped)
        elif label == following and len(_words(this.text)) <= 8:
            _drop(this, "repeated-short-line", dropped)
            _drop(nxt, "repeated-short-line", dropped)


def _is_title_like(text: str) -> bool:
    words = _words(text)
    if not 4 <= len(words) <= 30 or _BULLET_RE.match(text) or re.search(r"[.,;:]$", text):
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS and not w[0].isdigit()]
    capitalised = sum(1 for w in content if w[0].isupper())
    return bool(content) and capitalised / len(content) >= 0.6


def _find_headline(lines: list[_Line]) -> int | None:
    """The first title-like line, or failing that the first short line that is not a sentence."""
    candidates = [i for i, ln in enumerate(lines) if ln.kept]
    for i in candidates:
        if _is_title_like(lines[i].text):
            return i
        if _TERMINAL_RE.search(lines[i].text) and len(_words(lines[i].text)) > 12:
            break  # prose has begun without a title-case headline
    for i in candidates[:5]:
        text = lines[i].text
        if 3 <= len(_words(text)) <= 25 and not re.search(r"[.,;:]$", text) and not _BULLET_RE.match(text):
            return i
    return None


def _is_place(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 3 and all(re.fullmatch(r"[A-ZÀ-Þ][\w'’-]*", w) for w in words)


def _mark_links_block(lines: list[_Line], start: int, dropped: list[DroppedLine]) -> tuple[list[dict[str, str]], str | None]:
    """The links box: a label ("Links"), link texts separated by debris, a place tag, then prose."""
    links: list[dict[str, str]] = []
    place: str | None = None
    i = start
    while i < len(lines):
        if lines[i].kept and _LINKS_LABEL_RE.match(lines[i].text):
            break
        i += 1
    else:
        return links, place
    _drop(lines[i], "section-label", dropped)
    item: list[_Line] = []
    items: list[list[_Line]] = []
    separated = True
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if not line.kept:
            if line.role != "blank" or item:
                separated = True
            j += 1
            continue
        if line.anchor:
            if item:
                items.append(item)
            item, separated = [line], False
        elif item and item[0].anchor and not separated and len(item) < 3 and len(_words(line.text)) <= 12 and (
            re.search(r"[:\-–]$|[a-záéíóúñ]$", item[-1].text) and not _TERMINAL_RE.search(line.text)
        ):
            item.append(line)  # a link text wrapped over two lines
        elif separated and (_is_place(line.text) or _URL_RE.fullmatch(line.text)):
            if item:
                items.append(item)
            item, separated = [line], False
        else:
            break  # prose again
        j += 1
    if item:
        items.append(item)
    urls = [it[0].text for it in items if _URL_RE.fullmatch(it[0].text)]
    for it in items:
        text = _squeeze(" ".join(ln.text for ln in it))
        if _URL_RE.fullmatch(text):
            role = "links"
        elif it[0].anchor:
            links.append({"title": text})
            role = "links"
        elif place is None and _is_place(text):
            place, role = text, "place"
        else:
            links.append({"title": text})
            role = "links"
        for ln in it:
            ln.role = role
    if urls:
        for link in links:
            link["url"] = urls[0]
    return links, place


def _dateline_place(lines: list[_Line], start: int) -> str | None:
    """A place tag standing alone right after the headline ("GENEVA", "Mexico")."""
    for line in lines[start:]:
        if line.kept and line.role == "body":
            if _is_place(line.text) or re.fullmatch(r"[A-ZÀ-Þ][A-ZÀ-Þ ,'-]+", line.text) and len(line.text) <= 40:
                line.role = "place"
                return line.text.title() if line.text.isupper() else line.text
            return None
    return None


def _parse_contacts(lines: list[_Line], start: int, dropped: list[DroppedLine]) -> list[dict[str, str]]:
    """The block after "For further information, please contact:": name, office, phone, e-mail."""
    label_at = next((i for i in range(start, len(lines)) if lines[i].kept and _CONTACT_LABEL_RE.match(lines[i].text)), None)
    if label_at is None:
        return []
    _drop(lines[label_at], "contact-label", dropped)
    contacts: list[dict[str, str]] = []
    current: dict[str, str] = {}
    pending: str | None = None
    for line in lines[label_at + 1 :]:
        if not line.kept:
            continue
        line.role = "contact"
        text = line.text
        field_match = _CONTACT_FIELD_RE.match(text)
        if field_match and (field_match.group("value") == "" or not field_match.group("value")[0].isalpha()
                            or _EMAIL_RE.search(field_match.group("value"))):
            key = _contact_key(field_match.group("label"))
            value = field_match.group("value").strip()
            if not value:
                pending = key
                continue
            text, pending = value, key
        email = _EMAIL_RE.search(text)
        if pending == "email" or (email and pending is None):
            if email:
                current.setdefault("email", email.group(0))
            pending = None
            continue
        if pending is not None or _PHONE_RE.match(text):
            key = pending if pending in {"phone", "mobile", "fax"} else "phone"
            current.setdefault(key, normalise_phone(text))
            pending = None
            continue
        if "name" in current and ("email" in current or "phone" in current or "mobile" in current):
            contacts.append(current)
            current = {}
        if "name" not in current:
            current["name"] = _squeeze(text)
        elif "office" not in current:
            current["office"] = _squeeze(text)
        else:
            current["office"] += ", " + _squeeze(text)
    if current:
        contacts.append(current)
    order = ("name", "office", "phone", "mobile", "fax", "email")
    return [{k: c[k] for k in order if k in c} for c in contacts]


def _contact_key(label: str) -> str:
    label = label.lower()
    if label.startswith(("e", "cou", "cor")):
        return "email"
    if label.startswith(("mob", "cell", "móv", "mov", "port")):
        return "mobile"
    if label.startswith("fax"):
        return "fax"
    return "phone"


def normalise_phone(text: str) -> str:
    """``Tel: + 52 55 5536 3922`` -> ``+52 55 5536 3922``: one space between groups, no label."""
    first = re.search(r"[+(\d]", text)
    text = text[first.start() :] if first else text.strip()
    text = re.sub(r"\+\s+", "+", text)
    text = re.sub(r"\s*\(0\)\s*", " ", text) if text.startswith("+") else text
    return re.sub(r"\s+", " ", text).strip()


def _rebuild_paragraphs(lines: list[_Line]) -> list[str]:
    """Join hard-wrapped body lines into paragraphs (one string each)."""
    body = [ln for ln in lines if ln.kept and ln.role == "body"]
    lengths = sorted(len(ln.text) for ln in body)
    width = lengths[int(len(lengths) * 0.75)] if lengths else 0
    paragraphs: list[str] = []
    current: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if not (line.kept and line.role == "body"):
            if line.role != "blank" or current:
                previous = None  # a removed line or a blank line separates paragraphs
            continue
        if current and (previous is None or _ends_paragraph(previous.text, line.text, width)):
            paragraphs.append(_join_wrapped(current))
            current = []
        current.append(line.text)
        previous = line
    if current:
        paragraphs.append(_join_wrapped(current))
    return paragraphs


def _ends_paragraph(line: str, following: str, width: int) -> bool:
    starts_sentence = bool(_SENTENCE_START_RE.match(following))
    if _TERMINAL_RE.search(line) and starts_sentence:
        return True
    first_word = following.split()[0] if following.split() else ""
    # A clearly short line: the next word would have fitted, so the author ended the line.
    short = width > 0 and len(line) + 1 + len(first_word) < 0.7 * width
    return short and starts_sentence and not re.search(r"[,;\-–(]$", line)


def _join_wrapped(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        if re.search(r"[^\W\d_]-$", text) and part[:1].islower():
            text += part  # a hyphenated compound split at the wrap: keep the hyphen, no space
        else:
            text += " " + part
    return _squeeze(text)


_MARKDOWN_INLINE_RE = re.compile(r"([\\`*_\[\]<>|~])|(&(?=#?\w+;))")
_BLOCK_START_RE = re.compile(r"^(?:([-+*#>=]|`{3}|~{3})|(\d{1,9})([.)]))(?=\s|$)")


def _paragraph_markdown(text: str) -> str:
    """One paragraph of plain text as Markdown: escaped, URLs as autolinks ``<http://...>``."""
    out: list[str] = []
    position = 0
    for url in _URL_RE.finditer(text):
        out.append(_escape_inline(text[position : url.start()]))
        out.append(f"<{url.group(0)}>")
        position = url.end()
    out.append(_escape_inline(text[position:]))
    result = "".join(out)
    block = _BLOCK_START_RE.match(result)
    if block:
        if block.group(2):  # "1. " starts an ordered list: escape the delimiter
            result = f"{block.group(2)}\\{block.group(3)}{result[block.end():]}"
        else:
            result = "\\" + result
    return result


def _escape_inline(text: str) -> str:
    return _MARKDOWN_INLINE_RE.sub(lambda m: "\\" + m.group(0), text)


def _mark_link_languages(metadata: dict[str, Any], source_language: str) -> None:
    """Give a link whose title is in another language a ``lang`` key: it is not translated."""
    for link in metadata.get("links") or []:
        if isinstance(link, dict) and isinstance(link.get("title"), str):
            lang = detect_language(link["title"], source_language)
            if lang is not None and lang != source_language:
                link["lang"] = lang


def _add_named_publications(links: list[dict[str, str]], body: str) -> list[dict[str, str]]:
    """Add publications the body names by a "Title: Subtitle" in title case, with the body's URL."""
    small = "|".join(sorted(_SMALL_WORDS, key=len, reverse=True))
    word = rf"(?:[A-Z][\w'’-]*|(?:{small}))"
    pattern = re.compile(rf"(?<![\w'’])([A-Z][\w'’-]*(?:\s+{word})*\s*:\s+[A-Z][\w'’-]*(?:\s+{word})*)")
    found: list[dict[str, str]] = []
    known = {link["title"].lower() for link in links}
    for match in pattern.finditer(body):
        title = re.sub(rf"(?:\s+(?:{small}))+$", "", match.group(1))
        before, after = title.split(":", 1)
        if len(_words(before)) < 2 or len(_words(after)) < 2 or title.lower() in known:
            continue
        known.add(title.lower())
        found.append({"title": title})
    result = [dict(link) for link in links] + found
    urls = list(dict.fromkeys(_URL_RE.findall(body)))
    if len(urls) == 1:
        for link in result:
            link.setdefault("url", urls[0])
    return result


# --------------------------------------------------------------------------- dates

_WEEKDAYS = {
    **{name.lower(): i for i, name in enumerate(calendar.day_name)},
    **dict(zip(["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"], range(7))),
    **dict(zip(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"], range(7))),
}
_MONTHS = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    **dict(zip(["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                "septiembre", "octubre", "noviembre", "diciembre"], range(1, 13))),
    **dict(zip(["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                "septembre", "octobre", "novembre", "décembre"], range(1, 13))),
}
_WD = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_MO = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_RE = re.compile(
    rf"\b(?P<wd>{_WD}),?\s+(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:de\s+)?(?P<m1>{_MO})\b\.?"
    rf"|(?P<m2>{_MO})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)(?:,?\s+(?:de\s+)?(?P<year>\d{{4}})\b)?",
    re.I,
)
_YEAR_RE = re.compile(r"(?<![\d,.])(1[89]\d\d|20\d\d)(?![\d,.]\d)")


def infer_date(text: str) -> dt.date | None:
    """The date a release announces ("Wednesday, 3 August"), the year inferred if missing.

    The year is the earliest one, not before the latest year the text mentions, in which that
    day and month fall on that weekday. Nothing mentioned, nothing inferred: ``None``.
    """
    found = _DAY_MONTH_RE.search(text)
    if found is None:
        return None
    weekday = _WEEKDAYS[found.group("wd").lower()]
    day = int(found.group("d1") or found.group("d2"))
    month = _MONTHS[(found.group("m1") or found.group("m2")).lower()]
    if found.group("year"):
        try:
            return dt.date(int(found.group("year")), month, day)
        except ValueError:
            return None
    years = [int(y) for y in _YEAR_RE.findall(text)]
    if not years:
        return None
    for year in range(max(years), max(years) + 29):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == weekday:
            return candidate
    return None


# --------------------------------------------------------------------------- language

_DETECTED_LANGUAGES = ("en", "es", "fr", "pt", "de", "it", "nl", "ca")


def detect_language(text: str, source_language: str = "en") -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    if len(_words(text)) < 3:
        return None
    detector = _detector(tuple(sorted({*_DETECTED_LANGUAGES, source_language})))
    found = detector.detect_language_of(text[:20000])
    return found.iso_code_639_1.name.lower() if found is not None else None


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError):
            log.debug("language %s is not known to lingua", code)
    return LanguageDetectorBuilder.from_languages(*languages).build()


# --------------------------------------------------------------------------- helpers


def plain_text(markdown: str) -> str:
    """Rough text of a Markdown body: link targets, markup and escapes removed."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<((?:https?|ftp|mailto):[^>]+)>", r"\1", text)
    text = re.sub(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+", "", text, flags=re.M)
    text = re.sub(r"\\([\\`*_\[\]<>|~#+\-.!()&=])", r"\1", text)
    return re.sub(r"(?<!\\)[*_`]{1,3}", "", text)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _clean_inline(text: str) -> str:
    return _squeeze(text)


def slugify(text: str, limit: int = 80) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary within ``limit``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1].rfind("-")
        slug = slug[: cut if cut > 0 else limit]
        words = slug.split("-")
        while len(words) > 1 and words[-1] in _SMALL_WORDS:
            words.pop()  # "...-assisted-by-the" reads badly
        slug = "-".join(words)
    return slug


def _slug_for(metadata: dict[str, Any], path: str) -> str:
    title = metadata.get("title")
    slug = slugify(title) if isinstance(title, str) else ""
    if not slug:
        stem = path.replace("\\", "/").rsplit("/", 1)[-1]
        stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
        slug = slugify(stem) or "release"
    return slug


def _check_slug(slug: str, path: str) -> str:
    if not slug or "/" in slug or "\\" in slug or slug.startswith(".") or slug != slug.strip():
        raise DocumentError(path, f"the slug {slug!r} cannot be a file name", "use lowercase letters, digits and hyphens")
    return slug

