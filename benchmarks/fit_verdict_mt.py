"""The coverage verdict when a run has a translation: one model per translation condition, LOO.

Run:  uv run --group dev python -m benchmarks.fit_verdict_mt --build   (rebuild the table: texts needed)
      uv run --group dev python -m benchmarks.fit_verdict_mt           (report from the committed table)

For each translation condition of the pair scorers (``enc+ko2en``,
``enc+en2ko``, ``enc+both``) the per-sentence rows are built as
``benchmarks.fit_verdict`` builds them for ``enc``, but from that condition's
candidate pairs and *out-of-fold* scores (the condition's scorer refitted
without the event) and its links (its committed threshold), plus the
translation evidence of ``benchmarks/verdict_mt.py``. The translations
are our reference translations (``ko2en.txt`` / ``en2ko.txt``): an upper bound
for a translation model of that quality, not a measurement of any model.
``noisy`` rows use the same references with 30 % of words dropped or replaced
(``benchmarks.real.NOISE_SEED``), as the pair scorers' noisy rows do.

Every figure is leave-one-event-out over the comparable events, and the
threshold is chosen on the pooled LOO predictions exactly as for ``enc``
(``fit_verdict.choose_threshold``). The table
(``data/real/verdict_features_mt.parquet``) holds indices, features and labels,
never text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from benchmarks.fit_verdict import (
    VERDICT_TABLE,
    _logistic,
    _matrix,
    _predict,
    choose_threshold,
    claims,
    curve,
    load_verdict_table,
    second_links,
    sentence_rows,
    training_mask,
    write_table,
)
from benchmarks.fit_verdict import (
    loo_probabilities as fv_loo,
)
from benchmarks.real import REAL, TABLE, condition_inputs, load_table, real_events
from benchmarks.verdict_mt import MT_FEATURES
from translate.align.verdict import VERDICT_FEATURES, load_model

MT_TABLE = REAL / "verdict_features_mt.parquet"
MT_CONDITIONS = ("enc+ko2en", "enc+en2ko", "enc+both")


def condition_features(condition: str) -> tuple[str, ...]:
    """The verdict features of a model for ``condition``: the ``enc`` ones plus its directions' own."""
    dirs = [d for d in ("ko2en", "en2ko") if d in condition or condition.endswith("both")]
    return VERDICT_FEATURES + tuple(f for f in MT_FEATURES if f.split("_")[0] in dirs)


def out_of_fold_sets(real: dict, condition: str) -> dict[tuple[str, bool], tuple]:
    """Per (event, noisy), its candidate pairs and their out-of-fold scores under ``condition``."""
    from benchmarks.fit_align import out_of_fold, training_sets
    from translate.align import FEATURES
    from translate.align.scorer import signal_features

    cols = [FEATURES.index(f) for f in signal_features(condition)]
    sets = training_sets(condition, [], {}, real)
    probs = out_of_fold(sets, cols)
    out: dict[tuple[str, bool], tuple] = {}
    for s, p in zip(sets, probs, strict=True):
        # training_sets lists each event's clean rows before its noisy ones
        key = (s.event, (s.event, False) in out)
        out[key] = (s.en, s.ko, p)
    return out


def build_table(table_path: Path = TABLE, noisy_too: bool = True) -> tuple[dict[str, list], int]:
    """Per-sentence rows of every translation condition, for every event with texts and translations."""
    from benchmarks.verdict_mt import mt_features
    from translate.align import load_weights
    from translate.align.extra import ExtraSides
    from translate.align.verdict import sentence_features

    real = load_table(table_path)
    weights = load_weights()
    ratio = float(weights["length_ratio"])
    second = second_links()
    by_cond = {c: out_of_fold_sets(real, c) for c in MT_CONDITIONS}
    cols: dict[str, list] = {}
    used = 0
    for ev in real_events():
        if ev.en is None or ev.ko is None:
            continue
        used += 1
        sides = ExtraSides(ev.en, ev.ko)  # one Kiwi pass per event, shared by its conditions
        sec = second.get(ev.event)
        sec_sets = ({a for a, _ in sec}, {b for _, b in sec}) if sec is not None else None
        for cond in MT_CONDITIONS:
            threshold = float(weights["scorers"][cond]["threshold"])
            for noisy in (False, True) if noisy_too else (False,):
                kwargs = condition_inputs(ev.en, ev.ko, ev.ko2en, ev.en2ko, cond, noisy)
                if kwargs is None or (ev.event, noisy) not in by_cond[cond]:
                    continue
                i, j, p = by_cond[cond][(ev.event, noisy)]
                above = p >= threshold
                links = {(int(a), int(b)) for a, b in zip(i[above], j[above], strict=True)}
                x_en, x_ko = sentence_features(ev.en, ev.ko, (i, j), p, ratio, links, sides)
                mt_en, mt_ko = mt_features(ev.en, ev.ko, (i, j), kwargs.get("ko2en"), kwargs.get("en2ko"))
                linked = ({int(a) for a in i[above]}, {int(b) for b in j[above]})
                extra = (_padded(mt_en, len(x_en)), _padded(mt_ko, len(x_ko)))
                for row in sentence_rows(ev, (i, j, p), (x_en, x_ko), linked, sec_sets, extra):
                    row = {"condition": cond, "noisy": noisy, **row}
                    for key, value in row.items():
                        cols.setdefault(key, []).append(value)
    return cols, used


