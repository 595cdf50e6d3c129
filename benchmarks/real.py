"""The real-coverage dev set: manifests in git, texts outside it.

Each event is ``data/real/<event_id>.json``: the two articles' URLs and the
search queries that find them, the sha256 of each text, every sentence's
12-character prefix (as our segmenter splits it) and the gold links, written
by this project. The articles themselves belong to their newsrooms and are
never committed; put them in ``$COVERAGE_ALIGN_REAL`` (default
``/work/realdata/texts``) as ``<event_id>/en.txt`` and ``ko.txt``, plus
``ko2en.txt`` / ``en2ko.txt`` (one reference translation per sentence) where
written.

``features(...)`` turns the events that have texts into a feature table per
signal condition; the table is committed (``data/real/features.parquet``) so
fitting and its refit test run anywhere.

Run:  uv run python -m benchmarks.real            (rebuild the table from local texts)
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.gold import REPO, corrupt

REAL = REPO / "data" / "real"
TABLE = REAL / "features.parquet"
CONDITIONS = ("enc", "enc+ko2en", "enc+en2ko", "enc+both", "lex", "ko2en", "en2ko", "both")
NOISE_SEED = 5  # "noisy" rows: the reference translations with 30 % of words dropped or replaced


def texts_dir() -> Path:
    return Path(os.environ.get("COVERAGE_ALIGN_REAL", "/work/realdata/texts"))


@dataclass
class RealEvent:
    event: str
    mode: str
    meta: dict
    links: set[tuple[int, int]]
    en: list[str] | None = None  # None when the texts are not on this machine
    ko: list[str] | None = None
    ko2en: list[str] | None = None
    en2ko: list[str] | None = None

    @property
    def n_en(self) -> int:
        return self.meta["en"]["n_sentences"]

    @property
    def n_ko(self) -> int:
        return self.meta["ko"]["n_sentences"]


def _sentences(path: Path, lang: str, meta: dict) -> list[str]:
    from translate.segment import segment

    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != meta["sha256"]:
        raise ValueError(f"{path}: not the text the manifest was made from (sha256 differs)")
    text = unicodedata.normalize("NFC", raw.decode("utf-8"))
    sents = [s.text for s in segment(text, lang)]
    if [s[:12] for s in sents] != meta["prefixes"]:
        raise ValueError(f"{path}: segmentation no longer matches the manifest's prefixes")
    return sents


def _lines(path: Path, n: int) -> list[str] | None:
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = lines[:-1] if lines and lines[-1] == "" else lines
    if len(lines) != n:
        raise ValueError(f"{path}: {len(lines)} lines for {n} sentences")
    return lines


def real_events(with_texts: bool = True) -> list[RealEvent]:
    """Every manifest; texts (and reference translations) are filled in where present."""
    out = []
    for path in sorted(REAL.glob("*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        ev = RealEvent(meta["event_id"], meta["mode"], meta, {(i, j) for i, j in meta["links"]})
        folder = texts_dir() / ev.event
        if with_texts and (folder / "en.txt").is_file() and (folder / "ko.txt").is_file():
            ev.en = _sentences(folder / "en.txt", "en", meta["en"])
            ev.ko = _sentences(folder / "ko.txt", "ko", meta["ko"])
            ev.ko2en = _lines(folder / "ko2en.txt", len(ev.ko))
            ev.en2ko = _lines(folder / "en2ko.txt", len(ev.en))
        out.append(ev)
    return out


def real_comparable_events() -> list[str]:
    """The ids of the comparable (independently written) real events."""
    return [e.event for e in real_events(with_texts=False) if e.mode == "comparable"]


def condition_inputs(
    en: list[str], ko: list[str], ko2en: list[str] | None, en2ko: list[str] | None, cond: str, noisy: bool
) -> dict | None:
    """``align``-style keyword arguments for a condition, or None when a translation is missing."""
    kwargs: dict = {}
    for name, tr in (("ko2en", ko2en), ("en2ko", en2ko)):
        if name in cond or "both" in cond:
            if tr is None:
                return None
            kwargs[name] = corrupt(tr, seed=NOISE_SEED + (name == "en2ko")) if noisy else tr
    return kwargs


def candidate_table(
    en: list[str],
    ko: list[str],
    links: set[tuple[int, int]],
    kwargs: dict,
    embeddings: tuple[np.ndarray, np.ndarray] | None,
    encode=None,
) -> dict[str, np.ndarray]:
    """Candidate pairs as ``align`` finds them, their features and gold labels."""
    from translate.align import FEATURES, load_weights
    from translate.align.extra import EXTRA_FEATURES, ExtraSides, extra_columns
    from translate.align.features import build_sides, candidates, pair_features

    w = load_weights()
    en_s, ko_s = build_sides(
        en,
        ko,
        en2ko=kwargs.get("en2ko"),
        ko2en=kwargs.get("ko2en"),
        emb_en=embeddings[0] if embeddings is not None else None,
        emb_ko=embeddings[1] if embeddings is not None else None,
    )
    i, j = candidates(en_s, ko_s, int(w["k"]))
    x = pair_features(en_s, ko_s, (i, j), float(w["length_ratio"]))
    sides = ExtraSides(en, ko, embeddings, encode if embeddings is not None else None)
    for name, col in extra_columns(sides, (i, j), EXTRA_FEATURES).items():
        x[:, FEATURES.index(name)] = col
    cols = {name: x[:, k] for k, name in enumerate(FEATURES)}
    label = np.array([(a, b) in links for a, b in zip(i.tolist(), j.tolist(), strict=True)], dtype=np.int8)
    return {"en": i, "ko": j, **cols, "label": label}


def features(encoder: str | None = None) -> dict[str, list]:
    """The feature table of every real event with local texts, for every condition it supports."""
    from translate.cache import EmbeddingCache
    from translate.config import embed_cache_path
    from translate.embed import embed

    cols: dict[str, list] = {}
    with EmbeddingCache(embed_cache_path()) as cache:
        for ev in real_events():
            if ev.en is None or ev.ko is None:
                continue
            e_en, enc_id = embed(ev.en, encoder, cache=cache)
            e_ko, _ = embed(ev.ko, encoder, cache=cache)

            def encode(texts: list[str]) -> np.ndarray:
                return embed(texts, encoder, cache=cache)[0]

            for cond in CONDITIONS:
                for noisy in (False, True) if cond not in ("enc", "lex") else (False,):
                    kwargs = condition_inputs(ev.en, ev.ko, ev.ko2en, ev.en2ko, cond, noisy)
                    if kwargs is None:
                        continue
                    emb = (e_en, e_ko) if cond.startswith("enc") else None
                    t = candidate_table(ev.en, ev.ko, ev.links, kwargs, emb, encode)
                    n = len(t["en"])
                    extra = {
                        "event": [ev.event] * n,
                        "mode": [ev.mode] * n,
                        "condition": [cond] * n,
                        "noisy": [noisy] * n,
                        "encoder": [enc_id] * n,
                    }
                    for k, v in {**extra, **{k: list(v) for k, v in t.items()}}.items():
                        cols.setdefault(k, []).extend(v)
    return cols


def load_table(path: Path = TABLE) -> dict[str, np.ndarray]:
    """The feature table as column arrays (filter rows with boolean masks)."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return {name: np.asarray(table[name].to_numpy(zero_copy_only=False)) for name in table.column_names}


def main() -> None:
    import argparse

    import pyarrow as pa
    import pyarrow.parquet as pq

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encoder", default=None, help="use-m3-onnx (default), use-m3 or e5-small")
    ap.add_argument("--out", type=Path, default=TABLE)
    args = ap.parse_args()
    events = real_events()
    have = [e for e in events if e.en is not None]
    print(f"{len(events)} manifests, {len(have)} with local texts in {texts_dir()}")
    table = pa.table(features(args.encoder))
    pq.write_table(table, args.out, compression="zstd")
    print(f"wrote {args.out}: {table.num_rows} candidate rows")


if __name__ == "__main__":
    main()
