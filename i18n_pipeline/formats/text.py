"""Plain-text releases: paragraphs separated by blank lines.

Lines inside a paragraph are joined with spaces in the segment text (hard-wrapped text reads as
one paragraph); a translation replaces the paragraph's sentences on one line. URLs and e-mail
addresses become placeholders, so they never reach an engine. Nothing else is markup.
"""

from __future__ import annotations

import re

from i18n_pipeline.formats.contract import Lookup, ParseOptions, splice
from i18n_pipeline.model import Document, Segment
from i18n_pipeline.segment import block_id, restore, segment_pieces, text_pieces

_BLANK_LINES_RE = re.compile(r"(?:\r?\n)(?:[ \t]*\r?\n)+")
_UNDERLINE_RE = re.compile(r"\r?\n[ \t]*(?:=+|-+)[ \t]*\Z")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of ``text`` (runs of non-blank lines)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BLANK_LINES_RE.finditer(text):
        if text[pos : m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans


def parse(text: str, path: str, options: ParseOptions | None = None) -> Document:
    """Parse a plain-text release into a Document."""
    options = options or ParseOptions()
    segments: list[Segment] = []
    for start, end in paragraph_spans(text):
        para = text[start:end]
        kind = "paragraph"
        underline = _UNDERLINE_RE.search(para)
        if underline and "\n" not in para[: underline.start()].strip():
            # "Title\n=====": a heading; the underline is kept as it is.
            kind = "heading"
            end = start + underline.start()
            para = text[start:end]
        segments.extend(
            segment_pieces(
                text_pieces(para, start),
                text,
                block=block_id(kind, para),
                kind=kind,
                lang=options.language,
                sentences=options.sentences,
            )
        )
    return Document(path=path, format="text", source=text, segments=tuple(segments))


def _plain(text: str) -> str:
    """A translation as plain text: it never adds a paragraph break."""
    return re.sub(r"\s*\n\s*", " ", text)


def render(document: Document, lookup: Lookup) -> str:
    """Re-walk the source, replacing each translated segment."""

    def render_segment(segment: Segment, target: str) -> str:
        return restore(target.strip(), segment.placeholders, _plain)

    return splice(document, lookup, render_segment)
