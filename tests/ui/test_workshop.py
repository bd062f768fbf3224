"""The workshop app in a real headless Chromium: maps, builder slider, comparison, notes in two browsers, English.

One server (threaded, 127.0.0.1, free port) and one Chromium for the module; the
screenshots of every tab go to tests/screenshots/workshop/.
"""

from __future__ import annotations

import re

import pytest

from .canvas_browser import click_step
from .workshop_browser import open_page, run_comparison, shot, tab

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture
def page(browser, served):
    context, page = open_page(browser, served["url"])
    yield page
    context.close()


def test_clicking_a_step_on_the_map_shows_its_details(page):
    page.locator(".mbk-canvas-steps li").first.wait_for(state="attached")
    click_step(page, "wait_desk", canvas="main")
    panel = page.locator(".mbk-step-panel")
    panel.get_by_text("Väntar på informationsdisken").wait_for()
    assert "Tålamod i kön" in panel.inner_text()
    assert "Simulerad väntetid" in panel.inner_text()
    tab(page, "Idag och framtid")
    page.locator("g.node[data-step='kiosk_language']").first.click()
    panel.get_by_text("Väljer språk på skärmen").wait_for()
    shot(page, "maps-side-by-side")
    tab(page, "Skillnader")
    page.get_by_text(re.compile(r"\d+ skillnader")).wait_for()
    shot(page, "maps-diff")


