"""What the kiosk has measured so far, for the benefits plan's follow-up column.

Reads a kiosk database without changing it (SQLite opened read-only, no migrations): the
survey's two indicators for everyone, women and men (`prototypes.survey_summary`, figures over
fewer than five visitors already hidden) and, from the visits the kiosk logged, how many came
and the share who managed on their own. The kiosk keeps no gender with a visit, so only the
survey splits by gender.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from process_models.disclosure import too_few
from process_models.errors import UserError

__all__ = ["KioskFollowUp", "LoggedVisits", "read_follow_up", "open_kiosk_db"]

# the tables a kiosk database has (prototypes/storage.py); the check that a file is one
_NEEDED = ("visits", "survey_counts")


@dataclass(frozen=True)
class LoggedVisits:
    """The visits the kiosk logged: how many, over which days, and how many managed on their own."""

    visits: int
    ended: int
    self_served: int
    first_day: str | None
    last_day: str | None

    @property
    def self_served_share(self) -> float | None:
        """Share of ended visits that managed on their own; None over fewer than MIN_VISITORS."""
        return None if too_few(self.ended) else self.self_served / self.ended


@dataclass(frozen=True)
class KioskFollowUp:
    """The kiosk's figures for the plan: its survey (suppressed below 5) and its logged visits."""

    source: str
    survey: object  # prototypes.survey.SurveySummary
    logged: LoggedVisits

    def indicator(self, name: str, group: str = "all"):
        """The survey's `name` ("learned", "can_alone") for "all", "women" or "men" (share None: suppressed)."""
        from prototypes.survey import MAN, WOMAN

        return self.survey.indicators[{"all": "all", "women": WOMAN, "men": MAN}[group]][name]


def open_kiosk_db(path: str | Path):
    """A read-only engine on a kiosk's SQLite file; a UserError naming the path if it is not one."""
    from sqlalchemy import create_engine

    p = Path(path).expanduser()
    if not p.exists():
        raise UserError(f"--kiosk-db {path}: no such file; expected the kiosk's SQLite database (mbk kiosk --db)")
    if not p.is_file():
        raise UserError(f"--kiosk-db {path}: is a folder; expected the kiosk's SQLite database file")
    try:
        with closing(sqlite3.connect(f"file:{p.resolve()}?mode=ro", uri=True)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise UserError(f"--kiosk-db {path}: not an SQLite database ({exc})") from None
    missing = [t for t in _NEEDED if t not in tables]
    if missing:
        raise UserError(f"--kiosk-db {path}: not a kiosk database (no table {', '.join(missing)})")
    return create_engine(f"sqlite:///file:{p.resolve()}?mode=ro&uri=true")


def _logged(engine, office: str | None) -> LoggedVisits:
    from sqlalchemy import case, func, select

    from prototypes.storage import visits

    query = select(func.count(), func.count(visits.c.ended_at),
                   func.sum(case((visits.c.outcome == "self_served", 1), else_=0)),
                   func.min(visits.c.day), func.max(visits.c.day))
    if office is not None:
        query = query.where(visits.c.office == office)
    with engine.connect() as conn:
        n, ended, alone, first, last = conn.execute(query).one()
    return LoggedVisits(int(n or 0), int(ended or 0), int(alone or 0), first, last)


def read_follow_up(path: str | Path, office: str | None = None) -> KioskFollowUp:
    """The survey and the logged visits of one office (None: every office in the database)."""
    from prototypes.survey import survey_summary

    engine = open_kiosk_db(path)
    try:
        return KioskFollowUp(str(path), survey_summary(engine, office), _logged(engine, office))
    finally:
        engine.dispose()

