"""The compare tab's worker thread logs a failed run (it used to swallow it with a bare `pass`)."""

from __future__ import annotations

import logging

from process_models.session import SavedScenario
from workshop_app.compare import CompareState
from workshop_app.engine import ResultCache


def test_a_failed_background_run_is_logged(shared, caplog):
    shared.save_scenario(SavedScenario(name="Utan datorer", model="skarholmen-current",
                                       overrides={"pools.no_such_pool.capacity": 3}))
    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=["skarholmen-current", "Utan datorer"], replications=2)
    with caplog.at_level(logging.ERROR, logger="workshop_app"):
        c.start().join(10)
    assert c.status == "error"
    record = next(r for r in caplog.records if r.name == "workshop_app.compare")
    assert record.getMessage() == "comparison run failed in the background"
    assert "no_such_pool" in str(record.exc_info[1])
