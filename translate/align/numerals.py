"""Numbers that survive translation, normalised across English and Korean.

``2만8천500명`` and ``28,500`` are both 28500; ``1조2천억 원`` and ``1.2 trillion
won`` are both 1.2e12; ``31일`` and ``Jan. 31`` both carry 31; ``two`` is 2.
Each mention keeps its surface form for display and a *unit*: the place value
of its last non-zero digit (1000 for 2만8천, 1 for 28,501), so that a rounded
figure is consistent with a precise one it rounds from (2만8천 ~ 28,500) while a
different figure is not (2만 ≠ 28,500, 1만9천 ≠ 18,000).

Beyond digits, both languages write quantities in words: months (September ↔
9월), ordinals (third ↔ 3회, 세 번째), native Korean counters (사흘 ↔ three days,
세 차례, 두 명) and relative years (지난해 ↔ last year). Those are extracted
too, so that a counterpart on the other side is recognised. Words that are as
often idiom as quantity (first, once, 하루, a month name, a relative year) are
*soft*: they match a counterpart but are never flagged on their own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Number", "consistent", "extract", "extract_en", "extract_ko", "unmatched"]


@dataclass(frozen=True)
class Number:
    value: float
    text: str  # as written
    soft: bool = False  # matches a counterpart, but is never reported as unmatched
    kind: str = ""  # "rel-year" (an offset from the current year) never matches a plain number

    @property
    def unit(self) -> float:
        """Place value of the last non-zero digit (0.1 for 3.5, 1000 for 28,000)."""
        v = abs(self.value)
        if v == 0:
            return 1.0
        if v != int(v):
            decimals = len(f"{v:.6f}".rstrip("0").split(".")[1])
            return 10.0**-decimals
        unit = 1
        n = int(v)
        while n % 10 == 0:
            n //= 10
            unit *= 10
        return float(unit)


def consistent(a: Number, b: Number) -> bool:
    """Equal, or equal once the more precise one is rounded to the other's precision."""
    if a.kind != b.kind:
        return False
    if math.isclose(a.value, b.value, rel_tol=1e-9):
        return True
    coarse = max(a.unit, b.unit)
    return coarse >= 100 and abs(a.value - b.value) <= coarse / 2


_EN_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_EN_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(hundred|thousand|million|billion|trillion|bn|mn|tn)\b)?"
    r"|\b(" + "|".join(_EN_WORDS) + r")\b",
    re.IGNORECASE,
)
_SHORT_SCALE = {"bn": 1e9, "mn": 1e6, "tn": 1e12}

_MONTHS = {
    name: k
    for k, names in enumerate(
        (
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ),
        start=1,
    )
    for name in names
}
# Capitalised only: "may" and "march" are also a verb.
_EN_MONTH = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?")
_EN_ORDINALS = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}
_EN_TIMES = {"once": (1, True), "twice": (2, False), "thrice": (3, False)}
_EN_WORD_EXTRA = re.compile(r"\b(" + "|".join([*_EN_ORDINALS, *_EN_TIMES]) + r")\b", re.IGNORECASE)
_EN_REL_YEAR = re.compile(r"\b(last|this|next|previous)\s+year\b", re.IGNORECASE)
_EN_REL = {"last": -1, "previous": -1, "this": 0, "next": 1}

_KO_BIG = (("조", 1e12), ("억", 1e8), ("만", 1e4))
_KO_SMALL = (("천", 1e3), ("백", 1e2))
_KO_NUMBER = re.compile(r"(?<![\d.])\d+(?:[.,]\d+)*(?:\s?[조억만천백](?:\s?\d+(?:[.,]\d+)*)?)*")


