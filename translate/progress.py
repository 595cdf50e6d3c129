"""The progress-callback shapes the library reports through (the CLI draws them as bars)."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["CountProgress", "DownloadProgress", "StageProgress"]

CountProgress = Callable[[int], None]
"""Called with how many more items (sentences, texts) were just finished."""

DownloadProgress = Callable[[int, int | None], None]
"""Called with (bytes received so far, total bytes or None when unknown)."""

StageProgress = Callable[[str, int, int], None]
"""Called as (stage label, done, total) by the pipeline."""
