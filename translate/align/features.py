"""Evidence that an English and a Korean sentence report the same thing.

Nothing here builds an n×m matrix of all sentence pairs. Candidates come from
each sentence's top-k neighbours, found block by block (``top_k``), and
features are computed only for listed pairs, a block of pairs at a time
(``pair_features``), so memory grows linearly with the number of sentences
and the working set of each step is bounded.

Features, each one float per (English, Korean) pair:

* ``cos``: cosine of the two cross-lingual sentence embeddings;
* ``margin``: BUCC-style ratio margin, ``cos`` over the mean of each sentence's
  k best cosines (how far the pair stands out from both neighbourhoods);
* ``best``: 1 when each is the other's nearest neighbour, 0.5 when one is;
* ``chrf_en`` / ``chrf_ko``: character n-gram F1 between a sentence and the
  other side's machine translation (chrF on n-gram sets), when there is one;
* ``numbers``: Dice overlap of normalised numbers (2만8천500 = 28,500);
  ``num_conflict``: both carry numbers and share none;
  ``num_rare``: the numbers both give, each weighted by how rare it is in the
  two articles (1/√(sentences with it on each side), halved for 0–3), capped
  at 1: a figure that only one sentence per side states (3.3 %, 179 dead) is
  an anchor, a year that every paragraph repeats is not;
* ``latin``: share of the Korean sentence's Latin-script tokens (ICBM, NATO)
  found in the English one;
* ``quotes``: both contain quoted speech;
* ``length``: minus the absolute log length ratio, Korean scaled to English;
* ``position``: minus the distance between relative positions (leads match leads);
* ``lead``: both are their article's first sentence (usually the headline).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from translate.align.extra import EXTRA_FEATURES
from translate.align.numerals import extract

if TYPE_CHECKING:  # at run time scipy loads with the first matrix: show and report never build one
    from scipy import sparse

__all__ = ["FEATURES", "Evidence", "Pairs", "build_sides", "pair_features", "top_k"]

FEATURES = (
    "cos",
    "margin",
    "best",
    "chrf_en",
    "chrf_ko",
    "numbers",
    "num_conflict",
    "num_rare",
    "latin",
    "quotes",
    "length",
    "position",
    "lead",
    *EXTRA_FEATURES,  # filled by ``extra.extra_columns``, only where a scorer uses them
)
MARGIN_K = 4  # neighbours averaged by the ratio margin, as in BUCC mining
_NGRAMS = {"en": (2, 3, 4), "ko": (1, 2, 3)}
_STRIP = re.compile(r"[\W_]+", re.UNICODE)
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_QUOTE = re.compile(r"[\"“”「」『』]|(?:^|\s)'[^']{3,}'")
_BLOCK = 512  # rows per block when scanning all pairs for neighbours
_CELLS = 1 << 21  # at most this many (row, column) similarities per block: ~72 MiB of transients
_PAIR_BLOCK = 16_384  # candidate pairs per block of features (2 × 32 MiB of 512-dim vectors)
_NNZ_BLOCK = 1 << 22  # stored n-grams per slice of a row intersection (~50 MiB of CSR rows)

Pairs = tuple[np.ndarray, np.ndarray]
"""Parallel arrays of English and Korean sentence indices."""


def _ngrams(text: str, lang: str) -> set[str]:
    s = _STRIP.sub("", text.lower())
    return {s[k : k + n] for n in _NGRAMS[lang] for k in range(len(s) - n + 1)}


class _Vocab:
    """Shared column ids, so indicator rows of both sides can be intersected."""

    def __init__(self) -> None:
        self.ids: dict = {}

    def matrix(self, rows: Iterable[set | frozenset]) -> sparse.csr_matrix:
        """One indicator row per item set; sets may come from a generator, one at a time.

        Column ids go into 4-byte arrays: at the input limit a side has tens of
        millions of n-grams, and holding all the sets, or the ids as a Python list,
        cost gigabytes where the finished matrix needs a few hundred MiB.
        """
        indptr = array("q", [0])
        indices = array("i")  # column ids: far below 2**31 for any text
        for items in rows:
            indices.extend(self.ids.setdefault(it, len(self.ids)) for it in items)
            indptr.append(len(indices))
        cols = np.frombuffer(indices, dtype=np.int32) if indices else np.zeros(0, np.int32)
        ptr = np.frombuffer(indptr, dtype=np.int64)
        if ptr[-1] < 2**31:
            ptr = ptr.astype(np.int32)  # one index type, so scipy copies neither array
        data = np.ones(len(cols), dtype=np.float32)
        from scipy import sparse

        return sparse.csr_matrix((data, cols, ptr), shape=(len(ptr) - 1, max(len(self.ids), 1)))


def _widen(m: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    m.resize((m.shape[0], max(width, 1)))  # in place: the matrix was just built, and is large
    return m


@dataclass
class Evidence:
    """Per-sentence evidence for one side, with vocabularies shared with the other side."""

    lang: str
    n: int
    emb: np.ndarray | None  # (n, d) L2-normalised, or None without an encoder
    own: sparse.csr_matrix  # n-grams of the sentence (empty unless the other side is translated)
    translated: sparse.csr_matrix | None  # n-grams of its translation into the other language
    numbers: sparse.csr_matrix
    anchors: sparse.csr_matrix  # the numbers that are never soft (see ``numerals.Number``)
    tokens: sparse.csr_matrix  # ko: Latin tokens; en: lower-cased words
    quotes: np.ndarray
    lengths: np.ndarray
    position: np.ndarray  # relative position in [0, 1]
    anchor_weight: np.ndarray | None = None  # per ``anchors`` column, shared by both sides
    knn: np.ndarray | None = None  # mean of the MARGIN_K best cosines (set by top_k)
    best: np.ndarray | None = None  # index of the nearest neighbour on the other side

    @property
    def sizes(self) -> dict[str, np.ndarray]:
        def rows(m: sparse.csr_matrix | None) -> np.ndarray:
            return np.diff(m.indptr).astype(np.float32) if m is not None else np.zeros(self.n, np.float32)

        return {"own": rows(self.own), "translated": rows(self.translated), "numbers": rows(self.numbers)}


def build_sides(
    en: Sequence[str],
    ko: Sequence[str],
    *,
    en2ko: Sequence[str] | None = None,
    ko2en: Sequence[str] | None = None,
    emb_en: np.ndarray | None = None,
    emb_ko: np.ndarray | None = None,
) -> tuple[Evidence, Evidence]:
    """Both sides' evidence; translations and embeddings are optional."""
    v_en, v_ko, v_num, v_tok, v_anchor = _Vocab(), _Vocab(), _Vocab(), _Vocab(), _Vocab()

    def side(texts, lang, tr, emb, own_vocab, tr_vocab, token_re, other_translated: bool) -> dict:
        n = len(texts)
        hard: list[frozenset] = []  # kept per sentence while the numbers stream into their matrix

        def number_keys() -> Iterator[frozenset]:
            for t in texts:
                found = extract(t, lang)
                hard.append(_number_keys(found, soft=False))
                yield _number_keys(found, soft=True)

        numbers = v_num.matrix(number_keys())
        return {
            "lang": lang,
            "n": n,
            "emb": emb,
            # Own n-grams only ever meet the other side's translation: without one they
            # were a few hundred MiB of nothing at the input limit.
            "own": own_vocab.matrix(_ngrams(t, lang) if other_translated else _NONE for t in texts),
            "translated": (
                tr_vocab.matrix(_ngrams(t, "ko" if lang == "en" else "en") for t in tr)
                if tr is not None
                else None
            ),
            "numbers": numbers,
            "anchors": v_anchor.matrix(hard),
            "tokens": v_tok.matrix({w.lower() for w in token_re.findall(t)} for t in texts),
            "quotes": np.array([bool(_QUOTE.search(t)) for t in texts], dtype=np.float32),
            "lengths": np.array([max(len(t), 1) for t in texts], dtype=np.float32),
            "position": np.arange(n, dtype=np.float32) / max(n - 1, 1),
        }

    e = side(en, "en", en2ko, emb_en, v_en, v_ko, _WORD, ko2en is not None)
    k = side(ko, "ko", ko2en, emb_ko, v_ko, v_en, _LATIN_TOKEN, en2ko is not None)
    # Widen every matrix to its final vocabulary so rows of both sides line up.
    widths = {"numbers": len(v_num.ids), "tokens": len(v_tok.ids), "anchors": len(v_anchor.ids)}
    for d, own_w, tr_w in ((e, len(v_en.ids), len(v_ko.ids)), (k, len(v_ko.ids), len(v_en.ids))):
        d["own"] = _widen(d["own"], own_w)
        if d["translated"] is not None:
            d["translated"] = _widen(d["translated"], tr_w)
        for key, w in widths.items():
            d[key] = _widen(d[key], w)
    weight = _anchor_weight(e["anchors"], k["anchors"], list(v_anchor.ids))
    return Evidence(**e, anchor_weight=weight), Evidence(**k, anchor_weight=weight)


