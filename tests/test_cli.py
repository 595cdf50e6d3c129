from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate import dataset
from translate.cli import app

REPO = Path(__file__).resolve().parents[1]
FLOODS = REPO / "data" / "samples" / "2026-07-monsoon-floods"
EN = FLOODS / "en" / "article.txt"
KO = FLOODS / "ko" / "article.txt"
runner = CliRunner()


def _run(*args, **kw):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)


def _snapshot(root: Path) -> dict:
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


@pytest.fixture()
def out(tmp_path, installed_models):
    return tmp_path / "dataset"


def test_align_writes_the_event_and_summarises(out):
    res = _run("align", "--en", EN, "--ko", KO, "--event-id", "floods", "--out", out)
    assert res.exit_code == 0, res.output
    assert "floods: 25 English and 26 Korean sentences" in res.output
    assert "TEST MODELS" in res.output
    pairs = dataset.load_pairs(out, "floods")
    assert sorted(i for r in pairs["en_indices"].to_pylist() for i in r) == list(range(25))
    assert sorted(j for r in pairs["ko_indices"].to_pylist() for j in r) == list(range(26))
    sents = dataset.load_sentences(out, "floods")
    assert all(t for t in sents["translation"].to_pylist())
    prov = dataset.read_provenance(out, "floods")
    assert prov["test_models"] and {p["direction"] for p in prov["packages"]} == {"ko→en", "en→ko"}
    # Offsets point back into the source file.
    text = EN.read_text(encoding="utf-8")
    first = [s for s in sents.to_pylist() if s["side"] == "en"][3]
    assert text[first["char_start"] : first["char_end"]] == first["text"]


def test_event_folder_and_auto_mode(out):
    res = _run(
        "align",
        "--event",
        REPO / "data/samples/2026-10-rate-decision",
        "--mode",
        "auto",
        "--out",
        out,
    )
    assert res.exit_code == 0, res.output
    assert "2026-10-rate-decision" in dataset.list_events(out)


def _bad_inputs(tmp: Path) -> dict[str, tuple[list, str]]:
    empty = tmp / "empty.txt"
    empty.write_text("  \n")
    binary = tmp / "blob.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10)
    japanese = tmp / "ja.txt"
    japanese.write_text(
        "韓国と米国は来週月曜日から合同軍事演習を開始すると発表した。大雨の影響で数千人が避難した。"
    )
    latin1 = tmp / "latin1.txt"
    latin1.write_bytes("Caf\xe9 \xe0 la cr\xe8me".encode("latin-1") * 3 + b"\xff\xfe\x81\x8d")
    return {
        "missing file": (["--en", tmp / "nope.txt", "--ko", KO], "no such file"),
        "empty file": (["--en", empty, "--ko", KO], "is empty"),
        "binary file": (["--en", binary, "--ko", KO], "is a PNG image, not text"),
        "both Korean": (["--en", KO, "--ko", KO], "declared 'en' but detected 'ko'"),
        "swapped": (["--en", KO, "--ko", EN], "declared 'en' but detected 'ko'"),
        "unsupported": (["--en", EN, "--ko", japanese], "'ja'"),
    }


@pytest.mark.parametrize(
    "case", ["missing file", "empty file", "binary file", "both Korean", "swapped", "unsupported"]
)
def test_bad_input_fails_cleanly_and_leaves_dataset_alone(case, out, tmp_path):
    _run("align", "--en", EN, "--ko", KO, "--event-id", "floods", "--out", out)
    before = _snapshot(out)
    args, message = _bad_inputs(tmp_path)[case]
    res = runner.invoke(app, ["align", *map(str, args), "--event-id", "floods", "--out", str(out)])
    assert res.exit_code != 0
    assert message in res.output
    assert "Traceback" not in res.output
    assert _snapshot(out) == before


