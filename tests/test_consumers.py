"""The dataset in the tools people load it with, each checked against DuckDB's view.

Hugging Face ``datasets`` (Parquet and the JSONL export), Spark in local mode,
translate-toolkit's TMX reader (in a venv of its own), and every snippet of
docs/analytics.md, executed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from dataset_rows import make_rows

from translate import dataset
from translate.export import export, select_pairs

# Loading local files needs no hub; read by `datasets` at import, so set before any test imports it.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "analytics.md"
GAPS = ("en-only", "ko-only")
# Ids that readers' partition-type guessing turns into dates, and into integers.
ID_STYLES = {"dates": ("2026-07-01", "2026-07-02"), "digits": ("0042", "0043")}


def build(root: Path, event_ids: tuple[str, str]) -> Path:
    """Two events: the first with a threshold that drops some pairs and a line break in a text."""
    for eid, n, threshold in ((event_ids[0], 4, 0.6), (event_ids[1], 2, 0.0)):
        rows = make_rows(eid, n_pairs=n)
        rows["pairs"][1]["en_text"] += "\nwith a line break"
        rows["pairs"][1]["translation"]["en"] += "\nwith a line break"
        rows["provenance"] = {"aligner": {"mode": "comparable", "threshold": threshold}}
        dataset.write_event(root, eid, **rows)
    return root


def duck_view(root: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB's view of the dataset, the reference every other reader is held to."""
    con = duckdb.connect()
    for table in dataset.TABLES:
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{root}/{table}/**/*.parquet', "
            "hive_partitioning = true, hive_types = {'event_id': VARCHAR})"
        )
    return con


@pytest.fixture(scope="module")
def ds(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("consumers") / "parallel", ID_STYLES["dates"])


@pytest.fixture(scope="module")
def duck(ds) -> duckdb.DuckDBPyConnection:
    return duck_view(ds)


def exported(duck: duckdb.DuckDBPyConnection) -> list[tuple]:
    """What an export must hold, by DuckDB: matched pairs at or above each event's threshold."""
    return duck.execute(
        """
        SELECT event_id, row_index, regexp_replace(trim(en_text), '\\s+', ' ', 'g'), ko_text
        FROM pairs
        WHERE type NOT IN ('en-only', 'ko-only')
          AND score >= CASE event_id WHEN '2026-07-01' THEN 0.6 ELSE 0.0 END
        ORDER BY event_id, row_index
        """
    ).fetchall()


# --- Hugging Face datasets -----------------------------------------------------------


def test_datasets_parquet_loader_reads_pairs_as_a_translation_dataset(ds, duck):
    import datasets

    pairs = datasets.load_dataset("parquet", data_files=f"{ds}/pairs/**/*.parquet", split="train")
    want = duck.execute(
        "SELECT generation, row_index, type, translation FROM pairs ORDER BY generation, row_index"
    ).fetchall()
    assert pairs.num_rows == len(want) == 8
    got = sorted(
        zip(pairs["generation"], pairs["row_index"], pairs["type"], pairs["translation"], strict=True)
    )
    assert [g[:3] for g in got] == [w[:3] for w in want]
    assert [g[3] for g in got] == [w[3] for w in want]  # {en, ko} content, nulls on gap rows included
    # No Hive discovery in this loader (docs/analytics.md says so): the event is the directory.
    assert "event_id" not in pairs.column_names
    one = datasets.load_dataset(
        "parquet", data_files=f"{ds}/pairs/event_id=2026-07-02/*.parquet", split="train"
    )
    (n,) = duck.execute("SELECT count(*) FROM pairs WHERE event_id = '2026-07-02'").fetchone()
    assert one.num_rows == n == 3

    cast = pairs.cast_column("translation", datasets.Translation(languages=["en", "ko"]))
    assert isinstance(cast.features["translation"], datasets.Translation)
    assert cast.features["translation"].languages == ["en", "ko"]
    assert sorted(zip(cast["generation"], cast["row_index"], cast["translation"], strict=True)) == sorted(
        (g, r, t) for g, r, _, t in want
    )


