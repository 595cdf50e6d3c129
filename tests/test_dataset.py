from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dataset_rows import make_rows

from translate import dataset
from translate.errors import DatasetError


def _write(root, event_id, **kw):
    return dataset.write_event(root, event_id, **make_rows(event_id, **kw))


def test_round_trip_is_exact(tmp_path):
    rows = make_rows("ev1")
    dataset.write_event(tmp_path, "ev1", **rows)
    for table in dataset.TABLES:
        got = dataset.load_table(tmp_path, table, "ev1").to_pylist()
        generation = dataset.read_provenance(tmp_path, "ev1")["generation"]
        expected = [{**r, "generation": generation, "event_id": "ev1"} for r in rows[table]]
        if table == "sentences":
            expected.sort(key=lambda r: (r["doc_id"], r["sentence_index"]))
        if table == "links":
            expected.sort(key=lambda r: (r["en_index"], r["ko_index"]))
        for g, e in zip(got, expected, strict=True):
            assert g.keys() == e.keys()
            for k in e:
                if isinstance(e[k], float):
                    assert g[k] == pytest.approx(e[k], rel=1e-6)
                else:
                    assert g[k] == e[k], (table, k)


def test_provenance_in_schema_metadata(tmp_path):
    _write(tmp_path, "ev1")
    meta = dataset.read_provenance(tmp_path, "ev1")
    assert meta["pipeline_version"] == "test" and meta["event_id"] == "ev1"
    assert "created_at" in meta


def test_rewrite_replaces_and_leaves_other_events_alone(tmp_path):
    _write(tmp_path, "ev1", n_pairs=3, tag="old")
    _write(tmp_path, "ev2", n_pairs=2)
    _write(tmp_path, "ev1", n_pairs=5, tag="new")
    _write(tmp_path, "ev1", n_pairs=5, tag="new")
    pairs = dataset.load_pairs(tmp_path)
    counts = {e: pairs.filter(pa.compute.equal(pairs["event_id"], e)).num_rows for e in ("ev1", "ev2")}
    assert counts == {"ev1": 6, "ev2": 3}
    assert all("new" in (t or "new") for t in dataset.load_pairs(tmp_path, "ev1")["en_text"].to_pylist())
    assert dataset.list_events(tmp_path) == ["ev1", "ev2"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".staging", ".trash", ".journal"))]


def test_partition_pruning_reads_one_fragment(tmp_path):
    for k in range(5):
        _write(tmp_path, f"ev{k}")
    assert dataset.fragment_count(tmp_path, "pairs") == 5
    assert dataset.fragment_count(tmp_path, "pairs", "ev3") == 1
    assert set(dataset.load_pairs(tmp_path, "ev3")["event_id"].to_pylist()) == {"ev3"}


def test_duckdb_reads_the_same_rows_and_joins(tmp_path):
    _write(tmp_path, "ev1", n_pairs=4)
    _write(tmp_path, "ev2", n_pairs=2)
    con = duckdb.connect()
    glob = f"{tmp_path}/pairs/**/*.parquet"
    (n,) = con.execute(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true)").fetchone()
    assert n == dataset.load_pairs(tmp_path).num_rows
    texts = con.execute(
        f"SELECT ko_text FROM read_parquet('{glob}', hive_partitioning=true) "
        "WHERE event_id = 'ev1' ORDER BY row_index"
    ).fetchall()
    assert [t for (t,) in texts] == dataset.load_pairs(tmp_path, "ev1")["ko_text"].to_pylist()
    joined = con.execute(
        f"""
        SELECT p.row_index, s.text, s.translation
        FROM read_parquet('{glob}', hive_partitioning=true) p,
             unnest(p.en_indices) AS u(i)
        JOIN read_parquet('{tmp_path}/sentences/**/*.parquet', hive_partitioning=true) s
          ON s.event_id = p.event_id AND s.side = 'en' AND s.sentence_index = u.i
        WHERE p.event_id = 'ev1' ORDER BY p.row_index
        """
    ).fetchall()
    assert [r[1] for r in joined] == [f"Sentence {k} v1." for k in range(4)]
    # The struct column reads as a struct, ready for Hugging Face's Translation feature.
    (tr,) = con.execute(
        f"SELECT translation FROM read_parquet('{glob}', hive_partitioning=true) "
        "WHERE event_id='ev2' AND row_index=0"
    ).fetchone()
    assert tr == {"en": "Sentence 0 v1.", "ko": "한국어 문장 0 🇰🇷 e\u0301 v1."}


