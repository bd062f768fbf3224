"""The kiosk's database: visits, the event log, appointments, the outbox, staff and statistics.

SQLAlchemy Core over a SQLite file in WAL mode by default, or any SQLAlchemy URL. Every
state change is written together with its event rows (and outbox rows) in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, Engine

__all__ = [
    "metadata",
    "visits",
    "events",
    "caseworkers",
    "appointments",
    "outbox",
    "staff",
    "staff_sessions",
    "daily_stats",
    "open_engine",
    "db_url",
    "add_event",
]

metadata = MetaData()

visits = Table(
    "visits",
    metadata,
    Column("id", String(32), primary_key=True),
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
    Column("learned", Boolean),
    Column("can_alone", Boolean),
    Column("ended_at", DateTime),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
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
    Column("id", String(32), primary_key=True),
    Column("name", String(80), nullable=False),
    Column("email", String(200), nullable=False),
)

appointments = Table(
    "appointments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("caseworker_id", String(32), nullable=False),
    Column("starts_at", DateTime, nullable=False, index=True),
    Column("visit_id", String(32)),
    Column("arrived_at", DateTime),
    Column("met_at", DateTime),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
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
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(300), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

daily_stats = Table(
    "daily_stats",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", String(10), nullable=False),
    Column("errand", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("visits", Integer, nullable=False),
    Column("self_served", Integer, nullable=False),
    Column("surveyed", Integer, nullable=False),
    Column("learned", Integer, nullable=False),
    Column("can_alone", Integer, nullable=False),
    UniqueConstraint("day", "errand", "language"),
)


def db_url(value: str | Path) -> str:
    """A SQLAlchemy URL: given as is, or a file path turned into a SQLite URL."""
    text = str(value)
    return text if "://" in text else f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL survives a killed process (not a power cut) and keeps commits fast
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def open_engine(url: str | Path) -> Engine:
    """Open (and create) the kiosk database."""
    url = db_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


def add_event(
    conn: Connection, visit_id: str, name: str, step_id: str, at: datetime, errand: str = "", language: str = ""
) -> None:
    """Append one row to the event log (the format of docs/event-log.md)."""
    conn.execute(
        events.insert().values(
            visit_id=visit_id, event=name, step_id=step_id or "", timestamp=at, errand=errand or "", language=language or ""
        )
    )
