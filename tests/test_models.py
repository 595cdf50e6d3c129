from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from translate import models
from translate.errors import ModelError, NetworkError


def _pkg_dirs() -> list[str]:
    root = models.packages_dir()
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_install_list_remove(tmp_path, monkeypatch, test_model_files):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    assert models.list_installed() == []
    info = models.install_file(test_model_files["ko-en"])
    assert (info.from_code, info.to_code) == ("ko", "en")
    listed = models.list_installed()
    assert [(m.code, m.version, m.direction) for m in listed] == [
        ("translate-ko_en-test", "0.0.1-test", "ko→en")
    ]
    assert (listed[0].path / "model" / "model.bin").is_file()
    # Reinstalling replaces rather than duplicates.
    models.install_file(test_model_files["ko-en"])
    assert len(models.list_installed()) == 1
    models.remove("ko", "en")
    assert models.list_installed() == []
    assert _pkg_dirs() == []


def test_installed_package_is_readable_by_argostranslate(installed_models):
    from argostranslate.package import Package

    info = models.find_installed("ko", "en")
    pkg = Package(info.path)
    assert (pkg.from_code, pkg.to_code) == ("ko", "en")
    assert pkg.tokenizer.encode("국방부는") != []


def _corrupt_variants(good: Path, tmp: Path) -> dict[str, Path]:
    data = good.read_bytes()
    truncated = tmp / "truncated.argosmodel"
    truncated.write_bytes(data[: len(data) // 2])
    flipped = tmp / "flipped.argosmodel"
    # Flip bytes inside the (stored-compressed) model.bin payload: CRC must catch it.
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("translate-ko_en-test/model/model.bin")
        offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    buf = bytearray(data)
    for i in range(offset, offset + 64):
        buf[i] ^= 0xFF
    flipped.write_bytes(bytes(buf))
    no_meta = tmp / "nometa.argosmodel"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(no_meta, "w") as dst:
        for item in src.infolist():
            if not item.filename.endswith("metadata.json"):
                dst.writestr(item, src.read(item))
    not_zip = tmp / "text.argosmodel"
    not_zip.write_text("hello")
    return {"truncated": truncated, "flipped": flipped, "no-meta": no_meta, "not-zip": not_zip}


def test_corrupt_packages_are_rejected_with_nothing_installed(tmp_path, monkeypatch, test_model_files):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    for name, path in _corrupt_variants(test_model_files["ko-en"], tmp_path).items():
        with pytest.raises(ModelError) as err:
            models.install_file(path)
        assert "Argos package" in str(err.value), name
        assert _pkg_dirs() == [], f"{name} left files behind"
        assert models.list_installed() == []


def test_corrupt_package_does_not_damage_existing_install(tmp_path, monkeypatch, test_model_files):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    models.install_file(test_model_files["ko-en"])
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "pk").rglob("*"))
    with pytest.raises(ModelError):
        models.install_file(_corrupt_variants(test_model_files["ko-en"], tmp_path)["flipped"])
    after = sorted(p.relative_to(tmp_path) for p in (tmp_path / "pk").rglob("*"))
    assert before == after


def test_missing_model_names_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "empty"))
    with pytest.raises(ModelError) as err:
        models.find_installed("ko", "en")
    msg = str(err.value)
    assert "coverage-align models install ko en" in msg
    assert "--file" in msg


def test_unreachable_index_says_no_network(monkeypatch):
    # Port 9 on loopback refuses connections: a real network call that fails.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
    with pytest.raises(NetworkError) as err:
        models.available()
    assert "no network" in str(err.value)
    assert "models install --file" in str(err.value)
    with pytest.raises(NetworkError):
        models.install_from_index("ko", "en")


def test_index_install_downloads_and_installs(tmp_path, monkeypatch, test_model_files):
    """The online path end to end, against an index served on loopback."""
    import json
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(test_model_files["en-ko"], site / "en_ko.argosmodel")
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_port}"
    (site / "index.json").write_text(
        json.dumps(
            [
                {
                    "from_code": "en",
                    "to_code": "ko",
                    "package_version": "0.0.1-test",
                    "code": "translate-en_ko-test",
                    "links": [f"{base}/en_ko.argosmodel"],
                }
            ]
        )
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base + "/")
        monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
        assert [m.direction for m in models.available()] == ["en→ko"]
        seen: list[int] = []
        info = models.install_from_index("en", "ko", progress=lambda done, total: seen.append(done))
        assert info.direction == "en→ko"
        assert seen and seen[-1] == os.path.getsize(test_model_files["en-ko"])
        assert [m.direction for m in models.list_installed()] == ["en→ko"]
    finally:
        server.shutdown()


def test_realistic_benchmark_package(tmp_path, monkeypatch):
    """Argos-sized random model: 32k vocabulary, and outputs that end near the input length."""
    import json

    from translate.engine import DecodeSettings, Engine
    from translate.testmodels import REALISTIC, build_realistic_package

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    info = models.install_file(build_realistic_package("en", "ko", tmp_path))
    vocab = json.loads((info.path / "model" / "shared_vocabulary.json").read_text())
    assert len(vocab) == REALISTIC["pad_vocab_to"]
    engine = Engine(info, DecodeSettings(threads=1))
    src = [
        "The defence ministry said the joint drills would begin on Monday and run for eleven days.",
        "Officials in Seoul described the exercise as routine.",
        "About 28,500 American troops are stationed in South Korea under a mutual defence treaty.",
    ]
    out = engine.translate(src)
    n_in = [len(engine.tokenizer.encode(s)) for s in src]
    n_out = [len(engine.tokenizer.encode(o)) for o in out]
    assert 0.5 < sum(n_out) / sum(n_in) < 1.5, (n_in, n_out)
    assert n_out[1] < n_out[0]  # a shorter input gives a shorter output
    assert out == [engine.translate([s])[0] for s in src]
