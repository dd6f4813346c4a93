"""Sentences and placeholders: ``split_sentences``, ``protect``, ``restore``, and the one
implementation of placeholder comparison that the checks and every engine use
(``placeholders_match``, ``tokens_match``; repairing an engine's output is repair.py's).

Format modules turn a block's inline content into a list of :class:`Piece` objects (text runs and
markup runs, each with its span in the source). :func:`segment_pieces` numbers the markup as
placeholders, splits the text into sentences and returns segments whose spans point back into
the source, so rendering can splice translations into the untouched source.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from i18n_pipeline.languages import primary_subtag
from i18n_pipeline.model import PLACEHOLDER_RE, Placeholder, Segment

# Words that end with a full stop without ending a sentence. Lower-case, without the final ".".
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """mr mrs ms messrs dr prof sr jr st mt ft vs etc e.g i.e cf approx dept
        gen gov sen rep rev hon capt col lt sgt cmdr adm maj pres supt inc ltd co corp bros
        jan feb apr jun jul aug sep sept oct nov dec mon tue tues thu thurs fri
        u.s u.k u.n e.u a.m p.m ph.d b.a m.a eds univ assn ave blvd rd""".split()
    ),
    "es": frozenset(
        """sr sra srta sres dr dra lic ing arq prof uds ud etc p.ej av avda ee.uu cía s.a
        e.e.u.u ene feb abr jun jul ago sep sept oct nov dic""".split()
    ),
    "fr": frozenset(
        """m mm mme mmes mlle dr pr me st ste etc p.ex cf bd janv févr avr juil sept oct nov
        déc""".split()
    ),
}

# Abbreviations that only count as such before a number: "No. 5", "Art. 12", "p. 3".
NUMBER_ABBREVIATIONS = frozenset(
    "no nos nr núm art arts fig figs vol vols p pp ch sec para paras pág págs op n".split()
)

# Titles that are abbreviations only when capitalised: "Gen. Smith" but "the gen. The".
_TITLES = frozenset("gen gov sen rep rev hon capt col lt sgt cmdr adm maj pres supt".split())

# Abbreviations that may end a sentence: then a capitalised sentence starter follows.
_FINAL_ABBREVIATIONS = frozenset("etc inc ltd co corp bros jr sr".split())

# Dotted abbreviations that never end a sentence.
_NEVER_FINAL = frozenset("e.g i.e p.ej p.ex cf vs".split())

# Words that, capitalised after an abbreviation such as "U.S.", start a new sentence.
_SENTENCE_STARTERS = frozenset(
    """the a an in on at this that these those it its he she they we i you there here
    but and however meanwhile according after before during since while when if as
    his her their our my some many most all each every one two three for with
    el la los las un una en este esta estos estas pero sin embargo según
    le les une dans ce cette ces mais il elle ils elles nous""".split()
)

_SPACE_RE, _LETTER_RE = re.compile(r"\s"), re.compile(r"[^\W\d_]")
_NOT_SPACE_RE = re.compile(r"\S")  # search(text, a, b) is None: text[a:b] is blank, without the slice a strip() needs
_ASCII_SPACES = {c: " " for c in range(128) if chr(c).isspace()}  # what \s matches in ASCII: str.translate is faster
_WORD_RE, _APOSTROPHE_WORD_RE, _DOTTED_RE = re.compile(r"[^\W_]+"), re.compile(r"[\w']+"), re.compile(r"(?:\w\.)+\w")
# The first four words (_WORD_RE's runs; the runs between them are its complement) in one match.
_FIRST_WORDS_RE = re.compile(r"[\W_]*([^\W_]+)(?:[\W_]+([^\W_]+))?(?:[\W_]+([^\W_]+))?(?:[\W_]+([^\W_]+))?")
_STANDALONE_KEYS = 1_000_000  # keys given to standalone pieces, above any format module's keys

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
_TERMINATORS = ".?!…"
_STOP_RE = re.compile(f"[<{re.escape(_TERMINATORS)}]")  # where split_sentences looks: the rest is skipped at C speed

# The one rule for a URL and an e-mail address in running text (ingest builds its autolinks
# and its contact e-mails with these too). A URL runs up to a space, quote or angle bracket and
# does not end in the punctuation of the sentence around it.
URL_PATTERN = r"""(?:https?|ftp)://[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}]"""
EMAIL_PATTERN = r"""[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"""
# Placeholders also take "www." addresses without a scheme and "mailto:" before an address.
_URL_RE = re.compile(
    rf"""{URL_PATTERN}|www\.[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}}]|(?:mailto:)?{EMAIL_PATTERN}""",
    re.IGNORECASE,
)


