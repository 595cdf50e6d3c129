"""Where an ``align`` run's time goes: encoding against translating, and the rest.

Run:  uv run python -m benchmarks.stage_share [--size realistic|tiny]

Builds random-weight ko↔en packages (``realistic``: Argos-sized, about 85 MB
each, see translate/testmodels.py; their output is meaningless but costs what a
real model's does) in a temporary ``ARGOS_PACKAGES_DIR``, then runs every
pipeline stage on a 40+40-sentence event made from the samples with empty
caches, in one process, timing each stage. Package building is not counted.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=["realistic", "tiny"], default="realistic")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["ARGOS_PACKAGES_DIR"] = str(root / "packages")
        from benchmarks.align_speed import _event
        from translate import pipeline
        from translate.cache import EmbeddingCache, TranslationCache
        from translate.testmodels import install_test_models

        install_test_models(root / "built", realistic=args.size == "realistic")
        _event(root)
        times: dict[str, float] = {}

        def timed(name, fn, *a, **kw):
            t0 = time.perf_counter()
            out = fn(*a, **kw)
            times[name] = times.get(name, 0.0) + time.perf_counter() - t0
            return out

        with TranslationCache(root / "tr.sqlite3") as tc, EmbeddingCache(root / "emb.sqlite3") as ec:
            t_all = time.perf_counter()
            en = timed(
                "load + detect + segment",
                lambda: pipeline.segment_side(pipeline.load_side([root / "en.txt"], "en")),
            )
            ko = timed(
                "load + detect + segment",
                lambda: pipeline.segment_side(pipeline.load_side([root / "ko.txt"], "ko")),
            )
            emb_en = timed("encode (load included)", pipeline.embed_side, en, cache=ec)
            emb_ko = timed("encode (load included)", pipeline.embed_side, ko, cache=ec)
            ko2en = timed("translate ko→en", pipeline.translate_side, ko, "en", cache=tc)
            en2ko = timed("translate en→ko", pipeline.translate_side, en, "ko", cache=tc)
            alignment = timed(
                "align",
                pipeline.align_sides,
                en,
                ko,
                "comparable",
                en2ko=en2ko,
                ko2en=ko2en,
                emb_en=emb_en,
                emb_ko=emb_ko,
            )
            rows = timed("rows + write", pipeline.build_rows, en, ko, alignment, en2ko=en2ko, ko2en=ko2en)
            timed("rows + write", pipeline.write_rows, root / "ds", "share", rows, {})
            total = time.perf_counter() - t_all
    print(f"{args.size} packages, {len(en.sentences)}+{len(ko.sentences)} sentences, cold caches")
    for name, sec in times.items():
        print(f"  {name:34s} {sec:7.2f} s  {100 * sec / total:5.1f} %")
    print(f"  {'total':34s} {total:7.2f} s")


if __name__ == "__main__":
    main()
