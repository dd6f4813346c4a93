"""PO and POT files: ``read_po`` / ``write_po``, the only room that reads or writes PO syntax.

Reading: a file in gettext's own layout goes through poread.py (our fast reader, same units),
anything else through Translate Toolkit's parser (lossless, any line ending, parse errors carry
the line number; only this module imports it). Writing is our own serialiser, exactly as GNU
gettext 0.21 formats (``msgcat FILE`` leaves every file we write unchanged), so msgmerge, Poedit
and this tool do not fight over line wrapping in diffs (see ``_format_string`` for the rules).

Each file keeps its own line wrapping: gettext's 79 columns, Weblate's 77 (``msgcat -w 77``) or
none (``msgcat --no-wrap``). ``read_po`` detects it (``detect_wrap``) and ``write_po`` writes with
it unless told otherwise, so a file that a tool re-wrapped is not rewritten by a run that changes
no entry, and new entries are wrapped as the rest of the file. ``write_po`` refuses to overwrite
a file that changed on disk after the catalog was read from it (a translator saved it), also
during the write itself. ``compile_mo`` runs msgfmt. The catalog model lives in ``catalog.py``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gettext
import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from unicode_segmentation_rs import gettext_wrap, text_width

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.files import write_atomic
from i18n_pipeline.model import GETTEXT_WRAP, LineWrap
from i18n_pipeline.poread import msgid_lines, text_units, unescape
from i18n_pipeline.pounit import (
    CONTENT_TYPE,
    Origin,
    Unit,
    canonical_flags,
    describe_entry,
    header_fields,
    normalise_references,
    with_header_field,
)

__all__ = [
    "RenderedPO", "catalog_bytes", "commit_po", "detect_wrap", "po_bytes", "read_po", "read_po_bytes", "render_po", "write_po",
]

_UNLIMITED = 1 << 30  # wider than any line: gettext's "-w 0" (no limit)


# --------------------------------------------------------------------------------------------
# Serialisation (gettext 0.21 write-po.c rules)

_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
    "\r": "\\r", "\t": "\\t", "\n": "\\n", "\\": "\\\\", '"': '\\"',
}  # fmt: skip
_ESCAPE_RE = re.compile('[\a\b\f\v\r\t\n\\\\"]')


def _escape(text: str) -> str:  # a printable text holds no control character: unless " or \ is in it, as it is
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text) if not text.isprintable() or '"' in text or "\\" in text else text


class _LineBreaker:
    """Unicode line breaking exactly as gettext does it: libunistring's ulc_width_linebreaks.

    gettext 0.21 links the system libunistring and calls ``ulc_width_linebreaks_v2``; we call
    the same function through ctypes. Without libunistring (not a GNU system) we fall back to
    Translate Toolkit's approximation (``unicode_segmentation_rs.gettext_wrap``).
    """

    UNDEFINED, PROHIBITED, POSSIBLE = 0, 1, 2
    _out = ctypes.create_string_buffer(4096)  # what ulc_width_linebreaks writes its answers to

    def __init__(self) -> None:
        self._func: Any = None
        lib = None  # sonames first, newest first (ldconfig's order): find_library runs ldconfig, 2-10 ms
        for name in ("libunistring.so.5", "libunistring.so.2", ""):
            try:
                lib = ctypes.CDLL(name or ctypes.util.find_library("unistring") or "libunistring.so.2")
                break
            except OSError:
                pass
        if lib is None:
            return
        func = getattr(lib, "ulc_width_linebreaks_v2", None) or getattr(lib, "ulc_width_linebreaks", None)
        if func is None:
            return
        # int (const char *s, size_t n, int width, int start_column, int at_end_columns,
        #      const char *override, const char *encoding, char *p): no argtypes, whose checks
        # cost a fifth of a call; breaks() passes each argument as its C type (ints fit an int).
        func.restype = ctypes.c_int
        self._func = func

    @property
    def exact(self) -> bool:
        return self._func is not None

    def breaks(self, data: bytes, overrides: bytes, width: int, start_column: int) -> list[int]:
        """Byte offsets before which a line break goes."""
        n = len(data)  # > 0: _split_portion asks only for a portion longer than its line
        if n > len(self._out):  # one buffer, grown as needed: a new one per string cost as much as the call
            self._out = ctypes.create_string_buffer(2 * n)
        self._func(data, ctypes.c_size_t(n), width, start_column, 0, overrides, b"UTF-8", self._out)
        answers = cast(bytes, self._out[:n])  # bytes (typeshed says list); not all of .raw
        cuts: list[int] = []  # a few: one per line but the first
        at = answers.find(self.POSSIBLE)
        while at >= 0:
            cuts.append(at)
            at = answers.find(self.POSSIBLE, at + 1)
        return cuts


_BREAKER = _LineBreaker()


_ESCAPE_PAIR_RE = re.compile(rb"\\.")


def _escaped_portion(portion: str) -> tuple[bytes, bytes]:
    """The escaped UTF-8 bytes of a portion, and gettext's break overrides: none in an escape, nor before a final ``\\n``."""
    data = _escape(portion).encode("utf-8", errors="surrogatepass")
    return data, _overrides(data, portion)


