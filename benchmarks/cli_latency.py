"""The CLI as a user meets it: whole-process wall time and peak memory of the everyday commands.

Run:  uv run python -m benchmarks.cli_latency [--runs 5] [--checkout /work/main --checkout .]

For each checkout (its own ``.venv``, made by ``uv sync``), on one sample pair
(``data/samples/2026-09-subway-line3`` by default), several runs each, median
and range of wall time and the largest peak RSS of the child process:

* ``warm``: ``align --event SAMPLE`` again, every project cache warm (the
  embedding, Korean analysis and translation caches and the stored event);
* ``new``: the same ``align`` with empty project caches (a fresh
  ``COVERAGE_ALIGN_DATA`` per run, holding only the stored langdetect
  profiles, which belong to the installation) and warm OS file caches: what a
  pair the tool has never seen costs;
* ``show`` and ``report`` of the aligned event;
* ``--help``.

Runs as a user would: in a runtime-only environment made for each checkout
(``uv sync --frozen`` into a temporary folder, no dev group: pandas is dev-only,
and pyarrow imports it whenever it is installed, which cost the dev ``.venv``
seconds per run), unless ``--venv checkout``; byte-code cached
(``PYTHONDONTWRITEBYTECODE`` unset, and one untimed run of each command
first); no translation model installed
(an empty ``ARGOS_PACKAGES_DIR``), the default encoder unless ``--encoder``.
Checkouts are measured in turns, scenario by scenario, so a change of machine
load hits both alike; the 1-minute load average is printed beside each
scenario. Peak RSS comes from ``wait4`` on the child, so it is the CLI's own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "data/samples/2026-09-subway-line3"
SCENARIOS = ("warm", "new", "show", "report", "help")
# Our variables that would point a run at the user's own caches or models.
_OURS = ("COVERAGE_ALIGN_", "ARGOS_")


@dataclass
class Measured:
    wall: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)


def _run(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process; a failure is a one-line error."""
    with log.open("wb") as out:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["(no output)"]
        raise SystemExit(f"{' '.join(cmd[2:])} failed in {cwd} (exit {proc.returncode}): {tail[0]}")
    return wall, usage.ru_maxrss / 1024  # KB on Linux


class Checkout:
    """One working tree, its interpreter and its own temporary data folders."""

    def __init__(self, root: Path, tmp: Path, sample: str, encoder: str | None, venv: str):
        self.root = root.resolve()
        self.tmp = tmp / self.root.name
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.python = self._user_env() if venv == "user" else self.root / ".venv" / "bin" / "python"
        if not self.python.is_file():
            raise SystemExit(f"{self.root} has no .venv: run `uv sync --frozen` there first")
        self.sample = self.root / sample
        if not self.sample.is_dir():
            raise SystemExit(f"{self.sample} not found")
        self.event = json.loads((self.sample / "event.json").read_text(encoding="utf-8"))["event_id"]
        base = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base["ARGOS_PACKAGES_DIR"] = str(self.tmp / "no-models")
        if encoder:
            base["COVERAGE_ALIGN_ENCODER"] = encoder
        self.base = base
        self.n_new = 0

    def _user_env(self) -> Path:
        """A runtime-only environment of this checkout (from uv's cache: seconds, not a download)."""
        venv = self.tmp / "venv"
        env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(venv)}
        proc = subprocess.run(
            ["uv", "sync", "--frozen", "--no-dev"], cwd=self.root, env=env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
            raise SystemExit(f"cannot make a runtime environment for {self.root}: {last}")
        return venv / "bin" / "python"

    def env(self, data: Path) -> dict[str, str]:
        return {**self.base, "COVERAGE_ALIGN_DATA": str(data)}

    def cli(self, *args: str) -> list[str]:
        return [str(self.python), "-m", "translate.cli", *args]

    def command(self, scenario: str) -> tuple[list[str], dict[str, str]]:
        warm = self.tmp / "warm"
        if scenario == "new":
            self.n_new += 1
            data = self.tmp / f"new-{self.n_new}"
            shutil.rmtree(data, ignore_errors=True)
            # The stored language profiles belong to the installation, not to any pair: a user's
            # new pair finds them (the first run ever parses them once, about 0.4 s).
            (data / "cache").mkdir(parents=True)
            for f in (warm / "cache").glob("langdetect-*.npz"):
                shutil.copy(f, data / "cache" / f.name)
            return self.cli("align", "--event", str(self.sample)), self.env(data)
        if scenario == "warm":
            return self.cli("align", "--event", str(self.sample)), self.env(warm)
        if scenario == "show":
            return self.cli("show", self.event, "--no-pager"), self.env(warm)
        if scenario == "report":
            return self.cli("report", self.event, "--html", str(self.tmp / "report.html")), self.env(warm)
        return self.cli("--help"), self.env(warm)

    def once(self, scenario: str) -> tuple[float, float]:
        cmd, env = self.command(scenario)
        return _run(cmd, self.root, env, self.tmp / f"{scenario}.log")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--checkout", action="append", type=Path, help="a working tree (repeatable); default: this one"
    )
    ap.add_argument("--runs", type=int, default=5, help="timed runs per scenario and checkout (default 5)")
    ap.add_argument(
        "--sample", default=SAMPLE, help=f"sample event folder, relative to each checkout ({SAMPLE})"
    )
    ap.add_argument(
        "--encoder", default=None, help="COVERAGE_ALIGN_ENCODER for the runs (default: the default)"
    )
    ap.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="comma-separated subset of " + ",".join(SCENARIOS)
    )
    ap.add_argument(
        "--venv",
        choices=("user", "checkout"),
        default="user",
        help="user: a runtime-only environment per checkout (default); checkout: its .venv",
    )
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    args = ap.parse_args()
    wanted = [s for s in args.scenarios.split(",") if s]
    if bad := [s for s in wanted if s not in SCENARIOS]:
        raise SystemExit(f"unknown scenario {bad[0]!r}: choose from {', '.join(SCENARIOS)}")
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    tmp = Path(tempfile.mkdtemp(prefix="cli-latency-"))
    try:
        roots = args.checkout or [REPO]
        if len({r.resolve().name for r in roots}) != len(roots):
            raise SystemExit("checkouts must have different folder names (they name the results)")
        checkouts = [Checkout(r, tmp, args.sample, args.encoder, args.venv) for r in roots]
        for c in checkouts:  # untimed: writes byte-code, fills the warm caches, stores the event
            for s in ("warm", "show", "report", "help"):
                c.once(s)
        results = {c.root.name: {s: Measured() for s in wanted} for c in checkouts}
        print(f"{os.cpu_count()} cores; sample {args.sample}; {args.runs} runs per scenario\n")
        for s in wanted:
            for _ in range(args.runs):
                for c in checkouts:  # in turns, so load changes hit every checkout alike
                    m = results[c.root.name][s]
                    m.load.append(os.getloadavg()[0])
                    wall, peak = c.once(s)
                    m.wall.append(wall)
                    m.peak_mb.append(peak)
        print("| checkout | scenario | median s | min–max s | peak RSS MB | load (1 min) |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        for name, per in results.items():
            for s, m in per.items():
                print(
                    f"| {name} | {s} | {statistics.median(m.wall):.2f} | {min(m.wall):.2f}–{max(m.wall):.2f} "
                    f"| {max(m.peak_mb):.0f} | {min(m.load):.1f}–{max(m.load):.1f} |"
                )
        if args.json:
            raw = {n: {s: vars(m) for s, m in per.items()} for n, per in results.items()}
            args.json.write_text(
                json.dumps({"runs": args.runs, "sample": args.sample, "results": raw}, indent=1)
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
