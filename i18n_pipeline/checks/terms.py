"""Checks against the project's glossary (locales/glossary.yaml): approved terms and names that
are never translated; admitted and forbidden translations (the term statuses of a termbase)."""

from __future__ import annotations

from collections.abc import Iterable

from i18n_pipeline.checks.registry import CheckContext, check
from i18n_pipeline.glossary import admitted_terms, check_terms, forbidden_terms
from i18n_pipeline.model import Severity

__all__ = ["check_glossary", "check_glossary_admitted", "check_glossary_forbidden", "check_names"]


@check("glossary", Severity.FUNCTIONAL)
def check_glossary(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Approved terms (locales/glossary.yaml) must appear in the translation: "OIM", never
    "IOM"; "trata de personas", never "tráfico de personas".

    Each missing term is a problem; the message names the term and its approved translation
    (the #. notes of the entry list them too). Functional, as pofilter's and Weblate's
    glossary checks: the sentence reads, but says something the organisation does not (in
    Spanish, "tráfico" is smuggling, "trata" is trafficking).
    """
    if context.glossary is None:
        return []
    return check_terms(context.glossary, source, target, context.language, names=False)


@check("names", Severity.FUNCTIONAL)
def check_names(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Names the glossary lists under do_not_translate (places, people, acronyms) must stay
    exactly as the source writes them: "Tapachula", "Thomas Lothar Weiss", "CNDH".

    Functional: a translated or misspelt name points the reader to something else. Write the
    name as the source does.
    """
    if context.glossary is None:
        return []
    return check_terms(context.glossary, source, target, context.language, names=True)


# --- term statuses from terminology exchange (TBX administrativeStatus; see termbase.py) -----


@check("glossary-forbidden", Severity.FUNCTIONAL)
def check_glossary_forbidden(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """A translation the glossary forbids (<lang>_forbidden; TBX deprecated or superseded terms)
    is used for a term of the source: "tráfico de personas" for "human trafficking".

    Functional, as the glossary check: the terminologists ruled the form out. The message names
    the approved translation to use instead.
    """
    if context.glossary is None:
        return []
    return forbidden_terms(context.glossary, source, target, context.language)


@check("glossary-admitted", Severity.COSMETIC)
def check_glossary_admitted(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """An admitted translation (<lang>_admitted; TBX admitted terms) stands where the preferred
    one would be: acceptable, but the house style prefers the approved term.

    Cosmetic: the meaning is right; only consistency with the rest of the organisation's texts
    is at stake.
    """
    if context.glossary is None:
        return []
    return admitted_terms(context.glossary, source, target, context.language)
