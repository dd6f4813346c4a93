"""Apertium's stream format (engines/apertium_stream.py): deformat, reformat, marks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from i18n_pipeline.engines.apertium_stream import deformat, reformat


def test_deformat_and_reformat() -> None:
    assert deformat("a <1>b</1> <2/> $x\n") == r"a [<1>]b[<\/1>] [<2\/>] \$x[" + "\n]"
    assert reformat(r"a [<1>]b[<\/1>] \$x \@y *unknown #bad @nobidix[]") == (
        "a <1>b</1> $x @y unknown bad nobidix"
    )


_PIECES = st.one_of(
    st.text(alphabet=st.characters(exclude_characters="\0", exclude_categories=["Cs"])),
    st.sampled_from(["<1>", "</1>", "<2/>", "\\", "[", "]", "*x", "#y", "@z", "~", "\n", "$^"]),
)


@given(st.lists(_PIECES, max_size=8).map("".join))
def test_reformat_inverts_deformat(text: str) -> None:
    assert reformat(deformat(text) + "[]") == text

