"""Link-level precision, recall and F1 of the aligner on every sample event.

Run:  uv run python -m benchmarks.eval_align [-v]

Conditions: ``reference`` (the project's reference translations both ways),
``noisy`` (the same with ~30 % of words dropped or replaced, seeded), ``none``
(no translations: numbers, Latin tokens, quotes and length only). Weights and
thresholds come from the dev event (see benchmarks/fit_align.py); rows marked
``test`` are held out.
"""

from __future__ import annotations

import argparse

from benchmarks.gold import align_cases, prf, translations_for
from translate.align import align

CONDITIONS = ("reference", "noisy", "none")


def evaluate(case, mode: str, condition: str, seed: int = 7) -> dict:
    res = align(case.en, case.ko, mode=mode, **translations_for(case, condition, seed))
    links = res.links()
    p, r, f = prf(links, case.links)
    confident = {(i, j) for row in res.rows if row.score >= res.threshold for i in row.en for j in row.ko}
    p_conf = prf(confident, case.links)[0]
    return {
        "p": p,
        "r": r,
        "f1": f,
        "p_above_threshold": p_conf,
        "mode_used": res.mode,
        "result": res,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true", help="list wrong and missed links")
    args = ap.parse_args()
    print(
        f"{'event':28s} {'split':5s} {'mode':10s} {'condition':9s} "
        f"{'P':>6s} {'R':>6s} {'F1':>6s} {'P>thr':>6s} used"
    )
    for case in align_cases():
        for mode in ("comparable", "parallel", "auto"):
            for cond in CONDITIONS:
                s = evaluate(case, mode, cond)
                print(
                    f"{case.event:28s} {case.split:5s} {mode:10s} {cond:9s} "
                    f"{s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f} {s['p_above_threshold']:6.3f} "
                    f"{s['mode_used']}"
                )
                if args.verbose and cond == "reference" and mode == case.mode:
                    links = s["result"].links()
                    for i, j in sorted(links - case.links):
                        print(f"    wrong  en{i} ~ ko{j}: {case.en[i][:50]} | {case.ko[j][:40]}")
                    for i, j in sorted(case.links - links):
                        print(f"    missed en{i} ~ ko{j}: {case.en[i][:50]} | {case.ko[j][:40]}")


if __name__ == "__main__":
    main()
