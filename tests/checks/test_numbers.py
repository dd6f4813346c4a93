"""i18n_pipeline.checks.numbers: numbers, percentages, amounts and dates compared as values,
read with the target language's CLDR data."""

from __future__ import annotations

import re
import sys
from unittest import mock

import pytest
from babel.numbers import NumberFormatError, parse_decimal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from i18n_pipeline.checks import CHECKS, check_dates, check_numbers, numbers
from i18n_pipeline.checks.numbers import (
    _CASE_TWINS,
    _MASK_NO_EMAIL_RE,
    _MASK_RE,
    _TARGET_NUMBER_RE,
    _TIME_HINT_RE,
    _TIME_RE,
    _names,
    _number_locale,
    _parse_decimal,
    _target_mask,
    source_values,
    target_values,
)
from i18n_pipeline.model import Severity
from tests.checks.common import FRENCH, SPANISH, messages


@pytest.mark.parametrize(
    ("target", "context"),
    [
        ("Unas 20.000 personas, el 60 % de ellas mujeres.", SPANISH),
        ("Environ 20 000 personnes, dont 60 % de femmes.", FRENCH),
        ("Environ 20\u202f000 personnes, dont 60\u00a0% de femmes.", FRENCH),  # CLDR's own spaces
        ("Unas 20,000 personas, el 60% de ellas mujeres.", SPANISH),  # left in the source's form: same value
        ("Unas 20 000 personas, el 60 % de ellas mujeres.", SPANISH),  # grouped by spaces, the SI way
    ],
)
def test_the_same_values_in_any_locales_form_pass(target: str, context: object) -> None:
    source = "Some 20,000 persons, 60% of them women."
    assert messages(check_numbers, source, target, context) == []  # type: ignore[arg-type]


def test_a_source_grouped_by_spaces_is_one_number() -> None:
    # English translated from other languages writes "40 000" (the SI way); engines keep it. The
    # source read it as "40" and "000", the translation as 40000: a correct translation failed.
    for target in ("Unas 40 000 personas vinieron.", "Unas 40.000 personas vinieron.", "Unas 40\u202f000 personas vinieron."):
        assert messages(check_numbers, "Some 40 000 people came.", target) == [], target
    assert messages(check_numbers, "It rose to 6 628 cases.", "Aumentó a 6 628 casos.") == []
    [message] = messages(check_numbers, "Some 40 000 people came.", "Unas 4.000 personas vinieron.")
    assert 'the source\'s "40 000" is not in the translation' in message
    # Only groups of three: a year and a count stay two numbers.
    assert [f.text for f in source_values("In 2010 200 people came.")[0]] == ["2010", "200"]


def test_a_changed_number_is_critical_and_named() -> None:
    source = "An estimated 20,000 persons are trafficked annually."
    [message] = messages(check_numbers, source, "Se estima que 2.000 personas son víctimas de trata cada año.")
    assert message.startswith('numbers differ: the source\'s "20,000" is not in the translation; the translation has "2.000"')
    assert CHECKS["numbers"].severity is Severity.CRITICAL
    assert messages(check_numbers, "In 2005, 185 victims.", "En 2005, 158 víctimas.") != []  # plain integers too
    assert messages(check_numbers, "In 2005, 185 victims.", "En 2005, 185 víctimas.") == []
    assert messages(check_numbers, "From 2005 to 2009.", "De 2005 a 2008.") != []  # a year range's years
    assert messages(check_numbers, "It grew 3.5%.", "Creció un 3,5 %.") == []
    assert messages(check_numbers, "It grew 3.5%.", "Creció un 35 %.") != []


def test_amounts_may_be_written_with_their_scale_word_or_in_full() -> None:
    source = "The programme costs US$ 2 million."
    assert messages(check_numbers, source, "El programa cuesta 2 millones de dólares estadounidenses.") == []
    assert messages(check_numbers, source, "El programa cuesta 2.000.000 de dólares.") == []
    assert messages(check_numbers, source, "El programa cuesta 3 millones de dólares.") != []