def test_datasets_json_loader_reads_the_jsonl_export(ds, duck, tmp_path):
    import datasets

    out = tmp_path / "pairs.jsonl"
    export(select_pairs(ds), "jsonl", out)
    loaded = datasets.load_dataset("json", data_files=str(out), split="train")
    want = exported(duck)
    assert loaded.num_rows == len(want) == 5  # 3 of the first event's 4 pairs pass its 0.6
    got = [(r["row_index"], r["translation"]["en"], r["translation"]["ko"]) for r in loaded]
    assert got == [w[1:] for w in want]
    cast = loaded.cast_column("translation", datasets.Translation(languages=["en", "ko"]))
    assert isinstance(cast.features["translation"], datasets.Translation)
    # The trap docs/analytics.md describes: a date-like id is guessed to be a timestamp,
    # and telling the loader it is a string does not bring "2026-07-01" back.
    assert loaded.features["event_id"].dtype.startswith("timestamp")
    features = datasets.Features({**loaded.features, "event_id": datasets.Value("string")})
    told = datasets.load_dataset("json", data_files=str(out), split="train", features=features)
    assert told["event_id"][0] == f"{want[0][0]} 00:00:00"


# --- Spark ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark(tmp_path_factory) -> Iterator:
    """One local Spark session for the module, started lean: no UI, loopback only, 2 shuffle partitions."""
    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Java runtime: .ci/run installs default-jre-headless")
        pytest.skip("no Java runtime (`java`): install default-jre-headless to run the Spark tests")
    import warnings

    from pyspark.sql import SparkSession

    scratch = tmp_path_factory.mktemp("spark")
    # Read when the JVM is launched: never look up or bind an interface other than loopback.
    before = os.environ.get("SPARK_LOCAL_IP")
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # PySpark's notice about pandas 3
        session = (
            SparkSession.builder.master("local[2]")
            .appName("coverage-align-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.local.dir", str(scratch / "local"))
            .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.log.level", "ERROR")
            .getOrCreate()
        )
    if before is None:
        os.environ.pop("SPARK_LOCAL_IP")
    else:
        os.environ["SPARK_LOCAL_IP"] = before
    yield session
    session.stop()


INFER = "spark.sql.sources.partitionColumnTypeInference.enabled"


