"""Display rows from groups and links: each sentence in exactly one row.

A row is one of three kinds:

* a *pair* row (``1-1``, ``1-2``, ``2-1``, ``1-3``, ``3-1``): a group of linked
  sentences shown side by side;
* an *also* row (``en-also`` / ``ko-also``): a sentence with a link at or above
  the threshold whose partner already stands in a pair row (the second and third
  English quotes that one Korean sentence packs). It is shown in its own place
  and points at that row (``also``): it is not reported by one side only;
* a *gap* row (``en-only`` / ``ko-only``): a sentence with no link at or above
  the threshold, the claimed omission.

Rows and the links between their sentences form *groups*: the connected
components of the pair rows' pairs and every link at or above the threshold.
``group`` names each row's group by the position of its first row, so the rows
of a many-to-one or many-to-many group share one id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from translate.align import numerals
from translate.align.groups import Group, Link

__all__ = [
    "ALSO_TYPES",
    "GAP_TYPES",
    "PAIR_TYPES",
    "ROW_TYPES",
    "AlignedRow",
    "Best",
    "best_candidates",
    "build_rows",
    "summary_counts",
]

GAP_TYPES = ("en-only", "ko-only")
ALSO_TYPES = ("en-also", "ko-also")
PAIR_TYPES = ("1-1", "1-2", "2-1", "1-3", "3-1")  # 1-3 / 3-1: parallel mode only
ROW_TYPES = (*PAIR_TYPES, *ALSO_TYPES, *GAP_TYPES)

Best = dict[int, tuple[float, int]]


@dataclass(frozen=True)
class AlignedRow:
    """One display row. A sentence not in a pair row has an empty tuple on the other side.

    ``score`` is the pair's probability of reporting the same thing; for an
    also row the score of its link to ``partner``; for a gap row its best score
    against any candidate, so a low value means nothing on the other side came
    close. ``possible`` is a gap row's best candidate (an index on the other
    side) when it reaches the possible floor, else None. ``numbers_only_*`` are
    a pair row's numbers without a counterpart; ``numbers_conflict_*`` the
    subset that conflicts. ``also`` is an also row's pointer: the position of
    the pair row holding ``partner``, its best linked sentence on the other
    side. ``group`` is the position of the first row of the row's group.
    """

    en: tuple[int, ...]
    ko: tuple[int, ...]
    type: str
    score: float
    numbers_only_en: tuple[str, ...] = ()
    numbers_only_ko: tuple[str, ...] = ()
    numbers_conflict_en: tuple[str, ...] = ()
    numbers_conflict_ko: tuple[str, ...] = ()
    possible: int | None = None
    also: int | None = None
    partner: int | None = None
    group: int = -1
    names_only_en: tuple[str, ...] = ()  # a pair row's names (speakers, places) the other side lacks
    names_only_ko: tuple[str, ...] = ()

    @property
    def is_gap(self) -> bool:
        return self.type in GAP_TYPES

    @property
    def is_pair(self) -> bool:
        return self.type in PAIR_TYPES


def summary_counts(types: Iterable[str], groups: Iterable[int | None] | None = None) -> dict[str, int]:
    """Pairs, also rows and gaps among row types; with each row's group id, the linked groups.

    {"pairs", "also", "en_only", "ko_only", "groups"}: ``groups`` counts the groups
    that hold a link (a gap row is a group of its own, not counted); it equals
    ``pairs`` when no group ids are given (datasets written before them).
    """
    types = list(types)
    linked = [k for k, t in enumerate(types) if t not in GAP_TYPES]
    counts = {
        "pairs": sum(t in PAIR_TYPES for t in types),
        "also": sum(t in ALSO_TYPES for t in types),
        "en_only": types.count("en-only"),
        "ko_only": types.count("ko-only"),
    }
    ids = list(groups) if groups is not None else []
    if len(ids) == len(types) and all(g is not None and g >= 0 for g in ids):
        counts["groups"] = len({ids[k] for k in linked})
    else:
        counts["groups"] = counts["pairs"]
    return counts


def best_candidates(ci: np.ndarray, cj: np.ndarray, cp: np.ndarray) -> tuple[Best, Best]:
    """Each sentence's best-scoring candidate on the other side: {index: (score, other index)}."""
    best_en: Best = {}
    best_ko: Best = {}
    for i, j, p in zip(ci.tolist(), cj.tolist(), cp.tolist(), strict=True):
        if p > best_en.get(i, (-1.0, -1))[0]:
            best_en[i] = (p, j)
        if p > best_ko.get(j, (-1.0, -1))[0]:
            best_ko[j] = (p, i)
    return best_en, best_ko


