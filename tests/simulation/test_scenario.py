"""Scenarios: overrides by dotted path, YAML scenario files, clear errors, learning over weeks."""

from __future__ import annotations

import pytest
import yaml

from process_models.errors import UserError
from simulation import Learning, Scenario, load_scenario, parse_assignment, run


def test_overrides_reach_pools_steps_errands_policy_and_flows():
    s = Scenario(name="s", model="skarholmen-kiosk", overrides={
        "pools.public_computers.capacity": 12,
        "demand.weekly_visitors": 1800,
        "policy.queue": "ticket",
        "steps.kiosk_instructions.success.default": 0.5,
        "errands.housing.share": 0.08, "errands.other.share": 0.05,
        "flows.0.probability": 1.0,
    })
    m = s.build_model()
    assert m.pool("public_computers").capacity == 12
    assert m.demand.weekly_visitors == 1800
    assert m.policy.queue == "ticket"
    assert m.step("kiosk_instructions").success.default == 0.5
    assert next(e for e in m.errands if e.id == "housing").share == 0.08
    base = Scenario(name="b", model="skarholmen-kiosk").build_model()
    assert base.pool("public_computers").capacity == 10  # the library model is untouched


@pytest.mark.parametrize("path,value,expected", [
    ("pools.printer.capacity", 3, "no item 'printer' at pools.printer; expected one of: kiosk, guides"),
    ("errands.housing.share", 0.5, "shares of errands sum to 1.41; expected 1"),
    ("pools.guides.capacity", "many", "pools[1].capacity: Input should be a valid integer"),
    ("demand.weekly_visitors.high", 3, "demand.weekly_visitors is a value, not a mapping or list"),
    ("policy.queue", "lottery", "policy.queue: Input should be 'ticket' or 'floorwalk'"),
])
def test_a_bad_override_is_a_user_error_naming_it(path, value, expected):
    with pytest.raises(UserError) as exc:
        Scenario(name="s", model="skarholmen-kiosk", overrides={path: value}).build_model()
    assert expected in str(exc.value)


def test_parse_assignment_reads_values_as_yaml():
    assert parse_assignment("pools.kiosk.capacity=3") == ("pools.kiosk.capacity", 3)
    assert parse_assignment("policy.queue=floorwalk") == ("policy.queue", "floorwalk")
    assert parse_assignment("steps.x.success.default=0.25") == ("steps.x.success.default", 0.25)
    with pytest.raises(UserError, match="expected PATH=VALUE"):
        parse_assignment("pools.kiosk.capacity")


def test_load_scenario_from_yaml_plain_model_and_library(tmp_path):
    f = tmp_path / "more.yaml"
    f.write_text(yaml.safe_dump({"name": "more computers", "model": "skarholmen-current", "weeks": 2,
                                 "overrides": {"pools.public_computers.capacity": 9}}), encoding="utf-8")
    s = load_scenario(f)
    assert (s.name, s.model, s.weeks) == ("more computers", "skarholmen-current", 2)
    assert s.build_model().pool("public_computers").capacity == 9
    assert load_scenario("skarholmen-kiosk").model == "skarholmen-kiosk"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nmodel: skarholmen-current\nweeks: zero\n", encoding="utf-8")
    with pytest.raises(UserError, match="bad.yaml:3: weeks: Input should be a valid integer"):
        load_scenario(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [x\n", encoding="utf-8")
    with pytest.raises(UserError, match="broken.yaml:2: broken YAML"):
        load_scenario(broken)
    with pytest.raises(UserError, match="no such scenario or model file"):
        load_scenario(tmp_path / "missing.yaml")


def test_learning_follows_rinkeby_housing_curve():
    """Rinkeby: housing questions fell 56 % in two years once guides taught self-service."""
    learning = Learning(enabled=True, errands=["housing"])
    assert learning.stay_away(0) == 0
    assert learning.stay_away(104) == pytest.approx(0.56)
    assert learning.stay_away(52) == pytest.approx(1 - 0.44 ** 0.5)
    assert Learning().stay_away(104) == 0  # off by default
    s = Scenario(name="learn", model="skarholmen-current", weeks=3,
                 learning={"enabled": True, "errands": ["housing"], "start_week": 103})
    v = run(s, replications=4, seed=1).visitors
    housing = (v["errand"] == "housing").groupby(v["week"]).sum() / 4
    s0 = Scenario(name="no learning", model="skarholmen-current", weeks=3)
    v0 = run(s0, replications=4, seed=1).visitors
    housing0 = (v0["errand"] == "housing").groupby(v0["week"]).sum() / 4
    # weeks 103-105 of learning: about 56 % fewer housing visits than without
    assert 1 - housing.sum() / housing0.sum() == pytest.approx(0.56, abs=0.08)
    others = (v["errand"] != "housing").sum(), (v0["errand"] != "housing").sum()
    assert others[0] == others[1]  # the other errands are untouched (same random numbers)


@pytest.mark.parametrize("overrides, said", [
    ("{'.': null}", "override '.': empty part in the dotted path"),
    ("{pools.nosuch.capacity: 3}", "override 'pools.nosuch.capacity': no item 'nosuch' at pools.nosuch; expected one of: "
                                   "kiosk, guides, public_computers, caseworkers, duty_lawyer"),
    ("{demand.weekly_visitors.x: 3}", "override 'demand.weekly_visitors.x': demand.weekly_visitors is a value, "
                                      "not a mapping or list"),
])
def test_an_override_that_cannot_be_applied_names_the_scenario_file_and_line(tmp_path, overrides, said):
    """Found by the hostile-file property: the message named the override but not the file it was in."""
    f = tmp_path / "scenario.yaml"
    f.write_text(f"name: x\nmodel: skarholmen-kiosk\nweeks: 1\noverrides: {overrides}\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_scenario(f)
    assert str(err.value) == f"{f}:4: overrides: {said}"
