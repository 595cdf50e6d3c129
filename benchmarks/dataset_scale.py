"""Write many events to a fresh dataset; time it, size it, and time reading one back.

Run:  uv run python -m benchmarks.dataset_scale [--events 1000] [--pairs 200]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from translate import dataset


def _rows(event_id: str, n: int) -> dict:
    en = [f"Officials said {k * 37:,} people were evacuated in district {k}." for k in range(n)]
    ko = [f"{k}구에서 {k * 37}명이 대피했다고 당국이 밝혔다." for k in range(n)]
    pairs = [
        {
            "row_index": k,
            "type": "1-1",
            "score": 0.8,
            "mode": "comparable",
            "en_indices": [k],
            "ko_indices": [k],
            "en_text": en[k],
            "ko_text": ko[k],
            "en_to_ko": ko[k],
            "ko_to_en": en[k],
            "translation": {"en": en[k], "ko": ko[k]},
            "numbers_only_en": [],
            "numbers_only_ko": [],
        }
        for k in range(n)
    ]
    sentences = [
        {
            "doc_id": f"{side}:{event_id}",
            "side": side,
            "sentence_index": k,
            "text": t,
            "char_start": 0,
            "char_end": len(t),
            "lang": side,
            "lang_confidence": 1.0,
            "translation": None,
            "translation_lang": None,
            "translation_package": None,
            "translation_package_version": None,
        }
        for side, texts in (("en", en), ("ko", ko))
        for k, t in enumerate(texts)
    ]
    documents = [
        {
            "doc_id": f"{s}:{event_id}",
            "lang_declared": s,
            "lang_detected": s,
            "content_hash": "0" * 64,
            "n_sentences": n,
            "warnings": [],
        }
        for s in ("en", "ko")
    ]
    return {"documents": documents, "sentences": sentences, "pairs": pairs}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--pairs", type=int, default=200)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-dataset-"))
    t0 = time.perf_counter()
    for e in range(args.events):
        eid = f"event-{e:05d}"
        dataset.write_event(root, eid, **_rows(eid, args.pairs))
    dt = time.perf_counter() - t0
    size = subprocess.run(["du", "-sm", str(root)], capture_output=True, text=True).stdout.split()[0]
    print(
        f"wrote {args.events} events × {args.pairs} pairs in {dt:.1f} s "
        f"({dt / args.events * 1000:.1f} ms/event); dataset {size} MB"
    )
    target = f"event-{args.events // 2:05d}"
    for label, eid in (("one event", target), ("all events", None)):
        t0 = time.perf_counter()
        table = dataset.load_pairs(root, eid)
        dt = time.perf_counter() - t0
        frags = dataset.fragment_count(root, "pairs", eid)
        print(f"read {label}: {table.num_rows} rows from {frags} file(s) in {dt * 1000:.0f} ms")


if __name__ == "__main__":
    main()
