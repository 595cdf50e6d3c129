"""Precision/recall curves of every scorer on the real comparable events, as a PNG in docs/.

Run:  uv run python -m benchmarks.pr_curves   (writes docs/alignment-pr-curves.png)

Each real event is scored by a model fitted without it (leave-one-event-out,
on the committed feature table), and the curves pool the comparable events.
The left panel is precision against recall as the threshold moves; the right
panel is F1 against the threshold, so a reader sees how flat the curve is
where the committed threshold (the dot, with ±0.05 as ticks) sits. Prints the
same figures as a table.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from benchmarks.fit_align import GRID, WINDOW, _logistic, _predict, curve
from benchmarks.gold import REPO
from benchmarks.real import TABLE, load_table, real_events
from translate.align import FEATURES, load_weights
from translate.align.scorer import signal_features

OUT = REPO / "docs" / "alignment-pr-curves.png"
SHOWN = ("enc", "enc+ko2en", "enc+en2ko", "enc+both", "lex", "both")


def loo_curve(table: dict, condition: str) -> dict[str, np.ndarray]:
    """The pooled leave-one-event-out curve of one condition over the comparable events."""
    events = real_events(with_texts=False)
    gold = {e.event: len(e.links) for e in events}
    comparable = {e.event for e in events if e.mode == "comparable"}
    keep = (table["condition"] == condition) & ~table["noisy"].astype(bool)
    ev = table["event"][keep]
    cols = [FEATURES.index(f) for f in signal_features(condition)]
    x = np.stack([table[f][keep] for f in FEATURES], 1).astype(np.float32)[:, cols]
    y = table["label"][keep].astype(float)
    probs, labels, n_gold = [], [], 0
    for e in sorted(set(ev.tolist()) & comparable):
        test = ev == e
        w = _logistic(x[~test], y[~test])
        probs.append(_predict(w, x[test]))
        labels.append(y[test])
        n_gold += gold[e]
    return curve(np.concatenate(probs), np.concatenate(labels), n_gold)


def plot(curves: dict[str, dict[str, np.ndarray]], thresholds: dict[str, float], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none needed for a file
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6))
    for name, c in curves.items():
        k = int(np.argmin(np.abs(GRID - thresholds[name])))
        step = round(WINDOW / 0.01)
        ticks = [max(0, k - step), min(len(GRID) - 1, k + step)]
        (line,) = left.plot(c["r"], c["p"], label=name, lw=1.5)
        left.plot(c["r"][k], c["p"][k], "o", color=line.get_color())
        left.plot(c["r"][ticks], c["p"][ticks], "|", color=line.get_color(), ms=10, mew=2)
        right.plot(GRID, c["f1"], color=line.get_color(), lw=1.5, label=name)
        right.plot(GRID[k], c["f1"][k], "o", color=line.get_color())
    left.axhline(0.75, color="grey", lw=0.8, ls=":")
    left.set(xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
    left.set_title("precision against recall (dot: committed threshold, ticks: ±0.05)", fontsize=9)
    right.set(xlabel="threshold", ylabel="link F1", xlim=(0.05, 0.95), ylim=(0, 1))
    right.set_title("F1 against threshold", fontsize=9)
    left.legend(fontsize=8, loc="lower left")
    fig.suptitle("Real comparable events, leave-one-event-out, pooled links", fontsize=10)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--table", type=Path, default=TABLE)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    table = load_table(args.table)
    scorers = load_weights()["scorers"]
    have = set(table["condition"].tolist())
    curves = {name: loo_curve(table, name) for name in SHOWN if name in have}
    thresholds = {name: float(scorers[name]["threshold"]) for name in curves}
    print(f"{'scorer':10s} {'thr':>5s} {'P':>6s} {'R':>6s} {'F1':>6s}   F1 at -0.05 / +0.05   best F1 (thr)")
    for name, c in curves.items():
        k = int(np.argmin(np.abs(GRID - thresholds[name])))
        step = round(WINDOW / 0.01)
        lo, hi = max(0, k - step), min(len(GRID) - 1, k + step)
        best = int(np.argmax(c["f1"]))
        print(
            f"{name:10s} {GRID[k]:5.2f} {c['p'][k]:6.3f} {c['r'][k]:6.3f} {c['f1'][k]:6.3f}   "
            f"{c['f1'][lo]:.3f} / {c['f1'][hi]:.3f}          {c['f1'][best]:.3f} ({GRID[best]:.2f})"
        )
    plot(curves, thresholds, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
