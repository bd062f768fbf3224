"""The workshop report: HTML read back with lxml, PDF printed by Chromium and read back with pypdf."""

import json

import pytest
from lxml import html as lxml_html

from process_models.session import load_session, session_annotations

from exports import generate
from exports.report import render_html

from .conftest import SESSION


@pytest.fixture(scope="module")
def session():
    return load_session(SESSION)


@pytest.fixture(scope="module")
def page(session):
    return lxml_html.fromstring(render_html(session, source=str(SESSION), lang="sv"))


def _minutes(x):
    return f"{x:.1f} min".replace(".", ",")


def test_sections_and_inline_svg(page, session):
    assert [s.get("id") for s in page.iter("section")] == ["maps", "scenarios", "ideas", "requirements"]
    maps = page.xpath('//figure[@class="map"]/*[local-name()="svg"]')
    assert len(maps) == len(session.models) == 2
    charts = page.xpath('//div[@class="charts"]//*[local-name()="svg"]')
    assert len(charts) == len(session.results[0].kpis) == 7
    # one bar per scenario in every chart
    assert all(len(c.xpath('.//*[local-name()="rect"]')) == len(session.results) for c in charts)


def test_maps_show_the_sessions_votes_per_step(page):
    kiosk_map = page.xpath('//figure[@class="map"]/*[local-name()="svg"]')[1].text_content()
    assert "● 5 röster" in kiosk_map  # speak_aloud on kiosk_language
    assert "● 1 röst" in kiosk_map  # who_helps on guide_at_computer


def test_comparison_table_holds_every_scenario_with_intervals(page, session):
    table = page.xpath('//section[@id="scenarios"]//table')[0]
    header = [th.text for th in table.xpath("./thead//th")]
    assert header == ["Nyckeltal"] + [r.scenario for r in session.results]
    rows = {tr.xpath("./th")[0].text_content(): tr.xpath("./td") for tr in table.xpath("./tbody/tr")}
    assert list(rows)[:2] == ["Medelväntetid", "Väntetid, 90:e percentilen"]
    for result, cell in zip(session.results, rows["Medelväntetid"]):
        e = result.kpis["mean_wait"]
        assert cell.text == _minutes(e.mean)
        assert cell.xpath("./span")[0].text == f"{_minutes(e.low)} – {_minutes(e.high)}"
    kiosk = next(r for r in session.results if r.scenario == "Kiosk")
    base = next(r for r in session.results if r.scenario == kiosk.baseline)
    delta = rows["Medelväntetid"][1].xpath("./span")[1]
    diff = kiosk.kpis["mean_wait"].mean - base.kpis["mean_wait"].mean
    assert delta.text.startswith(("+" if diff > 0 else "−") + _minutes(abs(diff)))
    # the intervals do not overlap, so the verdict is shown: longer waits are worse
    assert "worse" in delta.get("class") and delta.text.endswith("(sämre)")


def test_top_voted_ideas_in_order(page, session):
    rows = page.xpath('//section[@id="ideas"]//tbody/tr')
    votes = [int(r.xpath("./td")[0].text_content().split()[-1]) for r in rows]
    ideas = sorted((n for n in session.notes if n.kind == "idea"), key=lambda n: -session.votes_for(n.id))
    assert votes == [session.votes_for(n.id) for n in ideas] == [5, 4, 3, 2]
    assert rows[0].xpath("./td")[1].text == ideas[0].text
    assert rows[0].xpath("./td")[2].text.strip() == "Väljer språk på skärmen"


