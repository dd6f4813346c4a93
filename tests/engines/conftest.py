"""The engine tests: no test reaches the internet.

Every socket connection and name lookup to anything but the loopback address fails the test;
online engines talk to a local HTTP server on 127.0.0.1 (``fake_apis.py`` speaks their wire
formats), and every engine URL is checked to be on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.engines.tiny_model import build_tiny_model

ENV = (
    "DEEPL_API_KEY", "DEEPL_API_URL", "LIBRETRANSLATE_URL", "LIBRETRANSLATE_API_KEY",
    "MYMEMORY_URL", "MYMEMORY_EMAIL", "GOOGLE_TRANSLATE_URL",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
)


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real keys, no proxies, and no connection or name lookup beyond 127.0.0.1."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(str(address[0])):
            raise AssertionError(f"test tried to connect to {address!r}")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host.decode() if isinstance(host, bytes) else str(host)):
            raise AssertionError(f"test tried to look up {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(scope="module")
def running_server() -> Iterator[HTTPServer]:
    """Threaded, so a handler that sleeps never holds up the next request."""
    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def server(running_server: HTTPServer) -> Iterator[HTTPServer]:
    """The module's server with no handlers and an empty log; unexpected requests fail the test."""
    running_server.clear()
    running_server.clear_all_handlers()
    yield running_server
    running_server.check_assertions()
    running_server.check_handler_errors()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A tiny random CTranslate2 model (tiny_model.py), built once per session: its folder in the
    OPUS-MT layout and in the Argos Translate layout. Never modified."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"))
