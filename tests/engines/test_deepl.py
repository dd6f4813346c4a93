"""DeepL (engines/deepl.py) against a fake of its API on 127.0.0.1."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from i18n_pipeline.engines import get_engine
from i18n_pipeline.engines.deepl import DeepLEngine
from i18n_pipeline.errors import EngineError
from tests.engines.fake_apis import make, requests_made, serve


def test_deepl_sends_the_key_in_the_header_and_texts_as_repeated_fields(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server, "deepl")
    engine = make("deepl", server, monkeypatch)
    assert engine.translate_batch(["Hello world.", "Good morning."], "en", "es") == [
        "hola mundo.", "bueno mañana."]
    (request,) = requests_made(server)
    assert request.method == "POST" and request.path == "/v2/translate"
    assert request.headers["Authorization"] == "DeepL-Auth-Key secret-key:fx"
    assert request.content_type.startswith("application/x-www-form-urlencoded")
    assert request.form.getlist("text") == ["Hello world.", "Good morning."]
    assert request.form["source_lang"] == "EN" and request.form["target_lang"] == "ES"
    assert "tag_handling" not in request.form  # plain texts go as plain text
    # The key travels only in the header: not in the URL, not in the body.
    assert "secret-key" not in request.query_string.decode() and "auth_key" not in request.form
    assert "secret-key" not in request.get_data(as_text=True)


def test_deepl_target_variants() -> None:
    assert DeepLEngine.target_code("en") == "EN-GB"
    assert DeepLEngine.target_code("en-US") == "EN-US"
    assert DeepLEngine.target_code("pt_BR") == "PT-BR"
    assert DeepLEngine.target_code("es") == "ES"


def test_deepl_quota_exceeded(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.expect_request("/v2/translate").respond_with_data("", status=456)
    with pytest.raises(EngineError, match=r"^deepl: quota exceeded"):
        make("deepl", server, monkeypatch).translate_batch(["Hello."], "en", "es")


def test_deepl_default_url_follows_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_API_KEY", "k:fx")
    assert get_engine("deepl").url == "https://api-free.deepl.com"  # type: ignore[attr-defined]
    monkeypatch.setenv("DEEPL_API_KEY", "k")
    assert get_engine("deepl").url == "https://api.deepl.com"  # type: ignore[attr-defined]
