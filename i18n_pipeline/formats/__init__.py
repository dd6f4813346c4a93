"""Document formats: one module per format, one contract (``contract.py``).

``parse_document`` and ``render_document`` pick the module by the file's extension or the
document's format; the modules themselves never import this package's ``__init__``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from i18n_pipeline.errors import DocumentError
from i18n_pipeline.formats import html, markdown
from i18n_pipeline.formats import text as plain_text
from i18n_pipeline.formats.contract import Lookup, ParseOptions, RenderSegment, splice, usable_translation
from i18n_pipeline.model import Document

__all__ = [
    "FORMATS",
    "Lookup",
    "ParseOptions",
    "RenderSegment",
    "format_of",
    "parse_document",
    "prepare_formats",
    "render_document",
    "splice",
    "usable_translation",
]

FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
}


def format_of(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise DocumentError(
            str(path), f"unknown release format '{suffix}'", "use .md, .html or .txt, or run 'ingest' first"
        )
    return FORMATS[suffix]


_PARSERS: dict[str, Callable[[str, str, ParseOptions], Document]] = {
    "markdown": markdown.parse,
    "html": html.parse,
    "text": plain_text.parse,
}
_RENDERERS: dict[str, Callable[[Document, Lookup], str]] = {
    "markdown": markdown.render,
    "html": html.render,
    "text": plain_text.render,
}


def parse_document(text: str, path: str, options: ParseOptions) -> Document:
    """Parse ``text`` with the module for ``path``'s format."""
    return _PARSERS[format_of(path)](text, path, options)


def render_document(document: Document, lookup: Lookup) -> str:
    """Render ``document`` with its format module."""
    return _RENDERERS[document.format](document, lookup)


def prepare_formats(paths: Iterable[Path]) -> None:
    """Build now, in this process, what parsing and rendering these releases takes that is built
    once a process (markdown-it: ~25 ms to import and set up), so that the workers a stage forks
    next inherit it instead of each building its own."""
    if any(FORMATS.get(path.suffix.lower()) == "markdown" for path in paths):
        markdown.prepare()
