"""Sentence alignment of English and Korean coverage.

``align()`` scores every (English, Korean) pair with a logistic model over the
features in ``translate.similarity`` (weights fitted on the development events by
``benchmarks/fit_align.py``, stored in ``resources/align_weights.json``), then:

* ``comparable`` (two independent outlets): keeps mutual best matches above
  the fitted threshold, in any order, then lets a matched sentence absorb an
  unmatched neighbour on the other side when the merged pair scores higher
  (1-2 / 2-1). Everything else stays unmatched — the coverage gap.
* ``parallel`` (a translated edition): monotonic dynamic programming with
  1-1, 1-2, 2-1, 1-0 and 0-1 steps inside a band around the diagonal, as
  Gale-Church and Bleualign do, with the same pair scores; a link must beat
  the fitted ``parallel_bias`` to be preferred over a skip.
* ``auto``: runs the comparable matcher and switches to ``parallel`` when its
  links are diagonal: at least 90 % of them in one increasing sequence and
  covering at least 60 % of the shorter side.

Every input sentence appears in exactly one row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from translate import numbers as num
from translate.similarity import FEATURES, Side, pair_features

WEIGHTS_PATH = Path(__file__).with_name("resources") / "align_weights.json"
MODES = ("comparable", "parallel", "auto")
ROW_TYPES = ("1-1", "1-2", "2-1", "en-only", "ko-only")


@dataclass(frozen=True)
class AlignedRow:
    """One alignment row. Unmatched sentences have an empty tuple on the other side.

    ``score`` is the pair's probability of reporting the same thing; for an
    unmatched sentence it is its best score against any counterpart, so a low
    value means nothing on the other side came close.
    """

    en: tuple[int, ...]
    ko: tuple[int, ...]
    type: str
    score: float
    numbers_only_en: tuple[str, ...] = ()
    numbers_only_ko: tuple[str, ...] = ()


@dataclass
class Alignment:
    rows: list[AlignedRow]
    mode: str  # the mode actually used
    requested_mode: str
    threshold: float
    model: str  # which fitted model scored the pairs: both, ko2en, en2ko or none
    diagonality: float | None = None
    params: dict = field(default_factory=dict)

    def links(self) -> set[tuple[int, int]]:
        return {(i, j) for r in self.rows for i in r.en for j in r.ko}


@cache
def load_weights(path: str = str(WEIGHTS_PATH)) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def model_name(has_ko2en: bool, has_en2ko: bool) -> str:
    return {(True, True): "both", (True, False): "ko2en", (False, True): "en2ko"}.get(
        (has_ko2en, has_en2ko), "none"
    )


def score_matrix(feats: dict[str, np.ndarray], model: dict) -> np.ndarray:
    z = np.full(next(iter(feats.values())).shape, model["bias"], dtype=np.float32)
    for name in FEATURES:
        z += np.float32(model["weights"][name]) * feats[name]
    return 1.0 / (1.0 + np.exp(-z))


def align(
    en: Sequence[str],
    ko: Sequence[str],
    *,
    ko2en: Sequence[str] | None = None,
    en2ko: Sequence[str] | None = None,
    mode: str = "comparable",
    threshold: float | None = None,
    weights: dict | None = None,
) -> Alignment:
    """Align English and Korean sentences; translations in either direction are optional.

    ``ko2en[j]`` is the English translation of ``ko[j]``; ``en2ko[i]`` the Korean
    translation of ``en[i]``. ``threshold`` overrides the fitted one.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    for name, tr, src in (("ko2en", ko2en, ko), ("en2ko", en2ko, en)):
        if tr is not None and len(tr) != len(src):
            raise ValueError(f"{name} has {len(tr)} translations for {len(src)} sentences")
    w = weights or load_weights()
    which = model_name(ko2en is not None, en2ko is not None)
    model = w["models"][which]
    thr = float(model["threshold"] if threshold is None else threshold)
    en_side = Side.build(en, "en", en2ko)
    ko_side = Side.build(ko, "ko", ko2en)
    ratio = float(w["length_ratio"])
    result = Alignment([], mode, mode, thr, which, params={"length_ratio": ratio})
    if not en or not ko:
        result.rows = _finish([], en, ko, np.zeros((len(en), len(ko))))
        return result
    p11 = score_matrix(pair_features(en_side, ko_side, ratio), model)
    p12 = (
        score_matrix(pair_features(en_side, ko_side.merge_next(), ratio), model)
        if len(ko) > 1
        else np.zeros((len(en), 0), np.float32)
    )
    p21 = (
        score_matrix(pair_features(en_side.merge_next(), ko_side, ratio), model)
        if len(en) > 1
        else np.zeros((0, len(ko)), np.float32)
    )
    links = _comparable(p11, p12, p21, thr)
    if mode == "auto":
        result.diagonality = _diagonality(links, len(en), len(ko))
        result.mode = "parallel" if result.diagonality >= 0.9 else "comparable"
    if result.mode == "parallel":
        links = _parallel(p11, p12, p21, bias=float(model.get("parallel_bias", thr / 2)))
    result.rows = _finish(links, en, ko, p11)
    return result


Link = tuple[tuple[int, ...], tuple[int, ...], float]


