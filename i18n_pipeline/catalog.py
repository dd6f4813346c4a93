"""Catalogs: the one room that reads and writes PO/POT files.

Reading uses Translate Toolkit's PO parser (lossless, any line ending, parse errors carry the
line number). Writing is our own serialiser that formats exactly as GNU gettext 0.21 does
(``msgcat FILE`` leaves every file we write unchanged), so msgmerge, Poedit and this tool do not
fight over line wrapping in diffs. Translate Toolkit's writer wraps ``#|``/``#~`` lines and the
first line of msgstr differently; see ``_format_string`` for the rules we follow.

Outside this module we say *source* and *target*; msgid/msgstr are spelled only here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as _dt
import hashlib
import logging
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unicode_segmentation_rs import gettext_wrap, text_width

from .errors import CatalogError
from .files import write_atomic, write_if_changed
from .model import State, Stats, count_words

__all__ = [
    "MACHINE_PREFIX",
    "MEMORY_PREFIX",
    "Catalog",
    "Entry",
    "TemplateEntry",
    "catalog_bytes",
    "compile_mo",
    "new_template",
    "read_catalog",
    "read_catalog_text",
    "update_catalog",
    "write_catalog",
]

#: Translator comments we own start with one of these; a new one replaces the older one.
MACHINE_PREFIX = "machine translation:"
MEMORY_PREFIX = "translation memory:"
_OWNED_PREFIXES = (MACHINE_PREFIX, MEMORY_PREFIX)

#: Minimum rapidfuzz ``fuzz.ratio`` (0-100) for msgmerge-style fuzzy matching.
FUZZY_CUTOFF = 70.0

# GNU gettext's page width and the flag vocabulary it keeps (0.21, format.c order); msgcat drops
# any other flag, so we do too, or msgcat would change our files.
_PAGE_WIDTH = 79
_FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip
_FORMAT_ORDER = {lang: i for i, lang in enumerate(_FORMAT_LANGUAGES)}
_NPLURALS_RE = re.compile(r"nplurals\s*=\s*(\d+)")
_log = logging.getLogger(__name__)
_RANGE_RE = re.compile(r"range:\s*(\d+)\s*\.\.\s*(\d+)")

_CONTENT_TYPE = "text/plain; charset=UTF-8"


# --------------------------------------------------------------------------------------------
# Public data


@dataclass(frozen=True)
class TemplateEntry:
    """One message of a template, built by the pipeline from segments."""

    source: str
    context: str | None
    references: tuple[str, ...]  # e.g. ("seed-release:p3",): never line numbers
    notes: tuple[str, ...]  # extracted comments (#.)
    flags: tuple[str, ...] = ()  # e.g. ("no-wrap",)


@dataclass(frozen=True)
class Entry:
    """A read-only view of one catalog entry."""

    source: str
    context: str | None
    target: str  # first plural form for plural entries
    state: State
    previous_source: str | None
    translator_comments: tuple[str, ...]
    notes: tuple[str, ...]
    references: tuple[str, ...]
    flags: tuple[str, ...]
    machine: bool  # has our machine-translation provenance comment
    source_plural: str | None = None
    targets: tuple[str, ...] = ()  # all forms (one element for a non-plural entry)
    obsolete: bool = False
    line: int = 0  # line of its msgid in the file it was read from (0: not read from a file)


# --------------------------------------------------------------------------------------------
# Internal mutable unit


@dataclass
class _Unit:
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
        self.flags = _canonical_flags([f for f in self.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else []))

    @property
    def translated(self) -> bool:
        return all(self.msgstr)

    @property
    def machine(self) -> bool:
        """Pre-translated by the pipeline (engine or memory), whatever a reviewer did since."""
        return any(c.startswith(_OWNED_PREFIXES) for c in self.comments)

    @property
    def state(self) -> State:
        if not self.translated:
            return State.UNTRANSLATED
        if not self.fuzzy:
            return State.REVIEWED
        if self.machine and self.prev_msgid is None:
            return State.MACHINE
        return State.NEEDS_UPDATE

    def copy(self) -> _Unit:
        return _Unit(
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

    def view(self) -> Entry:
        return Entry(
            source=self.msgid,
            context=self.msgctxt,
            target=self.msgstr[0] if self.msgstr else "",
            state=self.state,
            previous_source=self.prev_msgid,
            translator_comments=tuple(self.comments),
            notes=tuple(self.extracted),
            references=tuple(self.references),
            flags=tuple(self.flags),
            machine=self.machine,
            source_plural=self.msgid_plural,
            targets=tuple(self.msgstr),
            obsolete=self.obsolete,
            line=self.line,
        )


@dataclass(frozen=True)
class _Origin:
    """What read_catalog saw on disk, for the stale-write check."""

    path: Path
    mtime_ns: int
    size: int
    sha256: str


def _canonical_flags(flags: Iterable[str]) -> list[str]:
    """Flags as gettext writes them: fuzzy, format flags in gettext's order, range, no-wrap.

    Flags gettext does not know are dropped (msgcat and msgmerge drop them too); ``wrap`` is the
    default and gettext never writes it.
    """
    fuzzy = False
    formats: dict[str, str] = {}
    range_flag: str | None = None
    no_wrap: bool | None = None
    for raw in flags:
        flag = raw.strip()
        if flag == "fuzzy":
            fuzzy = True
        elif flag == "no-wrap":
            no_wrap = True
        elif flag == "wrap":
            no_wrap = False
        elif flag.endswith("-format"):
            negated = flag.startswith("no-")
            lang = flag[3:-7] if negated else flag[:-7]
            if lang in _FORMAT_ORDER:
                formats[lang] = flag
        elif (m := _RANGE_RE.fullmatch(flag)) is not None:
            range_flag = f"range: {int(m.group(1))}..{int(m.group(2))}"
    result = ["fuzzy"] if fuzzy else []
    result.extend(formats[lang] for lang in sorted(formats, key=_FORMAT_ORDER.__getitem__))
    if range_flag:
        result.append(range_flag)
    if no_wrap:
        result.append("no-wrap")
    return result


# --------------------------------------------------------------------------------------------
# The catalog


class Catalog:
    """A PO or POT file in memory: a header and entries (current ones, then obsolete ones)."""

    def __init__(self, header: _Unit | None, units: list[_Unit], *, path: str = "") -> None:
        self._header: _Unit = header if header is not None else _Unit(msgid="", msgstr=[""])
        self._units: list[_Unit] = units
        self._path = path
        self._origin: _Origin | None = None
        self._index: dict[tuple[str | None, str], _Unit] = {}
        self._reindex()

    def _reindex(self) -> None:
        self._index = {u.key: u for u in self._units if not u.obsolete}

    # ---- header
    @property
    def language(self) -> str | None:
        return self.header_field("Language") or None

    @property
    def path(self) -> str:
        return self._path

    def header_field(self, name: str) -> str | None:
        for key, value in _parse_header(self._header.msgstr[0]):
            if key.lower() == name.lower():
                return value
        return None

    def _set_header_field(self, name: str, value: str) -> None:
        self._header.msgstr[0] = _with_header_field(self._header.msgstr[0], name, value)

    # ---- queries
    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self._index)

    def entries(self) -> list[Entry]:
        """Current entries (not obsolete, not the header), in file order."""
        return [u.view() for u in self._units if not u.obsolete]

    def obsolete(self) -> list[Entry]:
        return [u.view() for u in self._units if u.obsolete]

    def get(self, source: str, context: str | None = None) -> Entry | None:
        unit = self._index.get((context, source))
        return unit.view() if unit is not None else None

    def lookup(self, source: str, context: str | None = None, *, include_machine: bool) -> str | None:
        """The reviewed target; with ``include_machine``, any unreviewed one too.

        Unreviewed means machine output, a memory suggestion, or the translation of a previous
        version of the sentence (what ``msgfmt --use-fuzzy`` would use). A build that uses them
        says so.
        """
        unit = self._index.get((context, source))
        if unit is None or unit.msgid_plural is not None:
            return None
        state = unit.state
        if state is State.REVIEWED or (include_machine and state is not State.UNTRANSLATED):
            return unit.msgstr[0]
        return None

    def stats(self) -> Stats:
        """Segments and words (of the source) per review state."""
        stats = Stats()
        for unit in self._units:
            if not unit.obsolete:
                stats.add(unit.state, count_words(unit.msgid))
        return stats

    # ---- changes
    def _unit_for_change(self, source: str, context: str | None) -> _Unit:
        unit = self._index.get((context, source))
        where = self._path or "catalog"
        if unit is None:
            raise CatalogError(where, f"no entry for {_describe(source, context)}", "update the catalog from its template first")
        if unit.state is State.REVIEWED:
            raise CatalogError(
                where,
                f"refusing to replace the reviewed translation of {_describe(source, context)}",
                "reviewed translations are only changed by translators",
            )
        if unit.msgid_plural is not None:
            raise CatalogError(where, f"{_describe(source, context)} has plural forms", "translate plural entries by hand")
        return unit

    def set_machine_translation(self, source: str, context: str | None, target: str, provenance: str) -> None:
        """Store machine output: target, fuzzy, and a translator comment naming the engine."""
        if not provenance.startswith(MACHINE_PREFIX):
            provenance = f"{MACHINE_PREFIX} {provenance}"
        self._suggest(self._unit_for_change(source, context), target, provenance, fuzzy=True)

    def set_suggestion(
        self,
        source: str,
        context: str | None,
        target: str,
        comment: str,
        *,
        approved: bool,
        previous_source: str | None = None,
    ) -> None:
        """Store a translation-memory match: approved → reviewed, else fuzzy; comment kept.

        ``previous_source`` (the sentence a fuzzy match translates) is written as ``#| msgid``
        so editors show the translator what differs.
        """
        unit = self._unit_for_change(source, context)
        self._suggest(unit, target, comment, fuzzy=not approved, previous=None if approved else previous_source)

    def _suggest(self, unit: _Unit, target: str, comment: str, *, fuzzy: bool, previous: str | None = None) -> None:
        before = unit.copy()
        unit.msgstr = [target]
        unit.prev_msgctxt = unit.prev_msgid_plural = None
        unit.prev_msgid = previous
        kept = [c for c in unit.comments if not c.startswith(_OWNED_PREFIXES)]
        unit.comments = kept + ([comment] if comment else [])
        unit.set_fuzzy(fuzzy)
        if unit != before:
            self._set_header_field("PO-Revision-Date", _now())


def _describe(source: str, context: str | None) -> str:
    short = source if len(source) <= 60 else source[:57] + "..."
    return f"{short!r}" + (f" (context {context!r})" if context is not None else "")


# --------------------------------------------------------------------------------------------
# Header


def _parse_header(text: str) -> list[tuple[str, str]]:
    """Header fields as (key, value); lines without a colon are skipped."""
    fields: list[tuple[str, str]] = []
    for line in text.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            fields.append((key.strip(), value.strip()))
    return fields


def _with_header_field(text: str, name: str, value: str) -> str:
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


def _format_header(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields)


def _now() -> str:
    """Current time as gettext writes it (UTC). Tests may replace this function."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def _plural_forms(language: str) -> str:
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        return str(get_plural(language.replace("-", "_")).plural_forms)
    except (UnknownLocaleError, ValueError) as exc:
        raise CatalogError(
            "language",
            f"CLDR does not know the language code {language!r} ({exc})",
            "use a code like es, fr or pt_BR, or give the plural forms explicitly",
        ) from exc


