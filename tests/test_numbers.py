"""Numbers across English and Korean: the README's claims and known false positives."""

from __future__ import annotations

import pytest

from translate.align import numerals
from translate.align.numerals import Number, consistent, extract_en, extract_ko, unmatched


def _diff(en: str, ko: str) -> tuple[list[str], list[str]]:
    only_en, only_ko = unmatched(extract_en(en), extract_ko(ko))
    return [n.text for n in only_en], [n.text for n in only_ko]


# (Korean, value): unit-written Korean figures.
KO_VALUES = [
    ("1조2천억 원", 1.2e12),
    ("2만8천500명", 28_500),
    ("2만8천 명", 28_000),
    ("1만9천 명", 19_000),
    ("5조6천억원", 5.6e12),
    ("사흘 동안", 3),
    ("세 차례", 3),
    ("세 번째", 3),
    ("두 명", 2),
    ("한 명", 1),
    ("열흘", 10),
]


@pytest.mark.parametrize(("ko", "value"), KO_VALUES, ids=[k for k, _ in KO_VALUES])
def test_korean_values(ko, value):
    assert value in [n.value for n in extract_ko(ko)]


# (a, b, consistent?): rounding is allowed at the coarser figure's precision only.
ROUNDING = [
    ("1조2천억", "1.2 trillion", True),
    ("2만8천", "28,500", True),
    ("2만8천500", "28,500", True),
    ("1만9천", "18,000", False),
    ("2만", "28,500", False),
    ("1천500", "1,400", False),
]


@pytest.mark.parametrize(("ko", "en", "same"), ROUNDING, ids=[f"{k}~{e}" for k, e, _ in ROUNDING])
def test_rounding(ko, en, same):
    (a,), (b,) = extract_ko(ko), extract_en(en)
    assert consistent(a, b) is same


# (English, Korean): counterparts written in words on at least one side; none is a difference.
NOT_DIFFERENT = [
    ("The rain lasted three days.", "비가 사흘 동안 내렸다."),
    ("It was the third such launch this year.", "올해 들어 3회째 발사다."),
    ("It was the third launch.", "세 번째 발사다."),
    ("The exercise begins in September.", "훈련은 9월에 시작된다."),
    ("Exports fell last August.", "수출은 지난해 8월 감소했다."),
    ("Prices rose 3% last year.", "지난해 물가는 3% 올랐다."),
    ("The talks were held twice.", "회담은 두 차례 열렸다."),
    ("Two people were injured.", "두 명이 다쳤다."),
    ("One soldier died.", "군인 한 명이 숨졌다."),
    ("The strike lasted four days.", "파업은 나흘간 이어졌다."),
    ("Operations stopped for a day.", "운영이 하루 중단됐다."),
    ("Jan. 31", "1월 31일"),
    ("About 28,500 troops", "2만8천 명"),
    ("The first meeting was held next year.", "첫 회의는 내년에 열렸다."),
]


@pytest.mark.parametrize(("en", "ko"), NOT_DIFFERENT, ids=[e for e, _ in NOT_DIFFERENT])
def test_no_false_positive(en, ko):
    assert _diff(en, ko) == ([], [])


# Real differences stay flagged, words or digits.
DIFFERENT = [
    ("The rain lasted three days.", "비가 나흘 동안 내렸다.", ["three"], ["나흘"]),
    ("About 28,500 troops", "2만 명", ["28,500"], ["2만"]),
    ("19,000 people", "1만8천 명", ["19,000"], ["1만8천"]),
    ("The exercise begins in September.", "훈련은 10월에 시작된다.", [], ["10"]),
    ("Two people were injured.", "세 명이 다쳤다.", ["Two"], ["세 명"]),
]


@pytest.mark.parametrize(("en", "ko", "only_en", "only_ko"), DIFFERENT, ids=[k for _, k, *_ in DIFFERENT])
def test_real_differences_are_flagged(en, ko, only_en, only_ko):
    assert _diff(en, ko) == (only_en, only_ko)


def test_words_that_are_not_numbers():
    assert extract_ko("한국과 세계 경제, 세대 갈등") == []
    assert extract_en("Officials may march on Monday.") == []
    assert numerals.extract("지난해", "ko")[0].kind == "rel-year"


