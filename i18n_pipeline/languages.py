"""Language tags: the one home for what the pipeline knows about them.

* the form of a tag: :func:`is_valid_tag` (what ``pipeline.yaml`` accepts), :func:`base_language`
  (the ISO 639 base that matching uses: "es-ES", "es_ES" -> "es"), :func:`posix_tag`
  ("pt-BR" -> "pt_BR", the form CLDR and gettext use) and :func:`fallback_tags`;
* CLDR, as shipped with babel: :func:`is_known_language`, :func:`language_name`,
  :func:`cldr_locale` and :func:`plural_forms`;
* engine codes: ISO 639-1 <-> the ISO 639-3 codes Apertium uses in its mode and package names
  (:func:`iso639_1`, :func:`iso639_3`).

Tags are passed around as the user wrote them ("es", "es-MX", "pt_BR"); each function here says
which form it returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from babel import Locale, UnknownLocaleError, localedata

from i18n_pipeline.errors import ConfigError, PipelineError

__all__ = [
    "base_language",
    "cldr_locale",
    "fallback_tags",
    "is_known_language",
    "is_territory_name",
    "is_valid_tag",
    "iso639_1",
    "iso639_3",
    "language_name",
    "matching_language",
    "plural_forms",
    "posix_tag",
]

# A language, then subtags (region, script, variant) joined by "-" or "_".
_TAG_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_BASE_RE = re.compile(r"[a-z]{2,3}")
# What CLDR names: a language, optionally with a region ("MX", "419") or a script ("Latn").
_CLDR_RE = re.compile(r"[a-z]{2,3}(?:[_-](?:[A-Z]{2}|\d{3}|[A-Z][a-z]{3}))?")

# ISO 639-1 <-> the ISO 639-3 codes Apertium uses in mode names (either may appear).
_ISO3_TO_ISO1: dict[str, str] = {
    "afr": "af", "arg": "an", "ara": "ar", "bel": "be", "bul": "bg", "bre": "br", "cat": "ca",
    "ces": "cs", "cym": "cy", "dan": "da", "deu": "de", "ell": "el", "eng": "en", "epo": "eo",
    "spa": "es", "est": "et", "eus": "eu", "fin": "fi", "fra": "fr", "fao": "fo", "gle": "ga",
    "glg": "gl", "heb": "he", "hin": "hi", "hrv": "hr", "hbs": "sh", "hun": "hu", "ind": "id",
    "isl": "is", "ita": "it", "kaz": "kk", "kir": "ky", "lat": "la", "lit": "lt", "lav": "lv",
    "mkd": "mk", "msa": "ms", "mlt": "mt", "nob": "nb", "nld": "nl", "nno": "nn", "oci": "oc",
    "pol": "pl", "por": "pt", "ron": "ro", "rus": "ru", "slk": "sk", "slv": "sl", "sme": "se",
    "sqi": "sq", "srp": "sr", "swe": "sv", "tat": "tt", "tur": "tr", "ukr": "uk", "urd": "ur",
    "uzb": "uz", "zho": "zh",
}  # fmt: skip
_ISO1_TO_ISO3: dict[str, str] = {v: k for k, v in _ISO3_TO_ISO1.items()}


# --- the form of a tag -------------------------------------------------------------------------


def is_valid_tag(tag: str) -> bool:
    """Whether ``tag`` looks like a language tag: "es", "es-MX", "pt_BR", "sr-Latn-RS"."""
    return _TAG_RE.match(tag) is not None


def primary_subtag(tag: str) -> str:
    """The first part of a tag, lower case, whatever the tag holds: "es-MX" -> "es"."""
    return re.split(r"[-_.@]", tag.strip(), maxsplit=1)[0].lower()


@lru_cache(maxsize=256)  # asked for each sentence (memory look-ups): a tag is worked out once
def base_language(tag: str) -> str:
    """The ISO 639 base of a language tag, for matching: "es-ES", "es_ES", "ES" -> "es"."""
    base = primary_subtag(tag)
    if not _BASE_RE.fullmatch(base):
        raise PipelineError(
            "language code",
            f"{tag!r} is not a language code",
            "use an ISO 639-1 code such as 'es', optionally with a region ('es-ES')",
        )
    return base


def posix_tag(tag: str) -> str:
    """The tag with "_" between its parts, as CLDR and gettext write it: "pt-BR" -> "pt_BR"."""
    return tag.replace("-", "_")


def fallback_tags(tag: str) -> tuple[str, ...]:
    """Where to look for something in ``tag``'s language, most specific first:
    "es-MX" -> ("es_MX", "es"); "es" -> ("es",)."""
    full = posix_tag(tag)
    base = full.split("_")[0]
    return (full,) if base == full else (full, base)


def matching_language(tag: str, choices: Sequence[str]) -> str | None:
    """The one of ``choices`` a file's ``tag`` means: the same tag ("es-ES" is "es_ES"), else the
    only choice of its base language ("es-ES" is "es"); None when there is none, or several."""
    exact = [c for c in choices if posix_tag(c).lower() == posix_tag(tag).lower()]
    if exact:
        return exact[0]
    try:
        base = base_language(tag)
    except PipelineError:
        return None
    close = [c for c in choices if base_language(c) == base]
    return close[0] if len(close) == 1 else None


def is_territory_name(name: str) -> bool:
    """Whether CLDR calls a country or territory ``name`` in English, Spanish or French ("Mexico",
    "México", "Mexique"): a dateline's place, unlike a section label ("Investment")."""
    return name.casefold() in _territory_names()


