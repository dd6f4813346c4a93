"""Front matter: finding the block, reading it, writing and splitting releases, error lines."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.errors import DocumentError
from i18n_pipeline.formats.front_matter import (
    _NOT_YAML_PRINTABLE_RE,
    NOT_A_MAPPING,
    check_release_front_matter,
    compose_yaml,
    find_front_matter,
    join_front_matter,
    load_yaml,
    parse_front_matter,
    quote_scalar,
    split_front_matter,
    yaml_error_location,
)

# --------------------------------------------------------------------------- finding


@pytest.mark.parametrize(
    ("text", "yaml_text", "body"),
    [
        ("---\ntitle: A\n---\nBody\n", "title: A\n", "Body\n"),
        ("---\ntitle: A\n...\n\nBody\n", "title: A\n", "\nBody\n"),  # "..." closes too
        ("--- \r\ntitle: A\r\n---  \r\nBody", "title: A\r\n", "Body"),  # CRLF, trailing blanks
        ("---\n---\nBody\n", "", "Body\n"),  # empty
        ("---\ntitle: A\n---", "title: A\n", ""),  # closed at the end of the file
    ],
)
def test_the_block_is_found(text: str, yaml_text: str, body: str) -> None:
    block = find_front_matter(text)
    assert block is not None
    assert block.yaml == yaml_text
    assert text[block.yaml_start : block.yaml_start + len(block.yaml)] == yaml_text
    assert text[block.end :] == body


@pytest.mark.parametrize(
    "text",
    [
        "Body\n---\ntitle: A\n---\n",  # not at the start
        "\n---\ntitle: A\n---\n",
        "---\ntitle: A\n",  # never closed
        "----\ntitle: A\n----\n",
        "--- title: A\n---\n",
    ],
)
def test_no_block(text: str) -> None:
    assert find_front_matter(text) is None


# --------------------------------------------------------------------------- reading


def test_data_and_the_spans_of_string_values() -> None:
    text = (
        "title: 'Quoted: title'\n"
        "date: 2011-08-03\n"
        "links:\n"
        "  - title: Human Trafficking in Mexico\n"
        "    url: http://www.oim.org.mx/\n"
        "  - title: Second\n"
        "summary: >\n"
        "  Folded\n"
        "  text\n"
    )
    data, spans = parse_front_matter(text, "content/a.md")
    assert data["date"] == dt.date(2011, 8, 3) and data["title"] == "Quoted: title"
    assert [(s.key, s.path, s.value) for s in spans] == [
        ("title", "title", "Quoted: title"),
        ("links.title", "links.1.title", "Human Trafficking in Mexico"),
        ("links.url", "links.1.url", "http://www.oim.org.mx/"),
        ("links.title", "links.2.title", "Second"),
        ("summary", "summary", "Folded text\n"),
    ]
    # A span covers the scalar as written (quotes and all), so a translation replaces it whole.
    assert text[spans[0].start : spans[0].end] == "'Quoted: title'"
    assert text[spans[1].start : spans[1].end] == "Human Trafficking in Mexico"


def test_empty_front_matter_is_an_empty_mapping() -> None:
    assert parse_front_matter("", "a.md") == ({}, [])
    assert parse_front_matter("# only a comment\n", "a.md") == ({}, [])


def test_a_list_is_not_front_matter() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_front_matter("- one\n- two\n", "content/a.md")
    assert caught.value.what == NOT_A_MAPPING
    assert caught.value.where == "content/a.md:2"  # the first line after the opening ---


@pytest.mark.parametrize(
    ("yaml_text", "line", "problem"),
    [
        # The parser notices an unclosed quote at the end of the text (the closing --- line of
        # the file); the message says where the value starts.
        ('title: "Broken\ndate: 2020-01-01\n', 4, "found unexpected end of stream (it starts on line 2)"),
        ("title: A\nsummary: B: C\n", 3, "mapping values are not allowed here"),
        ("title: A\n  place: B\n", 3, "mapping values are not allowed here"),
        ("title: A\ntitle: [B\n", 4, "expected ',' or ']'"),
    ],
)
def test_yaml_errors_name_the_file_line(yaml_text: str, line: int, problem: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_front_matter(yaml_text, "content/a.md")
    assert caught.value.where == f"content/a.md:{line}"
    assert caught.value.what.startswith("the front matter is not valid YAML: ")
    assert problem in caught.value.what


def test_yaml_error_location_counts_lines_of_the_file() -> None:
    text = "a: 1\nb: 'open\n"
    with pytest.raises(yaml.YAMLError) as caught:
        yaml.safe_load(text)
    where, problem = yaml_error_location(caught.value, "pipeline.yaml")
    assert where == "pipeline.yaml:3"
    assert problem == "while scanning a quoted scalar found unexpected end of stream (it starts on line 2)"
    assert yaml_error_location(caught.value, "a.md", line_offset=1)[0] == "a.md:4"
    # An error without a position names the file alone.
    assert yaml_error_location(yaml.YAMLError("no position"), "x.yaml") == ("x.yaml", "no position")


# --------------------------------------------------------------------------- writing and splitting


def test_join_then_split_gives_back_data_and_body() -> None:
    title = "A Very Long Title " * 12 + ": with a colon"
    metadata = {
        "title": title,
        "date": dt.date(2011, 8, 3),
        "place": "Mexico",
        "links": [{"title": "Diagnóstico sobre la asistencia", "url": "http://example.org/", "lang": "es"}],
        "contacts": [{"name": "Hélène Le Goff", "phone": "+52 55 5536 3922"}],
    }
    text = join_front_matter(metadata, "\n\nFirst paragraph.\n\nSecond.\n\n")
    assert text.startswith("---\ntitle: ") and text.endswith("---\n\nFirst paragraph.\n\nSecond.\n")
    assert "Hélène" in text  # unicode stays readable
    assert len(text.split("\n---\n", 1)[0].split("\n")) == 11  # every value on one line
    data, body = split_front_matter(text, "content/a.md")
    assert data == metadata and list(data) == list(metadata)  # the key order is kept
    assert body == "\nFirst paragraph.\n\nSecond.\n"


def test_join_without_metadata_or_body() -> None:
    assert join_front_matter({}, "Body") == "---\n---\n\nBody\n"
    assert join_front_matter({"title": "T"}, "\n") == "---\ntitle: T\n---\n"


def test_split_without_front_matter_keeps_the_text() -> None:
    assert split_front_matter("# Title\n\nBody\n", "a.md") == ({}, "# Title\n\nBody\n")


def test_split_refuses_what_the_markdown_format_would_read_as_a_thematic_break() -> None:
    with pytest.raises(DocumentError, match="never closed"):
        split_front_matter("---\ntitle: A\n\nBody\n", "a.md")
    with pytest.raises(DocumentError) as caught:
        split_front_matter("---\n- a\n---\nBody\n", "a.md")
    assert caught.value.what == NOT_A_MAPPING


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_quote_scalar_reads_back_as_the_value(value: str) -> None:
    assert yaml.safe_load(f"title: {quote_scalar(value)}\n") == {"title": value}


def test_quote_scalar_escapes_what_yaml_does_not_allow_raw() -> None:
    assert quote_scalar('Say "hi": ok') == '"Say \\"hi\\": ok"'
    assert quote_scalar("Ça va") == '"Ça va"'  # letters stay as they are
    assert quote_scalar("a\x7fb\x85c") == '"a\\u007fb\\u0085c"'


# --- fuzzing: only DocumentError ----------------------------------------------------------------

_YAML_BITS = st.sampled_from([
    "---\n", "...\n", "title: ", "Shelters", "\n", "  ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/object ", "'",
    '"', ": ", "#", "\t", "date: 2011-08-03", "|\n", ">\n", "? ", "\x00", "\x85", "%YAML 1.1\n", "!x ",
])  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_YAML_BITS, st.text(max_size=5)), max_size=30).map("".join))
def test_no_text_breaks_the_front_matter_reader(text: str) -> None:
    for read in (
        lambda: check_release_front_matter(text, "news.md"),
        lambda: split_front_matter(text, "news.md"),
        lambda: parse_front_matter(text, "news.md"),
    ):
        try:
            read()
        except DocumentError:
            pass


# --- settings and glossary: libyaml where it reads as PyYAML does -------------------------------

_SETTINGS_BITS = st.sampled_from([
    "terms:\n", "  - source: ", "IOM", "    es: ", "OIM", "Jefe de Misión", "target_languages: ", "[es, fr]", "\n", "  ",
    "- ", ": ", "[", "]", "{", "}", ",", "#", "'", '"', "?", "? ", "\t", "\ufeff", "\x85", "\u2028", "\r\n", "\r",
    "&a ", "*a", "<<: ", "!!str ", "!x ", "|\n", ">-\n", "---\n", "...\n", "%YAML 1.1\n", "0.75", "true", "~",
    "2011-08-03", "\x07", "\ud800", "|#", "|-", ">+2", "#",
])  # fmt: skip


def _outcome(read: object) -> object:
    try:
        return read() if callable(read) else read
    except (yaml.YAMLError, UnicodeError) as exc:
        return type(exc), str(exc)


def _tree(node: yaml.Node | None) -> object:
    """What config.py and glossary.py read of a node: kind, tag, value and start line."""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return "scalar", node.tag, node.value, node.start_mark.line
    if isinstance(node, yaml.SequenceNode):
        return "seq", node.tag, node.start_mark.line, [_tree(item) for item in node.value]
    return "map", node.tag, node.start_mark.line, [(_tree(k), _tree(v)) for k, v in node.value]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_SETTINGS_BITS, st.text(max_size=4)), max_size=40).map("".join), st.booleans())
def test_compose_and_load_read_what_pyyaml_reads(text: str, line_break_at_end: bool) -> None:
    text += "\n" if line_break_at_end else ""  # as most files end: what takes libyaml
    assert _outcome(lambda: _tree(compose_yaml(text))) == _outcome(
        lambda: _tree(yaml.compose(text, Loader=yaml.SafeLoader)))
    assert repr(_outcome(lambda: load_yaml(text))) == repr(_outcome(lambda: yaml.safe_load(text)))


# --- front matter: libyaml gives the data, spans and errors PyYAML gives ------------------------

_FRONT_MATTER_BITS = st.sampled_from([
    "title: ", "date: ", "place: ", "contacts:\n", "  - name: ", "    office: ", "Madrid", "Jefe de Misión", "\n",
    "  ", "- ", ": ", "[", "]", "{", "}", ",", "#", "'", '"', "''", '\\"', "\\n", "? ", "\t", "\ufeff", "\x85",
    "\u2028", "\r\n", "\r", "é", "\U0001f600", "&a ", "*a", "<<: ", "!!str ", "|\n", ">-\n", "2011-08-03", "9.7%",
    "~", "true",
])  # fmt: skip


def _read_front_matter(text: str) -> object:
    try:
        return parse_front_matter(text, "news.md")
    except DocumentError as exc:
        return str(exc)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_FRONT_MATTER_BITS, st.text(max_size=4)), max_size=30).map("".join))
def test_front_matter_reads_the_same_with_libyaml(text: str) -> None:
    """Spans are offsets into the text (where translations go): libyaml's must be PyYAML's."""
    text += "\n"  # a block's YAML always ends with its line break
    fast = _read_front_matter(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml, "__with_libyaml__", False)
        slow = _read_front_matter(text)
    assert repr(fast) == repr(slow)


def test_front_matter_spans_with_libyaml_on_a_release() -> None:
    text = 'title: "Año nuevo \U0001f600"\r\nplace: Madrid\r\ncontacts:\r\n  - name: \'Ana\'\r\n'
    data, spans = parse_front_matter(text, "news.md")
    assert data["contacts"] == [{"name": "Ana"}]
    assert [(s.path, text[s.start : s.end]) for s in spans] == [
        ("title", '"Año nuevo \U0001f600"'), ("place", "Madrid"), ("contacts.1.name", "'Ana'")]


def test_what_quote_scalar_escapes_is_what_yaml_may_not_hold_raw() -> None:
    """Every code point: escaped exactly when it is outside what YAML allows in a file (tab, line
    breaks, printable ASCII, U+00A0 onwards without surrogates and U+FFFE/F), or is NEL."""
    allowed = re.compile("[\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    refused = "".join(chr(c) for c in range(0x110000) if allowed.fullmatch(chr(c)) is None) + "\x85"
    assert set(_NOT_YAML_PRINTABLE_RE.findall("".join(map(chr, range(0x110000))))) == set(refused)
