"""Numbers, percentages, amounts and dates compared as values, whatever the locale writes.

The source side is English and read by ``localise.find_entities`` (the same reader that protects
entities before the engine), plus the plain integers it leaves alone (counts, years). The target
side is read with the target language's CLDR data through babel: ``parse_decimal`` for numbers
("20.000" in Spanish, "20 000" in French), month and weekday names for dates ("3 de agosto",
"3 août"). A number the translator left in English form ("20,000") counts too: the check is
about values, not about formatting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.core import Locale
from babel.dates import get_day_names, get_month_names
from babel.numbers import SPACE_CHARS, SPACE_CHARS_RE, NumberFormatError, parse_decimal

from i18n_pipeline.checks.registry import CheckContext, check
from i18n_pipeline.errors import ConfigError
from i18n_pipeline.languages import cldr_locale
from i18n_pipeline.localise import Amount, DateValue, YearRange, entities_in, mask_non_entities
from i18n_pipeline.model import PLACEHOLDER_RE, Severity
from i18n_pipeline.segment import EMAIL_PATTERN, URL_PATTERN

__all__ = ["Found", "check_dates", "check_numbers", "loose_values", "source_values", "target_values"]


@dataclass(frozen=True)
class Found:
    """One number or date as written, and the values it may stand for."""

    text: str
    values: frozenset[object]


# --- the source (English) ---------------------------------------------------------------------

_SPACES = "\u00a0\u202f "
_SPACE_RE = re.compile(f"[{_SPACES}]")
_SPACE_GROUPED_RE = re.compile(f"\\d{{1,3}}(?:[{_SPACES}]\\d{{3}})+")  # the SI way, any language
# An integer, or one grouped by spaces (_SPACE_GROUPED_RE: "40 000", "6\u202f628"), as a
# translation's numbers are read: English text translated from other languages writes them so,
# engines keep them, and read as "40" and "000" in the source only, they failed the check.
_PLAIN_INTEGER_RE = re.compile(
    rf"(?<![\w.,/\-+#@:$€£¥])(?:{_SPACE_GROUPED_RE.pattern}|\d+)(?![\w/\-@%]|:\d|[.,]\d)"
)
# Times are not compared (a translation may write "12.00 GMT" as "12:00", "10 pm" as "22 h").
_TIME_RE = re.compile(
    r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:[ap]\.?m\b\.?|GMT|UTC)|\b\d{1,2}[.:]\d{2}\b|\b\d{3,4}\s*(?:GMT|UTC|hours)\b"
    r"|\b\d{1,2}\s?h(?:\s?\d{2})?\b",
    re.IGNORECASE,
)
_ENGLISH_NUMBERS = {
    word: n for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
} | {word: 10 * n for n, word in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if n >= 2}
_ENGLISH_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_NUMBER_WORD_RE = re.compile(
    rf"\b({'|'.join(_ENGLISH_NUMBERS)})(?:-({'|'.join(_ENGLISH_NUMBERS)}))?(?:\s+({'|'.join(_ENGLISH_SCALES)}))?\b",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)?")
# Every number or date either side can hold has a digit (any script's: ``\d`` as the readers
# use it) outside the placeholders (both readers mask them first, and no other mask can end
# inside one: none takes a "<"), so a pair with none has nothing to compare: most sentences of a
# release, and the readers cost ~0.4 ms a sentence, on every first build (tests/checks/test_numbers.py).
_ANY_DIGIT_RE = re.compile(r"\d")


def _has_figure(text: str) -> bool:
    if _ANY_DIGIT_RE.search(text) is None:
        return False
    return "<" not in text or _ANY_DIGIT_RE.search(PLACEHOLDER_RE.sub("", text)) is not None


@lru_cache(maxsize=4)  # asked by the numbers check, then by the dates check, of the same pair
def _nothing_to_compare(source: str, target: str) -> bool:
    return not _has_figure(source) and not _has_figure(target)


# What a text must hold for _TIME_RE to match in it (a pass of _TIME_RE costs ~20 µs a sentence,
# this ~2 µs): every branch has a digit followed by ".12"/":12" or by a space and "am", "pm",
# "GMT", "UTC", "h", "hours".
_TIME_HINT_RE = re.compile(r"\d(?:[.:]\d|\s*(?:[ap]\.?m|gmt|utc|h))", re.IGNORECASE)


def _masked(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: "\ufffc" * len(m.group()), text)


def _amount_values(amount: Amount) -> frozenset[object]:
    """An amount may be written with its own number ("2 millones") or scaled ("2.000.000",
    "1,5 mil millones" for "$1,500 million"): every power of a thousand of the total counts."""
    total = amount.value * amount.scale
    return frozenset({amount.value, *(total / Decimal(1000) ** k for k in range(5))})


def loose_values(source: str) -> frozenset[object]:
    """Values the source may hold without writing them as a number a translation must keep:
    digits glued to words ("4-month-old", "600Mbit/s", "1960s" → also 60), numbers in words
    ("seventeen", "four million"), times. A translation that writes them as digits is right."""
    values: set[object] = set()
    for m in _DIGITS_RE.finditer(PLACEHOLDER_RE.sub(" ", source)):
        try:
            value = Decimal(m.group().replace(",", ""))
        except InvalidOperation:
            continue
        values.add(value)
        if len(m.group()) == 4 and source[m.end() : m.end() + 1] == "s":  # the 1960s: "los años 60"
            values.add(value % 100)
    for m in re.finditer(r"\b(\d{1,2})(?::\d{2})?\s*p\.?m\b", source, re.IGNORECASE):
        values.add(Decimal(int(m.group(1)) % 12 + 12))  # "2 p.m." is "14 h"
    for m in re.finditer(r"\ba\s+(hundred|thousand|million|billion)\b", source, re.IGNORECASE):
        values.add(Decimal(_ENGLISH_SCALES[m.group(1).lower()]))
    for m in _NUMBER_WORD_RE.finditer(source):
        value = Decimal(_ENGLISH_NUMBERS[m.group(1).lower()] + (_ENGLISH_NUMBERS[m.group(2).lower()] if m.group(2) else 0))
        values.add(value)
        if m.group(3):
            values.add(value * _ENGLISH_SCALES[m.group(3).lower()])
    return frozenset(values)


@lru_cache(maxsize=256)  # the numbers and dates checks read the same texts
def source_values(source: str) -> tuple[tuple[Found, ...], tuple[Found, ...]]:
    """(numbers, dates) of an English source text."""
    mask = mask_non_entities(source)
    if _ANY_DIGIT_RE.search(mask) is None:  # no entity, no plain integer
        return (), ()
    numbers: list[Found] = []
    dates: list[Found] = []
    # The hint is read in the source: the mask only hides characters, never adds one.
    timed = _TIME_HINT_RE.search(source) is not None
    times = [m.span() for m in _TIME_RE.finditer(source)] if timed else []
    scan = _masked(_TIME_RE, mask) if timed else mask
    for entity in entities_in(source, mask):
        if any(entity.start < end and start < entity.end for start, end in times):
            continue  # "12.00 GMT" is a time, not the number 12
        value = entity.value
        if isinstance(value, DateValue):
            dates.append(Found(entity.text, frozenset({value})))
        elif isinstance(value, YearRange):
            numbers += [Found(str(value.start), frozenset({Decimal(value.start)})),
                        Found(str(value.end), frozenset({Decimal(value.end)}))]
        elif isinstance(value, Amount):
            numbers.append(Found(entity.text, _amount_values(value)))
        elif isinstance(value, Decimal):
            numbers.append(Found(entity.text, frozenset({value})))
        scan = scan[: entity.start] + "\ufffc" * (entity.end - entity.start) + scan[entity.end :]
    for m in _PLAIN_INTEGER_RE.finditer(scan):
        numbers.append(Found(m.group(), frozenset({Decimal(_SPACE_RE.sub("", m.group()))})))
    return tuple(numbers), tuple(dates)


# --- the target (any language CLDR knows) -----------------------------------------------------

_MASKED = (
    r"\+\s?\d[\d ()./\-]{6,}\d"  # an international phone number
    r"|\b(?:tel|t[eé]l[eé]fono|t[eé]l[eé]phone|phone|fax)\.?:?\s*\+?[\d ()./\-]*\d"
)
_MASK_RE = re.compile(f"{PLACEHOLDER_RE.pattern}|{URL_PATTERN}|{EMAIL_PATTERN}|{_MASKED}", re.IGNORECASE)
# The same without e-mail addresses, for a text with no "@": that pattern fails slowly on every word.
_MASK_NO_EMAIL_RE = re.compile(f"{PLACEHOLDER_RE.pattern}|{URL_PATTERN}|{_MASKED}", re.IGNORECASE)
# A hyphen joins numbers to words ("COVID-19", "4-month-old": not compared) or to numbers (a
# range "1644-1912": both compared). The first digit comes before the look-behinds (which look
# past it), so re jumps from digit to digit instead of trying the pattern at every character: a
# quarter of the time, the same matches ("(?<!x)\d{1,3}" is "\d(?<!x\d)\d{0,2}", tried in the
# same order; tests/checks/test_numbers.py).
_TARGET_NUMBER_RE = re.compile(
    r"\d(?<![\w.,/+#@:$]\d)(?<![^\W\d_]-\d)"
    r"(?:\d{0,2}(?P<sep>[.,\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d+)?|\d*(?:[.,]\d+)?)"
    r"(?![\w/@]|:\d|-(?!\d)|[.,]\d)"
)


# What _MASK_RE's alternatives need: a "<", "://", "@", "+", or a phone label (lower case; re's
# case-insensitive matches of t e l é p h o n f a x are exactly the letters whose lower() they are).
_TARGET_PHONE_LABELS = ("tel", "tél", "phone", "fax")


def _target_mask(target: str) -> re.Pattern[str] | None:
    """The mask of a translation, without the alternatives that cannot match in it (an
    alternative that matches nowhere changes nothing): none at all for most sentences."""
    if "@" in target:
        return _MASK_RE
    lower = target.lower()
    if "://" in target or "+" in target or any(label in lower for label in _TARGET_PHONE_LABELS):
        return _MASK_NO_EMAIL_RE  # the e-mail pattern fails slowly on every word
    return PLACEHOLDER_RE if "<" in target else None


# Case-insensitive re matches a letter with the letters of the same lower() and with the twins
# of re._casefix (ı and i, ſ and s, ς and σ, ...): lower() and the twins mapped to one of them
# read a month's name as re does. A lowered text holding a twin (or U+0307, from "İ") is not
# hinted at all (tests/checks/test_numbers.py compares the twins with re's).
_CASE_TWINS = {
    "ı": "i", "ſ": "s", "µ": "μ", "ϐ": "β", "ϵ": "ε", "ϑ": "θ", "ϰ": "κ", "ϖ": "π", "ϱ": "ρ",
    "ς": "σ", "ϕ": "φ", "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с", "ᲄ": "т", "ᲅ": "т", "ᲆ": "ъ",
    "ᲇ": "ѣ", "ᲈ": "ꙋ", "\u1fbe": "ι", "\u0345": "ι", "\u1fd3": "\u0390", "\u1fe3": "\u03b0",
    "ẛ": "ṡ", "ﬅ": "ﬆ",
}  # fmt: skip
_TWIN_RE = re.compile("[\u0307" + "".join(_CASE_TWINS) + "]")


@dataclass(frozen=True)
class _Names:
    months: dict[str, int]
    weekdays: dict[str, int]
    date_re: re.Pattern[str]
    # Lower-case month names (twins mapped) none of which holds another: every date holds one.
    hints: tuple[str, ...]
    # The hints as one alternation of literals: one search finds whether any is in a text, where
    # a loop of ``hint in text`` took ~15 µs a sentence (tests/checks/test_numbers.py).
    hints_re: re.Pattern[str]

    def may_hold_date(self, text: str) -> bool:
        """False when ``text`` holds none of the month names: ``date_re`` (~60 µs a sentence)
        cannot match there."""
        lower = text.lower()
        return _TWIN_RE.search(lower) is not None or self.hints_re.search(lower) is not None


def _alternation(names: Iterable[str]) -> str:
    """The names, longest first, behind a look-ahead for their first letters: a word starting
    with none of them is passed at once instead of being tried against every name (a third of
    the dates pattern's time; the same matches, tests/checks/test_numbers.py)."""
    names = sorted(set(names), key=len, reverse=True)
    initials = "".join(sorted({re.escape(n[0]) for n in names if n}))
    guard = f"(?=[{initials}])" if initials and all(names) else ""
    return guard + "(?:" + "|".join(re.escape(n) for n in names) + ")"


@lru_cache(maxsize=16)
def _names(language: str) -> _Names:
    """Month and weekday names of ``language`` and of English (a date the translator did not
    translate still has a value), lower case, with and without their abbreviation dot."""
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for code in dict.fromkeys([language, "en"]):
        try:
            locale = cldr_locale(code)
        except ConfigError:
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in get_month_names(width, context, locale).items():
                    months.setdefault(name.lower(), number)
                    months.setdefault(name.lower().rstrip("."), number)
                for number, name in get_day_names("wide", context, locale).items():
                    weekdays.setdefault(name.lower(), number)
    month = f"(?P<month>{_alternation(months)})"
    weekday = rf"(?:(?P<wd>{_alternation(weekdays)}),?\s+)?"
    day = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:er|º|°|st|nd|rd|th)?"
    year = r"(?P<year>[12]\d{3})"
    date_re = re.compile(
        rf"(?<!\w){weekday}(?:{day}\s+(?:de\s+|of\s+)?{month}\.?(?:,?\s+(?:de\s+|del\s+)?{year})?"
        rf"|{month.replace('month', 'month2')}\.?\s+(?P<day2>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
        rf"(?:,?\s+(?P<year2>[12]\d{{3}}))?"
        rf"|{month.replace('month', 'month3')}\.?,?\s+(?:de\s+|del\s+)?(?P<year3>[12]\d{{3}}))(?!\w)",
        re.IGNORECASE,
    )
    folded = {"".join(_CASE_TWINS.get(c, c) for c in name.lower()) for name in months}
    hints = tuple(sorted(h for h in folded if not any(o != h and o in h for o in folded)))
    return _Names(months, weekdays, date_re, hints, re.compile("|".join(re.escape(h) for h in hints)))


