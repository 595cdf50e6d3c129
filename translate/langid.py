"""Language identification: script evidence first, then n-gram profiles with a prior.

Script is near-certain evidence for Korean, so the order is:

1. no letters at all (numbers, punctuation, empty): ``und``;
2. Hangul ≥ 30 % of letters, or a line that ends in Korean: ``ko``, even
   with quoted English or acronyms (quantities such as 2만8천 don't count);
3. kana: ``ja``; Han without kana or Hangul: ``zh``;
4. Latin with plain English function words and no diacritics: ``en``;
5. short ASCII-only Latin lines with no other evidence: ``en`` at lower
   confidence (in English/Korean coverage that is what they are: bylines,
   photo credits, agency names), or the caller's ``hint``;
6. everything else: langdetect's 55 n-gram profiles, scored in full (naive
   Bayes, no random sampling, so results never vary between runs) with a
   prior on the language expected here: the caller's ``hint`` (the
   document's language) when it is written in Latin script, else English,
   the only Latin-script language of the pipeline.

Why a prior: langdetect alone calls short English sentences Catalan or
Danish ("Every visitor deserves a quiet room." → ca). On the gold lines an
English sentence trails the best other profile by at most 14 nats, while
a real French, German or Spanish sentence leads English by 85 or more. The
n-grams overlap (a character sits in up to three), so the log-likelihood is
divided by three before a prior of 0.95 on the expected language (the
other 54 share the rest) is added: a gap of about 21 nats is needed to
overrule the expected language.

langdetect parses its 55 JSON profiles in about 0.4 s per process; they are
stored once as sorted sparse arrays under ``DATA/cache`` (keyed by
langdetect's version) and read back in about 10 ms, with the same float64
values, so every score is exactly what langdetect's own table gives. Loading
only some profiles was not an option: the posteriors are normalised over all
55 languages, and the runner-up reported for a document can be any of them.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

__all__ = ["SUPPORTED", "UNDETERMINED", "LangGuess", "detect", "detect_document", "language_problem"]

SUPPORTED = ("en", "ko")
UNDETERMINED = "und"
HANGUL_SHARE = 0.3

_LETTER = re.compile(r"[^\W\d_]")
# Quantities are not evidence of a language: 2만8천500, 4.2bn, 450mm, 31일.
_QUANTITY = re.compile(r"\d[\d.,]*(?:\s?(?:[만천백억조]+\d*[\d.,]*)+|(?:bn|mn|tn|km|mm|cm|kg|m|k)\b)")
_LAST_LETTERS = re.compile(r"([^\W\d_]+)[^\w]*$")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[A-Za-z']+")
_EN_FUNCTION_WORDS = frozenset(
    """the a an of to in on at for from by with and or but not no is are was were be been
    being has have had will would can could should may might must do does did it its he she
    they them their his her we our you your i this that these those there which who what
    when where while as than then so if after before about into over under said says
    also more most one two three told added""".split()
)
# Words that are also common words of other Latin-script languages (in, on, so, an,
# was, will, also, is, a, i, no, do, die, of, be…) are not evidence alone: the rule needs
# one of these, which are English only among the languages langdetect knows.
_EN_ONLY_WORDS = frozenset(
    """the and with from that this which would could should have has been were their they
    them its his her she he we our you your who what when where while than after before
    about into over under said says told added these those there""".split()
)
# A short line's hint is overruled only by profiles this sure of another language.
SHORT_OVERRULE = 0.99
EXPECTED_PRIOR = 0.95  # prior probability of the expected language of a Latin-script line
_NGRAM_OVERLAP = 3.0  # each character is counted in up to three n-grams
_SMOOTHING = 0.5 / 10_000  # langdetect's own alpha / base frequency
_profiles_lock = threading.Lock()
log = logging.getLogger("coverage_align")


@dataclass(frozen=True)
class LangGuess:
    """A language code (ISO 639-1, or ``und``) with its confidence."""

    lang: str
    confidence: float
    method: str  # "none", "script", "function-words", "short-default", "hint", "profiles"
    runner_up: str | None = None
    runner_up_confidence: float = 0.0

    @property
    def supported(self) -> bool:
        return self.lang in SUPPORTED


class _NGrams:
    """Membership in a sorted array of n-grams: what langdetect's detector asks of its table.

    Bisecting the stored array avoids building an 87,600-entry dict on every start.
    """

    def __init__(self, words: np.ndarray):
        self.words = words

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        k = int(np.searchsorted(self.words, word))
        return k < len(self.words) and self.words[k] == word

    def rows(self, words: list[str]) -> np.ndarray:
        return np.searchsorted(self.words, np.array(words, dtype=self.words.dtype))


@dataclass(frozen=True)
class _Profiles:
    """langdetect's profiles as sorted sparse arrays: its own float64 values, loaded in milliseconds.

    Parsing the 55 JSON profiles takes about 0.4 s and 100 MB of Python lists per
    process; 96 % of the table is zero, so the stored rows are sparse (CSR).
    """

    ngrams: _NGrams
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    raw_langs: tuple[str, ...]  # langdetect's codes, in its (directory listing) order

    def detector(self) -> Any:
        from langdetect.detector import Detector

        # A Detector reads only these three attributes of its factory.
        factory = SimpleNamespace(word_lang_prob_map=self.ngrams, langlist=list(self.raw_langs), seed=None)
        return Detector(factory)

    def probs(self, words: list[str]) -> np.ndarray:
        """Dense rows (n-grams × languages) for n-grams known to be in the table."""
        out = np.zeros((len(words), len(self.raw_langs)), np.float64)
        for k, r in enumerate(self.ngrams.rows(words).tolist()):
            a, b = self.indptr[r], self.indptr[r + 1]
            out[k, self.indices[a:b]] = self.data[a:b]
        return out


def _profiles_path() -> Path:
    from importlib.metadata import version

    from translate.config import data_dir

    return data_dir() / "cache" / f"langdetect-{version('langdetect')}-profiles.npz"


def _build_profiles() -> _Profiles:
    """Parse langdetect's 55 JSON profiles into sorted sparse arrays."""
    from langdetect import detector_factory

    factory = detector_factory.DetectorFactory()
    factory.load_profile(detector_factory.PROFILES_DIRECTORY)
    table = factory.word_lang_prob_map
    words = sorted(table)
    dense = np.array([table[w] for w in words], dtype=np.float64)
    rows, cols = np.nonzero(dense)
    indptr = np.searchsorted(rows, np.arange(len(words) + 1)).astype(np.int64)
    return _Profiles(
        _NGrams(np.array(words)),
        indptr,
        cols.astype(np.int16),
        dense[rows, cols],
        tuple(factory.get_lang_list()),
    )


