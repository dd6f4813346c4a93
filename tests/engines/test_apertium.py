"""The Apertium engine (engines/apertium.py) against the real installation: no mocks, no skips.

Fake mode files (in a temporary directory) stand in only where a real pair cannot show the
behaviour: a missing pair, a missing program, a stage that never answers or dies.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n_pipeline.engines import apertium as apertium_module
from i18n_pipeline.engines import apertium_pipeline, get_engine
from i18n_pipeline.engines.apertium import ApertiumEngine, discover_modes
from i18n_pipeline.engines.apertium_modes import Mode, parse_stages
from i18n_pipeline.engines.apertium_stream import deformat, marked_words, unknown_in_analysis
from i18n_pipeline.errors import EngineError
from i18n_pipeline.model import PLACEHOLDER_RE
from tests.catalog_cases import NO_EVAL
from tests.paths import EVAL

SPANISH_WORDS = {"el", "la", "los", "las", "de", "del", "y", "en", "es", "un", "una", "que", "a"}
FRENCH_WORDS = {"le", "la", "les", "de", "du", "des", "et", "en", "est", "un", "une", "que", "à"}
ENGLISH_WORDS = {"the", "is", "and", "of", "to", "was", "with", "this"}


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", PLACEHOLDER_RE.sub(" ", text).lower()))


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(text))


@pytest.fixture(scope="module")
def apertium() -> Iterator[ApertiumEngine]:
    engine = get_engine("apertium")
    assert isinstance(engine, ApertiumEngine)
    with engine:
        yield engine


def fake_modes(tmp_path: Path, **modes: str) -> Path:
    """A modes directory: fake_modes(tmp, eng_spa="sed -u s/a/a/") writes eng-spa.mode."""
    directory = tmp_path / "modes"
    directory.mkdir(parents=True, exist_ok=True)
    for name, command in modes.items():
        (directory / f"{name.replace('_', '-')}.mode").write_text(command + "\n")
    return directory


# -- real translations ------------------------------------------------------------------------


def test_discovers_installed_pairs_in_iso_639_1(apertium: ApertiumEngine) -> None:
    assert {("en", "es"), ("es", "en"), ("es", "fr"), ("fr", "es")} <= set(apertium.pairs())
    assert apertium.supports("en", "es") and apertium.supports("en", "fr")
    assert not apertium.supports("en", "xx")
    assert apertium.describe("en", "es") == "apertium eng-spa"


def test_english_to_spanish(apertium: ApertiumEngine) -> None:
    sources = [
        "The house is very big.",
        "The minister said that the new law will help families.",
        "The black dog and the white cat are in the garden.",
    ]
    outputs = apertium.translate_batch(sources, "en", "es")
    assert len(outputs) == len(sources)
    for output in outputs:
        assert words(output) & SPANISH_WORDS, output
        assert not words(output) & ENGLISH_WORDS, output
        assert output.endswith("."), output
        assert not re.search(r"[*#@]", output), output
    assert "casa" in outputs[0].lower()


def test_english_to_french_pivots_through_spanish(apertium: ApertiumEngine) -> None:
    description = apertium.describe("en", "fr")
    assert description.startswith("apertium en→es→fr")
    assert "eng-spa" in description and "es-fr" in description
    outputs = apertium.translate_batch(
        ["The house is very big.", "Read <1>the report</1> at <2/> today."], "en", "fr"
    )
    assert "maison" in outputs[0].lower()
    assert words(outputs[0]) & FRENCH_WORDS and not words(outputs[0]) & ENGLISH_WORDS
    assert placeholders(outputs[1]) == ["</1>", "<1>", "<2/>"]
    assert outputs[1].index("<1>") < outputs[1].index("</1>")


def test_placeholders_urls_and_addresses_survive(apertium: ApertiumEngine) -> None:
    sources = [
        "Read <1>the report</1> at <2/> today.",
        "The <1>black</1> dog and the <2>red</2> cat.<3/>",
        "<1/>",
        "Visit https://example.org/a_b?x=1&y=2 or write to press@example.com today.",
    ]
    outputs = apertium.translate_batch(sources, "en", "es")
    for source, output in zip(sources, outputs, strict=True):
        assert placeholders(output) == placeholders(source), output
        for match in re.finditer(r"<(\d+)>", source):
            assert output.index(match.group(0)) < output.index(f"</{match.group(1)}>")
    assert outputs[2] == "<1/>"
    assert "https://example.org/a_b?x=1&y=2" in outputs[3]
    assert "press@example.com" in outputs[3]


def test_unknown_words_carry_no_marks(apertium: ApertiumEngine) -> None:
    [output] = apertium.translate_batch(["Zorblax frobnicated the trafficked widget."], "en", "es")
    assert "Zorblax" in output and "frobnicated" in output
    assert not re.search(r"[*#@]", output), output


def test_translate_detailed_names_the_words_apertium_did_not_know(apertium: ApertiumEngine) -> None:
    texts = ["People are trafficked annually.", "", "The office of <1/> in Tapachula opened.", "People are trafficked annually."]
    detailed = apertium.translate_detailed(texts, "en", "es")
    assert [d.text for d in detailed] == apertium.translate_batch(texts, "en", "es")  # the same text, unmarked
    assert [d.unknown_words for d in detailed] == [("trafficked",), (), (), ("trafficked",)]  # names are not reported
    assert {(d.engine, d.provenance) for d in detailed} == {("apertium", "apertium eng-spa")}
    assert "*" not in detailed[0].text


def test_through_the_pivot_the_second_legs_unknown_words_are_spanish(apertium: ApertiumEngine) -> None:
    [detailed] = apertium.translate_detailed(["The CNDH (by its Spanish acronym) says people are trafficked."], "en", "fr")
    assert detailed.unknown_words == ("trafficked", "acrónimo")  # English from the first leg, Spanish from the second
    assert "acrónimo" in detailed.text and "trafficked" in detailed.text
    assert detailed.provenance.startswith("apertium en→es→fr")


def test_stream_format_characters_round_trip(apertium: ApertiumEngine) -> None:
    special = "\\ ^ $ / < > [ ] { } @ * # ~"
    sources = [special, "Cost: 5 < 6 and {x} [note] a\\b ^up$ *star* #tag ~x @home.", "[]", "\\"]
    outputs = apertium.translate_batch(sources, "en", "es")
    assert outputs[0] == special
    for char in special.split():
        assert outputs[1].count(char) == sources[1].count(char), (char, outputs[1])
    assert outputs[2:] == ["[]", "\\"]


def test_empty_and_whitespace_only_texts_and_outer_whitespace(apertium: ApertiumEngine) -> None:
    sources = ["", " ", "\n\t ", "  The house is big.\n", "Line one\nline two"]
    outputs = apertium.translate_batch(sources, "en", "es")
    assert outputs[:3] == sources[:3]
    assert outputs[3].startswith("  ") and outputs[3].endswith(".\n") and "casa" in outputs[3]
    assert outputs[4].count("\n") == 1
    assert apertium.translate_batch([], "en", "es") == []


# apertium-tagger 3.8 rewrites its open ambiguity class at each word whose class its model lacks
# ("worn": adjective or participle): without the settling words, what a pipeline translated
# before changes how it tags what comes after ("claims" became a plural noun, "served" a past
# participle, "has not stopped" "ha no paró" in only one of the two orders).
CONTEXT = "A trench coat may be worn over jeans, as a dress"
SENSITIVE = [
    "Tymoshenko claims the verdict is a political revenge of the regime.",
    "We participated in a shooting, served Islam, and our politicians got rid of a dictator.",
    "The report says that everything leads to the conclusion that Iran has not stopped striving for a weapon",
]


@pytest.mark.parametrize("sentence", SENSITIVE)
def test_a_sentence_is_translated_the_same_whatever_came_before(sentence: str) -> None:
    with ApertiumEngine() as fresh:
        alone = fresh.translate_batch([sentence], "en", "es")[0]
    with ApertiumEngine() as used:
        after = used.translate_batch([CONTEXT, sentence], "en", "es")[1]
    assert after == alone


def test_without_the_settling_words_the_tagger_carries_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reason for the settling words, kept honest: if a new Apertium fixes the tagger, this
    fails and the words (apertium_pipeline.SETTLING_WORDS) can go."""
    monkeypatch.setattr(apertium_pipeline, "SETTLING_WORDS", {})
    changed = 0
    for sentence in SENSITIVE:
        with ApertiumEngine() as fresh:
            alone = fresh.translate_batch([sentence], "en", "es")[0]
        with ApertiumEngine() as used:
            changed += used.translate_batch([CONTEXT, sentence], "en", "es")[1] != alone
    assert changed >= 2


