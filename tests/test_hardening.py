"""Hostile and careless inputs (issue 12): each test reproduces one defect.

Error cases keep the dataset fingerprint check of tests/test_cli.py: the
stored files are the same, byte for byte and mtime, before and after.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from cli_checks import EN, KO, align_floods, runner
from cli_checks import one_line_error as _one_line_error
from cli_checks import snapshot as _snapshot

from translate import dataset, models
from translate.cli import app
from translate.errors import InputError, ModelError


@pytest.fixture()
def aligned(tmp_path, monkeypatch) -> Path:
    return align_floods(tmp_path, monkeypatch)


# ---------------------------------------------------------------- 1. journal


def test_show_with_a_hostile_journal_deletes_nothing_and_writes_nothing(aligned, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("x")
    (aligned / ".journal-ev.json").write_text(json.dumps({"swaps": [], "cleanup": [str(victim)]}))
    before = _snapshot(aligned)
    res = runner.invoke(app, ["show", "ev", "--dataset", str(aligned)])
    assert res.exit_code == 0 and "coverage-align repair" in res.output
    assert (victim / "keep.txt").exists() and _snapshot(aligned) == before
    res = runner.invoke(app, ["repair", "--dataset", str(aligned)])
    _one_line_error(res, 5, "journal")
    assert (victim / "keep.txt").exists() and _snapshot(aligned) == before


# ---------------------------------------------------------------- 2. terminal escapes


def test_show_and_errors_make_control_characters_visible(aligned):
    path = aligned / "pairs" / "event_id=ev" / "part-0.parquet"
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["en_text"] = "Fake \x1b[2J\x1b]0;owned\x07 title \x9b31m and \u202eevil"
    pq.write_table(type(table).from_pylist(rows, schema=table.schema), path)
    res = runner.invoke(app, ["show", "ev", "--dataset", str(aligned)])
    assert res.exit_code == 0
    assert not any(c in res.output for c in "\x1b\x07\x9b\u202e")
    assert "\\x1b[2J" in res.output
    missing = runner.invoke(app, ["align", "--en", "nope\x1b[31m.txt", "--ko", str(KO)])
    _one_line_error(missing, 2, "nope\\x1b[31m.txt")
    assert "\x1b" not in missing.output


# ---------------------------------------------------------------- 3. model packages


def _repack(good: Path, out: Path, edit) -> Path:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            for name, payload, info in edit(item, data):
                if info is not None:
                    dst.writestr(info, payload)
                else:
                    dst.writestr(name, payload)
    return out


def _pkg_names() -> list[str]:
    root = models.packages_dir()
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_hostile_model_packages_are_refused(tmp_path, monkeypatch, test_model_files):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    good = test_model_files["ko-en"]
    top = "translate-ko_en-test"

    def bomb(item, data):
        yield item.filename, data, item
        if item.filename.endswith("metadata.json"):
            yield f"{top}/padding.bin", b"\0" * (50 * 1024 * 1024), None

    def link(item, data):
        yield item.filename, data, item
        if item.filename.endswith("metadata.json"):
            info = zipfile.ZipInfo(f"{top}/evil")
            info.external_attr = (0o120777 << 16) | 0
            yield info.filename, b"/etc/passwd", info

    def backslash(item, data):
        yield item.filename, data, item
        if item.filename.endswith("metadata.json"):
            yield f"{top}/..\\..\\evil.txt", b"x", None

    def dot_top(item, data):
        yield "./" + item.filename.split("/", 1)[1], data, None

    def bad_bpe(item, data):
        if item.filename.endswith("sentencepiece.model"):
            yield f"{top}/bpe.model", b"#version: 0.2\nthis line has three\n", None
        else:
            yield item.filename, data, item

    def bad_bin(item, data):
        yield item.filename, (b"garbage" * 100 if item.filename.endswith("model.bin") else data), None

    cases = {
        "bomb": (bomb, "expands"),
        "symlink": (link, "symbolic link"),
        "backslash": (backslash, "unsafe path"),
        "dot top": (dot_top, "unsafe path"),
        "bpe": (bad_bpe, "bpe.model"),
        "model.bin": (bad_bin, "model.bin does not load"),
    }
    for name, (edit, message) in cases.items():
        path = _repack(good, tmp_path / f"{name}.argosmodel", edit)
        with pytest.raises(ModelError) as err:
            models.install_file(path)
        assert message in str(err.value), name
        assert "coverage-align models install" in str(err.value), name
        assert _pkg_names() == [], f"{name} left {_pkg_names()}"
    monkeypatch.setenv("COVERAGE_ALIGN_MAX_MODEL_BYTES", "1000")
    with pytest.raises(ModelError, match="COVERAGE_ALIGN_MAX_MODEL_BYTES"):
        models.install_file(good)
    assert _pkg_names() == []


# ---------------------------------------------------------------- 5. time bounds


def test_overlong_sentence_is_split_with_a_warning(tmp_path, installed_models, monkeypatch):
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    long_en = tmp_path / "long.txt"
    words = EN.read_text(encoding="utf-8").replace(".", "").replace(",", "").split()
    long_en.write_text(" ".join(words * 6)[:20_000] + ".\n", encoding="utf-8")  # no punctuation
    out = tmp_path / "ds"
    res = runner.invoke(
        app, ["align", "--en", str(long_en), "--ko", str(KO), "--event-id", "long", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    sents = [s for s in dataset.load_sentences(out, "long").to_pylist() if s["side"] == "en"]
    assert len(sents) > 1 and max(len(s["text"]) for s in sents) <= 500
    text = long_en.read_text(encoding="utf-8")
    assert all(text[s["char_start"] : s["char_end"]] == s["text"] for s in sents)
    (doc,) = [d for d in dataset.load_documents(out, "long").to_pylist() if d["lang_declared"] == "en"]
    assert any("split at clause or word boundaries" in w for w in doc["warnings"])


def test_translator_input_is_capped_per_segment(installed_models):
    from translate import engine

    e = engine.Engine(models.find_installed("en", "ko"), engine.DecodeSettings(beam_size=1))
    seen = []
    real = e._translate_tokens

    def spy(chunks, finished):
        seen.extend(len(c) for c in chunks)
        return real(chunks, finished)

    e._translate_tokens = spy
    (out,) = e.translate(["word " * 2000])
    assert out and max(seen) <= engine.MAX_TOKENS and len(seen) > 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--beam-size", "0"], "--beam-size must be between 1 and 16"),
        (["--beam-size", "-1"], "--beam-size must be between 1 and 16"),
        (["--beam-size", "100000"], "--beam-size must be between 1 and 16"),
        (["--threads", "-5"], "--threads must be between 0"),
    ],
)
def test_decoding_settings_are_bounded(aligned, args, message):
    before = _snapshot(aligned)
    res = runner.invoke(
        app, ["align", "--en", str(EN), "--ko", str(KO), "--event-id", "ev", "--out", str(aligned), *args]
    )
    _one_line_error(res, 2, message)
    assert _snapshot(aligned) == before
    res = runner.invoke(app, ["translate", "--no-cache", *args, "-"], input="문장.\n")
    _one_line_error(res, 2, message)


# ---------------------------------------------------------------- 7. event ids


@pytest.mark.parametrize("event_id", ["x\n", "", "a/b"])
def test_bad_event_ids_are_refused(aligned, event_id):
    before = _snapshot(aligned)
    res = runner.invoke(
        app, ["align", "--en", str(EN), "--ko", str(KO), "--event-id", event_id, "--out", str(aligned)]
    )
    _one_line_error(res, 5, "invalid event id")
    assert _snapshot(aligned) == before and dataset.list_events(aligned) == ["ev"]


# ---------------------------------------------------------------- 8. text normalisation


def test_nul_byte_anywhere_is_refused(tmp_path):
    from translate.documents import load_document

    late = tmp_path / "late-nul.txt"
    late.write_bytes(EN.read_bytes() + b"\n" + b"x" * 10_000 + b"\x00tail\n")
    with pytest.raises(InputError, match="NUL"):
        load_document(late)


def test_nfd_hangul_is_normalised_and_recorded(aligned, tmp_path):
    nfd = tmp_path / "nfd.txt"
    nfd.write_text(unicodedata.normalize("NFD", KO.read_text(encoding="utf-8")), encoding="utf-8")
    res = runner.invoke(
        app, ["align", "--en", str(EN), "--ko", str(nfd), "--event-id", "nfd", "--out", str(aligned)]
    )
    assert res.exit_code == 0, res.output
    sents = [s["text"] for s in dataset.load_sentences(aligned, "nfd").to_pylist() if s["side"] == "ko"]
    assert all(unicodedata.is_normalized("NFC", t) for t in sents)
    docs = {d["doc_id"]: d for d in dataset.load_documents(aligned, "nfd").to_pylist()}
    assert any("NFC" in w for w in docs["ko:nfd.txt"]["warnings"])
    # Aligned exactly like the NFC original.
    assert dataset.load_pairs(aligned, "nfd")["ko_indices"].to_pylist() == (
        dataset.load_pairs(aligned, "ev")["ko_indices"].to_pylist()
    )


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom_is_decoded(tmp_path, codec):
    from translate.documents import load_document

    path = tmp_path / "ko16.txt"
    text = KO.read_text(encoding="utf-8")
    data = text.encode(codec) if codec == "utf-16" else b"\xfe\xff" + text.encode(codec)
    path.write_bytes(data)
    doc = load_document(path)
    assert doc.text == text and doc.encoding == "utf-16"


# ---------------------------------------------------------------- 9. one line, never a traceback


def test_corrupt_and_truncated_caches_are_rebuilt_with_a_warning(tmp_path, caplog):
    from translate.cache import TranslationCache

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not sqlite" * 100)
    full = tmp_path / "truncated.sqlite3"
    with TranslationCache(full) as c:
        c.put_many("m", "s", [(f"source {k} " * 20, "t" * 200) for k in range(3000)])
    data = full.read_bytes()
    full.write_bytes(data[: len(data) // 2])
    for path in (garbage, full):
        with TranslationCache(path) as c:
            assert len(c) == 0
            c.put_many("m", "s", [("a", "b")])
            assert c.get_many("m", "s", ["a"]) == {"a": "b"}
        assert list(tmp_path.glob(f"{path.name}.corrupt-*")), path
    assert sum("is corrupt" in r.getMessage() for r in caplog.records) == 2


def test_cache_path_that_is_a_directory_is_one_line(aligned, tmp_path, monkeypatch):
    monkeypatch.setenv("COVERAGE_ALIGN_EMBED_CACHE", str(tmp_path))
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "use-m3")
    before = _snapshot(aligned)
    res = runner.invoke(
        app, ["align", "--en", str(EN), "--ko", str(KO), "--event-id", "ev", "--out", str(aligned)]
    )
    _one_line_error(res, 5, "is a directory")
    assert _snapshot(aligned) == before


def test_full_cache_keeps_results(tmp_path, caplog):
    from translate.cache import TranslationCache

    with TranslationCache(tmp_path / "c.sqlite3") as c:
        c._db.execute("PRAGMA max_page_count=1")  # the file can grow no more: SQLITE_FULL
        c.put_many("m", "s", [("a" * 5000, "b" * 5000)])
    assert any("not updated" in r.getMessage() for r in caplog.records)


def test_unreadable_parquet_names_the_file_and_exits_5(aligned, tmp_path):
    # A stray file beside part-0.parquet is no longer read at all (tests/test_hardening3.py).
    bad = aligned / "pairs" / "event_id=ev" / "part-0.parquet"
    bad.write_bytes(bad.read_bytes()[:200])
    before = _snapshot(aligned)
    for args in (["show", "ev"], ["report", "ev", "--html", str(tmp_path / "r.html")]):
        res = runner.invoke(app, [*args, "--dataset", str(aligned)])
        _one_line_error(res, 5, str(bad))
    assert _snapshot(aligned) == before


def test_held_lock_names_its_holder_and_gives_up(aligned, monkeypatch, caplog):
    from translate.errors import DatasetError
    from translate.locks import held

    monkeypatch.setenv("COVERAGE_ALIGN_LOCK_TIMEOUT", "1")
    before = _snapshot(aligned)
    script = (
        "import sys, time; from pathlib import Path; from translate.locks import held; "
        "from translate.errors import DatasetError\n"
        "with held(Path(sys.argv[1]), 'x', DatasetError):\n    print('held', flush=True); time.sleep(30)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(aligned / ".locks" / "ev.lock")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        res = runner.invoke(
            app, ["align", "--en", str(EN), "--ko", str(KO), "--event-id", "ev", "--out", str(aligned)]
        )
        _one_line_error(res, 5, f"still held by pid {holder.pid}")
        assert "COVERAGE_ALIGN_LOCK_TIMEOUT" in res.output
        assert any(
            f"held by pid {holder.pid}" in r.getMessage() for r in caplog.records
        )  # said while waiting
    finally:
        holder.kill()
        holder.wait()
    assert _snapshot(aligned) == before
    with held(aligned / ".locks" / "ev.lock", "x", DatasetError):  # the OS freed it with its holder
        pass


def test_threads_of_one_process_take_turns_quietly(tmp_path, monkeypatch, caplog):
    import threading
    import time

    from translate.errors import DatasetError
    from translate.locks import held

    monkeypatch.setenv("COVERAGE_ALIGN_LOCK_TIMEOUT", "5")
    inside: list[int] = []
    overlap: list[bool] = []

    def work(k: int) -> None:
        with held(tmp_path / "cache.lock", "the cache", DatasetError):
            overlap.append(bool(inside))
            inside.append(k)
            time.sleep(0.05)
            inside.remove(k)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlap == [False] * 4  # one at a time
    assert not [r for r in caplog.records if "waiting up to" in r.getMessage()]


def test_a_thread_gives_up_after_the_limit(tmp_path, monkeypatch):
    import threading

    from translate.errors import DatasetError
    from translate.locks import held

    monkeypatch.setenv("COVERAGE_ALIGN_LOCK_TIMEOUT", "0.2")
    release = threading.Event()
    entered = threading.Event()

    def hold() -> None:
        with held(tmp_path / "cache.lock", "the cache", DatasetError):
            entered.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert entered.wait(5)
        with (
            pytest.raises(DatasetError, match="another thread of this process"),
            held(tmp_path / "cache.lock", "the cache", DatasetError),
        ):
            pass
    finally:
        release.set()
        holder.join()


@pytest.mark.parametrize("data", [bytes(range(128, 256)) * 3, b"\x89PNG\r\n\x1a\n\x00\x00IHDR"])
@pytest.mark.parametrize("command", ["translate", "detect"])
def test_bad_stdin_is_one_line(command, data):
    res = runner.invoke(app, [command, "-"], input=data)
    _one_line_error(res, 2, "stdin")


def test_pending_journal_on_a_read_only_dataset_is_shown_not_replayed(aligned, monkeypatch):
    """Readers write nothing at all, so a read-only dataset with a pending journal still reads."""
    import os

    (aligned / ".journal-ev.json").write_text("{}")
    before = _snapshot(aligned)
    writes = []
    real_open = os.open

    def no_writes(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).startswith(str(aligned)):
            writes.append(path)
            raise PermissionError(13, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_writes)
    res = runner.invoke(app, ["show", "ev", "--dataset", str(aligned)])
    assert res.exit_code == 0 and "journal pending" in res.output
    assert writes == [] and _snapshot(aligned) == before


# ---------------------------------------------------------------- 10. one line in, one line out


def test_translate_splits_on_newline_only(installed_models):
    lines = ["첫 문장.", "폼\f피드.", "줄\u2028구분.", "파일\x1c구분.", "캐리지\r리턴.", "", "끝."]
    res = runner.invoke(app, ["translate", "--no-cache", "-"], input="\n".join(lines) + "\n")
    assert res.exit_code == 0, res.output
    assert len(res.stdout.rstrip("\n").split("\n")) == 7


# ---------------------------------------------------------------- 11. HTML number highlighting


def test_report_highlights_raw_spans_then_escapes():
    from translate.report import render_html

    row = {
        "row_index": 0,
        "type": "1-1",
        "score": 0.9,
        "en_text": "It's 27 here, rates rose 3.25% and 3 died.",
        "ko_text": "금리는 3.25%였다.",
        "en_to_ko": None,
        "ko_to_en": None,
        "numbers_only_en": ["27", "3"],
        "numbers_only_ko": [],
        "numbers_conflict_en": ["27", "3"],  # conflicts get the plain <mark>
    }
    page = render_html("ev", [row], [], {})
    assert "It&#x27;s <mark>27</mark> here" in page
    assert "&#x<mark>" not in page
    assert "rose 3.25% and <mark>3</mark> died" in page


def test_errors_under_prefect_are_one_line(prefect_server, tmp_path):
    from prefect.settings import PREFECT_API_URL

    japanese = tmp_path / "ja.txt"
    japanese.write_text(
        "韓国と米国は来週月曜日から合同軍事演習を開始すると発表した。大雨で数千人が避難した。"
    )
    env = {
        **__import__("os").environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "COVERAGE_ALIGN_ENCODER": "none",
        "COVERAGE_ALIGN_DATA": str(tmp_path / "data"),
    }
    cmd = [
        sys.executable,
        "-m",
        "translate.cli",
        "align",
        "--prefect",
        "--en",
        str(EN),
        "--ko",
        str(japanese),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert [line for line in res.stderr.splitlines() if "error" in line.lower()] == [
        line for line in res.stderr.splitlines() if line.startswith("error:")
    ]
    assert "detected language 'ja'" in res.stderr


def test_an_unchanged_cache_is_checked_whole_once_per_process(tmp_path, monkeypatch):
    """The full-page check costs O(file) per open; the inbox opens the cache once per event."""
    import sqlite3

    from translate import cache as cache_mod

    checks = []
    real_connect = sqlite3.connect

    def counting_connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        db.set_trace_callback(lambda sql: checks.append(sql) if "quick_check" in sql else None)
        return db

    monkeypatch.setattr(cache_mod.sqlite3, "connect", counting_connect)
    path = tmp_path / "c.sqlite3"
    for _ in range(3):
        with cache_mod.TranslationCache(path) as c:
            c.put_many("m", "s", [("a", "b")])
    assert len(checks) == 1
    # Changed behind this process's back (another writer, a truncation): checked again.
    with open(path, "ab") as f:
        f.write(b"\0" * 4096)
    with cache_mod.TranslationCache(path) as c:
        assert c.get_many("m", "s", ["a"]) == {"a": "b"}
    assert len(checks) == 2
