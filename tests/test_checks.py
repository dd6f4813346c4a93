"""QA checks (i18n_pipeline.checks): each check on its own, the problems as data, and ``check``
on the bundled project after a run, where a translator breaks a placeholder or ignores the
glossary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from i18n_pipeline import pipeline
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
    has_critical,
    passes_critical,
)
from i18n_pipeline.cli import main
from i18n_pipeline.glossary import load_glossary
from i18n_pipeline.model import Problem, Severity, Stats
from i18n_pipeline.pipeline import ReleaseStatus
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
        ("urls", Severity.CRITICAL),
        ("engine-marks", Severity.FUNCTIONAL),
    ]
    assert {p.where for p in problems} == {"es.po:7"}
    assert check_translation(source, "", "es.po:7") == []  # untranslated is a state, not a problem
    assert check_translation(source, "Lea <1>el informe</1>.", "es.po:7") == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Read <1>the report</1>.", "Lea el *report en https://example.org."),  # placeholders and urls
        ("Read <1>the report</1>.", "Lea <1>el informe</1>."),
        ("On 3 August, 20,000 people came.", "El 4 de agosto vinieron 2.000 personas."),  # numbers and dates
        ("On 3 August, 20,000 people came.", "El 3 de agosto vinieron 20.000 personas."),
        ("See www.example.org or mail a@b.org.", "Vea www.example.org o escriba a c@d.org."),
        ("Read the report.", ""),
    ],
)
@pytest.mark.parametrize("ignore", [(), ("numbers",), ("placeholders", "urls", "dates")])
def test_a_builds_verdict_is_the_critical_checks_verdict(source: str, target: str, ignore: tuple[str, ...]) -> None:
    context = CheckContext("es")
    expected = not has_critical(check_translation(source, target, "es.po:1", context, ignore=ignore))
    assert passes_critical(source, target, context, ignore=ignore) is expected


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
    assert main(["check", "--project", str(project)]) == 0  # no critical problem after a run
    assert "[glossary]" not in capsys.readouterr().out  # the bundled run follows its glossary
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{release_name(project)}.po"
    text = po.read_text("utf-8")
    assert "trata de personas" in text
    lines = text.split("\n")  # in a msgstr, not in the #. note that names the approved term
    i = next(i for i, line in enumerate(lines) if "trata de personas" in line and not line.startswith("#"))
    lines[i] = lines[i].replace("trata de personas", "tráfico humano", 1)
    po.write_text("\n".join(lines), "utf-8")
    assert main(["check", "--project", str(project), "-l", "es"]) == 0  # functional, not critical
    out = capsys.readouterr().out
    assert "functional" in out and "glossary" in out and "trata de personas" in out


# --- issue 10: what a translator trusts 'check' to catch ------------------------------------------


def review(po: Path, msgid_start: str, target: str) -> str:
    """A translator's save: the entry whose msgid starts with ``msgid_start`` gets ``target`` and
    loses "fuzzy" (it is reviewed). Returns ``msgid_start``, to find the entry's line later."""
    blocks = po.read_text("utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        start = next((k for k, line in enumerate(lines) if line.startswith("msgid ")), None)
        if start is None or lines[0].startswith("#~"):
            continue
        end = next(k for k, line in enumerate(lines) if line.startswith("msgstr "))
        msgid = "".join(re.findall(r'"(.*)"', "\n".join(lines[start:end])))
        if not msgid.startswith(msgid_start):
            continue
        flags = [f for line in lines[:start] if line.startswith("#, ") for f in line[3:].split(", ") if f != "fuzzy"]
        kept = [line for line in lines[:start] if not line.startswith("#, ")] + ([f"#, {', '.join(flags)}"] if flags else [])
        blocks[i] = "\n".join([*kept, *lines[start:end], f'msgstr "{target}"'])
        po.write_text("\n\n".join(blocks), "utf-8")
        return msgid_start
    raise AssertionError(f"no entry starts with {msgid_start!r} in {po}")


def msgid_line(po: Path, msgid_start: str) -> int:
    """The line of the msgid of the entry that starts with ``msgid_start``, read from the text."""
    lines = po.read_text("utf-8").split("\n")
    for number, line in enumerate(lines, 1):
        if line.startswith("msgid "):
            text = line[6:]
            k = number
            while k < len(lines) and lines[k].startswith('"'):
                text += lines[k]
                k += 1
            if "".join(re.findall(r'"(.*?)(?<!\\)"', text)).startswith(msgid_start):
                return number
    raise AssertionError(f"no msgid starts with {msgid_start!r} in {po}")


def test_check_finds_what_issue_10_planted_each_on_its_entry(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The "Done when" of issue 10 (checks): in the bundled project after a run, reviewed entries
    with a changed number, a changed date, a dropped placeholder, a replaced glossary term, an
    English sentence left as the translation, an English word left in Spanish and a Spanish word
    left in French are each reported on their entry, with a fitting severity; exit 1."""
    es = project / "locales" / "es" / "LC_MESSAGES" / f"{release_name(project)}.po"
    fr = project / "locales" / "fr" / "LC_MESSAGES" / f"{release_name(project)}.po"
    english = (
        "The locations of highest incidence are the border states of Chiapas, Tabasco, Chihuahua and Baja "
        "California, as well as the tourist destinations of Cancun, Acapulco and Mexico City, among others."
    )
    plants = [  # (file, start of the msgid, check, severity)
        (es, review(es, "According to Mexico's National Human Rights", (
            "Según la Comisión Nacional de los Derechos Humanos de México (CNDH), se estima que 2.000 personas "
            "son víctimas de trata cada año en México, país de origen, tránsito y destino de víctimas.")),
         "numbers", "critical"),
        (es, review(es, "The publication, to be launched", (
            "La publicación, que se presentará en Tapachula, ciudad de la frontera sur, el miércoles 4 de agosto, "
            "incluye información general sobre las víctimas de trata de personas asistidas de 2005 a 2009 y "
            "describe la asistencia integral brindada por el personal de la OIM México, en estrecha coordinación "
            "con organizaciones públicas y de la sociedad civil.")),
         "dates", "critical"),
        (es, review(es, "The publication will be available on 3 August", "La publicación estará disponible el 3 de agosto."),
         "placeholders", "critical"),
        (es, review(es, "IOM has worked in Mexico in the fight", (
            "La OIM trabaja en México en la lucha contra el tráfico de personas desde finales de 2005: brinda "
            "asistencia directa a víctimas de trata de personas, así como apoyo técnico y asesoría a instituciones "
            "públicas y organizaciones de la sociedad civil; difunde información; desarrolla investigaciones y "
            "publicaciones; y apoya la elaboración y aplicación del primer protocolo de asistencia a víctimas en "
            "México.")),
         "glossary", "functional"),
        (es, review(es, "The locations of highest incidence", english), "untranslated", "functional"),
        (es, review(es, "Another significant result", (
            "Otro resultado significativo es que más del 60 % de los tratantes eran mujeres y que en la mayoría "
            "de los casos las víctimas son trafficked por conocidos o familiares.")),
         "words", "functional"),
        (fr, review(fr, "According to Mexico's National Human Rights", (
            "Selon la Commission nationale des droits de l'homme du Mexique (CNDH, selon son acrónimo espagnol), "
            "on estime que 20 000 personnes sont victimes de la traite chaque année au Mexique, pays d'origine, "
            "de transit et de destination des victimes.")),
         "words", "functional"),
    ]
    planted = [(path, msgid_line(path, start), name, severity) for path, start, name, severity in plants]
    capsys.readouterr()
    assert main(["check", "--project", str(project), "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert all(set(p) >= {"file", "line", "check", "severity", "message"} for p in problems)
    found = {(Path(p["file"]).resolve(), p["line"], p["check"], p["severity"]) for p in problems}
    for path, line, name, severity in planted:
        on_line = [p for p in problems if p["line"] == line]
        assert (path.resolve(), line, name, severity) in found, (path.name, line, name, on_line)
    words = {p["message"] for p in problems if p["check"] == "words" and p["line"] in (planted[5][1], planted[6][1])}
    assert any('"trafficked"' in m for m in words) and any('"acrónimo"' in m for m in words)


def test_fail_on_sets_the_severity_that_fails_the_build(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--project", str(project), "-l", "es"]) == 0  # machine output: no critical problem
    summary = capsys.readouterr().out.strip().split("\n")[-1]
    assert re.fullmatch(r"\d+ problems \(\d+ functional(, \d+ cosmetic)?\)", summary), summary
    assert main(["check", "--project", str(project), "-l", "es", "--fail-on", "functional"]) == 1
    assert main(["check", "--project", str(project), "-l", "fr", "--fail-on", "cosmetic"]) == 1
    capsys.readouterr()
    assert main(["check", "--project", str(project), "--fail-on", "fatal"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_one_problem_is_one_problem(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], project: Path) -> None:
    one = Problem("numbers", Severity.CRITICAL, "es.po:3", "numbers differ", "es.po", 3)
    monkeypatch.setattr(pipeline, "status", lambda settings, languages: [ReleaseStatus("es", "r", Stats(), [one])])
    assert main(["check", "--project", str(project)]) == 1
    assert capsys.readouterr().out.split("\n")[-2] == "1 problem (1 critical)"
    assert main(["check", "--project", str(project), "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {"file": "es.po", "line": 3, "check": "numbers", "severity": "critical", "message": "numbers differ"}
    ]


def test_a_translators_ignore_flag_silences_one_check_on_one_entry(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{release_name(project)}.po"
    capsys.readouterr()
    main(["check", "--project", str(project), "-l", "es", "--json"])
    before = json.loads(capsys.readouterr().out)
    line = msgid_line(po, "According to Mexico's National Human Rights")
    assert {"words", "engine-unknown-words"} <= {p["check"] for p in before if p["line"] == line}
    lines = po.read_text("utf-8").split("\n")
    assert lines[line - 2] == "#, fuzzy"
    lines[line - 2] = "#, fuzzy, ignore-words"
    po.write_text("\n".join(lines), "utf-8")
    main(["check", "--project", str(project), "-l", "es", "--json"])
    after = json.loads(capsys.readouterr().out)
    assert {p["check"] for p in after if p["line"] == line} == {p["check"] for p in before if p["line"] == line} - {"words"}
    assert main(["update", "--project", str(project), "-l", "es"]) == 0  # a merge keeps the translator's flag
    assert "#, fuzzy, ignore-words\n" in po.read_text("utf-8")


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
