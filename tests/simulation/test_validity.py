"""Validity: Erlang C, Little's law, conservation per day, and the brief's figures."""

from __future__ import annotations

import numpy as np
import pytest

from process_models.io import validate_data
from simulation import Scenario, erlang_c, erlang_c_wait, outcome_counts_per_day, run
from simulation.compiled import compile_model
from simulation.kpis import estimate
from simulation.runner import simulate_replication

from .conftest import mmc

WARM_UP = 300  # minutes cut from each day's start: the office opens empty


@pytest.mark.parametrize("rho", [0.5, 0.8, 0.9])
def test_mmc_process_model_agrees_with_erlang_c(rho):
    servers, mean_service = 2, 1.0
    rate = rho * servers / mean_service
    c = compile_model(validate_data(mmc(rate, mean_service, servers)))
    per_rep = []
    for r in range(30):
        visits = simulate_replication(c, 7, r)["visits"]
        wait = visits[(visits[:, 1] == 1) & (visits[:, 2] >= WARM_UP) & (visits[:, 2] < 1439)]
        per_rep.append((wait[:, 3] - wait[:, 2]).mean())
    e = estimate(per_rep)
    analytic = erlang_c_wait(servers, rate, mean_service)
    assert e.low <= analytic <= e.high, (rho, analytic, e)
    assert e.high - e.low < 0.35 * analytic  # the interval is tight enough to mean something


def test_erlang_c_known_values():
    # textbook values: C(2, 1) = 1/3; C(1, a) = a; M/M/1 Wq = rho/(mu - lambda)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(1, 0.7) == pytest.approx(0.7)
    assert erlang_c_wait(1, 0.5, 1.0) == pytest.approx(1.0)
    assert erlang_c_wait(3, 3.0, 1.0) == float("inf")


def _in_office_area(arrivals: np.ndarray, departures: np.ndarray) -> float:
    """Integral of the number in the office over time, by sweeping the sorted events."""
    times = np.concatenate([arrivals, departures])
    steps = np.concatenate([np.ones(len(arrivals)), -np.ones(len(departures))])
    order = np.lexsort((-steps, times))
    times, steps = times[order], steps[order]
    counts = np.cumsum(steps)[:-1]
    return float((counts * np.diff(times)).sum())


def test_littles_law_on_the_records():
    result = run("skarholmen-current", replications=3, seed=11)
    v = result.visitors
    for (rep, day), g in v.groupby(["replication", "day"]):
        a, d = g["arrival"].to_numpy(), g["departure"].to_numpy()
        horizon = d.max() - a.min()
        L = _in_office_area(a, d) / horizon
        lam = len(g) / horizon
        W = (d - a).mean()
        assert L == pytest.approx(lam * W, rel=0.02)
    # and for the queue at the desk: time-average line length per hour vs arrivals x mean wait
    visits = result.visits
    q = visits[visits["step"] == "wait_desk"]
    for rep, g in q.groupby("replication"):
        area = _in_office_area(g["requested"].to_numpy(), g["started"].to_numpy())
        assert area == pytest.approx(len(g) * (g["started"] - g["requested"]).mean(), rel=0.02)


def test_conservation_per_day():
    result = run(Scenario(name="busy", model="skarholmen-current", overrides={"policy.at_closing": "send_home",
                                                                                "pools.guides.capacity": 3}),
                 replications=3, seed=5)
    table = outcome_counts_per_day(result.records)
    assert len(table) == 3 * 5  # three replications, five open days
    outcomes = ["served", "self_served", "referred", "left", "balked", "gave_up", "sent_home"]
    assert (table["arrived"] == table[outcomes].sum(axis=1)).all()
    assert table["sent_home"].sum() > 0 and table["gave_up"].sum() > 0  # the check covers every kind
    # every visitor leaves the day they came
    v = result.visitors
    assert (v["departure"] < (v["day"] + 1) * 1440).all()


def test_skarholmen_current_reproduces_the_brief():
    """About 1,470 visitors a week, about 390 guide errands, public computers busy at peak."""
    k = run("skarholmen-current", replications=20, seed=0).kpis()
    # 76,580 visitors in 2017 / 52 weeks = 1,473 (skarholmen-prestudy-application.txt, Nuläge)
    assert k["arrived"].low <= 76580 / 52 <= k["arrived"].high
    # 20,270 guide errands in 2017 / 52 = 390: within 5 %
    assert abs(k["errands.guides"].mean - 20270 / 52) < 0.05 * 20270 / 52
    # "sju publika datorer ... besökare ofta får vänta": at least 80 % busy at the peak hour
    assert k["peak_utilisation.public_computers"].mean >= 0.80
    # exact values under this seed, so a change in the engine shows up here
    assert round(k["arrived"].mean, 2) == 1475.55
    assert round(k["errands.guides"].mean, 2) == 380.5


def test_skarholmen_current_counts_a_borrowed_computer_as_managed_alone():
    """Today's share who manage on their own is those who borrow a computer, as in the future model."""
    result = run("skarholmen-current", replications=20, seed=0)
    v = result.visitors
    self_served = v[v.outcome == "self_served"]
    assert set(self_served.errand) == {"borrow_computer"}
    borrowed = v[v.errand == "borrow_computer"]
    assert set(borrowed.outcome) <= {"self_served", "gave_up", "sent_home"}
    assert len(self_served) == 4254
    assert round(result.kpis()["self_served_share"].mean, 4) == 0.1442
