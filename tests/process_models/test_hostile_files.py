"""Model files no person writes: binary bytes, control characters, deep nesting, alias bombs, huge files.

Each is refused at once with exit 2 and one line naming the file, the line and the limit;
none ends in a traceback, a RecursionError or minutes of work.
"""

from __future__ import annotations

import os
import gc
import time

import pytest

from mbk.cli import main
from process_models.errors import MAX_PROBLEMS_SHOWN, FileError, ModelError
from process_models.io import load_model, parse_model
from process_models.limits import MAX_DEPTH, MAX_ITEMS, MAX_NODES, MAX_YAML_BYTES
from process_models.yaml_lines import read_yaml

from .conftest import TINY

BOMB = "".join(
    [f"a0: &a0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)]
)


def _steps(n: int) -> str:
    """TINY with `n` decision steps in a chain between arrive and leave."""
    head = TINY.split("steps:\n")[0]
    steps = "".join(f"  - {{id: s{i}, label: {{sv: K, en: A}}, lane: visitor, kind: decision}}\n" for i in range(n))
    flows = "".join(f"  - {{from: s{i}, to: s{i + 1}}}\n" for i in range(n - 1))
    return (head + "steps:\n  - {id: arrive, label: {sv: K, en: A}, lane: visitor, kind: start}\n" + steps
            + "  - {id: leave, label: {sv: G, en: L}, lane: visitor, kind: end}\nflows:\n  - {from: arrive, to: s0}\n"
            + flows + f"  - {{from: s{n - 1}, to: leave}}\nerrands:" + TINY.split("errands:")[1])


def _validate(path, capsys) -> str:
    started = time.perf_counter()
    assert main(["validate", str(path)]) == 2
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Error:" not in err.replace("error:", "")
    return err.strip()


@pytest.mark.parametrize("char,code", [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x7f", "U+007F")])
def test_a_control_character_names_its_line_and_column(tmp_path, capsys, char, code):
    bad = tmp_path / "ctrl.yaml"
    bad.write_text(TINY.replace("office: Test", f"office: Te{char}st"), encoding="utf-8")
    assert _validate(bad, capsys) == (
        f"error: {bad}:3: (top level): column 11: control character {code}; expected text, not a binary file [yaml]"
    )


@pytest.mark.parametrize("value, code, position", [
    ("!!binary AAAA", "U+0000", 1),  # three NUL bytes, written as base64: the file itself is plain text
    ('"Dis\\0ken"', "U+0000", 4),  # a YAML escape
    ('"Dis\\ak"', "U+0007", 4),
    ('"\\x9bDisk"', "U+009B", 1),
    ('"Disk\\uFFFE"', "U+FFFE", 5),
])
@pytest.mark.parametrize("command, out_name", [(["validate"], None), (["export", "bpmn"], "out.bpmn"),
                                               (["export", "requirements"], "krav.xlsx"), (["render"], "map.svg")])
def test_a_character_no_text_holds_is_refused_by_every_command_naming_its_field(tmp_path, capsys, value, code,
                                                                                position, command, out_name):
    """Found by the hostile-file property: a `!!binary` label reached lxml, whose ValueError was a traceback."""
    bad = tmp_path / "model.yaml"
    bad.write_text(TINY.replace("{sv: Disken, en: Desk}", f"{{sv: {value}, en: Desk}}"), encoding="utf-8")
    out = tmp_path / (out_name or "none")
    argv = [*command, str(bad)] + (["-o", str(out)] if out_name else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {bad}:7: lanes[1].label.sv: character {code} at position {position} "
                          "cannot be in a text; expected plain text, got "), err
    assert "Traceback" not in err and not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_a_binary_file_is_not_utf8_text(tmp_path, capsys):
    bad = tmp_path / "picture.yaml"
    bad.write_bytes(b"id: x\n\xff\xd8\xff\xe0" + os.urandom(200))
    assert _validate(bad, capsys) == (
        f"error: {bad}:2: (top level): byte 0xff is not UTF-8 text; expected a UTF-8 model file, "
        "not a binary file [file]"
    )


@pytest.mark.parametrize("nested", ["x: " + "[" * 3000 + "]" * 3000, "x:" + "".join(f"\n{'  ' * i}a:" for i in range(1, 500)) + " 1",
                                    "x: " + "{a: " * 3000 + "1" + "}" * 3000])
def test_deep_nesting_is_refused_without_recursion_error(tmp_path, capsys, nested):
    bad = tmp_path / "deep.yaml"
    bad.write_text(TINY + nested + "\n", encoding="utf-8")
    err = _validate(bad, capsys)
    assert err.startswith(f"error: {bad}:")
    assert f"nested more than {MAX_DEPTH} levels deep" in err or "maximum nesting depth" in err
    assert "\n" not in err


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path, capsys):
    bad = tmp_path / "bomb.yaml"
    bad.write_text(TINY + BOMB, encoding="utf-8")
    assert _validate(bad, capsys) == (
        f"error: {bad}:42: (top level): more than {MAX_NODES:,} values once aliases are expanded, "
        "the most MBK Studio reads; a model has about 1,500 [yaml]"
    )


def test_an_alias_into_itself_is_refused(tmp_path, capsys):
    bad = tmp_path / "loop.yaml"
    bad.write_text(TINY + "x: &loop [1, *loop]\n", encoding="utf-8")
    assert "alias *loop points into itself" in _validate(bad, capsys)


def test_a_few_aliases_for_shared_values_still_work(tmp_path):
    ok = tmp_path / "anchors.yaml"
    ok.write_text(TINY.replace("label: {sv: Disken, en: Desk}", "label: &desk {sv: Disken, en: Desk}")
                  .replace("label: {sv: Handläggare, en: Clerks}", "label: *desk"), encoding="utf-8")
    assert load_model(ok).pools[0].label.en == "Desk"


def test_a_huge_file_is_refused_by_its_size(tmp_path, capsys):
    bad = tmp_path / "huge.yaml"
    bad.write_text(TINY + "# " + "x" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    assert _validate(bad, capsys) == (
        f"error: {bad}: (top level): the model file is larger than 2.0 MB, the most MBK Studio reads; "
        "expected a file a person wrote [file]"
    )


def test_more_steps_than_any_office_has_are_refused_at_once(tmp_path, capsys):
    bad = tmp_path / "many.yaml"
    bad.write_text(_steps(MAX_ITEMS["steps"] + 1), encoding="utf-8")
    assert _validate(bad, capsys) == (
        f"error: {bad}:10: steps: {MAX_ITEMS['steps'] + 3:,} steps; MBK Studio reads at most "
        f"{MAX_ITEMS['steps']:,} [limit]"
    )


def test_validation_is_near_linear_in_model_size():
    """Was quadratic: each step scanned every flow and every start (50,000 steps took 9 minutes)."""
    def seconds(n: int) -> float:
        text = _steps(n)
        best = float("inf")
        for _ in range(3):  # the best of three, without the garbage collector: its full passes grow with the
            gc.collect()    # heap and made 8x the steps cost 12x (23x on a busy CI machine) in an O(n) check
            gc.disable()
            try:
                started = time.perf_counter()
                parse_model(text)
                best = min(best, time.perf_counter() - started)
            finally:
                gc.enable()
        return best

    small, large = seconds(300), seconds(2400)
    assert large / small < 8 * 2.5  # 8x the steps; quadratic would be 64x
    assert large < 10


def test_a_date_that_is_no_date_is_a_yaml_error(tmp_path, capsys):
    bad = tmp_path / "date.yaml"
    bad.write_text(TINY.replace("office: Test", "office: 2026-13-45"), encoding="utf-8")
    assert _validate(bad, capsys) == (
        f"error: {bad}:3: (top level): broken YAML: '2026-13-45' is not a date (month must be in 1..12) [yaml]"
    )


def test_a_yaml_reader_error_names_the_file_and_line(tmp_path):
    bad = tmp_path / "scenario.yaml"
    bad.write_text("name: [x\n", encoding="utf-8")
    with pytest.raises(FileError) as caught:
        read_yaml(bad, "scenario file")
    assert (caught.value.file, caught.value.line, caught.value.check) == (str(bad), 2, "yaml")
    assert str(caught.value).startswith(f"{bad}:2: broken YAML")


def test_thousands_of_problems_are_listed_fifty_at_a_time(tmp_path):
    text = _steps(400).replace("lane: visitor, kind: decision", "lane: nowhere, kind: decision")
    with pytest.raises(ModelError) as caught:
        parse_model(text, file="many.yaml")
    lines = str(caught.value).splitlines()
    assert len(caught.value.problems) == 400
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1 and lines[-1] == "many.yaml: and 350 more problems"


def test_a_long_value_is_quoted_short(tmp_path, capsys):
    bad = tmp_path / "long.yaml"
    bad.write_text(TINY.replace("weekly_visitors: 100", "weekly_visitors: " + "9x" * 5000), encoding="utf-8")
    err = _validate(bad, capsys)
    assert len(err) < 300 and err.endswith("9x... [type]")


def test_diff_in_the_terminal_keeps_flow_conditions(capsys):
    """Rich markup took `[errands=booked_meeting]` for a style and dropped it."""
    from process_models.diff import diff_models

    expected = diff_models(load_model("skarholmen-current"), load_model("skarholmen-kiosk")).lines()
    assert main(["diff", "skarholmen-current", "skarholmen-kiosk"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown == expected
    assert "+ flow kiosk_purpose -> kiosk_register_arrival [errands=booked_meeting]" in shown