def test_requirements_summary_counts(page, session):
    from process_models import load_model

    kiosk = load_model("skarholmen-kiosk")
    reqs = generate(kiosk, notes=session_annotations(session, kiosk.id))
    summary = page.xpath('//section[@id="requirements"]//table')[0]
    total = summary.xpath("./tbody/tr")[-1]
    assert [td.text for td in total.xpath("./td")] == [
        str(sum(r.kind == k for r in reqs.requirements)) for k in ("SKA", "BÖR", "INFO")] + [str(len(reqs.requirements))]
    workshop = [tr.xpath("./td")[0].text for tr in page.xpath('//section[@id="requirements"]//table')[1].xpath(".//tr")]
    assert workshop == ["IDE-SPEAK-ALOUD", "IDE-BOOK-NEW-TIME", "IDE-QUEUE-POSITION"]


def test_english_report(session):
    page = lxml_html.fromstring(render_html(session, source=str(SESSION), lang="en"))
    assert page.get("lang") == "en"
    assert [h.text for h in page.xpath("//h2")] == ["Process maps", "Scenario comparison", "Top-voted ideas",
                                                       "Requirements summary"]
    assert page.xpath('//section[@id="scenarios"]//tbody//th')[0].text == "Mean wait"


def test_session_without_results_says_so(tmp_path, mbk):
    data = json.loads(SESSION.read_text(encoding="utf-8"))
    data["results"] = []
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = mbk("export", "report", path, "-o", tmp_path / "r.html")
    assert code == 0, err
    page = lxml_html.parse(str(tmp_path / "r.html")).getroot()
    assert page.xpath('//section[@id="scenarios"]/p')[0].text == "Sessionen har inga sparade scenarioresultat."


def test_session_with_only_todays_model_has_no_requirements(tmp_path, mbk):
    data = json.loads(SESSION.read_text(encoding="utf-8"))
    data["models"] = ["skarholmen-current"]
    data["notes"] = [n for n in data["notes"] if n["model"] == "skarholmen-current"]
    data["votes"] = [v for v in data["votes"] if v["note"] in {n["id"] for n in data["notes"]}]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = mbk("export", "report", path, "-o", tmp_path / "r.html", "--lang", "en")
    assert code == 0, err
    page = lxml_html.parse(str(tmp_path / "r.html")).getroot()
    assert len(page.xpath('//figure[@class="map"]')) == 1
    assert page.xpath('//section[@id="requirements"]/p')[0].text == (
        "The session has no future process model to derive requirements from.")
    assert page.xpath('//section[@id="ideas"]/p')[0].text == "No idea has any votes yet."


def test_bad_session_and_bad_suffix_exit_2(tmp_path, mbk):
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 1, "votes": [{"participant": "p1"}]}', encoding="utf-8")
    code, _, err = mbk("export", "report", broken, "-o", tmp_path / "r.html")
    assert code == 2 and f"{broken}: votes.0.note" in err
    code, _, err = mbk("export", "report", SESSION, "-o", tmp_path / "r.docx")
    assert code == 2 and "expected a .html or .pdf file" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.json"]


@pytest.mark.browser
def test_pdf_printed_by_chromium(tmp_path, mbk, session):
    pypdf = pytest.importorskip("pypdf", reason="test-only extra exports-test")
    code, _, err = mbk("export", "report", SESSION, "-o", tmp_path / "report.pdf")
    assert code == 0, err
    reader = pypdf.PdfReader(str(tmp_path / "report.pdf"))
    pages = reader.pages
    assert len(pages) >= 5
    portrait = lambda p: float(p.mediabox.width) < float(p.mediabox.height)  # noqa: E731
    assert portrait(pages[0])
    assert not portrait(pages[1]) and not portrait(pages[2])  # one landscape page per map
    # pypdf breaks lines where the page does and keeps the font's fi/fl ligatures
    text = " ".join(" ".join(p.extract_text() for p in pages).split()).replace("ﬁ", "fi").replace("ﬂ", "fl")
    assert "Workshoprapport: Workshop 2, Skärholmen" in text
    assert "Jämförelse av scenarier" in text and "Mest röstade idéer" in text
    assert "DATA-001" in text and "Inga personnummer" in text
    assert session.notes[0].text[:30] in text
