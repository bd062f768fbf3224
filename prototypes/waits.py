"""How long each ended visit waited, read from the kiosk's event log as the simulation counts a wait.

The simulation counts as a visitor's wait every minute between arriving and leaving that no
one (and nothing) attends to them: time in a queue step, and time between asking for a step
and it starting. The kiosk's log shows the same: a visit is attended during a step of the
model that is not a queue, from that step's last `step_started` to its `step_finished` (a
step the kiosk starts twice, such as a floor guide's, began to wait at the first and was
served at the second; calibration reads durations the same way); a step never finished (the
caseworker's meeting) lasts until the visit's last event. The rest of the time from
`arrived` to the visit's last event is its wait.

What the log cannot show is said where the figures are used (`NOT_LOGGED`): a visitor at a
public computer who waits there for a guide is logged as working at the computer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Iterable

import numpy as np
from sqlalchemy import and_, select
from sqlalchemy.engine import Engine

from process_models.disclosure import too_few

from .event_names import ARRIVED, STEP_FINISHED, STEP_STARTED
from .storage import events, visits

__all__ = ["P90_MIN_VISITS", "MeasuredWaits", "visit_wait", "measured_waits", "logged_steps"]

#: the fewest visits over which a 90th percentile is given: below ten it is little more than the one longest wait
P90_MIN_VISITS = 10
_SECONDS = 60.0


@dataclass(frozen=True)
class MeasuredWaits:
    """The waits of the ended visits in the log, in minutes; None where too few visits to show them.

    `visits`: ended visits with an `arrived` event (0: the log holds no arrival of an ended visit);
    `mean` and `p90`: None below MIN_VISITORS visits, `p90` also below P90_MIN_VISITS.
    """

    visits: int
    mean: float | None
    p90: float | None
    first_day: str | None
    last_day: str | None


def _covered(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> float:
    """Seconds of [start, end] inside at least one span."""
    total, reach = 0.0, start
    for a, b in sorted((max(a, start), min(b, end)) for a, b in spans):
        if b > reach:
            total += (b - max(a, reach)).total_seconds()
            reach = b
    return total


def visit_wait(rows: Iterable[tuple[str, str, datetime]], queue_steps: frozenset[str]) -> float | None:
    """One visit's wait in minutes from its (event, step_id, timestamp) rows in the order written; None without `arrived`."""
    rows = list(rows)
    arrived = next((t for name, _, t in rows if name == ARRIVED), None)
    if arrived is None:
        return None
    end = max(t for _, _, t in rows)
    started: dict[str, datetime] = {}
    attended: list[tuple[datetime, datetime]] = []
    for name, step, t in rows:
        if name == STEP_STARTED and step not in queue_steps:
            started[step] = t  # the last start counts: an earlier one only said the visitor was waiting for it
        elif name == STEP_FINISHED and step in started:
            attended.append((started.pop(step), t))
    attended += [(t, end) for t in started.values()]
    return max(0.0, (end - arrived).total_seconds() - _covered(attended, arrived, end)) / _SECONDS


def _rows(engine: Engine, office: str | None):
    """(visit, event, step, timestamp, day) of every ended visit's events, by visit and then as written."""
    query = (select(events.c.visit_id, events.c.event, events.c.step_id, events.c.timestamp, visits.c.day)
             .join(visits, and_(visits.c.id == events.c.visit_id, visits.c.office == events.c.office))
             .where(visits.c.ended_at.is_not(None))
             .order_by(events.c.visit_id, events.c.timestamp, events.c.id))
    if office is not None:
        query = query.where(events.c.office == office)
    with engine.connect() as conn:
        yield from conn.execute(query)


def measured_waits(engine: Engine, queue_steps: frozenset[str], office: str | None = None) -> MeasuredWaits:
    """The mean and 90th percentile of the ended visits' waits (one office, or all), suppressed below 5 visits."""
    waits, days = [], []
    for _visit, group in groupby(_rows(engine, office), key=lambda r: r[0]):
        group = list(group)
        w = visit_wait(((r[1], r[2], r[3]) for r in group), queue_steps)
        if w is not None:
            waits.append(w)
            days.append(group[0][4])
    n = len(waits)
    first, last = (min(days), max(days)) if days else (None, None)
    if too_few(n):
        return MeasuredWaits(n, None, None, first, last)
    values = np.asarray(waits)
    p90 = float(np.quantile(values, 0.9)) if n >= P90_MIN_VISITS else None  # as simulation/kpis.py
    return MeasuredWaits(n, float(values.mean()), p90, first, last)


def logged_steps(engine: Engine, office: str | None = None) -> set[str]:
    """Every step id the log names (to check that the model it is read with is the kiosk's)."""
    query = select(events.c.step_id).distinct().where(events.c.step_id != "")
    if office is not None:
        query = query.where(events.c.office == office)
    with engine.connect() as conn:
        return set(conn.execute(query).scalars())
