"""The cheapest set-ups that meet the targets: a Pareto front of set-ups found by NSGA-II (pymoo).

Describe the search (`Variable`s over dotted override paths, `Objective`s and `Constraint`s over
KPI keys), then `optimise` it: every generation's new set-ups run together as one comparison
(`runner.compare`) on the executor given, all with the same seed, so every set-up meets the same
visitors in replication r (common random numbers) and two set-ups differ only by what was varied.
A set-up is simulated once; the front is taken over every set-up simulated, not only the last
population, so nothing found is lost.

Besides the override paths of `mbk sweep`, a variable may be `pools.POOL.hours.H`: the pool's
number on duty in clock hour H (H:00-H+1:00) of every open day; the pool then gets a roster by
hour over the opening hours, the other hours at its capacity. Varying `pools.POOL.capacity` cuts
the pool's skill sets to fit, and varying `opening_hours.DAY.open/close` moves the hourly arrival
profile with them, as the workshop app's scenario builder does.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
import threading
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import yaml

from process_models.errors import UserError
from process_models.schema import OpeningHours
from process_models.session import Estimate

from .runner import SWEEP_KPIS, compare
from .scenario import Scenario, apply_overrides

__all__ = ["Variable", "Objective", "Constraint", "Evaluation", "OptimiseResult", "optimise", "parse_objective",
           "parse_constraint", "variables_from", "check_variables", "non_dominated", "OBJECTIVE_ALIASES", "MAXIMISED"]

log = logging.getLogger(__name__)

#: Short names a decision-maker types -> the KPI keys of `mbk simulate`.
OBJECTIVE_ALIASES = {"cost": "cost.week", "cost_year": "cost.year", "cost_per_visitor": "cost.per_visitor",
                     "wait_p90": "p90_wait", "wait_mean": "mean_wait", "wait_median": "median_wait"}
#: KPIs where more is better; every other KPI is minimised (prefix max:/min: to say otherwise).
MAXIMISED = frozenset({"self_served_share", "self_served", "served", "within_10", "within_20"})
#: KPI keys a run reports (besides those with a pool, step or errand in their name).
KNOWN_KPIS = frozenset({*SWEEP_KPIS, "median_wait", "self_served", "cost.week", "cost.year", "cost.per_visitor",
                        "cost.per_errand", "cost.staff.week", "cost.equipment.week", "overtime_minutes"})
KPI_PREFIXES = ("utilisation.", "wait.", "staff_minutes.", "cost.pool.", "errands.")
#: A roster-by-hour variable: pools.POOL.hours.H
HOURS_PATH = re.compile(r"^pools\.([A-Za-z0-9_-]+)\.hours\.(\d{1,2})$")
CONSTRAINT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.:-]*)\s*(<=|>=|<|>|=<|=>)\s*([-+]?\d+(?:\.\d+)?)\s*(%?)\s*$")
#: What an invalid set-up (a model the checks refuse) scores: worse than any real one.
INVALID_PENALTY = 1e12
#: The scenario target (Scenario.targets) a p90 wait constraint becomes in the scenarios written.
WAIT_TARGET_KEY = "wait_p90_minutes"
#: Generations in a row that brought no new set-up before the search stops early.
STALL_GENERATIONS = 8

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Variable:
    """A decision: one dotted override path and the values it may take (the search picks an index)."""

    path: str
    values: tuple

    @property
    def hours_pool(self) -> tuple[str, int] | None:
        m = HOURS_PATH.match(self.path)
        return (m.group(1), int(m.group(2))) if m else None


@dataclass(frozen=True)
class Objective:
    """A KPI to minimise (sense 1) or maximise (sense -1), as the user named it."""

    name: str
    kpi: str
    sense: int

    @property
    def word(self) -> str:
        return "max" if self.sense < 0 else "min"


@dataclass(frozen=True)
class Constraint:
    """A target a set-up must meet on its KPI's mean, e.g. p90_wait <= 20."""

    text: str
    kpi: str
    op: str  # "<=" or ">="
    bound: float

    def violation(self, value: float) -> float:
        """How far the value is on the wrong side (0 when met)."""
        if math.isnan(value):
            return INVALID_PENALTY
        return max(0.0, value - self.bound) if self.op == "<=" else max(0.0, self.bound - value)