def test_links_table_loads_in_duckdb_from_a_real_run(tmp_path, monkeypatch):
    from benchmarks.gold import SAMPLES
    from translate.pipeline import resolve_inputs, run_event

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    en, ko, event_id = resolve_inputs(SAMPLES / "2026-07-monsoon-floods", None, None, None)
    res = run_event(en, ko, event_id=event_id, out=tmp_path)
    con = duckdb.connect()
    rows = con.execute(
        f"""
        SELECT l.en_index, l.ko_index, l.score, l.row_index, s.text
        FROM read_parquet('{tmp_path}/links/**/*.parquet', hive_partitioning=true) l
        JOIN read_parquet('{tmp_path}/sentences/**/*.parquet', hive_partitioning=true) s
          ON s.event_id = l.event_id AND s.side = 'ko' AND s.sentence_index = l.ko_index
        WHERE l.event_id = '{event_id}' ORDER BY l.en_index, l.ko_index
        """
    ).fetchall()
    assert len(rows) == res.n_links > 0
    assert all(text == ko_text for (*_, text), ko_text in zip(rows, [r[4] for r in rows], strict=True))
    stored = dataset.load_links(tmp_path, event_id).to_pylist()
    assert [(r["en_index"], r["ko_index"]) for r in stored] == [(r[0], r[1]) for r in rows]
    # Every display pair appears among the links, with its row index.
    pairs = dataset.load_pairs(tmp_path, event_id).to_pylist()
    in_rows = {(i, j, p["row_index"]) for p in pairs for i in p["en_indices"] for j in p["ko_indices"]}
    assert in_rows <= {(r[0], r[1], r[3]) for r in rows}
    assert all(
        r[2] >= dataset.read_provenance(tmp_path, event_id)["aligner"]["threshold"] or r[3] is not None
        for r in rows
    )


def test_pandas_round_trip(tmp_path):
    import pandas as pd

    _write(tmp_path, "ev1")
    df = pd.read_parquet(tmp_path / "pairs")
    assert len(df) == 4
    assert set(df["event_id"].astype(str)) == {"ev1"}
    assert df.sort_values("row_index")["ko_text"].iloc[-1] == "혼자 😀."


def test_old_partitions_read_after_a_column_is_added(tmp_path):
    _write(tmp_path, "new")
    # An "old" partition written before numbers_only_ko existed.
    rows = make_rows("old")["pairs"]
    old_schema = dataset.PAIRS.remove(dataset.PAIRS.get_field_index("numbers_only_ko"))
    table = pa.Table.from_pylist(
        [{k: v for k, v in r.items() if k != "numbers_only_ko"} for r in rows], schema=old_schema
    )
    part = tmp_path / "pairs" / "event_id=old"
    part.mkdir(parents=True)
    pq.write_table(table, part / "part-0.parquet")
    got = dataset.load_pairs(tmp_path, "old")
    assert got.num_rows == len(rows)
    assert got["numbers_only_ko"].null_count == len(rows)
    assert dataset.load_pairs(tmp_path).num_rows == len(rows) * 2
    con = duckdb.connect()
    (n,) = con.execute(
        f"SELECT count(*) FROM read_parquet('{tmp_path}/pairs/**/*.parquet', "
        "hive_partitioning=true, union_by_name=true) WHERE numbers_only_ko IS NULL"
    ).fetchone()
    assert n == len(rows)


def test_bad_event_id_and_bad_rows(tmp_path):
    for bad in ("../escape", "x\n", "", "ev\n1"):
        with pytest.raises(DatasetError, match="invalid event id"):
            _write(tmp_path, bad)
    rows = make_rows("ev1")
    rows["pairs"][0]["surprise"] = 1
    with pytest.raises(DatasetError, match="unknown column"):
        dataset.write_event(tmp_path, "ev1", **rows)
    assert dataset.list_events(tmp_path) == []


def test_unwritable_root_is_a_dataset_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatasetError, match="not writable"):
        _write(blocker / "data", "ev1")


_WRITER = """
import sys, time
sys.path.insert(0, sys.argv[3])
from dataset_rows import make_rows
from translate import dataset
root, event = sys.argv[1], sys.argv[2]
n = int(sys.argv[4]); loops = int(sys.argv[5]); tag = sys.argv[6]
for k in range(loops):
    dataset.write_event(root, event, **make_rows(event, n_pairs=n, tag=f"{tag}{k}"))
print("done", flush=True)
"""


