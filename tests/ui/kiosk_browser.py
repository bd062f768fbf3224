"""Shared by the kiosk browser tests: one headless Debian Chromium per test module (closed at the
module's end, because a second Playwright sync instance cannot start while one is open, and other
modules start their own), a module's live kiosk server with a real SMTP server, and page helpers."""

from __future__ import annotations

import atexit
import re
from pathlib import Path

from tests.prototypes.kiosk_support import BROWSER_ARGS, STAFF_PASSWORD, STAFF_USER, LiveKiosk, SmtpCapture

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "kiosk"
_state: dict = {}


def browser():
    """The running browser (started on first use; close_browser() ends it)."""
    if "browser" not in _state:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        _state["pw"] = pw
        _state["browser"] = pw.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS, headless=True)
        atexit.register(close_browser)
    return _state["browser"]


def close_browser() -> None:
    """Stop the browser and Playwright so the next module can start its own."""
    browser_ = _state.pop("browser", None)
    pw = _state.pop("pw", None)
    try:
        if browser_ is not None:
            browser_.close()
    finally:
        if pw is not None:
            pw.stop()


def live_kiosk(tmp_path_factory, **kw):
    smtp = SmtpCapture().start()
    kiosk = LiveKiosk(str(tmp_path_factory.mktemp("kiosk") / "kiosk.sqlite"), smtp, **kw)
    kiosk.smtp = smtp
    return kiosk


def stop_kiosk(kiosk) -> None:
    kiosk.stop()
    kiosk.smtp.stop()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def post(page, action: str, value: str | None = None) -> None:
    """Press the kiosk button for an action (and value), like a visitor would."""
    if value is None:
        button = page.locator(f"form:has(input[name=action][value={action}]) button").first
    else:
        button = page.locator(f"form:has(input[name=action][value={action}]) button[value='{value}']").last
    with page.expect_navigation():
        button.click()


def set_language(page, code: str) -> None:
    with page.expect_navigation():
        page.locator(f"header nav button[value='{code}']").click()


def screen(page) -> str:
    return page.locator("main").get_attribute("data-screen")


def staff_page(kiosk, path: str = "/floor"):
    ctx = browser().new_context(viewport={"width": 1200, "height": 800})
    page = ctx.new_page()
    page.goto(f"{kiosk.url}/login?next={path}")
    page.fill("#username", STAFF_USER)
    page.fill("#password", STAFF_PASSWORD)
    page.locator("form button").click()
    page.wait_for_url(re.compile(f".*{path}$"))
    return page


def number_row(page, number: int):
    """The floor view's row (text and buttons) of one visitor number."""
    return page.locator(".floor-row").filter(has=page.locator(f".floor-line[data-number='{number}']"))


def number_text(page, number: int) -> str:
    line = page.locator(f".floor-line[data-number='{number}']")
    return line.inner_text() if line.count() else ""
