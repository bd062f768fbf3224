"""Replications, comparisons and sweeps over any `concurrent.futures.Executor`.

Work is cut into (scenario, chunk of replications) jobs. Every replication draws its own
streams from (seed, replication, week, purpose), so results do not depend on the
executor, the worker count or the chunking; and scenarios share random numbers.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import pickle
import threading
from concurrent.futures import Executor, FIRST_COMPLETED, wait
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from process_models.errors import UserError
from process_models.schema import ProcessModel

from .arrivals import sample_arrivals
from .compiled import Compiled, compile_model
from .costs import cost_spec
from .engine import StepDraws, simulate_week, stream
from .gender import GENDER_STREAM, draw_genders, visitor_genders
from .kpis import WeekKpis
from .loadcheck import load_check
from .results import Comparison, Records, RunResult, kpi_estimates
from .scenario import Learning, Scenario, load_scenario

__all__ = ["Cancelled", "run", "compare", "sweep", "simulate_replication", "replication_weeks", "replication_result",
           "expand_vary", "SWEEP_KPIS"]

Progress = Callable[[int, int], None]

#: The KPIs a sweep reports per combination (plus utilisation and wait per pool and queue).
SWEEP_KPIS = ("arrived", "served", "self_served_share", "mean_wait", "p90_wait", "within_10",
              "within_20", "time_in_office", "balked", "gave_up", "sent_home", "served_after_closing")


class Cancelled(Exception):
    """A run, comparison or sweep was stopped from outside through its `cancel` event."""


def replication_weeks(c: Compiled, seed: int, replication: int, weeks: int = 1,
                      learning: Learning | None = None) -> Iterator[dict[str, np.ndarray]]:
    """One replication week by week: each week's records with a trailing `week` column,
    `learned` (visitors who stayed away that week) and, if the model gives shares of women,
    `gender` (a code per visitor row), as the week ends."""
    learning = learning or Learning()
    learnable = set(learning.errands) if learning.errands is not None else {
        e.id for e in c.model.errands if not e.booked}
    for week in range(weeks):
        keep = None
        if learning.enabled:
            gone = learning.stay_away(week)
            keep = np.array([1 - gone if e in learnable else 1.0 for e in c.errand_ids])
        arrivals = sample_arrivals(c.profile, c.errand_shares, c.segment_shares,
                                   stream(seed, replication, week, "arrivals"),
                                   stream(seed, replication, week, "mix"), keep)
        draws = StepDraws(c, len(arrivals), seed, replication, week)
        rec = simulate_week(c, arrivals, draws, week)
        rec["learned"] = np.array([arrivals.stayed_away], float)
        if c.women_shares is not None:  # a stream of its own: no other draw moves
            genders = draw_genders(c, arrivals.segments, stream(seed, replication, week, GENDER_STREAM))
            rec["gender"] = visitor_genders(genders, rec["visitors"])
        yield rec


def simulate_replication(c: Compiled, seed: int, replication: int, weeks: int = 1,
                         learning: Learning | None = None) -> dict[str, np.ndarray]:
    """One replication of `weeks` weeks; arrays with a trailing `week` column."""
    parts: dict[str, list] = {"visitors": [], "visits": [], "busy": [], "learned": []}
    for rec in replication_weeks(c, seed, replication, weeks, learning):
        for kind, arr in rec.items():
            parts.setdefault(kind, []).append(arr)
    out = {kind: np.concatenate(arrs) if len(arrs) > 1 else arrs[0] for kind, arrs in parts.items()}
    for arr in out.values():
        arr.flags.writeable = False
    return out


def replication_result(c: Compiled, seed: int, replication: int, weeks: int = 1, learning: Learning | None = None,
                       keep_records: bool = True) -> tuple[dict[str, np.ndarray] | None, dict[str, float]]:
    """One replication's records (None unless kept) and KPIs, the KPIs gathered as each week ends."""
    kpis = WeekKpis(c)
    parts: dict[str, list] = {"visitors": [], "visits": [], "busy": [], "learned": []}
    for rec in replication_weeks(c, seed, replication, weeks, learning):
        kpis.add(rec)
        if keep_records:
            for kind, arr in rec.items():
                parts.setdefault(kind, []).append(arr)
    records = None
    if keep_records:
        records = {kind: np.concatenate(arrs) if len(arrs) > 1 else arrs[0] for kind, arrs in parts.items()}
        for arr in records.values():
            arr.flags.writeable = False
    return records, kpis.result(weeks)


# --- jobs that run in workers -----------------------------------------------------------

_COMPILED: dict[str, Compiled] = {}


def _compiled(key: str, model: ProcessModel) -> Compiled:
    c = _COMPILED.get(key)
    if c is None:
        if len(_COMPILED) > 64:
            _COMPILED.clear()
        c = _COMPILED[key] = compile_model(model)
    return c


