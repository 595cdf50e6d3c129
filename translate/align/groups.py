"""Greedy grouping of scored links into display groups (comparable mode), and the
anchor chain that tells a translated edition apart (``diagonality``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Group", "Link", "chain", "comparable_groups", "diagonality"]


@dataclass(frozen=True)
class Link:
    """One scored (English sentence, Korean sentence) link."""

    en: int
    ko: int
    score: float


Group = tuple[tuple[int, ...], tuple[int, ...], float]


@dataclass
class _Row:
    en: list[int]
    ko: list[int]
    scores: list[float]

    def absorbs(self, mine: list[int], k: int, nearby_only: bool) -> bool:
        """A 1-1 row takes in one more sentence on a side: any, or only one adjacent to its own."""
        return len(self.en) == len(self.ko) == 1 and (not nearby_only or abs(mine[0] - k) == 1)


def comparable_groups(links: list[Link], nearby_only: bool = False) -> list[Group]:
    """Greedy 1-1 rows by score, then a sentence left over joins the row of its best linked partner.

    One long sentence often reports what two sentences of the other side do,
    wherever they stand: left as a gap row it would claim that the other
    newsroom left out what it did report. A row takes at most one such
    sentence (1-2 or 2-1). ``nearby_only`` keeps only adjacent ones, the
    anchors that parallel mode expects.
    """
    row_of_en: dict[int, _Row] = {}
    row_of_ko: dict[int, _Row] = {}
    rows: list[_Row] = []
    ordered = sorted(links, key=lambda x: (-x.score, x.en, x.ko))
    for x in ordered:
        if x.en not in row_of_en and x.ko not in row_of_ko:
            row = _Row([x.en], [x.ko], [x.score])
            rows.append(row)
            row_of_en[x.en] = row_of_ko[x.ko] = row
    for x in ordered:  # best first: a sentence left over joins its best partner's row
        if x.en not in row_of_en and x.ko in row_of_ko:
            row = row_of_ko[x.ko]
            if row.absorbs(row.en, x.en, nearby_only):
                row.en = sorted([*row.en, x.en])
                row.scores.append(x.score)
                row_of_en[x.en] = row
        elif x.ko not in row_of_ko and x.en in row_of_en:
            row = row_of_en[x.en]
            if row.absorbs(row.ko, x.ko, nearby_only):
                row.ko = sorted([*row.ko, x.ko])
                row.scores.append(x.score)
                row_of_ko[x.ko] = row
    return [(tuple(r.en), tuple(r.ko), float(np.mean(r.scores))) for r in rows]


def chain(groups: list[Group]) -> list[Group]:
    """The longest chain of groups increasing on both sides (patience sorting)."""
    ordered = sorted(groups, key=lambda g: (g[0][0], g[1][0]))
    tails: list[int] = []  # index into ordered of the chain end for each length
    prev = [-1] * len(ordered)
    for k, g in enumerate(ordered):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if ordered[tails[mid]][1][0] < g[1][0]:
                lo = mid + 1
            else:
                hi = mid
        prev[k] = tails[lo - 1] if lo else -1
        tails[lo : lo + 1] = [k]
    found, k = [], tails[-1] if tails else -1
    while k >= 0:
        found.append(ordered[k])
        k = prev[k]
    return found[::-1]


def diagonality(groups: list[Group], n: int, m: int) -> float:
    """Share of links in the longest monotonic chain, scaled by coverage of the shorter side."""
    if not groups:
        return 0.0
    monotonic = len(chain(groups)) / len(groups)
    coverage = min(1.0, len(groups) / (0.6 * min(n, m)))
    return round(monotonic * coverage, 4)
