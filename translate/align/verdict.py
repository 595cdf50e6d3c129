"""A coverage verdict per sentence: is its content reported anywhere on the other side?

Pairwise links miss the second and third members of many-to-many groups (a
Korean lead that packs three English sentences scores below each English
sentence's best partner), so "no link" is a poor reason to tell a reader
that the other newsroom left something out. The verdict is a model of its
own, a logistic regression over per-sentence evidence (``VERDICT_FEATURES``):

* the best and next-best scores of the sentence's candidate pairs, as the
  aligner scored them;
* the share of its numbers, names and rare content words found anywhere in
  the other article (``containment``), and the largest share that one
  candidate sentence holds, overall and among candidates longer than it (its
  facts sitting inside a longer sentence there);
* position and kind: headline, lead, relative position, quoted speech, a
  speech verb, a short line (captions and headlines), which side it is on.

Three states: ``linked`` (a link at or above the link threshold), ``probably``
(no link, but the model finds the content likely reported: up to three
candidates with scores are shown), ``only`` (a confident omission). The
coefficients and the probability threshold are fitted by
``benchmarks/fit_verdict.py`` with leave-one-event-out on the real
comparable dev events and stored in ``verdict.json`` beside this file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from translate.align.containment import KINDS, Items, article_shares, build_items, pair_shares
from translate.align.extra import ExtraSides
from translate.align.names import speech

__all__ = [
    "MAX_CANDIDATES",
    "STATES",
    "VERDICT_FEATURES",
    "VERDICT_PATH",
    "Verdict",
    "VerdictModel",
    "alignment_verdicts",
    "decide",
    "sentence_features",
    "verdicts",
]

VERDICT_PATH = Path(__file__).with_name("verdict.json")
STATES = ("linked", "probably", "only")
MAX_CANDIDATES = 3
CANDIDATE_FLOOR = 0.02  # a candidate scoring less than this is not worth a reader's glance
LONGER = 1.25  # a partner this much longer (Korean scaled to English characters) can hold the sentence
SHORT = 60  # characters (Korean scaled): headlines and captions are about this long or shorter
VERDICT_FEATURES = (
    "best",
    "second",
    "num_found",
    "num_has",
    "name_found",
    "name_has",
    "word_found",
    "word_has",
    "inside",
    "inside_longer",
    "headline",
    "lead",
    "position",
    "quote",
    "speech",
    "short",
    "ko",
    "neighbour_linked",
    "joins_group",
    "partner_linked",
    "linked_share",
    "other_linked_share",
    "size_ratio",
)
_QUOTE_MARKS = ('"', "“", "”", "「", "」", "『", "』")


@dataclass(frozen=True)
class Verdict:
    """One sentence's verdict; ``p`` is the probability that the other side reports its content."""

    state: str
    p: float
    candidates: tuple[tuple[int, float], ...] = ()  # (other-side index, pair score), best first


@dataclass(frozen=True)
class VerdictModel:
    weights: dict[str, float]
    bias: float
    threshold: float  # an unlinked sentence with p at or above it is "probably reported"

    @classmethod
    def from_dict(cls, d: dict) -> VerdictModel:
        return cls(dict(d["weights"]), float(d["bias"]), float(d["threshold"]))

    def probability(self, x: np.ndarray) -> np.ndarray:
        w = np.array([self.weights.get(f, 0.0) for f in VERDICT_FEATURES], dtype=np.float64)
        z = np.clip(x.astype(np.float64) @ w + self.bias, -30, 30)
        return 1.0 / (1.0 + np.exp(-z))


