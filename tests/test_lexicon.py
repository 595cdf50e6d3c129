"""The dictionary evidence's heavy resource: loaded once per process, even by concurrent events."""

from __future__ import annotations

import sys
import threading
import time
import types

from translate.align import lexicon


def test_concurrent_first_calls_load_kiwi_once(monkeypatch):
    made = []

    class SlowKiwi:
        def __init__(self, **options: object) -> None:
            time.sleep(0.2)  # long enough for the other thread to arrive during the load
            made.append(self)

    monkeypatch.setitem(sys.modules, "kiwipiepy", types.SimpleNamespace(Kiwi=SlowKiwi))
    lexicon._kiwi.cache_clear()
    try:
        got: list[object] = []
        threads = [threading.Thread(target=lambda: got.append(lexicon.kiwi())) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(made) == 1 and all(g is made[0] for g in got)
    finally:
        lexicon._kiwi.cache_clear()  # the next user loads the real analyser
