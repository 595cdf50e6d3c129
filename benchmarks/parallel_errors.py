"""Where parallel mode loses links on the real translated editions.

Run:  uv run python -m benchmarks.parallel_errors [--condition reference] [--loo] [--quiet] [--event ID]

For every real event whose manifest says ``"mode": "parallel"`` and whose texts
are on this machine (``$COVERAGE_ALIGN_REAL``), runs ``align(mode="parallel")``
with the default encoder, with no translation (``none``) or the reference
translations both ways (``reference``), and prints a per-event P/R/F1 table of
the display rows and the links table, pooled figures, and every missed and
wrong gold link with sentence indices, the pair's score and a short prefix of
each sentence. The prefixes go to the terminal only: article text is never
written to a file.

``--loo`` replaces the committed skip bias by one chosen without the event
scored: ``fit_align.choose_parallel_bias`` on the other editions' rows from the
feature table, exactly as the fit chooses it on all of them.

Each miss gets a mechanical first class (``docs/parallel-editions.md`` checks
them by reading):

* ``a`` the gold link belongs to a 1-2, 2-1 or larger group and the rows keep
  only part of it;
* ``b`` one of its sentences is in no row at all, as if the edition had added
  or dropped it, although its score beats the skip bias;
* ``c`` a group whose single sentence holds several sentences of the other
  side's segmentation (a bracketed quote that the Korean splitter keeps whole
  and the English one splits): the link exists because segmentation differs;
* ``d`` its score is below the skip bias, so the DP rather skips it;
* ``f`` other: mostly a link that crosses another gold link (the edition
  reordered its sentences, and no monotonic path holds both), or the DP
  paired the sentence elsewhere.

Classes are tested in the order c, f (crossing), a, d, b, f. Wrong links are classed ``b`` when one of their
sentences has no gold partner (an added or dropped sentence the DP paired
anyway), else ``f``.
"""

from __future__ import annotations

import argparse
import copy
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from benchmarks.gold import prf
from translate.align import align, load_weights
from translate.align.scorer import Scorer, scorer_name

PREFIX = 60
SCORERS = {"none": "enc", "reference": "enc+both"}
_INNER_END = re.compile(r"[.?!…][\"”’)\]]*\s+\S")  # a sentence end followed by more text


@dataclass
class EventResult:
    event: str
    n_en: int
    n_ko: int
    gold: set[tuple[int, int]]
    rows: set[tuple[int, int]]
    links: set[tuple[int, int]]
    bias: float


