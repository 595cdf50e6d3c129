"""The Parquet parallel-text dataset: four Hive-partitioned tables.

Layout (``root`` defaults to ``data/parallel``)::

    root/documents/event_id=<id>/part-0.parquet
    root/sentences/event_id=<id>/part-0.parquet
    root/pairs/event_id=<id>/part-0.parquet    one row per display row (pair or gap)
    root/links/event_id=<id>/part-0.parquet    every scored link, many-to-many

``event_id`` lives only in the directory name (Hive style), so pyarrow, pandas,
Polars, DuckDB (``hive_partitioning=true``) and Spark all add it back as a
column with no custom code.

Writes are per event, atomic and idempotent: the tables are written into
a staging directory inside ``root``; a journal naming the swaps (relative to
``root``) is committed; then each table's ``part-0.parquet`` is replaced by an
atomic file rename and the journal removed. Every row carries the write's
``generation``, so a reader can tell tables of two writes apart during a swap.
A writer killed while staging leaves the previous state untouched; one killed
mid-swap is rolled forward by the next writer of that event or by ``repair``.
Readers never write. Writers of the same event take turns on a file lock;
different events proceed in parallel.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from translate.errors import DatasetError, EventConflict, EventNotFound

TABLES = ("documents", "sentences", "pairs", "links")
# align-folder's stored grouping of loose articles (``translate.loose``), beside the tables.
PAIRING_STATE = ".loose-events.json"
METADATA_KEY = b"coverage_align"

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("lang_declared", pa.string()),
        ("lang_detected", pa.string()),
        ("lang_confidence", pa.float32()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("path", pa.string()),
        ("url", pa.string()),
        ("published", pa.date32()),
        ("content_hash", pa.string()),
        ("encoding", pa.string()),
        ("n_sentences", pa.int32()),
        ("warnings", pa.list_(pa.string())),
    ]
)
SENTENCES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("side", pa.string()),  # "en" or "ko": which column of pairs it belongs to
        ("sentence_index", pa.int32()),  # position within its side of the event
        ("text", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("lang", pa.string()),
        ("lang_confidence", pa.float32()),
        ("translation", pa.string()),
        ("translation_lang", pa.string()),
        ("translation_package", pa.string()),
        ("translation_package_version", pa.string()),
        # The coverage verdict (translate/align/verdict.py): "linked", "probably" (reported,
        # by the other side's sentences in ``candidates``) or "only" (here); null in
        # datasets written before it existed. ``verdict_p``: the probability that the
        # other side reports the sentence's content.
        ("verdict", pa.string()),
        ("verdict_p", pa.float32()),
        ("candidates", pa.list_(pa.struct([("index", pa.int32()), ("score", pa.float32())]))),
    ]
)
PAIRS = pa.schema(
    [
        ("row_index", pa.int32()),
        # 1-1, 1-2, 2-1, 1-3, 3-1 (parallel mode), en-also, ko-also, en-only, ko-only
        ("type", pa.string()),
        ("score", pa.float32()),
        ("mode", pa.string()),
        ("en_indices", pa.list_(pa.int32())),
        ("ko_indices", pa.list_(pa.int32())),
        ("en_text", pa.string()),
        ("ko_text", pa.string()),
        ("en_to_ko", pa.string()),  # machine translation of en_text into Korean
        ("ko_to_en", pa.string()),  # machine translation of ko_text into English
        ("translation", pa.struct([("en", pa.string()), ("ko", pa.string())])),
        ("numbers_only_en", pa.list_(pa.string())),  # numbers without a counterpart in the row
        ("numbers_only_ko", pa.list_(pa.string())),
        ("numbers_conflict_en", pa.list_(pa.string())),  # of those, the ones the other side contradicts
        ("numbers_conflict_ko", pa.list_(pa.string())),
        # Names (speakers, places, organisations) in a pair row that the other side does not give.
        ("names_only_en", pa.list_(pa.string())),
        ("names_only_ko", pa.list_(pa.string())),
        # A gap row's best candidate on the other side, when it scores at least the
        # scorer's possible floor (provenance: aligner.possible_floor); else null.
        ("possible_index", pa.int32()),  # sentence_index on the other side
        ("possible_text", pa.string()),
        ("possible_score", pa.float32()),
        # Groups: the connected components of the links (at or above the threshold) and
        # the pair rows. group_id is the row_index of the group's first row, so the rows
        # of a many-to-one group share it; null in datasets written before it.
        ("group_id", pa.int32()),
        # An also row (en-also / ko-also): a sentence linked to one that a pair row shows.
        ("also_row", pa.int32()),  # row_index of that pair row
        ("also_index", pa.int32()),  # sentence_index of its linked partner on the other side
    ]
)
LINKS = pa.schema(
    [
        ("en_index", pa.int32()),  # sentence_index of the English sentence
        ("ko_index", pa.int32()),  # sentence_index of the Korean sentence
        ("score", pa.float32()),  # the scorer's probability that both report the same thing
        ("row_index", pa.int32()),  # the pairs row showing this link, or null
        ("en_text", pa.string()),
        ("ko_text", pa.string()),
    ]
)
# Every table carries the write that produced it: rows of one event whose
# generations differ across tables were read during (or after an interrupted) swap.
GENERATION = pa.field("generation", pa.string())
DOCUMENTS, SENTENCES, PAIRS, LINKS = (s.append(GENERATION) for s in (DOCUMENTS, SENTENCES, PAIRS, LINKS))
SCHEMAS = {"documents": DOCUMENTS, "sentences": SENTENCES, "pairs": PAIRS, "links": LINKS}
_SORT = {
    "documents": ["doc_id"],
    "sentences": ["doc_id", "sentence_index"],
    "pairs": ["row_index"],
    "links": ["en_index", "ko_index"],
}


# Event ids name directories (``event_id=<id>``), lock, journal and report files on
# Linux, macOS and Windows, and Hive partition values that pyarrow, DuckDB and Spark
# URL-decode: so letters and digits of any script, '.', '_' and '-' only, NFC
# (macOS may hand back NFD names: the same id must not become two partitions), no
# trailing '.' (Windows drops it), no Windows device name, and short enough in
# UTF-8 bytes (Hangul takes 3 a letter) for a 255-byte file name with our prefixes.
MAX_EVENT_ID_CHARS = 128
MAX_EVENT_ID_BYTES = 200
_WINDOWS_DEVICES = re.compile(r"(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?")


def _id_char(c: str) -> bool:
    return c in "._-" or unicodedata.category(c)[0] in "LNM"


def event_id_problem(event_id: object) -> str | None:
    """Why ``event_id`` cannot name an event, or None when it can."""
    if not isinstance(event_id, str) or not event_id:
        return "it is empty"
    if len(event_id) > MAX_EVENT_ID_CHARS or len(event_id.encode()) > MAX_EVENT_ID_BYTES:
        return f"longer than {MAX_EVENT_ID_CHARS} characters or {MAX_EVENT_ID_BYTES} UTF-8 bytes"
    bad = sorted({c for c in event_id if not _id_char(c)})
    if bad:
        return "it contains " + " ".join(repr(c) for c in bad[:5])
    if unicodedata.category(event_id[0])[0] not in "LN":
        return "it must start with a letter or digit"
    if event_id.endswith("."):
        return "it ends with '.'"
    if unicodedata.normalize("NFC", event_id) != event_id:
        return "it is not in Unicode NFC form"
    if _WINDOWS_DEVICES.fullmatch(event_id):
        return "it is a reserved device name on Windows"
    return None


def check_event_id(event_id: str) -> str:
    """``event_id`` itself when it can name an event; else a DatasetError saying why."""
    problem = event_id_problem(event_id)
    if problem:
        raise DatasetError(
            f"invalid event id {event_id!r}: {problem}. Use 1-{MAX_EVENT_ID_CHARS} letters (any script), "
            "digits, '.', '_' or '-', starting with a letter or digit"
        )
    return event_id


def check_sources(root: str | Path, event_id: str, documents: Iterable[Mapping[str, Any]]) -> None:
    """Refuse to let ``documents`` replace an event stored from other articles.

    A write updates the stored event when it reads at least one of the same
    files, by path or by content: a re-run, an inbox folder whose articles were
    edited, added or removed, or a copied folder. When the two share nothing,
    the id was derived (or given) for unrelated articles, and writing would
    silently destroy the stored event: EventConflict, naming ``--replace`` and
    ``--event-id``.
    """
    stored = load_documents(root, event_id).to_pylist()
    if not stored:
        return
    new = list(documents)

    def where(path: object) -> str:
        return os.path.realpath(str(path)) if path else ""

    same_path = {where(d["path"]) for d in stored} & {where(d["path"]) for d in new} - {""}
    same_text = {d["content_hash"] for d in stored} & {d["content_hash"] for d in new} - {"", None}
    if same_path or same_text:
        return
    was = ", ".join(sorted({str(d["path"]) for d in stored})[:2])
    raise EventConflict(
        f"event {event_id!r} in {root} holds other articles ({was}); refusing to replace it: "
        "give another id with --event-id, or --replace to overwrite it"
    )


def _partition(root: Path, table: str, event_id: str) -> Path:
    return root / table / f"event_id={event_id}"


def _journal(root: Path, event_id: str) -> Path:
    return root / f".journal-{event_id}.json"


def check_writable(root: Path) -> None:
    """Create ``root`` if needed and prove it takes a file; DatasetError (exit 5) if not.

    Run before any work that writes there (a lock, the pairing state), so a
    read-only dataset is one line rather than an OSError from deep inside.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-test-{uuid.uuid4().hex}"
        probe.touch()
        probe.unlink()
    except OSError as exc:  # strerror, not str(exc): the probe's random name says nothing
        raise DatasetError(f"dataset directory {root} is not writable: {exc.strerror or exc}") from exc


def _lock(root: Path, event_id: str) -> AbstractContextManager[None]:
    from translate.locks import held

    try:
        (root / ".locks").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(f"dataset directory {root} is not writable: {exc}") from exc
    return held(root / ".locks" / f"{event_id}.lock", f"the dataset lock of event {event_id!r}", DatasetError)


def _scratch(event_id: str) -> re.Pattern[str]:
    """Names of one event's staging (and, before v2 journals, trash) directories."""
    return re.compile(rf"\.(?:staging|trash)-{re.escape(event_id)}-[0-9a-f]{{12}}")


def _safe(root: Path, rel: object, journal: Path) -> Path:
    """``root / rel`` when ``rel`` is a plain relative name with no symlink on the way."""
    bad = DatasetError(
        f"refusing journal {journal}: {rel!r} is not a path inside the dataset; nothing was changed"
    )
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel:
        raise bad
    parts = Path(rel).parts
    if Path(rel).is_absolute() or any(p in ("..", ".") for p in parts):
        raise bad
    path = root
    for part in parts:
        path = path / part
        if path.is_symlink():
            raise DatasetError(f"refusing journal {journal}: {path} is a symlink; nothing was changed")
    return path


def _read_plan(root: Path, event_id: str) -> tuple[Path, list[tuple[Path, Path]]] | None:
    """The validated swaps of a pending journal: (staging dir, [(staged file, final file)])."""
    journal = _journal(root, event_id)
    if journal.is_symlink():
        raise DatasetError(f"refusing journal {journal}: it is a symlink; nothing was changed")
    if not journal.exists():
        return None
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        staging_rel = plan["staging"]
        swaps = [(s["staged"], s["final"]) for s in plan["swaps"]]
        ok = plan.get("version") == 2 and plan.get("event_id") == event_id
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatasetError(
            f"cannot parse journal {journal} ({exc}); nothing was changed. {_FOREIGN_JOURNAL}"
        ) from exc
    if not ok or not isinstance(staging_rel, str) or not _scratch(event_id).fullmatch(staging_rel):
        raise DatasetError(
            f"refusing journal {journal}: not a journal of this version for {event_id!r}. {_FOREIGN_JOURNAL}"
        )
    # Only the files a writer of this event would swap are accepted, whatever else the journal names.
    expected = {
        (f"{staging_rel}/{t}/part-0.parquet", f"{t}/event_id={event_id}/part-0.parquet") for t in TABLES
    }
    if not set(swaps) <= expected:
        raise DatasetError(f"refusing journal {journal}: it names files outside this event's partitions")
    staging = _safe(root, staging_rel, journal)
    return staging, [(_safe(root, a, journal), _safe(root, b, journal)) for a, b in swaps]


