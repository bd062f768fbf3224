"""axe-core (bundled by axe-playwright-python) run on a page, keeping what the tests refuse."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

__all__ = ["serious_violations", "violations"]

_axe = Axe()


def violations(page, impacts=("minor", "moderate", "serious", "critical")) -> list[str]:
    """Violations of these impacts on the page as it is now, each with its first targets."""
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]


def serious_violations(page) -> list[str]:
    """Serious and critical violations: what the tests refuse."""
    return violations(page, ("serious", "critical"))
