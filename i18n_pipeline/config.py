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
from i18n_pipeline.formats.front_matter import compose_yaml, load_yaml, yaml_error_location
from i18n_pipeline.languages import is_valid_tag
from i18n_pipeline.model import LineWrap

CONFIG_NAME = "pipeline.yaml"


@dataclass(frozen=True)
class PublishPolicy:
    """What a build publishes in one language (``publish`` in pipeline.yaml)."""

    translations: str = "reviewed"  # "reviewed": approved translations only; "machine": unreviewed ones too, marked
    min_reviewed: float = 0.0  # share of a release's WORDS reviewed below which a reviewed-only build withholds it
    untranslated: str = "source"  # a segment with nothing to publish: "source" (marked as such) or "withhold" the release
    run_includes_machine: bool = True  # 'run' publishes unreviewed machine output too (marked): a preview

    def includes_machine(self, *, run: bool) -> bool:
        return self.translations == "machine" or (run and self.run_includes_machine)


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
    include_machine_in_run: bool = True  # the default policy's run_includes_machine
    min_reviewed: float = 0.0  # the default policy's min_reviewed
    publish: Mapping[str, PublishPolicy] = field(default_factory=dict)  # language -> policy; "default"
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

    def publish_policy(self, language: str) -> PublishPolicy:
        """What a build publishes in ``language``: its own policy, else the project's default."""
        policy = self.publish.get(language) or self.publish.get("default")
        if policy is None:
            return PublishPolicy(min_reviewed=self.min_reviewed, run_includes_machine=self.include_machine_in_run)
        return policy


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
_PO_KEYS = {"wrap"}
_POLICY_KEYS = {"translations", "min_reviewed", "untranslated", "run_includes_machine"}
_POLICY_CHOICES = {"translations": ("reviewed", "machine"), "untranslated": ("source", "withhold")}


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
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read ({exc.strerror})", "check the file") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}", "not UTF-8 text", "save it as UTF-8") from None
    try:
        node = compose_yaml(text)
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        location, problem = yaml_error_location(exc, str(path))
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses: no mark, a position
            location = f"{path}:{text.count(chr(10), 0, exc.position) + 1}"
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
    for lang in engines_raw:
        if lang != "default" and lang not in targets:
            raise ConfigError(
                where("engines"),
                f"engines: '{lang}' is not a target language (targets: {', '.join(targets)})",
                "add it to target_languages or remove its engine",
            )
    engines = {str(k): _chain(v, where("engines"), str(k)) for k, v in engines_raw.items()}
    engine_options = _engine_options(data.get("engine_options", {}), where("engine_options"), root)
    segmentation = data.get("segmentation", "sentence")
    if segmentation not in ("sentence", "paragraph"):
        raise ConfigError(
            where("segmentation"), f"'segmentation' must be 'sentence' or 'paragraph', got {segmentation!r}", ""
        )
    memory = data.get("memory", {}) or {}
    if not isinstance(memory, dict):
        raise ConfigError(where("memory"), "'memory' must be a mapping", "")
    for key in memory:
        if key not in _MEMORY_KEYS:
            raise ConfigError(where("memory"), f"unknown key 'memory.{key}'", _did_you_mean(str(key), _MEMORY_KEYS))
    po = data.get("po", {}) or {}
    if not isinstance(po, dict):
        raise ConfigError(where("po"), "'po' must be a mapping", "write e.g. 'po: {wrap: 77}'")
    for key in po:
        if key not in _PO_KEYS:
            raise ConfigError(where("po"), f"unknown key 'po.{key}'", _did_you_mean(str(key), _PO_KEYS))
    threshold = memory.get("fuzzy_threshold", 0.75)
    if not isinstance(threshold, (int, float)) or not 0 < float(threshold) <= 1:
        raise ConfigError(where("memory"), "'memory.fuzzy_threshold' must be a number in (0, 1]", "e.g. 0.75")
    publish_node = next((v for k, v in node.value if k.value == "publish"), None) if isinstance(node, yaml.MappingNode) else None
    policies = _publish_policies(data.get("publish"), targets, str(path), where("publish"), publish_node)
    keys = data.get("front_matter_keys", ["title", "summary", "description"])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise ConfigError(where("front_matter_keys"), "'front_matter_keys' must be a list of key names", "")
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
        include_machine_in_run=policies["default"].run_includes_machine,
        min_reviewed=policies["default"].min_reviewed,
        publish=policies,
        po_wrap=_po_wrap(po.get("wrap"), where("po")),
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


