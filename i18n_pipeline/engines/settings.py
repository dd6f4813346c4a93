"""Engine settings: the options every engine accepts, in one table.

``pipeline.yaml``'s ``engine_options`` (one mapping per engine) and the command line's
``--engine-option ENGINE.KEY=VALUE`` (which overrides the file) are both checked against
:data:`ENGINES`; an unknown engine or key is an error that lists the valid ones. Options are
passed to the engine's constructor (``get_engine(name, **options)``), except the few the
pipeline itself reads (``price_per_million_chars``, for ``translate --dry-run``).

Keys never go here: an engine reads its key from the environment variable it is told about
(``llm.api_key_env``), so a key is never in pipeline.yaml, a log, a PO file or ``--json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from i18n_pipeline.engines import available_engines
from i18n_pipeline.errors import PipelineError

__all__ = [
    "ENGINES",
    "PRICE",
    "EngineSpec",
    "Option",
    "convert_option",
    "engine_arguments",
    "price_per_million_chars",
    "split_option",
    "takes_glossary",
]

PRICE = "price_per_million_chars"


@dataclass(frozen=True)
class Option:
    """One setting of an engine: its kind of value and its help text.

    Kinds: ``str``, ``url``, ``int``, ``count`` (a whole number or "auto"), ``float``, ``bool``,
    ``path`` (relative paths are relative to the project folder in pipeline.yaml, to the current
    folder on the command line) and ``paths`` (a mapping of target language → path; ``models.es=PATH`` on the command line).
    """

    kind: str
    help: str
    engine_argument: bool = True  # False: read by the pipeline, not passed to the engine


@dataclass(frozen=True)
class EngineSpec:
    options: Mapping[str, Option] = field(default_factory=dict)
    # The engine is given the project's glossary and sees glossary terms as text (it is told
    # their approved translations); every other engine sees them as protected placeholders.
    takes_glossary: bool = False


_PRICE = Option("float", "for translate --dry-run: estimated price per million characters sent (default 0)",
                engine_argument=False)
_HTTP = {
    "timeout": Option("float", "seconds to wait for each request (default 30)"),
    "tries": Option("int", "tries per request on 429, 5xx and connection errors (default 3)"),
    "backoff": Option("float", "seconds before the second try, doubled for each further one (default 1)"),
    "max_backoff": Option("float", "longest wait between tries, in seconds (default 10)"),
}
_ONLINE = EngineSpec({
    "url": Option("url", "base URL of the API (default: the engine's environment variable, else its service)"),
    **_HTTP,
    "batch_size": Option("int", "texts per request (at most the API's limit)"),
    "batch_chars": Option("int", "characters per request (at most the API's limit)"),
    PRICE: _PRICE,
})

ENGINES: dict[str, EngineSpec] = {
    "apertium": EngineSpec({
        "modes_dir": Option("path", "a folder of Apertium *.mode files (default: the installed modes)"),
        "timeout": Option("float", "seconds without output before a batch fails (default 60)"),
        "pipelines": Option("count", "process pipelines per language pair: auto (one per 4 cores) or a number"),
        PRICE: _PRICE,
    }),
    "pseudo": EngineSpec({
        "brackets": Option("bool", "bracket each text so truncation shows (default true)"),
        PRICE: _PRICE,
    }),
    "deepl": _ONLINE,
    "libretranslate": _ONLINE,
    "google": _ONLINE,
    "mymemory": _ONLINE,
    "llm": EngineSpec(
        {
            "url": Option("url", "base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1 (required)"),
            "model": Option("str", "model name as the server knows it, e.g. gpt-4o-mini (required)"),
            "api_key_env": Option("str", "name of the environment variable that holds the key (none for a local server)"),
            "temperature": Option("float", "sampling temperature (default 0)"),
            "batch_size": Option("int", "segments per request; the segments of one release travel together (default 40)"),
            **_HTTP,
            PRICE: _PRICE,
        },
        takes_glossary=True,
    ),
    "ctranslate2": EngineSpec({
        "model": Option("path", "a CTranslate2 model folder for every target language"),
        "models": Option("paths", "a model folder per target language, e.g. models: {es: models/opus-mt-en-es}"),
        "beam_size": Option("int", "beam width; 1 is greedy and fastest (default 2)"),
        "threads": Option("int", "CPU threads per translation (default 0: CTranslate2 decides)"),
        "batch_size": Option("int", "segments per batch (default 32)"),
        "max_length": Option("int", "longest output, in tokens (default 256)"),
        "device": Option("str", "cpu (default), cuda or auto"),
        PRICE: _PRICE,
    }),
}

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def valid_engines() -> list[str]:
    """Engine names whose options can be set: the registry's."""
    return available_engines()


