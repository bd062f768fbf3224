"""A city: several offices' models simulated side by side and in total.

A city file (YAML) names its offices, each a model (library name, model or scenario file, or
`SESSION.json#VARIANT`) with optional overrides. Each office runs with its own seed, derived from
the run's seed and the office's name, so the offices are independent (their sum's interval is
honest) and an office keeps its random numbers from one city variant to the next (common random
numbers per office). `city_totals` is the pure aggregation: per replication, counts, staff hours
and money add up, waits and shares are weighted by the visitors who arrived.
"""

from __future__ import annotations

import hashlib
import math
import threading
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from process_models.errors import FileError, UserError, format_path
from process_models.library import library_names
from process_models.session import Estimate
from process_models.yaml_lines import line_of, read_yaml

from .scenario import Scenario, load_scenario

__all__ = ["CityOffice", "City", "CityResult", "TOTAL", "CITY_KPIS", "is_city_file", "load_city", "city_scenarios",
           "office_seed", "city_totals", "run_city", "sweep_city"]

#: The column (and JSON key) of the whole city.
TOTAL = "total"
#: Counts, minutes and money per week that add up over offices.
SUMMED = ("arrived", "served", "self_served", "balked", "gave_up", "sent_home", "served_after_closing",
          "staff_hours", "cost.week", "cost.year", "cost.staff.week", "cost.equipment.week", "one_off_cost")
#: Per-visitor figures: the city's is the offices' weighted by the visitors who arrived.
PER_VISITOR = ("mean_wait", "within_10", "within_20", "time_in_office")
#: What a city shows per office and in total, in this order.
CITY_KPIS = ("arrived", "served", "self_served_share", "mean_wait", "within_20", "gave_up", "staff_hours",
             "cost.week", "cost.year", "cost.per_visitor", "one_off_cost")
#: Offices a city file may list: Stockholm has about a dozen citizen offices.
MAX_OFFICES = 100
#: Offices' runs in flight at once on a shared executor (each still splits into its own jobs).
PARALLEL_RUNS = 8

Progress = Callable[[int, int], None]


class CityOffice(BaseModel):
    """One office of a city: its name, its model and the overrides that make this city's set-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
    model: str = Field(min_length=1)
    overrides: dict[str, Any] = Field(default_factory=dict)


class City(BaseModel):
    """Several offices simulated together for the same number of weeks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""
    weeks: int = Field(default=1, ge=1, le=520)
    offices: list[CityOffice] = Field(min_length=1, max_length=MAX_OFFICES)

    @field_validator("offices")
    @classmethod
    def _unique_names(cls, offices: list[CityOffice]) -> list[CityOffice]:
        names = [o.name for o in offices]
        dup = next((n for n in names if names.count(n) > 1), None)
        if dup is not None:
            raise ValueError(f"office name {dup!r} is used twice; expected a unique name per office")
        return offices


def is_city_file(target: str) -> bool:
    """Whether `target` is a YAML file whose top level lists `offices` (a city, not a model or scenario)."""
    p = Path(target)
    if "#" in target or p.suffix.lower() not in (".yaml", ".yml") or not p.is_file():
        return False
    try:
        data, _ = read_yaml(p, "city, scenario or model file")
    except FileError:
        return False  # the model or scenario loader reports it
    return isinstance(data, dict) and "offices" in data and "steps" not in data


def _resolve(model: str, folder: Path) -> str:
    """A model reference relative to the city file's folder (library names and absolute paths as they are)."""
    if model in library_names():
        return model
    path, hash_, variant = model.partition("#")
    p = Path(path)
    if not p.is_absolute() and (folder / p).exists():
        path = str((folder / p).resolve())
    return path + hash_ + variant


def load_city(path: str | Path) -> City:
    """Read and check a city file: each office's model loads and its overrides apply (errors name file and line)."""
    p = Path(path)
    data, lines = read_yaml(p, "city file")
    if not isinstance(data, dict):
        raise UserError(f"{p}: expected a mapping with name and offices, got a {type(data).__name__}")
    try:
        city = City.model_validate({"name": p.stem, **data})
    except ValidationError as exc:
        raise UserError(_city_problem(p, exc, lines)) from None
    offices = []
    for i, office in enumerate(city.offices):
        where = f"{p}:{line_of(lines, ('offices', i, 'model'))}: offices[{i}].model ({office.name})"
        ref = _resolve(office.model, p.parent)
        try:
            city_office = office.model_copy(update={"model": ref})
            city_scenarios(city.model_copy(update={"offices": [city_office]}))
        except UserError as exc:
            raise UserError(f"{where}: {exc}") from None
        offices.append(city_office)
    return city.model_copy(update={"offices": offices})


