"""State of the compare and sweep tabs: pick scenarios, run them with progress, cancel, keep the results.

A finished comparison or sweep goes into the shared session as a record, once; every browser
shows the record it has open (`shown`), so a run made in one browser is seen in all of them
without running it again. Runs happen on a worker thread (`start`) or inline (`run`, what
tests and the benchmark call). Each scenario's result is cached per (model, overrides, seed,
replications), so a slider change re-runs only the scenario that changed. Views bind to the
parameters; `sync()` (the page's poll) picks up what other browsers recorded.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pandas as pd
import param

from process_models import library_names
from process_models.disclosure import GROUPS, split_key
from process_models.errors import UserError
from process_models.session import ComparedScenario, ComparisonRecord, SweepCell, SweepRecord

from . import engine
from .builder import capacity_overrides
from .engine import RESULTS, ResultCache, scenario_key
from .model_names import model_facts
from .shared_session import SharedSession
from .texts import LANGS, UiError, default_models

__all__ = ["CompareState", "SweepState", "CHART_KPIS", "FREED_KPIS", "TABLE_KPIS", "HEADLINE_KPIS",
           "PERCENT_KPIS", "COST_CARD_KPI", "COST_CHART_KPIS", "RECORD_KPIS", "kpi_frame", "chart_inputs"]

log = logging.getLogger(__name__)

#: KPIs shown in the table, in this order (more are in the full table download).
TABLE_KPIS = ("mean_wait", "p90_wait", "within_10", "gave_up", "balked", "self_served_share",
              "staff_minutes_freed", "guide_minutes_freed", "served", "time_in_office")
CHART_KPIS = ("gave_up", "self_served_share", "staff_minutes_freed", "guide_minutes_freed")
#: The cards on top of the compare tab, in this order.
HEADLINE_KPIS = ("mean_wait", "p90_wait", "self_served_share", "staff_minutes_freed", "gave_up")
#: KPIs that exist only against a baseline (paired per replication), not in a single run.
FREED_KPIS = ("staff_minutes_freed", "guide_minutes_freed")
PERCENT_KPIS = frozenset({"self_served_share", "within_10", "within_20"})
#: The cost card beside the headline cards, and the cost chart's bars (simulation/costs.py; only costed models).
COST_CARD_KPI = "cost.week"
COST_CHART_KPIS = ("cost.week", "payback_years")
#: What a comparison keeps per scenario (and so the session's results the report reads): the table's
#: KPIs, the cost KPIs and the share who manage on their own for women and men.
RECORD_KPIS = TABLE_KPIS + ("cost.week", "cost.year", "cost.per_visitor", "cost.per_errand", "one_off_cost",
                            "cost_saving.year", "staff_value_freed.year", "net_benefit.year", "payback_years",
                            "payback_years.with_time",
                            *(split_key(k, g) for k in ("arrived", "self_served_share") for g in GROUPS))


def _labels(label) -> dict[str, str]:
    return {lang: label.get(lang) for lang in LANGS}


def kpi_frame(record: ComparisonRecord, kpis: tuple[str, ...] = TABLE_KPIS) -> pd.DataFrame:
    """A comparison record as a table: rows KPIs; per scenario mean, low, high, and diff, diff low/high, verdict."""
    cols: dict[str, list] = {}
    rows = [k for k in kpis if any(k in s.kpis for s in record.scenarios)]
    for s in record.scenarios:
        cols[s.name] = [s.kpis[k].mean if k in s.kpis else float("nan") for k in rows]
        cols[f"{s.name} low"] = [s.kpis[k].low if k in s.kpis else float("nan") for k in rows]
        cols[f"{s.name} high"] = [s.kpis[k].high if k in s.kpis else float("nan") for k in rows]
        if s.name == record.baseline:
            continue
        d = s.differences
        cols[f"{s.name} diff"] = [d[k].mean if k in d else float("nan") for k in rows]
        cols[f"{s.name} diff low"] = [d[k].low if k in d else float("nan") for k in rows]
        cols[f"{s.name} diff high"] = [d[k].high if k in d else float("nan") for k in rows]
        cols[f"{s.name} verdict"] = [d[k].verdict if k in d else "" for k in rows]
    return pd.DataFrame(cols, index=pd.Index(rows, name="kpi"))


class _Catalogue:
    """The scenarios a room can run: library models as they are, uploads, then saved scenarios."""

    shared: SharedSession

    def catalogue(self) -> dict[str, tuple[str, dict]]:
        """Scenario name -> (model, overrides)."""
        out = {name: (name, {}) for name in library_names()}
        out.update({Path(ref).stem: (ref, {}) for ref in self.shared.uploaded_models()})
        out.update({name: (ref, {}) for name, ref in self.shared.variant_refs().items()})
        for s in self.shared.data.scenarios:
            out[s.name] = (s.model, dict(s.overrides))
        return out

    def label(self, name: str) -> dict[str, str]:
        """What a scenario is called on screen, per language: a model's own name, a saved scenario's name."""
        model, overrides = self.catalogue()[name]
        if name == model or name == Path(model).stem and not overrides:
            try:
                return dict(model_facts(model)[0])
            except UserError:  # an upload gone from disk: its file name will do
                pass
        return {lang: name for lang in LANGS}

    def scenario(self, name: str):
        model, overrides = self.catalogue()[name]
        return engine.make_scenario(name, model, overrides)


class CompareState(_Catalogue, param.Parameterized):
    """Choose 2–4 scenarios and a baseline, run them (cached), record the comparison in the session."""

    chosen = param.ListSelector(default=[], objects=[])
    baseline = param.Selector(default=None, objects=[], allow_None=True)
    replications = param.Integer(default=10, bounds=(2, 200))
    seed = param.Integer(default=2026, bounds=(0, None))
    status = param.Selector(default="idle", objects=["idle", "running", "done", "cancelled", "error"])
    error = param.String(default="", doc="Text key of the last error (its values in `error_values`).")
    error_values = param.Dict(default={})
    progress = param.Number(default=0.0, bounds=(0, 1), doc="Share of this browser's run done.")
    scenarios_done = param.Integer(default=0)
    partial = param.Dict(default={}, doc="scenario -> {kpi: mean} of the scenarios finished so far.")
    estimates = param.Dict(default={}, doc="scenario -> (PoolLoads, model): the instant estimate.")
    shown = param.Selector(default=None, objects=[], allow_None=True, doc="Id of the comparison on screen.")
    record = param.ClassSelector(class_=ComparisonRecord, default=None, allow_None=True)
    step_waits = param.Dict(default={}, doc="model id -> {step id: mean wait} of the comparison shown.")

    def __init__(self, shared: SharedSession, *, executor=None, cache: ResultCache = RESULTS,
                 author: Callable[[], str] = lambda: "", **params):
        super().__init__(**params)
        self.shared, self.executor, self.cache, self.author = shared, executor, cache, author
        self.results: dict[str, object] = {}  # scenario name -> RunResult of this browser's last run
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.refresh_choices()
        defaults = default_models(library_names())
        if not self.chosen:
            self.chosen = defaults
        self.baseline = self.baseline or defaults[0]
        self._estimate_on_choice()
        self.sync()

    # --- the scenario catalogue ------------------------------------------------------
    def refresh_choices(self) -> None:
        names = list(self.catalogue())
        self.param.chosen.objects = names
        self.param.baseline.objects = names
        self.chosen = [c for c in self.chosen if c in names]
        if self.baseline not in names:
            default = default_models(library_names())[0]
            self.baseline = default if default in names else names[0]

    # --- the room's comparisons ------------------------------------------------------
    def sync(self) -> None:
        """Offer every comparison in the session; a new one (from any browser) is shown at once."""
        ids = [c.id for c in self.shared.data.comparisons]
        known = list(self.param.shown.objects)
        if ids == known:
            return
        self.param.shown.objects = ids
        if ids and (self.shown is None or ids[-1] not in known):
            self.shown = ids[-1]

    @param.depends("shown", watch=True)
    def _show(self) -> None:
        record = self.shared.comparison(self.shown) if self.shown else None
        waits: dict[str, dict[str, float]] = {}
        for s in record.scenarios if record else ():
            if s.model_id and s.model_id not in waits:  # the first scenario of a model paints it
                waits[s.model_id] = dict(s.step_waits)
        self.param.update(record=record, step_waits=waits)

    # --- instant estimate ------------------------------------------------------------
    def estimate(self) -> dict[str, tuple]:
        """The analytic load check of every chosen scenario, (PoolLoads, model) each: no simulation."""
        out = {}
        for name in self.chosen:
            model, overrides = self.catalogue()[name]
            try:
                checked = engine.load_check(model, overrides)
            except UserError:  # a saved scenario the checks refuse: the run will say so
                continue
            if checked is not None:
                out[name] = checked
        self.estimates = out
        return out

    @param.depends("chosen", watch=True)
    def _estimate_on_choice(self) -> None:
        """Picking scenarios shows their instant estimate at once, before anything is run."""
        if self.status != "running":
            self.estimate()

    def estimate_rows(self, name: str, lang: str) -> list:
        loads, model = self.estimates[name]
        return engine.rows_of(loads, model, lang)

    # --- running ---------------------------------------------------------------------
    def _fail(self, key: str, **values) -> UiError:
        self.param.update(status="error", error=key, error_values=values)
        return UiError(key, **values)

    def _check_choice(self) -> list[str]:
        if not engine.available():
            raise self._fail("sim_unavailable")
        names = list(self.chosen)
        if not 2 <= len(names) <= 4:
            raise self._fail("c_pick_two")
        for name in names:
            model, overrides = self.catalogue()[name]
            try:
                engine.load_check(model, overrides)
            except UserError as exc:
                log.info("scenario %s cannot be built: %s", name, exc)
                raise self._fail("c_invalid_scenario", name=self.label(name)["sv"]) from None
        if self.baseline not in names:
            self.baseline = names[0]
        return names

    def run(self) -> ComparisonRecord | None:
        """Run the chosen scenarios (cached), record the comparison in the session and show it."""
        names = self._check_choice()
        self._cancel.clear()
        self.results = {}
        self.param.update(status="running", error="", progress=0.0, scenarios_done=0, partial={})
        try:
            self._run_all(names)
            record = self._record(names)
        except engine.RunCancelled:
            self.status = "cancelled"
            return None
        except Exception as exc:
            log.exception("comparison failed")
            raise self._fail("c_status_error", error=type(exc).__name__) from exc
        record = self.shared.record_comparison(record)
        self.sync()
        self.param.update(shown=record.id, status="done")
        return record

    def _run_all(self, names: list[str]) -> None:
        """Cached scenarios at once, the others together in one plan so every worker is busy."""
        keys = {n: scenario_key(n, *self.catalogue()[n], self.seed, self.replications) for n in names}
        for name in names:
            cached = self.cache.get(keys[name])
            if cached is not None:
                self._finished(name, cached)
        todo = [n for n in names if n not in self.results]
        if not todo:
            return
        done_before = len(self.results)

        def progress(done, total=None, *_):
            self.progress = min(1.0, (done_before + len(todo) * done / (total or 1)) / len(names))

        results = engine.run_scenarios([(n, *self.catalogue()[n]) for n in todo], replications=self.replications,
                                       seed=self.seed, executor=self.executor, progress=progress, cancel=self._cancel)
        for name, result in zip(todo, results):
            self.cache.put(keys[name], result)
            self._finished(name, result)

    def _finished(self, name: str, result) -> None:
        self.results[name] = result
        self.param.update(scenarios_done=len(self.results), partial={
            **self.partial, name: {k: e.mean for k, e in result.kpis().items()}})

    def _record(self, names: list[str]) -> ComparisonRecord:
        results = [self.results[n] for n in names]
        comparison = engine.compare_results(names, results, names.index(self.baseline))
        figures = engine.comparison_figures(comparison, RECORD_KPIS)
        scenarios = []
        for name, result, fig in zip(names, results, figures):
            model, overrides = self.catalogue()[name]
            model_id = result.records.compiled.model.id if result.records is not None else ""
            scenarios.append(ComparedScenario(name=name, label=self.label(name), model=model, model_id=model_id,
                                              overrides=overrides, kpis=fig["kpis"], differences=fig["differences"],
                                              step_waits=engine.step_waits(result)))
        charts = engine.chart_data(names, results, lambda m, pool: _labels(m.pool(pool).label))
        return ComparisonRecord(id="cmp_0", created=datetime.now(timezone.utc).replace(microsecond=0),
                                author=self.author(), baseline=self.baseline, replications=self.replications,
                                seed=self.seed, scenarios=scenarios, charts=charts)

    def start(self) -> threading.Thread | None:
        """Run on a worker thread; the views follow `status`, `progress` and `shown`."""
        if self.status == "running":
            return self._thread
        try:
            self._check_choice()
        except UiError:
            return None

        def work():
            try:
                self.run()
            except Exception:  # run() put the error in `status` and `error` for the tab; the operator sees it here
                log.exception("comparison run failed in the background")

        self.status = "running"
        self._thread = threading.Thread(target=work, name="mbk-compare", daemon=True)
        self._thread.start()
        return self._thread

    def cancel(self) -> None:
        self._cancel.set()

    # --- what the views show ---------------------------------------------------------
    def kpi_table(self) -> pd.DataFrame | None:
        """The shown comparison's table of the headline KPIs, in display order."""
        return None if self.record is None else kpi_frame(self.record)

    def kpi_csv(self, lang: str) -> str:
        """The shown comparison's KPI table as CSV, KPI and scenario names in `lang`."""
        from .texts import text

        table = self.kpi_table()
        if table is None:
            return ""
        labels = {s.name: s.label.get(lang, s.name) for s in self.record.scenarios}
        words = {"low": text(lang, "csv_low"), "high": text(lang, "csv_high"), "diff": text(lang, "csv_diff"),
                 "diff low": text(lang, "csv_diff_low"), "diff high": text(lang, "csv_diff_high"),
                 "verdict": text(lang, "csv_verdict")}

        def column(c: str) -> str:
            for s, label in labels.items():
                if c == s:
                    return label
                if c.startswith(s + " ") and c[len(s) + 1:] in words:
                    return f"{label} – {words[c[len(s) + 1:]]}"
            return c
        out = table.rename(columns=column, index=lambda k: text(lang, f"kpi_{k}"))
        verdicts = [c for c in table.columns if c.endswith(" verdict")]
        for c in verdicts:
            out[column(c)] = [text(lang, {"better": "c_better", "worse": "c_worse", "same": "c_same"}[v]) if v else ""
                              for v in table[c]]
        out.index.name = text(lang, "c_kpi")
        return out.to_csv(float_format="%.4g")


