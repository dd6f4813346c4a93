"""XLIFF import (i18n_pipeline.xliff.import_release and the ``xliff`` command): what comes back
becomes reviewed or fuzzy as its state says, a reviewed entry is never replaced by an
unreviewed unit, a unit whose English changed is reported and left out. End to end on the
bundled project with real Apertium output and GNU gettext checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from translate.storage import xliff as tt_xliff

from i18n_pipeline.catalog import IMPORT_PREFIX, Catalog, TemplateEntry, new_template, update_catalog
from i18n_pipeline.cli import main
from i18n_pipeline.model import State
from i18n_pipeline.pofile import read_po
from i18n_pipeline.xliff import ImportReport, import_release, read_xliff, unit_id
from tests.project import SEED, approve_first_entry, es_po, msgfmt_check, snapshot
from tests.xliff.cases import CHANGED, LINKED, MENU, PLAIN, TARGETS, catalog, exported

LABEL = "rel.xlf, 2026-12-01"


def set_state(data: bytes, source_start: str, version: str, state: str, target: str | None = None) -> bytes:
    """The unit whose source starts with ``source_start``, with a new state (and target text)."""
    text = data.decode()
    tag = "unit" if version == "2.1" else "trans-unit"
    for block in re.findall(rf"<{tag} .*?</{tag}>", text, re.S):
        if f"<source>{source_start}" not in block:
            continue
        new = block
        if version == "2.1":
            new = re.sub(r'<segment state="\w+"( subState="[^"]*")?>', f'<segment state="{state}">', new)
        else:
            new = re.sub(r'<target[^>]*>', f'<target state="{state}">', new)
        if target is not None:
            new = re.sub(r"<target([^>]*)>.*?</target>", lambda m: f"<target{m.group(1)}>{target}</target>", new, flags=re.S)
        return text.replace(block, new).encode()
    raise AssertionError(f"no unit {source_start!r}")


def imported(cat: Catalog, data: bytes) -> ImportReport:
    (release,) = read_xliff(data, "rel.xlf")
    return import_release(cat, release, label=LABEL)


@pytest.mark.parametrize(("version", "final"), [("2.1", "final"), ("2.1", "reviewed"), ("1.2", "final"), ("1.2", "signed-off")])
def test_a_final_unit_makes_the_entry_reviewed_with_its_text(version: str, final: str) -> None:
    cat = catalog()
    codes = ('<pc id="1">el informe</pc> revisado <ph id="2"/>' if version == "2.1"
             else '<g id="1">el informe</g> revisado <x id="2"/>')
    data = set_state(exported(version), "Read", version, final, f"Lea {codes}.")
    data = set_state(data, "A sentence nobody", version, final)  # untranslated: no target yet
    state = "" if version == "2.1" else f' state="{final}"'
    new_target = f"<target{state}>Una frase nueva.</target>"
    data = data.replace(b"<source>A sentence nobody translated yet.</source>",
                        f"<source>A sentence nobody translated yet.</source>{new_target}".encode())
    report = imported(cat, data)
    assert (report.reviewed, report.problems) == (2, [])
    entry = cat.get(LINKED)
    assert entry is not None and entry.state is State.REVIEWED
    assert entry.target == "Lea <1>el informe</1> revisado <2/>."
    assert entry.translator_comments == (f"{IMPORT_PREFIX} {LABEL} ({final})",)  # the machine comment made way
    assert cat.get(PLAIN).target == "Una frase nueva." and cat.get(PLAIN).state is State.REVIEWED  # type: ignore[union-attr]


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_an_unreviewed_unit_never_replaces_a_reviewed_entry(version: str) -> None:
    cat = catalog()
    state = "translated" if version == "2.1" else "needs-review-translation"
    report = imported(cat, set_state(exported(version), MENU, version, state, "Contactos"))
    assert cat.get(MENU, "menu").target == TARGETS[MENU]  # type: ignore[union-attr]
    assert report.reviewed == report.to_review == 0
    (problem,) = report.problems
    assert f"unit {unit_id(MENU, 'menu')}: an unreviewed translation ({state}) never replaces a reviewed one" in problem
    assert problem.startswith("rel.xlf:") and "kept the PO's translation" in problem


def test_a_final_unit_replaces_a_reviewed_entry_only_as_it_was_exported() -> None:
    data = set_state(exported("2.1"), MENU, "2.1", "final", "Contactos")
    cat = catalog()
    assert imported(cat, data).reviewed == 1 and cat.get(MENU, "menu").target == "Contactos"  # type: ignore[union-attr]

    cat = catalog()
    cat.set_translation(MENU, "menu", "Contacte con nosotros", "", reviewed=True, replace_reviewed=True)  # reviewed since
    report = imported(cat, data)
    assert cat.get(MENU, "menu").target == "Contacte con nosotros"  # type: ignore[union-attr]
    assert "the PO entry was reviewed after the export and holds another translation" in report.problems[0]


def test_a_unit_whose_english_changed_is_not_imported_and_is_reported() -> None:
    data = set_state(exported("1.2"), "The office", "1.2", "final", "La oficina abrió en 2011.")
    cat = catalog()
    entries = [TemplateEntry(e.source.replace("2011", "2012"), e.context, e.references, e.notes) for e in cat.entries()]
    cat = update_catalog(cat, new_template(entries, project="t"), language="es", project="t")
    report = imported(cat, data)
    (problem,) = report.problems
    assert f"unit {unit_id(CHANGED, None)}: its source 'The office opened in 2011.' is no longer in" in problem
    assert "not imported: export again" in problem
    assert all("2011." not in e.target for e in cat.entries())


def test_a_translation_that_loses_a_code_is_not_imported() -> None:
    cat = catalog()
    report = imported(cat, set_state(exported("2.1"), "Read", "2.1", "final", "Lea el informe."))
    assert "does not keep the source's inline codes" in report.problems[0]
    assert cat.get(LINKED).state is State.MACHINE  # type: ignore[union-attr]


def test_machine_output_that_came_back_untouched_changes_nothing() -> None:
    cat = catalog()
    before = [(e.target, e.state, e.translator_comments) for e in cat.entries()]
    report = imported(cat, exported("2.1"))
    assert (report.changed, report.unchanged, report.problems) == (0, 5, [])
    assert [(e.target, e.state, e.translator_comments) for e in cat.entries()] == before


def test_an_edited_unit_not_yet_final_comes_in_fuzzy_to_be_reviewed() -> None:
    cat = catalog()
    report = imported(cat, set_state(exported("1.2"), "The office", "1.2", "translated", "La oficina abrió en 2011."))
    entry = cat.get(CHANGED)
    assert report.to_review == 1 and entry is not None
    assert (entry.target, entry.state, entry.previous_source) == ("La oficina abrió en 2011.", State.NEEDS_UPDATE, None)
    assert entry.translator_comments == (f"{IMPORT_PREFIX} {LABEL} (translated)",)


def test_a_unit_a_cat_tool_renamed_is_found_by_its_source() -> None:
    cat = catalog()
    data = set_state(exported("2.1"), "The office", "2.1", "final", "La oficina abrió en 2011.")
    data = data.replace(unit_id(CHANGED, None).encode(), b"tool-42")
    assert imported(cat, data).reviewed == 1


# --- end to end: the xliff command on the bundled project -----------------------------------


def edit_every_unit(path: Path, version: str) -> int:
    """What an agency does: every target rewritten (the codes kept) and every unit set to final."""
    text = path.read_text("utf-8")
    count = 0

    def target(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        state = ' state="final"' if version == "1.2" else ""
        return f"<target{state}>[revisado] {m.group(2)}</target>"

    text = re.sub(r"<target( [^>]*)?>(.*?)</target>", target, text, flags=re.S)
    if version == "2.1":
        text = re.sub(r'<segment state="\w+"( subState="[^"]*")?>', '<segment state="final">', text)
    path.write_text(text, "utf-8")
    return count


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_export_edit_import_makes_the_entries_reviewed(project: Path, version: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "to-agency"
    assert main(["xliff", "export", "--project", str(project), "-l", "es", "--version", version, str(out)]) == 0
    xlf = out / "es" / f"{SEED}.xlf"
    machine = {e.source: e.target for e in read_po(es_po(project)).machine()}
    assert edit_every_unit(xlf, version) == len(machine) > 0
    capsys.readouterr()
    assert main(["xliff", "import", "--project", str(project), str(xlf)]) == 0
    assert f"{len(machine)} reviewed, 0 to review, 0 unchanged, 0 not imported" in capsys.readouterr().out
    cat = read_po(es_po(project))
    for source, old in machine.items():
        entry = cat.get(source)
        assert entry is not None and entry.state is State.REVIEWED and entry.target == f"[revisado] {old}"
    msgfmt_check([es_po(project)])
    before = snapshot(project / "locales")
    assert main(["xliff", "import", "--project", str(project), str(xlf)]) == 0
    assert snapshot(project / "locales") == before, "importing the same file twice changes nothing"
    assert main(["run", "--project", str(project)]) == 0
    assert read_po(es_po(project)).get(next(iter(machine))).target.startswith("[revisado] ")  # type: ignore[union-attr]


def test_an_unreviewed_unit_leaves_a_reviewed_po_entry_alone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "x"
    assert main(["xliff", "export", "--project", str(project), "-l", "es", str(out)]) == 0
    xlf = out / "es" / f"{SEED}.xlf"
    source = approve_first_entry(es_po(project), "Revisada en casa.")  # reviewed in Poedit after the export
    text = xlf.read_text("utf-8")
    xlf.write_text(re.sub(r"<target>(.*?)</target>", r"<target>[agencia] \1</target>", text, flags=re.S), "utf-8")
    capsys.readouterr()
    assert main(["xliff", "import", "--project", str(project), str(xlf)]) == 0
    err = capsys.readouterr().err
    assert "an unreviewed translation (initial) never replaces a reviewed one" in err
    entry = read_po(es_po(project)).get(source)
    assert entry is not None and (entry.target, entry.state) == ("Revisada en casa.", State.REVIEWED)


def test_translate_toolkit_reads_the_bundled_projects_12_export(project: Path) -> None:
    out = project / "x"
    assert main(["xliff", "export", "--project", str(project), "--version", "1.2", str(out)]) == 0
    store = tt_xliff.xlifffile.parsefile(str(out / "fr" / f"{SEED}.xlf"))  # type: ignore[no-untyped-call]
    po = read_po(project / "locales" / "fr" / "LC_MESSAGES" / f"{SEED}.po")
    assert len(store.units) == len(po.machine()) + len(po.needs_update()) + len(po.untranslated()) > 10
    assert store.gettargetlanguage() == "fr"
    for unit in store.units:
        assert unit.source and unit.target and unit.isfuzzy() and not unit.isapproved()


def test_a_broken_file_among_several_imports_nothing(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "x"
    assert main(["xliff", "export", "--project", str(project), str(out)]) == 0
    good = out / "es" / f"{SEED}.xlf"
    edit_every_unit(good, "2.1")
    broken = tmp_path / "broken.xlf"
    broken.write_text('<?xml version="1.0"?>\n<xliff version="2.1" xmlns="urn:oasis:names:tc:xliff:document:2.0">\n</xliff>\n')
    before = snapshot(project / "locales")
    capsys.readouterr()
    assert main(["xliff", "import", "--project", str(project), str(good), str(broken)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"error: {broken}:2: <xliff> has no srcLang attribute; the XLIFF specification requires it; "
        "export the file again from the CAT tool"
    )
    assert snapshot(project / "locales") == before


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["xliff", "export", "--state", "machine,final", "out"], 2, "error: --state: unknown state 'final'; give a comma"),
        (["xliff", "export", "-l", "de", "out"], 2, "error: language 'de': not a target language of this project"),
        (["xliff"], 2, "error: say 'xliff export OUT_DIR' or 'xliff import FILE...'"),
    ],
)
def test_command_line_mistakes(
    project: Path, argv: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main([*argv, "--project", str(project)]) == code
    assert capsys.readouterr().err.startswith(message)
