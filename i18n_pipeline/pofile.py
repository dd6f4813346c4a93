"""PO and POT files: ``read_po`` / ``write_po``, the only room that reads or writes PO syntax.

Reading: a file in gettext's own layout goes through poread.py (our fast reader, same units),
anything else through Translate Toolkit's parser (lossless, any line ending, parse errors carry
the line number; only this module imports it). Writing is our own serialiser, exactly as GNU
gettext 0.21 formats (``msgcat FILE`` leaves every file we write unchanged), so msgmerge, Poedit
and this tool do not fight over line wrapping in diffs (powrap.py wraps each string, as gettext).

Each file keeps its own line wrapping: gettext's 79 columns, Weblate's 77 (``msgcat -w 77``) or
none (``msgcat --no-wrap``). ``read_po`` detects it (``detect_wrap``) and ``write_po`` writes with
it unless told otherwise, so a file that a tool re-wrapped is not rewritten by a run that changes
no entry, and new entries are wrapped as the rest of the file. ``write_po`` refuses to overwrite
a file that changed on disk after the catalog was read from it (a translator saved it), also
during the write itself. ``compile_mo`` runs msgfmt. The catalog model lives in ``catalog.py``.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from i18n_pipeline.catalog import Catalog
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.files import write_atomic
from i18n_pipeline.model import GETTEXT_WRAP, LineWrap
from i18n_pipeline.poread import msgid_lines, text_units, unescape
from i18n_pipeline.pounit import (
    CONTENT_TYPE,
    Origin,
    Unit,
    canonical_flags,
    describe_entry,
    header_fields,
    normalise_references,
    with_header_field,
)
from i18n_pipeline.powrap import UNLIMITED, detect_wrap, format_string

__all__ = [
    "RenderedPO", "catalog_bytes", "commit_po", "detect_wrap", "po_bytes", "read_po", "read_po_bytes", "render_po", "write_po",
]


# --------------------------------------------------------------------------------------------
# Serialisation (gettext 0.21 write-po.c rules; each string's lines: powrap.format_string)


def _comment_lines(mark: str, comments: Iterable[str]) -> list[str]:
    out: list[str] = []
    for comment in comments:
        for line in comment.split("\n"):
            out.append(f"{mark} {line}" if line else mark)
    return out


def _reference_lines(references: list[str], page_width: int) -> list[str]:
    if len(references) == 1 and (only := references[0]) and not only.startswith("./"):
        return [f"#: {only}"]  # the usual entry: one line, however long
    return _wrapped_references(normalise_references(references), page_width)


def _wrapped_references(refs: list[str], page_width: int) -> list[str]:
    """The "#:" lines of normalised references, as many on a line as fit."""
    if not refs:
        return []
    lines: list[str] = []
    current = "#:"
    column = 2
    for ref in refs:
        length = len(ref) + 1
        if column > 2 and column + length > page_width:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += length
    lines.append(current)
    return lines


@functools.lru_cache(maxsize=256)
def _flag_line(flags: tuple[str, ...]) -> tuple[str, bool]:
    """The "#," line of these flags ("" for none) and whether they say no-wrap: once per spelling
    (nearly every entry of a machine-translated file says "fuzzy")."""
    canonical = canonical_flags(flags)
    return ("#, " + ", ".join(canonical) if canonical else ""), "no-wrap" in canonical


def _unit_lines(unit: Unit, layout: LineWrap, lines: list[str]) -> None:
    """Append the lines of ``unit`` to ``lines``."""
    page_width = layout.width or UNLIMITED
    if unit.comments:
        lines += _comment_lines("#", unit.comments)
    if unit.extracted:
        lines += _comment_lines("#.", unit.extracted)
    if unit.references:
        lines += _reference_lines(unit.references, page_width)
    no_wrap = False
    if unit.flags:
        flag_line, no_wrap = _flag_line(tuple(unit.flags))
        if flag_line:
            lines.append(flag_line)
    wrap = layout.strings and layout.width is not None and not no_wrap
    if unit.obsolete:
        prev_prefix, prefix = "#~| ", "#~ "
    else:
        prev_prefix, prefix = "#| ", ""
    if unit.prev_msgctxt is not None:
        lines += format_string(prev_prefix, "msgctxt", unit.prev_msgctxt, wrap, page_width)
    if unit.prev_msgid is not None:
        lines += format_string(prev_prefix, "msgid", unit.prev_msgid, wrap, page_width)
    if unit.prev_msgid_plural is not None:
        lines += format_string(prev_prefix, "msgid_plural", unit.prev_msgid_plural, wrap, page_width)
    if unit.msgctxt is not None:
        lines += format_string(prefix, "msgctxt", unit.msgctxt, wrap, page_width)
    lines += format_string(prefix, "msgid", unit.msgid, wrap, page_width)
    if unit.msgid_plural is not None:
        lines += format_string(prefix, "msgid_plural", unit.msgid_plural, wrap, page_width)
        for i, form in enumerate(unit.msgstr):
            lines += format_string(prefix, f"msgstr[{i}]", form, wrap, page_width)
    else:
        lines += format_string(prefix, "msgstr", unit.msgstr[0], wrap, page_width)


def po_bytes(cat: Catalog, wrap: LineWrap = GETTEXT_WRAP) -> bytes:
    """The catalog as GNU gettext would write it (UTF-8, LF line endings) with ``msgcat``'s
    options for ``wrap`` (default: none, 79 columns): what write_po writes."""
    lines: list[str] = []  # every line of the file, "" between entries: one join
    _unit_lines(cat.header_unit, wrap, lines)
    for unit in cat.file_units():
        lines.append("")
        _unit_lines(unit, wrap, lines)
    lines.append("")
    return "\n".join(lines).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Reading (Translate Toolkit's parser, our own unescaping)


def _decode(lines: Any) -> str:
    parts: list[str] = []
    for raw in lines:
        text = str(raw).strip()
        if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
            text = text[1:-1]
        parts.append(unescape(text))
    return "".join(parts)


def _decode_optional(lines: Any) -> str | None:
    return _decode(lines) if lines else None
def _comment_text(raw: str, mark: str) -> str:
    text = raw.rstrip("\r\n")[len(mark) :]
    return text[1:] if text.startswith(" ") else text


def _unit_from_tt(tt: Any) -> Unit:
    raw = tt.msgstr
    msgstr = [_decode(raw[k]) for k in sorted(raw)] if isinstance(raw, dict) else [_decode(raw)]
    flags: list[str] = []
    for line in tt.typecomments:
        flags.extend(f.strip() for f in str(line).rstrip("\r\n")[2:].split(","))
    refs: list[str] = []
    for line in tt.sourcecomments:
        refs.extend(str(line).rstrip("\r\n")[2:].split())
    return Unit(
        msgid=_decode(tt.msgid),
        msgstr=msgstr or [""],
        msgid_plural=_decode_optional(tt.msgid_plural),
        msgctxt=_decode_optional(tt.msgctxt),
        prev_msgctxt=_decode_optional(tt.prev_msgctxt),
        prev_msgid=_decode_optional(tt.prev_msgid),
        prev_msgid_plural=_decode_optional(tt.prev_msgid_plural),
        comments=[_comment_text(str(c), "#") for c in tt.othercomments],
        extracted=[_comment_text(str(c), "#.") for c in tt.automaticcomments],
        references=refs,
        flags=canonical_flags(flags),
        obsolete=bool(tt.obsolete),
    )


_LINE_RE = re.compile(r"line (\d+)")
def _tt_units(data: bytes, path: str) -> Any:
    from translate.storage import poparser, pypo  # ≈ 45 ms: only a process that reads such files pays

    store: Any = pypo.pofile()
    try:
        store.parse(data)
    except poparser.PoParseError as exc:
        m = _LINE_RE.search(str(exc))
        where = f"{path}:{m.group(1)}" if m else path
        raise CatalogError(where, f"PO syntax error ({exc})", "fix the file (msgfmt -c shows the problem)") from exc
    except (UnicodeDecodeError, LookupError) as exc:
        raise CatalogError(path, f"cannot decode the file ({exc})", "save it as UTF-8") from exc
    return store.units


def read_po_bytes(data: bytes, path: str) -> Catalog:
    """Parse PO/POT bytes; ``path`` names the file in error messages. A file in gettext's own
    layout is read by poread.py, anything else by Translate Toolkit."""
    try:
        text: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    # gettext's own layout first: Translate Toolkit's syntax errors come first for the rest.
    fast = text_units(text) if text is not None else None
    read = fast or [_unit_from_tt(u) for u in _tt_units(data, path)]
    decoded = (text if text is not None else data.decode("utf-8", errors="replace")).replace("\r\n", "\n").replace("\r", "\n")

    header: Unit | None = None
    units: list[Unit] = []
    seen: dict[tuple[bool, str | None, str], int] = {}
    # Messages about an entry name its line: the n-th "msgid" line of the file is the n-th
    # entry that is not obsolete (the header first).
    # Also catches what the lenient parser would silently drop: a msgid without msgstr.
    # The fast reader found them when it read every entry in the plain shape (then no msgid
    # lacks its msgstr either): the same numbers, without a search of the text.
    msgid_numbers = [u.line for u in fast] if fast and all(u.line for u in fast) else msgid_lines(decoded, path)
    current_entries = 0
    for unit in read:
        current_entries += not unit.obsolete
        if header is None and not units and not unit.obsolete and unit.msgid == "" and unit.msgctxt is None:
            header = unit
            header.line = 0  # entries know their line, not the header
            continue
        if unit.msgid == "" and unit.msgctxt is None and not unit.obsolete:
            raise CatalogError(path, "a second entry with an empty msgid", "only the header may have an empty msgid")
        key = (unit.obsolete, unit.msgctxt, unit.msgid)
        if key in seen:
            what = f"duplicate entry {describe_entry(unit.msgid, unit.msgctxt)}"
            line = msgid_numbers[current_entries - 1] if not unit.obsolete and current_entries <= len(msgid_numbers) else None
            raise CatalogError(f"{path}:{line}" if line else path, what, "merge the duplicates (msguniq)")
        seen[key] = len(units)
        units.append(unit)
    current = [u for u in units if not u.obsolete]
    if len(msgid_numbers) == len(current) + (header is not None):
        for unit, line in zip(current, msgid_numbers[1:] if header is not None else msgid_numbers, strict=False):
            unit.line = line
    if header is not None:
        fields = header_fields(header.msgstr[0])  # once: the charset's rewrite keeps Plural-Forms as it is
        _normalise_charset(header, fields)
        _check_plural_forms(fields, units, decoded, path)
    return Catalog(header, units, path=path)


_PLURAL_FORMS_RE = re.compile(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*\Z")


def _check_plural_forms(fields: list[tuple[str, str]], units: list[Unit], decoded: str, path: str) -> None:
    """A Plural-Forms header (``fields``) msgfmt -c accepts, and entries with as many forms as it
    says: else every file we write from this one would fail msgfmt -c."""
    value = next((v for k, v in fields if k.lower() == "plural-forms"), None)
    if value is None or "nplurals=INTEGER" in value.replace(" ", ""):
        return  # none, or xgettext's placeholder in a template
    m = _PLURAL_FORMS_RE.fullmatch(value)
    if m is None or not 0 < int(m.group(1)) <= 10 or not _valid_plural(m.group(2)):
        header_line = next((n for n, line in enumerate(decoded.split("\n"), 1) if line.startswith('"Plural-Forms:')), None)
        raise CatalogError(
            f"{path}:{header_line}" if header_line else path, f"the Plural-Forms header is not valid ({value.strip()!r})",
            "write it as gettext does, e.g. 'nplurals=2; plural=(n != 1);'",
        )
    nplurals = int(m.group(1))
    for unit in units:
        if unit.msgid_plural is not None and not unit.obsolete and len(unit.msgstr) != nplurals:
            raise CatalogError(
                f"{path}:{unit.line}" if unit.line else path,
                f"msgstr[{len(unit.msgstr) - 1}] in a language with {nplurals} plural forms",
                f"give exactly msgstr[0] to msgstr[{nplurals - 1}]",
            )


@functools.lru_cache(maxsize=32)
def _valid_plural(expression: str) -> bool:
    """The C expression, checked by the standard library's own parser: once per expression, not
    per file (a build reads hundreds of files of one language)."""
    try:
        gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError):
        return False
    return True


def _normalise_charset(header: Unit, fields: list[tuple[str, str]]) -> None:
    """We always write UTF-8; say so (TT has already decoded the text). ``fields``: the header's."""
    for key, value in fields:
        if key.lower() == "content-type" and "charset=utf-8" not in value.lower():
            header.msgstr[0] = with_header_field(header.msgstr[0], "Content-Type", CONTENT_TYPE)


