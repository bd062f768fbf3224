"""Cost KPIs: exact values on a hand-worked week and under a fixed seed; payback; bad cost figures."""

from __future__ import annotations

import json

import numpy as np
import pytest
from process_models.errors import ModelError

from mbk.cli import main
from process_models import load_model
from process_models.errors import UserError
from process_models.io import validate_data
from process_models.session import Estimate
from simulation import compare, run
from simulation.arrivals import Arrivals
from simulation.compiled import compile_model
from simulation.costs import cost_spec, payback
from simulation.engine import StepDraws, simulate_week
from simulation.kpis import replication_kpis

from .conftest import L, MON_9, tiny

ASSUME = {"assumption": "test figure"}


def costed(**changes) -> dict:
    """The tiny model with a clerk at 200 SEK an hour plus 50 % on-costs, two screens and one-off costs."""
    data = tiny(**changes)
    data["pools"][0]["cost"] = {"hourly_wage": 200, "on_costs": 0.5, "source": ASSUME}
    data["pools"].append({"id": "screens", "label": L, "kind": "equipment", "capacity": 2,
                          "cost": {"per_unit_year": 5200, "source": ASSUME}})
    data["costs"] = {"weeks_per_year": 52, "one_off": [
        {"id": "screens_up", "label": L, "kind": "equipment", "amount": 10000, "source": ASSUME},
        {"id": "course", "label": L, "kind": "training", "hours": 10, "pool": "clerks", "source": ASSUME}]}
    return data


def week_kpis(data: dict, times: list[float]) -> dict[str, float]:
    c = compile_model(validate_data(data))
    a = Arrivals(np.array(times, float), np.zeros(len(times), int), np.zeros(len(times), int))
    rec = simulate_week(c, a, StepDraws(c, len(times), 0, 0, 0))
    rep = {k: np.column_stack([v, np.zeros(len(v))]) for k, v in rec.items()}
    return replication_kpis(c, rep, 1)


def test_a_hand_worked_week_costs_exactly_this():
    # five visitors in the morning (one gives up), and one at 16:58 whom the clerk serves until 17:03
    k = week_kpis(costed(), [MON_9, MON_9 + 1, MON_9 + 2, MON_9 + 3, MON_9 + 20, 16 * 60 + 58])
    assert k["overtime_minutes"] == pytest.approx(3)
    clerk = (8 * 60 + 3) / 60 * 300  # on duty 9-17 plus 3 minutes over, at 200 * 1.5 SEK an hour
    assert k["cost.pool.clerks"] == pytest.approx(clerk) == pytest.approx(2415)
    assert k["cost.pool.screens"] == pytest.approx(2 * 5200 / 52) == pytest.approx(200)
    assert k["cost.week"] == pytest.approx(2615) and k["cost.year"] == pytest.approx(2615 * 52)
    assert k["cost.staff.week"] == pytest.approx(2415) and k["cost.equipment.week"] == pytest.approx(200)
    assert k["cost.per_visitor"] == pytest.approx(2615 / 6) and k["cost.per_errand"] == pytest.approx(2615 / 5)
    assert k["one_off_cost"] == pytest.approx(10000 + 10 * 300)


def test_a_model_without_costs_has_no_cost_kpis():
    k = week_kpis(tiny(), [MON_9])
    assert not [n for n in k if n.startswith(("cost", "one_off", "overtime", "payback"))]
    assert cost_spec(validate_data(tiny())) is None


def test_a_rostered_pool_is_paid_for_its_shifts():
    data = costed()
    data["pools"][0]["roster"] = {"mon": [{"start": "10:00", "end": "12:00", "capacity": 1}]}
    k = week_kpis(data, [10 * 60 + 1])
    assert k["cost.pool.clerks"] == pytest.approx(2 * 300) and k["overtime_minutes"] == 0


def test_payback_and_its_interval_follow_the_yearly_saving():
    p = payback(1000.0, Estimate(mean=500, low=250, high=1000, n=5))
    assert (p.years, p.low, p.high) == (2.0, 1.0, 4.0)
    assert p.estimate() == Estimate(mean=2, low=1, high=4, n=5)
    assert p.describe("sv") == "2,0 år (1,0–4,0)" and p.describe() == "2.0 years (1.0–4.0)"
    unsure = payback(1000.0, Estimate(mean=500, low=-10, high=1000, n=5))
    assert unsure.high is None and unsure.estimate() is None
    assert unsure.describe() == "2.0 years, perhaps never (the saving's interval reaches 0)"
    never = payback(1000.0, Estimate(mean=-5, low=-10, high=1, n=5))
    assert never.years is None and never.describe() == "does not pay back: no saving"
    assert payback(0.0, Estimate(mean=5, low=1, high=9, n=2)).estimate() == Estimate(mean=0, low=0, high=0, n=2)
    assert payback(0.0, Estimate(mean=5, low=-1, high=9, n=2)).describe("sv") == (
        "genast, kanske aldrig (besparingens intervall når 0)")
    assert payback(100.0, Estimate(mean=200, low=150, high=250, n=2)).describe() == "0.50 years (0.40–0.67)"
    assert payback(0.0, Estimate(mean=-5, low=-9, high=-1, n=2)).years is None