def _padded(mt: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """Every translation feature, zero where the condition lacks its direction."""
    return {f: mt[f] if f in mt else np.zeros(n) for f in MT_FEATURES}


def select(t: dict[str, np.ndarray], condition: str, noisy: bool = False) -> dict[str, np.ndarray]:
    """The rows of one condition (and noise variant) of the table."""
    keep = (t["condition"] == condition) & (t["noisy"].astype(bool) == noisy)
    return {k: v[keep] for k, v in t.items()}


def loo_probabilities(t: dict[str, np.ndarray], features: tuple[str, ...]) -> np.ndarray:
    """``fit_verdict.loo_probabilities`` over a chosen feature list."""
    return fv_loo(t, features)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """ROC AUC by ranks (ties share their mean rank)."""
    from scipy.stats import rankdata

    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if not n_pos or not n_neg:
        return float("nan")
    r = rankdata(scores)
    return float((r[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def recall_at_precision(points: list[dict], precision: float = 0.90) -> tuple[float, float]:
    """(recall, middle share) of the threshold with the best recall at claim precision ≥ ``precision``
    (among thresholds with at least 10 claims: a precision over fewer is noise); (0, 1) if none."""
    ok = [p for p in points if p["precision"] >= precision and p["only"] >= 10]
    if not ok:
        return 0.0, 1.0
    best = max(ok, key=lambda p: (p["recall"], p["threshold"]))
    return best["recall"], best["middle_share"]


def evaluate(t: dict[str, np.ndarray], features: tuple[str, ...]) -> dict:
    """LOO figures at the threshold ``fit_verdict`` would choose, the AUC over the training rows, and
    the recall reachable at claim precision 0.90."""
    probs = loo_probabilities(t, features)
    points = curve(t, probs, t["mode"] == "comparable")
    chosen = choose_threshold(points)
    train = training_mask(t)
    r90, m90 = recall_at_precision(points)
    return {
        **chosen,
        "auc": auc(probs[train], t["label"][train]),
        "training_rows": int(train.sum()),
        "recall_at_p90": r90,
        "middle_at_p90": m90,
    }


def enc_model_on(t: dict[str, np.ndarray], base: dict[str, np.ndarray], threshold: float) -> dict:
    """What the product does today under a translation condition: the ``enc`` verdict (fitted on the
    no-translation rows of the *other* events) on the condition's own pair scores and links, at the
    ``enc`` threshold."""
    train = training_mask(base)
    probs = np.full(len(t["event"]), np.nan)
    for ev in sorted(set(t["event"][t["mode"] == "comparable"].tolist())):
        rest = train & (base["event"] != ev)
        w = _logistic(_matrix(base, rest), base["label"][rest].astype(float))
        mine = t["event"] == ev
        probs[mine] = _predict(w, _matrix(t, mine))
    mask = training_mask(t)
    figures = claims(t, probs, threshold, t["mode"] == "comparable")
    r90, m90 = recall_at_precision(curve(t, probs, t["mode"] == "comparable"))
    return {
        **figures,
        "threshold": threshold,
        "auc": auc(probs[mask], t["label"][mask]),
        "recall_at_p90": r90,
        "middle_at_p90": m90,
    }


def rows(
    t: dict[str, np.ndarray], base: dict[str, np.ndarray] | None, enc_threshold: float = 0.5
) -> list[tuple[str, dict]]:
    """(label, figures): ``enc`` from the no-translation table; then per condition (clean, noisy) the
    ``enc`` verdict on its pairs as today, a verdict refitted on its pairs, and one with its
    translation features."""
    out = []
    if base is not None:
        out.append(("enc (no translation)", evaluate(base, VERDICT_FEATURES)))
    for cond in MT_CONDITIONS:
        for noisy in (False, True):
            sub = select(t, cond, noisy)
            if not len(sub["event"]):
                continue
            tag = f"{cond}{' noisy' if noisy else ''}"
            if base is not None:
                out.append((f"{tag}: enc verdict (today)", enc_model_on(sub, base, enc_threshold)))
            out.append((f"{tag}: pairs only", evaluate(sub, VERDICT_FEATURES)))
            out.append((f"{tag}: + translation", evaluate(sub, condition_features(cond))))
    return out


def partner_rank(t: dict[str, np.ndarray], pairs: dict[str, tuple]) -> dict[str, np.ndarray]:
    """Tried for the no-translation verdict (not kept): where a sentence stands among its best
    candidate's own candidates. ``best_inv_rank`` is 1/rank (1: each other's best; capped at rank 4),
    ``best_gap`` how far the candidate's best score lies above this pair's. A second member of a group
    should rank below its partner's best; an unrelated sentence's weak best pair need not."""
    n = len(t["event"])
    inv_rank, gap = np.zeros(n), np.zeros(n)
    row_of = {
        (e, s, int(k)): r for r, (e, s, k) in enumerate(zip(t["event"], t["side"], t["index"], strict=True))
    }
    for ev, (i, j, p) in pairs.items():
        for side, a, b in (("en", i, j), ("ko", j, i)):
            best: dict[int, tuple[float, int]] = {}
            theirs: dict[int, list[float]] = {}
            for x, y, score in zip(a.tolist(), b.tolist(), p.tolist(), strict=True):
                if score > best.get(x, (-1.0, -1))[0]:
                    best[x] = (score, y)
                theirs.setdefault(y, []).append(score)
            for x, (score, y) in best.items():
                r = row_of.get((ev, side, x))
                if r is not None:
                    inv_rank[r] = 1.0 / min(1 + sum(s > score for s in theirs[y]), 4)
                    gap[r] = max(theirs[y]) - score
    return {"best_inv_rank": inv_rank, "best_gap": gap}


def _line(label: str, f: dict) -> str:
    hit = f["candidates_hit"]
    hit_s = f"{hit:.3f} ({f['candidates_hit_n']})" if not np.isnan(hit) else "-"
    return (
        f"{label:36s} {f['threshold']:5.2f} {f['only']:5d} {f['precision']:9.3f} {f['recall']:7.3f} "
        f"{f['middle_share']:7.3f} {f['auc']:6.3f} {hit_s:>13s} "
        f"{f['recall_at_p90']:6.3f} {f['middle_at_p90']:6.3f}"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", action="store_true", help="rebuild the table from local texts")
    ap.add_argument("--table", type=Path, default=MT_TABLE)
    ap.add_argument("--base", type=Path, default=VERDICT_TABLE, help="the no-translation table (enc row)")
    ap.add_argument("--pairs", type=Path, default=TABLE, help="the pair feature table (with --build)")
    ap.add_argument("--rank-idea", action="store_true", help="also report the tried partner-rank features")
    args = ap.parse_args(argv)
    try:
        if args.build:
            cols, used = build_table(args.pairs)
            write_table(cols, args.table)
            print(f"{used} events with texts used; wrote {args.table}")
        t = load_verdict_table(args.table)
        base = load_verdict_table(args.base) if args.base.is_file() else None
    except (OSError, ValueError, KeyError) as exc:
        sys.exit(f"error: {exc}")
    print("with our reference translations: an upper bound for a translation model of that quality")
    print(f"{'condition (LOO, comparable events)':36s} {'thr':>5s} {'only':>5s} {'precision':>9s} "
          f"{'recall':>7s} {'middle':>7s} {'AUC':>6s} {'cands hit':>13s} "
          f"{'R@P.90':>6s} {'middle':>6s}")  # fmt: skip
    try:
        enc_threshold = load_model().threshold
    except (OSError, ValueError, KeyError) as exc:
        sys.exit(f"error: {exc}")
    for label, f in rows(t, base, enc_threshold):
        print(_line(label, f))
    print("each translation feature alone (AUC over a condition's training rows, clean references):")
    for cond in MT_CONDITIONS:
        sub = select(t, cond)
        train = training_mask(sub)
        if train.any():
            alone = [
                f"{f} {auc(sub[f][train], sub['label'][train]):.3f}"
                for f in condition_features(cond)[len(VERDICT_FEATURES) :]
            ]
            print(f"  {cond}: {', '.join(alone)}")
    if args.rank_idea and base is not None:
        from benchmarks.fit_verdict import out_of_fold_pairs

        base.update(partner_rank(base, out_of_fold_pairs(load_table(args.pairs))))
        print(
            _line(
                "enc + partner rank (tried)", evaluate(base, (*VERDICT_FEATURES, "best_inv_rank", "best_gap"))
            )
        )


if __name__ == "__main__":
    main()
