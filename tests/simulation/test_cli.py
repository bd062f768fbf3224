"""`mbk simulate`, `mbk sweep`, `mbk calibrate`: results read back, bad input exits 2 with a message."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from mbk.cli import main
from simulation import Scenario, load_scenario, run, sweep
from simulation.executors import dask_local_cluster

MBK = str(Path(sys.executable).parent / "mbk")


def test_simulate_json_matches_the_api(capsys):
    assert main(["simulate", "skarholmen-current", "-r", "3", "--seed", "5",
                 "--set", "pools.public_computers.capacity=9", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    api = run(Scenario(name="x", model="skarholmen-current", overrides={"pools.public_computers.capacity": 9}),
              replications=3, seed=5).kpis()
    assert data["overrides"] == {"pools.public_computers.capacity": 9}
    assert data["kpis"]["arrived"] == api["arrived"].model_dump()
    assert data["kpis"]["mean_wait"]["mean"] == api["mean_wait"].mean
    assert {p["pool"] for p in data["load_check"]} == {"info_desk", "guides", "public_computers", "caseworkers", "duty_lawyer"}


def test_simulate_csv_and_table(capsys):
    assert main(["simulate", "skarholmen-kiosk", "-r", "2", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    kpis = {r["kpi"]: r for r in rows}
    assert 0 < float(kpis["self_served_share"]["mean"]) < 1
    assert kpis["arrived"]["n"] == "2"
    assert main(["simulate", "skarholmen-current", "-r", "2", "--weeks", "2"]) == 0
    captured = capsys.readouterr()
    assert "2 replications of 2 week(s), seed 0" in captured.out
    assert "load check: pool 'duty_lawyer' is overloaded" in captured.err


def test_sweep_writes_csv_and_parquet_that_read_back(tmp_path, capsys):
    out = tmp_path / "grid.csv"
    assert main(["sweep", "skarholmen-current", "--vary", "pools.public_computers.capacity=6..7",
                 "--vary", "pools.guides.capacity=3,4", "-r", "2", "--seed", "1", "--workers", "2", "-o", str(out)]) == 0
    assert "ETA" in capsys.readouterr().err
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["pools.public_computers.capacity"], r["pools.guides.capacity"]) for r in rows] == [
        ("6", "3"), ("6", "4"), ("7", "3"), ("7", "4")]
    api = sweep("skarholmen-current", {"pools.public_computers.capacity": [6, 7], "pools.guides.capacity": [3, 4]},
                replications=2, seed=1)
    assert [float(r["mean_wait"]) for r in rows] == pytest.approx(api["mean_wait"].tolist(), rel=1e-12)
    pout = tmp_path / "grid.parquet"
    assert main(["sweep", "skarholmen-current", "--vary", "pools.guides.capacity=3", "-r", "2", "-o", str(pout)]) == 0
    table = pq.read_table(pout).to_pandas()
    assert table["pools.guides.capacity"].tolist() == [3]
    assert table["replications"].tolist() == [2]


def test_sweep_on_a_dask_cluster(tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "dask.csv"
    with dask_local_cluster(1, threads_per_worker=2, processes=False) as cluster:
        assert main(["sweep", "skarholmen-current", "--vary", "pools.guides.capacity=3,4", "-r", "2",
                     "--dask", cluster.scheduler_address, "-o", str(out)]) == 0
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    local = sweep("skarholmen-current", {"pools.guides.capacity": [3, 4]}, replications=2, seed=0)
    assert [float(r["mean_wait"]) for r in rows] == pytest.approx(local["mean_wait"].tolist(), rel=1e-12)


def test_calibrate_writes_a_scenario_that_loads(tmp_path, capsys):
    from simulation import write_event_log

    log = tmp_path / "log.csv"
    write_event_log(run(Scenario(name="t", model="skarholmen-kiosk"), replications=1, seed=2), log)
    out = tmp_path / "calibrated.yaml"
    assert main(["calibrate", str(log), "-o", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["model"] == "skarholmen-kiosk"
    s = load_scenario(out)
    assert s.overrides["demand.weekly_visitors"] == data["overrides"]["demand.weekly_visitors"]
    assert s.build_model().demand.weekly_visitors == data["overrides"]["demand.weekly_visitors"]


BAD = [
    (["simulate", "no-such-model"], "no-such-model: no such scenario or model file"),
    (["simulate", "skarholmen-current", "-r", "0"], "--replications: expected an integer >= 1, got 0"),
    (["simulate", "skarholmen-current", "--set", "pools.printer.capacity=2"], "no item 'printer' at pools.printer"),
    (["simulate", "skarholmen-current", "--set", "pools.guides.capacity"], "expected PATH=VALUE"),
    (["simulate", "skarholmen-current", "--set", "pools.guides.capacity=-1"], "capacity -1 is negative"),
    (["simulate", "skarholmen-current", "--json", "--csv"], "choose one output format"),
    (["sweep", "skarholmen-current", "--vary", "pools.guides.capacity=5..2", "-o", "{tmp}/a.csv"], "range 5..2 is empty"),
    (["sweep", "skarholmen-current", "--vary", "pools.guides.capacity=x..4", "-o", "{tmp}/a.csv"], "expected an integer range"),
    (["sweep", "skarholmen-current", "--vary", "pools.guides.capacity=2", "-o", "{tmp}/a.txt"], "unknown format 'txt'"),
    (["sweep", "skarholmen-current", "--vary", "pools.nope.capacity=2..3", "-o", "{tmp}/a.csv"], "no item 'nope'"),
    (["sweep", "skarholmen-current", "--vary", "pools.guides.capacity=2", "-o", "{tmp}/missing/a.csv"], "does not exist"),
    (["sweep", "skarholmen-current", "--vary", "pools.guides.capacity=2", "--dask", "tcp://127.0.0.1:9",
      "-o", "{tmp}/a.csv"], "cannot reach a Dask scheduler"),
    (["calibrate", "{tmp}/none.csv", "-o", "{tmp}/s.yaml"], "none.csv: no such event log"),
    (["calibrate", "{tmp}/log.csv", "-o", "{tmp}/s.txt"], "expected a .yaml or .yml file"),
    (["calibrate", "{tmp}/log.csv", "-o", "{tmp}/s.yaml"], "log.csv:3: timestamp '2026-13-01T10:00:00' is not ISO 8601"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[" ".join(a[:3]) for a, _ in BAD])
def test_bad_input_exits_2_with_a_clear_message(tmp_path, capsys, argv, message):
    (tmp_path / "log.csv").write_text(
        "visit_id,event,step_id,timestamp\nv1,arrived,,2026-11-23T10:00:00\nv2,arrived,,2026-13-01T10:00:00\n",
        encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in " ".join(err.split())
    assert "Traceback" not in err
    assert not (tmp_path / "a.csv").exists() and not (tmp_path / "s.yaml").exists()


@pytest.mark.parametrize("argv,message", [
    (["simulate", "skarholmen-current", "--set", "policy.queue=lottery"], "Input should be 'ticket' or 'floorwalk'"),
    (["sweep", "skarholmen-current", "--vary", "pools.guides.capacity=2..1", "-o", "x.csv"], "range 2..1 is empty"),
    (["calibrate", "missing.csv", "-o", "s.yaml"], "missing.csv: no such event log"),
])
def test_bad_input_as_a_subprocess(tmp_path, argv, message):
    p = subprocess.run([MBK, *argv], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert message in " ".join(p.stderr.split())
    assert "Traceback" not in p.stderr
    assert list(tmp_path.iterdir()) == []
