"""`mbk simulate`, `mbk sweep`, `mbk optimise` and `mbk calibrate`."""

from __future__ import annotations

import json
import math
import re
import sys
import warnings
from pathlib import Path
from typing import List, Optional

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from process_models.disclosure import GROUPS, SUPPRESSED, SUPPRESSED_NOTE, disclosed, split_key
from process_models.errors import UserError

from .city import is_city_file, load_city
from .city_cli import simulate_city, sweep_city_frame
from .scenario import OutsideRangeWarning, load_scenario, parse_assignment, parse_value

__all__ = ["register", "parse_vary"]

out = Console()
err = Console(stderr=True, highlight=False, soft_wrap=True)  # a warning is one line, whatever the width

MAIN_KPIS = ("arrived", "served", "self_served", "self_served_share", "mean_wait", "median_wait", "p90_wait",
             "within_10", "within_20", "time_in_office", "balked", "gave_up", "sent_home", "served_after_closing")
#: Money in SEK (simulation/costs.py); the last six only with --baseline.
COST_KPIS = ("cost.week", "cost.year", "cost.per_visitor", "cost.per_errand", "one_off_cost", "staff_minutes_freed",
             "cost_saving.year", "staff_value_freed.year", "net_benefit.year", "payback_years", "payback_years.with_time")

#: The rows for women and men in the table (all of them are in --csv and --json).
SPLIT_ROWS = tuple(split_key(k, g) for k in ("arrived", "self_served_share") for g in GROUPS)

CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _positive(name: str, value: int, minimum: int = 1) -> int:
    if value < minimum:
        raise UserError(f"{name}: expected an integer >= {minimum}, got {value}")
    return value


def parse_vary(text: str) -> tuple[str, list]:
    """'pools.kiosk.capacity=0..4' -> (path, [0, 1, 2, 3, 4]); also 'a,b,c' lists and single values."""
    path, raw = parse_assignment(text)
    raw = str(raw).strip() if not isinstance(raw, (int, float)) else raw
    if isinstance(raw, str) and ".." in raw:
        lo, _, hi = raw.partition("..")
        try:
            a, b = int(lo), int(hi)
        except ValueError:
            raise UserError(f"--vary {text!r}: expected an integer range like 5..15") from None
        if b < a:
            raise UserError(f"--vary {text!r}: range {a}..{b} is empty; expected low..high")
        return path, list(range(a, b + 1))
    if isinstance(raw, str) and "," in raw:
        return path, [_vary_value(x) for x in raw.split(",") if x.strip()]
    return path, [_vary_value(text.split("=", 1)[1]) if isinstance(raw, int) else raw]


def _vary_value(raw: str):
    """A value of --vary; a clock time stays text ('17:00', which YAML 1.1 reads as the number 1020)."""
    return raw.strip() if CLOCK.match(raw.strip()) else parse_value(raw)


def _scenario(target: str, sets: list[str] | None, weeks: int | None):
    s = load_scenario(target)
    if sets:
        s = s.with_overrides(dict(parse_assignment(x) for x in sets))
    if weeks is not None:
        s = s.model_copy(update={"weeks": _positive("--weeks", weeks)})
    warnings.simplefilter("ignore", OutsideRangeWarning)  # said once here, in the CLI's own words
    s.build_model()
    for note in s.range_notes():
        err.print(f"[yellow]warning:[/yellow] {escape(note)}")
    return s


def _progress_bar(total_label: str):
    return Progress(TextColumn(total_label), BarColumn(), MofNCompleteColumn(), TextColumn("ETA"),
                    TimeRemainingColumn(), TimeElapsedColumn(), console=err, transient=False)


