"""Writing a user-named output file (``export --to``, ``report --html``, the flows' reports).

A regular file, or a name not yet taken, is written to a temporary file beside it
and renamed over it, so a reader never sees half a file and a full disk leaves the
old one whole. Anything else the path names (a FIFO, ``/dev/null``, ``/dev/full``,
a terminal) is written through, opened for writing like the shell's ``>`` does:
renaming over it would replace the special file itself (run as root, the device
node) and a reader waiting on a FIFO would get nothing. A directory is refused.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from translate.errors import InputError

__all__ = ["write_output"]


def _new_file_mode(path: Path) -> int:
    """The mode ``open()`` would give ``path``: the existing file's, else 0o666 less the umask.

    mkstemp creates 0600 whatever the umask, which would leave an export unreadable
    to the group or the web server that a plain ``> file`` would have let read it.
    """
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)  # the only portable way to read it; put back at once
        os.umask(umask)
        return 0o666 & ~umask


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _target_kind(path: Path) -> str:
    """``regular`` (or absent), ``directory`` or ``special``; a link is judged by its target."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "regular"  # absent, or a dangling link: os.replace puts a file in its place
    except OSError as exc:
        raise InputError(f"cannot write {path}: {_why(exc)}") from exc
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISDIR(mode):
        return "directory"
    return "special"


def _write_through(path: Path, text: str) -> None:
    try:
        # No O_CREAT: the special file is there; O_TRUNC is ignored by devices and FIFOs.
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except OSError as exc:  # /dev/full: ENOSPC on the write or on the close's flush
        raise InputError(f"cannot write {path}: {_why(exc)}") from exc


def _atomic_write(path: Path, text: str) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, _new_file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)  # a full disk leaves no hidden partial file behind
        raise InputError(f"cannot write {path}: {_why(exc)}") from exc


def write_output(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``: atomically for a regular file, through for a special one.

    Every failure is an InputError with one line naming the path.
    """
    path = Path(path)
    kind = _target_kind(path)
    if kind == "directory":
        raise InputError(f"cannot write {path}: it is a directory; give a file name")
    if kind == "special":
        _write_through(path, text)
    else:
        _atomic_write(path, text)
