"""A fake OpenAI-compatible chat-completions server for the ``llm`` engine's tests, served by the
local HTTP server of ``conftest.py`` on 127.0.0.1.

It speaks the wire format of ``engines/llm.py`` and checks it on every request: the last user
message's content is a JSON object with exactly the documented keys. It translates word by word
(``fake_apis.fake_translate``), uses the glossary it is sent, and can misbehave on purpose: a
wrong count, dropped placeholders, no JSON mode, one segment it always gets wrong.
"""

from __future__ import annotations

import json
import re
import socket
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from i18n_pipeline.model import PLACEHOLDER_RE
from tests.engines.fake_apis import fake_translate

PAYLOAD_KEYS = {"source_language", "target_language", "segments", "glossary", "do_not_translate"}


@dataclass
class FakeLLM:
    """What the server does and what it saw. ``short``: batches of more than one segment get one
    translation too few; ``drop``: batches of more than one lose their placeholders; ``bad``:
    segments whose translation always loses its placeholders (or is empty, without any);
    ``no_json_mode``: HTTP 400 when ``response_format`` is sent; ``fenced``: the JSON comes in a
    Markdown code fence."""

    short: bool = False
    drop: bool = False
    bad: set[str] = field(default_factory=set)
    no_json_mode: bool = False
    fenced: bool = False
    payloads: list[dict[str, Any]] = field(default_factory=list)  # every well-formed request's user JSON
    bodies: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    def translate(self, segment: str, glossary: dict[str, str]) -> str:
        for term, target in sorted(glossary.items(), key=lambda t: -len(t[0])):
            segment = re.sub(re.escape(term), target.replace("\\", r"\\"), segment, flags=re.IGNORECASE)
        return fake_translate(segment)

    def __call__(self, request: Request) -> Response:
        body = request.get_json()
        self.bodies.append(body)
        self.headers.append(dict(request.headers))
        if self.no_json_mode and "response_format" in body:
            return Response(json.dumps({"error": {"message": "response_format is not supported"}}), status=400,
                            content_type="application/json")
        messages = body["messages"]
        assert messages[0]["role"] == "system" and "<1>" in messages[0]["content"], messages[0]
        assert messages[-1]["role"] == "user", messages
        payload = json.loads(messages[-1]["content"])
        assert set(payload) == PAYLOAD_KEYS, sorted(payload)
        self.payloads.append(payload)
        segments: list[str] = payload["segments"]
        out = [self.translate(s, payload["glossary"]) for s in segments]
        for i, segment in enumerate(segments):
            if any(b in segment for b in self.bad) or (self.drop and len(segments) > 1):
                out[i] = PLACEHOLDER_RE.sub("", out[i]) if PLACEHOLDER_RE.search(out[i]) else ""
        if self.short and len(out) > 1:
            out = out[:-1]
        content = json.dumps({"translations": out}, ensure_ascii=False)
        if self.fenced:
            content = f"```json\n{content}\n```"
        reply = {"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                              "finish_reason": "stop"}]}
        return Response(json.dumps(reply, ensure_ascii=False), content_type="application/json")


def serve_llm(server: HTTPServer, fake: FakeLLM | None = None) -> FakeLLM:
    """``fake`` (a well-behaved one by default) at ``{server}/v1/chat/completions``."""
    fake = fake or FakeLLM()
    server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(fake)
    return fake


def base_url(server: HTTPServer) -> str:
    url = server.url_for("/v1")
    assert url.startswith("http://127.0.0.1:")
    return url


def dead_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the port was just free)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
