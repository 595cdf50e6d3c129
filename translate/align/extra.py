"""Evidence beyond ``features.py``, one module per kind, computed only when a scorer uses it.

Each extra feature is a function of the two sides' texts and the candidate
pairs (``EXTRA``), so the fit script, the feature table, the refit test and
the scorer all see one list (``EXTRA_FEATURES``, appended to ``FEATURES``).
Side-level work (Kiwi's analysis of the Korean sentences, cached per sentence
by ``korean``; English stems) is done once per ``align`` call and shared, and only for the features whose
weight is not zero, so a scorer that does not use the dictionary never loads
Kiwi.

* ``lex_ko``: share of the Korean sentence's dictionary words with a gloss in
  the English sentence (``lexicon``);
* ``lex_en``: share of the English sentence's content words that some Korean
  word glosses as: high when one long Korean sentence packs the facts of
  several English ones, each of which it covers (clause-level evidence
  without splitting);
* ``names``: share of the Korean sentence's proper nouns found, romanised,
  among the English capitalised words (``names``);
* ``speaker``: ``names`` when both sentences report speech (said, 밝혔다);
* ``words``: how closely each content word of either sentence finds a word
  of the other by the sentence encoder (``words``; needs an encoder for the
  words, else 0);
* ``clause``: how much better the best clause of either long sentence matches
  the other sentence than the whole sentence does (``clauses``; needs the
  sentence embeddings and an encoder for the clauses, else 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["EXTRA_FEATURES", "ExtraSides", "extra_columns"]

EXTRA_FEATURES = ("lex_ko", "lex_en", "names", "speaker", "clause", "words")


@dataclass
class ExtraSides:
    """The two sides' texts and what has been worked out about them so far."""

    en: Sequence[str]
    ko: Sequence[str]
    embeddings: tuple[np.ndarray, np.ndarray] | None = None
    encode: Callable[[list[str]], np.ndarray] | None = None  # the sentence encoder, for clauses and words
    _memo: dict[str, Any] = field(default_factory=dict)

    def _get(self, key: str, make: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def encoded(self, texts: list[str]) -> np.ndarray:
        """``encode``, each distinct text once per alignment: parallel mode scores pairs twice."""
        if self.encode is None:
            raise ValueError("no encoder for word or clause evidence")
        known: dict[str, np.ndarray] = self._memo.setdefault("vectors", {})
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            known.update(zip(missing, self.encode(missing), strict=True))
        return np.stack([known[t] for t in texts])

    @property
    def _analysed(self) -> list[list[Any]]:
        """Kiwi's kept morphemes per Korean sentence: one pass (or cache read) for every evidence."""
        from translate.align.korean import analyse

        return self._get("analysed", lambda: analyse(self.ko))

    @property
    def _korean(self) -> tuple[list[list[frozenset[str]]], list[list[str]]]:
        """Per Korean sentence, its dictionary glosses and its proper nouns."""
        from translate.align.lexicon import gloss_sets

        def make() -> tuple[list[list[frozenset[str]]], list[list[str]]]:
            morphs = self._analysed
            return gloss_sets(morphs), [[m.form for m in ms if m.tag == "NNP"] for ms in morphs]

        return self._get("korean", make)

    @property
    def ko_proper(self) -> list[list[str]]:
        """Per Korean sentence, its proper nouns (Kiwi NNP)."""
        return self._korean[1]

    @property
    def ko_glosses(self) -> list[list[frozenset[str]]]:
        return self._korean[0]

    @property
    def ko_words(self) -> list[list[str]]:
        """Content words per Korean sentence (only ``words`` needs them)."""
        from translate.align.words import korean_words

        return self._get("ko_words", lambda: [korean_words(ms) for ms in self._analysed])

    @property
    def en_words(self) -> list[list[str]]:
        from translate.align.words import english_words

        return self._get("en_words", lambda: [english_words(t) for t in self.en])

    @property
    def en_stems(self) -> list[set[str]]:
        from translate.align.lexicon import english_stems

        return self._get("en_stems", lambda: [english_stems(t) for t in self.en])

    @property
    def en_names(self) -> list[set[str]]:
        from translate.align.names import english_keys

        return self._get("en_names", lambda: [english_keys(t) for t in self.en])

    @property
    def ko_names(self) -> list[set[str]]:
        from translate.align.names import korean_keys

        def make() -> list[set[str]]:
            return [korean_keys(proper, text) for proper, text in zip(self._korean[1], self.ko, strict=True)]

        return self._get("ko_names", make)

    @property
    def speech(self) -> tuple[np.ndarray, np.ndarray]:
        from translate.align.names import speech

        return self._get(
            "speech",
            lambda: (
                np.array([speech(t, "en") for t in self.en], dtype=np.float32),
                np.array([speech(t, "ko") for t in self.ko], dtype=np.float32),
            ),
        )


def extra_columns(
    sides: ExtraSides, pairs: tuple[np.ndarray, np.ndarray], names: Sequence[str]
) -> dict[str, np.ndarray]:
    """The named extra features for the candidate pairs (each a float32 array)."""
    from translate.align.lexicon import lexicon_en_feature, lexicon_feature
    from translate.align.names import name_feature

    out: dict[str, np.ndarray] = {}
    i, j = pairs
    for name in names:
        if name == "lex_ko":
            out[name] = lexicon_feature(sides.en_stems, sides.ko_glosses, pairs)
        elif name == "lex_en":
            out[name] = lexicon_en_feature(sides.en_stems, sides.ko_glosses, pairs)
        elif name == "names":
            out[name] = name_feature(sides.en_names, sides.ko_names, pairs)
        elif name == "speaker":
            found = out.get("names")
            if found is None:
                found = name_feature(sides.en_names, sides.ko_names, pairs)
            en_sp, ko_sp = sides.speech
            out[name] = found * en_sp[i] * ko_sp[j]
        elif name == "clause":
            if sides.embeddings is None or sides.encode is None:
                out[name] = np.zeros(len(i), np.float32)
            else:
                from translate.align.clauses import clause_feature

                emb_en, emb_ko = sides.embeddings
                out[name] = clause_feature(sides.en, sides.ko, emb_en, emb_ko, sides.encoded, pairs)
        elif name == "words":
            if sides.encode is None:
                out[name] = np.zeros(len(i), np.float32)
            else:
                from translate.align.words import word_feature

                out[name] = word_feature(sides.en_words, sides.ko_words, sides.encoded, pairs)
        else:
            raise ValueError(f"unknown extra feature {name!r}")
    return out
