from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from translate.cache import EmbeddingCache
from translate.embed import MAX_CHARS, embed
from translate.errors import ModelError

TEXTS = ["Heavy rain killed 14 people in central South Korea.", "중부 폭우로 14명이 숨졌다.", "기준금리 동결"]

_CHILD = """
import json, sys
import numpy as np
from translate import embed as E
from translate.cache import EmbeddingCache
cache = EmbeddingCache(sys.argv[1]) if sys.argv[1] != "-" else None
vecs, enc_id = E.embed(json.loads(sys.argv[2]), "use-m3", cache=cache)
print(json.dumps({"sum": float(np.abs(vecs).sum()), "first": vecs[0][:8].tolist(),
                  "loads": E.load_count, "id": enc_id}))
"""


def _child(cache: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, cache, json.dumps(TEXTS)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_embeddings_are_deterministic_across_processes():
    a, b = _child("-"), _child("-")
    assert a["first"] == b["first"] and a["sum"] == b["sum"]
    assert a["loads"] == 1


def test_a_cache_hit_loads_no_encoder(tmp_path):
    db = str(tmp_path / "emb.sqlite3")
    first, second = _child(db), _child(db)
    assert first["loads"] == 1 and second["loads"] == 0
    assert first["first"] == pytest.approx(second["first"], abs=1e-7)
    assert first["id"] == second["id"]
    assert len(EmbeddingCache(db)) == len(TEXTS)


def test_vectors_are_unit_length_and_cross_lingual():
    vecs, enc_id = embed(TEXTS, "use-m3")
    assert vecs.shape == (3, 512) and enc_id.startswith("use-m3@")
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    # The Korean version of the first sentence is nearer to it than the unrelated headline.
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


def test_progress_counts_every_text(tmp_path):
    seen = []
    with EmbeddingCache(tmp_path / "e.sqlite3") as cache:
        embed(TEXTS, "use-m3", cache=cache, progress=seen.append)
        assert sum(seen) == len(TEXTS)
        seen.clear()
        embed(TEXTS, "use-m3", cache=cache, progress=seen.append)
        assert sum(seen) == len(TEXTS)


def test_overlong_text_is_clipped_and_bounded():
    long = "word " * 5000
    vecs, _ = embed([long, long[:MAX_CHARS]], "use-m3")
    assert np.allclose(vecs[0], vecs[1])


def test_unknown_encoder_is_a_model_error():
    with pytest.raises(ModelError, match="unknown encoder"):
        embed(["x"], "nope")


def test_labse_without_its_extra_names_the_install_command():
    try:
        import sentence_transformers  # noqa: F401

        pytest.skip("sentence-transformers is installed here")
    except ImportError:
        pass
    with pytest.raises(ModelError, match="uv sync --extra labse"):
        embed(["x"], "labse")


def test_an_encoder_that_fails_to_load_is_a_model_error(monkeypatch):
    from translate import embed as E

    def broken() -> None:
        raise OSError("libengine.so: cannot open shared object file")

    monkeypatch.setitem(E.ENCODERS, "broken", broken)
    with pytest.raises(ModelError, match=r"cannot load the broken encoder.*uv sync --reinstall"):
        E.get_encoder("broken")
