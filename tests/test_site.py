"""The build/ folder as a site (i18n_pipeline.site, through ``build`` and ``run``): every page
links its other languages and the original, each language has an index, a reviewed-only page
never passes English off as the target language, a withheld release leaves nothing behind, and
nothing a translator writes becomes markup."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from i18n_pipeline import site
from i18n_pipeline.cli import main
from i18n_pipeline.config import load_settings
from i18n_pipeline.parallel import in_order
from i18n_pipeline.pipeline import load_document
from tests.html_check import live_markup, read_page
from tests.project import SEED, msgfmt_check, review_entry

LANGUAGES = ("en", "es", "fr")


def page(project: Path, lang: str, name: str = SEED) -> Path:
    return project / "build" / lang / f"{name}.html"


def set_publish(project: Path, lines: str) -> None:
    settings = project / "pipeline.yaml"
    text = settings.read_text("utf-8")
    assert "\npublish:\n" in text
    settings.write_text(text.replace("\npublish:\n", f"\npublish:\n{lines}"), "utf-8")


def test_every_page_links_the_other_languages_and_the_original(project: Path) -> None:
    """After a run: the original and both translations, each with hreflang links to the
    others (and x-default to the original) that resolve, a link back to the original, and an
    index page per language listing the release with its date as the language writes it."""
    for lang in LANGUAGES:
        path = page(project, lang)
        built = read_page(path.read_text("utf-8"))
        html_tag = built.find("html")[0]
        assert html_tag["lang"] == lang and html_tag["dir"] == "ltr"
        alternates = {a["hreflang"]: a["href"] for a in built.find("link") if a.get("rel") == "alternate"}
        assert set(alternates) == (set(LANGUAGES) - {lang}) | {"x-default"}, alternates
        assert alternates["x-default"] == f"../en/{SEED}.html"
        for href in alternates.values():
            assert (path.parent / href).resolve().is_file(), href
        stylesheets = [a["href"] for a in built.find("link") if a.get("rel") == "stylesheet"]
        assert stylesheets == ["../style.css"] and (path.parent / "../style.css").resolve().is_file()
        assert any(m.get("name") == "viewport" for m in built.find("meta"))
        back = [a for a in built.find("a") if a.get("href") == f"../en/{SEED}.html"]
        assert bool(back) == (lang != "en"), "a translation links back to its original; the original does not"
    dates = {"en": "August 3, 2011", "es": "3 de agosto de 2011", "fr": "3 août 2011"}
    for lang, date in dates.items():
        index = project / "build" / lang / "index.html"
        listed = read_page(index.read_text("utf-8"))
        assert [a["href"] for a in listed.find("a") if not a["href"].startswith("../")] == [f"{SEED}.html"]
        assert date in listed.all_text()
        languages = {a["hreflang"] for a in listed.find("link") if a.get("rel") == "alternate"}
        assert languages == (set(LANGUAGES) - {lang}) | {"x-default"}


def test_a_reviewed_only_french_build_marks_every_english_sentence(project: Path) -> None:
    """Done when: a reviewed-only ``build -l fr`` shows no English paragraph without lang="en".
    One French sentence is reviewed, so the page mixes both languages."""
    po = project / "locales" / "fr" / "LC_MESSAGES" / f"{SEED}.po"
    review_entry(po, "New IOM Publication", "Une nouvelle publication de l'OIM recense les cas de traite")
    msgfmt_check([po])
    assert main(["build", "-l", "fr", "--project", str(project)]) == 0
    built = read_page(page(project, "fr").read_text("utf-8"))
    french = " ".join(built.text_in("fr").split())
    assert "Une nouvelle publication de l'OIM" in french
    document = load_document(load_settings(project), project / "content" / f"{SEED}.md")
    english = [" ".join(re.sub(r"</?\d+/?>", " ", s.text).split()) for s in document.segments]
    english = [s for s in english if len(s.split()) >= 2]
    assert len(english) > 15
    shown = [s for s in english if s in french]
    assert shown == [], f"English shown as French: {shown}"
    marked = " ".join(built.text_in("en").split())
    assert all(s in marked for s in english if not s.startswith("New IOM")), "every English sentence is on the page, marked"
    assert any(cls == "untranslated-notice" for cls in (a.get("class") for a in built.find("p")))
    assert "ne sont pas encore traduites" in (project / "build" / "fr" / f"{SEED}.md").read_text("utf-8")


def test_a_withheld_release_leaves_nothing_from_an_earlier_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Done when: with ``min_reviewed: 0.5``, ``build`` withholds the release, says so, and no
    build/<lang>/<release>.* from the earlier run remains."""
    assert page(project, "es").exists() and page(project, "fr").exists()  # the run built them
    set_publish(project, "  min_reviewed: 0.5\n")
    capsys.readouterr()
    for _ in range(2):  # and again: it says why every time
        assert main(["build", "--project", str(project)]) == 1
        err = capsys.readouterr().err
        for lang in ("es", "fr"):
            assert f"build/{lang}/{SEED}.html: withheld: 0% of its words reviewed" in err, err
            assert f"locales/{lang}/LC_MESSAGES/{SEED}.po" in err
            assert sorted((project / "build" / lang).glob(f"{SEED}.*")) == []
        assert "publish.min_reviewed asks for 50%" in err and "Traceback" not in err
    # The original stays, and no longer links to pages that are gone; the indexes list nothing.
    original = read_page(page(project, "en").read_text("utf-8"))
    assert [a["hreflang"] for a in original.find("link") if a.get("rel") == "alternate"] == ["x-default"]
    for lang in ("es", "fr"):
        listed = read_page((project / "build" / lang / "index.html").read_text("utf-8"))
        assert not [a for a in listed.find("a") if SEED in a["href"]]


