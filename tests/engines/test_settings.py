"""Engine settings (engines/settings.py): pipeline.yaml's engine_options and the command line's
--engine-option, checked against one table; unknown engines and keys are errors that list the
valid ones (a usage error, exit 2, on the command line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n_pipeline.cli import main
from i18n_pipeline.config import load_settings, with_engine_options
from i18n_pipeline.engines import available_engines
from i18n_pipeline.engines.settings import ENGINES, PRICE, engine_arguments, split_option
from i18n_pipeline.errors import ConfigError, UsageError


def project(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "pipeline.yaml").write_text("target_languages: [es, fr]\n" + extra, "utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("Hello world.\n", "utf-8")
    return tmp_path


def test_every_registered_engine_has_a_table_of_options_with_a_price() -> None:
    assert set(ENGINES) == set(available_engines())
    for name, spec in ENGINES.items():
        assert PRICE in spec.options, name
        assert all(option.help for option in spec.options.values()), name


def test_pipeline_yaml_options_are_converted_and_paths_resolved(tmp_path: Path) -> None:
    settings = load_settings(project(tmp_path, (
        "engines: {default: apertium, es: [llm, apertium]}\n"
        "engine_options:\n"
        "  llm: {url: 'http://127.0.0.1:11434/v1', model: qwen2.5, temperature: 0.2, batch_size: 10,"
        " price_per_million_chars: 0.6}\n"
        "  ctranslate2: {models: {es: models/opus-mt-en-es}, beam_size: 1}\n"
    )))
    assert settings.engine_chain("es") == ("llm", "apertium") and settings.engine_chain("fr") == ("apertium",)
    assert settings.engine_for("es") == "llm"
    llm = settings.options_for("llm")
    assert llm == {"url": "http://127.0.0.1:11434/v1", "model": "qwen2.5", "temperature": 0.2, "batch_size": 10,
                   PRICE: 0.6}
    assert engine_arguments("llm", llm) == {k: v for k, v in llm.items() if k != PRICE}, "the price is the pipeline's"
    assert settings.options_for("ctranslate2")["models"] == {"es": str(tmp_path / "models/opus-mt-en-es")}


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("engine_options: {llm: {modle: x}}\n", "engine 'llm' has no option 'modle'; llm options: api_key_env, backoff"),
        ("engine_options: {babelfish: {url: x}}\n", "no engine called 'babelfish'; engines: apertium"),
        ("engine_options: {llm: {batch_size: ten}}\n", "'llm.batch_size' must be a whole number, got 'ten'"),
        ("engine_options: {llm: {url: ftp://x}}\n", "'llm.url' must be an http(s) URL"),
        ("engine_options: {apertium: {pipelines: many}}\n", "'apertium.pipelines' must be a whole number, got 'many'"),
        ("engine_options: [llm]\n", "'engine_options' must map engine names to their options"),
        ("engines: {es: [llm, llm]}\n", "names an engine twice"),
        ("engines: {es: []}\n", "must be an engine name or a list of them"),
    ],
)
def test_pipeline_yaml_errors_name_the_line_and_the_valid_choices(tmp_path: Path, yaml: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(project(tmp_path, yaml))
    assert message in str(caught.value)
    assert caught.value.where == f"{tmp_path / 'pipeline.yaml'}:2"


def test_apertium_pipelines_is_auto_or_a_number(tmp_path: Path) -> None:
    settings = load_settings(project(tmp_path, "engine_options: {apertium: {pipelines: 2}}\n"))
    assert settings.options_for("apertium")["pipelines"] == 2
    assert with_engine_options(settings, ["apertium.pipelines=auto"]).options_for("apertium")["pipelines"] == "auto"
    assert with_engine_options(settings, ["apertium.pipelines=3"]).options_for("apertium")["pipelines"] == 3


def test_command_line_options_override_the_file(tmp_path: Path) -> None:
    settings = load_settings(project(tmp_path, (
        "engine_options:\n  llm: {url: 'http://127.0.0.1:1/v1', model: a}\n"
        "  ctranslate2: {models: {es: m/es}}\n")))
    changed = with_engine_options(settings, ["llm.model=b", "llm.temperature=0.5", "pseudo.brackets=no",
                                             "ctranslate2.models.fr=m/fr"], base=Path("/work"))
    assert changed.options_for("llm") == {"url": "http://127.0.0.1:1/v1", "model": "b", "temperature": 0.5}
    assert changed.options_for("pseudo") == {"brackets": False}
    assert changed.options_for("ctranslate2")["models"] == {"es": str(tmp_path / "m/es"), "fr": "/work/m/fr"}
    assert settings.options_for("llm")["model"] == "a", "settings are frozen; a changed copy is returned"
    with pytest.raises(UsageError, match="no option 'modell'; llm options: api_key_env"):
        with_engine_options(settings, ["llm.modell=b"])
    with pytest.raises(UsageError, match=r"expected ENGINE\.KEY=VALUE"):
        with_engine_options(settings, ["llm-model"])
    assert split_option("llm.url=http://h/v1?a=b") == ("llm", "url", "http://h/v1?a=b")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("babelfish.url=http://x", "error: --engine-option babelfish.url: no engine called 'babelfish'; engines: apertium, "),
        ("llm.colour=blue", "error: --engine-option llm.colour: engine 'llm' has no option 'colour'; llm options: "),
        ("llm.tries=many", "'llm.tries' must be a whole number, got 'many'"),
        ("nodot=1", "expected ENGINE.KEY=VALUE"),
    ],
)
def test_cli_unknown_engine_or_key_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, message: str
) -> None:
    root = project(tmp_path)
    for command in ("translate", "run"):
        capsys.readouterr()
        assert main([command, "--engine-option", option, "--project", str(root)]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    assert not (root / "locales").exists(), "nothing was written"


def test_cli_an_unknown_engine_in_a_chain_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path)
    assert main(["translate", "--engine", "llm,babelfish", "--project", str(root)]) == 2
    assert "no engine called 'babelfish'; choose one of apertium, ctranslate2" in capsys.readouterr().err
