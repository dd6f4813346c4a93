"""Web pages: main content, structure and metadata kept; boilerplate dropped."""

from __future__ import annotations

import datetime as dt

from i18n_pipeline.formats.front_matter import split_front_matter
from i18n_pipeline.ingest import ingest


def test_html_keeps_structure_and_metadata() -> None:
    page = (
        '<html lang="en-GB"><head><title>Ignored</title><meta property="og:title" content="Port Deal Signed">'
        '<link rel="canonical" href="https://example.org/news/port-deal">'
        '<meta property="article:published_time" content="2022-05-11T10:00:00Z"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Port Deal Signed</h1>"
        "<p>The <b>port authority</b> signed the agreement on Monday, after <a href='https://example.org/talks'>long talks</a> "
        "with the unions and the shipping companies that use the terminal every week.</p>"
        "<h2>What changes</h2><ul><li>Longer opening hours for the container terminal.</li>"
        "<li>New cranes will be installed before the end of the year.</li></ul>"
        "<p>The minister said the deal would protect jobs and bring new investment to the region.</p>"
        "</article><footer>© 2022 Example News. All rights reserved.</footer></body></html>"
    )
    result = ingest(page.encode(), "port.html")
    assert result.metadata["title"] == "Port Deal Signed"
    assert result.metadata["date"] == dt.date(2022, 5, 11)
    assert result.metadata["language"] == "en"
    assert result.metadata["canonical_url"] == "https://example.org/news/port-deal"
    body = split_front_matter(result.markdown, "x")[1]
    assert "**port authority**" in body
    assert "[long talks](https://example.org/talks)" in body
    assert "## What changes" in body
    assert "- Longer opening hours" in body
    assert "All rights reserved" not in body and "Home" not in body
    assert result.slug == "port-deal-signed"


def test_call_to_action_boxes_and_link_teasers_are_dropped_and_reported() -> None:
    prose = (
        "<p>The port authority signed the agreement on Monday, after long talks with the unions "
        "and the shipping companies that use the terminal every week of the year.</p>"
        "<p>The minister said the deal would protect jobs and bring new investment to the region "
        "over the next ten years, and thanked everyone who took part.</p>"
    )
    page = (
        "<html><head><title>Port Deal Signed</title></head><body><article><h1>Port Deal Signed</h1>"
        + prose
        + '<div class="newsletter"><p>Get the news every morning.</p><a class="btn btn-primary" href="/join">Subscribe</a></div>'
        + "<p>Read also: <a href='https://example.org/older'>An older story about the port and its unions</a></p>"
        + "</article></body></html>"
    )
    result = ingest(page.encode(), "port.html")
    body = split_front_matter(result.markdown, "x")[1]
    assert "Subscribe" not in body and "every morning" not in body and "older story" not in body
    assert "The minister said the deal" in body
    assert {d.rule for d in result.dropped} == {"call-to-action-box", "link-teaser"}
