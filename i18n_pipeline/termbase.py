"""Glossaries as terminologists exchange them: TBX and CSV, read into glossary terms and written
from them.

* **TBX**: version 2 (``<martif>``, ISO 30042:2008, as Trados MultiTerm and memoQ export it:
  ``termEntry`` / ``langSet`` / ``tig`` or ``ntig``/``termGrp``) and version 3 (``<tbx>``, ISO
  30042:2019: ``conceptEntry`` / ``langSec`` / ``termSec``, DCA style or DCT style) are read;
  TBX v3 in the TBX-Basic dialect is written. A term's ``administrativeStatus`` (or v2's
  ``normativeAuthorization``) says what it is: preferred (the approved translation), admitted
  (acceptable) or deprecated / superseded (forbidden, reported by ``check``).
* **CSV**: a header row of language codes, one concept a row (``en,es,fr``); optional columns
  ``<lang>_plural``, ``<lang>_admitted``, ``<lang>_forbidden`` (several forms separated by
  ``;``) and ``note``. Comma, semicolon or tab separated, UTF-8 with or without a BOM.

A concept becomes one :class:`~i18n_pipeline.glossary.Term` per acceptable source-language term;
a concept whose every translation is its source term is a name never translated. Plural forms
and matching case, which TBX-Basic has no category for, travel in a term's ``<note>``
("plural: Jefes de Misión", "match case"). Languages the project does not translate into are
left out and counted.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree  # type: ignore[import-untyped]  # no lxml-stubs in the venv

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.glossary import Glossary, Term
from i18n_pipeline.languages import is_known_language, matching_language
from i18n_pipeline.xmlsafe import XML_NS, local_name, parse_xml, xml_error

__all__ = [
    "Imported", "MergeReport", "csv_text", "glossary_terms", "merge_glossary", "read_csv", "read_tbx", "tbx_bytes", "yaml_scalar",
]

NS_TBX3 = "urn:iso:std:iso:30042:ed-2"
_LANG = f"{{{XML_NS}}}lang"
_STATUS_TYPES = {"administrativestatus", "normativeauthorization", "usagestatus", "usage", "status"}
_PREFERRED, _ADMITTED, _FORBIDDEN = "preferred", "admitted", "forbidden"
_STATUS_WORDS = {
    _PREFERRED: ("preferred", "standardized", "legal", "regulated", "approved"),
    _ADMITTED: ("admitted", "allowed", "permitted", "acceptable"),
    _FORBIDDEN: ("deprecated", "superseded", "forbidden", "notrecommended", "obsolete", "donotuse", "avoid"),
}
_PLURAL_NOTE = "plural:"
# Where validators find the TBX-Basic dialect's schemas (RELAX NG, Schematron), as LTAC publishes them.
_SCHEMAS = [
    b'<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
    b'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>',
    b'<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch" '
    b'type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>',
]
_MATCH_CASE_NOTE = "match case"


@dataclass
class _Concept:
    line: int
    note: str = ""
    terms: list[tuple[str, str, str, list[str]]] = field(default_factory=list)  # language, text, status, notes


@dataclass
class Imported:
    """What a termbase file gave: terms for the glossary, and what was left out."""

    terms: list[Term] = field(default_factory=list)
    concepts: int = 0
    skipped: list[str] = field(default_factory=list)  # "<file>:<line>: why"
    other_languages: set[str] = field(default_factory=set)


# --- reading: TBX ----------------------------------------------------------------------------


def _status(value: str) -> str | None:
    word = re.sub(r"[^a-z]", "", value.lower().replace("-admn-sts", "").replace("term", ""))
    return next((status for status, words in _STATUS_WORDS.items() if word.startswith(words)), None)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _term_info(holder: Any) -> tuple[str, list[str]]:
    """The status and notes of a term, from the elements around it (termNote, descrip, note,
    or a DCT-style element named after the category)."""
    status, notes = _PREFERRED, []
    for element in holder.iter():
        name = local_name(element).lower()
        kind = (element.get("type") or "").lower().replace("-", "") if name in ("termnote", "descrip") else name
        if kind in _STATUS_TYPES and (found := _status(_text(element))) is not None:
            status = found
        elif name == "note" and _text(element):
            notes.append(_text(element))
    return status, notes


def read_tbx(data: bytes, path: str) -> list[_Concept]:
    """The concepts of a TBX v2 (``<martif>``) or v3 (``<tbx>``) file."""
    root = parse_xml(data, path)
    if local_name(root) not in ("martif", "tbx"):
        raise xml_error(path, root.sourceline, f"the root element is <{local_name(root)}>, not <martif> or <tbx>",
                        "give a TBX file (TBX v2 <martif> or TBX v3 <tbx>)")
    default_lang = root.get(_LANG, "")
    concepts = []
    for entry in root.iter():
        if local_name(entry) not in ("termEntry", "conceptEntry"):
            continue
        concept = _Concept(entry.sourceline or 0)
        for child in entry.iter():  # the concept's definition or note, never its subject field
            kind = local_name(child) if local_name(child) == "note" else (child.get("type") or "").lower()
            if kind in ("note", "definition") and not concept.note and _text(child):
                concept.note = _text(child)
            if local_name(child) in ("langSet", "langSec"):
                break
        for lang_set in entry:
            if local_name(lang_set) not in ("langSet", "langSec"):
                continue
            lang = lang_set.get(_LANG) or default_lang
            if not lang:
                raise xml_error(path, lang_set.sourceline, f"<{local_name(lang_set)}> has no xml:lang",
                                'add xml:lang="es" (the language of its terms)')
            for holder in lang_set.iter():
                if local_name(holder) not in ("tig", "ntig", "termSec"):
                    continue
                term = next((t for t in holder.iter() if local_name(t) == "term"), None)
                if term is not None and _text(term):
                    status, notes = _term_info(holder)
                    concept.terms.append((lang, _text(term), status, notes))
        concepts.append(concept)
    return concepts


# --- reading: CSV ----------------------------------------------------------------------------


def read_csv(data: bytes, path: str) -> list[_Concept]:
    """The concepts of a CSV file whose header row names the language of each column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PipelineError(f"{path}:{line}", "not UTF-8 text", "save the file as CSV UTF-8") from None
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise PipelineError(path, "no header row", "put the language codes in the first row, e.g. en,es,fr")
    columns = []
    for number, cell in enumerate(rows[0], start=1):
        name = cell.strip()
        base, _, kind = name.rpartition("_")
        if name == "note" or (kind in ("plural", "admitted", "forbidden") and is_known_language(base)):
            columns.append((name, kind if name != "note" else "note", base))
        elif is_known_language(name):
            columns.append((name, "term", name))
        else:
            raise PipelineError(f"{path}:1", f"column {number} is headed {name!r}, not a language code",
                                "head each column with a language code (en, es, fr, pt_BR), <language>_plural, "
                                "<language>_admitted, <language>_forbidden or note")
    concepts = []
    for line, row in enumerate(rows[1:], start=2):
        concept = _Concept(line)
        forms: dict[str, list[str]] = {}
        for (_name, kind, lang), cell in zip(columns, row, strict=False):
            value = " ".join(cell.split())
            if not value:
                continue
            if kind == "note":
                concept.note = value
            elif kind == "term":
                concept.terms.append((lang, value, _PREFERRED, []))
            elif kind == "plural":
                forms.setdefault(lang, []).append(f"{_PLURAL_NOTE} {value}")
            else:
                concept.terms += [(lang, v.strip(), kind, []) for v in value.split(";") if v.strip()]
        for lang, notes in forms.items():
            concept.terms = [(t_lang, t, st, n + notes if t_lang == lang and st == _PREFERRED else n)
                             for t_lang, t, st, n in concept.terms]
        if concept.terms:
            concepts.append(concept)
    return concepts


