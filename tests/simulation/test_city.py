"""A city: offices side by side and in total, from a checked city file, on any executor."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import pytest

from mbk.cli import main
from process_models.errors import UserError
from simulation import run
from simulation.city import TOTAL, city_totals, is_city_file, load_city, office_seed, run_city, sweep_city
from simulation.executors import dask_local_cluster, process_pool

STOCKHOLM = "process_models/library/cities/stockholm.yaml"


@pytest.fixture
def mbk(capsys):
    def run_(*args):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run_


def _city(tmp_path, body: str):
    p = tmp_path / "city.yaml"
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def test_totals_add_counts_staff_hours_and_money_and_weight_waits_by_visitors():
    a = [{"arrived": 100, "served": 90, "self_served": 10, "mean_wait": 4.0, "within_20": 0.9, "staff_minutes.guides": 600,
          "staff_minutes.guides.talk": 300, "cost.week": 1000.0},
         {"arrived": 120, "served": 100, "self_served": 12, "mean_wait": 5.0, "within_20": 0.8, "staff_minutes.guides": 660,
          "staff_minutes.guides.talk": 330, "cost.week": 1100.0}]
    b = [{"arrived": 300, "served": 290, "self_served": 90, "mean_wait": 8.0, "within_20": 0.5, "staff_minutes.desk": 1200,
          "staff_minutes.guides": 120, "cost.week": 3000.0},
         {"arrived": 280, "served": 270, "self_served": 84, "mean_wait": 10.0, "within_20": 0.6, "staff_minutes.desk": 1080,
          "staff_minutes.guides": 120, "cost.week": 2900.0}]
    t = city_totals({"A": a, "B": b})
    assert t[0] == {"arrived": 400, "served": 380, "self_served": 100, "staff_hours": (600 + 1200 + 120) / 60,
                    "cost.week": 4000.0, "mean_wait": (4 * 100 + 8 * 300) / 400, "within_20": (0.9 * 100 + 0.5 * 300) / 400,
                    "self_served_share": 0.25, "cost.per_visitor": 10.0}
    assert t[1]["mean_wait"] == (5 * 120 + 10 * 280) / 400 and t[1]["staff_hours"] == 31.0
    del b[0]["cost.week"]  # an office without costs: no city cost, the rest as before
    t = city_totals({"A": a, "B": b})
    assert "cost.week" not in t[0] and "cost.per_visitor" not in t[0] and "cost.week" in t[1]
    with pytest.raises(UserError, match=r"same number of replications for every office, got \[1, 2\]"):
        city_totals({"A": a, "B": b[:1]})


def test_a_city_file_is_told_from_models_and_scenarios(tmp_path):
    assert is_city_file(STOCKHOLM)
    assert not is_city_file("skarholmen-current") and not is_city_file("exports/examples/more-computers.yaml")
    assert not is_city_file("process_models/library/cities/kista-current.yaml")
    city = load_city(STOCKHOLM)
    assert [o.name for o in city.offices] == ["Skärholmen", "Rinkeby", "Kista"]
    assert city.offices[2].model.endswith("process_models/library/cities/kista-current.yaml")  # relative to the file
    assert city.offices[1].overrides == {"pools.computers.capacity": 14}


@pytest.mark.parametrize("body, message", [
    ("name: C\noffices:\n  - {name: A, model: skarholmen-current, overides: {}}\n",
     "city.yaml:3: offices[0].overides: unknown key 'overides'; expected one of: name, model, overrides"),
    ("nmae: C\noffices:\n  - {name: A, model: skarholmen-current}\n", "city.yaml:1: nmae: unknown key 'nmae'; expected one of: name, description, weeks, offices"),
    ("name: C\noffices: []\n", "city.yaml:2: offices: List should have at least 1 item"),
    ("name: C\noffices:\n  - {name: A, model: skarholmen-current}\n  - {name: A, model: rinkeby-2006}\n",
     "offices: Value error, office name 'A' is used twice; expected a unique name per office"),
    ("name: C\noffices:\n  - {name: A, model: skarholmen-current}\n  - {name: B, model: nowhere.yaml}\n",
     "city.yaml:4: offices[1].model (B): nowhere.yaml: no such scenario or model file"),
    ("name: C\noffices:\n  - name: A\n    model: skarholmen-current\n    overrides: {pools.nope.capacity: 2}\n",
     "city.yaml:4: offices[0].model (A): override 'pools.nope.capacity': no item 'nope' at pools.nope"),
    ("name: C\nweeks: 0\noffices:\n  - {name: A, model: skarholmen-current}\n",
     "city.yaml:2: weeks: Input should be greater than or equal to 1"),
])
def test_a_broken_city_file_is_named_with_its_line_and_field(tmp_path, mbk, body, message):
    p = _city(tmp_path, body)
    code, out, err = mbk("simulate", p, "-r", "2")
    assert code == 2 and out == ""
    assert message in err.replace("\n", " ").replace(str(tmp_path) + "/", ""), err


def test_a_city_file_that_is_no_text_or_lists_no_offices_is_refused_naming_the_file(tmp_path, mbk):
    binary = tmp_path / "city.yaml"
    binary.write_bytes(b"name: C\noffices:\n  - \x00\xff\xfe\n")
    code, out, err = mbk("simulate", binary)
    assert code == 2 and out == "" and str(binary) in err
    p = _city(tmp_path, "name: C\noffices: 3\n")
    code, out, err = mbk("simulate", p)
    assert code == 2 and "city.yaml:2: offices: Input should be a valid list" in err


def test_each_office_runs_as_it_would_alone_with_its_own_seed_and_the_total_is_their_sum(tmp_path):
    p = _city(tmp_path, """\
        name: Two
        offices:
          - {name: Skärholmen, model: skarholmen-current}
          - {name: Rinkeby, model: rinkeby-2006, overrides: {pools.computers.capacity: 14}}
        """)
    city = load_city(p)
    result = run_city(city, replications=2, seed=5)
    est = result.kpis()
    alone = run("skarholmen-current", replications=2, seed=office_seed(5, "Skärholmen"), keep_records=False).kpis()
    assert est["Skärholmen"]["mean_wait"] == alone["mean_wait"] and est["Skärholmen"]["arrived"] == alone["arrived"]
    assert office_seed(5, "Skärholmen") != office_seed(5, "Rinkeby")
    assert est[TOTAL]["arrived"].mean == pytest.approx(est["Skärholmen"]["arrived"].mean + est["Rinkeby"]["arrived"].mean)
    assert est[TOTAL]["cost.week"].mean == pytest.approx(est["Skärholmen"]["cost.week"].mean + est["Rinkeby"]["cost.week"].mean)
    assert est["Skärholmen"]["mean_wait"].mean < est[TOTAL]["mean_wait"].mean or \
        est["Rinkeby"]["mean_wait"].mean < est[TOTAL]["mean_wait"].mean  # a weighted mean lies between them
    assert est[TOTAL]["arrived"].low < est[TOTAL]["arrived"].mean < est[TOTAL]["arrived"].high
    assert any("duty_lawyer" in w for w in result.warnings["Skärholmen"])


def test_mbk_simulate_city_prints_offices_and_total_as_csv_and_json(mbk):
    code, out, err = mbk("simulate", STOCKHOLM, "-r", "2", "--seed", "1", "--csv")
    assert code == 0
    assert "load check: Skärholmen: pool 'duty_lawyer'" in err and "Kista" not in err  # the template's office keeps up
    rows = list(csv.DictReader(io.StringIO(out)))
    arrived = {r["office"]: float(r["mean"]) for r in rows if r["kpi"] == "arrived"}
    assert list(arrived) == ["Skärholmen", "Rinkeby", "Kista", TOTAL]
    assert arrived[TOTAL] == pytest.approx(arrived["Skärholmen"] + arrived["Rinkeby"] + arrived["Kista"], rel=1e-5)
    code, out2, _ = mbk("simulate", STOCKHOLM, "-r", "2", "--seed", "1", "--json")
    data = json.loads(out2)
    assert data["offices"] == ["Skärholmen", "Rinkeby", "Kista"] and data["replications"] == 2
    assert data["kpis"][TOTAL]["arrived"]["mean"] == pytest.approx(arrived[TOTAL], rel=1e-5)
    assert set(data["kpis"][TOTAL]) >= {"mean_wait", "staff_hours", "cost.week", "cost.per_visitor", "self_served_share"}
    code, _, err = mbk("simulate", STOCKHOLM, "--baseline", "skarholmen-current")
    assert code == 2 and "--baseline:" in err and "is a city" in err


def test_a_city_sweep_gives_the_same_rows_on_a_process_pool_as_here(tmp_path, mbk):
    p = _city(tmp_path, f"""\
        name: Söder
        offices:
          - {{name: Skärholmen, model: skarholmen-current}}
          - {{name: Kista, model: {Path(STOCKHOLM).resolve().parent / "kista-current.yaml"}}}
        """)
    city = load_city(p)
    grid = {"pools.guides.capacity": [3, 4], "Kista:demand.weekly_visitors": [900]}
    here = sweep_city(city, grid, replications=2, seed=2)
    pooled = sweep_city(city, grid, replications=2, seed=2, executor=process_pool(2))
    assert here == pooled
    assert [(r["pools.guides.capacity"], r["replications"]) for r in here] == [(3, 2), (4, 2)]
    assert here[1]["Skärholmen.mean_wait"] < here[0]["Skärholmen.mean_wait"]  # a fourth guide shortens the wait
    out = tmp_path / "sweep.csv"
    code, _, err = mbk("sweep", p, "--vary", "pools.guides.capacity=3..4", "-r", "2", "--seed", "2", "--workers", "2",
                       "-o", out)
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["pools.guides.capacity"] for r in rows] == ["3", "4"]
    assert all(float(r["total.mean_wait_low"]) < float(r["total.mean_wait"]) < float(r["total.mean_wait_high"]) for r in rows)
    code, _, err = mbk("sweep", p, "--vary", "Vällingby:pools.guides.capacity=3..4", "-o", out)
    assert code == 2 and "no office 'Vällingby' in the city; expected one of: Kista, Skärholmen" in err


def test_a_city_sweep_on_a_dask_cluster_gives_the_same_rows(tmp_path, mbk):
    pytest.importorskip("distributed")
    p = _city(tmp_path, f"""\
        name: Söder
        offices:
          - {{name: Skärholmen, model: skarholmen-current}}
          - {{name: Kista, model: {Path(STOCKHOLM).resolve().parent / "kista-current.yaml"}}}
        """)
    grid = {"pools.guides.capacity": [3, 4]}
    here = sweep_city(load_city(p), grid, replications=2, seed=8)
    out = tmp_path / "dask.csv"
    with dask_local_cluster(1, threads_per_worker=2, processes=False) as cluster:
        code, _, err = mbk("sweep", p, "--vary", "pools.guides.capacity=3..4", "-r", "2", "--seed", "8",
                           "--dask", cluster.scheduler_address, "-o", out)
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [float(r["total.mean_wait"]) for r in rows] == [r["total.mean_wait"] for r in here]
    assert [float(r["Kista.cost.week"]) for r in rows] == [r["Kista.cost.week"] for r in here]
