"""Confidence intervals that respect what is possible: no negative counts or times, no share above 1."""

from __future__ import annotations

import math

import pytest

from simulation import kpi_estimates, run
from simulation.kpis import estimate, kpi_bounds

T2 = 12.706204736174707  # t(0.975, 1): two replications give a very wide interval


def test_each_kpi_has_the_bounds_of_what_it_counts():
    assert kpi_bounds("within_10") == kpi_bounds("self_served_share") == (0.0, 1.0)
    for name in ("gave_up", "mean_wait", "p90_wait", "wait.wait_desk", "staff_minutes.guides", "errands.guides",
                 "utilisation.duty_lawyer", "cost.week", "cost.per_visitor", "one_off_cost", "payback_years"):
        assert kpi_bounds(name) == (0.0, math.inf), name
    # the duty lawyer finishes after the shift ends: a rostered pool's utilisation can pass 1
    assert kpi_bounds("utilisation.guides")[1] == math.inf
    assert kpi_bounds("utilisation.guides", capped=("guides",)) == kpi_bounds("peak_utilisation.guides", ("guides",)) == (0, 1)
    assert kpi_bounds("utilisation.duty_lawyer", capped=("guides",)) == (0, math.inf)
    for name in ("staff_minutes_freed", "staff_minutes_freed.guides", "guide_minutes_freed", "cost_saving.year",
                 "staff_value_freed.year", "net_benefit.year", "unknown_kpi"):
        assert kpi_bounds(name) == (-math.inf, math.inf), name


def test_a_t_interval_is_cut_at_the_bounds_and_kept_inside_them():
    e = kpi_estimates([{"gave_up": 0.0, "within_10": 1.0, "mean_wait": 0.5},
                       {"gave_up": 6.0, "within_10": 0.8, "mean_wait": 9.5}])
    assert e["gave_up"].mean == 3 and e["gave_up"].low == 0 and e["gave_up"].high == pytest.approx(3 + T2 * 3)
    assert e["within_10"].mean == pytest.approx(0.9) and e["within_10"].high == 1
    assert e["within_10"].low == 0  # 0.9 - 12.7 * 0.1 = -0.37
    assert e["mean_wait"].low == 0 and e["mean_wait"].high == pytest.approx(5 + T2 * 4.5)
    # an interval inside the bounds is the plain t-interval
    assert estimate([5.0, 6.0, 7.0], (0, math.inf)) == estimate([5.0, 6.0, 7.0])
    # a freed-minutes KPI may be negative: no bound
    freed = kpi_estimates([{"staff_minutes_freed": -10.0}, {"staff_minutes_freed": 4.0}])["staff_minutes_freed"]
    assert freed.low == pytest.approx(-3 - T2 * 7)


def test_two_replications_of_today_give_possible_intervals_only():
    """Seed 2, two replications: the plain t-interval said gave up -166, within 10 minutes 1.116."""
    k = run("skarholmen-current", replications=2, seed=2, keep_records=False).kpis()
    assert k["gave_up"].low == 0 and k["gave_up"].high == pytest.approx(405.39, abs=0.01)
    assert k["within_10"].high == 1 and k["within_10"].low == pytest.approx(0.442, abs=0.001)
    assert k["mean_wait"].low == 0 and k["p90_wait"].low == 0 and k["served_after_closing"].low == 0
    assert k["peak_utilisation.guides"].high == 1 and k["utilisation.duty_lawyer"].high > 1
    for name, e in k.items():
        lo, hi = kpi_bounds(name, ("info_desk", "guides", "public_computers", "caseworkers"))
        assert lo <= e.low <= e.mean <= e.high <= hi, (name, e)
