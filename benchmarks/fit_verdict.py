"""Fit the per-sentence coverage verdict (``translate/align/verdict.py``) with leave-one-event-out.

Run:  uv run --group dev python -m benchmarks.fit_verdict --build   (rebuild the table from local texts)
      uv run --group dev python -m benchmarks.fit_verdict           (fit from the committed table)

The training rows are the sentences of the real dev events (``data/real``),
as a user runs the tool on comparable coverage: sentence encoder, no
translation (the ``enc`` scorer). Each event's candidate pairs and their
features come from the committed pair table (``data/real/features.parquet``);
their scores are *out of fold* (the pair scorer refitted without the event),
so neither model has seen the event it is scored on. The containment
features need the texts, so ``--build`` writes them to a per-sentence table
(``data/real/verdict_features.parquet``: indices, features and labels, no
text) and fitting runs anywhere from that table.

A sentence's label is 1 when the gold links give it a counterpart. Only
comparable events' unlinked sentences train and choose (a linked sentence's
state is its link's). Every comparable event is predicted by a model fitted
on the others; the probability threshold is chosen on those pooled
predictions (``choose_threshold``), and the stored coefficients are fitted
on all of them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.real import REAL, TABLE, load_table, real_events
from translate.align.verdict import MAX_CANDIDATES, VERDICT_FEATURES, VERDICT_PATH, top_candidates

VERDICT_TABLE = REAL / "verdict_features.parquet"
SECOND = REAL / "second"
SCORER = "enc"
L2 = 1.0
GRID = np.round(np.arange(0.02, 0.99, 0.01), 2)
# Targets of issue 26 on the pooled LOO predictions of the comparable events.
MIN_PRECISION = 0.90
MIN_RECALL = 0.80
MAX_MIDDLE = 0.15


def _logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """L2-regularised logistic regression (Newton); the last entry is the bias (as in fit_align)."""
    from benchmarks.fit_align import _logistic as fit

    return fit(x, y, l2)


def _predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x @ w[:-1] + w[-1], -30, 30)))


def out_of_fold_pairs(real: dict) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per event, its candidate pairs and their out-of-fold ``enc`` scores."""
    from benchmarks.fit_align import out_of_fold, training_sets
    from translate.align import FEATURES
    from translate.align.scorer import signal_features

    cols = [FEATURES.index(f) for f in signal_features(SCORER)]
    sets = training_sets(SCORER, [], {}, real)
    probs = out_of_fold(sets, cols)
    return {s.event: (s.en, s.ko, p) for s, p in zip(sets, probs, strict=True)}


def second_links() -> dict[str, set[tuple[int, int]]]:
    from benchmarks.agreement import load_pairs

    return {p.event: p.second for p in load_pairs()}


def sentence_rows(
    ev: Any,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    features: tuple[np.ndarray, np.ndarray],
    linked: tuple[set[int], set[int]],
    second: tuple[set[int], set[int]] | None,
    extra: tuple[dict[str, np.ndarray], dict[str, np.ndarray]] | None = None,
) -> Iterator[dict[str, Any]]:
    """One table row per sentence of both sides: labels, candidate hit and the verdict features
    (plus ``extra`` per-side feature columns, as the translation benchmark adds)."""
    i, j, p = pairs
    gold = ({a for a, _ in ev.links}, {b for _, b in ev.links})
    for s, (side, a, b) in enumerate((("en", i, j), ("ko", j, i))):
        x = features[s]
        partners: dict[int, set[int]] = {}
        for u, v in ev.links:
            k, other = (u, v) if side == "en" else (v, u)
            partners.setdefault(k, set()).add(other)
        cands = top_candidates(a, b, p, len(x))
        for k in range(len(x)):
            yield {
                "event": ev.event,
                "mode": ev.mode,
                "side": side,
                "index": k,
                "linked": k in linked[s],
                "label": int(k in gold[s]),
                "second_label": -1 if second is None else int(k in second[s]),
                "cand_hit": bool({c for c, _ in cands[k]} & partners.get(k, set())),
                "cand_n": len(cands[k]),
                **{f: float(x[k, c]) for c, f in enumerate(VERDICT_FEATURES)},
                **({f: float(col[k]) for f, col in extra[s].items()} if extra is not None else {}),
            }


