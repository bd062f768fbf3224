"""Fixtures every test folder may use: a real PostgreSQL server, and a fresh kiosk database on each backend.

`db_url` runs a test twice: on a SQLite file and on a fresh database of a PostgreSQL server
that the session starts itself (tests/prototypes/pg_server.py: 127.0.0.1 and a Unix socket in
a temporary folder only) and stops. One server per test run, whichever folders ask for it.
"""

from __future__ import annotations

import pytest

from .prototypes.pg_server import PostgresServer

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for the whole test session, on 127.0.0.1 and a socket in a temp folder."""
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """The --db of a fresh, empty kiosk database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "kiosk.sqlite")
        return
    server = request.getfixturevalue("pg_server")
    url = server.database()
    yield url
    server.drop(url)
