"""The HTML status report (``i18n-pipeline report`` → ``build/report.html``).

One self-contained page for an editor: per language the words left to review; per release and
language a bar of reviewed / machine / needs update / untranslated words; the problems the QA
checks found, each with its PO file and line. Inline CSS only: no script, no external resource,
so it opens from a file, an e-mail attachment or a CI artefact alike.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from i18n_pipeline.languages import language_name
from i18n_pipeline.model import Problem, Severity, State, Stats

# Review states in the order a bar shows them, with their label and colour (colour-blind safe:
# blue / orange / vermilion / grey, each also named in the legend and the bar's text).
_STATES = (
    (State.REVIEWED, "reviewed", "#0072b2"),
    (State.MACHINE, "machine", "#e69f00"),
    (State.NEEDS_UPDATE, "needs update", "#d55e00"),
    (State.UNTRANSLATED, "untranslated", "#9a9a9a"),
)
_SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.FUNCTIONAL: 1, Severity.COSMETIC: 2}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff;
  margin: 0 auto; max-width: 72rem; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: 0.25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { text-align: start; padding: 0.3rem 0.6rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { display: flex; height: 1.1rem; min-width: 14rem; border-radius: 3px; overflow: hidden; background: #eaeef2; }
.bar span { display: block; height: 100%; }
.legend span { display: inline-block; margin-inline-end: 1rem; }
.legend i { display: inline-block; width: 0.8rem; height: 0.8rem; margin-inline-end: 0.3rem; vertical-align: -0.1rem; }
.critical { color: #a40e26; font-weight: 600; }
.functional { color: #9a6700; }
.cosmetic { color: #57606a; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; }
.none { color: #57606a; }
"""


@dataclass(frozen=True)
class ReportRow:
    """One release in one language: its words per review state and its problems."""

    language: str
    release: str
    stats: Stats
    problems: Sequence[Problem] = ()


def _words(stats: Stats) -> int:
    return sum(stats.words.values())


def _percent(part: int, whole: int) -> str:
    return f"{(100 * part / whole if whole else 0):.0f}%"


def _bar(stats: Stats) -> str:
    total = _words(stats)
    spans = []
    for state, label, colour in _STATES:
        words = stats.words[state.value]
        if words and total:
            spans.append(
                f'<span style="width:{100 * words / total:.2f}%;background:{colour}" title="{label}: {words} words"></span>'
            )
    text = ", ".join(f"{label} {stats.words[state.value]}" for state, label, _ in _STATES)
    return f'<div class="bar" role="img" aria-label="{html.escape(text)}">{"".join(spans)}</div>'


def render_report(project: str, rows: Sequence[ReportRow]) -> str:
    """The report page for ``rows`` (ordered by language, then release)."""
    e = html.escape
    languages = list(dict.fromkeys(r.language for r in rows))
    releases = list(dict.fromkeys(r.release for r in rows))
    totals: dict[str, Stats] = {}
    for row in rows:
        totals.setdefault(row.language, Stats()).merge(row.stats)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Translation status: {e(project)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>Translation status: {e(project)}</h1>",
        '<p class="legend">'
        + "".join(f'<span><i style="background:{c}"></i>{label}</span>' for _, label, c in _STATES)
        + "</p>",
        "<h2>Words left to review</h2>",
        "<table><thead><tr><th>language</th><th>progress</th><th class=n>words</th><th class=n>reviewed</th>"
        "<th class=n>left to review</th><th class=n>problems</th></tr></thead><tbody>",
    ]
    for lang in languages:
        total = totals[lang]
        words = _words(total)
        reviewed = total.words[State.REVIEWED.value]
        problems = sum(len(r.problems) for r in rows if r.language == lang)
        parts.append(
            f"<tr><td>{e(lang)} ({e(language_name(lang, 'en'))})</td><td>{_bar(total)}</td><td class=n>{words}</td>"
            f"<td class=n>{reviewed} ({_percent(reviewed, words)})</td><td class=n>{words - reviewed}</td>"
            f"<td class=n>{problems}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append("<h2>Releases</h2>")
    for release in releases:
        parts.append(f"<h3>{e(release)}</h3>")
        parts.append(
            "<table><thead><tr><th>language</th><th>progress</th><th class=n>words</th>"
            + "".join(f"<th class=n>{label}</th>" for _, label, _ in _STATES)
            + "</tr></thead><tbody>"
        )
        for row in (r for r in rows if r.release == release):
            words = _words(row.stats)
            cells = "".join(
                f"<td class=n>{row.stats.words[state.value]} ({_percent(row.stats.words[state.value], words)})</td>"
                for state, _, _ in _STATES
            )
            parts.append(f"<tr><td>{e(row.language)}</td><td>{_bar(row.stats)}</td><td class=n>{words}</td>{cells}</tr>")
        parts.append("</tbody></table>")
    parts.append("<h2>Problems</h2>")
    found = sorted((p for row in rows for p in row.problems), key=lambda p: (_SEVERITY_ORDER.get(p.severity, 3), p.where))
    if not found:
        parts.append('<p class="none">The checks found no problem.</p>')
    else:
        parts.append(
            "<table><thead><tr><th>severity</th><th>check</th><th>where</th><th>problem</th></tr></thead><tbody>"
        )
        for p in found:
            parts.append(
                f'<tr><td class="{e(p.severity.value)}">{e(p.severity.value)}</td><td>{e(p.check)}</td>'
                f"<td><code>{e(p.where)}</code></td><td>{e(p.message)}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)
