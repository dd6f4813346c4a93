"""Online machine-translation engines, opt-in: LibreTranslate, DeepL, MyMemory and Google.

Keys and base URLs come from the environment, never from pipeline.yaml:

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
which DeepL no longer accepts (``FACTS.md``, "deep-translator"). deep-translator has no timeouts
and no retries, so every HTTP request, its own included, goes through :class:`_Http`: a timeout
per request and bounded retries with exponential backoff on 429, 5xx and connection errors.

What every engine here guarantees on top of the wire format: an empty batch makes no request;
one request per batch where the API takes a list; no text is sent twice in one call; texts without
a word (only placeholders, punctuation) are not sent; surrounding whitespace comes back as it went;
every placeholder of a text comes back exactly once (repaired and logged if the engine moved or
lost one); any failure is an :class:`EngineError` "<engine>: <what>; <how to fix>".
"""

from __future__ import annotations

import html
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests

from ..errors import EngineError
from ..model import PLACEHOLDER_RE
from .apertium import restore_placeholders

__all__ = [
    "DeepLEngine",
    "GoogleEngine",
    "LibreTranslateEngine",
    "MyMemoryEngine",
    "OnlineEngine",
    "from_markup",
    "to_markup",
]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
DEFAULT_TRIES = 3
DEFAULT_BACKOFF = 1.0  # seconds before the second try; doubled for each further one
DEFAULT_MAX_BACKOFF = 10.0

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
# Placeholders as engines tend to give them back: "< 1 >", "</ 1>", "<1 />".
_LOOSE_PLACEHOLDER_RE = re.compile(r"<\s*(/?)\s*(\d+)\s*(/?)\s*>")
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


def _tidy_plain_placeholders(source: str, output: str) -> str:
    """Undo the spaces engines put into our placeholders ("< 1 >"), only for placeholders
    ``source`` has: a literal "< 5 >" in the text stays as it is."""
    wanted = {m.group(0) for m in PLACEHOLDER_RE.finditer(source)}

    def tidy(match: re.Match[str]) -> str:
        token = f"<{match.group(1)}{match.group(2)}{match.group(3)}>"
        return token if token in wanted else match.group(0)

    return _LOOSE_PLACEHOLDER_RE.sub(tidy, output)


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in PLACEHOLDER_RE.sub("", text))