def test_what_a_translator_may_write_differently_is_not_reported() -> None:
    # small numbers in words, numbers the source writes in words, times, codes glued to words
    assert messages(check_numbers, "They have 3 children.", "Tienen tres hijos.") == []
    assert messages(check_numbers, "Seventeen died in four million cases.", "Murieron 17 en 4.000.000 de casos.") == []
    assert messages(check_numbers, "It started at 12.00 GMT.", "Empezó a las 12:00 GMT.") == []
    assert messages(check_numbers, "COVID-19 spread in the 1960s.", "La COVID-19 se propagó en los años 60.") == []
    assert messages(check_numbers, "Call +52 55 5536 3922 today.", "Llame hoy al +52 55 5536 3922.") == []


@pytest.mark.parametrize(
    ("target", "context"),
    [
        ("La publicación se presentará el miércoles 3 de agosto.", SPANISH),
        ("La publication sera présentée le mercredi 3 août.", FRENCH),
        ("La publicación se presentará el 3 de agosto.", SPANISH),  # the weekday left out: no change
        ("La publicación se presentará el miércoles 3 de agosto de 2011.", SPANISH),  # a year added: no change
    ],
)
def test_the_same_date_in_the_target_language_passes(target: str, context: object) -> None:
    source = "The publication will be launched on Wednesday, 3 August."
    assert messages(check_dates, source, target, context) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "target",
    [
        "La publicación se presentará el miércoles 4 de agosto.",  # another day
        "La publicación se presentará el miércoles 3 de septiembre.",  # another month
        "La publicación se presentará el jueves 3 de agosto.",  # another weekday
        "La publicación se presentará pronto.",  # the date lost
    ],
)
def test_a_changed_date_is_critical(target: str) -> None:
    source = "The publication will be launched on Wednesday, 3 August."
    [message] = messages(check_dates, source, target)
    assert message.startswith('dates differ: the source\'s "on Wednesday, 3 August" is not in the translation')
    assert CHECKS["dates"].severity is Severity.CRITICAL


def test_years_and_months_of_dates_are_compared() -> None:
    assert messages(check_dates, "It opened on August 3, 2011.", "Abrió el 3 de agosto de 2011.") == []
    assert messages(check_dates, "It opened on August 3, 2011.", "Abrió el 3 de agosto de 2012.") != []
    assert messages(check_dates, "It opened in August 2011.", "Abrió en agosto de 2011.") == []
    assert messages(check_dates, "It opened in August 2011.", "Ouvert en juillet 2011.", FRENCH) != []
    assert messages(check_dates, "It opened.", "Abrió el 3 de agosto.") != []  # a date the source does not have


