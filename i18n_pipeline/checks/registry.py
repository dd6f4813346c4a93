"""The one registry of QA checks: name, severity, and the function whose docstring is its help.

Severities follow Translate Toolkit's pofilter and Weblate: *critical* problems break what the
reader relies on (a lost placeholder, a changed number, date, URL) and keep the translation out
of builds; *functional* ones change or lose meaning (an English word left in Spanish, a
glossary term replaced); *cosmetic* ones are style (typography, spacing).
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from i18n_pipeline.glossary import Glossary
from i18n_pipeline.model import Problem, Severity

__all__ = ["CHECKS", "IGNORE_PREFIX", "Check", "CheckContext", "CheckFunction", "check", "lazy_pattern"]

#: A translator silences check ``x`` on one entry with the PO flag ``ignore-x`` (Weblate's way).
IGNORE_PREFIX = "ignore-"


@dataclass(frozen=True)
class CheckContext:
    """What a check may need beyond the source and the translation: the target language and
    glossary (per catalog), and the entry's translator comments (per entry)."""

    language: str = ""
    glossary: Glossary | None = None
    comments: tuple[str, ...] = ()


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

    @property
    def flag(self) -> str:
        """The PO flag that silences this check on one entry."""
        return IGNORE_PREFIX + self.name

    def run(self, source: str, target: str, context: CheckContext, where: str, file: str = "", line: int = 0) -> list[Problem]:
        return [
            Problem(self.name, self.severity, where, message, file, line)
            for message in self.function(source, target, context)
        ]


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


def lazy_pattern(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled on its first use: the patterns of the checks a build never
    runs (it runs only the critical ones) cost every build's process their compiling otherwise."""
    return functools.cache(lambda: re.compile(pattern, flags))
