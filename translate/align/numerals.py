"""Numbers that survive translation, normalised across English and Korean.

``2만8천500명`` and ``28,500`` are both 28500; ``1조2천억 원`` and ``1.2 trillion
won`` are both 1.2e12; ``31일`` and ``Jan. 31`` both carry 31; ``two`` is 2.
Each mention keeps its surface form for display and a *unit*: the place value
of its last non-zero digit (1000 for 2만8천, 1 for 28,501), so that a rounded
figure is consistent with a precise one it rounds from (2만8천 ~ 28,500) while a
different figure is not (2만 ≠ 28,500, 1만9천 ≠ 18,000).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Number:
    value: float
    text: str  # as written

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


def extract_ko(text: str) -> list[Number]:
    """Numbers in Korean text, including unit-written ones (2만8천500, 1조2천억, 5조6천억원)."""
    out = []
    for m in _KO_NUMBER.finditer(text):
        try:
            out.append(Number(_ko_value(m.group(0)), m.group(0)))
        except ValueError:
            continue
    return out


def extract(text: str, lang: str) -> list[Number]:
    return extract_ko(text) if lang == "ko" else extract_en(text)


def unmatched(left: list[Number], right: list[Number]) -> tuple[list[Number], list[Number]]:
    """Numbers on each side with no consistent counterpart on the other side."""
    only_left = [a for a in left if not any(consistent(a, b) for b in right)]
    only_right = [b for b in right if not any(consistent(a, b) for a in left)]
    return only_left, only_right