# --------------------------------------------------------------------------------------------
# Serialisation (gettext 0.21 write-po.c rules)

_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
    "\r": "\\r", "\t": "\\t", "\n": "\\n", "\\": "\\\\", '"': '\\"',
}  # fmt: skip
_ESCAPE_RE = re.compile('[\a\b\f\v\r\t\n\\\\"]')


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


class _LineBreaker:
    """Unicode line breaking exactly as gettext does it: libunistring's ulc_width_linebreaks.

    gettext 0.21 links the system libunistring and calls ``ulc_width_linebreaks_v2``; we call
    the same function through ctypes. Without libunistring (not a GNU system) we fall back to
    Translate Toolkit's approximation (``unicode_segmentation_rs.gettext_wrap``).
    """

    UNDEFINED, PROHIBITED, POSSIBLE = 0, 1, 2

    def __init__(self) -> None:
        self._func: Any = None
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("unistring") or "libunistring.so.2")
        except OSError:
            return
        func = getattr(lib, "ulc_width_linebreaks_v2", None) or getattr(lib, "ulc_width_linebreaks", None)
        if func is None:
            return
        func.restype = ctypes.c_int
        func.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
        ]  # fmt: skip
        self._func = func

    @property
    def exact(self) -> bool:
        return self._func is not None

    def breaks(self, data: bytes, overrides: bytes, width: int, start_column: int) -> list[int]:
        """Byte offsets before which a line break goes."""
        n = len(data)
        if n == 0:
            return []
        out = ctypes.create_string_buffer(n)
        self._func(data, n, width, start_column, 0, overrides, b"UTF-8", out)
        return [m.start() for m in _POSSIBLE_RE.finditer(out.raw)]


