"""Flow ``process-inbox``: align every new or changed event folder in an inbox.

An event is a folder ``<inbox>/<event_id>/`` with ``en/`` and ``ko/``. It is
processed when the dataset has no documents for it, or when the content hashes
of its files differ from those recorded. The inbox is never modified.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.states import Completed, Failed

from flows._runtime import PLAIN, task_runner
from flows.align_event import align_event
from translate.config import dataset_dir
from translate.dataset import check_event_id, load_documents
from translate.documents import content_hash, doc_id
from translate.errors import CoverageAlignError
from translate.pipeline import event_files


def _fingerprint(event: Path) -> dict[str, str]:
    """doc_id → sha256 of every article file, as the dataset records them."""
    try:
        files = event_files(event)
    except CoverageAlignError:
        return {}  # incomplete folder: align-event will fail it with a clear message
    return {doc_id(side, f): content_hash(f.read_bytes()) for side, paths in files.items() for f in paths}


@task(**PLAIN)
def find_work(inbox: str, out: str) -> list[str]:
    """Event folders that are new or changed since they were last written."""
    logger = get_run_logger()
    root = Path(inbox)
    if not root.is_dir():
        raise FileNotFoundError(f"inbox {root} does not exist")
    stored: dict[str, dict[str, str]] = {}  # one read of the documents table for all events
    for r in load_documents(out).to_pylist():
        stored.setdefault(r["event_id"], {})[r["doc_id"]] = r["content_hash"]
    todo = []
    for event in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            check_event_id(event.name)
        except CoverageAlignError as exc:
            logger.warning("skipping %s: %s", event.name, exc)
            continue
        fingerprint = _fingerprint(event)
        if not fingerprint or stored.get(event.name) != fingerprint:
            todo.append(str(event))
        else:
            logger.info("%s unchanged, skipped", event.name)
    return todo


@task(name="align-one-event", **PLAIN)
def align_one(event_dir: str, out: str, mode: str) -> dict:
    res = align_event(event_dir=event_dir, out=out, mode=mode)
    return {
        "event_id": res.event_id,
        "pairs": res.n_pairs,
        "en_only": res.en_only,
        "ko_only": res.ko_only,
        "flagged_numbers": res.flagged_numbers,
        "mode": res.mode,
    }


@flow(name="align-events")
def align_events(todo: list[str], out: str, mode: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """Align event folders concurrently on this flow's task runner; (done, failed)."""
    futures = align_one.map(todo, out=out, mode=mode)
    done, failed = [], []
    for event_dir, fut in zip(todo, futures, strict=True):
        try:
            done.append(fut.result())
        except Exception as exc:  # the event's own error, reported by its name
            failed.append((Path(event_dir).name, str(exc).splitlines()[0][:300]))
    return done, failed


@flow(name="process-inbox")
def process_inbox(inbox: str = "data/inbox", out: str | None = None, mode: str = "auto"):
    """Align new or changed events from ``inbox`` into the dataset at ``out``."""
    logger = get_run_logger()
    out = out or str(dataset_dir())
    todo = find_work(inbox, out)
    if not todo:
        logger.info("nothing new in %s", inbox)
        return Completed(message="nothing new")
    # The task runner is chosen per run (COVERAGE_ALIGN_TASK_RUNNER), not at import.
    done, failed = align_events.with_options(task_runner=task_runner())(todo, out, mode)
    rows = [{**d, "status": "aligned"} for d in done] + [
        {"event_id": n, "status": f"failed: {why}"} for n, why in failed
    ]
    create_table_artifact(key="process-inbox", table=rows, description=f"inbox {inbox}")
    if failed:
        listing = "; ".join(f"{n} ({why})" for n, why in failed)
        return Failed(message=f"{len(failed)} of {len(todo)} events failed: {listing}")
    return Completed(message=f"aligned {len(done)} events: {', '.join(d['event_id'] for d in done)}")
