"""The ``llm`` engine (engines/llm.py) against a fake OpenAI-compatible server on 127.0.0.1
(``fake_llm.py``): the wire format, validation and retries of bad replies, failures, secrets;
then through the CLI on the bundled project."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from i18n_pipeline.cli import main
from i18n_pipeline.engines import get_engine
from i18n_pipeline.engines.llm import SYSTEM_PROMPT, LLMEngine
from i18n_pipeline.errors import EngineError
from i18n_pipeline.glossary import Glossary, Term
from i18n_pipeline.model import PLACEHOLDER_RE
from i18n_pipeline.segment import placeholders_match
from tests.engines.fake_llm import FakeLLM, base_url, dead_url, serve_llm
from tests.project import SEED, copy_project, msgfmt_check, snapshot
from tests.test_translate import by_source

FAST = {"timeout": 5.0, "backoff": 0.01, "max_backoff": 0.02}
GLOSSARY = Glossary((
    Term("human trafficking", targets=(("es", "trata de personas"),)),
    Term("IOM", targets=(("es", "OIM"),)),
    Term("Tapachula", keep=True),
))


def llm(server: HTTPServer, **options: Any) -> LLMEngine:
    engine = get_engine("llm", **{"url": base_url(server), "model": "test-model", **FAST, **options})
    assert isinstance(engine, LLMEngine)
    return engine


# -- the wire format ---------------------------------------------------------------------------


def test_one_request_per_batch_in_the_documented_wire_format(server: HTTPServer) -> None:
    fake = serve_llm(server)
    with llm(server, glossary=GLOSSARY) as engine:
        out = engine.translate_detailed(["Hello world.", "Read <1>the report</1> today.", "Hello world."], "en", "es")
    assert [o.text for o in out] == ["hola mundo.", "lea <1>el informe</1> hoy.", "hola mundo."]
    assert {o.provenance for o in out} == {"llm test-model"} and not any(o.error for o in out)
    assert len(fake.bodies) == 1, "one request for the batch, a repeated text sent once"
    body = fake.bodies[0]
    assert body["model"] == "test-model" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert fake.payloads[0] == {"source_language": "en", "target_language": "es",
                                "segments": ["Hello world.", "Read <1>the report</1> today."],
                                "glossary": {}, "do_not_translate": []}
    assert "Authorization" not in fake.headers[0], "no key for a local server"


def test_the_glossary_holds_only_the_terms_of_the_batch(server: HTTPServer) -> None:
    fake = serve_llm(server)
    texts = ["IOM fights human trafficking.", "IOM opened an office in Tapachula.", "Hello world."]
    with llm(server, glossary=GLOSSARY, batch_size=2) as engine:
        out = engine.translate_batch(texts, "en", "es")
    assert out[0] == "OIM fights trata de personas."
    assert [p["glossary"] for p in fake.payloads] == [{"IOM": "OIM", "human trafficking": "trata de personas"}, {}]
    assert [p["do_not_translate"] for p in fake.payloads] == [["Tapachula"], []]


def test_a_key_goes_in_the_header_from_the_named_variable(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = serve_llm(server)
    monkeypatch.setenv("TEST_LLM_KEY", "sk-test-123")
    with llm(server, api_key_env="TEST_LLM_KEY") as engine:
        engine.translate_batch(["Hello."], "en", "es")
    assert fake.headers[0]["Authorization"] == "Bearer sk-test-123"


def test_a_server_without_json_mode_is_asked_again_without_it(server: HTTPServer) -> None:
    fake = serve_llm(server, FakeLLM(no_json_mode=True, fenced=True))
    with llm(server) as engine:
        assert engine.translate_batch(["Hello world."], "en", "es") == ["hola mundo."]
        assert engine.translate_batch(["Good morning."], "en", "es") == ["bueno mañana."]
    assert ["response_format" in b for b in fake.bodies] == [True, False, False], "asked once with it, then never"


# -- bad replies -------------------------------------------------------------------------------

TEXTS = [f"Read <1>the report</1> number {n} today." for n in range(1, 9)]


@pytest.mark.parametrize("misbehaviour", ["short", "drop"])
def test_a_bad_reply_is_asked_again_in_smaller_batches(server: HTTPServer, misbehaviour: str) -> None:
    fake = serve_llm(server, FakeLLM(short=misbehaviour == "short", drop=misbehaviour == "drop"))
    with llm(server, batch_size=8) as engine:
        out = engine.translate_detailed(TEXTS, "en", "es")
    assert not any(o.error for o in out)
    assert all(placeholders_match(t, o.text) and "informe" in o.text for t, o in zip(TEXTS, out, strict=True))
    sizes = [len(p["segments"]) for p in fake.payloads]
    assert sizes[0] == 8 and set(sizes) == {8, 4, 2, 1}, sizes  # halves, depth first
    assert sizes.count(1) == 8, "in the end, one segment per request"


def test_only_the_segments_a_reply_got_wrong_are_asked_again(server: HTTPServer) -> None:
    fake = serve_llm(server, FakeLLM(bad={TEXTS[2]}))
    with llm(server, batch_size=8) as engine:
        out = engine.translate_detailed(TEXTS, "en", "es")
    assert [bool(o.error) for o in out] == [i == 2 for i in range(8)]
    assert out[2].text == "" and "no valid reply" in out[2].error
    assert [p["segments"] for p in fake.payloads] == [TEXTS, [TEXTS[2]]]
    with llm(server) as engine, pytest.raises(EngineError, match="no valid reply"):
        engine.translate_batch(TEXTS[2:3], "en", "es")


def test_an_empty_translation_is_a_bad_reply(server: HTTPServer) -> None:
    serve_llm(server, FakeLLM(bad={"Hello world."}))  # no placeholder: the fake answers ""
    with llm(server) as engine:
        out = engine.translate_detailed(["Hello world.", "Good morning."], "en", "es")
    assert [o.text for o in out] == ["", "bueno mañana."] and out[0].error


def test_a_reply_that_is_not_json_fails_the_segment(server: HTTPServer) -> None:
    def prose(request: Request) -> Response:
        reply = {"choices": [{"message": {"role": "assistant", "content": "Sure! Here is the translation: hola"}}]}
        return Response(json.dumps(reply), content_type="application/json")

    server.expect_request("/v1/chat/completions").respond_with_handler(prose)
    with llm(server) as engine:
        out = engine.translate_detailed(["Hello world.", "Good morning."], "en", "es")
    assert all(o.error and not o.text for o in out)
    assert len(server.log) == 3, "the batch, then each segment alone"


# -- failures and secrets ----------------------------------------------------------------------


def test_a_server_that_is_down_is_an_engine_error() -> None:
    with get_engine("llm", url=dead_url(), model="m", tries=2, **{**FAST, "timeout": 2.0}) as engine, \
            pytest.raises(EngineError, match=r"^llm: cannot connect to 127\.0\.0\.1:\d+ \(2 tries\)"):
        engine.translate_batch(["Hello."], "en", "es")


def test_settings_that_are_missing_say_how_to_set_them(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EngineError, match=r"llm: no server URL; .*llm\.url=http://127\.0\.0\.1:11434/v1"):
        get_engine("llm", model="m")
    with pytest.raises(EngineError, match=r"llm: no model; .*--engine-option llm\.model=NAME"):
        get_engine("llm", url="http://127.0.0.1:1/v1")
    monkeypatch.delenv("NO_SUCH_KEY_VAR", raising=False)
    with pytest.raises(EngineError, match="NO_SUCH_KEY_VAR"):
        get_engine("llm", url="http://127.0.0.1:1/v1", model="m", api_key_env="NO_SUCH_KEY_VAR")


def test_the_key_is_never_in_an_error_message(
    server: HTTPServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(request: Request) -> Response:  # a server that echoes what it was sent
        return Response(json.dumps({"error": {"message": f"bad key {request.headers['Authorization']}"}}),
                        status=401, content_type="application/json")

    server.expect_request("/v1/chat/completions").respond_with_handler(refuse)
    monkeypatch.setenv("TEST_LLM_KEY", "sk-very-secret")
    caplog.set_level(logging.DEBUG)
    with llm(server, api_key_env="TEST_LLM_KEY") as engine, pytest.raises(EngineError) as caught:
        engine.translate_batch(["Hello."], "en", "es")
    assert "access refused (HTTP 401" in str(caught.value) and "TEST_LLM_KEY" in str(caught.value)
    assert "sk-very-secret" not in str(caught.value) and "sk-very-secret" not in caplog.text


# -- through the CLI ---------------------------------------------------------------------------


def updated_project(tmp_path: Path) -> Path:
    """The bundled project with its Spanish PO files made, nothing translated."""
    project = copy_project(tmp_path / "p")
    assert main(["extract", "--project", str(project)]) == 0
    assert main(["update", "-l", "es", "--project", str(project)]) == 0
    return project


def llm_options(url: str, model: str = "M") -> list[str]:
    return ["--engine-option", f"llm.url={url}", "--engine-option", f"llm.model={model}"]


def test_cli_translate_with_the_llm_fills_every_entry(
    server: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = serve_llm(server)
    project = updated_project(tmp_path)
    capsys.readouterr()
    argv = ["translate", "-l", "es", "--engine", "llm", *llm_options(base_url(server)), "--json", "--project", str(project)]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)["es"]
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po"
    entries = by_source(po)
    assert entries and all(e.msgstr for e in entries.values()), [s for s, e in entries.items() if not e.msgstr]
    machine = [e for e in entries.values() if any(c.startswith("machine translation: llm M, ") for c in e.comments)]
    assert len(machine) == report["engine"] == report["by_engine"]["llm"] > 10, report
    assert all("fuzzy" in e.flags for e in machine)
    msgfmt_check([po])
    # The server saw the glossary terms of the release (glossary.yaml), as text to translate.
    seen = {term: target for p in fake.payloads for term, target in p["glossary"].items()}
    assert seen.get("IOM") == "OIM" and any(t.lower() == "human trafficking" for t in seen), seen
    assert any("IOM" in s for p in fake.payloads for s in p["segments"])
    assert report["engine_requests"] == 1 and len(fake.payloads) == 1, "one release, one batch"


def test_cli_bad_replies_are_retried_and_never_land_in_a_po_file(
    server: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = updated_project(tmp_path)
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po"
    with_placeholders = [s for s in by_source(po) if PLACEHOLDER_RE.search(s)]
    assert with_placeholders, "the seed has a sentence with a link"
    always_bad = with_placeholders[0]
    assert "publication will be available" in always_bad
    fake = serve_llm(server, FakeLLM(short=True, drop=True, bad=set()))
    capsys.readouterr()
    argv = ["translate", "-l", "es", "--engine", "llm", *llm_options(base_url(server)), "--project", str(project)]
    assert main(argv) == 0
    entries = by_source(po)
    assert all(e.msgstr and placeholders_match(s, e.msgstr) for s, e in entries.items())
    assert max(len(p["segments"]) for p in fake.payloads) > 1 and len(fake.payloads) > len(entries)

    # A segment the model always gets wrong stays untranslated and is counted as failed.
    fresh = updated_project(tmp_path / "again")
    fake.bad = {"publication will be available"}
    fake.payloads.clear()
    capsys.readouterr()
    assert main(["translate", "-l", "es", "--engine", "llm", *llm_options(base_url(server)), "--json",
                 "--project", str(fresh)]) == 1
    report = json.loads(capsys.readouterr().out)["es"]
    assert report["failed"] == 1, report
    entries = by_source(fresh / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po")
    assert entries[always_bad].msgstr == "" and "fuzzy" not in entries[always_bad].flags
    assert all(placeholders_match(s, e.msgstr) for s, e in entries.items() if e.msgstr)
    assert any(len(p["segments"]) == 1 and "publication will" in p["segments"][0] for p in fake.payloads), \
        "it was asked alone before it failed"


def test_cli_chain_falls_back_to_apertium_when_the_llm_server_is_down(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    project = updated_project(tmp_path)
    settings = (project / "pipeline.yaml").read_text("utf-8")
    settings = settings.replace("engines:\n  default: apertium\n",
                                "engines:\n  default: apertium\n  es: [llm, apertium]\n"
                                f"engine_options:\n  llm: {{url: '{dead_url()}', model: M, tries: 2, backoff: 0.01}}\n")
    assert "es: [llm, apertium]" in settings
    (project / "pipeline.yaml").write_text(settings, "utf-8")
    capsys.readouterr()
    assert main(["translate", "-l", "es", "--json", "--project", str(project)]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)["es"]
    assert report["failed"] == 0 and report["by_engine"] == {"apertium": report["engine"]}, report
    assert "llm: cannot connect" in caplog.text and "the rest goes to apertium" in caplog.text
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po"
    entries = by_source(po)
    assert entries and all(e.msgstr for e in entries.values())
    for entry in entries.values():
        comments = [c for c in entry.comments if c.startswith("machine translation: ")]
        assert not comments or comments[0].startswith("machine translation: apertium eng-spa, "), entry.comments
    assert sum(1 for e in entries.values() if any(c.startswith("machine translation: apertium") for c in e.comments)) \
        == report["engine"]
    msgfmt_check([po])


def test_cli_dry_run_sends_nothing_and_writes_nothing(
    server: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = updated_project(tmp_path)
    before = snapshot(project)
    argv = ["translate", "--dry-run", "-l", "es", "--engine", "llm", *llm_options(base_url(server)),
            "--engine-option", "llm.price_per_million_chars=2.5", "--project", str(project)]
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert server.log == [], "a dry run sends no request"
    assert snapshot(project) == before, "a dry run writes nothing"
    es = plan["es"]["engines"]["llm"]
    entries = by_source(project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po")
    assert es["segments"] == len(entries) - plan["es"]["tm_exact"] > 10, plan
    assert es["characters"] >= sum(len(s) for s in entries) * 0.8, plan
    assert es["estimated_cost"] == pytest.approx(es["characters"] * 2.5 / 1e6, abs=1e-6)
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"{es['segments']} segments, {es['characters']} characters to llm" in out
    assert "estimated cost" in out and snapshot(project) == before and server.log == []


def test_cli_the_key_is_in_no_output_and_no_file(
    server: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "sk-proj-SECRET-4f9c2a7e"
    monkeypatch.setenv("TEST_LLM_KEY", secret)
    fake = serve_llm(server, FakeLLM(short=True))  # bad replies too: their warnings are logged
    project = updated_project(tmp_path)
    caplog.set_level(logging.DEBUG)
    capsys.readouterr()
    options = [*llm_options(base_url(server)), "--engine-option", "llm.api_key_env=TEST_LLM_KEY"]
    assert main(["-v", "translate", "-l", "es", "--engine", "llm", *options, "--json", "--project", str(project)]) == 0
    assert main(["-v", "translate", "--dry-run", "-l", "es", "--engine", "llm", *options, "--project", str(project)]) == 0
    assert main(["run", "-l", "es", "--engine", "llm", *options, "--project", str(project)]) == 0
    assert all(h["Authorization"] == f"Bearer {secret}" for h in fake.headers), "the key was used"
    # A refused key: the error message names the variable, never the key.
    server.clear_all_handlers()
    server.expect_request("/v1/chat/completions").respond_with_handler(
        lambda r: Response(json.dumps({"error": {"message": f"invalid key {r.headers['Authorization']}"}}),
                           status=401, content_type="application/json"))
    (project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po").unlink()
    assert main(["update", "-l", "es", "--project", str(project)]) == 0
    (project / ".i18n-cache").rename(project / "old-cache")  # nothing cached: the engine is asked
    assert main(["translate", "-l", "es", "--engine", "llm", *options, "--project", str(project)]) == 1
    captured = capsys.readouterr()
    assert "access refused (HTTP 401" in captured.err and "TEST_LLM_KEY" in captured.err
    assert secret not in captured.out + captured.err and secret not in caplog.text
    for path in project.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