@dataclass(frozen=True)
class Evaluation:
    """One simulated set-up: the values chosen, the overrides they make, the KPI estimates."""

    index: tuple[int, ...]
    values: dict[str, Any]
    overrides: dict[str, Any]
    kpis: dict[str, Estimate]
    problem: str = ""  # why the set-up could not be built ("" when it ran)

    def objective(self, o: Objective) -> float:
        e = self.kpis.get(o.kpi)
        return math.nan if e is None else float(e.mean)

    def feasible(self, constraints: tuple[Constraint, ...]) -> bool:
        if self.problem:
            return False
        return all(c.violation(_mean(self.kpis, c.kpi)) == 0 for c in constraints)


def _mean(kpis: dict[str, Estimate], key: str) -> float:
    e = kpis.get(key)
    return math.nan if e is None else float(e.mean)


@dataclass
class OptimiseResult:
    """Every set-up simulated, and the non-dominated feasible ones among them (the front)."""

    base: Scenario
    variables: tuple[Variable, ...]
    objectives: tuple[Objective, ...]
    constraints: tuple[Constraint, ...]
    replications: int
    seed: int
    evaluated: list[Evaluation]
    front: list[Evaluation]
    generations: int
    replications_run: int = 0

    def points(self, which: list[Evaluation] | None = None) -> np.ndarray:
        """Objective means (rows set-ups), each turned to minimisation (maximised ones negated)."""
        rows = self.front if which is None else which
        return np.array([[o.sense * e.objective(o) for o in self.objectives] for e in rows], float).reshape(
            len(rows), len(self.objectives))

    def scenario(self, i: int) -> Scenario:
        """The i-th set-up of the front as a scenario `mbk simulate --scenario` accepts."""
        e = self.front[i]
        desc = ", ".join(f"{o.kpi} {e.objective(o):.4g}" for o in self.objectives)
        targets = dict(self.base.targets)
        for c in self.constraints:  # the wait target searched for is the one the requirements export reads
            if c.kpi == "p90_wait" and c.op == "<=":
                targets.setdefault(WAIT_TARGET_KEY, c.bound)
        return self.base.model_copy(update={"targets": targets,
            "name": f"{self.base.name} front {i + 1}", "overrides": {**self.base.overrides, **e.overrides},
            "description": f"Pareto front of mbk optimise, seed {self.seed}, {self.replications} replications: {desc}"})

    def frame(self, scenario_files: list[str] | None = None) -> pd.DataFrame:
        """One row per set-up of the front: the values chosen, then mean/low/high of each objective and target."""
        rows = []
        kpis = list(dict.fromkeys([o.kpi for o in self.objectives] + [c.kpi for c in self.constraints]))
        for i, e in enumerate(self.front):
            row: dict[str, Any] = {"setup": i + 1, **{v.path: e.values[v.path] for v in self.variables}}
            for k in kpis:
                est = e.kpis.get(k)
                row[k] = float(est.mean) if est else math.nan
                row[f"{k}_low"] = float(est.low) if est else math.nan
                row[f"{k}_high"] = float(est.high) if est else math.nan
            row["replications"] = self.replications
            if scenario_files is not None:
                row["scenario"] = scenario_files[i]
            rows.append(row)
        return pd.DataFrame(rows)

    def write(self, output: Path, scenarios_dir: Path) -> list[Path]:
        """Write the front (CSV or Parquet by suffix) and one scenario YAML per set-up on it."""
        scenarios_dir.mkdir(parents=True, exist_ok=True)
        files = []
        width = max(2, len(str(len(self.front))))
        for i in range(len(self.front)):
            path = scenarios_dir / f"front-{i + 1:0{width}d}.yaml"
            data = self.scenario(i).model_dump(mode="json")
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
            files.append(path)
        df = self.frame([str(p) for p in files])
        if output.suffix.lower() == ".parquet":
            df.to_parquet(output, index=False)
        else:
            df.to_csv(output, index=False)
        return files


# --- parsing what the user typed --------------------------------------------------------

def _kpi_key(name: str, option: str, text: str) -> str:
    key = OBJECTIVE_ALIASES.get(name, name)
    if key in KNOWN_KPIS or key.startswith(KPI_PREFIXES) and len(key.split(".")) >= 2 and all(key.split(".")):
        return key
    raise UserError(f"{option} {text!r}: unknown KPI {name!r}; expected one of: {', '.join(OBJECTIVE_ALIASES)}, "
                    f"or a KPI key of mbk simulate such as p90_wait, self_served_share, cost.year, utilisation.POOL")


