"""A tiny CTranslate2 translation model, built by the tests themselves (no model can be downloaded
here, and none ships English–Spanish weights): a SentencePiece model trained on a few lines of
press-release English with placeholders, and a one-layer Transformer with small random weights
written through CTranslate2's model spec API. Its output is gibberish; it exercises loading,
tokenising, batching and placeholder handling for real.

Both layouts the engine reads are written from the same weights: an OPUS-MT conversion
(``model.bin``, ``source.spm``, ``target.spm``, ``shared_vocabulary.json``) and an Argos
Translate package (``model/``, ``sentencepiece.model``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import ctranslate2  # type: ignore[import-untyped]
import numpy as np
import sentencepiece
from ctranslate2.specs import TransformerSpec  # type: ignore[import-untyped]

D_MODEL = 16
D_FFN = 32

LINES = [
    "IOM Mexico has assisted {n} victims of trafficking from Central America.",
    "Read <1>the report</1> at <2/> today.",
    "The publication will be available on <3/> at <1/>.",
    "The office opened {n} shelters along the southern border.",
    "Contact <1>the press office</1> for more information.",
]


def _train_tokeniser(folder: Path) -> Path:
    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(line.format(n=n) for n in range(20) for line in LINES) + "\n", "utf-8")
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(folder / "sp"), vocab_size=60, hard_vocab_limit=False,
        bos_id=-1, eos_id=-1, pad_id=-1, unk_id=0, minloglevel=2,
    )
    return folder / "sp.model"


def _random(rng: np.random.Generator, *shape: int) -> Any:
    return (rng.standard_normal(shape) * 0.2).astype(np.float32)


def _layer_norm(norm: Any) -> None:
    norm.gamma = np.ones(D_MODEL, np.float32)
    norm.beta = np.zeros(D_MODEL, np.float32)


def _attention(attention: Any, rng: np.random.Generator, *, cross: bool) -> None:
    _layer_norm(attention.layer_norm)
    shapes = [(D_MODEL, D_MODEL), (2 * D_MODEL, D_MODEL), (D_MODEL, D_MODEL)] if cross \
        else [(3 * D_MODEL, D_MODEL), (D_MODEL, D_MODEL)]
    for linear, shape in zip(attention.linear, shapes, strict=True):
        linear.weight = _random(rng, *shape)
        linear.bias = _random(rng, shape[0])


def _ffn(ffn: Any, rng: np.random.Generator) -> None:
    _layer_norm(ffn.layer_norm)
    ffn.linear_0.weight, ffn.linear_0.bias = _random(rng, D_FFN, D_MODEL), _random(rng, D_FFN)
    ffn.linear_1.weight, ffn.linear_1.bias = _random(rng, D_MODEL, D_FFN), _random(rng, D_MODEL)


def build_tiny_model(folder: Path, seed: int = 13) -> tuple[Path, Path]:
    """Write the model in both layouts under ``folder``; returns (OPUS-MT folder, Argos folder)."""
    work = folder / "work"
    work.mkdir(parents=True)
    spm = _train_tokeniser(work)
    processor = sentencepiece.SentencePieceProcessor(model_file=str(spm))
    vocabulary = ["<blank>", "<s>", "</s>"] + [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    rng = np.random.default_rng(seed)
    spec = TransformerSpec.from_config(num_layers=1, num_heads=2)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.embeddings[0].weight = _random(rng, len(vocabulary), D_MODEL)
    decoder.embeddings.weight = _random(rng, len(vocabulary), D_MODEL)
    decoder.projection.weight = _random(rng, len(vocabulary), D_MODEL)
    decoder.projection.bias = _random(rng, len(vocabulary))
    _layer_norm(encoder.layer_norm)
    _layer_norm(decoder.layer_norm)
    for layer in encoder.layer:
        _attention(layer.self_attention, rng, cross=False)
        _ffn(layer.ffn, rng)
    for layer in decoder.layer:
        _attention(layer.self_attention, rng, cross=False)
        _attention(layer.attention, rng, cross=True)
        _ffn(layer.ffn, rng)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    opus = folder / "opus-mt-en-es"
    opus.mkdir()
    spec.save(str(opus))
    shutil.copy(spm, opus / "source.spm")
    shutil.copy(spm, opus / "target.spm")
    argos = folder / "translate-en_es-0_1"
    shutil.copytree(opus, argos / "model", ignore=shutil.ignore_patterns("*.spm"))
    shutil.copy(spm, argos / "sentencepiece.model")
    assert ctranslate2.contains_model(str(opus)) and ctranslate2.contains_model(str(argos / "model"))
    return opus, argos
