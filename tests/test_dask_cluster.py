"""The Dask task runner against an external cluster, as a team runs it across machines.

A ``dask scheduler`` and a ``dask worker`` run as separate processes on 127.0.0.1
(ports chosen by the scheduler, found through its scheduler file), the flow
finds them through ``COVERAGE_ALIGN_DASK_ADDRESS``, and both are torn down
whatever happens.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate import dataset

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 90.0  # seconds for the scheduler and the worker to come up on a busy 2-core machine


def _stop(proc: subprocess.Popen) -> None:
    """Terminate a process group we started (the worker's nanny has a child), then kill it."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else ""


@pytest.fixture()
def dask_cluster(tmp_path) -> Iterator[str]:
    """A scheduler and one single-threaded worker; yields the scheduler's address."""
    from distributed import Client

    dask = Path(sys.executable).parent / "dask"
    assert dask.exists(), "the dask command comes with the `dask` extra (prefect-dask)"
    scheduler_file = tmp_path / "scheduler.json"
    logs = {name: tmp_path / f"{name}.log" for name in ("scheduler", "worker")}
    procs: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> subprocess.Popen:
        with logs[name].open("wb") as log:
            proc = subprocess.Popen(
                [str(dask), name, *args],
                cwd=REPO,  # the worker imports flows/ and translate/ from this checkout
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so teardown reaches the nanny's child
            )
        procs.append(proc)
        return proc

    try:
        scheduler = start(
            "scheduler",
            *("--host", "127.0.0.1", "--port", "0", "--no-dashboard"),
            *("--scheduler-file", str(scheduler_file)),
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not scheduler_file.exists() or not scheduler_file.read_text(encoding="utf-8").strip():
            if scheduler.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"dask scheduler did not start:\n{_tail(logs['scheduler'])}")
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        assert address.startswith("tcp://127.0.0.1:")
        start(
            "worker",
            address,
            *("--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1", "--no-dashboard"),
            *("--local-directory", str(tmp_path / "worker"), "--death-timeout", "60"),
        )
        with Client(address, timeout=30) as client:
            try:
                client.wait_for_workers(1, timeout=START_TIMEOUT)
            except TimeoutError:
                pytest.fail(f"dask worker did not join:\n{_tail(logs['worker'])}")
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _finished_tasks(address: str) -> dict[str, int]:
    """How many tasks the scheduler has seen finish, by key prefix (a running total)."""
    from distributed import Client

    def count(dask_scheduler) -> dict[str, int]:
        return {name: p.state_counts.get("memory", 0) for name, p in dask_scheduler.task_prefixes.items()}

    with Client(address, timeout=30) as client:
        return client.run_on_scheduler(count)


def test_dask_runner_without_the_extra_says_how_to_install_it(monkeypatch):
    from flows._runtime import task_runner
    from translate.errors import CoverageAlignError

    monkeypatch.setenv("COVERAGE_ALIGN_TASK_RUNNER", "dask")
    monkeypatch.setitem(sys.modules, "prefect_dask", None)  # as if prefect-dask were not installed
    with pytest.raises(CoverageAlignError, match=r"uv sync --extra dask"):
        task_runner()


@pytest.mark.slow
def test_dask_runner_on_an_external_scheduler_and_worker(
    prefect_server, installed_models, inbox, tmp_path, monkeypatch, dask_cluster
):
    from flows._runtime import task_runner
    from flows.process_inbox import process_inbox
    from translate.pipeline import resolve_inputs, run_event

    monkeypatch.setenv("COVERAGE_ALIGN_TASK_RUNNER", "dask")
    monkeypatch.setenv("COVERAGE_ALIGN_DASK_ADDRESS", dask_cluster)
    runner = task_runner()
    assert type(runner).__name__ == "DaskTaskRunner" and runner.address == dask_cluster
    assert sum(_finished_tasks(dask_cluster).values()) == 0

    out = tmp_path / "ds"
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    events = ["2026-07-monsoon-floods", "2026-10-rate-decision"]
    assert dataset.list_events(out) == events
    # Both events were aligned by the external worker, not in this process: a batch each
    # (COVERAGE_ALIGN_MAX_WORKERS is 2, so two events make two batches).
    assert _finished_tasks(dask_cluster) == {"align_batch": len(events)}

    # The rows are those of the library called directly on the same folders.
    cols = ["row_index", "type", "en_indices", "ko_indices", "en_text", "ko_text"]
    for event in events:
        en, ko, event_id = resolve_inputs(inbox / event, None, None, None)
        run_event(en, ko, event_id=event_id, out=tmp_path / "direct")
        flow_rows = dataset.load_pairs(out, event).select(cols).to_pylist()
        assert (
            flow_rows and flow_rows == dataset.load_pairs(tmp_path / "direct", event).select(cols).to_pylist()
        )
