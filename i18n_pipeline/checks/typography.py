"""Checks of form: spaces, sentence-final punctuation, doubled words, French typography, and a
length far from the source's."""

from __future__ import annotations

import re
from collections.abc import Iterable

from i18n_pipeline.checks.registry import CheckContext, check, lazy_pattern
from i18n_pipeline.model import PLACEHOLDER_RE, Severity
from i18n_pipeline.segment import EMAIL_PATTERN, URL_PATTERN

__all__ = [
    "check_double_space",
    "check_doubled_words",
    "check_french_typography",
    "check_length",
    "check_punctuation",
    "check_whitespace",
]


@check("whitespace", Severity.COSMETIC)
def check_whitespace(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Leading and trailing spaces and line breaks must be the source's: they are part of the
    layout the translation is spliced into. Cosmetic, as pofilter's "startwhitespace" and
    "endwhitespace". Remove (or add) them to match the source."""
    messages = []
    for where, src, tgt in (
        ("leading", source[: len(source) - len(source.lstrip())], target[: len(target) - len(target.lstrip())]),
        ("trailing", source[len(source.rstrip()) :], target[len(target.rstrip()) :]),
    ):
        if src != tgt:
            messages.append(f"{where} white space differs: source {src!r}, translation {tgt!r}; match the source")
    return messages


# What ends a sentence, once closing quotes, brackets and placeholders are set aside.
_tail_re = lazy_pattern(r"(?:\s|</\d+>|<\d+/>|[\"'”’»)\]])*\Z")
_FINAL = {".": ".", "…": "…", "...": "…", "!": "!", "?": "?", ":": ":", ";": ";"}


def _final_punctuation(text: str) -> str:
    body = text[: _tail_re().search(text).start()]  # type: ignore[union-attr]  # \Z always matches
    if body.endswith("..."):
        return "…"
    last = body[-1:]
    return _FINAL.get(last, "")


@check("punctuation", Severity.COSMETIC)
def check_punctuation(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """The translation ends as the source does: with a full stop, a question or exclamation
    mark, a colon, or nothing (a headline).

    Closing quotes, brackets and placeholders after the mark do not count; a sentence (eight
    words or more) whose source lacks its full stop may get one. Cosmetic, as pofilter's
    "endpunc": a lost full stop is untidy, rarely misleading.
    """
    want, got = _final_punctuation(source), _final_punctuation(target)
    if want == got or (not want and got == "." and len(source.split()) >= 8):
        return []  # a sentence whose source lacks its full stop may get one
    def name(mark: str) -> str:
        return repr(mark) if mark else "no punctuation"
    return [f"the source ends with {name(want)}, the translation with {name(got)}; end it as the source does"]


_double_space_re = lazy_pattern(r"(?<=\S) {2,}(?=\S)")


@check("double-space", Severity.COSMETIC)
def check_double_space(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Two or more spaces between words where the source has none: a slip of the keyboard or an
    engine joining pieces. Browsers hide it, but PDFs, e-mails and plain-text feeds do not."""
    if _double_space_re().search(target) and not _double_space_re().search(source):
        return ["the translation has a doubled space between words; remove one"]
    return []


_doubled_word_re = lazy_pattern(r"(?<!\w)([^\W\d_]+)\s+\1(?!\w)", re.IGNORECASE)
# Doubled words that are grammar: French reflexives ("nous nous sommes"), Spanish "que que" is not.
_GRAMMATICAL_DOUBLES = frozenset({"nous", "vous"})


@check("doubled-words", Severity.COSMETIC)
def check_doubled_words(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """The same word twice in a row ("de de", "la la"), unless the source doubles it too or the
    language's grammar does (French "nous nous", "vous vous"). Cosmetic, as pofilter's
    "doublewords": a slip a reader notices, not one that changes the meaning."""
    in_source = {m.group(1).lower() for m in _doubled_word_re().finditer(source)}
    doubled = [
        m.group(1) for m in _doubled_word_re().finditer(PLACEHOLDER_RE.sub(" ", target))
        if m.group(1).lower() not in in_source and m.group(1).lower() not in _GRAMMATICAL_DOUBLES
    ]
    if not doubled:
        return []
    return [f"doubled word {', '.join(repr(w) for w in dict.fromkeys(doubled))}; remove one"]


_address_re = lazy_pattern(f"{URL_PATTERN}|{EMAIL_PATTERN}|{PLACEHOLDER_RE.pattern}")
_NO_BREAK = "\u00a0\u202f"
# A high mark (; : ! ?) after a letter, a closing quote or bracket, with no space or a plain one.
_high_mark_re = lazy_pattern(r"(?<=[^\W\d_\)\]»”’'\"]) ?([;:!?])(?=\s|$|[\"»”)])")
_guillemet_re = lazy_pattern(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»")


@check("french-typography", Severity.COSMETIC)
def check_french_typography(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """French typography: a non-breaking space (U+00A0, or the narrow U+202F) before ; : ! ?
    and inside « », so that a line never starts with the mark. Only for French targets.

    Times and addresses ("10:30", "https://") are left alone. Cosmetic: the text reads, but
    wraps wrongly and looks foreign to a French reader. Poedit types U+00A0 with Alt+Space
    (Option+Space on a Mac).
    """
    if context.language.split("_")[0].split("-")[0] != "fr":
        return []
    text = _address_re().sub(lambda m: "\ufffc" * len(m.group()), target)
    marks = [m.group(1) for m in _high_mark_re().finditer(text)]
    guillemets = _guillemet_re().findall(text)
    messages = []
    if marks:
        messages.append(
            f"no non-breaking space before {' '.join(f'{m!r}' for m in dict.fromkeys(marks))}; "
            "put U+00A0 (or U+202F) before the mark"
        )
    if guillemets:
        messages.append("no non-breaking space inside « »; put U+00A0 after « and before »")
    return messages


# Bounds of target/source length measured on human translations (bench/checks_false_positives.py):
# FLORES and WMT references in Spanish and French fall outside them on well under 1 % of sentences.
LENGTH_MIN_RATIO = 0.5
LENGTH_MAX_RATIO = 2.2
LENGTH_MIN_SOURCE = 30  # characters: short texts (titles, names) vary too much to judge


@check("length", Severity.FUNCTIONAL)
def check_length(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """A translation much shorter or much longer than its source has most likely lost or gained
    a clause: below half or above 2.2 times the source's length (in characters, placeholders
    not counted), for sources of 30 characters or more.

    The bounds are measured on human translations into Spanish and French, which stay inside
    them for all but a few sentences in a thousand. Functional, as pofilter's "long" and
    "short": a lost clause changes what the release says.
    """
    src = len(" ".join(PLACEHOLDER_RE.sub("", source).split()))
    tgt = len(" ".join(PLACEHOLDER_RE.sub("", target).split()))
    if src < LENGTH_MIN_SOURCE or tgt == 0:
        return []
    ratio = tgt / src
    if LENGTH_MIN_RATIO <= ratio <= LENGTH_MAX_RATIO:
        return []
    side = "shorter" if ratio < LENGTH_MIN_RATIO else "longer"
    return [
        f"the translation is {ratio:.1f} times the source's length, much {side} than usual; "
        "check that nothing was lost or added"
    ]