def test_relative_years_never_match_plain_numbers():
    assert not consistent(Number(-1, "last year", kind="rel-year"), Number(-1, "-1"))


# (text, lang, [(value, role)]): every number read, with what it counts.
PARSES = [
    ("제77조 5항에 따라", "ko", [(77, "article"), (5, "paragraph")]),  # not 77 trillion
    ("Article 77, paragraph 5", "en", [(77, "article"), (5, "paragraph")]),
    ("두 자녀를 둔", "ko", [(2, "")]),
    ("세 사람이 다쳤다", "ko", [(3, "person")]),
    ("열 명이 숨졌다", "ko", [(10, "person")]),
    ("열두 명", "ko", [(12, "person")]),
    ("스물다섯 살", "ko", [(25, "age")]),
    ("세 차례", "ko", [(3, "times")]),
    ("다섯 곳", "ko", [(5, "")]),
    ("Forty-six people", "en", [(46, "person")]),  # one number, not "six"
    ("twenty one", "en", [(21, "")]),
    ("two million won", "en", [(2e6, "won")]),
    ("10:30 a.m.", "en", [(10, "hour"), (30, "minute")]),
    ("오전 10시 31분", "ko", [(10, "hour"), (31, "minute")]),
    ("Jan. 31", "en", [(31, "day"), (1, "month")]),
    ("3.5%", "ko", [(3.5, "percent")]),
    ("1조2천억 원", "ko", [(1.2e12, "won")]),
    ("주택 1천500여 채", "ko", [(1500, "houses")]),
    ("2023년부터 5년간", "ko", [(2023, "year"), (5, "years")]),
    ("in 2023, a 34-year-old man", "en", [(2023, "year"), (34, "age")]),
    ("from one-point-75 percent to two-point-25 percent", "en", [(1.75, "percent"), (2.25, "percent")]),
    ("at three-point-nine percent", "en", [(3.9, "percent")]),  # not "nine percent"
    ("4 p.m KST", "en", [(4, "hour")]),  # a.m. and p.m. with the last stop dropped
    # A time in another zone is neither a year nor the other side's local time.
    ("(07:00 UTC)", "en", [(7, ""), (0, "")]),
    ("as of 1915 GMT", "en", [(1915, "")]),
    # Durations are not clock or match minutes, nor calendar days.
    ("투입 3분 만에 도움", "ko", [(3, "minutes")]),
    ("10분간 중단", "ko", [(10, "minutes")]),
    ("사고 3일 만에", "ko", [(3, "days")]),
    # A range's lower end counts what the upper end counts.
    ("100-150mm of rain", "en", [(100, "mm"), (150, "mm")]),
    ("50∼100㎜의 비", "ko", [(50, "mm"), (100, "mm")]),
    ("June 21-22", "en", [(21, "day"), (22, "day"), (6, "month")]),
    # A gap between two shares is not a share.
    ("by 0.73 percentage point", "en", [(0.73, "points")]),
    ("0.73%포인트 뒤졌다", "ko", [(0.73, "points")]),
    ("0.5%p 올랐다", "ko", [(0.5, "points")]),
]


# (text, lang, [(value, bound, clock, span)]): what qualifies each figure.
QUALIFIED = [
    ("more than 20 people", "en", [(20, "over", None, None)]),
    ("Over the weekend, 20 people", "en", [(20, "", None, None)]),  # "over" is not next to the figure
    ("20명 이상이 다쳤다", "ko", [(20, "over", None, None)]),  # the bound after the counter
    ("3명 여행객", "ko", [(3, "", None, None)]),  # 여 starts a word here, it is no bound
    ("10:30 a.m.", "en", [(10, "", None, None), (30, "", 10, None)]),  # the minute keeps its hour
    ("오전 10시 31분", "ko", [(10, "", None, None), (31, "", 10, None)]),
    ("between 3 and 5 percent", "en", [(3, "", None, (3, 5)), (5, "", None, (3, 5))]),
    ("from 3 to 5 percent", "en", [(3, "", None, None), (5, "", None, None)]),  # a change, not a range
    ("3 and 5 percent", "en", [(3, "", None, None), (5, "", None, None)]),
    ("the 2-1 win", "en", [(2, "", None, None), (1, "", None, None)]),  # a score, not a range
]


