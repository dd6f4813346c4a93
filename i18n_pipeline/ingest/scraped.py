"""Scraped text (what a copy from a browser or an old scraper leaves) -> metadata and a body.

Site navigation, debris of HTML attributes, hard-wrapped lines and no blank lines between
paragraphs arrive here. Named, general rules drop the debris (every dropped line is reported
with its rule, for ``--explain``), paragraphs are rebuilt from the wrapped lines, and the
structured parts of a press release (headline, links box, place tag, contact block, announced
date) move into the metadata so that names and telephone numbers never reach a translation
engine. In order:

1. single lines: punctuation-only lines, HTML attributes, attribute prefixes, href debris;
2. menus: a label echoed by its teaser, repeated short lines;
3. the headline, and the navigation above it;
4. the links box (and the place tag inside it), the contact block, the dateline place;
5. paragraphs from the wrapped body lines, as escaped Markdown with URLs as autolinks;
6. the announced date ("Wednesday, 3 August", the year inferred) and publications the body names.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import logging
import re
from dataclasses import dataclass
from typing import Any

from i18n_pipeline.ingest.shared import SMALL_WORDS, DroppedLine, split_words, squeeze
from i18n_pipeline.segment import EMAIL_PATTERN, URL_PATTERN

__all__ = ["infer_date", "normalise_phone", "read_scraped_text"]

log = logging.getLogger(__name__)

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
# segment.py's rules, without its "www." and "mailto:" extras: a line is a URL only with a
# scheme (``<www.example.org>`` would not be a Markdown autolink).
_URL_RE = re.compile(URL_PATTERN)
_EMAIL_RE = re.compile(EMAIL_PATTERN)
_CONTACT_FIELD_RE = re.compile(
    r"^(?P<label>tel(?:ephone|éfono|éphone)?|phone|ph|mob(?:ile)?|cell|m[óo]vil|portable|fax|e-?mail|courriel|correo(?:\s+electr[óo]nico)?)"
    r"\s*\.?\s*[:.]?\s*(?P<value>.*)$",
    re.I,
)
_PHONE_RE = re.compile(r"^\+?[\d\s().\-/+]{7,}$")


@dataclass
class _Line:
    number: int
    text: str
    anchor: bool = False  # the text followed an attribute prefix (it was a link's text)
    kept: bool = True
    role: str = "body"  # body, title, links, place, contact


def read_scraped_text(text: str, dropped: list[DroppedLine]) -> tuple[dict[str, Any], str]:
    """The release's metadata (title, date, place, links, contacts) and its body as Markdown;
    what was removed is added to ``dropped``."""
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

    paragraphs = _rebuild_paragraphs(list(lines[start:]) if title_index is not None else lines)
    body_text = "\n".join(paragraphs)

    metadata: dict[str, Any] = {}
    if title_index is not None:
        metadata["title"] = squeeze(lines[title_index].text)
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


def _drop_menus(lines: list[_Line], dropped: list[DroppedLine]) -> None:
    """Menu echoes (a label, then a teaser that starts with it) and repeated short lines."""
    kept = [ln for ln in lines if ln.kept]
    for this, nxt in itertools.pairwise(kept):
        if not this.kept:
            continue
        label, following = this.text.lower(), nxt.text.lower()
        if len(following) > len(label) and following.startswith(label) and len(split_words(this.text)) <= 8:
            glued = nxt.text[len(this.text)]
            _drop(this, "menu-echo", dropped)
            if glued.isalnum():  # "WHO WE AREThe International ...": label glued to its teaser
                _drop(nxt, "menu-teaser", dropped)
        elif label == following and len(split_words(this.text)) <= 8:
            _drop(this, "repeated-short-line", dropped)
            _drop(nxt, "repeated-short-line", dropped)


def _is_title_like(text: str) -> bool:
    words = split_words(text)
    if not 4 <= len(words) <= 30 or _BULLET_RE.match(text) or re.search(r"[.,;:]$", text):
        return False
    content = [w for w in words if w.lower() not in SMALL_WORDS and not w[0].isdigit()]
    capitalised = sum(1 for w in content if w[0].isupper())
    return bool(content) and capitalised / len(content) >= 0.6


def _find_headline(lines: list[_Line]) -> int | None:
    """The first title-like line, or failing that the first short line that is not a sentence."""
    candidates = [i for i, ln in enumerate(lines) if ln.kept]
    for i in candidates:
        if _is_title_like(lines[i].text):
            return i
        if _TERMINAL_RE.search(lines[i].text) and len(split_words(lines[i].text)) > 12:
            break  # prose has begun without a title-case headline
    for i in candidates[:5]:
        text = lines[i].text
        if 3 <= len(split_words(text)) <= 25 and not re.search(r"[.,;:]$", text) and not _BULLET_RE.match(text):
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


def _dateline_place(lines: list[_Line], start: int) -> str | None:
    """A place tag standing alone right after the headline ("GENEVA", "Mexico")."""
    for line in lines[start:]:
        if line.kept and line.role == "body":
            if _is_place(line.text) or (re.fullmatch(r"[A-ZÀ-Þ][A-ZÀ-Þ ,'-]+", line.text) and len(line.text) <= 40):
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
            current["name"] = squeeze(text)
        elif "office" not in current:
            current["office"] = squeeze(text)
        else:
            current["office"] += ", " + squeeze(text)
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
