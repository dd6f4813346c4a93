"""The catalog model: entries, their review states, named queries and msgmerge-style updates.

A :class:`Catalog` is what a PO or POT file holds, without the file: ``pofile.py`` reads and
writes it (gettext-exact formatting, the guard against a translator's concurrent save), this
module knows nothing of PO syntax and imports no PO library. Both work on the mutable messages
of ``pounit.py``; other rooms see read-only :class:`Entry` views.

Review states are data (:class:`~i18n_pipeline.model.State`), derived from what the file stores:
an empty target is untranslated; a target without the fuzzy flag is reviewed; a fuzzy target is
machine output when it carries our provenance comment and no previous source, and needs an
update otherwise. Other rooms ask the catalog (``catalog.reviewed()``, ``catalog.lookup()``)
rather than comparing states themselves.

For ``pofile`` only (not other rooms): the ``Catalog`` constructor, ``header_unit``,
``file_units()``, ``origin`` and ``remember_file()``.

Outside this module, ``pounit`` and ``pofile`` we say *source* and *target*; msgid/msgstr are
spelled only in these three.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from i18n_pipeline.errors import CatalogError, ConfigError
from i18n_pipeline.languages import plural_forms as cldr_plural_forms
from i18n_pipeline.model import Document, State, Stats, count_words
from i18n_pipeline.pounit import (
    CONTENT_TYPE,
    Origin,
    Unit,
    canonical_flags,
    describe_entry,
    header_fields,
    is_gettext_flag,
    normalise_references,
    with_header_field,
)

__all__ = [
    "FUZZY_CUTOFF", "IMPORT_PREFIX", "MACHINE_PREFIX", "MEMORY_PREFIX", "UNKNOWN_WORDS_LABEL", "Catalog", "Entry",
    "TemplateEntry", "machine_comment", "new_template", "publishable", "unknown_words_of", "update_catalog",
]

#: Translator comments we own start with one of these; a new one replaces the older one.
MACHINE_PREFIX = "machine translation:"
MEMORY_PREFIX = "translation memory:"
_OWNED_PREFIXES = (MACHINE_PREFIX, MEMORY_PREFIX)
#: The comment of a translation brought in from an agency's XLIFF file (a person's, not ours).
IMPORT_PREFIX = "xliff import:"
_REPLACED_PREFIXES = (*_OWNED_PREFIXES, IMPORT_PREFIX)  # a new comment of ours replaces these
#: Ends a machine-translation comment when the engine left words it did not know.
UNKNOWN_WORDS_LABEL = "; unknown words: "


def machine_comment(provenance: str, unknown_words: Iterable[str] = ()) -> str:
    """The translator comment of machine output: "machine translation: apertium eng-spa,
    2026-12-01; unknown words: trafficked" (the words the engine left untranslated)."""
    comment = provenance if provenance.startswith(MACHINE_PREFIX) else f"{MACHINE_PREFIX} {provenance}"
    words = list(dict.fromkeys(unknown_words))
    return comment + (UNKNOWN_WORDS_LABEL + ", ".join(words) if words else "")


def unknown_words_of(comments: Iterable[str]) -> tuple[str, ...]:
    """The unknown words a machine-translation comment names (none: the engine knew them all)."""
    for comment in comments:
        if comment.startswith(MACHINE_PREFIX) and UNKNOWN_WORDS_LABEL in comment:
            listed = comment.split(UNKNOWN_WORDS_LABEL, 1)[1]
            return tuple(w.strip() for w in listed.split(",") if w.strip())
    return ()

#: Minimum rapidfuzz ``fuzz.ratio`` (0-100) for msgmerge-style fuzzy matching.
FUZZY_CUTOFF = 70.0

_NPLURALS_RE = re.compile(r"nplurals\s*=\s*(\d+)")
_log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Public data


@dataclass(frozen=True)
class TemplateEntry:
    """One message of a template, built by the pipeline from segments."""

    source: str
    context: str | None
    references: tuple[str, ...]  # e.g. ("seed-release:p3",): never line numbers
    notes: tuple[str, ...]  # extracted comments (#.)
    flags: tuple[str, ...] = ()  # e.g. ("no-wrap",)