@lru_cache(maxsize=1)
def _territory_names() -> frozenset[str]:
    return frozenset(name.casefold() for lang in ("en", "es", "fr") for name in Locale(lang).territories.values())


# --- CLDR --------------------------------------------------------------------------------------


def is_known_language(code: str) -> bool:
    """Whether CLDR (as shipped with babel) knows ``code`` ("es", "fr", "pt_BR", "es-MX").

    Aliases do not count: "src" is not taken for Sardinian ("sc").
    """
    if not _CLDR_RE.fullmatch(code):
        return False
    try:
        locale = Locale.parse(posix_tag(code))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return locale.language == code[: len(locale.language)] and localedata.exists(str(locale))


@lru_cache(maxsize=64)  # parsing one costs more than rendering the entity it is asked for
def cldr_locale(tag: str) -> Locale:
    """CLDR's locale for ``tag`` ("pt-BR" and "pt_BR" alike).

    Raises ConfigError when CLDR does not know the tag; its ``what`` carries babel's reason.
    """
    try:
        return Locale.parse(posix_tag(tag))
    except (UnknownLocaleError, ValueError) as exc:
        raise _unknown(tag, exc) from exc


def language_name(code: str, display_lang: str | None = None) -> str:
    """CLDR's name of language ``code`` in ``display_lang`` (default: in itself, "español").

    An unknown code is returned as it is; an unknown ``display_lang`` raises ConfigError.
    """
    try:
        locale = Locale.parse(posix_tag(code))
    except (UnknownLocaleError, ValueError):
        return code
    display = cldr_locale(display_lang) if display_lang else locale
    return locale.get_display_name(display) or code


def plural_forms(tag: str) -> str:
    """CLDR's gettext ``Plural-Forms`` rule for ``tag``, e.g. "nplurals=2; plural=(n != 1);".

    Raises ConfigError when CLDR does not know the tag.
    """
    from babel.messages.plurals import get_plural  # ≈ 30 ms (babel.messages): only update pays

    try:
        return str(get_plural(posix_tag(tag)).plural_forms)
    except (UnknownLocaleError, ValueError) as exc:
        raise _unknown(tag, exc) from exc


def _unknown(tag: str, exc: Exception) -> ConfigError:
    return ConfigError(
        "language",
        f"CLDR does not know the language code {tag!r} ({exc})",
        "use a CLDR language code such as 'es', 'fr' or 'pt_BR'",
    )


# --- engine codes ------------------------------------------------------------------------------


def iso639_1(code: str) -> str:
    """The ISO 639-1 code for an ISO 639-3 one Apertium uses ("spa" -> "es"); other codes as
    they are ("es" -> "es", "ast" -> "ast")."""
    return _ISO3_TO_ISO1.get(code, code)


def iso639_3(code: str) -> str:
    """The ISO 639-3 code for an ISO 639-1 one ("es" -> "spa"); other codes as they are."""
    return _ISO1_TO_ISO3.get(code, code)
