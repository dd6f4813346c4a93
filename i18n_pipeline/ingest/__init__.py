"""Ingest: turn releases as they really arrive into clean releases (``content/<slug>.md``).

Three kinds of input arrive, each read by its own module:

* **scraped text** (``scraped.py``): navigation and HTML debris dropped by named rules,
  paragraphs rebuilt, the headline, links box, place, contacts and date moved into the front
  matter so that names and telephone numbers never reach a translation engine;
* **web pages** (``web.py``): main-content extraction with trafilatura, then a few block rules;
* **Markdown** releases pass through (here); the front matter is validated and a title added
  from the first heading when it is missing.

Before that the bytes are decoded (``decode.py``); after it the body's language is checked
(``language.py``) and the release written as front matter and body (``formats/front_matter``).
Every dropped line is reported with its rule (:class:`DroppedLine`), for ``--explain``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from i18n_pipeline.errors import DocumentError
from i18n_pipeline.formats.front_matter import find_front_matter, join_front_matter, split_front_matter
from i18n_pipeline.ingest.decode import decode_bytes
from i18n_pipeline.ingest.language import detect_language, mark_link_languages
from i18n_pipeline.ingest.scraped import read_scraped_text
from i18n_pipeline.ingest.shared import SMALL_WORDS, DroppedLine, plain_text
from i18n_pipeline.ingest.web import read_web_page

__all__ = ["FORMATS", "DroppedLine", "IngestResult", "detect_format", "ingest", "slugify"]

log = logging.getLogger(__name__)

FORMATS = ("auto", "html", "text", "markdown")


@dataclass(frozen=True)
class IngestResult:
    """A clean release, ready to be written as ``content/<slug>.md``."""

    slug: str
    markdown: str
    metadata: dict[str, Any]
    dropped: tuple[DroppedLine, ...]
    language: str | None
    warnings: tuple[str, ...]  # each "<path>: <what>; <how to fix>", for the caller to show


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
    front matter. Warnings (another language, no body, no title) are returned, not logged: the
    caller shows them once.
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
            metadata, body = read_web_page(text, path, dropped)
        else:
            metadata, body = read_scraped_text(text, dropped, source_language)
        mark_link_languages(metadata, source_language)
        markdown = join_front_matter(metadata, body)

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
    log.info("%s: ingested as %s (%d lines dropped)", path, chosen, len(dropped))
    return IngestResult(
        slug=chosen,
        markdown=markdown,
        metadata=metadata,
        dropped=tuple(sorted(dropped, key=lambda d: d.line)),
        language=language,
        warnings=tuple(warnings),
    )


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
    if find_front_matter(text.lstrip("\ufeff \n\t")) is not None:
        return "markdown"
    return "text"


def _ingest_markdown(text: str, path: str) -> tuple[dict[str, Any], str, str]:
    """(metadata, the release's text, its body): the text as it came, unless a title is added."""
    metadata, body = split_front_matter(text, path)
    if "title" in metadata:
        return metadata, text if text.endswith("\n") else text + "\n", body
    heading = re.search(r"^#{1,6}[ \t]+(.+?)[ \t#]*$|^(\S.*)\n(?:=+|-+)[ \t]*$", body, re.M)
    if heading is None:
        return metadata, text if text.endswith("\n") else text + "\n", body
    metadata = {"title": (heading.group(1) or heading.group(2)).strip(), **metadata}
    return metadata, join_front_matter(metadata, body), body


# --------------------------------------------------------------------------- slugs


def slugify(text: str, limit: int = 80) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary within ``limit``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1].rfind("-")
        slug = slug[: cut if cut > 0 else limit]
        words = slug.split("-")
        while len(words) > 1 and words[-1] in SMALL_WORDS:
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