def _date_of(m: re.Match[str], names: _Names) -> DateValue:
    wd = names.weekdays.get((m.group("wd") or "").lower())
    if m.group("month"):
        month, day, year = m.group("month"), m.group("day"), m.group("year")
    elif m.group("month2"):
        month, day, year = m.group("month2"), m.group("day2"), m.group("year2")
    else:
        month, day, year = m.group("month3"), None, m.group("year3")
    return DateValue(int(year) if year else None, names.months[month.lower()], int(day) if day else None, wd)


@lru_cache(maxsize=16)
def _number_locale(code: str) -> tuple[Locale | None, str]:
    """CLDR's locale of ``code`` (None: unknown) and its grouping sign, looked up once: babel
    parses the tag again on every call, a third of the check's time on a first build."""
    try:
        locale = cldr_locale(code)
    except ConfigError:
        return None, ","
    try:
        return locale, locale.number_symbols["latn"]["group"]
    except KeyError:
        return locale, ","


@lru_cache(maxsize=16)
def _decimal_symbols(locale: Locale) -> tuple[str, str] | None:
    """The grouping and decimal signs babel's parse_decimal reads ``locale``'s numbers with (its
    "latn" digits); None when CLDR has no such numbers for it."""
    try:
        symbols = locale.number_symbols["latn"]
    except KeyError:
        return None
    return symbols.get("group", ","), symbols.get("decimal", ".")


