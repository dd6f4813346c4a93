"""Web pages -> metadata and a Markdown body.

The main content is extracted with trafilatura (chosen by measurement, see
``bench/ingest_eval.py``) after small boxes built around a button (call-to-action boxes) are
removed from the page; a few block rules then drop what extraction lets through: copyright
notices, homoglyph spam and "Read also: <link>" teasers. Every dropped block is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from i18n_pipeline.errors import DocumentError
from i18n_pipeline.ingest.chrome import chrome_rule
from i18n_pipeline.ingest.shared import DroppedLine, is_homoglyph_text, plain_text, split_words, squeeze
from i18n_pipeline.languages import is_valid_tag, primary_subtag

__all__ = ["read_web_page"]

_BUTTON_CLASS_RE = re.compile(r"(?:^|[-_\s])(?:button|btn|cta)(?:$|[-_\s])", re.I)
_BLOCK_TAGS = {"div", "section", "aside", "form", "p", "figure", "li", "ul", "table"}
_COPYRIGHT_RE = re.compile(
    r"^\W*(?:©|\(c\)\s*\d{4}|copyright\b)|\ball rights reserved\b|\bcopyrighted property\b|"
    r"\btodos los derechos reservados\b|\btous droits réservés\b",
    re.I,
)


_XML_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read_web_page(text: str, path: str, dropped: list[DroppedLine]) -> tuple[dict[str, Any], str]:
    """The page's metadata (title, date, language, canonical URL) and its main content as
    Markdown; what was removed is added to ``dropped``."""
    import lxml.html  # type: ignore[import-untyped]

    # Imported here, not at the top: trafilatura takes 0.2 s to import, which every command of
    # the CLI would pay, and only ingest of an HTML page needs it.
    import trafilatura
    from trafilatura.metadata import extract_metadata

    # Control characters XML forbids (a stray vertical tab): trafilatura builds XML elements from
    # the text and raises on them; in a press release they are at most white space.
    text = _XML_CONTROL_RE.sub(" ", text)
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
    title = squeeze(page.title or "") if page is not None else ""
    if title:
        metadata["title"] = title
    if page is not None and page.date:
        try:
            metadata["date"] = dt.date.fromisoformat(page.date[:10])
        except ValueError:
            pass
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()
    if is_valid_tag(lang):
        metadata["language"] = primary_subtag(lang)
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
        count = len(box.text_content().split())
        if not 0 < count <= 80 or box.xpath(".//article"):
            continue
        dropped.append(DroppedLine(box.sourceline or 0, squeeze(box.text_content())[:200], "call-to-action-box"))
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
        if is_homoglyph_text(plain):
            rule = "homoglyph-text"
        elif _COPYRIGHT_RE.search(plain) and len(plain.split()) <= 80:
            rule = "copyright-notice"
        elif _is_link_teaser(block, plain):
            rule = "link-teaser"
        elif "\n" not in block and (chrome := chrome_rule(plain)) is not None:
            rule = chrome  # a share button, a photo credit, "Read this in Spanish" that extraction kept
        elif not kept and title and re.match(r"#{1,6}\s", block) and squeeze(plain).lower() == title.lower():
            continue  # the headline, already the title in the front matter
        if rule is not None:
            dropped.append(DroppedLine(_find_line(source, plain), plain[:200], rule))
            continue
        kept.append(block)
    return "\n\n".join(kept)


def _is_link_teaser(block: str, plain: str) -> bool:
    """A "Read also: <link>" line: a short label and one link that carries most of the text."""
    links = re.findall(r"(?<!!)\[([^\]]+)\]\([^)]*\)", block)
    if len(links) != 1 or re.match(r"\s*(?:[-*+]\s|\d+[.)]\s|#)", block):
        return False
    label = plain.replace(plain_text(links[0]), "", 1).strip()
    return len(split_words(label)) <= 3 and label.endswith(":") and len(split_words(plain)) <= 40


def _find_line(source: str, text: str) -> int:
    """The line of the page's source where ``text`` starts (0 when it cannot be found)."""
    probe_words = text.split()
    for size in (6, 3, 1):
        if len(probe_words) >= size:
            probe = " ".join(probe_words[:size])
            pos = _squeeze_index(source, probe)
            if pos >= 0:
                return source.count("\n", 0, pos) + 1
    return 0


def _squeeze_index(source: str, probe: str) -> int:
    pattern = r"\s+".join(re.escape(w) for w in probe.split())
    found = re.search(pattern, source)
    return found.start() if found else -1
