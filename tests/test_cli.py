"""The CLI end to end, through ``main([...])``, on a copy of the bundled project.

Real Apertium, real PO files read back by GNU gettext. The whole ``run`` is done once per test
module (it is the slow part) and each test works on its own copy of the result.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from i18n_pipeline.cli import build_parser, main
from tests.paths import ROOT, SHARED
from tests.project import copy_project

SEED = "new-iom-publication-compiles-cases-of-human-trafficking-assisted"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def release_name(project: Path) -> str:
    names = sorted(p.stem for p in (project / "content").glob("*.md"))
    assert names, "the bundled project has releases"
    return SEED if SEED in names else names[0]


def test_run_writes_templates_po_and_builds(project: Path) -> None:
    name = release_name(project)
    assert (project / "locales" / "templates" / f"{name}.pot").is_file()
    for lang in ("es", "fr"):
        assert (project / "locales" / lang / "LC_MESSAGES" / f"{name}.po").is_file()
        assert (project / "build" / lang / f"{name}.md").is_file()
        assert (project / "build" / lang / f"{name}.html").is_file()


def test_every_po_passes_msgfmt_and_msgcat(project: Path) -> None:
    files = sorted((project / "locales").rglob("*.po")) + sorted((project / "locales").rglob("*.pot"))
    assert len(files) >= 3
    for path in files:
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)
        catted = subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout
        assert catted == path.read_bytes(), f"{path} is not formatted as GNU gettext formats it"


def test_status_reports_every_segment_as_machine(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "status", "--json", "--project", str(project))
    assert isinstance(data, dict)
    name = release_name(project)
    for lang in ("es", "fr"):
        counts = data[lang]["releases"][name]["segments"]
        assert set(counts) == {"reviewed", "machine", "needs_update", "untranslated"}
        assert counts["machine"] > 10
        assert counts["reviewed"] == counts["needs_update"] == counts["untranslated"] == 0


def test_machine_output_is_marked_in_the_po(project: Path) -> None:
    po = (project / "locales" / "fr" / "LC_MESSAGES" / f"{release_name(project)}.po").read_text("utf-8")
    entries = [e for e in po.split("\n\n")[1:] if "msgid" in e and not e.startswith("#~")]
    assert entries
    for entry in entries:
        assert "#, fuzzy" in entry
        assert "# machine translation: apertium" in entry or "# translation memory: " in entry
    machine = [e for e in entries if "# machine translation: apertium" in e]
    assert len(machine) >= len(entries) - 2
    for entry in machine:
        assert "pivot" in entry  # en→es→fr through Spanish, said in the provenance


def test_spanish_release_reads_as_spanish(project: Path) -> None:
    name = release_name(project)
    md = (project / "build" / "es" / f"{name}.md").read_text("utf-8")
    page = (project / "build" / "es" / f"{name}.html").read_text("utf-8")
    source = (project / "content" / f"{name}.md").read_text("utf-8")
    body = source.split("\n---\n", 1)[1]
    # No English sentence of the body survives.
    for line in body.split("\n"):
        for sentence in re.split(r"(?<=[.!?])\s+", line.strip()):
            if len(sentence.split()) >= 5:
                assert sentence not in md, f"English left in the Spanish release: {sentence}"
    for junk in ("Who we are", "Take Action", "alt=", "onclick", "src="):
        assert junk not in md and junk not in page
    assert not re.search(r"(?:^|\s)[*#@][^\W\d_]", re.sub(r"^#+ |^\s*[*-] ", "", md, flags=re.M).replace("**", ""))
    for text in (md, page):
        assert "hlegoff@iom.int" in text
        assert "http://www.oim.org.mx/index.php" in text
    assert "traducción automática" in page.lower()  # the unreviewed-machine notice
    assert '<html lang="es">' in page


def test_second_run_sends_nothing_and_changes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project / "locales")
    assert main(["run", "--project", str(project)]) == 0
    assert snapshot(project / "locales") == before
    report = run_json(capsys, "translate", "--json", "--project", str(project))
    assert isinstance(report, dict)
    for lang in ("es", "fr"):
        assert report[lang]["engine_requests"] == 0
        assert report[lang]["engine"] == 0
        assert report[lang]["segments_sent"] == 0
    assert snapshot(project / "locales") == before


def _approve_first_entry(po_path: Path, new_target: str) -> str:
    """Edit the first real entry like a translator in Poedit: new msgstr, fuzzy cleared."""
    text = po_path.read_text("utf-8")
    blocks = text.split("\n\n")
    for i, block in enumerate(blocks[1:], start=1):
        if "msgid" not in block or block.startswith("#~"):
            continue
        lines = block.split("\n")
        msgid_lines: list[str] = []
        out: list[str] = []
        state = ""
        for line in lines:
            if line.startswith("#, fuzzy"):
                continue
            if line.startswith("msgid "):
                state = "id"
            elif line.startswith("msgstr "):
                state = "str"
                out.append(f'msgstr "{new_target}"')
                continue
            elif not line.startswith('"'):
                state = "" if state == "str" else state
            if state == "str":
                continue
            if state == "id":
                msgid_lines.append(line)
            out.append(line)
        blocks[i] = "\n".join(out)
        po_path.write_text("\n\n".join(blocks), "utf-8")
        return "".join(re.findall(r'"(.*)"', "\n".join(msgid_lines)))
    raise AssertionError("no entry")


def test_translator_edit_survives_and_is_used(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = release_name(project)
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{name}.po"
    # Normalise to gettext formatting after the hand edit, as Poedit would.
    msgid = _approve_first_entry(po, "Traducción revisada por una persona.")
    subprocess.run(["msgcat", "-o", str(po), str(po)], check=True)
    edited = po.read_bytes()
    assert main(["run", "--project", str(project)]) == 0
    assert b'msgstr "Traducci\xc3\xb3n revisada por una persona."' in po.read_bytes()
    data = run_json(capsys, "status", "--json", "--project", str(project), "-l", "es")
    assert isinstance(data, dict)
    assert data["es"]["releases"][name]["segments"]["reviewed"] == 1
    assert main(["build", "--project", str(project), "-l", "es"]) == 0
    md = (project / "build" / "es" / f"{name}.md").read_text("utf-8")
    assert "Traducción revisada por una persona." in md
    assert "traducción automática" not in md.lower()  # reviewed-only build has no machine text
    assert msgid
    assert po.read_bytes() == edited or b"Traducci\xc3\xb3n revisada" in po.read_bytes()


def test_bad_settings_give_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    (project / "pipeline.yaml").write_text("source_language: en\ntarget_langauges: [es]\n", "utf-8")
    assert main(["status", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "pipeline.yaml:2" in err and "target_languages" in err
    assert "Traceback" not in err


def test_missing_project_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--project", str(tmp_path)]) == 1
    assert "pipeline.yaml" in capsys.readouterr().err
    assert main(["no-such-command"]) == 2
    assert main([]) == 2


def test_every_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    choices = getattr(sub, "choices", {})
    assert {"extract", "update", "translate", "status", "build", "run", "ingest", "tm", "check"} <= set(choices)
    for action in getattr(sub, "_choices_actions", []):
        assert action.help, f"command {action.dest} has no help text"




def test_ingest_of_the_seed_is_the_bundled_release(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = SHARED / "seed" / "000_adedd758250034a0.txt"
    if not seed.exists():
        pytest.skip("../shared/seed is absent (outside CI)")
    project = tmp_path / "p"
    project.mkdir()  # no pipeline.yaml: ingest needs only the source language (default en)
    assert main(["ingest", str(seed), "--project", str(project), "--explain"]) == 0
    out = capsys.readouterr().out
    made = list((project / "content").glob("*.md"))
    assert len(made) == 1
    assert made[0].read_bytes() == (ROOT / "content" / made[0].name).read_bytes()
    assert "[html-attributes]" in out and "[menu-echo]" in out  # --explain names each rule
    # A second ingest with other content does not silently replace the release.
    made[0].write_text(made[0].read_text("utf-8") + "\nEdited by hand.\n", "utf-8")
    assert main(["ingest", str(seed), "--project", str(project)]) == 1
    assert "--force" in capsys.readouterr().err


def test_ingest_refuses_binary_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p")
    picture = tmp_path / "photo.txt"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert main(["ingest", str(picture), "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "photo.txt" in err and "Traceback" not in err
    assert not list((project / "content").glob("photo*"))


def _spaces(text: str) -> str:
    """CLDR's no-break and narrow no-break spaces read as spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_releases_use_the_organisations_terms_and_cldr(project: Path) -> None:
    name = release_name(project)
    for suffix in (".md", ".html"):
        es = _spaces((project / "build" / "es" / f"{name}{suffix}").read_text("utf-8"))
        fr = _spaces((project / "build" / "fr" / f"{name}{suffix}").read_text("utf-8"))
        assert "trata de personas" in es and "tráfico humano" not in es
        assert "OIM" in es and "IOM" not in es
        assert "20.000" in es and "60 %" in es and "3 de agosto" in es
        assert "La trata de personas en Mexico: Diagnóstico sobre la asistencia a víctimas" in es
        assert "OIM" in fr and "IOM" not in fr
        assert "20 000" in fr and "3 août" in fr
    raw_fr = (project / "build" / "fr" / f"{name}.md").read_text("utf-8")
    assert "20\u202f000" in raw_fr  # CLDR's grouping space for French, as babel gives it


