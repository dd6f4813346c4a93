"""MyMemory and Google through deep-translator (engines/deep_translator.py), against fakes of
their APIs on 127.0.0.1."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from i18n_pipeline.engines.deep_translator import GoogleEngine
from i18n_pipeline.errors import EngineError
from tests.engines.fake_apis import google_page, make, requests_made, serve


def test_mymemory_goes_through_deep_translator_one_get_per_text(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server, "mymemory")
    monkeypatch.setenv("MYMEMORY_EMAIL", "press@example.org")
    engine = make("mymemory", server, monkeypatch)
    assert engine.translate_batch(["Hello world.", "Read the report."], "en", "es") == [
        "hola mundo.", "lea el informe."]
    made = requests_made(server)
    assert [(r.method, r.path) for r in made] == [("GET", "/get")] * 2
    assert made[0].args["q"] == "Hello world."
    assert made[0].args["langpair"] == "en|es"
    assert made[0].args["de"] == "press@example.org"


def test_google_goes_through_deep_translator(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    serve(server, "google")
    engine = make("google", server, monkeypatch)
    assert engine.translate_batch(["Hello world."], "en", "he") == ["hola mundo."]
    (request,) = requests_made(server)
    assert request.path == "/m"
    assert (request.args["q"], request.args["sl"], request.args["tl"]) == ("Hello world.", "en", "iw")
    assert GoogleEngine.code("zh") == "zh-CN" and GoogleEngine.code("zh-hant") == "zh-TW"


def test_google_empty_answer_and_missing_result_are_engine_errors(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_ordered_request("/m").respond_with_data(google_page(""), content_type="text/html")
    server.expect_ordered_request("/m").respond_with_data("<html>captcha</html>", content_type="text/html")
    engine = make("google", server, monkeypatch)
    with pytest.raises(EngineError, match=r"^google: no translation for 'Hello\.'"):
        engine.translate_batch(["Hello."], "en", "es")
    with pytest.raises(EngineError, match=r"^google: TranslationNotFound"):
        engine.translate_batch(["Hello."], "en", "es")


def test_mymemory_errors_reported_in_the_body(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    quota = {"responseData": {"translatedText": "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS"},
             "responseStatus": 429, "responseDetails": "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS"}
    bad_pair = {"responseData": {"translatedText": "INVALID LANGUAGE PAIR"}, "responseStatus": "403",
                "responseDetails": "INVALID LANGUAGE PAIR SPECIFIED"}
    server.expect_ordered_request("/get").respond_with_json(quota)
    server.expect_ordered_request("/get").respond_with_json(bad_pair)
    engine = make("mymemory", server, monkeypatch)
    with pytest.raises(EngineError, match=r"^mymemory: daily quota used up .*set MYMEMORY_EMAIL"):
        engine.translate_batch(["Hello."], "en", "es")
    with pytest.raises(EngineError, match=r"^mymemory: refused \(403: INVALID LANGUAGE PAIR"):
        engine.translate_batch(["Hello."], "en", "xx")
