"""Online machine-translation engines, opt-in: the base they share, :class:`OnlineEngine`.

One module per engine: ``libretranslate.py``, ``deepl.py``, ``deep_translator.py`` (MyMemory and
Google); ``http.py`` is their HTTP client. Keys and base URLs come from the environment, never
from pipeline.yaml:

=================  =====================================  ==========================================
engine             key                                    base URL (default)
=================  =====================================  ==========================================
``libretranslate`` ``LIBRETRANSLATE_API_KEY`` (optional   ``LIBRETRANSLATE_URL``
                   on a server of your own)               (https://libretranslate.com)
``deepl``          ``DEEPL_API_KEY``                      ``DEEPL_API_URL`` (https://api-free.deepl.com
                                                          for ":fx" keys, else https://api.deepl.com)
``mymemory``       ``MYMEMORY_EMAIL`` (optional, raises   ``MYMEMORY_URL``
                   the daily quota)                       (https://api.mymemory.translated.net/get)
``google``         none (the public web endpoint)         ``GOOGLE_TRANSLATE_URL``
                                                          (https://translate.google.com/m)
=================  =====================================  ==========================================

MyMemory and Google go through deep-translator; LibreTranslate and DeepL are spoken to directly,
because deep-translator sends one request per text for both and puts the DeepL key in the URL,
which DeepL no longer accepts (``FACTS.md``, "deep-translator"). Every HTTP request,
deep-translator's included, goes through :class:`~i18n_pipeline.engines.http.Http`: a timeout per
request and bounded retries with backoff on 429, 5xx and connection errors.

What every engine here guarantees on top of the wire format: an empty batch makes no request;
one request per batch where the API takes a list; no text is sent twice in one call; texts without
a word (only placeholders, punctuation) are not sent; surrounding whitespace comes back as it went;
every placeholder of a text comes back exactly once (repaired and logged if the engine moved or
lost one); any failure is an :class:`EngineError` "<engine>: <what>; <how to fix>". This module
also holds the placeholder markup (:func:`to_markup`, :func:`from_markup`) of the engines whose
APIs protect XML/HTML tags.
"""

from __future__ import annotations

import html
import logging
import os
import re
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import urlsplit

from i18n_pipeline.engines import MachineTranslation
from i18n_pipeline.engines.http import (
    DEFAULT_BACKOFF,
    DEFAULT_MAX_BACKOFF,
    DEFAULT_TIMEOUT,
    DEFAULT_TRIES,
    Http,
    Response,
    error_text,
)
from i18n_pipeline.errors import EngineError
from i18n_pipeline.languages import is_valid_tag
from i18n_pipeline.model import PLACEHOLDER_RE
from i18n_pipeline.repair import restore_placeholders, tidy_loose_placeholders

__all__ = ["OnlineEngine", "from_markup", "markup_wanted", "to_markup"]

log = logging.getLogger(__name__)

# Our placeholders as markup for engines that protect tags: <1>…</1> → <t1>…</t1>, <2/> → <x2/>.
_MARKUP_TAG_RE = re.compile(r"<\s*(/?)\s*([tx])(\d+)(?:\s+[^<>]*?)?\s*(/?)\s*>")


# --------------------------------------------------------------------------------------------
# Placeholders as markup


