"""Reassembly and what may be published: a release in a target language as its own format
(Markdown, HTML, text) and, for Markdown, as an HTML page (pages.py).

The source document is re-walked and each segment looked up in the catalog (never rebuilt from
the PO). Reviewed translations only by default; machine output only when asked, and then the
release says so visibly. A translation that fails a critical check is never published. A segment
with nothing to publish stays in the source language, and the page says so: such text carries
``lang="<source>"`` in HTML, so neither a reader's screen reader nor a search engine takes
English for Spanish.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from i18n_pipeline.catalog import Catalog, publishable
from i18n_pipeline.checks import CHECKS, IGNORE_PREFIX, CheckContext, passes_critical
from i18n_pipeline.checks.verdicts import Verdicts
from i18n_pipeline.config import PublishPolicy
from i18n_pipeline.formats import Lookup, render_document
from i18n_pipeline.formats.front_matter import find_front_matter, parse_front_matter, undo_inert_markup
from i18n_pipeline.formats.html import ATTRIBUTE_KINDS
from i18n_pipeline.model import Document, Segment, Severity, State
from i18n_pipeline.pages import (
    MACHINE_NOTICE,
    PageContext,
    add_notices_to_page,
    add_notices_to_text,
    notices,
    render_page,
    set_page_language,
)
from i18n_pipeline.sanitise import clean_page

__all__ = ["MACHINE_NOTICE", "BuiltRelease", "Withheld", "build_release", "publish_release", "reviewed_share", "withhold_reason"]


def reviewed_share(catalog: Catalog | None) -> float:
    """The share of a release's words (of the source) that a reviewer approved."""
    if catalog is None:
        return 0.0
    words = catalog.stats().words
    total = sum(words.values())
    return words["reviewed"] / total if total else 1.0


def _floor_percent(share: float) -> str:
    """49.6 % reads "49%": a share below a threshold never prints as the threshold itself."""
    return f"{math.floor(share * 100 + 1e-9)}%"


def withhold_reason(catalog: Catalog | None, min_reviewed: float) -> str | None:
    """Why a reviewed-only build must not publish this release, or None when it may.

    ``publish.min_reviewed`` is the share of a release's words a reviewer approved below which
    the release is withheld rather than published half in the source language. Words, not
    segments: a reviewed title of three words does not make a release of forty sentences
    publishable.
    """
    if min_reviewed <= 0:
        return None
    share = reviewed_share(catalog)
    if share >= min_reviewed:
        return None
    return f"{_floor_percent(share)} of its words reviewed, publish.min_reviewed asks for {_floor_percent(min_reviewed)}"


@dataclass(frozen=True)
class Withheld:
    """A release a build must not publish: why, and how to fix it."""

    why: str


def publish_release(
    document: Document,
    catalog: Catalog | None,
    language: str,
    policy: PublishPolicy,
    *,
    machine: bool,
    source_language: str,
    context: CheckContext,
    catalog_name: str,
    verdicts: Verdicts | None = None,
) -> BuiltRelease | Withheld:
    """The release as ``policy`` publishes it, or why it is withheld (``catalog_name`` is the
    PO file a fix names). The original (``language`` is the source language) is always built."""
    if language != source_language and not machine:
        reason = withhold_reason(catalog, policy.min_reviewed)
        if reason is not None:
            return Withheld(f"{reason}; review more of {catalog_name}, or build with --include-machine")
    built = build_release(
        document, catalog, language, include_machine=machine, source_language=source_language, context=context,
        verdicts=verdicts,
    )
    if built.fallback_segments and policy.untranslated == "withhold" and language != source_language:
        return Withheld(
            f"{built.fallback_segments} segments have nothing to publish and publish.untranslated is 'withhold'; "
            f"translate and review them in {catalog_name}, or set publish.untranslated: source"
        )
    return built


@dataclass(frozen=True)
class BuiltRelease:
    markdown: str  # the release in its own format: Markdown, or the HTML or text release itself
    html: str  # the HTML page of a Markdown release; for other formats the same as ``markdown``
    machine_segments: int  # segments shown from unreviewed machine output
    fallback_segments: int  # segments left in the source language (rejected ones included)
    rejected_segments: int = 0  # translations not published: they fail a critical check