def test_align_without_models_matches_headlines_and_says_so(out, tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    res = runner.invoke(app, ["align", "--event", str(FLOODS), "--dataset", str(out)])
    assert res.exit_code == 0, res.output
    assert res.output.count("no translation model for ko→en, en→ko") == 1
    assert "coverage-align models install ko en" in res.output
    pairs = dataset.load_pairs(out, FLOODS.name).to_pylist()
    headline = next(p for p in pairs if 0 in p["en_indices"])
    assert headline["ko_indices"] == [0]  # the two headlines, paraphrased, found each other
    assert all(p["en_to_ko"] is None and p["ko_to_en"] is None for p in pairs)
    prov = dataset.read_provenance(out, FLOODS.name)
    assert prov["packages"] == [] and prov["aligner"]["scorer"] == "enc"
    assert prov["aligner"]["encoder"].startswith("use-m3-onnx@")  # the default encoder
    sents = dataset.load_sentences(out, FLOODS.name).to_pylist()
    assert all(s["translation"] is None for s in sents)


def test_translate_without_a_model_names_both_ways_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    res = runner.invoke(app, ["translate", str(KO)])
    assert res.exit_code == 3
    assert "coverage-align models install ko en" in res.output
    assert "models install --file" in res.output


def test_unwritable_output(tmp_path, installed_models):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    res = runner.invoke(app, ["align", "--en", str(EN), "--ko", str(KO), "--out", str(blocker / "ds")])
    assert res.exit_code == 5
    assert "not writable" in res.output


def test_user_errors_print_one_line_and_debug_shows_traceback(tmp_path):
    cmd = [
        sys.executable,
        "-m",
        "translate.cli",
        "align",
        "--en",
        str(tmp_path / "x.txt"),
        "--ko",
        str(KO),
    ]
    plain = subprocess.run(cmd, capture_output=True, text=True)
    assert plain.returncode == 2
    assert plain.stderr.strip().startswith("error:") and "Traceback" not in plain.stderr
    assert len(plain.stderr.strip().splitlines()) == 1
    debug = subprocess.run([*cmd[:3], "--debug", *cmd[3:]], capture_output=True, text=True)
    assert "Traceback" in debug.stderr


def test_show_filters_and_plain_output(out):
    _run("align", "--en", EN, "--ko", KO, "--event-id", "floods", "--out", out)
    full = _run("show", "floods", "--dataset", out)
    assert full.exit_code == 0
    assert "+--" in full.output  # ASCII table when not a terminal
    assert "\x1b[" not in full.output  # no colour codes when piped
    ko_only = _run("show", "floods", "--only", "ko-only", "--dataset", out)
    expected = dataset.load_pairs(out, "floods").to_pylist()
    for row in expected:
        snippet = (row["ko_text"] or "")[:6]
        if row["type"] == "ko-only":
            assert snippet in ko_only.output
    assert "Monsoon floods kill" not in ko_only.output
    bad = runner.invoke(app, ["show", "floods", "--only", "nonsense", "--dataset", str(out)])
    assert bad.exit_code != 0
    missing = runner.invoke(app, ["show", "nope", "--dataset", str(out)])
    assert missing.exit_code == 2 and "no event 'nope'" in missing.output


def test_detect_and_translate_utilities(installed_models):
    res = _run("detect", KO)
    assert res.exit_code == 0 and res.output.startswith("document: ko")
    res = runner.invoke(
        app,
        ["translate", "--from", "ko", "--to", "en", "--no-cache", "-"],
        input="첫 문장이다.\n\n둘째 문장이다.\n",
    )
    assert res.exit_code == 0
    lines = res.stdout.rstrip("\n").split("\n")
    assert len(lines) == 3 and lines[1] == "" and lines[0] and lines[2]
    greedy = runner.invoke(
        app,
        [
            "translate",
            "--from",
            "ko",
            "--to",
            "en",
            "--no-cache",
            "--beam-size",
            "1",
            "--compute-type",
            "float32",
            "--threads",
            "1",
            "-",
        ],
        input="첫 문장이다.\n",
    )
    assert greedy.exit_code == 0 and greedy.stdout.strip()


def test_report_html_is_self_contained(out, tmp_path):
    _run("align", "--en", EN, "--ko", KO, "--event-id", "floods", "--out", out)
    page = tmp_path / "r.html"
    res = _run("report", "floods", "--html", page, "--dataset", out)
    assert res.exit_code == 0
    html = page.read_text(encoding="utf-8")
    n = dataset.load_pairs(out, "floods").num_rows
    assert html.count('<div class="row') == n
    assert "지하차도" in html and "TEST MODELS" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    for row in dataset.load_pairs(out, "floods").to_pylist():
        for side in ("en", "ko"):
            for token in row[f"numbers_only_{side}"]:
                tag = "<mark>" if token in row[f"numbers_conflict_{side}"] else '<mark class="only">'
                assert f"{tag}{token}</mark>" in html


def test_report_marks_differing_numbers():
    from benchmarks.gold import align_cases
    from translate.align import align
    from translate.report import render_html

    case = next(c for c in align_cases() if c.event == "2026-07-monsoon-floods")
    res = align(case.en, case.ko, ko2en=case.ko2en, en2ko=case.en2ko)
    pairs = [
        {
            "row_index": k,
            "type": r.type,
            "score": r.score,
            "en_text": " ".join(case.en[i] for i in r.en) or None,
            "ko_text": " ".join(case.ko[j] for j in r.ko) or None,
            "en_to_ko": None,
            "ko_to_en": None,
            "numbers_only_en": list(r.numbers_only_en),
            "numbers_only_ko": list(r.numbers_only_ko),
            "numbers_conflict_en": list(r.numbers_conflict_en),
            "numbers_conflict_ko": list(r.numbers_conflict_ko),
        }
        for k, r in enumerate(res.rows)
    ]
    html = render_html("floods", pairs, [], {"aligner": {"mode": res.mode}})
    # 1,400 people against 1천500명: the same quantity, two values, so a conflict.
    assert "<mark>1,400</mark>" in html and "<mark>1천500</mark>" in html
    assert html.count('data-type="ko-only"') == sum(r.type == "ko-only" for r in res.rows)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _hangul_fonts() -> bool:
    """Whether fontconfig knows a font covering Korean (what Chromium draws Hangul with)."""
    try:
        found = subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.strip())


