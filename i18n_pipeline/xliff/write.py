"""XLIFF export: one release in one language as an XLIFF 2.1 or 1.2 file (see the package)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from i18n_pipeline.catalog import MACHINE_PREFIX, MEMORY_PREFIX, Catalog
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.model import PLACEHOLDER_RE, Placeholder, State
from i18n_pipeline.segment import placeholders_match
from i18n_pipeline.xliff.common import NS_12, NS_20, NS_MDA, TOOL, XML_CHAR_RE, digest, unit_id
from i18n_pipeline.xmlsafe import XML_NS, local_name

__all__ = ["ExportUnit", "export_units", "xliff_bytes"]

_DATATYPES = {"markdown": "x-markdown", "html": "html", "text": "plaintext"}  # 1.2 file/@datatype
_SPACE = f"{{{XML_NS}}}space"


@dataclass(frozen=True)
class ExportUnit:
    """One PO entry as it goes out."""

    source: str
    context: str | None
    target: str  # "" for none
    state: State
    notes: tuple[str, ...] = ()  # the #. notes
    references: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()  # translator comments (the provenance of machine output)
    placeholders: tuple[Placeholder, ...] = ()  # the source markup each placeholder stands for

    @property
    def id(self) -> str:
        return unit_id(self.source, self.context)


def export_units(
    catalog: Catalog, states: Iterable[State], markup: Mapping[tuple[str | None, str], tuple[Placeholder, ...]]
) -> list[ExportUnit]:
    """The entries of ``catalog`` in ``states`` (plural entries aside: XLIFF has no plurals).

    ``markup`` maps (context, source) to the placeholders of the segment in the release, so
    the units can carry the original markup. A target whose placeholders differ from the
    source's goes out as a note, not as a target a CAT tool would reject.
    """
    wanted = set(states)
    units = []
    for entry in catalog.entries():
        if entry.state not in wanted or entry.source_plural is not None:
            continue
        target, comments = entry.target, entry.translator_comments
        if target and not placeholders_match(entry.source, target):
            comments = (*comments, f"earlier translation, its placeholders differ from the source's: {target}")
            target = ""
        units.append(ExportUnit(
            source=entry.source, context=entry.context, target=target, state=entry.state,
            notes=entry.notes, references=entry.references, comments=comments,
            placeholders=markup.get((entry.context, entry.source), ()),
        ))
    return units


def _tokens(text: str) -> list[str | tuple[str, str]]:
    """Text runs and placeholder tokens: ("open"|"close"|"standalone", number)."""
    out: list[str | tuple[str, str]] = []
    position = 0
    for m in PLACEHOLDER_RE.finditer(text):
        closing, number, empty = m.group(1), m.group(2), m.group(3)
        if closing and empty:
            continue  # "</3/>" is no placeholder: it stays text
        out.append(text[position : m.start()])
        out.append(("standalone" if empty else "close" if closing else "open", str(int(number))))
        position = m.end()
    out.append(text[position:])
    return [t for t in out if t != ""]


def _nested(tokens: Sequence[str | tuple[str, str]]) -> bool:
    stack: list[str] = []
    for token in tokens:
        if isinstance(token, tuple) and token[0] == "open":
            stack.append(token[1])
        elif isinstance(token, tuple) and token[0] == "close" and (not stack or stack.pop() != token[1]):
            return False
    return not stack


def _append_text(parent: Any, text: str, version: str, where: str) -> None:
    """Text at the end of ``parent``; characters XML cannot hold become 2.1 ``<cp>``."""
    from lxml import etree  # type: ignore[import-untyped]  # no lxml-stubs in the venv
    position = 0
    for m in XML_CHAR_RE.finditer(text):
        if version != "2.1":
            raise PipelineError(where, f"the text holds the control character U+{ord(m.group()):04X}, which XLIFF 1.2 "
                                "cannot carry", "export as XLIFF 2.1 (--version 2.1), or remove the character")
        _add_text(parent, text[position : m.start()])
        etree.SubElement(parent, f"{{{NS_20}}}cp", hex=f"{ord(m.group()):04X}")
        position = m.end()
    _add_text(parent, text[position:])


def _add_text(parent: Any, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_CTYPES = (("link", "link"), ("bold", "bold"), ("emphasis", "italic"), ("image", "image"),
           ("line break", "lb"), ("URL", "x-url"), ("e-mail", "x-email"), ("code", "x-code"),
           ("HTML", "x-html"))
_TYPES_20 = {"link": "link", "bold": "fmt", "italic": "fmt", "image": "image", "lb": "fmt", "x-html": "fmt"}


def _ctype(placeholder: Placeholder | None) -> str | None:
    note = placeholder.note if placeholder is not None else ""
    return next((ctype for start, ctype in _CTYPES if note.startswith(start)), None)


def _inline(parent: Any, text: str, version: str, known: dict[str, Placeholder], where: str) -> None:
    """Fill ``<source>``/``<target>`` with ``text``, placeholders as inline codes."""
    from lxml import etree
    tokens = _tokens(text)
    nested = _nested(tokens)
    stack = [parent]
    ns = NS_20 if version == "2.1" else NS_12
    for token in tokens:
        if isinstance(token, str):
            _append_text(stack[-1], token, version, where)
            continue
        kind, n = token
        ph = known.get(n)
        ctype = _ctype(ph)
        attrs: dict[str, str] = {}
        if version == "2.1":
            code_type = _TYPES_20.get(ctype or "")
            if kind == "standalone":
                attrs = {"id": n, **({"dataRef": f"d{n}"} if ph else {}), **({"disp": ph.note} if ph and ph.note else {})}
                tag = "ph"
            elif kind == "open" and nested:
                attrs = {"id": n, **({"dataRefStart": f"d{n}s", "dataRefEnd": f"d{n}e"} if ph else {})}
                tag = "pc"
            elif kind == "open":
                attrs, tag = {"id": n, **({"dataRef": f"d{n}s"} if ph else {})}, "sc"
            elif nested:
                stack.pop()
                continue
            else:
                attrs, tag = {"startRef": n, **({"dataRef": f"d{n}e"} if ph else {})}, "ec"
            if code_type and tag in ("ph", "pc", "sc"):
                attrs["type"] = code_type
        else:
            if kind == "standalone":
                attrs, tag = {"id": n, **({"equiv-text": ph.note} if ph and ph.note else {})}, "x"
            elif kind == "open" and nested:
                attrs, tag = {"id": n}, "g"
            elif kind == "open":
                attrs, tag = {"id": f"{n}s", "rid": n}, "bx"
            elif nested:
                stack.pop()
                continue
            else:
                attrs, tag = {"id": f"{n}e", "rid": n}, "ex"
            if ctype and tag in ("x", "g", "bx") and (tag != "x" or ctype in ("image", "lb") or ctype.startswith("x-")):
                attrs["ctype"] = ctype
        element = etree.SubElement(stack[-1], f"{{{ns}}}{tag}", attrs)
        if tag == "pc" or (tag == "g" and kind == "open"):
            stack.append(element)


def _notes_of(unit: ExportUnit) -> list[tuple[str, str]]:
    """(category, text) of every note: developer (#.), location (#:), translator (#)."""
    return ([("developer", n) for n in unit.notes] + [("location", r) for r in unit.references]
            + [("translator", c) for c in unit.comments])


def _sub(parent: Any, ns: str, tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> Any:
    from lxml import etree
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs or {})
    if text is not None:
        element.text = XML_CHAR_RE.sub("\ufffd", text)  # notes only: a control character is shown as �
    return element


def _unit_20(body: Any, unit: ExportUnit, where: str) -> None:
    element = _sub(body, NS_20, "unit", {"id": unit.id, **({"name": unit.context} if unit.context is not None else {})})
    meta = _sub(_sub(element, NS_MDA, "metadata"), NS_MDA, "metaGroup", {"category": TOOL})
    _sub(meta, NS_MDA, "meta", {"type": "po-state"}, unit.state.value)
    _sub(meta, NS_MDA, "meta", {"type": "po-target"}, digest(unit.target))
    notes = _notes_of(unit)
    if notes:
        holder = _sub(element, NS_20, "notes")
        for category, text in notes:
            _sub(holder, NS_20, "note", {"category": category}, text)
    known = {str(p.number): p for p in unit.placeholders}
    if known:
        data = _sub(element, NS_20, "originalData")
        for p in unit.placeholders:
            for suffix, markup in ((("s", p.opening), ("e", p.closing)) if p.paired else (("", p.opening),)):
                item = _sub(data, NS_20, "data", {"id": f"d{p.number}{suffix}"})
                _append_text(item, markup, "2.1", where)
    state = "final" if unit.state is State.REVIEWED else "initial"
    segment = _sub(element, NS_20, "segment", {"state": state})
    if unit.state is not State.REVIEWED:
        segment.set("subState", f"{TOOL}:{unit.state.value.replace('_', '-')}")
    _inline(_sub(segment, NS_20, "source"), unit.source, "2.1", known, where)
    if unit.target:
        _inline(_sub(segment, NS_20, "target"), unit.target, "2.1", known, where)


def _unit_12(body: Any, unit: ExportUnit, where: str) -> None:
    attrs = {"id": unit.id, "extradata": f"{TOOL} po-state={unit.state.value} po-target={digest(unit.target)}"}
    if unit.context is not None:
        attrs["resname"] = unit.context
    if unit.state is State.REVIEWED:
        attrs["approved"] = "yes"
    element = _sub(body, NS_12, "trans-unit", attrs)
    known = {str(p.number): p for p in unit.placeholders}
    _inline(_sub(element, NS_12, "source"), unit.source, "1.2", known, where)
    if unit.target:
        target = _sub(element, NS_12, "target")
        if unit.state is State.REVIEWED:
            target.set("state", "final")
        else:
            target.set("state", "needs-review-translation")
            machine = any(c.startswith(MACHINE_PREFIX) for c in unit.comments)
            memory = any(c.startswith(MEMORY_PREFIX) for c in unit.comments)
            qualifier = "fuzzy-match" if unit.state is State.NEEDS_UPDATE else "leveraged-mt" if machine else (
                "leveraged-tm" if memory else None)
            if qualifier:
                target.set("state-qualifier", qualifier)
        _inline(target, unit.target, "1.2", known, where)
    for category, text in _notes_of(unit):
        _sub(element, NS_12, "note", {"from": category}, text)


def _indent(element: Any, level: int = 0) -> None:
    """Indent the structure, never the inside of a text (source, target, data, note, meta)."""
    if local_name(element) in ("source", "target", "data", "note", "meta"):
        return
    children = list(element)
    if not children:
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in children:
        _indent(child, level + 1)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level


def xliff_bytes(
    units: Sequence[ExportUnit], *, version: str, release: str, original: str, document_format: str,
    source_language: str, target_language: str, tool_version: str, where: str,
) -> bytes:
    """One release in one language as an XLIFF file (UTF-8); ``where`` names it in errors."""
    from lxml import etree
    if version == "2.1":
        root = etree.Element(f"{{{NS_20}}}xliff", {"version": "2.1", "srcLang": source_language, "trgLang": target_language},
                             nsmap={None: NS_20, "mda": NS_MDA})
        body = _sub(root, NS_20, "file", {"id": release, "original": original, "canResegment": "no", _SPACE: "preserve"})
        for unit in units:
            _unit_20(body, unit, where)
    elif version == "1.2":
        root = etree.Element(f"{{{NS_12}}}xliff", {"version": "1.2"}, nsmap={None: NS_12})
        file = _sub(root, NS_12, "file", {
            "original": original, "source-language": source_language, "target-language": target_language,
            "datatype": _DATATYPES.get(document_format, "plaintext"), "tool-id": TOOL, _SPACE: "preserve",
        })
        _sub(_sub(file, NS_12, "header"), NS_12, "tool", {"tool-id": TOOL, "tool-name": TOOL, "tool-version": tool_version})
        body = _sub(file, NS_12, "body")
        for unit in units:
            _unit_12(body, unit, where)
    else:
        raise PipelineError(f"version {version!r}", "not an XLIFF version this tool writes", "use 2.1 or 1.2")
    _indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + bytes(etree.tostring(root, encoding="UTF-8")) + b"\n"
