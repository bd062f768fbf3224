"""The views render from state without a browser, in both languages; the KPI table colours verdicts."""

from __future__ import annotations

import re

import pytest

from workshop_app.app import create_app
from workshop_app.compare import CompareState
from workshop_app.engine import ResultCache
from workshop_app.views.compare_view import kpi_table_html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_whole_page_renders(session_path, lang):
    app = create_app(session_path, lang=lang, poll=False)
    root = app.__panel__().get_root()
    assert root is not None
    assert app.state.lang == lang
    assert set(app._views) == {"maps", "workshop"}  # a tab is built when it is first opened
    tabs = app.__panel__().objects[1]
    for i in range(1, len(tabs)):
        tabs.active = i
        assert tabs[i].objects and tabs[i].get_root() is not None
    assert set(app._views) == {"maps", "builder", "compare", "city", "sweep", "optimise", "workshop", "new_office"}
    app.state.lang = "en" if lang == "sv" else "sv"  # the switch rebuilds every tab
    assert app.__panel__().objects[1].active == app.state.tab


def test_the_kpi_table_colours_better_and_worse_like_the_engines_verdict(shared):
    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=["skarholmen-current", "skarholmen-kiosk"], replications=3, seed=4)
    c.run()
    table = c.kpi_table()
    labels = {s.name: s.label["en"] for s in c.record.scenarios}
    out = kpi_table_html(table, labels, "skarholmen-current", "en")
    for kpi, row in table.iterrows():
        verdict = row["skarholmen-kiosk verdict"]
        cls = {"better": "mbk-better", "worse": "mbk-worse"}.get(verdict, "mbk-same")
        cell = re.search(rf"<tr data-kpi='{re.escape(kpi)}'>(.*?)</tr>", out).group(1)
        assert f"class='mbk-diff {cls}' data-verdict='{verdict}'" in cell
    assert "Difference vs Skärholmen today – queue ticket and information desk" in out
    assert "<th data-scenario='skarholmen-kiosk'>Skärholmen 2.0" in out  # names, not ids
    share = re.search(r"<tr data-kpi='self_served_share'>(.*?)</tr>", out).group(1)
    assert re.search(r"[+−]\d+\.\d percentage points", share) and "%</div>" not in share
