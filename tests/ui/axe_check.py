"""axe-core (bundled by axe-playwright-python) run on a page, keeping what the tests refuse."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

__all__ = ["serious_violations", "violations"]

_axe = Axe()
#: The page has settled when its elements have not changed for this long (the app's accessibility
#: repairs count every change in `window.mbkA11yRuns`; pages without them and without Bokeh, the
#: kiosk's server-rendered screens, settle at once: nothing there would ever count a change).
QUIET_MS = 300
SETTLE_LIMIT_MS = 8000

_SETTLED = """([quiet, limit]) => new Promise((done) => {
  if (window.mbkA11yRuns === undefined && window.Bokeh === undefined) { done(); return; }
  const started = performance.now();
  let last = window.mbkA11yRuns, since = performance.now();
  const look = () => {
    const now = performance.now();
    if (window.mbkA11yRuns !== last) { last = window.mbkA11yRuns; since = now; }
    if (now - since >= quiet || now - started >= limit) done(); else setTimeout(look, 50);
  };
  look();
})"""


def settled(page) -> None:
    """Wait until the page stops changing (a language switch rebuilds it over several frames)."""
    page.evaluate(_SETTLED, [QUIET_MS, SETTLE_LIMIT_MS])


def violations(page, impacts=("minor", "moderate", "serious", "critical")) -> list[str]:
    """Violations of these impacts on the page once it has settled, each with its first targets."""
    settled(page)
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]


def serious_violations(page) -> list[str]:
    """Serious and critical violations: what the tests refuse."""
    return violations(page, ("serious", "critical"))
