"""Scraped text (what a copy from a browser or an old scraper leaves) -> metadata and a body.

Site navigation, debris of HTML attributes, hard-wrapped lines and no blank lines between
paragraphs arrive here. Named, general rules drop the debris (every dropped line is reported
with its rule, for ``--explain``), paragraphs are rebuilt from the wrapped lines, and the
structured parts of a press release (headline, links box, place tag, contact block, announced
date) move into the metadata so that names and telephone numbers never reach a translation
engine. In order:

1. single lines: punctuation-only lines, HTML attributes, attribute prefixes, href debris;
2. menus: a label echoed by its teaser, repeated short lines;
3. the headline and the end of the text (``article.py``), the contact block (``contacts.py``);
   the site's chrome above, inside and below the text (``chrome.py``: search forms, language
   selectors, icon labels, copies of the headline, "read this in Spanish", footers);
4. a date line under the headline, lines in another language (a caption), the links box (and
   the place tag inside it), the dateline place;
5. paragraphs from the wrapped body lines, as escaped Markdown with URLs as autolinks; a
   one-paragraph contact block and a dateline opening the text ("GENEVA, 3 August (IOM) –")
   move to the front matter;
6. the announced date ("Wednesday, 3 August", the year inferred) and publications the body names.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import logging
import re
from typing import Any

from i18n_pipeline.ingest.article import Line, drop, drop_around, find_article
from i18n_pipeline.ingest.chrome import DATE_LINE_RE, chrome_rule, parse_date_line
from i18n_pipeline.ingest.contacts import CONTACT_LABEL_RE, inline_contacts, read_contact_block
from i18n_pipeline.ingest.language import confidently_other, detect_language
from i18n_pipeline.ingest.shared import SMALL_WORDS, DroppedLine, split_words, squeeze
from i18n_pipeline.languages import is_territory_name
from i18n_pipeline.segment import URL_PATTERN

__all__ = ["infer_date", "read_scraped_text"]

log = logging.getLogger(__name__)

_ATTR = r"""[A-Za-z_:][-\w:.]*=(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)?"""
_QUOTED_TAIL = r'"[^"]*"\s*/?>|\'[^\']*\'\s*/?>'
_ATTRIBUTES_ONLY_RE = re.compile(rf"^\s*(?:(?:{_ATTR}|{_QUOTED_TAIL})\s*)+/?>?\s*$")
_ATTRIBUTE_PREFIX_RE = re.compile(rf"^\s*(?:(?:{_ATTR})\s+)*(?:{_ATTR}|\"[^\"]*\"|'[^']*')\s*>(?=\S)")
_HREF_DEBRIS_RE = re.compile(r"""["'](?:https?://|mailto:|ftp://|/|#)[^"'\s<>]*["']\s*>""")
_PUNCTUATION_ONLY_RE = re.compile(r"^[\W_]+$")
_DATELINE_RE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+){0,3}|[A-ZÀ-Þ][a-zà-ÿ'’.-]+(?:\s+[A-ZÀ-Þ][a-zà-ÿ'’.-]+){0,2})"
    r"(?:,\s*[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]+){0,2})?"  # ", Mexico" after a city
    r"(?:,?\s+(?P<date>(?:\d{1,2}\s+[^\W\d_]+|[^\W\d_]+\.?\s+\d{1,2})(?:,?\s+\d{4})?))?"
    r"(?:\s*\((?P<agency>[A-Z][\w .&-]{1,30})\))?\s*[–—-]{1,2}\s+(?=[A-ZÀ-Þ\"“‘'])"
)
_PLACE_DATE_RE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]+){0,2}),\s*(?:[A-ZÀ-Þ][\w'’.-]+(?:\s+[A-ZÀ-Þ][\w'’.-]+){0,2},?\s+)?"
    r"(?P<date>\d{1,2},?\s+(?:de\s+)?[^\W\d_]+,?\s+(?:de\s+)?\d{4}|[^\W\d_]+\.?\s+\d{1,2},?\s+\d{4})"
    r"(?:\s*[-–|,]?\s*\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?\s*m\.?)?)?\.?$"
)
_BULLET_RE = re.compile(r"^\s*(?:[-*+•·–—]|\d+[.)])\s+")
_TERMINAL_RE = re.compile(r"[.!?…]['\"”’)\]]*$")
_SENTENCE_START_RE = re.compile(r"^['\"“‘(¿¡\[]*[A-ZÀ-ÖØ-Þ0-9]")
_LINKS_LABEL_RE = re.compile(r"^(?:related\s+)?(?:links|resources|publications|enlaces|liens)\s*:?$", re.I)
# segment.py's rules, without its "www." and "mailto:" extras: a line is a URL only with a
# scheme (``<www.example.org>`` would not be a Markdown autolink).
_URL_RE = re.compile(URL_PATTERN)


def read_scraped_text(text: str, dropped: list[DroppedLine], source_language: str = "en") -> tuple[dict[str, Any], str]:
    """The release's metadata (title, date, place, links, contacts) and its body as Markdown;
    what was removed is added to ``dropped``."""
    lines = _clean_debris(text, dropped)
    _drop_menus(lines, dropped)
    article = find_article(lines)
    title_index = article.title
    start = (title_index + 1) if title_index is not None else 0
    if title_index is not None:
        lines[title_index].role = "title"
    contacts, contacts_end = _contact_block(lines, start, article.end, dropped)
    drop_around(lines, article, max(article.end, contacts_end), dropped, tail=contacts_end)
    announced, lead_place = _lead_date(lines, start, dropped)
    links, place = _mark_links_block(lines, start, dropped)
    place = place or lead_place
    _drop_other_language(lines, start, source_language, dropped)
    if place is None:
        place = _dateline_place(lines, start)

    paragraphs = _rebuild_paragraphs(list(lines[start:]) if title_index is not None else lines)
    paragraphs, contacts = _inline_contacts(paragraphs, contacts, lines, dropped)
    paragraphs, place, dated = _dateline(paragraphs, place, lines, start, dropped)
    body_text = "\n".join(paragraphs)

    metadata: dict[str, Any] = {}
    if title_index is not None:
        metadata["title"] = squeeze(article.headline)
    announced = dated or announced or infer_date(body_text + "\n" + metadata.get("title", ""))
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


def _contact_block(lines: list[Line], start: int, end: int, dropped: list[DroppedLine]) -> tuple[list[dict[str, str]], int]:
    """The contact block whose label is in the text or right after it (site chrome aside):
    its contacts and the index after its last line (0 when there is none)."""
    label_at, gap = None, 0
    for i in range(start, len(lines)):
        line = lines[i]
        if not line.kept:
            continue
        if CONTACT_LABEL_RE.match(line.text):
            label_at = i
            break
        if i >= end and not chrome_rule(line.text):
            gap += 1
            if gap > 3:
                break
    if label_at is None:
        return [], 0
    drop(lines[label_at], "contact-label", dropped)
    following = [i for i in range(label_at + 1, len(lines)) if lines[i].kept]
    contacts, used = read_contact_block([lines[i].text for i in following])
    for i in following[:used]:
        lines[i].role = "contact"
    return contacts, (following[used - 1] + 1) if used else label_at + 1


def _lead_date(lines: list[Line], start: int, dropped: list[DroppedLine]) -> tuple[dt.date | None, str | None]:
    """A line between the headline and the text that is only a date ("16 February 2026"), or a
    place and a date ("Managua, Nicaragua 26, Abril, 2022 7:43 p.m."): (date, place)."""
    for line in lines[start:]:
        if not line.kept or line.role != "body":
            continue
        text = squeeze(line.text)
        place_date = _PLACE_DATE_RE.match(text)
        if DATE_LINE_RE.match(text) or (place_date and parse_date_line(place_date.group("date"))):
            drop(line, "date-line", dropped)
            if place_date and not DATE_LINE_RE.match(text):
                return parse_date_line(place_date.group("date")), place_date.group("place")
            return parse_date_line(text), None
        if len(split_words(line.text)) >= 8:
            return None, None  # the text has begun
    return None, None


def _drop_other_language(lines: list[Line], start: int, source_language: str, dropped: list[DroppedLine]) -> None:
    """Whole lines in another language than the release's: a caption or a teaser of the site's
    other edition ("Foto: la OIM entrega kits..." in an English release)."""
    candidates = [ln for ln in lines[start:] if ln.kept and ln.role == "body" and len(split_words(ln.text)) >= 6]
    other = [ln for ln in candidates if detect_language(ln.text, source_language) not in (None, source_language)
             and confidently_other(ln.text, source_language)]
    if len(other) > 0.5 * len(candidates):
        return  # the release itself is in another language: ingest warns about it, nothing is dropped
    for line in other:
        drop(line, "other-language", dropped)


def _inline_contacts(
    paragraphs: list[str], contacts: list[dict[str, str]], lines: list[Line], dropped: list[DroppedLine]
) -> tuple[list[str], list[dict[str, str]]]:
    """A one-paragraph contact block ("For more information, please contact X at Y, Tel: ...")
    moves to the front matter."""
    kept = []
    for paragraph in paragraphs:
        found = inline_contacts(paragraph)
        if found is None:
            kept.append(paragraph)
            continue
        contacts = contacts + found
        dropped.append(DroppedLine(_line_of(lines, paragraph), paragraph, "contact-paragraph"))
    return kept, contacts


def _dateline(
    paragraphs: list[str], place: str | None, lines: list[Line], start: int, dropped: list[DroppedLine]
) -> tuple[list[str], str | None, dt.date | None]:
    """A dateline opening the text ("GENEVA, 3 August 2011 (IOM) – The ...") goes to the front
    matter: the place, and the date when it has a year."""
    if not paragraphs:
        return paragraphs, place, None
    m = _DATELINE_RE.match(paragraphs[0])
    if m is None:
        return paragraphs, place, None
    where = m.group("place")
    found_place = where.title() if where.isupper() else where
    dated = parse_date_line(m.group("date")) if m.group("date") else None
    dropped.append(DroppedLine(_line_of(lines, paragraphs[0]), m.group(0).strip(), "dateline"))
    return [paragraphs[0][m.end() :], *paragraphs[1:]], place or found_place, dated


def _line_of(lines: list[Line], paragraph: str) -> int:
    """The input line where ``paragraph`` starts."""
    head = paragraph.split()[:3]
    for line in lines:
        if line.kept and line.text.split()[:3] == head:
            return line.number
    return 0


def _clean_debris(text: str, dropped: list[DroppedLine]) -> list[Line]:
    """Rules on single lines: punctuation-only, attributes-only, attribute prefixes, href debris."""
    out: list[Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = Line(number, raw.strip())
        if not line.text:
            line.kept = False
            line.role = "blank"
        elif _PUNCTUATION_ONLY_RE.match(line.text):
            drop(line, "punctuation-only", dropped)
        elif _ATTRIBUTES_ONLY_RE.match(line.text) and ("=" in line.text or '">' in line.text):
            drop(line, "html-attributes", dropped)
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


def _drop_menus(lines: list[Line], dropped: list[DroppedLine]) -> None:
    """Menu echoes (a label, then a teaser that starts with it) and repeated short lines."""
    kept = [ln for ln in lines if ln.kept]
    for this, nxt in itertools.pairwise(kept):
        if not this.kept:
            continue
        label, following = this.text.lower(), nxt.text.lower()
        if len(following) > len(label) and following.startswith(label) and len(split_words(this.text)) <= 8:
            glued = nxt.text[len(this.text)]
            drop(this, "menu-echo", dropped)
            if glued.isalnum():  # "WHO WE AREThe International ...": label glued to its teaser
                drop(nxt, "menu-teaser", dropped)
        elif label == following and len(split_words(this.text)) <= 8:
            drop(this, "repeated-short-line", dropped)
            drop(nxt, "repeated-short-line", dropped)


def _is_place(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 3 and all(re.fullmatch(r"[A-ZÀ-Þ][\w'’-]*", w) for w in words)


def _mark_links_block(lines: list[Line], start: int, dropped: list[DroppedLine]) -> tuple[list[dict[str, str]], str | None]:
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
    drop(lines[i], "section-label", dropped)
    item: list[Line] = []
    items: list[list[Line]] = []
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
        elif item and item[0].anchor and not separated and len(item) < 3 and len(split_words(line.text)) <= 12 and (
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
        text = squeeze(" ".join(ln.text for ln in it))
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


def _dateline_place(lines: list[Line], start: int) -> str | None:
    """A place tag standing alone right after the headline: in capitals ("GENEVA"), or a country
    CLDR knows ("Mexico"); not a section label ("Investment")."""
    for line in lines[start:]:
        if line.kept and line.role == "body":
            capitals = re.fullmatch(r"[A-ZÀ-Þ][A-ZÀ-Þ ,'-]+", line.text) and len(line.text) <= 40
            if capitals or (_is_place(line.text) and is_territory_name(line.text)):
                line.role = "place"
                return line.text.title() if line.text.isupper() else line.text
            return None
    return None


def _rebuild_paragraphs(lines: list[Line]) -> list[str]:
    """Join hard-wrapped body lines into paragraphs (one string each)."""
    body = [ln for ln in lines if ln.kept and ln.role == "body"]
    lengths = sorted(len(ln.text) for ln in body)
    width = lengths[int(len(lengths) * 0.75)] if lengths else 0
    paragraphs: list[str] = []
    current: list[str] = []
    previous: Line | None = None
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
    return squeeze(text)


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



def _add_named_publications(links: list[dict[str, str]], body: str) -> list[dict[str, str]]:
    """Add publications the body names by a "Title: Subtitle" in title case, with the body's URL."""
    small = "|".join(sorted(SMALL_WORDS, key=len, reverse=True))
    word = rf"(?:[A-Z][\w'’-]*|(?:{small}))"
    pattern = re.compile(rf"(?<![\w'’])([A-Z][\w'’-]*(?:\s+{word})*\s*:\s+[A-Z][\w'’-]*(?:\s+{word})*)")
    found: list[dict[str, str]] = []
    known = {link["title"].lower() for link in links}
    for match in pattern.finditer(body):
        title = re.sub(rf"(?:\s+(?:{small}))+$", "", match.group(1))
        before, after = title.split(":", 1)
        if re.match(r"(?:by|por|par)\s", before, re.I):
            continue  # "By Aaron Humes: The Americas ...": a byline, not a publication
        if len(split_words(before)) < 2 or len(split_words(after)) < 2 or title.lower() in known:
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
    **dict(zip(["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"], range(7), strict=False)),
    **dict(zip(["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"], range(7), strict=False)),
}
_MONTHS = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    **dict(zip(["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                "septiembre", "octubre", "noviembre", "diciembre"], range(1, 13), strict=False)),
    **dict(zip(["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                "septembre", "octobre", "novembre", "décembre"], range(1, 13), strict=False)),
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
