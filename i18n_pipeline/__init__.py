"""i18n-pipeline: translate and localise press releases through gettext PO files."""

from __future__ import annotations

__version__ = "0.1.0"
