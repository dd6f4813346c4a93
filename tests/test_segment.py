"""Sentence segmentation, placeholders, protect/restore."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.model import PLACEHOLDER_RE
from i18n_pipeline.repair import restore_placeholders, tidy_loose_placeholders
from i18n_pipeline.segment import (
    _URL_RE,
    Piece,
    _block_segments,
    _run_segments,
    block_id,
    placeholders_match,
    protect,
    restore,
    segment_pieces,
    split_sentences,
    text_pieces,
    unprotect,
)


def sentences(text: str, lang: str = "en") -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He lives in the U.S. and works here. Next one.", ["He lives in the U.S. and works here.", "Next one."]),
        ("He moved to the U.S. The move was hard.", ["He moved to the U.S.", "The move was hard."]),
        ("Dr. Smith arrived. He sat.", ["Dr. Smith arrived.", "He sat."]),
        ("See No. 5 for details. Then go.", ["See No. 5 for details.", "Then go."]),
        ("He said no. The end.", ["He said no.", "The end."]),
        ("Sales rose 3.5 million units. Good.", ["Sales rose 3.5 million units.", "Good."]),
        ("J. R. R. Tolkien wrote it. He died.", ["J. R. R. Tolkien wrote it.", "He died."]),
        ("Thomas L. Weiss spoke. He left.", ["Thomas L. Weiss spoke.", "He left."]),
        ("Wait… Then it came.", ["Wait…", "Then it came."]),
        ("Wait... Then it came.", ["Wait...", "Then it came."]),
        ("Wait... then it came.", ["Wait... then it came."]),
        ('He said "Go." Then he left.', ['He said "Go."', "Then he left."]),
        ("It failed (see above.) Next we try.", ["It failed (see above.)", "Next we try."]),
        ("Use tools, e.g. this one. Fine.", ["Use tools, e.g. this one.", "Fine."]),
        ("He sat. Then he left.", ["He sat.", "Then he left."]),
        ("He works at Acme Inc. The company grew.", ["He works at Acme Inc.", "The company grew."]),
        ("Gen. Smith came. In May.", ["Gen. Smith came.", "In May."]),
        ("Is it? Yes! Sure.", ["Is it?", "Yes!", "Sure."]),
        ("¿Vienes? ¡Claro! Sí.", ["¿Vienes?", "¡Claro!", "Sí."]),
        ("Prices rose. “We are happy,” he said.", ["Prices rose.", "“We are happy,” he said."]),
        ("Version 2. Not 3.", ["Version 2.", "Not 3."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_spanish_abbreviations() -> None:
    assert sentences("La Sra. García llegó a EE.UU. ayer. Luego habló.", "es") == [
        "La Sra. García llegó a EE.UU. ayer.",
        "Luego habló.",
    ]


def test_paired_placeholders_are_never_split() -> None:
    assert sentences("<1>One. Two.</1> Three.") == ["<1>One. Two.</1>", "Three."]


def test_urls_and_emails_become_standalone() -> None:
    pieces = text_pieces("Write to press@example.com or see https://example.com/a.", 0)
    roles = [p.role for p in pieces]
    assert roles == ["text", "standalone", "text", "standalone", "text"]
    assert "press@example.com" in pieces[1].note


def _pieces(source: str) -> list[Piece]:
    return text_pieces(source, 0)


def test_segment_pieces_numbers_each_standalone_placeholder() -> None:
    source = "See a.com/x http://a.com/b and http://c.com/d now."
    segs = segment_pieces(_pieces(source), source, block="p", kind="paragraph")
    assert segs[0].text == "See a.com/x <1/> and <2/> now."
    assert [p.opening for p in segs[0].placeholders] == ["http://a.com/b", "http://c.com/d"]


def test_paragraph_mode() -> None:
    source = "One sentence. Another one."
    segs = segment_pieces(_pieces(source), source, block="p", kind="paragraph", sentences=False)
    assert [s.text for s in segs] == ["One sentence. Another one."]


def test_spans_point_into_source() -> None:
    source = "First one.  Second\none."
    segs = segment_pieces(_pieces(source), source, block="p", kind="paragraph")
    assert [source[s.start : s.end] for s in segs] == ["First one.", "Second\none."]
    assert [s.text for s in segs] == ["First one.", "Second one."]


@pytest.mark.parametrize(
    ("target", "ok"),
    [
        ("<1>a</1> <2/>", True),
        ("<2/> <1>a</1>", True),  # reordering whole placeholders is fine
        ("</1>a<1> <2/>", False),  # closing before opening
        ("<1>a</1>", False),  # dropped
        ("<1>a</1> <2/> <2/>", False),  # duplicated
        ("<1>a</1> <3/>", False),  # invented
    ],
)
def test_placeholders_match(target: str, ok: bool) -> None:
    assert placeholders_match("<1>a</1> <2/>", target) is ok


def test_restore_escapes_everything_but_placeholders() -> None:
    from i18n_pipeline.model import Placeholder

    phs = (Placeholder(1, "<b>", "</b>"),)
    out = restore("<1>x</1> <script>alert(1)</script> <7/>", phs, lambda s: s.replace("<", "&lt;"))
    assert out == "<b>x</b> &lt;script>alert(1)&lt;/script> &lt;7/>"


def test_protect_unprotect() -> None:
    protected = protect("Price <1/> today", [(11, 16, "hoy")])
    assert protected.text == "Price <1/> <2/>"
    assert unprotect("Precio <1/> <2/>", protected) == "Precio <1/> hoy"
    with pytest.raises(KeyError):
        unprotect("Precio <1/>", protected)


# --- what engines do to placeholders ------------------------------------------------------------


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(text))


def test_restore_placeholders_repairs_swaps_losses_and_duplicates() -> None:
    assert restore_placeholders("a <1>b</1>", "x </1>y<1>") == ("x <1>y</1>", True)
    assert restore_placeholders("a <1/> b <2/>", "x <2/> y <1/>") == ("x <2/> y <1/>", False)
    assert restore_placeholders("a <1/> b", "x <1/> y <1/>") == ("x <1/> y", True)  # no space left at the end
    assert restore_placeholders("a <1/> b", "x y") == ("x y<1/>", True)


@given(st.permutations(["<1>", "</1>", "<2/>", "a", "b", "c"]), st.booleans())
def test_restored_placeholders_match_the_source(tokens: list[str], drop: bool) -> None:
    source = "x <1>y</1> <2/> z"
    output = "".join(t for t in tokens if not (drop and t == "<2/>"))
    restored, _ = restore_placeholders(source, output)
    assert placeholders(restored) == placeholders(source)
    assert restored.index("<1>") < restored.index("</1>")
    assert placeholders_match(source, restored)


def test_loose_placeholders_are_tidied_only_where_the_source_has_them() -> None:
    source = "Read <1>the report</1> at <2/>."
    assert tidy_loose_placeholders(source, "Lea < 1 >el informe</ 1> en <2 />.") == "Lea <1>el informe</1> en <2/>."
    # A literal "< 5 >" in the text is not a placeholder of the source: it stays.
    assert tidy_loose_placeholders(source, "< 5 > <1>x</1> <2/>") == "< 5 > <1>x</1> <2/>"


_NO_ADDRESS_TEXT = st.lists(
    st.one_of(
        st.sampled_from("http:/ https: // ftp example.org WW. ww.x mailto: user.name x.es".split()),
        st.text(st.characters(blacklist_characters="@", blacklist_categories=("Cs", "Co")), max_size=8),
    ),
    max_size=25,
).map(" ".join).filter(lambda text: "://" not in text and "www." not in text.lower())


@settings(max_examples=300)
@given(text=_NO_ADDRESS_TEXT)
def test_without_scheme_at_sign_or_www_there_is_no_address(text: str) -> None:
    """Why find_urls does not search a text without "://", "@" or "www.": nothing matches there."""
    assert _URL_RE.search(text) is None


def test_placeholders_match_without_any_placeholder_and_with_them() -> None:
    assert placeholders_match("No markup.", "Sin marcas.")
    assert placeholders_match("a < b", "a < b")  # a "<" that is no placeholder
    assert not placeholders_match("Read <1>this</1>.", "Lea esto.")
    assert not placeholders_match("Read this.", "Lea <1>esto</1>.")
    assert not placeholders_match("Read <1>this</1>.", "Lea </1>esto<1>.")
    assert placeholders_match("Read <1>this</1>.", "Lea <1>esto</1>.")


def test_a_pair_the_engine_emptied_takes_the_word_after_it_else_the_word_before() -> None:
    # Apertium moved "department's" out of its link: an empty link would vanish from the page.
    source = "the <1>department's</1> inspector general has ordered"
    assert restore_placeholders(source, "el general de inspector del</1>  <1>departamento ha ordenado") == (
        "el general de inspector del <1>departamento</1> ha ordenado", True)
    assert restore_placeholders("a <1>red</1> car", "un coche<1> </1>rojo.") == ("un coche <1>rojo</1>.", True)
    assert restore_placeholders("a <1>red</1> car", "un coche rojo<1></1>.") == ("un coche <1>rojo</1>.", True)
    # A pair moved with white space at its edges: the space goes outside the link.
    assert restore_placeholders("observe your <1>subject's normal</1> behavior", "observar el</1> x y <1>tema") == (
        "observar el <1>x y</1> tema", True)
    # The source's own empty pair (an anchor) stays empty.
    assert restore_placeholders("a <1></1> car", "un <1></1> coche") == ("un <1></1> coche", False)
    # The pair emptied at the start of the text ("There <1>is</1>" -> Apertium "<1></1> Hay"), or
    # parted from the word before it by a space: the repair adds no white space of its own.
    assert restore_placeholders("There <1>is</1> a shortage.", "<1></1> Hay una escasez.") == (
        "<1>Hay</1> una escasez.", True)
    assert restore_placeholders("a <1>red</1> car", "un coche rojo <1></1>.") == ("un coche <1>rojo</1>.", True)
    assert restore_placeholders("a <1>red</1> car <2/>", "un coche rojo <2/> <1></1>.") == (
        "un coche <1>rojo</1> <2/>.", True)


@given(st.permutations(["<1>", "</1>", "<2/>", "a", "b", " ", " "]))
def test_a_repair_adds_no_white_space_at_the_ends(tokens: list[str]) -> None:
    output = "".join(tokens)
    restored, _ = restore_placeholders("x <1>y z</1> <2/>.", output)
    assert restored[: len(restored) - len(restored.lstrip())] == output[: len(output) - len(output.lstrip())]
    assert restored[len(restored.rstrip()) :] == output[len(output.rstrip()) :]


@given(st.permutations(["<1>", "</1>", "<2/>", "a", "b", " "]))
def test_a_restored_pair_holds_a_word_when_the_output_has_one(tokens: list[str]) -> None:
    source = "x <1>y z</1> <2/>."
    restored, _ = restore_placeholders(source, "".join(tokens))
    assert placeholders_match(source, restored)
    inside = restored[restored.index("<1>") + 3 : restored.index("</1>")]
    assert any(c.isalpha() for c in inside)


def test_a_printable_text_holds_no_white_space_but_the_space() -> None:
    # segment_pieces keeps a printable text run as it is instead of turning its white space
    # into spaces: right only if no character other than " " is both printable and white space.
    both = [c for c in map(chr, range(0x110000)) if c.isspace() and c.isprintable()]
    assert both == [" "]
    # \s (what _SPACE_RE replaces, and what _NOT_SPACE_RE's \S leaves out) is str.isspace(), which
    # str.strip() and str.split() go by.
    every = "".join(map(chr, range(0x110000)))
    assert re.findall(r"\s", every) == [c for c in every if c.isspace()]



_RUN_TEXT = st.text(st.sampled_from(list("ab. AB?!\u2019\"(1)\n\t\u00a0\u2028é&<>/")), max_size=60)


@given(_RUN_TEXT, st.text(st.sampled_from(list(" x\n")), max_size=3), st.booleans(), st.booleans())
def test_a_block_of_one_text_run_is_segmented_as_any_block(text: str, margin: str, sentences: bool, shorter: bool) -> None:
    # segment_pieces takes a block of one text piece by a short path (_run_segments): the same
    # segments as the general one (_block_segments), also when the piece's source is longer than
    # its text (a decoded reference).
    source = margin + text + ("&amp;" if shorter else "") + margin
    end = len(margin) + len(text) + (5 if shorter else 0)
    piece = Piece("text", len(margin), end, text + ("&" if shorter else ""))
    fast = _run_segments(piece, source, "b", "paragraph", "en", sentences)
    assert fast == _block_segments([piece], source, "b", "paragraph", "en", sentences)
    assert segment_pieces([piece], source, block="b", kind="paragraph", sentences=sentences) == fast


@given(st.text(st.sampled_from(list("ab_1 -.é'ΣΟ\u00a0\nİ")), max_size=40), st.sampled_from(["paragraph", "heading", "other"]))
def test_a_block_id_is_named_by_its_first_four_words(text: str, kind: str) -> None:
    # block_id finds them with one match: what taking four words one by one gives.
    words = [m.group(0).lower() for m in re.finditer(r"[^\W_]+", text)][:4]
    assert block_id(kind, text).split("-", 1)[1] == ("-".join(words) or "block")
