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
a staging directory inside ``root``; a journal naming the swaps is written;
then each table's partition directory is swapped in by rename and the journal
removed. A writer killed while staging leaves the previous state untouched; one
killed mid-swap is rolled forward by the next writer or reader of this module.
Writers of the same event take turns on a file lock; different events proceed
in parallel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock

from translate.errors import DatasetError

if TYPE_CHECKING:
    import pyarrow.dataset as ds

TABLES = ("documents", "sentences", "pairs", "links")
METADATA_KEY = b"coverage_align"
_EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

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
    ]
)
PAIRS = pa.schema(
    [
        ("row_index", pa.int32()),
        ("type", pa.string()),  # 1-1, 1-2, 2-1, en-only, ko-only
        ("score", pa.float32()),
        ("mode", pa.string()),
        ("en_indices", pa.list_(pa.int32())),
        ("ko_indices", pa.list_(pa.int32())),
        ("en_text", pa.string()),
        ("ko_text", pa.string()),
        ("en_to_ko", pa.string()),  # machine translation of en_text into Korean
        ("ko_to_en", pa.string()),  # machine translation of ko_text into English
        ("translation", pa.struct([("en", pa.string()), ("ko", pa.string())])),
        ("numbers_only_en", pa.list_(pa.string())),
        ("numbers_only_ko", pa.list_(pa.string())),
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
SCHEMAS = {"documents": DOCUMENTS, "sentences": SENTENCES, "pairs": PAIRS, "links": LINKS}
_SORT = {
    "documents": ["doc_id"],
    "sentences": ["doc_id", "sentence_index"],
    "pairs": ["row_index"],
    "links": ["en_index", "ko_index"],
}


def check_event_id(event_id: str) -> str:
    if not _EVENT_ID.match(event_id or ""):
        raise DatasetError(f"invalid event id {event_id!r}: use letters, digits, '.', '_' or '-' (max 128)")
    return event_id


def _partition(root: Path, table: str, event_id: str) -> Path:
    return root / table / f"event_id={event_id}"


def _journal(root: Path, event_id: str) -> Path:
    return root / f".journal-{event_id}.json"


def _lock(root: Path, event_id: str) -> FileLock:
    (root / ".locks").mkdir(parents=True, exist_ok=True)
    return FileLock(str(root / ".locks" / f"{event_id}.lock"), timeout=600)


def _recover(root: Path, event_id: str) -> None:
    """Roll forward a swap interrupted after its journal was written. Caller holds the lock."""
    journal = _journal(root, event_id)
    if not journal.exists():
        return
    plan = json.loads(journal.read_text(encoding="utf-8"))
    for step in plan["swaps"]:
        staged, final, trash = (Path(step[k]) for k in ("staged", "final", "trash"))
        if staged.exists():
            if final.exists():
                final.rename(trash)
            final.parent.mkdir(parents=True, exist_ok=True)
            staged.rename(final)
    journal.unlink()
    for leftover in plan.get("cleanup", []):
        shutil.rmtree(leftover, ignore_errors=True)


def _table(rows: Iterable[Mapping[str, Any]], schema: pa.Schema, meta: bytes) -> pa.Table:
    rows = list(rows)
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
) -> dict[str, Path]:
    """Replace one event's rows in every table, atomically. Returns the partition paths."""
    root = Path(root)
    check_event_id(event_id)
    meta = dict(provenance or {})
    meta.setdefault("created_at", datetime.now(UTC).isoformat(timespec="seconds"))
    meta["event_id"] = event_id
    meta_bytes = json.dumps(meta, ensure_ascii=False, sort_keys=True).encode()
    tables = {
        "documents": _table(documents, DOCUMENTS, meta_bytes),
        "sentences": _table(sentences, SENTENCES, meta_bytes),
        "pairs": _table(pairs, PAIRS, meta_bytes),
        "links": _table(links, LINKS, meta_bytes),
    }
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".write-test-{uuid.uuid4().hex}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise DatasetError(f"dataset directory {root} is not writable: {exc}") from exc
    with _lock(root, event_id):
        _recover(root, event_id)
        run = uuid.uuid4().hex[:12]
        staging = root / f".staging-{event_id}-{run}"
        trash = root / f".trash-{event_id}-{run}"
        try:
            for name, table in tables.items():
                part = staging / name
                part.mkdir(parents=True)
                pq.write_table(table, part / "part-0.parquet", compression="zstd")
            trash.mkdir()
            swaps = [
                {
                    "staged": str(staging / name),
                    "final": str(_partition(root, name, event_id)),
                    "trash": str(trash / name),
                }
                for name in TABLES
            ]
            journal = _journal(root, event_id)
            tmp = journal.with_suffix(".tmp")
            tmp.write_text(json.dumps({"swaps": swaps, "cleanup": [str(staging), str(trash)]}))
            os.replace(tmp, journal)  # the commit point
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(trash, ignore_errors=True)
            raise
        _recover(root, event_id)
    return {name: _partition(root, name, event_id) for name in TABLES}


def _dataset(root: str | Path, table: str) -> ds.Dataset | None:
    import pyarrow.dataset as ds  # slow to import (it may pull in pandas): read paths only

    path = Path(root) / table
    if not path.is_dir():
        return None
    part = ds.partitioning(pa.schema([("event_id", pa.string())]), flavor="hive")
    schema = SCHEMAS[table].append(pa.field("event_id", pa.string()))
    # Reading with today's schema fills columns that older partitions lack with nulls.
    return ds.dataset(path, format="parquet", partitioning=part, schema=schema)


def _event_filter(event_id: str | None) -> Any:
    import pyarrow.dataset as ds

    return ds.field("event_id") == event_id if event_id is not None else None


def load_table(root: str | Path, table: str, event_id: str | None = None) -> pa.Table:
    """Read one table (optionally one event, with partition pruning) as an Arrow table."""
    if table not in SCHEMAS:
        raise ValueError(f"table must be one of {TABLES}")
    if event_id is not None:
        check_event_id(event_id)
        if _journal(Path(root), event_id).exists():
            with _lock(Path(root), event_id):
                _recover(Path(root), event_id)
    dataset = _dataset(root, table)
    if dataset is None:
        empty = SCHEMAS[table].append(pa.field("event_id", pa.string()))
        return empty.empty_table()
    flt = _event_filter(event_id)
    out = dataset.to_table(filter=flt)
    return out.sort_by([(c, "ascending") for c in ("event_id", *_SORT[table])])


def load_pairs(root: str | Path, event_id: str | None = None) -> pa.Table:
    return load_table(root, "pairs", event_id)


def load_sentences(root: str | Path, event_id: str | None = None) -> pa.Table:
    return load_table(root, "sentences", event_id)


def load_documents(root: str | Path, event_id: str | None = None) -> pa.Table:
    return load_table(root, "documents", event_id)


def load_links(root: str | Path, event_id: str | None = None) -> pa.Table:
    return load_table(root, "links", event_id)


def read_provenance(root: str | Path, event_id: str, table: str = "pairs") -> dict:
    """The provenance recorded in an event's Parquet schema metadata."""
    path = _partition(Path(root), table, check_event_id(event_id)) / "part-0.parquet"
    if not path.exists():
        raise DatasetError(f"no event {event_id!r} in {root}")
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(METADATA_KEY, b"{}"))