_BREAKER = _LineBreaker()


_ESCAPE_PAIR_RE = re.compile(rb"\\.")
_POSSIBLE_RE = re.compile(b"\x02")


def _escaped_portion(portion: str) -> tuple[bytes, bytes]:
    """The escaped UTF-8 bytes of one portion and gettext's break overrides for them.

    No break inside an escape sequence, nor right before the final ``\\n``.
    """
    data = _escape(portion).encode("utf-8", errors="surrogatepass")
    overrides = bytearray(len(data))
    for m in _ESCAPE_PAIR_RE.finditer(data):
        overrides[m.start() + 1] = _LineBreaker.PROHIBITED
    if portion.endswith("\n"):
        overrides[-2] = _LineBreaker.PROHIBITED
    return data, bytes(overrides)


def _split_portion(portion: str, width: int, start_column: int) -> list[str]:
    """Lines of one escaped portion, broken where gettext breaks them."""
    if not _BREAKER.exact:
        text = _escape(portion)
        if start_column > 0:
            fits = text_width(text) <= width - start_column or len(gettext_wrap(text, 1)) <= 1
            return [text] if fits else ["", text]
        wrapped: list[str] = gettext_wrap(text, width)
        return wrapped or [text]
    data, overrides = _escaped_portion(portion)
    if len(data) <= width - start_column:  # columns <= bytes: it fits, no break possible
        return [data.decode("utf-8", errors="surrogatepass")]
    cuts = _BREAKER.breaks(data, overrides, width, start_column)
    bounds = [0, *cuts, len(data)]
    return [data[a:b].decode("utf-8", errors="surrogatepass") for a, b in zip(bounds, bounds[1:])]


