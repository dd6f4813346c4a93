"""The language of what arrives (i18n_pipeline.ingest.language): the body read as another
language than the project's source is a warning; link titles in another language are marked."""

from __future__ import annotations

from i18n_pipeline.ingest import ingest
from i18n_pipeline.ingest.language import detect_language, mark_link_languages

SPANISH = (
    "La Organización Internacional para las Migraciones Presenta Un Estudio\n"
    "La OIM presentó hoy un estudio sobre la trata de personas en México. El informe\n"
    "describe la asistencia brindada a las víctimas durante los últimos cinco años.\n"
)


def test_language_warning_when_body_differs_from_source_language() -> None:
    result = ingest(SPANISH.encode(), "es.txt", source_language="en")
    assert result.language == "es"
    assert any("'es'" in w and "'en'" in w for w in result.warnings)
    assert ingest(SPANISH.encode(), "es.txt", source_language="es").warnings == ()


def test_sentences_of_the_detected_languages() -> None:
    assert detect_language("The office opened a shelter in the north of the country this week.") == "en"
    assert detect_language("La oficina abrió un albergue en el norte del país esta semana.") == "es"
    assert detect_language("Le bureau a ouvert un centre d'accueil dans le nord du pays cette semaine.") == "fr"
    assert detect_language("Das Büro hat diese Woche eine Unterkunft im Norden des Landes eröffnet.") == "de"


def test_too_short_to_tell_is_none() -> None:
    assert detect_language("Lima") is None
    assert detect_language("Press room") is None
    assert detect_language("") is None


def test_the_source_language_is_always_among_the_candidates() -> None:
    # Swedish is not one of the languages loaded by default; as the source language it is.
    text = "Kontoret öppnade ett härbärge i norra delen av landet den här veckan."
    assert detect_language(text, source_language="sv") == "sv"


def test_links_in_another_language_are_marked_and_left_untranslated() -> None:
    metadata = {
        "links": [
            {"title": "La trata de personas en México: diagnóstico sobre la asistencia a víctimas", "url": "u1"},
            {"title": "Human Trafficking in Mexico: A Study of Assistance Provided to Victims", "url": "u2"},
            {"title": "Annual report", "url": "u3"},  # too short to tell: left alone
            {"url": "u4"},
            "not a mapping",
        ]
    }
    mark_link_languages(metadata, "en")
    assert [link.get("lang") if isinstance(link, dict) else link for link in metadata["links"]] == [
        "es", None, None, None, "not a mapping"
    ]