def _origin(path: Path, data: bytes, wrap: LineWrap) -> Origin:
    return Origin(path.resolve(), hashlib.sha256(data).hexdigest(), wrap)


def read_po(path: Path) -> Catalog:
    """Read a PO/POT file and remember what was read (for write_po's stale check) and how its
    lines are wrapped (``catalog.origin.wrap``; gettext's 79 columns when the file does not say).
    A build, which never writes back, reads ``read_po_bytes(catalog_bytes(path), ...)``: neither
    (detect_wrap is a tenth of a first build)."""
    data = catalog_bytes(path)
    cat = read_po_bytes(data, str(path))
    wrap = detect_wrap(data.decode("utf-8", errors="replace")) or GETTEXT_WRAP
    cat.remember_file(str(path), _origin(path, data, wrap))
    return cat


def catalog_bytes(path: Path) -> bytes:
    """The bytes of the catalog at ``path`` (for ``read_po_bytes``), read errors as users read them."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise CatalogError(str(path), "is a folder, where a catalog should be", "remove or rename the folder") from None
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the catalog ({exc.strerror})", "check the path") from exc


# --------------------------------------------------------------------------------------------
# Writing


class _ChangedMeanwhile(Exception):
    pass


def _atomic_write(path: Path, data: bytes, expected: bytes | None, durable: bool = True) -> None:
    """Write atomically; refuse (raise _ChangedMeanwhile) if the file no longer holds
    ``expected`` (None: did not exist) right before the rename."""

    def unchanged() -> None:
        try:
            now: bytes | None = path.read_bytes()
        except FileNotFoundError:
            now = None
        if now != expected:
            raise _ChangedMeanwhile

    write_atomic(path, data, before_replace=unchanged, durable=durable)


def _changed_meanwhile(path: Path) -> CatalogError:
    what = "the file changed on disk after it was read (a translator saved it meanwhile)"
    return CatalogError(str(path), what, "run the command again; it re-reads the file and merges again")


def _own_wrap(cat: Catalog, path: Path, current: bytes | None) -> LineWrap:
    """The wrapping of the file a catalog is written to: the one it had when read, else the one
    the file on disk has, else the one of the file the catalog came from, else gettext's."""
    origin = cat.origin
    if origin is not None and origin.path == path.resolve():
        return origin.wrap
    detected = detect_wrap(current.decode("utf-8", errors="replace")) if current is not None else None
    return detected or (origin.wrap if origin is not None else GETTEXT_WRAP)


