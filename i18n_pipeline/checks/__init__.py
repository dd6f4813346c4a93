"""QA checks over translated segments → ``list[Problem]``: data, not exceptions.

Every check is registered once in :data:`CHECKS` (``registry.py``) with its name and severity;
its docstring is its help (``i18n-pipeline check --list`` prints them). One module per family:
``markup.py`` (placeholders, link texts, URLs, engine marks), ``numbers.py`` (numbers and dates
as values), ``terms.py`` (glossary, names), ``words.py`` (untranslated text, dictionary words,
the engine's unknown words), ``typography.py`` (spaces, punctuation, French typography, length).

A translator silences one check on one entry with the PO flag ``ignore-<check>`` (Weblate's
convention), e.g. ``#, ignore-words``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import replace

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.checks.markup import check_engine_marks, check_link_text, check_placeholders, check_untranslated_urls
from i18n_pipeline.checks.numbers import check_dates, check_numbers, load_language_data
from i18n_pipeline.checks.registry import CHECKS, IGNORE_PREFIX, Check, CheckContext, CheckFunction, check
from i18n_pipeline.checks.terms import check_glossary, check_glossary_admitted, check_glossary_forbidden, check_names
from i18n_pipeline.checks.typography import (
    check_double_space,
    check_doubled_words,
    check_french_typography,
    check_length,
    check_punctuation,
    check_whitespace,
)
from i18n_pipeline.checks.words import check_engine_unknown_words, check_untranslated, check_words
from i18n_pipeline.model import Problem, Severity

__all__ = [
    "CHECKS",
    "IGNORE_PREFIX",
    "Check",
    "CheckContext",
    "CheckFunction",
    "check",
    "check_catalog",
    "check_dates",
    "check_double_space",
    "check_doubled_words",
    "check_engine_marks",
    "check_engine_unknown_words",
    "check_french_typography",
    "check_glossary",
    "check_glossary_admitted",
    "check_glossary_forbidden",
    "check_length",
    "check_link_text",
    "check_names",
    "check_numbers",
    "check_placeholders",
    "check_punctuation",
    "check_translation",
    "check_untranslated",
    "check_untranslated_urls",
    "check_whitespace",
    "check_words",
    "has_critical",
    "load_language_data",
    "passes_critical",
]


def check_translation(
    source: str,
    target: str,
    where: str,
    context: CheckContext | None = None,
    *,
    ignore: Iterable[str] = (),
    file: str = "",
    line: int = 0,
) -> list[Problem]:
    """Run every check on one translated segment (an empty translation has no problems);
    ``ignore`` names checks not to run (the entry's ``ignore-<check>`` flags)."""
    if not target:
        return []
    context = context or CheckContext()
    skipped = set(ignore)
    return [
        problem
        for c in CHECKS.values()
        if c.name not in skipped
        for problem in c.run(source, target, context, where, file, line)
    ]


def passes_critical(source: str, target: str, context: CheckContext, *, ignore: Iterable[str] = ()) -> bool:
    """``not has_critical(check_translation(source, target, ..., ignore=ignore))``, what a build
    asks of every translation it publishes: only the critical checks run, and none after the
    first that finds a problem (a build needs the verdict, not the messages)."""
    if not target:
        return True
    for function in _critical_functions(ignore if isinstance(ignore, tuple) else tuple(ignore), len(CHECKS)):
        for _ in function(source, target, context):
            return False
    return True


@functools.lru_cache(maxsize=64)
def _critical_functions(ignore: tuple[str, ...], registered: int) -> tuple[CheckFunction, ...]:
    """The critical checks not in ``ignore``, in registry order: chosen once per set of ignored
    names (a build asks with the same names for nearly every translation, and choosing them
    again cost a fifth of the verdict). ``registered``: the registry's size, so a check
    registered later is not missed."""
    skipped = set(ignore)
    return tuple(c.function for c in CHECKS.values() if c.severity is Severity.CRITICAL and c.name not in skipped)


def check_catalog(catalog: Catalog, path: str, context: CheckContext) -> list[Problem]:
    """Every problem of every translated entry of ``catalog`` (machine output too: a
    translator wants to know where to look first); ``where`` is ``path:line``."""
    problems: list[Problem] = []
    for entry in catalog.entries():
        if not entry.target:
            continue
        ignored = [f[len(IGNORE_PREFIX) :] for f in entry.flags if f.startswith(IGNORE_PREFIX)]
        problems += check_translation(
            entry.source, entry.target, f"{path}:{entry.line}", replace(context, comments=entry.translator_comments),
            ignore=ignored, file=path, line=entry.line,
        )
    return problems


def has_critical(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.CRITICAL for p in problems)
