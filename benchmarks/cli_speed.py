"""CLI start-up and end-to-end ``align`` wall time, cold and warm cache, with test models.

Run:  uv run python -m benchmarks.cli_speed
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "2026-07-monsoon-floods"


def _time(cmd: list[str], env: dict, runs: int = 1) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp / "pk"), "COVERAGE_ALIGN_DATA": str(tmp / "data")}
    cli = [sys.executable, "-m", "translate.cli"]
    subprocess.run(
        [*cli, "models", "build-test", "--out", str(tmp / "models")], env=env, check=True, capture_output=True
    )
    print(f"coverage-align --help: {_time([*cli, '--help'], env, runs=5):.2f} s (median of 5)")
    align = [*cli, "align", "--event", str(SAMPLE)]
    print(f"align, cold cache:     {_time(align, env):.2f} s")
    print(f"align, warm cache:     {_time(align, env, runs=3):.2f} s (median of 3)")


if __name__ == "__main__":
    main()