def build_table(table_path: Path = TABLE) -> tuple[dict[str, list], int, int]:
    """Per-sentence verdict features of every event with texts; returns (columns, events used, skipped)."""
    from translate.align import load_weights
    from translate.align.verdict import sentence_features

    real = load_table(table_path)
    pairs = out_of_fold_pairs(real)
    threshold = float(load_weights()["scorers"][SCORER]["threshold"])
    ratio = float(load_weights()["length_ratio"])
    second = second_links()
    cols: dict[str, list] = {}
    used = skipped = 0
    for ev in real_events():
        if ev.en is None or ev.ko is None or ev.event not in pairs:
            skipped += 1
            continue
        used += 1
        i, j, p = pairs[ev.event]
        above = p >= threshold
        links = {(int(a), int(b)) for a, b in zip(i[above], j[above], strict=True)}
        x_en, x_ko = sentence_features(ev.en, ev.ko, (i, j), p, ratio, links)
        linked = ({int(a) for a in i[above]}, {int(b) for b in j[above]})
        sec = second.get(ev.event)
        sec_sets = ({a for a, _ in sec}, {b for _, b in sec}) if sec is not None else None
        rows = sentence_rows(ev, (i, j, p), (x_en, x_ko), linked, sec_sets)
        for row in rows:
            for key, value in row.items():
                cols.setdefault(key, []).append(value)
    return cols, used, skipped


def load_verdict_table(path: Path = VERDICT_TABLE) -> dict[str, np.ndarray]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return {name: np.asarray(table[name].to_numpy(zero_copy_only=False)) for name in table.column_names}


def _matrix(
    t: dict[str, np.ndarray], keep: np.ndarray, features: Sequence[str] = VERDICT_FEATURES
) -> np.ndarray:
    return np.stack([t[f][keep] for f in features], 1).astype(np.float64)


def training_mask(t: dict[str, np.ndarray]) -> np.ndarray:
    """The rows that train and choose: unlinked sentences of comparable events."""
    return (t["mode"] == "comparable") & ~t["linked"].astype(bool)


def loo_probabilities(
    t: dict[str, np.ndarray], features: Sequence[str] = VERDICT_FEATURES, l2: float = L2
) -> np.ndarray:
    """Each comparable event's sentences scored by a model fitted on the other events (NaN elsewhere)."""
    train = training_mask(t)
    out = np.full(len(t["event"]), np.nan)
    comparable = t["mode"] == "comparable"
    for ev in sorted(set(t["event"][comparable].tolist())):
        mine = t["event"] == ev
        rest = train & ~mine
        if not rest.any():
            continue
        w = _logistic(_matrix(t, rest, features), t["label"][rest].astype(float), l2)
        out[mine] = _predict(w, _matrix(t, mine, features))
    return out


def claims(
    t: dict[str, np.ndarray], probs: np.ndarray, threshold: float, rows: np.ndarray
) -> dict[str, float]:
    """Claim precision/recall, middle-tier share and candidates hit of the verdict over ``rows``."""
    linked = t["linked"].astype(bool)
    only = rows & ~linked & (probs < threshold)
    middle = rows & ~linked & (probs >= threshold)
    return _figures(t, rows, only, middle)


def _figures(t: dict[str, np.ndarray], rows: np.ndarray, only: np.ndarray, middle: np.ndarray) -> dict:
    one_sided = rows & (t["label"] == 0)
    n_only, n_true = int(only.sum()), int(one_sided.sum())
    right = int((only & one_sided).sum())
    uncertain_with_partner = middle & (t["label"] == 1)
    return {
        "sentences": int(rows.sum()),
        "only": n_only,
        "precision": right / n_only if n_only else 1.0,
        "recall": right / n_true if n_true else 1.0,
        "middle": int(middle.sum()),
        "middle_share": float(middle.sum() / rows.sum()) if rows.any() else 0.0,
        "candidates_hit": (
            float(t["cand_hit"][uncertain_with_partner].mean())
            if uncertain_with_partner.any()
            else float("nan")
        ),
        "candidates_hit_n": int(uncertain_with_partner.sum()),
    }


