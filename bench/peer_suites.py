"""Run the po4a format test cases against our format modules.

Usage: ``python bench/peer_suites.py [-v]`` from the repository root. Prints one line per suite,
``<suite> <passed>/<total>``, then ``total <passed>/<total>``; ``-v`` adds one line per failing
case with its reason.

For every case ``<name>.<md|html>`` in po4a's ``t/fmt/{commonmark,txt-markdown,xhtml}``:

* **translated document**: we parse the input, "translate" every segment by upper-casing its
  text outside placeholders (URLs, link targets and code stay as in the source), render, and
  compare with po4a's ``<name>.trans`` after normalisation (see :func:`normalise_markdown` and
  :func:`normalise_html`): both documents are rendered to HTML (Markdown) or tokenised (HTML),
  whitespace is collapsed, comments are dropped, and three deliberate differences are neutralised
  by comparing case-insensitively where we deliberately keep the source: code (``<code>``,
  ``<pre>``), URLs and link targets (``href``/``src``), BCP 47 ``lang`` values, and front matter
  values that our configuration does not translate (we translate top-level keys only).
  Where po4a's ``.po`` is not the upper-cased msgid (hand-made typos such as "tHIS"), the
  expected document is repaired to our rule before comparing; the repairs are listed.
* **extraction**: every po4a msgid is "found" in our segments: after stripping markup and
  collapsing whitespace, its text is contained in the concatenation of our segments' texts (in
  document order, or of one block's segments). Msgids of code blocks and of front matter values
  we do not translate are exempt (deliberate differences).

Front matter keys: we configure the top-level keys that po4a translated in that case, as a
project would in ``pipeline.yaml``.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from i18n_pipeline.errors import DocumentError  # noqa: E402
from i18n_pipeline.formats import ParseOptions, parse_document, render_document  # noqa: E402
from i18n_pipeline.formats.front_matter import find_front_matter, parse_front_matter  # noqa: E402
from i18n_pipeline.formats.html import tokenize  # noqa: E402
from i18n_pipeline.model import PLACEHOLDER_RE, Document, Segment  # noqa: E402
from i18n_pipeline.segment import map_text  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
PEER = EVAL / "peer-suites"
SUITES = ("commonmark", "txt-markdown", "xhtml")
_MD = MarkdownIt("commonmark")


@dataclass
class PoEntry:
    msgid: str
    msgstr: str
    comments: list[str] = field(default_factory=list)


@dataclass
class CaseResult:
    suite: str
    name: str
    passed: bool
    reason: str = ""
    deliberate: list[str] = field(default_factory=list)  # normalisations this case needed
    repaired: list[str] = field(default_factory=list)  # .po entries that were not upper case
    missing: list[str] = field(default_factory=list)  # po4a msgids not found in our segments


def read_po(path: Path) -> list[PoEntry]:
    """A minimal PO reader for the peer data (msgid, msgstr, #. comments)."""
    entries: list[PoEntry] = []
    comments: list[str] = []
    current: dict[str, str] = {}
    field_name = ""

    def finish() -> None:
        if current.get("msgid"):
            entries.append(PoEntry(current["msgid"], current.get("msgstr", ""), list(comments)))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#."):
            if current:
                finish()
                current, comments = {}, []
            comments.append(line[2:].strip())
        elif line.startswith(("msgid ", "msgstr ")):
            name, _, rest = line.partition(" ")
            if name == "msgid" and current:
                finish()
                current, comments = {}, comments if "msgid" not in current else []
            field_name = name
            current[name] = _po_string(rest)
        elif line.startswith('"') and field_name:
            current[field_name] = current.get(field_name, "") + _po_string(line)
        elif not line.strip():
            if current:
                finish()
            current, comments, field_name = {}, [], ""
    if current:
        finish()
    return entries


def _po_string(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


# --- our translation ------------------------------------------------------------------------


def upper_translation(segment: Segment) -> str:
    """The segment's text upper-cased outside placeholders."""
    return map_text(segment.text, str.upper)


# --- normalisation ----------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def normalise_html(text: str) -> str:
    """Tokens of an HTML document, whitespace collapsed, comments dropped.

    Deliberately case-insensitive: code and pre content, href/src values, lang values.
    """
    out: list[str] = []
    code_depth = 0
    for ev in tokenize(text):
        raw = text[ev.start : ev.end]
        if ev.kind == "comment":
            continue
        if ev.kind in ("start", "startend", "end"):
            if ev.tag in ("code", "pre"):
                code_depth += 1 if ev.kind == "start" else -1 if ev.kind == "end" else 0
            raw = re.sub(
                r"""\b(href|src|lang|poster)(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""",
                lambda m: m.group(1) + "=" + m.group(3).strip("'\"").lower(),
                raw,
                flags=re.I,
            )
            raw = re.sub(r"\s*/>$", ">", _collapse(raw))
            out.append(f"\n{raw}\n")
        else:
            decoded = _WS.sub(" ", html_lib.unescape(raw))
            out.append(decoded.lower() if code_depth > 0 else decoded)
    joined = "".join(out)
    return "\n".join(line for line in (_collapse(x) for x in joined.split("\n")) if line)


def normalise_markdown(text: str, data_casefold: bool) -> tuple[str, object]:
    """(HTML of the body, front matter data) of a Markdown document."""
    body = text
    data: object = None
    fm = find_front_matter(text)
    if fm is not None:
        try:
            data, _ = parse_front_matter(fm.yaml, "front matter")
            body = text[fm.end :]
        except DocumentError:  # not front matter: a thematic break
            data = None
    if data_casefold:
        data = _casefold_data(data)
    return normalise_html(_MD.render(body)), data


def _casefold_data(data: object) -> object:
    if isinstance(data, str):
        return _collapse(data).lower()
    if isinstance(data, list):
        return [_casefold_data(x) for x in data]
    if isinstance(data, dict):
        return {k: _casefold_data(v) for k, v in data.items()}
    return data


# --- extraction check -------------------------------------------------------------------------


def markdown_plain(text: str, env: dict[str, object] | None = None) -> str:
    """The visible text of inline Markdown."""
    out: list[str] = []

    def walk(tokens: list[Token]) -> None:
        for tok in tokens:
            if tok.type in ("text", "code_inline", "text_special"):
                out.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif tok.children:
                walk(tok.children)

    for tok in _MD.parseInline(text, dict(env or {})):
        walk(tok.children or [])
    return _collapse("".join(out))


def html_plain(text: str) -> str:
    return _collapse(html_lib.unescape(re.sub(r"<!--.*?-->|<[^>]*>", "", text, flags=re.S)))


def segment_plain(document: Document, segment: Segment) -> str:
    """A segment's visible text: paired placeholders dropped, standalone ones as their text."""
    by_number = {p.number: p for p in segment.placeholders}

    def visible(m: re.Match[str]) -> str:
        ph = by_number.get(int(m.group(2)))
        if ph is None or ph.paired:
            return ""
        if document.format == "html":
            return html_plain(ph.opening)
        return markdown_plain(ph.opening) if ph.opening.startswith("`") else ph.opening.strip("<>")

    return _collapse(PLACEHOLDER_RE.sub(visible, segment.text))


def _exempt(entry: PoEntry, keys: tuple[str, ...]) -> str:
    """Why a po4a msgid is deliberately not among our segments ("" if it should be)."""
    kind = " ".join(entry.comments).lower()
    if ("code" in kind and "block" in kind) or "code_block" in kind or entry.msgid.startswith(("    ", "\t")):
        return "code block (we never translate code)"
    if re.match(r"\s*\[[^\]]+\]:\s*\S+", entry.msgid):
        return "link reference definition (link targets never reach a msgid)"
    if "attribute 'lang'" in kind:
        return "lang attribute (a language code, not text)"
    m = re.search(r"yaml front matter (?:hash value|array element): ([\w ]+)", kind)
    if m and m.group(1).strip() not in keys:
        return f"front matter value '{m.group(1).strip()}' (not a configured top-level key)"
    return ""


# --- cases ----------------------------------------------------------------------------------


def cases() -> Iterator[tuple[str, Path]]:
    for suite in SUITES:
        folder = PEER / "po4a" / "t" / "fmt" / suite
        for path in sorted(folder.iterdir()):
            if path.suffix in (".md", ".html") and path.with_suffix(".trans").exists():
                yield suite, path


def front_matter_keys(entries: list[PoEntry]) -> tuple[str, ...]:
    """Top-level keys po4a translated in this case: the configuration a project would use."""
    keys: list[str] = []
    for e in entries:
        m = re.search(r"Yaml Front Matter Hash Value: (\S+)$", " ".join(e.comments))
        if m and m.group(1) not in keys:
            keys.append(m.group(1))
    return tuple(keys)


_LINK_DEST_RE = re.compile(r"\]\([^)]*\)|<[^>]*>|`[^`]*`|\b\w+://[^\s)>]+")


def _is_upper_rule(entry: PoEntry) -> bool:
    """po4a's msgstr is the upper-cased msgid (link targets and code may keep their case)."""
    if entry.msgstr.upper() != entry.msgid.upper():
        return False
    return not re.search(r"[a-zß]", _LINK_DEST_RE.sub("", entry.msgstr))


def repair_expected(expected: str, entries: list[PoEntry]) -> tuple[str, list[str]]:
    """Replace the msgstrs that are not upper-cased msgids by the upper-cased msgid."""
    repaired: list[str] = []
    for e in entries:
        if not e.msgstr or _is_upper_rule(e):
            continue
        words = e.msgstr.split()
        if not words:
            continue
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
        wanted = _LINK_DEST_RE.sub(lambda m: m.group(0), e.msgid.upper())
        new, n = pattern.subn(functools.partial(_respace_match, wanted=wanted), expected)
        if n:
            expected = new
            repaired.append(f"{_collapse(e.msgstr)[:50]!r} -> {_collapse(wanted)[:50]!r}")
    return expected, repaired


def _respace_match(match: re.Match[str], wanted: str) -> str:
    return _respace(match.group(0), wanted)


def _respace(found: str, wanted: str) -> str:
    """``wanted``'s words with ``found``'s whitespace where the word counts agree."""
    parts = re.split(r"(\s+)", found)
    words = wanted.split()
    if len(words) != len(parts[::2]):
        return _collapse(wanted)
    parts[::2] = words
    return "".join(parts)


def normalise_title_block(text: str) -> str:
    """Pandoc title block: authors separated by ";" or by lines are the same list."""
    m = re.match(r"(?:%[^\n]*\n?(?:[ \t]+\S[^\n]*\n?)*){1,3}", text)
    if not m or not text.startswith("%"):
        return text
    fields = re.findall(r"%([^\n]*\n?(?:[ \t]+\S[^\n]*\n?)*)", m.group(0))
    canon = []
    for n, f in enumerate(fields):
        items = re.split(r"\s*;\s*|\n\s*", f.strip()) if n == 1 else [_collapse(f)]
        canon.append("% " + " / ".join(_collapse(i) for i in items if i.strip()))
    return "\n".join(canon) + "\n" + text[m.end() :]


def _words(text: str) -> str:
    """Text for the "found" rule: whitespace collapsed, markup-only tokens ("===", "*") dropped."""
    return " ".join(w for w in text.split() if re.search(r"\w", w))


def run_case(suite: str, path: Path) -> CaseResult:
    name = path.stem
    source = path.read_text(encoding="utf-8")
    entries = read_po(path.with_suffix(".po"))
    keys = front_matter_keys(entries) or ParseOptions().front_matter_keys
    options = ParseOptions(front_matter_keys=keys)
    result = CaseResult(suite, name, passed=False)
    try:
        document = parse_document(source, path.name, options)
    except Exception as exc:  # noqa: BLE001 - any crash of the parser fails this case (a bug), not the whole run
        result.reason = f"parse failed: {exc} (bug)"
        return result
    if render_document(document, lambda s: s.text) != source:
        result.reason = "identity round trip differs (bug)"
        return result
    ours = render_document(document, upper_translation)
    expected, result.repaired = repair_expected(path.with_suffix(".trans").read_text(encoding="utf-8"), entries)

    if document.format == "html":
        same = normalise_html(ours) == normalise_html(expected)
        if not same and normalise_html(ours).lower() == normalise_html(expected).lower():
            result.reason = "differs only in letter case"
    else:
        ours, expected = normalise_title_block(ours), normalise_title_block(expected)
        ours_body, ours_data = normalise_markdown(ours, False)
        exp_body, exp_data = normalise_markdown(expected, False)
        same = ours_body == exp_body
        if not same:
            result.reason = "body differs"
        elif ours_data != exp_data:
            if normalise_markdown(ours, True)[1] == normalise_markdown(expected, True)[1]:
                result.deliberate.append(
                    "front matter: nested values and unconfigured keys stay in the source language"
                )
            else:
                same = False
                result.reason = "front matter differs"

    # Extraction: every po4a msgid is found in our segments.
    env: dict[str, object] = {}
    _MD.parse(source, env)  # link reference definitions, for po4a msgids that use them
    texts = [segment_plain(document, s) for s in document.segments]
    whole = " ".join(texts)
    by_block: dict[str, list[str]] = {}
    for seg, text in zip(document.segments, texts, strict=True):
        by_block.setdefault(seg.block, []).append(text)
    blocks = [" ".join(v) for v in by_block.values()]
    for e in entries:
        if _exempt(e, keys):
            continue
        kind = " ".join(e.comments)
        want = html_plain(e.msgid) if document.format == "html" else (
            _collapse(e.msgid) if "Front Matter" in kind else markdown_plain(e.msgid, env)
        )
        want = _words(want)
        if not want:
            continue
        if want in _words(whole) or any(want in _words(b) for b in blocks):
            continue
        result.missing.append(want)
    if result.missing:
        same = False
        result.reason = (result.reason + "; " if result.reason else "") + (
            f"msgid not found in our segments: {result.missing[0][:60]!r}"
        )
    result.passed = same
    if same:
        result.reason = ""
    return result


def run_all() -> list[CaseResult]:
    return [run_case(suite, path) for suite, path in cases()]


def main(argv: list[str]) -> int:
    if not PEER.is_dir():
        print(f"peer suites not found at {PEER}", file=sys.stderr)
        return 2
    results = run_all()
    total = passed = 0
    for suite in SUITES:
        rs = [r for r in results if r.suite == suite]
        ok = sum(r.passed for r in rs)
        print(f"{suite} {ok}/{len(rs)}")
        total += len(rs)
        passed += ok
    print(f"total {passed}/{total}")
    if "-v" in argv:
        for r in results:
            if not r.passed:
                print(f"FAIL {r.suite}/{r.name}: {r.reason}")
            for d in r.deliberate:
                print(f"  deliberate {r.suite}/{r.name}: {d}")
            for rep in r.repaired:
                print(f"  repaired {r.suite}/{r.name}: {rep}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
