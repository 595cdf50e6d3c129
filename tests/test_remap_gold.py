"""benchmarks.remap_gold: the real dev set's gold carried over to a new segmenter."""

from __future__ import annotations

import hashlib
import json

from benchmarks.remap_gold import main, old_starts, remap_side

EN = "SEOUL, Nov. 30 (Yonhap) -- North Korea fired a missile.The launch came early.\nIt fell into the sea.\n"
KO = "정부는 예산을 늘렸다. 지원이 확대된다.\n"
KO_PREFIXES = ["정부는 예산을 늘렸다.", "지원이 확대된다."]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _manifest(tmp_path, monkeypatch):
    texts = tmp_path / "texts" / "ev"
    texts.mkdir(parents=True)
    (texts / "en.txt").write_text(EN, encoding="utf-8")
    (texts / "ko.txt").write_text(KO, encoding="utf-8")
    (texts / "ko2en.txt").write_text("The government raised the budget.\nSupport grows.\n", encoding="utf-8")
    monkeypatch.setenv("COVERAGE_ALIGN_REAL", str(tmp_path / "texts"))
    meta = {
        "event_id": "ev",
        "mode": "comparable",
        # As an older segmenter split them: dateline glued to the lede, no cut at ".The".
        "en": {"sha256": _sha(EN), "n_sentences": 2, "prefixes": ["SEOUL, Nov. ", "It fell into"]},
        "ko": {"sha256": _sha(KO), "n_sentences": 2, "prefixes": KO_PREFIXES},
        "links": [[0, 0], [1, 1]],
    }
    path = tmp_path / "ev.json"
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def test_old_sentences_are_found_at_sentence_starts():
    text = "Two men sued in a Japanese court in 1997.\nJapanese courts dismissed it.\n"
    assert old_starts(text, ["Two men sued", "Japanese cou"]) == [0, text.index("Japanese courts")]


def test_split_sentences_inherit_the_links_and_the_dateline_is_dropped(tmp_path, monkeypatch, capsys):
    path = _manifest(tmp_path, monkeypatch)
    assert main([str(path)]) == 0
    meta = json.loads(path.read_text(encoding="utf-8"))
    assert meta["en"]["prefixes"] == ["North Korea ", "The launch c", "It fell into"]
    assert meta["en"]["n_sentences"] == 3
    assert meta["ko"]["prefixes"] == KO_PREFIXES
    assert meta["links"] == [[0, 0], [1, 0], [2, 1]]
    out = capsys.readouterr().out
    assert "ev: changed" in out and "en: 2 → 3 sentences" in out and "links: 2 → 3" in out
    before = path.read_text(encoding="utf-8")
    assert main([str(path)]) == 0  # idempotent
    assert path.read_text(encoding="utf-8") == before
    assert "ev: unchanged" in capsys.readouterr().out


def test_a_text_that_changed_is_refused_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    path = _manifest(tmp_path, monkeypatch)
    before = path.read_text(encoding="utf-8")
    (tmp_path / "texts" / "ev" / "en.txt").write_text(EN + "More.\n", encoding="utf-8")
    assert main([str(path)]) == 1
    assert "sha256 differs" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == before


def test_merged_sentences_join_their_reference_translations(tmp_path):
    text = "누리호, 발사 성공... 자력 발사 능력 갖춰\n"
    side = remap_side(text, ["누리호, 발사 성공...", "자력 발사 능력 갖춰"], "ko")
    assert side.mapping == [[0], [0]]
    from benchmarks.remap_gold import remap_translations

    tr = tmp_path / "ko2en.txt"
    tr.write_text("Nuri launch succeeds...\nable to launch on its own\n", encoding="utf-8")
    assert remap_translations(tr, side, write=True) == (True, [])
    assert tr.read_text(encoding="utf-8") == "Nuri launch succeeds... able to launch on its own\n"
    assert remap_translations(tr, side, write=True) == (False, [])  # already one line per new sentence
