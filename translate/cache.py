"""Persistent translation cache in SQLite.

Keyed by (model key, decoding settings, source sentence), so a new model
version or a change of beam size never serves stale output. SQLite in WAL mode
with a busy timeout lets several processes (CLI runs, Prefect workers) share
one file safely: writers queue, readers never see a partial transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from filelock import FileLock

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key      TEXT PRIMARY KEY,
    model    TEXT NOT NULL,
    settings TEXT NOT NULL,
    source   TEXT NOT NULL,
    target   TEXT NOT NULL
)
"""
_CHUNK = 500  # stays under SQLite's bound-parameter limit


def _key(model: str, settings: str, source: str) -> str:
    return hashlib.sha256(f"{model}\x1f{settings}\x1f{source}".encode()).hexdigest()


class TranslationCache:
    """A dictionary-like store of translations that survives processes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
        # Switching to WAL needs an exclusive lock and does not wait on SQLite's
        # busy timeout, so processes opening the file at once take turns here.
        with FileLock(f"{self.path}.lock"):
            self._db.execute("PRAGMA journal_mode=WAL")
            with self._db:
                self._db.execute(_SCHEMA)
        self._db.execute("PRAGMA synchronous=NORMAL")

    def get_many(self, model: str, settings: str, sources: Sequence[str]) -> dict[str, str]:
        """Cached translations for those of ``sources`` that have one."""
        wanted = {_key(model, settings, s): s for s in set(sources)}
        keys = list(wanted)
        found: dict[str, str] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, target FROM translations WHERE key IN ({marks})", chunk)
            for key, target in rows:
                found[wanted[key]] = target
        return found

    def put_many(self, model: str, settings: str, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(_key(model, settings, s), model, settings, s, t) for s, t in pairs]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)", rows)

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
