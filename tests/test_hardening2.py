"""Hostile and careless inputs, second pass (issue 21): each test pins one kind of failure.

Error cases keep the fingerprint check of tests/test_hardening.py: stored files are
the same, byte for byte and mtime, before and after a refusal.
"""

from __future__ import annotations

import json
import logging
import shutil
import zipfile
from pathlib import Path

import pytest
from cli_checks import EN, FLOODS, KO, RATE, align_floods, runner
from cli_checks import one_line_error as _one_line_error
from cli_checks import snapshot as _snapshot

from translate import dataset, models
from translate.cli import app
from translate.errors import InputError, ModelError, ModelNotInstalled


@pytest.fixture()
def aligned(tmp_path, monkeypatch) -> Path:
    return align_floods(tmp_path, monkeypatch)


# ---------------------------------------------------------------- 1. one broken inbox folder


def _event_copy(dst: Path, src: Path = FLOODS, event_json: bool = False) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("gold", *([] if event_json else ["event.json"])))
    return dst


def test_folder_hash_survives_link_loops_and_sees_changes(tmp_path):
    from flows.process_inbox import folder_hash

    ev = _event_copy(tmp_path / "ev")
    (ev / "en" / "loop.txt").symlink_to("loop.txt")  # ELOOP when read
    (ev / "ko" / "up").symlink_to("..")  # a folder loop if followed
    first = folder_hash(ev)
    assert folder_hash(ev) == first
    (ev / "ko" / "new.txt").write_text("x", encoding="utf-8")
    assert folder_hash(ev) != first


