"""Translation engines behind one protocol.

``get_engine("apertium")`` is the default offline engine (one persistent Apertium pipeline per
language pair); ``get_engine("pseudo")`` pseudo-localises for tests; ``deepl``,
``libretranslate``, ``mymemory`` and ``google`` are online engines, opt-in (``deepl.py``,
``libretranslate.py``, ``deep_translator.py``, on the base in ``online.py`` and the HTTP client in
``http.py``); ``llm`` speaks the OpenAI chat-completions API (``llm.py``); ``ctranslate2`` runs
OPUS-MT and Argos Translate models offline (``ctranslate2.py``). What options each engine takes is
``settings.py``'s table. Engine modules are imported only when asked for, so a missing optional dependency
of one engine never breaks another.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

from i18n_pipeline.errors import EngineError

__all__ = ["Engine", "MachineTranslation", "available_engines", "get_engine", "register_engine", "translate_detailed"]


@dataclass(frozen=True)
class MachineTranslation:
    """One engine output and what the PO file should say about it.

    ``engine`` is the registry name the MT cache is keyed by; ``provenance`` is what the
    translator comment names ("apertium eng-spa"); ``unknown_words`` are the source words the
    engine did not know (left untranslated), when the engine can tell. ``error`` is set when the
    engine could not translate this segment (``text`` is then empty): the next engine of a
    fallback chain gets it, else it stays untranslated. ``repaired``: the engine moved, lost or
    duplicated placeholders, and ``text`` has them put back (repair.py).
    """

    text: str
    engine: str
    provenance: str
    unknown_words: tuple[str, ...] = ()
    error: str = ""
    repaired: bool = False


@runtime_checkable
class Engine(Protocol):
    """What ``translate.py`` needs from a machine-translation engine.

    ``translate_batch`` keeps order and length; every placeholder (``<1>…</1>``, ``<2/>``) of an
    input text comes back exactly once in its output. Language codes are ISO 639-1.
    """

    name: str

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]: ...

    def describe(self, source: str, target: str) -> str:
        """Provenance for the PO translator comment, e.g. "apertium eng-spa"."""
        ...

    def supports(self, source: str, target: str) -> bool: ...

    def close(self) -> None: ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


def translate_detailed(engine: Engine, texts: Sequence[str], source: str, target: str) -> list[MachineTranslation]:
    """``engine.translate_batch`` with provenance per output.

    An engine that knows more (which words it did not understand, which engine of a chain did
    the work) implements ``translate_detailed(texts, source, target)`` itself.
    """
    detailed: Callable[[Sequence[str], str, str], list[MachineTranslation]] | None = getattr(
        engine, "translate_detailed", None
    )
    if detailed is not None:
        return detailed(texts, source, target)
    provenance = engine.describe(source, target)
    return [MachineTranslation(text, engine.name, provenance) for text in engine.translate_batch(texts, source, target)]


EngineFactory = Callable[..., Engine]

# name -> "module:attribute" (imported lazily) or a factory registered at run time.
_REGISTRY: dict[str, str | EngineFactory] = {
    "apertium": "i18n_pipeline.engines.apertium:ApertiumEngine",
    "pseudo": "i18n_pipeline.engines.pseudo:PseudoEngine",
    # Online engines: opt-in, keys from the environment (see engines/online.py).
    "deepl": "i18n_pipeline.engines.deepl:DeepLEngine",
    "google": "i18n_pipeline.engines.deep_translator:GoogleEngine",
    "libretranslate": "i18n_pipeline.engines.libretranslate:LibreTranslateEngine",
    "mymemory": "i18n_pipeline.engines.deep_translator:MyMemoryEngine",
    # Large language models behind the OpenAI chat-completions API (hosted, Ollama, llama.cpp, vLLM).
    "llm": "i18n_pipeline.engines.llm:LLMEngine",
    # Offline neural MT: OPUS-MT / Argos Translate models run with CTranslate2 (the '.[neural]' extra).
    "ctranslate2": "i18n_pipeline.engines.ctranslate2:CTranslate2Engine",
}


def register_engine(name: str, factory: str | EngineFactory) -> None:
    """Make ``get_engine(name)`` build an engine with ``factory(**options)``; ``factory`` may be
    a "module:attribute" string, imported on first use."""
    _REGISTRY[name] = factory


def available_engines() -> list[str]:
    """Names ``get_engine`` accepts."""
    return sorted(_REGISTRY)


def get_engine(name: str, **options: Any) -> Engine:
    """Build the engine called ``name`` with its options (e.g. ``timeout=30``)."""
    entry = _REGISTRY.get(name)
    if entry is None:
        raise EngineError(
            f"engine {name!r}",
            "no such engine",
            f"use one of: {', '.join(available_engines())}",
        )
    factory: EngineFactory
    if isinstance(entry, str):
        module_name, _, attribute = entry.partition(":")
        try:
            factory = getattr(importlib.import_module(module_name), attribute)
        except ImportError as exc:
            raise EngineError(
                f"engine {name!r}",
                f"cannot import {module_name}: {exc}",
                "install the engine's dependencies into the environment",
            ) from exc
    else:
        factory = entry
    try:
        return factory(**options)
    except TypeError as exc:
        raise EngineError(f"engine {name!r}", f"bad options {sorted(options)}: {exc}",
                          "check the engine options in pipeline.yaml") from exc
