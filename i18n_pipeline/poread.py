"""A fast reader for PO files laid out as GNU gettext writes them (ours, msgcat's, msgmerge's,
Poedit's and Weblate's): about three times quicker than Translate Toolkit's parser, which stays
the reader of everything else.

:func:`gettext_units` gives each message as the :class:`~i18n_pipeline.pounit.Unit` that
``pofile.py`` makes of Translate Toolkit's units (``_unit_from_tt``), straight from the lines:
no intermediate unit shaped like Translate Toolkit's. It accepts only what gettext writes:
UTF-8 without a byte order mark, LF line ends, entries separated by one blank line, comments
before the keywords, every string quoted and escaped as gettext escapes it. Anything else (a CR,
a comment after a msgstr, a line it does not know, an unclosed quote) returns None and the file
goes to Translate Toolkit, which also reports its errors. A property test checks that both
readers give the same units for files we write and files msgcat writes (tests/test_poread.py).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from i18n_pipeline.errors import CatalogError
from i18n_pipeline.pounit import Unit, canonical_flags

__all__ = ["gettext_units", "msgid_lines", "text_units", "unescape"]

# A keyword line (after its "#~ " or "#| " marks): keyword, optional plural index, the string.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'  # "unrolled": no alternation per character
_KEYWORD_RE = re.compile(rf"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d)\])? ({_STRING})\Z")
_CONTINUATION_RE = re.compile(rf"{_STRING}\Z")
_CHARSET_RE = re.compile(r'^"Content-Type: [^"\n]*charset=([^"\\\s]+)', re.M)

# C escapes as gettext (and Translate Toolkit) read them.
_UNESCAPE_RE = re.compile(r'\\(?:([abfnrtv"\\?\'])|([0-7]{1,3})|x([0-9a-fA-F]+))')
_NUMERIC_ESCAPE_RE = re.compile(r"\\[0-7x]")  # or "\\" before such a character: then string by string
_SIMPLE_UNESCAPES = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
    '"': '"', "\\": "\\", "?": "?", "'": "'",
}  # fmt: skip


def _unescape_match(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return _SIMPLE_UNESCAPES[m.group(1)]
    if m.group(2) is not None:
        return chr(int(m.group(2), 8))
    return chr(int(m.group(3), 16))


def unescape(text: str) -> str:
    """The text of one quoted PO string (its content between the quotes), escapes resolved."""
    return _UNESCAPE_RE.sub(_unescape_match, text) if "\\" in text else text


def _decode(strings: list[str]) -> str:
    """One field's quoted strings as one text. Each string is unescaped on its own: an octal or
    hexadecimal escape never continues into the next string."""
    if len(strings) == 1:
        return unescape(strings[0][1:-1])
    return "".join(unescape(s[1:-1]) for s in strings)


@dataclass
class _Lines:
    """One message's quoted strings and comment lines, as read (a Unit is made of them)."""

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


