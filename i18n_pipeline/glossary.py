"""The project's glossary: approved translations of terms, and names that are never translated.

The translate stage protects each :class:`TermMatch` as a numbered standalone placeholder before
machine translation and restores it with ``match.target``; :func:`check_terms` tells QA which
approved translations a finished translation lacks.

``locales/glossary.yaml``::

    terms:
      - source: IOM                      # the English term (required)
        es: OIM                          # one key per target language: a CLDR code such as
        fr: OIM                          #   es, fr, pt_BR; a language left out is not matched
      - source: Chief of Mission
        source_plural: Chiefs of Mission # optional; default: English plural of the last word
        es: Jefe de Misión
        es_plural: Jefes de Misión       # optional <lang>_plural; default: the singular target
        fr: Chef de mission
        fr_plural: Chefs de mission
        note: title of the head of an IOM country office   # optional, for people
      - source: human trafficking
        es: trata de personas
        es_admitted: [trata]             # optional: acceptable, the first form preferred
        es_forbidden: [tráfico de personas, tráfico humano]   # optional: never to be used
      - source: WHO
        match_case: true                 # optional; default true for acronyms (all capitals),
        es: OMS                          #   false otherwise ("WHO" is not "who")
    do_not_translate:                    # names kept exactly as the source writes them
      - Tapachula
      - Thomas Lothar Weiss

Matching: case-insensitive (unless ``match_case``) on whole words, any run of whitespace between
the words of a term (hard-wrapped text matches), the plural of a term too; a hyphenated compound
is one word ("counter-trafficking" does not contain "trafficking"). Where terms overlap the
longest match wins ("Direct Assistance to Victims of Human Trafficking" over "human
trafficking"). Placeholder tokens (``<1>``, ``</1>``, ``<2/>``) never match; their content does.
The target keeps the sense of the source's case: a term opening the sentence with a capital gets
a capitalised target, a term in capitals (a headline) gets its target in capitals; otherwise
the target is written as the glossary writes it (title case in English headlines does not carry
over: "Cases of Human Trafficking" -> "trata de personas").

Admitted and forbidden forms (TBX ``admittedTerm`` / ``deprecatedTerm`` status, see
``termbase.py``) are for QA: an admitted form satisfies the glossary check (and is reported as
cosmetic, :func:`admitted_terms`); a forbidden one, where the source has the term, is reported
(:func:`forbidden_terms`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from i18n_pipeline.errors import ConfigError
from i18n_pipeline.formats.front_matter import compose_yaml, yaml_error_location
from i18n_pipeline.languages import fallback_tags, is_known_language
from i18n_pipeline.model import PLACEHOLDER_RE

__all__ = [
    "Glossary", "Term", "TermMatch", "admitted_terms", "check_terms", "find_terms", "forbidden_terms", "load_glossary",
    "parse_glossary", "term_notes",
]

_TOP_KEYS = ("terms", "do_not_translate")
_TERM_KEYS = ("source", "source_plural", "note", "match_case")


@dataclass(frozen=True)
class Term:
    """One glossary entry. A do-not-translate name is a term with ``keep`` set and no targets."""

    source: str
    targets: tuple[tuple[str, str], ...] = ()  # (language, translation)
    plurals: tuple[tuple[str, str], ...] = ()  # (language, plural translation)
    source_plural: str | None = None
    note: str = ""
    match_case: bool = False
    keep: bool = False
    line: int = 0  # where the glossary file defines it, for messages
    admitted: tuple[tuple[str, str], ...] = ()  # (language, an acceptable other translation)
    forbidden: tuple[tuple[str, str], ...] = ()  # (language, a translation never to be used)

    def target(self, lang: str, *, plural: bool = False) -> str | None:
        """The approved translation for ``lang`` ("es_MX" falls back to "es"); None if none."""
        for table in ((self.plurals, self.targets) if plural else (self.targets,)):
            found = _lookup(table, lang)
            if found is not None:
                return found
        return None

    def applies_to(self, lang: str) -> bool:
        return self.keep or _lookup(self.targets, lang) is not None

    def forms(self, kind: str, lang: str) -> tuple[str, ...]:
        """The ``admitted`` or ``forbidden`` forms for ``lang`` (its fallbacks too)."""
        table = self.admitted if kind == "admitted" else self.forbidden
        tags = fallback_tags(lang)
        return tuple(text for code, text in table if code in tags)


def _lookup(table: tuple[tuple[str, str], ...], lang: str) -> str | None:
    for candidate in fallback_tags(lang):
        for code, text in table:
            if code == candidate:
                return text
    return None


@dataclass(frozen=True)
class Glossary:
    """Terms and do-not-translate names, in file order."""

    terms: tuple[Term, ...] = ()
    path: str = ""

    @property
    def do_not_translate(self) -> tuple[str, ...]:
        return tuple(t.source for t in self.terms if t.keep)

    def __len__(self) -> int:
        return len(self.terms)


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in source text, with the text that replaces it in ``target_lang``."""

    start: int
    end: int
    source: str  # the source text as matched (its case, its line breaks)
    target: str  # approved translation; for a do-not-translate name, the source text itself
    term: str = ""  # the glossary's source form
    plural: bool = False
    keep: bool = False


