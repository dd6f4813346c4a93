"""QA checks over translated segments → ``list[Problem]``: data, not exceptions.

Each check's docstring is its help text. Severity follows Translate Toolkit: critical problems
break a release and keep the translation out of builds; functional ones change meaning;
cosmetic ones are style.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from i18n_pipeline.glossary import Glossary, check_terms
from i18n_pipeline.model import Problem, Severity
from i18n_pipeline.segment import placeholder_tokens, placeholders_match

Check = Callable[[str, str], "str | None"]


def check_placeholders(source: str, target: str) -> str | None:
    """Placeholders (<1>…</1>, <2/>) stand for links, emphasis, URLs and e-mail addresses.

    The translation must hold each of the source's placeholders exactly once, with each pair
    opened before it is closed. A translation that fails this is never used in a build.
    """
    if placeholders_match(source, target):
        return None
    return (
        f"placeholders differ: source has {' '.join(placeholder_tokens(source)) or 'none'}, "
        f"translation has {' '.join(placeholder_tokens(target)) or 'none'}; keep each of the "
        "source's placeholders once (the #. comment says what each stands for); until then the "
        "source sentence is published"
    )


_UNKNOWN_MARK_RE = re.compile(r"(?:^|\s)[*#@][^\W\d_][\w-]*", re.UNICODE)


def check_engine_marks(source: str, target: str) -> str | None:
    """Apertium marks words it does not know with *, # or @; such marks must not be published."""
    if _UNKNOWN_MARK_RE.search(target) and not _UNKNOWN_MARK_RE.search(source):
        return "the translation holds engine marks (*word, #word or @word)"
    return None


def check_untranslated_urls(source: str, target: str) -> str | None:
    """URLs and e-mail addresses are placeholders; a literal one in a translation is a leak."""
    if re.search(r"https?://|\b[\w.+-]+@[\w-]+\.[\w.]+", target) and not re.search(
        r"https?://|@", source
    ):
        return "the translation holds a URL or e-mail address the source does not have"
    return None


CHECKS: dict[str, tuple[Severity, Check]] = {
    "placeholders": (Severity.CRITICAL, check_placeholders),
    "engine-marks": (Severity.FUNCTIONAL, check_engine_marks),
    "urls": (Severity.FUNCTIONAL, check_untranslated_urls),
}


def check_translation(source: str, target: str, where: str) -> list[Problem]:
    """Run every check on one translated segment."""
    problems: list[Problem] = []
    if not target:
        return problems
    for name, (severity, check) in CHECKS.items():
        message = check(source, target)
        if message:
            problems.append(Problem(name, severity, where, message))
    return problems


def check_glossary(glossary: Glossary, source: str, target: str, language: str, where: str) -> list[Problem]:
    """Approved terms (locales/glossary.yaml) must appear in the translation: "OIM", never
    "IOM"; "trata de personas", never "tráfico humano". Each missing term is a functional
    problem; the message names the term and its approved translation."""
    if not target:
        return []
    messages = check_terms(glossary, source, target, language)
    return [Problem("glossary", Severity.FUNCTIONAL, where, message) for message in messages]