# Journals written before version 2 named absolute paths; they are never replayed.
_FOREIGN_JOURNAL = (
    "If an older coverage-align left it, check that the event reads correctly and delete the file"
)


def _recover(root: Path, event_id: str) -> bool:
    """Roll forward a swap interrupted after its journal was written. Caller holds the lock."""
    plan = _read_plan(root, event_id)
    if plan is None:
        return False
    staging, swaps = plan
    for staged, final in swaps:
        if staged.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            _swap(staged, final)
    _journal(root, event_id).unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return True


def _check_targets(root: Path, event_id: str) -> None:
    """Refuse a write whose partition folders or files are symbolic links (they may lead outside)."""
    for table in TABLES:
        path = root
        for part in (table, f"event_id={event_id}", "part-0.parquet"):
            path = path / part
            if path.is_symlink():
                raise DatasetError(
                    f"cannot write event {event_id!r}: {path} is a symbolic link inside the dataset; "
                    "move it out and align again (nothing was changed)"
                )


def _swap(staged: Path, final: Path) -> None:
    # A file-level replace is atomic: a reader of this table sees the old file or
    # the new one, never neither and never both. Tests slow it down.
    os.replace(staged, final)


def _clear_scratch(root: Path, event_id: str) -> None:
    """Remove what a killed writer of this event left behind. Caller holds the lock."""
    pattern = _scratch(event_id)
    for entry in root.iterdir():
        if pattern.fullmatch(entry.name) or entry.name == f".journal-{event_id}.tmp":
            _remove(entry)