class SweepState(_Catalogue, param.Parameterized):
    """Vary two pools' capacities over typed values; one cell per combination, kept in the session."""

    scenario_name = param.Selector(default=None, objects=[], allow_None=True)
    x = param.Selector(default=None, objects=[], allow_None=True)
    y = param.Selector(default=None, objects=[], allow_None=True)
    x_values = param.String(default="5,7,9,11")
    y_values = param.String(default="2,3,4")
    metric = param.Selector(default="mean_wait", objects=["mean_wait", "p90_wait"])
    replications = param.Integer(default=3, bounds=(1, 50))
    seed = param.Integer(default=2026, bounds=(0, None))
    status = param.Selector(default="idle", objects=["idle", "running", "done", "cancelled", "error"])
    error = param.String(default="")
    error_values = param.Dict(default={})
    progress = param.Number(default=0.0, bounds=(0, 1))
    shown = param.Selector(default=None, objects=[], allow_None=True)
    record = param.ClassSelector(class_=SweepRecord, default=None, allow_None=True)

    def __init__(self, shared: SharedSession, *, executor=None, author: Callable[[], str] = lambda: "", **params):
        super().__init__(**params)
        self.shared, self.executor, self.author = shared, executor, author
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.refresh_choices()
        self._refresh_pools()
        self.sync()

    def refresh_choices(self) -> None:
        names = list(self.catalogue())
        self.param.scenario_name.objects = names
        if self.scenario_name not in names:
            default = default_models(library_names())[-1]
            self.scenario_name = default if default in names else names[0]

    def base_model(self):
        """The scenario's model with its overrides applied (what the cells vary)."""
        return self.scenario(self.scenario_name).build_model()

    @param.depends("scenario_name", watch=True)
    def _refresh_pools(self) -> None:
        if not self.scenario_name:
            return
        pools = [p.id for p in self.base_model().pools if p.capacity > 0]
        self.param.x.objects = pools
        self.param.y.objects = pools
        if self.x not in pools:
            self.x = "public_computers" if "public_computers" in pools else pools[0]
        if self.y not in pools:
            self.y = "guides" if "guides" in pools else pools[-1]

    def pool_labels(self, lang: str) -> dict[str, str]:
        """Pool label in `lang` -> pool id, for the pickers."""
        model = self.base_model()
        return {model.pool(p).label.get(lang): p for p in self.param.x.objects}

    def values(self, which: str) -> list[int]:
        raw = self.x_values if which == "x" else self.y_values
        try:
            values = sorted({int(v) for v in raw.replace(";", ",").split(",") if v.strip()})
        except ValueError:
            raise UiError("s_bad_values", value=raw) from None
        if not values or any(v < 0 for v in values):
            raise UiError("s_bad_values", value=raw)
        return values

    # --- the room's sweeps -----------------------------------------------------------
    def sync(self) -> None:
        ids = [c.id for c in self.shared.data.sweeps]
        known = list(self.param.shown.objects)
        if ids == known:
            return
        self.param.shown.objects = ids
        if ids and (self.shown is None or ids[-1] not in known):
            self.shown = ids[-1]

    @param.depends("shown", watch=True)
    def _show(self) -> None:
        self.record = self.shared.sweep(self.shown) if self.shown else None

    # --- running ---------------------------------------------------------------------
    def _fail(self, key: str, **values) -> UiError:
        self.param.update(status="error", error=key, error_values=values)
        return UiError(key, **values)

    def _cells(self) -> list[tuple[int, int, str, dict]]:
        """(x, y, name, overrides) per combination, each pool's skill sets cut to its capacity."""
        if not engine.available():
            raise self._fail("sim_unavailable")
        try:
            xs, ys = self.values("x"), self.values("y")
        except UiError as exc:
            raise self._fail(exc.key, **exc.values) from None
        if self.x == self.y:
            raise self._fail("s_same_pool")
        model = self.base_model()
        _, overrides = self.catalogue()[self.scenario_name]
        return [(x, y, f"{self.scenario_name} {x}×{y}",
                 {**overrides, **capacity_overrides(model.pool(self.x), x), **capacity_overrides(model.pool(self.y), y)})
                for x in xs for y in ys]

    def run(self) -> SweepRecord | None:
        """Run every cell that makes a valid model; the others are kept as cells that cannot be built."""
        cells = self._cells()
        model_ref, overrides = self.catalogue()[self.scenario_name]
        self._cancel.clear()
        self.param.update(status="running", error="", progress=0.0)

        def progress(done, total):
            self.progress = min(1.0, done / total) if total else 0.0

        try:
            out = engine.sweep_cells(cells, model_ref, replications=self.replications, seed=self.seed,
                                     executor=self.executor, progress=progress, cancel=self._cancel)
        except engine.RunCancelled:
            self.status = "cancelled"
            return None
        except Exception as exc:
            log.exception("sweep failed")
            raise self._fail("c_status_error", error=type(exc).__name__) from exc
        model = self.base_model()
        record = SweepRecord(
            id="swp_0", created=datetime.now(timezone.utc).replace(microsecond=0), author=self.author(),
            scenario=self.scenario_name, model=model_ref, overrides=overrides, x_pool=self.x, y_pool=self.y,
            labels={p: _labels(model.pool(p).label) for p in (self.x, self.y)},
            replications=self.replications, seed=self.seed,
            cells=[SweepCell(x=x, y=y, **out[(x, y)]) for x, y, _, _ in cells])
        record = self.shared.record_sweep(record)
        self.sync()
        self.param.update(shown=record.id, status="done")
        return record

    def start(self) -> threading.Thread | None:
        if self.status == "running":
            return self._thread
        try:
            self._cells()
        except UiError:
            return None

        def work():
            try:
                self.run()
            except Exception:  # run() put the error in `status` for the tab; the operator sees it here
                log.exception("sweep run failed in the background")

        self.status = "running"
        self._thread = threading.Thread(target=work, name="mbk-sweep", daemon=True)
        self._thread.start()
        return self._thread

    def cancel(self) -> None:
        self._cancel.set()

    def frame(self) -> pd.DataFrame | None:
        """The shown sweep as rows x, y, mean_wait, p90_wait (NaN where the cell could not be built), problem."""
        r = self.record
        if r is None:
            return None
        return pd.DataFrame([{"x": c.x, "y": c.y, "problem": c.problem,
                              **{k: c.kpis[k].mean if k in c.kpis else float("nan") for k in ("mean_wait", "p90_wait")}}
                             for c in r.cells])


