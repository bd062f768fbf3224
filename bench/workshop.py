"""Benchmark: a slider change in the scenario builder until the updated 2 × 30 comparison is ready.

Target (issue 4): at most 3 s on this machine. Baseline, run in the same process on the same
executor: comparing the two scenarios from scratch with `simulation.compare`, which is what
the app would do without its per-scenario result cache. Prints the ratios; exits 1 when the
median slider-to-comparison time is over the target.
"""

from __future__ import annotations

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

    app, cold = statistics.median(app_times), statistics.median(cold_times)
    print(f"slider change -> comparison of 2 scenarios x {REPLICATIONS} replications")
    print(f"  app (cached baseline):       median {app:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in app_times)})")
    print(f"  baseline (compare from zero): median {cold:.2f} s")
    print(f"  ratio app / from-zero:        {app / cold:.2f}")
    print(f"  ratio app / target {TARGET_S:.0f} s:      {app / TARGET_S:.2f}")
    ok = app <= TARGET_S
    print("PASS" if ok else "FAIL: over the 3 s target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