def _overrides(data: bytes, portion: str) -> bytes:
    """gettext's break overrides of ``data``, the escaped UTF-8 bytes of ``portion``."""
    if b"\\" not in data:  # no escape (a final "\n" is one): no break to forbid
        return bytes(len(data))
    overrides = bytearray(len(data))
    for m in _ESCAPE_PAIR_RE.finditer(data):
        overrides[m.start() + 1] = _LineBreaker.PROHIBITED
    if portion.endswith("\n"):
        overrides[-2] = _LineBreaker.PROHIBITED
    return bytes(overrides)


def _split_portion(portion: str, width: int, start_column: int, escaped: tuple[bytes, bytes] | None = None) -> list[str]:
    """Lines of one escaped portion, broken where gettext breaks them (``escaped``: its _escaped_portion)."""
    if not _BREAKER.exact:
        text = _escape(portion)
        if start_column > 0:
            fits = text_width(text) <= width - start_column or len(gettext_wrap(text, 1)) <= 1
            return [text] if fits else ["", text]
        wrapped: list[str] = gettext_wrap(text, width)
        return wrapped or [text]
    data, overrides = escaped or _escaped_portion(portion)
    if len(data) <= width - start_column:  # columns <= bytes: it fits, no break possible
        return [data.decode("utf-8", errors="surrogatepass")]
    cuts = _BREAKER.breaks(data, overrides, width, start_column)
    bounds = [0, *cuts, len(data)]
    return [data[a:b].decode("utf-8", errors="surrogatepass") for a, b in itertools.pairwise(bounds)]


def _format_string(prefix: str, name: str, value: str, *, wrap: bool, page_width: int = 79) -> tuple[str, ...]:
    """Lines for ``name "value"`` as gettext's ``wrap()`` (write-po.c) writes them (see
    ``_format_general``). Remembered for the last few thousand strings: a run formats most of
    them again (a template's msgid in its PO file, the file's wrapping tried before it is written)."""
    return _formatted(prefix, name, value, wrap, page_width)


@functools.lru_cache(maxsize=4096)  # bounded: a few MB however many releases a run writes
def _formatted(prefix: str, name: str, value: str, wrap: bool, page_width: int) -> tuple[str, ...]:
    """``_format_general``, with the usual case (one portion, libunistring at hand) straight:
    one escape, one encoding, and no call of libunistring for a string that fits on its line."""
    if not (value and wrap and _BREAKER.exact) or "\n" in value[:-1]:
        return tuple(_format_general(prefix, name, value, wrap=wrap, page_width=page_width))
    text = _escape(value)
    data = text.encode("utf-8", errors="surrogatepass")
    size = len(data)
    width = page_width - 2 - len(prefix)
    start = len(name) + 1
    if size <= width - start:  # columns <= bytes: it fits after 'name "'
        return (f'{prefix}{name} "{text}"',)
    overrides = _overrides(data, value)
    # Broken at column 0, it is broken after 'name "' too (less room, same break points): one call.
    cuts = _BREAKER.breaks(data, overrides, width, 0) if size > width else []
    if not cuts:
        if not _BREAKER.breaks(data, overrides, width, start):
            return (f'{prefix}{name} "{text}"',)
        return (f'{prefix}{name} ""', f'{prefix}"{text}"')
    bounds = [0, *cuts, size]
    if size == len(text):  # ASCII: byte offsets are character offsets
        return (f'{prefix}{name} ""', *[f'{prefix}"{text[a:b]}"' for a, b in itertools.pairwise(bounds)])
    return (
        f'{prefix}{name} ""',
        *[f'{prefix}"{data[a:b].decode("utf-8", errors="surrogatepass")}"' for a, b in itertools.pairwise(bounds)],
    )