def test_a_translation_that_breaks_a_placeholder_is_reported_and_not_published(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = release_name(project)
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{name}.po"
    text = po.read_text("utf-8")
    # The last sentence holds the publication's URL as <1/>; a translator loses it and approves.
    m = re.search(r'#, fuzzy\n(msgid "The publication will be available on 3 August at <1/>"\n)msgstr "[^"]*"', text)
    assert m, "the seed's last sentence has a URL placeholder"
    po.write_text(text.replace(m.group(0), m.group(1) + 'msgstr "La publicación estará disponible pronto."'), "utf-8")
    capsys.readouterr()
    assert main(["check", "--project", str(project), "-l", "es"]) == 1
    out = capsys.readouterr().out
    assert "critical" in out and "placeholders differ" in out
    where = re.search(r"\.po:(\d+): placeholders differ", out)
    assert where, out  # the message names the line, so a translator can jump to it
    line = po.read_text("utf-8").split("\n")[int(where.group(1)) - 1]
    assert line.startswith('msgid "The publication will be available')
    assert main(["build", "--project", str(project), "-l", "es"]) == 0
    md = (project / "build" / "es" / f"{name}.md").read_text("utf-8")
    assert "disponible pronto" not in md  # the broken translation is not used...
    assert "<http://www.oim.org.mx/index.php>" in md  # ...and the link survives in the source


def test_build_mo_compiles_reviewed_entries(project: Path) -> None:
    assert main(["build", "--mo", "--project", str(project)]) == 0
    for lang in ("es", "fr"):
        mo = project / "locales" / lang / "LC_MESSAGES" / f"{release_name(project)}.mo"
        assert mo.is_file()
        listed = subprocess.run(["msgunfmt", str(mo)], check=True, capture_output=True, text=True).stdout
        assert "fuzzy" not in listed  # machine output (fuzzy) is not compiled


def test_tm_import_keeps_the_file_and_export_writes_tmx(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "out.tmx"
    assert main(["tm", "export", str(exported), "--project", str(project)]) == 0
    assert b"<tmx" in exported.read_bytes() and b'version="1.4"' in exported.read_bytes()
    assert main(["tm", "import", str(exported), "--project", str(project)]) == 0
    assert (project / "locales" / "memory" / "out.tmx").read_bytes() == exported.read_bytes()
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx version='1.4'><body><tu>", "utf-8")
    capsys.readouterr()
    assert main(["tm", "import", str(broken), "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "broken.tmx" in err and "Traceback" not in err
    assert not (project / "locales" / "memory" / "broken.tmx").exists()


def test_work_is_redone_only_where_its_inputs_changed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = release_name(project)
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    assert "templates: 0 written" in capsys.readouterr().out
    # A removed output is rebuilt; the rest is left alone.
    (project / "build" / "fr" / f"{name}.html").unlink()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "build: 1 files written" in out and (project / "build" / "fr" / f"{name}.html").exists()
    # A changed sentence reaches the template, both PO files and the engine (once per language).
    source = project / "content" / f"{name}.md"
    source.write_text(source.read_text("utf-8").replace("among others.", "among other places."), "utf-8")
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "templates: 1 written" in out and "PO files: 2 written" in out
    assert out.count("1 by apertium (1 engine requests)") == 2
    # Another setting redoes the work it affects (segmentation by paragraph: new msgids).
    settings = project / "pipeline.yaml"
    settings.write_text(settings.read_text("utf-8").replace("segmentation: sentence", "segmentation: paragraph"), "utf-8")
    assert main(["extract", "--project", str(project)]) == 0
    assert "templates: 1 written" in capsys.readouterr().out


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
