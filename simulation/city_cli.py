"""`mbk simulate CITY.yaml` and `mbk sweep CITY.yaml`: the offices side by side and in total."""

from __future__ import annotations

import json
import math
import sys
from concurrent.futures import Executor

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .city import CITY_KPIS, TOTAL, City, load_city, run_city, sweep_city
from .scenario import parse_assignment

__all__ = ["simulate_city", "sweep_city_frame"]

out = Console()
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _extra(sets: list[str] | None) -> dict:
    return dict(parse_assignment(x) for x in sets or [])


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def simulate_city(target: str, *, weeks: int | None, replications: int, seed: int, sets: list[str] | None,
                  executor: Executor | None, as_json: bool, as_csv: bool) -> None:
    """Run the city and print each office and the total: a table, JSON or CSV (`kpi,office,mean,low,high,n`)."""
    city = load_city(target)
    result = run_city(city, replications=replications, seed=seed, executor=executor, extra=_extra(sets), weeks=weeks)
    for office, warnings in result.warnings.items():
        for w in warnings:  # on stderr before any output, so --json and --csv stay machine-readable
            err.print(f"[yellow]load check:[/yellow] {escape(office)}: {escape(w)}")
    rows = result.rows()
    if as_json:
        data = {"city": city.name, "weeks": weeks or city.weeks, "replications": replications, "seed": seed,
                "offices": [o.name for o in city.offices],
                "kpis": {col: {r["kpi"]: {k: r[k] for k in ("mean", "low", "high", "n")} for r in rows if r["office"] == col}
                         for col in [*result.offices, TOTAL]}}
        sys.stdout.write(json.dumps(data, indent=2, default=lambda x: None if isinstance(x, float) and not math.isfinite(x) else str(x)) + "\n")
        return
    if as_csv:
        sys.stdout.write("kpi,office,mean,low,high,n\n")
        for r in rows:
            office = r["office"].replace('"', '""')
            sys.stdout.write(f"{r['kpi']},\"{office}\",{r['mean']:.6g},{r['low']:.6g},{r['high']:.6g},{r['n']}\n")
        return
    _print_table(city, result.kpis(), replications, weeks or city.weeks, seed)


def _print_table(city: City, est: dict, replications: int, weeks: int, seed: int) -> None:
    columns = [*[o.name for o in city.offices], TOTAL]
    table = Table("KPI", *columns, title=f"{city.name}: {len(city.offices)} offices, {replications} replications of "
                                         f"{weeks} week(s), seed {seed}; mean and 95 % CI")
    for kpi in CITY_KPIS:
        cells = []
        for col in columns:
            e = est[col].get(kpi)
            cells.append("–" if e is None else f"{_fmt(e.mean)}\n({_fmt(e.low)} – {_fmt(e.high)})")
        if any(c != "–" for c in cells):
            table.add_row(kpi, *cells)
    out.print(table)


def sweep_city_frame(target: str, grid: dict, *, replications: int, seed: int, sets: list[str] | None,
                     executor: Executor | None, progress):
    """The city sweep's rows as a DataFrame (one per combination: the totals, each office's wait and cost)."""
    import pandas as pd

    city = load_city(target)
    return pd.DataFrame(sweep_city(city, grid, replications=replications, seed=seed, executor=executor,
                                   extra=_extra(sets), progress=progress))