def pending_journals(root: str | Path) -> list[str]:
    """Events whose last write committed but did not finish its swaps (or is swapping now)."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p.name[len(".journal-") : -len(".json")] for p in root.glob(".journal-*.json"))


_DISCARD_HINT = "`coverage-align repair --discard` deletes it without replaying it"


def _remove(entry: Path) -> None:
    """Remove one entry of the dataset's root; a link is removed, never followed."""
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)


def _discard(root: Path, event_id: str) -> None:
    """Delete an event's journal and scratch without reading them. Caller holds the lock."""
    _remove(_journal(root, event_id))
    _clear_scratch(root, event_id)


def repair(root: str | Path, event_id: str | None = None, *, discard: bool = False) -> list[str]:
    """Finish interrupted writes and clear killed writers' scratch; returns the events touched.

    A journal that cannot be replayed safely is refused, or with ``discard``
    deleted unread (with the event's staging), leaving its last complete write.
    """
    root = Path(root)
    if not root.is_dir():
        raise DatasetError(f"no dataset at {root}")
    entries: dict[str, list[Path]] = {}
    scratch = re.compile(r"\.(?:staging|trash)-(.+)-[0-9a-f]{12}|\.journal-(.+)\.(?:tmp|json)", re.DOTALL)
    for entry in root.iterdir():
        m = scratch.fullmatch(entry.name)
        if m:
            entries.setdefault(m.group(1) or m.group(2), []).append(entry)
    events = set(entries)
    if event_id is not None:
        events &= {check_event_id(event_id)}
    done = []
    for ev in sorted(events):
        if not _is_event_id(ev):
            # No writer of a valid event made these: with --discard they go, unread.
            if discard:
                for entry in entries[ev]:
                    _remove(entry)
            continue
        with _lock(root, ev):
            try:
                _recover(root, ev)
            except DatasetError as exc:
                if not discard:
                    raise DatasetError(f"{exc}; {_DISCARD_HINT}") from exc
                _discard(root, ev)
            _clear_scratch(root, ev)
        done.append(ev)
    return done


