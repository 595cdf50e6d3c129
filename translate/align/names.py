"""Names on both sides: a Korean proper noun romanised, found among the English capitalised words.

Quotes are the commonest miss: the English names a speaker ("Yoon Suk Yeol
said"), the Korean reports them by name or by title and surname (윤석열 대통령은,
윤 대통령은). Places fare the same (포항 ↔ Pohang). Proper nouns come from Kiwi's
tagger (NNP); each is romanised (Revised Romanisation, written here from the
Hangul syllable arithmetic) with the usual English spellings of its surname
(이 → Lee, 박 → Park), and compared with runs of capitalised English words by
consonant skeleton, which forgives the spelling variants that newsrooms use
(Yoon Suk Yeol ~ 윤석열 = yun-seok-yeol).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from translate.align.pairs import each_pair

__all__ = [
    "english_keys",
    "english_spellings",
    "korean_keys",
    "korean_spellings",
    "name_feature",
    "romanise",
    "skeleton",
    "speech",
]

_INITIAL = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_MEDIAL = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
    "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip
_FINAL = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
    "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
]  # fmt: skip
# Surnames as English-language newsrooms write them.
_SURNAMES = {
    "이": ("lee", "yi", "rhee"), "박": ("park", "pak"), "김": ("kim",), "최": ("choi", "choe"),
    "정": ("jung", "chung", "jeong"), "윤": ("yoon", "yun"), "문": ("moon",), "한": ("han",),
    "조": ("cho", "jo"), "장": ("jang", "chang"), "임": ("lim", "im"), "강": ("kang",),
    "오": ("oh",), "서": ("seo", "suh"), "신": ("shin",), "권": ("kwon",), "황": ("hwang",),
    "안": ("ahn",), "송": ("song",), "류": ("ryu", "yoo"), "유": ("yoo", "yu"), "전": ("jeon", "chun"),
    "홍": ("hong",), "고": ("ko", "koh"), "손": ("son", "sohn"), "배": ("bae",), "백": ("baek", "paik"),
    "허": ("heo", "huh"), "남": ("nam",), "심": ("shim",), "노": ("roh", "noh"), "하": ("ha",),
    "곽": ("kwak",), "성": ("sung",), "차": ("cha",), "주": ("joo", "choo"), "우": ("woo",),
    "구": ("koo", "ku"), "민": ("min",), "나": ("na",), "진": ("jin",), "추": ("choo",),
    "반": ("ban",), "원": ("won",), "천": ("cheon",), "양": ("yang",), "현": ("hyun",),
    "봉": ("bong",), "엄": ("uhm", "eom"), "변": ("byun",), "방": ("bang",), "염": ("yeom",),
}  # fmt: skip
# Titles after a bare surname (윤 대통령): the surname alone then names the speaker.
_TITLES = (
    "대통령 장관 총리 대변인 의원 위원장 대표 감독 총재 회장 국무위원장 "
    "청장 사장 교수 대사 선수 씨 9단 당선인 후보"
).split()
# A bare surname before a title, from the text itself: the tagger reads 이 대표 as "this".
_SURNAME_TITLE = re.compile(
    r"(?<![가-힣])("
    + "|".join(_SURNAMES)
    + r")\s?(?:"
    + "|".join(_TITLES)
    + r")(?=[^가-힣]|[은는이가을를의에도과와]|$)"
)
_CAPS = re.compile(r"\b[A-Z][a-zA-Z]*(?:-[a-zA-Z]+)?")
_EN_SPEECH = re.compile(r"\b(?:said|says|told|added|stated|announced|according to|quoted)\b")
_KO_SPEECH = re.compile(r"(?:말했|밝혔|전했|강조했|덧붙였|설명했|주장했|발표했|라고|다고)")


def romanise(word: str) -> str:
    """Revised Romanisation of Hangul syllables, letter by letter (no sound-change rules)."""
    out = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIAL[code // 588] + _MEDIAL[(code % 588) // 28] + _FINAL[code % 28])
        elif ch.isascii() and ch.isalpha():
            out.append(ch.lower())
    return "".join(out)


def skeleton(latin: str) -> str:
    """Consonants only, voiced and unvoiced merged: spelling variants of one name meet."""
    s = re.sub(r"[^a-z]", "", latin.lower())
    for a, b in (("ng", "n"), ("ch", "j"), ("sh", "s"), ("ph", "p"), ("ck", "k"), ("kk", "k"), ("tt", "t")):
        s = s.replace(a, b)
    s = s.translate(str.maketrans("gdbrcqfvz", "ktplkkpps"))
    s = re.sub(r"[aeiouwyh]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def korean_keys(nouns: Sequence[str], text: str = "") -> set[str]:
    """Keys of a sentence's proper nouns (skeletons) and surnames ('=lee'), to meet ``english_keys``.

    A Korean full name also yields its surname alone, as later English mentions
    use it (Lee, Park); a bare surname counts only before a title (이 대표).
    """
    return set(korean_spellings(nouns, text))


def korean_spellings(nouns: Sequence[str], text: str = "") -> dict[str, str]:
    """Each of ``korean_keys`` with the Korean word that made it first, for people to read."""
    out: dict[str, str] = {}
    for noun in nouns:
        variants = [romanise(noun)]
        if noun[:1] in _SURNAMES and 3 <= len(noun) <= 4:
            variants += [s + romanise(noun[1:]) for s in _SURNAMES[noun[0]]]
            for s in _SURNAMES[noun[0]]:
                out.setdefault(f"={s}", noun[0])
        for k in (skeleton(v) for v in variants):
            if len(k) >= 2:
                out.setdefault(k, noun)
    for m in _SURNAME_TITLE.finditer(text):
        for s in _SURNAMES[m.group(1)]:
            out.setdefault(f"={s}", m.group(1))
    return out


def english_keys(text: str) -> set[str]:
    """Skeletons of runs of one to three capitalised words, and each word itself (as '=word')."""
    return set(english_spellings(text))


def english_spellings(text: str) -> dict[str, str]:
    """Each of ``english_keys`` with the words that made it first ("prk" -> "Park"), for people to read."""
    words = _CAPS.findall(text)
    out = {f"={w.lower()}": w for w in words}
    for n in (1, 2, 3):
        for k in range(len(words) - n + 1):
            sk = skeleton("".join(words[k : k + n]))
            if len(sk) >= 2:
                out.setdefault(sk, " ".join(words[k : k + n]))
    return out


def speech(text: str, lang: str) -> bool:
    return bool((_EN_SPEECH if lang == "en" else _KO_SPEECH).search(text))


def name_feature(
    en_keys: Sequence[set[str]], ko_keys: Sequence[set[str]], pairs: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """Share of the Korean sentence's names found in the English one (0 when it names none)."""
    i, j = pairs
    out = np.zeros(len(i), np.float32)
    for k, a, b in each_pair(i, j):
        if ko_keys[b]:
            out[k] = len(ko_keys[b] & en_keys[a]) / len(ko_keys[b])
    return out