def to_markup(text: str) -> str:
    """Our segment text → XML/HTML an engine with tag handling keeps intact: placeholders become
    elements (``<1>`` → ``<t1>``, ``<2/>`` → ``<x2/>``), everything else is escaped."""
    out: list[str] = []
    pos = 0
    for match in PLACEHOLDER_RE.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        closing, number, standalone = match.group(1), match.group(2), match.group(3)
        if standalone:
            out.append(f"<x{number}/>")
        else:
            out.append(f"<{closing}t{number}>")
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def from_markup(text: str) -> str:
    """Inverse of :func:`to_markup`, tolerant of what engines do to empty elements
    (``<x2></x2>``, ``<x2 />``)."""
    out: list[str] = []
    pos = 0
    for match in _MARKUP_TAG_RE.finditer(text):
        out.append(html.unescape(text[pos : match.start()]))
        closing, kind, number, self_closing = match.groups()
        if kind == "x":
            out.append("" if closing else f"<{number}/>")
        elif self_closing:  # <t1/>: an emptied pair; keep both ends
            out.append(f"<{number}></{number}>")
        else:
            out.append(f"<{closing}{number}>")
        pos = match.end()
    out.append(html.unescape(text[pos:]))
    return "".join(out)


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in PLACEHOLDER_RE.sub("", text))