_ARRAYS = ("words", "indptr", "indices", "data", "langs")


def _load_profiles(path: Path) -> _Profiles:
    with np.load(path, allow_pickle=False) as f:
        words, indptr, indices, data, langs = (f[name] for name in _ARRAYS)
    if len(indptr) != len(words) + 1 or len(indices) != len(data) or indptr[-1] != len(data):
        raise ValueError("inconsistent arrays")
    if len(indices) and (indices.min() < 0 or indices.max() >= len(langs)):
        raise ValueError("language index out of range")
    return _Profiles(_NGrams(words), indptr, indices, data, tuple(langs.tolist()))


def _save_profiles(profiles: _Profiles, path: Path) -> None:
    """Write whole or not at all: a reader sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(
                f,
                words=profiles.ngrams.words,
                indptr=profiles.indptr,
                indices=profiles.indices,
                data=profiles.data,
                langs=np.array(profiles.raw_langs),
            )
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would keep other users of a shared data folder out
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@lru_cache(maxsize=1)
def _profiles() -> tuple[_Profiles, tuple[str, ...]]:
    """The profiles (cached as arrays under DATA/cache after the first parse) and their language codes."""
    with _profiles_lock:
        path = _profiles_path()
        profiles = None
        if path.is_file():
            try:
                profiles = _load_profiles(path)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
                log.warning("warning: language profile cache %s is damaged (%s): rebuilding it", path, exc)
        if profiles is None:
            profiles = _build_profiles()
            try:
                _save_profiles(profiles, path)
            except OSError as exc:  # a read-only data folder: parse again next time
                log.warning("warning: language profiles not cached in %s: %s", path, exc)
    return profiles, tuple(_normalise(code) for code in profiles.raw_langs)


def _ranked(text: str, expected: str | None) -> list[tuple[str, float]]:
    """Languages by posterior probability under langdetect's profiles, ``expected`` favoured."""
    profiles, langs = _profiles()
    detector = profiles.detector()
    detector.append(text)  # langdetect's own clean-up (URLs, e-mail addresses, spaces)
    # _extract_ngrams is stable in langdetect 1.0.x; the public API samples n-grams at random.
    counts = Counter(detector._extract_ngrams())
    if not counts:
        return []
    probs = profiles.probs(list(counts))  # each distinct n-gram once
    weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    score = weights @ np.log(probs + _SMOOTHING) / _NGRAM_OVERLAP
    if expected in langs:
        others = (1.0 - EXPECTED_PRIOR) / (len(langs) - 1)
        score += np.where(np.asarray(langs) == expected, np.log(EXPECTED_PRIOR), np.log(others))
    post = np.exp(score - score.max())
    post /= post.sum()
    order = np.argsort(-post, kind="stable")[:3]
    return [(langs[k], float(post[k])) for k in order]


