"""i18n_pipeline.checks.numbers: numbers, percentages, amounts and dates compared as values,
read with the target language's CLDR data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.checks import CHECKS, check_dates, check_numbers
from i18n_pipeline.checks.numbers import _MASK_NO_EMAIL_RE, _MASK_RE, source_values, target_values
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
    "Unas personas ₹ Ⅻ ½ ² ³ ¼ 〇"
).split()
_DIGITLESS_TEXT = st.lists(
    st.one_of(st.sampled_from(_DIGITLESS_WORDS), st.text(st.characters(blacklist_categories=("Nd", "Cs")), max_size=8)),
    max_size=30,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(source=_DIGITLESS_TEXT, target=_DIGITLESS_TEXT, language=st.sampled_from(["es", "fr", "en"]))
def test_text_without_a_digit_holds_no_number_nor_date(source: str, target: str, language: str) -> None:
    """Why numbers and dates skip a pair where neither side has a digit (of any script): the
    readers themselves find nothing there, so the verdict is the same without reading."""
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
