"""The glossary file, term matching on the seed's sentences, and the QA check."""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from i18n_pipeline.errors import ConfigError
from i18n_pipeline.glossary import (  # the reference below: one regex per term
    _CASE_TRAPS_RE,
    _MASK,
    _WORD_RUN_RE,
    Glossary,
    TermMatch,
    _index,
    _pattern,
    admitted_terms,
    check_terms,
    find_terms,
    forbidden_terms,
    load_glossary,
    parse_glossary,
    term_notes,
)
from i18n_pipeline.model import PLACEHOLDER_RE
from tests.paths import EVAL, ROOT

BUNDLED = ROOT / "locales" / "glossary.yaml"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(BUNDLED)


def pairs(matches: list[TermMatch]) -> list[tuple[str, str]]:
    return [(m.source, m.target) for m in matches]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the bundled glossary on the seed release -------------------------------------------------


def test_bundled_glossary_loads(glossary: Glossary) -> None:
    assert len(glossary) > 20
    assert "Tapachula" in glossary.do_not_translate
    assert "Thomas Lothar Weiss" in glossary.do_not_translate


def test_seed_programme_and_sponsor(glossary: Glossary) -> None:
    text = ("As part of its programme Direct Assistance to Victims of Human\nTrafficking, IOM "
            "Mexico is this week presenting its most recent publication, funded by the US State "
            "Department's Bureau of\nPopulation, Refugees and Migration (PRM).")
    assert pairs(find_terms(glossary, text, "es")) == [
        ("Direct Assistance to Victims of Human\nTrafficking",
         "Asistencia Directa a Víctimas de Trata de Personas"),
        ("IOM", "OIM"),
        ("US State Department's Bureau of\nPopulation, Refugees and Migration (PRM)",
         "Oficina de Población, Refugiados y Migración (PRM) del Departamento de Estado de "
         "EE. UU."),
    ]
    assert pairs(find_terms(glossary, text, "fr"))[0] == (
        "Direct Assistance to Victims of Human\nTrafficking",
        "Assistance directe aux victimes de la traite des êtres humains",
    )


def test_seed_places_and_institutions(glossary: Glossary) -> None:
    text = ("According to Mexico's National Human Rights Commission (CNDH by its Spanish acronym), "
            "the locations of highest incidence are the border states of Chiapas, Tabasco, "
            "Chihuahua and Baja California, as well as the tourist destinations of Cancun, "
            "Acapulco and Mexico City.")
    assert pairs(find_terms(glossary, text, "fr")) == [
        ("National Human Rights Commission", "Commission nationale des droits de l'homme"),
        ("CNDH", "CNDH"),
        ("Chiapas", "Chiapas"),
        ("Tabasco", "Tabasco"),
        ("Chihuahua", "Chihuahua"),
        ("Baja California", "Baja California"),
        ("Cancun", "Cancún"),
        ("Acapulco", "Acapulco"),
    ]


def test_longest_match_wins_and_plurals(glossary: Glossary) -> None:
    text = ("IOM has worked in the fight against human trafficking since late 2005, providing "
            "direct assistance to victims of human trafficking. To date, IOM Mexico has assisted "
            "185 victims of trafficking. As part of its counter-trafficking activities, IOM ...")
    matches = find_terms(glossary, text, "es")
    assert pairs(matches) == [
        ("IOM", "OIM"),
        ("human trafficking", "trata de personas"),
        # lower case is not the programme's name: the generic phrase matches instead
        ("victims of human trafficking", "víctimas de trata de personas"),
        ("IOM", "OIM"),
        ("victims of trafficking", "víctimas de trata"),
        ("counter-trafficking activities", "actividades de lucha contra la trata"),
        ("IOM", "OIM"),
    ]
    assert [m.plural for m in matches][2] is True
    for m in matches:
        assert text[m.start:m.end] == m.source


