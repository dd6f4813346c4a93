"""Glossaries in TBX and CSV (i18n_pipeline.termbase): the files terminologists' tools write, read
into glossary terms; TBX v3 (TBX-Basic) and CSV written; merging into locales/glossary.yaml as a
text edit that keeps every line and comment of the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from i18n_pipeline.catalog import Entry
from i18n_pipeline.cli import main
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.glossary import Term, load_glossary, parse_glossary
from i18n_pipeline.glossary_merge import merge_glossary
from i18n_pipeline.model import State
from i18n_pipeline.pofile import read_po
from i18n_pipeline.termbase import csv_text, glossary_terms, read_csv, read_tbx, tbx_bytes
from tests.paths import ROOT, SAMPLES
from tests.project import SEED, es_po, msgfmt_check

BUNDLED = ROOT / "locales" / "glossary.yaml"
TBX3 = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def terms_of(name: str, targets: tuple[str, ...] = ("es", "fr")) -> dict[str, Term]:
    path = SAMPLES / name
    read = read_csv if name.endswith(".csv") else read_tbx
    imported = glossary_terms(read(path.read_bytes(), str(path)), str(path), "en", targets)
    return {t.source: t for t in imported.terms}


# --- reading ---------------------------------------------------------------------------------


def test_multiterm_tbx_v2() -> None:
    path = SAMPLES / "multiterm.tbx"
    imported = glossary_terms(read_tbx(path.read_bytes(), str(path)), str(path), "en", ("es", "fr"))
    found = {t.source: t for t in imported.terms}
    city = found["border city"]
    assert city.targets == (("es", "ciudad fronteriza"), ("fr", "ville frontalière"))  # es-MX, fr-FR: the project's es, fr
    assert city.forbidden == (("es", "ciudad de borde"),) and city.admitted == ()
    assert city.note == "A city on a national border"
    assert found["Tapachula"].keep and found["Ciudad Hidalgo"].keep  # translated by themselves: names
    assert imported.other_languages == {"de-DE"}
    assert imported.skipped == [f"{path}:78: no en term"]


def test_memoq_tbx_v2_statuses() -> None:
    found = terms_of("memoq.tbx")
    trafficking = found["human trafficking"]
    assert trafficking.targets == (("es", "trata de personas"),)
    assert trafficking.admitted == (("es", "trata de seres humanos"),)
    assert trafficking.forbidden == (("es", "tráfico de personas"),)
    assert trafficking.note == ""  # a subject field is not a note
    assert found["trafficking in human beings"].targets == trafficking.targets  # an admitted English synonym
    assert "illegal migrant" not in found  # deprecated in English: never a source to match
    assert found["irregular migrant"].forbidden == (("es", "migrante ilegal"),)  # normativeAuthorization: superseded


def test_tbx_v3_dca_and_dct() -> None:
    shelter = terms_of("basic-v3.tbx")["shelter"]
    assert (shelter.source_plural, shelter.plurals) == ("shelters", (("es", "albergues"), ("fr", "centres d'hébergement")))
    assert shelter.forbidden == (("es", "refugio"),)
    iom = terms_of("basic-v3.tbx")["IOM"]
    assert iom.match_case and iom.note == "acronym of the organisation"
    labour = terms_of("dct-v3.tbx")["labour exploitation"]
    assert labour.targets == (("es", "explotación laboral"),) and labour.forbidden == (("es", "explotación de trabajo"),)


def test_csv_from_a_spreadsheet() -> None:
    found = terms_of("terms.csv")
    assert found["consular representative"].targets == (("es", "representante consular"), ("fr", "représentant consulaire"))
    assert found["consular representative"].forbidden == (("es", "representante consulares"), ("es", "cónsul"))
    assert found["consular representative"].note == "a diplomat of a consulate"
    assert found["CNDH"].keep


@pytest.mark.parametrize(
    ("name", "data", "where", "what"),
    [
        ("x.tbx", b"<tmx version='1.4'/>", "x.tbx:1", "the root element is <tmx>, not <martif> or <tbx>"),
        ("x.tbx", b"<martif>\n<text><body><termEntry>\n<langSet><tig><term>a</term></tig></langSet>"
         b"</termEntry></body></text></martif>", "x.tbx:3", "<langSet> has no xml:lang"),
        ("x.tbx", b"<martif>\n<text></martif>", "x.tbx:2", "not well-formed XML"),
        ("x.csv", b"en,es,spanish\nIOM,OIM,OIM\n", "x.csv:1", "column 3 is headed 'spanish', not a language code"),
        ("x.csv", b"en,es\nOIM,\xe9\n", "x.csv:2", "not UTF-8 text"),
        ("x.csv", b"\n", "x.csv", "no header row"),
    ],
)
def test_a_broken_file_names_its_line(name: str, data: bytes, where: str, what: str) -> None:
    read = read_csv if name.endswith(".csv") else read_tbx
    with pytest.raises(PipelineError) as caught:
        read(data, name)
    assert caught.value.where == where and caught.value.what.startswith(what) and caught.value.fix


# --- writing ---------------------------------------------------------------------------------

STATUSES = {"preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"}
# TBX-Basic (DCA style): the elements and data categories the dialect allows where we use them.
ALLOWED = {
    "tbx": {"tbxHeader", "text"}, "tbxHeader": {"fileDesc"}, "fileDesc": {"titleStmt", "sourceDesc"},
    "titleStmt": {"title"}, "sourceDesc": {"p"}, "text": {"body"}, "body": {"conceptEntry"},
    "conceptEntry": {"note", "langSec"}, "langSec": {"termSec"}, "termSec": {"term", "termNote", "note"},
    "title": set(), "p": set(), "term": set(), "termNote": set(), "note": set(),
}


def test_tbx_export_is_tbx_v3_basic() -> None:
    glossary = load_glossary(BUNDLED)
    data = tbx_bytes(glossary, "en", ["es", "fr"], title="IOM press releases")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/')
    root = etree.fromstring(data)
    assert root.tag == f"{TBX3}tbx" and (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    for element in root.iter():
        assert element.tag.startswith(TBX3), element.tag
        name = element.tag[len(TBX3):]
        assert {c.tag[len(TBX3):] for c in element} <= ALLOWED[name], name
        if name == "termNote":
            assert element.get("type") == "administrativeStatus" and element.text in STATUSES
        if name == "langSec":
            assert element.get(XML_LANG) in ("en", "es", "fr") and len(element)
        if name == "conceptEntry":
            assert element[-1].tag == f"{TBX3}langSec" and element.get("id")
    concepts = root.findall(f".//{TBX3}conceptEntry")
    assert len(concepts) == len(glossary.terms) and len({c.get("id") for c in concepts}) == len(concepts)


@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_export_then_import_changes_nothing(fmt: str) -> None:
    text = BUNDLED.read_text("utf-8")
    glossary = parse_glossary(text, BUNDLED)
    if fmt == "tbx":
        concepts = read_tbx(tbx_bytes(glossary, "en", ["es", "fr"], title="t"), "g.tbx")
    else:
        concepts = read_csv(csv_text(glossary, "en", ["es", "fr"]).encode(), "g.csv")
    imported = glossary_terms(concepts, "g", "en", ["es", "fr"])
    assert (imported.skipped, len(imported.terms)) == ([], len(glossary.terms))
    merged, report = merge_glossary(text, glossary, imported.terms, ["es", "fr"], label="g")
    assert merged == text
    assert (report.added, report.names, report.updated, report.unchanged) == ([], [], [], len(glossary.terms))


def test_csv_export_has_a_header_row_of_language_codes() -> None:
    lines = csv_text(load_glossary(BUNDLED), "en", ["es", "fr"]).splitlines()
    assert lines[0].split(",")[:3] == ["en", "es", "fr"]
    assert "Chief of Mission,Jefe de Misión,Chef de mission,Chiefs of Mission,Jefes de Misión" in lines[3]
    assert "Tapachula,Tapachula,Tapachula" in "\n".join(lines)  # a name: itself in every language


# --- end to end: a terminologist's TBX on the bundled project --------------------------------


def approve(po: Path, words: str) -> str:
    """A reviewer approves, as it is, the entry whose source has ``words`` (Poedit: "Needs work"
    off); returns its source."""
    blocks = po.read_text("utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        if words in block.replace('"\n"', "") and "#, fuzzy\n" in block:
            blocks[i] = block.replace("#, fuzzy\n", "")
            po.write_text("\n\n".join(blocks), "utf-8")
            return next(e.source for e in read_po(po).entries() if words in e.source)
    raise AssertionError(f"no fuzzy entry with {words!r}")


def draft_in_poedit(po: Path, words: str, target: str) -> Entry:
    """A translator rewrites the entry whose source has ``words`` and leaves it fuzzy ("Needs
    work" on); the machine-translation comment stays, as Poedit keeps comments."""
    blocks = po.read_text("utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        if words in block.replace('"\n"', ""):
            lines = block.split("\n")
            start = next(j for j, line in enumerate(lines) if line.startswith("msgstr "))
            blocks[i] = "\n".join([*lines[:start], f'msgstr "{target}"'])
            po.write_text("\n\n".join(blocks), "utf-8")
            entry = next(e for e in read_po(po).entries() if words in e.source)
            assert entry.target == target and entry.state is State.MACHINE
            return entry
    raise AssertionError(f"no entry with {words!r}")


def test_an_imported_tbx_changes_the_next_runs_translations(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    es, fr = es_po(project), project / "locales" / "fr" / "LC_MESSAGES" / f"{SEED}.po"
    border = approve(es, "southern border city of Tapachula")  # reviewed in Spanish, still machine in French
    shelters = next(e for e in read_po(es).entries() if "more shelters" in e.source)
    reviewed_before = read_po(es).get(border)
    assert reviewed_before is not None and "ciudad fronteriza" not in reviewed_before.target
    assert "albergues" not in shelters.target and shelters.machine
    draft = "Cada víctima recibe apoyo médico y psicológico, refugio y comida (borrador)."
    edited = draft_in_poedit(es, "shelter and food", draft)  # a translator's draft, still fuzzy
    for sample in ("multiterm.tbx", "basic-v3.tbx"):
        assert main(["glossary", "import", "--project", str(project), str(SAMPLES / sample)]) == 0
    assert main(["run", "--project", str(project)]) == 0

    spanish, french = read_po(es), read_po(fr)
    after = spanish.get(border)
    assert after is not None and reviewed_before is not None
    assert (after.target, after.state, after.translator_comments) == (  # a reviewed translation is never changed
        reviewed_before.target, reviewed_before.state, reviewed_before.translator_comments)
    assert "glossary: border city = ciudad fronteriza (A city on a national border)" in after.notes  # the #. notes say it
    retranslated = spanish.get(shelters.source)
    assert retranslated is not None and retranslated.state is State.MACHINE and "albergues" in retranslated.target
    assert spanish.get(edited.source).target == draft  # type: ignore[union-attr]  # touched by a person: theirs
    assert "ville frontalière" in french.get(border).target  # type: ignore[union-attr]
    assert "centres d'hébergement" in french.get(shelters.source).target  # type: ignore[union-attr]
    msgfmt_check([es, fr])

    capsys.readouterr()
    main(["check", "--project", str(project), "--json", "-l", "es"])
    found = {(p["check"], p["message"]) for p in json.loads(capsys.readouterr().out)}
    assert ("glossary", 'glossary: "border city" should be "ciudad fronteriza"') in found
    assert ("glossary-forbidden", 'forbidden: "ciudad de borde" for "border city"; use "ciudad fronteriza"') in found


def test_glossary_commands(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["glossary", "import", "--project", str(project), str(SAMPLES / "multiterm.tbx")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{SAMPLES / 'multiterm.tbx'}: 4 concepts; 1 terms added, 1 names added, 0 changes, "
                          "1 unchanged, 1 skipped")
    assert "left out the terms in de-DE (not languages of this project)" in err
    assert main(["glossary", "export", "--project", str(project), str(tmp_path / "g.csv")]) == 0
    assert (tmp_path / "g.csv").read_text("utf-8").startswith("en,es,fr,")
    assert main(["glossary", "export", "--project", str(project), str(tmp_path / "g.xml"), "--format", "tbx"]) == 0
    assert b"<tbx " in (tmp_path / "g.xml").read_bytes()
    assert main(["glossary", "import", "--project", str(project), str(tmp_path / "g.xlsx")]) == 2
    assert "unknown glossary format '.xlsx'; give a .tbx or a .csv file" in capsys.readouterr().err
