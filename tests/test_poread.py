"""The fast PO reader (i18n_pipeline.poread) reads what Translate Toolkit's parser reads: the same
units for files we write, files msgcat writes and real files; anything outside gettext's own
layout is left to Translate Toolkit."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_pipeline import pofile, poread
from i18n_pipeline.catalog import Catalog
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.model import GETTEXT_WRAP, LineWrap
from i18n_pipeline.poread import gettext_units
from i18n_pipeline.pounit import CONTENT_TYPE, Unit, canonical_flags
from tests.catalog_cases import NO_EVAL, spanish_catalog
from tests.paths import EVAL

ROOT = Path(__file__).resolve().parents[1]


def _units(raw: object) -> list[Unit]:
    return [pofile._unit_from_tt(u) for u in raw]  # type: ignore[attr-defined]


def _agree(data: bytes) -> bool:
    """Both readers give the same units; True when the fast reader took the file."""
    ours = gettext_units(data)
    if ours is None:
        return False
    assert ours == _units(pofile._tt_units(data, "test.po"))
    return True


def _msgcat(data: bytes, *options: str) -> bytes:
    done = subprocess.run(["msgcat", *options, "-"], input=data, capture_output=True, check=True)
    return done.stdout


def test_the_bundled_files_are_read_fast_and_alike() -> None:
    files = sorted((ROOT / "locales").rglob("*.po")) + sorted((ROOT / "locales").rglob("*.pot"))
    assert files
    for path in files:
        assert _agree(path.read_bytes()), path


@pytest.mark.parametrize("wrap", [GETTEXT_WRAP, LineWrap(77), LineWrap(79, strings=False), LineWrap(None)], ids=str)
def test_our_files_and_msgcats_are_read_alike(wrap: LineWrap) -> None:
    ours = pofile.po_bytes(spanish_catalog(), wrap)
    assert _agree(ours)
    for options in ([], ["--no-wrap"], ["-w", "77"], ["--sort-output"]):
        assert _agree(_msgcat(ours, *options)), options


def _eval_files() -> list[Path]:
    return sorted((EVAL / "po").glob("*/*.po")) if EVAL.is_dir() else []


@pytest.mark.skipif(not _eval_files(), reason=NO_EVAL)
def test_real_files_are_read_alike_or_left_to_translate_toolkit() -> None:
    taken = sum(_agree(path.read_bytes()) for path in _eval_files())
    assert taken > 0  # gettext-written files among them are read fast


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbfmsgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n",  # BOM
    b"msgid \"\"\r\nmsgstr \"\"\r\n\"Content-Type: text/plain; charset=UTF-8\\n\"\r\n",  # CRLF
    b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n",  # another charset
    b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"a\"\n",  # no msgstr
    b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"a\"\nmsgstr \"b\"\n# late\n",
    b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"a\nmsgstr \"b\"\n",  # unclosed
    b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n#~ msgid \"a\"\nmsgstr \"b\"\n",  # half obsolete
    b"msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\nmsgid \"a\"\n#| \"x\"\nmsgstr \"b\"\n",
], ids=["bom", "crlf", "latin-1", "no msgstr", "late comment", "unclosed", "half obsolete", "stray previous"])
def test_anything_else_goes_to_translate_toolkit(data: bytes) -> None:
    assert gettext_units(data) is None


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", "\t", '"', "\\", " "]), max_size=90)
_LINE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@st.composite
def _unit(draw: st.DrawFn) -> Unit:
    plural = draw(st.booleans())
    obsolete = draw(st.booleans())
    return Unit(
        msgid=draw(_TEXT.filter(bool)),
        msgstr=draw(st.lists(_TEXT, min_size=2, max_size=3)) if plural else [draw(_TEXT)],
        msgid_plural=draw(_TEXT.filter(bool)) if plural else None,
        msgctxt=draw(st.none() | _TEXT),
        prev_msgid=draw(st.none() | _TEXT.filter(bool)),
        comments=draw(st.lists(_LINE.map(str.strip), max_size=2)),
        extracted=[] if obsolete else draw(st.lists(_LINE.map(str.strip), max_size=2)),
        references=[] if obsolete else draw(st.lists(st.from_regex(r"[a-z0-9-]{1,12}:p[0-9]{1,2}", fullmatch=True), max_size=4)),
        flags=draw(st.sampled_from([[], ["fuzzy"], ["fuzzy", "no-wrap"], ["c-format"]])),
        obsolete=obsolete,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_unit(), max_size=6, unique_by=lambda u: (u.obsolete, u.msgctxt, u.msgid)))
def test_any_catalog_we_write_and_msgcat_rewrites_is_read_alike(units: list[Unit]) -> None:
    header = Unit(msgid="", msgstr=[f"Content-Type: {CONTENT_TYPE}\nPlural-Forms: nplurals=3; plural=(n != 1);\n"])
    data = pofile.po_bytes(Catalog(header, units))
    # Taken, but for obsolete entries with flags or #. #: lines (Translate Toolkit's rules for them).
    assert _agree(data) or any(u.obsolete and (u.flags or u.extracted or u.references) for u in units)
    catted = subprocess.run(["msgcat", "-"], input=data, capture_output=True, check=False)
    if catted.returncode == 0:  # msgcat refuses some of what the strategy makes (a lone plural form, …)
        _agree(catted.stdout)


@pytest.mark.parametrize("block", [
    'msgid "a"\nmsgstr "b"',
    '#. x\n#: r:p1 r:p2\n#, fuzzy, c-format\n# me\n#\nmsgctxt ""\nmsgid "a\\n"\n"b"\nmsgstr ""\n"\\"c\\t\\101"',
    '#.\n#. y\n#:  r:p1\nmsgid "a"\nmsgstr ""', '#| msgid "o"\nmsgid "a"\nmsgstr "b"', '#~ msgid "a"\n#~ msgstr "b"',
    '#~\nmsgid "a"\nmsgstr "b"', '#x\nmsgid "a"\nmsgstr "b"', 'msgid "a\nb"\nmsgstr "c"',
    'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "c"', 'msgid "a"\nmsgstr "b"\n# late', 'msgid "a" \nmsgstr "b"',
    'msgid "a\\"\nmsgstr "b"', '#, no-wrap,fuzzy\nmsgid "a"\nmsgstr "b"',
])  # fmt: skip
def test_plain_entries_are_read_as_line_by_line(block: str) -> None:
    slow = poread._read_entry(block.split("\n"))
    plain = poread._plain_entry(block)
    assert plain is None or (slow is not None and plain == poread._unit(slow))


# A field's strings as gettext writes them: quoted, one per line, escapes kept as written.
_PIECES = ["a", " ", "é", "'", "\\n", '\\"', "\\\\", "\\t", "\\101", "\\x41", "\\1", "\\x4", "1", "f"]  # "\\1" + "01": not "A"
_QUOTED = st.lists(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), min_size=1, max_size=4)


@settings(max_examples=300)
@given(strings=_QUOTED)
def test_a_fields_strings_decode_as_one_by_one(strings: list[str]) -> None:
    field = "\n".join(f'"{s}"' for s in strings)
    assert poread._decode_strings(field) == poread._decode([f'"{s}"' for s in strings])


@given(flags=st.lists(st.sampled_from([" fuzzy", " no-wrap", " c-format", " ignore-words", "fuzzy", " wrap"]), max_size=4))
def test_flags_read_once_per_spelling_are_canonical(flags: list[str]) -> None:
    lines = "".join(f"#,{flag}\n" for flag in flags)
    assert list(poread._flags(lines)) == canonical_flags(flags)


# An entry's lines, comments of every kind in any order and spelling, strings with escapes and
# wide characters: the plain reader takes the gettext-ordered ones, and reads them as line by line.
_COMMENT = st.sampled_from(["#", "# ", "#  two", "# me", "#.", "#. x", "#.  y z", "#: r:p1", "#:  r:p1  r:p2 ", "#:", "#: a#:b",
                            "#, fuzzy", "#,fuzzy, c-format", "#, no-wrap,fuzzy", "#,", "#x", "#~", "#| msgid \"o\""])
_QUOTED_LINE = st.lists(st.sampled_from(["a", " ", "日本", "é", "\\n", '\\"', "\\\\", "\\t", "#:"]), max_size=5).map(
    lambda parts: '"' + "".join(parts) + '"'
)
_FIELD = st.lists(_QUOTED_LINE, min_size=1, max_size=3).map("\n".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_COMMENT, max_size=6), st.none() | _FIELD, _FIELD, _FIELD, st.booleans())
def test_plain_entries_with_any_comments_are_read_as_line_by_line(
    comments: list[str], context: str | None, source: str, target: str, ordered: bool
) -> None:
    if ordered:  # gettext's order, the plain reader's shape
        comments = sorted(comments, key=lambda line: "#.:,".find(line[1:2]) if line[1:2] in (".", ":", ",") else 0)
    lines = [*comments, *([f"msgctxt {context}"] if context is not None else []), f"msgid {source}", f"msgstr {target}"]
    block = "\n".join(lines)
    slow = poread._read_entry(block.split("\n"))
    plain = poread._plain_entry(block)
    assert plain is None or (slow is not None and plain == poread._unit(slow))
    if ordered and slow is not None and not any(c.startswith(("#x", "#~", "#|")) for c in comments):
        assert plain is not None  # the usual shape is taken


# --- the checks of a file's lines ------------------------------------------------------------

_LINES = st.lists(
    st.sampled_from([
        'msgid "a"', 'msgstr "b"', 'msgid ""', "msgid", "msgstr", 'msgstr[0] "c"', 'msgid_plural "p"', '"more"',
        '#~ msgid "x"', '#~ msgstr "y"', "#~msgid", "#~\tmsgstr", "#~\x85msgid", '#| msgid "z"', '#~| msgid "z"',
        "# msgid", "#, fuzzy", "#~", "", " msgid", "msgidx", "\u2028msgid", 'msgctxt "k"',
    ]),
    max_size=12,
)


def _line_by_line(lines: list[str], where: str) -> tuple[list[int], str | None]:
    """What read_po_bytes did before it looked at keyword lines only: every line, one by one."""
    msgid_lines = [n for n, line in enumerate(lines, 1) if line.startswith("msgid ")]
    open_msgid: int | None = None
    for number, line in enumerate(lines, start=1):
        m = re.match(r"^(?:#~\s*)?(msgid|msgstr)\b", line)
        if m is None:
            continue
        if m.group(1) == "msgid":
            if open_msgid is not None:
                break
            open_msgid = number
        else:
            open_msgid = None
    return msgid_lines, None if open_msgid is None else f"{where}:{open_msgid}"


@settings(max_examples=1000, deadline=None)
@given(_LINES)
def test_the_structure_check_and_msgid_lines_are_those_of_reading_every_line(lines: list[str]) -> None:
    """msgid_lines looks at keyword lines only: what reading every line found, and the error."""
    text = "\n".join(lines)
    expected, error = _line_by_line(lines, "x.po")
    try:
        found, where = poread.msgid_lines(text, "x.po"), None
    except CatalogError as exc:
        found, where = expected, exc.where
    assert where == error
    assert found == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_unit(), max_size=6, unique_by=lambda u: (u.obsolete, u.msgctxt, u.msgid)),
    st.sampled_from([GETTEXT_WRAP, LineWrap(None), LineWrap(79, strings=False)]),
    st.lists(st.integers(0, 2), max_size=7),
)
def test_the_lines_the_fast_reader_gives_are_those_msgid_lines_finds(
    units: list[Unit], wrap: LineWrap, extra: list[int]
) -> None:
    header = Unit(msgid="", msgstr=[f"Content-Type: {CONTENT_TYPE}\nPlural-Forms: nplurals=3; plural=(n != 1);\n"])
    text = pofile.po_bytes(Catalog(header, units), wrap).decode("utf-8")
    # More blank lines between some entries (the reader takes them): the numbers shift.
    blocks = text.split("\n\n")
    gaps = [*extra, *[0] * len(blocks)]
    text = "".join(block + "\n\n" + "\n" * gaps[i] for i, block in enumerate(blocks[:-1])) + blocks[-1]
    read = poread.text_units(text)
    if read is None:  # left to Translate Toolkit (see test_any_catalog_we_write_and_msgcat_rewrites_is_read_alike)
        assert any(u.obsolete and (u.flags or u.extracted or u.references) for u in units)
        return
    plain = all(u.msgid_plural is None and u.prev_msgid is None and not u.obsolete for u in units)
    if plain:  # every entry in the plain shape: each knows its msgid's line
        assert [u.line for u in read] == poread.msgid_lines(text, "x.po")
    else:  # else none does (read_po_bytes asks msgid_lines)
        assert all(u.line == 0 for u in read)