def _pair_scores(en, ko, emb, tr: dict, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """The scorer's probability for chosen pairs, computed as ``align`` does."""
    from translate.align import FEATURES
    from translate.align.extra import EXTRA_FEATURES, ExtraSides, extra_columns
    from translate.align.features import build_sides, candidates, pair_features
    from translate.embed import embed

    if not pairs:
        return {}
    w = load_weights()
    name = scorer_name(True, "ko2en" in tr, "en2ko" in tr)
    scorer = Scorer.from_dict(name, w["scorers"][name])
    en_s, ko_s = build_sides(en, ko, emb_en=emb[0], emb_ko=emb[1], **tr)
    candidates(en_s, ko_s, int(w["k"]))  # records the neighbourhoods the margin needs
    ii = np.array([p[0] for p in pairs])
    jj = np.array([p[1] for p in pairs])
    x = pair_features(en_s, ko_s, (ii, jj), float(w["length_ratio"]))
    used = [f for f in EXTRA_FEATURES if scorer.weights.get(f)]
    sides = ExtraSides(en, ko, emb, lambda t: embed(t)[0])
    for col_name, col in extra_columns(sides, (ii, jj), used).items():
        x[:, FEATURES.index(col_name)] = col
    return dict(zip(pairs, scorer.score(x).tolist(), strict=True))


def classify_miss(link, gold, rows, linked_en, linked_ko, score, bias, en, ko) -> str:
    """The first class of a missed gold link (see the module docstring)."""
    i, j = link
    group = {(a, b) for a, b in gold if a == i or b == j}
    partners_en = {b for a, b in gold if a == i}
    partners_ko = {a for a, b in gold if b == j}
    if (len(partners_ko) > 1 and _INNER_END.search(ko[j])) or (
        len(partners_en) > 1 and _INNER_END.search(en[i])
    ):
        return "c"
    if any((a - i) * (b - j) < 0 for a, b in gold):
        return "f"  # it crosses another gold link: no monotonic path holds both
    if len(group) > 1 and (rows & group):
        return "a"
    if score < bias:
        return "d"
    if i not in linked_en or j not in linked_ko:
        return "b"
    return "f"


def loo_biases(name: str) -> dict[str, float]:
    """Per real edition, the skip bias chosen on the other editions (feature table, as the fit does)."""
    from benchmarks.fit_align import choose_parallel_bias, parallel_tallies
    from benchmarks.real import load_table

    tallies = parallel_tallies(name, load_weights()["scorers"][name], load_table())
    return {ev: choose_parallel_bias(tallies, [e for e in tallies if e != ev])[0] for ev in tallies}


def _report_event(ev, res, r: EventResult, tr: dict, emb, classes: Counter, quiet: bool) -> None:
    """Class every miss into ``classes``; unless ``quiet``, print misses, wrong links and group rows."""
    missed, wrong = sorted(r.gold - r.rows), sorted(r.rows - r.gold)
    scores = _pair_scores(ev.en, ev.ko, emb, tr, missed + wrong)
    linked_en = {i for row in res.rows if row.ko for i in row.en}
    linked_ko = {j for row in res.rows if row.en for j in row.ko}
    gold_en, gold_ko = {i for i, _ in r.gold}, {j for _, j in r.gold}
    groups = [row for row in res.rows if len(row.en) + len(row.ko) > 2]
    if (missed or wrong or groups) and not quiet:
        print(f"\n## {r.event}  ({r.n_en} en, {r.n_ko} ko, {len(r.gold)} gold, skip bias {r.bias})")
    for kind, items in (("missed", missed), ("wrong", wrong)):
        for i, j in items:
            if kind == "missed":
                c = classify_miss(
                    (i, j), r.gold, r.rows, linked_en, linked_ko, scores[i, j], r.bias, ev.en, ev.ko
                )
                classes[c] += 1
            else:
                c = "b" if i not in gold_en or j not in gold_ko else "f"
            if quiet:
                continue
            print(f"  {kind:6s} ({c}) en{i:<3d} ko{j:<3d} p={scores[i, j]:.2f}")
            print(f"      EN {ev.en[i][:PREFIX]}")
            print(f"      KO {ev.ko[j][:PREFIX]}")
    if not quiet:
        for row in groups:  # multi-sentence rows, to see how groups were formed
            print(f"  row {row.type} en{list(row.en)} ko{list(row.ko)} score {row.score:.2f}")


def main() -> None:
    from benchmarks.real import real_events
    from translate.cache import EmbeddingCache
    from translate.config import embed_cache_path
    from translate.embed import embed

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--condition", choices=sorted(SCORERS), default="none")
    ap.add_argument("--loo", action="store_true", help="skip bias chosen without the event scored")
    ap.add_argument("--event", help="only this event id")
    ap.add_argument("--quiet", action="store_true", help="only the tables, no sentence prefixes")
    args = ap.parse_args()
    events = [
        e
        for e in real_events()
        if e.mode == "parallel" and e.en is not None and e.ko is not None and args.event in (None, e.event)
    ]
    if args.condition == "reference":
        events = [e for e in events if e.ko2en is not None and e.en2ko is not None]
    if not events:
        raise SystemExit("error: no real translated editions with local texts (set COVERAGE_ALIGN_REAL)")
    name = SCORERS[args.condition]
    weights = load_weights()
    committed = Scorer.from_dict(name, weights["scorers"][name]).parallel_bias
    chosen = loo_biases(name) if args.loo else {}
    results: list[EventResult] = []
    classes: Counter = Counter()
    with EmbeddingCache(embed_cache_path()) as cache:
        for ev in events:
            assert ev.en is not None and ev.ko is not None
            emb = (embed(ev.en, cache=cache)[0], embed(ev.ko, cache=cache)[0])
            tr = {"ko2en": ev.ko2en, "en2ko": ev.en2ko} if args.condition == "reference" else {}
            bias = chosen.get(ev.event, committed)
            w = copy.deepcopy(weights)
            w["scorers"][name]["parallel_bias"] = bias
            res = align(ev.en, ev.ko, embeddings=emb, mode="parallel", weights=w, **tr)
            r = EventResult(ev.event, len(ev.en), len(ev.ko), ev.links, res.row_links(), res.link_set(), bias)
            results.append(r)
            _report_event(ev, res, r, tr, emb, classes, args.quiet)
    _table(results, args, name, committed)
    print("misses by first class: " + ", ".join(f"{k} {v}" for k, v in sorted(classes.items())))


def _table(results: list[EventResult], args, name: str, committed: float) -> None:
    how = "leave-one-event-out skip bias" if args.loo else f"committed skip bias {committed}"
    print(f"\n# parallel mode, real translated editions, {name} scorer, {args.condition}, {how}")
    print(
        f"{'event':44s} {'en':>3s} {'ko':>3s} {'gold':>4s} {'bias':>5s}  rows P / R / F1     links P / R / F1"
    )
    pooled: dict[str, set] = {"rows": set(), "links": set(), "gold": set()}
    for r in results:
        a, b = prf(r.rows, r.gold), prf(r.links, r.gold)
        print(
            f"{r.event:44s} {r.n_en:3d} {r.n_ko:3d} {len(r.gold):4d} {r.bias:5.2f}  "
            f"{a[0]:.3f} {a[1]:.3f} {a[2]:.3f}  {b[0]:.3f} {b[1]:.3f} {b[2]:.3f}"
        )
        for key in pooled:
            pooled[key] |= {(r.event, i, j) for i, j in getattr(r, key)}
    a, b = prf(pooled["rows"], pooled["gold"]), prf(pooled["links"], pooled["gold"])
    print(
        f"{'pooled':44s} {'':3s} {'':3s} {len(pooled['gold']):4d} {'':5s}  "
        f"{a[0]:.3f} {a[1]:.3f} {a[2]:.3f}  {b[0]:.3f} {b[1]:.3f} {b[2]:.3f}"
    )


if __name__ == "__main__":
    main()
