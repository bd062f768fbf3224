"""The app's one door to the `simulation` package: scenarios, runs, the load check, a result cache.

Everything the app asks of the simulation goes through here, so the views never touch
the engine, and when the engine is missing the app says so instead of breaking.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

from process_models.numbers import number, percent
from process_models.schema import WEEKDAYS

from .texts import text

__all__ = ["available", "LoadRow", "load_check", "load_rows", "rows_of", "make_scenario", "scenario_key",
           "ResultCache", "RESULTS", "model_load_rows", "RunCancelled", "run_scenario", "run_scenarios",
           "compare_results", "comparison_figures", "step_waits", "chart_data", "sweep_cells", "VERDICTS",
           "run_city", "optimise_setups"]

#: The engine's verdict words -> the session's.
VERDICTS = {"better": "better", "worse": "worse", "no clear difference": "same", "": ""}
#: Pools drawn in the utilisation chart, each with its line style.
UTIL_POOLS = (("guides", "solid"), ("public_computers", "dashed"))
WAIT_BINS = 24


def available() -> bool:
    """True when the simulation package offers the API the app uses."""
    try:
        import simulation
    except Exception:  # an engine half-written by its owner must not take the app down
        return False
    return all(hasattr(simulation, name) for name in ("Scenario", "run", "compare", "load_check", "sweep"))


@dataclass(frozen=True)
class LoadRow:
    """One pool of the instant analytic estimate, ready to show."""

    pool: str
    label: str
    capacity: float
    offered: float
    utilisation: float | None
    wait: float | None
    warning: str | None


def make_scenario(name: str, model: str, overrides: dict | None = None):
    import simulation

    return simulation.Scenario(name=name, model=model, overrides=dict(overrides or {}))


def load_check(model: str, overrides: dict) -> tuple[list, object] | None:
    """(PoolLoads, built model) of a model with overrides; None when the simulation is missing."""
    if not available():
        return None
    import simulation

    key = (model, json.dumps(overrides, sort_keys=True, default=str))
    with _LOAD_LOCK:
        if key in _LOADS:
            return _LOADS[key]
    scenario = make_scenario("check", model, overrides)
    built = scenario.build_model()
    out = simulation.load_check(built), built
    with _LOAD_LOCK:
        _LOADS[key] = out
        while len(_LOADS) > LOAD_CACHE_SIZE:
            _LOADS.popitem(last=False)
    return out


#: Load checks by (model ref, overrides): refs are library names or versioned variants, so a result
#: never goes stale, and every browser that opens the app shares them instead of recomputing.
LOAD_CACHE_SIZE = 256
_LOADS: OrderedDict = OrderedDict()
_LOAD_LOCK = threading.Lock()


def load_rows(model: str, overrides: dict, lang: str) -> list[LoadRow] | None:
    """The load check of a model with overrides, in `lang`; None when the simulation is missing."""
    checked = load_check(model, overrides)
    if checked is None:
        return None
    loads, built = checked
    return rows_of(loads, built, lang)


def rows_of(loads, model, lang: str) -> list[LoadRow]:
    labels = {p.id: p.label.get(lang) for p in model.pools}
    return [_row(p, labels.get(p.pool, p.pool), lang) for p in loads]


def _warning(p, lang: str) -> str | None:
    """The engine's warning, said in the UI language from the PoolLoad's own figures."""
    if p.warning is None:
        return None
    pct = lambda x: percent(x, 0, lang)  # noqa: E731
    if p.warning_kind == "average":
        return text(lang, "lc_warn_over", load=number(p.offered_load, 1, lang), util=pct(p.utilisation),
                    need=p.capacity_for_1, need85=p.capacity_for_085)
    day, _, clock = p.peak_hour.partition(" ")
    hour = f"{text(lang, 'day_' + day)} {clock}" if day in WEEKDAYS else p.peak_hour
    if p.warning_kind == "off_shift":
        return text(lang, "lc_warn_off_shift", hour=hour, load=number(p.peak_load, 2, lang))
    return text(lang, "lc_warn_peak", hour=hour, load=number(p.peak_load, 1, lang),
                capacity=f"{p.peak_capacity:g}", util=pct(p.peak_utilisation), need=math.floor(p.peak_load) + 1)


def _row(p, label: str, lang: str) -> LoadRow:
    wait = p.erlang_c_wait
    return LoadRow(
        pool=p.pool,
        label=label,
        capacity=p.capacity,
        offered=float(p.offered_load),
        utilisation=float(p.utilisation),
        wait=None if wait is None else float(wait),
        warning=_warning(p, lang),
    )


def scenario_key(name: str, model: str, overrides: dict, seed: int, replications: int) -> str:
    """What makes two runs the same: the model, the overrides, seed and replications (not the name)."""
    return json.dumps([model, sorted(overrides.items()), seed, replications], default=str)


class ResultCache:
    """Run results per (scenario, seed, replications): nothing is simulated twice in a process.

    Results keep their records (for the charts), so the cache holds the `size` most
    recently used ones; a workshop day of slider moves does not fill the memory.
    """

    def __init__(self, size: int = 64) -> None:
        self._lock = threading.Lock()
        self._results: OrderedDict[str, object] = OrderedDict()
        self.size = size
        self.hits = 0
        self.misses = 0

    def get(self, key: str):
        with self._lock:
            result = self._results.get(key)
            if result is None:
                self.misses += 1
            else:
                self.hits += 1
                self._results.move_to_end(key)
            return result

    def put(self, key: str, result) -> None:
        with self._lock:
            self._results[key] = result
            self._results.move_to_end(key)
            while len(self._results) > self.size:
                self._results.popitem(last=False)

    def __len__(self) -> int:
        return len(self._results)


#: Shared by every browser session of the server: one group's run serves the others too.
RESULTS = ResultCache()


def model_load_rows(model, lang: str) -> list[LoadRow] | None:
    """The load check of a model object (a variant's draft), in `lang`; None when it cannot be made."""
    if not available():
        return None
    import simulation

    return rows_of(simulation.load_check(model), model, lang)


class RunCancelled(Exception):
    """The participant pressed cancel while the simulation ran."""


def _estimate(e) -> dict:
    return {"mean": float(e.mean), "low": float(e.low), "high": float(e.high), "n": int(e.n)}


def run_scenario(name: str, model: str, overrides: dict, *, replications: int, seed: int, executor=None,
                 progress=None, cancel: threading.Event | None = None):
    """Replicate one scenario (records kept for the charts); RunCancelled when `cancel` is set."""
    import simulation

    try:
        return simulation.run(make_scenario(name, model, overrides), replications=replications, seed=seed,
                              executor=executor, progress=progress, cancel=cancel)
    except simulation.Cancelled:
        raise RunCancelled() from None


def run_scenarios(scenarios: list[tuple[str, str, dict]], *, replications: int, seed: int, executor=None,
                  progress=None, cancel: threading.Event | None = None) -> list:
    """Replicate several scenarios in one plan (all workers busy at once); the same numbers as one by one.

    Args:
        scenarios: (name, model, overrides) each.
    """
    import simulation

    try:
        comparison = simulation.compare([make_scenario(*s) for s in scenarios], replications=replications, seed=seed,
                                        executor=executor, progress=progress, cancel=cancel, keep_records=True)
    except simulation.Cancelled:
        raise RunCancelled() from None
    return list(comparison.results)


def compare_results(names: list[str], results: list, baseline: int):
    """Pair finished runs (same seed and replications) into the engine's Comparison."""
    import simulation

    return simulation.Comparison(names=tuple(names), results=tuple(results), baseline=baseline)


def comparison_figures(comparison, kpis: tuple[str, ...]) -> list[dict]:
    """Per scenario: {kpi: estimate} and {kpi: difference with verdict}, JSON-ready, for `kpis` and per-step waits."""
    table = comparison.table()
    ests = comparison.kpis()
    out = []
    for i, (name, est) in enumerate(zip(comparison.names, ests)):
        keep = [k for k in est if k in kpis or k.startswith("wait.")]
        diffs = {}
        if i != comparison.baseline:
            for k in keep:
                d = table.loc[k] if k in table.index else None
                if d is None or math.isnan(d[f"{name} diff"]):
                    continue
                diffs[k] = {"mean": float(d[f"{name} diff"]), "low": float(d[f"{name} diff low"]),
                            "high": float(d[f"{name} diff high"]), "verdict": VERDICTS.get(d[f"{name} verdict"], "")}
        out.append({"kpis": {k: _estimate(est[k]) for k in keep}, "differences": diffs})
    return out


def step_waits(result) -> dict[str, float]:
    """Mean wait (minutes) per step of one run."""
    import simulation

    if result.records is None:
        return {}
    return {s: float(e.mean) for s, e in simulation.step_waits(result.records).items()}


def _by_hour(frame, value: str) -> dict[str, float]:
    g = frame.groupby("hour")[value].mean()
    return {str(int(h)): float(v) for h, v in g.items()}


def chart_data(names: list[str], results: list, lang_labels) -> dict:
    """The comparison's charts, aggregated so they fit in the session file.

    Args:
        lang_labels: pool id -> {lang: label}, for the utilisation lines' legend.
    Returns:
        {"waits": {"edges", "shares": {scenario: [...]}}, "queue": {scenario: {hour: mean}},
         "util": [{"scenario", "pool", "dash", "hours": {hour: mean}}], "pool_labels": {...}}
    """
    import numpy as np
    import simulation

    waits = {n: r.visitors["waited"].to_numpy() for n, r in zip(names, results) if r.records is not None}
    every = np.concatenate([w for w in waits.values() if len(w)]) if waits else np.zeros(0)
    top = max(5.0, float(np.quantile(every, 0.99))) if len(every) else 5.0
    edges = np.linspace(0, top, WAIT_BINS + 1)
    shares = {n: (np.histogram(np.clip(w, 0, top), bins=edges)[0] / max(1, len(w))).round(6).tolist()
              for n, w in waits.items()}
    queue, util, labels = {}, [], {}
    for n, r in zip(names, results):
        if r.records is None:
            continue
        q = simulation.hourly_queue_length(r.records).groupby(["weekday", "hour"], as_index=False)["queue_length"].sum()
        queue[n] = _by_hour(q, "queue_length")
        u = simulation.hourly_utilisation(r.records)
        for pool, dash in UTIL_POOLS:
            part = u[u["pool"] == pool].dropna()
            if not part.empty:
                util.append({"scenario": n, "pool": pool, "dash": dash, "hours": _by_hour(part, "utilisation")})
                labels[pool] = lang_labels(r.records.compiled.model, pool)
    return {"waits": {"edges": edges.round(4).tolist(), "shares": shares}, "queue": queue, "util": util,
            "pool_labels": labels}


def sweep_cells(cells: list[tuple[int, int, str, dict]], model: str, *, replications: int, seed: int,
                executor=None, progress=None, cancel: threading.Event | None = None) -> dict[tuple[int, int], dict]:
    """Run every buildable cell of a sweep in one plan (common random numbers).

    Args:
        cells: (x, y, name, overrides) per combination.
    Returns:
        (x, y) -> {"kpis": {kpi: estimate}} or {"problem": "s_cell_invalid"} for a cell whose model
        cannot be built; the other cells are run all the same.
    """
    import simulation
    from process_models.errors import UserError

    out, runnable = {}, []
    for x, y, name, overrides in cells:
        scenario = make_scenario(name, model, overrides)
        try:
            scenario.build_model()
        except UserError:
            out[(x, y)] = {"problem": "s_cell_invalid"}
            continue
        runnable.append(((x, y), scenario))
    if runnable:
        try:
            comparison = simulation.compare([s for _, s in runnable], replications=replications, seed=seed,
                                            executor=executor, progress=progress, cancel=cancel)
        except simulation.Cancelled:
            raise RunCancelled() from None
        for (xy, _), result in zip(runnable, comparison.results):
            out[xy] = {"kpis": {k: _estimate(e) for k, e in result.kpis().items()}}
    return out


def run_city(name: str, offices: list[tuple[str, str, dict]], *, replications: int, seed: int, executor=None,
             progress=None, cancel: threading.Event | None = None) -> dict:
    """Run several offices as a city (`simulation.city`): each office's KPIs and the total, side by side.

    Args:
        offices: (office name, model, overrides) each.
    Returns:
        {"columns": [office names..., "total"], "kpis": {column: {kpi: estimate}}, "warnings": {office: [...]}}.
    """
    import simulation
    from simulation.city import TOTAL, City, CityOffice

    city = City(name=name, offices=[CityOffice(name=n, model=m, overrides=dict(o)) for n, m, o in offices])
    try:
        result = simulation.run_city(city, replications=replications, seed=seed, executor=executor,
                                     progress=progress, cancel=cancel)
    except simulation.Cancelled:
        raise RunCancelled() from None
    kpis = result.kpis()
    return {"columns": [*result.offices, TOTAL],
            "kpis": {col: {k: _estimate(e) for k, e in est.items()} for col, est in kpis.items()},
            "warnings": dict(result.warnings)}


def optimise_setups(model: str, overrides: dict, vary: dict[str, list], objectives: list[str],
                    constraints: list[str], *, replications: int, seed: int, evaluations: int, population: int,
                    executor=None, progress=None, cancel: threading.Event | None = None) -> dict:
    """Search the set-ups for the Pareto front (simulation.optimise), JSON-ready.

    Args:
        vary: override path -> the values it may take; objectives, constraints: as `mbk optimise` takes them.
    Returns:
        {"front": [{"values", "overrides", "kpis": {kpi: estimate}}], "objectives": [kpi keys], "simulated": n}
    """
    import simulation
    from simulation import optimise as opt

    base = make_scenario("base", model, overrides)
    try:
        result = opt.optimise(base, opt.variables_from(vary), tuple(opt.parse_objective(o) for o in objectives),
                              tuple(opt.parse_constraint(c) for c in constraints), replications=replications,
                              seed=seed, evaluations=evaluations, population=population, executor=executor,
                              progress=progress, cancel=cancel)
    except simulation.Cancelled:
        raise RunCancelled() from None
    front = [{"values": dict(e.values), "overrides": dict(e.overrides),
              "kpis": {k: _estimate(v) for k, v in e.kpis.items() if "." not in k or k.startswith("cost.")}}
             for e in result.front]
    return {"front": front, "objectives": [o.kpi for o in result.objectives], "simulated": sum(1 for e in result.evaluated if not e.problem)}
