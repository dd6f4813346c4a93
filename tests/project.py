"""The bundled project, copied for tests that run the pipeline on it, and what tests do to it:
read its results, edit a PO file as a translator does, check files with GNU gettext."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from i18n_pipeline.cli import main
from tests.paths import ROOT

# The bundled release (ingested from ../shared/seed); the tests name its sentences.
SEED = "new-iom-publication-compiles-cases-of-human-trafficking-assisted"
TIMEOUT = 120  # seconds for any one subprocess; a hang is a failure, not a wait


def copy_project(dst: Path) -> Path:
    """The bundled project's inputs (settings, releases, glossary, shipped memory); no
    generated files, so a run starts from scratch."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "pipeline.yaml", dst / "pipeline.yaml")
    shutil.copytree(ROOT / "content", dst / "content")
    (dst / "locales").mkdir()
    for name in ("glossary.yaml", "memory.tmx"):
        if (ROOT / "locales" / name).exists():
            shutil.copy2(ROOT / "locales" / name, dst / "locales" / name)
    return dst


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def release_name(project: Path) -> str:
    names = sorted(p.stem for p in (project / "content").glob("*.md"))
    assert names, "the bundled project has releases"
    return SEED if SEED in names else names[0]


def approve_first_entry(po_path: Path, new_target: str) -> str:
    """Edit the first real entry like a translator in Poedit: new msgstr, fuzzy cleared."""
    text = po_path.read_text("utf-8")
    blocks = text.split("\n\n")
    for i, block in enumerate(blocks[1:], start=1):
        if "msgid" not in block or block.startswith("#~"):
            continue
        lines = block.split("\n")
        msgid_lines: list[str] = []
        out: list[str] = []
        state = ""
        for line in lines:
            if line.startswith("#, fuzzy"):
                continue
            if line.startswith("msgid "):
                state = "id"
            elif line.startswith("msgstr "):
                state = "str"
                out.append(f'msgstr "{new_target}"')
                continue
            elif not line.startswith('"'):
                state = "" if state == "str" else state
            if state == "str":
                continue
            if state == "id":
                msgid_lines.append(line)
            out.append(line)
        blocks[i] = "\n".join(out)
        po_path.write_text("\n\n".join(blocks), "utf-8")
        return "".join(re.findall(r'"(.*)"', "\n".join(msgid_lines)))
    raise AssertionError("no entry")


def break_placeholder(project: Path) -> Path:
    """A Spanish translator loses the URL placeholder <1/> of the seed's last sentence and
    approves the translation; returns the PO file."""
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{release_name(project)}.po"
    text = po.read_text("utf-8")
    m = re.search(r'#, fuzzy\n(msgid "The publication will be available on 3 August at <1/>"\n)msgstr "[^"]*"', text)
    assert m, "the seed's last sentence has a URL placeholder"
    po.write_text(text.replace(m.group(0), m.group(1) + 'msgstr "La publicación estará disponible pronto."'), "utf-8")
    return po


def msgfmt_check(paths: list[Path]) -> None:
    """``msgfmt -c`` on every file (concurrently: one process per file, files checked alone)."""
    procs = [
        (p, subprocess.Popen(["msgfmt", "-c", "-o", "/dev/null", str(p)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        for p in paths
    ]
    failures = []
    for path, proc in procs:
        _, err = proc.communicate(timeout=TIMEOUT)
        if proc.returncode != 0:
            failures.append(f"{path}: {err.decode('utf-8', 'replace')}")
    assert not failures, "msgfmt -c rejects:\n" + "\n".join(failures)


# --- a translator saves while the pipeline holds the file


MARKER = "Traducción guardada por la traductora."


def translator_saves(path: Path) -> bytes:
    """What Poedit does: the first machine entry gets a new translation, "fuzzy" cleared."""
    blocks = path.read_text("utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        if "#, fuzzy" not in lines or not any(line.startswith("msgid ") for line in lines):
            continue
        start = next(j for j, line in enumerate(lines) if line.startswith("msgstr "))
        end = start + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        lines[start:end] = [f'msgstr "{MARKER}"']
        blocks[i] = "\n".join(line for line in lines if line != "#, fuzzy")
        break
    else:
        raise AssertionError(f"no fuzzy entry in {path}")
    data = "\n\n".join(blocks).encode("utf-8")
    path.write_bytes(data)  # an editor's plain save, not an atomic one
    return data


def es_po(project: Path) -> Path:
    return project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po"


def review_entry(po_path: Path, source_start: str, new_target: str) -> str:
    """A translator gives the entry whose msgid starts with ``source_start`` a new translation
    and approves it ("fuzzy" cleared); returns the whole msgid."""
    quoted = new_target.replace("\\", "\\\\").replace('"', '\\"')
    blocks = po_path.read_text("utf-8").split("\n\n")
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        if block.startswith("#~") or not any(line.startswith("msgid ") for line in lines):
            continue
        start = next(j for j, line in enumerate(lines) if line.startswith("msgid "))
        end = next(j for j, line in enumerate(lines) if line.startswith("msgstr "))
        source = "".join(re.findall(r'"(.*)"', "\n".join(lines[start:end])))
        if not source or not source.startswith(source_start):
            continue
        stop = end + 1
        while stop < len(lines) and lines[stop].startswith('"'):
            stop += 1
        kept = [line for line in lines[:start] if line != "#, fuzzy"]
        kept = [line.replace("#, fuzzy, ", "#, ") for line in kept]
        blocks[i] = "\n".join([*kept, *lines[start:end], f'msgstr "{quoted}"', *lines[stop:]])
        po_path.write_text("\n\n".join(blocks), "utf-8")
        return source
    raise AssertionError(f"no entry starts with {source_start!r} in {po_path}")
