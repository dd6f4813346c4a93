"""Scanning Markdown inline source while the Markdown format aligns markdown-it's tokens onto
it: text runs, backtick runs, brackets, link destinations and raw HTML elements whose content is
code (``<script>``). Every function works on a block's inline content and an offset into it, and
raises :class:`AlignError` when the source does not hold what the token says.
"""

from __future__ import annotations

import re

__all__ = ["AlignError", "find_run", "link_tail", "match_text", "matching_bracket", "raw_text_end"]

# Elements whose content is code or another document, never text: one placeholder, start to end.
RAW_TEXT_ELEMENTS = frozenset("script style textarea title xmp iframe noembed noframes noscript template".split())
_OPENING_RE = re.compile(r"<([A-Za-z][\w-]*)")


class AlignError(Exception):
    pass


def raw_text_end(content: str, start: int, tag: str) -> int | None:
    """For an opening tag ``tag`` at ``start`` of a raw-text element (``<script>``), the offset
    just past its closing tag (or the end of the block when it has none); None for any other
    tag."""
    m = _OPENING_RE.match(tag)
    if m is None or m.group(1).lower() not in RAW_TEXT_ELEMENTS or tag.endswith("/>"):
        return None
    closing = re.compile(rf"</{re.escape(m.group(1))}\s*>", re.I).search(content, start + len(tag))
    return closing.end() if closing else len(content)


def match_text(content: str, c: int, expected: str) -> int:
    """Position after ``expected`` in ``content`` from ``c``, allowing dropped whitespace."""
    if content.startswith(expected, c):  # nothing dropped: what the loop below finds, at C speed
        return c + len(expected)
    k = 0
    n = c
    while k < len(expected):
        if n >= len(content):
            raise AlignError("text runs past the block")
        if content[n] == expected[k]:
            n += 1
            k += 1
        elif content[n] in " \t":
            n += 1
        else:
            raise AlignError(f"text {expected!r}")
    return n


def find_run(content: str, run: str, start: int) -> int:
    """The next backtick run exactly as long as ``run``."""
    i = start
    while True:
        i = content.find(run, i)
        if i < 0:
            return -1
        j = i + len(run)
        if (i == 0 or content[i - 1] != "`") and (j >= len(content) or content[j] != "`"):
            return i
        while i < len(content) and content[i] == "`":
            i += 1


def matching_bracket(content: str, i: int) -> int:
    """Index of the ']' closing the '[' at ``i``."""
    depth = 0
    n = i
    while n < len(content):
        ch = content[n]
        if ch == "\\":
            n += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return n
        n += 1
    raise AlignError("unclosed bracket")


def link_tail(content: str, i: int) -> int:
    """End of a link's destination part after its ']' : (url "title"), [ref], [] or nothing."""
    if content[i : i + 1] == "(":
        n = i + 1
        depth = 1
        quote = ""
        while n < len(content):
            ch = content[n]
            if ch == "\\":
                n += 2
                continue
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'" and content[n - 1] in " \t\n":
                quote = ch
            elif ch == "<" and n == i + 1:
                n = content.find(">", n)
                if n < 0:
                    raise AlignError("destination")
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return n + 1
            n += 1
        raise AlignError("unclosed destination")
    if content[i : i + 1] == "[":
        return matching_bracket(content, i) + 1
    return i