def _free_pairs(groups: list[Group], links: list[Link]) -> list[Group]:
    """1-1 groups, greedily by score, for links whose two sentences no group holds.

    Comparable mode's greedy rows leave none; parallel mode's DP may skip a
    linked pair it found out of order, and a link is never shown as an omission.
    """
    used_en = {i for es, _, _ in groups for i in es}
    used_ko = {j for _, ks, _ in groups for j in ks}
    extra: list[Group] = []
    for x in sorted(links, key=lambda x: (-x.score, x.en, x.ko)):
        if x.en not in used_en and x.ko not in used_ko:
            extra.append(((x.en,), (x.ko,), x.score))
            used_en.add(x.en)
            used_ko.add(x.ko)
    return extra


def _pair_row(
    es: tuple[int, ...], ks: tuple[int, ...], s: float, en: Sequence[str], ko: Sequence[str]
) -> AlignedRow:
    en_nums = [x for i in es for x in numerals.extract(en[i], "en")]
    ko_nums = [x for j in ks for x in numerals.extract(ko[j], "ko")]
    diff = numerals.differences(en_nums, ko_nums)
    return AlignedRow(
        es,
        ks,
        f"{len(es)}-{len(ks)}",
        round(min(max(s, 0.0), 1.0), 4),
        tuple(x.text for x in diff.only_en),
        tuple(x.text for x in diff.only_ko),
        tuple(dict.fromkeys(x.text for x in diff.conflict_en)),
        tuple(dict.fromkeys(x.text for x in diff.conflict_ko)),
    )


def build_rows(
    groups: list[Group],
    en: Sequence[str],
    ko: Sequence[str],
    best_en: Best,
    best_ko: Best,
    floor: float,
    links: Sequence[Link] = (),
) -> list[AlignedRow]:
    """Rows in English order; Korean-only and Korean also rows right after their preceding Korean sentence.

    ``links`` are the links at or above the threshold: a sentence outside the
    pair rows that has one becomes an also row, never a gap row.
    """
    groups = [*groups, *_free_pairs(groups, list(links))]
    rows = [_pair_row(es, ks, s, en, ko) for es, ks, s in groups]
    matched_en = {i for r in rows for i in r.en}
    matched_ko = {j for r in rows for j in r.ko}
    # Each unpaired sentence's best link: its partner stands in a pair row (``_free_pairs``).
    linked_en: dict[int, tuple[float, int]] = {}
    linked_ko: dict[int, tuple[float, int]] = {}
    for x in links:
        if x.en not in matched_en and x.score > linked_en.get(x.en, (-1.0, -1))[0]:
            linked_en[x.en] = (x.score, x.ko)
        if x.ko not in matched_ko and x.score > linked_ko.get(x.ko, (-1.0, -1))[0]:
            linked_ko[x.ko] = (x.score, x.en)

    def single(side: str, k: int) -> AlignedRow:
        linked, best = (linked_en, best_en) if side == "en" else (linked_ko, best_ko)
        es, ks = ((k,), ()) if side == "en" else ((), (k,))
        if k in linked:
            score, other = linked[k]
            return AlignedRow(es, ks, f"{side}-also", round(score, 4), partner=other)
        score, other = best.get(k, (0.0, -1))
        possible = other if other >= 0 and score >= floor else None
        return AlignedRow(es, ks, f"{side}-only", round(score, 4), possible=possible)

    rows += [single("en", i) for i in range(len(en)) if i not in matched_en]
    rows.sort(key=lambda r: r.en[0])
    after: dict[int, list[AlignedRow]] = {}  # row position → Korean-only rows that follow it
    where = {j: k for k, r in enumerate(rows) for j in r.ko}
    for j in range(len(ko)):
        if j in matched_ko:
            continue
        at = where.get(j - 1, -1 if j == 0 else len(rows) - 1)
        after.setdefault(at, []).append(single("ko", j))
        where[j] = at
    out = after.get(-1, [])
    for k, r in enumerate(rows):
        out.append(r)
        out.extend(after.get(k, []))
    return _with_groups(out, links)


def _with_groups(rows: list[AlignedRow], links: Sequence[Link]) -> list[AlignedRow]:
    """Fill ``also`` (the partner's row) and ``group`` (connected components, union-find)."""
    row_of_en = {i: k for k, r in enumerate(rows) for i in r.en}
    row_of_ko = {j: k for k, r in enumerate(rows) for j in r.ko}
    parent = list(range(len(rows)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for x in links:
        a, b = find(row_of_en[x.en]), find(row_of_ko[x.ko])
        if a != b:
            parent[max(a, b)] = min(a, b)  # the root stays the group's first row
    out = []
    for k, r in enumerate(rows):
        also = None
        if r.partner is not None:
            also = row_of_ko[r.partner] if r.type == "en-also" else row_of_en[r.partner]
        out.append(replace(r, also=also, group=find(k)))
    return out