def test_shared_event_rule_refuses_a_broken_event_json_and_renames_like_the_cli(tmp_path):
    from translate.pipeline import default_event_id, resolve_event

    bad = _event_copy(tmp_path / "bad-json")
    (bad / "event.json").write_text("{x", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        resolve_event(bad)
    named = _event_copy(tmp_path / "bad=name")
    inputs = resolve_event(named)
    assert inputs.event_id == default_event_id(inputs.en, inputs.ko, named) != "bad=name"
    assert inputs.mode == "comparable" and inputs.meta == {}
    given = _event_copy(tmp_path / "given", RATE, event_json=True)
    inputs = resolve_event(given, mode="auto")  # an explicit mode wins over event.json's
    assert (inputs.event_id, inputs.mode) == ("2026-10-rate-decision", "auto")
    assert resolve_event(given).mode == json.loads((RATE / "event.json").read_text())["mode"]


def test_one_broken_inbox_folder_fails_alone(prefect_server, installed_models, tmp_path, monkeypatch):
    from flows.process_inbox import process_inbox

    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    inbox = tmp_path / "inbox"
    _event_copy(inbox / "2026-07-monsoon-floods", event_json=True)
    loop = _event_copy(inbox / "a-loop")
    (loop / "en" / "loop.txt").symlink_to("loop.txt")  # Errno 40 while fingerprinting
    badjson = _event_copy(inbox / "b-badjson")
    (badjson / "event.json").write_text("{x", encoding="utf-8")
    _event_copy(inbox / "bad=name", RATE)
    (inbox / "c-dangling").symlink_to(tmp_path / "nowhere")
    out = tmp_path / "ds"

    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_failed()
    assert state.message.startswith("3 of 5 events failed: a-loop (")
    assert "Too many levels of symbolic links" in state.message
    assert "b-badjson (" in state.message and "not valid JSON" in state.message
    assert "c-dangling (" in state.message
    # The good events are written; bad=name gets the id the CLI gives it.
    cli_out = tmp_path / "cli"
    res = runner.invoke(app, ["align", "--event", str(inbox / "bad=name"), "--out", str(cli_out)])
    assert res.exit_code == 0, res.output
    (renamed,) = dataset.list_events(cli_out)
    assert dataset.list_events(out) == sorted(["2026-07-monsoon-floods", renamed])
    recorded = json.loads((out / ".inbox-failures.json").read_text(encoding="utf-8"))
    assert set(recorded) == {"a-loop", "b-badjson", "c-dangling"}
    # The CLI refuses the same event.json (exit 2), as the flow did.
    res = runner.invoke(app, ["align", "--event", str(badjson), "--out", str(cli_out)])
    _one_line_error(res, 2, "not valid JSON")

    # Unchanged: all three are skipped and named, the run is no longer Failed.
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    assert state.message == "nothing new; 3 broken event(s) unchanged, skipped"

    # Fixed: the folder aligns and is forgotten by the failure record.
    (loop / "en" / "loop.txt").unlink()
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    assert "a-loop" in dataset.list_events(out)
    recorded = json.loads((out / ".inbox-failures.json").read_text(encoding="utf-8"))
    assert set(recorded) == {"b-badjson", "c-dangling"}


# ---------------------------------------------------------------- 2. package metadata


def _with_metadata(good: Path, out: Path, edit) -> Path:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("/metadata.json"):
                meta = json.loads(data)
                edit(meta)
                data = json.dumps(meta).encode()
            dst.writestr(item, data)
    return out


BAD_FIELDS = [
    ("links", 5, "'links'"),
    ("links", [5], "'links'"),
    ("target_prefix", {"a": 1}, "'target_prefix'"),
    ("from_code", ["ko"], "'from_code'"),
    ("from_code", "k o", "'from_code'"),
    ("to_code", 7, "'to_code'"),
    ("code", 123, "'code'"),
    ("code", "../../etc", "'code'"),
    ("package_version", {"a": 1}, "'package_version'"),
    ("package_version", True, "'package_version'"),
    ("type", ["translate"], "'type'"),
]


@pytest.mark.parametrize(("field", "value", "needle"), BAD_FIELDS)
def test_package_with_a_wrong_field_is_refused_before_install(
    tmp_path, monkeypatch, test_model_files, field, value, needle
):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    good = models.install_file(test_model_files["ko-en"])
    before = _snapshot(tmp_path / "pk")
    bad = _with_metadata(
        test_model_files["ko-en"], tmp_path / "bad.argosmodel", lambda m: m.update({field: value})
    )
    with pytest.raises(ModelError, match=needle) as err:
        models.install_file(bad)
    assert "coverage-align models install" in str(err.value)
    assert _snapshot(tmp_path / "pk") == before  # the working package was not touched
    assert models.find_installed("ko", "en") == good


@pytest.mark.parametrize(("field", "value", "needle"), BAD_FIELDS)
def test_damaged_installed_package_is_skipped_and_removable(
    tmp_path, monkeypatch, test_model_files, caplog, field, value, needle
):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "pk"))
    en_ko = models.install_file(test_model_files["en-ko"])
    ko_en = models.install_file(test_model_files["ko-en"])
    meta_path = ko_en.path / "metadata.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta[field] = value
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="coverage_align"):
        assert models.list_installed() == [en_ko]
    (warning,) = [r.getMessage() for r in caplog.records if "damaged Argos package" in r.getMessage()]
    assert str(ko_en.path) in warning and needle in warning
    res = runner.invoke(app, ["models", "list"])
    assert res.exit_code == 0 and "Traceback" not in res.output
    if field in ("from_code", "to_code"):
        assert "deleting the folder" in warning  # its direction cannot be read
        return
    assert "coverage-align models remove ko en" in warning
    with pytest.raises(ModelNotInstalled):
        models.find_installed("ko", "en")
    res = runner.invoke(app, ["models", "remove", "ko", "en"])
    assert res.exit_code == 0, res.output
    assert not ko_en.path.exists() and models.list_installed() == [en_ko]


# ---------------------------------------------------------------- 7. undecodable input

EUROPEAN = [
    ("latin-1", "Café señor, the mayor's façade was rebuilt in the Müller style."),
    ("cp1252", "“Smart quotes” — and an en dash – cost €5 in Zürich."),
    ("cp1250", "Łódź and Kraków signed the pact, said Dvořák."),
    ("cp1251", "Президент заявил, что переговоры продолжатся на следующей неделе."),
    ("cp1253", "Ο πρωθυπουργός δήλωσε ότι οι συνομιλίες θα συνεχιστούν."),
    ("iso-8859-9", "Şehir meclisi, yağmur sonrası köprüyü kapattı."),
]


@pytest.mark.parametrize(("codec", "text"), EUROPEAN)
def test_single_byte_encodings_are_refused_not_guessed(tmp_path, codec, text):
    from translate.documents import load_document

    path = tmp_path / "en.txt"
    path.write_bytes(((text + "\n") * 20).encode(codec))
    with pytest.raises(InputError, match="is not UTF-8") as err:
        load_document(path, "en")
    assert "iconv" in str(err.value) and "\n" not in str(err.value)


