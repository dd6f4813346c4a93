"""One Apertium mode's stages as a persistent process pipeline (what ``apertium.py`` drives).

Each stage runs with ``-z`` (null flush); segments are streamed in, each ended by a NUL, by a
writer thread while the calling thread reads answers. A stage that dies is restarted once per
batch; a pipeline that says nothing for ``timeout`` seconds is killed. See ``FACTS.md``.

The first stage (the morphological analyser) does not feed the second directly: a relay thread
passes its output on and keeps each segment's analysis, which says what words the mode does not
know (``run_analysed``), without sending the text through the analyser a second time.
"""

from __future__ import annotations

import logging
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from i18n_pipeline.engines.apertium_modes import Mode
from i18n_pipeline.engines.apertium_stream import deformat
from i18n_pipeline.errors import EngineError

__all__ = ["PipelineDied", "StagePipeline"]

log = logging.getLogger(__name__)

# apertium-tagger 3.8 (the HMM tagger) rewrites its own "open" ambiguity class whenever it meets
# a word whose ambiguity class its model lacks (tagger_utils::find_similar_ambiguity_class
# assigns through a reference to it), and that class only ever shrinks. A long-lived pipeline
# therefore tags a sentence differently depending on what it translated before: a rerun, another
# batch order or another Dask worker would word some sentences differently (measured: 255 of
# 4,015 news sentences change when only their order changes, en->es; 219 with es->fr). These
# words, sent once when a pipeline starts, take the class to where it can change no more: from
# then on every sentence gets the translation it gets in any other order (0 of 4,015 change, in
# five orders; tests/engines/test_apertium.py checks it). Keyed by the tagger's model file.
SETTLING_WORDS: dict[str, tuple[str, ...]] = {
    "eng-spa.prob": ("included", "I", "fit", "worn", "near", "Apple"),
    "es-fr.prob": ("Como", "cierto", "OTAN"),
}


def settling_words(mode: Mode) -> tuple[str, ...]:
    """What to send through ``mode`` once after it starts (nothing for taggers without the bug)."""
    for stage in mode.stages:
        if Path(stage[0]).name == "apertium-tagger":
            for argument in stage[1:]:
                words = SETTLING_WORDS.get(Path(argument).name)
                if words:
                    return words
    return ()

# --------------------------------------------------------------------------------------------
# The persistent pipeline


class PipelineDied(Exception):
    pass


class StagePipeline:
    """One mode's stages, chained with pipes, kept running for the whole run."""

    def __init__(self, mode: Mode, timeout: float) -> None:
        self.mode = mode
        self.timeout = timeout
        self.starts = 0
        self._procs: list[subprocess.Popen[bytes]] = []
        self._stderr: list[IO[bytes]] = []
        self._lock = threading.Lock()
        self._relay: threading.Thread | None = None
        # The first stage's output per segment, in order, queued by the relay before it passes
        # the segment on: a segment's answer cannot come out before its analysis is queued.
        self._analyses: deque[bytes] = deque()

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
        self._analyses = deque()
        try:
            for index, stage in enumerate(self.mode.stages):
                err = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop(), with the process)
                self._stderr.append(err)
                proc = subprocess.Popen(
                    stage,
                    stdin=previous if previous is not None and index != 1 else subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    bufsize=0,
                    close_fds=True,
                    start_new_session=True,  # Ctrl-C goes to us; we stop the stages ourselves
                )
                if previous is not None and index != 1:
                    previous.close()  # the child holds it now; EOF must reach it when we stop
                previous = proc.stdout
                self._procs.append(proc)
            if len(self._procs) > 1:
                self._relay = threading.Thread(
                    target=self._pass_on, args=(self._procs[0], self._procs[1], self._analyses),
                    name=f"apertium-{self.mode.name}-relay", daemon=True,
                )
                self._relay.start()
        except OSError as exc:
            self.stop()
            raise EngineError(
                f"apertium {self.mode.name}",
                f"cannot start {exc.filename or 'a stage'}: {exc.strerror}",
                f"check the Apertium installation: sudo apt-get install apertium {self.mode.package}",
            ) from exc
        self.starts += 1
        settle = settling_words(self.mode)
        if settle:
            self._stream([(deformat(word) + "[]").encode("utf-8") for word in settle], [])
        log.debug(
            "started Apertium %s: %d stages in %.3f s",
            self.mode.name,
            len(self._procs),
            time.perf_counter() - started,
        )

    @staticmethod
    def _pass_on(first: subprocess.Popen[bytes], second: subprocess.Popen[bytes],
                 analyses: deque[bytes]) -> None:
        """The relay: the first stage's output to the second stage, each segment's part queued.
        EOF or a dead second stage ends it, closing the second stage's input so that the end
        travels down the pipeline."""
        assert first.stdout is not None and second.stdin is not None
        source, sink = first.stdout.fileno(), second.stdin.fileno()
        pending = b""
        try:
            while True:
                data = os.read(source, 65536)
                if not data:
                    break
                if b"\0" in data:
                    *done, pending = (pending + data).split(b"\0")
                    analyses.extend(done)
                else:
                    pending += data
                _write_fully(sink, data)
        except OSError:
            pass  # a stage died or was killed: the reader sees the end and reports it
        finally:
            try:
                second.stdin.close()
            except OSError:
                pass

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
        relay, self._relay = self._relay, None
        deadline = time.monotonic() + 2.0
        for proc in procs:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if relay is not None:
            relay.join()  # every stage has exited: its read ends now; then its pipes can close
        for proc in procs:
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
        return [answer for _, answer in self.run_analysed(payloads)]

    def run_analysed(self, payloads: Sequence[bytes]) -> list[tuple[bytes, bytes]]:
        """``run``, each answer with the first stage's output for its payload (for a one-stage
        mode, the answer itself)."""
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
            results: list[tuple[bytes, bytes]] = []
            try:
                self._stream(payloads, results)
            except (EngineError, KeyboardInterrupt, SystemExit, MemoryError):
                # Answers still in flight would be taken for the next batch's: start afresh.
                self.kill()
                raise
            except PipelineDied:
                report = self.stderr_report(settle=0.5)
                log.warning("Apertium %s died (%s); restarting once", self.mode.name, report)
                self.start()
                try:
                    self._stream(payloads[len(results) :], results)
                except PipelineDied:
                    report = self.stderr_report(settle=0.5)
                    self.kill()
                    raise EngineError(
                        f"apertium {self.mode.name}",
                        f"the pipeline died twice in one batch: {report}",
                        f"check the installation (sudo apt-get install --reinstall "
                        f"{self.mode.package}) or report the text that crashes it",
                    ) from None
            return results

    def _stream(self, payloads: Sequence[bytes], results: list[tuple[bytes, bytes]]) -> None:
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
                    raise PipelineDied()
                buffer += data
                if b"\0" in buffer:
                    *answers, buffer = buffer.split(b"\0")
                    results.extend((self._analysis(a), a) for a in answers)
        finally:
            writer.join(timeout=5.0)
        del results[wanted:]  # extra NULs can only come from a misbehaving stage
        if writer_error and len(results) < wanted:
            raise PipelineDied()

    def _analysis(self, answer: bytes) -> bytes:
        if self._relay is None:
            return answer  # one stage: the analyser's output is the answer
        try:
            return self._analyses.popleft()
        except IndexError:  # an answer without an input: a misbehaving stage
            raise PipelineDied() from None



def _write_fully(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
