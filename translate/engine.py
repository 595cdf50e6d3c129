"""Batched sentence translation through an installed Argos package.

We drive the package's CTranslate2 model and tokenizer directly instead of
calling ``argostranslate.translate``: that path re-splits text into sentences
(losing our boundaries), sends roughly one sentence per ``translate_batch`` call
and imports torch. Here sentences are sorted by length and sent in large
batches, and the decoding options mirror Argos's own (beam 4, length penalty
0.2, unknown-token replacement, ``target_prefix`` from the metadata).
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from translate.cache import TranslationCache
from translate.errors import InputError, ModelError
from translate.models import ModelInfo, find_installed
from translate.progress import CountProgress

MAX_BEAM = 16  # Argos uses 4; beyond 16 the time grows with no gain in quality
MAX_THREADS = 256
MAX_TOKENS = 256  # tokens per segment fed to the model: a long news sentence is about 60


@dataclass(frozen=True)
class DecodeSettings:
    """CTranslate2 decoding options. All of them are part of the cache key."""

    beam_size: int = 4
    compute_type: str = "auto"  # "auto": int8 on CPUs that support it, else float32
    # Defaults from benchmarks/translate_sweep.py on an Argos-sized model (README):
    # one thread per batch with batches decoded in parallel beat one batch on all
    # threads, and batches of 16 beat 64 (beam search pads finished hypotheses).
    threads: int = 0  # CPU threads in all; 0 = every core
    intra_threads: int = 1  # threads per batch; threads // intra_threads batches run at once
    max_batch_size: int = 16  # sentences per batch
    length_ratio: float = 2.0  # max output tokens = ratio * longest input + extra
    length_extra: int = 10
    length_penalty: float = 0.2

    def __post_init__(self) -> None:
        # Beam 0 or -1 crashed deep inside CTranslate2, and a huge beam or thread count hangs.
        if not isinstance(self.beam_size, int) or not 1 <= self.beam_size <= MAX_BEAM:
            raise InputError(f"--beam-size must be between 1 and {MAX_BEAM}, not {self.beam_size}")
        if not isinstance(self.threads, int) or not 0 <= self.threads <= MAX_THREADS:
            raise InputError(f"--threads must be between 0 (all cores) and {MAX_THREADS}, not {self.threads}")

    def thread_split(self) -> tuple[int, int]:
        """(inter_threads, intra_threads) for CTranslate2: parallel batches × threads each."""
        total = self.threads or os.cpu_count() or 1
        intra = max(1, min(self.intra_threads or total, total))
        return max(1, total // intra), intra

    def resolved_compute_type(self) -> str:
        if self.compute_type != "auto":
            return self.compute_type
        import ctranslate2

        return "int8" if "int8" in ctranslate2.get_supported_compute_types("cpu") else "float32"

    def cache_key(self) -> str:
        return (
            f"beam={self.beam_size};ct={self.resolved_compute_type()};"
            f"len={self.length_ratio}x+{self.length_extra};lp={self.length_penalty}"
        )


# One CTranslate2 model per (package path, compute type, thread split) per process.
_LOADED: dict[tuple[str, str, int, int], Any] = {}
_LOAD_LOCK = threading.Lock()
_LENGTH_BUCKET = 8  # input lengths are rounded up to this before bounding output
load_count = 0  # how many models this process has loaded; tests read it


def _load_ct2(model_dir: Path, compute_type: str, inter_threads: int, intra_threads: int) -> Any:
    global load_count
    key = (str(model_dir), compute_type, inter_threads, intra_threads)
    with _LOAD_LOCK:
        if key not in _LOADED:
            import ctranslate2

            try:
                _LOADED[key] = ctranslate2.Translator(
                    str(model_dir),
                    device="cpu",
                    compute_type=compute_type,
                    inter_threads=inter_threads,
                    intra_threads=intra_threads,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelError(
                    f"cannot load CTranslate2 model at {model_dir}: {exc}; reinstall its package with "
                    "`coverage-align models install --file PATH.argosmodel`"
                ) from exc
            load_count += 1
        return _LOADED[key]


@lru_cache(maxsize=16)
def _load_tokenizer(package_dir: Path) -> Any:
    """The package's SentencePiece/BPE tokenizer, loaded once per process like the model."""
    from argostranslate.package import Package

    tok = getattr(Package(package_dir), "tokenizer", None)
    if tok is None:
        raise ModelError(
            f"{package_dir.name} has no sentencepiece.model or bpe.model; reinstall it with "
            "`coverage-align models install --file PATH.argosmodel`"
        )
    return tok


