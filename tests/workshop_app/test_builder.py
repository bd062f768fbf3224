"""The scenario builder: controls become dotted-path overrides the simulation applies."""

from __future__ import annotations

import pytest

from process_models import load_model
from simulation import Scenario
from workshop_app.builder import ScenarioBuilder
from workshop_app.engine import load_rows
from workshop_app.texts import UiError


def test_controls_start_at_the_models_values_and_give_no_overrides(shared):
    b = ScenarioBuilder(shared)
    m = load_model("skarholmen-current")
    assert b.base == "skarholmen-current"
    assert b.public_computers == m.pool("public_computers").capacity
    assert b.desk_staff == m.pool("info_desk").capacity
    assert b.available() == {"public_computers": True, "kiosks": False, "guides": True, "desk_staff": True}
    assert b.overrides() == {}


def test_changes_become_overrides_that_the_simulation_applies(shared):
    b = ScenarioBuilder(shared, base="skarholmen-kiosk")
    b.param.update(weekly_visitors=1900, public_computers=12, kiosks=3, guides=4, close_shift=1,
                   self_service_success=0.8, policy="ticket")
    ov = b.overrides()
    assert ov["demand.weekly_visitors"] == 1900
    assert ov["pools.public_computers.capacity"] == 12
    assert ov["pools.kiosk.capacity"] == 3
    assert ov["pools.guides.capacity"] == 4
    assert ov["policy.queue"] == "ticket"
    assert "pools.info_desk.capacity" not in ov  # the kiosk office has no desk
    built = Scenario(name="x", model="skarholmen-kiosk", overrides=ov).build_model()  # the engine's reader
    assert built.demand.weekly_visitors == 1900
    assert built.pool("public_computers").capacity == 12 and built.pool("kiosk").capacity == 3
    assert built.opening_hours["wed"].close == "19:00" and built.opening_hours["fri"].close == "16:00"
    assert all(built.step(s).success.default == 0.8 for s in b.self_service_steps())
    assert built.policy.queue == "ticket"


def test_the_errand_mix_still_sums_to_one(shared):
    b = ScenarioBuilder(shared)
    b.set_errand_share("borrow_computer", 0.30)
    assert b.errand_shares["borrow_computer"] == pytest.approx(0.30)
    assert sum(b.errand_shares.values()) == pytest.approx(1.0, abs=1e-9)
    built = Scenario(name="mix", model=b.base, overrides=b.overrides()).build_model()
    assert sum(e.share for e in built.errands) == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(UiError):
        b.set_errand_share("parking", 0.1)


def test_saved_scenarios_go_to_the_session_and_load_back(shared, session_path):
    b = ScenarioBuilder(shared, base="skarholmen-kiosk")
    with pytest.raises(UiError):
        b.save()  # no name yet
    b.param.update(scenario_name="Kiosk + 12 datorer", public_computers=12, close_shift=-1)
    saved = b.save()
    assert shared.scenario("Kiosk + 12 datorer").overrides == saved.overrides
    other = ScenarioBuilder(shared)
    other.load(shared.scenario("Kiosk + 12 datorer"))
    assert (other.base, other.public_computers, other.close_shift) == ("skarholmen-kiosk", 12, -1)
    assert other.overrides() == saved.overrides


def test_the_load_check_warns_before_a_run(shared):
    b = ScenarioBuilder(shared)
    b.public_computers = 7
    calm = {r.pool: r for r in load_rows(b.base, b.overrides(), "sv")}
    b.public_computers = 2
    busy = {r.pool: r for r in load_rows(b.base, b.overrides(), "en")}
    assert busy["public_computers"].utilisation == pytest.approx(calm["public_computers"].utilisation * 7 / 2)
    assert busy["public_computers"].warning.startswith("Overloaded")


def test_fewer_guides_than_named_skills_keeps_the_model_valid(shared):
    b = ScenarioBuilder(shared)
    b.guides = 1
    built = Scenario(name="one guide", model=b.base, overrides=b.overrides()).build_model()
    assert built.pool("guides").capacity == 1
    assert sum(s.count for s in built.pool("guides").skills) == 1
    assert built.pool("guides").skills[0] == load_model(b.base).pool("guides").skills[0]
