"""The command line (i18n_pipeline.cli) through ``main([...])``: argument parsing, help, exit
codes (0 ok, 1 error or failed check, 2 usage, 130 interrupted) and what is printed.

What a command does to a project is tested with the module that does it (test_pipeline.py,
test_build.py, test_checks.py, test_incremental.py ...), mostly through ``main`` as well.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
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
from tests.project import TIMEOUT, copy_project

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
        proc = start_run(project, reference.env())
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
        run_to_completion(project, reference.env())
        assert_complete(project, reference)
