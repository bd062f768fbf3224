"""axe-core on every tab of the workshop app, in Swedish and in English: no violations at all.

The tabs are checked with content in them: a step's details on the map, the side-by-side
and diff maps, a finished comparison (table and charts), a note on the workshop board.
The page's `lang` follows the language switch.
"""

from __future__ import annotations


import pytest

from .axe_check import violations
from .canvas_browser import click_step
from .workshop_browser import open_page, run_comparison, shot, tab

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
TABS = {
    "sv": ["Kartor", "Idag och framtid", "Skillnader", "Scenariobyggare", "Jämför", "Svep", "Workshop"],
    "en": ["Maps", "Today and future", "Differences", "Scenario builder", "Compare", "Sweep", "Workshop"],
}



def _fill_the_tabs(page) -> None:
    """Put content on the tabs that start empty: a step's details, a comparison, a note."""
    page.locator(".mbk-canvas-steps li").first.wait_for(state="attached")
    click_step(page, "wait_desk", canvas="main")
    page.locator(".mbk-step-panel").get_by_text("Väntar på informationsdisken").wait_for()
    run_comparison(page, replications=2)
    tab(page, "Workshop")
    page.get_by_placeholder("Ditt förnamn").fill("Axel")
    page.get_by_placeholder("Ditt förnamn").press("Enter")
    page.get_by_role("button", name="Gå med").click()
    page.get_by_text("Välkommen, Axel!").wait_for()
    page.get_by_placeholder("Vad är problemet, idén eller frågan?").fill("Skärmen läser upp texten")
    page.get_by_role("button", name="Lägg till anteckning").click()
    page.get_by_text("Anteckningen är tillagd.").wait_for()
    tab(page, "Kartor")


def test_every_tab_in_swedish_and_english_passes_axe(browser, served):
    context, page = open_page(browser, served["url"])
    try:
        _fill_the_tabs(page)
        found = {}
        for lang, labels in TABS.items():
            if lang == "en":
                page.get_by_text("English", exact=True).click()
                page.get_by_text("MBK Studio – workshop").wait_for()
            page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
            for label in labels:
                tab(page, label)
                page.wait_for_timeout(700)  # the a11y repair runs every 250 ms on what a dynamic tab just drew
                found[(lang, label)] = violations(page)  # of any impact, not only serious
        shot(page, "axe-last-tab")
        bad = {k: v for k, v in found.items() if v}
        assert bad == {}, bad
        assert len(found) == 14
    finally:
        context.close()


def test_hidden_tabs_take_no_focus_and_every_slider_has_a_name(browser, served):
    """What axe checks, seen from the keyboard: Tab never lands in a hidden panel; handles are named."""
    context, page = open_page(browser, served["url"])
    try:
        tab(page, "Scenariobyggare")
        page.get_by_text("Besökare per vecka").first.wait_for()
        names = page.locator(".noUi-handle").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        assert names[0] == "Besökare per vecka" and len(names) >= 9 and all(names), names
        page.locator(".noUi-handle").first.focus()
        for _ in range(40):  # walk the focus order well past the tab's own controls
            page.keyboard.press("Tab")
            hidden = page.evaluate("""() => {
                let el = document.activeElement
                while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement
                for (let n = el; n; n = n.parentNode || n.host) {
                    if (n.nodeType === 1 && n.getAttribute('aria-hidden') === 'true') return true
                }
                return false
            }""")
            assert not hidden
    finally:
        context.close()
