"""KPI functions over records: exact values on the hand-worked FIFO log."""

from __future__ import annotations

import numpy as np
import pytest

from process_models.io import validate_data
from simulation import Records, hourly_queue_length, hourly_utilisation, kpi_estimates, step_waits
from simulation.arrivals import Arrivals
from simulation.compiled import compile_model
from simulation.engine import StepDraws, simulate_week
from simulation.kpis import direction, estimate, replication_kpis

from .conftest import MON_9, tiny


@pytest.fixture(scope="module")
def fifo_records() -> Records:
    c = compile_model(validate_data(tiny()))
    times = [MON_9, MON_9 + 1, MON_9 + 2, MON_9 + 3, MON_9 + 20]  # see test_event_log
    a = Arrivals(np.array(times, float), np.zeros(5, int), np.zeros(5, int))
    rec = simulate_week(c, a, StepDraws(c, 5, 0, 0, 0))
    rep = {k: np.column_stack([v, np.zeros(len(v))]) for k, v in rec.items()}
    return Records(c, 1, (rep,))


def test_replication_kpis_exact(fifo_records):
    k = replication_kpis(fifo_records.compiled, fifo_records.reps[0], 1)
    assert k["arrived"] == 5 and k["served"] == 4 and k["gave_up"] == 1 and k["balked"] == 0
    assert k["mean_wait"] == pytest.approx((0 + 4 + 8 + 10 + 0) / 5)
    assert k["median_wait"] == 4
    assert k["within_10"] == pytest.approx(4 / 5)  # the one who gave up is not served within 10
    assert k["time_in_office"] == pytest.approx((5 + 9 + 13 + 10 + 5) / 5)
    assert k["wait.wait"] == pytest.approx(4.4)
    assert k["staff_minutes.clerks"] == 20 and k["staff_minutes.clerks.serve"] == 20
    assert k["errands.clerks"] == 4
    assert k["utilisation.clerks"] == pytest.approx(20 / 480)
    assert k["peak_utilisation.clerks"] == pytest.approx(20 / 60)
    assert k["self_served_share"] == 0


def test_step_waits_queue_length_and_utilisation_by_hour(fifo_records):
    waits = step_waits(fifo_records)
    assert waits["wait"].mean == pytest.approx(4.4) and waits["serve"].mean == 0
    q = hourly_queue_length(fifo_records).set_index(["weekday", "hour", "step"])["queue_length"]
    assert q[("mon", 9, "wait")] == pytest.approx((4 + 8 + 10) / 60)
    assert q[("mon", 10, "wait")] == 0
    assert set(q.index.get_level_values("step")) == {"wait"}  # the task never waited beyond its queue
    u = hourly_utilisation(fifo_records).set_index(["weekday", "hour", "pool"])["utilisation"]
    assert u[("mon", 9, "clerks")] == pytest.approx(20 / 60)
    assert u[("mon", 16, "clerks")] == 0
    assert len(u) == 8  # Monday 9-17


def test_estimate_is_a_t_interval():
    e = estimate([1.0, 2.0, 3.0])
    assert e.mean == 2 and e.n == 3
    assert e.high - e.mean == pytest.approx(4.302652729911275 * 1 / 3 ** 0.5)  # t(0.975, 2) = 4.3027
    assert estimate([5.0]).low == estimate([5.0]).high == 5
    assert estimate([np.nan, 1.0]).n == 1 and estimate([np.nan]) is None
    assert kpi_estimates([{"a": 1.0}, {"a": 3.0, "b": 2.0}])["b"].n == 1


def test_each_kpi_knows_which_way_is_better():
    assert direction("mean_wait") == direction("wait.wait_desk") == direction("gave_up") == -1
    assert direction("within_10") == direction("self_served_share") == direction("guide_minutes_freed") == 1
    assert direction("arrived") == direction("utilisation.guides") == 0
