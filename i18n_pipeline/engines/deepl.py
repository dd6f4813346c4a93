"""DeepL API Free or Pro, opt-in, spoken to directly (deep-translator puts the key in the URL,
which DeepL no longer accepts: ``FACTS.md``, "deep-translator").

``DEEPL_API_KEY`` and ``DEEPL_API_URL`` (default https://api-free.deepl.com for ":fx" keys, else
https://api.deepl.com) come from the environment. What the online engines share (batching,
whitespace, placeholders, errors) is :class:`~i18n_pipeline.engines.online.OnlineEngine`'s.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from i18n_pipeline.engines.online import OnlineEngine, from_markup, markup_wanted, to_markup
from i18n_pipeline.errors import EngineError
from i18n_pipeline.languages import primary_subtag

__all__ = ["DeepLEngine"]


class DeepLEngine(OnlineEngine):
    """DeepL API Free or Pro.

    ``POST {url}/v2/translate``, form-encoded, ``text`` repeated once per text, header
    ``Authorization: DeepL-Auth-Key …``. Batches with placeholders go with ``tag_handling=xml``
    and our placeholders as XML elements. A bare ``en`` target is sent as ``EN-GB`` and ``pt`` as
    ``PT-PT`` (DeepL deprecated the bare codes); give ``en-US``/``pt-BR`` to choose.
    """

    name = "deepl"
    url_env = "DEEPL_API_URL"
    key_env = "DEEPL_API_KEY"
    max_texts = 50  # DeepL's limit per request
    max_chars = 12_000  # request bodies are limited to 128 KiB; form encoding of non-ASCII triples
    max_text_chars = 12_000

    _TARGET_DEFAULTS: ClassVar[dict[str, str]] = {"EN": "EN-GB", "PT": "PT-PT"}

    def __init__(self, **options: Any) -> None:
        self.api_key = os.environ.get(self.key_env, "").strip()
        if not self.api_key:
            raise EngineError(self.name, "no API key", f"set {self.key_env}")
        super().__init__(**options)

    def _default_url(self) -> str:
        # Free keys end in ":fx" and work only on the free endpoint (as DeepL's own client does).
        return "https://api-free.deepl.com" if self.api_key.endswith(":fx") else "https://api.deepl.com"

    def _key_fix(self) -> str:
        return (f"check {self.key_env} (free keys end in ':fx' and use https://api-free.deepl.com; "
                f"set {self.url_env} if yours is elsewhere)")

    def _http_failure(self, status: int, detail: str) -> tuple[str, str]:
        if status == 456:
            return "quota exceeded (HTTP 456)", "wait for the next billing period or raise the limit"
        if status == 413:
            return "request too large (HTTP 413)", "lower the engine's batch_chars option"
        return super()._http_failure(status, detail)

    @classmethod
    def target_code(cls, code: str) -> str:
        upper = code.replace("_", "-").upper()
        return cls._TARGET_DEFAULTS.get(upper, upper)

    def _translate_chunk(self, texts: list[str], source: str, target: str) -> list[str | None]:
        markup = markup_wanted(texts)
        form: list[tuple[str, str]] = [("text", to_markup(t) if markup else t) for t in texts]
        form += [
            ("source_lang", primary_subtag(source).upper()),
            ("target_lang", self.target_code(target)),
        ]
        if markup:
            form.append(("tag_handling", "xml"))
        response = self.http.request(
            "POST",
            f"{self.url}/v2/translate",
            data=form,
            headers={"Authorization": f"DeepL-Auth-Key {self.api_key}"},
        )
        data = self._json(response)
        translations = data.get("translations") if isinstance(data, dict) else None
        if not isinstance(translations, list):
            raise EngineError(self.name, f"unexpected answer {str(data)[:80]!r}",
                              f"check that {self.url_env} points at the DeepL API")
        out: list[str | None] = []
        for item in translations:
            text = item.get("text") if isinstance(item, dict) else None
            out.append((from_markup(text) if markup else text) if isinstance(text, str) else None)
        return out
