"""QA checks over translated segments → ``list[Problem]``: data, not exceptions.

Every check is registered once in :data:`CHECKS` with its name and severity; its docstring is
its help (``i18n-pipeline check --list`` prints them). Severity follows Translate Toolkit:
critical problems break a release and keep the translation out of builds; functional ones
change meaning; cosmetic ones are style.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.glossary import Glossary, admitted_terms, check_terms, forbidden_terms
from i18n_pipeline.model import Problem, Severity
from i18n_pipeline.segment import placeholder_tokens, placeholders_match


@dataclass(frozen=True)
class CheckContext:
    """What a check may need beyond the source and the translation."""

    language: str = ""
    glossary: Glossary | None = None


#: A check returns the messages of the problems it found (none: the translation passes).
CheckFunction = Callable[[str, str, CheckContext], Iterable[str]]


@dataclass(frozen=True)
class Check:
    name: str
    severity: Severity
    function: CheckFunction

    @property
    def help(self) -> str:
        """The check's docstring: what it looks for and how to fix what it finds."""
        return inspect.getdoc(self.function) or ""

    def run(self, source: str, target: str, context: CheckContext, where: str) -> list[Problem]:
        return [Problem(self.name, self.severity, where, message) for message in self.function(source, target, context)]


#: Every check, by name, in the order they run and are listed.
CHECKS: dict[str, Check] = {}


def check(name: str, severity: Severity) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under ``name``."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in CHECKS:
            raise ValueError(f"two checks named {name!r}")
        CHECKS[name] = Check(name, severity, function)
        return function

    return register


@check("placeholders", Severity.CRITICAL)
def check_placeholders(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Placeholders (<1>…</1>, <2/>) stand for links, emphasis, URLs and e-mail addresses.

    The translation must hold each of the source's placeholders exactly once, with each pair
    opened before it is closed. A translation that fails this is never used in a build.
    """
    if placeholders_match(source, target):
        return []
    return [
        f"placeholders differ: source has {' '.join(placeholder_tokens(source)) or 'none'}, "
        f"translation has {' '.join(placeholder_tokens(target)) or 'none'}; keep each of the "
        "source's placeholders once (the #. comment says what each stands for); until then the "
        "source sentence is published"
    ]


_UNKNOWN_MARK_RE = re.compile(r"(?:^|\s)[*#@][^\W\d_][\w-]*", re.UNICODE)


@check("engine-marks", Severity.FUNCTIONAL)
def check_engine_marks(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Apertium marks words it does not know with *, # or @; such marks must not be published."""
    if _UNKNOWN_MARK_RE.search(target) and not _UNKNOWN_MARK_RE.search(source):
        return ["the translation holds engine marks (*word, #word or @word)"]
    return []


@check("urls", Severity.FUNCTIONAL)
def check_untranslated_urls(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """URLs and e-mail addresses are placeholders; a literal one in a translation is a leak."""
    if re.search(r"https?://|\b[\w.+-]+@[\w-]+\.[\w.]+", target) and not re.search(r"https?://|@", source):
        return ["the translation holds a URL or e-mail address the source does not have"]
    return []


@check("glossary", Severity.FUNCTIONAL)
def check_glossary(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Approved terms (locales/glossary.yaml) must appear in the translation: "OIM", never
    "IOM"; "trata de personas", never "tráfico humano". Each missing term is a problem; the
    message names the term and its approved translation."""
    if context.glossary is None:
        return []
    return check_terms(context.glossary, source, target, context.language)


_DOUBLE_SPACE_RE = re.compile(r"(?<=\S) {2,}(?=\S)")


@check("double-space", Severity.COSMETIC)
def check_double_space(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """Two or more spaces between words where the source has none: a slip of the keyboard or an
    engine joining pieces. Browsers hide it, but PDFs, e-mails and plain-text feeds do not."""
    if _DOUBLE_SPACE_RE.search(target) and not _DOUBLE_SPACE_RE.search(source):
        return ["the translation has a doubled space between words"]
    return []


# --- term statuses from terminology exchange (TBX administrativeStatus; see termbase.py) -----


@check("glossary-forbidden", Severity.FUNCTIONAL)
def check_glossary_forbidden(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """A translation the glossary forbids (<lang>_forbidden; TBX deprecated or superseded terms)
    is used for a term of the source: "tráfico de personas" for "human trafficking". The message
    names the approved translation to use instead."""
    if context.glossary is None:
        return []
    return forbidden_terms(context.glossary, source, target, context.language)


@check("glossary-admitted", Severity.COSMETIC)
def check_glossary_admitted(source: str, target: str, context: CheckContext) -> Iterable[str]:
    """An admitted translation (<lang>_admitted; TBX admitted terms) stands where the preferred
    one would be: acceptable, but the house style prefers the approved term."""
    if context.glossary is None:
        return []
    return admitted_terms(context.glossary, source, target, context.language)


# -----------------------------------------------------------------------------------------------


def check_translation(source: str, target: str, where: str, context: CheckContext | None = None) -> list[Problem]:
    """Run every check on one translated segment (an empty translation has no problems)."""
    if not target:
        return []
    context = context or CheckContext()
    return [problem for c in CHECKS.values() for problem in c.run(source, target, context, where)]


def check_catalog(catalog: Catalog, path: str, context: CheckContext) -> list[Problem]:
    """Every problem of every translated entry of ``catalog``; ``where`` is ``path:line``."""
    return [
        problem
        for entry in catalog.entries()
        if entry.target
        for problem in check_translation(entry.source, entry.target, f"{path}:{entry.line}", context)
    ]


def has_critical(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.CRITICAL for p in problems)
