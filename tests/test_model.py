"""The data that flows between the stages (i18n_pipeline.model): placeholders, segments,
documents, review states and their statistics, word counts."""

from __future__ import annotations

import dataclasses

import pytest

from i18n_pipeline.model import PLACEHOLDER_RE, Document, Placeholder, Segment, Severity, State, Stats, count_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Acme opened a new plant.", 5),
        ("Read <1>the report</1> at <2/>.", 4),  # placeholders are not words
        ("<1/>", 0),
        ("", 0),
        ("IOM's counter-trafficking work", 3),  # apostrophes and hyphens join a word
        ("3.5 million people, 20,000 victims", 5),  # a number is one word
        ("l’Office", 1),
        ("Café naïve 東京", 3),
        ("-- ... !", 0),
    ],
)
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words


def test_placeholder_tokens() -> None:
    link = Placeholder(1, '<a href="x">', "</a>", "link to x")
    url = Placeholder(2, "https://example.org")
    assert link.paired and not url.paired
    assert link.tokens() == ("<1>", "</1>") and url.tokens() == ("<2/>",)
    assert [m.group(0) for m in PLACEHOLDER_RE.finditer("a <1>b</1> <2/> <12/> c")] == ["<1>", "</1>", "<2/>", "<12/>"]


def test_a_segment_counts_its_words_and_is_frozen() -> None:
    segment = Segment("Read <1>the report</1>.", 0, 30, "p-read-the-report", "paragraph")
    assert segment.words == 3 and segment.context is None and segment.placeholders == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        segment.text = "Other."  # type: ignore[misc]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("content/news.md", "news"),
        ("news.md", "news"),
        ("content\\2024\\news.html", "news"),
        ("content/news.v2.md", "news.v2"),
        ("content/README", "README"),
    ],
)
def test_a_document_is_named_after_its_file(path: str, name: str) -> None:
    assert Document(path, "markdown", "", ()).name == name


def test_documents_compare_by_content_not_metadata() -> None:
    a = Document("a.md", "markdown", "Text.\n", (), metadata={"title": "A"})
    b = Document("a.md", "markdown", "Text.\n", (), metadata={"title": "B"})
    assert a == b


def test_states_and_severities_are_the_words_written_to_files_and_json() -> None:
    assert [s.value for s in State] == ["reviewed", "machine", "needs_update", "untranslated"]
    assert Severity.CRITICAL.value == "critical" and Severity.FUNCTIONAL.value == "functional"
    assert State("machine") is State.MACHINE and Severity("critical") is Severity.CRITICAL


def test_stats_add_and_merge() -> None:
    stats = Stats()
    assert stats.segments == stats.words == {"reviewed": 0, "machine": 0, "needs_update": 0, "untranslated": 0}
    stats.add(State.REVIEWED, 5)
    stats.add(State.MACHINE, 7)
    stats.add(State.MACHINE, 1)
    other = Stats()
    other.add(State.UNTRANSLATED, 4)
    other.add(State.REVIEWED, 2)
    stats.merge(other)
    assert stats.segments == {"reviewed": 2, "machine": 2, "needs_update": 0, "untranslated": 1}
    assert stats.words == {"reviewed": 7, "machine": 8, "needs_update": 0, "untranslated": 4}
    assert stats.total_segments == 5
    assert other.total_segments == 2  # merging leaves the other as it was
    assert Stats().segments is not Stats().segments  # no shared default
