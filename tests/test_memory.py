"""Translation memory and MT cache (i18n_pipeline.memory), and its TMX import/export methods.

The TMX format itself is tested in test_tmx.py."""

from __future__ import annotations

import random
import sqlite3  # only to inspect the database file from outside; the package uses memory.py
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from i18n_pipeline.errors import PipelineError
from i18n_pipeline.memory import Match, Memory, normalise_whitespace
from tests.paths import ROOT

BUNDLED_TMX = ROOT / "locales" / "memory.tmx"

LONG_SENTENCES = [
    "The International Organization for Migration presented on Tuesday a study of the assistance "
    "provided to victims of human trafficking in Mexico.",
    "According to the report, most of the victims identified between 2005 and 2010 were women "
    "and girls recruited with false offers of employment.",
    "The study recommends that federal and state authorities strengthen shelters, legal advice "
    "and psychological support for survivors.",
    "Representatives of civil society organisations, academics and government officials attended "
    "the presentation in Mexico City.",
    "The research was funded by the Government of the United States through its Office to "
    "Monitor and Combat Trafficking in Persons.",
    "Journalists who wish to arrange an interview with the chief of mission should contact the "
    "press office before Friday afternoon.",
]

UNRELATED = [
    "Heavy rain closed several mountain roads in the north of the country over the weekend.",
    "The central bank left interest rates unchanged and warned of slower growth next year.",
    "Tickets for the concert sold out within minutes of going on sale on the official website.",
]


@pytest.fixture
def memory() -> Iterator[Memory]:
    with Memory(Path(":memory:")) as mem:
        yield mem


def one_word_edits(sentence: str) -> list[str]:
    words = sentence.split()
    middle = len(words) // 2
    replaced = [*words[:middle], "remarkable", *words[middle + 1 :]]
    deleted = words[:middle] + words[middle + 1 :]
    inserted = [*words[:middle], "recently", *words[middle:]]
    return [" ".join(w) for w in (replaced, deleted, inserted)]


# -- keys -------------------------------------------------------------------------------------


def test_language_codes_are_normalised_for_matching(memory: Memory) -> None:
    memory.learn("es-ES", "FR", [("Hola.", "Salut.", "r")])
    assert memory.exact("es_ES", "fr", "Hola.") is not None
    with pytest.raises(PipelineError, match="language code"):
        memory.exact("Spanish!", "fr", "Hola.")
    # The pair is worked out once (fuzzy asks for each sentence); a bad code is refused each time.
    sentence = "Hola a todos los amigos de la casa."
    memory.learn("es", "fr", [(sentence, "Salut.", "r")])
    for _ in range(2):
        assert [m.target for m in memory.fuzzy("es_ES", "FR", sentence)] == ["Salut."]
        with pytest.raises(PipelineError, match="language code"):
            memory.fuzzy("es", "French!", sentence)


def test_whitespace_key() -> None:
    assert normalise_whitespace("  a \t b\n c ") == "a b c"


# -- learn and exact matches ------------------------------------------------------------------


def test_learn_is_idempotent_and_counts_changes(memory: Memory) -> None:
    pairs = [("Hello.", "Hola.", "release a (reviewed)"), ("Bye.", "Adiós.", "release a (reviewed)")]
    assert memory.learn("en", "es", pairs) == 2
    assert memory.learn("en", "es", pairs) == 0
    assert memory.learn("en", "es", [("Hello.", "¡Hola!", "release a (reviewed)")]) == 1
    assert memory.learn("en", "es", [("Empty.", "", "release a (reviewed)")]) == 0
    match = memory.exact("en", "es", "Hello.")
    assert match == Match("Hello.", "¡Hola!", 1.0, "release a (reviewed)")


def test_exact_tries_whitespace_normalised_text(memory: Memory) -> None:
    memory.learn("en", "es", [("Press  release", "Comunicado", "memory.tmx")])
    assert memory.exact("en", "es", "Press  release") == Match(
        "Press  release", "Comunicado", 1.0, "memory.tmx")
    near = memory.exact("en", "es", " Press release\n")
    assert near is not None and near.target == "Comunicado" and near.score == 0.99
    assert memory.exact("en", "es", "Press releases") is None


def test_exact_uses_normalised_language_and_pair(memory: Memory) -> None:
    memory.learn("en-GB", "es_ES", [("Hello <1>world</1>.", "Hola <1>mundo</1>.", "r")])
    assert memory.exact("en", "es", "Hello <1>world</1>.") is not None
    assert memory.exact("en", "fr", "Hello <1>world</1>.") is None
    assert memory.exact("es", "en", "Hello <1>world</1>.") is None


