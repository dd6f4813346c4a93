"""Dates, numbers, percentages and amounts: found in English text, rendered with CLDR (babel).

The only module that does locale formatting. The translate stage protects each :class:`Entity`
as a numbered standalone placeholder before machine translation and restores it with
:func:`render_entity`, so the engine never sees (and never mangles) "20,000" or "3 August".

What counts as an entity (English running text):

- ``number``: grouped integers ("20,000", "1,000,000") and decimals ("3.5"). Plain integers
  ("185", "2005", "75007") are left alone: English groups every quantity of five digits or more,
  so an ungrouped integer is a count that renders the same, a year (which must never become
  "2.005") or a code (postcode, reference number).
- ``percent``: "60%", "2.5 %", "60 percent", "60 per cent".
- ``amount``: a currency sign or code before a number, optionally with a scale word:
  "US$ 2 million", "$1.5 million", "USD 300,000", "€3 billion". A bare "$" is read as US dollars
  (the organisations whose releases we translate report in USD).
- ``date``: "Wednesday, 3 August", "3 August", "August 3, 2011", "3 August 2011",
  "Wednesday, August 3, 2011" (ordinal suffixes and "Aug."-style abbreviations too).
- ``month_year``: "August 2011".
- ``year_range``: "from 2005 to 2009", "between 2005 and 2009", "2005-2009", "2005–2009".

Not entities: anything glued to letters ("COVID-19", "G20", "v2.1"), versions ("2.0.1",
"version 3.5"), phone numbers ("+ 52 55 5536 3922", "Tel: 5536 3922"), times ("10:30"), URLs and
e-mail addresses (with the dates or numbers inside them), years alone ("since 1951"), and the
placeholder tokens ``<1>``, ``</1>``, ``<2/>`` themselves (their content is scanned).

Rendering choices (CLDR 49 as shipped by babel 2.19):

- Numbers use CLDR's grouping and decimal symbols, with the space characters CLDR uses: French
  groups with U+202F (narrow no-break space), percentages in Spanish and French use U+00A0 before
  "%". We return them as they are; HTML escaping happens in the build.
- CLDR's ``minimumGroupingDigits`` is 2 for Spanish (and Italian, Polish, European Portuguese):
  a four-digit number is not grouped ("4,000" -> "4000", "20,000" -> "20.000"). babel does not
  carry that field, so :data:`MINIMUM_GROUPING_DIGITS` holds it.
- Dates use CLDR patterns: day and month from skeleton ``MMMMd`` ("3 de agosto", "3 août"),
  with a weekday from ``MMMMEd`` widened to the full weekday name, with a year the ``long`` and
  ``full`` date formats, month and year from ``yMMMM``. For Spanish running text we drop the comma
  CLDR puts after the weekday ("miércoles 3 de agosto", as the RAE's Ortografía writes dates in
  prose; CLDR's "miércoles, 3 de agosto" is the letterhead form). No year in the source means no
  year in the output, and the weekday is always the source's weekday, translated, never
  recomputed from a guessed year.
- Amounts with a scale word: CLDR's long compact number and the currency's plural display name,
  joined as the language does ("2 millones de dólares estadounidenses", "1,5 million de dollars
  des États-Unis"); other target languages get CLDR's short compact currency ("2 M US$").
  Amounts without a scale word use the locale's currency pattern, with the source's decimals.
- Year ranges keep the years as written; only the joining words change ("de 2005 a 2009",
  "de 2005 à 2009"), from a small table (CLDR has no "from ... to" for years in running text).
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from babel import Locale
from babel.dates import format_date, get_day_names
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_compact_decimal,
    get_currency_name,
)

from i18n_pipeline.errors import ConfigError
from i18n_pipeline.languages import cldr_locale
from i18n_pipeline.model import PLACEHOLDER_RE

__all__ = [
    "MINIMUM_GROUPING_DIGITS",
    "Amount",
    "DateValue",
    "Entity",
    "YearRange",
    "entities_in",
    "find_entities",
    "format_date_long",
    "mask_non_entities",
    "render_entity",
    "weekday_matches",
]

log = logging.getLogger(__name__)

#: CLDR ``<minimumGroupingDigits>`` where it is not 1 (babel does not expose this field).
MINIMUM_GROUPING_DIGITS: dict[str, int] = {"es": 2, "it": 2, "pl": 2, "pt_PT": 2}

# Languages whose prose writes no comma between the weekday and the day (CLDR's patterns do).
_NO_WEEKDAY_COMMA = frozenset({"es"})

# How "<number> <scale>" joins a currency name: es "2 millones de dólares", fr "2 millions de
# dollars" / "d'euros". Languages missing here get CLDR's short compact currency instead.
_AMOUNT_JOINER: dict[str, str] = {"es": "de", "fr": "de"}

Kind = Literal["number", "percent", "amount", "date", "month_year", "year_range"]


@dataclass(frozen=True)
class Entity:
    """A span of source text that is rendered with CLDR instead of being translated."""

    start: int
    end: int
    kind: Kind
    text: str  # the source text of the span
    value: object  # Decimal (number, percent), Amount, DateValue, YearRange


@dataclass(frozen=True)
class Amount:
    """A money amount: ``value`` as written, times ``scale`` (1, 10**6, 10**9, 10**12)."""

    currency: str  # ISO 4217 code
    value: Decimal
    scale: int = 1


@dataclass(frozen=True)
class DateValue:
    """A calendar date as written: parts the source leaves out are None."""

    year: int | None
    month: int
    day: int | None
    weekday: int | None = None  # 0 = Monday, as the source names it


@dataclass(frozen=True)
class YearRange:
    start: int
    end: int
    style: Literal["from", "between", "dash"]


# --- finding -------------------------------------------------------------------------------

_MONTHS = {
    name.lower(): number
    for number, name in enumerate(calendar.month_name)
    if name
}
_MONTH_ABBR = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

# One flat alternation (each abbreviation with its own "\.?", in the same order as a nested group
# would try them): every branch then opens with a literal, and re skips to the positions holding
# a month's first letter instead of trying each branch everywhere.
_MONTH = (
    r"(?:" + "|".join(m.capitalize() for m in _MONTHS) + r"|"
    + "|".join(a.capitalize() + r"\." + "?" for a in _MONTH_ABBR) + r")"
)
_WEEKDAY = r"(?:" + "|".join(d.capitalize() for d in _WEEKDAYS) + r")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1\d{3}|2\d{3})"
# No digit, letter or joining mark on either side of an entity.
_BEFORE = r"(?<![\w.,/\-+#@:$€£¥])"
_AFTER = r"(?![\w/\-:@%]|[.,]\d)"

_DATE_DMY_RE = re.compile(
    rf"{_BEFORE}(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<day>{_DAY})(?:\s+of)?\s+"
    rf"(?P<month>{_MONTH})(?:,?\s+(?P<year>{_YEAR}))?{_AFTER}"
)
_DATE_MDY_RE = re.compile(
    rf"{_BEFORE}(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<month>{_MONTH})\s+(?P<day>{_DAY})"
    rf"(?:,?\s+(?P<year>{_YEAR}))?{_AFTER}"
)
_MONTH_YEAR_RE = re.compile(rf"{_BEFORE}(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR}){_AFTER}")
_YEAR_RANGE_RE = re.compile(
    rf"{_BEFORE}(?:(?P<from>[Ff]rom)\s+(?P<a>{_YEAR})\s+(?:to|until|through)\s+(?P<b>{_YEAR})"
    rf"|(?P<between>[Bb]etween)\s+(?P<c>{_YEAR})\s+and\s+(?P<d>{_YEAR})"
    rf"|(?P<e>{_YEAR})[-–](?P<f>{_YEAR}))(?![\w/\-:@%])"
)
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d+)"
_CURRENCY_SIGNS: dict[str, str] = {
    "US$": "USD", "USD": "USD", "$": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
    "CHF": "CHF", "MXN": "MXN", "MX$": "MXN", "CA$": "CAD", "CAD": "CAD", "AU$": "AUD",
    "AUD": "AUD", "¥": "JPY", "JPY": "JPY",
}
# Every sign holds one of these ("US$", "MX$" hold "$"): _AMOUNT_RE's hint.
_CURRENCY_HINTS = tuple(s for s in _CURRENCY_SIGNS if not any(o != s and o in s for o in _CURRENCY_SIGNS))
_SCALES: dict[str, int] = {"million": 10**6, "billion": 10**9, "trillion": 10**12}
_AMOUNT_RE = re.compile(
    r"(?<![\w$])(?P<sign>"
    + "|".join(re.escape(s) for s in sorted(_CURRENCY_SIGNS, key=len, reverse=True))
    + rf")\s?(?P<num>{_NUMBER})(?:\s+(?P<scale>million|billion|trillion))?(?:\s+dollars)?"
    + _AFTER
)
# _BEFORE after the first digit, looking past it: "\d(?<![...]\d)\d*" is "(?<![...])\d+" tried in
# the same order, and a pattern opening with a digit lets re jump from digit to digit instead of
# trying it at every character.
_DIGIT_BEFORE = r"\d(?<![\w.,/\-+#@:$€£¥]\d)"
_PERCENT_RE = re.compile(
    rf"(?P<num>{_DIGIT_BEFORE}\d*(?:\.\d+)?)(?:\s?%|\s+per\s?cent\b)(?!\w)"
)
_NUMBER_RE = re.compile(
    rf"{_DIGIT_BEFORE}(?:\d{{0,2}}(?:,\d{{3}})+(?:\.\d+)?|\d*\.\d+){_AFTER}"
)

_DIGIT_RE = re.compile(r"\d")
_MONTH_RE = re.compile(_MONTH)

# Spans that hold no entity at all. Deliberately not segment.find_urls: that rule cuts a URL
# exactly (its span becomes a placeholder, the text around it is translated), this one is a mask
# and errs wide, up to the next space, so that no digit of an address is read as a number or a
# date (e.g. after a quote inside a URL, where the exact rule stops).
_URL_RE = re.compile(r"(?:https?://|ftp://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
# Three or more digit groups in a row ("52 55 5536 3922", "555-123-4567").
_PHONE_RE = re.compile(r"\+?\s?\(?\d{1,4}\)?(?:[ .\-]\(?\d{1,5}\)?){2,}")
_PHONE_LABEL_RE = re.compile(
    r"\b(?:tel|telephone|phone|fax|mobile|mob|cell)\.?:?\s*\+?[\d ()./\-]*\d", re.IGNORECASE
)
_VERSION_RE = re.compile(
    r"\d+(?:\.\d+){2,}|\b(?:version|release|v\.?)\s*\d+(?:\.\d+)+", re.IGNORECASE
)

# A character that is neither a word character, a space nor a digit: masks placeholder tokens
# without moving offsets.
_MASK = "\ufffc"

# Hints: what a text must hold for a pattern to match in it, found with a substring test or a
# short regex (about 1 µs a sentence, where a pass of the pattern costs 10-40 µs). A pattern whose
# hint is absent cannot match, so it is not run: the result is the one of running it
# (tests/test_localise.py checks every pair on generated text and on news text).
_DOT_RE = re.compile(r"\d\.\d")  # cheaper than the next one, which it tells to look
_VERSION_HINT_RE = re.compile(r"\d\.\d+\.\d|[nev]\.?\s*\d+\.\d", re.IGNORECASE)  # "1.2.3", "version 3.5", "v2.1"
_PHONE_HINT_RE = re.compile(r"\d\)?[ .\-]\(?\d{1,5}\)?[ .\-]\(?\d")  # three digit groups
# The labels of _PHONE_LABEL_RE in a lower-case text ("telephone" holds "tel"): re's
# case-insensitive matches of t e l p h o n f a x m b c are exactly the letters whose lower() they are.
_PHONE_LABEL_HINT_RE = re.compile("tel|phone|fax|mob|cell")
_CURRENCY_HINT_RE = re.compile("|".join(re.escape(s) for s in _CURRENCY_HINTS))
_DECIMAL_HINT_RE = re.compile(r"\d[.,]\d")  # "20,000", "3.5"
_DASH_HINT_RE = re.compile(r"\d[-–]\d")  # "2005-2009"
# By the pattern's text: a compiled pattern hashes its whole program on every lookup.
_HINTS: dict[str, Callable[[str], bool]] = {
    PLACEHOLDER_RE.pattern: lambda text: "<" in text,
    _URL_RE.pattern: lambda text: "://" in text or "@" in text or "www." in text.lower(),
    _VERSION_RE.pattern: lambda text: _DOT_RE.search(text) is not None and _VERSION_HINT_RE.search(text) is not None,
    _PHONE_LABEL_RE.pattern: lambda text: _PHONE_LABEL_HINT_RE.search(text.lower()) is not None,
    _PHONE_RE.pattern: lambda text: _PHONE_HINT_RE.search(text) is not None,
    _YEAR_RANGE_RE.pattern: lambda text: "rom" in text or "etween" in text or _DASH_HINT_RE.search(text) is not None,
    _AMOUNT_RE.pattern: lambda text: _CURRENCY_HINT_RE.search(text) is not None,
    _PERCENT_RE.pattern: lambda text: "%" in text or "cent" in text,
    _NUMBER_RE.pattern: lambda text: _DECIMAL_HINT_RE.search(text) is not None,
}


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: _MASK * len(m.group()), text) if _HINTS[pattern.pattern](text) else text


def _matches(pattern: re.Pattern[str], scan: str) -> Iterator[re.Match[str]]:
    return pattern.finditer(scan) if _HINTS[pattern.pattern](scan) else iter(())


def mask_non_entities(text: str) -> str:
    """``text`` with placeholders, URLs, e-mail addresses, versions and phone numbers masked
    (same length, no digit left in them): what is left is where entities can be."""
    scan = _mask(text, PLACEHOLDER_RE)
    for pattern in (_URL_RE, _VERSION_RE, _PHONE_LABEL_RE, _PHONE_RE):
        scan = _mask(scan, pattern)
    return scan


_ON_BEFORE_RE = re.compile(r"(?<![\w-])([Oo]n)\s+\Z")
# What "on" before a day becomes: "el 3 de agosto", "le 3 août".
_DATE_ARTICLE = {"es": "el", "fr": "le", "it": "il", "pt": "em", "ca": "el"}


def find_entities(text: str, source_lang: str = "en") -> list[Entity]:
    """Entities in ``text``, in order, never overlapping.

    Only English is recognised; any other source language yields no entities (the engine then
    sees the text as it is).
    """
    if source_lang.split("_")[0].split("-")[0].lower() != "en":
        log.warning("entities are only recognised in English text, not %r", source_lang)
        return []
    # Every entity holds a digit: most sentences have none, and this search costs less than the
    # masks (PLAN.md: protection).
    if _DIGIT_RE.search(text) is None:
        return []
    return entities_in(text, mask_non_entities(text))


def entities_in(text: str, scan: str) -> list[Entity]:
    """The entities of English ``text``, whose :func:`mask_non_entities` is ``scan`` (for a
    reader that needs the mask too: it is made once)."""
    if _DIGIT_RE.search(scan) is None:
        return []
    has_month = _MONTH_RE.search(scan) is not None  # a date holds a month's name
    taken: list[tuple[int, int]] = []
    found: list[Entity] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(start: int, end: int, kind: Kind, value: object) -> None:
        taken.append((start, end))
        found.append(Entity(start, end, kind, text[start:end], value))

    for pattern in (_DATE_DMY_RE, _DATE_MDY_RE) if has_month else ():
        for m in pattern.finditer(scan):
            value = _date_value(m)
            if value is not None and free(m.start(), m.end()):
                # "on 3 August": the preposition goes with the date, else engines strand it
                # ("encima 3 de agosto"); render_entity writes the target's article.
                on = _ON_BEFORE_RE.search(scan, 0, m.start()) if value.day is not None else None
                add(on.start(1) if on else m.start(), m.end(), "date", value)
    for m in _MONTH_YEAR_RE.finditer(scan) if has_month else ():
        if free(m.start(), m.end()):
            month = _month_number(m.group("month"))
            add(m.start(), m.end(), "month_year", DateValue(int(m.group("year")), month, None))
    for m in _matches(_YEAR_RANGE_RE, scan):
        if m.group("from"):
            a, b, style = m.group("a"), m.group("b"), "from"
        elif m.group("between"):
            a, b, style = m.group("c"), m.group("d"), "between"
        else:
            a, b, style = m.group("e"), m.group("f"), "dash"
        if int(a) < int(b) and free(m.start(), m.end()):
            add(m.start(), m.end(), "year_range", YearRange(int(a), int(b), style))  # type: ignore[arg-type]
    for m in _matches(_AMOUNT_RE, scan):
        if free(m.start(), m.end()):
            scale = _SCALES[m.group("scale")] if m.group("scale") else 1
            amount = Amount(_CURRENCY_SIGNS[m.group("sign")], _decimal(m.group("num")), scale)
            add(m.start(), m.end(), "amount", amount)
    for m in _matches(_PERCENT_RE, scan):
        if free(m.start(), m.end()):
            add(m.start(), m.end(), "percent", _decimal(m.group("num")))
    for m in _matches(_NUMBER_RE, scan):
        if free(m.start(), m.end()):
            add(m.start(), m.end(), "number", _decimal(m.group()))
    found.sort(key=lambda e: e.start)
    return found


def _decimal(number: str) -> Decimal:
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation as exc:  # the regexes only let digits through
        raise ValueError(f"not a number: {number!r}") from exc


def _month_number(name: str) -> int:
    key = name.rstrip(".").lower()
    return _MONTHS.get(key) or _MONTH_ABBR[key]


def _date_value(m: re.Match[str]) -> DateValue | None:
    month = _month_number(m.group("month"))
    day = int(re.sub(r"\D", "", m.group("day")))
    year = int(m.group("year")) if m.group("year") else None
    weekday = _WEEKDAYS[m.group("wd").lower()] if m.group("wd") else None
    if day > calendar.monthrange(year if year is not None else 2000, month)[1]:
        return None  # "31 June" is not a date
    return DateValue(year, month, day, weekday)


def weekday_matches(entity: Entity, year: int) -> bool:
    """Whether a date's weekday, as the source names it, falls on that date in ``year``.

    For QA of yearless dates ("Wednesday, 3 August" belongs to 2011, not 2012). True when the
    entity names no weekday.
    """
    value = entity.value
    if not isinstance(value, DateValue) or value.weekday is None or value.day is None:
        return True
    try:
        return dt.date(value.year or year, value.month, value.day).weekday() == value.weekday
    except ValueError:
        return False


# --- rendering -----------------------------------------------------------------------------


def _locale(target_lang: str) -> Locale:
    try:
        return cldr_locale(target_lang)
    except ConfigError as exc:
        raise ConfigError(
            "localise", f"unknown target language {target_lang!r}",
            "use a CLDR language code such as 'es', 'fr' or 'pt_BR'",
        ) from exc


def _min_grouping(locale: Locale) -> int:
    return MINIMUM_GROUPING_DIGITS.get(
        str(locale), MINIMUM_GROUPING_DIGITS.get(locale.language, 1)
    )


def _with_decimals(pattern: NumberPattern, decimals: int) -> NumberPattern:
    """The CLDR pattern showing exactly the source's decimals ("12.50" stays "12,50")."""
    fixed = copy.copy(pattern)
    fixed.frac_prec = (decimals, decimals)
    return fixed


