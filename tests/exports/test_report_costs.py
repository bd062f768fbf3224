"""The report's cost section: the cost KPIs a comparison stored in the session, read back with lxml."""

import pytest
from lxml import html as lxml_html

from process_models.session import ScenarioResult, WorkshopSession, save_session

from exports.report import COST_KPIS, render_html, write_report


@pytest.fixture(scope="module")
def session():
    """Today, the kiosk and today with two more computers, as the workshop app records a comparison."""
    from simulation import Scenario, compare

    more = Scenario(name="Nio datorer", model="skarholmen-current", overrides={"pools.public_computers.capacity": 9})
    c = compare([Scenario(name="Idag", model="skarholmen-current"), Scenario(name="Kiosk", model="skarholmen-kiosk"),
                 more], replications=3, seed=7)
    results = [ScenarioResult(scenario=name, replications=3, seed=7, baseline=None if i == 0 else "Idag",
                              kpis={k: v for k, v in est.items() if k in COST_KPIS or k == "mean_wait"})
               for i, (name, est) in enumerate(zip(c.names, c.kpis()))]
    return WorkshopSession(title="Kostnader", models=["skarholmen-current", "skarholmen-kiosk"], results=results)


def _rows(page):
    table = page.xpath('//section[@id="costs"]/table')[0]
    header = [th.text for th in table.xpath("./thead//th")]
    rows = {tr.xpath("./th")[0].text_content(): tr.xpath("./td") for tr in table.xpath("./tbody/tr")}
    return header, rows


def test_the_cost_table_holds_each_scenario_with_intervals(session):
    page = lxml_html.fromstring(render_html(session, source="s.json", lang="sv"))
    assert "costs" in [s.get("id") for s in page.iter("section")]
    header, rows = _rows(page)
    assert header == ["Nyckeltal", "Idag", "Kiosk", "Nio datorer"]
    assert list(rows) == ["Kostnad per vecka", "Kostnad per år", "Kostnad per besökare", "Kostnad per avslutat ärende",
                          "Engångskostnader", "Besparing per år", "Frigjord personaltid per år, i kronor",
                          "Nettonytta per år (besparing plus frigjord tid)", "Återbetalningstid på besparingen",
                          "Återbetalningstid med frigjord tid"]
    week = rows["Kostnad per vecka"]
    assert [td.text for td in week] == ["70 822 kr", "39 230 kr", "70 897 kr"]
    assert week[0].xpath("./span")[0].text == "70 043 kr – 71 601 kr"
    assert rows["Engångskostnader"][1].text == "957 859 kr"
    assert rows["Besparing per år"][1].text == "1 642 772 kr"
    assert rows["Återbetalningstid på besparingen"][1].text == "0,58 år"
    assert rows["Återbetalningstid på besparingen"][1].xpath("./span")[0].text == "0,58 – 0,59"
    assert rows["Återbetalningstid med frigjord tid"][1].text == "0,75 år"
    assert rows["Återbetalningstid med frigjord tid"][2].xpath("./span")[0].text == (
        "genast, kanske aldrig (besparingens intervall når 0)")
    # two more computers cost more every year and have no one-off cost: they never pay back
    assert rows["Återbetalningstid på besparingen"][2].xpath("./span")[0].text == "betalar sig inte: ingen besparing"
    assert rows["Återbetalningstid på besparingen"][0].text == "–"  # the baseline itself


def test_the_scenario_comparison_leaves_money_to_the_cost_section(session):
    page = lxml_html.fromstring(render_html(session, source="s.json", lang="en"))
    table = page.xpath('//section[@id="scenarios"]//table')[0]
    assert [tr.xpath("./th")[0].text_content() for tr in table.xpath("./tbody/tr")] == ["Mean wait"]
    header, rows = _rows(page)
    assert rows["Cost per visitor"][0].text == "49 SEK" and rows["Payback time on the saving"][1].text == "0.58 years"


def test_each_models_cost_figures_are_listed_with_their_sources(session):
    page = lxml_html.fromstring(render_html(session, source="s.json", lang="en"))
    section = page.xpath('//section[@id="costs"]')[0]
    headings = [h.text for h in section.xpath("./h3")]
    today, kiosk = "Skärholmen today – queue ticket and information desk", "Skärholmen 2.0 – entrance kiosk and guides on the floor"
    assert headings == [f"Cost assumptions in {today}", f"One-off costs in {kiosk}", f"Cost assumptions in {kiosk}"]
    one_off = section.xpath('./table[@class="one-off"]/tbody/tr')
    assert len(one_off) == 6
    cells = {tr.xpath("./td")[0].text: tr.xpath("./td") for tr in one_off}
    assert cells["Technical requirements (kravställning)"][1].text == "150 000 SEK"
    assert "Ekonomi" in cells["Technical requirements (kravställning)"][2].text
    training = cells["Training the guides in the new way of working"]
    assert training[1].text == "15 859 SEK" and training[1].xpath("./span")[0].text == "48 hours at 330 SEK"
    assert training[2].text.startswith("skarholmen-prestudy-application.txt, Ekonomi")
    pools = section.xpath('./table[@class="cost-assumptions"]')[0].xpath("./tbody/tr")
    guides = next(tr.xpath("./td") for tr in pools if tr.xpath("./td")[0].text == "Citizen guides")
    assert guides[1].text == "330 SEK per hour" and "Assumption: A samhällsvägledare earns" in guides[2].text


def test_a_session_without_costs_has_no_cost_section(tmp_path, session):
    bare = session.model_copy(update={"results": [r.model_copy(update={"kpis": {"mean_wait": r.kpis["mean_wait"]}})
                                                  for r in session.results]})
    save_session(bare, tmp_path / "s.json")
    out = write_report(tmp_path / "s.json", tmp_path / "r.html")
    page = lxml_html.fromstring(out.read_text(encoding="utf-8"))
    assert "costs" not in [s.get("id") for s in page.iter("section")]
    assert not page.xpath('//a[@href="#costs"]')
