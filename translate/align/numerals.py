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

Each mention also gets a *role* where the words around it say what it counts
(``person`` for 명 and "people", ``percent``, ``won``, ``hour`` and ``minute``
for 10시 31분 and "10:30 a.m.", ``day`` for 31일 and "Jan. 31", ``article``
for 제77조 and "Article 77", …). Two numbers left without a counterpart in a
linked pair are a *conflict* only when they share a role: both sides state
the same kind of quantity with different values. Any other unmatched number
is a detail that only one side gives (``differences``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "Differences",
    "Number",
    "consistent",
    "differences",
    "extract",
    "extract_en",
    "extract_ko",
    "unmatched",
]


@dataclass(frozen=True)
class Number:
    value: float
    text: str  # as written
    soft: bool = False  # matches a counterpart, but is never reported as unmatched
    kind: str = ""  # "rel-year" (an offset from the current year) never matches a plain number
    role: str = ""  # what it counts (person, percent, won, hour, day, …), "" when unknown
    bound: str = ""  # "over" (more than 20, 1천500여), "under" (less than), "about" (some, 약)
    clock: float | None = None  # a clock time's minute keeps its hour: 10:30 and 10시 31분 carry 10
    span: tuple[float, float] | None = None  # an end of a range (100-150mm, 50∼100㎜): both ends

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
    if a.role == b.role == "hour" and a.value % 12 == b.value % 12:
        return True  # 16:14 is 오후 4시 14분
    coarse = max(a.unit, b.unit)
    return coarse >= 100 and abs(a.value - b.value) <= coarse / 2


_EN_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_EN_TENS = {
    w: 10 * k for k, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_EN_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_UNITS_RE = "one|two|three|four|five|six|seven|eight|nine"
# "Forty-six" is one number, not "six"; "two million" is 2e6.
_EN_WORD_NUMBER = (
    r"(?:(?:" + "|".join(_EN_TENS) + r")(?:[- ](?:" + _UNITS_RE + r"))?"
    r"|" + "|".join(sorted(_EN_WORDS, key=len, reverse=True)) + r")"
)
_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(hundred|thousand|million|billion|trillion|bn|mn|tn)\b)?"
    r"|\b(" + _EN_WORD_NUMBER + r")\b(?:\s+(hundred|thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_EN_CLOCK = re.compile(r"(?<![\w.:])([012]?\d):([0-5]\d)(?![\d:])")
