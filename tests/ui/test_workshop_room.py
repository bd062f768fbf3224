"""The room in real browsers: a comparison run in one shows in the others, downloads, the sweep, the builder.

Three contexts at the room's screen sizes (projector 1920×1080, laptops 1280×720 and 1400×900)
on one server; downloads are read back by independent readers (lxml, pypdf, openpyxl,
python-docx, pandas, the PNG signature). Screenshots of the cards at both sizes go to
tests/screenshots/workshop/.
"""

from __future__ import annotations

import io
import re

import pytest

from .workshop_browser import SHOTS, WAIT_MS, tab

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SIZES = {"laptop": (1280, 720), "projector": (1920, 1080), "staff": (1400, 900)}


def _open(browser, url, size, lang_text="MBK Studio – verkstad"):
    w, h = SIZES[size]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url, timeout=60_000)  # three pages building at once on a shared 2-core machine
    page.get_by_text(lang_text).wait_for(timeout=60_000)
    return context, page


def _viewport_shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.fixture(scope="module")
def room(browser, served):
    pages = {}
    try:
        for size in SIZES:
            pages[size] = _open(browser, served["url"], size)
        yield {k: p for k, (_, p) in pages.items()}
    finally:
        for context, _ in pages.values():
            context.close()


def _english_texts():
    from workshop_app.texts import strings

    sv = set(strings("sv").values())
    return {v for v in strings("en").values() if v not in sv and len(v) > 12 and "{" not in v}


def test_a_comparison_run_in_one_browser_shows_its_cards_and_waits_in_the_others(room, served):
    import simulation

    laptop, projector, staff = room["laptop"], room["projector"], room["staff"]
    for p in (projector, staff):
        tab(p, "Jämför")
    tab(laptop, "Jämför")
    reps = laptop.get_by_label("Replikeringar").first
    reps.fill("4")
    reps.press("Enter")
    laptop.get_by_role("button", name="Kör jämförelse").click()
    for p in (laptop, projector, staff):  # the others never pressed anything
        p.locator(".mbk-card[data-kpi='mean_wait']").wait_for(timeout=60_000)
    direct = simulation.compare([simulation.Scenario(name=n, model=n) for n in ("skarholmen-current", "skarholmen-kiosk")],
                                replications=4, seed=2026)
    kiosk = direct.kpis()[1]["mean_wait"].mean
    for size, p in (("laptop", laptop), ("projector", projector)):
        cards = p.locator(".mbk-card")
        assert cards.count() == 5
        text = p.locator(".mbk-cards").inner_text()
        assert f"{kiosk:.1f} min".replace(".", ",") in text and "95 %:" in text  # a decimal comma in Swedish
        assert re.search(r"\d+,\d min (kortare|längre)", text)
        assert re.search(r"[+−]\d+,\d procentenheter", text)
        # the headline figures are on the first screen, without scrolling
        for i in range(5):
            box = cards.nth(i).bounding_box()
            assert box["y"] + box["height"] <= SIZES[size][1], (size, i, box)
        _viewport_shot(p, f"compare-cards-{size}")
    # the comparison lives in the session, with its scenarios, replications and seed
    from process_models.session import load_session

    saved = load_session(served["session"]).comparisons
    assert [(c.replications, c.seed, [s.name for s in c.scenarios]) for c in saved] == [
        (4, 2026, ["skarholmen-current", "skarholmen-kiosk"])]
    # and the others' maps are painted with the waits, without a run of their own
    for p in (projector, staff):
        tab(p, "Kartor")
        p.get_by_text(re.compile(r"⏱ \d+ min")).first.wait_for()
    _viewport_shot(projector, "maps-waits-projector")


