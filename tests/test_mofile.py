"""MO files compiled by GNU msgfmt (i18n_pipeline.mofile)."""

from __future__ import annotations

from pathlib import Path

from i18n_pipeline.catalog import update_catalog
from i18n_pipeline.mofile import compile_mo
from tests.catalog_cases import PROVENANCE, run, template


def test_compile_mo_skips_fuzzy(tmp_path: Path) -> None:
    po = update_catalog(None, template("Approved.", "Machine."), language="es", project="seed")
    po.set_suggestion("Approved.", None, "Aprobado.", "", approved=True)
    po.set_machine_translation("Machine.", None, "Máquina.", PROVENANCE)
    mo = tmp_path / "es.mo"
    compile_mo(po, mo)
    text = run(["msgunfmt", str(mo)]).stdout.decode()
    assert "Aprobado." in text and "Máquina." not in text