_EN_LEGAL = re.compile(r"\b(Article|Paragraph|Clause)\s+(\d+)\b", re.IGNORECASE)
# Broadcast style spells decimals out: "one-point-75 percent" is 1.75, "three-point-nine" 3.9.
_DIGIT_WORDS = {w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_DIGIT_WORD = "|".join(_DIGIT_WORDS)
_EN_SPOKEN_DECIMAL = re.compile(
    r"\b(" + _EN_WORD_NUMBER + r"|\d+)-point-(\d+|(?:" + _DIGIT_WORD + r")(?:-(?:" + _DIGIT_WORD + r"))*)\b",
    re.IGNORECASE,
)
# Every alternative sits right before the number: "over the weekend, 20 people" has no bound.
_EN_BOUND = re.compile(
    r"\b(?:(?P<over>more than|over|at least|upwards of)|(?P<under>less than|under|fewer than|at most|up to)|"
    r"(?P<about>nearly|almost|about|around|some|roughly|approximately|close to|an estimated))"
    r"\s+\$?$",
    re.IGNORECASE,
)
_KO_BOUND_BEFORE = re.compile(r"(?:(?P<over>최소)|(?P<under>최대)|(?P<about>약|대략))\s?$")
_KO_BOUND_AFTER = re.compile(
    r"\s?(?:(?P<over>여|남짓|이상|넘는|넘게|초과)|(?P<under>미만|이하)|(?P<about>가량|안팎|쯤|정도|께))"
)
# Or after the counter: 20명 이상, 150㎜ 넘게 (not 여, which starts words: 3명 여행객).
_KO_BOUND_AFTER_UNIT = re.compile(
    r"\s?(?:명|채|가구|곳|건|개|톤|㎜|mm|㎞|km|%|원|달러|시|분|일)\s?"
    r"(?:(?P<over>남짓|이상|넘는|넘게|초과)|(?P<under>미만|이하)|(?P<about>가량|안팎|쯤|정도|께))"
)


def _bound(m: re.Match[str] | None) -> str:
    return next((k for k, v in m.groupdict().items() if v), "") if m else ""


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

# What a number counts, from the words right after it (English: also "$" and
# "aged" before it). Unknown is "": such a number is never part of a conflict.
_EN_AFTER = [
    # A gap between two shares (0.73 percentage point) is not a share.
    (re.compile(r"\s?(?:percentage points?\b|%\s?points?\b|pct points?\b)"), "points"),
    (re.compile(r"\s?(?:%|percent\b|per cent\b)"), "percent"),
    (re.compile(r"\s?won\b"), "won"),
    (re.compile(r"\s?(?:dollars?|usd)\b"), "usd"),
    (re.compile(r"\s?yen\b"), "yen"),
    (re.compile(r"\s?euros?\b"), "eur"),
    (re.compile(r"\s?(?:a\.m\.?|p\.m\.?|am\b|pm\b|o'clock)"), "hour"),
    (re.compile(r"[\s-]years?[\s-]old\b"), "age"),
    (
        re.compile(
            r"[\s-](?:[a-z]+\s)?(?:people|persons?|residents|workers|passengers|victims|soldiers|children|"
            r"students|members|patients|citizens|employees|individuals|civilians|firefighters|officers|"
            r"troops|lawmakers|adults|men|women|deaths|dead|casualties|fatalities|injured)\b"
        ),
        "person",
    ),
    (re.compile(r"[\s-](?:[a-z]+\s)?(?:homes|houses|buildings)\b"), "houses"),
    (re.compile(r"[\s-](?:[a-z]+\s)?households\b"), "households"),
    (re.compile(r"[\s-](?:years?)\b"), "years"),
    (re.compile(r"[\s-](?:months?)\b"), "months"),
    (re.compile(r"[\s-](?:weeks?)\b"), "weeks"),
    (re.compile(r"[\s-](?:days?)\b"), "days"),
    (re.compile(r"[\s-](?:hours?)\b"), "hours"),
    (re.compile(r"[\s-](?:minutes?)\b"), "minutes"),
    (re.compile(r"\s(?:times)\b"), "times"),
    (re.compile(r"\s?(?:km|kilomet(?:er|re)s?)\b"), "km"),
    (re.compile(r"\s?(?:tons?|tonnes?)\b"), "tons"),
    (re.compile(r"\s?(?:mm|millimet(?:er|re)s?)\b"), "mm"),
    (re.compile(r"(?:st|nd|rd|th)\s(?:minute)\b"), "minute"),  # a match's 41st minute is 41분
    (re.compile(r"(?:st|nd|rd|th)\b"), "ordinal"),
]
_EN_BEFORE_MONTH = re.compile(r"\b(?:" + "|".join(_MONTHS) + r")\.?\s$")


# A time or hour in another zone (07:00 UTC, 1915 GMT) is neither a year nor the other side's local time.
_EN_ZONE = re.compile(r"\s?(?:GMT|UTC)\b")


def _en_role(text: str, start: int, end: int, value: float) -> str:
    before, after = text[max(0, start - 12) : start], text[end : end + 40].lower()
    if _EN_ZONE.match(text, end):
        return ""
    if before.endswith("$"):
        return "usd"
    if re.search(r"\baged\s$", before, re.IGNORECASE):
        return "age"
    if _EN_BEFORE_MONTH.search(before) and value <= 31:
        return "day"
    for pattern, role in _EN_AFTER:
        if pattern.match(after):
            return role
    if value == int(value) and 1800 <= value <= 2100:
        return "year"
    return ""


_KO_BIG = (("조", 1e12), ("억", 1e8), ("만", 1e4))
_KO_SMALL = (("천", 1e3), ("백", 1e2))
# Commas group thousands only (1,234,567): a countdown "5,4,3,2,1" is five numbers, not 54,321.
_KO_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_KO_NUMBER = re.compile(rf"(?<![\d.]){_KO_DIGITS}(?:\s?[조억만천백](?:\s?{_KO_DIGITS})?)*")
# 제77조 5항 is Article 77, paragraph 5, not 77 trillion and 5: read before the figures.
_KO_LEGAL = re.compile(r"제\s?(\d+)\s?(조|항|호|장|절)")
_KO_LEGAL_ROLE = {"조": "article", "항": "paragraph", "호": "item", "장": "chapter", "절": "section"}
_KO_AFTER = [
    (re.compile(r"\s?(?:%|퍼센트)\s?(?:포인트|p(?![a-z]))"), "points"),
    (re.compile(r"\s?(?:%|퍼센트|프로)"), "percent"),
    (re.compile(r"\s?원"), "won"),
    (re.compile(r"\s?달러"), "usd"),
    (re.compile(r"\s?엔"), "yen"),
    (re.compile(r"\s?유로"), "eur"),
    (re.compile(r"\s?시간"), "hours"),
    (re.compile(r"\s?시(?![장민청의내기설작각])"), "hour"),
    (re.compile(r"\s?분\s?(?:간|동안|만에|뒤|후)"), "minutes"),  # 3분 만에: a duration, not a clock minute
    (re.compile(r"\s?분(?![기야석의])"), "minute"),
    (re.compile(r"\s?명"), "person"),
    (re.compile(r"\s?채(?![권택용무])"), "houses"),
    (re.compile(r"\s?가구"), "households"),
    (re.compile(r"\s?(?:세|살)(?!대)"), "age"),
    (re.compile(r"\s?개월"), "months"),
    (re.compile(r"\s?월"), "month"),
    (re.compile(r"\s?일\s?(?:간|동안|만에)"), "days"),
    (re.compile(r"\s?일(?![본부반대])"), "day"),
    (re.compile(r"\s?주\s?(?:간|일|동안|만에)"), "weeks"),
    (re.compile(r"\s?(?:번째|회째|차)"), "ordinal"),
    (re.compile(r"\s?(?:번|차례|회)"), "times"),
    (re.compile(r"\s?(?:km|킬로미터|㎞)"), "km"),
    (re.compile(r"\s?톤"), "tons"),
    (re.compile(r"\s?(?:㎜|mm|밀리미터)"), "mm"),
    (re.compile(r"\s?항"), "paragraph"),
]


def _ko_role(text: str, end: int, value: float) -> str:
    after = text[end : end + 10]
    after = re.sub(r"^\s?(?:여|가량|남짓|이상|미만)", "", after)  # 1천500여 채: "more than" 1,500 houses
    if re.match(r"\s?년\s?(?:간|동안)", after):
        return "years"
    if re.match(r"\s?년", after):
        return "year" if value >= 1000 else "years"
    for pattern, role in _KO_AFTER:
        if pattern.match(after):
            return role
    return ""


def _en_word_value(words: str) -> float:
    parts = re.split(r"[- ]", words.lower())
    return float(sum(_EN_TENS.get(w, _EN_WORDS.get(w, 0)) for w in parts))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out spans already read, keeping every offset."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


# Two figures joined as a range: 100-150mm, 50∼100㎜, 3 to 5 percent, between 3 and 5 (not "from
# 3 to 5", a change). The text before the first and the text between them are matched.
_EN_RANGE = (re.compile(r"between\s$", re.IGNORECASE), re.compile(r"\s?[-–]\s?|\s+to\s+|\s+and\s+"))
_KO_RANGE = (None, re.compile(r"\s?[~∼～-]\s?"))
_EN_FROM = re.compile(r"\bfrom\s$", re.IGNORECASE)


def _ranges(
    text: str, figures: list[tuple[int, int, Number]], joins: tuple[re.Pattern[str] | None, re.Pattern[str]]
) -> list[Number]:
    """The figures, each end of a range given its span and the upper end's role when it has none."""
    between, sep = joins
    out = [n for _, _, n in figures]
    for k in range(len(figures) - 1):
        (a0, a1, lo), (b0, _, hi) = figures[k], figures[k + 1]
        gap = text[a1:b0]
        if not sep.fullmatch(gap) or not lo.value < hi.value:
            continue
        before = text[max(0, a0 - 8) : a0]
        if gap.strip() == "and" and not (between and between.search(before)):
            continue  # "3 and 5" alone is two figures
        if _EN_FROM.search(before):
            continue
        span = (lo.value, hi.value)
        out[k] = Number(lo.value, lo.text, lo.soft, lo.kind, lo.role or hi.role, lo.bound, lo.clock, span)
        out[k + 1] = Number(hi.value, hi.text, hi.soft, hi.kind, hi.role or lo.role, hi.bound, hi.clock, span)
    return out


def extract_en(text: str) -> list[Number]:
    """Numbers in English text: digits (28,500; 3.5), scales (1.2 trillion), words (two, forty-six)."""
    out = []
    taken: list[tuple[int, int]] = []
    for m in _EN_CLOCK.finditer(text):
        zoned = bool(_EN_ZONE.match(text, m.end()))
        hour = float(m.group(1))
        # "around 10:30 a.m.": a hedged time, as a hedged figure
        bound = _bound(_EN_BOUND.search(text[max(0, m.start() - 20) : m.start()]))
        out += [
            Number(hour, m.group(0), role="" if zoned else "hour", bound=bound),
            Number(float(m.group(2)), m.group(0), role="" if zoned else "minute", bound=bound, clock=hour),
        ]
        taken.append(m.span())
    for m in _EN_SPOKEN_DECIMAL.finditer(text):
        whole = _en_word_value(m.group(1)) if not m.group(1).isdigit() else float(m.group(1))
        frac = m.group(2)
        if not frac.isdigit():
            frac = "".join(_DIGIT_WORDS[w.lower()] for w in frac.split("-"))
        value = whole + float("0." + frac)
        out.append(Number(value, m.group(0), role=_en_role(text, m.start(), m.end(), value)))
        taken.append(m.span())
    for m in _EN_LEGAL.finditer(text):
        out.append(
            Number(float(m.group(2)), m.group(0), role=m.group(1).lower().replace("clause", "article"))
        )
        taken.append(m.span())
    masked = _mask(text, taken)
    figures: list[tuple[int, int, Number]] = []
    for m in _EN_NUMBER.finditer(masked):
        if m.group(3):
            value = _en_word_value(m.group(3))
            if value == 0:
                continue
            value *= _EN_SCALE.get((m.group(4) or "").lower(), 1.0)
        else:
            value = float(m.group(1).replace(",", ""))
            scale = (m.group(2) or "").lower()
            value *= _EN_SCALE.get(scale, _SHORT_SCALE.get(scale, 1.0))
        bound = _bound(_EN_BOUND.search(text[max(0, m.start() - 20) : m.start()]))
        role = _en_role(text, m.start(), m.end(), value)
        figures.append((m.start(), m.end(), Number(value, m.group(0), role=role, bound=bound)))
    out += _ranges(text, figures, _EN_RANGE)
    for m in _EN_MONTH.finditer(text):
        out.append(Number(float(_MONTHS[m.group(1)]), m.group(1), soft=True, role="month"))
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


_KO_NATIVE_UNITS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}
_KO_NATIVE_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50}
_KO_NATIVE_WORD = (
    r"(?:(?:열|스물|서른|마흔|쉰)(?:" + "|".join(sorted(_KO_NATIVE_UNITS, key=len, reverse=True)) + r")"
    r"|" + "|".join(sorted([*_KO_NATIVE_UNITS, *_KO_NATIVE_TENS], key=len, reverse=True)) + ")"
)
# A native numeral counts before a counter word (세 차례), or as a word of its own
# before a noun (두 자녀); 한 only as soft (한 달 = a month), and neither 한 nor
# 네 ("yes") before a bare noun. Attached to a word it is something else: 세금, 한국.
_KO_COUNTERS = "번째|차례|번|명|개|곳|가지|살|마리|건|채|시간|달|척|발|가구|개국|자녀|사람"
_KO_COUNTER_ROLE = {
    "명": "person",
    "사람": "person",
    "차례": "times",
    "번": "times",
    "살": "age",
    "시간": "hours",
}
_KO_NATIVE_COUNT = re.compile(r"(?<![가-힣])(" + _KO_NATIVE_WORD + r")\s?(" + _KO_COUNTERS + ")")
_KO_NATIVE_BEFORE_NOUN = re.compile(r"(?<![가-힣])(" + _KO_NATIVE_WORD + r")\s+(?=[가-힣])")
# 양국 (the two countries), 양측, 양사: "both" carries a 2 that "two nations" matches.
_KO_BOTH = re.compile(r"(?<![가-힣])양(?:국|측|사|당|자|정상|기관)")


