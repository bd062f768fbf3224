"""The comparison's bar charts name each scenario short under its bar and in full in the hover."""

from __future__ import annotations

from process_models.session import Estimate
from workshop_app import charts

TODAY = "Skärholmen idag – kölapp och informationsdisk"
KIOSK = "Skärholmen 2.0 – kiosk i entrén och vägledare på golvet"


def test_a_name_is_cut_at_its_dash_when_the_heads_differ():
    assert charts.bar_labels([TODAY, KIOSK]) == {TODAY: "Skärholmen idag", KIOSK: "Skärholmen 2.0"}


def test_names_with_the_same_head_are_cut_at_the_width_and_kept_whole_when_that_is_not_enough():
    a, b = "Rinkeby – två guider och kiosk", "Rinkeby – tre guider"
    assert charts.bar_labels([a, b]) == {a: "Rinkeby – två guide…", b: "Rinkeby – tre guider"}
    c, d = "Rinkeby med två guider och en kiosk", "Rinkeby med två guider och två kiosker"
    assert charts.bar_labels([c, d]) == {c: c, d: d}
    assert charts.bar_labels(["nu", "sen"]) == {"nu": "nu", "sen": "sen"}


def test_the_bars_stand_on_the_short_names_and_the_hover_gives_the_full_one():
    est = {n: Estimate(mean=m, low=m - 1, high=m + 1, n=2) for n, m in ((TODAY, 6.0), (KIOSK, 11.0))}
    p = charts.kpi_bars(est, "Medelväntetid", "min")
    assert list(p.x_range.factors) == ["Skärholmen idag", "Skärholmen 2.0"]
    data = p.renderers[0].data_source.data
    assert list(zip(data["bar"], data["name"], data["mean"])) == [("Skärholmen idag", TODAY, 6.0),
                                                                  ("Skärholmen 2.0", KIOSK, 11.0)]
    assert p.xaxis[0].major_label_orientation == 0  # 29 characters in all: side by side, not slanted