def _format_number(value: Decimal, locale: Locale, *, percent: bool = False) -> str:
    """CLDR decimal (or percent) format keeping the source's decimals, with minimum grouping."""
    decimals = max(0, -int(value.as_tuple().exponent))
    pattern = locale.percent_formats[None] if percent else locale.decimal_formats[None]
    integer_digits = len(str(abs(int(value))))
    grouping = integer_digits >= pattern.grouping[0] + _min_grouping(locale)
    number = value / 100 if percent else value
    return str(_with_decimals(pattern, decimals).apply(number, locale, group_separator=grouping))


def render_entity(
    entity: Entity,
    target_lang: str,
    *,
    reference_year: int | None = None,
    initial: bool = False,
) -> str:
    """The entity written for ``target_lang`` with CLDR data.

    ``reference_year`` is the year a yearless date belongs to (the release's year). It never
    shows in the output (no year in the source, none in the output) and the weekday stays the
    one the source names; it only lets 29 February exist. ``initial`` capitalises the first
    letter, for an entity that opens the translated sentence ("Miércoles 3 de agosto ...").
    """
    locale = _locale(target_lang)
    value = entity.value
    if entity.kind == "number" and isinstance(value, Decimal):
        out = _format_number(value, locale)
    elif entity.kind == "percent" and isinstance(value, Decimal):
        out = _format_number(value, locale, percent=True)
    elif entity.kind == "amount" and isinstance(value, Amount):
        out = _render_amount(value, locale)
    elif entity.kind in ("date", "month_year") and isinstance(value, DateValue):
        out = _render_date(value, locale, reference_year)
        if entity.text[:3].lower() == "on ":
            article = _DATE_ARTICLE.get(locale.language, "")
            out = f"{article} {out}" if article else out
    elif entity.kind == "year_range" and isinstance(value, YearRange):
        out = _render_year_range(value, locale, entity.text)
    else:
        raise ValueError(f"cannot render entity of kind {entity.kind!r}: {entity.value!r}")
    return out[:1].upper() + out[1:] if initial else out


