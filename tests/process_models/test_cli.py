"""`mbk library|validate|render|diff`, in-process and as a subprocess, good and bad input."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mbk.cli import main

MBK = [sys.executable, "-m", "mbk.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*MBK, *args], capture_output=True, text=True, timeout=120)


def test_library_lists_the_four_builtin_models(capsys):
    assert main(["library"]) == 0
    out = capsys.readouterr().out
    for name in ("skarholmen-current", "skarholmen-kiosk", "spanga-tensta-floorwalk", "rinkeby-2006"):
        assert name in out


def test_validate_library_in_process(capsys):
    assert main(["validate", "--library"]) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == 4


def test_validate_reports_every_broken_file_with_line_and_exits_2(tmp_path, tiny_text, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(tiny_text.replace("lane: desk", "lane: nowhere"), encoding="utf-8")
    line = next(i + 1 for i, l in enumerate(bad.read_text().splitlines()) if "lane: nowhere" in l)
    assert main(["validate", "skarholmen-current", str(bad)]) == 2
    captured = capsys.readouterr()
    assert "ok skarholmen-current" in captured.out
    assert f"{bad}:{line}: steps[2].lane: unknown lane 'nowhere'; expected one of: desk, visitor" in captured.err
    assert "Traceback" not in captured.err


def test_render_writes_svg_with_english_labels(tmp_path):
    out = tmp_path / "map.svg"
    assert main(["render", "skarholmen-current", "-o", str(out), "--lang", "en"]) == 0
    texts = " ".join("".join(t.itertext()) for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text"))
    assert "Takes a queue ticket" in texts and "Tar kölapp" not in texts


def test_render_all_writes_every_library_model(tmp_path):
    assert main(["render", "--all", "-o", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "skarholmen-current.sv.png" in names and "rinkeby-2006.sv.svg" in names
    assert len(names) == 8


def test_diff_lists_changes_and_draws_them(tmp_path, capsys):
    out = tmp_path / "diff.dot"
    assert main(["diff", "skarholmen-current", "skarholmen-kiosk", "-o", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "+ step kiosk_purpose" in lines
    assert "- step take_ticket" in lines
    assert "~ pool public_computers.capacity: 7 -> 10" in lines
    assert out.read_text(encoding="utf-8").startswith("digraph")


def test_diff_of_a_model_with_itself(capsys):
    assert main(["diff", "rinkeby-2006", "rinkeby-2006"]) == 0
    assert capsys.readouterr().out.strip() == "no differences"


@pytest.mark.parametrize(
    "args,message",
    [
        (["validate", "no-such-model"], "no-such-model: (top level): no such file or library model"),
        (["validate"], "nothing to validate"),
        (["render", "skarholmen-current", "--format", "gif"], "unknown format 'gif'"),
        (["render", "skarholmen-current", "-o", "x.bmp"], "unknown format 'bmp'"),
        (["render", "skarholmen-current", "--lang", "de"], "expected sv or en, got 'de'"),
        (["diff", "skarholmen-current"], "Missing argument"),
        (["render", "--no-such-option"], "No such option"),
    ],
)
def test_bad_input_as_subprocess_exits_2_without_traceback(args, message, tmp_path):
    result = subprocess.run([*MBK, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_broken_yaml_as_subprocess(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: x\nsteps: [\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.returncode == 2
    assert re.search(rf"{re.escape(str(bad))}:3: \(top level\): broken YAML", result.stderr)


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "mbk"
    result = subprocess.run([str(script), "library"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "rinkeby-2006" in result.stdout


def test_every_subcommand_has_help():
    for cmd in ("library", "validate", "render", "diff"):
        result = run(cmd, "--help")
        assert result.returncode == 0 and "Usage" in result.stdout


def test_mbk_starts_without_the_heavy_libraries():
    """`mbk validate` needs none of the simulation, export, kiosk or app libraries: they load on first use."""
    code = ("import sys; from mbk.cli import main; rc = main(['validate', 'skarholmen-current']); "
            "heavy = ('scipy', 'pandas', 'simpy', 'openpyxl', 'docx', 'reqif', 'sqlalchemy', 'panel', 'bokeh'); "
            "print(rc, sorted(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr
