"""A fast reader for PO files laid out as GNU gettext writes them (ours, msgcat's, msgmerge's,
Poedit's and Weblate's): about three times quicker than Translate Toolkit's parser, which stays
the reader of everything else.

:func:`gettext_units` gives each message's lines in the shape Translate Toolkit's units have
(quoted strings, comment lines with their marks), so that ``pofile.py`` turns both into
catalog units with the same code. It accepts only what gettext writes: UTF-8 without a byte
order mark, LF line ends, entries separated by one blank line, comments before the keywords,
every string quoted and escaped as gettext escapes it. Anything else (a CR, a comment after a
msgstr, a line it does not know, an unclosed quote) returns None and the file goes to
Translate Toolkit, which also reports its errors. A property test checks that both readers give
the same units for files we write and files msgcat writes (tests/test_poread.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["RawUnit", "gettext_units"]

# A keyword line (after its "#~ " or "#| " marks): keyword, optional plural index, the string.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'  # "unrolled": no alternation per character
_KEYWORD_RE = re.compile(rf"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d)\])? ({_STRING})\Z")
_CONTINUATION_RE = re.compile(rf"{_STRING}\Z")
_CHARSET_RE = re.compile(r'^"Content-Type: [^"\n]*charset=([^"\\\s]+)', re.M)


@dataclass
class RawUnit:
    """One message's lines, as Translate Toolkit's pypo units hold them."""

    msgid: list[str] = field(default_factory=list)
    msgstr: list[str] | dict[int, list[str]] = field(default_factory=list)
    msgid_plural: list[str] = field(default_factory=list)
    msgctxt: list[str] = field(default_factory=list)
    prev_msgctxt: list[str] = field(default_factory=list)
    prev_msgid: list[str] = field(default_factory=list)
    prev_msgid_plural: list[str] = field(default_factory=list)
    othercomments: list[str] = field(default_factory=list)
    automaticcomments: list[str] = field(default_factory=list)
    sourcecomments: list[str] = field(default_factory=list)
    typecomments: list[str] = field(default_factory=list)
    obsolete: bool = False


_COMMENTS = {"#.": "automaticcomments", "#:": "sourcecomments", "#,": "typecomments"}


def gettext_units(data: bytes) -> list[RawUnit] | None:
    """The messages of ``data`` in file order, or None when it is not laid out as gettext writes."""
    if data.startswith(b"\xef\xbb\xbf") or b"\r" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    charset = _CHARSET_RE.search(text)
    if charset is None or charset.group(1).upper().replace("_", "-") != "UTF-8":
        return None  # other encodings: Translate Toolkit decodes them
    units: list[RawUnit] = []
    for block in text.split("\n\n"):
        unit = _read_entry(block.strip("\n").split("\n")) if block.strip("\n") else None
        if unit is None:
            if block.strip("\n"):
                return None
            continue
        units.append(unit)
    return units


def _read_entry(lines: list[str]) -> RawUnit | None:
    unit = RawUnit()
    current: list[str] | None = None  # the string continuation lines extend
    current_prefix = ""  # and the marks they must carry
    marks: str | None = None  # the prefix of the entry's keyword lines: "" or "#~ "
    seen_keyword = False
    for line in lines:
        if not line:
            return None  # two blank lines, or one inside an entry
        prefix, rest = _split_marks(line)
        if prefix is None:  # a comment
            if seen_keyword:
                return None  # gettext writes comments first
            mark = line[:2]
            if mark in _COMMENTS:
                getattr(unit, _COMMENTS[mark]).append(line + "\n")
            elif line == "#" or line.startswith("# "):
                unit.othercomments.append(line + "\n")
            else:
                return None
            continue
        previous = prefix.endswith("| ")
        entry_marks = prefix[:-2] + " " if previous and prefix != "#| " else ("" if previous else prefix)
        if marks is None:
            marks = entry_marks
        elif marks != entry_marks:
            return None  # an entry half obsolete
        if _CONTINUATION_RE.match(rest):
            if current is None or prefix != current_prefix:
                return None
            current.append(rest)
            continue
        m = _KEYWORD_RE.match(rest)
        if m is None:
            return None
        keyword, index, string = m.groups()
        if previous:
            if index is not None or keyword == "msgstr" or seen_keyword:
                return None
            target: list[str] = getattr(unit, f"prev_{keyword}")
        else:
            seen_keyword = True
            target = _field(unit, keyword, index)
        if target:
            return None  # a keyword twice
        target.append(string)
        current, current_prefix = target, prefix
    if not unit.msgid or (not unit.msgstr):
        return None
    unit.obsolete = marks == "#~ "
    if unit.obsolete and (unit.typecomments or unit.automaticcomments or unit.sourcecomments):
        return None  # Translate Toolkit drops some of these from obsolete entries: its rules apply
    return unit


def _split_marks(line: str) -> tuple[str | None, str]:
    """("#~ ", "#| ", "#~| " or "", the rest) for a keyword or string line; (None, line) for a comment."""
    if not line.startswith("#"):
        return "", line
    for prefix in ("#~| ", "#~ ", "#| "):
        if line.startswith(prefix):
            return prefix, line[len(prefix) :]
    return None, line


def _field(unit: RawUnit, keyword: str, index: str | None) -> list[str]:
    if keyword != "msgstr":
        if index is not None:
            return [""]  # "msgid[0]": never written by gettext (a non-empty list: refused)
        field_value: list[str] = getattr(unit, keyword)
        return field_value
    if index is None:
        if isinstance(unit.msgstr, dict):
            return [""]
        return unit.msgstr
    if isinstance(unit.msgstr, list):
        if unit.msgstr:
            return [""]
        unit.msgstr = {}
    return unit.msgstr.setdefault(int(index), [])
