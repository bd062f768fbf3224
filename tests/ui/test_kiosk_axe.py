"""axe-core on every kiosk screen in every language: no serious or critical violations.

One page walks the screens; on each screen the language is switched in place (the kiosk
keeps the screen), so 6 languages cost 6 reloads, not 6 walks. Touch targets are measured too.
"""

from __future__ import annotations

import pytest

from .axe_check import serious_violations as _serious
from .kiosk_browser import browser, close_browser, live_kiosk, post, screen, set_language, shot, stop_kiosk

pytestmark = pytest.mark.browser
LANGS = ["sv", "en", "ar", "so", "fa", "ti"]
RTL = {"ar", "fa"}
_TARGETS = """() => [...document.querySelectorAll('button, input, a, label.radio')]
  .filter(e => e.offsetParent !== null && e.type !== 'hidden')
  .filter(e => !(e.tagName === 'INPUT' && e.closest('label.radio')))  // the whole label is the target
  .map(e => { const r = e.getBoundingClientRect();
              return [e.tagName + ' ' + (e.innerText || e.value || e.name || '').trim().slice(0, 30), r.width, r.height]; })"""


@pytest.fixture(scope="module", autouse=True)
def _own_browser():
    yield
    close_browser()


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    k = live_kiosk(tmp_path_factory)
    yield k
    stop_kiosk(k)


def _check_screen(page, name: str, found: dict) -> None:
    """Run axe and measure targets on this screen in every language."""
    for code in LANGS:
        set_language(page, code)
        assert screen(page) == name, (name, code)
        html = page.locator("html")
        assert html.get_attribute("lang") == code
        assert html.get_attribute("dir") == ("rtl" if code in RTL else "ltr")
        assert page.locator("header nav button").count() == len(LANGS)  # language switch on every screen
        found[(name, code)] = _serious(page)
        small = [t for t in page.evaluate(_TARGETS) if t[1] < 44 or t[2] < 44]
        assert small == [], (name, code, small)
        if code in ("fa", "ti") and name in ("instructions", "register"):
            shot(page, f"{code}-{name}")


def test_every_screen_in_every_language_passes_axe(kiosk):
    ctx = browser().new_context(viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    page.goto(kiosk.url + "/kiosk")
    found: dict = {}
    found[("language", "-")] = _serious(page)  # the multilingual first screen
    walks = [
        [("language", "sv"), ("purpose", None), ("categories", None), ("choose:preschool", None),
         ("instructions", None), ("want_help", None), ("register", None), ("finish", None), ("survey", None),
         ("skip", None), ("thanks", None)],
        [("language", "sv"), ("choose:booked_meeting", None), ("booking", None), ("code:BAD", None), ("booking", None),
         ("appointment", None), ("arrived", None)],
        [("language", "sv"), ("choose:borrow_computer", None), ("computer", None)],
        [("language", "sv"), ("categories", None), ("choose:other", None), ("guide", None)],
        [("language", "sv"), ("choose:duty_lawyer", None), ("hours", None)],
    ]
    checked = set()
    for walk in walks:
        for step, value in walk:
            if step == "language":
                post(page, "language", value)
            elif step.startswith("choose:"):
                post(page, "choose", step.split(":")[1])
            elif step == "categories" and screen(page) == "purpose":
                post(page, "categories")
                _check_screen(page, "categories", found)
            elif step.startswith("code:"):
                page.fill("#code", "BAD999")
                post(page, "code")
                _check_screen(page, "booking", found)  # with the wrong-code notice
            elif step == "appointment":
                page.locator("form:has(input[value=appointment]) button").first.click()
                page.wait_for_url("**/kiosk")
            elif step in ("want_help", "finish", "skip"):
                post(page, step)
            elif step not in checked or step == "booking":
                _check_screen(page, step, found)
                checked.add(step)
        post(page, "reset")
    # an error page (a malformed request) and the idle warning are screens too
    resp = page.request.post(kiosk.url + "/kiosk", form={"action": "nonsense"})
    assert resp.status == 400 and "action: expected one of" in resp.text()
    page.set_content(resp.text())
    found[("error", "-")] = _serious(page)
    # control: the same checker does flag a page with a nameless button and faint text
    page.set_content('<html lang="sv"><body><p style="color:#bbb">svag text</p><button></button></body></html>')
    assert any(v.startswith("button-name") for v in _serious(page))
    expected = {"purpose", "categories", "instructions", "register", "survey", "thanks", "booking", "arrived",
                "computer", "guide", "hours"}
    assert {name for name, _ in found} >= expected | {"language", "error"}
    assert len([k for k in found if k[1] != "-"]) >= len(expected) * len(LANGS)
    bad = {k: v for k, v in found.items() if v}
    assert bad == {}
    ctx.close()


def test_idle_warning_dialog_passes_axe(kiosk):
    ctx = browser().new_context()
    page = ctx.new_page()
    page.clock.install()
    page.goto(kiosk.url + "/kiosk")
    post(page, "language", "ar")
    page.clock.run_for(61_000)
    assert page.locator("#idle").is_visible()
    assert _serious(page) == []
    ctx.close()


def test_staff_views_and_display_pass_axe(kiosk):
    from .kiosk_browser import staff_page

    visitor = browser().new_context().new_page()
    visitor.goto(kiosk.url + "/kiosk")
    post(visitor, "language", "fa")
    post(visitor, "choose", "borrow_computer")
    floor = staff_page(kiosk, "/floor")
    floor.locator(".floor-row").first.wait_for(timeout=15000)
    assert _serious(floor) == []
    reception = staff_page(kiosk, "/reception")
    reception.get_by_text("Receptionen – dagens bokade besök").wait_for(timeout=15000)
    assert _serious(reception) == []
    display = browser().new_context().new_page()
    display.goto(kiosk.url + "/display")
    display.get_by_test_id("at-computer").wait_for(timeout=15000)
    assert _serious(display) == []
    for p in (visitor, floor, reception, display):
        p.context.close()
