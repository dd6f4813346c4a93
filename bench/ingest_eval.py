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
* scraped pages (``--scraped``, also run by default): the same 13 pages as a scraper or a copy
  from a browser leaves them (:func:`scraped_text`: the page's text, one line per block, site
  chrome and all), ingested as text. Per page: coverage as above; precision = the share of our
  body's tokens that are tokens of the expected text (what is left is site chrome); whether the
  headline was found (the readability pages' expected title, the trafilatura cases' title).
  ``--scraped-dir DIR`` adds ``*.txt`` files (scraped pages of other sites) to the report of
  dropped lines per rule, without expectations.
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
from typing import Any

import lxml.html  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from i18n_pipeline.ingest import ingest  # noqa: E402
from i18n_pipeline.ingest.language import detect_language  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "html-pages"


_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "table",
           "section", "article", "header", "footer", "nav", "aside", "form", "figure", "figcaption", "blockquote",
           "main", "title", "dt", "dd", "dl", "option", "select", "button", "label", "pre", "hr"}
_HIDDEN = {"script", "style", "noscript", "template", "svg", "iframe", "head"}


def scraped_text(html: bytes) -> str:
    """What a scraper (or "select all, copy" in a browser) leaves of a page: the title, then
    the text of the body, one line per block element, inline elements glued as they are."""
    tree = lxml.html.document_fromstring(html)
    lines: list[str] = [" ".join((tree.findtext(".//title") or "").split())]
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else "#comment"
        if tag in _HIDDEN or tag == "#comment":
            current.append(element.tail or "")
            return
        block = tag in _BLOCKS
        if block:
            flush()
        current.append(element.text or "")
        for child in element:
            walk(child)
        if block:
            flush()
        current.append(element.tail or "")

    body = tree.find("body")
    walk(body if body is not None else tree)
    flush()
    return "\n".join(line for line in lines if line) + "\n"


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


def precision(expected: str, ours: str) -> float:
    """The share of our tokens that are tokens of the expected text (multisets)."""
    wanted = Counter(words(expected))
    have = Counter(words(ours))
    total = sum(have.values())
    return sum(min(n, wanted[w]) for w, n in have.items()) / total if total else 1.0


def scraped_cases() -> list[tuple[str, Path, str, str, list[str], list[str]]]:
    """(name, page, expected text, expected title, "with" snippets, "without" snippets) of every
    eval page: the readability pages have their whole expected text, the trafilatura cases
    snippets that must be in the text and snippets that must not."""
    cases: list[tuple[str, Path, str, str, list[str], list[str]]] = []
    for folder in sorted(p for p in (EVAL / "readability").iterdir() if p.is_dir()):
        expected = str(lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8")).text_content())
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        cases.append((folder.name, folder / "source.html", expected, str(meta.get("title") or ""), [], []))
    for case in json.loads((EVAL / "trafilatura" / "evaldata.subset.json").read_text(encoding="utf-8")).values():
        cases.append((case["file"], EVAL / "trafilatura" / case["file"], "", str(case.get("title") or ""),
                      case["with"], case["without"]))
    return cases


def run_scraped(verbose: bool) -> tuple[float, float, int, int, int, int, Counter[str]]:
    """On the scraped pages: mean coverage and mean precision (readability pages), trafilatura
    cases passed and their number, headlines found and pages with an expected headline, and the
    dropped lines per rule."""
    coverages, precisions, passed, snippet_cases, titles, with_title = [], [], 0, 0, 0, 0
    rules: Counter[str] = Counter()
    for name, page, expected, title, with_, without in scraped_cases():
        language = detect_language(expected or " ".join(with_)) or "en"  # the release's language is the project's
        result = ingest(scraped_text(page.read_bytes()).encode("utf-8"), f"{name}.txt", fmt="text", source_language=language)
        rules.update(d.rule for d in result.dropped)
        body = markdown_text(body_of(result.markdown))
        ours_title = squeeze(str(result.metadata.get("title", "")))
        found = bool(title) and squeeze(title).casefold() == ours_title.casefold()
        titles += found
        with_title += bool(title)
        note = f"headline {'found' if found else 'MISSED: ' + repr(ours_title[:60]) if title else '(none expected)'}"
        if expected:
            coverages.append(coverage(expected, body))
            precisions.append(precision(expected + " " + title, body))
            note = f"coverage {coverages[-1]:.3f}, precision {precisions[-1]:.3f}, {note}"
        else:
            text = squeeze(ours_title + "\n" + body)
            missing = [s for s in with_ if squeeze(s) not in text]
            present = [s for s in without if squeeze(s) in text]
            passed += not missing and not present
            snippet_cases += 1
            note = f"missing {len(missing)}, unwanted {len(present)}, {note}"
        if verbose:
            print(f"  scraped {name}: {note}")
    return (sum(coverages) / len(coverages), sum(precisions) / len(precisions), passed, snippet_cases, titles,
            with_title, rules)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compare", action="store_true", help="also measure the raw extraction libraries")
    parser.add_argument("--scraped-dir", type=Path, help="more scraped pages (*.txt): dropped lines per rule")
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
    cov, prec, passed, cases, titles, pages, rules = run_scraped(verbose=True)
    print(f"# scraped pages: readability mean coverage {cov:.3f}, mean precision {prec:.3f}; "
          f"trafilatura {passed}/{cases}; headline {titles}/{pages}")
    if args.scraped_dir:
        for path in sorted(args.scraped_dir.glob("*.txt")):
            result = ingest(path.read_bytes(), str(path), fmt="text")
            rules.update(d.rule for d in result.dropped)
            kept = len(markdown_text(body_of(result.markdown)).split())
            meta = result.metadata
            print(f"  {path.name}: title {str(meta.get('title', ''))[:60]!r}, {len(result.dropped)} lines dropped, "
                  f"{kept} words kept, place {meta.get('place')!r}, contacts {len(meta.get('contacts') or [])}")
    print("# dropped lines per rule: " + ", ".join(f"{rule} {n}" for rule, n in rules.most_common()))
    passed, total, lowest, seconds = run(ours, verbose=True)
    print(f"# ingest: 13 pages in {seconds:.2f} s")
    print(f"trafilatura {passed}/{total}")
    print(f"readability {lowest:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
