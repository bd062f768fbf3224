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

from process_models.schema import WEEKDAYS

from .texts import text

__all__ = ["available", "LoadRow", "load_check", "load_rows", "rows_of", "make_scenario", "scenario_key",
           "ResultCache", "RESULTS", "model_load_rows"]


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
    pct = lambda x: f"{x:.0%}".replace("%", " %")  # noqa: E731
    if p.warning_kind == "average":
        return text(lang, "lc_warn_over", load=f"{p.offered_load:.1f}", util=pct(p.utilisation),
                    need=p.capacity_for_1, need85=p.capacity_for_085)
    day, _, clock = p.peak_hour.partition(" ")
    hour = f"{text(lang, 'day_' + day)} {clock}" if day in WEEKDAYS else p.peak_hour
    if p.warning_kind == "off_shift":
        return text(lang, "lc_warn_off_shift", hour=hour, load=f"{p.peak_load:.2f}")
    return text(lang, "lc_warn_peak", hour=hour, load=f"{p.peak_load:.1f}",
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
