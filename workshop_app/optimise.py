"""State of the optimise section: search a scenario's set-ups for the cheapest that meet the wait target.

The participant gives each pool a range (`ranges`), the objectives (cost per week and the 90th
percentile wait, optionally the share who manage on their own) and the wait target; `run` (or
`start`, on a worker thread) searches with NSGA-II through `engine.optimise_setups`. The front
is the room's: it is kept per shared session in the server's memory (`ROOM_FRONTS`, not yet in
the session file), so every browser's `sync()` (the page's poll) shows the latest search.
`open_point` saves one of its set-ups as a scenario in the shared session and chooses it, with
the scenario it came from as the baseline, in Compare.
"""

from __future__ import annotations

import itertools
import logging
import threading
import weakref

import param

from process_models import library_names
from process_models.errors import UserError
from process_models.session import SavedScenario

from . import engine
from .builder import min_capacity
from .compare import CompareState, _Catalogue
from .shared_session import SharedSession
from .texts import UiError, default_models

__all__ = ["OptimiseState", "OBJECTIVE_COST", "OBJECTIVE_WAIT", "OBJECTIVE_SELF", "RANGE_POOL_KINDS", "ROOM_FRONTS",
           "parse_range"]

log = logging.getLogger(__name__)

OBJECTIVE_COST, OBJECTIVE_WAIT, OBJECTIVE_SELF = "cost.week", "p90_wait", "self_served_share"
#: Pools a participant may vary: staff and equipment (rooms are building work, not a set-up).
RANGE_POOL_KINDS = ("staff", "equipment")
#: The longest scenario name the session keeps.
NAME_LIMIT = 80
#: The latest front of each shared session (the room), for every browser of it: SharedSession -> record.
ROOM_FRONTS: "weakref.WeakKeyDictionary[SharedSession, dict]" = weakref.WeakKeyDictionary()
_SERIAL = itertools.count(1)
_ROOM_LOCK = threading.Lock()


def parse_range(text: str) -> list[int] | None:
    """'1..4' -> [1, 2, 3, 4], '3' -> [3], '' -> None (not varied); UiError otherwise."""
    raw = text.strip()
    if not raw:
        return None
    try:
        if ".." in raw:
            lo, _, hi = raw.partition("..")
            values = list(range(int(lo), int(hi) + 1))
        else:
            values = [int(raw)]
    except ValueError:
        raise UiError("o_bad_range", value=text) from None
    if not values or values[0] < 0:
        raise UiError("o_bad_range", value=text)
    return values


def _costs_something(pool) -> bool:
    c = pool.cost
    return c is not None and bool(c.hourly_wage or c.per_unit_year)