def test_plural_with_explicit_forms(glossary: Glossary) -> None:
    assert pairs(find_terms(glossary, "Two Chiefs of Mission met.", "fr")) == [
        ("Chiefs of Mission", "Chefs de mission")
    ]
    assert pairs(find_terms(glossary, "explains IOM Mexico Chief of Mission, Thomas Lothar "
                                      "Weiss.", "es")) == [
        ("IOM", "OIM"), ("Chief of Mission", "Jefe de Misión"),
        ("Thomas Lothar Weiss", "Thomas Lothar Weiss"),
    ]


def test_case_of_the_target(glossary: Glossary) -> None:
    assert pairs(find_terms(glossary, "Human trafficking is a crime.", "es")) == [
        ("Human trafficking", "Trata de personas")
    ]
    assert pairs(find_terms(glossary, '"<1/> Human trafficking is a crime."', "fr")) == [
        ("Human trafficking", "Traite des êtres humains")
    ]
    # Title case in a headline does not carry over to Spanish.
    headline = "New IOM Publication Compiles Cases of Human Trafficking Assisted by the Organization"
    assert pairs(find_terms(glossary, headline, "es")) == [
        ("IOM", "OIM"), ("Human Trafficking", "trata de personas")
    ]
    assert pairs(find_terms(glossary, "FIGHTING HUMAN TRAFFICKING", "es")) == [
        ("HUMAN TRAFFICKING", "TRATA DE PERSONAS")
    ]


def test_acronyms_match_case_and_words_whole(glossary: Glossary) -> None:
    assert find_terms(glossary, "write to hlegoff@iom.int about biomass", "es") == []
    assert find_terms(glossary, "anti-human trafficking law", "es") == []
    assert pairs(find_terms(glossary, "IOM's work", "es")) == [("IOM", "OIM")]


def test_never_inside_placeholder_tokens() -> None:
    g = Glossary(terms=load_glossary_text("terms:\n  - source: '1'\n    es: uno\n").terms)
    assert pairs(find_terms(g, "<1>1</1> and <1/>", "es")) == [("1", "uno")]


def test_language_without_translation_is_not_matched(glossary: Glossary) -> None:
    title = "Human Trafficking in Mexico: A Study of Assistance Provided to Victims"
    assert pairs(find_terms(glossary, title, "es")) == [
        (title, "La trata de personas en Mexico: Diagnóstico sobre la asistencia a víctimas")
    ]
    assert pairs(find_terms(glossary, title, "fr")) == [
        ("Human Trafficking", "Traite des êtres humains")  # opens the sentence
    ]
    assert pairs(find_terms(glossary, "IOM", "es_MX")) == [("IOM", "OIM")]
    assert find_terms(glossary, "IOM", "de") == []


# --- QA ---------------------------------------------------------------------------------------


def test_check_terms(glossary: Glossary) -> None:
    source = "IOM fights human trafficking in Tapachula."
    good = "La OIM lucha contra la trata de personas en Tapachula."
    assert check_terms(glossary, source, good, "es") == []
    bad = "La OIM lucha contra el tráfico humano en Tapachula."
    assert check_terms(glossary, source, bad, "es") == [
        'glossary: "human trafficking" should be "trata de personas"'
    ]
    assert check_terms(glossary, source, "La OIM lucha contra la trata de personas.", "es") == [
        'keep the name: "Tapachula" should be "Tapachula"'
    ]
    twice = "IOM and IOM"
    assert check_terms(glossary, twice, "la OIM", "fr") == [
        'glossary: "IOM" should be "OIM" (2 times in the source, 1 in the translation)'
    ]
    # Case and spacing do not matter; singular or plural translation both count.
    assert check_terms(glossary, "Victims of trafficking.", "VÍCTIMAS  DE TRATA.", "es") == []


# --- loading ------------------------------------------------------------------------------------


def load_glossary_text(text: str) -> Glossary:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return load_glossary(write(Path(tmp), text))


