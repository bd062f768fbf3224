"""The scenario builder: controls become dotted-path overrides the simulation applies."""

from __future__ import annotations

import pytest

from process_models import load_model
from process_models.session import SavedScenario
from simulation import Scenario, run
from workshop_app.builder import ScenarioBuilder, opening_hours_overrides
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


def test_opening_earlier_moves_visitors_into_the_new_hour(shared):
    b = ScenarioBuilder(shared)  # skarholmen-current opens 09:00, its arrival profile starts at 9
    b.param.update(open_shift=-1, close_shift=2)
    ov = b.overrides()
    assert ov["opening_hours.mon.open"] == "08:00" and ov["opening_hours.wed.close"] == "20:00"
    # new clock hours take the weight of the nearest hour the profile has: 8 <- 9, 18 and 19 <- 17
    assert ov["demand.hourly_profile.8"] == 0.8
    assert ov["demand.hourly_profile.18"] == ov["demand.hourly_profile.19"] == 0.4
    assert "demand.hourly_profile.16" not in ov  # already weighted
    result = run(Scenario(name="08-18", model=b.base, overrides=ov), replications=2, seed=3)
    early = result.visitors[(result.visitors.arrival % 1440) < 9 * 60]
    assert (early.arrival % 1440).min() >= 8 * 60
    assert len(early) == 238  # exact under seed 3
    # about 0.8 of the day's weight 9.5 (09-18 plus the new hour, Mon), i.e. some 8 % of arrivals
    assert 0.06 < len(early) / len(result.visitors) < 0.10
    later = ScenarioBuilder(shared)
    later.load(SavedScenario(name="08-18", model=b.base, overrides=ov))
    assert (later.open_shift, later.close_shift) == (-1, 2)
    assert later.overrides() == ov


def test_a_day_keeps_at_least_one_open_hour():
    m = load_model("skarholmen-current")
    short = m.model_copy(update={"opening_hours": {"fri": m.opening_hours["fri"]}})  # 09:00-15:00
    ov = opening_hours_overrides(short, open_shift=2, close_shift=-2)
    assert (ov["opening_hours.fri.open"], ov["opening_hours.fri.close"]) == ("11:00", "13:00")
    tiny = m.model_copy(update={"opening_hours": {"fri": m.opening_hours["fri"].model_copy(update={"close": "10:00"})}})
    ov = opening_hours_overrides(tiny, open_shift=2, close_shift=0)
    assert ov == {}  # 09:00-10:00 opened two hours later would be shut: it stays 09:00-10:00
    assert opening_hours_overrides(m, 0, 0) == {}


def test_load_check_warnings_are_said_in_the_ui_language():
    from workshop_app.engine import load_rows

    rows = {r.pool: r for r in load_rows("skarholmen-current", {}, "sv")}
    assert rows["duty_lawyer"].warning.startswith("Överbelastad vid mest belastade timmen (ons 13:00)")
    off = {r.pool: r for r in load_rows("skarholmen-current", {"errands.duty_lawyer.arrival_hours": None}, "en")}
    assert off["duty_lawyer"].warning.startswith("Gets visitors when nobody is on shift (Mon 09:00): 0.22 Erlangs")


def test_moving_only_the_kiosk_slider_saves_exactly_one_change(shared):
    """The self-service slider used to write every self-service step's success although nobody moved it."""
    from workshop_app.builder import change_count

    b = ScenarioBuilder(shared, base="skarholmen-kiosk")
    assert b.overrides() == {}
    b.param.update(kiosks=3, scenario_name="Tre kiosker")
    saved = b.save()
    assert saved.overrides == {"pools.kiosk.capacity": 3}
    assert change_count(saved.overrides) == 1
    assert b.changes("sv") == ["Pekskärmar i entrén: 2 → 3"]
    b.self_service_success = 0.6  # moved: now every self-service step gets it, counted as one change
    assert change_count(b.overrides()) == 2
    assert b.changes("en")[-1] == "Share managing self-service alone: 42 % → 60 %"


def test_settings_that_cannot_make_a_valid_model_are_not_offered(shared):
    b = ScenarioBuilder(shared, base="skarholmen-kiosk")
    assert b.minimum("guides") == 1 and b.param.guides.bounds[0] == 1  # steps need a guide: 0 is not offered
    assert b.minimum("kiosks") == 1 and b.minimum("desk_staff") == 0  # the kiosk office has no desk
    with pytest.raises(ValueError):
        b.guides = 0
    b.guides = 1  # fewer guides than named skills: the skills shrink, the model stays valid
    assert b.problem() is None
    b.base = "skarholmen-current"
    assert b.param.desk_staff.bounds[0] == 1
    b.close_shift = -1  # closing an hour earlier leaves nobody arriving at a shut office
    assert b.problem() is None and b.overrides()["demand.hourly_profile.17"] == 0.0


def test_the_change_list_is_in_words_not_python_values(shared):
    b = ScenarioBuilder(shared, base="skarholmen-kiosk")
    b.param.update(guides=2, close_shift=1, policy="ticket")
    lines = b.changes("sv")
    assert "Samhällsvägledare: 3 → 2" in lines  # the skill sets that follow are not listed
    assert "Stänger mån: 16:00 → 17:00" in lines[1:] or any(l.startswith("Stänger mån:") for l in lines)
    assert "Arbetssätt: Floorwalk → Kölapp" in lines
    assert not [l for l in lines if "{" in l or "[" in l]
