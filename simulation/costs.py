"""What a set-up costs: staff paid hours, equipment per year, one-off costs, and the payback of a change.

The figures come from the model (`Pool.cost`, `ProcessModel.costs`); a model without any
cost figure gets no cost KPIs. Money is in SEK.

- Staff are paid for the hours they are on duty (the opening hours, or their roster's
  shifts) plus the minutes they keep serving beyond them (`overtime_minutes`), at the
  hourly wage plus on-costs. Equipment and rooms cost their yearly price per unit.
- A week's cost is the staff cost of the week plus a `weeks_per_year`th of the yearly
  equipment cost; a year is `weeks_per_year` such weeks.
- Against a baseline (in `Comparison`): the cash saving (the baseline's cost minus this
  one's), the staff time freed valued at each pool's hourly cost, and the net benefit:
  the cash saving plus the paid staff time that is no longer spent on visitors (freed for
  complex guidance), which comes to the staff time freed in SEK plus the equipment saving.
- Payback: the one-off costs (this scenario's minus the baseline's) over the yearly saving,
  its interval from the saving's interval (1/x is monotone); `None` where it never pays back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from process_models.errors import UserError
from process_models.payback import Payback, payback
from process_models.schema import ProcessModel

from .arrivals import DAY
from .compiled import Compiled
from .records import B_END, B_POOL, B_START
from .windows import capacity_minutes, open_windows, overlap

__all__ = ["CostSpec", "Payback", "cost_spec", "cost_kpis", "cost_kpis_from_totals", "paid_periods",
           "baseline_cost_kpis", "payback", "PAYBACK_BASES"]

#: Payback KPI -> the yearly saving it pays back from.
PAYBACK_BASES = {"payback_years": "cost_saving.year", "payback_years.with_time": "net_benefit.year"}


@dataclass(frozen=True)
class CostSpec:
    """A model's cost figures by pool, checked: hourly cost of staff, yearly cost of equipment per unit."""

    per_hour: dict[str, float]  # staff pool -> SEK per staffed hour with on-costs
    per_unit_year: dict[str, float]  # equipment or room pool -> SEK per unit and year
    weeks_per_year: int
    one_off: float  # SEK
    uncosted: tuple[str, ...]  # pools without a cost figure (counted as 0)


def cost_spec(model: ProcessModel) -> CostSpec | None:
    """The model's costs, or None if it has none; a staff pool priced per unit (or the like) is a UserError."""
    if model.costs is None and not any(p.cost for p in model.pools):
        return None
    per_hour, per_year, uncosted = {}, {}, []
    for p in model.pools:
        if p.cost is None:
            uncosted.append(p.id)
        elif p.kind == "staff":
            if p.cost.hourly_wage is None:
                raise UserError(f"{model.id}: pools.{p.id}.cost: staff are costed by `hourly_wage` (SEK per hour), "
                                "not `per_unit_year`")
            per_hour[p.id] = p.cost.per_hour()
        else:
            if p.cost.per_unit_year is None:
                raise UserError(f"{model.id}: pools.{p.id}.cost: {p.kind} is costed `per_unit_year` (SEK per unit and year), "
                                "not by `hourly_wage`")
            per_year[p.id] = p.cost.per_unit_year
    costs = model.costs
    one_off = 0.0
    for item in costs.one_off if costs else []:
        if item.amount is not None:
            one_off += item.amount
            continue
        if item.pool not in per_hour:
            known = ", ".join(per_hour) or "none"
            raise UserError(f"{model.id}: costs.one_off.{item.id}.pool: expected a staff pool with an hourly cost "
                            f"({known}), got {item.pool!r}")
        one_off += item.hours * per_hour[item.pool]
    return CostSpec(per_hour, per_year, costs.weeks_per_year if costs else 52, one_off, tuple(uncosted))


