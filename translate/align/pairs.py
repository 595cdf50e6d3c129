"""Walking candidate pairs one at a time without listing them all as Python objects."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["each_pair"]

_BLOCK = 65_536  # pairs turned into Python ints at a time


def each_pair(i: np.ndarray, j: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(position, English index, Korean index) for every pair, in order.

    ``zip(i.tolist(), j.tolist())`` holds two Python lists of every pair at
    once, tens of MiB at the input limit; a block at a time holds one block.
    """
    for start in range(0, len(i), _BLOCK):
        a, b = i[start : start + _BLOCK].tolist(), j[start : start + _BLOCK].tolist()
        for k, (x, y) in enumerate(zip(a, b, strict=True), start):
            yield k, x, y
