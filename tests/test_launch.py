"""The console script (i18n_pipeline.launch): a run with nothing to do is answered before the
pipeline is imported; every other command line reaches cli.main as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from i18n_pipeline.cli import build_parser, main
from i18n_pipeline.incremental import command_key
from i18n_pipeline.launch import NOTHING_TO_DO, run_request

# Command lines of 'run' the launcher reads itself: it must read them as argparse does.
OURS = [
    ["run"],
    ["-v", "run", "--no-wait"],
    ["--project", "a", "run", "-l", "es"],
    ["--project=a", "run", "--project", "b"],
    ["run", "-les", "--language=fr", "--engine=pseudo", "--engine-option", "llm.model=x", "--engine-option=a.b=c"],
    ["run", "--engine", "llm,apertium", "--project=c", "--language", "es"],
    ["run", "--dask", "local:2", "-l", "es"], ["run", "--dask=tcp://10.0.0.5:8786"],
]
# Anything else is left to argparse (help, abbreviations, errors, other commands).
THEIRS = [
    [], ["extract"], ["run", "--help"], ["run", "--lang", "es"], ["run", "-l"], ["run", "-l", "-x"],
    ["run", "extra"], ["--version"], ["run", "-v"], ["build", "run"], ["--project", "run"], ["run", "--project="],
]


@pytest.mark.parametrize("argv", OURS, ids=" ".join)
def test_the_launcher_reads_a_run_as_argparse_does(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    request = run_request(argv)
    assert request is not None
    assert request == (
        Path(args.project or args.project_before or "."),
        command_key("run", args.languages, args.engine, args.engine_options),
    )


@pytest.mark.parametrize("argv", THEIRS, ids=lambda a: " ".join(a) or "(none)")
def test_anything_else_goes_to_the_cli(argv: list[str]) -> None:
    assert run_request(argv) is None


PROBE = """
import sys
from i18n_pipeline.launch import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("translate", "babel", "yaml", "rich", "markdown_it")
               or m in ("i18n_pipeline.cli", "i18n_pipeline.pipeline", "i18n_pipeline.config"))
print("imported:", heavy)
sys.exit(code)
"""


def _launch(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=False, timeout=600)


def test_a_run_with_nothing_to_do_imports_nothing_heavy(project: Path) -> None:
    assert main(["run", "--project", str(project)]) == 0
    done = _launch("run", "--project", str(project))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [NOTHING_TO_DO, "imported: []"]
    # A changed release: the real run, through cli.main (and a manifest for the next one).
    release = next((project / "content").glob("*.md"))
    release.write_text(release.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    done = _launch("run", "--project", str(project))
    assert done.returncode == 0, done.stderr
    assert "templates: 1 written" in done.stdout and NOTHING_TO_DO not in done.stdout
    assert "i18n_pipeline.pipeline" in done.stdout.splitlines()[-1]
    assert _launch("run", "--project", str(project)).stdout.startswith(NOTHING_TO_DO)


def test_the_module_entry_point_is_the_launcher(project: Path) -> None:
    assert main(["run", "--project", str(project)]) == 0
    done = subprocess.run([sys.executable, "-m", "i18n_pipeline", "--project", str(project), "run"],
                          capture_output=True, text=True, check=False, timeout=600)
    assert (done.returncode, done.stdout) == (0, NOTHING_TO_DO + "\n"), done.stderr
    usage = subprocess.run([sys.executable, "-m", "i18n_pipeline", "run", "--bogus"], capture_output=True, text=True,
                           check=False, timeout=600)
    assert usage.returncode == 2 and "unrecognized arguments: --bogus" in usage.stderr


EXITS = """
import atexit, os, sys
from i18n_pipeline.launch import main
atexit.register(lambda: print("atexit ran", flush=True))
real_exit = os._exit
os._exit = lambda code: (print("os._exit", code, flush=True), real_exit(code))
sys.argv[0] = "i18n-pipeline"
sys.exit(main())  # as the console script calls it: main ends the process itself
"""


def test_a_command_ends_its_process_with_its_code_its_output_and_the_atexit_functions(project: Path) -> None:
    # launch.main skips the interpreter's teardown (os._exit) once the command is done: what it
    # printed, the exit code and the atexit functions are all still there.
    done = subprocess.run([sys.executable, "-c", EXITS, "--project", str(project), "extract"],
                          capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("templates: ")
    assert done.stdout.splitlines()[-2:] == ["atexit ran", "os._exit 0"]
    assert any(project.glob("locales/templates/*.pot"))
    failed = subprocess.run([sys.executable, "-c", EXITS, "--project", str(project / "nowhere"), "extract"],
                            capture_output=True, text=True, check=False, timeout=600)
    assert failed.returncode == 1 and "no pipeline.yaml here" in failed.stderr
    assert failed.stdout == "atexit ran\nos._exit 1\n"
