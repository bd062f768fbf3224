"""The compare tab's cost card and cost chart, drawn from a comparison record without a browser."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from lxml import html as lxml_html

from process_models.session import ComparedScenario, ComparisonRecord, Difference, Estimate
from workshop_app.compare import CompareState, chart_inputs
from workshop_app.engine import ResultCache
from workshop_app.views.compare_view import CompareView, cards_html, cost_card_html


def _record() -> ComparisonRecord:
    today = ComparedScenario(name="idag", label={"sv": "Idag", "en": "Today"}, model="skarholmen-current",
                             kpis={"cost.week": Estimate(mean=70822.4, low=70043.2, high=71601.0, n=3),
                                   "mean_wait": Estimate(mean=12.0, low=11.0, high=13.0, n=3)})
    kiosk = ComparedScenario(
        name="kiosk", label={"sv": "Kiosk", "en": "Kiosk"}, model="skarholmen-kiosk",
        kpis={"cost.week": Estimate(mean=39230.0, low=38500.5, high=39960.2, n=3),
              "payback_years": Estimate(mean=0.583, low=0.571, high=0.596, n=3)},
        differences={"cost.week": Difference(mean=-31592.4, low=-32400.0, high=-30800.0, verdict="better")})
    more = ComparedScenario(
        name="nio", label={"sv": "Nio datorer", "en": "Nine computers"}, model="skarholmen-current",
        kpis={"cost.week": Estimate(mean=70897.0, low=70100.0, high=71700.0, n=3)},
        differences={"cost.week": Difference(mean=74.6, low=-20.0, high=170.0, verdict="same")})
    return ComparisonRecord(id="cmp_1", created=datetime(2026, 5, 4, tzinfo=timezone.utc), baseline="idag",
                            replications=3, seed=7, scenarios=[today, kiosk, more])


def _rows(html: str) -> dict[str, str]:
    card = lxml_html.fromstring(html).xpath("//section[@data-kpi='cost.week']")[0]
    assert card.get("class") == "mbk-cost-card"
    return {row.get("data-scenario"): " ".join(" ".join(row.itertext()).split()) for row in card.xpath("./div")}


def test_the_cost_card_says_value_interval_and_difference_in_words_in_both_languages():
    sv = _rows(cost_card_html(_record(), "sv"))
    assert sv == {"idag": "Idag 70 822 kr 95 %: 70 043–71 601 kr jämförelsebas",
                  "kiosk": "Kiosk 39 230 kr 95 %: 38 500–39 960 kr 31 592 kr billigare Återbetalningstid 0,58 år (0,57–0,60)",
                  "nio": "Nio datorer 70 897 kr 95 %: 70 100–71 700 kr 75 kr dyrare · ingen säker skillnad"}
    en = _rows(cost_card_html(_record(), "en"))
    assert en["kiosk"] == "Kiosk 39 230 SEK 95 %: 38 500–39 960 SEK SEK 31 592 cheaper Pays back in 0.58 years (0.57–0.60)"
    html = cost_card_html(_record(), "sv")
    assert "data-verdict='better'" in html and "mbk-better" in html and "aria-label='Kostnad per vecka'" in html


def test_no_costs_no_card_and_the_headline_cards_stay_five():
    record = _record()
    assert cards_html(record, "sv").count("class='mbk-card'") == 5
    plain = record.model_copy(update={"scenarios": [s.model_copy(update={"kpis": {}}) for s in record.scenarios]})
    assert cost_card_html(plain, "sv") == ""
    assert chart_inputs(plain, "sv")["costs"] == {}


def test_the_cost_chart_has_a_bar_per_scenario_and_the_payback_of_the_change():
    costs = chart_inputs(_record(), "en")["costs"]
    assert list(costs) == ["cost.week", "payback_years"]
    assert list(costs["cost.week"]) == ["Today", "Kiosk", "Nine computers"]
    assert list(costs["payback_years"]) == ["Kiosk"]


def test_a_comparison_run_in_the_tab_keeps_the_cost_and_draws_card_and_chart(shared):
    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=["skarholmen-current", "skarholmen-kiosk"], baseline="skarholmen-current", replications=2,
                   seed=3)
    record = c.run()
    kiosk = record.scenario("skarholmen-kiosk")
    assert kiosk.kpis["cost.week"].mean < record.scenario("skarholmen-current").kpis["cost.week"].mean
    assert kiosk.differences["cost.week"].verdict in ("better", "same")
    # the women's and men's share are kept too, so the report's section has them
    assert {"self_served_share.women", "arrived.men"} <= set(kiosk.kpis)
    view = CompareView(c, "sv")
    shown = re.sub(r"\s+", " ", lxml_html.fromstring(view.cost_card.object).text_content())
    assert f"{kiosk.kpis['cost.week'].mean:,.0f}".replace(",", " ") + " kr" in shown and "kr billigare" in shown
    view._draw_charts()
    titles = [getattr(o, "object", "") for o in view.charts.objects]
    assert any("Kostnad per vecka och återbetalningstid" in str(t) for t in titles)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_text_of_the_cost_card_is_in_the_language_tables(lang):
    from workshop_app.texts import strings

    table = strings(lang)
    for key in ("card_cost.week", "card_cheaper", "card_dearer", "card_payback", "c_sek", "c_sek_week", "c_years",
                "c_chart_costs", "kpi_cost.week", "kpi_payback_years"):
        assert table[key]