def _publish_policies(
    raw: Any, targets: tuple[str, ...], path: str, publish_line: str, node: yaml.Node | None
) -> dict[str, PublishPolicy]:
    """``publish``: policy keys for every language, ``default:`` and ``<lang>:`` sections that
    override them; a section may be just ``reviewed`` or ``machine`` (its ``translations``).

    Returns the policy of "default" and of every target language.
    """

    def line(*keys: str) -> str:
        """``path:line`` of the key ``publish.<keys...>``, else of the deepest section found."""
        found, mapping = publish_line, node
        for key in keys:
            pairs = mapping.value if isinstance(mapping, yaml.MappingNode) else []
            pair = next((kv for kv in pairs if str(kv[0].value) == key), None)
            if pair is None:
                break
            found, mapping = f"{path}:{_line_of(pair[0])}", pair[1]
        return found

    def section(value: Any, name: str, base: PublishPolicy) -> PublishPolicy:
        if value is None:
            return base
        if isinstance(value, str):
            value = {"translations": value}
        if not isinstance(value, dict):
            raise ConfigError(
                line(*name.split(".")[1:]), f"'{name}' must be a mapping of policy keys", "e.g. '{translations: reviewed}'"
            )
        changes: dict[str, Any] = {}
        for key, setting in value.items():
            keys = [*name.split(".")[1:], str(key)]
            if key not in _POLICY_KEYS:
                raise ConfigError(line(*keys), f"unknown key '{name}.{key}'", _did_you_mean(str(key), _POLICY_KEYS))
            changes[key] = _policy_value(f"{name}.{key}", setting, line(*keys))
        return replace(base, **changes)

    if raw is None or raw == {}:
        raw = {}
    if isinstance(raw, str):
        raw = {"translations": raw}
    if not isinstance(raw, dict):
        raise ConfigError(line(), "'publish' must be a mapping", "e.g. 'publish: {translations: reviewed, min_reviewed: 0.5}'")
    flat = {k: v for k, v in raw.items() if k in _POLICY_KEYS}
    default = section(raw.get("default"), "publish.default", section(flat, "publish", PublishPolicy()))
    policies = {"default": default}
    for key, value in raw.items():
        if key in _POLICY_KEYS or key == "default":
            continue
        key = str(key)
        if key in targets:
            policies[key] = section(value, f"publish.{key}", default)
            continue
        close = difflib.get_close_matches(key, sorted(_POLICY_KEYS | {"default"}), n=1)
        if not close and is_valid_tag(key):
            raise ConfigError(
                line(key), f"'publish.{key}': '{key}' is not a target language",
                "add it to target_languages, or remove this section",
            )
        raise ConfigError(line(key), f"unknown key 'publish.{key}'", _did_you_mean(key, _POLICY_KEYS | {"default", *targets}))
    return policies


def _policy_value(name: str, value: Any, where: str) -> Any:
    key = name.rsplit(".", 1)[1]
    if key in _POLICY_CHOICES:
        choices = _POLICY_CHOICES[key]
        if value not in choices:
            close = difflib.get_close_matches(str(value), choices, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"choose {' or '.join(choices)}"
            raise ConfigError(where, f"'{name}' must be {' or '.join(repr(c) for c in choices)}, got {value!r}", hint)
        return value
    if key == "min_reviewed":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= float(value) <= 1:
            raise ConfigError(where, f"'{name}' must be a number in [0, 1]", "e.g. 0.9 (90 % of the words reviewed)")
        return float(value)
    if not isinstance(value, bool):
        raise ConfigError(where, f"'{name}' must be true or false, got {value!r}", "")
    return value


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