def test_the_report_requirements_table_and_charts_download_and_open(room):
    from docx import Document
    from lxml import html as lxml_html
    from openpyxl import load_workbook
    from pypdf import PdfReader
    import pandas as pd

    page = room["staff"]
    tab(page, "Jämför")
    page.locator(".mbk-card").first.wait_for(timeout=60_000)

    def download(label):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=label).click()
        d = info.value
        return d.suggested_filename, open(d.path(), "rb").read()

    name, body = download("Rapport (HTML)")
    doc = lxml_html.fromstring(body)
    assert name == "workshop-report.html"
    assert doc.xpath('//section[@id="scenarios"]//table')
    name, body = download("Rapport (PDF)")
    pdf = PdfReader(io.BytesIO(body))
    assert name.endswith(".pdf") and len(pdf.pages) >= 1 and "Medelväntetid" in "".join(p.extract_text() for p in pdf.pages)
    name, body = download("Nyckeltal (CSV)")
    table = pd.read_csv(io.BytesIO(body), index_col=0)
    assert "Medelväntetid (min)" in table.index
    name, body = download("Krav (XLSX)")
    book = load_workbook(io.BytesIO(body))
    assert book.worksheets and book.worksheets[0].max_row > 5
    name, body = download("Krav (DOCX)")
    assert len(Document(io.BytesIO(body)).paragraphs) > 5
    # each chart's own save button gives a PNG
    page.get_by_text("Diagram", exact=True).scroll_into_view_if_needed()
    save = page.locator(".bk-tool-icon-save").first
    save.wait_for(state="attached")
    with page.expect_download(timeout=30_000) as info:
        save.click()
    png = open(info.value.path(), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and info.value.suggested_filename.endswith(".png")


def test_the_default_sweep_draws_every_cell_it_can(room):
    page = room["staff"]
    tab(page, "Svep")
    reps = page.get_by_label("Replikeringar").locator("visible=true").first
    reps.fill("1")
    reps.press("Enter")
    page.get_by_label("Värden för y").fill("0,2,3,4")  # the defaults plus a value no valid model has
    page.get_by_label("Värden för y").press("Enter")
    page.get_by_role("button", name="Kör svep").click()
    page.get_by_text("Svepet är klart: 12 kombinationer. 4 kombinationer ger ingen giltig modell (grå rutor).").wait_for(
        timeout=90_000)
    page.locator(".bk-Canvas, canvas").first.wait_for(state="attached")
    for p in (room["laptop"], room["projector"]):  # the others draw it too
        tab(p, "Svep")
        p.get_by_text(re.compile(r"Svepet är klart: 12 kombinationer")).wait_for()


def test_a_kiosk_only_change_saves_one_change(room):
    page = room["staff"]
    tab(page, "Scenariobyggare")
    page.get_by_label("Utgå från modell").select_option(label="Skärholmen 2.0 – kiosk i entrén och vägledare på golvet")
    page.get_by_text("Inga ändringar – samma som modellen.").wait_for()
    handle = page.get_by_role("slider", name=re.compile("^Pekskärmar i entrén")).first
    # the slider starts at 1 on this model (no valid model has fewer kiosks): wait for it to be redrawn so
    page.locator(".noUi-handle[aria-valuemin='1.0']").first.wait_for()
    page.wait_for_timeout(500)
    handle.focus()
    handle.press("End")  # the top of the range: 6
    try:
        page.get_by_text("Pekskärmar i entrén: 2 → 6").wait_for()
    except Exception:
        _viewport_shot(page, "failed-kiosk-slider")
        raise
    name = page.get_by_placeholder("t.ex. Kiosk + 10 datorer")
    name.fill("Tre kiosker")
    name.press("Enter")
    page.get_by_role("button", name="Spara scenario").click()
    page.get_by_text("Scenariot ”Tre kiosker” är sparat.").wait_for()
    page.get_by_text(re.compile(r"Tre kiosker · Skärholmen 2\.0.* · 1 ändring$")).wait_for()


def test_the_swedish_ui_shows_no_english_message_on_errors(room):
    page = room["staff"]
    english = _english_texts()
    seen = []
    tab(page, "Svep")
    page.get_by_label("Värden för x").fill("sex")
    page.get_by_label("Värden för x").press("Enter")
    page.get_by_role("button", name="Kör svep").click()
    page.get_by_text("Skriv heltal åtskilda med komma, t.ex. 5,7,9 (fick ”sex”).").wait_for()
    seen.append(page.locator(".bk-panel-models-layout-Column, body").first.inner_text())
    page.get_by_label("Värden för x").fill("5,7")
    page.get_by_label("Värden för x").press("Enter")
    tab(page, "Scenariobyggare")
    name = page.get_by_placeholder("t.ex. Kiosk + 10 datorer")
    name.fill("")
    name.press("Enter")
    page.get_by_role("button", name="Spara scenario").click()
    page.get_by_text("Ge scenariot ett namn innan du sparar det.").wait_for()
    seen.append(page.locator("body").inner_text())
    tab(page, "Jämför")
    page.locator(".choices__inner").first.click()
    page.keyboard.press("Backspace")  # leave one scenario
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Kör jämförelse").click()
    page.get_by_text("Välj minst två och högst fyra scenarier.").wait_for()
    seen.append(page.locator("body").inner_text())
    shown = "\n".join(seen)
    assert not [e for e in english if e in shown]
    assert "Choose File" not in shown and "Error" not in shown


def _active_tab(page) -> str:
    return page.locator(".mbk-main .bk-tab.bk-active").first.inner_text().strip()


def test_followers_change_tab_with_the_facilitator_and_the_projector_presents(room, served, browser):
    laptop, projector, staff = room["laptop"], room["projector"], room["staff"]
    tab(projector, "Workshop")
    projector.get_by_label("Namn").fill("Fia")
    projector.get_by_label("Roll").select_option(label="facilitator")
    projector.get_by_role("button", name="Gå med").click()
    projector.get_by_text("Välkommen, Fia!").wait_for()
    projector.get_by_role("button", name="Led rummet").click()
    projector.get_by_text("Du leder").wait_for()
    for p in (laptop, staff):
        p.get_by_text("Du följer facilitatorn.").wait_for()
        assert _active_tab(p) == "Workshop"
    staff.get_by_role("button", name="Utforska själv").click()
    staff.get_by_text("du utforskar själv").wait_for()
    tab(projector, "Jämför")
    laptop.locator(".mbk-main .bk-tab.bk-active", has_text="Jämför").wait_for(timeout=5_000)
    assert _active_tab(laptop) == "Jämför" and _active_tab(staff) == "Workshop"  # the explorer stays
    staff.get_by_role("button", name="Följ facilitatorn").click()
    staff.get_by_text("Du följer facilitatorn.").wait_for()
    assert _active_tab(staff) == "Jämför"  # one click and it shows the facilitator's screen again
    # the presentation view for the projector: big figures, no controls
    for name, (w, h) in (("projector", (1920, 1080)), ("laptop", (1280, 720))):
        ctx = browser.new_context(viewport={"width": w, "height": h}, locale="sv-SE")
        try:
            page = ctx.new_page()
            page.set_default_timeout(WAIT_MS)
            page.goto(served["url"] + "?view=present", timeout=60_000)
            page.locator(".mbk-present .mbk-card").first.wait_for(timeout=60_000)
            assert page.locator(".mbk-present .mbk-card").count() == 5
            assert page.get_by_role("button").count() == 0 and page.locator("input, select").count() == 0
            for i in range(5):
                box = page.locator(".mbk-card").nth(i).bounding_box()
                assert box["y"] + box["height"] <= h, (name, i, box)
            _viewport_shot(page, f"present-{name}")
        finally:
            ctx.close()
    projector.get_by_role("button", name="Sluta leda").click()
    laptop.get_by_text("Du följer facilitatorn.").wait_for(state="hidden")
