"""Segment and detect 10,000+ sentences of sample news text; print the wall time.

Run:  uv run python -m benchmarks.segment_speed
"""

from __future__ import annotations

import time

from benchmarks.gold import segmentation_gold
from translate.langid import detect, detect_document
from translate.segment import segment


def main(target: int = 10_000) -> None:
    docs = [d for lang in ("en", "ko") for d in segmentation_gold(lang)]
    per_round = sum(len(d.ends) for d in docs)
    rounds = -(-target // per_round)
    detect("warm up langdetect's profiles, which load once per process")
    t0 = time.perf_counter()
    n = 0
    for _ in range(rounds):
        for d in docs:
            doc_lang = detect_document(d.text).lang
            for s in segment(d.text, doc_lang):
                detect(s.text, hint=doc_lang)
                n += 1
    dt = time.perf_counter() - t0
    print(f"{n} sentences segmented and detected in {dt:.2f} s ({n / dt:,.0f} sentences/s)")


if __name__ == "__main__":
    main()