def parse_objective(text: str) -> Objective:
    """'cost' -> minimise cost.week; 'self_served_share' -> maximise it; 'max:KPI' / 'min:KPI' say so outright."""
    raw = text.strip()
    sense = None
    if raw[:4] in ("max:", "min:"):
        sense, raw = (-1 if raw[:3] == "max" else 1), raw[4:].strip()
    if not raw:
        raise UserError(f"--objective {text!r}: expected a KPI name such as cost, wait_p90 or self_served_share")
    key = _kpi_key(raw, "--objective", text)
    if sense is None:
        sense = -1 if key in MAXIMISED else 1
    return Objective(raw, key, sense)


def parse_constraint(text: str) -> Constraint:
    """'wait_p90<=20' -> p90_wait <= 20; 'self_served_share>=60%' -> >= 0.6."""
    m = CONSTRAINT.match(text)
    if not m:
        raise UserError(f"--constraint {text!r}: expected KPI<=NUMBER or KPI>=NUMBER, e.g. \"wait_p90<=20\" or "
                        "\"self_served_share>=0.6\"")
    name, op, number, pct = m.groups()
    op = "<=" if "<" in op else ">="
    bound = float(number) / (100 if pct else 1)
    return Constraint(text.strip(), _kpi_key(name, "--constraint", text), op, bound)


def variables_from(vary: dict[str, list]) -> tuple[Variable, ...]:
    """Decision variables from `mbk sweep`'s parsed --vary values ({path: [values]})."""
    out = []
    for path, values in vary.items():
        uniq = list(dict.fromkeys(values))
        if not uniq:
            raise UserError(f"--vary {path}: expected at least one value")
        hp = HOURS_PATH.match(path)
        if hp and not (0 <= int(hp.group(2)) <= 23 and all(isinstance(v, int) and v >= 0 for v in uniq)):
            raise UserError(f"--vary {path}: expected an hour 0..23 and whole numbers of staff >= 0, e.g. "
                            f"pools.guides.hours.12=1..3")
        out.append(Variable(path, tuple(uniq)))
    if not out:
        raise UserError("--vary: expected at least one PATH=LOW..HIGH to search over")
    return tuple(out)


# --- set-ups: index vectors -> overrides ------------------------------------------------

def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(clock: str) -> int:
    h, m = str(clock).split(":")
    return int(h) * 60 + int(m)


