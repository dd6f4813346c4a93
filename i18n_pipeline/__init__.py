"""i18n-pipeline: translate and localise press releases through gettext PO files.

The public API, for use from Python (the command line is a thin layer over the same calls)::

    from i18n_pipeline import load_settings, run, read_po

    settings = load_settings(Path("."))
    result = run(settings, ["es"])
    catalog = read_po(Path("locales/es/LC_MESSAGES/release.po"))
"""

from __future__ import annotations

__version__ = "0.1.0"

from i18n_pipeline.catalog import Catalog, Entry
from i18n_pipeline.config import PublishPolicy, Settings, load_settings
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.model import Problem, State, Stats
from i18n_pipeline.pipeline import build, extract, report, run, status, translate, update
from i18n_pipeline.pofile import read_po, write_po

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
