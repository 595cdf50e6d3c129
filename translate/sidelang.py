"""Sentences whose detected language is not their column's: an English quote in a Korean article.

Each sentence's language is stored (``sentences.lang``). A pair's side takes
the language of its sentences; exports skip or tag a side whose language
differs from its column (``--mixed-language``), and the views mark it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

__all__ = ["MIXED_LANGUAGE", "annotate", "sentence_langs", "side_lang"]

# skip: leave such pairs out of exports (the default: a Korean column holding
# English would teach a translation model to copy); keep: export them, tagged
# with the language detected.
MIXED_LANGUAGE = ("skip", "keep")
_NO_EVIDENCE = ("und", None)

SentenceLangs = Mapping[tuple[str, str, int], str]  # (event_id, side, sentence_index) -> lang


def sentence_langs(
    root: str | Path, event_ids: Iterable[str] | None = None
) -> dict[tuple[str, str, int], str]:
    """The detected language of every stored sentence of the given events (all when None)."""
    import pyarrow.compute as pc

    from translate.dataset import scan_columns

    table = scan_columns(root, "sentences", ["event_id", "side", "sentence_index", "lang"])
    if event_ids is not None:
        table = table.filter(pc.is_in(table["event_id"], value_set=_strings(event_ids)))
    cols = (table[c].to_pylist() for c in ("event_id", "side", "sentence_index", "lang"))
    return {(e, s, int(i)): lang for e, s, i, lang in zip(*cols, strict=True)}


def _strings(values: Iterable[str]) -> Any:
    import pyarrow as pa

    return pa.array(list(values), type=pa.string())


def side_lang(column: str, langs: Iterable[str | None]) -> str:
    """The language of one side of a pair: its sentences' most common detected language.

    Sentences without evidence (``und``: numbers, punctuation) don't count, and
    a tie goes to the column's own language.
    """
    counts = Counter(lang for lang in langs if lang not in _NO_EVIDENCE)
    if not counts:
        return column
    best = max(counts.values())
    return column if counts.get(column) == best else next(k for k, v in counts.items() if v == best)


def annotate(rows: Iterable[MutableMapping[str, Any]], langs: SentenceLangs) -> None:
    """Add ``en_lang`` and ``ko_lang`` (each side's detected language) to pairs rows in place."""
    for r in rows:
        for column in ("en", "ko"):
            idx = r.get(f"{column}_indices") or []
            r[f"{column}_lang"] = side_lang(column, (langs.get((r["event_id"], column, i)) for i in idx))
