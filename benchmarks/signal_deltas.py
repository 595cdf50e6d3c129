"""What each candidate signal adds: leave-one-event-out link F1 on the real comparable events.

Run:  uv run python -m benchmarks.signal_deltas [--conditions enc enc+both]

For each scorer condition, the base features, then the base plus each extra
signal of ``translate.align.extra`` alone, then plus all of them; each scored
as ``eval_align`` scores leave-one-event-out (weights and threshold refitted
without the event, threshold chosen by the fit's own rule). Then forward
selection: starting from the base, the signal that adds most is adopted while
it moves pooled F1 by at least ``ADOPT`` (issue 18) over the signals already
adopted, so a signal that only repeats another's evidence is left out.
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
        chosen: tuple[str, ...] = ()
        current = base
        while True:
            trials = {}
            for f in EXTRA_FEATURES:
                if f not in chosen:
                    per = real_scores(cond, loo=True, table=table, extra=(*chosen, f))
                    trials[f] = _pooled(per, [e for e in per if e in comparable])
            if not trials:
                break
            best = max(trials, key=lambda f: trials[f]["f1"])
            gain = trials[best]["f1"] - current
            print(f"{cond:10s} forward: +{best:10s} F1 {trials[best]['f1']:.3f} ({gain:+.3f})")
            if gain < ADOPT:
                break
            chosen, current = (*chosen, best), trials[best]["f1"]
        print(f"{cond:10s} adopted: {', '.join(chosen) or 'none'} (F1 {base:.3f} -> {current:.3f})")


if __name__ == "__main__":
    main()
