"""``pipeline.yaml`` → frozen :class:`Settings`.

Errors name the file, line and key, and suggest the fix (did you mean …?).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from i18n_pipeline.errors import ConfigError, NoProjectError
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
    engines: Mapping[str, str] = field(default_factory=dict)  # language -> engine; "default"
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
        return self.engines.get(language, self.engines.get("default", "apertium"))


_KEYS = {
    "project",
    "source_language",
    "target_languages",
    "engines",
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
        engines={str(k): str(v) for k, v in engines_raw.items()},
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
