"""Where things live on disk.

Everything defaults to paths under the current directory's ``data/`` so that a
checkout is self-contained; environment variables move them elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Root for the cache, the dataset and reports (``COVERAGE_ALIGN_DATA``)."""
    return Path(os.environ.get("COVERAGE_ALIGN_DATA", "data"))


def cache_path() -> Path:
    """The SQLite translation cache (``COVERAGE_ALIGN_CACHE``)."""
    env = os.environ.get("COVERAGE_ALIGN_CACHE")
    return Path(env) if env else data_dir() / "cache" / "translations.sqlite3"


def dataset_dir() -> Path:
    """The Parquet dataset root (``COVERAGE_ALIGN_DATASET``)."""
    env = os.environ.get("COVERAGE_ALIGN_DATASET")
    return Path(env) if env else data_dir() / "parallel"