# --- loading -------------------------------------------------------------------------------


def load_glossary(path: Path) -> Glossary:
    """Read a glossary file; a missing file is an empty glossary.

    Raises :class:`ConfigError` naming ``file:line`` for bad YAML, unknown keys (with a
    did-you-mean), values of the wrong type and duplicated terms.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Glossary(path=str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read the glossary ({exc})",
                          "check the file's permissions and that it is UTF-8") from exc
    return parse_glossary(text, path)


def parse_glossary(text: str, path: Path) -> Glossary:
    """The glossary ``text`` holds; ``path`` names it in errors (see :func:`load_glossary`)."""
    try:
        root = compose_yaml(text)
    except yaml.YAMLError as exc:
        location, problem = yaml_error_location(exc, str(path))
        raise ConfigError(location, f"not valid YAML: {problem}",
                          "fix the YAML syntax (indentation, quotes, colons)") from exc
    if root is None:
        return Glossary(path=str(path))
    return Glossary(terms=tuple(_read_root(root, str(path))), path=str(path))


def _where(path: str, node: yaml.Node) -> str:
    return f"{path}:{node.start_mark.line + 1}"


def _did_you_mean(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    listed = ", ".join(known)
    return f"did you mean {close[0]!r}?" if close else f"use one of: {listed}"


def _pairs(node: yaml.MappingNode, path: str) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise ConfigError(_where(path, key_node), "a key must be plain text",
                              "write keys as `name: value`")
        key = str(key_node.value)
        if key in seen:
            raise ConfigError(_where(path, key_node),
                              f"key {key!r} given twice (first on line {seen[key]})",
                              "keep one of them")
        seen[key] = key_node.start_mark.line + 1
        yield key, key_node, value_node


def _text(node: yaml.Node, path: str, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise ConfigError(_where(path, node), f"{what} must be text",
                          "write it as a plain or quoted string")
    value = str(node.value).strip()
    if not value:
        raise ConfigError(_where(path, node), f"{what} is empty", "write the text or remove it")
    return " ".join(value.split())


def _read_root(root: yaml.Node, path: str) -> list[Term]:
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(_where(path, root), "the glossary must be a mapping",
                          "start with `terms:` and/or `do_not_translate:`")
    terms: list[Term] = []
    languages = sorted({
        str(k.value) for _, _, seq in _pairs(root, path) if isinstance(seq, yaml.SequenceNode)
        for item in seq.value if isinstance(item, yaml.MappingNode)
        for k, _ in item.value if isinstance(k, yaml.ScalarNode) and is_known_language(str(k.value))
    })
    for key, key_node, value in _pairs(root, path):
        if key not in _TOP_KEYS:
            raise ConfigError(_where(path, key_node), f"unknown key {key!r}",
                              _did_you_mean(key, list(_TOP_KEYS)))
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            continue  # `terms:` with nothing under it yet
        if not isinstance(value, yaml.SequenceNode):
            raise ConfigError(_where(path, value), f"{key!r} must be a list",
                              "put one `- item` per line under it")
        for item in value.value:
            if key == "terms":
                terms.append(_read_term(item, path, languages))
            else:
                name = _text(item, path, "a do-not-translate name")
                terms.append(Term(source=name, keep=True, match_case=_is_acronym(name),
                                  line=item.start_mark.line + 1))
    _check_duplicates(terms, path)
    return terms


def _read_term(node: yaml.Node, path: str, languages: list[str]) -> Term:
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(_where(path, node), "a term must be a mapping",
                          "write `- source: ...` followed by one line per language")
    fields: dict[str, str] = {}
    match_case: bool | None = None
    targets: list[tuple[str, str]] = []
    plurals: list[tuple[str, str]] = []
    statuses: dict[str, list[tuple[str, str]]] = {"admitted": [], "forbidden": []}
    for key, key_node, value in _pairs(node, path):
        base, _, kind = key.rpartition("_")
        if key == "match_case":
            if not (isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:bool"):
                raise ConfigError(_where(path, value), "match_case must be true or false",
                                  "write `match_case: true`")
            match_case = str(value.value).lower() in ("true", "yes", "on")
        elif key in _TERM_KEYS:
            fields[key] = _text(value, path, key)
        elif is_known_language(key):
            targets.append((key, _text(value, path, f"the {key} translation")))
        elif key.endswith("_plural") and is_known_language(key[: -len("_plural")]):
            plurals.append((key[: -len("_plural")], _text(value, path, key)))
        elif kind in statuses and is_known_language(base):
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            statuses[kind] += [(base, _text(item, path, key)) for item in items]
        else:
            known = [*_TERM_KEYS, *languages, *(f"{lang}_{kind}" for lang in languages
                                                 for kind in ("plural", "admitted", "forbidden"))]
            hint = _did_you_mean(key, known)
            if not difflib.get_close_matches(key, known, n=1, cutoff=0.6):
                hint += ", or a CLDR language code (es, fr, pt_BR) or <language>_plural"
            raise ConfigError(_where(path, key_node), f"unknown key {key!r} in a term", hint)
    if "source" not in fields:
        raise ConfigError(_where(path, node), "a term has no `source`",
                          "add `source: <the English term>`")
    for lang, _ in plurals:
        if lang not in (code for code, _ in targets):
            raise ConfigError(_where(path, node), f"{lang}_plural given without {lang}",
                              f"add the singular `{lang}:` too")
    source = fields["source"]
    return Term(
        source=source,
        targets=tuple(targets),
        plurals=tuple(plurals),
        source_plural=fields.get("source_plural"),
        note=fields.get("note", ""),
        match_case=_is_acronym(source) if match_case is None else match_case,
        line=node.start_mark.line + 1,
        admitted=tuple(statuses["admitted"]),
        forbidden=tuple(statuses["forbidden"]),
    )


def _check_duplicates(terms: list[Term], path: str) -> None:
    """The same source twice is an error; "WHO" (matching case) and "who" may both be there."""
    first: dict[str, Term] = {}
    for term in terms:
        key = term.source.casefold()
        other = first.get(key)
        if other is not None and (other.source == term.source or not (
                term.match_case or other.match_case)):
            raise ConfigError(
                f"{path}:{term.line}",
                f"{term.source!r} is already in the glossary (line {other.line})",
                "keep one entry per term",
            )
        first.setdefault(key, term)


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# --- matching ------------------------------------------------------------------------------

_MASK = "\ufffc"  # stands for a placeholder token's characters: offsets stay, nothing matches
_OPENING = set(" \t\n\r\u00a0\"'“‘«¿¡([{-–—*" + _MASK)


def _english_plural(word: str) -> str:
    if re.search(r"(?:s|x|z|ch|sh)$", word, re.IGNORECASE):
        return word + "es"
    if re.search(r"[^aeiou]y$", word, re.IGNORECASE):
        return word[:-1] + "ies"
    return word + "s"


def _phrase(text: str) -> str:
    return r"\s+".join(re.escape(word) for word in text.split())


def _plural(term: Term) -> str | None:
    """The plural the term's pattern matches besides its source form, if any."""
    plural = term.source_plural
    if plural is None and not term.keep and not _is_acronym(term.source) \
            and term.source[-1:].isalpha():
        words = term.source.split()
        plural = " ".join([*words[:-1], _english_plural(words[-1])])
    return plural


