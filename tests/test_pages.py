"""HTML pages (i18n_pipeline.pages): direction, links between languages, the index, the page of
an HTML release. The pages of the bundled project are tested in test_site.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.build import build_release
from i18n_pipeline.formats import ParseOptions, parse_document
from i18n_pipeline.pages import (
    _ALTERNATE_LINE_RE,
    _ALTERNATE_LINE_START,
    IndexEntry,
    alternates_for,
    describe_page,
    render_index,
    set_alternates,
    set_page_language,
    text_direction,
)
from tests.html_check import read_page


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"),
                                                     ("es", "ltr"), ("fr", "ltr"), ("zh-Hant", "ltr"), ("pt-BR", "ltr")])
def test_text_direction_comes_from_cldr(language: str, direction: str) -> None:
    assert text_direction(language) == direction


def test_a_right_to_left_page() -> None:
    doc = parse_document("---\ntitle: Shelters open\n---\n\nThree shelters opened.\n", "shelters.md", ParseOptions())
    page = build_release(doc, None, "ar", include_machine=False).html
    assert '<html lang="ar" dir="rtl">' in page


def test_set_alternates_replaces_its_own_links_and_nothing_else() -> None:
    page = '<!DOCTYPE html>\n<html>\n<head>\n<link rel="alternate" type="application/rss+xml" href="feed.xml">\n</head>\n'
    links = alternates_for("r", "es", ["en", "es", "fr"], "en")
    assert links == [("en", "../en/r.html"), ("fr", "../fr/r.html"), ("x-default", "../en/r.html")]
    once = set_alternates(page, links)
    assert once == page.replace(
        "</head>",
        '<link rel="alternate" hreflang="en" href="../en/r.html">\n<link rel="alternate" hreflang="fr" href="../fr/r.html">\n'
        '<link rel="alternate" hreflang="x-default" href="../en/r.html">\n</head>',
    )
    assert set_alternates(once, links) == once  # idempotent
    fewer = set_alternates(once, alternates_for("r", "es", ["en", "es"], "en"))
    assert "../fr/" not in fewer and 'type="application/rss+xml"' in fewer
    assert set_alternates(fewer, []) == page  # the page's own alternate link stays
    # A head closed on the same line as other markup.
    inline = set_alternates("<html><head><title>t</title></head><body></body></html>", links)
    assert inline.startswith('<html><head><title>t</title>\n<link rel="alternate" hreflang="en"')
    assert set_alternates(inline, links) == inline


def test_an_html_release_says_its_language() -> None:
    page = '<!DOCTYPE html>\n<HTML Lang="en" xml:lang="en" class="x">\n<head></head><body><p>Hi.</p></body></html>'
    assert set_page_language(page, "fa").startswith('<!DOCTYPE html>\n<HTML class="x" lang="fa" dir="rtl">\n')
    assert set_page_language("<p>a fragment</p>", "es") == "<p>a fragment</p>"


def test_the_index_lists_newest_first_with_localised_dates() -> None:
    entries = [
        IndexEntry("old.html", "Old news", "2010-05-01"),
        IndexEntry("undated.html", "Undated", None),
        IndexEntry("new.html", "New <b>news</b>", "2011-08-03"),
        IndexEntry("english.html", "Not translated", "2011-01-01", lang="en"),
    ]
    page = render_index("es", entries, ["en", "es"], "en")
    read = read_page(page)
    assert [a["href"] for a in read.find("a") if not a["href"].startswith("../")] == [
        "new.html", "english.html", "old.html", "undated.html"
    ]
    assert "3 de agosto de 2011" in read.all_text() and "New <b>news</b>" in read.all_text()
    assert '<a href="english.html" lang="en" class="untranslated">' in page
    assert [a["hreflang"] for a in read.find("link") if a.get("rel") == "alternate"] == ["en", "x-default"]
    assert read.find("html")[0] == {"lang": "es", "dir": "ltr"}


def test_describe_page_reads_what_the_index_needs() -> None:
    release = "---\ntitle: Shelters open\ndate: 2011-08-03\nsummary: Three of them.\n---\n\nThree shelters opened.\n"
    doc = parse_document(release, "shelters.md", ParseOptions())
    page = build_release(doc, None, "es", include_machine=False).html
    assert '<meta name="description" content="Three of them.">' in page
    assert describe_page(page, "shelters") == IndexEntry("", "Shelters open", "2011-08-03", "en")
    assert describe_page("<html><title> A\n title </title></html>", "x") == IndexEntry("", "A title", None)
    assert describe_page("<p>no title</p>", "fallback").title == "fallback"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([
            '<link rel="alternate" hreflang="fr" href="../fr/x.html">\n', '<link rel="alternate" hreflang="', "<link ",
            '" href="', '">', "\r\n", "\n", "<head>", "</head>", "fr", "x",
        ]),
        max_size=10,
    ).map("".join)
)
def test_a_page_without_the_start_of_an_alternate_line_has_none_to_remove(page: str) -> None:
    """Why set_alternates runs its line pattern only on pages that hold the start of a line."""
    if _ALTERNATE_LINE_START not in page:
        assert _ALTERNATE_LINE_RE.sub("", page) == page
