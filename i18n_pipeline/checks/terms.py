"""Checks against the project's glossary (locales/glossary.yaml): approved terms and names that
are never translated."""

from __future__ import annotations

from collections.abc import Iterable

from i18n_pipeline.checks.registry import CheckContext, check
from i18n_pipeline.glossary import check_terms
from i18n_pipeline.model import Severity

__all__ = ["check_glossary", "check_names"]


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
