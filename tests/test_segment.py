from __future__ import annotations

import json

import pytest

from benchmarks.eval_segment import segmentation_scores
from benchmarks.gold import GOLD, segmentation_gold
from translate.segment import CONTENT, Sentence, segment, segment_units, split_long

# Each failure reported in issue 19 (and its whole kind), with the right answer.
CASES = json.loads((GOLD / "segment_cases.json").read_text(encoding="utf-8"))


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


@pytest.mark.parametrize("case", CASES, ids=[f"{c['issue']}-{c['lang']}-{k}" for k, c in enumerate(CASES)])
def test_reported_cases(case):
    text, lang = case["text"], case["lang"]
    assert [s.text for s in segment(text, lang)] == case["sentences"]
    others = [[u.text, u.kind] for u in segment_units(text, lang) if u.kind != CONTENT]
    assert others == case.get("units", [])
    for u in segment_units(text, lang):
        assert text[u.start : u.end] == u.text


def test_every_kind_of_issue_is_covered_in_both_languages():
    langs: dict[str, set[str]] = {}
    for c in CASES:
        langs.setdefault(c["issue"], set()).add(c["lang"])
    assert set(langs) == {"no-space", "list", "et-al", "wrap", "ellipsis", "dateline", "bullet"}
    assert all(v == {"en", "ko"} for k, v in langs.items() if k not in ("ellipsis", "bullet"))


def test_dateline_and_byline_units_keep_offsets_and_order():
    text = "제목\n\n(서울=연합뉴스) 홍길동 기자 = 북한이 미사일을 쐈다."
    units = segment_units(text, "ko")
    assert [(u.kind, u.text) for u in units] == [
        (CONTENT, "제목"),
        ("dateline", "(서울=연합뉴스)"),
        ("byline", "홍길동 기자 ="),
        (CONTENT, "북한이 미사일을 쐈다."),
    ]
    assert units[-1].start == text.index("북한이")
    assert [u.start for u in units] == sorted(u.start for u in units)


def test_manual_line_break_is_not_a_paragraph_break_but_a_blank_line_is():
    assert len(segment("정부는\u2028예산을 늘렸다.", "ko")) == 1
    assert len(segment("정부는 예산을\n\n늘렸다.", "ko")) == 2


def test_split_long_keeps_the_unit_kind():
    s = Sentence("a " * 400, 0, 800, "byline")
    assert {p.kind for p in split_long(s)} == {"byline"}


def test_pipeline_sets_datelines_aside_with_a_warning_and_exact_offsets():
    from translate.documents import Document
    from translate.pipeline import SideText, segment_side

    text = "(서울=연합뉴스) 홍길동 기자 = 북한이 미사일을 쐈다. 합참이 밝혔다."
    doc = Document("d1", "ko.txt", text, declared_lang="ko")
    side = segment_side(SideText("ko", [doc]))
    assert side.texts == ["북한이 미사일을 쐈다.", "합참이 밝혔다."]
    first = side.sentences[0]
    assert text[first["char_start"] : first["char_end"]] == first["text"]
    assert [r["sentence_index"] for r in side.sentences] == [0, 1]
    assert doc.n_sentences == 2
    assert len(doc.warnings) == 1
    assert "dateline '(서울=연합뉴스)' at 0" in doc.warnings[0]
    assert "byline '홍길동 기자 ='" in doc.warnings[0]


# Issue 30: a run of marks not followed by whitespace was retried from each of its
# positions (quadratic: 41 s at 20,000 periods). At this size the old code takes
# minutes; the rules now reject each run once.
@pytest.mark.parametrize("run", [".", "!", "?", "?!.", "…", '."', ".)", "!?" * 3 + "…"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_long_punctuation_runs_split_once(run, lang):
    head = "The ferry burned" if lang == "en" else "배가 불탔다"
    marks = run * (20_000 // len(run))
    text = f"{head}{marks} Crews came. {head}{marks}"
    sents = segment(text, lang)
    assert [s.text for s in sents] == [f"{head}{marks}", "Crews came.", f"{head}{marks}"]
    assert all(text[s.start : s.end] == s.text for s in sents)
