"""Calibration round trip: simulate a known model, write its event log, recover the inputs."""

from __future__ import annotations

import csv

import pytest

from process_models.errors import UserError
from simulation import Scenario, calibrate, read_event_log, run, write_event_log
from simulation.arrivals import clock_minutes


@pytest.fixture(scope="module")
def known(tmp_path_factory):
    truth = Scenario(name="truth", model="skarholmen-kiosk", weeks=4,
                     overrides={"demand.weekly_visitors": 1600,
                                "steps.start_at_computer.duration": {"kind": "lognormal", "mean": 20, "sd": 6}})
    result = run(truth, replications=1, seed=4)
    log = tmp_path_factory.mktemp("log") / "kiosk-log.csv"
    rows = write_event_log(result, log)
    return truth.build_model(), result, log, rows


def test_the_written_log_reads_back_with_the_csv_module(known):
    _, result, log, rows = known
    with log.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == rows
    assert set(table[0]) == {"visit_id", "event", "step_id", "timestamp", "errand", "language"}
    arrived = [r for r in table if r["event"] == "arrived"]
    assert len(arrived) == len(result.visitors)
    assert {r["language"] for r in arrived} <= {"sv", "ar", "so", "en"}


def test_calibration_recovers_arrivals_mix_and_durations(known):
    truth, result, log, _ = known
    s = calibrate(log, base="skarholmen-kiosk")
    m = s.build_model()
    v = result.visitors
    # weekly volume: the log's own count per week, and near the true 1,600
    assert m.demand.weekly_visitors == round(len(v) / 4)
    assert abs(m.demand.weekly_visitors - 1600) < 0.03 * 1600
    for day, share in truth.demand.weekday_profile.items():
        assert m.demand.weekday_profile[day] == pytest.approx(share, abs=0.02)
    # hourly shape: per open minute, the busy 11:00 hour against the quiet 9:00 one
    true_ratio = truth.demand.hourly_profile[11] / truth.demand.hourly_profile[9]
    fitted = m.demand.hourly_profile[11] / m.demand.hourly_profile[9]
    assert fitted == pytest.approx(true_ratio, rel=0.12)
    # 17:00 is open on Wednesdays only: its weight is not diluted by the days it is closed
    late = m.demand.hourly_profile[17] / m.demand.hourly_profile[9]
    assert late == pytest.approx(truth.demand.hourly_profile[17] / truth.demand.hourly_profile[9], rel=0.3)
    for e in truth.errands:
        assert next(x for x in m.errands if x.id == e.id).share == pytest.approx(e.share, abs=0.015)
    for g in truth.segments:
        assert next(x for x in m.segments if x.id == g.id).share == pytest.approx(g.share, abs=0.03)
    # durations: a lognormal with the observed mean and sd
    d = m.step("start_at_computer").duration
    assert d.kind == "lognormal"
    assert d.mean() == pytest.approx(20, rel=0.04)
    assert d.sd == pytest.approx(6, rel=0.1)
    assert m.step("kiosk_language").duration.kind == "fixed"  # 0.3 minutes every time
    assert m.step("kiosk_language").duration.mean() == pytest.approx(0.3, abs=0.01)
    assert "calibrated from kiosk-log.csv" in d.source.assumption
    # the opening hours of the base model are kept; the scenario runs
    assert clock_minutes(m.opening_hours["wed"].close) == 18 * 60
    assert run(s, replications=1, seed=0).kpis()["arrived"].mean > 0


@pytest.mark.parametrize("text,message", [
    ("visit_id,event,timestamp\n", "header lacks column(s) step_id"),
    ("visit_id,event,step_id,timestamp\nv1,arrived,,yesterday\n", "log.csv:2: timestamp 'yesterday' is not ISO 8601"),
    ("visit_id,event,step_id,timestamp\n,arrived,,2026-11-23T10:00:00\n", "log.csv:2: visit_id is empty"),
    ("visit_id,event,step_id,timestamp\nv1,left,,2026-11-23T10:00:00\n", "no `arrived` events"),
])
def test_bad_logs_are_user_errors_with_file_and_line(tmp_path, text, message):
    p = tmp_path / "log.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as exc:
        read_event_log(p)
    assert message in str(exc.value)