def test_latest_change_wins_across_origins(memory: Memory) -> None:
    memory.learn("en", "es", [("Thanks.", "Gracias.", "release a (reviewed)")])
    memory.learn("en", "es", [("Thanks.", "Muchas gracias.", "release b (reviewed)")])
    assert memory.exact("en", "es", "Thanks.") == Match(
        "Thanks.", "Muchas gracias.", 1.0, "release b (reviewed)")
    # Re-learning an unchanged pair does not make it newer.
    memory.learn("en", "es", [("Thanks.", "Gracias.", "release a (reviewed)")])
    assert memory.exact("en", "es", "Thanks.").target == "Muchas gracias."  # type: ignore[union-attr]
    # A translator edits release a: that change is now the latest.
    memory.learn("en", "es", [("Thanks.", "Gracias a todos.", "release a (reviewed)")])
    assert memory.exact("en", "es", "Thanks.").target == "Gracias a todos."  # type: ignore[union-attr]


def test_exact_many_answers_a_batch(memory: Memory) -> None:
    pairs = [(f"Sentence number {i}.", f"Frase número {i}.", "r") for i in range(2000)]
    assert memory.learn("en", "es", pairs) == 2000
    queries = [f"Sentence number {i}." for i in range(0, 4000, 2)]
    found = memory.exact_many("en", "es", queries)
    assert len(found) == 1000
    assert found["Sentence number 42."].target == "Frase número 42."
    assert "Sentence number 3000." not in found
    assert memory.exact_many("en", "es", []) == {}


# -- fuzzy matches ----------------------------------------------------------------------------


def test_fuzzy_finds_one_word_edits_of_long_sentences(memory: Memory) -> None:
    memory.learn("en", "es", [(s, f"ES {i}", "r") for i, s in enumerate(LONG_SENTENCES)])
    for i, sentence in enumerate(LONG_SENTENCES):
        for edited in one_word_edits(sentence):
            matches = memory.fuzzy("en", "es", edited)
            assert matches, edited
            assert matches[0].target == f"ES {i}"
            assert matches[0].source == sentence
            assert 0.75 <= matches[0].score < 1.0


def test_fuzzy_ignores_unrelated_sentences(memory: Memory) -> None:
    memory.learn("en", "es", [(s, f"ES {i}", "r") for i, s in enumerate(LONG_SENTENCES)])
    for sentence in UNRELATED:
        assert memory.fuzzy("en", "es", sentence) == []
    assert memory.fuzzy("en", "fr", one_word_edits(LONG_SENTENCES[0])[0]) == []


def test_fuzzy_limit_orders_best_first(memory: Memory) -> None:
    base = LONG_SENTENCES[0]
    variants = [base, *one_word_edits(base)]
    memory.learn("en", "es", [(v, f"ES {i}", "r") for i, v in enumerate(variants)])
    matches = memory.fuzzy("en", "es", base, limit=3)
    assert len(matches) == 3
    assert matches[0].score == 1.0
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_fuzzy_index_follows_learning(memory: Memory) -> None:
    query = one_word_edits(LONG_SENTENCES[1])[0]
    assert memory.fuzzy("en", "es", query) == []
    memory.learn("en", "es", [(LONG_SENTENCES[1], "ES", "r")])
    assert memory.fuzzy("en", "es", query)[0].target == "ES"


def test_fuzzy_prefilter_finds_what_a_full_scan_finds(memory: Memory) -> None:
    rng = random.Random(7)
    vocabulary = [f"{rng.choice('bcdfglmnprst')}{rng.choice('aeiou')}{rng.choice('nrsltm')}"
                  f"{rng.choice('aeiouy')}{i}" for i in range(3000)]
    common = ["the", "of", "and", "to", "in", "a", "that", "for"]
    sentences = list({
        " ".join(rng.choice(common) if rng.random() < 0.4 else rng.choice(vocabulary)
                 for _ in range(rng.randint(6, 30)))
        for _ in range(3000)
    })
    memory.learn("en", "es", [(s, str(i), "r") for i, s in enumerate(sentences)])
    for sentence in rng.sample(sentences, 150):
        words = sentence.split()
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
        query = " ".join(words)
        best = process.extractOne(query, sentences, scorer=fuzz.ratio, score_cutoff=75)
        found = memory.fuzzy("en", "es", query)
        if best is None:
            assert found == []
        else:
            assert found and found[0].score == pytest.approx(round(best[1] / 100, 4))


def test_fuzzy_rejects_a_bad_threshold(memory: Memory) -> None:
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\], not 75"):
        memory.fuzzy("en", "es", "x", threshold=75)


# -- MT cache ---------------------------------------------------------------------------------


