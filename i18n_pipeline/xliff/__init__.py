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

``write.py`` exports, ``read.py`` reads, ``rules.py`` applies what came back to a catalog,
``exchange.py`` runs export and import on a project's files; ``common.py`` holds what they share.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from i18n_pipeline.lazy import attribute_loader
from i18n_pipeline.xliff.common import DEFAULT_STATES, VERSIONS, unit_id

# The rest is imported when first used (PEP 562): the command line needs only the versions and
# states for its options, and every command parses them.
if TYPE_CHECKING:
    from i18n_pipeline.xliff.exchange import export_release, import_files
    from i18n_pipeline.xliff.read import UnitTranslation, XliffRelease, read_xliff
    from i18n_pipeline.xliff.rules import ImportReport, import_release
    from i18n_pipeline.xliff.write import ExportUnit, export_units, xliff_bytes

_MODULE = {
    **dict.fromkeys(("export_release", "import_files"), "exchange"),
    **dict.fromkeys(("UnitTranslation", "XliffRelease", "read_xliff"), "read"),
    **dict.fromkeys(("ImportReport", "import_release"), "rules"),
    **dict.fromkeys(("ExportUnit", "export_units", "xliff_bytes"), "write"),
}


__getattr__ = attribute_loader(__name__, {name: f"{__name__}.{module}" for name, module in _MODULE.items()})


__all__ = [
    "DEFAULT_STATES",
    "VERSIONS",
    "ExportUnit",
    "ImportReport",
    "UnitTranslation",
    "XliffRelease",
    "export_release",
    "export_units",
    "import_files",
    "import_release",
    "read_xliff",
    "unit_id",
    "xliff_bytes",
]