# Words and signs the readers look for, none of them a digit: month and weekday names, number
# words, scales, currency signs, percent, "per cent", ranges, times, phone labels.
_DIGITLESS_WORDS = (
    "August agosto août Aug. Monday lunes lundi seventeen four million billion a hundred dollars "
    "US$ $ € £ % per cent from to between and – - , . : 12h pm GMT tel. phone de del of the "
    "Unas personas ₹ Ⅻ ½ ² ³ ¼ 〇 <1> </1> <2/> <12> </34> https://example.org/<1> a@b.es<3/> tel.<4/>"
).split()
_DIGITLESS_TEXT = st.lists(
    st.one_of(st.sampled_from(_DIGITLESS_WORDS), st.text(st.characters(blacklist_categories=("Nd", "Cs")), max_size=8)),
    max_size=30,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(source=_DIGITLESS_TEXT, target=_DIGITLESS_TEXT, language=st.sampled_from(["es", "fr", "en"]))
def test_text_without_a_digit_holds_no_number_nor_date(source: str, target: str, language: str) -> None:
    """Why numbers and dates skip a pair where neither side has a digit (of any script) outside
    its placeholders: the readers themselves find nothing there (nor in a time, as "12h"), so
    the verdict is the same without reading."""
    with mock.patch.object(numbers, "_ANY_DIGIT_RE", re.compile("")):  # the readers read all
        assert source_values.__wrapped__(source) == ((), ())
        assert target_values.__wrapped__(target, language) == ((), ())
    assert source_values(source) == ((), ())
    assert target_values(target, language) == ((), ())


def test_a_number_in_another_script_is_still_read() -> None:
    """The skip looks for any script's digits, as the readers do, not only 0-9."""
    assert messages(check_numbers, "About many people.", "Unas \u0662\u0660\u0660 personas.")


_NO_AT_TEXT = st.lists(
    st.one_of(
        st.sampled_from("https://example.org/a_b. www.x.es tel. +34 91 123 45 67 phone: <1> </1> <2/> 20.000 x.y".split()),
        st.text(st.characters(blacklist_characters="@", blacklist_categories=("Cs", "Co")), max_size=8),
    ),
    max_size=25,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=_NO_AT_TEXT)
def test_without_an_at_sign_the_mask_without_e_mail_masks_the_same(text: str) -> None:
    """Why target_values leaves the e-mail pattern out of its mask when there is no "@"."""
    assert _MASK_NO_EMAIL_RE.sub("#", text) == _MASK_RE.sub("#", text)


_FIGURES_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            "https://x.org/a www.x.es a@b.es tel. Tél: teléfono TELEPHONE fax + <1> </1> <2/> 12 h 10 pm 3 a.m. "
            "Téléfono TÉLÉPHONE phone: GMT utc hours 12.00 10:30 1.000 20 000 2.5 1,5 -19 COVID-19 1644-1912 "
            "$3 $ # / . , : - ( )".split()
        ),
        st.from_regex(r"\+?[0-9]{1,4}[ .,:\u00a0\u202f]?", fullmatch=True),
        st.text(st.characters(codec="utf-8"), max_size=4),
    ),
    max_size=12,
).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(text=_FIGURES_TEXT)
@example(text="Téléfono 12")
@example(text="TÉLÉPHONE: 34")
@example(text="Teléfono 5")
@example(text="FAX 6")
@example(text="Tel. 7")
@example(text="+34 91 123 45 67")
@example(text="<1>2</1>")
def test_the_target_mask_and_the_time_hint_leave_the_result_as_it_was(text: str) -> None:
    """Why target_values masks with fewer alternatives (or none) and skips the times when the
    hint is absent; and the number pattern that opens with its digit finds what the pattern
    with the look-behinds in front found."""
    mask = _target_mask(text)
    assert (mask.sub("#", text) if mask else text) == _MASK_RE.sub("#", text)
    assert _TIME_HINT_RE.search(text) or _TIME_RE.search(text) is None
    before = re.compile(
        r"(?<![\w.,/+#@:$])(?<![^\W\d_]-)"
        r"(?:\d{1,3}(?P<sep>[.,\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
        r"(?![\w/@]|:\d|-(?!\d)|[.,]\d)"
    )  # _TARGET_NUMBER_RE until it opened with the digit
    assert [(m.span(), m.group("sep")) for m in _TARGET_NUMBER_RE.finditer(text)] == [
        (m.span(), m.group("sep")) for m in before.finditer(text)
    ]


def test_the_case_twins_are_those_of_re() -> None:
    """Twins re matches case-insensitively beyond lower(): the month hint maps them to one."""
    casefix = sys.modules.get("re._casefix") or __import__("re._casefix").__dict__["_casefix"]
    for char, twins in casefix._EXTRA_CASES.items():
        for twin in twins:
            assert _CASE_TWINS.get(chr(char), chr(char)) == _CASE_TWINS.get(chr(twin), chr(twin))


def _spelled(name: str, how: int) -> str:
    """A month's name as a text may write it: any case, with the twins re reads as its letters."""
    name = [name.lower(), name.upper(), name.title(), name][how % 4]
    return name.replace("i", "ı").replace("s", "ſ") if how >= 4 else name.replace("I", "İ").replace("σ", "ς")