def test_missing_and_empty_files_are_empty_glossaries(tmp_path: Path) -> None:
    assert len(load_glossary(tmp_path / "nothing.yaml")) == 0
    assert len(load_glossary(write(tmp_path, "# nothing yet\n"))) == 0
    assert len(load_glossary(write(tmp_path, "terms:\ndo_not_translate:\n"))) == 0


def test_term_fields(tmp_path: Path) -> None:
    g = load_glossary(write(tmp_path, (
        "terms:\n"
        "  - source: Chief  of Mission\n"
        "    source_plural: Chiefs of Mission\n"
        "    es: Jefe de Misión\n"
        "    es_plural: Jefes de Misión\n"
        "    pt_BR: Chefe de Missão\n"
        "    note: head of office\n"
        "  - source: who\n"
        "    match_case: true\n"
        "    es: quién\n"
        "do_not_translate: [Tapachula, WHO]\n"
    )))
    chief, who, tapachula, who_name = g.terms
    assert chief.source == "Chief of Mission" and chief.line == 2
    assert chief.target("es") == "Jefe de Misión"
    assert chief.target("es", plural=True) == "Jefes de Misión"
    assert chief.target("pt_BR") == "Chefe de Missão" and chief.target("fr") is None
    assert who.match_case and who_name.match_case and not tapachula.match_case
    assert g.do_not_translate == ("Tapachula", "WHO")
    assert pairs(find_terms(g, "Who knows who WHO is", "es")) == [
        ("who", "quién"), ("WHO", "WHO")
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("terms:\n  - source: IOM\n    es: OIM\n   fr: OIM\n", 4, "not valid YAML"),
        ("terms:\n  - source: 'IOM\n", 3, "not valid YAML: while scanning a quoted scalar found "
         "unexpected end of stream (it starts on line 2)"),
        ("term:\n  - source: IOM\n", 1, "unknown key 'term'; did you mean 'terms'?"),
        ("terms:\n  - source: IOM\n    es: OIM\n", 0, ""),
        ("terms:\n  - sorce: IOM\n    es: OIM\n", 2, "unknown key 'sorce' in a term; did you mean 'source'?"),
        ("terms:\n  - source: IOM\n    es: OIM\n    fr: OIM\n  - source: X\n    fr: Y\n    ess: Z\n",
         7, "unknown key 'ess' in a term; did you mean 'es'?"),
        ("terms:\n  - source: IOM\n    es: OIM\n    es_plurals: OIMs\n", 4, "did you mean 'es_plural'?"),
        ("terms:\n  - es: OIM\n", 2, "a term has no `source`"),
        ("terms:\n  - source: IOM\n    es: OIM\n    es: OIM\n", 4, "key 'es' given twice (first on line 3)"),
        ("terms:\n  - source: human trafficking\n    es: trata\n  - source: Human Trafficking\n"
         "    es: trata\n", 4, "'Human Trafficking' is already in the glossary (line 2)"),
        ("terms:\n  - source: IOM\n    es: [OIM]\n", 3, "the es translation must be text"),
        ("terms:\n  - source: IOM\n    es: ''\n", 3, "the es translation is empty"),
        ("terms:\n  - source: IOM\n    match_case: si\n", 3, "match_case must be true or false"),
        ("terms:\n  - source: IOM\n    fr_plural: OIM\n", 2, "fr_plural given without fr"),
        ("terms: IOM\n", 1, "'terms' must be a list"),
        ("do_not_translate:\n  - Tapachula\n  - {name: Chiapas}\n", 3, "must be text"),
        ("- IOM\n", 1, "the glossary must be a mapping"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    if not line:
        assert len(load_glossary(path)) == 1
        return
    with pytest.raises(ConfigError) as info:
        load_glossary(path)
    assert str(info.value).startswith(f"{path}:{line}: "), str(info.value)
    assert message in str(info.value)


def test_term_notes_name_each_term_with_its_approved_translation_and_the_names_once() -> None:
    glossary = load_glossary(ROOT / "locales" / "glossary.yaml")
    source = "IOM's Chief of Mission in Tapachula and two Chiefs of Mission of IOM met in Tapachula and Chiapas."
    assert term_notes(glossary, source, "es") == [
        "glossary: IOM = OIM",
        "glossary: Chief of Mission = Jefe de Misión (head of an IOM country office)",
        "glossary: Chiefs of Mission = Jefes de Misión (head of an IOM country office)",
        "do not translate: Tapachula, Chiapas",
    ]
    assert term_notes(glossary, "Nothing to see here.", "fr") == []


# --- admitted and forbidden forms (from a termbase's term statuses) ---------------------------


def test_admitted_and_forbidden_forms_are_read_per_language(tmp_path: Path) -> None:
    glossary = load_glossary(write(tmp_path, (
        "terms:\n  - source: shelter\n    es: albergue\n    es_admitted: [casa de acogida]\n"
        "    es_forbidden: [refugio, asilo]\n    fr_forbidden: abri\n")))
    (term,) = glossary.terms
    assert term.forms("admitted", "es") == ("casa de acogida",) and term.forms("admitted", "es_MX") == ("casa de acogida",)
    assert term.forms("forbidden", "es") == ("refugio", "asilo") and term.forms("forbidden", "fr") == ("abri",)
    assert not term.applies_to("fr")  # a forbidden form alone is no translation to protect
    assert forbidden_terms(glossary, "More shelters.", "Más refugios y asilo.", "es") == [
        'forbidden: "refugio" for "shelter"; use "albergue"', 'forbidden: "asilo" for "shelter"; use "albergue"']
    assert forbidden_terms(glossary, "A shelter.", "Un refugiado.", "es") == []  # whole words only
    assert admitted_terms(glossary, "A shelter.", "Una casa de acogida.", "es") == [
        'admitted: "casa de acogida" for "shelter"; the preferred term is "albergue"']


def test_a_misspelt_status_key_suggests_the_right_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_glossary(write(tmp_path, "terms:\n  - source: IOM\n    es: OIM\n    es_forbiden: [IOM]\n"))
    assert caught.value.what == "unknown key 'es_forbiden' in a term"
    assert caught.value.fix == "did you mean 'es_forbidden'?"


# --- the one-pass pre-filter finds what one regex per term finds -----------------------------

def _every_pattern(glossary: Glossary, text: str, lang: str) -> list[tuple[int, int, str, bool]]:
    """The reference: every term's own pattern over the whole text, longest match first (what
    find_terms did before its pre-filter)."""
    scan = PLACEHOLDER_RE.sub(lambda m: _MASK * len(m.group()), text)
    found = [(m.start(), m.end(), t.source, m.group("plural") is not None
              if "plural" in m.re.groupindex else False)
             for t in glossary.terms if t.applies_to(lang) for m in _pattern(t).finditer(scan)]
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, str, bool]] = []
    for cand in found:
        if all(cand[1] <= s or cand[0] >= e for s, e, _, _ in chosen):
            chosen.append(cand)
    return sorted(chosen)


