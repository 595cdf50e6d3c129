"""Sentence alignment of English and Korean coverage.

``align()`` finds each sentence's nearest neighbours on the other side (by
cross-lingual embeddings when given, and by machine-translation n-grams and
numbers), scores those candidate pairs with the logistic scorer that matches
the available signals (``scorer``), and then:

* keeps every candidate above the scorer's threshold as a *link*: links are
  many-to-many, because a headline or lead often sums up several sentences of
  the other article;
* builds one display *row* per sentence. ``comparable`` (independent outlets):
  links taken greedily by score into 1-1 rows, then a sentence linked to a
  neighbour's partner joins that row (1-2 / 2-1); in any order; every other
  sentence is a gap row (en-only / ko-only), which is the point of the
  comparison, unless it has a link at or above the threshold: then it is an
  *also* row pointing at its partner's row (``rows``), never an omission.
  ``parallel`` (a translated edition): as Bertalign does, the
  confident 1-1 links that form one increasing chain are anchors, and a
  monotonic dynamic programme with 1-1, 1-2, 2-1, 1-3, 3-1, 1-0 and 0-1 steps
  runs in a narrow band around the path through them. ``auto``: comparable,
  switching to parallel when its links are diagonal (90 % in one increasing
  chain covering 60 % of the shorter side).

A gap row keeps its sentence's best candidate on the other side as a
*possible counterpart* when that candidate scores at least the scorer's
``possible_floor`` (fitted so that at least half of the true counterparts the
rows miss are shown): a reader checks a claimed omission in one glance. A
linked row's numbers without a counterpart are split into *conflicts* (same
role, other value) and details only one side gives (``numerals.differences``).

The family reads by role: ``features`` / ``extra`` (evidence), ``scorer``
(probabilities), ``groups`` (comparable rows, the anchor chain), ``parallel``
(the DP), ``rows`` (display rows, also rows, group ids), ``numerals``.

Memory and time grow linearly with the number of sentences: no n×m matrix of
all pairs is ever built (see ``features.top_k``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from translate.align.extra import EXTRA_FEATURES, ExtraSides, extra_columns
from translate.align.features import FEATURES, build_sides, candidates, pair_features
from translate.align.groups import Link, comparable_groups, diagonality
from translate.align.parallel import TRANSLATED, parallel_groups
from translate.align.rows import (
    ALSO_TYPES,
    GAP_TYPES,
    PAIR_TYPES,
    ROW_TYPES,
    AlignedRow,
    best_candidates,
    build_rows,
    summary_counts,
)
from translate.align.scorer import WEIGHTS_PATH, Scorer, load_weights, scorer_name

__all__ = [
    "ALSO_TYPES",
    "FEATURES",
    "GAP_TYPES",
    "MODES",
    "PAIR_TYPES",
    "ROW_TYPES",
    "WEIGHTS_PATH",
    "AlignedRow",
    "Alignment",
    "Link",
    "align",
    "best_candidates",
    "comparable_groups",
    "load_weights",
    "summary_counts",
]

MODES = ("comparable", "parallel", "auto")


@dataclass
class Alignment:
    """What ``align`` found: display rows (each sentence in exactly one) and all links."""

    rows: list[AlignedRow]
    links: list[Link]  # every pair above the threshold, plus the rows' own pairs
    mode: str  # the mode actually used
    requested_mode: str
    threshold: float
    scorer: str  # which fitted scorer: enc, enc+both, …, lex
    diagonality: float | None = None
    params: dict = field(default_factory=dict)
    possible_floor: float = 1.0  # a gap row's best candidate is shown from this score up
    # The scored candidate pairs (en, ko, probability): the coverage verdict reads them.
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    # Per side ("en", "ko"), each sentence's coverage verdict (``verdict.Verdict``), once computed.
    verdicts: dict[str, list[Any]] = field(default_factory=dict)
    # The texts' analyses (``extra.ExtraSides``): the verdict reuses the Korean side's Kiwi pass.
    sides: ExtraSides | None = field(default=None, repr=False, compare=False)

    def row_links(self) -> set[tuple[int, int]]:
        """The (en, ko) pairs implied by the display rows."""
        return {(i, j) for r in self.rows for i in r.en for j in r.ko}

    def link_set(self, min_score: float | None = None) -> set[tuple[int, int]]:
        """Every link at or above ``min_score`` (default: the threshold)."""
        floor = self.threshold if min_score is None else min_score
        return {(x.en, x.ko) for x in self.links if x.score >= floor} | self.row_links()


def align(
    en: Sequence[str],
    ko: Sequence[str],
    *,
    ko2en: Sequence[str] | None = None,
    en2ko: Sequence[str] | None = None,
    embeddings: tuple[np.ndarray, np.ndarray] | None = None,
    mode: str = "comparable",
    threshold: float | None = None,
    weights: dict | None = None,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> Alignment:
    """Align English and Korean sentences; every other signal is optional.

    ``ko2en[j]`` is the English translation of ``ko[j]``, ``en2ko[i]`` the
    Korean translation of ``en[i]``, ``embeddings`` the two sides' sentence
    vectors from one encoder (``translate.embed``). ``threshold`` overrides the
    fitted one. ``encode`` turns texts into vectors for word-level evidence;
    with embeddings and no ``encode``, the configured encoder is used, uncached.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    for name, tr, src in (("ko2en", ko2en, ko), ("en2ko", en2ko, en)):
        if tr is not None and len(tr) != len(src):
            raise ValueError(f"{name} has {len(tr)} translations for {len(src)} sentences")
    if embeddings is not None and (len(embeddings[0]) != len(en) or len(embeddings[1]) != len(ko)):
        raise ValueError("embeddings must have one row per sentence on each side")
    w = weights or load_weights()
    name = scorer_name(embeddings is not None, ko2en is not None, en2ko is not None)
    scorer = Scorer.from_dict(name, w["scorers"][name])
    thr = float(scorer.threshold if threshold is None else threshold)
    params = {"k": w["k"], "length_ratio": w["length_ratio"]}
    floor = min(scorer.possible_floor, thr)
    result = Alignment([], [], mode, mode, thr, name, params=params, possible_floor=floor)
    if not en or not ko:
        result.rows = build_rows([], en, ko, {}, {}, floor)
        return result
    en_s, ko_s = build_sides(
        en,
        ko,
        en2ko=en2ko,
        ko2en=ko2en,
        emb_en=embeddings[0] if embeddings is not None else None,
        emb_ko=embeddings[1] if embeddings is not None else None,
    )

    used = [f for f in EXTRA_FEATURES if scorer.weights.get(f)]  # Kiwi loads only if one is used
    if encode is None and embeddings is not None:
        encode = _configured_encode
    extra_sides = ExtraSides(en, ko, embeddings, encode)
    result.sides = extra_sides

    def score(pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        x = pair_features(en_s, ko_s, pairs, float(w["length_ratio"]))
        for name, col in extra_columns(extra_sides, pairs, used).items():
            x[:, FEATURES.index(name)] = col
        return scorer.score(x)

    ci, cj = candidates(en_s, ko_s, int(w["k"]))
    cp = score((ci, cj))
    result.candidates = (ci, cj, cp)
    best_en, best_ko = best_candidates(ci, cj, cp)
    above = cp >= thr
    links = [Link(int(i), int(j), float(p)) for i, j, p in zip(ci[above], cj[above], cp[above], strict=True)]
    if mode != "comparable":  # order-keeping anchors: only adjacent sentences join a row
        anchors = comparable_groups(links, nearby_only=True)
        if mode == "auto":
            result.diagonality = diagonality(anchors, len(en), len(ko))
            result.mode = "parallel" if result.diagonality >= TRANSLATED else "comparable"
    if result.mode == "parallel":
        groups = parallel_groups(anchors, len(en), len(ko), score, scorer.parallel_bias, thr, embeddings)
    else:
        groups = comparable_groups(links)
    result.rows = _with_names(build_rows(groups, en, ko, best_en, best_ko, floor, links), en, ko, extra_sides)
    in_rows = {(i, j): s for es, ks, s in groups for i in es for j in ks}
    seen = {(x.en, x.ko) for x in links}
    links += [Link(i, j, s) for (i, j), s in in_rows.items() if (i, j) not in seen]
    result.links = sorted(links, key=lambda x: (x.en, x.ko))
    return result


def _with_names(
    rows: list[AlignedRow], en: Sequence[str], ko: Sequence[str], sides: ExtraSides
) -> list[AlignedRow]:
    """Each pair row's names that only one side gives (``sidenames``): quiet details, not conflicts."""
    from dataclasses import replace

    from translate.align.sidenames import one_side_names

    proper = sides.ko_proper  # one Kiwi pass, shared with the name evidence
    out = []
    for r in rows:
        if r.is_pair:
            only_en, only_ko = one_side_names(
                [en[i] for i in r.en], [ko[j] for j in r.ko], [proper[j] for j in r.ko]
            )
            r = replace(r, names_only_en=only_en, names_only_ko=only_ko)
        out.append(r)
    return out


def _configured_encode(texts: list[str]) -> np.ndarray:
    from translate.embed import embed

    return embed(texts)[0]
