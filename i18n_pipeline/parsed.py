"""A release file read into a Document (:func:`load_document`, what every stage that reads a
release calls), and parsed releases kept between processes, so that build does not parse again
what extract parsed (a release costs 2–3 ms to parse, 0.1 ms to load).

``.i18n-cache/documents/<release>.pickle`` holds the Document and the key it was parsed under:
the release's bytes, the name it is reported under, the parse options and our code (a hash of
all of them). Anything else, a damaged file included, is a miss that costs one parse. The
unpickler accepts only the model's classes and the plain values front matter yields, so a file
planted in the cache can make a wrong Document at worst, never run code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import pickle
from pathlib import Path

from i18n_pipeline.config import Settings
from i18n_pipeline.errors import DocumentError, PipelineError
from i18n_pipeline.files import write_atomic
from i18n_pipeline.formats import ParseOptions, format_of, parse_document
from i18n_pipeline.formats.front_matter import check_release_front_matter
from i18n_pipeline.incremental import code_digest
from i18n_pipeline.model import Document, Placeholder, Segment
from i18n_pipeline.release_files import check_release_text

__all__ = ["document_key", "keep_document", "kept_document", "kept_form", "load_document", "read_release"]

_FOLDER = "documents"
_KEY_LENGTH = 64
# What a Document is made of: the model's classes, and what YAML front matter decodes to.
_ALLOWED = {
    ("i18n_pipeline.model", "Document"): Document,
    ("i18n_pipeline.model", "Segment"): Segment,
    ("i18n_pipeline.model", "Placeholder"): Placeholder,
    ("datetime", "date"): dt.date,
    ("datetime", "datetime"): dt.datetime,
    ("datetime", "timedelta"): dt.timedelta,
    ("datetime", "timezone"): dt.timezone,
}


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        found = _ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a Document")
        return found


def document_key(raw: bytes, where: str, options: str) -> str:
    """The key a Document of ``raw`` parsed as ``where`` with ``options`` is kept under."""
    h = hashlib.sha256(code_digest().encode())
    for part in (where.encode("utf-8", "surrogatepass"), options.encode("utf-8", "surrogatepass"), raw):
        h.update(len(part).to_bytes(8, "big") + part)
    return h.hexdigest()


def _path(cache_dir: Path, release: str) -> Path:
    return cache_dir / _FOLDER / f"{release}.pickle"


def kept_document(cache_dir: Path, release: str, key: str) -> Document | None:
    """The Document kept for ``release`` under ``key``, or None."""
    try:
        data = _path(cache_dir, release).read_bytes()
    except OSError:
        return None
    if data[:_KEY_LENGTH] != key.encode():
        return None
    try:
        document = _ModelUnpickler(io.BytesIO(data[_KEY_LENGTH:])).load()  # restricted to the model
    except Exception:  # noqa: BLE001  # any damage is a miss: the release is parsed again
        return None
    return document if isinstance(document, Document) else None


def kept_form(key: str, document: Document) -> bytes:
    """``document`` as the cache keeps it under ``key`` (made where it was parsed: a worker)."""
    return key.encode() + pickle.dumps(document, protocol=5)


def keep_document(cache_dir: Path, release: str, kept: bytes) -> None:
    """Keep a document (``kept_form``) for the next process (regenerable: atomic, not fsynced);
    a cache that cannot be written costs a parse next time, nothing else."""
    try:
        write_atomic(_path(cache_dir, release), kept, durable=False)
    except PipelineError:
        pass


def load_document(settings: Settings, path: Path) -> Document:
    """The release at ``path`` as a Document: the one kept for these bytes, else parsed."""
    return read_release(settings, path)[0]


def read_release(settings: Settings, path: Path) -> tuple[Document, str | None, bytes]:
    """The release at ``path``; when it had to be parsed, the key to keep it under once the
    caller's own outputs are written (a command that fails changes nothing, its cache included),
    None when it was kept already; and the bytes it was read from (for the work log's digest)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read ({exc.strerror})", "check the file") from None
    where = str(path.relative_to(settings.root) if path.is_relative_to(settings.root) else path)
    options = ParseOptions(
        language=settings.source_language,
        sentences=settings.segmentation == "sentence",
        front_matter_keys=settings.front_matter_keys,
    )
    key = document_key(raw, where, f"{format_of(path)} {options!r}")
    kept = kept_document(settings.cache_dir, path.stem, key)
    if kept is not None:
        return kept, None, raw  # these bytes passed the checks below when they were parsed
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DocumentError(
            f"{path}:{line}", "not UTF-8 text", "save it as UTF-8, or run 'i18n-pipeline ingest' on it"
        ) from None
    check_release_text(text, where)
    if format_of(path) == "markdown":
        check_release_front_matter(text, where)
    return parse_document(text, where, options), key, raw
