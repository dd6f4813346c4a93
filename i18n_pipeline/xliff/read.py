"""XLIFF import, reading: the releases of an XLIFF 1.2 or 2.x file, checked (see the package)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from i18n_pipeline.xliff.common import NS_11, NS_12, NS_20, NS_MDA, TOOL
from i18n_pipeline.xmlsafe import local_name, namespace_of, parse_xml, xml_error

__all__ = ["UnitTranslation", "XliffRelease", "read_xliff"]

_REVIEWED_20 = {"reviewed", "final"}
_REVIEWED_12 = {"final", "signed-off"}


@dataclass(frozen=True)
class UnitTranslation:
    """One unit as it came back."""

    id: str
    source: str
    target: str | None  # None: no target
    reviewed: bool
    state: str  # as the file writes it, for messages
    line: int
    exported_target: str | None = None  # digest of the target we exported (None: not recorded)
    problem: str | None = None  # why it cannot be read (an inline code we cannot map back)


@dataclass(frozen=True)
class XliffRelease:
    """One ``<file>`` of an XLIFF document: one release in one language."""

    path: str
    version: str
    original: str
    release: str
    source_language: str
    target_language: str
    units: tuple[UnitTranslation, ...]
    line: int = 0


class _CodeError(Exception):
    pass


def read_xliff(data: bytes, path: str) -> list[XliffRelease]:
    """The releases of an XLIFF 1.2 or 2.x document, checked for namespace, version and required
    attributes; raises PipelineError naming the file and line of the first problem."""
    root = parse_xml(data, path, "XLIFF")
    ns, name = namespace_of(root), local_name(root)
    if name != "xliff":
        raise xml_error(path, root.sourceline, f"the root element is <{name}>, not <xliff>", "give an XLIFF file")
    version = root.get("version", "")
    if ns == NS_20 and version in ("2.0", "2.1"):
        return _read_20(root, path, version)
    if ns in (NS_12, NS_11) and version in ("1.2", "1.1"):
        return _read_12(root, path, version)
    raise xml_error(
        path, root.sourceline, f"XLIFF version {version or '(none)'} in namespace {ns or '(none)'} is not supported",
        f"export XLIFF 2.1 (namespace {NS_20}) or 1.2 (namespace {NS_12}) from the CAT tool",
    )


def _required(element: Any, attribute: str, path: str) -> str:
    value = element.get(attribute)
    if not value:
        raise xml_error(path, element.sourceline, f"<{local_name(element)}> has no {attribute} attribute",
                        "the XLIFF specification requires it; export the file again from the CAT tool")
    return str(value)


def _release_of(original: str) -> str:
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def _read_20(root: Any, path: str, version: str) -> list[XliffRelease]:
    source_language = _required(root, "srcLang", path)
    target_language = root.get("trgLang", "")
    out = []
    for file in root.iterchildren(f"{{{NS_20}}}file"):
        file_id = _required(file, "id", path)
        original = file.get("original") or file_id
        units = tuple(_unit_from_20(unit, path) for unit in file.iter(f"{{{NS_20}}}unit"))
        out.append(XliffRelease(path, version, original, _release_of(original), source_language,
                                target_language, units, file.sourceline or 0))
    return out


def _meta(unit: Any, kind: str) -> str | None:
    for meta in unit.iterchildren(f"{{{NS_MDA}}}metadata"):
        for group in meta.iter(f"{{{NS_MDA}}}metaGroup"):
            if group.get("category") == TOOL:
                for item in group.iterchildren(f"{{{NS_MDA}}}meta"):
                    if item.get("type") == kind:
                        return str(item.text or "")
    return None


def _unit_from_20(unit: Any, path: str) -> UnitTranslation:
    uid = _required(unit, "id", path)
    sources: list[str] = []
    targets: list[str] = []
    states: list[str] = []
    has_target = False
    problem = None
    parts = [p for p in unit if local_name(p) in ("segment", "ignorable") and namespace_of(p) == NS_20]
    if not any(local_name(p) == "segment" for p in parts):
        raise xml_error(path, unit.sourceline, f"unit {uid} has no <segment>", "each <unit> needs a <segment>")
    for part in parts:
        source = part.find(f"{{{NS_20}}}source")
        if source is None:
            raise xml_error(path, part.sourceline, f"a <{local_name(part)}> of unit {uid} has no <source>",
                            "each segment needs its <source>")
        target = part.find(f"{{{NS_20}}}target")
        try:
            sources.append(_text_20(source, {}))
            if target is not None:
                has_target = True
                targets.append(_text_20(target, {}))
            elif local_name(part) == "ignorable":
                targets.append(sources[-1])  # white space between segments stays
        except _CodeError as error:
            problem = str(error)
        if local_name(part) == "segment":
            states.append(part.get("state", "initial"))
    reviewed = bool(states) and all(s in _REVIEWED_20 for s in states)
    state = states[0] if len(set(states)) == 1 else "/".join(states)
    return UnitTranslation(uid, "".join(sources), "".join(targets) if has_target else None, reviewed, state,
                           unit.sourceline or 0, _meta(unit, "po-target"), problem)


def _number(element: Any, attribute: str) -> str:
    value = element.get(attribute) or ""
    m = re.fullmatch(r"d?(\d+)[se]?", value)
    if m is None:
        raise _CodeError(f"the inline code <{local_name(element)} {attribute}=\"{value}\"> was not in the export")
    return str(int(m.group(1)))


def _text_20(element: Any, open_codes: dict[str, str]) -> str:
    out = [element.text or ""]
    for child in element:
        name = local_name(child) if namespace_of(child) == NS_20 else ""
        if name == "pc":
            n = _number(child, "id")
            out.append(f"<{n}>{_text_20(child, open_codes)}</{n}>")
        elif name == "ph":
            out.append(f"<{_number(child, 'id')}/>")
        elif name == "sc":
            n = _number(child, "id")
            open_codes[str(child.get("id"))] = n
            out.append(f"<{n}>")
        elif name == "ec":
            ref = child.get("startRef")
            out.append(f"</{open_codes.get(ref, '') or _number(child, 'startRef' if ref else 'id')}>")
        elif name == "cp":
            try:
                out.append(chr(int(child.get("hex", ""), 16)))
            except ValueError:
                raise _CodeError(f"<cp hex=\"{child.get('hex')}\"> is not a character") from None
        elif name == "mrk":  # an annotation (a term, a comment): its text counts
            out.append(_text_20(child, open_codes))
        elif name not in ("sm", "em"):
            raise _CodeError(f"<{local_name(child)}> is not an inline element of XLIFF 2")
        out.append(child.tail or "")
    return "".join(out)


def _read_12(root: Any, path: str, version: str) -> list[XliffRelease]:
    ns = namespace_of(root)
    out = []
    for file in root.iterchildren(f"{{{ns}}}file"):
        original = _required(file, "original", path)
        source_language = _required(file, "source-language", path)
        _required(file, "datatype", path)
        units = tuple(_unit_from_12(unit, path, ns) for unit in file.iter(f"{{{ns}}}trans-unit"))
        out.append(XliffRelease(path, version, original, _release_of(original), source_language,
                                file.get("target-language", ""), units, file.sourceline or 0))
    return out


def _unit_from_12(unit: Any, path: str, ns: str) -> UnitTranslation:
    uid = _required(unit, "id", path)
    source = unit.find(f"{{{ns}}}source")
    if source is None:
        raise xml_error(path, unit.sourceline, f"trans-unit {uid} has no <source>", "each <trans-unit> needs its <source>")
    target = unit.find(f"{{{ns}}}target")
    problem = None
    source_text, target_text = "", None
    try:
        source_text = _text_12(source, ns, {})
        target_text = _text_12(target, ns, {}) if target is not None else None
    except _CodeError as error:
        problem = str(error)
    state = target.get("state", "") if target is not None else ""
    approved = unit.get("approved") == "yes"
    reviewed = state in _REVIEWED_12 or (approved and not state)
    extradata = unit.get("extradata", "")
    found = re.search(r"\bpo-target=(\w+)", extradata) if extradata.startswith(TOOL) else None
    return UnitTranslation(uid, source_text, target_text, reviewed, state or ("approved" if approved else "(none)"),
                           unit.sourceline or 0, found.group(1) if found else None, problem)


def _text_12(element: Any, ns: str, open_codes: dict[str, str]) -> str:
    out = [element.text or ""]
    for child in element:
        name = local_name(child) if namespace_of(child) == ns else ""
        if name == "g":
            n = _number(child, "id")
            out.append(f"<{n}>{_text_12(child, ns, open_codes)}</{n}>")
        elif name in ("x", "ph", "it"):
            out.append(f"<{_number(child, 'id')}/>")
        elif name in ("bx", "bpt"):
            n = _number(child, "rid" if child.get("rid") else "id")
            open_codes[child.get("rid") or child.get("id") or ""] = n
            out.append(f"<{n}>")
        elif name in ("ex", "ept"):
            ref = child.get("rid") or child.get("id") or ""
            out.append(f"</{open_codes.get(ref) or _number(child, 'rid' if child.get('rid') else 'id')}>")
        elif name == "mrk":  # a segment or term marker (seg-source, memoQ, Trados): its text counts
            out.append(_text_12(child, ns, open_codes))
        else:
            raise _CodeError(f"<{local_name(child)}> is not an inline element of XLIFF 1.2")
        out.append(child.tail or "")
    return "".join(out)
