"""Helpers for the workshop app's browser tests: open the app, click a tab, save a screenshot.

The fixtures that serve the app and start Chromium are in conftest.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[1] / "screenshots" / "workshop"
WAIT_MS = 30_000  # generous: CI machines run other work beside the browser tests

__all__ = ["CHROMIUM", "ARGS", "open_page", "run_comparison", "tab", "shot", "playwright_api"]


def open_page(browser, url, viewport: dict | None = None):
    """A new context (Swedish locale) with the app loaded."""
    context = browser.new_context(viewport=viewport or {"width": 1500, "height": 1000}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.get_by_text("MBK Studio – verkstad").wait_for()
    return context, page


def tab(page, label: str) -> None:
    """Click the tab (or sub-tab) with exactly this label."""
    page.locator(".bk-tab", has_text=re.compile(f"^{re.escape(label)}$")).first.click()
    page.wait_for_timeout(400)


def shot(page, name: str) -> Path:
    """A full-page screenshot in tests/screenshots/workshop/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path




def run_comparison(page, replications: int) -> None:
    """On the compare tab, run the default pair with this many replications and wait until done."""
    tab(page, "Jämför")
    reps = page.get_by_label("Replikeringar").first
    reps.fill(str(replications))
    reps.press("Enter")
    page.get_by_role("button", name="Kör jämförelse").click()
    page.get_by_text(re.compile(rf"Klar: 2 scenarier × {replications} replikeringar")).wait_for(timeout=60_000)
    page.locator("table.mbk-kpis").wait_for()
