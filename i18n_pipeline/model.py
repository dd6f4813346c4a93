"""Data that flows between the stages. Frozen dataclasses, standard library only.

A :class:`Document` keeps its source text; its :class:`Segment` objects know the span of the
source they came from, so rendering splices translations into the untouched source (the identity
lookup reproduces the source byte for byte).

Placeholder syntax inside segment text (what msgid shows and engines receive):
``<1>link text</1>`` for paired inline markup, ``<2/>`` for a standalone item (URL, e-mail
address, line break, image, code span). Numbers are per segment, from 1, in order of appearance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

PLACEHOLDER_RE = re.compile(r"<(/?)(\d+)(/?)>")


@dataclass(frozen=True)
class Placeholder:
    """One numbered placeholder: the exact source markup it stands for."""

    number: int
    opening: str  # source markup for <n> or <n/>
    closing: str = ""  # source markup for </n>; empty for a standalone placeholder
    note: str = ""  # shown to translators in a #. comment, e.g. "link to https://…"

    @property
    def paired(self) -> bool:
        return bool(self.closing)

    def tokens(self) -> tuple[str, ...]:
        """The placeholder tokens as they appear in segment text."""
        if self.paired:
            return (f"<{self.number}>", f"</{self.number}>")
        return (f"<{self.number}/>",)


@dataclass(frozen=True)
class Segment:
    """One translatable unit: a sentence (or a paragraph, heading, attribute value)."""

    text: str  # normalised text with placeholders: the msgid
    start: int  # span in Document.source replaced on render
    end: int
    block: str  # block id for #: references, e.g. "p3", "h1", "meta:title"
    kind: str  # heading, paragraph, list item, front matter key, image alt text, ...
    placeholders: tuple[Placeholder, ...] = ()
    context: str | None = None  # msgctxt, only to separate identical text

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True)
class Document:
    """A parsed release: its exact source text, metadata and segments in order."""

    path: str
    format: str  # "markdown", "html", "text"
    source: str
    segments: tuple[Segment, ...]
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        """The release name: file name without its extension."""
        base = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return base.rsplit(".", 1)[0] if "." in base else base


class Severity(str, Enum):
    CRITICAL = "critical"
    FUNCTIONAL = "functional"
    COSMETIC = "cosmetic"

    @property
    def rank(self) -> int:
        """2 critical, 1 functional, 0 cosmetic: ``--fail-on`` compares ranks."""
        return {"critical": 2, "functional": 1, "cosmetic": 0}[self.value]


@dataclass(frozen=True)
class Problem:
    """A QA finding: data, not an exception. ``where`` is "file:line" for messages; ``file``
    and ``line`` (of the entry's msgid) are the same place for tools (0: not from a file)."""

    check: str
    severity: Severity
    where: str
    message: str
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class LineWrap:
    """How a PO file's lines are wrapped, in the terms of GNU gettext's ``msgcat`` options.

    ``width`` is the page width (``msgcat -w N``; gettext's default 79, Weblate's 77; None:
    unlimited, ``-w 0``); ``strings`` says whether long strings are broken to fit it
    (False: ``msgcat --no-wrap``, which still wraps ``#:`` reference lines at the width).
    """

    width: int | None = 79
    strings: bool = True

    @property
    def name(self) -> str:
        """The setting's spelling in pipeline.yaml: "79", "77", "none" ("unlimited" for -w 0)."""
        if self.width is None:
            return "unlimited"
        return str(self.width) if self.strings else "none"


#: gettext's own wrapping (xgettext, msgmerge, msgcat, Poedit).
GETTEXT_WRAP = LineWrap(79)


class State(str, Enum):
    """Review state of one catalog entry, stored in the PO file itself."""

    REVIEWED = "reviewed"
    MACHINE = "machine"
    NEEDS_UPDATE = "needs_update"
    UNTRANSLATED = "untranslated"


@dataclass
class Stats:
    """Segments and words per review state."""

    segments: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in State})
    words: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in State})

    def add(self, state: State, words: int) -> None:
        self.segments[state.value] += 1
        self.words[state.value] += words

    def merge(self, other: Stats) -> None:
        for key in self.segments:
            self.segments[key] += other.segments[key]
            self.words[key] += other.words[key]

    @property
    def total_segments(self) -> int:
        return sum(self.segments.values())


_WORD_RE = re.compile(r"\w+(?:[-'’.,]\w+)*", re.UNICODE)


def count_words(text: str) -> int:
    """Words of a segment, placeholders excluded."""
    return len(_WORD_RE.findall(PLACEHOLDER_RE.sub(" ", text) if "<" in text else text))  # each holds a "<"
