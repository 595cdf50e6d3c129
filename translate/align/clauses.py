"""Clause-level similarity: a long sentence scored by its best clause against the other sentence.

A Korean sentence often packs the facts of two or three English sentences
(연결어미 -고, -며, -면서, -지만 join them); a whole-sentence embedding then
sits between them and matches none well. Splitting long sentences at clause
boundaries (Korean connective endings followed by a space, commas; English
commas, semicolons and clause conjunctions) and taking the best cosine of one
side's sentence against the other side's clauses lets each English sentence
find the clause that summarises it, and the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from translate.align.pairs import each_pair

__all__ = ["MIN_CHARS", "clause_feature", "split_clauses"]

MIN_CHARS = {"en": 80, "ko": 35}  # shorter sentences are one clause
_MIN_PART = {"en": 25, "ko": 10}
# -고 only after a verb-like syllable: 원고, 최고 and 사고 are nouns.
_KO_BOUNDARY = re.compile(
    r"((?:했|됐|였|었|았|겠|있|없|하|되|렸|혔|켰|쳤|졌|왔|갔|냈|섰|놓|웠)고|[가-힣](?:며|면서|지만|는데|은데|으나|어서|아서|해서)),?\s+"
    r"|,\s+"
)
_EN_BOUNDARY = re.compile(
    r"[,;:]\s+|\s+(?=(?:and|but|while|whereas|after|before|because|although|which|who)\s)"
)
_CUT = "\x00"


def split_clauses(text: str, lang: str) -> list[str]:
    """The clauses of a long sentence (pieces shorter than a clause join their neighbour)."""
    if len(text) < MIN_CHARS[lang]:
        return [text]
    if lang == "ko":  # keep the connective ending with its clause
        marked = _KO_BOUNDARY.sub(lambda m: (m.group(1) or "") + _CUT, text)
    else:
        marked = _EN_BOUNDARY.sub(_CUT, text)
    pieces = [p.strip() for p in marked.split(_CUT) if p.strip()]
    out: list[str] = []
    for p in pieces:
        if out and (len(out[-1]) < _MIN_PART[lang] or len(p) < _MIN_PART[lang]):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out if len(out) > 1 else [text]


def clause_feature(
    en: Sequence[str],
    ko: Sequence[str],
    emb_en: np.ndarray,
    emb_ko: np.ndarray,
    encode: Callable[[list[str]], np.ndarray],
    pairs: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Best cosine of either sentence against the other's clauses, minus the sentence cosine (≥ 0).

    Only sentences that split are encoded again, once per clause.
    """
    i, j = pairs
    out = np.zeros(len(i), np.float32)
    if len(i) == 0:
        return out
    en_clauses = {k: c for k, t in enumerate(en) if len(c := split_clauses(t, "en")) > 1}
    ko_clauses = {k: c for k, t in enumerate(ko) if len(c := split_clauses(t, "ko")) > 1}
    flat = [c for cs in en_clauses.values() for c in cs] + [c for cs in ko_clauses.values() for c in cs]
    if not flat:
        return out
    vecs = encode(flat)
    rows: dict[tuple[str, int], np.ndarray] = {}
    at = 0
    for side, found in (("en", en_clauses), ("ko", ko_clauses)):
        for k, cs in found.items():
            rows[side, k] = vecs[at : at + len(cs)]
            at += len(cs)
    whole = np.einsum("pd,pd->p", emb_en[i], emb_ko[j])
    for p, a, b in each_pair(i, j):
        best = whole[p]
        if ("ko", b) in rows:
            best = max(best, float((rows["ko", b] @ emb_en[a]).max()))
        if ("en", a) in rows:
            best = max(best, float((rows["en", a] @ emb_ko[b]).max()))
        out[p] = best
    return out
