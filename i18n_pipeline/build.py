"""Reassembly: render a release in a target language as Markdown and as an HTML page.

The source document is re-walked and each segment looked up in the catalog (never rebuilt from
the PO). Reviewed translations only by default; machine output only when asked, and then the
release says so visibly.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.formats import render_document
from i18n_pipeline.formats.front_matter import find_front_matter, parse_front_matter
from i18n_pipeline.formats.markdown import to_html
from i18n_pipeline.localise import format_date_long
from i18n_pipeline.model import Document, Segment
from i18n_pipeline.sanitise import clean_fragment, clean_page

# Shown at the top of a release that contains unreviewed machine translation.
MACHINE_NOTICE = {
    "en": "This text is an unreviewed machine translation.",
    "es": "Este texto es una traducción automática sin revisar.",
    "fr": "Ce texte est une traduction automatique non révisée.",
    "de": "Dieser Text ist eine ungeprüfte maschinelle Übersetzung.",
    "pt": "Este texto é uma tradução automática não revista.",
    "it": "Questo testo è una traduzione automatica non revisionata.",
    "ca": "Aquest text és una traducció automàtica sense revisar.",
}
LABELS = {
    "en": {"contact": "For further information, please contact:", "links": "Links", "phone": "Tel.", "email": "E-mail"},
    "es": {"contact": "Para más información, contacte con:", "links": "Enlaces", "phone": "Tel.", "email": "Correo electrónico"},
    "fr": {"contact": "Pour plus d'informations, veuillez contacter :", "links": "Liens", "phone": "Tél.", "email": "Courriel"},
}


def withhold_reason(catalog: Catalog | None, min_reviewed: float) -> str | None:
    """Why a reviewed-only build must not publish this release, or None when it may.

    ``publish.min_reviewed`` is the share of a release's segments a reviewer approved below which
    the release is withheld rather than published half in the source language.
    """
    if min_reviewed <= 0:
        return None
    share = len(catalog.reviewed()) / len(catalog) if catalog is not None and len(catalog) else 0.0
    if share >= min_reviewed:
        return None
    return f"{share:.0%} of its segments reviewed, publish.min_reviewed asks for {min_reviewed:.0%}"


@dataclass(frozen=True)
class BuiltRelease:
    markdown: str
    html: str
    machine_segments: int  # segments shown from unreviewed machine output
    fallback_segments: int  # segments left in the source language


def build_release(
    document: Document,
    catalog: Catalog | None,
    language: str,
    *,
    include_machine: bool,
) -> BuiltRelease:
    """Render ``document`` in ``language`` from ``catalog``."""
    machine = 0
    fallback = 0

    def lookup(segment: Segment) -> str | None:
        nonlocal machine, fallback
        if catalog is None:
            fallback += 1
            return None
        reviewed = catalog.lookup(segment.text, segment.context, include_machine=False)
        if reviewed:
            return reviewed
        if include_machine:
            target = catalog.lookup(segment.text, segment.context, include_machine=True)
            if target:
                machine += 1
                return target
        fallback += 1
        return None

    body = render_document(document, lookup)
    if document.format == "html":
        body = clean_page(body)  # the source page's own scripts included: nothing runs
    notice = MACHINE_NOTICE.get(language, MACHINE_NOTICE["en"]) if machine else ""
    markdown = _with_notice(body, document.format, notice)
    page = render_html(document, body, language, notice) if document.format == "markdown" else body
    return BuiltRelease(markdown, page, machine, fallback)


def _with_notice(text: str, fmt: str, notice: str) -> str:
    if not notice or fmt != "markdown":
        return text
    block = find_front_matter(text)
    head, rest = (text[: block.end], text[block.end :]) if block is not None else ("", text)
    return f"{head}\n> **{notice}**\n{'' if rest.startswith(chr(10)) else chr(10)}{rest}"


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    block = find_front_matter(text)
    if block is None:
        return {}, text
    data, _ = parse_front_matter(block.yaml, "<built release>")
    return data, text[block.end :]


def render_html(document: Document, localized_markdown: str, language: str, notice: str) -> str:
    """A standalone HTML page for a Markdown release: header, body, links and contacts."""
    meta, body_md = _front_matter(localized_markdown)
    labels = LABELS.get(language, LABELS["en"])
    e = html.escape
    title = str(meta.get("title") or document.name)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        "</head>",
        "<body>",
        "<article>",
    ]
    if notice:
        parts.append(f'<p class="machine-translation-notice"><strong>{e(notice)}</strong></p>')
    parts.append(f"<h1>{e(title)}</h1>")
    dateline = []
    if meta.get("place"):
        dateline.append(e(str(meta["place"])))
    if meta.get("date"):
        dateline.append(f'<time datetime="{e(str(meta["date"]))}">{e(format_date_long(meta["date"], language))}</time>')
    if dateline:
        parts.append(f'<p class="dateline">{" – ".join(dateline)}</p>')
    for key in ("summary", "description"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            parts.append(f'<p class="{key}"><strong>{e(meta[key])}</strong></p>')
            break
    parts.append(clean_fragment(to_html(body_md)).rstrip("\n"))  # raw HTML of the release: nothing runs
    links = meta.get("links") or []
    if isinstance(links, list) and links:
        parts.append(f'<section class="links"><h2>{e(labels["links"])}</h2><ul>')
        shown: set[tuple[str, str]] = set()
        for link in links:
            if isinstance(link, Mapping):
                url = str(link.get("url", ""))
                text = str(link.get("title") or url)
                if (text, url) in shown:
                    continue  # a title and its translation can become the same link
                shown.add((text, url))
                if url.startswith(("http://", "https://", "mailto:")):
                    parts.append(f'<li><a href="{e(url)}">{e(text)}</a></li>')
                else:
                    parts.append(f"<li>{e(text)}</li>")
        parts.append("</ul></section>")
    contacts = meta.get("contacts") or []
    if isinstance(contacts, list) and contacts:
        parts.append(f'<section class="contacts"><p>{e(labels["contact"])}</p>')
        for contact in contacts:
            if not isinstance(contact, Mapping):
                continue
            lines = [e(str(contact[k])) for k in ("name", "office") if contact.get(k)]
            if contact.get("phone"):
                lines.append(f'{e(labels["phone"])} {e(str(contact["phone"]))}')
            if contact.get("email"):
                addr = e(str(contact["email"]))
                lines.append(f'{e(labels["email"])}: <a href="mailto:{addr}">{addr}</a>')
            parts.append("<address>" + "<br>\n".join(lines) + "</address>")
        parts.append("</section>")
    parts += ["</article>", "</body>", "</html>", ""]
    return "\n".join(parts)

