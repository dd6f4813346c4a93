"""QA checks (i18n_pipeline.checks): each check on its own, the problems as data, and ``check``
on the bundled project after a run, where a translator breaks a placeholder or ignores the
glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from i18n_pipeline.checks import (
    CHECKS,
    CheckContext,
    CheckFunction,
    check_catalog,
    check_double_space,
    check_engine_marks,
    check_glossary,
    check_glossary_admitted,
    check_glossary_forbidden,
    check_placeholders,
    check_translation,
    check_untranslated_urls,
)
from i18n_pipeline.cli import main
from i18n_pipeline.glossary import load_glossary
from i18n_pipeline.model import Problem, Severity
from i18n_pipeline.pofile import read_po
from tests.paths import ROOT
from tests.project import break_placeholder, release_name

# --- each check -------------------------------------------------------------------------------

NO_CONTEXT = CheckContext()


def first(check: CheckFunction, source: str, target: str, context: CheckContext = NO_CONTEXT) -> str | None:
    """The first message of ``check`` on one pair, or None when it passes."""
    return next(iter(check(source, target, context)), None)



@pytest.mark.parametrize(
    "target",
    ["Lea <1>el informe</1> en <2/>.", "En <2/>, lea <1>el informe</1>."],  # order may change
)
def test_placeholders_kept_in_any_order_pass(target: str) -> None:
    assert first(check_placeholders, "Read <1>the report</1> at <2/>.", target) is None


@pytest.mark.parametrize(
    ("target", "has"),
    [
        ("Lea el informe en <2/>.", "<2/>"),  # a pair lost
        ("Lea <1>el informe</1> en <2/> o <2/>.", "<1> </1> <2/> <2/>"),  # one twice
        ("Lea </1>el informe<1> en <2/>.", "</1> <1> <2/>"),  # closed before it is opened
        ("Lea el informe.", "none"),
    ],
)
def test_placeholders_lost_doubled_or_reversed_are_critical(target: str, has: str) -> None:
    message = first(check_placeholders, "Read <1>the report</1> at <2/>.", target)
    assert message is not None
    assert message.startswith(f"placeholders differ: source has <1> </1> <2/>, translation has {has};")
    [problem] = check_translation("Read <1>the report</1> at <2/>.", target, "es.po:12")
    assert problem == Problem("placeholders", Severity.CRITICAL, "es.po:12", message)


def test_engine_marks_are_caught_unless_the_source_has_them() -> None:
    assert first(check_engine_marks, "The migrants arrived.", "Los *migrants llegaron.") is not None
    assert first(check_engine_marks, "The migrants arrived.", "Los migrantes #llegaron.") is not None
    assert first(check_engine_marks, "Write to the office.", "Escriba a @oficina.") is not None
    assert first(check_engine_marks, "Follow #IOM today.", "Siga #OIM hoy.") is None  # a hashtag in both
    assert first(check_engine_marks, "5 * 3 = 15", "5 * 3 = 15") is None  # no word right after the mark
    assert first(check_engine_marks, "The migrants arrived.", "Los migrantes llegaron.") is None


def test_a_literal_url_or_address_in_a_translation_is_a_leak() -> None:
    assert first(check_untranslated_urls, "Read it at <1/>.", "Léalo en https://example.org.") is not None
    assert first(check_untranslated_urls, "Write to <1/>.", "Escriba a prensa@example.org.") is not None
    assert first(check_untranslated_urls, "See https://example.org.", "Vea https://example.org.") is None
    assert first(check_untranslated_urls, "Read it at <1/>.", "Léalo en <1/>.") is None


def test_every_problem_of_a_translation_is_reported_and_an_empty_one_has_none() -> None:
    source = "Read <1>the report</1>."
    problems = check_translation(source, "Lea el *report en https://example.org.", "es.po:7")
    assert [(p.check, p.severity) for p in problems] == [
        ("placeholders", Severity.CRITICAL),
        ("engine-marks", Severity.FUNCTIONAL),
        ("urls", Severity.FUNCTIONAL),
    ]
    assert {p.where for p in problems} == {"es.po:7"}
    assert check_translation(source, "", "es.po:7") == []  # untranslated is a state, not a problem
    assert check_translation(source, "Lea <1>el informe</1>.", "es.po:7") == []


def test_the_glossary_check_names_the_term_and_its_translation() -> None:
    context = CheckContext("es", load_glossary(ROOT / "locales" / "glossary.yaml"))
    source = "IOM opened an office."
    [problem] = [p for p in check_translation(source, "La IOM abrió una oficina.", "es.po:3", context) if p.check == "glossary"]
    assert (problem.check, problem.severity, problem.where) == ("glossary", Severity.FUNCTIONAL, "es.po:3")
    assert '"IOM"' in problem.message and '"OIM"' in problem.message
    assert list(check_glossary(source, "La OIM abrió una oficina.", context)) == []
    assert check_translation(source, "", "es.po:3", context) == []
    assert list(check_glossary(source, "La IOM abrió una oficina.", NO_CONTEXT)) == []  # no glossary, no check


def test_a_doubled_space_is_cosmetic_unless_the_source_has_one() -> None:
    assert first(check_double_space, "Read the report.", "Lea  el informe.") is not None
    assert first(check_double_space, "Read  the report.", "Lea  el informe.") is None
    assert first(check_double_space, "Read the report.", "Lea el informe.") is None
    [problem] = check_translation("Read the report.", "Lea  el informe.", "es.po:9")
    assert (problem.check, problem.severity) == ("double-space", Severity.COSMETIC)


def test_every_check_has_its_help_in_its_docstring() -> None:
    for name, check in CHECKS.items():
        assert check.name == name
        assert len(check.help.split()) >= 8, f"check {name} has no help"
    assert "glossary" in CHECKS["glossary"].help


def test_check_list_prints_every_check_with_its_severity_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list"]) == 0  # works outside a project: nothing is read
    out = capsys.readouterr().out
    for check in CHECKS.values():
        assert f"{check.name} ({check.severity.value})" in out
        assert check.help.splitlines()[0] in out


def test_a_catalog_is_checked_entry_by_entry_with_file_and_line(ran: Path) -> None:
    po = ran / "locales" / "es" / "LC_MESSAGES" / f"{release_name(ran)}.po"
    catalog = read_po(po)
    entry = catalog.entries()[0]
    catalog.set_machine_translation(entry.source, entry.context, entry.target + "  <9/>", "test")
    problems = check_catalog(catalog, "es.po", CheckContext("es"))
    assert {(p.check, p.where) for p in problems} >= {("placeholders", f"es.po:{entry.line}")}


# --- 'check' on the bundled project ---------------------------------------------------------


def test_a_translation_that_breaks_a_placeholder_is_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = break_placeholder(project)
    capsys.readouterr()
    assert main(["check", "--project", str(project), "-l", "es"]) == 1
    out = capsys.readouterr().out
    assert "critical" in out and "placeholders differ" in out
    where = re.search(r"\.po:(\d+): placeholders differ", out)
    assert where, out  # the message names the line, so a translator can jump to it
    line = po.read_text("utf-8").split("\n")[int(where.group(1)) - 1]
    assert line.startswith('msgid "The publication will be available')


def test_check_reports_a_translation_that_ignores_the_glossary(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check", "--project", str(project)]) == 0
    assert "0 problems" in capsys.readouterr().out  # the bundled run follows its glossary
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{release_name(project)}.po"
    text = po.read_text("utf-8")
    assert "trata de personas" in text
    po.write_text(text.replace("trata de personas", "tráfico humano", 1), "utf-8")
    assert main(["check", "--project", str(project), "-l", "es"]) == 0  # functional, not critical
    out = capsys.readouterr().out
    assert "functional" in out and "glossary" in out and "trata de personas" in out


# --- term statuses from a termbase (glossary-forbidden, glossary-admitted) -------------------

STATUS_GLOSSARY = """terms:
  - source: human trafficking
    es: trata de personas
    es_admitted: [trata de seres humanos]
    es_forbidden: [tráfico de personas, tráfico humano]