def find_urls(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses in ``text`` (each has "://", "@" or "www."): they never reach an engine or a msgid."""
    return [m.span() for m in _URL_RE.finditer(text)] if "://" in text or "@" in text or "www." in text.lower() else []


def _previous_word(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _OPENERS:
        start -= 1
    return text[start:end]


def _is_abbreviation(word: str, lang: str, following: str) -> bool:
    """``word`` ends right before a full stop; ``following`` is the text after the space."""
    core = word.lstrip(_OPENERS)
    lower = core.lower()
    if not lower:
        return False
    if lower in NUMBER_ABBREVIATIONS:
        return following[:1].isdigit()
    if lower in _TITLES:
        return core[0].isupper()
    abbreviations = ABBREVIATIONS.get(primary_subtag(lang), ABBREVIATIONS["en"])
    if lower in abbreviations:
        return True
    if len(lower) == 1 and lower.isalpha():  # an initial: "J. Smith", "Thomas L. Weiss"
        return True
    # Dotted acronyms: "U.S", "e.g", "a.m"
    return bool(_DOTTED_RE.fullmatch(lower)) and len(lower) <= 8


def _may_end_sentence(word: str, following: str) -> bool:
    """An abbreviation such as "U.S." or "Inc." ends a sentence before "The", "In", ..."""
    lower = word.lstrip(_OPENERS).lower()
    dotted = "." in lower and lower not in _NEVER_FINAL
    if not (dotted or lower in _FINAL_ABBREVIATIONS):
        return False
    m = _APOSTROPHE_WORD_RE.match(following)
    return bool(m and m.group(0)[0].isupper() and m.group(0).lower() in _SENTENCE_STARTERS)


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Spans of the sentences of ``text``, whitespace between them excluded.

    Splits after . ? ! … (and closing quotes or brackets) when whitespace and a new sentence
    follow. Abbreviations, initials, decimals and numbers such as "No. 5" do not split; paired
    placeholders are never split apart.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    depth = 0
    i = 0
    while i < n:
        if (stop := _STOP_RE.search(text, i)) is None:  # nothing else can end a sentence
            break
        i = stop.start()
        m = PLACEHOLDER_RE.match(text, i) if text[i] == "<" else None
        if m:
            if m.group(1):
                depth -= 1
            elif not m.group(3):
                depth += 1
            i = m.end()
            continue
        if (ch := text[i]) not in _TERMINATORS:
            i += 1
            continue
        end = i + 1
        while end < n and text[end] in _TERMINATORS:
            end += 1
        while end < n and (text[end] in _CLOSERS or _closes_placeholder(text, end)):
            closing = PLACEHOLDER_RE.match(text, end) if text[end] == "<" else None
            if closing:
                depth -= 1
                end = closing.end()
            else:
                end += 1
        if depth > 0 or end >= n or not text[end].isspace():
            i = end
            continue
        nxt = end
        while nxt < n and text[nxt].isspace():
            nxt += 1
        if nxt >= n:
            break
        if not _starts_sentence(text, nxt):
            i = end
            continue
        if ch == "." and text[i + 1 : end].strip(_CLOSERS) == "":
            word = _previous_word(text, i)
            following = text[nxt : nxt + 40]
            if _is_abbreviation(word, lang, following) and not _may_end_sentence(word, following):
                # "in the U.S. The next ..." still ends a sentence.
                i = end
                continue
        spans.append((start, end))
        start = nxt
        i = nxt
    if start < n:
        spans.append((start, len(text.rstrip()) if text[start:].strip() else n))
    return [(s, e) for s, e in spans if _NOT_SPACE_RE.search(text, s, e)]


def _closes_placeholder(text: str, i: int) -> bool:
    m = PLACEHOLDER_RE.match(text, i) if text[i] == "<" else None
    return bool(m and m.group(1))


def _starts_sentence(text: str, i: int) -> bool:
    ch = text[i]
    if ch.isupper() or ch.isdigit() or ch in _OPENERS or ch in "¿¡-–—•*":
        return True
    m = PLACEHOLDER_RE.match(text, i) if ch == "<" else None
    if m:
        j = m.end()
        while j < len(text) and text[j] == " ":
            j += 1
        return j >= len(text) or _starts_sentence(text, j)
    return False


# --- pieces → segments -------------------------------------------------------------------------


class Piece(NamedTuple):  # a named tuple: built four times faster than a frozen dataclass
    """A run of a block's inline content: text to translate, or markup to protect.

    ``role`` is "text", "open", "close" or "standalone". ``start``/``end`` are absolute offsets
    in the document source. ``text`` is what a translator sees (decoded, for text runs).
    ``key`` pairs an "open" with its "close". ``note`` explains markup to translators.
    """

    role: str
    start: int
    end: int
    text: str = ""
    key: int = 0
    note: str = ""
    breaks: bool = False  # markup that is a line break: never kept at a segment's edge


def text_pieces(text: str, offset: int) -> list[Piece]:
    """Text runs of ``text`` (at ``offset`` in the source), URLs and e-mails made standalone."""
    pieces: list[Piece] = []
    pos = 0
    for s, e in find_urls(text):
        if s > pos:
            pieces.append(Piece("text", offset + pos, offset + s, text[pos:s]))
        kind = "e-mail address" if "@" in text[s:e] and "://" not in text[s:e] else "URL"
        pieces.append(Piece("standalone", offset + s, offset + e, note=f"{kind} {text[s:e]}"))
        pos = e
    if pos < len(text):
        pieces.append(Piece("text", offset + pos, offset + len(text), text[pos:]))
    return pieces


@dataclass(slots=True)
class _Token:
    """One piece of the block's annotated text (text with placeholder tokens)."""

    piece: Piece
    start: int  # in annotated text
    end: int


def _one_space_each(text: str) -> str:
    """``text`` with each white-space character a space: same length, so offsets still map to
    the source. A printable text holds no white space but " " (3x faster to ask than to translate)."""
    if text.isprintable():
        return text
    return text.translate(_ASCII_SPACES) if text.isascii() else _SPACE_RE.sub(" ", text)


def segment_pieces(
    pieces: Sequence[Piece],
    source: str,
    *,
    block: str,
    kind: str,
    lang: str = "en",
    sentences: bool = True,
    note: Callable[[Piece], str] | None = None,
) -> list[Segment]:
    """Turn a block's pieces into segments: sentences with numbered placeholders."""
    if len(pieces) == 1 and pieces[0].role == "text":  # most blocks: one run of text, no markup
        return _run_segments(pieces[0], source, block, kind, lang, sentences)
    return _block_segments(pieces, source, block, kind, lang, sentences)


def _run_segments(piece: Piece, source: str, block: str, kind: str, lang: str, sentences: bool) -> list[Segment]:
    """What _block_segments makes of a block of one text piece (its one token spans the whole
    annotated text, no placeholder to number, pair or trim; a Hypothesis test compares them)."""
    text = _one_space_each(piece.text)
    segments: list[Segment] = []
    for s, e in split_sentences(text, lang) if sentences else _whole(text):
        joined = text[s:e]
        if not _LETTER_RE.search(joined):
            continue  # nothing to translate (blank included)
        start, end = piece.start + s, piece.end - (len(text) - e)
        while start < end and source[start].isspace():
            start += 1
        while end > start and source[end - 1].isspace():
            end -= 1
        segments.append(Segment(text=" ".join(joined.split()), start=start, end=end, block=block, kind=kind))
    return segments


def _block_segments(pieces: Sequence[Piece], source: str, block: str, kind: str, lang: str, sentences: bool) -> list[Segment]:
    pieces = _pair_pieces(pieces)
    # Every standalone piece is its own placeholder, whatever key the format module gave it.
    pieces = [
        Piece(p.role, p.start, p.end, p.text, _STANDALONE_KEYS + n, p.note, p.breaks) if p.role == "standalone" else p
        for n, p in enumerate(pieces)
    ]
    annotated: list[str] = []
    tokens: list[_Token] = []
    pos = 0
    for piece in pieces:
        if piece.role == "text":
            # Same length as the piece's text, so offsets inside a run map to the source.
            # (A run whose decoded text differs in length from its source, such as an escape
            # or an entity, is a piece of its own and is never cut.)
            t = _one_space_each(piece.text)
        elif piece.role == "open":
            t = f"<{piece.key}>"
        elif piece.role == "close":
            t = f"</{piece.key}>"
        elif piece.breaks:
            t = f" <{piece.key}/> "  # a line break separates sentences like a space
        else:
            t = f"<{piece.key}/>"
        annotated.append(t)
        tokens.append(_Token(piece, pos, pos + len(t)))
        pos += len(t)
    text = "".join(annotated)
    spans = split_sentences(text, lang) if sentences else _whole(text)
    segments: list[Segment] = []
    starts, ends = [t.start for t in tokens], [t.end for t in tokens]  # sorted: tokens are contiguous
    for s, e in spans:
        # Only the tokens that overlap the sentence (by bisection: a scan per sentence made a
        # long paragraph quadratic).
        seg = _make_segment(text, s, e, tokens[bisect_right(ends, s) : bisect_left(starts, e)], source, block, kind)
        if seg is not None:
            segments.append(seg)
    return segments


def _whole(text: str) -> list[tuple[int, int]]:
    stripped = text.strip()
    if not stripped:
        return []
    s = text.index(stripped[0])
    return [(s, s + len(stripped))]


def _pair_pieces(pieces: Sequence[Piece]) -> list[Piece]:
    """Give every markup piece a provisional key; unmatched opens/closes become standalone."""
    out: list[Piece] = []
    open_at: dict[int, int] = {}
    for p in pieces:
        if p.role == "open":
            open_at[p.key] = len(out)
        elif p.role == "close":
            if p.key not in open_at:
                p = Piece("standalone", p.start, p.end, key=p.key, note=p.note, breaks=p.breaks)
            else:
                del open_at[p.key]
        out.append(p)
    for idx in open_at.values():
        p = out[idx]
        out[idx] = Piece("standalone", p.start, p.end, key=p.key, note=p.note, breaks=p.breaks)
    return out


def _make_segment(text: str, s: int, e: int, tokens: list[_Token], source: str, block: str, kind: str) -> Segment | None:
    lo, hi = 0, len(tokens)  # the tokens of the segment: those overlapping [s, e), trimmed
    # Trim whitespace-only text and line breaks at the edges; unwrap pairs enclosing everything.
    while lo < hi:
        first, last = tokens[lo], tokens[hi - 1]
        if _blank_edge(first, text, s, e):
            lo += 1
        elif hi - lo > 1 and _blank_edge(last, text, s, e):  # one token: just found not blank
            hi -= 1
        elif (
            hi - lo >= 2
            and first.piece.role == "open"
            and last.piece.role == "close"
            and first.piece.key == last.piece.key
            and _encloses(tokens[lo:hi], first.piece.key)
        ):
            lo, hi = lo + 1, hi - 1
        else:
            break
    if lo == hi:
        return None
    inside = tokens[lo:hi]
    first, last = inside[0], inside[-1]
    markup = [t.piece for t in inside if t.piece.role != "text"]
    # Keep only placeholders whose partner is inside the segment too.
    if markup and {p.key for p in markup if p.role == "open"} != {p.key for p in markup if p.role == "close"}:
        return None  # a pair cut by a sentence boundary: split_sentences prevents this
    # The placeholder tokens between the text runs hold no letter: one search over the span.
    joined = text[max(s, first.start) : min(e, last.end)]
    if not _LETTER_RE.search(joined):
        return None  # nothing to translate: numbers, URLs, punctuation only
    placeholders: dict[int, Placeholder] = {}
    if markup:
        numbers: dict[int, int] = {}
        parts: list[str] = []
        for t in inside:
            p = t.piece
            if p.role == "text":
                parts.append(text[max(s, t.start) : min(e, t.end)])
                continue
            if p.key not in numbers:
                numbers[p.key] = len(numbers) + 1
            n = numbers[p.key]
            markup_text = source[p.start : p.end]
            if p.role == "open":
                placeholders[n] = Placeholder(n, markup_text, "\0", p.note)  # closing filled below
                parts.append(f"<{n}>")
            elif p.role == "close":
                ph = placeholders[n]
                placeholders[n] = Placeholder(n, ph.opening, markup_text, ph.note)
                parts.append(f"</{n}>")
            else:
                placeholders[n] = Placeholder(n, markup_text, "", p.note)
                parts.append(f" <{n}/> " if p.breaks else f"<{n}/>")  # a break reads as a space
        joined = "".join(parts)
    seg_text = " ".join(joined.split())  # runs of white space (what \s matches) as one space, none at the edges
    start = first.piece.start + (max(s, first.start) - first.start if first.piece.role == "text" else 0)
    end = last.piece.end - (last.end - min(e, last.end) if last.piece.role == "text" else 0)
    # Text runs may be shorter in the source than in annotated text only if decoding changed
    # them; clip by leading/trailing whitespace in the source instead.
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return Segment(
        text=seg_text,
        start=start,
        end=end,
        block=block,
        kind=kind,
        placeholders=tuple(placeholders[k] for k in sorted(placeholders)) if placeholders else (),
    )


def _blank_edge(t: _Token, text: str, s: int, e: int) -> bool:
    if t.piece.role == "text":
        return _NOT_SPACE_RE.search(text, max(s, t.start), min(e, t.end)) is None
    return t.piece.breaks and t.piece.role == "standalone"


def _encloses(inside: list[_Token], key: int) -> bool:
    """The pair ``key`` opens first and closes last, with nothing of it in between."""
    return all(t.piece.key != key for t in inside[1:-1] if t.piece.role != "text")


def block_id(kind: str, text: str) -> str:
    """A block name that does not change when blocks are inserted above: kind + first words."""
    m = _FIRST_WORDS_RE.match(text)  # only the first ones: not a whole paragraph
    slug = "-".join([w.lower() for w in m.groups() if w is not None]) if m else "block"
    return f"{_BLOCK_PREFIXES.get(kind, 'b')}-{slug}"


_BLOCK_PREFIXES = {
    "heading": "h",
    "paragraph": "p",
    "list item": "li",
    "quotation": "q",
    "image alt text": "alt",
    "title attribute": "title",
    "page title": "title",
    "table cell": "td",
    "caption": "caption",
    "meta description": "meta",
    "link text": "a",
}


# --- protect / restore -------------------------------------------------------------------------


def map_text(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to the runs between placeholders (which stay as they are)."""
    out: list[str] = []
    pos = 0
    for m in PLACEHOLDER_RE.finditer(text):
        out.append(change(text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(change(text[pos:]))
    return "".join(out)


def placeholder_tokens(text: str) -> list[str]:
    """Placeholder tokens of ``text`` in order, e.g. ["<1>", "</1>", "<2/>"]."""
    return [m.group(0) for m in PLACEHOLDER_RE.finditer(text)]


@functools.lru_cache(maxsize=512)  # a build asks of each translation twice: its check, then its render
def placeholders_match(source: str, target: str) -> bool:
    """The target has exactly the source's placeholders, each once, pairs in order."""
    if "<" not in source and "<" not in target:
        return True  # every placeholder holds a "<": neither has one
    return tokens_match(placeholder_tokens(source), placeholder_tokens(target))


def tokens_match(src: list[str], tgt: list[str]) -> bool:
    """The same tokens, each paired one opened before it closes."""
    if sorted(src) != sorted(tgt):
        return False
    seen_open: set[str] = set()
    for tok in tgt:
        m = PLACEHOLDER_RE.fullmatch(tok)
        assert m is not None
        if m.group(3):
            continue
        if m.group(1):
            if m.group(2) not in seen_open:
                return False
        else:
            seen_open.add(m.group(2))
    return True


def restore(
    target: str,
    placeholders: Sequence[Placeholder],
    escape: Callable[[str], str],
) -> str:
    """Rebuild markup: placeholder tokens become their source markup, the rest is escaped text.

    Only placeholders that exist in the source become markup; anything else a translation
    contains, angle brackets included, goes through ``escape``.
    """
    by_number = {p.number: p for p in placeholders}
    out: list[str] = []
    pos = 0
    for m in PLACEHOLDER_RE.finditer(target):
        ph = by_number.get(int(m.group(2)))
        if ph is None:
            continue
        out.append(escape(target[pos : m.start()]))
        if m.group(1):
            out.append(ph.closing)
        else:
            out.append(ph.opening)
        pos = m.end()
    out.append(escape(target[pos:]))
    return "".join(out)


@dataclass(frozen=True)
class Protected:
    """A text whose spans were replaced by extra standalone placeholders before MT."""

    text: str
    values: dict[str, str]  # token -> replacement text (already in the target language)


def protect(text: str, spans: Sequence[tuple[int, int, str]]) -> Protected:
    """Replace ``(start, end, replacement)`` spans by new standalone placeholders.

    New numbers continue after the highest number in ``text`` so document placeholders keep
    theirs. :func:`unprotect` puts ``replacement`` back after the engine ran.
    """
    numbers = [int(m.group(2)) for m in PLACEHOLDER_RE.finditer(text)]
    n = max(numbers, default=0)
    out: list[str] = []
    values: dict[str, str] = {}
    pos = 0
    for start, end, replacement in sorted(spans):
        if start < pos:
            continue
        n += 1
        token = f"<{n}/>"
        out.append(text[pos:start])
        out.append(token)
        values[token] = replacement
        pos = end
    out.append(text[pos:])
    return Protected("".join(out), values)


def unprotect(text: str, protected: Protected) -> str:
    """Put the protected values back; raises KeyError if the engine lost one."""
    for token, value in protected.values.items():
        if text.count(token) != 1:
            raise KeyError(token)
        text = text.replace(token, value)
    return text
