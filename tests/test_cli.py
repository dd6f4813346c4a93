"""The command line (i18n_pipeline.cli) through ``main([...])``: argument parsing, help, exit
codes (0 ok, 1 error or failed check, 2 usage, 130 interrupted) and what is printed.

What a command does to a project is tested with the module that does it (test_pipeline.py,
test_build.py, test_checks.py, test_incremental.py ...), mostly through ``main`` as well.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from i18n_pipeline import __version__
from i18n_pipeline.cli import build_parser, main
from tests.big_project import (
    RANDOM_SEED,
    Reference,
    assert_catalogs_whole,
    assert_complete,
    run_to_completion,
    start_run,
    temp_leftovers,
)
from tests.project import TIMEOUT, approve_first_entry, break_placeholder, copy_project, release_name

# --- parsing, help, usage errors ------------------------------------------------------------------


def test_every_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    choices = getattr(sub, "choices", {})
    assert {"extract", "update", "translate", "status", "build", "run", "ingest", "tm", "check"} <= set(choices)
    for action in getattr(sub, "_choices_actions", []):
        assert action.help, f"command {action.dest} has no help text"


def test_missing_project_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--project", str(tmp_path)]) == 1
    assert "pipeline.yaml" in capsys.readouterr().err
    assert main(["no-such-command"]) == 2
    assert main([]) == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"i18n-pipeline {__version__}\n"


# --- errors: a message that names the place and the fix, exit 1, never a traceback -------------------


def test_bad_settings_give_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path)
    (project / "pipeline.yaml").write_text("source_language: en\ntarget_langauges: [es]\n", "utf-8")
    assert main(["status", "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "pipeline.yaml:2" in err and "target_languages" in err
    assert "Traceback" not in err


def test_ingest_refuses_binary_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p")
    picture = tmp_path / "photo.txt"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert main(["ingest", str(picture), "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert "photo.txt" in err and "Traceback" not in err
    assert not list((project / "content").glob("photo*"))


SPANISH = (
    "La Organización Internacional para las Migraciones Presenta Un Estudio\n"
    "La OIM presentó hoy un estudio sobre la trata de personas en México. El informe\n"
    "describe la asistencia brindada a las víctimas durante los últimos cinco años.\n"
)


def test_the_cli_prints_each_warning_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "es.txt"
    source.write_text(SPANISH, encoding="utf-8")
    assert main(["ingest", str(source), "--project", str(tmp_path / "p")]) == 0
    err = capsys.readouterr().err
    assert err.count("the body reads as 'es'") == 1, err
    assert err.startswith(f"warning: {source}: the body reads as 'es', not the source language 'en'")
    assert f"{source}: {source}" not in err


# --- Ctrl-C ------------------------------------------------------------------------------------


def test_ctrl_c_exits_non_zero_without_traceback(reference: Reference, tmp_path: Path) -> None:
    rng = random.Random(RANDOM_SEED + 2)
    # Once early (templates being written), once in machine translation.
    for i, fraction in enumerate((0.0, 0.3 + 0.1 * rng.random())):
        project = tmp_path / f"int-{i}"
        shutil.copytree(reference.inputs, project)
        proc = start_run(project)
        deadline = time.monotonic() + TIMEOUT
        templates = project / "locales" / "templates"
        # Wait until main() is surely running (its first template is on disk): a Ctrl-C during
        # interpreter start-up is Python's, not the pipeline's.
        while not (templates.is_dir() and any(templates.glob("*.pot"))):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(reference.seconds * fraction)
        assert proc.poll() is None, "the run finished before Ctrl-C; the project is too small"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=TIMEOUT)
        stderr = err.decode("utf-8", "replace")
        assert proc.returncode not in (0, None), stderr
        assert proc.returncode == 130, (proc.returncode, stderr)
        assert "Traceback" not in stderr, stderr
        assert "interrupted" in stderr, stderr
        print(f"\nCtrl-C {i}: exit {proc.returncode}, stderr: {stderr.strip()!r}")
        assert_catalogs_whole(project, reference)
        # A clean interrupt cleans up after itself.
        assert temp_leftovers(project) == [], temp_leftovers(project)
        run_to_completion(project)
        assert_complete(project, reference)


# --- the CLI as a build job meets it ----------------------------------------------------------------


def test_project_before_the_command(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(project), "status"]) == 0
    assert "reviewed" in capsys.readouterr().out
    assert main(["--project", str(project), "tm", "export", str(tmp_path / "out.tmx")]) == 0
    assert (tmp_path / "out.tmx").is_file()
    # The command's own --project wins over the one before it.
    assert main(["--project", str(tmp_path), "status", "--project", str(project)]) == 0


def _status_lines(capsys: pytest.CaptureFixture[str], project: Path, *extra: str) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = main(["status", "--project", str(project), *extra])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_status_prints_aligned_columns_with_percentages(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _status_lines(capsys, project)
    assert code == 0
    assert lines[0].split() == ["lang", "release", "words", "reviewed", "machine", "needs", "update", "untranslated"]
    table = lines[:3]
    assert len({len(line) for line in table}) == 1, table  # right-aligned numbers: every row ends in the same column
    for header in ("words", "reviewed", "machine", "untranslated"):
        column_end = lines[0].index(header) + len(header)
        assert all(line[column_end - 1] in "0123456789)" for line in table[1:]), (header, table)
    assert re.search(r"\bes\s+\S+\s+499\s+0 \(0%\)\s+499 \(100%\)\s+0 \(0%\)\s+0 \(0%\)$", lines[1]), lines[1]


def test_status_min_reviewed_fails_a_build_job_below_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _status_lines(capsys, project, "--min-reviewed", "50%")
    assert code == 1
    assert "es/" in err and "0% of its words reviewed, below --min-reviewed 50%" in err
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{release_name(project)}.po"
    title = approve_first_entry(po, "Nueva publicación de la OIM")  # 19 of 499 words: 3.8 %
    assert title.startswith("New IOM Publication")
    code, lines, err = _status_lines(capsys, project, "--min-reviewed", "0.03", "-l", "es")
    assert code == 0 and err == "" and " 19 (3%)" in lines[1]
    assert _status_lines(capsys, project, "--min-reviewed", "0.04", "-l", "es", "--json")[0] == 1
    assert main(["status", "--project", str(project), "--min-reviewed", "150%"]) == 2


def test_status_into_a_closed_pipe_ends_quietly(project: Path) -> None:
    """``status | head -1``: the reader is gone (here before the first byte, so the test does
    not depend on timing); no traceback, exit 0, as the command's own result."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    proc = subprocess.Popen(
        [sys.executable, "-m", "i18n_pipeline", "status", "--project", str(project)],
        stdout=write_end, stderr=subprocess.PIPE,
    )
    os.close(write_end)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    assert err == b"", err.decode()
    shell = subprocess.run(
        ["bash", "-c", f'set -o pipefail; "{sys.executable}" -m i18n_pipeline status --project "{project}" | head -1'],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    assert shell.returncode == 0 and shell.stderr == "" and shell.stdout.startswith("lang "), shell


def test_summaries_count_right(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["build", "--mo", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "MO files: 2 written, 0 unchanged" in out, out
    assert main(["build", "--mo", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "MO files: 0 written, 2 unchanged" in out and out.startswith("build: 0 files written, "), out
    # A run that rewrites nothing still reports what is left to review over every release.
    assert main(["run", "--project", str(project)]) == 0  # the machine build again, after the reviewed one
    capsys.readouterr()
    assert main(["run", "--project", str(project)]) == 0
    out = capsys.readouterr().out
    assert "build: 0 files written" in out and "(36 unreviewed segments shown, marked as such)" in out, out
    assert "es: 18 segments (499 words) not reviewed yet" in out and "fr: 18 segments (499 words) not reviewed yet" in out
    # One problem is "1 problem".
    break_placeholder(project)
    assert main(["status", "--project", str(project), "-l", "es"]) == 0
    problems = [line for line in capsys.readouterr().out.splitlines() if "problem" in line]
    assert main(["check", "--json", "--project", str(project), "-l", "es"]) == 1
    count = len(json.loads(capsys.readouterr().out))
    assert problems == [f"{count} problem{'s' if count != 1 else ''}: 'i18n-pipeline check' lists them"]

