"""YAML front matter: the one room that finds, reads, writes and splits it.

A release may start with a block of YAML between two ``---`` lines (the closing line may also be
``...``). The Markdown format, the build, ingest and the tests all ask the same questions of it,
so they ask this module:

* :func:`find_front_matter` -- where the block is (one rule for "is this front matter?");
* :func:`parse_front_matter` -- its data, and the spans of its string values (the segments);
* :func:`split_front_matter` / :func:`join_front_matter` -- data and body of a release, and back;
* :func:`yaml_error_location` -- the ``file:line`` and the problem of a YAML error, the rule
  every YAML reader of ours (``config``, ``glossary``, this module) reports errors with;
* :func:`compose_yaml` / :func:`load_yaml` -- the YAML of settings, glossary and front matter,
  read with libyaml where it reads what PyYAML reads.

yaml is imported here and in ``config.py`` / ``glossary.py`` only (those two walk YAML nodes for
line numbers of their own keys).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from i18n_pipeline.errors import DocumentError

__all__ = [
    "NOT_A_MAPPING",
    "FrontMatterBlock",
    "ScalarSpan",
    "check_release_front_matter",
    "compose_yaml",
    "find_front_matter",
    "join_front_matter",
    "load_yaml",
    "parse_front_matter",
    "quote_scalar",
    "split_front_matter",
    "yaml_error_location",
]

# The block at the very start: an opening "---" line, YAML lines, a closing "---" or "..." line.
# The YAML group is optional so that an empty block ("---\n---\n") is front matter too.
_BLOCK_RE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_OPENING_RE = re.compile(r"---[ \t]*\r?\n")

# The message of the error for YAML that is valid but not a mapping; the Markdown format reads
# such a block as a thematic break, not front matter, and tells the two errors apart by it.
NOT_A_MAPPING = "front matter must be a mapping of keys"


@dataclass(frozen=True)
class FrontMatterBlock:
    """Where the front matter is in a release's text."""

    yaml: str  # the YAML between the --- lines ("" for an empty block)
    yaml_start: int  # offset of the YAML in the text
    end: int  # offset just past the closing line: where the body starts


def find_front_matter(text: str) -> FrontMatterBlock | None:
    """The front matter block at the start of ``text``, or None when there is none."""
    found = _BLOCK_RE.match(text)
    if found is None:
        return None
    if found.group(1) is None:
        return FrontMatterBlock("", found.end(), found.end())
    return FrontMatterBlock(found.group(1), found.start(1), found.end())


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScalarSpan:
    """A string value of the front matter and its span in the YAML text."""

    key: str  # dotted key without list positions: "title", "contacts.office"
    value: str
    start: int
    end: int
    path: str = ""  # with list positions: "contacts.1.office"


def parse_front_matter(text: str, where: str) -> tuple[dict[str, Any], list[ScalarSpan]]:
    """Parse the YAML of a front matter block; return its data and the spans of its string values.

    ``where`` names the release; error locations count the opening ``---`` as line 1.
    """
    data, spans, _ = _load(text, where)
    return data, spans


def _load(text: str, where: str) -> tuple[dict[str, Any], list[ScalarSpan], list[tuple[yaml.Node, yaml.Node]]]:
    """``parse_front_matter``'s answer and the top-level (key, value) nodes as composed.

    One pass over the text where there can be no anchor ("&") nor alias ("*") to refuse (the
    scanner finds none without those characters); the data are constructed from the composed
    nodes, after the spans are read from them (merge keys make construction change the nodes).
    Any YAML error goes the way of the checks in order (scan, compose, load), so a text with
    several problems reports the one it always did.
    """
    try:
        try:
            if "&" in text or "*" in text:
                _refuse_aliases(text, where)
            node = compose_yaml(text)  # libyaml where it reads what PyYAML reads: a tenth of the time
        except yaml.YAMLError:
            _refuse_aliases(text, where)
            node = yaml.compose(text)
            yaml.safe_load(text)
            raise
        if node is None:  # an empty document
            return {}, [], []
        spans: list[ScalarSpan] = []
        _collect_spans(node, "", "", spans)
        pairs = list(node.value) if isinstance(node, yaml.MappingNode) else []
        data = yaml.SafeLoader("").construct_document(node)
    except yaml.YAMLError as exc:
        location, problem = yaml_error_location(exc, where, line_offset=1)  # +1: the opening ---
        raise DocumentError(
            location, f"the front matter is not valid YAML: {problem}", "fix the YAML between the --- lines"
        ) from None
    if data is None:
        return {}, [], []
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise DocumentError(f"{where}:2", NOT_A_MAPPING, "write 'key: value' lines")
    return data, spans, pairs


