"""How GNU gettext 0.21 writes one PO string (write-po.c's ``wrap()``), exactly, and which of
its wrappings a file was written with: the serialiser's half that ``pofile.py`` calls per string.

Line breaking is libunistring's ``ulc_width_linebreaks``, as gettext calls it (through ctypes);
without libunistring, Translate Toolkit's approximation (``unicode_segmentation_rs``, only this
module imports it). ``format_string`` remembers its last few thousand answers: a run formats
most strings twice or more (a template's msgid in its PO files, the tries of ``detect_wrap``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import itertools
import re
from collections.abc import Iterator
from typing import Any, cast

from unicode_segmentation_rs import gettext_wrap, text_width

from i18n_pipeline.model import GETTEXT_WRAP, LineWrap
from i18n_pipeline.poread import unescape

__all__ = ["UNLIMITED", "detect_wrap", "format_string"]

UNLIMITED = 1 << 30  # wider than any line: gettext's "-w 0" (no limit)


# --------------------------------------------------------------------------------------------
# One string's lines (gettext 0.21 write-po.c rules)

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
    return [data[a:b].decode("utf-8", errors="surrogatepass") for a, b in itertools.pairwise(bounds)]


_FROM_U1000_RE = re.compile(b"[\xe1-\xff]")


@functools.lru_cache(maxsize=4096)  # bounded: a few MB however many releases a run writes
def format_string(prefix: str, name: str, value: str, wrap: bool, page_width: int) -> tuple[str, ...]:
    """Lines for ``name "value"`` as gettext's ``wrap()`` writes them (``_format_general``), with
    the usual case (one portion, libunistring at hand) straight: one escape, one encoding, and no
    call of libunistring for a string that fits on its line. Remembered for the last 4096 strings."""
    if not (value and wrap and _BREAKER.exact) or "\n" in value[:-1]:
        return tuple(_format_general(prefix, name, value, wrap=wrap, page_width=page_width))
    text = _escape(value)
    data = text.encode("utf-8", errors="surrogatepass")
    size = len(data)
    width = page_width - 2 - len(prefix)
    start = len(name) + 1
    # Its columns: at most one a byte; at most one a character where all are below U+1000 (no
    # UTF-8 lead byte from 0xE1 on; libunistring's uc_width counts two from U+1100 only).
    columns = size if size == len(text) or _FROM_U1000_RE.search(data) else len(text)
    if columns <= width - start:  # it fits after 'name "'
        return (f'{prefix}{name} "{text}"',)
    overrides = _overrides(data, value)
    # Broken at column 0, it is broken after 'name "' too (less room, same break points): one call.
    cuts = _BREAKER.breaks(data, overrides, width, 0) if columns > width else []
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
    """Lines for ``name "value"`` as gettext's ``wrap()`` (write-po.c) writes them: the rule, as
    plainly as it goes (``format_string`` takes the usual case faster; tests hold it to this).

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
    if len(portions) == 1:  # after 'name "' if it fits there unbroken, else from the next line
        if len(first := _split_portion(portions[0], width, len(name) + 1)) == 1:
            return [f'{prefix}{name} "{first[0]}"']
        return [f'{prefix}{name} ""'] + [f'{prefix}"{line}"' for line in _split_portion(portions[0], width, 0)]
    return [f'{prefix}{name} ""'] + [f'{prefix}"{line}"' for portion in portions for line in _split_portion(portion, width, 0)]


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
    # The shape first: most strings that tell the wrappings apart (wrapped text) fail it at once.
    alike = (
        len(group) == 1 or (m.group(3) == "" and len(continued) >= 2 and all(g.endswith('\\n"') for g in continued[:-1]))
    ) and all(len(g.encode("utf-8")) < _NARROWEST for g in group)
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
            if format_string(prefix, name, value, candidate.strings, candidate.width or UNLIMITED) == group:
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
