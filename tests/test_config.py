"""``pipeline.yaml`` → Settings (i18n_pipeline.config): defaults, the bundled project's file, and
errors that name the file, the line and the key, with the fix."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from i18n_pipeline.config import Settings, load_settings
from i18n_pipeline.errors import ConfigError
from i18n_pipeline.model import LineWrap
from tests.paths import ROOT


def settings_from(tmp_path: Path, text: str) -> Settings:
    (tmp_path / "pipeline.yaml").write_text(text, "utf-8")
    return load_settings(tmp_path)


def error_from(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        settings_from(tmp_path, text)
    return caught.value


def test_the_bundled_project() -> None:
    settings = load_settings(ROOT)
    assert settings.project == "IOM press releases"
    assert (settings.source_language, settings.target_languages) == ("en", ("es", "fr"))
    assert settings.engine_for("fr") == "apertium"
    assert "links.title" in settings.front_matter_keys
    assert settings.include_machine_in_run is True
    assert settings.content_dir == ROOT / "content" and settings.locales_dir == ROOT / "locales"


def test_defaults_of_a_minimal_file(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, "target_languages: es\n")  # one language may be a string
    assert settings.target_languages == ("es",)
    assert settings.project == tmp_path.resolve().name
    assert settings.source_language == "en" and settings.segmentation == "sentence"
    assert settings.front_matter_keys == ("title", "summary", "description")
    assert (settings.tm_approve_exact, settings.tm_fuzzy_threshold, settings.min_reviewed) == (True, 0.75, 0.0)
    assert settings.engine_for("es") == "apertium"
    assert settings.cache_dir == tmp_path / ".i18n-cache" and settings.build_dir == tmp_path / "build"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.segmentation = "paragraph"  # type: ignore[misc]


def test_engines_per_language_with_a_default(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, "target_languages: [es, fr, de]\nengines: {default: pseudo, fr: deepl}\n")
    assert [settings.engine_for(lang) for lang in ("es", "fr", "de")] == ["pseudo", "deepl", "pseudo"]
    assert settings_from(tmp_path, "target_languages: [es]\nengines: deepl\n").engine_for("es") == "deepl"


def test_memory_and_publish_sections(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        "target_languages: [es]\nmemory:\n  approve_exact: false\n  fuzzy_threshold: 0.9\n"
        "publish:\n  run_includes_machine: false\n  min_reviewed: 1\n",
    )
    assert (settings.tm_approve_exact, settings.tm_fuzzy_threshold) == (False, 0.9)
    assert (settings.include_machine_in_run, settings.min_reviewed) == (False, 1.0)


def test_no_file_says_where_to_run(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert caught.value.where == str(tmp_path / "pipeline.yaml")
    assert caught.value.what == "no pipeline.yaml here"
    assert "project" in caught.value.fix


def test_a_misspelt_key_names_its_line_and_the_right_key(tmp_path: Path) -> None:
    error = error_from(tmp_path, "# settings\nsource_language: en\ntarget_langauges: [es]\n")
    assert error.where == f"{tmp_path / 'pipeline.yaml'}:3"
    assert error.what == "unknown key 'target_langauges'"
    assert error.fix == "did you mean 'target_languages'?"
    # Nothing close: the known keys are listed.
    assert "known keys: engine_options, engines, front_matter_keys" in error_from(tmp_path, "zzz: 1\n").fix


def test_a_misspelt_key_inside_a_section_names_the_section(tmp_path: Path) -> None:
    error = error_from(tmp_path, "target_languages: [es]\n\nmemory:\n  fuzzy_treshold: 0.8\n")
    assert error.where == f"{tmp_path / 'pipeline.yaml'}:3"
    assert error.what == "unknown key 'memory.fuzzy_treshold'" and error.fix == "did you mean 'fuzzy_threshold'?"


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    error = error_from(tmp_path, "target_languages: [es\nsegmentation: sentence\n")
    assert error.where == f"{tmp_path / 'pipeline.yaml'}:2"  # where the parser gave up
    assert error.what.startswith("not valid YAML: ") and "(it starts on line 1)" in error.what
    assert error.fix == "fix the syntax"


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("- es\n- fr\n", 1, "expected a mapping of settings"),
        ("target_languages: []\n", 1, "'target_languages' must be a non-empty list"),
        ("project: x\ntarget_languages: {es: 1}\n", 2, "'target_languages' must be a non-empty list"),
        (
            "target_languages: [es, 'not a code!']\n", 1,
            "'target_languages' must be a language code such as 'es', got 'not a code!'",
        ),
        ("source_language: 42\ntarget_languages: [es]\n", 1, "'source_language' must be a language code such as 'es', got 42"),
        ("source_language: es\ntarget_languages: [fr, es]\n", 2, "the source language 'es' is also a target"),
        ("target_languages: [es]\nengines: [apertium]\n", 2, "'engines' must map languages to engine names"),
        ("target_languages: [es]\nsegmentation: word\n", 2, "'segmentation' must be 'sentence' or 'paragraph', got 'word'"),
        ("target_languages: [es]\nmemory: yes\n", 2, "'memory' must be a mapping"),
        ("target_languages: [es]\nmemory: {fuzzy_threshold: 0}\n", 2, "'memory.fuzzy_threshold' must be a number in (0, 1]"),
        ("target_languages: [es]\nmemory: {fuzzy_threshold: high}\n", 2, "'memory.fuzzy_threshold' must be a number in (0, 1]"),
        ("target_languages: [es]\npublish: {min_reviewed: 1.5}\n", 2, "'publish.min_reviewed' must be a number in [0, 1]"),
        ("target_languages: [es]\nfront_matter_keys: title\n", 2, "'front_matter_keys' must be a list of key names"),
    ],
)
def test_wrong_values_name_the_key_and_its_line(tmp_path: Path, text: str, line: int, what: str) -> None:
    error = error_from(tmp_path, text)
    assert error.where == f"{tmp_path / 'pipeline.yaml'}:{line}"
    assert error.what == what


def test_an_empty_file_has_no_target_language(tmp_path: Path) -> None:
    error = error_from(tmp_path, "# nothing yet\n")
    assert error.what == "'target_languages' must be a non-empty list"
    assert error.fix == "write e.g. 'target_languages: [es, fr]'"


# --- publish policy -------------------------------------------------------------------------------


def test_publish_policy_defaults_and_the_flat_keys_of_earlier_versions(tmp_path: Path) -> None:
    default = settings_from(tmp_path, "target_languages: [es]\n").publish_policy("es")
    assert (default.translations, default.min_reviewed, default.untranslated, default.run_includes_machine) == (
        "reviewed", 0.0, "source", True,
    )
    flat = settings_from(tmp_path, "target_languages: [es]\npublish:\n  run_includes_machine: false\n  min_reviewed: 0.5\n")
    policy = flat.publish_policy("es")
    assert (policy.min_reviewed, policy.run_includes_machine) == (0.5, False)
    assert not policy.includes_machine(run=True) and not policy.includes_machine(run=False)


def test_publish_policy_per_language(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        "target_languages: [es, fr, de]\n"
        "publish:\n"
        "  min_reviewed: 0.5\n"
        "  default: {untranslated: withhold}\n"
        "  es: machine\n"
        "  fr:\n"
        "    min_reviewed: 0.9\n"
        "    run_includes_machine: false\n",
    )
    es, fr, de = (settings.publish_policy(lang) for lang in ("es", "fr", "de"))
    assert (es.translations, es.min_reviewed, es.untranslated) == ("machine", 0.5, "withhold")
    assert es.includes_machine(run=False)
    assert (fr.translations, fr.min_reviewed, fr.untranslated, fr.run_includes_machine) == ("reviewed", 0.9, "withhold", False)
    assert not fr.includes_machine(run=True)
    assert de == settings.publish_policy("default") and de.includes_machine(run=True) and not de.includes_machine(run=False)
    assert settings_from(tmp_path, "target_languages: [es]\npublish: machine\n").publish_policy("es").translations == "machine"


@pytest.mark.parametrize(
    ("text", "line", "what", "fix"),
    [
        ("publish:\n  fr:\n    untranslatd: source\n", 4, "unknown key 'publish.fr.untranslatd'", "did you mean 'untranslated'?"),
        ("publish:\n  min_reviewd: 0.5\n", 3, "unknown key 'publish.min_reviewd'", "did you mean 'min_reviewed'?"),
        ("publish:\n  de: machine\n", 3, "'publish.de': 'de' is not a target language",
         "add it to target_languages, or remove this section"),
        ("publish:\n  es: machin\n", 3, "'publish.es.translations' must be 'reviewed' or 'machine', got 'machin'",
         "did you mean 'machine'?"),
        ("publish:\n  fr: {untranslated: english}\n", 3,
         "'publish.fr.untranslated' must be 'source' or 'withhold', got 'english'", "choose source or withhold"),
        ("publish:\n  default:\n    min_reviewed: 50%\n", 4, "'publish.default.min_reviewed' must be a number in [0, 1]",
         "e.g. 0.9 (90 % of the words reviewed)"),
        ("publish:\n  run_includes_machine: maybe\n", 3, "'publish.run_includes_machine' must be true or false, got 'maybe'", ""),
        ("publish: [reviewed]\n", 2, "'publish' must be a mapping",
         "e.g. 'publish: {translations: reviewed, min_reviewed: 0.5}'"),
        ("publish:\n  es: [machine]\n", 3, "'publish.es' must be a mapping of policy keys", "e.g. '{translations: reviewed}'"),
    ],
)
def test_publish_errors_name_the_key_its_line_and_the_fix(tmp_path: Path, text: str, line: int, what: str, fix: str) -> None:
    error = error_from(tmp_path, "target_languages: [es, fr]\n" + text)
    assert (error.where, error.what, error.fix) == (f"{tmp_path / 'pipeline.yaml'}:{line}", what, fix)


# --- po.wrap --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wrap"),
    [("", None), ("po: {wrap: 79}\n", LineWrap(79)), ("po: {wrap: 77}\n", LineWrap(77)),
     ("po:\n  wrap: none\n", LineWrap(79, strings=False)), ("po: {wrap: 100}\n", LineWrap(100))],
)
def test_po_wrap(tmp_path: Path, text: str, wrap: LineWrap | None) -> None:
    assert settings_from(tmp_path, "target_languages: [es]\n" + text).po_wrap == wrap


@pytest.mark.parametrize("value", ["10", "wide", "true", "79.5"])
def test_a_wrong_po_wrap_says_what_it_can_be(tmp_path: Path, value: str) -> None:
    error = error_from(tmp_path, f"target_languages: [es]\npo:\n  wrap: {value}\n")
    assert error.where == f"{tmp_path / 'pipeline.yaml'}:2"
    assert error.what.startswith("'po.wrap' must be a line width of 20 or more, or none")
    assert "'wrap: 77' (Weblate)" in error.fix


def test_a_misspelt_po_key_names_the_right_one(tmp_path: Path) -> None:
    error = error_from(tmp_path, "target_languages: [es]\npo: {warp: 77}\n")
    assert (error.what, error.fix) == ("unknown key 'po.warp'", "did you mean 'wrap'?")
