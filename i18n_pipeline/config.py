"""``pipeline.yaml`` → frozen :class:`Settings`.

Errors name the file, line and key, and suggest the fix (did you mean …?).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from i18n_pipeline.engines.settings import convert_option, split_option
from i18n_pipeline.errors import ConfigError, NoProjectError, UsageError
from i18n_pipeline.formats.front_matter import yaml_error_location
from i18n_pipeline.languages import is_valid_tag
from i18n_pipeline.model import LineWrap

CONFIG_NAME = "pipeline.yaml"


@dataclass(frozen=True)
class Settings:
    """What a project asks of the pipeline."""

    root: Path
    project: str = "i18n-pipeline project"
    source_language: str = "en"
    target_languages: tuple[str, ...] = ()
    # language ("default" for the rest) -> engine, or a fallback chain of engines tried in order
    engines: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # engine -> its options (engines/settings.py has the table); keys come from the environment only
    engine_options: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    segmentation: str = "sentence"  # or "paragraph"
    front_matter_keys: tuple[str, ...] = ("title", "summary", "description")
    fuzzy_matching: bool = True
    tm_approve_exact: bool = True
    tm_fuzzy_threshold: float = 0.75
    include_machine_in_run: bool = True
    min_reviewed: float = 0.0  # reviewed-only builds withhold releases below this share
    po_wrap: LineWrap | None = None  # po.wrap: PO files reformatted to it; None: each keeps its own

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".i18n-cache"

    def engine_for(self, language: str) -> str:
        """The engine that gets a language's segments first (the head of its chain)."""
        return self.engine_chain(language)[0]

    def engine_chain(self, language: str) -> tuple[str, ...]:
        """The engines for a language, in order: what the first cannot translate goes to the next."""
        chain = self.engines.get(language, self.engines.get("default", ("apertium",)))
        return (chain,) if isinstance(chain, str) else tuple(chain)  # Settings(engines={"es": "deepl"}) too

    def options_for(self, engine: str) -> Mapping[str, object]:
        return self.engine_options.get(engine, {})


_KEYS = {
    "project",
    "source_language",
    "target_languages",
    "engines",
    "engine_options",
    "segmentation",
    "front_matter_keys",
    "fuzzy_matching",
    "memory",
    "publish",
    "po",
}
_MEMORY_KEYS = {"approve_exact", "fuzzy_threshold"}
_PUBLISH_KEYS = {"run_includes_machine", "min_reviewed"}
_PO_KEYS = {"wrap"}