def _parse_decimal(text: str, locale: Locale) -> Decimal:
    """``parse_decimal(text, locale=locale, strict=False)``, the locale's signs looked up once:
    babel looks them up on every call, through three layers of its locale data (most of the
    check's time on the numbers of a translation; tests/checks/test_numbers.py compares both)."""
    symbols = _decimal_symbols(locale)
    if symbols is None:
        return parse_decimal(text, locale=locale, strict=False)  # babel raises what it raises
    group, decimal = symbols
    # As babel does: a grouping sign that is a space stands for any kind of space.
    if group in SPACE_CHARS and group not in text and SPACE_CHARS_RE.search(text):
        text = SPACE_CHARS_RE.sub(group, text)
    try:
        return Decimal(text.replace(group, "").replace(decimal, "."))
    except InvalidOperation as exc:
        raise NumberFormatError(f"{text!r} is not a valid decimal number") from exc


def load_language_data(language: str) -> None:
    """What the checks read of CLDR for ``language`` (and English), loaded now: a build loads it
    before it forks its workers, so that each does not load its own."""
    _names(language)
    _number_locale(language)
    _english()


@lru_cache(maxsize=1)
def _english() -> Locale:
    """What babel makes of locale="en", parsed once (parse_decimal parses the tag on every call)."""
    return Locale.parse("en")


