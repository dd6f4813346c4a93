"""Reading XLIFF (i18n_pipeline.xliff.read): our own files back, what other tools write (segment
markers, begin/end codes, annotations), and files that are not as the specifications say."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.model import State
from i18n_pipeline.segment import map_text
from i18n_pipeline.xliff import ExportUnit, read_xliff, unit_id, xliff_bytes
from tests.xliff.cases import CROSSING, LINKED, MENU, PLAIN, TARGETS, exported

ARGS = {"release": "rel", "original": "content/rel.md", "document_format": "markdown", "source_language": "en",
        "target_language": "es", "tool_version": "t", "where": "rel.po"}


@pytest.mark.parametrize("version", ["2.1", "1.2"])
def test_our_export_reads_back(version: str) -> None:
    (release,) = read_xliff(exported(version), "rel.xlf")
    assert (release.release, release.original, release.source_language, release.target_language) == (
        "rel", "content/rel.md", "en", "es")
    found = {u.source: u for u in release.units}
    assert found[LINKED].target == TARGETS[LINKED] and found[CROSSING].target == TARGETS[CROSSING]
    assert found[MENU].reviewed and not found[LINKED].reviewed
    assert found[PLAIN].target is None
    assert found[LINKED].id == unit_id(LINKED, None) and found[MENU].id == unit_id(MENU, "menu")
    assert found[LINKED].exported_target is not None and found[LINKED].problem is None


TEXT = st.text(st.characters(codec="utf-8", exclude_characters="<>"), max_size=12)


@st.composite
def with_placeholders(draw: st.DrawFn) -> str:
    """Text with standalone and paired placeholders, pairs nested or crossing."""
    parts = [draw(TEXT)]
    tokens: list[str] = []
    for n in range(1, draw(st.integers(0, 3)) + 1):
        tokens += [f"<{n}/>"] if draw(st.booleans()) else [f"<{n}>", f"</{n}>"]
    order = draw(st.permutations(tokens))
    opened: set[str] = set()
    for token in order:  # closing tokens only after their opening one
        if token.startswith("</") and token[2:-1] not in opened:
            continue
        opened.add(token[1:-1])
        parts += [token, draw(TEXT)]
    closing = [f"</{n}>" for n in sorted(opened) if n.isdigit() and f"</{n}>" not in parts and f"<{n}/>" not in parts]
    return "".join(parts + closing) or "x"


@settings(max_examples=60, deadline=None)
@given(source=with_placeholders(), version=st.sampled_from(["2.1", "1.2"]))
def test_any_text_and_codes_survive_the_round_trip(source: str, version: str) -> None:
    target = map_text(source, str.upper)
    unit = ExportUnit(source=source, context=None, target=target, state=State.MACHINE)
    try:
        data = xliff_bytes([unit], version=version, **ARGS)
    except PipelineError:
        assert version == "1.2"  # a control character: 1.2 cannot carry it
        return
    (release,) = read_xliff(data, "x.xlf")
    (back,) = release.units
    assert (back.source, back.target, back.problem) == (source, target or None, None)


def xliff12(units: str, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file original="rel.md" source-language="en" target-language="es-ES" datatype="plaintext"{extra}>\n'
        f"<body>\n{units}\n</body>\n</file>\n</xliff>\n"
    ).encode()


def xliff20(units: str, version: str = "2.0") -> bytes:
    return (
        f'<?xml version="1.0"?>\n<xliff version="{version}" xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        f'srcLang="en" trgLang="es">\n<file id="f1" original="content/rel.md">\n{units}\n</file>\n</xliff>\n'
    ).encode()


def test_what_cat_tools_write_in_12_reads_as_placeholders() -> None:
    data = xliff12(
        '<trans-unit id="a"><source>Read <bpt id="1">&lt;a&gt;</bpt>this<ept id="1">&lt;/a&gt;</ept> '
        '<ph id="2">&lt;br/&gt;</ph></source>'
        '<seg-source><mrk mtype="seg" mid="0">Read this</mrk></seg-source>'
        '<target state="translated"><mrk mtype="seg" mid="0">Lea <bpt id="1">&lt;a&gt;</bpt>esto<ept id="1">&lt;/a&gt;</ept> '
        '<ph id="2">&lt;br/&gt;</ph></mrk></target></trans-unit>'
        '<trans-unit id="b" approved="yes"><source>Ok</source><target>Vale</target></trans-unit>'
    )
    (release,) = read_xliff(data, "agency.xlf")
    a, b = release.units
    assert (a.source, a.target, a.reviewed, a.state) == ("Read <1>this</1> <2/>", "Lea <1>esto</1> <2/>", False, "translated")
    assert (b.target, b.reviewed, b.exported_target) == ("Vale", True, None)
    assert release.target_language == "es-ES" and release.release == "rel"


def test_what_cat_tools_write_in_20_reads_as_placeholders() -> None:
    data = xliff20(
        '<unit id="a"><segment state="reviewed"><source>A <sc id="1"/>b<ec startRef="1"/> <mrk id="m1" type="term">c</mrk>'
        '<cp hex="0007"/></source><target>A <sc id="1"/>B<ec startRef="1"/> C<cp hex="0007"/></target></segment>'
        '<ignorable><source> </source></ignorable><segment state="translated"><source>Two.</source><target>Dos.</target>'
        "</segment></unit>"
    )
    (release,) = read_xliff(data, "agency.xlf")
    (unit,) = release.units
    assert unit.source == "A <1>b</1> c\x07 Two." and unit.target == "A <1>B</1> C\x07 Dos."
    assert not unit.reviewed and unit.state == "reviewed/translated"  # a unit is reviewed when all its segments are


def test_a_code_the_export_did_not_have_is_a_problem_of_its_unit() -> None:
    data = xliff20('<unit id="a"><segment><source>x <ph id="p7"/></source><target>y <ph id="p7"/></target></segment></unit>')
    (release,) = read_xliff(data, "a.xlf")
    assert release.units[0].problem == 'the inline code <ph id="p7"> was not in the export'


@pytest.mark.parametrize(
    ("data", "line", "what"),
    [
        (b"<tmx version='1.4'/>", 1, "the root element is <tmx>, not <xliff>"),
        (b'<xliff version="2.2" xmlns="urn:oasis:names:tc:xliff:document:2.2" srcLang="en"/>', 1,
         "XLIFF version 2.2 in namespace urn:oasis:names:tc:xliff:document:2.2 is not supported"),
        (b'<xliff version="1.2"><file original="a" source-language="en" datatype="x"/></xliff>', 1,
         "XLIFF version 1.2 in namespace (none) is not supported"),
        (xliff20("<unit><segment><source>a</source></segment></unit>"), 4, "<unit> has no id attribute"),
        (xliff20('<unit id="a"><notes><note>n</note></notes></unit>'), 4, "unit a has no <segment>"),
        (xliff20('<unit id="a">\n<segment><target>b</target></segment></unit>'), 5, "a <segment> of unit a has no <source>"),
        (xliff20("", "2.1").replace(b' srcLang="en"', b""), 2, "<xliff> has no srcLang attribute"),
        (xliff12("<trans-unit><source>a</source></trans-unit>"), 5, "<trans-unit> has no id attribute"),
        (xliff12("").replace(b' datatype="plaintext"', b""), 3, "<file> has no datatype attribute"),
        (xliff12('<trans-unit id="x"><target>a</target></trans-unit>'), 5, "trans-unit x has no <source>"),
        (b'<xliff version="1.2">\n<file>&amp</file></xliff>', 2, "not well-formed XML"),
        (b'<!DOCTYPE x [<!ENTITY e "boom">]>\n<xliff version="1.2">\n&e;</xliff>', 3,
         "entity reference &e; is not expanded"),
    ],
)
def test_a_file_that_is_not_as_the_specification_says_is_refused(data: bytes, line: int, what: str) -> None:
    with pytest.raises(PipelineError) as caught:
        read_xliff(data, "in.xlf")
    assert caught.value.where == f"in.xlf:{line}"
    assert caught.value.what.startswith(what)
    assert caught.value.fix
