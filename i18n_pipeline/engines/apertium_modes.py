"""Apertium's installed modes: which language pairs exist, their stages, their Debian packages.

Modes are read from the mode files (``*.mode``), never hard-coded; a pair that is missing is
reported with the package that provides it.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from i18n_pipeline.languages import iso639_1, iso639_3

__all__ = ["Mode", "default_modes_dirs", "discover_modes", "package_for", "parse_stages"]

log = logging.getLogger(__name__)

# Debian packages that provide a pair, both directions. Others are guessed from the codes.
_DEBIAN_PACKAGES: dict[frozenset[str], str] = {
    frozenset({"en", "es"}): "apertium-eng-spa",
    frozenset({"es", "fr"}): "apertium-fr-es",
    frozenset({"ca", "es"}): "apertium-es-ca",
    frozenset({"es", "pt"}): "apertium-es-pt",
    frozenset({"es", "gl"}): "apertium-es-gl",
    frozenset({"es", "it"}): "apertium-es-it",
    frozenset({"en", "ca"}): "apertium-eng-cat",
}

_MODE_PART_RE = re.compile(r"^[a-z]{2,3}$")


def package_for(source: str, target: str) -> str:
    """The Debian package that provides ``source``→``target`` (guessed for unknown pairs)."""
    known = _DEBIAN_PACKAGES.get(frozenset({source, target}))
    if known:
        return known
    return f"apertium-{iso639_3(source)}-{iso639_3(target)}"


# --------------------------------------------------------------------------------------------
# Modes


@dataclass(frozen=True)
class Mode:
    """One installed Apertium mode: a language pair and its stages."""

    name: str  # "eng-spa", "es-fr"
    source: str  # ISO 639-1
    target: str
    path: Path
    stages: tuple[tuple[str, ...], ...]  # argv of each stage, "-z" added, $1/$2 resolved

    @property
    def package(self) -> str:
        """The package whose data files the mode uses, e.g. "apertium-eng-spa"."""
        for stage in self.stages:
            for arg in stage:
                match = re.search(r"/(apertium-[a-z]{2,3}-[a-z]{2,3}(?:-[a-z]+)?)/", arg)
                if match:
                    return match.group(1)
        return package_for(self.source, self.target)


def default_modes_dirs() -> list[Path]:
    """Where to look for ``*.mode`` files: $APERTIUM_MODES, else next to the ``apertium``
    binary's prefix (``<prefix>/share/apertium/modes``), then the usual prefixes."""
    env = os.environ.get("APERTIUM_MODES")
    if env:
        return [Path(env)]
    dirs: list[Path] = []
    for program in ("apertium", "lt-proc"):
        found = shutil.which(program)
        if found:
            dirs.append(Path(found).resolve().parent.parent / "share" / "apertium" / "modes")
    for prefix in ("/usr/local", "/usr"):
        dirs.append(Path(prefix) / "share" / "apertium" / "modes")
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def parse_stages(command: str) -> tuple[tuple[str, ...], ...]:
    """Split a mode's shell pipeline into argv lists, as apertium-apy does: ``-z`` after each
    program, ``$1`` → ``-n`` (no unknown-word marks), ``$2`` dropped."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    stages: list[tuple[str, ...]] = []
    current: list[str] = []
    for token in lexer:
        if token == "|":
            if current:
                stages.append(tuple(current))
            current = []
            continue
        if token == "$2":
            continue
        current.append("-n" if token == "$1" else token)
    if current:
        stages.append(tuple(current))
    return tuple((stage[0], "-z", *stage[1:]) for stage in stages)


def discover_modes(directories: Sequence[Path] | None = None) -> dict[tuple[str, str], Mode]:
    """Installed pairs ``(source, target)`` in ISO 639-1 → :class:`Mode`.

    Only plain pairs count ("eng-spa", "es-fr"); variants ("spa-eng_US", "eco-es-fr") and
    debugging modes are left out. The first directory that has a pair wins.
    """
    found: dict[tuple[str, str], Mode] = {}
    for directory in directories if directories is not None else default_modes_dirs():
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.mode")):
            parts = path.stem.split("-")
            if len(parts) != 2 or not all(_MODE_PART_RE.match(p) for p in parts):
                continue
            key = (iso639_1(parts[0]), iso639_1(parts[1]))
            if key in found:
                continue
            try:
                stages = parse_stages(path.read_text(encoding="utf-8").strip())
            except (OSError, ValueError) as exc:
                log.warning("skipping unreadable Apertium mode %s: %s", path, exc)
                continue
            if stages:
                found[key] = Mode(path.stem, key[0], key[1], path, stages)
    return found