def _format_string(prefix: str, name: str, value: str, *, wrap: bool) -> list[str]:
    """Lines for ``name "value"`` as gettext's ``wrap()`` (write-po.c) writes them.

    The value is cut into portions after each newline; each portion is line-broken
    (Unicode line breaking) so that the whole line, prefix and quotes included, fits in 79
    columns. The first line stays empty (``name ""``) when there are several portions, or when
    the single portion would need a break after ``name "``.
    """
    if value == "":
        return [f'{prefix}{name} ""']
    raw_portions = value.split("\n")
    portions = [p + "\n" for p in raw_portions[:-1]]
    if raw_portions[-1]:
        portions.append(raw_portions[-1])
    # gettext: width = page_width - 1 (closing quote) - (len(prefix) + 1 (opening quote))
    width = _PAGE_WIDTH - 2 - len(prefix)
    if not wrap:
        if len(portions) == 1:
            return [f'{prefix}{name} "{_escape(portions[0])}"']
        return [f'{prefix}{name} ""'] + [f'{prefix}"{_escape(p)}"' for p in portions]
    if len(portions) == 1:
        first = _split_portion(portions[0], width, len(name) + 1)
        if len(first) == 1:
            return [f'{prefix}{name} "{first[0]}"']
    lines = [line for portion in portions for line in _split_portion(portion, width, 0)]
    return [f'{prefix}{name} ""'] + [f'{prefix}"{line}"' for line in lines]


def _comment_lines(mark: str, comments: Iterable[str]) -> list[str]:
    out: list[str] = []
    for comment in comments:
        for line in comment.split("\n"):
            out.append(f"{mark} {line}" if line else mark)
    return out


def _reference_lines(references: Iterable[str]) -> list[str]:
    refs = _normalise_references(references)
    if not refs:
        return []
    lines: list[str] = []
    current = "#:"
    column = 2
    for ref in refs:
        length = len(ref) + 1
        if column > 2 and column + length > _PAGE_WIDTH:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += length
    lines.append(current)
    return lines