def _city_problem(path: Path, exc: ValidationError, lines: dict) -> str:
    first = exc.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    line = line_of(lines, loc)
    where = f"{path}:{line}" if line is not None else str(path)
    if first["type"] == "extra_forbidden":
        parent = CityOffice if len(loc) >= 3 and loc[0] == "offices" else City
        return f"{where}: {format_path(loc)}: unknown key {loc[-1]!r}; expected one of: {', '.join(parent.model_fields)}"
    if first["type"] == "missing":
        return f"{where}: {format_path(loc)}: missing required field {loc[-1]!r}"
    return f"{where}: {format_path(loc)}: {first['msg']}"


def city_scenarios(city: City, extra: dict[str, Any] | None = None, weeks: int | None = None) -> list[Scenario]:
    """Each office as a scenario named after the office: its model (or scenario) plus the city's overrides.

    `extra` applies to every office (`--set`), after the office's own overrides; keys `OFFICE:PATH`
    apply to that office only.
    """
    names = {o.name for o in city.offices}
    for key in extra or {}:
        office, sep, _ = str(key).partition(":")
        if sep and office not in names:
            raise UserError(f"{key}: no office {office!r} in the city; expected one of: {', '.join(sorted(names))}")
    out = []
    for office in city.offices:
        base = load_scenario(office.model)
        mine = {k.partition(":")[2] if ":" in str(k) else k: v for k, v in (extra or {}).items()
                if ":" not in str(k) or str(k).partition(":")[0] == office.name}
        s = base.with_overrides({**office.overrides, **mine}, name=office.name)
        s = s.model_copy(update={"weeks": weeks or city.weeks})
        s.build_model()  # a bad override is named now, before any run
        out.append(s)
    return out


