"""mbk optimise: the NSGA-II front against a brute-force sweep, common random numbers, files, bad input."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
import yaml

from mbk.cli import main
from process_models.errors import UserError
from simulation import compare, load_scenario, run
from simulation.executors import dask_local_cluster
from simulation.optimise import (
    Constraint,
    non_dominated,
    optimise,
    parse_constraint,
    parse_objective,
    setup_overrides,
    variables_from,
)

from .conftest import L, fixed, step, tiny

ASSUME = {"assumption": "test figure"}
#: The small case: 4 clerks' numbers x 4 screens x 4 clerks in the first hour = 64 set-ups.
VARY = {"pools.clerks.capacity": [1, 2, 3, 4], "pools.screens.capacity": [1, 2, 3, 4],
        "pools.clerks.hours.9": [0, 1, 2, 3]}


def office() -> dict:
    """Clerks then, for half the visitors, a screen: both cost, both make people wait."""
    data = tiny()
    data["demand"]["weekly_visitors"] = 160
    data["demand"]["hourly_profile"] = {9: 3, 10: 1, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1, 16: 1}
    data["pools"][0]["cost"] = {"hourly_wage": 200, "on_costs": 0.5, "source": ASSUME}
    data["pools"][0]["capacity"] = 2
    data["pools"].append({"id": "screens", "label": L, "kind": "equipment", "capacity": 2,
                          "cost": {"per_unit_year": 20800, "source": ASSUME}})
    data["steps"] = [
        step("arrive", "start"),
        step("wait", "queue", patience=fixed(30)),
        step("serve", "task", duration={"kind": "exponential", "mean": 6}, requests=[{"pool": "clerks"}]),
        step("need_pc", "decision"),
        step("pc", "task", duration={"kind": "exponential", "mean": 12}, requests=[{"pool": "screens"}]),
        step("leave", "end"),
    ]
    data["flows"] = [{"from": "arrive", "to": "wait"}, {"from": "wait", "to": "serve"},
                     {"from": "serve", "to": "need_pc"},
                     {"from": "need_pc", "to": "pc", "probability": 0.5},
                     {"from": "need_pc", "to": "leave", "probability": 0.5},
                     {"from": "pc", "to": "leave"}]
    return data


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("opt") / "office.yaml"
    path.write_text(yaml.safe_dump(office(), sort_keys=False), encoding="utf-8")
    return load_scenario(str(path))


OBJECTIVES = (parse_objective("cost"), parse_objective("wait_p90"))
CONSTRAINTS = (parse_constraint("wait_p90<=25"),)


def brute_force(base, vary, objectives, constraints, replications, seed):
    """Every combination simulated (one comparison, same seed), the feasible non-dominated ones by hand."""
    variables = variables_from(vary)
    combos = [dict(zip(vary, c)) for c in itertools.product(*vary.values())]
    scenarios, kept = [], []
    for combo in combos:
        scenarios.append(base.with_overrides(setup_overrides(base, variables, combo), name=str(combo)))
        kept.append(combo)
    results = compare(scenarios, replications=replications, seed=seed).results
    rows = []
    for combo, r in zip(kept, results):
        k = r.kpis()
        if all(c.violation(k[c.kpi].mean) == 0 for c in constraints):
            rows.append((combo, tuple(o.sense * k[o.kpi].mean for o in objectives)))
    front = []
    for combo, p in rows:
        if not any(all(a <= b for a, b in zip(q, p)) and q != p for _, q in rows):
            front.append((combo, p))
    return front


def test_the_front_is_the_brute_force_front_of_a_small_case(base):
    truth = brute_force(base, VARY, OBJECTIVES, CONSTRAINTS, replications=2, seed=7)
    result = optimise(base, variables_from(VARY), OBJECTIVES, CONSTRAINTS, replications=2, seed=7,
                      evaluations=40, population=8)
    assert len(result.evaluated) < 64  # it searched: fewer set-ups than the grid holds
    found = {tuple(e.values[p] for p in VARY): tuple(o.sense * e.objective(o) for o in OBJECTIVES)
             for e in result.front}
    true = {tuple(c[p] for p in VARY): p for c, p in truth}
    assert len(true) >= 3
    assert set(found) == set(true)  # every point of the true front found, nothing dominated kept
    for key, point in true.items():
        assert found[key] == pytest.approx(point)


def test_every_set_up_meets_the_same_visitors(base):
    """Common random numbers: a set-up found by the search has exactly the KPIs of its own run with the seed."""
    result = optimise(base, variables_from(VARY), OBJECTIVES, CONSTRAINTS, replications=2, seed=7,
                      evaluations=16, population=8)
    e = result.front[0]
    alone = run(base.with_overrides(e.overrides), replications=2, seed=7, keep_records=False).kpis()
    assert e.kpis["cost.week"].mean == alone["cost.week"].mean
    assert e.kpis["p90_wait"].mean == alone["p90_wait"].mean
    assert result.replications_run == 2 * len(result.evaluated)


def test_a_roster_by_hour_covers_the_opening_hours(base):
    variables = variables_from({"pools.clerks.hours.9": [3], "pools.clerks.hours.16": [0]})
    out = setup_overrides(base, variables, {"pools.clerks.hours.9": 3, "pools.clerks.hours.16": 0})
    assert out == {"pools.clerks.roster": {"mon": [{"start": "09:00", "end": "10:00", "capacity": 3},
                                                   {"start": "10:00", "end": "16:00", "capacity": 2}]}}
    model = base.with_overrides(out).build_model()
    assert [(s.start, s.end, s.capacity) for s in model.pool("clerks").roster["mon"]] == [
        ("09:00", "10:00", 3), ("10:00", "16:00", 2)]


def test_non_dominated_keeps_ties_and_drops_the_dominated():
    import numpy as np

    pts = np.array([[1, 5], [2, 3], [2, 3], [3, 3], [4, 1], [5, 5]], float)
    assert non_dominated(pts) == [0, 1, 2, 4]


def test_parsed_objectives_and_constraints():
    assert parse_objective("cost").kpi == "cost.week" and parse_objective("cost").sense == 1
    assert parse_objective("self_served_share").sense == -1
    assert parse_objective("max:within_20").sense == -1 and parse_objective("min:served").sense == 1
    assert parse_constraint("wait_p90<=20") == Constraint("wait_p90<=20", "p90_wait", "<=", 20.0)
    assert parse_constraint("self_served_share >= 40%") == Constraint("self_served_share >= 40%",
                                                                     "self_served_share", ">=", 0.4)
    assert parse_constraint("wait_p90<=20").violation(23.5) == 3.5
    assert parse_constraint("utilisation.clerks<0.85") == Constraint("utilisation.clerks<0.85", "utilisation.clerks",
                                                                     "<=", 0.85)
    assert math.isinf(parse_constraint("gave_up<=1").violation(math.nan)) is False  # NaN: as bad as invalid


def test_the_command_writes_the_front_and_scenarios_mbk_simulate_runs(base, tmp_path, capsys):
    out = tmp_path / "front.csv"
    rc = main(["optimise", base.model, "--vary", "pools.clerks.capacity=1..3", "--vary", "pools.screens.capacity=1..3",
               "--objective", "cost", "--objective", "wait_p90", "--constraint", "wait_p90<=40",
               "-n", "9", "--population", "6", "-r", "2", "--seed", "7", "-o", str(out), "--workers", "1"])
    assert rc == 0
    df = pd.read_csv(out)
    assert list(df.columns[:3]) == ["setup", "pools.clerks.capacity", "pools.screens.capacity"]
    assert {"cost.week", "cost.week_low", "p90_wait", "p90_wait_high", "scenario"} <= set(df.columns)
    assert df[["pools.clerks.capacity", "pools.screens.capacity"]].values.tolist() == [[1, 2], [1, 3], [2, 3], [3, 3]]
    assert (df["p90_wait"] <= 40).all()
    assert df["cost.week"].is_monotonic_increasing and df["p90_wait"].is_monotonic_decreasing
    first = df.iloc[0]
    scenario = yaml.safe_load(open(first["scenario"], encoding="utf-8"))
    assert scenario["overrides"]["pools.clerks.capacity"] == first["pools.clerks.capacity"]
    assert scenario["targets"] == {"wait_p90_minutes": 40.0}  # the constraint, for the requirements export
    capsys.readouterr()
    assert main(["simulate", first["scenario"], "-r", "2", "--seed", "7", "--json"]) == 0
    import json

    kpis = json.loads(capsys.readouterr().out)["kpis"]
    assert kpis["cost.week"]["mean"] == pytest.approx(first["cost.week"])
    assert kpis["p90_wait"]["mean"] == pytest.approx(first["p90_wait"])


def test_parquet_by_suffix(base, tmp_path):
    out = tmp_path / "front.parquet"
    assert main(["optimise", base.model, "--vary", "pools.clerks.capacity=1..2", "--objective", "cost",
                 "--objective", "wait_p90", "-n", "2", "--population", "2", "-r", "1", "-o", str(out),
                 "--workers", "1", "--scenarios", str(tmp_path / "s")]) == 0
    df = pd.read_parquet(out)
    assert len(df) >= 1 and all((tmp_path / "s").glob("front-*.yaml"))


@pytest.mark.parametrize("args, words", [
    (["--vary", "pools.clerks.capacity=1..x"], ["--vary", "integer range"]),
    (["--vary", "pools.clerks.capacity=4..1"], ["--vary", "empty"]),
    (["--vary", "pools.nobody.capacity=1..2"], ["--vary pools.nobody.capacity", "valid model"]),
    (["--vary", "pools.clerks.hours.25=1..2"], ["--vary pools.clerks.hours.25", "hour 0..23"]),
    (["--objective", "happiness"], ["--objective 'happiness'", "unknown KPI", "expected one of"]),
    (["--constraint", "wait_p90<twenty"], ["--constraint 'wait_p90<twenty'", "KPI<=NUMBER"]),
    (["--constraint", "joy>=1"], ["--constraint 'joy>=1'", "unknown KPI"]),
    (["-o", "front.xlsx"], ["-o front.xlsx", ".csv or .parquet"]),
    (["--population", "1"], ["--population", ">= 2"]),
])
def test_bad_options_name_the_option_and_what_was_expected(base, tmp_path, capsys, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    argv = ["optimise", base.model, "--vary", "pools.clerks.capacity=1..2", "--objective", "cost",
            "--objective", "wait_p90", "-o", "front.csv", "--workers", "1", *args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for w in words:
        assert w in err, err


def test_an_objective_the_model_does_not_report_is_named(tmp_path, capsys):
    data = office()
    for p in data["pools"]:
        p.pop("cost", None)
    path = tmp_path / "free.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["optimise", str(path), "--vary", "pools.clerks.capacity=1..2", "--objective", "cost",
                 "--objective", "wait_p90", "-o", str(tmp_path / "f.csv"), "--workers", "1", "-n", "2",
                 "--population", "2", "-r", "1"]) == 2
    err = capsys.readouterr().err
    assert "--objective 'cost'" in err and "no cost figures" in err and "Traceback" not in err


def test_no_objective_is_a_user_error(base):
    with pytest.raises(UserError, match="--objective: expected at least one"):
        optimise(base, variables_from({"pools.clerks.capacity": [1, 2]}), ())


def test_fewer_guides_than_skill_sets_cuts_the_skills_as_the_app_does():
    base = load_scenario("skarholmen-kiosk")
    variables = variables_from({"pools.guides.capacity": [2]})
    out = setup_overrides(base, variables, {"pools.guides.capacity": 2})
    assert [(s["count"], s["languages"]) for s in out["pools.guides.skills"]] == [(1, ["sv", "ar"]), (1, ["sv", "so"])]
    assert base.with_overrides(out).build_model().pool("guides").capacity == 2


def test_the_same_front_on_a_dask_cluster_and_a_process_pool(base, tmp_path):
    pytest.importorskip("distributed")
    args = [base.model, "--vary", "pools.clerks.capacity=1..3", "--vary", "pools.screens.capacity=1..3",
            "--objective", "cost", "--objective", "wait_p90", "-n", "6", "--population", "6", "-r", "2", "--seed", "7"]
    with dask_local_cluster(1, threads_per_worker=2, processes=False) as cluster:
        assert main(["optimise", *args, "--dask", cluster.scheduler_address, "-o", str(tmp_path / "dask.csv")]) == 0
    assert main(["optimise", *args, "--workers", "2", "-o", str(tmp_path / "pool.csv")]) == 0
    dask, pool = pd.read_csv(tmp_path / "dask.csv"), pd.read_csv(tmp_path / "pool.csv")
    cols = ["pools.clerks.capacity", "pools.screens.capacity", "cost.week", "p90_wait", "p90_wait_low"]
    assert len(pool) >= 2
    pd.testing.assert_frame_equal(dask[cols], pool[cols])


def test_opening_hours_are_clock_times_and_move_the_arrivals_with_them(base):
    from simulation.cli import parse_vary

    path, values = parse_vary("opening_hours.mon.close=15:00,16:00,18:00")
    assert (path, values) == ("opening_hours.mon.close", ["15:00", "16:00", "18:00"])  # not YAML's 900, 960, 1080
    assert parse_vary("opening_hours.mon.open=08:00") == ("opening_hours.mon.open", ["08:00"])
    variables = variables_from({path: values})
    earlier = setup_overrides(base, variables, {path: "15:00"})
    assert earlier == {path: "15:00", "demand.hourly_profile.15": 0.0, "demand.hourly_profile.16": 0.0}
    later = setup_overrides(base, variables, {path: "18:00"})
    assert later == {path: "18:00", "demand.hourly_profile.17": 1}  # the weight of 16:00, the nearest hour
    for out in (earlier, later):
        assert base.with_overrides(out).build_model().opening_hours["mon"].close == out[path]
