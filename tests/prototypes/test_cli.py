"""`mbk kiosk export-log | add-staff | purge`: files read back by independent readers; bad input exits 2."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys

import pytest
from lxml import etree

from mbk.cli import main
from prototypes.auth import StaffAuth
from prototypes.state import KioskSession
from prototypes.storage import open_engine


def _visit(office):
    s = KioskSession(office)
    s.act("language", {"value": "fa"})
    s.act("categories", {})
    s.act("choose", {"value": "housing"})
    s.act("managed", {})
    s.act("skip", {})
    return s.visit_id


def test_export_log_csv_and_xes(office, tmp_path, engine):
    visit_id = _visit(office)
    db = str(engine.url).replace("sqlite:///", "")
    out_csv, out_xes = tmp_path / "log.csv", tmp_path / "log.xes"
    assert main(["kiosk", "export-log", "--db", db, "--csv", str(out_csv), "--xes", str(out_xes)]) == 0
    with open(out_csv, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["visit_id", "event", "step_id", "timestamp", "errand", "language"]
    assert rows[1:] == [
        [visit_id, "arrived", "", "2026-11-23T10:00:00", "", "fa"],
        [visit_id, "step_started", "kiosk_language", "2026-11-23T10:00:00", "", "fa"],
        [visit_id, "step_finished", "kiosk_language", "2026-11-23T10:00:00", "", "fa"],
        [visit_id, "step_started", "kiosk_purpose", "2026-11-23T10:00:00", "", "fa"],
        [visit_id, "step_finished", "kiosk_purpose", "2026-11-23T10:00:00", "housing", "fa"],
        [visit_id, "step_started", "kiosk_instructions", "2026-11-23T10:00:00", "housing", "fa"],
        [visit_id, "step_finished", "kiosk_instructions", "2026-11-23T10:00:00", "housing", "fa"],
        [visit_id, "left", "", "2026-11-23T10:00:00", "housing", "fa"],
    ]
    ns = {"x": "http://www.xes-standard.org/"}
    tree = etree.parse(str(out_xes))
    [trace] = tree.findall("x:trace", ns)
    names = [e.find("x:string[@key='concept:name']", ns).get("value") for e in trace.findall("x:event", ns)]
    cycles = [e.find("x:string[@key='lifecycle:transition']", ns).get("value") for e in trace.findall("x:event", ns)]
    assert names[3:7] == ["kiosk_purpose", "kiosk_purpose", "kiosk_instructions", "kiosk_instructions"]
    assert cycles[3:7] == ["start", "complete", "start", "complete"]
    assert trace.find("x:string[@key='concept:name']", ns).get("value") == visit_id


def test_export_log_needs_a_target_and_an_existing_folder(tmp_path, capsys):
    db = str(tmp_path / "k.sqlite")
    open_engine(db)
    assert main(["kiosk", "export-log", "--db", db]) == 2
    assert "give --csv PATH and/or --xes PATH" in capsys.readouterr().err
    assert main(["kiosk", "export-log", "--db", db, "--csv", str(tmp_path / "no" / "x.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_add_staff_from_stdin_and_refuse_short_password(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "k.sqlite")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    assert main(["kiosk", "add-staff", "lina", "--db", db, "--password-stdin"]) == 0
    assert StaffAuth(open_engine(db)).login("lina", "a long passphrase")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["kiosk", "add-staff", "omar", "--db", db, "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "password: expected at least 10 characters" in err and "Traceback" not in err
    assert StaffAuth(open_engine(db)).login("omar", "short") is None


def test_purge_command_and_bad_date(office, engine, capsys):
    _visit(office)
    db = str(engine.url).replace("sqlite:///", "")
    assert main(["kiosk", "purge", "--db", db, "--date", "2026-13-01"]) == 2
    assert "--date: expected YYYY-MM-DD" in capsys.readouterr().err
    assert main(["kiosk", "purge", "--db", db, "--date", "2027-01-31", "--keep-days", "30"]) == 0
    assert "visits aggregated 1" in capsys.readouterr().out


def test_serve_with_a_model_without_a_kiosk_lane_is_a_user_error(tmp_path, capsys):
    code = main(["kiosk", "serve", "--db", str(tmp_path / "k.sqlite"), "--model", "skarholmen-current", "--port", "1"])
    assert code == 2
    assert "no 'kiosk_language'/'kiosk_purpose' steps" in capsys.readouterr().err


def test_the_exported_log_is_read_by_mbk_calibrate(office, clock, engine, tmp_path):
    import yaml

    for errand in ("housing", "housing", "preschool", "migration"):
        s = KioskSession(office)
        s.act("language", {"value": "ar"})
        s.act("categories", {})
        s.act("choose", {"value": errand})
        clock.advance(minutes=4)
        s.act("managed", {})
        s.act("skip", {})
        clock.advance(minutes=10)
    db = str(engine.url).replace("sqlite:///", "")
    log, scenario = tmp_path / "log.csv", tmp_path / "scenario.yaml"
    assert main(["kiosk", "export-log", "--db", db, "--csv", str(log)]) == 0
    assert main(["calibrate", str(log), "-o", str(scenario)]) == 0
    overrides = yaml.safe_load(scenario.read_text(encoding="utf-8"))["overrides"]
    assert overrides["errands.housing.share"] == 0.5
    assert overrides["errands.preschool.share"] == 0.25
    assert overrides["steps.kiosk_instructions.duration"]["value"] == 4.0


def test_export_log_and_purge_refuse_a_missing_database_and_create_nothing(tmp_path, capsys):
    db = tmp_path / "no" / "such" / "dir" / "k.sqlite"
    assert main(["kiosk", "export-log", "--db", str(db), "--csv", str(tmp_path / "log.csv")]) == 2
    err = capsys.readouterr().err
    assert f"--db {db}: no such database ({db})" in err and "wrote" not in err
    assert main(["kiosk", "purge", "--db", str(db)]) == 2
    assert "no such database" in capsys.readouterr().err
    assert not (tmp_path / "no").exists() and not (tmp_path / "log.csv").exists()


def _nested_mappings(depth: int) -> bytes:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)).encode() + b"  " * depth + b"x: 1\n"


@pytest.mark.parametrize("content, message", [
    (bytes(range(256)), ":2: byte 0x80 is not UTF-8 text; expected a UTF-8 kiosk config file, not a binary file"),
    ("smtp_host: smtp.example.se\n".encode("utf-16"),
     ":1: byte 0xff is not UTF-8 text; expected a UTF-8 kiosk config file, not a binary file"),
    (b"idle_seconds: 90\x00\n", ":1: column 17: control character U+0000"),
    # thousands of levels used to end in RecursionError: the project's YAML reader refuses them at once
    (b"smtp_host: " + b"[" * 5000 + b"]" * 5000 + b"\n", ":1: broken YAML: exceeded maximum nesting depth"),
    (_nested_mappings(300), ":51: nested more than 50 levels deep"),
    (b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n".encode() for p, c in zip("abcdefgh", "bcdefghi")), ":6: more than 250,000 values once aliases are expanded"),
])
def test_serve_with_a_config_that_is_not_yaml_text_or_is_hostile_exits_2(content, message, tmp_path, capsys):
    cfg = tmp_path / "kiosk.yaml"
    cfg.write_bytes(content)
    code = main(["kiosk", "serve", "--db", str(tmp_path / "k.sqlite"), "--config", str(cfg), "--no-demo"])
    err = capsys.readouterr().err
    assert code == 2 and f"error: {cfg}" in err and message in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1


def test_serve_on_a_port_in_use_exits_2_and_starts_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "mbk.cli", "kiosk", "serve", "--port", str(port), "--db", str(tmp_path / "k.sqlite")],
            capture_output=True, text=True, timeout=120,
        )
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == (f"error: --port {port}: cannot listen on 127.0.0.1:{port} (Address already in use); "
                                  "stop the other server or pick another port with --port")
    assert "demo booking codes" not in run.stdout  # refused before the demo data and the sender


def test_serve_refuses_a_port_out_of_range(tmp_path, capsys):
    assert main(["kiosk", "serve", "--port", "70000", "--db", str(tmp_path / "k.sqlite")]) == 2
    assert "--port: expected 1..65535, got 70000" in capsys.readouterr().err
