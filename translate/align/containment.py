"""How much of one sentence's content the other article carries: asymmetric containment.

A pair score asks whether two sentences say the same thing. A reader of an
"only here" claim asks something else: is what this sentence says anywhere on
the other side, perhaps spread over a long lead that packs three of its
sentences? This module answers the second question from discrete evidence:

* the sentence's *items*: its numbers (the ones that are never soft,
  ``numerals.Number.soft``), its names (English capitalised words; Korean
  proper nouns, romanised by ``names``) and its content words (English stems;
  Korean dictionary words by their glosses, ``lexicon``), each word weighted
  by its rarity in its own article;
* each sentence's *bag*: the keys the other side's items can hit (every
  number it states, soft or not; its name keys; its words or glosses).

An item is found when one of its keys is in a bag. The share of a sentence's
items found in the union of all the other side's bags is its containment in
the whole article; the share found in one candidate sentence is its
containment in that sentence (``inside``). Both are set look-ups, linear in
the size of the texts: no pair of sentences is compared beyond the aligner's
candidate pairs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from translate.align.extra import ExtraSides
from translate.align.lexicon import STOP
from translate.align.names import korean_keys, skeleton
from translate.align.numerals import extract

__all__ = ["KINDS", "Items", "article_shares", "build_items", "pair_shares"]

KINDS = ("num", "name", "word")
_CAPS_WORD = frozenset(
    "he she they we i but after according while however also when if his her their our there".split()
)

_CAPS = re.compile(r"\b[A-Z][a-zA-Z]*(?:-[a-zA-Z]+)?")  # as ``names`` reads English names

Key = tuple[str, object]


@dataclass
class Items:
    """One side's items per sentence (kind, keys, weight) and the bag each sentence offers the other side."""

    items: list[list[tuple[str, frozenset[Key], float]]]
    bags: list[frozenset[Key]]
    lengths: np.ndarray  # characters, Korean scaled to English

    @property
    def article(self) -> frozenset[Key]:
        """Every key of the side: what the whole article offers."""
        return frozenset().union(*self.bags) if self.bags else frozenset()


def _number_items(text: str, lang: str) -> tuple[list[tuple[str, frozenset[Key], float]], set[Key]]:
    found = extract(text, lang)
    bag: set[Key] = {("n", (x.kind, round(x.value, 6))) for x in found}
    items = [("num", frozenset({("n", (x.kind, round(x.value, 6)))}), 1.0) for x in found if not x.soft]
    return list({it[1]: it for it in items}.values()), bag


def _idf(per_sentence: Sequence[Sequence[object]]) -> dict[object, float]:
    """log((n+1)/(df+0.5)): the event's own vocabulary weighs more than words every sentence has."""
    df: dict[object, int] = {}
    for words in per_sentence:
        for w in set(words):
            df[w] = df.get(w, 0) + 1
    n = len(per_sentence)
    return {w: float(np.log((n + 1) / (c + 0.5))) for w, c in df.items()}


# Names recur through an article: each one's keys are worked out once.
@lru_cache(maxsize=65_536)
def _skeleton(word: str) -> str:
    return skeleton(word)


@lru_cache(maxsize=65_536)
def _noun_keys(noun: str) -> frozenset[Key]:
    return frozenset(("p", k) for k in korean_keys([noun]))


def _english_names(text: str) -> list[frozenset[Key]]:
    """Each capitalised word's keys; the first word only when it is not an ordinary word capitalised."""
    out = []
    start = len(text) - len(text.lstrip(" \"'“‘("))
    for m in _CAPS.finditer(text):
        word = m.group()
        if m.start() == start and (word.lower() in STOP or word.lower() in _CAPS_WORD):
            continue
        keys: set[Key] = {("p", f"={word.lower()}")}
        sk = _skeleton(word)
        if len(sk) >= 2:
            keys.add(("p", sk))
        out.append(frozenset(keys))
    return list(dict.fromkeys(out))


def build_items(sides: ExtraSides, length_ratio: float) -> tuple[Items, Items]:
    """Items and bags of both sides (Kiwi's pass over the Korean side is shared through ``sides``)."""
    en_stems = sides.en_stems
    ko_glosses = sides.ko_glosses
    ko_proper = sides.ko_proper
    en_idf = _idf([sorted(s) for s in en_stems])
    ko_idf = _idf(ko_glosses)

    en_items: list[list[tuple[str, frozenset[Key], float]]] = []
    en_bags: list[frozenset[Key]] = []
    for text, stems, names in zip(sides.en, en_stems, sides.en_names, strict=True):
        items, bag = _number_items(text, "en")
        items += [("name", keys, 1.0) for keys in _english_names(text)]
        items += [("word", frozenset({("w", s)}), en_idf[s]) for s in sorted(stems)]
        bag |= {("p", k) for k in names} | {("w", s) for s in stems}
        en_items.append(items)
        en_bags.append(frozenset(bag))

    ko_items: list[list[tuple[str, frozenset[Key], float]]] = []
    ko_bags: list[frozenset[Key]] = []
    for text, glosses, proper in zip(sides.ko, ko_glosses, ko_proper, strict=True):
        items, bag = _number_items(text, "ko")
        nouns = {_noun_keys(noun) for noun in proper}
        items += [("name", keys, 1.0) for keys in nouns if keys]
        items += [("word", frozenset(("w", s) for s in g), ko_idf[g]) for g in dict.fromkeys(glosses)]
        bag |= {("p", k) for k in korean_keys(proper, text)}
        bag |= {("w", s) for g in glosses for s in g}
        ko_items.append(items)
        ko_bags.append(frozenset(bag))

    en_len = np.array([max(len(t), 1) for t in sides.en], dtype=np.float32)
    ko_len = np.array([max(len(t), 1) for t in sides.ko], dtype=np.float32) * length_ratio
    return Items(en_items, en_bags, en_len), Items(ko_items, ko_bags, ko_len)


def shares(items: list[tuple[str, frozenset[Key], float]], bag: frozenset[Key]) -> dict[str, float]:
    """Per kind, the weighted share of the items found in ``bag`` (-1: the sentence has none of it)."""
    total = dict.fromkeys(KINDS, 0.0)
    hit = dict.fromkeys(KINDS, 0.0)
    for kind, keys, weight in items:
        total[kind] += weight
        if not keys.isdisjoint(bag):
            hit[kind] += weight
    return {k: (hit[k] / total[k] if total[k] > 0 else -1.0) for k in KINDS}


def overall(share: dict[str, float]) -> float:
    """The mean share over the kinds the sentence has (0 for a sentence with no items)."""
    have = [v for v in share.values() if v >= 0]
    return sum(have) / len(have) if have else 0.0


def article_shares(mine: Items, other: Items) -> np.ndarray:
    """(sentences × KINDS) shares of each sentence's items found anywhere in the other article."""
    bag = other.article
    return np.array([[shares(it, bag)[k] for k in KINDS] for it in mine.items], dtype=np.float32).reshape(
        -1, len(KINDS)
    )


def pair_shares(mine: Items, other: Items, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each candidate pair (a[p] on this side, b[p] on the other), the overall share of a's items in b."""
    out = np.zeros(len(a), np.float32)
    for p, (x, y) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        if mine.items[x]:
            out[p] = overall(shares(mine.items[x], other.bags[y]))
    return out