def _profile_case(text: str) -> str:
    """Text in the case the profiles were trained on: an all-capitals headline lower-cased."""
    upper = sum(c.isupper() for c in text)
    return text.lower() if upper > 0.6 * max(1, sum(c.isalpha() for c in text)) else text


def _normalise(code: str) -> str:
    return "zh" if code.startswith("zh") else code


def _expected(hint: str | None) -> str:
    """The language a Latin-script line is expected to be in: the document's, else English."""
    return "en" if hint is None or hint == "ko" else hint


def detect(text: str, hint: str | None = None, *, line: bool = True) -> LangGuess:
    """Detect the language of a sentence, line or paragraph.

    ``hint`` (usually the document's language) settles short Latin-script
    lines that carry no evidence of their own and is the prior for longer ones.
    ``line=False`` (a whole document) leaves out the rule that a line ending in
    Korean is Korean: a brief signed with a Hangul name is still English.
    """
    text = _QUANTITY.sub(" ", text)
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return LangGuess(UNDETERMINED, 1.0, "none")
    hangul = len(_HANGUL.findall(text))
    share = hangul / letters
    if share >= HANGUL_SHARE:
        return LangGuess("ko", round(min(1.0, 0.7 + share), 3), "script")
    last = _LAST_LETTERS.search(text)
    if line and hangul >= 2 and last and _HANGUL.match(last.group(1)):
        # Korean grammar frames the line (it ends in a Korean verb or
        # particle) even though quoted English dominates the letters.
        return LangGuess("ko", 0.9, "script")
    kana = len(_KANA.findall(text))
    han = len(_HAN.findall(text))
    if kana and (kana + han) / letters >= HANGUL_SHARE:
        return LangGuess("ja", 0.99, "script")
    if han / letters >= 0.5 and not kana:
        return LangGuess("zh", 0.95, "script")
    ascii_letters = len(_ASCII_LETTER.findall(text))
    if ascii_letters == letters:
        words = [w.lower().strip("'") for w in _WORD.findall(text)]
        hits = sum(w in _EN_FUNCTION_WORDS for w in words)
        english_only = any(w in _EN_ONLY_WORDS for w in words)
        if english_only and ((hits >= 2 and hits / len(words) >= 0.2) or (hits >= 1 and len(words) <= 4)):
            return LangGuess("en", 0.97, "function-words")
        if len(words) <= 4 or letters < 25:
            # Too short for the profiles to be trusted against the expected language,
            # unless they are near-certain ("Der Grundschulunterricht ist obligatorisch.").
            ranked = _ranked(_profile_case(text), _expected(hint))
            if ranked and ranked[0][0] != _expected(hint) and ranked[0][1] >= SHORT_OVERRULE:
                return LangGuess(ranked[0][0], round(ranked[0][1], 3), "profiles")
            if hint and hint != "ko":
                return LangGuess(hint, 0.6, "hint")
            return LangGuess("en", 0.6, "short-default")
    ranked = _ranked(_profile_case(text), _expected(hint))
    if not ranked:
        return LangGuess(UNDETERMINED, 0.0, "profiles")
    top, p = ranked[0]
    second = ranked[1] if len(ranked) > 1 else (None, 0.0)
    return LangGuess(top, round(p, 3), "profiles", second[0], round(second[1], 3))


def detect_document(text: str) -> LangGuess:
    """Detect a whole article's language from its first few thousand characters."""
    sample = text[:4000]
    guess = detect(sample, line=False)
    if guess.method == "function-words" and len(sample) > 200:
        # Long text: let the profiles (without a prior) confirm and supply the runner-up.
        ranked = _ranked(sample[:2000], None)  # plenty for a language; n-gram scoring is per character
        if ranked and ranked[0][0] != "en" and ranked[0][1] > 0.9:
            top, p = ranked[0]
            return LangGuess(top, round(p, 3), "profiles", "en", 0.0)
        second = next(((lang, p) for lang, p in ranked if lang != "en"), (None, 0.0))
        return LangGuess("en", guess.confidence, guess.method, second[0], round(second[1], 3))
    return guess


def language_problem(declared: str | None, guess: LangGuess) -> str | None:
    """Why a document cannot be processed as declared, in one line; None if it can."""
    if guess.lang == UNDETERMINED:
        return "no language could be detected (no letters, or too little text)"
    if not guess.supported:
        return (
            f"detected language {guess.lang!r} (confidence {guess.confidence:.2f}) is not "
            f"supported; coverage-align handles {', '.join(SUPPORTED)}"
        )
    if declared and declared != guess.lang:
        return f"declared {declared!r} but detected {guess.lang!r} (confidence {guess.confidence:.2f})"
    return None