# --- concepts -> glossary terms --------------------------------------------------------------


def glossary_terms(concepts: Sequence[_Concept], path: str, source_language: str, targets: Sequence[str]) -> Imported:
    """The glossary terms of ``concepts`` for a project in ``source_language`` -> ``targets``."""
    out = Imported(concepts=len(concepts))
    for concept in concepts:
        by_lang: dict[str, list[tuple[str, str, list[str]]]] = {}
        for lang, text, status, notes in concept.terms:
            code = matching_language(lang, [source_language, *targets])
            if code is None:
                out.other_languages.add(lang)
                continue
            by_lang.setdefault(code, []).append((text, status, notes))
        sources = [(t, notes) for t, status, notes in by_lang.pop(source_language, []) if status != _FORBIDDEN]
        if not sources:
            out.skipped.append(f"{path}:{concept.line}: no {source_language} term")
            continue
        translations = {lang: terms for lang, terms in by_lang.items() if any(s != _FORBIDDEN for _, s, _ in terms)}
        if translations and all(
            [t for t, s, _ in terms if s == _PREFERRED][:1] == [sources[0][0]] for terms in translations.values()
        ):
            out.terms += [Term(source=text, keep=True, match_case=True) for text, _ in sources]
            continue
        if not translations and not any(by_lang.values()):
            out.skipped.append(f"{path}:{concept.line}: {sources[0][0]!r} has no translation")
            continue
        for text, notes in sources:
            out.terms.append(_term(text, notes, concept.note, by_lang))
    return out


