"""Benchmark of a city run (simulation/city.py) against its offices run one by one, in one process.

The city adds the offices' runs up; its only cost of its own should be the aggregation. Prints
wall time per figure, best of interleaved rounds, and whether the results are identical.
Usage: .venv/bin/python bench/city.py [--quick]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulation import run  # noqa: E402
from simulation.city import city_scenarios, load_city, office_seed, run_city  # noqa: E402
from simulation.executors import process_pool, shutdown_pools  # noqa: E402

QUICK = "--quick" in sys.argv
CITY = Path(__file__).resolve().parents[1] / "process_models" / "library" / "cities" / "stockholm.yaml"
REPLICATIONS = 4 if QUICK else 10
ROUNDS = 2 if QUICK else 3
TARGET = 1.1  # the city at most 10 % over its offices one by one


def _offices_alone(city, executor):
    return [run(s, replications=REPLICATIONS, seed=office_seed(0, s.name), executor=executor, keep_records=False)
            for s in city_scenarios(city)]


def main() -> int:
    city = load_city(CITY)
    run_city(city, replications=1)  # load the models and warm the caches for both contenders
    ok = True
    for label, executor in (("here", None), ("2 workers", process_pool(2))):
        best_city = best_alone = float("inf")
        for _ in range(ROUNDS):
            t = time.perf_counter()
            result = run_city(city, replications=REPLICATIONS, executor=executor)
            best_city = min(best_city, time.perf_counter() - t)
            t = time.perf_counter()
            alone = _offices_alone(city, executor)
            best_alone = min(best_alone, time.perf_counter() - t)
        same = all(result.offices[s.name] == list(r.rep_kpis) for s, r in zip(city_scenarios(city), alone))
        ratio = best_city / best_alone
        ok &= same and ratio <= TARGET
        print(f"{label}: city of {len(city.offices)} offices x {REPLICATIONS} replications {best_city:.2f} s, "
              f"offices one by one {best_alone:.2f} s: {ratio:.2f}x (target <= {TARGET}); identical: {same}")
    shutdown_pools()
    print("all targets met" if ok else "a target missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