TRICKY = """\
terms:
  - {source: New York, es: Nueva York}
  - {source: York City Hall, es: Ayuntamiento de York}
  - {source: company, es: empresa}
  - {source: mouse, source_plural: mice, es: ratón, es_plural: ratones}
  - {source: .NET, es: .NET}
  - {source: e-mail, es: correo}
  - {source: US, es: EE. UU.}
  - {source: the government, es: el gobierno}
  - {source: government, es: gobierno}
  - {source: per cent, es: por ciento}
  - {source: "\u00a72", es: artículo 2}
do_not_translate: [Obama, Barack Obama]
"""


def test_the_pre_filter_changes_no_match(tmp_path: Path, glossary: Glossary) -> None:
    tricky = load_glossary(write(tmp_path, TRICKY))
    texts = [
        "New York City Hall said the companies and a company in new  york sent e-mail.",
        "Two mice and a mouse; .NET and ASP.NET; us and US; the Government of the US.",
        "3 per cent, \u00a72 and \u00a72a, Barack Obama met Obama; counter-government e-mails.",
        "<1>New York</1> <2/>York City Hall",
    ]
    news = EVAL / "parallel" / "wmt-en-es" / "newstest2012.en"
    if news.is_file():  # conftest: CI fails without ../shared/eval
        texts += news.read_text(encoding="utf-8").splitlines()[:1500]
    for g in (glossary, tricky):
        for lang in ("es", "fr"):
            for text in texts:
                got = [(m.start, m.end, m.term, m.plural) for m in find_terms(g, text, lang)]
                assert got == _every_pattern(g, text, lang), text


