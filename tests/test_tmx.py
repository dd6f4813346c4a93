"""TMX 1.4 reading and writing (i18n_pipeline.tmx): placeholders, origins, errors with lines."""

from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.memory import Memory
from i18n_pipeline.tmx import ALL_LANGUAGES, Translation, TranslationUnit, read_tmx, write_tmx

# Text with everything XML and our placeholders make hard: markup characters, entities,
# placeholder look-alikes, white space that must survive.
_PIECES = ["<1>", "</1>", "<2>", "</2>", "<3/>", "<12/>", "</4>", "<007>", "</3/>", "&", "<", ">",
           '"', "'", "]]>", "&amp;", "&xxe;", " ", "  ", "\t", "\n", "\r", "<seg>", "é", "–"]
_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                              blacklist_characters="\ufffe\uffff"), min_size=1, max_size=12),
        st.sampled_from(_PIECES),
    ),
    min_size=1,
    max_size=8,
).map("".join).filter(lambda s: bool(s.strip()))
_UNIT = st.builds(
    lambda source, targets, origin: TranslationUnit(
        "en", source, tuple(Translation(tag, text, origin) for tag, text in targets)),
    _TEXT,
    st.lists(st.tuples(st.sampled_from(["es", "fr", "pt-BR"]), _TEXT), min_size=1, max_size=3,
             unique_by=lambda t: t[0]),
    st.sampled_from(["r1", "release b (reviewed)", "memory.tmx (working title)"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_UNIT, min_size=1, max_size=6))
def test_write_then_read_gives_the_units_back(units: list[TranslationUnit]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "round.tmx"
        assert write_tmx(path, units, tool_version="1.0") == len(units)
        assert read_tmx(path) == units


def test_header_names_the_tool_and_the_source_language(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    unit = TranslationUnit("en-GB", "Hello.", (Translation("es", "Hola.", "r"),))
    write_tmx(path, [unit], tool_version="2.5")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version=\'1.0\' encoding=\'UTF-8\'?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    for attribute in ('creationtool="i18n-pipeline"', 'creationtoolversion="2.5"', 'srclang="en-GB"',
                      '<prop type="x-origin">r</prop>', 'xml:lang="es"'):
        assert attribute in text
    assert "<tu>" in text  # one source language: the units do not repeat it


def test_units_in_several_source_languages_name_their_own(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    units = [
        TranslationUnit("en", "Hello.", (Translation("es", "Hola.", "r"),)),
        TranslationUnit("fr", "Bonjour.", (Translation("es", "Hola.", "r"),)),
    ]
    write_tmx(path, units, tool_version="1")
    text = path.read_text(encoding="utf-8")
    assert f'srclang="{ALL_LANGUAGES}"' in text and '<tu srclang="fr">' in text
    assert read_tmx(path) == units
    write_tmx(path, units[:1], srclang="en", tool_version="1")
    assert f'srclang="{ALL_LANGUAGES}"' not in path.read_text(encoding="utf-8")


def test_target_notes_qualify_the_origin_and_our_property_replaces_it(tmp_path: Path) -> None:
    path = write(tmp_path, textwrap.dedent("""\
        <tmx version="1.4">
          <header srclang="en"/>
          <body>
            <tu>
              <note>About the unit, not its origin.</note>
              <tuv xml:lang="en"><seg>Title</seg></tuv>
              <tuv xml:lang="fr"><note>working   title,
                not official</note><seg>Titre</seg></tuv>
              <tuv xml:lang="es"><seg>Título</seg></tuv>
            </tu>
            <tu>
              <prop type="x-origin">release a (reviewed)</prop>
              <tuv xml:lang="en"><seg>Hello.</seg></tuv>
              <tuv xml:lang="es"><note>ignored</note><seg>Hola.</seg></tuv>
            </tu>
          </body>
        </tmx>
    """), name="shipped.tmx")
    first, second = read_tmx(path)
    assert first.translations == (
        Translation("fr", "Titre", "shipped.tmx (working title, not official)"),
        Translation("es", "Título", "shipped.tmx"),
    )
    assert second.translations == (Translation("es", "Hola.", "release a (reviewed)"),)


def test_a_unit_xml_cannot_hold_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    units = [
        TranslationUnit("en", "Bell \a here.", (Translation("es", "Campana.", "r"),)),
        TranslationUnit("en", "Fine.", (Translation("es", "Bien.", "r"),)),
    ]
    assert write_tmx(path, units, tool_version="1") == 1
    assert [u.source for u in read_tmx(path)] == ["Fine."]


def test_the_translations_of_a_unit_share_one_origin(tmp_path: Path) -> None:
    unit = TranslationUnit("en", "Hello.", (Translation("es", "Hola.", "a"), Translation("fr", "Salut.", "b")))
    with pytest.raises(ValueError, match="one origin"):
        write_tmx(tmp_path / "out.tmx", [unit], tool_version="1")
    assert not (tmp_path / "out.tmx").exists()


def write(tmp_path: Path, body: str, name: str = "in.tmx") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_foreign_inline_elements_become_placeholders(tmp_path: Path) -> None:
    path = write(tmp_path, textwrap.dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <tmx version="1.4">
          <header srclang="en-US" segtype="sentence" datatype="html" adminlang="en"
                  creationtool="x" creationtoolversion="1" o-tmf="x"/>
          <body>
            <tu>
              <tuv xml:lang="en-US"><seg>Read <bpt i="1" x="1">&lt;a href="#"&gt;</bpt>the study<ept i="1">&lt;/a&gt;</ept><ph x="2">&lt;br/&gt;</ph>now.</seg></tuv>
              <tuv xml:lang="es-MX"><seg><ph x="2">&lt;br/&gt;</ph>Lea <bpt i="5" x="1">&lt;a&gt;</bpt>el estudio<ept i="5">&lt;/a&gt;</ept>.</seg></tuv>
            </tu>
            <tu>
              <tuv lang="en"><seg>A <hi type="bold">bold</hi> move<it pos="begin">&lt;i&gt;</it>.</seg></tuv>
              <tuv lang="es"><seg>Un paso <hi>audaz</hi><it pos="begin">&lt;i&gt;</it>.</seg></tuv>
            </tu>
            <tu>
              <tuv xml:lang="en"><seg>Only a source.</seg></tuv>
            </tu>
            <tu>
              <tuv xml:lang="de"><seg>Kein Englisch.</seg></tuv>
              <tuv xml:lang="es"><seg>Sin inglés.</seg></tuv>
            </tu>
          </body>
        </tmx>
    """))  # noqa: E501 - a <seg> is one line of XML: a line break inside it would become part of the text
    # The unit without a translation and the one without an English variant are left out.
    assert read_tmx(path) == [
        TranslationUnit("en-US", "Read <1>the study</1><2/>now.",
                        (Translation("es-MX", "<2/>Lea <1>el estudio</1>.", "in.tmx"),)),
        TranslationUnit("en", "A <1>bold</1> move<2/>.",
                        (Translation("es", "Un paso <1>audaz</1><2/>.", "in.tmx"),)),
    ]


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ('<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="en"/>\n<body>\n'
         '<tu><tuv xml:lang="en"><seg>a & b</seg></tuv></tu>\n</body>\n</tmx>\n',
         5, "not well-formed"),
        ('<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="en"/>\n<body>\n<tu>\n'
         '<tuv xml:lang="en"><seg>a</seg>\n</tu>\n</body>\n</tmx>\n', 7, "not well-formed"),
        ('<tmx version="1.4">\n<header srclang="en"/>\n<body>\n<tu>\n'
         '<tuv><seg>a</seg></tuv>\n</tu>\n</body>\n</tmx>\n', 5, "no xml:lang"),
        ('<tmx version="1.4">\n<header srclang="en"/>\n<body>\n<tu>\n'
         '<tuv xml:lang="en"><seg>a <b>x</b></seg></tuv>\n</tu>\n</body>\n</tmx>\n', 5, "<b>"),
        ('<tmx version="1.4">\n<header srclang="en"/>\n<body>\n<tu>\n'
         '<tuv xml:lang="en"></tuv>\n</tu>\n</body>\n</tmx>\n', 5, "no <seg>"),
        ('<tmx version="1.4">\n<header/>\n<body/>\n</tmx>\n', 2, "no srclang"),
        ('<xliff version="1.2">\n</xliff>\n', 1, "not <tmx>"),
    ],
)
def test_malformed_tmx_is_reported_with_its_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(PipelineError) as caught:
        read_tmx(path)
    assert caught.value.where == f"{path}:{line}"
    assert message in caught.value.what
    assert caught.value.fix


def test_missing_tmx_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="cannot read"):
        read_tmx(tmp_path / "absent.tmx")


def test_xxe_payload_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    path = write(tmp_path, textwrap.dedent(f"""\
        <?xml version="1.0"?>
        <!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">
          <!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
        <tmx version="1.4">
          <header srclang="en"/>
          <body>
            <tu>
              <tuv xml:lang="en"><seg>Leak &xxe; &lol2;</seg></tuv>
              <tuv xml:lang="es"><seg>Fuga &xxe;</seg></tuv>
            </tu>
          </body>
        </tmx>
    """))
    with pytest.raises(PipelineError) as caught:
        read_tmx(path)
    assert caught.value.where == f"{path}:8"
    assert "TOP-SECRET" not in str(caught.value)
    with Memory(Path(":memory:")) as memory:  # and nothing of it reached the memory
        with pytest.raises(PipelineError):
            memory.import_tmx(path)
        export = tmp_path / "out.tmx"
        memory.export_tmx(export, tool_version="1")
    assert "TOP-SECRET" not in export.read_text(encoding="utf-8")