def test_two_thousand_segments_stream_through_one_pipeline_in_order(tmp_path: Path) -> None:
    sources = [f"The house number {i} is very big and the garden is green." for i in range(2000)]
    sources += sources[:50]  # duplicates are sent once
    with ApertiumEngine() as engine:
        started = time.perf_counter()
        outputs = engine.translate_batch(sources, "en", "es")
        elapsed = time.perf_counter() - started
        assert engine.pipelines_started == 1
        assert len(outputs) == len(sources)
        for i, output in enumerate(outputs[:2000]):
            assert re.search(rf"\b{i}\b", output), (i, output)
            assert "casa" in output
        assert outputs[2000:] == outputs[:50]
        # A second batch reuses the same pipeline.
        engine.translate_batch(["The cat."], "en", "es")
        assert engine.pipelines_started == 1
    assert elapsed < 60


def test_unknown_words_come_from_the_pipelines_own_analyser_as_from_a_second_pass() -> None:
    """The first stage's output, taken on its way to the second stage, names the same unknown
    words as the analyser run alone over the same input (what a second lt-proc pass did), and
    the translations are those of translate_batch."""
    news = EVAL / "parallel" / "wmt-en-es" / "newstest2012.en"
    if not news.is_file():
        pytest.skip(NO_EVAL)
    sentences = news.read_text(encoding="utf-8").splitlines()[:400]
    with ApertiumEngine() as engine, ApertiumEngine() as plain:
        mode = engine.modes[("en", "es")]
        alone = apertium_pipeline.StagePipeline(
            Mode("analyser", mode.source, mode.target, mode.path, mode.stages[:1]), 60.0)
        try:
            payloads = [(deformat(s.strip()) + "[]").encode() for s in sentences]
            expected = [
                tuple(dict.fromkeys(w for w in unknown_in_analysis(a.decode())
                                    + marked_words(t.decode()) if w[:1].islower()))
                for a, t in zip(alone.run(payloads), plain._pipeline(mode).run(payloads), strict=True)
            ]
        finally:
            alone.stop()
        detailed = engine.translate_detailed(sentences, "en", "es")
        assert [d.unknown_words for d in detailed] == expected
        assert sum(map(len, expected)) > 20  # news text has words Apertium lacks
        assert [d.text for d in detailed] == plain.translate_batch(sentences, "en", "es")