def remove_event(root: str | Path, event_id: str) -> None:
    """Delete one event from every table; EventNotFound when the dataset does not hold it.

    Under the event's lock, a pending write is finished first (so nothing of it
    comes back later), then each partition folder is renamed into one trash
    folder (a rename per table: a reader sees a table's partition whole or not
    at all) and the trash is deleted. A run killed half-way leaves a trash folder
    that ``repair`` clears, and the rest goes with the next ``remove``.
    """
    root = Path(root)
    check_event_id(event_id)
    # ``pairs`` first: it is what lists an event, so a reader in between finds the event gone.
    tables = ("pairs", *(t for t in TABLES if t != "pairs"))
    parts = [_partition(root, t, event_id) for t in tables]
    if not any(p.exists() or p.is_symlink() for p in parts) and not _journal(root, event_id).exists():
        raise no_such_event(root, event_id)
    check_writable(root)
    with _lock(root, event_id):
        _recover(root, event_id)
        _clear_scratch(root, event_id)
        trash = root / f".trash-{event_id}-{uuid.uuid4().hex[:12]}"
        try:
            trash.mkdir()
            for table, part in zip(tables, parts, strict=True):
                if part.exists() or part.is_symlink():
                    os.replace(part, trash / table)  # a link is moved, never followed
        except OSError as exc:
            why = exc.strerror or exc
            raise DatasetError(f"cannot remove event {event_id!r} from {root}: {why}") from exc
        finally:
            _remove(trash)


def event_hashes(root: str | Path, event_id: str) -> set[str]:
    """The content hashes of one event's articles (one partition read; empty when unreadable)."""
    try:
        docs = load_table(root, "documents", event_id).column("content_hash").to_pylist()
    except (DatasetError, KeyError, OSError, pa.ArrowException):
        return set()
    return {h for h in docs if h}


def same_articles(root: str | Path) -> list[list[str]]:
    """Groups of events stored from exactly the same articles (by content), such as one pair
    aligned by ``align`` and again by ``align-folder`` under another id. One read of a column."""
    try:
        docs = load_table(root, "documents").select(["event_id", "content_hash"]).to_pylist()
    except (DatasetError, KeyError, OSError, pa.ArrowException):  # a courtesy check: never fails a run
        return []
    by_event: dict[str, set[str]] = {}
    for d in docs:
        by_event.setdefault(d["event_id"], set()).add(d["content_hash"] or "")
    groups: dict[frozenset[str], list[str]] = {}
    for event_id, hashes in sorted(by_event.items()):
        if "" not in hashes:
            groups.setdefault(frozenset(hashes), []).append(event_id)
    return [ids for ids in groups.values() if len(ids) > 1]


def _table(rows: Iterable[Mapping[str, Any]], schema: pa.Schema, meta: bytes, generation: str) -> pa.Table:
    rows = [{**r, "generation": generation} for r in rows]
    extra = {k for r in rows for k in r} - set(schema.names)
    if extra:
        raise DatasetError(f"unknown column(s) {sorted(extra)} for schema {schema.names}")
    try:
        table = pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DatasetError(f"rows do not fit the schema: {exc}") from exc
    return table.replace_schema_metadata({METADATA_KEY: meta})