def paid_periods(c: Compiled, p: int) -> tuple[np.ndarray, np.ndarray]:
    """When a pool is on duty: its roster's shifts, or the opening hours."""
    spec = c.pools[p]
    if c.model.pool(spec.id).roster is None:
        w = open_windows(c)
        return w[:, 0], w[:, 1]
    ts = [t for t, _ in spec.changes] + [7 * DAY]
    on = [(a, b) for (a, k), b in zip(spec.changes, ts[1:]) if k > 0 and b > a]
    arr = np.array(on, float).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def cost_kpis(c: Compiled, spec: CostSpec | None, busy: np.ndarray, weeks: int,
              kpis: dict[str, float]) -> dict[str, float]:
    """The cost KPIs of one replication from its busy records (SEK per week unless named `.year`); {} without costs."""
    if spec is None:
        return {}
    worked, inside = [0.0] * len(c.pools), {}
    for p, pool in enumerate(c.pools):
        mine = busy[busy[:, B_POOL] == p] if len(busy) else busy
        if len(mine):
            worked[p] = float((mine[:, B_END] - mine[:, B_START]).sum())
        if pool.id in spec.per_hour:
            starts, ends = paid_periods(c, p)
            inside[p] = float(overlap(mine[:, B_START], mine[:, B_END], starts, ends).sum()) if len(mine) else 0.0
    return cost_kpis_from_totals(c, spec, worked, inside, weeks, kpis)


def cost_kpis_from_totals(c: Compiled, spec: CostSpec | None, worked: list[float], inside: dict[int, float],
                          weeks: int, kpis: dict[str, float]) -> dict[str, float]:
    """The cost KPIs from each pool's busy minutes over the run (`worked`) and those within its paid
    periods (`inside`, staff pools with an hourly cost); {} without costs."""
    if spec is None:
        return {}
    out: dict[str, float] = {}
    staff = equipment = overtime = 0.0
    for p, pool in enumerate(c.pools):
        if pool.id in spec.per_hour:
            starts, ends = paid_periods(c, p)
            on_duty = capacity_minutes(c, p, starts, ends).sum()
            extra = (worked[p] - inside[p]) / weeks
            cost = (on_duty + extra) / 60 * spec.per_hour[pool.id]
            staff += cost
            overtime += extra
        elif pool.id in spec.per_unit_year:
            cost = pool.max_capacity * spec.per_unit_year[pool.id] / spec.weeks_per_year
            equipment += cost
        else:
            continue
        out[f"cost.pool.{pool.id}"] = cost
    week = staff + equipment
    out["cost.week"] = week
    out["cost.year"] = week * spec.weeks_per_year
    out["cost.staff.week"] = staff
    out["cost.equipment.week"] = equipment
    arrived, served = kpis.get("arrived", 0.0), kpis.get("served", 0.0)
    out["cost.per_visitor"] = week / arrived if arrived else math.nan
    out["cost.per_errand"] = week / served if served else math.nan
    out["overtime_minutes"] = overtime
    out["one_off_cost"] = spec.one_off
    return out


def baseline_cost_kpis(mine: dict[str, float], base: dict[str, float], mine_spec: CostSpec | None,
                       base_spec: CostSpec | None) -> dict[str, float]:
    """Per replication against the baseline: cash saving, staff time freed in SEK, net benefit."""
    if mine_spec is None or base_spec is None or "cost.week" not in mine or "cost.week" not in base:
        return {}
    rates = {**base_spec.per_hour, **mine_spec.per_hour}  # a pool only the baseline has is valued at its rate
    pools = [k.split(".", 1)[1] for k in dict.fromkeys([*base, *mine])
             if k.startswith("staff_minutes.") and k.count(".") == 1]
    freed = sum((base.get(f"staff_minutes.{p}", 0.0) - mine.get(f"staff_minutes.{p}", 0.0)) / 60 * rates.get(p, 0.0)
                for p in pools)
    weeks = mine_spec.weeks_per_year
    saving = base["cost.week"] - mine["cost.week"]
    equipment_saving = base["cost.equipment.week"] - mine["cost.equipment.week"]
    return {
        "cost_saving.week": saving,
        "cost_saving.year": saving * weeks,
        "staff_value_freed.week": freed,
        "staff_value_freed.year": freed * weeks,
        "net_benefit.year": (freed + equipment_saving) * weeks,
    }