_NONE: frozenset = frozenset()  # one empty row for the many sentences without numbers (or n-grams)


def _number_keys(numbers: Iterable, soft: bool) -> frozenset:
    return frozenset((x.kind, round(x.value, 6)) for x in numbers if soft or not x.soft) or _NONE


def _anchor_weight(en: sparse.csr_matrix, ko: sparse.csr_matrix, keys: list) -> np.ndarray:
    """How much sharing each number says: 1/√(sentences with it on each side), halved for 0–3.

    Small counts (two sides, three people) recur in unrelated sentences; the
    weight is 0 for a number that only one side gives, as it can never be shared.
    """
    df = np.bincount(en.indices, minlength=en.shape[1]) * np.bincount(ko.indices, minlength=ko.shape[1])
    weight = np.divide(1.0, np.sqrt(df), out=np.zeros(len(df)), where=df > 0)
    small = np.array([abs(value) <= 3 for _, value in keys] + [False] * (len(df) - len(keys)), dtype=bool)
    weight[small] *= 0.5
    return weight.astype(np.float32)


def _row_dot(
    a: sparse.csr_matrix,
    b: sparse.csr_matrix,
    i: np.ndarray,
    j: np.ndarray,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """Intersection sizes of rows a[i] and b[j], pair by pair (summed ``weight`` per column, if given).

    ``a[i]`` copies every listed row: with long sentences and many candidates that
    was hundreds of MiB at once, so pairs go in slices of at most ``_NNZ_BLOCK``
    stored n-grams.
    """
    out = np.zeros(len(i), np.float32)
    if len(i) == 0:
        return out
    cost = np.cumsum(np.diff(a.indptr)[i] + np.diff(b.indptr)[j], dtype=np.int64)
    start = 0
    while start < len(i):
        before = cost[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(cost, before + _NNZ_BLOCK, side="right")))
        both = a[i[start:stop]].multiply(b[j[start:stop]])
        summed = both.sum(1) if weight is None else both @ weight
        out[start:stop] = np.asarray(summed, dtype=np.float32).ravel()
        start = stop
    return out


