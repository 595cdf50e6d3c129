"""Parallel mode (a translated edition): a monotonic dynamic programme in a band
around the chain of confident anchors, as Bertalign does."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from translate.align.groups import Group, chain, diagonality

__all__ = ["MAX_BAND", "PARALLEL_STEPS", "TRANSLATED", "parallel_groups"]

MAX_BAND = 30  # sentences either side of the anchor path searched in parallel mode
TRANSLATED = 0.9  # diagonality from which anchors show a translated edition (as in ``auto``)
# Steps of the parallel DP (English, Korean): a translator may split or merge up to three sentences.
PARALLEL_STEPS = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (1, 0), (0, 1))


def parallel_groups(
    anchors: list[Group],
    n: int,
    m: int,
    score: Any,
    bias: float,
    threshold: float,
    vectors: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[Group]:
    """Monotonic DP in a band around the path through the anchor chain.

    Every path covers each sentence once, so a step gains, per sentence it
    links, the probability of its group minus the skip bias; a skip gains
    nothing. A group's probability is the mean of its pairs' scores, or, when
    the sentence ``vectors`` show that every member adds to it
    (``_members_add``), its best pair's: the half of a split sentence scores
    low on its own, and that is no reason to call it an addition.

    ``bias`` (fitted on real translated editions, low) is a prior that the
    texts are a translation, so it holds only when the anchors say so (the
    test ``auto`` uses, ``TRANSLATED``). Otherwise the skip bias is the link
    ``threshold`` and no merge takes the vectors' word: comparable coverage
    forced into parallel mode gets order, not a translation prior.
    """
    translated = diagonality(anchors, n, m) >= TRANSLATED
    if not translated:
        bias, vectors = max(bias, threshold), None
    path = chain(anchors)
    xs = [0.0] + [float(np.mean(g[0])) + 0.5 for g in path] + [float(n)]
    ys = [0.0] + [float(np.mean(g[1])) + 0.5 for g in path] + [float(m)]
    # The anchors carry the path, so the band need not grow with the text: a width
    # proportional to its length made long editions quadratic (2,000 a side: 7.6 s).
    width = min(MAX_BAND, max(6, int(0.03 * max(n, m))))
    centre = np.interp(np.arange(n + 1), xs, ys)
    lo = np.clip(np.floor(centre).astype(int) - width, 0, m)
    hi = np.clip(np.ceil(centre).astype(int) + width, 0, m)
    reach = max(di for di, _ in PARALLEL_STEPS)
    # Score every pair a step can touch: cells (i, j) with j in the band of i .. i + reach.
    pi, pj = [], []
    for i in range(n):
        near = slice(i, min(i + reach, n) + 1)
        js = np.arange(lo[near].min(), hi[near].max() + 1)
        js = js[js < m]
        pi.append(np.full(len(js), i))
        pj.append(js)
    ii, jj = np.concatenate(pi), np.concatenate(pj)
    p = dict(zip(zip(ii.tolist(), jj.tolist(), strict=True), score((ii, jj)).tolist(), strict=True))
    unit = _unit(vectors) if vectors is not None else None
    neg = -1e18
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int, float]] = {}
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            top, arg = neg, None
            for di, dj in PARALLEL_STEPS:
                a, b = i - di, j - dj
                prev = best.get((a, b))
                if prev is None:
                    continue
                prob = _group_probability(range(a, i), range(b, j), p, bias, unit)
                if prob is None:
                    continue
                gain = (di + dj) * (prob - bias) if di and dj else 0.0
                if prev + gain > top:
                    top, arg = prev + gain, (di, dj, prob)
            if arg is not None:
                best[i, j], back[i, j] = top, arg
    if (n, m) not in best:  # the band missed the corner: nothing sensible to return
        return []
    groups: list[Group] = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj, prob = back[i, j]
        a, b = i - di, j - dj
        if di and dj and prob > bias:
            groups.append((tuple(range(a, i)), tuple(range(b, j)), prob))
        i, j = a, b
    return groups[::-1]


def _unit(vectors: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Both sides' sentence vectors scaled to length 1 (so a group's sum weighs members alike)."""

    def scale(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=np.float32)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)

    return scale(vectors[0]), scale(vectors[1])


def _group_probability(
    es: range,
    ks: range,
    p: dict[tuple[int, int], float],
    bias: float,
    unit: tuple[np.ndarray, np.ndarray] | None,
) -> float | None:
    """A step's probability of being one unit of translation; None when a pair was not scored.

    A skip (one side empty) has probability 0 and gains nothing whatever it is.
    The vectors are consulted only when the best pair clears the bias: a group
    below it gains nothing either way, and most groups in the band are such.
    """
    scores = [p.get((x, y)) for x in es for y in ks]
    if any(v is None for v in scores):
        return None
    if not scores:
        return 0.0
    values = [float(v) for v in scores if v is not None]
    if len(values) > 1 and unit is not None and max(values) > bias and _members_add(es, ks, unit):
        return max(values)
    return float(np.mean(values))


def _members_add(es: range, ks: range, unit: tuple[np.ndarray, np.ndarray]) -> bool:
    """Every sentence of the longer side raises the group's cosine (sum of unit vectors).

    On the real translated editions a neighbour that belongs to the group raises
    its partner's cosine in 5 of 6 cases, one that does not in 1 of 8
    (docs/parallel-editions.md).
    """
    many, one, side = (list(es), list(ks), 0) if len(es) > 1 else (list(ks), list(es), 1)
    other = unit[1 - side][one].sum(0)
    other = other / max(float(np.linalg.norm(other)), 1e-12)

    def cos(members: tuple[int, ...]) -> float:
        v = unit[side][list(members)].sum(0)
        return float(v @ other) / max(float(np.linalg.norm(v)), 1e-12)

    whole = cos(tuple(many))
    return all(cos(sub) < whole for r in range(1, len(many)) for sub in itertools.combinations(many, r))
