"""Flow ``process-inbox``: align every new or changed event folder in an inbox.

An event is a folder ``<inbox>/<event_id>/`` with ``en/`` and ``ko/``. It is
processed when the dataset has no documents for it, or when the content hashes
of its files differ from those recorded. The inbox is never modified.

Folders are read by the CLI's rule (``event.json``'s id and mode, else the folder
name made into a valid id). A folder that fails, or cannot even be read (a link
loop, an unreadable file, a broken ``event.json``), is recorded by its name with a
hash of its content in ``<dataset>/.inbox-failures.json``; the other folders go on.
While the folder is unchanged, later runs skip it with a warning instead of
failing every 15 minutes; once it changes it is tried again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
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
from translate.errors import InputError
from translate.pipeline import resolve_event
from translate.textsafe import plural


def _fingerprint(files: dict[str, list[Path]]) -> dict[str, str]:
    """doc_id → sha256 of every article file, as the dataset records them: a second file
    with a side's same content is read once (``pipeline.load_side``), so it is left out."""
    out: dict[str, str] = {}
    for side, paths in files.items():
        seen: set[str] = set()
        for f in paths:
            digest = content_hash(f.read_bytes())
            if digest not in seen:
                seen.add(digest)
                out[doc_id(side, f)] = digest
    return out


FAILURES = ".inbox-failures.json"


def folder_hash(event: Path) -> str:
    """sha256 over every entry's relative path and bytes: any edit, addition or removal changes it.

    Never raises: links to folders are hashed by their target and not followed (a link
    loop ends nowhere), and an entry that cannot be read is hashed by its error.
    """
    h = hashlib.sha256()

    def add(rel: str, digest: bytes) -> None:
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0" + digest)

    def walk_error(exc: OSError) -> None:
        add(os.path.relpath(exc.filename or event, event), f"error {exc.errno}".encode())

    for folder, dirs, files in os.walk(event, onerror=walk_error):  # followlinks=False
        dirs.sort()
        for name in sorted(dirs):
            path = Path(folder, name)
            if path.is_symlink():
                add(str(path.relative_to(event)), b"link " + os.fsencode(os.readlink(path)))
        for name in sorted(files):
            path = Path(folder, name)
            try:
                digest = hashlib.sha256(path.read_bytes()).digest()
            except OSError as exc:
                digest = f"error {exc.errno}".encode()
            add(str(path.relative_to(event)), digest)
    return h.hexdigest()


def read_failures(out: str | Path) -> dict[str, dict]:
    path = Path(out) / FAILURES
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # an unreadable record only costs a retry
    return state if isinstance(state, dict) else {}


def update_failures(out: str | Path, failed: dict[str, dict], succeeded: list[str]) -> None:
    """Record new failures and forget folders that now align; atomic, one writer at a time."""
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


def _why(exc: Exception) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]


@dataclass
class Work:
    """What ``find_work`` decided for each folder of the inbox."""

    todo: list[str] = field(default_factory=list)  # folders to align
    skipped: list[dict] = field(default_factory=list)  # known broken, unchanged since
    refused: dict[str, str] = field(default_factory=dict)  # folder name → why it cannot be aligned


