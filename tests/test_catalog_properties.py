"""Property: merging never loses or changes a reviewed translation.

Random histories: the template's sentences are edited, inserted and deleted; translators approve
or edit entries; the pipeline re-runs update_catalog and machine-translates what is empty. After
every step, a reviewed translation whose source is still in the template is unchanged, and one
whose source left is kept as obsolete with its translation. Every catalog also survives a
serialise/parse round trip unchanged.
"""

from __future__ import annotations

import subprocess

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_pipeline.catalog import Catalog, TemplateEntry, new_template, update_catalog
from i18n_pipeline.model import State
from i18n_pipeline.pofile import po_bytes, read_po_bytes

WORDS = ["the", "council", "approved", "new", "budget", "on", "Monday", "for", "schools", "río", "«plan»", "50 %", "<1>link</1>", "\"q\"", "a\\b", "tab\there"]

sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(lambda ws: " ".join(ws) + ".")

edit = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 50), sentence),
    st.tuples(st.just("delete"), st.integers(0, 50), st.none()),
    st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from(WORDS)),
    st.tuples(st.just("approve"), st.integers(0, 50), st.none()),
    st.tuples(st.just("translate"), st.integers(0, 50), sentence),
    st.tuples(st.just("rerun"), st.integers(0, 1), st.none()),
)


def _template(sources: list[str]) -> Catalog:
    return new_template(
        [TemplateEntry(s, None, (f"rel:p{i}",), ()) for i, s in enumerate(sources)],
        project="prop",
        creation_date="2026-11-29 10:00+0000",
    )


def _translator_saves(po: Catalog) -> Catalog:
    """What a translator's tool gives back: the file re-read from our bytes."""
    data = po_bytes(po)
    again = read_po_bytes(data, "es.po")
    assert po_bytes(again) == data
    return again


def _check(po: Catalog, sources: list[str], reviewed: dict[str, str]) -> None:
    current = set(sources)
    obsolete = {e.source: e.target for e in po.obsolete()}
    for source, target in reviewed.items():
        if source in current:
            entry = po.get(source)
            assert entry is not None and entry.state is State.REVIEWED and entry.target == target
        else:
            assert obsolete.get(source) == target


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    initial=st.lists(sentence, min_size=1, max_size=8, unique=True),
    steps=st.lists(edit, max_size=15),
    fuzzy=st.booleans(),
)
def test_reviewed_translations_are_never_lost(initial: list[str], steps: list[tuple[str, int, str | None]], fuzzy: bool) -> None:
    sources = list(initial)
    po = update_catalog(None, _template(sources), language="es", project="prop")
    reviewed: dict[str, str] = {}
    for action, index, payload in steps:
        if action == "insert" and payload is not None and payload not in sources:
            sources.insert(index % (len(sources) + 1), payload)
        elif action == "delete" and sources:
            sources.pop(index % len(sources))
        elif action == "edit" and sources and payload is not None:
            i = index % len(sources)
            changed = sources[i].replace(".", f" {payload}.", 1)
            if changed not in sources:
                sources[i] = changed
        elif action in {"approve", "translate"}:
            entries = [e for e in po.entries() if e.state is not State.REVIEWED]
            if entries:
                entry = entries[index % len(entries)]
                target = payload if action == "translate" and payload else (entry.target or "aprobado")
                po.set_suggestion(entry.source, entry.context, target, "", approved=True)
                reviewed[entry.source] = target
        # the pipeline run after every step: merge, then machine-translate what is empty
        po = update_catalog(_translator_saves(po), _template(sources), language="es", project="prop", fuzzy_matching=fuzzy)
        for entry in po.entries():
            if entry.state is State.UNTRANSLATED:
                po.set_machine_translation(entry.source, entry.context, f"MT {entry.source}", "machine translation: pseudo")
        _check(po, sources, reviewed)
        # a reviewed source that left and came back is resurrected with its translation
        reviewed = {s: t for s, t in reviewed.items() if s in sources or any(o.source == s for o in po.obsolete())}


@settings(max_examples=40, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=10, unique=True), st.lists(sentence, min_size=0, max_size=10, unique=True))
def test_random_catalogs_are_msgcat_stable(old: list[str], new: list[str]) -> None:
    po = update_catalog(None, _template(old), language="es", project="prop")
    for i, entry in enumerate(po.entries()):
        po.set_suggestion(entry.source, None, entry.source.upper() * (1 + i % 3), "", approved=i % 2 == 0)
    merged = update_catalog(po, _template(new), language="es", project="prop")
    data = po_bytes(merged)
    result = subprocess.run(["msgcat", "-"], input=data, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == data

