"""The house rules of DESIGN.md, checked on the source: imports point one way, with no cycle.

``cli -> pipeline -> stages -> model``: a stage never imports ``cli`` or ``pipeline``, ``model``
imports nothing of ours, our own modules are imported at the top of a module (a function-level
import would hide a cycle), third-party libraries live in one room each, and no module grows
past 600 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "i18n_pipeline"
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = ["i18n_pipeline", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    for _ in range(node.level - 1):
        package = package.rsplit(".", 1)[0]
    return f"{package}.{node.module}" if node.module else package


def _imports(module: str) -> list[tuple[str, bool]]:
    """(imported module, at module level) for every import in ``module``, ours and others."""
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    top_level = {id(n) for n in tree.body}
    top_level |= {id(n) for stmt in tree.body if isinstance(stmt, ast.If) for n in stmt.body}  # TYPE_CHECKING
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((sub if sub in MODULES else base, id(node) in top_level))
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "import_module"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
        ):
            found.append((node.args[0].value, False))  # importlib.import_module("..."): never at the top
    return found


def _ours(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rsplit(".", 1)[0] if "." in name else ""
    return name or None


GRAPH = {m: sorted({o for name, _ in _imports(m) if (o := _ours(name)) and o != m}) for m in MODULES}


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in GRAPH[node]:
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in GRAPH:
        if module not in state:
            visit(module)


# The console script defers the CLI so that a run with nothing to do is answered before the
# pipeline is imported (launch.py); nothing imports launch, so this cannot hide a cycle.
DEFERRED = {"i18n_pipeline.launch": {"i18n_pipeline.cli"}}


def test_the_launcher_is_imported_by_nothing() -> None:
    assert not [m for m, deps in GRAPH.items() if "i18n_pipeline.launch" in deps and m != "i18n_pipeline.__main__"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_our_modules_are_imported_at_the_top(module: str) -> None:
    allowed = DEFERRED.get(module, set())
    hidden = [name for name, top in _imports(module) if not top and _ours(name) and name not in allowed]
    assert not hidden, f"{module} imports {hidden} inside a function; import at the top (a hidden import hides a cycle)"


ENTRY_POINTS = {"i18n_pipeline", "i18n_pipeline.__main__", "i18n_pipeline.cli", "i18n_pipeline.launch"}


PIPELINE = {m for m in MODULES if m == "i18n_pipeline.pipeline" or m.startswith("i18n_pipeline.pipeline.")}


@pytest.mark.parametrize("module", sorted(set(MODULES) - ENTRY_POINTS - PIPELINE))
def test_stages_never_import_the_cli_or_the_pipeline(module: str) -> None:
    upward = {"i18n_pipeline", "i18n_pipeline.cli", *PIPELINE}
    wrong = sorted(set(GRAPH[module]) & upward)
    assert not wrong, f"{module} imports {wrong}: imports point one way, cli -> pipeline -> stages -> model"


@pytest.mark.parametrize("module", sorted(PIPELINE))
def test_the_pipeline_never_imports_the_cli(module: str) -> None:
    wrong = sorted(set(GRAPH[module]) & {"i18n_pipeline", "i18n_pipeline.cli"})
    assert not wrong, f"{module} imports {wrong}: imports point one way, cli -> pipeline -> stages -> model"


def test_model_imports_nothing_of_ours() -> None:
    assert GRAPH["i18n_pipeline.model"] == []


# Each third-party library lives in one room (DESIGN.md): the modules that may import it.
LIBRARY_ROOMS = {
    "translate": {"i18n_pipeline.pofile"},
    "unicode_segmentation_rs": {"i18n_pipeline.powrap"},
    "requests": {"i18n_pipeline.engines.http"},
    "sqlite3": {"i18n_pipeline.memory"},
    "yaml": {"i18n_pipeline.config", "i18n_pipeline.formats.front_matter", "i18n_pipeline.glossary"},
    "deep_translator": {"i18n_pipeline.engines.deep_translator"},
    "trafilatura": {"i18n_pipeline.ingest.web"},
    "markdown_it": {"i18n_pipeline.formats.markdown"},
    "lingua": {"i18n_pipeline.ingest.language"},
    "charset_normalizer": {"i18n_pipeline.ingest.decode"},
    "enchant": {"i18n_pipeline.dictionary"},
    "ctranslate2": {"i18n_pipeline.engines.ctranslate2"},
    "sentencepiece": {"i18n_pipeline.engines.ctranslate2"},
    "nh3": {"i18n_pipeline.sanitise"},
    "distributed": {"i18n_pipeline.engines.dask"},
    "dask": {"i18n_pipeline.engines.dask"},
}


@pytest.mark.parametrize("library", sorted(LIBRARY_ROOMS))
def test_each_library_lives_in_one_room(library: str) -> None:
    users = {m for m in MODULES for name, _ in _imports(m) if name == library or name.startswith(library + ".")}
    assert users <= LIBRARY_ROOMS[library], f"{library} is imported by {sorted(users - LIBRARY_ROOMS[library])}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_longer_than_600_lines(module: str) -> None:
    lines = MODULES[module].read_text("utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it along a seam"
