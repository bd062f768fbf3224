"""Binary, deep and wrong files given to `mbk export` / `mbk import`: exit 2 naming the file, nothing written."""

from __future__ import annotations

import os

import pytest

from .conftest import SCENARIO

BINARY = b"\x89PNG\r\n\x1a\n" + os.urandom(500)


@pytest.fixture
def binary(tmp_path):
    def make(name: str):
        p = tmp_path / name
        p.write_bytes(BINARY)
        return p

    return make


@pytest.mark.parametrize("option,name,what", [("--session", "session.json", "session file"),
                                              ("--scenario", "scenario.yaml", "scenario file")])
def test_a_binary_file_to_an_option_is_refused(mbk, binary, tmp_path, option, name, what):
    """Was UnicodeDecodeError."""
    bad, out = binary(name), tmp_path / "krav.json"
    code, _, err = mbk("export", "requirements", "skarholmen-kiosk", option, bad, "-o", out)
    assert code == 2 and not out.exists()
    assert err.strip() == f"error: {bad}:1: byte 0x89 is not UTF-8 text; expected a UTF-8 {what}, not a binary file"


def test_a_binary_requirements_json_to_check_is_refused(mbk, binary):
    bad = binary("krav.json")
    code, _, err = mbk("export", "requirements", bad, "--check")
    assert code == 2
    assert err.strip() == (f"error: {bad}:1: byte 0x89 is not UTF-8 text; expected a UTF-8 requirements file, "
                           "not a binary file")


def test_a_binary_session_to_the_report_is_refused(mbk, binary, tmp_path):
    bad, out = binary("session.json"), tmp_path / "r.html"
    code, _, err = mbk("export", "report", bad, "-o", out)
    assert code == 2 and not out.exists() and f"{bad}:1: byte 0x89 is not UTF-8 text" in err


def test_a_binary_requirements_master_for_the_answers_is_refused(mbk, binary, tmp_path):
    sheet = tmp_path / "svar.xlsx"
    assert mbk("export", "requirements", "skarholmen-kiosk", "-o", sheet)[0] == 0
    bad, out = binary("krav.json"), tmp_path / "answers.json"
    code, _, err = mbk("import", "answers", sheet, "-o", out, "--requirements", bad)
    assert code == 2 and not out.exists() and f"{bad}:1: byte 0x89 is not UTF-8 text" in err


def test_json_nested_thousands_deep_is_refused_without_recursion_error(mbk, tmp_path):
    bad = tmp_path / "krav.json"
    bad.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _, err = mbk("export", "requirements", bad, "--check")
    assert code == 2
    assert err.strip() == (f"error: {bad}: broken JSON: nested too deeply to read; expected a requirements file "
                           "as MBK Studio writes it")


def test_requirements_from_a_current_model_are_refused(mbk, tmp_path):
    out = tmp_path / "krav.docx"
    code, _, err = mbk("export", "requirements", "skarholmen-current", "-o", out)
    assert code == 2 and not out.exists()
    assert err.strip() == (
        "error: skarholmen-current: variant: skarholmen-current is today's process (variant: current); the "
        "requirements specify what is to be procured, so expected a future model (variant: future), such as "
        "skarholmen-kiosk"
    )


def test_a_scenario_with_overrides_that_are_no_mapping_is_refused(mbk, tmp_path):
    bad = tmp_path / "scenario.yaml"
    bad.write_text(SCENARIO.read_text(encoding="utf-8").split("overrides:")[0] + "overrides: 5\n", encoding="utf-8")
    code, _, err = mbk("export", "requirements", "skarholmen-kiosk", "--scenario", bad, "--check")
    assert code == 2 and f"{bad}: overrides: expected a mapping" in err


def test_a_number_of_thousands_of_digits_is_broken_json(mbk, tmp_path):
    """Was `ValueError: Exceeds the limit (4300 digits)` (found by tests/test_hostile_property.py)."""
    bad, out = tmp_path / "session.json", tmp_path / "r.html"
    bad.write_text('{"version": 1' + "0" * 5000 + "}", encoding="utf-8")
    code, _, err = mbk("export", "report", bad, "-o", out)
    assert code == 2 and not out.exists()
    assert err.strip() == (f"error: {bad}: broken JSON: Exceeds the limit (4300 digits) for integer string "
                           "conversion; expected a session file as MBK Studio writes it")


def test_a_lone_surrogate_in_a_json_string_is_broken_json(mbk, tmp_path):
    """Was a pydantic ValidationError from the report's texts (found by tests/test_hostile_property.py)."""
    bad, out = tmp_path / "session.json", tmp_path / "r.html"
    bad.write_text('{"version": 1, "title": "\\ud800"}', encoding="utf-8")
    code, _, err = mbk("export", "report", bad, "-o", out)
    assert code == 2 and not out.exists()
    assert err.strip() == (f"error: {bad}: broken JSON: a string holds a lone surrogate ('\\ud800'); expected a "
                           "session file as MBK Studio writes it")
