"""Verdict evidence from a machine translation of one side (``ko2en`` or ``en2ko``).

When a run has a translation model for a direction, every sentence of the
source side has a translation in the other language, so the two articles
can be compared in one language. For the verdict's question (is this
sentence's content reported anywhere on the other side?) that gives, per
direction and for every sentence of both sides, compared in the target
language (the translated side through its translations):

* ``<d>_found``: the rarity-weighted share of the sentence's units (English
  word stems; Korean character bigrams within words, plus Latin and digit
  tokens) found anywhere in the other article;
* ``<d>_inside``: the largest such share that one candidate sentence holds;
* ``<d>_chrf``: the best character n-gram F1 (chrF on n-gram sets, as the
  pair features compute it) against a candidate.

Set look-ups against the union of the other side, and one comparison per
candidate pair: linear, no matrix of all sentence pairs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from translate.align.features import _ngrams

__all__ = ["DIRECTIONS", "MT_FEATURES", "direction_features", "mt_features"]

DIRECTIONS = ("ko2en", "en2ko")
_KINDS = ("found", "inside", "chrf")
MT_FEATURES = tuple(f"{d}_{k}" for d in DIRECTIONS for k in _KINDS)
_HANGUL_WORD = re.compile(r"[가-힣]+")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z]+|\d+")


def _units(text: str, lang: str) -> set[str]:
    """What a reader would call the sentence's content, in ``lang``."""
    if lang == "en":
        from translate.align.lexicon import english_stems

        return english_stems(text)
    out = {m.group().lower() for m in _LATIN_OR_DIGIT.finditer(text)}
    for m in _HANGUL_WORD.finditer(text):
        w = m.group()
        # Particles and endings change a word's last syllable; bigrams keep its stem.
        out.update(w[k : k + 2] for k in range(len(w) - 1))
        if len(w) == 1:
            out.add(w)
    return out


def _idf(units: Sequence[set[str]]) -> dict[str, float]:
    df: dict[str, int] = {}
    for s in units:
        for u in s:
            df[u] = df.get(u, 0) + 1
    n = len(units)
    return {u: float(np.log((n + 1) / (c + 0.5))) for u, c in df.items()}


def _share(units: set[str], weights: dict[str, float], bag: set[str] | frozenset[str]) -> float:
    total = sum(weights[u] for u in units)
    if total <= 0:
        return 0.0
    return sum(weights[u] for u in units if u in bag) / total


def _chrf(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _one_way(
    mine: Sequence[str], other: Sequence[str], lang: str, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """(len(mine) × 3): found, inside, chrF of each of ``mine`` against ``other`` (both in ``lang``);
    candidate pairs are (a[p] of mine, b[p] of other)."""
    units = [_units(t, lang) for t in mine]
    other_units = [_units(t, lang) for t in other]
    weights = _idf(units)
    article = frozenset().union(*other_units) if other_units else frozenset()
    x = np.zeros((len(mine), len(_KINDS)), np.float32)
    x[:, 0] = [_share(u, weights, article) for u in units]
    grams = [_ngrams(t, lang) for t in mine]
    other_grams = [_ngrams(t, lang) for t in other]
    for k, o in zip(a.tolist(), b.tolist(), strict=True):
        x[k, 1] = max(x[k, 1], _share(units[k], weights, other_units[o]))
        x[k, 2] = max(x[k, 2], _chrf(grams[k], other_grams[o]))
    return x


def direction_features(
    en: Sequence[str],
    ko: Sequence[str],
    direction: str,
    translation: Sequence[str],
    pairs: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """(English × 3, Korean × 3) features of one direction; ``translation`` is of ``ko`` (ko2en) or ``en``."""
    i, j = (np.asarray(p, dtype=np.int64) for p in pairs)
    if direction == "ko2en":
        return _one_way(en, translation, "en", i, j), _one_way(translation, en, "en", j, i)
    if direction == "en2ko":
        return _one_way(translation, ko, "ko", i, j), _one_way(ko, translation, "ko", j, i)
    raise ValueError(f"unknown translation direction {direction!r}")


def mt_features(
    en: Sequence[str],
    ko: Sequence[str],
    pairs: tuple[np.ndarray, np.ndarray],
    ko2en: Sequence[str] | None = None,
    en2ko: Sequence[str] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per side, ``MT_FEATURES`` columns of the directions that have a translation (others absent)."""
    out_en: dict[str, np.ndarray] = {}
    out_ko: dict[str, np.ndarray] = {}
    for d, tr in (("ko2en", ko2en), ("en2ko", en2ko)):
        if tr is None:
            continue
        x_en, x_ko = direction_features(en, ko, d, tr, pairs)
        for c, kind in enumerate(_KINDS):
            out_en[f"{d}_{kind}"] = x_en[:, c]
            out_ko[f"{d}_{kind}"] = x_ko[:, c]
    return out_en, out_ko
