"""The corpus of ``bench/speed.py``: press releases made of real news sentences.

Release ``n`` takes sentences ``15 n … 15 n + 14`` of WMT's newstest2012 (English news, one
sentence a line), grouped into paragraphs of one to four sentences; lines without final
punctuation (the news headlines) become headings, or the title when they open the release. Planted
on top, deterministically per release: a dateline with a date, a link in about a third of the
paragraphs, emphasis in about a quarter, and one sentence of figures (amounts, a percentage, a
year). Past the 3,000 real sentences (the 2,000-release memory run) the text repeats with a
different clause per pass, so that every sentence stays distinct and nothing is answered from a
cache that a real archive would not hit either.

The same releases are written as Markdown (YAML front matter), as HTML pages, and as the plain
text that a translator would hand to ``apertium -u`` as one stream (title and body).
"""

from __future__ import annotations

import html
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

SENTENCES_PER_RELEASE = 15

_PLACES = ("Geneva", "Madrid", "Mexico City", "Nairobi", "Bangkok", "Dakar", "Lima", "Cairo", "Manila", "Kabul")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# One per pass over the corpus after the first: keeps repeated sentences distinct.
_CLAUSES = (
    ", officials said on Monday", ", according to a report published last year", ", the agency said in a statement",
    ", as reported in the morning papers", ", a spokesperson confirmed on Friday", ", local media reported",
    ", the ministry said on Tuesday", ", according to the latest figures", ", witnesses told reporters",
)
_FINAL = re.compile(r"[.!?\"”’')]$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class Run:
    """A stretch of text with at most one kind of inline markup."""

    text: str
    mark: str = ""  # "", "em", "strong" or "link"
    url: str = ""


Sentence = tuple[Run, ...]


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]
    heading: bool = False


@dataclass(frozen=True)
class Release:
    name: str
    title: str
    date: str  # ISO
    place: str
    paragraphs: tuple[Paragraph, ...]


