"""The compare state: runs 2–4 scenarios (cached), the KPI table, cancel, the sweep."""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import simulation
from process_models.session import SavedScenario
from workshop_app.compare import CompareState, SweepState
from workshop_app.engine import ResultCache
from workshop_app.texts import UiError

PAIR = ["skarholmen-current", "skarholmen-kiosk"]


def test_a_comparison_matches_the_engine_run_directly_and_is_cached(shared):
    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=PAIR, baseline="skarholmen-current", replications=3, seed=11)
    record = c.run()
    assert c.status == "done" and c.shown == record.id == "cmp_1"
    direct = simulation.run(simulation.Scenario(name="k", model="skarholmen-kiosk"), replications=3, seed=11)
    table = c.kpi_table()
    assert table.loc["mean_wait", "skarholmen-kiosk"] == pytest.approx(direct.kpis()["mean_wait"].mean)
    # the difference against the baseline is the engine's paired difference
    comparison = simulation.compare([simulation.Scenario(name=n, model=n) for n in PAIR], replications=3, seed=11)
    diff = comparison.difference(1)["mean_wait"]
    assert table.loc["mean_wait", "skarholmen-kiosk diff"] == pytest.approx(diff.mean)
    expected = "better" if diff.high < 0 else "worse" if diff.low > 0 else "same"
    assert table.loc["mean_wait", "skarholmen-kiosk verdict"] == expected
    # guide minutes freed: the baseline's busy guide minutes minus the scenario's
    busy = comparison.difference(1)["staff_minutes.guides"]
    assert table.loc["guide_minutes_freed", "skarholmen-kiosk"] == pytest.approx(-busy.mean)
    assert c.cache.misses == 2
    again = c.run()
    assert c.cache.misses == 2 and c.cache.hits == 2  # nothing simulated twice
    assert again.id == "cmp_2" and again.scenarios == record.scenarios
    # the run is kept in the session for the exports
    kept = {r.scenario: r for r in shared.data.results}
    assert kept["skarholmen-kiosk"].kpis["mean_wait"].mean == pytest.approx(direct.kpis()["mean_wait"].mean)
    assert kept["skarholmen-kiosk"].seed == 11 and kept["skarholmen-kiosk"].baseline == "skarholmen-current"


def test_a_comparison_run_in_one_browser_opens_in_another_without_running(shared, session_path):
    """Results belong to the session: a second browser's state shows the table and paints waits from the record."""
    from process_models.session import load_session

    a = CompareState(shared, cache=ResultCache())
    b = CompareState(shared, cache=ResultCache())
    assert b.record is None and b.shown is None
    a.param.update(chosen=PAIR, baseline="skarholmen-current", replications=3, seed=7)
    record = a.run()
    b.sync()  # what the page's poll calls
    assert b.shown == record.id and b.record == record
    assert b.cache.misses == 0 and b.results == {}  # nothing run in b
    assert b.kpi_table().equals(a.kpi_table())
    direct = simulation.run(simulation.Scenario(name="t", model="skarholmen-current"), replications=3, seed=7)
    expected = simulation.step_waits(direct.records)["wait_guide"].mean
    assert b.step_waits["skarholmen-current"]["wait_guide"] == pytest.approx(expected)
    # the history: every comparison with its scenarios, replications and seed, read back from the file
    a.param.update(replications=2, seed=8)
    a.run()
    b.sync()
    saved = load_session(session_path).comparisons
    assert [(c.id, c.replications, c.seed, [s.name for s in c.scenarios]) for c in saved] == [
        ("cmp_1", 3, 7, PAIR), ("cmp_2", 2, 8, PAIR)]
    assert b.shown == "cmp_2"  # a new comparison shows in every browser as soon as it is done
    b.shown = "cmp_1"  # and an older one opens again
    assert b.record.seed == 7 and b.kpi_table().equals(kpi_table_of(saved[0]))


def kpi_table_of(record):
    from workshop_app.compare import kpi_frame

    return kpi_frame(record)