def _ko_native_value(word: str) -> float:
    if word in _KO_NATIVE_TENS:
        return float(_KO_NATIVE_TENS[word])
    if word in _KO_NATIVE_UNITS:
        return float(_KO_NATIVE_UNITS[word])
    return float(
        _KO_NATIVE_TENS[word[:-1]] if word[:-1] in _KO_NATIVE_TENS else _KO_NATIVE_TENS[word[:2]]
    ) + float(_KO_NATIVE_UNITS[word[1:] if word[:1] in _KO_NATIVE_TENS else word[2:]])


_KO_FIRST = re.compile(r"(?<![가-힣])첫\s?(?:번째|째|날|회)")
_KO_DAYS = {
    "하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7,
    "여드레": 8, "아흐레": 9, "열흘": 10, "보름": 15,
}  # fmt: skip
_KO_DAY = re.compile(r"(?<![가-힣])(" + "|".join(sorted(_KO_DAYS, key=len, reverse=True)) + ")")
_KO_REL_YEARS = {"지난해": -1, "작년": -1, "재작년": -2, "올해": 0, "금년": 0, "내년": 1}
_KO_REL_YEAR = re.compile(r"(?<![가-힣])(" + "|".join(sorted(_KO_REL_YEARS, key=len, reverse=True)) + ")")


