"""Fake online engine APIs for the engine tests: each service's wire format, served by the local
HTTP server of ``conftest.py`` on 127.0.0.1, and the helpers that point an engine at it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from i18n_pipeline.engines import get_engine
from i18n_pipeline.engines.online import OnlineEngine
from i18n_pipeline.model import PLACEHOLDER_RE

ONLINE = ("deepl", "google", "libretranslate", "mymemory")
# Where each engine's API lives below its base URL.
PATHS = {"deepl": "", "google": "/m", "libretranslate": "", "mymemory": "/get"}
FAST = {"timeout": 2.0, "backoff": 0.01, "max_backoff": 0.05}

WORDS = {"hello": "hola", "world": "mundo", "read": "lea", "the": "el", "report": "informe",
         "today": "hoy", "see": "vea", "and": "y", "good": "bueno", "morning": "mañana"}


def fake_translate(text: str) -> str:
    """A stand-in for the engine: word by word, leaves markup, entities and placeholders alone."""
    return re.sub(r"(?<![&<\w/])[A-Za-z]+\b", lambda m: WORDS.get(m.group(0).lower(), m.group(0)), text)


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(text))


def make(name: str, server: HTTPServer, monkeypatch: pytest.MonkeyPatch, **options: Any) -> OnlineEngine:
    """The engine ``name`` pointed at ``server`` through its environment variables."""
    url = server.url_for(PATHS[name])
    assert url.startswith("http://127.0.0.1:")
    env = {
        "deepl": {"DEEPL_API_URL": url, "DEEPL_API_KEY": "secret-key:fx"},
        "libretranslate": {"LIBRETRANSLATE_URL": url, "LIBRETRANSLATE_API_KEY": "lt-key"},
        "mymemory": {"MYMEMORY_URL": url},
        "google": {"GOOGLE_TRANSLATE_URL": url},
    }[name]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    engine = get_engine(name, **{**FAST, **options})
    assert isinstance(engine, OnlineEngine)
    assert engine.url.startswith("http://127.0.0.1:"), engine.url  # never a real service
    return engine


def requests_made(server: HTTPServer) -> list[Request]:
    return [request for request, _ in server.log]


# -- fake APIs: the wire format of each service ------------------------------------------------


def libretranslate_api(request: Request) -> Response:
    body = request.get_json()
    texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
    out = [fake_translate(t) for t in texts]
    return Response(json.dumps({"translatedText": out if isinstance(body["q"], list) else out[0]}),
                    content_type="application/json")


def deepl_api(request: Request) -> Response:
    texts = request.form.getlist("text")
    data = {"translations": [{"detected_source_language": "EN", "text": fake_translate(t)} for t in texts]}
    return Response(json.dumps(data), content_type="application/json")


def mymemory_api(request: Request) -> Response:
    text = request.args["q"]
    data = {"responseData": {"translatedText": fake_translate(text), "match": 0.85},
            "responseStatus": 200, "responseDetails": "", "matches": []}
    return Response(json.dumps(data), content_type="application/json")


def google_page(translation: str) -> str:
    return (f'<html><body><div class="header">Google</div>'
            f'<div class="result-container">{escape(translation)}</div></body></html>')


def google_api(request: Request) -> Response:
    return Response(google_page(fake_translate(request.args["q"])), content_type="text/html")


APIS: dict[str, tuple[str, str, Callable[[Request], Response]]] = {
    "deepl": ("/v2/translate", "POST", deepl_api),
    "libretranslate": ("/translate", "POST", libretranslate_api),
    "mymemory": ("/get", "GET", mymemory_api),
    "google": ("/m", "GET", google_api),
}


def serve(server: HTTPServer, name: str) -> None:
    path, method, handler = APIS[name]
    server.expect_request(path, method=method).respond_with_handler(handler)
