"""Benchmark of `mbk optimise`: NSGA-II's front against a grid sweep given the same simulated weeks.

The search varies four set-up figures of Skärholmen 2.0 (guides, public computers, kiosks, guides
on duty in the first hour), minimising the cost per week and the 90th percentile wait. Then a grid,
evenly spaced over the same ranges with no more set-ups than the search simulated, runs in the
same process on the same pool and seed. Both fronts are scored by their hypervolume (pymoo) in
objectives normalised over both, against the reference point 1.1 (bigger is better).
Targets: >= 4 decision variables, >= 10 set-ups on the front, the search in <= 120 s on 2 cores.
Usage: .venv/bin/python bench/optimise.py [--quick]
"""

from __future__ import annotations

import itertools
import math
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from pymoo.indicators.hv import HV  # noqa: E402

from simulation import compare, load_scenario  # noqa: E402
from simulation.executors import process_pool, shutdown_pools  # noqa: E402
from simulation.optimise import non_dominated, optimise, parse_objective, setup_overrides, variables_from  # noqa: E402

QUICK = "--quick" in sys.argv
VARY = {
    "pools.guides.capacity": list(range(2, 7)),
    "pools.public_computers.capacity": list(range(4, 15)),
    "pools.kiosk.capacity": list(range(1, 5)),
    "pools.guides.hours.9": list(range(1, 5)),
}
OBJECTIVES = (parse_objective("cost"), parse_objective("wait_p90"))
REPLICATIONS, SEED = 2, 2026
BUDGET = 40 if QUICK else 110
POPULATION = 12
TARGET_SECONDS, TARGET_FRONT, TARGET_VARS = 120.0, 10, 4


def grid_levels(vary: dict[str, list], budget: int) -> dict[str, list]:
    """Evenly spaced levels per variable, as many as fit: the product stays within `budget`."""
    counts = {k: 1 for k in vary}
    while True:
        best = None
        for k in vary:
            if counts[k] < len(vary[k]):
                trial = math.prod(counts.values()) // counts[k] * (counts[k] + 1)
                if trial <= budget and (best is None or counts[k] / len(vary[k]) < counts[best] / len(vary[best])):
                    best = k
        if best is None:
            break
        counts[best] += 1
    return {k: [vary[k][round(i * (len(vary[k]) - 1) / max(1, n - 1))] for i in range(n)] if n > 1
            else [vary[k][len(vary[k]) // 2]] for k, n in counts.items()}


def grid_front(base, levels: dict[str, list], executor) -> tuple[np.ndarray, int]:
    variables = variables_from(VARY)
    combos = [dict(zip(levels, c)) for c in itertools.product(*levels.values())]
    scenarios = []
    for combo in combos:
        values = {**{k: VARY[k][0] for k in VARY}, **combo}
        scenarios.append(base.with_overrides(setup_overrides(base, variables, values), name=str(combo)))
    results = compare(scenarios, replications=REPLICATIONS, seed=SEED, executor=executor).results
    pts = np.array([[o.sense * r.kpis()[o.kpi].mean for o in OBJECTIVES] for r in results], float)
    return pts[non_dominated(pts)], len(combos)


def hypervolumes(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    both = np.vstack([a, b])
    lo, hi = both.min(axis=0), both.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    hv = HV(ref_point=np.full(both.shape[1], 1.1))
    return float(hv((a - lo) / span)), float(hv((b - lo) / span))


def main() -> int:
    base = load_scenario("skarholmen-kiosk")
    executor = process_pool(2)
    executor.submit(os.getpid).result()  # the workers are up before the clock starts
    t = time.perf_counter()
    result = optimise(base, variables_from(VARY), OBJECTIVES, (), replications=REPLICATIONS, seed=SEED,
                      evaluations=BUDGET, population=POPULATION, executor=executor)
    search_s = time.perf_counter() - t
    searched = len(result.evaluated)
    levels = grid_levels(VARY, searched)
    t = time.perf_counter()
    grid, n_grid = grid_front(base, levels, executor)
    grid_s = time.perf_counter() - t
    hv_search, hv_grid = hypervolumes(result.points(), grid)
    weeks = base.weeks * REPLICATIONS
    print(f"decision variables: {len(VARY)} (grid of the full ranges: {math.prod(len(v) for v in VARY.values())} set-ups)")
    print(f"search: {searched} set-ups x {weeks} simulated weeks in {search_s:.1f} s, {result.generations} generations, "
          f"{len(result.front)} on the front")
    print(f"grid:   {n_grid} set-ups x {weeks} simulated weeks in {grid_s:.1f} s "
          f"({' x '.join(str(len(v)) for v in levels.values())}), {len(grid)} on its front")
    print(f"hypervolume (normalised, ref 1.1): search {hv_search:.4f}, grid {hv_grid:.4f}, "
          f"ratio {hv_search / hv_grid if hv_grid else float('inf'):.2f}x")
    checks = {f">= {TARGET_VARS} variables": len(VARY) >= TARGET_VARS,
              f">= {TARGET_FRONT} on the front": len(result.front) >= TARGET_FRONT,
              f"search <= {TARGET_SECONDS:.0f} s": search_s <= TARGET_SECONDS,
              "search beats grid (hypervolume)": hv_search > hv_grid}
    print("targets: " + "; ".join(f"{k}: {'pass' if ok else 'FAIL'}" for k, ok in checks.items()))
    shutdown_pools()
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
