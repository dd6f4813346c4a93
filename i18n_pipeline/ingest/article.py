"""Where a release is in the text of a scraped page: its headline, where its text ends, and what
around it is the site's (navigation above, footer below, chrome in between).

The headline is the line the browser's title names ("Headline | Site" on the first line, the
headline again further down), or failing that a title-like line; of its occurrences (menus and
"latest news" lists repeat it) the one followed by the most running text wins. The text runs
from the headline until the site's footer (see ``chrome.ends_body``), the contact block, or a
long stretch without a sentence. Every line dropped is reported with its rule.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass

from i18n_pipeline.ingest.chrome import DATE_LINE_RE, chrome_rule, ends_body, is_related_label, page_title_parts
from i18n_pipeline.ingest.contacts import CONTACT_LABEL_RE
from i18n_pipeline.ingest.shared import SMALL_WORDS, DroppedLine, split_words, squeeze
from i18n_pipeline.languages import is_territory_name

__all__ = ["Article", "Line", "drop", "drop_around", "find_article", "is_running_text", "is_title_like"]

log = logging.getLogger(__name__)

_BULLET_RE = re.compile(r"^\s*(?:[-*+•·–—]|\d+[.)])\s+")
_TERMINAL_RE = re.compile(r"[.!?…]['\"”’)\]]*$")
_MAX_LEAD = 16  # lines between the headline and the first sentence (date, byline, photo, share)
_BYLINE_RE = re.compile(r"^(?:by|por|par|written by|escrito por|texto|text)\s*:?\s+[A-ZÀ-Þ]", re.I)
_MAX_GAP = 6  # lines without a sentence inside the text (a links box, a sub-heading)
_STANDFIRST_WORDS = 60  # at most between two copies of the headline that head the same text
_BODY_WORDS = 80  # running text after which share buttons end it, and gaps are counted tightly


@dataclass
class Line:
    """One input line of scraped text and what ingest made of it."""

    number: int
    text: str
    anchor: bool = False  # the text followed an attribute prefix (it was a link's text)
    kept: bool = True
    role: str = "body"  # body, title, links, place, contact, blank


@dataclass(frozen=True)
class Article:
    """The headline's line (None: none found) and the end of the release's text (exclusive)."""

    title: int | None
    end: int
    headline: str = ""  # the headline's text: the title line's, or the browser title's part


def drop(line: Line, rule: str, dropped: list[DroppedLine]) -> None:
    line.kept = False
    dropped.append(DroppedLine(line.number, line.text, rule))
    log.debug("line %d dropped by %s: %s", line.number, rule, line.text[:60])


def _normal(text: str) -> str:
    return squeeze(text).casefold().strip(" .:|")


def is_title_like(text: str) -> bool:
    words = split_words(text)
    if not 4 <= len(words) <= 30 or _BULLET_RE.match(text) or re.search(r"[.,;:]$", text):
        return False
    content = [w for w in words if w.lower() not in SMALL_WORDS and not w[0].isdigit()]
    capitalised = sum(1 for w in content if w[0].isupper())
    return bool(content) and capitalised / len(content) >= 0.6


def is_running_text(lines: list[Line], i: int) -> int:
    """The words of line ``i`` if it is running text (a sentence, or part of a wrapped one)."""
    text = lines[i].text
    n = len(split_words(text))
    if text.endswith(("…", "...")):
        return 0  # an excerpt under a teaser, not the text
    if n >= 12 or (n >= 6 and _TERMINAL_RE.search(text)):
        return n
    following = next((ln for ln in lines[i + 1 :] if ln.kept), None)
    return n if n >= 6 and following is not None and following.text[:1].islower() else 0


def _region(lines: list[Line], title: int, headline: str) -> tuple[int, int]:
    """(end, words of running text) of the text that follows the headline at ``title``."""
    words, gap, end, seen = 0, 0, title + 1, False
    for j in range(title + 1, len(lines)):
        line = lines[j]
        if not line.kept:
            continue
        rule = chrome_rule(line.text)
        if seen and (CONTACT_LABEL_RE.match(line.text) or (ends_body(line.text) and (
                rule != "social-links" or words >= _BODY_WORDS))):  # share buttons follow a standfirst too
            return (j if gap <= 2 else end), words  # the footer or the contact block: a last short line stays
        if not seen and chrome_rule(line.text) in ("copyright", "script-notice", "footer-link"):
            return end, 0  # the site's footer before any text: this copy of the headline heads none
        if words >= _BODY_WORDS and is_related_label(line.text) and not _resumes(lines, j):
            return end, words  # "Related news" and a list of teasers: the text has ended
        if chrome_rule(line.text) or _normal(line.text) == headline:
            continue  # share buttons, a photo credit, the headline again: neither text nor a gap
        n = is_running_text(lines, j)
        if n:
            words, gap, seen, end = words + n, 0, True, j + 1
            continue
        gap += 1
        if gap > (_MAX_GAP if words >= _BODY_WORDS else _MAX_LEAD):  # a standfirst and a caption are still the lead
            return end, words
    return len(lines), words


def _resumes(lines: list[Line], label: int) -> bool:
    """Whether the text goes on after a "Related" list: two sentences in a row within a few lines
    (a list of teasers has one-line titles and dates between them)."""
    following = [i for i in range(label + 1, len(lines)) if lines[i].kept and not chrome_rule(lines[i].text)]
    pairs = itertools.pairwise(following[: _MAX_GAP + 2])
    return any(is_running_text(lines, a) and is_running_text(lines, b) for a, b in pairs)


def _headline_shaped(lines: list[Line], i: int, kept: list[int]) -> bool:
    """A line that may be a headline: 4 to 30 words, no closing punctuation, not part of a
    wrapped paragraph (the line before does not run on into it, the line after does not go on)."""
    text = lines[i].text
    if not 4 <= len(split_words(text)) <= 30 or re.search(r"[.,;:!?]$", text) or _BULLET_RE.match(text):
        return False
    at = kept.index(i)
    before = lines[kept[at - 1]].text if at else ""
    after = lines[kept[at + 1]].text if at + 1 < len(kept) else ""
    runs_on = len(split_words(before)) >= 6 and not _TERMINAL_RE.search(before)
    return not runs_on and not after[:1].islower() and not chrome_rule(text)


def find_article(lines: list[Line]) -> Article:
    """The headline and the end of the release's text (see the module's docstring)."""
    kept = [i for i, ln in enumerate(lines) if ln.kept]
    if not kept:
        return Article(None, len(lines))
    first = lines[kept[0]].text
    parts = page_title_parts(first) or [first]
    headline, exact = "", []
    for part in parts:
        exact = [i for i in kept[1:] if _normal(lines[i].text) == _normal(part)]
        if exact:
            headline = part
            break
    if exact:  # the browser's title names the headline; of the same text, the copy nearest it
        candidates = exact
    else:
        candidates = [i for i in kept if _headline_shaped(lines, i, kept) and (is_title_like(lines[i].text) or i > kept[0])]
        headline = next((p for p in parts if is_title_like(p) and p != first), "")
    best: tuple[int, int, int] | None = None  # words, index, end
    for i in candidates:
        end, words = _region(lines, i, _normal(headline or lines[i].text))
        if not words:
            continue
        if best is None or (words > best[0] and end != best[2]):
            best = (words, i, end)
        elif exact and end == best[2] and best[0] - words <= _STANDFIRST_WORDS:
            best = (best[0], i, end)  # the same text from a later copy: what lay between was a caption
    if best is None:
        title = _first_headline(lines)
        return Article(title, len(lines), lines[title].text if title is not None else "")
    return Article(best[1], best[2], headline or lines[best[1]].text)


def _first_headline(lines: list[Line]) -> int | None:
    """The first title-like line, or failing that the first short line that is not a sentence."""
    candidates = [i for i, ln in enumerate(lines) if ln.kept]
    for i in candidates:
        if is_title_like(lines[i].text):
            return i
        if _TERMINAL_RE.search(lines[i].text) and len(split_words(lines[i].text)) > 12:
            break  # prose has begun without a title-case headline
    for i in candidates[:5]:
        text = lines[i].text
        if 3 <= len(split_words(text)) <= 25 and not re.search(r"[.,;:]$", text) and not _BULLET_RE.match(text):
            return i
    return None


def drop_around(lines: list[Line], article: Article, keep_until: int, dropped: list[DroppedLine], *, tail: int = 0) -> None:
    """Drop what is the site's: every line before the headline (navigation, the browser's title,
    earlier copies of the headline), chrome and copies of the headline inside the text, and every
    line after ``keep_until`` (the end of the text, or of the contact block after it) but the
    contact block's. After ``tail`` (the end of a contact block) only sentences stay (a note to
    editors), not the short lines of the site's footer."""
    headline = _normal(article.headline)
    title = article.title if article.title is not None else -1
    first_text = next((i for i in range(title + 1, len(lines)) if lines[i].kept and is_running_text(lines, i)), title)
    related = False
    for i, line in enumerate(lines):
        if not line.kept or i == title or line.role == "contact":
            continue
        rule = chrome_rule(line.text)
        if i < title:
            if _normal(line.text) == headline:
                rule = "page-title" if i == next(j for j, ln in enumerate(lines) if ln.kept or ln.role != "blank") \
                    else "duplicate-headline"
            elif any(_normal(p) == headline for p in page_title_parts(line.text)):
                rule = "page-title"  # "Headline | Site": the browser's title
            drop(line, rule or ("menu-item" if _BULLET_RE.match(line.text) else "navigation"), dropped)
        elif i >= keep_until or (tail and i >= tail and (rule or not is_running_text(lines, i))):
            drop(line, rule or "footer", dropped)
        elif _normal(line.text) == headline:
            drop(line, "duplicate-headline", dropped)
        elif i < first_text and _BYLINE_RE.match(line.text) and not _TERMINAL_RE.search(line.text):
            drop(line, "byline", dropped)
        elif i < first_text and rule is None and len(split_words(line.text)) <= 3 and not line.text.isupper() \
                and not DATE_LINE_RE.match(squeeze(line.text)) and not is_territory_name(line.text):
            drop(line, "lead-label", dropped)  # "Middle East", "Reportage": a section's name over the text
        elif rule is not None:
            related = rule == "related-links"
            drop(line, rule, dropped)
        elif related and not is_running_text(lines, i):
            drop(line, "related-links", dropped)  # the teasers listed under "Related"
        else:
            related = False