class OptimiseState(_Catalogue, param.Parameterized):
    """Ranges per pool, objectives and a wait target in; the Pareto front of set-ups out."""

    scenario_name = param.Selector(default=None, objects=[], allow_None=True)
    ranges = param.Dict(default={}, doc="pool id -> 'LOW..HIGH' typed by the participant ('' = not varied).")
    self_served = param.Boolean(default=False, doc="Also maximise the share who manage on their own.")
    wait_target = param.Number(default=20.0, bounds=(0, None), allow_None=True,
                               doc="The 90th percentile wait must stay at or under this (minutes); None: no target.")
    replications = param.Integer(default=2, bounds=(1, 20))
    evaluations = param.Integer(default=24, bounds=(4, 400))
    population = param.Integer(default=8, bounds=(4, 64))
    seed = param.Integer(default=2026, bounds=(0, None))
    status = param.Selector(default="idle", objects=["idle", "running", "done", "cancelled", "error"])
    error = param.String(default="")
    error_values = param.Dict(default={})
    progress = param.Number(default=0.0, bounds=(0, 1))
    front = param.List(default=[], doc="The set-ups on the front: {'values', 'overrides', 'kpis'} each.")
    simulated = param.Integer(default=0, doc="Set-ups simulated in the last search.")
    searched = param.Dict(default={}, doc="What the front shown was searched over: scenario, model, overrides.")
    opened = param.String(default="", doc="Name of the scenario last opened from the front.")

    def __init__(self, shared: SharedSession, compare: CompareState, *, executor=None, **params):
        super().__init__(**params)
        self.shared, self.compare, self.executor = shared, compare, executor
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._serial = 0  # of the room's front shown
        self.refresh_choices()
        self._default_ranges()
        self.sync()

    def sync(self) -> None:
        """Show the room's latest front, whichever browser searched it."""
        with _ROOM_LOCK:
            record = ROOM_FRONTS.get(self.shared)
        if record is None or record["serial"] == self._serial:
            return
        self._serial = record["serial"]
        self.param.update(front=record["front"], simulated=record["simulated"], searched=record["searched"],
                          **({} if self.status == "running" else {"status": "done", "progress": 1.0}))

    def refresh_choices(self) -> None:
        names = list(self.catalogue())
        self.param.scenario_name.objects = names
        if self.scenario_name not in names:
            default = default_models(library_names())[-1]
            self.scenario_name = default if default in names else names[0]

    def base_model(self):
        return self.scenario(self.scenario_name).build_model()

    def pools(self) -> list:
        """The pools a participant may vary, in the model's order."""
        return [p for p in self.base_model().pools if p.kind in RANGE_POOL_KINDS and p.capacity > 0]

    @param.depends("scenario_name", watch=True)
    def _default_ranges(self) -> None:
        """Each costed pool from one fewer than today (at least what the model needs) to two more;
        a pool that costs the office nothing (caseworkers paid by their own units) is left as it is."""
        if not self.scenario_name:
            return
        model = self.base_model()
        self.ranges = {p.id: f"{max(1, min_capacity(model, p.id), p.capacity - 1)}..{p.capacity + 2}"
                       if _costs_something(p) else "" for p in self.pools()}

    def set_range(self, pool: str, text: str) -> None:
        self.ranges = {**self.ranges, pool: text}

    def objectives(self) -> list[str]:
        return [OBJECTIVE_COST, OBJECTIVE_WAIT] + ([OBJECTIVE_SELF] if self.self_served else [])

    def vary(self) -> dict[str, list[int]]:
        """Override path -> values, from the ranges; UiError for a range that is no range."""
        out = {}
        known = {p.id for p in self.pools()}
        for pool, raw in self.ranges.items():
            values = parse_range(raw)
            if values is not None and pool in known:
                out[f"pools.{pool}.capacity"] = values
        if not out:
            raise UiError("o_nothing_varied")
        return out

    # --- running ---------------------------------------------------------------------
    def _fail(self, key: str, **values) -> UiError:
        self.param.update(status="error", error=key, error_values=values)
        return UiError(key, **values)

    def _check(self) -> dict[str, list[int]]:
        if not engine.available():
            raise self._fail("sim_unavailable")
        try:
            return self.vary()
        except UiError as exc:
            raise self._fail(exc.key, **exc.values) from None

    def run(self) -> list[dict] | None:
        """Search the set-ups; the front in `front`, or None when cancelled."""
        vary = self._check()
        model, overrides = self.catalogue()[self.scenario_name]
        constraints = [] if self.wait_target is None else [f"p90_wait<={self.wait_target:g}"]
        self._cancel.clear()
        self.param.update(status="running", error="", progress=0.0)

        def progress(done: int, total: int) -> None:
            self.progress = min(1.0, done / total) if total else 0.0

        try:
            out = engine.optimise_setups(model, overrides, vary, self.objectives(), constraints,
                                         replications=self.replications, seed=self.seed,
                                         evaluations=self.evaluations, population=self.population,
                                         executor=self.executor, progress=progress, cancel=self._cancel)
        except engine.RunCancelled:
            self.status = "cancelled"
            return None
        except UserError as exc:
            log.info("optimisation refused: %s", exc)
            raise self._fail("o_invalid") from None  # the engine's own words (English) are in the log
        except Exception as exc:
            log.exception("optimisation failed")
            raise self._fail("c_status_error", error=type(exc).__name__) from exc
        searched = {"scenario": self.scenario_name, "model": model, "overrides": dict(overrides), "seed": self.seed,
                    "objectives": self.objectives(), "wait_target": self.wait_target}
        with _ROOM_LOCK:
            ROOM_FRONTS[self.shared] = {"serial": next(_SERIAL), "front": out["front"], "simulated": out["simulated"],
                                        "searched": searched}
        self.status = "idle"  # sync() shows it as done
        self.sync()
        return out["front"]

    def start(self) -> threading.Thread | None:
        """Search on a worker thread; the views follow `status`, `progress` and `front`."""
        if self.status == "running":
            return self._thread
        try:
            self._check()
        except UiError:
            return None

        def work():
            try:
                self.run()
            except Exception:  # run() put the error in `status` for the view; the operator sees it here
                log.exception("optimisation failed in the background")

        self.status = "running"
        self._thread = threading.Thread(target=work, name="mbk-optimise", daemon=True)
        self._thread.start()
        return self._thread

    def cancel(self) -> None:
        self._cancel.set()

    # --- opening a point as a scenario -----------------------------------------------
    def point_name(self, i: int) -> str:
        """A scenario name for set-up i of the front: the base, then each pool's number."""
        p = self.front[i]
        parts = " ".join(f"{path.split('.')[1]}={v}" for path, v in p["values"].items())
        return f"{self.searched['scenario']} opt {i + 1}: {parts}"[:NAME_LIMIT]

    def open_point(self, i: int) -> str:
        """Save set-up i of the front as a scenario and choose it in Compare against its base; its name."""
        if not 0 <= i < len(self.front):
            raise UiError("o_no_point", n=i + 1)
        s = self.searched
        name = self.point_name(i)
        kpis = self.front[i]["kpis"]
        desc = ", ".join(f"{k} {kpis[k]['mean']:.4g}" for k in s["objectives"] if k in kpis)
        self.shared.save_scenario(SavedScenario(name=name, model=s["model"],
                                                overrides={**s["overrides"], **self.front[i]["overrides"]},
                                                description=f"mbk optimise, seed {s['seed']}: {desc}"))
        self.compare.refresh_choices()
        self.refresh_choices()
        base = s["scenario"]
        self.compare.param.update(chosen=[base, name], baseline=base)
        self.opened = name
        return name
