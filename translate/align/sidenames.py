"""Names that only one side of a linked pair gives: a speaker, a place, an organisation.

Inside a pair, "what each side reported" includes who said it: the English
often names a speaker ("Lee Jae-myung said") where the Korean gives a title
alone, or the Korean names an official the English leaves out. Such a name is
a detail of its side, shown as quietly as a number only one side gives, and
never a conflict or a reason to call the pair anything else.

English names are runs of capitalised words (not a sentence's capitalised
function word, a weekday or a month); Korean names are Kiwi's proper nouns.
Each is looked for on the other side as ``names`` matches them (romanised
consonant skeletons, surnames before a title), plus a few country names that
romanisation cannot meet (한국 ~ Korea).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from translate.align.names import english_keys, korean_keys

__all__ = ["english_names", "one_side_names"]

_RUN = re.compile(r"\b[A-Z][a-zA-Z]*(?:[-'][A-Za-z]+)*(?:\s+[A-Z][a-zA-Z]*(?:[-'][A-Za-z]+)*)*")
# Capitalised words that name nobody: at a sentence's start, weekdays, months, titles alone.
_NOT_NAMES = set(
    """the a an this that these those he she it they we i you his her its their our my your
    in on at for but and or as after before when while if since despite according meanwhile however
    also some many most all both there here what who why how no not yes one two three local officials
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december mr mrs ms dr president minister prime chairman ceo
    foreign finance defense defence unification trade vice deputy spokesperson spokesman governor mayor
    chief lawmaker rep sen gen coach jan feb mar apr jun jul aug sep sept oct nov dec
    english french german spanish arabic latin
    """.split()
)
# Languages, which Kiwi tags as proper nouns: no person, place or organisation a side leaves out.
_KO_NOT_NAMES = set(
    """영어 한국어 국어 한글 한자 일본어 중국어 불어 독어
    프랑스어 독일어 스페인어 러시아어 아랍어 라틴어""".split()
)
# Names whose Korean form romanisation cannot meet: each English word → Korean forms.
_ALIASES = {
    "korea": ("한국", "대한민국", "우리나라"),
    "korean": ("한국", "대한민국"),
    "koreans": ("한국",),
    "america": ("미국",),
    "american": ("미국",),
    "u.s": ("미국",),
    "us": ("미국",),
    "japan": ("일본",),
    "japanese": ("일본",),
    "china": ("중국",),
    "chinese": ("중국",),
    "russia": ("러시아",),
    "pyongyang": ("북한", "평양"),
    "washington": ("미국", "워싱턴"),
    # Institutions that each newsroom names in its own words.
    "bank": ("한국은행", "한은"),
    "monetary": ("금통위", "금융통화위원회"),
    "meteorological": ("기상청",),
    "kma": ("기상청",),
    "disaster": ("중앙재난안전대책본부", "중대본", "행정안전부", "행안부"),
    "interior": ("행정안전부", "행안부"),
}


# The country of Korean coverage goes without saying in the Korean text.
_IMPLIED = {"korea", "south", "korean", "koreans"}
_OPENING = re.compile(r"^[\s\"'“‘(\[-]*$")


def english_names(text: str) -> list[str]:
    """Runs of capitalised words that may name someone or somewhere, as written.

    A single capitalised word at the start of the sentence is taken for an
    ordinary word ("Torrential rain …"), as is a dateline in capitals (SEOUL).
    """
    out = []
    for m in _RUN.finditer(text):
        words = m.group(0).split()
        at_start = bool(_OPENING.match(text[: m.start()]))
        while words and words[0].lower() in _NOT_NAMES:
            words, at_start = words[1:], False
        if not words or all(w.lower() in _NOT_NAMES | _IMPLIED for w in words):
            continue
        if len(words) == 1 and (at_start or (words[0].isupper() and len(words[0]) > 3)):
            continue
        out.append(" ".join(words))
    return list(dict.fromkeys(out))


def _en_found(name: str, ko_keys: set[str], ko_text: str) -> bool:
    keys = {k for k in english_keys(name) if k.lstrip("=") not in _NOT_NAMES}
    if keys & ko_keys:
        return True
    return any(form in ko_text for w in name.split() for form in _ALIASES.get(w.lower().rstrip("."), ()))


def _ko_found(noun: str, en_keys: set[str], en_text: str) -> bool:
    keys = korean_keys([noun])
    if keys & en_keys:
        return True
    # 경부선 is the Gyeongbu line: an English name may drop the Korean noun's last syllable.
    if len(noun) >= 3 and korean_keys([noun[:-1]]) & {k for k in en_keys if len(k) >= 3}:
        return True
    lowered = en_text.lower()
    return any(noun in forms and re.search(rf"\b{re.escape(w)}\b", lowered) for w, forms in _ALIASES.items())


def one_side_names(
    en: Sequence[str], ko: Sequence[str], ko_proper: Sequence[Sequence[str]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A pair's names without a counterpart: (English only, Korean only).

    ``en`` and ``ko`` are the pair's sentences, ``ko_proper`` each Korean
    sentence's proper nouns (Kiwi NNP).
    """
    en_text, ko_text = " ".join(en), " ".join(ko)
    nouns = [n for ns in ko_proper for n in ns if len(n) >= 2]
    ko_keys = korean_keys(nouns, ko_text)
    en_keys = english_keys(en_text)
    only_en = tuple(n for n in english_names(en_text) if not _en_found(n, ko_keys, ko_text))
    only_ko = tuple(
        n for n in dict.fromkeys(nouns) if n not in _KO_NOT_NAMES and not _ko_found(n, en_keys, en_text)
    )
    return only_en, only_ko
