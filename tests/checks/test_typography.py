"""i18n_pipeline.checks.typography: spaces, final punctuation, doubled words, French typography,
length (doubled spaces: tests/test_checks.py)."""

from __future__ import annotations

from i18n_pipeline.checks import (
    CHECKS,
    check_doubled_words,
    check_french_typography,
    check_length,
    check_punctuation,
    check_whitespace,
)
from i18n_pipeline.model import Severity
from tests.checks.common import FRENCH, SPANISH, messages


def test_leading_and_trailing_white_space_follow_the_source() -> None:
    assert messages(check_whitespace, "Read it.", "Léalo.") == []
    assert messages(check_whitespace, " Read it.\n", " Léalo.\n") == []
    [message] = messages(check_whitespace, "Read it.", "Léalo. ")
    assert message == "trailing white space differs: source '', translation ' '; match the source"
    assert messages(check_whitespace, "Read it.", "\nLéalo.")[0].startswith("leading white space differs")


def test_the_translation_ends_as_the_source_does() -> None:
    assert messages(check_punctuation, "Is it true?", "¿Es verdad?") == []
    assert messages(check_punctuation, "He said: <1>yes</1>.", "Dijo: <1>sí</1>.") == []
    assert messages(check_punctuation, 'It ends "here."', "Termina «aquí».") == []  # closing quotes aside
    assert messages(check_punctuation, "Wait...", "Espere…") == []
    [message] = messages(check_punctuation, "Read the report.", "Lea el informe")
    assert message == "the source ends with '.', the translation with no punctuation; end it as the source does"
    assert messages(check_punctuation, "IOM Mexico", "OIM México.") != []  # a headline gets no full stop
    assert messages(check_punctuation, "The report was read by many people in the country", "Mucha gente leyó el informe.") == []
    assert CHECKS["punctuation"].severity is Severity.COSMETIC


def test_doubled_words() -> None:
    [message] = messages(check_doubled_words, "The report of the office.", "El informe de de la oficina.")
    assert message == "doubled word 'de'; remove one"
    assert messages(check_doubled_words, "We met.", "Nous nous sommes rencontrés.", FRENCH) == []
    assert messages(check_doubled_words, "Bora Bora is far.", "Bora Bora está lejos.") == []  # the source's own
    assert messages(check_doubled_words, "It is 10 10.", "Es 10 10.") == []  # numbers are not words


def test_french_typography_wants_no_break_spaces() -> None:
    source = "Title: a study. Really? See «this»."
    good = "Titre\u00a0: une étude. Vraiment\u202f? Voir «\u00a0ceci\u00a0»."
    assert messages(check_french_typography, source, good, FRENCH) == []
    colon, guillemets = messages(check_french_typography, source, "Titre: une étude. Vraiment ? Voir « ceci ».", FRENCH)
    assert colon.startswith("no non-breaking space before ':' '?';")
    assert guillemets.startswith("no non-breaking space inside « »")
    assert messages(check_french_typography, source, "Titre: une étude à 10:30, https://example.org", FRENCH) != []
    assert messages(check_french_typography, "At 10:30.", "À 10:30, voir https://example.org.", FRENCH) == []
    assert messages(check_french_typography, source, "Título: un estudio.", SPANISH) == []  # French only
    assert CHECKS["french-typography"].severity is Severity.COSMETIC


def test_a_translation_far_shorter_or_longer_than_its_source() -> None:
    source = "The publication describes the assistance provided to victims of trafficking."
    assert messages(check_length, source, "La publicación describe la asistencia brindada a las víctimas de trata.") == []
    [short] = messages(check_length, source, "La publicación.")
    assert "much shorter than usual" in short
    assert "much longer" in messages(check_length, source, " ".join(["La publicación describe la asistencia."] * 5))[0]
    assert messages(check_length, "Mexico", "Estados Unidos Mexicanos") == []  # short sources are not judged