@pytest.mark.parametrize(("text", "lang", "expected"), QUALIFIED, ids=[t for t, *_ in QUALIFIED])
def test_qualifiers(text, lang, expected):
    got = [(n.value, n.bound, n.clock, n.span) for n in numerals.extract(text, lang)]
    assert got == expected


@pytest.mark.parametrize(("text", "lang", "expected"), PARSES, ids=[t for t, *_ in PARSES])
def test_parses(text, lang, expected):
    got = [(n.value, n.role) for n in numerals.extract(text, lang)]
    assert got == [(pytest.approx(v), r) for v, r in expected]


def test_korean_words_that_only_look_like_native_numerals():
    assert extract_ko("세금과 한국, 네 그렇습니다") == []
    assert [n.soft for n in extract_ko("양국 정상")] == [True]


# (English, Korean, conflicts, only-here): a conflict needs the same kind of quantity on both sides.
SPLITS = [
    ("The talks began at 10:30 a.m.", "회담은 오전 10시 31분 시작됐다.", [("10:30", "31")], {"10:30", "31"}),
    ("Forty-six people died.", "46명이 숨졌다.", [], set()),
    ("Our two nations agreed.", "양국은 합의했다.", [], set()),
    ("Under Article 77, paragraph 5", "제77조 5항에 따라", [], set()),
    ("Two children were rescued.", "두 자녀가 구조됐다.", [], set()),
    ("Four branches closed.", "다섯 곳이 문을 닫았다.", [], {"Four", "다섯 곳"}),  # no shared role: a detail
    ("Rates rose 3.5%.", "금리가 3.25% 올랐다.", [("3.5", "3.25")], {"3.5", "3.25"}),
    ("In 2023, 1,400 homes flooded.", "주택 1천400채가 침수됐다.", [], {"2023"}),
    ("Ten people were hurt.", "열한 명이 다쳤다.", [("Ten", "열한 명")], {"Ten", "열한 명"}),
    # Two quantities of one kind, far apart, are two facts: a treaty year and a lawsuit year.
    ("the 1965 treaty", "1997년 소송을 제기했다.", [], {"1965", "1997"}),
    ("7 died and two people were rescued.", "10명 사망, 7명 숨져", [], {"two", "10"}),
    # A bound the other value satisfies is no conflict; one it breaks is.
    ("the worst in more than 20 years", "22년 만에 최악", [], {"20", "22"}),
    (
        "1,400 homes were damaged.",
        "주택 1천500여 채가 피해를 입었다.",
        [("1,400", "1천500")],
        {"1,400", "1천500"},
    ),
    ("Yoon won 48.58 percent.", "윤 당선인은 48.56%를 얻었다.", [("48.58", "48.56")], {"48.58", "48.56"}),
    # A match minute written as an ordinal is the minute 분 counts; rainfall in mm and ㎜.
    ("the opening goal in the 41st minute", "전반 40분 선제골을 넣었다.", [("41", "40")], {"41", "40"}),
    ("a 3rd minute penalty", "전반 3분 페널티킥", [], set()),
    ("Busan received 150mm of rain.", "부산에 126.6㎜의 비가 내렸다.", [("150", "126.6")], {"150", "126.6"}),
    # Minutes compare within one hour only: a launch time in UTC is not a local separation time.
    ("Lift-off at 4 p.m. KST (07:00 UTC)", "오후 4시 14분께 위성을 분리했다.", [], {"07:00", "14"}),
    (
        "The talks began at 10:30 a.m.",
        "회담은 오전 11시 31분 시작됐다.",
        [("10:30", "11")],
        {"10:30", "11", "31"},
    ),
    ("The talks began at 16:14.", "회담은 오후 4시 14분 시작됐다.", [], set()),  # a 24-hour clock
    # A duration is not the match minute: 3 minutes after coming on, against the 41st minute.
    ("an assist in the 41st minute", "투입 3분 만에 도움을 기록했다.", [], {"41", "3"}),
    ("Inflation hit three-point-nine percent.", "물가상승률은 3.9%였다.", [], set()),
    # A value inside the other side's range is no conflict; a change "from 1.75 to 2.25" is no range.
    ("Rain of 120-150mm is forecast.", "135㎜의 비가 예상된다.", [], {"120", "150", "135"}),
    ("Rates went from 1.75 to 2.25 percent.", "금리는 2%가 됐다.", [("2.25", "2")], {"1.75", "2.25", "2"}),
    # Bounds next to the figure only, before or after the counter.
    ("Over the weekend, 20 people were hurt.", "주말 동안 25명이 다쳤다.", [("20", "25")], {"20", "25"}),
    ("25 people were hurt.", "20명 이상이 다쳤다.", [], {"25", "20"}),
    ("He won 48.6 percent.", "0.7%포인트 앞섰고 득표율은 48.6%였다.", [], {"0.7"}),
    ("a lead of 0.8 percentage points", "0.7%포인트 차이", [("0.8", "0.7")], {"0.8", "0.7"}),
]


