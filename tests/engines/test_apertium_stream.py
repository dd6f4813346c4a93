"""Apertium's stream format (engines/apertium_stream.py): deformat, reformat, marks."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from i18n_pipeline.engines.apertium_stream import (
    _WORD_RE,
    _stream_tokens,
    deformat,
    marked_words,
    reformat,
    unknown_in_analysis,
)


def test_deformat_and_reformat() -> None:
    assert deformat("a <1>b</1> <2/> $x\n") == r"a [<1>]b[<\/1>] [<2\/>] \$x[" + "\n]"
    assert reformat(r"a [<1>]b[<\/1>] \$x \@y *unknown #bad @nobidix[]") == (
        "a <1>b</1> $x @y unknown bad nobidix"
    )


def test_unknown_words_of_an_analysis_and_of_marked_output() -> None:
    analysis = r"^People/Person<n><pl>$ ^are/be<vbser><pres>$ ^trafficked/*trafficked$[<1\/>]^co\-op/*co\-op$^./.<sent>$[]"
    assert unknown_in_analysis(analysis) == ["trafficked", "co-op"]
    assert unknown_in_analysis(r"^casa/casa<n>$ [\^x/*y]") == []  # inside a superblank: not an analysis
    marked = r"Las personas son *trafficked y #comprendido \*literal @nobidix[]"
    assert marked_words(marked) == ["trafficked", "comprendido", "nobidix"]


_PIECES = st.one_of(
    st.text(alphabet=st.characters(exclude_characters="\0", exclude_categories=["Cs"])),
    st.sampled_from(["<1>", "</1>", "<2/>", "\\", "[", "]", "*x", "#y", "@z", "~", "\n", "$^"]),
)


@given(st.lists(_PIECES, max_size=8).map("".join))
def test_reformat_inverts_deformat(text: str) -> None:
    assert reformat(deformat(text) + "[]") == text



# Raw Apertium output, any mix of escapes, superblanks (closed or not), marks and word characters
# (Unicode digits and numerals too, where "a word follows" is decided).
_RAW = st.lists(
    st.sampled_from(["\\", "[", "]", "*", "#", "@", "a", "É", "_", "1", "²", "½", "Ⅷ", "-", " ", "\n", "'", "x\\]"]),
    max_size=14,
).map("".join)


@given(_RAW)
def test_reformat_and_marked_words_read_what_the_tokenizer_reads(stream: str) -> None:
    """reformat's regular expression and marked_words' shortcut against the char-by-char
    tokenizer they replace on the hot path."""
    tokens = list(_stream_tokens(stream))
    assert reformat(stream) == "".join(value for kind, value in tokens if kind != "mark")
    assert marked_words(stream) == _marked_by_tokens(tokens)


def _marked_by_tokens(tokens: list[tuple[str, str]]) -> list[str]:
    words: list[str] = []
    for (kind, _), (next_kind, value) in itertools.pairwise(tokens):
        if kind == "mark" and next_kind == "text":
            first = _WORD_RE.match(value)
            if first:
                words.append(first.group())
    return words