def load_event(root: str | Path, event_id: str) -> tuple[list[dict], list[dict], dict]:
    """One event's pairs, documents and provenance, for the views; DatasetError if absent."""
    pairs = load_pairs(root, event_id).to_pylist()
    if not pairs:
        known = ", ".join(list_events(root)) or "none"
        raise DatasetError(f"no event {event_id!r} in {root} (events: {known})")
    return pairs, load_documents(root, event_id).to_pylist(), read_provenance(root, event_id)


def list_events(root: str | Path) -> list[str]:
    path = Path(root) / "pairs"
    if not path.is_dir():
        return []
    return sorted(p.name.split("=", 1)[1] for p in path.glob("event_id=*") if p.is_dir())


def fragment_count(root: str | Path, table: str, event_id: str | None = None) -> int:
    """How many files a read touches: shows partition pruning at work."""
    dataset = _dataset(root, table)
    if dataset is None:
        return 0
    flt = _event_filter(event_id)
    return sum(1 for _ in dataset.get_fragments(filter=flt))


def scan_columns(root: str | Path, table: str, columns: list[str]) -> pa.Table:
    """A few columns of one table across every event, for summaries (no sort, no recovery)."""
    dataset = _dataset(root, table)
    if dataset is None:
        schema = SCHEMAS[table].append(pa.field("event_id", pa.string()))
        return pa.schema([schema.field(c) for c in columns]).empty_table()
    return dataset.to_table(columns=columns)
