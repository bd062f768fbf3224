"""KPIs gathered as each week ends: the same figures as over the collected records, in flat memory."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from simulation import Scenario, run
from simulation.compiled import compile_model
from simulation.kpis import WeekKpis, replication_kpis
from simulation.runner import replication_result, replication_weeks, simulate_replication
from simulation.scenario import OutsideRangeWarning


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)


@pytest.mark.parametrize("model", ["skarholmen-current", "skarholmen-kiosk", "spanga-tensta-floorwalk"])
def test_one_week_kpis_are_bit_identical_to_those_over_the_records(model):
    c = compile_model(Scenario(name=model, model=model).build_model())
    rec = simulate_replication(c, 4, 1)
    records, kpis = replication_result(c, 4, 1, keep_records=False)
    assert records is None
    assert _same(kpis, replication_kpis(c, rec, 1))
    assert "cost.week" in kpis  # the costs are gathered week by week too


def test_many_weeks_streamed_equal_the_records_up_to_rounding():
    c = compile_model(Scenario(name="s", model="skarholmen-current").build_model())
    weeks = 4
    rec = simulate_replication(c, 2, 0, weeks)
    streamed = WeekKpis(c)
    for week in replication_weeks(c, 2, 0, weeks):
        streamed.add(week)
    got, want = streamed.result(weeks), replication_kpis(c, rec, weeks)
    assert got.keys() == want.keys()
    for name in ("arrived", "served", "gave_up", "median_wait", "p90_wait", "mean_wait", "within_10",
                 "errands.guides", "learned"):
        assert got[name] == want[name], name  # counts and order statistics: exact
    for name in want:
        assert got[name] == pytest.approx(want[name], rel=1e-12, nan_ok=True), name
    assert want["arrived"] == len(rec["visitors"]) / weeks


def test_kept_and_unkept_records_give_the_same_kpis():
    s = Scenario(name="s", model="skarholmen-kiosk", weeks=2)
    kept = run(s, replications=2, seed=8)
    bare = run(s, replications=2, seed=8, keep_records=False)
    assert kept.rep_kpis == bare.rep_kpis
    assert np.array_equal(kept.records.reps[1]["visitors"][:, -1].max(), 1.0)  # two weeks, numbered 0 and 1


def test_scaling_an_office_beyond_its_weekly_range_warns_instead_of_refusing():
    s = Scenario(name="big", model="skarholmen-current",
                 overrides={"demand.weekly_visitors": 6000, "pools.guides.capacity": 9, "pools.guides.skills": []})
    with pytest.warns(OutsideRangeWarning, match="outside skarholmen-current's stated range of 1,300-2,000"):
        model = s.build_model()
    assert model.demand.weekly_visitors == 6000 and model.demand.weekly_range is None
    assert s.range_notes() and "6,000" in s.range_notes()[0]
    inside = Scenario(name="ok", model="skarholmen-current", overrides={"demand.weekly_visitors": 1900})
    with warnings.catch_warnings():
        warnings.simplefilter("error", OutsideRangeWarning)
        assert inside.build_model().demand.weekly_range == (1300, 2000)
    assert inside.range_notes() == []