@lru_cache(maxsize=1024)
def _pattern(term: Term) -> re.Pattern[str]:
    """The term in source text: its words with any white space between them, its plural too."""
    plural = _plural(term)
    body = f"(?P<plural>{_phrase(plural)})|{_phrase(term.source)}" if plural \
        else _phrase(term.source)
    flags = 0 if term.match_case else re.IGNORECASE
    return re.compile(rf"(?<![\w])(?<!\w-)(?:{body})(?!\w)(?!-\w)", flags)


_WORD_RUN_RE = re.compile(r"\w+")


def _first_word(form: str) -> str | None:
    """The first run of word characters of a term's form: wherever the term's pattern matches,
    the text has exactly this run there as a whole word (the pattern's boundaries and the term's
    own non-word characters delimit it), so a text without it as a word cannot hold the term."""
    m = _WORD_RUN_RE.search(form)
    return m.group() if m else None


# Text characters that are not word characters but that IGNORECASE matches to one (U+0345, the
# circled letters: every non-word character that has a case, or sre's extra case equivalences,
# tests/test_glossary.py derives the list). Without them in a text, a first word matches only a
# whole run of word characters, so the runs themselves can be looked up.
_CASE_TRAPS_RE = re.compile("[\u0345\u24b6-\u24e9]")
_MEMO_LIMIT = 100_000  # distinct word runs remembered per index (a large archive's vocabulary)