@settings(max_examples=300, deadline=None)
@given(
    language=st.sampled_from(["es", "fr", "en", "tr", "el", "ru", "de"]),
    data=st.data(),
)
def test_a_text_without_a_months_name_holds_no_date(language: str, data: st.DataObject) -> None:
    """Why target_values skips the dates pattern when no month name is in the text."""
    names = _names(language)
    month = data.draw(st.sampled_from(sorted(names.months)))
    spelled = data.draw(st.integers(0, 7).map(lambda how: _spelled(month, how)))
    template = data.draw(st.sampled_from(["3 {}", "{} 3", "{}, 2011", "el 3 de {} de 2011", "x{} 3", "{}"]))
    text = data.draw(st.text(max_size=3)) + template.format(spelled) + data.draw(st.text(max_size=3))
    assert names.may_hold_date(text) or names.date_re.search(text) is None


@settings(max_examples=300, deadline=None)
@given(language=st.sampled_from(["es", "fr", "en", "tr", "el", "de"]), data=st.data())
def test_the_first_letter_look_aheads_change_no_date(language: str, data: st.DataObject) -> None:
    """The dates pattern finds what it finds without the look-aheads for the names' first letters."""
    names = _names(language)
    unguarded = re.compile(re.sub(r"\(\?=\[[^\]]*\]\)", "", names.date_re.pattern), re.IGNORECASE)
    assert unguarded.pattern != names.date_re.pattern
    words = [*names.months, *names.weekdays, "3", "2011", "1st", "de", "of", ",", "."]
    spelled = st.tuples(st.sampled_from(words), st.integers(0, 7)).map(lambda word_how: _spelled(*word_how))
    text = data.draw(st.lists(st.one_of(spelled, st.text(max_size=3)), max_size=8).map(" ".join))
    assert [(m.span(), m.groupdict()) for m in names.date_re.finditer(text)] == [
        (m.span(), m.groupdict()) for m in unguarded.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(language=st.sampled_from(["es", "fr", "en", "tr", "el", "ru", "de"]), data=st.data())
def test_the_month_hints_are_found_as_the_loop_found_them(language: str, data: st.DataObject) -> None:
    """may_hold_date's one search answers what ``any(hint in text ...)`` answered."""
    names = _names(language)
    pieces = st.one_of(st.sampled_from(names.hints), st.text(max_size=4))
    text = data.draw(st.lists(pieces, max_size=5).map("".join).map(str.lower))
    assert (names.hints_re.search(text) is not None) is any(hint in text for hint in names.hints)


def _babel_or_error(text: str, language: str) -> object:
    locale, _ = _number_locale(language)
    try:
        return parse_decimal(text, locale=locale, strict=False)
    except (NumberFormatError, ArithmeticError, ValueError) as exc:
        return type(exc)


def _ours_or_error(text: str, language: str) -> object:
    locale, _ = _number_locale(language)
    assert locale is not None
    try:
        return _parse_decimal(text, locale)
    except (NumberFormatError, ArithmeticError, ValueError) as exc:
        return type(exc)


@settings(max_examples=500, deadline=None)
@given(
    language=st.sampled_from(["es", "fr", "en", "de", "pt_BR", "de_CH", "ar", "hi"]),
    text=st.lists(
        st.sampled_from(["1", "20", "000", ".", ",", " ", "\u00a0", "\u202f", "\u2009", "'", "’", "e", "-", "٫", "x"]),
        max_size=8,
    ).map("".join),
)
@example(language="fr", text="20 000,5")
@example(language="es", text="20.000,5")
@example(language="de_CH", text="20’000.5")
def test_the_numbers_of_a_translation_are_read_as_babel_reads_them(language: str, text: str) -> None:
    """_parse_decimal (the locale's signs looked up once) gives what babel's parse_decimal gives."""
    assert _ours_or_error(text, language) == _babel_or_error(text, language)
