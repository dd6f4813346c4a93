"""Editing around the engine (postedit.py), on fixed engine answers.

These are the pipeline's own rules, so the engine's answers are written out here; the end-to-end
tests run the real engine. The repairs are tables by language, as in the module: a new case is a
new row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from i18n_pipeline.glossary import load_glossary
from i18n_pipeline.postedit import (  # the patterns and hints: each hint must hold where its pattern matches
    _ARTICLE_HINT,
    _BLANK_BEFORE_MARK_HINTS,
    _BLANK_BEFORE_MARK_RE,
    _DOUBLED_SPACES_RE,
    _FRENCH_ARTICLES_RE,
    _HONORIFIC_HINTS,
    _HONORIFIC_NAME_RE,
    _NAME_INSIDE_RE,
    _POSSESSIVE_HINT,
    _POSSESSIVE_RE,
    _SPANISH_ARTICLES_RE,
    _SPANISH_CONTRACTION_RE,
    _is_title_case,
    proper_nouns,
    protect_for_engine,
    sentence_case,
    tidy_machine_output,
)
from i18n_pipeline.segment import Protected
from tests.paths import ROOT

GLOSSARY = load_glossary(ROOT / "locales" / "glossary.yaml")

# A sentence long enough that the rules for names standing alone stay out of the way.
LONG = "a sentence long enough with <1/> inside it"

# (what was sent, protected values, the engine's answer, target language, the repaired text)
Case = tuple[str, dict[str, str], str, str, str]

EVERY_LANGUAGE: list[Case] = [
    # The engine capitalises the first word after a leading placeholder; the source did not.
    ("<1/> has worked", {"<1/>": "OIM"}, "<1/> Ha trabajado", "es", "OIM ha trabajado"),
    # A blank before moved punctuation goes, unless the source had one.
    ("Deal, now.", {}, "Trato , ahora .", "es", "Trato, ahora."),
    ("Really ?", {}, "Davvero ?", "it", "Davvero ?"),
    # Doubled blanks go, unless the source had doubled blanks too.
    (LONG, {}, "una frase  larga", "es", "una frase larga"),
    ("a  sentence with two blanks", {}, "una  frase", "es", "una  frase"),
    # A lone name gets no article its source did not have; "the deal" keeps its article.
    ("Mexico", {}, "le Mexique", "fr", "Mexique"),
    ("the deal", {}, "l'accord", "fr", "l'accord"),
    ("mexico", {}, "el méxico", "es", "méxico"),
    # The articles are Spanish and French ones, whatever the target.
    ("Mexico", {}, "la Messico", "it", "Messico"),
    # A protected value ending in a full stop takes the place of the sentence's own.
    ("made in the <1/>.", {"<1/>": "EE. UU."}, "hecho en los <1/>.", "es", "hecho en los EE. UU."),
]

SPANISH: list[Case] = [
    # The article agrees with the protected institution's first word.
    (LONG, {"<1/>": "Oficina de Población"}, "financiado por el <1/>.", "es", "financiado por la Oficina de Población."),
    (LONG, {"<1/>": "Instituto Nacional"}, "oficiales del <1/>.", "es", "oficiales del Instituto Nacional."),
    (LONG, {"<1/>": "Comisión Nacional"}, "El <1/> dijo", "es", "La Comisión Nacional dijo"),
    (LONG, {"<1/>": "Organización"}, "ayuda al <1/>", "es", "ayuda a la Organización"),
    # Only names of institutions (a capital), and only Spanish articles.
    (LONG, {"<1/>": "oficina"}, "el <1/>", "es", "el oficina"),
    (LONG, {"<1/>": "Oficina"}, "le <1/>", "es", "le Oficina"),
    # Contractions the engine cannot make across a protected term.
    (LONG, {"<1/>": "sector"}, "la lucha de el <1/> y a el mercado", "es", "la lucha del sector y al mercado"),
    (LONG, {"<1/>": "sector", "<2/>": "mercado"}, "De el <1/>, A el <2/>", "es", "Del sector, Al mercado"),
]

FRENCH: list[Case] = [
    (LONG, {"<1/>": "Commission nationale"}, "selon le <1/>.", "fr", "selon la Commission nationale."),
    (LONG, {"<1/>": "Commission nationale"}, "Du <1/>", "fr", "De la Commission nationale"),
    # Elision before a vowel, after the article agreed.
    (LONG, {"<1/>": "Institut national"}, "officiels du <1/>.", "fr", "officiels de l'Institut national."),
    (LONG, {"<1/>": "Organisation mondiale"}, "grâce au <1/>", "fr", "grâce à l'Organisation mondiale"),
    # Spanish contractions are Spanish only.
    (LONG, {"<1/>": "secteur"}, "a el <1/>", "fr", "a el secteur"),
    # French typography: a no-break space before : (U+00A0) and ; ! ? (narrow U+202F), and
    # inside « »; times and addresses keep their colon.
    ("He said: yes; really?", {}, "Il a dit : oui; vraiment ?", "fr", "Il a dit\u00a0: oui\u202f; vraiment\u202f?"),
    ("At 10:30, see <1/>: now!", {"<1/>": "https://iom.int"}, "À 10:30, voir <1/>: maintenant!", "fr",
     "À 10:30, voir https://iom.int\u00a0: maintenant\u202f!"),
    ("\"Hello\"", {}, "«Bonjour »", "fr", "«\u00a0Bonjour\u00a0»"),
    ("He said: yes", {}, "Dijo: sí", "es", "Dijo: sí"),  # only French
]


@pytest.mark.parametrize(("sent", "values", "output", "language", "expected"), EVERY_LANGUAGE + SPANISH + FRENCH)
def test_repairs_of_engine_output(sent: str, values: dict[str, str], output: str, language: str, expected: str) -> None:
    assert tidy_machine_output(Protected(sent, values), output, language) == expected


def test_a_lost_protected_value_is_an_error_for_the_caller() -> None:
    # Never a silent drop.
    with pytest.raises(KeyError):
        tidy_machine_output(Protected(LONG, {"<1/>": "20.000"}), "x y", "es")


# --- before the engine --------------------------------------------------------------------------


def test_possessive_before_a_term_becomes_of() -> None:
    p = protect_for_engine("According to Mexico's National Human Rights Commission (CNDH), many.", "en", "es", GLOSSARY)
    assert p.text.startswith("According to the <1/> of Mexico")


def test_names_after_honorifics_are_kept() -> None:
    p = protect_for_engine("said Mr. John Smith on Monday.", "en", "es", None)
    assert p.values == {"<1/>": "John Smith"}


def test_headlines_in_title_case_go_to_the_engine_in_sentence_case() -> None:
    p = sentence_case(Protected("New <1/> Publication Compiles Cases of Victims in Mexico", {}), frozenset({"Mexico"}))
    assert p.text == "New <1/> publication compiles cases of victims in Mexico"
    plain = Protected("The study was presented in Mexico.", {})
    assert sentence_case(plain, frozenset()) is plain


def test_proper_nouns_are_capitalised_words_inside_running_sentences() -> None:
    sources = ["The study was led by Ana in Mexico.", "Victims Of Trafficking Assisted In Guatemala"]
    assert proper_nouns(sources) == frozenset({"Ana", "Mexico"})


# --- the fast paths: a hint tested before a pattern, one regex for the title-case test ---------

# Pieces of the text the patterns look for, and of what they must not take for it.
_PIECES = st.sampled_from([
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Dame", "M", "r", ".", " ", "  ", "\n", "\t", "\u00a0", "John",
    "Smith", "'s", "’s", "s", "<", ">", "1", "<1/>", "<12/>", "</2>", "el", "El", "del", "Al", "le", "Du",
    "de", "De", "a", "A", ",", ";", ":", "!", "?", "Über", "ÉTAT", "état", "中文", "_", "-", "Abcd",
    "abcd", "IOM", "x",
])
_TEXT = st.lists(_PIECES, max_size=14).map("".join)

_HINTED: list[tuple[re.Pattern[str], Callable[[str], bool]]] = [
    (_HONORIFIC_NAME_RE, lambda t: any(h in t for h in _HONORIFIC_HINTS)),
    (_POSSESSIVE_RE, lambda t: _POSSESSIVE_HINT in t),
    (_DOUBLED_SPACES_RE, lambda t: "  " in t),
    (_BLANK_BEFORE_MARK_RE, lambda t: any(h in t for h in _BLANK_BEFORE_MARK_HINTS)),
    (_SPANISH_ARTICLES_RE, lambda t: _ARTICLE_HINT in t),
    (_FRENCH_ARTICLES_RE, lambda t: _ARTICLE_HINT in t),
    (_SPANISH_CONTRACTION_RE, lambda t: " el" in t),
]


# Each alternative of each pattern, matched: a hint that forgets one fails here.
_MATCHED = [
    *(f"{h} John" for h in ("Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Dame")), "Mr.\u00a0Smith",
    "Mexico's <1/>", "Mexico’s <1/>", "a  b", *(f"a {m} b" for m in ",.;:!?"), "b ,",
    *(f"{a} <1/>" for a in ("el", "del", "al", "El", "Del", "Al", "le", "du", "au", "Le", "Du", "Au")),
    "de el", "De el", "a el", "A el",
]


@given(_TEXT | st.sampled_from(_MATCHED))
@settings(max_examples=1000, deadline=None)
def test_each_hint_holds_wherever_its_pattern_matches(text: str) -> None:
    for pattern, hint in _HINTED:
        assert hint(text) or pattern.search(text) is None, (pattern.pattern, text)


def test_the_hinted_patterns_match_their_examples() -> None:
    """The examples above do reach the patterns (else the property would prove nothing)."""
    assert all(any(p.search(text) for p, _ in _HINTED) for text in _MATCHED)


@given(_TEXT | st.text(st.characters(codec="utf-8")))
@example("a Bb Cc, Dd) Ee; Ff: Gg  Hh .Ii")
@settings(max_examples=500, deadline=None)
def test_names_inside_sentences_are_those_the_look_behind_finds(text: str) -> None:
    assert _NAME_INSIDE_RE.findall(text) == re.findall(r"(?<=[\w,;:)] )([A-Z][a-z]+)\b", text)


def _title_case_reference(text: str) -> bool:
    """What _is_title_case was before its one-regex form."""
    words = list(re.findall(r"[^\W\d_]{4,}", re.sub(r"<[^>]*>", " ", text)))
    capitalised = [w for w in words if w[0].isupper()]
    return len(capitalised) >= 3 and len(capitalised) >= 0.7 * len(words)


@given(_TEXT | st.text(st.characters(codec="utf-8")))
@example("New <1/> Publication Compiles Cases Of Victims")
@example("ǅemal ǅabić ǲonga ǈiki")  # title-case letters (Lt): isupper() is False for them
@settings(max_examples=500, deadline=None)
def test_the_title_case_test_is_the_per_word_one(text: str) -> None:
    assert _is_title_case(text) == _title_case_reference(text)
