"""Hostile and careless inputs, third pass (issue 30): each test pins one case that failed.

Special files are made inside tmp_path (a FIFO; copies of /dev/full and /dev/null made
with mknod when allowed): the real device nodes are never a test's target, so a
regression cannot replace them.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest
from cli_checks import align_floods, runner
from cli_checks import one_line_error as _one_line_error

from translate.cli import app


@pytest.fixture()
def aligned(tmp_path, monkeypatch) -> Path:
    return align_floods(tmp_path, monkeypatch)


# ---------------------------------------------------------------- output paths


def _device(path: Path, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (7), or skip where not allowed."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        pytest.skip("cannot make or open a device node here (not root, or a nodev mount)")
    os.close(fd)
    return path


def _fifo_reader(path: Path) -> int:
    os.mkfifo(path)
    # Opened first and without blocking, the writer's open succeeds at once and the
    # output (a few KB, below the pipe's buffer) waits in the pipe until read.
    return os.open(path, os.O_RDONLY | os.O_NONBLOCK)


def _drain(fd: int) -> bytes:
    chunks = []
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except BlockingIOError:
        pass
    finally:
        os.close(fd)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "args",
    [
        ["export", "ev", "--format", "jsonl", "--to"],
        ["report", "ev", "--html"],
    ],
    ids=["export", "report"],
)
def test_a_fifo_target_is_written_through_not_replaced(aligned, tmp_path, args):
    fifo = tmp_path / "out.fifo"
    fd = _fifo_reader(fifo)
    res = runner.invoke(app, [*args, str(fifo), "--dataset", str(aligned)])
    got = _drain(fd)
    assert res.exit_code == 0, res.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert len(got) > 500 and (b'"translation"' in got or b"<!doctype html>" in got)


def test_a_full_device_is_one_line_error_and_stays_a_device(aligned, tmp_path):
    full = _device(tmp_path / "full", 7)
    res = runner.invoke(
        app, ["export", "ev", "--format", "tmx", "--to", str(full), "--dataset", str(aligned)]
    )
    _one_line_error(res, 2, os.strerror(errno.ENOSPC))
    assert stat.S_ISCHR(os.lstat(full).st_mode)
    res = runner.invoke(app, ["report", "ev", "--html", str(full), "--dataset", str(aligned)])
    _one_line_error(res, 2, os.strerror(errno.ENOSPC))
    assert stat.S_ISCHR(os.lstat(full).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".full")] == []


def test_a_null_device_takes_the_output_and_stays_a_device(aligned, tmp_path):
    null = _device(tmp_path / "null", 3)
    res = runner.invoke(
        app, ["export", "ev", "--format", "moses", "--to", str(tmp_path / "x"), "--dataset", str(aligned)]
    )
    assert res.exit_code == 0, res.output
    os.remove(tmp_path / "x.en")
    (tmp_path / "x.en").symlink_to(null)  # a link to a device: judged by what it points to
    res = runner.invoke(
        app, ["export", "ev", "--format", "moses", "--to", str(tmp_path / "x"), "--dataset", str(aligned)]
    )
    assert res.exit_code == 0, res.output
    assert stat.S_ISCHR(os.lstat(null).st_mode) and (tmp_path / "x.en").is_symlink()


@pytest.mark.parametrize("cmd", [["export", "ev", "--format", "jsonl", "--to"], ["report", "ev", "--html"]])
def test_a_regular_target_is_replaced_by_rename(aligned, tmp_path, cmd):
    out = tmp_path / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    before = out.stat().st_ino
    res = runner.invoke(app, [*cmd, str(out), "--dataset", str(aligned)])
    assert res.exit_code == 0, res.output
    # A new inode: written beside and renamed, so no reader ever saw half of it.
    assert out.stat().st_ino != before and out.stat().st_size > 1000


def test_a_directory_target_is_refused_in_one_line(aligned, tmp_path):
    res = runner.invoke(app, ["report", "ev", "--html", str(tmp_path), "--dataset", str(aligned)])
    _one_line_error(res, 2, "is a directory")


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize(
    "name",
    [
        "COVERAGE_ALIGN_MAX_BYTES",
        "COVERAGE_ALIGN_MAX_MODEL_BYTES",
        "COVERAGE_ALIGN_LOCK_TIMEOUT",
        "COVERAGE_ALIGN_MAX_WORKERS",
        "COVERAGE_ALIGN_ENCODER_THREADS",
    ],
)
@pytest.mark.parametrize("value", ["abc", "1e3", "123456789012345678901", "-1", " ", "5MB"])
def test_a_bad_numeric_setting_is_one_line_naming_it(monkeypatch, tmp_path, name, value):
    monkeypatch.setenv("COVERAGE_ALIGN_DATA", str(tmp_path))
    monkeypatch.setenv(name, value)
    res = runner.invoke(app, ["events"])
    if value == " ":  # blank is unset: the default applies
        assert res.exit_code == 0, res.output
        return
    _one_line_error(res, 2, name)
    assert "whole number" in res.output or "seconds" in res.output
    assert "-1-byte" not in res.output and "e-06" not in res.output


def test_good_settings_are_read_as_numbers(monkeypatch):
    from translate import config

    monkeypatch.setenv("COVERAGE_ALIGN_MAX_BYTES", "1000")
    monkeypatch.setenv("COVERAGE_ALIGN_LOCK_TIMEOUT", "0.5")
    monkeypatch.setenv("COVERAGE_ALIGN_TASK_RUNNER", "dask")
    assert (config.max_bytes(), config.lock_timeout(), config.task_runner_kind()) == (1000, 0.5, "dask")
    monkeypatch.setenv("COVERAGE_ALIGN_TASK_RUNNER", "thread")
    res = runner.invoke(app, ["events"])
    _one_line_error(res, 2, "COVERAGE_ALIGN_TASK_RUNNER must be threads or dask")


def test_the_input_limit_in_messages_is_the_setting_in_digits(monkeypatch, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("The ferry burned near the port. " * 80, encoding="utf-8")
    monkeypatch.setenv("COVERAGE_ALIGN_MAX_BYTES", "1000")
    res = runner.invoke(app, ["align", "--en", str(big), "--ko", str(big), "--out", str(tmp_path / "ds")])
    _one_line_error(res, 2, "over the 1,000-byte limit")


# ---------------------------------------------------------------- event.json bounds


def _event_folder(tmp_path: Path, event_json: bytes) -> Path:
    from cli_checks import EN, KO

    ev = tmp_path / "ev-folder"
    (ev / "en").mkdir(parents=True)
    (ev / "ko").mkdir()
    (ev / "en" / "article.txt").write_bytes(EN.read_bytes())
    (ev / "ko" / "article.txt").write_bytes(KO.read_bytes())
    (ev / "event.json").write_bytes(event_json)
    return ev


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "over 100,000 bytes"),
        (b'{"a":' + b"[" * 5_000 + b"]" * 5_000 + b"}", "nested more than 20 levels"),
        (b'{"note": "' + b"x" * 200_000 + b'"}', "over 100,000 bytes"),
    ],
    ids=["deep-and-big", "deep", "big-note"],
)
def test_an_event_json_past_its_bounds_is_one_line(tmp_path, monkeypatch, content, needle):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    ev = _event_folder(tmp_path, content)
    res = runner.invoke(app, ["align", "--event", str(ev), "--out", str(tmp_path / "ds")])
    _one_line_error(res, 2, needle)
    assert not (tmp_path / "ds" / "pairs").exists()


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    from translate.pipeline import event_meta

    ev = _event_folder(tmp_path, b'{"note": "' + b"[{" * 500 + b'\\"]", "title": "t"}')
    assert event_meta(ev)["title"] == "t"


def test_an_event_json_with_a_byte_order_mark_is_read(tmp_path):
    from translate.pipeline import event_meta

    ev = _event_folder(tmp_path, b"\xef\xbb\xbf" + b'{"event_id": "bom-event", "mode": "comparable"}')
    assert event_meta(ev) == {"event_id": "bom-event", "mode": "comparable"}


def test_a_long_note_is_not_copied_into_every_parquet_file(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    note = "long note " * 9_000  # 90 KB: accepted, but not stored four times over
    ev = _event_folder(tmp_path, json.dumps({"title": "Floods", "note": note}).encode())
    res = runner.invoke(app, ["align", "--event", str(ev), "--event-id", "ev", "--out", str(tmp_path / "ds")])
    assert res.exit_code == 0, res.output
    for part in (tmp_path / "ds").glob("*/event_id=ev/part-0.parquet"):
        meta = pq.read_schema(part).metadata[b"coverage_align"]
        assert len(meta) < 12_000, (part, len(meta))
    from translate.dataset import read_provenance

    assert read_provenance(tmp_path / "ds", "ev")["event"]["title"] == "Floods"


def test_event_for_provenance_keeps_small_events_whole():
    from translate.pipeline import event_for_provenance

    small = {"title": "t", "sources": [{"name": "a"}], "n": 3}
    assert event_for_provenance(small) == small
    cut = event_for_provenance({"title": "t", "note": "y" * 5_000})
    assert cut["note"] == "y" * 1_000 + "…" and cut["title"] == "t"
    many = event_for_provenance({"title": "t", **{f"k{i}": "z" * 900 for i in range(40)}})
    assert set(many) == {"title", "truncated"}


# ---------------------------------------------------------------- dataset listing


def _events_rows(res) -> dict[str, list[str]]:
    lines = [line.split("\t") for line in res.stdout.splitlines() if "\t" in line]
    head, rows = lines[0], lines[1:]
    return {r[0]: r for r in rows} | {"_head": head}


def test_a_stray_part_file_does_not_double_rows(aligned, caplog):
    before = runner.invoke(app, ["events", "--dataset", str(aligned)])
    show_before = runner.invoke(app, ["show", "ev", "--dataset", str(aligned), "--no-pager"])
    part = aligned / "pairs" / "event_id=ev"
    (part / "part-1.parquet").write_bytes((part / "part-0.parquet").read_bytes())
    (part / "notes.txt").write_text("hello", encoding="utf-8")  # was exit 5 for the event
    with caplog.at_level("WARNING", logger="coverage_align"):
        after = runner.invoke(app, ["events", "--dataset", str(aligned)])
        show_after = runner.invoke(app, ["show", "ev", "--dataset", str(aligned), "--no-pager"])
    assert after.exit_code == 0 and show_after.exit_code == 0, after.output + show_after.output
    assert _events_rows(after)["ev"] == _events_rows(before)["ev"]
    assert show_after.stdout == show_before.stdout
    assert "part-1.parquet" in caplog.text and "only part-0.parquet is read" in caplog.text
    assert "notes.txt" in caplog.text


@pytest.mark.parametrize("where", ["pairs/event_id=ev/sub", "pairs/event_id=other/part-0.parquet"])
def test_a_folder_in_a_partition_is_skipped_and_named(aligned, caplog, where):
    (aligned / where).mkdir(parents=True)
    with caplog.at_level("WARNING", logger="coverage_align"):
        res = runner.invoke(app, ["events", "--dataset", str(aligned)])
    assert res.exit_code == 0, res.output
    assert set(_events_rows(res)) == {"ev", "_head"}
    assert where.rsplit("/", 1)[-1] in caplog.text
    res = runner.invoke(
        app,
        [
            "export",
            "ev",
            "--format",
            "jsonl",
            "--to",
            str(aligned.parent / "x.jsonl"),
            "--dataset",
            str(aligned),
        ],
    )
    assert res.exit_code == 0, res.output


# ---------------------------------------------------------------- model packages


def test_models_remove_unlinks_a_linked_package_and_keeps_its_target(tmp_path, monkeypatch, test_model_files):
    from translate import models

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "elsewhere"))
    real = models.install_file(test_model_files["ko-en"]).path
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    (tmp_path / "pk").mkdir()
    link = tmp_path / "pk" / real.name
    link.symlink_to(real, target_is_directory=True)
    assert [m.path for m in models.list_installed()] == [link]
    res = runner.invoke(app, ["models", "remove", "ko", "en"])
    assert res.exit_code == 0, res.output
    assert not link.exists() and not link.is_symlink()
    assert (real / "metadata.json").is_file() and (real / "model" / "model.bin").is_file()


def test_a_package_with_two_metadata_entries_is_refused(tmp_path, monkeypatch, test_model_files):
    import zipfile

    from translate import models
    from translate.errors import ModelError

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    bad = tmp_path / "dup.argosmodel"
    with zipfile.ZipFile(test_model_files["ko-en"]) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
            if item.filename.endswith("/metadata.json"):
                meta = json.loads(src.read(item))
                with pytest.warns(UserWarning, match="Duplicate name"):
                    dst.writestr(item.filename, json.dumps({**meta, "to_code": "ja"}))
    with pytest.raises(ModelError, match=r"two entries named .*metadata\.json"):
        models.install_file(bad)
    assert not (tmp_path / "pk").exists() or models.list_installed() == []


def test_the_damaged_package_warning_is_printed_once_per_command(tmp_path, monkeypatch, caplog):
    from cli_checks import EN, KO

    pk = tmp_path / "pk"
    (pk / "broken").mkdir(parents=True)
    (pk / "broken" / "metadata.json").write_text(
        json.dumps({"from_code": "ko", "to_code": "en", "package_version": 3}), encoding="utf-8"
    )
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(pk))
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    with caplog.at_level("WARNING", logger="coverage_align"):
        res = runner.invoke(app, ["align", "--en", str(EN), "--ko", str(KO), "--out", str(tmp_path / "ds")])
    assert res.exit_code == 0, res.output
    assert sum("damaged Argos package" in r.getMessage() for r in caplog.records) == 1


# ---------------------------------------------------------------- output encoding


def test_show_on_an_ascii_stdout_escapes_instead_of_crashing(aligned):
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COVERAGE_ALIGN_ENCODER": "none"}
    res = subprocess.run(
        [sys.executable, "-m", "translate.cli", "show", "ev", "--dataset", str(aligned), "--no-pager"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr.decode("ascii", "replace")[-2000:]
    assert b"Traceback" not in res.stderr and b"UnicodeEncodeError" not in res.stderr
    out = res.stdout.decode("ascii")  # nothing but ASCII reached the stream
    assert "\\uc911\\ubd80" in out  # 중부, the Korean headline's first word, as escapes
    assert res.stderr.decode("ascii").count("cannot show Korean") == 1


# ---------------------------------------------------------------- import structure


def _translate_imports(module: str) -> set[str]:
    import ast

    path = Path(__file__).resolve().parents[1] / (module.replace(".", "/") + ".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }


def test_models_and_testmodels_import_each_other_no_more():
    # testmodels installs through models; models only needs the marks, from a leaf module.
    assert "translate.testmodels" not in _translate_imports("translate.models")
    assert not {m for m in _translate_imports("translate.testmarks") if m.startswith("translate")}
    from translate import testmarks, testmodels

    assert testmodels.is_test_package is testmarks.is_test_package  # old import path still works
