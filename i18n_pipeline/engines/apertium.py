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
import shutil
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from i18n_pipeline.engines import MachineTranslation
from i18n_pipeline.engines.apertium_modes import Mode, default_modes_dirs, discover_modes, package_for
from i18n_pipeline.engines.apertium_pipeline import StagePipeline
from i18n_pipeline.engines.apertium_stream import deformat, marked_words, reformat, strip_stream_marks, unknown_in_analysis
from i18n_pipeline.errors import EngineError
from i18n_pipeline.languages import iso639_1
from i18n_pipeline.repair import restore_placeholders

__all__ = ["ApertiumEngine", "Mode", "discover_modes"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0
# Cores one pipeline keeps busy: its largest stage is about a quarter of its CPU time, so its 11
# stages can run on about 4 cores at once (PLAN.md, "Apertium's CPU on 2 cores"); more pipelines
# per pair pay only on a machine with cores to spare.
CORES_PER_PIPELINE = 4


def pipeline_count(value: int | str, cores: int | None = None) -> int:
    """The ``pipelines`` option: a whole number from 1, or "auto" (one per CORES_PER_PIPELINE
    cores this process may use, at least one)."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        if cores is None:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(1, cores // CORES_PER_PIPELINE)
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = 0
    if isinstance(value, bool) or count < 1 or (isinstance(value, float) and value != count):
        raise EngineError(
            "apertium option 'pipelines'",
            f"must be 'auto' or a whole number from 1, got {value!r}",
            "write e.g. engine_options: {apertium: {pipelines: auto}} (or 2) in pipeline.yaml",
        )
    return count


def _next_leg(answer: bytes) -> bytes:
    """One pivot leg's raw answer as the next leg's input: still in stream format, marks gone,
    ending in the blank a segment needs before its NUL."""
    stream = strip_stream_marks(answer.decode("utf-8", "replace"))
    return (stream if stream.endswith("[]") else stream + "[]").encode("utf-8")


# --------------------------------------------------------------------------------------------
# The engine


class ApertiumEngine:
    """Offline machine translation with Apertium.

    Options: ``modes_dir`` (a directory of ``*.mode`` files; default: $APERTIUM_MODES or the
    installed modes), ``timeout`` (seconds without output before a batch fails, default 60),
    ``pipelines`` (process pipelines per mode, each given a contiguous share of every batch;
    default "auto": :func:`pipeline_count`). Since each tagger is settled when its pipeline
    starts, a sentence gets the same translation from any pipeline.
    """

    name = "apertium"

    def __init__(self, modes_dir: str | os.PathLike[str] | None = None,
                 timeout: float = DEFAULT_TIMEOUT, pipelines: int | str = "auto") -> None:
        self._dirs = [Path(modes_dir)] if modes_dir is not None else default_modes_dirs()
        self.timeout = float(timeout)
        self.pipelines = pipeline_count(pipelines)
        self.modes = discover_modes(self._dirs)
        self._pipelines: dict[str, list[StagePipeline]] = {}  # mode → its pipelines, started as needed
        self._leg_memo: dict[str, dict[bytes, tuple[bytes, bytes]]] = {}  # mode → input → (analysis, output)
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
        return [t for t, _, _ in self._translate(texts, source, target, find_unknown=False)]

    def translate_detailed(self, texts: Sequence[str], source: str, target: str) -> list[MachineTranslation]:
        """``translate_batch`` with, per text, the words Apertium did not know (left untranslated).

        The translation itself runs without unknown-word marks, as ``translate_batch`` does:
        marks change Apertium's output (``bench/unknown_words.py``: French elision and
        contraction are lost next to a marked word), so the words are read from what each leg's
        morphological analyser (the mode's first stage) made of that leg's input on its way to
        the second stage; what it cannot analyse passes through the leg untranslated. For a pivot, the second leg's
        unknown words are words of the pivot language (Spanish "acrónimo" in French). Only
        lower-case words are reported: a capitalised word the analyser lacks is a name, which
        an engine rightly leaves as it is.
        """
        provenance = self.describe(source, target) if texts else ""
        return [
            MachineTranslation(text, self.name, provenance, unknown, repaired=repaired)
            for text, unknown, repaired in self._translate(texts, source, target, find_unknown=True)
        ]

    def _translate(
        self, texts: Sequence[str], source: str, target: str, *, find_unknown: bool
    ) -> list[tuple[str, tuple[str, ...], bool]]:
        """Per text: its translation, the words Apertium did not know, whether placeholders had to
        be put back."""
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
            analysed = self._run_leg(mode, streams)
            answers = [answer for _, answer in analysed]
            if find_unknown:  # plus the marks a stage writes even without -g (#, @ errors)
                for words, (analysis, answer) in zip(unknown, analysed, strict=True):
                    words += unknown_in_analysis(analysis.decode("utf-8", "replace"))
                    words += marked_words(answer.decode("utf-8", "replace"))
            streams = answers if mode is route[-1] else [_next_leg(a) for a in answers]
        translated: list[tuple[str, tuple[str, ...], bool]] = []
        for core, answer, words in zip(cores, streams, unknown, strict=False):
            output = reformat(answer.decode("utf-8", "replace")).strip()
            output, repaired = restore_placeholders(core, output)
            if repaired:  # counted on the translate summary line; the sentences under -v
                log.info("Apertium moved placeholders in %r; repaired to %r", core, output)
            translated.append((output, tuple(dict.fromkeys(w for w in words if w[:1].islower())), repaired))
        results: list[tuple[str, tuple[str, ...], bool]] = []
        for text in texts:
            core = text.strip()
            if not core:
                results.append((text, (), False))
                continue
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            output, found, repaired = translated[unique[core]]
            results.append((lead + output + trail, found, repaired))
        return results

    def _run_leg(self, mode: Mode, streams: list[bytes]) -> list[tuple[bytes, bytes]]:
        """One mode over ``streams`` (each answer with its analysis), each distinct input sent
        once per engine lifetime.

        en→fr runs eng-spa first; when the same run also translates into Spanish, the
        English sentences already went through eng-spa and are not sent again.
        """
        memo = self._leg_memo.setdefault(mode.name, {})
        todo = list(dict.fromkeys(s for s in streams if s not in memo))
        if todo:
            memo.update(zip(todo, self._run_shared(mode, todo), strict=False))
        return [memo[s] for s in streams]

    def _run_shared(self, mode: Mode, todo: list[bytes]) -> list[tuple[bytes, bytes]]:
        """``todo`` through the mode's pipelines, each given one contiguous share, in parallel."""
        count = min(self.pipelines, len(todo))
        if count <= 1:
            return self._pipeline(mode).run_analysed(todo)
        size = -(-len(todo) // count)
        shares = [todo[i : i + size] for i in range(0, len(todo), size)]
        pipelines = [self._pipeline(mode, i) for i in range(len(shares))]
        with ThreadPoolExecutor(len(shares), thread_name_prefix=f"apertium-{mode.name}") as pool:
            done = list(pool.map(lambda job: job[0].run_analysed(job[1]), zip(pipelines, shares, strict=True)))
        return [answer for share in done for answer in share]

    def forget(self) -> None:
        """Drop the remembered leg outputs (benchmarks measure the engine, not the memo)."""
        self._leg_memo.clear()

    def close(self) -> None:
        with self._lock:
            pipelines, self._pipelines = self._pipelines, {}
        for share in pipelines.values():
            for pipeline in share:
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
        return sum(p.starts for share in self._pipelines.values() for p in share)

    def warm_up(self, source: str, target: str) -> None:
        """Start the pipelines for a pair now (dictionary loading takes ≈ 0.13 s a mode)."""
        for mode in self._require_route(source, target):
            for index in range(self.pipelines):
                pipeline = self._pipeline(mode, index)
                with pipeline._lock:
                    if not pipeline.alive():
                        pipeline.start()

    def pairs(self) -> list[tuple[str, str]]:
        """Direct pairs installed, in ISO 639-1."""
        return sorted(self.modes)

    # -- internals ----------------------------------------------------------------------------
    def _pipeline(self, mode: Mode, index: int = 0) -> StagePipeline:
        with self._lock:
            share = self._pipelines.setdefault(mode.name, [])
            while len(share) <= index:
                share.append(StagePipeline(mode, self.timeout))
            return share[index]

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
