"""Checks on the words of a translation: text left in the source language, words that are not
words of the target language (a real dictionary: ``dictionary.py``), and the words the engine
itself said it did not know."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from i18n_pipeline.catalog import unknown_words_of
from i18n_pipeline.checks.registry import CheckContext, check, lazy_pattern
from i18n_pipeline.dictionary import dictionary_for
from i18n_pipeline.glossary import Glossary
from i18n_pipeline.languages import language_name
from i18n_pipeline.model import PLACEHOLDER_RE, Severity
from i18n_pipeline.segment import EMAIL_PATTERN, URL_PATTERN

__all__ = ["check_engine_unknown_words", "check_untranslated", "check_words", "words_to_check"]

_word_re = lazy_pattern(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_mask_re = lazy_pattern(f"{PLACEHOLDER_RE.pattern}|{URL_PATTERN}|{EMAIL_PATTERN}|www\\.\\S+", re.IGNORECASE)
_OPENERS = set(".!?…:¿¡«\"“„(—–-")
_abbreviation_re = lazy_pattern(r"[^\W\d_]{1,3}(?:\.[^\W\d_]{1,3})+\.?")


def _masked(text: str) -> str:
    return _mask_re().sub(lambda m: " " * len(m.group()), text)


def _plain_words(text: str) -> list[str]:
    return [w.lower() for w in _word_re().findall(_masked(text))]


# --- untranslated -------------------------------------------------------------------------------


@check("untranslated", Severity.FUNCTIONAL)
def check_untranslated(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """The translation is the source text, or nearly all of its words are the source's: an
    English sentence left as the translation.

    Names, acronyms and titles that stay as they are ("Chiapas", "IOM Mexico" → "OIM México")
    are not reported: only a translation that repeats lower-case words of the source. A
    translator who keeps the English on purpose (a quotation) adds the flag ignore-untranslated.
    Functional: the reader gets English inside a Spanish page.
    """
    words = _plain_words(source)
    lower = [w for w in _word_re().findall(_masked(source)) if w[:1].islower() and len(w) > 1]
    if not lower:
        return []
    if " ".join(target.split()) == " ".join(source.split()):
        return ["the translation is the source text; translate it"]
    got = _plain_words(target)
    if len(got) >= 4 and len(words) >= 4:
        shared = sum(1 for w in got if w in set(words))
        if shared >= 0.8 * len(got):
            return [
                f"{shared} of the translation's {len(got)} words are the source's: it is still in the "
                "source language; translate it"
            ]
    return []


# --- words of the target language ---------------------------------------------------------------


@lru_cache(maxsize=64)
def _glossary_words(glossary: Glossary | None, language: str) -> frozenset[str]:
    """Words of the glossary's approved translations and names: right by definition."""
    if glossary is None:
        return frozenset()
    words: set[str] = set()
    for term in glossary.terms:
        texts = [term.source] if term.keep else [t for t in (term.target(language), term.target(language, plural=True)) if t]
        for text in texts:
            words.update(w.lower() for w in _word_re().findall(text))
    return frozenset(words)


def words_to_check(source: str, target: str) -> list[str]:
    """The words of ``target`` a dictionary should know, in order.

    Left out (measured: they are where dictionaries flag correct text): addresses and
    placeholders, words with digits, acronyms, single letters, short units after a number,
    dotted abbreviations, capitalised words inside a sentence (names), and capitalised words
    the source writes capitalised too (a name that opens the sentence).
    """
    text = _masked(target)
    source_capitalised = {w for w in _word_re().findall(_masked(source)) if w[:1].isupper()}
    out: list[str] = []
    previous_end = 0
    previous_digit = False
    last = ""  # the last character before this token that is not a space
    for m in re.finditer(r"\S+", text):
        token = m.group()
        initial = not last or last in _OPENERS
        last = token[-1]
        after_number = previous_digit and m.start() - previous_end <= 1
        previous_digit = any(c.isdigit() for c in token)
        previous_end = m.end()
        if previous_digit or _abbreviation_re().fullmatch(token.strip(".,;:!?()«»\"“”'")):
            continue
        for w in _word_re().finditer(token):
            word = w.group()
            letters = [c for c in word if c.isalpha()]
            if len(letters) < 2 or all(c.isupper() for c in letters):
                continue  # a letter, an acronym
            if after_number and len(word) <= 3:
                continue  # a unit: "10 km", "3 h"
            if word[:1].isupper() and (not (initial and w.start() == 0) or word in source_capitalised):
                continue  # a name
            if re.match(r"[^\W\d_]{1,5}['’][A-Z]", word):
                continue  # a name after an elided article: "l'ADT", "d’Hawaii"
            out.append(word)
    return out


@check("words", Severity.FUNCTIONAL)
def check_words(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Words that are not words of the target language, found with the language's Hunspell
    dictionary: an English word the engine left ("las personas son trafficked"), a Spanish
    word the Spanish pivot left in French ("acrónimo"), a misspelling, a wrong inflection.

    Names are not checked (capitalised words inside a sentence), nor words of the glossary's
    translations and names. Functional, as Weblate and pofilter rank spelling: the sentence
    reads, but a word is wrong. Translate the word; a correct word the dictionary lacks (a rare
    term) is silenced on its entry with the flag ignore-words. Needs the dictionary package
    (Debian hunspell-es, hunspell-fr); without one the check is skipped with a warning.
    """
    if not context.language:
        return []
    dictionary = dictionary_for(context.language)
    if dictionary is None:
        return []
    allowed = _glossary_words(context.glossary, context.language)
    unknown = [w for w in dict.fromkeys(words_to_check(source, target)) if w.lower() not in allowed and not dictionary.known(w)]
    if not unknown:
        return []
    listed = ", ".join(f'"{w}"' for w in unknown)
    return [
        f"not {language_name(context.language, 'en')} words: {listed}; translate them "
        "(a correct word the dictionary lacks: add the flag ignore-words)"
    ]


# --- what the engine said it did not know ---------------------------------------------------------


@check("engine-unknown-words", Severity.FUNCTIONAL)
def check_engine_unknown_words(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Words the engine itself did not know, as its machine-translation comment lists them
    ("unknown words: trafficked"), and that are still in the translation.

    The engine passed them through untranslated, so they are most likely English (or, for
    French made through Spanish, Spanish). Once the translation no longer holds them, the
    check is quiet. Functional, like the dictionary check.
    """
    lowered = target.lower()
    left = [w for w in unknown_words_of(context.comments)
            if re.search(rf"(?<!\w){re.escape(w.lower())}(?!\w)", lowered)]
    if not left:
        return []
    listed = ", ".join(f'"{w}"' for w in left)
    return [f"the engine did not know {listed} and left {'it' if len(left) == 1 else 'them'} untranslated; translate it"]