def write_event(
    root: str | Path,
    event_id: str,
    *,
    documents: Iterable[Mapping[str, Any]],
    sentences: Iterable[Mapping[str, Any]],
    pairs: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]] = (),
    provenance: Mapping[str, Any] | None = None,
    replace: bool = True,
) -> dict[str, Path]:
    """Replace one event's rows in every table, atomically. Returns the partition paths.

    With ``replace=False``, an event stored from other articles is refused
    (``check_sources``), checked under the event's lock so two writers racing
    for one id cannot both win.
    """
    documents = list(documents)
    root = Path(root)
    check_event_id(event_id)
    now = datetime.now(UTC)
    # Sortable and unique: a reader joining tables on it can tell one write from another.
    generation = f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{uuid.uuid4().hex[:12]}"
    meta = dict(provenance or {})
    meta.setdefault("created_at", now.isoformat(timespec="seconds"))
    meta["event_id"] = event_id
    meta["generation"] = generation
    meta_bytes = json.dumps(meta, ensure_ascii=False, sort_keys=True).encode()
    tables = {
        "documents": _table(documents, DOCUMENTS, meta_bytes, generation),
        "sentences": _table(sentences, SENTENCES, meta_bytes, generation),
        "pairs": _table(pairs, PAIRS, meta_bytes, generation),
        "links": _table(links, LINKS, meta_bytes, generation),
    }
    check_writable(root)
    with _lock(root, event_id):
        _recover(root, event_id)
        _clear_scratch(root, event_id)
        if not replace:
            check_sources(root, event_id, documents)
        _check_targets(root, event_id)  # refused before anything is staged or committed
        staging = root / f".staging-{event_id}-{generation.rsplit('-', 1)[1]}"
        try:
            for name, table in tables.items():
                part = staging / name
                part.mkdir(parents=True)
                pq.write_table(table, part / "part-0.parquet", compression="zstd")
            plan = {
                "version": 2,
                "event_id": event_id,
                "generation": generation,
                "staging": staging.name,  # names relative to the root, checked on recovery
                "swaps": [
                    {
                        "staged": f"{staging.name}/{t}/part-0.parquet",
                        "final": f"{t}/event_id={event_id}/part-0.parquet",
                    }
                    for t in TABLES
                ],
            }
            journal = _journal(root, event_id)
            tmp = journal.with_suffix(".tmp")
            tmp.write_text(json.dumps(plan))
            os.replace(tmp, journal)  # the commit point
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            _journal(root, event_id).with_suffix(".tmp").unlink(missing_ok=True)
            if isinstance(exc, OSError):  # disk full, quota, I/O error: the old state stands
                raise DatasetError(
                    f"cannot write event {event_id!r} to {root}: {exc.strerror or exc}"
                ) from exc
            raise
        try:
            _recover(root, event_id)
        except DatasetError:
            # Refused before any swap (a link appeared since the check): the write's own
            # journal and staging go, the previous state stands.
            _discard(root, event_id)
            raise
        except OSError as exc:
            raise DatasetError(
                f"event {event_id!r} was committed but not fully swapped in ({exc.strerror or exc}): "
                f"run `coverage-align repair --dataset {root}`"
            ) from exc
    return {name: _partition(root, name, event_id) for name in TABLES}


log = logging.getLogger("coverage_align")
_PARTITION = re.compile(r"event_id=(.*)", re.DOTALL)


def _is_event_id(name: str) -> bool:
    try:
        check_event_id(name)
    except DatasetError:
        return False
    return True


PART_FILE = "part-0.parquet"  # the one file the writer puts in a partition


def _partition_files(entry: Path, stray: list[tuple[Path, str]]) -> list[Path]:
    """The partition's data file, if there is one; anything else in it goes to ``stray``.

    Only the file our writer names is read: a copied ``part-1.parquet`` beside it
    would otherwise double every row of the event without a word.
    """
    files = []
    for f in sorted(entry.iterdir()):
        if f.name.startswith((".", "_")):
            continue  # a writer's temporary files and Spark/Hadoop markers
        if f.name != PART_FILE:
            why = (
                "a folder inside a partition"
                if f.is_dir() and not f.is_symlink()
                else "not a file this tool writes"
            )
            stray.append((f, f"{why} (only {PART_FILE} is read)"))
        elif f.is_dir() and not f.is_symlink():
            stray.append((f, "a folder, not a Parquet file"))
        else:
            files.append(f)  # a link is refused or skipped by the reader, with its name
    return files


