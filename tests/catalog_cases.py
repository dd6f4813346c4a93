"""Catalogs and checks shared by test_catalog.py (the model) and test_pofile.py (the files)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import strategies as st

from i18n_pipeline.catalog import Catalog, TemplateEntry, new_template, update_catalog
from tests.paths import EVAL

PO4A_T = EVAL / "peer-suites" / "po4a" / "t"
NO_EVAL = f"evaluation files not found under {EVAL} (../shared/eval is absent outside CI)"

LONG = (
    "The regional government announced on Monday that it will invest 45 million euros in "
    "the modernisation of the public transport network over the next three years, "
    "according to a statement published this morning."
)
LONG_EDITED = LONG.replace("Monday", "Tuesday")
PROVENANCE = "machine translation: apertium eng-spa, 2026-11-29"
CLOCK = "2026-11-29 12:00+0000"  # what catalog._now answers in these tests


def run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, input=data, capture_output=True, check=False)


def assert_gettext_clean(data: bytes, tmp_path: Path, name: str = "check.po", *, msgfmt: bool = True) -> None:
    """msgfmt -c accepts the bytes and msgcat leaves them unchanged."""
    path = tmp_path / name
    path.write_bytes(data)
    if msgfmt:
        checked = run(["msgfmt", "-c", "-o", os.devnull, str(path)])
        assert checked.returncode == 0, checked.stderr.decode()
    catted = run(["msgcat", str(path)])
    assert catted.returncode == 0, catted.stderr.decode()
    if catted.stdout != data:
        diff = run(["diff", "-u", str(path), "-"], catted.stdout).stdout.decode()
        pytest.fail(f"msgcat changes our output:\n{diff}")


def tricky_entries() -> list[TemplateEntry]:
    refs = tuple(f"seed-release-with-a-long-name:p{i}" for i in range(1, 9))
    return [
        TemplateEntry("Press release", None, ("seed-release:h1",), ("heading",)),
        TemplateEntry(LONG, None, ("seed-release:p1",), ("paragraph",)),
        TemplateEntry("Contact", "menu", ("seed-release:meta:contact",), ()),
        TemplateEntry("Contact", "footer", refs, ("footer", "shown at the bottom of every page")),
        TemplateEntry(
            "Read <1>the full report</1> on <2/> or write to <3/>.",
            None,
            ("seed-release:p2",),
            ("<1> = link to https://example.org/report?id=42&lang=en", "<2/> = URL", "<3/> = e-mail"),
        ),
        TemplateEntry(
            'He said: "We\\are \'ready\'"\tand left.\nNew line here, then a very long tail of words '
            "that needs wrapping beyond the seventy-nine column limit of gettext.",
            None,
            ("seed-release:p3",),
            (),
        ),
        TemplateEntry(
            "Ünïcödé — «citation» and “quotes”, 100 % sûr, 東京で記者会見を開きました。" * 2, None, ("seed-release:p4",), ()
        ),
        TemplateEntry("A" * 120, None, ("seed-release:p5",), ()),
        TemplateEntry("no wrap " * 15, None, ("seed-release:p6",), (), ("no-wrap",)),
        TemplateEntry("Line one\nLine two\n", None, ("seed-release:p7",), ("multi\nline note",)),
        TemplateEntry(
            "http://example.org/a/very/long/path/that/keeps/going/and/going/index.html?x=1&y=2", None, ("seed-release:p8",), ()
        ),
        TemplateEntry("Ends with a tab\t", "ctx with \"quotes\"", ("seed-release:p9",), ()),
    ]


def spanish_catalog() -> Catalog:
    template = new_template(tricky_entries(), project="seed", creation_date="2026-11-29 10:00+0000")
    return update_catalog(None, template, language="es", project="seed")


def template(*sources: str) -> Catalog:
    return new_template(
        [TemplateEntry(s, None, (f"rel:p{i}",), (f"note {i}",)) for i, s in enumerate(sources, 1)],
        project="seed",
        creation_date="2026-11-29 10:00+0000",
    )


def translated(*sources: str) -> Catalog:
    po = update_catalog(None, template(*sources), language="es", project="seed")
    for s in sources:
        po.set_suggestion(s, None, f"ES {s}", "", approved=True)
    return po


# --- random catalogs (the Hypothesis properties of test_catalog.py and test_pofile.py) ----------

# Words with what PO escaping and our placeholders make hard: quotes, backslashes, tabs, markup.
PROPERTY_WORDS = [
    "the", "council", "approved", "new", "budget", "on", "Monday", "for", "schools",
    "río", "«plan»", "50 %", "<1>link</1>", "\"q\"", "a\\b", "tab\there",
]

sentence = st.lists(st.sampled_from(PROPERTY_WORDS), min_size=1, max_size=25).map(lambda ws: " ".join(ws) + ".")


def bare_template(sources: list[str]) -> Catalog:
    """A template of ``sources``: one reference each, no notes, a fixed date."""
    return new_template(
        [TemplateEntry(s, None, (f"rel:p{i}",), ()) for i, s in enumerate(sources)],
        project="prop",
        creation_date="2026-11-29 10:00+0000",
    )
