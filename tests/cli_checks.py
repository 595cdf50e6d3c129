"""What the hostile-input and newcomer tests share: the sample inputs, a stored-data
fingerprint and the one-line error checks (tests/test_hardening*.py, tests/test_newcomer*.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
FLOODS = REPO / "data" / "samples" / "2026-07-monsoon-floods"
RATE = REPO / "data" / "samples" / "2026-10-rate-decision"
EN = FLOODS / "en" / "article.txt"
KO = FLOODS / "ko" / "article.txt"
NO_ENCODER = {"COVERAGE_ALIGN_ENCODER": "none", "COVERAGE_ALIGN_TEST_MODELS": ""}
runner = CliRunner()


def invoke(*args: object, **kw: object):
    """The CLI in-process, arguments as strings (paths welcome)."""
    from translate.cli import app

    return runner.invoke(app, [str(a) for a in args], **kw)


def error_line(res) -> str:
    """The whole output of a refused command: one line, no box, no usage."""
    lines = res.output.strip().splitlines()
    assert len(lines) == 1, res.output
    assert lines[0].startswith("error: "), res.output
    return lines[0]


def snapshot(root: Path) -> dict:
    """Stored data only: the lock files of .locks/ are not data."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in root.rglob("*")
        if p.is_file() and ".locks" not in p.parts
    }


def one_line_error(res, code: int, needle: str) -> None:
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    errors = [line for line in res.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and needle in errors[0], res.output


def align_floods(tmp_path: Path, monkeypatch) -> Path:
    """One event aligned without translation models or encoder (fast), in a fresh dataset."""
    from translate.cli import app

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    out = tmp_path / "ds"
    res = runner.invoke(
        app, ["align", "--en", str(EN), "--ko", str(KO), "--event-id", "ev", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    return out
