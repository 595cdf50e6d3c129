"""The newcomer's second hour (issue 30, "What a newcomer met", and ``--en X --en X``):
each case as a new user met it, with what it must do now."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_checks import EN, FLOODS, KO, NO_ENCODER, REPO, error_line, invoke

from translate import dataset


@pytest.fixture(scope="module")
def twice(tmp_path_factory) -> tuple[Path, str]:
    """The floods event aligned with its English article given three times: as a
    path, as another spelling of it and through a symbolic link."""
    tmp = tmp_path_factory.mktemp("twice")
    link = tmp / "link.txt"
    link.symlink_to(EN)
    out = tmp / "ds"
    other_spelling = FLOODS / "en" / ".." / "en" / "article.txt"
    args = ["--en", EN, "--en", other_spelling, "--en", link, "--ko", KO, "--dataset", out]
    res = invoke("align", *args, env=NO_ENCODER)
    assert res.exit_code == 0, res.output
    return out, res.output


# ---------------------------------------------------------------- --en X --en X


def test_a_file_given_twice_is_read_once_with_a_notice(twice):
    out, output = twice
    docs = dataset.load_documents(out, FLOODS.name).to_pylist()
    assert sorted(d["doc_id"] for d in docs) == ["en:article.txt", "ko:article.txt"]
    sents = dataset.load_sentences(out, FLOODS.name).to_pylist()
    en = [s for s in sents if s["side"] == "en"]
    assert len(en) == len({(s["doc_id"], s["sentence_index"]) for s in en})
    assert len({s["text"] for s in en}) == len(en)  # no sentence stored twice
    notices = [line for line in output.splitlines() if "read once" in line]
    assert len(notices) == 2 and all(line.startswith("warning: ") for line in notices)
    assert any("link.txt has the same content as" in line for line in notices)


def test_the_inbox_sees_a_folder_with_a_copy_as_unchanged(twice, tmp_path):
    from flows.process_inbox import _fingerprint

    out, _ = twice
    copy = tmp_path / "copy.txt"
    shutil.copy(EN, copy)
    stored = {d["doc_id"]: d["content_hash"] for d in dataset.load_documents(out, FLOODS.name).to_pylist()}
    assert _fingerprint({"en": [EN, copy], "ko": [KO]}) == stored  # not re-aligned every run


# ---------------------------------------------------------------- events at every width


@pytest.mark.parametrize("width", [80, 100, 120, 140, 180])
def test_events_shows_whole_headings_and_numbers_at_every_width(twice, monkeypatch, width):
    from rich.console import Console

    from translate.summary import COLUMNS, COMPACT_COLUMNS

    out, _ = twice
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    res = invoke("events", "--dataset", out, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert res.exit_code == 0, res.output
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip() for line in res.output.splitlines()]
    assert max(len(line) for line in lines) <= width
    header = next(line for line in lines if line.lstrip().startswith("event"))
    headings = re.split(r"\s{2,}", header.strip())
    known = {h for _, h in COLUMNS + COMPACT_COLUMNS}
    assert set(headings) <= known, headings  # none cut mid-word ("EN se", "pa")
    assert len(headings) == len(set(headings))  # no two columns titled "mode"
    assert headings[0] == "event" and len(headings) >= 5
    row = next(line for line in lines if line.lstrip().startswith(FLOODS.name))
    cells = dict(zip(headings, re.split(r"\s{2,}", row.strip()), strict=True))
    summary = json.loads(invoke("events", "--dataset", out, "--json").output)
    full = {h: str(summary[k]) for k, h in COLUMNS}
    assert summary["only_here"] is not None
    compact = {
        "EN/KO": f"{summary['en_sentences']}/{summary['ko_sentences']}",
        # confident omissions once the verdict is stored (this event has it), EN/KO unlinked before
        "only": str(summary["only_here"]),
        "prob.": str(summary["probably_reported"]),
        "num": str(summary["number_differences"]),
    }
    for heading, shown in cells.items():
        if heading in ("aligned", "MT"):
            continue
        assert shown == {**full, **compact}[heading], (heading, row)  # links 17, never "1"
    if len(headings) < len(COLUMNS) and "EN/KO" not in headings:
        assert "not shown at this width" in res.output


# ---------------------------------------------------------------- one-line errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", FLOODS.name, "--only", "bogus"], "--only must be one of ko-only, en-only"),
        (["align", "--en", EN, "--ko", KO, "--mode", "bogus"], "--mode must be one of"),
        (["align", "--en", EN, "--ko", KO, "--compute-type", "int3"], "--compute-type must be one of"),
        (["translate", "--beam-size", "0", "-"], "--beam-size must be between 1 and"),
        (["export", FLOODS.name, "--format", "csv", "--to", "x"], "--format must be one of"),
        (["export", FLOODS.name, "--mixed-language", "drop", "--to", "x"], "--mixed-language must be"),
        (["models", "install"], "give FROM TO"),
    ],
)
def test_a_bad_value_is_one_line_not_a_box(twice, args, message):
    out, _ = twice
    extra = ["--dataset", out] if args[0] in ("show", "export", "align") else []
    res = invoke(*args, *extra, input="")
    assert res.exit_code == 2
    assert message in error_line(res)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "x", "--beam"], "No such option: --beam"),
        (["events", "--datasett", "x"], "Possible options: --dataset"),
        (["align", "--beam-size", "abc"], "Invalid value for '--beam-size'"),
        (["show"], "Missing argument"),
    ],
)
def test_a_usage_error_is_one_line_too(args, message):
    res = invoke(*args)
    assert res.exit_code == 2
    line = error_line(res)
    assert message in line and "--help` lists the options" in line


def test_an_unknown_event_names_the_closest_ids_only(twice):
    out, _ = twice
    line = error_line(invoke("show", "2026-07-monsoon-flods", "--dataset", out))
    assert f"did you mean {FLOODS.name}?" in line

    from translate.dataset import no_such_event

    known = [f"2026-{m:02d}-event-{i}" for m in range(1, 13) for i in range(5)] + ["2026-09-subway-line3"]
    message = str(no_such_event(out, "2026-09-subway-lin3", known))
    assert "did you mean 2026-09-subway-line3" in message
    assert "2026-01-event-0" not in message and "lists 61 events" in message


def test_swapped_articles_are_named_as_swapped(tmp_path):
    swapped = error_line(invoke("align", "--en", KO, "--ko", EN, "--dataset", tmp_path))
    assert "look swapped" in swapped
    both = error_line(invoke("align", "--en", KO, "--ko", KO, "--dataset", tmp_path))
    # one file on both sides: it already is --ko, the English one is what is missing (fourth pass)
    assert "given as --en and --ko: give the English article with --en" in both and "swapped" not in both


# ---------------------------------------------------------------- files that are not text


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00", "is a PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml\x00\x00", "is a ZIP archive (a .docx"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x00", "is gzip-compressed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "is a JPEG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "is an old Office file"),
    ],
)
def test_a_binary_file_renamed_txt_is_named_by_its_format(tmp_path, data, kind):
    article = tmp_path / "article.txt"
    article.write_bytes(data)
    line = error_line(invoke("align", "--en", article, "--ko", KO, "--dataset", tmp_path / "ds"))
    assert kind in line and "NUL" not in line


# ---------------------------------------------------------------- encoding hints


def _encoding_error(data: bytes) -> str:
    from translate.documents import decode_bytes
    from translate.errors import InputError

    with pytest.raises(InputError) as err:
        decode_bytes(data, "a.txt")
    return str(err.value)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Zażółć gęślą jaźń, powiedział burmistrz Łodzi. Żółw płynie po Wiśle. " * 3, "cp1250"),
        ("The café’s “naïve” façade — déjà vu, said the maître d’. " * 3, "cp1252"),
        ("Москва сообщила о наводнении в регионе. Тысячи людей эвакуированы. " * 3, "cp1251"),
    ],
)
def test_the_encoding_named_is_the_one_iconv_is_told(text, codec):
    message = _encoding_error(text.encode(codec))
    guessed = re.search(r"perhaps ([\w-]+)\)", message)
    told = re.search(r"iconv -f ([\w-]+) ", message)
    assert guessed and told and guessed.group(1) == told.group(1), message


@pytest.mark.skipif(shutil.which("iconv") is None, reason="no iconv")
def test_every_guess_is_an_encoding_iconv_knows(monkeypatch):
    import charset_normalizer
    from charset_normalizer.constant import IANA_SUPPORTED

    class Guess:
        def __init__(self, encoding: str) -> None:
            self.encoding = encoding

        def best(self) -> Guess:
            return self

    unknown = []
    for name in sorted(set(IANA_SUPPORTED) - {"utf_8", "ascii"}):
        monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data, name=name: Guess(name))
        told = re.search(r"iconv -f (\S+) ", _encoding_error(b"caf\xe9 \xff\xfe\x81")).group(1)
        probe = subprocess.run(["iconv", "-f", told, "-t", "UTF-8"], input=b"\0" * 4, capture_output=True)
        if b"not supported" in probe.stderr or b"unsupported" in probe.stderr:
            unknown.append((name, told))
    assert unknown == []


def test_a_truncated_utf8_file_is_called_truncated():
    cut = ("Flooding forced thousands from their homes. 홍수로 수천 명이 대피했다.").encode()[:-2]
    message = _encoding_error(cut)
    assert "truncated UTF-8" in message and "iconv" not in message and "CP1252" not in message


# ---------------------------------------------------------------- counts and pages


def test_one_row_is_one_row(twice):
    out, _ = twice
    res = invoke("show", FLOODS.name, "--only", "conflicts", "--dataset", out, "--no-pager")
    assert res.exit_code == 0, res.output
    assert re.search(r"· 1 row\b", res.output) and "1 rows" not in res.output

    from translate.report import render_index
    from translate.summary import event_summaries

    page = render_index(event_summaries(out), str(out))
    assert "<h1>1 event</h1>" in page


def test_a_re_run_says_what_it_replaced(twice, tmp_path):
    out = tmp_path / "ds"
    shutil.copytree(twice[0], out)
    res = invoke("align", "--en", EN, "--ko", KO, "--dataset", out, "--mode", "parallel", env=NO_ENCODER)
    assert res.exit_code == 0, res.output
    line = next(line for line in res.output.splitlines() if line.startswith("updated event"))
    from translate.dataset import load_sentences

    stored = load_sentences(twice[0], FLOODS.name).column("side").to_pylist()  # what the first run kept
    n_en, n_ko = stored.count("en"), stored.count("ko")
    assert n_en > 20 and n_ko > 20
    assert re.fullmatch(
        rf"updated event {FLOODS.name} \(was: {n_en} English and {n_ko} Korean sentences, 17 links, "
        r"mode comparable, aligned \d{4}-\d\d-\d\d \d\d:\d\d\)",
        line,
    ), line
    assert "updated event" not in twice[1]  # a first run is not an update


# ---------------------------------------------------------------- demo and README


def test_the_demo_downloads_models_only_when_asked(tmp_path, monkeypatch):
    from translate.cli import demo

    asked = []
    monkeypatch.setattr(demo, "install_from_index", lambda src, tgt: asked.append((src, tgt)))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    (tmp_path / "samples").mkdir()
    res = invoke("demo", "--samples", tmp_path / "samples")  # no sample events: stops after the models
    assert "no sample events" in res.output and asked == []
    res = invoke("demo", "--samples", tmp_path / "samples", "--download-models")
    assert asked == [("ko", "en"), ("en", "ko")]


def test_the_readme_duckdb_snippet_runs_against_the_demo_dataset(tmp_path):
    readme = (REPO / "README.md").read_text()
    snippet = re.search(r"^uv run --with duckdb python - <<'EOF'\n(.*?)^EOF$", readme, re.S | re.M)
    assert snippet, "the README's DuckDB example is a `uv run --with duckdb` command"
    event = re.search(r"event_id = '([^']+)'", snippet.group(1)).group(1)
    assert (REPO / "data" / "samples" / event).is_dir()  # an event `make demo` writes
    res = invoke(
        "align", "--event", REPO / "data" / "samples" / event, "--dataset", tmp_path / "data" / "parallel",
        env=NO_ENCODER,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    # This environment has DuckDB (the dev group): the snippet's Python runs as written,
    # from a folder where data/parallel is where `make demo` leaves it in the project.
    code = snippet.group(1)
    ran = subprocess.run(
        [sys.executable, "-"], input=code, cwd=tmp_path, capture_output=True, text=True, timeout=99
    )
    assert ran.returncode == 0, ran.stderr
    stored = [p for p in dataset.load_pairs(tmp_path / "data" / "parallel", event).to_pylist()]
    ko_only = [p["row_index"] for p in stored if p["type"] == "ko-only"]
    assert ko_only and all(re.search(rf"│\s+{i} │", ran.stdout) for i in ko_only)
