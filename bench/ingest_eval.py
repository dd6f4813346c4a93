"""Evaluate the ingest stage on third-party HTML pages (read in place from ../shared/eval).

Run from the repository root::

    python bench/ingest_eval.py            # our ingest
    python bench/ingest_eval.py --compare  # also raw trafilatura, readability-lxml, jusText

The last two lines are always::

    trafilatura <pages passed>/6
    readability <lowest coverage>

* trafilatura suite (``html-pages/trafilatura``, ``evaldata.subset.json``): a page passes when
  every "with" snippet occurs in the ingested release and no "without" snippet does. The
  release is compared as text: the front-matter title, then the Markdown body rendered with
  markdown-it-py and reduced to its text, whitespace squeezed.
* readability suite (``html-pages/readability/<name>``): coverage = the fraction of the word
  tokens of ``expected.html`` (its text, lowercased, ``\\w+`` tokens) found in the multiset of
  the word tokens of our body text (each of our tokens matches at most one expected token).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from i18n_pipeline.ingest import ingest  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "html-pages"


def markdown_text(markdown: str) -> str:
    """The text a reader sees in a Markdown body."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(markdown)
    if not html.strip():
        return ""
    return str(lxml.html.fromstring(f"<div>{html}</div>").text_content())


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def coverage(expected: str, ours: str) -> float:
    wanted = Counter(words(expected))
    have = Counter(words(ours))
    total = sum(wanted.values())
    return sum(min(n, have[w]) for w, n in wanted.items()) / total if total else 1.0


def body_of(markdown: str) -> str:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        if end >= 0:
            return markdown[end + 5 :]
    return markdown


def ours(page: Path) -> tuple[str, str]:
    """(title, body text) of our ingest of a page."""
    result = ingest(page.read_bytes(), str(page))
    title = str(result.metadata.get("title", ""))
    return title, markdown_text(body_of(result.markdown))


def extractors() -> dict[str, Callable[[Path], tuple[str, str]]]:
    """Ours, plus the raw libraries for the comparison (those that are installed)."""
    found: dict[str, Callable[[Path], tuple[str, str]]] = {"ingest": ours}
    try:
        import trafilatura

        def raw_trafilatura(page: Path) -> tuple[str, str]:
            html = page.read_bytes()
            text = trafilatura.extract(html, output_format="markdown", include_links=True, include_formatting=True) or ""
            meta = trafilatura.extract_metadata(html)
            return (meta.title or "") if meta else "", markdown_text(text)

        found["trafilatura (raw)"] = raw_trafilatura
    except ImportError:
        pass
    try:
        from readability import Document  # type: ignore[import-untyped, import-not-found, unused-ignore]  # optional, maybe absent

        def readability_lxml(page: Path) -> tuple[str, str]:
            doc = Document(page.read_bytes())
            return doc.short_title(), str(lxml.html.fromstring(doc.summary()).text_content())

        found["readability-lxml"] = readability_lxml
    except ImportError:
        pass
    try:
        import justext  # type: ignore[import-untyped]

        def jus_text(page: Path) -> tuple[str, str]:
            stop = justext.get_stoplist("English") | justext.get_stoplist("Spanish") | justext.get_stoplist("French")
            paragraphs = justext.justext(page.read_bytes(), stop)
            return "", "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

        found["jusText"] = jus_text
    except ImportError:
        pass
    return found


def run(extract: Callable[[Path], tuple[str, str]], verbose: bool) -> tuple[int, int, float, float]:
    started = time.perf_counter()
    cases = json.loads((EVAL / "trafilatura" / "evaldata.subset.json").read_text(encoding="utf-8"))
    passed = 0
    for case in cases.values():
        title, body = extract(EVAL / "trafilatura" / case["file"])
        text = squeeze(title + "\n" + body)
        missing = [s for s in case["with"] if squeeze(s) not in text]
        present = [s for s in case["without"] if squeeze(s) in text]
        passed += not missing and not present
        if verbose:
            status = "pass" if not missing and not present else "FAIL"
            print(f"  {status} {case['file']}: missing {len(missing)}, unwanted {len(present)}")
    lowest = 1.0
    for folder in sorted(p for p in (EVAL / "readability").iterdir() if p.is_dir()):
        expected = str(lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8")).text_content())
        _, body = extract(folder / "source.html")
        share = coverage(expected, body)
        lowest = min(lowest, share)
        if verbose:
            print(f"  coverage {folder.name}: {share:.3f}")
    return passed, len(cases), lowest, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", action="store_true", help="also measure the raw extraction libraries")
    args = parser.parse_args(argv)
    logging.getLogger("i18n_pipeline").setLevel(logging.ERROR)  # language warnings are expected here
    if not EVAL.is_dir():
        print(f"evaluation data not found at {EVAL}", file=sys.stderr)
        return 1
    if args.compare:
        for name, extract in extractors().items():
            if name == "ingest":
                continue
            passed, total, lowest, seconds = run(extract, verbose=False)
            print(f"# {name}: trafilatura suite {passed}/{total}, readability lowest coverage {lowest:.3f}, {seconds:.2f} s")
    passed, total, lowest, seconds = run(ours, verbose=True)
    print(f"# ingest: 13 pages in {seconds:.2f} s")
    print(f"trafilatura {passed}/{total}")
    print(f"readability {lowest:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