class Engine:
    """Translates lists of sentences with one installed Argos package."""

    def __init__(self, model: ModelInfo, settings: DecodeSettings | None = None):
        if model.path is None:
            raise ModelError(f"{model.code} is not installed")
        self.model = model
        self.settings = settings or DecodeSettings()

    @property
    def tokenizer(self) -> Any:
        return _load_tokenizer(self.model.path)

    @property
    def translator(self) -> Any:
        s = self.settings
        assert self.model.path is not None  # checked in __init__
        return _load_ct2(self.model.path / "model", s.resolved_compute_type(), *s.thread_split())

    def _decode(self, tokens: list[str]) -> str:
        text = self.tokenizer.decode(tokens)
        prefix = self.model.target_prefix
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        return text.strip()

    def _max_len(self, n_tokens: int) -> int:
        bucket = -(-n_tokens // _LENGTH_BUCKET) * _LENGTH_BUCKET
        return int(self.settings.length_ratio * bucket) + self.settings.length_extra

    def translate(self, sentences: Sequence[str], progress: CountProgress | None = None) -> list[str]:
        """One translation per input, in input order; blank inputs give ''."""
        out = [""] * len(sentences)
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return out
        # Segments over MAX_TOKENS are cut into chunks translated on their own and
        # joined: decoding time grows faster than linearly with length, and a
        # 20,000-character line without punctuation never finished. The pipeline
        # already splits long sentences at clause boundaries; this is the backstop.
        pieces: dict[int, list[int]] = {}
        chunks: list[list[str]] = []
        for i in todo:
            toks = self.tokenizer.encode(sentences[i])
            pieces[i] = []
            for k in range(0, max(len(toks), 1), MAX_TOKENS):
                pieces[i].append(len(chunks))
                chunks.append(toks[k : k + MAX_TOKENS])
        last = {p[-1] for p in pieces.values()}  # a sentence is done with its last chunk
        done = self._translate_tokens(
            chunks, lambda batch: progress(sum(c in last for c in batch)) if progress else None
        )
        for i in todo:
            out[i] = " ".join(t for t in (done[c] for c in pieces[i]) if t)
        return out

    def _translate_tokens(self, chunks: list[list[str]], finished: Callable[[list[int]], None]) -> list[str]:
        out = [""] * len(chunks)
        todo = list(range(len(chunks)))
        tokens = dict(enumerate(chunks))
        s = self.settings
        # A sentence's output bound depends only on its own length (rounded up
        # to a bucket), never on its batch-mates, so batched output equals
        # one-at-a-time output. Length-sorted batches also waste no padding.
        bound = {i: self._max_len(len(tokens[i])) for i in todo}
        todo.sort(key=lambda i: (bound[i], len(tokens[i])))
        # Enough batches to keep every worker busy, none larger than max_batch_size.
        workers = s.thread_split()[0]
        size = max(1, min(s.max_batch_size, math.ceil(len(todo) / workers)))
        batches: list[list[int]] = []
        for i in todo:
            if batches and bound[batches[-1][0]] == bound[i] and len(batches[-1]) < size:
                batches[-1].append(i)
            else:
                batches.append([i])
        prefix = [self.model.target_prefix] if self.model.target_prefix else None
        # Submit every batch at once, so the inter_threads workers decode them in
        # parallel; collect in order.
        pending = [
            self.translator.translate_batch(
                [tokens[i] for i in batch],
                target_prefix=[prefix] * len(batch) if prefix else None,
                beam_size=s.beam_size,
                max_batch_size=size,
                max_decoding_length=bound[batch[0]],
                length_penalty=s.length_penalty,
                replace_unknowns=True,
                asynchronous=True,
            )
            for batch in batches
        ]
        for batch, results in zip(batches, pending, strict=True):
            for i, res in zip(batch, results, strict=True):
                out[i] = self._decode(res.result().hypotheses[0])
            finished(batch)
        return out


def translate_sentences(
    sentences: Sequence[str],
    from_code: str,
    to_code: str,
    *,
    settings: DecodeSettings | None = None,
    cache: TranslationCache | None = None,
    progress: CountProgress | None = None,
) -> tuple[list[str], ModelInfo]:
    """Translate with the installed package for a direction, through the cache.

    Only sentences missing from the cache reach the model, and the model is
    not even loaded when every sentence is cached. Returns the translations and
    the package used (for provenance).
    """
    settings = settings or DecodeSettings()
    model = find_installed(from_code, to_code)
    engine = Engine(model, settings)
    skey = settings.cache_key()
    known = cache.get_many(model.key, skey, sentences) if cache is not None else {}
    if progress and known:
        progress(sum(1 for s in sentences if s in known))
    missing = sorted({s for s in sentences if s not in known and s.strip()})
    if missing:
        fresh = engine.translate(missing, progress=progress)
        known.update(zip(missing, fresh, strict=True))
        if cache is not None:
            cache.put_many(model.key, skey, zip(missing, fresh, strict=True))
    return [known.get(s, "") for s in sentences], model
