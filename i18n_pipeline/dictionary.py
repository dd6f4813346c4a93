"""Words of a language: Hunspell dictionaries (Debian's hunspell-es, hunspell-fr …) through
pyenchant, in process. The only module that imports enchant.

Measured before choosing (README, "QA checks"; ``bench/checks_on_references.py``): Hunspell flags
far fewer correct words of human translations than Apertium's own analyser (which lacks many
common words) with about the same recall on English or Spanish words left in a translation, and
it catches the engine's generation errors ("quelqu'uns").

What counts as known, beyond the dictionary's own answer: a French elided article or pronoun is
dropped before lookup ("l'assistance" → "assistance"); French "oe" may be the ligature "œ"
(Apertium writes "oeuvre"); a hyphenated word is known when every part is. Verdicts are cached
per word type.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import Any

from i18n_pipeline.languages import posix_tag

__all__ = ["Dictionary", "dictionary_for"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _enchant() -> tuple[Any, str]:
    """pyenchant and "", or None and why not (libenchant-2 missing: the words check says so and
    is skipped). Imported when first needed: ≈ 35 ms a process that checks no words pays."""
    try:
        import enchant  # type: ignore[import-untyped]  # pyenchant ships no type information
    except ImportError as error:
        return None, str(error)
    return enchant, ""

_FRENCH_ELISION_RE = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)", re.IGNORECASE)
_DEBIAN_PACKAGES = {"es": "hunspell-es", "fr": "hunspell-fr", "de": "hunspell-de-de", "pt": "hunspell-pt-pt", "it": "hunspell-it"}


class Dictionary:
    """The words of one language. ``known(word)`` is thread-safe and cached."""

    def __init__(self, tag: str, checker: object) -> None:
        self.tag = tag  # the dictionary's own tag, e.g. "es_ES"
        self._checker = checker
        self._language = tag.split("_")[0]
        self._cache: dict[str, bool] = {}
        self._lock = threading.Lock()

    def _check(self, word: str) -> bool:
        cached = self._cache.get(word)
        if cached is None:
            with self._lock:
                cached = bool(self._checker.check(word))  # type: ignore[attr-defined]
            self._cache[word] = cached
        return cached

    def _known_form(self, word: str) -> bool:
        if self._check(word):
            return True
        return self._language == "fr" and "oe" in word.lower() and self._check(
            word.replace("oe", "œ").replace("Oe", "Œ").replace("OE", "Œ")
        )

    def known(self, word: str) -> bool:
        """Whether ``word`` is a word of the language (typographic apostrophes allowed)."""
        word = word.replace("’", "'").strip("'")
        if self._language == "fr":
            word = _FRENCH_ELISION_RE.sub("", word)
        if not word or self._known_form(word):
            return True
        parts = [p for p in word.split("-") if p]
        return len(parts) > 1 and all(self._known_form(p) for p in parts)


def _candidate_tags(language: str) -> list[str]:
    tag = posix_tag(language)
    base = tag.split("_")[0]
    return list(dict.fromkeys([tag, f"{base}_{base.upper()}", base]))


@lru_cache(maxsize=16)
def dictionary_for(language: str) -> Dictionary | None:
    """The Hunspell dictionary of ``language`` ("es" → es_ES, "pt_BR" → pt_BR), or None (with
    a warning naming the package to install) when there is none."""
    base = posix_tag(language).split("_")[0]
    package = _DEBIAN_PACKAGES.get(base, f"hunspell-{base}")
    enchant, missing = _enchant()
    if enchant is None:
        log.warning("no dictionaries (%s): the 'words' check is skipped; install libenchant-2-2 and %s",
                    missing, package)
        return None
    broker = enchant.Broker()
    broker.set_ordering("*", "hunspell,aspell,myspell")
    available = broker.list_languages()
    tags = [t for t in _candidate_tags(language) if t in available]
    tags += sorted(t for t in available if t.split("_")[0] == base and t not in tags)
    if not tags:
        log.warning("no Hunspell dictionary for %r: the 'words' check is skipped for it; install %s",
                    language, package)
        return None
    return Dictionary(tags[0], broker.request_dict(tags[0]))