@lru_cache(maxsize=4096)  # the same numbers recur (years, counts); babel's parse_decimal is slow
def _number_values(text: str, language: str) -> frozenset[object]:
    """What a number written in a translation may mean: read in the target's locale, and in
    English (a number left as the source writes it)."""
    values: set[object] = set()
    if _SPACE_GROUPED_RE.fullmatch(text):  # grouped by spaces: the SI way, any language
        values.add(Decimal(_SPACE_RE.sub("", text)))
    for code in (language, "en"):
        token = text
        locale = _english()
        if code != "en":
            found, group = _number_locale(code)
            if found is None:
                continue  # CLDR does not know the language: read in English only
            locale = found
            token = _SPACE_RE.sub(group, text) if group in _SPACES else text
        try:
            values.add(_parse_decimal(token, locale))
        except (NumberFormatError, InvalidOperation, ValueError):
            continue
    return frozenset(values)


@lru_cache(maxsize=256)
def target_values(target: str, language: str) -> tuple[tuple[Found, ...], tuple[Found, ...]]:
    """(numbers, dates) of a translation into ``language``."""
    if not _has_figure(target):
        return (), ()
    names = _names(language)
    mask = _target_mask(target)
    scan = _masked(mask, target) if mask else target
    if _TIME_HINT_RE.search(target):  # the hint is read in the target: the mask adds no character
        scan = _masked(_TIME_RE, scan)
    dates: list[Found] = []
    for m in names.date_re.finditer(scan) if names.may_hold_date(target) else ():
        dates.append(Found(target[m.start() : m.end()], frozenset({_date_of(m, names)})))
        scan = scan[: m.start()] + "\ufffc" * (m.end() - m.start()) + scan[m.end() :]
    numbers = tuple(Found(m.group(), _number_values(m.group(), language)) for m in _TARGET_NUMBER_RE.finditer(scan))
    return numbers, tuple(dates)