def _refuse_aliases(text: str, where: str) -> None:
    """Anchors and aliases let a few lines of YAML stand for billions of values (a "billion
    laughs" bomb) that every walk over the data would visit; a release needs neither."""
    for token in yaml.scan(text):
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            raise DocumentError(
                f"{where}:{token.start_mark.line + 2}",
                "YAML anchors and aliases are not allowed in front matter",
                "write each value out in full",
            )


def check_release_front_matter(text: str, where: str) -> None:
    """What a release's front matter must be, beyond what a Markdown reader accepts.

    The Markdown format reads an unclosed block, or one that is not a mapping, as a thematic
    break followed by text; in a release that silently sends the contacts to the engine, so
    here they are errors, and so is a title that is not text.
    """
    block = find_front_matter(text)
    if block is None:
        if _OPENING_RE.match(text):
            raise DocumentError(
                f"{where}:1", "the front matter (after the first ---) is never closed", "end it with a line ---"
            )
        return
    for key_node, value_node in _load(block.yaml, where)[2]:
        if key_node.value == "title" and not isinstance(value_node, yaml.ScalarNode):
            kind = "a mapping" if isinstance(value_node, yaml.MappingNode) else "a list"
            raise DocumentError(
                f"{where}:{key_node.start_mark.line + 2}", f"'title' must be text, not {kind}", "write title: \"...\""
            )


def _collect_spans(node: yaml.Node, key: str, path: str, spans: list[ScalarSpan]) -> None:
    """String scalars of a mapping, also inside lists of mappings (key "links.title",
    path "links.1.title")."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = str(key_node.value)
            _collect_spans(
                value_node, f"{key}.{name}" if key else name, f"{path}.{name}" if path else name, spans
            )
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if isinstance(item, yaml.MappingNode):
                _collect_spans(item, key, f"{path}.{i + 1}", spans)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and key:
        spans.append(ScalarSpan(key, str(node.value), node.start_mark.index, node.end_mark.index, path))


# --- reading YAML: settings, glossary, front matter ----------------------------------------------

# libyaml's parser (PyYAML's C extension) reads pipeline.yaml, the glossary and front matter
# about 15 times faster than PyYAML's own (the glossary took ~7 ms in every build; a release's
# front matter 0.35 ms, read twice by extract and twice by build), and composes the same nodes
# (tags, values, start lines, the offsets of string values) and data for a text both accept, with
# these exceptions, found by fuzzing (tests/formats/test_front_matter.py): PyYAML refuses a tab
# inside a plain scalar, a "?" inside a flow collection, some tags ("!") and a block scalar
# header followed by "#" without a space, which libyaml accepts; a byte order mark inside the
# text shifts libyaml's columns; in a text that does not end with a line break libyaml places an
# empty value at the end on the next line. Such a text, and any text libyaml refuses, is read by
# PyYAML: what it accepts, the lines our messages cite and the wording of its errors
# (yaml_error_location) stay as they were. Settings, glossaries and front matter as people write
# them take libyaml.
_PYYAML_ONLY_RE = re.compile(r"[\t?!\ufeff]|[|>][-+0-9]*#")


def _libyaml_reads(text: str) -> bool:
    return yaml.__with_libyaml__ and text.endswith("\n") and _PYYAML_ONLY_RE.search(text) is None


def compose_yaml(text: str) -> yaml.Node | None:
    """``yaml.compose(text, Loader=yaml.SafeLoader)``: the root node, None for an empty text."""
    node: yaml.Node | None = _read_yaml(text, yaml.compose)
    return node


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``."""
    return _read_yaml(text, yaml.load)


def _read_yaml(text: str, read: Callable[..., Any]) -> Any:
    """``read(text, Loader=...)`` with libyaml where it reads what PyYAML reads, else PyYAML."""
    if _libyaml_reads(text):
        try:
            return read(text, Loader=yaml.CSafeLoader)
        except (yaml.YAMLError, UnicodeError):  # UnicodeError: a lone surrogate, which is not UTF-8
            pass  # PyYAML raises the error below, in its own words
    return read(text, Loader=yaml.SafeLoader)