def _writer(root, event, n, loops, tag):
    from pathlib import Path

    here = str(Path(__file__).parent)
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(root), event, here, str(n), str(loops), tag],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_killed_writer_leaves_previous_state_complete(tmp_path):
    _write(tmp_path, "ev1", n_pairs=7, tag="stable")
    before = {t: dataset.load_table(tmp_path, t, "ev1").to_pylist() for t in dataset.TABLES}
    proc = _writer(tmp_path, "ev1", 60_000, 1, "big")
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".staging-ev1-*/*/part-0.parquet")):  # mid-write
        assert time.monotonic() < deadline and proc.poll() is None, "never caught mid-write"
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    after = {t: dataset.load_table(tmp_path, t, "ev1").to_pylist() for t in dataset.TABLES}
    assert after == before
    # And a later write still works and cleans up after the dead one.
    _write(tmp_path, "ev1", n_pairs=2, tag="later")
    assert dataset.load_pairs(tmp_path, "ev1").num_rows == 3


def _crash_after_commit(monkeypatch):
    """Make the next write die after its journal commit, before any swap."""
    real = dataset._recover
    calls = []

    def crash(root, event_id):
        calls.append(event_id)
        if len(calls) == 2:  # the post-commit call
            raise KeyboardInterrupt
        return real(root, event_id)

    monkeypatch.setattr(dataset, "_recover", crash)
    return lambda: monkeypatch.setattr(dataset, "_recover", real)


def _tree(root):
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")}


def test_interrupted_swap_is_left_to_writers_and_repair(tmp_path, monkeypatch):
    _write(tmp_path, "ev1", n_pairs=2, tag="old")
    restore = _crash_after_commit(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        _write(tmp_path, "ev1", n_pairs=4, tag="new")
    restore()
    assert dataset.pending_journals(tmp_path) == ["ev1"]
    # Readers never write: they read the old, complete state and leave the journal.
    before = _tree(tmp_path)
    assert dataset.load_pairs(tmp_path, "ev1").num_rows == 3
    assert dataset.load_event(tmp_path, "ev1")[0][0]["en_text"].endswith("old.")
    assert _tree(tmp_path) == before
    assert dataset.repair(tmp_path) == ["ev1"]
    assert dataset.pending_journals(tmp_path) == []
    assert dataset.load_pairs(tmp_path, "ev1").num_rows == 5
    assert set(dataset.load_documents(tmp_path, "ev1")["title"].to_pylist()) == {"Title new", "제목 👍"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".staging", ".journal"))]


@pytest.mark.parametrize(
    "journal",
    [
        {"swaps": [], "cleanup": ["VICTIM"]},  # the repro (old, absolute format)
        {"version": 2, "event_id": "ev1", "staging": "../victim", "swaps": []},
        {
            "version": 2,
            "event_id": "ev1",
            "staging": ".staging-ev1-0123456789ab",
            "swaps": [{"staged": ".staging-ev1-0123456789ab/pairs/part-0.parquet", "final": "VICTIM"}],
        },
        "{not json",
    ],
)
def test_hostile_journal_is_refused_without_action(tmp_path, journal):
    root, victim = tmp_path / "ds", tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    _write(root, "ev1")
    text = journal if isinstance(journal, str) else json.dumps(journal).replace("VICTIM", str(victim))
    (root / ".journal-ev1.json").write_text(text)
    before = _tree(root)
    dataset.load_event(root, "ev1")  # readers neither replay nor delete
    for action in (lambda: _write(root, "ev1"), lambda: dataset.repair(root)):
        with pytest.raises(DatasetError, match="journal"):
            action()
    assert (victim / "precious.txt").read_text() == "keep me"
    assert {k: v for k, v in _tree(root).items() if not k.startswith(".locks")} == {
        k: v for k, v in before.items() if not k.startswith(".locks")
    }


def test_journal_through_a_symlink_is_refused(tmp_path):
    root, victim = tmp_path / "ds", tmp_path / "victim"
    (victim / "pairs").mkdir(parents=True)
    (victim / "pairs" / "part-0.parquet").write_text("keep me")
    _write(root, "ev1")
    staging = ".staging-ev1-0123456789ab"
    (root / staging).symlink_to(victim, target_is_directory=True)
    plan = {
        "version": 2,
        "event_id": "ev1",
        "staging": staging,
        "swaps": [
            {"staged": f"{staging}/pairs/part-0.parquet", "final": "pairs/event_id=ev1/part-0.parquet"}
        ],
    }
    (root / ".journal-ev1.json").write_text(json.dumps(plan))
    with pytest.raises(DatasetError, match="symlink"):
        dataset.repair(root)
    assert (victim / "pairs" / "part-0.parquet").read_text() == "keep me"
    assert dataset.load_pairs(root, "ev1").num_rows == 4


