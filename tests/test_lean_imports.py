"""The everyday commands load only what they use: each import is paid by every run of the CLI.

Each command runs in a fresh interpreter with pandas made unimportable, as in a
user's environment (pandas is a dev-only dependency; pyarrow imports it
whenever it is installed), so a path of ours that needed pandas would fail here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "samples" / "2026-09-subway-line3"
HEAVY = ("pandas", "prefect", "scipy", "pyarrow", "kiwipiepy", "langdetect", "onnxruntime", "argostranslate")

_RUN = """
import json, runpy, sys


class NoPandas:  # as where pandas is not installed
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, NoPandas())
heavy = json.loads(sys.argv[1])
sys.argv = ["coverage-align", *sys.argv[2:]]
code = 0
try:
    if sys.argv[1:] != ["import-only"]:
        runpy.run_module("translate.cli", run_name="__main__")
    else:
        import translate.cli  # noqa: F401
except SystemExit as exc:
    code = exc.code or 0
print("\\nLOADED " + json.dumps([m for m in heavy if sys.modules.get(m) is not None]))
sys.exit(code)
"""


def _loaded(args: list[str], data: Path) -> list[str]:
    env = {**os.environ, "COVERAGE_ALIGN_DATA": str(data), "COVERAGE_ALIGN_ENCODER": "none"}
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(HEAVY), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-500:] + proc.stderr[-1500:]
    line = [x for x in proc.stdout.splitlines() if x.startswith("LOADED ")][-1]
    return json.loads(line.removeprefix("LOADED "))


def test_import_and_help_load_nothing_heavy(tmp_path):
    assert _loaded(["import-only"], tmp_path) == []
    assert _loaded(["--help"], tmp_path) == []
    assert _loaded(["align", "--help"], tmp_path) == []


def test_align_show_and_report_need_no_pandas_nor_prefect(tmp_path):
    aligned = _loaded(["align", "--event", str(SAMPLE)], tmp_path)
    assert "prefect" not in aligned and "pandas" not in aligned
    assert "scipy" in aligned  # the sparse n-gram matrices: only the aligner builds them
    event = json.loads((SAMPLE / "event.json").read_text(encoding="utf-8"))["event_id"]
    again = _loaded(["align", "--event", str(SAMPLE)], tmp_path)
    assert "kiwipiepy" not in again  # every Korean sentence's analysis is cached
    shown = _loaded(["show", event, "--no-pager"], tmp_path)
    assert set(shown) <= {"pyarrow"}, shown
    reported = _loaded(["report", event, "--html", str(tmp_path / "r.html")], tmp_path)
    assert set(reported) <= {"pyarrow"}, reported
    assert (tmp_path / "r.html").stat().st_size > 1000
