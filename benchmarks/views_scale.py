"""Time ``events``, ``export --all`` (each format) and ``report --all`` over a large dataset.

Builds the dataset with ``benchmarks.dataset_scale``'s rows, then runs each
command in a fresh process, as a user would.

Run:  uv run python -m benchmarks.views_scale [--events 1000] [--pairs 200]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.dataset_scale import _rows
from translate import dataset


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--pairs", type=int, default=200)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-views-"))
    root = work / "ds"
    prov = {"aligner": {"mode": "comparable", "threshold": 0.2, "encoder": "use-m3"}, "packages": []}
    t0 = time.perf_counter()
    for e in range(args.events):
        eid = f"event-{e:05d}"
        dataset.write_event(root, eid, provenance=prov, **_rows(eid, args.pairs))
    print(f"built {args.events} events × {args.pairs} pairs in {time.perf_counter() - t0:.1f} s")
    cli = [sys.executable, "-m", "translate.cli"]
    runs = {
        "events": ["events"],
        "export --all --format tmx": ["export", "--all", "--format", "tmx", "--to", str(work / "all.tmx")],
        "export --all --format jsonl": [
            "export",
            "--all",
            "--format",
            "jsonl",
            "--to",
            str(work / "all.jsonl"),
        ],
        "export --all --format moses": ["export", "--all", "--format", "moses", "--to", str(work / "all")],
        "report --all": ["report", "--all", "--html", str(work / "reports")],
    }
    for label, argv in runs.items():
        t0 = time.perf_counter()
        subprocess.run([*cli, *argv, "--dataset", str(root)], check=True, capture_output=True)
        print(f"{label}: {time.perf_counter() - t0:.2f} s")
    print(f"(files in {work})")


if __name__ == "__main__":
    main()