def _split_whitespace(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


# --------------------------------------------------------------------------------------------
# The common engine


class OnlineEngine:
    """What every online engine shares: batching, de-duplication, whitespace, placeholders,
    error mapping. Subclasses set the class attributes and implement :meth:`_translate_chunk`.

    Options (``get_engine(name, **options)``): ``url`` (else the engine's environment variable),
    ``timeout`` seconds per request, ``tries`` per request, ``backoff``/``max_backoff`` seconds
    between tries, ``batch_size`` texts and ``batch_chars`` characters per request.
    """

    name: ClassVar[str] = "online"
    url_env: ClassVar[str] = ""
    default_url: ClassVar[str] = ""
    max_texts: ClassVar[int] = 50  # per request
    max_chars: ClassVar[int] = 5000  # per request, counted on the text sent
    max_text_chars: ClassVar[int] = 5000  # per text; longer ones are refused before sending

    def __init__(
        self,
        *,
        url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        tries: int = DEFAULT_TRIES,
        backoff: float = DEFAULT_BACKOFF,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        batch_size: int | None = None,
        batch_chars: int | None = None,
    ) -> None:
        if timeout <= 0 or tries < 1 or backoff < 0 or max_backoff < 0:
            raise EngineError(self.name, "timeout must be > 0, tries ≥ 1, backoff ≥ 0",
                              "fix the engine options")
        self.batch_size = min(batch_size or self.max_texts, self.max_texts)
        self.batch_chars = min(batch_chars or self.max_chars, self.max_chars)
        if self.batch_size < 1 or self.batch_chars < 1:
            raise EngineError(self.name, "batch_size and batch_chars must be ≥ 1", "fix the engine options")
        self.url = (url or os.environ.get(self.url_env, "") or self._default_url()).rstrip("/")
        if urlsplit(self.url).scheme not in ("http", "https"):
            raise EngineError(self.name, f"{self.url!r} is not an http(s) URL", f"fix {self.url_env}")
        self.http = Http(self.name, url_env=self.url_env, failure=self.failure, timeout=timeout,
                         tries=tries, backoff=backoff, max_backoff=max_backoff)

    # -- the Engine protocol ---------------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [text for text, _ in self._translate(texts, source, target)]

    def translate_detailed(self, texts: Sequence[str], source: str, target: str) -> list[MachineTranslation]:
        """``translate_batch``, each output saying whether its placeholders had to be put back."""
        provenance = self.describe(source, target) if texts else ""
        return [
            MachineTranslation(text, self.name, provenance, repaired=repaired)
            for text, repaired in self._translate(texts, source, target)
        ]

    def _translate(self, texts: Sequence[str], source: str, target: str) -> list[tuple[str, bool]]:
        if not texts:
            return []
        for code in (source, target):
            if not is_valid_tag(code.lower()):
                raise EngineError(self.name, f"{code!r} is not a language code",
                                  "use ISO 639-1 codes such as 'en' or 'es'")
        done: dict[str, tuple[str, bool]] = {}  # core text → translated core, repaired
        pending: dict[str, None] = {}  # in order, each once
        for text in texts:
            core = text.strip()
            if core in done or core in pending:
                continue
            if source.lower() == target.lower() or not _has_words(core):
                done[core] = core, False
            else:
                pending[core] = None
        for chunk in self._chunks(list(pending)):
            answers = self._translate_chunk(chunk, source, target)
            if len(answers) != len(chunk):
                raise EngineError(self.name, f"answered {len(answers)} texts for {len(chunk)}",
                                  "try again; report it if it persists")
            for core, answer in zip(chunk, answers, strict=True):
                done[core] = self._finish(core, answer)
        out: list[tuple[str, bool]] = []
        for text in texts:
            lead, core, trail = _split_whitespace(text)
            output, repaired = done[core]
            out.append((lead + output + trail, repaired))
        return out

    def describe(self, source: str, target: str) -> str:
        return f"{self.name} {source}→{target}"

    def supports(self, source: str, target: str) -> bool:
        return is_valid_tag(source.lower()) and is_valid_tag(target.lower())

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> OnlineEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- for subclasses --------------------------------------------------------------------

    def _default_url(self) -> str:
        return self.default_url

    def _translate_chunk(self, texts: list[str], source: str, target: str) -> list[str | None]:
        """Translate stripped, distinct, non-empty texts (our placeholder syntax) in one request
        where the API allows; ``None`` for a text the engine gave no answer for."""
        raise NotImplementedError

    def failure(self, response: Response) -> tuple[str, str] | None:
        """(what, how to fix) when ``response`` is a failure, else ``None``."""
        if 200 <= response.status_code < 300:
            return None
        return self._http_failure(response.status_code, error_text(response))

    def _http_failure(self, status: int, detail: str) -> tuple[str, str]:
        if status in (401, 403):
            return f"access refused (HTTP {status}: {detail})", self._key_fix()
        if status == 429:
            return f"too many requests (HTTP 429: {detail})", "wait and try again, or lower the request rate"
        if status >= 500:
            return f"server error (HTTP {status}: {detail})", "try again later"
        return f"request refused (HTTP {status}: {detail})", f"check {self.url_env} and the language pair"

    def _key_fix(self) -> str:
        return f"check {self.url_env}"

    # -- helpers ---------------------------------------------------------------------------

    def _chunks(self, texts: list[str]) -> Iterator[list[str]]:
        chunk: list[str] = []
        size = 0
        for text in texts:
            if len(text) > self.max_text_chars:
                raise EngineError(
                    self.name,
                    f"a text of {len(text)} characters is longer than the {self.max_text_chars} it accepts "
                    f"({text[:40]!r}…)",
                    "segment by sentence, or use another engine for this release",
                )
            if chunk and (len(chunk) >= self.batch_size or size + len(text) > self.batch_chars):
                yield chunk
                chunk, size = [], 0
            chunk.append(text)
            size += len(text)
        if chunk:
            yield chunk

    def _finish(self, core: str, answer: str | None) -> tuple[str, bool]:
        """The translated core, and whether its placeholders had to be put back."""
        if not isinstance(answer, str) or not answer.strip():
            raise EngineError(self.name, f"no translation for {core[:60]!r}",
                              "try again later, or use another engine for this text")
        output = answer.strip()
        repaired = False
        if PLACEHOLDER_RE.search(core):
            output = tidy_loose_placeholders(core, output)
            output, repaired = restore_placeholders(core, output)
            if repaired:  # counted on the translate summary line; the sentences under -v
                log.info("%s moved or lost placeholders in %r; repaired to %r", self.name, core, output)
        return output, repaired

    def _json(self, response: Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise EngineError(self.name, f"answered something that is not JSON: {response.text[:80]!r}",
                              f"check that {self.url_env} points at the API") from exc
        finally:
            response.close()


def markup_wanted(texts: Sequence[str]) -> bool:
    """Whether a batch needs the markup form: only when a text has placeholders."""
    return any(PLACEHOLDER_RE.search(text) for text in texts)
