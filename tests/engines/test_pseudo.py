"""The pseudo-localisation engine (engines/pseudo.py)."""

from __future__ import annotations

from i18n_pipeline.engines.pseudo import PseudoEngine
from i18n_pipeline.model import PLACEHOLDER_RE


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(text))


def test_pseudo_engine_is_deterministic_and_keeps_placeholders() -> None:
    with PseudoEngine() as engine:
        texts = ["The text", "Read <1>this</1> at <2/>.", "", "  padded  "]
        outputs = engine.translate_batch(texts, "en", "es")
        assert outputs == engine.translate_batch(texts, "en", "fr")
        assert outputs[0] == "[Ţĥé ţéxţ]"
        assert placeholders(outputs[1]) == placeholders(texts[1])
        assert outputs[2] == "" and outputs[3] == "  [páddéd]  "
        assert engine.describe("en", "es") == "pseudo" and engine.supports("en", "xx")

