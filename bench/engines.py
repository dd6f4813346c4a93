"""Engines side by side on the same project: time of a cold ``translate -l es``, engine
requests, segments and characters sent (from ``translate --dry-run``).

- ``apertium``: the real engine.
- ``llm``: against a stand-in OpenAI-compatible server on 127.0.0.1 that answers at once (it
  returns the segments unchanged), so the figure is the pipeline's own cost and the number of
  requests; a real model adds its own time per request.
- ``ctranslate2``: a tiny random model (tests/engines/tiny_model.py) — the cost of loading,
  tokenising and batching, not the speed of a real OPUS-MT model (which is ~100× larger).

Projects: the bundled one (one release), and, when ../shared/eval is there, 20 releases of 30
WMT news sentences (600 sentences).

    python bench/engines.py
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "parallel" / "wmt-en-es" / "newstest2012.en"
sys.path.insert(0, str(ROOT))

from i18n_pipeline.cli import main as cli  # noqa: E402
from tests.engines.tiny_model import build_tiny_model  # noqa: E402


class EchoLLM(BaseHTTPRequestHandler):
    """Chat completions that return every segment unchanged, at once."""

    requests = 0

    def do_POST(self) -> None:
        EchoLLM.requests += 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        segments = json.loads(body["messages"][-1]["content"])["segments"]
        content = json.dumps({"translations": segments})
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()


def quiet(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli(argv)
    return code, out.getvalue()


def make_project(folder: Path, releases: list[str] | None) -> Path:
    folder.mkdir()
    shutil.copy2(ROOT / "pipeline.yaml", folder / "pipeline.yaml")
    (folder / "locales").mkdir()
    shutil.copy2(ROOT / "locales" / "glossary.yaml", folder / "locales" / "glossary.yaml")
    if releases is None:
        shutil.copytree(ROOT / "content", folder / "content")
    else:
        (folder / "content").mkdir()
        for i, text in enumerate(releases):
            (folder / "content" / f"release-{i:03d}.md").write_text(f"---\ntitle: Release {i}\n---\n\n{text}\n", "utf-8")
    for argv in (["extract"], ["update", "-l", "es"]):
        assert quiet([*argv, "--project", str(folder)])[0] == 0
    return folder


def measure(name: str, base: Path, engine_argv: list[str]) -> str:
    project = base.with_name(f"{base.name}-{name}")
    shutil.copytree(base, project)
    common = ["-l", "es", *engine_argv, "--project", str(project)]
    code, plan = quiet(["translate", "--dry-run", "--json", *common])
    assert code == 0, plan
    planned = json.loads(plan)["es"]["engines"]
    EchoLLM.requests = 0
    start = time.perf_counter()
    code, out = quiet(["translate", "--json", *common])
    elapsed = time.perf_counter() - start
    report = json.loads(out)["es"]
    sent = next(iter(planned.values()))
    http = f", {EchoLLM.requests} HTTP requests" if name == "llm" else ""
    return (f"{name:<12} {elapsed:6.2f} s  {report['engine']:>5} segments  {report['engine_requests']:>3} engine "
            f"requests{http}  {sent['characters']:>7} characters sent  (exit {code}, {report['failed']} failed)")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp_name, echo_server() as url:
        tmp = Path(tmp_name)
        opus, _ = build_tiny_model(tmp / "models")
        engines = {
            "apertium": ["--engine", "apertium"],
            "llm": ["--engine", "llm", "--engine-option", f"llm.url={url}", "--engine-option", "llm.model=echo"],
            "ctranslate2": ["--engine", "ctranslate2", "--engine-option", f"ctranslate2.model={opus}",
                            "--engine-option", "ctranslate2.beam_size=1"],
        }
        projects = {"bundled project (1 release)": make_project(tmp / "bundled", None)}
        if EVAL.exists():
            lines = [line.strip() for line in EVAL.read_text("utf-8").splitlines() if line.strip()][:600]
            releases = [" ".join(lines[i : i + 30]) for i in range(0, 600, 30)]
            projects["20 WMT releases (600 sentences)"] = make_project(tmp / "wmt", releases)
        for title, base in projects.items():
            print(title)
            for name, argv in engines.items():
                print("  " + measure(name, base, argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