def _render_amount(amount: Amount, locale: Locale) -> str:
    decimals = max(0, -int(amount.value.as_tuple().exponent))
    if amount.scale == 1:
        pattern = locale.currency_formats["standard"]
        grouping = len(str(abs(int(amount.value)))) >= pattern.grouping[0] + _min_grouping(locale)
        return str(_with_decimals(pattern, decimals).apply(
            amount.value, locale, currency=amount.currency, currency_digits=False,
            group_separator=grouping,
        ))
    total = amount.value * amount.scale
    joiner = _AMOUNT_JOINER.get(locale.language)
    if joiner is None:
        return format_compact_currency(
            total, amount.currency, locale=locale, fraction_digits=max(decimals, 3)
        )
    # Enough fraction digits for "$1,500 million" -> "1,5 mil millones"; babel drops the zeros.
    number = format_compact_decimal(
        total, format_type="long", locale=locale, fraction_digits=max(decimals, 3)
    )
    name = get_currency_name(amount.currency, count=2, locale=locale)
    if locale.language == "fr" and name[:1].lower() in "aeiouyhéèêâîôû":
        return f"{number} d’{name}"  # elision, with CLDR French's apostrophe
    return f"{number} {joiner} {name}"


def _widen_weekday(pattern: str) -> str:
    """E / EEE -> EEEE outside quoted literals (CLDR skeleton matching keeps the short name)."""
    parts = pattern.split("'")
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = re.sub(r"E+", "EEEE", parts[i])
    return "'".join(parts)


