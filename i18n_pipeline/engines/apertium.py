"""Apertium, the default offline engine: one persistent process pipeline per mode.

``apertium -z`` (null-flush) hangs in Apertium 3.8, so we do what apertium-apy does: read the
stages of a mode file, start each stage ourselves with ``-z`` added, and deformat/reformat the
text ourselves (``apertium_stream.py``). Segments are streamed through the pipeline, each ended
by an empty superblank and a NUL; a writer thread keeps the pipe full while the calling thread
reads answers (writing from the reading thread deadlocks once the pipe buffers fill). See
``FACTS.md``, "Apertium".
"""

from __future__ import annotations

import logging
import os
import re
import select
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from i18n_pipeline.engines import MachineTranslation
from i18n_pipeline.engines.apertium_stream import deformat, marked_words, reformat, strip_stream_marks, unknown_in_analysis
from i18n_pipeline.errors import EngineError
from i18n_pipeline.languages import iso639_1, iso639_3
from i18n_pipeline.segment import restore_placeholders

__all__ = ["ApertiumEngine", "Mode", "discover_modes"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0

# Debian packages that provide a pair, both directions. Others are guessed from the codes.
_DEBIAN_PACKAGES: dict[frozenset[str], str] = {
    frozenset({"en", "es"}): "apertium-eng-spa",
    frozenset({"es", "fr"}): "apertium-fr-es",
    frozenset({"ca", "es"}): "apertium-es-ca",
    frozenset({"es", "pt"}): "apertium-es-pt",
    frozenset({"es", "gl"}): "apertium-es-gl",
    frozenset({"es", "it"}): "apertium-es-it",
    frozenset({"en", "ca"}): "apertium-eng-cat",
}

_MODE_PART_RE = re.compile(r"^[a-z]{2,3}$")


def package_for(source: str, target: str) -> str:
    """The Debian package that provides ``source``→``target`` (guessed for unknown pairs)."""
    known = _DEBIAN_PACKAGES.get(frozenset({source, target}))
    if known:
        return known
    return f"apertium-{iso639_3(source)}-{iso639_3(target)}"


# --------------------------------------------------------------------------------------------
# Modes


@dataclass(frozen=True)
class Mode:
    """One installed Apertium mode: a language pair and its stages."""

    name: str  # "eng-spa", "es-fr"
    source: str  # ISO 639-1
    target: str
    path: Path
    stages: tuple[tuple[str, ...], ...]  # argv of each stage, "-z" added, $1/$2 resolved

    @property
    def package(self) -> str:
        """The package whose data files the mode uses, e.g. "apertium-eng-spa"."""
        for stage in self.stages:
            for arg in stage:
                match = re.search(r"/(apertium-[a-z]{2,3}-[a-z]{2,3}(?:-[a-z]+)?)/", arg)
                if match:
                    return match.group(1)
        return package_for(self.source, self.target)


def default_modes_dirs() -> list[Path]:
    """Where to look for ``*.mode`` files: $APERTIUM_MODES, else next to the ``apertium``
    binary's prefix (``<prefix>/share/apertium/modes``), then the usual prefixes."""
    env = os.environ.get("APERTIUM_MODES")
    if env:
        return [Path(env)]
    dirs: list[Path] = []
    for program in ("apertium", "lt-proc"):
        found = shutil.which(program)
        if found:
            dirs.append(Path(found).resolve().parent.parent / "share" / "apertium" / "modes")
    for prefix in ("/usr/local", "/usr"):
        dirs.append(Path(prefix) / "share" / "apertium" / "modes")
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def parse_stages(command: str) -> tuple[tuple[str, ...], ...]:
    """Split a mode's shell pipeline into argv lists, as apertium-apy does: ``-z`` after each
    program, ``$1`` → ``-n`` (no unknown-word marks), ``$2`` dropped."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    stages: list[tuple[str, ...]] = []
    current: list[str] = []
    for token in lexer:
        if token == "|":
            if current:
                stages.append(tuple(current))
            current = []
            continue
        if token == "$2":
            continue
        current.append("-n" if token == "$1" else token)
    if current:
        stages.append(tuple(current))
    return tuple((stage[0], "-z", *stage[1:]) for stage in stages)


def discover_modes(directories: Sequence[Path] | None = None) -> dict[tuple[str, str], Mode]:
    """Installed pairs ``(source, target)`` in ISO 639-1 → :class:`Mode`.

    Only plain pairs count ("eng-spa", "es-fr"); variants ("spa-eng_US", "eco-es-fr") and
    debugging modes are left out. The first directory that has a pair wins.
    """
    found: dict[tuple[str, str], Mode] = {}
    for directory in directories if directories is not None else default_modes_dirs():
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.mode")):
            parts = path.stem.split("-")
            if len(parts) != 2 or not all(_MODE_PART_RE.match(p) for p in parts):
                continue
            key = (iso639_1(parts[0]), iso639_1(parts[1]))
            if key in found:
                continue
            try:
                stages = parse_stages(path.read_text(encoding="utf-8").strip())
            except (OSError, ValueError) as exc:
                log.warning("skipping unreadable Apertium mode %s: %s", path, exc)
                continue
            if stages:
                found[key] = Mode(path.stem, key[0], key[1], path, stages)
    return found


# --------------------------------------------------------------------------------------------
# The persistent pipeline


class _PipelineDied(Exception):
    pass


class _Pipeline:
    """One mode's stages, chained with pipes, kept running for the whole run."""

    def __init__(self, mode: Mode, timeout: float) -> None:
        self.mode = mode
        self.timeout = timeout
        self.starts = 0
        self._procs: list[subprocess.Popen[bytes]] = []
        self._stderr: list[IO[bytes]] = []
        self._lock = threading.Lock()

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        self.stop()
        for stage in self.mode.stages:
            if shutil.which(stage[0]) is None:
                raise EngineError(
                    f"apertium {self.mode.name}",
                    f"Apertium is not installed: {stage[0]!r} (a stage of {self.mode.path}) is "
                    "not on PATH",
                    "install Apertium: sudo apt-get install apertium "
                    f"{self.mode.package}",
                )
        started = time.perf_counter()
        previous: IO[bytes] | None = None
        try:
            for stage in self.mode.stages:
                err = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop(), with the process)
                self._stderr.append(err)
                proc = subprocess.Popen(
                    stage,
                    stdin=previous if previous is not None else subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    bufsize=0,
                    close_fds=True,
                    start_new_session=True,  # Ctrl-C goes to us; we stop the stages ourselves
                )
                if previous is not None:
                    previous.close()  # the child holds it now; EOF must reach it when we stop
                previous = proc.stdout
                self._procs.append(proc)
        except OSError as exc:
            self.stop()
            raise EngineError(
                f"apertium {self.mode.name}",
                f"cannot start {exc.filename or 'a stage'}: {exc.strerror}",
                f"check the Apertium installation: sudo apt-get install apertium {self.mode.package}",
            ) from exc
        self.starts += 1
        log.debug(
            "started Apertium %s: %d stages in %.3f s",
            self.mode.name,
            len(self._procs),
            time.perf_counter() - started,
        )

    def alive(self) -> bool:
        return bool(self._procs) and all(p.poll() is None for p in self._procs)

    def stop(self) -> None:
        procs, self._procs = self._procs, []
        errs, self._stderr = self._stderr, []
        if procs and procs[0].stdin is not None:
            try:
                procs[0].stdin.close()
            except OSError:
                pass
        deadline = time.monotonic() + 2.0
        for proc in procs:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        for err in errs:
            err.close()

    def kill(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
        self.stop()

    def stderr_report(self, settle: float = 0.0) -> str:
        """The stages that exited and what they said, for an error message. ``settle``: seconds
        to let dying stages finish exiting (their stdout closes a moment before they exit)."""
        deadline = time.monotonic() + settle
        for proc in self._procs if settle else ():
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        parts: list[str] = []
        for stage, proc, err in zip(self.mode.stages, self._procs, self._stderr, strict=False):
            code = proc.poll()
            err.seek(0)
            said = err.read()[-2000:].decode("utf-8", "replace").strip()
            if code is not None or said:
                status = f"exited with {code}" if code is not None else "running"
                parts.append(f"{stage[0]} {status}" + (f": {said}" if said else ""))
        return "; ".join(parts) or "no stage reported an error"

    # -- translation --------------------------------------------------------------------------
    def run(self, payloads: Sequence[bytes]) -> list[bytes]:
        """Send each payload (stream format ending in a blank) and return the raw answers."""
        if not payloads:
            return []
        with self._lock:
            if not self.alive():
                if self._procs:
                    log.warning(
                        "Apertium %s had stopped (%s); restarting it",
                        self.mode.name,
                        self.stderr_report(),
                    )
                self.start()
            results: list[bytes] = []
            try:
                self._stream(payloads, results)
            except (EngineError, KeyboardInterrupt, SystemExit, MemoryError):
                # Answers still in flight would be taken for the next batch's: start afresh.
                self.kill()
                raise
            except _PipelineDied:
                report = self.stderr_report(settle=0.5)
                log.warning("Apertium %s died (%s); restarting once", self.mode.name, report)
                self.start()
                try:
                    self._stream(payloads[len(results) :], results)
                except _PipelineDied:
                    report = self.stderr_report(settle=0.5)
                    self.kill()
                    raise EngineError(
                        f"apertium {self.mode.name}",
                        f"the pipeline died twice in one batch: {report}",
                        f"check the installation (sudo apt-get install --reinstall "
                        f"{self.mode.package}) or report the text that crashes it",
                    ) from None
            return results

    def _stream(self, payloads: Sequence[bytes], results: list[bytes]) -> None:
        first, last = self._procs[0], self._procs[-1]
        assert first.stdin is not None and last.stdout is not None
        stdin_fd = first.stdin.fileno()
        stdout_fd = last.stdout.fileno()
        writer_error: list[BaseException] = []

        def write_all() -> None:
            # Chunks of many segments keep the pipe full with few system calls.
            try:
                chunk: list[bytes] = []
                size = 0
                for payload in payloads:
                    chunk.append(payload)
                    chunk.append(b"\0")
                    size += len(payload) + 1
                    if size >= 32768:
                        _write_fully(stdin_fd, b"".join(chunk))
                        chunk, size = [], 0
                if chunk:
                    _write_fully(stdin_fd, b"".join(chunk))
            except OSError as exc:  # BrokenPipe when a stage dies or we kill on timeout
                writer_error.append(exc)

        writer = threading.Thread(target=write_all, name=f"apertium-{self.mode.name}-writer")
        writer.daemon = True
        writer.start()
        wanted = len(results) + len(payloads)
        buffer = b""
        try:
            while len(results) < wanted:
                ready, _, _ = select.select([stdout_fd], [], [], self.timeout)
                if not ready:
                    got = len(results)
                    report = self.stderr_report()
                    self.kill()
                    raise EngineError(
                        f"apertium {self.mode.name}",
                        f"no output for {self.timeout:g} s after {got} of {wanted} segments "
                        f"({report})",
                        "raise the engine timeout for very long segments, or check that the "
                        "mode's stages support -z (null flush)",
                    )
                data = os.read(stdout_fd, 65536)
                if not data:
                    raise _PipelineDied()
                buffer += data
                if b"\0" in buffer:
                    *answers, buffer = buffer.split(b"\0")
                    results.extend(answers)
        finally:
            writer.join(timeout=5.0)
        del results[wanted:]  # extra NULs can only come from a misbehaving stage
        if writer_error and len(results) < wanted:
            raise _PipelineDied()


def _analyser(mode: Mode) -> Mode:
    """The mode's morphological analyser alone (its first stage): what it cannot analyse, the
    whole mode passes through untranslated."""
    return Mode(f"{mode.name}:analyser", mode.source, mode.target, mode.path, mode.stages[:1])


def _next_leg(answer: bytes) -> bytes:
    """One pivot leg's raw answer as the next leg's input: still in stream format, marks gone,
    ending in the blank a segment needs before its NUL."""
    stream = strip_stream_marks(answer.decode("utf-8", "replace"))
    return (stream if stream.endswith("[]") else stream + "[]").encode("utf-8")


def _write_fully(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# --------------------------------------------------------------------------------------------
# The engine


class ApertiumEngine:
    """Offline machine translation with Apertium.

    Options: ``modes_dir`` (a directory of ``*.mode`` files; default: $APERTIUM_MODES or the
    installed modes), ``timeout`` (seconds without output before a batch fails, default 60).
    """

    name = "apertium"

    def __init__(self, modes_dir: str | os.PathLike[str] | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self._dirs = [Path(modes_dir)] if modes_dir is not None else default_modes_dirs()
        self.timeout = float(timeout)
        self.modes = discover_modes(self._dirs)
        self._pipelines: dict[str, _Pipeline] = {}
        self._leg_memo: dict[str, dict[bytes, bytes]] = {}  # mode → input → output
        self._lock = threading.Lock()

    # -- Engine protocol ----------------------------------------------------------------------
    def supports(self, source: str, target: str) -> bool:
        return self._route(source, target) is not None

    def describe(self, source: str, target: str) -> str:
        route = self._require_route(source, target)
        if len(route) == 1:
            return f"apertium {route[0].name}"
        langs = "→".join([route[0].source, *(m.target for m in route)])
        return f"apertium {langs} (pivot: {', then '.join(m.name for m in route)})"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate ``texts`` in order. Identical texts are sent once; empty and
        whitespace-only texts come back unchanged; leading/trailing whitespace is kept."""
        return [t for t, _ in self._translate(texts, source, target, find_unknown=False)]

    def translate_detailed(self, texts: Sequence[str], source: str, target: str) -> list[MachineTranslation]:
        """``translate_batch`` with, per text, the words Apertium did not know (left untranslated).

        The translation itself runs without unknown-word marks, as ``translate_batch`` does:
        marks change Apertium's output (``bench/unknown_words.py``: French elision and
        contraction are lost next to a marked word), so the words are found by running each
        leg's morphological analyser (the mode's first stage) alone on that leg's input; what
        it cannot analyse passes through the leg untranslated. For a pivot, the second leg's
        unknown words are words of the pivot language (Spanish "acrónimo" in French). Only
        lower-case words are reported: a capitalised word the analyser lacks is a name, which
        an engine rightly leaves as it is.
        """
        provenance = self.describe(source, target) if texts else ""
        return [
            MachineTranslation(text, self.name, provenance, unknown)
            for text, unknown in self._translate(texts, source, target, find_unknown=True)
        ]

    def _translate(
        self, texts: Sequence[str], source: str, target: str, *, find_unknown: bool
    ) -> list[tuple[str, tuple[str, ...]]]:
        if not texts:
            return []
        route = self._require_route(source, target)
        unique: dict[str, int] = {}
        cores: list[str] = []
        for text in texts:
            core = text.strip()
            if core and core not in unique:
                unique[core] = len(cores)
                cores.append(core)
        streams = [(deformat(core) + "[]").encode("utf-8") for core in cores]
        unknown: list[list[str]] = [[] for _ in cores]
        for mode in route:
            if find_unknown:
                analysed = self._run_leg(_analyser(mode), streams)
                for words, answer in zip(unknown, analysed, strict=True):
                    words += unknown_in_analysis(answer.decode("utf-8", "replace"))
            answers = self._run_leg(mode, streams)
            if find_unknown:  # marks a stage writes even without -g (#, @ errors)
                for words, answer in zip(unknown, answers, strict=True):
                    words += marked_words(answer.decode("utf-8", "replace"))
            streams = answers if mode is route[-1] else [_next_leg(a) for a in answers]
        translated: list[tuple[str, tuple[str, ...]]] = []
        for core, answer, words in zip(cores, streams, unknown, strict=False):
            output = reformat(answer.decode("utf-8", "replace")).strip()
            output, repaired = restore_placeholders(core, output)
            if repaired:
                log.warning("Apertium moved placeholders in %r; repaired to %r", core, output)
            translated.append((output, tuple(dict.fromkeys(w for w in words if w[:1].islower()))))
        results: list[tuple[str, tuple[str, ...]]] = []
        for text in texts:
            core = text.strip()
            if not core:
                results.append((text, ()))
                continue
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            output, found = translated[unique[core]]
            results.append((lead + output + trail, found))
        return results

    def _run_leg(self, mode: Mode, streams: list[bytes]) -> list[bytes]:
        """One mode over ``streams``, each distinct input sent once per engine lifetime.

        en→fr runs eng-spa first; when the same run also translates into Spanish, the
        English sentences already went through eng-spa and are not sent again.
        """
        memo = self._leg_memo.setdefault(mode.name, {})
        todo = list(dict.fromkeys(s for s in streams if s not in memo))
        if todo:
            memo.update(zip(todo, self._pipeline(mode).run(todo), strict=False))
        return [memo[s] for s in streams]

    def forget(self) -> None:
        """Drop the remembered leg outputs (benchmarks measure the engine, not the memo)."""
        self._leg_memo.clear()

    def close(self) -> None:
        with self._lock:
            pipelines, self._pipelines = self._pipelines, {}
        for pipeline in pipelines.values():
            pipeline.stop()

    def __enter__(self) -> ApertiumEngine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001, S110 (interpreter shutdown: nothing sensible left to do)
            pass

    # -- extras -------------------------------------------------------------------------------
    @property
    def pipelines_started(self) -> int:
        """Process pipelines started so far (restarts included): tests check it stays at one
        per mode."""
        return sum(p.starts for p in self._pipelines.values())

    def warm_up(self, source: str, target: str) -> None:
        """Start the pipelines for a pair now (dictionary loading takes ≈ 0.13 s a mode)."""
        for mode in self._require_route(source, target):
            pipeline = self._pipeline(mode)
            with pipeline._lock:
                if not pipeline.alive():
                    pipeline.start()

    def pairs(self) -> list[tuple[str, str]]:
        """Direct pairs installed, in ISO 639-1."""
        return sorted(self.modes)

    # -- internals ----------------------------------------------------------------------------
    def _pipeline(self, mode: Mode) -> _Pipeline:
        with self._lock:
            pipeline = self._pipelines.get(mode.name)
            if pipeline is None:
                pipeline = self._pipelines[mode.name] = _Pipeline(mode, self.timeout)
            return pipeline

    def _route(self, source: str, target: str) -> list[Mode] | None:
        source, target = iso639_1(source.lower()), iso639_1(target.lower())
        direct = self.modes.get((source, target))
        if direct is not None:
            return [direct]
        # One pivot language; Spanish first, since most Apertium pairs go through it.
        pivots = sorted({t for (s, t) in self.modes if s == source}, key=lambda p: (p != "es", p))
        for pivot in pivots:
            second = self.modes.get((pivot, target))
            if second is not None:
                return [self.modes[(source, pivot)], second]
        return None

    def _require_route(self, source: str, target: str) -> list[Mode]:
        route = self._route(source, target)
        if route is not None:
            return route
        raise self._missing_pair(source, target)

    def _missing_pair(self, source: str, target: str) -> EngineError:
        where = f"apertium {source}→{target}"
        installed = ", ".join(f"{s}→{t}" for s, t in sorted(self.modes)) or "none"
        if shutil.which("lt-proc") is None and shutil.which("apertium") is None:
            return EngineError(
                where,
                "Apertium is not installed (neither apertium nor lt-proc is on PATH)",
                f"install it with: sudo apt-get install apertium {self._packages_for(source, target)}",
            )
        packages = self._packages_for(source, target)
        dirs = ", ".join(str(d) for d in self._dirs)
        return EngineError(
            where,
            f"no Apertium pair for {source}→{target} in {dirs} (installed: {installed})",
            f"install it with: sudo apt-get install {packages}",
        )

    def _packages_for(self, source: str, target: str) -> str:
        source, target = iso639_1(source.lower()), iso639_1(target.lower())
        if {source, target} == {"en", "fr"}:
            # Debian has no English–French pair; we pivot through Spanish.
            legs = [(source, "es"), ("es", target)]
            missing = [package_for(*leg) for leg in legs if leg not in self.modes]
            return " ".join(missing or [package_for(*leg) for leg in legs])
        return package_for(source, target)