def _format_general(prefix: str, name: str, value: str, *, wrap: bool, page_width: int = 79) -> list[str]:
    """Lines for ``name "value"`` as gettext's ``wrap()`` (write-po.c) writes them.

    The value is cut into portions after each newline; each portion is line-broken
    (Unicode line breaking) so that the whole line, prefix and quotes included, fits in
    ``page_width`` columns. The first line stays empty (``name ""``) when there are several
    portions, or when the single portion would need a break after ``name "``.
    """
    if value == "":
        return [f'{prefix}{name} ""']
    raw_portions = value.split("\n")
    portions = [p + "\n" for p in raw_portions[:-1]]
    if raw_portions[-1]:
        portions.append(raw_portions[-1])
    # gettext: width = page_width - 1 (closing quote) - (len(prefix) + 1 (opening quote))
    width = page_width - 2 - len(prefix)
    if not wrap:
        if len(portions) == 1:
            return [f'{prefix}{name} "{_escape(portions[0])}"']
        return [f'{prefix}{name} ""'] + [f'{prefix}"{_escape(p)}"' for p in portions]
    if len(portions) == 1:
        escaped = _escaped_portion(portions[0]) if _BREAKER.exact else None  # for both tries
        # Broken at column 0, it is broken after 'name "' too (less room, same break points): one call.
        if escaped is not None and len(lines := _split_portion(portions[0], width, 0, escaped)) > 1:
            return [f'{prefix}{name} ""'] + [f'{prefix}"{line}"' for line in lines]
        if len(first := _split_portion(portions[0], width, len(name) + 1, escaped)) == 1:
            return [f'{prefix}{name} "{first[0]}"']
        return [f'{prefix}{name} ""'] + [f'{prefix}"{line}"' for line in _split_portion(portions[0], width, 0, escaped)]
    return [f'{prefix}{name} ""'] + [f'{prefix}"{line}"' for portion in portions for line in _split_portion(portion, width, 0)]


def _comment_lines(mark: str, comments: Iterable[str]) -> list[str]:
    out: list[str] = []
    for comment in comments:
        for line in comment.split("\n"):
            out.append(f"{mark} {line}" if line else mark)
    return out


def _reference_lines(references: Iterable[str], page_width: int) -> list[str]:
    refs = normalise_references(references)
    if not refs:
        return []
    lines: list[str] = []
    current = "#:"
    column = 2
    for ref in refs:
        length = len(ref) + 1
        if column > 2 and column + length > page_width:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += length
    lines.append(current)
    return lines


def _unit_lines(unit: Unit, layout: LineWrap, lines: list[str]) -> None:
    """Append the lines of ``unit`` to ``lines``."""
    page_width = layout.width or _UNLIMITED
    if unit.comments:
        lines += _comment_lines("#", unit.comments)
    if unit.extracted:
        lines += _comment_lines("#.", unit.extracted)
    if unit.references:
        lines += _reference_lines(unit.references, page_width)
    flags = canonical_flags(unit.flags) if unit.flags else unit.flags
    if flags:
        lines.append("#, " + ", ".join(flags))
    wrap = layout.strings and layout.width is not None and "no-wrap" not in flags
    if unit.obsolete:
        prev_prefix, prefix = "#~| ", "#~ "
    else:
        prev_prefix, prefix = "#| ", ""
    if unit.prev_msgctxt is not None:
        lines += _formatted(prev_prefix, "msgctxt", unit.prev_msgctxt, wrap, page_width)
    if unit.prev_msgid is not None:
        lines += _formatted(prev_prefix, "msgid", unit.prev_msgid, wrap, page_width)
    if unit.prev_msgid_plural is not None:
        lines += _formatted(prev_prefix, "msgid_plural", unit.prev_msgid_plural, wrap, page_width)
    if unit.msgctxt is not None:
        lines += _formatted(prefix, "msgctxt", unit.msgctxt, wrap, page_width)
    lines += _formatted(prefix, "msgid", unit.msgid, wrap, page_width)
    if unit.msgid_plural is not None:
        lines += _formatted(prefix, "msgid_plural", unit.msgid_plural, wrap, page_width)
        for i, form in enumerate(unit.msgstr):
            lines += _formatted(prefix, f"msgstr[{i}]", form, wrap, page_width)
    else:
        lines += _formatted(prefix, "msgstr", unit.msgstr[0], wrap, page_width)


