"""Link precision, recall and F1 of the aligner: sample events and the real-coverage dev set.

Run:  uv run python -m benchmarks.eval_align [-v]

Sample events (written by this project; ``test`` rows are held out from fitting):
``reference`` (reference translations both ways), ``noisy`` (the same with
~30 % of words dropped or replaced, seeded), ``none`` (no translation: encoder
plus anchors), ``lex`` (no encoder and no translation). All use the default
encoder except ``lex``.

Real coverage (``data/real``, different newsrooms): pooled over events, from
the committed feature table, in-sample and leave-one-event-out (the scorer
refitted without the event it is tested on).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from benchmarks.gold import align_cases, prf, translations_for
from translate.align import align

CONDITIONS = ("reference", "noisy", "none", "lex")
_EMB: dict = {}


def embeddings(case):
    if case.event not in _EMB:
        from benchmarks.fit_align import sample_embeddings

        _EMB.update(sample_embeddings([case]))
    return _EMB[case.event]


def evaluate(case, mode: str, condition: str, seed: int = 7) -> dict:
    tr = translations_for(case, "none" if condition == "lex" else condition, seed)
    emb = None if condition == "lex" else embeddings(case)
    res = align(case.en, case.ko, mode=mode, embeddings=emb, **tr)
    p, r, f = prf(res.row_links(), case.links)
    lf = prf(res.link_set(), case.links)[2]
    return {"p": p, "r": r, "f1": f, "links_f1": lf, "mode_used": res.mode, "result": res}


def _pooled(per_event: dict[str, tuple[int, int, int]], events: list[str]) -> dict:
    tp = sum(per_event[e][0] for e in events)
    n_pred = sum(per_event[e][1] for e in events)
    n_gold = sum(per_event[e][2] for e in events)
    prec = tp / n_pred if n_pred else 1.0
    rec = tp / n_gold if n_gold else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"p": prec, "r": rec, "f1": f1, "tp": tp, "pred": n_pred, "gold": n_gold}


def real_scores(
    condition: str = "enc",
    loo: bool = False,
    table: dict | None = None,
    possible: dict | None = None,
    extra: tuple[str, ...] | None = None,
) -> dict:
    """Link (hits, predicted, gold) per real event for one condition, from the feature table.

    ``possible``, when given, receives per comparable event the possible-counterpart
    tally at the chosen floor: (gap sentences with a gold partner, shown, right).
    ``extra`` overrides the adopted extra evidence (LOO only: to measure a signal).

    In-sample uses the committed scorer. Leave-one-event-out refits the scorer
    on the real events other than the one scored, of either mode, without the
    sample dev events, and chooses its threshold by the same rule as the fit
    (``choose_threshold``: out-of-fold over those events, so nested).
    """
    from benchmarks.fit_align import TrainingSet, _logistic, _predict, choose_threshold, possible_tally
    from benchmarks.real import TABLE, load_table, real_comparable_events, real_events
    from translate.align import FEATURES, load_weights
    from translate.align.scorer import Scorer, signal_features

    table = table if table is not None else load_table(TABLE)
    keep = (table["condition"] == condition) & ~table["noisy"].astype(bool)
    gold = {e.event: len(e.links) for e in real_events(with_texts=False)}
    ev_all = table["event"][keep]
    events = sorted(set(ev_all.tolist()))
    cols = [FEATURES.index(f) for f in signal_features(condition, extra)]
    x_all = np.stack([table[f][keep] for f in FEATURES], 1).astype(np.float32)
    y_all = table["label"][keep].astype(float)
    scorer = Scorer.from_dict(condition, load_weights()["scorers"][condition])
    comparable = set(real_comparable_events())
    links = {e.event: e.links for e in real_events(with_texts=False)}

    def _set(e: str) -> TrainingSet:
        m = ev_all == e
        return TrainingSet(
            x_all[m], y_all[m], gold[e], e, table["en"][keep][m], table["ko"][keep][m], links[e]
        )

    per_event = {}
    for ev in events:
        mask = ev_all == ev
        if loo:
            train = ~mask
            w = _logistic(x_all[train][:, cols], y_all[train])
            sets = [_set(e) for e in events if e != ev]
            chosen = choose_threshold(sets, cols, comparable)
            thr, floor = chosen["threshold"], chosen["possible_floor"]
            p = _predict(w, x_all[mask][:, cols])
        else:
            p, thr, floor = scorer.score(x_all[mask]), scorer.threshold, scorer.possible_floor
        if possible is not None and ev in comparable:
            possible[ev] = possible_tally([_set(ev)], [p], thr)[floor]
        pred = p >= thr
        per_event[ev] = (int((pred & (y_all[mask] == 1)).sum()), int(pred.sum()), gold[ev])
    return per_event


def real_texts() -> None:
    """Rows and links of ``align`` itself on real events whose texts are on this machine."""
    from benchmarks.real import real_events
    from translate.cache import EmbeddingCache
    from translate.config import embed_cache_path
    from translate.embed import embed

    events = [e for e in real_events() if e.en is not None and e.ko is not None]
    if not events:
        return
    print("\n# real coverage, full aligner on local texts (pooled; rows = display rows, links = links table)")
    with EmbeddingCache(embed_cache_path()) as cache:
        for mode in ("comparable", "parallel"):
            for cond in ("none", "reference"):
                got_rows, got_links, gold = set(), set(), set()
                for ev in (e for e in events if e.mode == mode):
                    if cond == "reference" and (ev.ko2en is None or ev.en2ko is None):
                        continue
                    tr = {"ko2en": ev.ko2en, "en2ko": ev.en2ko} if cond == "reference" else {}
                    emb = (embed(ev.en, cache=cache)[0], embed(ev.ko, cache=cache)[0])
                    res = align(ev.en, ev.ko, embeddings=emb, mode=mode, **tr)
                    got_rows |= {(ev.event, i, j) for i, j in res.row_links()}
                    got_links |= {(ev.event, i, j) for i, j in res.link_set()}
                    gold |= {(ev.event, i, j) for i, j in ev.links}
                if not gold:
                    continue
                for name, got in (("rows", got_rows), ("links", got_links)):
                    p, r, f = prf(got, gold)
                    print(f"{mode:10s} {cond:9s} {name:5s} P {p:.3f} R {r:.3f} F1 {f:.3f} ({len(gold)} gold)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true", help="list wrong and missed links")
    ap.add_argument("--table", type=Path, help="another feature table (e.g. built with --encoder e5-small)")
    ap.add_argument("--real-only", action="store_true", help="only the real-coverage table figures")
    args = ap.parse_args()
    if not args.real_only:
        _samples(args.verbose)
        real_texts()
    from benchmarks.real import TABLE, load_table

    table_path = args.table or TABLE
    if not table_path.is_file():
        return
    table = load_table(table_path)
    _real_table(table, args.verbose)


def _samples(verbose: bool) -> None:
    print("# sample events (written by the project)")
    print(f"{'event':28s} {'split':5s} {'mode':10s} {'condition':9s} {'P':>6s} {'R':>6s} {'F1':>6s} used")
    for case in align_cases():
        for mode in ("comparable", "parallel", "auto"):
            for cond in CONDITIONS:
                s = evaluate(case, mode, cond)
                print(
                    f"{case.event:28s} {case.split:5s} {mode:10s} {cond:9s} "
                    f"{s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['mode_used']}"
                )
                if verbose and cond == "none" and mode == case.mode:
                    links = s["result"].row_links()
                    for i, j in sorted(links - case.links):
                        print(f"    wrong  en{i} ~ ko{j}: {case.en[i][:50]} | {case.ko[j][:40]}")
                    for i, j in sorted(case.links - links):
                        print(f"    missed en{i} ~ ko{j}: {case.en[i][:50]} | {case.ko[j][:40]}")


def _real_table(table: dict, verbose: bool) -> None:
    print("\n# real coverage dev set, links from the feature table (pooled; in-sample | leave-one-event-out)")
    from benchmarks.real import real_events

    modes = {e.event: e.mode for e in real_events(with_texts=False)}
    tier: dict[str, dict] = {}
    for cond in sorted(set(table["condition"].tolist())):
        tier[cond] = {}
        fitted, loo = (
            real_scores(cond, table=table),
            real_scores(cond, loo=True, table=table, possible=tier[cond]),
        )
        for label in ("comparable", "parallel", "all"):
            events = [e for e in fitted if label in ("all", modes[e])]
            a, b = _pooled(fitted, events), _pooled(loo, events)
            print(
                f"{cond:10s} {label:10s} P {a['p']:.3f} R {a['r']:.3f} F1 {a['f1']:.3f} "
                f"({a['tp']}/{a['pred']} of {a['gold']})  |  "
                f"LOO P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f}"
            )
        if verbose:
            for ev, (hit, pred, gold) in loo.items():
                print(f"    {ev:40s} LOO {hit}/{pred} predicted correct, {gold} gold")
    print(
        "\n# possible counterparts, real comparable events, leave-one-event-out (threshold and floor nested)"
    )
    print("# of the gap sentences that have a gold partner, how many show one as their possible counterpart")
    for cond, per in tier.items():
        missed, shown, hit = (sum(v[k] for v in per.values()) for k in range(3))
        print(
            f"{cond:10s} shown for {hit}/{missed} missed counterparts ({hit / max(missed, 1):.3f}); "
            f"{shown} hints shown, {hit / max(shown, 1):.3f} of them right"
        )


if __name__ == "__main__":
    main()