def _term(source: str, notes: list[str], note: str, by_lang: dict[str, list[tuple[str, str, list[str]]]]) -> Term:
    targets, plurals, admitted, forbidden = [], [], [], []
    for lang, terms in by_lang.items():
        ranked = sorted((t for t in terms if t[1] != _FORBIDDEN), key=lambda t: t[1] != _PREFERRED)
        if ranked:
            targets.append((lang, ranked[0][0]))
            plurals += [(lang, n[len(_PLURAL_NOTE):].strip()) for n in ranked[0][2] if n.startswith(_PLURAL_NOTE)][:1]
            admitted += [(lang, t) for t, _, _ in ranked[1:]]
        forbidden += [(lang, t) for t, status, _ in terms if status == _FORBIDDEN]
    source_plural = next((n[len(_PLURAL_NOTE):].strip() for n in notes if n.startswith(_PLURAL_NOTE)), None)
    acronym = sum(c.isupper() for c in source) >= 2 and not any(c.islower() for c in source)
    return Term(
        source=source, targets=tuple(targets), plurals=tuple(plurals), source_plural=source_plural,
        note=note, match_case=acronym or _MATCH_CASE_NOTE in notes,
        admitted=tuple(admitted), forbidden=tuple(forbidden),
    )


# --- writing ---------------------------------------------------------------------------------


def _rows(glossary: Glossary, source_language: str, languages: Sequence[str]) -> Iterable[tuple[Term, dict[str, Any]]]:
    """Each term with its forms per language: {lang: (preferred, plural, admitted, forbidden)}."""
    for term in glossary.terms:
        forms: dict[str, Any] = {}
        for lang in languages:
            preferred = term.source if term.keep else term.target(lang)
            plural = None if term.keep else term.target(lang, plural=True)
            forms[lang] = (preferred, plural if plural != preferred else None,
                           term.forms("admitted", lang), term.forms("forbidden", lang))
        yield term, forms


