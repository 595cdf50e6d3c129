"""Korean boundaries that the Korean splitters' own test sets check (issue 27).

Shapes from kss's sentence-split benchmark sets (github.com/hyunwoongko/kss,
bench/sentence_split/testset at d3c45f6ade7f29bb0fa7bc52dee3991b2b290db1: nested
quotes, Wikipedia prose with footnote marks) and kiwipiepy's tests
(github.com/bab2min/kiwipiepy, test/test_kiwipiepy.py at
dc52ec476036129caa43a6e9d682471c3a8407dd), with sentences written for this
project. The full sets are scored by benchmarks/korean_suites.py.
"""

from __future__ import annotations

import pytest

from translate.segment import segment

# Each case is its text with ⟂ where a sentence ends (the marks are taken out).
CASES = [
    # footnote mark after the period; a glued footnote; a glued date
    "조약은 결국 거절되었다.[2]⟂ 법에 따르면 그는 권한을 가졌다.",
    "의회는 법안을 통과시켰다.[참고3]⟂ 한편 정부는 반대했다.",
    "그는 골을 넣었다.[8]⟂이후 경기력이 좋아졌다.",
    "팀은 결승에 올랐다.⟂3월 5일 결승전이 열린다.",
    # mixed quotation marks pair up as one quotation
    '그는 "기술이 미래를 만든다"고 말했다.⟂ 이어 “투자를 늘리겠다. 곧 발표한다"고 밝혔다.',
    "그는 ‘끝났다. 돌아가자'고 했다.⟂ 모두 떠났다.",
    "그는 '기다려라. 보여주겠다!'라고 외쳤다.⟂ 팬들은 환호했다.",
    "‹가자. 지금 가자.>⟂ 그는 일어섰다.",
    "<가자. 지금 가자.>⟂ 그는 일어섰다.",
    "「멈춰라. 위험하다.」⟂ 경비원이 말했다.",
    # a quotation bound to its verb across a space
    '그는 "걱정 마. 잘될 거야." 하며 웃었다.⟂ 우리는 믿었다.',
    # a parenthesised aside holds its own full stops
    "그는 기다리기로(비가 그칠지도 몰랐다. 흔한 일이다) 했다.⟂ 비는 그쳤다.",
    # a short note after the full stop belongs to the sentence before
    "그는 대회 우승자이다. (6회 우승)⟂ 또한 코치로 일했다.",
    '그는 "빛이 있으라."(창세기 1:3) 하고 읽었다.⟂ 모두 들었다.',
    '그는 "빛이 있으라."(창세기 1:3)⟂ 그리고 책을 덮었다.',
    # the English lower-case rule stays out of Korean
    "안녕?⟂ iphone6 샀어?⟂ 좋다.",
    # apostrophes are not quotation marks
    "BTS's 공연이 끝났다.⟂ 팬들이 떠났다.",
    # an opener never closed stops blocking boundaries after a while
    "(" + "가나다 라마바 사아자 " * 50 + "끝났다.⟂ 다음이다.",
]


@pytest.mark.parametrize("case", CASES, ids=[f"ko-{k}" for k in range(len(CASES))])
def test_korean_case(case):
    text = case.replace("⟂", "")
    sents = segment(text, "ko")
    assert all(text[s.start : s.end] == s.text for s in sents)
    assert [s.text for s in sents] == [piece.strip() for piece in case.split("⟂")]
