"""Language identification: script evidence first, langdetect where it helps.

langdetect is good on paragraphs of Latin-script text and poor on short or
mixed lines ("He added." can come out Dutch). Script is near-certain evidence
for Korean, so the order is:

1. no letters at all (numbers, punctuation, empty): ``und``;
2. Hangul ≥ 30 % of letters, or a line that ends in Korean: ``ko``, even
   with quoted English or acronyms (quantities such as 2만8천 don't count);
3. kana: ``ja``; Han without kana or Hangul: ``zh``;
4. Latin with plain English function words and no diacritics: ``en``;
5. short ASCII-only Latin lines with no other evidence: ``en`` at lower
   confidence (in English/Korean coverage that is what they are: bylines,
   photo credits, agency names), or the caller's ``hint``;
6. everything else: langdetect, seeded so results never vary between runs.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

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
_langdetect_lock = threading.Lock()
_langdetect_ready = False


@dataclass(frozen=True)
class LangGuess:
    """A language code (ISO 639-1, or ``und``) with its confidence."""

    lang: str
    confidence: float
    method: str  # "none", "script", "function-words", "short-default", "hint", "langdetect"
    runner_up: str | None = None
    runner_up_confidence: float = 0.0

    @property
    def supported(self) -> bool:
        return self.lang in SUPPORTED


def _langdetect(text: str) -> list[tuple[str, float]]:
    global _langdetect_ready
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    with _langdetect_lock:
        if not _langdetect_ready:
            DetectorFactory.seed = 0  # every Detector is built with this seed
            _langdetect_ready = True
        try:
            found = detect_langs(text)
        except LangDetectException:
            return []
    return [(_normalise(g.lang), g.prob) for g in found]


def _normalise(code: str) -> str:
    return "zh" if code.startswith("zh") else code


def detect(text: str, hint: str | None = None) -> LangGuess:
    """Detect the language of a sentence, line or paragraph.

    ``hint`` (usually the document's language) settles short Latin-script
    lines that carry no evidence of their own.
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
    if hangul >= 2 and last and _HANGUL.match(last.group(1)):
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
        if (hits >= 2 and hits / len(words) >= 0.2) or (hits >= 1 and len(words) <= 4):
            return LangGuess("en", 0.97, "function-words")
        if len(words) <= 4 or letters < 25:
            if hint and hint != "ko":
                return LangGuess(hint, 0.6, "hint")
            return LangGuess("en", 0.6, "short-default")
    ranked = _langdetect(text)
    if not ranked:
        return LangGuess(UNDETERMINED, 0.0, "langdetect")
    top, p = ranked[0]
    second = ranked[1] if len(ranked) > 1 else (None, 0.0)
    return LangGuess(top, round(p, 3), "langdetect", second[0], round(second[1], 3))


def detect_document(text: str) -> LangGuess:
    """Detect a whole article's language from its first few thousand characters."""
    sample = text[:4000]
    guess = detect(sample)
    if guess.method == "function-words" and len(sample) > 200:
        # Long text: let langdetect confirm and supply the runner-up.
        ranked = _langdetect(sample)
        if ranked and ranked[0][0] != "en" and ranked[0][1] > 0.9:
            top, p = ranked[0]
            return LangGuess(top, round(p, 3), "langdetect", "en", 0.0)
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
