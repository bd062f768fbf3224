"""Retention: phone numbers go at the end of the day; old visits become anonymous statistics.

Statistics per office, day, errand and language (visits, self-served) are kept (the survey is
counts from the start, in survey_counts);
visits, their events, appointments and sent e-mails older than the retention period go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, delete, select, true, update
from sqlalchemy.engine import Engine

from .storage import appointments, daily_stats, events, outbox, visits

__all__ = ["PurgeReport", "purge"]

_COUNTS = ("visits", "self_served")


@dataclass(frozen=True)
class PurgeReport:
    phones_deleted: int
    visits_aggregated: int
    events_deleted: int
    appointments_deleted: int
    mails_deleted: int


def _aggregate(conn, days: list[str], mine) -> None:
    """Fold visits of the given days into daily_stats (adding to rows already there)."""
    totals: dict[tuple, dict] = {}
    rows = conn.execute(
        select(visits.c.office, visits.c.day, visits.c.errand, visits.c.language, visits.c.outcome)
        .where(visits.c.day.in_(days), mine)
    ).mappings()
    for r in rows:
        t = totals.setdefault((r["office"], r["day"], r["errand"], r["language"]), dict.fromkeys(_COUNTS, 0))
        t["visits"] += 1
        t["self_served"] += r["outcome"] == "self_served"
    for (office, day, errand, language), t in totals.items():
        key = and_(daily_stats.c.office == office, daily_stats.c.day == day, daily_stats.c.errand == errand,
                   daily_stats.c.language == language)
        old = conn.execute(select(daily_stats).where(key)).mappings().first()
        if old is None:
            conn.execute(daily_stats.insert().values(office=office, day=day, errand=errand, language=language, **t))
        else:
            conn.execute(update(daily_stats).where(key).values(**{k: old[k] + v for k, v in t.items()}))


def purge(engine: Engine, today: date, keep_days: int = 30, office: str | None = None) -> PurgeReport:
    """Delete phone numbers of earlier days; aggregate and delete visits older than keep_days.

    Args:
        office: only this office's rows (its own retention setting); None: every office in the database.
    """
    if keep_days < 0:
        raise ValueError("keep_days must be >= 0")
    cutoff = (today - timedelta(days=keep_days)).isoformat()
    here = (lambda table: true()) if office is None else (lambda table: table.c.office == office)  # noqa: E731
    with engine.begin() as conn:
        phones = conn.execute(
            update(visits).where(here(visits), visits.c.day < today.isoformat(), visits.c.phone.is_not(None))
            .values(phone=None)
        ).rowcount
        old_days = sorted({r[0] for r in conn.execute(
            select(visits.c.day).where(here(visits), visits.c.day < cutoff).distinct())})
        old_ids = select(visits.c.id).where(here(visits), visits.c.day < cutoff)
        n_visits = 0
        ev = appt = mails = 0
        if old_days:
            _aggregate(conn, old_days, here(visits))
            ev = conn.execute(delete(events).where(events.c.visit_id.in_(old_ids))).rowcount
            mails = conn.execute(delete(outbox).where(outbox.c.visit_id.in_(old_ids), outbox.c.status == "sent")).rowcount
            n_visits = conn.execute(delete(visits).where(here(visits), visits.c.day < cutoff)).rowcount
        appt = conn.execute(
            delete(appointments).where(here(appointments), appointments.c.starts_at < today - timedelta(days=keep_days))
        ).rowcount
    return PurgeReport(phones, n_visits, ev, appt, mails)