def test_two_pipelines_per_pair_give_what_one_gives() -> None:
    """pipelines: 2 splits each batch between two pipelines per mode (en→fr: per leg); every
    text and unknown word is what one pipeline gives."""
    news = EVAL / "parallel" / "wmt-en-es" / "newstest2012.en"
    if not news.is_file():
        pytest.skip(NO_EVAL)
    sentences = news.read_text(encoding="utf-8").splitlines()[400:700]
    with ApertiumEngine(pipelines=1) as one, ApertiumEngine(pipelines=2) as two:
        for target in ("es", "fr"):
            assert two.translate_detailed(sentences, "en", target) == one.translate_detailed(sentences, "en", target)
        assert one.pipelines_started == 2  # eng-spa and spa-fra
        assert two.pipelines_started == 4


def test_the_pipelines_option() -> None:
    assert apertium_module.pipeline_count("auto", cores=2) == 1
    assert apertium_module.pipeline_count("auto", cores=8) == 2
    assert apertium_module.pipeline_count(" Auto ", cores=64) == 16
    assert apertium_module.pipeline_count("3") == 3
    assert ApertiumEngine(pipelines=2).pipelines == 2
    for wrong in (0, -1, "many", 1.5, True):
        with pytest.raises(EngineError, match="'auto' or a whole number from 1"):
            apertium_module.pipeline_count(wrong)  # type: ignore[arg-type]


@pytest.mark.parametrize("stage", [0, 1, -1])  # the analyser, the stage after the relay, the last
def test_a_dead_stage_around_the_relay_restarts_the_pipeline(stage: int) -> None:
    text = ["The trafficked house is big.", "The cat sleeps."]
    with ApertiumEngine() as fresh:
        expected = fresh.translate_detailed(text, "en", "es")
    with ApertiumEngine() as engine:
        engine.warm_up("en", "es")
        proc = engine._pipelines["eng-spa"][0]._procs[stage]  # we started it; we may stop it
        proc.kill()
        proc.wait()
        assert engine.translate_detailed(text, "en", "es") == expected
        assert engine.pipelines_started == 2
    assert expected[0].unknown_words == ("trafficked",)