@dataclass(frozen=True)
class Entry:
    """A read-only view of one catalog entry."""

    source: str
    context: str | None
    target: str  # first plural form for plural entries
    state: State
    previous_source: str | None
    translator_comments: tuple[str, ...]
    notes: tuple[str, ...]
    references: tuple[str, ...]
    flags: tuple[str, ...]
    machine: bool  # has our machine-translation provenance comment
    source_plural: str | None = None
    targets: tuple[str, ...] = ()  # all forms (one element for a non-plural entry)
    obsolete: bool = False
    line: int = 0  # line of its msgid in the file it was read from (0: not read from a file)


# --------------------------------------------------------------------------------------------
# Review states of units


def _is_machine(unit: Unit) -> bool:
    """Pre-translated by the pipeline (engine or memory), whatever a reviewer did since."""
    return any(c.startswith(_OWNED_PREFIXES) for c in unit.comments)


def _state(unit: Unit, machine: bool | None = None) -> State:
    """``machine``: _is_machine(unit), when the caller knows it already."""
    if not unit.translated:
        return State.UNTRANSLATED
    if not unit.fuzzy:
        return State.REVIEWED
    if unit.prev_msgid is None and (_is_machine(unit) if machine is None else machine):
        return State.MACHINE
    return State.NEEDS_UPDATE


def _view(unit: Unit) -> Entry:
    machine = _is_machine(unit)
    return Entry(
        source=unit.msgid,
        context=unit.msgctxt,
        target=unit.msgstr[0] if unit.msgstr else "",
        state=_state(unit, machine),
        previous_source=unit.prev_msgid,
        translator_comments=tuple(unit.comments),
        notes=tuple(unit.extracted),
        references=tuple(unit.references),
        flags=tuple(unit.flags),
        machine=machine,
        source_plural=unit.msgid_plural,
        targets=tuple(unit.msgstr),
        obsolete=unit.obsolete,
        line=unit.line,
    )


# --------------------------------------------------------------------------------------------
# The catalog


def publishable(state: State, *, include_machine: bool) -> bool:
    """A target in ``state`` may be published: reviewed, or with ``include_machine`` any other
    translated state (machine output, a memory suggestion, the translation of a previous version
    of the sentence)."""
    return state is State.REVIEWED or (include_machine and state is not State.UNTRANSLATED)