def load_sentences(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


def is_heading(line: str) -> bool:
    return not _FINAL.search(line)


def plain(sentence: Sentence) -> str:
    return "".join(run.text for run in sentence)


def make_releases(sentences: list[str], count: int) -> list[Release]:
    """``count`` releases; release ``n`` is the same whatever ``count`` is."""
    usable = len(sentences) - len(sentences) % SENTENCES_PER_RELEASE
    return [_release(n, sentences, usable) for n in range(count)]


def _line(sentences: list[str], usable: int, index: int) -> str:
    line = sentences[index % usable]
    passes = index // usable
    if not passes:
        return line
    clause = _CLAUSES[(passes - 1) % len(_CLAUSES)] + (f" ({passes})" if passes > len(_CLAUSES) else "")
    if is_heading(line):
        return f"{line}{clause.replace(',', ':', 1)}"
    return line[:-1] + clause + line[-1] if line[-1] in ".!?" else line + clause.replace(",", " –", 1) + "."


def _release(n: int, sentences: list[str], usable: int) -> Release:
    rng = random.Random(n)
    lines = [_line(sentences, usable, n * SENTENCES_PER_RELEASE + j) for j in range(SENTENCES_PER_RELEASE)]
    if is_heading(lines[0]):
        title = lines.pop(0).rstrip(":")
    else:
        title = " ".join(lines[0].split()[:8]).rstrip(",;:")
    year = 2008 + n % 5
    month = 1 + rng.randrange(12)
    day = 1 + rng.randrange(28)
    place = _PLACES[n % len(_PLACES)]
    figures = (
        f"In {year - 1}, the office assisted {rng.randrange(1000, 90000):,} people in {rng.randrange(3, 40)} "
        f"countries, {rng.randrange(2, 60)}.{rng.randrange(10)}% more than a year earlier, at a cost of "
        f"US$ {rng.randrange(2, 90)}.{rng.randrange(10)} million."
    )
    lines.append(figures)

    paragraphs: list[Paragraph] = []
    body: list[str] = []
    i = 0
    while i < len(lines):
        if is_heading(lines[i]):
            paragraphs.append(Paragraph(((Run(lines[i]),),), heading=True))
            i += 1
            continue
        size = 1 + rng.randrange(4)
        group: list[str] = []
        while i < len(lines) and len(group) < size and not is_heading(lines[i]):
            group.append(lines[i])
            i += 1
        if not body:  # the dateline opens the first paragraph
            group[0] = f"{place.upper()}, {day} {_MONTHS[month - 1]} {year} – {group[0]}"
        body.extend(group)
        marked: list[Sentence] = [(Run(s),) for s in group]
        if rng.random() < 0.35:
            k = rng.randrange(len(marked))
            marked[k] = _mark(group[k], "link", f"https://www.example.org/news/{n}/{len(paragraphs)}", rng, 3)
        if rng.random() < 0.25:
            k = rng.randrange(len(marked))
            if len(marked[k]) == 1:
                marked[k] = _mark(group[k], rng.choice(("em", "strong")), "", rng, 1)
        paragraphs.append(Paragraph(tuple(marked)))
    return Release(f"r{n:04d}", title, f"{year}-{month:02d}-{day:02d}", place, tuple(paragraphs))


def _mark(sentence: str, mark: str, url: str, rng: random.Random, words: int) -> Sentence:
    """``sentence`` with a span of up to ``words`` words (not the first) marked up."""
    found = list(_WORD.finditer(sentence))[1:]
    if not found:
        return (Run(sentence),)
    first = rng.randrange(len(found))
    last = min(len(found) - 1, first + rng.randrange(words))
    start, end = found[first].start(), found[last].end()
    runs = (Run(sentence[:start]), Run(sentence[start:end], mark, url), Run(sentence[end:]))
    return tuple(r for r in runs if r.text)


# --- writers ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_MD_LINE_START = re.compile(r"^([-+>]|\d+[.)](\s|$))")


def to_markdown(release: Release) -> str:
    def run(r: Run) -> str:
        text = _MD_SPECIAL.sub(r"\\\1", r.text)
        if r.mark == "em":
            return f"*{text}*"
        if r.mark == "strong":
            return f"**{text}**"
        if r.mark == "link":
            return f"[{text}]({r.url})"
        return text

    blocks = []
    for p in release.paragraphs:
        text = " ".join("".join(run(r) for r in s) for s in p.sentences)
        if p.heading:
            blocks.append(f"## {text}")
        else:
            blocks.append(_MD_LINE_START.sub(r"\\\1", text))
    front = f"---\ntitle: {json.dumps(release.title, ensure_ascii=False)}\ndate: {release.date}\nplace: {release.place}\n---\n"
    return front + "\n" + "\n\n".join(blocks) + "\n"


def to_html(release: Release) -> str:
    def run(r: Run) -> str:
        text = html.escape(r.text, quote=False)
        if r.mark == "link":
            return f'<a href="{html.escape(r.url)}">{text}</a>'
        return f"<{r.mark}>{text}</{r.mark}>" if r.mark else text

    title = html.escape(release.title, quote=False)
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        "</head>",
        "<body>",
        "<article>",
        f"<h1>{title}</h1>",
        f'<p class="meta">{html.escape(release.place)}, <time datetime="{release.date}">{release.date}</time></p>',
    ]
    for p in release.paragraphs:
        text = " ".join("".join(run(r) for r in s) for s in p.sentences)
        lines.append(f"<h2>{text}</h2>" if p.heading else f"<p>{text}</p>")
    lines += ["</article>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def to_plain(release: Release) -> str:
    """Title and body as plain paragraphs: what ``apertium -u`` gets in the baseline."""
    blocks = [release.title, release.place] + [" ".join(plain(s) for s in p.sentences) for p in release.paragraphs]
    return "\n\n".join(blocks) + "\n"


def sentence_count(releases: list[Release]) -> int:
    return sum(len(p.sentences) for r in releases for p in r.paragraphs)


def word_count(releases: list[Release]) -> int:
    return sum(len(to_plain(r).split()) for r in releases)