def office_seed(seed: int, office: str) -> int:
    """The seed of one office in a city run: fixed by the run's seed and the office's name."""
    digest = hashlib.sha256(f"{int(seed)}:{office}".encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1


def _with_derived(k: dict[str, float]) -> dict[str, float]:
    """An office's replication KPIs plus the staff hours spent with visitors (all staff pools)."""
    d = dict(k)
    d["staff_hours"] = sum(v for name, v in k.items() if name.startswith("staff_minutes.") and name.count(".") == 1) / 60
    return d


def city_totals(per_office: dict[str, list[dict[str, float]]]) -> list[dict[str, float]]:
    """The whole city per replication, from each office's KPIs per replication (pure).

    Counts, staff hours and money are summed; waits, time in the office and shares served within
    10 and 20 minutes are weighted by the visitors who arrived; the share who managed on their own
    and the cost per visitor are recomputed from the sums. A KPI some office lacks (cost without a
    cost model) is left out of the total.
    """
    reps = {len(v) for v in per_office.values()}
    if len(reps) != 1:
        raise UserError(f"city_totals: expected the same number of replications for every office, got {sorted(reps)}")
    offices = [[_with_derived(k) for k in v] for v in per_office.values()]
    totals = []
    for r in range(reps.pop()):
        rows = [o[r] for o in offices]
        t: dict[str, float] = {}
        for name in SUMMED:
            if all(name in k for k in rows):
                t[name] = sum(k[name] for k in rows)
        arrived = t.get("arrived", 0.0)
        for name in PER_VISITOR:
            if all(name in k and not math.isnan(k[name]) for k in rows) and arrived:
                t[name] = sum(k[name] * k["arrived"] for k in rows) / arrived
        if arrived:
            t["self_served_share"] = t["self_served"] / arrived
            if "cost.week" in t:
                t["cost.per_visitor"] = t["cost.week"] / arrived
        totals.append(t)
    return totals


@dataclass(frozen=True)
class CityResult:
    """A city's run: each office's KPIs per replication and load-check warnings, and the totals."""

    city: City
    seed: int
    offices: dict[str, list[dict[str, float]]]
    warnings: dict[str, list[str]]

    def kpis(self) -> dict[str, dict[str, Estimate]]:
        """Per office and for the city (`TOTAL`): every KPI's mean and 95 % interval."""
        from .results import kpi_estimates  # pandas loads on first use: `mbk` starts fast

        out = {name: kpi_estimates([_with_derived(k) for k in reps]) for name, reps in self.offices.items()}
        out[TOTAL] = kpi_estimates(city_totals(self.offices))
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One row per KPI of `CITY_KPIS` and column (office or total): kpi, office, mean, low, high, n."""
        est = self.kpis()
        return [{"kpi": kpi, "office": col, "mean": e.mean, "low": e.low, "high": e.high, "n": e.n}
                for kpi in CITY_KPIS for col, ests in est.items() if (e := ests.get(kpi)) is not None]


def _run_all(scenarios: list[tuple[Scenario, int]], replications: int, executor: Executor | None,
             progress: Progress | None, cancel: threading.Event | None) -> list:
    """Run (scenario, seed) pairs; on an executor several at once, so the workers stay busy across offices."""
    from .runner import run

    total = len(scenarios) * replications
    done = [0] * len(scenarios)
    lock = threading.Lock()

    def one(i: int):
        s, seed = scenarios[i]

        def tick(n: int, _total: int) -> None:
            with lock:
                done[i] = n
                if progress:
                    progress(sum(done), total)

        return run(s, replications=replications, seed=seed, executor=executor, progress=tick, cancel=cancel,
                   keep_records=False)

    if executor is None:
        return [one(i) for i in range(len(scenarios))]
    with ThreadPoolExecutor(max_workers=min(PARALLEL_RUNS, len(scenarios)), thread_name_prefix="city") as threads:
        return list(threads.map(one, range(len(scenarios))))


def run_city(city: City, *, replications: int = 10, seed: int = 0, executor: Executor | None = None,
             extra: dict[str, Any] | None = None, weeks: int | None = None, progress: Progress | None = None,
             cancel: threading.Event | None = None) -> CityResult:
    """Simulate every office of the city (each with `office_seed(seed, name)`) on one executor."""
    scenarios = city_scenarios(city, extra, weeks)
    results = _run_all([(s, office_seed(seed, s.name)) for s in scenarios], replications, executor, progress, cancel)
    return CityResult(city, seed, {s.name: list(r.rep_kpis) for s, r in zip(scenarios, results)},
                      {s.name: [p.warning for p in r.load if p.warning] for s, r in zip(scenarios, results)})


def sweep_city(city: City, vary: dict[str, list], *, replications: int = 10, seed: int = 0,
               executor: Executor | None = None, extra: dict[str, Any] | None = None,
               progress: Progress | None = None, cancel: threading.Event | None = None) -> list[dict[str, Any]]:
    """One row per combination of `vary` (paths for every office, or `OFFICE:PATH`): the city's totals and each
    office's mean wait and weekly cost, all combinations' runs on one executor."""
    from .runner import expand_vary

    combos = expand_vary(vary)
    per_combo = [city_scenarios(city, {**(extra or {}), **combo}) for combo in combos]
    flat = [(s, office_seed(seed, s.name)) for scenarios in per_combo for s in scenarios]
    results = iter(_run_all(flat, replications, executor, progress, cancel))
    rows = []
    for combo, scenarios in zip(combos, per_combo):
        res = CityResult(city, seed, {s.name: list(next(results).rep_kpis) for s in scenarios}, {})
        est = res.kpis()
        row: dict[str, Any] = {**combo, "replications": replications}
        for kpi in CITY_KPIS:
            e = est[TOTAL].get(kpi)
            if e is not None:
                row[f"{TOTAL}.{kpi}"], row[f"{TOTAL}.{kpi}_low"], row[f"{TOTAL}.{kpi}_high"] = e.mean, e.low, e.high
        for office in (s.name for s in scenarios):
            for kpi in ("mean_wait", "cost.week"):
                if kpi in est[office]:
                    row[f"{office}.{kpi}"] = est[office][kpi].mean
        rows.append(row)
    return rows