@pytest.mark.slow
def test_spark_reads_the_four_tables_and_joins_like_duckdb(ds, duck, spark):
    spark.conf.set(INFER, "false")
    try:
        tables = {t: spark.read.parquet(str(ds / t)) for t in dataset.TABLES}
        for name, df in tables.items():
            cols = [c for (c,) in duck.execute(f"SELECT column_name FROM (DESCRIBE {name})").fetchall()]
            assert sorted(df.columns) == sorted(cols), name
            assert dict(df.dtypes)["event_id"] == "string"
            per_event = sorted(tuple(r) for r in df.groupBy("event_id").count().collect())
            assert (
                per_event
                == duck.execute(
                    f"SELECT event_id, count(*) FROM {name} GROUP BY event_id ORDER BY event_id"
                ).fetchall()
            ), name

        # Every link with the text of both its sentences (many-to-many: one English sentence twice).
        links, sentences = tables["links"], tables["sentences"]
        en = sentences.where("side = 'en'").selectExpr("event_id", "sentence_index AS en_index", "text AS en")
        ko = sentences.where("side = 'ko'").selectExpr("event_id", "sentence_index AS ko_index", "text AS ko")
        joined = links.join(en, ["event_id", "en_index"]).join(ko, ["event_id", "ko_index"])
        cols = ("event_id", "en_index", "ko_index", "score", "en", "ko")
        got = sorted(tuple(r) for r in joined.select(*cols).collect())
        want = duck.execute(
            """
            SELECT l.event_id, l.en_index, l.ko_index, l.score, e.text, k.text
            FROM links l
            JOIN sentences e ON e.event_id = l.event_id AND e.side = 'en' AND e.sentence_index = l.en_index
            JOIN sentences k ON k.event_id = l.event_id AND k.side = 'ko' AND k.sentence_index = l.ko_index
            ORDER BY ALL
            """
        ).fetchall()
        assert got == want and len(got) == 8

        # A pairs row's sentences through its index list, as the README's DuckDB join does.
        rows = tables["pairs"].selectExpr("event_id", "row_index", "explode(en_indices) AS en_index")
        texts = rows.join(en, ["event_id", "en_index"]).select("event_id", "row_index", "en")
        assert (
            sorted(tuple(r) for r in texts.collect())
            == duck.execute(
                """
            SELECT p.event_id, p.row_index, s.text
            FROM pairs p, unnest(p.en_indices) AS u(i)
            JOIN sentences s ON s.event_id = p.event_id AND s.side = 'en' AND s.sentence_index = u.i
            ORDER BY ALL
            """
            ).fetchall()
        )
        # The struct column reads as a struct.
        (first,) = tables["pairs"].where("event_id = '2026-07-02' AND row_index = 0").collect()
        assert (
            first.translation.asDict()
            == duck.execute(
                "SELECT translation FROM pairs WHERE event_id = '2026-07-02' AND row_index = 0"
            ).fetchone()[0]
        )
    finally:
        spark.conf.unset(INFER)


@pytest.mark.slow
def test_spark_merges_partitions_written_before_a_column_existed(spark, tmp_path):
    """As docs/analytics.md says: with mergeSchema, a partition older than a column reads nulls there."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    dataset.write_event(tmp_path, "new", **make_rows("new"))
    rows = [{k: v for k, v in r.items() if k != "numbers_only_ko"} for r in make_rows("old")["pairs"]]
    old = dataset.PAIRS.remove(dataset.PAIRS.get_field_index("numbers_only_ko"))
    (tmp_path / "pairs" / "event_id=old").mkdir()
    pq.write_table(
        pa.Table.from_pylist(rows, schema=old), tmp_path / "pairs" / "event_id=old" / "part-0.parquet"
    )
    merged = spark.read.option("mergeSchema", "true").parquet(str(tmp_path / "pairs"))
    assert "numbers_only_ko" in merged.columns
    missing = merged.where("numbers_only_ko IS NULL").groupBy("event_id").count().collect()
    assert [tuple(r) for r in missing] == [("old", len(rows))]


# --- TMX through translate-toolkit --------------------------------------------------------

TRANSLATE_TOOLKIT = "translate-toolkit==3.20.4"
_READ_TMX = """
import json, sys
import translate
from translate.misc.xml_helpers import getXMLlang
from translate.storage import tmx

with open(sys.argv[1], "rb") as f:
    store = tmx.tmxfile(f, sourcelanguage="en", targetlanguage="ko")
