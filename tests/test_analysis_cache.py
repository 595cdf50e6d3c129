"""The Korean analysis cache: known sentences never load Kiwi; a damaged cache is rebuilt, not fatal."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import types
from types import SimpleNamespace
from typing import ClassVar

import pytest

from translate.align import align, korean, lexicon
from translate.cache import AnalysisCache

KO = [
    "서울 지하철 3호선 열차가 멈춰 승객들이 한 시간 동안 갇혔다.",
    "서울교통공사는 신호 장애가 원인이라고 밝혔다.",
]
EN = [
    "A Seoul subway Line 3 train stopped, trapping passengers for an hour.",
    "Seoul Metro said a signal fault was the cause.",
]


class FakeKiwi:
    """Tags every whitespace word as a common noun, counting the sentences it is asked about."""

    seen: ClassVar[list[str]] = []

    def __init__(self, **options: object) -> None:
        pass

    def tokenize(self, texts):
        for text in texts:
            FakeKiwi.seen.append(text)
            yield [SimpleNamespace(form=w, tag="NNG") for w in text.split()] + [
                SimpleNamespace(form=".", tag="SF")
            ]


class RefusingKiwi:
    def __init__(self, **options: object) -> None:
        raise AssertionError("Kiwi was constructed although every sentence was cached")


@pytest.fixture()
def cache_file(tmp_path, monkeypatch):
    path = tmp_path / "korean.sqlite3"
    monkeypatch.setenv("COVERAGE_ALIGN_ANALYSIS_CACHE", str(path))
    lexicon._kiwi.cache_clear()
    yield path
    lexicon._kiwi.cache_clear()  # the next user loads the real analyser


def _use_kiwi(monkeypatch, kiwi_class: type) -> None:
    monkeypatch.setitem(sys.modules, "kiwipiepy", types.SimpleNamespace(Kiwi=kiwi_class))
    lexicon._kiwi.cache_clear()


def test_known_sentences_never_construct_kiwi(cache_file, monkeypatch):
    first = korean.analyse(KO)  # the real analyser, warming the cache
    assert any(m.tag == "NNP" or m.tag == "NNG" for m in first[0])
    assert all(m.tag in korean.KEPT_TAGS for ms in first for m in ms)
    before = align(EN, KO)  # no encoder: the dictionary scorer, which reads the analyses
    _use_kiwi(monkeypatch, RefusingKiwi)
    assert korean.analyse(KO) == first
    assert korean.analyse(list(reversed(KO))) == list(reversed(first))
    after = align(EN, KO)
    assert [(x.en, x.ko, x.score) for x in after.links] == [(x.en, x.ko, x.score) for x in before.links]
    with pytest.raises(AssertionError, match="Kiwi was constructed"):
        korean.analyse(["처음 보는 문장이다."])  # a new sentence does need the analyser


def test_only_missing_sentences_are_analysed_and_repeats_once(cache_file, monkeypatch):
    _use_kiwi(monkeypatch, FakeKiwi)
    FakeKiwi.seen = []
    korean.analyse([KO[0]])
    got = korean.analyse([KO[0], KO[1], KO[1]])
    assert FakeKiwi.seen == [KO[0], KO[1]]
    assert [m.form for m in got[2]] == KO[1].split()  # the punctuation tag is not kept
    assert korean.analyse(KO, cached=False) == got[:2] and FakeKiwi.seen[2:] == KO


def test_a_changed_analyser_never_serves_old_entries(cache_file, monkeypatch):
    _use_kiwi(monkeypatch, FakeKiwi)
    FakeKiwi.seen = []
    korean.analyse(KO)
    korean.analyser_id.cache_clear()
    monkeypatch.setattr(lexicon, "KIWI_OPTIONS", {"load_typo_dict": False})
    try:
        korean.analyse(KO)
    finally:
        korean.analyser_id.cache_clear()
    assert FakeKiwi.seen == KO + KO


def test_a_corrupt_cache_is_one_warning_and_rebuilt(cache_file, monkeypatch, caplog):
    cache_file.write_bytes(b"this is not a SQLite database" * 100)
    _use_kiwi(monkeypatch, FakeKiwi)
    with caplog.at_level(logging.WARNING, logger="coverage_align"):
        got = korean.analyse(KO)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "corrupt" in warnings[0] and "\n" not in warnings[0]
    assert [m.form for m in got[0]] == KO[0].split()
    kept = list(cache_file.parent.glob("korean.sqlite3.corrupt-*"))
    assert kept and kept[0].read_bytes().startswith(b"this is not")  # moved aside, not deleted
    with AnalysisCache(cache_file) as store:
        assert len(store) == len(KO)


def test_a_damaged_row_is_analysed_again(cache_file, monkeypatch):
    _use_kiwi(monkeypatch, FakeKiwi)
    korean.analyse(KO)
    with AnalysisCache(cache_file) as store:
        store._db.execute("UPDATE analyses SET value = 'not json'")
        store._db.commit()
    FakeKiwi.seen = []
    got = korean.analyse(KO)
    assert FakeKiwi.seen == KO and [m.form for m in got[1]] == KO[1].split()


def test_concurrent_writers_keep_every_entry(tmp_path):
    path = tmp_path / "shared.sqlite3"
    script = textwrap.dedent(
        """
        import sys
        from translate.cache import AnalysisCache
        who = sys.argv[2]
        with AnalysisCache(sys.argv[1]) as store:
            for k in range(40):
                store.put_many("test", [(f"{who}-{k}", [("form", "NNG")]), ("shared", [("x", "NNP")])])
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(path), who], stderr=subprocess.PIPE)
        for who in ("a", "b", "c")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with AnalysisCache(path) as store:
        texts = [f"{w}-{k}" for w in "abc" for k in range(40)] + ["shared"]
        found = store.get_many("test", texts)
    assert len(found) == len(texts) and found["shared"] == [("x", "NNP")]


def test_one_event_run_drops_the_analyser_before_aligning(cache_file, tmp_path, monkeypatch):
    """The CLI's path: Kiwi is built once, dropped before the aligner runs, and not built again."""
    from pathlib import Path

    from translate.pipeline import run_event

    built: list[int] = []

    class CountingKiwi(FakeKiwi):
        def __init__(self, **options: object) -> None:
            built.append(1)

    _use_kiwi(monkeypatch, CountingKiwi)
    en, ko = tmp_path / "en.txt", tmp_path / "ko.txt"
    en.write_text(" ".join(EN) + "\n", encoding="utf-8")
    ko.write_text(" ".join(KO) + "\n", encoding="utf-8")
    kw = {"event_id": "one", "out": Path(tmp_path / "ds"), "encoder": "none"}
    res = run_event([en], [ko], one_event=True, **kw)
    assert res.n_links >= 1
    assert built == [1] and lexicon._kiwi.cache_info().currsize == 0  # built once, then dropped
    ko.write_text("처음 보는 문장이다. " + " ".join(KO) + "\n", encoding="utf-8")
    run_event([en], [ko], replace=True, **kw)  # many events in one process: the analyser stays
    assert built == [1, 1] and lexicon._kiwi.cache_info().currsize == 1
