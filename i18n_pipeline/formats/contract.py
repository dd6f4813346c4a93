"""The contract every format module follows, and the one way of rendering: splice.

Each format module has ``parse(text, path, options) -> Document`` and
``render(document, lookup) -> str``. Rendering re-walks the source: every segment's span is
replaced by its translation (placeholders restored, text escaped for the format); a segment
without a usable translation keeps its source bytes, so the identity lookup reproduces the
source exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from i18n_pipeline.model import PLACEHOLDER_RE, Document, Segment
from i18n_pipeline.segment import placeholders_match

Lookup = Callable[[Segment], "str | None"]
RenderSegment = Callable[[Segment, str], str]


@dataclass(frozen=True)
class ParseOptions:
    language: str = "en"
    sentences: bool = True
    front_matter_keys: tuple[str, ...] = ("title", "summary", "description")


def usable_translation(segment: Segment, target: str | None) -> bool:
    """A translation that differs from the source and keeps exactly its placeholders."""
    return target is not None and target != segment.text and placeholders_match(segment.text, target)


def splice(document: Document, lookup: Lookup, render_segment: RenderSegment) -> str:
    """Replace each translated segment's span in the source; keep everything else as it is.

    A segment may lie inside another segment's placeholder markup (an ``alt`` or ``title``
    attribute of an inline tag): it is translated inside that markup, whether or not the
    enclosing segment is translated.
    """
    if all(lookup(s) is None for s in document.segments):
        return document.source  # what the splice would give, piece by piece (the original's page)
    segments = sorted(document.segments, key=lambda s: (s.start, -s.end))
    return _splice_range(document.source, segments, 0, len(document.source), lookup, render_segment)


def _splice_range(
    source: str,
    segments: Sequence[Segment],
    start: int,
    end: int,
    lookup: Lookup,
    render_segment: RenderSegment,
) -> str:
    out: list[str] = []
    pos = start
    i = 0
    while i < len(segments):
        seg = segments[i]
        j = i + 1
        while j < len(segments) and segments[j].start >= seg.start and segments[j].end <= seg.end:
            j += 1
        children = segments[i + 1 : j]
        i = j
        if seg.start < pos or seg.end > end:
            continue  # overlapping spans: a parser bug; keep the source
        out.append(source[pos : seg.start])
        target = lookup(seg)
        if target is not None and usable_translation(seg, target):
            if children:
                seg = _with_nested(source, seg, children, lookup, render_segment)
            out.append(render_segment(seg, target))
        else:
            out.append(_splice_range(source, children, seg.start, seg.end, lookup, render_segment))
        pos = seg.end
    out.append(source[pos:end])
    return "".join(out)


def _with_nested(
    source: str, segment: Segment, children: Sequence[Segment], lookup: Lookup, render_segment: RenderSegment
) -> Segment:
    """``segment`` with the translations of segments inside its placeholder markup applied."""
    by_number = {p.number: p for p in segment.placeholders}
    openings: dict[int, str] = {}
    closings: dict[int, str] = {}
    cursor = segment.start
    for m in PLACEHOLDER_RE.finditer(segment.text):
        ph = by_number.get(int(m.group(2)))
        if ph is None:
            return segment
        markup = ph.closing if m.group(1) else ph.opening
        at = source.find(markup, cursor, segment.end) if markup else cursor
        if at < 0:
            return segment
        kids = [c for c in children if c.start >= at and c.end <= at + len(markup)]
        rendered = _splice_range(source, kids, at, at + len(markup), lookup, render_segment) if kids else markup
        (closings if m.group(1) else openings)[ph.number] = rendered
        cursor = at + len(markup)
    placeholders = tuple(
        replace(p, opening=openings.get(p.number, p.opening), closing=closings.get(p.number, p.closing))
        for p in segment.placeholders
    )
    return replace(segment, placeholders=placeholders)
