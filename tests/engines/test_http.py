"""The online engines' HTTP client (engines/http.py): retries, back-off, Retry-After, timeouts and
connection errors, against the fake APIs on 127.0.0.1; and the guard that keeps every test here."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from i18n_pipeline.engines import get_engine
from i18n_pipeline.errors import EngineError
from tests.engines.fake_apis import APIS, FAST, ONLINE, libretranslate_api, make, requests_made


@pytest.mark.parametrize("name", ["deepl", "libretranslate", "mymemory"])
def test_retries_after_429_then_succeeds(name: str, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    path, method, handler = APIS[name]
    server.expect_ordered_request(path, method=method).respond_with_data("slow down", status=429)
    server.expect_ordered_request(path, method=method).respond_with_data("busy", status=503)
    server.expect_ordered_request(path, method=method).respond_with_handler(handler)
    engine = make(name, server, monkeypatch)
    assert engine.translate_batch(["Hello world."], "en", "es") == ["hola mundo."]
    assert len(requests_made(server)) == 3


def test_retries_are_bounded_and_the_last_failure_is_named(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.expect_request("/v2/translate").respond_with_data("overloaded", status=503)
    engine = make("deepl", server, monkeypatch)
    with pytest.raises(EngineError, match=r"^deepl: server error \(HTTP 503: overloaded\); try again later"):
        engine.translate_batch(["Hello."], "en", "es")
    assert len(requests_made(server)) == 3


def test_retry_after_is_honoured_up_to_the_cap(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.expect_ordered_request("/translate").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    server.expect_ordered_request("/translate").respond_with_handler(libretranslate_api)
    engine = make("libretranslate", server, monkeypatch, max_backoff=0.2)
    started = time.monotonic()
    engine.translate_batch(["Hello."], "en", "es")
    assert 0.15 < time.monotonic() - started < 2


@pytest.mark.parametrize("name", ONLINE)
def test_timeout_is_an_engine_error(name: str, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    path, method, handler = APIS[name]
    release = threading.Event()
    arrived: list[float] = []

    def slow(request: Request) -> Response:
        arrived.append(time.monotonic())
        release.wait(5.0)  # longer than the timeout, until the test is done
        return handler(request)

    server.expect_request(path, method=method).respond_with_handler(slow)
    engine = make(name, server, monkeypatch, timeout=0.2, tries=2)
    started = time.monotonic()
    with pytest.raises(EngineError, match=rf"^{name}: no answer from 127\.0\.0\.1:\d+ within 0\.2 s \(2 tries\)"):
        engine.translate_batch(["Hello world."], "en", "es")
    assert time.monotonic() - started < 3.0
    assert len(arrived) == 2
    release.set()
    deadline = time.monotonic() + 5.0  # let the handlers finish before the next test's log
    while len(server.log) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)


def test_connection_refused_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("LIBRETRANSLATE_URL", f"http://127.0.0.1:{port}")
    engine = get_engine("libretranslate", **FAST)
    with pytest.raises(EngineError, match=r"^libretranslate: cannot connect to 127\.0\.0\.1:\d+ \(3 tries\).*LIBRETRANSLATE_URL"):
        engine.translate_batch(["Hello."], "en", "es")


def test_no_test_can_leave_the_machine() -> None:
    with pytest.raises(AssertionError, match="tried to"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)  # TEST-NET-1, never routed
    with pytest.raises(AssertionError, match="tried to look up"):
        socket.getaddrinfo("api.deepl.com", 443)
