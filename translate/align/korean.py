"""Korean sentences analysed once: the morphemes the evidence reads, cached per sentence.

The dictionary (``lexicon``), name (``names``) and word (``words``) evidence
read only content morphemes and proper nouns from Kiwi's analysis. Loading Kiwi
costs seconds and hundreds of MB, and the everyday use aligns the same
articles again (a re-run, a changed mode), so each sentence's kept morphemes
are stored in a SQLite cache keyed by the analyser id (kiwipiepy version, our
Kiwi settings, ``ANALYSIS_VERSION``) and the text. Kiwi is constructed only
when some sentence is missing from the cache.

The cache is the configured one (``COVERAGE_ALIGN_ANALYSIS_CACHE``), opened on
first use and kept open for the process, so every caller (CLI, flows,
benchmarks) shares it without passing it around. A cache that cannot be opened
is a one-line warning and the analysis runs uncached.
"""

from __future__ import annotations

import atexit
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from translate.cache import AnalysisCache

__all__ = ["ANALYSIS_VERSION", "KEPT_TAGS", "Morph", "analyse", "analyser_id", "cache_ready"]

# Bump when what is kept or how it is derived changes: old entries are then never served.
ANALYSIS_VERSION = 1
# Content tags of ``lexicon`` and ``words`` plus proper nouns for ``names``; the rest is never read.
KEPT_TAGS = frozenset({"NNG", "NNP", "VV", "VA", "XR", "SL"})
log = logging.getLogger("coverage_align")


@dataclass(frozen=True, slots=True)
class Morph:
    """One kept morpheme: its form (a stem for verbs and adjectives) and Kiwi's tag."""

    form: str
    tag: str


@cache
def analyser_id() -> str:
    """Name, version and settings of the analyser: part of every cache key."""
    from translate.align.lexicon import KIWI_OPTIONS

    try:
        kiwi_version = version("kiwipiepy")
    except PackageNotFoundError:
        kiwi_version = "absent"
    options = json.dumps(KIWI_OPTIONS, sort_keys=True)
    return f"kiwipiepy {kiwi_version} {options} v{ANALYSIS_VERSION}"


_OPEN: dict[str, AnalysisCache | None] = {}
_OPEN_LOCK = threading.Lock()
# One connection per file and process, shared by threads (process-inbox workers): one at a time.
_USE_LOCK = threading.Lock()


def _configured() -> AnalysisCache | None:
    from translate.cache import AnalysisCache
    from translate.config import analysis_cache_path
    from translate.errors import CacheError

    path = analysis_cache_path()
    key = str(path)
    with _OPEN_LOCK:
        if key not in _OPEN:
            try:
                _OPEN[key] = AnalysisCache(path)
            except CacheError as exc:
                log.warning("warning: Korean analyses are not cached: %s", exc)
                _OPEN[key] = None
        return _OPEN[key]


@atexit.register
def _close_all() -> None:
    with _OPEN_LOCK:
        for store in _OPEN.values():
            if store is not None:
                store.close()
        _OPEN.clear()


def _run_kiwi(texts: Sequence[str]) -> list[list[Morph]]:
    from translate.align.lexicon import kiwi

    # Kiwi's tokens are read one sentence at a time and dropped: kept for every sentence
    # of a 5 MB article they took more memory than everything else.
    return [
        [Morph(t.form, t.tag) for t in tokens if t.tag in KEPT_TAGS]
        for tokens in kiwi().tokenize(iter(texts))  # an iterable in, a generator out
    ]


def cache_ready() -> bool:
    """Whether analyses are kept (the cache opened): without it a dropped analyser reloads."""
    return _configured() is not None


def analyse(texts: Sequence[str], *, cached: bool = True) -> list[list[Morph]]:
    """Per Korean sentence, its kept morphemes in order; Kiwi runs only on sentences not cached."""
    store = _configured() if cached else None
    known: dict[str, list[Morph]] = {}
    if store is not None:
        with _USE_LOCK:
            found = store.get_many(analyser_id(), texts)
        known = {t: [Morph(f, g) for f, g in morphs] for t, morphs in found.items()}
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        fresh = dict(zip(missing, _run_kiwi(missing), strict=True))
        known.update(fresh)
        if store is not None:
            with _USE_LOCK:
                store.put_many(analyser_id(), [(t, [(m.form, m.tag) for m in ms]) for t, ms in fresh.items()])
    return [known[t] for t in texts]