@dataclass(frozen=True)
class _TermIndex:
    """A language's terms and their patterns, and one compiled alternation of every term's first
    word (longest first), which says which terms can be in a sentence, so the patterns of the few
    that can run instead of one regex per term (27 regexes a sentence was most of protection's
    cost, ``PLAN.md``). The alternation itself decides each distinct run of word characters once
    (``decided``): a sentence costs one ``findall`` and a look-up per run, where running the
    alternation over every sentence was most of :func:`find_terms`' time."""

    patterns: tuple[tuple[Term, re.Pattern[str], frozenset[str] | None], ...]  # None: always run
    words: re.Pattern[str] | None  # group "k<i>" = the i-th distinct first word
    groups: dict[str, str]  # group name → the first word's casefold
    by_key: dict[str, tuple[int, ...]]  # a first word's casefold → positions in ``patterns``
    always: tuple[int, ...]  # positions of the terms without a first word
    decided: dict[str, str | None]  # each run of word characters seen so far → its first word's casefold, if one

    def candidates(self, scan: str) -> Iterator[tuple[Term, re.Pattern[str]]]:
        positions = set(self.always)
        for key in self._first_words(scan):
            positions.update(self.by_key[key])
        for i in sorted(positions):  # the glossary's order: ties between matches depend on it
            term, pattern, _ = self.patterns[i]
            yield term, pattern

    def _first_words(self, scan: str) -> set[str]:
        """The first words (casefold) that occur in ``scan`` as the alternation finds them."""
        if self.words is None:
            return set()
        if _CASE_TRAPS_RE.search(scan):  # the general path: the alternation over the text
            return {self.groups[m.lastgroup or ""] for m in self.words.finditer(scan)}
        runs = set(_WORD_RUN_RE.findall(scan))
        decided = self.decided
        new = runs - decided.keys()  # what no sentence before had
        if len(decided) + len(new) > _MEMO_LIMIT:  # forgotten before the sentence, never inside it
            decided.clear()
            new = runs
        for run in new:
            m = self.words.fullmatch(run)
            decided[run] = self.groups[m.lastgroup or ""] if m else None
        return {key for run in runs if (key := decided[run]) is not None}


# The index of the glossary last asked for, per language, kept by identity: a lru_cache would
# hash the whole glossary (every term, field by field) at each sentence.
_INDEXES: dict[tuple[int, str], tuple[Glossary, _TermIndex]] = {}


