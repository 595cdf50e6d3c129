"""Word-level evidence: each content word meets its closest word on the other side.

A dictionary (``lexicon``) knows one or two glosses per headword; newsrooms
paraphrase (died / 숨졌다 / 사망, blast / 폭파). The sentence encoder also
places single words of both languages in one space, so every content word of
a sentence is encoded once per article, and a pair scores by how closely each
word finds a partner in the other sentence, as BERTScore does with contextual
vectors: per side, the rarity-weighted mean of each word's best cosine
(rescaled so that the cosine of unrelated words counts as nothing), and the
feature is the harmonic mean of the two sides.

Only words are encoded, never pairs: the cost is one encoder call per
distinct word of an article (a few hundred for a news story), and the
embedding cache keeps them across runs. A side's vocabulary is capped at
``MAX_WORDS``, its most frequent words, so memory stays bounded at the input
limit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from translate.align.pairs import each_pair

__all__ = ["MAX_WORDS", "english_words", "korean_words", "word_feature"]

MAX_WORDS = 30_000  # per side: 60 MB of 512-dim vectors at most
FLOOR = 0.3  # median cosine of random English–Korean word pairs of the real dev set: 0.32 (use-m3-onnx)
KOREAN_TAGS = frozenset({"NNG", "NNP", "VV", "VA", "SL", "XR"})  # nouns, verb and adjective stems, Latin
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_FUNCTION = frozenset(
    "the a an and or but of to in on at for with by from as is are was were be been being that this "
    "these those it its he she they them his her their we our you your not no yes will would could "
    "should can may might has have had do does did said says also than then there here which who whom "
    "whose what when where why how all any each more most other some such only own same so too very "
    "just over after before into about against between during under again further once up down "
    "out off".split()
)


def english_words(text: str) -> list[str]:
    """The sentence's distinct content words, lower-cased (three letters or more)."""
    return sorted({w for w in (m.lower() for m in _EN_WORD.findall(text)) if len(w) >= 3} - _FUNCTION)


def korean_words(tokens: Sequence[Any]) -> list[str]:
    """The distinct content morphemes of one sentence's Kiwi tokens (one-syllable stems dropped)."""
    return sorted(
        {t.form for t in tokens if t.tag in KOREAN_TAGS and not (t.tag in ("VV", "VA") and len(t.form) < 2)}
    )


def _vocabulary(sentences: Sequence[Sequence[str]]) -> tuple[dict[str, int], dict[str, float]]:
    """Row index and inverse document frequency of each word kept (the MAX_WORDS most frequent)."""
    df = Counter(w for words in sentences for w in words)
    kept = [w for w, _ in df.most_common(MAX_WORDS)]
    n = len(sentences)
    return {w: k for k, w in enumerate(kept)}, {w: math.log(1 + n / df[w]) for w in kept}


def _coverage(best: np.ndarray, idf: np.ndarray) -> float:
    gain = np.clip((best - FLOOR) / (1 - FLOOR), 0.0, 1.0)
    return float((gain * idf).sum() / idf.sum())


def word_feature(
    en_words: Sequence[Sequence[str]],
    ko_words: Sequence[Sequence[str]],
    encode: Callable[[list[str]], np.ndarray],
    pairs: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Per pair, the harmonic mean of both sides' word coverage (0 when either has no word)."""
    i, j = pairs
    out = np.zeros(len(i), np.float32)
    if len(i) == 0:
        return out
    (row_en, idf_en), (row_ko, idf_ko) = _vocabulary(en_words), _vocabulary(ko_words)
    vec_en = encode(list(row_en)) if row_en else np.zeros((0, 1), np.float32)
    vec_ko = encode(list(row_ko)) if row_ko else np.zeros((0, 1), np.float32)

    Side = tuple[list[int], np.ndarray]  # a sentence's vocabulary rows and their weights

    def side(words: Sequence[str], rows: dict[str, int], idf: dict[str, float]) -> Side:
        kept = [w for w in words if w in rows]
        return [rows[w] for w in kept], np.array([idf[w] for w in kept])

    en_side: dict[int, Side] = {}
    ko_side: dict[int, Side] = {}
    for p, a, b in each_pair(i, j):
        if a not in en_side:
            en_side[a] = side(en_words[a], row_en, idf_en)
        if b not in ko_side:
            ko_side[b] = side(ko_words[b], row_ko, idf_ko)
        (ra, wa), (rb, wb) = en_side[a], ko_side[b]
        if not ra or not rb:
            continue
        sim = vec_ko[rb] @ vec_en[ra].T  # Korean words × English words
        ko_cov, en_cov = _coverage(sim.max(1), wb), _coverage(sim.max(0), wa)
        if ko_cov + en_cov > 0:
            out[p] = 2 * ko_cov * en_cov / (ko_cov + en_cov)
    return out
