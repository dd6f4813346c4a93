"""Apertium's stream format (engines/apertium_stream.py): deformat, reformat, marks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from i18n_pipeline.engines.apertium_stream import deformat, marked_words, reformat, unknown_in_analysis


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

