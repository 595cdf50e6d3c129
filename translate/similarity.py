"""Pairwise evidence that an English and a Korean sentence report the same thing.

Every feature is computed for all (English, Korean) pairs at once as an n×m
matrix from sparse binary indicator matrices, so cost grows with n×m and no
Python loop runs over pairs:

* ``chrf_en``: character n-gram F1 between the English sentence and the
  Korean sentence's English translation (in the spirit of chrF, on n-gram
  sets), ``chrf_ko`` the same in Korean space;
* ``numbers``: Dice overlap of normalised numbers (2만8천500 = 28,500);
  ``num_conflict``: both sides carry numbers and share none;
* ``latin``: share of the Korean sentence's Latin-script tokens (ICBM, KTX)
  found in the English sentence;
* ``quotes``: both sentences contain quoted speech;
* ``length``: minus the absolute log ratio of lengths, after scaling Korean
  characters by the typical English/Korean ratio;
* ``margin``: BUCC-style ratio margin of the summed similarities, i.e. how far a
  pair stands out from each sentence's best few candidates (log1p of the ratio).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse

from translate.numbers import extract

FEATURES = ("chrf_en", "chrf_ko", "numbers", "num_conflict", "latin", "quotes", "length", "margin")
_NGRAMS = {"en": (2, 3, 4), "ko": (1, 2, 3)}
_STRIP = re.compile(r"[\W_]+", re.UNICODE)
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_QUOTE = re.compile(r"[\"“”「」『』]|(?:^|\s)'[^']{3,}'")


def _ngram_sets(texts: Sequence[str], lang: str) -> list[set[str]]:
    sizes = _NGRAMS[lang]
    out = []
    for t in texts:
        s = _STRIP.sub("", t.lower())
        out.append({s[k : k + n] for n in sizes for k in range(len(s) - n + 1)})
    return out


def _indicator(rows: list[set], vocab: dict) -> sparse.csr_matrix:
    """Binary matrix, one row per set, columns from a shared vocabulary."""
    indptr, indices = [0], []
    for items in rows:
        for it in items:
            indices.append(vocab.setdefault(it, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), max(len(vocab), 1)))


def _dice(a: list[set], b: list[set]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intersection sizes and set sizes for all pairs: (inter n×m, |a| n, |b| m)."""
    vocab: dict = {}
    ma, mb = _indicator(a, vocab), _indicator(b, vocab)
    ma.resize((ma.shape[0], len(vocab) or 1))
    mb.resize((mb.shape[0], len(vocab) or 1))
    inter = (ma @ mb.T).toarray()
    return inter, np.asarray(ma.sum(1)).ravel(), np.asarray(mb.sum(1)).ravel()


def _f1(a: list[set], b: list[set]) -> np.ndarray:
    inter, na, nb = _dice(a, b)
    denom = na[:, None] + nb[None, :]
    return np.divide(2 * inter, denom, out=np.zeros_like(inter), where=denom > 0)


@dataclass
class Side:
    """Per-sentence evidence for one side; ``merge_next`` builds adjacent pairs."""

    lang: str
    texts: list[str]
    own: list[set[str]]  # n-grams of the sentence itself
    translated: list[set[str]] | None  # n-grams of its translation into the other language
    numbers: list[set[float]]
    tokens: list[set[str]]  # ko: Latin tokens; en: all lower-cased words
    quotes: np.ndarray
    lengths: np.ndarray

    @classmethod
    def build(cls, texts: Sequence[str], lang: str, translations: Sequence[str] | None) -> Side:
        other = "ko" if lang == "en" else "en"
        token_re = _LATIN_TOKEN if lang == "ko" else _WORD
        return cls(
            lang=lang,
            texts=list(texts),
            own=_ngram_sets(texts, lang),
            translated=_ngram_sets(translations, other) if translations is not None else None,
            numbers=[{round(n.value, 6) for n in extract(t, lang)} for t in texts],
            tokens=[{w.lower() for w in token_re.findall(t)} for t in texts],
            quotes=np.array([bool(_QUOTE.search(t)) for t in texts], dtype=np.float32),
            lengths=np.array([max(len(t), 1) for t in texts], dtype=np.float32),
        )

    def merge_next(self) -> Side:
        """Row k stands for sentences k and k+1 together."""

        def both(xs: list[set]) -> list[set]:
            return [a | b for a, b in pairwise(xs)]

        return Side(
            lang=self.lang,
            texts=[f"{a} {b}" for a, b in pairwise(self.texts)],
            own=both(self.own),
            translated=both(self.translated) if self.translated is not None else None,
            numbers=both(self.numbers),
            tokens=both(self.tokens),
            quotes=np.maximum(self.quotes[:-1], self.quotes[1:]),
            lengths=self.lengths[:-1] + self.lengths[1:] + 1,
        )


def pair_features(en: Side, ko: Side, length_ratio: float) -> dict[str, np.ndarray]:
    """Every feature in FEATURES as an (len(en) × len(ko)) float32 matrix."""
    n, m = len(en.texts), len(ko.texts)
    zeros = np.zeros((n, m), dtype=np.float32)
    feats: dict[str, np.ndarray] = {}
    feats["chrf_en"] = _f1(en.own, ko.translated) if ko.translated is not None else zeros
    feats["chrf_ko"] = _f1(en.translated, ko.own) if en.translated is not None else zeros
    inter, n_en, n_ko = _dice(en.numbers, ko.numbers)
    denom = n_en[:, None] + n_ko[None, :]
    feats["numbers"] = np.divide(2 * inter, denom, out=np.zeros_like(inter), where=denom > 0)
    feats["num_conflict"] = ((n_en[:, None] > 0) & (n_ko[None, :] > 0) & (inter == 0)).astype(np.float32)
    inter, _, n_lat = _dice(en.tokens, ko.tokens)
    feats["latin"] = np.divide(inter, n_lat[None, :], out=np.zeros_like(inter), where=n_lat > 0)
    feats["quotes"] = en.quotes[:, None] * ko.quotes[None, :]
    ratio = en.lengths[:, None] / (length_ratio * ko.lengths[None, :])
    feats["length"] = -np.abs(np.log(ratio))
    feats["margin"] = _margin(feats["chrf_en"] + feats["chrf_ko"] + feats["numbers"])
    return {k: v.astype(np.float32, copy=False) for k, v in feats.items()}


def _margin(sim: np.ndarray, k: int = 4) -> np.ndarray:
    """BUCC-style ratio margin: a pair's similarity over its neighbourhoods' average."""
    n, m = sim.shape
    if n == 0 or m == 0:
        return np.zeros_like(sim)
    kr, kc = min(k, m), min(k, n)
    row = np.sort(sim, axis=1)[:, -kr:].mean(1)
    col = np.sort(sim, axis=0)[-kc:, :].mean(0)
    denom = (row[:, None] + col[None, :]) / 2
    return np.log1p(np.divide(sim, denom, out=np.zeros_like(sim), where=denom > 0))