units = [
    {"id": u.getid(), "langs": [getXMLlang(n) for n in u.getlanguageNodes()], "en": u.source, "ko": u.target}
    for u in store.units
]
print(json.dumps({"module": translate.__file__, "units": units}))
"""
# Messages uv prints when PyPI cannot be reached (as opposed to a package that does not install).
_OFFLINE = re.compile(r"dns error|failed to connect|connection refused|timed out|network|offline", re.I)


@pytest.fixture(scope="module")
def ttk_python(tmp_path_factory) -> Path:
    """A venv holding only translate-toolkit, made by uv outside the project folder.

    Its import name ``translate`` is also this project's package; and uv applies
    this project's override-dependencies to any install run inside the project,
    so the venv is made in a temp dir with ``--no-config``.
    """
    uv = os.environ.get("UV") or shutil.which("uv")
    work = tmp_path_factory.mktemp("translate-toolkit")
    ci = os.environ.get("CI") == "true"
    if uv is None:
        if ci:
            pytest.fail("CI=true but uv is not on PATH: the TMX reader test builds its venv with uv")
        pytest.skip("uv not found: the TMX reader test builds translate-toolkit's venv with uv")
    # The test session points XDG_CACHE_HOME at a temp dir; uv's own cache keeps this fast.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "XDG_CACHE_HOME", "PYTHONPATH")}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    venv = work / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    python = str(venv / "bin" / "python")
    steps = (
        [uv, "venv", "--no-config", "--quiet", "--python", base, str(venv)],
        [uv, "pip", "install", "--no-config", "--quiet", "--python", python, TRANSLATE_TOOLKIT],
    )
    for cmd in steps:
        res = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=300)
        if res.returncode:
            why = (res.stderr.strip() or res.stdout.strip()).splitlines()[-1:] or ["no output"]
            if not ci and _OFFLINE.search(res.stderr):
                pytest.skip(f"offline, cannot install {TRANSLATE_TOOLKIT}: {why[0]}")
            pytest.fail(f"cannot install {TRANSLATE_TOOLKIT} in {venv}: {res.stderr[-2000:]}")
    return venv / "bin" / "python"


def test_translate_toolkit_reads_the_tmx_export(ds, duck, ttk_python, tmp_path):
    """translate-toolkit's TMX reader (``translate.storage.tmx.tmxfile``, which Weblate uses) reads
    the export back. It runs in its own uv-made venv (fixture ``ttk_python``): its import name,
    ``translate``, is this project's package too."""
    out = tmp_path / "tm.tmx"
    export(select_pairs(ds), "tmx", out)
    script = tmp_path / "read_tmx.py"
    script.write_text(_READ_TMX, encoding="utf-8")
    # -I: neither this checkout nor PYTHONPATH on sys.path, so `translate` is translate-toolkit's.
    res = subprocess.run(
        [str(ttk_python), "-I", str(script), str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    read = json.loads(res.stdout)
    assert Path(read["module"]).is_relative_to(ttk_python.parent.parent)
    want = exported(duck)
    assert len(read["units"]) == len(want) == 5
    assert all(u["langs"] == ["en", "ko"] for u in read["units"])
    got = [(*u["id"].split("#"), u["en"], u["ko"]) for u in read["units"]]
    assert got == [(e, str(r), en, ko) for e, r, en, ko in want]


# --- docs/analytics.md, every snippet executed --------------------------------------------

# Which variable each Python snippet leaves its answer in.
ANSWERS = {"pandas": "per_event", "polars": "disagreements", "spark": "headline_links", "datasets": "train"}
ANSWERS["datasets-json"] = "pairs"
_SNIPPET = re.compile(r"<!-- snippet: ([\w-]+) -->\n```(sql|python)\n(.*?)```", re.S)


def snippets() -> dict[str, tuple[str, str]]:
    found = _SNIPPET.findall(DOC.read_text(encoding="utf-8"))
    return {name: (lang, code) for name, lang, code in found}


def test_every_snippet_in_the_doc_is_tested():
    blocks = DOC.read_text(encoding="utf-8").count("```") // 2
    assert set(snippets()) == {"duckdb", *ANSWERS}
    assert len(snippets()) == blocks  # no fenced block without a snippet marker


@pytest.fixture(params=sorted(ID_STYLES))
def docs_ds(request, tmp_path, monkeypatch) -> tuple[Path, tuple[str, str]]:
    """A dataset at ./data/parallel, where the snippets look for it; ids per style."""
    ids = ID_STYLES[request.param]
    root = build(tmp_path / "data" / "parallel", ids)
    monkeypatch.chdir(tmp_path)
    return root, ids


def _run(name: str, root: Path | None = None):
    lang, code = snippets()[name]
    if root is not None:  # the JVM resolves relative paths against the directory it started in
        code = code.replace('"data/parallel/', f'"{root}/')
    if lang == "sql":
        return duckdb.connect().execute(code).fetchall()
    ns: dict = {}
    exec(compile(code, f"{DOC.name}:{name}", "exec"), ns)
    return ns[ANSWERS[name]]


def test_duckdb_snippet(docs_ds):
    root, ids = docs_ds
    got = _run("duckdb")
    truth = dataset.load_pairs(root).to_pylist()  # pyarrow, for the one snippet DuckDB runs itself
    want = [(r["event_id"], r["row_index"], r["ko_text"], r["ko_to_en"]) for r in truth]
    want = [w for w, r in zip(want, truth, strict=True) if r["type"] == "ko-only"]
    assert got == want and [g[0] for g in got] == list(ids)


def test_pandas_snippet(docs_ds):
    root, ids = docs_ds
    per_event = _run("pandas")
    got = {(e, t): int(n) for e, row in per_event.iterrows() for t, n in row.items() if n}
    want = duck_view(root).execute("SELECT event_id, type, count(*) FROM pairs GROUP BY ALL").fetchall()
    assert got == {(e, t): n for e, t, n in want}
    assert sorted(per_event.index) == list(ids)  # strings, "0042" not 42


def test_polars_snippet(docs_ds):
    root, _ = docs_ds
    got = _run("polars").rows()
    want = (
        duck_view(root)
        .execute(
            """
        SELECT event_id, row_index, en_text, ko_text, numbers_only_en, numbers_only_ko FROM pairs
        WHERE len(numbers_only_en) > 0 OR len(numbers_only_ko) > 0 ORDER BY event_id, row_index
        """
        )
        .fetchall()
    )
    assert got == want and len(got) == 3  # the odd rows of both events


@pytest.mark.slow
def test_spark_snippet(docs_ds, spark):
    root, ids = docs_ds
    spark.conf.unset(INFER)  # the snippet must say it itself
    try:
        got = [tuple(r) for r in _run("spark", root).collect()]
    finally:
        spark.conf.unset(INFER)
    want = (
        duck_view(root)
        .execute(
            """
        SELECT l.event_id, l.en_index, l.score, s.text FROM links l
        JOIN sentences s ON s.event_id = l.event_id AND s.side = 'ko' AND s.sentence_index = l.ko_index
        WHERE l.ko_index = 0 ORDER BY l.event_id, l.en_index
        """
        )
        .fetchall()
    )
    assert got == want and [g[0] for g in got] == list(ids)


def test_datasets_snippet(docs_ds):
    import datasets

    root, _ = docs_ds
    train = _run("datasets")
    assert isinstance(train.features["translation"], datasets.Translation)
    want = (
        duck_view(root)
        .execute(
            "SELECT translation.en, translation.ko, score FROM pairs WHERE type NOT IN ('en-only', 'ko-only')"
        )
        .fetchall()
    )
    got = [(r["translation"]["en"], r["translation"]["ko"], r["score"]) for r in train]
    assert sorted(got) == sorted(want) and len(got) == 6


def test_datasets_json_snippet(docs_ds):
    root, ids = docs_ds
    export(select_pairs(root), "jsonl", "pairs.jsonl")
    pairs = _run("datasets-json")
    got = [(r["event_id"], r["row_index"], r["translation"]["en"], r["translation"]["ko"]) for r in pairs]
    want = (
        duck_view(root)
        .execute(
            f"""
        SELECT event_id, row_index, regexp_replace(trim(en_text), '\\s+', ' ', 'g'), ko_text FROM pairs
        WHERE type NOT IN ('en-only', 'ko-only')
          AND score >= CASE event_id WHEN '{ids[0]}' THEN 0.6 ELSE 0.0 END
        ORDER BY event_id, row_index
        """
        )
        .fetchall()
    )
    assert got == want and {g[0] for g in got} == set(ids)
