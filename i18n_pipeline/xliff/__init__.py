"""XLIFF 2.1 and 1.2: translations out to an agency's CAT tool and back into the PO files.

Export writes one XLIFF file per release and language (:func:`xliff_bytes`); import reads one
back (:func:`read_xliff`) and applies it to the release's catalog (:func:`import_release`).

* **Inline codes.** Our placeholders become the codes CAT tools protect: in 2.1 ``<1>…</1>`` is
  ``<pc>`` and ``<2/>`` is ``<ph>``, with the source markup they stand for (a Markdown link, an
  HTML tag) in the unit's ``<originalData>``; in 1.2 they are ``<g>`` and ``<x/>`` with a
  ``ctype``. Codes that cross instead of nesting become ``<sc>``/``<ec>`` (``<bx>``/``<ex>``).
* **Review states** (the README has the table). Export: machine output and other unreviewed
  translations are 2.1 ``initial`` / 1.2 ``needs-review-translation``, reviewed ones ``final``;
  an untranslated entry has no target. Import: 2.1 ``reviewed`` and ``final``, 1.2 ``final``
  and ``signed-off`` make the entry reviewed; any other state brings the translation in fuzzy,
  to be reviewed.
* **Identity.** A unit's id is a digest of the entry's context and source text, so it survives
  any reordering; on import the unit's source must still be the entry's source, else the unit is
  not imported and is reported (the English changed since the export).
* **Never losing a review.** An unreviewed unit never replaces a reviewed entry. A reviewed unit
  replaces a reviewed entry only if that entry still holds what was exported: the export records
  each unit's PO state and a digest of its target (2.1: the Metadata module; 1.2: ``extradata``).
* **Notes** carry the translator context of the PO: ``#.`` notes (what the segment is, what each
  placeholder stands for), the ``#:`` references and the translator comments.

Files are checked on import for their namespace, version and required attributes; parsing is
hardened (``xmlsafe.py``). Writing the files and the PO files is the pipeline's.

``write.py`` exports, ``read.py`` reads, ``common.py`` holds what both need; the import rules
are here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from i18n_pipeline.catalog import IMPORT_PREFIX, Catalog, Entry
from i18n_pipeline.model import State
from i18n_pipeline.segment import placeholders_match
from i18n_pipeline.xliff.common import DEFAULT_STATES, VERSIONS, digest, unit_id
from i18n_pipeline.xliff.read import UnitTranslation, XliffRelease, read_xliff
from i18n_pipeline.xliff.write import ExportUnit, export_units, xliff_bytes

__all__ = [
    "DEFAULT_STATES",
    "VERSIONS",
    "ExportUnit",
    "ImportReport",
    "UnitTranslation",
    "XliffRelease",
    "export_units",
    "import_release",
    "read_xliff",
    "unit_id",
    "xliff_bytes",
]


@dataclass
class ImportReport:
    """What one XLIFF release did to its PO file."""

    xliff: str
    po: str = ""
    reviewed: int = 0  # entries now reviewed with the unit's translation
    to_review: int = 0  # translations brought in fuzzy, to be reviewed
    unchanged: int = 0  # nothing new in the unit
    problems: list[str] = field(default_factory=list)  # "<file>:<line>: <what>; <how to fix>"

    @property
    def changed(self) -> int:
        return self.reviewed + self.to_review


def import_release(catalog: Catalog, release: XliffRelease, *, label: str) -> ImportReport:
    """Apply the units of ``release`` to ``catalog`` (see the module's rules); ``label`` (the
    file name and the date) goes into the translator comment of every entry it changes."""
    report = ImportReport(release.path)
    entries = {unit_id(e.source, e.context): e for e in catalog.entries()}
    by_source: dict[str, list[Entry]] = {}
    for known in catalog.entries():
        by_source.setdefault(known.source, []).append(known)
    for unit in release.units:
        where = f"{release.path}:{unit.line}"

        def problem(what: str, fix: str, where: str = where, uid: str = unit.id) -> None:
            report.problems.append(f"{where}: unit {uid}: {what}; {fix}")

        entry: Entry | None = entries.get(unit.id)
        if entry is None and len(by_source.get(unit.source, [])) == 1:
            entry = by_source[unit.source][0]  # the CAT tool renamed the unit
        if unit.problem is not None:
            problem(unit.problem, "keep the inline codes of the source as the CAT tool shows them")
            continue
        if entry is None or entry.source != unit.source:
            problem(f"its source {_short(unit.source)} is no longer in {catalog.path or 'the catalog'} (the English "
                    "changed since the export)", "not imported: export again and translate the new sentence")
            continue
        target = unit.target
        if not target:
            report.unchanged += 1
            continue
        if not placeholders_match(entry.source, target):
            problem("its translation does not keep the source's inline codes, each once",
                    "not imported: restore the codes in the CAT tool and export again")
            continue
        untouched = unit.exported_target is not None and unit.exported_target == digest(target)
        comment = f"{IMPORT_PREFIX} {label} ({unit.state})"
        if unit.reviewed:
            if entry.state is State.REVIEWED and entry.target == target:
                report.unchanged += 1
            elif entry.state is State.REVIEWED and unit.exported_target != digest(entry.target):
                problem("the PO entry was reviewed after the export and holds another translation",
                        "kept the PO's translation; compare the two and edit the PO file")
            else:
                catalog.set_translation(entry.source, entry.context, target, comment, reviewed=True,
                                        replace_reviewed=entry.state is State.REVIEWED)
                report.reviewed += 1
        elif entry.state is State.REVIEWED:
            if entry.target != target:
                problem(f"an unreviewed translation ({unit.state}) never replaces a reviewed one",
                        "kept the PO's translation; set the unit to final in the CAT tool to replace it")
            else:
                report.unchanged += 1
        elif entry.target == target or untouched:
            report.unchanged += 1  # nothing new: what the PO holds (or held) came back as it went
        else:
            catalog.set_translation(entry.source, entry.context, target, comment, reviewed=False)
            report.to_review += 1
    return report


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