def test_cache_returns_stored_translations_for_that_engine_and_pair(memory: Memory) -> None:
    memory.store("apertium", "en", "es", [("One.", "Uno."), ("Two.", "Dos."), ("Void.", "")])
    assert memory.cached("apertium", "en", "es", ["One.", "Two.", "Three.", "Void."]) == {
        "One.": "Uno.", "Two.": "Dos."}
    assert memory.cached("apertium", "en-US", "es_ES", ["One."]) == {"One.": "Uno."}
    assert memory.cached("deepl", "en", "es", ["One."]) == {}
    assert memory.cached("apertium", "en", "fr", ["One."]) == {}
    assert memory.cached("apertium", "en", "es", []) == {}
    memory.store("apertium", "en", "es", [("One.", "Una.")])
    assert memory.cached("apertium", "en", "es", ["One."]) == {"One.": "Una."}


def test_cache_and_memory_persist_on_disk(tmp_path: Path) -> None:
    path = tmp_path / ".i18n-cache" / "memory.sqlite"
    with Memory(path) as mem:
        mem.store("apertium", "en", "es", [("One.", "Uno.")])
        mem.learn("en", "es", [("Two.", "Dos.", "r")])
    with Memory(path) as mem:
        assert mem.cached("apertium", "en", "es", ["One."]) == {"One.": "Uno."}
        assert mem.exact("en", "es", "Two.") is not None
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# -- database robustness ----------------------------------------------------------------------