def _index(glossary: Glossary, lang: str) -> _TermIndex:
    kept = _INDEXES.get((id(glossary), lang))
    if kept is not None and kept[0] is glossary:
        return kept[1]
    if len(_INDEXES) >= 32:
        _INDEXES.clear()
    index = _new_index(glossary, lang)
    _INDEXES[id(glossary), lang] = (glossary, index)  # the glossary held: its id is not reused
    return index


def _new_index(glossary: Glossary, lang: str) -> _TermIndex:
    entries: list[tuple[Term, re.Pattern[str], frozenset[str] | None]] = []
    words: dict[str, str] = {}  # casefold → as written (the first seen)
    by_key: dict[str, list[int]] = {}
    always: list[int] = []
    for term in glossary.terms:
        if not term.applies_to(lang):
            continue
        pattern = _pattern(term)
        firsts = [_first_word(f) for f in (term.source, _plural(term)) if f]
        if any(w is None for w in firsts):
            always.append(len(entries))
            entries.append((term, pattern, None))
            continue
        keys = frozenset(w.casefold() for w in firsts if w is not None)
        for w in firsts:
            if w is not None:
                words.setdefault(w.casefold(), w)
        for key in keys:
            by_key.setdefault(key, []).append(len(entries))
        entries.append((term, pattern, keys))
    ordered = sorted(words.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    groups = {f"k{i}": key for i, (key, _) in enumerate(ordered)}
    alternation = "|".join(f"(?P<k{i}>{re.escape(w)})" for i, (_, w) in enumerate(ordered))
    # IGNORECASE for every word: a superset of what case-sensitive terms (acronyms) match.
    compiled = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE) if ordered else None
    return _TermIndex(tuple(entries), compiled, groups, {k: tuple(v) for k, v in by_key.items()},
                      tuple(always), {})


