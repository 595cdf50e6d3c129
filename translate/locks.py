"""File locks that say who holds them and give up after a bounded wait.

A plain ``FileLock`` waits silently (the dataset's waited up to 600 s, the
caches' forever). Here a holder writes a small ``.holder`` note next to the lock
(pid, host, command, since), and a waiter prints one line naming the holder and
the limit, then fails with a one-line error after ``COVERAGE_ALIGN_LOCK_TIMEOUT``
seconds. The OS releases the lock itself when its holder dies.

Threads of one process (a flow's task runner, ``process-inbox`` workers) first
queue on an in-process lock, quietly: their turn-taking is expected, and a
warning naming this very process as the holder told the user nothing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from translate.config import lock_timeout
from translate.errors import CoverageAlignError

__all__ = ["held", "holder_of"]

log = logging.getLogger("coverage_align")


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def _thread_lock(lock_path: Path) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(os.path.abspath(lock_path), threading.Lock())


def _holder_path(lock_path: Path) -> Path:
    return lock_path.with_name(lock_path.name + ".holder")


def holder_of(lock_path: Path) -> str:
    """A short description of the process holding a lock, as far as it is known."""
    try:
        info = json.loads(_holder_path(lock_path).read_text(encoding="utf-8"))
        return f"pid {info['pid']} on {info['host']} ({info['command']}, since {info['since']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextmanager
def held(lock_path: Path, what: str, error: type[CoverageAlignError]) -> Iterator[None]:
    """Hold ``lock_path`` for the block; ``error`` is raised when the bounded wait runs out."""
    limit = lock_timeout()
    in_process = _thread_lock(lock_path)
    if not in_process.acquire(timeout=limit):
        raise error(f"{what} is still held by another thread of this process after {limit:.0f} s")
    try:
        with _file_lock(lock_path, what, error, limit):
            yield
    finally:
        in_process.release()


@contextmanager
def _file_lock(lock_path: Path, what: str, error: type[CoverageAlignError], limit: float) -> Iterator[None]:
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = holder_of(lock_path)
        log.warning("waiting up to %.0f s for %s, held by %s (COVERAGE_ALIGN_LOCK_TIMEOUT)", limit, what, who)
        try:
            lock.acquire(timeout=limit)
        except Timeout:
            raise error(
                f"{what} is still held by {holder_of(lock_path)} after {limit:.0f} s: let it finish, "
                "or raise COVERAGE_ALIGN_LOCK_TIMEOUT"
            ) from None
    except OSError as exc:
        raise error(f"cannot create the lock {lock_path}: {exc}") from exc
    note = _holder_path(lock_path)
    try:
        with contextlib.suppress(OSError):  # the note is a courtesy to waiters
            note.write_text(
                json.dumps(
                    {
                        "pid": os.getpid(),
                        "host": socket.gethostname(),
                        "command": " ".join(Path(a).name if k == 0 else a for k, a in enumerate(sys.argv))[
                            :120
                        ],
                        "since": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    }
                ),
                encoding="utf-8",
            )
        yield
    finally:
        note.unlink(missing_ok=True)
        lock.release()
