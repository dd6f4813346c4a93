"""HTTP for the online engines: a timeout on every request, bounded retries with exponential
back-off (``Retry-After`` honoured up to a cap) on 429, 5xx and connection errors, and failures
as :class:`EngineError` in our words. The only module that imports ``requests``.

deep-translator has no timeouts and no retries (``FACTS.md``, "deep-translator"), so its
requests come here too: :class:`RequestsShim` stands in for the ``requests`` module inside its
modules and sends their requests through the :class:`Http` that is :meth:`Http.active`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

import requests
from requests import Response

from i18n_pipeline.errors import EngineError

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_MAX_BACKOFF",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TRIES",
    "Failure",
    "Http",
    "RequestsShim",
    "Response",
    "error_text",
    "short_error",
]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
DEFAULT_TRIES = 3
DEFAULT_BACKOFF = 1.0  # seconds before the second try; doubled for each further one
DEFAULT_MAX_BACKOFF = 10.0

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

# (what, how to fix) when a response is a failure in the engine's terms, else None.
Failure = Callable[[Response], tuple[str, str] | None]

_ACTIVE_HTTP: ContextVar[Http | None] = ContextVar("i18n_pipeline_online_http", default=None)


class Http:
    """Requests for one engine: a timeout on each, bounded retries with exponential backoff
    (``Retry-After`` honoured up to ``max_backoff``) on 429, 5xx and connection errors; any
    other failure, or the last one, becomes an :class:`EngineError` naming ``engine`` and, in
    its advice, the environment variable ``url_env`` that sets the engine's URL. ``failure``
    decides whether an answer that arrived is a failure (APIs that report errors with HTTP 200)."""

    def __init__(
        self,
        engine: str,
        *,
        url_env: str,
        failure: Failure,
        timeout: float,
        tries: int,
        backoff: float,
        max_backoff: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.engine = engine
        self.url_env = url_env
        self.failure = failure
        self.timeout = timeout
        self.tries = tries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.session = requests.Session()
        self.requests = 0  # made, retries included; for tests and reports

    def close(self) -> None:
        self.session.close()

    @contextmanager
    def active(self) -> Iterator[None]:
        """Within the block, :class:`RequestsShim` sends this context's requests through us."""
        token = _ACTIVE_HTTP.set(self)
        try:
            yield
        finally:
            _ACTIVE_HTTP.reset(token)

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        name = self.engine
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
                        f"cannot connect to {host} ({self.tries} tries): {short_error(exc)}",
                        f"check the network or {self.url_env}",
                    ) from exc
                reason = "connection failed"
                delay = self._delay(attempt, None)
            except requests.RequestException as exc:
                raise EngineError(name, f"request to {host} failed: {short_error(exc)}",
                                  f"check {self.url_env}") from exc
            else:
                if response.status_code in _RETRY_STATUSES and not last:
                    reason = f"HTTP {response.status_code}"
                    delay = self._delay(attempt, response.headers.get("Retry-After"))
                    response.close()
                else:
                    if "charset" not in response.headers.get("Content-Type", "").lower():
                        response.encoding = "utf-8"  # not ISO-8859-1, requests' guess for text/*
                    failure = self.failure(response)
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


def short_error(exc: BaseException, limit: int = 200) -> str:
    """An exception's message, cut to ``limit`` characters for an error message."""
    text = str(exc) or exc.__class__.__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_text(response: Response, limit: int = 200) -> str:
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


class RequestsShim:
    """Stands in for the ``requests`` module inside a library's modules, so their requests get
    our timeout, retries and error mapping. Outside :meth:`Http.active` (no engine active in
    this context) it is plain ``requests`` with a default timeout."""

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, params: Any = None, **kwargs: Any) -> Response:
        return self._request("GET", url, params=params, **kwargs)

    def post(self, url: str, data: Any = None, json: Any = None, **kwargs: Any) -> Response:
        return self._request("POST", url, data=data, json=json, **kwargs)

    def _request(self, method: str, url: str, **kwargs: Any) -> Response:
        http = _ACTIVE_HTTP.get()
        if http is None:
            kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
            return requests.request(method, url, **kwargs)  # noqa: S113 (timeout set just above)
        kwargs.pop("timeout", None)
        return http.request(method, url, **kwargs)
