"""Persistent caches in SQLite: translations, sentence embeddings and Korean analyses.

Translations are keyed by (package key, decoding settings, source sentence),
embeddings by (encoder id, sentence) and Korean analyses by (analyser id,
sentence), so a new model version or a change of beam size never serves stale
output. SQLite in WAL mode with a busy timeout
lets several processes (CLI runs, Prefect workers) share one file safely:
writers queue, readers never see a partial transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from translate.errors import CacheError
from translate.locks import held

__all__ = ["AnalysisCache", "EmbeddingCache", "TranslationCache"]

_CHUNK = 500  # stays under SQLite's bound-parameter limit
_HINT = (
    "point COVERAGE_ALIGN_CACHE / COVERAGE_ALIGN_EMBED_CACHE / COVERAGE_ALIGN_ANALYSIS_CACHE "
    "at a writable file path"
)
log = logging.getLogger("coverage_align")
# Files this process has checked whole: (path, inode) -> the size it last saw them at, after its
# own check or close. The check reads every page, and the inbox opens the same cache once per
# event (half the time of a 1,000-event batch went there). A file replaced, truncated or grown
# by anyone else since then no longer matches and is checked again.
_CHECKED: dict[tuple[str, int], int] = {}
_CHECKED_LOCK = threading.Lock()


def _identity(path: Path) -> tuple[tuple[str, int], int]:
    st = path.stat()
    return (str(path.resolve()), st.st_ino), st.st_size


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class _Store:
    """One SQLite table ``(key TEXT PRIMARY KEY, …, value)`` shared across processes."""

    table = ""
    value = "value"  # the stored column's name
    schema = ""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.is_dir():
            raise CacheError(f"cache path {self.path} is a directory, not a SQLite file: {_HINT}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"cannot create the cache folder {self.path.parent}: {exc.strerror or exc}"
            ) from exc
        # Switching to WAL needs an exclusive lock and does not wait on SQLite's
        # busy timeout, so processes opening the file at once take turns here.
        with held(Path(f"{self.path}.lock"), f"the cache {self.path}", CacheError):
            try:
                self._db = self._open()
            except sqlite3.OperationalError as exc:  # unwritable, disk full, locked: not corruption
                raise CacheError(f"cannot open the cache {self.path}: {exc}: {_HINT}") from exc
            except sqlite3.DatabaseError as exc:
                # Corrupt or truncated. It is only a cache: keep the file for inspection, start anew.
                aside = self._move_aside()
                log.warning(
                    "warning: cache %s is corrupt (%s): moved to %s, starting an empty one",
                    self.path,
                    exc,
                    aside,
                )
                self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            with db:
                db.execute(self.schema)
            # A truncated file opens fine and fails on the missing pages: look at them all,
            # once per process and file.
            key, size = _identity(self.path)
            with _CHECKED_LOCK:
                checked = _CHECKED.get(key) == size
            if not checked:
                (verdict,) = db.execute("PRAGMA quick_check(1)").fetchone()
                if verdict != "ok":
                    raise sqlite3.DatabaseError(verdict)
                with _CHECKED_LOCK:
                    _CHECKED[key] = size
            db.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                os.replace(part, Path(f"{aside}{suffix}"))
        return aside

    def _get(self, wanted: dict[str, str]) -> dict[str, object]:
        """``wanted`` maps key → caller's name; returns name → stored value."""
        keys = list(wanted)
        found: dict[str, object] = {}
        try:
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, {self.value} FROM {self.table} WHERE key IN ({marks})", chunk
                )
                for key, value in rows:
                    found[wanted[key]] = value
        except sqlite3.DatabaseError as exc:  # damaged after opening: recompute rather than fail
            log.warning("warning: cache %s cannot be read (%s): computing without it", self.path, exc)
            return {}
        return found

    def _put(self, rows: list[tuple]) -> None:
        marks = ",".join("?" * len(rows[0])) if rows else ""
        try:
            with self._db:
                self._db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES ({marks})", rows)
        except sqlite3.DatabaseError as exc:  # disk full, read-only, damaged: the results still stand
            log.warning(
                "warning: cache %s not updated (%s): results are kept, only not cached", self.path, exc
            )

    def __len__(self) -> int:
        return self._db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]

    def close(self) -> None:
        self._db.close()
        try:  # closing checkpoints the WAL into the file: remember the size this process left
            key, size = _identity(self.path)
        except OSError:
            return
        with _CHECKED_LOCK:
            if key in _CHECKED:
                _CHECKED[key] = size

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class TranslationCache(_Store):
    """A dictionary-like store of translations that survives processes."""

    table = "translations"
    value = "target"
    schema = """CREATE TABLE IF NOT EXISTS translations (
        key TEXT PRIMARY KEY, model TEXT NOT NULL, settings TEXT NOT NULL,
        source TEXT NOT NULL, target TEXT NOT NULL)"""

    def get_many(self, model: str, settings: str, sources: Sequence[str]) -> dict[str, str]:
        """Cached translations for those of ``sources`` that have one."""
        return self._get({_key(model, settings, s): s for s in set(sources)})  # type: ignore[return-value]

    def put_many(self, model: str, settings: str, pairs: Iterable[tuple[str, str]]) -> None:
        self._put([(_key(model, settings, s), model, settings, s, t) for s, t in pairs])


class EmbeddingCache(_Store):
    """Sentence embeddings (float32 vectors) keyed by encoder id and text."""

    table = "embeddings"
    schema = """CREATE TABLE IF NOT EXISTS embeddings (
        key TEXT PRIMARY KEY, encoder TEXT NOT NULL, value BLOB NOT NULL)"""

    def get_many(self, encoder: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        found = self._get({_key(encoder, t): t for t in set(texts)})
        return {t: np.frombuffer(bytes(v), dtype=np.float32) for t, v in found.items()}  # type: ignore[call-overload]

    def put_many(self, encoder: str, items: Iterable[tuple[str, np.ndarray]]) -> None:
        self._put([(_key(encoder, t), encoder, np.asarray(v, np.float32).tobytes()) for t, v in items])


class AnalysisCache(_Store):
    """Per Korean sentence, the (form, tag) morphemes the evidence reads, keyed by analyser id and text.

    A repeat of a known sentence then never loads Kiwi (about 1.5 s and 300 MB).
    """

    table = "analyses"
    schema = """CREATE TABLE IF NOT EXISTS analyses (
        key TEXT PRIMARY KEY, analyser TEXT NOT NULL, value TEXT NOT NULL)"""

    def get_many(self, analyser: str, texts: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        found = self._get({_key(analyser, t): t for t in set(texts)})
        out: dict[str, list[tuple[str, str]]] = {}
        for t, v in found.items():
            try:
                out[t] = [(str(form), str(tag)) for form, tag in json.loads(str(v))]
            except (ValueError, TypeError):  # a damaged row: analysed again and rewritten
                continue
        return out

    def put_many(self, analyser: str, items: Iterable[tuple[str, Sequence[tuple[str, str]]]]) -> None:
        self._put(
            [
                (_key(analyser, t), analyser, json.dumps([list(m) for m in morphs], ensure_ascii=False))
                for t, morphs in items
            ]
        )
