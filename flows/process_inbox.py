"""Flow ``process-inbox``: align every new or changed event of an inbox, a batch per task.

The inbox holds event folders (``<event>/{en,ko}/``, or any folder with
``event.json``), aligned as they stand, and loose articles (``.txt``, ``.md``,
``.html`` anywhere else): the flow's *detect-language* step reads each one and
detects its language, then *pair-events* groups English and Korean stories into
events (``translate.loose``, ``translate.pairing``), remembering the grouping in
``<dataset>/.loose-events.json`` so an event keeps its id as articles arrive.
A file that is not an English or Korean article is named and skipped.

An event is aligned when the dataset has no documents for it, or when the content
hashes of its files differ from those recorded. The inbox is never modified.

Prefect's bookkeeping is paid per batch, not per event: events go to
``align-batch`` tasks a batch at a time (``COVERAGE_ALIGN_BATCH`` events at most,
split so that every worker gets work); each writes its events' rows and HTML
reports, and the run makes one table artifact listing every event. An event that
fails, or a folder that cannot even be read (a link loop, an unreadable file, a
broken ``event.json``), fails alone: its reason is in the run's final message and
the artifact, and it is recorded with a hash of its content in
``<dataset>/.inbox-failures.json``. While it is unchanged, later runs skip it
with a warning instead of failing every 15 minutes; once it changes it is tried again.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock
from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State

from flows._runtime import plain_task, task_runner
from flows.align_event import report_path
from translate.cache import EmbeddingCache, TranslationCache
from translate.config import dataset_dir
from translate.dataset import load_documents
from translate.documents import content_hash, doc_id
from translate.errors import DatasetError, EventConflict, ModelError
from translate.loose import Job, Reading, plan_from, read_inbox
from translate.pairing import Skipped
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
    """What ``find_work`` decided for each event of the inbox."""

    todo: list[Job] = field(default_factory=list)  # events to align
    skipped: list[dict] = field(default_factory=list)  # known broken, unchanged since
    refused: dict[str, str] = field(default_factory=dict)  # folder name or event id → why not
    hashes: dict[str, str] = field(default_factory=dict)  # failure key → content hash, before aligning
    waiting: list[tuple[str, str]] = field(default_factory=list)  # paired events in one language so far
    ignored: list[Skipped] = field(default_factory=list)  # files that are not English or Korean articles


def failure_key(job: Job) -> str:
    """What a failure is recorded under: the folder's name, or a paired event's id."""
    return job.source if job.folder is not None else job.event_id


def _sides(job: Job) -> dict[str, list[Path]]:
    return {"en": [Path(p) for p in job.en], "ko": [Path(p) for p in job.ko]}


def _job_hash(job: Job) -> str:
    """Taken before aligning: an event edited during the run is tried again next time."""
    if job.folder is not None:
        return folder_hash(Path(job.folder))
    return hashlib.sha256("".join(sorted(_fingerprint(_sides(job)).values())).encode()).hexdigest()


@plain_task(name="detect-language")
def detect_language(inbox: str) -> Reading:
    """Walk the inbox; read every loose article and detect its language (event folders are read later)."""
    root = Path(inbox)
    if not root.is_dir():
        raise FileNotFoundError(f"inbox {root} does not exist")
    return read_inbox(root)


@plain_task(name="pair-events")
def find_work(reading: Reading, out: str, mode: str = "comparable") -> Work:
    """Pair loose articles into events; keep events that are new or changed; skip known-broken ones.

    Each folder and event is judged alone: whatever goes wrong reading one refuses it and no other.
    """
    logger = get_run_logger()
    the_plan = plan_from(reading, Path(out), mode)
    stored: dict[str, dict[str, str]] = {}  # one read of the documents table for all events
    for r in load_documents(out, damaged=set()).to_pylist():  # a damaged event is aligned anew
        stored.setdefault(r["event_id"], {})[r["doc_id"]] = r["content_hash"]
    failures = read_failures(out)
    work = Work(waiting=the_plan.waiting, ignored=the_plan.skipped)
    for s in the_plan.skipped:
        logger.warning("%s skipped: %s", s.path, s.reason)

    def known_broken(key: str, digest: str) -> bool:
        known = failures.get(key)
        if isinstance(known, dict) and known.get("hash") == digest:
            logger.warning("%s unchanged since it failed, skipped: %s", key, known.get("error"))
            work.skipped.append({"event_id": key, **known})
            return True
        return False

    for name, why in the_plan.refused.items():
        path = reading.root / name
        digest = folder_hash(path) if path.exists() or path.is_symlink() else name
        if not known_broken(name, digest):
            logger.warning("%s not aligned: %s", name, why)
            work.refused[name], work.hashes[name] = why, digest
    for job in the_plan.jobs:
        key = failure_key(job)
        try:
            digest = _job_hash(job)  # a folder's hash never raises; a paired event's reads its files
            if known_broken(key, digest):
                continue
            fingerprint = _fingerprint(_sides(job))
        except Exception as exc:  # a file gone or unreadable since it was listed
            work.refused[key], work.hashes[key] = _why(exc), folder_hash(Path(job.folder or reading.root))
            continue
        if stored.get(job.event_id) != fingerprint:
            work.todo.append(job)
            work.hashes[key] = digest
        else:
            logger.info("%s unchanged, skipped", job.event_id)
    return work


_TRANSIENT = (ModelError, DatasetError, OSError)  # a lock held, a model being copied in, a network disk


def align_job(job: Job, out: Path, run_id: str | None, tc: TranslationCache, ec: EmbeddingCache) -> dict:
    """One event: its rows, then its report; a transient failure is tried once more."""
    from translate.pipeline import run_event

    for attempt in (1, 2):
        try:
            res = run_event(
                [Path(p) for p in job.en],
                [Path(p) for p in job.ko],
                event_id=job.event_id,
                out=out,
                mode=job.mode,
                cache=tc,
                embed_cache=ec,
                run_id=run_id,
                event=job.meta,
            )
            break
        except EventConflict:  # the id belongs to other articles: waiting changes nothing
            raise
        except _TRANSIENT:
            if attempt == 2:
                raise
            time.sleep(1.0)
    report = write_report(out, job.event_id)
    pairing = job.meta.get("pairing") or {}
    shared = [*pairing.get("shared_names", [])[:4], *pairing.get("shared_numbers", [])[:4]]
    return {
        "event_id": res.event_id,
        "folder": failure_key(job),
        "status": "aligned",
        "pairs": res.n_pairs,
        "groups": res.n_groups,
        "also_linked": res.also_linked,
        "en_only": res.en_only,
        "ko_only": res.ko_only,
        "flagged_numbers": res.flagged_numbers,
        "mode": res.mode,
        "articles": len(job.en) + len(job.ko),
        "paired": pairing.get("paired", "folder"),
        "pair_score": pairing.get("score"),
        "shared": ", ".join(shared),
        "report": str(report),
    }


def write_report(out: Path, event_id: str) -> Path:
    """The event's HTML report beside the dataset, from what was just stored (atomic replace)."""
    from translate.dataset import load_event
    from translate.report import render_html

    pairs, docs, prov = load_event(out, event_id)
    prov = {"created_at": datetime.now(UTC).isoformat(timespec="seconds"), **prov}
    path = report_path(out, event_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render_html(event_id, pairs, docs, prov), encoding="utf-8")
    tmp.replace(path)
    return path


