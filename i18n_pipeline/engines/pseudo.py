"""Pseudo-localisation: a deterministic stand-in engine for tests and layout checks.

"The text" becomes "[Ţĥé ţéxţ]": every letter that has an accented look-alike is replaced, the
text is bracketed so truncation shows, and placeholders pass through untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from i18n_pipeline.model import PLACEHOLDER_RE

__all__ = ["PseudoEngine", "pseudo_localise"]

_TABLE = str.maketrans(
    "aceghijklnorstuwyzACEGHIJKLNORSTUWYZ",
    "áçéĝĥíĵķļñóŕšţúŵýžÁÇÉĜĤÍĴĶĻÑÓŔŠŢÚŴÝŽ",
)


def pseudo_localise(text: str, brackets: bool = True) -> str:
    """Accent the letters of ``text`` outside placeholders; keep surrounding whitespace."""
    core = text.strip()
    if not core:
        return text
    parts: list[str] = []
    pos = 0
    for match in PLACEHOLDER_RE.finditer(core):
        parts.append(core[pos : match.start()].translate(_TABLE))
        parts.append(match.group(0))
        pos = match.end()
    parts.append(core[pos:].translate(_TABLE))
    body = "".join(parts)
    if brackets:
        body = f"[{body}]"
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead + body + trail


class PseudoEngine:
    """Engine protocol over :func:`pseudo_localise`; supports every pair."""

    name = "pseudo"

    def __init__(self, brackets: bool = True) -> None:
        self.brackets = brackets

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [pseudo_localise(text, self.brackets) for text in texts]

    def describe(self, source: str, target: str) -> str:
        return "pseudo"

    def supports(self, source: str, target: str) -> bool:
        return True

    def close(self) -> None:
        pass

    def __enter__(self) -> PseudoEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
