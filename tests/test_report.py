"""``i18n-pipeline report`` (i18n_pipeline.report): build/report.html, self-contained, with the
review progress per release and language and the QA problems with their PO file and line;
rendered in a real headless Chromium (Debian's chromium-headless-shell, which ``make test``
installs) without a console message, and photographed."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from i18n_pipeline.cli import main
from i18n_pipeline.model import Problem, Severity, State, Stats
from i18n_pipeline.report import ReportRow, render_report
from tests.html_check import read_page
from tests.project import SEED, TIMEOUT, break_placeholder, review_entry

CHROMIUM = next((shutil.which(n) for n in ("chromium-headless-shell", "chromium") if shutil.which(n)), None)


def stats(**words: int) -> Stats:
    s = Stats()
    for state, n in words.items():
        s.add(State(state), n)
    return s


def test_the_page_holds_bars_words_left_and_problems() -> None:
    rows = [
        ReportRow("es", "shelters", stats(reviewed=30, machine=10), [
            Problem("placeholders", Severity.CRITICAL, "locales/es/LC_MESSAGES/shelters.po:42", "placeholders differ <&>"),
        ]),
        ReportRow("fr", "shelters", stats(untranslated=40)),
    ]
    text = render_report("Press <office>", rows)
    page = read_page(text)
    assert "Translation status: Press <office>" in page.all_text()  # escaped, shown as text
    assert "locales/es/LC_MESSAGES/shelters.po:42" in page.all_text() and "placeholders differ <&>" in page.all_text()
    bars = [a for a in page.find("div") if a.get("class") == "bar"]
    assert len(bars) == 4  # one per language in the summary, one per release and language
    assert "reviewed 30, machine 10, needs update 0, untranslated 0" in [b["aria-label"] for b in bars]
    widths = [a["style"] for a in page.find("span") if a.get("style", "").startswith("width:")]
    assert "width:75.00%;background:#0072b2" in widths and "width:25.00%;background:#e69f00" in widths
    assert "10" in page.all_text()  # es: words left to review
    # Self-contained: no script, no external resource.
    assert not page.find("script") and not page.find("link") and not page.find("img")


def test_report_of_the_bundled_project(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = break_placeholder(project)
    review_entry(project / "locales" / "es" / "LC_MESSAGES" / f"{SEED}.po", "Mexico", "México")
    capsys.readouterr()
    assert main(["report", "--project", str(project)]) == 0
    target = project / "build" / "report.html"
    assert capsys.readouterr().out.strip() == f"report: {target}"
    page = read_page(target.read_text("utf-8"))
    text = page.all_text()
    line = next(i for i, s in enumerate(po.read_text("utf-8").splitlines(), 1) if s.startswith('msgid "The publication will'))
    assert f"locales/es/LC_MESSAGES/{SEED}.po:{line}" in text  # the problem, on its entry, relative to the project
    assert "critical" in text and SEED in text
    assert "499" in text  # words of the release, per language


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB(A) PNG (the filters undone): enough of PNG to
    tell a real screenshot from a blank one without an imaging library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    size = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * size
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up = previous[x]
            corner = previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def chromium(url: str, screenshot: Path, profile: Path) -> str:
    """Open ``url`` in headless Chromium, save a screenshot; returns the browser's console
    messages (with --enable-logging=stderr every console message, an uncaught error included,
    is a "CONSOLE" line)."""
    assert CHROMIUM, "chromium-headless-shell is not installed (make test installs it)"
    proc = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr",
            "--v=0", f"--screenshot={screenshot}", "--window-size=1200,900", url,
        ],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return "\n".join(line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line)


def test_chromium_reports_a_failing_page(tmp_path: Path) -> None:
    """The console check can fail: a page whose script throws is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><p>x</p><script>throw new Error('boom')</script></body></html>", "utf-8")
    console = chromium(bad.as_uri(), tmp_path / "bad.png", tmp_path / "profile")
    assert "Uncaught Error: boom" in console


def test_the_report_renders_in_headless_chromium(project: Path, tmp_path: Path) -> None:
    break_placeholder(project)
    assert main(["report", "--project", str(project)]) == 0
    shot = tmp_path / "report.png"
    console = chromium((project / "build" / "report.html").as_uri(), shot, tmp_path / "profile")
    assert console == "", console
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 900)
    background = rows[0][:3]
    ink = sum(1 for row in rows for x in range(0, len(row), len(row) // width) if row[x : x + 3] != background)
    colours = {row[x : x + 3] for row in rows[::10] for x in range(0, len(row), 4 * (len(row) // width))}
    print(f"\nscreenshot {shot}: {ink / (width * height):.1%} of the pixels not background, {len(colours)} colours sampled")
    assert ink > 0.02 * width * height, "the screenshot is (nearly) blank"
    assert len(colours) > 10