def po_bytes(cat: Catalog, wrap: LineWrap = GETTEXT_WRAP) -> bytes:
    """The catalog as GNU gettext would write it (UTF-8, LF line endings) with ``msgcat``'s
    options for ``wrap`` (default: none, 79 columns): what write_po writes."""
    lines: list[str] = []  # every line of the file, "" between entries: one join
    _unit_lines(cat.header_unit, wrap, lines)
    for unit in cat.file_units():
        lines.append("")
        _unit_lines(unit, wrap, lines)
    lines.append("")
    return "\n".join(lines).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Reading (Translate Toolkit's parser, our own unescaping)


def _decode(lines: Any) -> str:
    parts: list[str] = []
    for raw in lines:
        text = str(raw).strip()
        if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
            text = text[1:-1]
        parts.append(unescape(text))
    return "".join(parts)


def _decode_optional(lines: Any) -> str | None:
    return _decode(lines) if lines else None
def _comment_text(raw: str, mark: str) -> str:
    text = raw.rstrip("\r\n")[len(mark) :]
    return text[1:] if text.startswith(" ") else text


def _unit_from_tt(tt: Any) -> Unit:
    raw = tt.msgstr
    msgstr = [_decode(raw[k]) for k in sorted(raw)] if isinstance(raw, dict) else [_decode(raw)]
    flags: list[str] = []
    for line in tt.typecomments:
        flags.extend(f.strip() for f in str(line).rstrip("\r\n")[2:].split(","))
    refs: list[str] = []
    for line in tt.sourcecomments:
        refs.extend(str(line).rstrip("\r\n")[2:].split())
    return Unit(
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
        flags=canonical_flags(flags),
        obsolete=bool(tt.obsolete),
    )


# --------------------------------------------------------------------------------------------
# The file's own wrapping

_GETTEXT_WIDTH, _NARROWEST = 79, 77
_WEBLATE_WRAP = LineWrap(77)
_NO_WRAP = LineWrap(_GETTEXT_WIDTH, strings=False)
_CANDIDATES = (GETTEXT_WRAP, _WEBLATE_WRAP, _NO_WRAP)  # in order of preference on a tie
_STRING_START_RE = re.compile(r'^(#~\| |#~ |#\| |)(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')
_EVIDENCE = 16  # strings looked at at most: cheap on a large file, enough for a hand-edited one


# A keyword line and the string lines that continue it (same marks), each line after its "\n":
# a search for a line end is several times quicker than one for a line start.
_STRING_GROUP_RE = re.compile(
    r'\n(#~\| |#~ |#\| |)(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"(?=\n)(?:\n\1".*"(?=\n))*+'
)


def _string_groups(text: str) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
    """(prefix, keyword, value, the lines it was written on) of every string that may show how
    the file is wrapped: not in a ``no-wrap`` entry, and not one every wrapping writes alike."""
    if "no-wrap" in text:  # some entries may not count: line by line
        yield from _string_groups_by_line(text.split("\n"))
        return
    for m in _STRING_GROUP_RE.finditer(f"\n{text}\n"):
        evidence = _evidence(m, m.group(0)[1:].split("\n"))
        if evidence is not None:
            yield evidence


def _string_groups_by_line(lines: list[str]) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
    """_string_groups, line by line, skipping the strings of entries flagged ``no-wrap``."""
    no_wrap = False
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            no_wrap = False
        elif line.startswith("#,"):
            no_wrap = "no-wrap" in line
        m = _STRING_START_RE.match(line)
        if m is None:
            continue
        group = [line]
        quote = m.group(1) + '"'
        while i < len(lines) and lines[i].startswith(quote) and lines[i].endswith('"') and len(lines[i]) > len(quote):
            group.append(lines[i])
            i += 1
        evidence = _evidence(m, group)
        if not no_wrap and evidence is not None:
            yield evidence


def _evidence(m: re.Match[str], group: list[str]) -> tuple[str, str, str, tuple[str, ...]] | None:
    """What _string_groups yields of a string written on the lines ``group`` (``m``: its
    keyword line's match); None for one that every wrapping writes alike."""
    continued = group[1:]
    alike = all(len(g.encode("utf-8")) < _NARROWEST for g in group) and (
        len(group) == 1 or (m.group(3) == "" and len(continued) >= 2 and all(g.endswith('\\n"') for g in continued[:-1]))
    )
    if alike:
        return None
    quote = m.group(1) + '"'
    value = "".join(unescape(c) for c in [m.group(3)] + [g[len(quote) : -1] for g in continued])
    return m.group(1), m.group(2), value, tuple(group)


def detect_wrap(text: str) -> LineWrap | None:
    """The wrapping a PO file was written with: gettext's 79 columns, 77 (``msgcat -w 77``, as
    Weblate writes), ``--no-wrap`` or ``-w 0``; None when nothing in the file tells them apart.

    Strings that every wrapping writes alike are skipped; each other string is written again
    with each candidate until one candidate reproduces two more of them than any other (or
    16 strings were seen); the one that reproduced most wins.
    """
    text = text.replace("\r\n", "\n")
    scores = dict.fromkeys(_CANDIDATES, 0)
    seen = 0
    for prefix, name, value, group in _string_groups(text):
        for candidate in _CANDIDATES:
            if _format_string(prefix, name, value, wrap=candidate.strings, page_width=candidate.width or _UNLIMITED) == group:
                scores[candidate] += 1
        seen += 1
        first, second = sorted(scores.values(), reverse=True)[:2]
        if seen >= _EVIDENCE or first - second >= 2:
            break
    if not seen or not any(scores.values()):
        return None
    best = max(_CANDIDATES, key=lambda c: scores[c])  # max keeps the first of equals
    if best is _NO_WRAP and any(
        line.startswith("#: ") and len(line) > _GETTEXT_WIDTH and " " in line[3:]
        for line in text.split("\n")
    ):
        return LineWrap(None)  # references are not wrapped either: msgcat -w 0
    return best


_LINE_RE = re.compile(r"line (\d+)")
def _tt_units(data: bytes, path: str) -> Any:
    from translate.storage import poparser, pypo  # ≈ 45 ms: only a process that reads such files pays

    store: Any = pypo.pofile()
    try:
        store.parse(data)
    except poparser.PoParseError as exc:
        m = _LINE_RE.search(str(exc))
        where = f"{path}:{m.group(1)}" if m else path
        raise CatalogError(where, f"PO syntax error ({exc})", "fix the file (msgfmt -c shows the problem)") from exc
    except (UnicodeDecodeError, LookupError) as exc:
        raise CatalogError(path, f"cannot decode the file ({exc})", "save it as UTF-8") from exc
    return store.units


def read_po_bytes(data: bytes, path: str) -> Catalog:
    """Parse PO/POT bytes; ``path`` names the file in error messages. A file in gettext's own
    layout is read by poread.py, anything else by Translate Toolkit."""
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    # gettext's own layout first: Translate Toolkit's syntax errors come first for the rest.
    fast = text_units(text) if text is not None else None
    read = fast or [_unit_from_tt(u) for u in _tt_units(data, path)]
    decoded = (text if text is not None else data.decode("utf-8", errors="replace")).replace("\r\n", "\n").replace("\r", "\n")

    header: Unit | None = None
    units: list[Unit] = []
    seen: dict[tuple[bool, str | None, str], int] = {}
    # Messages about an entry name its line: the n-th "msgid" line of the file is the n-th
    # entry that is not obsolete (the header first).
    # Also catches what the lenient parser would silently drop: a msgid without msgstr.
    # The fast reader found them when it read every entry in the plain shape (then no msgid
    # lacks its msgstr either): the same numbers, without a search of the text.
    msgid_numbers = [u.line for u in fast] if fast and all(u.line for u in fast) else msgid_lines(decoded, path)
    current_entries = 0
    for unit in read:
        current_entries += not unit.obsolete
        if header is None and not units and not unit.obsolete and unit.msgid == "" and unit.msgctxt is None:
            header = unit
            header.line = 0  # entries know their line, not the header
            continue
        if unit.msgid == "" and unit.msgctxt is None and not unit.obsolete:
            raise CatalogError(path, "a second entry with an empty msgid", "only the header may have an empty msgid")
        key = (unit.obsolete, unit.msgctxt, unit.msgid)
        if key in seen:
            what = f"duplicate entry {describe_entry(unit.msgid, unit.msgctxt)}"
            line = msgid_numbers[current_entries - 1] if not unit.obsolete and current_entries <= len(msgid_numbers) else None
            raise CatalogError(f"{path}:{line}" if line else path, what, "merge the duplicates (msguniq)")
        seen[key] = len(units)
        units.append(unit)
    current = [u for u in units if not u.obsolete]
    if len(msgid_numbers) == len(current) + (header is not None):
        for unit, line in zip(current, msgid_numbers[1:] if header is not None else msgid_numbers, strict=False):
            unit.line = line
    if header is not None:
        _normalise_charset(header)
        _check_plural_forms(header, units, decoded, path)
    return Catalog(header, units, path=path)


_PLURAL_FORMS_RE = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*\Z")


def _check_plural_forms(header: Unit, units: list[Unit], decoded: str, path: str) -> None:
    """A Plural-Forms header msgfmt -c accepts, and entries with as many forms as it says: else
    every file we write from this one would fail msgfmt -c."""
    value = next((v for k, v in header_fields(header.msgstr[0]) if k.lower() == "plural-forms"), None)
    if value is None or "nplurals=INTEGER" in value.replace(" ", ""):
        return  # none, or xgettext's placeholder in a template
    m = _PLURAL_FORMS_RE.fullmatch(value)
    if m is None or not 0 < int(m.group(1)) <= 10 or not _valid_plural(m.group(2)):
        header_line = next((n for n, line in enumerate(decoded.split("\n"), 1) if line.startswith('"Plural-Forms:')), None)
        raise CatalogError(
            f"{path}:{header_line}" if header_line else path, f"the Plural-Forms header is not valid ({value.strip()!r})",
            "write it as gettext does, e.g. 'nplurals=2; plural=(n != 1);'",
        )
    nplurals = int(m.group(1))
    for unit in units:
        if unit.msgid_plural is not None and not unit.obsolete and len(unit.msgstr) != nplurals:
            raise CatalogError(
                f"{path}:{unit.line}" if unit.line else path,
                f"msgstr[{len(unit.msgstr) - 1}] in a language with {nplurals} plural forms",
                f"give exactly msgstr[0] to msgstr[{nplurals - 1}]",
            )


@functools.lru_cache(maxsize=32)
def _valid_plural(expression: str) -> bool:
    """The C expression, checked by the standard library's own parser: once per expression, not
    per file (a build reads hundreds of files of one language)."""
    try:
        gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError):
        return False
    return True