def _hour_roster(model, pool_id: str, hours: dict[int, int]) -> dict[str, list[dict]]:
    """A roster over the opening hours: `hours[h]` on duty in clock hour h, the pool's capacity otherwise."""
    pool = model.pool(pool_id)
    roster: dict[str, list[dict]] = {}
    for day, oh in model.opening_hours.items():
        if oh is None:
            continue
        start, end = _minutes(oh.open), _minutes(oh.close)
        shifts: list[dict] = []
        t = start
        while t < end:
            nxt = min(end, (t // 60 + 1) * 60)
            cap = hours.get(t // 60, pool.capacity)
            if shifts and shifts[-1]["capacity"] == cap and shifts[-1]["end"] == _clock(t):
                shifts[-1]["end"] = _clock(nxt)
            else:
                shifts.append({"start": _clock(t), "end": _clock(nxt), "capacity": cap})
            t = nxt
        roster[day] = [s for s in shifts if s["capacity"] > 0]
    return roster


def _skills_within(pool, capacity: int) -> list[dict] | None:
    """The pool's skill sets cut to `capacity` members (the first ones stay), or None if they fit."""
    if sum(s.count for s in pool.skills) <= capacity:
        return None
    kept, left = [], capacity
    for s in pool.skills:
        if left <= 0:
            break
        kept.append(s.model_copy(update={"count": min(s.count, left)}).model_dump(mode="json"))
        left -= kept[-1]["count"]
    return kept


def _open_hours(opening_hours) -> set[int]:
    """Clock hours some day is open in (an hour that starts before closing)."""
    out: set[int] = set()
    for oh in opening_hours.values():
        if oh is not None:
            out.update(range(_minutes(oh.open) // 60, (_minutes(oh.close) - 1) // 60 + 1))
    return out


def _arrival_hours(base: Scenario, plain: dict[str, Any]) -> dict[str, Any]:
    """With other opening hours, the hourly arrival profile follows, as the app's scenario builder does:
    an hour newly open gets the weight of the nearest weighted hour, an hour no day is open any more none."""
    model = base.build_model()
    data = json.loads(model.model_dump_json())
    apply_overrides(data, {k: v for k, v in plain.items() if k.startswith("opening_hours.")})
    try:
        hours = {d: OpeningHours.model_validate(v) for d, v in data["opening_hours"].items() if v is not None}
    except ValueError:
        return {}  # a clock that is no clock: the model's own check names it
    was, now = _open_hours(model.opening_hours), _open_hours(hours)
    profile = {int(h): w for h, w in model.demand.hourly_profile.items() if w > 0}
    out: dict[str, Any] = {}
    if profile:
        for hour in sorted(now - set(profile)):
            out[f"demand.hourly_profile.{hour}"] = profile[min(profile, key=lambda h: (abs(h - hour), h))]
        for hour in sorted(set(profile) & was - now):
            out[f"demand.hourly_profile.{hour}"] = 0.0
    return out


def setup_overrides(base: Scenario, variables: tuple[Variable, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The overrides a set-up makes: the plain paths, skills cut to capacities, rosters by hour."""
    plain = {v.path: values[v.path] for v in variables if v.hours_pool is None}
    hours: dict[str, dict[int, int]] = {}
    for v in variables:
        if v.hours_pool is not None:
            pool, hour = v.hours_pool
            hours.setdefault(pool, {})[hour] = values[v.path]
    out = dict(plain)
    if any(p.startswith("opening_hours.") for p in plain):
        out.update(_arrival_hours(base, plain))
    caps = [(p, c) for p, c in plain.items() if p.startswith("pools.") and p.endswith(".capacity")
            and p.count(".") == 2 and isinstance(c, int)]
    if caps or hours:
        model = base.build_model()  # the skills as the scenario has them: a capacity below them is cut first
        for path, cap in caps:
            pool_id = path.split(".")[1]
            if any(p.id == pool_id for p in model.pools):
                skills = _skills_within(model.pool(pool_id), cap)
                if skills is not None:
                    out[f"pools.{pool_id}.skills"] = skills
        if hours:
            model = base.with_overrides(out).build_model()
        for pool_id, by_hour in hours.items():
            if not any(p.id == pool_id for p in model.pools):
                known = ", ".join(p.id for p in model.pools)
                raise UserError(f"--vary pools.{pool_id}.hours: no pool {pool_id!r}; expected one of: {known}")
            out[f"pools.{pool_id}.roster"] = _hour_roster(model, pool_id, by_hour)
    return out


# --- the front --------------------------------------------------------------------------

def non_dominated(points: np.ndarray) -> list[int]:
    """Indices of the rows no other row dominates (all <=, one <); equal rows are all kept."""
    keep = []
    for i, p in enumerate(points):
        dominated = np.any(np.all(points <= p, axis=1) & np.any(points < p, axis=1))
        if not dominated:
            keep.append(i)
    return keep


class _Search:
    """The simulated set-ups so far, by index vector; runs a batch of new ones as one comparison."""

    def __init__(self, base, variables, objectives, constraints, replications, seed, executor, progress, cancel,
                 budget):
        self.base, self.variables = base, variables
        self.objectives, self.constraints = objectives, constraints
        self.replications, self.seed = replications, seed
        self.executor, self.progress, self.cancel = executor, progress, cancel
        self.budget = budget
        self.cache: dict[tuple[int, ...], Evaluation] = {}
        self.order: list[tuple[int, ...]] = []
        self.done_reps = 0

    def values(self, index: tuple[int, ...]) -> dict[str, Any]:
        return {v.path: v.values[i] for v, i in zip(self.variables, index)}

    def run(self, indices: list[tuple[int, ...]]) -> None:
        new = list(dict.fromkeys(i for i in indices if i not in self.cache))
        runnable = []
        for idx in new:
            values = self.values(idx)
            try:
                overrides = setup_overrides(self.base, self.variables, values)
                scenario = self.base.with_overrides(overrides, name=f"{self.base.name} {idx}")
                scenario.build_model()
            except UserError as exc:
                self._keep(Evaluation(idx, values, {}, {}, problem=str(exc).splitlines()[0]))
                continue
            runnable.append((idx, values, overrides, scenario))
        if not runnable:
            return
        before = self.done_reps
        total = max(self.budget, len(self.order) + len(runnable)) * self.replications

        def progress(done: int, _total: int) -> None:
            if self.progress:
                self.progress(before + done, total)

        cmp = compare([r[3] for r in runnable], replications=self.replications, seed=self.seed,
                      executor=self.executor, progress=progress, cancel=self.cancel)
        self.done_reps += len(runnable) * self.replications
        for (idx, values, overrides, _), result in zip(runnable, cmp.results):
            self._keep(Evaluation(idx, values, overrides, result.kpis()))

    def _keep(self, e: Evaluation) -> None:
        self.cache[e.index] = e
        self.order.append(e.index)

    def scores(self, indices: list[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
        """(F, G) for pymoo: objectives to minimise, constraint violations (<= 0 is met)."""
        F = np.empty((len(indices), len(self.objectives)))
        G = np.empty((len(indices), max(1, len(self.constraints))))
        G[:] = 0.0
        for r, idx in enumerate(indices):
            e = self.cache[idx]
            if e.problem:
                F[r] = INVALID_PENALTY
                G[r] = INVALID_PENALTY
                continue
            for j, o in enumerate(self.objectives):
                x = e.objective(o)
                F[r, j] = INVALID_PENALTY if math.isnan(x) else o.sense * x
            for j, c in enumerate(self.constraints):
                G[r, j] = c.violation(_mean(e.kpis, c.kpi))
        return F, G

    def front(self) -> list[Evaluation]:
        feasible = [self.cache[i] for i in self.order if self.cache[i].feasible(self.constraints)]
        pts = np.array([[o.sense * e.objective(o) for o in self.objectives] for e in feasible], float)
        if not feasible:
            return []
        pts = pts.reshape(len(feasible), len(self.objectives))
        ok = ~np.isnan(pts).any(axis=1)
        feasible = [e for e, k in zip(feasible, ok) if k]
        kept = [feasible[i] for i in non_dominated(pts[ok])]
        return sorted(kept, key=lambda e: tuple(o.sense * e.objective(o) for o in self.objectives))


def _check_kpis(search: _Search) -> None:
    """After the first batch: every objective and target names a KPI this model reports."""
    ran = [e for e in search.cache.values() if not e.problem]
    if not ran:
        return
    have = ran[0].kpis
    for what, kpi, text in [("--objective", o.kpi, o.name) for o in search.objectives] + [
            ("--constraint", c.kpi, c.text) for c in search.constraints]:
        if kpi not in have:
            hint = " (the model has no cost figures)" if kpi.startswith("cost") else ""
            raise UserError(f"{what} {text!r}: {search.base.model} reports no KPI {kpi!r}{hint}; "
                            f"it reports e.g. {', '.join(k for k in have if '.' not in k or k.startswith('cost.'))}")


def check_variables(base: Scenario, variables: tuple[Variable, ...]) -> None:
    """Each variable must give a valid model for at least one of its values (the others at the base)."""
    for v in variables:
        problems = []
        for value in (v.values[0], v.values[-1]) if len(v.values) > 1 else v.values:
            try:
                base.with_overrides(setup_overrides(base, (v,), {v.path: value})).build_model()
                break
            except UserError as exc:
                problems.append(str(exc).splitlines()[-1].strip())
        else:
            raise UserError(f"--vary {v.path}: no value of {v.values[0]}..{v.values[-1]} makes a valid model: "
                            f"{problems[0]}")


def _unseen(rng: np.random.Generator, variables: tuple[Variable, ...], seen: dict, n: int) -> np.ndarray:
    """Up to n set-ups (index vectors) not simulated yet, drawn at random; fewer when the space runs out."""
    sizes = [len(v.values) for v in variables]
    space = math.prod(sizes)
    if space - len(seen) <= 4 * n:  # nearly exhausted: list what is left rather than draw blindly
        left = [ix for ix in itertools.product(*(range(k) for k in sizes)) if ix not in seen]
        pick = rng.permutation(len(left))[:n]
        return np.array([left[i] for i in pick], int).reshape(-1, len(variables))
    out: dict[tuple[int, ...], None] = {}
    while len(out) < n:
        ix = tuple(int(rng.integers(k)) for k in sizes)
        if ix not in seen:
            out[ix] = None
    return np.array(list(out), int).reshape(-1, len(variables))


def optimise(base: Scenario, variables: tuple[Variable, ...], objectives: tuple[Objective, ...],
             constraints: tuple[Constraint, ...] = (), *, replications: int = 3, seed: int = 0,
             evaluations: int = 60, population: int = 12, search_seed: int | None = None,
             executor: Executor | None = None, progress: Progress | None = None,
             generation: Callable[[int, int, int], None] | None = None,
             cancel: threading.Event | None = None) -> OptimiseResult:
    """Search the set-ups for the Pareto front with NSGA-II; stops after the generation that reaches `evaluations`.

    Args:
        evaluations: set-ups to simulate (each `replications` times); a soft budget, met per generation.
        seed: the simulation's seed, the same for every set-up (common random numbers).
        search_seed: NSGA-II's own seed (default: `seed`).
        generation: told (generation, set-ups simulated, front size) after each generation.
    """
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.evaluator import Evaluator
    from pymoo.core.population import Population
    from pymoo.core.problem import Problem
    from pymoo.operators.crossover.sbx import SBX
    from pymoo.operators.mutation.pm import PM
    from pymoo.operators.repair.rounding import RoundingRepair
    from pymoo.operators.sampling.rnd import IntegerRandomSampling
    from pymoo.problems.static import StaticProblem

    if not objectives:
        raise UserError("--objective: expected at least one KPI to optimise, e.g. --objective cost --objective wait_p90")
    if len({o.kpi for o in objectives}) < len(objectives):
        raise UserError("--objective: each KPI once; got " + ", ".join(o.name for o in objectives))
    for name, value, low in (("--evaluations", evaluations, 1), ("--population", population, 2),
                             ("--replications", replications, 1)):
        if value < low:
            raise UserError(f"{name}: expected an integer >= {low}, got {value}")
    check_variables(base, variables)
    space = math.prod(len(v.values) for v in variables)
    search = _Search(base, variables, objectives, constraints, replications, seed, executor, progress, cancel,
                     min(evaluations, space))
    problem = Problem(n_var=len(variables), n_obj=len(objectives), n_ieq_constr=max(1, len(constraints)),
                      xl=np.zeros(len(variables)), xu=np.array([len(v.values) - 1 for v in variables], float),
                      vtype=int)
    algorithm = NSGA2(pop_size=population, sampling=IntegerRandomSampling(),
                      crossover=SBX(prob=0.9, eta=15, vtype=float, repair=RoundingRepair()),
                      mutation=PM(eta=20, vtype=float, repair=RoundingRepair()), eliminate_duplicates=True)
    algorithm.setup(problem, seed=seed if search_seed is None else search_seed, verbose=False)
    rng = np.random.default_rng(algorithm.seed)
    gen = stalled = 0
    while len(search.order) < search.budget and stalled < STALL_GENERATIONS:
        pop = algorithm.ask()
        X = np.zeros((0, len(variables)), int) if pop is None else np.clip(
            np.rint(pop.get("X")).astype(int), 0, problem.xu.astype(int))
        if not any(tuple(int(x) for x in row) not in search.cache for row in X):
            # nothing new bred (a small space, or a converged population): random set-ups not yet simulated
            X = np.vstack([X, _unseen(rng, variables, search.cache, max(2, population // 2))])
            if pop is None or len(pop) != len(X):
                pop = Population.new("X", X.astype(float))
        indices = [tuple(int(x) for x in row) for row in X]
        if not indices:
            break
        known = len(search.order)
        search.run(indices)
        if gen == 0:
            _check_kpis(search)
        stalled = stalled + 1 if len(search.order) == known else 0
        F, G = search.scores(indices)
        pop.set("X", X.astype(float))
        Evaluator().eval(StaticProblem(problem, F=F, G=G), pop)
        algorithm.tell(infills=pop)
        gen += 1
        if generation:
            generation(gen, len(search.order), len(search.front()))
    return OptimiseResult(base, variables, objectives, constraints, replications, seed,
                          [search.cache[i] for i in search.order], search.front(), gen, search.done_reps)
