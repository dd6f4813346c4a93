"""Repairs of engine output around protected values (translate.py), on fixed engine answers.

These are the pipeline's own rules, so the engine's answers are written out here; the end-to-end
tests run the real engine.
"""

from __future__ import annotations

from pathlib import Path

from i18n_pipeline.glossary import load_glossary
from i18n_pipeline.segment import Protected
from i18n_pipeline.translate import _protect, _sentence_case, tidy_machine_output

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = load_glossary(ROOT / "locales" / "glossary.yaml")


def one(value: str) -> Protected:
    return Protected("a sentence long enough with <1/> inside it", {"<1/>": value})


def test_possessive_before_a_term_becomes_of() -> None:
    p = _protect("According to Mexico's National Human Rights Commission (CNDH), many.", "en", "es", GLOSSARY)
    assert p.text.startswith("According to the <1/> of Mexico")


def test_article_agrees_with_the_protected_institution() -> None:
    assert tidy_machine_output(one("Oficina de Población"), "financiado por el <1/>.", "es") == "financiado por la Oficina de Población."
    assert tidy_machine_output(one("Instituto Nacional"), "oficiales del <1/>.", "es") == "oficiales del Instituto Nacional."
    assert tidy_machine_output(one("Commission nationale"), "selon le <1/>.", "fr") == "selon la Commission nationale."
    assert tidy_machine_output(one("Institut national"), "officiels du <1/>.", "fr") == "officiels de l'Institut national."


def test_spanish_contractions_across_a_term() -> None:
    assert tidy_machine_output(one("sector"), "la lucha de el <1/> y a el mercado", "es") == "la lucha del sector y al mercado"


def test_names_after_honorifics_are_kept() -> None:
    p = _protect("said Mr. John Smith on Monday.", "en", "es", None)
    assert p.values == {"<1/>": "John Smith"}


def test_case_spaces_and_articles() -> None:
    # The engine capitalises the first word after a leading placeholder; the source did not.
    assert tidy_machine_output(Protected("<1/> has worked", {"<1/>": "OIM"}), "<1/> Ha trabajado", "es") == "OIM ha trabajado"
    # A blank before moved punctuation goes, unless the source had one.
    assert tidy_machine_output(Protected("Deal, now.", {}), "Trato , ahora .", "es") == "Trato, ahora."
    # A lone name gets no article its source did not have; "the deal" keeps its article.
    assert tidy_machine_output(Protected("Mexico", {}), "le Mexique", "fr") == "Mexique"
    assert tidy_machine_output(Protected("the deal", {}), "l'accord", "fr") == "l'accord"
    # A lost protected value is an error for the caller, never a silent drop.
    try:
        tidy_machine_output(one("20.000"), "x y", "es")
    except KeyError:
        pass
    else:
        raise AssertionError("a lost protected value must raise")


def test_headlines_in_title_case_go_to_the_engine_in_sentence_case() -> None:
    p = _sentence_case(Protected("New <1/> Publication Compiles Cases of Victims in Mexico", {}), frozenset({"Mexico"}))
    assert p.text == "New <1/> publication compiles cases of victims in Mexico"
    plain = Protected("The study was presented in Mexico.", {})
    assert _sentence_case(plain, frozenset()) is plain
