"""The kiosk's database: visits, the event log, appointments, the outbox, staff and statistics.

SQLAlchemy Core over a SQLite file in WAL mode by default, or PostgreSQL (psycopg 3). Several
offices can share one database: every row carries its office's id and every query of an
office names it. Every state change is written together with its event rows (and outbox
rows) in one transaction. The schema is the head of the Alembic migrations in `migrations/`,
applied by `open_engine` (see `schema.py`).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, Engine

__all__ = [
    "DEFAULT_OFFICE",
    "OFFICE_ID",
    "metadata",
    "visits",
    "events",
    "caseworkers",
    "appointments",
    "outbox",
    "staff",
    "staff_sessions",
    "daily_stats",
    "survey_counts",
    "open_engine",
    "db_url",
    "is_sqlite",
    "create_kiosk_engine",
    "add_event",
    "event_row",
]

#: the office of a database from before several offices shared one (the first release's rows)
DEFAULT_OFFICE = "default"
#: an office id: lower-case letters, digits and '-', as in `--office rinkeby`
OFFICE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}\Z")

metadata = MetaData()


def _office() -> Column:
    return Column("office", String(32), nullable=False, server_default=DEFAULT_OFFICE)


visits = Table(
    "visits",
    metadata,
    Column("id", String(32), primary_key=True),
    _office(),
    Column("day", String(10), nullable=False, index=True),
    Column("started_at", DateTime, nullable=False),
    Column("language", String(8), nullable=False, default=""),
    Column("errand", String(64), nullable=False, default=""),
    Column("step", String(64), nullable=False, default=""),
    # waiting, computer, helping, booked, self, done, referred
    Column("status", String(16), nullable=False, default="kiosk"),
    Column("number", Integer),
    Column("computer", Integer),
    Column("waiting_since", DateTime),
    Column("guide", String(64)),
    Column("phone", String(20)),  # optional, for a "your turn" text; deleted at the end of the day
    Column("outcome", String(16)),  # self_served, served, referred
    # the first release kept survey answers here; now they are only counts in survey_counts (always NULL)
    Column("learned", Boolean),
    Column("can_alone", Boolean),
    Column("ended_at", DateTime),
    Index("ix_visits_office_status", "office", "status"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _office(),
    Column("visit_id", String(32), nullable=False, index=True),
    Column("event", String(32), nullable=False),
    Column("step_id", String(64), nullable=False, default=""),
    Column("timestamp", DateTime, nullable=False),
    Column("errand", String(64), nullable=False, default=""),
    Column("language", String(8), nullable=False, default=""),
)

caseworkers = Table(
    "caseworkers",
    metadata,
    Column("office", String(32), nullable=False, server_default=DEFAULT_OFFICE),
    Column("id", String(32), nullable=False),
    Column("name", String(80), nullable=False),
    Column("email", String(200), nullable=False),
    PrimaryKeyConstraint("office", "id", name="pk_caseworkers"),
)

appointments = Table(
    "appointments",
    metadata,
    Column("id", Integer, autoincrement=True),
    _office(),
    Column("code", String(12), nullable=False),
    Column("caseworker_id", String(32), nullable=False),
    Column("starts_at", DateTime, nullable=False, index=True),
    Column("visit_id", String(32)),
    Column("arrived_at", DateTime),
    Column("met_at", DateTime),
    PrimaryKeyConstraint("id", name="pk_appointments"),
    UniqueConstraint("office", "code", name="uq_appointments_office_code"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _office(),
    Column("message_id", String(120), nullable=False, unique=True),
    Column("visit_id", String(32)),
    Column("recipient", String(200), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(12), nullable=False, default="pending"),  # pending, sending, sent, failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    Column("last_error", Text),
)

staff = Table(
    "staff",
    metadata,
    Column("office", String(32), nullable=False, server_default=DEFAULT_OFFICE),
    Column("username", String(64), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created_at", DateTime, nullable=False),
    PrimaryKeyConstraint("office", "username", name="pk_staff"),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    _office(),
    Column("username", String(64), nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

daily_stats = Table(
    "daily_stats",
    metadata,
    Column("id", Integer, autoincrement=True),
    _office(),
    Column("day", String(10), nullable=False),
    Column("errand", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("visits", Integer, nullable=False),
    Column("self_served", Integer, nullable=False),
    PrimaryKeyConstraint("id", name="pk_daily_stats"),
    UniqueConstraint("office", "day", "errand", "language", name="uq_daily_stats_office_day_errand_language"),
)

# the survey's gender question, as counts only: per office, day and answer, how many answered and
# how many said yes to each indicator. No visit id and no time finer than the day: nothing here
# ties an answer to a visit (see survey.py).
survey_counts = Table(
    "survey_counts",
    metadata,
    Column("office", String(32), nullable=False),
    Column("day", String(10), nullable=False),
    Column("gender", String(16), nullable=False),
    Column("answers", Integer, nullable=False),
    Column("learned_answers", Integer, nullable=False),
    Column("learned_yes", Integer, nullable=False),
    Column("can_alone_answers", Integer, nullable=False),
    Column("can_alone_yes", Integer, nullable=False),
    PrimaryKeyConstraint("office", "day", "gender", name="pk_survey_counts"),
)


def db_url(value: str | Path) -> str:
    """A SQLAlchemy URL: given as is, or a file path turned into a SQLite URL.

    `postgresql://` and `postgres://` mean psycopg 3 (SQLAlchemy alone would pick psycopg2).
    """
    text = str(value)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    for scheme in ("postgresql://", "postgres://"):
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme):]
    return text


def is_sqlite(url: str) -> bool:
    return db_url(url).startswith("sqlite")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL survives a killed process (not a power cut) and keeps commits fast
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def create_kiosk_engine(url: str | Path) -> Engine:
    """The engine of a kiosk database, without touching its schema."""
    url = db_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # a kiosk server is one process with a handful of threads; a city's offices share one server.
        # No pre-ping (a round trip before every transaction): a connection the server dropped fails
        # one request, SQLAlchemy then empties the pool and the next request connects afresh.
        engine = create_engine(url, pool_size=5, max_overflow=5, pool_recycle=3600, connect_args={"connect_timeout": 10})
    return engine


def open_engine(url: str | Path) -> Engine:
    """Open the kiosk database and bring its schema to the newest migration (created when empty)."""
    from .schema import upgrade

    engine = create_kiosk_engine(url)
    upgrade(engine)
    return engine


def add_event(
    conn: Connection, visit_id: str, name: str, step_id: str, at: datetime, errand: str = "", language: str = "",
    office: str = DEFAULT_OFFICE,
) -> None:
    """Append one row to the event log (the format of docs/event-log.md)."""
    conn.execute(events.insert(), [event_row(visit_id, name, step_id, at, errand, language, office)])


def event_row(
    visit_id: str, name: str, step_id: str, at: datetime, errand: str = "", language: str = "", office: str = DEFAULT_OFFICE,
) -> dict:
    """The values of one event-log row (to insert alone or in a batch)."""
    return {"office": office, "visit_id": visit_id, "event": name, "step_id": step_id or "", "timestamp": at,
            "errand": errand or "", "language": language or ""}