def gettext_units(data: bytes) -> list[Unit] | None:
    """The messages of ``data`` in file order, or None when it is not laid out as gettext writes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text_units(text)


def text_units(text: str) -> list[Unit] | None:
    """``gettext_units`` of the text of a file, decoded strictly as UTF-8. When every entry is in
    the plain shape (most files), each unit knows the line of its "msgid" (``Unit.line``), as
    ``msgid_lines`` would find them; else no unit does."""
    if text.startswith("\ufeff") or "\r" in text:
        return None
    charset = _CHARSET_RE.search(text)
    if charset is None or charset.group(1).upper().replace("_", "-") != "UTF-8":
        return None  # other encodings: Translate Toolkit decodes them
    units: list[Unit] = []
    all_plain = True
    start = 1  # the line the block starts at
    for block in text.split("\n\n"):
        lines = block.strip("\n")
        if lines:
            # Lines before the block's first: its blank ones (three newlines or more in a row).
            plain = _plain_entry(lines, start + len(block) - len(block.lstrip("\n")))
            if plain is not None:
                units.append(plain)
            else:
                entry = _read_entry(lines.split("\n"))
                if entry is None:
                    return None
                units.append(_unit(entry))
                all_plain = False
        start += block.count("\n") + 2
    if not all_plain:
        for unit in units:
            unit.line = 0
    return units


# The shape of most entries: comments in gettext's order ("#", "#.", "#:", "#,"), then msgctxt
# (or not), msgid and msgstr, each string on lines of its own; no previous msgid, no plural, not
# obsolete. One regular expression reads such an entry, each kind of comment in a group of its own
# (a third of the cost of going line by line); any other goes line by line (_read_entry).
_LINE_STRING = r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
_STRINGS = rf"({_LINE_STRING}(?:\n{_LINE_STRING})*+)"
_PLAIN_COMMENTS = r"((?:#(?: [^\n]*+)?\n)*+)((?:#\.[^\n]*+\n)*+)((?:#:[^\n]*+\n)*+)((?:#,[^\n]*+\n)*+)"
_PLAIN_ENTRY_RE = re.compile(rf"{_PLAIN_COMMENTS}(?:msgctxt {_STRINGS}\n)?msgid {_STRINGS}\nmsgstr {_STRINGS}")


def _plain_entry(block: str, first_line: int = 0) -> Unit | None:
    """The Unit of an entry in the plain shape (what _read_entry and _unit make of it); None for
    any other entry. ``first_line``: the number of the block's first line in its file, if known."""
    m = _PLAIN_ENTRY_RE.fullmatch(block)
    if m is None:
        return None
    translator, automatic, sources, types, context, source, target = m.groups()
    return Unit(
        line=first_line + block.count("\n", 0, m.start(6)) if first_line else 0,
        msgid=_decode_strings(source),
        msgstr=[_decode_strings(target)],
        msgctxt=_decode_strings(context) if context is not None else None,
        # Each group is whole lines, each ending with "\n"; a mark's text loses one leading space.
        comments=[line[2:] for line in translator.split("\n")[:-1]] if translator else [],  # "#" or "# ..."
        extracted=[line[3:] if line[2:3] == " " else line[2:] for line in automatic.split("\n")[:-1]] if automatic else [],
        references=sources[2:].replace("\n#:", " ").split() if sources else [],  # every "\n#:" starts a line
        flags=list(_flags(types)) if types else [],
    )


@functools.lru_cache(maxsize=256)
def _flags(lines: str) -> tuple[str, ...]:
    """canonical_flags of "#," lines as read, once per spelling: nearly every entry says "fuzzy"."""
    return tuple(canonical_flags(flag for line in lines.split("\n")[:-1] for flag in line[2:].split(",")))


def _decode_strings(strings: str) -> str:
    """``_decode`` of a field's quoted strings, one per line (as _STRINGS matches them). Without
    a backslash no string holds a quote, so the only '"\\n"' are where one string meets the next."""
    joined = strings[1:-1].replace('"\n"', "")
    if "\\" not in strings:
        return joined
    # An escape never spans two strings (each closes with an unescaped quote): the strings may be
    # unescaped as one text, but for an octal or hex escape that a next string's digits would continue.
    if _NUMERIC_ESCAPE_RE.search(joined) is None:
        return _UNESCAPE_RE.sub(_unescape_match, joined)
    return _decode(strings.split("\n"))


def _unit(raw: _Lines) -> Unit:
    """What ``pofile._unit_from_tt`` makes of the same lines read by Translate Toolkit."""
    msgstr = raw.msgstr
    return Unit(
        msgid=_decode(raw.msgid),
        msgstr=[_decode(msgstr[k]) for k in sorted(msgstr)] if isinstance(msgstr, dict) else [_decode(msgstr)],
        msgid_plural=_decode(raw.msgid_plural) if raw.msgid_plural else None,
        msgctxt=_decode(raw.msgctxt) if raw.msgctxt else None,
        prev_msgctxt=_decode(raw.prev_msgctxt) if raw.prev_msgctxt else None,
        prev_msgid=_decode(raw.prev_msgid) if raw.prev_msgid else None,
        prev_msgid_plural=_decode(raw.prev_msgid_plural) if raw.prev_msgid_plural else None,
        comments=[_comment_text(line, 1) for line in raw.othercomments],
        extracted=[_comment_text(line, 2) for line in raw.automaticcomments],
        references=[ref for line in raw.sourcecomments for ref in line[2:].split()],
        flags=canonical_flags(flag for line in raw.typecomments for flag in line[2:].split(",")) if raw.typecomments else [],
        obsolete=raw.obsolete,
    )


