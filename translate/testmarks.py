"""How a TEST package (random weights, built by ``translate.testmodels``) is recognised.

Kept apart from the builder so ``translate.models`` can tell test packages from real
ones without importing the module that imports it back to install them.
"""

from __future__ import annotations

__all__ = ["TEST_MODEL_BANNER", "TEST_VERSION", "is_test_package", "is_test_version"]

TEST_MODEL_BANNER = "TEST MODELS: random weights, the machine translations are meaningless"
TEST_VERSION = "0.0.1-test"


def is_test_version(version: str) -> bool:
    """True for packages built here (their translations are meaningless)."""
    return version.endswith("-test")


def is_test_package(meta: dict) -> bool:
    """True when an installed package's ``metadata.json`` marks it as one of ours.

    Any one mark is enough (version, code or description), so a package copied
    or renamed into the user's real Argos folder is still recognised.
    """
    return (
        is_test_version(str(meta.get("package_version", "")))
        or str(meta.get("code", "")).endswith("-test")
        or TEST_MODEL_BANNER in str(meta.get("description", ""))
    )