def _chromium(*args, profile):
    missing = [w for w, ok in (("chromium", CHROMIUM), ("fonts-noto-cjk", _hangul_fonts())) if not ok]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{' and '.join(missing)} must be installed in CI (.ci/run installs them)")
        pytest.skip(f"{' and '.join(missing)} not installed: sudo apt-get install chromium fonts-noto-cjk")
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_report_renders_in_headless_chromium(out, tmp_path):
    _run("align", "--en", EN, "--ko", KO, "--event-id", "floods", "--out", out)
    page = tmp_path / "r.html"
    _run("report", "floods", "--html", page, "--dataset", out)
    dom = _chromium("--dump-dom", page.as_uri(), profile=tmp_path / "p1").stdout
    n = dataset.load_pairs(out, "floods").num_rows
    assert dom.count('class="row') == n
    assert "지하차도" in dom
    shot = tmp_path / "phone.png"
    _chromium(f"--screenshot={shot}", "--window-size=390,2400", page.as_uri(), profile=tmp_path / "p2")
    assert shot.stat().st_size > 10_000
    # Hangul must render as real glyphs: two different syllables drawn with a missing
    # font would be identical "tofu" boxes, so their screenshots would be identical.
    shots = []
    for k, ch in enumerate("가나"):
        f = tmp_path / f"{k}.html"
        f.write_text(
            f'<html><body style="margin:0;font:120px sans-serif">{ch}</body></html>',
            encoding="utf-8",
        )
        png = tmp_path / f"{k}.png"
        _chromium(f"--screenshot={png}", "--window-size=200,200", f.as_uri(), profile=tmp_path / f"g{k}")
        shots.append(hashlib.sha256(png.read_bytes()).hexdigest())  # a failure prints two hashes, not PNGs
    assert shots[0] != shots[1], "Hangul drawn as identical boxes: install fonts-noto-cjk"


def test_html_cp949_and_mixed_inputs(out, tmp_path):
    body = "".join(f"<p>{line}</p>" for line in EN.read_text(encoding="utf-8").split("\n\n"))
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>Monsoon floods</title></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>Monsoon floods kill 14</h1>{body}</article>"
        "<footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    legacy = tmp_path / "ko-cp949.txt"
    legacy.write_bytes(KO.read_text(encoding="utf-8").encode("cp949"))
    res = _run("align", "--en", page, "--ko", legacy, "--event-id", "mixed", "--out", out)
    assert res.exit_code == 0, res.output
    assert "decoded as cp949" in res.output
    docs = {d["doc_id"]: d for d in dataset.load_documents(out, "mixed").to_pylist()}
    assert docs["ko:ko-cp949.txt"]["encoding"] == "cp949"
    assert docs["en:article.html"]["title"] == "Monsoon floods kill 14"
    en_texts = [s["text"] for s in dataset.load_sentences(out, "mixed").to_pylist() if s["side"] == "en"]
    assert any("Torrential rain" in t for t in en_texts)
    assert not any("Home | World" in t or "Copyright" in t for t in en_texts)
    # A Korean document with a long English passage is processed, with a warning on record.
    mixed = tmp_path / "mixed.txt"
    # 10 of 36 sentences (the PHOTO caption in the fourth paragraph is set aside, not counted)
    english = "\n\n".join(EN.read_text(encoding="utf-8").split("\n\n")[:5])
    mixed.write_text(KO.read_text(encoding="utf-8") + "\n\n" + english, encoding="utf-8")
    res = _run("align", "--en", EN, "--ko", mixed, "--event-id", "mixed2", "--out", out)
    assert res.exit_code == 0, res.output
    assert "mixed document" in res.output
    docs = dataset.load_documents(out, "mixed2").to_pylist()
    # (the English sample's dateline "SEOUL -" is set aside with a warning of its own)
    (warning,) = [w for d in docs for w in d["warnings"] if "mixed document" in w]
    assert "not in 'ko' (en)" in warning


