"""Apertium's stream format: our segment text in (:func:`deformat`), plain text out
(:func:`reformat`).

Apertium's own deformatters are not used (``apertium -z`` hangs in 3.8; ``FACTS.md``,
"Apertium"), so we escape ``\\ ^ $ / < > [ ] { } @`` with a backslash, send placeholders and
newlines as superblanks ``[…]``, and drop the unknown-word and error marks (``*``, ``#``, ``@``)
on the way back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from i18n_pipeline.model import PLACEHOLDER_RE

__all__ = ["deformat", "marked_words", "reformat", "strip_stream_marks", "unknown_in_analysis"]

# Characters with a meaning in Apertium's stream format; escaped with a backslash.
_ESCAPE_RE = re.compile(r"([\\^$/<>\[\]{}@])")
# Characters the stages eat or mistake for marks even when escaped ("~" is the post-generation
# trigger; "*" and "#" lose their backslash and look like unknown-word marks): sent as superblanks.
_SUPERBLANK_CHARS = frozenset("*#~")
_MARKS = frozenset("*#@")


def deformat(text: str) -> str:
    """Our segment text → Apertium stream format. Placeholders and newlines become superblanks;
    the caller appends the final ``[]`` and NUL."""
    out: list[str] = []
    pos = 0
    for match in PLACEHOLDER_RE.finditer(text):
        out.append(_deformat_text(text[pos : match.start()]))
        out.append("[" + match.group(0).replace("/", "\\/") + "]")  # as apertium-deshtml
        pos = match.end()
    out.append(_deformat_text(text[pos:]))
    return "".join(out)


def _deformat_text(text: str) -> str:
    escaped = _ESCAPE_RE.sub(r"\\\1", text.replace("\0", ""))
    if not any(c in escaped for c in "\n\r*#~"):
        return escaped
    return "".join(
        f"[{c}]" if c in _SUPERBLANK_CHARS or c in "\n\r" else c for c in escaped
    )


def _stream_tokens(stream: str) -> Iterator[tuple[str, str]]:
    """Split Apertium stream output into ("text", t), ("blank", content) and ("mark", c)
    tokens, unescaping as we go. Unescaped ``*``, ``#`` and ``@`` before a word are Apertium's
    unknown-word/error marks (our own such characters travel escaped or as superblanks)."""
    i = 0
    n = len(stream)
    text: list[str] = []
    while i < n:
        c = stream[i]
        if c == "\\" and i + 1 < n:
            text.append(stream[i + 1])
            i += 2
        elif c == "[":
            if text:
                yield ("text", "".join(text))
                text = []
            j = i + 1
            blank: list[str] = []
            while j < n and stream[j] != "]":
                if stream[j] == "\\" and j + 1 < n:
                    j += 1
                blank.append(stream[j])
                j += 1
            yield ("blank", "".join(blank))
            i = j + 1
        elif c in _MARKS and i + 1 < n and (stream[i + 1].isalnum() or stream[i + 1] == "_"):
            if text:
                yield ("text", "".join(text))
                text = []
            yield ("mark", c)
            i += 1
        else:
            text.append(c)
            i += 1
    if text:
        yield ("text", "".join(text))


# One regular expression for what _stream_tokens does char by char (reformat runs on every
# answer: the loop was most of Python's share of the engine work): an escaped character, a
# superblank (escapes inside, closed by an unescaped "]" or the end), a mark before a word.
_REFORMAT_RE = re.compile(r"\\(.)|\[((?:\\.|[^\\\]])*)\]?|[*#@](?=\w)", re.DOTALL)
_BLANK_UNESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)


def _reformatted(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return m.group(1)
    if m.group(2) is not None:
        return _BLANK_UNESCAPE_RE.sub(r"\1", m.group(2)) if "\\" in m.group(2) else m.group(2)
    return ""  # a mark


def reformat(stream: str) -> str:
    """Apertium stream output → plain text: superblanks restored, escapes removed, unknown-word
    and error marks dropped (the word stays)."""
    return _REFORMAT_RE.sub(_reformatted, stream)


_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# An analysed lexical unit the analyser could not analyse: ^surface/*surface$
_UNKNOWN_UNIT_RE = re.compile(r"(?<!\\)\^((?:\\.|[^\\/$^\[\]])*)/\*")
_UNESCAPE_RE = re.compile(r"\\(.)")
_MARK_RE = re.compile(r"[*#@]\w")  # may be escaped: then _stream_tokens finds no mark there


def unknown_in_analysis(stream: str) -> list[str]:
    """The surface forms a morphological analyser (``lt-proc`` on a mode's automorf.bin) left
    unknown, in order: ``^trafficked/*trafficked$`` → "trafficked"."""
    words: list[str] = []
    for m in _UNKNOWN_UNIT_RE.finditer(stream):
        words += _WORD_RE.findall(_UNESCAPE_RE.sub(r"\1", m.group(1)))
    return words


def marked_words(stream: str) -> list[str]:
    """The words an Apertium stage marked as unknown or in error (``*word``, ``#word``,
    ``@word``) in translated stream output, in order."""
    if not _MARK_RE.search(stream):
        return []  # most answers: no mark at all
    words: list[str] = []
    marked = False
    for kind, value in _stream_tokens(stream):
        if kind == "mark":
            marked = True
            continue
        if marked and kind == "text":
            first = _WORD_RE.match(value)
            if first:
                words.append(first.group())
        marked = False
    return words


def strip_stream_marks(stream: str) -> str:
    """Drop marks but stay in stream format: the output of one leg of a pivot is the next leg's
    input."""
    out: list[str] = []
    i = 0
    n = len(stream)
    while i < n:
        c = stream[i]
        if c == "\\" and i + 1 < n:
            out.append(stream[i : i + 2])
            i += 2
        elif c == "[":
            j = i + 1
            while j < n and stream[j] != "]":
                j += 2 if stream[j] == "\\" else 1
            out.append(stream[i : j + 1])
            i = j + 1
        elif c in _MARKS and i + 1 < n and (stream[i + 1].isalnum() or stream[i + 1] == "_"):
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)
