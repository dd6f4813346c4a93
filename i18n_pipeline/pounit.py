"""One PO message as the catalog model and the PO file reader/writer share it (internal).

``catalog.py`` (the model: states, queries, merging) and ``pofile.py`` (PO syntax) both work on
:class:`Unit` objects; this module is the small interface between them, so neither reaches into
the other's private names. It also holds gettext's normal forms that both need: the order and
vocabulary of flags, references without duplicates, header fields, the UTF-8 Content-Type.
Nothing here knows PO syntax or review states. Other rooms never import it: they see
``catalog.Entry`` views.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from i18n_pipeline.model import GETTEXT_WRAP, LineWrap

__all__ = [
    "CONTENT_TYPE",
    "Origin",
    "Unit",
    "canonical_flags",
    "describe_entry",
    "header_fields",
    "is_gettext_flag",
    "normalise_references",
    "with_header_field",
]

#: The Content-Type every catalog declares: we always write UTF-8.
CONTENT_TYPE = "text/plain; charset=UTF-8"

# The flag vocabulary GNU gettext knows (0.21, format.c order). msgcat and msgmerge drop any other
# flag; we keep them (after gettext's, in their order), since a translator's ``ignore-<check>``
# flag (Weblate's convention) silences a QA check and must survive our own rewrites.
_FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip
_FORMAT_ORDER = {lang: i for i, lang in enumerate(_FORMAT_LANGUAGES)}
_RANGE_RE = re.compile(r"range:\s*(\d+)\s*\.\.\s*(\d+)")


@dataclass
class Unit:
    """One message as a PO file stores it, mutable; the header is a Unit with an empty msgid."""

    msgid: str
    msgstr: list[str] = field(default_factory=lambda: [""])
    msgid_plural: str | None = None
    msgctxt: str | None = None
    prev_msgctxt: str | None = None
    prev_msgid: str | None = None
    prev_msgid_plural: str | None = None
    comments: list[str] = field(default_factory=list)  # translator comments
    extracted: list[str] = field(default_factory=list)  # #.
    references: list[str] = field(default_factory=list)  # #:
    flags: list[str] = field(default_factory=list)  # canonical order, may hold "fuzzy"
    obsolete: bool = False
    line: int = field(default=0, compare=False)  # line of "msgid" in the file read; 0: not read

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def set_fuzzy(self, fuzzy: bool) -> None:
        self.flags = canonical_flags([f for f in self.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else []))

    @property
    def translated(self) -> bool:
        return all(self.msgstr)

    def copy(self) -> Unit:
        """An independent copy (its lists are copied too), not tied to a line of a file."""
        return Unit(
            msgid=self.msgid,
            msgstr=list(self.msgstr),
            msgid_plural=self.msgid_plural,
            msgctxt=self.msgctxt,
            prev_msgctxt=self.prev_msgctxt,
            prev_msgid=self.prev_msgid,
            prev_msgid_plural=self.prev_msgid_plural,
            comments=list(self.comments),
            extracted=list(self.extracted),
            references=list(self.references),
            flags=list(self.flags),
            obsolete=self.obsolete,
        )


@dataclass(frozen=True)
class Origin:
    """The file a catalog was read from (or last written to) and what it held then.

    ``pofile`` records it and checks it before writing; the model only carries it along, so a
    merged catalog is still guarded against a translator's save to the file it came from, and
    is written back with the file's own line wrapping.
    """

    path: Path
    sha256: str
    wrap: LineWrap = GETTEXT_WRAP  # the line wrapping the file was written with (detected)


def is_gettext_flag(flag: str) -> bool:
    """Whether GNU gettext knows ``flag`` (fuzzy, a format flag, range, wrap, no-wrap)."""
    flag = flag.strip()
    if flag in ("fuzzy", "wrap", "no-wrap") or _RANGE_RE.fullmatch(flag) is not None:
        return True
    if flag.endswith("-format"):
        return (flag[3:-7] if flag.startswith("no-") else flag[:-7]) in _FORMAT_ORDER
    return False


def canonical_flags(flags: Iterable[str]) -> list[str]:
    """Flags as gettext writes them: fuzzy, format flags in gettext's order, range, no-wrap;
    then the flags gettext does not know, each once, in their order.

    ``wrap`` is the default and gettext never writes it. msgcat and msgmerge would drop the
    unknown flags; we keep them, as they carry a translator's ``ignore-<check>``.
    """
    fuzzy = False
    formats: dict[str, str] = {}
    range_flag: str | None = None
    no_wrap: bool | None = None
    others: list[str] = []
    for raw in flags:
        flag = raw.strip()
        if flag == "fuzzy":
            fuzzy = True
        elif flag == "no-wrap":
            no_wrap = True
        elif flag == "wrap":
            no_wrap = False
        elif flag.endswith("-format") and is_gettext_flag(flag):
            lang = flag[3:-7] if flag.startswith("no-") else flag[:-7]
            formats[lang] = flag
        elif (m := _RANGE_RE.fullmatch(flag)) is not None:
            range_flag = f"range: {int(m.group(1))}..{int(m.group(2))}"
        elif flag and flag not in others:
            others.append(flag)
    result = ["fuzzy"] if fuzzy else []
    if formats:  # rare: not a sort and a generator for every entry written
        result.extend(formats[lang] for lang in sorted(formats, key=_FORMAT_ORDER.__getitem__))
    if range_flag:
        result.append(range_flag)
    if no_wrap:
        result.append("no-wrap")
    return result + others


def normalise_references(references: Iterable[str]) -> list[str]:
    """References as gettext writes them: without a leading "./", each once, in order."""
    seen: set[str] = set()
    refs: list[str] = []
    for ref in references:
        while ref.startswith("./"):
            ref = ref[2:]
        if ref and ref not in seen:
            seen.add(ref)
            refs.append(ref)
    return refs


def header_fields(text: str) -> list[tuple[str, str]]:
    """Header fields as (key, value); lines without a colon are skipped."""
    fields: list[tuple[str, str]] = []
    for line in text.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            fields.append((key.strip(), value.strip()))
    return fields


def with_header_field(text: str, name: str, value: str) -> str:
    """The header text with one field set; every other line is kept as it was."""
    lines = text.split("\n")
    trailing = lines.pop() if lines and lines[-1] == "" else None
    for i, line in enumerate(lines):
        key, sep, _ = line.partition(":")
        if sep and key.strip().lower() == name.lower():
            lines[i] = f"{name}: {value}"
            break
    else:
        lines.append(f"{name}: {value}")
    return "\n".join(lines) + ("\n" if trailing is not None or not text else "")


def describe_entry(source: str, context: str | None) -> str:
    """An entry named in a message: its source (shortened) and context."""
    short = source if len(source) <= 60 else source[:57] + "..."
    return f"{short!r}" + (f" (context {context!r})" if context is not None else "")