def test_the_kpi_table_downloads_as_csv_with_names_in_the_ui_language(shared):
    import io

    import pandas as pd

    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=PAIR, baseline="skarholmen-current", replications=2, seed=3)
    c.run()
    frame = pd.read_csv(io.StringIO(c.kpi_csv("sv")), index_col=0)
    today, kiosk = "Skärholmen idag – kölapp och informationsdisk", "Skärholmen 2.0 – kiosk i entrén och vägledare på golvet"
    assert frame.loc["Medelväntetid (min)", kiosk] == pytest.approx(c.kpi_table().loc["mean_wait", "skarholmen-kiosk"],
                                                                   rel=1e-3)
    assert frame.loc["Medelväntetid (min)", f"{kiosk} – bedömning"] in ("bättre", "sämre", "ingen säker skillnad")
    assert f"{today} – skillnad" not in frame.columns  # the baseline has no difference to itself
    assert "Skärholmen today – queue ticket and information desk" in c.kpi_csv("en")


def test_staff_minutes_freed_come_from_the_paired_engine_figures_and_reach_the_report(shared):
    """The kiosk office drops the information desk: its minutes count as freed, in the table, the session and the report."""
    from lxml import html as lxml_html

    from exports.report import render_html
    from process_models.session import load_session

    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=PAIR, baseline="skarholmen-current", replications=3, seed=5)
    c.run()
    table = c.kpi_table()
    assert list(table.index[6:8]) == ["staff_minutes_freed", "guide_minutes_freed"]
    today, kiosk = c.results["skarholmen-current"], c.results["skarholmen-kiosk"]
    desk = [r["staff_minutes.info_desk"] for r in today.rep_kpis]
    assert all(d > 0 for d in desk) and all("staff_minutes.info_desk" not in r for r in kiosk.rep_kpis)
    pools = {k for r in today.rep_kpis + kiosk.rep_kpis for k in r if k.startswith("staff_minutes.") and k.count(".") == 1}
    freed = [sum(b.get(p, 0.0) - m.get(p, 0.0) for p in pools) for b, m in zip(today.rep_kpis, kiosk.rep_kpis)]
    assert table.loc["staff_minutes_freed", "skarholmen-kiosk"] == pytest.approx(sum(freed) / 3)
    assert table.loc["staff_minutes_freed", "skarholmen-current"] == 0
    assert table.loc["staff_minutes_freed", "skarholmen-kiosk verdict"] == "better"
    # the session file keeps the same figures (read back from disk), and the report labels them
    kept = {r.scenario: r for r in load_session(shared.path).results}
    assert kept["skarholmen-kiosk"].kpis["staff_minutes_freed"].mean == pytest.approx(sum(freed) / 3)
    assert kept["skarholmen-current"].kpis["guide_minutes_freed"].mean == 0
    page = lxml_html.fromstring(render_html(load_session(shared.path), source="workshop.json", lang="sv"))
    rows = [th.text_content() for th in page.xpath('//section[@id="scenarios"]//table/tbody/tr/th')]
    assert "Personalminuter frigjorda per vecka" in rows
    assert "Väntetid – Väntar på en publik dator" in rows  # a per-step wait is named after its step
    assert "Väntetid – Läser instruktionen på skärmen" not in rows  # no wait there in either scenario: left out
    assert not [r for r in rows if r.startswith(("wait.", "staff_minutes"))]


def test_a_slider_change_reruns_only_the_changed_scenario(shared):
    c = CompareState(shared, cache=ResultCache())
    more = SavedScenario(name="Fler datorer", model="skarholmen-current",
                         overrides={"pools.public_computers.capacity": 10})
    shared.save_scenario(more)
    c.refresh_choices()
    c.param.update(chosen=["skarholmen-current", "Fler datorer"], baseline="skarholmen-current", replications=2, seed=3)
    c.run()
    assert c.cache.misses == 2
    shared.save_scenario(more.model_copy(update={"overrides": {"pools.public_computers.capacity": 12}}))
    c.run()
    assert (c.cache.misses, c.cache.hits) == (3, 1)
    assert c.step_waits["skarholmen-current"]["wait_computer"] >= 0


def test_the_instant_estimate_comes_before_any_simulation(shared):
    c = CompareState(shared, cache=ResultCache())
    c.chosen = ["skarholmen-kiosk"]
    c.chosen = PAIR  # picking the scenarios is enough
    assert set(c.estimates) == set(PAIR)
    rows = {r.pool: r for r in c.estimate_rows("skarholmen-kiosk", "sv")}
    direct = {p.pool: p for p in simulation.load_check(simulation.Scenario(name="k", model="skarholmen-kiosk"))}
    assert rows["kiosk"].utilisation == pytest.approx(direct["kiosk"].utilisation)
    assert c.results == {} and c.cache.misses == 0 and c.record is None