def _normalise_charset(header: Unit) -> None:
    """We always write UTF-8; say so (TT has already decoded the text)."""
    for key, value in header_fields(header.msgstr[0]):
        if key.lower() == "content-type" and "charset=utf-8" not in value.lower():
            header.msgstr[0] = with_header_field(header.msgstr[0], "Content-Type", CONTENT_TYPE)


def _origin(path: Path, data: bytes, wrap: LineWrap) -> Origin:
    return Origin(path.resolve(), hashlib.sha256(data).hexdigest(), wrap)


def read_po(path: Path) -> Catalog:
    """Read a PO/POT file and remember what was read (for write_po's stale check) and how its
    lines are wrapped (``catalog.origin.wrap``; gettext's 79 columns when the file does not say).
    A build, which never writes back, reads ``read_po_bytes(catalog_bytes(path), ...)``: neither
    (detect_wrap is a tenth of a first build)."""
    data = catalog_bytes(path)
    cat = read_po_bytes(data, str(path))
    wrap = detect_wrap(data.decode("utf-8", errors="replace")) or GETTEXT_WRAP
    cat.remember_file(str(path), _origin(path, data, wrap))
    return cat


def catalog_bytes(path: Path) -> bytes:
    """The bytes of the catalog at ``path`` (for ``read_po_bytes``), read errors as users read them."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise CatalogError(str(path), "is a folder, where a catalog should be", "remove or rename the folder") from None
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the catalog ({exc.strerror})", "check the path") from exc


# --------------------------------------------------------------------------------------------
# Writing


class _ChangedMeanwhile(Exception):
    pass


def _atomic_write(path: Path, data: bytes, expected: bytes | None, durable: bool = True) -> None:
    """Write atomically; refuse (raise _ChangedMeanwhile) if the file no longer holds
    ``expected`` (None: did not exist) right before the rename."""

    def unchanged() -> None:
        try:
            now: bytes | None = path.read_bytes()
        except FileNotFoundError:
            now = None
        if now != expected:
            raise _ChangedMeanwhile

    write_atomic(path, data, before_replace=unchanged, durable=durable)


def _changed_meanwhile(path: Path) -> CatalogError:
    what = "the file changed on disk after it was read (a translator saved it meanwhile)"
    return CatalogError(str(path), what, "run the command again; it re-reads the file and merges again")


def _own_wrap(cat: Catalog, path: Path, current: bytes | None) -> LineWrap:
    """The wrapping of the file a catalog is written to: the one it had when read, else the one
    the file on disk has, else the one of the file the catalog came from, else gettext's."""
    origin = cat.origin
    if origin is not None and origin.path == path.resolve():
        return origin.wrap
    detected = detect_wrap(current.decode("utf-8", errors="replace")) if current is not None else None
    return detected or (origin.wrap if origin is not None else GETTEXT_WRAP)


