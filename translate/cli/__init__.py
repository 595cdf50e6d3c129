"""The ``coverage-align`` command line.

One module per command group (``models``, ``align``, ``folder``, ``views``, ``demo``), all
registered on the Typer ``app`` from ``base``. Imports inside commands are lazy:
``--help`` must stay fast, and commands that do not need Prefect, pyarrow or
CTranslate2 must not pay for them.
"""

from translate.cli import align, demo, folder, models, views  # noqa: F401  (each registers its commands)
from translate.cli.base import app

__all__ = ["app"]