def _failed_row(job: Job, why: str) -> dict:
    return {"event_id": job.event_id, "folder": failure_key(job), "status": "failed", "error": why}


@plain_task(name="align-batch")
def align_batch(jobs: list[Job], out: str, run_id: str | None = None) -> list[dict]:
    """Align a batch of events one after another; a failure is that event's alone, with its reason."""
    from translate.config import cache_path, embed_cache_path

    logger = get_run_logger()
    rows = []
    with TranslationCache(cache_path()) as tc, EmbeddingCache(embed_cache_path()) as ec:
        for job in jobs:
            try:
                rows.append(align_job(job, Path(out), run_id, tc, ec))
                logger.info("%s aligned", job.event_id)
            except Exception as exc:  # the event's own error, reported by its name
                logger.warning("%s not aligned: %s", failure_key(job), _why(exc))
                rows.append(_failed_row(job, _why(exc)))
    return rows


def batches(jobs: list[Job], workers: int, size: int) -> list[list[Job]]:
    """At most ``size`` events a batch, and a batch per worker while there are events enough."""
    if not jobs:
        return []
    per = max(1, min(size, math.ceil(len(jobs) / max(1, workers))))
    return [jobs[k : k + per] for k in range(0, len(jobs), per)]


@flow(name="align-events")
def align_events(todo: list[Job], out: str, run_id: str | None = None) -> list[dict]:
    """Align events in batches, concurrently on this flow's task runner; a row per event."""
    from translate import config

    groups = batches(todo, config.max_workers(), config.batch_size())
    futures = align_batch.map(groups, out=out, run_id=run_id)
    rows: list[dict] = []
    for group, fut in zip(groups, futures, strict=True):
        try:
            rows.extend(fut.result())
        except Exception as exc:  # the batch itself broke (a lost worker): each of its events fails
            rows.extend(_failed_row(job, _why(exc)) for job in group)
    return rows