def _split_whitespace(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


# --------------------------------------------------------------------------------------------
# HTTP with timeouts and retries


class _Http:
    """Requests for one engine: a timeout on each, bounded retries with exponential backoff
    (``Retry-After`` honoured up to ``max_backoff``) on 429, 5xx and connection errors; any
    other failure, or the last one, becomes an :class:`EngineError`."""

    def __init__(
        self,
        engine: OnlineEngine,
        *,
        timeout: float,
        tries: int,
        backoff: float,
        max_backoff: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.engine = engine
        self.timeout = timeout
        self.tries = tries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.session = requests.Session()
        self.requests = 0  # made, retries included; for tests and reports

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        name = self.engine.name
        host = urlsplit(url).netloc or url
        for attempt in range(1, self.tries + 1):
            last = attempt == self.tries
            self.requests += 1
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.Timeout as exc:
                if last:
                    raise EngineError(
                        name,
                        f"no answer from {host} within {self.timeout:g} s ({self.tries} tries)",
                        f"try again later, or raise the engine's timeout option ({exc.__class__.__name__})",
                    ) from exc
                reason = "timed out"
                delay = self._delay(attempt, None)
            except requests.ConnectionError as exc:
                if last:
                    raise EngineError(
                        name,
                        f"cannot connect to {host} ({self.tries} tries): {_short(exc)}",
                        f"check the network or {self.engine.url_env}",
                    ) from exc
                reason = "connection failed"
                delay = self._delay(attempt, None)
            except requests.RequestException as exc:
                raise EngineError(name, f"request to {host} failed: {_short(exc)}",
                                  f"check {self.engine.url_env}") from exc
            else:
                if response.status_code in _RETRY_STATUSES and not last:
                    reason = f"HTTP {response.status_code}"
                    delay = self._delay(attempt, response.headers.get("Retry-After"))
                    response.close()
                else:
                    if "charset" not in response.headers.get("Content-Type", "").lower():
                        response.encoding = "utf-8"  # not ISO-8859-1, requests' guess for text/*
                    failure = self.engine.failure(response)
                    if failure is not None:
                        what, fix = failure
                        response.close()
                        raise EngineError(name, what, fix)
                    return response
            log.warning("%s: %s; try %d of %d in %.2g s", name, reason, attempt + 1, self.tries, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        delay: float = self.backoff * 2.0 ** (attempt - 1)
        if retry_after is not None:
            try:
                delay = max(delay, float(retry_after))
            except ValueError:
                pass  # an HTTP date: keep our own backoff
        return min(delay, self.max_backoff)


def _short(exc: BaseException, limit: int = 200) -> str:
    text = str(exc) or exc.__class__.__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error_text(response: requests.Response, limit: int = 200) -> str:
    """The message an API put in its error body, else the start of the body."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message", "responseDetails", "detail"):
            value = data.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str) and value:
                return value[:limit]
    return response.text.strip()[:limit] or response.reason or "no details"


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
        self.http = _Http(self, timeout=timeout, tries=tries, backoff=backoff, max_backoff=max_backoff)

    # -- the Engine protocol ---------------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        if not texts:
            return []
        for code in (source, target):
            if not _LANGUAGE_RE.match(code):
                raise EngineError(self.name, f"{code!r} is not a language code",
                                  "use ISO 639-1 codes such as 'en' or 'es'")
        done: dict[str, str] = {}  # core text → translated core
        pending: list[str] = []
        for text in texts:
            core = text.strip()
            if core in done or core in pending:
                continue
            if source.lower() == target.lower() or not _has_words(core):
                done[core] = core
            else:
                pending.append(core)
        for chunk in self._chunks(pending):
            answers = self._translate_chunk(chunk, source, target)
            if len(answers) != len(chunk):
                raise EngineError(self.name, f"answered {len(answers)} texts for {len(chunk)}",
                                  "try again; report it if it persists")
            for core, answer in zip(chunk, answers, strict=True):
                done[core] = self._finish(core, answer)
        out: list[str] = []
        for text in texts:
            lead, core, trail = _split_whitespace(text)
            out.append(lead + done[core] + trail)
        return out

    def describe(self, source: str, target: str) -> str:
        return f"{self.name} {source}→{target}"

    def supports(self, source: str, target: str) -> bool:
        return bool(_LANGUAGE_RE.match(source) and _LANGUAGE_RE.match(target))

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

    def failure(self, response: requests.Response) -> tuple[str, str] | None:
        """(what, how to fix) when ``response`` is a failure, else ``None``."""
        if 200 <= response.status_code < 300:
            return None
        return self._http_failure(response.status_code, _error_text(response))

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

    def _finish(self, core: str, answer: str | None) -> str:
        if not isinstance(answer, str) or not answer.strip():
            raise EngineError(self.name, f"no translation for {core[:60]!r}",
                              "try again later, or use another engine for this text")
        output = answer.strip()
        if PLACEHOLDER_RE.search(core):
            output = _tidy_plain_placeholders(core, output)
            output, repaired = restore_placeholders(core, output)
            if repaired:
                log.warning("%s moved or lost placeholders in %r; repaired to %r", self.name, core, output)
        return output

    def _json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise EngineError(self.name, f"answered something that is not JSON: {response.text[:80]!r}",
                              f"check that {self.url_env} points at the API") from exc
        finally:
            response.close()


def _markup_wanted(texts: Sequence[str]) -> bool:
    return any(PLACEHOLDER_RE.search(text) for text in texts)


# --------------------------------------------------------------------------------------------
# LibreTranslate: one POST /translate with a list of texts


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
        markup = _markup_wanted(texts)
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


# --------------------------------------------------------------------------------------------
# DeepL: one POST /v2/translate with the key in the Authorization header


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
        markup = _markup_wanted(texts)
        form: list[tuple[str, str]] = [("text", to_markup(t) if markup else t) for t in texts]
        form += [
            ("source_lang", source.replace("_", "-").split("-")[0].upper()),
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


# --------------------------------------------------------------------------------------------
# deep-translator: its module-level ``requests`` replaced by one that uses our _Http

_ACTIVE_HTTP: ContextVar[_Http | None] = ContextVar("i18n_pipeline_online_http", default=None)


class _RequestsThroughHttp:
    """Stands in for the ``requests`` module inside the deep-translator modules we use, so their
    requests get our timeout, retries and error mapping. Outside our engines (no active engine in
    this context) it is plain ``requests`` with a default timeout."""

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, params: Any = None, **kwargs: Any) -> requests.Response:
        return self._request("GET", url, params=params, **kwargs)

    def post(self, url: str, data: Any = None, json: Any = None, **kwargs: Any) -> requests.Response:
        return self._request("POST", url, data=data, json=json, **kwargs)

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        http = _ACTIVE_HTTP.get()
        if http is None:
            kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
            return requests.request(method, url, **kwargs)
        kwargs.pop("timeout", None)
        return http.request(method, url, **kwargs)


def _install_requests_shim() -> None:
    from deep_translator import google, mymemory  # type: ignore[import-untyped]

    shim = _RequestsThroughHttp()
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
        token = _ACTIVE_HTTP.set(self.http)
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
                self.name, f"{exc.__class__.__name__}: {_short(exc)}",
                "check the language pair, or try again later",
            ) from exc
        finally:
            _ACTIVE_HTTP.reset(token)


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
        from deep_translator import MyMemoryTranslator

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

    def failure(self, response: requests.Response) -> tuple[str, str] | None:
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
        from deep_translator import GoogleTranslator

        translator = GoogleTranslator(source="auto", target="en")
        translator.source = self.code(source)
        translator.target = self.code(target)
        translator._base_url = self.url
        return translator