"""


def test_a_forbidden_translation_of_a_term_in_the_source_is_reported(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(STATUS_GLOSSARY, "utf-8")
    context = CheckContext("es", load_glossary(tmp_path / "g.yaml"))
    source = "IOM fights human trafficking."
    assert CHECKS["glossary-forbidden"].severity is Severity.FUNCTIONAL
    assert first(check_glossary_forbidden, source, "La OIM lucha contra el tráfico de personas.", context) == (
        'forbidden: "tráfico de personas" for "human trafficking"; use "trata de personas"')
    assert first(check_glossary_forbidden, source, "La OIM lucha contra la trata de personas.", context) is None
    # the same words where the source does not have the term: smuggling is "tráfico"
    assert first(check_glossary_forbidden, "It fights smuggling.", "Lucha contra el tráfico de personas.", context) is None
    french = CheckContext("fr", context.glossary)
    assert first(check_glossary_forbidden, source, "Lucha contra el tráfico de personas.", french) is None


def test_an_admitted_translation_passes_the_glossary_check_and_is_cosmetic(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(STATUS_GLOSSARY, "utf-8")
    context = CheckContext("es", load_glossary(tmp_path / "g.yaml"))
    source, target = "IOM fights human trafficking.", "La OIM lucha contra la trata de seres humanos."
    assert first(check_glossary, source, target, context) is None
    assert CHECKS["glossary-admitted"].severity is Severity.COSMETIC
    assert first(check_glossary_admitted, source, target, context) == (
        'admitted: "trata de seres humanos" for "human trafficking"; the preferred term is "trata de personas"')
    assert first(check_glossary_admitted, source, "La OIM lucha contra la trata de personas.", context) is None
