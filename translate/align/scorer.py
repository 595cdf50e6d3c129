"""Logistic scorers: the probability that a pair of sentences reports the same thing.

One scorer per set of available signals, because a weight learned with a
signal present is wrong when it is absent: ``enc`` (sentence encoder only),
``enc+ko2en`` / ``enc+en2ko`` (plus machine translation one way),
``enc+both``, and the same four without an encoder (``lex``, ``ko2en``,
``en2ko``, ``both``) for ``--encoder none``. Weights, thresholds and the
parallel-mode bias are fitted by ``benchmarks/fit_align.py`` and stored in
``weights.json`` beside this file; a test refits them and compares.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from translate.align.features import FEATURES

__all__ = ["ADOPTED_EXTRA", "WEIGHTS_PATH", "Scorer", "load_weights", "scorer_name", "signal_features"]

WEIGHTS_PATH = Path(__file__).with_name("weights.json")
_ENCODER_FEATURES = ("cos", "margin", "best")
_BASE_FEATURES = ("numbers", "num_conflict", "num_rare", "latin", "quotes", "length", "position", "lead")
# Extra evidence (``extra.py``) each scorer adopted: forward selection by
# ``benchmarks/signal_deltas.py``, each signal moving leave-one-event-out F1 on
# the real comparable events by at least 0.01 over those adopted before it.
ADOPTED_EXTRA: dict[str, tuple[str, ...]] = {
    "enc": ("lex_ko", "names"),
    "enc+ko2en": (),
    "enc+en2ko": ("clause",),
    "enc+both": ("words",),
    "lex": ("lex_en",),
    "ko2en": ("names",),
    "en2ko": (),
    "both": ("lex_en", "names"),
}


def scorer_name(encoder: bool, ko2en: bool, en2ko: bool) -> str:
    mt = {(True, True): "both", (True, False): "ko2en", (False, True): "en2ko"}.get((ko2en, en2ko))
    if encoder:
        return f"enc+{mt}" if mt else "enc"
    return mt or "lex"


def signal_features(name: str, extra: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The features a scorer may use: its signals' features plus the translation-free anchors.

    ``extra`` overrides the adopted extra evidence (to measure a candidate signal).
    """
    feats = list(_ENCODER_FEATURES) if name.startswith("enc") else []
    feats += list(ADOPTED_EXTRA.get(name, ()) if extra is None else extra)
    if "both" in name or "ko2en" in name:
        feats.append("chrf_en")
    if "both" in name or "en2ko" in name:
        feats.append("chrf_ko")
    return tuple(f for f in FEATURES if f in feats or f in _BASE_FEATURES)


@dataclass(frozen=True)
class Scorer:
    name: str
    weights: dict[str, float]
    bias: float
    threshold: float  # a link needs at least this probability
    parallel_bias: float  # what a link must score to beat a skip in parallel mode
    possible_floor: float = 1.0  # a gap row shows its best candidate from this score up

    @classmethod
    def from_dict(cls, name: str, d: dict) -> Scorer:
        return cls(
            name,
            d["weights"],
            d["bias"],
            d["threshold"],
            d.get("parallel_bias", d["threshold"]),
            d.get("possible_floor", d["threshold"]),
        )

    def score(self, x: np.ndarray) -> np.ndarray:
        """Probabilities for a (pairs × FEATURES) matrix."""
        w = np.array([self.weights.get(f, 0.0) for f in FEATURES], dtype=np.float32)
        z = np.clip(x @ w + np.float32(self.bias), -30, 30)  # exp stays finite
        return 1.0 / (1.0 + np.exp(-z))


@cache
def _read(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_weights(path: str | Path = WEIGHTS_PATH) -> dict:
    """The fitted scorers file (read once per process)."""
    return _read(str(path))