def test_two_to_four_scenarios(shared):
    c = CompareState(shared, cache=ResultCache())
    c.chosen = ["skarholmen-current"]
    with pytest.raises(UiError):
        c.run()
    assert c.start() is None and c.status == "error"


def test_cancel_stops_a_running_comparison(shared):
    c = CompareState(shared, cache=ResultCache(), executor=ThreadPoolExecutor(1))
    c.param.update(chosen=PAIR, replications=60, seed=5)
    thread = c.start()
    deadline = time.monotonic() + 10
    while c.progress == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    c.cancel()
    thread.join(20)
    assert c.status == "cancelled"
    assert c.record is None and len(c.results) < 2 and shared.data.comparisons == []
    c.executor.shutdown()


def test_the_sweep_gives_one_cell_per_combination(shared):
    sw = SweepState(shared)
    sw.param.update(scenario_name="skarholmen-current", x="public_computers", y="guides",
                    x_values="6, 9", y_values="3,4", replications=1, seed=2)
    record = sw.run()
    assert [(c.x, c.y) for c in record.cells] == [(6, 3), (6, 4), (9, 3), (9, 4)]
    assert all(math.isfinite(c.kpis["mean_wait"].mean) and not c.problem for c in record.cells)
    grid = simulation.sweep(simulation.Scenario(name="s", model="skarholmen-current"),
                            {"pools.public_computers.capacity": [6, 9], "pools.guides.capacity": [3, 4]},
                            replications=1, seed=2)
    assert [c.kpis["mean_wait"].mean for c in record.cells] == pytest.approx(list(grid["mean_wait"]))
    assert shared.data.sweeps == [record] and SweepState(shared).record == record  # every browser draws it
    sw.x_values = "six"
    with pytest.raises(UiError):
        sw.run()
    assert sw.status == "error" and sw.error == "s_bad_values"


def test_the_default_sweep_draws_every_cell_it_can(shared):
    """Fewer guides than named skills used to abort the sweep; now skills shrink, and 0 guides is one grey cell."""
    sw = SweepState(shared)
    assert (sw.scenario_name, sw.x, sw.y, sw.x_values, sw.y_values) == (
        "skarholmen-kiosk", "public_computers", "guides", "5,7,9,11", "2,3,4")
    sw.param.update(replications=1, y_values="0,2,3")
    record = sw.run()
    assert len(record.cells) == 12
    bad = [(c.x, c.y) for c in record.cells if c.problem]
    assert bad == [(5, 0), (7, 0), (9, 0), (11, 0)]
    assert all(c.problem == "s_cell_invalid" and not c.kpis for c in record.cells if c.y == 0)
    assert all(math.isfinite(c.kpis["mean_wait"].mean) for c in record.cells if c.y > 0)
    frame = sw.frame()
    assert frame["mean_wait"].isna().sum() == 4


def test_the_cache_keeps_the_most_recently_used_results():
    cache = ResultCache(size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert (cache.get("b"), cache.get("a"), cache.get("c")) == (None, 1, 3)
    assert (cache.hits, cache.misses) == (3, 1)


def test_a_sweep_can_be_cancelled(shared):
    sw = SweepState(shared, executor=ThreadPoolExecutor(1))
    sw.param.update(scenario_name="skarholmen-current", x_values="5,6,7,8,9,10", y_values="3,4,5",
                    replications=3, seed=2)
    thread = sw.start()
    deadline = time.monotonic() + 10
    while sw.progress == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    sw.cancel()
    thread.join(30)
    assert sw.status == "cancelled" and sw.record is None and shared.data.sweeps == []
    assert 0 < sw.progress < 1
    sw.executor.shutdown()


def test_a_scenario_the_model_checks_refuse_is_an_error_in_the_tab(shared):
    from process_models.errors import UserError

    shared.save_scenario(SavedScenario(name="Utan datorer", model="skarholmen-current",
                                       overrides={"pools.no_such_pool.capacity": 3}))
    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=["skarholmen-current", "Utan datorer"], replications=2)
    with pytest.raises(UserError):
        c.run()
    assert c.status == "error" and c.error == "c_invalid_scenario" and c.error_values == {"name": "Utan datorer"}
    assert c.start() is None and c.status == "error"  # refused before any thread starts
