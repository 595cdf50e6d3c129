"""What a Prefect flow run adds on top of the CLI's direct path, for one sample event.

Run:  uv run python -m benchmarks.flow_overhead [--runs 3]

Uses the tiny test models (built into a temp dir) and a warm translation cache
on both paths, so the difference is orchestration, not translation. The
temporary Prefect server is started once, outside the timings.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "2026-07-monsoon-floods"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-flow-"))
    os.environ.update(
        ARGOS_PACKAGES_DIR=str(tmp / "pk"),
        COVERAGE_ALIGN_DATA=str(tmp / "data"),
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    from translate.cache import TranslationCache
    from translate.config import cache_path
    from translate.pipeline import run_event
    from translate.testmodels import install_test_models

    install_test_models(tmp / "models")
    en, ko = [SAMPLE / "en" / "article.txt"], [SAMPLE / "ko" / "article.txt"]

    def direct() -> None:
        run_event(en, ko, event_id="bench", out=tmp / "ds", cache=TranslationCache(cache_path()))

    t0 = time.perf_counter()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        print(f"temporary Prefect server up in {time.perf_counter() - t0:.1f} s (not counted)")
        from flows.align_event import align_event

        logging.getLogger("prefect").setLevel(logging.WARNING)

        def flow() -> None:
            align_event(event_dir=str(SAMPLE), event_id="bench", out=str(tmp / "ds"))

        direct()
        flow()  # warm both: cache filled, modules imported, model loaded
        timings = {}
        for name, fn in (("direct", direct), ("flow", flow)):
            samples = []
            for _ in range(args.runs):
                t = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - t)
            timings[name] = statistics.median(samples)
    d, f = timings["direct"], timings["flow"]
    print(f"direct library path: {d:.2f} s (median of {args.runs})")
    print(f"align-event flow run: {f:.2f} s (median of {args.runs})")
    print(f"overhead: {f - d:.2f} s per event ({(f - d) / d * 100:.0f} %)")


if __name__ == "__main__":
    main()