# --- comparing ------------------------------------------------------------------------------


def _unmatched(wanted: Sequence[Found], got: Sequence[Found]) -> tuple[list[Found], list[Found]]:
    """Pair source and target items with a common value; the leftovers of each side."""
    free = list(got)
    missing: list[Found] = []
    for item in wanted:
        match = next((g for g in free if item.values & g.values), None)
        if match is None:
            missing.append(item)
        else:
            free.remove(match)
    return missing, free


def _same_date(a: DateValue, b: DateValue) -> bool:
    return (
        a.month == b.month and a.day == b.day
        and (a.year is None or a.year == b.year)
        and (a.weekday is None or b.weekday is None or a.weekday == b.weekday)
    )  # fmt: skip


def _quoted(items: Sequence[Found]) -> str:
    return ", ".join(f'"{i.text}"' for i in items)


@check("numbers", Severity.CRITICAL)
def check_numbers(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Numbers, percentages and amounts must keep their values: "20,000" may be written
    "20.000" or "20 000", but not "2.000"; "60%" may be "60 %".

    Values are compared, read with the target language's CLDR symbols (a number left in the
    source's form counts too). Critical, graver than pofilter's "numbers" (functional): a
    release's figures are what the press quotes, so a changed one is never published. Small
    counts the source writes in digits may be written in words ("tres"): numbers up to ten the
    translation lacks are not reported;
    numbers the source writes in words or glued to a unit ("seventeen", "600Mbit/s") may be
    written in digits. Times are not compared ("12.00 GMT" may be "12:00", "10 pm" "22 h").
    """
    if _nothing_to_compare(source, target):
        return []
    wanted, _ = source_values(source)
    got, _ = target_values(target, context.language or "en")
    missing, extra = _unmatched(wanted, got)
    missing = [m for m in missing if not all(isinstance(v, Decimal) and v <= 10 for v in m.values)]
    if extra:  # read only when needed: a fifth of the check
        loose = loose_values(source)
        extra = [e for e in extra if not e.values & loose]
    return _differ("numbers", missing, extra, "write the source's values (in the target's number format)")


@check("dates", Severity.CRITICAL)
def check_dates(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Dates must keep their day, month, year and weekday: "3 August" may be "3 de agosto" or
    "3 août", not "4 de agosto".

    The translation's dates are read with the target language's CLDR month and weekday names.
    A year or weekday the translation leaves out is not a change; a different one is. Critical:
    a reader who comes on the wrong day misses the event.
    """
    if _nothing_to_compare(source, target):
        return []
    _, wanted = source_values(source)
    _, got = target_values(target, context.language or "en")
    free = list(got)
    missing: list[Found] = []
    for item in wanted:
        (value,) = item.values
        match = next((g for g in free for v in g.values
                      if isinstance(value, DateValue) and isinstance(v, DateValue) and _same_date(value, v)), None)
        if match is None:
            missing.append(item)
        else:
            free.remove(match)
    return _differ("dates", missing, free, "write the source's date (day, month, year, weekday)")


def _differ(what: str, missing: list[Found], extra: list[Found], fix: str) -> list[str]:
    """The one message of a values check: what the translation lost and what it added."""
    if not missing and not extra:
        return []
    parts = []
    if missing:
        parts.append(f"the source's {_quoted(missing)} {'is' if len(missing) == 1 else 'are'} not in the translation")
    if extra:
        parts.append(f"the translation has {_quoted(extra)}, which the source does not")
    return [f"{what} differ: " + "; ".join(parts) + f"; {fix}"]
