"""Opt-in: this engine against the REAL argostranslate 1.11 (with torch), side by side.

Run:  uv run python -m benchmarks.vs_argostranslate [--venv /tmp/argos-venv] [--sentences 24] [--rounds 2]

Never part of CI or the test suite: the first run creates an isolated venv of
about 6 GB (argostranslate 1.11 from PyPI, which pulls stanza, spaCy and a CUDA
build of torch) at --venv, and reuses it afterwards.

Both sides load the same realistic-size random-weight package
(translate/testmodels.build_realistic_package: d512, 6 + 6 layers, 32k vocab,
int8; outputs end near the input length). argostranslate runs offline: a blank
spaCy English pipeline is saved into ``<package>/spacy`` and
``ARGOS_CHUNK_TYPE=SPACY`` is set (its default MiniSBD splitter, and SpaCy mode
without that pipeline, try to download); an empty spaCy cache folder stops its
import-time download attempt.

Paths, each timed in a fresh worker process after a warm-up, rounds interleaved:

(argostranslate's ``PackageTranslation``, without its in-memory result cache)

- argos/paragraph: ``translate()`` once per paragraph (2 sentences each);
- argos/text: ``translate()`` once on the whole text (paragraphs joined by newlines);
- argos/sentence: ``translate()`` once per sentence;
- engine: ``translate.engine.Engine.translate`` with ``DecodeSettings(threads=C)``;
- raw: one ``translate_batch`` over all pre-tokenised sentences, inter_threads=C,
  intra_threads=1, max_batch_size=16 (the best raw configuration of
  benchmarks/translate_sweep.py).

At 1 thread and at all cores, argostranslate at its defaults (inter 1, intra
all; no ``max_decoding_length``, so CTranslate2's 256) and with the engine's
limit matched (2 × input tokens rounded up to 8, + 10).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ARGOS_SPEC = "argostranslate==1.11.0"

# Runs inside the argostranslate venv: no project imports there.
_ARGOS_WORKER = r"""
import json, os, resource, sys, time
cfg = json.loads(sys.argv[1])
from argostranslate import settings
(settings.cache_dir / "spacy" / "senter" / "model").mkdir(parents=True, exist_ok=True)
t0 = time.perf_counter()
import argostranslate.translate as at
import_s = time.perf_counter() - t0
sents = cfg["sentences"]
paras = [" ".join(sents[i : i + 2]) for i in range(0, len(sents), 2)]
lang_from = at.get_language_from_code("en")
tr = lang_from.get_translation(at.get_language_from_code("ko"))
tr = getattr(tr, "underlying", tr)  # skip CachedTranslation: repeats would be cache hits
tr.translate(sents[0])  # loads the model
if cfg["matched"]:
    real = tr.translator

    class Bounded:  # the engine's output limit, per translate_batch call
        def translate_batch(self, toks, **kw):
            kw["max_decoding_length"] = max(2 * (-(-len(t) // 8) * 8) + 10 for t in toks)
            return real.translate_batch(toks, **kw)

    tr.translator = Bounded()
modes = {
    "paragraph": lambda: [tr.translate(p) for p in paras],
    "text": lambda: tr.translate("\n".join(paras)),
    "sentence": lambda: [tr.translate(s) for s in sents],
}
out = {"import_s": import_s}
for name, fn in modes.items():
    t0 = time.perf_counter()
    fn()
    out[name] = time.perf_counter() - t0
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

_ENGINE_WORKER = r"""
import json, resource, sys, time
cfg = json.loads(sys.argv[1])
t0 = time.perf_counter()
import ctranslate2
from translate.engine import DecodeSettings, Engine
import_s = time.perf_counter() - t0
from translate.models import find_installed
sents = cfg["sentences"]
engine = Engine(find_installed("en", "ko", allow_test=True), DecodeSettings(threads=cfg["threads"]))
engine.translate(sents[:2])  # loads the model
t0 = time.perf_counter()
engine.translate(sents)
out = {"import_s": import_s, "engine": time.perf_counter() - t0}
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
tok = engine.tokenizer
pre = [tok.encode(s) for s in sents]
raw = ctranslate2.Translator(
    str(engine.model.path / "model"), compute_type=engine.settings.resolved_compute_type(),
    inter_threads=cfg["threads"], intra_threads=1,
)
kw = dict(beam_size=4, length_penalty=0.2, replace_unknowns=True, max_batch_size=16)
bound = max(engine._max_len(len(t)) for t in pre)
raw.translate_batch(pre[:2], max_decoding_length=bound, **kw)
t0 = time.perf_counter()
raw.translate_batch(pre, max_decoding_length=bound, **kw)
out["raw"] = time.perf_counter() - t0
out["peak_rss_mb"] = rss
print(json.dumps(out))
"""


def du_mb(path: Path) -> int:
    return int(subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True).stdout.split()[0])


def isolated_install(py: Path, spec: str) -> tuple[list[str], dict[str, str], str]:
    """(command, environment, working directory) that install ``spec`` into ``py``'s venv
    exactly as on a machine without this project.

    Run inside the project folder, uv reads pyproject.toml's ``override-dependencies``
    (which drop stanza, spaCy and so torch) into any ``uv pip install``; ``--no-config``
    stops that, and so does running from outside the folder without our UV_* variables.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_") and k != "VIRTUAL_ENV"}
    cwd = tempfile.gettempdir()
    if shutil.which("uv"):
        return ["uv", "pip", "install", "--no-config", "--python", str(py), spec], env, cwd
    return [str(py), "-m", "pip", "install", "--isolated", spec], env, cwd


def ensure_venv(venv: Path) -> Path:
    """The isolated argostranslate venv; built once (uv if present, else venv + pip), from any folder."""
    py = venv / "bin" / "python"
    check = [str(py), "-c", "import argostranslate.package, spacy, torch"]
    if py.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return py
    print(f"building {venv} with {ARGOS_SPEC} (about 6 GB)...", flush=True)
    base = getattr(sys, "_base_executable", sys.executable)
    venv = venv.resolve()  # the install runs from another folder
    py = venv / "bin" / "python"
    cmd, env, cwd = isolated_install(py, ARGOS_SPEC)
    if shutil.which("uv"):
        subprocess.run(
            ["uv", "venv", "--no-config", "--python", base, str(venv)], check=True, env=env, cwd=cwd
        )
    else:
        subprocess.run([base, "-m", "venv", str(venv)], check=True, env=env, cwd=cwd)
    subprocess.run(cmd, check=True, env=env, cwd=cwd)
    return py


def run_json(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if res.returncode:
        raise SystemExit(f"worker failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "coverage-align-argos-venv")
    ap.add_argument("--work", type=Path, help="package and cache dir (default: a new temp dir)")
    ap.add_argument("--sentences", type=int, default=24)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    from benchmarks.translate_throughput import _sentences
    from translate.models import install_file
    from translate.testmodels import build_realistic_package

    argos_py = ensure_venv(args.venv)
    work = args.work or Path(tempfile.mkdtemp(prefix="vs-argos-"))
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(work / "packages"), XDG_CACHE_HOME=str(work / "cache"))
    env.update(XDG_DATA_HOME=str(work / "data"), ARGOS_CHUNK_TYPE="SPACY", ARGOS_DEVICE_TYPE="cpu")
    os.environ["ARGOS_PACKAGES_DIR"] = env["ARGOS_PACKAGES_DIR"]
    pkg_dir = work / "packages" / "translate-en_ko-test"
    if not pkg_dir.exists():
        install_file(build_realistic_package("en", "ko", work))
    if not (pkg_dir / "spacy").exists():
        blank = f"import spacy; spacy.blank('en').to_disk({str(pkg_dir / 'spacy')!r})"
        subprocess.run([str(argos_py), "-c", blank], check=True)

    sents = _sentences(args.sentences)
    cores = sorted({1, os.cpu_count() or 1})
    times: dict[str, list[float]] = {}
    extra: dict[str, list[float]] = {}
    for rnd in range(args.rounds):
        for c in cores:
            for matched in (False, True):
                argos_env = dict(env, ARGOS_INTER_THREADS="1", ARGOS_INTRA_THREADS="1" if c == 1 else "0")
                cfg = json.dumps({"sentences": sents, "matched": matched})
                r = run_json([str(argos_py), "-c", _ARGOS_WORKER, cfg], argos_env)
                limit = "matched" if matched else "256"
                for mode in ("paragraph", "text", "sentence"):
                    times.setdefault(f"{c} argos/{mode} limit={limit}", []).append(r[mode])
                extra.setdefault("argos import_s", []).append(r["import_s"])
                extra.setdefault("argos peak_rss_mb", []).append(r["peak_rss_mb"])
            r = run_json(
                [sys.executable, "-c", _ENGINE_WORKER, json.dumps({"sentences": sents, "threads": c})], env
            )
            times.setdefault(f"{c} engine", []).append(r["engine"])
            times.setdefault(f"{c} raw", []).append(r["raw"])
            extra.setdefault("engine import_s", []).append(r["import_s"])
            extra.setdefault("engine peak_rss_mb", []).append(r["peak_rss_mb"])
        print(f"round {rnd + 1}/{args.rounds} done", flush=True)

    n = len(sents)
    print(f"\n{n} sentences ({n // 2} paragraphs), realistic random-weight en→ko package, beam 4, int8")
    print(f"{'threads path':<40} {'sent/s':>7} {'median s':>9} {'range s':>13} {'t / engine':>10}")
    for c in cores:
        eng = statistics.median(times[f"{c} engine"])
        for key in sorted(k for k in times if k.startswith(f"{c} ")):
            ts = times[key]
            med = statistics.median(ts)
            print(f"{key:<40} {n / med:7.2f} {med:9.2f} {min(ts):6.2f}–{max(ts):6.2f} {med / eng:9.2f}x")
    for key, vals in extra.items():
        print(f"{key}: median {statistics.median(vals):.2f} (range {min(vals):.2f}–{max(vals):.2f})")
    print(
        f"argostranslate venv {args.venv}: {du_mb(args.venv)} MB;"
        f" this venv {sys.prefix}: {du_mb(Path(sys.prefix))} MB"
    )


if __name__ == "__main__":
    main()
