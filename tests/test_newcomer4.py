"""Fourth newcomer pass (docs/hardening.md, "Fourth pass"): each test failed before its fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_checks import EN, KO, NO_ENCODER, RATE, REPO, error_line, invoke

from translate import dataset

RATE_EN, RATE_KO = RATE / "en" / "article.txt", RATE / "ko" / "article.txt"


def test_an_event_folder_and_files_together_are_refused(tmp_path):
    """--event with --en/--ko aligned the folder alone and dropped the files without a word."""
    args = ["--en", EN, "--ko", KO, "--event", RATE, "--dataset", tmp_path / "ds"]
    res = invoke("align", *args, env=NO_ENCODER)
    assert res.exit_code == 2
    line = error_line(res)
    assert "not both" in line and "--en and --ko" in line
    assert not (tmp_path / "ds").exists()  # nothing aligned, nothing stored


@pytest.mark.parametrize(("path", "side", "name"), [(EN, "--ko", "Korean"), (KO, "--en", "English")])
def test_the_same_file_on_both_sides_is_named_as_such(tmp_path, path, side, name):
    """It said "give it with --en" of a file already given with --en; the missing side is the other."""
    line = error_line(invoke("align", "--en", path, "--ko", path, "--dataset", tmp_path, env=NO_ENCODER))
    assert "the same article is given as --en and --ko" in line or "given as --ko and --en" in line
    assert f"give the {name} article with {side}" in line


def test_a_korean_file_given_as_english_says_a_korean_article(tmp_path):
    line = error_line(invoke("align", "--en", RATE_KO, "--en", EN, "--ko", KO, "--dataset", tmp_path))
    assert "reads as a Korean article" in line


def test_an_english_file_given_as_korean_says_an_english_article(tmp_path):
    line = error_line(invoke("align", "--en", EN, "--ko", KO, "--ko", RATE_EN, "--dataset", tmp_path))
    assert "reads as an English article" in line  # was "a English"


def _read_only(monkeypatch, root: Path) -> list[str]:
    """Every write under ``root`` fails as on a read-only mount (root ignores chmod)."""
    writes: list[str] = []
    real_open = os.open

    def no_writes(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).startswith(str(root)):
            writes.append(str(path))
            raise OSError(30, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_writes)
    return writes


@pytest.mark.parametrize("list_only", [False, True])
def test_align_folder_on_a_read_only_dataset_is_one_line(tmp_path, monkeypatch, list_only):
    """It was an OSError traceback from the pairing state's lock file."""
    out = tmp_path / "ds"
    (out / ".locks").mkdir(parents=True)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "herald.txt").write_bytes(EN.read_bytes())
    (inbox / "ilbo.txt").write_bytes(KO.read_bytes())
    _read_only(monkeypatch, out)
    args = ["align-folder", inbox, "--dataset", out, *(["--list"] if list_only else [])]
    res = invoke(*args, env=NO_ENCODER)
    assert res.exit_code == 5, res.output
    line = error_line(res)
    assert f"dataset directory {out} is not writable: Read-only file system" == line.removeprefix("error: ")


def test_regroup_on_a_read_only_dataset_is_one_line(tmp_path, monkeypatch):
    out = tmp_path / "ds"
    (out / ".locks").mkdir(parents=True)
    _read_only(monkeypatch, out)
    res = invoke("regroup", "--join", "a", "--join", "b", "--dataset", out)
    assert res.exit_code == 5 and "not writable" in error_line(res)


def test_warnings_name_the_file_they_are_about(tmp_path):
    """Two files' warnings ("split at clause or word boundaries") looked alike and named neither."""
    en = tmp_path / "herald.txt"
    ko = tmp_path / "ilbo.txt"
    numbers = " ".join(str(1000 + k) for k in range(200))  # a table of figures: one long "sentence"
    en.write_text(EN.read_text(encoding="utf-8") + "\n\n" + numbers + "\n", encoding="utf-8")
    ko.write_text(KO.read_text(encoding="utf-8") + "\n\n" + numbers + "\n", encoding="utf-8")
    res = invoke("align", "--en", en, "--ko", ko, "--dataset", tmp_path / "ds", env=NO_ENCODER)
    assert res.exit_code == 0, res.output
    split = [line for line in res.output.splitlines() if "split at clause or word" in line]
    said = "1 sentence over 500 characters split at clause or word boundaries (longest 999)"
    assert split == [f"warning: herald.txt: {said}", f"warning: ilbo.txt: {said}"]
    # the dataset's own column keeps the warning as it was: its row already names the document
    docs = dataset.load_documents(tmp_path / "ds", "herald--ilbo").to_pylist()
    assert all(not w.startswith(("herald.txt", "ilbo.txt")) for d in docs for w in d["warnings"])


def test_regroup_of_an_event_made_by_align_says_so(tmp_path):
    """It said "no stored event 'herald--ilbo'" of an event that `events` lists."""
    out = tmp_path / "ds"
    en, ko = tmp_path / "herald.txt", tmp_path / "ilbo.txt"
    en.write_bytes(EN.read_bytes())
    ko.write_bytes(KO.read_bytes())
    assert invoke("align", "--en", en, "--ko", ko, "--dataset", out, env=NO_ENCODER).exit_code == 0
    for args in (["--join", "herald--ilbo", "--join", "other"], ["--split", "herald--ilbo", "--article", en]):
        res = invoke("regroup", *args, "--dataset", out)
        assert res.exit_code == 2
        line = error_line(res)
        assert "'herald--ilbo' was aligned with `align`, not paired by `align-folder`" in line
    res = invoke("regroup", "--join", "nowhere", "--join", "other", "--dataset", out)
    assert res.exit_code == 2 and "no stored event 'nowhere', 'other'" in error_line(res)


@pytest.mark.parametrize("table", ["DOCUMENTS", "SENTENCES", "PAIRS", "LINKS"])
def test_every_stored_column_is_in_the_readme(table):
    """`show` marked names (‹Dongbu Public Library›) from `names_only_*`, which the README never named."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    schema = getattr(dataset, table)
    assert [f.name for f in schema if f"`{f.name}`" not in readme] == []


def test_the_readme_reads_event_id_as_a_string_in_duckdb():
    """docs/analytics.md says every reader must be told; the README's own query was not."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    query = readme.split("uv run --with duckdb python - <<'EOF'", 1)[1].split("\nEOF", 1)[0]
    assert "hive_types = {'event_id': VARCHAR}" in query


def test_export_moses_to_a_directory_is_refused(tmp_path):
    """`--to out/` wrote out.en and out.ko beside the folder, in its parent."""
    out = tmp_path / "ds"
    assert invoke("align", "--en", EN, "--ko", KO, "--dataset", out, env=NO_ENCODER).exit_code == 0
    folder = tmp_path / "corpus"
    folder.mkdir()
    res = invoke("export", "--all", "--format", "moses", "--to", f"{folder}/", "--dataset", out)
    assert res.exit_code == 2
    assert "it is a directory; give a prefix such as" in error_line(res)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "ds"] and not any(folder.iterdir())


def test_removing_a_model_that_is_not_installed_does_not_say_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    res = invoke("models", "remove", "ko", "en")
    assert res.exit_code == 3
    line = error_line(res)
    assert line.startswith("error: nothing to remove: no Argos package for ko→en is installed")
    assert "install it" not in line
