"""The scheduled path with real parts: prefect server, process work pool, deploy, worker.

Every wait is bounded; every process is stopped in ``finally``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from translate import dataset

REPO = Path(__file__).resolve().parents[1]
PREFECT = [sys.executable, "-m", "prefect"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout: float, what: str, every: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.mark.slow
def test_process_inbox_deployment_on_a_real_server_and_worker(tmp_path, installed_models, inbox):
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        # The deployment keeps its cron schedule, but no scheduled run may fire during
        # the test and touch the checkout's own data/ folder.
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "PREFECT_CLI_PROMPT": "false",
        "COVERAGE_ALIGN_HOME": str(REPO),
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    out = tmp_path / "ds"

    def run(*args: str, timeout: float = 120) -> str:
        res = subprocess.run(
            [*PREFECT, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
        )
        assert res.returncode == 0, f"prefect {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}"
        return res.stdout

    def health() -> bool:
        try:
            return httpx.get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    server = subprocess.Popen(
        [*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=(logs / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = None
    try:
        _wait(health, 180, "the Prefect server")
        run("work-pool", "create", "coverage-align", "--type", "process")
        run("--no-prompt", "deploy", "--all", timeout=180)

        dep = httpx.get(f"{api}/deployments/name/process-inbox/process-inbox", timeout=10).json()
        assert [s["schedule"]["cron"] for s in dep["schedules"]] == ["*/15 * * * *"]
        assert dep["work_pool_name"] == "coverage-align"
        assert dep["pull_steps"][0]["prefect.deployments.steps.set_working_directory"]["directory"] == str(
            REPO
        )
        adhoc = httpx.get(f"{api}/deployments/name/align-event/align-event", timeout=10).json()
        assert adhoc["schedules"] == []

        worker = subprocess.Popen(
            [*PREFECT, "worker", "start", "--pool", "coverage-align", "--type", "process"],
            env=env,
            cwd=REPO,
            stdout=(logs / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        started = run(
            "deployment",
            "run",
            "process-inbox/process-inbox",
            "--param",
            f"inbox={inbox}",
            "--param",
            f"out={out}",
        )
        run_id = re.search(r"UUID:\s*([0-9a-f-]{36})", started).group(1)

        def finished():
            state = httpx.get(f"{api}/flow_runs/{run_id}", timeout=10).json()["state"]
            return state if state["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

        state = _wait(finished, 420, "the flow run to finish", every=2)
        assert state["type"] == "COMPLETED", (state, (logs / "worker.log").read_text()[-3000:])
        assert dataset.list_events(out) == ["2026-07-monsoon-floods", "2026-10-rate-decision"]
        pairs = dataset.load_pairs(out, "2026-10-rate-decision")
        assert pairs.num_rows >= 11
        assert dataset.read_provenance(out, "2026-10-rate-decision")["run_id"]
    finally:
        if worker is not None:
            _stop(worker)
        _stop(server)
