"""Every kiosk flow in a real headless Chromium, in Swedish and in Arabic: the caseworker's e-mail
reaches the SMTP server, the floor view shows the visitor, and screenshots are saved."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from prototypes.storage import survey_counts
from tests.prototypes.kiosk_support import wait_until

from .kiosk_browser import browser, close_browser, live_kiosk, number_row, number_text, post, screen, set_language, shot, staff_page, stop_kiosk

pytestmark = pytest.mark.browser
LANGS = ["sv", "ar"]


@pytest.fixture(scope="module", autouse=True)
def _own_browser():
    yield
    close_browser()


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    k = live_kiosk(tmp_path_factory, idle_seconds=60, warning_seconds=20)
    yield k
    stop_kiosk(k)


@pytest.fixture(scope="module")
def floor(kiosk):
    page = staff_page(kiosk, "/floor")
    yield page
    page.context.close()


@pytest.fixture
def page(kiosk):
    ctx = browser().new_context(viewport={"width": 1024, "height": 768})
    p = ctx.new_page()
    p.goto(kiosk.url + "/kiosk")
    yield p
    ctx.close()


def _start(page, lang):
    assert screen(page) == "language"
    post(page, "language", lang)
    assert screen(page) == "purpose"
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, "rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize("lang", LANGS)
def test_booked_meeting_emails_the_caseworker(kiosk, page, lang):
    _start(page, lang)
    post(page, "choose", "booked_meeting")
    assert screen(page) == "booking"
    shot(page, f"{lang}-03-booking")
    page.fill("#code", "WRONG1")
    post(page, "code")
    assert page.locator(".notice[role=alert]").is_visible()
    meeting = kiosk.meetings[0 if lang == "sv" else 1]
    page.fill("#code", meeting["code"].lower())
    post(page, "code")
    assert screen(page) == "arrived"
    time = meeting["starts_at"].strftime("%H:%M")
    assert time in page.locator("main").inner_text()
    shot(page, f"{lang}-04-arrived")
    messages = wait_until(lambda: [m for m in kiosk.smtp.messages if m["To"] == meeting["email"] and time in m["Subject"]])
    assert len(messages) == 1
    assert messages[0]["Subject"] == f"Din besökare till {time} har kommit"
    post(page, "finish")
    assert screen(page) == "thanks"


@pytest.mark.parametrize("lang", LANGS)
def test_errand_help_want_help_reaches_the_floor_view(kiosk, page, floor, lang):
    _start(page, lang)
    shot(page, f"{lang}-02-purpose")
    post(page, "categories")
    assert screen(page) == "categories"
    shot(page, f"{lang}-05-categories")
    post(page, "choose", "preschool")
    assert screen(page) == "instructions"
    assert page.get_by_test_id("url").inner_text() == "https://www.stockholm.se/forskola"
    qr = page.locator(".qr img")
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.naturalWidth") > 0
    shot(page, f"{lang}-06-instructions")
    post(page, "want_help")
    assert screen(page) == "register"
    number = int(page.get_by_test_id("number").inner_text())
    assert re.search(r"\d", page.get_by_test_id("computer").inner_text())
    page.fill("#phone", "070 123 45 67")
    post(page, "phone")
    shot(page, f"{lang}-07-registered")
    # the guide's tablet shows the visitor with errand, language and computer
    floor.reload()
    row = number_row(floor, number)
    row.wait_for(timeout=15000)
    text = wait_until(lambda: number_text(floor, number), timeout=10)
    assert "Förskola" in text and ("العربية" if lang == "ar" else "Svenska") in text and "dator" in text
    shot(floor, f"floor-{lang}")
    row.get_by_role("button", name="Jag hjälper").click()
    assert wait_until(lambda: "får hjälp" in number_text(floor, number), timeout=10)
    number_row(floor, number).get_by_role("button", name="Klar").click()
    assert wait_until(lambda: number_row(floor, number).count() == 0, timeout=10)
    post(page, "finish")
    assert screen(page) == "survey"
    shot(page, f"{lang}-08-survey")
    page.locator("input[name=learned][value=yes]").check()
    page.locator("input[name=can_alone][value=no]").check()
    # the optional gender question, in the visitor's language; its answer is only counted
    women = _women_counted(kiosk)
    page.get_by_label(kiosk.app.content.ui[lang]["gender_kvinna"], exact=True).check()
    post(page, "survey")
    assert screen(page) == "thanks"
    shot(page, f"{lang}-09-thanks")
    assert _women_counted(kiosk) == women + 1


def _women_counted(kiosk) -> int:
    with kiosk.app.office.engine.connect() as conn:
        return conn.execute(select(func.coalesce(func.sum(survey_counts.c.answers), 0))
                            .where(survey_counts.c.gender == "kvinna")).scalar()


@pytest.mark.parametrize("lang", LANGS)
def test_managed_on_their_own(kiosk, page, lang):
    _start(page, lang)
    post(page, "categories")
    post(page, "choose", "housing")
    post(page, "managed")
    assert screen(page) == "survey"
    post(page, "skip")
    assert screen(page) == "thanks"


@pytest.mark.parametrize("lang", LANGS)
def test_borrow_computer_lawyer_area_and_other(kiosk, page, lang):
    _start(page, lang)
    post(page, "choose", "borrow_computer")
    assert screen(page) == "computer" and page.get_by_test_id("computer").is_visible()
    shot(page, f"{lang}-10-computer")
    post(page, "reset")
    _start(page, lang)
    post(page, "choose", "duty_lawyer")
    assert screen(page) == "hours"
    assert "13:00–16:00" in page.locator("table.hours").inner_text()
    shot(page, f"{lang}-11-lawyer")
    post(page, "reset")
    _start(page, lang)
    post(page, "choose", "area_info")
    assert screen(page) == "instructions"
    assert page.get_by_test_id("url").inner_text() == "https://www.stockholm.se/skarholmen"
    shot(page, f"{lang}-12-area")
    post(page, "reset")
    _start(page, lang)
    post(page, "categories")
    post(page, "choose", "other")
    assert screen(page) == "guide"
    shot(page, f"{lang}-13-guide")
    post(page, "reset")
    assert screen(page) == "language"
    shot(page, "01-language")


def test_language_can_be_changed_on_every_screen_and_keeps_the_screen(kiosk, page):
    _start(page, "sv")
    post(page, "categories")
    post(page, "choose", "migration")
    for code, direction in (("fa", "rtl"), ("ti", "ltr"), ("so", "ltr"), ("en", "ltr")):
        set_language(page, code)
        assert screen(page) == "instructions"
        assert page.locator("html").get_attribute("dir") == direction
    assert "How to do it" in page.locator("main").inner_text()


def test_text_size_switch(kiosk, page):
    _start(page, "sv")
    before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    with page.expect_navigation():
        page.locator("header .tools form:has(input[value=textsize]) button").click()
    after = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert (before, after) == (20.0, 27.0)
    assert page.locator("header .tools button[aria-pressed=true]").count() == 1


def _tab_to(page, pattern: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("(document.activeElement.innerText || document.activeElement.value || '').trim()")
        if re.fullmatch(pattern, text):
            return
    raise AssertionError(f"no focusable element matching {pattern!r}")


def test_whole_flow_by_keyboard_only(kiosk, page):
    _tab_to(page, "English")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "Help with an errand")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "Financial assistance")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "I want help")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert screen(page) == "register"
    _tab_to(page, "Done")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert screen(page) == "survey"
    page.keyboard.press("Tab")  # into the page; radios are reached by Tab and chosen by Space
    page.locator("input[name=learned][value=yes]").focus()
    page.keyboard.press("Space")
    _tab_to(page, "Send answers")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert screen(page) == "thanks"
    focus_ring = page.evaluate("getComputedStyle(document.querySelector('button')).outlineStyle")
    assert focus_ring is not None


def test_idle_warning_can_be_extended_then_resets(kiosk):
    ctx = browser().new_context(viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    page.clock.install()
    page.goto(kiosk.url + "/kiosk")
    _start(page, "sv")
    dialog = page.locator("#idle")
    page.clock.run_for(59_000)
    assert dialog.is_hidden()
    page.clock.run_for(1_000)
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "idle-more"
    assert page.locator("#idle-seconds").inner_text() == "20"
    shot(page, "sv-idle-warning")
    page.keyboard.press("Enter")  # "I need more time"
    assert dialog.is_hidden()
    page.clock.run_for(50_000)
    assert dialog.is_hidden() and screen(page) == "purpose"
    page.clock.run_for(12_000)
    assert dialog.is_visible() and page.locator("#idle-seconds").inner_text() == "18"
    with page.expect_navigation():
        page.clock.run_for(19_000)
    assert screen(page) == "language"
    ctx.close()


def test_staff_views_need_a_login(kiosk):
    ctx = browser().new_context()
    page = ctx.new_page()
    page.goto(kiosk.url + "/floor")
    page.get_by_text("Den här vyn är för personal.").wait_for(timeout=15000)
    assert page.locator(".floor-row").count() == 0
    resp = page.request.get(kiosk.url + "/api/floor")
    assert resp.status == 401
    page.goto(kiosk.url + "/login")
    page.fill("#username", "guide")
    page.fill("#password", "not the password")
    page.locator("form button").click()
    assert page.get_by_role("alert").inner_text() == "Fel användarnamn eller lösenord."
    ctx.close()


def test_reception_and_display(kiosk, page):
    _start(page, "sv")
    post(page, "choose", "borrow_computer")
    number = int(page.get_by_test_id("number").inner_text())
    display = browser().new_page()
    display.goto(kiosk.url + "/display")
    display.get_by_test_id("at-computer").wait_for(timeout=15000)
    assert wait_until(lambda: f"{number}\xa0→" in display.get_by_test_id("at-computer").inner_text(), timeout=10)
    text = display.locator("div:has(> [data-testid=at-computer])").inner_text()
    assert f"{number}\xa0→" in text and "Vid datorerna (nummer → dator) · At the computers (number → computer)" in text
    assert "Svenska" not in text and "Låna" not in text  # numbers only: no language, no errand
    shot(display, "display")
    display.close()
    reception = staff_page(kiosk, "/reception")
    reception.get_by_text("Receptionen – dagens bokade besök").wait_for(timeout=15000)
    shot(reception, "reception")
    assert reception.locator("text=mejl skickat").count() >= 1 or reception.locator("text=inte kommit").count() >= 1
    reception.context.close()


def test_a_malformed_http_request_gets_400_and_changes_nothing(kiosk, page):
    from sqlalchemy import func, select

    from prototypes.storage import events, outbox, visits

    def counts():
        with kiosk.app.office.engine.connect() as conn:
            return [conn.execute(select(func.count()).select_from(t)).scalar() for t in (visits, events, outbox)]

    _start(page, "sv")
    before = counts()
    for form, message in (
        ({"action": "choose", "value": "'; drop table visits; --"}, "is not a choice on this screen"),
        ({"action": "code", "code": "AB12CD"}, "not possible on the &#39;purpose&#39; screen"),
        ({"value": "sv"}, "action: expected one of"),
    ):
        resp = page.request.post(kiosk.url + "/kiosk", form=form)  # the page's own cookie: its own session
        assert resp.status == 400 and message in resp.text()
    assert counts() == before
    page.reload()
    assert screen(page) == "purpose"
