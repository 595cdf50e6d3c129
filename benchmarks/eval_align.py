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


def real_scores(condition: str = "enc", loo: bool = False, table=None) -> dict:
    """Pooled link P/R/F1 on the real dev set for one condition, from the feature table."""
    from benchmarks.fit_align import _best_threshold, _logistic
    from benchmarks.real import TABLE, load_table, real_events
    from translate.align import FEATURES, load_weights
    from translate.align.scorer import Scorer, signal_features

    table = table if table is not None else load_table(TABLE)
    rows = table.filter(table["condition"] == condition)
    rows = rows.filter(rows["noisy"] == False)  # noqa: E712 - pyarrow expression
    gold = {e.event: len(e.links) for e in real_events(with_texts=False)}
    events = sorted(set(rows["event"].to_pylist()))
    feats = signal_features(condition)
    cols = [FEATURES.index(f) for f in feats]
    x_all = np.stack([rows[f].to_numpy() for f in FEATURES], 1)
    y_all = rows["label"].to_numpy().astype(float)
    ev_all = np.array(rows["event"].to_pylist())
    scorer = Scorer.from_dict(condition, load_weights()["scorers"][condition])
    tp = n_pred = 0
    per_event = {}
    for ev in events:
        mask = ev_all == ev
        if loo:
            train = ~mask
            w = _logistic(x_all[train][:, cols], y_all[train])
            probs_train = 1 / (1 + np.exp(-(x_all[train][:, cols] @ w[:-1] + w[-1])))
            thr, _ = _best_threshold([probs_train], [y_all[train]], sum(gold[e] for e in events if e != ev))
            p = 1 / (1 + np.exp(-(x_all[mask][:, cols] @ w[:-1] + w[-1])))
        else:
            p, thr = scorer.score(x_all[mask]), scorer.threshold
        pred = p >= thr
        hit = int((pred & (y_all[mask] == 1)).sum())
        tp, n_pred = tp + hit, n_pred + int(pred.sum())
        per_event[ev] = (hit, int(pred.sum()), gold[ev])
    n_gold = sum(gold[e] for e in events)
    prec = tp / n_pred if n_pred else 1.0
    rec = tp / n_gold if n_gold else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"p": prec, "r": rec, "f1": f1, "events": per_event, "tp": tp, "pred": n_pred, "gold": n_gold}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true", help="list wrong and missed links")
    args = ap.parse_args()
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
                if args.verbose and cond == "none" and mode == case.mode:
                    links = s["result"].row_links()
                    for i, j in sorted(links - case.links):
                        print(f"    wrong  en{i} ~ ko{j}: {case.en[i][:50]} | {case.ko[j][:40]}")
                    for i, j in sorted(case.links - links):
                        print(f"    missed en{i} ~ ko{j}: {case.en[i][:50]} | {case.ko[j][:40]}")
    from benchmarks.real import TABLE, load_table

    if not TABLE.is_file():
        return
    table = load_table(TABLE)
    print("\n# real coverage dev set (pooled links; in-sample / leave-one-event-out)")
    for cond in sorted(set(table["condition"].to_pylist())):
        a, b = real_scores(cond, table=table), real_scores(cond, loo=True, table=table)
        print(
            f"{cond:10s} P {a['p']:.3f} R {a['r']:.3f} F1 {a['f1']:.3f} ({a['tp']}/{a['pred']} of "
            f"{a['gold']})  |  LOO P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f}"
        )
        if args.verbose:
            for ev, (hit, pred, gold) in b["events"].items():
                print(f"    {ev:40s} LOO {hit}/{pred} predicted correct, {gold} gold")


if __name__ == "__main__":
    main()
