"""What a file in ``content/`` must be to be read as a release: a name that can name PO files
and ``#:`` references, a link that stays in the project, text without control characters.

The pipeline asks before it reads a release; every refusal names the file and says what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

from i18n_pipeline.errors import DocumentError

__all__ = ["check_release_text", "is_release_file"]

# A release's name becomes file names, #: references ("name:block") and URLs: letters (any
# script), digits, "-", "_" and "."; it starts with a letter or digit.
_RELEASE_NAME_RE = re.compile(r"[^\W_][\w.-]*")


def is_release_file(path: Path, root: Path) -> bool:
    """A file of a release format in content/ that may be read: refuses names that would break
    references, links to nothing and links that leave the project."""
    if path.is_symlink():
        target = path.resolve()
        if not target.exists():
            raise DocumentError(str(path), "a link to a file that does not exist", "remove it or restore its file")
        if not target.is_relative_to(root.resolve()):
            raise DocumentError(
                str(path), f"a link to {target}, outside the project", "copy the file into content/ instead"
            )
    if not path.is_file():
        return False
    if not _RELEASE_NAME_RE.fullmatch(path.stem):
        suggestion = re.sub(r"[^\w.-]+", "-", path.stem).strip("-._") or "release"
        raise DocumentError(
            str(path) if str(path).isprintable() else repr(str(path)),
            "a release name may hold letters, digits, '-', '_' and '.' only (it names PO files and references)",
            f"rename it, e.g. {suggestion}{path.suffix}",
        )
    return True


# Characters no release holds: NUL and the other C0/C1 controls but tab and line breaks (a
# terminal escape, Windows-1252 text decoded as Latin-1). A PO file cannot carry them safely.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_release_text(text: str, where: str) -> None:
    """Refuse NUL and other control characters, naming the line of the first."""
    control = _CONTROL_RE.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        char = control.group()
        what = "a NUL character (U+0000)" if char == "\0" else f"a control character (U+{ord(char):04X})"
        raise DocumentError(f"{where}:{line}", f"{what} in the text", "remove it")
