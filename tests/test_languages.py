"""Language tags (i18n_pipeline.languages): form, CLDR knowledge, Apertium's codes."""

from __future__ import annotations

import pytest

from i18n_pipeline.errors import ConfigError, PipelineError
from i18n_pipeline.languages import (
    base_language,
    cldr_locale,
    fallback_tags,
    is_known_language,
    is_valid_tag,
    iso639_1,
    iso639_3,
    language_name,
    plural_forms,
    posix_tag,
)

# -- the form of a tag --------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["es", "fr", "ast", "es-MX", "pt_BR", "sr-Latn-RS", "es-419"])
def test_valid_tags(tag: str) -> None:
    assert is_valid_tag(tag)


@pytest.mark.parametrize("tag", ["", "e", "spanish", "ES", "Es-mx", "es-", "es_M", "es MX", "es-MX!"])
def test_invalid_tags(tag: str) -> None:
    assert not is_valid_tag(tag)


def test_language_codes_are_normalised_for_matching() -> None:
    assert base_language("es-ES") == "es"
    assert base_language("es_ES") == "es"
    assert base_language("FR") == "fr"
    assert base_language(" pt_BR.UTF-8 ") == "pt"
    assert base_language("sr@latin") == "sr"
    with pytest.raises(PipelineError, match="language code"):
        base_language("Spanish!")
    with pytest.raises(PipelineError, match="not a language code"):
        base_language("")


def test_posix_tags_and_fallbacks() -> None:
    assert posix_tag("pt-BR") == "pt_BR"
    assert posix_tag("sr-Latn-RS") == "sr_Latn_RS"
    assert posix_tag("es") == "es"
    assert fallback_tags("es-MX") == ("es_MX", "es")
    assert fallback_tags("pt_BR") == ("pt_BR", "pt")
    assert fallback_tags("es") == ("es",)


# -- CLDR ---------------------------------------------------------------------------------------


def test_helpers() -> None:  # moved from test_localise.py
    assert language_name("es") == "español"
    assert language_name("fr", "es") == "francés"
    assert is_known_language("es") and is_known_language("pt_BR") and is_known_language("es-MX")
    assert not is_known_language("src") and not is_known_language("xx")


def test_language_names() -> None:
    assert language_name("pt-BR", "en") == "Portuguese (Brazil)"
    assert language_name("xx") == "xx"  # unknown code: as it is
    with pytest.raises(ConfigError, match="CLDR does not know"):
        language_name("es", "xx")


def test_known_languages_need_cldr_data_not_only_a_shape() -> None:
    assert is_known_language("es-419") and is_known_language("sr_Latn")
    assert not is_known_language("ES") and not is_known_language("es_mx") and not is_known_language("es-MX-x")


def test_cldr_locale_accepts_both_separators() -> None:
    assert str(cldr_locale("pt-BR")) == str(cldr_locale("pt_BR")) == "pt_BR"
    with pytest.raises(ConfigError) as info:
        cldr_locale("xx")
    assert info.value.where == "language"
    assert info.value.what.startswith("CLDR does not know the language code 'xx' (")


def test_plural_forms_come_from_cldr() -> None:
    assert plural_forms("en") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("fr").startswith("nplurals=3;")  # CLDR 4x: "1 million de", a third form
    assert plural_forms("ja") == "nplurals=1; plural=0;"
    assert plural_forms("pt-BR") == plural_forms("pt_BR")
    with pytest.raises(ConfigError, match="'xx-nonsense'"):
        plural_forms("xx-nonsense")


# -- engine codes -------------------------------------------------------------------------------


def test_apertium_codes_map_both_ways() -> None:
    assert iso639_1("spa") == "es" and iso639_1("eng") == "en" and iso639_1("fra") == "fr"
    assert iso639_3("es") == "spa" and iso639_3("ca") == "cat"
    assert iso639_1("es") == "es" and iso639_3("spa") == "spa"  # already in the other form
    assert iso639_1("ast") == "ast" and iso639_3("ast") == "ast"  # no two-letter code
    for code in ("es", "en", "fr", "ca", "pt", "gl", "it", "sh", "nb", "nn"):
        assert iso639_1(iso639_3(code)) == code