def baseline(t: dict[str, np.ndarray], rows: np.ndarray) -> dict:
    """Today's behaviour: every unlinked sentence is a one-sided claim, no middle tier."""
    only = rows & ~t["linked"].astype(bool)
    return _figures(t, rows, only, np.zeros_like(only))


def second_annotation(t: dict[str, np.ndarray], rows: np.ndarray) -> dict:
    """The human ceiling: the second annotator's unlinked sentences as claims, scored against the first."""
    rows = rows & (t["second_label"] >= 0)
    only = rows & (t["second_label"] == 0)
    return _figures(t, rows, only, np.zeros_like(only))


def curve(t: dict[str, np.ndarray], probs: np.ndarray, rows: np.ndarray) -> list[dict]:
    return [{"threshold": float(th), **claims(t, probs, float(th), rows)} for th in GRID]


def choose_threshold(points: list[dict]) -> dict:
    """The lowest-middle threshold meeting every target; else the best precision with recall ≥ target
    and middle ≤ target; else the one with the best precision × recall among middle ≤ target.

    The middle tier grows with a lower threshold, so among thresholds meeting all
    targets the highest wins: the fewest sentences left uncertain.
    """
    ok = [
        p
        for p in points
        if p["precision"] >= MIN_PRECISION and p["recall"] >= MIN_RECALL and p["middle_share"] <= MAX_MIDDLE
    ]
    if ok:
        return max(ok, key=lambda p: p["threshold"])
    bounded = [p for p in points if p["middle_share"] <= MAX_MIDDLE] or points
    recalled = [p for p in bounded if p["recall"] >= MIN_RECALL]
    if recalled:
        return max(recalled, key=lambda p: (p["precision"], p["threshold"]))
    return max(bounded, key=lambda p: p["precision"] * p["recall"])


def fit(t: dict[str, np.ndarray]) -> tuple[dict, np.ndarray, dict]:
    """(verdict.json content, LOO probabilities, chosen LOO point)."""
    probs = loo_probabilities(t)
    rows = t["mode"] == "comparable"
    chosen = choose_threshold(curve(t, probs, rows))
    train = training_mask(t)
    w = _logistic(_matrix(t, train), t["label"][train].astype(float))
    events = sorted(set(t["event"][rows].tolist()))
    model = {
        "scorer": SCORER,
        "weights": {f: round(float(v), 4) for f, v in zip(VERDICT_FEATURES, w, strict=False)},
        "bias": round(float(w[-1]), 4),
        "threshold": chosen["threshold"],
        "training_rows": int(train.sum()),
        "dev_events": events,
        "loo": {k: round(v, 4) if isinstance(v, float) else v for k, v in chosen.items() if k != "threshold"},
        "max_candidates": MAX_CANDIDATES,
    }
    return model, probs, chosen


def write_table(cols: dict[str, list], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.table(cols), tmp, compression="zstd")
    tmp.replace(path)  # never a half-written table


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", action="store_true", help="rebuild the per-sentence table from local texts")
    ap.add_argument("--table", type=Path, default=VERDICT_TABLE)
    ap.add_argument("--pairs", type=Path, default=TABLE, help="the pair feature table (with --build)")
    ap.add_argument("--out", type=Path, default=VERDICT_PATH, help="where the fitted model goes")
    args = ap.parse_args(argv)
    try:
        if args.build:
            cols, used, skipped = build_table(args.pairs)
            write_table(cols, args.table)
            print(f"{used} events with texts used, {skipped} skipped (no local texts); wrote {args.table}")
        t = load_verdict_table(args.table)
    except (OSError, ValueError, KeyError) as exc:
        sys.exit(f"error: {exc}")
    model, _, chosen = fit(t)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(
        f"threshold {chosen['threshold']:.2f}: LOO claim precision {chosen['precision']:.3f}, "
        f"recall {chosen['recall']:.3f}, middle {chosen['middle_share']:.3f}, "
        f"candidates hit {chosen['candidates_hit']:.3f} ({chosen['candidates_hit_n']}); wrote {args.out}"
    )


if __name__ == "__main__":
    main()