_KO_CLOCK_HOUR = re.compile(r"(\d{1,2})\s?시\s?$")  # 10시 31분: the minute of 10 o'clock


def extract_ko(text: str) -> list[Number]:
    """Numbers in Korean text, including unit-written ones (2만8천500, 1조2천억, 5조6천억원)."""
    out = []
    taken: list[tuple[int, int]] = []
    for m in _KO_LEGAL.finditer(text):
        out.append(Number(float(m.group(1)), m.group(0), role=_KO_LEGAL_ROLE[m.group(2)]))
        taken.append(m.span())
    masked = _mask(text, taken)
    figures: list[tuple[int, int, Number]] = []
    for m in _KO_NUMBER.finditer(masked):
        try:
            value = _ko_value(m.group(0))
        except ValueError:
            continue
        bound = (
            _bound(_KO_BOUND_BEFORE.search(masked[max(0, m.start() - 4) : m.start()]))
            or _bound(_KO_BOUND_AFTER.match(masked, m.end()))
            or _bound(_KO_BOUND_AFTER_UNIT.match(masked, m.end()))
        )
        role = _ko_role(masked, m.end(), value)
        hour = _KO_CLOCK_HOUR.search(masked[max(0, m.start() - 6) : m.start()]) if role == "minute" else None
        clock = float(hour.group(1)) if hour else None
        figures.append((m.start(), m.end(), Number(value, m.group(0), role=role, bound=bound, clock=clock)))
    out += _ranges(masked, figures, _KO_RANGE)
    counted: set[int] = set()
    for m in _KO_NATIVE_COUNT.finditer(text):
        # 한 is also the article "a" (한 달 = a month): soft.
        role = _KO_COUNTER_ROLE.get(m.group(2), "ordinal" if m.group(2) == "번째" else "")
        value = _ko_native_value(m.group(1))
        out.append(Number(value, m.group(0), soft=m.group(1) == "한", role=role))
        counted.add(m.start())
    for m in _KO_NATIVE_BEFORE_NOUN.finditer(text):
        if m.start() not in counted and m.group(1) not in ("한", "네"):
            out.append(Number(_ko_native_value(m.group(1)), m.group(1)))
    for m in _KO_BOTH.finditer(text):
        out.append(Number(2.0, m.group(0), soft=True))
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


