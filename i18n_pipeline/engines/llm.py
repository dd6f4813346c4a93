"""Large language models behind the OpenAI chat-completions API: a hosted model, or a local one
under Ollama, llama.cpp's server or vLLM (``POST {url}/chat/completions``).

Wire format (any compatible server can be used, and the tests run one on 127.0.0.1): a system
message says how to treat placeholders; the last user message's content is a JSON object
``{"source_language": "en", "target_language": "es", "segments": [...], "glossary": {...},
"do_not_translate": [...]}`` with only the glossary terms and names present in that batch; the
reply's content is a JSON object ``{"translations": [...]}`` of the same length. Requests ask for
``response_format: {"type": "json_object"}``; a server that rejects it is asked again without it.

Every reply is validated: valid JSON, the right count, no empty string, every placeholder of the
segment exactly once, pairs in order. A bad reply is asked again with smaller batches (halves),
in the end one segment at a time; only then does a segment fail (the next engine of a fallback
chain gets it, or it stays untranslated). Nothing an LLM answered is repaired into a PO file.

Options (``engine_options.llm`` in pipeline.yaml, or ``--engine-option llm.KEY=VALUE``): ``url``,
``model``, ``api_key_env`` (the name of the environment variable that holds the key; none for a
local server), ``temperature``, ``batch_size``, ``timeout``, ``tries``, ``backoff``,
``max_backoff``. The key is read from the environment only and is never part of a message.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from i18n_pipeline.engines import MachineTranslation
from i18n_pipeline.engines.http import DEFAULT_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_TRIES, Http, Response, error_text
from i18n_pipeline.errors import EngineError
from i18n_pipeline.glossary import Glossary, find_terms
from i18n_pipeline.languages import is_valid_tag
from i18n_pipeline.model import PLACEHOLDER_RE
from i18n_pipeline.repair import tidy_loose_placeholders
from i18n_pipeline.segment import placeholders_match

__all__ = ["SYSTEM_PROMPT", "LLMEngine"]

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 40
DEFAULT_TIMEOUT = 120.0  # a large model on a CPU takes its time over 40 sentences

SYSTEM_PROMPT = (
    "You translate press releases. The user message is a JSON object: translate every string of "
    '"segments" from "source_language" into "target_language" (language codes). Answer with a JSON '
    'object {"translations": [...]} that holds exactly one translation per segment, in the same order, '
    "and nothing else: no notes, no explanations.\n"
    "Placeholders stand for markup and protected values and must survive: <1>…</1> wraps text (a link, "
    "emphasis): translate the text between the tags and keep both tags around it; <2/> stands for a "
    "value (a URL, an e-mail address, a number, a date, a name): copy it as it is. Every placeholder of a "
    "segment appears exactly once in its translation, unchanged; move one only where the target "
    "language's word order needs it.\n"
    'Use the approved translations of "glossary" for those terms (inflect them where the grammar needs '
    'it) and leave the names in "do_not_translate" as they are. Keep the register of a press release.'
)

_FENCE_RE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class _BadReply(Exception):
    """A reply that arrived but cannot be used as a whole (not JSON, wrong count)."""


class LLMEngine:
    """Translation by a large language model over the OpenAI chat-completions API."""

    name = "llm"
    # translate.py sends one release per call, so the model sees a release's sentences together.
    batch_by_release = True

    def __init__(
        self,
        *,
        url: str | None = None,
        model: str | None = None,
        api_key_env: str | None = None,
        temperature: float = 0.0,
        batch_size: int = DEFAULT_BATCH_SIZE,
        timeout: float = DEFAULT_TIMEOUT,
        tries: int = DEFAULT_TRIES,
        backoff: float = DEFAULT_BACKOFF,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        glossary: Glossary | None = None,
    ) -> None:
        if not url:
            raise EngineError("llm", "no server URL",
                              "set engine_options.llm.url in pipeline.yaml or pass --engine-option "
                              "llm.url=http://127.0.0.1:11434/v1 (Ollama)")
        if not model:
            raise EngineError("llm", "no model",
                              "set engine_options.llm.model in pipeline.yaml or pass --engine-option llm.model=NAME")
        if batch_size < 1 or timeout <= 0 or tries < 1:
            raise EngineError("llm", "batch_size and tries must be ≥ 1 and timeout > 0", "fix the llm options")
        self.url = url.rstrip("/")
        self.model = model
        self.temperature = float(temperature)
        self.batch_size = int(batch_size)
        self.glossary = glossary
        self._key = ""
        if api_key_env:
            self._key = os.environ.get(api_key_env, "").strip()
            if not self._key:
                raise EngineError("llm", f"the environment variable {api_key_env} (llm.api_key_env) is not set",
                                  f"export {api_key_env} with the key, or remove api_key_env for a server without keys")
        self._key_env = api_key_env or ""
        self.http = Http("llm", url_env="llm.url", failure=self._failure, timeout=timeout, tries=tries,
                         backoff=backoff, max_backoff=max_backoff)
        self._json_mode = True  # response_format; dropped for good when the server rejects it

    # -- the Engine protocol ---------------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Every text translated; a text the model could not translate is an :class:`EngineError`
        (``translate_detailed`` reports it per segment instead)."""
        out = []
        for result in self.translate_detailed(texts, source, target):
            if result.error:
                raise EngineError("llm", result.error, "try again, use a larger model, or add a fallback engine")
            out.append(result.text)
        return out

    def translate_detailed(self, texts: Sequence[str], source: str, target: str) -> list[MachineTranslation]:
        """Translations in order; a segment no reply could translate has ``error`` set.

        A failure of the server itself (down, refusing, timing out after the retries) raises
        :class:`EngineError` when nothing was translated yet; after that, the segments not yet
        translated come back with ``error`` set, so the work already paid for is kept.
        """
        for code in (source, target):
            if not is_valid_tag(code.lower()):
                raise EngineError("llm", f"{code!r} is not a language code", "use ISO 639-1 codes such as 'en' or 'es'")
        done: dict[str, str | None] = {}
        pending: list[str] = []
        for text in texts:
            core = text.strip()
            if core in done or core in pending:
                continue
            if not any(c.isalnum() for c in PLACEHOLDER_RE.sub("", core)):
                done[core] = core  # nothing to translate: placeholders, punctuation
            else:
                pending.append(core)
        failure = ""
        for start in range(0, len(pending), self.batch_size):
            batch = pending[start : start + self.batch_size]
            if failure:
                done.update(dict.fromkeys(batch))
                continue
            try:
                done.update(zip(batch, self._translate_group(batch, source, target), strict=True))
            except EngineError as exc:
                if start == 0:  # nothing translated yet: the caller decides (a fallback, or the error)
                    raise EngineError(exc.where, self._scrub(exc.what), self._scrub(exc.fix)) from None
                failure = self._scrub(str(exc))
                log.warning("%s; %d segments left untranslated", failure, len(pending) - start)
                done.update(dict.fromkeys(batch))
        provenance = self.describe(source, target)
        results = []
        for text in texts:
            core = text.strip()
            answer = done[core]
            if answer is None:
                results.append(MachineTranslation("", self.name, provenance,
                                                  error=failure or "no valid reply, also when asked alone"))
            else:
                lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
                results.append(MachineTranslation(lead + answer + trail, self.name, provenance))
        return results

    def describe(self, source: str, target: str) -> str:
        return f"llm {self.model}"

    def supports(self, source: str, target: str) -> bool:
        return is_valid_tag(source.lower()) and is_valid_tag(target.lower())

    @property
    def requests(self) -> int:
        """HTTP requests made, retries included."""
        return self.http.requests

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> LLMEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- batches ---------------------------------------------------------------------------

    def _translate_group(self, texts: list[str], source: str, target: str) -> list[str | None]:
        """One request for ``texts``; what comes back bad is asked again in halves, in the end
        alone. ``None`` for a segment that failed alone."""
        try:
            answers: list[str | None] = list(self._ask(texts, source, target))
        except _BadReply as exc:
            log.warning("llm: unusable reply for %d segments (%s)%s", len(texts), exc,
                        "; asking again in smaller batches" if len(texts) > 1 else "")
            answers = [None] * len(texts)
        out: list[str | None] = []
        bad: list[int] = []
        for i, (text, answer) in enumerate(zip(texts, answers, strict=True)):
            checked = self._checked(text, answer)
            out.append(checked)
            if checked is None:
                bad.append(i)
        if not bad or len(texts) == 1:
            return out
        retry = [texts[i] for i in bad]
        half = max(1, len(retry) // 2) if len(retry) == len(texts) else len(retry)
        again: list[str | None] = []
        for start in range(0, len(retry), half):
            again += self._translate_group(retry[start : start + half], source, target)
        for i, answer in zip(bad, again, strict=True):
            out[i] = answer
        return out

    def _checked(self, text: str, answer: str | None) -> str | None:
        """The answer if it is a usable translation of ``text``, else None (logged)."""
        if answer is None:
            return None
        output = tidy_loose_placeholders(text, answer.strip())
        if not output:
            log.warning("llm: empty translation for %r", text[:80])
            return None
        if not placeholders_match(text, output):
            log.warning("llm: placeholders changed in %r → %r", text[:80], output[:80])
            return None
        return output

    # -- the wire format -------------------------------------------------------------------

    def _payload(self, texts: list[str], source: str, target: str) -> dict[str, Any]:
        glossary: dict[str, str] = {}
        keep: list[str] = []
        if self.glossary is not None:
            for text in texts:
                for match in find_terms(self.glossary, text, target):
                    if match.keep:
                        if match.source not in keep:
                            keep.append(match.source)
                    else:
                        glossary.setdefault(match.source, match.target)
        return {"source_language": source, "target_language": target, "segments": texts,
                "glossary": glossary, "do_not_translate": keep}

    def _ask(self, texts: list[str], source: str, target: str) -> list[str | None]:
        """One chat-completions request; the reply's translations (``None`` for a non-string)."""
        body: dict[str, Any] = {
            "model": self.model,
            "temperature": self.temperature,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": json.dumps(self._payload(texts, source, target), ensure_ascii=False)},
            ],
        }
        response = self._post(body)
        try:
            data = response.json()
        except ValueError:
            raise _BadReply(f"not JSON: {response.text[:80]!r}") from None
        finally:
            response.close()
        try:
            content = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise _BadReply(f"no choices[0].message.content in {str(data)[:80]!r}") from None
        if not isinstance(content, str):
            raise _BadReply("the message content is not text")
        fenced = _FENCE_RE.match(content)  # models without JSON mode like ```json fences
        try:
            reply = json.loads(fenced.group(1) if fenced else content)
        except ValueError:
            raise _BadReply(f"the content is not JSON: {content[:80]!r}") from None
        translations = reply.get("translations") if isinstance(reply, dict) else None
        if not isinstance(translations, list):
            raise _BadReply('no "translations" list in the content')
        if len(translations) != len(texts):
            raise _BadReply(f"{len(translations)} translations for {len(texts)} segments")
        return [t if isinstance(t, str) else None for t in translations]

    def _post(self, body: dict[str, Any]) -> Response:
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        url = f"{self.url}/chat/completions"
        if self._json_mode:
            response = self.http.request("POST", url, json={**body, "response_format": {"type": "json_object"}},
                                         headers=headers)
            if response.status_code not in (400, 422):
                return response
            # Servers without JSON mode refuse the field; the prompt asks for JSON anyway.
            log.info("llm: the server refused response_format (%s); asking without it", error_text(response))
            response.close()
            self._json_mode = False
        response = self.http.request("POST", url, json=body, headers=headers)
        if response.status_code in (400, 422):
            detail = self._scrub(error_text(response))
            response.close()
            raise EngineError("llm", f"request refused (HTTP {response.status_code}: {detail})",
                              "check llm.model and llm.url")
        return response

    def _failure(self, response: Response) -> tuple[str, str] | None:
        status = response.status_code
        if 200 <= status < 300 or status in (400, 422):  # 400/422: handled by _post
            return None
        detail = self._scrub(error_text(response))
        if status in (401, 403):
            fix = (f"check the key in {self._key_env}" if self._key_env
                   else "the server wants a key: set llm.api_key_env to the name of the variable that holds it")
            return f"access refused (HTTP {status}: {detail})", fix
        if status == 404:
            return f"not found (HTTP 404: {detail})", "check llm.url (most servers end in /v1) and llm.model"
        if status == 429:
            return f"too many requests (HTTP 429: {detail})", "wait and try again, or lower llm.batch_size"
        if status >= 500:
            return f"server error (HTTP {status}: {detail})", "try again later, or add a fallback engine"
        return f"request refused (HTTP {status}: {detail})", "check llm.url and llm.model"

    def _scrub(self, text: str) -> str:
        """A message without the key, whatever a server echoed back."""
        return text.replace(self._key, "***") if self._key else text
