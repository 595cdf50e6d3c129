"""What the reader is told: "only here" claims of the coverage verdict, leave-one-event-out.

Run:  uv run --group dev python -m benchmarks.verdict_claims [--plot docs/coverage-verdict.png]

On the real comparable dev events (``data/real/verdict_features.parquet``,
built by ``benchmarks.fit_verdict --build``), each event's sentences are
judged by a verdict model fitted without it, at the committed threshold
(``translate/align/verdict.json``). Printed for three readers of the same
sentences:

* ``verdict``: "only here" claims are the unlinked sentences under the
  threshold; the rest of the unlinked are the middle tier ("probably reported");
* ``baseline``: today's behaviour, every unlinked sentence is a one-sided claim;
* ``second``: the blind second annotation (``data/real/second``) scored
  against the first, on the events annotated twice: the human ceiling.

Claim precision: of the sentences shown as "only here", the share that truly
have no gold counterpart. Recall: of the truly one-sided sentences, the share
shown as "only here". Middle: share of all sentences in the middle tier.
Candidates hit: of the middle-tier sentences that do have a gold counterpart,
the share whose counterpart is among the (at most three) candidates shown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from benchmarks.fit_verdict import (
    VERDICT_TABLE,
    baseline,
    claims,
    curve,
    load_verdict_table,
    loo_probabilities,
    second_annotation,
)
from translate.align.verdict import VERDICT_PATH, load_model


def report(t: dict[str, np.ndarray], threshold: float) -> list[tuple[str, str, dict]]:
    """(reader, event set, figures) rows: all comparable events, then the twice-annotated ones."""
    probs = loo_probabilities(t)
    comparable = t["mode"] == "comparable"
    twice = comparable & (t["second_label"] >= 0)
    out = []
    for label, rows in (("comparable", comparable), ("twice-annotated", twice)):
        if not rows.any():
            continue
        name = f"{label} ({len(set(t['event'][rows].tolist()))})"
        out.append(("verdict (LOO)", name, claims(t, probs, threshold, rows)))
        out.append(("baseline", name, baseline(t, rows)))
        if label == "twice-annotated":
            out.append(("second annotation", name, second_annotation(t, rows)))
    return out


def _line(reader: str, events: str, f: dict) -> str:
    hit = f["candidates_hit"]
    hit_s = f"{hit:.3f} ({f['candidates_hit_n']})" if not np.isnan(hit) else "-"
    return (
        f"{reader:18s} {events:20s} {f['sentences']:5d} {f['only']:5d} {f['precision']:9.3f} "
        f"{f['recall']:7.3f} {f['middle_share']:7.3f} {hit_s:>13s}"
    )


def plot(t: dict[str, np.ndarray], threshold: float, path: Path) -> None:
    """Claim precision and recall against the middle tier's share, one point per threshold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    comparable = t["mode"] == "comparable"
    # A precision over a handful of claims is noise: thresholds with fewer than 10 are left out.
    points = [p for p in curve(t, loo_probabilities(t), comparable) if p["only"] >= 10]
    base = baseline(t, comparable)
    middle = [p["middle_share"] for p in points]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(middle, [p["precision"] for p in points], label="claim precision (LOO)")
    ax.plot(middle, [p["recall"] for p in points], label="claim recall (LOO)")
    at = min(points, key=lambda p: abs(p["threshold"] - threshold))
    ax.scatter([at["middle_share"]] * 2, [at["precision"], at["recall"]], color="black", zorder=3)
    ax.annotate(f"committed threshold {threshold:.2f}", (at["middle_share"], at["precision"]), xytext=(8, 8),
                textcoords="offset points")  # fmt: skip
    ax.scatter([0, 0], [base["precision"], base["recall"]], marker="x", color="red", label="baseline")
    ax.axhline(0.90, ls=":", color="grey")
    ax.axhline(0.80, ls=":", color="grey")
    ax.axvline(0.15, ls=":", color="grey")
    ax.set_xlabel("share of sentences in the middle tier ('probably reported')")
    ax.set_ylabel("'only here' claims")
    ax.set_ylim(0, 1.02)
    ax.set_title("Coverage verdict on the real comparable dev events, leave-one-event-out")
    ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--table", type=Path, default=VERDICT_TABLE)
    ap.add_argument("--model", type=Path, default=VERDICT_PATH)
    ap.add_argument("--plot", type=Path, default=None, help="write the trade-off as a PNG here")
    args = ap.parse_args(argv)
    try:
        t = load_verdict_table(args.table)
        threshold = load_model(args.model).threshold
    except (OSError, ValueError, KeyError) as exc:
        sys.exit(f"error: {exc}")
    events = sorted(set(t["event"][t["mode"] == "comparable"].tolist()))
    print(f"{len(events)} comparable events with texts; verdict threshold {threshold:.2f}")
    print(f"{'reader':18s} {'events':20s} {'sents':>5s} {'only':>5s} {'precision':>9s} {'recall':>7s} "
          f"{'middle':>7s} {'cands hit':>13s}")  # fmt: skip
    for reader, name, f in report(t, threshold):
        print(_line(reader, name, f))
    if args.plot is not None:
        plot(t, threshold, args.plot)
        print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()
