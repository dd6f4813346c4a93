"""What the ingest modules share: the record of a dropped line, and a few small text helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SMALL_WORDS", "DroppedLine", "is_homoglyph_text", "plain_text", "split_words", "squeeze"]


@dataclass(frozen=True)
class DroppedLine:
    """An input line (or the part of it named by ``text``) that ingest dropped, and why."""

    line: int  # 1-based line number of the input; 0 when it cannot be located
    text: str
    rule: str


# Words that stay lowercase in a title-case headline, and that a cut slug should not end with.
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "de", "del", "des", "du", "en", "et", "for", "from",
               "in", "la", "las", "le", "les", "los", "of", "on", "or", "the", "to", "vs", "with", "y"}


def split_words(text: str) -> list[str]:
    """The words of ``text`` (letters or digits first; apostrophes and hyphens inside)."""
    return re.findall(r"[^\W_][\w'’-]*", text)


def squeeze(text: str) -> str:
    """Runs of whitespace as one space, none at the ends."""
    return re.sub(r"\s+", " ", text).strip()


def plain_text(markdown: str) -> str:
    """Rough text of a Markdown body: link targets, markup and escapes removed."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<((?:https?|ftp|mailto):[^>]+)>", r"\1", text)
    text = re.sub(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+", "", text, flags=re.M)
    # Emphasis marks go first, escaped ones stay (as escapes) until the escapes are removed.
    text = re.sub(r"(?<!\\)[*_`]{1,3}", "", text)
    return re.sub(r"\\([\\`*_\[\]<>|~#+\-.!()&=])", r"\1", text)


_CYRILLIC_GREEK_RE = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")


def is_homoglyph_text(text: str) -> bool:
    """Words mixing Latin with Cyrillic or Greek letters: spam written to dodge filters."""
    mixed = sum(1 for w in text.split() if _LATIN_RE.search(w) and _CYRILLIC_GREEK_RE.search(w))
    return mixed >= 3
