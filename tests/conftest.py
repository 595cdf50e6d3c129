"""Shared fixtures. Argos reads ARGOS_PACKAGES_DIR at import, so it is set here, first."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_SESSION_TMP = Path(tempfile.mkdtemp(prefix="coverage-align-tests-"))
os.environ["ARGOS_PACKAGES_DIR"] = str(_SESSION_TMP / "argos-packages")
os.environ["XDG_DATA_HOME"] = str(_SESSION_TMP / "xdg-data")
os.environ["XDG_CACHE_HOME"] = str(_SESSION_TMP / "xdg-cache")
os.environ["XDG_CONFIG_HOME"] = str(_SESSION_TMP / "xdg-config")
os.environ["COVERAGE_ALIGN_DATA"] = str(_SESSION_TMP / "data")
# An offline tool: the test harness's Prefect server sends no analytics.
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
# The suite asks for the TEST packages (as --test-models does); tests of the
# default, where they are ignored, unset this.
os.environ["COVERAGE_ALIGN_TEST_MODELS"] = "1"
# Any attempt to reach the real Argos index fails fast instead of hanging.
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def test_model_files() -> dict[str, Path]:
    """Tiny genuine Argos packages, built once per session and installed."""
    from translate.testmodels import install_test_models

    ko_en, en_ko = install_test_models(_SESSION_TMP / "built-models")
    return {"ko-en": ko_en, "en-ko": en_ko}


@pytest.fixture()
def installed_models(test_model_files: dict[str, Path]) -> dict[str, Path]:
    """Make sure both test packages are installed (a test may have removed one)."""
    from translate.models import install_file, list_installed

    have = {(m.from_code, m.to_code) for m in list_installed()}
    for direction, f in test_model_files.items():
        if tuple(direction.split("-")) not in have:
            install_file(f)
    return test_model_files


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server (SQLite) for every flow test in the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture()
def inbox(tmp_path) -> Path:
    """An inbox with two sample events, copied so tests may change them."""
    import shutil

    root = tmp_path / "inbox"
    for name in ("2026-07-monsoon-floods", "2026-10-rate-decision"):
        shutil.copytree(REPO / "data" / "samples" / name, root / name, ignore=shutil.ignore_patterns("gold"))
    return root
