"""MO files: a catalog compiled by GNU msgfmt (``build --mo``), fuzzy entries left out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.files import write_if_changed
from i18n_pipeline.pofile import po_bytes

__all__ = ["compile_mo"]


def compile_mo(cat: Catalog, path: Path) -> bool:
    """Compile an MO file with msgfmt (fuzzy entries are left out), written atomically; False
    when the file already held these bytes."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise CatalogError(str(path), "msgfmt is not installed", "install GNU gettext (apt-get install gettext)")
    proc = subprocess.run([msgfmt, "-o", "-", "-"], input=po_bytes(cat), capture_output=True, check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", errors="replace").strip().replace("<stdin>", cat.path or "catalog")
        raise CatalogError(str(path), f"msgfmt failed: {message}", "fix the catalog (msgfmt -c shows the problem)")
    try:
        return write_if_changed(path, proc.stdout, durable=False)  # compiled from the PO file
    except OSError as exc:
        raise CatalogError(str(path), f"cannot write the MO file ({exc.strerror})", "check permissions and free space") from exc
