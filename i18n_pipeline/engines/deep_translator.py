"""MyMemory and Google, opt-in, through deep-translator (``pip install -e '.[online]'``).

Both APIs take one text per request. deep-translator has no timeouts and no retries, so the
``requests`` module inside its ``google`` and ``mymemory`` modules is replaced by
:class:`~i18n_pipeline.engines.http.RequestsShim`, which sends their requests through our
:class:`~i18n_pipeline.engines.http.Http`. ``MYMEMORY_URL``, ``MYMEMORY_EMAIL`` and
``GOOGLE_TRANSLATE_URL`` come from the environment.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from deep_translator import (  # type: ignore[import-untyped]
    GoogleTranslator,
    MyMemoryTranslator,
    google,
    mymemory,
)

from i18n_pipeline.engines.http import RequestsShim, Response, short_error
from i18n_pipeline.engines.online import OnlineEngine
from i18n_pipeline.errors import EngineError

__all__ = ["GoogleEngine", "MyMemoryEngine"]


def _install_requests_shim() -> None:
    shim = RequestsShim()
    for module in (google, mymemory):
        module.requests = shim


class _DeepTranslatorEngine(OnlineEngine):
    """An engine whose API takes one text per request, spoken to through deep-translator."""

    max_texts = 1
    _installed: ClassVar[bool] = False

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if not _DeepTranslatorEngine._installed:
            _install_requests_shim()
            _DeepTranslatorEngine._installed = True

    def _translator(self, source: str, target: str) -> Any:
        raise NotImplementedError

    def _translate_chunk(self, texts: list[str], source: str, target: str) -> list[str | None]:
        # deep-translator objects keep request state, so one per call: never shared by threads.
        with self.http.active():
            try:
                translator = self._translator(source, target)
                answers: list[str | None] = []
                for text in texts:
                    answer = translator.translate(text)
                    answers.append(answer if isinstance(answer, str) else None)
                return answers
            except EngineError:
                raise
            except Exception as exc:  # deep-translator's exceptions share no base class
                raise EngineError(
                    self.name, f"{exc.__class__.__name__}: {short_error(exc)}",
                    "check the language pair, or try again later",
                ) from exc


class MyMemoryEngine(_DeepTranslatorEngine):
    """MyMemory (translation memory with machine translation behind it), via deep-translator.

    ``GET {url}?q=…&langpair=en|es[&de=email]``, one text per request, at most 500 characters.
    MyMemory reports errors (quota, bad pair) in the JSON body with HTTP 200; those are errors here.
    """

    name = "mymemory"
    url_env = "MYMEMORY_URL"
    email_env = "MYMEMORY_EMAIL"
    # deep-translator's default is plain http; the API is served over https.
    default_url = "https://api.mymemory.translated.net/get"
    max_chars = 499
    max_text_chars = 499  # deep-translator refuses 500 and more

    def _translator(self, source: str, target: str) -> Any:
        kwargs: dict[str, Any] = {}
        email = os.environ.get(self.email_env)
        if email:
            kwargs["email"] = email
        # Built with names it knows, then given plain ISO codes, which MyMemory accepts.
        translator = MyMemoryTranslator(source="auto", target="english", **kwargs)
        translator.source = source.replace("_", "-")
        translator.target = target.replace("_", "-")
        translator._base_url = self.url
        return translator

    def failure(self, response: Response) -> tuple[str, str] | None:
        problem = super().failure(response)
        if problem is not None:
            return problem
        try:
            data = response.json()
        except ValueError:
            return f"answered something that is not JSON: {response.text[:80]!r}", f"check {self.url_env}"
        status = data.get("responseStatus", 200) if isinstance(data, dict) else None
        try:
            code = int(status) if status is not None else 0
        except (TypeError, ValueError):
            code = 0
        if code == 200:
            return None
        detail = str(data.get("responseDetails") or "") if isinstance(data, dict) else str(data)[:80]
        if code == 429 or "QUOTA" in detail.upper() or "FREE TRANSLATIONS" in detail.upper():
            return f"daily quota used up ({detail[:120]})", f"try tomorrow, or set {self.email_env}"
        return f"refused ({code}: {detail[:120]})", "check the language pair"


class GoogleEngine(_DeepTranslatorEngine):
    """Google Translate's public web endpoint, via deep-translator (scrapes an HTML page).

    ``GET {url}?q=…&sl=en&tl=es``, one text per request, fewer than 5,000 characters.
    """

    name = "google"
    url_env = "GOOGLE_TRANSLATE_URL"
    default_url = "https://translate.google.com/m"
    max_chars = 4999
    max_text_chars = 4999

    _CODES: ClassVar[dict[str, str]] = {"he": "iw", "zh": "zh-CN", "zh-hans": "zh-CN", "zh-hant": "zh-TW"}

    @classmethod
    def code(cls, code: str) -> str:
        lower = code.replace("_", "-").lower()
        if lower in cls._CODES:
            return cls._CODES[lower]
        if lower.startswith("zh-"):
            return "zh-" + lower[3:].upper()
        return lower

    def _translator(self, source: str, target: str) -> Any:
        translator = GoogleTranslator(source="auto", target="en")
        translator.source = self.code(source)
        translator.target = self.code(target)
        translator._base_url = self.url
        return translator
