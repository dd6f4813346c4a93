"""i18n_pipeline.checks.words: text left in English, words that are not words of the target
language (Hunspell), and the words the engine said it did not know."""

from __future__ import annotations

from i18n_pipeline.checks import CHECKS, CheckContext, check_engine_unknown_words, check_untranslated, check_words
from i18n_pipeline.checks.words import words_to_check
from i18n_pipeline.model import Severity
from tests.checks.common import FRENCH, GLOSSARY, SPANISH, messages

SOURCE = "According to the CNDH, an estimated 20,000 persons are trafficked annually in Mexico."


def test_an_english_sentence_left_as_the_translation_is_reported() -> None:
    [message] = messages(check_untranslated, SOURCE, SOURCE)
    assert message == "the translation is the source text; translate it"
    near_copy = "According to the CNDH, an estimated 20.000 persons are trafficked in México."
    [near] = messages(check_untranslated, SOURCE, near_copy)
    assert "are the source's" in near
    spanish = "Según la CNDH, unas 20.000 personas son víctimas de trata cada año en México."
    assert messages(check_untranslated, SOURCE, spanish) == []
    assert messages(check_untranslated, "Baja California", "Baja California") == []  # a name stays a name
    assert messages(check_untranslated, "IOM Mexico", "IOM Mexico") == []
    assert CHECKS["untranslated"].severity is Severity.FUNCTIONAL


def test_an_english_word_left_in_spanish_is_not_a_spanish_word() -> None:
    target = "Según la CNDH, unas 20.000 personas son trafficked anualmente en México."
    [message] = messages(check_words, SOURCE, target)
    assert message.startswith('not Spanish words: "trafficked";')
    assert messages(check_words, SOURCE, target.replace("trafficked", "víctimas de trata")) == []
    assert CHECKS["words"].severity is Severity.FUNCTIONAL


def test_a_spanish_word_left_in_french_is_not_a_french_word() -> None:
    source = "The CNDH (by its Spanish acronym) reports it."
    [message] = messages(check_words, source, "La CNDH (selon son acrónimo espagnol) le signale.", FRENCH)
    assert message.startswith('not French words: "acrónimo";')
    assert messages(check_words, source, "La CNDH (selon son acronyme espagnol) le signale.", FRENCH) == []


def test_what_a_dictionary_cannot_judge_is_not_checked() -> None:
    source = "Monti met Weiss of the UNHCR in Tapachula at 10 km from the border."
    target = "Monti se reunió con Weiss, del ACNUR, en Tapachula, a 10 km de la frontera, p.ej. hoy."
    # Names (capitalised inside the sentence, or as the source writes them), acronyms, units after
    # a number and dotted abbreviations are left out; the rest is checked.
    assert words_to_check(source, target) == ["se", "reunió", "con", "del", "en", "de", "la", "frontera", "hoy"]
    assert words_to_check("A talk.", "l'ADT a parlé de l’économie.") == ["parlé", "de", "l’économie"]
    assert messages(check_words, source, target) == []
    assert messages(check_words, source, "Monti se reunió con Weiss en Tapachula, a 10 km de la frontier.") != []


def test_french_elision_ligatures_and_hyphens_are_words() -> None:
    source = "The organisation's work is important."
    assert messages(check_words, source, "L'oeuvre de l'organisation, c'est-à-dire aujourd'hui, est importante.", FRENCH) == []


def test_the_glossarys_translations_are_words_and_no_language_no_check() -> None:
    source = "The CNDH said so."
    target = "La Comisión Nacional de los Derechos Humanos lo dijo; según la trata de personas y la OIM."
    assert messages(check_words, source, target, CheckContext("es", GLOSSARY)) == []
    assert messages(check_words, source, "Lo dijo trafficked.", CheckContext()) == []  # no target language


def test_the_engines_unknown_words_are_reported_while_they_are_still_there() -> None:
    comments = ("machine translation: apertium eng-spa, 2026-12-01; unknown words: trafficked, transit",)
    context = CheckContext("es", comments=comments)
    target = "Unas 20.000 personas son trafficked en México, país de origen, transit y destino."
    [message] = messages(check_engine_unknown_words, SOURCE, target, context)
    assert message == 'the engine did not know "trafficked", "transit" and left them untranslated; translate it'
    fixed = "Unas 20.000 personas son víctimas de trata en México, país de origen, transit y destino."
    [left] = messages(check_engine_unknown_words, SOURCE, fixed, context)
    assert '"transit" and left it' in left
    assert messages(check_engine_unknown_words, SOURCE, fixed.replace("transit", "tránsito"), context) == []
    assert messages(check_engine_unknown_words, SOURCE, target, SPANISH) == []  # no comment, nothing known
    assert CHECKS["engine-unknown-words"].severity is Severity.FUNCTIONAL