@dataclass(frozen=True)
class Differences:
    """How the numbers of a linked pair differ.

    ``conflicts`` pair an English and a Korean number of the same role with
    inconsistent values (10:30 against 10시 31분); ``only_en`` / ``only_ko`` are
    every number without a consistent counterpart, conflicts included.
    """

    only_en: tuple[Number, ...]
    only_ko: tuple[Number, ...]
    conflicts: tuple[tuple[Number, Number], ...]

    @property
    def conflict_en(self) -> tuple[Number, ...]:
        return tuple(dict.fromkeys(a for a, _ in self.conflicts))

    @property
    def conflict_ko(self) -> tuple[Number, ...]:
        return tuple(dict.fromkeys(b for _, b in self.conflicts))


# How far two values of one role may be and still be the same quantity told
# differently: beyond it they are two different quantities (1965 and 1997, a
# death toll and a number rescued), each a detail of its own side.
_NEAR_ABS = {"year": 1.0, "month": 1.0, "day": 3.0, "hour": 24.0, "minute": 60.0}
_NEAR_REL = 0.25
_NEVER = frozenset({"ordinal", "article", "paragraph", "item", "chapter", "section"})


def _near(a: Number, b: Number) -> float | None:
    """How far apart (smaller is nearer), or None when too far to be one quantity."""
    gap = abs(a.value - b.value)
    if a.role in _NEAR_ABS:
        return gap if gap <= _NEAR_ABS[a.role] else None
    rel = gap / max(abs(a.value), abs(b.value), 1e-9)
    return rel if rel <= _NEAR_REL else None


