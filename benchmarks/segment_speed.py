"""Segment and detect 10,000+ sentences of sample news text; print the wall time.

``--splitter`` times segmentation alone (no language ID) for one splitter of
benchmarks.eval_segment (ours, kiwi, kss, ours+kiwi, ours+kss) on the gold
texts of ``--lang``, until ``--target`` sentences or ``--budget`` seconds; a
library's one-off model load is timed separately.

``--huge`` times one paragraph of a million characters per language (the
rules look at a bounded window around each candidate, so this stays linear),
and a million-character run of each of ``. ! ? ?!. …`` with nothing after it.

Run:  uv run python -m benchmarks.segment_speed [--huge]
      uv run --with kiwipiepy==0.24.1 --with kss==6.0.6 \
        python -m benchmarks.segment_speed --splitter kiwi --lang ko
"""

from __future__ import annotations

import argparse
import time

from benchmarks.gold import segmentation_gold
from translate.langid import detect, detect_document
from translate.segment import segment


def pipeline_speed(target: int = 10_000) -> None:
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


def splitter_speed(name: str, lang: str, target: int, budget: float) -> None:
    from benchmarks.eval_segment import splitter

    split = splitter(name)
    docs = segmentation_gold(lang)
    t0 = time.perf_counter()
    split("워밍업. Warm-up.", lang)  # loads a library's model
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = 0
    while n < target and time.perf_counter() - t0 < budget:
        for d in docs:
            n += len(split(d.text, lang))
    dt = time.perf_counter() - t0
    rate = f"{n} sentences in {dt:.2f} s ({n / dt:,.0f} sentences/s)"
    print(f"{name} ({lang}): {rate}; first call {load:.2f} s")


def huge_block_speed(chars: int = 1_000_000) -> None:
    """One paragraph of about ``chars`` characters per language: the rules must stay linear."""
    cases = {
        "en": "The market grew fast.Total demand rose 3.5% at news.example.com, Mr. Kim said. ",
        "ko": '정부는 예산을 늘렸다.이에 따라 지원이 확대된다… 김 장관은 "준비는 끝났다"고 말했다. ',
    }
    for lang, sentence in cases.items():
        text = sentence * (chars // len(sentence))
        t0 = time.perf_counter()
        n = len(segment(text, lang))
        dt = time.perf_counter() - t0
        print(f"one {lang} paragraph of {len(text):,} characters: {n:,} sentences in {dt:.2f} s")
    # Issue 30: runs of marks with no whitespace after them were quadratic (41 s at 20,000).
    for run in (".", "!", "?", "?!.", "…"):
        text = "The ferry burned" + run * (chars // len(run))
        t0 = time.perf_counter()
        n = len(segment(text, "en"))
        dt = time.perf_counter() - t0
        print(f"a run of {len(text):,} characters of {run!r}: {n} sentence in {dt:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--splitter", help="time segmentation alone with this splitter")
    ap.add_argument("--lang", default="ko", choices=("en", "ko"))
    ap.add_argument("--target", type=int, default=10_000, help="sentences to segment")
    ap.add_argument("--budget", type=float, default=60.0, help="stop after this many seconds")
    ap.add_argument("--huge", action="store_true", help="time one 1 MB paragraph per language")
    args = ap.parse_args()
    if args.huge:
        huge_block_speed()
    elif args.splitter:
        splitter_speed(args.splitter, args.lang, args.target, args.budget)
    else:
        pipeline_speed(args.target)


if __name__ == "__main__":
    main()
