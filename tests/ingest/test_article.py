"""Where the release is in a scraped page (i18n_pipeline.ingest.article, through ingest): the
headline the browser's title names, the site's chrome above, inside and below the text dropped
with its rule, the place and the contact block in the layouts agencies use.

The page below imitates what a scraper leaves of a UN agency's press release (written for this
test, not copied from a site)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from i18n_pipeline.cli import main
from i18n_pipeline.formats.front_matter import split_front_matter
from i18n_pipeline.ingest import IngestResult, ingest

HEADLINE = "Flooding Displaces Thousands in the Northern Provinces"
PAGE = f"""{HEADLINE} | UN Migration Agency
Skip to main content
Search
Popular search terms
English
Français
Español
عربي
Who we are
Where we work
Our work
News and stories
Latest news
{HEADLINE}
Donors pledge support for returning families in the Sahel
Home
News
{HEADLINE}
12 March 2024
Share
Close
Read this in Spanish
GENEVA, 12 March 2024 (IOM) – More than 40,000 people have been displaced by floods in the northern
provinces, where rivers burst their banks after a week of heavy rain, the agency said on Tuesday.
Teams are distributing shelter kits, drinking water and hygiene items in twelve camps, and mobile
clinics are treating people for waterborne diseases.
Foto: la OIM entrega kits de emergencia a familias desplazadas en la provincia del norte.
© IOM/Ana Pérez
"Families have lost their homes and their harvest at once," said the head of the office.
The agency has appealed for 8 million dollars to cover the next three months of the response.
For more information, please contact Ana Pérez at IOM Geneva, Tel: +41 22 717 9111, Email: aperez@example.org
Related news and stories
Donors pledge support for returning families in the Sahel
New shelters open along the eastern border
Share on Facebook
Share on Twitter
Privacy policy
Terms and conditions of use
© International Organization for Migration 2024
"""


@pytest.fixture(scope="module")
def release() -> IngestResult:
    return ingest(PAGE.encode(), "page.txt", fmt="text")


def test_the_headline_is_the_one_the_browser_title_names(release: IngestResult) -> None:
    assert release.metadata["title"] == HEADLINE
    assert release.metadata["place"] == "Geneva" and release.metadata["date"] == dt.date(2024, 3, 12)


def test_the_body_is_the_release_text_only(release: IngestResult) -> None:
    _, body = split_front_matter(release.markdown, "page")
    assert body.strip().split("\n\n") == [  # scraped text has no blank lines: a sentence ending a line ends a paragraph
        "More than 40,000 people have been displaced by floods in the northern provinces, where rivers burst their "
        "banks after a week of heavy rain, the agency said on Tuesday.",
        "Teams are distributing shelter kits, drinking water and hygiene items in twelve camps, and mobile clinics "
        "are treating people for waterborne diseases.",
        '"Families have lost their homes and their harvest at once," said the head of the office.',
        "The agency has appealed for 8 million dollars to cover the next three months of the response.",
    ]


def test_the_one_paragraph_contact_block_goes_to_the_front_matter(release: IngestResult) -> None:
    assert release.metadata["contacts"] == [
        {"name": "Ana Pérez", "office": "IOM Geneva", "phone": "+41 22 717 9111", "email": "aperez@example.org"}
    ]


def test_every_line_of_the_site_is_dropped_with_its_rule(release: IngestResult) -> None:
    lines = PAGE.split("\n")
    rules = {lines[d.line - 1]: d.rule for d in release.dropped if d.line}
    assert rules[lines[0]] == "page-title"
    expected = {
        "Skip to main content": "skip-link", "Search": "search-form", "Popular search terms": "search-form",
        "Français": "language-selector", "Who we are": "navigation", "Latest news": "related-links",
        "Home": "icon-label", "12 March 2024": "date-line", "Share": "icon-label", "Close": "icon-label",
        "Read this in Spanish": "language-link", "© IOM/Ana Pérez": "photo-credit",
        "Foto: la OIM entrega kits de emergencia a familias desplazadas en la provincia del norte.": "other-language",
        "Related news and stories": "related-links", "New shelters open along the eastern border": "footer",
        "Share on Facebook": "social-links", "Privacy policy": "footer-link",
        "© International Organization for Migration 2024": "copyright",
    }
    for line, rule in expected.items():
        assert rules.get(line) == rule, line
    assert [d.rule for d in release.dropped if d.text == HEADLINE] == ["duplicate-headline"]
    assert {d.rule for d in release.dropped if d.text.startswith("GENEVA")} == {"dateline"}
    assert {d.rule for d in release.dropped if d.text.startswith("For more information")} == {"contact-paragraph"}
    kept = release.markdown
    for number, line in enumerate(lines, start=1):
        if line.strip() and number not in {d.line for d in release.dropped}:
            assert line.split()[0] in kept, (number, line)  # nothing vanishes unreported


def test_explain_lists_every_dropped_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, "utf-8")
    assert main(["ingest", str(page), "--project", str(tmp_path), "--explain"]) == 0
    out = capsys.readouterr().out
    number = {line: n for n, line in enumerate(PAGE.split("\n"), start=1)}
    for line, rule in (("Skip to main content", "skip-link"), ("Read this in Spanish", "language-link"),
                       ("© IOM/Ana Pérez", "photo-credit"), ("Privacy policy", "footer-link")):
        assert f"  dropped {page}:{number[line]} [{rule}] {line}\n" in out
    assert out.count("  dropped ") == len(ingest(PAGE.encode(), str(page), fmt="text").dropped)


def test_a_caption_in_another_language_is_dropped_but_not_a_release_in_it() -> None:
    page = (
        f"{HEADLINE}\nMore than 40,000 people have been displaced by floods in the northern provinces this week.\n"
        "Las familias desplazadas reciben kits de emergencia y agua potable en los campamentos del norte.\n"
        "Teams are distributing shelter kits, drinking water and hygiene items in twelve camps across the region.\n"
    )
    result = ingest(page.encode(), "page.txt", fmt="text")
    assert [d.rule for d in result.dropped] == ["other-language"]
    spanish = ingest(page.encode(), "page.txt", fmt="text", source_language="es")
    assert "other-language" not in {d.rule for d in spanish.dropped}  # most of it is English: nothing is dropped


@pytest.mark.parametrize(
    ("lead", "place", "date"),
    [
        ("MEXICO CITY, Mexico, 3 August 2011 – The office", "Mexico City", dt.date(2011, 8, 3)),
        ("Kabul (IOM) – The office", "Kabul", None),
        ("Geneva – The office", "Geneva", None),
    ],
)
def test_datelines(lead: str, place: str, date: dt.date | None) -> None:
    page = f"{HEADLINE}\n{lead} opened a shelter in the north of the country this week, with beds for 400 people.\n"
    result = ingest(page.encode(), "page.txt", fmt="text")
    assert result.metadata["place"] == place and result.metadata.get("date") == date
    assert split_front_matter(result.markdown, "page")[1].strip().startswith("The office opened a shelter")


def test_a_place_and_a_date_under_the_headline() -> None:
    page = f"{HEADLINE}\nManagua, Nicaragua 26, Abril, 2022 7:43 p.m.\nThe office opened a shelter in the north this week.\n"
    result = ingest(page.encode(), "page.txt", fmt="text")
    assert (result.metadata["place"], result.metadata["date"]) == ("Managua", dt.date(2022, 4, 26))


def test_the_copy_of_the_headline_that_heads_the_text_wins() -> None:
    teaser = "Floods and landslides hit the coast again after a week of storms and rain"
    page = (
        f"{HEADLINE} - Agency News\nLatest stories\n{HEADLINE}\n{teaser}\nDonors pledge support\n"
        f"Photo of the day\nA woman carries water through a flooded street in the capital after the storm.\n{HEADLINE}\n"
        "More than 40,000 people have been displaced by floods in the northern provinces this week.\n"
        "Teams are distributing shelter kits, drinking water and hygiene items in twelve camps across the region.\n"
        f"Privacy policy\n{teaser}\n"
    )
    result = ingest(page.encode(), "page.txt", fmt="text")
    body = split_front_matter(result.markdown, "page")[1]
    assert result.metadata["title"] == HEADLINE
    assert body.strip().startswith("More than 40,000") and "A woman carries" not in body and "Floods and" not in body
