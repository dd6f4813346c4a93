"""The pipeline's exceptions (i18n_pipeline.errors): one message shape, "<where>: <what>; <fix>"."""

from __future__ import annotations

import pytest

from i18n_pipeline.errors import CatalogError, ConfigError, DocumentError, EngineError, PipelineError, UsageError


def test_the_message_names_the_place_the_problem_and_the_fix() -> None:
    error = DocumentError("content/news.md:3", "not UTF-8 text", "save it as UTF-8")
    assert str(error) == "content/news.md:3: not UTF-8 text; save it as UTF-8"
    assert (error.where, error.what, error.fix) == ("content/news.md:3", "not UTF-8 text", "save it as UTF-8")


def test_without_a_place_or_a_fix_the_message_has_no_empty_parts() -> None:
    assert str(PipelineError("", "interrupted")) == "interrupted"
    assert str(PipelineError("es.po", "changed on disk")) == "es.po: changed on disk"
    assert str(PipelineError("", "no engine", "install one")) == "no engine; install one"


@pytest.mark.parametrize("kind", [ConfigError, DocumentError, CatalogError, EngineError, UsageError])
def test_every_error_a_user_can_cause_is_a_pipeline_error(kind: type[PipelineError]) -> None:
    with pytest.raises(PipelineError, match=r"^x: y; z$"):
        raise kind("x", "y", "z")