def _job(key: str, model: ProcessModel, seed: int, reps: tuple[int, ...], weeks: int,
         learning: Learning, keep_records: bool) -> list[tuple[int, dict | None, dict]]:
    c = _compiled(key, model)
    return [(r, *replication_result(c, seed, r, weeks, learning, keep_records)) for r in reps]


def _jobs(batch: list[tuple]) -> list[list[tuple[int, dict | None, dict]]]:
    """Several jobs in one task: a remote executor's overhead is per task, not per replication."""
    return [_job(*args) for args in batch]


#: Tasks per worker a Dask sweep is cut into: few enough that its per-task overhead (scheduling
#: and transfer) stays small, enough that a slow worker does not hold up the end.
DASK_TASKS_PER_WORKER = 2


def _on_dask(executor: Executor) -> bool:
    return type(executor).__module__.startswith("distributed")


#: Workers assumed when an executor does not say how many it has.
DEFAULT_WORKERS = 2


def _workers(executor: Executor) -> int:
    """How many tasks the executor runs at once: a Dask client's threads, a pool's processes."""
    if _on_dask(executor):
        from .executors import dask_workers
        return dask_workers(executor)
    return getattr(executor, "_max_workers", None) or DEFAULT_WORKERS


def _batches(jobs: list, executor: Executor) -> list[list]:
    """Jobs grouped into tasks: one each on a local process pool, a few per worker on a Dask cluster."""
    if not _on_dask(executor):
        return [[job] for job in jobs]
    n = min(len(jobs), _workers(executor) * DASK_TASKS_PER_WORKER)
    size = math.ceil(len(jobs) / n) if n else 1
    return [jobs[a:a + size] for a in range(0, len(jobs), size)]


def _pickled_jobs(blob: bytes) -> list[list[tuple[int, dict | None, dict]]]:
    """`_jobs` of a batch sent as pickled bytes (see `_submit`)."""
    return _jobs(pickle.loads(blob))


def _submit(executor: Executor, batch: list):
    """Submit one task. On Dask it is not `pure`: a pure task's key is a hash of its arguments,
    and hashing a dozen process models (dask.base.tokenize) cost about 30 ms per task in the
    client, more than pickling them; the jobs are never shared between clients anyway. And its
    batch goes as bytes, pickled once here: the scheduler unpickles a task's arguments and
    pickles them again for the worker, 3 ms a process model, and bytes pass through as they are."""
    if _on_dask(executor):
        return executor.submit(_pickled_jobs, pickle.dumps(batch, pickle.HIGHEST_PROTOCOL), pure=False)
    return executor.submit(_jobs, batch)


class _Plan:
    """Scenarios resolved to models, and how their replications are cut into jobs."""

    def __init__(self, scenarios: list[Scenario], replications: int, seed: int, chunk: int):
        if replications < 1:
            raise UserError(f"replications: expected at least 1, got {replications}")
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise UserError(f"seed: expected a non-negative integer, got {seed!r}")
        self.scenarios = scenarios
        self.models = [s.build_model() for s in scenarios]
        self.keys = [hashlib.sha1(m.model_dump_json().encode()).hexdigest() for m in self.models]
        self.costs = [cost_spec(m) for m in self.models]  # checked here, before any worker starts
        self.replications, self.seed = replications, int(seed)
        self.jobs = [
            (i, tuple(range(a, min(a + chunk, replications))))
            for i in range(len(scenarios)) for a in range(0, replications, chunk)
        ]


def _execute(plan: _Plan, executor: Executor | None, progress: Progress | None,
             cancel: threading.Event | None, keep_records: bool) -> list[dict[int, tuple]]:
    """Run every job; per scenario {replication: (records, kpis)}."""
    results: list[dict[int, tuple]] = [{} for _ in plan.scenarios]
    total = len(plan.scenarios) * plan.replications
    done = 0

    def args(job):
        i, reps = job
        s = plan.scenarios[i]
        return (plan.keys[i], plan.models[i], plan.seed, reps, s.weeks, s.learning, keep_records)

    def collect(i, out):
        nonlocal done
        for r, rec, k in out:
            results[i][r] = (rec, k)
        done += len(out)
        if progress:
            progress(done, total)

    if executor is None:
        for job in plan.jobs:
            if cancel is not None and cancel.is_set():
                raise Cancelled("stopped after %d of %d replications" % (done, total))
            collect(job[0], _job(*args(job)))
        return results
    pending = {_submit(executor, [args(job) for job in batch]): batch for batch in _batches(plan.jobs, executor)}
    try:
        while pending:
            finished, _ = wait(list(pending), timeout=0.1, return_when=FIRST_COMPLETED)
            if cancel is not None and cancel.is_set():
                raise Cancelled("stopped after %d of %d replications" % (done, total))
            for f in finished:
                for job, out in zip(pending.pop(f), f.result()):
                    collect(job[0], out)
    finally:
        for f in pending:
            f.cancel()
    return results


