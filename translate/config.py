"""Configuration: every setting read from the environment, in one place, at call time.

Nothing is read at import, so tests and long-running workers can change a
variable and see it on the next call.

=============================  =====================================================
``COVERAGE_ALIGN_DATA``        root for the caches, dataset and reports (``data``)
``COVERAGE_ALIGN_CACHE``       the translation cache: one SQLite *file*
                               (``DATA/cache/translations.sqlite3``)
``COVERAGE_ALIGN_EMBED_CACHE`` the sentence-vector cache: one SQLite *file*
                               (``DATA/cache/embeddings.sqlite3``)
``COVERAGE_ALIGN_ANALYSIS_CACHE`` the Korean analysis cache: one SQLite *file*
                               (``DATA/cache/korean.sqlite3``)
``COVERAGE_ALIGN_DATASET``     the Parquet dataset root
``COVERAGE_ALIGN_ENCODER``     sentence encoder: ``use-m3-onnx`` (default), ``use-m3``
                               (numpy), ``e5-small``, ``labse`` (optional extra) or ``none``
``COVERAGE_ALIGN_ENCODER_THREADS`` threads per encoder call; 0 (default) = one when an
                               Argos model is installed, else every core
``COVERAGE_ALIGN_MAX_BYTES``   largest accepted article file (5 MB = 5,000,000 bytes)
``COVERAGE_ALIGN_MAX_MODEL_BYTES`` largest total unpacked size of an Argos package (2 GiB)
``COVERAGE_ALIGN_TASK_RUNNER`` Prefect task runner: ``threads`` or ``dask``
``COVERAGE_ALIGN_MAX_WORKERS`` batches of events aligned at once by ``process-inbox`` (2)
``COVERAGE_ALIGN_BATCH``       most events in one ``process-inbox`` task (50)
``COVERAGE_ALIGN_DASK_ADDRESS`` an existing Dask scheduler (else a LocalCluster)
``COVERAGE_ALIGN_LOCK_TIMEOUT`` seconds to wait for a dataset or cache lock held by
                               another process before giving up (120)
``COVERAGE_ALIGN_TEST_MODELS`` ``1`` lets the meaningless TEST packages translate
                               (what ``--test-models`` sets); unset, they are ignored
``ARGOS_PACKAGES_DIR``         where Argos packages are installed (Argos's own)
``ARGOS_PACKAGE_INDEX``        the Argos package index URL (Argos's own)
=============================  =====================================================
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = [
    "DEFAULT_ENCODER",
    "analysis_cache_path",
    "cache_path",
    "check_settings",
    "dask_address",
    "data_dir",
    "dataset_dir",
    "embed_cache_path",
    "encoder_name",
    "encoder_threads_setting",
    "lock_timeout",
    "max_bytes",
    "max_model_bytes",
    "max_workers",
    "task_runner_kind",
    "test_models_allowed",
]

DEFAULT_MAX_BYTES = 5_000_000  # 5 MB, as the README says: far above any news article
DEFAULT_MAX_MODEL_BYTES = 2 * 1024**3  # a real ko↔en package unpacks to a few hundred MB
DEFAULT_ENCODER = "use-m3-onnx"  # numpy use-m3 stays selectable (docs/encoders.md)
DEFAULT_LOCK_TIMEOUT = 120.0  # a long event write on 2 cores takes well under a minute
# Ceilings far above any sensible value, low enough that arithmetic and messages stay sane.
MAX_INPUT_BYTES_CEILING = 10**12
MAX_MODEL_BYTES_CEILING = 10**13
MAX_LOCK_TIMEOUT = 7 * 24 * 3600.0
_SECONDS = re.compile(r"[0-9]{1,9}(\.[0-9]{1,9})?")


def data_dir() -> Path:
    """Root for the caches, the dataset and reports (``COVERAGE_ALIGN_DATA``)."""
    return Path(os.environ.get("COVERAGE_ALIGN_DATA", "data"))


def cache_path() -> Path:
    """The SQLite translation cache (``COVERAGE_ALIGN_CACHE``)."""
    env = os.environ.get("COVERAGE_ALIGN_CACHE")
    return Path(env) if env else data_dir() / "cache" / "translations.sqlite3"


def embed_cache_path() -> Path:
    """The SQLite embedding cache (``COVERAGE_ALIGN_EMBED_CACHE``)."""
    env = os.environ.get("COVERAGE_ALIGN_EMBED_CACHE")
    return Path(env) if env else data_dir() / "cache" / "embeddings.sqlite3"


def analysis_cache_path() -> Path:
    """The SQLite cache of Korean sentence analyses (``COVERAGE_ALIGN_ANALYSIS_CACHE``)."""
    env = os.environ.get("COVERAGE_ALIGN_ANALYSIS_CACHE")
    return Path(env) if env else data_dir() / "cache" / "korean.sqlite3"


def dataset_dir() -> Path:
    """The Parquet dataset root (``COVERAGE_ALIGN_DATASET``)."""
    env = os.environ.get("COVERAGE_ALIGN_DATASET")
    return Path(env) if env else data_dir() / "parallel"


def encoder_name() -> str:
    """The sentence encoder to use (``COVERAGE_ALIGN_ENCODER``)."""
    return os.environ.get("COVERAGE_ALIGN_ENCODER", DEFAULT_ENCODER)


def _whole(name: str, default: int, low: int, high: int, unit: str) -> int:
    """A whole-number setting in [low, high], or an InputError naming it and the form it takes.

    Plain digits only: ``1e3``, ``5MB``, ``-1`` and a 21-digit number are refused here,
    once, rather than failing later as a traceback or printing a nonsense limit.
    """
    from translate.errors import InputError

    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)) or not low <= int(text) <= high:
        raise InputError(
            f"{name} must be a whole number of {unit} from {low:,} to {high:,}, written in digits "
            f"only (default {default}), not {raw!r}"
        )
    return int(text)


def encoder_threads_setting() -> int:
    """Threads per encoder call (``COVERAGE_ALIGN_ENCODER_THREADS``); 0 means automatic."""
    return _whole("COVERAGE_ALIGN_ENCODER_THREADS", 0, 0, 1024, "threads (0 = automatic)")


def max_bytes() -> int:
    """Largest article file accepted (``COVERAGE_ALIGN_MAX_BYTES``)."""
    return _whole("COVERAGE_ALIGN_MAX_BYTES", DEFAULT_MAX_BYTES, 1, MAX_INPUT_BYTES_CEILING, "bytes")


def max_model_bytes() -> int:
    """Largest total unpacked size of an Argos package (``COVERAGE_ALIGN_MAX_MODEL_BYTES``)."""
    return _whole(
        "COVERAGE_ALIGN_MAX_MODEL_BYTES", DEFAULT_MAX_MODEL_BYTES, 1, MAX_MODEL_BYTES_CEILING, "bytes"
    )


def task_runner_kind() -> str:
    """``threads`` (default) or ``dask`` (``COVERAGE_ALIGN_TASK_RUNNER``)."""
    from translate.errors import InputError

    raw = os.environ.get("COVERAGE_ALIGN_TASK_RUNNER", "").strip()
    if raw not in ("", "threads", "dask"):  # a typo would otherwise run threads silently
        raise InputError(f"COVERAGE_ALIGN_TASK_RUNNER must be threads or dask, not {raw!r}")
    return raw or "threads"


def max_workers() -> int:
    """How many batches of events ``process-inbox`` aligns at once (``COVERAGE_ALIGN_MAX_WORKERS``)."""
    return _whole("COVERAGE_ALIGN_MAX_WORKERS", 2, 1, 256, "batches")


def dask_address() -> str | None:
    """An existing Dask scheduler for the ``dask`` runner (``COVERAGE_ALIGN_DASK_ADDRESS``)."""
    return os.environ.get("COVERAGE_ALIGN_DASK_ADDRESS") or None


def lock_timeout() -> float:
    """Seconds to wait for a lock held elsewhere (``COVERAGE_ALIGN_LOCK_TIMEOUT``)."""
    from translate.errors import InputError

    name = "COVERAGE_ALIGN_LOCK_TIMEOUT"
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return DEFAULT_LOCK_TIMEOUT
    if not _SECONDS.fullmatch(raw.strip()) or float(raw) > MAX_LOCK_TIMEOUT:
        raise InputError(
            f"{name} must be a number of seconds from 0 to {MAX_LOCK_TIMEOUT:,.0f} in plain digits "
            f"(like 120 or 0.5; default {DEFAULT_LOCK_TIMEOUT:.0f}), not {raw!r}"
        )
    return float(raw)


def check_settings() -> None:
    """Read every setting that has a fixed form once, so a bad one is refused before any work starts."""
    encoder_threads_setting()
    max_bytes()
    max_model_bytes()
    max_workers()
    lock_timeout()
    task_runner_kind()
    batch_size()


def test_models_allowed() -> bool:
    """Whether TEST packages may translate (``COVERAGE_ALIGN_TEST_MODELS``; ``--test-models``).

    Off unless asked for: their output is random, and used silently it would
    pass as evidence to the aligner.
    """
    return os.environ.get("COVERAGE_ALIGN_TEST_MODELS", "").strip().lower() in ("1", "true", "yes", "on")


def batch_size() -> int:
    """At most this many events per ``align-batch`` task of ``process-inbox`` (``COVERAGE_ALIGN_BATCH``)."""
    return _whole("COVERAGE_ALIGN_BATCH", 50, 1, 100_000, "events")
