"""Scenario files, figures and event logs that used to crash `mbk simulate` and `mbk calibrate`."""

from __future__ import annotations

import os

import pytest

from mbk.cli import main
from process_models.limits import MAX_WEEKLY_VISITORS

EXAMPLE = "exports/examples/more-computers.yaml"


@pytest.fixture
def mbk(capsys):
    def run(*args):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run


def test_weekly_visitors_no_office_has_is_refused_before_the_simulation(tmp_path, mbk):
    """Was `ValueError: lam value too large` from numpy's Poisson draw."""
    code, out, err = mbk("simulate", "skarholmen-current", "--set", "demand.weekly_visitors=1000000000000000000000000000000")
    assert code == 2 and out == ""
    assert ("skarholmen-current with overrides: demand.weekly_visitors: "
            f"1,000,000,000,000,000,000,000,000,000,000 visitors a week; expected at most {MAX_WEEKLY_VISITORS:,} [limit]") in err


def test_a_pool_capacity_no_office_has_is_refused(mbk):
    code, _, err = mbk("simulate", "skarholmen-current", "--set", "pools.guides.capacity=10000000000")
    assert code == 2 and "pools[1].capacity: capacity 10,000,000,000; expected at most 1,000 [limit]" in err


def test_a_misspelt_scenario_key_names_its_line_and_the_keys_expected(tmp_path, mbk):
    bad = tmp_path / "typo.yaml"
    bad.write_text("name: x\nmodel: skarholmen-current\noverides:\n  pools.guides.capacity: 4\n", encoding="utf-8")
    code, _, err = mbk("simulate", bad)
    assert code == 2
    assert err.strip() == (f"error: {bad}:3: overides: unknown key 'overides'; expected one of: name, model, "
                           "overrides, weeks, learning, description, targets")


def test_a_misspelt_learning_key_names_its_line(tmp_path, mbk):
    bad = tmp_path / "typo.yaml"
    bad.write_text("name: x\nmodel: skarholmen-current\nlearning:\n  enabeld: true\n", encoding="utf-8")
    code, _, err = mbk("simulate", bad)
    assert code == 2 and err.startswith(f"error: {bad}:4: learning.enabeld: unknown key 'enabeld'; expected one of: enabled")


def test_the_readme_example_scenario_with_targets_simulates(mbk):
    code, out, _ = mbk("simulate", EXAMPLE, "-r", "1", "--csv")
    assert code == 0 and out.startswith("kpi,mean,low,high,n,note\n")


def test_csv_and_json_keep_the_load_check_warnings_on_stderr(mbk):
    for fmt in ("--csv", "--json"):
        code, out, err = mbk("simulate", "skarholmen-current", "-r", "1", fmt)
        assert code == 0
        assert "load check: pool 'duty_lawyer' is overloaded during its shifts" in err
        assert "load check" not in out


@pytest.mark.parametrize("content", [os.urandom(300), b"name: x\nmodel: \x00\n", b"a: " + b"[" * 2000 + b"]" * 2000])
def test_a_hostile_scenario_file_is_refused_with_its_name(tmp_path, mbk, content):
    bad = tmp_path / "scenario.yaml"
    bad.write_bytes(b"\xfe" + content if content[:1] != b"n" and content[:1] != b"a" else content)
    code, out, err = mbk("simulate", bad)
    assert code == 2 and out == "" and err.startswith(f"error: {bad}:")


LOG_HEADER = "visit_id,event,step_id,timestamp,errand,language\n"


def test_calibrate_says_which_visits_lie_outside_the_opening_hours(tmp_path, mbk):
    """Was ZeroDivisionError when no visit fell in the model's opening hours."""
    log = tmp_path / "evening.csv"
    log.write_text(LOG_HEADER + "v1,arrived,,2026-11-23T19:05:00,housing,sv\n"
                                "v2,arrived,,2026-11-23T19:30:00,housing,sv\n", encoding="utf-8")
    out = tmp_path / "s.yaml"
    code, _, err = mbk("calibrate", log, "-o", out)
    assert code == 2 and not out.exists()
    assert err.strip() == (
        f"error: {log}: no visit arrives while model 'skarholmen-kiosk' is open (mon 09:00-16:00, tue 09:00-16:00, "
        "wed 09:00-18:00, thu 09:00-16:00, fri 09:00-15:00); v1 on line 2 (mon 19:05), v2 on line 3 (mon 19:30); "
        "expected a log recorded in opening hours, or --model with the hours the log was recorded in"
    )


def test_calibrate_leaves_visits_outside_the_hours_out_of_the_arrivals_and_says_so(tmp_path, mbk):
    log = tmp_path / "mixed.csv"
    log.write_text(LOG_HEADER + "v1,arrived,,2026-11-23T19:05:00,housing,sv\n"
                                "v2,arrived,,2026-11-23T10:30:00,housing,sv\n"
                                "v3,arrived,,2026-11-23T08:30:00,housing,sv\n"
                                "v4,arrived,,2026-11-24T11:30:00,housing,sv\n", encoding="utf-8")
    out = tmp_path / "s.yaml"
    code, _, err = mbk("calibrate", log, "-o", out)
    assert code == 0
    assert (f"warning: {log}: 2 of 4 visits arrive outside the opening hours of 'skarholmen-kiosk' "
            "(v1 on line 2 (mon 19:05), v3 on line 4 (mon 08:30)); they are left out of the arrival profile "
            "(weekly visitors, weekday and hourly shares), their errands, languages and step durations still count") in err
    text = out.read_text(encoding="utf-8")
    assert "demand.weekly_visitors: 2\n" in text
    assert "2 outside opening hours left out of the arrival profile" in text


def test_calibrate_refuses_a_timestamp_with_an_offset_among_local_times(tmp_path, mbk):
    """Was `TypeError: can't compare offset-naive and offset-aware datetimes` (found by the property test)."""
    log = tmp_path / "tz.csv"
    log.write_text(LOG_HEADER + "v1,arrived,,2026-11-23T10:05:00,housing,sv\n"
                                "v2,arrived,,2026-11-23T10:05:00+14:00,housing,sv\n", encoding="utf-8")
    code, _, err = mbk("calibrate", log, "-o", tmp_path / "s.yaml")
    assert code == 2
    assert err.strip() == (f"error: {log}:3: timestamp '2026-11-23T10:05:00+14:00' has a UTC offset; expected "
                           "local time without one, e.g. 2026-11-23T10:31:05")


@pytest.mark.parametrize("target", ["folder", "missing.yaml", "broken.yaml"])
def test_a_scenario_whose_model_cannot_be_loaded_names_the_scenario_file_and_its_model_line(tmp_path, mbk, target):
    """Was only the model's own path: a folder, a missing or a broken model left the scenario file unnamed."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "broken.yaml").write_text("steps: [\n", encoding="utf-8")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(f"name: Prov\nweeks: 1\nmodel: {target}\n", encoding="utf-8")
    code, out, err = mbk("simulate", scenario, "-r", "1", "--csv")
    assert code == 2 and out == ""
    assert err.startswith(f"error: {scenario}:3: model: '{target}' cannot be used: "), err
