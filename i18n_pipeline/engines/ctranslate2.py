"""Offline neural machine translation: OPUS-MT (Marian) and Argos Translate models run with
CTranslate2, for releases under embargo that may not leave the building.

A model is a folder named in pipeline.yaml (``engine_options.ctranslate2.models: {es: PATH}``, or
``model: PATH`` for every target language); nothing is ever downloaded. Two layouts are read:

- an OPUS-MT conversion (``ct2-opus-mt-converter``): ``model.bin``, ``source.spm`` and
  ``target.spm`` beside it, and CTranslate2's vocabulary files (``shared_vocabulary.json`` or
  ``.txt``, or ``source_vocabulary``/``target_vocabulary``);
- an installed Argos Translate package: ``model/`` (the CTranslate2 model) and
  ``sentencepiece.model`` beside it.

One model is loaded per language pair and run, the first time the pair has something to
translate. Texts are tokenised with the model's SentencePiece models and translated in batches
(``batch_size``, ``beam_size``, ``threads``).

Placeholders: a neural model has never seen ours. Where the SentencePiece vocabulary can spell
them, the whole sentence goes to the model with its placeholders as text, and the output is kept
only if every placeholder came back exactly once, pairs in order. Otherwise (or if the vocabulary
cannot spell them) the sentence is split around its placeholders, the pieces that hold words are
translated, and the placeholders are put back between them: worse context, but never a lost link.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from i18n_pipeline.engines import MachineTranslation
from i18n_pipeline.errors import EngineError
from i18n_pipeline.languages import fallback_tags, is_valid_tag
from i18n_pipeline.model import PLACEHOLDER_RE
from i18n_pipeline.repair import tidy_loose_placeholders
from i18n_pipeline.segment import placeholders_match

try:  # the '.[neural]' extra; without it the engine says how to install it
    import ctranslate2  # type: ignore[import-untyped]
    import sentencepiece
except ImportError as exc:  # pragma: no cover - the test environment has both
    _IMPORT_ERROR: ImportError | None = exc
else:
    _IMPORT_ERROR = None

__all__ = ["CTranslate2Engine", "ModelFiles", "find_model_files", "split_placeholders"]

log = logging.getLogger(__name__)

HOW_TO_GET_A_MODEL = (
    "convert an OPUS-MT model where there is internet (pip install ctranslate2 transformers; "
    "ct2-opus-mt-converter --model_dir opus-mt-en-es --output_dir PATH, then copy source.spm and "
    "target.spm into PATH), or install an Argos Translate package (argospm install translate-en_es) "
    "and name its folder; the engine never downloads anything"
)
_UNK_MARK = "\u2047"  # what SentencePiece decodes an unknown piece to


@dataclass(frozen=True)
class ModelFiles:
    """Where a model's parts are: the CTranslate2 model folder and the SentencePiece models."""

    folder: Path  # what the settings named
    model: Path  # the folder with model.bin
    source_spm: Path
    target_spm: Path
    layout: str  # "opus-mt" or "argos"


def find_model_files(folder: Path, where: str) -> ModelFiles:
    """The parts of the model in ``folder``, in either layout; an :class:`EngineError` naming the
    folder and how to get a model when it is missing or incomplete. Loads nothing."""
    if not folder.is_dir():
        raise EngineError(where, f"no model folder at {folder}", HOW_TO_GET_A_MODEL)
    if (folder / "model.bin").is_file():
        parts = (folder, folder / "source.spm", folder / "target.spm", "opus-mt")
        if not parts[1].is_file() and (folder / "sentencepiece.model").is_file():
            parts = (folder, folder / "sentencepiece.model", folder / "sentencepiece.model", "opus-mt")
    elif (folder / "model" / "model.bin").is_file():
        parts = (folder / "model", folder / "sentencepiece.model", folder / "sentencepiece.model", "argos")
    else:
        raise EngineError(where, f"{folder} is not a CTranslate2 model folder (no model.bin, nor model/model.bin)",
                          HOW_TO_GET_A_MODEL)
    for spm in {parts[1], parts[2]}:
        if not spm.is_file():
            raise EngineError(where, f"{folder} has no SentencePiece model {spm.name}",
                              "copy it from the original model (OPUS-MT: source.spm and target.spm), or "
                              + HOW_TO_GET_A_MODEL)
    return ModelFiles(folder, parts[0], parts[1], parts[2], parts[3])


