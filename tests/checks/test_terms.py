"""i18n_pipeline.checks.terms: the glossary's approved terms and do-not-translate names."""

from __future__ import annotations

from i18n_pipeline.checks import CHECKS, CheckContext, check_glossary, check_names
from i18n_pipeline.model import Severity
from tests.checks.common import GLOSSARY, messages

ES = CheckContext("es", GLOSSARY)


def test_a_replaced_term_is_reported_with_its_approved_translation() -> None:
    source = "IOM has worked in the fight against human trafficking."
    assert messages(check_glossary, source, "La OIM ha trabajado en la lucha contra la trata de personas.", ES) == []
    [message] = messages(check_glossary, source, "La OIM ha trabajado en la lucha contra el tráfico de personas.", ES)
    assert message == 'glossary: "human trafficking" should be "trata de personas"'
    assert CHECKS["glossary"].severity is Severity.FUNCTIONAL


def test_names_are_checked_apart_from_terms() -> None:
    source = "It was launched in Tapachula by IOM."
    [message] = messages(check_names, source, "Se presentó en Tapachulla por la OIM.", ES)
    assert message == 'keep the name: "Tapachula" should be "Tapachula"'
    assert messages(check_glossary, source, "Se presentó en Tapachulla por la OIM.", ES) == []  # not the terms' job
    assert messages(check_names, source, "Se presentó en Tapachula por la OIM.", ES) == []
    assert messages(check_names, source, "Se presentó en Tapachulla.", CheckContext("es")) == []  # no glossary
