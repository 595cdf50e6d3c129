"""Captions, credits and page furniture are set aside like datelines (issue 27).

Cases written for this project, one shape per row, in both languages.
"""

from __future__ import annotations

import pytest

from translate.documents import Document, _first_line
from translate.pipeline import SideText, segment_side
from translate.segment import furniture_kind, segment_units

FURNITURE = [
    ("▲김 장관이 16일 서울에서 대사와 악수하고 있다.", "caption"),
    ("△ 16일 부산항에 입항한 화물선의 모습. 사진=해양수산부", "caption"),
    ("(사진=연합뉴스)", "caption"),
    ("사진=게티이미지뱅크", "caption"),
    ("시민들이 광장에 모여 있다.(사진=연합뉴스)", "caption"),
    ("PHOTO: Firefighters at the scene on Sunday.", "caption"),
    ("Image: Getty Images/Staff", "caption"),
    ("File photo of the ministry building in Sejong.", "caption"),
    ("Rescue workers search the site. (Yonhap Photo)", "caption"),
    ("Published: 26 Aug. 2025, 03:51 Updated: 26 Aug. 2025, 04:40", "furniture"),
    ("Updated on March 3, 2024 at 5:20 p.m. KST", "furniture"),
    ("입력 2025.08.26 03:51 수정 2025.08.26 04:40", "furniture"),
    ("입력 : 2018-10-30 오후 2:16:35", "furniture"),
    ("Share this article | Subscribe", "furniture"),
    ("공유하기 · 구독하기 · 좋아요", "furniture"),
    ("홍길동 기자 hong@example.co.kr", "furniture"),
    ("By Jane Doe (jane@example.com)", "furniture"),
    ("▷ 이메일 : tips@example.com", "furniture"),
    ("© 2025 Example News. All rights reserved.", "furniture"),
    ("저작권자 © 예시일보 무단전재 및 재배포 금지", "furniture"),
    ("Copyright ⓒ 예시뉴스 무단 전재 및 재배포 금지", "furniture"),
]

# Article sentences that look a little like furniture: they stay text.
TEXT = [
    "▲ 첫째 항목",
    "참석자는 ▲김 장관 ▲이 차관 등이다.",
    "The photo was published on Sunday and updated twice.",
    "Contact press@example.com.We reply within a day.",
    "Readers can share this article with friends, the editor said.",
    "The company said it had updated its copyright policy in 2024 after a court ruling.",
    "그는 기사를 공유하지 말라고 당부했다.",
    "date 2026-01-05 차관, 과제별 추진계획 검토",
]


@pytest.mark.parametrize(("line", "kind"), FURNITURE)
def test_furniture_is_recognised(line, kind):
    assert furniture_kind(line) == kind


@pytest.mark.parametrize("line", TEXT)
def test_text_is_not_furniture(line):
    assert furniture_kind(line) is None


@pytest.mark.parametrize(("line", "kind"), FURNITURE)
def test_furniture_is_its_own_unit_between_paragraphs(line, kind):
    lang = "ko" if any("\uac00" <= c <= "\ud7a3" for c in line) else "en"
    lede = "정부는 예산을 늘렸다." if lang == "ko" else "The ministry raised the budget."
    text = f"{line}\n\n{lede}"
    units = segment_units(text, lang)
    assert [(u.kind, u.text) for u in units] == [(kind, line), ("sentence", lede)]
    assert all(text[u.start : u.end] == u.text for u in units)


def test_pipeline_warns_and_the_caption_is_never_the_title():
    text = "▲김 장관이 대사와 악수하고 있다.\n\n입력 2025.08.26 03:51\n\n정부는 예산을 늘렸다.\n\nⓒ 예시일보"
    doc = Document("d1", "ko.txt", text, declared_lang="ko", title=_first_line(text))
    side = segment_side(SideText("ko", [doc]))
    assert side.texts == ["정부는 예산을 늘렸다."]
    assert doc.title == "정부는 예산을 늘렸다."
    assert len(doc.warnings) == 1
    assert "caption '▲김 장관이 대사와 악수하고 있다.' at 0" in doc.warnings[0]
    assert "furniture '입력 2025.08.26 03:51'" in doc.warnings[0]
    assert "furniture 'ⓒ 예시일보'" in doc.warnings[0]
