"""Online engines against a local HTTP server on 127.0.0.1 that speaks each API's wire format.

No test reaches the internet: every socket connection and name lookup to anything but the
loopback address fails the test, and every engine URL is checked to be on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from i18n_pipeline.engines import Engine, available_engines, get_engine
from i18n_pipeline.engines.online import (
    DeepLEngine,
    GoogleEngine,
    OnlineEngine,
    from_markup,
    to_markup,
)
from i18n_pipeline.errors import EngineError
from i18n_pipeline.model import PLACEHOLDER_RE

ONLINE = ("deepl", "google", "libretranslate", "mymemory")
ENV = (
    "DEEPL_API_KEY", "DEEPL_API_URL", "LIBRETRANSLATE_URL", "LIBRETRANSLATE_API_KEY",
    "MYMEMORY_URL", "MYMEMORY_EMAIL", "GOOGLE_TRANSLATE_URL",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
)
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
    from html import escape

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


# -- the registry ------------------------------------------------------------------------------


def test_online_engines_are_registered_and_follow_the_protocol(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert set(ONLINE) <= set(available_engines())
    for name in ONLINE:
        with make(name, server, monkeypatch) as engine:
            assert isinstance(engine, Engine)
            assert engine.name == name
            assert engine.describe("en", "es") == f"{name} en→es"
            assert engine.supports("en", "es") and engine.supports("pt", "zh-Hant")
            assert not engine.supports("english", "es")
    assert requests_made(server) == []


# -- request shapes ----------------------------------------------------------------------------


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


# -- batching ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ONLINE)
def test_empty_batch_makes_no_request(name: str, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make(name, server, monkeypatch)
    assert engine.translate_batch([], "en", "es") == []
    assert engine.http.requests == 0 and requests_made(server) == []


@pytest.mark.parametrize("name", ONLINE)
def test_no_text_is_sent_twice_and_wordless_texts_are_not_sent(
    name: str, server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server, name)
    engine = make(name, server, monkeypatch)
    texts = ["Hello world.", "Hello world.", "  Hello world.\n", "<1/>", "", " ", "2 — <2/>."]
    out = engine.translate_batch(texts, "en", "es")
    assert out == ["hola mundo.", "hola mundo.", "  hola mundo.\n", "<1/>", "", " ", "2 — <2/>."]
    sent: list[str] = []
    for request in requests_made(server):
        if name == "libretranslate":
            sent += request.get_json()["q"]
        elif name == "deepl":
            sent += request.form.getlist("text")
        else:
            sent.append(request.args["q"])
    markup = name in ("deepl", "libretranslate")
    assert sorted(sent) == ["2 — <x2/>." if markup else "2 — <2/>.", "Hello world."]


def test_batches_split_by_count_and_characters(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    serve(server, "libretranslate")
    engine = make("libretranslate", server, monkeypatch, batch_size=2)
    texts = [f"Report {i}." for i in range(5)]
    assert engine.translate_batch(texts, "en", "es") == [f"informe {i}." for i in range(5)]
    assert [len(r.get_json()["q"]) for r in requests_made(server)] == [2, 2, 1]

    server.clear_log()
    engine = make("libretranslate", server, monkeypatch, batch_chars=20)
    engine.translate_batch(["a" * 15 + ".", "b" * 15 + ".", "c."], "en", "es")
    assert [r.get_json()["q"] for r in requests_made(server)] == [["a" * 15 + "."], ["b" * 15 + ".", "c."]]


def test_too_long_for_google_is_refused_before_sending(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make("google", server, monkeypatch)
    with pytest.raises(EngineError, match=r"^google: a text of 5004 characters is longer than the 4999"):
        engine.translate_batch(["word " * 1001], "en", "es")
    assert requests_made(server) == []


# -- whitespace and placeholders ---------------------------------------------------------------


@pytest.mark.parametrize("name", ONLINE)
def test_surrounding_whitespace_is_restored(name: str, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    serve(server, name)
    engine = make(name, server, monkeypatch)
    assert engine.translate_batch(["\n  Hello world. ", "\tGood morning.\n\n"], "en", "es") == [
        "\n  hola mundo. ", "\tbueno mañana.\n\n"]


@pytest.mark.parametrize("name", ONLINE)
def test_placeholders_survive(name: str, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    serve(server, name)
    engine = make(name, server, monkeypatch)
    texts = ["Read <1>the report</1> today <2/>.", "AT&T <3/> and <4>R&D</4> < 5 >"]
    out = engine.translate_batch(texts, "en", "es")
    assert out == ["lea <1>el informe</1> hoy <2/>.", "AT&T <3/> y <4>R&D</4> < 5 >"]
    for text, translated in zip(texts, out, strict=True):
        assert placeholders(translated) == placeholders(text)


def test_markup_engines_send_placeholders_as_protected_elements(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server, "deepl")
    serve(server, "libretranslate")
    text = "Read <1>the report</1> & see <2/>."
    make("deepl", server, monkeypatch).translate_batch([text], "en", "es")
    make("libretranslate", server, monkeypatch).translate_batch([text], "en", "es")
    deepl, libre = requests_made(server)
    assert deepl.form["tag_handling"] == "xml"
    assert deepl.form.getlist("text") == ["Read <t1>the report</t1> &amp; see <x2/>."]
    assert libre.get_json()["format"] == "html"
    assert libre.get_json()["q"] == ["Read <t1>the report</t1> &amp; see <x2/>."]


def test_markup_round_trip_and_what_engines_do_to_empty_elements() -> None:
    text = "a < b & <1>c</1> <2/> > d"
    assert from_markup(to_markup(text)) == text
    assert from_markup("<t1>x</t1> <x2></x2> <x3 /> &lt;4&gt;") == "<1>x</1> <2/> <3/> <4>"


def test_lost_or_moved_placeholders_are_repaired_never_dropped(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The engine drops <x2/>, spaces out the pair's tags and swaps their order.
    server.expect_request("/translate", method="POST").respond_with_json(
        {"translatedText": ["</ t1>lea el informe< t1 > hoy."]})
    engine = make("libretranslate", server, monkeypatch)
    (out,) = engine.translate_batch(["Read <1>the report</1> today <2/>."], "en", "es")
    assert placeholders(out) == ["</1>", "<1>", "<2/>"]
    assert out.index("<1>") < out.index("</1>")
    assert "repaired" in caplog.text


# -- failures ----------------------------------------------------------------------------------


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


def test_missing_keys_name_the_variable_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EngineError, match=r"^deepl: no API key; set DEEPL_API_KEY$"):
        get_engine("deepl")
    # libretranslate.com needs a key; a server of one's own does not.
    with pytest.raises(EngineError, match="set LIBRETRANSLATE_API_KEY, or LIBRETRANSLATE_URL"):
        get_engine("libretranslate")


def test_rejected_keys_name_the_variable_to_check(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.expect_request("/v2/translate").respond_with_json({"message": "Wrong endpoint"}, status=403)
    server.expect_request("/translate").respond_with_json({"error": "Invalid API key"}, status=403)
    with pytest.raises(EngineError, match=r"^deepl: access refused \(HTTP 403: Wrong endpoint\); check DEEPL_API_KEY"):
        make("deepl", server, monkeypatch).translate_batch(["Hello."], "en", "es")
    with pytest.raises(EngineError, match=r"Invalid API key.*set LIBRETRANSLATE_API_KEY"):
        make("libretranslate", server, monkeypatch).translate_batch(["Hello."], "en", "es")
    assert len(requests_made(server)) == 2  # 403 is not retried


def test_deepl_quota_exceeded(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.expect_request("/v2/translate").respond_with_data("", status=456)
    with pytest.raises(EngineError, match=r"^deepl: quota exceeded"):
        make("deepl", server, monkeypatch).translate_batch(["Hello."], "en", "es")


def test_deepl_default_url_follows_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_API_KEY", "k:fx")
    assert get_engine("deepl").url == "https://api-free.deepl.com"  # type: ignore[attr-defined]
    monkeypatch.setenv("DEEPL_API_KEY", "k")
    assert get_engine("deepl").url == "https://api.deepl.com"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("deepl", {"translations": [{"text": ""}]}),
        ("deepl", {"translations": [{"text": None}]}),
        ("deepl", {"translations": []}),
        ("libretranslate", {"translatedText": ["   "]}),
        ("libretranslate", {"error": "nothing"}),
    ],
)
def test_empty_or_malformed_answers_are_engine_errors(
    name: str, answer: object, server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, method, _ = APIS[name]
    server.expect_request(path, method=method).respond_with_json(answer)
    with pytest.raises(EngineError, match=rf"^{name}: "):
        make(name, server, monkeypatch).translate_batch(["Hello."], "en", "es")


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


def test_bad_language_codes_are_refused_before_sending(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make("deepl", server, monkeypatch)
    with pytest.raises(EngineError, match=r"^deepl: 'English' is not a language code"):
        engine.translate_batch(["Hello."], "en", "English")
    assert requests_made(server) == []


def test_no_test_can_leave_the_machine() -> None:
    with pytest.raises(AssertionError, match="tried to"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)  # TEST-NET-1, never routed
    with pytest.raises(AssertionError, match="tried to look up"):
        socket.getaddrinfo("api.deepl.com", 443)


# -- through the CLI ---------------------------------------------------------------------------

RELEASE = """---
title: Good morning
---

Hello world. Read [the report](https://example.org/report) today.
"""


def test_cli_translate_with_an_online_engine(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from i18n_pipeline.cli import main

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
