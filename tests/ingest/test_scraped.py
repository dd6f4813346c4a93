"""Rules of scraped text in isolation: dates, paragraphs, URLs and e-mail addresses."""

from __future__ import annotations

import datetime as dt

from i18n_pipeline.formats.front_matter import split_front_matter
from i18n_pipeline.ingest import ingest
from i18n_pipeline.ingest.scraped import infer_date
from i18n_pipeline.segment import find_urls


def test_date_is_inferred_from_weekday_and_latest_year() -> None:
    assert infer_date("from 2005 to 2009 ... on Wednesday, 3 August") == dt.date(2011, 8, 3)
    assert infer_date("in 2020, on Monday March 2nd") == dt.date(2020, 3, 2)
    assert infer_date("on Tuesday, 4 June 2013") == dt.date(2013, 6, 4)
    assert infer_date("on Wednesday, 3 August") is None  # no year mentioned
    assert infer_date("no date here, 2011") is None


def test_text_paragraph_starting_with_markdown_syntax_is_escaped() -> None:
    text = (
        "A Headline That Is Clearly A Title Here\n"
        "- 5 per cent of the budget went to shelters, the report says.\n\n"
        "# signs are used in hashtags. They are common.\n\n"
        "1. This is not a list. It is a sentence.\n\n"
        "A *star* and an _underscore_ stay literal.\n"
    )
    result = ingest(text.encode(), "x.txt")
    body = split_front_matter(result.markdown, "x")[1].strip().split("\n\n")
    assert body[0].startswith("\\- 5 per cent")
    assert body[1].startswith("\\# signs")
    assert body[2].startswith("1\\. This")
    assert body[3] == "A \\*star\\* and an \\_underscore\\_ stay literal."


def test_urls_become_autolinks_where_segment_finds_them() -> None:
    text = (
        "A Headline That Is Clearly A Title Here\n"
        "The report is at https://example.org/report-2011.pdf, and the data at "
        "(ftp://data.example.org/set_1). Write to press@example.org for copies.\n"
    )
    paragraph = split_front_matter(ingest(text.encode(), "x.txt").markdown, "x")[1].strip()
    assert paragraph == (
        "The report is at <https://example.org/report-2011.pdf>, and the data at "
        "(<ftp://data.example.org/set_1>). Write to press@example.org for copies."
    )
    # The same rule as the placeholders of segment.py: the sentence's punctuation stays outside.
    plain = text.split("\n")[1]
    assert [plain[s:e] for s, e in find_urls(plain)] == [
        "https://example.org/report-2011.pdf", "ftp://data.example.org/set_1", "press@example.org"
    ]


def test_contact_block_goes_to_the_front_matter() -> None:
    text = (
        "A Headline That Is Clearly A Title Here\n"
        "The office opened a shelter in the north of the country this week.\n"
        "For further information, please contact:\n"
        "Ana Pérez\n"
        "IOM Geneva\n"
        "Tel: + 41 (0)22 717 9111\n"
        "E-mail: aperez@example.org\n"
    )
    result = ingest(text.encode(), "x.txt")
    assert result.metadata["contacts"] == [
        {"name": "Ana Pérez", "office": "IOM Geneva", "phone": "+41 22 717 9111", "email": "aperez@example.org"}
    ]
    body = split_front_matter(result.markdown, "x")[1]
    assert "Pérez" not in body and "9111" not in body and "contact" not in body

