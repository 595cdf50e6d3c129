from __future__ import annotations

import json
import subprocess
import sys

import pytest

from translate.cache import TranslationCache
from translate.engine import DecodeSettings, Engine, translate_sentences
from translate.models import find_installed

KO = [
    "국방부는 연합훈련이 월요일에 시작된다고 밝혔다.",
    "",
    "주한미군 2만8천500명이 주둔하고 있다.",
    '장관은 동맹이 "철통같다"고 말했다.',
    "   ",
    "북한은 이를 비난했다.",
]


def test_one_output_per_input_and_blank_stays_blank(installed_models):
    out, model = translate_sentences(KO, "ko", "en")
    assert len(out) == len(KO)
    assert model.code == "translate-ko_en-test"
    assert [o == "" for o in out] == [not s.strip() for s in KO]
    assert all(o.strip() for o, s in zip(out, KO, strict=True) if s.strip())


def test_batched_equals_one_at_a_time_and_keeps_order(installed_models):
    engine = Engine(find_installed("ko", "en"))
    batched = engine.translate(KO)
    singles = [engine.translate([s])[0] for s in KO]
    assert batched == singles
    reversed_out = engine.translate(KO[::-1])
    assert reversed_out == batched[::-1]


def test_deterministic_across_processes(installed_models):
    code = (
        "import json,sys;from translate.engine import translate_sentences;"
        "print(json.dumps(translate_sentences(json.loads(sys.argv[1]),'en','ko')[0]))"
    )
    src = ["The drills begin on Monday.", "About 28,500 troops are stationed there."]
    runs = [
        json.loads(subprocess.check_output([sys.executable, "-c", code, json.dumps(src)])) for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert runs[0] == translate_sentences(src, "en", "ko")[0]


def test_output_length_is_bounded_by_input_length(installed_models):
    settings = DecodeSettings(length_ratio=1.0, length_extra=2)
    engine = Engine(find_installed("en", "ko"), settings)
    for sentence in ["Hi.", "The central bank kept its key rate unchanged for a third meeting."]:
        n_in = len(engine.tokenizer.encode(sentence))
        out = engine.translate([sentence])[0]
        bucket = -(-n_in // 8) * 8
        assert len(engine.tokenizer.encode(out)) <= bucket + 2 + 1  # +1: re-encoding slack


def test_settings_are_part_of_the_cache_key():
    assert DecodeSettings(beam_size=4).cache_key() != DecodeSettings(beam_size=1).cache_key()


_CACHED_RUN = """
import json, sys
from translate import engine
from translate.cache import TranslationCache
cache = TranslationCache(sys.argv[1])
out, _ = engine.translate_sentences(json.loads(sys.argv[2]), "ko", "en", cache=cache)
print(json.dumps({"loads": engine.load_count, "out": out}))
"""


def test_cache_hit_never_loads_the_model(installed_models, tmp_path):
    db = str(tmp_path / "cache.sqlite3")
    args = [sys.executable, "-c", _CACHED_RUN, db, json.dumps(KO)]
    first = json.loads(subprocess.check_output(args))
    second = json.loads(subprocess.check_output(args))
    assert first["loads"] == 1
    assert second["loads"] == 0, "a fully cached run must not load the model"
    assert second["out"] == first["out"]
    # A partly new input loads the model and translates only the new sentence.
    third = json.loads(subprocess.check_output([*args[:-1], json.dumps([*KO, "새 문장이다."])]))
    assert third["loads"] == 1
    assert third["out"][: len(KO)] == first["out"]
    assert len(TranslationCache(db)) == len({s for s in KO if s.strip()}) + 1


def test_cache_survives_concurrent_writers(tmp_path):
    db = tmp_path / "shared.sqlite3"
    writer = (
        "import sys;from translate.cache import TranslationCache;"
        "c=TranslationCache(sys.argv[1]);"
        "[c.put_many('m','s',[(f'{sys.argv[2]}-{i}-{j}','t') for j in range(20)])"
        " for i in range(50)]"
    )
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(db), tag]) for tag in "ab"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    cache = TranslationCache(db)
    assert len(cache) == 2 * 50 * 20
    got = cache.get_many("m", "s", ["a-49-19", "b-0-0", "c-0-0"])
    assert got == {"a-49-19": "t", "b-0-0": "t"}


def test_corrupt_model_weights_give_a_model_error(installed_models, tmp_path, monkeypatch):
    import shutil

    from translate.errors import ModelError

    src = find_installed("ko", "en").path
    broken = tmp_path / "pk" / src.name
    shutil.copytree(src, broken)
    (broken / "model" / "model.bin").write_bytes(b"not a model")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    with pytest.raises(ModelError, match="cannot load CTranslate2 model"):
        translate_sentences(["문장."], "ko", "en")
