"""What the OASIS specifications require of an XLIFF file, checked by hand (the XSDs cannot be
downloaded here): namespaces, the elements each element may hold, required attributes, the
values of enumerated attributes and the references between inline codes and original data.

XLIFF 2.1: https://docs.oasis-open.org/xliff/xliff-core/v2.1/os/xliff-core-v2.1-os.html (core
and the Metadata module). XLIFF 1.2: https://docs.oasis-open.org/xliff/v1.2/os/xliff-core.html
(the strict schema's value lists).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

NS_20 = "urn:oasis:names:tc:xliff:document:2.0"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_INLINE_20 = {"cp", "ph", "pc", "sc", "ec", "mrk", "sm", "em"}
# element -> (required attributes, optional attributes, children allowed)
_CORE_20: dict[str, tuple[set[str], set[str], set[str]]] = {
    "xliff": ({"version", "srcLang"}, {"trgLang", "xml:space"}, {"file"}),
    "file": ({"id"}, {"canResegment", "original", "translate", "srcDir", "trgDir", "xml:space"},
             {"skeleton", "notes", "unit", "group", "mda:metadata"}),
    "unit": ({"id"}, {"name", "canResegment", "translate", "srcDir", "trgDir", "xml:space", "type"},
             {"mda:metadata", "notes", "originalData", "segment", "ignorable"}),
    "notes": (set(), set(), {"note"}),
    "note": (set(), {"id", "appliesTo", "category", "priority"}, set()),
    "originalData": (set(), set(), {"data"}),
    "data": ({"id"}, {"dir", "xml:space"}, {"cp"}),
    "segment": (set(), {"id", "canResegment", "state", "subState"}, {"source", "target"}),
    "ignorable": (set(), {"id"}, {"source", "target"}),
    "source": (set(), {"xml:lang", "xml:space"}, _INLINE_20),
    "target": (set(), {"xml:lang", "xml:space", "order"}, _INLINE_20),
    "ph": ({"id"}, {"canCopy", "canDelete", "canReorder", "copyOf", "disp", "equiv", "dataRef", "subFlows",
                    "subType", "type"}, set()),
    "pc": ({"id"}, {"canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dispEnd", "dispStart",
                    "equivEnd", "equivStart", "dataRefEnd", "dataRefStart", "subFlowsEnd", "subFlowsStart",
                    "subType", "type", "dir"}, _INLINE_20),
    "sc": ({"id"}, {"canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dataRef", "dir", "disp",
                    "equiv", "isolated", "subFlows", "subType", "type"}, set()),
    "ec": (set(), {"id", "startRef", "canCopy", "canDelete", "canOverlap", "canReorder", "copyOf", "dataRef",
                   "dir", "disp", "equiv", "isolated", "subFlows", "subType", "type"}, set()),
    "cp": ({"hex"}, set(), set()),
    "mda:metadata": (set(), {"id"}, {"mda:metaGroup"}),
    "mda:metaGroup": (set(), {"id", "category", "appliesTo"}, {"mda:metaGroup", "mda:meta"}),
    "mda:meta": ({"type"}, set(), set()),
}
_VALUES_20 = {
    "state": {"initial", "translated", "reviewed", "final"},
    "type": {"fmt", "ui", "quote", "link", "image", "other"},
    "canResegment": {"yes", "no"},
    "xml:space": {"default", "preserve"},
}

# Modules (other namespaces) come first, then notes, original data and the content (core XSD).
_ORDER_20 = {
    "file": ["skeleton", "mda:metadata", "notes", "unit"],
    "unit": ["mda:metadata", "notes", "originalData", "segment"],
    "segment": ["source", "target"],
}

_INLINE_12 = {"g", "x", "bx", "ex", "ph", "bpt", "ept", "it", "mrk"}
_CORE_12: dict[str, tuple[set[str], set[str], set[str]]] = {
    "xliff": ({"version"}, {"xml:lang"}, {"file"}),
    "file": ({"original", "source-language", "datatype"}, {"target-language", "tool-id", "date", "xml:space",
             "category", "product-name", "product-version", "build-num"}, {"header", "body"}),
    "header": (set(), set(), {"tool", "note", "skl", "phase-group", "glossary", "reference", "count-group"}),
    "tool": ({"tool-id", "tool-name"}, {"tool-version", "tool-company"}, set()),
    "body": (set(), set(), {"trans-unit", "group", "bin-unit"}),
    "trans-unit": ({"id"}, {"approved", "translate", "resname", "restype", "extradata", "extype", "xml:space",
                   "datatype", "phase-name"}, {"source", "target", "note", "context-group", "alt-trans"}),
    "source": (set(), {"xml:lang"}, _INLINE_12),
    "target": (set(), {"state", "state-qualifier", "xml:lang", "phase-name", "resname"}, _INLINE_12),
    "note": (set(), {"xml:lang", "priority", "from", "annotates"}, set()),
    "g": ({"id"}, {"ctype", "clone", "xid", "equiv-text"}, _INLINE_12),
    "x": ({"id"}, {"ctype", "clone", "xid", "equiv-text"}, set()),
    "bx": ({"id"}, {"rid", "ctype", "clone", "xid", "equiv-text"}, set()),
    "ex": ({"id"}, {"rid", "xid", "equiv-text"}, set()),
}
_STATES_12 = {"final", "needs-adaptation", "needs-l10n", "needs-review-adaptation", "needs-review-l10n",
              "needs-review-translation", "needs-translation", "new", "signed-off", "translated"}
_QUALIFIERS_12 = {"exact-match", "fuzzy-match", "id-match", "leveraged-glossary", "leveraged-inherited",
                  "leveraged-mt", "leveraged-repository", "leveraged-tm", "mt-suggestion", "rejected-grammar",
                  "rejected-inaccurate", "rejected-length", "rejected-spelling", "tm-suggestion"}
_CTYPES_12 = {"g": {"bold", "italic", "underlined", "link"}, "bx": {"bold", "italic", "underlined", "link"},
              "x": {"image", "pb", "lb"}}
_DATATYPES_12 = {"html", "plaintext", "xml", "xhtml", "po"}  # the ones a release may be; x-… are allowed too
_NMTOKEN = re.compile(r"^[\w.:-]+$")


def _name(element: Any, prefixes: dict[str, str]) -> str:
    tag = element.tag
    ns, local = tag[1:].split("}") if tag.startswith("{") else ("", tag)
    prefix = prefixes.get(ns)
    assert prefix is not None, f"line {element.sourceline}: <{local}> in the foreign namespace {ns!r}"
    return f"{prefix}:{local}" if prefix else local


def _attributes(element: Any) -> dict[str, str]:
    out = {}
    for key, value in element.attrib.items():
        out["xml:" + key.split("}")[1] if key.startswith(f"{{{XML_NS}}}") else key] = value
    return out


def _check_element(element: Any, model: dict[str, tuple[set[str], set[str], set[str]]], name: str) -> dict[str, str]:
    required, optional, _children = model[name]
    attrs = _attributes(element)
    missing = required - set(attrs)
    assert not missing, f"line {element.sourceline}: <{name}> lacks {sorted(missing)}"
    unknown = set(attrs) - required - optional
    assert not unknown, f"line {element.sourceline}: <{name}> has attributes {sorted(unknown)} the specification does not define"
    return attrs


def check_xliff_21(data: bytes) -> Any:
    """Assert the rules of XLIFF 2.1 (core + Metadata module) on ``data``; returns the root."""
    root = etree.fromstring(data)
    assert root.tag == f"{{{NS_20}}}xliff" and root.get("version") == "2.1"
    prefixes = {NS_20: "", NS_MDA: "mda"}
    has_target = False
    for element in root.iter():
        name = _name(element, prefixes)
        attrs = _check_element(element, _CORE_20, name)
        for child in element:
            child_name = _name(child, prefixes)
            assert child_name in _CORE_20[name][2], f"line {child.sourceline}: <{child_name}> is not allowed in <{name}>"
        for key, allowed in _VALUES_20.items():
            if key in attrs and (key != "type" or name in ("ph", "pc", "sc", "ec")):
                assert attrs[key] in allowed, f"line {element.sourceline}: {key}={attrs[key]!r}"
        if "subState" in attrs:
            assert "state" in attrs and re.fullmatch(r"[\w.-]+:.+", attrs["subState"]), "subState needs state, prefix:value"
        if "id" in attrs and name in ("file", "unit", "data", "ph", "pc", "sc"):
            assert _NMTOKEN.match(attrs["id"]), f"line {element.sourceline}: id {attrs['id']!r} is not an NMTOKEN"
        if name == "ec":
            assert "startRef" in attrs or ("id" in attrs and attrs.get("isolated") == "yes")
        if name in ("target",):
            has_target = True
        if name in _ORDER_20:
            ranks = [_ORDER_20[name].index(_name(c, prefixes)) for c in element]
            assert ranks == sorted(ranks), f"line {element.sourceline}: the children of <{name}> are out of order"
        if name == "unit":
            _check_unit_codes(element)
    assert not has_target or root.get("trgLang"), "trgLang is required when the document holds targets"
    for file in root:
        ids = [u.get("id") for u in file.iter(f"{{{NS_20}}}unit")]
        assert len(ids) == len(set(ids)), "unit ids are unique within a file"
    return root


def _check_unit_codes(unit: Any) -> None:
    data_ids = {d.get("id") for d in unit.iter(f"{{{NS_20}}}data")}
    for side in ("source", "target"):
        ids: list[str] = []
        for element in unit.iter(f"{{{NS_20}}}{side}"):
            for code in element.iter():
                for ref in ("dataRef", "dataRefStart", "dataRefEnd"):
                    if code.get(ref) is not None:
                        assert code.get(ref) in data_ids, f"line {code.sourceline}: {ref}={code.get(ref)!r} names no <data>"
                if code.tag in (f"{{{NS_20}}}{t}" for t in ("ph", "pc", "sc")):
                    ids.append(code.get("id"))
        assert len(ids) == len(set(ids)), f"line {unit.sourceline}: inline code ids repeat in a {side}"
        if side == "source":
            source_ids = set(ids)
        else:
            assert set(ids) <= source_ids, f"line {unit.sourceline}: the target has codes the source has not"


def check_xliff_12(data: bytes) -> Any:
    """Assert the rules of XLIFF 1.2 (strict) on ``data``; returns the root."""
    root = etree.fromstring(data)
    assert root.tag == f"{{{NS_12}}}xliff" and root.get("version") == "1.2"
    prefixes = {NS_12: ""}
    for element in root.iter():
        name = _name(element, prefixes)
        attrs = _check_element(element, _CORE_12, name)
        for child in element:
            child_name = _name(child, prefixes)
            assert child_name in _CORE_12[name][2], f"line {child.sourceline}: <{child_name}> is not allowed in <{name}>"
        if name == "target":
            assert attrs.get("state", "new") in _STATES_12
            assert attrs.get("state-qualifier", "exact-match") in _QUALIFIERS_12
        if name in _CTYPES_12 and "ctype" in attrs:
            assert attrs["ctype"] in _CTYPES_12[name] or attrs["ctype"].startswith("x-"), attrs["ctype"]
        if name == "file":
            assert attrs["datatype"] in _DATATYPES_12 or attrs["datatype"].startswith("x-")
        if name == "trans-unit":
            children = [_name(c, prefixes) for c in element]
            assert children[0] == "source" and children.count("source") == 1 and children.count("target") <= 1
            assert attrs.get("approved", "no") in ("yes", "no")
    for file in root:
        ids = [u.get("id") for u in file.iter(f"{{{NS_12}}}trans-unit")]
        assert len(ids) == len(set(ids)), "trans-unit ids are unique within a file"
    return root
