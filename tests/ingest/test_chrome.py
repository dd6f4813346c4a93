"""Site chrome (i18n_pipeline.ingest.chrome): the whole lines that are a site's and never a
release's, by rule; sentences that only contain such words stay."""

from __future__ import annotations

import datetime as dt

import pytest

from i18n_pipeline.ingest.chrome import chrome_rule, ends_body, page_title_parts, parse_date_line


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Skip to main content", "skip-link"), ("Aller au contenu principal", "skip-link"),
        ("Search", "search-form"), ("Popular search terms", "search-form"), ("Buscar", "search-form"),
        ("Select your language", "language-selector"), ("Français", "language-selector"), ("عربي", "language-selector"),
        ("EN", "language-selector"), ("English | Français | Español", "language-selector"),
        ("Arabic Chinese (Simplified) Dutch English French German", "language-selector"),
        ("Read this in Spanish", "language-link"), ("Lea esto en español", "language-link"),
        ("in English", "language-link"), ("українською мовою", "language-link"),
        ("Close", "icon-label"), ("×", "icon-label"), ("Previous slide", "icon-label"), ("1 of 24", "icon-label"),
        ("6 mins", "icon-label"), ("Donate now", "icon-label"), ("Home", "icon-label"),
        ("Share on Facebook", "social-links"), ("Facebook :Facebook", "social-links"), ("Follow us on", "social-links"),
        ("Privacy policy", "footer-link"), ("Terms and conditions of use", "footer-link"), ("Contact us", "footer-link"),
        ("Related news and stories", "related-links"), ("Most Read Business Stories", "related-links"),
        ("Sur le même sujet", "related-links"), ("Article suivant Après une mise en quarantaine", "related-links"),
        ("Lea también: Impiden ingreso a Nicaragua a reportero", "link-teaser"),
        ("[Read: Why Tunisia suffers from Islamist violence]", "link-teaser"),
        ("© UNHCR 2001-2026", "copyright"), ("Copyright 2020 The Jamaica Information Service. All Rights Reserved.", "copyright"),
        ("© Angels of Salvation/Oleksiy Gutnyk", "photo-credit"), ("Photo: IOM/Muse Mohammed", "photo-credit"),
        ("Puerto de Montevideo. Foto: Archivo El País.", "photo-credit"), ("[Al Jazeera]", "photo-credit"),
        ("Please ensure Javascript is enabled for purposes of", "script-notice"),
        ("We use cookies to ensure that we give you the best experience on our website.", "script-notice"),
        ("(PDF | 10.81 MB | English - English version)", "download-link"),
        ("Posted: Thursday, April 21, 2022. 10:11 pm CST.", "date-line"),
    ],
)
def test_chrome_lines_and_their_rule(line: str, rule: str) -> None:
    assert chrome_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Mexico", "Links", "Tel: + 52 55 5536 3922", "+380952300437", "Hélène Le Goff", "IOM Mexico",
        "The office will close on Friday to let staff vote.",
        "Search and rescue teams found 40 survivors on the beach.",
        "Read the report on the IOM website before Monday.",
        "She shared the findings with the press in Geneva.",
    ],
)
def test_release_lines_are_not_chrome(line: str) -> None:
    assert chrome_rule(line) is None


def test_what_ends_a_release_text() -> None:
    assert ends_body("Privacy policy") and ends_body("© UNHCR 2001-2026") and ends_body("Share on Facebook")
    assert not ends_body("Related news") and not ends_body("Close") and not ends_body("Mexico")


def test_a_browser_title_splits_into_headline_and_site() -> None:
    assert page_title_parts("Ukraine emergency | UNHCR US") == ["Ukraine emergency", "UNHCR US"]
    assert page_title_parts("Attack stokes instability fears in North Africa - The Washington Post")[0] == (
        "Attack stokes instability fears in North Africa")
    assert page_title_parts("New IOM Publication Compiles Cases") == []
    assert page_title_parts("Counter-trafficking in Mexico") == []  # a hyphen inside a word is no separator


def test_date_lines() -> None:
    assert parse_date_line("16 February 2026") == dt.date(2026, 2, 16)
    assert parse_date_line("April 26, 2022") == dt.date(2022, 4, 26)
    assert parse_date_line("Monday, 3 August 2011") == dt.date(2011, 8, 3)
    assert parse_date_line("26 de abril de 2022") == dt.date(2022, 4, 26)
    assert parse_date_line("3 août 2011") == dt.date(2011, 8, 3)
    assert parse_date_line("On 3 August 2011 the office opened") is None
    assert parse_date_line("31 February 2011") is None