def extract_en(text: str) -> list[Number]:
    """Numbers in English text: digits (28,500; 3.5), scales (1.2 trillion), words (two)."""
    out = []
    for m in _EN_NUMBER.finditer(text):
        if m.group(3):
            word = m.group(3).lower()
            if word == "zero":
                continue
            out.append(Number(float(_EN_WORDS[word]), m.group(0)))
            continue
        value = float(m.group(1).replace(",", ""))
        scale = (m.group(2) or "").lower()
        value *= _EN_SCALE.get(scale, _SHORT_SCALE.get(scale, 1.0))
        out.append(Number(value, m.group(0)))
    for m in _EN_MONTH.finditer(text):
        out.append(Number(float(_MONTHS[m.group(1)]), m.group(1), soft=True))
    for m in _EN_WORD_EXTRA.finditer(text):
        word = m.group(1).lower()
        if word in _EN_ORDINALS:
            # "second" is as often a unit of time as an ordinal: soft like every ordinal word.
            out.append(Number(float(_EN_ORDINALS[word]), m.group(1), soft=True))
        else:
            value, soft = _EN_TIMES[word]
            out.append(Number(float(value), m.group(1), soft=soft))
    for m in _EN_REL_YEAR.finditer(text):
        out.append(Number(float(_EN_REL[m.group(1).lower()]), m.group(0), soft=True, kind="rel-year"))
    return out


def _ko_value(token: str) -> float:
    token = token.replace(" ", "").replace(",", "")
    total = 0.0
    rest = token
    for unit, scale in _KO_BIG:
        if unit in rest:
            head, rest = rest.split(unit, 1)
            total += (_ko_small(head) or 1.0) * scale
    return total + _ko_small(rest)


def _ko_small(part: str) -> float:
    total = 0.0
    for unit, scale in _KO_SMALL:
        if unit in part:
            head, part = part.split(unit, 1)
            total += (float(head) if head else 1.0) * scale
    return total + (float(part) if part else 0.0)


_KO_NATIVE = {
    "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
    "아홉": 9, "열": 10, "스무": 20,
}  # fmt: skip
# A native numeral counts only before a counter word: 세 alone is also "tax", 한 "Korea".
_KO_COUNTERS = "번째|차례|번|명|개|곳|가지|살|마리|건|채|시간|달|척|발"
_KO_NATIVE_COUNT = re.compile(
    r"(?<![가-힣])(" + "|".join(sorted(_KO_NATIVE, key=len, reverse=True)) + r")\s?(?:" + _KO_COUNTERS + ")"
)
_KO_FIRST = re.compile(r"(?<![가-힣])첫\s?(?:번째|째|날|회)")
_KO_DAYS = {
    "하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7,
    "여드레": 8, "아흐레": 9, "열흘": 10, "보름": 15,
}  # fmt: skip
_KO_DAY = re.compile(r"(?<![가-힣])(" + "|".join(sorted(_KO_DAYS, key=len, reverse=True)) + ")")
_KO_REL_YEARS = {"지난해": -1, "작년": -1, "재작년": -2, "올해": 0, "금년": 0, "내년": 1}
_KO_REL_YEAR = re.compile(r"(?<![가-힣])(" + "|".join(sorted(_KO_REL_YEARS, key=len, reverse=True)) + ")")


def extract_ko(text: str) -> list[Number]:
    """Numbers in Korean text, including unit-written ones (2만8천500, 1조2천억, 5조6천억원)."""
    out = []
    for m in _KO_NUMBER.finditer(text):
        try:
            out.append(Number(_ko_value(m.group(0)), m.group(0)))
        except ValueError:
            continue
    for m in _KO_NATIVE_COUNT.finditer(text):
        # 한 is also the article "a" (한 달 = a month): soft.
        out.append(Number(float(_KO_NATIVE[m.group(1)]), m.group(0), soft=m.group(1) == "한"))
    for m in _KO_FIRST.finditer(text):
        out.append(Number(1.0, m.group(0), soft=True))
    for m in _KO_DAY.finditer(text):
        # 하루 is as often "daily" or "a single day" as a count: soft.
        out.append(Number(float(_KO_DAYS[m.group(1)]), m.group(1), soft=m.group(1) == "하루"))
    for m in _KO_REL_YEAR.finditer(text):
        out.append(Number(float(_KO_REL_YEARS[m.group(1)]), m.group(1), soft=True, kind="rel-year"))
    return out


def extract(text: str, lang: str) -> list[Number]:
    return extract_ko(text) if lang == "ko" else extract_en(text)


def unmatched(left: list[Number], right: list[Number]) -> tuple[list[Number], list[Number]]:
    """Numbers on each side with no consistent counterpart on the other side."""
    only_left = [a for a in left if not a.soft and not any(consistent(a, b) for b in right)]
    only_right = [b for b in right if not b.soft and not any(consistent(a, b) for a in left)]
    return only_left, only_right