def test_broken_utf8_is_refused_with_its_offset(tmp_path):
    from translate.documents import load_document

    good = EN.read_bytes()
    path = tmp_path / "broken.txt"
    path.write_bytes(good[:100] + b"\xff" + good[100:])
    with pytest.raises(InputError, match="invalid byte at offset 100"):
        load_document(path, "en")


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_korean_legacy_encodings_still_decode_exactly(tmp_path, codec):
    from translate.documents import load_document

    text = KO.read_text(encoding="utf-8")
    path = tmp_path / "ko.txt"
    path.write_bytes(text.encode(codec))
    doc = load_document(path, "ko")
    assert doc.text == text and doc.encoding == "cp949" and doc.warnings == ["decoded as cp949"]


def test_latin1_english_is_refused_by_the_cli_and_nothing_is_stored(aligned, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes(EN.read_text(encoding="utf-8").replace("the", "thé").encode("latin-1"))
    before = _snapshot(aligned)
    res = runner.invoke(
        app, ["align", "--en", str(latin), "--ko", str(KO), "--event-id", "lat", "--out", str(aligned)]
    )
    _one_line_error(res, 2, "is not UTF-8")
    assert "iconv" in res.output and _snapshot(aligned) == before


# ---------------------------------------------------------------- 9. unreadable input and the limit


def test_unreadable_input_is_one_line(aligned, tmp_path, monkeypatch):
    from translate import documents

    secret = tmp_path / "secret.txt"
    secret.write_text(EN.read_text(encoding="utf-8"), encoding="utf-8")
    real_open = Path.open

    def deny(self, *args, **kwargs):  # what a file of another user gives a non-root reader
        if self == secret:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError, match="cannot read it \\(Permission denied\\)"):
        documents.load_document(secret, "en")
    before = _snapshot(aligned)
    res = runner.invoke(
        app, ["align", "--en", str(secret), "--ko", str(KO), "--event-id", "sec", "--out", str(aligned)]
    )
    _one_line_error(res, 2, "secret.txt: cannot read it (Permission denied)")
    assert _snapshot(aligned) == before


def test_looping_link_as_input_is_one_line(tmp_path):
    from translate.documents import load_document

    loop = tmp_path / "loop.txt"
    loop.symlink_to("loop.txt")
    with pytest.raises(InputError, match="broken or looping symbolic link"):
        load_document(loop, "en")


