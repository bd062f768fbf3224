"""The charts' numbers follow the language switch: axis ticks and hover values as Swedish or English writes them.

Bokeh draws axis numbers on a canvas, so the test runs each axis's own formatter code, as
the app ships it, in Debian's Chromium (its Intl is what the visitor's browser uses).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bokeh.models import CategoricalAxis, CustomJSHover, CustomJSTickFormatter, HoverTool

from process_models.session import Estimate
from workshop_app import charts

from .workshop_browser import ARGS, CHROMIUM, playwright_api

pytestmark = pytest.mark.browser

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        pg = b.new_page()
        pg.set_content("<html><body></body></html>")
        yield pg
        b.close()


def _figures(lang: str) -> dict:
    est = {"nu": Estimate(mean=12.34, low=10.0, high=14.5, n=3), "kiosk": Estimate(mean=8.0, low=7.1, high=9.2, n=3)}
    hours = pd.DataFrame({"series": ["nu"] * 3, "hour": [9, 10, 11], "queue_length": [1.5, 2.25, 0.5],
                          "colour": [0] * 3, "dash": ["solid"] * 3})
    return {
        "waits": charts.wait_histogram({"nu": np.array([0.5, 3.0, 12.0])}, "t", "min", "andel", lang=lang),
        "queue": charts.hourly_lines(hours, "queue_length", "t", "timme", "besökare", lang=lang),
        "bars": charts.kpi_bars(est, "t", "min", lang=lang),
    }


def _tick_codes(fig) -> list[str]:
    """The formatter code of every numeric axis of `fig` (a categorical axis has names, not numbers)."""
    axes = [a for a in fig.xaxis + fig.yaxis if not isinstance(a, CategoricalAxis)]
    assert all(isinstance(a.formatter, CustomJSTickFormatter) for a in axes), [type(a.formatter) for a in axes]
    return [a.formatter.code for a in axes]


def _run(page, arg: str, code: str, value: float) -> str:
    return page.evaluate("([arg, code, value]) => new Function(arg, code)(value)", [arg, code, value])


@pytest.mark.parametrize("lang, expected", [
    ("sv", {0.05: "0,05", 2.25: "2,25", 52000: f"52{NBSP}000", -5: f"{MINUS}5", 1 / 3: "0,333"}),
    ("en", {0.05: "0.05", 2.25: "2.25", 52000: "52,000", -5: "-5", 1 / 3: "0.333"}),
])
def test_every_numeric_axis_writes_its_ticks_in_the_ui_language(page, lang, expected):
    figures = _figures(lang)
    codes = {name: _tick_codes(fig) for name, fig in figures.items()}
    assert [len(c) for c in codes.values()] == [2, 2, 1]  # the bars' x axis names the scenarios
    for name, cs in codes.items():
        for code in cs:
            assert {v: _run(page, "tick", code, v) for v in expected} == expected, name


@pytest.mark.parametrize("lang, mean, interval", [("sv", "12,3", "10,0–14,5"), ("en", "12.3", "10.0–14.5")])
def test_a_bars_hover_gives_value_and_interval_with_one_decimal_in_the_ui_language(page, lang, mean, interval):
    bars = _figures(lang)["bars"]
    hover = next(t for t in bars.tools if isinstance(t, HoverTool))
    assert hover.tooltips[1][1] == "@mean{custom} (@low{custom}–@high{custom})"
    assert set(hover.formatters) == {"@mean", "@low", "@high"}
    assert all(isinstance(f, CustomJSHover) for f in hover.formatters.values())
    got = {k: _run(page, "value", f.code, v) for (k, f), v in zip(sorted(hover.formatters.items()),
                                                                  (14.5, 10.0, 12.34))}  # @high, @low, @mean
    assert got["@mean"] == mean
    assert f"{got['@low']}–{got['@high']}" == interval
