"""The report's women-and-men section, read back with lxml: figures under five visitors a week are suppressed."""

from lxml import html as lxml_html

from process_models.session import Estimate, ScenarioResult, WorkshopSession

from exports.report import render_html


def _e(mean, low, high):
    return Estimate(mean=mean, low=low, high=high, n=3)


def _session():
    kpis = {"mean_wait": _e(10.0, 9.0, 11.0), "arrived.women": _e(12.0, 10.0, 14.0), "arrived.men": _e(4.0, 3.0, 5.0),
            "self_served_share.women": _e(0.5, 0.4, 0.6), "self_served_share.men": _e(0.25, 0.0, 0.5)}
    return WorkshopSession(title="Kön", results=[
        ScenarioResult(scenario="Kiosk", replications=3, seed=1, kpis=kpis),
        ScenarioResult(scenario="Utan andelar", replications=3, seed=1, kpis={"mean_wait": _e(12.0, 11.0, 13.0)})])


def _table(lang):
    page = lxml_html.fromstring(render_html(_session(), source="s.json", lang=lang))
    section = page.xpath('//section[@id="gender"]')[0]
    header = [th.text_content() for th in section.xpath(".//thead//th")]
    rows = {tr.xpath("./th")[0].text_content(): tr.xpath("./td") for tr in section.xpath(".//tbody/tr")}
    return page, header, rows


def test_women_and_men_with_men_under_five_suppressed():
    page, header, rows = _table("sv")
    assert header == ["Scenario", "Besökare per vecka, kvinnor", "Besökare per vecka, män",
                      "Klarade ärendet själva, kvinnor", "Klarade ärendet själva, män"]
    assert list(rows) == ["Kiosk"]  # a result without shares has no row
    women_n, men_n, women, men = rows["Kiosk"]
    assert (women_n.text, women_n.xpath("./span")[0].text) == ("12", "10 – 14")
    assert (women.text, women.xpath("./span")[0].text) == ("50 %", "40 % – 60 %")
    for cell in (men_n, men):
        assert cell.text == "–" and cell.xpath("./span")[0].text == "färre än 5 besökare"
        assert "suppressed" in cell.get("class")
    # the split is not repeated in the scenario comparison
    labels = [tr.xpath("./th")[0].text_content() for tr in page.xpath('//section[@id="scenarios"]//tbody/tr')]
    assert labels == ["Medelväntetid"]


def test_in_english():
    _, header, rows = _table("en")
    assert header[3] == "Handled the errand on their own, women"
    assert rows["Kiosk"][3].xpath("./span")[0].text == "fewer than 5 visitors"