def write_po(cat: Catalog, path: Path, *, wrap: LineWrap | None = None, durable: bool = True) -> bool:
    """Write atomically; False (and nothing written) when the file already holds these bytes.

    ``wrap`` reformats the file (pipeline.yaml's ``po.wrap``); by default the file keeps its own
    wrapping, so a catalog whose entries did not change leaves the file as it is.

    If ``cat`` was read from ``path`` and the file changed since (a translator saved it), refuse:
    overwriting would lose their work. ``durable=False``: not fsynced (a template: regenerable).
    """
    return commit_po(render_po(cat, path, wrap=wrap), durable=durable, cat=cat)


@dataclass(frozen=True)
class RenderedPO:
    """``write_po`` in two steps (a worker renders, the stage's process commits): the bytes for
    ``path`` (None: the file holds them already) and what the file held then."""
    path: Path
    data: bytes | None
    current: bytes | None
    layout: LineWrap


def render_po(cat: Catalog, path: Path, *, wrap: LineWrap | None = None) -> RenderedPO:
    """The first half of ``write_po``: refuses a file changed since ``cat`` was read from it."""
    try:
        current: bytes | None = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        current = None  # new (a file in the way of its folder is reported by the write)
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the catalog ({exc.strerror})", "check the path") from exc
    origin = cat.origin
    if (origin is not None and origin.path == path.resolve()) and (
        current is None or hashlib.sha256(current).hexdigest() != origin.sha256
    ):
        raise _changed_meanwhile(path)
    layout = wrap or _own_wrap(cat, path, current)
    data = po_bytes(cat, layout)
    return RenderedPO(path, None if current == data else data, current, layout)


def commit_po(rendered: RenderedPO, *, durable: bool = True, cat: Catalog | None = None) -> bool:
    """The second half of ``write_po``: the write, refused if the file no longer holds what it
    held when rendered; ``cat`` (if given) then remembers the file as written."""
    path, data = rendered.path, rendered.data
    if data is None:
        return False
    try:
        # Re-checked right before the rename: a save during our write is not lost either.
        _atomic_write(path, data, rendered.current, durable)
        written = _origin(path, data, rendered.layout) if cat is not None else None  # a resolve, a hash
    except _ChangedMeanwhile:
        raise _changed_meanwhile(path) from None
    except OSError as exc:
        raise CatalogError(str(path), f"cannot write the catalog ({exc.strerror})", "check permissions and free space") from exc
    if cat is not None and written is not None:
        cat.remember_file(str(path), written)
    return True