def test_per_language_policies(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Spanish publishes machine output (marked); French withholds a release with anything
    untranslated. A plain ``build`` follows both."""
    set_publish(project, "  es: machine\n  fr: {untranslated: withhold}\n")
    capsys.readouterr()
    assert main(["build", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert f"build/fr/{SEED}.html: withheld: 18 segments have nothing to publish" in err, err
    assert "publish.untranslated" in err and "build/es/" not in err
    spanish = page(project, "es").read_text("utf-8")
    assert "traducción automática sin revisar" in spanish and "untranslated-notice" not in spanish
    assert not page(project, "fr").exists()


def test_a_second_build_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "-l", "fr", "--project", str(project)]) == 0
    capsys.readouterr()
    assert main(["build", "-l", "fr", "--project", str(project)]) == 0
    assert capsys.readouterr().out.startswith("build: 0 files written, ")


def test_a_build_records_the_bytes_it_read_and_wrote(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker digests what it read and wrote from the bytes in hand, not the files: the next
    build reads the files, and must find every release up to date (made again: nothing), a
    language without a catalog included."""
    (project / "locales" / "fr" / "LC_MESSAGES" / f"{SEED}.po").unlink()
    assert main(["build", "-l", "es", "-l", "fr", "--include-machine", "--project", str(project)]) == 0
    assert (project / "build" / "fr" / f"{SEED}.md").is_file()
    made: list[object] = []

    def record(work: Callable[..., object], shared: object, tasks: list[object]) -> Iterator[object]:
        made.extend(tasks)
        return in_order(work, shared, tasks)

    monkeypatch.setattr(site, "in_order", record)
    assert main(["build", "-l", "es", "-l", "fr", "--include-machine", "--project", str(project)]) == 0
    assert made == []


# No digits: a number the source lacks is a critical problem, and the build would rightly not
# publish the translation at all (tested in test_build.py).
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(this)> [click](javascript:alert(document.domain))'


def test_markup_planted_in_a_reviewed_translation_stays_text(project: Path) -> None:
    """Done when: a <script> or onerror= in a reviewed msgstr is text in the built HTML and
    Markdown, never markup: pages parsed as a browser does, the Markdown rendered as a site
    generator does (raw HTML allowed) and its front matter printed unescaped as Jekyll does."""
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po"
    review_entry(po, "New IOM Publication", f"Título {PAYLOAD}")
    review_entry(po, "The locations of highest incidence", f"Los lugares de mayor incidencia {PAYLOAD}")
    msgfmt_check([po])
    assert main(["build", "-l", "es", "--project", str(project)]) == 0
    for path in (page(project, "es"), project / "build" / "es" / "index.html"):
        built = read_page(path.read_text("utf-8"))
        assert live_markup(built) == [], path
        assert 'alert("x")' in built.all_text() + " ".join(a.get("content", "") for a in built.find("title"))
    text = page(project, "es").read_text("utf-8")
    assert text.count("onerror=alert(this)") == 3  # <title>, <h1> and the paragraph: shown, as text
    markdown = (project / "build" / "es" / f"{SEED}.md").read_text("utf-8")
    front, body = markdown.split("\n---\n", 1)
    rendered = read_page(MarkdownIt("commonmark", {"html": True}).render(body))
    assert live_markup(rendered) == []
    assert f"Los lugares de mayor incidencia {PAYLOAD}" in rendered.all_text()
    title = yaml.safe_load(front.removeprefix("---\n"))["title"]
    assert live_markup(read_page(f"<h1>{title}</h1>")) == [] and "alert(this)" in title
