"""Errors that users can act on.

Each carries a one-line message meant to be printed as-is by the CLI; anything
else escaping the library is a bug and gets a traceback.
"""

from __future__ import annotations

__all__ = [
    "CoverageAlignError",
    "DatasetError",
    "EventConflict",
    "EventNotFound",
    "InputError",
    "LanguageError",
    "ModelError",
    "ModelNotInstalled",
    "NetworkError",
]


class CoverageAlignError(Exception):
    """Base class for errors caused by input, environment or models, not by bugs."""

    exit_code = 1


class InputError(CoverageAlignError):
    """A file or text cannot be used (missing, empty, binary, wrong encoding, too big)."""

    exit_code = 2


class LanguageError(InputError):
    """Text is in the wrong or an unsupported language."""


class ModelError(CoverageAlignError):
    """An Argos package is missing, corrupt or unusable."""

    exit_code = 3


class ModelNotInstalled(ModelError):
    """No package is installed for a direction: the pipeline goes on without that translation."""


class NetworkError(CoverageAlignError):
    """The Argos package index or download server could not be reached."""

    exit_code = 4


class DatasetError(CoverageAlignError):
    """The Parquet dataset cannot be read or written."""

    exit_code = 5


class EventNotFound(InputError):
    """The named event is not in the dataset: a typo or the wrong ``--dataset``, not a broken dataset."""


class EventConflict(DatasetError):
    """The event id is already taken by other articles: writing would silently replace them."""

    exit_code = 6


class CacheError(DatasetError):
    """A translation or embedding cache cannot be used (a directory, unwritable, locked)."""