# --- the index's word look-up finds what its alternation finds ---------------------------------

# Word characters with case traps (dotless i, long s, Kelvin sign, dotted capital I, sharp s,
# Greek iota and its combining forms), the circled letters, separators, wide characters.
_ALPHABET = "aeiksAEIKS\u0131\u017f\u212a\u0130\u00df\u1e9e\u03b9\u0399\u1fbe\u0345\u24b6\u24d0Éé中-_ .\n<>/1’"


@given(
    firsts=st.lists(st.text(_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=4),
    text=st.text(_ALPHABET, max_size=40),
)
@example(firsts=["\u03b9"], text="a \u0345 b")  # iota: the alternation matches U+0345, not \w
@example(firsts=["k\u03b9"], text="\u212a\u0399\u0345 \u0130S\u0131 \u017fs")
@settings(max_examples=400, deadline=None)
def test_the_word_look_up_finds_what_the_alternation_finds(firsts: list[str], text: str) -> None:
    yaml_terms = "".join(f"  - {{source: {json.dumps(f'{f} x{i}')}, es: y{i}}}\n" for i, f in enumerate(firsts))
    glossary = parse_glossary(f"terms:\n{yaml_terms}", Path("glossary.yaml"))
    index = _index(glossary, "es")
    assert index.words is not None or not any(_WORD_RUN_RE.search(f) for f in firsts)
    expected = {index.groups[m.lastgroup or ""] for m in index.words.finditer(text)} if index.words else set()
    assert index._first_words(text) == expected
    assert index._first_words(text) == expected  # a second time: from what it remembered
    got = [(m.start, m.end, m.term, m.plural) for m in find_terms(glossary, text, "es")]
    assert got == _every_pattern(glossary, text, "es")


def test_the_case_traps_are_every_non_word_character_with_a_case() -> None:
    """_CASE_TRAPS_RE lists the characters outside \\w that IGNORECASE may match to a word
    character: those sre finds cased, and those of its extra case equivalences."""
    sre = importlib.import_module("_sre")  # sre's own case tables: which characters have a case
    extra_cases = importlib.import_module("re._casefix")._EXTRA_CASES  # equivalences beyond lower()
    word = re.compile(r"\w")
    extra = {c for k, v in extra_cases.items() for c in (k, *v)}
    traps = {chr(c) for c in range(sys.maxunicode + 1)
             if not word.match(chr(c)) and (sre.unicode_iscased(c) or c in extra)}
    listed = {chr(c) for c in range(sys.maxunicode + 1) if _CASE_TRAPS_RE.match(chr(c))}
    assert traps == listed


def test_the_word_look_up_forgets_between_sentences_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its limit the index forgets the runs it decided, before a sentence, never in the
    middle of one: a first word decided earlier in the same sentence still counts."""
    glossary = parse_glossary(
        "terms:\n  - {source: Red Cross, es: Cruz Roja}\n  - {source: World Bank, es: Banco Mundial}\n",
        Path("glossary.yaml"),
    )
    monkeypatch.setattr(sys.modules["i18n_pipeline.glossary"], "_MEMO_LIMIT", 2)
    for text in ["The Red Cross and the World Bank met.", "World Bank, Red Cross, others.", "Red Cross."]:
        got = [(m.start, m.end, m.term, m.plural) for m in find_terms(glossary, text, "es")]
        assert got == _every_pattern(glossary, text, "es"), text
