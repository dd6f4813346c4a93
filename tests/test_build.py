"""Reassembly and publishing (i18n_pipeline.build, and the ``build`` stage): the releases a run
builds, reviewed-only builds, the publish threshold, HTML pages and MO files.

The golden files of tests/data/ check the build of each format case by case
(tests/formats/test_golden.py); the tests here run it on the bundled project and on small
catalogs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from i18n_pipeline.build import build_release
from i18n_pipeline.catalog import Catalog, new_template, template_entries, update_catalog
from i18n_pipeline.cli import main
from i18n_pipeline.formats import ParseOptions, parse_document
from i18n_pipeline.model import Document
from i18n_pipeline.pofile import read_po_bytes
from tests.project import approve_first_entry, break_placeholder, release_name

# --- the bundled release, built after a run ------------------------------------------------------


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
    assert '<html lang="es" dir="ltr">' in page


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


def test_a_translation_that_breaks_a_placeholder_is_not_published(project: Path) -> None:
    name = release_name(project)
    break_placeholder(project)
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


def test_a_release_below_the_publish_threshold_is_withheld(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = release_name(project)
    settings = project / "pipeline.yaml"
    text = settings.read_text("utf-8")
    assert "\npublish:\n" in text
    settings.write_text(text.replace("\npublish:\n", "\npublish:\n  min_reviewed: 0.01\n"), "utf-8")
    shutil.rmtree(project / "build")
    capsys.readouterr()
    # Nothing reviewed yet: the reviewed-only build withholds every release, says why, exits 1.
    assert main(["build", "--project", str(project), "-l", "es"]) == 1
    err = capsys.readouterr().err
    assert f"es/{name}" in err and "0%" in err and "min_reviewed" in err, err
    assert not (project / "build" / "es" / f"{name}.md").exists()
    assert not (project / "build" / "es" / f"{name}.html").exists()
    # One approved sentence of about twenty is enough for 1 %.
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{name}.po"
    approve_first_entry(po, "Traducción revisada por una persona.")
    assert main(["build", "--project", str(project), "-l", "es"]) == 0
    assert "Traducción revisada por una persona." in (project / "build" / "es" / f"{name}.md").read_text("utf-8")
    # A build with machine output publishes whatever the share of reviewed segments.
    settings.write_text(settings.read_text("utf-8").replace("min_reviewed: 0.01", "min_reviewed: 1"), "utf-8")
    assert main(["build", "--project", str(project), "-l", "es", "--include-machine"]) == 0


# --- build_release on small catalogs ----------------------------------------------------------

RELEASE = """---
title: Shelters open in the north
date: 2011-08-03
place: Mexico
---

