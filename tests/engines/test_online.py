"""What every online engine does (engines/online.py): registry, batching, whitespace,
placeholders and their markup, key errors; against the fake APIs on 127.0.0.1."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from i18n_pipeline.engines import Engine, available_engines, get_engine
from i18n_pipeline.engines.online import from_markup, to_markup
from i18n_pipeline.errors import EngineError
from tests.engines.fake_apis import APIS, ONLINE, make, placeholders, requests_made, serve

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


def test_bad_language_codes_are_refused_before_sending(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make("deepl", server, monkeypatch)
    with pytest.raises(EngineError, match=r"^deepl: 'English' is not a language code"):
        engine.translate_batch(["Hello."], "en", "English")
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
    caplog.set_level("INFO", logger="i18n_pipeline.engines")
    (detailed,) = engine.translate_detailed(["Read <1>the report</1> today <2/>."], "en", "es")
    out = detailed.text
    assert placeholders(out) == ["</1>", "<1>", "<2/>"]
    assert out.index("<1>") < out.index("</1>")
    assert detailed.repaired  # counted on the translate summary line
    assert "repaired" in caplog.text and not [r for r in caplog.records if r.levelname == "WARNING"]


# -- keys and answers --------------------------------------------------------------------------


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