def _same_time(a: Number, b: Number) -> bool:
    """Minutes compare only within one hour: 10:30 against 10시 31분, or two match minutes.

    The minute of 07:00 and that of 4시 14분 belong to two different times.
    """
    if a.role != "minute" or (a.clock is None and b.clock is None):
        return True
    return a.clock is not None and b.clock is not None and a.clock % 12 == b.clock % 12


def _compatible(a: Number, b: Number) -> bool:
    """A bound, estimate or range that the other value satisfies (more than 20 ~ 22; about 100 ~ 95)."""
    for x, y in ((a, b), (b, a)):
        if x.span is not None and x.span[0] <= y.value <= x.span[1]:
            return True
        if x.bound == "over" and y.value > x.value:
            return True
        if x.bound == "under" and y.value < x.value:
            return True
        if x.bound == "about" and _gap(x, y) <= _about(x, y):
            return True
    return False


# A hedged time rounds to the hour or the quarter: "around 1 am" is 0시 55분's hour,
# "around 10:30" its minute 31; other hedged figures are within a tenth.
_ABOUT_ABS = {"hour": 1.0, "minute": 15.0, "day": 1.0}


def _gap(x: Number, y: Number) -> float:
    gap = abs(x.value - y.value)
    return min(gap % 12, 12 - gap % 12) if x.role == y.role == "hour" else gap  # 11 p.m. ~ 0시


def _about(x: Number, y: Number) -> float:
    """How far a value may stand from a hedged one (``x``) and still be inside the hedge."""
    if x.role in _ABOUT_ABS:
        return _ABOUT_ABS[x.role]
    return 0.1 * max(abs(x.value), abs(y.value))


def differences(en: list[Number], ko: list[Number]) -> Differences:
    """Unmatched numbers on each side, and which of them conflict.

    A conflict pairs an English and a Korean number without counterparts that
    have the same role and are near enough to be one quantity told with two
    values, unless one is a bound or estimate the other satisfies (more than
    20 years ~ 22년); each number joins at most one conflict, nearest first.
    """
    only_en, only_ko = unmatched(en, ko)
    options = []
    for a in only_en:
        for b in only_ko:
            if (
                a.role
                and a.role == b.role
                and a.role not in _NEVER
                and _same_time(a, b)
                and not _compatible(a, b)
            ):
                near = _near(a, b)
                if near is not None:
                    options.append((near, a, b))
    used_en: set[int] = set()
    used_ko: set[int] = set()
    conflicts = []
    for _, a, b in sorted(options, key=lambda o: o[0]):
        if id(a) not in used_en and id(b) not in used_ko:
            conflicts.append((a, b))
            used_en.add(id(a))
            used_ko.add(id(b))
    order = {id(a): k for k, a in enumerate(only_en)}
    conflicts.sort(key=lambda c: order[id(c[0])])
    return Differences(tuple(only_en), tuple(only_ko), tuple(conflicts))