def _comparable(p11: np.ndarray, p12: np.ndarray, p21: np.ndarray, thr: float) -> list[Link]:
    n, m = p11.shape
    best_ko = p11.argmax(1)
    best_en = p11.argmax(0)
    links: dict[int, Link] = {}  # keyed by first English index
    used_en, used_ko = set(), set()
    for i in range(n):
        j = int(best_ko[i])
        if best_en[j] == i and p11[i, j] >= thr:
            links[i] = ((i,), (j,), float(p11[i, j]))
            used_en.add(i)
            used_ko.add(j)
    # Let a matched sentence absorb an unmatched neighbour that points to it.
    for i, ((_,), (j,), s) in sorted(links.items(), key=lambda kv: -kv[1][2]):
        options = []
        for k in (j - 1, j + 1):
            if 0 <= k < m and k not in used_ko and best_en[k] == i and p11[i, k] >= thr / 2:
                first = min(j, k)
                options.append((float(p12[i, first]), (i,), (first, first + 1)))
        for k in (i - 1, i + 1):
            if 0 <= k < n and k not in used_en and best_ko[k] == j and p11[k, j] >= thr / 2:
                first = min(i, k)
                options.append((float(p21[first, j]), (first, first + 1), (j,)))
        if options:
            merged, es, ks = max(options)
            if merged > s:
                links[i] = (es, ks, merged)
                used_en.update(es)
                used_ko.update(ks)
    return list(links.values())


def _diagonality(links: list[Link], n: int, m: int) -> float:
    """Share of links in the longest monotonic chain, scaled by coverage of the shorter side."""
    if not links:
        return 0.0
    ks = [ko[0] for _, ko, _ in sorted(links, key=lambda link: link[0][0])]
    tails: list[int] = []  # patience sorting: length of the longest increasing subsequence
    for k in ks:
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < k:
                lo = mid + 1
            else:
                hi = mid
        tails[lo : lo + 1] = [k]
    monotonic = len(tails) / len(ks)
    coverage = min(1.0, len(links) / (0.6 * min(n, m)))
    return round(monotonic * coverage, 4)


def _parallel(p11: np.ndarray, p12: np.ndarray, p21: np.ndarray, bias: float) -> list[Link]:
    """Monotonic DP: maximise the sum of (score - bias) over links; skips gain nothing."""
    n, m = p11.shape
    band = max(10, int(0.15 * max(n, m)))
    neg = -1e9
    best = np.full((n + 1, m + 1), neg)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)
    best[0, 0] = 0.0
    steps = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
    scores = {(1, 1): p11, (1, 2): p12, (2, 1): p21}  # skips (1-0, 0-1) have no score
    for i in range(n + 1):
        centre = i * m / max(n, 1)
        lo, hi = max(0, int(centre) - band), min(m, int(centre) + band)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            top, arg = neg, 0
            for s, (di, dj) in enumerate(steps):
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or best[pi, pj] <= neg:
                    continue
                gain = scores[di, dj][pi, pj] - bias if (di, dj) in scores else 0.0
                if best[pi, pj] + gain > top:
                    top, arg = best[pi, pj] + gain, s
            best[i, j], back[i, j] = top, arg
    links: list[Link] = []
    i, j = n, m
    if best[n, m] <= neg:  # outside the band: nothing sensible to return
        return links
    while i > 0 or j > 0:
        di, dj = steps[back[i, j]]
        pi, pj = i - di, j - dj
        if (di, dj) in scores:
            p = scores[di, dj][pi, pj]
            if p >= bias:
                links.append((tuple(range(pi, i)), tuple(range(pj, j)), float(p)))
        i, j = pi, pj
    return links[::-1]


def _finish(links: list[Link], en: Sequence[str], ko: Sequence[str], p11: np.ndarray) -> list[AlignedRow]:
    rows: list[AlignedRow] = []
    matched_en = {i for es, _, _ in links for i in es}
    matched_ko = {j for _, ks, _ in links for j in ks}
    for es, ks, s in links:
        en_nums = [x for i in es for x in num.extract(en[i], "en")]
        ko_nums = [x for j in ks for x in num.extract(ko[j], "ko")]
        only_en, only_ko = num.unmatched(en_nums, ko_nums)
        rows.append(
            AlignedRow(
                es,
                ks,
                f"{len(es)}-{len(ks)}",
                round(min(max(s, 0.0), 1.0), 4),
                tuple(x.text for x in only_en),
                tuple(x.text for x in only_ko),
            )
        )
    for i in range(len(en)):
        if i not in matched_en:
            best = float(p11[i].max()) if p11.shape[1] else 0.0
            rows.append(AlignedRow((i,), (), "en-only", round(best, 4)))
    rows.sort(key=lambda r: r.en[0])
    # Korean-only rows go right after the row holding their preceding Korean sentence.
    for j in range(len(ko)):
        if j in matched_ko:
            continue
        best = float(p11[:, j].max()) if p11.shape[0] else 0.0
        row = AlignedRow((), (j,), "ko-only", round(best, 4))
        at = next((k + 1 for k, r in enumerate(rows) if r.ko and max(r.ko) == j - 1), None)
        rows.insert(at if at is not None else (0 if j == 0 else len(rows)), row)
    return rows
