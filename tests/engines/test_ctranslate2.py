"""The ``ctranslate2`` engine (engines/ctranslate2.py) on a tiny model the tests build themselves
(tiny_model.py: random weights, so the output is gibberish): loading both layouts, tokenising,
batching, placeholders, one model per pair, the errors; then through the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from i18n_pipeline.cli import main
from i18n_pipeline.engines import get_engine
from i18n_pipeline.engines.ctranslate2 import CTranslate2Engine, find_model_files, split_placeholders
from i18n_pipeline.errors import EngineError
from i18n_pipeline.segment import placeholders_match
from tests.project import SEED, copy_project, msgfmt_check
from tests.test_translate import by_source

TEXTS = [
    "IOM Mexico has assisted 185 victims of trafficking from Central America.",
    "Read <1>the report</1> at <2/> today.",
    "The office opened shelters along the southern border.",
    "Contact <1>the press office</1> for more information.",
    "The publication will be available on <3/> at <1/>.",
]


def engine(folder: Path, **options: object) -> CTranslate2Engine:
    built = get_engine("ctranslate2", models={"es": str(folder)}, **options)
    assert isinstance(built, CTranslate2Engine)
    return built


def test_both_layouts_load_and_translate_alike(tiny_model: tuple[Path, Path]) -> None:
    opus, argos = tiny_model
    assert find_model_files(opus, "t").layout == "opus-mt" and find_model_files(argos, "t").layout == "argos"
    with engine(opus) as a, engine(argos) as b:
        first = a.translate_detailed(TEXTS, "en", "es")
        assert [r.text for r in first] == [r.text for r in b.translate_detailed(TEXTS, "en", "es")]
    assert len(first) == len(TEXTS) and all(isinstance(r.text, str) for r in first)
    assert {r.provenance for r in first} == {"ctranslate2 opus-mt-en-es"} and {r.engine for r in first} == {"ctranslate2"}
    translated = [r for r in first if not r.error]
    assert translated and all(r.text and r.text not in TEXTS for r in translated), first
    assert all(r.error.startswith("the model gave an empty translation") and r.text == "" for r in first if r.error)


def test_placeholders_come_back_once_each_in_order(tiny_model: tuple[Path, Path]) -> None:
    with engine(tiny_model[0]) as e:
        results = e.translate_detailed(TEXTS, "en", "es")
    for text, result in zip(TEXTS, results, strict=True):
        assert result.error or placeholders_match(text, result.text), (text, result.text)
    assert all(not results[i].error for i in (1, 3, 4)), "split around placeholders, every piece has words"


def test_batching_keeps_order_and_results(tiny_model: tuple[Path, Path]) -> None:
    texts = [*TEXTS, *TEXTS[::-1], "  Read the report today.  "]
    with engine(tiny_model[0], batch_size=1, beam_size=1) as one, engine(tiny_model[0], batch_size=64, beam_size=1) as many:
        assert one.translate_batch(texts[:2], "en", "es") == many.translate_batch(texts[:2], "en", "es")
        by_one = [r.text for r in one.translate_detailed(texts, "en", "es")]
        by_many = [r.text for r in many.translate_detailed(texts, "en", "es")]
    assert by_one == by_many
    assert by_one[: len(TEXTS)] == by_one[len(TEXTS) : 2 * len(TEXTS)][::-1], "a repeated text gets the same output"
    assert by_one[-1].startswith("  ") and by_one[-1].endswith("  "), "surrounding whitespace is kept"


def test_one_model_per_pair_loaded_when_first_needed(tiny_model: tuple[Path, Path]) -> None:
    with get_engine("ctranslate2", models={"es": str(tiny_model[0]), "fr": str(tiny_model[1])}) as e:
        assert isinstance(e, CTranslate2Engine)
        assert e.describe("en", "es") == "ctranslate2 opus-mt-en-es" and e.loads == 0, "describe loads nothing"
        for _ in range(3):
            e.translate_batch(TEXTS[:1], "en", "es")
        e.translate_batch(TEXTS[:1], "en", "fr")
        assert e.loads == 2
        assert e.translate_batch(["<1/>", "", " . "], "en", "es") == ["<1/>", "", " . "], "nothing to translate"


class EchoTranslator:
    """Stands in for a model that copies its input (what a good model does with placeholders);
    ``drop``: it loses every piece with "<" in it. Records each batch it gets."""

    def __init__(self, drop: bool = False) -> None:
        self.drop = drop
        self.batches: list[list[list[str]]] = []

    def translate_batch(self, tokens: list[list[str]], **options: object) -> list[SimpleNamespace]:
        self.batches.append(tokens)
        return [SimpleNamespace(hypotheses=[[t for t in sent if not (self.drop and "<" in t)]]) for sent in tokens]


@pytest.mark.parametrize("drop", [False, True])
def test_placeholders_go_whole_when_they_survive_else_piece_by_piece(tiny_model: tuple[Path, Path], drop: bool) -> None:
    text = "Read <1>the report</1> at <2/> today."
    with engine(tiny_model[0]) as e:
        e.translate_batch(["Read the report."], "en", "es")  # loads the model
        echo = EchoTranslator(drop)
        e._loaded[tiny_model[0]].translator = echo
        assert e.translate_batch([text], "en", "es") == [text], "tokenised and detokenised losslessly"
    whole = ["".join(t).replace("▁", " ").strip() for t in echo.batches[0]]
    assert whole == [text], "first the whole sentence, placeholders as text"
    if drop:
        pieces = ["".join(t).replace("▁", " ").strip() for t in echo.batches[1]]
        assert pieces == ["Read", "the report", "at", "today."], "then the pieces between placeholders"
    assert len(echo.batches) == (2 if drop else 1)


def test_split_placeholders() -> None:
    assert split_placeholders("Read <1>the report</1> at <2/>.") == [
        ("Read ", False), ("<1>", True), ("the report", False), ("</1>", True), (" at ", False), ("<2/>", True),
        (".", False)]
    assert split_placeholders("<2/>") == [("<2/>", True)]


# -- errors ------------------------------------------------------------------------------------


def test_a_missing_model_names_the_folder_and_how_to_get_one(tmp_path: Path) -> None:
    missing = tmp_path / "opus-mt-en-es"
    with pytest.raises(EngineError) as caught:
        get_engine("ctranslate2", models={"es": str(missing)}).describe("en", "es")
    message = str(caught.value)
    assert message.startswith(f"ctranslate2 en→es: no model folder at {missing}; ")
    assert "ct2-opus-mt-converter" in message and "argospm install translate-en_es" in message
    with pytest.raises(EngineError, match="no model for fr"):
        get_engine("ctranslate2", models={"es": str(missing)}).describe("en", "fr")
    with pytest.raises(EngineError, match=r"no model folder; set engine_options\.ctranslate2\.models"):
        get_engine("ctranslate2")
    missing.mkdir()
    with pytest.raises(EngineError, match="is not a CTranslate2 model folder"):
        get_engine("ctranslate2", model=str(missing)).describe("en", "es")


def test_a_damaged_model_is_a_clear_error(tiny_model: tuple[Path, Path], tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    shutil.copytree(tiny_model[0], damaged)
    (damaged / "model.bin").write_bytes(b"not a model" * 10)
    with engine(damaged) as e, pytest.raises(EngineError) as caught:
        e.translate_batch(["Hello."], "en", "es")
    assert str(caught.value).startswith(f"ctranslate2 en→es: cannot load the model in {damaged} (")
    assert "ct2-opus-mt-converter" in str(caught.value)
    (damaged / "source.spm").unlink()
    with pytest.raises(EngineError, match=r"has no SentencePiece model source\.spm"):
        engine(damaged).describe("en", "es")
    shutil.copytree(tiny_model[0], tmp_path / "bad-spm")
    (tmp_path / "bad-spm" / "source.spm").write_bytes(b"garbage")
    with engine(tmp_path / "bad-spm") as e, pytest.raises(EngineError, match="cannot read the SentencePiece model"):
        e.translate_batch(["Hello."], "en", "es")


# -- through the CLI ---------------------------------------------------------------------------


def test_cli_translate_with_the_neural_engine(
    tiny_model: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "p")
    assert main(["extract", "--project", str(project)]) == 0
    assert main(["update", "-l", "es", "--project", str(project)]) == 0
    capsys.readouterr()
    argv = ["translate", "-l", "es", "--engine", "ctranslate2", "--engine-option",
            f"ctranslate2.models.es={tiny_model[1]}", "--json", "--project", str(project)]
    code = main(argv)
    report = json.loads(capsys.readouterr().out)["es"]
    assert code == (1 if report["failed"] else 0)
    assert report["engine"] > 10 and report["engine_requests"] == 1, report
    po = project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po"
    entries = by_source(po)
    machine = [e for e in entries.values() if any(c.startswith("machine translation: ctranslate2 translate-en_es-0_1, ")
                                                  for c in e.comments)]
    assert len(machine) == report["engine"] and all("fuzzy" in e.flags for e in machine)
    assert all(placeholders_match(s, e.msgstr) for s, e in entries.items() if e.msgstr)
    msgfmt_check([po])