def cmd_simulate(
    target: str = typer.Argument(..., metavar="MODEL_OR_SCENARIO", help="Library model, model file, scenario YAML or city YAML."),
    weeks: Optional[int] = typer.Option(None, "--weeks", help="Weeks per replication (default: the scenario's)."),
    replications: int = typer.Option(10, "--replications", "-r", help="Independent replications."),
    seed: int = typer.Option(0, "--seed", help="Seed; the same seed gives the same numbers."),
    sets: Optional[List[str]] = typer.Option(None, "--set", help="Override PATH=VALUE, e.g. pools.public_computers.capacity=10."),
    workers: int = typer.Option(0, "--workers", help="Worker processes (0: run here)."),
    as_json: bool = typer.Option(False, "--json", help="Print KPIs as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print KPIs as CSV."),
    baseline: Optional[str] = typer.Option(None, "--baseline", metavar="MODEL_OR_SCENARIO",
                                           help="Also run this on the same visitors: cost saving, staff time freed and payback against it."),
) -> None:
    """Simulate a scenario: KPIs with 95 % confidence intervals, after a load check."""
    from .executors import process_pool  # the engine loads on first use: `mbk` starts fast
    from .runner import compare, run

    if as_json and as_csv:
        raise UserError("--json and --csv: choose one output format")
    _positive("--replications", replications)
    _positive("--seed", seed, 0)
    _positive("--workers", workers, 0)
    if is_city_file(target):  # a city: its offices side by side and in total (simulation/city.py)
        if baseline:
            raise UserError(f"--baseline: {target} is a city; compare cities by simulating each, or vary it with mbk sweep")
        return simulate_city(target, weeks=weeks and _positive("--weeks", weeks), replications=replications, seed=seed,
                             sets=sets, executor=process_pool(workers) if workers else None, as_json=as_json, as_csv=as_csv)
    s = _scenario(target, sets, weeks)
    executor = process_pool(workers) if workers else None
    if baseline:  # common random numbers: the KPIs against the baseline are paired per replication
        both = compare([_scenario(baseline, None, s.weeks), s], replications=replications, seed=seed,
                       executor=executor)
        result, kpis = both.results[1], both.kpis()[1]
    else:
        result = run(s, replications=replications, seed=seed, executor=executor, keep_records=False)
        kpis = result.kpis()
    warnings = [p.warning for p in result.load if p.warning]
    for w in warnings:  # on stderr before any output, so --json and --csv stay machine-readable
        err.print(f"[yellow]load check:[/yellow] {escape(w)}")
    shown = disclosed(kpis)  # women's and men's figures over fewer than 5 visitors a week are suppressed
    note = SUPPRESSED_NOTE.en
    if as_json:
        data = {"scenario": s.name, "model": s.model, "overrides": s.overrides, "weeks": s.weeks,
                "replications": replications, "seed": seed,
                "kpis": {k: e.model_dump() if e is not None else
                         {"mean": None, "low": None, "high": None, "n": kpis[k].n, "suppressed": note}
                         for k, e in shown.items()},
                "load_check": [p.__dict__ for p in result.load]}
        sys.stdout.write(json.dumps(data, indent=2, default=_json_default) + "\n")
        return
    if as_csv:
        sys.stdout.write("kpi,mean,low,high,n,note\n")
        for k, e in shown.items():
            if e is None:
                sys.stdout.write(f"{k},{SUPPRESSED},{SUPPRESSED},{SUPPRESSED},{kpis[k].n},{note}\n")
            else:
                sys.stdout.write(f"{k},{e.mean:.6g},{e.low:.6g},{e.high:.6g},{e.n},\n")
        return
    table = Table("KPI", "mean", "95 % CI", title=f"{s.name}: {replications} replications of {s.weeks} week(s), seed {seed}")
    for k, e in kpis.items():
        if k in MAIN_KPIS or k in COST_KPIS or k.startswith(("utilisation.", "wait.", "errands.")) or (k.startswith("staff_minutes.") and k.count(".") == 1):
            if k.startswith("wait.") and e.high == 0:
                continue  # a task that never waited for its resources
            table.add_row(k, _fmt(e.mean), f"{_fmt(e.low)} – {_fmt(e.high)}")
    for k in SPLIT_ROWS:  # the brief's indicator for women and men (only when the model gives shares)
        if k in kpis:
            e = shown[k]
            cells = (SUPPRESSED, note) if e is None else (_fmt(e.mean), f"{_fmt(e.low)} – {_fmt(e.high)}")
            table.add_row(k, *cells)
    for basis in COST_KPIS[-2:] if baseline else ():  # a payback that is not finite has no estimate
        p = both.payback(1, basis)
        if p is not None and basis not in kpis:
            table.add_row(basis, "–", p.describe())
    out.print(table)


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _json_default(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return str(x)


def cmd_sweep(
    target: str = typer.Argument(..., metavar="MODEL_OR_SCENARIO"),
    vary: List[str] = typer.Option(..., "--vary", help="PATH=LOW..HIGH, PATH=a,b,c or PATH=VALUE; repeat for a grid."),
    replications: int = typer.Option(10, "--replications", "-r"),
    seed: int = typer.Option(0, "--seed"),
    sets: Optional[List[str]] = typer.Option(None, "--set", help="Fixed override PATH=VALUE for every combination."),
    output: Path = typer.Option(..., "-o", "--output", help="results.csv or results.parquet"),
    workers: int = typer.Option(2, "--workers", help="Local worker processes."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run on a Dask scheduler, e.g. tcp://HOST:8786."),
) -> None:
    """Run every combination of the varied settings; one row per combination with KPI means and CIs."""
    from .executors import dask_executor, process_pool
    from .runner import sweep

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "parquet"):
        raise UserError(f"-o {output}: unknown format {fmt!r}; expected .csv or .parquet")
    if not output.parent.exists():
        raise UserError(f"-o {output}: folder {output.parent} does not exist")
    _positive("--replications", replications)
    _positive("--seed", seed, 0)
    _positive("--workers", workers)
    grid = dict(parse_vary(v) for v in vary)
    city = is_city_file(target)  # a city: every combination's totals (simulation/city.py)
    s = None if city else _scenario(target, sets, None)
    if city:
        load_city(target)  # a broken city file is named before any cluster is reached
    client = None
    if dask:
        client, executor = dask_executor(dask)
    else:
        executor = process_pool(workers)
    try:
        with _progress_bar("sweep") as bar:
            task = bar.add_task("sweep", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            if city:
                df = sweep_city_frame(target, grid, replications=replications, seed=seed, sets=sets,
                                      executor=executor, progress=progress)
            else:
                df = sweep(s, grid, replications=replications, seed=seed, executor=executor, progress=progress)
    finally:
        if client is not None:
            client.close()
    if fmt == "csv":
        df.to_csv(output, index=False)
    else:
        df.to_parquet(output, index=False)
    err.print(f"wrote {output}: {len(df)} combinations x {replications} replications")


def _output(output: Path) -> str:
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("csv", "parquet"):
        raise UserError(f"-o {output}: unknown format {fmt!r}; expected .csv or .parquet")
    if not output.parent.exists():
        raise UserError(f"-o {output}: folder {output.parent} does not exist")
    return fmt


def cmd_optimise(
    target: str = typer.Argument(..., metavar="MODEL_OR_SCENARIO"),
    vary: List[str] = typer.Option(..., "--vary", help="Decision PATH=LOW..HIGH or PATH=a,b,c (as mbk sweep); "
                                                       "pools.POOL.hours.H=LOW..HIGH: staff on duty in hour H."),
    objective: List[str] = typer.Option(..., "--objective", help="KPI to optimise: cost, wait_p90, self_served_share, "
                                                                 "any KPI key; max:KPI or min:KPI to say which way."),
    constraint: Optional[List[str]] = typer.Option(None, "--constraint", help="Target on a KPI's mean, e.g. \"wait_p90<=20\"."),
    output: Path = typer.Option(..., "-o", "--output", help="front.csv or front.parquet"),
    scenarios: Optional[Path] = typer.Option(None, "--scenarios", help="Folder for the front's scenario YAML files "
                                                                       "(default: OUTPUT's name without suffix, plus -scenarios)."),
    evaluations: int = typer.Option(60, "--evaluations", "-n", help="Set-ups to simulate (a budget met per generation)."),
    population: int = typer.Option(12, "--population", help="NSGA-II's population per generation."),
    replications: int = typer.Option(3, "--replications", "-r"),
    seed: int = typer.Option(0, "--seed", help="The same seed for every set-up: all meet the same visitors."),
    sets: Optional[List[str]] = typer.Option(None, "--set", help="Fixed override PATH=VALUE for every set-up."),
    weeks: Optional[int] = typer.Option(None, "--weeks", help="Weeks per replication (default: the scenario's)."),
    workers: int = typer.Option(2, "--workers", help="Local worker processes."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run on a Dask scheduler, e.g. tcp://HOST:8786."),
) -> None:
    """Search the set-ups for the Pareto front of the objectives under the constraints (NSGA-II)."""
    from .executors import dask_executor, process_pool
    from .optimise import check_variables, optimise, parse_constraint, parse_objective, variables_from

    _output(output)
    _positive("--replications", replications)
    _positive("--seed", seed, 0)
    _positive("--workers", workers)
    _positive("--evaluations", evaluations)
    _positive("--population", population, 2)
    objectives = tuple(parse_objective(o) for o in objective)
    constraints = tuple(parse_constraint(c) for c in constraint or ())
    variables = variables_from(dict(parse_vary(v) for v in vary))
    folder = scenarios or output.with_name(output.stem + "-scenarios")
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--scenarios {folder}: is a file; expected a folder")
    s = _scenario(target, sets, weeks)
    check_variables(s, variables)  # before the progress bar: a bad --vary is said on its own
    client = None
    if dask:
        client, executor = dask_executor(dask)
    else:
        executor = process_pool(workers)
    try:
        with Progress(TextColumn("optimise"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                      TextColumn("ETA"), TimeRemainingColumn(), TimeElapsedColumn(), console=err,
                      transient=False) as bar:
            task = bar.add_task("", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            def generation(gen: int, evaluated: int, front: int) -> None:
                bar.update(task, description=f"generation {gen}: {evaluated} set-ups, {front} on the front")

            result = optimise(s, variables, objectives, constraints, replications=replications, seed=seed,
                              evaluations=evaluations, population=population, executor=executor,
                              progress=progress, generation=generation)
    finally:
        if client is not None:
            client.close()
    files = result.write(output, folder)
    if not result.front:
        err.print("[yellow]no set-up met every --constraint[/yellow]; the front is empty")
    short = [v.path.removeprefix("pools.").removesuffix(".capacity") for v in variables]  # fits 80 columns
    table = Table("#", *short, *(f"{o.word} {o.name}" for o in objectives),
                  title=f"{s.name}: {len(result.front)} set-ups on the front of {len(result.evaluated)} tried "
                        f"({replications} replications, seed {seed})")
    for i, e in enumerate(result.front):
        table.add_row(str(i + 1), *(str(e.values[v.path]) for v in variables),
                      *(_fmt(e.objective(o)) for o in objectives))
    out.print(table)
    err.print(f"wrote {output} and {len(files)} scenario(s) in {folder}")


def cmd_calibrate(
    log: Path = typer.Argument(..., metavar="LOG.csv", help="Event log CSV (docs/event-log.md)."),
    output: Path = typer.Option(..., "-o", "--output", help="Scenario YAML to write."),
    model: str = typer.Option("skarholmen-kiosk", "--model", help="Base model the log was recorded with."),
    name: Optional[str] = typer.Option(None, "--name", help="Scenario name."),
) -> None:
    """Estimate arrival profile, errand mix and step durations from an event log into a scenario."""
    from .calibrate import calibrate

    if output.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"-o {output}: expected a .yaml or .yml file")
    if not output.parent.exists():
        raise UserError(f"-o {output}: folder {output.parent} does not exist")
    s = calibrate(log, base=model, name=name, warn=lambda m: err.print(f"[yellow]warning:[/yellow] {escape(m)}"))
    data = s.model_dump(mode="json", exclude_defaults=False)
    data["learning"] = s.learning.model_dump(exclude_defaults=True)
    output.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    err.print(f"wrote {output}: {len(s.overrides)} overrides over {s.model} ({s.description})")


def register(app: typer.Typer) -> None:
    """Add this package's commands to the `mbk` app."""
    app.command("simulate")(cmd_simulate)
    app.command("sweep")(cmd_sweep)
    app.command("optimise")(cmd_optimise)
    app.command("calibrate")(cmd_calibrate)