def split_placeholders(text: str) -> list[tuple[str, bool]]:
    """``text`` as pieces (piece, is a placeholder), placeholders on their own, in order."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > pos:
            pieces.append((text[pos : match.start()], False))
        pieces.append((match.group(0), True))
        pos = match.end()
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


class _Model:
    """One loaded model and its tokenisers."""

    def __init__(self, files: ModelFiles, where: str, *, device: str, threads: int) -> None:
        self.files = files
        try:
            self.translator = ctranslate2.Translator(str(files.model), device=device, intra_threads=threads)
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(where, f"cannot load the model in {files.model} ({exc})",
                              "the folder is damaged or not a CTranslate2 model: " + HOW_TO_GET_A_MODEL) from None
        try:
            self.source = sentencepiece.SentencePieceProcessor(model_file=str(files.source_spm))
            self.target = self.source if files.target_spm == files.source_spm else \
                sentencepiece.SentencePieceProcessor(model_file=str(files.target_spm))
        except (RuntimeError, OSError) as exc:
            raise EngineError(where, f"cannot read the SentencePiece model in {files.folder} ({exc})",
                              HOW_TO_GET_A_MODEL) from None

    def spells(self, token: str) -> bool:
        """The source vocabulary writes ``token`` without unknown pieces."""
        unk = self.source.unk_id()
        return unk not in self.source.encode(token)


class CTranslate2Engine:
    """Offline neural MT with CTranslate2 (see the module's docstring for the options)."""

    name = "ctranslate2"

    def __init__(
        self,
        *,
        model: str | None = None,
        models: Mapping[str, str] | None = None,
        beam_size: int = 2,
        threads: int = 0,
        batch_size: int = 32,
        max_length: int = 256,
        device: str = "cpu",
    ) -> None:
        if _IMPORT_ERROR is not None:  # pragma: no cover - the test environment has both
            raise EngineError("ctranslate2", f"cannot import CTranslate2 or SentencePiece ({_IMPORT_ERROR})",
                              "install them: pip install -e '.[neural]'")
        if not model and not models:
            raise EngineError("ctranslate2", "no model folder",
                              "set engine_options.ctranslate2.models: {es: PATH} in pipeline.yaml, or pass "
                              "--engine-option ctranslate2.model=PATH")
        if beam_size < 1 or batch_size < 1 or max_length < 1 or threads < 0:
            raise EngineError("ctranslate2", "beam_size, batch_size and max_length must be ≥ 1, threads ≥ 0",
                              "fix the ctranslate2 options")
        self._default = Path(model) if model else None
        self._folders = {lang: Path(path) for lang, path in (models or {}).items()}
        self.beam_size = beam_size
        self.threads = threads
        self.batch_size = batch_size
        self.max_length = max_length
        self.device = device
        self._loaded: dict[Path, _Model] = {}
        self.loads = 0  # models loaded by this engine: one per pair per run

    # -- the Engine protocol ---------------------------------------------------------------

    def describe(self, source: str, target: str) -> str:
        """"ctranslate2 opus-mt-en-es": the model folder's name. Checks the folder, loads nothing."""
        return f"ctranslate2 {self._files(source, target).folder.name}"

    def supports(self, source: str, target: str) -> bool:
        return self._folder(target) is not None

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        out = []
        for result in self.translate_detailed(texts, source, target):
            if result.error:
                raise EngineError(f"ctranslate2 {source}→{target}", result.error, "try another engine for this text")
            out.append(result.text)
        return out

    def translate_detailed(self, texts: Sequence[str], source: str, target: str) -> list[MachineTranslation]:
        if not texts:
            return []
        model = self._model(source, target)
        cores = list(dict.fromkeys(t.strip() for t in texts if _has_words(PLACEHOLDER_RE.sub("", t))))
        done = self._translate_whole(model, cores)
        if len(done) < len(cores):
            done.update(self._translate_pieces(model, [c for c in cores if c not in done]))
        provenance = f"ctranslate2 {model.files.folder.name}"
        results = []
        for text in texts:
            core = text.strip()
            if not _has_words(PLACEHOLDER_RE.sub("", core)):
                results.append(MachineTranslation(text, self.name, provenance))  # nothing to translate
                continue
            output = done[core]
            if not output:
                results.append(MachineTranslation("", self.name, provenance,
                                                  error="the model gave an empty translation, or one with stray placeholders"))
                continue
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            results.append(MachineTranslation(lead + output + trail, self.name, provenance))
        return results

    def close(self) -> None:
        self._loaded.clear()  # CTranslate2 frees a model when its translator is collected

    def __enter__(self) -> CTranslate2Engine:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- translation -----------------------------------------------------------------------

    def _run(self, model: _Model, texts: list[str]) -> list[str]:
        """Texts through the model in batches, in order."""
        if not texts:
            return []
        tokens = model.source.encode(texts, out_type=str)
        results = model.translator.translate_batch(
            tokens, beam_size=self.beam_size, max_batch_size=self.batch_size, max_decoding_length=self.max_length,
        )
        return [str(model.target.decode(result.hypotheses[0])).strip() for result in results]

    def _translate_whole(self, model: _Model, cores: list[str]) -> dict[str, str]:
        """Sentences sent whole; those with placeholders kept only if they all came back."""
        whole = [c for c in cores if not PLACEHOLDER_RE.search(c)
                 or all(model.spells(m.group(0)) for m in PLACEHOLDER_RE.finditer(c))]
        done: dict[str, str] = {}
        for core, output in zip(whole, self._run(model, whole), strict=True):
            if PLACEHOLDER_RE.search(core):
                output = tidy_loose_placeholders(core, output)
                if not placeholders_match(core, output) or _UNK_MARK in output:
                    log.info("ctranslate2 moved or lost placeholders in %r; translating it piece by piece", core[:80])
                    continue
            done[core] = output
        return done

    def _translate_pieces(self, model: _Model, cores: list[str]) -> dict[str, str]:
        """Sentences split around their placeholders; the pieces with words translated."""
        split = {core: split_placeholders(core) for core in cores}
        wanted = list(dict.fromkeys(p.strip() for pieces in split.values() for p, ph in pieces
                                    if not ph and _has_words(p)))
        translated = dict(zip(wanted, self._run(model, wanted), strict=True))
        done: dict[str, str] = {}
        for core, pieces in split.items():
            out = []
            for piece, is_placeholder in pieces:
                if is_placeholder or not _has_words(piece):
                    out.append(piece)
                else:
                    lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
                    out.append(lead + translated[piece.strip()] + trail)
            output = "".join(out).strip()
            if placeholders_match(core, output):
                done[core] = output
            else:  # the model wrote something that reads as one of our placeholders
                log.warning("ctranslate2 output of %r has stray placeholders: %r", core[:80], output[:80])
                done[core] = ""
        return done

    # -- models ----------------------------------------------------------------------------

    def _folder(self, target: str) -> Path | None:
        for tag in (target, *fallback_tags(target)):
            if tag in self._folders:
                return self._folders[tag]
        return self._default

    def _files(self, source: str, target: str) -> ModelFiles:
        where = f"ctranslate2 {source}→{target}"
        for code in (source, target):
            if not is_valid_tag(code.lower()):
                raise EngineError(where, f"{code!r} is not a language code", "use ISO 639-1 codes such as 'es'")
        folder = self._folder(target)
        if folder is None:
            raise EngineError(where, f"no model for {target} (models are set for {', '.join(sorted(self._folders))})",
                              f"add engine_options.ctranslate2.models.{target}: PATH to pipeline.yaml")
        return find_model_files(folder, where)

    def _model(self, source: str, target: str) -> _Model:
        files = self._files(source, target)
        if files.folder not in self._loaded:
            self._loaded[files.folder] = _Model(files, f"ctranslate2 {source}→{target}",
                                                device=self.device, threads=self.threads)
            self.loads += 1
            log.info("loaded the %s model %s for %s→%s", files.layout, files.folder, source, target)
        return self._loaded[files.folder]
