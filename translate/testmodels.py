"""Build tiny but genuine Argos packages for tests and demos without a network.

Each package is a real ``.argosmodel`` zip: ``metadata.json``, a SentencePiece
vocabulary trained on a few sentences the project wrote, and a two-layer
CTranslate2 Transformer with seeded random weights. Its translations are
MEANINGLESS, but loading, tokenising, batching, decoding and caching go through
exactly the code a real ko↔en package uses. Nothing here claims translation
quality.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path

TEST_MODEL_BANNER = "TEST MODELS: random weights, the machine translations are meaningless"
TEST_VERSION = "0.0.1-test"


def is_test_version(version: str) -> bool:
    """True for packages built here (their translations are meaningless)."""
    return version.endswith("-test")


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


def _fill_random(spec: object, d_model: int, d_ffn: int, vocab: int, seed: int) -> None:
    """Give every weight of a fresh TransformerSpec a seeded random value."""
    import numpy as np
    from ctranslate2.specs import attention_spec, common_spec, model_spec, transformer_spec

    rng = np.random.default_rng(seed)

    def rand(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.6).astype(np.float32)

    def linear(lin: common_spec.LinearSpec, out_dim: int, in_dim: int) -> None:
        lin.weight, lin.bias = rand(out_dim, in_dim), rand(out_dim)

    def visit(node: object) -> None:
        if isinstance(node, common_spec.LayerNormSpec):
            node.gamma = np.ones(d_model, np.float32)
            node.beta = np.zeros(d_model, np.float32)
        elif isinstance(node, common_spec.EmbeddingsSpec):
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


def _steer_output(spec: object, pieces: list[str], to_code: str) -> None:
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
    bias[pieces.index("</s>")] += 3.0  # sentences of a plausible length
    spec.decoder.projection.bias = bias.astype(np.float32)


def build_test_package(
    from_code: str,
    to_code: str,
    out_dir: str | Path,
    *,
    seed: int = 0,
    num_layers: int = 2,
    d_model: int = 64,
    vocab_size: int = 600,
) -> Path:
    """Write ``translate-{from}_{to}-test.argosmodel`` into ``out_dir``; return its path."""
    from ctranslate2.specs import transformer_spec

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"translate-{from_code}_{to_code}-test"
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / name
        pkg.mkdir()
        pieces = _train_sentencepiece(pkg / "sentencepiece", vocab_size)
        (pkg / "sentencepiece.vocab").unlink()
        spec = transformer_spec.TransformerSpec.from_config(num_layers, num_heads=4)
        _fill_random(spec, d_model, 2 * d_model, len(pieces), seed)
        _steer_output(spec, pieces, to_code)
        spec.register_source_vocabulary(pieces)
        spec.register_target_vocabulary(pieces)
        spec.validate()
        spec.optimize(quantization=None)
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
            "description": TEST_MODEL_BANNER,
            "links": [],
        }
        (pkg / "metadata.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        (pkg / "README.md").write_text(f"# {name}\n\n{TEST_MODEL_BANNER}.\n", encoding="utf-8")
        target = out_dir / f"{name}.argosmodel"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(pkg.rglob("*")):
                zf.write(f, f.relative_to(tmp))
        shutil.rmtree(pkg)
    return target


def install_test_models(
    out_dir: str | Path, *, install: bool = True, only_missing: bool = False
) -> list[Path]:
    """Build ko→en and en→ko test packages in ``out_dir`` and install them into ``ARGOS_PACKAGES_DIR``.

    With ``only_missing``, a direction that already has an installed package is skipped.
    """
    from translate.errors import ModelNotInstalled
    from translate.models import find_installed, install_file

    paths = []
    for src, tgt, seed in (("ko", "en", 0), ("en", "ko", 1)):
        if only_missing:
            try:
                find_installed(src, tgt)
                continue
            except ModelNotInstalled:
                pass
        path = build_test_package(src, tgt, out_dir, seed=seed)
        if install:
            install_file(path)
        paths.append(path)
    return paths
