from __future__ import annotations

import pytest

from benchmarks.eval_segment import segmentation_scores
from benchmarks.gold import segmentation_gold
from translate.segment import segment


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_boundary_f1_on_gold(lang):
    p, r, f, n = segmentation_scores(lang)
    assert n >= 150
    assert f >= 0.98, f"{lang} boundary F1 {f:.4f} (P={p:.4f}, R={r:.4f})"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_offsets_reproduce_every_sentence(lang):
    for doc in segmentation_gold(lang):
        for s in segment(doc.text, lang):
            assert doc.text[s.start : s.end] == s.text
            assert s.text == s.text.strip() and s.text


def test_offsets_with_crlf_emoji_and_combining_marks():
    text = "Café\u0301 owners cheered 🎉.\r\nPrices rose 3.5%.\r\n\r\n가격이 올랐다 😀. 정말이다."
    sents = segment(text)
    assert [s.text for s in sents] == [
        "Café\u0301 owners cheered 🎉.",
        "Prices rose 3.5%.",
        "가격이 올랐다 😀.",
        "정말이다.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)


def test_paragraph_break_always_ends_a_sentence():
    text = "The talks ended without a deal and\n\nofficials said more would follow"
    assert [s.text for s in segment(text, "en")] == [
        "The talks ended without a deal and",
        "officials said more would follow",
    ]


def test_hard_wrapped_english_lines_are_joined():
    text = "The ministry said the drills would\nrun for 11 days. They start Monday."
    assert [s.text for s in segment(text, "en")] == [
        "The ministry said the drills would\nrun for 11 days.",
        "They start Monday.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We are ready," Mr. Lee said. He left.', ['"We are ready," Mr. Lee said.', "He left."]),
        ("It was “ironclad.” He smiled.", ["It was “ironclad.”", "He smiled."]),
        ("Troops rose to 28,500 on Jan. 31 in the U.S. Army.", None),
        (
            "Lt. Gen. J. Smith arrived. The U.N. met.",
            ["Lt. Gen. J. Smith arrived.", "The U.N. met."],
        ),
        (
            "He moved to the U.S. The move surprised many.",
            ["He moved to the U.S.", "The move surprised many."],
        ),
    ],
)
def test_english_rules(text, expected):
    got = [s.text for s in segment(text, "en")]
    assert got == (expected or [text])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '그는 "훈련을 확대한다. 준비는 끝났다"고 말했다. 북한은 침묵했다.',
            ['그는 "훈련을 확대한다. 준비는 끝났다"고 말했다.', "북한은 침묵했다."],
        ),
        (
            "대륙간탄도미사일(ICBM) 2만8천500명이 6·25전쟁에 참전했다. 끝났나요? 네.",
            ["대륙간탄도미사일(ICBM) 2만8천500명이 6·25전쟁에 참전했다.", "끝났나요?", "네."],
        ),
        ("▲ 첫째 항목\n▲ 둘째 항목", ["▲ 첫째 항목", "▲ 둘째 항목"]),
    ],
)
def test_korean_rules(text, expected):
    assert [s.text for s in segment(text, "ko")] == expected


def test_markdown_heading_and_quote_markers_are_not_part_of_sentences():
    text = "## Floods hit the south\n\n> Rain fell all night. Rivers rose.\n\n# 폭우 피해"
    sents = segment(text)
    assert [s.text for s in sents] == [
        "Floods hit the south",
        "Rain fell all night.",
        "Rivers rose.",
        "폭우 피해",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)