class Catalog:
    """A PO or POT file in memory: a header and entries (current ones, then obsolete ones)."""

    def __init__(self, header: Unit | None, units: list[Unit], *, path: str = "", origin: Origin | None = None) -> None:
        self._header: Unit = header if header is not None else Unit(msgid="", msgstr=[""])
        self._units: list[Unit] = units
        self._path = path
        #: What the file held when read or last written (pofile's stale-write check).
        self.origin: Origin | None = origin
        self._index: dict[tuple[str | None, str], Unit] = {u.key: u for u in units if not u.obsolete}
        self._stamped: tuple[str, str] | None = None  # _suggest's last revision date, and the header it left

    # ---- header
    @property
    def language(self) -> str | None:
        return self.header_field("Language") or None

    @property
    def path(self) -> str:
        return self._path

    def header_field(self, name: str) -> str | None:
        for key, value in header_fields(self._header.msgstr[0]):
            if key.lower() == name.lower():
                return value
        return None

    def _set_header_field(self, name: str, value: str) -> None:
        self._header.msgstr[0] = with_header_field(self._header.msgstr[0], name, value)

    # ---- queries
    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self._index)

    def entries(self) -> list[Entry]:
        """Current entries (not obsolete, not the header), in file order."""
        return [_view(u) for u in self._units if not u.obsolete]

    def entry_keys(self) -> list[tuple[str | None, str]]:
        """The (context, source) of every current entry, in file order, without making views."""
        return [u.key for u in self._units if not u.obsolete]

    def commented(self) -> bool:
        """Whether a current entry has a translator comment (``entries()``' translator_comments)."""
        return any(u.comments for u in self._units if not u.obsolete)

    def targets(self) -> list[str]:
        """The target (first form) of every current entry, in file order: ``entries()``'s
        ``target``, without making the views."""
        return [u.msgstr[0] if u.msgstr else "" for u in self._units if not u.obsolete]

    def obsolete(self) -> list[Entry]:
        return [_view(u) for u in self._units if u.obsolete]

    def reviewed(self) -> list[Entry]:
        """Current entries a translator approved (not fuzzy), in file order."""
        return self._in_state(State.REVIEWED)

    def machine(self) -> list[Entry]:
        """Current entries the pipeline pre-translated and nobody approved yet."""
        return self._in_state(State.MACHINE)

    def needs_update(self) -> list[Entry]:
        """Current entries whose translation is of another sentence (fuzzy, not our fresh output)."""
        return self._in_state(State.NEEDS_UPDATE)

    def untranslated(self) -> list[Entry]:
        """Current entries without a translation."""
        return self._in_state(State.UNTRANSLATED)

    def _in_state(self, state: State) -> list[Entry]:
        return [_view(u) for u in self._units if not u.obsolete and _state(u) is state]

    def get(self, source: str, context: str | None = None) -> Entry | None:
        unit = self._index.get((context, source))
        return _view(unit) if unit is not None else None

    def lookup(self, source: str, context: str | None = None, *, include_machine: bool) -> str | None:
        """The reviewed target; with ``include_machine``, any unreviewed one too (``publishable``:
        what ``msgfmt --use-fuzzy`` would use). A build that uses them says so."""
        found = self.target_and_state(source, context)
        return found[0] if found is not None and publishable(found[1], include_machine=include_machine) else None

    def target_and_state(self, source: str, context: str | None = None) -> tuple[str, State] | None:
        """The target (first form) and state of a non-plural current entry, None without one:
        ``lookup`` for both values of ``include_machine`` at once (a build asks both, per segment;
        ``publishable`` says which it may use)."""
        unit = self._index.get((context, source))
        if unit is None or unit.msgid_plural is not None:
            return None
        state = _state(unit)
        return (unit.msgstr[0] if state is not State.UNTRANSLATED else "", state)

    def check_facts(self, source: str, context: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """What a build's checks need of one current entry: its ``flags`` and
        ``translator_comments``, as ``get`` gives them, without making the whole view."""
        unit = self._index.get((context, source))
        return (tuple(unit.flags), tuple(unit.comments)) if unit is not None else None

    def stats(self) -> Stats:
        """Segments and words (of the source) per review state."""
        stats = Stats()
        for unit in self._units:
            if not unit.obsolete:
                stats.add(_state(unit), count_words(unit.msgid))
        return stats

    # ---- for pofile (see the module docstring)
    @property
    def header_unit(self) -> Unit:
        return self._header

    def file_units(self) -> list[Unit]:
        """The units in the order a file lists them: current entries, then obsolete ones."""
        return [u for u in self._units if not u.obsolete] + [u for u in self._units if u.obsolete]

    def remember_file(self, path: str, origin: Origin) -> None:
        """The catalog now mirrors the file at ``path``, which holds ``origin``."""
        self._path = path
        self.origin = origin

    # ---- changes
    def _unit_for_change(self, source: str, context: str | None, *, reviewed_too: bool = False) -> Unit:
        unit = self._index.get((context, source))
        where = self._path or "catalog"
        if unit is None:
            raise CatalogError(
                where, f"no entry for {describe_entry(source, context)}", "update the catalog from its template first"
            )
        if _state(unit) is State.REVIEWED and not reviewed_too:
            raise CatalogError(
                where,
                f"refusing to replace the reviewed translation of {describe_entry(source, context)}",
                "reviewed translations are only changed by translators",
            )
        if unit.msgid_plural is not None:
            raise CatalogError(where, f"{describe_entry(source, context)} has plural forms", "translate plural entries by hand")
        return unit

    def set_machine_translation(self, source: str, context: str | None, target: str, provenance: str) -> None:
        """Store machine output: target, fuzzy, and a translator comment naming the engine."""
        if not provenance.startswith(MACHINE_PREFIX):
            provenance = f"{MACHINE_PREFIX} {provenance}"
        self._suggest(self._unit_for_change(source, context), target, provenance, fuzzy=True)

    def set_suggestion(
        self,
        source: str,
        context: str | None,
        target: str,
        comment: str,
        *,
        approved: bool,
        previous_source: str | None = None,
    ) -> None:
        """Store a translation-memory match: approved → reviewed, else fuzzy; comment kept.

        ``previous_source`` (the sentence a fuzzy match translates) is written as ``#| msgid``
        so editors show the translator what differs.
        """
        unit = self._unit_for_change(source, context)
        self._suggest(unit, target, comment, fuzzy=not approved, previous=None if approved else previous_source)

    def set_translation(
        self, source: str, context: str | None, target: str, comment: str, *, reviewed: bool, replace_reviewed: bool = False
    ) -> None:
        """Store a person's translation from outside (an XLIFF file): reviewed, or fuzzy to be
        reviewed. ``comment`` (starting with ``IMPORT_PREFIX``) replaces the pipeline's own
        comments. A reviewed entry is replaced only with ``replace_reviewed``: the caller made
        sure the reviewed text is the one the translator started from."""
        unit = self._unit_for_change(source, context, reviewed_too=replace_reviewed)
        self._suggest(unit, target, comment, fuzzy=not reviewed)

    def _suggest(self, unit: Unit, target: str, comment: str, *, fuzzy: bool, previous: str | None = None) -> None:
        before = unit.copy()
        unit.msgstr = [target]
        unit.prev_msgctxt = unit.prev_msgid_plural = None
        unit.prev_msgid = previous
        kept = [c for c in unit.comments if not c.startswith(_REPLACED_PREFIXES)]
        unit.comments = kept + ([comment] if comment else [])
        unit.set_fuzzy(fuzzy)
        if unit != before:
            stamp = _now()  # a minute of changes to an unchanged header: one rewrite, not thousands
            if self._stamped != (stamp, self._header.msgstr[0]):
                self._set_header_field("PO-Revision-Date", stamp)
                self._stamped = (stamp, self._header.msgstr[0])


def _now() -> str:
    """Current time as gettext writes it (UTC). Tests may replace this function."""
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M+0000")


_Written = tuple[object, ...]


def _written(unit: Unit) -> _Written:
    """What a PO file shows of a unit: units with equal forms are written as the same lines,
    units with different forms as different lines (comments count line by line, flags and
    references as gettext normalises them, only the first msgstr of a non-plural entry)."""
    return (
        tuple(line for c in unit.comments for line in c.split("\n")),
        tuple(line for c in unit.extracted for line in c.split("\n")),
        tuple(normalise_references(unit.references)),
        tuple(canonical_flags(unit.flags)),
        unit.prev_msgctxt, unit.prev_msgid, unit.prev_msgid_plural,
        unit.msgctxt, unit.msgid, unit.msgid_plural,
        tuple(unit.msgstr) if unit.msgid_plural is not None else unit.msgstr[0],
        unit.obsolete,
    )  # fmt: skip


def _same_entries(a: Catalog, b: Catalog) -> bool:
    """Whether the entries of two catalogs would be written identically (headers aside)."""
    return [_written(u) for u in a.file_units()] == [_written(u) for u in b.file_units()]


# --------------------------------------------------------------------------------------------
# Template and merge


def template_entries(document: Document) -> list[TemplateEntry]:
    """One entry per distinct (text, context), with every place it occurs and what it is."""
    merged: dict[tuple[str, str | None], tuple[list[str], list[str]]] = {}
    for seg in document.segments:
        refs, notes = merged.setdefault((seg.text, seg.context), ([], []))
        ref = f"{document.name}:{seg.block}"
        if ref not in refs:
            refs.append(ref)
        for note in [seg.kind] + [
            f"{' '.join(ph.tokens())} = {ph.note}" for ph in seg.placeholders if ph.note
        ]:
            if note not in notes:
                notes.append(note)
    return [
        TemplateEntry(source=text, context=ctx, references=tuple(refs), notes=tuple(notes))
        for (text, ctx), (refs, notes) in merged.items()
    ]


_WHITE_SPACE_RE = re.compile(r"\s")  # what str.isspace() tells, a search instead of a loop per character


def new_template(
    entries: Iterable[TemplateEntry],
    *,
    project: str,
    creation_date: str | None = None,
    previous: Catalog | None = None,
) -> Catalog:
    """Build a POT catalog. Identical (context, source) pairs are merged, as xgettext does.

    ``creation_date`` defaults to now, but to ``previous``'s date when ``previous`` (the POT on
    disk) has the same entries, so an unchanged template is byte-identical on re-runs.
    """
    units: list[Unit] = []
    index: dict[tuple[str | None, str], Unit] = {}
    for entry in entries:
        if entry.source == "":
            raise CatalogError("template", "an entry with empty source text", "empty segments must not be extracted")
        for ref in entry.references:
            if not ref or _WHITE_SPACE_RE.search(ref):
                raise CatalogError("template", f"reference {ref!r} is empty or contains white space", "use release:block")
        key = (entry.context, entry.source)
        unit = index.get(key)
        if unit is None:
            unit = Unit(msgid=entry.source, msgctxt=entry.context)
            index[key] = unit
            units.append(unit)
        unit.references = normalise_references([*unit.references, *entry.references])
        unit.extracted += [n for n in entry.notes if n not in unit.extracted]
        unit.flags = canonical_flags([*unit.flags, *entry.flags])
    fields = [
        ("Project-Id-Version", project),
        ("POT-Creation-Date", creation_date or _now()),
        ("MIME-Version", "1.0"),
        ("Content-Type", CONTENT_TYPE),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    header = Unit(msgid="", msgstr=["".join(f"{key}: {value}\n" for key, value in fields)])
    cat = Catalog(header, units)
    if creation_date is None and previous is not None:
        old_date = previous.header_field("POT-Creation-Date")
        if old_date and _same_entries(previous, cat):
            cat._set_header_field("POT-Creation-Date", old_date)
    return cat


def _fuzzy_matcher(candidates: list[Unit]) -> Callable[[str], Unit | None]:
    if not candidates:  # a new PO file: nothing to match, and rapidfuzz need not load
        return lambda text: None
    from rapidfuzz import fuzz, process  # ≈ 20 ms: only a merge with fuzzy matching pays

    choices = [u.msgid for u in candidates]

    def find(text: str) -> Unit | None:
        found = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return candidates[found[2]] if found is not None else None

    return find


def _notes(template: Unit, extra: Mapping[tuple[str | None, str], Sequence[str]]) -> list[str]:
    return list(template.extracted) + [n for n in extra.get(template.key, ()) if n not in template.extracted]


def _cldr_plural_forms(language: str) -> str:
    try:
        return cldr_plural_forms(language)
    except ConfigError as exc:
        raise CatalogError("language", exc.what, "use a code like es, fr or pt_BR, or give the plural forms explicitly") from exc


def update_catalog(
    po: Catalog | None,
    template: Catalog,
    *,
    language: str,
    project: str,
    fuzzy_matching: bool = True,
    plural_forms: str | None = None,
    notes: Mapping[tuple[str | None, str], Sequence[str]] | None = None,
) -> Catalog:
    """Merge a translation catalog with a template, with msgmerge's semantics.

    Exact (context, source) matches keep target, fuzzy state, previous source and translator
    comments; notes, references and the other flags come from the template. New sources get
    the translation of a close old entry (obsolete ones included) marked fuzzy with ``#|``.
    Old entries that left the template become obsolete (untranslated ones are dropped, as
    msgmerge does); an obsolete entry whose source returns is resurrected. ``po`` is not changed.

    ``notes`` ((context, source) -> notes) adds language-specific ``#.`` notes after the
    template's (the glossary's approved translations for this language): like the template's
    own, they are regenerated on every merge, so a second merge changes nothing.
    """
    extra = notes or {}
    old_units = [u.copy() for u in po._units] if po is not None else []
    current_old = {u.key: u for u in old_units if not u.obsolete}
    obsolete_old = {u.key: u for u in old_units if u.obsolete}
    used: set[int] = set()
    find = _fuzzy_matcher([u for u in old_units if u.translated and u.msgid_plural is None]) if fuzzy_matching else None

    units: list[Unit] = []
    for tmpl in template._units:
        if tmpl.obsolete:
            continue
        old = current_old.get(tmpl.key) or obsolete_old.get(tmpl.key)
        if old is not None:
            used.add(id(old))
            unit = old.copy()
            unit.obsolete = False
            unit.msgid_plural = tmpl.msgid_plural if tmpl.msgid_plural is not None else old.msgid_plural
            unit.extracted = _notes(tmpl, extra)
            unit.references = list(tmpl.references)
            # gettext's flags come from the template; the translator's own (``ignore-<check>``,
            # unknown to gettext) stay with the translation, as translator comments do.
            mine = [f for f in old.flags if not is_gettext_flag(f)]
            unit.flags = canonical_flags([f for f in tmpl.flags if f != "fuzzy"] + (["fuzzy"] if old.fuzzy else []) + mine)
            if not unit.fuzzy:
                unit.prev_msgctxt = unit.prev_msgid = unit.prev_msgid_plural = None
            units.append(unit)
            continue
        unit = tmpl.copy()
        unit.extracted = _notes(tmpl, extra)
        unit.msgstr = [""]
        match = find(tmpl.msgid) if find is not None and tmpl.msgid_plural is None else None
        if match is not None:
            unit.msgstr = list(match.msgstr)
            unit.comments = list(match.comments)
            unit.prev_msgctxt = match.msgctxt
            unit.prev_msgid = match.msgid
            unit.prev_msgid_plural = match.msgid_plural
            unit.set_fuzzy(True)
        units.append(unit)

    obsolete: list[Unit] = []
    seen_obsolete: set[tuple[str | None, str]] = set()
    for old in old_units:
        if id(old) in used or not old.translated or old.key in seen_obsolete:
            continue
        if not old.obsolete and old.key in obsolete_old and id(obsolete_old[old.key]) not in used:
            used.add(id(obsolete_old[old.key]))  # the newer (current) entry wins
        seen_obsolete.add(old.key)
        old.obsolete = True
        old.extracted = []
        old.references = []
        obsolete.append(old)

    header = po._header.copy() if po is not None else Unit(msgid="", msgstr=[""])
    header.set_fuzzy(False)
    values = {k.lower(): v for k, v in header_fields(header.msgstr[0])}
    wanted: dict[str, str] = {
        "Project-Id-Version": project,
        "POT-Creation-Date": template.header_field("POT-Creation-Date") or values.get("pot-creation-date") or _now(),
        "PO-Revision-Date": values.get("po-revision-date") or _now(),
        "Last-Translator": values.get("last-translator") or "Automatically generated",
        "Language-Team": values.get("language-team") or "none",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": CONTENT_TYPE,
        "Content-Transfer-Encoding": "8bit",
    }
    plural = plural_forms or values.get("plural-forms") or _cldr_plural_forms(language)
    counts = {len(u.msgstr) for u in units + obsolete if u.msgid_plural is not None and any(u.msgstr)}
    declared = _NPLURALS_RE.search(plural)
    if counts and declared is not None and counts != {int(declared.group(1))} and not plural_forms:
        # Existing translations have another number of forms than CLDR's rule: adding the rule
        # would make msgfmt reject the file. Keep what the file has (msgmerge adds nothing).
        _log.warning("%s: plural entries have %s forms, CLDR says %s; Plural-Forms left as it was",
                     po.path if po is not None else language, sorted(counts), declared.group(1))
    else:
        wanted["Plural-Forms"] = plural
        if declared is not None:
            for unit in units:
                if unit.msgid_plural is not None and not any(unit.msgstr):
                    unit.msgstr = [""] * int(declared.group(1))
    text = header.msgstr[0]
    for name, value in wanted.items():
        if values.get(name.lower()) != value:
            text = with_header_field(text, name, value)
    header.msgstr = [text]

    result = Catalog(
        header, units + obsolete, path=po.path if po is not None else "", origin=po.origin if po is not None else None
    )
    if po is None or not _same_entries(result, po):
        result._set_header_field("PO-Revision-Date", _now())
    return result