def yaml_error_location(exc: yaml.YAMLError, where: str, line_offset: int = 0) -> tuple[str, str]:
    """``("<where>:<line>", problem)`` for a YAML error, the line counted in the file.

    The line is where the parser found the problem; when the construct it belongs to started
    on another line (an unclosed quote is noticed only at the end of the text), the problem
    says where it starts, because that is usually the line to fix. ``line_offset`` is the
    number of file lines before the YAML (1 for front matter after its ``---``). An error
    without a position names ``where`` alone.
    """
    if not isinstance(exc, yaml.MarkedYAMLError):
        return where, str(exc)
    mark = exc.problem_mark or exc.context_mark
    problem = " ".join(str(p) for p in (exc.context, exc.problem) if p) or str(exc)
    if mark is None:
        return where, problem
    line = mark.line + 1 + line_offset
    if exc.context_mark is not None and exc.context_mark.line + 1 + line_offset != line:
        problem += f" (it starts on line {exc.context_mark.line + 1 + line_offset})"
    return f"{where}:{line}", problem


# --- writing ---------------------------------------------------------------------------------


# Characters a YAML file may not hold as they are (C0 controls but tab and line breaks, DEL, C1
# controls, surrogates, U+FFFE/F); NEL (U+0085) may, but a double-quoted scalar would fold it like
# a line break. Written as the few ranges it refuses, not as "all but what YAML allows": the same
# characters (tests/formats/test_front_matter.py), but compiled in 0.6 ms, not 7-20 ms (re
# optimises a class spanning all of Unicode slowly), in every process that writes front matter.
_NOT_YAML_PRINTABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def quote_scalar(value: str) -> str:
    """A YAML double-quoted scalar for ``value`` that reads back as ``value``.

    A JSON string is a valid YAML double-quoted scalar once the characters YAML does not allow
    raw (JSON escapes only the C0 controls) are escaped too.
    """
    quoted = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


_TAG_START_RE = re.compile(r"<(?=[A-Za-z!/?])")


def inert_markup(value: str) -> str:
    """A translated front matter value that no site generator can take for markup.

    Jekyll's ``{{ page.title }}`` and many themes print front matter values unescaped: a "<"
    that starts a tag (``<script>``, ``<img onerror=...>``) becomes ``&lt;``, which reads as
    "<" there. Everything else stays as the translator wrote it ("Ben & Jerry", "3 < 4").
    """
    return _TAG_START_RE.sub("&lt;", value)


_INERT_TAG_START_RE = re.compile(r"&lt;(?=[A-Za-z!/?])")


def undo_inert_markup(value: Any) -> Any:
    """``value`` (a front matter value, or a list or mapping of them) as the translator wrote
    it, for a page that escapes it itself."""
    if isinstance(value, str):
        return _INERT_TAG_START_RE.sub("<", value)
    if isinstance(value, list):
        return [undo_inert_markup(v) for v in value]
    if isinstance(value, dict):
        return {k: undo_inert_markup(v) for k, v in value.items()}
    return value


def join_front_matter(metadata: dict[str, Any], body: str) -> str:
    """Front matter and body as the text of a release (``content/<slug>.md``).

    Written with pyyaml so that it reads back with ``yaml.safe_load`` as ``metadata``; values stay
    on one line however long (a translator's editor shows each key once).
    """
    front = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, width=1_000_000) if metadata else ""
    body = body.strip("\n")
    return f"---\n{front}---\n\n{body}\n" if body else f"---\n{front}---\n"


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """The front matter's data and the body after it; ``({}, text)`` without front matter.

    Unlike the Markdown format, which reads an unclosed or non-mapping block as a thematic
    break, this refuses them: it is for checking a release (ingest), not for translating one.
    """
    block = find_front_matter(text)
    if block is None:
        if _OPENING_RE.match(text):
            raise DocumentError(
                where, "the front matter (after the first ---) is never closed", "end it with a line ---"
            )
        return {}, text
    metadata, _ = parse_front_matter(block.yaml, where)
    return dict(metadata), text[block.end :]
