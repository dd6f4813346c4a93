"""The bad-input corpus: every case in ``tests/data/bad/<case>/case.yaml`` runs one command on a
copy of the bundled project (after a real run) that the case spoiled, and must end with exit 1,
its one-line error (file, line where there is one, what is wrong, how to fix it), no traceback,
and every file of the project byte-identical to what it was before the command.

A case is a folder (a new case is new files, not new code; ``tests/data/bad/README.md`` says
how to write one). Most run through ``main([...])`` in this process; a case that needs a real
process runs in a forked child: a full disk (``file_size_limit``: RLIMIT_FSIZE, so a write past
it fails with EFBIG as on a full disk, portable and without privileges, the child ignoring
SIGXFSZ) and a read-only project (``read_only``: the paths lose their write bits, and as root,
who ignores them, the child first drops its privileges to ``nobody``).
"""

from __future__ import annotations

import hashlib
import http.server
import os
import pwd
import resource
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from i18n_pipeline.cli import main
from tests.paths import DATA

BAD = DATA / "bad"
CASE_KEYS = {
    "about", "command", "expect", "exit", "files", "copy", "remove", "mkdir", "symlink", "setup", "env",
    "missing_module", "http", "file_size_limit", "read_only",
}  # fmt: skip


@dataclass
class Case:
    name: str
    folder: Path
    spec: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def discover() -> list[Case]:
    cases = []
    for folder in sorted(p for p in BAD.iterdir() if p.is_dir()):
        spec = yaml.safe_load((folder / "case.yaml").read_text("utf-8"))
        cases.append(Case(folder.name, folder, spec))
    return cases


CASES = discover()


def test_the_corpus_is_complete() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        unknown = set(case.spec) - CASE_KEYS
        assert not unknown, f"{case}: unknown keys {unknown}"
        assert {"about", "command", "expect"} <= set(case.spec), case
        used = {"case.yaml", *(case.spec.get("copy") or {}).values()}
        strays = sorted(p.name for p in case.folder.iterdir() if p.name not in used)
        assert not strays, f"{case}: files no case uses: {strays}"


# --- the tree before and after --------------------------------------------------------------------


def tree(root: Path) -> dict[str, str]:
    """Every file (content hash), folder and link under ``root``: what 'unchanged' means."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                out[rel] = f"link {os.readlink(path)}"
            elif path.is_dir():
                out[rel] = "folder"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


# --- spoiling the project ------------------------------------------------------------------------


def _subst(value: str, values: dict[str, str]) -> str:
    for key, replacement in values.items():
        value = value.replace("{" + key + "}", replacement)
    return value


def apply(case: Case, project: Path, values: dict[str, str]) -> None:
    spec = case.spec
    for rel in spec.get("remove") or []:
        path = project / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    for rel in spec.get("mkdir") or []:
        (project / rel).mkdir(parents=True)
    for rel, text in (spec.get("files") or {}).items():
        path = project / _subst(rel, values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_subst(text, values).encode("utf-8"))
    for rel, name in (spec.get("copy") or {}).items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case.folder / name, path)
    for rel, target in (spec.get("symlink") or {}).items():
        (project / rel).symlink_to(_subst(target, values))


@pytest.fixture
def served() -> Iterator[dict[str, Any]]:
    """A local HTTP server whose answer the case sets (an online engine that answers badly)."""
    reply: dict[str, Any] = {"status": 200, "body": "", "type": "application/json"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = str(reply["body"]).encode("utf-8")
            self.send_response(int(reply["status"]))
            self.send_header("Content-Type", str(reply["type"]))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    reply["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield reply
    finally:
        server.shutdown()
        server.server_close()


# --- running the command -------------------------------------------------------------------------


def run_forked(argv: list[str], *, file_size_limit: int | None, unprivileged: bool) -> tuple[int, str]:
    """``main(argv)`` in a forked child (the modules it needs are already imported here)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        code = 3
        try:
            os.close(read_end)
            os.dup2(write_end, 2)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            sys.stderr = os.fdopen(2, "w", closefd=False)
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            if file_size_limit is not None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
            if unprivileged and os.geteuid() == 0:
                nobody = pwd.getpwnam("nobody")
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            code = main(argv)
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001 - reported through stderr and the exit code
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        err = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


def _read_only(project: Path, paths: list[str]) -> None:
    """``paths`` lose their write bits; as root, the rest of the project goes to ``nobody``, who
    runs the command and cannot write there (root ignores permission bits)."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        for path in [project, *project.rglob("*")]:
            os.lchown(path, nobody.pw_uid, nobody.pw_gid)
    for rel in paths:
        top = project / rel
        for path in [top, *(top.rglob("*") if top.is_dir() else [])]:
            if not path.is_symlink():
                path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)


def _imports(module: object, name: str) -> bool:
    """Whether ``module`` imported anything from the package ``name``."""
    return any(getattr(value, "__module__", "").split(".")[0] == name for value in vars(module).values())


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_input(
    case: Case,
    ran: Path,
    served: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = case.spec
    forked = "file_size_limit" in spec or "read_only" in spec
    # A forked child that drops its privileges must reach the project: a folder anyone may enter.
    base = Path(tempfile.mkdtemp(prefix="i18n-bad-"))
    base.chmod(0o755)
    try:
        project = base / "project"
        shutil.copytree(ran, project, symlinks=True)
        outside = base / "outside"
        outside.mkdir()
        (outside / "secret.md").write_text("---\ntitle: Secret\n---\n\nNot part of the project.\n", "utf-8")
        values = {"project": str(project), "outside": str(outside), "case": str(case.folder)}
        if "http" in spec:
            served.update(spec["http"])
            values["server"] = served["url"]
        apply(case, project, values)
        for argv in spec.get("setup") or []:
            assert main([*argv, "--project", str(project)]) == 0, f"setup {argv} failed"
        for name, value in (spec.get("env") or {}).items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, _subst(str(value), values))
        if spec.get("missing_module"):
            missing = spec["missing_module"]
            monkeypatch.setitem(sys.modules, missing, None)  # import raises ImportError
            for name in [n for n, m in sys.modules.items() if n.startswith("i18n_pipeline.") and m is not None]:
                if _imports(sys.modules[name], missing):  # imported by an earlier test: import it afresh
                    monkeypatch.delitem(sys.modules, name)
        argv = [_subst(a, values) for a in spec["command"]]
        argv += ["--project", str(project)] if "--project" not in argv else []
        if forked:
            _read_only(project, spec.get("read_only") or [])
        before = tree(project)
        capsys.readouterr()
        if forked:
            code, err = run_forked(argv, file_size_limit=spec.get("file_size_limit"), unprivileged="read_only" in spec)
        else:
            code = main(argv)
            err = capsys.readouterr().err
        assert "Traceback" not in err, err
        assert code == spec.get("exit", 1), err
        errors = [line for line in err.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1, f"one error line, not: {err!r}"
        expected = _subst(spec["expect"], values)
        assert expected in errors[0], f"\nexpected: {expected}\n     got: {errors[0]}"
        after = tree(project)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        assert not changed, f"the command changed the project: {changed}"
    finally:
        for path in [base, *base.rglob("*")]:  # give everything back to us, so it can be removed
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(base)