@pytest.mark.parametrize(("en", "ko", "conflicts", "only"), SPLITS, ids=[e for e, *_ in SPLITS])
def test_conflicts_are_told_from_details_only_one_side_gives(en, ko, conflicts, only):
    d = numerals.differences(extract_en(en), extract_ko(ko))
    assert [(a.text, b.text) for a, b in d.conflicts] == conflicts
    assert {n.text for n in d.only_en + d.only_ko} == only


# Hedged figures (issue 26): an exact value inside the hedge is no conflict, one outside it is.
# (English, Korean, conflicts): every hedge word on each side, times and counts.
HEDGES = [
    ("The talks began around 10:30 a.m.", "회담은 오전 10시 31분 시작됐다.", []),
    ("The fire broke out around 1 am.", "불은 0시 55분 났다.", []),
    ("The fire broke out around 11 p.m.", "불은 0시 5분께 났다.", []),
    ("The fire broke out at 1 am.", "불은 오전 3시께 났다.", [("1", "3")]),
    ("The talks began at 10:30 a.m.", "회담은 오전 10시께 시작됐다.", []),
    ("The talks began at 2:10 p.m.", "회담은 오후 4시께 시작됐다.", [("2:10", "4")]),
    ("The talks began around 10:00 a.m.", "회담은 오전 10시 40분 시작됐다.", [("10:00", "40")]),
    ("About 90 people were evacuated.", "주민 96명이 대피했다.", []),
    ("Nearly 50 people were evacuated.", "주민 47명이 대피했다.", []),
    ("Some 3,200 people gathered.", "3천100명이 모였다.", []),
    ("Approximately 50 homes flooded.", "주택 52채가 침수됐다.", []),
    ("Around 40 people were hurt.", "41명이 다쳤다.", []),
    ("About 90 people were evacuated.", "주민 110명이 대피했다.", [("90", "110")]),
    ("102 people were evacuated.", "주민 약 95명이 대피했다.", []),
    ("1,580 homes flooded.", "주택 1천530여 채가 침수됐다.", []),
    ("98 people were evacuated.", "주민 95명가량이 대피했다.", []),
    ("104 people were hurt.", "97명 안팎이 다쳤다.", []),
    ("21 people were hurt.", "20명 남짓이 다쳤다.", []),
    ("97 people were evacuated.", "주민 93명 정도가 대피했다.", []),
    ("130 people were evacuated.", "주민 110명 정도가 대피했다.", [("130", "110")]),
]


@pytest.mark.parametrize(("en", "ko", "conflicts"), HEDGES, ids=[f"{e}|{k}" for e, k, _ in HEDGES])
def test_a_hedged_figure_is_no_conflict_with_a_value_inside_its_hedge(en, ko, conflicts):
    d = numerals.differences(extract_en(en), extract_ko(ko))
    if not conflicts:  # the values differ: only the hedge keeps them from conflicting
        assert d.only_en or d.only_ko
    assert [(a.text, b.text) for a, b in d.conflicts] == conflicts


def test_korean_commas_group_thousands_only() -> None:
    # A countdown is five numbers on both sides, not 54,321 on the Korean one.
    assert [n.value for n in extract_ko("카운트다운 5,4,3,2,1 발사!")] == [5.0, 4.0, 3.0, 2.0, 1.0]
    assert [n.value for n in extract_ko("인구 1,234,567명")] == [1234567.0]
    assert [n.value for n in extract_ko("1,000억 원")] == [1e11]