def test_a_broken_upload_lists_file_line_and_field(page, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nname: {sv: X, en: X}\noffice: T\nvariant: sometime\n", encoding="utf-8")
    page.locator("input[type=file]").first.set_input_files(str(broken))
    alert = page.get_by_text("Filen kunde inte läsas som en processmodell")
    alert.wait_for()
    # the file, line and field as the command line gives them, the sentence in the UI language
    page.get_by_text("broken.yaml:4: variant: ska vara 'current' eller 'future', men är 'sometime'").wait_for()
    page.get_by_text("broken.yaml:1: lanes: fältet ”lanes” saknas, men behövs").wait_for()
    page.get_by_text("English", exact=True).click()
    page.get_by_text("broken.yaml:4: variant: should be 'current' or 'future', but is 'sometime'").wait_for()
    page.get_by_text("MBK Studio – workshop").wait_for()  # the English rebuild done, so the next click is not lost
    page.get_by_text("Svenska", exact=True).click()
    page.get_by_text("MBK Studio – verkstad").wait_for()


def test_a_slider_change_updates_the_scenario_and_the_load_check(page):
    tab(page, "Scenariobyggare")
    page.get_by_text("Besökare per vecka").first.wait_for()
    handle = page.locator(".noUi-handle").first
    handle.focus()
    handle.press("End")  # the top of the 1,300–2,000 range
    page.get_by_text("Besökare per vecka: 1473 → 2000").wait_for()  # the change in words, not a dotted path
    page.get_by_text(re.compile(r"\d+ varningar innan körning")).first.wait_for()
    name = page.get_by_placeholder("t.ex. Kiosk + 10 datorer")
    name.fill("Rusning 2000")
    name.press("Enter")
    page.get_by_role("button", name="Spara scenario").click()
    page.get_by_text("Scenariot ”Rusning 2000” är sparat.").wait_for()
    page.get_by_text("Rusning 2000 ·").wait_for()  # in the saved list
    shot(page, "builder")
    tab(page, "Jämför")  # and offered for comparison
    page.locator(".choices__inner").first.click()
    page.locator(".choices__item--choice", has_text="Rusning 2000").wait_for()
    page.keyboard.press("Escape")


def test_running_a_comparison_shows_kpis_charts_and_paints_waits(page, served):
    import simulation

    run_comparison(page, replications=4)
    table = page.locator("table.mbk-kpis")
    row = table.locator("tr[data-kpi='mean_wait']")
    direct = simulation.run(simulation.Scenario(name="k", model="skarholmen-kiosk"), replications=4, seed=2026)
    assert f"{direct.kpis()['mean_wait'].mean:.1f}".replace(".", ",") in row.inner_text()  # a decimal comma in Swedish
    verdicts = table.locator(".mbk-diff").evaluate_all("els => els.map(e => e.dataset.verdict)")
    assert {"better", "worse"} & set(verdicts)
    page.get_by_text("Diagram", exact=True).wait_for()
    page.wait_for_function("() => true")
    page.locator("canvas").nth(5).wait_for(state="attached")  # 3 line charts + 3 bar charts
    shot(page, "compare")
    tab(page, "Kartor")
    page.locator(".mbk-canvas-steps li", has_text=re.compile(r"⏱ \d+ min")).first.wait_for(state="attached")
    click_step(page, "wait_guide", canvas="main")
    today = simulation.run(simulation.Scenario(name="t", model="skarholmen-current"), replications=4, seed=2026)
    expected = simulation.step_waits(today.records)["wait_guide"].mean
    page.locator(".mbk-step-panel").get_by_text(f"{expected:.1f} min".replace(".", ",")).wait_for()  # the step's simulated wait
    shot(page, "maps-waits")


def test_a_sweep_draws_a_heatmap(page):
    tab(page, "Svep")
    page.get_by_label("Värden för x").fill("7,9")
    page.get_by_label("Värden för x").press("Enter")
    page.get_by_label("Värden för y").fill("3,4")
    page.get_by_label("Värden för y").press("Enter")
    page.get_by_role("button", name="Kör svep").click()
    page.get_by_text("Svepet är klart: 4 kombinationer.").wait_for(timeout=60_000)
    page.locator("canvas").locator("visible=true").first.wait_for()
    shot(page, "sweep")


def test_notes_and_votes_show_in_a_second_browser_without_reloading(browser, served):
    ctx_a, a = open_page(browser, served["url"])
    ctx_b, b = open_page(browser, served["url"])
    try:
        for p in (a, b):
            tab(p, "Workshop")
        a.get_by_placeholder("Ditt förnamn").fill("Anna")
        a.get_by_placeholder("Ditt förnamn").press("Enter")
        a.get_by_label("Roll").select_option(label="facilitator")
        a.get_by_role("button", name="Gå med").click()
        a.get_by_text("Välkommen, Anna!").wait_for()
        a.get_by_role("button", name="Starta timer").click()  # 10 minutes, shown in every header
        b.locator(".mbk-timer-box").first.get_by_text(re.compile(r"^(10:00|09:[0-5]\d)$")).wait_for()
        a.get_by_placeholder("Vad är problemet, idén eller frågan?").fill("Kölappen säger inget om väntetiden")
        a.get_by_role("button", name="Lägg till anteckning").click()
        a.get_by_text("Anteckningen är tillagd.").wait_for()
        # the second browser sees it without reloading
        b.get_by_text("Kölappen säger inget om väntetiden").wait_for()
        b.get_by_placeholder("Ditt förnamn").fill("Bo")
        b.get_by_placeholder("Ditt förnamn").press("Enter")
        b.get_by_role("button", name="Gå med").click()
        b.get_by_text("Välkommen, Bo!").wait_for()
        note = b.locator(".mbk-note", has_text="Kölappen säger inget").first
        for dots in range(1, 6):
            b.get_by_role("button", name="+ ●").first.click()
            note.get_by_text(f"{dots} prickar" if dots > 1 else "1 prick", exact=True).wait_for()  # redrawn after each dot
        b.get_by_role("button", name="+ ●").first.click()  # the sixth dot is beyond the budget of 5
        b.get_by_text("Du har redan satt alla dina 5 prickar").wait_for()
        a.locator(".mbk-note", has_text="Kölappen säger inget").get_by_text("5 prickar").wait_for()
        shot(a, "workshop")
        from process_models.session import load_session

        saved = load_session(served["session"])
        mine = [n for n in saved.notes if n.text == "Kölappen säger inget om väntetiden"]
        assert len(mine) == 1 and mine[0].author_role == "facilitator"
        assert saved.votes_for(mine[0].id) == 5
    except Exception:
        shot(a, "failed-a")
        shot(b, "failed-b")
        raise
    finally:
        ctx_a.close()
        ctx_b.close()


def test_switching_to_english(page):
    page.get_by_text("English", exact=True).click()
    page.get_by_text("MBK Studio – workshop").wait_for()
    for label in ("Maps", "Scenario builder", "Compare", "Sweep", "Workshop"):
        assert page.locator(".bk-tab", has_text=re.compile(f"^{label}$")).count() >= 1
    page.get_by_text("Click a step on the map or pick it from the list.").wait_for()
    page.locator(".mbk-canvas-steps li", has_text="Arrives").wait_for(state="attached")
    shot(page, "maps-english")
