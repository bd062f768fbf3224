"""The kiosk database's schema version: Alembic migrations in `migrations/`, applied at start.

An empty database gets the newest schema at once (`create_all`, then stamped with the head
revision, as Alembic recommends); a first-release database (tables, no `alembic_version`) is
stamped with its revision, 0001, and migrated; any other is migrated from where it is. On
PostgreSQL an advisory lock lets several servers start on one database at the same moment.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from .storage import metadata

__all__ = ["MIGRATIONS_DIR", "FIRST_RELEASE", "head_revision", "current_revision", "upgrade", "alembic_config"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: the revision of a database made by the first release (before migrations)
FIRST_RELEASE = "0001"
#: the key of the PostgreSQL advisory lock held while a server migrates (any fixed number)
_MIGRATION_LOCK = 0x6B696F736B  # "kiosk"


def alembic_config(conn: Connection) -> Config:
    """An Alembic config that runs the kiosk's migrations on `conn` (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision; a no-op when it is there already."""
    head = head_revision()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        revision = current_revision(conn)
        if revision == head:
            return
        cfg = alembic_config(conn)
        if revision is None and not inspect(conn).has_table("visits"):
            metadata.create_all(conn)
            command.stamp(cfg, head)
            return
        if revision is None:
            command.stamp(cfg, FIRST_RELEASE)
        command.upgrade(cfg, head)