def _replace_outside_quotes(pattern: str, old: str, new: str) -> str:
    parts = pattern.split("'")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace(old, new)
    return "'".join(parts)


def _render_date(value: DateValue, locale: Locale, reference_year: int | None) -> str:
    if value.day is None:  # month and year
        skeleton = locale.datetime_skeletons["yMMMM"]
        return format_date(dt.date(value.year or 2000, value.month, 1), skeleton, locale=locale)
    if value.year is not None:
        pattern = locale.date_formats["full" if value.weekday is not None else "long"].pattern
    elif value.weekday is not None:
        pattern = locale.datetime_skeletons["MMMMEd"].pattern
    else:
        pattern = locale.datetime_skeletons["MMMMd"].pattern
    if value.weekday is not None:
        pattern = _widen_weekday(pattern)
        if locale.language in _NO_WEEKDAY_COMMA:
            pattern = _replace_outside_quotes(pattern, "EEEE,", "EEEE")
        name = get_day_names("wide", locale=locale)[value.weekday]
        # The source's weekday, not the one the date falls on: quote it as a literal.
        pattern = _replace_outside_quotes(pattern, "EEEE", "\0")
        pattern = pattern.replace("\0", "'" + name.replace("'", "''") + "'")
    year = value.year
    if year is None:  # any year does: the pattern shows none, the weekday is a literal
        feb29 = (value.month, value.day) == (2, 29)
        year = reference_year or 2000
        if feb29 and not calendar.isleap(year):
            year = 2000
    return format_date(dt.date(year, value.month, value.day), pattern, locale=locale)