def _normalise_references(references: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    refs: list[str] = []
    for ref in references:
        while ref.startswith("./"):
            ref = ref[2:]
        if ref and ref not in seen:
            seen.add(ref)
            refs.append(ref)
    return refs


def _unit_lines(unit: _Unit) -> list[str]:
    lines = _comment_lines("#", unit.comments)
    lines += _comment_lines("#.", unit.extracted)
    lines += _reference_lines(unit.references)
    flags = _canonical_flags(unit.flags)
    if flags:
        lines.append("#, " + ", ".join(flags))
    wrap = "no-wrap" not in flags
    prev_prefix = "#~| " if unit.obsolete else "#| "
    prefix = "#~ " if unit.obsolete else ""
    if unit.prev_msgctxt is not None:
        lines += _format_string(prev_prefix, "msgctxt", unit.prev_msgctxt, wrap=wrap)
    if unit.prev_msgid is not None:
        lines += _format_string(prev_prefix, "msgid", unit.prev_msgid, wrap=wrap)
    if unit.prev_msgid_plural is not None:
        lines += _format_string(prev_prefix, "msgid_plural", unit.prev_msgid_plural, wrap=wrap)
    if unit.msgctxt is not None:
        lines += _format_string(prefix, "msgctxt", unit.msgctxt, wrap=wrap)
    lines += _format_string(prefix, "msgid", unit.msgid, wrap=wrap)
    if unit.msgid_plural is not None:
        lines += _format_string(prefix, "msgid_plural", unit.msgid_plural, wrap=wrap)
        for i, form in enumerate(unit.msgstr):
            lines += _format_string(prefix, f"msgstr[{i}]", form, wrap=wrap)
    else:
        lines += _format_string(prefix, "msgstr", unit.msgstr[0], wrap=wrap)
    return lines


def _body_text(cat: Catalog) -> str:
    current = [u for u in cat._units if not u.obsolete]
    obsolete = [u for u in cat._units if u.obsolete]
    return "\n".join("\n".join(_unit_lines(u)) + "\n" for u in current + obsolete)


def catalog_bytes(cat: Catalog) -> bytes:
    """The catalog as GNU gettext would write it (UTF-8, LF line endings)."""
    header = "\n".join(_unit_lines(cat._header)) + "\n"
    body = _body_text(cat)
    return (header + ("\n" + body if body else "")).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Reading (Translate Toolkit's parser, our own unescaping)

_UNESCAPE_RE = re.compile(r'\\(?:([abfnrtv"\\?\'])|([0-7]{1,3})|x([0-9a-fA-F]+))')
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


def _decode(lines: Any) -> str:
    parts: list[str] = []
    for raw in lines:
        text = str(raw).strip()
        if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
            text = text[1:-1]
        parts.append(_UNESCAPE_RE.sub(_unescape_match, text))
    return "".join(parts)


def _decode_optional(lines: Any) -> str | None:
    return _decode(lines) if lines else None


def _comment_text(raw: str, mark: str) -> str:
    text = raw.rstrip("\r\n")[len(mark) :]
    return text[1:] if text.startswith(" ") else text


def _unit_from_tt(tt: Any) -> _Unit:
    msgstr_raw = tt.msgstr
    if isinstance(msgstr_raw, dict):
        msgstr = [_decode(msgstr_raw[k]) for k in sorted(msgstr_raw)]
    else:
        msgstr = [_decode(msgstr_raw)]
    flags: list[str] = []
    for line in tt.typecomments:
        flags.extend(f.strip() for f in str(line).rstrip("\r\n")[2:].split(","))
    refs: list[str] = []
    for line in tt.sourcecomments:
        refs.extend(str(line).rstrip("\r\n")[2:].split())
    return _Unit(
        msgid=_decode(tt.msgid),
        msgstr=msgstr or [""],
        msgid_plural=_decode_optional(tt.msgid_plural),
        msgctxt=_decode_optional(tt.msgctxt),
        prev_msgctxt=_decode_optional(tt.prev_msgctxt),
        prev_msgid=_decode_optional(tt.prev_msgid),
        prev_msgid_plural=_decode_optional(tt.prev_msgid_plural),
        comments=[_comment_text(str(c), "#") for c in tt.othercomments],
        extracted=[_comment_text(str(c), "#.") for c in tt.automaticcomments],
        references=refs,
        flags=_canonical_flags(flags),
        obsolete=bool(tt.obsolete),
    )


_LINE_RE = re.compile(r"line (\d+)")
_KEYWORD_RE = re.compile(r"^(?:#~\s*)?(msgid|msgstr)\b")


def _check_structure(lines: list[str], where: str) -> None:
    """Catch what the lenient parser would silently drop: a msgid without msgstr."""
    open_msgid: int | None = None
    for number, line in enumerate(lines, start=1):
        m = _KEYWORD_RE.match(line)
        if m is None:
            continue
        if m.group(1) == "msgid":
            if open_msgid is not None:
                break
            open_msgid = number
        else:
            open_msgid = None
    if open_msgid is not None:
        raise CatalogError(f"{where}:{open_msgid}", "msgid without msgstr", "add the missing msgstr line or restore the file")


def read_catalog_text(text: bytes, path: str) -> Catalog:
    """Parse PO/POT bytes; ``path`` names the file in error messages."""
    from translate.storage import poparser, pypo

    store: Any = pypo.pofile()
    try:
        store.parse(text)
    except poparser.PoParseError as exc:
        m = _LINE_RE.search(str(exc))
        where = f"{path}:{m.group(1)}" if m else path
        raise CatalogError(where, f"PO syntax error ({exc})", "fix the file (msgfmt -c shows the problem)") from exc
    except (UnicodeDecodeError, LookupError) as exc:
        raise CatalogError(path, f"cannot decode the file ({exc})", "save it as UTF-8") from exc
    decoded = text.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    _check_structure(decoded.split("\n"), path)

    header: _Unit | None = None
    units: list[_Unit] = []
    seen: dict[tuple[bool, str | None, str], int] = {}
    for tt in store.units:
        unit = _unit_from_tt(tt)
        if header is None and not units and not unit.obsolete and unit.msgid == "" and unit.msgctxt is None:
            header = unit
            continue
        if unit.msgid == "" and unit.msgctxt is None and not unit.obsolete:
            raise CatalogError(path, "a second entry with an empty msgid", "only the header may have an empty msgid")
        key = (unit.obsolete, unit.msgctxt, unit.msgid)
        if key in seen:
            raise CatalogError(path, f"duplicate entry {_describe(unit.msgid, unit.msgctxt)}", "merge the duplicates (msguniq)")
        seen[key] = len(units)
        units.append(unit)
    # Messages about an entry name its line: the n-th "msgid" line of the file is the n-th
    # entry that is not obsolete (the header first).
    msgid_lines = [n for n, line in enumerate(decoded.split("\n"), 1) if line.startswith("msgid ")]
    current = [u for u in units if not u.obsolete]
    if len(msgid_lines) == len(current) + (header is not None):
        for unit, line in zip(current, msgid_lines[1:] if header is not None else msgid_lines):
            unit.line = line
    if header is not None:
        _normalise_charset(header)
    return Catalog(header, units, path=path)


def _normalise_charset(header: _Unit) -> None:
    """We always write UTF-8; say so (TT has already decoded the text)."""
    for key, value in _parse_header(header.msgstr[0]):
        if key.lower() == "content-type" and "charset=utf-8" not in value.lower():
            header.msgstr[0] = _with_header_field(header.msgstr[0], "Content-Type", _CONTENT_TYPE)


def read_catalog(path: Path) -> Catalog:
    """Read a PO/POT file and remember what was read for write_catalog's stale check."""
    try:
        data = path.read_bytes()
        st = path.stat()
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the catalog ({exc.strerror})", "check the path") from exc
    cat = read_catalog_text(data, str(path))
    cat._origin = _Origin(path.resolve(), st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())
    return cat


# --------------------------------------------------------------------------------------------
# Writing


class _ChangedMeanwhile(Exception):
    pass


def _atomic_write(path: Path, data: bytes, expected: bytes | None) -> None:
    """Write atomically; refuse (raise _ChangedMeanwhile) if the file no longer holds
    ``expected`` (None: did not exist) right before the rename."""

    def unchanged() -> None:
        try:
            now: bytes | None = path.read_bytes()
        except FileNotFoundError:
            now = None
        if now != expected:
            raise _ChangedMeanwhile

    write_atomic(path, data, before_replace=unchanged)


def write_catalog(cat: Catalog, path: Path) -> bool:
    """Write atomically; False (and nothing written) when the file already holds these bytes.

    If ``cat`` was read from ``path`` and the file changed since (a translator saved it), refuse:
    overwriting would lose their work.
    """
    data = catalog_bytes(cat)
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the catalog ({exc.strerror})", "check the path") from exc
    origin = cat._origin
    if origin is not None and origin.path == path.resolve():
        if current is None or hashlib.sha256(current).hexdigest() != origin.sha256:
            raise CatalogError(
                str(path),
                "the file changed on disk after it was read (a translator saved it meanwhile)",
                "run the command again; it re-reads the file and merges again",
            )
    if current == data:
        return False
    changed = CatalogError(
        str(path),
        "the file changed on disk after it was read (a translator saved it meanwhile)",
        "run the command again; it re-reads the file and merges again",
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Re-checked right before the rename: a save during our write is not lost either.
        _atomic_write(path, data, current)
        st = path.stat()
    except _ChangedMeanwhile:
        raise changed from None
    except OSError as exc:
        raise CatalogError(str(path), f"cannot write the catalog ({exc.strerror})", "check permissions and free space") from exc
    cat._origin = _Origin(path.resolve(), st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())
    cat._path = str(path)
    return True


def compile_mo(cat: Catalog, path: Path) -> None:
    """Compile an MO file with msgfmt (fuzzy entries are left out), written atomically."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise CatalogError(str(path), "msgfmt is not installed", "install GNU gettext (apt-get install gettext)")
    proc = subprocess.run([msgfmt, "-o", "-", "-"], input=catalog_bytes(cat), capture_output=True, check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", errors="replace").strip().replace("<stdin>", cat.path or "catalog")
        raise CatalogError(str(path), f"msgfmt failed: {message}", "fix the catalog (msgfmt -c shows the problem)")
    try:
        write_if_changed(path, proc.stdout)
    except OSError as exc:
        raise CatalogError(str(path), f"cannot write the MO file ({exc.strerror})", "check permissions and free space") from exc


# --------------------------------------------------------------------------------------------
# Template and merge


def new_template(
    entries: Iterable[TemplateEntry],
    *,
    project: str,
    creation_date: str | None = None,
    previous: Catalog | None = None,
) -> Catalog:
    """Build a POT catalog. Identical (context, source) pairs are merged, as xgettext does.

    ``creation_date`` defaults to now, but to ``previous``'s date when ``previous`` (the POT on
    disk) has the same entries, so an unchanged template is byte-identical on re-runs.
    """
    units: list[_Unit] = []
    index: dict[tuple[str | None, str], _Unit] = {}
    for entry in entries:
        if entry.source == "":
            raise CatalogError("template", "an entry with empty source text", "empty segments must not be extracted")
        for ref in entry.references:
            if not ref or any(ch.isspace() for ch in ref):
                raise CatalogError("template", f"reference {ref!r} is empty or contains white space", "use release:block")
        key = (entry.context, entry.source)
        unit = index.get(key)
        if unit is None:
            unit = _Unit(msgid=entry.source, msgctxt=entry.context)
            index[key] = unit
            units.append(unit)
        unit.references = _normalise_references([*unit.references, *entry.references])
        unit.extracted += [n for n in entry.notes if n not in unit.extracted]
        unit.flags = _canonical_flags([*unit.flags, *entry.flags])
    fields = [
        ("Project-Id-Version", project),
        ("POT-Creation-Date", creation_date or _now()),
        ("MIME-Version", "1.0"),
        ("Content-Type", _CONTENT_TYPE),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    header = _Unit(msgid="", msgstr=[_format_header(fields)])
    cat = Catalog(header, units)
    if creation_date is None and previous is not None:
        old_date = previous.header_field("POT-Creation-Date")
        if old_date and _body_text(previous) == _body_text(cat):
            cat._set_header_field("POT-Creation-Date", old_date)
    return cat


def _fuzzy_matcher(candidates: list[_Unit]) -> Any:
    from rapidfuzz import fuzz, process

    choices = [u.msgid for u in candidates]

    def find(text: str) -> _Unit | None:
        if not choices:
            return None
        found = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return candidates[found[2]] if found is not None else None

    return find


def update_catalog(
    po: Catalog | None,
    template: Catalog,
    *,
    language: str,
    project: str,
    fuzzy_matching: bool = True,
    plural_forms: str | None = None,
) -> Catalog:
    """Merge a translation catalog with a template, with msgmerge's semantics.

    Exact (context, source) matches keep target, fuzzy state, previous source and translator
    comments; notes, references and the other flags come from the template. New sources get
    the translation of a close old entry (obsolete ones included) marked fuzzy with ``#|``.
    Old entries that left the template become obsolete (untranslated ones are dropped, as
    msgmerge does); an obsolete entry whose source returns is resurrected. ``po`` is not changed.
    """
    old_units = [u.copy() for u in po._units] if po is not None else []
    current_old = {u.key: u for u in old_units if not u.obsolete}
    obsolete_old = {u.key: u for u in old_units if u.obsolete}
    used: set[int] = set()
    find = _fuzzy_matcher([u for u in old_units if u.translated and u.msgid_plural is None]) if fuzzy_matching else None

    units: list[_Unit] = []
    for tmpl in template._units:
        if tmpl.obsolete:
            continue
        old = current_old.get(tmpl.key) or obsolete_old.get(tmpl.key)
        if old is not None:
            used.add(id(old))
            unit = old.copy()
            unit.obsolete = False
            unit.msgid_plural = tmpl.msgid_plural if tmpl.msgid_plural is not None else old.msgid_plural
            unit.extracted = list(tmpl.extracted)
            unit.references = list(tmpl.references)
            unit.flags = _canonical_flags([f for f in tmpl.flags if f != "fuzzy"] + (["fuzzy"] if old.fuzzy else []))
            if not unit.fuzzy:
                unit.prev_msgctxt = unit.prev_msgid = unit.prev_msgid_plural = None
            units.append(unit)
            continue
        unit = tmpl.copy()
        unit.msgstr = [""]
        match = find(tmpl.msgid) if find is not None and tmpl.msgid_plural is None else None
        if match is not None:
            unit.msgstr = list(match.msgstr)
            unit.comments = list(match.comments)
            unit.prev_msgctxt = match.msgctxt
            unit.prev_msgid = match.msgid
            unit.prev_msgid_plural = match.msgid_plural
            unit.set_fuzzy(True)
        units.append(unit)

    obsolete: list[_Unit] = []
    seen_obsolete: set[tuple[str | None, str]] = set()
    for old in old_units:
        if id(old) in used or not old.translated or old.key in seen_obsolete:
            continue
        if not old.obsolete and old.key in obsolete_old and id(obsolete_old[old.key]) not in used:
            used.add(id(obsolete_old[old.key]))  # the newer (current) entry wins
        seen_obsolete.add(old.key)
        old.obsolete = True
        old.extracted = []
        old.references = []
        obsolete.append(old)

    header = po._header.copy() if po is not None else _Unit(msgid="", msgstr=[""])
    header.set_fuzzy(False)
    values = {k.lower(): v for k, v in _parse_header(header.msgstr[0])}
    wanted: dict[str, str] = {
        "Project-Id-Version": project,
        "POT-Creation-Date": template.header_field("POT-Creation-Date") or values.get("pot-creation-date") or _now(),
        "PO-Revision-Date": values.get("po-revision-date") or _now(),
        "Last-Translator": values.get("last-translator") or "Automatically generated",
        "Language-Team": values.get("language-team") or "none",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": _CONTENT_TYPE,
        "Content-Transfer-Encoding": "8bit",
    }
    plural = plural_forms or values.get("plural-forms") or _plural_forms(language)
    counts = {len(u.msgstr) for u in units + obsolete if u.msgid_plural is not None and any(u.msgstr)}
    declared = _NPLURALS_RE.search(plural)
    if counts and declared is not None and counts != {int(declared.group(1))} and not plural_forms:
        # Existing translations have another number of forms than CLDR's rule: adding the rule
        # would make msgfmt reject the file. Keep what the file has (msgmerge adds nothing).
        _log.warning("%s: plural entries have %s forms, CLDR says %s; Plural-Forms left as it was",
                     po.path if po is not None else language, sorted(counts), declared.group(1))
    else:
        wanted["Plural-Forms"] = plural
        if declared is not None:
            for unit in units:
                if unit.msgid_plural is not None and not any(unit.msgstr):
                    unit.msgstr = [""] * int(declared.group(1))
    text = header.msgstr[0]
    for name, value in wanted.items():
        if values.get(name.lower()) != value:
            text = _with_header_field(text, name, value)
    header.msgstr = [text]

    result = Catalog(header, units + obsolete, path=po.path if po is not None else "")
    result._origin = po._origin if po is not None else None
    if po is None or _body_text(result) != _body_text(po):
        result._set_header_field("PO-Revision-Date", _now())
    return result
