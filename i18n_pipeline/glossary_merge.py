"""Merging terms into ``locales/glossary.yaml``: a text edit that keeps the file's own lines.

A YAML round trip (``yaml.safe_load``, then ``yaml.safe_dump``) of the bundled glossary keeps 2
of its 93 lines as they were and none of its 12 comment lines; so the file is edited as text, in
place: new keys go into their term, new terms and names at the end of their list, and every
other line stays byte for byte. The caller reads the result back before it writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from i18n_pipeline.glossary import Glossary, Term

__all__ = ["MergeReport", "merge_glossary", "yaml_scalar"]


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
