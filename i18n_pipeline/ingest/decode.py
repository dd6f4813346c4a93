"""Bytes as they arrived -> text: binary files refused, BOMs, a page's declared charset, and
charset-normalizer for the rest (chosen among equals as Western press releases are encoded)."""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from i18n_pipeline.errors import DocumentError

__all__ = ["decode_bytes"]

log = logging.getLogger(__name__)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# When several single-byte encodings decode a page equally well (they usually do: the bytes
# of é, à, ñ are the same in cp1250 and cp1252), prefer the one Western press releases use.
_PREFERRED_ENCODINGS = ("utf_8", "cp1252", "latin_1", "iso8859_15")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_bytes(data: bytes, path: str) -> str:
    """Decode the input, refusing binary files; newlines are normalised to ``\\n``."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise DocumentError(
                path, f"this is {name}, not text", "convert it to HTML, Markdown or plain text first"
            )
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DocumentError(path, f"broken {encoding} text ({exc.reason})", "re-save it as UTF-8") from exc
            break
    if text is None:
        if b"\x00" in data[:8192]:
            raise DocumentError(
                path, "binary data (NUL bytes), not text", "give a text, HTML or Markdown file"
            )
        text = _decode_unmarked(data, path)
    controls = sum(1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise DocumentError(path, "binary data (control characters), not text", "give a text, HTML or Markdown file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_unmarked(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET_RE.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        # WHATWG: pages labelled Latin-1 are decoded as windows-1252.
        if name in {"iso-8859-1", "latin1", "latin-1", "iso8859-1", "us-ascii", "ascii"}:
            name = "cp1252"
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared charset %s does not decode the page", path, name)

    import charset_normalizer  # ≈ 30 ms: only ingest of undeclared encodings pays

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise DocumentError(
            path, "cannot tell the text encoding (it is not UTF-8)", "re-save the file as UTF-8"
        )
    best_chaos = min(m.chaos for m in matches)
    best_coherence = max(m.coherence for m in matches if m.chaos <= best_chaos + 0.01)

    def rank(match: Any) -> tuple[int, float]:
        names = [match.encoding, *match.could_be_from_charset]
        preferred = min((_PREFERRED_ENCODINGS.index(n) for n in names if n in _PREFERRED_ENCODINGS), default=99)
        return preferred, match.chaos

    tied = [m for m in matches if m.chaos <= best_chaos + 0.01 and m.coherence >= best_coherence - 0.05]
    chosen = min(tied, key=rank)
    log.info("%s: not UTF-8; decoded as %s", path, chosen.encoding)
    return str(chosen)
