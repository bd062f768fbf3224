"""The compare state: runs 2–4 scenarios (cached), the KPI table, cancel, the sweep."""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import simulation
from process_models.session import SavedScenario
from workshop_app.compare import CompareState
from workshop_app.engine import ResultCache
from workshop_app.texts import UiError

PAIR = ["skarholmen-current", "skarholmen-kiosk"]


def test_a_comparison_matches_the_engine_run_directly_and_is_cached(shared):
    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=PAIR, baseline="skarholmen-current", replications=3, seed=11)
    comparison = c.run()
    assert c.status == "done"
    direct = simulation.run(simulation.Scenario(name="k", model="skarholmen-kiosk"), replications=3, seed=11)
    table = c.kpi_table()
    assert table.loc["mean_wait", "skarholmen-kiosk"] == pytest.approx(direct.kpis()["mean_wait"].mean)
    # the difference against the baseline is the engine's paired difference
    diff = comparison.difference(1)["mean_wait"]
    assert table.loc["mean_wait", "skarholmen-kiosk diff"] == pytest.approx(diff.mean)
    expected = "better" if diff.high < 0 else "worse" if diff.low > 0 else "no clear difference"
    assert table.loc["mean_wait", "skarholmen-kiosk verdict"] == expected
    # guide minutes freed: the baseline's busy guide minutes minus the scenario's
    busy = comparison.difference(1)["staff_minutes.guides"]
    assert table.loc["guide_minutes_freed", "skarholmen-kiosk"] == pytest.approx(-busy.mean)
    assert c.cache.misses == 2
    again = c.run()
    assert c.cache.misses == 2 and c.cache.hits == 2  # nothing simulated twice
    assert again.table().equals(comparison.table())
    # the run is kept in the session for the exports
    kept = {r.scenario: r for r in shared.data.results}
    assert kept["skarholmen-kiosk"].kpis["mean_wait"].mean == pytest.approx(direct.kpis()["mean_wait"].mean)
    assert kept["skarholmen-kiosk"].seed == 11 and kept["skarholmen-kiosk"].baseline == "skarholmen-current"


def test_staff_minutes_freed_come_from_the_paired_engine_figures_and_reach_the_report(shared):
    """The kiosk office drops the information desk: its minutes count as freed, in the table, the session and the report."""
    from lxml import html as lxml_html

    from exports.report import render_html
    from process_models.session import load_session

    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=PAIR, baseline="skarholmen-current", replications=3, seed=5)
    comparison = c.run()
    table = c.kpi_table()
    assert list(table.index[6:8]) == ["staff_minutes_freed", "guide_minutes_freed"]
    today, kiosk = comparison.results
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
    assert c.results == {} and c.cache.misses == 0


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
    while c.progress.reps_done == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    c.cancel()
    thread.join(20)
    assert c.status == "cancelled"
    assert c.comparison is None and len(c.results) < 2
    c.executor.shutdown()


def test_the_sweep_gives_one_cell_per_combination(shared):
    c = CompareState(shared, cache=ResultCache())
    c.param.update(sweep_scenario="skarholmen-current", sweep_x="public_computers", sweep_y="guides",
                   sweep_x_values="6, 9", sweep_y_values="3,4", sweep_replications=1, seed=2)
    frame = c.run_sweep()
    assert sorted(zip(frame["pools.public_computers.capacity"], frame["pools.guides.capacity"])) == [
        (6, 3), (6, 4), (9, 3), (9, 4)]
    assert all(math.isfinite(v) for v in frame["mean_wait"])
    c.sweep_x_values = "six"
    with pytest.raises(UiError):
        c.run_sweep()


def test_the_cache_keeps_the_most_recently_used_results():
    cache = ResultCache(size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert (cache.get("b"), cache.get("a"), cache.get("c")) == (None, 1, 3)
    assert (cache.hits, cache.misses) == (3, 1)


def test_a_sweep_can_be_cancelled(shared):
    c = CompareState(shared, cache=ResultCache(), executor=ThreadPoolExecutor(1))
    c.param.update(sweep_scenario="skarholmen-current", sweep_x_values="5,6,7,8,9,10", sweep_y_values="3,4,5",
                   sweep_replications=3, seed=2)
    outcome = {}

    def work():
        try:
            c.run_sweep()
        except UiError as exc:
            outcome["error"] = exc.key

    thread = threading.Thread(target=work)
    thread.start()
    deadline = time.monotonic() + 10
    while c.sweep_progress.reps_done == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    c.cancel_sweep()
    thread.join(30)
    assert outcome == {"error": "c_status_cancelled"} and c.sweep_frame is None
    assert 0 < c.sweep_progress.reps_done < 6 * 3 * 3
    c.executor.shutdown()


def test_a_scenario_the_model_checks_refuse_is_an_error_in_the_tab(shared):
    from process_models.errors import UserError

    shared.save_scenario(SavedScenario(name="Utan datorer", model="skarholmen-current",
                                       overrides={"pools.no_such_pool.capacity": 3}))
    c = CompareState(shared, cache=ResultCache())
    c.param.update(chosen=["skarholmen-current", "Utan datorer"], replications=2)
    with pytest.raises(UserError):
        c.run()
    assert c.status == "error" and "no_such_pool" in c.error
    assert c.start().join(10) is None and c.status == "error"  # the worker thread reports it the same way
