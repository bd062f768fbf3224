"""State of the compare and sweep tabs: pick scenarios, run them with progress, cancel, tabulate.

Runs happen on a worker thread (`start`) or inline (`run`, what tests and the benchmark
call). Each scenario's result is cached per (model, overrides, seed, replications), so a
slider change re-runs only the scenario that changed. The views poll `version`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import param

from process_models import library_names
from process_models.errors import UserError

from . import engine
from .engine import RESULTS, ResultCache, scenario_key
from .shared_session import SharedSession
from .texts import UiError, default_models

log = logging.getLogger(__name__)

__all__ = ["CompareState", "CHART_KPIS", "FREED_KPIS", "TABLE_KPIS", "Progress"]

#: KPIs shown in the table, in this order (more are in the full table download).
TABLE_KPIS = ("mean_wait", "p90_wait", "within_10", "gave_up", "balked", "self_served_share",
              "staff_minutes_freed", "guide_minutes_freed", "served", "time_in_office")
CHART_KPIS = ("gave_up", "self_served_share", "staff_minutes_freed", "guide_minutes_freed")
#: KPIs that exist only against a baseline (paired per replication), not in a single run.
FREED_KPIS = ("staff_minutes_freed", "guide_minutes_freed")


@dataclass
class Progress:
    """Where a run is: scenarios finished of all, and replications of the current scenario."""

    scenarios_done: int = 0
    scenarios_total: int = 0
    reps_done: int = 0
    reps_total: int = 0

    @property
    def fraction(self) -> float:
        if not self.scenarios_total:
            return 0.0
        inner = self.reps_done / self.reps_total if self.reps_total else 0.0
        return min(1.0, (self.scenarios_done + inner) / self.scenarios_total)


class CompareState(param.Parameterized):
    """Choose 2–4 scenarios and a baseline, run them (cached), keep the comparison and charts' data."""

    chosen = param.ListSelector(default=[], objects=[])
    baseline = param.Selector(default=None, objects=[], allow_None=True)
    replications = param.Integer(default=10, bounds=(2, 200))
    seed = param.Integer(default=2026, bounds=(0, None))
    status = param.Selector(default="idle", objects=["idle", "running", "done", "cancelled", "error"])
    error = param.String(default="")
    version = param.Integer(default=0, doc="Bumped whenever something a view shows changed.")
    step_waits = param.Dict(default={}, doc="model id -> {step id: mean wait} of the last run.")
    # sweep
    sweep_scenario = param.Selector(default=None, objects=[], allow_None=True)
    sweep_x = param.Selector(default=None, objects=[], allow_None=True)
    sweep_y = param.Selector(default=None, objects=[], allow_None=True)
    sweep_x_values = param.String(default="5,7,9,11")
    sweep_y_values = param.String(default="2,3,4")
    sweep_metric = param.Selector(default="mean_wait", objects=["mean_wait", "p90_wait"])
    sweep_replications = param.Integer(default=3, bounds=(1, 50))

    def __init__(self, shared: SharedSession, *, executor=None, cache: ResultCache = RESULTS, **params):
        super().__init__(**params)
        self.shared, self.executor, self.cache = shared, executor, cache
        self.progress = Progress()
        self.results: dict[str, object] = {}  # scenario name -> RunResult, as they finish
        self.estimates: dict[str, tuple] = {}  # scenario name -> (PoolLoads, model): the instant estimate
        self.comparison = None
        self.sweep_frame: pd.DataFrame | None = None
        self._cancel = threading.Event()
        self._sweep_cancel = threading.Event()
        self.sweep_progress = Progress()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.refresh_choices()
        defaults = default_models(library_names())
        if not self.chosen:
            self.chosen = defaults
        self.baseline = self.baseline or defaults[0]
        self.sweep_scenario = self.sweep_scenario or defaults[-1]
        self._estimate_on_choice()

    # --- the scenario catalogue ------------------------------------------------------
    def catalogue(self) -> dict[str, tuple[str, dict]]:
        """Scenario name -> (model, overrides): the library models as they are, then saved scenarios."""
        out = {name: (name, {}) for name in library_names()}
        out.update({Path(ref).stem: (ref, {}) for ref in self.shared.uploaded_models()})
        out.update({name: (ref, {}) for name, ref in self.shared.variant_refs().items()})
        for s in self.shared.data.scenarios:
            out[s.name] = (s.model, dict(s.overrides))
        return out

    def refresh_choices(self) -> None:
        names = list(self.catalogue())
        self.param.chosen.objects = names
        self.param.baseline.objects = names
        self.param.sweep_scenario.objects = names
        self.chosen = [c for c in self.chosen if c in names]
        if self.baseline not in names:
            self.baseline = names[0]
        self._refresh_sweep_pools()

    @param.depends("sweep_scenario", watch=True)
    def _refresh_sweep_pools(self) -> None:
        if not self.sweep_scenario or self.sweep_scenario not in self.catalogue():
            return
        model, _ = self.catalogue()[self.sweep_scenario]
        from process_models import load_model

        pools = [p.id for p in load_model(model).pools if p.capacity > 0]
        self.param.sweep_x.objects = pools
        self.param.sweep_y.objects = pools
        if self.sweep_x not in pools:
            self.sweep_x = "public_computers" if "public_computers" in pools else pools[0]
        if self.sweep_y not in pools:
            self.sweep_y = "guides" if "guides" in pools else pools[-1]

    def scenario(self, name: str):
        model, overrides = self.catalogue()[name]
        return engine.make_scenario(name, model, overrides)

    # --- instant estimate ------------------------------------------------------------
    def estimate(self) -> dict[str, tuple]:
        """The analytic load check of every chosen scenario, (PoolLoads, model) each: no simulation."""
        out = {}
        for name in self.chosen:
            model, overrides = self.catalogue()[name]
            checked = engine.load_check(model, overrides)
            if checked is not None:
                out[name] = checked
        self.estimates = out
        self.version += 1
        return out

    @param.depends("chosen", watch=True)
    def _estimate_on_choice(self) -> None:
        """Picking scenarios shows their instant estimate at once, before anything is run."""
        if self.status == "running":
            return
        try:
            self.estimate()
        except UserError:  # a saved scenario the checks refuse: the run will say so
            pass

    def estimate_rows(self, name: str, lang: str) -> list:
        loads, model = self.estimates[name]
        return engine.rows_of(loads, model, lang)

    # --- running ---------------------------------------------------------------------
    def _check_choice(self) -> list[str]:
        names = list(self.chosen)
        if not 2 <= len(names) <= 4:
            raise UiError("c_pick_two")
        if self.baseline not in names:
            self.baseline = names[0]
        return names

    def run(self) -> object:
        """Run the chosen scenarios (cached) and build the comparison; returns it."""
        try:
            if not engine.available():
                raise UiError("sim_unavailable")
            names = self._check_choice()
        except UiError as exc:
            self.param.update(status="error", error=exc.key)
            self.version += 1
            raise
        self._cancel.clear()
        self.results, self.comparison = {}, None
        self.progress = Progress(scenarios_total=len(names))
        self.param.update(status="running", error="")
        import simulation

        try:
            self.estimate()
            for name in names:
                self.results[name] = self._run_one(name)
                self.progress.scenarios_done += 1
                self.progress.reps_done = 0
                self.version += 1
            base = names.index(self.baseline)
            self.comparison = simulation.Comparison(names=tuple(names), results=tuple(self.results[n] for n in names),
                                                    baseline=base)
        except simulation.Cancelled:
            self.status = "cancelled"
            self.version += 1
            return None
        except Exception as exc:  # e.g. overrides the model's checks refuse: say so in the tab
            self.param.update(status="error", error=exc.key if isinstance(exc, UiError) else str(exc))
            self.version += 1
            raise
        self._publish_waits()
        self._record_results(names)
        self.status = "done"
        self.version += 1
        return self.comparison

    def _run_one(self, name: str):
        import simulation

        model, overrides = self.catalogue()[name]
        key = scenario_key(name, model, overrides, self.seed, self.replications)
        cached = self.cache.get(key)
        if cached is not None:
            return cached

        def progress(done, total=None, *_):
            self.progress.reps_done, self.progress.reps_total = done, total or self.replications
            self.version += 1

        result = simulation.run(self.scenario(name), replications=self.replications, seed=self.seed,
                                executor=self.executor, progress=progress, cancel=self._cancel)
        self.cache.put(key, result)
        return result

    def start(self) -> threading.Thread | None:
        """Run on a worker thread; the views poll `version` and `status`."""
        if self.status == "running":
            return self._thread
        try:
            self._check_choice()
        except UiError as exc:
            self.param.update(status="error", error=exc.key)
            self.version += 1
            return None

        def work():
            try:
                self.run()
            except Exception:  # run() put the error in `status` and `error` for the tab; the operator sees it here
                log.exception("comparison run failed in the background")

        self._thread = threading.Thread(target=work, name="mbk-compare", daemon=True)
        self._thread.start()
        return self._thread

    def cancel(self) -> None:
        self._cancel.set()

    def _publish_waits(self) -> None:
        """Mean wait per step of every scenario's model, for painting the maps."""
        import simulation

        waits: dict[str, dict[str, float]] = {}
        for name, result in self.results.items():
            if result.records is None:
                continue
            model_id = result.records.compiled.model.id
            if model_id in waits:  # the first scenario of a model paints it (the baseline goes first)
                continue
            waits[model_id] = {s: e.mean for s, e in simulation.step_waits(result.records).items()}
        self.step_waits = waits

    def _record_results(self, names: list[str]) -> None:
        from process_models.session import ScenarioResult

        freed = self.freed_estimates()
        for name in names:
            kpis = {k: v for k, v in self.results[name].kpis().items() if k in TABLE_KPIS or k.startswith("wait.")}
            kpis.update(freed.get(name, {}))
            self.shared.record_result(ScenarioResult(scenario=name, replications=self.replications, seed=self.seed,
                                                     kpis=kpis, baseline=self.baseline))

    # --- what the views show ---------------------------------------------------------
    def kpi_table(self) -> pd.DataFrame | None:
        """The engine's comparison table restricted to the headline KPIs, in display order.

        Staff and guide minutes freed are the engine's paired differences of busy minutes
        against the baseline, turned round (fewer busy minutes = more minutes freed).
        """
        if self.comparison is None:
            return None
        table = self.comparison.table()
        return table.loc[[k for k in TABLE_KPIS if k in table.index]]

    def freed_estimates(self) -> dict[str, dict]:
        """Scenario -> {freed KPI: Estimate} against the baseline (0 for the baseline itself)."""
        if self.comparison is None:
            return {}
        return {name: {k: est[k] for k in FREED_KPIS if k in est}
                for name, est in zip(self.comparison.names, self.comparison.kpis())}

    def partial_kpis(self) -> dict[str, dict]:
        """KPI estimates of the scenarios finished so far (before the comparison is complete)."""
        return {name: r.kpis() for name, r in list(self.results.items())}

    # --- sweep -----------------------------------------------------------------------
    def sweep_values(self, which: str) -> list[int]:
        raw = self.sweep_x_values if which == "x" else self.sweep_y_values
        try:
            values = sorted({int(v) for v in raw.replace(";", ",").split(",") if v.strip()})
        except ValueError:
            raise UiError("s_bad_values", value=raw) from None
        if not values or any(v < 0 for v in values):
            raise UiError("s_bad_values", value=raw)
        return values

    def run_sweep(self) -> pd.DataFrame:
        """Vary two pools' capacities over the given values; one cell per combination."""
        if not engine.available():
            raise UiError("sim_unavailable")
        import simulation

        vary = {f"pools.{self.sweep_x}.capacity": self.sweep_values("x"),
                f"pools.{self.sweep_y}.capacity": self.sweep_values("y")}
        self._sweep_cancel.clear()
        self.sweep_progress = Progress(scenarios_total=1)

        def progress(done, total):
            self.sweep_progress.reps_done, self.sweep_progress.reps_total = done, total

        try:
            frame = simulation.sweep(self.scenario(self.sweep_scenario), vary, replications=self.sweep_replications,
                                     seed=self.seed, executor=self.executor, progress=progress,
                                     cancel=self._sweep_cancel)
        except simulation.Cancelled:
            raise UiError("c_status_cancelled") from None
        self.sweep_frame = frame
        self.version += 1
        return frame

    def cancel_sweep(self) -> None:
        self._sweep_cancel.set()
