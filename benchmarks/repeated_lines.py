"""Time of `detect` and `align` on Markdown whose code block repeats one line n times.

Run:  flock -x /tmp/ca-cpu.lock uv run python -m benchmarks.repeated_lines [--lines 10000 20000 200000]
      [--align-lines 10000 20000]

Issue 21 found `detect` quadratic here (10k lines 6.7 s, 20k 29 s, 200k over 300 s):
segmentation rescanned the whole growing block for every line it joined. Each
figure is one fresh CLI subprocess (wall time, so it includes the ~1 s start-up);
`align` runs with ``--encoder none`` and no translation models, the English file
being the code block and the Korean one a sample article.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINE = "int main() { return 0; }"  # starts lowercase: every line joins the one before
KO = (
    Path(__file__).resolve().parents[1] / "data" / "samples" / "2026-07-monsoon-floods" / "ko" / "article.txt"
)


def markdown(n: int) -> str:
    return "# Build notes\n\nThe build prints this.\n\n```\n" + f"{LINE}\n" * n + "```\n\nThe end.\n"


def _time(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, nargs="+", default=[10_000, 20_000, 200_000])
    ap.add_argument("--align-lines", type=int, nargs="*", default=[10_000, 20_000])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ca-lines-") as tmp:
        root = Path(tmp)
        env = {
            **os.environ,
            "ARGOS_PACKAGES_DIR": str(root / "no-models"),
            "COVERAGE_ALIGN_DATA": str(root / "data"),
            "COVERAGE_ALIGN_MAX_BYTES": "20000000",  # 200k lines are just over the 5 MB default
        }
        cli = [sys.executable, "-m", "translate.cli"]
        print(f"{'command':>8s} {'lines':>8s} {'bytes':>11s} {'seconds':>8s} {'exit':>5s}")
        for command, sizes in (("detect", args.lines), ("align", args.align_lines)):
            for n in sizes:
                path = root / f"code-{n}.md"
                path.write_text(markdown(n), encoding="utf-8")
                if command == "detect":
                    cmd = [*cli, "detect", str(path)]
                else:
                    cmd = [*cli, "align", "--en", str(path), "--ko", str(KO), "--encoder", "none"]
                    cmd += ["--event-id", f"code-{n}", "--out", str(root / "ds")]
                seconds, code = _time(cmd, env)
                print(f"{command:>8s} {n:>8,d} {path.stat().st_size:>11,d} {seconds:8.2f} {code:>5d}")


if __name__ == "__main__":
    main()
