"""LibreTranslate, opt-in: a server of your own, or https://libretranslate.com with a key.

``LIBRETRANSLATE_URL`` (default https://libretranslate.com) and ``LIBRETRANSLATE_API_KEY``
(optional on a server of your own) come from the environment. What the online engines share
(batching, whitespace, placeholders, errors) is :class:`~i18n_pipeline.engines.online.OnlineEngine`'s.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from i18n_pipeline.engines.online import OnlineEngine, from_markup, markup_wanted, to_markup
from i18n_pipeline.errors import EngineError

__all__ = ["LibreTranslateEngine"]


class LibreTranslateEngine(OnlineEngine):
    """LibreTranslate (https://libretranslate.com or a server of your own).

    ``POST {url}/translate`` with JSON ``{"q": [...], "source", "target", "format", "api_key"}``:
    the whole batch in one request. Batches with placeholders go as ``format: "html"`` with our
    placeholders as elements (kept by its HTML translator); others as ``"text"``.
    """

    name = "libretranslate"
    url_env = "LIBRETRANSLATE_URL"
    key_env = "LIBRETRANSLATE_API_KEY"
    default_url = "https://libretranslate.com"
    max_texts = 50
    max_chars = 10_000
    max_text_chars = 10_000

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.api_key = os.environ.get(self.key_env) or None
        if self.api_key is None and urlsplit(self.url).hostname == "libretranslate.com":
            raise EngineError(self.name, "libretranslate.com needs an API key",
                              f"set {self.key_env}, or {self.url_env} to a server of your own")

    def _key_fix(self) -> str:
        return f"set {self.key_env} to a valid key for {self.url}"

    def _translate_chunk(self, texts: list[str], source: str, target: str) -> list[str | None]:
        markup = markup_wanted(texts)
        payload: dict[str, Any] = {
            "q": [to_markup(t) for t in texts] if markup else texts,
            "source": source,
            "target": target,
            "format": "html" if markup else "text",
        }
        if self.api_key:
            payload["api_key"] = self.api_key
        data = self._json(self.http.request("POST", f"{self.url}/translate", json=payload))
        translated = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(translated, str) and len(texts) == 1:  # older servers answer one string
            translated = [translated]
        if not isinstance(translated, list):
            raise EngineError(self.name, f"unexpected answer {str(data)[:80]!r}",
                              f"check that {self.url_env} points at a LibreTranslate server")
        return [
            (from_markup(t) if markup else t) if isinstance(t, str) else None for t in translated
        ]