def test_the_kiosk_against_today_under_a_fixed_seed():
    c = compare(["skarholmen-current", "skarholmen-kiosk"], replications=3, seed=7)
    today, kiosk = c.kpis()
    assert today["cost.week"].mean == pytest.approx(70821.963305, rel=1e-9)
    assert (today["cost.week"].low, today["cost.week"].high) == pytest.approx((70042.731064, 71601.195547), rel=1e-9)
    assert today["cost.per_visitor"].mean == pytest.approx(48.796133, rel=1e-7)
    assert today["cost.per_errand"].mean == pytest.approx(52.992433, rel=1e-7)
    assert today["cost.pool.public_computers"].mean == pytest.approx(7 * 6000 / 52)
    assert kiosk["cost.week"].mean == pytest.approx(39230.200686, rel=1e-9)
    assert kiosk["cost.year"].mean == pytest.approx(2039970.435690, rel=1e-9)
    assert kiosk["cost.equipment.week"].mean == pytest.approx((2 * 30000 + 10 * 5100) / 52)
    assert kiosk["one_off_cost"].mean == pytest.approx(300000 + 150000 + 42000 + 250000 + 200000 + 48 * 236 * 1.4)
    saving = kiosk["cost_saving.year"]
    assert (saving.mean, saving.low, saving.high) == pytest.approx((1642771.656194, 1622351.985789, 1663191.326600),
                                                                   rel=1e-9)
    assert kiosk["staff_value_freed.year"].mean == pytest.approx(1350700.576018, rel=1e-9)
    assert kiosk["net_benefit.year"].mean == pytest.approx(1281700.576018, rel=1e-9)
    # the net benefit is the staff time freed in SEK plus the equipment saving
    extra_equipment = (kiosk["cost.equipment.week"].mean - today["cost.equipment.week"].mean) * 52
    assert kiosk["net_benefit.year"].mean == pytest.approx(kiosk["staff_value_freed.year"].mean - extra_equipment)
    back = kiosk["payback_years"]
    assert (back.mean, back.low, back.high) == pytest.approx((0.583075071, 0.575916423, 0.590413923), rel=1e-8)
    assert back.mean == pytest.approx(kiosk["one_off_cost"].mean / saving.mean)
    assert kiosk["payback_years.with_time"].mean == pytest.approx(0.747334610, rel=1e-8)
    # the paired difference is the saving turned round
    assert c.difference(1)["cost.year"].mean == pytest.approx(-saving.mean)
    assert today["cost_saving.year"].mean == 0 and "payback_years" not in today


def test_every_library_pool_has_a_cost_with_a_source():
    for name in ("rinkeby-2006", "skarholmen-current", "skarholmen-kiosk", "spanga-tensta-floorwalk"):
        model = load_model(name)
        assert model.costs is not None and model.costs.weeks_per_year == 52 and model.costs.source is not None
        for pool in model.pools:
            assert pool.cost is not None and pool.cost.source is not None, (name, pool.id)
        for item in model.costs.one_off:
            assert item.source.doc or item.source.assumption, (name, item.id)
    kiosk = load_model("skarholmen-kiosk")
    assert sum(i.amount or 0 for i in kiosk.costs.one_off) == 942000  # the brief's 492,000 plus 450,000 assumed
    assert kiosk.pool("guides").cost.per_hour() == pytest.approx(236 * 1.4)


def test_bad_cost_figures_are_errors_that_name_the_field():
    data = costed()
    data["pools"][0]["cost"] = {"hourly_wage": 1, "per_unit_year": 2, "source": ASSUME}
    with pytest.raises(ModelError, match="pools\\[0\\].cost: .*`hourly_wage` \\(staff\\) or `per_unit_year`"):
        validate_data(data)
    data = costed()
    data["costs"]["one_off"][0]["hours"] = 3
    with pytest.raises(ModelError, match="an `amount`, or `hours` of a staff `pool`, not both"):
        validate_data(data)
    data = costed()
    data["pools"][0]["cost"] = {"per_unit_year": 5, "source": ASSUME}
    with pytest.raises(UserError, match="pools.clerks.cost: staff are costed by `hourly_wage`"):
        cost_spec(validate_data(data))
    data = costed()
    data["costs"]["one_off"][1]["pool"] = "screens"
    with pytest.raises(UserError, match=r"costs.one_off.course.pool: expected a staff pool with an hourly cost "
                                        r"\(clerks\), got 'screens'"):
        cost_spec(validate_data(data))


def test_a_cost_without_a_source_is_refused(tmp_path, capsys):
    model = tmp_path / "m.yaml"
    text = (load_model("skarholmen-current").model_dump_json(by_alias=True, exclude_none=True))
    data = json.loads(text)
    data["pools"][1]["cost"] = {"hourly_wage": 236}
    import yaml

    model.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["simulate", str(model), "-r", "1"]) == 2
    err = capsys.readouterr().err
    assert "pools[1].cost.source" in err and "Traceback" not in err


def test_simulate_shows_costs_and_payback_against_a_baseline(capsys):
    assert main(["simulate", "skarholmen-kiosk", "-r", "3", "--seed", "7", "--baseline", "skarholmen-current",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["kpis"]
    assert data["payback_years"]["mean"] == pytest.approx(0.583075071, rel=1e-8)
    assert data["cost_saving.year"]["mean"] == pytest.approx(1642771.656194, rel=1e-9)
    assert main(["simulate", "skarholmen-current", "-r", "2", "--set", "pools.public_computers.capacity=9",
                 "--baseline", "skarholmen-current"]) == 0
    table = capsys.readouterr().out
    assert "cost.per_visitor" in table and "one_off_cost" in table
    assert "does not pay back: no saving" in table  # two more computers cost more and have no one-off cost
    single = run("skarholmen-current", replications=2, seed=7, keep_records=False).kpis()
    assert "cost.week" in single and "cost_saving.year" not in single
