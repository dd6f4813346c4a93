"""TMX 1.4: ``read_tmx`` and ``write_tmx`` (1.1–1.3 are read too).

A TMX file is a list of translation units (``<tu>``), each a sentence in several languages
(``<tuv>``). We read it into :class:`TranslationUnit` objects (a source and its translations,
each with the origin it came from) and write the same shape back. Inline elements become our
numbered placeholders and back: ``<bpt>/<ept>`` and ``<hi>`` -> ``<n>…</n>``; ``<ph>``, ``<it>``,
``<ut>`` -> ``<n/>``. Errors name the file and line, and say how to fix them.

Parsing is hardened: no DTD, no entity expansion, no network (XXE and entity bombs are
refused, with the line of the entity reference).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.files import atomic_stream
from i18n_pipeline.languages import base_language
from i18n_pipeline.model import PLACEHOLDER_RE
from i18n_pipeline.xmlsafe import parse_xml, xml_error

__all__ = ["ALL_LANGUAGES", "ORIGIN_PROP", "Translation", "TranslationUnit", "check_languages", "read_tmx", "write_tmx"]

log = logging.getLogger(__name__)

TOOL_NAME = "i18n-pipeline"
ORIGIN_PROP = "x-origin"  # TMX <prop type> that carries our origin through export/import
ALL_LANGUAGES = "*all*"  # srclang of a file whose units have different source languages

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_INLINE_TAGS = frozenset({"bpt", "ept", "it", "ph", "hi", "ut"})


@dataclass(frozen=True)
class Translation:
    """One target-language variant of a unit and where it came from."""

    language: str  # the tag as the file writes it ("es-MX")
    text: str  # inline elements as placeholders
    origin: str  # e.g. "release seed-2011 (reviewed)", "memory.tmx (working title)"


@dataclass(frozen=True)
class TranslationUnit:
    """One ``<tu>``: a source text in its language and its translations."""

    language: str  # the source's tag as the file writes it
    source: str
    translations: tuple[Translation, ...]


# -- reading ----------------------------------------------------------------------------------


def check_languages(units: list[TranslationUnit], source: str, targets: tuple[str, ...] | list[str], where: str) -> None:
    """A memory with no unit from ``source`` into one of ``targets`` translates nothing of the
    project: a mistake (another project's file), not an import."""
    wanted = {(base_language(source), base_language(t)) for t in targets}
    found = {(base_language(u.language), base_language(t.language)) for u in units for t in u.translations}
    if units and not wanted & found:
        has = ", ".join(f"{a}→{b}" for a, b in sorted(found))
        raise PipelineError(
            where,
            f"no translation unit from {source} into {' or '.join(targets)} (the file has {has})",
            "export the memory with the project's languages",
        )


def read_tmx(path: Path) -> list[TranslationUnit]:
    """The translation units of a TMX file that have a source and at least one translation.

    Every target ``<tuv>`` of a ``<tu>`` is paired with the source-language one (``srclang``
    of the unit or the header; with ``*all*``, the first ``<tuv>``); a unit without a variant
    in its source language is skipped with a warning. Placeholders are numbered by the inline
    elements' ``x`` attribute where present. The origin of a translation is the unit's
    ``x-origin`` property (our own exports) or the file name followed by the target
    ``<tuv>``'s notes, e.g. "memory.tmx (working title of the organisation, not official)".
    Raises PipelineError naming the file and line of the first problem.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise xml_error(str(path), None, f"cannot read the file ({error})",
                         "check the path and permissions") from error
    root = parse_xml(data, str(path), "TMX")
    if root.tag != "tmx":
        raise xml_error(str(path), root.sourceline, f"root element is <{root.tag}>, not <tmx>",
                         "give a TMX file (root element <tmx version=\"1.4\">)")
    version = root.get("version", "1.4")
    if not version.startswith("1."):
        raise xml_error(str(path), root.sourceline, f"TMX version {version!r} is not supported",
                         "export the memory as TMX 1.4")
    header = root.find("header")
    body = root.find("body")
    if header is None or body is None:
        raise xml_error(str(path), root.sourceline, "<tmx> needs a <header> and a <body>",
                         "add the missing element (see the TMX 1.4 specification)")
    header_srclang = header.get("srclang")
    if not header_srclang:
        raise xml_error(str(path), header.sourceline, "<header> has no srclang attribute",
                         "add srclang=\"en\" (the source language) to <header>")
    units = [_read_tu(path, tu, tu.get("srclang", header_srclang)) for tu in body.iterfind("tu")]
    return [unit for unit in units if unit is not None]


def _read_tu(path: Path, tu: Any, srclang: str) -> TranslationUnit | None:
    variants: list[tuple[str, str, list[str]]] = []  # tag, text, notes
    for tuv in tu.iterfind("tuv"):
        tag = tuv.get(_XML_LANG) or tuv.get("lang")
        if not tag:
            raise xml_error(str(path), tuv.sourceline, "<tuv> has no xml:lang attribute",
                             "add xml:lang=\"es\" (its language) to the <tuv>")
        _check_language(path, tuv.sourceline, tag)
        seg = tuv.find("seg")
        if seg is None:
            raise xml_error(str(path), tuv.sourceline, "<tuv> has no <seg>",
                             "put the text of this variant in a <seg> element")
        variants.append((tag, _seg_text(path, seg), _notes(tuv)))
    if not variants:
        return None
    if srclang == ALL_LANGUAGES:
        source_index = 0
    else:
        base = _check_language(path, tu.sourceline, srclang)
        source_index = next((i for i, (tag, _t, _n) in enumerate(variants)
                             if base_language(tag) == base), -1)
        if source_index < 0:
            log.warning("%s:%s: <tu> has no <tuv> in its source language %s; skipped",
                        path, tu.sourceline, srclang)
            return None
    source_tag, source, _source_notes = variants[source_index]
    props = {prop.get("type"): (prop.text or "") for prop in tu.iterfind("prop")}
    targets = []
    for i, (tag, text, notes) in enumerate(variants):
        if i == source_index or not text:
            continue
        origin = props.get(ORIGIN_PROP)
        if not origin:  # a target's notes qualify its origin; the unit's notes describe it
            origin = path.name + (f" ({'; '.join(notes)})" if notes else "")
        targets.append(Translation(tag, text, origin))
    if not targets:
        return None
    return TranslationUnit(source_tag, source, tuple(targets))


def _check_language(path: Path, line: int | None, tag: str) -> str:
    try:
        return base_language(tag)
    except PipelineError as error:
        raise xml_error(str(path), line, error.what, error.fix) from error


def _notes(element: Any) -> list[str]:
    # White space inside a note is layout of the XML file, not meaning.
    return [" ".join((note.text or "").split()) for note in element.iterfind("note")
            if (note.text or "").strip()]


def _seg_text(path: Path, seg: Any) -> str:
    """The text of a <seg>, its inline elements turned into our placeholders."""
    used: set[int] = set()
    for element in seg.iter():
        if element is seg or not isinstance(element.tag, str):
            continue
        content = "".join(element.itertext())
        token = PLACEHOLDER_RE.fullmatch(content)
        if token:
            used.add(int(token.group(2)))
        elif element.get("x", "").isdigit():
            used.add(int(element.get("x")))
    numbering = _Numbering(used)
    return (seg.text or "") + "".join(_inline(path, child, numbering) for child in seg)


@dataclass
class _Numbering:
    used: set[int]
    next: int = 1
    pairs: dict[str, int] = field(default_factory=dict)  # bpt/ept "i" -> our number

    def fresh(self) -> int:
        while self.next in self.used:
            self.next += 1
        self.used.add(self.next)
        return self.next

    def number(self, element: Any) -> int:
        x = element.get("x", "")
        return int(x) if x.isdigit() else self.fresh()


def _inline(path: Path, element: Any, numbering: _Numbering) -> str:
    tail = element.tail or ""
    if not isinstance(element.tag, str):  # comments, processing instructions
        return tail
    tag = element.tag
    if tag not in _INLINE_TAGS:
        raise xml_error(
            str(path), element.sourceline, f"<{tag}> is not allowed inside <seg>",
            "TMX 1.4 allows only <bpt>, <ept>, <it>, <ph>, <hi> and <ut> in a segment",
        )
    content = "".join(element.itertext())
    if tag != "hi" and PLACEHOLDER_RE.fullmatch(content):
        return content + tail  # our own export: the placeholder travels as native code
    if tag == "hi":
        n = numbering.number(element)
        inner = (element.text or "") + "".join(_inline(path, c, numbering) for c in element)
        return f"<{n}>{inner}</{n}>" + tail
    if tag == "bpt":
        n = numbering.number(element)
        numbering.pairs[element.get("i", "")] = n
        return f"<{n}>" + tail
    if tag == "ept":
        n = numbering.pairs.pop(element.get("i", ""), 0) or numbering.number(element)
        return f"</{n}>" + tail
    return f"<{numbering.number(element)}/>" + tail  # ph, it, ut: a standalone placeholder


# -- writing ----------------------------------------------------------------------------------


def _segment_element(tag: str, text: str) -> Any:
    """A <seg> whose placeholders are TMX inline elements carrying the token as native code:
    paired <n>…</n> -> <bpt>/<ept>, <n/> -> <ph>, an unpaired <n> or </n> -> <it>."""
    from lxml import etree  # type: ignore[import-untyped]  # no lxml-stubs in the venv
    seg = etree.Element(tag)
    pieces: list[tuple[str, str]] = []  # (text before, token)
    kinds: list[tuple[str, dict[str, str]]] = []
    open_tokens: dict[str, list[int]] = defaultdict(list)
    position = 0
    pair_id = 0
    for token in PLACEHOLDER_RE.finditer(text):
        closing, number, empty = token.group(1), token.group(2), token.group(3)
        if closing and empty:
            continue  # "</3/>" is not a placeholder: it stays text
        pieces.append((text[position:token.start()], token.group(0)))
        position = token.end()
        x = str(int(number))
        if empty:
            kinds.append(("ph", {"x": x}))
        elif not closing:
            open_tokens[number].append(len(kinds))
            kinds.append(("it", {"pos": "begin", "x": x}))
        elif open_tokens[number]:
            start = open_tokens[number].pop()
            pair_id += 1
            kinds[start] = ("bpt", {"i": str(pair_id), "x": x})
            kinds.append(("ept", {"i": str(pair_id)}))
        else:
            kinds.append(("it", {"pos": "end", "x": x}))
    seg.text = pieces[0][0] if pieces else text
    for (_before, marker), (kind, attributes), following in zip(
        pieces, kinds, [p[0] for p in pieces[1:]] + [text[position:]], strict=False
    ):
        child = etree.SubElement(seg, kind, attributes)
        child.text = marker
        child.tail = following
    return seg


def _unit_element(unit: TranslationUnit, srclang: str) -> Any:
    from lxml import etree
    indent = "\n      "
    tu = etree.Element("tu")
    if srclang == ALL_LANGUAGES:
        tu.set("srclang", unit.language)
    tu.text = indent
    prop = etree.SubElement(tu, "prop", type=ORIGIN_PROP)
    prop.text = unit.translations[0].origin
    prop.tail = indent
    variants = [(unit.language, unit.source)] + [(t.language, t.text) for t in unit.translations]
    for number, (tag, text) in enumerate(variants):
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: tag})
        tuv.text = indent + "  "
        seg = _segment_element("seg", text)
        tuv.append(seg)
        seg.tail = indent
        tuv.tail = indent if number < len(variants) - 1 else "\n    "
    return tu


def write_tmx(
    path: Path, units: Iterable[TranslationUnit], *, tool_version: str, srclang: str | None = None
) -> int:
    """Write ``units`` as TMX 1.4, replacing ``path`` atomically; returns the units written.

    The translations of one unit share one origin, written as its ``<prop type="x-origin">``.
    ``srclang`` defaults to the units' source language, or ``*all*`` when they have several
    (each ``<tu>`` then names its own). The output has no dates, so it diffs well in git. A
    unit that XML cannot hold (control characters) is skipped with a warning.
    """
    units = list(units)
    for unit in units:
        if len({t.origin for t in unit.translations}) != 1:
            raise ValueError(f"write_tmx: the translations of {unit.source[:60]!r} need one origin")
    if srclang is None:
        tags = {unit.language for unit in units}
        srclang = next(iter(tags)) if len(tags) == 1 else ALL_LANGUAGES
    with atomic_stream(path) as stream:
        return _write_tmx_stream(stream, srclang, units, tool_version)


def _write_tmx_stream(stream: IO[bytes], srclang: str, units: list[TranslationUnit], version: str) -> int:
    from lxml import etree
    written = 0
    with etree.xmlfile(stream, encoding="UTF-8") as xf:
        xf.write_declaration()
        xf.write_doctype('<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
        with xf.element("tmx", version="1.4"):
            header = etree.Element("header", {
                "creationtool": TOOL_NAME,
                "creationtoolversion": version,
                "segtype": "sentence",
                "o-tmf": TOOL_NAME,
                "adminlang": "en",
                "srclang": srclang,
                "datatype": "plaintext",
            })
            xf.write("\n  ", header, "\n  ")
            with xf.element("body"):
                for unit in units:
                    try:
                        element = _unit_element(unit, srclang)
                    except ValueError as error:  # control characters cannot be written in XML
                        log.warning("TMX export: skipped %r (%s)", unit.source[:60], error)
                        continue
                    xf.write("\n    ", element)
                    written += 1
                xf.write("\n  ")
            xf.write("\n")
    stream.write(b"\n")
    return written
