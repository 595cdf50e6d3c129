"""Configuration: every setting read from the environment, in one place, at call time.

Nothing is read at import, so tests and long-running workers can change a
variable and see it on the next call.

=============================  =====================================================
``COVERAGE_ALIGN_DATA``        root for the caches, dataset and reports (``data``)
``COVERAGE_ALIGN_CACHE``       the translation cache: one SQLite *file*
                               (``DATA/cache/translations.sqlite3``)
``COVERAGE_ALIGN_EMBED_CACHE`` the sentence-vector cache: one SQLite *file*
                               (``DATA/cache/embeddings.sqlite3``)
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
from pathlib import Path

__all__ = [
    "DEFAULT_ENCODER",
    "cache_path",
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


def dataset_dir() -> Path:
    """The Parquet dataset root (``COVERAGE_ALIGN_DATASET``)."""
    env = os.environ.get("COVERAGE_ALIGN_DATASET")
    return Path(env) if env else data_dir() / "parallel"


def encoder_name() -> str:
    """The sentence encoder to use (``COVERAGE_ALIGN_ENCODER``)."""
    return os.environ.get("COVERAGE_ALIGN_ENCODER", DEFAULT_ENCODER)


def encoder_threads_setting() -> int:
    """Threads per encoder call (``COVERAGE_ALIGN_ENCODER_THREADS``); 0 means automatic."""
    from translate.errors import InputError

    raw = os.environ.get("COVERAGE_ALIGN_ENCODER_THREADS", "0")
    if not raw.strip().isdigit():
        raise InputError(
            f"COVERAGE_ALIGN_ENCODER_THREADS must be a whole number (0 = automatic), not {raw!r}"
        )
    return int(raw)


def max_bytes() -> int:
    """Largest article file accepted (``COVERAGE_ALIGN_MAX_BYTES``)."""
    return int(os.environ.get("COVERAGE_ALIGN_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_model_bytes() -> int:
    """Largest total unpacked size of an Argos package (``COVERAGE_ALIGN_MAX_MODEL_BYTES``)."""
    return int(os.environ.get("COVERAGE_ALIGN_MAX_MODEL_BYTES", DEFAULT_MAX_MODEL_BYTES))


def task_runner_kind() -> str:
    """``threads`` (default) or ``dask`` (``COVERAGE_ALIGN_TASK_RUNNER``)."""
    return os.environ.get("COVERAGE_ALIGN_TASK_RUNNER", "threads")


def max_workers() -> int:
    """How many batches of events ``process-inbox`` aligns at once (``COVERAGE_ALIGN_MAX_WORKERS``)."""
    return int(os.environ.get("COVERAGE_ALIGN_MAX_WORKERS", "2"))


def dask_address() -> str | None:
    """An existing Dask scheduler for the ``dask`` runner (``COVERAGE_ALIGN_DASK_ADDRESS``)."""
    return os.environ.get("COVERAGE_ALIGN_DASK_ADDRESS") or None


def lock_timeout() -> float:
    """Seconds to wait for a lock held elsewhere (``COVERAGE_ALIGN_LOCK_TIMEOUT``)."""
    return max(0.0, float(os.environ.get("COVERAGE_ALIGN_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)))


def test_models_allowed() -> bool:
    """Whether TEST packages may translate (``COVERAGE_ALIGN_TEST_MODELS``; ``--test-models``).

    Off unless asked for: their output is random, and used silently it would
    pass as evidence to the aligner.
    """
    return os.environ.get("COVERAGE_ALIGN_TEST_MODELS", "").strip().lower() in ("1", "true", "yes", "on")


def batch_size() -> int:
    """At most this many events per ``align-batch`` task of ``process-inbox`` (``COVERAGE_ALIGN_BATCH``)."""
    return max(1, int(os.environ.get("COVERAGE_ALIGN_BATCH", "50")))
