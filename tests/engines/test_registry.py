"""The engine registry (engines/__init__.py): names, lazy factories, the protocol."""

from __future__ import annotations

import pytest

from i18n_pipeline.engines import Engine, available_engines, get_engine
from i18n_pipeline.errors import EngineError


def test_registry_builds_engines_that_follow_the_protocol() -> None:
    assert {"apertium", "pseudo"} <= set(available_engines())
    for name in ("apertium", "pseudo"):
        with get_engine(name) as engine:
            assert isinstance(engine, Engine)
            assert engine.name == name


def test_unknown_engine_names_the_choices() -> None:
    with pytest.raises(EngineError, match="apertium"):
        get_engine("babelfish")
