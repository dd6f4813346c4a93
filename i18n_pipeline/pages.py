"""HTML pages a site can serve: a release's page, the index page of a language, the stylesheet.

Strings in, strings out: ``build.py`` decides what is published, ``pipeline/`` writes the
files. Every value that comes from a release or a translation is escaped here; the only markup
in a page is this module's and the source's own (restored from placeholders by the format
modules).

The links between the languages of a release (``<link rel="alternate" hreflang=...>``) are
known only once every language of a build is decided, so a page is rendered without them and
:func:`set_alternates` puts them in (also into pages an earlier build wrote).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from i18n_pipeline.errors import ConfigError
from i18n_pipeline.formats.markdown import to_html
from i18n_pipeline.languages import cldr_locale, language_name
from i18n_pipeline.localise import format_date_long

STYLESHEET_NAME = "style.css"  # build/style.css; pages link it as ../style.css

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
# Shown at the top of a release some of whose segments are published in the source language;
# {source} is CLDR's name of the source language in the page's language ("inglés").
UNTRANSLATED_NOTICE = {
    "en": "Parts of this text are not translated yet; they are shown in {source}.",
    "es": "Partes de este texto aún no están traducidas; se muestran en {source}.",
    "fr": "Certaines parties de ce texte ne sont pas encore traduites\u00a0; elles sont affichées en {source}.",
    "de": "Teile dieses Textes sind noch nicht übersetzt; sie werden auf {source} angezeigt.",
    "pt": "Partes deste texto ainda não estão traduzidas; são mostradas em {source}.",
    "it": "Alcune parti di questo testo non sono ancora tradotte; sono mostrate in {source}.",
    "ca": "Algunes parts d'aquest text encara no estan traduïdes; es mostren en {source}.",
}
LABELS = {
    "en": {"contact": "For further information, please contact:", "links": "Links", "phone": "Tel.",
           "email": "E-mail", "original": "Original", "releases": "Press releases"},
    "es": {"contact": "Para más información, contacte con:", "links": "Enlaces", "phone": "Tel.",
           "email": "Correo electrónico", "original": "Original", "releases": "Comunicados de prensa"},
    "fr": {"contact": "Pour plus d'informations, veuillez contacter\u00a0:", "links": "Liens", "phone": "Tél.",
           "email": "Courriel", "original": "Original", "releases": "Communiqués de presse"},
}

STYLESHEET = """\
/* i18n-pipeline: readable pages; logical properties, so right-to-left pages mirror. */
html { font-size: 112.5%; }
body { margin: 0 auto; max-width: 42rem; padding: 1.5rem 1.25rem 3rem; color: #1f2328; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; line-height: 1.6; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
a { color: #0b57d0; }
.dateline { color: #57606a; }
.summary { font-size: 1.1rem; }
.machine-translation-notice, .untranslated-notice { margin: 0 0 1rem; padding: 0.6rem 0.9rem;
  border-inline-start: 0.3rem solid #bf8700; background: #fff8c5; }
.untranslated-notice { border-color: #0969da; background: #ddf4ff; }
.untranslated { color: #57606a; }
nav.original { font-size: 0.9rem; margin-bottom: 1rem; }
address { font-style: normal; margin-bottom: 1rem; }
ol.releases { list-style: none; padding: 0; }
ol.releases li { margin: 0 0 1rem; }
ol.releases time { display: block; color: #57606a; font-size: 0.9rem; }
"""

_RTL_FALLBACK = frozenset("ar fa he ur ps yi dv ckb sd ug".split())


@functools.lru_cache(maxsize=64)
def text_direction(language: str) -> str:
    """``rtl`` or ``ltr`` for a page in ``language``, from CLDR's character order (looked up
    once per language: every page of a build asks)."""
    try:
        order = cldr_locale(language).character_order
    except ConfigError:  # a tag CLDR does not know: go by its primary subtag
        return "rtl" if language.split("-")[0].split("_")[0] in _RTL_FALLBACK else "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def labels(language: str) -> Mapping[str, str]:
    return LABELS.get(language.split("-")[0], LABELS["en"])


def notices(language: str, source_language: str, *, machine: bool, untranslated: bool) -> list[tuple[str, str]]:
    """(class, text) of the notices a release in ``language`` shows at its top."""
    base = language.split("-")[0]
    found = []
    if machine:
        found.append(("machine-translation-notice", MACHINE_NOTICE.get(base, MACHINE_NOTICE["en"])))
    if untranslated:
        template = UNTRANSLATED_NOTICE.get(base)
        if template is None:  # no text of ours in this language: English, named in English
            template, base = UNTRANSLATED_NOTICE["en"], "en"
        found.append(("untranslated-notice", template.format(source=language_name(source_language, base))))
    return found


def notices_html(found: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f'<p class="{cls}"><strong>{html.escape(text)}</strong></p>\n' if cls == "machine-translation-notice"
        else f'<p class="{cls}">{html.escape(text)}</p>\n'
        for cls, text in found
    )


# --- a release's page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageContext:
    """Where a page stands among its siblings."""

    name: str  # the release's name: build/<lang>/<name>.html
    language: str
    source_language: str
    notices: tuple[tuple[str, str], ...] = ()
    untranslated_blocks: Collection[str] = ()  # front matter blocks shown in the source language ("meta-title")

    @property
    def original_href(self) -> str | None:
        if self.language == self.source_language:
            return None
        return f"../{self.source_language}/{self.name}.html"


def _lang_attribute(context: PageContext, block: str) -> str:
    if block in context.untranslated_blocks:
        return f' lang="{html.escape(context.source_language)}" class="untranslated"'
    return ""


_H1_RE = re.compile(r"<h1[\s>]", re.I)
_LEADING_H1_RE = re.compile(r"\s*<h1[\s>].*?</h1>\n?", re.I | re.S)
_FIRST_HEADING_RE = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.I | re.S)
_FIRST_PARAGRAPH_RE = re.compile(r"<p[^>]*>(.*?)</p>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]*>")


def _text_of(fragment: str) -> str:
    return " ".join(html.unescape(_TAG_RE.sub("", fragment)).split())


def page_title(meta: Mapping[str, Any], body_html: str, name: str) -> str:
    """The title of a page: the front matter's, else the body's first heading, its summary or
    its first sentence; the file name only for an empty release."""
    if isinstance(meta.get("title"), str) and meta["title"].strip():
        return str(meta["title"]).strip()
    heading = _FIRST_HEADING_RE.search(body_html)
    if heading and _text_of(heading.group(2)):
        return _text_of(heading.group(2))
    for key in ("summary", "description"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            return str(meta[key]).strip()
    paragraph = _FIRST_PARAGRAPH_RE.search(body_html)
    if paragraph and _text_of(paragraph.group(1)):
        text = _text_of(paragraph.group(1))
        return text if len(text) <= 80 else text[:80].rsplit(" ", 1)[0] + "…"
    return name


def render_page(meta: Mapping[str, Any], body_markdown: str, context: PageContext) -> str:
    """A standalone HTML page for a Markdown release: head, header, body, links and contacts.

    ``meta`` is the release's front matter (translated values), ``body_markdown`` its translated
    body (translations already escaped by the Markdown format).
    """
    e = html.escape
    language = context.language
    text = labels(language)
    body_html = to_html(body_markdown).rstrip("\n")
    title = page_title(meta, body_html, context.name)
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{e(language)}" dir="{text_direction(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title{_lang_attribute(context, 'meta-title') if title == meta.get('title') else ''}>{e(title)}</title>",
    ]
    description = next(
        (str(meta[k]).strip() for k in ("summary", "description") if isinstance(meta.get(k), str) and meta[k].strip()), ""
    )
    if description:
        head.append(f'<meta name="description" content="{e(description)}">')
    if meta.get("date"):
        head.append(f'<meta name="date" content="{e(str(meta["date"]))}">')
    head.append(f'<link rel="stylesheet" href="../{STYLESHEET_NAME}">')
    parts = [*head, "</head>", "<body>", "<article>"]
    if context.original_href:
        source = context.source_language
        parts.append(
            f'<nav class="original">{e(text["original"])}: <a href="{e(context.original_href)}" hreflang="{e(source)}" '
            f'lang="{e(source)}">{e(language_name(source))}</a></nav>'
        )
    parts.append(notices_html(context.notices).rstrip("\n"))
    # One <h1>: the body's own when it opens with one (the dateline follows it), none of ours when
    # it has one further down, else the title.
    first = _LEADING_H1_RE.match(body_html)
    if first:
        parts.append(first.group(0).rstrip("\n"))
        body_html = body_html[first.end() :]
    elif isinstance(meta.get("title"), str) and meta["title"].strip() and not _H1_RE.search(body_html):
        parts.append(f"<h1{_lang_attribute(context, 'meta-title')}>{e(title)}</h1>")
    dateline = []
    if meta.get("place"):
        place = e(str(meta["place"]))
        attrs = _lang_attribute(context, "meta-place")
        dateline.append(f"<span{attrs}>{place}</span>" if attrs else place)
    if meta.get("date"):
        dateline.append(f'<time datetime="{e(str(meta["date"]))}">{e(format_date_long(meta["date"], language))}</time>')
    if dateline:
        parts.append(f'<p class="dateline">{" – ".join(dateline)}</p>')
    for key in ("summary", "description"):
        if isinstance(meta.get(key), str) and meta[key].strip():
            attrs = f' class="{key}"'
            if f"meta-{key}" in context.untranslated_blocks:
                attrs = f' class="{key} untranslated" lang="{e(context.source_language)}"'
            parts.append(f"<p{attrs}><strong>{e(meta[key])}</strong></p>")
            break
    parts.append(body_html)
    parts += _links_section(meta, context, text)
    parts += _contacts_section(meta, context, text)
    parts += ["</article>", "</body>", "</html>"]
    return "\n".join(p for p in parts if p) + "\n"


def _links_section(meta: Mapping[str, Any], context: PageContext, text: Mapping[str, str]) -> list[str]:
    e = html.escape
    links = meta.get("links") or []
    if not isinstance(links, list) or not links:
        return []
    parts = [f'<section class="links"><h2>{e(text["links"])}</h2><ul>']
    shown: set[tuple[str, str]] = set()
    for number, link in enumerate(links, start=1):
        if not isinstance(link, Mapping):
            continue
        url = str(link.get("url", ""))
        title = str(link.get("title") or url)
        if (title, url) in shown:
            continue  # a title and its translation can become the same link
        shown.add((title, url))
        attrs = _lang_attribute(context, f"meta-links.{number}.title")
        if isinstance(link.get("lang"), str) and link["lang"] != context.language and not attrs:
            attrs = f' lang="{e(link["lang"])}"'  # a publication title in another language says so
        if url.startswith(("http://", "https://", "mailto:")):
            parts.append(f'<li{attrs}><a href="{e(url)}">{e(title)}</a></li>')
        else:
            parts.append(f"<li{attrs}>{e(title)}</li>")
    parts.append("</ul></section>")
    return parts


def _contacts_section(meta: Mapping[str, Any], context: PageContext, text: Mapping[str, str]) -> list[str]:
    e = html.escape
    contacts = meta.get("contacts") or []
    if not isinstance(contacts, list) or not contacts:
        return []
    parts = [f'<section class="contacts"><p>{e(text["contact"])}</p>']
    for number, contact in enumerate(contacts, start=1):
        if not isinstance(contact, Mapping):
            continue
        lines = []
        if contact.get("name"):
            lines.append(e(str(contact["name"])))
        if contact.get("office"):
            attrs = _lang_attribute(context, f"meta-contacts.{number}.office")
            office = e(str(contact["office"]))
            lines.append(f"<span{attrs}>{office}</span>" if attrs else office)
        if contact.get("phone"):
            lines.append(f'{e(text["phone"])} {e(str(contact["phone"]))}')
        if contact.get("email"):
            addr = e(str(contact["email"]))
            lines.append(f'{e(text["email"])}: <a href="mailto:{addr}">{addr}</a>')
        parts.append("<address>" + "<br>\n".join(lines) + "</address>")
    parts.append("</section>")
    return parts


# --- pages of other formats -------------------------------------------------------------------------

_HTML_TAG_RE = re.compile(r"<html\b[^>]*>", re.I)
_BODY_TAG_RE = re.compile(r"<body\b[^>]*>", re.I)
_ATTRIBUTE_RE = re.compile(r"""\s(lang|dir|xml:lang)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)""", re.I)


def set_page_language(page: str, language: str) -> str:
    """An HTML release's ``<html>`` says the language it is now in (``lang``, ``dir``)."""
    m = _HTML_TAG_RE.search(page)
    if m is None:
        return page
    tag = _ATTRIBUTE_RE.sub("", m.group(0))
    tag = re.sub(r"\s*/?>$", "", tag) + f' lang="{html.escape(language)}" dir="{text_direction(language)}">'
    return page[: m.start()] + tag + page[m.end() :]


def add_notices_to_page(page: str, found: Sequence[tuple[str, str]]) -> str:
    """The notices right after ``<body>`` (or at the top of a fragment without one)."""
    if not found:
        return page
    block = notices_html(found)
    m = _BODY_TAG_RE.search(page)
    if m is None:
        return block + page
    return page[: m.end()] + "\n" + block.rstrip("\n") + page[m.end() :]


def add_notices_to_text(text: str, found: Sequence[tuple[str, str]]) -> str:
    if not found:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    return newline.join(t for _, t in found) + newline * 2 + text


# --- links between languages ----------------------------------------------------------------------

# One line per alternate, written only by this module: set_alternates finds them again.
_ALTERNATE_LINE_RE = re.compile(r'^<link rel="alternate" hreflang="[^"]*" href="[^"]*">\r?\n', re.M)
_ALTERNATE_LINE_START = '<link rel="alternate" hreflang="'  # what every match of it starts with
_HEAD_END_RE = re.compile(r"</head\s*>", re.I)


def alternates_for(name: str, language: str, published: Sequence[str], source_language: str) -> list[tuple[str, str]]:
    """(hreflang, href) of the other published languages of release ``name``, the original
    first and again as ``x-default`` (the page for readers of any other language)."""
    others = [lang for lang in published if lang != language]
    found = [(lang, f"../{lang}/{name}.html") for lang in sorted(others, key=lambda lang: (lang != source_language, lang))]
    if source_language in published:
        found.append(("x-default", f"../{source_language}/{name}.html"))
    return found


def set_alternates(page: str, alternates: Sequence[tuple[str, str]]) -> str:
    """``page`` with exactly these ``<link rel="alternate" hreflang>`` lines, before ``</head>``."""
    if _ALTERNATE_LINE_START in page:  # a line-anchored pattern over a whole page (~25 µs) finds nothing without it
        page = _ALTERNATE_LINE_RE.sub("", page)
    m = _HEAD_END_RE.search(page)
    if m is None or not alternates:
        return page
    newline = "\r\n" if "\r\n" in page[: m.start()] else "\n"
    block = "".join(
        f'<link rel="alternate" hreflang="{html.escape(lang)}" href="{html.escape(href)}">{newline}' for lang, href in alternates
    )
    line_start = page.rfind("\n", 0, m.start()) + 1
    if not page[line_start : m.start()].strip():  # </head> starts its line: the links go on lines before it
        return page[:line_start] + block + page[line_start:]
    return page[: m.start()] + newline + block + page[m.start() :]


# --- index pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexEntry:
    href: str  # relative to build/<lang>/
    title: str
    date: str | None  # ISO 8601 (YYYY-MM-DD) or None
    lang: str | None = None  # the title's language when it is not the index's (an untranslated title)


_TITLE_RE = re.compile(r"<title([^>]*)>(.*?)</title\s*>", re.I | re.S)
_LANG_RE = re.compile(r"""\blang=["']?([\w-]+)""")
_DATE_RE = re.compile(r"""<meta name="date" content="([^"]*)"|<time\b[^>]*\bdatetime=["']([^"']+)["']""", re.I)


def describe_page(page: str, fallback: str) -> IndexEntry:
    """The title (and its language, when the page says it differs) and the ISO date of a built
    page, as an index lists it; ``href`` is left empty."""
    m = _TITLE_RE.search(page)
    title = " ".join(html.unescape(m.group(2)).split()) if m else ""
    lang = _LANG_RE.search(m.group(1)) if m else None
    d = _DATE_RE.search(page)
    date = (d.group(1) or d.group(2)).strip()[:10] if d else None
    return IndexEntry("", title or fallback, date if date and _is_iso_date(date) else None, lang.group(1) if lang else None)


def describe_text(text: str, fallback: str) -> IndexEntry:
    """A plain-text release as an index lists it: its first line, no date."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return IndexEntry("", first[:120] or fallback, None)


def _is_iso_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def render_index(language: str, entries: Sequence[IndexEntry], languages: Sequence[str], source_language: str) -> str:
    """``build/<lang>/index.html``: the releases published in ``language``, newest first, with
    their dates as the language writes them; ``languages`` are every language with an index."""
    e = html.escape
    heading = labels(language)["releases"]
    ordered = sorted(entries, key=lambda x: (x.date is None, x.title.casefold()))
    ordered = sorted(ordered, key=lambda x: x.date or "", reverse=True)  # stable: undated last, by title
    others = sorted((lang for lang in languages if lang != language), key=lambda lang: (lang != source_language, lang))
    alternates = [(lang, f"../{lang}/index.html") for lang in others]
    if source_language in languages:
        alternates.append(("x-default", f"../{source_language}/index.html"))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(language)}" dir="{text_direction(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(heading)}</title>",
        f'<link rel="stylesheet" href="../{STYLESHEET_NAME}">',
        *(f'<link rel="alternate" hreflang="{e(lang)}" href="{e(href)}">' for lang, href in alternates),
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(heading)}</h1>",
    ]
    if others:
        links = " · ".join(
            f'<a href="../{e(lang)}/index.html" hreflang="{e(lang)}" lang="{e(lang)}">{e(language_name(lang))}</a>'
            for lang in others
        )
        parts.append(f'<nav class="languages">{links}</nav>')
    parts.append('<ol class="releases">')
    for entry in ordered:
        when = f'<time datetime="{e(entry.date)}">{e(format_date_long(entry.date, language))}</time>' if entry.date else ""
        lang = f' lang="{e(entry.lang)}" class="untranslated"' if entry.lang and entry.lang != language else ""
        parts.append(f'<li>{when}<a href="{e(entry.href)}"{lang}>{e(entry.title)}</a></li>')
    parts += ["</ol>", "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)