def _comment_text(line: str, mark: int) -> str:
    text = line[mark:]
    return text[1:] if text.startswith(" ") else text


# The marks of a keyword or string line, and the marks of its entry's keyword lines they imply.
_ENTRY_MARKS = {"": "", "#~ ": "#~ ", "#| ": "", "#~| ": "#~ "}


def _read_entry(lines: list[str]) -> _Lines | None:
    unit = _Lines()
    current: list[str] | None = None  # the string continuation lines extend
    current_prefix = ""  # and the marks they must carry
    marks: str | None = None  # the prefix of the entry's keyword lines: "" or "#~ "
    seen_keyword = False
    for line in lines:
        if not line:
            return None  # two blank lines, or one inside an entry
        if line[0] == "#":
            if line.startswith("#~| "):
                prefix, rest = "#~| ", line[4:]
            elif line.startswith(("#~ ", "#| ")):
                prefix, rest = line[:3], line[3:]
            else:  # a comment
                if seen_keyword:
                    return None  # gettext writes comments first
                mark = line[:2]
                if mark in _COMMENTS:
                    getattr(unit, _COMMENTS[mark]).append(line)
                elif line == "#" or line.startswith("# "):
                    unit.othercomments.append(line)
                else:
                    return None
                continue
        else:
            prefix, rest = "", line
        entry_marks = _ENTRY_MARKS[prefix]
        if marks is None:
            marks = entry_marks
        elif marks != entry_marks:
            return None  # an entry half obsolete
        if rest[:1] == '"':  # a continuation line (no keyword line starts with a quote)
            if current is None or prefix != current_prefix or not _CONTINUATION_RE.match(rest):
                return None
            current.append(rest)
            continue
        m = _KEYWORD_RE.match(rest)
        if m is None:
            return None
        keyword, index, string = m.groups()
        if prefix.endswith("| "):  # a previous msgid (msgctxt, msgid_plural)
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


def _field(unit: _Lines, keyword: str, index: str | None) -> list[str]:
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


# --- checks of the file as lines (of files either reader read) ---------------------------

# A keyword line: after a line end (the text is searched with one put before it, as a search
# for a line end is several times quicker than one for a line start). "\s" as of one line: no
# line end. Where no line starts with "#~" (most files), the second one finds the same lines.
_KEYWORD_LINE_RE = re.compile(r"\n(#~[^\S\n]*)?(msgid|msgstr)\b")
_CURRENT_KEYWORD_LINE_RE = re.compile(r"\n()(msgid|msgstr)\b")


def msgid_lines(text: str, where: str) -> list[int]:
    """The numbers of the lines of ``text`` (lines joined by LF) that start with "msgid ", once
    no msgid lacks its msgstr: what the lenient parser would silently drop is a CatalogError."""
    lined = "\n" + text
    pattern = _KEYWORD_LINE_RE if "\n#~" in lined else _CURRENT_KEYWORD_LINE_RE
    numbers: list[int] = []
    line, at = 1, 0  # the line that starts at ``at`` in ``text``
    open_msgid: int | None = None  # where the msgid line that waits for its msgstr starts
    for m in pattern.finditer(lined):
        start = m.start()  # in ``text``, where the line starts
        if m.group(2) == "msgstr":
            open_msgid = None
            continue
        if open_msgid is not None:
            break
        open_msgid = start
        if not m.group(1) and lined[m.end() : m.end() + 1] == " ":
            line += text.count("\n", at, start)
            at = start
            numbers.append(line)
    if open_msgid is not None:
        line = text.count("\n", 0, open_msgid) + 1
        raise CatalogError(f"{where}:{line}", "msgid without msgstr", "add the missing msgstr line or restore the file")
    return numbers