@cache
def _read(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_model(path: str | Path = VERDICT_PATH) -> VerdictModel:
    """The fitted verdict model (read once per process)."""
    return VerdictModel.from_dict(_read(str(path)))


def _best_two(side_idx: np.ndarray, scores: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each sentence's best and second-best candidate score (0 where it has fewer candidates)."""
    best = np.zeros(n, np.float32)
    second = np.zeros(n, np.float32)
    for k, p in zip(side_idx.tolist(), scores.tolist(), strict=True):
        if p > best[k]:
            best[k], second[k] = p, best[k]
        elif p > second[k]:
            second[k] = p
    return best, second


def _side_features(
    texts: Sequence[str],
    lang: str,
    mine: Items,
    other: Items,
    a: np.ndarray,
    b: np.ndarray,
    scores: np.ndarray,
    linked: tuple[dict[int, set[int]], dict[int, set[int]]],
) -> np.ndarray:
    """(sentences × VERDICT_FEATURES) for one side; ``a`` indexes this side, ``b`` the other.

    ``linked`` maps each linked sentence of this side, then of the other, to its partners.
    """
    n = len(texts)
    x = np.zeros((n, len(VERDICT_FEATURES)), np.float32)
    col = {f: k for k, f in enumerate(VERDICT_FEATURES)}
    x[:, col["best"]], x[:, col["second"]] = _best_two(a, scores, n)
    found = article_shares(mine, other)
    for k, kind in enumerate(KINDS):
        has = found[:, k] >= 0
        x[:, col[f"{kind}_has"]] = has
        x[:, col[f"{kind}_found"]] = np.where(has, found[:, k], 0.0)
    inside = pair_shares(mine, other, a, b)
    longer = other.lengths[b] >= LONGER * mine.lengths[a]
    for k, share, is_longer in zip(a.tolist(), inside.tolist(), longer.tolist(), strict=True):
        x[k, col["inside"]] = max(x[k, col["inside"]], share)
        if is_longer:
            x[k, col["inside_longer"]] = max(x[k, col["inside_longer"]], share)
    idx = np.arange(n)
    x[:, col["headline"]] = idx == 0
    x[:, col["lead"]] = (idx >= 1) & (idx <= 2)
    x[:, col["position"]] = idx / max(n - 1, 1)
    x[:, col["quote"]] = [any(q in t for q in _QUOTE_MARKS) for t in texts]
    x[:, col["speech"]] = [speech(t, lang) for t in texts]
    x[:, col["short"]] = mine.lengths < SHORT
    x[:, col["ko"]] = lang == "ko"
    mine_linked, other_linked = linked
    n_other = len(other.bags)
    # Coverage comes in runs: a sentence between linked ones, or whose candidate is linked
    # to its neighbour (a group the pairwise links left it out of), is seldom an omission.
    for k in range(n):
        x[k, col["neighbour_linked"]] = ((k - 1) in mine_linked) + ((k + 1) in mine_linked)
    for k, other_k, p in zip(a.tolist(), b.tolist(), scores.tolist(), strict=True):
        partners = other_linked.get(other_k, set())
        if partners - {k}:
            x[k, col["partner_linked"]] = max(x[k, col["partner_linked"]], p)
        if partners & {k - 1, k + 1}:
            x[k, col["joins_group"]] = max(x[k, col["joins_group"]], p)
    x[:, col["linked_share"]] = len(mine_linked) / max(n, 1)
    x[:, col["other_linked_share"]] = len(other_linked) / max(n_other, 1)
    x[:, col["size_ratio"]] = np.log(max(n_other, 1) / max(n, 1))
    return x


def sentence_features(
    en: Sequence[str],
    ko: Sequence[str],
    pairs: tuple[np.ndarray, np.ndarray],
    scores: np.ndarray,
    length_ratio: float,
    links: set[tuple[int, int]],
    sides: ExtraSides | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Verdict features of every English and every Korean sentence, from the aligner's candidate pairs
    and its links (at or above its threshold)."""
    sides = sides or ExtraSides(en, ko)
    en_items, ko_items = build_items(sides, length_ratio)
    i, j = (np.asarray(p, dtype=np.int64) for p in pairs)
    scores = np.asarray(scores, dtype=np.float32)
    en_linked: dict[int, set[int]] = {}
    ko_linked: dict[int, set[int]] = {}
    for a, b in links:
        en_linked.setdefault(a, set()).add(b)
        ko_linked.setdefault(b, set()).add(a)
    x_en = _side_features(en, "en", en_items, ko_items, i, j, scores, (en_linked, ko_linked))
    x_ko = _side_features(ko, "ko", ko_items, en_items, j, i, scores, (ko_linked, en_linked))
    return x_en, x_ko


def top_candidates(
    a: np.ndarray, b: np.ndarray, scores: np.ndarray, n: int, k: int = MAX_CANDIDATES
) -> list[tuple[tuple[int, float], ...]]:
    """Each sentence's best ``k`` candidates on the other side (index, score), from ``CANDIDATE_FLOOR`` up."""
    per: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    for x, y, p in zip(a.tolist(), b.tolist(), scores.tolist(), strict=True):
        if p >= CANDIDATE_FLOOR:
            per[x].append((p, y))
    return [tuple((y, round(p, 4)) for p, y in sorted(c, key=lambda t: (-t[0], t[1]))[:k]) for c in per]


def decide(
    p: np.ndarray, linked: np.ndarray, candidates: list[tuple[tuple[int, float], ...]], threshold: float
) -> list[Verdict]:
    """States from probabilities: a link wins; then ``threshold`` splits "probably" from "only"."""
    out = []
    for prob, is_linked, cands in zip(p.tolist(), linked.tolist(), candidates, strict=True):
        if is_linked:
            out.append(Verdict("linked", round(prob, 4)))
        elif prob >= threshold:
            out.append(Verdict("probably", round(prob, 4), cands))
        else:
            out.append(Verdict("only", round(prob, 4)))
    return out


def alignment_verdicts(en: Sequence[str], ko: Sequence[str], alignment: Any) -> dict[str, list[Verdict]]:
    """``verdicts`` for what ``align`` returned: {"en": [...], "ko": [...]}."""
    if alignment.candidates is None:
        empty = np.zeros(0, np.int64)
        pairs, scores = (empty, empty), np.zeros(0, np.float32)
    else:
        ci, cj, cp = alignment.candidates
        pairs, scores = (ci, cj), cp
    ratio = float(alignment.params.get("length_ratio", 1.0))
    v_en, v_ko = verdicts(en, ko, pairs, scores, alignment.link_set(), ratio, sides=alignment.sides)
    return {"en": v_en, "ko": v_ko}


def verdicts(
    en: Sequence[str],
    ko: Sequence[str],
    pairs: tuple[np.ndarray, np.ndarray],
    scores: np.ndarray,
    links: set[tuple[int, int]],
    length_ratio: float,
    model: VerdictModel | None = None,
    sides: ExtraSides | None = None,
) -> tuple[list[Verdict], list[Verdict]]:
    """Every sentence's verdict on both sides.

    ``pairs``/``scores`` are the aligner's candidate pairs and probabilities,
    ``links`` the pairs at or above its threshold (and its rows' pairs).
    """
    model = model or load_model()
    i, j = (np.asarray(q, dtype=np.int64) for q in pairs)
    scores = np.asarray(scores, dtype=np.float32)
    x_en, x_ko = sentence_features(en, ko, (i, j), scores, length_ratio, links, sides)
    linked_en = np.zeros(len(en), bool)
    linked_ko = np.zeros(len(ko), bool)
    for a, b in links:
        linked_en[a] = linked_ko[b] = True
    return (
        decide(model.probability(x_en), linked_en, top_candidates(i, j, scores, len(en)), model.threshold),
        decide(model.probability(x_ko), linked_ko, top_candidates(j, i, scores, len(ko)), model.threshold),
    )