def test_byte_limit_is_five_million_bytes_as_documented(tmp_path, monkeypatch):
    from translate.config import max_bytes
    from translate.documents import load_document

    monkeypatch.delenv("COVERAGE_ALIGN_MAX_BYTES", raising=False)
    assert max_bytes() == 5_000_000
    line = b"The river rose overnight and the town was evacuated.\n"
    body = line * (5_000_000 // len(line))
    at_limit = tmp_path / "at.txt"
    at_limit.write_bytes(body + b"x" * (5_000_000 - len(body)))
    assert len(load_document(at_limit, "en").text) == 5_000_000
    over = tmp_path / "over.txt"
    over.write_bytes(at_limit.read_bytes() + b"y")
    with pytest.raises(InputError, match="5,000,001 bytes, over the 5,000,000-byte limit \\(5 MB"):
        load_document(over, "en")


# ---------------------------------------------------------------- 6. TMX well-formed


def _xml_allowed(code: int) -> bool:
    """XML 1.0 (fifth edition), production [2] Char."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


HOSTILE = (
    list(range(0x00, 0x20))  # C0
    + list(range(0x7F, 0xA0))  # DEL and C1
    + list(range(0xFDD0, 0xFDF0))  # noncharacters in the BMP
    + [plane * 0x10000 + low for plane in range(17) for low in (0xFFFE, 0xFFFF)]  # the other 34
    + [0xD800, 0xDFFF]  # lone surrogates
)


def test_tmx_is_well_formed_for_every_control_and_noncharacter():
    import xml.etree.ElementTree as ET

    from translate.export import XML_LANG, ExportPair, to_tmx

    pairs = [ExportPair("ev", k, f"a{chr(c)}b", f"가{chr(c)}나", 0.5) for k, c in enumerate(HOSTILE)]
    text = to_tmx(pairs)
    data = text.encode("utf-8", "surrogatepass")  # what a lone surrogate would make on disk
    parsers = [lambda b: ET.fromstring(b)]
    try:
        from lxml import etree

        parsers.append(
            lambda b: etree.fromstring(b, etree.XMLParser(resolve_entities=False, no_network=True))
        )
    except ImportError:  # expat alone still proves well-formedness
        pass
    for parse in parsers:
        root = parse(data)
        tuvs = [tu.findall("tuv") for tu in root.iter("tu")]
        assert len(tuvs) == len(HOSTILE)
        for code, (en, ko) in zip(HOSTILE, tuvs, strict=True):
            assert (en.get(XML_LANG), ko.get(XML_LANG)) == ("en", "ko")
            # A parser reads CR as LF; a forbidden character is U+FFFD, everything else itself.
            kept = "\n" if code == 0xD else chr(code) if _xml_allowed(code) else "\ufffd"
            assert en.find("seg").text == f"a{kept}b", hex(code)
            assert ko.find("seg").text == f"가{kept}나", hex(code)


def test_exported_tmx_with_escape_bell_tab_and_fffe_parses(tmp_path):
    from dataset_rows import make_rows
    from lxml import etree

    root = tmp_path / "ds"
    rows = make_rows("ev", n_pairs=2)
    rows["pairs"][0]["en_text"] = "Alarm\x1b[31m \x07rang\x0bthen \ufffeagain."
    rows["provenance"] = {"aligner": {"mode": "comparable", "threshold": 0.0}}
    dataset.write_event(root, "ev", **rows)
    out = tmp_path / "tm.tmx"
    res = runner.invoke(app, ["export", "ev", "--format", "tmx", "--to", str(out), "--dataset", str(root)])
    assert res.exit_code == 0, res.output
    segs = etree.parse(str(out)).findall(".//seg")
    assert "Alarm\ufffd[31m \ufffdrang then \ufffdagain." in [s.text for s in segs]
    jsonl = tmp_path / "tm.jsonl"  # JSON can hold every character: kept as they were
    args = ["export", "ev", "--format", "jsonl", "--to", str(jsonl), "--dataset", str(root)]
    assert runner.invoke(app, args).exit_code == 0
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert "Alarm\x1b[31m \x07rang then \ufffeagain." in [r["translation"]["en"] for r in lines]


# ---------------------------------------------------------------- 5. damaged datasets in listings


def _second_event(root: Path, name: str = "ev2") -> None:
    """A copy of event ``ev`` under another id: enough for listings."""
    for table in dataset.TABLES:
        shutil.copytree(root / table / "event_id=ev", root / table / f"event_id={name}")


@pytest.mark.parametrize("damage", ["stray file", "truncated parquet", "crafted name", "link out"])
def test_listings_skip_and_name_damage_and_list_the_rest(aligned, tmp_path, damage, caplog):
    _second_event(aligned)
    pairs = aligned / "pairs"
    if damage == "stray file":
        bad = pairs / "notes.txt"
        bad.write_text("hello")
        listed = ["ev", "ev2"]
    elif damage == "truncated parquet":
        bad = pairs / "event_id=ev2" / "part-0.parquet"
        bad.write_bytes(bad.read_bytes()[:200])
        listed = ["ev"]
    elif damage == "crafted name":
        bad = pairs / "event_id=<b>x"
        shutil.copytree(pairs / "event_id=ev2", bad)
        listed = ["ev", "ev2"]
    else:
        outside = tmp_path / "outside.parquet"
        bad = aligned / "documents" / "event_id=ev2" / "part-0.parquet"
        shutil.move(bad, outside)
        bad.symlink_to(outside)
        listed = ["ev"]
    before = _snapshot(aligned)
    res = runner.invoke(app, ["events", "--json", "--dataset", str(aligned)])
    assert res.exit_code == 0 and "Traceback" not in res.output, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert [r["event_id"] for r in rows] == listed
    kinds = dataset.load_pairs(aligned, "ev")["type"].to_pylist()
    assert rows[0]["pairs"] == sum(k not in ("en-only", "ko-only") for k in kinds)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(bad) in warnings[0] and "skipping" in warnings[0], warnings
    res = runner.invoke(app, ["events", "--dataset", str(aligned)])
    assert res.exit_code == 0 and all(e in res.stdout for e in listed)
    reports = tmp_path / "reports"
    res = runner.invoke(app, ["report", "--all", "--html", str(reports), "--dataset", str(aligned)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in reports.iterdir()) == sorted([f"{e}.html" for e in listed] + ["index.html"])
    assert _snapshot(aligned) == before  # readers never write
    # One event's own read still refuses its damage, naming the file.
    if damage in ("truncated parquet", "link out"):
        res = runner.invoke(app, ["show", "ev2", "--dataset", str(aligned)])
        _one_line_error(res, 5, str(bad))
    else:
        assert runner.invoke(app, ["show", "ev2", "--dataset", str(aligned)]).exit_code == 0


# ---------------------------------------------------------------- 8. refused writes clean up


def _align_again(out: Path, event_id: str = "ev"):
    return runner.invoke(
        app, ["align", "--en", str(EN), "--ko", str(KO), "--event-id", event_id, "--out", str(out)]
    )


@pytest.mark.parametrize("where", ["partition", "file"])
def test_refused_write_leaves_no_journal_or_staging(aligned, tmp_path, where):
    outside = tmp_path / "outside"
    target = aligned / "pairs" / "event_id=ev"
    if where == "partition":
        shutil.move(target, outside)
        target.symlink_to(outside, target_is_directory=True)
    else:
        outside.mkdir()
        shutil.move(target / "part-0.parquet", outside / "part-0.parquet")
        (target / "part-0.parquet").symlink_to(outside / "part-0.parquet")
    victim = {p.name: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    before = _snapshot(aligned)
    res = _align_again(aligned)
    _one_line_error(res, 5, "symbolic link")
    assert _snapshot(aligned) == before
    assert not [p for p in aligned.iterdir() if p.name.startswith((".journal-", ".staging-"))]
    assert {p.name: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == victim
    res = runner.invoke(app, ["repair", "--dataset", str(aligned)])
    assert res.exit_code == 0 and "nothing to repair" in res.output


def test_refused_after_commit_cleans_its_own_journal(aligned, monkeypatch):
    """A link that appears between the check and the swap: the writer discards its own commit."""
    before = _snapshot(aligned)
    monkeypatch.setattr(dataset, "_check_targets", lambda root, event_id: None)
    target = aligned / "links" / "event_id=ev"
    moved = aligned.parent / "links-ev"
    shutil.move(target, moved)
    target.symlink_to(moved, target_is_directory=True)
    res = _align_again(aligned)
    _one_line_error(res, 5, "symlink")
    assert not [p for p in aligned.iterdir() if p.name.startswith((".journal-", ".staging-"))]
    assert {k: v for k, v in _snapshot(aligned).items() if not k.startswith("links")} == {
        k: v for k, v in before.items() if not k.startswith("links")
    }


def test_repair_discards_a_journal_it_will_not_replay(aligned, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("x")
    (aligned / ".journal-ev.json").write_text(json.dumps({"swaps": [], "cleanup": [str(victim)]}))
    (aligned / ".staging-ev-0123456789ab").mkdir()
    (aligned / ".journal-<b>x.json").write_text("{")  # no valid event wrote this
    res = runner.invoke(app, ["repair", "--dataset", str(aligned)])
    _one_line_error(res, 5, "coverage-align repair --discard")
    res = runner.invoke(app, ["repair", "--discard", "--dataset", str(aligned)])
    assert res.exit_code == 0 and "repaired ev" in res.output, res.output
    assert not [p for p in aligned.iterdir() if p.name.startswith((".journal-", ".staging-"))]
    assert (victim / "keep.txt").exists()
    assert runner.invoke(app, ["show", "ev", "--dataset", str(aligned)]).exit_code == 0


# ---------------------------------------------------------------- 3. memory at the input limit


def test_candidates_and_features_in_blocks_equal_one_pass(monkeypatch):
    import numpy as np

    from translate.align import features

    rng = np.random.default_rng(7)
    en = [f"{w} rose 3.{k}% in {k} days, NATO said" for k, w in enumerate(EN.read_text().split()[:300])]
    ko = [f"{w} {k}일 동안 3.{k}% 올랐다고 NATO가 밝혔다" for k, w in enumerate(KO.read_text().split()[:280])]
    emb_en = rng.normal(size=(len(en), 16)).astype(np.float32)
    emb_ko = rng.normal(size=(len(ko), 16)).astype(np.float32)
    emb_en /= np.linalg.norm(emb_en, axis=1, keepdims=True)
    emb_ko /= np.linalg.norm(emb_ko, axis=1, keepdims=True)
    e, k = features.build_sides(en, ko, en2ko=ko[: len(en)] + ko[: len(en) - len(ko)], ko2en=en[: len(ko)],
                                emb_en=emb_en, emb_ko=emb_ko)  # fmt: skip
    pairs = features.candidates(e, k, 6)
    knn, best = (e.knn, k.knn), (e.best, k.best)
    monkeypatch.setattr(features, "_CELLS", 1000)  # 3 rows a block against 280 columns
    again = features.candidates(e, k, 6)
    assert all(np.array_equal(a, b) for a, b in zip(pairs, again, strict=True))
    # Equal up to BLAS rounding: a matrix product's sums depend on the block's shape.
    assert np.allclose(knn[0], e.knn, rtol=1e-6) and np.allclose(knn[1], k.knn, rtol=1e-6)
    assert np.array_equal(best[0], e.best) and np.array_equal(best[1], k.best)
    whole = features.pair_features(e, k, pairs, 1.0)
    monkeypatch.setattr(features, "_PAIR_BLOCK", 37)  # blocks that end mid-row, and a ragged last one
    monkeypatch.setattr(features, "_NNZ_BLOCK", 50)  # a slice smaller than one row: one pair at a time
    blocked = features.pair_features(e, k, pairs, 1.0)
    assert len(pairs[0]) > 37 * 10
    assert np.array_equal(whole, blocked)
    assert (whole[:, features.FEATURES.index("chrf_en")] > 0).any()  # the sliced products were used


@pytest.mark.parametrize("cells", [1, 150, 1 << 21])
def test_top_k_matches_a_full_sort_whatever_the_block(monkeypatch, cells):
    import numpy as np

    from translate.align import features

    rng = np.random.default_rng(3)
    sim = np.round(rng.random((200, 150)), 1).astype(np.float32)  # many ties
    monkeypatch.setattr(features, "_CELLS", cells)
    ri, rv, ci, cv = features.top_k(lambda rows: sim[rows], 200, 150, 5)
    assert np.array_equal(rv, -np.sort(-sim, axis=1)[:, :5])
    assert np.array_equal(cv, -np.sort(-sim, axis=0)[:5])
    assert np.array_equal(np.take_along_axis(sim, ri, 1), rv)  # the indices point at those values
    assert np.array_equal(np.take_along_axis(sim, ci, 0), cv)
    assert all(len(set(col)) == 5 for col in ci.T)  # five distinct rows per column


def test_out_of_memory_is_one_line(aligned, monkeypatch):
    import numpy as np

    from translate import pipeline

    def exhausted(*args, **kwargs):
        np.zeros((1 << 40, 1 << 10))  # numpy's _ArrayMemoryError, as at the input limit

    monkeypatch.setattr(pipeline, "align_sides", exhausted)
    before = _snapshot(aligned)
    res = _align_again(aligned)
    _one_line_error(res, 1, "out of memory")
    assert "split the input" in res.output and _snapshot(aligned) == before


# ---------------------------------------------------------------- 4. repeated lines


def test_line_joining_scans_each_line_once(monkeypatch):
    """A long run of lowercase lines (a code block) was rescanned whole for every line: quadratic."""
    from translate import segment

    scanned = []
    real = segment._LINE_ENDS_SENTENCE

    class Counting:
        def search(self, text):
            scanned.append(len(text))
            return real.search(text)

    monkeypatch.setattr(segment, "_LINE_ENDS_SENTENCE", Counting())
    text = "# Title\n\n```\n" + "int main() { return 0; }\n" * 4000 + "```\n\nThe end.\n"
    sentences = segment.segment(text, "en")
    assert sum(scanned) <= 2 * len(text)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    # Joining is unchanged: a hard-wrapped line still continues its sentence.
    wrapped = "The minister said the\nplan would pass next week.\nOfficials agreed.\n"
    assert [s.text for s in segment.segment(wrapped, "en")] == [
        "The minister said the\nplan would pass next week.",
        "Officials agreed.",
    ]