def test_database_survives_a_killed_process(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from i18n_pipeline.memory import Memory
        mem = Memory(Path({str(path)!r}))
        batch = 0
        while True:
            mem.learn("en", "es", [(f"Sentence {{batch}} {{i}}.", "Frase.", "r") for i in range(200)])
            mem.store("apertium", "en", "es", [(f"Sentence {{batch}} {{i}}.", "Frase.") for i in range(200)])
            print(batch, flush=True)
            batch += 1
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    committed = -1
    for _ in range(20):
        committed = int(child.stdout.readline())
    child.kill()  # SIGKILL: no cleanup, possibly mid-transaction
    child.wait()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Memory(path) as mem:
        sources = [f"Sentence {b} {i}." for b in range(committed + 1) for i in range(200)]
        assert len(mem.exact_many("en", "es", sources)) == len(sources)
        assert len(mem.cached("apertium", "en", "es", sources)) == len(sources)


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(PipelineError, match="delete the file"):
        Memory(path)


def test_a_newer_schema_is_refused_and_an_older_one_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    Memory(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    conn.close()
    with pytest.raises(PipelineError, match="schema version 99"):
        Memory(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 0")
    conn.close()
    with Memory(path) as mem:
        assert mem.learn("en", "es", [("a", "b", "r")]) == 1


# The layout version 1 wrote (before the MT cache kept the engine's unknown words).
SCHEMA_1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE tm (
    id INTEGER PRIMARY KEY, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source_tag TEXT NOT NULL, target_tag TEXT NOT NULL, source TEXT NOT NULL,
    source_key TEXT NOT NULL, target TEXT NOT NULL, origin TEXT NOT NULL, changed INTEGER NOT NULL,
    UNIQUE (source_lang, target_lang, source, origin)
);
CREATE INDEX tm_key ON tm (source_lang, target_lang, source_key);
CREATE TABLE mt_cache (
    engine TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL,
    PRIMARY KEY (engine, source_lang, target_lang, source)
) WITHOUT ROWID;
INSERT INTO schema_version VALUES (1);
INSERT INTO counter VALUES ('changed', 1);
INSERT INTO tm VALUES (1, 'en', 'es', 'en', 'es', 'Two.', 'Two.', 'Dos.', 'r', 1);
INSERT INTO mt_cache VALUES ('apertium', 'en', 'es', 'They are trafficked.', 'Son trafficked.');
"""


def test_a_version_1_cache_is_migrated_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_1)
    conn.close()
    with Memory(path) as mem:
        assert mem.cached("apertium", "en", "es", ["They are trafficked."]) == {"They are trafficked.": "Son trafficked."}
        assert mem.exact("en", "es", "Two.") is not None
        assert mem.unknown_words("apertium", "en", "es", ["They are trafficked."]) == {}  # not known then
        mem.store("apertium", "en", "es", [("They are trafficked.", "Son trafficked.")], {"They are trafficked.": ["trafficked"]})
    with Memory(path) as mem:  # a second open finds the current layout: nothing to migrate
        assert mem.unknown_words("apertium", "en", "es", ["They are trafficked."]) == {"They are trafficked.": ("trafficked",)}
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(2,)]
    conn.close()


def test_the_cache_keeps_the_words_the_engine_did_not_know(memory: Memory) -> None:
    memory.store("apertium", "en", "es", [("One.", "Uno."), ("Are trafficked.", "Son trafficked.")],
                 {"Are trafficked.": ("trafficked",), "Absent.": ("x",)})
    assert memory.unknown_words("apertium", "en", "es", ["One.", "Are trafficked.", "Absent."]) == {
        "Are trafficked.": ("trafficked",)}
    assert memory.unknown_words("deepl", "en", "es", ["Are trafficked."]) == {}
    assert memory.unknown_words("apertium", "en", "es", []) == {}
    memory.store("apertium", "en", "es", [("Are trafficked.", "Son víctimas de trata.")])  # a new answer: words too
    assert memory.unknown_words("apertium", "en", "es", ["Are trafficked."]) == {}


# -- TMX --------------------------------------------------------------------------------------


def test_import_bundled_memory(memory: Memory) -> None:
    assert memory.import_tmx(BUNDLED_TMX) == 2
    title = "Human Trafficking in Mexico: A Study of Assistance Provided to Victims"
    es = memory.exact("en", "es", title)
    fr = memory.exact("en", "fr", title)
    assert es is not None and fr is not None
    assert es.target == "La trata de personas en Mexico: Diagnóstico sobre la asistencia a víctimas"
    assert fr.target == "La traite des êtres humains au Mexique : diagnostic de l'assistance aux victimes"
    assert fr.origin.startswith("memory.tmx") and "working title" in fr.origin
    name = "International Organization for Migration"
    assert memory.exact("en", "es", name).target == (  # type: ignore[union-attr]
        "Organización Internacional para las Migraciones")
    assert memory.exact("en", "fr", name).target == (  # type: ignore[union-attr]
        "Organisation internationale pour les migrations")
    assert memory.import_tmx(BUNDLED_TMX) == 2  # re-import: same units, nothing duplicated
    assert memory.learn("en", "es", [(name, "Organización Internacional para las Migraciones",
                                      memory.exact("en", "es", name).origin)]) == 0  # type: ignore[union-attr]


def test_export_header_and_languages_as_given(memory: Memory, tmp_path: Path) -> None:
    memory.learn("en", "es-ES", [("Hello.", "Hola.", "r")])
    memory.learn("en", "fr", [("Hello.", "Bonjour.", "r")])
    out = tmp_path / "out.tmx"
    assert memory.export_tmx(out, tool_version="9.9") == 1
    text = out.read_text(encoding="utf-8")
    for attribute in ('creationtool="i18n-pipeline"', 'segtype="sentence"', 'adminlang="en"',
                      'srclang="en"', 'datatype="plaintext"', 'o-tmf="i18n-pipeline"', 'creationtoolversion="9.9"',
                      '<tmx version="1.4">', 'xml:lang="es-ES"', 'xml:lang="fr"'):
        assert attribute in text
    assert not list(tmp_path.glob("*.tmp"))


def test_export_filters_by_source_language_or_marks_all(memory: Memory, tmp_path: Path) -> None:
    memory.learn("en", "es", [("Hello.", "Hola.", "r")])
    memory.learn("fr", "es", [("Bonjour.", "Hola.", "r")])
    out = tmp_path / "out.tmx"
    assert memory.export_tmx(out, "fr", tool_version="9.9") == 1
    assert 'srclang="fr"' in out.read_text(encoding="utf-8")
    assert memory.export_tmx(out, tool_version="9.9") == 2
    text = out.read_text(encoding="utf-8")
    assert 'srclang="*all*"' in text and '<tu srclang="fr">' in text
    with Memory(Path(":memory:")) as other:
        assert other.import_tmx(out) == 2
        assert other.exact("fr", "es", "Bonjour.") is not None
        assert other.exact("en", "es", "Hello.") is not None


_PIECES = ["<1>", "</1>", "<2>", "</2>", "<3/>", "<12/>", "</4>", "<007>", "</3/>", "&", "<", ">",
           '"', "'", "]]>", "&amp;", "&xxe;", " ", "  ", "\t", "\n", "\r", "<seg>", "é", "–"]
_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                              blacklist_characters="\ufffe\uffff"), min_size=1, max_size=12),
        st.sampled_from(_PIECES),
    ),
    min_size=1,
    max_size=8,
).map("".join).filter(lambda s: bool(s.strip()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_TEXT, st.tuples(_TEXT, st.sampled_from(["r1", "release b (reviewed)"])),
                       min_size=1, max_size=6))
def test_tmx_round_trip(entries: dict[str, tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "round.tmx"
        with Memory(Path(":memory:")) as first:
            first.learn("en", "es", [(s, t, o) for s, (t, o) in entries.items()])
            assert first.export_tmx(out, tool_version="9.9") == len(entries)
        with Memory(Path(":memory:")) as second:
            assert second.import_tmx(out) == len(entries)
            found = second.exact_many("en", "es", list(entries))
    assert {s: (m.target, m.origin, m.score) for s, m in found.items()} == {
        s: (t, o, 1.0) for s, (t, o) in entries.items()}
