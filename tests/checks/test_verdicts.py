"""The critical checks' verdicts of earlier builds (i18n_pipeline.checks.verdicts): a build does
not run the checks again on the same text, and anything a verdict depends on asks again."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from i18n_pipeline.checks import CheckContext, passes_critical
from i18n_pipeline.checks.verdicts import Verdicts
from i18n_pipeline.cli import main
from tests.project import break_placeholder, release_name, snapshot

# The module: the package's own name 'build' is the stage (i18n_pipeline.build, the function).
build_module = importlib.import_module("i18n_pipeline.build")


def test_every_part_of_a_verdict_is_in_its_key(tmp_path: Path) -> None:
    es = Verdicts(None, "es")
    key = es.key("Hello.", "Hola.", ["a comment"], ["words"])
    others = [
        es.key("Hello!", "Hola.", ["a comment"], ["words"]),
        es.key("Hello.", "Hola!", ["a comment"], ["words"]),
        es.key("Hello.", "Hola.", [], ["words"]),
        es.key("Hello.", "Hola.", ["a comment"], []),
        es.key("Hello.", "Hola.", [], ["a comment", "words"]),  # a comment is not an ignore flag
        Verdicts(None, "fr").key("Hello.", "Hola.", ["a comment"], ["words"]),
        Verdicts(None, "es", b"terms: []").key("Hello.", "Hola.", ["a comment"], ["words"]),
    ]
    assert key not in others and len(set(others)) == len(others)
    assert es.key("Hello.", "Hola.", ["a comment"], ["words"]) == key
    assert es.key("Hello.", "Hola.", ["a comment"], ["x", "words"]) == es.key("Hello.", "Hola.", ["a comment"], ["words", "x"])


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"k": 3}', b"\xff"])
def test_a_damaged_file_is_no_verdict(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "checks-es.json"
    path.write_bytes(content)
    verdicts = Verdicts(path, "es")
    key = verdicts.key("a", "b", [], [])
    assert verdicts.get(key) is None
    verdicts.put(key, True)
    verdicts.save(complete=True)
    assert Verdicts(path, "es").get(key) is True


def test_a_build_made_here_hands_back_only_what_is_new(tmp_path: Path) -> None:
    """One core or a Dask client: the build's releases are made in its own process, and each
    release's verdicts are adopted into the very object they were taken from. What is handed back
    is then what the release added, not everything so far (the build's time grew with the
    square of its releases), and every check run is counted once."""
    path = tmp_path / "checks-es.json"
    old = Verdicts(path, "es")
    known = old.key("Known.", "Sabido.", [], [])
    old.put(known, True)
    old.save(complete=True)
    es = Verdicts(path, "es")
    keys = [es.key(f"Sentence {i}.", f"Frase {i}.", [], []) for i in range(3)]
    taken = []
    for i, key in enumerate(keys):
        assert es.get(key) is None
        es.put(key, i != 1)
        assert es.get(known) is True  # from the old file: handed back once, with the first release
        used, runs = es.take_new()
        taken.append((used, runs))
        es.adopt(used, runs)
    assert taken == [({keys[0]: True, known: True}, 1), ({keys[1]: False}, 1), ({keys[2]: True}, 1)]
    assert es.runs == 3
    es.save(complete=True)
    again = Verdicts(path, "es")
    assert [again.get(key) for key in [known, *keys]] == [True, True, False, True]


def test_a_second_build_runs_no_check_and_builds_the_same(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(source: str, target: str, context: CheckContext, *, ignore: Iterable[str] = ()) -> bool:
        calls.append(target)
        return passes_critical(source, target, context, ignore=ignore)

    monkeypatch.setattr(build_module, "passes_critical", counted)
    name = release_name(project)
    break_placeholder(project)  # one translation fails a critical check: its verdict is kept too
    shutil.rmtree(project / "build")
    assert main(["build", "--project", str(project), "-l", "es"]) == 0
    first, built = len(calls), snapshot(project / "build")
    assert first > 0
    shutil.rmtree(project / "build")
    assert main(["build", "--project", str(project), "-l", "es"]) == 0
    assert len(calls) == first  # every verdict known
    assert snapshot(project / "build") == built
    assert "disponible pronto" not in (project / "build" / "es" / f"{name}.md").read_text("utf-8")
    # A translator's comment on the broken entry: that entry is checked again, nothing else.
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{name}.po"
    entry = 'msgid "The publication will be available'
    po.write_text(po.read_text("utf-8").replace(entry, "# checked by Ana\n" + entry), "utf-8")
    assert main(["build", "--project", str(project), "-l", "es"]) == 0
    assert calls[first:] == ["La publicación estará disponible pronto."]