def _entries(root: Path) -> list[Path]:
    """Candidate event folders: every visible entry that is, or claims to be, a folder."""
    found = []
    for p in sorted(root.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_dir() or (p.is_symlink() and not p.exists()):  # a dangling or looping link is reported
            found.append(p)
    return found


@plain_task
def find_work(inbox: str, out: str, mode: str = "auto") -> Work:
    """Event folders that are new or changed since last written; known-broken ones; refused ones.

    Each folder is judged alone: whatever goes wrong reading one (a link loop, an
    unreadable file, a broken event.json) refuses that folder and no other.
    """
    logger = get_run_logger()
    root = Path(inbox)
    if not root.is_dir():
        raise FileNotFoundError(f"inbox {root} does not exist")
    stored: dict[str, dict[str, str]] = {}  # one read of the documents table for all events
    for r in load_documents(out, damaged=set()).to_pylist():  # a damaged event is aligned anew
        stored.setdefault(r["event_id"], {})[r["doc_id"]] = r["content_hash"]
    failures = read_failures(out)
    work = Work()
    owner: dict[str, str] = {}  # event id → the folder that claimed it first
    for event in _entries(root):
        known = failures.get(event.name)
        if isinstance(known, dict) and known.get("hash") == folder_hash(event):
            logger.warning("%s unchanged since it failed, skipped: %s", event.name, known.get("error"))
            work.skipped.append({"event_id": event.name, **known})
            continue
        try:
            # The CLI's rule (pipeline.resolve_event): event.json's id and mode, else the folder name.
            # The inbox's mode is a default: a folder's event.json (a translated edition) wins.
            inputs = resolve_event(event, default_mode=mode)
            first = owner.get(inputs.event_id)
            if first is not None:
                raise InputError(f"its event id {inputs.event_id!r} is also that of {first}/")
            owner[inputs.event_id] = event.name
            fingerprint = _fingerprint({"en": inputs.en, "ko": inputs.ko})
        except Exception as exc:  # whatever breaks reading one folder fails that folder alone
            logger.warning("%s not aligned: %s", event.name, _why(exc))
            work.refused[event.name] = _why(exc)
            continue
        if stored.get(inputs.event_id) != fingerprint:
            work.todo.append(str(event))
        else:
            logger.info("%s unchanged, skipped", event.name)
    return work


@plain_task(name="align-one-event")
def align_one(event_dir: str, out: str, mode: str) -> dict:
    # The inbox's mode is a default: a folder's event.json (a translated edition) wins.
    res = align_event(event_dir=event_dir, out=out, default_mode=mode)
    return {
        "event_id": res.event_id,
        "folder": Path(event_dir).name,
        "pairs": res.n_pairs,
        "en_only": res.en_only,
        "ko_only": res.ko_only,
        "flagged_numbers": res.flagged_numbers,
        "mode": res.mode,
    }


@flow(name="align-events")
def align_events(todo: list[str], out: str, mode: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """Align event folders concurrently on this flow's task runner; (done, failed by folder name)."""
    futures = align_one.map(todo, out=out, mode=mode)
    done, failed = [], []
    for event_dir, fut in zip(todo, futures, strict=True):
        try:
            done.append(fut.result())
        except Exception as exc:  # the event's own error, reported by its name
            failed.append((Path(event_dir).name, _why(exc)))
    return done, failed


@flow(name="process-inbox")
def process_inbox(inbox: str = "data/inbox", out: str | None = None, mode: str = "auto"):
    """Align new or changed events from ``inbox`` into the dataset at ``out``.

    Every folder not aligned is named in the run's message and artifact and
    recorded in ``.inbox-failures.json``, so one broken folder never stops the rest.
    """
    logger = get_run_logger()
    out = out or str(dataset_dir())
    work = find_work(inbox, out, mode)
    todo = work.todo
    skipped_rows = [
        {"event_id": k["event_id"], "status": f"skipped: unchanged since it failed ({k.get('error')})"}
        for k in work.skipped
    ]
    note = f"; {len(work.skipped)} broken event(s) unchanged, skipped" if work.skipped else ""
    # Hashed before aligning: a folder edited during the run is tried again next time.
    hashes = {Path(t).name: folder_hash(Path(t)) for t in todo}
    hashes.update({name: folder_hash(Path(inbox) / name) for name in work.refused})
    if todo:
        # The task runner is chosen per run (COVERAGE_ALIGN_TASK_RUNNER), not at import.
        done, failed = align_events.with_options(task_runner=task_runner())(todo, out, mode)
    else:
        done, failed = [], []
    failed = sorted([*work.refused.items(), *failed])
    when = datetime.now(UTC).isoformat(timespec="seconds")
    if failed or done:
        update_failures(
            out,
            {n: {"hash": hashes[n], "error": why, "failed_at": when} for n, why in failed},
            [d["folder"] for d in done],
        )
    rows = (
        [{**d, "status": "aligned"} for d in done]
        + [{"event_id": n, "status": f"failed: {why}"} for n, why in failed]
        + skipped_rows
    )
    if rows:
        create_table_artifact(key="process-inbox", table=rows, description=f"inbox {inbox}")
    if failed:
        listing = "; ".join(f"{n} ({why})" for n, why in failed)
        total = len(todo) + len(work.refused)
        return Failed(message=f"{len(failed)} of {plural(total, 'event')} failed: {listing}{note}")
    if not todo:
        logger.info("nothing new in %s", inbox)
        return Completed(message="nothing new" + note)
    names = ", ".join(d["event_id"] for d in done)
    return Completed(message=f"aligned {plural(len(done), 'event')}: {names}{note}")