Three shelters opened this week. They have 300 beds in total.
"""
SPANISH = {
    "Shelters open in the north": "Abren albergues en el norte",
    "Mexico": "México",
    "Three shelters opened this week.": "Esta semana abrieron tres albergues.",
    "They have 300 beds in total.": "Suman 300 camas en total.",
}
OPTIONS = ParseOptions(front_matter_keys=("title", "place"))


def catalog(document: Document, *, reviewed: set[str], machine: set[str]) -> Catalog:
    """A Spanish catalog of ``document``: the sources in ``reviewed`` approved, those in
    ``machine`` machine-translated (fuzzy), the rest untranslated."""
    template = new_template(template_entries(document), project="test", creation_date="2026-11-29 10:00+0000")
    cat = update_catalog(None, template, language="es", project="test")
    for source in reviewed:
        cat.set_suggestion(source, None, SPANISH[source], "", approved=True)
    for source in machine:
        cat.set_machine_translation(source, None, SPANISH[source], "machine translation: test")
    return cat


def test_without_a_catalog_the_release_stays_in_the_source_language() -> None:
    doc = parse_document(RELEASE, "shelters.md", OPTIONS)
    built = build_release(doc, None, "es", include_machine=True)
    notice = "> Partes de este texto aún no están traducidas; se muestran en inglés.\n"
    assert built.markdown == RELEASE.replace("---\n\n", f"---\n\n{notice}\n", 1)
    assert (built.machine_segments, built.fallback_segments) == (0, len(doc.segments))
    assert "machine-translation-notice" not in built.html
    assert '<p class="untranslated-notice">Partes de este texto' in built.html


def test_a_reviewed_build_uses_reviewed_translations_only() -> None:
    doc = parse_document(RELEASE, "shelters.md", OPTIONS)
    cat = catalog(doc, reviewed={"Shelters open in the north", "Mexico"}, machine={"Three shelters opened this week."})
    built = build_release(doc, cat, "es", include_machine=False)
    assert (built.machine_segments, built.fallback_segments) == (0, 2)
    notice = "> Partes de este texto aún no están traducidas; se muestran en inglés.\n"
    assert built.markdown == RELEASE.replace("Shelters open in the north", '"Abren albergues en el norte"').replace(
        "Mexico", '"México"'
    ).replace("---\n\n", f"---\n\n{notice}\n", 1)
    assert "sin revisar" not in built.markdown and "sin revisar" not in built.html
    # The two sentences left in English say so, as one paragraph.
    assert '<p lang="en" class="untranslated">Three shelters opened this week. They have 300 beds in total.</p>' in built.html


def test_machine_output_is_used_only_when_asked_and_then_announced() -> None:
    doc = parse_document(RELEASE, "shelters.md", OPTIONS)
    cat = catalog(doc, reviewed={"Shelters open in the north"}, machine={"Three shelters opened this week.", "Mexico"})
    built = build_release(doc, cat, "es", include_machine=True)
    assert (built.machine_segments, built.fallback_segments) == (2, 1)
    notice = "Este texto es una traducción automática sin revisar."
    # In Markdown, right after the front matter, so the release still starts with it.
    partly = "Partes de este texto aún no están traducidas; se muestran en inglés."
    head, body = built.markdown.split("\n---\n", 1)
    assert head.startswith("---\ntitle: ")
    assert body.startswith(f"\n> **{notice}**\n>\n> {partly}\n\nEsta semana abrieron tres albergues.")
    assert f'<p class="machine-translation-notice"><strong>{notice}</strong></p>' in built.html
    assert f'<p class="untranslated-notice">{partly}</p>' in built.html
    assert '<p>Esta semana abrieron tres albergues. <span lang="en" class="untranslated">They have 300 beds' in built.html


def test_the_html_page_localises_the_header_and_escapes_every_value() -> None:
    release = RELEASE.replace("title: Shelters open in the north", 'title: "Shelters <b>open</b> & more"')
    doc = parse_document(release, "shelters.md", OPTIONS)
    page = build_release(doc, None, "es", include_machine=False).html
    assert page.startswith('<!DOCTYPE html>\n<html lang="es" dir="ltr">\n')
    # Nothing is translated: every value is English and says so.
    untranslated = 'lang="en" class="untranslated"'
    assert f"<title {untranslated}>Shelters &lt;b&gt;open&lt;/b&gt; &amp; more</title>" in page
    assert f"<h1 {untranslated}>Shelters &lt;b&gt;open&lt;/b&gt; &amp; more</h1>" in page
    dateline = '<time datetime="2011-08-03">3 de agosto de 2011</time>'
    assert f'<p class="dateline"><span {untranslated}>Mexico</span> – {dateline}</p>' in page
    assert f"<p {untranslated}>Three shelters opened this week. They have 300 beds in total.</p>" in page


def test_a_language_without_labels_gets_english_ones_and_cldr_dates() -> None:
    release = RELEASE + "\n"
    release = release.replace("place: Mexico\n", "place: Mexico\ncontacts:\n- name: Ana Pérez\n  email: ana@example.org\n")
    doc = parse_document(release, "shelters.md", OPTIONS)
    page = build_release(doc, None, "de", include_machine=False).html
    assert '<html lang="de" dir="ltr">' in page
    assert "3. August 2011" in page  # CLDR's long date for German
    assert "<p>For further information, please contact:</p>" in page
    assert 'E-mail: <a href="mailto:ana@example.org">ana@example.org</a>' in page


# --- releases in other formats, headings, critical checks ------------------------------------------

HTML_RELEASE = """<!DOCTYPE html>
<html lang="en">
<head><title>Shelters open</title></head>
<body>
<p>Three shelters opened this week. They have 300 beds in total.</p>
</body>
</html>
"""


def _machine_catalog(document: Document, translations: dict[str, str]) -> Catalog:
    template = new_template(template_entries(document), project="test", creation_date="2026-11-29 10:00+0000")
    cat = update_catalog(None, template, language="es", project="test")
    for source, target in translations.items():
        cat.set_machine_translation(source, None, target, "machine translation: test")
    return cat


def test_an_html_release_says_its_language_and_what_is_machine_or_english() -> None:
    doc = parse_document(HTML_RELEASE, "shelters.html", OPTIONS)
    cat = _machine_catalog(doc, {"Three shelters opened this week.": "Esta semana abrieron tres albergues."})
    built = build_release(doc, cat, "es", include_machine=True)
    assert built.html == built.markdown
    assert '<html lang="es" dir="ltr">' in built.html and 'lang="en"' not in built.html.split("<body>")[0]
    body = built.html.split("<body>", 1)[1]
    assert body.startswith(
        '\n<p class="machine-translation-notice"><strong>Este texto es una traducción automática sin revisar.</strong></p>\n'
        '<p class="untranslated-notice">Partes de este texto aún no están traducidas; se muestran en inglés.</p>\n'
    )
    assert '<p>Esta semana abrieron tres albergues. <span lang="en" class="untranslated">They have 300 beds' in body
    assert "<title>Shelters open</title>" in built.html  # no <span> inside <title>


def test_a_text_release_with_machine_output_says_so_first() -> None:
    doc = parse_document("Shelters open\n\nThree shelters opened this week.\n", "shelters.txt", OPTIONS)
    cat = _machine_catalog(doc, {"Shelters open": "Abren albergues", "Three shelters opened this week.": "Abrieron tres."})
    built = build_release(doc, cat, "es", include_machine=True)
    assert built.markdown == "Este texto es una traducción automática sin revisar.\n\nAbren albergues\n\nAbrieron tres.\n"


def test_one_visible_heading_and_a_title_that_is_never_the_file_name() -> None:
    both = parse_document("---\ntitle: Shelters\n---\n\n# Shelters open in the north\n\nText.\n", "a-slug.md", OPTIONS)
    page = build_release(both, None, "en", include_machine=False, source_language="en").html
    assert page.count("<h1") == 1 and "<h1>Shelters open in the north</h1>" in page and "<title>Shelters</title>" in page
    untitled = parse_document("# Shelters open in the north\n\nText.\n", "a-slug.md", OPTIONS)
    page = build_release(untitled, None, "en", include_machine=False, source_language="en").html
    assert page.count("<h1") == 1 and "<title>Shelters open in the north</title>" in page and "a-slug" not in page
    bare = parse_document("Three shelters opened this week in the north of the country.\n", "a-slug.md", OPTIONS)
    page = build_release(bare, None, "en", include_machine=False, source_language="en").html
    assert "<h1" not in page and "<title>Three shelters opened this week in the north of the country.</title>" in page


def test_a_translation_failing_a_critical_check_is_counted_and_not_published() -> None:
    doc = parse_document(RELEASE.replace("They have", "See [the map](https://example.org). They have"), "s.md", OPTIONS)
    source = next(s.text for s in doc.segments if "<1>" in s.text)
    template = new_template(template_entries(doc), project="test", creation_date="2026-11-29 10:00+0000")
    cat = update_catalog(None, template, language="es", project="test")
    cat.set_suggestion(source, None, "Vea el mapa.", "", approved=True)  # the link is lost
    built = build_release(doc, cat, "es", include_machine=False)
    assert built.rejected_segments == 1 and "Vea el mapa" not in built.markdown + built.html
    assert "[the map](https://example.org)" in built.markdown


def test_a_translators_ignore_flag_lets_a_deliberate_change_through() -> None:
    """A changed number is critical, so it is not published, unless the translator said it is
    deliberate (``#, ignore-numbers``: 300 beds counted as 280 after a correction)."""
    doc = parse_document(RELEASE, "shelters.md", OPTIONS)

    def po(flags: str) -> bytes:
        return (
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: es\\n"\n\n'
            f'{flags}msgid "They have 300 beds in total."\nmsgstr "Suman 280 camas en total."\n'
        ).encode()

    rejected = build_release(doc, read_po_bytes(po(""), "es.po"), "es", include_machine=False)
    assert rejected.rejected_segments == 1 and "280" not in rejected.markdown
    allowed = build_release(doc, read_po_bytes(po("#, ignore-numbers\n"), "es.po"), "es", include_machine=False)
    assert allowed.rejected_segments == 0 and "Suman 280 camas en total." in allowed.markdown