def find_terms(glossary: Glossary, text: str, target_lang: str) -> list[TermMatch]:
    """Glossary terms in ``text`` with their ``target_lang`` renderings, in order, no overlaps."""
    scan = PLACEHOLDER_RE.sub(lambda m: _MASK * len(m.group()), text) if "<" in text else text
    candidates: list[tuple[int, int, Term, bool]] = []
    for term, pattern in _index(glossary, target_lang).candidates(scan):
        for m in pattern.finditer(scan):
            candidates.append((m.start(), m.end(), term, m.group("plural") is not None
                               if "plural" in pattern.groupindex else False))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    chosen: list[tuple[int, int, Term, bool]] = []
    for cand in candidates:
        if all(cand[1] <= s or cand[0] >= e for s, e, _, _ in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    matches = []
    for start, end, term, plural in chosen:
        matched = text[start:end]
        target = matched if term.keep else _cased(
            term.target(target_lang, plural=plural) or "", matched, term,
            initial=all(c in _OPENING for c in scan[:start]),
        )
        matches.append(TermMatch(start, end, matched, target, term.source, plural, term.keep))
    return matches


def _cased(target: str, matched: str, term: Term, *, initial: bool) -> str:
    if _is_acronym(matched) and not _is_acronym(term.source):
        return target.upper()  # a headline in capitals
    if initial and matched[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def _normalised(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


def term_notes(glossary: Glossary, source: str, target_lang: str) -> list[str]:
    """Notes for a translator (``#.`` comments): each glossary term of ``source`` with its
    approved ``target_lang`` translation, and each name that stays as it is, once, in order.

    "glossary: human trafficking = trata de personas"; the names on one line, after the terms:
    "do not translate: Chiapas, Tabasco".
    """
    notes: list[str] = []
    names: list[str] = []
    for match in find_terms(glossary, source, target_lang):
        term = next(t for t in glossary.terms if t.source == match.term)
        if term.keep:
            if term.source not in names:
                names.append(term.source)
            continue
        english = (term.source_plural or match.source) if match.plural else term.source
        note = f"glossary: {english} = {term.target(target_lang, plural=match.plural)}"
        note += f" ({term.note})" if term.note else ""
        if note not in notes:
            notes.append(note)
    return notes + ([f"do not translate: {', '.join(names)}"] if names else [])


def check_terms(
    glossary: Glossary, source: str, target: str, target_lang: str, *, names: bool | None = None
) -> list[str]:
    """Messages for glossary terms of ``source`` whose approved translation ``target`` lacks.

    Counts matter: a term used twice in the source needs its translation twice. Comparison
    ignores case and spacing; a term's singular and plural translations both count.
    ``names``: only do-not-translate names (True), only terms (False), both (None).
    """
    wanted: dict[str, tuple[int, set[str], str]] = {}
    for match in find_terms(glossary, source, target_lang):
        if names is not None and match.keep != names:
            continue
        term = next(t for t in glossary.terms if t.source == match.term)
        forms = {match.target} if match.keep else {
            f for f in (term.target(target_lang), term.target(target_lang, plural=True)) if f
        } | set(term.forms("admitted", target_lang))
        count, known, shown = wanted.get(match.term, (0, set(), match.target))
        wanted[match.term] = (count + 1, known | forms, shown)
    haystack = _normalised(target)
    messages = []
    # Longest translations first, each occurrence used once: "trata de personas" inside
    # "víctimas de trata de personas" is the longer term's, not a second "human trafficking".
    order = sorted(wanted, key=lambda t: -max(len(f) for f in wanted[t][1]))
    found_counts: dict[str, int] = {}
    for term_source in order:
        count, forms, _ = wanted[term_source]
        found = 0
        for form in sorted(forms, key=len, reverse=True):
            pattern = re.compile(rf"(?<!\w){re.escape(_normalised(form))}(?!\w)")
            found += len(pattern.findall(haystack))
            haystack = pattern.sub("\ufffc", haystack)
        found_counts[term_source] = found
    for term_source, (count, _forms, shown) in wanted.items():
        found = found_counts[term_source]
        if found < count:
            kind = "keep the name" if term_source in glossary.do_not_translate else "glossary"
            times = f" ({count} times in the source, {found} in the translation)" \
                if count > 1 else ""
            messages.append(f'{kind}: "{term_source}" should be "{shown}"{times}')
    return messages


def _occurrences(form: str, text: str, *, inflected: bool = False) -> int:
    """How often ``form`` is in ``text`` (case and spacing aside); ``inflected``: its plural too,
    the Spanish and French way ("refugio" -> "refugios", "abri" -> "abris", "bateau" -> "bateaux")."""
    suffix = "(?:s|es|x)?" if inflected else ""
    return len(re.findall(rf"(?<!\w){re.escape(_normalised(form))}{suffix}(?!\w)", _normalised(text)))


def forbidden_terms(glossary: Glossary, source: str, target: str, target_lang: str) -> list[str]:
    """Messages for forbidden translations ``target`` uses of terms that ``source`` holds."""
    messages = []
    scan = PLACEHOLDER_RE.sub(lambda m: _MASK * len(m.group()), source)
    for term in glossary.terms:
        used = [f for f in term.forms("forbidden", target_lang) if _occurrences(f, target, inflected=True)]
        if used and _pattern(term).search(scan):
            preferred = term.target(target_lang)
            fix = f'; use "{preferred}"' if preferred else ""
            messages += [f'forbidden: "{f}" for "{term.source}"{fix}' for f in used]
    return messages


def admitted_terms(glossary: Glossary, source: str, target: str, target_lang: str) -> list[str]:
    """Messages for admitted translations ``target`` uses where the preferred one is missing."""
    messages = []
    for match in find_terms(glossary, source, target_lang):
        term = next(t for t in glossary.terms if t.source == match.term)
        preferred = [f for f in (term.target(target_lang), term.target(target_lang, plural=True)) if f]
        used = [f for f in term.forms("admitted", target_lang) if _occurrences(f, target)]
        if used and not any(_occurrences(f, target) for f in preferred):
            messages.append(f'admitted: "{used[0]}" for "{term.source}"; the preferred term is "{match.target}"')
    return messages