def test_oversized_file_is_refused(out, monkeypatch):
    monkeypatch.setenv("COVERAGE_ALIGN_MAX_BYTES", "1000")
    res = runner.invoke(app, ["align", "--en", str(EN), "--ko", str(KO), "--out", str(out)])
    assert res.exit_code == 2
    assert "over the 1,000-byte limit" in res.output


def test_several_articles_per_side(out, tmp_path):
    paras = EN.read_text(encoding="utf-8").split("\n\n")
    first, second = tmp_path / "part1.txt", tmp_path / "part2.txt"
    first.write_text("\n\n".join(paras[:5]), encoding="utf-8")
    second.write_text("\n\n".join(paras[5:]), encoding="utf-8")
    res = _run("align", "--en", first, "--en", second, "--ko", KO, "--event-id", "two", "--out", out)
    assert res.exit_code == 0, res.output
    sents = [s for s in dataset.load_sentences(out, "two").to_pylist() if s["side"] == "en"]
    assert [s["sentence_index"] for s in sents] == list(range(25))
    assert {s["doc_id"] for s in sents} == {"en:part1.txt", "en:part2.txt"}
    assert dataset.load_documents(out, "two").num_rows == 3


def test_event_json_sets_mode_and_id_unless_given(out, tmp_path):
    ev = tmp_path / "renamed-folder"
    shutil.copytree(FLOODS, ev, ignore=shutil.ignore_patterns("gold"))
    meta = json.loads((ev / "event.json").read_text(encoding="utf-8"))
    (ev / "event.json").write_text(json.dumps({**meta, "mode": "parallel"}), encoding="utf-8")
    assert _run("align", "--event", ev, "--dataset", out).exit_code == 0
    prov = dataset.read_provenance(out, meta["event_id"])  # the id comes from event.json, not the folder
    assert prov["aligner"]["requested_mode"] == "parallel"
    assert prov["event"]["title"] == meta["title"]
    res = _run("align", "--event", ev, "--mode", "comparable", "--event-id", "x", "--dataset", out)
    assert res.exit_code == 0, res.output
    assert dataset.read_provenance(out, "x")["aligner"]["requested_mode"] == "comparable"
    (ev / "event.json").write_text("{not json", encoding="utf-8")
    res = runner.invoke(app, ["align", "--event", str(ev), "--dataset", str(out)])
    assert res.exit_code == 2 and "event.json: not valid JSON" in res.output
    assert "Traceback" not in res.output


def test_default_event_id_is_the_folder_when_stems_match(out):
    res = _run("align", "--en", EN, "--ko", KO, "--dataset", out)
    assert res.exit_code == 0, res.output
    assert dataset.list_events(out) == [FLOODS.name]


@pytest.mark.parametrize(
    ("encoder", "scorer", "encoder_id"), [("none", "lex", None), ("e5-small", "enc", "e5")]
)
def test_encoder_option_picks_the_signals(tmp_path, monkeypatch, encoder, scorer, encoder_id):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    out = tmp_path / "ds"
    res = runner.invoke(app, ["align", "--event", str(FLOODS), "--dataset", str(out), "--encoder", encoder])
    assert res.exit_code == 0, res.output
    aligner = dataset.read_provenance(out, FLOODS.name)["aligner"]
    assert aligner["scorer"] == scorer
    assert (aligner["encoder"] or "").startswith(encoder_id or "") and bool(aligner["encoder"]) == bool(
        encoder_id
    )
    assert "COVERAGE_ALIGN_ENCODER" not in os.environ  # the option does not leak into the process


def test_unknown_encoder_is_a_bad_option_one_line_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    out = tmp_path / "ds"
    res = runner.invoke(app, ["align", "--event", str(FLOODS), "--dataset", str(out), "--encoder", "bert"])
    assert res.exit_code == 2  # a bad option, as the README's exit table says
    assert "unknown encoder 'bert'" in res.output and "Traceback" not in res.output
    assert not out.exists()
