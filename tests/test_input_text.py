"""Text that is not article prose, and invisible characters (issue 27, item 4; issue 30).

Each row replays a public bug-report shape on a case written for this project.
"""

from __future__ import annotations

import pytest

from translate.documents import load_document
from translate.errors import InputError
from translate.segment import segment, segment_units

UNITS = [
    # datelines and bylines that used to stay inside the lede
    (
        "en",
        "SEOUL and BUSAN (Dec. 7, 2026) — The two cities held drills.",
        "dateline",
        "The two cities held drills.",
    ),
    ("ko", "【서울=뉴시스】이영희 기자 = 정부가 발표했다.", "dateline", "정부가 발표했다."),
    ("ko", "[이데일리 박민수 기자] 정부가 발표했다.", "byline", "정부가 발표했다."),
    # Markdown table rows in a plain-text file
    ("en", "| Item | Count |\n\nThe ferry burned.", "furniture", "The ferry burned."),
    ("en", "|---|---|\n\nThe ferry burned.", "furniture", "The ferry burned."),
]


@pytest.mark.parametrize(("lang", "text", "kind", "sentence"), UNITS)
def test_set_aside_before_the_lede(lang, text, kind, sentence):
    units = segment_units(text, lang)
    assert units[0].kind == kind
    assert [u.text for u in units if u.kind == "sentence"] == [sentence]
    assert all(text[u.start : u.end] == u.text for u in units)


def test_a_glued_footnote_number_ends_its_sentence():
    text = "The rate rose in two counties.17 The overall share fell. It was version 2.17 The end."
    assert [s.text for s in segment(text, "en")] == [
        "The rate rose in two counties.17",
        "The overall share fell.",
        "It was version 2.17 The end.",
    ]


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        (
            "The fire spread on Sunday.\u200b The fire was put out.",
            "en",
            ["The fire spread on Sunday.", "The fire was put out."],
        ),
        ("불이 났다.\u200b 불은 꺼졌다.", "ko", ["불이 났다.", "불은 꺼졌다."]),
        (
            "The first file ends here.\n\ufeffThe second file starts.",
            "en",
            ["The first file ends here.", "The second file starts."],
        ),
    ],
)
def test_invisible_characters_are_read_as_spaces(tmp_path, raw, lang, expected):
    path = tmp_path / "a.txt"
    path.write_text(raw, encoding="utf-8")
    doc = load_document(path, lang)
    assert len(doc.text) == len(raw)  # offsets unchanged
    assert [s.text for s in segment(doc.text, lang)] == expected
    assert any("zero-width" in w for w in doc.warnings)


def test_markdown_front_matter_and_tables_are_not_prose(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Ferry fire\ndate: 2026-05-01\n---\n\nThe ferry burned.\n\n"
        "| Item | Count |\n|---|---|\n| Boats | 3 |\n\nCrews came.\n",
        encoding="utf-8",
    )
    doc = load_document(path, "en")
    assert [s.text for s in segment(doc.text, "en")] == ["The ferry burned.", "Crews came."]


def test_a_script_only_page_has_no_article(tmp_path):
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><script>var a=1;</script></head><body><noscript>Enable JavaScript.</noscript>"
        "<div id=root></div><script src=app.js></script></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no article text found"):
        load_document(path, "en")


def test_an_old_table_layout_page_is_read(tmp_path):
    """Issue 30: no article wrapper, the story in a <td>; precision mode finds nothing."""
    paras = "".join(
        f"<p>The ferry company said on Monday that sailing {i} was cancelled because of the storm.</p>"
        for i in range(5)
    )
    path = tmp_path / "a.html"
    path.write_text(
        "<html><head><title>Ferry services halted</title></head><body><table width=600>"
        "<tr><td><a href='/'>Home</a></td></tr>"
        f"<tr><td><b>Ferry services halted</b><br>{paras}</td></tr></table></body></html>",
        encoding="utf-8",
    )
    doc = load_document(path, "en")
    sents = [s.text for s in segment(doc.text, "en")]
    assert "The ferry company said on Monday that sailing 3 was cancelled because of the storm." in sents
    assert doc.title == "Ferry services halted"
