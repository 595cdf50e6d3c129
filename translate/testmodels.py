"""Build tiny but genuine Argos packages for tests and demos without a network.

Each package is a real ``.argosmodel`` zip: ``metadata.json``, a SentencePiece
vocabulary trained on a few sentences the project wrote, and a two-layer
CTranslate2 Transformer with seeded random weights. Its translations are
MEANINGLESS, but loading, tokenising, batching, decoding and caching go through
exactly the code a real ko↔en package uses. Nothing here claims translation
quality.

``build_realistic_package`` builds, on request, one the size of a real Argos
model (d512, 6 + 6 layers, 8 heads, 32k vocabulary) for speed benchmarks: the
compute per output token is a real model's, and outputs end near the input length.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

# The marks live in translate.testmarks (models.py reads them); re-exported for callers here.
from translate.testmarks import TEST_MODEL_BANNER, TEST_VERSION, is_test_package, is_test_version

__all__ = [
    "TEST_MODEL_BANNER",
    "TEST_VERSION",
    "build_realistic_package",
    "build_test_package",
    "install_test_models",
    "is_test_package",
    "is_test_version",
]

CORPUS = Path(__file__).with_name("resources") / "tiny_corpus.txt"


def _train_sentencepiece(out_prefix: Path, vocab_size: int) -> list[str]:
    import sentencepiece as spm

    text = CORPUS.read_text(encoding="utf-8")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(text.splitlines() * 4),
        model_prefix=str(out_prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=True,  # unseen characters still encode, as in real packages
        hard_vocab_limit=False,
        num_threads=1,  # determinism
        seed_sentencepiece_size=10_000,
        minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_file=f"{out_prefix}.model")
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _fill_random(
    spec: Any, d_model: int, d_ffn: int, vocab: int, seed: int, *, fan_in_scale: bool = False
) -> None:
    """Give every weight of a fresh TransformerSpec a seeded random value.

    ``fan_in_scale`` draws weights with std 1/sqrt(fan-in), so activations and
    logits stay of order 1 in a deep, wide model and a fixed EOS bias has a
    predictable effect; the tiny model keeps its original flat 0.6.
    """
    import numpy as np
    from ctranslate2.specs import attention_spec, common_spec, model_spec, transformer_spec

    rng = np.random.default_rng(seed)

    def rand(*shape: int) -> np.ndarray:
        scale = shape[-1] ** -0.5 if fan_in_scale and len(shape) == 2 else 0.6
        if fan_in_scale and len(shape) == 1:
            scale = 0.02  # biases
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def linear(lin: common_spec.LinearSpec, out_dim: int, in_dim: int) -> None:
        lin.weight, lin.bias = rand(out_dim, in_dim), rand(out_dim)

    def visit(node: object) -> None:
        if isinstance(node, common_spec.LayerNormSpec):
            node.gamma = np.ones(d_model, np.float32)
            node.beta = np.zeros(d_model, np.float32)
        elif isinstance(node, common_spec.EmbeddingsSpec):
            # Embeddings are multiplied by sqrt(d_model) when loaded; fan-in scaling
            # of a (vocab, d) matrix gives std 1/sqrt(d), hence order-1 inputs.
            node.weight = rand(vocab, d_model)
        elif isinstance(node, attention_spec.MultiHeadAttentionSpec):
            if len(node.linear) == 2:  # self-attention: fused QKV, then output
                linear(node.linear[0], 3 * d_model, d_model)
                linear(node.linear[1], d_model, d_model)
            else:  # encoder-decoder attention: Q, fused KV, output
                linear(node.linear[0], d_model, d_model)
                linear(node.linear[1], 2 * d_model, d_model)
                linear(node.linear[2], d_model, d_model)
        elif isinstance(node, transformer_spec.FeedForwardSpec):
            linear(node.linear_0, d_ffn, d_model)
            linear(node.linear_1, d_model, d_ffn)
        elif isinstance(node, transformer_spec.TransformerDecoderSpec):
            linear(node.projection, vocab, d_model)
        for name, child in vars(node).items():
            if name.startswith("_"):
                continue
            for item in child if isinstance(child, list) else [child]:
                if isinstance(item, model_spec.LayerSpec):
                    visit(item)

    visit(spec)


def _steer_output(spec: Any, pieces: list[str], to_code: str, eos_bias: float = 3.0) -> None:
    """Bias the output layer towards pieces in the target script.

    The output stays meaningless, but it is readable text in the right script
    (no stray byte tokens), which keeps demo reports and terminal views legible.
    """
    import numpy as np

    hangul = lambda p: any("\uac00" <= c <= "\ud7a3" for c in p)  # noqa: E731
    bias = spec.decoder.projection.bias
    for i, piece in enumerate(pieces):
        if piece.startswith("<0x") or (piece.startswith("<") and piece != "</s>"):
            bias[i] -= 20.0
        elif hangul(piece) != (to_code == "ko"):
            bias[i] -= 4.0
        elif piece.startswith("▁"):
            bias[i] += 1.0  # word-initial pieces, so the output has spaces
    bias[pieces.index("</s>")] += eos_bias  # sentences of a plausible length
    spec.decoder.projection.bias = bias.astype(np.float32)


_MAX_POSITIONS = 1024  # explicit position table; inputs and outputs stay far below this


def _length_aware_eos(spec: Any, d_model: int, eos: int, slope: float, offset: float) -> None:
    """Make the EOS logit rise as the output grows past the input's length.

    A random model cannot know when to stop: it falls into a token cycle and
    either emits EOS at once or never. A trained model stops near the input
    length, and that is what decides decoding cost. So one residual dimension
    ``r`` is reserved as a clean length channel, wired by hand:

    - position tables (ours, explicit) put ``position / 64`` in ``r``, and no
      embedding or residual branch writes to ``r``, so it carries only that ramp;
    - in the last decoder layer, one head of the encoder-decoder attention has
      zero queries, so it averages over the (unpadded) source, whose mean ramp is
      about ``source length / 128``; its output projection subtracts twice that;
    - the EOS row of the output projection reads ``r`` with a large weight.

    So the EOS logit grows by about ``slope`` per token once the output is longer
    than ``offset``-adjusted input length. Every other weight stays random.
    """
    import numpy as np

    r = d_model - 1
    head = slice(d_model - d_model // spec.decoder.num_heads, d_model)  # the head holding r

    def table() -> np.ndarray:
        pos = np.arange(_MAX_POSITIONS, dtype=np.float32)[:, None]
        inv = 10_000.0 ** (-np.arange(d_model // 2, dtype=np.float32) / (d_model // 2))
        enc = np.concatenate([np.sin(pos * inv), np.cos(pos * inv)], axis=1)
        enc[:, r] = pos[:, 0] / 64.0
        return enc.astype(np.float32)

    for side in (spec.encoder, spec.decoder):
        side.position_encodings.encodings = table()
        emb = side.embeddings[0] if isinstance(side.embeddings, list) else side.embeddings
        emb.weight[:, r] = 0.0
        for layer in side.layer:
            outs = [layer.self_attention.linear[-1], layer.ffn.linear_1]
            if hasattr(layer, "attention"):
                outs.append(layer.attention.linear[-1])
            for lin in outs:
                lin.weight[r, :] = 0.0
                lin.bias[r] = 0.0
    cross = spec.decoder.layer[-1].attention
    cross.linear[0].weight[head, :] = 0.0  # zero queries: uniform attention over the source
    cross.linear[0].bias[head] = 0.0
    kv = cross.linear[1]
    kv.weight[d_model + r, :] = 0.0  # value r = the source's ramp
    kv.weight[d_model + r, r] = 1.0
    kv.bias[d_model + r] = 0.0
    cross.linear[-1].weight[r, :] = 0.0
    cross.linear[-1].weight[r, r] = -2.0  # ramp(t) - 2 * mean ramp(source) ≈ (t - L) / 64
    proj = spec.decoder.projection
    proj.weight[eos, :] = 0.0
    proj.weight[eos, r] = slope * 64.0
    proj.bias[eos] = offset


def build_test_package(
    from_code: str,
    to_code: str,
    out_dir: str | Path,
    *,
    seed: int = 0,
    num_layers: int = 2,
    d_model: int = 64,
    vocab_size: int = 600,
    num_heads: int = 4,
    d_ffn: int | None = None,
    pad_vocab_to: int = 0,
    eos_bias: float = 3.0,
    eos_slope: float = 0.0,
    quantization: str | None = None,
    description: str = TEST_MODEL_BANNER,
) -> Path:
    """Write ``translate-{from}_{to}-test.argosmodel`` into ``out_dir``; return its path.

    The defaults give the tiny test model; ``build_realistic_package`` sets the rest.
    """
    from ctranslate2.specs import transformer_spec

    realistic = pad_vocab_to > 0
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"translate-{from_code}_{to_code}-test"
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / name
        pkg.mkdir()
        pieces = _train_sentencepiece(pkg / "sentencepiece", vocab_size)
        (pkg / "sentencepiece.vocab").unlink()
        # SentencePiece cannot learn tens of thousands of pieces from our 2 KB
        # corpus (it stops near a thousand). Real pieces come first; the model's
        # vocabulary is then padded with pieces SentencePiece never produces and
        # _steer_output forbids ("<pad…>"), so the embedding and the output
        # projection, about half a decoder step, cost what a real 32k vocabulary costs.
        vocab = pieces + [f"<pad{i:05d}>" for i in range(len(pieces), pad_vocab_to)]
        spec = transformer_spec.TransformerSpec.from_config(num_layers, num_heads=num_heads)
        _fill_random(spec, d_model, d_ffn or 2 * d_model, len(vocab), seed, fan_in_scale=realistic)
        _steer_output(spec, vocab, to_code, eos_bias)
        if eos_slope:
            _length_aware_eos(spec, d_model, vocab.index("</s>"), eos_slope, eos_bias)
        spec.register_source_vocabulary(vocab)
        spec.register_target_vocabulary(vocab)
        spec.validate()
        spec.optimize(quantization=quantization)
        (pkg / "model").mkdir()
        spec.save(str(pkg / "model"))
        meta = {
            "package_version": TEST_VERSION,
            "argos_version": "1.11.0",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "code": name,
            "type": "translate",
            "description": description,
            "links": [],
        }
        (pkg / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        (pkg / "README.md").write_text(f"# {name}\n\n{description}.\n", encoding="utf-8")
        target = out_dir / f"{name}.argosmodel"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(pkg.rglob("*")):
                zf.write(f, f.relative_to(tmp))
        shutil.rmtree(pkg)
    return target


# A Transformer-base like Argos's own models: d512, 8 heads, FFN 2048, 6 + 6 layers,
# a 32k vocabulary, shipped int8 (a real ko→en package is about 120 MB zipped).
REALISTIC: dict[str, Any] = {
    "num_layers": 6,
    "d_model": 512,
    "num_heads": 8,
    "d_ffn": 2048,
    "vocab_size": 1000,
    "pad_vocab_to": 32_000,
    "quantization": "int8",
    # EOS logit = eos_bias + eos_slope * (output - input tokens), roughly; tuned so
    # that beam-4 outputs of news sentences end near the input length (the sweep
    # benchmark prints the ratio).
    "eos_bias": -9.0,
    "eos_slope": 1.0,
}


def build_realistic_package(from_code: str, to_code: str, out_dir: str | Path, *, seed: int = 0) -> Path:
    """A random-weight package the size of a real Argos model, for speed benchmarks only."""
    return build_test_package(
        from_code,
        to_code,
        out_dir,
        seed=seed,
        description=f"{TEST_MODEL_BANNER} (realistic size, for benchmarks)",
        **REALISTIC,
    )


def install_test_models(
    out_dir: str | Path, *, install: bool = True, only_missing: bool = False, realistic: bool = False
) -> list[Path]:
    """Build ko→en and en→ko test packages in ``out_dir`` and install them into ``ARGOS_PACKAGES_DIR``.

    With ``only_missing``, a direction that already has an installed package is skipped.
    """
    from translate.errors import ModelNotInstalled
    from translate.models import find_installed, install_file

    builder = build_realistic_package if realistic else build_test_package
    paths = []
    for src, tgt, seed in (("ko", "en", 0), ("en", "ko", 1)):
        if only_missing:
            try:
                find_installed(src, tgt, allow_test=True)
                continue
            except ModelNotInstalled:
                pass
        path = builder(src, tgt, out_dir, seed=seed)
        if install:
            install_file(path)
        paths.append(path)
    return paths
