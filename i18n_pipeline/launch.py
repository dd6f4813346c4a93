"""The console script ``i18n-pipeline`` (and ``python -m i18n_pipeline``).

A ``run`` with nothing to do is answered here, from the manifest of the last complete run
(incremental.py), before the pipeline, the PO library or any third-party library is imported:
about 0.1 s instead of half a second of imports alone. It takes no lock, as it changes nothing
under the project (at most it brings the manifest's mtimes up to date, atomically). Every other
command line, and any ``run`` this module does not recognise exactly, goes to ``cli.main``,
which parses it for real; so this module recognises only the plain options of ``run``, and
when in doubt it hands over.
"""

from __future__ import annotations

import atexit
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from i18n_pipeline.incremental import command_key, nothing_to_do

NOTHING_TO_DO = "nothing to do: no file changed since the last complete run"

# --dask is read and left out of the key: a run on Dask writes what a local run writes.
_VALUED = {"--project": "project", "-l": "language", "--language": "language", "--engine": "engine",
           "--engine-option": "engine_option", "--dask": "dask"}


def run_request(argv: Sequence[str]) -> tuple[Path, str] | None:
    """(project folder, incremental.command_key) of a plain ``run`` command line, as
    ``cli.build_parser`` would read it; None for anything else."""
    args = list(argv)
    project: str | None = None
    i = 0
    while i < len(args) and args[i] != "run":  # the options before the command
        if args[i] in ("-v", "--verbose"):
            i += 1
        elif args[i] == "--project" and i + 1 < len(args) and _plain(args[i + 1]):
            project, i = args[i + 1], i + 2
        elif args[i].startswith("--project=") and _plain(args[i][10:]):
            project, i = args[i][10:], i + 1
        else:
            return None
    if i == len(args):
        return None
    project_after: str | None = None
    languages: list[str] = []
    engine: str | None = None
    options: list[str] = []
    i += 1
    while i < len(args):
        arg = args[i]
        if arg == "--no-wait":
            i += 1
            continue
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
        elif arg.startswith("-l") and len(arg) > 2:
            name, value = "-l", arg[2:]
        if name not in _VALUED:
            return None
        if value is None:
            if i + 1 == len(args):
                return None
            value, i = args[i + 1], i + 2
        else:
            i += 1
        if not _plain(value):
            return None
        what = _VALUED[name]
        if what == "project":
            project_after = value
        elif what == "language":
            languages.append(value)
        elif what == "engine":
            engine = value
        elif what == "engine_option":
            options.append(value)
    root = Path(project_after or project or ".")
    return root, command_key("run", languages or None, engine, options)


def _plain(value: str) -> bool:
    return bool(value) and not value.startswith("-")


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    request = run_request(args)
    if request is not None and nothing_to_do(*request):
        try:
            print(NOTHING_TO_DO, flush=True)
        except BrokenPipeError:  # a reader that went away: the answer is the exit code
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's last flush stays quiet
            os.close(devnull)
        return 0
    # Deferred on purpose (see the module docstring); nothing imports this module, so the
    # deferred import cannot hide a cycle (tests/test_architecture.py).
    cli = importlib.import_module("i18n_pipeline.cli")
    code: int = cli.main(args)
    if argv is None:  # the process's own command line: it ends here
        _exit(code)
    return code


def _exit(code: int) -> None:
    """End the process as the interpreter would, without tearing down every module and object
    first (20-70 ms after a command that imported the pipeline): the atexit functions run
    (logging's flush, multiprocessing's clean-up, weakref finalizers), the standard streams are
    flushed, then os._exit. Every file the pipeline writes is closed by then (files.py). Left to
    the interpreter when another thread still runs (it waits for it) or a stream cannot be flushed."""
    if threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # a reader that went away, a closed stream: the interpreter's own exit reports it
    os._exit(code)
