"""Benchmark: a slider change in the scenario builder until the updated 2 × 30 comparison is ready.

Two figures. State only (issue 4): the slider change to the comparison, in the state classes.
End to end in a browser (issue 13): the app served on 127.0.0.1, Debian's Chromium at
1280×720, from pressing "Kör jämförelse" (2 scenarios × 30 replications, a fresh seed each
time so nothing comes from the cache) until the headline cards of that comparison show.
Target for both: at most 3 s on this machine. Baseline, run in the same process on the same
executor: comparing the two scenarios from scratch with `simulation.compare`, which is what
the app would do without its per-scenario result cache. Prints the ratios; exits 1 when the
median slider-to-comparison time is over the target.
"""

from __future__ import annotations

import re
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import simulation  # noqa: E402
from workshop_app.engine import ResultCache  # noqa: E402
from workshop_app.executor import shared_executor  # noqa: E402
from workshop_app.state import StudioState  # noqa: E402

TARGET_S = 3.0
REPLICATIONS = 30
SEED = 2026
SLIDER_VALUES = (11, 12, 13, 14, 15)
BROWSER_SEEDS = (101, 102, 103)
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_times(executor) -> list[float]:
    """Seconds from the click on "Kör jämförelse" to the cards of that comparison, one per seed."""
    from playwright.sync_api import sync_playwright

    from workshop_app.app import serve

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = serve(Path(tmp) / "session.json", port=port, address="127.0.0.1", threaded=True, executor=executor)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.set_default_timeout(120_000)
                page.goto(f"http://127.0.0.1:{port}/")
                page.get_by_text("MBK Studio – verkstad").wait_for()
                page.locator(".bk-tab", has_text=re.compile("^Jämför$")).first.click()
                reps = page.get_by_label("Replikeringar").first
                reps.fill(str(REPLICATIONS))
                reps.press("Enter")
                seed = page.get_by_label("Slumpfrö").first
                times = []
                for n, value in enumerate((SEED, *BROWSER_SEEDS), start=1):  # the first warms the page and workers
                    seed.fill(str(value))
                    seed.press("Enter")
                    page.wait_for_timeout(300)
                    button = page.get_by_role("button", name="Kör jämförelse")
                    button.wait_for()
                    t0 = time.perf_counter()
                    button.click()
                    page.locator(f".mbk-cards[data-record='cmp_{n}'] .mbk-card").first.wait_for()
                    if n > 1:
                        times.append(time.perf_counter() - t0)
                    page.wait_for_timeout(1500)  # let the charts finish before the next run
                browser.close()
        finally:
            server.stop()
    return times


def main() -> int:
    executor = shared_executor(2)
    with tempfile.TemporaryDirectory() as tmp:
        state = StudioState(Path(tmp) / "session.json", executor=executor)
        state.compare.cache = ResultCache()
        builder, compare = state.builder, state.compare
        builder.param.update(base="skarholmen-kiosk", scenario_name="slider")
        builder.save()
        compare.refresh_choices()
        compare.param.update(chosen=["skarholmen-current", "slider"], baseline="skarholmen-current",
                             replications=REPLICATIONS, seed=SEED)
        compare.run()  # warm the workers and the baseline's cache entry, as a workshop would

        app_times, cold_times = [], []
        for value in SLIDER_VALUES:
            t0 = time.perf_counter()
            builder.public_computers = value  # the slider moves
            builder.save()
            compare.refresh_choices()
            comparison = compare.run()
            app_times.append(time.perf_counter() - t0)
            assert comparison is not None and compare.status == "done"

            t0 = time.perf_counter()
            simulation.compare([compare.scenario("skarholmen-current"), compare.scenario("slider")], baseline=0,
                               replications=REPLICATIONS, seed=SEED, executor=executor, keep_records=True)
            cold_times.append(time.perf_counter() - t0)

    clicks = browser_times(executor)
    app, cold, click = statistics.median(app_times), statistics.median(cold_times), statistics.median(clicks)
    print(f"slider change -> comparison of 2 scenarios x {REPLICATIONS} replications")
    print(f"  app (cached baseline):       median {app:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in app_times)})")
    print(f"  baseline (compare from zero): median {cold:.2f} s")
    print(f"  ratio app / from-zero:        {app / cold:.2f}")
    print(f"  ratio app / target {TARGET_S:.0f} s:      {app / TARGET_S:.2f}")
    print(f"browser, end to end: 'Kör jämförelse' -> headline cards, 2 x {REPLICATIONS}, nothing cached")
    print(f"  browser (1280x720 Chromium): median {click:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in clicks)})")
    print(f"  beside state only:            median {app:.2f} s (cached baseline), {cold:.2f} s (from zero)")
    print(f"  ratio browser / target {TARGET_S:.0f} s:  {click / TARGET_S:.2f}")
    ok = app <= TARGET_S and click <= TARGET_S
    print("PASS" if ok else "FAIL: over the 3 s target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