def _dice(inter: np.ndarray, na: np.ndarray, nb: np.ndarray) -> np.ndarray:
    denom = na + nb
    return np.divide(2 * inter, denom, out=np.zeros_like(inter), where=denom > 0)


def lexical_block(en: Evidence, ko: Evidence, rows: slice) -> np.ndarray:
    """Dense (rows × all Korean) lexical similarity, for candidate search without embeddings."""
    sims = []
    if ko.translated is not None:
        inter = (en.own[rows] @ ko.translated.T).toarray()
        sims.append(_dice(inter, en.sizes["own"][rows, None], ko.sizes["translated"][None, :]))
    if en.translated is not None:
        inter = (en.translated[rows] @ ko.own.T).toarray()
        sims.append(_dice(inter, en.sizes["translated"][rows, None], ko.sizes["own"][None, :]))
    inter = (en.numbers[rows] @ ko.numbers.T).toarray()
    sims.append(_dice(inter, en.sizes["numbers"][rows, None], ko.sizes["numbers"][None, :]))
    return np.sum(sims, axis=0).astype(np.float32)


def top_k(
    block: Callable[[slice], np.ndarray], n: int, m: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each row's and each column's k best (index, value) of a similarity scanned in row blocks.

    ``block(rows)`` returns the dense (len(rows) × m) similarity of those rows.
    Only one block and k values per row and column are held at a time.
    Returns (row_idx n×k, row_val n×k, col_idx k×m, col_val k×m), best first.
    """
    kr, kc = min(k, m), min(k, n)
    row_idx = np.zeros((n, kr), np.int64)
    row_val = np.zeros((n, kr), np.float32)
    col_idx = np.zeros((0, m), np.int64)
    col_val = np.zeros((0, m), np.float32)
    # Rows per block shrink as the other side grows: each block's transients (the
    # similarities, their argpartition, the column merge) are ~36 bytes a cell.
    step = max(1, min(_BLOCK, _CELLS // max(m, 1)))
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        s = block(rows)
        part = np.argpartition(-s, kr - 1, axis=1)[:, :kr]
        vals = np.take_along_axis(s, part, 1)
        order = np.argsort(-vals, axis=1, kind="stable")
        row_idx[rows] = np.take_along_axis(part, order, 1)
        row_val[rows] = np.take_along_axis(vals, order, 1)
        # Merge this block into the running best k of every column. Once k rows are in,
        # only the columns where the block beats the k-th best take part: partitioning
        # along columns costs per column, and with small blocks most columns are settled.
        full = col_val.shape[0] < kc
        cols: slice | np.ndarray = slice(None)
        if not full:
            cols = np.flatnonzero((s > col_val.min(axis=0)).any(axis=0))
            if cols.size == 0:
                continue
        block_rows = np.arange(rows.start, rows.stop)[:, None]
        cand_val = np.vstack([col_val[:, cols], s[:, cols]])
        cand_idx = np.vstack([col_idx[:, cols], np.broadcast_to(block_rows, (s.shape[0], cand_val.shape[1]))])
        keep = min(kc, cand_val.shape[0])
        part = np.argpartition(-cand_val, keep - 1, axis=0)[:keep]
        if full:
            col_val = np.take_along_axis(cand_val, part, 0)
            col_idx = np.take_along_axis(cand_idx, part, 0)
        else:
            col_val[:, cols] = np.take_along_axis(cand_val, part, 0)
            col_idx[:, cols] = np.take_along_axis(cand_idx, part, 0)
    order = np.argsort(-col_val, axis=0, kind="stable")
    return row_idx, row_val, np.take_along_axis(col_idx, order, 0), np.take_along_axis(col_val, order, 0)


def candidates(en: Evidence, ko: Evidence, k: int) -> Pairs:
    """Each sentence's k nearest neighbours on the other side, both ways, as unique pairs.

    Neighbours by embedding cosine when there are embeddings, and also by
    lexical similarity (MT n-grams, numbers); also records each side's ``knn``
    (for the margin) and ``best`` (nearest neighbour).
    """
    n, m = en.n, ko.n
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    searches: list[tuple[str, Callable[[slice], np.ndarray]]] = []
    if en.emb is not None and ko.emb is not None:
        e_en, e_ko = en.emb, ko.emb
        searches.append(("emb", lambda rows: e_en[rows] @ e_ko.T))
    if en.emb is None or en.translated is not None or ko.translated is not None:
        searches.append(("lex", lambda rows: lexical_block(en, ko, rows)))
    for name, block in searches:
        ri, rv, ci, cv = top_k(block, n, m, max(k, MARGIN_K))
        if name == searches[0][0]:
            en.knn, ko.knn = rv[:, :MARGIN_K].mean(1), cv[:MARGIN_K].mean(0)
            en.best, ko.best = ri[:, 0], ci[0]
        found_i += [np.repeat(np.arange(n), ri[:, :k].shape[1]), ci[:k].ravel()]
        found_j += [ri[:, :k].ravel(), np.tile(np.arange(m), ci[:k].shape[0])]
    if not found_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = np.unique(np.concatenate(found_i) * m + np.concatenate(found_j))
    return keys // m, keys % m


def pair_features(en: Evidence, ko: Evidence, pairs: Pairs, length_ratio: float) -> np.ndarray:
    """A (len(pairs) × len(FEATURES)) float32 matrix; absent signals are 0.

    Computed ``_PAIR_BLOCK`` pairs at a time: gathering both embeddings of every
    candidate pair at once cost about 1 GiB per 250,000 pairs at 512 dimensions.
    """
    i, j = pairs
    out = np.zeros((len(i), len(FEATURES)), np.float32)
    for start in range(0, len(i), _PAIR_BLOCK):
        block = slice(start, start + _PAIR_BLOCK)
        out[block] = _pair_block(en, ko, i[block], j[block], length_ratio)
    return out


def _pair_block(en: Evidence, ko: Evidence, i: np.ndarray, j: np.ndarray, length_ratio: float) -> np.ndarray:
    out = np.zeros((len(i), len(FEATURES)), np.float32)
    col = {name: k for k, name in enumerate(FEATURES)}
    if en.emb is not None and ko.emb is not None:
        cos = np.einsum("pd,pd->p", en.emb[i], ko.emb[j])
        out[:, col["cos"]] = cos
        if en.knn is not None and ko.knn is not None and en.best is not None and ko.best is not None:
            denom = (en.knn[i] + ko.knn[j]) / 2
            out[:, col["margin"]] = np.divide(cos, denom, out=np.zeros_like(cos), where=denom > 0)
            out[:, col["best"]] = ((en.best[i] == j).astype(np.float32) + (ko.best[j] == i)) / 2
    en_n, ko_n = en.sizes, ko.sizes
    if ko.translated is not None:
        inter = _row_dot(en.own, ko.translated, i, j)
        out[:, col["chrf_en"]] = _dice(inter, en_n["own"][i], ko_n["translated"][j])
    if en.translated is not None:
        inter = _row_dot(en.translated, ko.own, i, j)
        out[:, col["chrf_ko"]] = _dice(inter, en_n["translated"][i], ko_n["own"][j])
    inter = _row_dot(en.numbers, ko.numbers, i, j)
    out[:, col["numbers"]] = _dice(inter, en_n["numbers"][i], ko_n["numbers"][j])
    out[:, col["num_conflict"]] = (en_n["numbers"][i] > 0) & (ko_n["numbers"][j] > 0) & (inter == 0)
    if en.anchor_weight is not None:
        out[:, col["num_rare"]] = np.minimum(_row_dot(en.anchors, ko.anchors, i, j, en.anchor_weight), 1.0)
    inter = _row_dot(en.tokens, ko.tokens, i, j)
    n_lat = np.diff(ko.tokens.indptr).astype(np.float32)[j]
    out[:, col["latin"]] = np.divide(inter, n_lat, out=np.zeros_like(inter), where=n_lat > 0)
    out[:, col["quotes"]] = en.quotes[i] * ko.quotes[j]
    out[:, col["length"]] = -np.abs(np.log(en.lengths[i] / (length_ratio * ko.lengths[j])))
    out[:, col["position"]] = -np.abs(en.position[i] - ko.position[j])
    out[:, col["lead"]] = (i == 0) & (j == 0)
    return out
