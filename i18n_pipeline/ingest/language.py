"""The language of a text, with lingua (a handful of languages loaded: fast to start), and the
links of a release whose titles are in another language."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from i18n_pipeline.ingest.shared import split_words

__all__ = ["confidently_other", "detect_language", "mark_link_languages"]

log = logging.getLogger(__name__)

_DETECTED_LANGUAGES = ("en", "es", "fr", "pt", "de", "it", "nl", "ca")


def detect_language(text: str, source_language: str = "en") -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell."""
    if len(split_words(text)) < 3:
        return None
    detector = _detector(tuple(sorted({*_DETECTED_LANGUAGES, source_language})))
    found = detector.detect_language_of(text[:20000])
    return found.iso_code_639_1.name.lower() if found is not None else None


def confidently_other(text: str, source_language: str = "en") -> bool:
    """Whether a line is beyond doubt in another language than ``source_language``: lingua gives
    another language at least 0.75 and the source language under 0.05 (a name or a quotation
    that mixes languages stays)."""
    detector = _detector(tuple(sorted({*_DETECTED_LANGUAGES, source_language})))
    values = detector.compute_language_confidence_values(text[:2000])
    if not values:
        return False
    confidence = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
    top = max(confidence, key=confidence.__getitem__)
    return bool(top != source_language and confidence[top] >= 0.75 and confidence.get(source_language, 0.0) < 0.05)


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> Any:
    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError):
            log.debug("language %s is not known to lingua", code)
    return LanguageDetectorBuilder.from_languages(*languages).build()


def mark_link_languages(metadata: dict[str, Any], source_language: str) -> None:
    """Give a link whose title is in another language a ``lang`` key: it is not translated."""
    for link in metadata.get("links") or []:
        if isinstance(link, dict) and isinstance(link.get("title"), str):
            lang = detect_language(link["title"], source_language)
            if lang is not None and lang != source_language:
                link["lang"] = lang
