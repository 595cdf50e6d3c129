"""Flow ``process-inbox``: align every new or changed event folder in an inbox.

An event is a folder ``<inbox>/<event_id>/`` with ``en/`` and ``ko/``. It is
processed when the dataset has no documents for it, or when the content hashes
of its files differ from those recorded. The inbox is never modified.

A failed event is recorded with a hash of its folder in ``<dataset>/.inbox-failures.json``.
While the folder is unchanged, later runs skip it with a warning instead of
failing every 15 minutes; once it changes it is tried again.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock
from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.states import Completed, Failed

from flows._runtime import plain_task, task_runner
from flows.align_event import align_event
from translate.config import dataset_dir
from translate.dataset import load_documents
from translate.documents import content_hash, doc_id
from translate.errors import CoverageAlignError
from translate.pipeline import event_files, folder_event_id
from translate.textsafe import plural


def _fingerprint(event: Path) -> dict[str, str]:
    """doc_id → sha256 of every article file, as the dataset records them."""
    try:
        files = event_files(event)
    except CoverageAlignError:
        return {}  # incomplete folder: align-event will fail it with a clear message
    return {doc_id(side, f): content_hash(f.read_bytes()) for side, paths in files.items() for f in paths}


FAILURES = ".inbox-failures.json"


def folder_hash(event: Path) -> str:
    """sha256 over every file's relative path and bytes: any edit, addition or removal changes it."""
    h = hashlib.sha256()
    for f in sorted(p for p in event.rglob("*") if p.is_file()):
        h.update(str(f.relative_to(event)).encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def read_failures(out: str | Path) -> dict[str, dict]:
    path = Path(out) / FAILURES
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # an unreadable record only costs a retry


def update_failures(out: str | Path, failed: dict[str, dict], succeeded: list[str]) -> None:
    """Record new failures and forget events that now align; atomic, one writer at a time."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    (root / ".locks").mkdir(exist_ok=True)
    with FileLock(str(root / ".locks" / "inbox-failures.lock"), timeout=60):
        state = read_failures(root)
        state.update(failed)
        for name in succeeded:
            state.pop(name, None)
        tmp = root / f"{FAILURES}.tmp"
        tmp.write_text(json.dumps(state, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, root / FAILURES)


@plain_task
def find_work(inbox: str, out: str) -> tuple[list[str], list[dict]]:
    """Event folders that are new or changed since last written; and known-broken ones skipped."""
    logger = get_run_logger()
    root = Path(inbox)
    if not root.is_dir():
        raise FileNotFoundError(f"inbox {root} does not exist")
    stored: dict[str, dict[str, str]] = {}  # one read of the documents table for all events
    for r in load_documents(out).to_pylist():
        stored.setdefault(r["event_id"], {})[r["doc_id"]] = r["content_hash"]
    failures = read_failures(out)
    todo, skipped = [], []
    for event in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        known = failures.get(event.name)
        if known and known.get("hash") == folder_hash(event):
            logger.warning("%s unchanged since it failed, skipped: %s", event.name, known.get("error"))
            skipped.append({"event_id": event.name, **known})
            continue
        try:
            # The shared rule: event.json's id, else the folder name (any script), else a content hash.
            event_id = folder_event_id(event)
        except CoverageAlignError:
            todo.append(str(event))  # align-event fails it with its one-line reason, reported as failed
            continue
        fingerprint = _fingerprint(event)
        if not fingerprint or stored.get(event_id) != fingerprint:
            todo.append(str(event))
        else:
            logger.info("%s unchanged, skipped", event.name)
    return todo, skipped


@plain_task(name="align-one-event")
def align_one(event_dir: str, out: str, mode: str) -> dict:
    # The inbox's mode is a default: a folder's event.json (a translated edition) wins.
    res = align_event(event_dir=event_dir, out=out, default_mode=mode)
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
    todo, skipped = find_work(inbox, out)
    skipped_rows = [
        {"event_id": k["event_id"], "status": f"skipped: unchanged since it failed ({k.get('error')})"}
        for k in skipped
    ]
    note = f"; {len(skipped)} broken event(s) unchanged, skipped" if skipped else ""
    if not todo:
        logger.info("nothing new in %s", inbox)
        if skipped_rows:
            create_table_artifact(key="process-inbox", table=skipped_rows, description=f"inbox {inbox}")
        return Completed(message="nothing new" + note)
    # Hashed before aligning: a folder edited during the run is tried again next time.
    hashes = {Path(t).name: folder_hash(Path(t)) for t in todo}
    # The task runner is chosen per run (COVERAGE_ALIGN_TASK_RUNNER), not at import.
    done, failed = align_events.with_options(task_runner=task_runner())(todo, out, mode)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    update_failures(
        out,
        {n: {"hash": hashes[n], "error": why, "failed_at": when} for n, why in failed},
        [d["event_id"] for d in done],
    )
    rows = (
        [{**d, "status": "aligned"} for d in done]
        + [{"event_id": n, "status": f"failed: {why}"} for n, why in failed]
        + skipped_rows
    )
    create_table_artifact(key="process-inbox", table=rows, description=f"inbox {inbox}")
    if failed:
        listing = "; ".join(f"{n} ({why})" for n, why in failed)
        return Failed(message=f"{len(failed)} of {len(todo)} events failed: {listing}{note}")
    names = ", ".join(d["event_id"] for d in done)
    return Completed(message=f"aligned {plural(len(done), 'event')}: {names}{note}")