def _as_scenario(x: Scenario | str | ProcessModel) -> Scenario:
    if isinstance(x, Scenario):
        return x
    if isinstance(x, ProcessModel):
        raise UserError("pass a Scenario (model name or path plus overrides), not a bare ProcessModel")
    return load_scenario(x)


def _chunk(replications: int, executor: Executor | None, n_scenarios: int = 1) -> int:
    if executor is None:
        return replications
    return max(1, math.ceil(replications * n_scenarios / (_workers(executor) * 4)))


def _result(plan: _Plan, i: int, res: dict[int, tuple], keep_records: bool) -> RunResult:
    order = sorted(res)
    records = None
    if keep_records:
        records = Records(compile_model(plan.models[i]), plan.scenarios[i].weeks,
                          tuple(res[r][0] for r in order))
    return RunResult(plan.scenarios[i], plan.seed, records, tuple(res[r][1] for r in order),
                     tuple(load_check(plan.models[i])), plan.costs[i], _capped(plan.models[i]))


def _capped(model: ProcessModel) -> tuple[str, ...]:
    """Pools without a roster, whose utilisation cannot pass 1."""
    return tuple(p.id for p in model.pools if p.roster is None)


def run(scenario: Scenario | str, *, replications: int = 10, seed: int = 0, executor: Executor | None = None,
        progress: Progress | None = None, cancel: threading.Event | None = None,
        keep_records: bool = True) -> RunResult:
    """Replicate a scenario; records and KPIs with 95 % confidence intervals."""
    s = _as_scenario(scenario)
    plan = _Plan([s], replications, seed, _chunk(replications, executor))
    res = _execute(plan, executor, progress, cancel, keep_records)
    return _result(plan, 0, res[0], keep_records)


def compare(scenarios: Iterable[Scenario | str], *, baseline: int = 0, replications: int = 10, seed: int = 0,
            executor: Executor | None = None, progress: Progress | None = None,
            cancel: threading.Event | None = None, keep_records: bool = False) -> Comparison:
    """Run scenarios with common random numbers; the Comparison pairs them per replication."""
    ss = [_as_scenario(s) for s in scenarios]
    if not ss:
        raise UserError("compare: expected at least one scenario")
    if not 0 <= baseline < len(ss):
        raise UserError(f"baseline: expected an index below {len(ss)}, got {baseline}")
    plan = _Plan(ss, replications, seed, _chunk(replications, executor, len(ss)))
    res = _execute(plan, executor, progress, cancel, keep_records)
    results = tuple(_result(plan, i, res[i], keep_records) for i in range(len(ss)))
    names = tuple(_unique_names([s.name for s in ss]))
    return Comparison(names, results, baseline)


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def expand_vary(vary: dict[str, list]) -> list[dict[str, Any]]:
    """Every combination of the varied values, first key slowest."""
    if not vary:
        return [{}]
    keys = list(vary)
    for k in keys:
        if not vary[k]:
            raise UserError(f"--vary {k}: expected at least one value")
    return [dict(zip(keys, combo)) for combo in itertools.product(*(vary[k] for k in keys))]


def sweep(scenario: Scenario | str, vary: dict[str, list], *, replications: int = 10, seed: int = 0,
          executor: Executor | None = None, progress: Progress | None = None,
          cancel: threading.Event | None = None) -> pd.DataFrame:
    """One row per combination of `vary`: the values, then mean/low/high of the main KPIs."""
    base = _as_scenario(scenario)
    combos = expand_vary(vary)
    scenarios = [base.with_overrides(c, name=f"{base.name} #{i}") for i, c in enumerate(combos)]
    plan = _Plan(scenarios, replications, seed, _chunk(replications, executor, len(scenarios)))
    res = _execute(plan, executor, progress, cancel, keep_records=False)
    rows = []
    for model, combo, per_rep in zip(plan.models, combos, res):
        est = kpi_estimates([per_rep[r][1] for r in sorted(per_rep)], _capped(model))
        row: dict[str, Any] = dict(combo)
        row["replications"] = replications
        for name, e in est.items():
            if name in SWEEP_KPIS or name.startswith(("utilisation.", "wait.", "staff_minutes.")) and name.count(".") == 1:
                row[f"{name}"] = e.mean
                row[f"{name}_low"] = e.low
                row[f"{name}_high"] = e.high
        rows.append(row)
    return pd.DataFrame(rows)
