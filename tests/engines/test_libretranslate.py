"""LibreTranslate (engines/libretranslate.py) against a fake of its API on 127.0.0.1, alone and
through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from i18n_pipeline.cli import main
from tests.engines.fake_apis import make, requests_made, serve


def test_libretranslate_sends_the_batch_in_one_json_request(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request(
        "/translate",
        method="POST",
        json={"q": ["Hello world.", "Read the report."], "source": "en", "target": "es",
              "format": "text", "api_key": "lt-key"},
    ).respond_with_json({"translatedText": ["Hola mundo.", "Lea el informe."]})
    engine = make("libretranslate", server, monkeypatch)
    assert engine.translate_batch(["Hello world.", "Read the report."], "en", "es") == [
        "Hola mundo.", "Lea el informe."]
    assert len(requests_made(server)) == 1


# -- through the CLI ---------------------------------------------------------------------------

RELEASE = """---
title: Good morning
---

Hello world. Read [the report](https://example.org/report) today.
"""


def test_cli_translate_with_an_online_engine(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "greeting.md").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "pipeline.yaml").write_text(
        "source_language: en\ntarget_languages: [es]\nengines:\n  default: apertium\n", encoding="utf-8")
    serve(server, "libretranslate")
    make("libretranslate", server, monkeypatch)  # sets the environment
    project = ["--project", str(tmp_path)]
    assert main(["extract", *project]) == 0
    assert main(["update", *project]) == 0
    capsys.readouterr()
    assert main(["translate", *project, "--engine", "deepl"]) == 1  # no key in the environment
    assert "deepl: no API key; set DEEPL_API_KEY" in capsys.readouterr().err
    assert requests_made(server) == []
    assert main(["translate", *project, "--engine", "libretranslate"]) == 0
    po = (tmp_path / "locales" / "es" / "LC_MESSAGES" / "greeting.po").read_text(encoding="utf-8")
    assert "libretranslate en→es" in po
    assert 'msgstr "hola mundo."' in po
    assert len(requests_made(server)) == 1  # every segment of the run in one request
