"""What the tests of the check families share."""

from __future__ import annotations

from i18n_pipeline.checks import CheckContext, CheckFunction
from i18n_pipeline.glossary import load_glossary
from tests.paths import ROOT

SPANISH = CheckContext("es")
FRENCH = CheckContext("fr")
GLOSSARY = load_glossary(ROOT / "locales" / "glossary.yaml")


def messages(check: CheckFunction, source: str, target: str, context: CheckContext = SPANISH) -> list[str]:
    return list(check(source, target, context))