def split_option(text: str) -> tuple[str, str, str]:
    """``"llm.url=http://…"`` → ``("llm", "url", "http://…")``; ``ValueError`` if malformed."""
    name_key, sep, value = text.partition("=")
    engine, dot, key = name_key.strip().partition(".")
    if not sep or not dot or not engine or not key:
        raise ValueError(text)
    return engine, key.strip(), value


def convert_option(
    engine: str,
    key: str,
    value: object,
    *,
    where: str,
    error: type[PipelineError],
    base: Path,
    from_text: bool,
) -> tuple[str, object]:
    """Check one option of ``engine`` and convert its value; returns (key, value).

    ``key`` may name an entry of a ``paths`` option (``models.es``): the result is then the
    option's key and a one-entry mapping. ``from_text``: the value is command-line text (a
    number or boolean is parsed); else it is a YAML value of the right type already.
    Raises ``error(where, what, fix)``; its fix lists the valid engines or keys.
    """
    if engine not in valid_engines():
        raise error(where, f"no engine called '{engine}'", f"engines: {', '.join(valid_engines())}")
    spec = ENGINES.get(engine)
    if spec is None:  # registered at run time: no table of options, passed on as given
        return key, value
    main_key, _, entry = key.partition(".")
    option = spec.options.get(main_key)
    if option is None or (entry and option.kind != "paths"):
        raise error(where, f"engine '{engine}' has no option '{key}'",
                    f"{engine} options: {', '.join(sorted(spec.options))}")
    what = f"'{engine}.{key}'"
    if option.kind == "paths":
        if entry:
            return main_key, {entry: _path(value, what, where, error, base)}
        if not isinstance(value, Mapping) or not value:
            raise error(where, f"{what} must map target languages to model folders",
                        f"e.g. {main_key}: {{es: models/opus-mt-en-es}}, or {engine}.{main_key}.es=PATH")
        return main_key, {str(lang): _path(path, f"{what}.{lang}", where, error, base) for lang, path in value.items()}
    return main_key, _scalar(option.kind, value, what, where, error, base, from_text)


def _scalar(kind: str, value: object, what: str, where: str, error: type[PipelineError], base: Path,
            from_text: bool) -> object:
    if kind == "path":
        return _path(value, what, where, error, base)
    if kind == "count":
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        kind = "int"
    if kind in ("str", "url"):
        if not isinstance(value, str) or not value.strip():
            raise error(where, f"{what} must be a non-empty text, got {value!r}", "")
        if kind == "url" and not value.startswith(("http://", "https://")):
            raise error(where, f"{what} must be an http(s) URL, got {value!r}", "e.g. http://127.0.0.1:11434/v1")
        return value.strip()
    if kind == "bool":
        if from_text and isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        if isinstance(value, bool):
            return value
        raise error(where, f"{what} must be true or false, got {value!r}", "")
    if from_text and isinstance(value, str):
        try:
            value = int(value) if kind == "int" else float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind == "int" and not isinstance(value, int)):
        raise error(where, f"{what} must be {'a whole number' if kind == 'int' else 'a number'}, got {value!r}", "")
    if value < 0:
        raise error(where, f"{what} must not be negative, got {value!r}", "")
    return value


def _path(value: object, what: str, where: str, error: type[PipelineError], base: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise error(where, f"{what} must be a folder path, got {value!r}", "")
    path = Path(value.strip()).expanduser()
    return str(path if path.is_absolute() else base / path)


def engine_arguments(engine: str, options: Mapping[str, object]) -> dict[str, object]:
    """The options passed to the engine's constructor (the pipeline's own ones left out)."""
    spec = ENGINES.get(engine)
    if spec is None:
        return dict(options)
    return {k: v for k, v in options.items() if k not in spec.options or spec.options[k].engine_argument}


def price_per_million_chars(options: Mapping[str, object]) -> float:
    value = options.get(PRICE, 0.0)
    return float(value) if isinstance(value, (int, float)) else 0.0


def takes_glossary(engine: str) -> bool:
    spec = ENGINES.get(engine)
    return spec is not None and spec.takes_glossary