# Characters that mark, in the HTML variant of a render, a segment published in the source
# language; replaced by <span lang=...> once the page is HTML. Opening and closing punctuation
# (Unicode Ps/Pe): CommonMark treats them as punctuation, so emphasis next to them still parses
# as it does next to a space. The first pair found nowhere in the release or its catalog is used.
_MARKER_PAIRS = (("\u2e28", "\u2e29"), ("\u27e6", "\u27e7"), ("\u2983", "\u2984"), ("\u2985", "\u2986"))
# Segments that end up in an attribute or in text-only elements, where no <span> may go.
_UNMARKABLE_KINDS = frozenset({"image alt text", "page title", "option", *ATTRIBUTE_KINDS})
_BLOCK_TAGS = "p|li|h[1-6]|td|th|dt|dd|figcaption|caption|blockquote"
# Whether a translation may be published is the critical checks' decision; the others (the
# dictionary lookups among them) are for check and report, and would only slow every build.
_NOT_CRITICAL = tuple(c.name for c in CHECKS.values() if c.severity is not Severity.CRITICAL)


def _markable(segment: Segment) -> bool:
    return segment.kind not in _UNMARKABLE_KINDS and not segment.kind.startswith(("front matter", "title block"))


def build_release(
    document: Document,
    catalog: Catalog | None,
    language: str,
    *,
    include_machine: bool,
    source_language: str = "en",
    context: CheckContext | None = None,
    verdicts: Verdicts | None = None,
) -> BuiltRelease:
    """Render ``document`` in ``language`` from ``catalog`` (the source language: the original);
    ``verdicts``: the critical checks' answers of earlier builds, asked before the checks run."""
    if language == source_language:
        page_context = PageContext(document.name, language, source_language)
        return _finish(document, lambda s: None, lambda s: None, page_context, 0, 0, 0, ("", ""))
    check_context = context or CheckContext(language)
    checked: dict[tuple[str | None, str, str], bool] = {}
    contexts: dict[tuple[str, ...], CheckContext] = {}  # by translator comments: most entries share theirs
    published: dict[int, str | None] = {}
    counts = {"machine": 0, "fallback": 0, "rejected": 0}
    untranslated_blocks: set[str] = set()

    def passes(segment: Segment, target: str) -> bool:
        key = (segment.context, segment.text, target)
        if key not in checked:
            facts = catalog.check_facts(segment.text, segment.context) if catalog is not None else None
            ignored, entry_context = _NOT_CRITICAL, check_context
            if catalog is not None and facts is not None:
                flags, comments = facts
                ignored += tuple(f[len(IGNORE_PREFIX) :] for f in flags if f.startswith(IGNORE_PREFIX))
                if comments not in contexts:
                    contexts[comments] = replace(check_context, comments=comments)
                entry_context = contexts[comments]
            # Only the critical checks decide; a translator's ignore-<check> flag is honoured.
            known = verdicts.key(segment.text, target, entry_context.comments, ignored) if verdicts else ""
            verdict = verdicts.get(known) if verdicts else None
            if verdict is None:
                verdict = passes_critical(segment.text, target, entry_context, ignore=ignored)
                if verdicts:
                    verdicts.put(known, verdict)
            checked[key] = verdict
        return checked[key]

    for index, segment in enumerate(document.segments):
        target = None
        if catalog is not None:
            entry = catalog.target_and_state(segment.text, segment.context)
            machine = False
            if entry is not None and publishable(entry[1], include_machine=include_machine):
                target = entry[0]
                machine = entry[1] is not State.REVIEWED and bool(target)
            if target and not passes(segment, target):
                counts["rejected"] += 1
                target = None
            elif target and machine:
                counts["machine"] += 1
        if not target:
            counts["fallback"] += 1
            untranslated_blocks.add(segment.block)
            target = None
        published[index] = target
    by_segment = {id(s): published[i] for i, s in enumerate(document.segments)}
    markers = _markers(document, catalog)

    def lookup(segment: Segment) -> str | None:
        return by_segment.get(id(segment))

    def marked(segment: Segment) -> str | None:
        target = by_segment.get(id(segment))
        if target is None and markers[0] and _markable(segment):
            return f"{markers[0]}{segment.text}{markers[1]}"
        return target

    found = notices(language, source_language, machine=counts["machine"] > 0, untranslated=counts["fallback"] > 0)
    meta_blocks = frozenset(b for b in untranslated_blocks if b.startswith("meta-"))
    page_context = PageContext(document.name, language, source_language, tuple(found), meta_blocks)
    return _finish(
        document, lookup, marked, page_context, counts["machine"], counts["fallback"], counts["rejected"], markers
    )