def write_po(cat: Catalog, path: Path, *, wrap: LineWrap | None = None, durable: bool = True) -> bool:
    """Write atomically; False (and nothing written) when the file already holds these bytes.

    ``wrap`` reformats the file (pipeline.yaml's ``po.wrap``); by default the file keeps its own
    wrapping, so a catalog whose entries did not change leaves the file as it is.

    If ``cat`` was read from ``path`` and the file changed since (a translator saved it), refuse:
    overwriting would lose their work. ``durable=False``: not fsynced (a template: regenerable).
    """
    return commit_po(render_po(cat, path, wrap=wrap), durable=durable, cat=cat)


@dataclass(frozen=True)
class RenderedPO:
    """``write_po`` in two steps (a worker renders, the stage's process commits): the bytes for
    ``path`` (None: the file holds them already) and what the file held then."""
    path: Path
    data: bytes | None
    current: bytes | None
    layout: LineWrap


def render_po(cat: Catalog, path: Path, *, wrap: LineWrap | None = None) -> RenderedPO:
    """The first half of ``write_po``: refuses a file changed since ``cat`` was read from it."""
    try:
        current: bytes | None = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        current = None  # new (a file in the way of its folder is reported by the write)
    except OSError as exc:
        raise CatalogError(str(path), f"cannot read the catalog ({exc.strerror})", "check the path") from exc
    origin = cat.origin
    if (origin is not None and origin.path == path.resolve()) and (
        current is None or hashlib.sha256(current).hexdigest() != origin.sha256
    ):
        raise _changed_meanwhile(path)
    layout = wrap or _own_wrap(cat, path, current)
    data = po_bytes(cat, layout)
    return RenderedPO(path, None if current == data else data, current, layout)


def commit_po(rendered: RenderedPO, *, durable: bool = True, cat: Catalog | None = None) -> bool:
    """The second half of ``write_po``: the write, refused if the file no longer holds what it
    held when rendered; ``cat`` (if given) then remembers the file as written."""
    path, data = rendered.path, rendered.data
    if data is None:
        return False
    try:
        # Re-checked right before the rename: a save during our write is not lost either.
        _atomic_write(path, data, rendered.current, durable)
        written = _origin(path, data, rendered.layout) if cat is not None else None  # a resolve, a hash
    except _ChangedMeanwhile:
        raise _changed_meanwhile(path) from None
    except OSError as exc:
        raise CatalogError(str(path), f"cannot write the catalog ({exc.strerror})", "check permissions and free space") from exc
    if cat is not None and written is not None:
        cat.remember_file(str(path), written)
    return True
