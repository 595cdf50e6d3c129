"""What each candidate signal adds: leave-one-event-out link F1 on the real comparable events.

Run:  uv run python -m benchmarks.signal_deltas [--conditions enc enc+both]

For each scorer condition, the base features, then the base plus each extra
signal of ``translate.align.extra`` alone, then plus all of them; each scored
as ``eval_align`` scores leave-one-event-out (weights and threshold refitted
without the event, threshold chosen by the fit's own rule). A signal is
adopted when it moves pooled F1 by at least ``ADOPT`` (issue 18).
"""

from __future__ import annotations

import argparse

from benchmarks.eval_align import _pooled, real_scores
from benchmarks.real import TABLE, load_table, real_comparable_events
from translate.align.extra import EXTRA_FEATURES

ADOPT = 0.01


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--conditions", nargs="+", default=["enc", "enc+both", "lex"])
    args = ap.parse_args()
    table = load_table(TABLE)
    comparable = real_comparable_events()
    print(f"{'condition':10s} {'signals':28s} {'P':>6s} {'R':>6s} {'F1':>6s} {'ΔF1':>7s}")
    for cond in args.conditions:
        base = None
        sets = [(), *((f,) for f in EXTRA_FEATURES), EXTRA_FEATURES]
        for extra in sets:
            per = real_scores(cond, loo=True, table=table, extra=extra)
            s = _pooled(per, [e for e in per if e in comparable])
            base = s["f1"] if base is None else base
            label = "+".join(extra) if extra else "base"
            delta = s["f1"] - base
            mark = "  adopt" if extra and len(extra) == 1 and delta >= ADOPT else ""
            print(f"{cond:10s} {label:28s} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {delta:+7.3f}{mark}")


if __name__ == "__main__":
    main()