def test_dead_pipeline_is_restarted_once(apertium: ApertiumEngine) -> None:
    with ApertiumEngine() as engine:
        engine.warm_up("en", "es")
        assert engine.pipelines_started == 1
        for proc in engine._pipelines["eng-spa"][0]._procs:  # we started them; we may stop them
            proc.kill()
            proc.wait()
        [output] = engine.translate_batch(["The house is big."], "en", "es")
        assert "casa" in output
        assert engine.pipelines_started == 2


# -- failures, with fake modes ----------------------------------------------------------------


def test_missing_pair_names_the_debian_package(tmp_path: Path) -> None:
    real = discover_modes()[("es", "fr")].path
    directory = fake_modes(tmp_path, es_fr=real.read_text().strip())
    with ApertiumEngine(modes_dir=directory) as engine:
        assert engine.supports("es", "fr")
        assert not engine.supports("en", "es")
        with pytest.raises(EngineError) as caught:
            engine.translate_batch(["The house."], "en", "es")
        message = str(caught.value)
        assert "apertium-eng-spa" in message and "sudo apt-get install" in message
        with pytest.raises(EngineError, match="apertium-eng-spa"):
            engine.describe("en", "fr")
    with ApertiumEngine(modes_dir=fake_modes(tmp_path / "x")) as engine, pytest.raises(EngineError, match="apertium-fr-es"):
        engine.translate_batch(["La casa."], "es", "fr")


def test_modes_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APERTIUM_MODES", str(fake_modes(tmp_path, eng_spa="sed -u s/a/a/")))
    with ApertiumEngine() as engine:
        assert engine.pairs() == [("en", "es")]


def test_missing_program_says_apertium_is_not_installed(tmp_path: Path) -> None:
    directory = fake_modes(tmp_path, eng_spa="no-such-apertium-stage /x/eng-spa.bin | sed -u p")
    missing = pytest.raises(EngineError, match=r"not installed.*sudo apt-get install apertium")
    with ApertiumEngine(modes_dir=directory) as engine, missing:
        engine.translate_batch(["The house."], "en", "es")


def test_stage_that_never_answers_times_out(tmp_path: Path) -> None:
    # sed without -u buffers its output when writing to a pipe: it never answers.
    directory = fake_modes(tmp_path, eng_spa="sed s/a/a/")
    with ApertiumEngine(modes_dir=directory, timeout=1) as engine:
        started = time.perf_counter()
        with pytest.raises(EngineError, match="no output for 1 s"):
            engine.translate_batch(["The house.", "The cat."], "en", "es")
        assert time.perf_counter() - started < 10


def test_stage_that_dies_reports_its_stderr(tmp_path: Path) -> None:
    directory = fake_modes(tmp_path, eng_spa="sed -u s/a/b/w/nonexistent-dir/out")
    with ApertiumEngine(modes_dir=directory, timeout=5) as engine:
        with pytest.raises(EngineError, match=r"died twice.*sed exited with .*nonexistent"):
            engine.translate_batch(["The house."], "en", "es")
        assert engine.pipelines_started == 2


def test_fake_identity_mode_round_trips_through_deformat(tmp_path: Path) -> None:
    directory = fake_modes(tmp_path, eng_spa="sed -u s/a/a/ | sed -u s/b/b/")
    texts = ["a <1>b</1> c<2/>", "\\ ^ $ / < > [ ] { } @ * # ~", "x\ny", " pad "]
    with ApertiumEngine(modes_dir=directory) as engine:
        assert engine.translate_batch(texts * 300, "en", "es") == texts * 300
        assert engine.pipelines_started == 1


# -- modes ------------------------------------------------------------------------------------


def test_parse_stages_adds_null_flush_and_resolves_arguments() -> None:
    stages = parse_stages("lt-proc 'a b.bin' | apertium-tagger -g $2 x.prob | lt-proc $1 g.bin")
    assert stages == (
        ("lt-proc", "-z", "a b.bin"),
        ("apertium-tagger", "-z", "-g", "x.prob"),
        ("lt-proc", "-z", "-n", "g.bin"),
    )