def chart_inputs(record: ComparisonRecord, lang: str) -> dict:
    """What the comparison's charts draw, from a record, with scenario and pool names in `lang`.

    Returns:
        {"waits": (edges, {label: shares}), "queue": frame, "util": frame (series, hour, value, colour, dash),
         "bars": {kpi: {label: Estimate}}, "costs": {kpi: {label: Estimate}} (cost per week, payback; costed models)}
    """
    labels = {s.name: s.label.get(lang, s.name) for s in record.scenarios}
    colour = {s.name: i for i, s in enumerate(record.scenarios)}
    c = record.charts
    waits = c.get("waits", {"edges": [], "shares": {}})
    queue = [{"series": labels[n], "hour": int(h), "queue_length": v, "colour": colour[n], "dash": "solid"}
             for n, hours in c.get("queue", {}).items() for h, v in hours.items()]
    pools = c.get("pool_labels", {})
    util = [{"series": f"{labels[u['scenario']]} · {pools.get(u['pool'], {}).get(lang, u['pool'])}", "hour": int(h),
             "utilisation": v, "colour": colour[u["scenario"]], "dash": u["dash"]}
            for u in c.get("util", []) for h, v in u["hours"].items()]
    bars = {k: {labels[s.name]: s.kpis[k] for s in record.scenarios if k in s.kpis} for k in CHART_KPIS}
    costs = {k: {labels[s.name]: s.kpis[k] for s in record.scenarios if k in s.kpis} for k in COST_CHART_KPIS}
    return {"waits": (waits["edges"], {labels[n]: v for n, v in waits["shares"].items()}),
            "queue": pd.DataFrame(queue) if queue else None, "util": pd.DataFrame(util) if util else None,
            "bars": {k: v for k, v in bars.items() if v}, "costs": {k: v for k, v in costs.items() if v}}
