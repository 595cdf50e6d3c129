"""Dictionary evidence: Korean words looked up in a Korean–English word list, found in the English.

As hunalign does with its dictionary, a pair scores by how many of the Korean
sentence's content words have a gloss among the English sentence's words,
which survives paraphrase better than character n-grams of a translation and
needs no translation model. Korean words are lemmatised by Kiwi (kiwipiepy,
whose model ships on PyPI): nouns as they are, verb and adjective stems with
다 (열 → 열다). The word list is derived from the National Institute of Korean
Language's Basic Korean Dictionary (``resources/lexicon``, CC BY-SA 2.0 KR, see
its README); English words and glosses are reduced by the same crude suffix
rules, so "flooded" meets "flood".

Kiwi and the list load on first use only (about 2 s), so views never pay; each
sentence's analysis is cached (``korean``), so a known sentence never loads Kiwi.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from translate.align.pairs import each_pair

__all__ = [
    "KIWI_OPTIONS",
    "LEXICON_PATH",
    "english_stems",
    "gloss_sets",
    "kiwi",
    "lexicon_en_feature",
    "lexicon_feature",
    "release_kiwi",
    "stem",
]

LEXICON_PATH = Path(__file__).resolve().parents[1] / "resources" / "lexicon" / "ko-en-glosses.tsv.gz"
_CONTENT_TAGS = {"NNG", "NNP", "VV", "VA", "XR", "SL"}
_WORD = re.compile(r"[A-Za-z]+")
STOP = frozenset(
    "a an the of to in on at for by with from and or be is are was were been being it its this that "
    "as into up out one some any who what which not no do does did have has had get make take".split()
)


def stem(word: str) -> str:
    """A crude English stem, applied alike to sentences and glosses (floods, flooded → flood)."""
    w = word.lower()
    for suffix, repl, min_len in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("s", "", 4),
    ):
        if w.endswith(suffix) and len(w) >= min_len and not (suffix == "s" and w.endswith("ss")):
            return w[: len(w) - len(suffix)] + repl
    return w


def english_stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text) if w.lower() not in STOP}


@cache
def _glosses(path: str = str(LEXICON_PATH)) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            head, _, stems = line.rstrip("\n").partition("\t")
            if head and stems:
                out[head] = frozenset(stems.split())
    return out


# Two events aligned at once would otherwise both load Kiwi (about 290 MB each): cache alone
# does not stop concurrent first calls.
_LOAD_LOCK = threading.Lock()
# Kiwi's settings, part of the analysis cache key (``korean.analyser_id``). Without the typo and
# multi-word (WikiData proper noun) dictionaries Kiwi loads in about half the time and 180 MB
# less; on the dev set 144 of 82,965 candidate pairs' dictionary and 27 name values moved and
# no scorer's LOO F1 did (docs/latency.md, benchmarks/kiwi_options.py).
KIWI_OPTIONS: dict[str, Any] = {"load_typo_dict": False, "load_multi_dict": False}


@cache
def _kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi(**KIWI_OPTIONS)


def kiwi() -> Any:
    """The Korean analyser, loaded once per process (about 2 s)."""
    with _LOAD_LOCK:
        return _kiwi()


def release_kiwi() -> None:
    """Drop the loaded analyser (about 300 MB): for a process that aligns one event and is
    done with Korean analysis before the encoder's turn. A later ``kiwi()`` loads it again."""
    import gc

    with _LOAD_LOCK:
        _kiwi.cache_clear()
    gc.collect()


def gloss_sets(analysed: Sequence[Sequence[Any]]) -> list[list[frozenset[str]]]:
    """Per Korean sentence (Kiwi tokens or ``korean.Morph``), the gloss stems of its listed content words.

    Latin-script words inside Korean (ICBM, NATO) gloss as themselves.
    """
    glosses = _glosses()
    out = []
    for tokens in analysed:
        words: list[frozenset[str]] = []
        for t in tokens:
            if t.tag not in _CONTENT_TAGS:
                continue
            if t.tag == "SL":
                words.append(frozenset({stem(t.form)}))
                continue
            key = t.form + "다" if t.tag in ("VV", "VA") else t.form
            g = glosses.get(key)
            if g:
                words.append(g)
        out.append(words)
    return out


def lexicon_feature(
    en_stems: Sequence[set[str]],
    ko_glosses: Sequence[list[frozenset[str]]],
    pairs: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Share of the Korean sentence's looked-up words with a gloss in the English sentence.

    Words count by their rarity among the article's sentences (inverse document
    frequency), so the event's own vocabulary (탄핵, impeachment) weighs more
    than words every sentence has (밝히다, said).
    """
    i, j = pairs
    out = np.zeros(len(i), np.float32)
    df: dict[frozenset[str], int] = {}
    for words in ko_glosses:
        for g in set(words):
            df[g] = df.get(g, 0) + 1
    n = len(ko_glosses)
    idf = {g: float(np.log((n + 1) / (c + 0.5))) for g, c in df.items()}
    for k, a, b in each_pair(i, j):
        words = ko_glosses[b]
        if words:
            e = en_stems[a]
            total = sum(idf[g] for g in words)
            if total > 0:
                out[k] = sum(idf[g] for g in words if not g.isdisjoint(e)) / total
    return out


def lexicon_en_feature(
    en_stems: Sequence[set[str]],
    ko_glosses: Sequence[list[frozenset[str]]],
    pairs: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Share of the English sentence's content words that a Korean word of the pair glosses as."""
    i, j = pairs
    out = np.zeros(len(i), np.float32)
    union: dict[int, frozenset[str]] = {}
    for k, a, b in each_pair(i, j):
        e = en_stems[a]
        if e:
            if b not in union:
                union[b] = frozenset().union(*ko_glosses[b])
            out[k] = len(e & union[b]) / len(e)
    return out
