"""i18n-pipeline: translate and localise press releases through gettext PO files.

The public API, for use from Python (the command line is a thin layer over the same calls)::

    from i18n_pipeline import load_settings, run, read_po

    settings = load_settings(Path("."))
    result = run(settings, ["es"])
    catalog = read_po(Path("locales/es/LC_MESSAGES/release.po"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from i18n_pipeline.lazy import attribute_loader

__version__ = "0.1.0"

# The public names are imported when first used (PEP 562): the console script (launch.py) must
# answer a run with nothing to do without importing the pipeline (about 0.25 s of imports).
# The imports below are what each name is; the architecture test reads them as this module's.
if TYPE_CHECKING:
    from i18n_pipeline.catalog import Catalog, Entry
    from i18n_pipeline.config import PublishPolicy, Settings, load_settings
    from i18n_pipeline.errors import PipelineError
    from i18n_pipeline.model import Problem, State, Stats
    from i18n_pipeline.pipeline import build, extract, report, run, status, translate, update
    from i18n_pipeline.pofile import read_po, write_po

_PUBLIC = {
    "Catalog": "catalog", "Entry": "catalog",
    "PublishPolicy": "config", "Settings": "config", "load_settings": "config",
    "PipelineError": "errors",
    "Problem": "model", "State": "model", "Stats": "model",
    "build": "pipeline", "extract": "pipeline", "report": "pipeline", "run": "pipeline", "status": "pipeline",
    "translate": "pipeline", "update": "pipeline",
    "read_po": "pofile", "write_po": "pofile",
}


__getattr__ = attribute_loader(__name__, {name: f"i18n_pipeline.{room}" for name, room in _PUBLIC.items()})


__all__ = [
    "Catalog",
    "Entry",
    "PipelineError",
    "Problem",
    "PublishPolicy",
    "Settings",
    "State",
    "Stats",
    "__version__",
    "build",
    "extract",
    "load_settings",
    "read_po",
    "report",
    "run",
    "status",
    "translate",
    "update",
    "write_po",
]
