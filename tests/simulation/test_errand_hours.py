"""An errand with arrival hours (the duty lawyer's Wednesday afternoon): its visitors come only then.

Its weekly share stays what the model says, every other errand keeps its share too, the
load check sees its load in those hours, and calibration drops hours a log contradicts.
"""

from __future__ import annotations

import numpy as np
import pytest

from process_models import load_model
from simulation import calibrate, load_check, run
from simulation.arrivals import DAY, arrival_profile

WED_13, WED_16 = 2 * DAY + 13 * 60, 2 * DAY + 16 * 60


def test_the_errand_mix_keeps_every_weekly_share():
    model = load_model("skarholmen-current")
    profile = arrival_profile(model)
    mix = profile.errand_mix
    ids = [e.id for e in model.errands]
    lawyer = ids.index("duty_lawyer")
    assert mix.shape == (len(profile.expected), len(ids))
    assert np.allclose(mix.sum(axis=1), 1.0)
    weekly = (profile.expected[:, None] * mix).sum(axis=0) / profile.total
    assert weekly == pytest.approx([e.share for e in model.errands], abs=1e-12)
    inside = (profile.starts >= WED_13) & (profile.ends <= WED_16)
    assert mix[~inside, lawyer].max() == 0 and mix[inside, lawyer].min() > 0
    # pieces are cut at the hours' edges, so none straddles 13:00 or 16:00 on Wednesday
    assert not ((profile.starts < WED_13) & (profile.ends > WED_13)).any()


def test_a_model_without_hours_keeps_the_plain_shares():
    model = load_model("skarholmen-current")
    plain = model.model_copy(update={"errands": [e.model_copy(update={"arrival_hours": None}) for e in model.errands]})
    assert arrival_profile(plain).errand_mix is None


def test_lawyer_visitors_arrive_only_in_its_hours():
    v = run("skarholmen-current", replications=10, seed=3).visitors
    lawyer = v[v.errand == "duty_lawyer"]
    assert ((lawyer.arrival >= WED_13) & (lawyer.arrival < WED_16)).all()
    assert len(lawyer) == 299  # exact under seed 3, 10 replications: 2 % of about 1,476 a week
    share = len(lawyer) / len(v)
    assert 0.017 < share < 0.023
    # in those hours the lawyer's visitors are a large part of the arrivals, outside none
    wed_pm = v[(v.arrival >= WED_13) & (v.arrival < WED_16)]
    assert (wed_pm.errand == "duty_lawyer").mean() > 0.2


def test_the_load_check_puts_the_lawyers_load_in_its_hours():
    model = load_model("skarholmen-current")
    (row,) = [r for r in load_check(model) if r.pool == "duty_lawyer"]
    h = model.demand.hourly_profile
    lawyer_week = 0.02 * model.demand.weekly_visitors
    mean_session = (10 + 15 + 30) / 3  # triangular(10, 15, 30)
    busiest = max((13, 14, 15), key=lambda x: h[x])
    assert row.peak_hour == f"wed {busiest}:00"
    assert row.peak_load == pytest.approx(lawyer_week * h[busiest] / (h[13] + h[14] + h[15]) * mean_session / 60)
    assert row.peak_capacity == 1 and row.warning_kind == "peak"
    assert row.warning.startswith("pool 'duty_lawyer' is overloaded during its shifts: at the busiest hour (wed")


def test_calibration_drops_hours_the_log_contradicts(tmp_path):
    head = "visit_id,event,step_id,timestamp,errand,language\n"
    rows = [f"v{i},arrived,,2026-11-2{3 + i % 3}T{10 + i % 5:02d}:15:00,preschool,sv" for i in range(30)]
    monday_lawyer = tmp_path / "monday.csv"
    monday_lawyer.write_text(head + "\n".join(rows + ["w1,arrived,,2026-11-23T10:30:00,duty_lawyer,sv"]) + "\n",
                             encoding="utf-8")
    s = calibrate(monday_lawyer, base="skarholmen-kiosk")
    assert s.overrides["errands.duty_lawyer.arrival_hours"] is None
    assert next(e for e in s.build_model().errands if e.id == "duty_lawyer").arrival_hours is None  # a valid model
    wednesday_lawyer = tmp_path / "wednesday.csv"
    wednesday_lawyer.write_text(head + "\n".join(rows + ["w1,arrived,,2026-11-25T13:30:00,duty_lawyer,sv"]) + "\n",
                                encoding="utf-8")
    kept = calibrate(wednesday_lawyer, base="skarholmen-kiosk")
    assert "errands.duty_lawyer.arrival_hours" not in kept.overrides
    assert run(kept, replications=1, seed=0).kpis()["arrived"].mean > 0
