"""The load check: offered load per pool, Erlang C where it applies, warnings naming the need."""

from __future__ import annotations

import pytest

from process_models.io import validate_data
from simulation import Scenario, erlang_c_wait, load_check

from .conftest import mmc, tiny


def test_mmc_load_and_erlang_c():
    (desk,) = load_check(validate_data(mmc(1.6, 1.0, 2)))
    assert desk.pool == "desk"
    assert desk.offered_load == pytest.approx(round(1.6 * 1439) / 1439)
    assert desk.utilisation == pytest.approx(desk.offered_load / 2)
    assert desk.erlang_c_wait == pytest.approx(erlang_c_wait(2, desk.offered_load, 1.0))
    assert desk.warning is None
    assert (desk.capacity_for_1, desk.capacity_for_085) == (2, 2)


def test_an_overloaded_pool_gets_a_warning_naming_it_and_the_capacity_it_needs():
    (desk,) = load_check(validate_data(mmc(3.3, 1.0, 2)))
    assert desk.utilisation > 1
    assert desk.erlang_c_wait == float("inf")
    assert desk.warning.startswith("pool 'desk' is overloaded: 3.3 Erlangs offered on capacity 2 (165%)")
    assert "needs a capacity of at least 4 to keep up (4 for utilisation under 85 %)" in desk.warning


def test_skarholmen_current_expected_visits_and_peak_warning():
    loads = {p.pool: p for p in load_check("skarholmen-current")}
    # every visitor passes the desk: 1,473 visitors x triage mean 2 min + answers, over 2,160 open minutes
    assert loads["info_desk"].capacity == 3
    assert 0.6 < loads["info_desk"].utilisation < 1
    # computers are busy at the peak hour but keep up over the week
    assert loads["public_computers"].utilisation < 1 <= loads["public_computers"].peak_utilisation
    assert "busiest hour" in loads["public_computers"].warning
    # the duty lawyer works three hours on Wednesdays: a roster, so no Erlang C
    assert loads["duty_lawyer"].erlang_c_wait is None
    assert "during its shifts" in loads["duty_lawyer"].warning
    # a scenario is checked with its overrides
    more = {p.pool: p for p in load_check(Scenario(name="s", model="skarholmen-current",
                                                   overrides={"pools.public_computers.capacity": 10}))}
    assert more["public_computers"].utilisation == pytest.approx(loads["public_computers"].utilisation * 0.7)


def test_offered_load_follows_the_flow_probabilities():
    data = tiny()
    data["steps"][1].pop("patience")
    (clerks,) = load_check(validate_data(data))
    # 50 visitors a week x 5 minutes over 480 open minutes
    assert clerks.offered_load == pytest.approx(50 * 5 / 480)


def test_work_that_comes_when_nobody_is_on_the_roster_is_named_so():
    """Without arrival hours lawyer errands come all week, also when no lawyer sits."""
    s = Scenario(name="s", model="skarholmen-current", overrides={"errands.duty_lawyer.arrival_hours": None})
    (lawyer,) = [p for p in load_check(s) if p.pool == "duty_lawyer"]
    assert lawyer.warning_kind == "off_shift" and lawyer.peak_capacity == 0 and lawyer.peak_load > 0
    assert lawyer.warning.startswith("pool 'duty_lawyer' gets work when nobody is on its roster")
    assert lawyer.warning.endswith("visitors who come outside its shifts wait in vain")
