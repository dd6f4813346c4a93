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
    ones opened before they close and holding words when the source's do. Returns the text and
    whether anything had to be repaired."""
    wanted = placeholder_tokens(source)
    found = placeholder_tokens(output)
    pairs = _paired(source)
    repaired = output if found == wanted or tokens_match(wanted, found) else _reorder(wanted, pairs, output)
    repaired = _refill_emptied_pairs(source, pairs, repaired)
    if repaired != output:  # a pair the engine moved: white space at its edges goes outside it
        for number in pairs:
            repaired = re.sub(rf"<{number}>(\s+)", rf"\1<{number}>", repaired)
            repaired = re.sub(rf"(\s+)</{number}>", rf"</{number}>\1", repaired)
        # ... but not out of the text: a repair adds no white space at either end of it.
        lead, trail = output[: len(output) - len(output.lstrip())], output[len(output.rstrip()) :]
        repaired = lead + repaired.strip() + trail
    return repaired, repaired != output


def _paired(source: str) -> list[str]:
    """The numbers of the source's paired placeholders, in order."""
    return [m.group(2) for m in PLACEHOLDER_RE.finditer(source) if not (m.group(1) or m.group(3))]


def _reorder(wanted: list[str], pairs: list[str], output: str) -> str:
    """Each placeholder of the source once (the first the engine gave, or appended), pairs
    opened before they close."""
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
    for number in pairs:
        opening, closing = f"<{number}>", f"</{number}>"
        a, b = repaired.find(opening), repaired.find(closing)
        if 0 <= b < a:
            repaired = (
                repaired[:b] + opening + repaired[b + len(closing) : a] + closing
                + repaired[a + len(opening) :]
            )
    return repaired


_WORD = r"[^\W_](?:[\w'’-]*\w)?"  # a word, with its inner apostrophes and hyphens
_BETWEEN = r"(?:\s|<\d+/>)*"  # white space and standalone placeholders (an image, a break)
_WORD_AFTER_RE = re.compile(rf"({_BETWEEN})({_WORD})")
_WORD_BEFORE_RE = re.compile(rf"({_WORD})({_BETWEEN})\Z")


def _refill_emptied_pairs(source: str, pairs: list[str], text: str) -> str:
    """A pair whose words the engine moved out of it (Apertium: "the <1>department's</1>
    inspector" -> "el inspector del<1>  </1>departamento") would be an empty, invisible link on
    the page: it takes the word after it, else the word before it ("del <1>departamento</1>");
    standalone placeholders in between stay where they were, outside the pair."""
    for number in pairs:
        opening, closing = f"<{number}>", f"</{number}>"
        inside = re.search(rf"{opening}(.*?){closing}", source, re.S)
        if inside is None or not re.search(r"\w", PLACEHOLDER_RE.sub("", inside.group(1))):
            continue  # the source's pair holds no words itself
        empty = re.search(rf"{opening}({_BETWEEN}){closing}", text)
        if empty is None:
            continue
        inner = empty.group(1)
        standalone = "".join(m.group(0) for m in PLACEHOLDER_RE.finditer(inner))
        before, after = text[: empty.start()] + standalone, text[empty.end() :]
        blank = inner != standalone  # it held white space
        word = _WORD_AFTER_RE.match(after)
        if word is not None:
            skipped = word.group(1)
            if not before or before[-1:].isspace():  # at the start, or a space before it already
                skipped = skipped.lstrip()
            elif blank and before and not skipped[:1].isspace():
                skipped = " " + skipped  # the pair's white space, kept once
            text = before + skipped + opening + word.group(2) + closing + after[word.end() :]
            continue
        word = _WORD_BEFORE_RE.search(before)
        if word is not None:
            # The white space that parted the word from the empty pair goes with it ("rojo <1></1>.").
            text = before[: word.start()] + opening + word.group(1) + closing + word.group(2).rstrip() + after
    return text


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
