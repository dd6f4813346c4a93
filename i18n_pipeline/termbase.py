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
left out and counted. Merging into ``locales/glossary.yaml`` is ``glossary_merge.py``'s.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from i18n_pipeline.errors import PipelineError, UsageError
from i18n_pipeline.files import write_if_changed
from i18n_pipeline.glossary import Glossary, Term, load_glossary, parse_glossary
from i18n_pipeline.glossary_merge import MergeReport, merge_glossary
from i18n_pipeline.languages import is_known_language, matching_language
from i18n_pipeline.xmlsafe import XML_NS, local_name, parse_xml, xml_error

__all__ = ["Imported", "csv_text", "export_termbase", "glossary_terms", "import_termbase", "read_csv", "read_tbx", "tbx_bytes"]

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
    root = parse_xml(data, path, "TBX")
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
    from lxml import etree  # type: ignore[import-untyped]  # no lxml-stubs in the venv
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


# --- the files -------------------------------------------------------------------------------

_CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def import_termbase(
    file: Path, glossary: Path, source_language: str, targets: Sequence[str], *, today: str
) -> tuple[Imported, MergeReport]:
    """Merge the terms of a TBX or CSV ``file`` into the ``glossary`` file; the edit is read
    back and checked before it is written (nothing is written when anything is wrong)."""
    if file.suffix.lower() not in (".tbx", ".xml", ".mtf", *_CSV_SUFFIXES):
        raise UsageError(str(file), f"unknown glossary format {file.suffix!r}", "give a .tbx or a .csv file")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise PipelineError(str(file), f"cannot read ({exc.strerror})", "check the path") from None
    concepts = read_csv(data, str(file)) if file.suffix.lower() in _CSV_SUFFIXES else read_tbx(data, str(file))
    imported = glossary_terms(concepts, str(file), source_language, targets)
    text = glossary.read_text("utf-8") if glossary.exists() else ""
    existing = parse_glossary(text, glossary)
    merged_text, report = merge_glossary(text, existing, imported.terms, targets, label=f"{file.name}, {today}")
    merged = parse_glossary(merged_text, glossary)
    if {t.source for t in existing.terms} - {t.source for t in merged.terms}:
        raise PipelineError(str(glossary), f"merging {file} would lose terms", "nothing was written; report this as a bug")
    write_if_changed(glossary, merged_text.encode("utf-8"))
    return imported, report


def export_termbase(glossary: Path, file: Path, fmt: str, source_language: str, targets: Sequence[str], *, title: str) -> int:
    """Write the ``glossary`` file as TBX v3 (TBX-Basic) or CSV (``fmt``); returns the terms."""
    terms = load_glossary(glossary)
    data = tbx_bytes(terms, source_language, targets, title=title) if fmt == "tbx" else \
        csv_text(terms, source_language, targets).encode("utf-8")
    write_if_changed(file, data)
    return len(terms.terms)