_RANGE_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    # style -> language -> (before the first year, between the years)
    "from": {"en": ("from", "to"), "es": ("de", "a"), "fr": ("de", "à"), "pt": ("de", "a"),
             "it": ("dal", "al"), "de": ("von", "bis")},
    "between": {"en": ("between", "and"), "es": ("entre", "y"), "fr": ("entre", "et"),
                "pt": ("entre", "e"), "it": ("tra il", "e il"), "de": ("zwischen", "und")},
}


def _render_year_range(value: YearRange, locale: Locale, source: str) -> str:
    """Years stay as written (never grouped); only the joining words change."""
    if value.style == "dash":
        dash = "–" if "–" in source else "-"
        return f"{value.start}{dash}{value.end}"
    words = _RANGE_WORDS[value.style].get(locale.language)
    if words is None:  # an unknown language: CLDR's year interval format
        return f"{value.start}–{value.end}"
    before, between = words
    if source[:1].isupper():
        before = before[:1].upper() + before[1:]
    return f"{before} {value.start} {between} {value.end}"



def format_date_long(value: dt.date | dt.datetime | str, target_lang: str) -> str:
    """A release's date for its dateline: CLDR's ``long`` format ("3 de agosto de 2011").

    Accepts a date, a datetime or an ISO 8601 string (front matter may hold either); text that is
    not an ISO date is returned unchanged rather than guessed at.
    """
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
    else:
        day = value.date() if isinstance(value, dt.datetime) else value
    return format_date(day, "long", locale=_locale(target_lang))