def _markers(document: Document, catalog: Catalog | None) -> tuple[str, str]:
    """A pair of marker characters that occurs in neither the release nor its translations
    (("", "") when every pair does: then nothing is marked rather than something wrongly)."""
    texts = [document.source] + (catalog.targets() if catalog is not None else [])
    for pair in _MARKER_PAIRS:
        if not any(pair[0] in t or pair[1] in t for t in texts):
            return pair
    return ("", "")


def _finish(
    document: Document,
    lookup: Lookup,
    marked: Lookup,
    context: PageContext,
    machine: int,
    fallback: int,
    rejected: int,
    markers: tuple[str, str],
) -> BuiltRelease:
    variant = render_document(document, marked) if fallback and markers[0] else None
    # An HTML release is published from the variant alone: no render of its body then.
    body = render_document(document, lookup) if variant is None or document.format != "html" else ""
    variant = body if variant is None else variant
    source = context.source_language
    if document.format == "markdown":
        markdown = _with_notices(body, context.notices)
        meta, body_md = _front_matter(variant)
        # Raw HTML of the release included: nothing in the page can run a script (sanitise.py).
        page = clean_page(_mark_untranslated(render_page(meta, body_md, context), markers, source))
    elif document.format == "html":
        page = _mark_untranslated(variant, markers, source)
        # The source page's own scripts included: nothing in the page can run a script.
        page = clean_page(add_notices_to_page(set_page_language(page, context.language), context.notices))
        markdown = page
    else:
        markdown = page = add_notices_to_text(body, context.notices)
    return BuiltRelease(markdown, page, machine, fallback, rejected)


def _mark_untranslated(page: str, markers: tuple[str, str], language: str) -> str:
    """Marked segments become ``<span lang=...>``; neighbours share one span, and a block that
    holds nothing else carries the attribute itself."""
    opening, closing = markers
    if not opening or opening not in page:
        return page
    page = re.sub(re.escape(closing) + r"(\s*)" + re.escape(opening), r"\1", page)
    plain = f"[^{re.escape(opening)}{re.escape(closing)}]*"
    page = re.sub(
        rf"<({_BLOCK_TAGS})>{re.escape(opening)}({plain}){re.escape(closing)}</\1>",
        rf'<\1 lang="{language}" class="untranslated">\2</\1>',
        page,
    )
    return page.replace(opening, f'<span lang="{language}" class="untranslated">').replace(closing, "</span>")


def _with_notices(text: str, found: tuple[tuple[str, str], ...]) -> str:
    """The notices as one quotation right after the front matter, so the release starts with it."""
    if not found:
        return text
    lines = [f"**{t}**" if cls == "machine-translation-notice" else t for cls, t in found]
    quote = "\n>\n".join(f"> {line}" for line in lines)
    block = find_front_matter(text)
    head, rest = (text[: block.end], text[block.end :]) if block is not None else ("", text)
    return f"{head}\n{quote}\n{'' if rest.startswith(chr(10)) else chr(10)}{rest}"


def _front_matter(text: str) -> tuple[Mapping[str, Any], str]:
    block = find_front_matter(text)
    if block is None:
        return {}, text
    data, _ = parse_front_matter(block.yaml, "<built release>")
    return undo_inert_markup(data), text[block.end :]