def tbx_bytes(glossary: Glossary, source_language: str, languages: Sequence[str], *, title: str) -> bytes:
    """The glossary as TBX v3, TBX-Basic dialect (DCA style), one concept per term."""
    ns = f"{{{NS_TBX3}}}"
    root = etree.Element(f"{ns}tbx", {"type": "TBX-Basic", "style": "dca", _LANG: source_language.replace("_", "-")},
                         nsmap={None: NS_TBX3})
    header = etree.SubElement(etree.SubElement(root, f"{ns}tbxHeader"), f"{ns}fileDesc")
    etree.SubElement(etree.SubElement(header, f"{ns}titleStmt"), f"{ns}title").text = title
    etree.SubElement(etree.SubElement(header, f"{ns}sourceDesc"), f"{ns}p").text = "written by i18n-pipeline"
    body = etree.SubElement(etree.SubElement(root, f"{ns}text"), f"{ns}body")
    for number, (term, forms) in enumerate(_rows(glossary, source_language, languages), start=1):
        concept = etree.SubElement(body, f"{ns}conceptEntry", id=f"c{number}")
        if term.note or term.keep:
            etree.SubElement(concept, f"{ns}note").text = term.note or "do not translate"
        acronym = sum(c.isupper() for c in term.source) >= 2 and not any(c.islower() for c in term.source)
        source_notes = ([f"{_PLURAL_NOTE} {term.source_plural}"] if term.source_plural else []) + (
            [_MATCH_CASE_NOTE] if term.match_case and not term.keep and not acronym else [])
        sections = [(source_language, [(term.source, _PREFERRED, source_notes)])]
        for lang, (preferred, plural, admitted, forbidden) in forms.items():
            entries = [(preferred, _PREFERRED, [f"{_PLURAL_NOTE} {plural}"] if plural else [])] if preferred else []
            entries += [(a, _ADMITTED, []) for a in admitted] + [(f, _FORBIDDEN, []) for f in forbidden]
            if entries:
                sections.append((lang, entries))
        for lang, entries in sections:
            lang_sec = etree.SubElement(concept, f"{ns}langSec", {_LANG: lang.replace("_", "-")})
            for text, status, notes in entries:
                term_sec = etree.SubElement(lang_sec, f"{ns}termSec")
                etree.SubElement(term_sec, f"{ns}term").text = text
                sts = {"preferred": "preferredTerm", "admitted": "admittedTerm", "forbidden": "deprecatedTerm"}[status]
                etree.SubElement(term_sec, f"{ns}termNote", type="administrativeStatus").text = f"{sts}-admn-sts"
                for note in notes:
                    etree.SubElement(term_sec, f"{ns}note").text = note
    etree.indent(root, space="  ")
    return b"\n".join([b'<?xml version="1.0" encoding="UTF-8"?>', *_SCHEMAS, bytes(etree.tostring(root, encoding="UTF-8")), b""])