def _partitions(root: str | Path, table: str) -> tuple[dict[str, list[Path]], list[tuple[Path, str]]]:
    """A table's event partitions and their files; and the entries that are not partitions
    or not a partition's data file.

    Only what the directory listing shows is trusted here: a folder with a crafted
    name or a link in place of a folder is named, never read. An event is listed
    only when its partition holds a data file.
    """
    path = Path(root) / table
    events: dict[str, list[Path]] = {}
    stray: list[tuple[Path, str]] = []
    if not path.is_dir():
        return events, stray
    for entry in sorted(path.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        m = _PARTITION.fullmatch(entry.name)
        if entry.is_symlink() or not entry.is_dir():
            stray.append((entry, "a symbolic link" if entry.is_symlink() else "not an event_id=… folder"))
        elif m is None or not _is_event_id(m.group(1)):
            stray.append((entry, "not a valid event partition name"))
        elif files := _partition_files(entry, stray):
            events[m.group(1)] = files
    return events, stray


def _readable(f: Path) -> str | None:
    """Why one partition file cannot be read, or None when it can."""
    import pyarrow.dataset as ds

    if f.is_symlink():
        return "a symbolic link"
    try:
        ds.dataset(f, format="parquet").to_table()
    except (OSError, pa.ArrowException) as exc:
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return f"not a readable Parquet file ({first})"
    return None


_warned: set[str] = set()  # one warning per damaged entry and process, however many reads pass it


def _warn_skipped(what: str, path: Path, why: str) -> None:
    from translate.textsafe import one_line

    line = one_line(f"skipping {what} {path}: {why}")
    if line not in _warned:
        _warned.add(line)
        log.warning("warning: %s", line)


def _read(
    root: str | Path,
    table: str,
    event_id: str | None,
    columns: list[str] | None = None,
    damaged: set[str] | None = None,
) -> pa.Table:
    """Read one table's partitions (one event's, or all).

    With ``damaged`` None, an unreadable file or link in a partition read is a
    DatasetError naming it. Otherwise each such file is skipped with a warning
    and its event added to ``damaged``: a listing shows the rest.
    """
    import pyarrow.dataset as ds  # slow to import (it may pull in pandas): read paths only

    events, stray = _partitions(root, table)
    for entry, why in stray:
        # A listing names every stray entry; one event's read only those in its partition.
        if damaged is not None or (event_id is not None and entry.parent.name == f"event_id={event_id}"):
            _warn_skipped("dataset entry", entry, why)
    wanted = {event_id: events.get(event_id, [])} if event_id is not None else events
    files = [f for fs in wanted.values() for f in fs]
    links = [f for f in files if f.is_symlink()]  # never followed out of the dataset
    if links and damaged is None:
        raise DatasetError(f"cannot read {links[0]}: a symbolic link inside the dataset; move it out")
    for f in links:
        _warn_skipped("unreadable file", f, "a symbolic link")
        damaged.add(f.parent.name.split("=", 1)[1])  # type: ignore[union-attr]
    files = [f for f in files if f not in links]
    base = Path(root) / table
    schema = SCHEMAS[table].append(pa.field("event_id", pa.string()))
    part = ds.partitioning(pa.schema([("event_id", pa.string())]), flavor="hive")
    for attempt in range(2):
        try:
            # Reading with today's schema fills columns that older partitions lack with nulls.
            dataset = ds.dataset(
                [str(f) for f in files], format="parquet", partitioning=part,
                partition_base_dir=str(base), schema=schema,
            )  # fmt: skip
            return dataset.to_table(columns=columns, filter=_event_filter(event_id))
        except (OSError, pa.ArrowException) as exc:
            if damaged is None or attempt:
                raise DatasetError(_read_error(base, files, exc)) from exc
            bad = {f: reason for f in files if (reason := _readable(f)) is not None}
            for f, reason in bad.items():
                _warn_skipped("unreadable file", f, reason)
                damaged.add(f.parent.name.split("=", 1)[1])  # a partition checked by _partitions
            files = [f for f in files if f not in bad]
    raise AssertionError("unreachable")


def _event_filter(event_id: str | None) -> Any:
    import pyarrow.dataset as ds

    return ds.field("event_id") == event_id if event_id is not None else None


def load_table(
    root: str | Path, table: str, event_id: str | None = None, *, damaged: set[str] | None = None
) -> pa.Table:
    """Read one table (optionally one event, with partition pruning) as an Arrow table.

    Pass a set as ``damaged`` to skip unreadable files (named in a warning; their
    events are added to the set) instead of refusing the read.
    """
    if table not in SCHEMAS:
        raise ValueError(f"table must be one of {TABLES}")
    # Readers never write: a pending journal is left for the next writer or `repair`.
    if event_id is not None:
        check_event_id(event_id)
    out = _read(root, table, event_id, damaged=damaged)
    return out.sort_by([(c, "ascending") for c in ("event_id", *_SORT[table])])


def _read_error(path: Path, files: list[Path], exc: Exception) -> str:
    """One line naming the file that cannot be read (pyarrow's message may not)."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for f in files:
        why = _readable(f)
        if why is not None:
            return f"cannot read {f}: {why}; move it out of the dataset or align the event again"
    return f"cannot read the dataset table {path}: {first}"


def load_pairs(root: str | Path, event_id: str | None = None, *, damaged: set[str] | None = None) -> pa.Table:
    return load_table(root, "pairs", event_id, damaged=damaged)


def load_sentences(
    root: str | Path, event_id: str | None = None, *, damaged: set[str] | None = None
) -> pa.Table:
    return load_table(root, "sentences", event_id, damaged=damaged)


def load_documents(
    root: str | Path, event_id: str | None = None, *, damaged: set[str] | None = None
) -> pa.Table:
    return load_table(root, "documents", event_id, damaged=damaged)


def load_links(root: str | Path, event_id: str | None = None, *, damaged: set[str] | None = None) -> pa.Table:
    return load_table(root, "links", event_id, damaged=damaged)


def read_provenance(root: str | Path, event_id: str, table: str = "pairs") -> dict:
    """The provenance recorded in an event's Parquet schema metadata."""
    path = _partition(Path(root), table, check_event_id(event_id)) / "part-0.parquet"
    if path.is_symlink():
        raise DatasetError(f"cannot read {path}: a symbolic link inside the dataset; move it out")
    if not path.exists():
        raise no_such_event(root, event_id)
    try:
        meta = pq.read_schema(path).metadata or {}
        prov = json.loads(meta.get(METADATA_KEY, b"{}"))
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise DatasetError(f"cannot read {path}: not a readable Parquet file ({exc})") from exc
    return prov if isinstance(prov, dict) else {}


def load_event(root: str | Path, event_id: str, *, wait: float = 5.0) -> tuple[list[dict], list[dict], dict]:
    """One event's pairs, documents and provenance, all from one write; DatasetError if absent.

    A read racing a writer's swap may catch tables of two generations: it is
    retried for up to ``wait`` seconds, then refused rather than shown mixed.
    """
    deadline = time.monotonic() + wait
    while True:
        pairs = load_pairs(root, event_id).to_pylist()
        if not pairs:
            raise no_such_event(root, event_id)
        docs = load_documents(root, event_id).to_pylist()
        prov = read_provenance(root, event_id)
        gens = {r["generation"] for r in pairs} | {d["generation"] for d in docs} | {prov.get("generation")}
        if len(gens) == 1:
            return pairs, docs, prov
        if time.monotonic() > deadline:
            raise DatasetError(
                f"event {event_id!r} in {root} holds tables from different writes (an interrupted "
                f"write is pending): run `coverage-align repair --dataset {root}` or align it again"
            )
        time.sleep(0.05)


def list_events(root: str | Path) -> list[str]:
    """The events of the ``pairs`` table; entries that are not event partitions are left out."""
    return sorted(_partitions(root, "pairs")[0])


def no_such_event(root: str | Path, event_id: str, known: list[str] | None = None) -> EventNotFound:
    """The error for a missing event, naming the closest ids (a typo), not all of them."""
    import difflib

    from translate.textsafe import plural

    known = list_events(root) if known is None else known
    if not known:
        return EventNotFound(f"no event {event_id!r} in {root}: the dataset has no events")
    close = difflib.get_close_matches(event_id, known, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}?" if close else "none has a similar id"
    listed = plural(len(known), "event")
    return EventNotFound(f"no event {event_id!r} in {root}; {hint} (`coverage-align events` lists {listed})")


def fragment_count(root: str | Path, table: str, event_id: str | None = None) -> int:
    """How many files a read touches: shows partition pruning at work."""
    events, _ = _partitions(root, table)
    return len(events.get(event_id, [])) if event_id is not None else sum(map(len, events.values()))


def scan_columns(
    root: str | Path, table: str, columns: list[str], damaged: set[str] | None = None
) -> pa.Table:
    """A few columns of one table across every event, for summaries (no sort, no recovery).

    Unreadable files are skipped with a warning and their events added to ``damaged``.
    """
    return _read(root, table, None, columns, damaged if damaged is not None else set())
