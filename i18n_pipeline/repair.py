"""An engine's output made whole again: every placeholder of the source exactly once, pairs
opened before they close, none emptied of its words (``restore_placeholders``), and the spaces
engines put into placeholders undone (``tidy_loose_placeholders``). Every engine uses these;
comparing placeholders is segment.py's."""

from __future__ import annotations

import re

from i18n_pipeline.model import PLACEHOLDER_RE
from i18n_pipeline.segment import placeholder_tokens, tokens_match

__all__ = ["restore_placeholders", "tidy_loose_placeholders"]


def restore_placeholders(source: str, output: str) -> tuple[str, bool]:
    """Make every placeholder of ``source`` appear exactly once in an engine's ``output``, paired
    ones opened before they close. Returns the text and whether anything had to be repaired."""
    wanted = placeholder_tokens(source)
    found = placeholder_tokens(output)
    if found == wanted or tokens_match(wanted, found):
        return output, False
    want_set = set(wanted)
    seen: set[str] = set()

    def keep_first(match: re.Match[str]) -> str:
        token = match.group(0)
        if token not in want_set or token in seen:
            return ""  # invented or duplicated by the engine
        seen.add(token)
        return token

    repaired = PLACEHOLDER_RE.sub(keep_first, output)
    missing = [t for t in wanted if t not in seen]
    if missing:
        repaired = repaired.rstrip() + "".join(missing)
    # Swap paired placeholders that came back closed before opened.
    for match in PLACEHOLDER_RE.finditer(source):
        if match.group(1) or match.group(3):
            continue
        opening, closing = match.group(0), f"</{match.group(2)}>"
        a, b = repaired.find(opening), repaired.find(closing)
        if 0 <= b < a:
            repaired = (
                repaired[:b] + opening + repaired[b + len(closing) : a] + closing
                + repaired[a + len(opening) :]
            )
    return repaired, True


# Placeholders as engines tend to give them back: "< 1 >", "</ 1>", "<1 />".
_LOOSE_PLACEHOLDER_RE = re.compile(r"<\s*(/?)\s*(\d+)\s*(/?)\s*>")


def tidy_loose_placeholders(source: str, output: str) -> str:
    """Undo the spaces engines put into our placeholders ("< 1 >"), only for placeholders
    ``source`` has: a literal "< 5 >" in the text stays as it is."""
    wanted = set(placeholder_tokens(source))

    def tidy(match: re.Match[str]) -> str:
        token = f"<{match.group(1)}{match.group(2)}{match.group(3)}>"
        return token if token in wanted else match.group(0)

    return _LOOSE_PLACEHOLDER_RE.sub(tidy, output)