def csv_text(glossary: Glossary, source_language: str, languages: Sequence[str]) -> str:
    """The glossary as CSV: a header row of language codes, one term a row."""
    rows = list(_rows(glossary, source_language, languages))
    optional: list[tuple[str, tuple[str, int] | None]] = [(f"{source_language}_plural", None)]
    for lang in languages:
        optional += [(f"{lang}_plural", (lang, 1)), (f"{lang}_admitted", (lang, 2)), (f"{lang}_forbidden", (lang, 3))]
    used = [(name, where) for name, where in optional if any(
        (term.source_plural if where is None else forms[where[0]][where[1]]) for term, forms in rows)]
    header = [source_language, *languages, *(name for name, _ in used)] + (["note"] if any(t.note for t, _ in rows) else [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for term, forms in rows:
        row = [term.source] + [forms[lang][0] or "" for lang in languages]
        for _, where in used:
            value = term.source_plural if where is None else forms[where[0]][where[1]]
            row.append("; ".join(value) if isinstance(value, tuple) else value or "")
        if header[-1] == "note":
            row.append(term.note)
        writer.writerow(row)
    return out.getvalue()


# --- merging into locales/glossary.yaml ------------------------------------------------------
#
# A YAML round trip (yaml.safe_load, then yaml.safe_dump) of the bundled glossary keeps 2 of its
# 93 lines as they were and none of its 12 comment lines; so the file is edited as text, in
# place: new keys go into their term, new terms and names at the end of their list, and every
# other line stays byte for byte. The result is read back and checked before it is written.


@dataclass
class MergeReport:
    """What a glossary import changed."""

    added: list[str] = field(default_factory=list)  # new terms
    names: list[str] = field(default_factory=list)  # new do-not-translate names
    updated: list[str] = field(default_factory=list)  # "<term>: <key> 'old' -> 'new'" or "+ <key> ..."
    kept: list[str] = field(default_factory=list)  # what was not taken, and why
    unchanged: int = 0


_PLAIN_RE = re.compile(r"\w[\w .,'’()/&+-]*")  # words and the punctuation of names; anything else is quoted
_SPECIAL_RE = re.compile(r"^(?:y|yes|n|no|true|false|on|off|null|~|[-+.\d][-+.:\deE_xXoObB]*)$", re.I)


def yaml_scalar(value: str, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar: plain where YAML reads it back as the same text, else
    double-quoted (a JSON string is a YAML double-quoted scalar)."""
    plain = (_PLAIN_RE.fullmatch(value) is not None and value == value.strip() and not _SPECIAL_RE.match(value)
             and not (flow and "," in value))
    return value if plain else json.dumps(value, ensure_ascii=False)


def _fields(term: Term, languages: Sequence[str]) -> list[tuple[str, str]]:
    """(key, rendered value) of a term, in the glossary's usual order."""
    out = [("source", yaml_scalar(term.source))]
    if term.source_plural:
        out.append(("source_plural", yaml_scalar(term.source_plural)))
    acronym = sum(c.isupper() for c in term.source) >= 2 and not any(c.islower() for c in term.source)
    if term.match_case != acronym:
        out.append(("match_case", "true" if term.match_case else "false"))
    codes = list(dict.fromkeys([*(lang for lang, _ in (*term.targets, *term.admitted, *term.forbidden)), *languages]))
    for lang in codes:
        target, plural = dict(term.targets).get(lang), dict(term.plurals).get(lang)
        if target:
            out.append((lang, yaml_scalar(target)))
        if plural:
            out.append((f"{lang}_plural", yaml_scalar(plural)))
        for kind, table in (("admitted", term.admitted), ("forbidden", term.forbidden)):
            forms = [text for code, text in table if code == lang]
            if forms:
                out.append((f"{lang}_{kind}", "[" + ", ".join(yaml_scalar(f, flow=True) for f in forms) + "]"))
    if term.note:
        out.append(("note", yaml_scalar(term.note)))
    return out


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _extent(lines: list[str], start: int) -> int:
    """The index after the last line of the list item that starts at ``lines[start]``."""
    column = _indent_of(lines[start])
    end = start + 1
    last = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line.lstrip().startswith("#"):
            if _indent_of(line) <= column:
                break
            last = end + 1
        end += 1
    return last


def _block(term: Term, languages: Sequence[str], dash: int) -> list[str]:
    fields = _fields(term, languages)
    pad = " " * dash
    return [f"{pad}- {fields[0][0]}: {fields[0][1]}"] + [f"{pad}  {key}: {value}" for key, value in fields[1:]]


def merge_glossary(text: str, existing: Glossary, incoming: Sequence[Term], languages: Sequence[str],
                   *, label: str) -> tuple[str, MergeReport]:
    """``text`` (the glossary file) with ``incoming`` merged in: a term the file has gets the
    translations it lacks and the imported ones where they differ (reported, old -> new), its
    admitted and forbidden forms are joined, its note kept; other terms and names are added."""
    report = MergeReport()
    lines = text.split("\n")
    by_source = {t.source.casefold(): t for t in existing.terms if not t.keep}
    names = {t.source for t in existing.terms if t.keep}
    edits: dict[int, tuple[int, list[str]]] = {}  # first line index -> (end index, new lines)
    new_terms: list[Term] = []
    new_names: list[str] = []
    for term in incoming:
        if term.keep:
            if term.source in names or term.source.casefold() in by_source:
                report.unchanged += 1
            elif term.source not in new_names:
                new_names.append(term.source)
            continue
        old = by_source.get(term.source.casefold())
        if old is None:
            if term.source in names:
                report.kept.append(f"{term.source}: a name never translated in the glossary; the imported translations "
                                   "were not taken (remove it from do_not_translate to translate it)")
            elif all(t.source.casefold() != term.source.casefold() for t in new_terms):
                new_terms.append(term)
            continue
        start = old.line - 1
        end = _extent(lines, start)
        merged, changes = _merged(old, term)
        if not changes:
            report.unchanged += 1
            continue
        report.updated += [f"{old.source}: {change}" for change in changes]
        if "{" in lines[start].split("#")[0] or any(_indent_of(line) > _indent_of(lines[start]) + 2
                                                   for line in lines[start + 1 : end] if line.strip()):
            edits[start] = (end, _block(merged, languages, _indent_of(lines[start])))  # rewritten whole
        else:
            edits[start] = (end, _edited(lines[start:end], old, merged, languages))
    out: list[str] = []
    index = 0
    for start in sorted(edits):
        out += lines[index:start] + edits[start][1]
        index = edits[start][0]
    out += lines[index:]
    out = _append(out, "terms", [line for t in new_terms for line in _block(t, languages, _dash(out, "terms"))], label)
    out = _append(out, "do_not_translate", [f"{' ' * _dash(out, 'do_not_translate')}- {yaml_scalar(n)}" for n in new_names],
                  label)
    report.added = [t.source for t in new_terms]
    report.names = new_names
    return "\n".join(out), report


def _merged(old: Term, new: Term) -> tuple[Term, list[str]]:
    changes = []
    targets = dict(old.targets)
    plurals = dict(old.plurals)
    for table, incoming, suffix in ((targets, new.targets, ""), (plurals, new.plurals, "_plural")):
        for lang, text in incoming:
            if table.get(lang) != text:
                changes.append(f"{lang}{suffix} {table[lang]!r} -> {text!r}" if lang in table else f"+ {lang}{suffix} {text!r}")
                table[lang] = text
    statuses = {}
    for kind in ("admitted", "forbidden"):
        before = list(getattr(old, kind))
        added = [pair for pair in getattr(new, kind) if pair not in before]
        changes += [f"+ {lang}_{kind} {text!r}" for lang, text in added]
        statuses[kind] = tuple(before + added)
    plural = old.source_plural or new.source_plural
    if plural != old.source_plural:
        changes.append(f"+ source_plural {plural!r}")
    note = old.note or new.note
    if note != old.note:
        changes.append(f"+ note {note!r}")
    merged = Term(source=old.source, targets=tuple(targets.items()), plurals=tuple(plurals.items()),
                  source_plural=plural, note=note, match_case=old.match_case, admitted=statuses["admitted"],
                  forbidden=statuses["forbidden"])
    return merged, changes


def _edited(block: list[str], old: Term, merged: Term, languages: Sequence[str]) -> list[str]:
    """The item's lines with changed keys rewritten in place and new keys after the last one."""
    out = list(block)
    key_column = _indent_of(block[0]) + 2
    wanted = dict(_fields(merged, languages))
    present = dict(_fields(old, languages))
    for key, value in wanted.items():
        if present.get(key) == value:
            continue
        pattern = re.compile(rf"^(\s*-\s+|\s{{{key_column}}}){re.escape(key)}\s*:")
        found = next(((i, m) for i, line in enumerate(out) if (m := pattern.match(line))), None)
        if found is not None:
            i, m = found
            comment = re.search(r"\s+#[^\"']*$", out[i])  # a comment after the value stays
            out[i] = m.group(0) + f" {value}" + (comment.group(0) if comment else "")
        else:
            last = max(i for i, line in enumerate(out) if line.strip() and not line.lstrip().startswith("#"))
            out.insert(last + 1, f"{' ' * key_column}{key}: {value}")
    return out


def _dash(lines: list[str], section: str) -> int:
    """The column of the dashes of ``section``'s items (two spaces where the file has none)."""
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{section}:")), None)
    if start is not None:
        for line in lines[start + 1 :]:
            if line.strip() and not line.lstrip().startswith("#"):
                return _indent_of(line) if line.lstrip().startswith("- ") else 2
    return 2


def _append(lines: list[str], section: str, items: list[str], label: str) -> list[str]:
    """``items`` at the end of the top-level list ``section`` (created if missing)."""
    if not items:
        return lines
    header = [f"{' ' * _dash(lines, section)}# --- imported from {label}"]
    start = next((i for i, line in enumerate(lines) if re.match(rf"{section}:\s*(?:#.*)?(?:\[\s*\])?\s*$", line)), None)
    if start is None:
        body = lines[:-1] if lines and lines[-1] == "" else lines
        return [*body, *([""] if body and body[-1].strip() else []), f"{section}:", *header, *items, ""]
    lines = list(lines)
    lines[start] = f"{section}:"
    end = start + 1
    last = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line.lstrip().startswith("#"):
            if _indent_of(line) == 0 and not line.startswith("-"):
                break
            last = end + 1
        end += 1
    return lines[:last] + ([""] if last > start + 1 else []) + header + items + lines[last:]
