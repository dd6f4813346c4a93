"""The import rules: what a unit that came back does to its PO entry (see the package)."""

from __future__ import annotations

from dataclasses import dataclass, field

from i18n_pipeline.catalog import IMPORT_PREFIX, Catalog, Entry
from i18n_pipeline.model import State
from i18n_pipeline.segment import placeholders_match
from i18n_pipeline.xliff.common import digest, unit_id
from i18n_pipeline.xliff.read import XliffRelease

__all__ = ["ImportReport", "import_release"]


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