def test_next_write_removes_a_killed_writers_staging(tmp_path):
    _write(tmp_path, "ev1")
    _write(tmp_path, "ev1-b")
    stale = tmp_path / ".staging-ev1-0123456789ab"
    (stale / "pairs").mkdir(parents=True)
    other = tmp_path / ".staging-ev1-b-0123456789ab"  # another event's: not ours to remove
    other.mkdir()
    (tmp_path / ".journal-ev1.tmp").write_text("{")
    _write(tmp_path, "ev1")
    assert not stale.exists() and not (tmp_path / ".journal-ev1.tmp").exists()
    assert other.exists()
    assert dataset.repair(tmp_path) == ["ev1-b"] and not other.exists()


def test_disk_full_while_staging_leaves_the_event_alone(tmp_path, monkeypatch):
    import errno

    _write(tmp_path, "ev1", tag="old")
    before = _tree(tmp_path)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(dataset.pq, "write_table", full)
    with pytest.raises(DatasetError, match="No space left on device"):
        _write(tmp_path, "ev1", tag="new")
    after = _tree(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith(".locks")} == {
        k: v for k, v in before.items() if not k.startswith(".locks")
    }


def test_readers_see_one_whole_generation_during_a_slow_swap(tmp_path, monkeypatch):
    """The README's guarantee, read in a loop while a writer swaps slowly."""
    import threading

    _write(tmp_path, "ev1", n_pairs=2, tag="old")
    real_swap = dataset._swap

    def slow_swap(staged, final):
        time.sleep(0.15)
        real_swap(staged, final)

    monkeypatch.setattr(dataset, "_swap", slow_swap)
    writer = threading.Thread(
        target=lambda: [_write(tmp_path, "ev1", n_pairs=n, tag=f"t{n}") for n in (5, 3)]
    )
    writer.start()
    con = duckdb.connect()
    seen_mix, reads = 0, 0
    while writer.is_alive() or reads < 3:
        reads += 1
        gens = {}
        for t in dataset.TABLES:
            table = dataset.load_table(tmp_path, t, "ev1")
            assert table.num_rows > 0  # never missing
            gens[t] = set(table["generation"].to_pylist())
            assert len(gens[t]) == 1  # never two writes in one table
        seen_mix += len(set.union(*gens.values())) > 1
        # The documented join: rows of one write only.
        (n_mixed,) = con.execute(
            f"SELECT count(*) FROM read_parquet('{tmp_path}/pairs/**/*.parquet', hive_partitioning=true) p "
            f"JOIN read_parquet('{tmp_path}/documents/**/*.parquet', hive_partitioning=true) d "
            "USING (event_id) WHERE p.generation <> d.generation"
        ).fetchone()
        pairs, docs, prov = dataset.load_event(tmp_path, "ev1")
        assert {r["generation"] for r in pairs} == {d["generation"] for d in docs} == {prov["generation"]}
        if not writer.is_alive() and reads >= 3:
            assert n_mixed == 0
    writer.join()
    assert seen_mix > 0  # the loop did catch a swap in progress, and the generation column showed it
    assert dataset.load_pairs(tmp_path, "ev1").num_rows == 4


def test_concurrent_writers(tmp_path):
    procs = [
        _writer(tmp_path, "a", 50, 15, "a"),
        _writer(tmp_path, "b", 50, 15, "b"),
        _writer(tmp_path, "same", 40, 10, "x"),
        _writer(tmp_path, "same", 30, 10, "y"),
    ]
    for p in procs:
        out, _ = p.communicate(timeout=300)
        assert p.returncode == 0 and "done" in out
    assert dataset.load_pairs(tmp_path, "a").num_rows == 51
    assert dataset.load_pairs(tmp_path, "b").num_rows == 51
    # Same event: the last write wins whole, consistently across the three tables.
    tags = {
        json.loads(
            pq.read_schema(tmp_path / t / "event_id=same" / "part-0.parquet").metadata[dataset.METADATA_KEY]
        )["tag"]
        for t in dataset.TABLES
    }
    assert len(tags) == 1
    n = dataset.load_pairs(tmp_path, "same").num_rows
    assert n in (41, 31)
    assert dataset.load_sentences(tmp_path, "same").num_rows == 2 * (n - 1)


def test_polars_reads_the_hive_dataset(tmp_path):
    pl = pytest.importorskip("polars")
    _write(tmp_path, "ev1", n_pairs=3)
    _write(tmp_path, "ev2", n_pairs=1)
    df = pl.read_parquet(f"{tmp_path}/pairs/**/*.parquet", hive_partitioning=True)
    assert df.height == 6
    ko_only = df.filter((pl.col("event_id") == "ev1") & (pl.col("type") == "ko-only"))
    assert ko_only["ko_text"].to_list() == ["혼자 😀."]