def _did_you_mean(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known keys: " + ", ".join(sorted(known))


def _line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def load_settings(root: Path) -> Settings:
    """Read ``root/pipeline.yaml``."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise NoProjectError(str(path), "no pipeline.yaml here", "run the command in a project folder")
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        location, problem = yaml_error_location(exc, str(path))
        raise ConfigError(location, f"not valid YAML: {problem}", "fix the syntax") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1", "expected a mapping of settings", "write 'key: value' lines")
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = _line_of(key_node)

    def where(key: str) -> str:
        return f"{path}:{lines.get(key.split('.')[0], 1)}"

    for key in data:
        if key not in _KEYS:
            raise ConfigError(where(str(key)), f"unknown key '{key}'", _did_you_mean(str(key), _KEYS))

    def language(value: Any, key: str) -> str:
        if not isinstance(value, str) or not is_valid_tag(value):
            raise ConfigError(
                where(key), f"'{key}' must be a language code such as 'es', got {value!r}", ""
            )
        return value

    source = language(data.get("source_language", "en"), "source_language")
    targets_raw = data.get("target_languages", [])
    if isinstance(targets_raw, str):
        targets_raw = [targets_raw]
    if not isinstance(targets_raw, list) or not targets_raw:
        raise ConfigError(
            where("target_languages"),
            "'target_languages' must be a non-empty list",
            "write e.g. 'target_languages: [es, fr]'",
        )
    targets = tuple(language(t, "target_languages") for t in targets_raw)
    if source in targets:
        raise ConfigError(
            where("target_languages"), f"the source language '{source}' is also a target", "remove it"
        )
    engines_raw = data.get("engines", {}) or {}
    if isinstance(engines_raw, str):
        engines_raw = {"default": engines_raw}
    if not isinstance(engines_raw, dict):
        raise ConfigError(
            where("engines"), "'engines' must map languages to engine names", "e.g. 'engines: {default: apertium}'"
        )
    engines = {str(k): _chain(v, where("engines"), str(k)) for k, v in engines_raw.items()}
    engine_options = _engine_options(data.get("engine_options", {}), where("engine_options"), root)
    segmentation = data.get("segmentation", "sentence")
    if segmentation not in ("sentence", "paragraph"):
        raise ConfigError(
            where("segmentation"), f"'segmentation' must be 'sentence' or 'paragraph', got {segmentation!r}", ""
        )
    memory = data.get("memory", {}) or {}
    publish = data.get("publish", {}) or {}
    po = data.get("po", {}) or {}
    for section, known, name in ((memory, _MEMORY_KEYS, "memory"), (publish, _PUBLISH_KEYS, "publish"), (po, _PO_KEYS, "po")):
        if not isinstance(section, dict):
            raise ConfigError(where(name), f"'{name}' must be a mapping", "")
        for key in section:
            if key not in known:
                raise ConfigError(where(name), f"unknown key '{name}.{key}'", _did_you_mean(str(key), known))
    threshold = memory.get("fuzzy_threshold", 0.75)
    if not isinstance(threshold, (int, float)) or not 0 < float(threshold) <= 1:
        raise ConfigError(where("memory"), "'memory.fuzzy_threshold' must be a number in (0, 1]", "e.g. 0.75")
    min_reviewed = publish.get("min_reviewed", 0)
    if not isinstance(min_reviewed, (int, float)) or not 0 <= float(min_reviewed) <= 1:
        raise ConfigError(where("publish"), "'publish.min_reviewed' must be a number in [0, 1]", "e.g. 0.9")
    keys = data.get("front_matter_keys", ["title", "summary", "description"])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise ConfigError(where("front_matter_keys"), "'front_matter_keys' must be a list of key names", "")
    po_wrap = _po_wrap(po.get("wrap"), where("po"))
    return Settings(
        root=root,
        project=str(data.get("project", root.resolve().name)),
        source_language=source,
        target_languages=targets,
        engines=engines,
        engine_options=engine_options,
        segmentation=segmentation,
        front_matter_keys=tuple(keys),
        fuzzy_matching=bool(data.get("fuzzy_matching", True)),
        tm_approve_exact=bool(memory.get("approve_exact", True)),
        tm_fuzzy_threshold=float(threshold),
        include_machine_in_run=bool(publish.get("run_includes_machine", True)),
        min_reviewed=float(min_reviewed),
        po_wrap=po_wrap,
    )


def _po_wrap(value: Any, where: str) -> LineWrap | None:
    """``po.wrap``: 79 (gettext), 77 (Weblate), any width from 20, or none (``msgcat --no-wrap``)."""
    if value is None:
        return None
    if value is False or (isinstance(value, str) and value.strip().lower() in ("none", "no", "off")):
        return LineWrap(79, strings=False)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 20:
        return LineWrap(value)
    raise ConfigError(
        where, f"'po.wrap' must be a line width of 20 or more, or none; got {value!r}",
        "write 'wrap: 79' (gettext), 'wrap: 77' (Weblate) or 'wrap: none' (msgcat --no-wrap); "
        "leave it out to keep each file's own wrapping",
    )


def _chain(value: Any, where: str, language: str) -> tuple[str, ...]:
    """An engine name, or a list of them: a fallback chain."""
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise ConfigError(where, f"'engines.{language}' must be an engine name or a list of them, got {value!r}",
                          "e.g. 'es: [llm, apertium]'")
    chain = tuple(n.strip() for n in names)
    if len(set(chain)) != len(chain):
        raise ConfigError(where, f"'engines.{language}' names an engine twice: {list(chain)}", "name each once")
    return chain


def _engine_options(raw: Any, where: str, root: Path) -> dict[str, dict[str, object]]:
    """``engine_options: {llm: {url: …, model: …}, …}``, each checked against the engine's table."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(where, "'engine_options' must map engine names to their options",
                          "e.g. 'engine_options: {llm: {model: gpt-4o-mini}}'")
    out: dict[str, dict[str, object]] = {}
    for engine, options in raw.items():
        if not isinstance(options, dict):
            raise ConfigError(where, f"'engine_options.{engine}' must be a mapping of options", "")
        for key, value in options.items():
            name, converted = convert_option(str(engine), str(key), value, where=where, error=ConfigError,
                                             base=root, from_text=False)
            out.setdefault(str(engine), {})[name] = converted
    return out


def with_engine_options(settings: Settings, overrides: Sequence[str], base: Path | None = None) -> Settings:
    """``settings`` with command-line ``ENGINE.KEY=VALUE`` options over pipeline.yaml's.

    An unknown engine or key, or a malformed option, is a :class:`UsageError` listing the valid
    ones. Relative paths are relative to ``base`` (the current folder).
    """
    if not overrides:
        return settings
    options = {engine: dict(values) for engine, values in settings.engine_options.items()}
    for text in overrides:
        where = f"--engine-option {text.split('=', 1)[0]}"
        try:
            engine, key, value = split_option(text)
        except ValueError:
            raise UsageError(f"--engine-option {text!r}", "expected ENGINE.KEY=VALUE",
                             "e.g. --engine-option llm.url=http://127.0.0.1:11434/v1") from None
        name, converted = convert_option(engine, key, value, where=where, error=UsageError,
                                         base=base or Path.cwd(), from_text=True)
        current = options.setdefault(engine, {})
        before = current.get(name)
        if isinstance(converted, dict) and isinstance(before, dict):
            converted = {**before, **converted}  # models.es=… adds to the file's models
        current[name] = converted
    return replace(settings, engine_options=options)