@flow(name="process-inbox")
def process_inbox(inbox: str = "data/inbox", out: str | None = None, mode: str = "comparable") -> State:
    """Align new or changed events from ``inbox`` into the dataset at ``out``.

    ``mode`` is for events whose event.json names none, loose articles included
    (``comparable``, as the CLI's). Every event not aligned is named in the run's
    message and artifact and recorded in ``.inbox-failures.json``, so one broken
    event never stops the rest.
    """
    out = out or str(dataset_dir())
    work = find_work(detect_language(inbox), out, mode)
    run_id = str(flow_run.get_id() or "") or None
    rows: list[dict] = []
    if work.todo:
        # The task runner is chosen per run (COVERAGE_ALIGN_TASK_RUNNER), not at import.
        rows = align_events.with_options(task_runner=task_runner())(work.todo, out, run_id)
    done = [r for r in rows if r["status"] == "aligned"]
    failed = sorted(
        [*work.refused.items(), *((r["folder"], r["error"]) for r in rows if r["status"] == "failed")]
    )
    when = datetime.now(UTC).isoformat(timespec="seconds")
    if failed or done:
        update_failures(
            out,
            {n: {"hash": work.hashes.get(n, n), "error": why, "failed_at": when} for n, why in failed},
            [d["folder"] for d in done],
        )
    table = (
        done
        + [{"event_id": n, "status": f"failed: {why}"} for n, why in failed]
        + [
            {"event_id": k["event_id"], "status": f"skipped: unchanged since it failed ({k.get('error')})"}
            for k in work.skipped
        ]
        + [{"event_id": e, "status": f"waiting: {why}"} for e, why in work.waiting]
        + [{"event_id": s.path, "status": f"file skipped: {s.reason}"} for s in work.ignored]
    )
    if table:
        create_table_artifact(key="process-inbox", table=table, description=f"inbox {inbox}")
    message = final_message(done, failed, len(work.todo) + len(work.refused), work)
    if not failed and not done:
        get_run_logger().info("nothing new in %s", inbox)
    return Failed(message=message) if failed else Completed(message=message)


def final_message(done: list[dict], failed: list[tuple[str, str]], total: int, work: Work) -> str:
    """What ``--watch`` shows: failures with their reasons, the events aligned, then the rest."""
    parts = []
    if failed:
        listing = "; ".join(f"{n} ({why})" for n, why in failed)
        parts.append(f"{len(failed)} of {plural(total, 'event')} failed: {listing}")
    if done:
        parts.append(f"aligned {plural(len(done), 'event')}: {', '.join(d['event_id'] for d in done)}")
    if not failed and not done:
        parts.append("nothing new")
    if work.skipped:
        parts.append(f"{len(work.skipped)} broken event(s) unchanged, skipped")
    if work.waiting:
        parts.append(f"{plural(len(work.waiting), 'event')} waiting for the other language")
    if work.ignored:
        names = ", ".join(f"{s.path} ({s.reason})" for s in work.ignored[:5])
        more = f" and {len(work.ignored) - 5} more" if len(work.ignored) > 5 else ""
        parts.append(f"{plural(len(work.ignored), 'file')} skipped: {names}{more}")
    return "; ".join(parts)
