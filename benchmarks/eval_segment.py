"""Boundary precision/recall/F1 and language-ID accuracy on the project's gold sets.

Run:  uv run python -m benchmarks.eval_segment [-v]
"""

from __future__ import annotations

import argparse
from collections import Counter

from benchmarks.gold import langid_gold, prf, segmentation_gold
from translate.langid import detect
from translate.segment import segment_units


def segmentation_scores(lang: str, verbose: bool = False) -> tuple[float, float, float, int]:
    pred_all, gold_all, n = set(), set(), 0
    for doc in segmentation_gold(lang):
        # A dateline is part of its sentence in the gold files (their convention),
        # so only the ends of sentences and bylines count as boundaries.
        pred = {s.end for s in segment_units(doc.text, lang) if s.kind != "dateline"}
        gold = set(doc.ends)
        n += len(gold)
        pred_all |= {(doc.name, e) for e in pred}
        gold_all |= {(doc.name, e) for e in gold}
        if verbose:
            for kind, ends in (("spurious", pred - gold), ("missed", gold - pred)):
                for e in sorted(ends):
                    context = f"{doc.text[max(0, e - 40) : e]}⟂{doc.text[e : e + 20]}"
                    print(f"  [{doc.name}] {kind}: …{context}…")
    return (*prf(pred_all, gold_all), n)


def langid_scores(verbose: bool = False) -> dict[str, float]:
    rows = langid_gold()
    wrong = [(lab, txt, detect(txt)) for lab, txt in rows]
    wrong = [(lab, txt, g) for lab, txt, g in wrong if g.lang != lab]
    enko = [(lab, txt) for lab, txt in rows if lab in ("en", "ko")]
    enko_wrong = [w for w in wrong if w[0] in ("en", "ko")]
    short = sum(len(t) < 20 for _, t in rows)
    if verbose:
        for lab, txt, g in wrong:
            print(f"  langid: gold {lab}, got {g.lang} ({g.method}, {g.confidence}): {txt}")
    return {
        "lines": len(rows),
        "short_lines": short,
        "labels": dict(Counter(lab for lab, _ in rows)),
        "accuracy": 1 - len(wrong) / len(rows),
        "en_ko_accuracy": 1 - len(enko_wrong) / len(enko),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = ap.parse_args()
    for lang in ("en", "ko"):
        p, r, f, n = segmentation_scores(lang, args.verbose)
        print(f"segmentation {lang}: {n} gold sentences  P={p:.4f} R={r:.4f} F1={f:.4f}")
    s = langid_scores(args.verbose)
    print(
        f"language ID: {s['lines']} lines ({s['short_lines']} under 20 chars)  "
        f"accuracy={s['accuracy']:.4f}  en/ko accuracy={s['en_ko_accuracy']:.4f}"
    )
    print(f"  labels: {s['labels']}")


if __name__ == "__main__":
    main()
