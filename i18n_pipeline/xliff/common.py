"""What the XLIFF writer and reader share: namespaces, unit ids, digests of exported targets."""

from __future__ import annotations

import hashlib
import re

from i18n_pipeline.model import State

__all__ = ["DEFAULT_STATES", "NS_11", "NS_12", "NS_20", "NS_MDA", "TOOL", "VERSIONS", "XML_CHAR_RE", "digest", "unit_id"]

VERSIONS = ("2.1", "1.2")
DEFAULT_STATES = (State.MACHINE, State.NEEDS_UPDATE, State.UNTRANSLATED)
NS_20 = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.0 and 2.1 share it
NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_11 = "urn:oasis:names:tc:xliff:document:1.1"
NS_MDA = "urn:oasis:names:tc:xliff:metadata:2.0"  # the Metadata module: what we record at export
TOOL = "i18n-pipeline"

#: Characters XML 1.0 cannot hold (XLIFF 2 writes them as <cp hex="…"/>): the complement of its
#: Char production, written as the few it leaves out. The negated class [^\t\n\r\x20-\ud7ff...]
#: matches the same characters but took ~5 ms to compile (re walks every code point of its
#: ranges) in every process, as the command line imports this module for its options.
XML_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def unit_id(source: str, context: str | None) -> str:
    """The id of an entry's unit: stable whatever the order of the entries (an NMTOKEN)."""
    key = source if context is None else f"{context}\x04{source}"
    return "u" + hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def digest(text: str) -> str:
    """A short digest of a target, recorded at export to see on import whether it changed."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
