"""i18n_pipeline.checks.markup: link texts and addresses (placeholders: tests/test_checks.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.checks import CHECKS, check_link_text, check_untranslated_urls
from i18n_pipeline.checks.markup import _ADDRESS_RE, _LEAK_RE
from i18n_pipeline.model import Severity
from tests.checks.common import messages


def test_a_link_left_without_text_is_reported() -> None:
    source = "Read <1>the report</1> at <2/>."
    assert messages(check_link_text, source, "Lea <1>el informe</1> en <2/>.") == []
    [message] = messages(check_link_text, source, "Lea el informe <1></1> en <2/>.")
    assert message.startswith('<1>…</1> holds no text (the source links "the report")')
    assert messages(check_link_text, source, "Lea el informe <1> <2/> </1>.") != []  # a placeholder is no text
    assert messages(check_link_text, "A <1></1> anchor.", "Un ancla <1></1>.") == []  # the source's was empty too
    assert CHECKS["link-text"].severity is Severity.FUNCTIONAL


def test_an_address_written_in_the_source_must_stay_unchanged() -> None:
    source = "Write to press@example.org or see https://example.org/report."
    assert messages(check_untranslated_urls, source, "Escriba a press@example.org o vea https://example.org/report.") == []
    lacks, holds = messages(check_untranslated_urls, source, "Escriba a prensa@example.org o vea https://example.org/report.")
    assert lacks.startswith("the translation lacks press@example.org;")
    assert holds.startswith("the translation holds prensa@example.org, which the source does not have;")
    [gone] = messages(check_untranslated_urls, source, "Escriba a la oficina o vea https://example.org/report.")
    assert "lacks press@example.org" in gone
    assert CHECKS["urls"].severity is Severity.CRITICAL  # a reader who follows it reaches someone else


_ADDRESS_FREE_TEXT = st.lists(
    st.one_of(
        st.sampled_from("www.example.org example.com mailto: http:/ https ftp : // / .".split()),
        st.text(st.characters(blacklist_characters="@", blacklist_categories=("Cs", "Co")), max_size=10),
    ),
    max_size=20,
).map(" ".join).filter(lambda text: "://" not in text)


@settings(max_examples=300, deadline=None)
@given(text=_ADDRESS_FREE_TEXT)
def test_text_without_at_sign_or_scheme_holds_no_address(text: str) -> None:
    """Why the urls check skips a pair where neither side has "@" or "://": neither of its
    patterns finds anything there."""
    assert _ADDRESS_RE.search(text) is None
    assert _LEAK_RE.search(text) is None
