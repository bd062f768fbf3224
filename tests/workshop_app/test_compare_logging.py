"""The compare tab's worker thread logs a failed run (it used to swallow it with a bare `pass`)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from workshop_app.compare import CompareState
from workshop_app.engine import ResultCache


class BrokenExecutor(ThreadPoolExecutor):
    """An executor whose workers are gone: every job fails inside the background run."""

    def submit(self, *args, **kwargs):
        raise RuntimeError("no_such_pool of workers")


def test_a_failed_background_run_is_logged(shared, caplog):
    c = CompareState(shared, cache=ResultCache(), executor=BrokenExecutor(1))
    c.param.update(chosen=["skarholmen-current", "skarholmen-kiosk"], replications=2)
    with caplog.at_level(logging.ERROR, logger="workshop_app"):
        c.start().join(30)
    record = next(r for r in caplog.records if r.name == "workshop_app.compare")
    assert record.getMessage() == "comparison failed"
    assert "no_such_pool" in str(record.exc_info[1])
