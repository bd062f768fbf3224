"""Open a kiosk database that must exist already, to read it and never to change it.

For what reads the kiosk from outside (the benefits plan's "measured so far"): it takes the
same `--db` values as `mbk kiosk serve` (a file path, `sqlite:///…`, `postgresql://…`), but
unlike the kiosk it creates and migrates nothing. A SQLite file is opened read-only; a
PostgreSQL session runs with `default_transaction_read_only`, so even a bug here cannot
write. Anything that is not an up-to-date kiosk database is a UserError naming the option,
on one line, with the driver's reason and never a password.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from process_models.errors import UserError

from .storage import db_url

__all__ = ["DB_EXPECTED", "KIOSK_TABLES", "open_existing", "shown_url", "driver_reason"]

DB_EXPECTED = "expected a SQLite file path or postgresql://user:password@host:port/database of a running server"
#: the tables a reader needs: a database without them is not (or not yet) a kiosk's
KIOSK_TABLES = ("visits", "events", "survey_counts")
#: seconds to wait for a PostgreSQL server before saying it cannot be reached (the kiosk's own wait)
CONNECT_TIMEOUT = 10
#: the longest driver message shown (SQLAlchemy appends the statement and a link)
_REASON_CHARS = 300


def shown_url(db: str) -> str:
    """The --db as given, with a password hidden."""
    text = str(db)
    if "://" not in text:
        return text
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # not even a URL: show the part after any credentials, never a password
        return text.split("@")[-1] if "@" in text else text


def driver_reason(exc: Exception) -> str:
    """The driver's own words on one line."""
    text = str(getattr(exc, "orig", None) or exc)
    return "; ".join(line.strip() for line in text.strip().splitlines() if line.strip())[:_REASON_CHARS]


def _read_only_engine(db: str, option: str) -> Engine:
    """An engine that cannot write: SQLite's mode=ro, PostgreSQL's read-only transactions."""
    url = db_url(db)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            raise UserError(f"{option} {db}: no such file; expected the kiosk's database (the --db of mbk kiosk serve)")
        if not path.is_file():
            raise UserError(f"{option} {db}: is a folder; expected the kiosk's SQLite database file")
        # A read-only connection to a WAL database makes its -wal and -shm files and cannot remove them. With no
        # -wal file every committed row is in the database file itself and no kiosk has it open, so it is read as
        # immutable (no lock, no side files); a kiosk at work (its -wal there) is read through the WAL as usual.
        wal = path.with_name(path.name + "-wal")
        mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
        return create_engine(f"sqlite:///file:{path}?{mode}&uri=true")
    if url.startswith("sqlite"):
        return create_engine(url)
    if not url.startswith("postgresql+psycopg://"):
        raise UserError(f"{option} {shown_url(db)}: unsupported database; {DB_EXPECTED}")
    return create_engine(url, connect_args={
        "connect_timeout": CONNECT_TIMEOUT, "options": "-c default_transaction_read_only=on"})


def open_existing(db: str | Path, option: str = "--db") -> Engine:
    """A read-only engine on an existing kiosk database at the newest schema; UserError naming `option` if not.

    Args:
        db: a file path or a SQLAlchemy URL, as `mbk kiosk serve --db` takes.
        option: the command-line option the value came from, for the message.
    """
    from .schema import FIRST_RELEASE, current_revision, head_revision

    db = str(db)
    try:
        engine = _read_only_engine(db, option)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise UserError(f"{option} {shown_url(db)}: not a database URL ({driver_reason(exc)}); {DB_EXPECTED}") from None
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = current_revision(conn) if "visits" in tables else None
    except DBAPIError as exc:  # down, refuses the login, no such database, or a file that is not SQLite
        engine.dispose()
        what = "not an SQLite database" if db_url(db).startswith("sqlite") else "cannot open the database"
        raise UserError(f"{option} {shown_url(db)}: {what} ({driver_reason(exc)}); {DB_EXPECTED}") from None
    except (ArgumentError, ValueError) as exc:  # psycopg checks some URL parts only when it connects
        engine.dispose()
        raise UserError(f"{option} {shown_url(db)}: not a database URL ({driver_reason(exc)}); {DB_EXPECTED}") from None
    missing = [t for t in KIOSK_TABLES if t not in tables]
    head = head_revision()
    if "visits" not in tables:
        engine.dispose()
        raise UserError(f"{option} {shown_url(db)}: not a kiosk database (no table {', '.join(missing)}); "
                        "expected the --db of mbk kiosk serve")
    if revision != head or missing:  # no alembic_version: the first release's tables
        engine.dispose()
        raise UserError(f"{option} {shown_url(db)}: a kiosk database of an older release (schema "
                        f"{revision or FIRST_RELEASE}, this one reads {head}); run `mbk kiosk serve --db` on it once "
                        "to migrate it")
    return engine
