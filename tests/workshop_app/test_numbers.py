"""Figures follow the language switch: a decimal comma in Swedish, a point in English, thousands grouped."""

import math

from process_models import diff_models, load_model
from process_models.io import model_to_data, validate_data
from workshop_app.diff_texts import diff_sentences
from process_models.numbers import GROUP, MINUS, number, percent, plain, signed
from workshop_app.views.compare_view import _card_interval, _card_value, diff_words
from process_models.session import Estimate


def test_a_decimal_comma_in_swedish_and_a_point_in_english():
    assert number(1234.56, 1, "sv") == f"1{GROUP}234,6"
    assert number(1234.56, 1, "en") == f"1{GROUP}234.6"
    assert number(52000, 0, "sv") == f"52{GROUP}000"
    assert number(-2.25, 1, "sv") == f"{MINUS}2,2"  # round half to even, as Python formats
    assert number(-0.04, 1, "sv") == "0,0"  # no minus on a figure that rounds to zero
    assert number(float("inf"), 1, "sv") == "∞"
    assert number(math.nan, 1, "sv") == "—"


def test_signs_percentages_and_figures_as_written():
    assert signed(2.5, 1, "sv") == "+2,5"
    assert signed(-2.5, 1, "en") == f"{MINUS}2.5"
    assert signed(-0.01, 1, "sv") == "+0,0"
    assert percent(0.125, 1, "sv") == f"12,5{GROUP}%"
    assert percent(0.125, 0, "en") == f"12{GROUP}%"
    assert plain(3.5, "sv") == "3,5" and plain(12, "sv") == "12" and plain(0.25, "en") == "0.25"


def test_the_headline_cards_write_minutes_and_kronor_in_the_ui_language():
    assert _card_value("mean_wait", 12.34, "sv") == "12,3 min"
    assert _card_value("mean_wait", 12.34, "en") == "12.3 min"
    assert _card_value("cost.week", 52340.0, "sv").startswith(f"52{GROUP}340 ")
    assert _card_value("self_served_share", 0.42, "sv") == f"42{GROUP}%"
    e = Estimate(mean=12.3, low=10.05, high=14.61, n=30)
    assert _card_interval("mean_wait", e, "sv") == "10,1–14,6"  # 10.05 is 10.0499... as a float
    assert "2,1" in diff_words("mean_wait", -2.1, "sv") and "kortare" in diff_words("mean_wait", -2.1, "sv")
    assert "2.1" in diff_words("mean_wait", 2.1, "en")


def test_the_diff_list_writes_a_changed_duration_in_the_ui_language():
    old = load_model("skarholmen-current")
    data = model_to_data(old)
    triage = next(s for s in data["steps"] if s["id"] == "desk_triage")
    triage["duration"].update(low=0.5, mode=2.5, high=4.5)
    new = validate_data(data)
    sv = " ".join(diff_sentences(diff_models(old, new), old, new, "sv"))
    en = " ".join(diff_sentences(diff_models(old, new), old, new, "en"))
    assert "2,5" in sv and "4,5" in sv and "2.5" not in sv
    assert "2.5" in en and "4.5" in en


def test_a_fixed_duration_and_observed_times_read_as_minutes_not_fields():
    old = load_model("skarholmen-current")
    data = model_to_data(old)
    ticket = next(s for s in data["steps"] if s["id"] == "take_ticket")
    ticket["duration"] = {"kind": "fixed", "value": 1.5}
    triage = next(s for s in data["steps"] if s["id"] == "desk_triage")
    triage["duration"] = {"kind": "empirical", "values": [1, 2, 4.5]}
    new = validate_data(data)
    sv = diff_sentences(diff_models(old, new), old, new, "sv")
    assert any("0,5 min → 1,5 min" in line for line in sv), sv
    assert any("0,5–4 min, oftast 1,5 → 3 observerade tider, i snitt 2,5 min" in line for line in sv), sv
